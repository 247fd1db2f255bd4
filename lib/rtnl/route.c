// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Routes, the pure half: one netlink message into a struct nsc_route, the
 * show/flush selectors, and the checks a request passes before anything is
 * sent. No I/O here (route_ops.c talks to the kernel), so all of it is
 * unit-tested and reused by monitor for route events.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <linux/rtnetlink.h>
#include <libmnl/libmnl.h>

#include <netnsctl/route.h>
#include "rtnl/rtmsg.h"

static int host_bits(int family)
{
	return family == AF_INET6 ? 128 : 32;
}

static int addr_bytes(int family)
{
	return family == AF_INET6 ? 16 : 4;
}

/* An address attribute of the route's family into p (len: full). */
static void get_addr(const struct nlattr *a, int family, struct nsc_prefix *p)
{
	int n = addr_bytes(family);

	if (mnl_attr_get_payload_len(a) < (uint16_t)n)
		return;
	memset(p, 0, sizeof(*p));
	p->family = family;
	memcpy(p->addr, mnl_attr_get_payload(a), (size_t)n);
	p->len = host_bits(family);
}

/* RTA_VIA: a gateway of another family (an IPv4 route via an IPv6 router). */
static void get_via(const struct nlattr *a, struct nsc_prefix *p)
{
	const uint8_t *d = mnl_attr_get_payload(a);
	uint16_t len = mnl_attr_get_payload_len(a);
	uint16_t fam;

	if (len < 2)
		return;
	memcpy(&fam, d, sizeof(fam));   /* struct rtvia: __kernel_sa_family_t, then bytes */
	if ((fam != AF_INET && fam != AF_INET6) || len < 2 + addr_bytes(fam))
		return;
	memset(p, 0, sizeof(*p));
	p->family = fam;
	memcpy(p->addr, d + 2, (size_t)addr_bytes(fam));
	p->len = host_bits(fam);
}

static bool u32_ok(const struct nlattr *a)
{
	return a && mnl_attr_validate((struct nlattr *)a, MNL_TYPE_U32) == 0;
}

static void parse_metrics(const struct nlattr *nest, struct nsc_route *r)
{
	const struct nlattr *a;

	mnl_attr_for_each_nested(a, nest) {
		uint16_t t = mnl_attr_get_type(a);

		if (t == 0 || t > NSC_RTAX_MAX)
			continue;
		if (t == RTAX_CC_ALGO) {
			if (mnl_attr_validate((struct nlattr *)a, MNL_TYPE_NUL_STRING) == 0)
				snprintf(r->congctl, sizeof(r->congctl), "%s", mnl_attr_get_str(a));
			else
				continue;
		} else if (u32_ok(a)) {
			r->metrics[t] = mnl_attr_get_u32(a);
		} else {
			continue;
		}
		r->metrics_mask |= 1u << t;
	}
}

static void parse_multipath(const struct nlattr *a, struct nsc_route *r)
{
	const struct rtnexthop *nh = mnl_attr_get_payload(a);
	int len = mnl_attr_get_payload_len(a);

	while (len >= (int)sizeof(*nh) && nh->rtnh_len >= sizeof(*nh) && nh->rtnh_len <= len) {
		if (r->nnh < NSC_ROUTE_MAX_NH) {
			struct nsc_nexthop *x = &r->nh[r->nnh++];
			const struct nlattr *tb[RTA_MAX + 1] = { 0 };
			struct nsc_attrs t = { .tb = tb, .max = RTA_MAX };

			memset(x, 0, sizeof(*x));
			x->ifindex = nh->rtnh_ifindex;
			x->weight = nh->rtnh_hops + 1u;
			x->flags = nh->rtnh_flags;
			if (nh->rtnh_len > RTNH_LENGTH(0) &&
			    mnl_attr_parse_payload(RTNH_DATA(nh), nh->rtnh_len - RTNH_LENGTH(0),
						   nsc_attrs_cb, &t) >= 0) {
				if (tb[RTA_GATEWAY])
					get_addr(tb[RTA_GATEWAY], r->family, &x->gateway);
				else if (tb[RTA_VIA])
					get_via(tb[RTA_VIA], &x->gateway);
			}
		}
		r->nnh_total++;
		len -= RTNH_ALIGN(nh->rtnh_len);
		nh = RTNH_NEXT(nh);
	}
}

int nsc_route_parse(const struct nlmsghdr *nlh, struct nsc_route *r)
{
	const struct nlattr *tb[RTA_MAX + 1];
	const struct rtmsg *rtm;
	long hz;

	memset(r, 0, sizeof(*r));
	rtm = nsc_rtmsg_parse(nlh, RTM_NEWROUTE, RTM_DELROUTE, sizeof(*rtm), tb, RTA_MAX);
	if (!rtm)
		return -EINVAL;
	r->msg_type = nlh->nlmsg_type;
	r->family = rtm->rtm_family;
	r->type = rtm->rtm_type;
	r->protocol = rtm->rtm_protocol;
	r->scope = rtm->rtm_scope;
	r->tos = rtm->rtm_tos;
	r->flags = rtm->rtm_flags;
	r->table = u32_ok(tb[RTA_TABLE]) ? mnl_attr_get_u32(tb[RTA_TABLE]) : rtm->rtm_table;
	if (r->family != AF_INET && r->family != AF_INET6)
		return 0;               /* multicast, MPLS...: kept apart by the filters */
	if (rtm->rtm_dst_len > host_bits(r->family) || rtm->rtm_src_len > host_bits(r->family))
		return -EINVAL;

	r->dst.family = r->family;
	if (tb[RTA_DST])
		get_addr(tb[RTA_DST], r->family, &r->dst);
	r->dst.len = rtm->rtm_dst_len;
	if (tb[RTA_SRC] || rtm->rtm_src_len) {
		r->src.family = r->family;
		if (tb[RTA_SRC])
			get_addr(tb[RTA_SRC], r->family, &r->src);
		r->src.len = rtm->rtm_src_len;
	}
	if (tb[RTA_GATEWAY])
		get_addr(tb[RTA_GATEWAY], r->family, &r->gateway);
	else if (tb[RTA_VIA])
		get_via(tb[RTA_VIA], &r->gateway);
	if (tb[RTA_PREFSRC])
		get_addr(tb[RTA_PREFSRC], r->family, &r->prefsrc);
	if (u32_ok(tb[RTA_OIF]))
		r->oif = (int)mnl_attr_get_u32(tb[RTA_OIF]);
	if (u32_ok(tb[RTA_IIF]))
		r->iif = (int)mnl_attr_get_u32(tb[RTA_IIF]);
	if (u32_ok(tb[RTA_PRIORITY])) {
		r->has_metric = true;
		r->metric = mnl_attr_get_u32(tb[RTA_PRIORITY]);
	}
	if (tb[RTA_METRICS] && mnl_attr_validate((struct nlattr *)tb[RTA_METRICS],
						   MNL_TYPE_NESTED) == 0)
		parse_metrics(tb[RTA_METRICS], r);
	if (tb[RTA_PREF] && mnl_attr_validate((struct nlattr *)tb[RTA_PREF], MNL_TYPE_U8) == 0) {
		r->has_pref = true;
		r->pref = mnl_attr_get_u8(tb[RTA_PREF]);
	}
	if (u32_ok(tb[RTA_MARK]))
		r->mark = mnl_attr_get_u32(tb[RTA_MARK]);
	if (u32_ok(tb[RTA_UID])) {
		r->has_uid = true;
		r->uid = mnl_attr_get_u32(tb[RTA_UID]);
	}
	if (tb[RTA_CACHEINFO] &&
	    mnl_attr_get_payload_len(tb[RTA_CACHEINFO]) >= sizeof(struct rta_cacheinfo)) {
		struct rta_cacheinfo ci;

		memcpy(&ci, mnl_attr_get_payload(tb[RTA_CACHEINFO]), sizeof(ci));
		/* clock ticks, as iproute2 reads them */
		hz = sysconf(_SC_CLK_TCK);
		if (ci.rta_expires)
			r->expires = (int)ci.rta_expires / (int)(hz > 0 ? hz : 100);
		r->cache_error = ci.rta_error;
	}
	if (tb[RTA_MULTIPATH])
		parse_multipath(tb[RTA_MULTIPATH], r);
	return 0;
}

const char *nsc_route_addr_str(const struct nsc_prefix *p, bool is_dst, char *buf, size_t size)
{
	char a[INET6_ADDRSTRLEN];
	int bits;

	if (p->family != AF_INET && p->family != AF_INET6) {
		snprintf(buf, size, "%s", is_dst && p->len == 0 ? "default" : "?");
		return buf;
	}
	bits = host_bits(p->family);
	if (is_dst && p->len == 0) {
		snprintf(buf, size, "default");
		return buf;
	}
	inet_ntop(p->family, p->addr, a, sizeof(a));
	if (p->len >= 0 && p->len < bits)
		snprintf(buf, size, "%s/%d", a, p->len);
	else
		snprintf(buf, size, "%s", a);
	return buf;
}

/* ---- selectors ---- */

void nsc_route_filter_init(struct nsc_route_filter *f)
{
	memset(f, 0, sizeof(*f));
	f->family = AF_UNSPEC;
	f->table = RT_TABLE_MAIN;
	f->protocol = -1;
	f->scope = -1;
}

/* Do the first bits of a and b agree? */
static bool prefix_eq(const uint8_t *a, const uint8_t *b, int bits)
{
	int bytes = bits / 8, rest = bits % 8;

	if (memcmp(a, b, (size_t)bytes))
		return false;
	if (rest) {
		uint8_t mask = (uint8_t)(0xff << (8 - rest));

		return ((a[bytes] ^ b[bytes]) & mask) == 0;
	}
	return true;
}

static int plen(const struct nsc_prefix *p)
{
	return p->len < 0 ? host_bits(p->family) : p->len;
}

/* address (of family fam) inside prefix p? */
static bool inside(const struct nsc_prefix *p, int fam, const uint8_t *addr)
{
	return fam == p->family && prefix_eq(addr, p->addr, plen(p));
}

static bool gw_inside(const struct nsc_prefix *p, const struct nsc_route *r)
{
	if (r->gateway.family && inside(p, r->gateway.family, r->gateway.addr))
		return true;
	for (unsigned i = 0; i < r->nnh; i++)
		if (r->nh[i].gateway.family &&
		    inside(p, r->nh[i].gateway.family, r->nh[i].gateway.addr))
			return true;
	return false;
}

static bool uses_dev(const struct nsc_route *r, int oif)
{
	if (r->oif == oif)
		return true;
	for (unsigned i = 0; i < r->nnh; i++)
		if (r->nh[i].ifindex == oif)
			return true;
	return false;
}

bool nsc_route_match(const struct nsc_route_filter *f, const struct nsc_route *r)
{
	if (r->family != AF_INET && r->family != AF_INET6)
		return false;
	if (r->flags & RTM_F_CLONED)
		return false;
	if (f->family != AF_UNSPEC && r->family != f->family)
		return false;
	if (!f->all_tables && r->table != f->table)
		return false;
	if (f->protocol >= 0 && r->protocol != f->protocol)
		return false;
	if (f->scope >= 0 && r->scope != f->scope)
		return false;
	if (f->types && (r->type >= 32 || !(f->types & (1u << r->type))))
		return false;
	if (f->oif && !uses_dev(r, f->oif))
		return false;
	/* root P: the route's prefix lies inside P */
	if (f->root.family) {
		if (r->family != f->root.family || r->dst.len < plen(&f->root) ||
		    !prefix_eq(r->dst.addr, f->root.addr, plen(&f->root)))
			return false;
	}
	/* match P: the route covers P */
	if (f->match.family) {
		if (r->family != f->match.family || r->dst.len > plen(&f->match) ||
		    !prefix_eq(r->dst.addr, f->match.addr, r->dst.len))
			return false;
	}
	if (f->via.family && !gw_inside(&f->via, r))
		return false;
	if (f->prefsrc.family &&
	    (!r->prefsrc.family || !inside(&f->prefsrc, r->prefsrc.family, r->prefsrc.addr)))
		return false;
	return true;
}

/* ---- requests ---- */

void nsc_route_req_init(struct nsc_route_req *r)
{
	memset(r, 0, sizeof(*r));
	r->family = AF_UNSPEC;
	r->type = -1;
	r->protocol = -1;
	r->scope = -1;
	r->dst.len = -1;
}

static int want_family(int *family, const struct nsc_prefix *p, const char *what,
		       struct nsc_error *e)
{
	char buf[INET6_ADDRSTRLEN + 8];

	if (!p->family)
		return 0;
	if (*family == AF_UNSPEC) {
		*family = p->family;
		return 0;
	}
	if (p->family != *family)
		return nsc_usage(e, "%s \"%s\" is not %s like the route", what,
				 nsc_route_addr_str(p, false, buf, sizeof(buf)),
				 *family == AF_INET ? "IPv4" : "IPv6");
	return 0;
}

int nsc_route_req_check(struct nsc_route_req *r, struct nsc_error *e)
{
	char buf[INET6_ADDRSTRLEN + 8], buf2[INET6_ADDRSTRLEN + 8];
	uint8_t zero[16] = { 0 };
	int ret, bits;

	/* the family: -4/-6, else the first address that has one */
	if (r->dst.family == AF_UNSPEC && r->dst.len != 0)
		return nsc_usage(e, "missing destination prefix");
	if ((ret = want_family(&r->family, &r->dst, "prefix", e)) < 0 ||
	    (ret = want_family(&r->family, &r->gateway, "gateway", e)) < 0 ||
	    (ret = want_family(&r->family, &r->prefsrc, "source address", e)) < 0 ||
	    (ret = want_family(&r->family, &r->src, "source prefix", e)) < 0)
		return ret;
	for (unsigned i = 0; i < r->nnh; i++)
		if ((ret = want_family(&r->family, &r->nh[i].gateway, "gateway", e)) < 0)
			return ret;
	if (r->family == AF_UNSPEC)
		r->family = AF_INET;
	/* "default" parsed without a family takes the route's */
	r->dst.family = r->family;
	bits = host_bits(r->family);
	if (r->dst.len < 0)
		r->dst.len = bits;
	if (r->src.family && r->src.len < 0)
		r->src.len = bits;
	if (r->dst.len < bits && r->dst.len >= 0) {
		struct nsc_prefix masked = r->dst;
		int whole = r->dst.len / 8, rest = r->dst.len % 8;

		if (rest)
			masked.addr[whole] &= (uint8_t)(0xff << (8 - rest));
		memset(masked.addr + whole + (rest ? 1 : 0), 0,
		       (size_t)(16 - whole - (rest ? 1 : 0)));
		if (memcmp(masked.addr, r->dst.addr, 16))
			return nsc_usage(e, "invalid prefix \"%s\": host bits set (did you mean %s?)",
					 nsc_route_addr_str(&r->dst, true, buf, sizeof(buf)),
					 nsc_route_addr_str(&masked, true, buf2, sizeof(buf2)));
	}
	if (r->gateway.family && !memcmp(r->gateway.addr, zero, 16))
		return nsc_usage(e, "gateway %s is not an address a route can go via",
				 nsc_route_addr_str(&r->gateway, false, buf, sizeof(buf)));
	if (r->nnh && (r->gateway.family || r->dev || r->onlink))
		return nsc_usage(e, "via, dev and onlink go inside each nexthop of a multipath route");
	return 0;
}
