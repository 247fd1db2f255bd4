#!/usr/bin/env bats
# monitor: namespaces coming and going, and (--all) the networks inside them.

load helpers

# A failed test must not leave a monitor behind (the next tests, and bats
# itself, would wait on it).
teardown() {
	pkill -f "$N monitor" 2>/dev/null || true
	clean_all
}

# Start a monitor in the background, output to $MON_OUT, and wait until it
# is watching: blocked in epoll_wait with its setup done (so no test races
# its start-up).
start_monitor() {
	MON_OUT=$(mktemp)
	"$N" "$@" >"$MON_OUT" 2>&1 3>&- &
	MON_PID=$!
	wait_for 100 grep -qx do_epoll_wait "/proc/$MON_PID/wchan"
}

# The same for a monitor started in a pipeline: wait until it runs and is
# watching; its pid in MON_PID.
wait_piped_monitor() {
	wait_for 100 bash -c "pgrep -f '$N monitor' >/dev/null"
	MON_PID=$(pgrep -f "$N monitor" | head -1)
	wait_for 100 grep -qx do_epoll_wait "/proc/$MON_PID/wchan"
}

stop_monitor() {
	kill -TERM "$MON_PID" 2>/dev/null || true
	MON_RC=0
	wait "$MON_PID" || MON_RC=$?
}

# Wait until the monitor printed a line matching $1 (a grep -E pattern).
wait_line() {
	wait_for 100 grep -qE -- "$1" "$MON_OUT" || { echo "monitor printed:"; cat "$MON_OUT"; return 1; }
}

@test "monitor prints adds and deletes made by netnsctl and by ip netns" {
	start_monitor monitor
	"$N" add a
	wait_line '^add a$'
	ip netns add b
	wait_line '^add b$'
	"$N" delete a
	wait_line '^delete a$'
	ip netns delete b
	wait_line '^delete b$'
	stop_monitor
	assert_equal "$MON_RC" 0
	run cat "$MON_OUT"
	assert_output $'add a\nadd b\ndelete a\ndelete b'
}

@test "monitor works when the run dir does not exist yet, and ends when it goes" {
	rd=/run/fresh/netns
	[ ! -e /run/fresh ]
	start_monitor --run-dir "$rd" monitor
	"$N" --run-dir "$rd" add first
	wait_line '^add first$'
	"$N" --run-dir "$rd" delete first
	wait_line '^delete first$'
	umount "$rd"
	rmdir "$rd"
	wait_for 100 bash -c "! kill -0 $MON_PID"
	stop_monitor
	assert_equal "$MON_RC" 0
}

@test "monitor ignores plain files: only live namespaces are added" {
	start_monitor monitor
	touch /run/netns/plain 2>/dev/null || { mkdir -p /run/netns; touch /run/netns/plain; }
	rm /run/netns/plain
	"$N" add real
	wait_line '^add real$'
	stop_monitor
	run cat "$MON_OUT"
	assert_output "add real"
}

@test "monitor is line-buffered into a pipe" {
	out=$(mktemp)
	# nothing in the background may hold bats' output open, or a failure
	# here would hang the whole file
	"$N" monitor 3>&- 2>/dev/null | while read -r line; do echo "$line" >> "$out"; done \
		>/dev/null 2>&1 3>&- &
	pipe_pid=$!
	wait_piped_monitor
	"$N" add piped
	# seen at once, while the monitor still runs (not at exit)
	wait_for 100 grep -qx "add piped" "$out"
	kill -0 "$MON_PID"
	kill "$MON_PID"
	wait "$pipe_pid" || true
}

@test "monitor -j prints one JSON object per line" {
	start_monitor -j monitor
	# the add seen before the delete: a name that comes and goes between
	# two of the monitor's scans is never seen (a loaded machine, a fast delete)
	"$N" add j1
	wait_line '"add"'
	"$N" delete j1
	wait_line '"delete"'
	stop_monitor
	run jq -c . "$MON_OUT"
	assert_output $'{"event":"add","object":"netns","name":"j1"}\n{"event":"delete","object":"netns","name":"j1"}'
}

@test "monitor ends cleanly on SIGINT and SIGTERM, exit 0" {
	start_monitor monitor
	kill -INT "$MON_PID"
	MON_RC=0; wait "$MON_PID" || MON_RC=$?
	assert_equal "$MON_RC" 0
	start_monitor monitor --all
	stop_monitor
	assert_equal "$MON_RC" 0
}

@test "monitor ends quietly when its reader goes away (SIGPIPE)" {
	"$N" add early
	( "$N" monitor 3>&- 2>/dev/null; echo "rc=$?" > /run/mon.rc ) | head -n1 > /run/mon.first 2>/dev/null 3>&- &
	p=$!
	wait_piped_monitor
	"$N" add x1
	"$N" add x2
	wait_pids "$p"
	run cat /run/mon.rc
	assert_output "rc=0"
}

@test "monitor: bad arguments are usage errors" {
	run_n monitor --bogus
	assert_equal "$status" 2
	assert_one_error_line "$err"
	run_n -n x monitor
	assert_equal "$status" 2
	assert_one_error_line "$err"
	run_n -n ../x monitor --all
	assert_equal "$status" 2
	run "$N" monitor --help
	assert_success
	assert_output --partial "Usage: netnsctl"
}

@test "monitor --all: links and addresses inside two namespaces, labelled" {
	"$N" add ns1 ns2
	start_monitor monitor --all
	"$N" veth add a1 netns ns1 peer a2 netns ns2
	"$N" -n ns1 addr add 198.51.100.1/24 dev a1
	"$N" -n ns2 addr add 2001:db8::2/64 dev a2 nodad
	"$N" -n ns1 link set a1 up
	wait_line '^\[ns2\] addr add 2001:db8::2/64 dev a2$'
	wait_line '^\[ns1\] link a1 up'
	stop_monitor
	grep -qE '^\[ns1\] link a1 down .*type veth$' "$MON_OUT"
	grep -qE '^\[ns2\] link a2 down .*type veth$' "$MON_OUT"
	grep -qx '\[ns1\] addr add 198.51.100.1/24 dev a1' "$MON_OUT"
	# nothing from before the monitor started is replayed
	! grep -q 'netns add' "$MON_OUT"
}

@test "monitor --all follows namespaces added after it started, and lets deleted ones go" {
	"$N" add keep
	start_monitor monitor --all
	"$N" add late
	wait_line '^\[late\] netns add$'
	"$N" veth add p0 netns late peer p1 netns keep
	wait_line '^\[keep\] link p1'
	"$N" delete late
	wait_line '^\[late\] netns delete$'
	# the monitor holds nothing of "late": its veth peer in "keep" goes away
	wait_for 100 bash -c "! ip -n keep link show p1"
	wait_line '^\[keep\] link del p1$'
	kill -0 "$MON_PID"
	stop_monitor
	assert_equal "$MON_RC" 0
}

@test "monitor --all -n NAME watches one namespace only" {
	"$N" add one two
	start_monitor -n one monitor --all
	"$N" -n two addr add 198.51.100.2/32 dev lo
	"$N" -n one addr add 198.51.100.1/32 dev lo
	wait_line '^\[one\] addr add 198.51.100.1/32 dev lo$'
	stop_monitor
	! grep -q '\[two\]' "$MON_OUT"
}

@test "monitor --all -j: one JSON object per line with show -j fields" {
	"$N" add js
	start_monitor -j monitor --all
	"$N" -n js addr add 203.0.113.5/24 dev lo
	"$N" -n js link set lo mtu 65000
	wait_line '65000'
	stop_monitor
	run jq -c 'select(.object == "addr") | [.netns, .event, .addr.dev, .addr.addr_info[0].local, .addr.addr_info[0].prefixlen]' "$MON_OUT"
	assert_output '["js","new","lo","203.0.113.5",24]'
	run jq -c 'select(.object == "link") | [.netns, .link.ifname, .link.mtu]' "$MON_OUT"
	assert_output '["js","lo",65000]'
}

@test "monitor --all: routes, neighbours and namespace ids" {
	"$N" add ra rb rc
	"$N" veth add x netns ra peer y netns rb
	"$N" -n ra addr add 198.51.100.1/24 dev x
	"$N" -n ra link set x up
	start_monitor monitor --all
	"$N" -n ra route add 203.0.113.0/24 via 198.51.100.2
	"$N" -n ra neigh add 198.51.100.2 lladdr 02:00:00:00:00:02 dev x
	"$N" -n ra set rc 7
	"$N" -n ra route del 203.0.113.0/24
	wait_line '^\[ra\] route del 203.0.113.0/24 via 198.51.100.2 dev x'
	wait_line '^\[ra\] nsid add 7$'
	grep -qE '^\[ra\] route add 203.0.113.0/24 via 198.51.100.2 dev x' "$MON_OUT"
	grep -qE '^\[ra\] neigh add 198.51.100.2 dev x lladdr 02:00:00:00:00:02 PERMANENT$' "$MON_OUT"
	stop_monitor
}
