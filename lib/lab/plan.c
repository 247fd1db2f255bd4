// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The plan: the lab file against the system (as lab_scan.c saw it, with one
 * dump per kind per namespace) and the lab's records. Each difference is a
 * step; a step apply can act on carries what it needs and the netnsctl
 * batch lines that would do the same. diff lists the steps, apply --dry-run
 * prints their lines, apply carries them out in phase order.
 *
 * Ownership decides what may be touched: a namespace is the lab's when it
 * is recorded with the same inode and cookie, a link when it is recorded
 * with the same ifindex and carries the marker. Anything else with a name
 * the file wants blocks the apply before anything changes.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/if.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>

#include "lab/engine.h"

/* ---- small helpers ---- */

uint64_t lab_exec_hash(const struct nsc_lab_node *node)
{
	uint64_t h = LAB_HASH_INIT;

	if (!node->n_exec)
		return 0;
	for (size_t i = 0; i < node->n_exec; i++)
		h = lab_hash(node->exec[i].cmd, strlen(node->exec[i].cmd) + 1, h);
	return h ? h : 1;
}

bool lab_sysctl_late(const char *name)
{
	static const char *const pre[] = {
		"net.ipv4.conf.", "net.ipv6.conf.", "net.ipv4.neigh.", "net.ipv6.neigh.",
	};

	for (size_t i = 0; i < sizeof(pre) / sizeof(pre[0]); i++) {
		size_t len = strlen(pre[i]), n;

		if (strncmp(name, pre[i], len))
			continue;
		n = strcspn(name + len, ".");
		return !(n == 3 && !strncmp(name + len, "all", 3)) &&
		       !(n == 7 && !strncmp(name + len, "default", 7));
	}
	return false;
}

struct lab_ns *lab_run_ns(struct lab_run *run, const char *name)
{
	for (size_t i = 0; i < run->n_ns; i++)
		if (!strcmp(run->ns[i].name, name))
			return &run->ns[i];
	return NULL;
}

struct lab_ns *lab_end_ns(struct lab_run *run, const struct nsc_lab_end *end)
{
	if (end->kind == NSC_LAB_END_NODE)
		return &run->ns[end->node - run->lab->nodes];
	return &run->ns[run->lab->n_nodes];     /* the switch */
}

struct lab_ns *lab_node_ns(struct lab_run *run, const struct nsc_lab_node *node)
{
	return &run->ns[node - run->lab->nodes];
}

bool lab_ns_usable(const struct lab_ns *ns)
{
	return ns->state == NS_PRESENT && ns->ours && !ns->doomed;
}

/* Made by the lab: recorded with this ifindex, and marked. */
bool lab_link_ours(struct lab_run *run, const struct lab_ns *ns, const struct lab_link *l)
{
	struct lab_rec *r = lab_rec_find(&run->st, REC_LINK, ns->name, l->l.ifname, NULL, 0);

	return r && r->id[0] == (uint64_t)l->l.ifindex && !strcmp(l->alias, run->marker);
}

/* Devices every namespace gets from the kernel (fallback tunnels, when
 * their modules are loaded) and that a lab never makes. */
static bool kernel_link(const struct lab_link *l)
{
	static const char *const names[] = {
		"lo", "tunl0", "gre0", "gretap0", "erspan0", "ip_vti0", "ip6_vti0", "sit0",
		"ip6tnl0", "ip6gre0",
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(l->l.ifname, names[i]))
			return true;
	return false;
}

static char *xfmt(struct lab_run *run, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static char *xfmt(struct lab_run *run, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0) {
		s = NULL;
		run->nomem = true;
	}
	va_end(ap);
	return s;
}

static char *xdup(struct lab_run *run, const char *s)
{
	char *d;

	if (!s)
		return NULL;
	d = strdup(s);
	if (!d)
		run->nomem = true;
	return d;
}

static struct lab_step *step_new(struct lab_run *run, enum lab_op op, enum lab_phase phase,
				 enum nsc_lab_kind kind, enum nsc_lab_change change,
				 struct lab_ns *ns, const char *dev, struct nsc_lab_pos pos)
{
	struct lab_step *s;

	if (run->n_steps == run->cap_steps) {
		size_t cap = run->cap_steps ? run->cap_steps * 2 : 64;
		struct lab_step *v = realloc(run->steps, cap * sizeof(*v));

		if (!v) {
			run->nomem = true;
			return NULL;
		}
		run->steps = v;
		run->cap_steps = cap;
	}
	s = &run->steps[run->n_steps];
	memset(s, 0, sizeof(*s));
	s->op = op;
	s->phase = phase;
	s->seq = run->n_steps++;
	s->ns = ns;
	s->rec = -1;
	s->item.kind = kind;
	s->item.change = change;
	s->item.netns = xdup(run, ns->name);
	s->item.dev = xdup(run, dev);
	s->item.pos = pos;
	s->item.action = op != OP_NONE;
	return s;
}

static void set_diff(struct lab_run *run, struct lab_step *s, const char *attr,
		     const char *have, const char *want)
{
	s->item.attr = xdup(run, attr);
	s->item.have = xdup(run, have);
	s->item.want = xdup(run, want);
}

static const char *mac_str(const uint8_t *m, char buf[18])
{
	snprintf(buf, 18, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
	return buf;
}

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

/* ---- namespaces ---- */

static void plan_namespaces(struct lab_run *run)
{
	const struct nsc_lab *lab = run->lab;

	for (size_t i = 0; i < run->n_ns; i++) {
		struct lab_ns *ns = &run->ns[i];
		struct nsc_lab_pos pos = ns->node ? ns->node->pos : lab->pos;
		struct lab_rec *rec = lab_rec_find(&run->st, REC_NS, ns->name, NULL, NULL, 0);
		struct lab_step *s;

		if (!ns->wanted) {
			/* recorded, gone from the file */
			if (!lab_ns_usable(ns))
				continue;
			s = step_new(run, run->opts.prune ? OP_NS_DEL : OP_NONE, PH_DEL_NS,
				     NSC_LAB_NETNS, NSC_LAB_EXTRA, ns, NULL, (struct nsc_lab_pos){ 0, 0 });
			if (!s)
				return;
			s->item.have = xdup(run, "recorded");
			s->rec = rec ? rec - run->st.v : -1;
			if (run->opts.prune)
				ns->doomed = true;
			continue;
		}
		if (ns->state == NS_ABSENT) {
			if (!step_new(run, OP_NS_ADD, PH_NS, NSC_LAB_NETNS, NSC_LAB_MISSING, ns, NULL, pos))
				return;
			continue;
		}
		if (ns->ours)
			continue;
		s = step_new(run, OP_NONE, PH_NS, NSC_LAB_NETNS, NSC_LAB_FOREIGN, ns, NULL, pos);
		if (!s)
			return;
		s->blocking = true;
		s->item.have = xdup(run, ns->state == NS_STALE ?
				    "a stale name (no namespace is mounted on it)" :
				    rec && run->st.stale ? "recorded in an earlier boot (see lab gc)" :
				    rec ? "replaced since the lab made it" :
				    "not made by the lab");
	}
}

/* ---- bridges and links ---- */

static void plan_bridges(struct lab_run *run)
{
	const struct nsc_lab *lab = run->lab;
	struct lab_ns *sw;

	if (!lab->n_bridges)
		return;
	sw = &run->ns[lab->n_nodes];
	if (sw->state != NS_ABSENT && !lab_ns_usable(sw))
		return;
	for (size_t i = 0; i < lab->n_bridges; i++) {
		const struct nsc_lab_bridge *b = &lab->bridges[i];
		struct lab_link *l = lab_ns_link(sw, b->name);
		struct lab_step *s;
		char have[16], want[16];

		if (!l) {
			s = step_new(run, OP_BRIDGE_ADD, PH_BRIDGE, NSC_LAB_BRIDGE, NSC_LAB_MISSING,
				     sw, b->name, b->pos);
			if (s)
				s->bridge = b;
			continue;
		}
		l->wanted = true;
		if (!lab_link_ours(run, sw, l) || strcmp(l->l.kind, "bridge")) {
			s = step_new(run, OP_NONE, PH_BRIDGE, NSC_LAB_BRIDGE, NSC_LAB_FOREIGN, sw,
				     b->name, b->pos);
			if (!s)
				return;
			s->blocking = true;
			s->item.have = strcmp(l->l.kind, "bridge") ?
				xfmt(run, "a %s, not a bridge", l->l.kind[0] ? l->l.kind : "device") :
				xdup(run, "not made by the lab");
			continue;
		}
		if (b->mtu && l->l.has_mtu && l->l.mtu != b->mtu) {
			s = step_new(run, OP_LINK_SET, PH_LINK_SET, NSC_LAB_BRIDGE, NSC_LAB_DIFFERS,
				     sw, b->name, b->pos);
			if (!s)
				return;
			snprintf(have, sizeof(have), "%u", l->l.mtu);
			snprintf(want, sizeof(want), "%u", b->mtu);
			set_diff(run, s, "mtu", have, want);
			s->ifname = b->name;
			s->ifindex = l->l.ifindex;
			s->set.mtu = b->mtu;
		}
		if (!(l->l.flags & IFF_UP)) {
			s = step_new(run, OP_LINK_SET, PH_LINK_SET, NSC_LAB_BRIDGE, NSC_LAB_DIFFERS,
				     sw, b->name, b->pos);
			if (!s)
				return;
			set_diff(run, s, "state", "down", "up");
			s->ifname = b->name;
			s->ifindex = l->l.ifindex;
			s->set.up = true;
		}
	}
}

/* "demo.r2 eth1", or "demo._switch lan-1" */
static char *end_desc(struct lab_run *run, const struct nsc_lab_end *end)
{
	return xfmt(run, "%s %s", lab_end_ns(run, end)->name, end->ifname);
}

/*
 * Are A (in na) and B (in nb) the two ends of one veth? Each names the
 * other's ifindex, in the namespace where it should be. (ifindexes are per
 * namespace: one side alone proves nothing.)
 */
static bool paired(const struct lab_ns *na, const struct lab_link *a,
		   const struct lab_ns *nb, const struct lab_link *b)
{
	bool here = na == nb;

	return a->l.has_link && b->l.has_link && a->l.link == b->l.ifindex &&
	       b->l.link == a->l.ifindex && (a->l.link_netnsid < 0) == here &&
	       (b->l.link_netnsid < 0) == here && !strcmp(a->l.kind, "veth") &&
	       !strcmp(b->l.kind, "veth");
}

/* The one veth end among the lab's namespaces paired with L (NULL: none,
 * or more than one could be). */
static struct lab_link *peer_of(struct lab_run *run, const struct lab_ns *ns,
				const struct lab_link *l, struct lab_ns **pns)
{
	struct lab_link *found = NULL;

	if (!l->l.has_link || l->l.link <= 0)
		return NULL;
	for (size_t i = 0; i < run->n_ns; i++) {
		struct lab_ns *o = &run->ns[i];
		struct lab_link *p;

		if (!lab_ns_usable(o) || !(o->observed & OBS_LINKS))
			continue;
		p = lab_ns_link_index(o, l->l.link);
		if (!p || !paired(ns, l, o, p))
			continue;
		if (found)
			return NULL;
		found = p;
		*pns = o;
	}
	return found;
}

/*
 * Remove a link of the lab's (act), or say it is there. A veth takes its
 * peer with it: both count as gone for the rest of the plan.
 */
static void plan_link_del(struct lab_run *run, struct lab_ns *ns, struct lab_link *l,
			  enum nsc_lab_change change, const char *attr, char *have,
			  char *want, struct nsc_lab_pos pos, bool act)
{
	struct lab_rec *rec = lab_rec_find(&run->st, REC_LINK, ns->name, l->l.ifname, NULL, 0);
	struct lab_step *s;
	struct lab_ns *pns;
	struct lab_link *p;

	s = step_new(run, act ? OP_LINK_DEL : OP_NONE, PH_DEL_LINK,
		     strcmp(l->l.kind, "bridge") ? NSC_LAB_LINK : NSC_LAB_BRIDGE, change, ns,
		     l->l.ifname, pos);
	if (!s) {
		free(have);
		free(want);
		return;
	}
	s->item.attr = xdup(run, attr);
	s->item.have = have;
	s->item.want = want;
	if (change == NSC_LAB_EXTRA && l->l.kind[0] && strcmp(l->l.kind, "bridge"))
		s->item.object = xdup(run, l->l.kind);
	s->ifname = s->item.dev;
	s->ifindex = l->l.ifindex;
	if ((p = peer_of(run, ns, l, &pns))) {
		s->peer_ns = pns;
		memcpy(s->peer_if, p->l.ifname, sizeof(s->peer_if));
	}
	s->rec = rec ? rec - run->st.v : -1;
	if (!act)
		return;
	l->doomed = true;
	if (p)
		p->doomed = true;
}

static void plan_end_attrs(struct lab_run *run, const struct nsc_lab_link *k,
			   const struct nsc_lab_end *end, struct lab_ns *ns, struct lab_link *l)
{
	char have[32], want[32];
	struct lab_step *s;

	if (k->mtu && l->l.has_mtu && l->l.mtu != k->mtu) {
		s = step_new(run, OP_LINK_SET, PH_LINK_SET, NSC_LAB_LINK, NSC_LAB_DIFFERS, ns,
			     end->ifname, k->pos);
		if (!s)
			return;
		snprintf(have, sizeof(have), "%u", l->l.mtu);
		snprintf(want, sizeof(want), "%u", k->mtu);
		set_diff(run, s, "mtu", have, want);
		s->ifname = end->ifname;
		s->ifindex = l->l.ifindex;
		s->set.mtu = k->mtu;
	}
	if (end->has_mac && (l->l.addr_len != 6 || memcmp(l->l.addr, end->mac, 6))) {
		s = step_new(run, OP_LINK_SET, PH_LINK_SET, NSC_LAB_LINK, NSC_LAB_DIFFERS, ns,
			     end->ifname, end->pos);
		if (!s)
			return;
		set_diff(run, s, "mac", l->l.addr_len == 6 ? mac_str(l->l.addr, have) : "none",
			 mac_str(end->mac, want));
		s->ifname = end->ifname;
		s->ifindex = l->l.ifindex;
		memcpy(s->mac, end->mac, 6);
		s->set_mac = true;
	}
	if (end->kind == NSC_LAB_END_BRIDGE) {
		struct lab_link *br = lab_ns_link(ns, end->bridge->name);

		if (!br || l->l.master != br->l.ifindex) {
			struct lab_link *m = lab_ns_link_index(ns, l->l.master);

			s = step_new(run, OP_LINK_SET, PH_LINK_SET, NSC_LAB_LINK, NSC_LAB_DIFFERS,
				     ns, end->ifname, end->ref_pos);
			if (!s)
				return;
			set_diff(run, s, "master", l->l.master ? (m ? m->l.ifname : "?") : "none",
				 end->bridge->name);
			s->ifname = end->ifname;
			s->ifindex = l->l.ifindex;
			s->master = end->bridge->name;
		}
	}
	if (!(l->l.flags & IFF_UP)) {
		s = step_new(run, OP_LINK_SET, PH_LINK_SET, NSC_LAB_LINK, NSC_LAB_DIFFERS, ns,
			     end->ifname, end->pos);
		if (!s)
			return;
		set_diff(run, s, "state", "down", "up");
		s->ifname = end->ifname;
		s->ifindex = l->l.ifindex;
		s->set.up = true;
	}
}

static void plan_links(struct lab_run *run)
{
	const struct nsc_lab *lab = run->lab;

	for (size_t i = 0; i < lab->n_links; i++) {
		const struct nsc_lab_link *k = &lab->links[i];
		const struct nsc_lab_end *ends[2] = { &k->a, &k->b };
		struct lab_ns *nss[2] = { lab_end_ns(run, &k->a), lab_end_ns(run, &k->b) };
		struct lab_link *ls[2] = { NULL, NULL };
		bool blocked = false;
		struct lab_step *s;

		for (int j = 0; j < 2; j++) {
			if (nss[j]->state != NS_ABSENT && !lab_ns_usable(nss[j]))
				blocked = true;         /* said already */
			else if (lab_ns_usable(nss[j]))
				ls[j] = lab_ns_link(nss[j], ends[j]->ifname);
			if (ls[j])
				ls[j]->wanted = true;
		}
		if (blocked)
			continue;
		/* the ends that are there must be the lab's */
		for (int j = 0; j < 2; j++) {
			if (!ls[j] || (lab_link_ours(run, nss[j], ls[j]) &&
				       !strcmp(ls[j]->l.kind, "veth")))
				continue;
			s = step_new(run, OP_NONE, PH_LINK, NSC_LAB_LINK, NSC_LAB_FOREIGN, nss[j],
				     ends[j]->ifname, ends[j]->pos);
			if (!s)
				return;
			s->blocking = true;
			s->item.have = !lab_link_ours(run, nss[j], ls[j]) ?
				xdup(run, "not made by the lab") :
				xfmt(run, "a %s, not a veth", ls[j]->l.kind[0] ? ls[j]->l.kind : "device");
			blocked = true;
		}
		if (blocked)
			continue;
		/* both there: each other's peers? */
		if (ls[0] && ls[1] && !ls[0]->doomed && !ls[1]->doomed) {
			if (paired(nss[0], ls[0], nss[1], ls[1])) {
				for (int j = 0; j < 2; j++)
					plan_end_attrs(run, k, ends[j], nss[j], ls[j]);
				continue;
			}
		}
		/*
		 * An end of the lab's paired with something else (the file
		 * changed, or its peer's namespace went): the file still has
		 * that interface, so it is made again, in its pair.
		 */
		for (int j = 0; j < 2; j++) {
			struct lab_ns *pns = NULL;
			struct lab_link *p;

			if (!ls[j] || ls[j]->doomed)
				continue;
			p = peer_of(run, nss[j], ls[j], &pns);
			plan_link_del(run, nss[j], ls[j], NSC_LAB_DIFFERS, "peer",
				      p ? xfmt(run, "%s %s", pns->name, p->l.ifname) :
					  xdup(run, "gone"),
				      end_desc(run, ends[1 - j]), ends[j]->pos, true);
		}
		s = step_new(run, OP_VETH_ADD, PH_LINK, NSC_LAB_LINK, NSC_LAB_MISSING, nss[0],
			     k->a.ifname, k->pos);
		if (!s)
			return;
		s->item.object = xfmt(run, "veth to %s %s", nss[1]->name, k->b.ifname);
		s->link = k;
		s->peer_ns = nss[1];
	}
}

/* Links in the lab's namespaces that the file does not have. */
static void plan_extra_links(struct lab_run *run)
{
	for (size_t i = 0; i < run->n_ns; i++) {
		struct lab_ns *ns = &run->ns[i];

		if (!ns->wanted || !lab_ns_usable(ns))
			continue;
		for (size_t j = 0; j < ns->n_links; j++) {
			struct lab_link *l = &ns->links[j];
			bool ours;

			if (l->wanted || l->doomed || kernel_link(l))
				continue;
			ours = lab_link_ours(run, ns, l);
			if (ours) {
				plan_link_del(run, ns, l, NSC_LAB_EXTRA, NULL, xdup(run, "recorded"),
					      NULL, (struct nsc_lab_pos){ 0, 0 }, run->opts.prune);
			} else {
				struct lab_step *s = step_new(run, OP_NONE, PH_DEL_LINK,
							      strcmp(l->l.kind, "bridge") ?
							      NSC_LAB_LINK : NSC_LAB_BRIDGE,
							      NSC_LAB_EXTRA, ns, l->l.ifname,
							      (struct nsc_lab_pos){ 0, 0 });

				if (!s)
					return;
				if (l->l.kind[0] && strcmp(l->l.kind, "bridge"))
					s->item.object = xdup(run, l->l.kind);
			}
		}
	}
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

/* The addresses of one interface (ifname in ns; l NULL when it is made now). */
static void plan_addrs(struct lab_run *run, struct lab_ns *ns, const char *ifname,
		       struct lab_link *l, const struct nsc_lab_addr *want, size_t n)
{
	char buf[LAB_ADDRSTR], have[8], wantl[8];
	struct lab_step *s;

	for (size_t i = 0; i < n; i++) {
		const struct nsc_lab_addr *w = &want[i];
		const struct nsc_addr *found = NULL;

		for (size_t j = 0; l && j < ns->n_addrs && !found; j++) {
			struct nsc_prefix p;

			addr_of(&ns->addrs[j], &p);
			if (ns->addrs[j].ifindex == l->l.ifindex && same_addr(&p, &w->prefix))
				found = &ns->addrs[j];
		}
		if (found && found->prefixlen == w->prefix.len)
			continue;
		s = step_new(run, found ? OP_ADDR_REPLACE : OP_ADDR_ADD, PH_ADDR, NSC_LAB_ADDRESS,
			     found ? NSC_LAB_DIFFERS : NSC_LAB_MISSING, ns, ifname, w->pos);
		if (!s)
			return;
		s->item.object = xdup(run, lab_prefix_str(&w->prefix, found ? -1 : w->prefix.len,
							 buf, sizeof(buf)));
		s->ifname = s->item.dev;
		s->prefix = w->prefix;
		if (found) {
			snprintf(have, sizeof(have), "/%u", found->prefixlen);
			snprintf(wantl, sizeof(wantl), "/%d", w->prefix.len);
			set_diff(run, s, "prefix length", have, wantl);
			s->old_len = found->prefixlen;
		}
	}
	if (!l)
		return;
	for (size_t j = 0; j < ns->n_addrs; j++) {
		const struct nsc_addr *a = &ns->addrs[j];
		struct lab_rec *rec;
		struct nsc_prefix p;

		if (a->ifindex != l->l.ifindex || kernel_addr(l, a) || addr_wanted(a, want, n))
			continue;
		addr_of(a, &p);
		lab_prefix_str(&p, p.len, buf, sizeof(buf));
		rec = lab_rec_find(&run->st, REC_ADDR, ns->name, ifname, buf, 0);
		s = step_new(run, rec && run->opts.prune ? OP_ADDR_DEL : OP_NONE, PH_DEL_INSIDE,
			     NSC_LAB_ADDRESS, NSC_LAB_EXTRA, ns, ifname, (struct nsc_lab_pos){ 0, 0 });
		if (!s)
			return;
		s->item.object = xdup(run, buf);
		s->ifname = s->item.dev;
		s->prefix = p;
		if (rec) {
			s->item.have = xdup(run, "recorded");
			s->rec = rec - run->st.v;
		}
	}
}

static void plan_all_addrs(struct lab_run *run)
{
	const struct nsc_lab *lab = run->lab;

	for (size_t i = 0; i < lab->n_nodes; i++) {
		struct lab_ns *ns = lab_node_ns(run, &lab->nodes[i]);

		if (ns->state != NS_ABSENT && !lab_ns_usable(ns))
			continue;
		/* lo is there as soon as the namespace is */
		plan_addrs(run, ns, "lo", lab_ns_usable(ns) ? lab_ns_link(ns, "lo") : NULL,
			   lab->nodes[i].loopback, lab->nodes[i].n_loopback);
	}
	for (size_t i = 0; i < lab->n_links; i++) {
		const struct nsc_lab_end *ends[2] = { &lab->links[i].a, &lab->links[i].b };

		for (int j = 0; j < 2; j++) {
			struct lab_ns *ns = lab_end_ns(run, ends[j]);
			struct lab_link *l;

			if (ends[j]->kind != NSC_LAB_END_NODE ||
			    (ns->state != NS_ABSENT && !lab_ns_usable(ns)))
				continue;
			l = lab_ns_usable(ns) ? lab_ns_link(ns, ends[j]->ifname) : NULL;
			if (l && (l->doomed || !lab_link_ours(run, ns, l)))
				l = NULL;
			plan_addrs(run, ns, ends[j]->ifname, l, ends[j]->addrs, ends[j]->n_addrs);
		}
	}
}

/* ---- routes and neighbours ---- */

static uint32_t route_metric(const struct nsc_lab_route *rt)
{
	if (rt->has_metric)
		return rt->metric;
	return rt->to.family == AF_INET6 ? 1024 : 0;    /* the kernel's defaults */
}

static bool same_prefix(const struct nsc_prefix *a, const struct nsc_prefix *b)
{
	return a->len == b->len && same_addr(a, b);
}

static int ifindex_in(struct lab_ns *ns, const char *ifname)
{
	struct lab_link *l = lab_ns_link(ns, ifname);

	return l && !l->doomed ? l->l.ifindex : -1;
}

static char *route_desc(struct lab_run *run, struct lab_ns *ns, const struct lab_route *r)
{
	char gw[LAB_ADDRSTR] = "";
	struct lab_link *l = r->oif ? lab_ns_link_index(ns, r->oif) : NULL;

	if (r->nnh)
		return xdup(run, "multipath");
	if (r->gw.family)
		lab_prefix_str(&r->gw, -1, gw, sizeof(gw));
	return xfmt(run, "%s%s%s%s", r->gw.family ? "via " : "", gw,
		    l ? (r->gw.family ? " dev " : "dev ") : "", l ? l->l.ifname : "");
}

static char *want_route_desc(struct lab_run *run, const struct nsc_lab_route *rt)
{
	char gw[LAB_ADDRSTR] = "";

	if (rt->has_via)
		lab_prefix_str(&rt->via, -1, gw, sizeof(gw));
	return xfmt(run, "%s%s%s%s", rt->has_via ? "via " : "", gw,
		    rt->dev ? (rt->has_via ? " dev " : "dev ") : "", rt->dev ? rt->dev : "");
}

/* "198.51.100.0/24", "default", "... metric 10" when not the kernel's default */
static char *route_obj(struct lab_run *run, const struct nsc_prefix *dst, uint32_t metric)
{
	char a[LAB_ADDRSTR];

	if (dst->len)
		lab_prefix_str(dst, dst->len, a, sizeof(a));
	else
		snprintf(a, sizeof(a), "default%s", dst->family == AF_INET6 ? " (IPv6)" : "");
	if (metric == (dst->family == AF_INET6 ? 1024u : 0u))
		return xdup(run, a);
	return xfmt(run, "%s metric %u", a, metric);
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

static void plan_routes(struct lab_run *run, const struct nsc_lab_node *node)
{
	struct lab_ns *ns = lab_node_ns(run, node);
	struct lab_step *s;

	for (size_t i = 0; i < node->n_routes; i++) {
		const struct nsc_lab_route *rt = &node->routes[i];
		const struct lab_route *found = NULL;
		uint32_t metric = route_metric(rt);

		for (size_t j = 0; j < ns->n_routes && !found; j++)
			if (same_prefix(&ns->routes[j].dst, &rt->to) && ns->routes[j].metric == metric &&
			    !route_doomed(ns, &ns->routes[j]))
				found = &ns->routes[j];
		if (found && !found->nnh &&
		    (rt->has_via ? same_addr(&found->gw, &rt->via) : !found->gw.family) &&
		    (!rt->dev || found->oif == ifindex_in(ns, rt->dev)))
			continue;
		s = step_new(run, found ? OP_ROUTE_REPLACE : OP_ROUTE_ADD, PH_ROUTE, NSC_LAB_ROUTE,
			     found ? NSC_LAB_DIFFERS : NSC_LAB_MISSING, ns, NULL, rt->pos);
		if (!s)
			return;
		s->route = rt;
		s->item.object = route_obj(run, &rt->to, metric);
		if (found) {
			s->item.attr = xdup(run, "route");
			s->item.have = route_desc(run, ns, found);
			s->item.want = want_route_desc(run, rt);
		} else {
			s->item.want = want_route_desc(run, rt);
		}
	}
	for (size_t j = 0; j < ns->n_routes; j++) {
		const struct lab_route *r = &ns->routes[j];
		struct lab_rec *rec;
		char key[LAB_ADDRSTR];

		/* the kernel's own (connected, link-local) and router advertisements */
		if (r->protocol == RTPROT_KERNEL || r->protocol == RTPROT_RA ||
		    r->protocol == RTPROT_REDIRECT || route_wanted(node, r) || route_doomed(ns, r))
			continue;
		lab_prefix_str(&r->dst, r->dst.len, key, sizeof(key));
		rec = lab_rec_find(&run->st, REC_ROUTE, ns->name, NULL, key, r->metric);
		s = step_new(run, rec && run->opts.prune ? OP_ROUTE_DEL : OP_NONE, PH_DEL_INSIDE,
			     NSC_LAB_ROUTE, NSC_LAB_EXTRA, ns, NULL, (struct nsc_lab_pos){ 0, 0 });
		if (!s)
			return;
		s->item.object = route_obj(run, &r->dst, r->metric);
		s->item.want = route_desc(run, ns, r);
		s->old_route = *r;
		if (rec) {
			s->item.have = xdup(run, "recorded");
			s->rec = rec - run->st.v;
		}
	}
}

static void plan_neighs(struct lab_run *run, const struct nsc_lab_node *node)
{
	struct lab_ns *ns = lab_node_ns(run, node);
	char a[LAB_ADDRSTR], have[18], want[18];
	struct lab_step *s;

	for (size_t i = 0; i < node->n_neighs; i++) {
		const struct nsc_lab_neigh *nb = &node->neighs[i];
		int ifindex = ifindex_in(ns, nb->dev);
		const struct lab_neigh *found = NULL;

		for (size_t j = 0; ifindex > 0 && j < ns->n_neighs && !found; j++)
			if (ns->neighs[j].ifindex == ifindex && same_addr(&ns->neighs[j].dst, &nb->address))
				found = &ns->neighs[j];
		if (found && (found->state & NUD_PERMANENT) && found->has_lladdr &&
		    !memcmp(found->lladdr, nb->lladdr, 6))
			continue;
		s = step_new(run, OP_NEIGH_SET, PH_NEIGH, NSC_LAB_NEIGHBOUR,
			     found ? NSC_LAB_DIFFERS : NSC_LAB_MISSING, ns, nb->dev, nb->pos);
		if (!s)
			return;
		s->neigh = nb;
		s->ifname = nb->dev;
		s->item.object = xdup(run, lab_prefix_str(&nb->address, -1, a, sizeof(a)));
		if (found)
			set_diff(run, s, "lladdr", found->has_lladdr ? mac_str(found->lladdr, have) :
				 "none", mac_str(nb->lladdr, want));
		else
			s->item.want = xdup(run, mac_str(nb->lladdr, want));
	}
	for (size_t j = 0; j < ns->n_neighs; j++) {
		const struct lab_neigh *n = &ns->neighs[j];
		struct lab_link *l = lab_ns_link_index(ns, n->ifindex);
		struct lab_rec *rec;
		bool wanted = false;

		if (!(n->state & NUD_PERMANENT) || !l || l->doomed)
			continue;
		for (size_t i = 0; i < node->n_neighs && !wanted; i++)
			wanted = !strcmp(node->neighs[i].dev, l->l.ifname) &&
				 same_addr(&node->neighs[i].address, &n->dst);
		if (wanted)
			continue;
		lab_prefix_str(&n->dst, -1, a, sizeof(a));
		rec = lab_rec_find(&run->st, REC_NEIGH, ns->name, l->l.ifname, a, 0);
		s = step_new(run, rec && run->opts.prune ? OP_NEIGH_DEL : OP_NONE, PH_DEL_INSIDE,
			     NSC_LAB_NEIGHBOUR, NSC_LAB_EXTRA, ns, l->l.ifname,
			     (struct nsc_lab_pos){ 0, 0 });
		if (!s)
			return;
		s->item.object = xdup(run, a);
		s->ifname = s->item.dev;
		s->old_neigh = *n;
		if (rec) {
			s->item.have = xdup(run, "recorded");
			s->rec = rec - run->st.v;
		}
	}
}

/* ---- sysctls and exec ---- */

/* The node's sysctls, defaults first, a node's own winning: calls fn. */
static void plan_sysctls(struct lab_run *run, const struct nsc_lab_node *node)
{
	const struct nsc_lab *lab = run->lab;
	struct lab_ns *ns = lab_node_ns(run, node);
	size_t nd = lab->n_sysctls, total = nd + node->n_sysctls;

	for (size_t i = 0; i < total; i++) {
		const struct nsc_lab_sysctl *sc = i < nd ? &lab->sysctls[i] : &node->sysctls[i - nd];
		const struct lab_sysctl_job *j = NULL;
		bool overridden = false;
		struct lab_step *s;

		for (size_t k = 0; i < nd && k < node->n_sysctls && !overridden; k++)
			overridden = !strcmp(node->sysctls[k].name, sc->name);
		if (overridden)
			continue;
		for (size_t k = 0; k < run->n_jobs && !j; k++)
			if (run->jobs[k].ns == ns && run->jobs[k].name == sc->name)
				j = &run->jobs[k];
		if (j && !j->err && lab_sysctl_same(j->have, sc->value))
			continue;
		s = step_new(run, OP_SYSCTL, lab_sysctl_late(sc->name) ? PH_SYSCTL_LATE : PH_SYSCTL,
			     NSC_LAB_SYSCTL, j ? NSC_LAB_DIFFERS : NSC_LAB_MISSING, ns, NULL, sc->pos);
		if (!s)
			return;
		s->item.object = xdup(run, sc->name);
		s->sysctl_name = sc->name;
		s->sysctl_value = sc->value;
		if (j)
			set_diff(run, s, "value", j->err ? NULL : j->have, sc->value);
		else
			s->item.want = xdup(run, sc->value);
	}
}

static void plan_exec(struct lab_run *run, const struct nsc_lab_node *node)
{
	struct lab_ns *ns = lab_node_ns(run, node);
	uint64_t h = lab_exec_hash(node);
	struct lab_rec *rec;
	struct lab_step *s;
	char hex[20];

	if (!h)
		return;
	snprintf(hex, sizeof(hex), "%016" PRIx64, h);
	rec = lab_rec_find(&run->st, REC_EXEC, ns->name, NULL, NULL, 0);
	if (lab_ns_usable(ns) && rec && !strcmp(rec->key, hex))
		return;
	s = step_new(run, OP_EXEC, PH_EXEC, NSC_LAB_EXEC, lab_ns_usable(ns) && rec ? NSC_LAB_DIFFERS :
		     NSC_LAB_MISSING, ns, NULL, node->exec[0].pos);
	if (!s)
		return;
	s->node = node;
	s->exec_hash = h;
	s->item.object = xfmt(run, "%zu command%s", node->n_exec, node->n_exec == 1 ? "" : "s");
	if (lab_ns_usable(ns) && rec)
		set_diff(run, s, "commands", "other commands", "these");
}

/* ---- the whole plan ---- */

static int step_cmp(const void *a, const void *b)
{
	const struct lab_step *x = a, *y = b;

	if (x->phase != y->phase)
		return x->phase < y->phase ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

int lab_plan(struct lab_run *run, struct nsc_error *e)
{
	const struct nsc_lab *lab = run->lab;

	plan_namespaces(run);
	plan_bridges(run);
	plan_links(run);
	plan_extra_links(run);
	plan_all_addrs(run);
	for (size_t i = 0; i < lab->n_nodes; i++) {
		struct lab_ns *ns = lab_node_ns(run, &lab->nodes[i]);

		if (ns->state != NS_ABSENT && !lab_ns_usable(ns))
			continue;
		plan_routes(run, &lab->nodes[i]);
		plan_neighs(run, &lab->nodes[i]);
		plan_sysctls(run, &lab->nodes[i]);
		plan_exec(run, &lab->nodes[i]);
	}
	if (run->nomem)
		return nsc_err(e, ENOMEM, "lab \"%s\": plan", lab->name);
	if (run->n_steps)
		qsort(run->steps, run->n_steps, sizeof(*run->steps), step_cmp);
	for (size_t i = 0; i < run->n_steps; i++) {
		struct lab_step *s = &run->steps[i];
		int ret;

		if (s->blocking)
			run->blocked = true;
		if (!s->item.action)
			continue;
		run->n_actions++;
		if ((ret = lab_step_cmd(run, s, &s->item.cmd)) < 0)
			return nsc_err(e, -ret, "lab \"%s\": plan", lab->name);
	}
	run->need_ready = lab->n_ready && !run->opts.no_ready &&
			  (run->n_actions || !run->st.complete);
	return 0;
}
