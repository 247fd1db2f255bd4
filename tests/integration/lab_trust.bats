#!/usr/bin/env bats
# A lab's state is trusted only when nobody else can have written it: the
# state root and each lab's directory are the caller's and writable by
# nobody else, the way there holds no one else's directory or symlink, and
# every record names a namespace of the lab's. Anything else is refused in
# one line, with nothing done.

load helpers

OTHER=65534     # another user: nobody

# A run dir under a world-writable sticky directory (as /tmp), as the
# issue's attacker finds it; the state root goes next to it.
setup() {
	PUB=$BATS_TEST_TMPDIR/pub
	mkdir -p "$PUB"
	chmod 1777 "$PUB"
}

teardown() {
	local f
	for f in "$PUB"/netns/*; do
		[ -e "$f" ] && "$N" --run-dir "$PUB/netns" delete "${f##*/}"
	done
	umount -l "$PUB/netns" 2>/dev/null || true
	clean_all
}

refused() {
	assert_failure 1
	assert_one_error_line "$err"
	[[ $err == *"$1"* ]] || { echo "stderr: $err"; return 1; }
	[[ $err == *": refused" ]] || { echo "stderr: $err"; return 1; }
}

@test "a symlink planted where the state dir goes is refused, never followed" {
	mkdir "$BATS_TEST_TMPDIR/elsewhere"
	ln -s "$BATS_TEST_TMPDIR/elsewhere" "$PUB/netnsctl"
	chown -h "$OTHER:$OTHER" "$PUB/netnsctl"
	run_n --run-dir "$PUB/netns" lab apply --no-ready "$EX/demo.yaml"
	refused "state dir $PUB/netnsctl: a symlink owned by uid $OTHER"
	[ -z "$(ls -A "$BATS_TEST_TMPDIR/elsewhere")" ]
	[ -z "$(ls -A "$PUB/netns" 2>/dev/null)" ]
	run_n --run-dir "$PUB/netns" lab list
	refused "state dir $PUB/netnsctl: a symlink owned by uid $OTHER"
	# the same planted below the state root, where a lab's directory goes
	rm "$PUB/netnsctl"
	mkdir -p "$PUB/netnsctl/labs"
	chmod 700 "$PUB/netnsctl"
	ln -s "$BATS_TEST_TMPDIR/elsewhere" "$PUB/netnsctl/labs/demo"
	run_n --run-dir "$PUB/netns" lab apply --no-ready "$EX/demo.yaml"
	refused "a symlink or not a directory"
	[ -z "$(ls -A "$BATS_TEST_TMPDIR/elsewhere")" ]
}

# A record naming "precious" that destroy would take for the lab's: its
# inode is anyone's to read, a cookie of 0 reads as "not known".
forge() {
	local dir=$1 rd=$2
	printf 'netnsctl-lab-state 1\nname demo\nboot %s\nstatus complete\nfile x\n' \
		"$(cat /proc/sys/kernel/random/boot_id)" >"$dir/state"
	printf 'ns precious %s %s 0\n' "$(stat -L -c %d "$rd/precious")" \
		"$(stat -L -c %i "$rd/precious")" >>"$dir/state"
}

@test "a state dir another user made, with a forged record, is refused: precious stays" {
	"$N" --run-dir "$PUB/netns" add precious
	mkdir -p "$PUB/netnsctl/labs/demo"
	forge "$PUB/netnsctl/labs/demo" "$PUB/netns"
	chown -R "$OTHER:$OTHER" "$PUB/netnsctl"
	run_n --run-dir "$PUB/netns" lab destroy demo
	refused "state dir $PUB/netnsctl: owned by uid $OTHER, neither root nor uid 0"
	[ -e "$PUB/netns/precious" ]
	"$N" --run-dir "$PUB/netns" exec precious true
}

@test "a forged record naming a namespace outside the lab is refused, nothing is done" {
	ip netns add precious
	"$N" lab apply --no-ready "$EX/demo.yaml" >/dev/null
	printf 'ns precious %s %s 0\n' "$(stat -L -c %d "$RD/precious")" \
		"$(stat -L -c %i "$RD/precious")" >>"$STATE/demo/state"
	run_n lab destroy demo
	refused "record \"ns precious "
	[[ $err == *'names namespace "precious", not one of the lab'"'"'s ("demo.*")'* ]]
	assert_equal "$(ns_names)" "demo._switch demo.h1 demo.r1 demo.r2 precious"
	run_n lab apply --no-ready "$EX/demo.yaml"
	refused "record \"ns precious "
	# in the journal (a pending intent) just the same
	sed -i '$d' "$STATE/demo/state"
	printf '? ns precious 0 0 0\n' >"$STATE/demo/journal"
	run_n lab destroy demo
	refused "record \"? ns precious 0 0 0\""
	assert_equal "$(ns_names)" "demo._switch demo.h1 demo.r1 demo.r2 precious"
	# the state of another lab
	rm "$STATE/demo/journal"
	sed -i 's/^name demo$/name other/' "$STATE/demo/state"
	run_n lab destroy demo
	refused "the state of lab \"other\""
	assert_equal "$(ns_names)" "demo._switch demo.h1 demo.r1 demo.r2 precious"
}

@test "a state root or lab dir that is not the caller's alone is refused" {
	local st=$BATS_TEST_TMPDIR/st
	mkdir -m 0777 "$st"
	chmod 0777 "$st"
	NETNSCTL_STATE_DIR=$st run_n lab apply --no-ready "$EX/demo.yaml"
	refused "state dir $st: writable by others (mode 0777)"
	chmod 0755 "$st"
	chown "$OTHER" "$st"
	NETNSCTL_STATE_DIR=$st run_n lab apply --no-ready "$EX/demo.yaml"
	refused "state dir $st: owned by uid $OTHER, not by uid 0"
	assert_equal "$(ns_names)" ""
	# under a world-writable directory without the sticky bit
	mkdir "$BATS_TEST_TMPDIR/open"
	chmod 0777 "$BATS_TEST_TMPDIR/open"
	NETNSCTL_STATE_DIR=$BATS_TEST_TMPDIR/open/st run_n lab apply --no-ready "$EX/demo.yaml"
	refused "state dir $BATS_TEST_TMPDIR/open: writable by others without the sticky bit"
	[ ! -e "$BATS_TEST_TMPDIR/open/st" ]
	# under a sticky one, made there: ours
	NETNSCTL_STATE_DIR=$PUB/st run_n lab apply --no-ready "$EX/demo.yaml"
	assert_success
	[ "$(stat -c %a "$PUB/st")" = 700 ]
	# a lab's dir someone else can write into
	chmod 0770 "$PUB/st/demo"
	NETNSCTL_STATE_DIR=$PUB/st run_n lab destroy demo
	refused "lab state dir $PUB/st/demo: writable by others (mode 0770)"
	chmod 0700 "$PUB/st/demo"
	chown "$OTHER" "$PUB/st/demo"
	NETNSCTL_STATE_DIR=$PUB/st run_n lab destroy demo
	refused "lab state dir $PUB/st/demo: owned by uid $OTHER"
	assert_equal "$(ns_names)" "demo._switch demo.h1 demo.r1 demo.r2"
	chown 0 "$PUB/st/demo"
	NETNSCTL_STATE_DIR=$PUB/st run_n lab destroy demo
	assert_success
	assert_equal "$(ns_names)" ""
}

@test "the default state dir, reached through root's own symlink (/var/run), is trusted" {
	[ -L /var/run ] || skip "/var/run is no symlink here"
	run_n --run-dir /var/run/netns lab apply --no-ready "$EX/demo.yaml"
	assert_success
	run_n --run-dir /var/run/netns lab destroy demo
	assert_success
}
