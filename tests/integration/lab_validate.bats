#!/usr/bin/env bats
# lab validate: the examples, the summary (text and JSON), JSON input,
# standard input, and every refusal with its exact line and column.

load helpers

setup() {
	F=$BATS_TEST_TMPDIR/lab.yaml
}

# refuse CONTENT MESSAGE: validating CONTENT fails with exit 2, nothing on
# stdout and exactly one line on stderr: "netnsctl: $F:MESSAGE".
refuse() {
	printf '%s' "$1" >"$F"
	run_n lab validate "$F"
	if [ "$status" != 2 ] || [ "$err" != "netnsctl: $F:$2" ] || [ -n "$output" ]; then
		echo "input:"; printf '%s\n' "$1" | cat -n
		echo "want: 2 netnsctl: $F:$2"
		echo "got:  $status $err"
		echo "stdout: $output"
		return 1
	fi
	assert_one_error_line "$err"
}

# A lab with two nodes joined by one link, for the route/neighbour cases.
pair() {
	printf 'version: 1\nname: p\nnodes:\n  a:\n%s\n  b: {}\nlinks:\n' "$1"
	printf '  - a: {node: a, ifname: e0, addresses: [203.0.113.1/30]}\n'
	printf '    b: {node: b, ifname: e0, addresses: [203.0.113.2/30]}\n'
}

@test "every example validates, and there are the promised ones" {
	for f in demo star chain two-bridges; do [ -f "$EX/$f.yaml" ]; done
	n=0
	for f in "$EX"/*.yaml; do
		run_n lab validate "$f"
		[ "$status" = 0 ] || { echo "$f: $err"; return 1; }
		[ -z "$err" ]
		[[ $output =~ ^[A-Za-z0-9_-]+:\ [0-9]+\ nodes?,\ [0-9]+\ bridges?,\ [0-9]+\ links?,\ [0-9]+\ ready\ checks?$ ]] ||
			{ echo "$f: $output"; return 1; }
		n=$((n + 1))
	done
	[ "$n" -ge 4 ]
}

@test "the summary counts nodes, bridges, links and ready checks" {
	run_n lab validate "$EX/demo.yaml"
	assert_success
	assert_output "demo: 3 nodes, 1 bridge, 3 links, 1 ready check"
	run_n lab validate "$EX/two-bridges.yaml"
	assert_output "two-bridges: 4 nodes, 2 bridges, 5 links, 2 ready checks"
	printf 'version: 1\nname: one\nnodes:\n  a:\n' >"$F"
	run_n lab validate "$F"
	assert_output "one: 1 node, 0 bridges, 0 links, 0 ready checks"
}

@test "-j prints the lab as a JSON object, -p indented" {
	run_n -j lab validate "$EX/demo.yaml"
	assert_success
	[ "$(echo "$output" | wc -l)" -eq 1 ]
	[ "$(echo "$output" | jq -c .)" = '{"name":"demo","nodes":[{"name":"r1","netns":"demo.r1"},{"name":"r2","netns":"demo.r2"},{"name":"h1","netns":"demo.h1"}],"bridges":[{"name":"lan","netns":"demo._switch","ports":2}],"links":3,"ready":1}' ]
	run_n -j -p lab validate "$EX/two-bridges.yaml"
	assert_success
	[ "$(echo "$output" | wc -l)" -gt 1 ]
	[ "$(echo "$output" | jq -c '[.bridges[] | [.name, .ports]]')" = '[["lan1",3],["lan2",2]]' ]
	# errors stay one line on stderr, nothing on stdout
	printf 'version: 2\n' >"$F"
	run_n -j lab validate "$F"
	assert_equal "$status" 2
	assert_equal "$output" ""
	assert_equal "$err" "netnsctl: $F:1:10: unsupported version 2 (this netnsctl reads version 1)"
}

@test "JSON input is read like YAML, with positions" {
	cat >"$F" <<-'EOF'
	{
	  "version": 1,
	  "name": "pair",
	  "defaults": {"mtu": 1400},
	  "nodes": {"a": {"routes": [{"to": "198.51.100.0/24", "via": "203.0.113.2"}]}, "b": null},
	  "links": [{"a": {"node": "a", "ifname": "eth0", "addresses": ["203.0.113.1/30"]},
	             "b": {"node": "b", "ifname": "eth0", "addresses": ["203.0.113.2/30", "2001:db8::2/64"]}}],
	  "ready": [{"from": "a", "ping": "203.0.113.2", "timeout": 2}]
	}
	EOF
	run_n lab validate "$F"
	assert_success
	assert_output "pair: 2 nodes, 0 bridges, 1 link, 1 ready check"
	sed -i 's/"mtu": 1400/"mtu": "1400"/' "$F"
	run_n lab validate "$F"
	assert_equal "$status" 2
	assert_equal "$err" "netnsctl: $F:4:23: \"mtu\" must be a number, not a string"
}

@test "- reads standard input, named <stdin> in errors" {
	run_n lab validate - <"$EX/star.yaml"
	assert_success
	assert_output "star: 4 nodes, 1 bridge, 4 links, 2 ready checks"
	printf 'version: 1\nname: s\nnodes:\n  a: {}\n  a: {}\n' >"$F"
	run_n lab validate - <"$F"
	assert_equal "$status" 2
	assert_equal "$err" 'netnsctl: <stdin>:5:3: duplicate key "a" (first at line 4, column 3)'
	run_n lab validate - </dev/null
	assert_equal "$status" 2
	assert_equal "$err" 'netnsctl: <stdin>:1:1: empty file: no YAML document'
}

@test "validate changes nothing on the system" {
	for f in "$EX"/*.yaml; do "$N" lab validate "$f" >/dev/null; done
	run ip netns list
	assert_output ""
	[ -z "$(ls -A /run/netns 2>/dev/null)" ]
	run ip -o link show
	[ "$(echo "$output" | wc -l)" -eq 1 ]
	[[ $output == *": lo:"* ]]
}

@test "lab: usage errors and help" {
	run_n lab
	assert_equal "$status" 2
	assert_equal "$err" "netnsctl: lab: missing command (try: netnsctl lab -h)"
	run_n lab frobnicate
	assert_equal "$status" 2
	assert_equal "$err" 'netnsctl: lab: unknown command "frobnicate" (try: netnsctl lab -h)'
	run_n lab validate
	assert_equal "$status" 2
	assert_equal "$err" "netnsctl: lab validate: missing FILE"
	run_n lab validate a b
	assert_equal "$status" 2
	assert_equal "$err" 'netnsctl: lab validate: unexpected argument "b"'
	run_n lab validate -x f
	assert_equal "$status" 2
	assert_equal "$err" 'netnsctl: lab validate: unknown option "-x"'
	run_n -n ns1 lab validate "$EX/demo.yaml"
	assert_equal "$status" 2
	assert_equal "$err" "netnsctl: lab: -n/--netns does not apply to this command"

	for h in -h --help help; do
		run_n lab $h
		assert_success
		[[ $output == "Usage: netnsctl lab COMMAND"* ]]
		[[ $output == *"validate FILE"* ]]
	done
	run_n lab validate -h
	assert_success
	[[ $output == "Usage: netnsctl lab validate FILE"$'\n'* ]]
	run_n --help
	[[ $output == *"  lab "* ]]
}

@test "-- ends options, so a file may start with -" {
	cp "$EX/demo.yaml" "$BATS_TEST_TMPDIR/-lab.yaml"
	cd "$BATS_TEST_TMPDIR"
	run_n lab validate -- -lab.yaml
	assert_success
	assert_output "demo: 3 nodes, 1 bridge, 3 links, 1 ready check"
}

@test "files that cannot be read: usage errors naming the file" {
	run_n lab validate /nonexistent/lab.yaml
	assert_equal "$status" 2
	assert_equal "$err" 'netnsctl: open "/nonexistent/lab.yaml": No such file or directory'
	run_n lab validate "$BATS_TEST_TMPDIR"
	assert_equal "$status" 2
	assert_equal "$err" "netnsctl: read \"$BATS_TEST_TMPDIR\": Is a directory"
	{ echo "version: 1"; head -c 1048576 /dev/zero | tr '\0' '#'; } >"$F"
	run_n lab validate "$F"
	assert_equal "$status" 2
	assert_equal "$err" "netnsctl: $F: larger than 1048576 bytes"
	run_n lab validate - <"$F"
	assert_equal "$status" 2
	assert_equal "$err" "netnsctl: <stdin>: larger than 1048576 bytes"
}

@test "refused: not YAML, not UTF-8, empty, too deep, too many" {
	refuse '' "1:1: empty file: no YAML document"
	refuse $'# only a comment\n' "1:1: empty file: no YAML document"
	refuse $'version: 1\nname: [a\n' "3:1: invalid YAML: did not find expected ',' or ']' (while parsing a flow sequence at line 2, column 7)"
	refuse $'version: 1\n name: x\n' "2:6: invalid YAML: mapping values are not allowed in this context"
	refuse $'version: 1\nname: "x\n' "3:1: invalid YAML: found unexpected end of stream (while scanning a quoted scalar at line 2, column 7)"
	refuse $'version: 1\n\tname: x\n' "2:1: invalid YAML: found a tab character that violates indentation (while scanning a plain scalar at line 1, column 10)"
	refuse $'version: 1\nname: caf\xe9\n' "2:10: not UTF-8 text (byte 0xe9)"
	refuse $'\xff\xfev\x00e\x00' "1:1: not UTF-8 text (byte 0xff)"
	refuse $'version: 1\nname: x\x01\n' "2:8: control characters are not allowed (byte 0x01)"
	refuse $'[1]\n' "1:1: the top level must be a map, not a list"
	refuse $'just text\n' "1:1: the top level must be a map, not a scalar"
	refuse "x: $(printf '[%.0s' {1..20})" "1:19: nested deeper than 16 levels"
	refuse "x: [$(printf '1,%.0s' {1..4097})1]" "1:8197: more than 4096 entries in one list"
	refuse "x: $(head -c 4097 /dev/zero | tr '\0' a)" "1:4: value longer than 4096 bytes"
}

@test "refused: anchors, aliases, tags, duplicate keys, documents, odd keys" {
	refuse $'version: 1\nname: x\nnodes:\n  a: &common {}\n  b: *common\n' '4:6: anchors ("&name") are not allowed'
	refuse $'version: 1\nname: x\nnodes:\n  a: {}\n  b: *common\n' '5:6: aliases ("*name") are not allowed'
	# a "billion laughs" is refused at its first anchor, not expanded
	refuse $'a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n' '1:4: anchors ("&name") are not allowed'
	refuse $'version: 1\nname: !!str x\n' '2:7: tags ("!tag") are not allowed'
	refuse $'version: 1\nname: x\nname: y\n' '3:1: duplicate key "name" (first at line 2, column 1)'
	refuse $'version: 1\nname: x\nnodes:\n  r1: {}\n  r2: {}\n  r1: {}\n' '6:3: duplicate key "r1" (first at line 4, column 3)'
	refuse $'version: 1\nname: x\nnodes:\n  a: {}\n---\nversion: 1\n' '5:1: more than one YAML document ("---")'
	refuse $'version: 1\nname: x\nnodes:\n  ? [a]\n  : {}\n' '4:5: a key must be a string, not a list'
	refuse $'version: 1\nname: x\nnodes:\n  a:\n    exec: ["a\\0b"]\n' '5:12: value contains a NUL character'
}

@test "refused: version, name, top-level keys, wrong types" {
	refuse $'name: x\nnodes:\n  a: {}\n' '1:1: missing "version" (this netnsctl reads version 1)'
	refuse $'version: 2\nname: x\n' '1:10: unsupported version 2 (this netnsctl reads version 1)'
	refuse $'version: "1"\n' '1:10: "version" must be a number, not a string'
	refuse $'version: 1\nnodes:\n  a: {}\n' '1:1: missing "name"'
	refuse $'version: 1\nname: x\n' '1:1: missing "nodes"'
	refuse $'version: 1\nname: x\nnodes: {}\n' '3:8: a lab needs at least one node'
	refuse $'version: 1\nname: x\nnodes:\nlinks: []\n' '3:7: a lab needs at least one node'
	refuse $'version: 1\nname: x\nnodes:\n  - a\n' '4:3: "nodes" must be a map, not a list'
	refuse $'version: 1\nname: x\nnodes:\n  a: [eth0]\n' '4:6: node "a" must be a map, not a list'
	refuse $'version: 1\nname: x\nnode:\n  a: {}\n' '3:1: unknown key "node" in the top level (expected version, name, defaults, hosts, nodes, bridges, links or ready)'
	refuse $'version: 1\nname: x\nnodes:\n  a:\n    route: []\n' '5:5: unknown key "route" in node "a" (expected host, loopback, sysctls, routes, neighbours, exec or services)'
	refuse $'version: 1\nname: x\ndefaults:\n  mtu: 1500\n  ttl: 5\nnodes:\n  a: {}\n' '5:3: unknown key "ttl" in defaults (expected hostname, mtu, sysctls, vni_base or vxlan_port)'
	refuse $'version: 1\nname: x\ndefaults: [1500]\nnodes:\n  a: {}\n' '3:11: "defaults" must be a map, not a list'
	refuse $'version: 1\nname: x\ndefaults: {mtu: 1500.5}\nnodes:\n  a: {}\n' '3:17: invalid mtu "1500.5"'
	refuse $'version: 1\nname: x\ndefaults: {mtu: 67}\nnodes:\n  a: {}\n' '3:17: mtu "67" out of range (68..65535)'
	refuse $'version: 1\nname: x\nnodes:\n  a:\n    loopback: 192.0.2.1/32\n' '5:15: "loopback" must be a list, not a scalar'
	refuse $'version: 1\nname: x\nnodes:\n  a:\n    exec: [[ls]]\n' '5:12: "exec" must be a string, not a list'
	refuse $'version: 1\nname: x\nnodes:\n  a:\n    exec: ["echo \\x07"]\n' '5:12: a command contains a control character (0x07)'
}

@test "refused: lab, node and bridge names" {
	refuse $'version: 1\nname: my lab\nnodes:\n  a: {}\n' "2:7: invalid lab name \"my lab\": use letters, digits, '-' and '_', starting with a letter or digit"
	refuse $'version: 1\nname: x.y\nnodes:\n  a: {}\n' "2:7: invalid lab name \"x.y\": use letters, digits, '-' and '_', starting with a letter or digit"
	refuse $'version: 1\nname: x\nnodes:\n  _switch: {}\n' "4:3: invalid node name \"_switch\": use letters, digits, '-' and '_', starting with a letter or digit"
	refuse $'version: 1\nname: x\nnodes:\n  ../a: {}\n' "4:3: invalid node name \"../a\": use letters, digits, '-' and '_', starting with a letter or digit"
	refuse "$(printf 'version: 1\nname: %s\nnodes:\n  a: {}\n' "$(head -c 248 /dev/zero | tr '\0' l)")" '2:7: lab name longer than 247 bytes'
	refuse "$(printf 'version: 1\nname: %s\nnodes:\n  a: {}\n  %s: {}\n' "$(head -c 200 /dev/zero | tr '\0' l)" "$(head -c 55 /dev/zero | tr '\0' n)")" "5:3: the namespace name of node \"nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn...\" would be 256 bytes long (at most 255)"
	refuse $'version: 1\nname: x\nnodes:\n  a: {}\nbridges:\n  a: {}\n' '6:3: bridge "a" has the name of a node'
	refuse $'version: 1\nname: x\nnodes:\n  a: {}\nbridges:\n  lo: {}\n' "6:3: bridge name \"lo\" is the loopback device's"
	refuse $'version: 1\nname: x\nnodes:\n  a: {}\nbridges:\n  backbone-bridge1: {}\n' '6:3: invalid bridge name: invalid interface name "backbone-bridge1": longer than 15 bytes'
	refuse $'version: 1\nname: x\nnodes:\n  a: {}\nbridges:\n  b:\n    stp: on\n' '7:5: unknown key "stp" in bridge "b" (expected host or mtu)'
}

@test "refused: links and their ends" {
	H=$'version: 1\nname: x\nnodes:\n  a: {}\n  b: {}\nbridges:\n  lan: {}\nlinks:\n'
	refuse "$H"$'  - a: {node: a, ifname: eth0}\n' '9:5: a link needs "b"'
	refuse "$H"$'  - b: {node: a, ifname: eth0}\n' '9:5: a link needs "a"'
	refuse "$H"$'  - a: {node: a, ifname: eth0}\n    b: {node: b, ifname: eth0}\n    mtu: 70000\n' '11:10: mtu "70000" out of range (68..65535)'
	refuse "$H"$'  - a: {node: a, ifname: eth0}\n    b: {node: b, ifname: eth0}\n    up: true\n' '11:5: unknown key "up" in a link (expected a, b, mtu, vni or impair)'
	refuse "$H"$'  - a: {node: a, ifname: eth0}\n    b: {node: c, ifname: eth0}\n' '10:15: no node "c" in this lab'
	refuse "$H"$'  - a: {node: a, ifname: eth0}\n    b: {bridge: wan}\n' '10:17: no bridge "wan" in this lab'
	refuse "$H"$'  - a: {node: a, ifname: eth0}\n    b: {node: b, bridge: lan}\n' '10:26: a link end is on a node or on a bridge, not both'
	refuse "$H"$'  - a: {node: a, ifname: eth0}\n    b: {ifname: eth0}\n' '10:8: a link end needs "node" or "bridge"'
	refuse "$H"$'  - a: {node: a, ifname: eth0}\n    b: {node: b}\n' '10:8: a link end on a node needs "ifname"'
	refuse "$H"$'  - a: {node: a, ifname: eth0}\n    b: b\n' '10:8: a link end must be a map, not a scalar'
	refuse "$H"$'  - a: {node: a, ifname: eth0}\n    b: {node: b, ifname: eth0, address: [192.0.2.1/24]}\n' '10:32: unknown key "address" in a link end (expected node, ifname, addresses, mac, bridge, impair or dynamic)'
	refuse "$H"$'  - a: {bridge: lan}\n    b: {bridge: lan}\n' '9:5: a link between two bridges is not supported (one end must be on a node)'
	refuse "$H"$'  - a: {node: a, ifname: eth0}\n    b: {bridge: lan, addresses: [192.0.2.1/24]}\n' "10:33: a link end on a bridge has no addresses (put them on a node, or on the bridge's other links)"
	refuse "$H"$'  - a: {node: a, ifname: eth0}\n    b: {bridge: lan, mac: "02:00:00:00:00:01"}\n' '10:27: a link end on a bridge takes no "mac"'
	refuse "$H"$'  - a: {node: a, ifname: eth0}\n    b: {node: b, ifname: eth0}\n  - a: {node: a, ifname: eth0}\n    b: {node: b, ifname: eth1}\n' '11:26: node "a" already has an interface "eth0" (line 9, column 26)'
	refuse "$H"$'  - a: {node: a, ifname: lo}\n    b: {node: b, ifname: eth0}\n' "9:26: interface name \"lo\" is the loopback device's"
	refuse "$H"$'  - a: {node: a, ifname: a-very-long-name}\n    b: {node: b, ifname: eth0}\n' '9:26: invalid interface name "a-very-long-name": longer than 15 bytes'
	refuse "$H"$'  - a: {node: a, ifname: "eth/0"}\n    b: {node: b, ifname: eth0}\n' "9:26: invalid interface name \"eth/0\": contains '/'"
	refuse "$H"$'  - a: {node: a, ifname: eth0, mac: "01:00:5e:00:00:01"}\n    b: {node: b, ifname: eth0}\n' '9:37: MAC address "01:00:5e:00:00:01" is a multicast address (the first octet is odd)'
	refuse "$H"$'  - a: {node: a, ifname: eth0, mac: "00:00:00:00:00:00"}\n    b: {node: b, ifname: eth0}\n' '9:37: MAC address "00:00:00:00:00:00" is all zeros'
	refuse "$H"$'  - a: {node: a, ifname: eth0, mac: "02:00:00:00:00:0g"}\n    b: {node: b, ifname: eth0}\n' '9:37: invalid MAC address "02:00:00:00:00:0g"'
	refuse "$H"$'  - a: {node: a, ifname: eth0, addresses: [192.0.2.1/24]}\n    b: {node: b, ifname: eth0, addresses: [192.0.2.1/25]}\n' '10:44: address 192.0.2.1 is already in the lab (line 9, column 44)'
	refuse "$H"$'  - a: {node: a, ifname: eth0, addresses: [192.0.2.1/24, 2001:db8::/129]}\n    b: {node: b, ifname: eth0}\n' '9:58: invalid prefix "2001:db8::/129": length must be 0..128'
	refuse "$H"$'  - a: {node: a, ifname: eth0, addresses: 192.0.2.1/24}\n    b: {node: b, ifname: eth0}\n' '9:43: "addresses" must be a list, not a scalar'
}

@test "refused: switch port names" {
	H=$'version: 1\nname: x\nnodes:\n  a: {}\nbridges:\n'
	refuse "$H"$'  backbone-lan12: {}\nlinks:\n  - a: {node: a, ifname: eth0}\n    b: {bridge: backbone-lan12}\n' '9:17: the switch port name "backbone-lan12-1" is longer than 15 bytes: give this end an "ifname" or the bridge a shorter name'
	refuse "$H"$'  lan: {}\n  lan-1: {}\nlinks:\n  - a: {node: a, ifname: eth0}\n    b: {bridge: lan}\n' '10:17: the name "lan-1" is already used in namespace "x._switch" (line 7, column 3)'
	refuse "$H"$'  lan: {}\nlinks:\n  - a: {node: a, ifname: eth0}\n    b: {bridge: lan, ifname: lan-2}\n  - a: {node: a, ifname: eth1}\n    b: {bridge: lan}\n' '11:17: the name "lan-2" is already used in namespace "x._switch" (line 9, column 30)'
	# a given name makes a long bridge name usable
	printf '%s' "$H"$'  backbone-lan12: {}\nlinks:\n  - a: {node: a, ifname: eth0}\n    b: {bridge: backbone-lan12, ifname: bb1-a}\n' >"$F"
	run_n lab validate "$F"
	assert_success
}

@test "refused: loopback addresses and sysctls" {
	H=$'version: 1\nname: x\nnodes:\n  a:\n'
	refuse "$H"$'    loopback: [192.0.2.1/32, 192.0.2.256/32]\n' '5:30: invalid prefix "192.0.2.256/32"'
	refuse "$H"$'    loopback: [192.0.2.1/32]\n  b:\n    loopback: [192.0.2.1/32]\n' '7:16: address 192.0.2.1 is already in the lab (line 5, column 16)'
	refuse "$H"$'    sysctls:\n      kernel.hostname: x\n' '6:7: sysctl "kernel.hostname" is not under "net." (only those belong to a network namespace)'
	refuse "$H"$'    sysctls:\n      net.ipv4.../../x: 1\n' "6:7: invalid sysctl name \"net.ipv4.../../x\": use words of letters, digits, '-' and '_' separated by single dots"
	refuse "$H"$'    sysctls:\n      net.ipv4.ip forward: 1\n' "6:7: invalid sysctl name \"net.ipv4.ip forward\": use words of letters, digits, '-' and '_' separated by single dots"
	refuse "$H"$'    sysctls:\n      net.ipv4.ip_forward:\n' '6:27: sysctl "net.ipv4.ip_forward" has no value'
	refuse "$H"$'    sysctls:\n      net.ipv4.ip_forward: [1]\n' '6:28: sysctl "net.ipv4.ip_forward" must be a number or string, not a list'
	refuse "$H"$'    sysctls:\n      net.ipv4.ip_forward: "1\\n"\n' '6:28: sysctl value contains a control character (0x0a)'
	refuse "$H"$'    sysctls: [net.ipv4.ip_forward]\n' '5:14: "sysctls" must be a map, not a list'
	refuse $'version: 1\nname: x\ndefaults:\n  sysctls: {vm.swappiness: 1}\nnodes:\n  a: {}\n' '4:13: sysctl "vm.swappiness" is not under "net." (only those belong to a network namespace)'
}

@test "refused: routes" {
	refuse "$(pair '    routes: [{to: 198.51.100.0/24, via: "2001:db8::1"}]')" '5:41: gateway 2001:db8::1 is IPv6 but the route to 198.51.100.0/24 is IPv4'
	refuse "$(pair '    routes: [{to: "2001:db8:2::/64", via: 203.0.113.2}]')" '5:43: gateway 203.0.113.2 is IPv4 but the route to 2001:db8:2::/64 is IPv6'
	refuse "$(pair '    routes: [{to: 198.51.100.7/24, via: 203.0.113.2}]')" '5:19: prefix 198.51.100.7/24 has host bits set (the network is 198.51.100.0/24)'
	refuse "$(pair '    routes: [{to: 198.51.100.0/24, via: 203.0.113.9}]')" '5:41: gateway 203.0.113.9 is not in a subnet of any interface of node "a"'
	refuse "$(pair '    routes: [{to: 198.51.100.0/24, via: 203.0.113.2, dev: eth9}]')" '5:59: node "a" has no interface "eth9"'
	refuse "$(pair '    routes: [{to: default, dev: e0}]')" '5:19: a default route without "via" has no address family: write 0.0.0.0/0 or ::/0'
	refuse "$(pair '    routes: [{to: default, via: 203.0.113.2}, {to: 0.0.0.0/0, dev: e0}]')" '5:47: node "a" has a route to default (IPv4) with this metric already (line 5, column 14)'
	refuse "$(pair '    routes: [{to: 198.51.100.0/24, via: 203.0.113.2, metric: 5}, {to: 198.51.100.0/24, dev: e0, metric: 5}]')" '5:66: node "a" has a route to 198.51.100.0/24 with this metric already (line 5, column 14)'
	refuse "$(pair '    routes: [{to: "::/0", via: "fe80::1"}]')" '5:32: link-local gateway fe80::1 needs "dev"'
	refuse "$(pair '    routes: [{to: 198.51.100.0/24}]')" '5:14: a route needs "via" or "dev"'
	refuse "$(pair '    routes: [{via: 203.0.113.2}]')" '5:14: a route needs "to"'
	refuse "$(pair '    routes: [{to: 198.51.100.0/24, via: 203.0.113.2/30}]')" '5:41: invalid address "203.0.113.2/30": no prefix length allowed here'
	refuse "$(pair '    routes: [{to: 198.51.100.0/24, dev: e0, metric: 4294967296}]')" '5:53: metric "4294967296" out of range (0..4294967295)'
	refuse "$(pair '    routes: [{to: 198.51.100.0/24, dev: e0, table: main}]')" '5:45: unknown key "table" in a route (expected to, via, dev or metric)'
	refuse "$(pair '    routes: {to: 198.51.100.0/24}')" '5:13: "routes" must be a list, not a map'
	# what is allowed: same prefix, other metric; link-local gateway with dev
	pair '    routes: [{to: 198.51.100.0/24, via: 203.0.113.2}, {to: 198.51.100.0/24, dev: e0, metric: 9}, {to: "::/0", via: "fe80::2", dev: e0}]' >"$F"
	run_n lab validate "$F"
	assert_success
}

@test "refused: neighbours" {
	refuse "$(pair '    neighbours: [{dev: e1, address: 203.0.113.2, lladdr: "02:00:00:00:00:02"}]')" '5:24: node "a" has no interface "e1"'
	refuse "$(pair '    neighbours: [{dev: e0, address: 203.0.113.2, lladdr: "02:00:00:00:00:02"}, {dev: e0, address: 203.0.113.2, lladdr: "02:00:00:00:00:03"}]')" '5:80: node "a" has a neighbour 203.0.113.2 on "e0" already (line 5, column 18)'
	refuse "$(pair '    neighbours: [{dev: e0, address: 203.0.113.2}]')" '5:18: a neighbour needs "lladdr"'
	refuse "$(pair '    neighbours: [{dev: e0, address: 203.0.113.2, lladdr: "02:00:00:00:00"}]')" '5:58: invalid MAC address "02:00:00:00:00"'
	refuse "$(pair '    neighbours: [{dev: e0, address: 203.0.113.0/30, lladdr: "02:00:00:00:00:02"}]')" '5:37: invalid address "203.0.113.0/30": no prefix length allowed here'
	refuse "$(pair '    neighbours: [{dev: e0, address: 203.0.113.2, lladdr: "02:00:00:00:00:02", state: permanent}]')" '5:79: unknown key "state" in a neighbour (expected dev, address or lladdr)'
}

@test "refused: ready checks" {
	H=$'version: 1\nname: x\nnodes:\n  a: {}\nready:\n'
	refuse "$H"$'  - {from: b, ping: 192.0.2.1}\n' '6:12: no node "b" in this lab'
	refuse "$H"$'  - {ping: 192.0.2.1}\n' '6:5: a ready check needs "from"'
	refuse "$H"$'  - {from: a}\n' '6:5: a ready check needs "ping", "tcp" or "cmd"'
	refuse "$H"$'  - {from: a, ping: www.example.com}\n' '6:21: invalid address "www.example.com"'
	refuse "$H"$'  - {from: a, ping: 192.0.2.1, timeout: 0}\n' '6:41: timeout "0" out of range (1..3600)'
	refuse "$H"$'  - {from: a, ping: 192.0.2.1, count: 3}\n' '6:32: unknown key "count" in a ready check (expected from, ping, tcp, cmd, timeout or service)'
	refuse "$H"$'  from: a\n' '6:3: "ready" must be a list, not a map'
}
