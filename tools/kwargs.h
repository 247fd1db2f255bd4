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

struct kw {
	struct cli *c;
	const char *verb;               /* "route add", for messages */
	int argc;
	char **argv;
	int i;                          /* the next word */
	uint64_t seen;                  /* keywords met, by slot */
};

void kw_init(struct kw *k, struct cli *c, const char *verb, int argc, char **argv, int first);
static inline bool kw_more(const struct kw *k) { return k->i < k->argc; }
static inline const char *kw_peek(const struct kw *k) { return k->argv[k->i]; }
/* Take the next word if it is word. */
bool kw_take(struct kw *k, const char *word);
/* The value after the keyword just taken; prints a usage error if none. */
int kw_value(struct kw *k, const char **v);
/* A keyword in slot met a second time is a usage error. */
int kw_once(struct kw *k, unsigned slot);
/* Print e (a usage error from a parser) with the verb in front. */
int kw_fail(struct kw *k, struct nsc_error *e);
/* A usage error "VERB: ..." */
int kw_usage(struct kw *k, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* "VERB: unknown argument \"x\"" for the next word */
int kw_unknown(struct kw *k);

#endif
