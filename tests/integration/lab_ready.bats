#!/usr/bin/env bats
# lab ready checks: tcp (IPv4 and [IPv6]:PORT) and cmd checks beside ping,
# all run at once; a failing tcp check's message; a failing ping naming
# where the lab's own model breaks the way (apply, and validate's warning);
# services' "after" cycles refused; show listing the services; bad checks.

load helpers

teardown() {
	"$N" lab destroy --kill rdy >/dev/null 2>&1 || true
	clean_all
}

# Three nodes in a row, left - mid - right, into rdy.yaml; mid forwards.
# $1: mid's routes line ("" for none); $2: lines for right (services...);
# the top level's "ready:" and more on standard input.
row_lab() {
	local mid_routes=${1-"routes: [{to: 198.51.100.0/24, via: 192.0.2.6}]"}
	{
		cat <<EOF
version: 1
name: rdy
nodes:
  left:
    routes: [{to: default, via: 192.0.2.2}]
  mid:
    sysctls: {net.ipv4.ip_forward: 1}
    $mid_routes
  right:
    loopback: [198.51.100.1]
    routes: [{to: default, via: 192.0.2.5}]
${2-}
links:
  - a: {node: left, ifname: eth0, addresses: [192.0.2.1/30, "2001:db8::1/64"]}
    b: {node: mid, ifname: eth0, addresses: [192.0.2.2/30, "2001:db8::2/64"]}
  - a: {node: mid, ifname: eth1, addresses: [192.0.2.5/30]}
    b: {node: right, ifname: eth0, addresses: [192.0.2.6/30]}
EOF
		cat
	} > "$BATS_TEST_TMPDIR/rdy.yaml"
}

# right's web server (a service with no check of its own), and mid's
# IPv6-only listener (a service too)
SERVERS='    services:
      web: {cmd: [python3, -m, http.server, "8080", --bind, "::", --directory, /]}'
MID6='      six: {cmd: [python3, -m, http.server, "8081", --bind, "2001:db8::2", --directory, /]}'

@test "ready: tcp to a service (IPv4, [IPv6]:PORT), cmd and ping checks pass" {
	row_lab "routes: [{to: 198.51.100.0/24, via: 192.0.2.6}]
    services:
$MID6" "$SERVERS" <<'EOF'
ready:
  - {from: left, tcp: "198.51.100.1:8080", timeout: 60}
  - {from: left, tcp: "[2001:db8::2]:8081", timeout: 60}
  - {from: mid, cmd: "ip -o link show eth1 | grep -q UP"}
  - {from: left, ping: 198.51.100.1}
EOF
	run_n lab validate "$BATS_TEST_TMPDIR/rdy.yaml"
	assert_success
	assert_equal "$err" ""
	run_n lab apply "$BATS_TEST_TMPDIR/rdy.yaml"
	assert_success
	assert_equal "$err" ""
	# ready when apply returns: both servers answer now, no waiting here
	run ip netns exec rdy.left python3 -c '
import socket
socket.create_connection(("198.51.100.1", 8080), 5).close()
socket.create_connection(("2001:db8::2", 8081), 5).close()'
	assert_success
	run_l lab show rdy
	assert_line "ready: left connects to 198.51.100.1:8080 (within 60 s)"
	assert_line "ready: left connects to [2001:db8::2]:8081 (within 60 s)"
	assert_line 'ready: mid runs "ip -o link show eth1 | grep -q UP" (within 10 s)'
	assert_line "ready: left pings 198.51.100.1 (within 10 s)"
	run_n -j lab show rdy
	[ "$(jq -c '.ready[1]' <<<"$output")" = '{"from":"left","tcp":"[2001:db8::2]:8081","timeout":60}' ]
	[ "$(jq -r '.ready[2].cmd' <<<"$output")" = "ip -o link show eth1 | grep -q UP" ]
	# --ready: the checks again, with nothing else to do
	run_n lab apply --ready "$BATS_TEST_TMPDIR/rdy.yaml"
	assert_success
}

@test "ready: the checks run at once (three that each wait for the others pass)" {
	d=$BATS_TEST_TMPDIR/conc
	mkdir -p "$d"
	# each check ends only once all three have started: one after another,
	# the first would wait for the others until its time is up
	c() {
		echo "  - {from: $1, timeout: 120, cmd: \"touch $d/start.$2; until [ -e $d/start.a ] && [ -e $d/start.b ] && [ -e $d/start.c ]; do sleep 0.05; done; touch $d/end.$2\"}"
	}
	row_lab <<EOF
ready:
$(c left a)
$(c mid b)
$(c right c)
EOF
	run_n lab apply "$BATS_TEST_TMPDIR/rdy.yaml"
	assert_success
	for x in a b c; do
		[ -e "$d/start.$x" ]
		[ -e "$d/end.$x" ]
	done
	# every start before any end
	last_start=$(stat -c %Y.%y "$d"/start.* | sort | tail -1)
	first_end=$(stat -c %Y.%y "$d"/end.* | sort | head -1)
	[[ ! "$first_end" < "$last_start" ]]
}

@test "ready: a failing tcp check says why, where the file has it, and fails apply" {
	row_lab <<'EOF'
ready:
  - {from: left, ping: 192.0.2.6}
  - {from: left, tcp: "192.0.2.6:8080", timeout: 3}
EOF
	run_n lab apply "$BATS_TEST_TMPDIR/rdy.yaml"
	[ "$status" = 1 ]
	assert_one_error_line "$err"
	assert_equal "$err" "netnsctl: $BATS_TEST_TMPDIR/rdy.yaml:20:5: ready: node \"left\" cannot connect to 192.0.2.6:8080: Connection refused"
	# the network stays (a ready check makes nothing): a listener, and it passes
	ip netns exec rdy.right python3 -m http.server 8080 --bind 192.0.2.6 --directory / \
		</dev/null >/dev/null 2>&1 3>&- &
	srv=$!
	run_n lab apply --ready "$BATS_TEST_TMPDIR/rdy.yaml"
	kill "$srv"
	assert_success
	# a cmd check that never exits 0
	row_lab <<'EOF'
ready:
  - {from: mid, cmd: "exit 3", timeout: 5}
EOF
	run_n lab apply --ready "$BATS_TEST_TMPDIR/rdy.yaml"
	[ "$status" = 1 ]
	assert_equal "$err" "netnsctl: $BATS_TEST_TMPDIR/rdy.yaml:19:5: ready: node \"mid\": \"exit 3\" exited with status 3 (tried for 5 s)"
}

@test "ready: a ping that fails names the router without the route (apply and validate)" {
	row_lab "" <<'EOF'
ready:
  - {from: left, ping: 198.51.100.1, timeout: 1}
  - {from: left, tcp: "198.51.100.1:80", timeout: 1}
EOF
	f=$BATS_TEST_TMPDIR/rdy.yaml
	# validate warns, from the file alone, and still says the file is good
	run_n lab validate "$f"
	assert_success
	assert_output "rdy: 3 nodes, 0 bridges, 2 links, 2 ready checks"
	assert_equal "$err" "netnsctl: warning: $f:19:5: ready: node \"left\" cannot ping 198.51.100.1: node \"mid\" has no route to 198.51.100.1
netnsctl: warning: $f:20:5: ready: node \"left\" cannot connect to 198.51.100.1:80: node \"mid\" has no route to 198.51.100.1"
	run_n lab apply "$f"
	[ "$status" = 1 ]
	assert_equal "$err" "netnsctl: $f:19:5: ready: node \"left\" cannot ping 198.51.100.1: node \"mid\" has no route to 198.51.100.1"
	# the route in place (by hand): the ping passes; the connect is answered
	# (refused): the file's word would be wrong there, the kernel's is said
	ip -n rdy.mid route add 198.51.100.0/24 via 192.0.2.6
	run_n lab apply --ready "$f"
	[ "$status" = 1 ]
	assert_equal "$err" "netnsctl: $f:20:5: ready: node \"left\" cannot connect to 198.51.100.1:80: Connection refused"
}

@test "ready: validate names other breaks: a router that does not forward, a missing gateway, the way back" {
	f=$BATS_TEST_TMPDIR/rdy.yaml
	row_lab <<'EOF'
ready:
  - {from: left, ping: 198.51.100.1}
EOF
	sed -i 's/net.ipv4.ip_forward: 1/net.ipv4.ip_forward: 0/' "$f"
	run_n lab validate "$f"
	assert_success
	assert_equal "$err" "netnsctl: warning: $f:19:5: ready: node \"left\" cannot ping 198.51.100.1: node \"mid\" does not forward IPv4 (sysctl net.ipv4.ip_forward: 1)"
	row_lab "routes: [{to: 198.51.100.0/24, via: 192.0.2.7}]" <<'EOF'
ready:
  - {from: left, ping: 198.51.100.1}
EOF
	run_n lab validate "$f"
	assert_equal "$err" "netnsctl: warning: $f:19:5: ready: node \"left\" cannot ping 198.51.100.1: no node on the link of node \"mid\" eth1 has gateway 192.0.2.7"
	# right's default route removed: there, not back
	row_lab <<'EOF'
ready:
  - {from: left, ping: 198.51.100.1}
  - {from: left, ping: 192.0.2.2}
EOF
	sed -i '/routes: \[{to: default, via: 192.0.2.5}\]/d' "$f"
	run_n lab validate "$f"
	assert_success
	assert_equal "$err" "netnsctl: warning: $f:18:5: ready: node \"left\" cannot ping 198.51.100.1: node \"right\" has no route to 192.0.2.1 (the way back)"
	# an IPv6 target nobody has, on a connected subnet
	row_lab <<'EOF'
ready:
  - {from: left, ping: "2001:db8::9"}
EOF
	run_n lab validate "$f"
	assert_equal "$err" "netnsctl: warning: $f:19:5: ready: node \"left\" cannot ping 2001:db8::9: no node on the link of node \"left\" eth0 has 2001:db8::9"
}

@test "ready: dry run prints tcp and cmd checks as batch lines" {
	row_lab <<'EOF'
ready:
  - {from: left, tcp: "[2001:db8::2]:8081", timeout: 7}
  - {from: mid, cmd: 'echo "it''s up"'}
EOF
	run_l lab apply --dry-run "$BATS_TEST_TMPDIR/rdy.yaml"
	assert_success
	assert_line "exec rdy.left timeout 7 bash -c 'until (: <>/dev/tcp/2001:db8::2/8081) 2>/dev/null; do sleep 0.1; done'"
	assert_line "exec rdy.mid timeout 10 sh -c \"until sh -c 'echo \\\"it'\\\\''s up\\\"' >/dev/null 2>&1; do sleep 0.1; done\""
}

@test "ready: bad checks are refused when the file is read (exit 2, nothing made)" {
	refuse() {
		row_lab <<<"ready:
  - $1"
		run_n lab apply "$BATS_TEST_TMPDIR/rdy.yaml"
		[ "$status" = 2 ] || { echo "status $status for $1: $err" >&2; return 1; }
		assert_one_error_line "$err"
		[[ "$err" == *"$2"* ]] || { echo "want $2, got: $err" >&2; return 1; }
	}
	refuse '{from: left, tcp: "2001:db8::2:80"}' 'an IPv6 address goes in brackets: [V6ADDR]:PORT'
	refuse '{from: left, tcp: "[192.0.2.2]:80"}' 'brackets are for IPv6 addresses'
	refuse '{from: left, tcp: "192.0.2.2"}' '"tcp" wants ADDR:PORT or [V6ADDR]:PORT'
	refuse '{from: left, tcp: "192.0.2.2:0"}' 'port'
	refuse '{from: left, tcp: "192.0.2.2:65536"}' 'port'
	refuse '{from: left, tcp: "[2001:db8::2:80"}' '[V6ADDR]:PORT'
	refuse '{from: left, ping: 192.0.2.2, tcp: "192.0.2.2:80"}' 'a ready check takes one of "ping", "tcp" and "cmd", not more'
	refuse '{from: left, cmd: ""}' '"cmd" must not be empty'
	refuse '{from: left}' 'a ready check needs "ping", "tcp" or "cmd"'
	refuse '{tcp: "192.0.2.2:80"}' 'a ready check needs "from"'
	refuse '{service: left.x, cmd: "true"}' 'a "service" ready check takes no "from", "ping", "tcp" nor "cmd"'
	[ ! -e "$RD/rdy.left" ]
	[ ! -e "$STATE/rdy" ]
}

@test "services: after cycles are refused when the file is read, with the place" {
	f=$BATS_TEST_TMPDIR/cyc.yaml
	cat > "$f" <<'EOF'
version: 1
name: rdy
nodes:
  a1:
    services:
      web: {cmd: [sleep, "100"], after: a1.db}
      db: {cmd: [sleep, "100"], after: [a2.log]}
  a2:
    services:
      log: {cmd: [sleep, "100"], after: a1.web}
      ok: {cmd: [sleep, "100"], after: a1.web}
EOF
	run_n lab validate "$f"
	[ "$status" = 2 ]
	assert_equal "$err" "netnsctl: $f:6:41: after: a1.web -> a1.db -> a2.log -> a1.web is a cycle"
	run_n lab apply "$f"
	[ "$status" = 2 ]
	[ ! -e "$RD/rdy.a1" ]
	# two that wait for each other
	cat > "$f" <<'EOF'
version: 1
name: rdy
nodes:
  a1:
    services:
      web: {cmd: [sleep, "100"], after: a1.db}
      db: {cmd: [sleep, "100"], after: a1.web}
EOF
	run_n lab validate "$f"
	[ "$status" = 2 ]
	assert_equal "$err" "netnsctl: $f:6:41: after: a1.web -> a1.db -> a1.web is a cycle"
	# a chain is fine
	sed -i 's/, after: a1.web}/}/' "$f"
	run_n lab validate "$f"
	assert_success
}

@test "show lists each node's services (text and JSON)" {
	row_lab "" "    services:
      web:
        cmd: [python3, -m, http.server, \"8080\"]
        env: {LANG: C.UTF-8}
        cwd: /
        restart: on-failure
        ready: {tcp: 8080, timeout: 20}
      tail:
        cmd: \"sleep 100 | cat\"
        after: right.web
        user: nobody
        ready: {cmd: \"pgrep sleep\"}" </dev/null
	run_l lab show "$BATS_TEST_TMPDIR/rdy.yaml"
	assert_success
	assert_line "  service web: python3 -m http.server 8080 (restart on-failure, ready tcp 8080 within 20 s)"
	assert_line "  service tail: sleep 100 | cat (after right.web, user nobody, ready cmd pgrep sleep within 10 s)"
	run_n -j lab show "$BATS_TEST_TMPDIR/rdy.yaml"
	assert_success
	[ "$(jq -c '.nodes[0].services' <<<"$output")" = '[]' ]
	[ "$(jq -c '.nodes[2].services[0]' <<<"$output")" = '{"name":"web","cmd":["python3","-m","http.server","8080"],"env":{"LANG":"C.UTF-8"},"cwd":"/","user":null,"after":[],"restart":"on-failure","ready":{"tcp":8080,"timeout":20}}' ]
	[ "$(jq -c '.nodes[2].services[1]' <<<"$output")" = '{"name":"tail","cmd":["/bin/sh","-c","sleep 100 | cat"],"env":{},"cwd":null,"user":"nobody","after":["right.web"],"restart":"no","ready":{"cmd":"pgrep sleep","timeout":10}}' ]
}

@test "ready: a service entry waits for that service's own check, also with --ready" {
	row_lab "" "    services:
      web:
        cmd: [python3, -m, http.server, \"8080\", --bind, 192.0.2.6, --directory, /]
        restart: always
        ready: {tcp: 8080, timeout: 60}" <<'EOF'
ready:
  - {service: right.web, timeout: 60}
  - {from: left, ping: 192.0.2.2}
EOF
	run_n lab apply "$BATS_TEST_TMPDIR/rdy.yaml"
	assert_success
	# the service killed: --ready (nothing else to do) waits until it is back
	pid=$("$N" -j lab ps rdy right | jq -r '.[0].pid')
	kill -KILL "$pid"
	new_pid() {
		local p
		p=$("$N" -j lab ps rdy right | jq -r '.[0].pid')
		[ "$p" != "$pid" ] && [ "$p" != null ]
	}
	wait_for 600 new_pid
	run_n lab apply --ready "$BATS_TEST_TMPDIR/rdy.yaml"
	assert_success
	[ "$("$N" -j lab ps rdy right | jq -r '.[0].state')" = ready ]
	[ "$("$N" -j lab ps rdy right | jq -r '.[0].pid')" != "$pid" ]
	# one that never gets ready: its entry says so, where the file has it
	"$N" lab destroy --kill rdy >/dev/null
	sed -i -e 's/"8080", --bind/"8081", --bind/' -e 's/restart: always/restart: "no"/' \
		-e 's/timeout: 60}$/timeout: 1}/' "$BATS_TEST_TMPDIR/rdy.yaml"
	run_n lab apply "$BATS_TEST_TMPDIR/rdy.yaml"
	[ "$status" = 1 ]
	assert_one_error_line "$err"
	[[ "$err" == *"not ready within 1 s"* ]]
}
