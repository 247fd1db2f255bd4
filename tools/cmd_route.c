// SPDX-License-Identifier: GPL-2.0-or-later
/* route: show, flush, get, add, del, replace, change, append (ip route's grammar). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/rtnetlink.h>

#include "kwargs.h"
#include "rtprint.h"

static const char route_help[] =
	"Usage: netnsctl [-4|-6] [-n NS] [-j] route [show] [SELECTOR...]\n"
	"       netnsctl [-4|-6] [-n NS] route flush SELECTOR...\n"
	"       netnsctl [-n NS] [-j] route get ADDR [from ADDR] [iif DEV] [oif DEV]\n"
	"                                         [mark N] [fibmatch]\n"
	"       netnsctl [-4|-6] [-n NS] route {add|del|replace|change|append} ROUTE\n"
	"SELECTOR := table {TABLE|all} | dev DEV | proto PROTO | scope SCOPE |\n"
	"            type TYPE | via PREFIX | src PREFIX |\n"
	"            root PREFIX | match PREFIX | [exact] PREFIX\n"
	"ROUTE := [TYPE] [to] {PREFIX|default} [via ADDR] [dev DEV] [onlink]\n"
	"         [metric N] [table TABLE] [src ADDR] [from PREFIX] [proto PROTO]\n"
	"         [scope SCOPE] [type TYPE] [mtu [lock] N] [advmss [lock] N]\n"
	"         [hoplimit [lock] N] [initcwnd [lock] N] [initrwnd [lock] N]\n"
	"         [window [lock] N]\n"
	"         [nexthop [via ADDR] [dev DEV] [weight N] [onlink]]...\n"
	"TYPE := unicast | local | broadcast | multicast | anycast | blackhole |\n"
	"        unreachable | prohibit | throw | nat\n"
	"TABLE := main | local | default | NAME from rt_tables | 1..4294967295\n"
	"Without -6, show lists IPv4 (both families with table all).\n";

/* ---- show and flush selectors ---- */

enum {
	S_TABLE, S_DEV, S_PROTO, S_SCOPE, S_TYPE, S_ROOT, S_MATCH, S_VIA, S_SRC,
};

struct sel {
	struct nsc_route_filter f;
	const char *dev;
	unsigned hide;                  /* RTP_HIDE_* */
	bool any;                       /* a selector was given (flush needs one) */
};

static int parse_selector_prefix(struct kargs *k, struct cli *c, const char *s,
				 struct nsc_prefix *p, struct nsc_error *e)
{
	if (nsc_parse_prefix(s, c->family, NSC_PREFIX_ALLOW_LEN | NSC_PREFIX_DEFAULT, p, e) < 0)
		return ka_fail(k, e);
	return 0;
}

static int parse_selectors(struct kargs *k, struct cli *c, const struct nsc_rtnames *names,
			   struct sel *s)
{
	struct nsc_error e = { 0 };
	const char *v;
	uint32_t id;
	int ret;

	nsc_route_filter_init(&s->f);
	s->f.family = c->family;
	s->dev = NULL;
	s->hide = 0;
	s->any = false;
	while (ka_more(k)) {
		int slot = -1;
		struct nsc_prefix *pfx = NULL;

		s->any = true;
		if (ka_take(k, "table")) {
			if ((ret = ka_once(k, S_TABLE)) || (ret = ka_value(k, &v)))
				return ret;
			if (!strcmp(v, "all")) {
				s->f.all_tables = true;
				continue;
			}
			if (nsc_rtname_parse(names, NSC_RT_TABLE, v, &id, &e) < 0)
				return ka_fail(k, &e);
			if (id == 0)
				s->f.all_tables = true;     /* "unspec": every table, as ip */
			s->f.table = id;
			s->hide |= RTP_HIDE_TABLE;
		} else if (ka_take(k, "dev") || ka_take(k, "oif")) {
			if ((ret = ka_once(k, S_DEV)) || (ret = ka_value(k, &v)))
				return ret;
			if (nsc_ifname_check(v, &e) < 0)
				return ka_fail(k, &e);
			s->dev = v;
			s->hide |= RTP_HIDE_DEV;
		} else if (ka_take(k, "proto") || ka_take(k, "protocol")) {
			if ((ret = ka_once(k, S_PROTO)) || (ret = ka_value(k, &v)))
				return ret;
			if (nsc_rtname_parse(names, NSC_RT_PROTO, v, &id, &e) < 0)
				return ka_fail(k, &e);
			s->f.protocol = (int)id;
			s->hide |= RTP_HIDE_PROTO;
		} else if (ka_take(k, "scope")) {
			if ((ret = ka_once(k, S_SCOPE)) || (ret = ka_value(k, &v)))
				return ret;
			if (nsc_rtname_parse(names, NSC_RT_SCOPE, v, &id, &e) < 0)
				return ka_fail(k, &e);
			s->f.scope = (int)id;
			s->hide |= RTP_HIDE_SCOPE;
		} else if (ka_take(k, "type")) {
			if ((ret = ka_once(k, S_TYPE)) || (ret = ka_value(k, &v)))
				return ret;
			if (nsc_rtname_parse(names, NSC_RT_TYPE, v, &id, &e) < 0)
				return ka_fail(k, &e);
			if (id >= 32)
				return ka_usage(k, "route type %u cannot be selected", id);
			s->f.types |= 1u << id;         /* ip still prints the type */
		} else if (ka_take(k, "via")) {
			slot = S_VIA;
			pfx = &s->f.via;
		} else if (ka_take(k, "src")) {
			slot = S_SRC;
			pfx = &s->f.prefsrc;
		} else if (ka_take(k, "root")) {
			slot = S_ROOT;
			pfx = &s->f.root;
		} else if (ka_take(k, "match")) {
			slot = S_MATCH;
			pfx = &s->f.match;
		} else {
			/* [exact] PREFIX: both root and match */
			struct nsc_prefix p;

			if (ka_take(k, "exact")) {
				if ((ret = ka_value(k, &v)))
					return ret;
			} else {
				v = ka_peek(k);
				if (v[0] == '-' || (!strchr(v, '.') && !strchr(v, ':') &&
						    strcmp(v, "default") && strcmp(v, "all") &&
						    strcmp(v, "any")))
					return ka_unknown(k);
				k->i++;
			}
			if (s->f.root.family || s->f.match.family)
				return ka_usage(k, "more than one prefix given");
			if ((ret = parse_selector_prefix(k, c, v, &p, &e)))
				return ret;
			if (p.family == AF_UNSPEC) {        /* "default": whatever family */
				p.family = c->family ? c->family : AF_INET;
			}
			if (p.len < 0)
				p.len = p.family == AF_INET6 ? 128 : 32;
			s->f.root = s->f.match = p;
			continue;
		}
		if (pfx) {
			if ((ret = ka_once(k, (unsigned)slot)) || (ret = ka_value(k, &v)))
				return ret;
			if ((ret = parse_selector_prefix(k, c, v, pfx, &e)))
				return ret;
			if (pfx->family == AF_UNSPEC)
				pfx->family = c->family ? c->family : AF_INET;
			if (pfx->len < 0)
				pfx->len = pfx->family == AF_INET6 ? 128 : 32;
			/* a whole address fixes the field: ip leaves it out then */
			if (slot == S_VIA && pfx->len == (pfx->family == AF_INET6 ? 128 : 32))
				s->hide |= RTP_HIDE_VIA;
			if (slot == S_SRC && pfx->len == (pfx->family == AF_INET6 ? 128 : 32))
				s->hide |= RTP_HIDE_PREFSRC;
		}
	}
	/* the family: -4/-6, else a prefix's, else IPv4 (both with table all) */
	if (s->f.family == AF_UNSPEC) {
		const struct nsc_prefix *p[] = { &s->f.root, &s->f.match, &s->f.via, &s->f.prefsrc };

		for (size_t i = 0; i < 4 && s->f.family == AF_UNSPEC; i++)
			s->f.family = p[i]->family;
		if (s->f.family == AF_UNSPEC && !s->f.all_tables)
			s->f.family = AF_INET;
	}
	{
		const struct nsc_prefix *p[] = { &s->f.root, &s->f.match, &s->f.via, &s->f.prefsrc };

		for (size_t i = 0; i < 4; i++)
			if (p[i]->family && s->f.family && p[i]->family != s->f.family)
				return ka_usage(k, "selectors of both address families");
	}
	return 0;
}

struct show_job {
	struct cli *c;
	struct rtprint p;
};

static int show_one(const struct nsc_route *r, void *arg)
{
	struct show_job *j = arg;

	rtprint_route(j->c, &j->p, r);
	return 0;
}

static int route_show(struct cli *c, struct kargs *k, bool flush)
{
	const struct nsc_rtnames *names = NULL;
	struct nsc_ifmap *map = NULL;
	struct nsc_error e = { 0 };
	struct show_job j = { .c = c };
	struct sel s;
	unsigned count;
	int ret;

	if (nsc_ctx_rtnames(c->ctx, &names, &e) < 0)
		return cli_error(c, &e);
	ret = parse_selectors(k, c, names, &s);
	if (ret)
		goto out;
	if (flush && !s.any) {
		ret = ka_usage(k, "needs a selector (table, dev, proto, scope, type, via, src "
			       "or a prefix), as ip route flush does");
		goto out;
	}
	if (c->check_only)
		goto out;
	if (s.dev && nsc_ifindex(c->ctx, c->netns, s.dev, &s.f.oif, &e) < 0) {
		ret = ka_fail(k, &e);
		goto out;
	}
	if (flush) {
		if (nsc_route_flush(c->ctx, c->netns, &s.f, &count, &e) < 0)
			ret = cli_error(c, &e);
		goto out;
	}
	if (nsc_ifmap_load(c->ctx, c->netns, &map, &e) < 0) {
		ret = cli_error(c, &e);
		goto out;
	}
	j.p = (struct rtprint){ .ifmap = map, .names = names, .hide = s.hide };
	if (c->json)
		json_arr_open(c->js);
	ret = nsc_route_list(c->ctx, c->netns, &s.f, show_one, &j, &e);
	if (c->json) {
		json_arr_close(c->js);
		cli_json_end(c);
	}
	ret = ret < 0 ? cli_error(c, &e) : EXIT_OK;
out:
	nsc_ifmap_free(map);
	return ret;
}

/* ---- get ---- */

enum { G_FROM, G_IIF, G_OIF, G_MARK, G_FIBMATCH };

static int route_get(struct cli *c, struct kargs *k)
{
	struct nsc_route_query q = { 0 };
	const struct nsc_rtnames *names = NULL;
	struct nsc_ifmap *map = NULL;
	struct nsc_error e = { 0 };
	struct nsc_route r;
	struct rtprint p;
	const char *v;
	int ret;

	while (ka_more(k)) {
		if (ka_take(k, "from")) {
			if ((ret = ka_once(k, G_FROM)) || (ret = ka_value(k, &v)))
				return ret;
			if (nsc_parse_prefix(v, c->family, 0, &q.from, &e) < 0)
				return ka_fail(k, &e);
		} else if (ka_take(k, "iif")) {
			if ((ret = ka_once(k, G_IIF)) || (ret = ka_value(k, &v)))
				return ret;
			if (nsc_ifname_check(v, &e) < 0)
				return ka_fail(k, &e);
			q.iif = v;
		} else if (ka_take(k, "oif") || ka_take(k, "dev")) {
			if ((ret = ka_once(k, G_OIF)) || (ret = ka_value(k, &v)))
				return ret;
			if (nsc_ifname_check(v, &e) < 0)
				return ka_fail(k, &e);
			q.oif = v;
		} else if (ka_take(k, "mark")) {
			if ((ret = ka_once(k, G_MARK)) || (ret = ka_value(k, &v)))
				return ret;
			if (nsc_parse_u32(v, 0, UINT32_MAX, &q.mark, "mark", &e) < 0)
				return ka_fail(k, &e);
			q.has_mark = true;
		} else if (ka_take(k, "fibmatch")) {
			if ((ret = ka_once(k, G_FIBMATCH)))
				return ret;
			q.fibmatch = true;
		} else if (!q.dst.family) {
			ka_take(k, "to");
			if ((ret = ka_value(k, &v)))
				return ret;
			if (nsc_parse_prefix(v, c->family, 0, &q.dst, &e) < 0)
				return ka_fail(k, &e);
		} else {
			return ka_unknown(k);
		}
	}
	if (!q.dst.family)
		return ka_usage(k, "missing destination address");
	if (q.from.family && q.from.family != q.dst.family)
		return ka_usage(k, "from address and destination are of different families");
	if (c->check_only)
		return EXIT_OK;
	if (nsc_ctx_rtnames(c->ctx, &names, &e) < 0)
		return cli_error(c, &e);
	if (nsc_route_get(c->ctx, c->netns, &q, &r, &e) < 0 ||
	    nsc_ifmap_load(c->ctx, c->netns, &map, &e) < 0) {
		ret = cli_error(c, &e);
		goto out;
	}
	p = (struct rtprint){ .ifmap = map, .names = names };
	if (c->json)
		json_arr_open(c->js);
	rtprint_route(c, &p, &r);
	if (c->json) {
		json_arr_close(c->js);
		cli_json_end(c);
	}
	ret = EXIT_OK;
out:
	nsc_ifmap_free(map);
	return ret;
}

/* ---- add, del, replace, change, append ---- */

enum {
	M_TYPE, M_DST, M_VIA, M_DEV, M_ONLINK, M_METRIC, M_TABLE, M_SRC, M_FROM, M_PROTO,
	M_SCOPE, M_MTU, M_ADVMSS, M_HOPLIMIT, M_INITCWND, M_INITRWND, M_WINDOW,
};

static const struct {
	const char *word;
	int slot, rtax;
	uint32_t min, max;
	bool lock;                      /* "KEY lock N" allowed */
} rtax_kw[] = {
	{ "mtu", M_MTU, RTAX_MTU, 68, 65535, true },
	{ "advmss", M_ADVMSS, RTAX_ADVMSS, 0, 65535, true },
	{ "hoplimit", M_HOPLIMIT, RTAX_HOPLIMIT, 1, 255, true },
	{ "initcwnd", M_INITCWND, RTAX_INITCWND, 0, UINT32_MAX, true },
	{ "initrwnd", M_INITRWND, RTAX_INITRWND, 0, UINT32_MAX, true },
	{ "window", M_WINDOW, RTAX_WINDOW, 0, UINT32_MAX, true },
};

static int parse_nexthop(struct kargs *k, struct cli *c, struct nsc_route_nh_req *nh)
{
	struct nsc_error e = { 0 };
	uint64_t saved = k->seen;
	const char *v;
	uint32_t w;
	int ret;

	k->seen = 0;
	memset(nh, 0, sizeof(*nh));
	while (ka_more(k) && strcmp(ka_peek(k), "nexthop")) {
		if (ka_take(k, "via")) {
			if ((ret = ka_once(k, 0)) || (ret = ka_value(k, &v)))
				return ret;
			if (nsc_parse_prefix(v, c->family, 0, &nh->gateway, &e) < 0)
				return ka_fail(k, &e);
		} else if (ka_take(k, "dev")) {
			if ((ret = ka_once(k, 1)) || (ret = ka_value(k, &v)))
				return ret;
			if (nsc_ifname_check(v, &e) < 0)
				return ka_fail(k, &e);
			nh->dev = v;
		} else if (ka_take(k, "weight")) {
			if ((ret = ka_once(k, 2)) || (ret = ka_value(k, &v)))
				return ret;
			if (nsc_parse_u32(v, 1, 256, &w, "weight", &e) < 0)
				return ka_fail(k, &e);
			nh->weight = w;
		} else if (ka_take(k, "onlink")) {
			if ((ret = ka_once(k, 3)))
				return ret;
			nh->onlink = true;
		} else {
			return ka_usage(k, "unknown nexthop argument \"%.32s\" (via, dev, weight, "
					"onlink; nexthops come last)", ka_peek(k));
		}
	}
	if (!nh->gateway.family && !nh->dev)
		return ka_usage(k, "a nexthop needs via or dev");
	k->seen = saved;
	return 0;
}

static int parse_route(struct kargs *k, struct cli *c, const struct nsc_rtnames *names,
		       struct nsc_route_req *r)
{
	struct nsc_error e = { 0 };
	bool have_dst = false;
	const char *v;
	uint32_t id;
	int ret;

	nsc_route_req_init(r);
	r->family = c->family;
	while (ka_more(k)) {
		size_t m;

		for (m = 0; m < sizeof(rtax_kw) / sizeof(rtax_kw[0]); m++)
			if (ka_take(k, rtax_kw[m].word))
				break;
		if (m < sizeof(rtax_kw) / sizeof(rtax_kw[0])) {
			int x = rtax_kw[m].rtax;

			if ((ret = ka_once(k, (unsigned)rtax_kw[m].slot)))
				return ret;
			if (rtax_kw[m].lock && ka_take(k, "lock"))
				r->metrics_lock |= 1u << x;
			if ((ret = ka_value(k, &v)))
				return ret;
			if (nsc_parse_u32(v, rtax_kw[m].min, rtax_kw[m].max, &r->metrics[x],
					  rtax_kw[m].word, &e) < 0)
				return ka_fail(k, &e);
			r->metrics_mask |= 1u << x;
		} else if (ka_take(k, "via")) {
			if ((ret = ka_once(k, M_VIA)) || (ret = ka_value(k, &v)))
				return ret;
			if (nsc_parse_prefix(v, c->family, 0, &r->gateway, &e) < 0)
				return ka_fail(k, &e);
		} else if (ka_take(k, "dev") || ka_take(k, "oif")) {
			if ((ret = ka_once(k, M_DEV)) || (ret = ka_value(k, &v)))
				return ret;
			if (nsc_ifname_check(v, &e) < 0)
				return ka_fail(k, &e);
			r->dev = v;
		} else if (ka_take(k, "onlink")) {
			if ((ret = ka_once(k, M_ONLINK)))
				return ret;
			r->onlink = true;
		} else if (ka_take(k, "metric") || ka_take(k, "priority") ||
			   ka_take(k, "preference")) {
			if ((ret = ka_once(k, M_METRIC)) || (ret = ka_value(k, &v)))
				return ret;
			if (nsc_parse_u32(v, 0, UINT32_MAX, &r->metric, "metric", &e) < 0)
				return ka_fail(k, &e);
			r->has_metric = true;
		} else if (ka_take(k, "table")) {
			if ((ret = ka_once(k, M_TABLE)) || (ret = ka_value(k, &v)))
				return ret;
			if (nsc_rtname_parse(names, NSC_RT_TABLE, v, &r->table, &e) < 0)
				return ka_fail(k, &e);
			if (r->table == 0)
				return ka_usage(k, "table must be 1..4294967295 or a name");
			r->has_table = true;
		} else if (ka_take(k, "src")) {
			if ((ret = ka_once(k, M_SRC)) || (ret = ka_value(k, &v)))
				return ret;
			if (nsc_parse_prefix(v, c->family, 0, &r->prefsrc, &e) < 0)
				return ka_fail(k, &e);
		} else if (ka_take(k, "from")) {
			if ((ret = ka_once(k, M_FROM)) || (ret = ka_value(k, &v)))
				return ret;
			if (nsc_parse_prefix(v, c->family, NSC_PREFIX_ALLOW_LEN, &r->src, &e) < 0)
				return ka_fail(k, &e);
		} else if (ka_take(k, "proto") || ka_take(k, "protocol")) {
			if ((ret = ka_once(k, M_PROTO)) || (ret = ka_value(k, &v)))
				return ret;
			if (nsc_rtname_parse(names, NSC_RT_PROTO, v, &id, &e) < 0)
				return ka_fail(k, &e);
			r->protocol = (int)id;
		} else if (ka_take(k, "scope")) {
			if ((ret = ka_once(k, M_SCOPE)) || (ret = ka_value(k, &v)))
				return ret;
			if (nsc_rtname_parse(names, NSC_RT_SCOPE, v, &id, &e) < 0)
				return ka_fail(k, &e);
			r->scope = (int)id;
		} else if (ka_take(k, "nexthop")) {
			if (r->nnh == NSC_ROUTE_MAX_NH)
				return ka_usage(k, "more than %d nexthops", NSC_ROUTE_MAX_NH);
			if ((ret = parse_nexthop(k, c, &r->nh[r->nnh])))
				return ret;
			r->nnh++;
		} else if (ka_take(k, "type")) {
			if ((ret = ka_once(k, M_TYPE)) || (ret = ka_value(k, &v)))
				return ret;
			if (nsc_rtname_parse(names, NSC_RT_TYPE, v, &id, &e) < 0)
				return ka_fail(k, &e);
			r->type = (int)id;
		} else if (!have_dst && r->type < 0 &&
			   nsc_rtname_parse(names, NSC_RT_TYPE, ka_peek(k), &id, NULL) == 0 &&
			   ka_peek(k)[0] > '9') {
			/* a TYPE word before the prefix: "blackhole 198.51.100.0/24" */
			k->i++;
			k->seen |= 1ull << M_TYPE;
			r->type = (int)id;
		} else if (!have_dst) {
			ka_take(k, "to");
			if ((ret = ka_value(k, &v)))
				return ret;
			if (v[0] == '-')
				return ka_usage(k, "unknown argument \"%.32s\"", v);
			if (nsc_parse_prefix(v, c->family, NSC_PREFIX_ALLOW_LEN | NSC_PREFIX_DEFAULT,
					     &r->dst, &e) < 0)
				return ka_fail(k, &e);
			have_dst = true;
		} else {
			return ka_unknown(k);
		}
	}
	if (!have_dst)
		return ka_usage(k, "missing destination prefix (or default)");
	if (nsc_route_req_check(r, &e) < 0)
		return ka_fail(k, &e);
	return 0;
}

static int route_modify(struct cli *c, struct kargs *k, enum nsc_route_op op)
{
	const struct nsc_rtnames *names = NULL;
	struct nsc_error e = { 0 };
	struct nsc_route_req *r;
	int ret;

	/* big (nexthops): not on the stack */
	r = malloc(sizeof(*r));
	if (!r) {
		nsc_err(&e, ENOMEM, "%s", k->verb);
		return cli_error(c, &e);
	}
	if (nsc_ctx_rtnames(c->ctx, &names, &e) < 0) {
		ret = cli_error(c, &e);
		goto out;
	}
	ret = parse_route(k, c, names, r);
	if (ret || c->check_only)
		goto out;
	if (nsc_route_modify(c->ctx, c->netns, op, r, &e) < 0)
		ret = cli_error(c, &e);
out:
	free(r);
	return ret;
}

int cmd_route(struct cli *c, int argc, char **argv)
{
	static const struct {
		const char *word, *verb;
		int op;                 /* nsc_route_op, or -1 show, -2 flush, -3 get */
	} subs[] = {
		{ "show", "route show", -1 }, { "list", "route show", -1 },
		{ "ls", "route show", -1 }, { "lst", "route show", -1 },
		{ "flush", "route flush", -2 }, { "get", "route get", -3 },
		{ "add", "route add", NSC_ROUTE_ADD }, { "del", "route del", NSC_ROUTE_DEL },
		{ "delete", "route del", NSC_ROUTE_DEL },
		{ "replace", "route replace", NSC_ROUTE_REPLACE },
		{ "change", "route change", NSC_ROUTE_CHANGE },
		{ "append", "route append", NSC_ROUTE_APPEND },
	};
	struct kargs k;

	if (cli_help(argc, argv, route_help) || (argc > 2 && cli_help(argc - 1, argv + 1, route_help)))
		return EXIT_OK;
	for (size_t i = 0; argc > 1 && i < sizeof(subs) / sizeof(subs[0]); i++) {
		if (strcmp(argv[1], subs[i].word))
			continue;
		ka_init(&k, c, subs[i].verb, argc, argv, 2);
		switch (subs[i].op) {
		case -1: return route_show(c, &k, false);
		case -2: return route_show(c, &k, true);
		case -3: return route_get(c, &k);
		default: return route_modify(c, &k, (enum nsc_route_op)subs[i].op);
		}
	}
	/* a bare "route", or "route SELECTOR...": show, as ip does */
	ka_init(&k, c, "route", argc, argv, 1);
	return route_show(c, &k, false);
}
