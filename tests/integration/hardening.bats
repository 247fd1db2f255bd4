#!/usr/bin/env bats
# Hostile input: symlinks and odd files in the run dir, other namespace
# types mounted on names, a battery of malformed arguments for every command
# and keyword, fd leaks into exec'd commands and across many names, and
# privileges really dropped by exec --user. Figures printed with
# "# hardening:" are collected for the report.

load helpers

teardown() {
	# the FIFO, directory and device node tests leave what clean_all keeps
	local f
	for f in "$RD"/*; do
		[ -d "$f" ] && [ ! -L "$f" ] && ! mountpoint -q "$f" && rmdir "$f"
	done
	clean_all
	umount /run/outside/nsfile 2>/dev/null || true
}

# What a bad command must not change: files under /run, mounts, links in
# every namespace.
system_snapshot() {
	find /run -path /run/.sandbox -prune -o -printf '%p %y %m %s\n' | sort
	awk '{print $5, $9}' /proc/self/mountinfo | sort
	ip -o link show | awk '{print $2}'
	# (not `ip netns list`: it opens every name, and blocks on a FIFO)
	for ns in $("$N" -j list | jq -r '.[] | select(.stale | not) | .name'); do
		echo "netns $ns"
		ip -n "$ns" -o link show | awk '{print $2}'
	done
}

# bad STATUS ARGS...: exactly STATUS, exactly one "netnsctl: " line, no crash.
tried=0
bad() {
	local want=$1
	shift
	run_n "$@"
	tried=$((tried + 1))
	if [ "$status" != "$want" ] || ! assert_one_error_line "$err" >/dev/null; then
		echo "netnsctl $(printf '%q ' "$@")-> exit $status, want $want; stderr: $err"
		return 1
	fi
}

# A random string of $1 bytes (no NUL) that holds a control character, so
# that it is never a valid name, number or option.
rnd() {
	local s
	s=$(head -c "$1" /dev/urandom | tr -d '\000' | tr '/' 'x'; echo x)
	printf '%s\001%s' "${s%x}" "${RANDOM}"
}

@test "symlinks in the run dir are never followed: by add, delete, exec, pids, attach, identify or list" {
	"$N" add real
	mkdir -p /run/outside
	echo precious > /run/outside/file
	mkdir -p /run/outside/dir
	# a live namespace mounted outside the run dir: a followed delete would unmount it
	touch /run/outside/nsfile
	mount --bind "$RD/real" /run/outside/nsfile
	ln -s /run/outside/file "$RD/to-file"
	ln -s /run/outside/dir "$RD/to-dir"
	ln -s /run/outside/nsfile "$RD/to-ns"
	ln -s real "$RD/to-real"
	ln -s /run/outside/nothing "$RD/dangling"
	before=$(system_snapshot)
	for l in to-file to-dir to-ns to-real dangling; do
		run_n add "$l"
		assert_equal "$status" 1
		assert_one_error_line "$err"
		run_n delete "$l"
		assert_equal "$status" 1
		assert_equal "$err" "netnsctl: delete \"$l\": not a namespace name file (a symbolic link)"
		run_n exec "$l" true
		assert_equal "$status" 125
		assert_one_error_line "$err"
		run_n pids "$l"
		assert_equal "$status" 1
		assert_one_error_line "$err"
		run_n attach "$l" "$$"
		assert_equal "$status" 1
		assert_one_error_line "$err"
		run_n delete --kill=0 --wait=1 "$l"
		assert_equal "$status" 1
	done
	run "$N" identify
	assert_output ""
	run_n exec real "$N" identify
	assert_output "real"
	run "$N" list
	assert_output $'dangling (stale)\nreal\nto-dir (stale)\nto-file (stale)\nto-ns (stale)\nto-real (stale)'
	# the exec --all pass skips them too
	run_n exec --all true
	assert_equal "$status" 1
	[ "$(echo "$err" | grep -c 'stale name, skipped')" -eq 5 ]
	[ "$(system_snapshot)" = "$before" ] || { diff <(echo "$before") <(system_snapshot); false; }
	# delete --all removes the real one, refuses each link, exits 1
	run_n delete --all --wait=2
	assert_equal "$status" 1
	[ "$(echo "$err" | grep -c 'symbolic link')" -eq 5 ]
	run ls "$RD"
	assert_output $'dangling
to-dir
to-file
to-ns
to-real'
	# everything outside is intact and still mounted
	[ "$(cat /run/outside/file)" = precious ]
	[ -d /run/outside/dir ]
	grep -q ' /run/outside/nsfile ' /proc/self/mountinfo
	umount /run/outside/nsfile
}

@test "FIFOs, directories and device nodes in the run dir are never opened and never removed" {
	"$N" add ok
	mkfifo "$RD/fifo"
	mkdir "$RD/dir"
	mknod "$RD/null" c 1 3
	before=$(system_snapshot)
	# a FIFO opened for reading would block: everything must return
	run timeout 10 "$N" list
	assert_success
	assert_output $'dir (stale)\nfifo (stale)\nnull (stale)\nok'
	for f in fifo dir null; do
		run timeout 10 "$N" exec "$f" true
		[ "$status" -eq 125 ] || { echo "exec $f: $status $output"; false; }
		assert_one_error_line "$output"
		run timeout 10 "$N" pids "$f"
		assert_equal "$status" 1
		run_n delete "$f"
		assert_equal "$status" 1
		assert_equal "$err" "netnsctl: delete \"$f\": not a namespace name file (not a regular file)"
		run timeout 10 "$N" add "$f"
		assert_equal "$status" 1
	done
	run timeout 10 "$N" identify
	assert_success
	[ "$(system_snapshot)" = "$before" ]
}

@test "a symlinked run dir is followed, as configured (/var/run is one), and works end to end" {
	mkdir -p /run/real-netns
	ln -s /run/real-netns /run/linked
	run_n --run-dir /run/linked add viaLink
	assert_success
	[ -e /run/real-netns/viaLink ]
	run "$N" --run-dir /run/linked list
	assert_output "viaLink"
	"$N" --run-dir /run/linked exec viaLink true
	run_n --run-dir /run/linked delete --wait viaLink
	assert_success
	[ ! -e /run/real-netns/viaLink ]
	! grep -q ' /run/real-netns/viaLink ' /proc/self/mountinfo
}

@test "other namespace types mounted on a name: not a network namespace, for every command" {
	mkdir -p "$RD"
	unshare --uts --ipc --mount --pid --fork --user sleep 60 3>&- &
	holder=$!
	# the namespaces are those of the sleep unshare forked, or of unshare itself
	sleeper() { pgrep -P "$holder" sleep || echo "$holder"; }
	sleeper_inside() { in_other_ns "$(sleeper)" uts; }
	wait_for 100 sleeper_inside
	pid=$(sleeper)
	types=()
	for t in uts ipc mnt pid_for_children user; do
		[ -e "/proc/$pid/ns/$t" ] || continue
		touch "$RD/$t"
		mount --bind "/proc/$pid/ns/$t" "$RD/$t" || { rm -f "$RD/$t"; continue; }
		types+=("$t")
	done
	# and a plain file bound on a name
	echo x > /run/plain
	touch "$RD/plain"
	mount --bind /run/plain "$RD/plain"
	types+=(plain)
	[ "${#types[@]}" -ge 4 ]
	for t in "${types[@]}"; do
		run "$N" list
		assert_output --partial "$t (stale)"
		run_n exec "$t" true
		assert_equal "$status" 125
		assert_one_error_line "$err"
		[[ $err == *stale* ]]
		run_n pids "$t"
		assert_equal "$status" 1
		run "$N" identify "$pid"
		assert_output ""
		run_n -n "$t" list
		[ "$status" -eq 2 ]
	done
	# delete removes the names, and only them: the namespaces live on
	for t in "${types[@]}"; do
		run_n delete --wait=2 "$t"
		assert_success
		[ ! -e "$RD/$t" ]
	done
	[ "$(cat /run/plain)" = x ]
	kill -0 "$pid"
	# (unshare --fork ignores TERM while its child lives, and the child is
	# the PID namespace's init: only KILL ends it, and at once)
	kill -KILL "$pid"; wait "$holder" || true
	echo "# hardening: ${#types[@]} foreign mount types on names" >&3
}

@test "names that are odd but valid work end to end: spaces, UTF-8, 255 bytes, dots" {
	long=$(printf 'n%.0s' $(seq 1 255))
	for name in "with space" "ünïcødé" "$long" "...x" ".hidden" "a:b" "tab-less_name~1"; do
		"$N" add "$name"
		run "$N" exec "$name" ip -br link show lo
		assert_success
		run "$N" -j list
		echo "$output" | jq -e --arg n "$name" 'any(.[]; .name == $n and (.stale | not))'
		"$N" delete --wait "$name"
		[ ! -e "$RD/$name" ]
	done
}

# The battery of malformed arguments, in parts (each part its own test, so
# that a loaded machine never runs one into the per-test timeout): each part
# starts from one namespace with a veth and must leave the system as it was.
battery_setup() {
	"$N" add ns1
	ip link add vb0 type veth peer name vb1 netns ns1
	before=$(system_snapshot)
	long=$(printf 'x%.0s' $(seq 1 256))
	huge=$(printf 'y%.0s' $(seq 1 5000))
	badnames=("" . .. a/b ../escape /abs -x -- $'a\tb' $'a\nb' $'\x01' $'\x7f' $'\e[31mred' "$long" "$long$long")
	badnums=(0 -1 1.5 0x "" " 1" "1 " +1 1e3 99999999999999999999 0x40000000 1073741824 abc $'1\n' 18446744073709551616)
}

battery_check() {
	[ "$(system_snapshot)" = "$before" ] || { diff <(echo "$before") <(system_snapshot); false; }
}

battery_global() {
	# global options
	bad 2
	bad 2 -n
	bad 2 --netns
	bad 2 --netns=
	bad 2 --run-dir
	bad 2 --run-dir=
	bad 2 --run-dir relative list
	bad 2 -b
	bad 2 --batch=
	bad 2 --json=1 list
	bad 2 --jso list
	bad 2 -x
	bad 2 ---
	bad 2 -
	bad 2 -- -x
	bad 2 -j
	bad 2 ""
	bad 2 ADD x
	bad 2 $'add\n' x
	bad 2 frobnicate
	for cmd in add attach delete list identify pids; do
		bad 2 -n ns1 "$cmd" x
	done
	bad 125 -n ns1 exec ns1 true
	for n in "${badnames[@]}"; do
		bad 2 -n "$n" list
		bad 2 --netns="$n" list
	done
	echo "# hardening: $tried malformed command lines (global options)" >&3
}

@test "a battery of malformed arguments, global options: one error line, the right exit code, nothing changed" {
	battery_setup

	untraced battery_global
	battery_check
}

battery_add_attach_delete() {
	# add
	bad 2 add
	bad 2 add --lo-down
	bad 2 add --bogus x
	bad 2 add --lo-down=1 x
	bad 2 add -- 
	for n in "${badnames[@]}"; do
		[ "$n" = -- ] && continue
		bad 2 add "$n"
		bad 2 add ok "$n"
		bad 2 add --lo-down "$n"
	done
	bad 1 add ns1

	# attach
	bad 2 attach
	bad 2 attach x
	bad 2 attach x 1 2
	for n in "${badnames[@]}"; do bad 2 attach "$n" 1; done
	for v in "${badnums[@]}"; do bad 2 attach x "$v"; done
	bad 1 attach x 1073741823         # in range, but no such process
	bad 1 attach ns1 1                # exists

	# delete
	bad 2 delete
	bad 2 delete --all x
	bad 2 delete --bogus x
	bad 2 delete --kill
	bad 2 delete --wait
	bad 2 delete --killall x
	bad 2 delete --wait5 x
	for v in -1 86401 abc "" 1.5 0x $'\n' 99999999999999999999 " 3"; do
		bad 2 delete --kill="$v" x
		bad 2 delete --wait="$v" x
		bad 2 delete --wait="$v" --all
	done
	for n in "${badnames[@]}"; do
		[ "$n" = -- ] && continue
		bad 2 delete "$n"
		bad 2 delete --wait "$n"
		bad 2 delete ns-missing-too "$n"
	done
	bad 1 delete nosuch
	bad 1 delete --kill --wait=1 nosuch
	echo "# hardening: $tried malformed command lines (add, attach, delete)" >&3
}

@test "a battery of malformed arguments, add, attach and delete: one error line, the right exit code, nothing changed" {
	battery_setup

	untraced battery_add_attach_delete
	battery_check
}

battery_list_exec() {
	# list, identify, pids
	bad 2 list x
	bad 2 list --all
	bad 2 identify 1 2
	for v in "${badnums[@]}"; do bad 2 identify "$v"; done
	bad 1 identify 1073741823
	bad 2 pids
	bad 2 pids a b
	for n in "${badnames[@]}"; do
		[ "$n" = -- ] && continue
		bad 2 pids "$n"
	done
	bad 1 pids nosuch

	# exec: 125 for everything of ours
	bad 125 exec
	bad 125 exec ns1
	bad 125 exec -u
	bad 125 exec --user
	bad 125 exec --user= ns1 true
	bad 125 exec -u "" ns1 true
	bad 125 exec --bogus ns1 true
	bad 125 exec -a
	bad 125 exec --all
	bad 125 exec nosuch true
	bad 125 exec -u nosuchuser ns1 true
	bad 125 exec -u 4294967295 ns1 true
	bad 125 exec -u -1 ns1 true
	bad 125 exec -u $'bad\nuser' ns1 true
	for n in "${badnames[@]}"; do
		[ "$n" = -- ] && continue
		bad 125 exec "$n" true
	done
	bad 127 exec ns1 /nonexistent
	bad 127 exec ns1 $'evil\ncmd'
	echo "# hardening: $tried malformed command lines (list, identify, pids, exec)" >&3
}

@test "a battery of malformed arguments, list, identify, pids and exec: one error line, the right exit code, nothing changed" {
	battery_setup

	untraced battery_list_exec
	battery_check
}

battery_overlong_random() {
	# overlong run dir: the system refuses, one line
	bad 1 --run-dir "/$huge" list
	bad 1 --run-dir "/$huge" add x
	bad 1 --run-dir "/$huge" delete x
	bad 125 --run-dir "/$huge" exec x true

	# random bytes, everywhere
	for i in $(seq 1 40); do
		r=$(rnd $((RANDOM % 300 + 1)))
		bad 2 "-$r"
		bad 2 "z$r"
		bad 2 add "$r"
		bad 2 delete "$r"
		bad 2 delete --wait="$r" x
		bad 2 delete --kill="$r" x
		bad 2 attach x "$r"
		bad 2 attach "$r" 1
		bad 2 identify "$r"
		bad 2 pids "$r"
		bad 2 -n "$r" list
		bad 2 list "$r"
		bad 125 exec "$r" true
		bad 125 exec -u "$r" ns1 true
		bad 2 --run-dir "$r" list
	done
	echo "# hardening: $tried malformed command lines (overlong, random)" >&3
}

# bats test_tags=stress
@test "a battery of malformed arguments, overlong and random: one error line, the right exit code, nothing changed" {
	battery_setup

	untraced battery_overlong_random
	battery_check
}

@test "no fd of ours reaches exec'd commands: exec, exec --all, exec -u, after sockets were opened" {
	"$N" add a b
	ip link add va type veth peer name pa netns a
	exec 7</dev/null
	base=$(sh -c 'ls /proc/self/fd' | sort -n | tr '\n' ' ')
	for args in "exec a" "-j exec a" "exec -u root a"; do
		# shellcheck disable=SC2086
		ours=$("$N" $args sh -c 'ls /proc/self/fd' | sort -n | tr '\n' ' ')
		assert_equal "$ours" "$base"
	done
	# exec --all has listed (and opened a socket for ids) before forking
	run "$N" exec --all sh -c 'ls -l /proc/self/fd | grep -c -e socket: -e "net:\[" -e /run/netns || true'
	assert_output $'\nnetns: a\n0\n\nnetns: b\n0'
	run "$N" exec --all sh -c 'ls /proc/self/fd | sort -n | tr "\n" " "'
	[ "$(echo "$output" | grep -vc -e '^$' -e '^netns:')" -eq 2 ]
	echo "$output" | grep -v -e '^$' -e '^netns:' | while read -r l; do
		[ "$l " = "$base" ] || [ "$l" = "$base" ] || { echo "got '$l' want '$base'"; false; }
	done
	exec 7<&-
}

@test "no fd leaks across many names: list, identify, delete --all and exec --all under a small fd limit" {
	for i in $(seq 1 150); do echo "n$i"; done | xargs "$N" add
	touch "$RD/stale-one"
	run bash -c "ulimit -n 20; '$N' list | wc -l"
	assert_output 151
	run bash -c "ulimit -n 20; '$N' -j list | jq length"
	assert_output 151
	run bash -c "ulimit -n 20; '$N' identify"
	assert_success
	run bash -c "ulimit -n 20; '$N' exec --all true 2>&1 | grep -c 'stale name, skipped'"
	assert_output 1
	run bash -c "ulimit -n 20; '$N' delete --all --wait"
	assert_success
	run ls -A "$RD"
	assert_output ""
	[ "$(name_mounts)" -eq 0 ]
}

@test "exec --user really drops privileges: uid, gid, groups, capabilities, no way back" {
	"$N" add ns1
	# test users live in the sandbox's overlay of /etc only
	add_labuser
	echo "nogroup2:x:4400:5555:No Group:/run:/bin/sh" >> /etc/passwd
	echo "labother:x:4323:someoneelse" >> /etc/group
	run "$N" exec -u labuser ns1 sh -c 'grep -E "^(Uid|Gid|Groups|CapInh|CapPrm|CapEff|CapAmb):" /proc/self/status'
	assert_success
	assert_line --regexp '^Uid:\s+4321\s+4321\s+4321\s+4321$'
	assert_line --regexp '^Gid:\s+4321\s+4321\s+4321\s+4321$'
	assert_line --regexp '^Groups:\s+4321 4322\s*$'
	assert_line --regexp '^CapInh:\s+0+$'
	assert_line --regexp '^CapPrm:\s+0+$'
	assert_line --regexp '^CapEff:\s+0+$'
	assert_line --regexp '^CapAmb:\s+0+$'
	# root's own groups are gone
	run "$N" exec -u labuser ns1 id -G
	assert_output "4321 4322"
	# by number too; a user whose group has no entry
	run "$N" exec -u 4321 ns1 id -u
	assert_output 4321
	run "$N" exec -u nogroup2 ns1 id -G
	assert_output 5555
	# no way back: setuid, a privileged network change, root's files
	run "$N" exec -u labuser ns1 sh -c 'ip link add dummyx type veth peer name dummyy 2>&1; echo rc=$?'
	assert_output --partial "rc=2"
	refute_output --partial "rc=0"
	run "$N" exec -u labuser ns1 python3 -c 'import os
try:
    os.setuid(0); print("regained")
except PermissionError:
    print("denied")'
	assert_output denied
	run "$N" exec -u labuser ns1 sh -c '(echo x > /etc/netnsctl-root-only) 2>/dev/null && echo wrote || echo refused'
	assert_output refused
	[ ! -e /etc/netnsctl-root-only ]
	# and still inside the namespace, with the network it had
	run "$N" exec -u labuser ns1 ip -br link show
	assert_output --regexp '^lo '
}

@test "exec --user keeps securebits from giving capabilities back" {
	command -v setpriv >/dev/null || skip "setpriv not installed"
	"$N" add ns1
	add_labuser
	# a caller that asks the kernel to keep capabilities across setuid
	run setpriv --securebits +no_setuid_fixup,+no_setuid_fixup_locked "$N" exec -u labuser ns1 \
		sh -c 'grep -E "^Cap(Prm|Eff|Amb):" /proc/self/status'
	assert_success
	assert_line --regexp '^CapPrm:\s+0+$'
	assert_line --regexp '^CapEff:\s+0+$'
	assert_line --regexp '^CapAmb:\s+0+$'
}

@test "regression: a run dir name with control characters lists as one escaped line" {
	"$N" add fine
	touch "$RD/"$'evil\nfake (id: 1)' "$RD/"$'esc\e[2J'
	run "$N" list
	assert_output $'esc\\x1b[2J (stale)\nevil\\x0afake (id: 1) (stale)\nfine'
	[ "${#lines[@]}" -eq 3 ]
	run "$N" -j list
	[ "$(echo "$output" | jq -r '.[1].name')" = $'evil\nfake (id: 1)' ]
	# delete --all reports the names it cannot take, one line each, and goes on
	run_n delete --all
	assert_equal "$status" 1
	[ "$(echo "$err" | wc -l)" -eq 2 ]
	[[ $err == *'evil\x0afake'* ]]
	[ ! -e "$RD/fine" ]
	rm -f "$RD/"$'evil\nfake (id: 1)' "$RD/"$'esc\e[2J'
}
