#!/usr/bin/env bats
# set and list-id: namespace ids, as ip netns set / list-id, with -n.

load helpers

@test "set: an id ip sees; list-id prints what ip netns list-id prints" {
	ip netns add a
	"$N" add b
	run_n set a 5
	assert_success
	[ -z "$err" ]
	run_n set b auto
	assert_success
	run ip netns list-id
	assert_output --partial "nsid 5 (iproute2 netns name: a)"
	run "$N" list-id
	assert_success
	assert_equal "$output" "$(ip netns list-id)"
	assert_equal "$("$N" -j list-id | jq -S .)" "$(ip -j netns list-id | jq -S .)"
	run "$N" -j list-id
	echo "$output" | jq -e 'map(select(.name == "a"))[0].nsid == 5'
	echo "$output" | jq -e 'map(select(.name == "b"))[0].nsid | type == "number"'
	# and netnsctl list shows it too
	run "$N" list
	assert_output --partial "a (id: 5)"
	run "$N" list-id nsid 5
	assert_output "nsid 5 (iproute2 netns name: a)"
	run "$N" list-id nsid 6
	assert_output ""
}

@test "list-id: nothing assigned is an empty list" {
	ip netns add a
	run_n list-id
	assert_success
	assert_output ""
	run_n -j list-id
	assert_output "[]"
}

@test "set and list-id with -n: ids as another namespace sees them" {
	ip netns add a
	ip netns add b
	ip netns add c
	run_n -n a set b 7
	assert_success
	run_n -n a set c auto
	assert_success
	run ip -n a netns list-id
	assert_output --partial "nsid 7 (iproute2 netns name: b)"
	run "$N" -n a list-id
	assert_equal "$output" "$(ip -n a netns list-id)"
	assert_equal "$("$N" -n a -j list-id | jq -S .)" "$(ip -n a -j netns list-id | jq -S .)"
	# the caller's own view is untouched
	run "$N" list-id
	assert_output ""
}

@test "list-id target-nsid: another namespace's ids, named right" {
	ip netns add a
	ip netns add b
	ip netns add c
	ip netns set a 5
	ip netns set b 0
	ip -n a netns set b 7
	ip -n a netns set c 3
	# a (our 5) calls b 7 (ours 0) and c 3 (ours: none)
	run_n list-id target-nsid 5
	assert_success
	assert_output $'nsid 3 current-nsid unassigned (iproute2 netns name: c)\nnsid 7 current-nsid 0 (iproute2 netns name: b)'
	run "$N" -j list-id target-nsid 5
	assert_equal "$(echo "$output" | jq -c .)" \
		'[{"nsid":3,"name":"c"},{"nsid":7,"current-nsid":0,"name":"b"}]'
	# nsid N with a target: the peer we call N, as ip does
	run "$N" list-id target-nsid 5 nsid 0
	assert_output "nsid 7 current-nsid 0 (iproute2 netns name: b)"
	assert_equal "$("$N" -j list-id target-nsid 5 nsid 0 | jq -S .)" \
		"$(ip -j netns list-id target-nsid 5 nsid 0 | jq -S .)"
	run_n list-id target-nsid 99
	assert_equal "$status" 1
	assert_one_error_line "$err"
	assert_equal "$err" 'netnsctl: list-id target-nsid 99: Invalid argument (kernel: Invalid target network namespace id)'
}

@test "set: kernel refusals exit 1 with the kernel's words, nothing changed" {
	ip netns add a
	ip netns add b
	ip netns set a 5
	run_n set a 6
	assert_equal "$status" 1
	assert_one_error_line "$err"
	assert_equal "$err" 'netnsctl: set "a" 6: File exists (kernel: Peer netns already has a nsid assigned)'
	run_n set b 5
	assert_equal "$status" 1
	assert_equal "$err" 'netnsctl: set "b" 5: File exists (kernel: The specified nsid is already used)'
	run_n set zz 3
	assert_equal "$status" 1
	assert_equal "$err" 'netnsctl: set: netns "zz": no such namespace'
	touch /run/netns/stale
	run_n set stale 3
	assert_equal "$status" 1
	assert_one_error_line "$err"
	run_n -n zz set a 3
	assert_equal "$status" 1
	assert_one_error_line "$err"
	assert_equal "$(ip netns list-id)" "nsid 5 (iproute2 netns name: a)"
}

@test "set, list-id: usage errors exit 2, one line, nothing changed" {
	ip netns add a
	usage_errors <<'EOF'
set a -1|set: invalid nsid "-1"
set a 2147483648|set: nsid "2147483648" out of range (0..2147483647)
set a abc|set: invalid nsid "abc"
set a|set: expected NAME NSID (or NAME auto)
set a 1 2|set: expected NAME NSID (or NAME auto)
set ../x 1|set: invalid namespace name "../x": contains '/'
list-id frob|list-id: unknown argument "frob"
list-id nsid|list-id: missing value after "nsid"
list-id nsid 1 nsid 2|list-id: "nsid" given twice
list-id target-nsid -3|list-id: invalid target-nsid "-3"
EOF
	run ip netns list-id
	assert_output ""
}

@test "set and list-id help" {
	run_n set help
	assert_success
	assert_output --partial "Usage: netnsctl [-n NS] set NAME {NSID|auto}"
	run_n list-id -h
	assert_success
	assert_output --partial "target-nsid"
}
