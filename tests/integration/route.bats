#!/usr/bin/env bats
# route show/add/del/replace/change/append/get/flush, IPv4 and IPv6, proved
# with ip and with traffic through a router namespace.

load helpers

# Every route of ns1, both families, all tables: "nothing changed" checks.
routes() {
	ip -n ns1 route show table all
}

@test "route add: IPv4 route via a gateway, seen by ip; del removes it" {
	setup_ns1
	run_n -n ns1 route add 198.51.100.0/24 via 192.0.2.2 metric 10
	assert_success
	[ -z "$err" ]
	run ip -n ns1 -j route show 198.51.100.0/24
	assert_equal "$(echo "$output" | jq -c '.[0] | [.gateway, .dev, .metric]')" '["192.0.2.2","va",10]'
	# made like ip makes them: protocol boot (ip hides it), scope global
	run ip -n ns1 -d -j route show 198.51.100.0/24
	assert_equal "$(echo "$output" | jq -c '.[0] | [.protocol, .scope]')" '["boot","global"]'
	run_n -n ns1 route del 198.51.100.0/24
	assert_success
	run ip -n ns1 route show 198.51.100.0/24
	assert_output ""
}

@test "route: bare object shows; show -j is ip -j's JSON for every selector" {
	setup_ns1
	ip -n ns1 route add 198.51.100.0/24 via 192.0.2.2 metric 10
	ip -n ns1 route add default via 192.0.2.2 proto static
	ip -n ns1 route add 203.0.113.0/24 dev va table 100 src 192.0.2.1 mtu 1400
	ip -n ns1 route add 198.18.0.0/16 via 192.0.2.9 dev va onlink
	ip -n ns1 route add blackhole 198.18.1.0/24
	ip -n ns1 route add unreachable 198.18.2.0/24
	ip -n ns1 -6 route add 2001:db8:5::/64 via 2001:db8:1::2 metric 5
	ip -n ns1 -6 route add default via 2001:db8:1::2
	run "$N" -n ns1 route
	assert_success
	assert_equal "$output" "$(ip -n ns1 route | sed 's/ *$//')"
	same_json route
	same_json route show
	same_json route show table all
	same_json route show table 100
	same_json route show table local
	same_json route show dev va
	same_json route show proto kernel
	same_json route show proto static
	same_json route show scope link
	same_json route show type blackhole
	same_json route show type unreachable
	same_json route show root 198.51.0.0/16
	same_json route show match 198.51.100.7
	same_json route show exact 198.51.100.0/24
	same_json route show 198.18.0.0/16
	same_json route show via 192.0.2.2
	same_json route show src 192.0.2.1
	same_json -6 route
	same_json -6 route show table all
	same_json -6 route show dev va
	same_json -6 route show proto kernel
	same_json -6 route show root 2001:db8::/32
	same_json -4 route show table all
	# the JSON value types ip uses
	run "$N" -n ns1 -j route show table all
	echo "$output" | jq -e 'map(select(.dst == "203.0.113.0/24"))[0] |
		(.table == "100") and (.metrics[0].mtu == 1400) and (.flags | type == "array")'
	echo "$output" | jq -e 'map(select(.dst == "2001:db8:5::/64"))[0].metric == 5'
	echo "$output" | jq -e 'map(select(.dst == "default")) | length == 2'
}

@test "route show: text is ip's text (without its trailing blanks)" {
	setup_ns1
	ip -n ns1 route add 198.51.100.0/24 via 192.0.2.2 metric 10
	ip -n ns1 route add 198.18.64.0/18 nexthop via 192.0.2.5 weight 2 nexthop via 192.0.2.6 dev va
	ip -n ns1 route add prohibit 198.18.3.0/24
	ip -n ns1 route add 198.51.101.0/24 dev vb metric 3
	# (dev va: ip leaves out multipath routes, which have no single dev;
	# we list those that use va in a nexthop)
	for args in "route show table all" "route show dev vb" "-6 route" "route show table local"; do
		assert_equal "$("$N" -n ns1 $args)" "$(ip -n ns1 $args | sed 's/ *$//')"
	done
	same_json route show 198.18.64.0/18
	run "$N" -n ns1 route show dev vb
	assert_output "198.51.101.0/24 scope link metric 3"
	# a multipath route whose nexthops use va is listed by dev va
	run "$N" -n ns1 -j route show dev va
	echo "$output" | jq -e 'map(.dst) | index("198.18.64.0/18") != null'
}

@test "route: device names come from the target namespace" {
	setup_ns1
	ip netns add ns2
	ip -n ns2 link add other type veth peer name other2
	run "$N" -n ns2 route
	assert_output ""
	run "$N" -n ns1 -j route show dev va
	assert_success
	run "$N" -n ns1 route show 192.0.2.0/24
	assert_output "192.0.2.0/24 dev va proto kernel scope link src 192.0.2.1"
	# the caller's own namespace has no va
	run_n route show dev va
	assert_equal "$status" 1
	assert_one_error_line "$err"
	assert_equal "$err" 'netnsctl: route show: device "va" not found'
}

@test "route add default: IPv4 and IPv6 (-6, or the gateway's family)" {
	setup_ns1
	run_n -n ns1 route add default via 192.0.2.254
	assert_success
	run_n -n ns1 -6 route add default via 2001:db8:1::fe
	assert_success
	run ip -n ns1 -j route show default
	assert_equal "$(echo "$output" | jq -r '.[0].gateway')" 192.0.2.254
	run ip -n ns1 -6 -j route show default
	assert_equal "$(echo "$output" | jq -r '.[0].gateway')" 2001:db8:1::fe
	run "$N" -n ns1 route show default
	assert_output "default via 192.0.2.254 dev va"
	run "$N" -n ns1 -6 route show default
	assert_output "default via 2001:db8:1::fe dev va metric 1024 pref medium"
	# no -6: the family comes from the gateway
	run_n -n ns1 route del default via 2001:db8:1::fe
	assert_success
	run ip -n ns1 -6 route show default
	assert_output ""
	run_n -n ns1 route add default via 2001:db8:1::fd
	assert_success
	run ip -n ns1 -6 -j route show default
	assert_equal "$(echo "$output" | jq -r '.[0].gateway')" 2001:db8:1::fd
}

@test "route del: routes made by ip, and the kernel's own connected routes" {
	setup_ns1
	ip -n ns1 route add 198.51.100.0/24 via 192.0.2.2 proto static metric 30
	ip -n ns1 route add 198.51.101.0/24 dev va scope link proto 99
	ip -n ns1 -6 route add 2001:db8:9::/64 via 2001:db8:1::2 proto bird
	ip -n ns1 route add blackhole 198.18.1.0/24
	ip -n ns1 route add throw 198.18.2.0/24 table 7
	for r in 198.51.100.0/24 198.51.101.0/24 2001:db8:9::/64 198.18.1.0/24 \
		 "198.18.2.0/24 table 7" "192.0.2.0/24 dev va" 2001:db8:1::/64; do
		run_n -n ns1 route del $r
		assert_success
		[ -z "$err" ]
	done
	run ip -n ns1 route show table all
	refute_output --partial 198.51.10
	refute_output --partial 198.18.
	refute_output --partial "192.0.2.0/24"
	refute_output --partial "2001:db8:1::/64"
	refute_output --partial "2001:db8:9::/64"
	# the local table entries the kernel made go too
	run_n -n ns1 route del local 192.0.2.1 table local
	assert_success
	run ip -n ns1 route show table local
	refute_output --partial "local 192.0.2.1 "
}

@test "route del: selectors pick the one route of several" {
	setup_ns1
	ip -n ns1 route add 198.51.100.0/24 via 192.0.2.2 metric 10
	ip -n ns1 route add 198.51.100.0/24 via 192.0.2.3 metric 20
	run_n -n ns1 route del 198.51.100.0/24 metric 20
	assert_success
	run ip -n ns1 -j route show 198.51.100.0/24
	assert_equal "$(echo "$output" | jq -c 'map(.gateway)')" '["192.0.2.2"]'
	run_n -n ns1 route del 198.51.100.0/24 via 192.0.2.9
	assert_equal "$status" 1
	assert_equal "$err" 'netnsctl: route del "198.51.100.0/24": No such process'
	run ip -n ns1 -j route show 198.51.100.0/24
	assert_equal "$(echo "$output" | jq length)" 1
}

@test "route add: types, table, src, proto, scope, mtu, onlink, multipath" {
	setup_ns1
	"$N" -n ns1 route add blackhole 198.18.1.0/24
	"$N" -n ns1 route add unreachable 198.18.2.0/24
	"$N" -n ns1 route add prohibit 198.18.3.0/24 metric 7
	"$N" -n ns1 route add throw 198.18.4.0/24 table 7
	"$N" -n ns1 route add 203.0.113.0/24 dev va table 100 src 192.0.2.1 mtu lock 1400 advmss 1360
	"$N" -n ns1 route add 198.51.100.0/24 via 192.0.2.2 proto static scope global
	"$N" -n ns1 route add 198.18.8.0/24 via 203.0.113.77 dev va onlink
	"$N" -n ns1 route add 198.18.64.0/18 nexthop via 192.0.2.5 weight 2 nexthop via 192.0.2.6 dev va
	"$N" -n ns1 route add 2001:db8:7::/64 from 2001:db8:8::/64 via 2001:db8:1::2 hoplimit 9
	run ip -n ns1 -j route show table all
	echo "$output" | jq -e 'map(select(.dst == "198.18.1.0/24"))[0].type == "blackhole"'
	echo "$output" | jq -e 'map(select(.dst == "198.18.3.0/24"))[0] |
		.type == "prohibit" and .metric == 7'
	echo "$output" | jq -e 'map(select(.dst == "198.18.4.0/24"))[0] |
		.type == "throw" and .table == "7"'
	echo "$output" | jq -e 'map(select(.dst == "203.0.113.0/24"))[0] |
		.table == "100" and .prefsrc == "192.0.2.1" and .scope == "link" and
		.metrics[0].mtu == 1400 and .metrics[0].advmss == 1360'
	ip -n ns1 route show table 100 | grep -q "mtu lock 1400"
	echo "$output" | jq -e 'map(select(.dst == "198.51.100.0/24"))[0].protocol == "static"'
	echo "$output" | jq -e 'map(select(.dst == "198.18.8.0/24"))[0].flags == ["onlink"]'
	echo "$output" | jq -e 'map(select(.dst == "198.18.64.0/18"))[0].nexthops |
		map([.gateway, .weight]) == [["192.0.2.5", 2], ["192.0.2.6", 1]]'
	echo "$output" | jq -e 'map(select(.dst == "2001:db8:7::/64"))[0] |
		.from == "2001:db8:8::/64" and .metrics[0].hoplimit == 9'
	same_json route show table all
	same_json -6 route show table all
}

@test "route replace, change, append" {
	setup_ns1
	run_n -n ns1 route change 198.51.100.0/24 via 192.0.2.2
	assert_equal "$status" 1
	assert_one_error_line "$err"
	assert_equal "$err" 'netnsctl: route change "198.51.100.0/24": No such file or directory'
	run ip -n ns1 route show 198.51.100.0/24
	assert_output ""
	run_n -n ns1 route replace 198.51.100.0/24 via 192.0.2.2
	assert_success
	run_n -n ns1 route replace 198.51.100.0/24 via 192.0.2.3
	assert_success
	run ip -n ns1 -j route show 198.51.100.0/24
	assert_equal "$(echo "$output" | jq -c 'map(.gateway)')" '["192.0.2.3"]'
	run_n -n ns1 route change 198.51.100.0/24 via 192.0.2.4
	assert_success
	run_n -n ns1 route append 198.51.100.0/24 via 192.0.2.5
	assert_success
	run ip -n ns1 -j route show 198.51.100.0/24
	assert_equal "$(echo "$output" | jq -c 'map(.gateway)')" '["192.0.2.4","192.0.2.5"]'
	run_n -n ns1 route add 198.51.100.0/24 via 192.0.2.6
	assert_equal "$status" 1
	assert_equal "$err" 'netnsctl: route add "198.51.100.0/24": File exists'
}

@test "route get: the kernel's answer, as ip route get prints it" {
	setup_ns1
	ip -n ns1 route add 198.51.100.0/24 via 192.0.2.2
	ip -n ns1 route add 2001:db8:5::/64 via 2001:db8:1::2
	same_json route get 198.51.100.7
	same_json route get 192.0.2.1
	same_json route get 198.51.100.7 from 192.0.2.1 oif va
	same_json route get 2001:db8:5::7
	same_json route get 198.51.100.7 fibmatch
	same_json route get 198.51.100.7 mark 20
	ip netns exec ns1 sysctl -qw net.ipv4.ip_forward=1
	same_json route get 198.51.100.7 from 192.0.2.9 iif va
	run "$N" -n ns1 route get 198.51.100.7
	assert_output $'198.51.100.7 via 192.0.2.2 dev va src 192.0.2.1 uid 0\n    cache'
	run_n -n ns1 route get 198.18.0.1
	assert_equal "$status" 1
	assert_one_error_line "$err"
	assert_equal "$err" 'netnsctl: route get "198.18.0.1": Network is unreachable'
	run_n -n ns1 route get 2001:db8:99::1
	assert_equal "$status" 1
	assert_equal "$err" 'netnsctl: route get "2001:db8:99::1": Network is unreachable'
	run_n -n ns1 route get 198.51.100.7 oif nope
	assert_equal "$status" 1
	assert_equal "$err" 'netnsctl: route get "198.51.100.7": device "nope" not found in netns "ns1"'
}

@test "route flush: needs a selector, as ip; flushes what it selects" {
	setup_ns1
	ip -n ns1 route add 198.51.100.0/24 via 192.0.2.2
	ip -n ns1 route add 198.51.101.0/24 dev vb
	ip -n ns1 route add 203.0.113.0/24 dev va table 100
	ip -n ns1 -6 route add 2001:db8:5::/64 via 2001:db8:1::2
	before=$(routes)
	for args in "" "-4" "-6"; do
		run_n -n ns1 $args route flush
		assert_equal "$status" 2
		assert_one_error_line "$err"
	done
	assert_equal "$(routes)" "$before"
	run_n -n ns1 route flush table 100
	assert_success
	run ip -n ns1 route show table 100
	assert_output ""
	# dev: IPv4, table main only, as ip
	run_n -n ns1 route flush dev va
	assert_success
	run ip -n ns1 -4 route
	assert_output "198.51.101.0/24 dev vb scope link "
	run ip -n ns1 -6 route show 2001:db8:5::/64
	assert_output --partial "2001:db8:5::/64"
	run_n -n ns1 -6 route flush dev va
	assert_success
	run ip -n ns1 -6 route show dev va
	assert_output ""
	run_n -n ns1 route flush table main
	assert_success
	run ip -n ns1 -4 route
	assert_output ""
	run ip -n ns1 route show table local
	assert_output --partial "local 192.0.2.1"
}

@test "route: kernel refusals exit 1 with the kernel's words, nothing changed" {
	setup_ns1
	ip -n ns1 route add 198.51.100.0/24 via 192.0.2.2
	before=$(routes)
	run_n -n ns1 route add 198.51.101.0/24 via 203.0.113.1
	assert_equal "$status" 1
	assert_one_error_line "$err"
	assert_equal "$err" 'netnsctl: route add "198.51.101.0/24": Network is unreachable (kernel: Nexthop has invalid gateway)'
	run_n -n ns1 route add 198.51.100.0/24 via 192.0.2.2
	assert_equal "$status" 1
	assert_equal "$err" 'netnsctl: route add "198.51.100.0/24": File exists'
	run_n -n ns1 route del 198.51.102.0/24
	assert_equal "$status" 1
	assert_equal "$err" 'netnsctl: route del "198.51.102.0/24": No such process'
	run_n -n ns1 route del 198.51.100.0/24 table 55
	assert_equal "$status" 1
	assert_one_error_line "$err"
	[[ $err == *"(kernel: FIB table does not exist)" ]]
	run_n -n ns1 route add 198.51.101.0/24 dev nope
	assert_equal "$status" 1
	assert_equal "$err" 'netnsctl: route add "198.51.101.0/24": device "nope" not found in netns "ns1"'
	run_n -n nosuch route add 198.51.101.0/24 dev va
	assert_equal "$status" 1
	assert_equal "$err" 'netnsctl: route add "198.51.101.0/24": netns "nosuch": no such namespace'
	run_n -n ns1 -6 route add 2001:db8:6::/64 via 2001:db8:99::1
	assert_equal "$status" 1
	assert_one_error_line "$err"
	assert_equal "$(routes)" "$before"
}

@test "route: usage errors exit 2, one line, before anything is sent" {
	setup_ns1
	ip -n ns1 route add 198.51.100.0/24 via 192.0.2.2
	before=$(routes)
	usage_errors -n ns1 <<'EOF'
route add 198.51.101.0/33 dev va|route add: invalid prefix "198.51.101.0/33": length must be 0..32
route add 2001:db8:6::/129 dev va|route add: invalid prefix "2001:db8:6::/129": length must be 0..128
route add 198.51.101.0/24 via 2001:db8:1::2|route add: gateway "2001:db8:1::2" is not IPv4 like the route
route add 2001:db8:6::/64 via 192.0.2.2|route add: gateway "192.0.2.2" is not IPv6 like the route
-4 route add 2001:db8:6::/64 dev va|route add: prefix "2001:db8:6::/64" is not IPv4
-6 route add default via 192.0.2.2|route add: address "192.0.2.2" is not IPv6
route add 198.51.101.9/24 dev va|route add: invalid prefix "198.51.101.9/24": host bits set (did you mean 198.51.101.0/24?)
route add 198.51.101.0/24 dev abcdefghijklmnop|route add: invalid interface name "abcdefghijklmnop": longer than 15 bytes
route add 198.51.101.0/24 dev a/b|route add: invalid interface name "a/b": contains '/'
route add 198.51.101.0/24 dev va frob|route add: unknown argument "frob"; did you mean "from"?
route add 198.51.101.0/24 dev|route add: missing value after "dev"
route add 198.51.101.0/24 dev va dev va|route add: "dev" given twice
route add 198.51.101.0/24 dev va metric 4294967296|route add: metric "4294967296" out of range (0..4294967295)
route add 198.51.101.0/24 dev va metric x|route add: invalid metric "x"
route add 198.51.101.0/24 dev va table nosuch|route add: invalid table "nosuch"
route add 198.51.101.0/24 dev va table 0|route add: table must be 1..4294967295 or a name
route add 198.51.101.0/24 dev va proto 256|route add: protocol "256" out of range (0..255)
route add 198.51.101.0/24 dev va scope far|route add: invalid scope "far"
route add 198.51.101.0/24 dev va mtu 40|route add: mtu "40" out of range (68..65535)
route add 198.51.101.0/24 nexthop via 192.0.2.5 nexthop|route add: a nexthop needs via or dev
route add 198.51.101.0/24 nexthop via 192.0.2.5 mtu 1400|route add: unknown nexthop argument "mtu" (via, dev, weight, onlink; nexthops come last)
route add 198.51.101.0/24 dev va nexthop dev vb|route add: via, dev and onlink go inside each nexthop of a multipath route
route add|route add: missing destination prefix (or default)
route add bogus|route add: invalid prefix "bogus"
route del 198.51.100.0/24 via 192.0.2.2 via 192.0.2.2|route del: "via" given twice
route replace 198.51.101.0/24 via nope|route replace: invalid address "nope"
route get|route get: missing destination address
route get 198.51.100.0/24|route get: invalid address "198.51.100.0/24": no prefix length allowed here
route get 198.51.100.7 from 2001:db8:1::1|route get: from address and destination are of different families
route get 198.51.100.7 oif va oif va|route get: "oif" given twice
route show table|route show: missing value after "table"
route show dev va dev va|route show: "dev" given twice
route show type blackhole type unreachable|route show: "type" given twice
route show type nosuch|route show: invalid route type "nosuch"
route show 198.51.100.0/24 2001:db8::/32|route show: more than one prefix given
route frob|route: unknown argument "frob"
route flush|route flush: needs a selector (table, dev, proto, scope, type, via, src or a prefix), as ip route flush does
EOF
	assert_equal "$(routes)" "$before"
}

@test "route: tables named in /etc/iproute2/rt_tables.d work and print as ip prints them" {
	setup_ns1
	mkdir -p /etc/iproute2/rt_tables.d
	printf '# lab tables\n150\tlabnet\n' > /etc/iproute2/rt_tables.d/lab.conf
	run_n -n ns1 route add 198.51.100.0/24 dev va table labnet
	assert_success
	run ip -n ns1 -j route show table 150
	assert_equal "$(echo "$output" | jq -r '.[0].dst')" 198.51.100.0/24
	same_json route show table all
	run "$N" -n ns1 route show table all
	assert_output --partial "198.51.100.0/24 dev va table labnet scope link"
	rm -f /etc/iproute2/rt_tables.d/lab.conf
}

# h1 (192.0.2.1, 2001:db8:1::1) -- r (forwarding) -- h2 (198.51.100.1, 2001:db8:2::1)
setup_routed() {
	local ns
	for ns in h1 r h2; do
		ip netns add $ns
		ip netns exec $ns sysctl -qw net.ipv6.conf.default.accept_dad=0
	done
	ip -n r link add r1 type veth peer name e1 netns h1
	ip -n r link add r2 type veth peer name e2 netns h2
	for ns in h1 h2; do ip -n $ns link set lo up; done
	ip -n h1 link set e1 up
	ip -n h2 link set e2 up
	ip -n r link set r1 up
	ip -n r link set r2 up
	ip -n h1 addr add 192.0.2.1/24 dev e1
	ip -n h1 addr add 2001:db8:1::1/64 dev e1 nodad
	ip -n r addr add 192.0.2.254/24 dev r1
	ip -n r addr add 2001:db8:1::fe/64 dev r1 nodad
	ip -n r addr add 198.51.100.254/24 dev r2
	ip -n r addr add 2001:db8:2::fe/64 dev r2 nodad
	ip -n h2 addr add 198.51.100.1/24 dev e2
	ip -n h2 addr add 2001:db8:2::1/64 dev e2 nodad
	ip netns exec r sysctl -qw net.ipv4.ip_forward=1
	ip netns exec r sysctl -qw net.ipv6.conf.all.forwarding=1
}

@test "routes with gateways carry traffic through a router namespace" {
	setup_routed
	# no routes yet: h2 is out of reach
	run ip netns exec h1 ping -c1 -W1 198.51.100.1
	assert_failure
	"$N" -n h1 route add 198.51.100.0/24 via 192.0.2.254
	"$N" -n h2 route add default via 198.51.100.254
	"$N" -n h1 -6 route add 2001:db8:2::/64 via 2001:db8:1::fe
	"$N" -n h2 -6 route add default via 2001:db8:2::fe
	# (the first packets wait for neighbour discovery on two links)
	wait_for 20 ip netns exec h1 ping -c1 -W1 198.51.100.1
	wait_for 20 ip netns exec h1 ping -6 -c1 -W1 2001:db8:2::1
	# the way the kernel sends it, as we and ip see it
	run "$N" -n h1 -j route get 198.51.100.1
	assert_equal "$(echo "$output" | jq -r '.[0].gateway')" 192.0.2.254
	run "$N" -n h1 route del 198.51.100.0/24
	run ip netns exec h1 ping -c1 -W1 198.51.100.1
	assert_failure
	wait_for 20 ip netns exec h1 ping -6 -c1 -W1 2001:db8:2::1
}

@test "route help" {
	run_n route help
	assert_success
	assert_output --partial "Usage: netnsctl [-4|-6] [-n NS] [-j] route [show]"
	run_n route add -h
	assert_success
	assert_output --partial "ROUTE :="
}
