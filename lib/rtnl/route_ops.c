// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Routes, the half that talks to the kernel: dumps, flush, route get, and
 * add/del/replace built with libnl-route-3's object model and sent with
 * nsc_talk_nlmsg() (so refusals keep the kernel's errno and extended ack).
 *
 * libnl 3.7 traps met here (DESIGN.md): rtnl_route_alloc() means protocol
 * static, type unicast and a guessed scope, and rtnl_route_build_msg()
 * replaces a scope of RT_SCOPE_NOWHERE with its own guess. A delete must
 * match routes made by ip or by the kernel, whatever their protocol, type
 * or scope, so protocol and type are set to "any" (0) and the scope is put
 * back to RT_SCOPE_NOWHERE in the built message. The metric is the
 * priority (rtnl_route_set_metric() is for RTAX_* metrics).
 */
#include <errno.h>
#include <string.h>
#include <linux/rtnetlink.h>
#include <netlink/msg.h>
#include <netlink/route/route.h>
#include <netlink/route/nexthop.h>

#include <netnsctl/route.h>
#include <netnsctl/ifindex.h>
#include "core/core.h"
#include "rtnl/dumpflush.h"
#include "rtnl/rtnl.h"

/* ---- list and flush (dumpflush.c) ---- */

static void dump(struct nsc_req *r, const void *filter)
{
	const struct nsc_route_filter *f = filter;

	nsc_req_init(r, RTM_GETROUTE, NLM_F_DUMP, (uint8_t)f->family, sizeof(struct rtmsg));
}

static int parse(const struct nlmsghdr *nlh, union nsc_dumpobj *obj)
{
	return nsc_route_parse(nlh, &obj->route);
}

static bool pick(const union nsc_dumpobj *obj, const void *filter, bool flush)
{
	const struct nsc_route *r = &obj->route;

	if (!nsc_route_match(filter, r))
		return false;
	/* the kernel's own IPv6 "unreachable" placeholder is not a route to flush */
	return !(flush && r->family == AF_INET6 && r->dst.len == 0 &&
		 r->type == RTN_UNREACHABLE && r->has_metric && r->metric == UINT32_MAX);
}

static int show(const union nsc_dumpobj *obj, nsc_dump_fn fn, void *arg)
{
	return ((nsc_route_cb)fn)(&obj->route, arg);
}

/* a route goes back as the kernel reported it, turned into RTM_DELROUTE */
static struct nlmsghdr *del(struct nlmsghdr *entry, struct nsc_req *r)
{
	(void)r;
	entry->nlmsg_type = RTM_DELROUTE;
	entry->nlmsg_flags = NLM_F_REQUEST;
	return entry;
}

static const char *name(const union nsc_dumpobj *obj, char *buf, size_t size)
{
	return nsc_route_addr_str(&obj->route.dst, true, buf, size);
}

/* gone already: deleting one IPv6 route can take others with it */
static const int gone[] = { ESRCH, ENOENT, 0 };

static const struct nsc_dumpkind kind = {
	.what = "route", .dump = dump, .parse = parse, .pick = pick, .show = show,
	.del = del, .name = name, .gone = gone,
};

int nsc_route_list(struct nsc_ctx *ctx, const char *netns, const struct nsc_route_filter *f,
		   nsc_route_cb cb, void *arg, struct nsc_error *e)
{
	return nsc_dumpflush_list(ctx, netns, &kind, f, (nsc_dump_fn)cb, arg, e);
}

int nsc_route_flush(struct nsc_ctx *ctx, const char *netns, const struct nsc_route_filter *f,
		    unsigned *count, struct nsc_error *e)
{
	return nsc_dumpflush_flush(ctx, netns, &kind, f, count, e);
}

/* ---- route get ---- */

struct get_job {
	struct nsc_route *out;
	bool found;
};

static int get_cb(const struct nlmsghdr *nlh, void *data)
{
	struct get_job *j = data;

	if (!j->found && nsc_route_parse(nlh, j->out) == 0)
		j->found = true;
	return MNL_CB_OK;
}

int nsc_route_get(struct nsc_ctx *ctx, const char *netns, const struct nsc_route_query *q,
		  struct nsc_route *out, struct nsc_error *e)
{
	struct get_job j = { .out = out };
	int family = q->dst.family, bits = family == AF_INET6 ? 128 : 32;
	int iif = 0, oif = 0, ret;
	struct nsc_sock *s;
	struct rtmsg *rtm;
	struct nsc_req r;
	char what[64];

	nsc_route_addr_str(&q->dst, false, what, sizeof(what));
	if (q->from.family && q->from.family != family)
		return nsc_usage(e, "route get \"%s\": from address is not %s", what,
				 family == AF_INET ? "IPv4" : "IPv6");
	if (q->iif && (ret = nsc_ifindex(ctx, netns, q->iif, &iif, e)) < 0)
		return nsc_err_prefix(e, "route get \"%s\"", what);
	if (q->oif && (ret = nsc_ifindex(ctx, netns, q->oif, &oif, e)) < 0)
		return nsc_err_prefix(e, "route get \"%s\"", what);
	ret = nsc_sock_get(ctx, netns, &s, e);
	if (ret < 0)
		return ret;

	rtm = nsc_req_init(&r, RTM_GETROUTE, 0, (uint8_t)family, sizeof(*rtm));
	rtm->rtm_dst_len = (unsigned char)bits;
	if (q->fibmatch)
		rtm->rtm_flags |= RTM_F_FIB_MATCH;
	mnl_attr_put(r.nlh, RTA_DST, family == AF_INET6 ? 16 : 4, q->dst.addr);
	if (q->from.family) {
		rtm->rtm_src_len = (unsigned char)bits;
		mnl_attr_put(r.nlh, RTA_SRC, family == AF_INET6 ? 16 : 4, q->from.addr);
	}
	if (iif)
		mnl_attr_put_u32(r.nlh, RTA_IIF, (uint32_t)iif);
	if (oif)
		mnl_attr_put_u32(r.nlh, RTA_OIF, (uint32_t)oif);
	if (q->has_mark)
		mnl_attr_put_u32(r.nlh, RTA_MARK, q->mark);
	ret = nsc_req_talk(s, &r, get_cb, &j, e);
	if (ret < 0)
		return nsc_err_prefix(e, "route get \"%s\"", what);
	if (!j.found)
		return nsc_err_text(e, EPROTO, "route get \"%s\": the kernel sent no route", what);
	return 0;
}

/* ---- add, del, replace ---- */

/* An nl_addr of p's family; a /0 is an empty address, as libnl wants it
 * for a default route (no RTA_DST at all). */
static struct nl_addr *to_nl(const struct nsc_prefix *p, int len)
{
	struct nl_addr *a;

	if (len == 0) {
		a = nl_addr_alloc(0);
		if (a)
			nl_addr_set_family(a, p->family);
	} else {
		a = nl_addr_build(p->family, p->addr, p->family == AF_INET6 ? 16 : 4);
	}
	if (a)
		nl_addr_set_prefixlen(a, (unsigned)len);
	return a;
}

/* The scope ip would pick (iproute_modify). */
static uint8_t pick_scope(const struct nsc_route_req *r, enum nsc_route_op op, int type)
{
	bool del = op == NSC_ROUTE_DEL;

	if (r->scope >= 0)
		return (uint8_t)r->scope;
	if (r->family == AF_INET6)
		return RT_SCOPE_UNIVERSE;
	switch (type) {
	case RTN_LOCAL:
	case RTN_NAT:
		return RT_SCOPE_HOST;
	case RTN_BROADCAST:
	case RTN_MULTICAST:
	case RTN_ANYCAST:
		return RT_SCOPE_LINK;
	case RTN_UNICAST:
	case RTN_UNSPEC:
		if (del)
			return RT_SCOPE_NOWHERE;
		return r->gateway.family || r->nnh ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK;
	default:
		return del ? RT_SCOPE_NOWHERE : RT_SCOPE_UNIVERSE;
	}
}

static uint32_t pick_table(const struct nsc_route_req *r, int type)
{
	if (r->has_table)
		return r->table;
	if (type == RTN_LOCAL || type == RTN_BROADCAST || type == RTN_NAT || type == RTN_ANYCAST)
		return RT_TABLE_LOCAL;
	return RT_TABLE_MAIN;
}

static const char *op_name(enum nsc_route_op op)
{
	switch (op) {
	case NSC_ROUTE_ADD: return "route add";
	case NSC_ROUTE_DEL: return "route del";
	case NSC_ROUTE_REPLACE: return "route replace";
	case NSC_ROUTE_CHANGE: return "route change";
	case NSC_ROUTE_APPEND: return "route append";
	}
	return "route";
}

static int add_nexthop(struct rtnl_route *route, const struct nsc_prefix *gw, int ifindex,
		       unsigned weight, bool onlink)
{
	struct rtnl_nexthop *nh = rtnl_route_nh_alloc();

	if (!nh)
		return -ENOMEM;
	if (ifindex)
		rtnl_route_nh_set_ifindex(nh, ifindex);
	if (gw && gw->family) {
		struct nl_addr *a = to_nl(gw, gw->family == AF_INET6 ? 128 : 32);

		if (!a) {
			rtnl_route_nh_free(nh);
			return -ENOMEM;
		}
		rtnl_route_nh_set_gateway(nh, a);
		nl_addr_put(a);
	}
	if (weight > 1)
		rtnl_route_nh_set_weight(nh, (uint8_t)(weight - 1));  /* rtnh_hops */
	if (onlink)
		rtnl_route_nh_set_flags(nh, RTNH_F_ONLINK);
	rtnl_route_add_nexthop(route, nh);              /* the route owns it now */
	return 0;
}

/* set(route, p as an nl_addr of length len): 0, -ENOMEM or -EINVAL. */
static int set_addr(struct rtnl_route *route, int (*set)(struct rtnl_route *, struct nl_addr *),
		    const struct nsc_prefix *p, int len)
{
	struct nl_addr *a = to_nl(p, len);
	int ret;

	if (!a)
		return -ENOMEM;
	ret = set(route, a);
	nl_addr_put(a);
	return ret < 0 ? -EINVAL : 0;
}

static int add_nexthops(struct rtnl_route *route, const struct nsc_route_req *r,
			const int *nh_ifindex, int ifindex)
{
	if (!r->nnh) {
		if (r->gateway.family || ifindex || r->onlink)
			return add_nexthop(route, &r->gateway, ifindex, 1, r->onlink);
		return 0;
	}
	for (unsigned i = 0; i < r->nnh; i++)
		if (add_nexthop(route, &r->nh[i].gateway, nh_ifindex[i], r->nh[i].weight,
				r->nh[i].onlink) < 0)
			return -ENOMEM;
	return 0;
}

/* Build the libnl object for r (devices already resolved). */
static int build_route(const struct nsc_route_req *r, enum nsc_route_op op,
		       const int *nh_ifindex, int ifindex, struct rtnl_route **out)
{
	bool del = op == NSC_ROUTE_DEL;
	int type = r->type >= 0 ? r->type : del ? RTN_UNSPEC : RTN_UNICAST;
	struct rtnl_route *route = rtnl_route_alloc();
	int ret;

	if (!route)
		return -ENOMEM;
	rtnl_route_set_family(route, (uint8_t)r->family);
	if ((ret = set_addr(route, rtnl_route_set_dst, &r->dst, r->dst.len)) < 0 ||
	    (r->src.family &&
	     (ret = set_addr(route, rtnl_route_set_src, &r->src, r->src.len)) < 0) ||
	    (r->prefsrc.family &&
	     (ret = set_addr(route, rtnl_route_set_pref_src, &r->prefsrc,
			     r->family == AF_INET6 ? 128 : 32)) < 0))
		goto cleanup;
	rtnl_route_set_table(route, pick_table(r, type));
	rtnl_route_set_type(route, (uint8_t)type);
	rtnl_route_set_protocol(route, (uint8_t)(r->protocol >= 0 ? r->protocol :
					       del ? RTPROT_UNSPEC : RTPROT_BOOT));
	rtnl_route_set_scope(route, pick_scope(r, op, type));
	if (r->has_metric)
		rtnl_route_set_priority(route, r->metric);
	for (int i = 2; i <= NSC_RTAX_MAX; i++)
		if (r->metrics_mask & (1u << i))
			rtnl_route_set_metric(route, i, r->metrics[i]);
	if (r->metrics_lock)
		rtnl_route_set_metric(route, RTAX_LOCK, r->metrics_lock);
	if ((ret = add_nexthops(route, r, nh_ifindex, ifindex)) < 0)
		goto cleanup;
	*out = route;
	route = NULL;
cleanup:
	if (route)
		rtnl_route_put(route);
	return ret;
}

/* The request for route, from libnl, with its scope guess undone (see the top). */
static int build_msg(const struct nsc_route_req *r, enum nsc_route_op op,
		     struct rtnl_route *route, struct nl_msg **msg)
{
	struct rtmsg *rtm;
	int flags, ret;

	switch (op) {
	case NSC_ROUTE_ADD: flags = NLM_F_EXCL; break;
	case NSC_ROUTE_REPLACE: flags = NLM_F_REPLACE; break;
	case NSC_ROUTE_CHANGE: flags = NLM_F_REPLACE; break;
	case NSC_ROUTE_APPEND: flags = NLM_F_APPEND; break;
	default: flags = 0; break;
	}
	if (op == NSC_ROUTE_DEL)
		ret = rtnl_route_build_del_request(route, 0, msg);
	else
		ret = rtnl_route_build_add_request(route, flags, msg);
	if (ret < 0 || !*msg)
		return ret == -NLE_NOMEM ? -ENOMEM : -EINVAL;
	rtm = nlmsg_data(nlmsg_hdr(*msg));
	rtm->rtm_scope = pick_scope(r, op, rtm->rtm_type);
	if (op == NSC_ROUTE_CHANGE)     /* replace only what is there */
		nlmsg_hdr(*msg)->nlmsg_flags &= ~(uint16_t)NLM_F_CREATE;
	return 0;
}

int nsc_route_modify(struct nsc_ctx *ctx, const char *netns, enum nsc_route_op op,
		     const struct nsc_route_req *req, struct nsc_error *e)
{
	struct nsc_route_req r = *req;
	int nh_ifindex[NSC_ROUTE_MAX_NH] = { 0 }, ifindex = 0, ret;
	struct rtnl_route *route = NULL;
	struct nl_msg *msg = NULL;
	struct nsc_sock *s;
	char what[64];

	if ((ret = nsc_route_req_check(&r, e)) < 0)
		return nsc_err_prefix(e, "%s", op_name(op));
	nsc_route_addr_str(&r.dst, true, what, sizeof(what));
	if (r.dev && (ret = nsc_ifindex(ctx, netns, r.dev, &ifindex, e)) < 0)
		return nsc_err_prefix(e, "%s \"%s\"", op_name(op), what);
	for (unsigned i = 0; i < r.nnh; i++)
		if (r.nh[i].dev &&
		    (ret = nsc_ifindex(ctx, netns, r.nh[i].dev, &nh_ifindex[i], e)) < 0)
			return nsc_err_prefix(e, "%s \"%s\"", op_name(op), what);
	ret = build_route(&r, op, nh_ifindex, ifindex, &route);
	if (ret < 0)
		return nsc_err(e, ret, "%s \"%s\"", op_name(op), what);
	ret = build_msg(&r, op, route, &msg);
	rtnl_route_put(route);
	if (ret < 0)
		return nsc_err_text(e, -ret, "%s \"%s\": cannot build the request",
				    op_name(op), what);
	if ((ret = nsc_sock_get(ctx, netns, &s, e)) < 0) {
		nlmsg_free(msg);
		return ret;
	}
	if ((ret = nsc_talk_nlmsg(s, msg, e)) < 0)
		return nsc_err_prefix(e, "%s \"%s\"", op_name(op), what);
	return 0;
}
