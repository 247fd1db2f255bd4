// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * apply: carry out the plan (plan.c) step by step, in phase order, each
 * object recorded as intended before the request that makes it and as made
 * after (state.h: a failure or a kill leaves it recorded either way, and
 * recover.c settles what was pending), then run the ready checks and write
 * the state whole. Sysctls are not recorded: the next plan reads them again
 * and sets what differs. The exec commands are recorded once they ran: a
 * kill while they run runs them again.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/if.h>
#include <linux/if_addr.h>

#include "lab/hosts.h"
#include "lab/model.h"
#include "lab/apply_ns.h"
#include "lab/plan.h"
#include "lab/svc.h"
#include "lab/ready.h"
#include "lab/uts.h"
#include "rtnl/rtnl.h"


/* ---- what a step is, in words ---- */

/* "add address 203.0.113.1/30 to demo.r1 eth1": a step, for messages. */
static void step_words(const struct lab_step *s, char *buf, size_t size)
{
	/* what is done, and (when it is done to an object) the word before
	 * the namespace */
	static const char *const words[][2] = {
		[OP_NS_ADD] = { "make namespace", NULL },
		[OP_NS_DEL] = { "remove namespace", NULL },
		[OP_LINK_DEL] = { "remove link", NULL },
		[OP_ADDR_DEL] = { "remove address", "from" },
		[OP_ROUTE_DEL] = { "remove route", "from" },
		[OP_NEIGH_DEL] = { "remove neighbour", "from" },
		[OP_BRIDGE_ADD] = { "make bridge", "in" },
		[OP_VXLAN_ADD] = { "make", "in" },
		[OP_LINK_SET] = { "set", "of" },
		[OP_ADDR_ADD] = { "add address", "to" },
		[OP_ADDR_REPLACE] = { "add address", "to" },
		[OP_ROUTE_ADD] = { "add route", "in" },
		[OP_ROUTE_REPLACE] = { "replace route", "in" },
		[OP_NEIGH_SET] = { "set neighbour", "on" },
		[OP_EXEC] = { "run the commands of", NULL },
		[OP_IMPAIR] = { "set", "of" },
		[OP_HOSTS] = { "write", "of" },
		[OP_HOSTS_DEL] = { "remove", "of" },
		[OP_UTS] = { "make the UTS namespace of", NULL },
		[OP_UTS_DEL] = { "remove the UTS namespace of", NULL },
	};
	const char *ns = s->ns->name, *dev = s->ifname, *obj = s->item.object;

	if (s->op == OP_VETH_ADD) {
		snprintf(buf, size, "make veth %s %s -- %s %s", ns, s->link->a.ifname,
			 s->peer_ns->name, s->link->b.ifname);
		return;
	}
	if (s->op == OP_SYSCTL) {
		snprintf(buf, size, "set sysctl %s=%s in %s", s->sysctl_name, s->sysctl_value, ns);
		return;
	}
	if (s->op == OP_BRIDGE_ADD)
		obj = s->bridge->name;
	else if (s->op == OP_LINK_SET || s->op == OP_IMPAIR)
		obj = s->item.attr;
	if (words[s->op][1])
		snprintf(buf, size, "%s %s %s %s%s%s", words[s->op][0], obj, words[s->op][1], ns,
			 dev ? " " : "", dev ? dev : "");
	else
		snprintf(buf, size, "%s %s%s%s", words[s->op][0], ns, dev ? " " : "",
			 dev ? dev : "");
}

/* ---- intent before action (state.h) ---- */

static const uint64_t no_id[3];

static int intend(struct lab_job *job, enum lab_rec_type type, const char *netns,
		  const char *dev, const char *key, const uint64_t id[3], struct nsc_error *e)
{
	return lab_rec_intend(&job->st, type, netns, dev, key, id ? id : no_id, e);
}

/* The request failed, having made nothing (the kernel's and nsc_ns_add's
 * promise): the intent goes. RET passes through. */
static int unintend(struct lab_job *job, enum lab_rec_type type, const char *netns,
		    const char *dev, const char *key, uint64_t metric, int ret)
{
	struct lab_rec *r = lab_rec_find(&job->st, type, netns, dev, key, metric);
	struct nsc_error ignore = { 0 };

	if (r && r->pending)
		lab_rec_drop(&job->st, r, &ignore);
	return ret;
}

/* ---- the steps ---- */

static int do_ns_del(struct lab_job *job, struct lab_step *s, struct nsc_error *e)
{
	struct lab_ns *ns = s->ns;
	struct nsc_del_info info;
	int ret;

	if (ns->fd >= 0) {
		close(ns->fd);  /* held open, it would outlive its name */
		ns->fd = -1;
	}
	if ((ret = nsc_ns_delete(job->ctx, ns->name, &info, e)) < 0)
		return ret;
	job->holders += info.holders;
	ns->state = NS_ABSENT;
	if ((ret = lab_rec_drop_inside(&job->st, ns->name, e)) < 0)
		return ret;
	if (s->rec >= 0)
		return lab_rec_drop(&job->st, &job->st.v[s->rec], e);
	return 0;
}

/* A link just made: learn its index, mark it, bring it up, and record it
 * (only now: a pending link unmarked is half-made, recover.c removes it). */
static int made_link(struct lab_job *job, struct lab_ns *ns, const char *ifname,
		     uint32_t mtu, const char *master, struct nsc_error *e)
{
	struct nsc_link_index_set set = { .up = true, .mtu = mtu, .alias = job->marker };
	uint64_t id[3] = { 0 };
	struct lab_link *l;
	int ret;

	if ((ret = lab_ns_learn_link(job->ctx, ns, ifname, &l, e)) < 0)
		return ret;
	if (master) {
		struct lab_link *m = lab_ns_link(ns, master);

		if (!m)
			return nsc_err_text(e, ENODEV, "bridge \"%s\" not found in netns \"%s\"",
					    master, ns->name);
		set.master = m->l.ifindex;
	}
	if ((ret = nsc_link_index_change(job->ctx, ns->name, l->l.ifindex, &set, e)) < 0)
		return nsc_err_prefix(e, "link set \"%s\"", ifname);
	l->l.flags |= IFF_UP;
	if (lab_link_mark(l, job->marker) < 0)
		return nsc_err(e, ENOMEM, "link \"%s\"", ifname);
	id[0] = (uint64_t)l->l.ifindex;
	return lab_rec_put(&job->st, REC_LINK, ns->name, ifname, NULL, id, e);
}

static int do_bridge_add(struct lab_job *job, struct lab_step *s, struct nsc_error *e)
{
	struct nsc_link_add a = { .name = s->bridge->name, .kind = "bridge",
				  .has_address = true };
	int ret;

	/* a MAC of its own: not the lowest of its ports', which moves as they do */
	memcpy(a.address, s->bridge->mac, 6);
	if ((ret = intend(job, REC_LINK, s->ns->name, a.name, NULL, NULL, e)) < 0)
		return ret;
	if ((ret = nsc_link_add(job->ctx, s->ns->name, &a, e)) < 0)
		return unintend(job, REC_LINK, s->ns->name, a.name, NULL, 0, ret);
	/* the MTU set afterwards, as a user's: ports joining do not change it */
	return made_link(job, s->ns, s->bridge->name, s->bridge->mtu, NULL, e);
}

static int do_veth_add(struct lab_job *job, struct lab_step *s, struct nsc_error *e)
{
	const struct nsc_lab_link *k = s->link;
	struct nsc_link_add a = {
		.name = k->a.ifname, .kind = "veth", .mtu = k->mtu,
		.peer = k->b.ifname, .peer_netns = s->peer_ns->name,
	};
	int ret;

	if (k->a.has_mac) {
		a.has_address = true;
		memcpy(a.address, k->a.mac, 6);
	}
	if (k->b.has_mac) {
		a.has_peer_address = true;
		memcpy(a.peer_address, k->b.mac, 6);
	}
	/* one request makes both ends: both intended first */
	if ((ret = intend(job, REC_LINK, s->ns->name, a.name, NULL, NULL, e)) < 0 ||
	    (ret = intend(job, REC_LINK, s->peer_ns->name, a.peer, NULL, NULL, e)) < 0)
		return ret;
	/* sent inside a's namespace, b's end straight into its own */
	if ((ret = nsc_link_add(job->ctx, s->ns->name, &a, e)) < 0) {
		unintend(job, REC_LINK, s->peer_ns->name, a.peer, NULL, 0, ret);
		return unintend(job, REC_LINK, s->ns->name, a.name, NULL, 0, ret);
	}
	if ((ret = made_link(job, s->ns, k->a.ifname, 0, k->a.kind == NSC_LAB_END_BRIDGE ?
			     k->a.bridge->name : NULL, e)) < 0)
		return ret;
	return made_link(job, s->peer_ns, k->b.ifname, 0, k->b.kind == NSC_LAB_END_BRIDGE ?
			 k->b.bridge->name : NULL, e);
}

/* Made in this host's namespace over the underlay (where its UDP socket
 * stays), straight into the end's namespace. */
static int do_vxlan_add(struct lab_job *job, struct lab_step *s, struct nsc_error *e)
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
	if ((ret = intend(job, REC_LINK, s->ns->name, a.name, NULL, NULL, e)) < 0)
		return ret;
	if ((ret = nsc_link_add(job->ctx, NULL, &a, e)) < 0)
		return unintend(job, REC_LINK, s->ns->name, a.name, NULL, 0, ret);
	return made_link(job, s->ns, a.name, 0, vx->end.kind == NSC_LAB_END_BRIDGE ?
			 vx->end.bridge->name : NULL, e);
}

static int do_link_set(struct lab_job *job, struct lab_step *s, struct nsc_error *e)
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
	return nsc_link_index_change(job->ctx, s->ns->name, s->ifindex, &set, e);
}

/* Forget the records of link IFNAME in NETNS and of what was on it. */
static int drop_link_recs(struct lab_job *job, const char *netns, const char *ifname,
			  struct nsc_error *e)
{
	struct lab_state *st = &job->st;

	for (size_t i = 0; i < st->n; i++) {
		struct lab_rec *r = &st->v[i];
		int ret;

		if (!r->dead && r->dev && !strcmp(r->netns, netns) && !strcmp(r->dev, ifname) &&
		    (r->type == REC_LINK || r->type == REC_ADDR || r->type == REC_NEIGH) &&
		    (ret = lab_rec_drop(st, r, e)) < 0)
			return ret;
	}
	return 0;
}

static int do_link_del(struct lab_job *job, struct lab_step *s, struct nsc_error *e)
{
	int ret = nsc_link_del_index(job->ctx, s->ns->name, s->ifindex, e);

	/* gone already (its peer went first): just as good */
	if (ret == -ENODEV)
		ret = 0;
	if (ret == 0)
		ret = drop_link_recs(job, s->ns->name, s->ifname, e);
	if (ret == 0 && s->peer_ns)
		ret = drop_link_recs(job, s->peer_ns->name, s->peer_if, e);
	return ret;
}

static int do_addr(struct lab_job *job, struct lab_step *s, struct nsc_error *e)
{
	struct nsc_addr_req r = { .dev = s->ifname, .scope = -1 };
	struct lab_rec *rec;
	char key[LAB_ADDRSTR];
	uint64_t id[3] = { 0 };
	int ret;

	r.local = s->prefix;
	if (s->op == OP_ADDR_DEL || s->op == OP_ADDR_REPLACE) {
		if (s->op == OP_ADDR_REPLACE)
			r.local.len = s->old_len;
		if ((ret = nsc_addr_del(job->ctx, s->ns->name, &r, e)) < 0)
			return ret;
		nsc_prefix_str(&r.local, r.local.len, key, sizeof(key));
		rec = lab_rec_find(&job->st, REC_ADDR, s->ns->name, s->ifname, key, 0);
		if (rec && (ret = lab_rec_drop(&job->st, rec, e)) < 0)
			return ret;
		if (s->op == OP_ADDR_DEL)
			return 0;
		r.local = s->prefix;
	}
	/* usable at once: no duplicate address detection (the file has none) */
	if (r.local.family == AF_INET6)
		r.flags = IFA_F_NODAD;
	nsc_prefix_str(&s->prefix, s->prefix.len, key, sizeof(key));
	if ((ret = intend(job, REC_ADDR, s->ns->name, s->ifname, key, NULL, e)) < 0)
		return ret;
	if ((ret = nsc_addr_add(job->ctx, s->ns->name, &r, e)) < 0)
		return unintend(job, REC_ADDR, s->ns->name, s->ifname, key, 0, ret);
	return lab_rec_put(&job->st, REC_ADDR, s->ns->name, s->ifname, key, id, e);
}

static int do_route(struct lab_job *job, struct lab_step *s, struct nsc_error *e)
{
	char key[LAB_ADDRSTR];
	uint64_t id[3] = { 0 };
	int ret;

	if (s->op == OP_ROUTE_DEL) {
		ret = lab_route_del(job->ctx, s->ns->name, &s->old_route, e);
		if (ret == 0 && s->rec >= 0)
			ret = lab_rec_drop(&job->st, &job->st.v[s->rec], e);
		return ret;
	}
	id[0] = s->route->has_metric ? s->route->metric :
		s->route->to.family == AF_INET6 ? 1024 : 0;
	nsc_prefix_str(&s->route->to, s->route->to.len, key, sizeof(key));
	/* a route replaced is the lab's already when recorded */
	if (!lab_rec_find(&job->st, REC_ROUTE, s->ns->name, NULL, key, id[0]) &&
	    (ret = intend(job, REC_ROUTE, s->ns->name, NULL, key, id, e)) < 0)
		return ret;
	ret = lab_route_add(job->ctx, s->ns->name, s->route, s->op == OP_ROUTE_REPLACE, e);
	if (ret < 0)
		return unintend(job, REC_ROUTE, s->ns->name, NULL, key, id[0], ret);
	return lab_rec_put(&job->st, REC_ROUTE, s->ns->name, NULL, key, id, e);
}

static int do_neigh(struct lab_job *job, struct lab_step *s, struct nsc_error *e)
{
	char key[LAB_ADDRSTR];
	uint64_t id[3] = { 0 };
	int ret;

	if (s->op == OP_NEIGH_DEL) {
		ret = lab_neigh_del(job->ctx, s->ns->name, s->ifname, &s->old_neigh.dst, e);
		if (ret == 0 && s->rec >= 0)
			ret = lab_rec_drop(&job->st, &job->st.v[s->rec], e);
		return ret;
	}
	nsc_prefix_str(&s->neigh->address, -1, key, sizeof(key));
	if (!lab_rec_find(&job->st, REC_NEIGH, s->ns->name, s->neigh->dev, key, 0) &&
	    (ret = intend(job, REC_NEIGH, s->ns->name, s->neigh->dev, key, NULL, e)) < 0)
		return ret;
	if ((ret = lab_neigh_set(job->ctx, s->ns->name, s->neigh, e)) < 0)
		return unintend(job, REC_NEIGH, s->ns->name, s->neigh->dev, key, 0, ret);
	return lab_rec_put(&job->st, REC_NEIGH, s->ns->name, s->neigh->dev, key, id, e);
}

static int do_exec(struct lab_job *job, struct lab_step *s, struct nsc_error *e)
{
	uint64_t id[3] = { 0 };
	char hex[20];
	int ret;

	if ((ret = lab_exec_node(job->ctx, job->lab, s->node, job->opts.exec_stdout,
				 job->st.dfd, e)) < 0)
		return ret;
	snprintf(hex, sizeof(hex), "%016" PRIx64, s->exec_hash);
	return lab_rec_put(&job->st, REC_EXEC, s->ns->name, NULL, hex, id, e);
}

/*
 * The nodes' hosts files, all at once from the first of their steps (they
 * are consecutive: one phase, nothing else in it when apply runs): each
 * intended (a kill after is settled by recover.c from the file's marker)
 * and staged, one sync for all, then each renamed into place and recorded.
 */
static int do_hosts(struct lab_job *job, struct lab_step *s, struct nsc_error *e)
{
	struct lab_hosts_id *ids = NULL;
	const char **names = NULL;
	char key[128];
	size_t n = 0;
	int ret = 0;

	if (s != job->steps && s[-1].op == OP_HOSTS)
		return 0;
	while (s + n < job->steps + job->n_steps && s[n].op == OP_HOSTS)
		n++;
	if (!(names = calloc(n, sizeof(*names))) || !(ids = calloc(n, sizeof(*ids))) ||
	    (!job->hosts_body && lab_hosts_body(job->lab, &job->hosts_body) < 0)) {
		free(names);
		free(ids);
		return nsc_err(e, ENOMEM, "hosts files");
	}
	for (size_t i = 0; i < n && ret == 0; i++) {
		char *text = NULL;

		names[i] = s[i].ns->name;
		if (lab_hosts_text(job->lab, s[i].node, job->hosts_body, &text) < 0)
			ret = nsc_err(e, ENOMEM, "hosts file of \"%s\"", names[i]);
		else if ((ret = intend(job, REC_HOSTS, names[i], NULL, "hosts", NULL, e)) == 0)
			ret = lab_hosts_stage(names[i], text, &ids[i], e);
		free(text);
	}
	if (ret == 0)
		ret = lab_hosts_commit(names, n, ids, e);
	/* with the file's identity: a no-op stats it, reads it no more */
	for (size_t i = 0; i < n && ret == 0; i++)
		ret = lab_rec_put(&job->st, REC_HOSTS, names[i], NULL,
				  lab_hosts_key(&ids[i], key, sizeof(key)), no_id, e);
	free(names);
	free(ids);
	return ret;
}

static int do_hosts_del(struct lab_job *job, struct lab_step *s, struct nsc_error *e)
{
	int ret = lab_hosts_remove(job->lab->name, s->ns->name, e);

	return ret < 0 || s->rec < 0 ? ret : lab_rec_drop(&job->st, &job->st.v[s->rec], e);
}

/* A node's UTS namespace (defaults.hostname): intent first. */
static int do_uts(struct lab_job *job, struct lab_step *s, struct nsc_error *e)
{
	int ret;

	if (s->op == OP_UTS_DEL) {
		ret = lab_uts_remove(job->st.dfd, s->item.object, e);
		return ret < 0 || s->rec < 0 ? ret : lab_rec_drop(&job->st, &job->st.v[s->rec], e);
	}
	if ((ret = intend(job, REC_UTS, s->ns->name, NULL, "uts", NULL, e)) < 0)
		return ret;
	if ((ret = lab_uts_make(job->st.dfd, s->node->name, e)) < 0)
		return unintend(job, REC_UTS, s->ns->name, NULL, "uts", 0, ret);
	return lab_rec_put(&job->st, REC_UTS, s->ns->name, NULL, "uts", no_id, e);
}

static int do_step(struct lab_job *job, struct lab_step *s, struct nsc_error *e)
{
	switch (s->op) {
	case OP_NS_ADD: return lab_ns_make(job, job->ctx, s, NULL, e);
	case OP_NS_DEL: return do_ns_del(job, s, e);
	case OP_BRIDGE_ADD: return do_bridge_add(job, s, e);
	case OP_VXLAN_ADD: return do_vxlan_add(job, s, e);
	case OP_VETH_ADD: return do_veth_add(job, s, e);
	case OP_LINK_SET: return do_link_set(job, s, e);
	case OP_LINK_DEL: return do_link_del(job, s, e);
	case OP_ADDR_ADD:
	case OP_ADDR_REPLACE:
	case OP_ADDR_DEL: return do_addr(job, s, e);
	case OP_ROUTE_ADD:
	case OP_ROUTE_REPLACE:
	case OP_ROUTE_DEL: return do_route(job, s, e);
	case OP_NEIGH_SET:
	case OP_NEIGH_DEL: return do_neigh(job, s, e);
	case OP_EXEC: return do_exec(job, s, e);
	case OP_HOSTS: return do_hosts(job, s, e);
	case OP_HOSTS_DEL: return do_hosts_del(job, s, e);
	case OP_UTS:
	case OP_UTS_DEL: return do_uts(job, s, e);
	case OP_SERVICE:
		/* one reload does them all: the first of them (steps are in phase order) */
		if (s != job->steps && s[-1].op == OP_SERVICE)
			return 0;
		return lab_svc_sync(job->ctx, job->lab, job->st.dfd, e);
	case OP_IMPAIR:
		return lab_impair_apply(job->ctx, s->ns->name, s->ifname, &s->end->impair, e);
	default: return 0;
	}
}

/* Sysctl steps next to each other go in one thread: [*i, end). */
static int do_sysctls(struct lab_job *job, size_t *i, size_t *failed, struct nsc_error *e)
{
	size_t start = *i, end = start, n;
	struct lab_sysctl_job *jobs;
	int ret;

	while (end < job->n_steps && job->steps[end].op == OP_SYSCTL)
		end++;
	n = end - start;
	jobs = calloc(n, sizeof(*jobs));
	if (!jobs)
		return nsc_err(e, ENOMEM, "sysctl");
	for (size_t k = 0; k < n; k++) {
		const struct lab_step *s = &job->steps[start + k];

		jobs[k] = (struct lab_sysctl_job){ .ns = s->ns, .name = s->sysctl_name,
						    .value = s->sysctl_value };
	}
	*failed = start;
	ret = lab_sysctl_run(job->ctx, jobs, n, e);
	for (size_t k = 0; k < n && ret == 0; k++) {
		if (jobs[k].err) {
			*failed = start + k;
			ret = nsc_err_text(e, jobs[k].err, "%s", strerror(jobs[k].err));
			break;
		}
		job->steps[start + k].item.done = true;
	}
	free(jobs);
	*i = end;
	return ret;
}

/* Forget records of what is no longer there (observed, so it is known). */
static int tidy_records(struct lab_job *job, struct nsc_error *e)
{
	struct lab_state *st = &job->st;
	int ret = 0;

	for (size_t i = 0; i < st->n && ret == 0; i++) {
		struct lab_rec *r = &st->v[i];
		struct lab_ns *ns = lab_job_ns(job, r->netns);
		struct lab_link *l;

		if (r->dead)
			continue;
		if (!ns || ns->state != NS_PRESENT || !ns->ours) {
			ret = lab_rec_drop(st, r, e);
			continue;
		}
		/* what was not looked at may well be there */
		if (!(ns->observed & OBS_ALL_LINKS))
			continue;
		switch (r->type) {
		case REC_LINK:
			l = lab_ns_link(ns, r->dev);
			if (!l || (uint64_t)l->l.ifindex != r->id[0] || !lab_link_marked(l, job->marker))
				ret = lab_rec_drop(st, r, e);
			break;
		case REC_ADDR:
		case REC_NEIGH:
			/* went with its link */
			l = lab_ns_link(ns, r->dev);
			if (!l)
				ret = lab_rec_drop(st, r, e);
			break;
		case REC_ROUTE:
			/* kept while unseen: --prune and diff look */
			break;
		default:
			break;
		}
	}
	return ret;
}

/* The first step in the way, and how many more. */
static int blocked_error(struct lab_job *job, struct nsc_error *e)
{
	const struct nsc_lab_item *it = NULL;
	size_t more = 0;

	for (size_t i = 0; i < job->n_steps; i++) {
		if (!job->steps[i].blocking)
			continue;
		if (it)
			more++;
		else
			it = &job->steps[i].item;
	}
	if (it->kind == NSC_LAB_NETNS)
		nsc_err_text(e, EEXIST, "namespace \"%s\" exists, %s: lab \"%s\" does not take it "
			     "over", it->netns, it->have, job->lab->name);
	else if (it->kind == NSC_LAB_HOSTS)
		nsc_err_text(e, EEXIST, "hosts file \"%s\" exists, %s: lab \"%s\" does not "
			     "overwrite it", it->object, it->have, job->lab->name);
	else
		nsc_err_text(e, EEXIST, "%s \"%s\" exists in namespace \"%s\", %s: lab \"%s\" "
			     "does not take it over", it->kind == NSC_LAB_BRIDGE ? "bridge" : "link",
			     it->dev, it->netns, it->have, job->lab->name);
	if (more) {
		size_t len = strlen(e->msg);

		snprintf(e->msg + len, sizeof(e->msg) - len, " (and %zu more: see lab diff)", more);
	}
	if (it->pos.line)
		nsc_lab_err_at(job->lab, it->pos, e);
	return -EEXIST;
}

static int ready_cmds(struct lab_job *job, struct nsc_lab_report *report, struct nsc_error *e)
{
	const struct nsc_lab *lab = job->lab;

	if (!report || !job->need_ready)
		return 0;
	report->ready_cmd = calloc(lab->n_ready, sizeof(*report->ready_cmd));
	if (!report->ready_cmd)
		return nsc_err(e, ENOMEM, "lab \"%s\"", lab->name);
	for (size_t i = 0; i < lab->n_ready; i++) {
		if (lab_ready_cmd(&lab->ready[i], &report->ready_cmd[i]) < 0)
			return nsc_err(e, ENOMEM, "lab \"%s\"", lab->name);
		report->n_ready_cmd++;
	}
	return 0;
}

/* How many namespace steps to act on follow from step i on. */
static size_t ns_run(const struct lab_job *job, size_t i)
{
	size_t end = i;

	while (end < job->n_steps && job->steps[end].op == OP_NS_ADD &&
	       job->steps[end].item.action)
		end++;
	return end - i;
}

static int execute(struct lab_job *job, struct nsc_error *e)
{
	size_t step_no = 0;
	char words[512];
	int ret = 0;

	for (size_t i = 0; i < job->n_steps;) {
		struct lab_step *s = &job->steps[i];
		size_t failed = i;

		if (!s->item.action) {
			i++;
			continue;
		}
		/* namespaces at once: a run of them (the plan puts them together) */
		if (s->op == OP_NS_ADD && job->opts.jobs > 1 && ns_run(job, i) > 1) {
			size_t start = i, end = i + ns_run(job, i);

			ret = lab_ns_make_many(job, start, end, job->opts.jobs, &failed, e);
			if (ret < 0) {
				step_no += failed - start + 1;
				break;
			}
			step_no += end - start;
			i = end;
			continue;
		}
		if (s->op == OP_SYSCTL) {
			size_t start = i;

			ret = do_sysctls(job, &i, &failed, e);
			if (ret < 0) {
				s = &job->steps[failed];
				step_no += failed - start + 1;
				break;
			}
			step_no += i - start;
			continue;
		}
		step_no++;
		if ((ret = do_step(job, s, e)) < 0)
			break;
		s->item.done = true;
		i++;
	}
	if (ret == 0)
		return 0;
	/* name the step, and where the file has it */
	for (size_t i = 0; i < job->n_steps; i++) {
		struct lab_step *s = &job->steps[i];

		if (s->item.action && !s->item.done) {
			if (s->op == OP_EXEC || s->op == OP_SERVICE)
				return ret;     /* cites the command or service already */
			step_words(s, words, sizeof(words));
			nsc_err_prefix(e, "%s (step %zu of %zu)", words, step_no, job->n_actions);
			if (s->item.pos.line)
				nsc_lab_err_at(job->lab, s->item.pos, e);
			return ret;
		}
	}
	return ret;
}

int nsc_lab_apply(struct nsc_ctx *ctx, const struct nsc_lab *lab,
		  const struct nsc_lab_opts *opts, struct nsc_lab_report *report,
		  struct nsc_error *e)
{
	bool dry = opts && opts->dry_run, prune = opts && opts->prune;
	struct lab_job job;
	int ret, ret2;

	ret = lab_job_open(&job, ctx, lab, opts, !dry, prune, e);
	if (ret < 0)
		goto cleanup;
	if ((ret = lab_plan(&job, e)) < 0)
		goto cleanup;
	if (job.blocked) {
		ret = blocked_error(&job, e);
		lab_job_report(&job, report, e);
		goto cleanup;
	}
	if (dry || (!job.n_actions && !job.need_ready && job.st.complete && job.st.found)) {
		if ((ret = lab_job_report(&job, report, e)) == 0 && dry)
			ret = ready_cmds(&job, report, e);
		goto cleanup;
	}
	if ((ret = lab_state_begin(&job.st, lab, e)) < 0 ||
	    (ret = tidy_records(&job, e)) < 0)
		goto cleanup;
	ret = execute(&job, e);
	if (ret == 0 && job.need_ready) {
		ret = lab_ready_wait(ctx, lab, job.st.dfd, e);
		if (ret == 0 && report)
			report->ready_run = true;
	}
	/* what was made stays recorded, finished or not */
	if ((ret2 = lab_state_commit(&job.st, ret == 0, ret == 0 ? e : NULL)) < 0 && ret == 0)
		ret = ret2;
	if (report) {
		bool ready = report->ready_run;
		struct nsc_error ignore = { 0 };

		lab_job_report(&job, report, ret == 0 ? e : &ignore);
		report->ready_run = ready;
		report->holders = job.holders;
	}
cleanup:
	lab_job_close(&job);
	return ret;
}
