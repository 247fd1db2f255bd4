// SPDX-License-Identifier: GPL-2.0-or-later
/* veth add|del|show: pairs across namespaces, each end made in its own. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "link_args.h"
#include "print_link.h"
#include "subcmd.h"

static const char veth_help[] =
	"Usage: netnsctl [-n NS] veth [show] [[dev] NAME]\n"
	"       netnsctl [-n NS] veth add NAME [netns NS] peer [name] PEER [netns NS2]\n"
	"                                 [mtu N]\n"
	"       netnsctl [-n NS] veth del [dev] NAME\n"
	"add makes the pair with one request, each end straight in its namespace\n"
	"(default: -n's, or this one); a failure leaves neither end behind.\n"
	"del removes both ends. show lists veth ends and where their peers are.\n";

static int veth_show(struct kargs *k)
{
	struct nsc_error e = { 0 };
	struct cli *c = k->c;
	const char *dev = NULL;
	struct nsc_veth *v;
	size_t n;

	if (ka_more(k)) {
		if (ka_value_after(k, "dev", &dev) || ka_ifname_ok(k, dev))
			return EXIT_USAGE;
		if (ka_more(k))
			return ka_unexpected(k);
	}
	if (c->check_only)
		return EXIT_OK;
	if (nsc_veth_list(c->ctx, c->netns, dev, &v, &n, &e) < 0)
		return cli_error(c, &e);
	cli_list_open(c);
	for (size_t i = 0; i < n; i++)
		print_veth(c, &v[i]);
	cli_list_close(c);
	nsc_veth_list_free(v, n);
	return EXIT_OK;
}

enum { V_NETNS, V_PEER, V_PEER_NETNS, V_MTU, V_NAME, V_PEER_NAME };

/* "netns" and "name" before "peer" are this end's, after it the peer's */
static int add_kw(struct kargs *k, struct nsc_link_add *a, bool *in_peer)
{
	bool p = *in_peer;

	if (ka_take(k, "peer")) {
		*in_peer = true;
		return ka_once(k, V_PEER);
	}
	if (ka_take(k, "netns"))
		return ka_once_as(k, p ? V_PEER_NETNS : V_NETNS, p ? "peer netns" : "netns") ||
		       ka_netns(k, p ? &a->peer_netns : &a->netns);
	if (ka_take(k, "mtu"))
		return ka_once(k, V_MTU) || ka_u32(k, 1, INT_MAX, "mtu", &a->mtu);
	if (!strcmp(ka_peek(k), "name") || !(k->seen & (1ull << (p ? V_PEER_NAME : V_NAME)))) {
		const char **name = p ? &a->peer : &a->name;

		return ka_value_after(k, "name", name) ||
		       ka_once_as(k, p ? V_PEER_NAME : V_NAME, p ? "peer name" : "name") ||
		       ka_ifname_ok(k, *name);
	}
	return ka_unexpected(k);
}

static int veth_add(struct kargs *k)
{
	struct nsc_link_add a = { .kind = "veth" };
	bool in_peer = false;

	while (ka_more(k))
		if (add_kw(k, &a, &in_peer))
			return EXIT_USAGE;
	if (!a.name)
		return ka_usage(k, "missing NAME");
	if (!a.peer)
		return ka_usage(k, "missing \"peer PEER\"");
	return link_add_run(k, &a);
}

static int veth_del(struct kargs *k)
{
	return link_del_run(k, "NAME", nsc_veth_del);
}

static const struct subcmd veth_cmds[] = {
	{ "show list ls lst", veth_show },
	{ "add", veth_add },
	{ "del delete", veth_del },
};

const struct subcmds veth_group = {
	"veth", veth_help, SUBCMDS(veth_cmds), &veth_cmds[0], "help",
	SUB_HELP_SECOND | SUB_TERSE,
};
