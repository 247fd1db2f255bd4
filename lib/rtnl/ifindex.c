// SPDX-License-Identifier: GPL-2.0-or-later
/* Interface names resolved inside a namespace, over its own socket. */
#include <errno.h>
#include <string.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <net/if.h>

#include <netnsctl/ifindex.h>
#include "core/core.h"

struct getlink {
	int index;
	char name[IFNAMSIZ];
};

static int getlink_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
	struct getlink *g = data;
	const struct nlattr *attr;

	if (nlh->nlmsg_type != RTM_NEWLINK)
		return MNL_CB_OK;
	g->index = ifi->ifi_index;
	mnl_attr_for_each(attr, nlh, sizeof(*ifi)) {
		if (mnl_attr_get_type(attr) == IFLA_IFNAME &&
		    mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) == 0)
			snprintf(g->name, sizeof(g->name), "%s", mnl_attr_get_str(attr));
	}
	return MNL_CB_OK;
}

static int getlink(struct nsc_ctx *ctx, const char *netns, const char *ifname, int index,
		   struct getlink *g, struct nsc_error *e)
{
	char buf[512];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifi;
	struct nsc_sock *s;
	int ret;

	ret = nsc_sock_get(ctx, netns, &s, e);
	if (ret < 0)
		return ret;
	nlh->nlmsg_type = RTM_GETLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = index;
	if (ifname)
		mnl_attr_put_strz(nlh, IFLA_IFNAME, ifname);
	/* no stats, no VF info: just the name and index */
	mnl_attr_put_u32(nlh, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
	memset(g, 0, sizeof(*g));
	return nsc_nl_talk(s, nlh, getlink_cb, g, e);
}

static int not_found(struct nsc_error *e, const char *netns, const char *what)
{
	if (netns)
		return nsc_err_text(e, ENODEV, "device %s not found in netns \"%s\"", what, netns);
	return nsc_err_text(e, ENODEV, "device %s not found", what);
}

int nsc_ifindex(struct nsc_ctx *ctx, const char *netns, const char *ifname,
		int *index, struct nsc_error *e)
{
	char what[IFNAMSIZ + 2];
	struct getlink g;
	int ret;

	if ((ret = nsc_ifname_check(ifname, e)) < 0)
		return ret;
	ret = getlink(ctx, netns, ifname, 0, &g, e);
	snprintf(what, sizeof(what), "\"%s\"", ifname);
	if (ret == -ENODEV || (ret == 0 && g.index <= 0))
		return not_found(e, netns, what);
	if (ret < 0)
		return ret;
	*index = g.index;
	return 0;
}

int nsc_ifname(struct nsc_ctx *ctx, const char *netns, int index,
	       char name[16], struct nsc_error *e)
{
	char what[32];
	struct getlink g;
	int ret;

	ret = getlink(ctx, netns, NULL, index, &g, e);
	snprintf(what, sizeof(what), "index %d", index);
	if (ret == -ENODEV || (ret == 0 && !g.name[0]))
		return not_found(e, netns, what);
	if (ret < 0)
		return ret;
	memcpy(name, g.name, IFNAMSIZ);
	return 0;
}
