// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Impairments as values: tc's units read and written back, the keys the
 * command line and the lab file share, and the rules that hold for an
 * impairment as a whole. Pure, so that the lab reader and the unit tests
 * use exactly what `impair` uses; the kernel side is rtnl/qdisc.c.
 */
#include <errno.h>
#include <math.h>      /* isfinite: a macro, no libm */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <netnsctl/parse.h>
#include <netnsctl/impair.h>

static const char *const key_names[NSC_IMP_NKEYS] = {
	[NSC_IMP_RATE] = "rate", [NSC_IMP_BURST] = "burst", [NSC_IMP_LIMIT] = "limit",
	[NSC_IMP_DELAY] = "delay", [NSC_IMP_JITTER] = "jitter", [NSC_IMP_LOSS] = "loss",
	[NSC_IMP_DUPLICATE] = "duplicate", [NSC_IMP_REORDER] = "reorder",
	[NSC_IMP_CORRUPT] = "corrupt",
};

const char *nsc_impair_key_name(enum nsc_impair_key k)
{
	return (unsigned)k < NSC_IMP_NKEYS ? key_names[k] : "?";
}

int nsc_impair_key(const char *name)
{
	for (int k = 0; k < NSC_IMP_NKEYS; k++)
		if (!strcmp(name, key_names[k]))
			return k;
	return -1;
}

struct unit {
	const char *name;
	double scale;
};

/*
 * A number and a unit from TABLE (case-insensitive, as tc reads them); a
 * bare number takes BARE. -EINVAL for anything else: no sign, no space,
 * no "inf" or "nan" (strtod would take them).
 */
static int number_unit(const char *s, const struct unit *table, double bare, double *out)
{
	char *end;
	double v;

	if (!s || !((*s >= '0' && *s <= '9') || *s == '.'))
		return -EINVAL;
	errno = 0;
	v = strtod(s, &end);
	if (end == s || errno == ERANGE || !isfinite(v))
		return -EINVAL;
	if (!*end) {
		*out = v * bare;
		return 0;
	}
	for (const struct unit *u = table; u->name; u++)
		if (!strcasecmp(end, u->name)) {
			*out = v * u->scale;
			return 0;
		}
	return -EINVAL;
}

/* tc's rates, in bits per second (tc_util.c get_rate64) */
static const struct unit rate_units[] = {
	{ "bit", 1 }, { "kibit", 1024 }, { "kbit", 1e3 }, { "mibit", 1048576 },
	{ "mbit", 1e6 }, { "gibit", 1073741824. }, { "gbit", 1e9 },
	{ "tibit", 1099511627776. }, { "tbit", 1e12 },
	{ "bps", 8 }, { "kibps", 8 * 1024. }, { "kbps", 8e3 }, { "mibps", 8 * 1048576. },
	{ "mbps", 8e6 }, { "gibps", 8 * 1073741824. }, { "gbps", 8e9 },
	{ "tibps", 8 * 1099511627776. }, { "tbps", 8e12 },
	{ NULL, 0 },
};

/* tc's sizes, in bytes (get_size: k and m are binary, kbit is 1024 bits) */
static const struct unit size_units[] = {
	{ "b", 1 }, { "k", 1024 }, { "kb", 1024 }, { "m", 1048576 }, { "mb", 1048576 },
	{ "g", 1073741824. }, { "gb", 1073741824. }, { "kbit", 128 },
	{ "mbit", 131072 }, { "gbit", 134217728 },
	{ NULL, 0 },
};

/* tc's times, in nanoseconds (get_time64: a bare number is microseconds) */
static const struct unit time_units[] = {
	{ "s", 1e9 }, { "sec", 1e9 }, { "secs", 1e9 },
	{ "ms", 1e6 }, { "msec", 1e6 }, { "msecs", 1e6 },
	{ "us", 1e3 }, { "usec", 1e3 }, { "usecs", 1e3 },
	{ "ns", 1 }, { "nsec", 1 }, { "nsecs", 1 },
	{ NULL, 0 },
};

/* A kind of value: its units, its bounds (in those units), how errors word it. */
struct quantity {
	const char *what, *eg, *range;
	const struct unit *units;
	double bare, min, max;
};

static int quantity(const char *s, const struct quantity *q, double *out, struct nsc_error *e)
{
	char p[64];

	if (number_unit(s, q->units, q->bare, out) < 0)
		return nsc_usage(e, "invalid %s \"%s\" (e.g. %s)", q->what,
				 nsc_printable(s ? s : "", p, sizeof(p)), q->eg);
	if (*out < q->min || *out > q->max)
		return nsc_usage(e, "%s \"%s\" out of range (%s)", q->what,
				 nsc_printable(s, p, sizeof(p)), q->range);
	return 0;
}

int nsc_parse_rate(const char *s, uint64_t *out, struct nsc_error *e)
{
	/* at least a byte per second; the kernel keeps a u64 of bytes */
	static const struct quantity q = {
		"rate", "10mbit, 1gbit, 500kbps", "8bit..", rate_units, 1, 8, 1.8e20,
	};
	double bits;
	int ret = quantity(s, &q, &bits, e);

	if (ret == 0)
		*out = (uint64_t)(bits / 8);
	return ret;
}

int nsc_parse_size(const char *s, uint32_t *out, struct nsc_error *e)
{
	static const struct quantity q = {
		"size", "1600, 32kb, 1mb", "1b..4gb", size_units, 1, 1, UINT32_MAX,
	};
	double b;
	int ret = quantity(s, &q, &b, e);

	if (ret == 0)
		*out = (uint32_t)b;
	return ret;
}

int nsc_parse_time(const char *s, uint64_t *out, struct nsc_error *e)
{
	/* the kernel's netem keeps an s64 of ns; an hour is plenty */
	static const struct quantity q = {
		"time", "20ms, 1.5ms, 100us", "0..3600s", time_units, 1e3, 0, 3600e9,
	};
	double ns;
	int ret = quantity(s, &q, &ns, e);

	if (ret == 0)
		*out = (uint64_t)(ns + 0.5);
	return ret;
}

int nsc_parse_percent(const char *s, uint32_t *out, struct nsc_error *e)
{
	static const struct unit pct[] = { { "%", 1 }, { NULL, 0 } };
	static const struct quantity q = {
		"percentage", "1%, 0.5%", "0%..100%", pct, 1, 0, 100,
	};
	double v;
	int ret = quantity(s, &q, &v, e);

	if (ret == 0)
		*out = (uint32_t)(v / 100 * NSC_IMP_PROB_MAX + 0.5);
	return ret;
}

int nsc_impair_set_key(struct nsc_impair *im, enum nsc_impair_key k, const char *value,
		       struct nsc_error *e)
{
	int ret = -EINVAL;

	switch (k) {
	case NSC_IMP_RATE: ret = nsc_parse_rate(value, &im->rate, e); break;
	case NSC_IMP_BURST: ret = nsc_parse_size(value, &im->burst, e); break;
	case NSC_IMP_LIMIT: ret = nsc_parse_size(value, &im->limit, e); break;
	case NSC_IMP_DELAY: ret = nsc_parse_time(value, &im->delay, e); break;
	case NSC_IMP_JITTER: ret = nsc_parse_time(value, &im->jitter, e); break;
	case NSC_IMP_LOSS: ret = nsc_parse_percent(value, &im->loss, e); break;
	case NSC_IMP_DUPLICATE: ret = nsc_parse_percent(value, &im->duplicate, e); break;
	case NSC_IMP_REORDER: ret = nsc_parse_percent(value, &im->reorder, e); break;
	case NSC_IMP_CORRUPT: ret = nsc_parse_percent(value, &im->corrupt, e); break;
	case NSC_IMP_NKEYS: return nsc_usage(e, "no such impairment key");
	}
	if (ret < 0)
		return nsc_err_prefix(e, "%s", key_names[k]);
	im->set |= 1u << k;
	return 0;
}

int nsc_impair_set_corr(struct nsc_impair *im, enum nsc_impair_key k, const char *value,
			struct nsc_error *e)
{
	if (nsc_parse_percent(value, &im->corr[k], e) < 0)
		return nsc_err_prefix(e, "%s correlation", nsc_impair_key_name(k));
	return 0;
}

void nsc_impair_overlay(struct nsc_impair *im, const struct nsc_impair *over)
{
	for (int k = 0; k < NSC_IMP_NKEYS; k++) {
		if (!(over->set & (1u << k)))
			continue;
		switch (k) {
		case NSC_IMP_RATE: im->rate = over->rate; break;
		case NSC_IMP_BURST: im->burst = over->burst; break;
		case NSC_IMP_LIMIT: im->limit = over->limit; break;
		case NSC_IMP_DELAY: im->delay = over->delay; break;
		case NSC_IMP_JITTER: im->jitter = over->jitter; break;
		case NSC_IMP_LOSS: im->loss = over->loss; break;
		case NSC_IMP_DUPLICATE: im->duplicate = over->duplicate; break;
		case NSC_IMP_REORDER: im->reorder = over->reorder; break;
		default: im->corrupt = over->corrupt; break;
		}
		im->corr[k] = over->corr[k];
		im->set |= 1u << k;
	}
}

#define NETEM_KEYS ((1u << NSC_IMP_DELAY) | (1u << NSC_IMP_JITTER) | (1u << NSC_IMP_LOSS) | \
		    (1u << NSC_IMP_DUPLICATE) | (1u << NSC_IMP_REORDER) | \
		    (1u << NSC_IMP_CORRUPT))
#define HAS(im, k) (((im)->set >> (k)) & 1u)

bool nsc_impair_needs_netem(const struct nsc_impair *im)
{
	return im->set & NETEM_KEYS;
}

int nsc_impair_check(const struct nsc_impair *im, struct nsc_error *e)
{
	if (!im->set)
		return nsc_usage(e, "nothing to impair (rate, delay, loss, ... or clear)");
	/* tc refuses both: jitter is around a delay, reordering sends some
	 * packets at once and the rest after the delay */
	if (HAS(im, NSC_IMP_JITTER) && !HAS(im, NSC_IMP_DELAY))
		return nsc_usage(e, "jitter needs a delay");
	if (HAS(im, NSC_IMP_REORDER) && !HAS(im, NSC_IMP_DELAY))
		return nsc_usage(e, "reorder needs a delay");
	if (HAS(im, NSC_IMP_JITTER) && im->jitter > im->delay)
		return nsc_usage(e, "jitter is more than the delay");
	/* netem's own rate has no bucket: a burst belongs to tbf alone */
	if (HAS(im, NSC_IMP_BURST) && nsc_impair_needs_netem(im))
		return nsc_usage(e, "burst goes with a rate alone (tbf), not with "
				 "delay, loss, duplicate, reorder or corrupt");
	if (HAS(im, NSC_IMP_BURST) && !HAS(im, NSC_IMP_RATE))
		return nsc_usage(e, "burst needs a rate");
	if (HAS(im, NSC_IMP_LIMIT) && !HAS(im, NSC_IMP_RATE) && !nsc_impair_needs_netem(im))
		return nsc_usage(e, "limit needs a rate or a delay");
	return 0;
}

void nsc_impair_resolve(const struct nsc_impair *im, struct nsc_impair *out)
{
	uint64_t v;

	*out = *im;
	if (nsc_impair_needs_netem(im)) {
		if (!HAS(im, NSC_IMP_LIMIT))
			out->limit = 1000;      /* packets: tc's default */
		return;
	}
	if (!HAS(im, NSC_IMP_RATE))
		return;
	if (!HAS(im, NSC_IMP_BURST)) {
		v = im->rate / 100;
		out->burst = v < 16384 ? 16384 : v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
	}
	if (!HAS(im, NSC_IMP_LIMIT)) {
		v = im->rate / 10 + out->burst;
		out->limit = v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
	}
}

bool nsc_impair_same(const struct nsc_impair *want, const struct nsc_impair *have)
{
	uint64_t d;

	if (nsc_impair_needs_netem(want) != nsc_impair_needs_netem(have))
		return false;
	if (want->rate != have->rate || want->limit != have->limit)
		return false;
	if (!nsc_impair_needs_netem(want)) {
		/* the kernel rounds the burst to a time at the rate (64 ns ticks) */
		d = want->burst > have->burst ? want->burst - have->burst
					      : have->burst - want->burst;
		return d <= want->burst / 100 + 64;
	}
	return want->delay == have->delay && want->jitter == have->jitter &&
	       want->loss == have->loss && want->duplicate == have->duplicate &&
	       want->reorder == have->reorder && want->corrupt == have->corrupt &&
	       !memcmp(want->corr, have->corr, sizeof(want->corr));
}

/* the largest unit that writes V whole, else the smallest */
static const char *whole(uint64_t v, const struct unit *u, size_t n, char *buf, size_t size)
{
	for (size_t i = 0; i < n; i++)
		if (v % (uint64_t)u[i].scale == 0) {
			snprintf(buf, size, "%llu%s", (unsigned long long)(v / (uint64_t)u[i].scale),
				 u[i].name);
			return buf;
		}
	snprintf(buf, size, "%llu%s", (unsigned long long)v, u[n - 1].name);
	return buf;
}

const char *nsc_rate_str(uint64_t bytes_per_sec, char *buf, size_t size)
{
	static const struct unit u[] = {
		{ "tbit", 1e12 }, { "gbit", 1e9 }, { "mbit", 1e6 }, { "kbit", 1e3 }, { "bit", 1 },
	};

	if (bytes_per_sec > UINT64_MAX / 8) {
		snprintf(buf, size, "%llubps", (unsigned long long)bytes_per_sec);
		return buf;
	}
	return whole(bytes_per_sec * 8, u, sizeof(u) / sizeof(u[0]), buf, size);
}

const char *nsc_size_str(uint64_t bytes, char *buf, size_t size)
{
	static const struct unit u[] = {
		{ "gb", 1073741824. }, { "mb", 1048576 }, { "kb", 1024 }, { "b", 1 },
	};

	return whole(bytes, u, sizeof(u) / sizeof(u[0]), buf, size);
}

const char *nsc_time_str(uint64_t ns, char *buf, size_t size)
{
	static const struct unit u[] = {
		{ "s", 1e9 }, { "ms", 1e6 }, { "us", 1e3 }, { "ns", 1 },
	};

	if (!ns) {
		snprintf(buf, size, "0ms");
		return buf;
	}
	return whole(ns, u, sizeof(u) / sizeof(u[0]), buf, size);
}

const char *nsc_percent_str(uint32_t prob, char *buf, size_t size)
{
	/* four decimals: what a percentage typed with up to four reads back as */
	double v = (double)(uint64_t)((double)prob * 100 / NSC_IMP_PROB_MAX * 10000 + 0.5) / 10000;

	snprintf(buf, size, "%g%%", v);
	return buf;
}

const char *nsc_impair_value_str(const struct nsc_impair *im, enum nsc_impair_key k,
				 char *v, size_t size)
{
	switch (k) {
	case NSC_IMP_RATE: return nsc_rate_str(im->rate, v, size);
	case NSC_IMP_BURST: return nsc_size_str(im->burst, v, size);
	case NSC_IMP_LIMIT:
		if (!nsc_impair_needs_netem(im))
			return nsc_size_str(im->limit, v, size);
		snprintf(v, size, "%u", im->limit);     /* packets */
		return v;
	case NSC_IMP_DELAY: return nsc_time_str(im->delay, v, size);
	case NSC_IMP_JITTER: return nsc_time_str(im->jitter, v, size);
	case NSC_IMP_LOSS: return nsc_percent_str(im->loss, v, size);
	case NSC_IMP_DUPLICATE: return nsc_percent_str(im->duplicate, v, size);
	case NSC_IMP_REORDER: return nsc_percent_str(im->reorder, v, size);
	default: return nsc_percent_str(im->corrupt, v, size);
	}
}

const char *nsc_impair_str(const struct nsc_impair *im, char *buf, size_t size)
{
	static const enum nsc_impair_key corr_keys[] = {
		NSC_IMP_DELAY, NSC_IMP_LOSS, NSC_IMP_DUPLICATE, NSC_IMP_REORDER, NSC_IMP_CORRUPT,
	};
	size_t off = 0;
	char v[32];

	buf[0] = 0;
	for (int k = 0; k < NSC_IMP_NKEYS && off < size; k++) {
		if (!HAS(im, k))
			continue;
		nsc_impair_value_str(im, k, v, sizeof(v));
		off += (size_t)snprintf(buf + off, size - off, "%s%s %s", off ? " " : "",
					key_names[k], v);
		for (size_t i = 0; i < sizeof(corr_keys) / sizeof(corr_keys[0]); i++)
			if (corr_keys[i] == (enum nsc_impair_key)k && im->corr[k] && off < size)
				off += (size_t)snprintf(buf + off, size - off, " %s",
							nsc_percent_str(im->corr[k], v, sizeof(v)));
	}
	return buf;
}
