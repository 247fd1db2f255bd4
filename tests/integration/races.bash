# The helpers of races.bats and kill.bats: the run dir from nothing, the
# consistency check after a race or a kill, kill points and kills, and the
# victim of a delete killed at every step.

# Remove the run dir and its mount: the next add starts from nothing.
no_run_dir() {
	clean_all
	while umount -l "$RD" 2>/dev/null; do :; done
	rmdir "$RD" 2>/dev/null || true
	[ ! -e "$RD" ]
}

# Each name is live and works, or stale and handled as stale; nothing else
# is mounted in the run dir, and the run dir is mounted at most once.
# (Without bats' traps, and one jq for all names: it runs after every kill.)
assert_consistent() {
	untraced consistent
}

consistent() {
	local name live=0 js state
	[ "$(mounts_at "$RD")" -le 1 ] || { echo "run dir mounted $(mounts_at "$RD") times"; return 1; }
	[ -d "$RD" ] || return 0
	js=$("$N" -j list) || { echo "list failed"; return 1; }
	while IFS=$'\t' read -r state name; do
		[ -n "$name" ] || continue
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
	done < <(echo "$js" | jq -r '.[] | [if .stale then "stale" else "live" end, .name] | @tsv')
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

# The kill points to try, from standard input: part PART of PARTS (default
# 1 of 1), so that a command with many points is tried in several tests.
sampled() {
	awk -v part="${1:-1}" -v parts="${2:-1}" '(NR - 1) % parts == part - 1'
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
# at every syscall step, or at part PART of PARTS of them (each part counts
# the points anew: the wait's polls vary a little from run to run).
delete_killed_everywhere() {
	local mode=$1 part=${2:-1} parts=${3:-1} args points p rc killed=0
	args=(delete d)
	[ "$mode" = kill-wait ] && args=(delete --kill=1 --wait=10 d)
	setup_victim
	mapfile -t points < <(kill_points "$N" "${args[@]}")
	[ "${#points[@]}" -gt 10 ]
	end_victim
	ip link del vd 2>/dev/null || true
	mapfile -t points < <(printf '%s\n' "${points[@]}" | sampled "$part" "$parts")
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
	[ "$killed" -gt $((10 / parts)) ]
	echo "# races: delete killed at $killed syscall points ($mode, part $part of $parts)" >&3
}
