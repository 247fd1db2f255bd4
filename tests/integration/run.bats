#!/usr/bin/env bats
# run: a lab in a private world, a command inside, and nothing left behind.

load helpers

DEMO=$EX/demo.yaml

@test "run builds the lab, runs the command where exec reaches the nodes, tears down" {
	run_n run "$DEMO" -- sh -c '
		netnsctl() { "$0" "$@"; }
		netnsctl list | sed "s/ (.*//"
		netnsctl exec demo.h1 ping -c1 -W2 192.0.2.1 >/dev/null && echo ping-ok
		ip netns exec demo.r2 ip -br addr show eth1 | awk "{print \$3}"
		echo "lab=$NETNSCTL_LAB"
	' "$N"
	assert_success
	assert_output --partial "demo.h1"
	assert_output --partial "demo._switch"
	assert_output --partial "ping-ok"
	assert_output --partial "203.0.113.2/30"
	assert_output --partial "lab=demo"
	# nothing of the lab in the caller's world
	run "$N" list
	assert_output ""
	run ip -o link show
	refute_output --partial "eth1"
}

@test "run: exit status is the command's; 127 not found; 125 bad file" {
	run_n run "$DEMO" sh -c 'exit 7'
	assert_equal "$status" 7
	run_n run "$DEMO" -- no-such-command-anywhere
	assert_equal "$status" 127
	printf 'version: 1\nname: x\nbogus: 1\n' > /run/bad.yaml
	run_n run /run/bad.yaml true
	assert_equal "$status" 125
	assert_one_error_line "$err"
	[[ $err == *"/run/bad.yaml:3:1"* ]]
	run_n run /run/missing.yaml true
	assert_equal "$status" 125
	run_n run "$DEMO"
	assert_equal "$status" 125
	run_n run "$DEMO" --timeout x true
	assert_equal "$status" 125
	run_n run "$DEMO" --bogus true
	assert_equal "$status" 125
}

@test "run --timeout ends the command and tears down, exit 124" {
	run_n run "$DEMO" --timeout 1 sleep 60
	assert_equal "$status" 124
	run "$N" list
	assert_output ""
}

@test "run killed with SIGKILL leaves nothing: run dir, links, mounts, namespaces" {
	mounts=$(wc -l < /proc/self/mountinfo)
	# a probe: a veth whose one end is inside the lab (demo.h1) and the other
	# out here (PID 1 of the world shares our network namespace); the outer
	# end goes when, and only when, the kernel frees the lab's namespace
	"$N" run "$DEMO" -- sh -c '
		ip -n demo.h1 link add probe type veth peer name probeout netns 1 &&
		exec sleep 60' 3>&- &
	pid=$!
	wait_for 400 ip link show probeout
	kill -KILL "$pid"
	wait "$pid" || true
	wait_for 600 bash -c "! ip link show probeout"
	run "$N" list
	assert_output ""
	assert_equal "$(wc -l < /proc/self/mountinfo)" "$mounts"
	run ip -o link show
	refute_output --partial "eth"
}

@test "run on SIGTERM tears down and exits as the command did" {
	"$N" run "$DEMO" -- sleep 60 3>&- &
	pid=$!
	wait_for 400 pgrep -f "^sleep 60$"
	kill -TERM "$pid"
	status=0
	wait "$pid" || status=$?
	assert_equal "$status" 143
	run "$N" list
	assert_output ""
}

@test "several runs of one file at once never collide" {
	pids=()
	for i in 1 2 3; do
		"$N" run "$DEMO" -- "$N" exec demo.h1 ping -c1 -W2 192.0.2.1 >/dev/null 3>&- &
		pids+=($!)
	done
	wait_pids "${pids[@]}"
	run "$N" list
	assert_output ""
}

@test "run works for an unprivileged user, in a user namespace of its own" {
	[ "$(cat /proc/sys/user/max_user_namespaces)" -gt 0 ] || skip "user namespaces are disabled"
	# the binary and the lab file must be reachable by nobody, wherever
	# the checkout lives
	nb=$(reachable_netnsctl)
	cp "$DEMO" /run/demo.yaml
	chmod 644 /run/demo.yaml
	run setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$nb" run /run/demo.yaml -- sh -c '"$0" exec demo.h1 ping -c1 -W2 192.0.2.1 >/dev/null && echo "uid $(id -u)"' "$nb"
	assert_success
	assert_line "uid 0"
}
