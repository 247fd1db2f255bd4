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
	/* the words that run it, the first one as messages name it: "del
	 * delete" is "route del: ..." whichever was typed */
	const char *names;
	int (*fn)(struct kargs *k);
	int op;                 /* given as k->op: one handler, several operations */
	const char *help;       /* "SUB -h" prints it; NULL: the group's help */
};

enum {
	/* "GROUP WORD -h" prints the group's help, whatever WORD is */
	SUB_HELP_SECOND = 1 << 0,
	/* a word that names no subcommand starts the default's arguments
	 * ("route 198.51.100.0/24" is "route show 198.51.100.0/24", as in ip) */
	SUB_DEFAULT_ANY = 1 << 1,
	/* link's wording of errors (kargs.terse) */
	SUB_TERSE = 1 << 2,
};

struct subcmds {
	const char *name;               /* "link": "link: unknown command ..." */
	const char *help;
	const struct subcmd *cmds;
	size_t n;
	/* with no subcommand: this one ("link" is "link show"), its messages
	 * named by the group alone; NULL: "missing command" */
	const struct subcmd *dflt;
	const char *try_help;           /* "help" or "-h": named in the hint */
	unsigned flags;                 /* SUB_* */
};

#define SUBCMDS(v) (v), sizeof(v) / sizeof((v)[0])

/* k->op of a handler that shows and flushes by the same selectors (route, neigh) */
enum { SUB_SHOW, SUB_FLUSH };

/*
 * ip's verbs for changing objects, the same for routes and neighbours: the
 * rows of a table whose handler FN takes k->op from the library's enum
 * PREFIX_ADD, PREFIX_DEL... (PREFIX: NSC_ROUTE, NSC_NEIGH).
 */
#define SUBCMD_CHANGES(fn, prefix) \
	{ "add", fn, prefix##_ADD }, { "del delete", fn, prefix##_DEL }, \
	{ "replace", fn, prefix##_REPLACE }, { "change", fn, prefix##_CHANGE }

/* Run argv[1] of group g (argv[0] is the group's name). */
int subcmd_run(struct cli *c, const struct subcmds *g, int argc, char **argv);

/* help GROUP [WORD]: the help of subcommand WORD or of the group; a usage
 * error when the group has no WORD */
int subcmd_help(struct cli *c, const struct subcmds *g, const char *word);

/* the groups, for the top-level table */
extern const struct subcmds addr_group, lab_group, link_group, neigh_group, route_group,
	veth_group;
extern const struct subcmds qdisc_group;

#endif
