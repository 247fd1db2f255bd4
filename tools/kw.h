/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Keyword arguments as ip takes them: "mtu 1400 up dev eth0", any order. */
#ifndef NETNSCTL_KW_H
#define NETNSCTL_KW_H

#include <stdint.h>

#include "cli.h"

/*
 * A keyword's value: argv[*i + 1], with *i moved onto it. A usage error
 * (returns EXIT_USAGE, message printed) when there is none.
 */
int kw_value(struct cli *c, const char *cmd, int argc, char **argv, int *i,
	     const char **out);

/* Mark keyword kw seen (bit in *seen); a usage error when seen before. */
int kw_once(struct cli *c, const char *cmd, uint64_t *seen, uint64_t bit,
	    const char *kw);

/* A show subcommand: show, list, ls, lst (no prefix matching). */
bool kw_is_show(const char *s);

#endif
