#!/usr/bin/env bats
# The no-op path (a second lab apply, a lab diff of an unchanged lab) is the
# cheap one: one dump per kind per namespace, kept in arrays sized to what a
# namespace holds. It must still see every kind of drift it saw before: a
# link, an address, a route, a neighbour, a sysctl and an impairment taken
# away from outside are each reported by diff and put back by apply.
# Not timed: tests/bench/star measures it.

load helpers

noop_lab() { # FILE: two nodes and a leaf on a bridge, one of everything
	cat > "$1" <<-'EOF2'
	version: 1
	name: nop
	defaults: {sysctls: {net.ipv6.conf.all.accept_dad: 0}}
	nodes:
	  a:
	    sysctls: {net.ipv4.ip_forward: 1}
	    routes: [{to: 203.0.113.0/24, via: 198.51.100.2}]
	    neighbours: [{dev: eth0, address: 198.51.100.2, lladdr: "02:00:00:00:00:02"}]
	  b: {}
	  c: {}
	bridges:
	  sw: {}
	links:
	  - a: {node: a, ifname: eth0, addresses: [198.51.100.1/24]}
	    b: {node: b, ifname: eth0, addresses: [198.51.100.2/24]}
	    impair: {rate: 10mbit}
	  - a: {node: c, ifname: eth0, addresses: [192.0.2.3/24]}
	    b: {bridge: sw}
	EOF2
}

setup() {
	f=$BATS_TEST_TMPDIR/nop.yaml
	noop_lab "$f"
	"$N" lab apply --no-ready "$f" >/dev/null
	run_n lab diff "$f"
	assert_success
	assert_equal "$output" ""
}

# Drift made by "$@" is reported by diff (a line matching PATTERN), mended by
# one apply, and then diff and a second apply find nothing.
drift() { # PATTERN CMD...
	local pat=$1
	shift
	"$@"
	run_n lab diff "$f"
	assert_failure 1
	assert_equal "$err" ""
	grep -qE "$pat" <<< "$output" || { echo "diff said: $output"; false; }
	run_n lab apply --no-ready "$f"
	assert_success
	run_n lab diff "$f"
	assert_success
	assert_equal "$output" ""
	run_n lab apply --no-ready "$f"
	assert_success
	assert_equal "$output" "nop: up to date"
}

@test "lab no-op: a link removed from outside is found and made again" {
	drift '^nop\.c eth0: missing veth' ip -n nop.c link del eth0
	ip -n nop.c link show eth0 | grep -q ',UP'
	assert_equal "$(addrs_of nop.c eth0)" "192.0.2.3/24"
}

@test "lab no-op: an address removed from outside is found and added again" {
	drift '^nop\.a eth0: missing address 198\.51\.100\.1/24' \
		ip -n nop.a addr del 198.51.100.1/24 dev eth0
	assert_equal "$(addrs_of nop.a eth0)" "198.51.100.1/24"
}

@test "lab no-op: a route removed from outside is found and added again" {
	drift '^nop\.a: missing route 203\.0\.113\.0/24 via 198\.51\.100\.2' \
		ip -n nop.a route del 203.0.113.0/24
	ip -n nop.a route show 203.0.113.0/24 | grep -q 'via 198.51.100.2'
}

@test "lab no-op: a neighbour removed from outside is found and added again" {
	drift '^nop\.a eth0: missing neighbour 198\.51\.100\.2' \
		ip -n nop.a neigh del 198.51.100.2 dev eth0
	ip -n nop.a neigh show 198.51.100.2 | grep -q '02:00:00:00:00:02 PERMANENT'
}

@test "lab no-op: a sysctl changed from outside is found and set again" {
	drift '^nop\.a: sysctl net\.ipv4\.ip_forward 0, want 1' \
		ip netns exec nop.a sysctl -qw net.ipv4.ip_forward=0
	assert_equal "$(ip netns exec nop.a sysctl -n net.ipv4.ip_forward)" 1
}

@test "lab no-op: an impairment removed from outside is found and set again" {
	tc -n nop.a qdisc show dev eth0 | grep -q tbf
	drift '^nop\.a eth0: ' tc -n nop.a qdisc del dev eth0 root
	tc -n nop.a qdisc show dev eth0 | grep -q tbf
}
