// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * From the YAML tree to the lab model, key by key (the values themselves are
 * read by lab_value.c), then the names that links and ready checks refer
 * to resolved.
 * What needs the whole lab (uniqueness, routes against addresses) is
 * lab_check.c. The first error stops everything; its message gives the
 * position of the offending key or value.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "lab/read.h"

#define ERR(r, pos, ...) lab_err((r)->file, (pos), (r)->e, __VA_ARGS__)

/* ---- defaults ---- */

static int k_defaults_mtu(struct lab_rd *r, const struct lab_yv *v, void *obj)
{
	(void)obj;
	return lab_u32_value(r, v, "mtu", 68, 65535, &r->lab->mtu);
}

static int k_defaults_sysctls(struct lab_rd *r, const struct lab_yv *v, void *obj)
{
	(void)obj;
	return lab_sysctls_value(r, v, &r->lab->sysctls, &r->lab->n_sysctls);
}

static const struct lab_key defaults_keys[] = {
	{ "mtu", k_defaults_mtu },
	{ "sysctls", k_defaults_sysctls },
	{ NULL, NULL },
};

static int k_defaults(struct lab_rd *r, const struct lab_yv *v, void *obj)
{
	int ret = lab_want_map(r, v, "defaults");

	(void)obj;
	if (ret < 0)
		return ret;
	return lab_walk_map(r, v, "defaults", defaults_keys, NULL);
}

/* ---- nodes ---- */

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

static int k_route_to(struct lab_rd *r, const struct lab_yv *v, void *obj)
{
	struct nsc_lab_route *rt = obj;
	struct nsc_error tmp = { 0 };
	int ret = lab_want_scalar(r, v, "to", "a prefix");

	if (ret < 0)
		return ret;
	if (nsc_parse_prefix(v->str, AF_UNSPEC, NSC_PREFIX_ALLOW_LEN | NSC_PREFIX_DEFAULT,
			     &rt->to, &tmp) < 0)
		return ERR(r, v->pos, "%s", tmp.msg);
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
	struct nsc_lab_node *node = obj;
	int ret = lab_want_seq(r, v, "routes");

	if (ret < 0 || !lab_count(v))
		return ret;
	node->routes = calloc(v->n, sizeof(*node->routes));
	if (!node->routes)
		return lab_nomem(r);
	node->n_routes = v->n;
	for (size_t i = 0; i < v->n; i++) {
		const struct lab_yv *m = v->items[i];
		struct nsc_lab_route *rt = &node->routes[i];

		if (m->type != LAB_YV_MAP)
			return ERR(r, m->pos, "a route must be a map, not %s", lab_yv_kind(m));
		rt->pos = m->pos;
		if ((ret = lab_walk_map(r, m, "a route", route_keys, rt)) < 0)
			return ret;
		if (!lab_lookup(m, "to"))
			return ERR(r, m->pos, "a route needs \"to\"");
		if (!rt->has_via && !rt->dev)
			return ERR(r, m->pos, "a route needs \"via\" or \"dev\"");
	}
	return 0;
}

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
	struct nsc_lab_node *node = obj;
	int ret = lab_want_seq(r, v, "neighbours");

	if (ret < 0 || !lab_count(v))
		return ret;
	node->neighs = calloc(v->n, sizeof(*node->neighs));
	if (!node->neighs)
		return lab_nomem(r);
	node->n_neighs = v->n;
	for (size_t i = 0; i < v->n; i++) {
		const struct lab_yv *m = v->items[i];
		struct nsc_lab_neigh *nb = &node->neighs[i];
		static const char *const required[] = { "dev", "address", "lladdr" };

		if (m->type != LAB_YV_MAP)
			return ERR(r, m->pos, "a neighbour must be a map, not %s", lab_yv_kind(m));
		nb->pos = m->pos;
		if ((ret = lab_walk_map(r, m, "a neighbour", neigh_keys, nb)) < 0)
			return ret;
		for (size_t k = 0; k < 3; k++)
			if (!lab_lookup(m, required[k]))
				return ERR(r, m->pos, "a neighbour needs \"%s\"", required[k]);
	}
	return 0;
}

static int k_exec(struct lab_rd *r, const struct lab_yv *v, void *obj)
{
	struct nsc_lab_node *node = obj;
	int ret = lab_want_seq(r, v, "exec");

	if (ret < 0 || !lab_count(v))
		return ret;
	node->exec = calloc(v->n, sizeof(*node->exec));
	if (!node->exec)
		return lab_nomem(r);
	node->n_exec = v->n;
	for (size_t i = 0; i < v->n; i++) {
		const struct lab_yv *c = v->items[i];

		if ((ret = lab_str_value(r, c, "exec", &node->exec[i].cmd)) < 0)
			return ret;
		if ((ret = lab_text_check(r, c, "a command", "\t\n")) < 0)
			return ret;
		node->exec[i].pos = c->pos;
	}
	return 0;
}

static const struct lab_key node_keys[] = {
	{ "loopback", k_loopback },
	{ "sysctls", k_node_sysctls },
	{ "routes", k_routes },
	{ "neighbours", k_neighbours },
	{ "exec", k_exec },
	{ NULL, NULL },
};

static int k_nodes(struct lab_rd *r, const struct lab_yv *v, void *obj)
{
	struct nsc_lab *lab = r->lab;
	int ret;

	(void)obj;
	if (v->type != LAB_YV_MAP && !lab_yv_is_null(v))
		return ERR(r, v->pos, "\"nodes\" must be a map, not %s", lab_yv_kind(v));
	if (!lab_count(v))
		return ERR(r, v->pos, "a lab needs at least one node");
	if (v->n > NSC_LAB_MAX_NODES)
		return ERR(r, v->keys[NSC_LAB_MAX_NODES]->pos, "more than %d nodes",
			   NSC_LAB_MAX_NODES);
	lab->nodes = calloc(v->n, sizeof(*lab->nodes));
	if (!lab->nodes)
		return lab_nomem(r);
	lab->n_nodes = v->n;
	for (size_t i = 0; i < v->n; i++) {
		const struct lab_yv *k = v->keys[i], *body = v->items[i];
		struct nsc_lab_node *node = &lab->nodes[i];
		char what[NSC_ERR_MSG_MAX];

		if ((ret = lab_name_check(r, k, "node")) < 0)
			return ret;
		node->name = strdup(k->str);
		if (!node->name)
			return lab_nomem(r);
		node->pos = k->pos;
		if (body->type != LAB_YV_MAP && !lab_yv_is_null(body))
			return ERR(r, body->pos, "node \"%s\" must be a map, not %s",
				   k->str, lab_yv_kind(body));
		snprintf(what, sizeof(what), "node \"%s\"", k->str);
		if ((ret = lab_walk_map(r, body, what, node_keys, node)) < 0)
			return ret;
	}
	return 0;
}

/* ---- bridges ---- */

static int k_bridge_mtu(struct lab_rd *r, const struct lab_yv *v, void *obj)
{
	struct nsc_lab_bridge *br = obj;

	return lab_u32_value(r, v, "mtu", 68, 65535, &br->mtu);
}

static const struct lab_key bridge_keys[] = {
	{ "mtu", k_bridge_mtu },
	{ NULL, NULL },
};

static int k_bridges(struct lab_rd *r, const struct lab_yv *v, void *obj)
{
	struct nsc_lab *lab = r->lab;
	int ret = lab_want_map(r, v, "bridges");

	(void)obj;
	if (ret < 0 || !lab_count(v))
		return ret;
	if (v->n > NSC_LAB_MAX_BRIDGES)
		return ERR(r, v->keys[NSC_LAB_MAX_BRIDGES]->pos, "more than %d bridges",
			   NSC_LAB_MAX_BRIDGES);
	lab->bridges = calloc(v->n, sizeof(*lab->bridges));
	if (!lab->bridges)
		return lab_nomem(r);
	lab->n_bridges = v->n;
	for (size_t i = 0; i < v->n; i++) {
		const struct lab_yv *k = v->keys[i], *body = v->items[i];
		struct nsc_lab_bridge *br = &lab->bridges[i];
		struct nsc_error tmp = { 0 };
		char what[NSC_ERR_MSG_MAX];

		if ((ret = lab_name_check(r, k, "bridge")) < 0)
			return ret;
		/* a bridge is an interface in LAB._switch */
		if (nsc_ifname_check(k->str, &tmp) < 0)
			return ERR(r, k->pos, "invalid bridge name: %s", tmp.msg);
		if (!strcmp(k->str, "lo"))
			return ERR(r, k->pos, "bridge name \"lo\" is the loopback device's");
		br->name = strdup(k->str);
		if (!br->name)
			return lab_nomem(r);
		br->pos = k->pos;
		if (body->type != LAB_YV_MAP && !lab_yv_is_null(body))
			return ERR(r, body->pos, "bridge \"%s\" must be a map, not %s",
				   k->str, lab_yv_kind(body));
		snprintf(what, sizeof(what), "bridge \"%s\"", k->str);
		if ((ret = lab_walk_map(r, body, what, bridge_keys, br)) < 0)
			return ret;
	}
	return 0;
}

/* ---- links ---- */

struct end_ctx {
	struct nsc_lab_end *end;
	char **ref;                     /* the node or bridge name */
	const struct lab_yv *node, *bridge, *addrs, *mac;
};

static int k_end_node(struct lab_rd *r, const struct lab_yv *v, void *obj)
{
	struct end_ctx *c = obj;

	c->node = v;
	c->end->ref_pos = v->pos;
	return lab_str_value(r, v, "node", c->ref);
}

static int k_end_bridge(struct lab_rd *r, const struct lab_yv *v, void *obj)
{
	struct end_ctx *c = obj;

	c->bridge = v;
	c->end->ref_pos = v->pos;
	return lab_str_value(r, v, "bridge", c->ref);
}

static int k_end_ifname(struct lab_rd *r, const struct lab_yv *v, void *obj)
{
	struct end_ctx *c = obj;

	c->end->ifname_pos = v->pos;
	return lab_ifname_value(r, v, "ifname", &c->end->ifname);
}

static int k_end_addresses(struct lab_rd *r, const struct lab_yv *v, void *obj)
{
	struct end_ctx *c = obj;

	c->addrs = v;
	return lab_addrs_value(r, v, "addresses", &c->end->addrs, &c->end->n_addrs);
}

static int k_end_mac(struct lab_rd *r, const struct lab_yv *v, void *obj)
{
	struct end_ctx *c = obj;

	static const uint8_t zero[6];
	int ret;

	c->mac = v;
	c->end->has_mac = true;
	if ((ret = lab_mac_value(r, v, "mac", c->end->mac)) < 0)
		return ret;
	/* what the kernel takes for an interface */
	if (c->end->mac[0] & 1)
		return ERR(r, v->pos, "MAC address \"%s\" is a multicast address "
			   "(the first octet is odd)", v->str);
	if (!memcmp(c->end->mac, zero, 6))
		return ERR(r, v->pos, "MAC address \"%s\" is all zeros", v->str);
	return 0;
}

static const struct lab_key end_keys[] = {
	{ "node", k_end_node },
	{ "ifname", k_end_ifname },
	{ "addresses", k_end_addresses },
	{ "mac", k_end_mac },
	{ "bridge", k_end_bridge },
	{ NULL, NULL },
};

static int end_value(struct lab_rd *r, const struct lab_yv *v, struct nsc_lab_end *end, char **ref)
{
	struct end_ctx c = { .end = end, .ref = ref };
	int ret;

	if (v->type != LAB_YV_MAP)
		return ERR(r, v->pos, "a link end must be a map, not %s", lab_yv_kind(v));
	end->pos = v->pos;
	if ((ret = lab_walk_map(r, v, "a link end", end_keys, &c)) < 0)
		return ret;
	if (c.node && c.bridge)
		return ERR(r, (lab_pos_before(c.node->pos, c.bridge->pos) ? c.bridge : c.node)->pos,
			   "a link end is on a node or on a bridge, not both");
	if (!c.node && !c.bridge)
		return ERR(r, v->pos, "a link end needs \"node\" or \"bridge\"");
	if (c.node) {
		end->kind = NSC_LAB_END_NODE;
		if (!end->ifname)
			return ERR(r, v->pos, "a link end on a node needs \"ifname\"");
		return 0;
	}
	end->kind = NSC_LAB_END_BRIDGE;
	if (c.addrs)
		return ERR(r, c.addrs->pos, "a link end on a bridge has no addresses "
			   "(put them on a node, or on the bridge's other links)");
	if (c.mac)
		return ERR(r, c.mac->pos, "a link end on a bridge takes no \"mac\"");
	return 0;
}

struct link_ctx {
	struct nsc_lab_link *link;
	char **ref;                     /* 2: a, b */
};

static int k_link_a(struct lab_rd *r, const struct lab_yv *v, void *obj)
{
	struct link_ctx *c = obj;

	return end_value(r, v, &c->link->a, &c->ref[0]);
}

static int k_link_b(struct lab_rd *r, const struct lab_yv *v, void *obj)
{
	struct link_ctx *c = obj;

	return end_value(r, v, &c->link->b, &c->ref[1]);
}

static int k_link_mtu(struct lab_rd *r, const struct lab_yv *v, void *obj)
{
	struct link_ctx *c = obj;

	return lab_u32_value(r, v, "mtu", 68, 65535, &c->link->mtu);
}

static const struct lab_key link_keys[] = {
	{ "a", k_link_a },
	{ "b", k_link_b },
	{ "mtu", k_link_mtu },
	{ NULL, NULL },
};

static int k_links(struct lab_rd *r, const struct lab_yv *v, void *obj)
{
	struct nsc_lab *lab = r->lab;
	int ret = lab_want_seq(r, v, "links");

	(void)obj;
	if (ret < 0 || !lab_count(v))
		return ret;
	lab->links = calloc(v->n, sizeof(*lab->links));
	r->end_ref = calloc(2 * v->n, sizeof(*r->end_ref));
	if (!lab->links || !r->end_ref)
		return lab_nomem(r);
	lab->n_links = v->n;
	r->n_end_ref = 2 * v->n;
	for (size_t i = 0; i < v->n; i++) {
		const struct lab_yv *m = v->items[i];
		struct link_ctx c = { &lab->links[i], &r->end_ref[2 * i] };

		if (m->type != LAB_YV_MAP)
			return ERR(r, m->pos, "a link must be a map, not %s", lab_yv_kind(m));
		c.link->pos = m->pos;
		if ((ret = lab_walk_map(r, m, "a link", link_keys, &c)) < 0)
			return ret;
		if (!lab_lookup(m, "a"))
			return ERR(r, m->pos, "a link needs \"a\"");
		if (!lab_lookup(m, "b"))
			return ERR(r, m->pos, "a link needs \"b\"");
	}
	return 0;
}

/* ---- ready ---- */

struct ready_ctx {
	struct nsc_lab_ready *rc;
	char **ref;
};

static int k_ready_from(struct lab_rd *r, const struct lab_yv *v, void *obj)
{
	struct ready_ctx *c = obj;

	c->rc->from_pos = v->pos;
	return lab_str_value(r, v, "from", c->ref);
}

static int k_ready_ping(struct lab_rd *r, const struct lab_yv *v, void *obj)
{
	struct ready_ctx *c = obj;

	return lab_host_value(r, v, "ping", &c->rc->ping);
}

static int k_ready_timeout(struct lab_rd *r, const struct lab_yv *v, void *obj)
{
	struct ready_ctx *c = obj;
	uint32_t t;
	int ret = lab_u32_value(r, v, "timeout", 1, 3600, &t);

	c->rc->timeout = t;
	return ret;
}

static const struct lab_key ready_keys[] = {
	{ "from", k_ready_from },
	{ "ping", k_ready_ping },
	{ "timeout", k_ready_timeout },
	{ NULL, NULL },
};

static int k_ready(struct lab_rd *r, const struct lab_yv *v, void *obj)
{
	struct nsc_lab *lab = r->lab;
	int ret = lab_want_seq(r, v, "ready");

	(void)obj;
	if (ret < 0 || !lab_count(v))
		return ret;
	lab->ready = calloc(v->n, sizeof(*lab->ready));
	r->ready_ref = calloc(v->n, sizeof(*r->ready_ref));
	if (!lab->ready || !r->ready_ref)
		return lab_nomem(r);
	lab->n_ready = v->n;
	r->n_ready_ref = v->n;
	for (size_t i = 0; i < v->n; i++) {
		const struct lab_yv *m = v->items[i];
		struct ready_ctx c = { &lab->ready[i], &r->ready_ref[i] };

		if (m->type != LAB_YV_MAP)
			return ERR(r, m->pos, "a ready check must be a map, not %s",
				   lab_yv_kind(m));
		c.rc->pos = m->pos;
		c.rc->timeout = NSC_LAB_READY_TIMEOUT;
		if ((ret = lab_walk_map(r, m, "a ready check", ready_keys, &c)) < 0)
			return ret;
		if (!lab_lookup(m, "from"))
			return ERR(r, m->pos, "a ready check needs \"from\"");
		if (!lab_lookup(m, "ping"))
			return ERR(r, m->pos, "a ready check needs \"ping\"");
	}
	return 0;
}

/* ---- the top level ---- */

static int k_name(struct lab_rd *r, const struct lab_yv *v, void *obj)
{
	int ret = lab_want_scalar(r, v, "name", "a string");

	(void)obj;
	if (ret < 0 || (ret = lab_name_check(r, v, "lab")) < 0)
		return ret;
	/* room for ".NODE" and "._switch" in a namespace name */
	if (v->len > LAB_NAME_MAX)
		return ERR(r, v->pos, "lab name longer than %d bytes", LAB_NAME_MAX);
	r->lab->pos = v->pos;
	return lab_str_value(r, v, "name", &r->lab->name);
}

static const struct lab_key top_keys[] = {
	{ "version", NULL },            /* read first, on its own */
	{ "name", k_name },
	{ "defaults", k_defaults },
	{ "nodes", k_nodes },
	{ "bridges", k_bridges },
	{ "links", k_links },
	{ "ready", k_ready },
	{ NULL, NULL },
};

/* The names links and ready checks refer to, now that all are read. */
static int resolve(struct lab_rd *r)
{
	struct nsc_lab *lab = r->lab;
	char p[80];

	for (size_t i = 0; i < lab->n_links; i++) {
		struct nsc_lab_end *ends[2] = { &lab->links[i].a, &lab->links[i].b };

		for (int k = 0; k < 2; k++) {
			const char *ref = r->end_ref[2 * i + (size_t)k];
			struct nsc_lab_end *end = ends[k];

			if (end->kind == NSC_LAB_END_NODE) {
				end->node = nsc_lab_node(lab, ref);
				if (!end->node)
					return ERR(r, end->ref_pos, "no node \"%s\" in this lab",
						   nsc_printable(ref, p, sizeof(p)));
			} else {
				end->bridge = nsc_lab_bridge(lab, ref);
				if (!end->bridge)
					return ERR(r, end->ref_pos, "no bridge \"%s\" in this lab",
						   nsc_printable(ref, p, sizeof(p)));
			}
		}
	}
	for (size_t i = 0; i < lab->n_ready; i++) {
		const char *ref = r->ready_ref[i];

		lab->ready[i].from = nsc_lab_node(lab, ref);
		if (!lab->ready[i].from)
			return ERR(r, lab->ready[i].from_pos, "no node \"%s\" in this lab",
				   nsc_printable(ref, p, sizeof(p)));
	}
	return 0;
}

static int read_version(struct lab_rd *r, const struct lab_yv *root)
{
	const struct lab_yv *v = lab_lookup(root, "version");
	uint32_t version;
	int ret;

	if (!v)
		return ERR(r, root->pos, "missing \"version\" (this netnsctl reads version %d)",
			   NSC_LAB_VERSION);
	ret = lab_u32_value(r, v, "version", 0, UINT32_MAX, &version);
	if (ret < 0)
		return ret;
	if (version != NSC_LAB_VERSION)
		return ERR(r, v->pos, "unsupported version %u (this netnsctl reads version %d)",
			   version, NSC_LAB_VERSION);
	return 0;
}

static void free_refs(struct lab_rd *r)
{
	for (size_t i = 0; i < r->n_end_ref; i++)
		free(r->end_ref[i]);
	free(r->end_ref);
	for (size_t i = 0; i < r->n_ready_ref; i++)
		free(r->ready_ref[i]);
	free(r->ready_ref);
}

int lab_from_tree(struct nsc_lab *lab, const struct lab_yv *root, struct nsc_error *e)
{
	struct lab_rd r = { .lab = lab, .e = e, .file = lab->file };
	int ret;

	if (root->type != LAB_YV_MAP) {
		ret = ERR(&r, root->pos, "the top level must be a map, not %s", lab_yv_kind(root));
		goto out;
	}
	if ((ret = read_version(&r, root)) < 0 ||
	    (ret = lab_walk_map(&r, root, "the top level", top_keys, NULL)) < 0)
		goto out;
	if (!lab->name) {
		ret = ERR(&r, root->pos, "missing \"name\"");
		goto out;
	}
	if (!lab->nodes) {
		ret = ERR(&r, root->pos, "missing \"nodes\"");
		goto out;
	}
	ret = resolve(&r);
out:
	free_refs(&r);
	return ret;
}
