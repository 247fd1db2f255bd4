#!/usr/bin/env bats
# Hosts files known by their identity: apply records what it wrote (inode,
# size, mtime, ctime with ns, the text's hash) in the hosts record's key,
# and a no-op or a diff stats each file instead of reading it. Whatever
# changes the file must still be found: an edit that keeps its size and
# puts its mtime back (touch -r: ctime moves all the same), a copy in its
# place (another inode), its removal; and a record without the identity
# (an older netnsctl's) is read and compared as before.

load helpers

setup() {
	f=$BATS_TEST_TMPDIR/np3.yaml
	{
		printf 'version: 1\nname: np3\nnodes:\n  gw: {}\n'
		for i in 1 2 3 4; do
			printf '  leaf%d: {routes: [{to: default, via: 198.18.0.1}]}\n' "$i"
		done
		printf 'bridges:\n  hub: {}\nlinks:\n'
		printf '  - {a: {node: gw, ifname: eth0, addresses: [198.18.0.1/15]}, b: {bridge: hub}}\n'
		for i in 1 2 3 4; do
			printf '  - {a: {node: leaf%d, ifname: eth0, addresses: [198.18.1.%d/15]}, b: {bridge: hub}}\n' \
				"$i" "$i"
		done
	} > "$f"
	h=/etc/netns/np3.leaf2/hosts
	"$N" lab apply --no-ready "$f" >/dev/null
	# every hosts record carries the identity of the file written
	run records np3 hosts
	assert_equal "$(grep -c '^hosts np3\.[a-z0-9]* hosts:[0-9a-f:]*$' <<< "$output")" 5
	up_to_date
}

# diff finds nothing, apply does nothing
up_to_date() {
	run_n lab diff "$f"
	assert_success
	assert_equal "$output" ""
	run_n lab apply --no-ready "$f"
	assert_success
	assert_equal "$output" "np3: up to date"
}

# diff says only that leaf2's hosts file differs ($1: "differs" or "missing");
# apply writes it back with the lab's text, then all is up to date
found_and_mended() {
	run_n lab diff "$f"
	assert_failure 1
	if [ "$1" = missing ]; then
		assert_equal "$output" "np3.leaf2: missing hosts $h"
	else
		assert_equal "$output" "np3.leaf2: hosts $h content other names, want the lab's"
	fi
	run_n lab apply --no-ready "$f"
	assert_success
	grep -q '^198\.18\.1\.3	leaf3-eth0 leaf3 leaf3\.np3$' "$h"
	! grep -q 'leaf9' "$h"
	up_to_date
}

@test "lab no-op by identity: an edit keeping size and mtime (touch -r) is found" {
	local size mtime
	cp -p "$h" "$BATS_TEST_TMPDIR/ref"
	size=$(stat -c %s "$h")
	mtime=$(stat -c %y "$h")
	sed -i 's/leaf3-eth0 leaf3 /leaf9-eth0 leaf9 /' "$h"
	touch -r "$BATS_TEST_TMPDIR/ref" "$h"
	assert_equal "$(stat -c %s "$h")" "$size"
	assert_equal "$(stat -c %y "$h")" "$mtime"
	found_and_mended differs
}

@test "lab no-op by identity: an edit in place (same inode) keeping size and mtime is found" {
	local ino
	cp -p "$h" "$BATS_TEST_TMPDIR/ref"
	ino=$(stat -c %i "$h")
	# rewritten through the same inode (sed -i renames a new one in)
	sed 's/leaf3-eth0 leaf3 /leaf9-eth0 leaf9 /' "$BATS_TEST_TMPDIR/ref" > "$BATS_TEST_TMPDIR/new"
	cat "$BATS_TEST_TMPDIR/new" > "$h"
	touch -r "$BATS_TEST_TMPDIR/ref" "$h"
	assert_equal "$(stat -c %i "$h")" "$ino"
	found_and_mended differs
}

@test "lab no-op by identity: a copy put in the file's place (another inode) is compared" {
	local ino
	ino=$(stat -c %i "$h")
	cp -p "$h" "$BATS_TEST_TMPDIR/copy"
	sed -i 's/leaf3-eth0 leaf3 /leaf9-eth0 leaf9 /' "$BATS_TEST_TMPDIR/copy"
	touch -r "$h" "$BATS_TEST_TMPDIR/copy"
	mv "$BATS_TEST_TMPDIR/copy" "$h"
	[ "$(stat -c %i "$h")" != "$ino" ]
	found_and_mended differs
}

@test "lab no-op by identity: an identical copy in the file's place is still the lab's" {
	cp -p "$h" "$BATS_TEST_TMPDIR/copy"
	mv "$BATS_TEST_TMPDIR/copy" "$h"
	up_to_date
}

@test "lab no-op by identity: a removed hosts file is missing, written again" {
	rm "$h"
	found_and_mended missing
}

@test "lab no-op by identity: a symlinked node directory is never gone through" {
	mv /etc/netns/np3.leaf2 "$BATS_TEST_TMPDIR/moved"
	ln -s "$BATS_TEST_TMPDIR/moved" /etc/netns/np3.leaf2
	run_n lab diff "$f"
	assert_failure 1
	assert_equal "$output" "np3.leaf2: hosts in the way: not written by the lab (no marker line)"
	rm /etc/netns/np3.leaf2
	mv "$BATS_TEST_TMPDIR/moved" /etc/netns/np3.leaf2
	up_to_date
}

@test "lab no-op by identity: a record without it (an older state) compares by content" {
	# the state file's records as an older netnsctl wrote them
	sed -i 's/^\(hosts np3\.[a-z0-9]*\) hosts:.*$/\1 hosts/' "$STATE/np3/state"
	run records np3 hosts
	assert_equal "$(grep -c ' hosts$' <<< "$output")" 5
	up_to_date
	# still compared by content: an edit keeping size and mtime is found
	cp -p "$h" "$BATS_TEST_TMPDIR/ref"
	sed -i 's/leaf3-eth0 leaf3 /leaf9-eth0 leaf9 /' "$h"
	touch -r "$BATS_TEST_TMPDIR/ref" "$h"
	found_and_mended differs
	# rewritten: the identity is recorded again
	assert_equal "$(records np3 hosts | grep -c '^hosts np3\.leaf2 hosts:')" 1
}

@test "lab no-op by identity: a lab file that changes the names rewrites every file" {
	sed -i 's/^  leaf4: /  leaf5: /; s/node: leaf4,/node: leaf5,/' "$f"
	run_n lab diff "$f"
	assert_failure 1
	# the four nodes kept: their hosts files differ (they name leaf5 now)
	assert_equal "$(grep -c 'hosts /etc/netns/np3\.[a-z0-9]*/hosts content other names' <<< "$output")" 4
	"$N" lab apply --no-ready --prune "$f" >/dev/null
	grep -q 'leaf5-eth0' "$h"
	up_to_date
}
