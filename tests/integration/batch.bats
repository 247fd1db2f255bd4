#!/usr/bin/env bats
# batch mode: -b FILE / -b -, one process, per-line options, checks first.

load helpers

B=/run/batch.in

# The batch file from the arguments, one line each.
batch() {
	printf '%s\n' "$@" > "$B"
}

# run_n with INPUT (and a newline) piped to standard input: run_stdin INPUT ARGS...
run_stdin() {
	local input=$1
	shift
	run_n "$@" < <(printf '%s\n' "$input")
}

# Are these the only names in the run dir (sorted, space-separated)?
names_are() {
	assert_equal "$(ns_names)" "$1"
}

has_link_cmd() {
	"$N" link -h >/dev/null 2>&1
}

@test "batch: lines run in order, comments and blank lines skipped" {
	batch "# a lab" "" "add a" "   # indented comment" "add b   # trailing comment" \
		"list" "exec a ip -o link show lo"
	run_n -b "$B"
	assert_success
	assert_equal "$err" ""
	assert_equal "$(printf '%s\n' "$output" | sed -n 1,2p)" "$(printf 'a\nb')"
	[[ $output == *"1: lo:"*"UP"* ]]
	run ip netns list
	assert_output --partial a
	assert_output --partial b
}

@test "batch: quoting, escapes and line continuation" {
	batch "add 'my ns'" \
		"exec 'my ns' echo 'a  b' \"c \\\"d\\\" \\\\e\" f\\ g '' \"it's\" '#x' y#z" \
		"exec 'my ns' \\" \
		"   echo joined \\" \
		"   lines"
	run_n -b "$B"
	assert_success
	assert_equal "$output" "$(printf '%s\n' 'a  b c "d" \e f g  it'"'"'s #x y#z' 'joined lines')"
	[ -e "/run/netns/my ns" ]
	run ip netns exec "my ns" true
	assert_success
}

@test "batch: global options before -b apply to every line, a line's own to itself" {
	batch "add a" "list" "-j list" "list"
	run_n -b "$B"
	assert_success
	assert_equal "$output" "$(printf 'a\n[{"name":"a"}]\na')"
	# -j before -b: every line
	batch "list" "list"
	run_n -j -b "$B"
	assert_success
	assert_equal "$output" "$(printf '[{"name":"a"}]\n[{"name":"a"}]')"
	[ "$(printf '%s\n' "$output" | jq -s length)" = 2 ]
}

@test "batch: a line's -n applies to that line only" {
	# -n on a command that takes none is refused, naming the line; the
	# next line, without -n, is fine: -n did not leak into it
	batch "add a" "-n a list" "list"
	run_n -b "$B"
	assert_equal "$status" 2
	assert_equal "$err" "netnsctl: $B:2: list: -n/--netns does not apply to this command"
	names_are ""
	run_n -f -b "$B"
	assert_equal "$status" 2
	assert_output "a"
	if ! has_link_cmd; then
		skip "link commands not in this build yet"
	fi
	# a's loopback goes down; the next line, without -n, shows our own (up)
	batch "-n a link set lo down" "link show lo"
	run_n -b "$B"
	assert_success
	[[ $output == *"lo:"*"UP"* ]]
	run ip -n a -o link show lo
	refute_output --partial ",UP"
}

@test "batch: the first failing line stops the batch, exit 1, FILE:LINE in the error" {
	batch "add a" "" "delete nope" "add b"
	run_n -b "$B"
	assert_equal "$status" 1
	assert_one_error_line "$err"
	assert_equal "$err" "netnsctl: $B:3: delete \"nope\": no such namespace"
	names_are "a"
}

@test "batch: a failing exec line stops the batch; exec status 0 goes on" {
	batch "add a" "exec a true" "exec a sh -c 'exit 3'" "add b"
	run_n -b "$B"
	assert_equal "$status" 1
	names_are "a"
}

@test "batch -f: goes on after failures, reports each, exits 1" {
	batch "add a" "delete nope" "add a" "add b"
	run_n -f -b "$B"
	assert_equal "$status" 1
	assert_equal "$err" "$(printf '%s\n' "netnsctl: $B:2: delete \"nope\": no such namespace" \
		"netnsctl: $B:3: add \"a\": namespace already exists")"
	names_are "a b"
	# --force is the same
	batch "delete nope" "add c"
	run_n --force --batch "$B"
	assert_equal "$status" 1
	names_are "a b c"
}

@test "batch: a syntax error anywhere is reported before any line runs" {
	local bad
	for bad in "add 'c" 'add "c' "bogus c" "add ../c" "add" "attach c notapid" \
		"-x add c" "exec" "-b other list" "--run-dir /run/x list" "-f add c" \
		"-h" "-j" "list extra" "exec a"; do
		batch "add a" "add b" "$bad" "add d"
		run_n -b "$B"
		assert_equal "$status" 2
		assert_one_error_line "$err"
		[[ $err == "netnsctl: $B:3: "* ]] || { echo "$bad: $err"; false; }
		names_are ""
	done
}

@test "batch: continuation lines keep line numbers right" {
	batch "add a \\" "  b" "add 'c" "add d"
	run_n -b "$B"
	assert_equal "$status" 2
	assert_equal "$err" "netnsctl: $B:3: unterminated single quote"
	batch "add a \\" "  b" "" "delete nope"
	run_n -b "$B"
	assert_equal "$status" 1
	assert_equal "$err" "netnsctl: $B:4: delete \"nope\": no such namespace"
	names_are "a b"
	printf 'add c\nadd d\\' > "$B"
	run_n -b "$B"
	assert_equal "$status" 2
	assert_equal "$err" "netnsctl: $B:2: backslash at the end of the input"
	names_are "a b"
}

@test "batch -f with syntax errors: every bad line reported, good ones run, exit 2" {
	batch "add a" "bogus" "delete nope" "add 'x" "add b"
	run_n -f -b "$B"
	assert_equal "$status" 2
	# syntax errors first (the check), then the failure (the run)
	assert_equal "$err" "$(printf '%s\n' "netnsctl: $B:2: unknown command \"bogus\" (try: netnsctl --help)" \
		"netnsctl: $B:4: unterminated single quote" \
		"netnsctl: $B:3: delete \"nope\": no such namespace")"
	names_are "a b"
}

@test "batch from standard input: -b -, errors name it -" {
	run_stdin "$(printf 'add a\nlist\n')" -b -
	assert_success
	assert_output "a"
	run_stdin "$(printf 'add b\ndelete nope\n')" -b -
	assert_equal "$status" 1
	assert_equal "$err" 'netnsctl: -:2: delete "nope": no such namespace'
	run_stdin "$(printf 'add c\nadd "x\n')" --batch -
	assert_equal "$status" 2
	assert_equal "$err" 'netnsctl: -:2: unterminated double quote'
	names_are "a b"
}

@test "batch: empty file, missing file, a command after -b" {
	: > "$B"
	run_n -b "$B"
	assert_success
	assert_equal "$err" ""
	run_n -b /run/no-such-batch
	assert_equal "$status" 1
	assert_equal "$err" 'netnsctl: batch "/run/no-such-batch": No such file or directory'
	batch "add a"
	run_n -b "$B" add b
	assert_equal "$status" 2
	assert_one_error_line "$err"
	run_n -b
	assert_equal "$status" 2
	assert_one_error_line "$err"
	names_are ""
}

@test "batch: help asked for in a line is printed once, when the line runs" {
	batch "add -h" "add a"
	run_n -b "$B"
	assert_success
	assert_equal "$(printf '%s\n' "$output" | grep -c '^Usage: netnsctl add')" 1
	names_are "a"
}

@test "batch: random bytes are a syntax error: exit 2, one line, nothing done" {
	local i
	for i in $(seq 1 30); do
		head -c 4096 /dev/urandom > "$B"
		run_n -b "$B"
		[ "$status" = 2 ] || { echo "round $i: status $status"; od -c "$B" | head; false; }
		assert_one_error_line "$err"
		# the same with -f: every bad line reported, no crash
		run_n -f -b "$B"
		[ "$status" = 2 ] || { echo "round $i -f: status $status"; false; }
	done
	names_are ""
}

@test "batch: a deleted namespace is let go at once (its veth peer elsewhere goes)" {
	# The batch holds a netlink socket in "a" (add opened it to set lo up).
	# Were it kept after "delete a", the namespace and so vb in "b" would
	# live on. The last line, run by the same batch, waits for vb to go.
	batch "add a" "add b" \
		"exec a ip link add va type veth peer name vb netns b" \
		"exec b ip link show vb" \
		"delete a" \
		"exec b sh -c 'i=0; while ip link show vb >/dev/null 2>&1; do i=\$((i+1)); [ \$i -lt 200 ] || exit 1; sleep 0.05; done'"
	run_n -b "$B"
	assert_success
	run ip -n b link show vb
	assert_failure
}

# bats test_tags=stress
@test "batch: 1500 namespaces with ulimit -n 256: no fd runs out, the cache stays bounded" {
	local i
	{
		for i in $(seq 1 1500); do
			echo "add ns$i"
		done
		if has_link_cmd; then
			for i in $(seq 1 1500); do
				echo "-n ns$i link set lo down"
			done
		fi
		# the batch's own fds, seen by its exec child
		echo "exec ns1500 sh -c 'ls /proc/\$PPID/fd | wc -l'"
		echo "exec ns1 sh -c 'ls -l /proc/\$PPID/fd | grep -c socket:'"
	} > "$B"
	run bash -c "ulimit -n 256 && exec \"$N\" -b \"$B\""
	assert_success
	local fds socks
	fds=$(printf '%s\n' "$output" | sed -n 1p)
	socks=$(printf '%s\n' "$output" | sed -n 2p)
	echo "fds $fds sockets $socks"
	[ "$fds" -le 80 ]
	[ "$socks" -ge 1 ] && [ "$socks" -le 64 ]
	[ "$(ls /run/netns | wc -l)" = 1500 ]
	run ip -n ns777 -o link show lo
	assert_success
}
