// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A qdisc as `tc qdisc show` prints it: the same words in text, and with
 * -j the field names of `tc -j qdisc show` (iproute2 6.x): kind, handle,
 * dev (when not asked for one device), root or parent, refcnt, options (tbf:
 * rate in bytes per second, burst in bytes, lat in microseconds or limit in
 * bytes; netem: limit, delay {delay, jitter in seconds}, loss-random,
 * duplicate, reorder, corrupt {X, correlation in percent}, rate {rate}, gap),
 * and with -s the counters. Options of other kinds are not decoded: {}.
 */
#include <stdio.h>
#include <string.h>
#include <linux/pkt_sched.h>

#include "impair.h"

/* tc's "%x:" and "%x:%x" */
static const char *classid(uint32_t h, char *buf, size_t size)
{
	if (TC_H_MIN(h))
		snprintf(buf, size, "%x:%x", TC_H_MAJ(h) >> 16, TC_H_MIN(h));
	else
		snprintf(buf, size, "%x:", TC_H_MAJ(h) >> 16);
	return buf;
}

/* tc's print_rate: K, M, G, T of 1000 while the number stays whole */
static const char *tc_rate(uint64_t bytes, char *buf, size_t size)
{
	static const char *const units[] = { "", "K", "M", "G", "T" };
	uint64_t r = bytes * 8;
	size_t i;

	for (i = 0; i < 4; i++) {
		if (r < 1000 || (r % 1000 && r < 1000000))
			break;
		r /= 1000;
	}
	snprintf(buf, size, "%llu%sbit", (unsigned long long)r, units[i]);
	return buf;
}

/* tc's sprint_size: Mb and Kb when nearly whole, else bytes */
static const char *tc_size(uint32_t b, char *buf, size_t size)
{
	if (b >= 1048576 && (b % 1048576 < 1024 || 1048576 - b % 1048576 < 1024))
		snprintf(buf, size, "%uMb", (b + 524288) / 1048576);
	else if (b >= 1024 && (b % 1024 < 16 || 1024 - b % 1024 < 16))
		snprintf(buf, size, "%uKb", (b + 512) / 1024);
	else
		snprintf(buf, size, "%ub", b);
	return buf;
}

/* tc's sprint_time: one decimal, none when it is 0 */
static const char *tc_time_us(double us, char *buf, size_t size)
{
	const char *unit = us >= 1e6 ? "s" : us >= 1e3 ? "ms" : "us";
	double v = us >= 1e6 ? us / 1e6 : us >= 1e3 ? us / 1e3 : us;
	char *dot;

	snprintf(buf, size, "%.1f", v);
	if ((dot = strstr(buf, ".0")) && !dot[2])
		*dot = '\0';
	snprintf(buf + strlen(buf), size - strlen(buf), "%s", unit);
	return buf;
}

static double pct(uint32_t prob)
{
	return 100.0 * prob / NSC_IMP_PROB_MAX;
}

static void text_tbf(const struct nsc_qdisc *q)
{
	char a[32], b[32], c[32];

	printf(" rate %s burst %s", tc_rate(q->im.rate, a, sizeof(a)),
	       tc_size(q->im.burst, b, sizeof(b)));
	if (q->tbf_lat_us >= 0)
		printf(" lat %s", tc_time_us((double)q->tbf_lat_us, c, sizeof(c)));
	else
		printf(" limit %s", tc_size(q->im.limit, c, sizeof(c)));
}

static void text_netem(const struct nsc_qdisc *q)
{
	const struct nsc_impair *im = &q->im;
	char a[32];

	printf(" limit %u", im->limit);
	if (im->delay) {
		printf(" delay %s", tc_time_us((double)im->delay / 1e3, a, sizeof(a)));
		if (im->jitter)
			printf("  %s", tc_time_us((double)im->jitter / 1e3, a, sizeof(a)));
	}
	if (im->loss)
		printf(" loss %s", nsc_percent_str(im->loss, a, sizeof(a)));
	if (im->duplicate)
		printf(" duplicate %s", nsc_percent_str(im->duplicate, a, sizeof(a)));
	if (im->reorder)
		printf(" reorder %s", nsc_percent_str(im->reorder, a, sizeof(a)));
	if (im->corrupt)
		printf(" corrupt %s", nsc_percent_str(im->corrupt, a, sizeof(a)));
	if (im->rate)
		printf(" rate %s", tc_rate(im->rate, a, sizeof(a)));
	if (q->gap)
		printf(" gap %u", q->gap);
}

static void json_pct(struct json *j, const char *obj, uint32_t prob, uint32_t corr)
{
	json_key(j, obj);
	json_obj_open(j);
	json_kv_double(j, obj, pct(prob));
	if (corr)
		json_kv_double(j, "correlation", pct(corr));
	json_obj_close(j);
}

static void json_options(struct json *j, const struct nsc_qdisc *q)
{
	const struct nsc_impair *im = &q->im;

	json_key(j, "options");
	json_obj_open(j);
	if (q->tbf) {
		json_kv_uint(j, "rate", im->rate);
		json_kv_uint(j, "burst", im->burst);
		if (q->tbf_lat_us >= 0)
			json_kv_uint(j, "lat", (uint64_t)q->tbf_lat_us);
		else
			json_kv_uint(j, "limit", im->limit);
	} else if (q->netem) {
		json_kv_uint(j, "limit", im->limit);
		if (im->delay) {
			json_key(j, "delay");
			json_obj_open(j);
			json_kv_double(j, "delay", (double)im->delay / 1e9);
			json_kv_double(j, "jitter", (double)im->jitter / 1e9);
			if (im->jitter && im->corr[NSC_IMP_DELAY])
				json_kv_double(j, "correlation", pct(im->corr[NSC_IMP_DELAY]));
			json_obj_close(j);
		}
		if (im->loss)
			json_pct(j, "loss-random", im->loss, im->corr[NSC_IMP_LOSS]);
		if (im->duplicate)
			json_pct(j, "duplicate", im->duplicate, im->corr[NSC_IMP_DUPLICATE]);
		if (im->reorder)
			json_pct(j, "reorder", im->reorder, im->corr[NSC_IMP_REORDER]);
		if (im->corrupt)
			json_pct(j, "corrupt", im->corrupt, im->corr[NSC_IMP_CORRUPT]);
		if (im->rate) {
			json_key(j, "rate");
			json_obj_open(j);
			json_kv_uint(j, "rate", im->rate);
			json_obj_close(j);
		}
		json_kv_bool(j, "ecn", false);
		json_kv_uint(j, "gap", q->gap);
	}
	json_obj_close(j);
}

/* the loss-random object is named "loss" inside: json_pct's OBJ is both */
void print_qdisc(struct cli *c, const struct nsc_qdisc *q, const char *dev)
{
	char h[16], p[16];

	if (c->json) {
		struct json *j = c->js;

		json_obj_open(j);
		json_kv_str(j, "kind", q->kind);
		json_kv_str(j, "handle", classid(q->handle & 0xffff0000u, h, sizeof(h)));
		if (dev)
			json_kv_str(j, "dev", dev);
		if (q->parent == TC_H_ROOT)
			json_kv_bool(j, "root", true);
		else if (q->parent)
			json_kv_str(j, "parent", classid(q->parent, p, sizeof(p)));
		json_kv_uint(j, "refcnt", q->refcnt);
		json_options(j, q);
		if (c->stats && q->has_stats) {
			json_kv_uint(j, "bytes", q->bytes);
			json_kv_uint(j, "packets", q->packets);
			json_kv_uint(j, "drops", q->drops);
			json_kv_uint(j, "overlimits", q->overlimits);
			json_kv_uint(j, "requeues", q->requeues);
			json_kv_uint(j, "backlog", q->backlog);
			json_kv_uint(j, "qlen", q->qlen);
		}
		json_obj_close(j);
		return;
	}
	printf("qdisc %s %s", q->kind, classid(q->handle & 0xffff0000u, h, sizeof(h)));
	if (dev)
		printf(" dev %s", dev);
	if (q->parent == TC_H_ROOT)
		fputs(" root", stdout);
	else if (q->parent)
		printf(" parent %s", classid(q->parent, p, sizeof(p)));
	if (q->refcnt)
		printf(" refcnt %u", q->refcnt);
	if (q->tbf)
		text_tbf(q);
	else if (q->netem)
		text_netem(q);
	putchar('\n');
	if (c->stats && q->has_stats)
		printf(" Sent %llu bytes %llu pkt (dropped %u, overlimits %u requeues %u) \n"
		       " backlog %ub %up requeues %u\n",
		       (unsigned long long)q->bytes, (unsigned long long)q->packets, q->drops,
		       q->overlimits, q->requeues, q->backlog, q->qlen, q->requeues);
}
