#!/usr/bin/env bats
# lab apply: the system brought to a lab file, proven from outside with ip
# and with traffic; a second apply changes nothing; dry runs replay through
# netnsctl -b; every refusal and failure, with what it leaves.

load helpers

@test "lab apply: demo example, every object as the file says, seen with ip" {
	run_n lab apply "$EX/demo.yaml"
	assert_success
	assert_equal "$output" "$(printf 'net.ipv4.ip_forward = 1\ndemo: 25 changes, ready')"
	assert_equal "$err" ""
	assert_equal "$(ns_names)" "demo._switch demo.h1 demo.r1 demo.r2"
	nothing_here
	# r1 eth1 -- r2 eth1: one pair, each end where it belongs, mtu, mac, up
	[ "$(jfield -n demo.r1 eth1 link_index)" = "$(jfield -n demo.r2 eth1 ifindex)" ]
	[ "$(jfield -n demo.r2 eth1 link_index)" = "$(jfield -n demo.r1 eth1 ifindex)" ]
	[ "$(jfield -n demo.r1 eth1 mtu)" = 9000 ]
	[ "$(jfield -n demo.r2 eth1 mtu)" = 9000 ]
	[ "$(jfield -n demo.r2 eth1 address)" = 02:00:00:00:00:02 ]
	ip -n demo.r1 -j link show eth1 | jq -e '.[0].flags | index("UP")' >/dev/null
	# the bridge and its ports, named lan-K in file order
	[ "$(jfield -n demo._switch lan-1 master)" = lan ]
	[ "$(jfield -n demo._switch lan-2 master)" = lan ]
	[ "$(jfield -n demo._switch lan mtu)" = 1500 ]
	[ "$(jfield -n demo._switch lan-1 link_index)" = "$(jfield -n demo.r1 eth2 ifindex)" ]
	# every link carries the lab's marker
	for l in "demo.r1 eth1" "demo.r2 eth1" "demo.r1 eth2" "demo.h1 eth0" \
		"demo._switch lan" "demo._switch lan-1" "demo._switch lan-2"; do
		[ "$(alias_of $l)" = netnsctl-lab:demo ] || { echo "$l"; return 1; }
	done
	assert_equal "$(addrs_of demo.r1 lo)" "127.0.0.1/8 192.0.2.1/32 ::1/128"
	assert_equal "$(addrs_of demo.r1 eth1)" "203.0.113.1/30"
	assert_equal "$(addrs_of demo.h1 eth0)" "198.51.100.10/24 2001:db8:1::10/64"
	run ip -n demo.r1 -j route show 203.0.113.128/25
	[ "$(echo "$output" | jq -r '.[0].gateway')" = 203.0.113.2 ]
	run ip -n demo.h1 -j route show default
	[ "$(echo "$output" | jq -r '.[0].gateway')" = 198.51.100.1 ]
	run ip -n demo.r1 -j neigh show 203.0.113.2 dev eth1
	[ "$(echo "$output" | jq -r '.[0].lladdr')" = 02:00:00:00:00:02 ]
	[ "$(echo "$output" | jq -r '.[0].state[0]')" = PERMANENT ]
	# sysctls inside the nodes, defaults first then the node's own; the host's untouched
	[ "$(ip netns exec demo.r1 sysctl -n net.ipv4.ip_forward)" = 1 ]
	[ "$(ip netns exec demo.r2 sysctl -n net.ipv4.ip_forward)" = 0 ]
	[ "$(ip netns exec demo.h1 sysctl -n net.ipv6.conf.all.accept_dad)" = 0 ]
	[ "$(sysctl -n net.ipv4.ip_forward)" = 0 ]
	# traffic as the file says: h1 reaches r1's loopback across the bridge
	ping_from demo.h1 192.0.2.1
	ping_from demo.r1 203.0.113.2
}

@test "lab apply: a second apply of an unchanged file changes nothing and says so" {
	"$N" lab apply "$EX/demo.yaml" >/dev/null
	wait_for 600 settled demo.r1 demo.r2 demo.h1 demo._switch
	local before state
	before=$(snapshot; ip -n demo.r1 route; ip -n demo.r1 neigh show nud permanent)
	state=$(cat "$STATE/demo/state")
	run_n lab apply "$EX/demo.yaml"
	assert_success
	assert_equal "$output" "demo: up to date"
	assert_equal "$err" ""
	assert_equal "$(snapshot; ip -n demo.r1 route; ip -n demo.r1 neigh show nud permanent)" \
		"$before"
	assert_equal "$(cat "$STATE/demo/state")" "$state"
	[ ! -e "$STATE/demo/journal" ]
	run_n -j lab apply "$EX/demo.yaml"
	assert_success
	assert_equal "$output" '{"name":"demo","up_to_date":true,"changes":0,"ready":false,"items":[]}'
	run_n lab apply --dry-run "$EX/demo.yaml"
	assert_success
	assert_equal "$output" "# demo: up to date"
}

@test "lab apply: traffic across the chain (IPv4, IPv6) and across two bridges" {
	run_n lab apply "$EX/chain.yaml"
	assert_success
	assert_equal "$output" "chain: 42 changes, ready"
	ping_from chain.r1 192.0.2.3
	ping_from chain.r3 192.0.2.1
	ping_from chain.r1 2001:db8::3
	ip netns exec chain.r1 ip route get 192.0.2.3 | grep -q "via 203.0.113.2"
	run_n lab apply "$EX/two-bridges.yaml"
	assert_success
	ping_from two-bridges.a1 198.18.0.11
	ping_from two-bridges.b1 198.51.100.12
	ping_from two-bridges.a1 198.51.100.12
	[ "$(jfield -n two-bridges._switch lan2-b1 master)" = lan2 ]
	[ "$(jfield -n two-bridges.a2 eth0 address)" = 02:00:00:00:01:12 ]
	run_n lab apply "$EX/star.yaml"
	assert_success
	wait_for 100 no_tentative star.h1
	ping_from star.h1 198.51.100.4
	ping_from star.h4 2001:db8:100::1
	nothing_here
}

@test "lab apply: a node without links gets its namespace, loopback up" {
	lab_file lone <<-'EOF'
	version: 1
	name: lone
	nodes:
	  a: {loopback: [192.0.2.7/32]}
	  b: {}
	EOF
	run_n lab apply "$BATS_TEST_TMPDIR/lone.yaml"
	assert_success
	assert_equal "$output" "lone: 5 changes"
	assert_equal "$(ns_names)" "lone.a lone.b"
	for n in lone.a lone.b; do
		ip -n $n -j link show lo | jq -e '.[0].flags | index("UP")' >/dev/null
	done
	ping_from lone.a 192.0.2.7
	ping_from lone.b 127.0.0.1
	[ ! -e /run/netns/lone._switch ]
}

@test "lab apply: exec runs inside the node once the network is up, once; again when changed" {
	local out=$BATS_TEST_TMPDIR/exec.out
	lab_file ex <<-EOF
	version: 1
	name: ex
	nodes:
	  a:
	    exec:
	      - ip -o -4 addr show dev eth0 | awk '{print \$4}' >> $out
	      - "readlink /proc/self/ns/net >> $out"
	  b: {}
	links:
	  - a: {node: a, ifname: eth0, addresses: [203.0.113.1/30]}
	    b: {node: b, ifname: eth0, addresses: [203.0.113.2/30]}
	EOF
	run_n lab apply "$BATS_TEST_TMPDIR/ex.yaml"
	assert_success
	assert_equal "$(sed -n 1p "$out")" 203.0.113.1/30
	# the node's namespace, not ours
	assert_equal "$(sed -n 2p "$out")" "$(ip netns exec ex.a readlink /proc/self/ns/net)"
	[ "$(sed -n 2p "$out")" != "$(readlink /proc/self/ns/net)" ]
	run_n lab apply "$BATS_TEST_TMPDIR/ex.yaml"
	assert_equal "$output" "ex: up to date"
	[ "$(wc -l < "$out")" -eq 2 ]
	# a changed list runs again, whole
	sed -i 's/>> /> /' "$BATS_TEST_TMPDIR/ex.yaml"
	run_n lab apply -v "$BATS_TEST_TMPDIR/ex.yaml"
	assert_success
	assert_equal "$output" "$(printf 'ex.a: exec commands changed since they ran (2 commands)\nex: 1 change')"
	[ "$(wc -l < "$out")" -eq 1 ]
}

@test "lab apply: multi-line exec and quoting survive a dry run replayed by netnsctl -b" {
	can_batch || skip "no batch mode (netnsctl -b) in this build"
	local out=$BATS_TEST_TMPDIR/ml.out
	lab_file ml <<-EOF
	version: 1
	name: ml
	nodes:
	  a:
	    sysctls: {net.ipv4.tcp_rmem: "4096 87380 6291456"}
	    exec:
	      - |
	        echo "it's \$((1 + 1))" > $out
	        printf '%s\\\\n' 'back\\\\slash' >> $out
	EOF
	"$N" lab apply "$BATS_TEST_TMPDIR/ml.yaml" >/dev/null
	local want
	want=$(cat "$out")
	[ "$(ip netns exec ml.a sysctl -n net.ipv4.tcp_rmem)" = "$(printf '4096\t87380\t6291456')" ]
	"$N" lab destroy ml >/dev/null
	rm -f "$out"
	run_n lab apply --dry-run "$BATS_TEST_TMPDIR/ml.yaml"
	assert_success
	echo "$output" > "$BATS_TEST_TMPDIR/ml.batch"
	run_n -b "$BATS_TEST_TMPDIR/ml.batch"
	assert_success
	assert_equal "$(cat "$out")" "$want"
	[ "$(ip netns exec ml.a sysctl -n net.ipv4.tcp_rmem)" = "$(printf '4096\t87380\t6291456')" ]
}

@test "lab apply --dry-run: the plan as batch lines, nothing changed; netnsctl -b replays it" {
	run_n lab apply --dry-run "$EX/demo.yaml"
	assert_success
	assert_equal "$err" ""
	assert_equal "$(ns_names)" ""
	[ ! -e "$STATE/demo" ]
	[[ $output == "# lab demo ("*"): 25 changes; replay with netnsctl -b"* ]]
	local plan=$output
	for line in "add demo.r1" "add demo._switch" \
		"exec demo.r1 sysctl -qw net.ipv4.ip_forward=1" \
		"-n demo._switch link add lan address 32:3c:0a:ae:10:4e type bridge" \
		"-n demo._switch link set lan mtu 1500 up" \
		"link add eth1 mtu 9000 address 1a:7e:82:0a:7c:ef netns demo.r1 type veth peer name eth1 netns demo.r2 address 02:00:00:00:00:02" \
		"link add eth2 mtu 1500 address ce:7f:82:0a:7c:f0 netns demo.r1 type veth peer name lan-1 netns demo._switch address 82:a7:2b:6b:13:64" \
		"# write /etc/netns/demo.r1/hosts" \
		"-n demo._switch link set lan-1 master lan up" \
		"-n demo.r1 addr add 203.0.113.1/30 dev eth1" \
		"-n demo.h1 addr add 2001:db8:1::10/64 dev eth0 nodad" \
		"-n demo.r1 route add 203.0.113.128/25 via 203.0.113.2" \
		"-n demo.h1 route add 0.0.0.0/0 via 198.51.100.1" \
		"-n demo.r1 neigh replace 203.0.113.2 lladdr 02:00:00:00:00:02 dev eth1 nud permanent" \
		"exec demo.r1 sh -c 'sysctl -q net.ipv4.ip_forward'"; do
		grep -qxF -- "$line" <<< "$plan" || { echo "no line: $line"; return 1; }
	done
	# namespaces before anything inside them
	[ "$(grep -n '^add demo.r1$' <<< "$plan" | cut -d: -f1)" -lt \
	  "$(grep -n '^-n demo.r1 ' <<< "$plan" | head -1 | cut -d: -f1)" ]
	run_n -j lab apply --dry-run "$EX/demo.yaml"
	assert_success
	echo "$output" | jq -e '.changes == 25 and (.items | length) == 25 and
		all(.items[]; .action and (.cmd | length) > 0) and (.ready | length) == 1' >/dev/null

	can_batch || skip "no batch mode (netnsctl -b) in this build"
	echo "$plan" > "$BATS_TEST_TMPDIR/demo.batch"
	run_n -b "$BATS_TEST_TMPDIR/demo.batch"
	assert_success
	assert_equal "$(ns_names)" "demo._switch demo.h1 demo.r1 demo.r2"
	ping_from demo.h1 192.0.2.1
	[ "$(jfield -n demo.r2 eth1 address)" = 02:00:00:00:00:02 ]
	[ "$(ip netns exec demo.r1 sysctl -n net.ipv4.ip_forward)" = 1 ]
	# a replayed plan is not the lab's: no markers, no records
	[ "$(alias_of demo.r1 eth1)" = "" ]
	run_n lab apply "$EX/demo.yaml"
	assert_failure 1
	assert_one_error_line "$err"
}

@test "lab apply: a namespace with a node's name made with ip is not taken over" {
	ip netns add demo.r1
	local before
	before=$(snapshot)
	run_n lab apply "$EX/demo.yaml"
	assert_failure 1
	assert_one_error_line "$err"
	assert_equal "$err" "netnsctl: $EX/demo.yaml:6:3: namespace \"demo.r1\" exists, not made by the lab: lab \"demo\" does not take it over"
	assert_equal "$output" ""
	assert_equal "$(ns_names)" "demo.r1"
	assert_equal "$(snapshot)" "$before"
	[ ! -e "$STATE/demo" ]
	run_n lab diff "$EX/demo.yaml"
	assert_failure 1
	grep -qxF "demo.r1: namespace in the way: not made by the lab" <<< "$output"
	run_n lab destroy demo
	assert_failure 1
	assert_one_error_line "$err"
	assert_equal "$(ns_names)" "demo.r1"
}

@test "lab apply: a link with a lab's name that the lab did not make is not taken over" {
	"$N" lab apply --no-ready "$EX/demo.yaml" >/dev/null
	ip -n demo.r2 link del eth1
	ip -n demo.r2 link add eth1 type dummy 2>/dev/null ||
		ip -n demo.r2 link add eth1 type veth peer name other
	wait_for 600 settled demo.r1 demo.r2 demo.h1 demo._switch
	local before
	before=$(snapshot)
	run_n lab apply "$EX/demo.yaml"
	assert_failure 1
	assert_one_error_line "$err"
	[[ $err == *"demo.yaml:19:"*'link "eth1" exists in namespace "demo.r2", not made by the lab: lab "demo" does not take it over'* ]]
	assert_equal "$(snapshot)" "$before"
	ip -n demo.r2 link show eth1 >/dev/null
	[ "$(alias_of demo.r2 eth1)" = "" ]
}

@test "lab apply: an invalid or missing file, bad arguments: exit 2, nothing changed" {
	lab_file bad <<-'EOF'
	version: 1
	name: bad
	nodes:
	  r1: {routes: [{to: 198.51.100.0/24, via: 203.0.113.9}]}
	EOF
	run_n lab apply "$BATS_TEST_TMPDIR/bad.yaml"
	assert_failure 2
	assert_one_error_line "$err"
	[[ $err == *"bad.yaml:4:44: gateway 203.0.113.9 is not in a subnet of any interface of node \"r1\""* ]]
	run_n lab apply "$BATS_TEST_TMPDIR/nonexistent.yaml"
	assert_failure 2
	assert_one_error_line "$err"
	run_n lab apply
	assert_failure 2
	assert_equal "$err" "netnsctl: lab apply: missing FILE"
	run_n lab apply --frob "$EX/demo.yaml"
	assert_failure 2
	assert_equal "$err" 'netnsctl: lab apply: unknown option "--frob"'
	run_n lab apply "$EX/demo.yaml" "$EX/star.yaml"
	assert_failure 2
	assert_one_error_line "$err"
	run_n -n x lab apply "$EX/demo.yaml"
	assert_failure 2
	assert_one_error_line "$err"
	assert_equal "$(ns_names)" ""
	[ ! -e /run/netnsctl ]
}

@test "lab apply: from standard input" {
	run_n lab apply - < "$EX/star.yaml"
	assert_success
	assert_equal "$output" "star: 30 changes, ready"
	run_n -j lab list
	assert_equal "$(echo "$output" | jq -r '.[0].file')" "<stdin>"
	run_n lab apply - < "$EX/star.yaml"
	assert_equal "$output" "star: up to date"
}

@test "lab apply: a failing exec command fails the apply, names node and line; made things stay recorded" {
	lab_file fx <<-'EOF'
	version: 1
	name: fx
	nodes:
	  a:
	    exec: ["true", "echo to stdout; exit 3", "touch /never"]
	  b: {}
	links:
	  - a: {node: a, ifname: eth0, addresses: [203.0.113.1/30]}
	    b: {node: b, ifname: eth0}
	EOF
	run_n lab apply "$BATS_TEST_TMPDIR/fx.yaml"
	assert_failure 1
	assert_one_error_line "$err"
	assert_equal "$err" "netnsctl: $BATS_TEST_TMPDIR/fx.yaml:5:20: exec in node \"a\": \"echo to stdout; exit 3\" exited with status 3"
	assert_equal "$output" "to stdout"
	[ ! -e /never ]
	assert_equal "$(ns_names)" "fx.a fx.b"
	run_n lab list
	assert_equal "$output" "fx: 2 namespaces, incomplete, $BATS_TEST_TMPDIR/fx.yaml"
	# the next apply goes on from there: only the commands are left
	run_n lab diff "$BATS_TEST_TMPDIR/fx.yaml"
	assert_equal "$output" "fx.a: exec commands not run (3 commands)"
	run_n lab destroy fx
	assert_success
	assert_equal "$(ns_names)" ""
}

@test "lab apply: a ready check that never answers fails after its timeout; --no-ready skips it" {
	lab_file rd <<-'EOF'
	version: 1
	name: rd
	nodes:
	  a: {}
	  b: {}
	links:
	  - a: {node: a, ifname: eth0, addresses: [203.0.113.1/24]}
	    b: {node: b, ifname: eth0, addresses: [203.0.113.2/24]}
	ready:
	  - {from: a, ping: 203.0.113.2, timeout: 5}
	  - {from: b, ping: 203.0.113.9, timeout: 1}
	EOF
	local t0=$SECONDS
	run_n lab apply "$BATS_TEST_TMPDIR/rd.yaml"
	assert_failure 1
	assert_one_error_line "$err"
	assert_equal "$err" "netnsctl: $BATS_TEST_TMPDIR/rd.yaml:11:5: ready: node \"b\" cannot ping 203.0.113.9: no node on the link of node \"b\" eth0 has 203.0.113.9"
	[ $((SECONDS - t0)) -lt 15 ]
	run_n lab list
	[[ $output == "rd: 2 namespaces, incomplete,"* ]]
	# nothing left to make, but the checks run again (and fail again)
	run_n lab apply "$BATS_TEST_TMPDIR/rd.yaml"
	assert_failure 1
	run_n lab apply --no-ready "$BATS_TEST_TMPDIR/rd.yaml"
	assert_success
	assert_equal "$output" "rd: up to date"
	sed -i 's/203.0.113.9/203.0.113.1/' "$BATS_TEST_TMPDIR/rd.yaml"
	run_n lab apply "$BATS_TEST_TMPDIR/rd.yaml"
	assert_success
	assert_equal "$output" "rd: up to date"
}

@test "lab apply: a sysctl the kernel refuses fails the step, with its line" {
	lab_file sc <<-'EOF'
	version: 1
	name: sc
	nodes:
	  a:
	    sysctls: {net.ipv4.ip_forward: 1, net.ipv4.conf.all.forwarding: x}
	EOF
	run_n lab apply "$BATS_TEST_TMPDIR/sc.yaml"
	assert_failure 1
	assert_one_error_line "$err"
	assert_equal "$err" "netnsctl: $BATS_TEST_TMPDIR/sc.yaml:5:39: set sysctl net.ipv4.conf.all.forwarding=x in sc.a (step 3 of 4): Invalid argument"
	[ "$(ip netns exec sc.a sysctl -n net.ipv4.ip_forward)" = 1 ]
	[ "$(sysctl -n net.ipv4.ip_forward)" = 0 ]
	run_n lab destroy sc
	assert_success
}

@test "lab apply: a request the kernel refuses names the step and the file's place" {
	lab_file k <<-'EOF'
	version: 1
	name: k
	defaults:
	  sysctls: {net.ipv6.conf.default.disable_ipv6: 1}
	nodes:
	  a: {}
	  b: {}
	links:
	  - a: {node: a, ifname: eth0, addresses: ["2001:db8::1/64"]}
	    b: {node: b, ifname: eth0, addresses: ["2001:db8::2/64"]}
	EOF
	run_n lab apply "$BATS_TEST_TMPDIR/k.yaml"
	assert_failure 1
	assert_one_error_line "$err"
	assert_equal "$err" "netnsctl: $BATS_TEST_TMPDIR/k.yaml:9:44: add address 2001:db8::1/64 to k.a eth0 (step 6 of 9): addr add \"2001:db8::1/64\" dev \"eth0\": Permission denied (kernel: ipv6: IPv6 is disabled on this device)"
	# made so far: recorded, and removed by destroy
	records k link | grep -q "^link k.a eth0 "
	run_n lab destroy k
	assert_success
	assert_equal "$output" "k: destroyed (2 namespaces)"
	assert_equal "$(ns_names)" ""
}

@test "lab apply: killed half-way, what it made is recorded and destroy removes it" {
	local fifo=$BATS_TEST_TMPDIR/fifo
	mkfifo "$fifo"
	lab_file kill <<-EOF
	version: 1
	name: kill
	nodes:
	  a: {exec: ["cat $fifo > /dev/null"]}
	  b: {}
	links:
	  - a: {node: a, ifname: eth0}
	    b: {node: b, ifname: eth0}
	EOF
	"$N" lab apply "$BATS_TEST_TMPDIR/kill.yaml" >/dev/null 2>&1 3>&- &
	local pid=$!
	wait_for 200 pgrep -f "cat $fifo"
	# the apply holds the lab's lock: list does not wait for it
	run timeout 5 "$N" lab list
	assert_success
	assert_equal "$output" "kill: 2 namespaces, incomplete, $BATS_TEST_TMPDIR/kill.yaml"
	kill -9 "$pid"
	wait_pids "$pid" || true
	echo > "$fifo"
	[ -s "$STATE/kill/journal" ]
	run_n lab list
	assert_equal "$output" "kill: 2 namespaces, incomplete, $BATS_TEST_TMPDIR/kill.yaml"
	run_n lab destroy kill
	assert_success
	assert_equal "$output" "kill: destroyed (2 namespaces)"
	assert_equal "$(ns_names)" ""
}

@test "lab apply: two applies at once of one lab: one makes it, the other waits and finds it up to date" {
	"$N" lab apply --no-ready "$EX/star.yaml" > "$BATS_TEST_TMPDIR/o1" 2>&1 3>&- &
	local p1=$!
	"$N" lab apply --no-ready "$EX/star.yaml" > "$BATS_TEST_TMPDIR/o2" 2>&1 3>&- &
	local p2=$!
	wait_pids "$p1" "$p2"
	assert_equal "$(sort "$BATS_TEST_TMPDIR/o1" "$BATS_TEST_TMPDIR/o2")" \
		"$(printf 'star: 30 changes\nstar: up to date')"
	run_n lab diff "$EX/star.yaml"
	assert_success
}

@test "lab apply -j: the changes made, each done" {
	run_n -j lab apply --no-ready "$EX/chain.yaml"
	assert_success
	echo "$output" | jq -e '.name == "chain" and .up_to_date == false and .changes == 42 and
		.ready == false and (.items | length) == 42 and all(.items[]; .done and .action)' >/dev/null
	echo "$output" | jq -e '.items[0] == {"netns": "chain.r1", "kind": "namespace",
		"change": "missing", "line": 15, "column": 3, "action": true, "done": true}' >/dev/null
}

@test "lab apply: the state dir follows NETNSCTL_STATE_DIR, and the run dir's parent" {
	NETNSCTL_STATE_DIR=$BATS_TEST_TMPDIR/st run_n lab apply --no-ready "$EX/star.yaml"
	assert_success
	[ -f "$BATS_TEST_TMPDIR/st/star/state" ]
	[ "$(stat -c %a "$BATS_TEST_TMPDIR/st/star")" = 700 ]
	[ ! -e "$STATE/star" ]
	NETNSCTL_STATE_DIR=$BATS_TEST_TMPDIR/st run_n lab destroy star
	assert_success
	mkdir -p "$BATS_TEST_TMPDIR/rd/netns"
	run_n --run-dir "$BATS_TEST_TMPDIR/rd/netns" lab apply --no-ready "$EX/star.yaml"
	assert_success
	[ -f "$BATS_TEST_TMPDIR/rd/netnsctl/labs/star/state" ]
	run_n --run-dir "$BATS_TEST_TMPDIR/rd/netns" lab destroy star
	assert_success
	umount "$BATS_TEST_TMPDIR/rd/netns" 2>/dev/null || true
}

@test "lab apply: more namespaces than the fd limit would hold open at once" {
	{
		printf 'version: 1\nname: big\ndefaults: {sysctls: {net.ipv4.ip_forward: 1}}\nnodes:\n'
		for i in $(seq 1 150); do
			printf '  n%d: {routes: [{to: default, via: 198.18.0.1}]}\n' "$i"
		done
		printf '  gw: {}\nbridges:\n  hub: {}\nlinks:\n'
		printf '  - {a: {node: gw, ifname: eth0, addresses: [198.18.0.1/16]}, b: {bridge: hub}}\n'
		for i in $(seq 1 150); do
			printf '  - {a: {node: n%d, ifname: eth0, addresses: [198.18.1.%d/16]}, b: {bridge: hub}}\n' "$i" "$i"
		done
	} > "$BATS_TEST_TMPDIR/big.yaml"
	run bash -c "ulimit -n 64 && '$N' lab apply --no-ready '$BATS_TEST_TMPDIR/big.yaml'"
	assert_success
	assert_equal "$output" "big: 907 changes"
	run bash -c "ulimit -n 64 && '$N' lab apply '$BATS_TEST_TMPDIR/big.yaml' && '$N' lab diff '$BATS_TEST_TMPDIR/big.yaml'"
	assert_success
	assert_equal "$output" "big: up to date"
	[ "$(ip netns exec big.n150 sysctl -n net.ipv4.ip_forward)" = 1 ]
	ping_from big.n150 198.18.1.1
	run bash -c "ulimit -n 64 && '$N' lab destroy big"
	assert_success
	assert_equal "$output" "big: destroyed (152 namespaces)"
}
