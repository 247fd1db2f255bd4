// SPDX-License-Identifier: GPL-2.0-or-later
/* The dispatcher of every command group (subcmd.h). */
#include <string.h>

#include "subcmd.h"

static const struct subcmd *find(const struct subcmds *g, const char *name)
{
	for (size_t i = 0; i < g->n; i++)
		if (!strcmp(name, g->cmds[i].name))
			return &g->cmds[i];
	return NULL;
}

static int run(struct cli *c, const struct subcmds *g, const struct subcmd *s,
	       const char *verb, int argc, char **argv)
{
	struct kargs k;

	ka_init(&k, c, verb, argc, argv, 1);
	k.op = s->op;
	k.terse = g->flags & SUB_TERSE;
	return s->fn(&k);
}

int subcmd_run(struct cli *c, const struct subcmds *g, int argc, char **argv)
{
	const struct subcmd *s = argc > 1 ? find(g, argv[1]) : NULL;
	const char *sub_help = s && s->help ? s->help : g->help;

	if (cli_help(argc, argv, g->help))
		return EXIT_OK;
	if ((s || (g->flags & SUB_HELP_SECOND)) && cli_help(argc - 1, argv + 1, sub_help))
		return EXIT_OK;
	if (s)
		return run(c, g, s, s->verb, argc - 1, argv + 1);
	if (g->dflt && (argc < 2 || (g->flags & SUB_DEFAULT_ANY)))
		return run(c, g, g->dflt, g->name, argc, argv);
	if (argc < 2)
		return cli_usage(c, "%s: missing command (try: netnsctl %s %s)", g->name,
				 g->name, g->try_help);
	return cli_usage(c, "%s: unknown command \"%s\" (try: netnsctl %s %s)", g->name,
			 argv[1], g->name, g->try_help);
}
