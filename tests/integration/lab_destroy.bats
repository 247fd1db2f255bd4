#!/usr/bin/env bats
# lab destroy and apply --prune remove exactly what the lab made (recorded,
# and still the same object); lab list, show, graph, exec and gc.

load helpers

@test "lab destroy NAME: the lab's namespaces go, nothing else; its state too" {
	ip netns add bystander
	ip netns add demo.zz
	"$N" lab apply --no-ready "$EX/demo.yaml" >/dev/null
	"$N" lab apply --no-ready "$EX/star.yaml" >/dev/null
	run_n lab destroy demo
	assert_success
	assert_equal "$output" "demo: destroyed (4 namespaces)"
	assert_equal "$err" "netnsctl: warning: demo.zz: left alone: not made by the lab"
	assert_equal "$(ns_names)" "bystander demo.zz star._switch star.h1 star.h2 star.h3 star.h4"
	[ ! -e "$STATE/demo" ]
	run_n lab list
	assert_equal "$output" "star: 5 namespaces, complete, $(realpath "$EX/star.yaml")"
	nothing_here
	# gone: destroying again says so
	run_n lab destroy demo
	assert_failure 1
	assert_equal "$err" 'netnsctl: lab "demo": no state here (it was never applied, or was destroyed already)'
}

@test "lab destroy: works without the file, and from the file" {
	cp "$EX/chain.yaml" "$BATS_TEST_TMPDIR/c.yaml"
	"$N" lab apply --no-ready "$BATS_TEST_TMPDIR/c.yaml" >/dev/null
	rm "$BATS_TEST_TMPDIR/c.yaml"
	run_n lab destroy chain
	assert_success
	assert_equal "$output" "chain: destroyed (3 namespaces)"
	assert_equal "$err" ""
	assert_equal "$(ns_names)" ""
	"$N" lab apply --no-ready "$EX/two-bridges.yaml" >/dev/null
	run_n -j lab destroy "$EX/two-bridges.yaml"
	assert_success
	assert_equal "$output" '{"name":"two-bridges","deleted":5,"left_alone":[],"holders":0}'
	assert_equal "$(ns_names)" ""
}

@test "lab destroy: a namespace made again under the lab's name is left alone" {
	"$N" lab apply --no-ready "$EX/demo.yaml" >/dev/null
	ip netns del demo.r2
	ip netns add demo.r2
	local ino
	ino=$(stat -L -c %i /run/netns/demo.r2)
	run_n lab destroy demo
	assert_success
	assert_equal "$output" "demo: destroyed (3 namespaces)"
	assert_equal "$err" "netnsctl: warning: demo.r2: left alone: replaced since the lab made it"
	assert_equal "$(ns_names)" "demo.r2"
	[ "$(stat -L -c %i /run/netns/demo.r2)" = "$ino" ]
}

@test "lab destroy: processes still inside are counted in a warning" {
	"$N" lab apply --no-ready "$EX/star.yaml" >/dev/null
	ip netns exec star.h1 sleep 60 3>&- &
	local pid=$!
	wait_for 100 has_pids star.h1
	run_n lab destroy star
	assert_success
	assert_equal "$err" 'netnsctl: warning: lab "star": 1 process still inside keeps its namespaces alive'
	kill "$pid"
	wait_pids "$pid" || true
	assert_equal "$(ns_names)" ""
}

@test "lab destroy: bad names and missing labs" {
	run_n lab destroy
	assert_failure 2
	assert_equal "$err" "netnsctl: lab destroy: missing FILE or NAME"
	run_n lab destroy 'a b'
	assert_failure 2
	assert_equal "$err" 'netnsctl: lab destroy: no file or lab "a b"'
	run_n lab destroy never
	assert_failure 1
	assert_one_error_line "$err"
	echo "not: [a lab" > "$BATS_TEST_TMPDIR/broken.yaml"
	run_n lab destroy "$BATS_TEST_TMPDIR/broken.yaml"
	assert_failure 2
	assert_one_error_line "$err"
}

@test "lab apply --prune: what the file no longer has and the lab made goes; nothing else" {
	"$N" lab apply --no-ready "$EX/demo.yaml" >/dev/null
	# not the lab's: an address and a route added with ip stay
	ip -n demo.r1 addr add 192.0.2.99/32 dev lo
	ip -n demo.h1 route add 198.18.0.0/15 via 198.51.100.1
	# the file loses r2, the r1-r2 link, r1's route and neighbour, h1's IPv6
	demo_without_r2 -e 's/, "2001:db8:1::10\/64"//' > "$BATS_TEST_TMPDIR/small.yaml"
	"$N" lab validate "$BATS_TEST_TMPDIR/small.yaml" >/dev/null
	# without --prune: nothing removed (the hosts files of r1 and h1 name
	# what the file has: rewritten)
	run_n lab apply "$BATS_TEST_TMPDIR/small.yaml"
	assert_success
	assert_equal "$output" "demo: 2 changes, ready"
	assert_equal "$(ns_names)" "demo._switch demo.h1 demo.r1 demo.r2"
	run_n lab apply --dry-run --prune "$BATS_TEST_TMPDIR/small.yaml"
	assert_success
	assert_equal "$(grep -v '^#' <<< "$output")" "$(cat <<-'EOF'
	-n demo.h1 addr del 2001:db8:1::10/64 dev eth0
	-n demo.r1 link del eth1
	delete demo.r2
	exec demo.h1 timeout 5 sh -c 'until ping -c1 -W1 -q 192.0.2.1 >/dev/null 2>&1; do sleep 0.1; done'
	EOF
	)"
	assert_equal "$(ns_names)" "demo._switch demo.h1 demo.r1 demo.r2"
	run_n lab apply -v --prune "$BATS_TEST_TMPDIR/small.yaml"
	assert_success
	assert_equal "$output" "$(cat <<-'EOF'
	demo.h1 eth0: extra address 2001:db8:1::10/64 (made by the lab)
	demo.r2: extra hosts /etc/netns/demo.r2/hosts (made by the lab)
	demo.r1 eth1: extra link veth (made by the lab)
	demo.r2: extra namespace (made by the lab)
	demo: 4 changes, ready
	EOF
	)"
	assert_equal "$(ns_names)" "demo._switch demo.h1 demo.r1"
	run ip -n demo.r1 link show eth1
	assert_failure
	assert_equal "$(addrs_of demo.h1 eth0)" "198.51.100.10/24"
	assert_equal "$(addrs_of demo.r1 lo)" "127.0.0.1/8 192.0.2.1/32 192.0.2.99/32 ::1/128"
	ip -n demo.h1 route show 198.18.0.0/15 | grep -q "via 198.51.100.1"
	ip -n demo.r1 route show 203.0.113.128/25 | grep -qv . || true
	[ -z "$(ip -n demo.r1 route show 203.0.113.128/25)" ]
	ping_from demo.h1 192.0.2.1
	run_n lab diff "$BATS_TEST_TMPDIR/small.yaml"
	assert_failure 1
	assert_equal "$output" "$(cat <<-'EOF'
	demo.r1 lo: extra address 192.0.2.99/32 (not made by the lab)
	demo.h1: extra route 198.18.0.0/15 via 198.51.100.1 dev eth0 (not made by the lab)
	EOF
	)"
	# and back: the full file makes them again
	run_n lab apply "$EX/demo.yaml"
	assert_success
	ping_from demo.r1 203.0.113.2
}

@test "lab apply --prune: a namespace replaced since the lab made it is not removed" {
	"$N" lab apply --no-ready "$EX/demo.yaml" >/dev/null
	ip netns del demo.r2
	ip netns add demo.r2
	demo_without_r2 > "$BATS_TEST_TMPDIR/small.yaml"
	run_n lab apply --prune "$BATS_TEST_TMPDIR/small.yaml"
	assert_success
	[ -e /run/netns/demo.r2 ]
	# the r1 end whose peer died with the old demo.r2 was the lab's: it went
	run ip -n demo.r1 link show eth1
	assert_failure
}

@test "lab list, show: labs with state, their objects and what exists" {
	run_n lab list
	assert_success
	assert_equal "$output" ""
	run_n -j lab list
	assert_equal "$output" "[]"
	"$N" lab apply --no-ready "$EX/demo.yaml" >/dev/null
	"$N" lab apply --no-ready - < "$EX/star.yaml" >/dev/null
	run_n lab list
	assert_equal "$output" "$(printf 'demo: 4 namespaces, complete, %s\nstar: 5 namespaces, complete, <stdin>' "$(realpath "$EX/demo.yaml")")"
	run_n -j lab list
	echo "$output" | jq -e '.[0] == {"name": "demo", "file": "'"$(realpath "$EX/demo.yaml")"'",
		"state": "complete", "namespaces": 4, "links": 7}' >/dev/null
	ip -n demo.r2 link del eth1
	run_n lab show demo
	assert_success
	assert_equal "$(sed -n 1,5p <<< "$output")" "$(cat <<-EOF
	lab demo ($(realpath "$EX/demo.yaml")): applied
	node r1 (demo.r1): present
	  lo 192.0.2.1/32
	  eth1 203.0.113.1/30 -> r2 eth1 mtu 9000: absent
	  eth2 198.51.100.1/24 -> bridge lan (lan-1) mtu 1500: present
	EOF
	)"
	grep -qxF "  route 203.0.113.128/25 via 203.0.113.2" <<< "$output"
	grep -qxF "  lan-2 -> h1 eth0: present" <<< "$output"
	grep -qxF "ready: h1 pings 192.0.2.1 (within 5 s)" <<< "$output"
	run_n -j lab show demo
	assert_success
	echo "$output" | jq -e '.name == "demo" and .state == "complete" and
		(.nodes | length) == 3 and .nodes[0].exists == "present" and
		.nodes[0].interfaces[0] == {"ifname": "eth1", "exists": "absent",
			"addresses": ["203.0.113.1/30"], "mac": "1a:7e:82:0a:7c:ef",
			"mac_derived": true, "mtu": 9000,
			"peer": {"node": "r2", "netns": "demo.r2", "ifname": "eth1"}} and
		.nodes[1].interfaces[0].mac == "02:00:00:00:00:02" and
		.bridges[0].ports[1].peer == {"node": "h1", "netns": "demo.h1", "ifname": "eth0"} and
		.links[0].mtu == 9000 and .ready[0] == {"from": "h1", "ping": "192.0.2.1", "timeout": 5}' \
		>/dev/null
	# a file never applied: its objects, none there
	run_n -j lab show "$EX/chain.yaml"
	assert_success
	echo "$output" | jq -e '.state == null and all(.nodes[]; .exists == "absent")' >/dev/null
	# someone else's namespace with a node's name
	ip netns add chain.r1
	run_n -j lab show "$EX/chain.yaml"
	echo "$output" | jq -e '.nodes[0].exists == "foreign"' >/dev/null
	run_n lab show nolab
	assert_failure 1
	assert_one_error_line "$err"
}

@test "lab graph: DOT that dot -Tsvg takes, with nodes, bridges, interfaces and addresses" {
	command -v dot >/dev/null || skip "graphviz (dot) not installed"
	run_n lab graph "$EX/demo.yaml"
	assert_success
	[[ $output == 'graph "demo" {'* ]]
	grep -qF '"node:r1" [shape=box, label="r1\ndemo.r1\nlo 192.0.2.1/32"];' <<< "$output"
	grep -qF '"bridge:lan" [shape=ellipse' <<< "$output"
	grep -qF '"node:r1" -- "node:r2" [taillabel="eth1\n203.0.113.1/30", headlabel="eth1\n203.0.113.2/30", label="mtu 9000"];' <<< "$output"
	grep -qF '"node:h1" -- "bridge:lan" [taillabel="eth0\n198.51.100.10/24\n2001:db8:1::10/64", headlabel="lan-2"' <<< "$output"
	echo "$output" | dot -Tsvg > "$BATS_TEST_TMPDIR/demo.svg"
	grep -q "<svg" "$BATS_TEST_TMPDIR/demo.svg"
	for f in "$EX"/*.yaml; do
		"$N" lab graph "$f" | dot -Tsvg >/dev/null
	done
	# by name, from the state's copy
	"$N" lab apply --no-ready "$EX/star.yaml" >/dev/null
	run_n lab graph star
	assert_success
	echo "$output" | dot -Tsvg >/dev/null
	run_n -j lab graph star
	assert_failure 2
	assert_one_error_line "$err"
}

@test "lab exec: runs in the node as exec does, with its exit status" {
	"$N" lab apply --no-ready "$EX/demo.yaml" >/dev/null
	run_n lab exec demo r1 readlink /proc/self/ns/net
	assert_success
	assert_equal "$output" "$(ip netns exec demo.r1 readlink /proc/self/ns/net)"
	run_n lab exec demo r2 ip -br link show eth1
	assert_success
	[[ $output == eth1@* ]]
	run_n lab exec demo r1 sh -c 'exit 7'
	assert_failure 7
	run_n lab exec demo r1 /no/such/command
	assert_failure 127
	assert_one_error_line "$err"
	run_n lab exec demo nosuch true
	assert_failure 125
	assert_equal "$err" 'netnsctl: lab exec: lab "demo" has no node "nosuch"'
	run_n lab exec nolab r1 true
	assert_failure 125
	assert_one_error_line "$err"
	run_n lab exec demo r1
	assert_failure 125
	assert_equal "$err" "netnsctl: lab exec: expected NAME NODE CMD [ARG...]"
	run_n lab exec -x demo r1 true
	assert_failure 125
	assert_one_error_line "$err"
	run_n lab exec demo ../x true
	assert_failure 125
	assert_one_error_line "$err"
}

@test "lab gc: the state of an earlier boot goes; a current one stays" {
	"$N" lab apply --no-ready "$EX/demo.yaml" >/dev/null
	"$N" lab apply --no-ready "$EX/star.yaml" >/dev/null
	sed -i 's/^boot .*/boot 00000000-0000-0000-0000-000000000000/' "$STATE/star/state"
	run_n lab list
	grep -qxF "star: 5 namespaces, from an earlier boot, $(realpath "$EX/star.yaml")" <<< "$output"
	# records of an earlier boot identify nothing: diff says so
	run_n lab diff star
	assert_failure 1
	grep -qxF "star.h1: namespace in the way: recorded in an earlier boot (see lab gc)" <<< "$output"
	run_n lab gc
	assert_success
	assert_equal "$output" "star: state from an earlier boot removed"
	[ ! -e "$STATE/star" ]
	[ -e "$STATE/demo/state" ]
	# what had its names is not touched by gc
	[ -e /run/netns/star.h1 ]
	run_n -j lab gc
	assert_success
	assert_equal "$output" "[]"
	run_n lab gc extra
	assert_failure 2
	assert_one_error_line "$err"
}

@test "lab: usage" {
	run_n lab
	assert_failure 2
	assert_equal "$err" "netnsctl: lab: missing command (try: netnsctl lab -h)"
	run_n lab frob
	assert_failure 2
	assert_one_error_line "$err"
	run_n lab -h
	assert_success
	for c in validate apply diff destroy list show graph exec gc; do
		run_n lab "$c" -h
		assert_success
		[[ $output == "Usage: netnsctl "*"lab $c"* ]] || { echo "$c: $output"; return 1; }
	done
	run_n lab list x
	assert_failure 2
	assert_equal "$err" 'netnsctl: lab list: unexpected argument "x"'
}
