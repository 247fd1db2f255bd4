/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The one keyword parser: a cursor over "keyword value" arguments in ip's
 * grammar ("mtu 1400 up dev eth0", any order). The value after a keyword, a
 * keyword given twice, an unknown word: each a usage error that names the
 * command ("route add: ...") and exits 2 before anything is sent. Command
 * groups get their cursor from their subcommand table (subcmd.h).
 */
#ifndef NETNSCTL_KWARGS_H
#define NETNSCTL_KWARGS_H

#include <stdint.h>
#include "cli.h"

struct kargs {
	struct cli *c;
	const char *verb;               /* "route add", for messages */
	int op;                         /* the subcommand's own number (struct subcmd) */
	int argc;
	char **argv;
	int i;                          /* the next word */
	uint64_t seen;                  /* keywords met, by slot */
	/*
	 * link, addr and veth have always worded two errors their own way: a
	 * missing value is "\"mtu\" needs a value" (elsewhere "missing value
	 * after \"via\""), and a bad value is the parser's message alone,
	 * without the verb in front. Scripts may match either: kept.
	 */
	bool terse;
	const char *part;               /* "peer", "vxlan": named in "given twice" */
	/*
	 * The keywords ka_take() tried at word tried_at and did not find
	 * there: the words that could have stood there, for "did you mean"
	 * when that word turns out unknown (each entry may list several,
	 * space-separated: a subcommand table's names). No table to keep in
	 * step with the parser: the parser is the table.
	 */
	int tried_at;
	unsigned n_tried;
	const char *tried[48];
};

void ka_init(struct kargs *k, struct cli *c, const char *verb, int argc, char **argv, int first);
static inline bool ka_more(const struct kargs *k) { return k->i < k->argc; }
static inline const char *ka_peek(const struct kargs *k) { return k->argv[k->i]; }
/* Take the next word if it is word. */
bool ka_take(struct kargs *k, const char *word);
/* Count WORDS (space-separated) among the words that could stand at the next one. */
void ka_could_be(struct kargs *k, const char *words);
/* The value after the keyword just taken; prints a usage error if none. */
int ka_value(struct kargs *k, const char **v);
/* "[KW] VALUE": the value after keyword KW, else the next word itself. */
int ka_value_after(struct kargs *k, const char *kw, const char **v);
/* A keyword in slot met a second time is a usage error. */
int ka_once(struct kargs *k, unsigned slot);
/* The same, naming the keyword NAME (an alias's own name, a positional's). */
int ka_once_as(struct kargs *k, unsigned slot, const char *name);
/* "[dev] DEV" and nothing after it; MISSING names DEV when it is not there. */
int ka_dev_only(struct kargs *k, const char *missing, const char **dev);
/*
 * The value after the keyword just taken, parsed: an interface name, a
 * namespace name, a MAC address, a number in [min, max], a prefix (see
 * nsc_parse_prefix). 0, or a usage error printed.
 */
int ka_ifname(struct kargs *k, const char **v);
int ka_netns(struct kargs *k, const char **v);
int ka_mac(struct kargs *k, uint8_t mac[6]);
int ka_u32(struct kargs *k, uint32_t min, uint32_t max, const char *what, uint32_t *out);
int ka_prefix(struct kargs *k, int family, unsigned flags, struct nsc_prefix *p);
/* NAME (a word taken otherwise) as an interface name: 0, or a usage error. */
int ka_ifname_ok(struct kargs *k, const char *name);
/* "[KW] NAME", an interface name, once in SLOT ("[dev] DEV", "[name] NAME"). */
int ka_ifname_after(struct kargs *k, const char *kw, unsigned slot, const char **v);
/* "[to] PREFIX", a destination; a word like an option is an unknown argument. */
int ka_to_prefix(struct kargs *k, int family, unsigned flags, struct nsc_prefix *p);
/* Print e (a usage error from a parser) with the verb in front (not when terse). */
int ka_fail(struct kargs *k, struct nsc_error *e);
/* A usage error "VERB: ..." */
int ka_usage(struct kargs *k, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/*
 * "; did you mean \"WORD\"?" (in BUF) when a keyword tried at the next word
 * is close to it, else "": the end of a message about that word.
 */
const char *ka_meant(const struct kargs *k, char *buf, size_t size);
/* "VERB: unknown argument \"x\"" for the next word */
int ka_unknown(struct kargs *k);
/* "VERB: unexpected \"x\"" for the next word (link, addr and veth say so) */
int ka_unexpected(struct kargs *k);
/* The same inside PART of the command: "VERB: PART: unexpected \"x\"" */
int ka_unexpected_in(struct kargs *k, const char *part);

#endif
