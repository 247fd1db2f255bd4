#!/usr/bin/env bats
# veth add|del|show: pairs across namespaces.

load helpers

# ip's index of the peer, and the index of the peer itself, agree.
peers_of() { # NS1 DEV1 NS2 DEV2 ("" for the caller's namespace)
	local n1=() n2=()
	[ -z "$1" ] || n1=(-n "$1")
	[ -z "$3" ] || n2=(-n "$3")
	local l1 l2 i1 i2
	l1=$(ip "${n1[@]}" -j link show "$2" | jq -r '.[0].link_index // .[0].link')
	l2=$(ip "${n2[@]}" -j link show "$4" | jq -r '.[0].link_index // .[0].link')
	i1=$(ip "${n1[@]}" -j link show "$2" | jq -r '.[0].ifindex')
	i2=$(ip "${n2[@]}" -j link show "$4" | jq -r '.[0].ifindex')
	if [ "$1" = "$3" ]; then
		[ "$l1" = "$4" ] && [ "$l2" = "$2" ]
	else
		[ "$l1" = "$i2" ] && [ "$l2" = "$i1" ]
	fi
}

@test "veth add NAME peer PEER: both ends here" {
	run_n veth add v1 peer v1p
	assert_success
	[ -z "$err" ]
	peers_of "" v1 "" v1p
}

@test "veth add NAME netns NS peer PEER netns NS2: each end in its namespace" {
	"$N" add ns1 ns2
	run_n veth add v1 netns ns1 peer v1p netns ns2
	assert_success
	peers_of ns1 v1 ns2 v1p
	! ip link show v1 2>/dev/null
	! ip link show v1p 2>/dev/null
	! ip -n ns2 link show v1 2>/dev/null
	# -n: the request goes there; ends without netns stay there
	run_n -n ns1 veth add x peer y netns ns2
	assert_success
	peers_of ns1 x ns2 y
	run_n -n ns1 veth add p peer name q mtu 1400
	assert_success
	peers_of ns1 p ns1 q
	[ "$(jfield -n ns1 p mtu)" = 1400 ]
	[ "$(jfield -n ns1 q mtu)" = 1400 ]
}

@test "veth add sends one RTM_NEWLINK" {
	command -v strace >/dev/null || skip "strace not installed"
	"$N" add ns1 ns2
	traced strace -f -e trace=sendto,sendmsg -o "$BATS_TEST_TMPDIR/trace" \
		"$N" veth add v1 netns ns1 peer v1p netns ns2
	[ "$(grep -c RTM_NEWLINK "$BATS_TEST_TMPDIR/trace")" -eq 1 ]
	peers_of ns1 v1 ns2 v1p
}

@test "veth add: neither end ever shows up in the namespace the request went to" {
	"$N" add ns1 ns2
	mon="$BATS_TEST_TMPDIR/mon"
	ip link add mark0 type bridge
	# ip's monitor is not line-buffered into a file
	stdbuf -oL ip -o monitor link >"$mon" 3>&- &
	pid=$!
	# markers before and after, so we know the monitor saw the whole window:
	# poke mark0 until the monitor (once subscribed) reports it
	for i in $(seq 1 100); do
		ip link set mark0 mtu $((1000 + i))
		! grep -q mark0 "$mon" || break
		sleep 0.05
	done
	grep -q mark0 "$mon"
	"$N" veth add v1 netns ns1 peer v1p netns ns2
	ip link add mark1 type bridge
	wait_for 100 grep -q mark1 "$mon"
	kill "$pid"
	wait_pids "$pid" || true
	! grep -E 'v1(p)?[@:]' "$mon"
	peers_of ns1 v1 ns2 v1p
}

@test "veth add that fails leaves neither end behind" {
	"$N" add ns1 ns2
	ip -n ns2 link add taken type bridge
	ip -n ns1 link add busy type bridge
	ip link add here type bridge
	before=$(snapshot)

	run_n veth add v1 netns ns1 peer taken netns ns2
	assert_equal "$status" 1
	assert_one_error_line "$err"
	assert_equal "$err" 'netnsctl: veth add "v1": device "taken" already exists in netns "ns2"'
	assert_equal "$(snapshot)" "$before"

	run_n veth add busy netns ns1 peer v1p netns ns2
	assert_equal "$err" 'netnsctl: veth add "busy": device "busy" already exists in netns "ns1"'
	assert_equal "$(snapshot)" "$before"

	# a name is taken or free where its end goes, not where the request goes
	run_n veth add here netns ns1 peer taken netns ns2
	assert_equal "$err" 'netnsctl: veth add "here": device "taken" already exists in netns "ns2"'
	assert_equal "$(snapshot)" "$before"
	run_n veth add here netns ns1 peer v1p netns ns2
	assert_success
	"$N" -n ns1 veth del here

	run_n veth add v1 netns ns1 peer v1p netns nons
	assert_equal "$status" 1
	assert_equal "$err" 'netnsctl: veth add "v1": netns "nons": no such namespace'

	run_n veth add v1 netns ns1 peer v1p netns ns2 mtu 10
	assert_equal "$status" 1
	assert_one_error_line "$err"
	[[ $err == 'netnsctl: veth add "v1": Invalid argument'* ]]

	run_n -n nons veth add v1 peer v1p
	assert_equal "$status" 1
	assert_one_error_line "$err"
	assert_equal "$(snapshot)" "$before"
	[ "$(ip -o link show type veth | wc -l)" -eq 0 ]
}

@test "veth del removes both ends, wherever the peer is" {
	"$N" add ns1 ns2
	"$N" veth add v1 netns ns1 peer v1p netns ns2
	"$N" veth add a peer b
	run_n -n ns1 veth del v1
	assert_success
	! ip -n ns1 link show v1 2>/dev/null
	! ip -n ns2 link show v1p 2>/dev/null
	run_n veth delete dev b
	assert_success
	[ "$(ip -o link show type veth | wc -l)" -eq 0 ]
}

@test "veth del: a missing or non-veth device is an error and nothing goes" {
	"$N" add ns1
	ip link add br0 type bridge
	before=$(snapshot)
	run_n veth del br0
	assert_equal "$status" 1
	assert_equal "$err" 'netnsctl: veth del "br0": not a veth (bridge)'
	run_n -n ns1 veth del nope
	assert_equal "$status" 1
	assert_equal "$err" 'netnsctl: veth del "nope": device "nope" not found in netns "ns1"'
	assert_equal "$(snapshot)" "$before"
}

@test "veth show: ends, peers and the peers' namespaces" {
	"$N" add ns1 ns2
	"$N" veth add v1 netns ns1 peer v1p netns ns2
	"$N" veth add x peer xp netns ns1
	"$N" -n ns1 veth add a peer b
	ip link add br0 type bridge

	run_n -n ns1 veth show
	assert_success
	# order is the kernel's: compare sorted
	assert_equal "$(echo "$output" | sort)" "$(printf '%-16s %-14s %s\n' v1 DOWN 'peer v1p netns ns2' \
		xp DOWN "peer x netnsid $(jfield -n ns1 xp link_netnsid)" \
		b DOWN 'peer a' a DOWN 'peer b' | sort)"
	run_n veth
	assert_output "$(printf '%-16s %-14s %s' x DOWN 'peer xp netns ns1')"
	run_n veth list
	assert_output "$(printf '%-16s %-14s %s' x DOWN 'peer xp netns ns1')"
}

@test "veth show -j: our shape, with values ip agrees with" {
	"$N" add ns1 ns2
	"$N" veth add v1 netns ns1 peer v1p netns ns2
	"$N" veth add x peer xp netns ns1
	"$N" -n ns1 veth add a peer b
	run_n -n ns1 -j veth show
	assert_success
	has_keys "$output" ifindex ifname netns operstate mtu peer_ifindex peer peer_netns
	# across namespaces: ip's link_index and link_netnsid, the peer's name there
	v1=$(echo "$output" | jq -c '.[] | select(.ifname == "v1")')
	[ "$(echo "$v1" | jq -r .netns)" = ns1 ]
	[ "$(echo "$v1" | jq -r .peer)" = v1p ]
	[ "$(echo "$v1" | jq -r .peer_netns)" = ns2 ]
	[ "$(echo "$v1" | jq -r .peer_ifindex)" = "$(jfield -n ns1 v1 link_index)" ]
	[ "$(echo "$v1" | jq -r .peer_ifindex)" = "$(jfield -n ns2 v1p ifindex)" ]
	[ "$(echo "$v1" | jq -r .peer_netnsid)" = "$(jfield -n ns1 v1 link_netnsid)" ]
	# the peer in the caller's namespace, which has no name: null, with the id
	xp=$(echo "$output" | jq -c '.[] | select(.ifname == "xp")')
	[ "$(echo "$xp" | jq -c '[.peer, .peer_netns, .peer_netnsid]')" = \
		"[\"x\",null,$(jfield -n ns1 xp link_netnsid)]" ]
	# both ends here: the peer's namespace is this one, no id
	a=$(echo "$output" | jq -c '.[] | select(.ifname == "a")')
	[ "$(echo "$a" | jq -c '[.peer, .peer_netns, has("peer_netnsid")]')" = '["b","ns1",false]' ]
	# ifindex, ifname, operstate, mtu: ip's values
	same_as_ip "$(echo "$output" | jq -c '[.[] | {ifindex, ifname, operstate, mtu}]')" \
		"$(ip -n ns1 -j link show type veth)"
	run_n -j veth show x
	[ "$(echo "$output" | jq -c '.[0] | [.netns, .peer, .peer_netns]')" = '[null,"xp","ns1"]' ]
}

@test "veth show DEV: one end; a non-veth or missing one is an error" {
	"$N" add ns1
	"$N" veth add x peer xp netns ns1
	ip link add br0 type bridge
	run_n veth show dev x
	assert_success
	[ "$(echo "$output" | wc -l)" -eq 1 ]
	run_n veth show br0
	assert_equal "$status" 1
	assert_equal "$err" 'netnsctl: device "br0" is not a veth'
	run_n -n ns1 veth show nope
	assert_equal "$status" 1
	assert_equal "$err" 'netnsctl: device "nope" not found in netns "ns1"'
}

@test "veth: usage errors exit 2 with one line, nothing is made" {
	"$N" add ns1
	before=$(snapshot)
	usage_errors veth <<'EOF'
frob
add
add v1
add v1 peer
add v1 peer p q
add v1 peer p netns
add v1 netns ns1 netns ns1 peer p
add v1 peer p netns ns1 netns ns1
add v1 peer p peer q
add v1 peer p mtu 0
add v1 peer p mtu 99999999999
add v1 peer p mtu 1400 mtu 1400
add abcdefghijklmnop peer p
add v1 peer a/b
add v1 peer p netns ../x
add v1 name v2 peer p
add v1 peer v1
add v1 netns ns1 peer v1 netns ns1
del
del a b
del a/b
show a b
show dev
EOF
	run_n -n ns1 veth add v1 peer v1
	assert_equal "$status" 2
	assert_equal "$err" 'netnsctl: veth add "v1": both ends of the pair would have that name in one namespace'
	# one name in two namespaces is fine
	run_n veth add v1 peer v1 netns ns1
	assert_success
	"$N" veth del v1
	assert_equal "$(snapshot)" "$before"
	run_n veth help
	assert_success
	[[ $output == Usage:* ]]
}
