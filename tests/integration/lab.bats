#!/usr/bin/env bats
# A lab built with netnsctl: a bridge in a hub namespace, three leaves each
# joined to it by a veth pair, IPv4 and IPv6, default routes (ip's: routes
# belong to another command), proven from outside and with real traffic.

load helpers

LEAVES=(l1 l2 l3)

build_lab() {
	"$N" add hub "${LEAVES[@]}"
	"$N" -n hub link add br0 type bridge
	"$N" -n hub link set br0 up
	"$N" -n hub addr add 192.0.2.1/24 dev br0
	"$N" -n hub addr add 2001:db8::1/64 dev br0 nodad
	# each way of spelling a pair, once
	"$N" veth add h-l1 netns hub peer eth0 netns l1
	"$N" -n hub veth add h-l2 peer eth0 netns l2
	"$N" -n hub link add h-l3 type veth peer name eth0 netns l3
	local i=0 leaf
	for leaf in "${LEAVES[@]}"; do
		i=$((i + 1))
		"$N" -n hub link set "h-$leaf" master br0 up
		"$N" -n "$leaf" link set eth0 up
		"$N" -n "$leaf" addr add "192.0.2.1$i/24" dev eth0
		"$N" -n "$leaf" addr add "2001:db8::1$i/64" dev eth0 nodad
		ip -n "$leaf" route add default via 192.0.2.1
		ip -n "$leaf" -6 route add default via 2001:db8::1
	done
}

# every port and leaf end up, with carrier
lab_up() {
	local leaf
	for leaf in "${LEAVES[@]}"; do
		[ "$(jfield -n hub "h-$leaf" operstate)" = UP ] || return 1
		[ "$(jfield -n "$leaf" eth0 operstate)" = UP ] || return 1
	done
}

@test "lab: built with netnsctl, seen from outside with ip -n" {
	build_lab
	wait_for 100 lab_up
	run ip -n hub -j link show master br0
	[ "$(echo "$output" | jq -r '[.[].ifname] | sort | join(",")')" = h-l1,h-l2,h-l3 ]
	[ "$(echo "$output" | jq 'all(.[]; .flags | index("UP") != null)')" = true ]
	local i=0 leaf
	for leaf in "${LEAVES[@]}"; do
		i=$((i + 1))
		# the hub end's peer is the leaf's eth0
		[ "$(jfield -n hub "h-$leaf" link_index)" = "$(jfield -n "$leaf" eth0 ifindex)" ]
		[ "$(jfield -n "$leaf" eth0 link_index)" = "$(jfield -n hub "h-$leaf" ifindex)" ]
		run ip -n "$leaf" -j addr show eth0
		[ "$(echo "$output" | jq -c '[.[0].addr_info[] | select(.scope == "global") | "\(.local)/\(.prefixlen)"]')" = \
			"[\"192.0.2.1$i/24\",\"2001:db8::1$i/64\"]" ]
		run ip -n "$leaf" -j route show default
		[ "$(echo "$output" | jq -r '.[0].gateway')" = 192.0.2.1 ]
	done
	# nothing leaked into the caller's namespace
	[ "$(ip -o link show type veth | wc -l)" -eq 0 ]
	! ip link show br0 2>/dev/null
}

# A ping from $1 to $2 answered. A first neighbour solicitation sent while
# new links settle can go unanswered on a loaded machine, and the kernel
# asks again only after a second: a few tries, each bounded.
answered() {
	local try
	for try in 1 2 3; do
		ip netns exec "$1" ping -c1 -W3 -q "$2" >/dev/null && return 0
	done
	return 1
}

@test "lab: ping and ping -6 between leaves, and to the hub" {
	build_lab
	wait_for 100 lab_up
	wait_for 600 settled hub "${LEAVES[@]}"
	local i j
	for i in 1 2 3; do
		for j in 1 2 3; do
			[ "$i" != "$j" ] || continue
			answered "l$i" "192.0.2.1$j"
			answered "l$i" "2001:db8::1$j"
		done
		answered "l$i" 192.0.2.1
		answered "l$i" 2001:db8::1
	done
	# the traffic went through the hub's ports: their counters say so
	run "$N" -n hub -s -j link show h-l1
	[ "$(echo "$output" | jq '.[0].stats64.rx.packets > 0 and .[0].stats64.tx.packets > 0')" = true ]
}

@test "lab: netnsctl's views of it agree with ip's" {
	build_lab
	wait_for 100 lab_up
	run_n -n hub -j link
	same_as_ip "$output" "$(ip -n hub -j link show)"
	[ "$(echo "$output" | jq -r '[.[] | select(.master == "br0") | .ifname] | sort | join(",")')" = \
		h-l1,h-l2,h-l3 ]
	run_n -n hub link show
	assert_output "$(ip -n hub link show)"
	for leaf in "${LEAVES[@]}"; do
		run_n -n "$leaf" -4 -j addr
		same_as_ip "$output" "$(ip -n "$leaf" -4 -j addr show)"
		run_n -n "$leaf" -br -4 addr
		assert_output "$(ip -n "$leaf" -br -4 addr show)"
	done
	# the hub's veth ends know where their peers are
	run_n -n hub -j veth
	assert_success
	[ "$(echo "$output" | jq -c '[.[] | [.ifname, .peer, .peer_netns, .master]] | sort')" = \
		'[["h-l1","eth0","l1","br0"],["h-l2","eth0","l2","br0"],["h-l3","eth0","l3","br0"]]' ]
	run_n -n l2 veth
	assert_output "$(printf '%-16s %-14s %s' eth0 UP 'peer h-l2 netns hub')"
}

@test "lab: torn down cleanly with netnsctl delete" {
	build_lab
	wait_for 100 lab_up
	# a probe pair from here into each namespace: it goes when that namespace
	# is really freed (nothing, netnsctl included, still holds it)
	for ns in hub "${LEAVES[@]}"; do
		"$N" veth add "probe-$ns" peer p netns "$ns"
	done
	[ "$(ip -o link show type veth | wc -l)" -eq 4 ]
	run_n delete hub "${LEAVES[@]}"
	assert_success
	[ -z "$err" ]
	run ip netns list
	assert_output ""
	run ls -A /run/netns
	assert_output ""
	# the kernel frees the namespaces, and every pair in them, on its own time
	wait_for 400 bash -c '[ -z "$(ip -o link show type veth)" ]'
	nothing_here
	# and the same lab can be built again at once
	build_lab
	wait_for 100 lab_up
	ip netns exec l1 ping -c1 -W2 192.0.2.13 >/dev/null
}
