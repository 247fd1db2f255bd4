// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Queueing disciplines as messages: the request that sets an impairment
 * (tbf, or netem) and the parser of what a dump reports. Built with libmnl,
 * not libnl-route-3: libnl 3.7's tbf wants the rate tables of old kernels
 * and its netem sends the options through a path we cannot test without
 * netem; here every byte is ours and checked by tests/unit/test_qdisc.c.
 *
 * TCA_OPTIONS goes out without NLA_F_NESTED, as tc sends it: netem's
 * options are a struct followed by attributes, not a nest.
 */
#include <errno.h>
#include <string.h>
#include <linux/gen_stats.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>

#include "rtnl/tc.h"

static uint32_t ticks(uint64_t ns)
{
	uint64_t t = ns >> NSC_TC_TICK_SHIFT;

	return t > UINT32_MAX ? UINT32_MAX : (uint32_t)t;
}

static uint32_t clamp32(uint64_t v)
{
	return v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
}

/* TCA_OPTIONS holding DATA (may be empty); attributes follow until opt_end() */
static struct nlattr *opt_begin(struct nlmsghdr *nlh, const void *data, size_t len)
{
	struct nlattr *a = mnl_nlmsg_get_payload_tail(nlh);

	mnl_attr_put(nlh, TCA_OPTIONS, len, data);
	return a;
}

static void opt_end(struct nlmsghdr *nlh, struct nlattr *a)
{
	a->nla_len = (uint16_t)((char *)mnl_nlmsg_get_payload_tail(nlh) - (char *)a);
}

static void build_tbf(struct nlmsghdr *nlh, const struct nsc_impair *im)
{
	struct tc_tbf_qopt q = { 0 };
	struct nlattr *opt;

	/* with a link layer set the kernel needs no rate table (tbf_change) */
	q.rate.rate = clamp32(im->rate);
	q.rate.linklayer = TC_LINKLAYER_ETHERNET;
	q.limit = im->limit;
	q.buffer = ticks(im->rate ? (uint64_t)im->burst * 1000000000ull / im->rate : 0);
	opt = opt_begin(nlh, NULL, 0);
	mnl_attr_put(nlh, TCA_TBF_PARMS, sizeof(q), &q);
	if (im->rate > UINT32_MAX)
		mnl_attr_put_u64(nlh, TCA_TBF_RATE64, im->rate);
	/* the burst in bytes: the kernel takes it over the buffer's time */
	mnl_attr_put_u32(nlh, TCA_TBF_BURST, im->burst);
	opt_end(nlh, opt);
}

#define SET(im, k) (((im)->set >> (k)) & 1u)

static void build_netem(struct nlmsghdr *nlh, const struct nsc_impair *im)
{
	struct tc_netem_qopt q = { 0 };
	struct nlattr *opt;

	q.latency = ticks(im->delay);
	q.jitter = ticks(im->jitter);
	q.limit = im->limit;
	q.loss = im->loss;
	q.duplicate = im->duplicate;
	/* tc's rule: with reordering, every packet but each gap-th is delayed */
	q.gap = im->reorder ? 1 : 0;
	opt = opt_begin(nlh, &q, sizeof(q));
	if (im->corr[NSC_IMP_DELAY] || im->corr[NSC_IMP_LOSS] || im->corr[NSC_IMP_DUPLICATE]) {
		struct tc_netem_corr c = {
			.delay_corr = im->corr[NSC_IMP_DELAY],
			.loss_corr = im->corr[NSC_IMP_LOSS],
			.dup_corr = im->corr[NSC_IMP_DUPLICATE],
		};

		mnl_attr_put(nlh, TCA_NETEM_CORR, sizeof(c), &c);
	}
	if (SET(im, NSC_IMP_REORDER)) {
		struct tc_netem_reorder r = {
			.probability = im->reorder, .correlation = im->corr[NSC_IMP_REORDER],
		};

		mnl_attr_put(nlh, TCA_NETEM_REORDER, sizeof(r), &r);
	}
	if (SET(im, NSC_IMP_CORRUPT)) {
		struct tc_netem_corrupt c = {
			.probability = im->corrupt, .correlation = im->corr[NSC_IMP_CORRUPT],
		};

		mnl_attr_put(nlh, TCA_NETEM_CORRUPT, sizeof(c), &c);
	}
	if (SET(im, NSC_IMP_RATE)) {
		struct tc_netem_rate r = { .rate = clamp32(im->rate) };

		mnl_attr_put(nlh, TCA_NETEM_RATE, sizeof(r), &r);
		if (im->rate > UINT32_MAX)
			mnl_attr_put_u64(nlh, TCA_NETEM_RATE64, im->rate);
	}
	/* the whole nanoseconds: the ticks above are 64 ns and capped */
	if (SET(im, NSC_IMP_DELAY))
		mnl_attr_put_u64(nlh, TCA_NETEM_LATENCY64, im->delay);
	if (SET(im, NSC_IMP_JITTER))
		mnl_attr_put_u64(nlh, TCA_NETEM_JITTER64, im->jitter);
	opt_end(nlh, opt);
}

const char *nsc_tc_build_impair(struct nsc_req *r, int ifindex, const struct nsc_impair *im)
{
	const char *kind = nsc_impair_needs_netem(im) ? "netem" : "tbf";
	struct tcmsg *t;

	t = nsc_req_init(r, RTM_NEWQDISC, NLM_F_CREATE | NLM_F_REPLACE, AF_UNSPEC, sizeof(*t));
	t->tcm_ifindex = ifindex;
	t->tcm_parent = TC_H_ROOT;
	t->tcm_handle = 0;      /* the root's, whatever it is: a change in place */
	mnl_attr_put_strz(r->nlh, TCA_KIND, kind);
	if (kind[0] == 'n')
		build_netem(r->nlh, im);
	else
		build_tbf(r->nlh, im);
	return kind;
}

void nsc_tc_build_clear(struct nsc_req *r, int ifindex)
{
	struct tcmsg *t = nsc_req_init(r, RTM_DELQDISC, 0, AF_UNSPEC, sizeof(*t));

	t->tcm_ifindex = ifindex;
	t->tcm_parent = TC_H_ROOT;
}

/* ---- parsing ---- */

static void parse_tbf(const struct nlattr *opt, struct nsc_qdisc *q)
{
	const struct tc_tbf_qopt *p = NULL;
	const struct nlattr *a;
	uint64_t rate = 0, buffer_ns;

	mnl_attr_for_each_nested(a, opt) {
		if (mnl_attr_get_type(a) == TCA_TBF_PARMS &&
		    mnl_attr_get_payload_len(a) >= sizeof(*p))
			p = mnl_attr_get_payload(a);
		else if (mnl_attr_get_type(a) == TCA_TBF_RATE64 &&
			 mnl_attr_get_payload_len(a) >= 8)
			rate = mnl_attr_get_u64(a);
	}
	if (!p)
		return;
	if (!rate)
		rate = p->rate.rate;
	buffer_ns = (uint64_t)p->buffer << NSC_TC_TICK_SHIFT;
	q->tbf = true;
	q->im.set = 1u << NSC_IMP_RATE | 1u << NSC_IMP_BURST | 1u << NSC_IMP_LIMIT;
	q->im.rate = rate;
	q->im.limit = p->limit;
	/* the kernel keeps the burst as the time it takes at the rate */
	q->im.burst = clamp32(rate ? (uint64_t)((double)rate * (double)buffer_ns / 1e9 + 0.5) : 0);
	/* tc shows the queue as a latency, or as a limit when that is negative */
	q->tbf_lat_us = rate ? (int64_t)(1e6 * (double)p->limit / (double)rate) -
			       (int64_t)(buffer_ns / 1000) : -1;
	if (q->tbf_lat_us < 0)
		q->tbf_lat_us = -1;
}

static void netem_attr(const struct nlattr *a, struct nsc_qdisc *q)
{
	struct nsc_impair *im = &q->im;
	size_t len = mnl_attr_get_payload_len(a);
	const void *p = mnl_attr_get_payload(a);

	switch (mnl_attr_get_type(a)) {
	case TCA_NETEM_CORR:
		if (len >= sizeof(struct tc_netem_corr)) {
			const struct tc_netem_corr *c = p;

			im->corr[NSC_IMP_DELAY] = c->delay_corr;
			im->corr[NSC_IMP_LOSS] = c->loss_corr;
			im->corr[NSC_IMP_DUPLICATE] = c->dup_corr;
		}
		break;
	case TCA_NETEM_REORDER:
		if (len >= sizeof(struct tc_netem_reorder)) {
			const struct tc_netem_reorder *r = p;

			im->reorder = r->probability;
			im->corr[NSC_IMP_REORDER] = r->correlation;
		}
		break;
	case TCA_NETEM_CORRUPT:
		if (len >= sizeof(struct tc_netem_corrupt)) {
			const struct tc_netem_corrupt *c = p;

			im->corrupt = c->probability;
			im->corr[NSC_IMP_CORRUPT] = c->correlation;
		}
		break;
	case TCA_NETEM_RATE:
		if (len >= sizeof(struct tc_netem_rate) && !im->rate)
			im->rate = ((const struct tc_netem_rate *)p)->rate;
		break;
	case TCA_NETEM_RATE64:
		if (len >= 8)
			im->rate = mnl_attr_get_u64(a);
		break;
	case TCA_NETEM_LATENCY64:
		if (len >= 8)
			im->delay = mnl_attr_get_u64(a);
		break;
	case TCA_NETEM_JITTER64:
		if (len >= 8)
			im->jitter = mnl_attr_get_u64(a);
		break;
	}
}

static void parse_netem(const struct nlattr *opt, struct nsc_qdisc *q)
{
	const struct tc_netem_qopt *p = mnl_attr_get_payload(opt);
	size_t len = mnl_attr_get_payload_len(opt), off = NLA_ALIGN(sizeof(*p));
	const struct nlattr *a;
	struct nsc_impair *im = &q->im;

	if (len < sizeof(*p))
		return;
	q->netem = true;
	im->delay = (uint64_t)p->latency << NSC_TC_TICK_SHIFT;
	im->jitter = (uint64_t)p->jitter << NSC_TC_TICK_SHIFT;
	im->limit = p->limit;
	im->loss = p->loss;
	im->duplicate = p->duplicate;
	q->gap = p->gap;
	/* the attributes follow the struct, outside any nest (netem's parse_attr) */
	for (a = (const struct nlattr *)((const char *)p + off);
	     off < len && mnl_attr_ok(a, (int)(len - off));
	     off += NLA_ALIGN(a->nla_len), a = mnl_attr_next(a))
		netem_attr(a, q);
	im->set = 1u << NSC_IMP_LIMIT;
	im->set |= (im->rate ? 1u : 0) << NSC_IMP_RATE | (im->delay ? 1u : 0) << NSC_IMP_DELAY |
		   (im->jitter ? 1u : 0) << NSC_IMP_JITTER | (im->loss ? 1u : 0) << NSC_IMP_LOSS |
		   (im->duplicate ? 1u : 0) << NSC_IMP_DUPLICATE |
		   (im->reorder ? 1u : 0) << NSC_IMP_REORDER |
		   (im->corrupt ? 1u : 0) << NSC_IMP_CORRUPT;
}

static void parse_stats(const struct nlattr *st, struct nsc_qdisc *q)
{
	const struct nlattr *a;

	mnl_attr_for_each_nested(a, st) {
		size_t len = mnl_attr_get_payload_len(a);

		if (mnl_attr_get_type(a) == TCA_STATS_BASIC && len >= 12) {
			struct gnet_stats_basic b = { 0 };

			memcpy(&b, mnl_attr_get_payload(a), len < sizeof(b) ? len : sizeof(b));
			q->bytes = b.bytes;
			q->packets = b.packets;
			q->has_stats = true;
		} else if (mnl_attr_get_type(a) == TCA_STATS_QUEUE &&
			   len >= sizeof(struct gnet_stats_queue)) {
			const struct gnet_stats_queue *s = mnl_attr_get_payload(a);

			q->qlen = s->qlen;
			q->backlog = s->backlog;
			q->drops = s->drops;
			q->requeues = s->requeues;
			q->overlimits = s->overlimits;
			q->has_stats = true;
		}
	}
}

int nsc_tc_parse(const struct nlmsghdr *nlh, struct nsc_qdisc *q)
{
	const struct tcmsg *t;
	const struct nlattr *a, *opt = NULL;

	memset(q, 0, sizeof(*q));
	if (nlh->nlmsg_type != RTM_NEWQDISC || nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*t)))
		return -EINVAL;
	t = mnl_nlmsg_get_payload(nlh);
	q->ifindex = t->tcm_ifindex;
	q->handle = t->tcm_handle;
	q->parent = t->tcm_parent;
	q->refcnt = t->tcm_info;
	mnl_attr_for_each(a, nlh, sizeof(*t)) {
		switch (mnl_attr_get_type(a)) {
		case TCA_KIND:
			if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == 0)
				snprintf(q->kind, sizeof(q->kind), "%s", mnl_attr_get_str(a));
			break;
		case TCA_OPTIONS:
			opt = a;
			break;
		case TCA_STATS2:
			parse_stats(a, q);
			break;
		}
	}
	if (opt && !strcmp(q->kind, "tbf"))
		parse_tbf(opt, q);
	else if (opt && !strcmp(q->kind, "netem"))
		parse_netem(opt, q);
	return 0;
}
