// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * diff and show: jobs that change nothing. diff plans as apply would and
 * hands over every difference; show asks only what exists of the file's
 * namespaces and links, and whether they are the lab's.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lab/plan.h"

int nsc_lab_diff(struct nsc_ctx *ctx, const struct nsc_lab *lab,
		 const struct nsc_lab_opts *opts, struct nsc_lab_report *report,
		 struct nsc_error *e)
{
	struct lab_job job;
	int ret;

	if ((ret = lab_job_open(&job, ctx, lab, opts, false, true, e)) < 0 ||
	    (ret = lab_plan(&job, e)) < 0)
		goto cleanup;
	ret = lab_job_report(&job, report, e);
cleanup:
	lab_job_close(&job);
	return ret;
}

/* ---- what exists, for show ---- */

static enum nsc_lab_presence link_presence(struct lab_job *job, struct lab_ns *ns,
					   const char *ifname)
{
	struct lab_link *l;

	if (ns->state == NS_ABSENT)
		return NSC_LAB_ABSENT;
	if (!lab_ns_usable(ns))
		return NSC_LAB_NOT_OURS;
	l = lab_ns_link(ns, ifname);
	if (!l)
		return NSC_LAB_ABSENT;
	return lab_link_ours(job, ns, l) ? NSC_LAB_PRESENT : NSC_LAB_NOT_OURS;
}

static enum nsc_lab_presence ns_presence(const struct lab_ns *ns)
{
	if (ns->state == NS_ABSENT)
		return NSC_LAB_ABSENT;
	return ns->ours ? NSC_LAB_PRESENT : NSC_LAB_NOT_OURS;
}

void nsc_lab_status_free(struct nsc_lab_status *st)
{
	free(st->nodes);
	free(st->bridges);
	free(st->ends);
	memset(st, 0, sizeof(*st));
}

int nsc_lab_status(struct nsc_ctx *ctx, const struct nsc_lab *lab,
		   const struct nsc_lab_opts *opts, struct nsc_lab_status *st,
		   struct nsc_error *e)
{
	struct lab_job job;
	int ret;

	memset(st, 0, sizeof(*st));
	ret = lab_job_open(&job, ctx, lab, opts, false, false, e);
	if (ret < 0)
		goto cleanup;
	st->nodes = calloc(lab->n_nodes + 1, sizeof(*st->nodes));
	st->bridges = calloc(lab->n_bridges + 1, sizeof(*st->bridges));
	st->ends = calloc(lab->n_links + 1, sizeof(*st->ends));
	if (!st->nodes || !st->bridges || !st->ends) {
		nsc_lab_status_free(st);
		ret = nsc_err(e, ENOMEM, "lab \"%s\"", lab->name);
		goto cleanup;
	}
	for (size_t i = 0; i < lab->n_nodes; i++)
		st->nodes[i] = ns_presence(&job.ns[i]);
	st->switch_ns = ns_presence(&job.ns[lab->n_nodes]);
	for (size_t i = 0; i < lab->n_bridges; i++)
		st->bridges[i] = link_presence(&job, &job.ns[lab->n_nodes],
					       lab->bridges[i].name);
	for (size_t i = 0; i < lab->n_links; i++) {
		st->ends[i][0] = link_presence(&job, lab_end_ns(&job, &lab->links[i].a),
					       lab->links[i].a.ifname);
		st->ends[i][1] = link_presence(&job, lab_end_ns(&job, &lab->links[i].b),
					       lab->links[i].b.ifname);
	}
cleanup:
	lab_job_close(&job);
	return ret;
}
