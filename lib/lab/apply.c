// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * apply: carry out the plan (plan.c) in phase order, each step as
 * apply_step.c does it (intent recorded first), then run the ready checks
 * and write the state whole. With --jobs N, the run of steps that act
 * inside namespaces (making them, their links, addresses, routes,
 * neighbours, sysctls) goes to N workers at once (apply_par.c); what comes
 * before (removals) and after (hosts files, exec commands, services) runs
 * here, one step at a time. A failure names the first failing step in plan
 * order, however many workers ran.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lab/apply.h"
#include "lab/model.h"
#include "lab/ready.h"


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

/* Where the run of steps workers may take from step i on ends: steps that
 * are no action do not end it. */
static size_t par_run(const struct lab_job *job, size_t i, size_t *actions)
{
	size_t end = i;

	*actions = 0;
	for (; end < job->n_steps; end++) {
		const struct lab_step *s = &job->steps[end];

		if (s->item.action && !lab_par_step(s))
			break;
		*actions += s->item.action;
	}
	return end;
}

/* Run the plan's steps; on failure, *failed the first failing step. */
static int run_steps(struct lab_job *job, size_t *failed, struct nsc_error *e)
{
	struct lab_run r = { .job = job, .ctx = job->ctx };
	int ret = 0;

	for (size_t i = 0; i < job->n_steps;) {
		struct lab_step *s = &job->steps[i];
		size_t end, actions;

		*failed = i;
		if (!s->item.action) {
			i++;
			continue;
		}
		/* the steps inside namespaces at once: they come together in
		 * the plan, after the removals (jobs 1: the old order) */
		if (job->opts.jobs > 1 && lab_par_step(s) &&
		    (end = par_run(job, i, &actions)) && actions > 1) {
			if ((ret = lab_par_run(job, i, end, job->opts.jobs, failed, e)) < 0)
				return ret;
			i = end;
			continue;
		}
		if (s->op == OP_SYSCTL) {
			/* those next to each other from one thread */
			for (end = i; end < job->n_steps && job->steps[end].op == OP_SYSCTL; end++)
				;
			if ((ret = lab_step_sysctls(&r, i, end, failed, e)) < 0)
				return ret;
			i = end;
			continue;
		}
		if ((ret = lab_step_run(&r, s, e)) < 0)
			return ret;
		s->item.done = true;
		i++;
	}
	return 0;
}

static int execute(struct lab_job *job, struct nsc_error *e)
{
	size_t failed = 0, step_no = 0;
	char words[512];
	int ret;

	if ((ret = run_steps(job, &failed, e)) == 0)
		return 0;
	/* the step's number among the actions, every one before it done */
	for (size_t i = 0; i <= failed && i < job->n_steps; i++)
		step_no += job->steps[i].item.action;
	/* name the step, and where the file has it */
	if (failed < job->n_steps) {
		struct lab_step *s = &job->steps[failed];

		if (s->op == OP_EXEC || s->op == OP_SERVICE)
			return ret;     /* cites the command or service already */
		step_words(s, words, sizeof(words));
		nsc_err_prefix(e, "%s (step %zu of %zu)", words, step_no, job->n_actions);
		if (s->item.pos.line)
			nsc_lab_err_at(job->lab, s->item.pos, e);
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
