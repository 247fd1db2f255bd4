#!/usr/bin/env bats
# add, attach, delete, list, identify, pids, and interop with ip netns.

load helpers

@test "add makes a namespace ip netns sees and uses, with loopback up" {
	run_n add ns1
	assert_success
	[ -z "$err" ]
	run ip netns list
	assert_output "ns1"
	run ip -n ns1 -j link show lo
	assert_success
	[ "$(echo "$output" | jq -r '.[0].flags | index("UP") != null')" = true ]
	run ip netns exec ns1 ping -c1 -W2 127.0.0.1
	assert_success
}

@test "add --lo-down leaves loopback down" {
	run_n add --lo-down ns1
	assert_success
	run ip -n ns1 -j link show lo
	[ "$(echo "$output" | jq -r '.[0].flags | index("UP") == null')" = true ]
}

@test "add of several names, one existing: the others are made, exit 1" {
	"$N" add b
	run_n add a b c
	assert_equal "$status" 1
	assert_one_error_line "$err"
	assert_equal "$err" 'netnsctl: add "b": namespace already exists'
	run "$N" list
	assert_output $'a\nb\nc'
}

@test "add of an existing name says it exists and leaves it working" {
	"$N" add ns1
	run_n add ns1
	assert_equal "$status" 1
	[[ $err == *"already exists"* ]]
	ip netns exec ns1 true
}

@test "add: bad names are usage errors and nothing is made" {
	for name in "" . .. a/b ../escape -x "$(printf 'a\tb')" "$(printf '%0256d' 0)"; do
		run_n add ok1 "$name"
		assert_equal "$status" 2
		assert_one_error_line "$err"
	done
	run ls -A /run/netns
	assert_output ""
	[ ! -e /run/escape ]
}

@test "add makes the run dir a shared mount point, once, even in parallel" {
	pids=()
	for i in $(seq 1 20); do "$N" add "p$i" 3>&- & pids+=($!); done
	wait_pids "${pids[@]}"
	run "$N" list
	[ "$(echo "$output" | wc -l)" -eq 20 ]
	# one mount on the run dir itself, not a stack
	[ "$(grep -c ' /run/netns ' /proc/self/mountinfo)" -eq 1 ]
	grep ' /run/netns ' /proc/self/mountinfo | grep -q shared:
}

@test "--run-dir and NETNSCTL_RUN_DIR move the run dir" {
	run_n --run-dir /run/other add x
	assert_success
	[ -e /run/other/x ]
	NETNSCTL_RUN_DIR=/run/other run "$N" list
	assert_output "x"
	run "$N" list
	assert_output ""
	run_n --run-dir relative list
	assert_equal "$status" 2
	"$N" --run-dir /run/other delete x
}

@test "list: sorted, ids, stale names, JSON" {
	"$N" add zeta alpha mid
	ip netns set mid 7
	touch /run/netns/old
	run "$N" list
	assert_output $'alpha\nmid (id: 7)\nold (stale)\nzeta'
	run "$N" -j list
	assert_success
	assert_equal "$(echo "$output" | jq -c .)" \
		'[{"name":"alpha"},{"name":"mid","id":7},{"name":"old","stale":true},{"name":"zeta"}]'
	run "$N" -j -p list
	echo "$output" | jq -e 'length == 4'
	[ "$(echo "$output" | wc -l)" -gt 4 ]
}

@test "list with no run dir prints nothing and succeeds" {
	run_n --run-dir /run/none list
	assert_success
	assert_output ""
	run_n --run-dir /run/none -j list
	assert_output "[]"
}

@test "list: extra argument is a usage error" {
	run_n list extra
	assert_equal "$status" 2
	assert_one_error_line "$err"
}

@test "namespaces made by ip netns add work with netnsctl, and ours with ip" {
	ip netns add theirs
	"$N" add ours
	run "$N" list
	assert_output $'ours\ntheirs'
	run "$N" exec theirs ip -br link show lo
	assert_success
	run ip netns exec ours ip -br link show lo
	assert_success
	ip netns delete ours
	"$N" delete theirs
	run ip netns list
	assert_output ""
	run ls -A /run/netns
	assert_output ""
}

@test "delete removes name and mount; delete of a missing name exits 1" {
	"$N" add ns1
	run_n delete ns1
	assert_success
	[ ! -e /run/netns/ns1 ]
	! grep -q ' /run/netns/ns1 ' /proc/self/mountinfo
	run_n delete ns1
	assert_equal "$status" 1
	assert_equal "$err" 'netnsctl: delete "ns1": no such namespace'
	run_n del
	assert_equal "$status" 2
}

@test "delete of several names goes on past a missing one, exit 1" {
	"$N" add a c
	run_n delete a b c
	assert_equal "$status" 1
	assert_one_error_line "$err"
	run "$N" list
	assert_output ""
}

@test "delete --all removes every name, stale ones too" {
	"$N" add a b
	ip netns add c
	touch /run/netns/stale
	run_n delete --all
	assert_success
	run ls -A /run/netns
	assert_output ""
	run_n delete --all x
	assert_equal "$status" 2
}

@test "delete warns about processes still inside, and exits 0" {
	"$N" add busy
	ip netns exec busy sleep 30 3>&- &
	pid=$!
	wait_for 40 has_pids busy
	run_n delete busy
	assert_success
	[[ $err == *'1 process still inside'* ]]
	kill "$pid"; wait "$pid" || true
}

@test "delete refuses a symlink and never follows it" {
	mkdir -p /run/target
	touch /run/target/victim
	ln -s /run/target/victim /run/netns/evil
	run_n delete evil
	assert_equal "$status" 1
	[[ $err == *"symbolic link"* ]]
	[ -e /run/target/victim ]
	run_n exec evil true
	assert_equal "$status" 125
	run "$N" list
	assert_output "evil (stale)"
}

@test "attach names the namespace of a running process" {
	unshare --net sleep 30 3>&- &
	pid=$!
	wait_for 40 in_other_ns "$pid" net
	run_n attach att "$pid"
	assert_success
	run "$N" identify "$pid"
	assert_output "att"
	run "$N" pids att
	assert_output "$pid"
	kill "$pid"; wait "$pid" || true
	run_n attach att2 9999999999
	assert_equal "$status" 2
	run_n attach att2 4000000
	assert_equal "$status" 1
	[ ! -e /run/netns/att2 ]
	run_n attach att2
	assert_equal "$status" 2
}

@test "identify prints every name of the namespace, self by default" {
	"$N" add a
	"$N" attach b "$$"
	run "$N" identify
	assert_output "b"
	run "$N" exec a "$N" identify
	assert_output "a"
	run "$N" -j exec a "$N" -j identify
	assert_output '["a"]'
	run_n identify notapid
	assert_equal "$status" 2
}

@test "pids lists processes inside; JSON; missing and stale names fail" {
	"$N" add p
	run "$N" pids p
	assert_output ""
	ip netns exec p sleep 30 3>&- &
	pid=$!
	wait_for 40 has_pids p
	run "$N" -j pids p
	echo "$output" | jq -e "length == 1"
	kill "$pid"; wait "$pid" || true
	run_n pids nope
	assert_equal "$status" 1
	touch /run/netns/st
	run_n pids st
	assert_equal "$status" 1
	[[ $err == *stale* ]]
}

@test "stale names: shown, refused by exec, removed by delete" {
	touch /run/netns/gone
	run "$N" list
	assert_output "gone (stale)"
	run_n exec gone true
	assert_equal "$status" 125
	assert_one_error_line "$err"
	run_n delete gone
	assert_success
	[ ! -e /run/netns/gone ]
}

@test "a file with another namespace type mounted on it is not a netns" {
	mkdir -p /run/netns
	touch /run/netns/uts
	unshare --uts sleep 30 3>&- &
	pid=$!
	wait_for 40 in_other_ns "$pid" uts
	mount --bind /proc/$pid/ns/uts /run/netns/uts
	run "$N" list
	assert_output "uts (stale)"
	run_n exec uts true
	assert_equal "$status" 125
	kill "$pid"; wait "$pid" || true
}

@test "-n is refused by commands that take no namespace" {
	for cmd in add list delete identify pids exec attach; do
		run_n -n x "$cmd" a
		[ "$status" -eq 2 ] || [ "$status" -eq 125 ]
		assert_one_error_line "$err"
	done
}

@test "help, version, unknown commands and options" {
	run "$N" --help
	assert_success
	assert_output --partial "Usage: netnsctl"
	for cmd in add attach delete list identify pids exec; do
		run "$N" "$cmd" --help
		assert_success
		assert_output --partial "Usage: netnsctl $cmd"
	done
	run "$N" -V
	assert_output --regexp '^netnsctl [0-9]+\.[0-9]+'
	run_n frobnicate
	assert_equal "$status" 2
	assert_one_error_line "$err"
	run_n ad x
	assert_equal "$status" 2
	run_n --bogus list
	assert_equal "$status" 2
	run_n
	assert_equal "$status" 2
}
