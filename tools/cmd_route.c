// SPDX-License-Identifier: GPL-2.0-or-later
/* route: show, flush, get, add, del, replace, change, append (ip route's grammar). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/rtnetlink.h>

#include "rtprint.h"
#include "subcmd.h"

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

/* The value after the keyword just taken: a name (or number) of KIND. */
static int rtname(struct kargs *k, const struct nsc_rtnames *names, enum nsc_rtkind kind,
		  uint32_t *id)
{
	struct nsc_error e = { 0 };
	const char *v;
	int ret;

	if ((ret = ka_value(k, &v)))
		return ret;
	if (nsc_rtname_parse(names, kind, v, id, &e) < 0)
		return ka_fail(k, &e);
	return 0;
}

/* A selector's prefix: no length is a whole address, "default" -4/-6's family or IPv4. */
static int selector_prefix(struct kargs *k, const char *v, struct nsc_prefix *p)
{
	struct nsc_error e = { 0 };
	int family = k->c->family;

	if (nsc_parse_prefix(v, family, NSC_PREFIX_ALLOW_LEN | NSC_PREFIX_DEFAULT, p, &e) < 0)
		return ka_fail(k, &e);
	if (p->family == AF_UNSPEC)
		p->family = family ? family : AF_INET;
	if (p->len < 0)
		p->len = p->family == AF_INET6 ? 128 : 32;
	return 0;
}

/* via, src, root, match PREFIX */
static int selector_addr(struct kargs *k, unsigned slot, struct nsc_prefix *p, struct sel *s)
{
	const char *v;
	int ret;

	if ((ret = ka_once(k, slot)) || (ret = ka_value(k, &v)) ||
	    (ret = selector_prefix(k, v, p)))
		return ret;
	/* a whole address fixes the field: ip leaves it out then */
	if (p->len == (p->family == AF_INET6 ? 128 : 32)) {
		if (slot == S_VIA)
			s->hide |= RTP_HIDE_VIA;
		if (slot == S_SRC)
			s->hide |= RTP_HIDE_PREFSRC;
	}
	return 0;
}

/* [exact] PREFIX: both root and match */
static int selector_exact(struct kargs *k, struct sel *s)
{
	struct nsc_prefix p;
	const char *v;
	int ret;

	if (ka_take(k, "exact")) {
		if ((ret = ka_value(k, &v)))
			return ret;
	} else {
		v = ka_peek(k);
		if (v[0] == '-' || (!strchr(v, '.') && !strchr(v, ':') && strcmp(v, "default") &&
				    strcmp(v, "all") && strcmp(v, "any")))
			return ka_unknown(k);
		k->i++;
	}
	if (s->f.root.family || s->f.match.family)
		return ka_usage(k, "more than one prefix given");
	if ((ret = selector_prefix(k, v, &p)))
		return ret;
	s->f.root = s->f.match = p;
	return 0;
}

/* table TABLE|all */
static int selector_table(struct kargs *k, const struct nsc_rtnames *names, struct sel *s)
{
	uint32_t id;
	int ret;

	if ((ret = ka_once(k, S_TABLE)))
		return ret;
	if (ka_take(k, "all")) {
		s->f.all_tables = true;
		return 0;
	}
	if ((ret = rtname(k, names, NSC_RT_TABLE, &id)))
		return ret;
	if (id == 0)
		s->f.all_tables = true;     /* "unspec": every table, as ip */
	s->f.table = id;
	s->hide |= RTP_HIDE_TABLE;
	return 0;
}

static int selector(struct kargs *k, const struct nsc_rtnames *names, struct sel *s)
{
	uint32_t id;
	int ret;

	if (ka_take(k, "table"))
		return selector_table(k, names, s);
	if (ka_take(k, "dev") || ka_take(k, "oif")) {
		s->hide |= RTP_HIDE_DEV;
		return (ret = ka_once(k, S_DEV)) ? ret : ka_ifname(k, &s->dev);
	}
	if (ka_take(k, "proto") || ka_take(k, "protocol")) {
		if ((ret = ka_once(k, S_PROTO)) || (ret = rtname(k, names, NSC_RT_PROTO, &id)))
			return ret;
		s->f.protocol = (int)id;
		s->hide |= RTP_HIDE_PROTO;
	} else if (ka_take(k, "scope")) {
		if ((ret = ka_once(k, S_SCOPE)) || (ret = rtname(k, names, NSC_RT_SCOPE, &id)))
			return ret;
		s->f.scope = (int)id;
		s->hide |= RTP_HIDE_SCOPE;
	} else if (ka_take(k, "type")) {
		if ((ret = ka_once(k, S_TYPE)) || (ret = rtname(k, names, NSC_RT_TYPE, &id)))
			return ret;
		if (id >= 32)
			return ka_usage(k, "route type %u cannot be selected", id);
		s->f.types |= 1u << id;         /* ip still prints the type */
	} else if (ka_take(k, "via")) {
		return selector_addr(k, S_VIA, &s->f.via, s);
	} else if (ka_take(k, "src")) {
		return selector_addr(k, S_SRC, &s->f.prefsrc, s);
	} else if (ka_take(k, "root")) {
		return selector_addr(k, S_ROOT, &s->f.root, s);
	} else if (ka_take(k, "match")) {
		return selector_addr(k, S_MATCH, &s->f.match, s);
	} else {
		return selector_exact(k, s);
	}
	return 0;
}

static int parse_selectors(struct kargs *k, const struct nsc_rtnames *names, struct sel *s)
{
	const struct nsc_prefix *p[] = { &s->f.root, &s->f.match, &s->f.via, &s->f.prefsrc };
	int ret;

	nsc_route_filter_init(&s->f);
	s->f.family = k->c->family;
	s->dev = NULL;
	s->hide = 0;
	s->any = ka_more(k);
	while (ka_more(k))
		if ((ret = selector(k, names, s)))
			return ret;
	/* the family: -4/-6, else a prefix's, else IPv4 (both with table all) */
	for (size_t i = 0; i < 4 && s->f.family == AF_UNSPEC; i++)
		s->f.family = p[i]->family;
	if (s->f.family == AF_UNSPEC && !s->f.all_tables)
		s->f.family = AF_INET;
	for (size_t i = 0; i < 4; i++)
		if (p[i]->family && s->f.family && p[i]->family != s->f.family)
			return ka_usage(k, "selectors of both address families");
	return 0;
}

/* show and flush: the same selectors */
static int route_show(struct kargs *k)
{
	struct cli *c = k->c;
	const struct nsc_rtnames *names = NULL;
	struct rtprint_job j = { .c = c };
	struct nsc_ifmap *map = NULL;
	struct nsc_error e = { 0 };
	struct sel s;
	int ret;

	if (nsc_ctx_rtnames(c->ctx, &names, &e) < 0)
		return cli_error(c, &e);
	ret = parse_selectors(k, names, &s);
	if (ret)
		goto out;
	if (k->op == SUB_FLUSH && !s.any) {
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
	if (k->op == SUB_FLUSH) {
		if (nsc_route_flush(c->ctx, c->netns, &s.f, NULL, &e) < 0)
			ret = cli_error(c, &e);
		goto out;
	}
	if (nsc_ifmap_load(c->ctx, c->netns, &map, &e) < 0) {
		ret = cli_error(c, &e);
		goto out;
	}
	j.p = (struct rtprint){ .ifmap = map, .names = names, .hide = s.hide };
	cli_list_open(c);
	ret = nsc_route_list(c->ctx, c->netns, &s.f, rtprint_route_cb, &j, &e);
	cli_list_close(c);
	ret = ret < 0 ? cli_error(c, &e) : EXIT_OK;
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

static int parse_nexthop(struct kargs *k, struct nsc_route_nh_req *nh)
{
	uint64_t saved = k->seen;
	int family = k->c->family;
	uint32_t w;
	int ret;

	k->seen = 0;
	memset(nh, 0, sizeof(*nh));
	while (ka_more(k) && strcmp(ka_peek(k), "nexthop")) {
		if (ka_take(k, "via")) {
			if ((ret = ka_once(k, 0)) || (ret = ka_prefix(k, family, 0, &nh->gateway)))
				return ret;
		} else if (ka_take(k, "dev")) {
			if ((ret = ka_once(k, 1)) || (ret = ka_ifname(k, &nh->dev)))
				return ret;
		} else if (ka_take(k, "weight")) {
			if ((ret = ka_once(k, 2)) || (ret = ka_u32(k, 1, 256, "weight", &w)))
				return ret;
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

/* mtu, advmss, ... [lock] N: RTA_METRICS; -1 when the next word is none of them */
static int route_metric(struct kargs *k, struct nsc_route_req *r)
{
	size_t m, n = sizeof(rtax_kw) / sizeof(rtax_kw[0]);
	int x, ret;

	for (m = 0; m < n && !ka_take(k, rtax_kw[m].word); m++)
		;
	if (m == n)
		return -1;
	x = rtax_kw[m].rtax;
	if ((ret = ka_once(k, (unsigned)rtax_kw[m].slot)))
		return ret;
	if (rtax_kw[m].lock && ka_take(k, "lock"))
		r->metrics_lock |= 1u << x;
	if ((ret = ka_u32(k, rtax_kw[m].min, rtax_kw[m].max, rtax_kw[m].word, &r->metrics[x])))
		return ret;
	r->metrics_mask |= 1u << x;
	return 0;
}

/* proto, scope, type: a name or number into *out */
static int route_name(struct kargs *k, const struct nsc_rtnames *names, unsigned slot,
		      enum nsc_rtkind kind, int *out)
{
	uint32_t id;
	int ret;

	if ((ret = ka_once(k, slot)) || (ret = rtname(k, names, kind, &id)))
		return ret;
	*out = (int)id;
	return 0;
}

/* The keywords that take an address, a device or a number; -1 when none of them. */
static int route_kw(struct kargs *k, struct nsc_route_req *r)
{
	int family = k->c->family, ret;

	if (ka_take(k, "via"))
		return (ret = ka_once(k, M_VIA)) ? ret : ka_prefix(k, family, 0, &r->gateway);
	if (ka_take(k, "dev") || ka_take(k, "oif"))
		return (ret = ka_once(k, M_DEV)) ? ret : ka_ifname(k, &r->dev);
	if (ka_take(k, "src"))
		return (ret = ka_once(k, M_SRC)) ? ret : ka_prefix(k, family, 0, &r->prefsrc);
	if (ka_take(k, "from"))
		return (ret = ka_once(k, M_FROM)) ? ret :
		       ka_prefix(k, family, NSC_PREFIX_ALLOW_LEN, &r->src);
	if (ka_take(k, "onlink")) {
		r->onlink = true;
		return ka_once(k, M_ONLINK);
	}
	if (ka_take(k, "metric") || ka_take(k, "priority") || ka_take(k, "preference")) {
		r->has_metric = true;
		return (ret = ka_once(k, M_METRIC)) ? ret :
		       ka_u32(k, 0, UINT32_MAX, "metric", &r->metric);
	}
	return route_metric(k, r);
}

/* "[TYPE] [to] PREFIX": the destination, or a type word before it */
static int route_dst(struct kargs *k, const struct nsc_rtnames *names, struct nsc_route_req *r,
		     bool *have_dst)
{
	uint32_t id;
	int ret;

	if (r->type < 0 && nsc_rtname_parse(names, NSC_RT_TYPE, ka_peek(k), &id, NULL) == 0 &&
	    ka_peek(k)[0] > '9') {
		/* a TYPE word before the prefix: "blackhole 198.51.100.0/24" */
		k->i++;
		k->seen |= 1ull << M_TYPE;
		r->type = (int)id;
		return 0;
	}
	if ((ret = ka_to_prefix(k, k->c->family, NSC_PREFIX_ALLOW_LEN | NSC_PREFIX_DEFAULT,
				&r->dst)))
		return ret;
	*have_dst = true;
	return 0;
}

static int route_word(struct kargs *k, const struct nsc_rtnames *names, struct nsc_route_req *r,
		      bool *have_dst)
{
	uint32_t table;
	int ret;

	if ((ret = route_kw(k, r)) >= 0)
		return ret;
	if (ka_take(k, "table")) {
		if ((ret = ka_once(k, M_TABLE)) || (ret = rtname(k, names, NSC_RT_TABLE, &table)))
			return ret;
		if (table == 0)
			return ka_usage(k, "table must be 1..4294967295 or a name");
		r->table = table;
		r->has_table = true;
	} else if (ka_take(k, "proto") || ka_take(k, "protocol")) {
		return route_name(k, names, M_PROTO, NSC_RT_PROTO, &r->protocol);
	} else if (ka_take(k, "scope")) {
		return route_name(k, names, M_SCOPE, NSC_RT_SCOPE, &r->scope);
	} else if (ka_take(k, "type")) {
		return route_name(k, names, M_TYPE, NSC_RT_TYPE, &r->type);
	} else if (ka_take(k, "nexthop")) {
		if (r->nnh == NSC_ROUTE_MAX_NH)
			return ka_usage(k, "more than %d nexthops", NSC_ROUTE_MAX_NH);
		if ((ret = parse_nexthop(k, &r->nh[r->nnh])))
			return ret;
		r->nnh++;
	} else if (!*have_dst) {
		return route_dst(k, names, r, have_dst);
	} else {
		return ka_unknown(k);
	}
	return 0;
}

static int parse_route(struct kargs *k, const struct nsc_rtnames *names, struct nsc_route_req *r)
{
	struct nsc_error e = { 0 };
	bool have_dst = false;
	int ret;

	nsc_route_req_init(r);
	r->family = k->c->family;
	while (ka_more(k))
		if ((ret = route_word(k, names, r, &have_dst)))
			return ret;
	if (!have_dst)
		return ka_usage(k, "missing destination prefix (or default)");
	if (nsc_route_req_check(r, &e) < 0)
		return ka_fail(k, &e);
	return 0;
}

static int route_modify(struct kargs *k)
{
	const struct nsc_rtnames *names = NULL;
	struct nsc_error e = { 0 };
	struct cli *c = k->c;
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
	ret = parse_route(k, names, r);
	if (ret || c->check_only)
		goto out;
	if (nsc_route_modify(c->ctx, c->netns, (enum nsc_route_op)k->op, r, &e) < 0)
		ret = cli_error(c, &e);
out:
	free(r);
	return ret;
}

/* ---- get ---- */

enum { G_FROM, G_IIF, G_OIF, G_MARK, G_FIBMATCH };

static int get_kw(struct kargs *k, struct nsc_route_query *q)
{
	int family = k->c->family, ret;

	if (ka_take(k, "from"))
		return (ret = ka_once(k, G_FROM)) ? ret : ka_prefix(k, family, 0, &q->from);
	if (ka_take(k, "iif"))
		return (ret = ka_once(k, G_IIF)) ? ret : ka_ifname(k, &q->iif);
	if (ka_take(k, "oif") || ka_take(k, "dev"))
		return (ret = ka_once(k, G_OIF)) ? ret : ka_ifname(k, &q->oif);
	if (ka_take(k, "mark")) {
		q->has_mark = true;
		return (ret = ka_once(k, G_MARK)) ? ret :
		       ka_u32(k, 0, UINT32_MAX, "mark", &q->mark);
	}
	if (ka_take(k, "fibmatch")) {
		q->fibmatch = true;
		return ka_once(k, G_FIBMATCH);
	}
	if (q->dst.family)
		return ka_unknown(k);
	ka_take(k, "to");
	return ka_prefix(k, family, 0, &q->dst);
}

static int route_get(struct kargs *k)
{
	struct nsc_route_query q = { 0 };
	const struct nsc_rtnames *names = NULL;
	struct nsc_ifmap *map = NULL;
	struct nsc_error e = { 0 };
	struct cli *c = k->c;
	struct nsc_route r;
	struct rtprint p;
	int ret;

	while (ka_more(k))
		if ((ret = get_kw(k, &q)))
			return ret;
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
	cli_list_open(c);
	rtprint_route(c, &p, &r);
	cli_list_close(c);
	ret = EXIT_OK;
out:
	nsc_ifmap_free(map);
	return ret;
}
static const struct subcmd route_cmds[] = {
	{ "show list ls lst", route_show, SUB_SHOW },
	{ "flush", route_show, SUB_FLUSH },
	{ "get", route_get },
	{ "append", route_modify, NSC_ROUTE_APPEND },
	SUBCMD_CHANGES(route_modify, NSC_ROUTE),
};

/* a bare "route", or "route SELECTOR...": show, as ip does */
const struct subcmds route_group = {
	"route", route_help, SUBCMDS(route_cmds), &route_cmds[0], NULL,
	SUB_HELP_SECOND | SUB_DEFAULT_ANY,
};
