// SPDX-License-Identifier: GPL-2.0-or-later
/* link add: what follows "type KIND" for the kinds that take arguments. */
#include <string.h>
#include <sys/socket.h>
#include <linux/if_link.h>

#include "kw.h"
#include "link_args.h"

static bool is_multicast(const struct nsc_prefix *p)
{
	return p->family == AF_INET ? (p->addr[0] & 0xf0) == 0xe0 : p->addr[0] == 0xff;
}

int link_veth_args(struct cli *c, int argc, char **argv, int i, struct nsc_link_add *a)
{
	struct nsc_error e = { 0 };
	uint64_t seen = 0;
	const char *v;

	if (i < argc && strcmp(argv[i], "peer"))
		return cli_usage(c, "link add: type veth: unexpected \"%s\" (peer ...)", argv[i]);
	for (i++; i < argc; i++) {
		const char *k = argv[i];

		if (!strcmp(k, "name") || (!a->peer && strcmp(k, "netns") &&
					    strcmp(k, "address") && strcmp(k, "mtu"))) {
			if (!strcmp(k, "name") && kw_value(c, "link add", argc, argv, &i, &k))
				return EXIT_USAGE;
			if (kw_once(c, "link add: peer", &seen, 1, "name"))
				return EXIT_USAGE;
			if (nsc_ifname_check(k, &e) < 0)
				return cli_error(c, &e);
			a->peer = k;
		} else if (!strcmp(k, "netns")) {
			if (kw_once(c, "link add: peer", &seen, 2, k) ||
			    kw_value(c, "link add", argc, argv, &i, &v))
				return EXIT_USAGE;
			if (nsc_name_check(v, &e) < 0)
				return cli_error(c, &e);
			a->peer_netns = v;
		} else if (!strcmp(k, "address")) {
			if (kw_once(c, "link add: peer", &seen, 4, k) ||
			    kw_value(c, "link add", argc, argv, &i, &v))
				return EXIT_USAGE;
			if (nsc_parse_mac(v, a->peer_address, &e) < 0)
				return cli_error(c, &e);
			a->has_peer_address = true;
		} else if (!strcmp(k, "mtu")) {
			return cli_usage(c, "link add: the mtu of a veth is that of both ends: "
					 "give it before \"type\"");
		} else {
			return cli_usage(c, "link add: peer: unexpected \"%s\"", k);
		}
	}
	return EXIT_OK;
}

int link_vxlan_args(struct cli *c, int argc, char **argv, int i, struct nsc_link_add *a)
{
	struct nsc_error e = { 0 };
	uint64_t seen = 0;
	uint32_t u;
	const char *v;

	for (; i < argc; i++) {
		const char *k = argv[i];

		if (!strcmp(k, "id") || !strcmp(k, "vni")) {
			if (kw_once(c, "link add: vxlan", &seen, 1, k) ||
			    kw_value(c, "link add", argc, argv, &i, &v))
				return EXIT_USAGE;
			if (nsc_parse_u32(v, 0, (1u << 24) - 1, &a->vni, "vxlan id", &e) < 0)
				return cli_error(c, &e);
			a->has_vni = true;
		} else if (!strcmp(k, "local")) {
			if (kw_once(c, "link add: vxlan", &seen, 2, k) ||
			    kw_value(c, "link add", argc, argv, &i, &v))
				return EXIT_USAGE;
			if (nsc_parse_prefix(v, AF_UNSPEC, 0, &a->local, &e) < 0)
				return cli_error(c, &e);
		} else if (!strcmp(k, "remote") || !strcmp(k, "group")) {
			bool group = k[0] == 'g';

			if (kw_once(c, "link add: vxlan", &seen, 4, "remote/group") ||
			    kw_value(c, "link add", argc, argv, &i, &v))
				return EXIT_USAGE;
			if (nsc_parse_prefix(v, AF_UNSPEC, 0, &a->remote, &e) < 0)
				return cli_error(c, &e);
			if (group != is_multicast(&a->remote))
				return cli_usage(c, "link add: vxlan %s \"%s\" must be a %s address",
						 k, v, group ? "multicast" : "unicast");
			a->remote_kind = group ? NSC_VXLAN_GROUP : NSC_VXLAN_REMOTE;
		} else if (!strcmp(k, "dstport")) {
			if (kw_once(c, "link add: vxlan", &seen, 8, k) ||
			    kw_value(c, "link add", argc, argv, &i, &v))
				return EXIT_USAGE;
			if (nsc_parse_u32(v, 0, 65535, &u, "dstport", &e) < 0)
				return cli_error(c, &e);
			a->dstport = (uint16_t)u;
			a->has_dstport = true;
		} else if (!strcmp(k, "dev")) {
			if (kw_once(c, "link add: vxlan", &seen, 16, k) ||
			    kw_value(c, "link add", argc, argv, &i, &v))
				return EXIT_USAGE;
			if (nsc_ifname_check(v, &e) < 0)
				return cli_error(c, &e);
			a->dev = v;
		} else if (!strcmp(k, "ttl") || !strcmp(k, "hoplimit")) {
			if (kw_once(c, "link add: vxlan", &seen, 32, "ttl") ||
			    kw_value(c, "link add", argc, argv, &i, &v))
				return EXIT_USAGE;
			u = 0;
			if (strcmp(v, "auto") && nsc_parse_u32(v, 0, 255, &u, "ttl", &e) < 0)
				return cli_error(c, &e);
			a->ttl = (uint8_t)u;
			a->has_ttl = true;
		} else {
			return cli_usage(c, "link add: vxlan: unexpected \"%s\"", k);
		}
	}
	if (!a->has_vni)
		return cli_usage(c, "link add: vxlan needs \"id VNI\"");
	if (a->local.family && a->remote_kind && a->local.family != a->remote.family)
		return cli_usage(c, "link add: vxlan local and %s are of different families",
				 a->remote_kind == NSC_VXLAN_GROUP ? "group" : "remote");
	if (a->remote_kind == NSC_VXLAN_GROUP && !a->dev)
		return cli_usage(c, "link add: vxlan group needs \"dev DEV\"");
	return EXIT_OK;
}

int link_macvlan_args(struct cli *c, int argc, char **argv, int i, struct nsc_link_add *a)
{
	static const struct { const char *name; uint32_t mode; } modes[] = {
		{ "private", MACVLAN_MODE_PRIVATE }, { "vepa", MACVLAN_MODE_VEPA },
		{ "bridge", MACVLAN_MODE_BRIDGE }, { "passthru", MACVLAN_MODE_PASSTHRU },
		{ "source", MACVLAN_MODE_SOURCE },
	};
	struct nsc_error e = { 0 };
	uint64_t seen = a->lower ? 1 : 0;
	const char *v;

	for (; i < argc; i++) {
		const char *k = argv[i];

		if (!strcmp(k, "link")) {
			if (kw_once(c, "link add", &seen, 1, k) ||
			    kw_value(c, "link add", argc, argv, &i, &v))
				return EXIT_USAGE;
			if (nsc_ifname_check(v, &e) < 0)
				return cli_error(c, &e);
			a->lower = v;
		} else if (!strcmp(k, "mode")) {
			if (kw_once(c, "link add", &seen, 2, k) ||
			    kw_value(c, "link add", argc, argv, &i, &v))
				return EXIT_USAGE;
			for (size_t m = 0; m < sizeof(modes) / sizeof(modes[0]); m++)
				if (!strcmp(v, modes[m].name))
					a->macvlan_mode = modes[m].mode;
			if (!a->macvlan_mode)
				return cli_usage(c, "link add: unknown %s mode \"%s\" "
						 "(bridge, private, vepa, passthru, source)",
						 a->kind, v);
		} else {
			return cli_usage(c, "link add: %s: unexpected \"%s\"", a->kind, k);
		}
	}
	if (!a->lower)
		return cli_usage(c, "link add: %s needs \"link DEV\"", a->kind);
	return EXIT_OK;
}
