#!/usr/bin/env bats
# Races and faults: parallel adds and deletes, kills at every syscall of add
# and delete, adds in flight against deletes, delete --wait against the
# kernel's asynchronous teardown. Every figure printed with "# races:" is
# collected for the hardening report.

load helpers

# Remove the run dir and its mount: the next add starts from nothing.
no_run_dir() {
	clean_all
	while umount -l "$RD" 2>/dev/null; do :; done
	rmdir "$RD" 2>/dev/null || true
	[ ! -e "$RD" ]
}

# Each name is live and works, or stale and handled as stale; nothing else
# is mounted in the run dir, and the run dir is mounted at most once.
assert_consistent() {
	local name live=0 js state
	[ "$(mounts_at "$RD")" -le 1 ] || { echo "run dir mounted $(mounts_at "$RD") times"; return 1; }
	[ -d "$RD" ] || return 0
	js=$("$N" -j list) || { echo "list failed"; return 1; }
	for name in $(echo "$js" | jq -r '.[].name'); do
		state=$(echo "$js" | jq -r --arg n "$name" '.[] | select(.name == $n) | if .stale then "stale" else "live" end')
		if [ "$state" = live ]; then
			[ "$(mounts_at "$RD/$name")" -eq 1 ] || { echo "$name: $(mounts_at "$RD/$name") mounts"; return 1; }
			"$N" exec "$name" true || { echo "$name: exec failed"; return 1; }
			ip netns exec "$name" true || { echo "$name: ip netns exec failed"; return 1; }
			live=$((live + 1))
		else
			[ "$(mounts_at "$RD/$name")" -eq 0 ] || { echo "$name: stale but mounted"; return 1; }
			run_n exec "$name" true
			[ "$status" -eq 125 ] || { echo "$name: exec of stale exited $status"; return 1; }
			assert_one_error_line "$err" || return 1
			[[ $err == *stale* ]] || { echo "$name: $err"; return 1; }
			"$N" delete "$name" || { echo "$name: delete of stale failed"; return 1; }
			[ ! -e "$RD/$name" ] || { echo "$name: still there after delete"; return 1; }
		fi
	done
	[ "$(name_mounts)" -eq "$live" ] || { echo "$(name_mounts) name mounts for $live live names"; return 1; }
}

# The kill points of a command: "syscall:N" for the N-th call of syscall by
# one thread, from the first touch of the run dir on (before it, a kill can
# only leave nothing). Prints one per line.
kill_points() {
	local trace
	trace=$(mktemp)
	traced strace -f -qq -o "$trace" "$@" >/dev/null 2>&1 || true
	# strace counts when=N from the start of each thread: so do we
	awk -v rd="$RD" '
		index($0, rd) || index($0, "/var/run/netns") { on = 1 }
		$2 ~ /^<\.\.\./ || $2 ~ /^\+\+\+/ || $2 ~ /^---/ { next }
		{
			split($2, a, "(")
			sc = a[1]
			if (sc !~ /^[a-z_0-9]+$/) next
			n = ++count[$1 " " sc]
			if (on) print sc ":" n
		}' "$trace" | sort -u
	rm -f "$trace"
}

# Run "$@" killed at syscall:N; echo the exit status.
kill_at() {
	local point=$1 sc n
	shift
	sc=${point%%:*}
	n=${point##*:}
	traced strace -f -qq -o /dev/null -e trace="$sc" \
		-e inject="$sc":signal=KILL:when="$n" "$@" >/dev/null 2>&1 3>&- && echo 0 || echo $?
}

# Wait until process $1 sits in syscall number $2 (flock is 73 on x86_64).
in_syscall() {
	[ "$(cut -d' ' -f1 "/proc/$1/syscall" 2>/dev/null)" = "$2" ]
}

# Run "$@" COUNT times at once: at_once DIR COUNT CMD... Run I's exit
# status goes to DIR/rcI, its stderr to DIR/errI.
at_once() {
	local dir=$1 count=$2 i pids=()
	shift 2
	for i in $(seq 1 "$count"); do
		(rc=0; "$@" 2>"$dir/err$i" || rc=$?; echo $rc >"$dir/rc$i") 3>&- &
		pids+=($!)
	done
	wait_pids "${pids[@]}"
}

@test "parallel first adds of 40 names: all live, run dir mounted once, no name mounted twice" {
	for round in 1 2 3; do
		no_run_dir
		pids=()
		for i in $(seq 1 40); do "$N" add "p$i" 3>&- & pids+=($!); done
		wait_pids "${pids[@]}"
		run "$N" list
		[ "$(echo "$output" | wc -l)" -eq 40 ]
		refute_output --partial stale
		[ "$(mounts_at "$RD")" -eq 1 ]
		[ "$(name_mounts)" -eq 40 ]
		grep " $RD " /proc/self/mountinfo | grep -q shared:
		assert_consistent
	done
	echo "# races: 120 parallel first adds" >&3
}

@test "regression: an add that waited for the lock while another mounted the run dir made a stale name" {
	no_run_dir
	# A stops before binding the run dir on itself, holding the lock
	traced strace -f -qq -o /dev/null -e trace=mount \
		-e inject=mount:delay_enter=1500000:when=2 "$N" add A 3>&- &
	a=$!
	wait_for 100 test -d "$RD"
	# B opened the run dir before the mount and waits for the lock
	"$N" add B 3>&- &
	b=$!
	wait_for 100 in_syscall "$b" 73
	[ "$(mounts_at "$RD")" -eq 0 ]   # A has not mounted yet: B's fd is below
	wait_pids "$a" "$b"
	run "$N" list
	assert_output $'A\nB'
	ip netns exec B true
	assert_consistent
}

@test "parallel adds of one name: exactly one wins, the others say it exists, the winner works" {
	for round in 1 2 3 4 5; do
		[ "$round" -eq 1 ] && no_run_dir
		dir=$(mktemp -d)
		at_once "$dir" 30 "$N" add same
		[ "$(cat "$dir"/rc* | grep -c '^0$')" -eq 1 ]
		[ "$(cat "$dir"/rc* | grep -c '^1$')" -eq 29 ]
		[ "$(cat "$dir"/err* | grep -c '^netnsctl: add "same": namespace already exists$')" -eq 29 ]
		[ "$(cat "$dir"/err* | wc -l)" -eq 29 ]
		rm -rf "$dir"
		[ "$(mounts_at "$RD/same")" -eq 1 ]
		run ip -n same -j link show lo
		[ "$(echo "$output" | jq -r '.[0].flags | index("UP") != null')" = true ]
		"$N" exec same ping -c1 -W2 127.0.0.1 >/dev/null
		"$N" delete same
	done
	echo "# races: 150 parallel adds of one name" >&3
}

@test "parallel deletes of one name: exactly one wins, the others say it is gone" {
	for round in 1 2 3 4 5; do
		"$N" add gone
		dir=$(mktemp -d)
		at_once "$dir" 20 "$N" delete gone
		[ "$(cat "$dir"/rc* | grep -c '^0$')" -eq 1 ]
		[ "$(cat "$dir"/err* | grep -c 'no such namespace')" -eq 19 ]
		rm -rf "$dir"
		[ ! -e "$RD/gone" ]
		[ "$(name_mounts)" -eq 0 ]
	done
	echo "# races: 100 parallel deletes of one name" >&3
}

@test "adds and deletes of the same names racing: never a stale name, never a stray mount" {
	"$N" add seed
	for round in 1 2 3 4 5; do
		pids=()
		for i in $(seq 1 12); do
			"$N" add "c$((i % 3))" 2>/dev/null 3>&- & pids+=($!)
			"$N" delete "c$((i % 3))" 2>/dev/null 3>&- & pids+=($!)
		done
		wait_pids "${pids[@]}" || true
		run "$N" list
		refute_output --partial stale
		assert_consistent
	done
	echo "# races: 120 racing add/delete pairs" >&3
}

@test "a name whose add is in flight is not taken for stale: delete waits, leaves it, the add completes and works" {
	"$N" add other
	# the add stops after creating its name file, before the namespace is mounted on it
	traced strace -f -qq -o /dev/null -e trace=unshare \
		-e inject=unshare:delay_enter=1500000 "$N" add flight 3>&- &
	a=$!
	wait_for 100 test -e "$RD/flight"
	run "$N" list
	assert_output --partial "flight (stale)"   # as it looks from outside, for now
	errf=$(mktemp)
	"$N" delete flight 2>"$errf" 3>&- &
	d=$!
	# delete must be waiting for the lock while the add still runs
	wait_for 100 in_syscall "$d" 73
	kill -0 "$a"
	[ -e "$RD/flight" ]
	wait_pids "$a"
	rc=0
	wait "$d" || rc=$?
	assert_equal "$rc" 1
	assert_equal "$(cat "$errf")" 'netnsctl: delete "flight": its add was still in progress; not deleted'
	rm -f "$errf"
	run "$N" list
	assert_output $'flight\nother'
	"$N" exec flight ip -br link show lo
	ip netns exec flight true
	assert_consistent
}

@test "a real stale name is removed even while another add is in flight" {
	"$N" add base
	touch "$RD/stale1"
	traced strace -f -qq -o /dev/null -e trace=unshare \
		-e inject=unshare:delay_enter=1000000 "$N" add flying 3>&- &
	a=$!
	wait_for 100 test -e "$RD/flying"
	"$N" delete stale1 3>&- &
	d=$!
	wait_for 100 in_syscall "$d" 73
	wait_pids "$a" "$d"
	[ ! -e "$RD/stale1" ]
	run "$N" list
	assert_output $'base\nflying'
	assert_consistent
}

# The kill points to try: every one, or every NETNSCTL_KILL_STRIDE-th (the
# sanitizer stage samples: a process killed by SIGKILL never reaches the
# sanitizers' exit checks, so trying every point twice buys little).
sampled() {
	awk -v k="${NETNSCTL_KILL_STRIDE:-1}" '(NR - 1) % k == 0'
}

# add killed at every syscall step, from SCENARIO: "fresh" (no run dir
# yet) or "prepared" (the run dir is mounted, another name lives).
add_killed_everywhere() {
	local scenario=$1 points p rc killed=0
	no_run_dir
	[ "$scenario" = prepared ] && "$N" add keep
	mapfile -t points < <(kill_points "$N" add k)
	[ "${#points[@]}" -gt 20 ]
	"$N" delete k
	[ "$scenario" = fresh ] && no_run_dir
	mapfile -t points < <(printf '%s\n' "${points[@]}" | sampled)
	for p in "${points[@]}"; do
		rc=$(kill_at "$p" "$N" add k)
		[ "$rc" = 137 ] && killed=$((killed + 1))
		[ "$rc" = 137 ] || [ "$rc" = 0 ] || { echo "$p: exit $rc"; false; }
		assert_consistent || { echo "after kill at $p ($scenario)"; false; }
		# whatever was left, the next add works
		"$N" delete k 2>/dev/null || true
		"$N" add k2 || { echo "add after kill at $p failed"; false; }
		"$N" exec k2 true
		[ "$(mounts_at "$RD")" -eq 1 ]
		"$N" delete k2
		[ "$scenario" = fresh ] && no_run_dir
	done
	[ "$killed" -gt $((20 / ${NETNSCTL_KILL_STRIDE:-1})) ]
	echo "# races: add killed at $killed syscall points ($scenario run dir)" >&3
}

@test "add killed at every syscall step, no run dir yet: a working namespace, nothing, or a stale name delete removes" {
	add_killed_everywhere fresh
}

@test "add killed at every syscall step, run dir mounted: a working namespace, nothing, or a stale name delete removes" {
	add_killed_everywhere prepared
}

# A namespace d with a veth and a process inside: the victim of a delete.
setup_victim() {
	"$N" add d
	ip link add vd type veth peer name pd netns d
	ip netns exec d sleep 100 3>&- &
	victim=$!
	wait_for 100 has_pids d
}

end_victim() {
	kill "$victim" 2>/dev/null || true
	wait "$victim" 2>/dev/null || true
}

# delete (MODE "plain") or delete --kill --wait (MODE "kill-wait") killed
# at every syscall step.
delete_killed_everywhere() {
	local mode=$1 args points p rc killed=0
	args=(delete d)
	[ "$mode" = kill-wait ] && args=(delete --kill=1 --wait=10 d)
	setup_victim
	mapfile -t points < <(kill_points "$N" "${args[@]}")
	[ "${#points[@]}" -gt 10 ]
	end_victim
	ip link del vd 2>/dev/null || true
	mapfile -t points < <(printf '%s\n' "${points[@]}" | sampled)
	for p in "${points[@]}"; do
		setup_victim
		rc=$(kill_at "$p" "$N" "${args[@]}")
		[ "$rc" = 137 ] && killed=$((killed + 1))
		[ "$rc" = 137 ] || [ "$rc" = 0 ] || { echo "$p: exit $rc"; false; }
		assert_consistent || { echo "after kill at $p ($mode)"; false; }
		end_victim
		"$N" delete --kill=0 --wait d 2>/dev/null || true
		ip link del vd 2>/dev/null || true
		[ ! -e "$RD/d" ]
	done
	[ "$killed" -gt $((10 / ${NETNSCTL_KILL_STRIDE:-1})) ]
	echo "# races: delete killed at $killed syscall points ($mode)" >&3
}

@test "delete killed at every syscall step leaves a working namespace, nothing, or a stale name" {
	delete_killed_everywhere plain
}

@test "delete --kill --wait killed at every syscall step leaves a working namespace, nothing, or a stale name" {
	delete_killed_everywhere kill-wait
}

@test "delete --wait frees the veth peer names at once, 50 times over (own and named peer namespaces)" {
	"$N" add other
	for i in $(seq 1 50); do
		"$N" add w
		ip link add vw type veth peer name pw netns w
		ip -n other link add vo type veth peer name po netns w
		run_n delete --wait w
		assert_success
		[ -z "$err" ]
		# the names are free again, right now
		ip link add vw type veth peer name qw
		ip -n other link add vo type veth peer name qo
		ip link del vw
		ip -n other link del vo
	done
	echo "# races: 50 delete --wait + re-create rounds" >&3
}

@test "delete --wait: timeout exits 1 with one line; the name is gone all the same" {
	"$N" add held
	ip link add vh type veth peer name ph netns held
	ip netns exec held sleep 60 3>&- &
	pid=$!
	wait_for 100 has_pids held
	run_n delete --wait=1 held
	assert_equal "$status" 1
	assert_one_error_line "$err"
	assert_equal "$err" 'netnsctl: delete "held": name removed, but the namespace was not freed within 1 s (veth peer "vh" still in this netns); 1 process is still inside'
	[ ! -e "$RD/held" ]
	ip link show vh
	kill "$pid"; wait "$pid" || true
	wait_for 100 bash -c '! ip link show vh'
}

@test "delete --wait with another name for the namespace fails at once: it cannot be freed" {
	"$N" add one
	ip link add v1 type veth peer name p1 netns one
	ip netns exec one sleep 30 3>&- &
	pid=$!
	wait_for 100 has_pids one
	"$N" attach two "$pid"
	kill "$pid"; wait "$pid" || true
	run_n delete --wait=20 one
	assert_equal "$status" 1
	assert_one_error_line "$err"
	[[ $err == *'has 1 other name and will not be freed'* ]]
	ip link show v1
	"$N" delete --wait two
	! ip link show v1
}

@test "delete --kill ends the processes inside (TERM, then KILL), then --wait sees it freed" {
	"$N" add k
	ip link add vk type veth peer name pk netns k
	# one that leaves on TERM, one that ignores it
	ip netns exec k sleep 100 3>&- &
	p1=$!
	ip netns exec k sh -c 'trap "" TERM; while :; do sleep 0.2; done' 3>&- &
	p2=$!
	wait_for 100 has_pids k 2
	start=$(date +%s%N)
	run_n delete --kill=1 --wait k
	assert_success
	[ -z "$err" ]
	ms=$((($(date +%s%N) - start) / 1000000))
	[ "$ms" -ge 900 ]        # the TERM-ignoring one waited out its grace
	[ "$ms" -lt 8000 ]
	! kill -0 "$p1" 2>/dev/null
	! kill -0 "$p2" 2>/dev/null
	wait "$p1" || true
	wait "$p2" || true
	! ip link show vk
	ip link add vk type veth peer name pk2
}

@test "delete --kill refuses the caller's own namespace and leaves it" {
	"$N" add me
	run_n exec me "$N" delete --kill me
	assert_equal "$status" 1
	assert_one_error_line "$err"
	assert_equal "$err" "netnsctl: delete \"me\": refusing --kill: it is this process's own network namespace"
	"$N" exec me true
	# delete --all --kill goes on with the others and exits 1
	"$N" add other
	run_n exec me "$N" delete --all --kill=0
	assert_equal "$status" 1
	run "$N" list
	assert_output "me"
}

@test "stress: many namespaces added and deleted with --wait leave nothing behind (tests/stress/many-ns)" {
	# the full run is 1000; CI runs fewer (NETNSCTL_STRESS_N)
	n=${NETNSCTL_STRESS_N:-60}
	run env NETNSCTL="$N" "$BATS_TEST_DIRNAME/../stress/many-ns" "$n"
	assert_success
	assert_line ok
	echo "$output" | grep '^stress:' | sed 's/^/# /' >&3
	echo "# races: $((n * 2)) namespaces through add/delete --wait in the stress run" >&3
}

# Run "$@" with syscall:N failing with EIO; sets status and err (run_n style).
fault_at() {
	local point=$1 sc n errf
	shift
	sc=${point%%:*}
	n=${point##*:}
	errf=$(mktemp)
	status=0
	traced strace -f -qq -o /dev/null -e trace="$sc" \
		-e inject="$sc":error=EIO:when="$n" "$@" >/dev/null 2>"$errf" 3>&- || status=$?
	err=$(<"$errf")
	rm -f "$errf"
}

# The syscalls of the run dir protocol, the namespace and the netlink talk
# (faults in the allocator or the loader would test libc, not us).
FAULTABLE='^(mkdir|openat|flock|mount|umount2|unshare|unlinkat|newfstatat|fstatfs|ioctl|socket|bind|setsockopt|sendto|recvmsg|recvfrom|clone3|getdents64|pidfd_open|pidfd_send_signal|poll|ppoll):'

@test "faults: add and delete with an error at each step fail with one line and leave nothing half-made" {
	total=0
	"$N" add keep
	mapfile -t points < <(kill_points "$N" add f | grep -E "$FAULTABLE")
	[ "${#points[@]}" -gt 10 ]
	"$N" delete f
	for p in "${points[@]}"; do
		fault_at "$p" "$N" add f
		total=$((total + 1))
		case $status in
		0)	"$N" exec f true || { echo "$p: add said ok, f does not work"; false; } ;;
		1)	assert_one_error_line "$err" || { echo "at $p"; false; }
			[ ! -e "$RD/f" ] || { echo "$p: add failed but left $RD/f: $err"; ls -la "$RD"; "$N" list; false; }
			[ "$(mounts_at "$RD/f")" -eq 0 ] ;;
		*)	echo "$p: exit $status: $err"; false ;;
		esac
		assert_consistent || { echo "after fault at $p"; false; }
		"$N" delete f 2>/dev/null || true
	done
	"$N" add f
	ip link add vq type veth peer name pq netns f
	mapfile -t points < <(kill_points "$N" delete --wait=5 f | grep -E "$FAULTABLE")
	[ "${#points[@]}" -gt 10 ]
	for p in "${points[@]}"; do
		"$N" add f 2>/dev/null || true
		ip link add vq type veth peer name pq netns f 2>/dev/null || true
		fault_at "$p" "$N" delete --wait=5 f
		total=$((total + 1))
		[ "$status" -eq 0 ] || [ "$status" -eq 1 ] || { echo "$p: exit $status: $err"; false; }
		if [ "$status" -eq 1 ]; then
			assert_one_error_line "$err" || { echo "at $p"; false; }
		fi
		assert_consistent || { echo "after fault at $p"; false; }
	done
	echo "# races: $total faults injected into add and delete" >&3
}

@test "delete --wait: a veth peer in an unnamed namespace cannot be watched: a warning, exit 0" {
	"$N" add named
	unshare --net sleep 60 3>&- &
	anon=$!
	wait_for 100 in_other_ns "$anon" net
	ip -n named link add va type veth peer name pa netns "$anon"
	run_n delete --wait named
	assert_success
	assert_equal "$err" 'netnsctl: warning: delete "named": 1 veth peer in unnamed namespaces not awaited'
	kill "$anon"; wait "$anon" || true
}

@test "delete --kill ends a process tree that keeps forking and ignores TERM" {
	"$N" add bomb
	ip netns exec bomb sh -c 'trap "" TERM; while :; do sleep 1017 & done' >/dev/null 2>&1 3>&- &
	pid=$!
	wait_for 100 has_pids bomb 20
	run_n delete --kill=0 --wait=20 bomb
	assert_success
	[ -z "$err" ]
	wait "$pid" || true
	! pgrep -f 'sleep 1017' >/dev/null
}
