# bash completion for netnsctl(8)                          -*- shell-script -*-

# Namespace names, from netnsctl itself (respects --run-dir / NETNSCTL_RUN_DIR).
_netnsctl_names()
{
	local rd=()
	[[ -n ${_nc_rundir-} ]] && rd=(--run-dir "$_nc_rundir")
	netnsctl "${rd[@]}" list 2>/dev/null | sed 's/ (.*$//'
}

# Interface names inside the namespace given with -n (or the caller's).
_netnsctl_devs()
{
	local opts=()
	[[ -n ${_nc_rundir-} ]] && opts+=(--run-dir "$_nc_rundir")
	[[ -n ${_nc_netns-} ]] && opts+=(-n "$_nc_netns")
	netnsctl "${opts[@]}" -br link show 2>/dev/null | awk '{ sub(/@.*/, "", $1); print $1 }'
}

# Lab names: the first field of "NAME: N namespaces, ..." without its colon.
_netnsctl_lab_names()
{
	netnsctl lab list 2>/dev/null | awk -F': ' '{ print $1 }'
}

# capture's options (lab capture adds --link and --bridge)
_netnsctl_capture_opts="-w -c --duration -s -p --no-promiscuous-mode --immediate-mode
	-B --buffer-size --pcapng --help"

# The value of a capture option: true when $prev takes one (completed here).
_netnsctl_capture_value()
{
	case $prev in
	-w) _filedir '@(pcap|pcapng)'; return 0 ;;
	-c|--duration|-s|-B|--buffer-size|--link|--bridge) return 0 ;;
	esac
	return 1
}

_netnsctl()
{
	local cur prev words cword
	_init_completion || return

	local commands="add attach delete del list ls identify pids exec set list-id
		link addr route neigh veth monitor lab run capture impair qdisc help"
	# the commands that act inside -n NS (the others refuse it)
	local netns_commands="set list-id link addr route neigh veth monitor capture impair qdisc"
	local globals="-h --help -V --version -j --json -p --pretty -n --netns -4 -6
		-s --stats -br --brief -b --batch -f --force -J --jobs --run-dir"

	# Walk the global options to find the command and -n/--run-dir values.
	local i=1 cmd="" _nc_netns="" _nc_rundir=""
	while [[ $i -lt $cword ]]; do
		case ${words[i]} in
		-n|--netns) _nc_netns=${words[i+1]}; ((i += 2)); continue ;;
		--run-dir) _nc_rundir=${words[i+1]}; ((i += 2)); continue ;;
		-b|--batch|-J|--jobs) ((i += 2)); continue ;;
		--) ((i++)); break ;;
		-*) ((i++)); continue ;;
		esac
		break
	done
	if [[ $i -lt $cword ]]; then
		cmd=${words[i]}
	fi

	if [[ -z $cmd ]]; then
		case $prev in
		-n|--netns) COMPREPLY=($(compgen -W "$(_netnsctl_names)" -- "$cur")); return ;;
		--run-dir) _filedir -d; return ;;
		-b|--batch) _filedir; return ;;
		-J|--jobs) COMPREPLY=($(compgen -W "1 2 4 8" -- "$cur")); return ;;
		esac
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "$globals" -- "$cur"))
		elif [[ -n $_nc_netns ]]; then
			COMPREPLY=($(compgen -W "$netns_commands" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "$commands" -- "$cur"))
		fi
		return
	fi

	# Arguments after the command: args[0] is the command.
	local args=("${words[@]:i:cword-i}") nargs=$((cword - i))
	local sub=${args[1]-}

	case $cmd in
	add)
		[[ $cur == -* ]] && COMPREPLY=($(compgen -W "--lo-down --help" -- "$cur"))
		;;
	delete|del)
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "--all --kill --wait --help" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "$(_netnsctl_names)" -- "$cur"))
		fi
		;;
	pids|set)
		[[ $nargs -eq 1 ]] && COMPREPLY=($(compgen -W "$(_netnsctl_names)" -- "$cur"))
		;;
	attach)
		[[ $nargs -eq 2 ]] && COMPREPLY=($(compgen -W "$(command ls /proc | grep -E '^[0-9]+$')" -- "$cur"))
		;;
	identify)
		[[ $nargs -eq 1 ]] && COMPREPLY=($(compgen -W "$(command ls /proc | grep -E '^[0-9]+$')" -- "$cur"))
		;;
	exec)
		# exec [-u USER] [--all] NAME CMD...: complete options, the name, then commands
		local j=1 named=""
		while [[ $j -lt $nargs ]]; do
			case ${args[j]} in
			-u|--user) ((j += 2)); continue ;;
			-a|--all) named=1; ((j++)); continue ;;
			--) ((j++)); continue ;;
			-*) ((j++)); continue ;;
			esac
			[[ -z $named ]] && named=1 && ((j++)) && continue
			break
		done
		if [[ $prev == -u || $prev == --user ]]; then
			COMPREPLY=($(compgen -u -- "$cur"))
		elif [[ -z $named ]]; then
			if [[ $cur == -* ]]; then
				COMPREPLY=($(compgen -W "-u --user -a --all --help" -- "$cur"))
			else
				COMPREPLY=($(compgen -W "$(_netnsctl_names)" -- "$cur"))
			fi
		else
			_command_offset $((i + j))
		fi
		;;
	link)
		if [[ $nargs -eq 1 ]]; then
			COMPREPLY=($(compgen -W "show list add del delete set help" -- "$cur"))
			return
		fi
		case $prev in
		type) COMPREPLY=($(compgen -W "veth bridge vxlan macvlan macvtap ifb" -- "$cur")); return ;;
		netns) COMPREPLY=($(compgen -W "$(_netnsctl_names)" -- "$cur")); return ;;
		master|dev|link) COMPREPLY=($(compgen -W "$(_netnsctl_devs)" -- "$cur")); return ;;
		mode) COMPREPLY=($(compgen -W "bridge private vepa passthru source" -- "$cur")); return ;;
		mtu|address|name|id|vni|local|remote|group|dstport|ttl|hoplimit|txqueuelen|txqlen|qlen) return ;;
		esac
		case $sub in
		show|list|ls|lst)
			COMPREPLY=($(compgen -W "$(_netnsctl_devs) dev up master type" -- "$cur")) ;;
		del|delete)
			COMPREPLY=($(compgen -W "$(_netnsctl_devs) dev" -- "$cur")) ;;
		set)
			if [[ $nargs -eq 2 ]]; then
				COMPREPLY=($(compgen -W "$(_netnsctl_devs) dev" -- "$cur"))
			else
				COMPREPLY=($(compgen -W "up down mtu address name master nomaster netns txqueuelen" -- "$cur"))
			fi ;;
		add)
			[[ $nargs -gt 2 ]] && COMPREPLY=($(compgen -W "type peer name netns mtu address
				txqueuelen link id vni local remote group dstport dev ttl mode" -- "$cur")) ;;
		esac
		;;
	veth)
		if [[ $nargs -eq 1 ]]; then
			COMPREPLY=($(compgen -W "add del delete show list help" -- "$cur"))
			return
		fi
		case $prev in
		netns) COMPREPLY=($(compgen -W "$(_netnsctl_names)" -- "$cur")); return ;;
		peer|mtu) return ;;
		esac
		case $sub in
		add) [[ $nargs -gt 2 ]] && COMPREPLY=($(compgen -W "netns peer name mtu" -- "$cur")) ;;
		del|delete|show|list) [[ $nargs -eq 2 ]] && COMPREPLY=($(compgen -W "$(_netnsctl_devs) dev" -- "$cur")) ;;
		esac
		;;
	addr|address)
		if [[ $nargs -eq 1 ]]; then
			COMPREPLY=($(compgen -W "show list add del delete flush help" -- "$cur"))
			return
		fi
		case $prev in
		dev) COMPREPLY=($(compgen -W "$(_netnsctl_devs)" -- "$cur")); return ;;
		scope) COMPREPLY=($(compgen -W "host link global site nowhere" -- "$cur")); return ;;
		broadcast|brd|label|valid_lft|preferred_lft) return ;;
		esac
		case $sub in
		add|del|delete) [[ $nargs -gt 2 ]] && COMPREPLY=($(compgen -W "dev local broadcast brd label
			scope nodad noprefixroute home mngtmpaddr valid_lft preferred_lft" -- "$cur")) ;;
		show|list|flush) COMPREPLY=($(compgen -W "$(_netnsctl_devs) dev up" -- "$cur")) ;;
		esac
		;;
	route)
		if [[ $nargs -eq 1 ]]; then
			COMPREPLY=($(compgen -W "show list add del delete replace change append get flush help" -- "$cur"))
			return
		fi
		case $prev in
		dev|oif|iif) COMPREPLY=($(compgen -W "$(_netnsctl_devs)" -- "$cur")); return ;;
		table) COMPREPLY=($(compgen -W "main local all" -- "$cur")); return ;;
		proto) COMPREPLY=($(compgen -W "boot static kernel dhcp" -- "$cur")); return ;;
		scope) COMPREPLY=($(compgen -W "global site link host nowhere" -- "$cur")); return ;;
		type) COMPREPLY=($(compgen -W "unicast local broadcast multicast anycast blackhole unreachable prohibit throw nat" -- "$cur")); return ;;
		via|metric|priority|src|mtu|from|weight|mark|advmss|hoplimit|initcwnd|initrwnd|window) return ;;
		esac
		case $sub in
		add|del|delete|replace|change|append)
			if [[ $nargs -eq 2 ]]; then
				COMPREPLY=($(compgen -W "default" -- "$cur"))
			else
				COMPREPLY=($(compgen -W "via dev metric table src from proto scope type
					onlink mtu advmss hoplimit initcwnd initrwnd window nexthop weight" -- "$cur"))
			fi ;;
		show|list|flush) COMPREPLY=($(compgen -W "table dev oif proto scope type via src root match exact" -- "$cur")) ;;
		get) [[ $nargs -gt 2 ]] && COMPREPLY=($(compgen -W "from iif oif dev mark fibmatch" -- "$cur")) ;;
		esac
		;;
	neigh|neighbour|neighbor)
		if [[ $nargs -eq 1 ]]; then
			COMPREPLY=($(compgen -W "show list add del delete replace change get flush help" -- "$cur"))
			return
		fi
		case $prev in
		dev) COMPREPLY=($(compgen -W "$(_netnsctl_devs)" -- "$cur")); return ;;
		nud) COMPREPLY=($(compgen -W "permanent reachable stale noarp delay probe failed incomplete none all" -- "$cur")); return ;;
		lladdr) return ;;
		esac
		case $sub in
		add|del|delete|replace|change) [[ $nargs -gt 2 ]] && COMPREPLY=($(compgen -W "lladdr dev nud router proxy" -- "$cur")) ;;
		show|list|flush) COMPREPLY=($(compgen -W "dev nud proxy all" -- "$cur")) ;;
		get) [[ $nargs -gt 2 ]] && COMPREPLY=($(compgen -W "dev proxy" -- "$cur")) ;;
		esac
		;;
	list-id)
		COMPREPLY=($(compgen -W "target-nsid nsid" -- "$cur"))
		;;
	help)
		if [[ $nargs -eq 1 ]]; then
			COMPREPLY=($(compgen -W "$commands" -- "$cur"))
		elif [[ $nargs -eq 2 ]]; then
			# help GROUP SUBCOMMAND: the words "GROUP " completes with
			case $sub in
			link|veth|addr|address|route|neigh|neighbour|neighbor|lab)
				local COMP_WORDS=(netnsctl "$sub" "$cur") COMP_CWORD=2
				local COMP_LINE="netnsctl $sub $cur"
				local COMP_POINT=${#COMP_LINE}
				_netnsctl ;;
			esac
		fi
		;;
	impair)
		case $prev in
		impair|dev) COMPREPLY=($(compgen -W "$(_netnsctl_devs)" -- "$cur")); return ;;
		rate|burst|limit|delay|jitter|loss|duplicate|reorder|corrupt) return ;;
		esac
		COMPREPLY=($(compgen -W "rate burst limit delay jitter loss duplicate reorder corrupt clear" -- "$cur"))
		;;
	qdisc)
		if [[ $nargs -eq 1 ]]; then
			COMPREPLY=($(compgen -W "show list help" -- "$cur"))
		elif [[ $prev == dev ]]; then
			COMPREPLY=($(compgen -W "$(_netnsctl_devs)" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "dev" -- "$cur"))
		fi
		;;
	monitor)
		[[ $cur == -* ]] && COMPREPLY=($(compgen -W "--all --help" -- "$cur"))
		;;
	capture)
		_netnsctl_capture_value && return
		if [[ $prev == dev || ( $nargs -eq 1 && $cur != -* ) ]]; then
			COMPREPLY=($(compgen -W "$( [[ $nargs -eq 1 ]] && echo dev) $(_netnsctl_devs)" -- "$cur"))
		elif [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "$_netnsctl_capture_opts" -- "$cur"))
		fi
		;;
	lab)
		if [[ $nargs -eq 1 ]]; then
			COMPREPLY=($(compgen -W "validate apply diff destroy list show graph exec capture gc impair ps logs help" -- "$cur"))
			return
		fi
		case $sub in
		validate|apply|diff|destroy|show|graph|list)
			if [[ $prev == --host ]]; then
				# the hosts of the lab file on the line
				local f
				for f in "${args[@]:2}"; do
					[[ -f $f ]] && COMPREPLY=($(compgen -W "$(sed -n '/^hosts:/,/^[^ #]/s/^  \([A-Za-z0-9_-]*\):.*/\1/p' "$f" 2>/dev/null)" -- "$cur"))
				done
			elif [[ $cur == -* ]]; then
				case $sub in
				apply) COMPREPLY=($(compgen -W "--dry-run --prune --no-ready --ready -v --host --all-hosts --help" -- "$cur")) ;;
				diff) COMPREPLY=($(compgen -W "--prune --host --all-hosts --help" -- "$cur")) ;;
				destroy) COMPREPLY=($(compgen -W "--kill --host --all-hosts --help" -- "$cur")) ;;
				show|list) COMPREPLY=($(compgen -W "--host --help" -- "$cur")) ;;
				*) COMPREPLY=($(compgen -W "--help" -- "$cur")) ;;
				esac
			elif [[ $sub == list ]]; then
				:
			else
				_filedir '@(yaml|yml|json)'
				[[ $sub != validate && $sub != apply ]] &&
					COMPREPLY+=($(compgen -W "$(_netnsctl_lab_names)" -- "$cur"))
			fi ;;
		exec)
			if [[ $prev == -u ]]; then
				COMPREPLY=($(compgen -u -- "$cur"))
			elif [[ $nargs -eq 2 || ( $nargs -eq 4 && ${args[2]} == -u ) ]]; then
				COMPREPLY=($(compgen -W "$(_netnsctl_lab_names)" -- "$cur"))
			elif [[ $nargs -eq 3 || ( $nargs -eq 5 && ${args[2]} == -u ) ]]; then
				local lab=${args[nargs-1]}
				COMPREPLY=($(compgen -W "$(_netnsctl_names | sed -n "s/^$lab\.//p" | grep -v '^_switch$')" -- "$cur"))
			fi ;;
		ps|logs)
			# ps LAB [NODE]; logs LAB NODE SERVICE [-f] [-n LINES]
			local words=() w
			for w in "${args[@]:2}"; do
				[[ $w == -* || $w == "${args[nargs-1]}" && $prev == -n ]] || words+=("$w")
			done
			if [[ $prev == -n ]]; then
				return
			elif [[ $cur == -* && $sub == logs ]]; then
				COMPREPLY=($(compgen -W "-f -n --help" -- "$cur"))
			elif [[ ${#words[@]} -eq 0 ]]; then
				COMPREPLY=($(compgen -W "$(_netnsctl_lab_names)" -- "$cur"))
			elif [[ ${#words[@]} -eq 1 ]]; then
				COMPREPLY=($(compgen -W "$(netnsctl lab ps "${words[0]}" 2>/dev/null | awk 'NR > 1 {print $1}' | sort -u)" -- "$cur"))
			elif [[ ${#words[@]} -eq 2 && $sub == logs ]]; then
				COMPREPLY=($(compgen -W "$(netnsctl lab ps "${words[0]}" "${words[1]}" 2>/dev/null | awk 'NR > 1 {print $2}')" -- "$cur"))
			fi ;;
		capture)
			# capture LAB [NODE IF] [OPTS] [FILTER]
			_netnsctl_capture_value && return
			if [[ $nargs -eq 2 ]]; then
				_filedir '@(yaml|yml|json)'
				COMPREPLY+=($(compgen -W "$(_netnsctl_lab_names)" -- "$cur"))
			elif [[ $cur == -* ]]; then
				COMPREPLY=($(compgen -W "$_netnsctl_capture_opts --link --bridge" -- "$cur"))
			elif [[ $nargs -eq 3 ]]; then
				local lab=${args[2]}
				COMPREPLY=($(compgen -W "$(_netnsctl_names | sed -n "s/^$lab\.//p" | grep -v '^_switch$')" -- "$cur"))
			elif [[ $nargs -eq 4 && ${args[3]} != -* ]]; then
				local _nc_netns=${args[2]}.${args[3]}
				COMPREPLY=($(compgen -W "$(_netnsctl_devs)" -- "$cur"))
			fi ;;
		impair)
			if [[ $nargs -eq 2 ]]; then
				COMPREPLY=($(compgen -W "$(_netnsctl_lab_names)" -- "$cur"))
			elif [[ $nargs -eq 3 ]]; then
				COMPREPLY=($(compgen -W "$(_netnsctl_names | sed -n "s/^${args[2]}\.//p" | grep -v '^_switch$')" -- "$cur"))
			elif [[ $nargs -eq 4 ]]; then
				COMPREPLY=($(compgen -W "$(ip -n "${args[2]}.${args[3]}" -o link show 2>/dev/null | awk -F': ' '{ sub(/@.*/, "", $2); print $2 }')" -- "$cur"))
			else
				case $prev in
				rate|burst|limit|delay|jitter|loss|duplicate|reorder|corrupt) ;;
				*) COMPREPLY=($(compgen -W "rate burst limit delay jitter loss duplicate reorder corrupt clear" -- "$cur")) ;;
				esac
			fi ;;
		esac
		;;
	run)
		# options before or after the file, until the command
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "--timeout --keep-on-failure --" -- "$cur"))
		elif [[ $prev != --timeout ]]; then
			local w skip=0 words_in=0
			for w in "${args[@]:1}"; do
				if ((skip)); then skip=0
				elif [[ $w == --timeout ]]; then skip=1
				elif [[ $w != -?* ]]; then ((words_in++))
				fi
			done
			if ((words_in == 0)); then
				_filedir '@(yaml|yml|json)'
			elif ((words_in == 1)); then
				COMPREPLY=($(compgen -c -- "$cur"))
			fi
		fi
		;;
	esac
} &&
complete -F _netnsctl netnsctl

# ex: filetype=sh
