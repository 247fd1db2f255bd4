#!/usr/bin/env bats
# Input as the kernel and iproute2 read it: numbers never octal, interface
# names the kernel takes as they are, /0 addresses, no false stale names
# while an add or delete is in flight, run's file on stdin and its
# footprint outside its world.

load helpers

# A lab file t.yaml with $1 as its links: line.
lab_with_links() {
	printf 'version: 1\nname: t\nnodes: {a: }\nlinks: [%s]\n' "$1" > "$BATS_TEST_TMPDIR/t.yaml"
}

# --- numbers

@test "exec -u: a numeric uid is decimal (04310 is 4310), never octal or hex" {
	"$N" add x
	# 04310 read as octal would be 2248, 0x10de as hex 4318: both exist here
	echo "u4310:x:4310:4310::/run:/bin/sh" >> /etc/passwd
	echo "u2248:x:2248:2248::/run:/bin/sh" >> /etc/passwd
	echo "u4318:x:4318:4318::/run:/bin/sh" >> /etc/passwd
	run "$N" exec -u 04310 x id -u
	assert_success
	assert_output 4310
	run "$N" exec -u 4310 x id -u
	assert_output 4310
	# id(1) reads no hex either: "no such user"
	run_n exec -u 0x10de x id -u
	assert_equal "$status" 125
	assert_one_error_line "$err"
	assert_equal "$err" 'netnsctl: exec: no such user "0x10de"'
	[ -z "$output" ]
	# a user whose name is digits is that user, as for id(1)
	echo "0077:x:4311:4311::/run:/bin/sh" >> /etc/passwd
	run "$N" exec -u 0077 x id -u
	assert_output 4311
}

@test "numbers: a leading zero is refused on the command line, in batch lines and lab files" {
	ip link add v0 type veth peer name v1
	usage_errors <<-'EOF'
	link set dev v0 mtu 01500|invalid mtu "01500": a leading zero (numbers are decimal, or hexadecimal after 0x)
	link set dev v0 mtu 0800|invalid mtu "0800": a leading zero (numbers are decimal, or hexadecimal after 0x)
	veth add v2 peer v3 mtu 01500|invalid mtu "01500": a leading zero (numbers are decimal, or hexadecimal after 0x)
	route add 192.0.2.0/24 dev v0 table 010|route add: invalid table "010": a leading zero (numbers are decimal, or hexadecimal after 0x)
	EOF
	[ "$(jfield v0 mtu)" = 1500 ]
	! ip link show v2 2>/dev/null
	# batch: refused before the first line acts, with its line number
	printf 'link set dev v0 mtu 1400\nlink set dev v0 mtu 01500\n' > "$BATS_TEST_TMPDIR/b"
	run_n -b "$BATS_TEST_TMPDIR/b"
	assert_equal "$status" 2
	assert_equal "$err" "netnsctl: $BATS_TEST_TMPDIR/b:2: invalid mtu \"01500\": a leading zero (numbers are decimal, or hexadecimal after 0x)"
	[ "$(jfield v0 mtu)" = 1500 ]
	# a lab file, with FILE:LINE:COLUMN
	lab_with_links '{a: {node: a, ifname: e0}, b: {node: a, ifname: e1}, mtu: 01500}'
	run_n lab validate "$BATS_TEST_TMPDIR/t.yaml"
	assert_equal "$status" 2
	assert_equal "$err" "netnsctl: $BATS_TEST_TMPDIR/t.yaml:4:67: invalid mtu \"01500\": a leading zero (numbers are decimal, or hexadecimal after 0x)"
}

@test "numbers: decimal and 0x hexadecimal still work, as the man pages say" {
	ip link add v0 type veth peer name v1
	"$N" link set dev v0 mtu 1400
	[ "$(jfield v0 mtu)" = 1400 ]
	"$N" link set dev v0 mtu 0x5dc
	[ "$(jfield v0 mtu)" = 1500 ]
	"$N" link set dev v0 mtu 0X578
	[ "$(jfield v0 mtu)" = 1400 ]
	lab_with_links '{a: {node: a, ifname: e0}, b: {node: a, ifname: e1}, mtu: 0x5dc}'
	run "$N" lab validate "$BATS_TEST_TMPDIR/t.yaml"
	assert_success
}

# --- interface names

@test "interface names the kernel refuses or misreads are refused, with the reason, nothing made" {
	ip link add v0 type veth peer name v1
	before=$(snapshot)
	usage_errors <<-'EOF'
	veth add e%d peer p0|invalid interface name "e%d": contains '%' (the kernel reads it as a name template)
	veth add p0 peer %|invalid interface name "%": contains '%' (the kernel reads it as a name template)
	veth add all peer p0|invalid interface name "all": reserved (net.*.conf.all and .default are sysctls)
	veth add p0 peer default|invalid interface name "default": reserved (net.*.conf.all and .default are sysctls)
	veth add a:b peer p0|invalid interface name "a:b": contains ':'
	veth add a/b peer p0|invalid interface name "a/b": contains '/'
	veth add .. peer p0|invalid interface name "..": not a name the kernel takes
	veth add . peer p0|invalid interface name ".": not a name the kernel takes
	link set dev v0 name e%d|invalid interface name "e%d": contains '%' (the kernel reads it as a name template)
	link set dev v0 name all|invalid interface name "all": reserved (net.*.conf.all and .default are sysctls)
	link set dev v0 master default|invalid interface name "default": reserved (net.*.conf.all and .default are sysctls)
	addr add 192.0.2.1/24 dev all|invalid interface name "all": reserved (net.*.conf.all and .default are sysctls)
	route add 192.0.2.0/24 dev e%d|route add: invalid interface name "e%d": contains '%' (the kernel reads it as a name template)
	EOF
	# white space, which the word splitting above cannot carry
	run_n veth add "a b" peer p0
	assert_equal "$status" 2
	assert_equal "$err" 'netnsctl: invalid interface name "a b": contains whitespace or a control character'
	[ "$(snapshot)" = "$before" ]
	# names that only look like them are fine
	"$N" veth add all0 peer default1
	ip link show all0 && ip link show default1
}

@test "interface names: batch lines and lab files say where" {
	printf 'veth add p0 peer p1\nveth add e%%d peer p2\n' > "$BATS_TEST_TMPDIR/b"
	run_n -b "$BATS_TEST_TMPDIR/b"
	assert_equal "$status" 2
	assert_equal "$err" "netnsctl: $BATS_TEST_TMPDIR/b:2: invalid interface name \"e%d\": contains '%' (the kernel reads it as a name template)"
	nothing_here
	lab_with_links '{a: {node: a, ifname: "e%d"}, b: {node: a, ifname: e1}}'
	run_n lab validate "$BATS_TEST_TMPDIR/t.yaml"
	assert_equal "$status" 2
	assert_equal "$err" "netnsctl: $BATS_TEST_TMPDIR/t.yaml:4:31: invalid interface name \"e%d\": contains '%' (the kernel reads it as a name template)"
	lab_with_links '{a: {node: a, ifname: e0}, b: {node: a, ifname: default}}'
	run_n lab apply "$BATS_TEST_TMPDIR/t.yaml"
	assert_equal "$status" 2
	assert_equal "$err" "netnsctl: $BATS_TEST_TMPDIR/t.yaml:4:57: invalid interface name \"default\": reserved (net.*.conf.all and .default are sysctls)"
	[ -z "$(ns_names)" ]
}

# --- /0 addresses

@test "addr add/del with a /0 prefix, as ip sends it; the kernel's own error when it refuses" {
	ip link add v0 type veth peer name v1
	ip link set v0 up
	run_n addr add 192.0.2.1/0 dev v0
	assert_success
	[ -z "$err" ]
	[ "$(ip -j -4 addr show dev v0 | jq -r '.[0].addr_info[0] | "\(.local)/\(.prefixlen)"')" = 192.0.2.1/0 ]
	run_n addr add 2001:db8::1/0 dev v0 nodad
	assert_success
	[ "$(ip -j -6 addr show dev v0 scope global | jq -r '.[0].addr_info[0] | "\(.local)/\(.prefixlen)"')" = 2001:db8::1/0 ]
	# 0.0.0.0/0: the kernel takes it and keeps nothing, as for ip
	run_n addr add 0.0.0.0/0 dev v0
	assert_success
	[ -z "$err" ]
	# ::/0: the kernel refuses it, in its own words
	run_n addr add ::/0 dev v0
	assert_equal "$status" 1
	assert_equal "$err" 'netnsctl: addr add "::/0" dev "v0": Cannot assign requested address (kernel: ipv6: Invalid address)'
	run_n addr del 192.0.2.1/0 dev v0
	assert_success
	[ "$(ip -j -4 addr show dev v0 | jq '.[0].addr_info | length')" = 0 ]
	run_n addr flush dev v0
	assert_success
	[ "$(ip -j addr show dev v0 scope global | jq '[.[].addr_info[]] | length')" = 0 ]
}

# --- stale

# One process (a batch) adds and deletes x $1 times; meanwhile list and
# exec x true run in turn until it is done. Prints "LISTS EXECS STALE",
# STALE being the list outputs with "stale" and the exec failures that said
# so. (Main as it was: 29 stale of 40 calls for 300 cycles.)
stale_race() {
	local lists=0 execs=0 stale=0 out adder i
	for ((i = 0; i < $1; i++)); do
		printf 'add x\ndelete x\n'
	done > "$BATS_TEST_TMPDIR/race"
	"$N" -b "$BATS_TEST_TMPDIR/race" 2>/dev/null 3>&- &
	adder=$!
	while kill -0 "$adder" 2>/dev/null; do
		out=$("$N" list 2>&1) || true
		lists=$((lists + 1))
		[[ $out != *stale* ]] || { stale=$((stale + 1)); echo "list: $out" >&2; }
		out=$("$N" exec x true 2>&1) || true
		execs=$((execs + 1))
		[[ $out != *stale* ]] || { stale=$((stale + 1)); echo "exec: $out" >&2; }
	done
	wait_pids "$adder"
	echo "$lists $execs $stale"
}

@test "list and exec never call a name stale while its add or delete is in flight" {
	run stale_race 300
	echo "$output"
	read -r lists execs stale <<<"${lines[-1]}"
	[ "$lists" -gt 0 ] && [ "$execs" -gt 0 ]
	[ "$stale" -eq 0 ]
	# a really stale name is still called so
	touch "$RD/dead"
	run "$N" list
	assert_output "dead (stale)"
	run_n exec dead true
	assert_equal "$status" 125
	assert_equal "$err" 'netnsctl: exec: netns "dead": stale name, no network namespace is mounted on it (remove it with delete)'
}

# Process $1 is blocked in system call number $2 (73: flock on x86_64).
blocked_in() {
	[ "$(cut -d' ' -f1 "/proc/$1/syscall" 2>/dev/null)" = "$2" ]
}

@test "list and exec wait for an add in flight, then show the name live" {
	"$N" add other
	# the add stops after creating its name file, before the namespace is mounted on it
	traced strace -f -qq -o /dev/null -e trace=unshare \
		-e inject=unshare:delay_enter=1500000 "$N" add flight 3>&- &
	a=$!
	wait_for 100 test -e "$RD/flight"
	"$N" list > "$BATS_TEST_TMPDIR/list" 2>&1 3>&- &
	l=$!
	"$N" exec flight ip -br link show lo > "$BATS_TEST_TMPDIR/exec" 2>&1 3>&- &
	x=$!
	# both wait for the run dir's lock while the add still runs
	wait_for 100 blocked_in "$l" 73
	wait_for 100 blocked_in "$x" 73
	kill -0 "$a"
	wait_pids "$a" "$l" "$x"
	assert_equal "$(cat "$BATS_TEST_TMPDIR/list")" $'flight\nother'
	[[ $(cat "$BATS_TEST_TMPDIR/exec") == lo* ]]
}

# --- run

@test "run - reads the lab file from standard input" {
	run_n run - -- sh -c 'ip netns list | sort | tr "\n" " "; echo "$NETNSCTL_LAB"' < "$EX/chain.yaml"
	assert_success
	assert_equal "$output" "chain.r1 chain.r2 chain.r3 chain"
	echo "name: [" > "$BATS_TEST_TMPDIR/bad.yaml"
	run_n run - -- true < "$BATS_TEST_TMPDIR/bad.yaml"
	assert_equal "$status" 125
	assert_one_error_line "$err"
	[[ $err == "netnsctl: <stdin>:"* ]]
}

@test "run leaves nothing next to the run dir on the real filesystem" {
	# the run dir itself may be made, as ip netns add makes it
	before=$(ls -a /run | grep -vx netns)
	run "$N" run "$EX/chain.yaml" -- true
	assert_success
	assert_equal "$(ls -a /run | grep -vx netns)" "$before"
	[ ! -e /run/netns.netnsctl-run ]
}
