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
#include "lab_run.h"

static int route_cb(const struct nsc_route *r, void *arg)
{
	struct lab_ns *ns = arg;
	struct lab_route *v;

	/* the lab's routes are unicast; IPv6's unreachable default is the kernel's */
	if (r->type != RTN_UNICAST)
		return 0;
	v = realloc(ns->routes, (ns->n_routes + 1) * sizeof(*v));
	if (!v)
		return ENOMEM;  /* positive: stops the list, returned as is */
	ns->routes = v;
	v = &ns->routes[ns->n_routes++];
	memset(v, 0, sizeof(*v));
	v->family = r->family;
	v->dst = r->dst;
	v->gw = r->gateway;
	v->oif = r->oif;
	v->metric = r->has_metric ? r->metric : 0;
	v->protocol = r->protocol;
	v->type = r->type;
	v->nnh = r->nnh;
	return 0;
}

int lab_route_observe(struct nsc_ctx *ctx, struct lab_ns *ns, struct nsc_error *e)
{
	struct nsc_route_filter f;
	int ret;

	nsc_route_filter_init(&f);      /* both families, main table */
	ret = nsc_route_list(ctx, ns->name, &f, route_cb, ns, e);
	if (ret > 0)
		ret = nsc_err(e, ret, "routes");
	return ret < 0 ? ret : 0;
}

static int neigh_cb(const struct nsc_neigh *n, void *arg)
{
	struct lab_ns *ns = arg;
	struct lab_neigh *v;

	if (!n->dst.family)
		return 0;
	v = realloc(ns->neighs, (ns->n_neighs + 1) * sizeof(*v));
	if (!v)
		return ENOMEM;
	ns->neighs = v;
	v = &ns->neighs[ns->n_neighs++];
	memset(v, 0, sizeof(*v));
	v->family = n->family;
	v->ifindex = n->ifindex;
	v->state = n->state;
	v->dst = n->dst;
	if (n->lladdr_len == 6) {
		memcpy(v->lladdr, n->lladdr, 6);
		v->has_lladdr = true;
	}
	return 0;
}

int lab_neigh_observe(struct nsc_ctx *ctx, struct lab_ns *ns, struct nsc_error *e)
{
	struct nsc_neigh_filter f;
	int ret;

	nsc_neigh_filter_init(&f, false);
	f.states = NUD_PERMANENT;       /* the only entries a lab makes */
	ret = nsc_neigh_list(ctx, ns->name, &f, neigh_cb, ns, e);
	if (ret > 0)
		ret = nsc_err(e, ret, "neighbours");
	return ret < 0 ? ret : 0;
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
