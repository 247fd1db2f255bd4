// SPDX-License-Identifier: GPL-2.0-or-later
/* Interface names resolved inside a namespace, over its own socket. */
#include <errno.h>
#include <string.h>
#include <net/if.h>

#include <netnsctl/ifindex.h>
#include "core/core.h"
#include "rtnl/rtnl.h"

struct getlink {
	int index;
	char name[IFNAMSIZ];
};

static int getlink_cb(const struct nlmsghdr *nlh, void *data)
{
	struct getlink *g = data;

	nsc_link_brief(nlh, &g->index, g->name);
	return MNL_CB_OK;
}

static int getlink(struct nsc_ctx *ctx, const char *netns, const char *ifname, int index,
		   struct getlink *g, struct nsc_error *e)
{
	struct nsc_getlink q = { .ifname = ifname, .ifindex = index };
	struct nsc_sock *s;
	int ret;

	ret = nsc_sock_get(ctx, netns, &s, e);
	if (ret < 0)
		return ret;
	memset(g, 0, sizeof(*g));
	ret = nsc_getlink(s, &q, getlink_cb, g, e);
	/* what a later nsc_ifindex_cached() may answer without asking */
	if (ret == 0 && g->index > 0 && g->name[0])
		nsc_sock_if_put(s, g->name, g->index);
	return ret;
}

int nsc_link_not_found(struct nsc_error *e, const char *netns, const char *ifname)
{
	if (netns)
		return nsc_err_text(e, ENODEV, "device \"%s\" not found in netns \"%s\"",
				    ifname, netns);
	return nsc_err_text(e, ENODEV, "device \"%s\" not found", ifname);
}

int nsc_ifindex(struct nsc_ctx *ctx, const char *netns, const char *ifname,
		int *index, struct nsc_error *e)
{
	struct getlink g;
	int ret;

	if ((ret = nsc_ifname_check(ifname, e)) < 0)
		return ret;
	ret = getlink(ctx, netns, ifname, 0, &g, e);
	if (ret == -ENODEV || (ret == 0 && g.index <= 0))
		return nsc_link_not_found(e, netns, ifname);
	if (ret < 0)
		return ret;
	*index = g.index;
	return 0;
}

int nsc_ifname(struct nsc_ctx *ctx, const char *netns, int index,
	       char name[16], struct nsc_error *e)
{
	struct getlink g;
	int ret;

	ret = getlink(ctx, netns, NULL, index, &g, e);
	if (ret == -ENODEV || (ret == 0 && !g.name[0])) {
		if (netns)
			return nsc_err_text(e, ENODEV, "device index %d not found in netns \"%s\"",
					    index, netns);
		return nsc_err_text(e, ENODEV, "device index %d not found", index);
	}
	if (ret < 0)
		return ret;
	memcpy(name, g.name, IFNAMSIZ);
	return 0;
}

int nsc_ifindex_cached(struct nsc_ctx *ctx, const char *netns, const char *ifname,
		       int *index, bool *cached, struct nsc_error *e)
{
	struct nsc_sock *s;
	int ret;

	*cached = false;
	if ((ret = nsc_ifname_check(ifname, e)) < 0)
		return ret;
	if ((ret = nsc_sock_get(ctx, netns, &s, e)) < 0)
		return ret;
	if ((*index = nsc_sock_if_get(s, ifname)) > 0) {
		*cached = true;
		return 0;
	}
	return nsc_ifindex(ctx, netns, ifname, index, e);
}

int nsc_ifindex_recheck(struct nsc_ctx *ctx, const char *netns, const char *ifname,
			int *index, struct nsc_error *e)
{
	struct nsc_error e2 = { 0 };
	struct nsc_sock *s;
	int old = *index, ret;

	if (nsc_sock_get(ctx, netns, &s, &e2) == 0)
		nsc_sock_if_forget(s);
	ret = nsc_ifindex(ctx, netns, ifname, index, &e2);
	if (ret < 0) {
		*e = e2;
		return ret;
	}
	return *index != old;
}
