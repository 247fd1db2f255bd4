// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Routes, the half that talks to the kernel: dumps, flush, route get, and
 * add/del/replace built with libnl-route-3's object model and sent with
 * nsc_nl_talk() (so refusals keep the kernel's errno and extended ack).
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

/* ---- dumps ---- */

static void put_dump_request(struct nlmsghdr *nlh, int family)
{
	struct rtmsg *rtm;

	nlh->nlmsg_type = RTM_GETROUTE;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = (unsigned char)family;
}

struct list_job {
	const struct nsc_route_filter *f;
	nsc_route_cb cb;
	void *arg;
	int stop;                       /* what cb returned to stop */
};

static int list_cb(const struct nlmsghdr *nlh, void *data)
{
	struct list_job *j = data;
	struct nsc_route r;

	if (j->stop)
		return MNL_CB_OK;       /* drain the rest of the dump */
	if (nsc_route_parse(nlh, &r) < 0 || !nsc_route_match(j->f, &r))
		return MNL_CB_OK;
	j->stop = j->cb(&r, j->arg);
	return MNL_CB_OK;
}

int nsc_route_list(struct nsc_ctx *ctx, const char *netns, const struct nsc_route_filter *f,
		   nsc_route_cb cb, void *arg, struct nsc_error *e)
{
	char buf[256];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct list_job j = { .f = f, .cb = cb, .arg = arg };
	struct nsc_sock *s;
	int ret;

	ret = nsc_sock_get(ctx, netns, &s, e);
	if (ret < 0)
		return ret;
	put_dump_request(nlh, f->family);
	ret = nsc_nl_talk(s, nlh, list_cb, &j, e);
	if (ret < 0)
		return nsc_err_prefix(e, "route show");
	return j.stop;
}

/* flush: collect the matching entries, then delete each as the kernel
 * reported it (its own message, turned into RTM_DELROUTE, as ip does) */
struct flush_job {
	const struct nsc_route_filter *f;
	struct nlmsghdr **v;
	size_t n, cap;
	bool nomem;
};

static int flush_cb(const struct nlmsghdr *nlh, void *data)
{
	struct flush_job *j = data;
	struct nsc_route r;
	struct nlmsghdr *copy;

	if (nsc_route_parse(nlh, &r) < 0 || !nsc_route_match(j->f, &r))
		return MNL_CB_OK;
	/* the kernel's own IPv6 "unreachable" placeholder is not a route */
	if (r.family == AF_INET6 && r.dst.len == 0 && r.type == RTN_UNREACHABLE &&
	    r.has_metric && r.metric == UINT32_MAX)
		return MNL_CB_OK;
	if (j->n == j->cap) {
		size_t cap = j->cap ? j->cap * 2 : 16;
		struct nlmsghdr **v = realloc(j->v, cap * sizeof(*v));

		if (!v) {
			j->nomem = true;
			return MNL_CB_OK;
		}
		j->v = v;
		j->cap = cap;
	}
	copy = malloc(nlh->nlmsg_len);
	if (!copy) {
		j->nomem = true;
		return MNL_CB_OK;
	}
	memcpy(copy, nlh, nlh->nlmsg_len);
	j->v[j->n++] = copy;
	return MNL_CB_OK;
}

int nsc_route_flush(struct nsc_ctx *ctx, const char *netns, const struct nsc_route_filter *f,
		    unsigned *count, struct nsc_error *e)
{
	char buf[256];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct flush_job j = { .f = f };
	struct nsc_sock *s;
	unsigned done = 0;
	int ret;

	if (count)
		*count = 0;
	ret = nsc_sock_get(ctx, netns, &s, e);
	if (ret < 0)
		return ret;
	put_dump_request(nlh, f->family);
	ret = nsc_nl_talk(s, nlh, flush_cb, &j, e);
	if (ret == 0 && j.nomem)
		ret = nsc_err(e, ENOMEM, "route flush");
	else if (ret < 0)
		nsc_err_prefix(e, "route flush");
	for (size_t i = 0; ret == 0 && i < j.n; i++) {
		struct nlmsghdr *d = j.v[i];

		d->nlmsg_type = RTM_DELROUTE;
		d->nlmsg_flags = NLM_F_REQUEST;
		ret = nsc_nl_talk(s, d, NULL, NULL, e);
		/* gone already: deleting one IPv6 route can take others with it */
		if (ret == -ESRCH || ret == -ENOENT) {
			ret = 0;
			continue;
		}
		if (ret < 0) {
			struct nsc_route r;
			char a[64];

			d->nlmsg_type = RTM_NEWROUTE;
			nsc_route_parse(d, &r);
			nsc_err_prefix(e, "route flush: delete \"%s\"",
				       nsc_route_addr_str(&r.dst, true, a, sizeof(a)));
			break;
		}
		done++;
	}
	for (size_t i = 0; i < j.n; i++)
		free(j.v[i]);
	free(j.v);
	if (count)
		*count = done;
	return ret;
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
	char buf[512], what[64];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct get_job j = { .out = out };
	int family = q->dst.family, bits = family == AF_INET6 ? 128 : 32;
	int iif = 0, oif = 0, ret;
	struct nsc_sock *s;
	struct rtmsg *rtm;

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

	nlh->nlmsg_type = RTM_GETROUTE;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = (unsigned char)family;
	rtm->rtm_dst_len = (unsigned char)bits;
	if (q->fibmatch)
		rtm->rtm_flags |= RTM_F_FIB_MATCH;
	mnl_attr_put(nlh, RTA_DST, family == AF_INET6 ? 16 : 4, q->dst.addr);
	if (q->from.family) {
		rtm->rtm_src_len = (unsigned char)bits;
		mnl_attr_put(nlh, RTA_SRC, family == AF_INET6 ? 16 : 4, q->from.addr);
	}
	if (iif)
		mnl_attr_put_u32(nlh, RTA_IIF, (uint32_t)iif);
	if (oif)
		mnl_attr_put_u32(nlh, RTA_OIF, (uint32_t)oif);
	if (q->has_mark)
		mnl_attr_put_u32(nlh, RTA_MARK, q->mark);
	ret = nsc_nl_talk(s, nlh, get_cb, &j, e);
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

/* Build the libnl object for r (devices already resolved). */
static int build_route(const struct nsc_route_req *r, enum nsc_route_op op,
		       const int *nh_ifindex, int ifindex, struct rtnl_route **out)
{
	bool del = op == NSC_ROUTE_DEL;
	int type = r->type >= 0 ? r->type : del ? RTN_UNSPEC : RTN_UNICAST;
	struct rtnl_route *route = rtnl_route_alloc();
	struct nl_addr *a;
	int ret = -ENOMEM;

	if (!route)
		return -ENOMEM;
	rtnl_route_set_family(route, (uint8_t)r->family);
	if (!(a = to_nl(&r->dst, r->dst.len)))
		goto fail;
	ret = rtnl_route_set_dst(route, a);
	nl_addr_put(a);
	if (ret < 0)
		goto inval;
	if (r->src.family) {
		if (!(a = to_nl(&r->src, r->src.len)))
			goto nomem;
		ret = rtnl_route_set_src(route, a);
		nl_addr_put(a);
		if (ret < 0)
			goto inval;
	}
	if (r->prefsrc.family) {
		if (!(a = to_nl(&r->prefsrc, r->family == AF_INET6 ? 128 : 32)))
			goto nomem;
		ret = rtnl_route_set_pref_src(route, a);
		nl_addr_put(a);
		if (ret < 0)
			goto inval;
	}
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
	if (r->nnh) {
		for (unsigned i = 0; i < r->nnh; i++)
			if (add_nexthop(route, &r->nh[i].gateway, nh_ifindex[i], r->nh[i].weight,
					r->nh[i].onlink) < 0)
				goto nomem;
	} else if (r->gateway.family || ifindex || r->onlink) {
		if (add_nexthop(route, &r->gateway, ifindex, 1, r->onlink) < 0)
			goto nomem;
	}
	*out = route;
	return 0;
nomem:
	ret = -ENOMEM;
	goto fail;
inval:
	ret = -EINVAL;
fail:
	rtnl_route_put(route);
	return ret;
}

int nsc_route_modify(struct nsc_ctx *ctx, const char *netns, enum nsc_route_op op,
		     const struct nsc_route_req *req, struct nsc_error *e)
{
	struct nsc_route_req r = *req;
	int nh_ifindex[NSC_ROUTE_MAX_NH] = { 0 }, ifindex = 0, ret;
	struct rtnl_route *route = NULL;
	struct nl_msg *msg = NULL;
	struct nsc_sock *s;
	struct rtmsg *rtm;
	char what[64];
	int flags;

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

	switch (op) {
	case NSC_ROUTE_ADD: flags = NLM_F_EXCL; break;
	case NSC_ROUTE_REPLACE: flags = NLM_F_REPLACE; break;
	case NSC_ROUTE_CHANGE: flags = NLM_F_REPLACE; break;
	case NSC_ROUTE_APPEND: flags = NLM_F_APPEND; break;
	default: flags = 0; break;
	}
	if (op == NSC_ROUTE_DEL)
		ret = rtnl_route_build_del_request(route, 0, &msg);
	else
		ret = rtnl_route_build_add_request(route, flags, &msg);
	rtnl_route_put(route);
	if (ret < 0 || !msg)
		return nsc_err_text(e, ret == -NLE_NOMEM ? ENOMEM : EINVAL,
				    "%s \"%s\": cannot build the request", op_name(op), what);
	/* undo libnl's scope guess (see the top of this file) */
	rtm = nlmsg_data(nlmsg_hdr(msg));
	rtm->rtm_scope = pick_scope(&r, op, rtm->rtm_type);
	if (op == NSC_ROUTE_CHANGE)     /* replace only what is there */
		nlmsg_hdr(msg)->nlmsg_flags &= ~(uint16_t)NLM_F_CREATE;

	ret = nsc_sock_get(ctx, netns, &s, e);
	if (ret == 0) {
		/* libnl leaves NLM_F_REQUEST to its own sender; and ask for
		 * the ack here: nsc_nl_talk() takes NLM_F_EXCL|NLM_F_REPLACE
		 * (the bits of NLM_F_DUMP) for a dump and would not */
		nlmsg_hdr(msg)->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
		ret = nsc_nl_talk(s, nlmsg_hdr(msg), NULL, NULL, e);
		if (ret < 0)
			nsc_err_prefix(e, "%s \"%s\"", op_name(op), what);
	}
	nlmsg_free(msg);
	return ret;
}
