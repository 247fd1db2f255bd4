#!/usr/bin/env bats
# addr show|add|del|flush, IPv4 and IPv6, -4/-6, -n.

load helpers

# v1 (down, so no link-local address comes and goes) with a few addresses
mkaddrs() {
	ip link add v1 type veth peer name v1p
	ip addr add 192.0.2.1/24 brd + dev v1 label v1:a
	ip addr add 192.0.2.2/24 dev v1
	ip addr add 2001:db8::1/64 dev v1 nodad
}

@test "addr add: IPv4 and IPv6, seen by ip" {
	ip link add v1 type veth peer name v1p
	run_n addr add 192.0.2.1/24 dev v1
	assert_success
	[ -z "$err" ]
	run_n addr add 2001:db8::1/64 dev v1 nodad
	assert_success
	j=$(ip -j addr show v1)
	[ "$(echo "$j" | jq -c '[.[0].addr_info[] | [.family, .local, .prefixlen, .scope]]')" = \
		'[["inet","192.0.2.1",24,"global"],["inet6","2001:db8::1",64,"global"]]' ]
	[ "$(echo "$j" | jq '.[0].addr_info[1].nodad')" = true ]
	# no length: a host address
	run_n addr add local 198.51.100.7 dev v1
	assert_success
	[ "$(ip -j addr show v1 | jq '.[0].addr_info[] | select(.local == "198.51.100.7") | .prefixlen')" = 32 ]
}

@test "addr add: broadcast +/-/ADDR, label, scope, noprefixroute, lifetimes" {
	ip link add v1 type veth peer name v1p
	"$N" addr add 192.0.2.1/24 dev v1 broadcast + label v1:x scope link
	"$N" addr add 198.51.100.1/24 dev v1 brd -
	"$N" addr add 203.0.113.1/24 dev v1 broadcast 203.0.113.77 noprefixroute
	"$N" addr add 198.18.0.1/31 dev v1 brd +
	"$N" addr add 2001:db8::5/64 dev v1 nodad valid_lft 100 preferred_lft 50
	j=$(ip -j addr show v1 | jq -c '.[0].addr_info')
	[ "$(echo "$j" | jq -c '.[0] | [.broadcast, .label, .scope]')" = '["192.0.2.255","v1:x","link"]' ]
	[ "$(echo "$j" | jq -r '.[1].broadcast')" = 198.51.100.0 ]
	[ "$(echo "$j" | jq -c '.[2] | [.broadcast, .noprefixroute]')" = '["203.0.113.77",true]' ]
	# ip sets no broadcast for /31 and /32
	[ "$(echo "$j" | jq -r '.[3].broadcast')" = null ]
	[ "$(echo "$j" | jq -c '.[4] | [.dynamic, .valid_life_time <= 100, .preferred_life_time <= 50]')" = \
		'[true,true,true]' ]
}

@test "addr, addr show, list, ls print what ip addr prints" {
	mkaddrs
	expected=$(ip addr show)
	for args in "" show list ls lst; do
		run_n addr $args
		assert_success
		assert_equal "$output" "$expected"
	done
	run_n address show dev v1
	assert_output "$(ip addr show dev v1)"
	run_n addr show v1
	assert_output "$(ip addr show v1)"
}

@test "addr -4 and -6 show one family, like ip" {
	mkaddrs
	run_n -4 addr
	assert_success
	assert_output "$(ip -4 addr show)"
	[[ $output != *inet6* ]]
	run_n -6 addr show v1
	assert_output "$(ip -6 addr show v1)"
	[[ $output != *"inet "* ]]
	run_n -4 -j addr
	same_as_ip "$output" "$(ip -4 -j addr show)"
	[ "$(echo "$output" | jq '[.[].addr_info[] | select(.family != "inet")] | length')" = 0 ]
	run_n -6 -j addr
	[ "$(echo "$output" | jq '[.[].addr_info[] | select(.family != "inet6")] | length')" = 0 ]
	# links without an address of that family are left out
	[ "$(echo "$output" | jq '[.[] | select(.ifname == "v1p")] | length')" = 0 ]
}

@test "addr -j: ip -j's fields, values and types, addr_info in each link" {
	mkaddrs
	"$N" add ns1
	ip link add v2 type veth peer name v2p netns ns1
	ip -n ns1 addr add 198.51.100.2/24 dev v2p
	ip -n ns1 addr add 2001:db8:1::2/64 dev v2p nodad
	run_n -j addr
	assert_success
	has_keys "$output" ifindex ifname flags mtu qdisc operstate group txqlen link_type \
		address broadcast addr_info
	same_as_ip "$output" "$(ip -j addr show)"
	v1=$(echo "$output" | jq -c '[.[] | select(.ifname == "v1") | .addr_info[]]')
	has_keys "$v1" family local prefixlen scope valid_life_time preferred_life_time
	[ "$(echo "$v1" | jq -r '.[0].label')" = v1:a ]
	[ "$(echo "$v1" | jq -r '.[1].secondary')" = true ]
	run_n -n ns1 -j addr show v2p
	same_as_ip "$output" "$(ip -n ns1 -j addr show v2p)"
	run_n -j addr show dev v1
	same_as_ip "$output" "$(ip -j addr show dev v1)"
}

@test "addr -br: ip -br addr, text and JSON" {
	mkaddrs
	run_n -br addr
	assert_success
	assert_output "$(ip -br addr show)"
	run_n -br -j addr
	has_keys "$output" ifname operstate addr_info
	same_as_ip "$output" "$(ip -br -j addr show)"
	run_n -4 -br addr
	assert_output "$(ip -4 -br addr show)"
}

@test "addr -s: counters after the addresses, like ip -s addr" {
	mkaddrs
	run_n -s addr show v1
	assert_success
	assert_output "$(ip -s addr show v1)"
	run_n -s -s addr show v1p
	assert_output "$(ip -s -s addr show v1p)"
	run_n -s -j addr show v1
	has_keys "$output" stats64 addr_info
	same_as_ip "$output" "$(ip -s -j addr show v1)"
}

@test "addr show up: only links that are up" {
	mkaddrs
	ip link add br0 type bridge
	ip link set br0 up
	run_n addr show up
	assert_output "$(ip addr show up)"
	[[ $output != *v1* ]]
}

@test "addr add twice: File exists with the kernel's words; del then removes" {
	ip link add v1 type veth peer name v1p
	"$N" addr add 192.0.2.1/24 dev v1
	run_n addr add 192.0.2.1/24 dev v1
	assert_equal "$status" 1
	assert_one_error_line "$err"
	assert_equal "$err" 'netnsctl: addr add "192.0.2.1/24" dev "v1": File exists (kernel: ipv4: Address already assigned)'
	run_n addr del 192.0.2.1/24 dev v1
	assert_success
	[ "$(ip -j addr show v1 | jq '.[0].addr_info | length')" = 0 ]
	run_n addr del 192.0.2.1/24 dev v1
	assert_equal "$status" 1
	assert_equal "$err" 'netnsctl: addr del "192.0.2.1/24" dev "v1": Cannot assign requested address (kernel: ipv4: Address not found)'
}

@test "addr del without a length removes the address whatever its length" {
	mkaddrs
	run_n addr del 192.0.2.2 dev v1
	assert_success
	run_n addr delete 2001:db8::1 dev v1
	assert_success
	[ "$(ip -j addr show v1 | jq -c '[.[0].addr_info[].local]')" = '["192.0.2.1"]' ]
	run_n addr del 2001:db8::1 dev v1
	assert_equal "$status" 1
	assert_equal "$err" 'netnsctl: addr del "2001:db8::1" dev "v1": Cannot assign requested address'
	# a length that does not match is the kernel's refusal
	run_n addr del 192.0.2.1/25 dev v1
	assert_equal "$status" 1
	[ "$(ip -j addr show v1 | jq '.[0].addr_info | length')" = 1 ]
}

@test "addr on a missing device: names device and namespace; kernel refusals keep their text" {
	"$N" add ns1
	ip -n ns1 link add v1 type veth peer name v1p
	run_n -n ns1 addr add 192.0.2.1/24 dev nope
	assert_equal "$status" 1
	assert_equal "$err" 'netnsctl: addr add "192.0.2.1/24" dev "nope": device "nope" not found in netns "ns1"'
	run_n addr flush dev nope
	assert_equal "$err" 'netnsctl: addr flush dev "nope": device "nope" not found'
	run_n -n ns1 addr show nope
	assert_equal "$err" 'netnsctl: device "nope" not found in netns "ns1"'
	ip netns exec ns1 sysctl -qw net.ipv6.conf.v1.disable_ipv6=1
	run_n -n ns1 addr add 2001:db8::1/64 dev v1 nodad
	assert_equal "$status" 1
	assert_one_error_line "$err"
	assert_equal "$err" 'netnsctl: addr add "2001:db8::1/64" dev "v1": Permission denied (kernel: ipv6: IPv6 is disabled on this device)'
}

@test "addr flush dev DEV, with -4 and -6" {
	mkaddrs
	ip addr add 198.51.100.1/24 dev v1p
	run_n -4 addr flush dev v1
	assert_success
	[ "$(ip -j addr show v1 | jq -c '[.[0].addr_info[].family]')" = '["inet6"]' ]
	ip addr add 192.0.2.1/24 dev v1
	run_n -6 addr flush v1
	assert_success
	[ "$(ip -j addr show v1 | jq -c '[.[0].addr_info[].family]')" = '["inet"]' ]
	ip addr add 2001:db8::1/64 dev v1 nodad
	run_n addr flush v1
	assert_success
	[ "$(ip -j addr show v1 | jq '.[0].addr_info | length')" = 0 ]
	# the other link keeps its own
	[ "$(ip -j addr show v1p | jq '.[0].addr_info | length')" = 1 ]
	# nothing to flush is fine
	run_n addr flush dev v1
	assert_success
}

@test "addr -n NS: inside NS only" {
	"$N" add ns1
	ip -n ns1 link add v1 type veth peer name v1p
	ip link add v1 type veth peer name v1p
	run_n -n ns1 addr add 192.0.2.1/24 dev v1
	assert_success
	[ "$(ip -n ns1 -j addr show v1 | jq '.[0].addr_info | length')" = 1 ]
	[ "$(ip -j addr show v1 | jq '.[0].addr_info | length')" = 0 ]
	run_n -n ns1 addr
	assert_output "$(ip -n ns1 addr show)"
	run_n -n ns1 addr flush dev v1
	[ "$(ip -n ns1 -j addr show v1 | jq '.[0].addr_info | length')" = 0 ]
}

@test "addr: usage errors exit 2 with one line, before anything is sent" {
	ip link add v1 type veth peer name v1p
	before=$(snapshot)
	usage_errors addr <<'EOF'
frob
add
add 192.0.2.1/24
add dev v1
add 192.0.2.1/33 dev v1
add 2001:db8::1/129 dev v1
add 192.0.2.300/24 dev v1
add 192.0.2.1/-1 dev v1
add nonsense dev v1
add 192.0.2.1/24 dev v1 dev v1
add 192.0.2.1/24 192.0.2.2/24 dev v1
add 192.0.2.1/24 local 192.0.2.2/24 dev v1
add 192.0.2.1/24 dev
add 192.0.2.1/24 dev abcdefghijklmnop
add 192.0.2.1/24 dev a/b
add 2001:db8::1/64 dev v1 broadcast +
add 192.0.2.1/24 dev v1 broadcast 2001:db8::1
add 192.0.2.1/24 dev v1 broadcast
add 192.0.2.1/24 dev v1 brd + brd -
add 192.0.2.1/24 dev v1 label foo
add 192.0.2.1/24 dev v1 label v1:abcdefghijklmn
add 192.0.2.1/24 dev v1 scope bogus
add 192.0.2.1/24 dev v1 scope 256
add 192.0.2.1/24 dev v1 nodad nodad
add 192.0.2.1/24 dev v1 valid_lft 0
add 192.0.2.1/24 dev v1 valid_lft 10 preferred_lft 20
add 192.0.2.1/24 dev v1 valid_lft 10
add 192.0.2.1/24 dev v1 valid_lft soon
add 192.0.2.1/24 dev v1 frob
del 192.0.2.1/33 dev v1
del dev v1
flush
flush v1 v1p
flush dev
show v1 v1p
show up up
EOF
	run_n -6 addr add 192.0.2.1/24 dev v1
	assert_equal "$status" 2
	run_n -4 addr add 2001:db8::1/64 dev v1
	assert_equal "$status" 2
	assert_one_error_line "$err"
	assert_equal "$(snapshot)" "$before"
	run_n addr help
	assert_success
	[[ $output == Usage:* ]]
}
