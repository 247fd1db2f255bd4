// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The lab as a whole, once every value is read and every name resolved:
 * namespace names, names that must be unique (interfaces of a node, names
 * in the switch namespace, addresses in the lab, routes and neighbours of a
 * node), and routes that the kernel would refuse. Also fills in what is
 * derived: namespace names, effective MTUs, switch port names, MACs.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "lab/read.h"

#define ERR(lab, pos, ...) lab_err((lab)->file, (pos), e, __VA_ARGS__)

/* ---- finding duplicates: sort, then the earliest second occurrence ---- */

struct ukey {
	const void *scope;              /* only keys of one scope can clash */
	const void *data;
	size_t len;
	struct nsc_lab_pos pos;
	const void *item;               /* what the key came from, for messages */
};

static int cmp_ukey(const void *a, const void *b)
{
	const struct ukey *x = a, *y = b;
	int c;

	if (x->scope != y->scope)
		return (uintptr_t)x->scope < (uintptr_t)y->scope ? -1 : 1;
	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	c = memcmp(x->data, y->data, x->len);
	if (c)
		return c;
	if (lab_pos_before(x->pos, y->pos))
		return -1;
	return lab_pos_before(y->pos, x->pos);
}

static bool same_key(const struct ukey *x, const struct ukey *y)
{
	return x->scope == y->scope && x->len == y->len && !memcmp(x->data, y->data, x->len);
}

/* Sorts keys. true when some key repeats: *dup is the repeat that comes
 * first in the file, *first the occurrence it repeats. */
static bool find_dup(struct ukey *keys, size_t n, struct ukey *dup, struct ukey *first)
{
	bool found = false;
	size_t start = 0;

	if (n < 2)
		return false;
	qsort(keys, n, sizeof(*keys), cmp_ukey);
	for (size_t i = 1; i < n; i++) {
		if (!same_key(&keys[i], &keys[i - 1])) {
			start = i;
			continue;
		}
		if (i == start + 1 && (!found || lab_pos_before(keys[i].pos, dup->pos))) {
			*dup = keys[i];
			*first = keys[start];
			found = true;
		}
	}
	return found;
}

/* ---- addresses ---- */

/* "default" for a default route's prefix, whose family is not known yet */
static const char *addr_str(const struct nsc_prefix *p, bool with_len, char buf[LAB_ADDRSTR])
{
	if (p->family != AF_INET && p->family != AF_INET6)
		return strcpy(buf, "default");
	return nsc_prefix_str(p, with_len ? p->len : -1, buf, LAB_ADDRSTR);
}

static size_t addr_bytes(const struct nsc_prefix *p)
{
	return p->family == AF_INET6 ? 16 : 4;
}

/* Does prefix NET/LEN contain address A (same family)? */
static bool prefix_contains(const struct nsc_prefix *net, const struct nsc_prefix *a)
{
	int len = net->len;

	if (net->family != a->family)
		return false;
	for (int i = 0; len > 0; i++, len -= 8) {
		uint8_t mask = len >= 8 ? 0xff : (uint8_t)(0xff << (8 - len));

		if ((net->addr[i] ^ a->addr[i]) & mask)
			return false;
	}
	return true;
}

/* p with its host bits cleared. */
static struct nsc_prefix network_of(const struct nsc_prefix *p)
{
	struct nsc_prefix n = *p;
	int len = p->len;

	for (size_t i = 0; i < sizeof(n.addr); i++, len -= 8) {
		if (len >= 8)
			continue;
		n.addr[i] &= len > 0 ? (uint8_t)(0xff << (8 - len)) : 0;
	}
	return n;
}

static bool ipv6_linklocal(const struct nsc_prefix *p)
{
	return p->family == AF_INET6 && p->addr[0] == 0xfe && (p->addr[1] & 0xc0) == 0x80;
}

/* ---- names ---- */

static int check_names(struct nsc_lab *lab, struct nsc_error *e)
{
	size_t lablen = strlen(lab->name);

	if (asprintf(&lab->switch_netns, "%s.%s", lab->name, NSC_LAB_SWITCH) < 0) {
		lab->switch_netns = NULL;
		return nsc_err(e, ENOMEM, "read \"%s\"", lab->file);
	}
	for (size_t i = 0; i < lab->n_nodes; i++) {
		struct nsc_lab_node *node = &lab->nodes[i];

		size_t len = lablen + 1 + strlen(node->name);
		char p[48];

		if (len > NAME_MAX)
			return ERR(lab, node->pos, "the namespace name of node \"%s\" would be "
				   "%zu bytes long (at most %d)",
				   nsc_printable(node->name, p, sizeof(p)), len, NAME_MAX);
		/* sethostname() refuses more: found here, not half-way through apply */
		if (lab->hostname && strlen(node->name) > HOST_NAME_MAX)
			return ERR(lab, node->pos, "node \"%s\" is %zu bytes long, too long for a "
				   "hostname (defaults.hostname: at most %d)",
				   nsc_printable(node->name, p, sizeof(p)), strlen(node->name),
				   HOST_NAME_MAX);
		if (asprintf(&node->netns, "%s.%s", lab->name, node->name) < 0) {
			node->netns = NULL;
			return nsc_err(e, ENOMEM, "read \"%s\"", lab->file);
		}
	}
	/* later commands take either by name */
	for (size_t i = 0; i < lab->n_bridges; i++)
		if (nsc_lab_node(lab, lab->bridges[i].name))
			return ERR(lab, lab->bridges[i].pos, "bridge \"%s\" has the name of a node",
				   lab->bridges[i].name);
	return 0;
}

/* Each node end's ifname once per node; "lo" was refused when read. */
static int check_ifnames(struct nsc_lab *lab, struct nsc_error *e)
{
	struct ukey *keys = calloc(2 * lab->n_links + 1, sizeof(*keys)), dup, first;
	size_t n = 0;
	int ret = 0;

	if (!keys)
		return nsc_err(e, ENOMEM, "read \"%s\"", lab->file);
	for (size_t i = 0; i < lab->n_links; i++) {
		struct nsc_lab_end *ends[2] = { &lab->links[i].a, &lab->links[i].b };

		for (int k = 0; k < 2; k++)
			if (ends[k]->kind == NSC_LAB_END_NODE)
				keys[n++] = (struct ukey){ ends[k]->node, ends[k]->ifname,
							   strlen(ends[k]->ifname),
							   ends[k]->ifname_pos, ends[k] };
	}
	if (find_dup(keys, n, &dup, &first)) {
		const struct nsc_lab_end *end = dup.item;

		ret = ERR(lab, dup.pos, "node \"%s\" already has an interface \"%s\" "
			  "(line %u, column %u)", end->node->name, end->ifname,
			  first.pos.line, first.pos.col);
	}
	free(keys);
	return ret;
}

/*
 * Bridge ends: name the switch-side interfaces ("BRIDGE-K", K counting the
 * bridge's links in file order, unless the file names it), then make sure
 * every name in LAB._switch, bridges and ports, is there once.
 */
static int check_switch(struct nsc_lab *lab, struct nsc_error *e)
{
	struct ukey *keys, dup, first;
	size_t n = 0;
	int ret = 0;

	keys = calloc(lab->n_bridges + 2 * lab->n_links + 1, sizeof(*keys));
	if (!keys)
		return nsc_err(e, ENOMEM, "read \"%s\"", lab->file);
	for (size_t i = 0; i < lab->n_bridges; i++)
		keys[n++] = (struct ukey){ NULL, lab->bridges[i].name,
					   strlen(lab->bridges[i].name), lab->bridges[i].pos,
					   &lab->bridges[i] };
	for (size_t i = 0; i < lab->n_links; i++) {
		struct nsc_lab_link *link = &lab->links[i];
		struct nsc_lab_end *ends[2] = { &link->a, &link->b };

		if (link->a.kind == NSC_LAB_END_BRIDGE && link->b.kind == NSC_LAB_END_BRIDGE) {
			ret = ERR(lab, link->pos, "a link between two bridges is not supported "
				  "(one end must be on a node)");
			goto cleanup;
		}
		for (int k = 0; k < 2; k++) {
			struct nsc_lab_end *end = ends[k];
			struct nsc_lab_bridge *br = end->bridge;

			if (end->kind != NSC_LAB_END_BRIDGE)
				continue;
			br->n_ports++;
			if (!end->ifname) {
				if (asprintf(&end->ifname, "%s-%zu", br->name, br->n_ports) < 0) {
					end->ifname = NULL;
					ret = nsc_err(e, ENOMEM, "read \"%s\"", lab->file);
					goto cleanup;
				}
				end->ifname_pos = end->ref_pos;
				if (strlen(end->ifname) > 15) {
					ret = ERR(lab, end->ref_pos, "the switch port name \"%s\" is "
						  "longer than 15 bytes: give this end an \"ifname\" "
						  "or the bridge a shorter name", end->ifname);
					goto cleanup;
				}
			}
			keys[n++] = (struct ukey){ NULL, end->ifname, strlen(end->ifname),
						   end->ifname_pos, end };
		}
	}
	if (find_dup(keys, n, &dup, &first))
		ret = ERR(lab, dup.pos, "the name \"%.*s\" is already used in namespace \"%s\" "
			  "(line %u, column %u)", (int)dup.len, (const char *)dup.data,
			  lab->switch_netns, first.pos.line, first.pos.col);
cleanup:
	free(keys);
	return ret;
}

/* No address twice in the lab (IPv6 link-local ones: not twice on one
 * interface; every link may have its fe80::1). */
static int check_addresses(struct nsc_lab *lab, struct nsc_error *e)
{
	struct ukey *keys, dup, first;
	size_t n = 0, total = 0;
	int ret = 0;

	for (size_t i = 0; i < lab->n_nodes; i++)
		total += lab->nodes[i].n_loopback;
	for (size_t i = 0; i < lab->n_links; i++)
		total += lab->links[i].a.n_addrs + lab->links[i].b.n_addrs;
	keys = calloc(total + 1, sizeof(*keys));
	if (!keys)
		return nsc_err(e, ENOMEM, "read \"%s\"", lab->file);
	for (size_t i = 0; i < lab->n_nodes; i++)
		for (size_t k = 0; k < lab->nodes[i].n_loopback; k++) {
			const struct nsc_lab_addr *a = &lab->nodes[i].loopback[k];

			keys[n++] = (struct ukey){ ipv6_linklocal(&a->prefix) ? &lab->nodes[i] : NULL,
						   a->prefix.addr, addr_bytes(&a->prefix),
						   a->pos, a };
		}
	for (size_t i = 0; i < lab->n_links; i++) {
		const struct nsc_lab_end *ends[2] = { &lab->links[i].a, &lab->links[i].b };

		for (int j = 0; j < 2; j++)
			for (size_t k = 0; k < ends[j]->n_addrs; k++) {
				const struct nsc_lab_addr *a = &ends[j]->addrs[k];

				keys[n++] = (struct ukey){ ipv6_linklocal(&a->prefix) ? ends[j] : NULL,
							   a->prefix.addr, addr_bytes(&a->prefix),
							   a->pos, a };
			}
	}
	if (find_dup(keys, n, &dup, &first)) {
		const struct nsc_lab_addr *a = dup.item;
		char buf[LAB_ADDRSTR];

		ret = ERR(lab, dup.pos, "address %s is already in the lab (line %u, column %u)",
			  addr_str(&a->prefix, false, buf), first.pos.line, first.pos.col);
	}
	free(keys);
	return ret;
}

/* Is GW in the subnet of an address of NODE's interfaces (of DEV alone,
 * when given)? The kernel wants gateways on a connected subnet. */
static bool gateway_reachable(const struct nsc_lab *lab, const struct nsc_lab_node *node,
			      const struct nsc_prefix *gw, const char *dev)
{
	for (size_t i = 0; i < lab->n_links; i++) {
		const struct nsc_lab_end *ends[2] = { &lab->links[i].a, &lab->links[i].b };

		for (int k = 0; k < 2; k++) {
			const struct nsc_lab_end *end = ends[k];

			if (end->kind != NSC_LAB_END_NODE || end->node != node ||
			    (dev && strcmp(end->ifname, dev)))
				continue;
			for (size_t j = 0; j < end->n_addrs; j++)
				if (prefix_contains(&end->addrs[j].prefix, gw))
					return true;
		}
	}
	return false;
}

static int check_route(const struct nsc_lab *lab, const struct nsc_lab_node *node,
		       struct nsc_lab_route *rt, struct nsc_error *e)
{
	char a[LAB_ADDRSTR], b[LAB_ADDRSTR];
	struct nsc_prefix net;

	if (rt->dev && !lab_node_end(lab, node, rt->dev))
		return ERR(lab, rt->dev_pos, "node \"%s\" has no interface \"%s\"",
			   node->name, rt->dev);
	if (rt->to.family == AF_UNSPEC) {       /* "default": the gateway's family */
		if (!rt->has_via)
			return ERR(lab, rt->to_pos, "a default route without \"via\" has no "
				   "address family: write 0.0.0.0/0 or ::/0");
		rt->to.family = rt->via.family;
	}
	if (rt->has_via && rt->via.family != rt->to.family)
		return ERR(lab, rt->via_pos, "gateway %s is %s but the route to %s is %s",
			   addr_str(&rt->via, false, a), rt->via.family == AF_INET ? "IPv4" : "IPv6",
			   addr_str(&rt->to, true, b), rt->to.family == AF_INET ? "IPv4" : "IPv6");
	net = network_of(&rt->to);
	if (memcmp(net.addr, rt->to.addr, sizeof(net.addr)))
		return ERR(lab, rt->to_pos, "prefix %s has host bits set (the network is %s)",
			   addr_str(&rt->to, true, a), addr_str(&net, true, b));
	if (!rt->has_via)
		return 0;
	if (ipv6_linklocal(&rt->via)) {
		if (!rt->dev)
			return ERR(lab, rt->via_pos, "link-local gateway %s needs \"dev\"",
				   addr_str(&rt->via, false, a));
		return 0;
	}
	if (!gateway_reachable(lab, node, &rt->via, rt->dev)) {
		if (rt->dev)
			return ERR(lab, rt->via_pos, "gateway %s is not in a subnet of interface "
				   "\"%s\" of node \"%s\"", addr_str(&rt->via, false, a), rt->dev,
				   node->name);
		return ERR(lab, rt->via_pos, "gateway %s is not in a subnet of any interface "
			   "of node \"%s\"", addr_str(&rt->via, false, a), node->name);
	}
	return 0;
}

/*
 * The first repeat among keys of SIZE bytes, one per item of NODE, each
 * written by fill() (which also sets the ukey's pos and item): 1 with *dup
 * and *first as find_dup() gives them (their data is gone: use item and
 * pos), 0 when none repeats, -ENOMEM.
 */
typedef void (*key_fill)(const struct nsc_lab_node *node, size_t i, void *key,
			 struct ukey *uk);

static int node_dup(struct nsc_lab_node *node, size_t n, size_t size, key_fill fill,
		    struct ukey *dup, struct ukey *first)
{
	uint8_t *data = calloc(n + 1, size);
	struct ukey *keys = calloc(n + 1, sizeof(*keys));
	int ret = -ENOMEM;

	if (!data || !keys)
		goto cleanup;
	for (size_t i = 0; i < n; i++) {
		keys[i] = (struct ukey){ .scope = node, .data = data + i * size, .len = size };
		fill(node, i, data + i * size, &keys[i]);
	}
	ret = find_dup(keys, n, dup, first);
cleanup:
	free(data);
	free(keys);
	return ret;
}

/* the kernel refuses a second route to a prefix with the same metric */
struct route_key {
	uint32_t metric;
	uint8_t family, len;
	uint8_t addr[16];
};

static void route_key(const struct nsc_lab_node *node, size_t i, void *key, struct ukey *uk)
{
	const struct nsc_lab_route *rt = &node->routes[i];
	struct route_key *k = key;

	k->metric = rt->metric;
	k->family = (uint8_t)rt->to.family;
	k->len = (uint8_t)rt->to.len;
	memcpy(k->addr, rt->to.addr, sizeof(k->addr));
	uk->pos = rt->pos;
	uk->item = rt;
}

struct neigh_key {
	char dev[16];
	uint8_t family;
	uint8_t addr[16];
};

static void neigh_key(const struct nsc_lab_node *node, size_t i, void *key, struct ukey *uk)
{
	const struct nsc_lab_neigh *nb = &node->neighs[i];
	struct neigh_key *k = key;

	/* ifnames are at most 15 bytes: checked when read */
	strncpy(k->dev, nb->dev, sizeof(k->dev) - 1);
	k->family = (uint8_t)nb->address.family;
	memcpy(k->addr, nb->address.addr, sizeof(k->addr));
	uk->pos = nb->pos;
	uk->item = nb;
}

/* A node's routes, then its neighbours: each on its own, then none twice. */
static int check_node(struct nsc_lab *lab, struct nsc_lab_node *node, struct nsc_error *e)
{
	const struct nsc_lab_route *rt;
	const struct nsc_lab_neigh *nb;
	struct ukey dup, first;
	char a[LAB_ADDRSTR];
	int ret;

	for (size_t i = 0; i < node->n_routes; i++)
		if ((ret = check_route(lab, node, &node->routes[i], e)) < 0)
			return ret;
	ret = node_dup(node, node->n_routes, sizeof(struct route_key), route_key, &dup, &first);
	if (ret > 0) {
		rt = dup.item;
		return ERR(lab, dup.pos, "node \"%s\" has a route to %s%s with this metric "
			   "already (line %u, column %u)", node->name,
			   rt->to.len ? addr_str(&rt->to, true, a) : "default",
			   rt->to.len ? "" : (rt->to.family == AF_INET ? " (IPv4)" : " (IPv6)"),
			   first.pos.line, first.pos.col);
	}
	for (size_t i = 0; ret == 0 && i < node->n_neighs; i++)
		if (!lab_node_end(lab, node, node->neighs[i].dev))
			return ERR(lab, node->neighs[i].dev_pos, "node \"%s\" has no interface \"%s\"",
				   node->name, node->neighs[i].dev);
	if (ret == 0)
		ret = node_dup(node, node->n_neighs, sizeof(struct neigh_key), neigh_key, &dup,
			       &first);
	if (ret > 0) {
		nb = dup.item;
		return ERR(lab, dup.pos, "node \"%s\" has a neighbour %s on \"%s\" already "
			   "(line %u, column %u)", node->name, addr_str(&nb->address, false, a),
			   nb->dev, first.pos.line, first.pos.col);
	}
	return ret < 0 ? nsc_err(e, ENOMEM, "read \"%s\"", lab->file) : 0;
}

/* Every end the file gives no MAC, and every bridge, its own derived one
 * (nsc_lab_mac()): the same each time the lab is made. */
static void derive_macs(struct nsc_lab *lab)
{
	for (size_t i = 0; i < lab->n_links; i++) {
		struct nsc_lab_end *ends[2] = { &lab->links[i].a, &lab->links[i].b };

		for (int k = 0; k < 2; k++) {
			struct nsc_lab_end *end = ends[k];

			if (end->has_mac)
				continue;
			nsc_lab_mac(lab->name, end->kind == NSC_LAB_END_NODE ?
				    end->node->name : NSC_LAB_SWITCH, end->ifname, end->mac);
			end->has_mac = true;
			end->mac_derived = true;
		}
	}
	for (size_t i = 0; i < lab->n_bridges; i++)
		nsc_lab_mac(lab->name, NSC_LAB_SWITCH, lab->bridges[i].name, lab->bridges[i].mac);
}

int lab_check(struct nsc_lab *lab, struct nsc_error *e)
{
	int ret;

	if ((ret = check_names(lab, e)) < 0 ||
	    (ret = check_ifnames(lab, e)) < 0 ||
	    (ret = check_switch(lab, e)) < 0 ||
	    (ret = check_addresses(lab, e)) < 0 ||
	    (ret = lab_check_services(lab, e)) < 0)
		return ret;
	for (size_t i = 0; i < lab->n_nodes; i++)
		if ((ret = check_node(lab, &lab->nodes[i], e)) < 0)
			return ret;
	for (size_t i = 0; i < lab->n_links; i++)
		if (!lab->links[i].mtu)
			lab->links[i].mtu = lab->mtu;
	for (size_t i = 0; i < lab->n_bridges; i++)
		if (!lab->bridges[i].mtu)
			lab->bridges[i].mtu = lab->mtu;
	derive_macs(lab);
	return 0;
}
