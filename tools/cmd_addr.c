// SPDX-License-Identifier: GPL-2.0-or-later
/* addr show|add|del|flush: ip address's grammar, inside -n's namespace. */
#include <stdlib.h>
#include <string.h>
#include <net/if.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>

#include "kw.h"
#include "print_link.h"

static const char addr_help[] =
	"Usage: netnsctl [-n NS] [-4|-6] addr [show] [[dev] DEV] [up]\n"
	"       netnsctl [-n NS] addr add [local] PREFIX dev DEV [broadcast ADDR|+|-]\n"
	"                                 [label LABEL] [scope SCOPE] [nodad]\n"
	"                                 [noprefixroute] [home] [mngtmpaddr]\n"
	"                                 [valid_lft LFT] [preferred_lft LFT]\n"
	"       netnsctl [-n NS] addr del [local] PREFIX dev DEV [label LABEL]\n"
	"       netnsctl [-n NS] [-4|-6] addr flush [dev] DEV\n"
	"PREFIX := ADDR[/LEN] (no LEN: /32 or /128 on add, any length on del)\n"
	"SCOPE := host | link | global | site | NUMBER;  LFT := forever | SECONDS\n";

/* ---- show ---- */

static bool has_addr(const struct nsc_link *l, const struct nsc_addr *a, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (a[i].ifindex == l->ifindex)
			return true;
	return false;
}

static int addr_show(struct cli *c, int argc, char **argv)
{
	struct nsc_error e = { 0 };
	struct nsc_link *links = NULL;
	struct nsc_addr *addrs = NULL;
	const char *dev = NULL;
	size_t nl = 0, na = 0;
	uint64_t seen = 0;
	bool up = false;
	int ret = EXIT_OK;

	for (int i = 1; i < argc; i++) {
		const char *k = argv[i];

		if (!strcmp(k, "up")) {
			if (kw_once(c, "addr show", &seen, 2, k))
				return EXIT_USAGE;
			up = true;
		} else if (!strcmp(k, "dev") || !dev) {
			if (!strcmp(k, "dev") && kw_value(c, "addr show", argc, argv, &i, &k))
				return EXIT_USAGE;
			if (kw_once(c, "addr show", &seen, 1, "dev"))
				return EXIT_USAGE;
			if (nsc_ifname_check(k, &e) < 0)
				return cli_error(c, &e);
			dev = k;
		} else {
			return cli_usage(c, "addr show: unexpected \"%s\"", k);
		}
	}
	if (c->check_only)
		return EXIT_OK;
	if (nsc_link_list(c->ctx, c->netns, dev, c->stats ? NSC_LINK_STATS : 0, &links, &nl,
			  &e) < 0 ||
	    nsc_addr_list(c->ctx, c->netns, c->family, dev ? links[0].ifindex : 0,
			  &addrs, &na, &e) < 0) {
		ret = cli_error(c, &e);
		goto out;
	}
	if (c->json)
		json_arr_open(c->js);
	for (size_t i = 0; i < nl; i++) {
		if (up && !(links[i].flags & IFF_UP))
			continue;
		/* with -4/-6, ip leaves out links without such an address */
		if (c->family != AF_UNSPEC && !has_addr(&links[i], addrs, na))
			continue;
		if (c->brief)
			print_link_addrs_brief(c, &links[i], addrs, na);
		else
			print_link_addrs(c, &links[i], addrs, na);
	}
	if (c->json) {
		json_arr_close(c->js);
		cli_json_end(c);
	}
out:
	free(links);
	free(addrs);
	return ret;
}

/* ---- add, del ---- */

enum {
	A_LOCAL = 1, A_DEV = 2, A_BRD = 4, A_LABEL = 8, A_SCOPE = 16, A_NODAD = 32,
	A_NOPREFIXROUTE = 64, A_VALID = 128, A_PREFERRED = 256, A_HOME = 512,
	A_MNGTMPADDR = 1024,
};

static int parse_scope(struct cli *c, const char *s, int *scope)
{
	static const struct { const char *name; int scope; } names[] = {
		{ "global", RT_SCOPE_UNIVERSE }, { "site", RT_SCOPE_SITE },
		{ "link", RT_SCOPE_LINK }, { "host", RT_SCOPE_HOST },
		{ "nowhere", RT_SCOPE_NOWHERE },
	};
	struct nsc_error e = { 0 };
	uint32_t v;

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!strcmp(s, names[i].name)) {
			*scope = names[i].scope;
			return EXIT_OK;
		}
	}
	if (nsc_parse_u32(s, 0, 255, &v, "scope", &e) < 0)
		return cli_error(c, &e);
	*scope = (int)v;
	return EXIT_OK;
}

static int parse_lft(struct cli *c, const char *s, const char *what, uint32_t *v)
{
	struct nsc_error e = { 0 };

	if (!strcmp(s, "forever")) {
		*v = NSC_LIFETIME_FOREVER;
		return EXIT_OK;
	}
	if (nsc_parse_u32(s, 0, NSC_LIFETIME_FOREVER - 1, v, what, &e) < 0)
		return cli_error(c, &e);
	return EXIT_OK;
}

static const struct { const char *name; uint64_t bit; uint32_t flag; } flag_kw[] = {
	{ "nodad", A_NODAD, IFA_F_NODAD },
	{ "noprefixroute", A_NOPREFIXROUTE, IFA_F_NOPREFIXROUTE },
	{ "home", A_HOME, IFA_F_HOMEADDRESS },
	{ "mngtmpaddr", A_MNGTMPADDR, IFA_F_MANAGETEMPADDR },
};

static int flag_kw_bit(const char *k)
{
	for (size_t i = 0; i < sizeof(flag_kw) / sizeof(flag_kw[0]); i++)
		if (!strcmp(k, flag_kw[i].name))
			return (int)i;
	return -1;
}

static int addr_change(struct cli *c, int argc, char **argv, bool add)
{
	const char *cmd = add ? "addr add" : "addr del";
	struct nsc_addr_req r = { .scope = -1, .valid_lft = NSC_LIFETIME_FOREVER,
				  .preferred_lft = NSC_LIFETIME_FOREVER };
	struct nsc_error e = { 0 };
	const char *v, *brd = NULL;
	uint64_t seen = 0;
	int f;

	for (int i = 1; i < argc; i++) {
		const char *k = argv[i];

		if (!strcmp(k, "dev")) {
			if (kw_once(c, cmd, &seen, A_DEV, k) || kw_value(c, cmd, argc, argv, &i, &v))
				return EXIT_USAGE;
			if (nsc_ifname_check(v, &e) < 0)
				return cli_error(c, &e);
			r.dev = v;
		} else if (!strcmp(k, "broadcast") || !strcmp(k, "brd")) {
			if (kw_once(c, cmd, &seen, A_BRD, "broadcast") ||
			    kw_value(c, cmd, argc, argv, &i, &brd))
				return EXIT_USAGE;
		} else if (!strcmp(k, "label")) {
			if (kw_once(c, cmd, &seen, A_LABEL, k) ||
			    kw_value(c, cmd, argc, argv, &i, &r.label))
				return EXIT_USAGE;
		} else if (!strcmp(k, "scope")) {
			if (kw_once(c, cmd, &seen, A_SCOPE, k) ||
			    kw_value(c, cmd, argc, argv, &i, &v) || parse_scope(c, v, &r.scope))
				return EXIT_USAGE;
		} else if ((f = flag_kw_bit(k)) >= 0) {
			if (kw_once(c, cmd, &seen, flag_kw[f].bit, k))
				return EXIT_USAGE;
			r.flags |= flag_kw[f].flag;
		} else if (!strcmp(k, "valid_lft")) {
			if (kw_once(c, cmd, &seen, A_VALID, k) ||
			    kw_value(c, cmd, argc, argv, &i, &v) ||
			    parse_lft(c, v, "valid_lft", &r.valid_lft))
				return EXIT_USAGE;
			r.has_lft = true;
		} else if (!strcmp(k, "preferred_lft")) {
			if (kw_once(c, cmd, &seen, A_PREFERRED, k) ||
			    kw_value(c, cmd, argc, argv, &i, &v) ||
			    parse_lft(c, v, "preferred_lft", &r.preferred_lft))
				return EXIT_USAGE;
			r.has_lft = true;
		} else if (!strcmp(k, "local") || !(seen & A_LOCAL)) {
			if (!strcmp(k, "local") && kw_value(c, cmd, argc, argv, &i, &k))
				return EXIT_USAGE;
			if (kw_once(c, cmd, &seen, A_LOCAL, "local"))
				return EXIT_USAGE;
			if (nsc_parse_prefix(k, c->family, NSC_PREFIX_ALLOW_LEN, &r.local, &e) < 0)
				return cli_error(c, &e);
		} else {
			return cli_usage(c, "%s: unexpected \"%s\"", cmd, k);
		}
	}
	if (!(seen & A_LOCAL))
		return cli_usage(c, "%s: missing PREFIX", cmd);
	if (!r.dev)
		return cli_usage(c, "%s: missing \"dev DEV\"", cmd);
	if (brd) {
		if (r.local.family != AF_INET)
			return cli_usage(c, "%s: broadcast is for IPv4 addresses only", cmd);
		if (!strcmp(brd, "+")) {
			r.brd = NSC_BRD_PLUS;
		} else if (!strcmp(brd, "-")) {
			r.brd = NSC_BRD_MINUS;
		} else {
			if (nsc_parse_prefix(brd, AF_INET, 0, &r.broadcast, &e) < 0)
				return cli_error(c, &e);
			r.brd = NSC_BRD_ADDR;
		}
	}
	if (r.label) {
		/* ip's rule: an IPv4 label is the device name, then an alias part */
		if (strncmp(r.label, r.dev, strlen(r.dev)))
			return cli_usage(c, "%s: label \"%s\" must start with the device name \"%s\"",
					 cmd, r.label, r.dev);
		if (strlen(r.label) >= IFNAMSIZ)
			return cli_usage(c, "%s: label \"%s\" is longer than %d bytes", cmd,
					 r.label, IFNAMSIZ - 1);
	}
	if (r.has_lft) {
		if (r.valid_lft == 0)
			return cli_usage(c, "%s: valid_lft is zero", cmd);
		if (r.preferred_lft > r.valid_lft)
			return cli_usage(c, "%s: preferred_lft is greater than valid_lft", cmd);
	}
	if (c->check_only)
		return EXIT_OK;
	if ((add ? nsc_addr_add : nsc_addr_del)(c->ctx, c->netns, &r, &e) < 0)
		return cli_error(c, &e);
	return EXIT_OK;
}

/* ---- flush ---- */

static int addr_flush(struct cli *c, int argc, char **argv)
{
	struct nsc_error e = { 0 };
	unsigned count;
	int i = 1;

	if (i < argc && !strcmp(argv[i], "dev"))
		i++;
	if (i >= argc)
		return cli_usage(c, "addr flush: missing device name");
	if (i + 1 < argc)
		return cli_usage(c, "addr flush: unexpected \"%s\"", argv[i + 1]);
	if (nsc_ifname_check(argv[i], &e) < 0)
		return cli_error(c, &e);
	if (c->check_only)
		return EXIT_OK;
	if (nsc_addr_flush(c->ctx, c->netns, argv[i], c->family, &count, &e) < 0)
		return cli_error(c, &e);
	return EXIT_OK;
}

int cmd_addr(struct cli *c, int argc, char **argv)
{
	const char *sub = argc > 1 ? argv[1] : "show";

	if (cli_help(argc, argv, addr_help))
		return EXIT_OK;
	if (argc > 2 && cli_help(argc - 1, argv + 1, addr_help))
		return EXIT_OK;
	if (argc < 2)
		return addr_show(c, argc, argv);
	if (kw_is_show(sub))
		return addr_show(c, argc - 1, argv + 1);
	if (!strcmp(sub, "add"))
		return addr_change(c, argc - 1, argv + 1, true);
	if (!strcmp(sub, "del") || !strcmp(sub, "delete"))
		return addr_change(c, argc - 1, argv + 1, false);
	if (!strcmp(sub, "flush"))
		return addr_flush(c, argc - 1, argv + 1);
	return cli_usage(c, "addr: unknown command \"%s\" (try: netnsctl addr help)", sub);
}
