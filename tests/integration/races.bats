#!/usr/bin/env bats
# Races: parallel adds and deletes, adds in flight against deletes, delete
# --wait against the kernel's asynchronous teardown (kills and faults at
# every step are in kill.bats). Every figure printed with "# races:" is
# collected for the hardening report.

load helpers
load races

# bats test_tags=stress
@test "parallel first adds of 40 names: all live, run dir mounted once, no name mounted twice" {
	for round in 1 2 3; do
		no_run_dir
		pids=()
		for i in $(seq 1 40); do "$N" add "p$i" 3>&- & pids+=($!); done
		wait_pids "${pids[@]}"
		run "$N" list
		[ "$(echo "$output" | wc -l)" -eq 40 ]
		refute_output --partial stale
		[ "$(mounts_at "$RD")" -eq 1 ]
		[ "$(name_mounts)" -eq 40 ]
		grep " $RD " /proc/self/mountinfo | grep -q shared:
		assert_consistent
	done
	echo "# races: 120 parallel first adds" >&3
}

@test "regression: an add that waited for the lock while another mounted the run dir made a stale name" {
	no_run_dir
	# A stops before binding the run dir on itself, holding the lock
	traced strace -f -qq -o /dev/null -e trace=mount \
		-e inject=mount:delay_enter=1500000:when=2 "$N" add A 3>&- &
	a=$!
	wait_for 100 test -d "$RD"
	# B opened the run dir before the mount and waits for the lock
	"$N" add B 3>&- &
	b=$!
	wait_for 100 in_syscall "$b" 73
	[ "$(mounts_at "$RD")" -eq 0 ]   # A has not mounted yet: B's fd is below
	wait_pids "$a" "$b"
	run "$N" list
	assert_output $'A\nB'
	ip netns exec B true
	assert_consistent
}

@test "parallel adds of one name: exactly one wins, the others say it exists, the winner works" {
	for round in 1 2 3 4 5; do
		[ "$round" -eq 1 ] && no_run_dir
		dir=$(mktemp -d)
		at_once "$dir" 30 "$N" add same
		[ "$(cat "$dir"/rc* | grep -c '^0$')" -eq 1 ]
		[ "$(cat "$dir"/rc* | grep -c '^1$')" -eq 29 ]
		[ "$(cat "$dir"/err* | grep -c '^netnsctl: add "same": namespace already exists$')" -eq 29 ]
		[ "$(cat "$dir"/err* | wc -l)" -eq 29 ]
		rm -rf "$dir"
		[ "$(mounts_at "$RD/same")" -eq 1 ]
		run ip -n same -j link show lo
		[ "$(echo "$output" | jq -r '.[0].flags | index("UP") != null')" = true ]
		"$N" exec same ping -c1 -W2 127.0.0.1 >/dev/null
		"$N" delete same
	done
	echo "# races: 150 parallel adds of one name" >&3
}

@test "parallel deletes of one name: exactly one wins, the others say it is gone" {
	for round in 1 2 3 4 5; do
		"$N" add gone
		dir=$(mktemp -d)
		at_once "$dir" 20 "$N" delete gone
		[ "$(cat "$dir"/rc* | grep -c '^0$')" -eq 1 ]
		[ "$(cat "$dir"/err* | grep -c 'no such namespace')" -eq 19 ]
		rm -rf "$dir"
		[ ! -e "$RD/gone" ]
		[ "$(name_mounts)" -eq 0 ]
	done
	echo "# races: 100 parallel deletes of one name" >&3
}

@test "adds and deletes of the same names racing: never a stale name, never a stray mount" {
	"$N" add seed
	for round in 1 2 3 4 5; do
		pids=()
		for i in $(seq 1 12); do
			"$N" add "c$((i % 3))" 2>/dev/null 3>&- & pids+=($!)
			"$N" delete "c$((i % 3))" 2>/dev/null 3>&- & pids+=($!)
		done
		wait_pids "${pids[@]}" || true
		run "$N" list
		refute_output --partial stale
		assert_consistent
	done
	echo "# races: 120 racing add/delete pairs" >&3
}

@test "a name whose add is in flight is not taken for stale: list and delete wait, delete leaves it, the add completes and works" {
	"$N" add other
	# the add stops after creating its name file, before the namespace is mounted on it
	traced strace -f -qq -o /dev/null -e trace=unshare \
		-e inject=unshare:delay_enter=1500000 "$N" add flight 3>&- &
	a=$!
	wait_for 100 test -e "$RD/flight"
	# list sees a name file with nothing mounted: it looks again under the
	# lock, so it waits for the add instead of calling the name stale
	"$N" list >"$BATS_TEST_TMPDIR/list" 3>&- &
	l=$!
	wait_for 100 in_syscall "$l" 73
	errf=$(mktemp)
	"$N" delete flight 2>"$errf" 3>&- &
	d=$!
	# delete must be waiting for the lock while the add still runs
	wait_for 100 in_syscall "$d" 73
	kill -0 "$a"
	[ -e "$RD/flight" ]
	wait_pids "$a" "$l"
	assert_equal "$(cat "$BATS_TEST_TMPDIR/list")" $'flight\nother'
	rc=0
	wait "$d" || rc=$?
	assert_equal "$rc" 1
	assert_equal "$(cat "$errf")" 'netnsctl: delete "flight": its add was still in progress; not deleted'
	rm -f "$errf"
	run "$N" list
	assert_output $'flight\nother'
	"$N" exec flight ip -br link show lo
	ip netns exec flight true
	assert_consistent
}

@test "a real stale name is removed even while another add is in flight" {
	"$N" add base
	touch "$RD/stale1"
	traced strace -f -qq -o /dev/null -e trace=unshare \
		-e inject=unshare:delay_enter=1000000 "$N" add flying 3>&- &
	a=$!
	wait_for 100 test -e "$RD/flying"
	"$N" delete stale1 3>&- &
	d=$!
	wait_for 100 in_syscall "$d" 73
	wait_pids "$a" "$d"
	[ ! -e "$RD/stale1" ]
	run "$N" list
	assert_output $'base\nflying'
	assert_consistent
}

@test "delete --wait frees the veth peer names at once, 50 times over (own and named peer namespaces)" {
	"$N" add other
	for i in $(seq 1 50); do
		"$N" add w
		ip link add vw type veth peer name pw netns w
		ip -n other link add vo type veth peer name po netns w
		run_n delete --wait w
		assert_success
		[ -z "$err" ]
		# the names are free again, right now
		ip link add vw type veth peer name qw
		ip -n other link add vo type veth peer name qo
		ip link del vw
		ip -n other link del vo
	done
	echo "# races: 50 delete --wait + re-create rounds" >&3
}

@test "delete --wait: timeout exits 1 with one line; the name is gone all the same" {
	"$N" add held
	ip link add vh type veth peer name ph netns held
	ip netns exec held sleep 60 3>&- &
	pid=$!
	wait_for 100 has_pids held
	run_n delete --wait=1 held
	assert_equal "$status" 1
	assert_one_error_line "$err"
	assert_equal "$err" 'netnsctl: delete "held": name removed, but the namespace was not freed within 1 s (veth peer "vh" still in this netns); 1 process is still inside'
	[ ! -e "$RD/held" ]
	ip link show vh
	kill "$pid"; wait "$pid" || true
	wait_for 100 bash -c '! ip link show vh'
}

@test "delete --wait with another name for the namespace fails at once: it cannot be freed" {
	"$N" add one
	ip link add v1 type veth peer name p1 netns one
	ip netns exec one sleep 30 3>&- &
	pid=$!
	wait_for 100 has_pids one
	"$N" attach two "$pid"
	kill "$pid"; wait "$pid" || true
	run_n delete --wait=20 one
	assert_equal "$status" 1
	assert_one_error_line "$err"
	[[ $err == *'has 1 other name and will not be freed'* ]]
	ip link show v1
	"$N" delete --wait two
	! ip link show v1
}

@test "delete --kill ends the processes inside (TERM, then KILL), then --wait sees it freed" {
	"$N" add k
	ip link add vk type veth peer name pk netns k
	# one that leaves on TERM, one that ignores it
	ip netns exec k sleep 100 3>&- &
	p1=$!
	# it says when its trap is set: a TERM before that would end it at once
	ip netns exec k sh -c 'trap "" TERM; : > "$1"; while :; do sleep 0.2; done' sh \
		"$BATS_TEST_TMPDIR/trapped" 3>&- &
	p2=$!
	wait_for 100 has_pids k 2
	wait_for 100 test -e "$BATS_TEST_TMPDIR/trapped"
	start=$(date +%s%N)
	run_n delete --kill=1 --wait k
	assert_success
	[ -z "$err" ]
	ms=$((($(date +%s%N) - start) / 1000000))
	[ "$ms" -ge 900 ]        # the TERM-ignoring one waited out its grace
	! kill -0 "$p1" 2>/dev/null
	! kill -0 "$p2" 2>/dev/null
	wait "$p1" || true
	wait "$p2" || true
	! ip link show vk
	ip link add vk type veth peer name pk2
}

@test "delete --kill refuses the caller's own namespace and leaves it" {
	"$N" add me
	run_n exec me "$N" delete --kill me
	assert_equal "$status" 1
	assert_one_error_line "$err"
	assert_equal "$err" "netnsctl: delete \"me\": refusing --kill: it is this process's own network namespace"
	"$N" exec me true
	# delete --all --kill goes on with the others and exits 1
	"$N" add other
	run_n exec me "$N" delete --all --kill=0
	assert_equal "$status" 1
	run "$N" list
	assert_output "me"
}

# bats test_tags=stress
@test "stress: many namespaces added and deleted with --wait leave nothing behind (tests/stress/many-ns)" {
	# the full run is 1000; CI runs fewer (NETNSCTL_STRESS_N)
	n=${NETNSCTL_STRESS_N:-60}
	run env NETNSCTL="$N" "$BATS_TEST_DIRNAME/../stress/many-ns" "$n"
	assert_success
	assert_line ok
	echo "$output" | grep '^stress:' | sed 's/^/# /' >&3
	echo "# races: $((n * 2)) namespaces through add/delete --wait in the stress run" >&3
}

@test "delete --wait: a veth peer in an unnamed namespace cannot be watched: a warning, exit 0" {
	"$N" add named
	unshare --net sleep 60 3>&- &
	anon=$!
	wait_for 100 in_other_ns "$anon" net
	ip -n named link add va type veth peer name pa netns "$anon"
	run_n delete --wait named
	assert_success
	assert_equal "$err" 'netnsctl: warning: delete "named": 1 veth peer in unnamed namespaces not awaited'
	kill "$anon"; wait "$anon" || true
}

@test "delete --kill ends a process tree that keeps forking and ignores TERM" {
	"$N" add bomb
	ip netns exec bomb sh -c 'trap "" TERM; while :; do sleep 1017 & done' >/dev/null 2>&1 3>&- &
	pid=$!
	wait_for 100 has_pids bomb 20
	run_n delete --kill=0 --wait=20 bomb
	assert_success
	[ -z "$err" ]
	wait "$pid" || true
	! pgrep -f 'sleep 1017' >/dev/null
}
