// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The plan's hosts files (lab/hosts.h): each node of the file gets one that
 * says what lab_hosts_text() says; a recorded one whose node is gone from
 * the file is an extra (removed with --prune). A file there without the
 * lab's marker line is someone else's: it blocks the apply ("in the way"),
 * never overwritten. A marked one is the lab's even with no record: /etc
 * outlives the state under /run across a reboot, and the marker names the
 * lab.
 *
 * Also each node's UTS namespace when the lab has defaults.hostname
 * (lab/uts.h): made when not mounted in the lab's dir; recorded ones the
 * file no longer wants are extras. The hostname inside is the lab's to
 * keep; it is not read back.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <netnsctl/exec.h>

#include "lab/hosts.h"
#include "lab/plan.h"
#include "lab/uts.h"

static struct lab_step *hosts_step(struct lab_job *job, enum lab_op op, enum lab_phase phase,
				   enum nsc_lab_change change, struct lab_ns *ns,
				   struct nsc_lab_pos pos)
{
	struct lab_step *s = lab_step_new(job, op, phase, NSC_LAB_HOSTS, change, ns, NULL, pos);

	if (s)
		s->item.object = lab_job_fmt(job, "%s/%s/hosts", nsc_etc_netns_dir(), ns->name);
	return s;
}

/* NODE's hosts file, in DFD (-1: no directory yet); DIR_ERR: the directory
 * could not be opened (every node's file is then in the way, with why). */
static void plan_node(struct lab_job *job, int dfd, const struct nsc_error *dir_err,
		      const struct nsc_lab_node *node)
{
	struct lab_ns *ns = lab_node_ns(job, node);
	struct nsc_error err = { 0 };
	enum lab_hosts_have have;
	char *want = NULL, *text = NULL;
	struct lab_step *s;

	if (ns->state != NS_ABSENT && !lab_ns_usable(ns))
		return;                 /* the namespace is in the way: said already */
	if (lab_hosts_text(job->lab, node, job->hosts_body, &want) < 0) {
		job->nomem = true;
		return;
	}
	if (dir_err ||
	    lab_hosts_read_at(dfd, job->lab->name, ns->name, &have, &text, &err) < 0) {
		s = hosts_step(job, OP_NONE, PH_HOSTS, NSC_LAB_FOREIGN, ns, node->pos);
		if (s) {
			s->blocking = true;
			s->item.have = lab_job_dup(job, dir_err ? dir_err->msg : err.msg);
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

/* The node's name in namespace NETNS ("LAB.NODE") */
static const char *node_of(const struct lab_job *job, const char *netns)
{
	return netns + strlen(job->lab->name) + 1;
}

static void plan_uts(struct lab_job *job)
{
	const struct nsc_lab *lab = job->lab;
	struct lab_step *s;

	for (size_t i = 0; i < lab->n_nodes && lab->hostname; i++) {
		const struct nsc_lab_node *node = &lab->nodes[i];
		struct lab_ns *ns = lab_node_ns(job, node);
		enum lab_uts_have have = job->st.dfd >= 0 ? lab_uts_probe(job->st.dfd, node->name)
							  : UTS_ABSENT;

		if (have == UTS_PRESENT)
			continue;
		s = lab_step_new(job, OP_UTS, PH_NS, NSC_LAB_HOSTNAME, NSC_LAB_MISSING, ns, NULL,
				 node->pos);
		if (s) {
			s->node = node;
			s->item.object = lab_job_dup(job, node->name);
		}
	}
	for (size_t i = 0; i < job->st.n; i++) {
		struct lab_rec *r = &job->st.v[i];
		struct lab_ns *ns;

		if (r->dead || r->type != REC_UTS)
			continue;
		ns = lab_job_ns(job, r->netns);
		if (!ns || (ns->node && lab->hostname))
			continue;
		s = lab_step_new(job, job->opts.prune ? OP_UTS_DEL : OP_NONE, PH_DEL_NS,
				 NSC_LAB_HOSTNAME, NSC_LAB_EXTRA, ns, NULL, (struct nsc_lab_pos){ 0, 0 });
		if (!s)
			continue;       /* out of memory: job->nomem says so */
		s->item.object = lab_job_dup(job, node_of(job, r->netns));
		lab_step_recorded(job, s, r);
	}
}

void lab_plan_hosts(struct lab_job *job)
{
	const struct nsc_lab *lab = job->lab;

	struct nsc_error err = { 0 };
	int dfd = -1, ret;

	plan_uts(job);
	if (!lab_hosts_possible())
		return;
	if (lab_hosts_body(lab, &job->hosts_body) < 0) {
		job->nomem = true;
		return;
	}
	/* the directory once for all nodes (a no-op apply of 100 nodes) */
	ret = lab_hosts_dir(&dfd, &err);
	for (size_t i = 0; i < lab->n_nodes; i++)
		plan_node(job, dfd, ret < 0 ? &err : NULL, &lab->nodes[i]);
	if (dfd >= 0)
		close(dfd);
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
		if (s)
			lab_step_recorded(job, s, r);
	}
}
