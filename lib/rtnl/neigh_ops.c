// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Neighbours, the half that talks to the kernel: dumps, flush, get, and
 * add/del/replace built with libnl-route-3's object model and sent with
 * nsc_nl_talk() (the kernel's errno and extended ack reach the user).
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

static void put_dump_request(struct nlmsghdr *nlh, const struct nsc_neigh_filter *f)
{
	struct ndmsg *ndm;

	nlh->nlmsg_type = RTM_GETNEIGH;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	ndm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ndm));
	ndm->ndm_family = (uint8_t)f->family;
	/* the kernel lists proxy entries when asked with exactly this flag */
	if (f->proxy)
		ndm->ndm_flags = NTF_PROXY;
}

struct list_job {
	const struct nsc_neigh_filter *f;
	nsc_neigh_cb cb;
	void *arg;
	int stop;
};

static int list_cb(const struct nlmsghdr *nlh, void *data)
{
	struct list_job *j = data;
	struct nsc_neigh n;

	if (j->stop)
		return MNL_CB_OK;
	if (nsc_neigh_parse(nlh, &n) < 0 || !nsc_neigh_match(j->f, &n))
		return MNL_CB_OK;
	j->stop = j->cb(&n, j->arg);
	return MNL_CB_OK;
}

int nsc_neigh_list(struct nsc_ctx *ctx, const char *netns, const struct nsc_neigh_filter *f,
		   nsc_neigh_cb cb, void *arg, struct nsc_error *e)
{
	char buf[256];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct list_job j = { .f = f, .cb = cb, .arg = arg };
	struct nsc_sock *s;
	int ret;

	ret = nsc_sock_get(ctx, netns, &s, e);
	if (ret < 0)
		return ret;
	put_dump_request(nlh, f);
	ret = nsc_nl_talk(s, nlh, list_cb, &j, e);
	if (ret < 0)
		return nsc_err_prefix(e, "neigh show");
	return j.stop;
}

/* flush: collect (family, ifindex, dst, proxy) of each match, then delete */
struct victim {
	int family, ifindex;
	uint8_t flags;
	struct nsc_prefix dst;
};

struct flush_job {
	const struct nsc_neigh_filter *f;
	struct victim *v;
	size_t n, cap;
	bool nomem;
};

static int flush_cb(const struct nlmsghdr *nlh, void *data)
{
	struct flush_job *j = data;
	struct nsc_neigh n;

	if (nsc_neigh_parse(nlh, &n) < 0 || !nsc_neigh_match(j->f, &n) || !n.dst.family)
		return MNL_CB_OK;
	if (j->n == j->cap) {
		size_t cap = j->cap ? j->cap * 2 : 16;
		struct victim *v = realloc(j->v, cap * sizeof(*v));

		if (!v) {
			j->nomem = true;
			return MNL_CB_OK;
		}
		j->v = v;
		j->cap = cap;
	}
	j->v[j->n++] = (struct victim){ .family = n.family, .ifindex = n.ifindex,
					.flags = n.flags & NTF_PROXY, .dst = n.dst };
	return MNL_CB_OK;
}

static void put_del(struct nlmsghdr *nlh, const struct victim *v)
{
	struct ndmsg *ndm;

	nlh->nlmsg_type = RTM_DELNEIGH;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	ndm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ndm));
	ndm->ndm_family = (uint8_t)v->family;
	ndm->ndm_ifindex = v->ifindex;
	ndm->ndm_flags = v->flags;
	mnl_attr_put(nlh, NDA_DST, v->family == AF_INET6 ? 16 : 4, v->dst.addr);
}

int nsc_neigh_flush(struct nsc_ctx *ctx, const char *netns, const struct nsc_neigh_filter *f,
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
	put_dump_request(nlh, f);
	ret = nsc_nl_talk(s, nlh, flush_cb, &j, e);
	if (ret == 0 && j.nomem)
		ret = nsc_err(e, ENOMEM, "neigh flush");
	else if (ret < 0)
		nsc_err_prefix(e, "neigh flush");
	for (size_t i = 0; ret == 0 && i < j.n; i++) {
		char a[64];

		nlh = mnl_nlmsg_put_header(buf);
		put_del(nlh, &j.v[i]);
		ret = nsc_nl_talk(s, nlh, NULL, NULL, e);
		if (ret == -ENOENT) {           /* went away on its own meanwhile */
			ret = 0;
			continue;
		}
		if (ret < 0) {
			nsc_err_prefix(e, "neigh flush: delete \"%s\"",
				       nsc_route_addr_str(&j.v[i].dst, false, a, sizeof(a)));
			break;
		}
		done++;
	}
	free(j.v);
	if (count)
		*count = done;
	return ret;
}

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
	int ret;

	if (!n)
		return -ENOMEM;
	rtnl_neigh_set_ifindex(n, ifindex);
	a = nl_addr_build(r->dst.family, r->dst.addr, r->dst.family == AF_INET6 ? 16 : 4);
	if (!a)
		goto nomem;
	ret = rtnl_neigh_set_dst(n, a);
	nl_addr_put(a);
	if (ret < 0) {
		rtnl_neigh_put(n);
		return -EINVAL;
	}
	if (r->has_lladdr) {
		a = nl_addr_build(AF_LLC, r->lladdr, sizeof(r->lladdr));
		if (!a)
			goto nomem;
		rtnl_neigh_set_lladdr(n, a);
		nl_addr_put(a);
	}
	rtnl_neigh_set_state(n, r->has_state ? r->state : NUD_PERMANENT);
	if (r->router)
		rtnl_neigh_set_flags(n, NTF_ROUTER);
	if (r->proxy)
		rtnl_neigh_set_flags(n, NTF_PROXY);
	*out = n;
	return 0;
nomem:
	rtnl_neigh_put(n);
	return -ENOMEM;
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
	switch (op) {
	/* libnl 3.7 adds no NLM_F_CREATE of its own here (it does for routes) */
	case NSC_NEIGH_ADD:
		ret = rtnl_neigh_build_add_request(n, NLM_F_CREATE | NLM_F_EXCL, &msg);
		break;
	case NSC_NEIGH_REPLACE:
		ret = rtnl_neigh_build_add_request(n, NLM_F_CREATE | NLM_F_REPLACE, &msg);
		break;
	case NSC_NEIGH_CHANGE:
		ret = rtnl_neigh_build_add_request(n, NLM_F_REPLACE, &msg);
		break;
	case NSC_NEIGH_DEL:
		ret = rtnl_neigh_build_delete_request(n, 0, &msg);
		break;
	}
	rtnl_neigh_put(n);
	if (ret < 0 || !msg)
		return nsc_err_text(e, EINVAL, "%s \"%s\": cannot build the request",
				    op_name(op), what);
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
	char buf[256], what[64];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct get_job j = { .out = out };
	struct nsc_sock *s;
	struct ndmsg *ndm;
	int ifindex, ret;

	nsc_route_addr_str(dst, false, what, sizeof(what));
	if ((ret = nsc_ifindex(ctx, netns, dev, &ifindex, e)) < 0)
		return nsc_err_prefix(e, "neigh get \"%s\"", what);
	ret = nsc_sock_get(ctx, netns, &s, e);
	if (ret < 0)
		return ret;
	nlh->nlmsg_type = RTM_GETNEIGH;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	ndm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ndm));
	ndm->ndm_family = (uint8_t)dst->family;
	ndm->ndm_ifindex = ifindex;
	if (proxy)
		ndm->ndm_flags = NTF_PROXY;
	mnl_attr_put(nlh, NDA_DST, dst->family == AF_INET6 ? 16 : 4, dst->addr);
	ret = nsc_nl_talk(s, nlh, get_cb, &j, e);
	if (ret < 0)
		return nsc_err_prefix(e, "neigh get \"%s\"", what);
	if (!j.found)
		return nsc_err_text(e, ENOENT, "neigh get \"%s\": no such entry", what);
	return 0;
}
