#!/usr/bin/env bats
# lab services: long-lived processes of nodes, held by the lab's supervisor:
# started after the network, ready checks (tcp, cmd), restart policies,
# reconciling (changed, removed), ps and logs, destroy (and --kill), exec
# commands that stay one-shot, and a service inside an unprivileged run.

load helpers

teardown() {
	# the supervisors first: clean_all only knows namespaces
	for l in svc web; do
		"$N" lab destroy --kill "$l" >/dev/null 2>&1 || true
	done
	clean_all
}

# Field F of service NODE.SVC in lab LAB's ps -j: svc_field LAB NODE SVC F
svc_field() {
	"$N" -j lab ps "$1" "$2" | jq -r --arg s "$3" ".[] | select(.service == \$s) | .$4"
}

svc_is() {
	[ "$(svc_field "$1" "$2" "$3" state)" = "$4" ]
}

svc_count() {
	[ "$("$N" -j lab ps "$1" | jq length)" = "$2" ]
}

# The network namespace inodes of names; then (after destroy) whether any
# process of the sandbox is still inside one of them.
ns_inodes() {
	local n
	for n in "$@"; do stat -L -c %i "$RD/$n"; done
}

no_process_in() {
	local p i ino
	for p in /proc/[0-9]*; do
		i=$(readlink "$p/ns/net" 2>/dev/null) || continue
		for ino in "$@"; do
			[ "$i" != "net:[$ino]" ] || { echo "process ${p#/proc/} in $i" >&2; return 1; }
		done
	done
}

web_lab() {
	lab_file web <<EOF
version: 1
name: web
nodes:
  a:
    exec: ["sleep 600 &", "echo from-exec"]
    services:
      http:
        cmd: [python3, -m, http.server, "8080", --bind, 192.0.2.1, --directory, $BATS_TEST_TMPDIR/www]
        ready: {tcp: 8080}
  b:
    services:
      pong:
        cmd: |
          exec python3 -c '
          import socket
          s = socket.socket(socket.AF_INET6); s.bind(("2001:db8::2", 8081)); s.listen()
          while True:
              c, _ = s.accept(); c.sendall(b"pong\n"); c.close()'
        ready: {cmd: "bash -c 'exec 3<>/dev/tcp/2001:db8::2/8081'"}
        after: a.http
links:
  - a: {node: a, ifname: eth0, addresses: [192.0.2.1/24, "2001:db8::1/64"]}
    b: {node: b, ifname: eth0, addresses: [192.0.2.2/24, "2001:db8::2/64"]}
ready:
  - {service: b.pong}
  - {from: a, ping: "2001:db8::2"}
EOF
}

@test "services: a web server (tcp ready) and a TCP service (cmd ready), apply returns at once" {
	mkdir -p "$BATS_TEST_TMPDIR/www"
	echo hello-from-a > "$BATS_TEST_TMPDIR/www/index.html"
	web_lab
	# the exec command's "sleep 600 &" must not hold apply's output open
	out=$(timeout 120 "$N" lab apply "$BATS_TEST_TMPDIR/web.yaml")
	[[ "$out" == *from-exec* ]]
	[[ "$out" == *"web: "*changes* ]]
	# ready when apply returns: no waiting here
	svc_is web a http ready
	svc_is web b pong ready
	run ip netns exec web.b python3 -c 'import urllib.request; print(urllib.request.urlopen("http://192.0.2.1:8080/").read().decode(), end="")'
	assert_output hello-from-a
	run ip netns exec web.a bash -c 'exec 3<>/dev/tcp/2001:db8::2/8081; cat <&3'
	assert_output pong
	# each service in its own session, stdin from /dev/null
	pid=$(svc_field web a http pid)
	[ "$(ps -o sid= -p "$pid" | tr -d ' ')" = "$pid" ]
	[ "$(readlink /proc/"$pid"/fd/0)" = /dev/null ]
	# apply again: nothing to do; diff agrees
	run_n lab apply "$BATS_TEST_TMPDIR/web.yaml"
	assert_success
	assert_output "web: up to date"
	run_n lab diff web
	assert_success
	run_l lab show web
	assert_line "ready: service b.pong"
	[ "$("$N" -j lab show web | jq -c '.ready[0]')" = '{"service":"b.pong"}' ]
	run_l lab ps web
	assert_success
	assert_line --regexp '^a +http +ready +[0-9]+ +- +0 '
	assert_line --regexp '^b +pong +ready +[0-9]+ +- +0 '
	# destroy --kill: the services, then the stray sleep of exec
	inodes=$(ns_inodes web.a web.b)
	run "$N" pids web.a
	assert_line "$pid"
	run_n lab destroy --kill web
	assert_success
	assert_equal "$err" ""
	no_process_in $inodes
	[ ! -e "$STATE/web" ]
}

@test "services: destroy stops them all and leaves no process of the lab" {
	lab_file svc <<'EOF'
version: 1
name: svc
nodes:
  a:
    services:
      s1: {cmd: "sleep 1000 & sleep 1001"}
      s2: {cmd: [sh, -c, "trap '' TERM; while :; do sleep 1; done"]}
  b:
    services:
      s3: {cmd: [sleep, "1002"], restart: always}
EOF
	run_n lab apply "$BATS_TEST_TMPDIR/svc.yaml"
	assert_success
	svc_count svc 3
	inodes=$(ns_inodes svc.a svc.b)
	[ "$("$N" pids svc.a | wc -l)" -ge 3 ]
	# s2 ignores SIGTERM: SIGKILL after the grace; s1's background sleep
	# goes with its group
	run_n lab destroy svc
	assert_success
	assert_equal "$err" ""
	no_process_in $inodes
}

@test "services: restart always restarts a killed service, restart no shows it exited" {
	lab_file svc <<'EOF'
version: 1
name: svc
nodes:
  a:
    services:
      keep: {cmd: [sleep, "1000"], restart: always}
      once: {cmd: [sleep, "1001"]}
EOF
	run_n lab apply "$BATS_TEST_TMPDIR/svc.yaml"
	assert_success
	k=$(svc_field svc a keep pid)
	o=$(svc_field svc a once pid)
	kill -KILL "$k" "$o"
	wait_for 400 svc_is svc a once exited
	[ "$(svc_field svc a once exit_status)" = 137 ]
	[ "$(svc_field svc a once pid)" = null ]
	wait_for 400 svc_is svc a keep running
	[ "$(svc_field svc a keep restarts)" = 1 ]
	[ "$(svc_field svc a keep pid)" != "$k" ]
	# diff says what is down; apply starts it again
	run_n lab diff svc
	[ "$status" = 1 ]
	assert_output "svc.a: service once not running (exited, status 137)"
	run_n lab apply "$BATS_TEST_TMPDIR/svc.yaml"
	assert_success
	svc_is svc a once running
}

@test "services: a changed command restarts only that service, a removed one stops" {
	lab_file svc <<'EOF'
version: 1
name: svc
nodes:
  a:
    services:
      s1: {cmd: [sleep, "1000"]}
      s2: {cmd: [sleep, "1001"]}
      s3: {cmd: [sleep, "1002"]}
EOF
	run_n lab apply "$BATS_TEST_TMPDIR/svc.yaml"
	assert_success
	p1=$(svc_field svc a s1 pid)
	p2=$(svc_field svc a s2 pid)
	p3=$(svc_field svc a s3 pid)
	sed -i -e 's/"1001"/"1005"/' -e '/s3:/d' "$BATS_TEST_TMPDIR/svc.yaml"
	run_l lab diff "$BATS_TEST_TMPDIR/svc.yaml"
	[ "$status" = 1 ]
	assert_line "svc.a: service s2 runs an old definition"
	assert_line "svc.a: extra service s3 (made by the lab)"
	run_l lab apply --dry-run "$BATS_TEST_TMPDIR/svc.yaml"
	assert_success
	assert_line "# restart service s2 in svc.a"
	assert_line "# stop service s3 in svc.a"
	[ "$(svc_field svc a s2 pid)" = "$p2" ]
	run_n lab apply "$BATS_TEST_TMPDIR/svc.yaml"
	assert_success
	[ "$(svc_field svc a s1 pid)" = "$p1" ]
	p2b=$(svc_field svc a s2 pid)
	[ "$p2b" != "$p2" ] && [ "$p2b" != null ]
	tr '\0' ' ' < /proc/"$p2b"/cmdline | grep -q 'sleep 1005'
	wait_for 400 bash -c "! kill -0 $p3"
	wait_for 400 svc_count svc 2
}

@test "services: env, cwd, logs with -n and -f" {
	lab_file svc <<EOF
version: 1
name: svc
nodes:
  a:
    services:
      talk:
        cmd: 'echo "one \$WHO"; pwd; echo err >&2; while [ ! -e go ]; do sleep 0.05; done; echo later; exec sleep 1000'
        env: {WHO: world}
        cwd: $BATS_TEST_TMPDIR
EOF
	run_n lab apply "$BATS_TEST_TMPDIR/svc.yaml"
	assert_success
	wait_for 400 grep -q err "$STATE/svc/log/a.talk"
	run_n lab logs svc a talk
	assert_success
	assert_output "$(printf 'one world\n%s\nerr' "$BATS_TEST_TMPDIR")"
	run_n lab logs svc a talk -n 1
	assert_output err
	"$N" lab logs svc a talk -f > "$BATS_TEST_TMPDIR/f.out" 3>&- &
	f=$!
	wait_for 400 grep -q err "$BATS_TEST_TMPDIR/f.out"
	touch "$BATS_TEST_TMPDIR/go"
	wait_for 400 grep -q later "$BATS_TEST_TMPDIR/f.out"
	kill "$f"
	run_n lab logs svc a nosuch
	[ "$status" = 1 ]
	assert_output ""
	[[ "$err" == *'service "a.nosuch" has no log'* ]]
}

@test "services: one that cannot run fails apply, which says where its log is" {
	lab_file svc <<'EOF'
version: 1
name: svc
nodes:
  a:
    services:
      bad: {cmd: [/nonexistent/program]}
EOF
	run_n lab apply "$BATS_TEST_TMPDIR/svc.yaml"
	[ "$status" = 1 ]
	assert_equal "$err" "netnsctl: $BATS_TEST_TMPDIR/svc.yaml:6:7: service \"a.bad\" could not run with status 127 (netnsctl lab logs svc a bad)"
	run_n lab logs svc a bad
	[[ "$output" == *"/nonexistent/program: No such file or directory"* ]]
	svc_is svc a bad failed
}

@test "services: bad keys are one line, exit 2, nothing made" {
	bad() {
		printf 'version: 1\nname: svc\nnodes:\n  a:\n    services:\n      s: %s\n' "$1" \
			> "$BATS_TEST_TMPDIR/bad.yaml"
		run_n lab apply "$BATS_TEST_TMPDIR/bad.yaml"
		[ "$status" = 2 ] || { echo "$1: $status"; return 1; }
		[ "$err" = "netnsctl: $BATS_TEST_TMPDIR/bad.yaml:$2" ] || { echo "$err"; return 1; }
	}
	bad '{cmd: [sleep, "1"], restart: sometimes}' '6:39: "restart" must be no, on-failure or always, not "sometimes"'
	bad '{cmd: [sleep, "1"], after: a.t}' '6:37: "after": no service "a.t" (NODE.SERVICE)'
	bad '{cmd: [sleep, "1"], after: a.s}' '6:37: service "a.s" cannot come after itself'
	bad '{cmd: [sleep, "1"], ready: {}}' "6:37: a service's \"ready\" needs one of \"tcp\" or \"cmd\""
	bad '{env: {A: b}}' '6:7: service "s" needs "cmd"'
	bad '{cmd: []}' '6:16: "cmd" must not be empty'
	bad '{cmd: x, cwd: rel}' '6:24: "cwd" must be an absolute path'
	bad '{cmd: x, user: "a:b"}' '6:25: "user" must be a user name or number'
	bad '{cmd: x, ready: {tcp: 0}}' '6:32: tcp "0" out of range (1..65535)'
	printf 'version: 1\nname: svc\nnodes:\n  a: {}\nready: [{service: a.x}]\n' > "$BATS_TEST_TMPDIR/r.yaml"
	run_n lab validate "$BATS_TEST_TMPDIR/r.yaml"
	[ "$status" = 2 ]
	assert_equal "$err" "netnsctl: $BATS_TEST_TMPDIR/r.yaml:5:9: ready: no service \"a.x\" (NODE.SERVICE)"
	bad '{cmd: x, wat: 1}' '6:19: unknown key "wat" in service "s" (expected cmd, env, cwd, user, after, restart or ready)'
	[ -z "$(ls "$RD")" ]
	run_n lab ps nosuch
	[ "$status" = 1 ]
	[[ "$err" == *'lab "nosuch": no state here'* ]]
	run_n lab ps
	[ "$status" = 2 ]
	run_n lab logs svc a
	[ "$status" = 2 ]
}

@test "exec: a command that does not finish fails apply and points at services" {
	lab_file svc <<'EOF'
version: 1
name: svc
nodes:
  a:
    exec: ["sleep 100"]
EOF
	NETNSCTL_LAB_EXEC_TIMEOUT=1 run_n lab apply "$BATS_TEST_TMPDIR/svc.yaml"
	[ "$status" = 1 ]
	[[ "$err" == *'"sleep 100" did not finish within 1 s'*'belongs in "services"'* ]]
}

@test "services: an unprivileged run of a lab with a service" {
	[ "$(cat /proc/sys/user/max_user_namespaces)" -gt 0 ] || skip "user namespaces are disabled"
	nb=$(reachable_netnsctl)
	cat > /mnt/svc-run.yaml <<'EOF'
version: 1
name: svcrun
nodes:
  a:
    services:
      pong:
        cmd: [python3, -c, "import socket\ns=socket.socket(); s.bind(('192.0.2.1', 8081)); s.listen()\nwhile True:\n  c,_=s.accept(); c.sendall(b'pong'); c.close()"]
        ready: {tcp: 8081}
  b: {}
links:
  - a: {node: a, ifname: eth0, addresses: [192.0.2.1/24]}
    b: {node: b, ifname: eth0, addresses: [192.0.2.2/24]}
EOF
	chmod 644 /mnt/svc-run.yaml
	run setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$nb" run /mnt/svc-run.yaml -- sh -c '"$0" exec svcrun.b bash -c "exec 3<>/dev/tcp/192.0.2.1/8081; cat <&3"; echo; echo "uid $(id -u)"' "$nb"
	assert_success
	assert_line pong
	assert_line "uid 0"
}
