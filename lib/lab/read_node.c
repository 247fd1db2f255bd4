// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The "nodes" of a lab file, key by key: each node's loopback addresses,
 * sysctls, routes, neighbours and exec commands (the values themselves are
 * read by value.c). Interfaces that routes and neighbours name are checked
 * against the links in check.c, once everything is read.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "lab/read.h"

static int k_loopback(struct lab_rd *r, const struct lab_yv *v, void *obj)
{
	struct nsc_lab_node *node = obj;

	return lab_addrs_value(r, v, "loopback", &node->loopback, &node->n_loopback);
}

static int k_node_sysctls(struct lab_rd *r, const struct lab_yv *v, void *obj)
{
	struct nsc_lab_node *node = obj;

	return lab_sysctls_value(r, v, &node->sysctls, &node->n_sysctls);
}

/* ---- routes ---- */

static int k_route_to(struct lab_rd *r, const struct lab_yv *v, void *obj)
{
	struct nsc_lab_route *rt = obj;
	struct nsc_error tmp = { 0 };
	int ret = lab_want_scalar(r, v, "to", "a prefix");

	if (ret < 0)
		return ret;
	if (nsc_parse_prefix(v->str, AF_UNSPEC, NSC_PREFIX_ALLOW_LEN | NSC_PREFIX_DEFAULT,
			     &rt->to, &tmp) < 0)
		return LAB_ERR(r, v->pos, "%s", tmp.msg);
	if (rt->to.len < 0)
		rt->to.len = nsc_prefix_bits(&rt->to);
	rt->to_pos = v->pos;
	return 0;
}

static int k_route_via(struct lab_rd *r, const struct lab_yv *v, void *obj)
{
	struct nsc_lab_route *rt = obj;

	rt->has_via = true;
	rt->via_pos = v->pos;
	return lab_host_value(r, v, "via", &rt->via);
}

static int k_route_dev(struct lab_rd *r, const struct lab_yv *v, void *obj)
{
	struct nsc_lab_route *rt = obj;

	rt->dev_pos = v->pos;
	return lab_ifname_value(r, v, "dev", &rt->dev);
}

static int k_route_metric(struct lab_rd *r, const struct lab_yv *v, void *obj)
{
	struct nsc_lab_route *rt = obj;

	rt->has_metric = true;
	return lab_u32_value(r, v, "metric", 0, UINT32_MAX, &rt->metric);
}

static const struct lab_key route_keys[] = {
	{ "to", k_route_to },
	{ "via", k_route_via },
	{ "dev", k_route_dev },
	{ "metric", k_route_metric },
	{ NULL, NULL },
};

static int k_routes(struct lab_rd *r, const struct lab_yv *v, void *obj)
{
	static const char *const required[] = { "to", NULL };
	struct nsc_lab_node *node = obj;
	int ret = LAB_LIST_NEW(r, v, "routes", node->routes, node->n_routes);

	for (size_t i = 0; ret == 0 && i < lab_count(v); i++) {
		const struct lab_yv *m = v->items[i];
		struct nsc_lab_route *rt = &node->routes[i];

		rt->pos = m->pos;
		ret = lab_list_item(r, m, "a route", route_keys, rt, required);
		if (ret == 0 && !rt->has_via && !rt->dev)
			ret = LAB_ERR(r, m->pos, "a route needs \"via\" or \"dev\"");
	}
	return ret;
}

/* ---- neighbours ---- */

static int k_neigh_dev(struct lab_rd *r, const struct lab_yv *v, void *obj)
{
	struct nsc_lab_neigh *nb = obj;

	nb->dev_pos = v->pos;
	return lab_ifname_value(r, v, "dev", &nb->dev);
}

static int k_neigh_address(struct lab_rd *r, const struct lab_yv *v, void *obj)
{
	struct nsc_lab_neigh *nb = obj;

	return lab_host_value(r, v, "address", &nb->address);
}

static int k_neigh_lladdr(struct lab_rd *r, const struct lab_yv *v, void *obj)
{
	struct nsc_lab_neigh *nb = obj;

	return lab_mac_value(r, v, "lladdr", nb->lladdr);
}

static const struct lab_key neigh_keys[] = {
	{ "dev", k_neigh_dev },
	{ "address", k_neigh_address },
	{ "lladdr", k_neigh_lladdr },
	{ NULL, NULL },
};

static int k_neighbours(struct lab_rd *r, const struct lab_yv *v, void *obj)
{
	static const char *const required[] = { "dev", "address", "lladdr", NULL };
	struct nsc_lab_node *node = obj;
	int ret = LAB_LIST_NEW(r, v, "neighbours", node->neighs, node->n_neighs);

	for (size_t i = 0; ret == 0 && i < lab_count(v); i++) {
		node->neighs[i].pos = v->items[i]->pos;
		ret = lab_list_item(r, v->items[i], "a neighbour", neigh_keys, &node->neighs[i],
				    required);
	}
	return ret;
}

/* ---- exec ---- */

static int k_exec(struct lab_rd *r, const struct lab_yv *v, void *obj)
{
	struct nsc_lab_node *node = obj;
	int ret = LAB_LIST_NEW(r, v, "exec", node->exec, node->n_exec);

	for (size_t i = 0; ret == 0 && i < lab_count(v); i++) {
		const struct lab_yv *c = v->items[i];

		if ((ret = lab_str_value(r, c, "exec", &node->exec[i].cmd)) == 0)
			ret = lab_text_check(r, c, "a command", "\t\n");
		node->exec[i].pos = c->pos;
	}
	return ret;
}

/* ---- nodes ---- */

static int k_node_host(struct lab_rd *r, const struct lab_yv *v, void *obj)
{
	struct nsc_lab_node *node = obj;

	return lab_host_ref_value(r, v, &node->host_ref, &node->host_pos);
}

static const struct lab_key node_keys[] = {
	{ "host", k_node_host },
	{ "loopback", k_loopback },
	{ "sysctls", k_node_sysctls },
	{ "routes", k_routes },
	{ "neighbours", k_neighbours },
	{ "exec", k_exec },
	{ "services", lab_read_services },
	{ NULL, NULL },
};

int lab_read_nodes(struct lab_rd *r, const struct lab_yv *v, void *obj)
{
	struct nsc_lab *lab = r->lab;
	int ret = lab_want_map(r, v, "nodes");

	(void)obj;
	if (ret < 0)
		return ret;
	if (!lab_count(v))
		return LAB_ERR(r, v->pos, "a lab needs at least one node");
	ret = LAB_MAP_NEW(r, v, NSC_LAB_MAX_NODES, "nodes", lab->nodes, lab->n_nodes);
	for (size_t i = 0; ret == 0 && i < v->n; i++) {
		struct nsc_lab_node *node = &lab->nodes[i];

		ret = lab_entry_name(r, v->keys[i], "node", &node->name);
		node->pos = v->keys[i]->pos;
		if (ret == 0)
			ret = lab_entry_body(r, v->keys[i], v->items[i], "node", node_keys, node);
	}
	return ret;
}
