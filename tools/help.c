// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What "COMMAND -h" prints for the commands without subcommands, one text
 * each, as the top-level table hands them out (netnsctl.c); a command group
 * keeps its own beside its table.
 */
#include "cli.h"

const char cmd_add_help[] =
	"Usage: netnsctl add [--lo-down] NAME...\n"
	"Make each named network namespace, with loopback up\n"
	"(--lo-down leaves it down).\n";

const char cmd_attach_help[] =
	"Usage: netnsctl attach NAME PID\n"
	"Name the network namespace of process PID.\n";

const char cmd_delete_help[] =
	"Usage: netnsctl delete [--kill[=SECONDS]] [--wait[=SECONDS]] NAME...\n"
	"       netnsctl delete [--kill[=SECONDS]] [--wait[=SECONDS]] --all\n"
	"Remove named namespaces (and stale names). The kernel frees a namespace\n"
	"once no process or open file holds it.\n"
	"  --kill[=SECONDS]  end the processes inside first: SIGTERM, then SIGKILL\n"
	"                    after SECONDS (default 5); not for our own namespace\n"
	"  --wait[=SECONDS]  return once the kernel has freed the namespace (its\n"
	"                    veth peers elsewhere are gone), at most SECONDS\n"
	"                    (default 30); exit 1 on timeout\n";

const char cmd_list_help[] =
	"Usage: netnsctl list\n"
	"List named namespaces, sorted: NAME, NAME (id: N), or NAME (stale).\n";

const char cmd_identify_help[] =
	"Usage: netnsctl identify [PID]\n"
	"Print the name(s) of the network namespace of PID (default: this process).\n";

const char cmd_pids_help[] =
	"Usage: netnsctl pids NAME\n"
	"Print the PIDs of the processes inside namespace NAME.\n";

const char cmd_exec_help[] =
	"Usage: netnsctl exec [-u USER] NAME CMD [ARG...]\n"
	"       netnsctl exec [-u USER] --all CMD [ARG...]\n"
	"Run CMD inside namespace NAME, as `ip netns exec` does.\n"
	"  -u, --user USER   drop to USER and its groups first\n"
	"  -a, --all         run in each named namespace in turn\n"
	"Exit status: CMD's; 125 netnsctl failed, 126 CMD cannot run, 127 not found.\n";

const char cmd_monitor_help[] =
	"Usage: netnsctl [-j] monitor\n"
	"       netnsctl [-j] [-n NAME] monitor --all\n"
	"Print named namespaces as they are added and deleted; with --all also every\n"
	"link, address, route, neighbour and nsid change inside each, labelled [NAME]\n"
	"(-n NAME: that namespace only). -j prints one JSON object per line.\n"
	"Ends on SIGINT, SIGTERM or when the run dir goes away.\n";

const char cmd_run_help[] =
	"Usage: netnsctl run [--timeout SECONDS] [--keep-on-failure] FILE [--] CMD [ARG...]\n"
	"Build the lab of FILE (- for standard input) in a private world (own mount,\n"
	"PID and, when not root, user namespace), run CMD there (netnsctl exec and\n"
	"ip netns exec reach the lab's nodes; NETNSCTL_LAB, NETNSCTL_RUN_DIR and\n"
	"NETNSCTL_STATE_DIR let netnsctl lab ... \"$NETNSCTL_LAB\" see the lab), then\n"
	"tear the lab down, also on SIGINT, SIGTERM or when netnsctl is killed.\n"
	"  --timeout SECONDS   SIGTERM to CMD after SECONDS, SIGKILL 5 s later; exit 124\n"
	"  --keep-on-failure   when CMD fails, keep the world and say how to enter it:\n"
	"                      a shell in it on a terminal, else until standard input\n"
	"                      ends or SIGTERM/SIGINT\n"
	"Exit status: CMD's; 124 on timeout; 125 when netnsctl failed before CMD ran;\n"
	"126 CMD cannot run; 127 CMD not found.\n";

const char cmd_set_help[] =
	"Usage: netnsctl [-n NS] set NAME {NSID|auto}\n"
	"Give namespace NAME the id NSID (0..2147483647), or one the kernel\n"
	"picks, as seen from this namespace (or from NS with -n).\n";

const char cmd_list_id_help[] =
	"Usage: netnsctl [-n NS] [-j] list-id [target-nsid N] [nsid N]\n"
	"List the ids this namespace (or NS) gives its peers, with the names of\n"
	"those the run dir names. With target-nsid, the ids the peer known here\n"
	"as N gives, and what this namespace calls each (current-nsid).\n"
	"nsid N shows only the peer this namespace calls N.\n";

const char cmd_help_help[] =
	"Usage: netnsctl help [COMMAND [SUBCOMMAND]]\n"
	"List the commands and global options, or show the help of COMMAND (as\n"
	"COMMAND --help does): netnsctl help link add.\n";
const char cmd_capture_help[] =
	"Usage: netnsctl [-n NAME] capture [dev] IF [-w FILE|-] [-c COUNT]\n"
	"                [--duration SECONDS] [-s SNAPLEN] [-p] [--immediate-mode]\n"
	"                [-B KIB] [--pcapng] [--] [FILTER...]\n"
	"Capture the packets of interface IF (inside namespace NAME) that FILTER, in\n"
	"tcpdump's grammar (pcap-filter(7)), keeps; write them as pcap to FILE or to\n"
	"standard output (-w - or a pipe: | tcpdump -r -). \"listening on ...\" on\n"
	"standard error says the capture has started. Ends after COUNT packets,\n"
	"SECONDS, or on SIGINT or SIGTERM, printing \"N packets captured, M dropped\n"
	"by the kernel\".\n"
	"  -w FILE        write to FILE (- for standard output, the default when it\n"
	"                 is no terminal)\n"
	"  -c COUNT       stop after COUNT packets\n"
	"  --duration S   stop after S seconds\n"
	"  -s SNAPLEN     keep at most SNAPLEN bytes of each packet (default 262144)\n"
	"  -p             do not put IF in promiscuous mode\n"
	"  --immediate-mode  each packet at once (else in blocks, at most 100 ms\n"
	"                 late: far higher rates without drops)\n"
	"  -B KIB         the kernel ring's size in KiB (default 2048)\n"
	"  --pcapng       write pcapng (the interface named in the file)\n"
	"  --             the filter follows\n"
	"See netnsctl-capture(8).\n";
