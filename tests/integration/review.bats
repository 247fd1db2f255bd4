#!/usr/bin/env bats
# Defects found by a line-by-line review of the parallel batch, the maker
# thread, the lab's hosts files and UTS namespaces: one test each, written
# to fail before its fix.

load helpers

B=/run/review.batch

teardown() {
	local l m
	for l in rvh r rvu; do
		"$N" lab destroy --kill "$l" >/dev/null 2>&1 || true
	done
	# a UTS mount a failed test left in the state dir
	awk '$5 ~ "^/run/netnsctl/" {print $5}' /proc/self/mountinfo | while read -r m; do
		umount -l "$m" 2>/dev/null || true
	done
	clean_all
}

# In a user namespace that does not own the sandbox's network namespace,
# setns() back home fails, so namespaces are made on the context's maker
# thread, which sits in the last one it made. An attach between must not
# make it forget where it sits: a delete of that namespace must free it.
@test "maker: an attach after an add, then delete --wait of the add frees it" {
	unshare -U -r true || skip "no user namespaces here"
	run unshare -U -r -m --propagation private sh -c '
		mount -t tmpfs none "$1" || exit
		sleep 300 3>&- &
		printf "%s\n" "add C" "add A" "-n C veth add y peer x netns A" \
			"attach B $!" "delete --wait=120 A" >"$3"
		"$2" --jobs 1 --run-dir "$1" -b "$3"
		status=$?
		kill $!
		exit $status
	' sh "$BATS_TEST_TMPDIR" "$N" "$B"
	assert_success
	assert_output ""
}

# With -n NS before -b, a line without its own -n acts in NS: its lane is
# NS's, the same as a line's that names NS with `netns NS`, so the two keep
# the file's order (p1 is made by the first line, used by the second).
@test "-b --jobs 2 with a global -n: a line and one naming the same namespace keep their order" {
	local i
	"$N" add hub $(seq -f 'leaf%g' 1 20)
	"$N" -n hub link add br0 type bridge
	for i in $(seq 1 20); do
		echo "-n leaf$i veth add e0 peer p$i netns hub"
		echo "link set p$i master br0 up"
	done >"$B"
	run_n -n hub --jobs 2 -b "$B"
	[ "$status" = 0 ] || { echo "$err"; false; }
	[ -z "$err" ]
	[ "$(ip -n hub -o link show master br0 | wc -l)" = 20 ]
}

rvh_lab() {
	lab_file rvh <<'YAML'
version: 1
name: rvh
nodes:
  a: {}
  b: {}
links:
  - a: {node: a, ifname: eth0, addresses: [192.0.2.1/24]}
    b: {node: b, ifname: eth0, addresses: [192.0.2.2/24]}
YAML
}

# A node's directory under /etc/netns that is a symlink is not the lab's:
# nothing is read, removed or written through it, even when the file it
# leads to carries the lab's marker (a copy someone keeps elsewhere).
@test "hosts files: a node directory that is a symlink is never gone through" {
	rvh_lab
	"$N" lab apply "$BATS_TEST_TMPDIR/rvh.yaml" >/dev/null
	mkdir /etc/netns/keep
	cp /etc/netns/rvh.b/hosts /etc/netns/keep/hosts
	rm -r /etc/netns/rvh.b
	ln -s keep /etc/netns/rvh.b
	run_n lab destroy rvh
	assert_success
	[ -L /etc/netns/rvh.b ]
	[ -f /etc/netns/keep/hosts ]
	[ ! -e /etc/netns/rvh.a ]
	# and apply says it is in the way, changing nothing
	echo "# netnsctl" >/etc/netns/keep/hosts
	run_n lab apply "$BATS_TEST_TMPDIR/rvh.yaml"
	assert_equal "$status" 1
	assert_one_error_line "$err"
	assert_equal "$(cat /etc/netns/keep/hosts)" "# netnsctl"
	assert_equal "$(ns_names)" ""
	rm -r /etc/netns/keep /etc/netns/rvh.b
}

# A node's namespace name may take all of NAME_MAX (lab/check.c allows it):
# its hosts file's temp name must still be a valid name, and its lines
# must hold every name whole.
@test "hosts files: a node whose namespace name is NAME_MAX long gets its hosts file" {
	local node
	node=$(printf 'n%.0s' $(seq 1 253))
	lab_file r <<YAML
version: 1
name: r
nodes:
  $node: {}
  b: {}
links:
  - a: {node: $node, ifname: eth0123456789ab, addresses: [192.0.2.1/24]}
    b: {node: b, ifname: eth0, addresses: [192.0.2.2/24]}
YAML
	run_n lab apply "$BATS_TEST_TMPDIR/r.yaml"
	assert_success
	run grep -c "b-eth0" "/etc/netns/r.$node/hosts"
	assert_output 1
	run grep -cx "192.0.2.1	$node-eth0123456789ab $node $node.r" "/etc/netns/r.b/hosts"
	assert_output 1
	[ -z "$(find /etc/netns -maxdepth 1 -name '.*.tmp')" ]
	run_n lab destroy r
	assert_success
	[ ! -e "/etc/netns/r.$node" ]
}

# defaults.hostname makes each node's name its hostname, which the kernel
# bounds at 64 bytes: a longer one is bad input, said before anything is made.
@test "defaults.hostname: a node name too long for a hostname is refused, nothing made" {
	local node
	node=$(printf 'h%.0s' $(seq 1 65))
	lab_file rvu <<YAML
version: 1
name: rvu
defaults: {hostname: true}
nodes:
  $node: {}
  b: {}
YAML
	run_n lab validate "$BATS_TEST_TMPDIR/rvu.yaml"
	assert_equal "$status" 2
	assert_one_error_line "$err"
	[[ "$err" == "netnsctl: $BATS_TEST_TMPDIR/rvu.yaml:5:3: node \"hhh"*'" is 65 bytes long, too long for a hostname (defaults.hostname: at most 64)' ]]
	run_n lab apply "$BATS_TEST_TMPDIR/rvu.yaml"
	assert_equal "$status" 2
	assert_one_error_line "$err"
	assert_equal "$(ns_names)" ""
	# 64 is fine
	sed -i "s/$node/${node:1}/" "$BATS_TEST_TMPDIR/rvu.yaml"
	run_n lab apply "$BATS_TEST_TMPDIR/rvu.yaml"
	assert_success
	run_n lab exec rvu "${node:1}" hostname
	assert_output "${node:1}"
	"$N" lab destroy rvu >/dev/null
}
