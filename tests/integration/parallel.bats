#!/usr/bin/env bats
# --jobs N: -b and lab apply build independent namespaces at once. The same
# result as one line (one step) at a time, seen with ip in every namespace;
# a failure in one namespace stops the rest cleanly and is said once, as
# the sequential run says it; usage errors. Not timed (tests/bench/star is).

load helpers

B=/run/par.batch

# Every namespace's links, addresses, routes and permanent neighbours, as ip
# -j shows them, without what differs from run to run by nature: indexes,
# MAC-derived IPv6 link-local addresses, random MACs, carrier timing,
# namespace ids (they follow the order namespaces were made in).
dump() {
	local ns
	for ns in $(ns_names); do
		echo "== $ns"
		ip -n "$ns" -d -j link show | jq -c 'map({ifname, mtu, master, link,
			kind: .linkinfo.info_kind, slave: .linkinfo.info_slave_kind,
			up: ((.flags // []) | index("UP") != null), ifalias})
			| sort_by(.ifname)'
		ip -n "$ns" -j addr show | jq -c '[.[] | .ifname as $i | .addr_info[]
			| select(.scope != "link") | {i: $i, a: .local, p: .prefixlen}]
			| sort_by(.i, .a)'
		ip -n "$ns" -j route show table all | jq -c '[.[]
			| select((.dst // "") | startswith("fe80") | not)
			| {dst, gateway, dev, protocol, scope, type, table, metric}]
			| sort_by(.table, .dst, .dev, .type)'
		ip -n "$ns" -j neigh show nud permanent | jq -c 'map({dst, dev, lladdr})
			| sort_by(.dst)'
	done
}

# Remove every name and wait until the kernel has let the links go.
remove_all() {
	"$N" delete --all --wait=60 >/dev/null
	[ -z "$(ns_names)" ]
}

# A lab of N leaves on bridge hub (addresses, a default route each, a route
# and a permanent neighbour on every third), a router gw, and a pair
# between leaf1 and leaf2 outside the bridge.
star_lab() {
	local n=$1 i
	{
		echo "version: 1"
		echo "name: par"
		echo "nodes:"
		echo "  gw: {routes: [{to: 203.0.113.0/24, via: 198.18.0.2}]}"
		for i in $(seq 1 "$n"); do
			if [ $((i % 3)) = 0 ]; then
				echo "  leaf$i: {routes: [{to: default, via: 198.18.0.1}," \
					"{to: 203.0.113.0/25, via: 198.18.0.3}]," \
					"neighbours: [{dev: eth0, address: 198.18.0.200," \
					"lladdr: \"02:00:00:00:00:c8\"}]}"
			else
				echo "  leaf$i: {routes: [{to: default, via: 198.18.0.1}]}"
			fi
		done
		echo "bridges:"
		echo "  hub: {}"
		echo "links:"
		echo "  - {a: {node: gw, ifname: eth0, addresses: [198.18.0.1/15]}, b: {bridge: hub}}"
		for i in $(seq 1 "$n"); do
			echo "  - {a: {node: leaf$i, ifname: eth0, addresses: [198.18.1.$i/15]}," \
				"b: {bridge: hub}}"
		done
		echo "  - {a: {node: leaf1, ifname: p2, addresses: [192.0.2.1/30]}," \
			"b: {node: leaf2, ifname: p1, addresses: [192.0.2.2/30]}}"
	} > "$BATS_TEST_TMPDIR/par.yaml"
}

# bats test_tags=stress
@test "parallel -b: the same namespaces, links, addresses, routes, neighbours as --jobs 1" {
	local one many
	star_lab 24
	# the lab as batch lines: bridges, pairs, routes, neighbours, markers
	"$N" lab apply --dry-run "$BATS_TEST_TMPDIR/par.yaml" > "$B"
	grep -q 'neigh' "$B"
	run_n --jobs 1 -b "$B"
	assert_success
	assert_equal "$err" ""
	one=$(dump)
	remove_all
	run_n --jobs 4 -b "$B"
	assert_success
	assert_equal "$err" ""
	many=$(dump)
	assert_equal "$many" "$one"
	remove_all
	# the default (the CPUs, at most 8) too
	run_n -b "$B"
	assert_success
	assert_equal "$(dump)" "$one"
}

# bats test_tags=stress
@test "parallel lab apply: the same result as --jobs 1, and a second apply has nothing to do" {
	local one many
	star_lab 24
	run_n --jobs 1 lab apply "$BATS_TEST_TMPDIR/par.yaml"
	assert_success
	one=$(dump)
	run_n --jobs 1 lab destroy "$BATS_TEST_TMPDIR/par.yaml"
	assert_success
	remove_all
	run_n --jobs 4 lab apply "$BATS_TEST_TMPDIR/par.yaml"
	assert_success
	many=$(dump)
	assert_equal "$many" "$one"
	# the records know everything the workers made
	run_n --jobs 4 lab diff "$BATS_TEST_TMPDIR/par.yaml"
	assert_success
	run_n --jobs 4 lab apply "$BATS_TEST_TMPDIR/par.yaml"
	assert_success
	[[ $output == *"par: up to date"* || $output == *"0 changes"* ]] || {
		echo "$output"; false; }
	run_n lab destroy "$BATS_TEST_TMPDIR/par.yaml"
	assert_success
	assert_equal "$(ns_names)" ""
	# the example with a bridge, routes, a neighbour, sysctls and exec
	run_n --jobs 3 lab apply "$EX/demo.yaml"
	assert_success
	assert_equal "$output" "$(printf 'net.ipv4.ip_forward = 1\ndemo: 25 changes, ready')"
	many=$(dump)
	run_n lab destroy "$EX/demo.yaml"
	assert_success
	remove_all
	run_n --jobs 1 lab apply "$EX/demo.yaml"
	assert_success
	assert_equal "$(dump)" "$many"
}

@test "parallel -b: a failing line is reported once, as --jobs 1 says it; its namespace stops there" {
	local i seq_err
	{
		for i in 1 2 3 4 5 6; do echo "add n$i"; done
		for i in 1 2 3 4 5 6; do echo "-n n$i link add br0 type bridge"; done
		echo "-n n3 addr add 192.0.2.1/24 dev nope"
		echo "-n n3 link set br0 up"
		echo "-n n3 link add br1 type bridge"
	} > "$B"
	run_n --jobs 1 -b "$B"
	assert_failure 1
	assert_one_error_line "$err"
	seq_err=$err
	[[ $err == "netnsctl: $B:13: "*'"nope"'* ]]
	remove_all
	for i in 1 2 3; do
		run_n --jobs 4 -b "$B"
		assert_failure 1
		assert_one_error_line "$err"
		assert_equal "$err" "$seq_err"
		# every line before the failing one ran; nothing after it in n3
		assert_equal "$(ns_names)" "n1 n2 n3 n4 n5 n6"
		for ns in n1 n2 n3 n4 n5 n6; do
			ip -n "$ns" link show br0 >/dev/null
		done
		ip -n n3 -j link show br0 | jq -e '.[0].flags | index("UP") == null' >/dev/null
		! ip -n n3 link show br1 2>/dev/null
		remove_all
	done
	# with -f every line runs, each failure said once, in the file's order
	{
		echo "add a"
		echo "add b"
		echo "-n a addr add 192.0.2.1/24 dev nope1"
		echo "-n b addr add 192.0.2.2/24 dev nope2"
		echo "-n a link add br0 type bridge"
		echo "-n b link add br0 type bridge"
	} > "$B"
	run_n --jobs 1 -f -b "$B"
	assert_failure 1
	seq_err=$err
	remove_all
	run_n --jobs 2 -f -b "$B"
	assert_failure 1
	assert_equal "$err" "$seq_err"
	[ "$(printf '%s\n' "$err" | wc -l)" = 2 ]
	ip -n a link show br0 >/dev/null
	ip -n b link show br0 >/dev/null
}

@test "parallel -b: many namespaces, a failure early: lines after it in its namespace never run" {
	local i
	{
		for i in $(seq 1 40); do
			echo "add m$i"
			echo "-n m$i link add br0 type bridge"
			[ "$i" = 5 ] && echo "-n m5 link add br0 type bridge"
			echo "-n m$i link set br0 up"
		done
	} > "$B"
	run_n --jobs 4 -b "$B"
	assert_failure 1
	assert_one_error_line "$err"
	[[ $err == "netnsctl: $B:15: link add \"br0\": "* ]] || { echo "$err"; false; }
	# m1..m5 made, as one line at a time would; m5's bridge left down
	for i in 1 2 3 4 5; do
		ip -n "m$i" link show br0 >/dev/null
	done
	ip -n m5 -j link show br0 | jq -e '.[0].flags | index("UP") == null' >/dev/null
}

@test "parallel lab apply: a failing step stops the apply; destroy removes all it made" {
	star_lab 12
	# a sysctl the kernel does not have: it says no after the namespaces
	# were made on the workers
	sed -i 's/^  gw: {/  gw: {sysctls: {net.ipv4.conf.all.no_such_knob: 1}, /' \
		"$BATS_TEST_TMPDIR/par.yaml"
	run_n --jobs 4 lab apply "$BATS_TEST_TMPDIR/par.yaml"
	assert_failure 1
	assert_one_error_line "$err"
	[[ $err == *"no_such_knob"* ]] || { echo "$err"; false; }
	assert_equal "$(ns_names | wc -w)" 14
	run_n --jobs 1 lab apply "$BATS_TEST_TMPDIR/par.yaml"
	assert_failure 1
	assert_one_error_line "$err"
	# every namespace made is recorded: destroy leaves nothing
	run_n --jobs 4 lab destroy "$BATS_TEST_TMPDIR/par.yaml"
	assert_success
	assert_equal "$(ns_names)" ""
}

@test "--jobs: 0, junk, missing, inside a batch line: usage errors (exit 2)" {
	usage_errors <<-'EOF'
	--jobs 0 list|--jobs: "0" is not a number of workers (1 to 1024)
	-J x list|-J: "x" is not a number of workers (1 to 1024)
	--jobs=-1 list|--jobs: "-1" is not a number of workers (1 to 1024)
	--jobs 1025 list|--jobs: "1025" is not a number of workers (1 to 1024)
	--jobs=2x list|--jobs: "2x" is not a number of workers (1 to 1024)
	--jobs|--jobs needs a number of workers (1 to 1024)
	EOF
	printf 'add a\n--jobs 2 add b\n' > "$B"
	run_n -b "$B"
	assert_failure 2
	assert_equal "$err" "netnsctl: $B:2: -J/--jobs applies to the whole batch: give it before -b"
	assert_equal "$(ns_names)" ""
	run_n --jobs 3 list
	assert_success
	run_n -J 1 -b /dev/null
	assert_success
}
