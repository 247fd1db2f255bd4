#!/usr/bin/env bats
# bash and zsh completion: commands, options and namespace names.

load helpers

# The commands netnsctl --help lists, one a line.
commands() {
	"$N" --help | awk '/^Commands:/ {on=1; next} on && !NF {exit} on {print $1}'
}

@test "bash: every command of --help completes" {
	run complete_words netnsctl ""
	assert_success
	for cmd in $(commands); do
		echo "$output" | grep -qx "$cmd" || { echo "missing $cmd"; false; }
	done
}

@test "bash: command prefix and global options" {
	run complete_words netnsctl ad
	assert_output $'add\naddr'
	run complete_words netnsctl --js
	assert_output "--json"
}

@test "bash: namespace names for exec, delete, pids and -n" {
	"$N" add alpha beta
	run complete_words netnsctl exec ""
	assert_output $'alpha\nbeta'
	run complete_words netnsctl delete al
	assert_output "alpha"
	run complete_words netnsctl pids b
	assert_output "beta"
	run complete_words netnsctl -n ""
	assert_output $'alpha\nbeta'
	run complete_words netnsctl exec alpha ec
	assert_output --partial "echo"
}

@test "zsh: the completion file parses and names every command" {
	command -v zsh >/dev/null || skip "zsh not installed"
	zsh -n "$BATS_TEST_DIRNAME/../../completions/_netnsctl"
	for cmd in $(commands); do
		grep -q "'$cmd:" "$BATS_TEST_DIRNAME/../../completions/_netnsctl" ||
			{ echo "missing $cmd"; false; }
	done
}

@test "man page: every command of --help has an entry" {
	for cmd in $(commands); do
		grep -qE "^\.(It )?Cm $cmd( |$)" "$BATS_TEST_DIRNAME"/../../man/*.[58] ||
			{ echo "no man entry for $cmd"; false; }
	done
}

@test "bash: devices inside the namespace given with -n, keywords of link and addr" {
	"$N" add cns
	"$N" -n cns link add brx type bridge
	run complete_words netnsctl -n cns link set ""
	assert_output $'brx\ndev\nlo'
	run complete_words netnsctl -n cns link set brx m
	assert_output $'master\nmtu'
	run complete_words netnsctl link add x type v
	assert_output $'veth\nvxlan'
	run complete_words netnsctl -n cns addr add 192.0.2.1/24 dev ""
	assert_output $'brx\nlo'
	run complete_words netnsctl veth add a netns ""
	assert_output "cns"
}

@test "bash: lab names without the colon of lab list's output" {
	cat >/run/twosite.yaml <<-EOF
		version: 1
		name: twosite
		nodes: {a: {}, b: {}}
		links: [{a: {node: a, ifname: eth0}, b: {node: b, ifname: eth0}}]
	EOF
	"$N" lab apply /run/twosite.yaml >/dev/null
	run "$N" lab list
	assert_output --partial "twosite:"
	run complete_words netnsctl lab destroy tw
	assert_output "twosite"
	run complete_words netnsctl lab exec ""
	assert_output "twosite"
	run complete_words netnsctl lab exec twosite ""
	assert_output $'a\nb'
	"$N" lab destroy twosite >/dev/null
}

@test "bash: after -n NS, only the commands that take -n" {
	"$N" add nsa
	run complete_words netnsctl -n nsa ""
	assert_output "$(printf '%s\n' addr capture impair link list-id monitor neigh qdisc route set veth)"
	run complete_words netnsctl --netns nsa l
	assert_output $'link\nlist-id'
	# each of them takes it
	for cmd in $(complete_words netnsctl -n nsa ""); do
		run "$N" -n nsa "$cmd" --help
		assert_success
	done
	# without -n, every command
	run complete_words netnsctl l
	assert_output $'lab\nlink\nlist\nlist-id\nls'
}

@test "bash: help completes commands, then a group's subcommands" {
	run complete_words netnsctl he
	assert_output "help"
	run complete_words netnsctl help mo
	assert_output "monitor"
	run complete_words netnsctl help lab ap
	assert_output "apply"
	run complete_words netnsctl help link a
	assert_output "add"
	run complete_words netnsctl help add ""
	assert_output ""
}

# Run the zsh completion function with the completion system's parts
# stubbed: _arguments puts it in state $1 with -n $ZNS (when set) and the
# words after the command "${@:2}"; _describe and _values print the names
# they would offer, one a line.
zsh_complete() {
	ZF=$BATS_TEST_DIRNAME/../../completions/_netnsctl zsh -fc '
		netnsctl() { "$N" "$@" }
		_arguments() {
			state=$ZSTATE
			[[ -n $ZNS ]] && opt_args[-n]=$ZNS
			words=("${ZWORDS[@]}") CURRENT=${#ZWORDS}
			return 0
		}
		_describe() { print -l ${${(P)4}%%:*} }
		_values() { shift; print -l "$@" }
		ZSTATE=$1; shift; ZWORDS=("$@")
		source $ZF' zsh "$@" | sort
}

@test "zsh: after -n NS, only the commands that take -n; help; lab names" {
	command -v zsh >/dev/null || skip "zsh not installed"
	export N
	ZNS=nsa run zsh_complete command
	assert_output "$(printf '%s\n' addr capture impair link list-id monitor neigh qdisc route set veth)"
	run zsh_complete command
	assert_line help
	assert_line add
	assert_line run
	run zsh_complete args help ""
	assert_line monitor
	cat >/run/twosite.yaml <<-EOF
		version: 1
		name: twosite
		nodes: {a: {}}
	EOF
	"$N" lab apply /run/twosite.yaml >/dev/null
	run zsh_complete args lab exec ""
	assert_output "twosite"
	"$N" lab destroy twosite >/dev/null
	# link set DEV: the devices inside -n's namespace
	"$N" add nsa
	"$N" -n nsa link add brz type bridge
	ZNS=nsa run zsh_complete args link set ""
	assert_output $'brz\nlo'
}

@test "bash: capture's interfaces and options, lab capture's nodes and interfaces" {
	"$N" lab apply "$EX/demo.yaml" >/dev/null
	run complete_words netnsctl -n demo.r1 capture ""
	assert_line dev
	assert_line eth1
	assert_line eth2
	run complete_words netnsctl -n demo.r1 capture dev eth1 --imm
	assert_output "--immediate-mode"
	run complete_words netnsctl lab capture demo ""
	assert_output $'h1\nr1\nr2'
	run complete_words netnsctl lab capture demo h1 ""
	assert_line eth0
	run complete_words netnsctl lab capture demo --br
	assert_output "--bridge"
}

@test "bash: lab ps and logs complete labs, nodes and services; destroy --kill" {
	cat > "$BATS_TEST_TMPDIR/svc.yaml" <<'LAB'
version: 1
name: svc
nodes:
  a: {services: {s1: {cmd: [sleep, "1000"]}, s2: {cmd: [sleep, "1001"]}}}
  b: {services: {s3: {cmd: [sleep, "1002"]}}}
LAB
	"$N" lab apply "$BATS_TEST_TMPDIR/svc.yaml" >/dev/null
	run complete_words netnsctl lab p
	assert_output "ps"
	run complete_words netnsctl lab ps ""
	assert_output "svc"
	run complete_words netnsctl lab logs svc ""
	assert_output $'a\nb'
	run complete_words netnsctl lab logs svc a ""
	assert_output $'s1\ns2'
	run complete_words netnsctl lab logs svc a s1 -
	assert_output $'--help\n-f\n-n'
	run complete_words netnsctl lab destroy --k
	assert_output "--kill"
	"$N" lab destroy svc >/dev/null
}
