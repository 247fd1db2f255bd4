# For link, veth, addr and lab tests (load after helpers).

# Our JSON against ip -j's: every field we print, at every depth, must be in
# ip's output with the same value and type; arrays must have the same length.
# $1: ours, $2: ip's.
same_as_ip() {
	if ! jq -ne --argjson a "$1" --argjson b "$2" '
		def proj($x; $y):
			if ($x|type) == "object" and ($y|type) == "object" then
				reduce ($x|keys[]) as $k ({}; . + {($k): proj($x[$k]; $y[$k])})
			elif ($x|type) == "array" and ($y|type) == "array" and
			     ($x|length) == ($y|length) then
				[range(0; $x|length) as $i | proj($x[$i]; $y[$i])]
			else $y end;
		proj($a; $b) == $a' >/dev/null; then
		echo "ours: $1"
		echo "ip:   $2"
		return 1
	fi
}

# Every object of JSON array $1 has all the keys that follow.
has_keys() {
	local json=$1; shift
	local keys
	keys=$(printf '"%s",' "$@")
	echo "$json" | jq -e "length > 0 and all(.[]; . as \$o | [${keys%,}] | all(. as \$k | \$o | has(\$k)))" \
		>/dev/null || { echo "missing one of $* in: $json"; return 1; }
}

# Output of a command, for "nothing changed" checks.
snapshot() {
	{ ip -br link; ip -br addr; for ns in $(ip netns list | awk '{print $1}'); do
		ip -n "$ns" -br link; ip -n "$ns" -br addr; done; } 2>&1
}

# ip -j link field of one device: jfield [-n NS] DEV FIELD
jfield() {
	local n=()
	if [ "$1" = -n ]; then n=(-n "$2"); shift 2; fi
	ip "${n[@]}" -j link show "$1" | jq -r ".[0].$2"
}

# No IPv6 address is still tentative (DAD done) in namespace $1 ("" for ours).
no_tentative() {
	local n=()
	[ -z "$1" ] || n=(-n "$1")
	ip "${n[@]}" -j addr | jq -e '[.[].addr_info[] | select(.tentative)] | length == 0' >/dev/null
}
