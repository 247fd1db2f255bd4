/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * change.c: the changes apply makes to links, routes and neighbours, in the
 * words of the lab's model and of what was observed, over the rtnl layer's
 * requests; and the one link change it has no call for (a lab's links carry
 * its marker as ifalias).
 */
#ifndef NETNSCTL_LAB_CHANGE_H
#define NETNSCTL_LAB_CHANGE_H

#include <stdbool.h>
#include <stdint.h>

#include "lab/observe.h"
#include "rtnl/rtnl.h"

/* Add (replace: or replace) a route of the file, delete one seen. */
int lab_route_add(struct nsc_ctx *ctx, const char *netns, const struct nsc_lab_route *rt,
		  bool replace, struct nsc_error *e);
int lab_route_del(struct nsc_ctx *ctx, const char *netns, const struct lab_route *rt,
		  struct nsc_error *e);
/* A permanent neighbour entry of the file, made or replaced; one deleted. */
int lab_neigh_set(struct nsc_ctx *ctx, const char *netns, const struct nsc_lab_neigh *nb,
		  struct nsc_error *e);
int lab_neigh_del(struct nsc_ctx *ctx, const char *netns, const char *dev,
		  const struct nsc_prefix *dst, struct nsc_error *e);

/* What a link end sends, as the file wants it: set in place, or (im->set 0) cleared. */
int lab_impair_apply(struct nsc_ctx *ctx, const char *netns, const char *ifname,
		     const struct nsc_impair *im, struct nsc_error *e);

#endif
