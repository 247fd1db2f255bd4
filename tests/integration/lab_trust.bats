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

# Interface names a lab file can hold that mean something to a shell, the
# batch reader or DOT.
hostile() {
	cat >"$BATS_TEST_TMPDIR/esc.yaml" <<'YAML'
version: 1
name: esc
nodes:
  a: {}
  b: {}
bridges:
  lan: {}
links:
  - a: {node: a, ifname: "#e0", addresses: [192.0.2.1/24]}
    b: {node: b, ifname: "e'1", addresses: [192.0.2.2/24]}
  - a: {node: a, ifname: 'x"y', addresses: [198.51.100.1/24]}
    b: {node: b, ifname: 'z\'}
  - a: {node: a, ifname: 'e"];X[x="'}
    b: {bridge: lan, ifname: 'b\\'}
YAML
}

@test "lab apply --dry-run quotes every name: the plan replays through -b as apply would make it" {
	hostile
	run_n lab apply --dry-run "$BATS_TEST_TMPDIR/esc.yaml"
	assert_success
	printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/plan"
	grep -qxF "link add '#e0' address 2e:fa:b2:f5:51:af netns esc.a type veth peer name \"e'1\" netns esc.b address e2:f5:53:6c:d1:56" "$BATS_TEST_TMPDIR/plan"
	run_n -b "$BATS_TEST_TMPDIR/plan"
	assert_success
	ifs() { ip -n "$1" -o link show | awk -F': ' '{sub(/@.*/, "", $2); print $2}' | sort | tr '\n' ' '; }
	local a b s
	a=$(ifs esc.a) b=$(ifs esc.b) s=$(ifs esc._switch)
	assert_equal "$a" '#e0 e"];X[x=" lo x"y '
	assert_equal "$b" "e'1 lo z\\ "
	assert_equal "$s" 'b\\ lan lo '
	[ "$(ip -n esc.b -o -4 addr show dev "e'1" | awk '{print $4}')" = 192.0.2.2/24 ]
	[ "$(ip -n esc.a -o -4 addr show dev 'x"y' | awk '{print $4}')" = 198.51.100.1/24 ]
	[ "$(ip -n esc._switch -o link show dev 'b\\' | grep -o 'master [a-z]*')" = "master lan" ]
	# and apply itself makes the same
	for ns in esc.a esc.b esc._switch; do "$N" delete "$ns"; done
	run_n lab apply --no-ready "$BATS_TEST_TMPDIR/esc.yaml"
	assert_success
	assert_equal "$(ifs esc.a)" "$a"
	assert_equal "$(ifs esc.b)" "$b"
	assert_equal "$(ifs esc._switch)" "$s"
}

@test "lab graph escapes DOT: a name cannot add a node, backslashes stay" {
	command -v dot >/dev/null || skip "graphviz (dot) not installed"
	hostile
	run_n lab graph "$BATS_TEST_TMPDIR/esc.yaml"
	assert_success
	grep -qF 'taillabel="e\"];X[x=\"", headlabel="b\\\\"' <<<"$output"
	grep -qF 'headlabel="z\\"]' <<<"$output"
	# three nodes (a, b, lan) and three edges, whatever the names say
	printf '%s\n' "$output" | dot -Tplain >"$BATS_TEST_TMPDIR/g"
	[ "$(grep -c '^node ' "$BATS_TEST_TMPDIR/g")" -eq 3 ]
	[ "$(grep -c '^edge ' "$BATS_TEST_TMPDIR/g")" -eq 3 ]
}

@test "lab list, show and --dry-run print a newline in the file's path escaped: one line" {
	local dir=$BATS_TEST_TMPDIR/$'two\nlines'
	mkdir "$dir"
	cp "$EX/star.yaml" "$dir/star.yaml"
	run_n lab apply --dry-run "$dir/star.yaml"
	assert_success
	[[ $(head -1 <<<"$output") == "# lab star ("*'two\x0alines/star.yaml): '* ]]
	run_n lab apply --no-ready "$dir/star.yaml"
	assert_success
	run_n lab list
	assert_success
	assert_equal "$output" "star: 5 namespaces, complete, $(realpath "$BATS_TEST_TMPDIR")/two\\x0alines/star.yaml"
	run_n lab show star
	assert_success
	[[ $(head -1 <<<"$output") == "lab star ("*'two\x0alines/star.yaml): '* ]]
}
