# The helpers of every .bats file (`load helpers`), each written once. Each
# file runs in its own sandbox (run-bats): its own network, mount and PID
# namespace, tmpfs /run, overlay /etc.
bats_load_library bats-support
bats_load_library bats-assert

: "${NETNSCTL:?NETNSCTL must name the netnsctl binary under test}"
export NETNSCTL_QUIET_MNTNS=1   # the sandbox is its own mount namespace, on purpose
N=$NETNSCTL
RD=/run/netns                           # the run dir
EX=$BATS_TEST_DIRNAME/../../examples    # the example lab files
STATE=/run/netnsctl/labs                # the labs' state, next to the run dir

if [ "${NETNSCTL_IN_SANDBOX:-}" != 1 ]; then
	echo "refusing to run outside the sandbox (use tests/run-bats)" >&2
	exit 1
fi

# --- cleaning up

# Remove everything a test made: namespaces (ours or ip's, stale too), links
# in the sandbox's own network namespace, /etc/netns, the labs' state.
clean_all() {
	local f
	# The names' mounts and the run dir's own go in one call, their files
	# in one find: a umount and an rm per name took minutes for 1500 names
	# on a loaded machine. (The run dir is bound on itself: its files are
	# the directory's own, there when the mounts are gone.)
	if ! umount -R -l "$RD" 2>/dev/null; then
		for f in "$RD"/*; do
			umount -l "$f" 2>/dev/null || true
		done
	fi
	find "$RD" -mindepth 1 -maxdepth 1 ! -type d -delete 2>/dev/null || true
	ip -o link show | awk -F': ' '{print $2}' | sed 's/@.*//' | while read -r l; do
		[ "$l" = lo ] || ip link del "$l" 2>/dev/null || true
	done
	rm -rf /etc/netns/*
	rm -rf /run/netnsctl
}

teardown() {
	clean_all
}

# --- running and waiting

# Run netnsctl with stderr captured apart: sets status, output (stdout), err.
# (bats' ERR trap fires even under set +e, hence the "|| status=$?".)
# (One stderr file per test, reused: no mktemp and rm per call, which made
# the batteries of hundreds of calls slow on a loaded machine.)
run_n() {
	local errf=$BATS_TEST_TMPDIR/.run_n.err
	status=0
	output=$("$N" "$@" 2>"$errf") || status=$?
	err=$(<"$errf")
}

# A copy of the binary under test (and its library, found by its
# $ORIGIN/../lib runpath) that any user can reach: the checkout may live
# under a mode-0700 directory such as /root. On a tmpfs over /mnt, outside
# /run, which the private world of a covered `run` hides. Prints its path.
reachable_netnsctl() {
	local dir=/mnt/reach
	if [ ! -x "$dir/tools/netnsctl" ]; then
		mountpoint -q /mnt || mount -t tmpfs -o mode=0755 reach /mnt
		mkdir -p "$dir/tools" "$dir/lib"
		cp "$N" "$dir/tools/netnsctl"
		find "$(dirname "$N")/../lib" -maxdepth 1 -name 'libnetnsctl.so*' ! -type d \
			-exec cp -P {} "$dir/lib/" \;
		chmod -R a+rX "$dir"
	fi
	echo "$dir/tools/netnsctl"
}

# run_n, with bats' lines too (for assert_line)
run_l() {
	run_n "$@"
	mapfile -t lines <<<"$output"
}

# Complete the words given as COMP_WORDS (the last one being completed), as
# bash would: prints the candidates, one a line, sorted.
complete_words() {
	# shellcheck disable=SC1091
	source /usr/share/bash-completion/bash_completion
	# the completion calls "netnsctl": make it the binary under test
	netnsctl() { "$N" "$@"; }
	source "$BATS_TEST_DIRNAME/../../completions/netnsctl.bash"
	COMP_WORDS=("$@")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMP_LINE="${COMP_WORDS[*]}"
	COMP_POINT=${#COMP_LINE}
	COMPREPLY=()
	_netnsctl netnsctl "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
	printf '%s\n' "${COMPREPLY[@]}" | sort
}

# Wait (bounded: $1 tries, 50 ms apart, and never less than 30 s) until a
# command succeeds. The bound is a hang guard, not a timing: on a loaded
# machine (two suites at once) $1 tries of 50 ms ran out before the kernel
# had settled, so the bound never falls under 30 s; it costs nothing when
# the condition comes early.
wait_for() {
	local tries=$1 start=$SECONDS; shift
	while ! "$@" >/dev/null 2>&1; do
		tries=$((tries - 1))
		[ "$tries" -gt 0 ] || [ $((SECONDS - start)) -lt 30 ] || return 1
		sleep 0.05
	done
}

# Run "$@" (a function looping over hundreds of commands) without bats'
# DEBUG and ERR traps, which cost more than the commands themselves there
# and made such loops run into the per-test timeout on a loaded machine.
# set -e still holds: the first failure ends it, and fails the test.
untraced() {
	( trap - DEBUG ERR; set +ET; "$@" )
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

# Run "$@" (strace, say) without leak checking: LeakSanitizer cannot run
# under ptrace.
traced() {
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" "$@"
}

# --- assertions on netnsctl's answers

# Assert: exactly one line on stderr, starting "netnsctl: ".
assert_one_error_line() {
	local err=$1
	[ "$(printf '%s\n' "$err" | wc -l)" -eq 1 ] || { echo "stderr: $err"; return 1; }
	[[ $err == "netnsctl: "* ]] || { echo "stderr: $err"; return 1; }
}

# Usage errors, one a line on standard input: "ARGS" or "ARGS|MESSAGE".
# netnsctl "$@" ARGS (ARGS split at blanks) exits 2 with one error line,
# "netnsctl: MESSAGE" where a message is given.
usage_errors() {
	local args msg
	while IFS='|' read -r args msg; do
		# shellcheck disable=SC2086 # ARGS are words
		run_n "$@" $args
		echo "args: $args -> $status $err"
		assert_equal "$status" 2
		assert_one_error_line "$err"
		[ -z "$msg" ] || assert_equal "$err" "netnsctl: $msg"
	done
}

# --- namespaces, processes and mounts

# The names in the run dir, sorted, space-separated.
ns_names() {
	ls /run/netns 2>/dev/null | sort | tr '\n' ' ' | sed 's/ $//'
}

# At least $2 (default 1) processes are inside namespace $1 (netnsctl pids).
has_pids() {
	[ "$("$N" pids "$1" | wc -l)" -ge "${2:-1}" ]
}

# Process $1 is in a namespace of type $2 (net, uts...) other than ours.
in_other_ns() {
	[ "$(readlink "/proc/$1/ns/$2")" != "$(readlink "/proc/self/ns/$2")" ]
}

# Mounts whose mount point is exactly $1.
mounts_at() {
	awk -v p="$1" '$5 == p' /proc/self/mountinfo | wc -l
}

# Mounts on files inside the run dir.
name_mounts() {
	awk -v p="$RD/" 'index($5, p) == 1' /proc/self/mountinfo | wc -l
}

# A user "labuser" (uid and gid 4321, also in group labextra, 4322), in the
# sandbox's overlay of /etc only.
add_labuser() {
	echo "labuser:x:4321:4321:Lab User:/run:/bin/sh" >> /etc/passwd
	echo "labuser:x:4321:" >> /etc/group
	echo "labextra:x:4322:labuser" >> /etc/group
}

# --- links and addresses, as ip sees them

# ip -j link field of one device: jfield [-n NS] DEV FIELD
jfield() {
	local n=()
	if [ "$1" = -n ]; then n=(-n "$2"); shift 2; fi
	ip "${n[@]}" -j link show "$1" | jq -r ".[0].$2"
}

# The link's ifalias (a lab's marker), or "": alias_of NS DEV
alias_of() {
	ip -n "$1" -d -j link show "$2" | jq -r '.[0].ifalias // ""'
}

# The global addresses of DEV in NS, "ADDR/LEN" sorted, space-separated:
# addrs_of NS DEV
addrs_of() {
	ip -n "$1" -j addr show dev "$2" |
		jq -r '[.[0].addr_info[] | select(.scope != "link") | "\(.local)/\(.prefixlen)"] |
		       sort | join(" ")'
}

# No IPv6 address is still tentative (DAD done) in namespace $1 ("" for ours).
no_tentative() {
	local n=()
	[ -z "$1" ] || n=(-n "$1")
	ip "${n[@]}" -j addr | jq -e '[.[].addr_info[] | select(.tentative)] | length == 0' >/dev/null
}

# Every link that is up has its carrier, and no address is tentative, in
# each named namespace (links settle a moment after they are made).
settled() {
	local ns
	for ns in "$@"; do
		ip -n "$ns" -j addr | jq -e 'all(.[]; (.ifname == "lo" or
			((.flags | index("UP")) | not) or .operstate == "UP") and
			all(.addr_info[]; .tentative | not))' >/dev/null || return 1
	done
}

# Nothing but lo in the caller's (the sandbox's) own namespace.
nothing_here() {
	[ "$(ip -o link show | wc -l)" -eq 1 ]
}

# Links and addresses here and in every namespace, for "nothing changed"
# checks.
snapshot() {
	{ ip -br link; ip -br addr; for ns in $(ip netns list | awk '{print $1}'); do
		ip -n "$ns" -br link; ip -n "$ns" -br addr; done; } 2>&1
}

# Ping from inside a namespace (one try, bounded): ping_from NS ADDR
ping_from() {
	ip netns exec "$1" ping -c1 -W2 -q "$2" >/dev/null
}

# --- netnsctl's output against ip's

# Our JSON against ip -j's: every field we print, at every depth, must be in
# ip's output with the same value and type; arrays must have the same length.
# $1: ours, $2: ip's.
same_as_ip() {
	if ! jq -ne --argjson a "$1" --argjson b "$2" '
		def proj($x; $y):
			if ($x|type) == "object" and ($y|type) == "object" then
				reduce ($x|keys[]) as $k ({}; . + {($k): proj($x[$k]; $y[$k])})
			elif ($x|type) == "array" and ($y|type) == "array" and
			     ($x|length) == ($y|length) then
				[range(0; $x|length) as $i | proj($x[$i]; $y[$i])]
			else $y end;
		proj($a; $b) == $a' >/dev/null; then
		echo "ours: $1"
		echo "ip:   $2"
		return 1
	fi
}

# Every object of JSON array $1 has all the keys that follow.
has_keys() {
	local json=$1; shift
	local keys
	keys=$(printf '"%s",' "$@")
	echo "$json" | jq -e "length > 0 and all(.[]; . as \$o | [${keys%,}] | all(. as \$k | \$o | has(\$k)))" \
		>/dev/null || { echo "missing one of $* in: $json"; return 1; }
}

# ns1 with one veth pair: va (192.0.2.1/24, 2001:db8:1::1/64) and vb, both up.
# The kernel adds link-local addresses (and their routes) a moment after
# the links come up: wait for them, so that nothing changes under a compare.
setup_ns1() {
	ip netns add ns1
	ip netns exec ns1 sysctl -qw net.ipv6.conf.default.accept_dad=0
	ip -n ns1 link add va type veth peer name vb
	ip -n ns1 link set va up
	ip -n ns1 link set vb up
	ip -n ns1 addr add 192.0.2.1/24 dev va
	ip -n ns1 addr add 2001:db8:1::1/64 dev va nodad
	wait_for 100 bash -c '[ "$(ip -n ns1 -6 route show table local | grep -c "^local fe80")" -eq 2 ]'
}

# netnsctl -n ns1 -j ARGS prints ip -n ns1 -j ARGS's JSON (keys sorted).
same_json() {
	local ours theirs
	theirs=$(ip -n ns1 -j "$@" | jq -S .) || return 1
	ours=$("$N" -n ns1 -j "$@" | jq -S .) || return 1
	if [ "$ours" != "$theirs" ]; then
		echo "ip -j $*:"; echo "$theirs"; echo "netnsctl -j $*:"; echo "$ours"
		return 1
	fi
}

# --- labs

# A lab file from standard input: lab_file NAME  -> $BATS_TEST_TMPDIR/NAME.yaml
lab_file() {
	cat > "$BATS_TEST_TMPDIR/$1.yaml"
}

# The demo lab without r2, the r1-r2 link, r1's route and neighbour, on
# standard output; more sed expressions (-e ...) may follow.
demo_without_r2() {
	sed -e '/^  r2: {}$/d' -e '/^  - a: {node: r1, ifname: eth1/,/^    mtu: 9000$/d' \
		-e '/neighbours:/d' -e '/routes: \[{to: 203.0.113.128/d' \
		"$@" "$EX/demo.yaml"
}

# The state's record lines of a type: records LAB TYPE
records() {
	grep "^$2 " "$STATE/$1/state" | sort
}

# Is batch mode (netnsctl -b) in this build?
can_batch() {
	"$N" -b /dev/null >/dev/null 2>&1
}
