// SPDX-License-Identifier: GPL-2.0-or-later
/* What link, addr and veth share (link_args.h). */
#include <string.h>
#include <net/if.h>
#include <sys/socket.h>
#include <linux/if_link.h>

#include "link_args.h"

enum { SH_DEV, SH_UP, SH_MASTER, SH_TYPE };

int link_selectors(struct kargs *k, bool link, struct link_sel *s)
{
	while (ka_more(k)) {
		if (ka_take(k, "up")) {
			if (ka_once(k, SH_UP))
				return EXIT_USAGE;
			s->up = true;
		} else if (link && ka_take(k, "master")) {
			if (ka_once(k, SH_MASTER) || ka_ifname(k, &s->master))
				return EXIT_USAGE;
		} else if (link && ka_take(k, "type")) {
			if (ka_once(k, SH_TYPE) || ka_value(k, &s->kind))
				return EXIT_USAGE;
		} else if (!strcmp(ka_peek(k), "dev") || !s->dev) {
			if (ka_ifname_after(k, "dev", SH_DEV, &s->dev))
				return EXIT_USAGE;
		} else {
			return ka_unexpected(k);
		}
	}
	return EXIT_OK;
}

bool link_selected(const struct link_sel *s, const struct nsc_link *l)
{
	return (!s->up || (l->flags & IFF_UP)) &&
	       (!s->master || !strcmp(l->master_name, s->master)) &&
	       (!s->kind || !strcmp(l->kind, s->kind));
}

int link_del_run(struct kargs *k, const char *missing,
		 int (*del)(struct nsc_ctx *ctx, const char *netns, const char *name,
			    struct nsc_error *e))
{
	struct nsc_error e = { 0 };
	const char *dev;
	int ret;

	if ((ret = ka_dev_only(k, missing, &dev)) != EXIT_OK)
		return ret;
	if (k->c->check_only)
		return EXIT_OK;
	if (del(k->c->ctx, k->c->netns, dev, &e) < 0)
		return cli_error(k->c, &e);
	return EXIT_OK;
}

int link_add_run(struct kargs *k, const struct nsc_link_add *a)
{
	const size_t len = strlen("link add");
	struct nsc_error e = { 0 };
	struct cli *c = k->c;

	if (nsc_link_add_check(c->netns, a, &e) == 0) {
		if (c->check_only)
			return EXIT_OK;
		if (nsc_link_add(c->ctx, c->netns, a, &e) == 0)
			return EXIT_OK;
	}
	/* the library names the request "link add": say what the user typed */
	if (!strncmp(e.msg, "link add", len) && strlen(k->verb) == len)
		memcpy(e.msg, k->verb, len);
	return cli_error(c, &e);
}

static bool is_multicast(const struct nsc_prefix *p)
{
	return p->family == AF_INET ? (p->addr[0] & 0xf0) == 0xe0 : p->addr[0] == 0xff;
}

enum { P_NAME, P_NETNS, P_ADDR };

int link_veth_args(struct kargs *k, struct nsc_link_add *a)
{
	if (ka_more(k) && !ka_take(k, "peer"))
		return ka_usage(k, "type veth: unexpected \"%s\" (peer ...)", ka_peek(k));
	k->seen = 0;
	k->part = "peer";
	while (ka_more(k)) {
		if (ka_take(k, "netns")) {
			if (ka_once(k, P_NETNS) || ka_netns(k, &a->peer_netns))
				return EXIT_USAGE;
		} else if (ka_take(k, "address")) {
			if (ka_once(k, P_ADDR) || ka_mac(k, a->peer_address))
				return EXIT_USAGE;
			a->has_peer_address = true;
		} else if (!strcmp(ka_peek(k), "mtu")) {
			return ka_usage(k, "the mtu of a veth is that of both ends: "
					"give it before \"type\"");
		} else if (!strcmp(ka_peek(k), "name") || !a->peer) {
			if (ka_ifname_after(k, "name", P_NAME, &a->peer))
				return EXIT_USAGE;
		} else {
			return ka_unexpected_in(k, "peer");
		}
	}
	return EXIT_OK;
}

enum { X_ID, X_LOCAL, X_REMOTE, X_DSTPORT, X_DEV, X_TTL };

/* remote ADDR | group ADDR: the word says which kind of address it must be */
static int vxlan_remote(struct kargs *k, struct nsc_link_add *a)
{
	const char *kw = k->argv[k->i - 1];
	bool group = kw[0] == 'g';

	if (ka_once_as(k, X_REMOTE, "remote/group") ||
	    ka_prefix(k, AF_UNSPEC, 0, &a->remote))
		return EXIT_USAGE;
	if (group != is_multicast(&a->remote))
		return ka_usage(k, "vxlan %s \"%s\" must be a %s address", kw, k->argv[k->i - 1],
				group ? "multicast" : "unicast");
	a->remote_kind = group ? NSC_VXLAN_GROUP : NSC_VXLAN_REMOTE;
	return EXIT_OK;
}

static int vxlan_kw(struct kargs *k, struct nsc_link_add *a)
{
	uint32_t u = 0;

	if (ka_take(k, "id") || ka_take(k, "vni")) {
		a->has_vni = true;
		return ka_once(k, X_ID) || ka_u32(k, 0, (1u << 24) - 1, "vxlan id", &a->vni);
	}
	if (ka_take(k, "local"))
		return ka_once(k, X_LOCAL) || ka_prefix(k, AF_UNSPEC, 0, &a->local);
	if (ka_take(k, "remote") || ka_take(k, "group"))
		return vxlan_remote(k, a);
	if (ka_take(k, "dstport")) {
		if (ka_once(k, X_DSTPORT) || ka_u32(k, 0, 65535, "dstport", &u))
			return EXIT_USAGE;
		a->dstport = (uint16_t)u;
		a->has_dstport = true;
		return EXIT_OK;
	}
	if (ka_take(k, "dev"))
		return ka_once(k, X_DEV) || ka_ifname(k, &a->dev);
	if (ka_take(k, "ttl") || ka_take(k, "hoplimit")) {
		if (ka_once_as(k, X_TTL, "ttl"))
			return EXIT_USAGE;
		if (ka_more(k) && !strcmp(ka_peek(k), "auto"))
			k->i++;
		else if (ka_u32(k, 0, 255, "ttl", &u))
			return EXIT_USAGE;
		a->ttl = (uint8_t)u;
		a->has_ttl = true;
		return EXIT_OK;
	}
	return ka_unexpected_in(k, "vxlan");
}

int link_vxlan_args(struct kargs *k, struct nsc_link_add *a)
{
	k->seen = 0;
	k->part = "vxlan";
	while (ka_more(k))
		if (vxlan_kw(k, a))
			return EXIT_USAGE;
	if (!a->has_vni)
		return ka_usage(k, "vxlan needs \"id VNI\"");
	if (a->local.family && a->remote_kind && a->local.family != a->remote.family)
		return ka_usage(k, "vxlan local and %s are of different families",
				a->remote_kind == NSC_VXLAN_GROUP ? "group" : "remote");
	if (a->remote_kind == NSC_VXLAN_GROUP && !a->dev)
		return ka_usage(k, "vxlan group needs \"dev DEV\"");
	return EXIT_OK;
}

enum { M_LINK, M_MODE };

static int macvlan_mode(struct kargs *k, struct nsc_link_add *a)
{
	static const struct { const char *name; uint32_t mode; } modes[] = {
		{ "private", MACVLAN_MODE_PRIVATE }, { "vepa", MACVLAN_MODE_VEPA },
		{ "bridge", MACVLAN_MODE_BRIDGE }, { "passthru", MACVLAN_MODE_PASSTHRU },
		{ "source", MACVLAN_MODE_SOURCE },
	};
	const char *v;

	if (ka_once(k, M_MODE) || ka_value(k, &v))
		return EXIT_USAGE;
	for (size_t m = 0; m < sizeof(modes) / sizeof(modes[0]); m++)
		if (!strcmp(v, modes[m].name))
			a->macvlan_mode = modes[m].mode;
	if (!a->macvlan_mode)
		return ka_usage(k, "unknown %s mode \"%s\" (bridge, private, vepa, passthru, "
				"source)", a->kind, v);
	return EXIT_OK;
}

int link_macvlan_args(struct kargs *k, struct nsc_link_add *a)
{
	/* "link DEV" may have come before "type" */
	k->seen = a->lower ? 1ull << M_LINK : 0;
	k->part = NULL;
	while (ka_more(k)) {
		if (ka_take(k, "link")) {
			if (ka_once(k, M_LINK) || ka_ifname(k, &a->lower))
				return EXIT_USAGE;
		} else if (ka_take(k, "mode")) {
			if (macvlan_mode(k, a))
				return EXIT_USAGE;
		} else {
			return ka_unexpected_in(k, a->kind);
		}
	}
	if (!a->lower)
		return ka_usage(k, "%s needs \"link DEV\"", a->kind);
	return EXIT_OK;
}
