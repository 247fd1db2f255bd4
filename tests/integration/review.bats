#!/usr/bin/env bats
# Defects found by a line-by-line review of the parallel batch, the maker
# thread, the lab's hosts files and UTS namespaces: one test each, written
# to fail before its fix.

load helpers

B=/run/review.batch

# In a user namespace that does not own the sandbox's network namespace,
# setns() back home fails, so namespaces are made on the context's maker
# thread, which sits in the last one it made. An attach between must not
# make it forget where it sits: a delete of that namespace must free it.
@test "maker: an attach after an add, then delete --wait of the add frees it" {
	run unshare -U -r -m --propagation private sh -c '
		mount -t tmpfs none "$1" || exit
		sleep 300 3>&- &
		printf "%s\n" "add C" "add A" "-n C veth add y peer x netns A" \
			"attach B $!" "delete --wait=30 A" >"$3"
		"$2" --jobs 1 --run-dir "$1" -b "$3"
		status=$?
		kill $!
		exit $status
	' sh "$BATS_TEST_TMPDIR" "$N" "$B"
	assert_success
	assert_output ""
}
