// SPDX-License-Identifier: GPL-2.0-or-later
/* neigh: show, flush, get, add, del, replace, change (ip neigh's grammar). */
#include <string.h>
#include <sys/socket.h>
#include <linux/neighbour.h>

#include "rtprint.h"
#include "subcmd.h"

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

/* nud STATE|all: several widen the selection, as in ip */
static int selector_nud(struct kargs *k, struct sel *s)
{
	struct nsc_error e = { 0 };
	uint16_t state;
	const char *v;
	int ret;

	if ((ret = ka_value(k, &v)))
		return ret;
	if (!s->nud_given)
		s->f.states = 0;
	s->nud_given = true;
	if (!strcmp(v, "all")) {
		s->f.states = NSC_NUD_FILTER_ALL;
		return 0;
	}
	if (nsc_nud_parse(v, &state, &e) < 0)
		return ka_fail(k, &e);
	s->f.states |= state ? state : NSC_NUD_FILTER_NONE;
	return 0;
}

/* [to] PREFIX */
static int selector_to(struct kargs *k, struct sel *s)
{
	struct nsc_prefix p;
	const char *v;
	int ret;

	if (!ka_take(k, "to")) {
		v = ka_peek(k);
		if (v[0] == '-' || (!strchr(v, '.') && !strchr(v, ':') && strcmp(v, "all") &&
				    strcmp(v, "default") && strcmp(v, "any")))
			return ka_unknown(k);
	}
	if (k->seen & (1u << S_TO))
		return ka_usage(k, "more than one prefix given");
	k->seen |= 1u << S_TO;
	if ((ret = ka_prefix(k, k->c->family, NSC_PREFIX_ALLOW_LEN | NSC_PREFIX_DEFAULT, &p)))
		return ret;
	if (p.len == 0)         /* "all", "default", "any", /0: everything */
		return 0;
	s->f.to = p;
	if (s->f.family == AF_UNSPEC)
		s->f.family = p.family;
	return 0;
}

static int parse_selectors(struct kargs *k, bool flush, struct sel *s)
{
	int ret;

	nsc_neigh_filter_init(&s->f, flush);
	s->f.family = k->c->family;
	s->dev = NULL;
	s->any = ka_more(k);
	s->nud_given = false;
	while (ka_more(k)) {
		if (ka_take(k, "dev")) {
			if ((ret = ka_once(k, S_DEV)) || (ret = ka_ifname(k, &s->dev)))
				return ret;
		} else if (ka_take(k, "nud")) {
			if ((ret = selector_nud(k, s)))
				return ret;
		} else if (ka_take(k, "proxy")) {
			if ((ret = ka_once(k, S_PROXY)))
				return ret;
			s->f.proxy = true;
		} else if ((ret = selector_to(k, s))) {
			return ret;
		}
	}
	return 0;
}

/* show and flush: the same selectors */
static int neigh_show(struct kargs *k)
{
	struct cli *c = k->c;
	struct rtprint_job j = { .c = c };
	struct nsc_ifmap *map = NULL;
	struct nsc_error e = { 0 };
	struct sel s;
	int ret;

	ret = parse_selectors(k, k->op == SUB_FLUSH, &s);
	if (ret)
		return ret;
	if (k->op == SUB_FLUSH && !s.any)
		return ka_usage(k, "needs a selector (dev, nud, to PREFIX, or all), "
				"as ip neigh flush does");
	if (c->check_only)
		return EXIT_OK;
	if (s.dev && nsc_ifindex(c->ctx, c->netns, s.dev, &s.f.ifindex, &e) < 0)
		return ka_fail(k, &e);
	if (k->op == SUB_FLUSH) {
		if (nsc_neigh_flush(c->ctx, c->netns, &s.f, NULL, &e) < 0)
			return cli_error(c, &e);
		return EXIT_OK;
	}
	if (nsc_ifmap_load(c->ctx, c->netns, &map, &e) < 0)
		return cli_error(c, &e);
	j.p = (struct rtprint){ .ifmap = map, .hide = s.dev ? RTP_HIDE_DEV : 0 };
	cli_list_open(c);
	ret = nsc_neigh_list(c->ctx, c->netns, &s.f, rtprint_neigh_cb, &j, &e);
	cli_list_close(c);
	nsc_ifmap_free(map);
	return ret < 0 ? cli_error(c, &e) : EXIT_OK;
}

enum { M_DST, M_LLADDR, M_DEV, M_NUD, M_ROUTER, M_PROXY };

/* lladdr, nud, router: what an entry made or changed has */
static int entry_kw(struct kargs *k, struct nsc_neigh_req *r)
{
	struct nsc_error e = { 0 };
	const char *v;
	int ret;

	if (ka_take(k, "lladdr")) {
		r->has_lladdr = true;
		return (ret = ka_once(k, M_LLADDR)) ? ret : ka_mac(k, r->lladdr);
	}
	if (ka_take(k, "nud")) {
		if ((ret = ka_once(k, M_NUD)) || (ret = ka_value(k, &v)))
			return ret;
		if (nsc_nud_parse(v, &r->state, &e) < 0)
			return ka_fail(k, &e);
		r->has_state = true;
		return 0;
	}
	if (ka_take(k, "router")) {
		r->router = true;
		return ka_once(k, M_ROUTER);
	}
	return -1;
}

/* get: ADDR dev DEV; add, change, replace: also lladdr, nud, router; del: neither */
static int parse_neigh(struct kargs *k, struct nsc_neigh_req *r, bool entry)
{
	int ret;

	memset(r, 0, sizeof(*r));
	while (ka_more(k)) {
		if (ka_take(k, "dev")) {
			if ((ret = ka_once(k, M_DEV)) || (ret = ka_ifname(k, &r->dev)))
				return ret;
		} else if (entry && (ret = entry_kw(k, r)) >= 0) {
			if (ret)
				return ret;
		} else if (ka_take(k, "proxy")) {
			/* ip's form: "proxy ADDR" */
			if ((ret = ka_once(k, M_PROXY)))
				return ret;
			r->proxy = true;
		} else if (!r->dst.family) {
			if ((ret = ka_to_prefix(k, k->c->family, 0, &r->dst)))
				return ret;
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

static int neigh_get(struct kargs *k)
{
	struct nsc_ifmap *map = NULL;
	struct nsc_error e = { 0 };
	struct cli *c = k->c;
	struct nsc_neigh_req r;
	struct nsc_neigh n;
	struct rtprint p;
	int ret;

	ret = parse_neigh(k, &r, false);
	if (ret || c->check_only)
		return ret;
	if (nsc_neigh_get(c->ctx, c->netns, &r.dst, r.dev, r.proxy, &n, &e) < 0 ||
	    nsc_ifmap_load(c->ctx, c->netns, &map, &e) < 0)
		return cli_error(c, &e);
	p = (struct rtprint){ .ifmap = map };
	cli_list_open(c);
	rtprint_neigh(c, &p, &n);
	cli_list_close(c);
	nsc_ifmap_free(map);
	return EXIT_OK;
}

static int neigh_modify(struct kargs *k)
{
	struct nsc_error e = { 0 };
	struct cli *c = k->c;
	struct nsc_neigh_req r;
	int ret;

	ret = parse_neigh(k, &r, k->op != NSC_NEIGH_DEL);
	if (ret || c->check_only)
		return ret;
	if (nsc_neigh_modify(c->ctx, c->netns, (enum nsc_neigh_op)k->op, &r, &e) < 0)
		return cli_error(c, &e);
	return EXIT_OK;
}

static const struct subcmd neigh_cmds[] = {
	{ "show list ls", neigh_show, SUB_SHOW },
	{ "flush", neigh_show, SUB_FLUSH },
	{ "get", neigh_get },
	SUBCMD_CHANGES(neigh_modify, NSC_NEIGH),
};

/* a bare "neigh", or "neigh SELECTOR...": show, as ip does ("neighbour" too) */
const struct subcmds neigh_group = {
	"neigh", neigh_help, SUBCMDS(neigh_cmds), &neigh_cmds[0], NULL,
	SUB_HELP_SECOND | SUB_DEFAULT_ANY,
};
