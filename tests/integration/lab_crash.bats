#!/usr/bin/env bats
# kill -9 anywhere in lab apply or lab destroy: the next run adopts what
# the killed one made, removes what it half-made, and the lab converges;
# destroy leaves nothing. The exhaustive version is tests/stress/lab-kill
# --long; here a sample of its kill points, bounded in count.

load helpers
load kill_at

KILL=$BATS_TEST_DIRNAME/../stress/lab-kill

setup() {
	command -v strace >/dev/null || skip "strace is missing (scripts/install-deps)"
}

applies_cleanly() {
	run_n lab apply --no-ready "$EX/demo.yaml"
	assert_success
	run_n lab apply --no-ready "$EX/demo.yaml"
	assert_success
	assert_equal "$output" "demo: up to date"
	run_n lab destroy demo
	assert_success
	assert_equal "$err" ""
	assert_equal "$(ns_names)" ""
	[ ! -e "$STATE/demo" ]
}

@test "apply killed between making a namespace and recording it: the next apply adopts it" {
	# the issue's: the 3rd write is the intent of the first namespace's
	# record, made durable before the namespace exists
	kill_at write 3 lab apply --no-ready "$EX/demo.yaml"
	applies_cleanly
	# killed in the helper thread that makes the first namespace
	kill_at clone3 1 lab apply --no-ready "$EX/demo.yaml"
	applies_cleanly
	# killed after the name file, before the mount: a stale name, removed
	kill_at mount 1 lab apply --no-ready "$EX/demo.yaml"
	applies_cleanly
}

@test "apply killed after making a veth, before marking it: the next apply remakes it" {
	local n
	# the netlink requests in turn (the 5th makes the bridge, the 8th the
	# first veth, the 9th asks for its index, the 10th marks it)
	for n in 6 9 10 11 12 15 18 21; do
		kill_at sendto "$n" lab apply --no-ready "$EX/demo.yaml"
		run_n lab apply --no-ready "$EX/demo.yaml"
		assert_success
		run_n lab apply --no-ready "$EX/demo.yaml"
		assert_equal "$output" "demo: up to date"
		# nothing the lab does not own: every link carries its marker
		run_n lab destroy demo
		assert_success
		assert_equal "$err" ""
	done
	assert_equal "$(ns_names)" ""
}

@test "destroy killed between unmounting and unlinking: a second destroy removes the name" {
	"$N" lab apply --no-ready "$EX/demo.yaml" >/dev/null
	# the 1st unlinkat is the journal's (destroy marks the state incomplete
	# first), the 2nd to 10th the 3 nodes' hosts files (a temp file, the
	# file, its directory), the 11th the first namespace's name, after its
	# unmount
	kill_at unlinkat 11 lab destroy demo
	# one name left with nothing on it
	[ -e "$RD/demo.r1" ]
	run_n lab destroy demo
	assert_success
	assert_equal "$err" ""
	assert_equal "$(ns_names)" ""
	[ ! -e "$STATE/demo" ]
	applies_cleanly
}

@test "destroy killed after removing the state: a second destroy removes what is left" {
	"$N" lab apply --no-ready "$EX/demo.yaml" >/dev/null
	# the journal's, 9 for the hosts files, the 4 names', the state's, then
	# the journal's again
	kill_at unlinkat 16 lab destroy demo
	[ -d "$STATE/demo" ] && [ ! -e "$STATE/demo/state" ]
	run_n lab destroy demo
	assert_equal "$(ns_names)" ""
	[ ! -e "$STATE/demo" ]
	applies_cleanly
}

# Each lab-kill test bounded by its count of kill points (under ASan on a
# busy machine a kill point costs a few seconds): --long does them all.
# bats test_tags=stress
@test "lab-kill: apply killed at every 8th write, sendto, fdatasync converges" {
	run "$KILL" --only apply --every 8 --calls "write sendto fdatasync"
	echo "$output"
	assert_success
	assert_line ok
}

# bats test_tags=stress
@test "lab-kill: apply killed at every 2nd mount, unshare, clone, mkdir, unlink, rename converges" {
	run "$KILL" --only apply --every 2 --calls "mount unshare clone clone3 mkdir unlinkat renameat setns"
	echo "$output"
	assert_success
	assert_line ok
}

# bats test_tags=stress
@test "lab-kill: destroy killed at every 3rd step of each syscall converges" {
	run "$KILL" --only destroy --every 3
	echo "$output"
	assert_success
	assert_line ok
}

# bats test_tags=stress
@test "lab-kill: apply and destroy killed at random times converge" {
	run "$KILL" --only random --random 4
	echo "$output"
	assert_success
	assert_line ok
}
