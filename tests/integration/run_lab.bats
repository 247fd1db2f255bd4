#!/usr/bin/env bats
# run knows its lab: inside `netnsctl run FILE -- CMD`, the lab commands
# (show, exec, diff, ps, logs, capture) see the world's lab through
# NETNSCTL_LAB, NETNSCTL_RUN_DIR and NETNSCTL_STATE_DIR; --keep-on-failure
# keeps the world of a failed command until it is let go.

load helpers

DEMO=$EX/demo.yaml

# A lab with a service, readable by anyone: run_lab_svc PATH
svc_lab() {
	cat > "$1" <<'EOF'
version: 1
name: svcrun
nodes:
  a:
    services:
      pong:
        cmd: [python3, -c, "import socket\nprint('listening', flush=True)\ns=socket.socket(); s.bind(('192.0.2.1', 8081)); s.listen()\nwhile True:\n  c,_=s.accept(); c.sendall(b'pong'); c.close()"]
        ready: {tcp: 8081}
  b: {}
links:
  - a: {node: a, ifname: eth0, addresses: [192.0.2.1/24]}
    b: {node: b, ifname: eth0, addresses: [192.0.2.2/24]}
EOF
	chmod 644 "$1"
}

@test "run_lab: lab show, exec, diff inside run see the world's lab" {
	run_l run "$DEMO" -- sh -c '
		set -e
		"$0" lab show "$NETNSCTL_LAB" | head -1
		"$0" lab exec "$NETNSCTL_LAB" h1 ping -c1 -W2 192.0.2.1 >/dev/null && echo exec-ok
		"$0" lab diff "$NETNSCTL_LAB" && echo diff-ok
		"$0" -j lab diff "$NETNSCTL_LAB"; echo
		"$0" lab list
		ip netns exec demo.r2 ip -br addr show eth1 | awk "{print \$3}"
	' "$N"
	assert_success
	assert_equal "$err" ""
	assert_line --regexp '^lab demo \(/.*/examples/demo\.yaml\): applied$'
	assert_line --regexp '^demo: 4 namespaces, complete, '

	assert_line "exec-ok"
	assert_line "diff-ok"
	assert_line "[]"
	assert_line "203.0.113.2/30"
	refute_output --partial "in the way"
	# nothing of the world's state, next to the run dir or anywhere else
	[ ! -e /run/netns.netnsctl-run ]
	[ ! -e "$STATE/demo" ]
	run "$N" list
	assert_output ""
}

@test "run_lab: lab diff inside run finds drift made inside, exit 1, nothing in the way" {
	run_l run "$DEMO" -- sh -c '
		ip -n demo.r1 addr add 198.51.100.9/24 dev eth2
		"$0" lab diff "$NETNSCTL_LAB"; echo "diff=$?"' "$N"
	assert_success
	assert_line "demo.r1 eth2: extra address 198.51.100.9/24 (not made by the lab)"
	assert_line "diff=1"
	refute_output --partial "in the way"
}

@test "run_lab: lab ps and logs inside run see the services" {
	svc_lab "$BATS_TEST_TMPDIR/svc.yaml"
	run_l run "$BATS_TEST_TMPDIR/svc.yaml" -- sh -c '
		"$0" -j lab ps "$NETNSCTL_LAB" | jq -r ".[] | \"\(.node) \(.service) \(.state)\""
		"$0" lab logs "$NETNSCTL_LAB" a pong
		"$0" lab exec "$NETNSCTL_LAB" b bash -c "exec 3<>/dev/tcp/192.0.2.1/8081; cat <&3"; echo' "$N"
	assert_success
	assert_line "a pong ready"
	assert_line "listening"
	assert_line "pong"
}

@test "run_lab: lab commands inside run when the world keeps its run dir's parent covered" {
	# no real run dir and none made (an unprivileged caller cannot): the
	# command keeps the world's own view, the state at its own path
	[ "$(cat /proc/sys/user/max_user_namespaces)" -gt 0 ] || skip "user namespaces are disabled"
	nb=$(reachable_netnsctl)
	cp "$DEMO" /mnt/demo.yaml
	chmod 644 /mnt/demo.yaml
	umount -R -l "$RD" 2>/dev/null || true
	rm -rf "$RD"
	run setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$nb" run /mnt/demo.yaml -- sh -c '
		"$0" lab diff "$NETNSCTL_LAB" && echo diff-ok
		"$0" lab exec "$NETNSCTL_LAB" h1 ping -c1 -W2 192.0.2.1 >/dev/null && echo exec-ok' "$nb"
	assert_success
	assert_line "diff-ok"
	assert_line "exec-ok"
	[ ! -e "$RD" ]
}

@test "run_lab: an unprivileged run of a lab with a service: lab ps, exec and diff inside" {
	[ "$(cat /proc/sys/user/max_user_namespaces)" -gt 0 ] || skip "user namespaces are disabled"
	nb=$(reachable_netnsctl)
	svc_lab /run/svc-run.yaml
	# a real run dir (root's): the command's view is uncovered, the state
	# reached through the world's PID 1
	mkdir -p "$RD"
	run setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$nb" run /run/svc-run.yaml -- sh -c '
		"$0" -j lab ps "$NETNSCTL_LAB" | jq -r ".[] | \"\(.node) \(.service) \(.state)\""
		"$0" lab exec "$NETNSCTL_LAB" b bash -c "exec 3<>/dev/tcp/192.0.2.1/8081; cat <&3"; echo
		"$0" lab diff "$NETNSCTL_LAB" && echo diff-ok
		echo "uid $(id -u)"' "$nb"
	assert_success
	assert_line "a pong ready"
	assert_line "pong"
	assert_line "diff-ok"
	assert_line "uid 0"
	run "$N" list
	assert_output ""
}

# Start `run --keep-on-failure ARGS...` in the background (as
# "${kept_as[@]}" "$kept_n": by default netnsctl itself), its standard
# input a FIFO held open on fd 7, stderr to $BATS_TEST_TMPDIR/err; wait
# until it says how to enter the world. Sets kept_pid and enter (the words
# of the command to enter it).
start_kept() {
	mkfifo "$BATS_TEST_TMPDIR/in"
	"${kept_as[@]}" "${kept_n:-$N}" run --keep-on-failure "$@" < "$BATS_TEST_TMPDIR/in" \
		> "$BATS_TEST_TMPDIR/out" 2> "$BATS_TEST_TMPDIR/err" 3>&- &
	kept_pid=$!
	exec 7> "$BATS_TEST_TMPDIR/in"
	wait_for 1200 grep -q "enter it: " "$BATS_TEST_TMPDIR/err"
	read -ra enter <<< "$(sed -n 's/^netnsctl: run: enter it: //p' "$BATS_TEST_TMPDIR/err")"
}

# Let the kept world go (its standard input ends) and check that it went
# with the command's status: let_go STATUS
let_go() {
	exec 7>&-
	status=0
	wait "$kept_pid" || status=$?
	assert_equal "$status" "$1"
	run "$N" list
	assert_output ""
}

@test "run_lab: --keep-on-failure keeps the world of a failed command until standard input ends" {
	start_kept "$DEMO" -- sh -c 'exit 3'
	grep -q '^netnsctl: run: the command failed (exit 3): lab "demo" kept in process [0-9]*, until standard input ends' \
		"$BATS_TEST_TMPDIR/err"
	# the world is there: enter it with the printed command
	run "${enter[@]}" -c 'ping -c1 -W2 192.0.2.1 >/dev/null 2>&1 || echo no-route-here
		ip netns exec demo.h1 ping -c1 -W2 192.0.2.1 >/dev/null && echo ping-ok
		"$0" lab diff "$NETNSCTL_LAB" && echo diff-ok' "$N"
	assert_success
	assert_line "ping-ok"
	assert_line "diff-ok"
	kill -0 "$kept_pid"
	# let go: the lab goes, the status is the command's
	let_go 3
	[ ! -e /run/netns.netnsctl-run ]
}

@test "run_lab: --keep-on-failure let go by SIGTERM; a command that succeeds is not kept" {
	start_kept "$DEMO" -- false
	run "${enter[@]}" -c 'ip netns list' "$N"
	assert_success
	assert_line "demo.h1"
	kill -TERM "$kept_pid"
	let_go 1
	# success: no holder, nothing said
	run_n run --keep-on-failure "$DEMO" -- true < /dev/null
	assert_success
	assert_equal "$err" ""
}

@test "run_lab: --timeout with --keep-on-failure: the timed-out command's world is kept, exit 124" {
	start_kept --timeout 1 "$DEMO" -- sleep 600
	grep -q 'failed (exit 143)' "$BATS_TEST_TMPDIR/err"
	run "${enter[@]}" -c 'ip netns exec demo.h1 ping -c1 -W2 192.0.2.1 >/dev/null && echo ping-ok' "$N"
	assert_line "ping-ok"
	let_go 124
}

@test "run_lab: bad options are usage errors (125), nothing run" {
	run_n run --keep-on-failure
	assert_equal "$status" 125
	assert_one_error_line "$err"
	run_n run "$DEMO" --keep-on-failur true
	assert_equal "$status" 125
	assert_one_error_line "$err"
	[[ $err == *'unknown option "--keep-on-failur"'* ]]
	run_n run --timeout 0 "$DEMO" true
	assert_equal "$status" 125
	assert_one_error_line "$err"
	run "$N" list
	assert_output ""
}

@test "run_lab: --keep-on-failure on a terminal starts a shell in the world; its exit lets go" {
	command -v script >/dev/null || skip "no script(1) to give run a terminal"
	run env SHELL=/bin/sh script -qec "$N run --keep-on-failure $DEMO -- sh -c 'exit 4'" /dev/null <<-'EOS'
	echo "namespaces $(ip netns list | wc -l) lab=$NETNSCTL_LAB"
	exit
	EOS
	assert_equal "$status" 4
	assert_output --partial "until this shell exits"
	assert_output --partial "namespaces 4 lab=demo"
	run "$N" list
	assert_output ""
}

@test "run_lab: completion offers --keep-on-failure, the file after options, then commands" {
	[ -r /usr/share/bash-completion/bash_completion ] || skip "bash-completion not installed"
	run complete_words netnsctl run --ke
	assert_output "--keep-on-failure"
	run complete_words netnsctl run demo.yaml --k
	assert_output "--keep-on-failure"
	cd "$BATS_TEST_TMPDIR"
	: > lab1.yaml
	run complete_words netnsctl run --keep-on-failure la
	assert_output "lab1.yaml"
	run complete_words netnsctl run --timeout 5 lab1.yaml -- tru
	assert_line "true"
	grep -q -- "--keep-on-failure" "$BATS_TEST_DIRNAME/../../completions/_netnsctl"
	if command -v zsh >/dev/null; then
		zsh -n "$BATS_TEST_DIRNAME/../../completions/_netnsctl"
	fi
	run "$N" run --help
	assert_output --partial "--keep-on-failure"
	assert_output --partial "NETNSCTL_STATE_DIR"
}

@test "run_lab: an unprivileged --keep-on-failure world, entered with the printed command" {
	[ "$(cat /proc/sys/user/max_user_namespaces)" -gt 0 ] || skip "user namespaces are disabled"
	nb=$(reachable_netnsctl)
	cp "$DEMO" /mnt/demo.yaml
	chmod 644 /mnt/demo.yaml
	mkdir -p "$RD"
	kept_as=(setpriv --reuid=65534 --regid=65534 --clear-groups) kept_n=$nb
	start_kept /mnt/demo.yaml -- false
	run setpriv --reuid=65534 --regid=65534 --clear-groups "${enter[@]}" -c '
		ip netns exec demo.h1 ping -c1 -W2 192.0.2.1 >/dev/null && echo ping-ok
		"$0" lab diff "$NETNSCTL_LAB" && echo diff-ok; echo "uid $(id -u)"' "$nb"
	assert_success
	assert_line "ping-ok"
	assert_line "diff-ok"
	assert_line "uid 0"
	let_go 1
}

@test "run_lab: a state dir through /proc/PID/root is walked in that process's view" {
	"$N" lab apply --no-ready "$EX/chain.yaml" >/dev/null
	NETNSCTL_STATE_DIR=/proc/self/root$STATE run_n lab diff chain
	assert_success
	assert_equal "$err" ""
	# an absolute symlink past it leads inside that view, not to ours
	mkdir -p /run/elsewhere
	ln -s "$STATE" /run/elsewhere/labs
	NETNSCTL_STATE_DIR=/proc/self/root/run/elsewhere/labs run_n lab list
	assert_success
	assert_output --partial "chain: 3 namespaces"
	"$N" lab destroy chain >/dev/null
	rm -rf /run/elsewhere
}

@test "run_lab: SIGTERM while the lab comes up ends the run before the command starts" {
	# a node's exec command that waits for a file outside /run (which the
	# world covers): the run is in its apply until the file is made
	mountpoint -q /mnt || mount -t tmpfs -o mode=0755 runlab-reach /mnt
	rm -f /mnt/go
	lab_file slow <<-'EOF2'
	version: 1
	name: slow
	nodes:
	  a:
	    exec: ["sh -c 'while [ ! -e /mnt/go ]; do sleep 0.05; done'"]
	EOF2
	"$N" run --keep-on-failure "$BATS_TEST_TMPDIR/slow.yaml" -- sh -c 'echo ran; exit 1' \
		> "$BATS_TEST_TMPDIR/out" 2> "$BATS_TEST_TMPDIR/err" < /dev/null 3>&- &
	pid=$!
	wait_for 1200 pgrep -f "while \[ ! -e /mnt/go"
	# to the world's PID 1 itself (as netnsctl passes it on), so that it is
	# pending there before the exec command can end
	world=$(pgrep -P "$pid")
	kill -TERM "$world"
	touch /mnt/go
	status=0
	wait "$pid" || status=$?
	assert_equal "$status" 143
	assert_equal "$(cat "$BATS_TEST_TMPDIR/out")" ""
	run grep -c "kept" "$BATS_TEST_TMPDIR/err"
	assert_output "0"
	run "$N" list
	assert_output ""
}

@test "run_lab: lab capture inside run captures on the world's node" {
	run_l run "$DEMO" -- sh -c '
		"$0" lab capture "$NETNSCTL_LAB" h1 eth0 -c 1 -w "$1/h1.pcap" icmp 2> "$1/cap.err" &
		tries=400
		until grep -q "^listening on h1:eth0" "$1/cap.err"; do
			tries=$((tries - 1)); [ "$tries" -gt 0 ] || exit 9; sleep 0.05
		done
		"$0" lab exec "$NETNSCTL_LAB" h1 ping -c1 -W2 192.0.2.1 >/dev/null
		wait $! && cat "$1/cap.err"' "$N" "$BATS_TEST_TMPDIR"
	assert_success
	assert_line --partial "1 packets captured"
	[ -s "$BATS_TEST_TMPDIR/h1.pcap" ]
}
