#!/usr/bin/env bats
# neigh show/add/del/replace/change/get/flush, IPv4 and IPv6, proved with
# ip and with traffic that needs the static entries.

load helpers

# every entry but the kernel's own multicast ones, which come and go with MLD
neighs() {
	ip -n ns1 neigh show nud all | grep -v '^ff02:' || true
	ip -n ns1 neigh show proxy
}

@test "neigh add: a permanent IPv4 entry, seen by ip; del removes it" {
	setup_ns1
	run_n -n ns1 neigh add 192.0.2.7 lladdr 02:00:00:00:00:07 dev va
	assert_success
	[ -z "$err" ]
	run ip -n ns1 -j neigh show 192.0.2.7
	assert_equal "$(echo "$output" | jq -c '.[0] | [.dev, .lladdr, .state]')" \
		'["va","02:00:00:00:00:07",["PERMANENT"]]'
	run_n -n ns1 neigh del 192.0.2.7 dev va
	assert_success
	run ip -n ns1 neigh show 192.0.2.7
	assert_output ""
}

@test "neigh: bare object shows; -j is ip -j's JSON for every selector" {
	setup_ns1
	"$N" -n ns1 neigh add 192.0.2.7 lladdr 02:00:00:00:00:07 dev va
	"$N" -n ns1 neigh add 192.0.2.8 lladdr 2:0:0:0:0:8 dev va nud reachable
	"$N" -n ns1 neigh add 192.0.2.9 lladdr 02:00:00:00:00:09 dev va nud stale
	"$N" -n ns1 neigh add 192.0.2.10 lladdr 02:00:00:00:00:0a dev va nud noarp
	"$N" -n ns1 neigh add 192.0.2.11 lladdr 02:00:00:00:00:0b dev vb nud permanent
	"$N" -n ns1 neigh add 2001:db8:1::7 lladdr 02:00:00:00:00:17 dev va router
	"$N" -n ns1 neigh add proxy 192.0.2.99 dev va
	run "$N" -n ns1 neigh
	assert_success
	assert_equal "$output" "$(ip -n ns1 neigh | sed 's/ *$//')"
	same_json neigh
	same_json neigh show
	same_json neigh show dev va
	same_json neigh show dev vb
	same_json neigh show nud permanent
	same_json neigh show nud stale nud reachable
	# (IPv6 noarp entries for multicast come and go with MLD: IPv4 only)
	same_json -4 neigh show nud all
	same_json -4 neigh show nud noarp
	same_json neigh show proxy
	same_json neigh show to 192.0.2.0/29
	same_json neigh show 192.0.2.8
	same_json -4 neigh
	same_json -6 neigh
	same_json -6 neigh show nud permanent
	run "$N" -n ns1 neigh show dev va nud permanent
	assert_output $'192.0.2.7 lladdr 02:00:00:00:00:07 PERMANENT\n2001:db8:1::7 lladdr 02:00:00:00:00:17 router PERMANENT'
	run "$N" -n ns1 -j neigh show 2001:db8:1::7
	echo "$output" | jq -e '.[0] | has("router") and .router == null and .state == ["PERMANENT"]'
	# -s adds ip's counters (their values move with time: check the keys)
	run "$N" -n ns1 -s -j neigh show 192.0.2.8
	echo "$output" | jq -e '.[0] | has("used") and has("confirmed") and has("updated") and has("probes")'
}

@test "neigh: device names come from the target namespace, -n acts inside it" {
	setup_ns1
	ip netns add ns2
	"$N" -n ns1 neigh add 192.0.2.7 lladdr 02:00:00:00:00:07 dev va
	run "$N" -n ns2 neigh
	assert_output ""
	run_n neigh add 192.0.2.7 lladdr 02:00:00:00:00:07 dev va
	assert_equal "$status" 1
	assert_one_error_line "$err"
	assert_equal "$err" 'netnsctl: neigh add "192.0.2.7": device "va" not found'
	run_n -n ns2 neigh add 192.0.2.7 lladdr 02:00:00:00:00:07 dev va
	assert_equal "$status" 1
	assert_equal "$err" 'netnsctl: neigh add "192.0.2.7": device "va" not found in netns "ns2"'
	run ip -n ns2 neigh show nud all
	assert_output ""
}

@test "neigh add: states, IPv6, router; add of an existing entry fails" {
	setup_ns1
	# (delay and probe turn into one another on the kernel's timers)
	for st in reachable stale noarp failed permanent; do
		run_n -n ns1 neigh add 192.0.2.20 lladdr 02:00:00:00:00:20 dev va nud $st
		assert_success
		run ip -n ns1 -j neigh show 192.0.2.20 nud all
		assert_equal "$(echo "$output" | jq -r '.[0].state[0]')" "${st^^}"
		ip -n ns1 neigh del 192.0.2.20 dev va
	done
	run_n -n ns1 neigh add 2001:db8:1::7 lladdr 02:00:00:00:00:17 dev va router nud reachable
	assert_success
	run ip -n ns1 -j neigh show 2001:db8:1::7
	echo "$output" | jq -e '.[0] | has("router") and .state == ["REACHABLE"]'
	run_n -n ns1 neigh add 2001:db8:1::7 lladdr 02:00:00:00:00:18 dev va
	assert_equal "$status" 1
	assert_one_error_line "$err"
	assert_equal "$err" 'netnsctl: neigh add "2001:db8:1::7": File exists'
	run ip -n ns1 -j neigh show 2001:db8:1::7
	assert_equal "$(echo "$output" | jq -r '.[0].lladdr')" 02:00:00:00:00:17
}

@test "neigh replace and change" {
	setup_ns1
	run_n -n ns1 neigh change 192.0.2.7 lladdr 02:00:00:00:00:07 dev va
	assert_equal "$status" 1
	assert_one_error_line "$err"
	assert_equal "$err" 'netnsctl: neigh change "192.0.2.7": No such file or directory'
	run ip -n ns1 neigh show 192.0.2.7 nud all
	assert_output ""
	run_n -n ns1 neigh replace 192.0.2.7 lladdr 02:00:00:00:00:07 dev va
	assert_success
	run_n -n ns1 neigh replace 192.0.2.7 lladdr 02:00:00:00:00:77 dev va nud stale
	assert_success
	run ip -n ns1 -j neigh show 192.0.2.7
	assert_equal "$(echo "$output" | jq -c '.[0] | [.lladdr, .state]')" '["02:00:00:00:00:77",["STALE"]]'
	run_n -n ns1 neigh change 192.0.2.7 lladdr 02:00:00:00:00:78 dev va
	assert_success
	run ip -n ns1 -j neigh show 192.0.2.7
	assert_equal "$(echo "$output" | jq -c '.[0] | [.lladdr, .state]')" '["02:00:00:00:00:78",["PERMANENT"]]'
}

@test "neigh get" {
	setup_ns1
	ip -n ns1 neigh add 192.0.2.7 lladdr 02:00:00:00:00:07 dev va
	run_n -n ns1 neigh get 192.0.2.7 dev va
	assert_success
	assert_output "192.0.2.7 dev va lladdr 02:00:00:00:00:07 PERMANENT"
	assert_equal "$(ip -n ns1 neigh get 192.0.2.7 dev va | sed 's/ *$//')" "$output"
	run_n -n ns1 -j neigh get 192.0.2.7 dev va
	assert_equal "$(echo "$output" | jq -S .)" "$(ip -n ns1 -j neigh show 192.0.2.7 | jq -S .)"
	run_n -n ns1 neigh get 192.0.2.8 dev va
	assert_equal "$status" 1
	assert_one_error_line "$err"
	assert_equal "$err" 'netnsctl: neigh get "192.0.2.8": No such file or directory (kernel: Neighbour entry not found)'
}

@test "neigh del: a missing entry is the kernel's refusal" {
	setup_ns1
	ip -n ns1 neigh add 192.0.2.7 lladdr 02:00:00:00:00:07 dev va
	before=$(neighs)
	run_n -n ns1 neigh del 192.0.2.8 dev va
	assert_equal "$status" 1
	assert_one_error_line "$err"
	assert_equal "$err" 'netnsctl: neigh del "192.0.2.8": No such file or directory'
	run_n -n ns1 neigh del 192.0.2.7 dev vb
	assert_equal "$status" 1
	assert_one_error_line "$err"
	assert_equal "$(neighs)" "$before"
}

@test "neigh flush: needs a selector; leaves permanent and noarp unless nud says" {
	setup_ns1
	ip -n ns1 neigh add 192.0.2.7 lladdr 02:00:00:00:00:07 dev va
	ip -n ns1 neigh add 192.0.2.8 lladdr 02:00:00:00:00:08 dev va nud reachable
	ip -n ns1 neigh add 192.0.2.9 lladdr 02:00:00:00:00:09 dev va nud stale
	ip -n ns1 neigh add 192.0.2.10 lladdr 02:00:00:00:00:0a dev va nud noarp
	ip -n ns1 neigh add 192.0.2.11 lladdr 02:00:00:00:00:0b dev vb nud stale
	ip -n ns1 neigh add 2001:db8:1::7 lladdr 02:00:00:00:00:17 dev va nud stale
	before=$(neighs)
	for args in "" "-4" "-6"; do
		run_n -n ns1 $args neigh flush
		assert_equal "$status" 2
		assert_one_error_line "$err"
		assert_equal "$err" 'netnsctl: neigh flush: needs a selector (dev, nud, to PREFIX, or all), as ip neigh flush does'
	done
	assert_equal "$(neighs)" "$before"
	run_n -n ns1 -4 neigh flush dev va
	assert_success
	run ip -n ns1 -j neigh show nud all
	assert_equal "$(echo "$output" | jq -c '[.[] | select(.dst | test("^192")) | .dst] | sort')" \
		'["192.0.2.10","192.0.2.11","192.0.2.7"]'
	echo "$output" | jq -e 'map(.dst) | index("2001:db8:1::7") != null'
	run_n -n ns1 neigh flush nud permanent
	assert_success
	run ip -n ns1 neigh show 192.0.2.7
	assert_output ""
	run_n -n ns1 neigh flush all
	assert_success
	run ip -n ns1 neigh show
	assert_output ""
	run ip -n ns1 neigh show nud noarp
	assert_output --partial "192.0.2.10"
}

@test "neigh: proxy entries" {
	setup_ns1
	run_n -n ns1 neigh add proxy 192.0.2.99 dev va
	assert_success
	run_n -n ns1 -6 neigh add proxy 2001:db8:1::99 dev va
	assert_success
	run ip -n ns1 neigh show proxy
	assert_output --partial "192.0.2.99 dev va proxy"
	assert_output --partial "2001:db8:1::99 dev va proxy"
	same_json neigh show proxy
	run "$N" -n ns1 neigh
	refute_output --partial "proxy"
	run_n -n ns1 neigh del proxy 192.0.2.99 dev va
	assert_success
	run ip -n ns1 neigh show proxy
	refute_output --partial "192.0.2.99"
	run_n -n ns1 neigh add proxy 192.0.2.98 lladdr 02:00:00:00:00:01 dev va
	assert_equal "$status" 2
	assert_one_error_line "$err"
}

@test "neigh: usage errors exit 2, one line, nothing sent" {
	setup_ns1
	ip -n ns1 neigh add 192.0.2.7 lladdr 02:00:00:00:00:07 dev va
	before=$(neighs)
	usage_errors -n ns1 <<'EOF'
neigh add 192.0.2.8 lladdr zz dev va|neigh add: invalid MAC address "zz"
neigh add 192.0.2.8 lladdr 02:00:00:00:00 dev va|neigh add: invalid MAC address "02:00:00:00:00"
neigh add 192.0.2.8 lladdr 02:00:00:00:00:00:01 dev va|neigh add: invalid MAC address "02:00:00:00:00:00:01"
neigh add 192.0.2.8 lladdr 02:00:00:00:00:08|neigh add: missing dev DEV (the device the neighbour is on)
neigh add lladdr 02:00:00:00:00:08 dev va|neigh add: missing neighbour address
neigh add 192.0.2.8 lladdr 02:00:00:00:00:08 dev va nud perm|neigh add: invalid neighbour state "perm" (permanent, reachable, stale, noarp, delay, probe, failed, incomplete, none)
neigh add 192.0.2.8 lladdr 02:00:00:00:00:08 dev abcdefghijklmnop|neigh add: invalid interface name "abcdefghijklmnop": longer than 15 bytes
neigh add 192.0.2.8 lladdr 02:00:00:00:00:08 dev a/b|neigh add: invalid interface name "a/b": contains '/'
neigh add 192.0.2.8 lladdr 02:00:00:00:00:08 dev va dev va|neigh add: "dev" given twice
neigh add 192.0.2.8 lladdr 02:00:00:00:00:08 lladdr 02:00:00:00:00:09 dev va|neigh add: "lladdr" given twice
neigh add 192.0.2.8 lladdr|neigh add: missing value after "lladdr"
neigh add 192.0.2.8 lladdr 02:00:00:00:00:08 dev va frob|neigh add: unknown argument "frob"
neigh add 192.0.2.0/24 lladdr 02:00:00:00:00:08 dev va|neigh add: invalid address "192.0.2.0/24": no prefix length allowed here
-6 neigh add 192.0.2.8 lladdr 02:00:00:00:00:08 dev va|neigh add: address "192.0.2.8" is not IPv6
neigh del 192.0.2.7 lladdr 02:00:00:00:00:07 dev va|neigh del: unknown argument "lladdr"
neigh del 192.0.2.7|neigh del: missing dev DEV (the device the neighbour is on)
neigh show nud sometimes|neigh show: invalid neighbour state "sometimes" (permanent, reachable, stale, noarp, delay, probe, failed, incomplete, none)
neigh show dev|neigh show: missing value after "dev"
neigh show dev va dev va|neigh show: "dev" given twice
neigh show 192.0.2.0/24 192.0.2.0/25|neigh show: more than one prefix given
neigh frob|neigh: unknown argument "frob"
neigh flush nud|neigh flush: missing value after "nud"
neigh get 192.0.2.7|neigh get: missing dev DEV (the device the neighbour is on)
EOF
	assert_equal "$(neighs)" "$before"
}

# h1 -- h2 on one veth pair, IPv4 and IPv6. With ARP (and NDP) off on h1's
# side, nothing resolves by itself: the static entries are what carries the
# traffic.
@test "static neighbours carry traffic with ARP off on one side" {
	ip netns add h1
	ip netns add h2
	ip netns exec h1 sysctl -qw net.ipv6.conf.default.accept_dad=0
	ip netns exec h2 sysctl -qw net.ipv6.conf.default.accept_dad=0
	ip -n h1 link add e1 type veth peer name e2 netns h2
	ip -n h1 addr add 192.0.2.1/24 dev e1
	ip -n h1 addr add 2001:db8:1::1/64 dev e1 nodad
	ip -n h2 addr add 192.0.2.2/24 dev e2
	ip -n h2 addr add 2001:db8:1::2/64 dev e2 nodad
	ip -n h1 link set e1 up
	ip -n h2 link set e2 up
	ip -n h1 link set dev e1 arp off
	m1=$(ip -n h1 -j link show e1 | jq -r '.[0].address')
	m2=$(ip -n h2 -j link show e2 | jq -r '.[0].address')
	run ip netns exec h1 ping -c1 -W1 192.0.2.2
	assert_failure
	# replace: the failed ping left a NOARP entry behind
	"$N" -n h1 neigh replace 192.0.2.2 lladdr "$m2" dev e1
	"$N" -n h2 neigh add 192.0.2.1 lladdr "$m1" dev e2
	"$N" -n h1 -6 neigh replace 2001:db8:1::2 lladdr "$m2" dev e1
	"$N" -n h2 neigh add 2001:db8:1::1 lladdr "$m1" dev e2
	run ip -n h1 -j neigh show dev e1
	echo "$output" | jq -e --arg m "$m2" 'map(select(.lladdr == $m and .state == ["PERMANENT"])) | length == 2'
	wait_for 20 ip netns exec h1 ping -c1 -W1 192.0.2.2
	wait_for 20 ip netns exec h1 ping -6 -c1 -W1 2001:db8:1::2
	# without h2's entry for h1, h2 cannot answer: h1 does not answer ARP
	"$N" -n h2 neigh del 192.0.2.1 dev e2
	run ip netns exec h1 ping -c1 -W1 192.0.2.2
	assert_failure
}

@test "neigh help" {
	run_n neigh help
	assert_success
	assert_output --partial "Usage: netnsctl [-4|-6] [-n NS] [-j] [-s] neigh [show]"
	run_n neighbour
	assert_success
}
