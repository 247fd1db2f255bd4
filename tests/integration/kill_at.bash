# kill_at SYSCALL N ARGS...: run netnsctl ARGS with the Nth call of SYSCALL
# killed (strace's fault injection; strace counts calls per thread); fails
# unless it was killed. For lab_crash.bats and lab_ident.bats.
kill_at() {
	local sc=$1 n=$2 rc=0
	shift 2
	(traced strace -f -o /dev/null -e trace="$sc" -e inject="$sc":signal=SIGKILL:when="$n" \
		"$N" "$@" >/dev/null 2>&1) 2>/dev/null || rc=$?
	[ "$rc" -eq 137 ] || { echo "not killed at $sc#$n (exit $rc)"; return 1; }
}
