// SPDX-License-Identifier: GPL-2.0-or-later
/* neigh: show, flush, get, add, del, replace, change (ip neigh's grammar). */
#include <string.h>
#include <sys/socket.h>
#include <linux/neighbour.h>

#include "kwargs.h"
#include "rtprint.h"

static const char neigh_help[] =
	"Usage: netnsctl [-4|-6] [-n NS] [-j] [-s] neigh [show] [SELECTOR...]\n"
	"       netnsctl [-4|-6] [-n NS] neigh flush SELECTOR...\n"
	"       netnsctl [-n NS] [-j] [-s] neigh get ADDR dev DEV\n"
	"       netnsctl [-n NS] neigh {add|replace|change} ADDR [lladdr MAC] dev DEV\n"
	"                              [nud STATE] [router]\n"
	"       netnsctl [-n NS] neigh {add|del|replace} proxy ADDR dev DEV\n"
	"       netnsctl [-n NS] neigh del ADDR dev DEV\n"
	"SELECTOR := dev DEV | nud {STATE|all} | proxy | [to] PREFIX | all\n"
	"STATE := permanent | reachable | stale | noarp | delay | probe | failed |\n"
	"         incomplete | none\n"
	"show lists every state but noarp; flush leaves permanent and noarp\n"
	"entries unless nud says otherwise.\n";

enum { S_DEV, S_PROXY, S_TO };

struct sel {
	struct nsc_neigh_filter f;
	const char *dev;
	bool any;
	bool nud_given;
};

static int parse_selectors(struct kargs *k, struct cli *c, bool flush, struct sel *s)
{
	struct nsc_error e = { 0 };
	const char *v;
	int ret;

	nsc_neigh_filter_init(&s->f, flush);
	s->f.family = c->family;
	s->dev = NULL;
	s->any = s->nud_given = false;
	while (ka_more(k)) {
		s->any = true;
		if (ka_take(k, "dev")) {
			if ((ret = ka_once(k, S_DEV)) || (ret = ka_value(k, &v)))
				return ret;
			if (nsc_ifname_check(v, &e) < 0)
				return ka_fail(k, &e);
			s->dev = v;
		} else if (ka_take(k, "nud")) {
			uint16_t state;

			/* several nud widen the selection, as in ip */
			if ((ret = ka_value(k, &v)))
				return ret;
			if (!s->nud_given)
				s->f.states = 0;
			s->nud_given = true;
			if (!strcmp(v, "all")) {
				s->f.states = NSC_NUD_FILTER_ALL;
				continue;
			}
			if (nsc_nud_parse(v, &state, &e) < 0)
				return ka_fail(k, &e);
			s->f.states |= state ? state : NSC_NUD_FILTER_NONE;
		} else if (ka_take(k, "proxy")) {
			if ((ret = ka_once(k, S_PROXY)))
				return ret;
			s->f.proxy = true;
		} else {
			struct nsc_prefix p;

			if (!ka_take(k, "to")) {
				v = ka_peek(k);
				if (v[0] == '-' || (!strchr(v, '.') && !strchr(v, ':') &&
						    strcmp(v, "all") && strcmp(v, "default") &&
						    strcmp(v, "any")))
					return ka_unknown(k);
			}
			if (k->seen & (1u << S_TO))
				return ka_usage(k, "more than one prefix given");
			k->seen |= 1u << S_TO;
			if ((ret = ka_value(k, &v)))
				return ret;
			if (nsc_parse_prefix(v, c->family, NSC_PREFIX_ALLOW_LEN | NSC_PREFIX_DEFAULT,
					     &p, &e) < 0)
				return ka_fail(k, &e);
			if (p.len == 0)         /* "all", "default", "any", /0: everything */
				continue;
			s->f.to = p;
			if (s->f.family == AF_UNSPEC)
				s->f.family = p.family;
		}
	}
	return 0;
}

struct show_job {
	struct cli *c;
	struct rtprint p;
};

static int show_one(const struct nsc_neigh *n, void *arg)
{
	struct show_job *j = arg;

	rtprint_neigh(j->c, &j->p, n);
	return 0;
}

static int neigh_show(struct cli *c, struct kargs *k, bool flush)
{
	struct nsc_ifmap *map = NULL;
	struct nsc_error e = { 0 };
	struct show_job j = { .c = c };
	struct sel s;
	int ret;

	ret = parse_selectors(k, c, flush, &s);
	if (ret)
		return ret;
	if (flush && !s.any)
		return ka_usage(k, "needs a selector (dev, nud, to PREFIX, or all), "
				"as ip neigh flush does");
	if (c->check_only)
		return EXIT_OK;
	if (s.dev && nsc_ifindex(c->ctx, c->netns, s.dev, &s.f.ifindex, &e) < 0)
		return ka_fail(k, &e);
	if (flush) {
		if (nsc_neigh_flush(c->ctx, c->netns, &s.f, NULL, &e) < 0)
			return cli_error(c, &e);
		return EXIT_OK;
	}
	if (nsc_ifmap_load(c->ctx, c->netns, &map, &e) < 0)
		return cli_error(c, &e);
	j.p = (struct rtprint){ .ifmap = map, .hide = s.dev ? RTP_HIDE_DEV : 0 };
	if (c->json)
		json_arr_open(c->js);
	ret = nsc_neigh_list(c->ctx, c->netns, &s.f, show_one, &j, &e);
	if (c->json) {
		json_arr_close(c->js);
		cli_json_end(c);
	}
	nsc_ifmap_free(map);
	return ret < 0 ? cli_error(c, &e) : EXIT_OK;
}

enum { M_DST, M_LLADDR, M_DEV, M_NUD, M_ROUTER, M_PROXY };

static int parse_neigh(struct kargs *k, struct cli *c, enum nsc_neigh_op op,
		       struct nsc_neigh_req *r, bool get)
{
	struct nsc_error e = { 0 };
	const char *v;
	int ret;

	memset(r, 0, sizeof(*r));
	while (ka_more(k)) {
		if (ka_take(k, "dev")) {
			if ((ret = ka_once(k, M_DEV)) || (ret = ka_value(k, &v)))
				return ret;
			if (nsc_ifname_check(v, &e) < 0)
				return ka_fail(k, &e);
			r->dev = v;
		} else if (!get && op != NSC_NEIGH_DEL && ka_take(k, "lladdr")) {
			if ((ret = ka_once(k, M_LLADDR)) || (ret = ka_value(k, &v)))
				return ret;
			if (nsc_parse_mac(v, r->lladdr, &e) < 0)
				return ka_fail(k, &e);
			r->has_lladdr = true;
		} else if (!get && op != NSC_NEIGH_DEL && ka_take(k, "nud")) {
			if ((ret = ka_once(k, M_NUD)) || (ret = ka_value(k, &v)))
				return ret;
			if (nsc_nud_parse(v, &r->state, &e) < 0)
				return ka_fail(k, &e);
			r->has_state = true;
		} else if (!get && op != NSC_NEIGH_DEL && ka_take(k, "router")) {
			if ((ret = ka_once(k, M_ROUTER)))
				return ret;
			r->router = true;
		} else if (ka_take(k, "proxy")) {
			/* ip's form: "proxy ADDR" */
			if ((ret = ka_once(k, M_PROXY)))
				return ret;
			r->proxy = true;
		} else if (!r->dst.family) {
			ka_take(k, "to");
			if ((ret = ka_value(k, &v)))
				return ret;
			if (v[0] == '-')
				return ka_usage(k, "unknown argument \"%.32s\"", v);
			if (nsc_parse_prefix(v, c->family, 0, &r->dst, &e) < 0)
				return ka_fail(k, &e);
		} else {
			return ka_unknown(k);
		}
	}
	if (!r->dst.family)
		return ka_usage(k, "missing neighbour address");
	if (!r->dev)
		return ka_usage(k, "missing dev DEV (the device the neighbour is on)");
	if (r->proxy && (r->has_lladdr || r->has_state || r->router))
		return ka_usage(k, "a proxy entry takes no lladdr, nud or router");
	return 0;
}

static int neigh_modify(struct cli *c, struct kargs *k, enum nsc_neigh_op op)
{
	struct nsc_error e = { 0 };
	struct nsc_neigh_req r;
	int ret;

	ret = parse_neigh(k, c, op, &r, false);
	if (ret || c->check_only)
		return ret;
	if (nsc_neigh_modify(c->ctx, c->netns, op, &r, &e) < 0)
		return cli_error(c, &e);
	return EXIT_OK;
}

static int neigh_get(struct cli *c, struct kargs *k)
{
	struct nsc_ifmap *map = NULL;
	struct nsc_error e = { 0 };
	struct nsc_neigh_req r;
	struct nsc_neigh n;
	struct rtprint p;
	int ret;

	ret = parse_neigh(k, c, NSC_NEIGH_ADD, &r, true);
	if (ret || c->check_only)
		return ret;
	if (nsc_neigh_get(c->ctx, c->netns, &r.dst, r.dev, r.proxy, &n, &e) < 0 ||
	    nsc_ifmap_load(c->ctx, c->netns, &map, &e) < 0)
		return cli_error(c, &e);
	p = (struct rtprint){ .ifmap = map };
	if (c->json)
		json_arr_open(c->js);
	rtprint_neigh(c, &p, &n);
	if (c->json) {
		json_arr_close(c->js);
		cli_json_end(c);
	}
	nsc_ifmap_free(map);
	return EXIT_OK;
}

int cmd_neigh(struct cli *c, int argc, char **argv)
{
	static const struct {
		const char *word, *verb;
		int op;                 /* nsc_neigh_op, or -1 show, -2 flush, -3 get */
	} subs[] = {
		{ "show", "neigh show", -1 }, { "list", "neigh show", -1 },
		{ "ls", "neigh show", -1 }, { "flush", "neigh flush", -2 },
		{ "get", "neigh get", -3 },
		{ "add", "neigh add", NSC_NEIGH_ADD }, { "del", "neigh del", NSC_NEIGH_DEL },
		{ "delete", "neigh del", NSC_NEIGH_DEL },
		{ "replace", "neigh replace", NSC_NEIGH_REPLACE },
		{ "change", "neigh change", NSC_NEIGH_CHANGE },
	};
	struct kargs k;

	if (cli_help(argc, argv, neigh_help) || (argc > 2 && cli_help(argc - 1, argv + 1, neigh_help)))
		return EXIT_OK;
	for (size_t i = 0; argc > 1 && i < sizeof(subs) / sizeof(subs[0]); i++) {
		if (strcmp(argv[1], subs[i].word))
			continue;
		ka_init(&k, c, subs[i].verb, argc, argv, 2);
		switch (subs[i].op) {
		case -1: return neigh_show(c, &k, false);
		case -2: return neigh_show(c, &k, true);
		case -3: return neigh_get(c, &k);
		default: return neigh_modify(c, &k, (enum nsc_neigh_op)subs[i].op);
		}
	}
	ka_init(&k, c, "neigh", argc, argv, 1);
	return neigh_show(c, &k, false);
}
