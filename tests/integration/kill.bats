#!/usr/bin/env bats
# Kills and faults at every syscall step of add and delete: whatever is
# left is a working namespace, nothing, or a stale name that delete removes.
# Every figure printed with "# races:" is collected for the hardening report.

load helpers
load races

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
	[ "$killed" -gt 20 ]
	echo "# races: add killed at $killed syscall points ($scenario run dir)" >&3
}

# bats test_tags=stress
@test "add killed at every syscall step, no run dir yet: a working namespace, nothing, or a stale name delete removes" {
	add_killed_everywhere fresh
}

# bats test_tags=stress
@test "add killed at every syscall step, run dir mounted: a working namespace, nothing, or a stale name delete removes" {
	add_killed_everywhere prepared
}

# bats test_tags=stress
@test "delete killed at every syscall step leaves a working namespace, nothing, or a stale name" {
	delete_killed_everywhere plain
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
