/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Command groups (link, addr, veth, route, neigh, lab): a table of
 * subcommands, as the top-level table in netnsctl.c and wireguard-tools'
 * subcommands[]. The one dispatcher handles help and the rules for a bare
 * group, so every group behaves alike; each handler gets a keyword cursor
 * over the words after its subcommand (from k->i = 1; k->argv[0] is the
 * subcommand, or the group's name when the default runs).
 */
#ifndef NETNSCTL_SUBCMD_H
#define NETNSCTL_SUBCMD_H

#include "kwargs.h"

struct subcmd {
	const char *name;
	int (*fn)(struct kargs *k);
	const char *verb;       /* messages say so: "route del" for del and delete */
	int op;                 /* given as k->op: one handler, several operations */
	const char *help;       /* "SUB -h" prints it; NULL: the group's help */
};

enum {
	/* "GROUP WORD -h" prints the group's help, whatever WORD is */
	SUB_HELP_SECOND = 1 << 0,
	/* a word that names no subcommand starts the default's arguments
	 * ("route 10.0.0.0/8" is "route show 10.0.0.0/8", as in ip) */
	SUB_DEFAULT_ANY = 1 << 1,
	/* link's wording of errors (kargs.terse) */
	SUB_TERSE = 1 << 2,
};

struct subcmds {
	const char *name;               /* "link": "link: unknown command ..." */
	const char *help;
	const struct subcmd *cmds;
	size_t n;
	/* with no subcommand: this one ("link" is "link show"), run with the
	 * group's verb; NULL: "missing command" */
	const struct subcmd *dflt;
	const char *try_help;           /* "help" or "-h": named in the hint */
	unsigned flags;                 /* SUB_* */
};

#define SUBCMDS(v) (v), sizeof(v) / sizeof((v)[0])

/* Run argv[1] of group g (argv[0] is the group's name). */
int subcmd_run(struct cli *c, const struct subcmds *g, int argc, char **argv);

#endif
