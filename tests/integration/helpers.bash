# Shared by every .bats file. Each file runs in its own sandbox (run-bats):
# its own network, mount and PID namespace, tmpfs /run, overlay /etc.
bats_load_library bats-support
bats_load_library bats-assert

: "${NETNSCTL:?NETNSCTL must name the netnsctl binary under test}"
export NETNSCTL_QUIET_MNTNS=1   # the sandbox is its own mount namespace, on purpose
N=$NETNSCTL

if [ "${NETNSCTL_IN_SANDBOX:-}" != 1 ]; then
	echo "refusing to run outside the sandbox (use tests/run-bats)" >&2
	exit 1
fi

# Remove everything a test made: namespaces (ours or ip's, stale too) and
# links in the sandbox's own network namespace.
clean_all() {
	local f
	for f in /run/netns/*; do
		[ -e "$f" ] || [ -L "$f" ] || continue
		umount -l "$f" 2>/dev/null || true
		rm -f "$f"
	done
	ip -o link show | awk -F': ' '{print $2}' | sed 's/@.*//' | while read -r l; do
		[ "$l" = lo ] || ip link del "$l" 2>/dev/null || true
	done
	rm -rf /etc/netns/*
}

teardown() {
	clean_all
}

# Wait (bounded) until a command succeeds.
wait_for() {
	local tries=$1; shift
	while ! "$@" >/dev/null 2>&1; do
		tries=$((tries - 1))
		[ "$tries" -gt 0 ] || return 1
		sleep 0.05
	done
}

# Assert: exactly one line on stderr, starting "netnsctl: ".
assert_one_error_line() {
	local err=$1
	[ "$(printf '%s\n' "$err" | wc -l)" -eq 1 ] || { echo "stderr: $err"; return 1; }
	[[ $err == "netnsctl: "* ]] || { echo "stderr: $err"; return 1; }
}

# Run netnsctl with stderr captured apart: sets status, output (stdout), err.
# (bats' ERR trap fires even under set +e, hence the "|| status=$?".)
run_n() {
	local errf
	errf=$(mktemp)
	status=0
	output=$("$N" "$@" 2>"$errf") || status=$?
	err=$(<"$errf")
	rm -f "$errf"
}

# Start commands in the background and wait for exactly those: a bare
# `wait` would also wait for bats' own timeout watcher.
wait_pids() {
	local pid rc=0
	for pid in "$@"; do
		wait "$pid" || rc=1
	done
	return $rc
}
