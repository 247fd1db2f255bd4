// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * apply's namespaces: each made and recorded (intent first), one at a time
 * or, with opts.jobs > 1, on several workers at once.
 *
 * Making a namespace is most of what a lab of many nodes costs the kernel,
 * and the part it does in parallel best (setup_net holds the pernet lock
 * for reading only; see HACKING.md for what serializes). The namespace
 * steps come together in the plan (phase PH_NS) and depend on nothing but
 * the run dir, so a run of them is shared out: each worker has its own
 * context (a maker thread, sockets), the records are changed under one
 * lock, and the sockets the workers opened in the new namespaces are handed
 * to the job's context when they are done, so the steps after use them as
 * if made there.
 *
 * A failure stops the workers taking more steps; the ones running finish.
 * Every step before the failing one was taken and ran; steps after it that
 * ran are recorded and marked done like any made object, so the report,
 * the records and recovery see exactly what exists.
 */
#include <errno.h>
#include <pthread.h>
#include <string.h>

#include "core/core.h"
#include "lab/apply_ns.h"

static void locked(pthread_mutex_t *m, bool on)
{
	if (m)
		(on ? pthread_mutex_lock : pthread_mutex_unlock)(m);
}

int lab_ns_make(struct lab_job *job, struct nsc_ctx *ctx, struct lab_step *s,
		pthread_mutex_t *lock, struct nsc_error *e)
{
	struct lab_ns *ns = s->ns;
	struct lab_rec *r;
	uint64_t id[3] = { 0 };
	int ret;

	locked(lock, true);
	ret = lab_rec_intend(&job->st, REC_NS, ns->name, NULL, NULL, id, e);
	locked(lock, false);
	if (ret < 0)
		return ret;
	if ((ret = nsc_ns_add(ctx, ns->name, 0, e)) < 0) {
		struct nsc_error ignore = { 0 };

		/* it failed having made nothing (nsc_ns_add's promise): the intent goes */
		locked(lock, true);
		r = lab_rec_find(&job->st, REC_NS, ns->name, NULL, NULL, 0);
		if (r && r->pending)
			lab_rec_drop(&job->st, r, &ignore);
		locked(lock, false);
		return ret;
	}
	lab_ns_clear(ns);
	if ((ret = lab_ns_probe(ctx, ns, e)) < 0)
		return ret;
	if (ns->state != NS_PRESENT)
		return nsc_err_text(e, ENOENT, "netns \"%s\": gone as soon as made", ns->name);
	if ((ret = lab_ns_cookie(ctx, ns, &ns->cookie, e)) < 0)
		return ret;
	close(ns->fd);          /* a thousand nodes: no thousand fds */
	ns->fd = -1;
	ns->created = ns->ours = true;
	ns->observed = OBS_LINKS | OBS_ROUTES | OBS_NEIGHS;     /* it is empty */
	id[0] = ns->dev;
	id[1] = ns->ino;
	id[2] = ns->cookie;
	locked(lock, true);
	/* what an earlier namespace of that name held is gone with it */
	ret = lab_rec_drop_inside(&job->st, ns->name, e);
	if (ret == 0)
		ret = lab_rec_put(&job->st, REC_NS, ns->name, NULL, NULL, id, e);
	locked(lock, false);
	return ret;
}

struct par {
	struct lab_job *job;
	size_t next, end;               /* the next step to take, and the end */
	size_t failed;                  /* the first failing step, end if none */
	struct nsc_error err;           /* its error */
	int ret;
	pthread_mutex_t lock;           /* the records, and the fields above */
};

struct worker {
	struct par *p;
	struct nsc_ctx *ctx;
	pthread_t thread;
	bool started;
};

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct par *p = w->p;

	for (;;) {
		struct nsc_error e = { 0 };
		struct lab_step *s;
		size_t i;
		int ret;

		pthread_mutex_lock(&p->lock);
		if (p->failed < p->end || p->next >= p->end) {
			pthread_mutex_unlock(&p->lock);
			break;
		}
		i = p->next++;
		pthread_mutex_unlock(&p->lock);
		s = &p->job->steps[i];
		ret = lab_ns_make(p->job, w->ctx, s, &p->lock, &e);
		pthread_mutex_lock(&p->lock);
		if (ret < 0 && i < p->failed) {
			p->failed = i;
			p->err = e;
			p->ret = ret;
		} else if (ret == 0) {
			s->item.done = true;
		}
		pthread_mutex_unlock(&p->lock);
	}
	return NULL;
}

int lab_ns_make_many(struct lab_job *job, size_t start, size_t end, unsigned jobs,
		     size_t *failed, struct nsc_error *e)
{
	struct par p = { .job = job, .next = start, .end = end, .failed = end };
	struct worker *w;
	unsigned started = 0;

	if (jobs > end - start)
		jobs = (unsigned)(end - start);
	w = calloc(jobs, sizeof(*w));
	if (!w)
		return nsc_err(e, ENOMEM, "apply");
	/* the job's fd on top of the run dir's mount before any worker binds it
	 * (a failure here fails each add the usual way) */
	nsc_ctx_run_ready(job->ctx, &p.err);
	nsc_error_clear(&p.err);
	pthread_mutex_init(&p.lock, NULL);
	for (unsigned k = 0; k < jobs; k++) {
		struct nsc_error ignore = { 0 };

		w[k].p = &p;
		if (nsc_ctx_new(&w[k].ctx, nsc_ctx_run_dir(job->ctx), &ignore) < 0)
			continue;
		nsc_ctx_share_fds(w[k].ctx, jobs + 1);
		w[k].started = pthread_create(&w[k].thread, NULL, worker_main, &w[k]) == 0;
		started += w[k].started;
	}
	if (!started)           /* no thread to be had: here, one at a time */
		worker_main(&(struct worker){ .p = &p, .ctx = job->ctx });
	for (unsigned k = 0; k < jobs; k++) {
		if (w[k].started)
			pthread_join(w[k].thread, NULL);
		if (w[k].ctx) {
			/* what they opened inside the new namespaces: the job's now */
			nsc_sock_take_all(job->ctx, w[k].ctx);
			nsc_ctx_free(w[k].ctx);
		}
	}
	free(w);
	pthread_mutex_destroy(&p.lock);
	*failed = p.failed;
	if (p.failed < end) {
		*e = p.err;
		return p.ret;
	}
	return 0;
}
