// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Where a ready check's way breaks, by the lab's own model: from the
 * check's node toward its address, hop by hop as the kernel would route
 * (the longest prefix of the node's connected subnets and its routes), the
 * next node being the one on the egress link that has the next hop's
 * address; then the same way back to the address the first hop leaves
 * from. The usual causes of a failed ping are what this finds: a node with
 * no route, a gateway or target address nobody on the link has, a router
 * that does not forward, a link end that drops everything (impair loss
 * 100%). Pure (the file alone, no kernel), so that `lab validate` says it
 * before anything is made and apply says it after a check failed; a node
 * with exec commands or services may change its own forwarding (sysctl,
 * a routing daemon), so forwarding is only judged on nodes without them;
 * a dynamic end (DHCP, SLAAC, a routing daemon) may bring addresses and
 * routes the file does not have, so no verdict rests on one.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "lab/model.h"

/* ---- addresses ---- */

static bool same_addr(const struct nsc_prefix *a, int family, const uint8_t *addr)
{
	return a->family == family && !memcmp(a->addr, addr, family == AF_INET6 ? 16 : 4);
}

/* Does NET (its len bits) hold ADDR? */
static bool holds(const struct nsc_prefix *net, int len, int family, const uint8_t *addr)
{
	int full = len / 8, rest = len % 8;

	if (net->family != family || len < 0)
		return false;
	if (memcmp(net->addr, addr, (size_t)full))
		return false;
	return !rest || !((net->addr[full] ^ addr[full]) & (0xff << (8 - rest)));
}

/* ---- the model's pieces ---- */

static bool end_has(const struct nsc_lab_end *end, int family, const uint8_t *addr)
{
	for (size_t i = 0; i < end->n_addrs; i++)
		if (same_addr(&end->addrs[i].prefix, family, addr))
			return true;
	return false;
}

/* Does NODE have ADDR, on any end or lo? */
static bool node_has(const struct nsc_lab *lab, const struct nsc_lab_node *node, int family,
		     const uint8_t *addr)
{
	for (size_t i = 0; i < node->n_loopback; i++)
		if (same_addr(&node->loopback[i].prefix, family, addr))
			return true;
	for (size_t i = 0; i < lab->n_links; i++) {
		const struct nsc_lab_end *ends[2] = { &lab->links[i].a, &lab->links[i].b };

		for (int k = 0; k < 2; k++)
			if (ends[k]->kind == NSC_LAB_END_NODE && ends[k]->node == node &&
			    end_has(ends[k], family, addr))
				return true;
	}
	return false;
}

static const struct nsc_lab_end *peer_of(const struct nsc_lab_link *l,
					 const struct nsc_lab_end *end)
{
	return end == &l->a ? &l->b : &l->a;
}

/* The link an end belongs to. */
static const struct nsc_lab_link *link_of(const struct nsc_lab *lab, const struct nsc_lab_end *end)
{
	for (size_t i = 0; i < lab->n_links; i++)
		if (end == &lab->links[i].a || end == &lab->links[i].b)
			return &lab->links[i];
	return NULL;
}

/* Has NODE a dynamic end (addresses and routes the file does not say)? */
static bool node_dynamic(const struct nsc_lab *lab, const struct nsc_lab_node *node)
{
	for (size_t i = 0; i < lab->n_links; i++) {
		const struct nsc_lab_end *ends[2] = { &lab->links[i].a, &lab->links[i].b };

		for (int k = 0; k < 2; k++)
			if (ends[k]->kind == NSC_LAB_END_NODE && ends[k]->node == node &&
			    ends[k]->dynamic)
				return true;
	}
	return false;
}

static bool drops_all(const struct nsc_lab_end *end)
{
	return (end->impair.set & (1u << NSC_IMP_LOSS)) && end->impair.loss == UINT32_MAX;
}

/*
 * A node end on the segment of END (its peer, or every node end on the
 * peer's bridge) whose node answers for ADDR: IPv4 as Linux does, for any
 * of the node's addresses (ARP, weak host); IPv6 for the end's own (ND).
 * *dyn: a node end there is dynamic (it may have ADDR unsaid).
 */
static const struct nsc_lab_end *on_segment(const struct nsc_lab *lab,
					    const struct nsc_lab_end *end, int family,
					    const uint8_t *addr, bool *dyn)
{
	const struct nsc_lab_link *l = link_of(lab, end);
	const struct nsc_lab_end *peer = l ? peer_of(l, end) : NULL;

	*dyn = false;

	for (size_t i = 0; peer && i < lab->n_links; i++) {
		const struct nsc_lab_link *k = &lab->links[i];
		const struct nsc_lab_end *ends[2] = { &k->a, &k->b };

		for (int s = 0; s < 2; s++) {
			const struct nsc_lab_end *cand = ends[s], *far = peer_of(k, cand);

			if (cand == end || cand->kind != NSC_LAB_END_NODE)
				continue;
			/* the peer itself, or a node end across the same bridge */
			if (cand != peer && !(peer->kind == NSC_LAB_END_BRIDGE &&
					      far->kind == NSC_LAB_END_BRIDGE &&
					      far->bridge == peer->bridge))
				continue;
			*dyn = *dyn || cand->dynamic || node_dynamic(lab, cand->node);
			if (family == AF_INET6 ? end_has(cand, family, addr) :
			    node_has(lab, cand->node, family, addr))
				return cand;
		}
	}
	return NULL;
}

/* The end of NODE whose subnet holds ADDR, the longest; *len gets its length. */
static const struct nsc_lab_end *connected(const struct nsc_lab *lab,
					   const struct nsc_lab_node *node, int family,
					   const uint8_t *addr, int *len)
{
	const struct nsc_lab_end *best = NULL;

	*len = -1;
	for (size_t i = 0; i < lab->n_links; i++) {
		const struct nsc_lab_end *ends[2] = { &lab->links[i].a, &lab->links[i].b };

		for (int k = 0; k < 2; k++) {
			const struct nsc_lab_end *e = ends[k];

			if (e->kind != NSC_LAB_END_NODE || e->node != node)
				continue;
			for (size_t j = 0; j < e->n_addrs; j++) {
				const struct nsc_lab_addr *a = &e->addrs[j];

				if (a->prefix.len > *len && holds(&a->prefix, a->prefix.len, family, addr)) {
					best = e;
					*len = a->prefix.len;
				}
			}
		}
	}
	return best;
}

/* Does NODE forward FAMILY, by the sysctls of the file (its own first)? */
static bool forwards(const struct nsc_lab *lab, const struct nsc_lab_node *node, int family)
{
	static const char *const v4[] = { "net.ipv4.ip_forward", "net.ipv4.conf.all.forwarding" };
	static const char *const v6[] = { "net.ipv6.conf.all.forwarding", NULL };
	const char *const *names = family == AF_INET6 ? v6 : v4;

	for (int n = 0; n < 2 && names[n]; n++) {
		for (size_t i = 0; i < node->n_sysctls; i++)
			if (!strcmp(node->sysctls[i].name, names[n]))
				return strcmp(node->sysctls[i].value, "0") != 0;
		for (size_t i = 0; i < lab->n_sysctls; i++)
			if (!strcmp(lab->sysctls[i].name, names[n]))
				return strcmp(lab->sysctls[i].value, "0") != 0;
	}
	return false;
}

/* ---- the walk ---- */

/* One hop's way out of a node: the end, and the address asked for on it. */
struct hop {
	const struct nsc_lab_end *out;
	const uint8_t *next;            /* the target, or a gateway */
	bool gateway;
};

/* How NODE sends to ADDR (T as text): 0 with *h, 1 with the reason in buf,
 * -1 when the model cannot tell. */
static int route(const struct nsc_lab *lab, const struct nsc_lab_node *node, int family,
		 const uint8_t *addr, const char *t, struct hop *h, char *buf, size_t size)
{
	const struct nsc_lab_route *best = NULL;
	char a[LAB_ADDRSTR];
	int len;

	h->out = connected(lab, node, family, addr, &len);
	h->next = addr;
	h->gateway = false;
	/* a route wins over a connected subnet only with a longer prefix */
	for (size_t i = 0; i < node->n_routes; i++) {
		const struct nsc_lab_route *r = &node->routes[i];
		int rl = r->to.len < 0 ? nsc_prefix_bits(&r->to) : r->to.len;

		if (rl > len && holds(&r->to, rl, family, addr)) {
			best = r;
			len = rl;
		}
	}
	if (!best && !h->out) {
		/* a routing daemon or DHCP may give it one */
		if (node_dynamic(lab, node))
			return -1;
		snprintf(buf, size, "node \"%s\" has no route to %s", node->name, t);
		return 1;
	}
	if (!best)
		return 0;
	h->out = best->dev ? lab_node_end(lab, node, best->dev) : NULL;
	if (best->has_via) {
		h->next = best->via.addr;
		h->gateway = true;
		if (!h->out)
			h->out = connected(lab, node, family, best->via.addr, &len);
		if (!h->out) {
			snprintf(buf, size, "node \"%s\": gateway %s is on none of its links",
				 node->name, nsc_prefix_str(&best->via, -1, a, sizeof(a)));
			return 1;
		}
	}
	/* a dev that is lo or not a link end of the lab: nothing to say */
	return h->out ? 0 : -1;
}

/*
 * From node FROM to ADDR: 1 with the reason in buf, 0 with *to (the node
 * that has ADDR) and *first (FROM's first hop), -1 when the model cannot
 * tell.
 */
static int walk(const struct nsc_lab *lab, const struct nsc_lab_node *from, int family,
		const uint8_t *addr, const struct nsc_lab_node **to,
		const struct nsc_lab_end **first, char *buf, size_t size)
{
	const struct nsc_lab_node *node = from;
	char a[LAB_ADDRSTR], t[LAB_ADDRSTR];
	struct nsc_prefix p = { .family = family, .len = -1 };
	size_t hops = 0;
	int ret;

	memcpy(p.addr, addr, family == AF_INET6 ? 16 : 4);
	nsc_prefix_str(&p, -1, t, sizeof(t));
	*first = NULL;
	while (!node_has(lab, node, family, addr)) {
		struct hop h;
		const struct nsc_lab_end *there;
		bool dyn;

		if (hops++ > lab->n_nodes) {
			snprintf(buf, size, "the way to %s loops (through node \"%s\")", t, node->name);
			return 1;
		}
		if (node != from && !forwards(lab, node, family) && !node->n_exec &&
		    !node->n_services && !node_dynamic(lab, node)) {
			snprintf(buf, size, "node \"%s\" does not forward %s (sysctl %s: 1)",
				 node->name, family == AF_INET6 ? "IPv6" : "IPv4",
				 family == AF_INET6 ? "net.ipv6.conf.all.forwarding" :
				 "net.ipv4.ip_forward");
			return 1;
		}
		if ((ret = route(lab, node, family, addr, t, &h, buf, size)) != 0)
			return ret;
		if (!*first)
			*first = h.out;
		if (drops_all(h.out)) {
			snprintf(buf, size, "node \"%s\" %s drops every packet (impair loss 100%%)",
				 node->name, h.out->ifname);
			return 1;
		}
		there = on_segment(lab, h.out, family, h.next, &dyn);
		if (!there && dyn)
			return -1;
		if (!there) {
			memcpy(p.addr, h.next, family == AF_INET6 ? 16 : 4);
			snprintf(buf, size, "no node on the link of node \"%s\" %s has %s%s",
				 node->name, h.out->ifname, h.gateway ? "gateway " : "",
				 nsc_prefix_str(&p, -1, a, sizeof(a)));
			return 1;
		}
		node = there->node;
	}
	*to = node;
	return 0;
}

/* The address FROM sends from over END: its first of FAMILY, or NULL. */
static const uint8_t *source(const struct nsc_lab_end *end, int family)
{
	for (size_t i = 0; end && i < end->n_addrs; i++)
		if (end->addrs[i].prefix.family == family)
			return end->addrs[i].prefix.addr;
	return NULL;
}

int nsc_lab_ready_path(const struct nsc_lab *lab, const struct nsc_lab_ready *r,
		       char *buf, size_t size)
{
	const struct nsc_prefix *target = r->kind == NSC_LAB_READY_PING ? &r->ping :
					  r->kind == NSC_LAB_READY_TCP ? &r->tcp : NULL;
	const struct nsc_lab_node *there, *back;
	const struct nsc_lab_end *first, *ignore;
	const uint8_t *src;
	size_t len;
	int ret;

	buf[0] = '\0';
	/* a host's share holds only part of the way */
	if (!target || !r->from || lab->share)
		return 0;
	ret = walk(lab, r->from, target->family, target->addr, &there, &first, buf, size);
	if (ret != 0)
		return ret > 0;
	/* and back, to the address the first hop leaves from */
	src = source(first, target->family);
	if (!src || there == r->from)
		return 0;
	ret = walk(lab, there, target->family, src, &back, &ignore, buf, size);
	if (ret <= 0)
		return 0;
	len = strlen(buf);
	snprintf(buf + len, size - len, " (the way back)");
	return 1;
}
