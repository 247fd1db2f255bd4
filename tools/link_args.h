/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the link commands share with addr and veth: the selectors of show,
 * the arguments of link add after "type KIND", the add request itself.
 * Each returns EXIT_OK, or an exit code after printing why.
 */
#ifndef NETNSCTL_LINK_ARGS_H
#define NETNSCTL_LINK_ARGS_H

#include "kwargs.h"

/* link show and addr show: which links */
struct link_sel {
	const char *dev, *master, *kind;
	bool up;
};
/* [[dev] DEV] [up], with LINK also [master DEV] [type KIND] */
int link_selectors(struct kargs *k, bool link, struct link_sel *s);
bool link_selected(const struct link_sel *s, const struct nsc_link *l);

/* Check a (the batch pre-pass stops there), then make the link: link add, veth add. */
int link_add_run(struct kargs *k, const struct nsc_link_add *a);

/* link del, veth del: "[dev] NAME" (MISSING names it), then DEL it. */
int link_del_run(struct kargs *k, const char *missing,
		 int (*del)(struct nsc_ctx *ctx, const char *netns, const char *name,
			    struct nsc_error *e));

/* After "type KIND" (k is just after KIND), into a: */
/* [peer [name] PEER [netns NS] [address MAC]] */
int link_veth_args(struct kargs *k, struct nsc_link_add *a);
/* id VNI [local A] [remote A | group G] [dstport P] [dev DEV] [ttl N|auto] */
int link_vxlan_args(struct kargs *k, struct nsc_link_add *a);
/* link DEV [mode M]; a->kind says macvlan or macvtap */
int link_macvlan_args(struct kargs *k, struct nsc_link_add *a);

#endif
