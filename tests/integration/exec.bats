#!/usr/bin/env bats
# exec: the environment ip netns exec gives, exit codes, users, fds.

load helpers

setup() {
	"$N" add ns1
}

@test "exec runs inside: the namespace's own devices in ip and /sys" {
	ip link add vx0 type veth peer name vx1
	run "$N" exec ns1 ip -o link show
	assert_success
	refute_output --partial vx0
	run "$N" exec ns1 ls /sys/class/net
	assert_output "lo"
	run ls /sys/class/net
	assert_output --partial vx0
}

@test "exec: arguments after the command are the command's, not ours" {
	run "$N" exec ns1 echo -j -n x --help
	assert_output "-j -n x --help"
	run "$N" exec -- ns1 echo hi
	assert_output "hi"
}

@test "exec binds /etc/netns/NAME files over /etc, inside only" {
	mkdir -p /etc/netns/ns1
	echo "nameserver 192.0.2.53" > /etc/netns/ns1/resolv.conf
	echo "203.0.113.9 lab-host" > /etc/netns/ns1/hosts
	run "$N" exec ns1 cat /etc/resolv.conf
	assert_output "nameserver 192.0.2.53"
	run "$N" exec ns1 cat /etc/hosts
	assert_output "203.0.113.9 lab-host"
	run cat /etc/resolv.conf
	refute_output "nameserver 192.0.2.53"
}

@test "exec binds onto the real file when /etc/X is a symlink" {
	echo "nameserver 198.51.100.1" > /run/real-resolv.conf
	mv /etc/resolv.conf /etc/resolv.conf.orig 2>/dev/null || true
	ln -s /run/real-resolv.conf /etc/resolv.conf
	mkdir -p /etc/netns/ns1
	echo "nameserver 192.0.2.53" > /etc/netns/ns1/resolv.conf
	run "$N" exec ns1 cat /etc/resolv.conf
	assert_output "nameserver 192.0.2.53"
	run cat /run/real-resolv.conf
	assert_output "nameserver 198.51.100.1"
}

@test "exec: mounts made inside do not leak out" {
	run "$N" exec ns1 sh -c 'mkdir -p /run/inner && mount -t tmpfs t /run/inner && echo ok'
	assert_output "ok"
	! grep -q ' /run/inner ' /proc/self/mountinfo
}

@test "exec exit status: the command's, signals as 128+N" {
	run "$N" exec ns1 sh -c 'exit 42'
	assert_equal "$status" 42
	run "$N" exec ns1 sh -c 'kill -TERM $$'
	assert_equal "$status" 143
	run "$N" exec ns1 true
	assert_success
}

@test "exec exit status: 127 not found, 126 cannot run, 125 our failures" {
	run_n exec ns1 /nonexistent/cmd
	assert_equal "$status" 127
	assert_one_error_line "$err"
	run_n exec ns1 no-such-command-here
	assert_equal "$status" 127
	printf 'data\n' > /run/notexec
	chmod 644 /run/notexec
	run_n exec ns1 /run/notexec
	assert_equal "$status" 126
	assert_one_error_line "$err"
	run_n exec nope true
	assert_equal "$status" 125
	assert_equal "$err" 'netnsctl: exec: netns "nope": no such namespace'
	run_n exec ../x true
	assert_equal "$status" 125
	run_n exec ns1
	assert_equal "$status" 125
	run_n exec
	assert_equal "$status" 125
	run_n exec --bogus ns1 true
	assert_equal "$status" 125
	run_n exec -u
	assert_equal "$status" 125
	run_n -n ns1 exec ns1 true
	assert_equal "$status" 125
}

@test "exec: the command inherits none of our fds, and keeps the caller's" {
	# the same listing with and without netnsctl in between, with an
	# extra fd 7 passed by the caller: it must be there, and nothing more
	exec 7</dev/null
	base=$(sh -c 'ls /proc/self/fd' | sort -n | tr '\n' ' ')
	ours=$("$N" exec ns1 sh -c 'ls /proc/self/fd' | sort -n | tr '\n' ' ')
	exec 7<&-
	[[ " $ours " == *" 7 "* ]]
	assert_equal "$ours" "$base"
}

@test "exec --user drops uid, gid and supplementary groups" {
	add_labuser
	run "$N" exec --user labuser ns1 id -u
	assert_output "4321"
	run "$N" exec -u labuser ns1 id -G
	assert_output "4321 4322"
	run "$N" exec --user=labuser ns1 sh -c 'echo $USER $HOME'
	assert_output "labuser /run"
	run "$N" exec -u labuser ns1 ip -br link show lo
	assert_success
	run_n exec -u nosuchuser ns1 true
	assert_equal "$status" 125
	assert_one_error_line "$err"
}

@test "exec --all runs in each namespace in name order, header per namespace" {
	"$N" add b a
	run "$N" exec --all sh -c 'echo in; ip -br link show lo | cut -d" " -f1'
	assert_success
	assert_output "$(printf '\nnetns: a\nin\nlo\n\nnetns: b\nin\nlo\n\nnetns: ns1\nin\nlo')"
}

@test "exec --all goes on after a failure, exits 1 and names it" {
	"$N" add a b
	touch /run/netns/c-stale
	run_n exec -a sh -c '[ "$(ip netns identify 2>/dev/null)" != b ]'
	assert_equal "$status" 1
	[[ $err == *'"b"'* ]]
	[[ $err == *'c-stale'* ]]
	[[ $output == *"netns: ns1"* ]]
}

@test "exec refuses a stale name with 125 and one line" {
	touch /run/netns/st
	run_n exec st true
	assert_equal "$status" 125
	assert_one_error_line "$err"
}
