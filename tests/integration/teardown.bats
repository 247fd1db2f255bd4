#!/usr/bin/env bats
# Teardowns of many namespaces at once (delete --all, delete of several
# names, lab destroy: nsc_ns_delete_many, the unmounts side by side): each
# name gets what a delete of it alone gets, holders counted or killed,
# foreign and odd names reported, and a kill -9 in the middle leaves what
# the next run completes.

load helpers
load kill_at

# add NAME1 .. NAMEn in one batch: many NAME COUNT
many() {
	local i
	for i in $(seq 1 "$2"); do echo "add $1$i"; done > "$BATS_TEST_TMPDIR/add.batch"
	"$N" -b "$BATS_TEST_TMPDIR/add.batch"
}

# A lab of COUNT nodes with a link each to a bridge: big_lab NAME COUNT
big_lab() {
	local i
	{
		echo "version: 1"
		echo "name: $1"
		echo "nodes:"
		for i in $(seq 1 "$2"); do
			echo "  n$i: {routes: [{to: default, via: 198.18.0.1}]}"
		done
		echo "  gw: {}"
		echo "bridges:"
		echo "  sw: {}"
		echo "links:"
		echo "- {a: {node: gw, ifname: eth0, addresses: [198.18.0.1/15]}, b: {bridge: sw}}"
		for i in $(seq 1 "$2"); do
			echo "- {a: {node: n$i, ifname: eth0, addresses: [198.18.$((i / 250)).$((i % 250 + 2))/15]}, b: {bridge: sw}}"
		done
	} | lab_file "$1"
}

@test "delete --all with a process in one of 40 namespaces: every name goes, one warning for it" {
	many n 40
	ip netns exec n17 sleep 60 3>&- &
	local pid=$!
	wait_for 100 has_pids n17
	run_n delete --all
	assert_success
	assert_equal "$output" ""
	assert_equal "$err" 'netnsctl: warning: delete "n17": 1 process still inside keeps the namespace alive'
	assert_equal "$(ns_names)" ""
	[ "$(mounts_at "$RD")" -eq 1 ]
	kill "$pid"
	wait_pids "$pid" || true
}

@test "delete --all --kill: the processes of the held namespaces end, every name goes, no warning" {
	many n 40
	ip netns exec n3 sleep 60 3>&- &
	local p1=$!
	ip netns exec n38 sleep 60 3>&- &
	local p2=$!
	wait_for 100 has_pids n3
	wait_for 100 has_pids n38
	run_n delete --kill=1 --all
	assert_success
	assert_equal "$err" ""
	assert_equal "$(ns_names)" ""
	# ended by the delete, not by us
	wait_pids "$p1" "$p2" && false || true
	! kill -0 "$p1" 2>/dev/null
	! kill -0 "$p2" 2>/dev/null
}

@test "delete --all among many live names: a stale name goes, a symlink and a directory are refused, exit 1" {
	many n 30
	touch "$RD/stale"
	ln -s n1 "$RD/link"
	mkdir "$RD/dir"
	run_n delete --all
	assert_failure 1
	assert_equal "$err" 'netnsctl: delete "dir": not a namespace name file (not a regular file)
netnsctl: delete "link": not a namespace name file (a symbolic link)'
	assert_equal "$(ns_names)" "dir link"
	[ -d "$RD/dir" ] && [ -L "$RD/link" ]
	[ "$(mounts_at "$RD")" -eq 1 ]
	rmdir "$RD/dir"         # clean_all leaves directories
}

@test "delete of many names, some missing: the others go, each missing one reported in order, exit 1" {
	many n 20
	run_n delete n1 nope1 n2 n3 n4 n5 n6 n7 n8 n9 n10 n11 nope2 n12 n13 n14 n15 n16 n17 n18 n19
	assert_failure 1
	assert_equal "$err" 'netnsctl: delete "nope1": no such namespace
netnsctl: delete "nope2": no such namespace'
	assert_equal "$(ns_names)" "n20"
	# a name twice: the second finds it gone
	run_n delete n20 n20
	assert_failure 1
	assert_equal "$err" 'netnsctl: delete "n20": no such namespace'
	assert_equal "$(ns_names)" ""
}

@test "delete --kill of many names, the caller's own among them: refused for it, the others go" {
	many n 12
	run_n exec n5 "$N" delete --kill=1 n1 n2 n3 n4 n5 n6 n7 n8 n9 n10 n11 n12
	assert_failure 1
	assert_equal "$err" "netnsctl: delete \"n5\": refusing --kill: it is this process's own network namespace"
	assert_equal "$(ns_names)" "n5"
}

@test "delete --wait of several names: each awaited, as one by one" {
	many n 10
	run_n delete --wait=60 n1 n2 n3 n4 n5 n6 n7 n8 n9 n10
	assert_success
	assert_equal "$err" ""
	assert_equal "$(ns_names)" ""
}

@test "lab destroy of 50 nodes, one node's namespace held: all go, the process counted" {
	big_lab big 50
	"$N" lab apply --no-ready "$BATS_TEST_TMPDIR/big.yaml" >/dev/null
	ip netns exec big.n40 sleep 60 3>&- &
	local pid=$!
	wait_for 100 has_pids big.n40
	run_n lab destroy big
	assert_success
	assert_equal "$output" "big: destroyed (52 namespaces)"
	assert_equal "$err" 'netnsctl: warning: lab "big": 1 process still inside keeps its namespaces alive'
	assert_equal "$(ns_names)" ""
	[ ! -e "$STATE/big" ]
	[ -z "$(ls /etc/netns)" ]
	kill "$pid"
	wait_pids "$pid" || true
}

@test "lab destroy --kill of 50 nodes: the process inside a node ends, no warning" {
	big_lab big 50
	"$N" lab apply --no-ready "$BATS_TEST_TMPDIR/big.yaml" >/dev/null
	ip netns exec big.n7 sleep 60 3>&- &
	local pid=$!
	wait_for 100 has_pids big.n7
	run_n lab destroy --kill big
	assert_success
	assert_equal "$output" "big: destroyed (52 namespaces)"
	assert_equal "$err" ""
	! kill -0 "$pid" 2>/dev/null
	assert_equal "$(ns_names)" ""
}

@test "lab destroy of 50 nodes: namespaces replaced by foreign ones since the apply are left alone" {
	big_lab big 50
	"$N" lab apply --no-ready "$BATS_TEST_TMPDIR/big.yaml" >/dev/null
	ip netns del big.n3
	ip netns add big.n3
	ip netns del big.n45
	ip netns add big.n45
	ip netns add big.extra
	local i3 i45
	i3=$(stat -L -c %i "$RD/big.n3")
	i45=$(stat -L -c %i "$RD/big.n45")
	run_n lab destroy big
	assert_success
	assert_equal "$output" "big: destroyed (50 namespaces)"
	assert_equal "$err" 'netnsctl: warning: big.n3: left alone: replaced since the lab made it
netnsctl: warning: big.n45: left alone: replaced since the lab made it
netnsctl: warning: big.extra: left alone: not made by the lab'
	assert_equal "$(ns_names)" "big.extra big.n3 big.n45"
	[ "$(stat -L -c %i "$RD/big.n3")" = "$i3" ]
	[ "$(stat -L -c %i "$RD/big.n45")" = "$i45" ]
	[ ! -e "$STATE/big" ]
}

@test "lab destroy fails on a name made a symlink: what went is forgotten, the next destroy completes" {
	big_lab big 50
	"$N" lab apply --no-ready "$BATS_TEST_TMPDIR/big.yaml" >/dev/null
	ip netns add other
	umount "$RD/big.n20"
	rm "$RD/big.n20"
	ln -s other "$RD/big.n20"
	run_n lab destroy big
	assert_failure 1
	assert_one_error_line "$err"
	assert_output ""
	[[ "$err" == *'"big.n20": not a namespace name file (a symbolic link)'* ]]
	# the other namespaces are the lab's still, or gone and forgotten
	[ -e "$STATE/big/state" ]
	! grep -q "^ns big.n20 " "$STATE/big/state" || true
	for n in $(ns_names); do
		case $n in other|big.n20) ;;
		big.*) grep -q "^ns $n " "$STATE/big/state" ;;
		esac
	done
	[ -L "$RD/big.n20" ]
	rm "$RD/big.n20"
	run_n lab destroy big
	assert_success
	assert_equal "$err" ""
	assert_equal "$(ns_names)" "other"
	[ ! -e "$STATE/big" ]
}

# bats test_tags=stress
@test "lab destroy of 50 nodes killed in its unmounts or before forgetting them: the next destroy completes" {
	command -v strace >/dev/null || skip "strace is missing (scripts/install-deps)"
	local at
	for at in umount2:1 umount2:3 unlinkat:30 write:2 write:3; do
		big_lab big 50
		"$N" lab apply --no-ready "$BATS_TEST_TMPDIR/big.yaml" >/dev/null
		kill_at "${at%%:*}" "${at##*:}" lab destroy big
		run_n lab destroy big
		assert_success
		assert_equal "$err" ""
		assert_equal "$(ns_names)" ""
		[ ! -e "$STATE/big" ]
		[ -z "$(ls /etc/netns)" ] || { echo "after a kill at $at, left in /etc/netns:"; ls -laR /etc/netns; false; }
	done
}
