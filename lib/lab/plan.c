// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The plan: the lab file against the system (as the job saw it, with one
 * dump per kind per namespace) and the lab's records. Each difference is a
 * step; a step apply can act on carries what it needs and the netnsctl
 * batch lines that would do the same. diff lists the steps, apply
 * --dry-run prints their lines, apply carries them out in phase order.
 *
 * Ownership decides what may be touched: a namespace is the lab's when it
 * is recorded with the same inode and cookie, a link when it is recorded
 * with the same ifindex and carries the marker. Anything else with a name
 * the file wants blocks the apply before anything changes.
 *
 * Namespaces, sysctls and exec commands are planned here; links in
 * plan_link.c; addresses, routes and neighbours in plan_ip.c.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lab/model.h"
#include "lab/plan.h"
#include "lab/svc.h"

/* The hash of a node's exec commands, 0 when it has none. */
static uint64_t exec_hash(const struct nsc_lab_node *node)
{
	uint64_t h = LAB_HASH_INIT;

	if (!node->n_exec)
		return 0;
	for (size_t i = 0; i < node->n_exec; i++)
		h = lab_hash(node->exec[i].cmd, strlen(node->exec[i].cmd) + 1, h);
	return h ? h : 1;
}

/* Per-interface sysctl (net.ipv4.conf.IF.x and the like): set once links exist. */
static bool sysctl_late(const char *name)
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

/* ---- namespaces ---- */

/* Why a namespace with one of the lab's names is not the lab's. */
static const char *foreign_ns(const struct lab_job *job, const struct lab_ns *ns,
			      const struct lab_rec *rec)
{
	if (ns->state == NS_STALE)
		return "a stale name (no namespace is mounted on it)";
	if (rec && job->st.stale)
		return "recorded in an earlier boot (see lab gc)";
	return rec ? "replaced since the lab made it" : "not made by the lab";
}

static void plan_namespaces(struct lab_job *job)
{
	const struct nsc_lab *lab = job->lab;

	for (size_t i = 0; i < job->n_ns; i++) {
		struct lab_ns *ns = &job->ns[i];
		struct nsc_lab_pos pos = ns->node ? ns->node->pos : lab->pos;
		struct lab_rec *rec = lab_rec_find(&job->st, REC_NS, ns->name, NULL, NULL, 0);
		struct lab_step *s;

		if (!ns->wanted && lab_ns_usable(ns)) {
			/* recorded, gone from the file */
			s = lab_step_new(job, job->opts.prune ? OP_NS_DEL : OP_NONE, PH_DEL_NS,
					 NSC_LAB_NETNS, NSC_LAB_EXTRA, ns, NULL,
					 (struct nsc_lab_pos){ 0, 0 });
			if (s) {
				s->item.have = lab_job_dup(job, "recorded");
				s->rec = rec ? rec - job->st.v : -1;
			}
			if (job->opts.prune)
				ns->doomed = true;
		} else if (ns->wanted && ns->state == NS_ABSENT) {
			lab_step_new(job, OP_NS_ADD, PH_NS, NSC_LAB_NETNS, NSC_LAB_MISSING, ns, NULL,
				     pos);
		} else if (ns->wanted && !ns->ours) {
			s = lab_step_new(job, OP_NONE, PH_NS, NSC_LAB_NETNS, NSC_LAB_FOREIGN, ns,
					 NULL, pos);
			if (s) {
				s->blocking = true;
				s->item.have = lab_job_dup(job, foreign_ns(job, ns, rec));
			}
		}
	}
}

/* ---- sysctls and exec ---- */

/* The node's sysctls, defaults first, a node's own winning. */
static void plan_sysctls(struct lab_job *job, const struct nsc_lab_node *node)
{
	const struct nsc_lab *lab = job->lab;
	struct lab_ns *ns = lab_node_ns(job, node);
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
		for (size_t k = 0; k < job->n_sysctls && !j; k++)
			if (job->sysctls[k].ns == ns && job->sysctls[k].name == sc->name)
				j = &job->sysctls[k];
		if (j && !j->err && lab_sysctl_same(j->have, sc->value))
			continue;
		s = lab_step_new(job, OP_SYSCTL,
				 sysctl_late(sc->name) ? PH_SYSCTL_LATE : PH_SYSCTL,
				 NSC_LAB_SYSCTL, j ? NSC_LAB_DIFFERS : NSC_LAB_MISSING, ns, NULL,
				 sc->pos);
		if (!s)
			return;
		s->item.object = lab_job_dup(job, sc->name);
		s->sysctl_name = sc->name;
		s->sysctl_value = sc->value;
		if (j)
			lab_step_differs(job, s, "value", j->err ? NULL : j->have, sc->value);
		else
			s->item.want = lab_job_dup(job, sc->value);
	}
}

static void plan_exec(struct lab_job *job, const struct nsc_lab_node *node)
{
	struct lab_ns *ns = lab_node_ns(job, node);
	uint64_t h = exec_hash(node);
	struct lab_rec *rec;
	struct lab_step *s;
	bool ran;
	char hex[20];

	if (!h)
		return;
	snprintf(hex, sizeof(hex), "%016" PRIx64, h);
	rec = lab_rec_find(&job->st, REC_EXEC, ns->name, NULL, NULL, 0);
	ran = lab_ns_usable(ns) && rec;         /* some commands, there */
	if (ran && !strcmp(rec->key, hex))
		return;
	s = lab_step_new(job, OP_EXEC, PH_EXEC, NSC_LAB_EXEC,
			 ran ? NSC_LAB_DIFFERS : NSC_LAB_MISSING, ns, NULL, node->exec[0].pos);
	if (!s)
		return;
	s->node = node;
	s->exec_hash = h;
	s->item.object = lab_job_fmt(job, "%zu command%s", node->n_exec,
				     node->n_exec == 1 ? "" : "s");
	if (ran)
		lab_step_differs(job, s, "commands", "other commands", "these");
}

/* ---- the whole plan ---- */

static int step_cmp(const void *a, const void *b)
{
	const struct lab_step *x = a, *y = b;

	if (x->phase != y->phase)
		return x->phase < y->phase ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

int lab_plan(struct lab_job *job, struct nsc_error *e)
{
	const struct nsc_lab *lab = job->lab;
	int ret;

	plan_namespaces(job);
	lab_plan_bridges(job);
	lab_plan_links(job);
	lab_plan_extra_links(job);
	if ((ret = lab_plan_impairs(job, e)) < 0)
		return ret;
	lab_plan_addrs(job);
	for (size_t i = 0; i < lab->n_nodes; i++) {
		struct lab_ns *ns = lab_node_ns(job, &lab->nodes[i]);

		if (ns->state != NS_ABSENT && !lab_ns_usable(ns))
			continue;
		lab_plan_node_ip(job, &lab->nodes[i]);
		plan_sysctls(job, &lab->nodes[i]);
		plan_exec(job, &lab->nodes[i]);
	}
	lab_plan_hosts(job);
	lab_plan_services(job);
	if (job->nomem)
		return nsc_err(e, ENOMEM, "lab \"%s\": plan", lab->name);
	if (job->n_steps)
		qsort(job->steps, job->n_steps, sizeof(*job->steps), step_cmp);
	for (size_t i = 0; i < job->n_steps; i++) {
		struct lab_step *s = &job->steps[i];

		if (s->blocking)
			job->blocked = true;
		if (!s->item.action)
			continue;
		job->n_actions++;
		if (job->cmds && (ret = lab_step_cmd(s, &s->item.cmd)) < 0)
			return nsc_err(e, -ret, "lab \"%s\": plan", lab->name);
	}
	job->need_ready = lab->n_ready && !job->opts.no_ready &&
			  (job->n_actions || !job->st.complete || job->opts.force_ready);
	return 0;
}
