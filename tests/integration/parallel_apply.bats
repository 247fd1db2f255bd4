#!/usr/bin/env bats
# lab apply --jobs N runs every step inside namespaces on the workers (links,
# addresses, routes, neighbours, sysctls, qdiscs), not only the namespaces:
# a failure in a later phase, in one namespace among many, is said once as
# --jobs 1 says it and the next apply or destroy settles it; impaired links
# come out as with one worker; a kill -9 while the workers make links leaves
# what the next apply completes. Not timed (tests/bench/jobs_bench is).

load helpers
load kill_at

# Every namespace's links, addresses, routes, neighbours and root qdiscs as
# ip and tc show them, without what differs by nature from run to run
# (indexes, link-local addresses, carrier timing, handles, and the local
# table, whose IPv6 routes come when the carrier does).
dump() {
	local ns
	for ns in $(ns_names); do
		echo "== $ns"
		ip -n "$ns" -d -j link show | jq -c 'map({ifname, mtu, master, address,
			kind: .linkinfo.info_kind, up: ((.flags // []) | index("UP") != null),
			ifalias}) | sort_by(.ifname)'
		ip -n "$ns" -j addr show | jq -c '[.[] | .ifname as $i | .addr_info[]
			| select(.scope != "link") | {i: $i, a: .local, p: .prefixlen}]
			| sort_by(.i, .a)'
		ip -n "$ns" -j route show table all | jq -c '[.[]
			| select((.dst // "") | startswith("fe80") | not) | select(.table != "local")
			| {dst, gateway, dev, protocol, scope, type, table, metric}]
			| sort_by(.table, .dst, .dev, .type)'
		ip -n "$ns" -j neigh show nud permanent | jq -c 'map({dst, dev, lladdr})
			| sort_by(.dst)'
		tc -n "$ns" -j qdisc show | jq -c 'map(select(.root == true)
			| {dev, kind, options}) | sort_by(.dev)'
	done
}

# A star of N leaves on bridge hub, routes and a neighbour on some, then
# EXTRA lines under leaf$BAD (its own map's keys) when BAD is set.
star() {
	local n=$1 extra=${2:-} bad=${3:-0} i
	{
		echo "version: 1"
		echo "name: pa"
		echo "nodes:"
		echo "  gw: {routes: [{to: 203.0.113.0/24, via: 198.18.0.2}]}"
		for i in $(seq 1 "$n"); do
			if [ "$i" = "$bad" ]; then
				echo "  leaf$i: {$extra routes: [{to: default, via: 198.18.0.1}]}"
			elif [ $((i % 4)) = 0 ]; then
				echo "  leaf$i: {routes: [{to: default, via: 198.18.0.1}]," \
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
			echo "  - {a: {node: leaf$i, ifname: eth0, addresses: [198.18.1.$i/15," \
				"\"2001:db8::$i/64\"]}, b: {bridge: hub}}"
		done
	} > "$BATS_TEST_TMPDIR/pa.yaml"
}

@test "parallel apply: an address the kernel refuses in one leaf: said once as --jobs 1 says it; apply and destroy settle" {
	local seq_err f=$BATS_TEST_TMPDIR/pa.yaml
	# IPv6 off in leaf7 before its eth0 exists: the kernel refuses the
	# IPv6 address there, after the namespaces, links and other addresses
	star 16 "sysctls: {net.ipv6.conf.default.disable_ipv6: 1}," 7
	run_n --jobs 1 lab apply --no-ready "$f"
	assert_failure 1
	assert_one_error_line "$err"
	[[ $err == "netnsctl: $f:"*"add address 2001:db8::7/64 to pa.leaf7 eth0 (step "*" of "*")"* ]] ||
		{ echo "$err"; false; }
	seq_err=$err
	run_n --jobs 1 lab destroy "$f"
	assert_success
	assert_equal "$(ns_names)" ""
	for i in 1 2 3; do
		run_n --jobs 4 lab apply --no-ready "$f"
		assert_failure 1
		assert_one_error_line "$err"
		assert_equal "$err" "$seq_err"
		assert_equal "$(ns_names | wc -w)" 18
		# the same failure again: what was made is recorded, nothing new in the way
		run_n --jobs 4 lab apply --no-ready "$f"
		assert_failure 1
		assert_one_error_line "$err"
		[[ $err == *"add address 2001:db8::7/64 to pa.leaf7 eth0 (step 1 of "* ]] ||
			{ echo "$err"; false; }
		run_n --jobs 4 lab destroy "$f"
		assert_success
		assert_equal "$err" ""
		assert_equal "$(ns_names)" ""
	done
	# the file mended: an apply over what a failed one left completes it
	run_n --jobs 4 lab apply --no-ready "$f"
	assert_failure 1
	sed -i 's/sysctls: {net.ipv6.conf.default.disable_ipv6: 1}, //' "$f"
	ip netns exec pa.leaf7 sysctl -qw net.ipv6.conf.eth0.disable_ipv6=0
	run_n --jobs 4 lab apply --no-ready "$f"
	assert_success
	run_n --jobs 4 lab apply --no-ready "$f"
	assert_success
	assert_equal "$output" "pa: up to date"
	run_n lab destroy "$f"
	assert_success
	assert_equal "$(ns_names)" ""
}

@test "parallel apply: impaired links and a bridge's neighbours as with --jobs 1" {
	local one f=$BATS_TEST_TMPDIR/pa.yaml
	star 12
	# every third leaf's link sends at a rate (tbf), one end at its own
	sed -i -e '/leaf3, /s/b: {bridge: hub}}$/b: {bridge: hub}, impair: {rate: 10mbit}}/' \
		-e '/leaf6, /s/b: {bridge: hub}}$/b: {bridge: hub}, impair: {rate: 20mbit}}/' \
		-e '/leaf9, /s/\]}, b:/], impair: {rate: 5mbit}}, b:/' "$f"
	grep -q 'impair' "$f"
	run_n --jobs 1 lab apply --no-ready "$f"
	assert_success
	one=$(dump)
	[[ $one == *'"kind":"tbf"'* ]] || { echo "$one"; false; }
	run_n lab destroy "$f"
	assert_success
	"$N" delete --all --wait=60 >/dev/null
	run_n --jobs 3 lab apply --no-ready "$f"
	assert_success
	assert_equal "$(dump)" "$one"
	run_n --jobs 3 lab apply --no-ready "$f"
	assert_success
	assert_equal "$output" "pa: up to date"
	run_n lab destroy "$f"
	assert_success
	assert_equal "$(ns_names)" ""
}

# bats test_tags=stress
@test "parallel apply killed while the workers make links: the next apply completes it" {
	local one n f=$BATS_TEST_TMPDIR/pa.yaml
	command -v strace >/dev/null || skip "strace is missing (scripts/install-deps)"
	star 8
	run_n --jobs 1 lab apply --no-ready "$f"
	assert_success
	one=$(dump)
	run_n lab destroy "$f"
	assert_success
	"$N" delete --all --wait=60 >/dev/null
	# a thread's Nth request (strace counts per thread): namespaces, veth
	# pairs, their indexes and markers, addresses, on both workers
	for n in 8 12 16 20 26 32; do
		kill_at sendto "$n" --jobs 2 lab apply --no-ready "$f"
		run_n --jobs 2 lab apply --no-ready "$f"
		assert_success
		assert_equal "$(dump)" "$one"
		run_n --jobs 2 lab apply --no-ready "$f"
		assert_equal "$output" "pa: up to date"
		run_n lab destroy "$f"
		assert_success
		assert_equal "$err" ""
		assert_equal "$(ns_names)" ""
	done
}
