/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Impairments as values: what a link does to the packets it sends, a rate
 * (tbf), or delay, jitter, loss, duplication, reordering and corruption
 * (netem, with its own rate when both are asked for). Pure: tc's units read
 * and written, the rules of an impairment as a whole (base/impair.c). The
 * kernel side is qdisc.h.
 */
#ifndef NETNSCTL_IMPAIR_H
#define NETNSCTL_IMPAIR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netnsctl/error.h>

/* The keys of an impairment, as the command line and the lab file spell them. */
enum nsc_impair_key {
	NSC_IMP_RATE,           /* bytes per second ("10mbit", as tc writes it) */
	NSC_IMP_BURST,          /* bytes ("32kb", "1600") */
	NSC_IMP_LIMIT,          /* tbf: bytes of queue; netem: packets */
	NSC_IMP_DELAY,          /* nanoseconds ("20ms", "1.5ms") */
	NSC_IMP_JITTER,
	NSC_IMP_LOSS,           /* probabilities ("1%", "0.5%") */
	NSC_IMP_DUPLICATE,
	NSC_IMP_REORDER,
	NSC_IMP_CORRUPT,
	NSC_IMP_NKEYS
};

/* a probability as the kernel keeps it: UINT32_MAX is 100% */
#define NSC_IMP_PROB_MAX UINT32_MAX

struct nsc_impair {
	unsigned set;           /* 1 << NSC_IMP_x for each key given */
	uint64_t rate;
	uint32_t burst;
	uint32_t limit;
	uint64_t delay, jitter;
	uint32_t loss, duplicate, reorder, corrupt;
	/* correlations (tc's "delay 20ms 2ms 25%"), by key: DELAY, LOSS,
	 * DUPLICATE, REORDER, CORRUPT; same scale as the probabilities */
	uint32_t corr[NSC_IMP_NKEYS];
};

/* "rate", "burst"...: the key's name; -1 from nsc_impair_key() if none. */
const char *nsc_impair_key_name(enum nsc_impair_key k);
int nsc_impair_key(const char *name);

/*
 * Parse VALUE for key K into im (and mark it set): units as tc writes them
 * (rate: bit, kbit, mbit, gbit, tbit, Kibit..., bps, kbps, mbps...; size: b,
 * k/kb, m/mb, g/gb, kbit, mbit, gbit; time: s, ms, us, ns, bare = us;
 * percent: "1%" or "1"). 0, or a usage error naming the key.
 */
int nsc_impair_set_key(struct nsc_impair *im, enum nsc_impair_key k, const char *value,
		       struct nsc_error *e);
/* A correlation (a percentage) for key K: DELAY, LOSS, DUPLICATE, REORDER, CORRUPT. */
int nsc_impair_set_corr(struct nsc_impair *im, enum nsc_impair_key k, const char *value,
			struct nsc_error *e);

/* The pure unit parsers under nsc_impair_set_key(), for other callers. */
int nsc_parse_rate(const char *s, uint64_t *bytes_per_sec, struct nsc_error *e);
int nsc_parse_size(const char *s, uint32_t *bytes, struct nsc_error *e);
int nsc_parse_time(const char *s, uint64_t *ns, struct nsc_error *e);
int nsc_parse_percent(const char *s, uint32_t *prob, struct nsc_error *e);

/* The keys set in over, with their values, put on im (over's win). */
void nsc_impair_overlay(struct nsc_impair *im, const struct nsc_impair *over);

/* Does im need netem (anything but rate, burst and limit)? */
bool nsc_impair_needs_netem(const struct nsc_impair *im);

/*
 * The impairment as a whole: something is set, jitter and reorder come with
 * a delay (as tc wants), burst goes with a rate and not with netem. 0, or a
 * usage error naming the offending key.
 */
int nsc_impair_check(const struct nsc_impair *im, struct nsc_error *e);

/*
 * im with the defaults a tbf gets when burst or limit are not given (burst:
 * 10 ms of the rate, at least 16 KiB so that a full-size packet and a GSO
 * burst pass; limit: 100 ms of the rate on top of the burst), so that what
 * the kernel reports can be compared with what was asked.
 */
void nsc_impair_resolve(const struct nsc_impair *im, struct nsc_impair *out);

/*
 * Is the impairment the kernel reports (have, from a dump) the one asked
 * for (want, resolved)? The kernel keeps a tbf burst as a time at the rate,
 * so bursts compare within a rounding.
 */
bool nsc_impair_same(const struct nsc_impair *want, const struct nsc_impair *have);

/* "rate 10mbit delay 20ms loss 1%": the keys set, in tc's units, in buf. */
const char *nsc_impair_str(const struct nsc_impair *im, char *buf, size_t size);
/* The value of key K in im, in tc's units (as the lab file writes it). */
const char *nsc_impair_value_str(const struct nsc_impair *im, enum nsc_impair_key k,
				 char *buf, size_t size);
/* One value in tc's units: "10mbit", "32kb", "1500us", "0.5%". */
const char *nsc_rate_str(uint64_t bytes_per_sec, char *buf, size_t size);
const char *nsc_size_str(uint64_t bytes, char *buf, size_t size);
const char *nsc_time_str(uint64_t ns, char *buf, size_t size);
const char *nsc_percent_str(uint32_t prob, char *buf, size_t size);

#endif
