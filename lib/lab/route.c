// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A lab's routes and neighbours, over the route and neighbour API: one dump
 * of each per namespace to compare with, and the requests that make the
 * node's routes (protocol boot, main table, as ip makes them) and permanent
 * neighbour entries.
 */
#include <errno.h>
#include <string.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>

#include <netnsctl/neigh.h>
#include <netnsctl/route.h>
#include "lab/engine.h"

static int route_cb(const struct nlmsghdr *nlh, void *data)
{
	struct lab_ns *ns = data;
	struct lab_route *v;
	struct nsc_route r;

	if (nlh->nlmsg_type != RTM_NEWROUTE || nsc_route_parse(nlh, &r) < 0)
		return MNL_CB_OK;
	/* the lab's routes are unicast, in main; IPv6's unreachable default is the kernel's */
	if (r.type != RTN_UNICAST || r.table != RT_TABLE_MAIN || (r.flags & RTM_F_CLONED))
		return MNL_CB_OK;
	v = realloc(ns->routes, (ns->n_routes + 1) * sizeof(*v));
	if (!v) {
		errno = ENOMEM;
		return MNL_CB_ERROR;
	}
	ns->routes = v;
	v = &ns->routes[ns->n_routes++];
	memset(v, 0, sizeof(*v));
	v->family = r.family;
	v->dst = r.dst;
	v->gw = r.gateway;
	v->oif = r.oif;
	v->metric = r.has_metric ? r.metric : 0;
	v->protocol = r.protocol;
	v->type = r.type;
	v->nnh = r.nnh;
	return MNL_CB_OK;
}

static int route_dump(struct nsc_sock *s, struct lab_ns *ns, int family, struct nsc_error *e)
{
	char buf[256];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct rtmsg *rtm;

	nlh->nlmsg_type = RTM_GETROUTE;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = (unsigned char)family;
	return nsc_nl_talk(s, nlh, route_cb, ns, e);
}

int lab_route_observe(struct nsc_sock *s, struct lab_ns *ns, unsigned what,
		      struct nsc_error *e)
{
	int ret = 0;

	/* one family when the node's routes are all of it: half the work */
	if ((what & (OBS_ROUTES4 | OBS_ROUTES6)) == OBS_ROUTES4)
		return route_dump(s, ns, AF_INET, e);
	if ((what & (OBS_ROUTES4 | OBS_ROUTES6)) == OBS_ROUTES6)
		return route_dump(s, ns, AF_INET6, e);
	if ((ret = route_dump(s, ns, AF_INET, e)) < 0)
		return ret;
	return route_dump(s, ns, AF_INET6, e);
}

static int neigh_cb(const struct nlmsghdr *nlh, void *data)
{
	struct lab_ns *ns = data;
	struct lab_neigh *v;
	struct nsc_neigh n;

	if (nlh->nlmsg_type != RTM_NEWNEIGH || nsc_neigh_parse(nlh, &n) < 0 ||
	    !(n.state & NUD_PERMANENT) || (n.flags & NTF_PROXY) ||
	    (n.family != AF_INET && n.family != AF_INET6) || !n.dst.family)
		return MNL_CB_OK;
	v = realloc(ns->neighs, (ns->n_neighs + 1) * sizeof(*v));
	if (!v) {
		errno = ENOMEM;
		return MNL_CB_ERROR;
	}
	ns->neighs = v;
	v = &ns->neighs[ns->n_neighs++];
	memset(v, 0, sizeof(*v));
	v->family = n.family;
	v->ifindex = n.ifindex;
	v->state = n.state;
	v->dst = n.dst;
	if (n.lladdr_len == 6) {
		memcpy(v->lladdr, n.lladdr, 6);
		v->has_lladdr = true;
	}
	return MNL_CB_OK;
}

/* The permanent entries: the only ones a lab makes. */
int lab_neigh_observe(struct nsc_sock *s, struct lab_ns *ns, struct nsc_error *e)
{
	char buf[256];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ndmsg *ndm;

	nlh->nlmsg_type = RTM_GETNEIGH;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	ndm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ndm));
	ndm->ndm_family = AF_UNSPEC;
	return nsc_nl_talk(s, nlh, neigh_cb, ns, e);
}

int lab_route_add(struct nsc_ctx *ctx, const char *netns, const struct nsc_lab_route *rt,
		  bool replace, struct nsc_error *e)
{
	struct nsc_route_req r;

	nsc_route_req_init(&r);
	r.family = rt->to.family;
	r.dst = rt->to;
	if (rt->has_via)
		r.gateway = rt->via;
	r.dev = rt->dev;
	if (rt->has_metric) {
		r.has_metric = true;
		r.metric = rt->metric;
	}
	return nsc_route_modify(ctx, netns, replace ? NSC_ROUTE_REPLACE : NSC_ROUTE_ADD, &r, e);
}

int lab_route_del(struct nsc_ctx *ctx, const char *netns, const struct lab_route *rt,
		  struct nsc_error *e)
{
	struct nsc_route_req r;

	nsc_route_req_init(&r);
	r.family = rt->family;
	r.dst = rt->dst;
	r.has_metric = true;
	r.metric = rt->metric;
	return nsc_route_modify(ctx, netns, NSC_ROUTE_DEL, &r, e);
}

int lab_neigh_set(struct nsc_ctx *ctx, const char *netns, const struct nsc_lab_neigh *nb,
		  struct nsc_error *e)
{
	struct nsc_neigh_req r = { 0 };

	r.dst = nb->address;
	r.dev = nb->dev;
	r.has_lladdr = true;
	memcpy(r.lladdr, nb->lladdr, 6);
	r.has_state = true;
	r.state = NUD_PERMANENT;
	return nsc_neigh_modify(ctx, netns, NSC_NEIGH_REPLACE, &r, e);
}

int lab_neigh_del(struct nsc_ctx *ctx, const char *netns, const char *dev,
		  const struct nsc_prefix *dst, struct nsc_error *e)
{
	struct nsc_neigh_req r = { 0 };

	r.dst = *dst;
	r.dev = dev;
	return nsc_neigh_modify(ctx, netns, NSC_NEIGH_DEL, &r, e);
}
