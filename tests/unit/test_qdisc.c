// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests for impairments without a kernel: tc's units, the rules of an
 * impairment, and the RTM_NEWQDISC messages for netem and tbf checked field
 * by field (the test machine's kernel has no netem: this is where netem's
 * message is proven), then read back by the dump parser.
 */
#include <string.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>
#include <libmnl/libmnl.h>

#include <netnsctl/netnsctl.h>
#include "rtnl/tc.h"
#include "tap.h"

static void units(void)
{
	struct nsc_error e = { 0 };
	uint64_t v;
	uint32_t s;
	char b[32];

	ok(nsc_parse_rate("10mbit", &v, &e) == 0 && v == 1250000, "10mbit is 1250000 B/s");
	ok(nsc_parse_rate("1Gbit", &v, &e) == 0 && v == 125000000, "1Gbit, any case");
	ok(nsc_parse_rate("2mbps", &v, &e) == 0 && v == 2000000, "2mbps is bytes");
	ok(nsc_parse_rate("8000", &v, &e) == 0 && v == 1000, "a bare rate is bits");
	ok(nsc_parse_rate("1kibit", &v, &e) == 0 && v == 128, "kibit is 1024 bits");
	ok(nsc_parse_rate("10 mbit", &v, &e) < 0 && e.usage, "a space is refused");
	ok(nsc_parse_rate("-1mbit", &v, &e) < 0, "a sign is refused");
	ok(nsc_parse_rate("infmbit", &v, &e) < 0, "inf is refused");
	ok(nsc_parse_rate("4bit", &v, &e) < 0, "less than a byte a second is refused");
	ok(nsc_parse_size("32kb", &s, &e) == 0 && s == 32768, "32kb");
	ok(nsc_parse_size("32kbit", &s, &e) == 0 && s == 4096, "32kbit is 4096 bytes, as tc");
	ok(nsc_parse_size("1600", &s, &e) == 0 && s == 1600, "a bare size is bytes");
	ok(nsc_parse_size("5gb", &s, &e) < 0, "over 4 GiB is refused");
	ok(nsc_parse_time("20ms", &v, &e) == 0 && v == 20000000, "20ms");
	ok(nsc_parse_time("1.5ms", &v, &e) == 0 && v == 1500000, "1.5ms");
	ok(nsc_parse_time("100", &v, &e) == 0 && v == 100000, "a bare time is microseconds");
	ok(nsc_parse_time("2h", &v, &e) < 0, "an unknown unit is refused");
	ok(nsc_parse_percent("1%", &s, &e) == 0 && s == 42949673, "1%%");
	ok(nsc_parse_percent("100%", &s, &e) == 0 && s == UINT32_MAX, "100%% is the top");
	ok(nsc_parse_percent("101%", &s, &e) < 0, "101%% is refused");
	ok(!strcmp(nsc_rate_str(1250000, b, sizeof(b)), "10mbit"), "10mbit back");
	ok(!strcmp(nsc_time_str(1500000, b, sizeof(b)), "1500us"), "1.5ms back as 1500us");
	ok(!strcmp(nsc_percent_str(42949673, b, sizeof(b)), "1%"), "1%% back");
	ok(!strcmp(nsc_size_str(32768, b, sizeof(b)), "32kb"), "32kb back");
}

static void rules(void)
{
	struct nsc_error e = { 0 };
	struct nsc_impair im = { 0 }, r;

	ok(nsc_impair_check(&im, &e) < 0 && e.usage, "an empty impairment is refused");
	nsc_impair_set_key(&im, NSC_IMP_JITTER, "2ms", &e);
	ok(nsc_impair_check(&im, &e) < 0 && strstr(e.msg, "jitter needs a delay"),
	   "jitter without delay: %s", e.msg);
	nsc_impair_set_key(&im, NSC_IMP_DELAY, "20ms", &e);
	ok(nsc_impair_check(&im, &e) == 0 && nsc_impair_needs_netem(&im), "delay: netem");
	nsc_impair_set_key(&im, NSC_IMP_BURST, "32kb", &e);
	ok(nsc_impair_check(&im, &e) < 0 && strstr(e.msg, "burst"), "burst with netem: refused");

	memset(&im, 0, sizeof(im));
	nsc_impair_set_key(&im, NSC_IMP_RATE, "1mbit", &e);
	ok(!nsc_impair_needs_netem(&im) && nsc_impair_check(&im, &e) == 0, "rate alone: tbf");
	nsc_impair_resolve(&im, &r);
	ok(r.burst == 16384 && r.limit == 12500 + 16384, "tbf defaults: burst %u limit %u",
	   r.burst, r.limit);
	ok(nsc_impair_key("loss") == NSC_IMP_LOSS && nsc_impair_key("Loss") < 0, "key names");
}

static struct nlattr *attr(const struct nlmsghdr *nlh, uint16_t type)
{
	struct nlattr *a;

	mnl_attr_for_each(a, nlh, sizeof(struct tcmsg))
		if (mnl_attr_get_type(a) == type)
			return a;
	return NULL;
}

/* the attributes after netem's struct, as the kernel's parse_attr reads them */
static const struct nlattr *netem_attr(const struct nlattr *opt, uint16_t type)
{
	size_t len = mnl_attr_get_payload_len(opt), off = NLA_ALIGN(sizeof(struct tc_netem_qopt));
	const char *p = mnl_attr_get_payload(opt);

	while (off + sizeof(struct nlattr) <= len) {
		const struct nlattr *a = (const void *)(p + off);

		if (a->nla_len < sizeof(*a) || off + a->nla_len > len)
			return NULL;
		if (a->nla_type == type)
			return a;
		off += NLA_ALIGN(a->nla_len);
	}
	return NULL;
}

static void netem_message(void)
{
	struct nsc_error e = { 0 };
	struct nsc_impair im = { 0 }, r;
	const struct tc_netem_qopt *q;
	const struct tc_netem_corr *corr;
	const struct tc_netem_reorder *ro;
	const struct nlattr *opt, *a;
	struct nsc_qdisc back;
	struct nsc_req req;
	struct tcmsg *t;

	nsc_impair_set_key(&im, NSC_IMP_DELAY, "20ms", &e);
	nsc_impair_set_key(&im, NSC_IMP_JITTER, "2ms", &e);
	nsc_impair_set_corr(&im, NSC_IMP_DELAY, "25%", &e);
	nsc_impair_set_key(&im, NSC_IMP_LOSS, "1%", &e);
	nsc_impair_set_key(&im, NSC_IMP_DUPLICATE, "0.5%", &e);
	nsc_impair_set_key(&im, NSC_IMP_REORDER, "10%", &e);
	nsc_impair_set_key(&im, NSC_IMP_CORRUPT, "0.1%", &e);
	nsc_impair_set_key(&im, NSC_IMP_RATE, "10mbit", &e);
	ok(nsc_impair_check(&im, &e) == 0, "a full netem impairment is valid");
	nsc_impair_resolve(&im, &r);

	ok(!strcmp(nsc_tc_build_impair(&req, 7, &r), "netem"), "kind netem");
	t = mnl_nlmsg_get_payload(req.nlh);
	ok(req.nlh->nlmsg_type == RTM_NEWQDISC &&
	   (req.nlh->nlmsg_flags & (NLM_F_CREATE | NLM_F_REPLACE | NLM_F_EXCL)) ==
	   (NLM_F_CREATE | NLM_F_REPLACE), "RTM_NEWQDISC, create|replace, not excl");
	ok(t->tcm_ifindex == 7 && t->tcm_parent == TC_H_ROOT && t->tcm_handle == 0,
	   "root of ifindex 7, handle 0 (changed in place when it is a netem)");
	a = attr(req.nlh, TCA_KIND);
	ok(a && !strcmp(mnl_attr_get_str(a), "netem"), "TCA_KIND netem");
	opt = attr(req.nlh, TCA_OPTIONS);
	ok(opt && !(opt->nla_type & NLA_F_NESTED), "TCA_OPTIONS, not flagged nested (tc's way)");
	if (!opt)
		return;
	q = mnl_attr_get_payload(opt);
	ok(q->latency == 20000000 >> 6 && q->jitter == 2000000 >> 6, "latency and jitter in ticks");
	ok(q->limit == 1000, "limit 1000 packets by default");
	ok(q->loss == 42949673, "loss 1%%");
	ok(q->gap == 1, "reorder: gap 1, as tc");
	a = netem_attr(opt, TCA_NETEM_LATENCY64);
	ok(a && mnl_attr_get_u64(a) == 20000000, "TCA_NETEM_LATENCY64 in ns");
	a = netem_attr(opt, TCA_NETEM_JITTER64);
	ok(a && mnl_attr_get_u64(a) == 2000000, "TCA_NETEM_JITTER64 in ns");
	a = netem_attr(opt, TCA_NETEM_CORR);
	corr = a ? mnl_attr_get_payload(a) : NULL;
	ok(corr && corr->delay_corr == 1073741824 && !corr->loss_corr, "delay correlation 25%%");
	a = netem_attr(opt, TCA_NETEM_REORDER);
	ro = a ? mnl_attr_get_payload(a) : NULL;
	ok(ro && ro->probability == 429496730, "reorder 10%%");
	a = netem_attr(opt, TCA_NETEM_CORRUPT);
	ok(a && ((const struct tc_netem_corrupt *)mnl_attr_get_payload(a))->probability ==
	   4294967, "corrupt 0.1%%");
	a = netem_attr(opt, TCA_NETEM_RATE);
	ok(a && ((const struct tc_netem_rate *)mnl_attr_get_payload(a))->rate == 1250000,
	   "netem's own rate, 10mbit");
	ok(!netem_attr(opt, TCA_NETEM_RATE64), "no RATE64 under 4 GB/s");
	ok((char *)opt + opt->nla_len == (char *)req.nlh + req.nlh->nlmsg_len,
	   "TCA_OPTIONS covers every netem attribute");

	/* what a dump would say: the same message parsed back */
	ok(nsc_tc_parse(req.nlh, &back) == 0 && back.netem, "parsed back as netem");
	ok(nsc_impair_same(&r, &back.im), "the impairment read back is the one asked for");
	ok(back.gap == 1, "gap read back");
}

static void tbf_message(void)
{
	struct nsc_error e = { 0 };
	struct nsc_impair im = { 0 }, r;
	const struct tc_tbf_qopt *q;
	const struct nlattr *opt, *a, *parms = NULL, *burst = NULL, *r64 = NULL;
	struct nsc_qdisc back;
	struct nsc_req req;

	nsc_impair_set_key(&im, NSC_IMP_RATE, "40gbit", &e);
	nsc_impair_set_key(&im, NSC_IMP_BURST, "1mb", &e);
	nsc_impair_set_key(&im, NSC_IMP_LIMIT, "100kb", &e);
	nsc_impair_resolve(&im, &r);
	ok(!strcmp(nsc_tc_build_impair(&req, 3, &r), "tbf"), "kind tbf");
	opt = attr(req.nlh, TCA_OPTIONS);
	ok(opt != NULL, "TCA_OPTIONS");
	if (!opt)
		return;
	mnl_attr_for_each_nested(a, opt) {
		if (mnl_attr_get_type(a) == TCA_TBF_PARMS)
			parms = a;
		else if (mnl_attr_get_type(a) == TCA_TBF_BURST)
			burst = a;
		else if (mnl_attr_get_type(a) == TCA_TBF_RATE64)
			r64 = a;
	}
	q = parms ? mnl_attr_get_payload(parms) : NULL;
	ok(q && q->rate.rate == UINT32_MAX && q->rate.linklayer == TC_LINKLAYER_ETHERNET,
	   "rate capped in the struct, link layer set (no rate table needed)");
	ok(r64 && mnl_attr_get_u64(r64) == 5000000000ull, "TCA_TBF_RATE64 over 4 GB/s");
	ok(burst && mnl_attr_get_u32(burst) == 1048576, "TCA_TBF_BURST in bytes");
	ok(q && q->limit == 102400, "limit in bytes");
	ok(nsc_tc_parse(req.nlh, &back) == 0 && back.tbf && back.im.rate == 5000000000ull &&
	   back.im.limit == 102400, "parsed back");
	ok(nsc_impair_same(&r, &back.im), "burst read back within the rounding (%u)",
	   back.im.burst);
}

int main(void)
{
	units();
	rules();
	netem_message();
	tbf_message();
	return tap_done();
}
