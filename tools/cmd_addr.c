// SPDX-License-Identifier: GPL-2.0-or-later
/* addr show|add|del|flush: ip address's grammar, inside -n's namespace. */
#include <stdlib.h>
#include <string.h>
#include <net/if.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>

#include "link_args.h"
#include "print_link.h"
#include "subcmd.h"

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

static int addr_show(struct kargs *k)
{
	struct nsc_error e = { 0 };
	struct nsc_link *links = NULL;
	struct nsc_addr *addrs = NULL;
	struct link_sel sel = { 0 };
	struct cli *c = k->c;
	size_t nl = 0, na = 0;
	int ret = EXIT_OK;

	if (link_selectors(k, false, &sel) != EXIT_OK)
		return EXIT_USAGE;
	if (c->check_only)
		return EXIT_OK;
	if (nsc_link_list(c->ctx, c->netns, sel.dev, c->stats ? NSC_LINK_STATS : 0, &links, &nl,
			  &e) < 0 ||
	    nsc_addr_list(c->ctx, c->netns, c->family, sel.dev ? links[0].ifindex : 0,
			  &addrs, &na, &e) < 0) {
		ret = cli_error(c, &e);
		goto out;
	}
	cli_list_open(c);
	for (size_t i = 0; i < nl; i++) {
		if (!link_selected(&sel, &links[i]))
			continue;
		/* with -4/-6, ip leaves out links without such an address */
		if (c->family != AF_UNSPEC && !has_addr(&links[i], addrs, na))
			continue;
		if (c->brief)
			print_link_addrs_brief(c, &links[i], addrs, na);
		else
			print_link_addrs(c, &links[i], addrs, na);
	}
	cli_list_close(c);
out:
	free(links);
	free(addrs);
	return ret;
}

/* ---- add, del ---- */

enum {
	A_LOCAL, A_DEV, A_BRD, A_LABEL, A_SCOPE, A_NODAD, A_NOPREFIXROUTE, A_VALID,
	A_PREFERRED, A_HOME, A_MNGTMPADDR,
};

static int parse_scope(struct kargs *k, int *scope)
{
	static const struct { const char *name; int scope; } names[] = {
		{ "global", RT_SCOPE_UNIVERSE }, { "site", RT_SCOPE_SITE },
		{ "link", RT_SCOPE_LINK }, { "host", RT_SCOPE_HOST },
		{ "nowhere", RT_SCOPE_NOWHERE },
	};
	struct nsc_error e = { 0 };
	const char *s;
	uint32_t v;

	if (ka_value(k, &s))
		return EXIT_USAGE;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!strcmp(s, names[i].name)) {
			*scope = names[i].scope;
			return EXIT_OK;
		}
	}
	if (nsc_parse_u32(s, 0, 255, &v, "scope", &e) < 0)
		return ka_fail(k, &e);
	*scope = (int)v;
	return EXIT_OK;
}

/* valid_lft, preferred_lft: forever or seconds */
static int parse_lft(struct kargs *k, uint32_t *v)
{
	const char *what = k->argv[k->i - 1], *s;
	struct nsc_error e = { 0 };

	if (ka_value(k, &s))
		return EXIT_USAGE;
	if (!strcmp(s, "forever")) {
		*v = NSC_LIFETIME_FOREVER;
		return EXIT_OK;
	}
	if (nsc_parse_u32(s, 0, NSC_LIFETIME_FOREVER - 1, v, what, &e) < 0)
		return ka_fail(k, &e);
	return EXIT_OK;
}

static const struct { const char *name; unsigned slot; uint32_t flag; } flag_kw[] = {
	{ "nodad", A_NODAD, IFA_F_NODAD },
	{ "noprefixroute", A_NOPREFIXROUTE, IFA_F_NOPREFIXROUTE },
	{ "home", A_HOME, IFA_F_HOMEADDRESS },
	{ "mngtmpaddr", A_MNGTMPADDR, IFA_F_MANAGETEMPADDR },
};

/* One keyword of add or del, or the PREFIX; *brd: broadcast's word, checked later. */
static int change_kw(struct kargs *k, struct nsc_addr_req *r, const char **brd)
{
	struct nsc_error e = { 0 };
	const char *v;

	for (size_t f = 0; f < sizeof(flag_kw) / sizeof(flag_kw[0]); f++) {
		if (ka_take(k, flag_kw[f].name)) {
			r->flags |= flag_kw[f].flag;
			return ka_once(k, flag_kw[f].slot);
		}
	}
	if (ka_take(k, "dev"))
		return ka_once(k, A_DEV) || ka_ifname(k, &r->dev);
	if (ka_take(k, "broadcast") || ka_take(k, "brd"))
		return ka_once_as(k, A_BRD, "broadcast") || ka_value(k, brd);
	if (ka_take(k, "label"))
		return ka_once(k, A_LABEL) || ka_value(k, &r->label);
	if (ka_take(k, "scope"))
		return ka_once(k, A_SCOPE) || parse_scope(k, &r->scope);
	if (ka_take(k, "valid_lft")) {
		r->has_lft = true;
		return ka_once(k, A_VALID) || parse_lft(k, &r->valid_lft);
	}
	if (ka_take(k, "preferred_lft")) {
		r->has_lft = true;
		return ka_once(k, A_PREFERRED) || parse_lft(k, &r->preferred_lft);
	}
	if (!strcmp(ka_peek(k), "local") || !(k->seen & (1ull << A_LOCAL))) {
		if (ka_value_after(k, "local", &v) || ka_once_as(k, A_LOCAL, "local"))
			return EXIT_USAGE;
		if (nsc_parse_prefix(v, k->c->family, NSC_PREFIX_ALLOW_LEN, &r->local, &e) < 0)
			return ka_fail(k, &e);
		return EXIT_OK;
	}
	return ka_unexpected(k);
}

/* broadcast ADDR|+|-: IPv4 only */
static int parse_brd(struct kargs *k, const char *brd, struct nsc_addr_req *r)
{
	struct nsc_error e = { 0 };

	if (r->local.family != AF_INET)
		return ka_usage(k, "broadcast is for IPv4 addresses only");
	if (!strcmp(brd, "+")) {
		r->brd = NSC_BRD_PLUS;
	} else if (!strcmp(brd, "-")) {
		r->brd = NSC_BRD_MINUS;
	} else {
		if (nsc_parse_prefix(brd, AF_INET, 0, &r->broadcast, &e) < 0)
			return ka_fail(k, &e);
		r->brd = NSC_BRD_ADDR;
	}
	return EXIT_OK;
}

/* What ip checks across keywords: the label's form, the lifetimes' order. */
static int check_change(struct kargs *k, const struct nsc_addr_req *r)
{
	if (r->label) {
		/* ip's rule: an IPv4 label is the device name, then an alias part */
		if (strncmp(r->label, r->dev, strlen(r->dev)))
			return ka_usage(k, "label \"%s\" must start with the device name \"%s\"",
					r->label, r->dev);
		if (strlen(r->label) >= IFNAMSIZ)
			return ka_usage(k, "label \"%s\" is longer than %d bytes", r->label,
					IFNAMSIZ - 1);
	}
	if (r->has_lft) {
		if (r->valid_lft == 0)
			return ka_usage(k, "valid_lft is zero");
		if (r->preferred_lft > r->valid_lft)
			return ka_usage(k, "preferred_lft is greater than valid_lft");
	}
	return EXIT_OK;
}

enum { OP_ADD, OP_DEL };

static int addr_change(struct kargs *k)
{
	struct nsc_addr_req r = { .scope = -1, .valid_lft = NSC_LIFETIME_FOREVER,
				  .preferred_lft = NSC_LIFETIME_FOREVER };
	struct nsc_error e = { 0 };
	struct cli *c = k->c;
	const char *brd = NULL;

	while (ka_more(k))
		if (change_kw(k, &r, &brd))
			return EXIT_USAGE;
	if (!(k->seen & (1ull << A_LOCAL)))
		return ka_usage(k, "missing PREFIX");
	if (!r.dev)
		return ka_usage(k, "missing \"dev DEV\"");
	if ((brd && parse_brd(k, brd, &r)) || check_change(k, &r))
		return EXIT_USAGE;
	if (c->check_only)
		return EXIT_OK;
	if ((k->op == OP_ADD ? nsc_addr_add : nsc_addr_del)(c->ctx, c->netns, &r, &e) < 0)
		return cli_error(c, &e);
	return EXIT_OK;
}

/* ---- flush ---- */

static int addr_flush(struct kargs *k)
{
	struct nsc_error e = { 0 };
	const char *dev;
	unsigned count;
	int ret;

	if ((ret = ka_dev_only(k, "device name", &dev)) != EXIT_OK)
		return ret;
	if (k->c->check_only)
		return EXIT_OK;
	if (nsc_addr_flush(k->c->ctx, k->c->netns, dev, k->c->family, &count, &e) < 0)
		return cli_error(k->c, &e);
	return EXIT_OK;
}

static const struct subcmd addr_cmds[] = {
	{ "show list ls lst", addr_show },
	{ "add", addr_change, OP_ADD },
	{ "del delete", addr_change, OP_DEL },
	{ "flush", addr_flush },
};

/* "address" too: still "addr" in messages */
const struct subcmds addr_group = {
	"addr", addr_help, SUBCMDS(addr_cmds), &addr_cmds[0], "help",
	SUB_HELP_SECOND | SUB_TERSE,
};
