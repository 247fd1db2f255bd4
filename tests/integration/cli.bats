#!/usr/bin/env bats
# The command line itself: help [COMMAND], "did you mean" for typos (commands,
# subcommands, keywords, options, link kinds), the hint that an operation
# needs root, and -h listing every global option.

load helpers

# Run netnsctl as user nobody: sets status, output, err (as run_n), with a
# copy of the binary nobody can reach.
run_nobody() {
	local nb errf
	nb=$(reachable_netnsctl)
	errf=$(mktemp)
	chmod 666 "$errf"
	status=0
	output=$(setpriv --reuid=65534 --regid=65534 --clear-groups "$nb" "$@" 2>"$errf") ||
		status=$?
	err=$(<"$errf")
	rm -f "$errf"
}

# --- help

@test "help: the list of commands, as --help prints it" {
	run_n help
	assert_success
	assert_equal "$output" "$("$N" --help)"
	grep -q "^  help  *this list, or help on COMMAND$" <<<"$output"
	assert_equal "$err" ""
}

@test "help COMMAND [SUBCOMMAND]: that command's own --help" {
	run_n help add
	assert_success
	assert_equal "$output" "$("$N" add --help)"
	run_n help link
	assert_success
	assert_equal "$output" "$("$N" link --help)"
	run_n help lab apply
	assert_success
	assert_equal "$output" "$("$N" lab apply --help)"
	[[ $output == "Usage: netnsctl lab apply"* ]]
	run_n help route add
	assert_success
	assert_equal "$output" "$("$N" route add --help)"
	run_n help help
	assert_success
	[[ $output == "Usage: netnsctl help [COMMAND [SUBCOMMAND]]"* ]]
}

@test "help: an unknown name is a usage error, with the name meant" {
	run_n help nosuch
	assert_failure 2
	assert_equal "$output" ""
	assert_equal "$err" 'netnsctl: unknown command "nosuch" (try: netnsctl --help)'
	run_n help lnk
	assert_failure 2
	assert_equal "$err" 'netnsctl: unknown command "lnk"; did you mean "link"?'
	run_n help lab aply
	assert_failure 2
	assert_equal "$err" 'netnsctl: lab: unknown command "aply"; did you mean "apply"?'
	run_n help link nosuch
	assert_failure 2
	assert_equal "$err" 'netnsctl: link: unknown command "nosuch" (try: netnsctl link help)'
	run_n help add red
	assert_failure 2
	assert_equal "$err" 'netnsctl: help: "add" has no subcommands'
	run_n help link add more
	assert_failure 2
	assert_equal "$err" 'netnsctl: help: unexpected "more"'
	run_n -n x help
	assert_failure 2
	# help never runs the command it is asked about
	run "$N" list
	assert_output ""
}

@test "help is not a batch command" {
	run_n -b - <<<"help"
	assert_failure 2
	assert_equal "$err" 'netnsctl: -:1: help: not a batch command (see netnsctl --help)'
}

# --- did you mean

@test "unknown command: the one meant, exit 2, nothing made" {
	run_n ad red
	assert_failure 2
	assert_equal "$err" 'netnsctl: unknown command "ad"; did you mean "add"?'
	run_n monitr
	assert_equal "$err" 'netnsctl: unknown command "monitr"; did you mean "monitor"?'
	run_n lnik
	assert_equal "$err" 'netnsctl: unknown command "lnik"; did you mean "link"?'
	# nothing close: the old hint
	run_n bogus
	assert_failure 2
	assert_equal "$err" 'netnsctl: unknown command "bogus" (try: netnsctl --help)'
	run "$N" list
	assert_output ""
	[ ! -e "$RD/red" ]
}

@test "unknown subcommand of a group: the one meant" {
	run_n link ad x type bridge
	assert_failure 2
	assert_equal "$err" 'netnsctl: link: unknown command "ad"; did you mean "add"?'
	run_n lab destory x
	assert_failure 2
	assert_equal "$err" 'netnsctl: lab: unknown command "destory"; did you mean "destroy"?'
	run_n veth shwo
	assert_equal "$err" 'netnsctl: veth: unknown command "shwo"; did you mean "show"?'
	run_n addr fluhs
	assert_equal "$err" 'netnsctl: addr: unknown command "fluhs"; did you mean "flush"?'
	# route and neigh take selectors after their name ("route 192.0.2.0/24")
	run_n route ad 192.0.2.0/24 dev lo
	assert_failure 2
	assert_equal "$err" 'netnsctl: route: unknown argument "ad"; did you mean "add"?'
	run_n neigh dle 192.0.2.1 dev lo
	assert_failure 2
	assert_equal "$err" 'netnsctl: neigh: unknown argument "dle"; did you mean "del"?'
	run_n lab xyzzy
	assert_failure 2
	assert_equal "$err" 'netnsctl: lab: unknown command "xyzzy" (try: netnsctl lab -h)'
	# the words selectors take are still selectors ("dev" is one edit from "del")
	run_n route dev lo
	assert_success
	assert_equal "$err" ""
}

@test "unknown keyword: the keywords that could stand there" {
	"$N" add kw
	run_n -n kw link set dev lo mtu 1400 dwn
	assert_failure 2
	assert_equal "$err" 'netnsctl: link set: unknown keyword "dwn"; did you mean "down"?'
	run_n -n kw route add 192.0.2.0/24 dev lo metirc 5
	assert_failure 2
	assert_equal "$err" 'netnsctl: route add: unknown argument "metirc"; did you mean "metric"?'
	run_n -n kw route show tabel main
	assert_equal "$err" 'netnsctl: route show: unknown argument "tabel"; did you mean "table"?'
	run_n -n kw addr add 192.0.2.1/24 dve lo
	assert_failure 2
	assert_equal "$err" 'netnsctl: addr add: unexpected "dve"; did you mean "dev"?'
	run_n -n kw link add vx type vxlan id 5 dstprt 4789
	assert_equal "$err" 'netnsctl: link add: vxlan: unexpected "dstprt"; did you mean "dstport"?'
	run_n -n kw link add a type veth peer name b netsn kw
	assert_equal "$err" 'netnsctl: link add: peer: unexpected "netsn"; did you mean "netns"?'
	run_n -n kw route get 192.0.2.1 fibmach
	assert_equal "$err" 'netnsctl: route get: unknown argument "fibmach"; did you mean "fibmatch"?'
	# nothing close: as before
	run_n -n kw route add 192.0.2.0/24 dev lo xyzzy 5
	assert_equal "$err" 'netnsctl: route add: unknown argument "xyzzy"'
	# nothing changed inside
	run ip -n kw -o link show lo
	assert_output --partial "mtu 65536"
	run ip -n kw route show
	assert_output ""
	run ip -n kw -o addr show dev lo
	refute_output --partial "192.0.2.1"
}

@test "unknown link kind: the kind meant, before anything is sent" {
	"$N" add kinds
	run_n -n kinds link add x type brdge
	assert_failure 2
	assert_equal "$err" 'netnsctl: link add "x": unknown link type "brdge"; did you mean "bridge"?'
	run_n -n kinds link add x type brigde
	assert_equal "$err" 'netnsctl: link add "x": unknown link type "brigde"; did you mean "bridge"?'
	# named before its arguments are looked at
	run_n -n kinds link add x type vxaln id 5
	assert_failure 2
	assert_equal "$err" 'netnsctl: link add "x": unknown link type "vxaln"; did you mean "vxlan"?'
	run ip -n kinds link show x
	assert_failure
	# the kinds themselves, and those close to another one, go to the kernel
	run_n -n kinds link add br0 type bridge
	assert_success
	run_n -n kinds link add if0 type ifb
	assert_success
	run ip -n kinds -d link show if0
	assert_output --partial "ifb"
	run_n -n kinds link add v0 type vti6       # one edit from "vti": still the kernel's
	[ "$status" -ne 2 ]
	[[ $err != *"did you mean"* ]]
	# nothing close: the kernel's own word
	run_n -n kinds link add x type frobnicate
	assert_failure 1
	assert_equal "$err" 'netnsctl: link add "x": Operation not supported (kernel: Unknown device type)'
}

@test "a batch finds a mistyped kind in its check pass: nothing runs" {
	run_n -b - <<-EOF
		add early
		-n early link add x type brdge
	EOF
	assert_failure 2
	assert_equal "$err" 'netnsctl: -:2: link add "x": unknown link type "brdge"; did you mean "bridge"?'
	run "$N" list
	assert_output ""
}

@test "unknown global option: the one meant" {
	run_n --jsn list
	assert_failure 2
	assert_equal "$err" 'netnsctl: unknown option "--jsn"; did you mean "--json"?'
	run_n --rundir /run/x list
	assert_equal "$err" 'netnsctl: unknown option "--rundir"; did you mean "--run-dir"?'
	run_n -x list
	assert_equal "$err" 'netnsctl: unknown option "-x" (try: netnsctl --help)'
	# a lab command's own options
	run_n lab apply --prnue "$EX/demo.yaml"
	assert_failure 2
	assert_equal "$err" 'netnsctl: lab apply: unknown option "--prnue"; did you mean "--prune"?'
	run_n lab apply --dry-rn "$EX/demo.yaml"
	assert_equal "$err" 'netnsctl: lab apply: unknown option "--dry-rn"; did you mean "--dry-run"?'
	run "$N" list
	assert_output ""
}

# --- -h

@test "-h lists every global option, -b and -f included" {
	run_n -h
	assert_success
	for o in -h --help -V --version -j --json -p --pretty -n --netns -4 -6 -s --stats \
		 -br --brief -b --batch -f --force --run-dir; do
		echo "$output" | grep -qE -- "(^|[ ,])$o([ ,=]|$)" || { echo "missing $o"; false; }
	done
	# and every option the man page documents
	local man=$BATS_TEST_DIRNAME/../../man/netnsctl.8
	for o in $(sed -n '/^\.Sh OPTIONS/,/^\.Sh/s/^\.It Fl \([^ ]*\).*/-\1/p' "$man"); do
		echo "$output" | grep -qE -- "(^|[ ,])$o([ ,=]|$)" || { echo "missing $o"; false; }
	done
}

# --- needs root

@test "unprivileged add: one line that says it needs root and that run does not" {
	# the run dir as root left it: making it a mount point needs root
	mkdir -p "$RD"
	run_nobody add red
	assert_failure 1
	assert_equal "$output" ""
	assert_equal "$err" 'netnsctl: add "red": make run dir "/var/run/netns" shared: Operation not permitted (needs root; try "netnsctl run" for a private world)'
	[ ! -e "$RD/red" ]
	run "$N" list
	assert_output ""
}

@test "unprivileged add with no run dir, delete, exec, link add: the same hint" {
	umount -l "$RD" 2>/dev/null || true
	rmdir "$RD"
	run_nobody add red
	assert_failure 1
	assert_equal "$err" 'netnsctl: add "red": run dir "/var/run/netns": Permission denied (needs root; try "netnsctl run" for a private world)'
	[ ! -e "$RD" ]
	"$N" add blue
	run_nobody delete blue
	assert_failure 1
	assert_equal "$(grep -c . <<<"$err")" 1
	assert_equal "$err" 'netnsctl: delete "blue": unmount: Operation not permitted (needs root; try "netnsctl run" for a private world)'
	run "$N" list
	assert_output "blue"
	run_nobody exec blue true
	assert_failure 125
	assert_equal "$err" 'netnsctl: exec "blue": setns: Operation not permitted (needs root; try "netnsctl run" for a private world)'
	run_nobody -n blue link add x type bridge
	assert_failure 1
	[[ $err == *'(needs root; try "netnsctl run" for a private world)' ]]
	run ip -n blue link show x
	assert_failure
	# a usage error is no refusal: no hint
	run_nobody add -x
	assert_failure 2
	assert_equal "$err" 'netnsctl: add: unknown option "-x"'
}

@test "root is not told it needs root" {
	# sysfs refuses a directory even to root: EPERM, but root is root
	run_n --run-dir /sys/netns add red
	assert_failure 1
	assert_equal "$err" 'netnsctl: add "red": run dir "/sys/netns": Operation not permitted'
	run_nobody --run-dir /sys/netns add red
	assert_failure 1
	[[ $err == *'(needs root; try "netnsctl run" for a private world)' ]]
}
