// SPDX-License-Identifier: GPL-2.0-or-later
/* link show|add|del|set: ip link's grammar, inside -n's namespace. */
#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <linux/if_link.h>
#include <net/if.h>

#include "link_args.h"
#include "print_link.h"
#include "subcmd.h"

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

static int link_show(struct kargs *k)
{
	struct link_sel sel = { 0 };
	struct nsc_error e = { 0 };
	struct cli *c = k->c;
	struct nsc_link *v;
	size_t n;

	if (link_selectors(k, true, &sel) != EXIT_OK)
		return EXIT_USAGE;
	if (c->check_only)
		return EXIT_OK;
	if (nsc_link_list(c->ctx, c->netns, sel.dev, c->stats ? NSC_LINK_STATS : 0, &v, &n,
			  &e) < 0)
		return cli_error(c, &e);
	cli_list_open(c);
	for (size_t i = 0; i < n; i++) {
		if (!link_selected(&sel, &v[i]))
			continue;
		if (c->brief)
			print_link_brief(c, &v[i]);
		else
			print_link(c, &v[i]);
	}
	cli_list_close(c);
	free(v);
	return EXIT_OK;
}

/* ---- what add and set share ---- */

/* slots 0..3 are these; each command's own keywords come after */
enum { K_MTU, K_ADDR, K_TXQ, K_NETNS, K_OWN };

/* where link add and link set keep what these keywords give */
struct link_common {
	uint32_t *mtu;
	uint8_t *address;
	bool *has_address;
	uint32_t *txqlen;
	bool *has_txqlen;
	const char **netns;
};

/*
 * mtu, address, txqueuelen (txqlen, qlen) and netns: 1 when the next word
 * was one of them (parsed), 0 when not, -1 after a usage error.
 */
static int common_kw(struct kargs *k, const struct link_common *lc)
{
	int ret;

	if (ka_take(k, "mtu")) {
		/* the kernel checks each device's own range and says so */
		ret = ka_once(k, K_MTU) || ka_u32(k, 1, INT_MAX, "mtu", lc->mtu);
	} else if (ka_take(k, "address")) {
		ret = ka_once(k, K_ADDR) || ka_mac(k, lc->address);
		*lc->has_address = true;
	} else if (ka_take(k, "txqueuelen") || ka_take(k, "txqlen") || ka_take(k, "qlen")) {
		ret = ka_once_as(k, K_TXQ, "txqueuelen") ||
		      ka_u32(k, 0, UINT32_MAX, "txqueuelen", lc->txqlen);
		*lc->has_txqlen = true;
	} else if (ka_take(k, "netns")) {
		ret = ka_once(k, K_NETNS) || ka_netns(k, lc->netns);
	} else {
		return 0;
	}
	return ret ? -1 : 1;
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

enum { A_NAME = K_OWN, A_LINK };

/*
 * The part before "type": the new link's own options. Leaves k on "type"
 * (at the end when it is missing).
 */
static int add_common(struct kargs *k, struct nsc_link_add *a)
{
	const struct link_common lc = { &a->mtu, a->address, &a->has_address, &a->txqlen,
					&a->has_txqlen, &a->netns };

	while (ka_more(k) && strcmp(ka_peek(k), "type")) {
		int ret = common_kw(k, &lc);

		if (ret < 0)
			return EXIT_USAGE;
		if (ret > 0)
			continue;
		if (ka_take(k, "link")) {
			if (ka_once(k, A_LINK) || ka_ifname(k, &a->lower))
				return EXIT_USAGE;
		} else if (!strcmp(ka_peek(k), "name") || !a->name) {
			if (ka_ifname_after(k, "name", A_NAME, &a->name))
				return EXIT_USAGE;
		} else {
			return ka_unexpected(k);
		}
	}
	return EXIT_OK;
}

/* What follows "type KIND", for the kinds that take arguments. */
static int kind_args(struct kargs *k, struct nsc_link_add *a)
{
	static const struct {
		const char *kind;
		int (*parse)(struct kargs *k, struct nsc_link_add *a);
	} kinds[] = {
		{ "veth", link_veth_args }, { "vxlan", link_vxlan_args },
		{ "macvlan", link_macvlan_args }, { "macvtap", link_macvlan_args },
	};

	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (!strcmp(a->kind, kinds[i].kind))
			return kinds[i].parse(k, a);
	if (ka_more(k))
		return ka_usage(k, "type %s: unexpected \"%s\"", a->kind, ka_peek(k));
	return EXIT_OK;
}

static int link_add(struct kargs *k)
{
	struct nsc_link_add a = { 0 };
	struct nsc_error e = { 0 };
	int ret;

	if ((ret = add_common(k, &a)) != EXIT_OK)
		return ret;
	if (!a.name)
		return ka_usage(k, "missing NAME");
	if (!ka_more(k))
		return ka_usage(k, "missing \"type KIND\"");
	if (ka_value_after(k, "type", &a.kind))
		return EXIT_USAGE;
	if (!kind_ok(a.kind))
		return ka_usage(k, "invalid link type \"%s\"", a.kind);
	if (nsc_link_kind_check(a.name, a.kind, &e) < 0)  /* before its arguments */
		return cli_error(k->c, &e);
	if (a.lower && strcmp(a.kind, "macvlan") && strcmp(a.kind, "macvtap"))
		return ka_usage(k, "\"link DEV\" applies to macvlan and macvtap only");
	if ((ret = kind_args(k, &a)) != EXIT_OK)
		return ret;
	return link_add_run(k, &a);
}

/* ---- del ---- */

static int link_del(struct kargs *k)
{
	return link_del_run(k, "device name", nsc_link_del);
}

/* ---- set ---- */

enum { S_DEV = K_OWN, S_UPDOWN, S_NAME, S_MASTER };

/* up|down, master DEV|nomaster: the second word of a pair says which it overrides */
static int either(struct kargs *k, unsigned slot, const char *before)
{
	if (k->seen & (1ull << slot))
		return ka_usage(k, "\"%s\" after \"%s\"", k->argv[k->i - 1], before);
	k->seen |= 1ull << slot;
	return EXIT_OK;
}

static int set_kw(struct kargs *k, struct nsc_link_change *ch, const char **dev)
{
	const struct link_common lc = { &ch->mtu, ch->address, &ch->has_address, &ch->txqlen,
					&ch->has_txqlen, &ch->netns };
	int ret = common_kw(k, &lc);

	if (ret)
		return ret < 0 ? EXIT_USAGE : EXIT_OK;
	if (ka_take(k, "up") || ka_take(k, "down")) {
		if (either(k, S_UPDOWN, ch->up ? "up" : "down"))
			return EXIT_USAGE;
		ch->up = k->argv[k->i - 1][0] == 'u';
		ch->down = !ch->up;
	} else if (ka_take(k, "name")) {
		if (ka_once(k, S_NAME) || ka_ifname(k, &ch->name))
			return EXIT_USAGE;
	} else if (ka_take(k, "nomaster")) {
		if (either(k, S_MASTER, ch->nomaster ? "nomaster" : "master"))
			return EXIT_USAGE;
		ch->nomaster = true;
	} else if (ka_take(k, "master")) {
		if (either(k, S_MASTER, ch->nomaster ? "nomaster" : "master") ||
		    ka_ifname(k, &ch->master))
			return EXIT_USAGE;
	} else if (!strcmp(ka_peek(k), "dev") || !(k->seen & (1ull << S_DEV))) {
		if (ka_ifname_after(k, "dev", S_DEV, dev))
			return EXIT_USAGE;
	} else {
		char m[96];

		return ka_usage(k, "unknown keyword \"%s\"%s", ka_peek(k),
				ka_meant(k, m, sizeof(m)));
	}
	return EXIT_OK;
}

static int link_set(struct kargs *k)
{
	struct nsc_link_change ch = { 0 };
	struct nsc_error e = { 0 };
	struct cli *c = k->c;
	const char *dev = NULL;

	while (ka_more(k))
		if (set_kw(k, &ch, &dev) != EXIT_OK)
			return EXIT_USAGE;
	if (!dev)
		return ka_usage(k, "missing device name");
	if (k->seen == 1ull << S_DEV)
		return cli_usage(c, "link set \"%s\": nothing to change", dev);
	if (c->check_only)
		return EXIT_OK;
	if (nsc_link_set(c->ctx, c->netns, dev, &ch, &e) < 0)
		return cli_error(c, &e);
	return EXIT_OK;
}

static const struct subcmd link_cmds[] = {
	{ "show list ls lst", link_show },
	{ "add", link_add },
	{ "del delete", link_del },
	{ "set", link_set },
};

const struct subcmds link_group = {
	"link", link_help, SUBCMDS(link_cmds), &link_cmds[0], "help",
	SUB_HELP_SECOND | SUB_TERSE,
};
