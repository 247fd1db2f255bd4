// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * apply's steps, one each: what a step of the plan (plan.h) asks, done over
 * the context it is given (the job's, or a worker's: apply_par.c), each
 * object recorded as intended before the request that makes it and as made
 * after (state.h: a failure or a kill leaves it recorded either way, and
 * recover.c settles what was pending). Sysctls are not recorded: the next
 * plan reads them again and sets what differs. The exec commands are
 * recorded once they ran: a kill while they run runs them again.
 *
 * Workers run steps of different namespaces at once: what a step changes
 * of the job is its own namespace's (struct lab_ns) or, under the lock, the
 * records.
 */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/if.h>
#include <linux/if_addr.h>

#include "lab/apply.h"
#include "lab/apply_ns.h"
#include "lab/hosts.h"
#include "lab/model.h"
#include "lab/svc.h"
#include "lab/ready.h"
#include "lab/uts.h"
#include "rtnl/rtnl.h"

/* ---- intent before action (state.h) ---- */

static const uint64_t no_id[3];

/* Workers share the records: every use of them (st->v may move as it grows)
 * under the lock, when there is one. */
static void locked(const struct lab_run *r, bool on)
{
	if (r->lock)
		(on ? pthread_mutex_lock : pthread_mutex_unlock)(r->lock);
}

/* Intended, unless recorded already (a route or neighbour replaced is the
 * lab's already): with only_new, a record found is left as it is. */
static int intend_if(const struct lab_run *r, bool only_new, enum lab_rec_type type,
		     const char *netns, const char *dev, const char *key, const uint64_t id[3],
		     struct nsc_error *e)
{
	int ret = 0;

	locked(r, true);
	if (!only_new || !lab_rec_find(&r->job->st, type, netns, dev, key,
				       type == REC_ROUTE && id ? id[0] : 0))
		ret = lab_rec_intend(&r->job->st, type, netns, dev, key, id ? id : no_id, e);
	locked(r, false);
	return ret;
}

static int intend(const struct lab_run *r, enum lab_rec_type type, const char *netns,
		  const char *dev, const char *key, const uint64_t id[3], struct nsc_error *e)
{
	return intend_if(r, false, type, netns, dev, key, id, e);
}

static int put(const struct lab_run *r, enum lab_rec_type type, const char *netns,
	       const char *dev, const char *key, const uint64_t id[3], struct nsc_error *e)
{
	int ret;

	locked(r, true);
	ret = lab_rec_put(&r->job->st, type, netns, dev, key, id, e);
	locked(r, false);
	return ret;
}

/* Forget the record found (when there is one). */
static int drop_found(const struct lab_run *r, enum lab_rec_type type, const char *netns,
		      const char *dev, const char *key, uint64_t metric, struct nsc_error *e)
{
	struct lab_rec *rec;
	int ret = 0;

	locked(r, true);
	rec = lab_rec_find(&r->job->st, type, netns, dev, key, metric);
	if (rec)
		ret = lab_rec_drop(&r->job->st, rec, e);
	locked(r, false);
	return ret;
}

/* Forget the step's record (s->rec: its index, -1 when none). */
static int drop_rec(const struct lab_run *r, const struct lab_step *s, struct nsc_error *e)
{
	int ret = 0;

	if (s->rec < 0)
		return 0;
	locked(r, true);
	ret = lab_rec_drop(&r->job->st, &r->job->st.v[s->rec], e);
	locked(r, false);
	return ret;
}

/* The request failed, having made nothing (the kernel's and nsc_ns_add's
 * promise): the intent goes. RET passes through. */
static int unintend(const struct lab_run *r, enum lab_rec_type type, const char *netns,
		    const char *dev, const char *key, uint64_t metric, int ret)
{
	struct nsc_error ignore = { 0 };
	struct lab_rec *rec;

	locked(r, true);
	rec = lab_rec_find(&r->job->st, type, netns, dev, key, metric);
	if (rec && rec->pending)
		lab_rec_drop(&r->job->st, rec, &ignore);
	locked(r, false);
	return ret;
}

/* ---- the steps ---- */

static int do_ns_del(const struct lab_run *r, struct lab_step *s, struct nsc_error *e)
{
	struct lab_ns *ns = s->ns;
	struct nsc_del_info info;
	int ret;

	if (ns->fd >= 0) {
		close(ns->fd);  /* held open, it would outlive its name */
		ns->fd = -1;
	}
	if ((ret = nsc_ns_delete(r->ctx, ns->name, &info, e)) < 0)
		return ret;
	r->job->holders += info.holders;
	ns->state = NS_ABSENT;
	locked(r, true);
	ret = lab_rec_drop_inside(&r->job->st, ns->name, e);
	locked(r, false);
	return ret < 0 ? ret : drop_rec(r, s, e);
}

/* A link just made: learn its index, mark it, bring it up, and record it
 * (only now: a pending link unmarked is half-made, recover.c removes it). */
static int made_link(const struct lab_run *r, struct lab_ns *ns, const char *ifname,
		     uint32_t mtu, const char *master, struct nsc_error *e)
{
	struct nsc_link_index_set set = { .up = true, .mtu = mtu, .alias = r->job->marker };
	uint64_t id[3] = { 0 };
	struct lab_link *l;
	int ret;

	if ((ret = lab_ns_learn_link(r->ctx, ns, ifname, &l, e)) < 0)
		return ret;
	if (master) {
		struct lab_link *m = lab_ns_link(ns, master);

		if (!m)
			return nsc_err_text(e, ENODEV, "bridge \"%s\" not found in netns \"%s\"",
					    master, ns->name);
		set.master = m->l.ifindex;
	}
	if ((ret = nsc_link_index_change(r->ctx, ns->name, l->l.ifindex, &set, e)) < 0)
		return nsc_err_prefix(e, "link set \"%s\"", ifname);
	l->l.flags |= IFF_UP;
	if (lab_link_mark(l, r->job->marker) < 0)
		return nsc_err(e, ENOMEM, "link \"%s\"", ifname);
	id[0] = (uint64_t)l->l.ifindex;
	return put(r, REC_LINK, ns->name, ifname, NULL, id, e);
}

static int do_bridge_add(const struct lab_run *r, struct lab_step *s, struct nsc_error *e)
{
	struct nsc_link_add a = { .name = s->bridge->name, .kind = "bridge",
				  .has_address = true };
	int ret;

	/* a MAC of its own: not the lowest of its ports', which moves as they do */
	memcpy(a.address, s->bridge->mac, 6);
	if ((ret = intend(r, REC_LINK, s->ns->name, a.name, NULL, NULL, e)) < 0)
		return ret;
	if ((ret = nsc_link_add(r->ctx, s->ns->name, &a, e)) < 0)
		return unintend(r, REC_LINK, s->ns->name, a.name, NULL, 0, ret);
	/* the MTU set afterwards, as a user's: ports joining do not change it */
	return made_link(r, s->ns, s->bridge->name, s->bridge->mtu, NULL, e);
}

/* End END (0: a, in s->ns; 1: b, in s->peer_ns) of s's veth pair. */
static const struct nsc_lab_end *veth_end(const struct lab_step *s, int end, struct lab_ns **ns)
{
	*ns = end ? s->peer_ns : s->ns;
	return end ? &s->link->b : &s->link->a;
}

int lab_veth_end(const struct lab_run *r, struct lab_step *s, int end, struct nsc_error *e)
{
	struct lab_ns *ns;
	const struct nsc_lab_end *x = veth_end(s, end, &ns);

	return made_link(r, ns, x->ifname, 0, x->kind == NSC_LAB_END_BRIDGE ? x->bridge->name :
			 NULL, e);
}

int lab_veth_make(const struct lab_run *r, struct lab_step *s, int from, struct nsc_error *e)
{
	struct lab_ns *ns, *peer_ns;
	const struct nsc_lab_end *x = veth_end(s, from, &ns), *y = veth_end(s, !from, &peer_ns);
	struct nsc_link_add a = {
		.name = x->ifname, .kind = "veth", .mtu = s->link->mtu,
		.peer = y->ifname, .peer_netns = peer_ns->name,
	};
	int ret;

	if (x->has_mac) {
		a.has_address = true;
		memcpy(a.address, x->mac, 6);
	}
	if (y->has_mac) {
		a.has_peer_address = true;
		memcpy(a.peer_address, y->mac, 6);
	}
	/* one request makes both ends: both intended first */
	if ((ret = intend(r, REC_LINK, ns->name, a.name, NULL, NULL, e)) < 0 ||
	    (ret = intend(r, REC_LINK, peer_ns->name, a.peer, NULL, NULL, e)) < 0)
		return ret;
	/* sent inside FROM's namespace (whose socket the caller has open), the
	 * other end straight into its own */
	if ((ret = nsc_link_add(r->ctx, ns->name, &a, e)) < 0) {
		unintend(r, REC_LINK, peer_ns->name, a.peer, NULL, 0, ret);
		return unintend(r, REC_LINK, ns->name, a.name, NULL, 0, ret);
	}
	return lab_veth_end(r, s, from, e);
}

/* Made in this host's namespace over the underlay (where its UDP socket
 * stays), straight into the end's namespace. */
static int do_vxlan_add(const struct lab_run *r, struct lab_step *s, struct nsc_error *e)
{
	const struct nsc_lab_vxlan *vx = s->vxlan;
	struct nsc_link_add a = {
		.name = vx->end.ifname, .kind = "vxlan", .netns = s->ns->name, .mtu = vx->mtu,
		.vni = vx->vni, .has_vni = true, .local = vx->local->address,
		.remote_kind = NSC_VXLAN_REMOTE, .remote = vx->remote->address,
		.dstport = vx->port, .has_dstport = true, .dev = vx->dev,
	};
	int ret;

	if (vx->end.has_mac) {
		a.has_address = true;
		memcpy(a.address, vx->end.mac, 6);
	}
	if ((ret = intend(r, REC_LINK, s->ns->name, a.name, NULL, NULL, e)) < 0)
		return ret;
	if ((ret = nsc_link_add(r->ctx, NULL, &a, e)) < 0)
		return unintend(r, REC_LINK, s->ns->name, a.name, NULL, 0, ret);
	return made_link(r, s->ns, a.name, 0, vx->end.kind == NSC_LAB_END_BRIDGE ?
			 vx->end.bridge->name : NULL, e);
}

static int do_link_set(const struct lab_run *r, struct lab_step *s, struct nsc_error *e)
{
	struct nsc_link_index_set set = s->set;

	if (s->set_mac)
		set.mac = s->mac;
	if (s->master) {
		struct lab_link *m = lab_ns_link(s->ns, s->master);

		if (!m)
			return nsc_err_text(e, ENODEV, "bridge \"%s\" not found in netns \"%s\"",
					    s->master, s->ns->name);
		set.master = m->l.ifindex;
	}
	return nsc_link_index_change(r->ctx, s->ns->name, s->ifindex, &set, e);
}

/* Forget the records of link IFNAME in NETNS and of what was on it. */
static int drop_link_recs(const struct lab_run *r, const char *netns, const char *ifname,
			  struct nsc_error *e)
{
	struct lab_state *st = &r->job->st;
	int ret = 0;

	locked(r, true);
	for (size_t i = 0; i < st->n && ret == 0; i++) {
		struct lab_rec *rec = &st->v[i];

		if (!rec->dead && rec->dev && !strcmp(rec->netns, netns) &&
		    !strcmp(rec->dev, ifname) && (rec->type == REC_LINK ||
		    rec->type == REC_ADDR || rec->type == REC_NEIGH))
			ret = lab_rec_drop(st, rec, e);
	}
	locked(r, false);
	return ret;
}

static int do_link_del(const struct lab_run *r, struct lab_step *s, struct nsc_error *e)
{
	int ret = nsc_link_del_index(r->ctx, s->ns->name, s->ifindex, e);

	/* gone already (its peer went first): just as good */
	if (ret == -ENODEV)
		ret = 0;
	if (ret == 0)
		ret = drop_link_recs(r, s->ns->name, s->ifname, e);
	if (ret == 0 && s->peer_ns)
		ret = drop_link_recs(r, s->peer_ns->name, s->peer_if, e);
	return ret;
}

static int do_addr(const struct lab_run *r, struct lab_step *s, struct nsc_error *e)
{
	struct nsc_addr_req a = { .dev = s->ifname, .scope = -1 };
	char key[LAB_ADDRSTR];
	uint64_t id[3] = { 0 };
	int ret;

	a.local = s->prefix;
	if (s->op == OP_ADDR_DEL || s->op == OP_ADDR_REPLACE) {
		if (s->op == OP_ADDR_REPLACE)
			a.local.len = s->old_len;
		if ((ret = nsc_addr_del(r->ctx, s->ns->name, &a, e)) < 0)
			return ret;
		nsc_prefix_str(&a.local, a.local.len, key, sizeof(key));
		if ((ret = drop_found(r, REC_ADDR, s->ns->name, s->ifname, key, 0, e)) < 0)
			return ret;
		if (s->op == OP_ADDR_DEL)
			return 0;
		a.local = s->prefix;
	}
	/* usable at once: no duplicate address detection (the file has none) */
	if (a.local.family == AF_INET6)
		a.flags = IFA_F_NODAD;
	nsc_prefix_str(&s->prefix, s->prefix.len, key, sizeof(key));
	if ((ret = intend(r, REC_ADDR, s->ns->name, s->ifname, key, NULL, e)) < 0)
		return ret;
	if ((ret = nsc_addr_add(r->ctx, s->ns->name, &a, e)) < 0)
		return unintend(r, REC_ADDR, s->ns->name, s->ifname, key, 0, ret);
	return put(r, REC_ADDR, s->ns->name, s->ifname, key, id, e);
}

static int do_route(const struct lab_run *r, struct lab_step *s, struct nsc_error *e)
{
	char key[LAB_ADDRSTR];
	uint64_t id[3] = { 0 };
	int ret;

	if (s->op == OP_ROUTE_DEL) {
		ret = lab_route_del(r->ctx, s->ns->name, &s->old_route, e);
		return ret < 0 ? ret : drop_rec(r, s, e);
	}
	id[0] = s->route->has_metric ? s->route->metric :
		s->route->to.family == AF_INET6 ? 1024 : 0;
	nsc_prefix_str(&s->route->to, s->route->to.len, key, sizeof(key));
	/* a route replaced is the lab's already when recorded */
	if ((ret = intend_if(r, true, REC_ROUTE, s->ns->name, NULL, key, id, e)) < 0)
		return ret;
	ret = lab_route_add(r->ctx, s->ns->name, s->route, s->op == OP_ROUTE_REPLACE, e);
	if (ret < 0)
		return unintend(r, REC_ROUTE, s->ns->name, NULL, key, id[0], ret);
	return put(r, REC_ROUTE, s->ns->name, NULL, key, id, e);
}

static int do_neigh(const struct lab_run *r, struct lab_step *s, struct nsc_error *e)
{
	char key[LAB_ADDRSTR];
	uint64_t id[3] = { 0 };
	int ret;

	if (s->op == OP_NEIGH_DEL) {
		ret = lab_neigh_del(r->ctx, s->ns->name, s->ifname, &s->old_neigh.dst, e);
		return ret < 0 ? ret : drop_rec(r, s, e);
	}
	nsc_prefix_str(&s->neigh->address, -1, key, sizeof(key));
	if ((ret = intend_if(r, true, REC_NEIGH, s->ns->name, s->neigh->dev, key, NULL,
			     e)) < 0)
		return ret;
	if ((ret = lab_neigh_set(r->ctx, s->ns->name, s->neigh, e)) < 0)
		return unintend(r, REC_NEIGH, s->ns->name, s->neigh->dev, key, 0, ret);
	return put(r, REC_NEIGH, s->ns->name, s->neigh->dev, key, id, e);
}

static int do_exec(const struct lab_run *r, struct lab_step *s, struct nsc_error *e)
{
	uint64_t id[3] = { 0 };
	char hex[20];
	int ret;

	if ((ret = lab_exec_node(r->ctx, r->job->lab, s->node, r->job->opts.exec_stdout,
				 r->job->st.dfd, e)) < 0)
		return ret;
	snprintf(hex, sizeof(hex), "%016" PRIx64, s->exec_hash);
	return put(r, REC_EXEC, s->ns->name, NULL, hex, id, e);
}

/*
 * The nodes' hosts files, all at once from the first of their steps (they
 * are consecutive: one phase, nothing else in it when apply runs): each
 * intended (a kill after is settled by recover.c from the file's marker)
 * and staged, one sync for all, then each renamed into place and recorded.
 */
static int do_hosts(const struct lab_run *r, struct lab_step *s, struct nsc_error *e)
{
	struct lab_hosts_id *ids = NULL;
	const char **names = NULL;
	char key[128];
	size_t n = 0;
	int ret = 0;

	if (s != r->job->steps && s[-1].op == OP_HOSTS)
		return 0;
	while (s + n < r->job->steps + r->job->n_steps && s[n].op == OP_HOSTS)
		n++;
	if (!(names = calloc(n, sizeof(*names))) || !(ids = calloc(n, sizeof(*ids))) ||
	    (!r->job->hosts_body && lab_hosts_body(r->job->lab, &r->job->hosts_body) < 0)) {
		free(names);
		free(ids);
		return nsc_err(e, ENOMEM, "hosts files");
	}
	for (size_t i = 0; i < n && ret == 0; i++) {
		char *text = NULL;

		names[i] = s[i].ns->name;
		if (lab_hosts_text(r->job->lab, s[i].node, r->job->hosts_body, &text) < 0)
			ret = nsc_err(e, ENOMEM, "hosts file of \"%s\"", names[i]);
		else if ((ret = intend(r, REC_HOSTS, names[i], NULL, "hosts", NULL, e)) == 0)
			ret = lab_hosts_stage(names[i], text, &ids[i], e);
		free(text);
	}
	if (ret == 0)
		ret = lab_hosts_commit(names, n, ids, e);
	/* with the file's identity: a no-op stats it, reads it no more */
	for (size_t i = 0; i < n && ret == 0; i++)
		ret = put(r, REC_HOSTS, names[i], NULL,
			  lab_hosts_key(&ids[i], key, sizeof(key)), no_id, e);
	free(names);
	free(ids);
	return ret;
}

static int do_hosts_del(const struct lab_run *r, struct lab_step *s, struct nsc_error *e)
{
	int ret = lab_hosts_remove(r->job->lab->name, s->ns->name, e);

	return ret < 0 ? ret : drop_rec(r, s, e);
}

/* A node's UTS namespace (defaults.hostname): intent first. */
static int do_uts(const struct lab_run *r, struct lab_step *s, struct nsc_error *e)
{
	int ret;

	if (s->op == OP_UTS_DEL) {
		ret = lab_uts_remove(r->job->st.dfd, s->item.object, e);
		return ret < 0 ? ret : drop_rec(r, s, e);
	}
	if ((ret = intend(r, REC_UTS, s->ns->name, NULL, "uts", NULL, e)) < 0)
		return ret;
	if ((ret = lab_uts_make(r->job->st.dfd, s->node->name, e)) < 0)
		return unintend(r, REC_UTS, s->ns->name, NULL, "uts", 0, ret);
	return put(r, REC_UTS, s->ns->name, NULL, "uts", no_id, e);
}

int lab_step_run(const struct lab_run *r, struct lab_step *s, struct nsc_error *e)
{
	int ret;

	switch (s->op) {
	case OP_NS_ADD: return lab_ns_make(r->job, r->ctx, s, r->lock, e);
	case OP_NS_DEL: return do_ns_del(r, s, e);
	case OP_BRIDGE_ADD: return do_bridge_add(r, s, e);
	case OP_VXLAN_ADD: return do_vxlan_add(r, s, e);
	case OP_VETH_ADD:
		if ((ret = lab_veth_make(r, s, 0, e)) < 0)
			return ret;
		return lab_veth_end(r, s, 1, e);
	case OP_LINK_SET: return do_link_set(r, s, e);
	case OP_LINK_DEL: return do_link_del(r, s, e);
	case OP_ADDR_ADD:
	case OP_ADDR_REPLACE:
	case OP_ADDR_DEL: return do_addr(r, s, e);
	case OP_ROUTE_ADD:
	case OP_ROUTE_REPLACE:
	case OP_ROUTE_DEL: return do_route(r, s, e);
	case OP_NEIGH_SET:
	case OP_NEIGH_DEL: return do_neigh(r, s, e);
	case OP_EXEC: return do_exec(r, s, e);
	case OP_HOSTS: return do_hosts(r, s, e);
	case OP_HOSTS_DEL: return do_hosts_del(r, s, e);
	case OP_UTS:
	case OP_UTS_DEL: return do_uts(r, s, e);
	case OP_SERVICE:
		/* one reload does them all: the first of them (steps are in phase order) */
		if (s != r->job->steps && s[-1].op == OP_SERVICE)
			return 0;
		return lab_svc_sync(r->ctx, r->job->lab, r->job->st.dfd, e);
	case OP_IMPAIR:
		return lab_impair_apply(r->ctx, s->ns->name, s->ifname, &s->end->impair, e);
	default: return 0;
	}
}

int lab_step_sysctls(const struct lab_run *r, size_t start, size_t end, size_t *failed,
		     struct nsc_error *e)
{
	size_t n = end - start;
	struct lab_sysctl_job *jobs;
	int ret;

	jobs = calloc(n ? n : 1, sizeof(*jobs));
	if (!jobs)
		return nsc_err(e, ENOMEM, "sysctl");
	for (size_t k = 0; k < n; k++) {
		const struct lab_step *s = &r->job->steps[start + k];

		jobs[k] = (struct lab_sysctl_job){ .ns = s->ns, .name = s->sysctl_name,
						    .value = s->sysctl_value };
	}
	*failed = start;
	ret = lab_sysctl_run(r->ctx, jobs, n, e);
	for (size_t k = 0; k < n && ret == 0; k++) {
		if (jobs[k].err) {
			*failed = start + k;
			ret = nsc_err_text(e, jobs[k].err, "%s", strerror(jobs[k].err));
			break;
		}
		r->job->steps[start + k].item.done = true;
	}
	free(jobs);
	return ret;
}
