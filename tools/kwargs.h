/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A cursor over "keyword value" arguments (ip's grammar): the value after a
 * keyword, a keyword given twice, an unknown word, each a usage error that
 * names the command ("route add: ...") and exits 2 before anything is sent.
 */
#ifndef NETNSCTL_KWARGS_H
#define NETNSCTL_KWARGS_H

#include <stdint.h>
#include "cli.h"

struct kargs {
	struct cli *c;
	const char *verb;               /* "route add", for messages */
	int argc;
	char **argv;
	int i;                          /* the next word */
	uint64_t seen;                  /* keywords met, by slot */
};

void ka_init(struct kargs *k, struct cli *c, const char *verb, int argc, char **argv, int first);
static inline bool ka_more(const struct kargs *k) { return k->i < k->argc; }
static inline const char *ka_peek(const struct kargs *k) { return k->argv[k->i]; }
/* Take the next word if it is word. */
bool ka_take(struct kargs *k, const char *word);
/* The value after the keyword just taken; prints a usage error if none. */
int ka_value(struct kargs *k, const char **v);
/* A keyword in slot met a second time is a usage error. */
int ka_once(struct kargs *k, unsigned slot);
/* Print e (a usage error from a parser) with the verb in front. */
int ka_fail(struct kargs *k, struct nsc_error *e);
/* A usage error "VERB: ..." */
int ka_usage(struct kargs *k, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* "VERB: unknown argument \"x\"" for the next word */
int ka_unknown(struct kargs *k);

#endif
