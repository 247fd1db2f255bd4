// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The plan's hosts files (lab/hosts.h): each node of the file gets one that
 * says what lab_hosts_text() says; a recorded one whose node is gone from
 * the file is an extra (removed with --prune). A file there without the
 * lab's marker line is someone else's: it blocks the apply ("in the way"),
 * never overwritten. A marked one is the lab's even with no record: /etc
 * outlives the state under /run across a reboot, and the marker names the
 * lab.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <netnsctl/exec.h>

#include "lab/hosts.h"
#include "lab/plan.h"

static struct lab_step *hosts_step(struct lab_job *job, enum lab_op op, enum lab_phase phase,
				   enum nsc_lab_change change, struct lab_ns *ns,
				   struct nsc_lab_pos pos)
{
	struct lab_step *s = lab_step_new(job, op, phase, NSC_LAB_HOSTS, change, ns, NULL, pos);

	if (s)
		s->item.object = lab_job_fmt(job, "%s/%s/hosts", nsc_etc_netns_dir(), ns->name);
	return s;
}

static void plan_node(struct lab_job *job, const struct nsc_lab_node *node)
{
	struct lab_ns *ns = lab_node_ns(job, node);
	struct nsc_error err = { 0 };
	enum lab_hosts_have have;
	char *want = NULL, *text = NULL;
	struct lab_step *s;

	if (ns->state != NS_ABSENT && !lab_ns_usable(ns))
		return;                 /* the namespace is in the way: said already */
	if (lab_hosts_text(job->lab, node, &want) < 0) {
		job->nomem = true;
		return;
	}
	if (lab_hosts_read(job->lab->name, ns->name, &have, &text, &err) < 0) {
		s = hosts_step(job, OP_NONE, PH_HOSTS, NSC_LAB_FOREIGN, ns, node->pos);
		if (s) {
			s->blocking = true;
			s->item.have = lab_job_dup(job, err.msg);
		}
	} else if (have == HOSTS_ABSENT) {
		s = hosts_step(job, OP_HOSTS, PH_HOSTS, NSC_LAB_MISSING, ns, node->pos);
		if (s)
			s->node = node;
	} else if (have == HOSTS_OTHER) {
		s = hosts_step(job, OP_NONE, PH_HOSTS, NSC_LAB_FOREIGN, ns, node->pos);
		if (s) {
			s->blocking = true;
			s->item.have = lab_job_dup(job, "not written by the lab (no marker line)");
		}
	} else if (strcmp(text, want)) {
		s = hosts_step(job, OP_HOSTS, PH_HOSTS, NSC_LAB_DIFFERS, ns, node->pos);
		if (s) {
			s->node = node;
			lab_step_differs(job, s, "content", "other names", "the lab's");
		}
	}
	free(text);
	free(want);
}

void lab_plan_hosts(struct lab_job *job)
{
	const struct nsc_lab *lab = job->lab;

	if (!lab_hosts_possible())
		return;
	for (size_t i = 0; i < lab->n_nodes; i++)
		plan_node(job, &lab->nodes[i]);
	/* recorded for a namespace that is no node of the file any more */
	for (size_t i = 0; i < job->st.n; i++) {
		struct lab_rec *r = &job->st.v[i];
		struct lab_ns *ns;
		struct lab_step *s;

		if (r->dead || r->type != REC_HOSTS)
			continue;
		ns = lab_job_ns(job, r->netns);
		if (!ns || ns->node)    /* (job.c lists every recorded one) */
			continue;
		s = hosts_step(job, job->opts.prune ? OP_HOSTS_DEL : OP_NONE, PH_DEL_INSIDE,
			       NSC_LAB_EXTRA, ns, (struct nsc_lab_pos){ 0, 0 });
		lab_step_recorded(job, s, r);
	}
}
