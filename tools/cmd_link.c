// SPDX-License-Identifier: GPL-2.0-or-later
/* link show|add|del|set: ip link's grammar, inside -n's namespace. */
#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <linux/if_link.h>
#include <net/if.h>

#include "kw.h"
#include "link_args.h"
#include "print_link.h"

static const char link_help[] =
	"Usage: netnsctl [-n NS] link [show] [[dev] DEV] [up] [master DEV] [type KIND]\n"
	"       netnsctl [-n NS] link add [name] NAME [mtu N] [address MAC] [txqueuelen N]\n"
	"                                 [netns NS] [link DEV] type KIND [ARGS]\n"
	"       netnsctl [-n NS] link del [dev] DEV\n"
	"       netnsctl [-n NS] link set [dev] DEV [up|down] [mtu N] [address MAC]\n"
	"                                 [name NEW] [master BR|nomaster] [netns NS]\n"
	"                                 [txqueuelen N]\n"
	"KIND and ARGS:\n"
	"  veth [peer [name] PEER [netns NS] [address MAC]]\n"
	"  bridge\n"
	"  vxlan id VNI [local ADDR] [remote ADDR | group ADDR] [dstport PORT]\n"
	"        [dev DEV] [ttl N|auto]\n"
	"  macvlan|macvtap link DEV [mode bridge|private|vepa|passthru|source]\n"
	"  any other kind the kernel knows (ifb, ...), without arguments\n"
	"Global -s adds counters to show, -br one line per link, -j JSON.\n";

/* ---- show ---- */

static int link_show(struct cli *c, int argc, char **argv)
{
	const char *dev = NULL, *master = NULL, *kind = NULL;
	struct nsc_error e = { 0 };
	struct nsc_link *v;
	bool up = false;
	uint64_t seen = 0;
	size_t n;

	for (int i = 1; i < argc; i++) {
		const char *k = argv[i];

		if (!strcmp(k, "dev") || (!dev && strcmp(k, "up") && strcmp(k, "master") &&
					   strcmp(k, "type"))) {
			if (!strcmp(k, "dev") && kw_value(c, "link show", argc, argv, &i, &k))
				return EXIT_USAGE;
			if (kw_once(c, "link show", &seen, 1, "dev"))
				return EXIT_USAGE;
			dev = k;
			if (nsc_ifname_check(dev, &e) < 0)
				return cli_error(c, &e);
		} else if (!strcmp(k, "up")) {
			if (kw_once(c, "link show", &seen, 2, k))
				return EXIT_USAGE;
			up = true;
		} else if (!strcmp(k, "master")) {
			if (kw_once(c, "link show", &seen, 4, k) ||
			    kw_value(c, "link show", argc, argv, &i, &master))
				return EXIT_USAGE;
			if (nsc_ifname_check(master, &e) < 0)
				return cli_error(c, &e);
		} else if (!strcmp(k, "type")) {
			if (kw_once(c, "link show", &seen, 8, k) ||
			    kw_value(c, "link show", argc, argv, &i, &kind))
				return EXIT_USAGE;
		} else {
			return cli_usage(c, "link show: unexpected \"%s\"", k);
		}
	}
	if (c->check_only)
		return EXIT_OK;
	if (nsc_link_list(c->ctx, c->netns, dev, c->stats ? NSC_LINK_STATS : 0, &v, &n, &e) < 0)
		return cli_error(c, &e);
	if (c->json)
		json_arr_open(c->js);
	for (size_t i = 0; i < n; i++) {
		if ((up && !(v[i].flags & IFF_UP)) ||
		    (master && strcmp(v[i].master_name, master)) ||
		    (kind && strcmp(v[i].kind, kind)))
			continue;
		if (c->brief)
			print_link_brief(c, &v[i]);
		else
			print_link(c, &v[i]);
	}
	if (c->json) {
		json_arr_close(c->js);
		cli_json_end(c);
	}
	free(v);
	return EXIT_OK;
}

/* ---- add ---- */

static bool kind_ok(const char *k)
{
	if (!*k || strlen(k) >= 16)
		return false;
	for (; *k; k++)
		if (!isalnum((unsigned char)*k) && *k != '_' && *k != '-')
			return false;
	return true;
}

static int parse_mtu(struct cli *c, const char *s, uint32_t *mtu)
{
	struct nsc_error e = { 0 };

	/* the kernel checks each device's own range and says so */
	if (nsc_parse_u32(s, 1, INT_MAX, mtu, "mtu", &e) < 0)
		return cli_error(c, &e);
	return EXIT_OK;
}

enum { A_NAME = 1, A_MTU = 2, A_ADDR = 4, A_TXQ = 8, A_NETNS = 16, A_LINK = 32 };

/*
 * The part before "type": the new link's own options. *at: the index of
 * "type" (argc when missing).
 */
static int add_common(struct cli *c, int argc, char **argv, struct nsc_link_add *a,
		      int *at)
{
	struct nsc_error e = { 0 };
	uint64_t seen = 0;
	const char *v;
	int i;

	for (i = 1; i < argc && strcmp(argv[i], "type"); i++) {
		const char *k = argv[i];

		if (!strcmp(k, "mtu")) {
			if (kw_once(c, "link add", &seen, A_MTU, k) ||
			    kw_value(c, "link add", argc, argv, &i, &v) ||
			    parse_mtu(c, v, &a->mtu))
				return EXIT_USAGE;
		} else if (!strcmp(k, "address")) {
			if (kw_once(c, "link add", &seen, A_ADDR, k) ||
			    kw_value(c, "link add", argc, argv, &i, &v))
				return EXIT_USAGE;
			if (nsc_parse_mac(v, a->address, &e) < 0)
				return cli_error(c, &e);
			a->has_address = true;
		} else if (!strcmp(k, "txqueuelen") || !strcmp(k, "txqlen") || !strcmp(k, "qlen")) {
			if (kw_once(c, "link add", &seen, A_TXQ, "txqueuelen") ||
			    kw_value(c, "link add", argc, argv, &i, &v))
				return EXIT_USAGE;
			if (nsc_parse_u32(v, 0, UINT32_MAX, &a->txqlen, "txqueuelen", &e) < 0)
				return cli_error(c, &e);
			a->has_txqlen = true;
		} else if (!strcmp(k, "netns")) {
			if (kw_once(c, "link add", &seen, A_NETNS, k) ||
			    kw_value(c, "link add", argc, argv, &i, &v))
				return EXIT_USAGE;
			if (nsc_name_check(v, &e) < 0)
				return cli_error(c, &e);
			a->netns = v;
		} else if (!strcmp(k, "link")) {
			if (kw_once(c, "link add", &seen, A_LINK, k) ||
			    kw_value(c, "link add", argc, argv, &i, &v))
				return EXIT_USAGE;
			if (nsc_ifname_check(v, &e) < 0)
				return cli_error(c, &e);
			a->lower = v;
		} else if (!strcmp(k, "name") || !a->name) {
			if (!strcmp(k, "name") && kw_value(c, "link add", argc, argv, &i, &k))
				return EXIT_USAGE;
			if (kw_once(c, "link add", &seen, A_NAME, "name"))
				return EXIT_USAGE;
			if (nsc_ifname_check(k, &e) < 0)
				return cli_error(c, &e);
			a->name = k;
		} else {
			return cli_usage(c, "link add: unexpected \"%s\"", k);
		}
	}
	*at = i;
	return EXIT_OK;
}

static int link_add(struct cli *c, int argc, char **argv)
{
	struct nsc_link_add a = { 0 };
	struct nsc_error e = { 0 };
	int i, ret;

	if ((ret = add_common(c, argc, argv, &a, &i)) != EXIT_OK)
		return ret;
	if (!a.name)
		return cli_usage(c, "link add: missing NAME");
	if (i >= argc)
		return cli_usage(c, "link add: missing \"type KIND\"");
	if (kw_value(c, "link add", argc, argv, &i, &a.kind))
		return EXIT_USAGE;
	if (!kind_ok(a.kind))
		return cli_usage(c, "link add: invalid link type \"%s\"", a.kind);
	i++;
	if (a.lower && strcmp(a.kind, "macvlan") && strcmp(a.kind, "macvtap"))
		return cli_usage(c, "link add: \"link DEV\" applies to macvlan and macvtap only");
	if (!strcmp(a.kind, "veth"))
		ret = link_veth_args(c, argc, argv, i, &a);
	else if (!strcmp(a.kind, "vxlan"))
		ret = link_vxlan_args(c, argc, argv, i, &a);
	else if (!strcmp(a.kind, "macvlan") || !strcmp(a.kind, "macvtap"))
		ret = link_macvlan_args(c, argc, argv, i, &a);
	else if (i < argc)
		ret = cli_usage(c, "link add: type %s: unexpected \"%s\"", a.kind, argv[i]);
	else
		ret = EXIT_OK;
	if (ret != EXIT_OK)
		return ret;
	if (nsc_link_add_check(c->netns, &a, &e) < 0)
		return cli_error(c, &e);
	if (c->check_only)
		return EXIT_OK;
	if (nsc_link_add(c->ctx, c->netns, &a, &e) < 0)
		return cli_error(c, &e);
	return EXIT_OK;
}

/* ---- del ---- */

/* "[dev] DEV" and nothing else */
static int only_dev(struct cli *c, const char *cmd, int argc, char **argv, const char **dev)
{
	struct nsc_error e = { 0 };
	int i = 1;

	if (i < argc && !strcmp(argv[i], "dev"))
		i++;
	if (i >= argc)
		return cli_usage(c, "%s: missing device name", cmd);
	if (i + 1 < argc)
		return cli_usage(c, "%s: unexpected \"%s\"", cmd, argv[i + 1]);
	if (nsc_ifname_check(argv[i], &e) < 0)
		return cli_error(c, &e);
	*dev = argv[i];
	return EXIT_OK;
}

static int link_del(struct cli *c, int argc, char **argv)
{
	struct nsc_error e = { 0 };
	const char *dev = NULL;
	int ret;

	if ((ret = only_dev(c, "link del", argc, argv, &dev)) != EXIT_OK)
		return ret;
	if (c->check_only)
		return EXIT_OK;
	if (nsc_link_del(c->ctx, c->netns, dev, &e) < 0)
		return cli_error(c, &e);
	return EXIT_OK;
}

/* ---- set ---- */

enum {
	S_DEV = 1, S_UPDOWN = 2, S_MTU = 4, S_ADDR = 8, S_NAME = 16, S_MASTER = 32,
	S_NETNS = 64, S_TXQ = 128,
};

static int link_set(struct cli *c, int argc, char **argv)
{
	struct nsc_link_change ch = { 0 };
	struct nsc_error e = { 0 };
	const char *dev = NULL, *v;
	uint64_t seen = 0;

	for (int i = 1; i < argc; i++) {
		const char *k = argv[i];

		if (!strcmp(k, "up") || !strcmp(k, "down")) {
			if (seen & S_UPDOWN)
				return cli_usage(c, "link set: \"%s\" after \"%s\"", k,
						 ch.up ? "up" : "down");
			seen |= S_UPDOWN;
			ch.up = k[0] == 'u';
			ch.down = !ch.up;
		} else if (!strcmp(k, "mtu")) {
			if (kw_once(c, "link set", &seen, S_MTU, k) ||
			    kw_value(c, "link set", argc, argv, &i, &v) ||
			    parse_mtu(c, v, &ch.mtu))
				return EXIT_USAGE;
		} else if (!strcmp(k, "address")) {
			if (kw_once(c, "link set", &seen, S_ADDR, k) ||
			    kw_value(c, "link set", argc, argv, &i, &v))
				return EXIT_USAGE;
			if (nsc_parse_mac(v, ch.address, &e) < 0)
				return cli_error(c, &e);
			ch.has_address = true;
		} else if (!strcmp(k, "name")) {
			if (kw_once(c, "link set", &seen, S_NAME, k) ||
			    kw_value(c, "link set", argc, argv, &i, &v))
				return EXIT_USAGE;
			if (nsc_ifname_check(v, &e) < 0)
				return cli_error(c, &e);
			ch.name = v;
		} else if (!strcmp(k, "master") || !strcmp(k, "nomaster")) {
			if (seen & S_MASTER)
				return cli_usage(c, "link set: \"%s\" after \"%s\"", k,
						 ch.nomaster ? "nomaster" : "master");
			seen |= S_MASTER;
			if (k[0] == 'n') {
				ch.nomaster = true;
				continue;
			}
			if (kw_value(c, "link set", argc, argv, &i, &v))
				return EXIT_USAGE;
			if (nsc_ifname_check(v, &e) < 0)
				return cli_error(c, &e);
			ch.master = v;
		} else if (!strcmp(k, "netns")) {
			if (kw_once(c, "link set", &seen, S_NETNS, k) ||
			    kw_value(c, "link set", argc, argv, &i, &v))
				return EXIT_USAGE;
			if (nsc_name_check(v, &e) < 0)
				return cli_error(c, &e);
			ch.netns = v;
		} else if (!strcmp(k, "txqueuelen") || !strcmp(k, "txqlen") || !strcmp(k, "qlen")) {
			if (kw_once(c, "link set", &seen, S_TXQ, "txqueuelen") ||
			    kw_value(c, "link set", argc, argv, &i, &v))
				return EXIT_USAGE;
			if (nsc_parse_u32(v, 0, UINT32_MAX, &ch.txqlen, "txqueuelen", &e) < 0)
				return cli_error(c, &e);
			ch.has_txqlen = true;
		} else if (!strcmp(k, "dev") || !(seen & S_DEV)) {
			if (!strcmp(k, "dev") && kw_value(c, "link set", argc, argv, &i, &k))
				return EXIT_USAGE;
			if (kw_once(c, "link set", &seen, S_DEV, "dev"))
				return EXIT_USAGE;
			if (nsc_ifname_check(k, &e) < 0)
				return cli_error(c, &e);
			dev = k;
		} else {
			return cli_usage(c, "link set: unknown keyword \"%s\"", k);
		}
	}
	if (!dev)
		return cli_usage(c, "link set: missing device name");
	if (seen == S_DEV)
		return cli_usage(c, "link set \"%s\": nothing to change", dev);
	if (c->check_only)
		return EXIT_OK;
	if (nsc_link_set(c->ctx, c->netns, dev, &ch, &e) < 0)
		return cli_error(c, &e);
	return EXIT_OK;
}

int cmd_link(struct cli *c, int argc, char **argv)
{
	const char *sub = argc > 1 ? argv[1] : "show";

	if (cli_help(argc, argv, link_help))
		return EXIT_OK;
	if (argc > 2 && cli_help(argc - 1, argv + 1, link_help))
		return EXIT_OK;
	if (argc < 2)
		return link_show(c, argc, argv);
	if (kw_is_show(sub))
		return link_show(c, argc - 1, argv + 1);
	if (!strcmp(sub, "add"))
		return link_add(c, argc - 1, argv + 1);
	if (!strcmp(sub, "del") || !strcmp(sub, "delete"))
		return link_del(c, argc - 1, argv + 1);
	if (!strcmp(sub, "set"))
		return link_set(c, argc - 1, argv + 1);
	return cli_usage(c, "link: unknown command \"%s\" (try: netnsctl link help)", sub);
}
