// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * One route or neighbour, printed as ip prints it: the same words in text
 * (without ip's trailing blanks), the same keys and value types in JSON.
 */
#include <stdarg.h>
#include <sys/socket.h>
#include <stdio.h>
#include <string.h>
#include <linux/icmpv6.h>
#include <linux/in_route.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>

#include "rtprint.h"

/* Text items go out separated by one blank; JSON goes to the writer. */
struct out {
	struct json *js;                /* NULL: text */
	bool bol;                       /* at the start of a text line */
};

__attribute__((format(printf, 2, 3)))
static void item(struct out *o, const char *fmt, ...)
{
	va_list ap;

	if (!o->bol)
		putchar(' ');
	o->bol = false;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
}

/* Start a continuation line ("\n    cache", "\n\tnexthop"). */
static void newline(struct out *o, const char *lead)
{
	putchar('\n');
	fputs(lead, stdout);
	o->bol = false;
}

/* JSON "key": v; text "label v" (just "v" for an empty label) */
static void f_str(struct out *o, const char *key, const char *label, const char *v)
{
	if (o->js)
		json_kv_str(o->js, key, v);
	else
		item(o, "%s%s%s", label, *label ? " " : "", v);
}

static void f_uint(struct out *o, const char *key, const char *label, uint64_t v)
{
	if (o->js)
		json_kv_uint(o->js, key, v);
	else
		item(o, "%s %llu", label, (unsigned long long)v);
}

/* A key with the value null in JSON (ip's "router": null), a word in text. */
static void f_null(struct out *o, const char *key)
{
	if (o->js) {
		json_key(o->js, key);
		json_null(o->js);
	} else {
		item(o, "%s", key);
	}
}

static const char *ifname(const struct rtprint *p, int index, char *buf, size_t size)
{
	const char *name = nsc_ifmap_name(p->ifmap, index);
	struct nsc_error e = { 0 };
	char n[16];

	if (name)
		return name;
	if (p->ctx && nsc_ifname(p->ctx, p->netns, index, n, &e) == 0)
		snprintf(buf, size, "%s", n);
	else
		snprintf(buf, size, "if%d", index);
	return buf;
}

/* "KEY": [WORDS] in JSON; in text each word an item */
static void words(struct out *o, const char *key, const char *const *w, size_t n)
{
	if (o->js) {
		json_key(o->js, key);
		json_arr_open(o->js);
	}
	for (size_t i = 0; i < n; i++) {
		if (o->js)
			json_str(o->js, w[i]);
		else
			item(o, "%s", w[i]);
	}
	if (o->js)
		json_arr_close(o->js);
}

struct bit_name {
	uint32_t bit;
	const char *name;
};

#define MAX_BITS 32

/* The names of the bits of FLAGS that table t has, in its order; *rest: the others. */
static size_t bit_names(uint32_t flags, const struct bit_name *t, size_t n,
			const char *out[MAX_BITS], uint32_t *rest)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		if (flags & t[i].bit)
			out[k++] = t[i].name;
		flags &= ~t[i].bit;
	}
	*rest = flags;
	return k;
}

/* ---- routes ---- */

static void flags_array(struct out *o, uint32_t flags)
{
	static const struct bit_name rt_flags[] = {
		{ RTNH_F_DEAD, "dead" }, { RTNH_F_ONLINK, "onlink" },
		{ RTNH_F_PERVASIVE, "pervasive" }, { RTNH_F_OFFLOAD, "offload" },
		{ 64 /* RTNH_F_TRAP */, "trap" }, { RTM_F_NOTIFY, "notify" },
		{ RTNH_F_LINKDOWN, "linkdown" }, { RTNH_F_UNRESOLVED, "unresolved" },
		{ RTM_F_OFFLOAD, "rt_offload" }, { RTM_F_TRAP, "rt_trap" },
		{ 0x20000000 /* RTM_F_OFFLOAD_FAILED */, "rt_offload_failed" },
	};
	const char *names[MAX_BITS];
	uint32_t rest;
	size_t n = bit_names(flags, rt_flags, sizeof(rt_flags) / sizeof(rt_flags[0]), names,
			     &rest);

	words(o, "flags", names, n);
}

/* IPv4 cache entries (route get): "cache <local,brd>" on its own line */
static void cache_flags(struct out *o, uint32_t flags)
{
	static const struct bit_name cf[] = {
		{ RTCF_LOCAL, "local" }, { RTCF_REJECT, "reject" },
		{ RTCF_MULTICAST, "mc" }, { RTCF_BROADCAST, "brd" },
		{ RTCF_DNAT, "dst-nat" }, { RTCF_SNAT, "src-nat" },
		{ RTCF_MASQ, "masq" }, { RTCF_DIRECTDST, "dst-direct" },
		{ RTCF_DIRECTSRC, "src-direct" }, { RTCF_REDIRECTED, "redirected" },
		{ RTCF_DOREDIRECT, "redirect" }, { RTCF_FAST, "fastroute" },
		{ RTCF_NOTIFY, "notify" }, { RTCF_TPROXY, "proxy" },
	};
	const char *names[MAX_BITS];
	char text[256] = "";
	size_t len = 0, n;
	uint32_t rest;

	n = bit_names(flags & ~0xffffu, cf, sizeof(cf) / sizeof(cf[0]), names, &rest);
	if (o->js) {
		words(o, "cache", names, n);
		return;
	}
	for (size_t i = 0; i < n; i++)
		len += (size_t)snprintf(text + len, sizeof(text) - len, "%s%s", len ? "," : "",
					names[i]);
	newline(o, "    cache");
	if (rest)
		snprintf(text + len, sizeof(text) - len, "%s%x", len ? "," : "", rest);
	if (text[0])
		item(o, "<%s>", text);
}

static const char *const rtax_names[NSC_RTAX_MAX + 1] = {
	[RTAX_MTU] = "mtu",
	[RTAX_WINDOW] = "window",
	[RTAX_RTT] = "rtt",
	[RTAX_RTTVAR] = "rttvar",
	[RTAX_SSTHRESH] = "ssthresh",
	[RTAX_CWND] = "cwnd",
	[RTAX_ADVMSS] = "advmss",
	[RTAX_REORDERING] = "reordering",
	[RTAX_HOPLIMIT] = "hoplimit",
	[RTAX_INITCWND] = "initcwnd",
	[RTAX_FEATURES] = "features",
	[RTAX_RTO_MIN] = "rto_min",
	[RTAX_INITRWND] = "initrwnd",
	[RTAX_QUICKACK] = "quickack",
	[RTAX_CC_ALGO] = "congctl",
	[RTAX_FASTOPEN_NO_COOKIE] = "fastopen_no_cookie",
};

/* RTA_METRICS: "mtu 1400", "mtu lock 1400"; JSON [{"mtu":1400}] */
static void metrics(struct out *o, const struct nsc_route *r)
{
	uint32_t lock = (r->metrics_mask & (1u << RTAX_LOCK)) ? r->metrics[RTAX_LOCK] : 0;

	if (!(r->metrics_mask & ~(1u << RTAX_LOCK)) && !lock)
		return;
	if (o->js) {
		json_key(o->js, "metrics");
		json_arr_open(o->js);
		json_obj_open(o->js);
	}
	for (int i = 2; i <= NSC_RTAX_MAX; i++) {
		uint32_t v = r->metrics[i];
		const char *name = rtax_names[i];
		char nbuf[24];

		if (!(r->metrics_mask & (1u << i)) && !(lock & (1u << i)))
			continue;
		if (i == RTAX_HOPLIMIT && (int32_t)v == -1)
			continue;
		if (!name) {
			snprintf(nbuf, sizeof(nbuf), "metric %d", i);
			name = nbuf;
		}
		if (!o->js)
			item(o, "%s%s", name, lock & (1u << i) ? " lock" : "");
		switch (i) {
		case RTAX_CC_ALGO:
			if (o->js)
				json_kv_str(o->js, "congestion", r->congctl);
			else
				item(o, "%s", r->congctl);
			break;
		case RTAX_FEATURES:
			if (o->js)
				json_kv_uint(o->js, name, v);
			else if (v == RTAX_FEATURE_ECN)
				item(o, "ecn");
			else
				item(o, "0x%x", v);
			break;
		case RTAX_RTT:
		case RTAX_RTTVAR:
		case RTAX_RTO_MIN:
			if (i == RTAX_RTT)
				v /= 8;
			else if (i == RTAX_RTTVAR)
				v /= 4;
			if (o->js)
				json_kv_uint(o->js, name, v);
			else if (v >= 1000)
				item(o, "%gs", v / 1e3);
			else
				item(o, "%ums", v);
			break;
		default:
			if (o->js)
				json_kv_uint(o->js, name, v);
			else
				item(o, "%u", v);
		}
	}
	if (o->js) {
		json_obj_close(o->js);
		json_arr_close(o->js);
	}
}

/* A gateway of the route's family is "via X" / "gateway"; of the other
 * family (RTA_VIA), "via inet6 X" / "via": {"family", "host"}. */
static void gateway(struct out *o, int family, const struct nsc_prefix *gw)
{
	char a[64];

	nsc_route_addr_str(gw, false, a, sizeof(a));
	if (gw->family == family) {
		f_str(o, "gateway", "via", a);
		return;
	}
	if (o->js) {
		json_key(o->js, "via");
		json_obj_open(o->js);
		json_kv_str(o->js, "family", gw->family == AF_INET6 ? "inet6" : "inet");
		json_kv_str(o->js, "host", a);
		json_obj_close(o->js);
	} else {
		item(o, "via %s %s", gw->family == AF_INET6 ? "inet6" : "inet", a);
	}
}

static void nexthops(struct out *o, const struct rtprint *p, const struct nsc_route *r)
{
	char b[32];

	if (!r->nnh_total)
		return;
	if (o->js) {
		json_key(o->js, "nexthops");
		json_arr_open(o->js);
	}
	for (unsigned i = 0; i < r->nnh; i++) {
		const struct nsc_nexthop *nh = &r->nh[i];

		if (o->js)
			json_obj_open(o->js);
		else
			newline(o, "\tnexthop");
		if (nh->gateway.family)
			gateway(o, r->family, &nh->gateway);
		if (nh->ifindex)
			f_str(o, "dev", "dev", ifname(p, nh->ifindex, b, sizeof(b)));
		f_uint(o, "weight", "weight", nh->weight);
		flags_array(o, nh->flags);
		if (o->js)
			json_obj_close(o->js);
	}
	if (o->js)
		json_arr_close(o->js);
	else if (r->nnh < r->nnh_total)
		newline(o, "\t...");           /* more than we keep: say so */
}

void rtprint_route(struct cli *c, const struct rtprint *p, const struct nsc_route *r)
{
	struct out o = { .js = c->json ? c->js : NULL, .bol = true };
	bool cloned = r->flags & RTM_F_CLONED;
	char a[64], b[32];

	if (o.js)
		json_obj_open(o.js);
	if (r->type != RTN_UNICAST && !(p->hide & RTP_HIDE_TYPE))
		f_str(&o, "type", "", nsc_rtname_str(p->names, NSC_RT_TYPE, r->type, b, sizeof(b)));
	f_str(&o, "dst", "", nsc_route_addr_str(&r->dst, true, a, sizeof(a)));
	if (r->src.family)
		f_str(&o, "from", "from", nsc_route_addr_str(&r->src, false, a, sizeof(a)));
	if (r->tos) {
		snprintf(b, sizeof(b), "0x%02x", r->tos);
		f_str(&o, "tos", "tos", b);
	}
	if (r->gateway.family && !(p->hide & RTP_HIDE_VIA))
		gateway(&o, r->family, &r->gateway);
	if (r->oif && !(p->hide & RTP_HIDE_DEV))
		f_str(&o, "dev", "dev", ifname(p, r->oif, b, sizeof(b)));
	if (r->table && r->table != RT_TABLE_MAIN && !(p->hide & RTP_HIDE_TABLE))
		f_str(&o, "table", "table",
		      nsc_rtname_str(p->names, NSC_RT_TABLE, r->table, b, sizeof(b)));
	if (!cloned) {
		if (r->protocol != RTPROT_BOOT && !(p->hide & RTP_HIDE_PROTO))
			f_str(&o, "protocol", "proto",
			      nsc_rtname_str(p->names, NSC_RT_PROTO, r->protocol, b, sizeof(b)));
		if (r->scope != RT_SCOPE_UNIVERSE && !(p->hide & RTP_HIDE_SCOPE))
			f_str(&o, "scope", "scope",
			      nsc_rtname_str(p->names, NSC_RT_SCOPE, r->scope, b, sizeof(b)));
	}
	if (r->prefsrc.family && !(p->hide & RTP_HIDE_PREFSRC))
		f_str(&o, "prefsrc", "src", nsc_route_addr_str(&r->prefsrc, false, a, sizeof(a)));
	if (r->has_metric)
		f_uint(&o, "metric", "metric", r->metric);
	flags_array(&o, r->flags);
	if (r->mark) {
		if (o.js)
			json_kv_uint(o.js, "mark", r->mark);
		else if (r->mark >= 16)
			item(&o, "mark 0x%x", r->mark);
		else
			item(&o, "mark %u", r->mark);
	}
	if (r->has_uid)
		f_uint(&o, "uid", "uid", r->uid);
	if (cloned && r->family == AF_INET)
		cache_flags(&o, r->flags);
	if (r->expires) {
		if (o.js)
			json_kv_int(o.js, "expires", r->expires);
		else
			item(&o, "expires %dsec", r->expires);
	}
	if (r->cache_error)
		f_uint(&o, "error", "error", r->cache_error);
	metrics(&o, r);
	if (r->iif)
		f_str(&o, "iif", "iif", ifname(p, r->iif, b, sizeof(b)));
	nexthops(&o, p, r);
	if (r->has_pref) {
		const char *pref = r->pref == ICMPV6_ROUTER_PREF_LOW ? "low" :
				   r->pref == ICMPV6_ROUTER_PREF_MEDIUM ? "medium" :
				   r->pref == ICMPV6_ROUTER_PREF_HIGH ? "high" : NULL;

		if (!pref) {
			snprintf(b, sizeof(b), "%u", r->pref);
			pref = b;
		}
		f_str(&o, "pref", "pref", pref);
	}
	if (o.js)
		json_obj_close(o.js);
	else
		putchar('\n');
}

/* ---- neighbours ---- */

void rtprint_neigh(struct cli *c, const struct rtprint *p, const struct nsc_neigh *n)
{
	struct out o = { .js = c->json ? c->js : NULL, .bol = true };
	char a[3 * NSC_LLADDR_MAX + 1], b[32];
	uint16_t state = n->state;

	if (o.js)
		json_obj_open(o.js);
	if (n->dst.family)
		f_str(&o, "dst", "", nsc_route_addr_str(&n->dst, false, a, sizeof(a)));
	if (n->ifindex && !(p->hide & RTP_HIDE_DEV))
		f_str(&o, "dev", "dev", ifname(p, n->ifindex, b, sizeof(b)));
	if (n->lladdr_len)
		f_str(&o, "lladdr", "lladdr", nsc_lladdr_str(n->lladdr, n->lladdr_len, a, sizeof(a)));
	if (n->flags & NTF_ROUTER)
		f_null(&o, "router");
	if (n->flags & NTF_PROXY)
		f_null(&o, "proxy");
	if (n->flags & NTF_EXT_LEARNED)
		f_null(&o, "extern_learn");
	if (n->flags & NTF_OFFLOADED)
		f_null(&o, "offload");
	if (c->stats && n->has_cacheinfo) {
		if (n->refcnt)
			f_uint(&o, "refcnt", "ref", n->refcnt);
		if (o.js) {
			json_kv_uint(o.js, "used", n->used);
			json_kv_uint(o.js, "confirmed", n->confirmed);
			json_kv_uint(o.js, "updated", n->updated);
		} else {
			item(&o, "used %u/%u/%u", n->used, n->confirmed, n->updated);
		}
	}
	if (c->stats && n->has_probes)
		f_uint(&o, "probes", "probes", n->probes);
	if (state) {
		const char *names[MAX_BITS];
		size_t k = 0;

		for (uint16_t bit = 1; bit <= NUD_PERMANENT; bit <<= 1)
			if ((state & bit) && nsc_nud_name(bit))
				names[k++] = nsc_nud_name(bit);
		words(&o, "state", names, k);
	}
	if (o.js)
		json_obj_close(o.js);
	else
		putchar('\n');
}

int rtprint_route_cb(const struct nsc_route *r, void *job)
{
	struct rtprint_job *j = job;

	rtprint_route(j->c, &j->p, r);
	return 0;
}

int rtprint_neigh_cb(const struct nsc_neigh *n, void *job)
{
	struct rtprint_job *j = job;

	rtprint_neigh(j->c, &j->p, n);
	return 0;
}
