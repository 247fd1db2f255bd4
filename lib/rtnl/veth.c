// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * veth ends and their peers. A veth's IFLA_LINK is its peer's ifindex, and
 * IFLA_LINK_NETNSID the id (in this namespace) of the peer's namespace when it
 * is another one. The peer's name is read with one RTM_GETLINK carrying
 * IFLA_TARGET_NETNSID, over this namespace's socket: that works for a peer
 * namespace without a name too. The namespace's name comes from the nsid map
 * (link_nsid.c).
 */
#include <errno.h>
#include <string.h>

#include <netnsctl/link.h>
#include "core/core.h"
#include "rtnl/rtnl.h"

static int name_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nsc_link l;

	if (nsc_link_parse(nlh, &l) == 0)
		memcpy(data, l.ifname, sizeof(l.ifname));
	return MNL_CB_OK;
}

static int peer_name(struct nsc_ctx *ctx, const char *netns, int nsid, int ifindex,
		     char name[16])
{
	struct nsc_getlink q = { .ifindex = ifindex, .in_nsid = true, .nsid = nsid };
	struct nsc_error ignore = { 0 };
	struct nsc_sock *s;

	name[0] = '\0';
	if (nsc_sock_get(ctx, netns, &s, &ignore) < 0)
		return -1;
	return nsc_getlink(s, &q, name_cb, name, &ignore);
}

void nsc_veth_list_free(struct nsc_veth *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		free(v[i].peer_netns);
	free(v);
}

int nsc_veth_list(struct nsc_ctx *ctx, const char *netns, const char *ifname,
		  struct nsc_veth **out, size_t *n, struct nsc_error *e)
{
	struct nsc_link *links = NULL;
	struct nsc_veth *v = NULL;
	size_t nl, k = 0;
	int ret;

	*out = NULL;
	*n = 0;
	if ((ret = nsc_link_list(ctx, netns, ifname, 0, &links, &nl, e)) < 0)
		return ret;
	if (ifname && strcmp(links[0].kind, "veth")) {
		ret = nsc_err_text(e, EINVAL, "device \"%s\" is not a veth", ifname);
		goto cleanup;
	}
	v = calloc(nl ? nl : 1, sizeof(*v));
	if (!v) {
		ret = nsc_err(e, ENOMEM, "veth show");
		goto cleanup;
	}
	for (size_t i = 0; i < nl; i++) {
		const struct nsc_link *l = &links[i];
		struct nsc_veth *x = &v[k];
		const char *ns;

		if (strcmp(l->kind, "veth"))
			continue;
		x->link = *l;
		x->peer_ifindex = l->has_link ? l->link : 0;
		x->peer_here = l->link_netnsid < 0;
		x->peer_netnsid = l->link_netnsid;
		if (x->peer_here) {
			memcpy(x->peer, l->link_name, sizeof(x->peer));
			ns = netns;
		} else {
			if (x->peer_ifindex > 0)
				peer_name(ctx, netns, x->peer_netnsid, x->peer_ifindex, x->peer);
			ns = l->link_netns[0] ? l->link_netns : NULL;
		}
		if (ns && !(x->peer_netns = strdup(ns))) {
			ret = nsc_err(e, ENOMEM, "veth show");
			goto cleanup;
		}
		k++;
	}
	*out = v;
	*n = k;
	v = NULL;
	ret = 0;
cleanup:
	nsc_veth_list_free(v, k);
	free(links);
	return ret;
}
