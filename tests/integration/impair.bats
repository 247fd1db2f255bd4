#!/usr/bin/env bats
# impair and qdisc show: impairments as the root qdisc of an interface, checked
# from outside with tc and with real transfers between namespaces.

load helpers

# r1 eth0 (192.0.2.1) <-> r2 eth0 (192.0.2.2), both up
pair() {
	"$N" add r1 r2
	"$N" veth add eth0 netns r1 peer eth0 netns r2
	ip -n r1 addr add 192.0.2.1/24 dev eth0
	ip -n r2 addr add 192.0.2.2/24 dev eth0
	ip -n r1 link set eth0 up
	ip -n r2 link set eth0 up
	wait_for 100 ip netns exec r1 ping -c1 -W1 192.0.2.2
}

# Does this kernel have netem? Asked on the loopback of a throwaway namespace.
have_netem() {
	ip netns add netemprobe
	local rc=0
	tc -n netemprobe qdisc add dev lo root netem delay 1ms 2>/dev/null || rc=1
	ip netns del netemprobe
	return $rc
}

root_of() { # NS DEV: the root qdisc as tc -j shows it
	tc -n "$1" -j qdisc show dev "$2" | jq -c '.[] | select(.root)'
}

# Seconds it takes to send 250 kB from namespace $1 (default r1) to $2
# (default r2, at 192.0.2.2) over TCP, until the receiver has read them all
# (it answers with the count once the sender is done).
xfer_seconds() {
	local from=${1:-r1} to=${2:-r2}
	local ready=$BATS_TEST_TMPDIR/ready
	rm -f "$ready"
	ip netns exec "$to" python3 -c '
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("192.0.2.2", 5001))
s.listen(1)
open(sys.argv[1], "w").close()
c, _ = s.accept()
n = 0
while True:
    d = c.recv(65536)
    if not d:
        break
    n += len(d)
c.sendall(str(n).encode())
c.close()
' "$ready" 3>&- &
	local pid=$!
	wait_for 200 test -e "$ready"
	ip netns exec "$from" python3 -c '
import socket, time
s = socket.create_connection(("192.0.2.2", 5001))
t = time.monotonic()
s.sendall(b"x" * 250000)
s.shutdown(socket.SHUT_WR)
got = s.recv(64).decode()
assert got == "250000", got
print("%.3f" % (time.monotonic() - t))
'
	wait_pids "$pid"
}

@test "impair rate: a tbf at the root, as tc sees it, and qdisc show -j says what tc -j says" {
	pair
	run_n -n r1 impair dev eth0 rate 1mbit
	assert_success
	[ -z "$err" ]
	run root_of r1 eth0
	[ "$(jq -r .kind <<<"$output")" = tbf ]
	[ "$(jq -r .options.rate <<<"$output")" = 125000 ]
	[ "$(jq -r .options.burst <<<"$output")" = 16384 ]
	# our JSON, field for field, is tc's
	diff <("$N" -n r1 -j qdisc show dev eth0 | jq -S .) <(tc -n r1 -j qdisc show dev eth0 | jq -S .)
	diff <("$N" -n r1 -j qdisc show | jq -S .) <(tc -n r1 -j qdisc show | jq -S .)
	run_n -n r1 qdisc show dev eth0
	assert_success
	[[ $output == "qdisc tbf "*" root refcnt "*" rate 1Mbit burst 16Kb lat 100ms" ]]
	run_n -n r1 qdisc
	[[ $output == *"dev lo root"* && $output == *"qdisc tbf "*" dev eth0 root"* ]]
}

@test "impair rate 1mbit: 250 kB take at least 1.5 s, and a small part of that without" {
	pair
	local free limited
	free=$(xfer_seconds)
	"$N" -n r1 impair dev eth0 rate 1mbit
	limited=$(xfer_seconds)
	"$N" -n r1 impair dev eth0 clear
	echo "without: ${free}s, rate 1mbit: ${limited}s"
	awk -v l="$limited" 'BEGIN { exit !(l >= 1.5) }'
	awk -v f="$free" -v l="$limited" 'BEGIN { exit !(f * 3 < l) }'
}

# --- labs

# lab imp: r1 eth0 (192.0.2.1) -- r2 eth0 (192.0.2.2), the link impaired as $1,
# end a's map ending with $2
imp_lab() {
	lab_file imp <<-EOF
	version: 1
	name: imp
	nodes:
	  r1:
	  r2:
	links:
	  - a: {node: r1, ifname: eth0, addresses: [192.0.2.1/24]${2:-}}
	    b: {node: r2, ifname: eth0, addresses: [192.0.2.2/24]}
	    $1
	EOF
	echo "$BATS_TEST_TMPDIR/imp.yaml"
}

@test "lab: a 1mbit link takes 250 kB in at least 1.5 s, the same link unimpaired a small part of that" {
	local f free limited
	f=$(imp_lab "mtu: 1500")
	"$N" lab apply "$f"
	wait_for 100 ip netns exec imp.r1 ping -c1 -W1 192.0.2.2
	free=$(xfer_seconds imp.r1 imp.r2)
	f=$(imp_lab "impair: {rate: 1mbit}")
	run_n lab apply "$f"
	assert_success
	[ "$(root_of imp.r1 eth0 | jq -r .kind)" = tbf ]
	[ "$(root_of imp.r2 eth0 | jq -r .options.rate)" = 125000 ]
	limited=$(xfer_seconds imp.r1 imp.r2)
	echo "lab link without: ${free}s, rate 1mbit: ${limited}s"
	# 250 kB at 125 kB/s, less the 16 kB burst, is 1.87 s at the least
	awk -v l="$limited" 'BEGIN { exit !(l >= 1.5) }'
	awk -v f="$free" -v l="$limited" 'BEGIN { exit !(f * 3 < l) }'
}

@test "impair again: the rate changes in place (same handle), traffic flows throughout" {
	pair
	"$N" -n r1 impair dev eth0 rate 1mbit
	local h1 h2
	h1=$(root_of r1 eth0 | jq -r .handle)
	run_n -n r1 impair eth0 rate 10mbit burst 32kb limit 100kb
	assert_success
	h2=$(root_of r1 eth0 | jq -r .handle)
	[ "$h1" = "$h2" ]
	run root_of r1 eth0
	[ "$(jq -r .options.rate <<<"$output")" = 1250000 ]
	# the kernel keeps the burst as a time at the rate: back within a rounding
	awk -v b="$(jq -r .options.burst <<<"$output")" 'BEGIN { exit !(b > 32700 && b <= 32768) }'
	ip netns exec r1 ping -c1 -W2 192.0.2.2
}

@test "impair: rate changes in place lose no packet of a ping running through them" {
	pair
	"$N" -n r1 impair dev eth0 rate 1mbit
	local log=$BATS_TEST_TMPDIR/ping
	ip netns exec r1 ping -n -i 0.01 -c 300 -W 2 192.0.2.2 >"$log" 3>&- &
	local pid=$!
	# changes while replies are coming in
	wait_for 400 grep -q 'icmp_seq=20 ' "$log"
	for r in 2mbit 500kbit 10mbit 1mbit 3mbit; do
		"$N" -n r1 impair dev eth0 rate "$r"
	done
	! grep -q 'icmp_seq=300 ' "$log"          # the changes came before the end
	wait_pids "$pid"
	grep -q ' 0% packet loss' "$log"
}

@test "impair clear: the kernel's default comes back; clearing nothing is no error" {
	pair
	"$N" -n r1 impair dev eth0 rate 1mbit
	run_n -n r1 impair dev eth0 clear
	assert_success
	[ "$(root_of r1 eth0 | jq -r .kind)" = noqueue ]
	run_n -n r1 impair dev eth0 clear
	assert_success
	[ -z "$err" ]
}

@test "impair delay where the kernel has no netem: named, exit 1, nothing changed" {
	pair
	have_netem && skip "this kernel has netem: the error cannot happen here"
	"$N" -n r1 impair dev eth0 rate 1mbit
	local before
	before=$(root_of r1 eth0)
	run_n -n r1 impair dev eth0 delay 20ms
	assert_failure 1
	assert_equal "$err" 'netnsctl: impair "r1 eth0": the kernel has no netem (CONFIG_NET_SCH_NETEM); rate alone works with tbf'
	[ "$(root_of r1 eth0)" = "$before" ]
	# and on an interface with the default qdisc: still the default
	run_n -n r2 impair dev eth0 loss 1%
	assert_failure 1
	[ "$(root_of r2 eth0 | jq -r .kind)" = noqueue ]
}

@test "impair delay and loss with netem: ping takes the delay, tc shows netem" {
	have_netem || skip "the kernel has no netem (CONFIG_NET_SCH_NETEM): delay, loss, duplicate, reorder and corrupt cannot run here; their messages are checked in unit-qdisc"
	pair
	run_n -n r1 impair dev eth0 delay 50ms loss 0% rate 10mbit
	assert_success
	run root_of r1 eth0
	[ "$(jq -r .kind <<<"$output")" = netem ]
	local rtt
	rtt=$(ip netns exec r1 ping -c1 -W2 192.0.2.2 | sed -n 's/.*time=\([0-9.]*\).*/\1/p')
	awk -v t="$rtt" 'BEGIN { exit !(t >= 50) }'
	diff <("$N" -n r1 -j qdisc show dev eth0 | jq -S .) <(tc -n r1 -j qdisc show dev eth0 | jq -S .)
}

@test "impair: bad input is one line, exit 2, nothing sent" {
	pair
	usage_errors -n r1 <<-'EOF'
	impair|impair: missing device (impair dev IF ...)
	impair dev eth0|impair: nothing to impair (rate, delay, loss, ... or clear)
	impair dev eth0 rate|impair: missing value after "rate"
	impair dev eth0 rate 10foo|impair: rate: invalid rate "10foo" (e.g. 10mbit, 1gbit, 500kbps)
	impair dev eth0 rate 1mbit rate 2mbit|impair: "rate" given twice
	impair dev eth0 delay 2h|impair: delay: invalid time "2h" (e.g. 20ms, 1.5ms, 100us)
	impair dev eth0 loss 101%|impair: loss: percentage "101%" out of range (0%..100%)
	impair dev eth0 jitter 2ms|impair: jitter needs a delay
	impair dev eth0 burst 32kb|impair: burst needs a rate
	impair dev eth0 delay 1ms burst 32kb|impair: burst goes with a rate alone (tbf), not with delay, loss, duplicate, reorder or corrupt
	impair dev eth0 rate 1mbit clear|impair: clear takes nothing else
	impair dev eth0 speed 1mbit|impair: unknown argument "speed"
	qdisc show dev|qdisc show: missing value after "dev"
	qdisc show foo|qdisc show: unknown argument "foo"
	EOF
	[ "$(root_of r1 eth0 | jq -r .kind)" = noqueue ]
	run_n -n r1 impair dev nope rate 1mbit
	assert_failure 1
	assert_equal "$err" 'netnsctl: device "nope" not found in netns "r1"'
}

@test "lab: a changed rate is applied in place (same handle); --dry-run and show say so" {
	local f h1
	f=$(imp_lab "impair: {rate: 1mbit}")
	"$N" lab apply "$f"
	h1=$(root_of imp.r1 eth0 | jq -r .handle)
	f=$(imp_lab "impair: {rate: 10mbit, burst: 32kb}")
	run_n lab apply --dry-run "$f"
	assert_success
	[[ $output == *"# imp.r1 eth0: link impair rate 1mbit burst 16kb limit 28884b, want rate 10mbit burst 32kb"* ]]
	[[ $output == *"-n imp.r1 impair dev eth0 rate 10mbit burst 32kb"* ]]
	[ "$(root_of imp.r1 eth0 | jq -r .options.rate)" = 125000 ]   # a dry run
	run_n lab apply "$f"
	assert_success
	[ "$(root_of imp.r1 eth0 | jq -r .handle)" = "$h1" ]
	[ "$(root_of imp.r1 eth0 | jq -r .options.rate)" = 1250000 ]
	run_n lab show "$f"
	[[ $output == *"eth0 192.0.2.1/24 -> r2 eth0 impair rate 10mbit burst 32kb: present"* ]]
	[ "$("$N" -j lab show "$f" | jq -c '.nodes[0].interfaces[0].impair')" = '{"rate":"10mbit","burst":"32kb"}' ]
	# an end's own: only what it sends
	f=$(imp_lab "impair: {rate: 10mbit, burst: 32kb}" ", impair: {rate: 2mbit}")
	run_n lab apply "$f"
	assert_success
	[ "$(root_of imp.r1 eth0 | jq -r .options.rate)" = 250000 ]
	[ "$(root_of imp.r2 eth0 | jq -r .options.rate)" = 1250000 ]
}

@test "lab diff: an impairment changed with tc, or with lab impair, is drift; apply mends it" {
	local f
	f=$(imp_lab "impair: {rate: 1mbit}")
	"$N" lab apply "$f"
	run_n lab diff "$f"
	assert_success
	tc -n imp.r1 qdisc replace dev eth0 root tbf rate 5mbit burst 16kb limit 30kb
	run_n lab diff "$f"
	assert_failure 1
	assert_output "imp.r1 eth0: link impair rate 5mbit burst 16kb limit 30kb, want rate 1mbit"
	run_n lab apply "$f"
	assert_success
	[ "$(root_of imp.r1 eth0 | jq -r .options.rate)" = 125000 ]
	run_n lab diff "$f"
	assert_success
	# removed from outside: made again
	tc -n imp.r2 qdisc del dev eth0 root
	run_n lab diff "$f"
	assert_output "imp.r2 eth0: link impair none, want rate 1mbit"
	"$N" lab apply "$f"
	[ "$(root_of imp.r2 eth0 | jq -r .kind)" = tbf ]
	# lab impair: until the next apply
	run_n lab impair imp r2 eth0 rate 3mbit
	assert_success
	[ "$(root_of imp.r2 eth0 | jq -r .options.rate)" = 375000 ]
	run_n lab diff imp
	assert_output "imp.r2 eth0: link impair rate 3mbit burst 16kb limit 53884b, want rate 1mbit"
	run_n lab impair imp r2 eth0 clear
	assert_success
	[ "$(root_of imp.r2 eth0 | jq -r .kind)" = noqueue ]
	"$N" lab apply "$f"
	[ "$(root_of imp.r2 eth0 | jq -r .options.rate)" = 125000 ]
	# the file without the impairment: apply takes it off
	f=$(imp_lab "mtu: 1500")
	sed -i 's/^    mtu: 1500$/    impair: {rate: 2mbit}/' "$f"
	"$N" lab apply "$f"
	usage_errors lab impair <<-'EOF2'
	imp|lab impair: expected NAME NODE IFNAME and an impairment (or clear)
	imp r1 eth0|lab impair: nothing to impair (rate, delay, loss, ... or clear)
	imp r1 eth0 rate fast|lab impair: rate: invalid rate "fast" (e.g. 10mbit, 1gbit, 500kbps)
	imp r9 eth0 rate 1mbit|lab impair: lab "imp" has no node "r9"
	imp r1 eth9 rate 1mbit|lab impair: node "r1" of lab "imp" has no link end "eth9"
	EOF2
	[ "$(root_of imp.r1 eth0 | jq -r .options.rate)" = 250000 ]
}

@test "lab without impairments: diff shows one made from outside, apply --prune takes it off" {
	local f
	f=$(imp_lab "mtu: 1500")
	"$N" lab apply "$f"
	run_n lab impair imp r1 eth0 rate 2mbit
	assert_success
	run_n lab diff "$f"
	assert_failure 1
	assert_output "imp.r1 eth0: link impair rate 2mbit burst 16kb limit 41384b, want none"
	run_n lab apply "$f"
	assert_success
	[ "$(root_of imp.r1 eth0 | jq -r .kind)" = tbf ]      # a plain apply does not look
	run_n lab apply --prune "$f"
	assert_success
	[ "$(root_of imp.r1 eth0 | jq -r .kind)" = noqueue ]
	run_n lab diff "$f"
	assert_success
}

@test "lab destroy: the impaired link goes, and its qdisc with it" {
	local f
	f=$(imp_lab "impair: {rate: 1mbit}")
	"$N" lab apply "$f"
	[ "$(tc -n imp.r1 -j qdisc show | jq '[.[] | select(.kind == "tbf")] | length')" = 1 ]
	run_n lab destroy imp
	assert_success
	! ip netns list | grep -q '^imp\.'
	# nothing of it left where the test runs either
	[ "$(tc -j qdisc show | jq '[.[] | select(.kind == "tbf")] | length')" = 0 ]
}

@test "lab apply of a file with delay where the kernel has no netem: refused up front, nothing made" {
	have_netem && skip "this kernel has netem: the error cannot happen here"
	local f
	f=$(imp_lab "impair: {delay: 20ms, loss: 1%}")
	run_n lab apply "$f"
	assert_failure 1
	assert_equal "$err" "netnsctl: $f:9:13: impair \"imp.r1 eth0\": the kernel has no netem (CONFIG_NET_SCH_NETEM); rate alone works with tbf"
	[ -z "$(ip netns list)" ]
	run_n lab apply --dry-run "$f"
	assert_failure 1
	# diff still says what differs
	run_n lab diff "$f"
	assert_failure 1
	[ -z "$(ip netns list)" ]
}

@test "lab file: impair keys and units checked with file:line" {
	local f line want
	while IFS='|' read -r line want; do
		f=$(imp_lab "$line")
		run_n lab validate "$f"
		echo "$line -> $status $err"
		assert_failure 2
		assert_equal "$err" "netnsctl: $f:$want"
	done <<-'EOF'
	impair: {rate: 10mbps, speed: 1}|9:28: unknown impair key "speed" (rate, burst, limit, delay, jitter, loss, duplicate, reorder, corrupt)
	impair: {loss: 101%}|9:20: impair: loss: percentage "101%" out of range (0%..100%)
	impair: {rate: 10 mbit}|9:20: impair: rate: invalid rate "10 mbit" (e.g. 10mbit, 1gbit, 500kbps)
	impair: {jitter: 1ms}|9:13: impair: jitter needs a delay
	impair: {delay: 1ms, burst: 1mb}|9:13: impair: burst goes with a rate alone (tbf), not with delay, loss, duplicate, reorder or corrupt
	EOF
	f=$(imp_lab "impair: [1mbit]")
	run_n lab validate "$f"
	assert_failure 2
	assert_one_error_line "$err"
}
