// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The kinds of link `link add` makes, as libnl-route-3 objects: veth (with
 * its peer), vxlan, macvlan/macvtap, and any kind that takes no arguments
 * (bridge, ifb, ...).
 */
#include <errno.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/if_link.h>
#include <netlink/addr.h>
#include <netlink/route/link/macvlan.h>
#include <netlink/route/link/macvtap.h>
#include <netlink/route/link/veth.h>
#include <netlink/route/link/vxlan.h>

#include <netnsctl/link.h>
#include <netnsctl/parse.h>
#include "core/core.h"
#include "rtnl/rtnl.h"

/*
 * The kinds mainline Linux makes links of (the kind of every
 * rtnl_link_ops): a kind that is none of them but close to one is a typo,
 * refused before the kernel answers "Unknown device type". Any other word
 * goes to the kernel, which may know it (an out-of-tree module). The kinds
 * a user most likely means come first: of equally close ones, the first wins.
 */
static const char *const kernel_kinds[] = {
	"veth", "bridge", "vxlan", "macvlan", "macvtap", "dummy", "ifb", "vlan", "bond",
	"ipvlan", "ipvtap", "vrf", "geneve", "wireguard", "team", "gre", "gretap", "erspan",
	"ipip", "sit", "vti", "ip6tnl", "ip6gre", "ip6gretap", "ip6erspan", "vti6", "xfrm",
	"bareudp", "macsec", "nlmon", "vsockmon", "netkit", "netdevsim", "hsr", "gtp",
	"pfcp", "amt", "ovpn", "virt_wifi", "rmnet", "wwan", "can", "vcan", "vxcan",
	"ipoib", "lowpan", "batadv", "dsa", "openvswitch", "ppp", "tun",
};

int nsc_link_kind_check(const char *name, const char *kind, struct nsc_error *e)
{
	const size_t n = sizeof(kernel_kinds) / sizeof(kernel_kinds[0]);
	char meant[16], shown[64];
	struct nsc_suggest s;

	nsc_suggest_init(&s, kind);
	for (size_t i = 0; i < n; i++) {
		if (!strcmp(kind, kernel_kinds[i]))
			return 0;
		nsc_suggest_add(&s, kernel_kinds[i], strlen(kernel_kinds[i]));
	}
	if (!nsc_suggest_best(&s, meant, sizeof(meant)))
		return 0;
	return nsc_usage(e, "link add \"%s\": unknown link type \"%s\"; did you mean \"%s\"?",
			 name, nsc_printable(kind, shown, sizeof(shown)), meant);
}

/* IANA's port; the kernel's default (8472) predates it */
#define VXLAN_IANA_PORT 4789

static struct nl_addr *ip_addr(const struct nsc_prefix *p)
{
	return nl_addr_build(p->family, p->addr, p->family == AF_INET6 ? 16 : 4);
}

/* set(link, p as an nl_addr): 0, -ENOMEM, or -EINVAL for an address it refuses. */
static int set_ip(struct rtnl_link *link, int (*set)(struct rtnl_link *, struct nl_addr *),
		  const struct nsc_prefix *p)
{
	struct nl_addr *addr = ip_addr(p);
	int ret;

	if (!addr)
		return -ENOMEM;
	ret = set(link, addr);
	nl_addr_put(addr);
	return ret < 0 ? -EINVAL : 0;
}

static int vxlan_alloc(const struct nsc_link_add *a, int dev, struct rtnl_link **out,
		       struct nsc_error *e)
{
	struct rtnl_link *link = rtnl_link_vxlan_alloc();
	int ret = 0;

	if (!link)
		return nsc_err(e, ENOMEM, "link add \"%s\"", a->name);
	rtnl_link_vxlan_set_id(link, a->vni);
	/* remote and group are one attribute; the kernel tells them apart */
	if ((a->local.family && (ret = set_ip(link, rtnl_link_vxlan_set_local, &a->local)) < 0) ||
	    (a->remote_kind != NSC_VXLAN_NONE &&
	     (ret = set_ip(link, rtnl_link_vxlan_set_group, &a->remote)) < 0)) {
		if (ret == -ENOMEM)
			ret = nsc_err(e, ENOMEM, "link add \"%s\"", a->name);
		else
			ret = nsc_err_text(e, EINVAL, "link add \"%s\": bad vxlan address", a->name);
		goto cleanup;
	}
	if (dev)
		rtnl_link_vxlan_set_link(link, (uint32_t)dev);
	if (a->has_ttl)
		rtnl_link_vxlan_set_ttl(link, a->ttl);
	/* put in whatever encoding libnl uses, fixed after the build */
	rtnl_link_vxlan_set_port(link, a->has_dstport ? a->dstport : VXLAN_IANA_PORT);
	*out = link;
	link = NULL;
cleanup:
	if (link)
		rtnl_link_put(link);
	return ret;
}

int nsc_link_kind_alloc(const struct nsc_link_add *a, int lower, int dev,
			struct rtnl_link **out, struct rtnl_link **peer,
			struct nsc_error *e)
{
	struct rtnl_link *link = NULL;
	int ret;

	*peer = NULL;
	if (!strcmp(a->kind, "veth")) {
		link = rtnl_link_veth_alloc();
		if (link)
			*peer = rtnl_link_veth_get_peer(link);  /* takes a reference */
	} else if (!strcmp(a->kind, "vxlan")) {
		if ((ret = vxlan_alloc(a, dev, &link, e)) < 0)
			return ret;
	} else if (!strcmp(a->kind, "macvlan") || !strcmp(a->kind, "macvtap")) {
		bool tap = !strcmp(a->kind, "macvtap");

		link = tap ? rtnl_link_macvtap_alloc() : rtnl_link_macvlan_alloc();
		if (link && a->macvlan_mode)
			(tap ? rtnl_link_macvtap_set_mode : rtnl_link_macvlan_set_mode)(link,
				a->macvlan_mode);
	} else {
		/* bridge and friends: the kind alone (never rtnl_link_bridge_add():
		 * it sends no NLM_F_EXCL and "succeeds" on an existing name) */
		link = rtnl_link_alloc();
		if (link && rtnl_link_set_type(link, a->kind) < 0) {
			rtnl_link_put(link);
			link = NULL;
		}
	}
	if (!link)
		return nsc_err(e, ENOMEM, "link add \"%s\"", a->name);
	if (lower)
		rtnl_link_set_link(link, lower);
	*out = link;
	return 0;
}

/*
 * libnl 3.7.0 puts IFLA_VXLAN_PORT as a u32; the kernel wants a be16 and
 * says "attribute type 15 has an invalid length". A be16 attribute takes the
 * same 8 aligned bytes as a u32 one, so it is rewritten in place and no
 * enclosing length changes.
 */
int nsc_vxlan_fix_port(struct nlmsghdr *nlh, uint16_t port)
{
	struct nlattr *a, *b, *c;

	mnl_attr_for_each(a, nlh, sizeof(struct ifinfomsg)) {
		if (mnl_attr_get_type(a) != IFLA_LINKINFO)
			continue;
		mnl_attr_for_each_nested(b, a) {
			if (mnl_attr_get_type(b) != IFLA_INFO_DATA)
				continue;
			mnl_attr_for_each_nested(c, b) {
				uint8_t *p = mnl_attr_get_payload(c);
				uint16_t be = htons(port);

				if (mnl_attr_get_type(c) != IFLA_VXLAN_PORT ||
				    mnl_attr_get_payload_len(c) < sizeof(be))
					continue;
				memset(p, 0, mnl_attr_get_payload_len(c));
				memcpy(p, &be, sizeof(be));
				c->nla_len = MNL_ATTR_HDRLEN + sizeof(be);
				return 0;
			}
		}
	}
	return -ENOENT;
}
