// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Labs that span machines, as the file says them: the top-level "hosts",
 * the "host" of nodes and bridges, a link's "vni" and the VXLAN defaults;
 * then, once everything is read, the hosts named resolved and every
 * crossing link given its VNI (nsc_lab_vni_hash()), clashes refused.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lab/read.h"

static int k_host_address(struct lab_rd *r, const struct lab_yv *v, void *obj)
{
	struct nsc_lab_host *h = obj;

	return lab_host_value(r, v, "address", &h->address);
}

static int k_host_dev(struct lab_rd *r, const struct lab_yv *v, void *obj)
{
	struct nsc_lab_host *h = obj;

	return lab_ifname_value(r, v, "dev", &h->dev);
}

static int k_host_netnsctl(struct lab_rd *r, const struct lab_yv *v, void *obj)
{
	struct nsc_lab_host *h = obj;
	int ret = lab_str_value(r, v, "netnsctl", &h->netnsctl);

	return ret < 0 ? ret : lab_text_check(r, v, "a program", "");
}

static int k_host_via(struct lab_rd *r, const struct lab_yv *v, void *obj)
{
	struct nsc_lab_host *h = obj;
	int ret = lab_want_seq(r, v, "via");

	if (ret < 0)
		return ret;
	if (!lab_count(v))
		return LAB_ERR(r, v->pos, "\"via\" needs a command (an empty list runs nothing)");
	if (!(h->via = calloc(v->n, sizeof(*h->via))))
		return lab_nomem(r);
	h->n_via = v->n;
	for (size_t i = 0; ret == 0 && i < v->n; i++)
		if ((ret = lab_str_value(r, v->items[i], "via", &h->via[i])) == 0)
			ret = lab_text_check(r, v->items[i], "a word of \"via\"", "");
	return ret;
}

static const struct lab_key host_keys[] = {
	{ "address", k_host_address },
	{ "dev", k_host_dev },
	{ "netnsctl", k_host_netnsctl },
	{ "via", k_host_via },
	{ NULL, NULL },
};

/* The defaults a host leaves out: netnsctl from the PATH, via [ssh, NAME]. */
static int host_defaults(struct lab_rd *r, struct nsc_lab_host *h)
{
	if (!h->netnsctl && !(h->netnsctl = strdup("netnsctl")))
		return lab_nomem(r);
	if (h->via)
		return 0;
	if (!(h->via = calloc(2, sizeof(*h->via))))
		return lab_nomem(r);
	h->n_via = 2;
	if (!(h->via[0] = strdup("ssh")) || !(h->via[1] = strdup(h->name)))
		return lab_nomem(r);
	return 0;
}

int lab_read_hosts(struct lab_rd *r, const struct lab_yv *v, void *obj)
{
	struct nsc_lab *lab = r->lab;
	int ret = lab_want_map(r, v, "hosts");

	(void)obj;
	if (ret < 0)
		return ret;
	if (!lab_count(v))
		return LAB_ERR(r, v->pos, "\"hosts\" needs at least one host");
	ret = LAB_MAP_NEW(r, v, NSC_LAB_MAX_NODES, "hosts", lab->hosts, lab->n_hosts);
	for (size_t i = 0; ret == 0 && i < v->n; i++) {
		struct nsc_lab_host *h = &lab->hosts[i];

		h->address.len = -1;
		if ((ret = lab_entry_name(r, v->keys[i], "host", &h->name)) < 0)
			break;
		h->pos = v->keys[i]->pos;
		if ((ret = lab_entry_body(r, v->keys[i], v->items[i], "host", host_keys, h)) < 0)
			break;
		if (!h->address.family)
			ret = LAB_ERR(r, h->pos, "host \"%s\" has no \"address\"", h->name);
		else
			ret = host_defaults(r, h);
	}
	return ret;
}

int lab_host_ref_value(struct lab_rd *r, const struct lab_yv *v, char **ref,
		       struct nsc_lab_pos *pos)
{
	*pos = v->pos;
	return lab_str_value(r, v, "host", ref);
}

int lab_vni_value(struct lab_rd *r, const struct lab_yv *v, struct nsc_lab_link *l)
{
	l->has_vni = true;
	l->vni_pos = v->pos;
	return lab_u32_value(r, v, "vni", 1, NSC_LAB_VNI_MAX, &l->vni);
}

int lab_defaults_vni_base(struct lab_rd *r, const struct lab_yv *v)
{
	return lab_u32_value(r, v, "vni_base", 0, NSC_LAB_VNI_MAX - 1, &r->lab->vni_base);
}

int lab_defaults_vxlan_port(struct lab_rd *r, const struct lab_yv *v)
{
	uint32_t port;
	int ret = lab_u32_value(r, v, "vxlan_port", 1, 65535, &port);

	r->lab->vxlan_port = (uint16_t)port;
	return ret;
}

/* ---- once all is read ---- */

const struct nsc_lab_host *nsc_lab_host(const struct nsc_lab *lab, const char *name)
{
	for (size_t i = 0; i < lab->n_hosts; i++)
		if (!strcmp(lab->hosts[i].name, name))
			return &lab->hosts[i];
	return NULL;
}

/* The host a node or bridge names: there must be one when the lab has hosts. */
static int place(struct lab_rd *r, const char *what, const char *name, const char *ref,
		 struct nsc_lab_pos ref_pos, struct nsc_lab_pos pos, struct nsc_lab_host **out)
{
	struct nsc_lab *lab = r->lab;
	char p[80];

	if (!lab->n_hosts) {
		if (ref)
			return LAB_ERR(r, ref_pos, "\"host\" needs a top-level \"hosts\" map");
		return 0;
	}
	if (!ref)
		return LAB_ERR(r, pos, "%s \"%s\" has no \"host\" (the lab has \"hosts\")", what,
			       name);
	*out = (struct nsc_lab_host *)nsc_lab_host(lab, ref);
	if (!*out)
		return LAB_ERR(r, ref_pos, "no host \"%s\" in this lab",
			       nsc_printable(ref, p, sizeof(p)));
	return 0;
}

static const struct nsc_lab_host *end_host(const struct nsc_lab_end *end)
{
	return end->kind == NSC_LAB_END_NODE ? end->node->host : end->bridge->host;
}

static bool crossing(const struct nsc_lab_link *l)
{
	return end_host(&l->a) != end_host(&l->b);
}

/* "NODE:IFNAME" or "BRIDGE" (bridge ports' names are the lab's choice) */
static uint64_t end_hash(const struct nsc_lab_end *end, uint64_t h)
{
	if (end->kind == NSC_LAB_END_BRIDGE)
		return lab_hash(end->bridge->name, strlen(end->bridge->name) + 1, h);
	h = lab_hash(end->node->name, strlen(end->node->name), h);
	h = lab_hash(":", 1, h);
	return lab_hash(end->ifname, strlen(end->ifname) + 1, h);
}

static uint64_t end_order(const struct nsc_lab_end *end)
{
	return end_hash(end, LAB_HASH_INIT);
}

uint32_t nsc_lab_vni_hash(const struct nsc_lab *lab, const struct nsc_lab_link *l)
{
	const struct nsc_lab_end *x = &l->a, *y = &l->b;
	uint32_t span = NSC_LAB_VNI_MAX - lab->vni_base;
	uint64_t h = lab_hash(lab->name, strlen(lab->name) + 1, LAB_HASH_INIT);

	/* the same VNI whichever way round the link is written */
	if (end_order(x) > end_order(y)) {
		x = &l->b;
		y = &l->a;
	}
	h = end_hash(y, end_hash(x, h));
	return lab->vni_base + 1 + (uint32_t)(h % span);
}

static bool vni_taken(const struct nsc_lab *lab, size_t upto, uint32_t vni)
{
	for (size_t i = 0; i < upto; i++)
		if (crossing(&lab->links[i]) && lab->links[i].vni == vni)
			return true;
	return false;
}

/* Given VNIs first (a clash between two is the file's error), then derived ones. */
static int assign_vnis(struct lab_rd *r)
{
	struct nsc_lab *lab = r->lab;
	uint32_t span = NSC_LAB_VNI_MAX - lab->vni_base;

	for (size_t i = 0; i < lab->n_links; i++) {
		struct nsc_lab_link *l = &lab->links[i];

		/* a VXLAN's two ends speak one IP family over the underlay */
		if (crossing(l) && end_host(&l->a)->address.family !=
				   end_host(&l->b)->address.family)
			return LAB_ERR(r, l->pos, "link between hosts \"%s\" and \"%s\": their "
				       "addresses are not of one family", end_host(&l->a)->name,
				       end_host(&l->b)->name);
		if (!l->has_vni)
			continue;
		if (!crossing(l))
			return LAB_ERR(r, l->vni_pos, "\"vni\" on a link whose ends are on one host");
		for (size_t j = 0; j < i; j++)
			if (lab->links[j].has_vni && lab->links[j].vni == l->vni)
				return LAB_ERR(r, l->vni_pos, "vni %u is the link's at line %u too",
					       l->vni, lab->links[j].pos.line);
	}
	for (size_t i = 0; i < lab->n_links; i++) {
		struct nsc_lab_link *l = &lab->links[i];
		uint32_t vni;
		bool clash;

		if (l->has_vni || !crossing(l))
			continue;
		vni = nsc_lab_vni_hash(lab, l);
		/* step past the given VNIs and the derived ones before: a
		 * lab's links never exhaust 2^24 VNIs */
		do {
			clash = vni_taken(lab, i, vni);
			for (size_t j = i + 1; !clash && j < lab->n_links; j++)
				clash = lab->links[j].has_vni && lab->links[j].vni == vni;
			if (clash)
				vni = lab->vni_base + 1 + (vni - lab->vni_base) % span;
		} while (clash);
		l->vni = vni;
	}
	return 0;
}

int lab_read_hosts_resolve(struct lab_rd *r)
{
	struct nsc_lab *lab = r->lab;
	int ret = 0;

	if (!lab->vxlan_port)
		lab->vxlan_port = NSC_LAB_VXLAN_PORT;
	for (size_t i = 0; ret == 0 && i < lab->n_nodes; i++) {
		struct nsc_lab_node *n = &lab->nodes[i];

		ret = place(r, "node", n->name, n->host_ref, n->host_pos, n->pos, &n->host);
	}
	for (size_t i = 0; ret == 0 && i < lab->n_bridges; i++) {
		struct nsc_lab_bridge *b = &lab->bridges[i];

		ret = place(r, "bridge", b->name, b->host_ref, b->host_pos, b->pos, &b->host);
	}
	if (ret == 0 && lab->n_hosts)
		ret = assign_vnis(r);
	for (size_t i = 0; ret == 0 && !lab->n_hosts && i < lab->n_links; i++)
		if (lab->links[i].has_vni)
			ret = LAB_ERR(r, lab->links[i].vni_pos, "\"vni\" needs a top-level \"hosts\" map");
	return ret;
}
