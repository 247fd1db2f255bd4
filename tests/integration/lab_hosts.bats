#!/usr/bin/env bats
# One lab across several hosts (netnsctl-lab(5) "hosts:"): three simulated
# hosts on this machine, each its own network namespace (an underlay veth to
# a shared bridge) and mount namespace (its own run dir and lab state); via:
# enters it with nsenter. The chain-with-a-LAN lab is split across them, its
# crossing links VXLAN pairs over the underlay.

load helpers

# Host I's holder PID: HPID[I]
declare -a HPID

# Run a command inside simulated host I (its network and mount namespace).
in_host() {
	local i=$1; shift
	nsenter -t "${HPID[$i]}" -m -n -- "$@"
}

make_hosts() {
	local i
	ip link add ul0 type bridge
	ip link set ul0 up
	for i in 1 2 3; do
		# its own run dir and state: tmpfs over both, seen by it alone
		mkdir -p /run/netns /run/netnsctl
		unshare --net --mount --propagation private sh -c \
			"mount -t tmpfs h$i /run/netns && mount -t tmpfs h$i /run/netnsctl &&
			 touch '$BATS_TEST_TMPDIR/h$i.up' && exec sleep 100000" &
		HPID[$i]=$!
		wait_for 200 test -e "$BATS_TEST_TMPDIR/h$i.up"
		ip link add "ul-h$i" type veth peer name eth0 netns "${HPID[$i]}"
		ip link set "ul-h$i" master ul0 up
		in_host "$i" ip link set lo up
		in_host "$i" ip addr add "198.51.100.$i/24" dev eth0
		in_host "$i" ip -6 addr add "2001:db8:ff::$i/64" dev eth0 nodad
		in_host "$i" ip link set eth0 up
	done
}

setup() {
	make_hosts
}

teardown() {
	local i
	for i in 1 2 3; do
		[ -z "${HPID[$i]:-}" ] || kill "${HPID[$i]}" 2>/dev/null || true
	done
	clean_all
}

# The lab, its hosts entered through their holders. $1: host 3's via
# (default: the working one).
write_lab() {
	local via3=${1:-"[nsenter, -t, '${HPID[3]}', -m, -n, --]"}
	cat > "$BATS_TEST_TMPDIR/lab.yaml" <<YAML
version: 1
name: hl
defaults:
  sysctls: {net.ipv6.conf.all.accept_dad: 0, net.ipv6.conf.default.accept_dad: 0}
hosts:
  h1: {address: 198.51.100.1, netnsctl: '$N', via: [nsenter, -t, '${HPID[1]}', -m, -n, --]}
  h2: {address: 198.51.100.2, dev: eth0, netnsctl: '$N', via: [nsenter, -t, '${HPID[2]}', -m, -n, --]}
  h3: {address: 198.51.100.3, netnsctl: '$N', via: $via3}
nodes:
  r1:
    host: h1
    loopback: [192.0.2.1/32, "2001:db8::1/128"]
    routes: [{to: default, via: 203.0.113.2}, {to: default, via: "2001:db8:12::2"}]
  r2:
    host: h2
    loopback: [192.0.2.2/32, "2001:db8::2/128"]
    sysctls: {net.ipv4.ip_forward: 1, net.ipv6.conf.all.forwarding: 1}
    routes:
      - {to: 192.0.2.1/32, via: 203.0.113.1}
      - {to: "2001:db8::1/128", via: "2001:db8:12::1"}
      - {to: 192.0.2.3/32, via: 203.0.113.6}
      - {to: "2001:db8::3/128", via: "2001:db8:23::3"}
      - {to: 192.0.2.128/25, via: 203.0.113.6}
      - {to: "2001:db8:3::/64", via: "2001:db8:23::3"}
  r3:
    host: h3
    loopback: [192.0.2.3/32, "2001:db8::3/128"]
    sysctls: {net.ipv4.ip_forward: 1, net.ipv6.conf.all.forwarding: 1}
    routes: [{to: default, via: 203.0.113.5}, {to: default, via: "2001:db8:23::2"}]
  pc1:
    host: h1
    routes: [{to: default, via: 192.0.2.129}, {to: default, via: "2001:db8:3::1"}]
  pc2:
    host: h2
    routes: [{to: default, via: 192.0.2.129}, {to: default, via: "2001:db8:3::1"}]
bridges:
  lan: {host: h3}
links:
  - a: {node: r1, ifname: eth0, addresses: [203.0.113.1/30, "2001:db8:12::1/64"]}
    b: {node: r2, ifname: eth0, addresses: [203.0.113.2/30, "2001:db8:12::2/64"]}
    impair: {rate: 100mbit}
  - a: {node: r2, ifname: eth1, addresses: [203.0.113.5/30, "2001:db8:23::2/64"]}
    b: {node: r3, ifname: eth0, addresses: [203.0.113.6/30, "2001:db8:23::3/64"]}
    vni: 4242
  - a: {node: r3, ifname: eth1, addresses: [192.0.2.129/25, "2001:db8:3::1/64"]}
    b: {bridge: lan}
  - a: {node: pc1, ifname: eth0, addresses: [192.0.2.130/25, "2001:db8:3::10/64"]}
    b: {bridge: lan}
  - a: {node: pc2, ifname: eth0, addresses: [192.0.2.131/25, "2001:db8:3::20/64"]}
    b: {bridge: lan}
ready:
  - {from: r1, ping: 192.0.2.3, timeout: 20}
YAML
	LAB=$BATS_TEST_TMPDIR/lab.yaml
}

# ping from node NODE of host I: pings I NODE ADDR
pings() {
	in_host "$1" ip netns exec "hl.$2" ping -c1 -W2 -q "$3" >/dev/null
}

@test "lab hosts: --all-hosts applies each share; ping across two VXLAN hops; diff 0" {
	write_lab
	run_n lab apply --all-hosts "$LAB"
	echo "$output$err"
	assert_success
	grep -q '^h1: ' <<< "$output"
	grep -q '^h2: ' <<< "$output"
	grep -q '^h3: ' <<< "$output"
	# each host has its own nodes, and only those
	assert_equal "$(in_host 1 ip netns list | awk '{print $1}' | sort | xargs)" "hl.pc1 hl.r1"
	assert_equal "$(in_host 2 ip netns list | awk '{print $1}' | sort | xargs)" "hl.pc2 hl.r2"
	assert_equal "$(in_host 3 ip netns list | awk '{print $1}' | sort | xargs)" "hl._switch hl.r3"
	# a crossing link is a VXLAN whose socket stays in the host's namespace
	run in_host 1 ip -d -n hl.r1 link show eth0
	assert_output --partial "vxlan id"
	assert_output --partial "remote 198.51.100.2"
	assert_output --partial "mtu 1450"
	run in_host 2 ip -d -n hl.r2 link show eth1
	assert_output --partial "vxlan id 4242"
	# a crossing link's impairment is on each host's VXLAN end
	run in_host 1 tc -n hl.r1 qdisc show dev eth0
	assert_output --partial "tbf"
	run in_host 2 tc -n hl.r2 qdisc show dev eth0
	assert_output --partial "tbf"
	# the LAN's far ends are ports of the bridge on h3
	run in_host 3 ip -d -n hl._switch link show master lan
	assert_output --partial "vxlan"
	# end to end over two VXLAN hops (r1 -> r2 -> r3), and across the LAN
	wait_for 100 pings 1 r1 192.0.2.3
	wait_for 100 pings 1 r1 2001:db8::3
	wait_for 100 pings 1 pc1 192.0.2.131
	wait_for 100 pings 2 pc2 2001:db8:3::10
	wait_for 100 pings 1 pc1 2001:db8::1
	run_n lab diff --all-hosts "$LAB"
	assert_success
	assert_equal "$output" ""
	# a second apply changes nothing
	run_n lab apply --all-hosts "$LAB"
	assert_success
	grep -qx 'h2: hl: up to date' <<< "$output"
}

@test "lab hosts: drift on one host is that host's diff; re-apply mends it; destroy leaves nothing" {
	write_lab
	"$N" lab apply --all-hosts "$LAB" >/dev/null
	in_host 2 ip -n hl.r2 addr del 203.0.113.5/30 dev eth1
	run_n lab diff --all-hosts "$LAB"
	assert_failure 1
	# only h2's lines (the routes through the address went with it)
	grep -qxF "h2: hl.r2 eth1: missing address 203.0.113.5/30" <<< "$output"
	assert_equal "$(grep -vc '^h2: ' <<< "$output")" 0
	# --host on the host itself says the same
	run in_host 2 "$N" lab diff "$LAB" --host h2
	assert_failure 1
	assert_line "hl.r2 eth1: missing address 203.0.113.5/30"
	run_n lab apply --all-hosts "$LAB"
	assert_success
	run_n lab diff --all-hosts "$LAB"
	assert_success
	wait_for 100 pings 1 r1 192.0.2.3
	run_n lab destroy --all-hosts "$LAB"
	assert_success
	for i in 1 2 3; do
		assert_equal "$(in_host "$i" ip netns list)" ""
		assert_equal "$(in_host "$i" ls -A /run/netnsctl/labs 2>/dev/null)" ""
		assert_equal "$(in_host "$i" ip -o link show | grep -c vxlan || true)" "0"
	done
}

@test "lab hosts: destroy --kill --all-hosts ends a stray process on every host" {
	write_lab
	"$N" lab apply --all-hosts --no-ready "$LAB" >/dev/null
	# a stray process in a node of h2, holding its namespace
	in_host 2 ip netns exec hl.pc2 sleep 100123 3>&- &
	wait_for 200 eval '[ -n "$(in_host 2 ip netns pids hl.pc2)" ]'
	run_n lab destroy --kill --all-hosts "$LAB"
	assert_success
	for i in 1 2 3; do
		assert_equal "$(in_host "$i" ip netns list)" ""
	done
	wait_for 200 eval '! pgrep -f "^sleep 100123$" >/dev/null'
}

@test "lab hosts: a host whose via fails is named; the others still apply" {
	write_lab "[/nonexistent/enter-h3]"
	run_n lab apply --all-hosts --no-ready "$LAB"
	assert_failure 1
	grep -q 'host "h3": cannot run "/nonexistent/enter-h3"' <<< "$output"
	grep -qx 'netnsctl: host "h3": unreachable ("/nonexistent/enter-h3" exited 127)' <<< "$err"
	assert_equal "$(grep -c unreachable <<< "$err")" 1
	assert_equal "$(in_host 1 ip netns list | awk '{print $1}' | sort | xargs)" "hl.pc1 hl.r1"
	assert_equal "$(in_host 2 ip netns list | awk '{print $1}' | sort | xargs)" "hl.pc2 hl.r2"
	assert_equal "$(in_host 3 ip netns list)" ""
}

@test "lab hosts: --host makes exactly that host's share; show and list take --host" {
	write_lab
	run in_host 3 "$N" lab apply --no-ready --host h3 "$LAB"
	assert_success
	assert_equal "$(in_host 3 ip netns list | awk '{print $1}' | sort | xargs)" "hl._switch hl.r3"
	assert_equal "$(in_host 3 ip -n hl._switch -o link show master lan | wc -l)" 3
	run in_host 3 "$N" lab show --host h3 "$LAB"
	assert_success
	assert_line "node r3 (hl.r3) on h3: present"
	assert_line --regexp '^  lan-2 -> h1 pc1 eth0: vxlan [0-9]+ remote 198.51.100.1 dev eth0 mtu 1450$'
	assert_line --regexp '^  eth0 203.0.113.6/30 2001:db8:23::3/64 -> h2 r2 eth1: vxlan 4242 remote 198.51.100.2 dev eth0 mtu 1450$'
	refute_output --partial "node pc1"
	# the plan of a share: a VXLAN made here, put into its node
	run in_host 1 "$N" lab apply --dry-run --host h1 "$LAB"
	assert_success
	assert_line --regexp '^link add eth0 mtu 1450 address [0-9a-f:]{17} netns hl.r1 type vxlan id [0-9]+ local 198.51.100.1 remote 198.51.100.2 dstport 4789 dev eth0$'
	# the whole lab as a graph: a cluster per host, VXLAN links dashed
	run "$N" lab graph "$LAB"
	assert_success
	assert_output --partial 'subgraph cluster_2 {'
	assert_output --partial 'style=dashed, label="vxlan 4242"'
	# an mtu over what the underlay leaves is warned about
	sed -i 's/^    vni: 4242$/    vni: 4242\n    mtu: 1500/' "$LAB"
	run in_host 2 "$N" lab apply --dry-run --host h2 "$LAB"
	assert_success
	assert_output --partial "mtu 1500 of a VXLAN link is more than underlay eth0 leaves (1450)"
	run in_host 3 "$N" lab list --host h3
	assert_output --partial "hl"
	run in_host 3 "$N" lab destroy --host h3 "$LAB"
	assert_success
	assert_equal "$(in_host 3 ip netns list)" ""
}

@test "lab hosts: usage errors change nothing" {
	write_lab
	run_n lab apply "$LAB"
	assert_failure 2
	assert_one_error_line "$err"
	assert_equal "$err" 'netnsctl: lab apply: lab "hl" spans hosts: give --host NAME or --all-hosts'
	run_n lab apply --host nosuch "$LAB"
	assert_failure 2
	assert_equal "$err" 'netnsctl: lab "hl" has no host "nosuch"'
	run_n lab apply --host h1 --all-hosts "$LAB"
	assert_failure 2
	run_n lab apply --all-hosts "$EX/demo.yaml"
	assert_failure 2
	assert_equal "$err" 'netnsctl: lab apply: lab "demo" has no "hosts" (--all-hosts)'
	run_n lab apply "$LAB" --host
	assert_failure 2
	for i in 1 2 3; do
		assert_equal "$(in_host "$i" ip netns list)" ""
	done
	assert_equal "$(ns_names)" ""
}
