#!/usr/bin/env bats
# capture and lab capture: packets of lab interfaces, read back with tcpdump.

load helpers

DEMO=$EX/demo.yaml

setup() {
	"$N" lab apply "$DEMO" >/dev/null
}

teardown() {
	clean_all
	[ -z "${dir:-}" ] || rm -rf "$dir"
}

# Start a capture in the background ("$@": netnsctl's arguments), its stderr
# in $CAPERR; wait (bounded) until it says it listens, which it prints once
# every interface is open and filtered.
start_capture() {
	CAPERR=$(mktemp -p /run capture-err.XXXXXX)
	"$N" "$@" 2>"$CAPERR" 3>&- &
	CAPPID=$!
	wait_for 400 capture_settled
	grep -q '^listening on' "$CAPERR" || { cat "$CAPERR"; return 1; }
}

capture_settled() {
	grep -q '^listening on' "$CAPERR" || ! kill -0 "$CAPPID" 2>/dev/null
}

# Wait for the capture to end by itself; its status in $capstatus.
end_capture() {
	capstatus=0
	wait "$CAPPID" || capstatus=$?
}

# The packets of a capture file, as tcpdump prints them (without its
# "reading from file" line).
pkts() {
	tcpdump -nr "$@" 2>/dev/null
}

# The interface names (IDB if_name) of the packets in a pcapng file, sorted,
# one a line: a reader of our own, so the file's blocks are checked apart
# from libpcap's.
pcapng_ifnames() {
	python3 - "$1" <<'PY'
import struct, sys
d = open(sys.argv[1], 'rb').read()
t, l, bom = struct.unpack_from('<III', d, 0)
assert t == 0x0a0d0d0a and bom == 0x1a2b3c4d, "no pcapng section header"
o, names, seen = 0, [], set()
while o < len(d):
    t, l = struct.unpack_from('<II', d, o)
    assert l % 4 == 0 and struct.unpack_from('<I', d, o + l - 4)[0] == l, "bad block length"
    if t == 1:
        p, name = o + 16, None
        while p < o + l - 4:
            c, n = struct.unpack_from('<HH', d, p)
            if c == 0:
                break
            if c == 2:
                name = d[p + 4:p + 4 + n].decode()
            p += 4 + ((n + 3) & ~3)
        names.append(name)
    elif t == 6:
        seen.add(names[struct.unpack_from('<I', d, o + 8)[0]])
    o += l
print("\n".join(sorted(seen)))
PY
}

@test "lab capture: a ping between two nodes, read back with tcpdump -r" {
	start_capture lab capture demo r1 eth1 -w /run/ping.pcap -c 2 --duration 60 icmp
	ping_from demo.r1 203.0.113.2
	end_capture
	assert_equal "$capstatus" 0
	grep -qx 'listening on r1:eth1 (netns demo.r1), link-type EN10MB (Ethernet), snapshot length 262144 bytes' "$CAPERR"
	grep -qx '2 packets captured, 0 dropped by the kernel' "$CAPERR"
	run pkts /run/ping.pcap
	assert_success
	assert_line --partial "IP 203.0.113.1 > 203.0.113.2: ICMP echo request"
	assert_line --partial "IP 203.0.113.2 > 203.0.113.1: ICMP echo reply"
	assert_equal "${#lines[@]}" 2
}

@test "capture -n NS dev IF: a filter keeps only ICMP; SIGTERM ends it with the count" {
	# unfiltered, the same traffic has more than ICMP (ARP, IPv6)
	for filter in "" icmp; do
		rm -f /run/f.pcap
		# shellcheck disable=SC2086 # the filter is words
		start_capture -n demo.r2 capture dev eth1 -w /run/f.pcap --duration 60 $filter
		ip -n demo.r2 neigh flush dev eth1
		ip netns exec demo.r2 ping -c2 -i 0.2 -W2 -q 203.0.113.1 >/dev/null
		wait_for 200 sh -c "tcpdump -nr /run/f.pcap 2>/dev/null | grep -c 'ICMP echo reply' | grep -qx 2"
		kill -TERM "$CAPPID"
		end_capture
		assert_equal "$capstatus" 0
		run pkts /run/f.pcap
		assert_success
		n=${#lines[@]}
		if [ -z "$filter" ]; then
			assert_line --partial "ARP, Request who-has 203.0.113.1"
		else
			refute_line --partial "ARP"
			[ "$(grep -vc ': ICMP echo ' <<<"$output")" -eq 0 ]
		fi
		grep -qx "$n packets captured, 0 dropped by the kernel" "$CAPERR"
	done
}

@test "SIGINT right after the traffic: the packets the kernel took are written" {
	for mode in "" --immediate-mode; do
		rm -f /run/int.pcap
		# shellcheck disable=SC2086 # the mode is a word or none
		start_capture -n demo.r1 capture dev eth1 $mode -w /run/int.pcap --duration 60 icmp
		ping_from demo.r1 203.0.113.2
		kill -INT "$CAPPID"
		end_capture
		assert_equal "$capstatus" 0
		grep -qx '2 packets captured, 0 dropped by the kernel' "$CAPERR"
		run pkts /run/int.pcap
		assert_line --partial "IP 203.0.113.2 > 203.0.113.1: ICMP echo reply"
	done
}

@test "capture -c 3 stops after three packets" {
	start_capture -n demo.r1 capture eth1 -c 3 -w /run/three.pcap --duration 60
	ip netns exec demo.r1 ping -c 20 -i 0.2 -W2 -q 203.0.113.2 >/dev/null 3>&- &
	pinger=$!
	end_capture
	kill "$pinger" 2>/dev/null || true
	assert_equal "$capstatus" 0
	grep -qx '3 packets captured, 0 dropped by the kernel' "$CAPERR"
	run pkts /run/three.pcap
	assert_success
	assert_equal "${#lines[@]}" 3
}

@test "capture to standard output, piped into tcpdump -r -" {
	start_capture lab capture demo h1 eth0 -c 2 --duration 60 icmp > >(tcpdump -nr - >/run/pipe.txt 2>/dev/null 3>&-)
	ping_from demo.h1 198.51.100.1
	end_capture
	assert_equal "$capstatus" 0
	wait_for 200 grep -q "echo reply" /run/pipe.txt
	run cat /run/pipe.txt
	assert_line --partial "IP 198.51.100.10 > 198.51.100.1: ICMP echo request"
	assert_line --partial "IP 198.51.100.1 > 198.51.100.10: ICMP echo reply"
}

@test "lab capture --link: two interfaces in one pcapng file, each named NODE:IF" {
	start_capture lab capture demo --link 1 --link r1:eth2 -w /run/two.pcapng -c 4 --duration 60 icmp
	grep -q '^listening on r1:eth1 (netns demo.r1)' "$CAPERR"
	grep -q '^listening on r1:eth2 (netns demo.r1)' "$CAPERR"
	ping_from demo.r1 203.0.113.2
	ping_from demo.h1 198.51.100.1
	end_capture
	assert_equal "$capstatus" 0
	run pcapng_ifnames /run/two.pcapng
	assert_success
	assert_output "r1:eth1
r1:eth2"
	# and libpcap reads it all
	run pkts /run/two.pcapng
	assert_success
	assert_equal "${#lines[@]}" 4
	assert_line --partial "IP 203.0.113.1 > 203.0.113.2: ICMP echo request"
	assert_line --partial "IP 198.51.100.1 > 198.51.100.10: ICMP echo reply"
}

@test "lab capture --bridge: every port of the bridge, in LAB._switch" {
	start_capture lab capture demo --bridge lan -w /run/br.pcapng -c 4 --duration 60 icmp
	grep -q '^listening on lan:lan-1 (netns demo._switch)' "$CAPERR"
	grep -q '^listening on lan:lan-2 (netns demo._switch)' "$CAPERR"
	ping_from demo.h1 198.51.100.1
	end_capture
	assert_equal "$capstatus" 0
	# the request and the reply, each seen entering and leaving the bridge
	run pcapng_ifnames /run/br.pcapng
	assert_output "lan:lan-1
lan:lan-2"
	run pkts /run/br.pcapng
	assert_equal "$(grep -c 'ICMP echo request' <<<"$output")" 2
	assert_equal "$(grep -c 'ICMP echo reply' <<<"$output")" 2
}

@test "capture inside an unprivileged run" {
	[ "$(cat /proc/sys/user/max_user_namespaces)" -gt 0 ] || skip "user namespaces are disabled"
	"$N" lab destroy demo >/dev/null
	# a directory of nobody's, seen from inside the run's world (which has
	# /run of its own): the lab file, the capture file, its messages
	dir=$(mktemp -d /tmp/capture.XXXXXX)
	cp "$DEMO" "$dir/demo.yaml"
	chmod 644 "$dir/demo.yaml"
	chown 65534:65534 "$dir"
	nb=$(reachable_netnsctl)
	run setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$nb" run "$dir/demo.yaml" -- sh -c '
		N=$0 D=$1
		"$N" lab capture $D/demo.yaml r1 eth1 -c 2 --duration 60 -w $D/run.pcap icmp 2>$D/err &
		i=0
		until grep -q "^listening on" $D/err || [ $i -ge 2000 ]; do sleep 0.05; i=$((i + 1)); done
		"$N" exec demo.r1 ping -c1 -W2 -q 203.0.113.2 >/dev/null
		wait $!
		echo "capture exit $? as uid $(id -u)"
		cat $D/err' "$nb" "$dir"
	assert_success
	assert_line "capture exit 0 as uid 0"
	assert_line "2 packets captured, 0 dropped by the kernel"
	run pkts "$dir/run.pcap"
	assert_line --partial "IP 203.0.113.1 > 203.0.113.2: ICMP echo request"
	assert_line --partial "IP 203.0.113.2 > 203.0.113.1: ICMP echo reply"
}

@test "capture errors: one line, the exit code, no file, nothing left running" {
	before=$(snapshot)
	run_n -n nosuch capture dev eth0 -w /run/e.pcap
	assert_equal "$status" 1
	assert_one_error_line "$err"
	assert_equal "$err" 'netnsctl: netns "nosuch": no such namespace'
	run_n -n demo.r1 capture dev eth9 -w /run/e.pcap
	assert_equal "$status" 1
	assert_equal "$err" 'netnsctl: device "eth9" not found in netns "demo.r1"'
	run_n -n demo.r1 capture dev eth1 -w /run/e.pcap tcp port
	assert_equal "$status" 2
	assert_one_error_line "$err"
	[[ $err == 'netnsctl: capture: filter "tcp port": '*'syntax error'* ]]
	run_n lab capture demo r9 eth0 -w /run/e.pcap
	assert_equal "$status" 2
	assert_equal "$err" 'netnsctl: lab "demo" has no node "r9"'
	run_n lab capture demo --link 4 -w /run/e.pcap
	assert_equal "$status" 2
	assert_equal "$err" 'netnsctl: lab "demo" has no link "4" (links: 1 to 3)'
	run_n lab capture demo --link r2:eth7 -w /run/e.pcap
	assert_equal "$status" 2
	assert_equal "$err" 'netnsctl: lab "demo" has no link end "r2:eth7"'
	run_n lab capture demo --bridge wan -w /run/e.pcap
	assert_equal "$status" 2
	assert_equal "$err" 'netnsctl: lab "demo" has no bridge "wan"'
	run_n lab capture nolab r1 eth1 -w /run/e.pcap
	assert_equal "$status" 1
	assert_one_error_line "$err"
	run_n lab capture demo r1 eth1 -w /run/e.pcap --link 1 icmp and
	assert_equal "$status" 2
	assert_one_error_line "$err"
	[ ! -e /run/e.pcap ]
	[ "$(snapshot)" = "$before" ]
	! pgrep -f "capture" >/dev/null
	usage_errors -n demo.r1 <<-'EOF'
	capture|capture: missing dev IF
	capture dev eth1 -c 0 -w /run/e.pcap
	capture dev eth1 -c|capture: missing value after "-c"
	capture dev eth1 -w /run/e.pcap -w /run/e2.pcap|capture: "-w" given twice
	capture dev eth1 --duration x -w /run/e.pcap
	capture dev eth1 -s 0 -w /run/e.pcap
	capture dev eth1 --bogus|capture: unknown option "--bogus"
	capture dev eth1 --link 1 -w /run/e.pcap|capture: unknown option "--link"
	EOF
	usage_errors <<-'EOF'
	lab capture|lab capture: missing FILE or NAME
	lab capture demo -w /run/e.pcap|lab capture: nothing to capture: give NODE IF, --link or --bridge
	lab capture demo r1|lab capture: missing IF after node "r1"
	-j lab capture demo r1 eth1 -w /run/e.pcap|lab capture: writes pcap, not JSON (-j does not apply)
	EOF
	[ ! -e /run/e.pcap ] && [ ! -e /run/e2.pcap ]
}

@test "capture --help, and the batch pre-pass checks its arguments" {
	run "$N" capture --help
	assert_success
	assert_line --partial "Usage: netnsctl [-n NAME] capture [dev] IF"
	run "$N" lab capture -h
	assert_success
	assert_line --partial "Usage: netnsctl lab capture FILE|NAME"
	# a bad capture line stops the batch before its first line runs
	printf 'add early\n-n demo.r1 capture dev eth1 -c 0 -w /run/b.pcap\n' > /run/batch.txt
	run_n -b /run/batch.txt
	assert_equal "$status" 2
	assert_one_error_line "$err"
	[ ! -e /run/netns/early ] && [ ! -e /run/b.pcap ]
}

@test "an interface that goes away ends the capture: one line, exit 1" {
	start_capture -n demo.r1 capture dev eth1 -w /run/gone.pcap --duration 60
	ip -n demo.r1 link del eth1
	end_capture
	assert_equal "$capstatus" 1
	grep -qx 'netnsctl: capture "eth1": The interface disappeared' "$CAPERR"
	# what came before is written, and counted
	grep -Eqx '[0-9]+ packets captured, 0 dropped by the kernel' "$CAPERR"
	run pkts /run/gone.pcap
	assert_success
}
