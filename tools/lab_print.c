// SPDX-License-Identifier: GPL-2.0-or-later
/* Printing labs: differences, show (text and JSON), graph (DOT). */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "lab_print.h"

static const char *const kinds[] = {
	[NSC_LAB_NETNS] = "namespace", [NSC_LAB_LINK] = "link", [NSC_LAB_BRIDGE] = "bridge",
	[NSC_LAB_ADDRESS] = "address", [NSC_LAB_ROUTE] = "route",
	[NSC_LAB_NEIGHBOUR] = "neighbour", [NSC_LAB_SYSCTL] = "sysctl", [NSC_LAB_EXEC] = "exec",
	[NSC_LAB_SERVICE] = "service", [NSC_LAB_HOSTS] = "hosts",
	[NSC_LAB_HOSTNAME] = "hostname",
};

static const char *const changes[] = {
	[NSC_LAB_MISSING] = "missing", [NSC_LAB_EXTRA] = "extra",
	[NSC_LAB_DIFFERS] = "differs", [NSC_LAB_FOREIGN] = "foreign",
};

static bool recorded(const struct nsc_lab_item *it)
{
	return it->have && !strcmp(it->have, "recorded");
}

void lab_item_text(FILE *f, const struct nsc_lab_item *it)
{
	const char *kind = kinds[it->kind], *obj = it->object;

	fprintf(f, "%s%s%s: ", it->netns, it->dev ? " " : "", it->dev ? it->dev : "");
	switch (it->change) {
	case NSC_LAB_MISSING:
		switch (it->kind) {
		case NSC_LAB_SYSCTL:
			fprintf(f, "sysctl %s not set, want %s", obj, it->want);
			break;
		case NSC_LAB_EXEC:
			fprintf(f, "exec commands not run (%s)", obj);
			break;
		case NSC_LAB_SERVICE:
			fprintf(f, "service %s not running (%s)", obj, it->have);
			break;
		case NSC_LAB_LINK:
			fprintf(f, "missing %s", obj);
			break;
		case NSC_LAB_ROUTE:
			fprintf(f, "missing route %s %s", obj, it->want);
			break;
		case NSC_LAB_NEIGHBOUR:
			fprintf(f, "missing neighbour %s lladdr %s", obj, it->want);
			break;
		default:
			fprintf(f, "missing %s%s%s", kind, obj ? " " : "", obj ? obj : "");
			break;
		}
		break;
	case NSC_LAB_DIFFERS:
		if (it->kind == NSC_LAB_EXEC) {
			fprintf(f, "exec commands changed since they ran (%s)", obj);
			break;
		}
		if (it->kind == NSC_LAB_SERVICE) {
			if (strcmp(it->attr, "state"))
				fprintf(f, "service %s runs an old definition", obj);
			else
				fprintf(f, "service %s not ready (%s)", obj, it->have);
			break;
		}
		fprintf(f, "%s%s%s", kind, obj ? " " : "", obj ? obj : "");
		/* a route or a sysctl is its value: no attribute name */
		if (strcmp(it->attr, "route") && strcmp(it->attr, "value"))
			fprintf(f, " %s", it->attr);
		fprintf(f, " %s, want %s", it->have ? it->have : "unreadable", it->want);
		break;
	case NSC_LAB_EXTRA:
		fprintf(f, "extra %s%s%s", kind, obj ? " " : "", obj ? obj : "");
		if (it->want && *it->want)
			fprintf(f, " %s", it->want);
		fputs(recorded(it) ? " (made by the lab)" : " (not made by the lab)", f);
		break;
	case NSC_LAB_FOREIGN:
		fprintf(f, "%s in the way: %s", kind, it->have ? it->have : "not the lab's");
		break;
	}
}

void lab_item_json(struct json *j, const struct nsc_lab_item *it, unsigned flags)
{
	json_obj_open(j);
	json_kv_str(j, "netns", it->netns);
	if (it->dev)
		json_kv_str(j, "dev", it->dev);
	json_kv_str(j, "kind", kinds[it->kind]);
	json_kv_str(j, "change", changes[it->change]);
	if (it->object)
		json_kv_str(j, "object", it->object);
	if (it->attr)
		json_kv_str(j, "attr", it->attr);
	if (it->change == NSC_LAB_EXTRA) {
		json_kv_bool(j, "recorded", recorded(it));
		if (it->want)
			json_kv_str(j, "what", it->want);
	} else if (it->change == NSC_LAB_FOREIGN) {
		json_kv_str(j, "why", it->have ? it->have : "");
	} else {
		if (it->change == NSC_LAB_DIFFERS)
			json_kv_str_or_null(j, "have", it->have);
		if (it->want)
			json_kv_str(j, "want", it->want);
	}
	if (it->pos.line) {
		json_kv_uint(j, "line", it->pos.line);
		json_kv_uint(j, "column", it->pos.col);
	}
	json_kv_bool(j, "action", it->action);
	if (flags & LAB_ITEM_DONE)
		json_kv_bool(j, "done", it->done);
	if ((flags & LAB_ITEM_CMD) && it->cmd)
		json_kv_str(j, "cmd", it->cmd);
	json_obj_close(j);
}

/* ---- show ---- */

static const char *addr_str(const struct nsc_prefix *p, char *buf, size_t size)
{
	char a[INET6_ADDRSTRLEN];

	if (p->family != AF_INET && p->family != AF_INET6) {
		snprintf(buf, size, "default");
		return buf;
	}
	inet_ntop(p->family, p->addr, a, sizeof(a));
	if (p->len >= 0)
		snprintf(buf, size, "%s/%d", a, p->len);
	else
		snprintf(buf, size, "%s", a);
	return buf;
}

static const char *mac_str(const uint8_t *m, char buf[18])
{
	snprintf(buf, 18, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
	return buf;
}

static const char *presence(enum nsc_lab_presence p)
{
	switch (p) {
	case NSC_LAB_PRESENT: return "present";
	case NSC_LAB_NOT_OURS: return "foreign";
	default: return "absent";
	}
}

static const char *state_of(const struct nsc_lab_info *info)
{
	if (!info)
		return "never applied";
	if (info->stale)
		return "from an earlier boot";
	return info->complete ? "applied" : "incomplete";
}

static const struct nsc_lab_end *other(const struct nsc_lab_link *k, const struct nsc_lab_end *e)
{
	return e == &k->a ? &k->b : &k->a;
}

static const char *end_name(const struct nsc_lab_end *e)
{
	return e->kind == NSC_LAB_END_NODE ? e->node->name : e->bridge->name;
}

/* The link ends on one node or bridge, in the lab's order. */
struct ends {
	const struct nsc_lab *lab;
	const void *owner;              /* a struct nsc_lab_node or nsc_lab_bridge */
	size_t pos;                     /* 2 * link + side: where to look next */
	/* the one found */
	const struct nsc_lab_link *link;
	const struct nsc_lab_end *e;
	size_t i;                       /* its link's index */
	int side;                       /* 0: a, 1: b */
};

static bool ends_next(struct ends *it)
{
	for (; it->pos < 2 * it->lab->n_links; it->pos++) {
		const struct nsc_lab_link *k = &it->lab->links[it->pos / 2];
		const struct nsc_lab_end *e = it->pos % 2 ? &k->b : &k->a;

		if ((e->kind == NSC_LAB_END_NODE ? (const void *)e->node :
		     (const void *)e->bridge) != it->owner)
			continue;
		it->link = k;
		it->e = e;
		it->i = it->pos / 2;
		it->side = (int)(it->pos % 2);
		it->pos++;
		return true;
	}
	return false;
}

/* "  eth1 ADDR... -> r2 eth1 mac M mtu N: present" */
static void show_iface(FILE *f, const struct ends *it, const struct nsc_lab_status *st)
{
	const struct nsc_lab_end *e = it->e, *o = other(it->link, e);
	char a[64], m[18];

	fprintf(f, "  %s", e->ifname);
	for (size_t j = 0; j < e->n_addrs; j++)
		fprintf(f, " %s", addr_str(&e->addrs[j].prefix, a, sizeof(a)));
	if (o->kind == NSC_LAB_END_NODE)
		fprintf(f, " -> %s %s", o->node->name, o->ifname);
	else
		fprintf(f, " -> bridge %s (%s)", o->bridge->name, o->ifname);
	/* the file's; a derived one is in -j (lab show -j) */
	if (e->has_mac && !e->mac_derived)
		fprintf(f, " mac %s", mac_str(e->mac, m));
	if (it->link->mtu)
		fprintf(f, " mtu %u", it->link->mtu);
	if (e->dynamic)
		fprintf(f, " dynamic");
	if (e->impair.set) {
		char im[256];

		fprintf(f, " impair %s", nsc_impair_str(&e->impair, im, sizeof(im)));
	}
	if (st)
		fprintf(f, ": %s", presence(st->ends[it->i][it->side]));
	fputc('\n', f);
}

/* A host's share: the VXLAN ends of node NODE or bridge BR (one is NULL). */
static void show_vxlans(FILE *f, const struct nsc_lab *lab, const struct nsc_lab_node *node,
			const struct nsc_lab_bridge *br)
{
	char a[64];

	for (size_t i = 0; i < lab->n_vxlans; i++) {
		const struct nsc_lab_vxlan *vx = &lab->vxlans[i];
		const struct nsc_lab_end *e = &vx->end;

		if (e->kind == NSC_LAB_END_NODE ? e->node != node : e->bridge != br)
			continue;
		fprintf(f, "  %s", e->ifname);
		for (size_t j = 0; j < e->n_addrs; j++)
			fprintf(f, " %s", addr_str(&e->addrs[j].prefix, a, sizeof(a)));
		fprintf(f, " -> %s %s: vxlan %u remote %s dev %s mtu %u%s\n", vx->remote->name,
			vx->other, vx->vni, addr_str(&vx->remote->address, a, sizeof(a)), vx->dev,
			vx->mtu, e->dynamic ? " dynamic" : "");
	}
}

/* " on HOST", in a lab across hosts */
static void show_host(FILE *f, const struct nsc_lab_host *h)
{
	if (h)
		fprintf(f, " on %s", h->name);
}

static const char *const restart_words[] = { "no", "on-failure", "always" };

/* "  service web: python3 -m http.server 8080 (after a.db, restart always,
 * ready tcp 8080 within 10 s)": a string cmd as written, a list's words
 * one space apart */
static void show_service(FILE *f, const struct nsc_lab_service *s)
{
	const char *sep = " (";
	bool str = s->argc == 3 && !strcmp(s->argv[0], "/bin/sh") && !strcmp(s->argv[1], "-c");

	fprintf(f, "  service %s:", s->name);
	for (size_t i = str ? 2 : 0; i < s->argc; i++) {
		fputc(' ', f);
		cli_put_printable(f, s->argv[i], false);
	}
	for (size_t i = 0; i < s->n_after; i++, sep = ", ")
		fprintf(f, "%safter %s", sep, s->after[i]);
	if (s->user) {
		fprintf(f, "%suser ", sep);
		cli_put_printable(f, s->user, false);
		sep = ", ";
	}
	if (s->restart != NSC_LAB_RESTART_NO) {
		fprintf(f, "%srestart %s", sep, restart_words[s->restart]);
		sep = ", ";
	}
	if (s->ready_tcp) {
		fprintf(f, "%sready tcp %u within %u s", sep, s->ready_tcp, s->ready_timeout);
		sep = ", ";
	} else if (s->ready_cmd) {
		fprintf(f, "%sready cmd ", sep);
		cli_put_printable(f, s->ready_cmd, false);
		fprintf(f, " within %u s", s->ready_timeout);
		sep = ", ";
	}
	fputs(sep[0] == ',' ? ")\n" : "\n", f);
}

/* a node's routes, neighbours, sysctls (the lab's, then its own) and commands */
static void show_node_config(FILE *f, const struct nsc_lab *lab, const struct nsc_lab_node *node)
{
	char a[64], m[18];

	for (size_t i = 0; i < node->n_routes; i++) {
		const struct nsc_lab_route *r = &node->routes[i];

		fprintf(f, "  route %s", r->to.len ? addr_str(&r->to, a, sizeof(a)) : "default");
		if (r->has_via)
			fprintf(f, " via %s", addr_str(&r->via, a, sizeof(a)));
		if (r->dev)
			fprintf(f, " dev %s", r->dev);
		if (r->has_metric)
			fprintf(f, " metric %u", r->metric);
		fputc('\n', f);
	}
	for (size_t i = 0; i < node->n_neighs; i++)
		fprintf(f, "  neighbour %s lladdr %s dev %s\n",
			addr_str(&node->neighs[i].address, a, sizeof(a)),
			mac_str(node->neighs[i].lladdr, m), node->neighs[i].dev);
	for (size_t i = 0; i < lab->n_sysctls + node->n_sysctls; i++) {
		const struct nsc_lab_sysctl *s = i < lab->n_sysctls ? &lab->sysctls[i] :
			&node->sysctls[i - lab->n_sysctls];

		fprintf(f, "  sysctl %s = %s\n", s->name, s->value);
	}
	for (size_t i = 0; i < node->n_exec; i++)
		fprintf(f, "  exec %s\n", node->exec[i].cmd);
	for (size_t i = 0; i < node->n_services; i++)
		show_service(f, &node->services[i]);
}

static void show_node(FILE *f, const struct nsc_lab *lab, size_t n,
		      const struct nsc_lab_status *st)
{
	const struct nsc_lab_node *node = &lab->nodes[n];
	char a[64];

	fprintf(f, "node %s (%s)", node->name, node->netns);
	show_host(f, node->host);
	if (st)
		fprintf(f, ": %s", presence(st->nodes[n]));
	fputc('\n', f);
	if (node->n_loopback) {
		fputs("  lo", f);
		for (size_t i = 0; i < node->n_loopback; i++)
			fprintf(f, " %s", addr_str(&node->loopback[i].prefix, a, sizeof(a)));
		fputc('\n', f);
	}
	for (struct ends it = { lab, node }; ends_next(&it);)
		show_iface(f, &it, st);
	show_vxlans(f, lab, node, NULL);
	show_node_config(f, lab, node);
}

static void show_bridge(FILE *f, const struct nsc_lab *lab, size_t n,
			const struct nsc_lab_status *st)
{
	const struct nsc_lab_bridge *b = &lab->bridges[n];

	fprintf(f, "bridge %s (%s)", b->name, lab->switch_netns);
	show_host(f, b->host);
	if (b->mtu)
		fprintf(f, " mtu %u", b->mtu);
	if (st)
		fprintf(f, ": %s", presence(st->bridges[n]));
	fputc('\n', f);
	for (struct ends it = { lab, b }; ends_next(&it);) {
		const struct nsc_lab_end *o = other(it.link, it.e);

		fprintf(f, "  %s -> %s %s", it.e->ifname, end_name(o), o->ifname);
		if (st)
			fprintf(f, ": %s", presence(st->ends[it.i][it.side]));
		fputc('\n', f);
	}
	show_vxlans(f, lab, NULL, b);
}

void lab_show_text(FILE *f, const struct nsc_lab *lab, const struct nsc_lab_info *info,
		   const struct nsc_lab_status *st)
{
	char a[320];

	fprintf(f, "lab %s (", lab->name);
	cli_put_printable(f, info && info->file[0] ? info->file : lab->file, false);
	fprintf(f, "): %s\n", state_of(info));
	for (size_t i = 0; i < lab->n_nodes; i++)
		show_node(f, lab, i, st);
	for (size_t i = 0; i < lab->n_bridges; i++)
		show_bridge(f, lab, i, st);
	for (size_t i = 0; i < lab->n_ready; i++)
		if (lab->ready[i].kind == NSC_LAB_READY_SERVICE)
			fprintf(f, "ready: %s\n", nsc_lab_ready_str(&lab->ready[i], a, sizeof(a)));
		else
			fprintf(f, "ready: %s (within %u s)\n",
				nsc_lab_ready_str(&lab->ready[i], a, sizeof(a)), lab->ready[i].timeout);
}

void lab_json_named(struct json *j, const char *name, const char *netns, const char *exists)
{
	json_obj_open(j);
	json_kv_str(j, "name", name);
	json_kv_str(j, "netns", netns);
	if (exists)
		json_kv_str(j, "exists", exists);
}

static void json_end_ref(struct json *j, const struct nsc_lab *lab, const struct nsc_lab_end *e)
{
	json_obj_open(j);
	if (e->kind == NSC_LAB_END_NODE) {
		json_kv_str(j, "node", e->node->name);
		json_kv_str(j, "netns", e->node->netns);
	} else {
		json_kv_str(j, "bridge", e->bridge->name);
		json_kv_str(j, "netns", lab->switch_netns);
	}
	json_kv_str(j, "ifname", e->ifname);
	json_obj_close(j);
}

static void json_addrs(struct json *j, const char *key, const struct nsc_lab_addr *v, size_t n)
{
	char a[64];

	json_key(j, key);
	json_arr_open(j);
	for (size_t i = 0; i < n; i++)
		json_str(j, addr_str(&v[i].prefix, a, sizeof(a)));
	json_arr_close(j);
}

/* "impair": {"rate": "10mbit", ...}: what an end sends, keys and units as
 * the lab file writes them */
static void json_impair(struct json *j, const struct nsc_impair *im)
{
	char v[32];

	if (!im->set)
		return;
	json_key(j, "impair");
	json_obj_open(j);
	for (int k = 0; k < NSC_IMP_NKEYS; k++)
		if (im->set & (1u << k))
			json_kv_str(j, nsc_impair_key_name(k), nsc_impair_value_str(im, k, v, sizeof(v)));
	json_obj_close(j);
}

/* An end on a node (an interface, with addresses) or a bridge (a port). */
static void json_link_end(struct json *j, const struct ends *it, const struct nsc_lab_status *st)
{
	const struct nsc_lab_end *e = it->e;
	char m[18];

	json_obj_open(j);
	json_kv_str(j, "ifname", e->ifname);
	if (st)
		json_kv_str(j, "exists", presence(st->ends[it->i][it->side]));
	if (e->kind == NSC_LAB_END_NODE) {
		json_addrs(j, "addresses", e->addrs, e->n_addrs);
		if (e->has_mac) {
			json_kv_str(j, "mac", mac_str(e->mac, m));
			json_kv_bool(j, "mac_derived", e->mac_derived);
		}
		if (it->link->mtu)
			json_kv_uint(j, "mtu", it->link->mtu);
		if (e->dynamic)
			json_kv_bool(j, "dynamic", true);
	}
	json_impair(j, &e->impair);
	json_key(j, "peer");
	json_end_ref(j, it->lab, other(it->link, e));
	json_obj_close(j);
}

/* "KEY": [ the link ends on owner ] */
static void json_ends(struct json *j, const char *key, const struct nsc_lab *lab,
		      const void *owner, const struct nsc_lab_status *st)
{
	json_key(j, key);
	json_arr_open(j);
	for (struct ends it = { lab, owner }; ends_next(&it);)
		json_link_end(j, &it, st);
	json_arr_close(j);
}

static void json_routes(struct json *j, const struct nsc_lab_node *node)
{
	char a[64];

	json_key(j, "routes");
	json_arr_open(j);
	for (size_t i = 0; i < node->n_routes; i++) {
		const struct nsc_lab_route *r = &node->routes[i];

		json_obj_open(j);
		json_kv_str(j, "to", r->to.len ? addr_str(&r->to, a, sizeof(a)) : "default");
		if (r->has_via)
			json_kv_str(j, "via", addr_str(&r->via, a, sizeof(a)));
		if (r->dev)
			json_kv_str(j, "dev", r->dev);
		if (r->has_metric)
			json_kv_uint(j, "metric", r->metric);
		json_obj_close(j);
	}
	json_arr_close(j);
}

static void json_neighs(struct json *j, const struct nsc_lab_node *node)
{
	char a[64], m[18];

	json_key(j, "neighbours");
	json_arr_open(j);
	for (size_t i = 0; i < node->n_neighs; i++) {
		json_obj_open(j);
		json_kv_str(j, "dev", node->neighs[i].dev);
		json_kv_str(j, "address", addr_str(&node->neighs[i].address, a, sizeof(a)));
		json_kv_str(j, "lladdr", mac_str(node->neighs[i].lladdr, m));
		json_obj_close(j);
	}
	json_arr_close(j);
}

/* the lab's sysctls that the node does not set itself, then the node's */
static void json_sysctls(struct json *j, const struct nsc_lab *lab,
			 const struct nsc_lab_node *node)
{
	json_key(j, "sysctls");
	json_obj_open(j);
	for (size_t i = 0; i < lab->n_sysctls; i++) {
		bool own = false;

		for (size_t k = 0; k < node->n_sysctls && !own; k++)
			own = !strcmp(node->sysctls[k].name, lab->sysctls[i].name);
		if (!own)
			json_kv_str(j, lab->sysctls[i].name, lab->sysctls[i].value);
	}
	for (size_t i = 0; i < node->n_sysctls; i++)
		json_kv_str(j, node->sysctls[i].name, node->sysctls[i].value);
	json_obj_close(j);
}

static void json_strs(struct json *j, const char *key, char *const *v, size_t n)
{
	json_key(j, key);
	json_arr_open(j);
	for (size_t i = 0; i < n; i++)
		json_str(j, v[i]);
	json_arr_close(j);
}

/* "services": [{"name", "cmd" (argv), "env" {}, "cwd", "user", "after" [],
 * "restart", "ready" {"tcp"|"cmd", "timeout"} or null}] */
static void json_services(struct json *j, const struct nsc_lab_node *node)
{
	json_key(j, "services");
	json_arr_open(j);
	for (size_t i = 0; i < node->n_services; i++) {
		const struct nsc_lab_service *s = &node->services[i];

		json_obj_open(j);
		json_kv_str(j, "name", s->name);
		json_strs(j, "cmd", s->argv, s->argc);
		json_key(j, "env");
		json_obj_open(j);
		for (size_t k = 0; k < s->n_env; k++) {
			const char *eq = strchr(s->env[k], '=');
			char key[256];

			snprintf(key, sizeof(key), "%.*s", (int)(eq - s->env[k]), s->env[k]);
			json_kv_str(j, key, eq + 1);
		}
		json_obj_close(j);
		json_kv_str_or_null(j, "cwd", s->cwd);
		json_kv_str_or_null(j, "user", s->user);
		json_strs(j, "after", s->after, s->n_after);
		json_kv_str(j, "restart", restart_words[s->restart]);
		json_key(j, "ready");
		if (s->ready_tcp || s->ready_cmd) {
			json_obj_open(j);
			if (s->ready_tcp)
				json_kv_uint(j, "tcp", s->ready_tcp);
			else
				json_kv_str(j, "cmd", s->ready_cmd);
			json_kv_uint(j, "timeout", s->ready_timeout);
			json_obj_close(j);
		} else {
			json_null(j);
		}
		json_obj_close(j);
	}
	json_arr_close(j);
}

static void json_node(struct json *j, const struct nsc_lab *lab, size_t n,
		      const struct nsc_lab_status *st)
{
	const struct nsc_lab_node *node = &lab->nodes[n];

	lab_json_named(j, node->name, node->netns, st ? presence(st->nodes[n]) : NULL);
	if (node->host)
		json_kv_str(j, "host", node->host->name);
	json_addrs(j, "loopback", node->loopback, node->n_loopback);
	json_ends(j, "interfaces", lab, node, st);
	json_routes(j, node);
	json_neighs(j, node);
	json_sysctls(j, lab, node);
	json_key(j, "exec");
	json_arr_open(j);
	for (size_t i = 0; i < node->n_exec; i++)
		json_str(j, node->exec[i].cmd);
	json_arr_close(j);
	json_services(j, node);
	json_obj_close(j);
}

static void json_bridge(struct json *j, const struct nsc_lab *lab, size_t n,
			const struct nsc_lab_status *st)
{
	const struct nsc_lab_bridge *b = &lab->bridges[n];

	lab_json_named(j, b->name, lab->switch_netns, st ? presence(st->bridges[n]) : NULL);
	if (b->host)
		json_kv_str(j, "host", b->host->name);
	if (b->mtu)
		json_kv_uint(j, "mtu", b->mtu);
	json_ends(j, "ports", lab, b, st);
	json_obj_close(j);
}

static void json_links(struct json *j, const struct nsc_lab *lab)
{
	json_key(j, "links");
	json_arr_open(j);
	for (size_t i = 0; i < lab->n_links; i++) {
		const struct nsc_lab_link *k = &lab->links[i];

		json_obj_open(j);
		json_key(j, "a");
		json_end_ref(j, lab, &k->a);
		json_key(j, "b");
		json_end_ref(j, lab, &k->b);
		if (k->mtu)
			json_kv_uint(j, "mtu", k->mtu);
		json_obj_close(j);
	}
	json_arr_close(j);
}

void lab_show_json(struct json *j, const struct nsc_lab *lab, const struct nsc_lab_info *info,
		   const struct nsc_lab_status *st)
{
	char a[64];

	json_obj_open(j);
	json_kv_str(j, "name", lab->name);
	json_kv_str(j, "file", info && info->file[0] ? info->file : lab->file);
	json_kv_str_or_null(j, "state", !info ? NULL : info->stale ? "stale" :
			    info->complete ? "complete" : "incomplete");
	json_key(j, "nodes");
	json_arr_open(j);
	for (size_t i = 0; i < lab->n_nodes; i++)
		json_node(j, lab, i, st);
	json_arr_close(j);
	json_key(j, "bridges");
	json_arr_open(j);
	for (size_t i = 0; i < lab->n_bridges; i++)
		json_bridge(j, lab, i, st);
	json_arr_close(j);
	json_links(j, lab);
	json_key(j, "ready");
	json_arr_open(j);
	for (size_t i = 0; i < lab->n_ready; i++) {
		json_obj_open(j);
		if (lab->ready[i].kind == NSC_LAB_READY_SERVICE) {
			json_kv_str(j, "service", lab->ready[i].service);
			json_obj_close(j);
			continue;
		}
		json_kv_str(j, "from", lab->ready[i].from->name);
		if (lab->ready[i].kind == NSC_LAB_READY_PING) {
			json_kv_str(j, "ping", addr_str(&lab->ready[i].ping, a, sizeof(a)));
		} else if (lab->ready[i].kind == NSC_LAB_READY_TCP) {
			char hp[80];

			snprintf(hp, sizeof(hp), lab->ready[i].tcp.family == AF_INET6 ? "[%s]:%u" :
				 "%s:%u", addr_str(&lab->ready[i].tcp, a, sizeof(a)),
				 lab->ready[i].port);
			json_kv_str(j, "tcp", hp);
		} else {
			json_kv_str(j, "cmd", lab->ready[i].cmd);
		}
		json_kv_uint(j, "timeout", lab->ready[i].timeout);
		json_obj_close(j);
	}
	json_arr_close(j);
	json_obj_close(j);
}

/* ---- graph ---- */

/*
 * Inside a DOT string: '"' and '\' escaped (graphviz keeps "\\" as it is in
 * an ID and makes it one '\' in a label, so a name reads the same in both
 * and a trailing '\' cannot end the string), a line break as "\n".
 */
static void dot_esc(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '\n') {
			fputs("\\n", f);
			continue;
		}
		if (*s == '"' || *s == '\\')
			fputc('\\', f);
		fputc(*s, f);
	}
}

static void dot_str(FILE *f, const char *s)
{
	fputc('"', f);
	dot_esc(f, s);
	fputc('"', f);
}

/* "IFNAME\nADDR\nADDR": an end's label */
static void end_label(FILE *f, const struct nsc_lab_end *e)
{
	char a[64];

	fputc('"', f);
	dot_esc(f, e->ifname);
	for (size_t i = 0; i < e->n_addrs; i++)
		fprintf(f, "\\n%s", addr_str(&e->addrs[i].prefix, a, sizeof(a)));
	fputc('"', f);
}

/* "node:NAME", "bridge:NAME": every name its own ID, whatever it holds */
static void dot_id(FILE *f, const char *kind, const char *name)
{
	fprintf(f, "\"%s:", kind);
	dot_esc(f, name);
	fputc('"', f);
}

static void end_id(FILE *f, const struct nsc_lab_end *e)
{
	dot_id(f, e->kind == NSC_LAB_END_NODE ? "node" : "bridge", end_name(e));
}

/* The nodes and bridges on HOST (NULL: a lab without hosts, all). */
static void graph_vertices(FILE *f, const struct nsc_lab *lab, const struct nsc_lab_host *host,
			   const char *indent)
{
	char a[64];

	for (size_t i = 0; i < lab->n_nodes; i++) {
		const struct nsc_lab_node *n = &lab->nodes[i];

		if (n->host != host)
			continue;
		fputs(indent, f);
		dot_id(f, "node", n->name);
		fputs(" [shape=box, label=\"", f);
		dot_esc(f, n->name);
		fputs("\\n", f);
		dot_esc(f, n->netns);
		for (size_t k = 0; k < n->n_loopback; k++)
			fprintf(f, "\\nlo %s", addr_str(&n->loopback[k].prefix, a, sizeof(a)));
		fputs("\"];\n", f);
	}
	for (size_t i = 0; i < lab->n_bridges; i++) {
		if (lab->bridges[i].host != host)
			continue;
		fputs(indent, f);
		dot_id(f, "bridge", lab->bridges[i].name);
		fputs(" [shape=ellipse, style=filled, fillcolor=lightgrey, label=\"", f);
		dot_esc(f, lab->bridges[i].name);
		fputs("\\nbridge in ", f);
		dot_esc(f, lab->switch_netns);
		fputs("\"];\n", f);
	}
}

void lab_graph(FILE *f, const struct nsc_lab *lab)
{
	fputs("graph ", f);
	dot_str(f, lab->name);
	fputs(" {\n", f);
	fputs("\tgraph [label=", f);
	dot_str(f, lab->name);
	fputs(", labelloc=t, fontname=\"sans-serif\"];\n", f);
	fputs("\tnode [fontname=\"sans-serif\"];\n", f);
	fputs("\tedge [fontname=\"monospace\", fontsize=9];\n", f);
	if (!lab->n_hosts)
		graph_vertices(f, lab, NULL, "\t");
	/* a lab across hosts: a cluster per host */
	for (size_t i = 0; i < lab->n_hosts; i++) {
		char a[64];

		fprintf(f, "\tsubgraph cluster_%zu {\n\t\tlabel=\"", i);
		dot_esc(f, lab->hosts[i].name);
		fprintf(f, "\\n%s\";\n\t\tstyle=dashed;\n",
			addr_str(&lab->hosts[i].address, a, sizeof(a)));
		graph_vertices(f, lab, &lab->hosts[i], "\t\t");
		fputs("\t}\n", f);
	}
	for (size_t i = 0; i < lab->n_links; i++) {
		const struct nsc_lab_link *k = &lab->links[i];

		fputc('\t', f);
		end_id(f, &k->a);
		fputs(" -- ", f);
		end_id(f, &k->b);
		fputs(" [taillabel=", f);
		end_label(f, &k->a);
		fputs(", headlabel=", f);
		end_label(f, &k->b);
		if (k->vni && k->mtu)
			fprintf(f, ", style=dashed, label=\"vxlan %u\\nmtu %u\"", k->vni, k->mtu);
		else if (k->vni)
			fprintf(f, ", style=dashed, label=\"vxlan %u\"", k->vni);
		else if (k->mtu)
			fprintf(f, ", label=\"mtu %u\"", k->mtu);
		fputs("];\n", f);
	}
	fputs("}\n", f);
}
