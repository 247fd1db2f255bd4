/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NETNSCTL_IFINDEX_H
#define NETNSCTL_IFINDEX_H

#include <netnsctl/ctx.h>

/*
 * Interface name <-> index inside namespace NETNS (NULL: the caller's), over
 * that namespace's own netlink socket (never if_nametoindex(), which asks the
 * caller's namespace). A missing device is ENODEV with a message that names
 * the device and the namespace: `device "eth9" not found in netns "ns1"`.
 */
int nsc_ifindex(struct nsc_ctx *ctx, const char *netns, const char *ifname,
		int *index, struct nsc_error *e);
int nsc_ifname(struct nsc_ctx *ctx, const char *netns, int index,
	       char name[16], struct nsc_error *e);

#endif
