// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The changes apply makes to links, routes and neighbours. Routes are made
 * as ip makes them (protocol boot, main table), neighbours as permanent
 * entries, both through the rtnl layer (a link change is rtnl's
 * nsc_link_change_index()).
 */
#include <errno.h>
#include <string.h>
#include <linux/if.h>
#include <linux/if_link.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>

#include <netnsctl/neigh.h>
#include <netnsctl/qdisc.h>
#include <netnsctl/route.h>

#include "lab/change.h"

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

int lab_impair_apply(struct nsc_ctx *ctx, const char *netns, const char *ifname,
		     const struct nsc_impair *im, struct nsc_error *e)
{
	if (!im->set)
		return nsc_impair_clear(ctx, netns, ifname, e);
	return nsc_impair_set(ctx, netns, ifname, im, e);
}

int lab_neigh_del(struct nsc_ctx *ctx, const char *netns, const char *dev,
		  const struct nsc_prefix *dst, struct nsc_error *e)
{
	struct nsc_neigh_req r = { 0 };

	r.dst = *dst;
	r.dev = dev;
	return nsc_neigh_modify(ctx, netns, NSC_NEIGH_DEL, &r, e);
}
