# For lab_apply, lab_diff and lab_destroy tests (load after helpers and
# net_helpers).

EX=$BATS_TEST_DIRNAME/../../examples
STATE=/run/netnsctl/labs

teardown() {
	clean_all
	rm -rf /run/netnsctl
}

# A lab file from standard input: lab_file NAME  -> $BATS_TEST_TMPDIR/NAME.yaml
lab_file() {
	cat > "$BATS_TEST_TMPDIR/$1.yaml"
}

# The names in the run dir, sorted, space-separated.
ns_names() {
	ls /run/netns 2>/dev/null | sort | tr '\n' ' ' | sed 's/ $//'
}

# The link's ifalias (the lab's marker), or "".
alias_of() {
	ip -n "$1" -d -j link show "$2" | jq -r '.[0].ifalias // ""'
}

# Nothing but lo in the caller's (the sandbox's) own namespace.
nothing_here() {
	[ "$(ip -o link show | wc -l)" -eq 1 ]
}

# The global addresses of DEV in NS, "ADDR/LEN" sorted, space-separated.
addrs_of() {
	ip -n "$1" -j addr show dev "$2" |
		jq -r '[.[0].addr_info[] | select(.scope != "link") | "\(.local)/\(.prefixlen)"] |
		       sort | join(" ")'
}

# Is batch mode (netnsctl -b) in this build?
can_batch() {
	"$N" -b /dev/null >/dev/null 2>&1
}

# The state's record lines of a type: records LAB TYPE
records() {
	grep "^$2 " "$STATE/$1/state" | sort
}

# Ping from inside a namespace (bounded).
ping_from() {
	ip netns exec "$1" ping -c1 -W2 -q "$2" >/dev/null
}

# Every link that is up has its carrier, and no address is tentative, in
# each named namespace (links settle a moment after they are made).
settled() {
	local ns
	for ns in "$@"; do
		ip -n "$ns" -j addr | jq -e 'all(.[]; (.ifname == "lo" or
			((.flags | index("UP")) | not) or .operstate == "UP") and
			all(.addr_info[]; .tentative | not))' >/dev/null || return 1
	done
}
