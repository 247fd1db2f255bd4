// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The plan's links: the file's bridges and veth pairs against the links in
 * the lab's namespaces. A link is the lab's when it is recorded with the
 * same ifindex and carries the marker; one that only has a name the file
 * wants blocks the apply. A veth end of the lab's paired with anything but
 * the file's other end is made again, in its pair.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/if.h>

#include "lab/model.h"
#include "lab/plan.h"

static const struct nsc_lab_pos nowhere = { 0, 0 };

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

static enum nsc_lab_kind link_kind(const struct lab_link *l)
{
	return strcmp(l->l.kind, "bridge") ? NSC_LAB_LINK : NSC_LAB_BRIDGE;
}

/* An extra link's kind, as its object ("veth"); a bridge says so already. */
static void extra_kind(struct lab_job *job, struct lab_step *s, const struct lab_link *l)
{
	if (l->l.kind[0] && strcmp(l->l.kind, "bridge"))
		s->item.object = lab_job_dup(job, l->l.kind);
}

/*
 * A link the file wants (of kind WANT_KIND) that is not the lab's: in the
 * way. Why, in words: its kind first for a bridge (KIND_FIRST), who made it
 * first for a veth end.
 */
static void foreign(struct lab_job *job, enum lab_phase phase, enum nsc_lab_kind kind,
		    struct lab_ns *ns, const char *ifname, struct nsc_lab_pos pos,
		    const struct lab_link *l, const char *want_kind, bool kind_first)
{
	bool say_kind = kind_first ? strcmp(l->l.kind, want_kind) != 0 :
				     lab_link_ours(job, ns, l);
	struct lab_step *s = lab_step_new(job, OP_NONE, phase, kind, NSC_LAB_FOREIGN, ns,
					  ifname, pos);

	if (!s)
		return;
	s->blocking = true;
	if (say_kind)
		s->item.have = lab_job_fmt(job, "a %s, not a %s", l->l.kind[0] ? l->l.kind :
					   "device", want_kind);
	else
		s->item.have = lab_job_dup(job, "not made by the lab");
}

/* A change of one attribute of link L (ifname in ns). */
static struct lab_step *link_set(struct lab_job *job, enum nsc_lab_kind kind,
				 struct lab_ns *ns, const char *ifname, const struct lab_link *l,
				 struct nsc_lab_pos pos, const char *attr, const char *have,
				 const char *want)
{
	struct lab_step *s = lab_step_new(job, OP_LINK_SET, PH_LINK_SET, kind, NSC_LAB_DIFFERS,
					  ns, ifname, pos);

	if (!s)
		return NULL;
	lab_step_differs(job, s, attr, have, want);
	s->ifname = ifname;
	s->ifindex = l->l.ifindex;
	return s;
}

static void plan_mtu(struct lab_job *job, enum nsc_lab_kind kind, struct lab_ns *ns,
		     const char *ifname, const struct lab_link *l, uint32_t mtu,
		     struct nsc_lab_pos pos)
{
	char have[16], want[16];
	struct lab_step *s;

	if (!mtu || !l->l.has_mtu || l->l.mtu == mtu)
		return;
	snprintf(have, sizeof(have), "%u", l->l.mtu);
	snprintf(want, sizeof(want), "%u", mtu);
	if ((s = link_set(job, kind, ns, ifname, l, pos, "mtu", have, want)))
		s->set.mtu = mtu;
}

static void plan_up(struct lab_job *job, enum nsc_lab_kind kind, struct lab_ns *ns,
		    const char *ifname, const struct lab_link *l, struct nsc_lab_pos pos)
{
	struct lab_step *s;

	if (l->l.flags & IFF_UP)
		return;
	if ((s = link_set(job, kind, ns, ifname, l, pos, "state", "down", "up")))
		s->set.up = true;
}

/* ---- bridges ---- */

/* A link's MAC as the lab wants it (the file's, else derived: a MAC that
 * differs is drift, put back by apply). */
static void plan_mac(struct lab_job *job, enum nsc_lab_kind kind, struct lab_ns *ns,
		     const char *ifname, struct lab_link *l, const uint8_t mac[6],
		     struct nsc_lab_pos pos)
{
	char have[LAB_MACSTR], want[LAB_MACSTR];
	struct lab_step *s;

	if (l->l.addr_len == 6 && !memcmp(l->l.addr, mac, 6))
		return;
	s = link_set(job, kind, ns, ifname, l, pos, "mac",
		     l->l.addr_len == 6 ? lab_mac_str(l->l.addr, have) : "none",
		     lab_mac_str(mac, want));
	if (s) {
		memcpy(s->mac, mac, 6);
		s->set_mac = true;
	}
}

void lab_plan_bridges(struct lab_job *job)
{
	const struct nsc_lab *lab = job->lab;
	struct lab_ns *sw;

	if (!lab->n_bridges)
		return;
	sw = &job->ns[lab->n_nodes];
	if (sw->state != NS_ABSENT && !lab_ns_usable(sw))
		return;
	for (size_t i = 0; i < lab->n_bridges; i++) {
		const struct nsc_lab_bridge *b = &lab->bridges[i];
		struct lab_link *l = lab_ns_link(sw, b->name);
		struct lab_step *s;

		if (!l) {
			s = lab_step_new(job, OP_BRIDGE_ADD, PH_BRIDGE, NSC_LAB_BRIDGE,
					 NSC_LAB_MISSING, sw, b->name, b->pos);
			if (s)
				s->bridge = b;
			continue;
		}
		l->wanted = true;
		if (!lab_link_ours(job, sw, l) || strcmp(l->l.kind, "bridge")) {
			foreign(job, PH_BRIDGE, NSC_LAB_BRIDGE, sw, b->name, b->pos, l, "bridge", true);
			continue;
		}
		plan_mtu(job, NSC_LAB_BRIDGE, sw, b->name, l, b->mtu, b->pos);
		plan_mac(job, NSC_LAB_BRIDGE, sw, b->name, l, b->mac, b->pos);
		plan_up(job, NSC_LAB_BRIDGE, sw, b->name, l, b->pos);
	}
}

/* ---- veth pairs ---- */

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
static struct lab_link *peer_of(struct lab_job *job, const struct lab_ns *ns,
				const struct lab_link *l, struct lab_ns **pns)
{
	struct lab_link *found = NULL;

	if (!l->l.has_link || l->l.link <= 0)
		return NULL;
	for (size_t i = 0; i < job->n_ns; i++) {
		struct lab_ns *o = &job->ns[i];
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
 * peer with it: both count as gone for the rest of the plan. The step
 * takes have and want.
 */
static void plan_link_del(struct lab_job *job, struct lab_ns *ns, struct lab_link *l,
			  enum nsc_lab_change change, const char *attr, char *have,
			  char *want, struct nsc_lab_pos pos, bool act)
{
	struct lab_rec *rec = lab_rec_find(&job->st, REC_LINK, ns->name, l->l.ifname, NULL, 0);
	struct lab_step *s;
	struct lab_ns *pns;
	struct lab_link *p;

	s = lab_step_new(job, act ? OP_LINK_DEL : OP_NONE, PH_DEL_LINK, link_kind(l), change, ns,
			 l->l.ifname, pos);
	if (!s) {
		free(have);
		free(want);
		return;
	}
	s->item.attr = lab_job_dup(job, attr);
	s->item.have = have;
	s->item.want = want;
	if (change == NSC_LAB_EXTRA)
		extra_kind(job, s, l);
	s->ifname = s->item.dev;
	s->ifindex = l->l.ifindex;
	if ((p = peer_of(job, ns, l, &pns))) {
		s->peer_ns = pns;
		memcpy(s->peer_if, p->l.ifname, sizeof(s->peer_if));
	}
	s->rec = rec ? rec - job->st.v : -1;
	if (!act)
		return;
	l->doomed = true;
	if (p)
		p->doomed = true;
}

/* An end of the lab's, paired as the file wants: its mtu, mac, master, up. */
static void plan_end_attrs(struct lab_job *job, uint32_t mtu, struct nsc_lab_pos pos,
			   const struct nsc_lab_end *end, struct lab_ns *ns, struct lab_link *l)
{
	struct lab_step *s;

	plan_mtu(job, NSC_LAB_LINK, ns, end->ifname, l, mtu, pos);
	if (end->has_mac)
		plan_mac(job, NSC_LAB_LINK, ns, end->ifname, l, end->mac, end->pos);
	if (end->kind == NSC_LAB_END_BRIDGE) {
		struct lab_link *br = lab_ns_link(ns, end->bridge->name);
		struct lab_link *m = lab_ns_link_index(ns, l->l.master);

		if (!br || l->l.master != br->l.ifindex) {
			s = link_set(job, NSC_LAB_LINK, ns, end->ifname, l, end->ref_pos, "master",
				     l->l.master ? (m ? m->l.ifname : "?") : "none",
				     end->bridge->name);
			if (s)
				s->master = end->bridge->name;
		}
	}
	plan_up(job, NSC_LAB_LINK, ns, end->ifname, l, end->pos);
}

/* The ends of link K as they are: ls[j] (NULL: not there), or false when
 * either is in the way (said already, or now). */
static bool link_ends(struct lab_job *job, const struct nsc_lab_link *k, struct lab_ns *nss[2],
		      struct lab_link *ls[2])
{
	const struct nsc_lab_end *ends[2] = { &k->a, &k->b };
	bool blocked = false;

	for (int j = 0; j < 2; j++) {
		if (nss[j]->state != NS_ABSENT && !lab_ns_usable(nss[j]))
			blocked = true;         /* said already */
		else if (lab_ns_usable(nss[j]))
			ls[j] = lab_ns_link(nss[j], ends[j]->ifname);
		if (ls[j])
			ls[j]->wanted = true;
	}
	if (blocked)
		return false;
	/* the ends that are there must be the lab's */
	for (int j = 0; j < 2; j++) {
		if (!ls[j] || (lab_link_ours(job, nss[j], ls[j]) && !strcmp(ls[j]->l.kind, "veth")))
			continue;
		foreign(job, PH_LINK, NSC_LAB_LINK, nss[j], ends[j]->ifname, ends[j]->pos, ls[j],
			"veth", false);
		blocked = true;
	}
	return !blocked;
}

void lab_plan_links(struct lab_job *job)
{
	const struct nsc_lab *lab = job->lab;

	for (size_t i = 0; i < lab->n_links; i++) {
		const struct nsc_lab_link *k = &lab->links[i];
		const struct nsc_lab_end *ends[2] = { &k->a, &k->b };
		struct lab_ns *nss[2] = { lab_end_ns(job, &k->a), lab_end_ns(job, &k->b) };
		struct lab_link *ls[2] = { NULL, NULL };
		struct lab_step *s;

		if (!link_ends(job, k, nss, ls))
			continue;
		/* both there: each other's peers? */
		if (ls[0] && ls[1] && !ls[0]->doomed && !ls[1]->doomed &&
		    paired(nss[0], ls[0], nss[1], ls[1])) {
			for (int j = 0; j < 2; j++)
				plan_end_attrs(job, k->mtu, k->pos, ends[j], nss[j], ls[j]);
			continue;
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
			p = peer_of(job, nss[j], ls[j], &pns);
			plan_link_del(job, nss[j], ls[j], NSC_LAB_DIFFERS, "peer",
				      p ? lab_job_fmt(job, "%s %s", pns->name, p->l.ifname) :
					  lab_job_dup(job, "gone"),
				      lab_job_fmt(job, "%s %s", nss[1 - j]->name, ends[1 - j]->ifname),
				      ends[j]->pos, true);
		}
		s = lab_step_new(job, OP_VETH_ADD, PH_LINK, NSC_LAB_LINK, NSC_LAB_MISSING, nss[0],
				 k->a.ifname, k->pos);
		if (!s)
			continue;
		s->item.object = lab_job_fmt(job, "veth to %s %s", nss[1]->name, k->b.ifname);
		s->link = k;
		s->peer_ns = nss[1];
	}
	lab_plan_vxlans(job);
}

/*
 * A share's VXLAN ends (one host of a lab that spans several): each made
 * here, over the underlay, straight into its namespace. One of the lab's
 * is kept as it is (its VNI and remote are the file's, derived the same on
 * every host); what only has its name is in the way.
 */
void lab_plan_vxlans(struct lab_job *job)
{
	const struct nsc_lab *lab = job->lab;

	for (size_t i = 0; i < lab->n_vxlans; i++) {
		const struct nsc_lab_vxlan *vx = &lab->vxlans[i];
		struct lab_ns *ns = lab_end_ns(job, &vx->end);
		struct lab_link *l = NULL;
		struct lab_step *s;

		if (ns->state != NS_ABSENT && !lab_ns_usable(ns))
			continue;       /* said already */
		if (lab_ns_usable(ns) && (l = lab_ns_link(ns, vx->end.ifname)))
			l->wanted = true;
		if (l && !l->doomed && (!lab_link_ours(job, ns, l) || strcmp(l->l.kind, "vxlan"))) {
			foreign(job, PH_LINK, NSC_LAB_LINK, ns, vx->end.ifname, vx->end.pos, l,
				"vxlan", true);
			continue;
		}
		if (l && !l->doomed) {
			plan_end_attrs(job, vx->mtu, vx->pos, &vx->end, ns, l);
			continue;
		}
		s = lab_step_new(job, OP_VXLAN_ADD, PH_LINK, NSC_LAB_LINK, NSC_LAB_MISSING, ns,
				 vx->end.ifname, vx->pos);
		if (!s)
			continue;
		s->item.object = lab_job_fmt(job, "vxlan %u to %s %s", vx->vni, vx->remote->name,
					     vx->other);
		s->vxlan = vx;
		s->ifname = s->item.dev;
	}
}

void lab_plan_extra_links(struct lab_job *job)
{
	for (size_t i = 0; i < job->n_ns; i++) {
		struct lab_ns *ns = &job->ns[i];

		if (!ns->wanted || !lab_ns_usable(ns))
			continue;
		for (size_t j = 0; j < ns->n_links; j++) {
			struct lab_link *l = &ns->links[j];
			struct lab_step *s;

			if (l->wanted || l->doomed || kernel_link(l))
				continue;
			if (lab_link_ours(job, ns, l)) {
				plan_link_del(job, ns, l, NSC_LAB_EXTRA, NULL,
					      lab_job_dup(job, "recorded"), NULL, nowhere,
					      job->opts.prune);
				continue;
			}
			s = lab_step_new(job, OP_NONE, PH_DEL_LINK, link_kind(l), NSC_LAB_EXTRA, ns,
					 l->l.ifname, nowhere);
			if (s)
				extra_kind(job, s, l);
		}
	}
}
