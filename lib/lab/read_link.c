// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The "bridges" and "links" of a lab file, key by key. A link's ends name
 * their node or bridge; the names are kept (r->end_ref) and resolved by
 * read.c once everything is read.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lab/read.h"

static int k_bridge_mtu(struct lab_rd *r, const struct lab_yv *v, void *obj)
{
	struct nsc_lab_bridge *br = obj;

	return lab_u32_value(r, v, "mtu", 68, 65535, &br->mtu);
}

static int k_bridge_host(struct lab_rd *r, const struct lab_yv *v, void *obj)
{
	struct nsc_lab_bridge *br = obj;

	return lab_host_ref_value(r, v, &br->host_ref, &br->host_pos);
}

static const struct lab_key bridge_keys[] = {
	{ "host", k_bridge_host },
	{ "mtu", k_bridge_mtu },
	{ NULL, NULL },
};

int lab_read_bridges(struct lab_rd *r, const struct lab_yv *v, void *obj)
{
	struct nsc_lab *lab = r->lab;
	int ret = lab_want_map(r, v, "bridges");

	(void)obj;
	if (ret < 0 || !lab_count(v))
		return ret;
	ret = LAB_MAP_NEW(r, v, NSC_LAB_MAX_BRIDGES, "bridges", lab->bridges, lab->n_bridges);
	for (size_t i = 0; ret == 0 && i < v->n; i++) {
		const struct lab_yv *k = v->keys[i];
		struct nsc_lab_bridge *br = &lab->bridges[i];
		struct nsc_error tmp = { 0 };

		if ((ret = lab_entry_name(r, k, "bridge", &br->name)) < 0)
			break;
		br->pos = k->pos;
		/* a bridge is an interface in LAB._switch */
		if (nsc_ifname_check(k->str, &tmp) < 0)
			ret = LAB_ERR(r, k->pos, "invalid bridge name: %s", tmp.msg);
		else if (!strcmp(k->str, "lo"))
			ret = LAB_ERR(r, k->pos, "bridge name \"lo\" is the loopback device's");
		else
			ret = lab_entry_body(r, k, v->items[i], "bridge", bridge_keys, br);
	}
	return ret;
}

/* ---- links ---- */

/*
 * "impair": a map of the keys of an impairment (impair.h), each a scalar in
 * tc's units; checked one by one here, and as a whole per end once the link
 * is read (impair_ends).
 */
static int impair_value(struct lab_rd *r, const struct lab_yv *v, struct nsc_impair *im)
{
	int ret = lab_want_map(r, v, "impair");

	for (size_t i = 0; ret == 0 && i < lab_count(v); i++) {
		const struct lab_yv *k = v->keys[i], *val = v->items[i];
		struct nsc_error tmp = { 0 };
		int key = nsc_impair_key(k->str);

		if (key < 0)
			return LAB_ERR(r, k->pos, "unknown impair key \"%s\" (rate, burst, limit, "
				       "delay, jitter, loss, duplicate, reorder, corrupt)", k->str);
		if ((ret = lab_want_scalar(r, val, k->str, "a value")) < 0)
			return ret;
		if (nsc_impair_set_key(im, key, val->str, &tmp) < 0)
			return LAB_ERR(r, val->pos, "impair: %s", tmp.msg);
	}
	return ret;
}

struct end_ctx {
	struct nsc_lab_end *end;
	char **ref;                     /* the node or bridge name */
	const struct lab_yv *node, *bridge, *addrs, *mac, *dynamic;
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
		return LAB_ERR(r, v->pos, "MAC address \"%s\" is a multicast address "
			       "(the first octet is odd)", v->str);
	if (!memcmp(c->end->mac, zero, 6))
		return LAB_ERR(r, v->pos, "MAC address \"%s\" is all zeros", v->str);
	return 0;
}

/* "dynamic": true or false, as YAML writes a boolean */
static int k_end_dynamic(struct lab_rd *r, const struct lab_yv *v, void *obj)
{
	struct end_ctx *c = obj;
	int ret = lab_want_scalar(r, v, "dynamic", "true or false");

	if (ret < 0)
		return ret;
	c->dynamic = v;
	if (!strcmp(v->str, "true") || !strcmp(v->str, "True") || !strcmp(v->str, "TRUE"))
		c->end->dynamic = true;
	else if (strcmp(v->str, "false") && strcmp(v->str, "False") && strcmp(v->str, "FALSE"))
		return LAB_ERR(r, v->pos, "\"dynamic\" is true or false, not \"%s\"", v->str);
	return 0;
}

static int k_end_impair(struct lab_rd *r, const struct lab_yv *v, void *obj)
{
	struct end_ctx *c = obj;

	c->end->impair_pos = v->pos;
	return impair_value(r, v, &c->end->impair);
}

static const struct lab_key end_keys[] = {
	{ "node", k_end_node },
	{ "ifname", k_end_ifname },
	{ "addresses", k_end_addresses },
	{ "mac", k_end_mac },
	{ "bridge", k_end_bridge },
	{ "impair", k_end_impair },
	{ "dynamic", k_end_dynamic },
	{ NULL, NULL },
};

static int end_value(struct lab_rd *r, const struct lab_yv *v, struct nsc_lab_end *end, char **ref)
{
	struct end_ctx c = { .end = end, .ref = ref };
	int ret;

	if (v->type != LAB_YV_MAP)
		return LAB_ERR(r, v->pos, "a link end must be a map, not %s", lab_yv_kind(v));
	end->pos = v->pos;
	if ((ret = lab_walk_map(r, v, "a link end", end_keys, &c)) < 0)
		return ret;
	if (c.node && c.bridge)
		return LAB_ERR(r, (lab_pos_before(c.node->pos, c.bridge->pos) ? c.bridge : c.node)->pos,
			       "a link end is on a node or on a bridge, not both");
	if (!c.node && !c.bridge)
		return LAB_ERR(r, v->pos, "a link end needs \"node\" or \"bridge\"");
	if (c.node) {
		end->kind = NSC_LAB_END_NODE;
		if (!end->ifname)
			return LAB_ERR(r, v->pos, "a link end on a node needs \"ifname\"");
		return 0;
	}
	end->kind = NSC_LAB_END_BRIDGE;
	if (c.addrs)
		return LAB_ERR(r, c.addrs->pos, "a link end on a bridge has no addresses "
			       "(put them on a node, or on the bridge's other links)");
	if (c.mac)
		return LAB_ERR(r, c.mac->pos, "a link end on a bridge takes no \"mac\"");
	if (c.dynamic)
		return LAB_ERR(r, c.dynamic->pos, "a link end on a bridge takes no \"dynamic\" "
			       "(a port has no addresses)");
	return 0;
}

struct link_ctx {
	struct nsc_lab_link *link;
	char **ref;                     /* 2: a, b */
	struct nsc_lab_pos impair_pos;  /* the link's "impair", {0, 0}: none */
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

static int k_link_vni(struct lab_rd *r, const struct lab_yv *v, void *obj)
{
	struct link_ctx *c = obj;

	return lab_vni_value(r, v, c->link);
}

static int k_link_impair(struct lab_rd *r, const struct lab_yv *v, void *obj)
{
	struct link_ctx *c = obj;

	c->impair_pos = v->pos;
	return impair_value(r, v, &c->link->impair);
}

static const struct lab_key link_keys[] = {
	{ "a", k_link_a },
	{ "b", k_link_b },
	{ "mtu", k_link_mtu },
	{ "vni", k_link_vni },
	{ "impair", k_link_impair },
	{ NULL, NULL },
};

/*
 * What each end sends: the link's impairment (both ways) with the end's own
 * keys over it, valid as a whole (jitter with a delay...), else an error at
 * the end's "impair" or, when it has none, the link's.
 */
static int impair_ends(struct lab_rd *r, struct link_ctx *c)
{
	const struct nsc_impair *both = &c->link->impair;
	struct nsc_lab_end *ends[2] = { &c->link->a, &c->link->b };

	for (int j = 0; j < 2; j++) {
		struct nsc_lab_end *end = ends[j];
		struct nsc_impair eff = *both;
		struct nsc_error tmp = { 0 };

		if (!both->set && !end->impair.set)
			continue;
		nsc_impair_overlay(&eff, &end->impair);
		if (!end->impair.set)
			end->impair_pos = c->impair_pos;
		if (nsc_impair_check(&eff, &tmp) < 0)
			return LAB_ERR(r, end->impair_pos, "impair: %s", tmp.msg);
		end->impair = eff;
	}
	return 0;
}

int lab_read_links(struct lab_rd *r, const struct lab_yv *v, void *obj)
{
	static const char *const required[] = { "a", "b", NULL };
	struct nsc_lab *lab = r->lab;
	int ret = LAB_LIST_NEW(r, v, "links", lab->links, lab->n_links);

	(void)obj;
	if (ret < 0 || !lab_count(v))
		return ret;
	r->end_ref = calloc(2 * v->n, sizeof(*r->end_ref));
	if (!r->end_ref)
		return lab_nomem(r);
	r->n_end_ref = 2 * v->n;
	for (size_t i = 0; ret == 0 && i < v->n; i++) {
		struct link_ctx c = { &lab->links[i], &r->end_ref[2 * i] };

		c.link->pos = v->items[i]->pos;
		ret = lab_list_item(r, v->items[i], "a link", link_keys, &c, required);
		if (ret == 0)
			ret = impair_ends(r, &c);
	}
	return ret;
}
