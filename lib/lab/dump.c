// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What is inside a lab's namespace, read over the namespace's socket with
 * one request per kind: its links (with the ifalias that carries the lab's
 * marker; a few by name are cheaper than a dump of all), addresses, routes
 * of the main table and permanent neighbours. Kept in its lab_ns for the
 * plan to look up.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/neighbour.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>

#include <netnsctl/neigh.h>
#include <netnsctl/route.h>

#include "base/util.h"
#include "lab/observe.h"
#include "rtnl/tc.h"

/*
 * Room for NEED items in *arrayp: the first allocation holds just that
 * (one, mostly), then NSC_GROW doubles. A lab's namespace mostly holds a link or two, an address
 * or two, a route, and a lab_link is nearly 1 KiB: NSC_GROW's first eight
 * made 8 KiB a leaf, most of `lab apply`'s peak memory at 1000 leaves.
 */
static int grow_small(void *arrayp, size_t *cap, size_t need, size_t size)
{
	void *v;

	if (need <= *cap)
		return 0;
	if (*cap == 0 && need <= 2) {
		if (!(v = malloc(need * size)))
			return -ENOMEM;
		memcpy(arrayp, &v, sizeof(v));
		*cap = need;
		return 0;
	}
	return nsc_grow(arrayp, cap, need, size);
}
#define GROW_SMALL(v, cap, need) grow_small(&(v), &(cap), (need), sizeof(*(v)))

/* A callback out of memory: the dump fails with ENOMEM. */
static int cb_nomem(void)
{
	errno = ENOMEM;
	return MNL_CB_ERROR;
}

/* ---- looking up what was seen ---- */

void lab_ns_clear(struct lab_ns *ns)
{
	for (size_t i = 0; i < ns->n_links; i++)
		free(ns->links[i].alias);
	free(ns->links);
	free(ns->addrs);
	free(ns->routes);
	free(ns->neighs);
	free(ns->qdiscs);
	ns->qdiscs = NULL;
	ns->n_qdiscs = ns->cap_qdiscs = 0;
	ns->links = NULL;
	ns->addrs = NULL;
	ns->routes = NULL;
	ns->neighs = NULL;
	ns->n_links = ns->n_addrs = ns->n_routes = ns->n_neighs = 0;
	ns->cap_links = ns->cap_addrs = ns->cap_routes = ns->cap_neighs = 0;
}

struct lab_link *lab_ns_link(struct lab_ns *ns, const char *ifname)
{
	for (size_t i = 0; i < ns->n_links; i++)
		if (!strcmp(ns->links[i].l.ifname, ifname))
			return &ns->links[i];
	return NULL;
}

struct lab_link *lab_ns_link_index(struct lab_ns *ns, int ifindex)
{
	for (size_t i = 0; i < ns->n_links; i++)
		if (ns->links[i].l.ifindex == ifindex)
			return &ns->links[i];
	return NULL;
}

/* ---- links, with the marker ---- */

struct link_fetch {
	struct lab_ns *ns;
	struct lab_link *last;
};

int lab_link_mark(struct lab_link *l, const char *marker)
{
	char *a = strdup(marker);

	if (!a)
		return -ENOMEM;
	free(l->alias);
	l->alias = a;
	return 0;
}

/* Keep a link's data (and its alias: owned); one known by index (or name)
 * is replaced. */
static struct lab_link *keep_link(struct lab_ns *ns, const struct lab_link *l)
{
	struct lab_link *old = lab_ns_link_index(ns, l->l.ifindex);

	if (!old)
		old = lab_ns_link(ns, l->l.ifname);
	if (!old) {
		if (GROW_SMALL(ns->links, ns->cap_links, ns->n_links + 1) < 0)
			return NULL;
		old = &ns->links[ns->n_links++];
	} else {
		free(old->alias);
	}
	*old = *l;
	return old;
}

_Static_assert(sizeof(((struct nsc_link *)0)->ifname) == sizeof(((struct lab_link_seen *)0)->ifname) &&
	       sizeof(((struct nsc_link *)0)->kind) == sizeof(((struct lab_link_seen *)0)->kind),
	       "names copied whole");

/* The part of a parsed link the plan looks at. */
static void seen_of(struct lab_link_seen *v, const struct nsc_link *k)
{
	v->ifindex = k->ifindex;
	memcpy(v->ifname, k->ifname, sizeof(v->ifname));
	v->flags = k->flags;
	v->has_mtu = k->has_mtu;
	v->mtu = k->mtu;
	v->has_link = k->has_link;
	v->link = k->link;
	v->link_netnsid = k->link_netnsid;
	v->master = k->master;
	v->addr_len = (uint8_t)(k->addr_len < 255 ? k->addr_len : 255);
	memcpy(v->addr, k->addr, sizeof(v->addr));
	memcpy(v->kind, k->kind, sizeof(v->kind));
}

static int link_cb(const struct nlmsghdr *nlh, void *data)
{
	struct link_fetch *f = data;
	const struct nlattr *attr;
	struct lab_link l = { 0 };
	struct nsc_link k;

	if (nlh->nlmsg_type != RTM_NEWLINK)
		return MNL_CB_OK;
	if (nsc_link_parse(nlh, &k) < 0)
		return MNL_CB_OK;
	seen_of(&l.l, &k);
	mnl_attr_for_each(attr, nlh, sizeof(struct ifinfomsg)) {
		if (mnl_attr_get_type(attr) == IFLA_IFALIAS &&
		    mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) == 0) {
			free(l.alias);
			if (!(l.alias = strdup(mnl_attr_get_str(attr))))
				return cb_nomem();
		}
	}
	f->last = keep_link(f->ns, &l);
	if (!f->last) {
		free(l.alias);
		return cb_nomem();
	}
	return MNL_CB_OK;
}

/* One link (ifname) or all (NULL) of ns over s, kept in ns->links. */
static int links_fetch(struct nsc_sock *s, struct lab_ns *ns, const char *ifname,
		       struct lab_link **out, struct nsc_error *e)
{
	struct link_fetch f = { .ns = ns };
	struct nsc_req r;
	int ret;

	nsc_req_init(&r, RTM_GETLINK, ifname ? 0 : NLM_F_DUMP, AF_UNSPEC,
		     sizeof(struct ifinfomsg));
	if (ifname)
		mnl_attr_put_strz(r.nlh, IFLA_IFNAME, ifname);
	mnl_attr_put_u32(r.nlh, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
	ret = ifname ? nsc_req_get(s, &r, link_cb, &f, e) : nsc_req_talk(s, &r, link_cb, &f, e);
	if (ret < 0)
		return ret;
	if (out) {
		*out = f.last;
		if (!f.last)
			return nsc_err(e, ENODEV, "device \"%s\" in netns \"%s\"", ifname, ns->name);
	}
	return 0;
}

int lab_ns_learn_link(struct nsc_ctx *ctx, struct lab_ns *ns, const char *ifname,
		      struct lab_link **out, struct nsc_error *e)
{
	struct nsc_sock *s;
	int ret;

	if ((ret = nsc_sock_get(ctx, ns->name, &s, e)) < 0)
		return ret;
	return links_fetch(s, ns, ifname, out, e);
}

/* The links ns->want asks for: all, or those of ns->names that exist. */
static int links_dump(struct nsc_sock *s, struct lab_ns *ns, struct nsc_error *e)
{
	int ret;

	if (ns->want & OBS_ALL_LINKS) {
		if ((ret = links_fetch(s, ns, NULL, NULL, e)) < 0)
			return nsc_err_prefix(e, "netns \"%s\": dump links", ns->name);
		return 0;
	}
	for (size_t i = 0; i < ns->n_names; i++) {
		ret = links_fetch(s, ns, ns->names[i], NULL, e);
		if (ret == -ENODEV) {
			nsc_error_clear(e);
			continue;
		}
		if (ret < 0)
			return nsc_err_prefix(e, "netns \"%s\": link \"%s\"", ns->name, ns->names[i]);
	}
	return 0;
}

/* ---- addresses, routes, neighbours ---- */

static int addr_cb(const struct nlmsghdr *nlh, void *data)
{
	struct lab_ns *ns = data;
	struct nsc_addr a;

	if (nlh->nlmsg_type != RTM_NEWADDR || nsc_addr_parse(nlh, &a) < 0)
		return MNL_CB_OK;
	if (GROW_SMALL(ns->addrs, ns->cap_addrs, ns->n_addrs + 1) < 0)
		return cb_nomem();
	ns->addrs[ns->n_addrs++] = a;
	return MNL_CB_OK;
}

static int route_cb(const struct nlmsghdr *nlh, void *data)
{
	struct lab_ns *ns = data;
	struct nsc_route r;

	if (nlh->nlmsg_type != RTM_NEWROUTE || nsc_route_parse(nlh, &r) < 0)
		return MNL_CB_OK;
	/* the lab's routes are unicast, in main; IPv6's unreachable default is the kernel's */
	if (r.type != RTN_UNICAST || r.table != RT_TABLE_MAIN || (r.flags & RTM_F_CLONED))
		return MNL_CB_OK;
	if (GROW_SMALL(ns->routes, ns->cap_routes, ns->n_routes + 1) < 0)
		return cb_nomem();
	ns->routes[ns->n_routes++] = (struct lab_route){
		.family = r.family, .dst = r.dst, .gw = r.gateway, .oif = r.oif,
		.metric = r.has_metric ? r.metric : 0, .protocol = r.protocol,
		.type = r.type, .nnh = r.nnh,
	};
	return MNL_CB_OK;
}

/* The permanent entries: the only ones a lab makes. */
static int neigh_cb(const struct nlmsghdr *nlh, void *data)
{
	struct lab_ns *ns = data;
	struct lab_neigh *v;
	struct nsc_neigh n;

	if (nlh->nlmsg_type != RTM_NEWNEIGH || nsc_neigh_parse(nlh, &n) < 0 ||
	    !(n.state & NUD_PERMANENT) || (n.flags & NTF_PROXY) ||
	    (n.family != AF_INET && n.family != AF_INET6) || !n.dst.family)
		return MNL_CB_OK;
	if (GROW_SMALL(ns->neighs, ns->cap_neighs, ns->n_neighs + 1) < 0)
		return cb_nomem();
	v = &ns->neighs[ns->n_neighs++];
	*v = (struct lab_neigh){
		.family = n.family, .ifindex = n.ifindex, .state = n.state, .dst = n.dst,
		.has_lladdr = n.lladdr_len == 6,
	};
	if (v->has_lladdr)
		memcpy(v->lladdr, n.lladdr, 6);
	return MNL_CB_OK;
}

/* Root qdiscs with a handle: set by someone (the kernel's defaults have none). */
static int qdisc_cb(const struct nlmsghdr *nlh, void *data)
{
	struct lab_ns *ns = data;
	struct nsc_qdisc q;

	if (nsc_tc_parse(nlh, &q) < 0 || q.parent != TC_H_ROOT || !q.handle)
		return MNL_CB_OK;
	if (GROW_SMALL(ns->qdiscs, ns->cap_qdiscs, ns->n_qdiscs + 1) < 0)
		return cb_nomem();
	ns->qdiscs[ns->n_qdiscs++] = q;
	return MNL_CB_OK;
}

/* Routes of the main table: of one family when the node's routes are all
 * of it (what: OBS_ROUTES4 or OBS_ROUTES6 alone), half the work. */
static int routes_dump(struct nsc_sock *s, struct lab_ns *ns, unsigned what,
		       struct nsc_error *e)
{
	unsigned fam = what & (OBS_ROUTES4 | OBS_ROUTES6);
	int ret = 0;

	if (fam != OBS_ROUTES6)
		ret = nsc_dump(s, RTM_GETROUTE, AF_INET, sizeof(struct rtmsg), route_cb, ns, e);
	if (ret == 0 && fam != OBS_ROUTES4)
		ret = nsc_dump(s, RTM_GETROUTE, AF_INET6, sizeof(struct rtmsg), route_cb, ns, e);
	return ret;
}

int lab_ns_dump(struct nsc_sock *s, struct lab_ns *ns, struct nsc_error *e)
{
	int ret;

	lab_ns_clear(ns);
	if ((ret = links_dump(s, ns, e)) < 0)
		return ret;
	if ((ns->want & OBS_ADDRS) &&
	    nsc_dump(s, RTM_GETADDR, (uint8_t)ns->addr_family, sizeof(struct ifaddrmsg),
		     addr_cb, ns, e) < 0)
		return nsc_err_prefix(e, "netns \"%s\": dump addresses", ns->name);
	ns->observed |= ns->want & (OBS_LINKS | OBS_ALL_LINKS | OBS_ADDRS);
	if ((ns->want & OBS_ROUTES) && routes_dump(s, ns, ns->want, e) < 0)
		return nsc_err_prefix(e, "netns \"%s\": dump routes", ns->name);
	if ((ns->want & OBS_NEIGHS) &&
	    nsc_dump(s, RTM_GETNEIGH, AF_UNSPEC, sizeof(struct ndmsg), neigh_cb, ns, e) < 0)
		return nsc_err_prefix(e, "netns \"%s\": dump neighbours", ns->name);
	if ((ns->want & OBS_QDISCS) &&
	    nsc_dump(s, RTM_GETQDISC, AF_UNSPEC, sizeof(struct tcmsg), qdisc_cb, ns, e) < 0)
		return nsc_err_prefix(e, "netns \"%s\": dump qdiscs", ns->name);
	ns->observed |= ns->want & (OBS_ROUTES | OBS_NEIGHS | OBS_QDISCS);
	return 0;
}
