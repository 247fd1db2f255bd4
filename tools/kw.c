// SPDX-License-Identifier: GPL-2.0-or-later
#include <string.h>

#include "kw.h"

int kw_value(struct cli *c, const char *cmd, int argc, char **argv, int *i,
	     const char **out)
{
	if (*i + 1 >= argc)
		return cli_usage(c, "%s: \"%s\" needs a value", cmd, argv[*i]);
	*out = argv[++*i];
	return EXIT_OK;
}

int kw_once(struct cli *c, const char *cmd, uint64_t *seen, uint64_t bit,
	    const char *kw)
{
	if (*seen & bit)
		return cli_usage(c, "%s: \"%s\" given twice", cmd, kw);
	*seen |= bit;
	return EXIT_OK;
}

bool kw_is_show(const char *s)
{
	return !strcmp(s, "show") || !strcmp(s, "list") || !strcmp(s, "ls") ||
	       !strcmp(s, "lst");
}
