// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Neighbours, the half that talks to the kernel: dumps, flush, get, and
 * add/del/replace built with libnl-route-3's object model and sent with
 * nsc_talk_nlmsg() (the kernel's errno and extended ack reach the user).
 */
#include <errno.h>
#include <string.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <netlink/msg.h>
#include <netlink/route/neighbour.h>

#include <netnsctl/neigh.h>
#include <netnsctl/route.h>
#include <netnsctl/ifindex.h>
#include "core/core.h"
#include "rtnl/dumpflush.h"
#include "rtnl/rtnl.h"

/* ---- list and flush (dumpflush.c) ---- */

static void dump(struct nsc_req *r, const void *filter)
{
	const struct nsc_neigh_filter *f = filter;
	struct ndmsg *ndm;

	ndm = nsc_req_init(r, RTM_GETNEIGH, NLM_F_DUMP, (uint8_t)f->family, sizeof(*ndm));
	/* the kernel lists proxy entries when asked with exactly this flag */
	if (f->proxy)
		ndm->ndm_flags = NTF_PROXY;
}

static int parse(const struct nlmsghdr *nlh, union nsc_dumpobj *obj)
{
	return nsc_neigh_parse(nlh, &obj->neigh);
}

/* a flush takes only entries with an address: what names them to the kernel */
static bool pick(const union nsc_dumpobj *obj, const void *filter, bool flush)
{
	return nsc_neigh_match(filter, &obj->neigh) && (!flush || obj->neigh.dst.family);
}

static int show(const union nsc_dumpobj *obj, nsc_dump_fn fn, void *arg)
{
	return ((nsc_neigh_cb)fn)(&obj->neigh, arg);
}

/* an entry is deleted by family, device, address, and proxy or not */
static struct nlmsghdr *del(struct nlmsghdr *entry, struct nsc_req *r)
{
	struct nsc_neigh n;
	struct ndmsg *ndm;

	nsc_neigh_parse(entry, &n);
	ndm = nsc_req_init(r, RTM_DELNEIGH, 0, (uint8_t)n.family, sizeof(*ndm));
	ndm->ndm_ifindex = n.ifindex;
	ndm->ndm_flags = n.flags & NTF_PROXY;
	mnl_attr_put(r->nlh, NDA_DST, n.family == AF_INET6 ? 16 : 4, n.dst.addr);
	return r->nlh;
}

static const char *name(const union nsc_dumpobj *obj, char *buf, size_t size)
{
	return nsc_route_addr_str(&obj->neigh.dst, false, buf, size);
}

/* went away on its own meanwhile */
static const int gone[] = { ENOENT, 0 };

static const struct nsc_dumpkind kind = {
	.what = "neigh", .dump = dump, .parse = parse, .pick = pick, .show = show,
	.del = del, .name = name, .gone = gone,
};

int nsc_neigh_list(struct nsc_ctx *ctx, const char *netns, const struct nsc_neigh_filter *f,
		   nsc_neigh_cb cb, void *arg, struct nsc_error *e)
{
	return nsc_dumpflush_list(ctx, netns, &kind, f, (nsc_dump_fn)cb, arg, e);
}

int nsc_neigh_flush(struct nsc_ctx *ctx, const char *netns, const struct nsc_neigh_filter *f,
		    unsigned *count, struct nsc_error *e)
{
	return nsc_dumpflush_flush(ctx, netns, &kind, f, count, e);
}

/* ---- add, del, replace, change ---- */

static const char *op_name(enum nsc_neigh_op op)
{
	switch (op) {
	case NSC_NEIGH_ADD: return "neigh add";
	case NSC_NEIGH_DEL: return "neigh del";
	case NSC_NEIGH_REPLACE: return "neigh replace";
	case NSC_NEIGH_CHANGE: return "neigh change";
	}
	return "neigh";
}

static int build_neigh(const struct nsc_neigh_req *r, int ifindex, struct rtnl_neigh **out)
{
	struct rtnl_neigh *n = rtnl_neigh_alloc();
	struct nl_addr *a;
	int ret = -ENOMEM;

	if (!n)
		return -ENOMEM;
	rtnl_neigh_set_ifindex(n, ifindex);
	a = nl_addr_build(r->dst.family, r->dst.addr, r->dst.family == AF_INET6 ? 16 : 4);
	if (!a)
		goto cleanup;
	ret = rtnl_neigh_set_dst(n, a);
	nl_addr_put(a);
	if (ret < 0) {
		ret = -EINVAL;
		goto cleanup;
	}
	ret = -ENOMEM;
	if (r->has_lladdr) {
		a = nl_addr_build(AF_LLC, r->lladdr, sizeof(r->lladdr));
		if (!a)
			goto cleanup;
		rtnl_neigh_set_lladdr(n, a);
		nl_addr_put(a);
	}
	rtnl_neigh_set_state(n, r->has_state ? r->state : NUD_PERMANENT);
	if (r->router)
		rtnl_neigh_set_flags(n, NTF_ROUTER);
	if (r->proxy)
		rtnl_neigh_set_flags(n, NTF_PROXY);
	*out = n;
	n = NULL;
	ret = 0;
cleanup:
	if (n)
		rtnl_neigh_put(n);
	return ret;
}

static int build_msg(enum nsc_neigh_op op, struct rtnl_neigh *n, struct nl_msg **msg)
{
	switch (op) {
	/* libnl 3.7 adds no NLM_F_CREATE of its own here (it does for routes) */
	case NSC_NEIGH_ADD:
		return rtnl_neigh_build_add_request(n, NLM_F_CREATE | NLM_F_EXCL, msg);
	case NSC_NEIGH_REPLACE:
		return rtnl_neigh_build_add_request(n, NLM_F_CREATE | NLM_F_REPLACE, msg);
	case NSC_NEIGH_CHANGE:
		return rtnl_neigh_build_add_request(n, NLM_F_REPLACE, msg);
	case NSC_NEIGH_DEL:
		return rtnl_neigh_build_delete_request(n, 0, msg);
	}
	return -EINVAL;
}

int nsc_neigh_modify(struct nsc_ctx *ctx, const char *netns, enum nsc_neigh_op op,
		     const struct nsc_neigh_req *r, struct nsc_error *e)
{
	struct rtnl_neigh *n = NULL;
	struct nl_msg *msg = NULL;
	struct nsc_sock *s;
	int ifindex, ret;
	char what[64];

	if (r->dst.family != AF_INET && r->dst.family != AF_INET6)
		return nsc_usage(e, "%s: missing neighbour address", op_name(op));
	if (!r->dev)
		return nsc_usage(e, "%s: missing dev", op_name(op));
	nsc_route_addr_str(&r->dst, false, what, sizeof(what));
	if ((ret = nsc_ifindex(ctx, netns, r->dev, &ifindex, e)) < 0)
		return nsc_err_prefix(e, "%s \"%s\"", op_name(op), what);
	ret = build_neigh(r, ifindex, &n);
	if (ret < 0)
		return nsc_err(e, ret, "%s \"%s\"", op_name(op), what);
	ret = build_msg(op, n, &msg);
	rtnl_neigh_put(n);
	if (ret < 0 || !msg)
		return nsc_err_text(e, EINVAL, "%s \"%s\": cannot build the request",
				    op_name(op), what);
	if ((ret = nsc_sock_get(ctx, netns, &s, e)) < 0) {
		nlmsg_free(msg);
		return ret;
	}
	if ((ret = nsc_talk_nlmsg(s, msg, e)) < 0)
		return nsc_err_prefix(e, "%s \"%s\"", op_name(op), what);
	return 0;
}

struct get_job {
	struct nsc_neigh *out;
	bool found;
};

static int get_cb(const struct nlmsghdr *nlh, void *data)
{
	struct get_job *j = data;

	if (!j->found && nsc_neigh_parse(nlh, j->out) == 0)
		j->found = true;
	return MNL_CB_OK;
}

int nsc_neigh_get(struct nsc_ctx *ctx, const char *netns, const struct nsc_prefix *dst,
		  const char *dev, bool proxy, struct nsc_neigh *out, struct nsc_error *e)
{
	struct get_job j = { .out = out };
	struct nsc_sock *s;
	struct ndmsg *ndm;
	struct nsc_req r;
	int ifindex, ret;
	char what[64];

	nsc_route_addr_str(dst, false, what, sizeof(what));
	if ((ret = nsc_ifindex(ctx, netns, dev, &ifindex, e)) < 0)
		return nsc_err_prefix(e, "neigh get \"%s\"", what);
	ret = nsc_sock_get(ctx, netns, &s, e);
	if (ret < 0)
		return ret;
	ndm = nsc_req_init(&r, RTM_GETNEIGH, 0, (uint8_t)dst->family, sizeof(*ndm));
	ndm->ndm_ifindex = ifindex;
	if (proxy)
		ndm->ndm_flags = NTF_PROXY;
	mnl_attr_put(r.nlh, NDA_DST, dst->family == AF_INET6 ? 16 : 4, dst->addr);
	ret = nsc_req_talk(s, &r, get_cb, &j, e);
	if (ret < 0)
		return nsc_err_prefix(e, "neigh get \"%s\"", what);
	if (!j.found)
		return nsc_err_text(e, ENOENT, "neigh get \"%s\": no such entry", what);
	return 0;
}
