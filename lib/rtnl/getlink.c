// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * RTM_GETLINK, built in one place: name lookups (ifindex.c), the index map
 * (ifmap.c), link dumps (link_dump.c) and veth peers in other namespaces
 * (veth.c) all ask here.
 */
#include <stdio.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>

#include "rtnl/rtnl.h"

int nsc_getlink(struct nsc_sock *s, const struct nsc_getlink *q, mnl_cb_t cb,
		void *data, struct nsc_error *e)
{
	struct ifinfomsg *ifi;
	struct nsc_req r;

	ifi = nsc_req_init(&r, RTM_GETLINK, q->dump ? NLM_F_DUMP : 0, AF_UNSPEC, sizeof(*ifi));
	ifi->ifi_index = q->ifindex;
	if (q->ifname)
		mnl_attr_put_strz(r.nlh, IFLA_IFNAME, q->ifname);
	if (q->in_nsid)
		mnl_attr_put_u32(r.nlh, IFLA_TARGET_NETNSID, (uint32_t)q->nsid);
	if (!q->stats)
		mnl_attr_put_u32(r.nlh, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
	return nsc_req_talk(s, &r, cb, data, e);
}

bool nsc_link_brief(const struct nlmsghdr *nlh, int *index, char name[16])
{
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *attr;

	if (nlh->nlmsg_type != RTM_NEWLINK || nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*ifi)))
		return false;
	*index = ifi->ifi_index;
	name[0] = '\0';
	mnl_attr_for_each(attr, nlh, sizeof(*ifi)) {
		if (mnl_attr_get_type(attr) == IFLA_IFNAME &&
		    mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) == 0)
			snprintf(name, 16, "%s", mnl_attr_get_str(attr));
	}
	return true;
}
