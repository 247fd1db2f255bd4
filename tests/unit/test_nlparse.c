// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests for the pure netlink parsers (nsc_link_parse, nsc_addr_parse,
 * nsc_link_brief) and the IFLA_VXLAN_PORT fix-up: messages built by hand, no kernel needed.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <linux/if.h>
#include <linux/if_addr.h>
#include <linux/if_arp.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <libmnl/libmnl.h>
#include <netlink/route/link/vxlan.h>

#include <netnsctl/netnsctl.h>
#include "rtnl/rtnl.h"
#include "tap.h"

static struct nlmsghdr *link_msg(char *buf, uint16_t type)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifi;

	nlh->nlmsg_type = type;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_index = 7;
	ifi->ifi_type = ARPHRD_ETHER;
	ifi->ifi_flags = IFF_UP | IFF_BROADCAST | IFF_RUNNING;
	return nlh;
}

static void full_link(void)
{
	static char buf[4096];
	static const uint8_t mac[6] = { 2, 0, 0, 0, 0, 1 }, brd[6] = { 255, 255, 255, 255, 255, 255 };
	struct nlmsghdr *nlh = link_msg(buf, RTM_NEWLINK);
	struct rtnl_link_stats64 st = { .rx_bytes = 123, .tx_packets = 4, .rx_nohandler = 9 };
	struct nlattr *info;
	struct nsc_link l;

	mnl_attr_put_strz(nlh, IFLA_IFNAME, "v1");
	mnl_attr_put_u32(nlh, IFLA_MTU, 1400);
	mnl_attr_put_strz(nlh, IFLA_QDISC, "noqueue");
	mnl_attr_put_u32(nlh, IFLA_MASTER, 3);
	mnl_attr_put_u32(nlh, IFLA_LINK, 9);
	mnl_attr_put_u32(nlh, IFLA_LINK_NETNSID, 2);
	mnl_attr_put_u8(nlh, IFLA_OPERSTATE, IF_OPER_UP);
	mnl_attr_put_u8(nlh, IFLA_LINKMODE, 0);
	mnl_attr_put_u32(nlh, IFLA_GROUP, 0);
	mnl_attr_put_u32(nlh, IFLA_TXQLEN, 1000);
	mnl_attr_put(nlh, IFLA_ADDRESS, sizeof(mac), mac);
	mnl_attr_put(nlh, IFLA_BROADCAST, sizeof(brd), brd);
	mnl_attr_put(nlh, IFLA_STATS64, sizeof(st), &st);
	mnl_attr_put_u32(nlh, IFLA_CARRIER_CHANGES, 4);
	info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "veth");
	mnl_attr_put_strz(nlh, IFLA_INFO_SLAVE_KIND, "bridge");
	mnl_attr_nest_end(nlh, info);
	/* an attribute from a kernel newer than these headers */
	mnl_attr_put_u32(nlh, IFLA_MAX + 5, 1);

	ok(nsc_link_parse(nlh, &l) == 0, "full RTM_NEWLINK parses");
	ok(!l.deleted && l.ifindex == 7 && !strcmp(l.ifname, "v1"), "index and name");
	ok(l.flags == (IFF_UP | IFF_BROADCAST | IFF_RUNNING) && l.type == ARPHRD_ETHER,
	   "flags and type");
	ok(l.has_mtu && l.mtu == 1400 && !strcmp(l.qdisc, "noqueue"), "mtu and qdisc");
	ok(l.master == 3, "master");
	ok(l.has_link && l.link == 9 && l.link_netnsid == 2, "peer index and netnsid");
	ok(l.has_operstate && l.operstate == IF_OPER_UP && l.has_linkmode && l.has_group &&
	   l.has_txqlen && l.txqlen == 1000, "operstate, mode, group, qlen");
	ok(l.addr_len == 6 && !memcmp(l.addr, mac, 6) && l.brd_len == 6 && !memcmp(l.brd, brd, 6),
	   "hardware addresses");
	ok(!strcmp(l.kind, "veth") && !strcmp(l.slave_kind, "bridge"), "kind and slave kind");
	ok(l.has_stats && l.stats.rx_bytes == 123 && l.stats.tx_packets == 4 &&
	   l.stats.rx_nohandler == 9, "counters");
	ok(l.has_carrier_changes && l.carrier_changes == 4, "carrier changes");
	ok(!l.master_name[0] && !l.link_name[0] && !l.link_netns[0], "names left to resolve");
}

static void odd_links(void)
{
	static char buf[4096];
	struct nlmsghdr *nlh;
	struct nsc_link l;
	char name[40];

	nlh = link_msg(buf, RTM_DELLINK);
	ok(nsc_link_parse(nlh, &l) == 0 && l.deleted && l.link_netnsid == -1 && !l.has_link &&
	   !l.has_mtu && !l.has_stats, "bare RTM_DELLINK: deleted, nothing else");

	/* a name without its NUL and longer than IFNAMSIZ: cut, terminated */
	nlh = link_msg(buf, RTM_NEWLINK);
	memset(name, 'a', sizeof(name));
	mnl_attr_put(nlh, IFLA_IFNAME, sizeof(name), name);
	ok(nsc_link_parse(nlh, &l) == 0 && strlen(l.ifname) == 15, "long unterminated name cut");

	/* an old kernel's short counters: the rest stays 0 */
	nlh = link_msg(buf, RTM_NEWLINK);
	{
		struct rtnl_link_stats64 st = { .rx_packets = 5, .rx_nohandler = 7 };

		mnl_attr_put(nlh, IFLA_STATS64, 8 * 8, &st);
	}
	ok(nsc_link_parse(nlh, &l) == 0 && l.stats.rx_packets == 5 && l.stats.rx_nohandler == 0,
	   "short IFLA_STATS64");

	/* only the 32-bit counters: read into the same fields */
	nlh = link_msg(buf, RTM_NEWLINK);
	{
		struct rtnl_link_stats st = { .rx_bytes = 11, .tx_dropped = 3, .rx_nohandler = 2 };

		mnl_attr_put(nlh, IFLA_STATS, sizeof(st), &st);
	}
	ok(nsc_link_parse(nlh, &l) == 0 && l.has_stats && l.stats.rx_bytes == 11 &&
	   l.stats.tx_dropped == 3 && l.stats.rx_nohandler == 2, "IFLA_STATS alone");

	/* a u32 attribute of the wrong size is ignored, not read past */
	nlh = link_msg(buf, RTM_NEWLINK);
	mnl_attr_put_u8(nlh, IFLA_MTU, 1);
	ok(nsc_link_parse(nlh, &l) == 0 && !l.has_mtu, "malformed IFLA_MTU ignored");

	nlh = link_msg(buf, RTM_NEWADDR);
	ok(nsc_link_parse(nlh, &l) == -EINVAL, "not a link message");
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_NEWLINK;
	ok(nsc_link_parse(nlh, &l) == -EINVAL, "no ifinfomsg");
	nlh = link_msg(buf, RTM_NEWLINK);
	mnl_attr_put_u32(nlh, IFLA_MTU, 1);
	nlh->nlmsg_len -= 4;            /* cut inside the attribute */
	ok(nsc_link_parse(nlh, &l) == -EINVAL || !l.has_mtu, "truncated attribute");
}

static struct nlmsghdr *addr_msg(char *buf, uint16_t type, int family, uint8_t plen)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifaddrmsg *ifa;

	nlh->nlmsg_type = type;
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = (uint8_t)family;
	ifa->ifa_prefixlen = plen;
	ifa->ifa_index = 4;
	ifa->ifa_scope = RT_SCOPE_LINK;
	ifa->ifa_flags = IFA_F_PERMANENT;
	return nlh;
}

static void addrs(void)
{
	static char buf[4096];
	struct ifa_cacheinfo ci = { .ifa_prefered = 50, .ifa_valid = 100 };
	uint8_t v4[4], peer[4], brd[4], v6[16];
	struct nlmsghdr *nlh;
	struct nsc_addr a;

	inet_pton(AF_INET, "192.0.2.1", v4);
	inet_pton(AF_INET, "192.0.2.2", peer);
	inet_pton(AF_INET, "192.0.2.255", brd);
	inet_pton(AF_INET6, "2001:db8::1", v6);

	nlh = addr_msg(buf, RTM_NEWADDR, AF_INET, 24);
	mnl_attr_put(nlh, IFA_LOCAL, 4, v4);
	mnl_attr_put(nlh, IFA_ADDRESS, 4, v4);
	mnl_attr_put(nlh, IFA_BROADCAST, 4, brd);
	mnl_attr_put_strz(nlh, IFA_LABEL, "v1:x");
	mnl_attr_put(nlh, IFA_CACHEINFO, sizeof(ci), &ci);
	mnl_attr_put_u32(nlh, IFA_FLAGS, IFA_F_PERMANENT | IFA_F_NOPREFIXROUTE);
	ok(nsc_addr_parse(nlh, &a) == 0, "IPv4 RTM_NEWADDR parses");
	ok(a.family == AF_INET && a.ifindex == 4 && a.prefixlen == 24 && a.scope == RT_SCOPE_LINK,
	   "family, index, length, scope");
	ok(a.has_local && !memcmp(a.local, v4, 4) && a.has_address && !memcmp(a.address, v4, 4),
	   "local and address");
	ok(a.has_broadcast && !memcmp(a.broadcast, brd, 4) && !strcmp(a.label, "v1:x"),
	   "broadcast and label");
	ok(a.has_cacheinfo && a.valid_lft == 100 && a.preferred_lft == 50, "lifetimes");
	ok(a.flags == (IFA_F_PERMANENT | IFA_F_NOPREFIXROUTE), "IFA_FLAGS wins over ifa_flags");

	nlh = addr_msg(buf, RTM_DELADDR, AF_INET6, 64);
	mnl_attr_put(nlh, IFA_ADDRESS, 16, v6);
	ok(nsc_addr_parse(nlh, &a) == 0 && a.deleted && a.family == AF_INET6 && a.has_local &&
	   !memcmp(a.local, v6, 16) && a.flags == IFA_F_PERMANENT,
	   "IPv6 sends only IFA_ADDRESS: it is the local address");

	nlh = addr_msg(buf, RTM_NEWADDR, AF_INET, 32);
	mnl_attr_put(nlh, IFA_LOCAL, 4, v4);
	mnl_attr_put(nlh, IFA_ADDRESS, 4, peer);
	ok(nsc_addr_parse(nlh, &a) == 0 && !memcmp(a.local, v4, 4) && !memcmp(a.address, peer, 4),
	   "point-to-point: local and peer differ");

	nlh = addr_msg(buf, RTM_NEWADDR, AF_INET6, 64);
	mnl_attr_put(nlh, IFA_ADDRESS, 4, v4);          /* too short for IPv6 */
	ok(nsc_addr_parse(nlh, &a) == 0 && !a.has_local, "short address ignored");

	/* a label without its NUL, longer than the field: cut, terminated */
	nlh = addr_msg(buf, RTM_NEWADDR, AF_INET, 24);
	mnl_attr_put(nlh, IFA_LOCAL, 4, v4);
	mnl_attr_put(nlh, IFA_LABEL, 20, "abcdefghijklmnopqrst");
	ok(nsc_addr_parse(nlh, &a) == 0 && !strcmp(a.label, "abcdefghijklmno"),
	   "long unterminated label cut");

	nlh = addr_msg(buf, RTM_NEWADDR, AF_PACKET, 0);
	ok(nsc_addr_parse(nlh, &a) == -EINVAL, "other families refused");
	nlh = addr_msg(buf, RTM_NEWLINK, AF_INET, 0);
	ok(nsc_addr_parse(nlh, &a) == -EINVAL, "not an address message");
}

/* nsc_link_brief: what name lookups and the index map read of a link */
static void briefs(void)
{
	static char buf[4096];
	struct nlmsghdr *nlh;
	char name[16] = "x";
	int index = 0;

	nlh = link_msg(buf, RTM_NEWLINK);
	mnl_attr_put_strz(nlh, IFLA_IFNAME, "eth0");
	mnl_attr_put_u32(nlh, IFLA_MTU, 1500);
	ok(nsc_link_brief(nlh, &index, name) && index == 7 && !strcmp(name, "eth0"),
	   "brief: index and name");

	nlh = link_msg(buf, RTM_NEWLINK);
	ok(nsc_link_brief(nlh, &index, name) && index == 7 && !name[0], "brief: no name");

	index = 0;
	nlh = link_msg(buf, RTM_DELLINK);
	ok(!nsc_link_brief(nlh, &index, name) && index == 0, "brief: not a new link");
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_NEWLINK;
	ok(!nsc_link_brief(nlh, &index, name), "brief: no ifinfomsg");
}

/* Find IFLA_LINKINFO/IFLA_INFO_DATA/IFLA_VXLAN_PORT in a built request. */
static const struct nlattr *vxlan_port(const struct nlmsghdr *nlh)
{
	const struct nlattr *a, *b, *c;

	mnl_attr_for_each(a, nlh, sizeof(struct ifinfomsg))
		if (mnl_attr_get_type(a) == IFLA_LINKINFO)
			mnl_attr_for_each_nested(b, a)
				if (mnl_attr_get_type(b) == IFLA_INFO_DATA)
					mnl_attr_for_each_nested(c, b)
						if (mnl_attr_get_type(c) == IFLA_VXLAN_PORT)
							return c;
	return NULL;
}

static void vxlan_fix(void)
{
	struct rtnl_link *link = rtnl_link_vxlan_alloc();
	struct nl_msg *msg = NULL;
	const struct nlattr *port;
	uint32_t len_before;
	uint16_t be;

	rtnl_link_set_name(link, "vx0");
	rtnl_link_vxlan_set_id(link, 42);
	rtnl_link_vxlan_set_port(link, 4789);
	rtnl_link_vxlan_set_ttl(link, 5);       /* an attribute after the port */
	ok(rtnl_link_build_add_request(link, NLM_F_CREATE, &msg) == 0, "libnl builds vxlan");
	len_before = nlmsg_hdr(msg)->nlmsg_len;
	ok(nsc_vxlan_fix_port(nlmsg_hdr(msg), 4789) == 0, "port attribute found");
	port = vxlan_port(nlmsg_hdr(msg));
	memcpy(&be, mnl_attr_get_payload(port), sizeof(be));
	ok(port && mnl_attr_get_payload_len(port) == 2 && ntohs(be) == 4789,
	   "IFLA_VXLAN_PORT is a be16 of 4789");
	ok(nlmsg_hdr(msg)->nlmsg_len == len_before, "message length unchanged");
	ok(mnl_attr_validate(port, MNL_TYPE_U16) == 0, "valid as a u16 attribute");
	nlmsg_free(msg);
	rtnl_link_put(link);

	link = rtnl_link_alloc();
	rtnl_link_set_type(link, "bridge");
	rtnl_link_build_add_request(link, NLM_F_CREATE, &msg);
	ok(nsc_vxlan_fix_port(nlmsg_hdr(msg), 4789) == -ENOENT, "no port, nothing touched");
	nlmsg_free(msg);
	rtnl_link_put(link);
}

int main(void)
{
	full_link();
	odd_links();
	addrs();
	briefs();
	vxlan_fix();
	return tap_done();
}
