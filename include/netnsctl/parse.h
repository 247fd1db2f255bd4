/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NETNSCTL_PARSE_H
#define NETNSCTL_PARSE_H

#include <stdbool.h>
#include <stdint.h>
#include <netnsctl/error.h>

/*
 * Pure parsers for what users type. Each returns 0, or a usage error
 * (-EINVAL with e->usage set) whose message names what was wrong, so that
 * bad input is refused before anything is sent to the kernel.
 */

/* A namespace name: one path component (see netns.h). */
int nsc_name_check(const char *name, struct nsc_error *e);

/*
 * An interface name the kernel takes as it is: 1..15 bytes, no '/', ':',
 * '%' or whitespace, not ".", "..", "all" or "default".
 */
int nsc_ifname_check(const char *name, struct nsc_error *e);

/*
 * A number in [min, max]: decimal, or hexadecimal after "0x"; no sign, no
 * space. A leading zero ("010") is refused: C and ip(8) read it as octal,
 * id(1) as decimal, and guessing either would be silent. WHAT names it in
 * errors.
 */
int nsc_parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out,
		  const char *what, struct nsc_error *e);
int nsc_parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *out,
		  const char *what, struct nsc_error *e);

/* Decimal digits only, leading zeros read as decimal ("010" is 10): for
 * ids, as id(1), chown(1) and sudo -u '#N' read them. */
int nsc_parse_dec_u32(const char *s, uint32_t min, uint32_t max, uint32_t *out,
		      const char *what, struct nsc_error *e);

struct nsc_prefix {
	int family;                     /* AF_INET or AF_INET6 */
	uint8_t addr[16];
	int len;                        /* prefix length; -1 when none was given */
};

enum nsc_prefix_flags {
	NSC_PREFIX_ALLOW_LEN = 1 << 0,  /* "/N" may follow */
	NSC_PREFIX_DEFAULT = 1 << 1,    /* "default", "any", "all" mean a /0 */
};

/* family AF_UNSPEC accepts both families. */
int nsc_parse_prefix(const char *s, int family, unsigned flags,
		     struct nsc_prefix *out, struct nsc_error *e);
/* The address family of a bitlen, 32 or 128. */
int nsc_prefix_bits(const struct nsc_prefix *p);

/* "203.0.113.1/30" (len < 0: no "/len"; "?" for no address) in buf. */
const char *nsc_prefix_str(const struct nsc_prefix *p, int len, char *buf, size_t size);

/* Six colon-separated hex octets. */
int nsc_parse_mac(const char *s, uint8_t mac[6], struct nsc_error *e);

/* S with control bytes as \xNN and cut to fit BUF (an ellipsis says so):
 * names are echoed in errors, and hostile bytes must not reach a terminal. */
const char *nsc_printable(const char *s, char *buf, size_t size);

/*
 * The same escaping without the cut, for text that must come out whole (an
 * error line): as much of S as fits in BUF (at least 6 bytes), whole escapes
 * only; returns how many bytes of S it took (0 once S is done), so that the
 * caller writes S in pieces. With BACKSLASH a backslash is escaped too (as
 * \x5c), so that a name printed as data reads back unambiguously.
 */
size_t nsc_printable_part(const char *s, char *buf, size_t size, bool backslash);

/*
 * "Did you mean": offer each known word to nsc_suggest_add() (or a list of
 * them, space-separated, to nsc_suggest_words()); nsc_suggest_best() then
 * gives the one closest to WORD (as a string in BUF), or NULL when none is
 * close enough to be what was meant: at most one edit (a letter added,
 * dropped, changed, or two neighbours swapped) for a word of up to 4
 * bytes, two beyond, or WORD (3 bytes or more) being its start. Of equally
 * close words the first offered wins: offer the likeliest first.
 */
struct nsc_suggest {
	const char *word;
	size_t len;
	unsigned max;                   /* the most edits still taken for a typo */
	const char *best;               /* NULL: nothing close so far */
	size_t best_len;
	unsigned dist;
};
void nsc_suggest_init(struct nsc_suggest *s, const char *word);
void nsc_suggest_add(struct nsc_suggest *s, const char *cand, size_t len);
void nsc_suggest_words(struct nsc_suggest *s, const char *names);
const char *nsc_suggest_best(const struct nsc_suggest *s, char *buf, size_t size);

#endif
