#!/usr/bin/env bats
# link show|add|del|set, in the caller's namespace and inside -n.

load helpers

# a down veth pair and a bridge: nothing on them moves while we compare
mklinks() {
	ip link add v1 type veth peer name v1p
	ip link add br0 type bridge
	ip link set v1 master br0
}

@test "link, link show, list, ls and lst print what ip link prints" {
	mklinks
	expected=$(ip link show)
	for args in "" show list ls lst; do
		run_n link $args
		assert_success
		[ -z "$err" ]
		assert_equal "$output" "$expected"
	done
}

@test "link show DEV and dev DEV; -n NS shows inside NS like ip -n" {
	mklinks
	"$N" add ns1
	ip -n ns1 link add x type veth peer name y
	run_n link show v1
	assert_output "$(ip link show v1)"
	run_n link show dev br0
	assert_output "$(ip link show br0)"
	run_n -n ns1 link
	assert_success
	assert_output "$(ip -n ns1 link show)"
	run_n -n ns1 link show y
	assert_output "$(ip -n ns1 link show y)"
}

@test "link -j: ip -j's fields, values and types" {
	mklinks
	"$N" add ns1
	ip link add v2 type veth peer name v2p netns ns1
	run_n -j link
	assert_success
	has_keys "$output" ifindex ifname flags mtu qdisc operstate linkmode group txqlen \
		link_type address broadcast
	same_as_ip "$output" "$(ip -j link show)"
	# peers: by name here, by index and netnsid in another namespace
	[ "$(echo "$output" | jq -r '.[] | select(.ifname == "v1") | .link')" = v1p ]
	[ "$(echo "$output" | jq -r '.[] | select(.ifname == "v1") | .master')" = br0 ]
	[ "$(echo "$output" | jq -r '.[] | select(.ifname == "v2") | .link_netnsid')" -ge 0 ]
	run_n -n ns1 -j link
	same_as_ip "$output" "$(ip -n ns1 -j link show)"
	run_n -j link show v2
	same_as_ip "$output" "$(ip -j link show v2)"
	run_n -j -p link show v1
	echo "$output" | jq -e 'length == 1'
	[ "$(echo "$output" | wc -l)" -gt 5 ]
}

@test "link text names the peer namespace like ip: link-netns NAME" {
	"$N" add ns1
	ip link add v2 type veth peer name v2p netns ns1
	run_n link show v2
	assert_output "$(ip link show v2)"
	[[ $output == *"link-netns ns1"* ]]
	# the caller's own namespace has no name there: the id instead
	run_n -n ns1 link show v2p
	assert_output "$(ip -n ns1 link show v2p)"
	[[ $output == *"link-netnsid "* ]]
}

@test "link -s and -s -s: counters like ip -s" {
	mklinks
	run_n -s link show v1
	assert_success
	assert_output "$(ip -s link show v1)"
	run_n -s -s link show v1
	assert_output "$(ip -s -s link show v1)"
	run_n -s -j link show v1
	has_keys "$output" stats64
	same_as_ip "$output" "$(ip -s -j link show v1)"
	run_n -s -s -j link
	same_as_ip "$output" "$(ip -s -s -j link show)"
	[ "$(echo "$output" | jq '.[0].stats64.rx | has("crc_errors")')" = true ]
}

@test "link -br: one line per link like ip -br, JSON too" {
	mklinks
	run_n -br link
	assert_success
	assert_output "$(ip -br link show)"
	run_n -br -j link
	has_keys "$output" ifname operstate address flags
	same_as_ip "$output" "$(ip -br -j link show)"
}

@test "link show filters: up, master, type" {
	mklinks
	ip link add br1 type bridge
	ip link set br0 up
	run_n link show up
	assert_output "$(ip link show up)"
	run_n link show master br0
	assert_output "$(ip link show master br0)"
	run_n link show type bridge
	assert_output "$(ip link show type bridge)"
	run_n -j link show type veth
	[ "$(echo "$output" | jq -r '[.[].ifname] | sort | join(",")')" = v1,v1p ]
}

@test "link show of a missing device: exit 1, names device and namespace" {
	"$N" add ns1
	run_n link show nope
	assert_equal "$status" 1
	assert_equal "$err" 'netnsctl: device "nope" not found'
	run_n -n ns1 link show nope
	assert_equal "$status" 1
	assert_equal "$err" 'netnsctl: device "nope" not found in netns "ns1"'
	run_n -n nons link
	assert_equal "$status" 1
	assert_one_error_line "$err"
	[[ $err == *'"nons"'*"no such namespace"* ]]
}

@test "link add type bridge: made once, then File exists" {
	run_n link add br0 type bridge
	assert_success
	[ -z "$err" ]
	[ "$(ip -d -j link show br0 | jq -r '.[0].linkinfo.info_kind')" = bridge ]
	run_n link add br0 type bridge
	assert_equal "$status" 1
	assert_one_error_line "$err"
	[[ $err == 'netnsctl: link add "br0": '*"exists"* ]]
	[ "$(ip -o link show type bridge | wc -l)" -eq 1 ]
	# and with -n: inside that namespace only
	"$N" add ns1
	run_n -n ns1 link add name br9 mtu 1400 address 02:00:00:00:00:09 type bridge
	assert_success
	[ "$(jfield -n ns1 br9 mtu)" = 1400 ]
	[ "$(jfield -n ns1 br9 address)" = 02:00:00:00:00:09 ]
	! ip link show br9 2>/dev/null
}

@test "link add type veth peer name P [netns NS2], as ip spells it" {
	"$N" add ns1 ns2
	run_n link add v1 type veth peer name v1p
	assert_success
	[ "$(jfield v1 link)" = v1p ]
	run_n link add v2 type veth peer name v2p netns ns2
	assert_success
	[ "$(jfield v2 link_index)" = "$(jfield -n ns2 v2p ifindex)" ]
	run_n link add v3 netns ns1 mtu 1400 type veth peer v3p netns ns2 address 02:00:00:00:00:03
	assert_success
	! ip link show v3 2>/dev/null
	[ "$(jfield -n ns1 v3 mtu)" = 1400 ]
	[ "$(jfield -n ns2 v3p mtu)" = 1400 ]
	[ "$(jfield -n ns2 v3p address)" = 02:00:00:00:00:03 ]
	# without a peer name the kernel picks one
	run_n link add v4 type veth
	assert_success
	[ "$(jfield v4 link)" != null ]
}

@test "link add type vxlan: id, local, remote/group, dstport, dev, ttl" {
	ip link add v1 type veth peer name v1p
	run_n link add vx0 type vxlan id 42 local 192.0.2.1 remote 192.0.2.9 dstport 4790 ttl 5
	assert_success
	info=$(ip -d -j link show vx0 | jq -c '.[0].linkinfo.info_data')
	[ "$(echo "$info" | jq -c '[.id, .local, .remote, .port, .ttl]')" = \
		'[42,"192.0.2.1","192.0.2.9",4790,5]' ]
	# no dstport: IANA's 4789, not the kernel's 8472
	run_n link add vx1 type vxlan vni 43 group 233.252.0.1 dev v1
	assert_success
	info=$(ip -d -j link show vx1 | jq -c '.[0].linkinfo.info_data')
	[ "$(echo "$info" | jq -c '[.id, .group, .link, .port]')" = '[43,"233.252.0.1","v1",4789]' ]
	run_n link add vx2 type vxlan id 44 local 2001:db8::1 remote 2001:db8::2 dstport 0
	assert_success
	info=$(ip -d -j link show vx2 | jq -c '.[0].linkinfo.info_data')
	[ "$(echo "$info" | jq -c '[.local6, .remote6, .port]')" = '["2001:db8::1","2001:db8::2",8472]' ]
	run_n link add vx3 type vxlan id 45 group ff0e::db8:0:1 dev v1
	assert_success
	[ "$(ip -d -j link show vx3 | jq -r '.[0].linkinfo.info_data.group6')" = ff0e::db8:0:1 ]
	run_n link add vx4 type vxlan id 46 dev nope
	assert_equal "$status" 1
	assert_equal "$err" 'netnsctl: link add "vx4": device "nope" not found'
}

@test "link add type macvlan/macvtap link DEV mode M (and ip's link DEV name N)" {
	ip link add v1 type veth peer name v1p
	run_n link add mv0 type macvlan link v1 mode bridge
	assert_success
	[ "$(jfield mv0 link)" = v1 ]
	[ "$(ip -d -j link show mv0 | jq -r '.[0].linkinfo.info_data.mode')" = bridge ]
	run_n link add link v1 name mv1 type macvlan mode private
	assert_success
	[ "$(ip -d -j link show mv1 | jq -r '.[0].linkinfo.info_data.mode')" = private ]
	run_n link add mt0 type macvtap link v1 mode vepa
	assert_success
	[ "$(ip -d -j link show mt0 | jq -r '.[0].linkinfo.info_kind')" = macvtap ]
	run_n link add mv2 type macvlan link nope
	assert_equal "$status" 1
	[[ $err == *'device "nope" not found'* ]]
}

@test "link add of another kind: ifb works, a kind the kernel lacks is its refusal" {
	run_n link add i0 type ifb
	assert_success
	[ "$(ip -d -j link show i0 | jq -r '.[0].linkinfo.info_kind')" = ifb ]
	before=$(snapshot)
	run_n link add d0 type nosuchkind
	assert_equal "$status" 1
	assert_one_error_line "$err"
	[[ $err == 'netnsctl: link add "d0": Operation not supported (kernel: '* ]]
	assert_equal "$(snapshot)" "$before"
}

@test "link del: removes; missing device exits 1 naming it" {
	mklinks
	"$N" add ns1
	ip -n ns1 link add b1 type bridge
	run_n link del br0
	assert_success
	! ip link show br0 2>/dev/null
	run_n link delete dev v1
	assert_success
	! ip link show v1p 2>/dev/null
	run_n -n ns1 link del b1
	assert_success
	! ip -n ns1 link show b1 2>/dev/null
	run_n link del br0
	assert_equal "$status" 1
	assert_equal "$err" 'netnsctl: link del "br0": device "br0" not found'
	run_n -n ns1 link del b1
	assert_equal "$err" 'netnsctl: link del "b1": device "b1" not found in netns "ns1"'
}

@test "link set: up, mtu, address, name, master in one command" {
	ip link add v1 type veth peer name v1p
	ip link add br0 type bridge
	run_n link set v1 mtu 1400 address 02:00:00:00:00:01 name lan0 master br0 up
	assert_success
	[ -z "$err" ]
	j=$(ip -j link show lan0)
	[ "$(echo "$j" | jq -c '.[0] | [.mtu, .address, .master, (.flags | index("UP") != null)]')" = \
		'[1400,"02:00:00:00:00:01","br0",true]' ]
	run_n link set dev lan0 nomaster down
	assert_success
	j=$(ip -j link show lan0)
	[ "$(echo "$j" | jq -c '.[0] | [.master, (.flags | index("UP") != null)]')" = '[null,false]' ]
	run_n link set lan0 txqueuelen 500
	[ "$(jfield lan0 txqlen)" = 500 ]
}

@test "link set: rename while up works with down in the same command" {
	ip link add v1 type veth peer name v1p
	ip link set v1 up
	run_n link set v1 down name v9
	assert_success
	ip link show v9
	[ "$(ip -j link show v9 | jq '.[0].flags | index("UP") == null')" = true ]
	# up and rename: the kernel renames first, then brings it up
	run_n link set v9 name v8 up
	assert_success
	[ "$(ip -j link show v8 | jq '.[0].flags | index("UP") != null')" = true ]
}

@test "link set netns: moves (renamed, up, enslaved there) in one command" {
	"$N" add ns1
	ip link add v1 type veth peer name v1p
	ip -n ns1 link add br0 type bridge
	run_n link set v1 netns ns1 name inside master br0 up
	assert_success
	! ip link show v1 2>/dev/null
	[ "$(jfield -n ns1 inside master)" = br0 ]
	[ "$(ip -n ns1 -j link show inside | jq '.[0].flags | index("UP") != null')" = true ]
	# and back out of -n's namespace
	"$N" add ns2
	run_n -n ns1 link set inside nomaster netns ns2
	assert_success
	ip -n ns2 link show inside
}

@test "link set: the kernel's refusal comes with its words, nothing else changes" {
	ip link add v1 type veth peer name v1p
	before=$(snapshot)
	run_n link set v1 mtu 10
	assert_equal "$status" 1
	assert_one_error_line "$err"
	assert_equal "$err" 'netnsctl: link set "v1": Invalid argument (kernel: mtu less than device minimum)'
	assert_equal "$(snapshot)" "$before"
	run_n link set v1 master nope
	assert_equal "$status" 1
	assert_equal "$err" 'netnsctl: link set "v1": master: device "nope" not found'
	"$N" add ns1
	before=$(snapshot)
	run_n link set v1 netns ns1 master nope
	assert_equal "$err" 'netnsctl: link set "v1": master: device "nope" not found in netns "ns1"'
	run_n link set v1 netns nons
	assert_equal "$status" 1
	[[ $err == *'"nons"'*"no such namespace"* ]]
	run_n link set nope up
	assert_equal "$err" 'netnsctl: link set "nope": device "nope" not found'
	assert_equal "$(snapshot)" "$before"
	[[ $(cat <<<"$err") != *Unspecific* ]]
}

@test "link: usage errors exit 2 with one line, before anything is sent" {
	ip link add v1 type veth peer name v1p
	ip link add br0 type bridge
	"$N" add ns1
	before=$(snapshot)
	usage_errors link <<'EOF'
frob
show dev
show v1 v1p
show up up
add
add x
add x type
add x type bad!kind
add x type bridge mtu 1400
add abcdefghijklmnop type bridge
add a/b type bridge
add a:b type bridge
add x mtu 0 type bridge
add x mtu 99999999999 type bridge
add x mtu big type bridge
add x mtu 1400 mtu 1400 type bridge
add x name y type bridge
add x address 02:00:00:00:00 type bridge
add x address zz:00:00:00:00:01 type bridge
add x netns ../up type bridge
add x link v1 type bridge
add x type veth bogus
add x type veth peer name a/b
add x type veth peer name p name q
add x type veth peer name p mtu 1400
add x type veth peer name p netns
add x type veth peer name x
add x type vxlan
add x type vxlan id 16777216
add x type vxlan id 1 id 2
add x type vxlan id 1 group 233.252.0.1
add x type vxlan id 1 remote 233.252.0.1
add x type vxlan id 1 group 192.0.2.1 dev v1
add x type vxlan id 1 remote 192.0.2.1 group 233.252.0.1 dev v1
add x type vxlan id 1 local 192.0.2.1 remote 2001:db8::1
add x type vxlan id 1 local 192.0.2.1/24
add x type vxlan id 1 dstport 65536
add x type vxlan id 1 ttl 256
add x type vxlan id 1 frob
add x type macvlan
add x type macvlan link v1 mode bogus
add x type macvlan link v1 link v1
del
del v1 v1p
del a/b
set
set v1
set v1 mtu
set v1 mtu 1400 mtu 1500
set v1 up down
set v1 up up
set v1 master br0 nomaster
set v1 frob
set v1 name abcdefghijklmnop
set v1 name a/b
set v1 netns a/b
set v1 address 1:2:3
set v1 txqueuelen -1
set v1 dev v1p up
EOF
	run_n link add "a b" type bridge
	assert_equal "$status" 2
	assert_one_error_line "$err"
	run_n -n ns1 link set v1 mtu
	assert_equal "$status" 2
	assert_equal "$(snapshot)" "$before"
}

@test "link help and -h print usage and exit 0" {
	for h in help -h --help; do
		run_n link $h
		assert_success
		[[ $output == Usage:* ]]
	done
	run_n link add help
	assert_success
	[[ $output == Usage:* ]]
}
