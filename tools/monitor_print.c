// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * One line per rtnetlink event for `monitor --all`, labelled with the
 * namespace: "[ns1] link eth0 up state UP mtu 1500", "[hub] addr add
 * 198.51.100.1/24 dev br0". With -j one JSON object per line:
 * {"netns":..., "event":"new"|"del", "object":"link"|"addr"|..., "<object>":
 * {the same fields as that object's show -j}}.
 */
#include <arpa/inet.h>
#include <linux/rtnetlink.h>
#include <net/if.h>

#include "monitor_print.h"
#include "print_link.h"
#include "rtprint.h"

/* Names of interfaces come from the namespace itself, asked at event time:
 * a device deleted since is shown by index. */
static const char *dev_name(struct cli *c, const char *ns, int ifindex, char buf[IF_NAMESIZE])
{
	struct nsc_error e = { 0 };

	if (nsc_ifname(c->ctx, ns, ifindex, buf, &e) < 0)
		snprintf(buf, IF_NAMESIZE, "if%d", ifindex);
	return buf;
}

static void json_head(struct cli *c, const char *ns, bool deleted, const char *object)
{
	json_obj_open(c->js);
	json_kv_str(c->js, "netns", ns);
	json_kv_str(c->js, "event", deleted ? "del" : "new");
	json_kv_str(c->js, "object", object);
	json_key(c->js, object);
}

static void json_tail(struct cli *c)
{
	json_obj_close(c->js);
	json_end(c->js);
}

static void link_event(struct cli *c, const char *ns, const struct nlmsghdr *nlh)
{
	struct nsc_error e = { 0 };
	struct nsc_link l;

	if (nsc_link_parse(nlh, &l) < 0)
		return;
	if (!l.deleted)
		nsc_link_resolve(c->ctx, ns, &l, 1, NULL, 0, &e);
	if (c->json) {
		json_head(c, ns, l.deleted, "link");
		print_link(c, &l);
		json_tail(c);
		return;
	}
	if (l.deleted) {
		printf("[%s] link del %s\n", ns, l.ifname);
		return;
	}
	printf("[%s] link %s %s", ns, l.ifname, (l.flags & IFF_UP) ? "up" : "down");
	if (l.has_operstate && print_operstate(&l))
		printf(" state %s", print_operstate(&l));
	if (l.has_mtu)
		printf(" mtu %u", l.mtu);
	if (l.master_name[0])
		printf(" master %s", l.master_name);
	if (l.kind[0])
		printf(" type %s", l.kind);
	putchar('\n');
}

static void addr_event(struct cli *c, const char *ns, const struct nlmsghdr *nlh)
{
	char b[INET6_ADDRSTRLEN], dev[IF_NAMESIZE];
	struct nsc_addr a;

	if (nsc_addr_parse(nlh, &a) < 0)
		return;
	if (c->family != AF_UNSPEC && a.family != c->family)
		return;
	if (c->json) {
		json_head(c, ns, a.deleted, "addr");
		json_obj_open(c->js);
		json_kv_str(c->js, "dev", dev_name(c, ns, a.ifindex, dev));
		json_key(c->js, "addr_info");
		json_arr_open(c->js);
		print_addr(c, &a);
		json_arr_close(c->js);
		json_obj_close(c->js);
		json_tail(c);
		return;
	}
	inet_ntop(a.family, a.has_local ? a.local : a.address, b, sizeof(b));
	printf("[%s] addr %s %s/%u dev %s\n", ns, a.deleted ? "del" : "add", b,
	       a.prefixlen, dev_name(c, ns, a.ifindex, dev));
}

/*
 * Routes and neighbours: ip's own line after "[NS] route add|del", or the
 * object as show -j prints it, inside the event's JSON.
 */
static void rt_event(struct cli *c, const char *ns, const struct nlmsghdr *nlh)
{
	struct rtprint p = { .ctx = c->ctx, .netns = ns };
	uint16_t type = nlh->nlmsg_type;
	bool route = type == RTM_NEWROUTE || type == RTM_DELROUTE;
	bool del = type == RTM_DELROUTE || type == RTM_DELNEIGH;
	const char *object = route ? "route" : "neigh";
	struct nsc_route r;
	struct nsc_neigh n;
	int family;

	if (route ? nsc_route_parse(nlh, &r) < 0 : nsc_neigh_parse(nlh, &n) < 0)
		return;
	family = route ? r.family : n.family;
	if (c->family != AF_UNSPEC && family != c->family)
		return;
	if (c->json)
		json_head(c, ns, del, object);
	else
		printf("[%s] %s %s ", ns, object, del ? "del" : "add");
	if (route)
		rtprint_route(c, &p, &r);
	else
		rtprint_neigh(c, &p, &n);
	if (c->json)
		json_tail(c);
}

static void nsid_event(struct cli *c, const char *ns, const struct nlmsghdr *nlh)
{
	bool del;
	int id;

	if (nsc_nsid_parse(nlh, &id, &del) < 0)
		return;
	if (c->json) {
		json_head(c, ns, del, "nsid");
		json_obj_open(c->js);
		json_kv_int(c->js, "nsid", id);
		json_obj_close(c->js);
		json_tail(c);
		return;
	}
	printf("[%s] nsid %s %d\n", ns, del ? "del" : "add", id);
}

void monitor_print_netlink(struct cli *c, const char *ns, const struct nlmsghdr *nlh)
{
	static const struct {
		uint16_t type;
		void (*print)(struct cli *c, const char *ns, const struct nlmsghdr *nlh);
	} events[] = {
		{ RTM_NEWLINK, link_event }, { RTM_DELLINK, link_event },
		{ RTM_NEWADDR, addr_event }, { RTM_DELADDR, addr_event },
		{ RTM_NEWROUTE, rt_event }, { RTM_DELROUTE, rt_event },
		{ RTM_NEWNEIGH, rt_event }, { RTM_DELNEIGH, rt_event },
		{ RTM_NEWNSID, nsid_event }, { RTM_DELNSID, nsid_event },
	};

	for (size_t i = 0; i < sizeof(events) / sizeof(events[0]); i++)
		if (events[i].type == nlh->nlmsg_type)
			events[i].print(c, ns, nlh);
}
