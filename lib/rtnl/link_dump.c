// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Reading links: one RTM_NEWLINK parsed into a struct nsc_link (libmnl's
 * attribute parser, no I/O, so a monitor can reuse it), dumps, and the names
 * a printer needs (master, peer, the peer's namespace).
 */
#include <errno.h>
#include <string.h>
#include <linux/if.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>

#include <netnsctl/link.h>
#include "base/util.h"
#include "core/core.h"
#include "rtnl/rtmsg.h"
#include "rtnl/rtnl.h"

static bool get_u32(const struct nlattr *a, uint32_t *v)
{
	if (!a || mnl_attr_validate(a, MNL_TYPE_U32) < 0)
		return false;
	*v = mnl_attr_get_u32(a);
	return true;
}

static bool get_u8(const struct nlattr *a, uint8_t *v)
{
	if (!a || mnl_attr_validate(a, MNL_TYPE_U8) < 0)
		return false;
	*v = mnl_attr_get_u8(a);
	return true;
}

static size_t get_bin(const struct nlattr *a, uint8_t *buf, size_t size)
{
	size_t len = mnl_attr_get_payload_len(a);

	if (len > size)
		len = size;
	memcpy(buf, mnl_attr_get_payload(a), len);
	return len;
}

/* The counters of both stats structs (the same names, 32 or 64 bits wide). */
#define LINK_STATS(C) \
	C(rx_packets); C(tx_packets); C(rx_bytes); C(tx_bytes); \
	C(rx_errors); C(tx_errors); C(rx_dropped); C(tx_dropped); \
	C(multicast); C(collisions); C(rx_length_errors); C(rx_over_errors); \
	C(rx_crc_errors); C(rx_frame_errors); C(rx_fifo_errors); \
	C(rx_missed_errors); C(tx_aborted_errors); C(tx_carrier_errors); \
	C(tx_fifo_errors); C(tx_heartbeat_errors); C(tx_window_errors); \
	C(rx_compressed); C(tx_compressed); C(rx_nohandler)

/* An attribute's payload into s; older kernels send a shorter struct: the rest stays 0. */
static void get_struct(const struct nlattr *a, void *s, size_t size)
{
	size_t len = mnl_attr_get_payload_len(a);

	memset(s, 0, size);
	memcpy(s, mnl_attr_get_payload(a), len < size ? len : size);
}

static void parse_stats(const struct nlattr *const *tb, struct nsc_link *l)
{
	struct nsc_link_stats *d = &l->stats;

#define C(f) d->f = s.f
	if (tb[IFLA_STATS64]) {
		struct rtnl_link_stats64 s;

		get_struct(tb[IFLA_STATS64], &s, sizeof(s));
		LINK_STATS(C);
		l->has_stats = true;
	} else if (tb[IFLA_STATS]) {
		struct rtnl_link_stats s;

		get_struct(tb[IFLA_STATS], &s, sizeof(s));
		LINK_STATS(C);
		l->has_stats = true;
	}
#undef C
}

int nsc_link_parse(const struct nlmsghdr *nlh, struct nsc_link *l)
{
	const struct nlattr *tb[IFLA_MAX + 1];
	const struct ifinfomsg *ifi;
	uint32_t v;

	memset(l, 0, sizeof(*l));
	l->link_netnsid = -1;
	ifi = nsc_rtmsg_parse(nlh, RTM_NEWLINK, RTM_DELLINK, sizeof(*ifi), tb, IFLA_MAX);
	if (!ifi)
		return -EINVAL;

	l->deleted = nlh->nlmsg_type == RTM_DELLINK;
	l->ifindex = ifi->ifi_index;
	l->flags = ifi->ifi_flags;
	l->type = ifi->ifi_type;
	if (tb[IFLA_IFNAME])
		nsc_attr_str(tb[IFLA_IFNAME], l->ifname, sizeof(l->ifname));
	if (tb[IFLA_QDISC])
		nsc_attr_str(tb[IFLA_QDISC], l->qdisc, sizeof(l->qdisc));
	l->has_mtu = get_u32(tb[IFLA_MTU], &l->mtu);
	if (get_u32(tb[IFLA_MASTER], &v))
		l->master = (int)v;
	if (get_u32(tb[IFLA_LINK], &v)) {
		l->has_link = true;
		l->link = (int)v;
	}
	if (get_u32(tb[IFLA_LINK_NETNSID], &v))
		l->link_netnsid = (int32_t)v;
	l->has_operstate = get_u8(tb[IFLA_OPERSTATE], &l->operstate);
	l->has_linkmode = get_u8(tb[IFLA_LINKMODE], &l->linkmode);
	l->has_group = get_u32(tb[IFLA_GROUP], &l->group);
	l->has_txqlen = get_u32(tb[IFLA_TXQLEN], &l->txqlen);
	if (tb[IFLA_ADDRESS])
		l->addr_len = get_bin(tb[IFLA_ADDRESS], l->addr, sizeof(l->addr));
	if (tb[IFLA_BROADCAST])
		l->brd_len = get_bin(tb[IFLA_BROADCAST], l->brd, sizeof(l->brd));
	l->has_carrier_changes = get_u32(tb[IFLA_CARRIER_CHANGES], &l->carrier_changes);
	parse_stats(tb, l);

	if (tb[IFLA_LINKINFO]) {
		const struct nlattr *info[IFLA_INFO_MAX + 1] = { 0 };
		struct nsc_attrs t = { .tb = info, .max = IFLA_INFO_MAX };

		if (mnl_attr_parse_nested(tb[IFLA_LINKINFO], nsc_attrs_cb, &t) >= 0) {
			if (info[IFLA_INFO_KIND])
				nsc_attr_str(info[IFLA_INFO_KIND], l->kind, sizeof(l->kind));
			if (info[IFLA_INFO_SLAVE_KIND])
				nsc_attr_str(info[IFLA_INFO_SLAVE_KIND], l->slave_kind,
					sizeof(l->slave_kind));
		}
	}
	return 0;
}

struct fetch {
	struct nsc_link *v;
	size_t n, cap;
	struct nsc_error *e;
};

static int fetch_cb(const struct nlmsghdr *nlh, void *data)
{
	struct fetch *f = data;

	if (nlh->nlmsg_type != RTM_NEWLINK)
		return MNL_CB_OK;
	if (NSC_GROW(f->v, f->cap, f->n + 1) < 0) {
		nsc_err(f->e, ENOMEM, "links");
		return MNL_CB_ERROR;
	}
	if (nsc_link_parse(nlh, &f->v[f->n]) == 0)
		f->n++;
	return MNL_CB_OK;
}

int nsc_link_fetch(struct nsc_sock *s, const char *ifname, int ifindex, unsigned flags,
		   struct nsc_link **out, size_t *n, struct nsc_error *e)
{
	struct nsc_getlink q = { .dump = !ifname && !ifindex, .ifname = ifname,
				 .ifindex = ifindex, .stats = flags & NSC_LINK_STATS };
	struct fetch f = { .e = e };
	int ret;

	ret = nsc_getlink(s, &q, fetch_cb, &f, e);
	if (ret < 0) {
		free(f.v);
		return ret;
	}
	*out = f.v;
	*n = f.n;
	return 0;
}

static const struct nsc_link *find(const struct nsc_link *v, size_t n, int ifindex)
{
	for (size_t i = 0; v && i < n; i++)
		if (v[i].ifindex == ifindex)
			return &v[i];
	return NULL;
}

/* The link with that index: from what we have, else from the kernel. */
static bool lookup(struct nsc_ctx *ctx, const char *netns, int ifindex,
		   const struct nsc_link *all, size_t nall,
		   const struct nsc_link *links, size_t n, struct nsc_link *out)
{
	const struct nsc_link *l = find(all, nall, ifindex);
	struct nsc_error ignore = { 0 };
	struct nsc_link *v;
	struct nsc_sock *s;
	size_t nv;

	if (!l)
		l = find(links, n, ifindex);
	if (l) {
		*out = *l;
		return true;
	}
	if (nsc_sock_get(ctx, netns, &s, &ignore) < 0 ||
	    nsc_link_fetch(s, NULL, ifindex, 0, &v, &nv, &ignore) < 0)
		return false;
	if (nv == 1)
		*out = v[0];
	free(v);
	return nv == 1;
}

int nsc_link_resolve(struct nsc_ctx *ctx, const char *netns,
		     struct nsc_link *links, size_t n,
		     const struct nsc_link *all, size_t nall, struct nsc_error *e)
{
	struct nsc_nsid_map map = { 0 };
	struct nsc_link other;

	(void)e;        /* names are a nicety: nothing here fails the caller */
	for (size_t i = 0; i < n; i++) {
		struct nsc_link *l = &links[i];

		l->master_name[0] = l->link_name[0] = l->link_netns[0] = '\0';
		l->link_up = true;
		if (l->master > 0 && lookup(ctx, netns, l->master, all, nall, links, n, &other))
			memcpy(l->master_name, other.ifname, sizeof(l->master_name));
		if (l->has_link && l->link > 0 && l->link_netnsid < 0 &&
		    lookup(ctx, netns, l->link, all, nall, links, n, &other)) {
			memcpy(l->link_name, other.ifname, sizeof(l->link_name));
			l->link_up = other.flags & IFF_UP;
		}
		if (l->link_netnsid >= 0) {
			struct nsc_error ignore = { 0 };
			const char *name;

			if (!map.loaded)
				nsc_nsid_map_load(ctx, netns, &map, &ignore);
			name = nsc_nsid_map_name(&map, l->link_netnsid);
			if (name)
				snprintf(l->link_netns, sizeof(l->link_netns), "%s", name);
		}
	}
	nsc_nsid_map_free(&map);
	return 0;
}

int nsc_link_list(struct nsc_ctx *ctx, const char *netns, const char *ifname,
		  unsigned flags, struct nsc_link **out, size_t *n,
		  struct nsc_error *e)
{
	struct nsc_sock *s;
	int ret;

	*out = NULL;
	*n = 0;
	if (ifname && (ret = nsc_ifname_check(ifname, e)) < 0)
		return ret;
	if ((ret = nsc_sock_get(ctx, netns, &s, e)) < 0)
		return ret;
	ret = nsc_link_fetch(s, ifname, 0, flags, out, n, e);
	if (ret == -ENODEV && ifname)
		return nsc_link_not_found(e, netns, ifname);
	if (ret < 0)
		return nsc_err_prefix(e, "dump links");
	if (ifname && *n == 0) {
		free(*out);
		*out = NULL;
		return nsc_link_not_found(e, netns, ifname);
	}
	/* a whole dump names every master and peer itself */
	return nsc_link_resolve(ctx, netns, *out, *n, ifname ? NULL : *out,
				ifname ? 0 : *n, e);
}
