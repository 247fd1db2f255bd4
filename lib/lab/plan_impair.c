// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The plan's impairments: what each link end sends (its root qdisc) against
 * what the file wants. An impairment belongs to its link: made with it,
 * changed in place when the file or someone with tc changed it (a runtime
 * `lab impair` too: the file is what apply restores), and gone with the link
 * when destroy removes it. Nothing to record: the link is.
 *
 * The qdiscs come with the job's dumps (OBS_QDISCS, job.c): when the file
 * has impairments, and for diff and --prune; a plain apply of a lab without
 * any does not look, so an impairment added from outside stays until then.
 */
#include <errno.h>
#include <string.h>

#include <netnsctl/qdisc.h>

#include "lab/model.h"
#include "lab/plan.h"

/* The root qdisc of ifindex in ns: 1 and *q, 0 the kernel's default. */
static int root_of(const struct lab_ns *ns, int ifindex, struct nsc_qdisc *q)
{
	for (size_t i = 0; i < ns->n_qdiscs; i++)
		if (ns->qdiscs[i].ifindex == ifindex) {
			*q = ns->qdiscs[i];
			return 1;
		}
	return 0;
}

/* The impairment on an end, as text: "none", tc's words, or the qdisc's kind. */
static char *have_str(struct lab_job *job, int found, const struct nsc_qdisc *q)
{
	char buf[256];

	if (found <= 0)
		return lab_job_dup(job, found < 0 ? NULL : "none");
	if (!q->tbf && !q->netem)
		return lab_job_fmt(job, "qdisc %s", q->kind);
	return lab_job_dup(job, nsc_impair_str(&q->im, buf, sizeof(buf)));
}

static void plan_end(struct lab_job *job, const struct nsc_lab_link *k,
		     const struct nsc_lab_end *end)
{
	struct lab_ns *ns = lab_end_ns(job, end);
	struct lab_link *l = lab_ns_usable(ns) ? lab_ns_link(ns, end->ifname) : NULL;
	struct nsc_impair want;
	struct nsc_qdisc q = { 0 };
	struct lab_step *s;
	char buf[256];
	int found = 0;

	nsc_impair_resolve(&end->impair, &want);
	/* an end there and staying: what does it send? (others are made now,
	 * or in the way and said so by the link's plan) */
	if (l && !l->doomed && lab_link_ours(job, ns, l)) {
		if (!(ns->observed & OBS_QDISCS))
			return;
		found = root_of(ns, l->l.ifindex, &q);
		if (found > 0 && (q.tbf || q.netem) && end->impair.set &&
		    nsc_impair_same(&want, &q.im))
			return;
		if (found == 0 && !end->impair.set)
			return;
	} else if (!end->impair.set || (l && !l->doomed)) {
		return;
	}
	s = lab_step_new(job, OP_IMPAIR, PH_LINK_SET, NSC_LAB_LINK, NSC_LAB_DIFFERS, ns,
			 end->ifname, end->impair.set ? end->impair_pos : k->pos);
	if (!s)
		return;
	s->ifname = s->item.dev;
	s->end = end;
	s->link = k;
	s->item.attr = lab_job_dup(job, "impair");
	s->item.have = have_str(job, l && !l->doomed ? found : 0, &q);
	s->item.want = end->impair.set ? lab_job_dup(job, nsc_impair_str(&end->impair, buf,
									 sizeof(buf)))
				       : lab_job_dup(job, "none");
}

int lab_plan_impairs(struct lab_job *job, struct nsc_error *e)
{
	const struct nsc_lab *lab = job->lab;
	const struct lab_step *netem = NULL;
	int ret;

	for (size_t i = 0; i < lab->n_links; i++) {
		plan_end(job, &lab->links[i], &lab->links[i].a);
		plan_end(job, &lab->links[i], &lab->links[i].b);
	}
	for (size_t i = 0; i < job->n_steps && !netem; i++) {
		const struct lab_step *s = &job->steps[i];

		if (s->op == OP_IMPAIR && nsc_impair_needs_netem(&s->end->impair))
			netem = s;
	}
	/* apply (and its dry run) stop here, before any change, when the
	 * kernel cannot do what the file asks; diff reports the difference */
	if (!netem || (!job->st.writable && !job->opts.dry_run))
		return 0;
	ret = nsc_qdisc_kind_known(job->ctx, NULL, "netem", e);
	if (ret < 0)
		return ret;
	if (ret == 0) {
		char w[300];

		snprintf(w, sizeof(w), "%s %s", netem->ns->name, netem->ifname);
		nsc_impair_no_netem(e, w);
		return nsc_lab_err_at(lab, netem->end->impair_pos, e);
	}
	return 0;
}
