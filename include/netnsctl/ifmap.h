/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NETNSCTL_IFMAP_H
#define NETNSCTL_IFMAP_H

#include <netnsctl/ctx.h>

/*
 * Every interface index -> name of one namespace, from one link dump over
 * that namespace's own socket: what a printer of routes or neighbours needs
 * to name devices as they are named in the namespace the objects live in.
 */
struct nsc_ifmap;

int nsc_ifmap_load(struct nsc_ctx *ctx, const char *netns, struct nsc_ifmap **out,
		   struct nsc_error *e);
void nsc_ifmap_free(struct nsc_ifmap *map);

/* The name of index, or NULL when the dump had no such link. */
const char *nsc_ifmap_name(const struct nsc_ifmap *map, int index);

#endif
