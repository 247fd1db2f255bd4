// SPDX-License-Identifier: GPL-2.0-or-later
/* The dispatcher of every command group (subcmd.h). */
#include <string.h>

#include "subcmd.h"

/* Is WORD one of NAMES ("del delete")? */
static bool names_it(const char *names, const char *word)
{
	size_t len = strlen(word);

	if (strchr(word, ' '))
		return false;
	for (const char *p = names; p; p = strchr(p, ' '), p = p ? p + 1 : NULL)
		if (!strncmp(p, word, len) && (p[len] == ' ' || !p[len]))
			return true;
	return false;
}

static const struct subcmd *find(const struct subcmds *g, const char *word)
{
	for (size_t i = 0; i < g->n; i++)
		if (names_it(g->cmds[i].names, word))
			return &g->cmds[i];
	return NULL;
}

/* "GROUP: unknown command": with the one meant, when one is close */
static int unknown(struct cli *c, const struct subcmds *g, const char *word)
{
	struct nsc_suggest sg;
	char b[64];

	nsc_suggest_init(&sg, word);
	for (size_t i = 0; i < g->n; i++)
		nsc_suggest_words(&sg, g->cmds[i].names);
	if (nsc_suggest_best(&sg, b, sizeof(b)))
		return cli_usage(c, "%s: unknown command \"%s\"; did you mean \"%s\"?", g->name,
				 word, b);
	if (!g->try_help)       /* the default's arguments: the default names the word */
		return cli_usage(c, "%s: unknown command \"%s\"", g->name, word);
	return cli_usage(c, "%s: unknown command \"%s\" (try: netnsctl %s %s)", g->name,
			 word, g->name, g->try_help);
}

/* ARGV[0] is the subcommand (NAMED true) or the group's name (the default's). */
static int run(struct cli *c, const struct subcmds *g, const struct subcmd *s, bool named,
	       int argc, char **argv)
{
	char verb[64];
	struct kargs k;

	if (named)
		snprintf(verb, sizeof(verb), "%s %.*s", g->name, (int)strcspn(s->names, " "),
			 s->names);
	else
		snprintf(verb, sizeof(verb), "%s", g->name);
	ka_init(&k, c, verb, argc, argv, 1);
	k.op = s->op;
	k.terse = g->flags & SUB_TERSE;
	/* "route ad ...": a typo of a subcommand may end up as the default's word */
	if (!named && (g->flags & SUB_DEFAULT_ANY))
		for (size_t i = 0; i < g->n; i++)
			ka_could_be(&k, g->cmds[i].names);
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
		return run(c, g, s, true, argc - 1, argv + 1);
	if (g->dflt && (argc < 2 || (g->flags & SUB_DEFAULT_ANY)))
		return run(c, g, g->dflt, false, argc, argv);
	if (argc < 2)
		return cli_usage(c, "%s: missing command (try: netnsctl %s %s)", g->name,
				 g->name, g->try_help);
	return unknown(c, g, argv[1]);
}

int subcmd_help(struct cli *c, const struct subcmds *g, const char *word)
{
	const struct subcmd *s = word ? find(g, word) : NULL;

	if (word && !s)
		return unknown(c, g, word);
	fputs(s && s->help ? s->help : g->help, stdout);
	return EXIT_OK;
}
