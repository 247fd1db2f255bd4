#!/usr/bin/env bats
# Stable identity of a lab's nodes: MACs derived from the lab, node and
# interface names (kept across destroy and re-made ends, so neighbours stay
# right after a prune and re-add), hosts files under /etc/netns (made,
# rewritten, removed, never over someone else's), and with
# defaults.hostname a UTS namespace per node.

load helpers
load kill_at

teardown() {
	local l m
	for l in idm idn idh idu; do
		"$N" lab destroy --kill "$l" >/dev/null 2>&1 || true
	done
	# a UTS mount a failed test left in the state dir
	awk '$5 ~ "^/run/netnsctl/" {print $5}' /proc/self/mountinfo | while read -r m; do
		umount -l "$m" 2>/dev/null || true
	done
	clean_all
}

# The MAC netnsctl derives for LAB NODE IF, computed here independently:
# FNV-1a 64 of "LAB\0NODE\0IF" ("\1" stands for the NULs: names have no
# control bytes), its low 48 bits least significant byte first, the
# locally administered bit set and the multicast bit clear.
derived_mac() {
	local h=$((0xcbf29ce484222325)) s c i
	s=$(printf '%s\1%s\1%s' "$1" "$2" "$3")
	for ((i = 0; i < ${#s}; i++)); do
		printf -v c '%d' "'${s:i:1}"
		[ "$c" = 1 ] && c=0
		h=$(( (h ^ c) * 0x100000001b3 ))
	done
	printf '%02x:%02x:%02x:%02x:%02x:%02x\n' $(( (h & 0xfc) | 2 )) $(( (h >> 8) & 255 )) \
		$(( (h >> 16) & 255 )) $(( (h >> 24) & 255 )) $(( (h >> 32) & 255 )) \
		$(( (h >> 40) & 255 ))
}

# mac_of NS DEV, as ip -j says
mac_of() {
	jfield -n "$1" "$2" address
}

# a -- lan -- b, a -- c (a's end with the file's MAC)
mac_lab() {
	lab_file idm <<'EOF'
version: 1
name: idm
nodes:
  a: {}
  b: {}
  c: {}
bridges:
  lan: {}
links:
  - a: {node: a, ifname: eth0, addresses: [192.0.2.1/24]}
    b: {bridge: lan}
  - a: {node: b, ifname: eth0, addresses: [192.0.2.2/24]}
    b: {bridge: lan}
  - a: {node: a, ifname: eth1, mac: "02:00:00:00:00:aa"}
    b: {node: c, ifname: eth1}
EOF
}

@test "every link end gets the MAC derived from lab, node and interface; a file's mac is kept" {
	mac_lab
	run_n lab apply "$BATS_TEST_TMPDIR/idm.yaml"
	assert_success
	assert_equal "$(mac_of idm.a eth0)" "$(derived_mac idm a eth0)"
	assert_equal "$(mac_of idm.b eth0)" "$(derived_mac idm b eth0)"
	assert_equal "$(mac_of idm.c eth1)" "$(derived_mac idm c eth1)"
	assert_equal "$(mac_of idm._switch lan-1)" "$(derived_mac idm _switch lan-1)"
	assert_equal "$(mac_of idm._switch lan-2)" "$(derived_mac idm _switch lan-2)"
	assert_equal "$(mac_of idm._switch lan)" "$(derived_mac idm _switch lan)"
	assert_equal "$(mac_of idm.a eth1)" "02:00:00:00:00:aa"
	# unicast and locally administered, all of them
	local m
	for m in $(ip -n idm.a -j link | jq -r '.[] | select(.ifname != "lo") | .address'); do
		(( (0x${m%%:*} & 3) == 2 )) || { echo "bad MAC $m"; return 1; }
	done
	# show says which, in text and JSON
	run_n -j lab show "$BATS_TEST_TMPDIR/idm.yaml"
	assert_equal "$(jq -r '.nodes[] | select(.name == "b") | .interfaces[0].mac' <<<"$output")" \
		"$(derived_mac idm b eth0)"
	# the dry run puts them in the create lines
	"$N" lab destroy idm >/dev/null
	run_n lab apply --dry-run "$BATS_TEST_TMPDIR/idm.yaml"
	assert_output --partial "link add eth0 address $(derived_mac idm a eth0) netns idm.a type veth peer name lan-1 netns idm._switch address $(derived_mac idm _switch lan-1)"
	assert_output --partial "-n idm._switch link add lan address $(derived_mac idm _switch lan) type bridge"
}

@test "MACs are the same after destroy and apply; a changed one is drift, put back" {
	mac_lab
	"$N" lab apply "$BATS_TEST_TMPDIR/idm.yaml" >/dev/null
	local before
	before=$(mac_of idm.b eth0)
	"$N" lab destroy idm >/dev/null
	"$N" lab apply "$BATS_TEST_TMPDIR/idm.yaml" >/dev/null
	assert_equal "$(mac_of idm.b eth0)" "$before"
	ip -n idm.b link set eth0 address 02:11:11:11:11:11
	run_n lab diff "$BATS_TEST_TMPDIR/idm.yaml"
	assert_equal "$status" 1
	assert_output "idm.b eth0: link mac 02:11:11:11:11:11, want $before"
	run_n lab apply "$BATS_TEST_TMPDIR/idm.yaml"
	assert_success
	assert_equal "$(mac_of idm.b eth0)" "$before"
	run_n lab diff "$BATS_TEST_TMPDIR/idm.yaml"
	assert_success
}

@test "prune a node, put it back: reachable at once, the neighbour entry has the same MAC" {
	mac_lab
	local f=$BATS_TEST_TMPDIR/idm.yaml g=$BATS_TEST_TMPDIR/idm-no-b.yaml mac
	sed -e '/^  b: {}$/d' -e '/node: b, ifname: eth0/,+1d' "$f" > "$g"
	"$N" lab apply "$f" >/dev/null
	wait_for 600 settled idm.a idm.b
	ip netns exec idm.a ping -c1 -W5 -q 192.0.2.2 >/dev/null
	mac=$(mac_of idm.b eth0)
	# a's entry for b, as it learnt it
	assert_equal "$(ip -n idm.a -j neigh show 192.0.2.2 dev eth0 | jq -r '.[0].lladdr')" "$mac"
	run_n lab apply --prune "$g"
	assert_success
	[ ! -e "$RD/idm.b" ]
	run_n lab apply "$f"
	assert_success
	assert_equal "$(mac_of idm.b eth0)" "$mac"
	# the first try, no waiting for a's neighbour cache to time out
	wait_for 600 settled idm.b
	ip netns exec idm.a ping -c1 -W5 -q 192.0.2.2 >/dev/null
	assert_equal "$(ip -n idm.a -j neigh show 192.0.2.2 dev eth0 | jq -r '.[0].lladdr')" "$mac"
	run_n lab diff "$f"
	assert_success
}

hosts_lab() {
	lab_file idh <<'EOF'
version: 1
name: idh
nodes:
  a: {loopback: [198.51.100.1/32]}
  b: {}
links:
  - a: {node: a, ifname: eth0, addresses: [192.0.2.1/24, "2001:db8::1/64"]}
    b: {node: b, ifname: eth0, addresses: [192.0.2.2/24]}
EOF
}

@test "hosts files: every node and interface resolves from inside the nodes" {
	hosts_lab
	run_n lab apply "$BATS_TEST_TMPDIR/idh.yaml"
	assert_success
	run_n exec idh.a getent hosts b
	assert_success
	assert_output "192.0.2.2       b-eth0 b b.idh"
	run_n lab exec idh b getent ahostsv4 a.idh
	grep -q "^198.51.100.1 " <<<"$output"
	run_n lab exec idh b cat /etc/hosts
	grep -qxF "198.51.100.1	a a.idh" <<<"$output"
	run_n exec idh.b getent ahostsv4 a-eth0
	[[ $output == "192.0.2.1 "* ]]
	run_n exec idh.b getent ahostsv6 a-eth0
	[[ $output == "2001:db8::1 "* ]]
	run_n exec idh.b getent hosts localhost
	assert_success
	# the file as the node sees it, marked as the lab's
	run_n exec idh.b cat /etc/hosts
	[[ $output == "# netnsctl-lab:idh hosts of idh.b"* ]]
	grep -qxF "192.0.2.1	a-eth0 a a.idh" <<<"$output"
	[ "$(stat -c %a /etc/netns/idh.a/hosts)" = 644 ]
	# recorded (with the identity of the file written: lab_noop3.bats), and
	# no temp file left beside
	run records idh hosts
	assert_output --regexp $'^hosts idh.a hosts(:[0-9a-f]+){6}\nhosts idh.b hosts(:[0-9a-f]+){6}$'
	[ -z "$(ls -A /etc/netns | grep -v '^idh\.[ab]$')" ]
	run_n lab diff "$BATS_TEST_TMPDIR/idh.yaml"
	assert_success
}

@test "hosts files: rewritten when addresses change or the file was edited; diff says so" {
	hosts_lab
	local f=$BATS_TEST_TMPDIR/idh.yaml
	"$N" lab apply "$f" >/dev/null
	echo "203.0.113.9 intruder" >> /etc/netns/idh.b/hosts
	run_n lab diff "$f"
	assert_equal "$status" 1
	assert_output "idh.b: hosts /etc/netns/idh.b/hosts content other names, want the lab's"
	run_n -j lab diff "$f"
	assert_equal "$(jq -r '.[0].kind + " " + .[0].change' <<<"$output")" "hosts differs"
	"$N" lab apply "$f" >/dev/null
	run grep -c intruder /etc/netns/idh.b/hosts
	assert_output 0
	sed -i 's|192.0.2.2/24|192.0.2.3/24|' "$f"
	run_n lab apply --prune "$f"
	assert_success
	run_n exec idh.a getent hosts b
	assert_output "192.0.2.3       b-eth0 b b.idh"
	run_n lab diff "$f"
	assert_success
}

@test "hosts files: a file the lab did not write is never overwritten; nothing is made" {
	hosts_lab
	mkdir -p /etc/netns/idh.b
	echo "192.0.2.99 mine" > /etc/netns/idh.b/hosts
	run_n lab apply "$BATS_TEST_TMPDIR/idh.yaml"
	assert_equal "$status" 1
	assert_one_error_line "$err"
	assert_equal "$err" "netnsctl: $BATS_TEST_TMPDIR/idh.yaml:5:3: hosts file \"/etc/netns/idh.b/hosts\" exists, not written by the lab (no marker line): lab \"idh\" does not overwrite it"
	assert_equal "$(cat /etc/netns/idh.b/hosts)" "192.0.2.99 mine"
	assert_equal "$(ns_names)" ""
	[ ! -e /etc/netns/idh.a ]
	run_n lab diff "$BATS_TEST_TMPDIR/idh.yaml"
	assert_equal "$status" 1
	assert_output --partial "idh.b: hosts in the way: not written by the lab (no marker line)"
	# a symlink there is not followed, not replaced
	rm /etc/netns/idh.b/hosts
	ln -s /etc/hostname /etc/netns/idh.b/hosts
	run_n lab apply "$BATS_TEST_TMPDIR/idh.yaml"
	assert_equal "$status" 1
	[ -L /etc/netns/idh.b/hosts ]
	assert_equal "$(ns_names)" ""
}

@test "hosts files: removed on prune and on destroy, other files of the node kept" {
	hosts_lab
	local f=$BATS_TEST_TMPDIR/idh.yaml g=$BATS_TEST_TMPDIR/idh-a.yaml
	sed -e '/^  b: {}$/d' -e '/^links:/,$d' "$f" > "$g"
	"$N" lab apply "$f" >/dev/null
	echo "nameserver 192.0.2.53" > /etc/netns/idh.a/resolv.conf
	run_n lab diff --prune "$g"
	assert_output --partial "idh.b: extra hosts /etc/netns/idh.b/hosts (made by the lab)"
	run_n lab apply --prune "$g"
	assert_success
	[ ! -e /etc/netns/idh.b ]
	run grep -c 192.0.2.2 /etc/netns/idh.a/hosts
	assert_output 0
	"$N" lab apply "$f" >/dev/null
	[ -e /etc/netns/idh.b/hosts ]
	run_n lab destroy idh
	assert_success
	[ ! -e /etc/netns/idh.b ]
	[ ! -e /etc/netns/idh.a/hosts ]
	assert_equal "$(cat /etc/netns/idh.a/resolv.conf)" "nameserver 192.0.2.53"
}

@test "hosts files inside run: seen by the command, gone with the world" {
	hosts_lab
	run_n run "$BATS_TEST_TMPDIR/idh.yaml" -- sh -c '"$0" exec idh.a getent hosts b' "$N"
	assert_success
	assert_output "192.0.2.2       b-eth0 b b.idh"
	[ -z "$(ls -A /etc/netns)" ]
}

uts_lab() {
	lab_file idu <<'EOF'
version: 1
name: idu
defaults: {hostname: true}
nodes:
  a:
    exec: ["hostname > /run/idu-exec.out"]
    services:
      s: {cmd: "hostname > /run/idu-svc.out; exec sleep 1000"}
  b: {}
links:
  - a: {node: a, ifname: eth0, addresses: [192.0.2.1/24]}
    b: {node: b, ifname: eth0, addresses: [192.0.2.2/24]}
ready:
  - {from: b, cmd: 'test "$(hostname)" = b'}
EOF
}

@test "defaults.hostname: each node its own hostname, for exec, lab exec, exec commands, services, ready" {
	uts_lab
	rm -f /run/idu-exec.out /run/idu-svc.out
	run_n lab apply "$BATS_TEST_TMPDIR/idu.yaml"
	assert_success
	run_n exec idu.a hostname
	assert_output a
	run_n lab exec idu b hostname
	assert_output b
	assert_equal "$(cat /run/idu-exec.out)" a
	wait_for 200 test -s /run/idu-svc.out
	assert_equal "$(cat /run/idu-svc.out)" a
	# ip netns exec enters the network namespace only
	assert_equal "$(ip netns exec idu.a hostname)" "$(hostname)"
	# our own hostname is untouched
	[ "$(hostname)" != a ]
	run records idu uts
	assert_output $'uts idu.a uts\nuts idu.b uts'
	assert_equal "$(mounts_at "$STATE/idu/uts/a")" 1
	run_n lab diff "$BATS_TEST_TMPDIR/idu.yaml"
	assert_success
}

@test "defaults.hostname: turned off, pruned; destroy leaves no UTS mount or file" {
	uts_lab
	local f=$BATS_TEST_TMPDIR/idu.yaml g=$BATS_TEST_TMPDIR/idu-off.yaml
	sed -e '/^defaults:/d' -e '/^ready:/,$d' "$f" > "$g"
	"$N" lab apply "$f" >/dev/null
	run_n lab diff "$g"
	assert_equal "$status" 1
	grep -qxF "idu.a: extra hostname a (made by the lab)" <<<"$output"
	run_n lab apply --prune "$g"
	assert_success
	assert_equal "$(mounts_at "$STATE/idu/uts/a")" 0
	run_n exec idu.a hostname
	assert_output "$(hostname)"
	"$N" lab apply "$f" >/dev/null
	run_n exec idu.b hostname
	assert_output b
	run_n lab destroy idu
	assert_success
	run grep -c " $STATE/" /proc/self/mountinfo
	assert_output 0
	[ ! -e "$STATE/idu" ]
}

@test "defaults.hostname: a stale UTS file (its mount gone) is made again" {
	uts_lab
	"$N" lab apply "$BATS_TEST_TMPDIR/idu.yaml" >/dev/null
	umount "$STATE/idu/uts/b"
	run_n lab diff "$BATS_TEST_TMPDIR/idu.yaml"
	assert_equal "$status" 1
	assert_output "idu.b: missing hostname b"
	"$N" lab apply "$BATS_TEST_TMPDIR/idu.yaml" >/dev/null
	run_n exec idu.b hostname
	assert_output b
}

@test "defaults.hostname and mac: bad values refused, nothing made" {
	local v
	for v in 3 '"true"' yes '[true]'; do
		printf 'version: 1\nname: idu\ndefaults: {hostname: %s}\nnodes:\n  a: {}\n' "$v" |
			lab_file bad
		run_n lab apply "$BATS_TEST_TMPDIR/bad.yaml"
		assert_equal "$status" 2
		assert_one_error_line "$err"
		[[ $err == *"bad.yaml:3:"*"hostname"* ]]
	done
	assert_equal "$(ns_names)" ""
	[ ! -e "$STATE/idu" ]
}

@test "inside run: the command's exec and lab exec enter the node's hostname, see its hosts file" {
	uts_lab
	run_n run "$BATS_TEST_TMPDIR/idu.yaml" -- sh -c '
		"$0" exec idu.a hostname
		"$0" lab exec idu b hostname
		"$0" exec idu.a getent hosts b' "$N"
	assert_success
	assert_equal "$output" "$(printf 'a\nb\n192.0.2.2       b-eth0 b b.idu')"
	[ -z "$(ls -A /etc/netns)" ]
	[ ! -e "$STATE/idu" ]
}


# apply killed at $1 #$2: the next apply converges, destroy leaves nothing
killed_converges() {
	local f=$BATS_TEST_TMPDIR/idu.yaml
	# one thread: the counts of the syscalls do not depend on the CPUs
	kill_at "$1" "$2" --jobs 1 lab apply --no-ready "$f" || return 1
	"$N" lab apply --no-ready "$f" >/dev/null
	[ "$("$N" lab apply --no-ready "$f")" = "idu: up to date" ] || { echo "$1#$2"; return 1; }
	[ "$("$N" exec idu.b hostname)" = b ]
	grep -q "^192.0.2.1	a-eth0 a a.idu$" /etc/netns/idu.b/hosts
	"$N" lab destroy --kill idu >/dev/null
	[ -z "$(ls -A /etc/netns)" ] || { echo "$1#$2: $(ls -A /etc/netns)"; return 1; }
	[ "$(grep -c " $STATE/" /proc/self/mountinfo)" = 0 ] || { echo "$1#$2: a mount"; return 1; }
	[ ! -e "$STATE/idu" ]
}

@test "apply killed while it writes hosts files or mounts UTS namespaces: the next converges" {
	command -v strace >/dev/null || skip "strace is missing (scripts/install-deps)"
	uts_lab
	local i
	# the hosts files' temp files renamed into place (and the state's)
	for i in 1 2 3 4; do killed_converges renameat "$i"; done
	# the directories: hosts files' and the UTS namespaces'
	for i in 1 2 3 4; do killed_converges mkdirat "$i"; done
	# a UTS namespace named before it is mounted (strace counts a syscall
	# per thread: each is made by a thread of its own, so the first)
	killed_converges sethostname 1
	# the journal's intents and records, the state file
	# (before apply starts the supervisor: strace -f would wait for it)
	for i in 4 8 12 16 20; do killed_converges write "$i"; done
}
