// SPDX-License-Identifier: GPL-2.0-or-later
/* veth add|del|show: pairs across namespaces, each end made in its own. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "kw.h"
#include "print_link.h"

static const char veth_help[] =
	"Usage: netnsctl [-n NS] veth [show] [[dev] NAME]\n"
	"       netnsctl [-n NS] veth add NAME [netns NS] peer [name] PEER [netns NS2]\n"
	"                                 [mtu N]\n"
	"       netnsctl [-n NS] veth del [dev] NAME\n"
	"add makes the pair with one request, each end straight in its namespace\n"
	"(default: -n's, or this one); a failure leaves neither end behind.\n"
	"del removes both ends. show lists veth ends and where their peers are.\n";

static int veth_show(struct cli *c, int argc, char **argv)
{
	struct nsc_error e = { 0 };
	const char *dev = NULL;
	struct nsc_veth *v;
	size_t n;
	int i = 1;

	if (i < argc && !strcmp(argv[i], "dev"))
		i++;
	if (i < argc) {
		dev = argv[i];
		if (nsc_ifname_check(dev, &e) < 0)
			return cli_error(c, &e);
		if (i + 1 < argc)
			return cli_usage(c, "veth show: unexpected \"%s\"", argv[i + 1]);
	} else if (i > 1) {
		return cli_usage(c, "veth show: \"dev\" needs a value");
	}
	if (c->check_only)
		return EXIT_OK;
	if (nsc_veth_list(c->ctx, c->netns, dev, &v, &n, &e) < 0)
		return cli_error(c, &e);
	if (c->json)
		json_arr_open(c->js);
	for (size_t k = 0; k < n; k++)
		print_veth(c, &v[k]);
	if (c->json) {
		json_arr_close(c->js);
		cli_json_end(c);
	}
	nsc_veth_list_free(v, n);
	return EXIT_OK;
}

/* the same request as link add, told as the command the user typed */
static int veth_error(struct cli *c, struct nsc_error *e)
{
	if (!strncmp(e->msg, "link add", 8))
		memcpy(e->msg, "veth add", 8);
	return cli_error(c, e);
}

enum { V_NETNS = 1, V_PEER = 2, V_PEER_NETNS = 4, V_MTU = 8, V_NAME = 16, V_PEER_NAME = 32 };

static int veth_add(struct cli *c, int argc, char **argv)
{
	struct nsc_link_add a = { .kind = "veth" };
	struct nsc_error e = { 0 };
	bool in_peer = false;
	uint64_t seen = 0;
	const char *v;

	for (int i = 1; i < argc; i++) {
		const char *k = argv[i];

		if (!strcmp(k, "peer")) {
			if (kw_once(c, "veth add", &seen, V_PEER, k))
				return EXIT_USAGE;
			in_peer = true;
		} else if (!strcmp(k, "netns")) {
			/* before "peer" it places this end, after it the peer */
			if (kw_once(c, "veth add", &seen, in_peer ? V_PEER_NETNS : V_NETNS,
				    in_peer ? "peer netns" : "netns") ||
			    kw_value(c, "veth add", argc, argv, &i, &v))
				return EXIT_USAGE;
			if (nsc_name_check(v, &e) < 0)
				return cli_error(c, &e);
			*(in_peer ? &a.peer_netns : &a.netns) = v;
		} else if (!strcmp(k, "mtu")) {
			if (kw_once(c, "veth add", &seen, V_MTU, k) ||
			    kw_value(c, "veth add", argc, argv, &i, &v))
				return EXIT_USAGE;
			if (nsc_parse_u32(v, 1, INT_MAX, &a.mtu, "mtu", &e) < 0)
				return cli_error(c, &e);
		} else if (!strcmp(k, "name") || !(seen & (in_peer ? V_PEER_NAME : V_NAME))) {
			if (!strcmp(k, "name") && kw_value(c, "veth add", argc, argv, &i, &k))
				return EXIT_USAGE;
			if (kw_once(c, "veth add", &seen, in_peer ? V_PEER_NAME : V_NAME,
				    in_peer ? "peer name" : "name"))
				return EXIT_USAGE;
			if (nsc_ifname_check(k, &e) < 0)
				return cli_error(c, &e);
			*(in_peer ? &a.peer : &a.name) = k;
		} else {
			return cli_usage(c, "veth add: unexpected \"%s\"", k);
		}
	}
	if (!a.name)
		return cli_usage(c, "veth add: missing NAME");
	if (!a.peer)
		return cli_usage(c, "veth add: missing \"peer PEER\"");
	if (nsc_link_add_check(c->netns, &a, &e) < 0)
		return veth_error(c, &e);
	if (c->check_only)
		return EXIT_OK;
	if (nsc_link_add(c->ctx, c->netns, &a, &e) < 0)
		return veth_error(c, &e);
	return EXIT_OK;
}

static int veth_del(struct cli *c, int argc, char **argv)
{
	struct nsc_error e = { 0 };
	int i = 1;

	if (i < argc && !strcmp(argv[i], "dev"))
		i++;
	if (i >= argc)
		return cli_usage(c, "veth del: missing NAME");
	if (i + 1 < argc)
		return cli_usage(c, "veth del: unexpected \"%s\"", argv[i + 1]);
	if (nsc_ifname_check(argv[i], &e) < 0)
		return cli_error(c, &e);
	if (c->check_only)
		return EXIT_OK;
	if (nsc_veth_del(c->ctx, c->netns, argv[i], &e) < 0)
		return cli_error(c, &e);
	return EXIT_OK;
}

int cmd_veth(struct cli *c, int argc, char **argv)
{
	const char *sub = argc > 1 ? argv[1] : "show";

	if (cli_help(argc, argv, veth_help))
		return EXIT_OK;
	if (argc > 2 && cli_help(argc - 1, argv + 1, veth_help))
		return EXIT_OK;
	if (argc < 2)
		return veth_show(c, argc, argv);
	if (kw_is_show(sub))
		return veth_show(c, argc - 1, argv + 1);
	if (!strcmp(sub, "add"))
		return veth_add(c, argc - 1, argv + 1);
	if (!strcmp(sub, "del") || !strcmp(sub, "delete"))
		return veth_del(c, argc - 1, argv + 1);
	return cli_usage(c, "veth: unknown command \"%s\" (try: netnsctl veth help)", sub);
}
