#!/usr/bin/env bats
# lab diff: each difference between a lab file and the system, one a line
# (or JSON); exit 0 on a match, 1 on drift, 2 on error. Drift made with ip
# is found, and apply mends it.

load helpers

@test "lab diff: before apply, everything is missing (exit 1); after, nothing (exit 0)" {
	run_n lab diff "$EX/chain.yaml"
	assert_failure 1
	assert_equal "$err" ""
	assert_equal "$(sed -n 1,3p <<< "$output")" \
		"$(printf 'chain.r1: missing namespace\nchain.r2: missing namespace\nchain.r3: missing namespace')"
	grep -qxF "chain.r1 eth0: missing veth to chain.r2 eth0" <<< "$output"
	grep -qxF "chain.r1 lo: missing address 2001:db8::1/128" <<< "$output"
	grep -qxF "chain.r2: missing route 192.0.2.3/32 via 203.0.113.6" <<< "$output"
	grep -qxF "chain.r1: missing route default (IPv6) via 2001:db8:12::2" <<< "$output"
	grep -qxF "chain.r1: sysctl net.ipv4.ip_forward not set, want 1" <<< "$output"
	# a diff changes nothing
	assert_equal "$(ns_names)" ""
	[ ! -e /run/netnsctl ]
	"$N" lab apply "$EX/chain.yaml" >/dev/null
	run_n lab diff "$EX/chain.yaml"
	assert_success
	assert_equal "$output" ""
	run_n -j lab diff "$EX/chain.yaml"
	assert_success
	assert_equal "$output" "[]"
}

@test "lab diff: drift made with ip is found, one line each; apply mends it" {
	"$N" lab apply --no-ready "$EX/demo.yaml" >/dev/null
	ip -n demo.r1 link set eth1 mtu 1400
	ip -n demo.r1 addr del 192.0.2.1/32 dev lo
	ip -n demo.r1 addr add 203.0.113.9/30 dev eth2
	ip -n demo.r1 route replace 203.0.113.128/25 via 203.0.113.2 dev eth1 metric 0 2>/dev/null ||
		true
	ip -n demo.r1 route del 203.0.113.128/25
	ip -n demo.r1 route add 203.0.113.128/25 dev eth1
	ip -n demo.r1 neigh replace 203.0.113.2 lladdr 02:00:00:00:00:09 dev eth1 nud permanent
	ip -n demo._switch link set lan-1 nomaster
	ip -n demo.r2 link set eth1 address 02:00:00:00:00:22
	ip netns exec demo.r1 sysctl -qw net.ipv4.ip_forward=0
	ip -n demo._switch link set lan mtu 1400
	run_n lab diff "$EX/demo.yaml"
	assert_failure 1
	assert_equal "$err" ""
	assert_equal "$output" "$(cat <<-'EOF'
	demo.r1 eth2: extra address 203.0.113.9/30 (not made by the lab)
	demo.r1: sysctl net.ipv4.ip_forward 0, want 1
	demo._switch lan: bridge mtu 1400, want 1500
	demo.r1 eth1: link mtu 1400, want 9000
	demo.r2 eth1: link mac 02:00:00:00:00:22, want 02:00:00:00:00:02
	demo._switch lan-1: link master none, want lan
	demo.r1 lo: missing address 192.0.2.1/32
	demo.r1: route 203.0.113.128/25 dev eth1, want via 203.0.113.2
	demo.r1 eth1: neighbour 203.0.113.2 lladdr 02:00:00:00:00:09, want 02:00:00:00:00:02
	EOF
	)"
	run_n lab apply -v "$EX/demo.yaml"
	assert_success
	[[ $output == *"demo: 8 changes, ready" ]]
	run_n lab diff "$EX/demo.yaml"
	assert_failure 1
	assert_equal "$output" "demo.r1 eth2: extra address 203.0.113.9/30 (not made by the lab)"
	[ "$(jfield -n demo.r1 eth1 mtu)" = 9000 ]
	[ "$(jfield -n demo._switch lan-1 master)" = lan ]
	[ "$(ip netns exec demo.r1 sysctl -n net.ipv4.ip_forward)" = 1 ]
	ping_from demo.h1 192.0.2.1
	# what the lab did not make stays, even with --prune
	run_n lab apply --prune "$EX/demo.yaml"
	assert_success
	assert_equal "$output" "demo: up to date"
	assert_equal "$(addrs_of demo.r1 eth2)" "198.51.100.1/24 203.0.113.9/30"
}

@test "lab diff: a link set down loses its IPv6 addresses and routes: all found, all mended" {
	"$N" lab apply --no-ready "$EX/demo.yaml" >/dev/null
	ip -n demo.h1 link set eth0 down
	run_n lab diff "$EX/demo.yaml"
	assert_failure 1
	assert_equal "$output" "$(cat <<-'EOF'
	demo.h1 eth0: link state down, want up
	demo.h1 eth0: missing address 2001:db8:1::10/64
	demo.h1: missing route default via 198.51.100.1
	EOF
	)"
	run_n lab apply "$EX/demo.yaml"
	assert_success
	assert_equal "$output" "demo: 3 changes, ready"
	run_n lab diff "$EX/demo.yaml"
	assert_success
}

@test "lab diff: a namespace deleted with ip: missing, and its peers' ends are made again" {
	"$N" lab apply --no-ready "$EX/demo.yaml" >/dev/null
	ip netns del demo.r1
	run_n lab diff "$EX/demo.yaml"
	assert_failure 1
	grep -qxF "demo.r1: missing namespace" <<< "$output"
	grep -qxF "demo.r1 eth1: missing veth to demo.r2 eth1" <<< "$output"
	run_n lab apply "$EX/demo.yaml"
	assert_success
	run_n lab diff "$EX/demo.yaml"
	assert_success
	[ "$(jfield -n demo.r1 eth1 link_index)" = "$(jfield -n demo.r2 eth1 ifindex)" ]
	ping_from demo.h1 192.0.2.1
	ping_from demo.r1 203.0.113.2
}

@test "lab diff: an address with another prefix length, a route with another gateway" {
	"$N" lab apply --no-ready "$EX/two-bridges.yaml" >/dev/null
	ip -n two-bridges.a1 addr del 198.51.100.11/24 dev eth0
	ip -n two-bridges.a1 addr add 198.51.100.11/25 dev eth0
	ip -n two-bridges.a1 route replace default via 198.51.100.12
	run_n lab diff "$EX/two-bridges.yaml"
	assert_failure 1
	assert_equal "$output" "$(cat <<-'EOF'
	two-bridges.a1 eth0: address 198.51.100.11 prefix length /25, want /24
	two-bridges.a1: route default via 198.51.100.12 dev eth0, want via 198.51.100.1
	EOF
	)"
	run_n lab apply "$EX/two-bridges.yaml"
	assert_success
	assert_equal "$(addrs_of two-bridges.a1 eth0)" "198.51.100.11/24"
	run ip -n two-bridges.a1 -j route show default
	[ "$(echo "$output" | jq -r '.[0].gateway')" = 198.51.100.1 ]
	ping_from two-bridges.a1 198.18.0.11
}

@test "lab diff -j: one object per difference, with where, what, have, want and the file's place" {
	"$N" lab apply --no-ready "$EX/demo.yaml" >/dev/null
	ip -n demo.r1 link set eth1 mtu 1400
	ip -n demo.h1 addr add 198.51.100.99/24 dev eth0
	run_n -j lab diff "$EX/demo.yaml"
	assert_failure 1
	echo "$output" | jq -e 'length == 2' >/dev/null
	echo "$output" | jq -e '.[0] == {"netns": "demo.h1", "dev": "eth0", "kind": "address",
		"change": "extra", "object": "198.51.100.99/24", "recorded": false, "action": false}' \
		>/dev/null
	echo "$output" | jq -e '.[1] == {"netns": "demo.r1", "dev": "eth1", "kind": "link",
		"change": "differs", "attr": "mtu", "have": "1400", "want": "9000", "line": 18,
		"column": 5, "action": true}' >/dev/null
}

@test "lab diff NAME: against the copy last applied, without the file" {
	cp "$EX/demo.yaml" "$BATS_TEST_TMPDIR/d.yaml"
	"$N" lab apply --no-ready "$BATS_TEST_TMPDIR/d.yaml" >/dev/null
	rm "$BATS_TEST_TMPDIR/d.yaml"
	run_n lab diff demo
	assert_success
	assert_equal "$output" ""
	ip -n demo.r2 link set eth1 mtu 1280
	run_n lab diff demo
	assert_failure 1
	assert_equal "$output" "demo.r2 eth1: link mtu 1280, want 9000"
	# messages cite the file as it was applied
	run_n -j lab diff demo
	echo "$output" | jq -e '.[0].line == 18' >/dev/null
}

@test "lab diff --prune: what apply --prune would remove, as actions" {
	"$N" lab apply --no-ready "$EX/demo.yaml" >/dev/null
	demo_without_r2 > "$BATS_TEST_TMPDIR/small.yaml"
	"$N" lab validate "$BATS_TEST_TMPDIR/small.yaml"
	run_n -j lab diff "$BATS_TEST_TMPDIR/small.yaml"
	assert_failure 1
	# (the hosts files of the nodes left name what the file has: rewritten)
	echo "$output" | jq -e 'all(.[] | select(.kind != "hosts" or .change != "differs");
		.change == "extra" and .recorded and (.action | not))' >/dev/null
	run_n -j lab diff --prune "$BATS_TEST_TMPDIR/small.yaml"
	assert_failure 1
	echo "$output" | jq -e 'all(.[]; .action) and
		([.[] | .kind] | unique) == ["hosts", "link", "namespace"]' >/dev/null
	# the route and the neighbour go with the link
	run_n lab diff "$BATS_TEST_TMPDIR/small.yaml"
	grep -qxF "demo.r1: extra route 203.0.113.128/25 via 203.0.113.2 dev eth1 (made by the lab)" \
		<<< "$output"
	grep -qxF "demo.r1 eth1: extra neighbour 203.0.113.2 (made by the lab)" <<< "$output"
	run_n lab apply --prune "$BATS_TEST_TMPDIR/small.yaml"
	assert_success
	# the link, the namespace, r2's hosts file gone, r1's and h1's rewritten
	assert_equal "$output" "demo: 5 changes, ready"
	run_n lab diff "$BATS_TEST_TMPDIR/small.yaml"
	assert_success
	assert_equal "$(ns_names)" "demo._switch demo.h1 demo.r1"
}

@test "lab diff: errors are exit 2, one line" {
	run_n lab diff "$BATS_TEST_TMPDIR/none.yaml"
	assert_failure 2
	assert_one_error_line "$err"
	run_n lab diff nosuchlab
	assert_failure 2
	assert_equal "$err" 'netnsctl: lab "nosuchlab": no state here (it was never applied, or was destroyed)'
	run_n lab diff 'no such'
	assert_failure 2
	assert_one_error_line "$err"
	echo "version: 2" > "$BATS_TEST_TMPDIR/v2.yaml"
	run_n lab diff "$BATS_TEST_TMPDIR/v2.yaml"
	assert_failure 2
	assert_one_error_line "$err"
	run_n lab diff
	assert_failure 2
	assert_equal "$err" "netnsctl: lab diff: missing FILE or NAME"
	run_n lab diff --prune --x "$EX/demo.yaml"
	assert_failure 2
	assert_one_error_line "$err"
}
