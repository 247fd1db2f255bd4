// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Links and addresses as ip prints them (iproute2 6.1): the same words and
 * layout in text, the same field names, order and types in JSON, for the
 * fields we print.
 */
#include <arpa/inet.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <net/if.h>
#include <linux/if_addr.h>
#include <linux/if_arp.h>
#include <linux/rtnetlink.h>

#ifndef IFF_LOWER_UP
#define IFF_LOWER_UP 0x10000
#define IFF_DORMANT 0x20000
#define IFF_ECHO 0x40000
#endif

#include "print_link.h"

/* ---- names ---- */

static const struct { unsigned flag; const char *name; } link_flags[] = {
	{ IFF_LOOPBACK, "LOOPBACK" }, { IFF_BROADCAST, "BROADCAST" },
	{ IFF_POINTOPOINT, "POINTOPOINT" }, { IFF_MULTICAST, "MULTICAST" },
	{ IFF_NOARP, "NOARP" }, { IFF_ALLMULTI, "ALLMULTI" }, { IFF_PROMISC, "PROMISC" },
	{ IFF_MASTER, "MASTER" }, { IFF_SLAVE, "SLAVE" }, { IFF_DEBUG, "DEBUG" },
	{ IFF_DYNAMIC, "DYNAMIC" }, { IFF_AUTOMEDIA, "AUTOMEDIA" }, { IFF_PORTSEL, "PORTSEL" },
	{ IFF_NOTRAILERS, "NOTRAILERS" }, { IFF_UP, "UP" }, { IFF_LOWER_UP, "LOWER_UP" },
	{ IFF_DORMANT, "DORMANT" }, { IFF_ECHO, "ECHO" },
};

#define MAX_FLAGS 24

/* ip's order: NO-CARRIER first, then the table, leftover bits in hex, M-DOWN last */
static size_t flag_names(const struct nsc_link *l, const char *out[MAX_FLAGS], char hex[16])
{
	unsigned flags = l->flags;
	size_t n = 0;

	if ((flags & IFF_UP) && !(flags & IFF_RUNNING))
		out[n++] = "NO-CARRIER";
	flags &= ~IFF_RUNNING;
	for (size_t i = 0; i < sizeof(link_flags) / sizeof(link_flags[0]); i++) {
		if (flags & link_flags[i].flag) {
			out[n++] = link_flags[i].name;
			flags &= ~link_flags[i].flag;
		}
	}
	if (flags) {
		snprintf(hex, 16, "%x", flags);
		out[n++] = hex;
	}
	/* the linked device (same namespace) is down */
	if (l->has_link && l->link > 0 && l->link_netnsid < 0 && !l->link_up)
		out[n++] = "M-DOWN";
	return n;
}

/* "flags": [...] in JSON, "<A,B,C>" in text */
static void flags_json(struct json *j, const struct nsc_link *l)
{
	const char *flags[MAX_FLAGS];
	char hex[16];
	size_t n = flag_names(l, flags, hex);

	json_key(j, "flags");
	json_arr_open(j);
	for (size_t i = 0; i < n; i++)
		json_str(j, flags[i]);
	json_arr_close(j);
}

static void flags_text(const struct nsc_link *l)
{
	const char *flags[MAX_FLAGS];
	char hex[16];
	size_t n = flag_names(l, flags, hex);

	putchar('<');
	for (size_t i = 0; i < n; i++)
		printf("%s%s", i ? "," : "", flags[i]);
	putchar('>');
}

static const char *const oper_states[] = {
	"UNKNOWN", "NOTPRESENT", "DOWN", "LOWERLAYERDOWN", "TESTING", "DORMANT", "UP",
};

const char *print_operstate(const struct nsc_link *l)
{
	return l->operstate < sizeof(oper_states) / sizeof(oper_states[0]) ?
		oper_states[l->operstate] : NULL;
}

static const char *link_type(unsigned short type, char *buf, size_t size)
{
	static const struct { unsigned short type; const char *name; } types[] = {
		{ ARPHRD_ETHER, "ether" }, { ARPHRD_LOOPBACK, "loopback" },
		{ ARPHRD_NONE, "none" }, { ARPHRD_VOID, "void" }, { ARPHRD_PPP, "ppp" },
		{ ARPHRD_TUNNEL, "ipip" }, { ARPHRD_TUNNEL6, "tunnel6" }, { ARPHRD_SIT, "sit" },
		{ ARPHRD_IPGRE, "gre" }, { ARPHRD_IP6GRE, "gre6" },
		{ ARPHRD_INFINIBAND, "infiniband" }, { ARPHRD_IEEE802, "ieee802" },
		{ ARPHRD_IEEE80211, "ieee802.11" },
		{ ARPHRD_IEEE80211_RADIOTAP, "ieee802.11/radiotap" },
		{ ARPHRD_CAN, "can" }, { ARPHRD_NETLINK, "netlink" },
		{ ARPHRD_IEEE802154, "ieee802.15.4" }, { ARPHRD_6LOWPAN, "6lowpan" },
		{ ARPHRD_RAWIP, "rawip" },
	};

	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (types[i].type == type)
			return types[i].name;
	snprintf(buf, size, "[%u]", type);
	return buf;
}

/* Hardware addresses: tunnels carry IP addresses, the rest colon hex. */
static const char *lladdr(const struct nsc_link *l, const uint8_t *a, size_t len,
			  char *buf, size_t size)
{
	if (len == 4 && (l->type == ARPHRD_TUNNEL || l->type == ARPHRD_SIT ||
			 l->type == ARPHRD_IPGRE))
		return inet_ntop(AF_INET, a, buf, (socklen_t)size);
	if (len == 16 && (l->type == ARPHRD_TUNNEL6 || l->type == ARPHRD_IP6GRE))
		return inet_ntop(AF_INET6, a, buf, (socklen_t)size);
	buf[0] = '\0';
	for (size_t i = 0, o = 0; i < len && o + 3 < size; i++)
		o += (size_t)snprintf(buf + o, size - o, i ? ":%02x" : "%02x", a[i]);
	return buf;
}

static const char *group_name(uint32_t g, char *buf, size_t size)
{
	if (g == 0)
		return "default";
	snprintf(buf, size, "%" PRIu32, g);
	return buf;
}

/* The name of the linked device: "@NAME" in text, "link" in JSON. */
static const char *link_name(const struct nsc_link *l, char *buf, size_t size)
{
	if (l->link_name[0])
		return l->link_name;
	snprintf(buf, size, "if%d", l->link);
	return buf;
}

static const char *master_name(const struct nsc_link *l, char *buf, size_t size)
{
	if (l->master_name[0])
		return l->master_name;
	snprintf(buf, size, "if%d", l->master);
	return buf;
}

/* ---- links ---- */

enum { MODE_LINK, MODE_ADDR };

static bool show_lladdr(const struct cli *c, int mode)
{
	/* ip addr -4/-6 leaves out the link/ether line */
	return mode == MODE_LINK || c->family == AF_UNSPEC;
}

/* "link" (its name, "link_index", or null) and "ifname", as ip -j has them */
static void json_names(struct json *j, const struct nsc_link *l)
{
	char b[16];

	if (l->has_link) {
		if (l->link == 0) {
			json_key(j, "link");
			json_null(j);
		} else if (l->link_netnsid >= 0) {
			json_kv_int(j, "link_index", l->link);
		} else {
			json_kv_str(j, "link", link_name(l, b, sizeof(b)));
		}
	}
	json_kv_str(j, "ifname", l->ifname);
}

static void link_json(struct cli *c, const struct nsc_link *l, int mode)
{
	char b1[64], b2[64];
	struct json *j = c->js;

	json_kv_int(j, "ifindex", l->ifindex);
	json_names(j, l);
	flags_json(j, l);
	if (l->has_mtu)
		json_kv_uint(j, "mtu", l->mtu);
	if (l->qdisc[0])
		json_kv_str(j, "qdisc", l->qdisc);
	if (l->master)
		json_kv_str(j, "master", master_name(l, b1, sizeof(b1)));
	if (l->has_operstate) {
		if (print_operstate(l))
			json_kv_str(j, "operstate", print_operstate(l));
		else
			json_kv_uint(j, "operstate_index", l->operstate);
	}
	if (mode == MODE_LINK && l->has_linkmode) {
		if (l->linkmode < 2)
			json_kv_str(j, "linkmode", l->linkmode ? "DORMANT" : "DEFAULT");
		else
			json_kv_int(j, "linkmode_index", l->linkmode);
	}
	if (l->has_group)
		json_kv_str(j, "group", group_name(l->group, b1, sizeof(b1)));
	if (l->has_txqlen && l->txqlen)
		json_kv_int(j, "txqlen", l->txqlen);
	if (show_lladdr(c, mode)) {
		json_kv_str(j, "link_type", link_type(l->type, b1, sizeof(b1)));
		if (l->addr_len)
			json_kv_str(j, "address", lladdr(l, l->addr, l->addr_len, b2, sizeof(b2)));
		if (l->brd_len) {
			if (l->flags & IFF_POINTOPOINT)
				json_kv_bool(j, "link_pointtopoint", true);
			json_kv_str(j, "broadcast", lladdr(l, l->brd, l->brd_len, b2, sizeof(b2)));
		}
	}
	if (l->link_netnsid >= 0)
		json_kv_int(j, "link_netnsid", l->link_netnsid);
	if (c->stats && l->has_stats)
		print_stats_json(c, l);
}

static void link_text(struct cli *c, const struct nsc_link *l, int mode)
{
	char b1[64], b2[64];

	printf("%d: %s", l->ifindex, l->ifname);
	if (!l->has_link)
		fputs(": ", stdout);
	else if (l->link == 0)
		fputs("@NONE: ", stdout);
	else if (l->link_netnsid >= 0)
		printf("@if%d: ", l->link);
	else
		printf("@%s: ", link_name(l, b1, sizeof(b1)));
	flags_text(l);
	putchar(' ');
	if (l->has_mtu)
		printf("mtu %" PRIu32 " ", l->mtu);
	if (l->qdisc[0])
		printf("qdisc %s ", l->qdisc);
	if (l->master)
		printf("master %s ", master_name(l, b1, sizeof(b1)));
	if (l->has_operstate) {
		if (print_operstate(l))
			printf("state %s ", print_operstate(l));
		else
			printf("state %#x ", l->operstate);
	}
	if (mode == MODE_LINK && l->has_linkmode) {
		if (l->linkmode < 2)
			printf("mode %s ", l->linkmode ? "DORMANT" : "DEFAULT");
		else
			printf("mode %d ", l->linkmode);
	}
	if (l->has_group)
		printf("group %s ", group_name(l->group, b1, sizeof(b1)));
	if (l->has_txqlen && l->txqlen)
		printf("qlen %" PRIu32, l->txqlen);
	if (show_lladdr(c, mode)) {
		printf("\n    link/%s ", link_type(l->type, b1, sizeof(b1)));
		if (l->addr_len)
			fputs(lladdr(l, l->addr, l->addr_len, b2, sizeof(b2)), stdout);
		if (l->brd_len)
			printf(" %s %s", l->flags & IFF_POINTOPOINT ? "peer" : "brd",
			       lladdr(l, l->brd, l->brd_len, b2, sizeof(b2)));
	}
	if (l->link_netnsid >= 0) {
		if (l->link_netns[0])
			printf(" link-netns %s", l->link_netns);
		else
			printf(" link-netnsid %d", l->link_netnsid);
	}
	if (mode == MODE_LINK && c->stats && l->has_stats) {
		putchar('\n');
		print_stats_text(c, l);
	}
	putchar('\n');
}

void print_link(struct cli *c, const struct nsc_link *l)
{
	if (c->json) {
		json_obj_open(c->js);
		link_json(c, l, MODE_LINK);
		json_obj_close(c->js);
	} else {
		link_text(c, l, MODE_LINK);
	}
}

/* "NAME@LINK" padded, as the -br column */
static void brief_name(const struct nsc_link *l, char *buf, size_t size)
{
	char b[16];

	if (!l->has_link)
		snprintf(buf, size, "%s", l->ifname);
	else if (l->link == 0)
		snprintf(buf, size, "%s@NONE", l->ifname);
	else if (l->link_netnsid >= 0)
		snprintf(buf, size, "%s@if%d", l->ifname, l->link);
	else
		snprintf(buf, size, "%s@%s", l->ifname, link_name(l, b, sizeof(b)));
}

static void brief_json_head(struct cli *c, const struct nsc_link *l)
{
	struct json *j = c->js;

	json_names(j, l);
	if (l->has_operstate && print_operstate(l))
		json_kv_str(j, "operstate", print_operstate(l));
}

static void brief_text_head(const struct nsc_link *l)
{
	char name[48];

	brief_name(l, name, sizeof(name));
	printf("%-16s ", name);
	if (l->has_operstate && print_operstate(l))
		printf("%-14s ", print_operstate(l));
}

void print_link_brief(struct cli *c, const struct nsc_link *l)
{
	char b[64];

	if (c->json) {
		json_obj_open(c->js);
		brief_json_head(c, l);
		if (l->addr_len)
			json_kv_str(c->js, "address", lladdr(l, l->addr, l->addr_len, b, sizeof(b)));
		flags_json(c->js, l);
		json_obj_close(c->js);
		return;
	}
	brief_text_head(l);
	if (l->addr_len)
		printf("%s ", lladdr(l, l->addr, l->addr_len, b, sizeof(b)));
	flags_text(l);
	fputs(" \n", stdout);
}

/* ---- links with their addresses ---- */

void print_link_addrs(struct cli *c, const struct nsc_link *l,
		      const struct nsc_addr *a, size_t n)
{
	if (c->json) {
		json_obj_open(c->js);
		link_json(c, l, MODE_ADDR);
		json_key(c->js, "addr_info");
		json_arr_open(c->js);
	} else {
		link_text(c, l, MODE_ADDR);
	}
	for (size_t i = 0; i < n; i++)
		if (a[i].ifindex == l->ifindex)
			print_addr(c, &a[i]);
	if (c->json) {
		json_arr_close(c->js);
		json_obj_close(c->js);
	} else if (c->stats && l->has_stats) {
		/* ip addr -s: the counters come after the addresses */
		print_stats_text(c, l);
		putchar('\n');
	}
}

void print_link_addrs_brief(struct cli *c, const struct nsc_link *l,
			    const struct nsc_addr *a, size_t n)
{
	if (c->json) {
		json_obj_open(c->js);
		brief_json_head(c, l);
		json_key(c->js, "addr_info");
		json_arr_open(c->js);
	} else {
		brief_text_head(l);
	}
	for (size_t i = 0; i < n; i++) {
		if (a[i].ifindex != l->ifindex || !a[i].has_local)
			continue;
		print_addr_brief(c, &a[i]);
	}
	if (c->json) {
		json_arr_close(c->js);
		json_obj_close(c->js);
	} else {
		putchar('\n');
	}
}

/* ---- veth ---- */

void print_veth(struct cli *c, const struct nsc_veth *v)
{
	const struct nsc_link *l = &v->link;
	char peer[32], b[32];

	if (v->peer[0])
		snprintf(peer, sizeof(peer), "%s", v->peer);
	else
		snprintf(peer, sizeof(peer), "if%d", v->peer_ifindex);
	if (c->json) {
		struct json *j = c->js;

		json_obj_open(j);
		json_kv_int(j, "ifindex", l->ifindex);
		json_kv_str(j, "ifname", l->ifname);
		json_kv_str_or_null(j, "netns", c->netns);
		if (l->has_operstate && print_operstate(l))
			json_kv_str(j, "operstate", print_operstate(l));
		if (l->has_mtu)
			json_kv_uint(j, "mtu", l->mtu);
		if (l->master)
			json_kv_str(j, "master", master_name(l, b, sizeof(b)));
		if (v->peer_ifindex > 0) {
			json_kv_int(j, "peer_ifindex", v->peer_ifindex);
			json_kv_str_or_null(j, "peer", v->peer[0] ? v->peer : NULL);
			if (!v->peer_here)
				json_kv_int(j, "peer_netnsid", v->peer_netnsid);
			json_kv_str_or_null(j, "peer_netns", v->peer_netns);
		}
		json_obj_close(j);
		return;
	}
	printf("%-16s ", l->ifname);
	if (l->has_operstate && print_operstate(l))
		printf("%-14s ", print_operstate(l));
	if (v->peer_ifindex <= 0) {
		fputs("peer NONE\n", stdout);
		return;
	}
	printf("peer %s", peer);
	if (!v->peer_here) {
		if (v->peer_netns)
			printf(" netns %s", v->peer_netns);
		else
			printf(" netnsid %d", v->peer_netnsid);
	}
	putchar('\n');
}
