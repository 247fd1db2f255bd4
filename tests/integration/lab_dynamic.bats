#!/usr/bin/env bats
# Dynamic state is not drift: on a link end marked "dynamic: true" (DHCP,
# SLAAC, a routing daemon), addresses and routes the lab did not make are
# neither listed by diff nor removed by apply --prune; routes of a routing
# protocol (proto bird, zebra...) are never drift, on any end.

load helpers

# Two nodes: "c" a DHCP-like client on a dynamic end, "s" a plain one.
dyn_lab() {
	lab_file dyn <<-'EOF'
	version: 1
	name: dyn
	nodes:
	  c: {}
	  s: {}
	links:
	  - a: {node: c, ifname: eth0, addresses: [192.0.2.1/24], dynamic: true}
	    b: {node: s, ifname: eth0, addresses: [192.0.2.2/24]}
	  - a: {node: c, ifname: eth1, addresses: [198.51.100.1/24]}
	    b: {node: s, ifname: eth1, addresses: [198.51.100.2/24], dynamic: false}
	EOF
}

@test "lab_dynamic: an address added from outside on a dynamic end is not drift; on another end it is" {
	dyn_lab
	"$N" lab apply --no-ready "$BATS_TEST_TMPDIR/dyn.yaml" >/dev/null
	# what a DHCP client does: an address and a default route through the end
	ip -n dyn.c addr add 192.0.2.77/24 dev eth0
	ip -n dyn.c route add default via 192.0.2.2 dev eth0
	ip -n dyn.c route add 203.0.113.0/24 via 192.0.2.2 proto dhcp
	run_n lab diff "$BATS_TEST_TMPDIR/dyn.yaml"
	assert_success
	assert_equal "$output" ""
	assert_equal "$err" ""
	# the same on a plain end is drift
	ip -n dyn.c addr add 198.51.100.77/24 dev eth1
	run_n lab diff "$BATS_TEST_TMPDIR/dyn.yaml"
	assert_failure 1
	assert_equal "$output" "dyn.c eth1: extra address 198.51.100.77/24 (not made by the lab)"
	ip -n dyn.c addr del 198.51.100.77/24 dev eth1
	# a route by hand through a plain end is drift too
	ip -n dyn.c route add 198.18.0.0/15 via 198.51.100.2
	run_n lab diff "$BATS_TEST_TMPDIR/dyn.yaml"
	assert_failure 1
	assert_equal "$output" "dyn.c: extra route 198.18.0.0/15 via 198.51.100.2 dev eth1 (not made by the lab)"
	ip -n dyn.c route del 198.18.0.0/15
	# --prune leaves the dynamic end's address and routes alone
	run_n lab apply --prune --no-ready "$BATS_TEST_TMPDIR/dyn.yaml"
	assert_success
	ip -n dyn.c -br addr show eth0 | grep -q "192.0.2.77/24"
	ip -n dyn.c route show default | grep -q "via 192.0.2.2"
	ip -n dyn.c route show 203.0.113.0/24 | grep -q "proto dhcp"
	# and the lab's own addresses on it are still checked
	ip -n dyn.c addr del 192.0.2.1/24 dev eth0
	run_n lab diff "$BATS_TEST_TMPDIR/dyn.yaml"
	assert_failure 1
	assert_equal "$output" "dyn.c eth0: missing address 192.0.2.1/24"
}

@test "lab_dynamic: a route with proto bird is not drift anywhere; by hand it is" {
	"$N" lab apply --no-ready "$EX/demo.yaml" >/dev/null
	# r1 has no dynamic end: the daemon's routes still are not drift
	ip -n demo.r1 route add 198.18.0.0/15 via 203.0.113.2 proto bird
	ip -n demo.r1 route add 198.51.100.128/25 via 203.0.113.2 proto zebra
	ip -n demo.r1 -6 route add 2001:db8:77::/48 dev eth1 proto bgp
	run_n lab diff "$EX/demo.yaml"
	assert_success
	assert_equal "$output" ""
	run_n -j lab diff "$EX/demo.yaml"
	assert_success
	assert_equal "$output" "[]"
	run_n lab apply --prune --no-ready "$EX/demo.yaml"
	assert_success
	ip -n demo.r1 route show proto bird | grep -q "^198.18.0.0/15 via 203.0.113.2"
	# the same route with ip's own proto (boot) is drift
	ip -n demo.r1 route del 198.18.0.0/15
	ip -n demo.r1 route add 198.18.0.0/15 via 203.0.113.2
	run_n lab diff "$EX/demo.yaml"
	assert_failure 1
	assert_output --partial "demo.r1: extra route 198.18.0.0/15 via 203.0.113.2 dev eth1 (not made by the lab)"
}

@test "lab_dynamic: what the lab made on a dynamic end is still its own: removed from the file, pruned" {
	dyn_lab
	"$N" lab apply --no-ready "$BATS_TEST_TMPDIR/dyn.yaml" >/dev/null
	# (another subnet: the kernel takes secondaries with their primary)
	ip -n dyn.c addr add 203.0.113.77/24 dev eth0
	sed 's|addresses: \[192.0.2.1/24\], dynamic|addresses: [], dynamic|' \
		"$BATS_TEST_TMPDIR/dyn.yaml" > "$BATS_TEST_TMPDIR/less.yaml"
	run_n lab diff "$BATS_TEST_TMPDIR/less.yaml"
	assert_failure 1
	# (the hosts files name the file's addresses: c's is gone from them)
	assert_equal "$output" "$(cat <<-'EOF'
	dyn.c eth0: extra address 192.0.2.1/24 (made by the lab)
	dyn.c: hosts /etc/netns/dyn.c/hosts content other names, want the lab's
	dyn.s: hosts /etc/netns/dyn.s/hosts content other names, want the lab's
	EOF
	)"
	run_n lab apply --prune --no-ready "$BATS_TEST_TMPDIR/less.yaml"
	assert_success
	run ip -n dyn.c -br addr show eth0
	refute_output --partial "192.0.2.1/24"
	assert_output --partial "203.0.113.77/24"
}

@test "lab_dynamic: lab show says dynamic, in text and JSON (only where it is)" {
	dyn_lab
	run_n lab show "$BATS_TEST_TMPDIR/dyn.yaml"
	assert_success
	grep -qx "  eth0 192.0.2.1/24 -> s eth0 dynamic: absent" <<< "$output"
	grep -qx "  eth1 198.51.100.1/24 -> s eth1: absent" <<< "$output"
	run_n -j lab show "$BATS_TEST_TMPDIR/dyn.yaml"
	assert_success
	assert_equal "$(jq -c '[.nodes[] | {(.name): [.interfaces[] | {(.ifname): (.dynamic // false)}]}]' <<< "$output")" \
		'[{"c":[{"eth0":true},{"eth1":false}]},{"s":[{"eth0":false},{"eth1":false}]}]'
	assert_equal "$(jq -c '[.nodes[].interfaces[] | has("dynamic")]' <<< "$output")" \
		'[true,false,false,false]'
}

@test "lab_dynamic: a bad dynamic value, or one on a bridge end, is refused (exit 2)" {
	lab_file bad <<-'EOF'
	version: 1
	name: bad
	nodes: {c: {}, s: {}}
	links:
	  - a: {node: c, ifname: eth0, dynamic: maybe}
	    b: {node: s, ifname: eth0}
	EOF
	run_n lab validate "$BATS_TEST_TMPDIR/bad.yaml"
	assert_failure 2
	assert_one_error_line "$err"
	assert_equal "$err" "netnsctl: $BATS_TEST_TMPDIR/bad.yaml:5:41: \"dynamic\" is true or false, not \"maybe\""
	lab_file br <<-'EOF'
	version: 1
	name: br
	nodes: {c: {}}
	bridges: {lan: {}}
	links:
	  - a: {node: c, ifname: eth0}
	    b: {bridge: lan, dynamic: true}
	EOF
	run_n lab apply "$BATS_TEST_TMPDIR/br.yaml"
	assert_failure 2
	assert_one_error_line "$err"
	[[ $err == *"br.yaml:7:"*'a link end on a bridge takes no "dynamic"'* ]]
	assert_equal "$(ns_names)" ""
}
