#!/usr/bin/env bats
# The no-op path at scale: the scan of a lab's namespaces hands them out one
# at a time to a few threads (the bridge's link dump first), each probing
# the name, opening a socket inside and dumping, and keeps only as many
# sockets as the context's cache holds. Drift in just one of many
# namespaces, on the bridge's side, a namespace replaced under its name,
# links the lab did not make, and namespaces whose sockets were not kept
# must all still be found (diff) and mended (apply).
# Not timed: tests/bench/star measures it.

load helpers

LEAVES=40

# FILE: a gw node and LEAVES leaves on bridge hub, each leaf with an address
# and a default route via gw (the benchmark's star, smaller).
star_lab() {
	local i
	{
		printf 'version: 1\nname: np2\nnodes:\n  gw: {}\n'
		for ((i = 1; i <= LEAVES; i++)); do
			printf '  leaf%d: {routes: [{to: default, via: 198.18.0.1}]}\n' "$i"
		done
		printf 'bridges:\n  hub: {}\nlinks:\n'
		printf '  - {a: {node: gw, ifname: eth0, addresses: [198.18.0.1/15]}, b: {bridge: hub}}\n'
		for ((i = 1; i <= LEAVES; i++)); do
			printf '  - {a: {node: leaf%d, ifname: eth0, addresses: [198.18.1.%d/15]}, b: {bridge: hub}}\n' \
				"$i" "$i"
		done
	} > "$1"
}

setup() {
	f=$BATS_TEST_TMPDIR/np2.yaml
	star_lab "$f"
	"$N" lab apply --no-ready "$f" >/dev/null
	run_n lab diff "$f"
	assert_success
	assert_equal "$output" ""
	run_n lab apply --no-ready "$f"
	assert_success
	assert_equal "$output" "np2: up to date"
}

teardown() {
	"$N" lab destroy "$f" >/dev/null 2>&1 || true
	ip netns del np2.leaf30 2>/dev/null || true     # the replaced one is not the lab's
}

# diff says exactly the lines of file $1 (sorted), with status 1.
diff_says() {
	run_n lab diff "$f"
	assert_failure 1
	assert_equal "$err" ""
	assert_equal "$(sort <<< "$output")" "$(sort "$1")"
}

# One apply mends it all; then diff finds nothing and apply does nothing.
mended() {
	run_n lab apply --no-ready "$f"
	assert_success
	run_n lab diff "$f"
	assert_success
	assert_equal "$output" ""
	run_n lab apply --no-ready "$f"
	assert_success
	assert_equal "$output" "np2: up to date"
}

@test "lab no-op at scale: drift in a few of many namespaces is each found and mended" {
	ip -n np2.leaf37 link set eth0 down
	ip -n np2.leaf2 addr del 198.18.1.2/15 dev eth0
	ip -n np2.leaf20 route del default
	ip -n np2.leaf39 link set eth0 address 02:00:00:00:11:11
	# (the kernel drops a route through a link down or without its address)
	cat > "$BATS_TEST_TMPDIR/want" <<-'EOF'
	np2.leaf37 eth0: link state down, want up
	np2.leaf37: missing route default via 198.18.0.1
	np2.leaf2 eth0: missing address 198.18.1.2/15
	np2.leaf2: missing route default via 198.18.0.1
	np2.leaf20: missing route default via 198.18.0.1
	EOF
	run_n lab diff "$f"
	assert_failure 1
	grep -q '^np2\.leaf39 eth0: link mac 02:00:00:00:11:11, want ' <<< "$output"
	grep -v '^np2\.leaf39 ' <<< "$output" | sort > "$BATS_TEST_TMPDIR/have"
	assert_equal "$(cat "$BATS_TEST_TMPDIR/have")" "$(sort "$BATS_TEST_TMPDIR/want")"
	mended
	ip -n np2.leaf37 link show eth0 | grep -q ',UP'
	assert_equal "$(addrs_of np2.leaf2 eth0)" "198.18.1.2/15"
	ip -n np2.leaf20 route show default | grep -q 'via 198.18.0.1'
	[ -z "$(ip -n np2.leaf39 link show eth0 | grep '02:00:00:00:11:11')" ]
}

@test "lab no-op at scale: drift on the bridge's side (the namespace scanned first) is found" {
	ip -n np2._switch link set hub-17 nomaster
	ip -n np2._switch link set hub-33 down
	cat > "$BATS_TEST_TMPDIR/want" <<-'EOF'
	np2._switch hub-17: link master none, want hub
	np2._switch hub-33: link state down, want up
	EOF
	diff_says "$BATS_TEST_TMPDIR/want"
	mended
	ip -n np2._switch link show hub-17 | grep -q 'master hub'
	ip -n np2._switch link show hub-33 | grep -q ',UP'
}

@test "lab no-op at scale: a namespace replaced under its name is in the way, the others untouched" {
	ip netns del np2.leaf30
	ip netns add np2.leaf30
	echo "np2.leaf30: namespace in the way: replaced since the lab made it" > "$BATS_TEST_TMPDIR/want"
	diff_says "$BATS_TEST_TMPDIR/want"
	run_n lab apply --no-ready "$f"
	assert_failure 1
	grep -q 'namespace "np2.leaf30" exists, replaced since the lab made it' <<< "$err"
	# not taken over: still the bare namespace made above
	assert_equal "$(ip -n np2.leaf30 -o link show | wc -l)" 1
	ip -n np2.leaf29 link show eth0 | grep -q ',UP'
}

@test "lab no-op at scale: links the lab did not make, in a leaf and on the bridge's side, are extras" {
	ip -n np2.leaf11 link add x0 type veth peer name x1
	ip -n np2._switch link add x9 type veth peer name x8
	cat > "$BATS_TEST_TMPDIR/want" <<-'EOF'
	np2.leaf11 x0: extra link veth (not made by the lab)
	np2.leaf11 x1: extra link veth (not made by the lab)
	np2._switch x8: extra link veth (not made by the lab)
	np2._switch x9: extra link veth (not made by the lab)
	EOF
	diff_says "$BATS_TEST_TMPDIR/want"
	# never the lab's to remove, --prune or not
	run_n lab apply --prune --no-ready "$f"
	assert_success
	ip -n np2.leaf11 link show x0 >/dev/null
	ip -n np2._switch link show x9 >/dev/null
}

@test "lab no-op at scale: namespaces past the sockets the cache keeps are still seen and mended" {
	# 200 fds: the context keeps 25 sockets (an eighth), so most of the 42
	# namespaces' sockets are closed by the scan before apply needs them
	ip -n np2.leaf38 link set eth0 down
	ip -n np2.leaf1 addr del 198.18.1.1/15 dev eth0
	ip -n np2._switch link set hub-40 down
	cat > "$BATS_TEST_TMPDIR/want" <<-'EOF'
	np2.leaf38 eth0: link state down, want up
	np2.leaf38: missing route default via 198.18.0.1
	np2.leaf1 eth0: missing address 198.18.1.1/15
	np2.leaf1: missing route default via 198.18.0.1
	np2._switch hub-40: link state down, want up
	EOF
	run bash -c 'ulimit -n 200 && "$0" lab diff "$1"' "$N" "$f"
	assert_failure 1
	assert_equal "$(sort <<< "$output")" "$(sort "$BATS_TEST_TMPDIR/want")"
	run bash -c 'ulimit -n 200 && "$0" lab apply --no-ready "$1"' "$N" "$f"
	assert_success
	run bash -c 'ulimit -n 200 && "$0" lab apply --no-ready "$1"' "$N" "$f"
	assert_success
	assert_equal "$output" "np2: up to date"
	ip -n np2.leaf38 link show eth0 | grep -q ',UP'
	assert_equal "$(addrs_of np2.leaf1 eth0)" "198.18.1.1/15"
	ip -n np2._switch link show hub-40 | grep -q ',UP'
}

@test "lab no-op at scale: a hosts file edited or removed in one of many nodes is found and written again" {
	# 41 nodes: their files are read on a few threads
	echo "203.0.113.9 intruder" >> /etc/netns/np2.leaf33/hosts
	rm /etc/netns/np2.leaf12/hosts
	cat > "$BATS_TEST_TMPDIR/want" <<-'EOF2'
	np2.leaf12: missing hosts /etc/netns/np2.leaf12/hosts
	np2.leaf33: hosts /etc/netns/np2.leaf33/hosts content other names, want the lab's
	EOF2
	diff_says "$BATS_TEST_TMPDIR/want"
	mended
	[ -z "$(grep intruder /etc/netns/np2.leaf33/hosts)" ]
	grep -q '^198\.18\.1\.12	leaf12-eth0 leaf12 leaf12\.np2$' /etc/netns/np2.leaf12/hosts
}
