// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The plan's addresses, routes and neighbours: the file's against what the
 * lab's namespaces hold. What the kernel makes by itself (link-local and
 * loopback addresses, connected routes, router advertisements) is never a
 * difference; an extra is removed (--prune) only when it is recorded.
 * Neither is what others are expected to put there: addresses and routes
 * on a "dynamic" end (DHCP, SLAAC, a routing daemon) that the lab did not
 * make, and routes of a routing protocol anywhere (see extra_route).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>

#include "lab/model.h"
#include "lab/plan.h"

static const struct nsc_lab_pos nowhere = { 0, 0 };

static void addr_of(const struct nsc_addr *a, struct nsc_prefix *p)
{
	memset(p, 0, sizeof(*p));
	p->family = a->family;
	memcpy(p->addr, a->local, sizeof(p->addr));
	p->len = a->prefixlen;
}

static bool same_addr(const struct nsc_prefix *a, const struct nsc_prefix *b)
{
	return a->family == b->family &&
	       !memcmp(a->addr, b->addr, a->family == AF_INET6 ? 16 : 4);
}

static bool same_prefix(const struct nsc_prefix *a, const struct nsc_prefix *b)
{
	return a->len == b->len && same_addr(a, b);
}

/*
 * Something in ns that the file does not have (OBJECT, taken): removed by
 * --prune when the lab made it (rec), else only reported.
 */
static struct lab_step *plan_extra(struct lab_job *job, enum lab_op del, enum nsc_lab_kind kind,
				   struct lab_ns *ns, const char *dev, const struct lab_rec *rec,
				   char *object)
{
	struct lab_step *s = lab_step_new(job, rec && job->opts.prune ? del : OP_NONE,
					  PH_DEL_INSIDE, kind, NSC_LAB_EXTRA, ns, dev, nowhere);

	if (!s) {
		free(object);
		return NULL;
	}
	s->item.object = object;
	s->ifname = s->item.dev;
	lab_step_recorded(job, s, rec);
	return s;
}

/* ---- addresses ---- */

/* Addresses the kernel gives an interface by itself. */
static bool kernel_addr(const struct lab_link *l, const struct nsc_addr *a)
{
	static const uint8_t v6lo[16] = { [15] = 1 };

	if (a->family == AF_INET6 && a->local[0] == 0xfe && (a->local[1] & 0xc0) == 0x80)
		return true;            /* link-local */
	if (strcmp(l->l.ifname, "lo"))
		return false;
	if (a->family == AF_INET)
		return a->local[0] == 127 && a->prefixlen == 8;
	return !memcmp(a->local, v6lo, 16);
}

static bool addr_wanted(const struct nsc_addr *a, const struct nsc_lab_addr *want, size_t n)
{
	struct nsc_prefix p;

	addr_of(a, &p);
	for (size_t i = 0; i < n; i++)
		if (same_addr(&p, &want[i].prefix))
			return true;
	return false;
}

/* The file's address W on ifname: missing, or there with another length. */
static void plan_addr(struct lab_job *job, struct lab_ns *ns, const char *ifname,
		      const struct lab_link *l, const struct nsc_lab_addr *w)
{
	char buf[LAB_ADDRSTR], have[8], want[8];
	const struct nsc_addr *found = NULL;
	struct lab_step *s;

	for (size_t j = 0; l && j < ns->n_addrs && !found; j++) {
		struct nsc_prefix p;

		addr_of(&ns->addrs[j], &p);
		if (ns->addrs[j].ifindex == l->l.ifindex && same_addr(&p, &w->prefix))
			found = &ns->addrs[j];
	}
	if (found && found->prefixlen == w->prefix.len)
		return;
	s = lab_step_new(job, found ? OP_ADDR_REPLACE : OP_ADDR_ADD, PH_ADDR, NSC_LAB_ADDRESS,
			 found ? NSC_LAB_DIFFERS : NSC_LAB_MISSING, ns, ifname, w->pos);
	if (!s)
		return;
	s->item.object = lab_job_dup(job, nsc_prefix_str(&w->prefix, found ? -1 : w->prefix.len,
							 buf, sizeof(buf)));
	s->ifname = s->item.dev;
	s->prefix = w->prefix;
	if (found) {
		snprintf(have, sizeof(have), "/%u", found->prefixlen);
		snprintf(want, sizeof(want), "/%d", w->prefix.len);
		lab_step_differs(job, s, "prefix length", have, want);
		s->old_len = found->prefixlen;
	}
}

/* The addresses of one interface (ifname in ns; l NULL when it is made now);
 * on a dynamic one, only the lab's own extras count. */
static void plan_if_addrs(struct lab_job *job, struct lab_ns *ns, const char *ifname,
			  struct lab_link *l, const struct nsc_lab_addr *want, size_t n,
			  bool dynamic)
{
	char buf[LAB_ADDRSTR];
	struct lab_step *s;

	for (size_t i = 0; i < n; i++)
		plan_addr(job, ns, ifname, l, &want[i]);
	for (size_t j = 0; l && j < ns->n_addrs; j++) {
		const struct nsc_addr *a = &ns->addrs[j];
		struct lab_rec *rec;
		struct nsc_prefix p;

		if (a->ifindex != l->l.ifindex || kernel_addr(l, a) || addr_wanted(a, want, n))
			continue;
		addr_of(a, &p);
		nsc_prefix_str(&p, p.len, buf, sizeof(buf));
		rec = lab_rec_find(&job->st, REC_ADDR, ns->name, ifname, buf, 0);
		if (dynamic && !rec)
			continue;
		s = plan_extra(job, OP_ADDR_DEL, NSC_LAB_ADDRESS, ns, ifname, rec,
			       lab_job_dup(job, buf));
		if (s)
			s->prefix = p;
	}
}

static void plan_end_addrs(struct lab_job *job, const struct nsc_lab_end *end)
{
	struct lab_ns *ns = lab_end_ns(job, end);
	struct lab_link *l;

	if (end->kind != NSC_LAB_END_NODE || (ns->state != NS_ABSENT && !lab_ns_usable(ns)))
		return;
	l = lab_ns_usable(ns) ? lab_ns_link(ns, end->ifname) : NULL;
	if (l && (l->doomed || !lab_link_ours(job, ns, l)))
		l = NULL;
	plan_if_addrs(job, ns, end->ifname, l, end->addrs, end->n_addrs, end->dynamic);
}

void lab_plan_addrs(struct lab_job *job)
{
	const struct nsc_lab *lab = job->lab;

	for (size_t i = 0; i < lab->n_nodes; i++) {
		struct lab_ns *ns = lab_node_ns(job, &lab->nodes[i]);

		if (ns->state != NS_ABSENT && !lab_ns_usable(ns))
			continue;
		/* lo is there as soon as the namespace is */
		plan_if_addrs(job, ns, "lo", lab_ns_usable(ns) ? lab_ns_link(ns, "lo") : NULL,
			      lab->nodes[i].loopback, lab->nodes[i].n_loopback, false);
	}
	for (size_t i = 0; i < lab->n_links; i++) {
		plan_end_addrs(job, &lab->links[i].a);
		plan_end_addrs(job, &lab->links[i].b);
	}
	/* a share's VXLAN ends (one host of several) */
	for (size_t i = 0; i < lab->n_vxlans; i++)
		plan_end_addrs(job, &lab->vxlans[i].end);
}

/* ---- routes ---- */

static uint32_t route_metric(const struct nsc_lab_route *rt)
{
	if (rt->has_metric)
		return rt->metric;
	return rt->to.family == AF_INET6 ? 1024 : 0;    /* the kernel's defaults */
}

static int ifindex_in(struct lab_ns *ns, const char *ifname)
{
	struct lab_link *l = lab_ns_link(ns, ifname);

	return l && !l->doomed ? l->l.ifindex : -1;
}

/* "via 192.0.2.1 dev eth0", "via 192.0.2.1", "dev eth0" */
static char *via_dev(struct lab_job *job, const struct nsc_prefix *gw, const char *dev)
{
	char a[LAB_ADDRSTR] = "";

	if (gw)
		nsc_prefix_str(gw, -1, a, sizeof(a));
	return lab_job_fmt(job, "%s%s%s%s", gw ? "via " : "", a,
			   dev ? (gw ? " dev " : "dev ") : "", dev ? dev : "");
}

/* A route seen, as via_dev() words it. */
static char *route_desc(struct lab_job *job, struct lab_ns *ns, const struct lab_route *r)
{
	struct lab_link *l = r->oif ? lab_ns_link_index(ns, r->oif) : NULL;

	if (r->nnh)
		return lab_job_dup(job, "multipath");
	return via_dev(job, r->gw.family ? &r->gw : NULL, l ? l->l.ifname : NULL);
}

/* "198.51.100.0/24", "default", "... metric 10" when not the kernel's default */
static char *route_obj(struct lab_job *job, const struct nsc_prefix *dst, uint32_t metric)
{
	char a[LAB_ADDRSTR];

	if (dst->len)
		nsc_prefix_str(dst, dst->len, a, sizeof(a));
	else
		snprintf(a, sizeof(a), "default%s", dst->family == AF_INET6 ? " (IPv6)" : "");
	if (metric == (dst->family == AF_INET6 ? 1024u : 0u))
		return lab_job_dup(job, a);
	return lab_job_fmt(job, "%s metric %u", a, metric);
}

/* Through a link the plan removes: the kernel takes the route with it. */
static bool route_doomed(struct lab_ns *ns, const struct lab_route *r)
{
	struct lab_link *l = r->oif ? lab_ns_link_index(ns, r->oif) : NULL;

	return l && l->doomed;
}

static bool route_wanted(const struct nsc_lab_node *node, const struct lab_route *r)
{
	for (size_t i = 0; i < node->n_routes; i++)
		if (same_prefix(&node->routes[i].to, &r->dst) &&
		    route_metric(&node->routes[i]) == r->metric)
			return true;
	return false;
}

/* The file's route RT: missing, or there going another way. */
static void plan_route(struct lab_job *job, struct lab_ns *ns, const struct nsc_lab_route *rt)
{
	const struct lab_route *found = NULL;
	uint32_t metric = route_metric(rt);
	struct lab_step *s;

	for (size_t j = 0; j < ns->n_routes && !found; j++)
		if (same_prefix(&ns->routes[j].dst, &rt->to) && ns->routes[j].metric == metric &&
		    !route_doomed(ns, &ns->routes[j]))
			found = &ns->routes[j];
	if (found && !found->nnh &&
	    (rt->has_via ? same_addr(&found->gw, &rt->via) : !found->gw.family) &&
	    (!rt->dev || found->oif == ifindex_in(ns, rt->dev)))
		return;
	s = lab_step_new(job, found ? OP_ROUTE_REPLACE : OP_ROUTE_ADD, PH_ROUTE, NSC_LAB_ROUTE,
			 found ? NSC_LAB_DIFFERS : NSC_LAB_MISSING, ns, NULL, rt->pos);
	if (!s)
		return;
	s->route = rt;
	s->item.object = route_obj(job, &rt->to, metric);
	if (found) {
		s->item.attr = lab_job_dup(job, "route");
		s->item.have = route_desc(job, ns, found);
	}
	s->item.want = via_dev(job, rt->has_via ? &rt->via : NULL, rt->dev);
}

/*
 * Made by hand or by a script (ip's boot, static, unspec): the lab's own
 * routes are boot too (change.c). The kernel's (kernel, redirect) are the
 * kernel's; every other protocol number is a routing protocol's (ra, dhcp,
 * zebra, bird, bgp, ospf...: >= RTPROT_STATIC "are not interpreted by
 * kernel", rtnetlink.h), which owns its routes and is never drift.
 */
static bool route_by_hand(const struct lab_route *r)
{
	return r->protocol == RTPROT_UNSPEC || r->protocol == RTPROT_BOOT ||
	       r->protocol == RTPROT_STATIC;
}

/* Through a dynamic end of NODE (that protocols write routes on). */
static bool route_on_dynamic(const struct nsc_lab *lab, const struct nsc_lab_node *node,
			     struct lab_ns *ns, const struct lab_route *r)
{
	struct lab_link *l = r->oif ? lab_ns_link_index(ns, r->oif) : NULL;

	for (size_t i = 0; l && i < 2 * lab->n_links + lab->n_vxlans; i++) {
		const struct nsc_lab_end *e = i < 2 * lab->n_links ?
			(i % 2 ? &lab->links[i / 2].b : &lab->links[i / 2].a) :
			&lab->vxlans[i - 2 * lab->n_links].end;

		if (e->dynamic && e->kind == NSC_LAB_END_NODE && e->node == node &&
		    !strcmp(e->ifname, l->l.ifname))
			return true;
	}
	return false;
}

/* A route the file does not have: the kernel's own (connected, link-local),
 * a routing protocol's and those that go with a link are none of ours; on a
 * dynamic end, only the lab's own count. */
static void extra_route(struct lab_job *job, const struct nsc_lab_node *node,
			struct lab_ns *ns, const struct lab_route *r)
{
	char key[LAB_ADDRSTR];
	struct lab_rec *rec;
	struct lab_step *s;

	if (!route_by_hand(r) || route_wanted(node, r) || route_doomed(ns, r))
		return;
	nsc_prefix_str(&r->dst, r->dst.len, key, sizeof(key));
	rec = lab_rec_find(&job->st, REC_ROUTE, ns->name, NULL, key, r->metric);
	if (!rec && route_on_dynamic(job->lab, node, ns, r))
		return;
	s = plan_extra(job, OP_ROUTE_DEL, NSC_LAB_ROUTE, ns, NULL, rec,
		       route_obj(job, &r->dst, r->metric));
	if (!s)
		return;
	s->item.want = route_desc(job, ns, r);
	s->old_route = *r;
}

/* ---- neighbours ---- */

/* The file's neighbour NB: missing, or there with another lladdr. */
static void plan_neigh(struct lab_job *job, struct lab_ns *ns, const struct nsc_lab_neigh *nb)
{
	char a[LAB_ADDRSTR], have[LAB_MACSTR], want[LAB_MACSTR];
	int ifindex = ifindex_in(ns, nb->dev);
	const struct lab_neigh *found = NULL;
	struct lab_step *s;

	for (size_t j = 0; ifindex > 0 && j < ns->n_neighs && !found; j++)
		if (ns->neighs[j].ifindex == ifindex && same_addr(&ns->neighs[j].dst, &nb->address))
			found = &ns->neighs[j];
	if (found && (found->state & NUD_PERMANENT) && found->has_lladdr &&
	    !memcmp(found->lladdr, nb->lladdr, 6))
		return;
	s = lab_step_new(job, OP_NEIGH_SET, PH_NEIGH, NSC_LAB_NEIGHBOUR,
			 found ? NSC_LAB_DIFFERS : NSC_LAB_MISSING, ns, nb->dev, nb->pos);
	if (!s)
		return;
	s->neigh = nb;
	s->ifname = nb->dev;
	s->item.object = lab_job_dup(job, nsc_prefix_str(&nb->address, -1, a, sizeof(a)));
	if (found)
		lab_step_differs(job, s, "lladdr", found->has_lladdr ?
				 lab_mac_str(found->lladdr, have) : "none",
				 lab_mac_str(nb->lladdr, want));
	else
		s->item.want = lab_job_dup(job, lab_mac_str(nb->lladdr, want));
}

static bool neigh_wanted(const struct nsc_lab_node *node, const struct lab_link *l,
			 const struct lab_neigh *n)
{
	for (size_t i = 0; i < node->n_neighs; i++)
		if (!strcmp(node->neighs[i].dev, l->l.ifname) &&
		    same_addr(&node->neighs[i].address, &n->dst))
			return true;
	return false;
}

/* A permanent neighbour the file does not have. */
static void extra_neigh(struct lab_job *job, const struct nsc_lab_node *node,
			struct lab_ns *ns, const struct lab_neigh *n)
{
	struct lab_link *l = lab_ns_link_index(ns, n->ifindex);
	char a[LAB_ADDRSTR];
	struct lab_rec *rec;
	struct lab_step *s;

	if (!(n->state & NUD_PERMANENT) || !l || l->doomed || neigh_wanted(node, l, n))
		return;
	nsc_prefix_str(&n->dst, -1, a, sizeof(a));
	rec = lab_rec_find(&job->st, REC_NEIGH, ns->name, l->l.ifname, a, 0);
	s = plan_extra(job, OP_NEIGH_DEL, NSC_LAB_NEIGHBOUR, ns, l->l.ifname, rec,
		       lab_job_dup(job, a));
	if (s)
		s->old_neigh = *n;
}

/* ---- a node's ---- */

void lab_plan_node_ip(struct lab_job *job, const struct nsc_lab_node *node)
{
	struct lab_ns *ns = lab_node_ns(job, node);

	for (size_t i = 0; i < node->n_routes; i++)
		plan_route(job, ns, &node->routes[i]);
	for (size_t j = 0; j < ns->n_routes; j++)
		extra_route(job, node, ns, &ns->routes[j]);
	for (size_t i = 0; i < node->n_neighs; i++)
		plan_neigh(job, ns, &node->neighs[i]);
	for (size_t j = 0; j < ns->n_neighs; j++)
		extra_neigh(job, node, ns, &ns->neighs[j]);
}
