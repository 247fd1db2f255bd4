// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The steps of a plan: each one made with its report item, whose strings
 * it owns until the report takes them. Running out of memory half-way
 * through a plan is noted (job->nomem) and said once, when the plan ends.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/util.h"
#include "lab/plan.h"

char *lab_job_fmt(struct lab_job *job, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0) {
		s = NULL;
		job->nomem = true;
	}
	va_end(ap);
	return s;
}

char *lab_job_dup(struct lab_job *job, const char *s)
{
	char *d;

	if (!s)
		return NULL;
	d = strdup(s);
	if (!d)
		job->nomem = true;
	return d;
}

struct lab_step *lab_step_new(struct lab_job *job, enum lab_op op, enum lab_phase phase,
			      enum nsc_lab_kind kind, enum nsc_lab_change change,
			      struct lab_ns *ns, const char *dev, struct nsc_lab_pos pos)
{
	struct lab_step *s;

	if (NSC_GROW(job->steps, job->cap_steps, job->n_steps + 1) < 0) {
		job->nomem = true;
		return NULL;
	}
	s = &job->steps[job->n_steps];
	*s = (struct lab_step){ .op = op, .phase = phase, .seq = job->n_steps++, .ns = ns,
				.rec = -1 };
	s->item.kind = kind;
	s->item.change = change;
	s->item.netns = lab_job_dup(job, ns->name);
	s->item.dev = lab_job_dup(job, dev);
	s->item.pos = pos;
	s->item.action = op != OP_NONE;
	return s;
}

void lab_step_differs(struct lab_job *job, struct lab_step *s, const char *attr,
		      const char *have, const char *want)
{
	s->item.attr = lab_job_dup(job, attr);
	s->item.have = lab_job_dup(job, have);
	s->item.want = lab_job_dup(job, want);
}

void lab_step_recorded(struct lab_job *job, struct lab_step *s, const struct lab_rec *rec)
{
	if (!rec)
		return;
	s->item.have = lab_job_dup(job, "recorded");
	s->rec = rec - job->st.v;
}
