// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * apply with --jobs N: a run of the plan's steps on N workers at once.
 *
 * Most steps act in one namespace (make it, its sysctls, a bridge in it, a
 * link set, an address, a route, a neighbour, a qdisc); a veth pair acts in
 * two, its ends'. So, as `-b` does with a batch's lines (tools/batch_par.c),
 * each namespace is a lane: a step waits only for the step before it in
 * each of its lanes, the order inside a namespace is the plan's (so its
 * phases too: the namespace, its bridge, its links, their addresses, its
 * routes), and steps in other namespaces run on other workers.
 *
 * Lanes are shared out before the run, heaviest first, to the least loaded
 * worker, so a namespace's steps run on the worker whose sockets are open
 * in it. A step in two lanes runs on the worker of the lane that more such
 * steps share (a star's hub): its veth pairs are one chain there, under the
 * kernel's RTNL lock anyway, which the other worker feeds with namespaces.
 * A worker takes that chain's steps first, then new namespaces (which the
 * chain waits for), then the rest (enum cls): the chain starts at once and
 * is fed.
 *
 * Worker 0 is the calling thread with the job's context; the others have
 * their own (contexts are not shared between threads), whose sockets go to
 * the job's at the end. The records are changed under one lock
 * (apply_step.c: intent first, as always).
 *
 * Errors read as with one worker: once step K failed no step after K in
 * plan order starts; every step before it runs (all it waits for comes
 * before it), so K is the first failing step. Steps after K that were
 * already running finish and stay done and recorded, like any made object.
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>

#include "core/core.h"
#include "lab/apply.h"

enum part {
	WHOLE,                          /* the step */
	MAKE,                           /* a veth pair: made, the run lane's end done */
	FINISH,                         /* and then its other end, in that end's lane */
};

struct pstep {
	size_t i;                       /* in job->steps */
	enum part part;
	int from;                       /* MAKE: the end sent from (lab_veth_make) */
	unsigned lane;                  /* the lane whose worker runs it */
	size_t kids[2];                 /* the next step in each of its lanes */
	unsigned nkids;
	unsigned waiting;               /* steps before it not yet done */
	unsigned cls;                   /* which queue: enum cls */
};

/*
 * What a worker takes first: the steps of a lane many pairs share (a star's
 * hub: its namespace, its bridge, the chain of its pairs, the longest path
 * of the graph); then new namespaces, which that chain waits for (in plan
 * order, as -b's workers take them); then the rest (a leaf's other end,
 * addresses, routes), which nothing waits for but the steps after them.
 */
enum cls { CLS_SHARED, CLS_NS, CLS_REST, NCLS };

struct queue {
	size_t *v;
	size_t head, n;
};

struct worker {
	struct par *p;
	struct nsc_ctx *ctx;
	pthread_t thread;
	bool started, nomem;
	struct queue q[NCLS];           /* ready steps, by enum cls */
};

struct par {
	struct lab_job *job;
	struct pstep *v;
	size_t n;
	unsigned *lane_worker;          /* by lane */
	struct worker *w;
	unsigned nw;
	size_t active;                  /* steps queued or running */
	size_t failed;                  /* the first failing step (job->steps), SIZE_MAX */
	struct nsc_error err;
	int ret;
	pthread_mutex_t lock;           /* the records, and all of the above */
	pthread_cond_t cond;
};

bool lab_par_step(const struct lab_step *s)
{
	switch (s->op) {
	case OP_VETH_ADD:
		return s->ns && s->peer_ns;
	case OP_NS_ADD:
	case OP_UTS:
	case OP_SYSCTL:
	case OP_BRIDGE_ADD:
	case OP_VXLAN_ADD:
	case OP_LINK_SET:
	case OP_IMPAIR:
	case OP_ADDR_ADD:
	case OP_ADDR_REPLACE:
	case OP_ROUTE_ADD:
	case OP_ROUTE_REPLACE:
	case OP_NEIGH_SET:
		return s->ns != NULL;
	default:
		return false;
	}
}

/* The lane of namespace ns: its index in the job (one more lane, the last,
 * for a namespace not among them: never the case, but safe). */
static unsigned lane_of(const struct lab_job *job, const struct lab_ns *ns)
{
	if (ns >= job->ns && ns < job->ns + job->n_ns)
		return (unsigned)(ns - job->ns);
	return (unsigned)job->n_ns;
}

/* ---- who waits for whom, who runs what ---- */

struct plan_lanes {
	long *last;                     /* the last step (p->v) in each lane */
	unsigned *spans;                /* steps in two lanes, by lane */
	unsigned long *weight;
	size_t n;
};

/* Step k of p->v waits for the last step of lane l so far; then it is that. */
static void after_last(struct par *p, struct plan_lanes *pl, size_t k, unsigned l)
{
	long prev = pl->last[l];

	if (prev >= 0 && p->v[prev].nkids < 2 &&
	    !(p->v[prev].nkids == 1 && p->v[prev].kids[0] == k)) {
		p->v[prev].kids[p->v[prev].nkids++] = k;
		p->v[k].waiting++;
	}
	pl->last[l] = (long)k;
}

/*
 * The nodes of the graph, in plan order: a step each, but a veth pair
 * between two namespaces in two: made (with the end in the lane more such
 * steps share), then its other end finished in that end's lane, so the
 * chain of a star's hub carries only what must be there.
 */
static void link_steps(struct par *p, struct plan_lanes *pl, size_t start, size_t end)
{
	struct lab_job *job = p->job;

	for (size_t i = start; i < end; i++) {
		const struct lab_step *s = &job->steps[i];

		if (s->item.action && s->op == OP_VETH_ADD &&
		    lane_of(job, s->ns) != lane_of(job, s->peer_ns)) {
			pl->spans[lane_of(job, s->ns)]++;
			pl->spans[lane_of(job, s->peer_ns)]++;
		}
	}
	for (size_t i = start; i < end; i++) {
		const struct lab_step *s = &job->steps[i];
		unsigned a = lane_of(job, s->ns), b;
		size_t k = p->n++;

		if (!s->item.action) {
			p->n--;
			continue;
		}
		p->v[k] = (struct pstep){ .i = i, .lane = a, .cls = pl->spans[a] > 1 ? CLS_SHARED :
					  s->op == OP_NS_ADD ? CLS_NS : CLS_REST };
		/* making a namespace or a link costs several changes */
		pl->weight[a] += s->op == OP_NS_ADD || s->op == OP_BRIDGE_ADD ||
			s->op == OP_VETH_ADD || s->op == OP_VXLAN_ADD ? 4 : 1;
		if (s->op != OP_VETH_ADD || (b = lane_of(job, s->peer_ns)) == a) {
			after_last(p, pl, k, a);
			continue;
		}
		p->v[k].part = MAKE;
		if (pl->spans[b] > pl->spans[a]) {
			p->v[k].from = 1;
			p->v[k].lane = b;
			p->v[k].cls = pl->spans[b] > 1 ? CLS_SHARED : CLS_REST;
			pl->weight[a] -= 4;
			pl->weight[b] += 4;
		}
		after_last(p, pl, k, a);
		after_last(p, pl, k, b);
		p->v[p->n] = (struct pstep){ .i = i, .part = FINISH, .from = !p->v[k].from,
					     .lane = p->v[k].from ? a : b, .cls = CLS_REST };
		pl->weight[p->v[p->n].lane]++;
		after_last(p, pl, p->n, p->v[p->n].lane);
		p->n++;
	}
}

static int heavier(const void *a, const void *b, void *arg)
{
	const unsigned long *weight = arg;
	unsigned long x = weight[*(const unsigned *)a], y = weight[*(const unsigned *)b];

	return x < y ? 1 : x > y ? -1 : 0;
}

/* Each lane to a worker, heaviest first, each to the least loaded. */
static int share_lanes(struct par *p, struct plan_lanes *pl)
{
	unsigned *order = calloc(pl->n, sizeof(*order));
	unsigned long *load = calloc(p->nw, sizeof(*load));

	if (!order || !load) {
		free(order);
		free(load);
		return -ENOMEM;
	}
	for (unsigned k = 0; k < pl->n; k++)
		order[k] = k;
	qsort_r(order, pl->n, sizeof(*order), heavier, pl->weight);
	for (size_t k = 0; k < pl->n; k++) {
		unsigned best = 0;

		for (unsigned j = 1; j < p->nw; j++)
			if (load[j] < load[best])
				best = j;
		p->lane_worker[order[k]] = best;
		load[best] += pl->weight[order[k]];
	}
	free(order);
	free(load);
	return 0;
}

/* ---- running ---- */

/* Step k may go: to its lane's worker. Locked. */
static void push(struct par *p, size_t k)
{
	struct worker *w = &p->w[p->lane_worker[p->v[k].lane]];
	struct queue *q = &w->q[p->v[k].cls];

	q->v[q->head + q->n++] = k;
	p->active++;
	pthread_cond_broadcast(&p->cond);
}

/* Step k is over: those waiting for it may go, if it ran. Locked. */
static void finish(struct par *p, size_t k, bool ok)
{
	p->active--;
	for (unsigned j = 0; ok && j < p->v[k].nkids; j++) {
		size_t kid = p->v[k].kids[j];

		/* a pair made has its other end finished, whatever failed */
		if (--p->v[kid].waiting == 0 &&
		    (p->v[kid].i < p->failed || p->v[kid].part == FINISH))
			push(p, kid);
	}
	if (p->active == 0)
		pthread_cond_broadcast(&p->cond);
}

static bool pop(struct worker *w, size_t *k)
{
	struct queue *q = w->q;

	while (q < w->q + NCLS && !q->n)
		q++;
	if (q == w->q + NCLS)
		return false;
	*k = q->v[q->head++];
	q->n--;
	return true;
}

static int run_step(struct worker *w, const struct pstep *v, struct nsc_error *e)
{
	struct lab_run r = { .job = w->p->job, .ctx = w->ctx, .lock = &w->p->lock };
	struct lab_step *s = &r.job->steps[v->i];
	size_t failed;

	if (v->part == MAKE)
		return lab_veth_make(&r, s, v->from, e);
	if (v->part == FINISH)
		return lab_veth_end(&r, s, v->from, e);
	if (s->op == OP_SYSCTL)
		return lab_step_sysctls(&r, v->i, v->i + 1, &failed, e);
	return lab_step_run(&r, s, e);
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct par *p = w->p;

	pthread_mutex_lock(&p->lock);
	while (p->active > 0) {
		struct nsc_error e = { 0 };
		struct lab_step *s;
		size_t k;
		int ret;

		if (!pop(w, &k)) {
			pthread_cond_wait(&p->cond, &p->lock);
			continue;
		}
		s = &p->job->steps[p->v[k].i];
		/* after the failing step: not begun */
		if (p->v[k].i > p->failed && p->v[k].part != FINISH) {
			finish(p, k, false);
			continue;
		}
		pthread_mutex_unlock(&p->lock);
		ret = run_step(w, &p->v[k], &e);
		pthread_mutex_lock(&p->lock);
		if (ret < 0 && p->v[k].i < p->failed) {
			p->failed = p->v[k].i;
			p->err = e;
			p->ret = ret;
		}
		if (ret == 0 && p->v[k].part != MAKE)
			s->item.done = true;
		finish(p, k, ret == 0);
	}
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

/* The steps' graph and the lanes' workers; -ENOMEM when out of memory. */
static int prepare(struct par *p, size_t start, size_t end)
{
	struct plan_lanes pl = { .n = p->job->n_ns + 1 };
	int ret = -ENOMEM;

	size_t cap = 1;

	for (size_t i = start; i < end; i++)
		cap += p->job->steps[i].item.action ? 2 : 0;
	p->v = calloc(cap, sizeof(*p->v));
	p->lane_worker = calloc(pl.n, sizeof(*p->lane_worker));
	pl.last = malloc(pl.n * sizeof(*pl.last));
	pl.spans = calloc(pl.n, sizeof(*pl.spans));
	pl.weight = calloc(pl.n, sizeof(*pl.weight));
	if (!p->v || !p->lane_worker || !pl.last || !pl.spans || !pl.weight)
		goto cleanup;
	for (size_t k = 0; k < pl.n; k++)
		pl.last[k] = -1;
	link_steps(p, &pl, start, end);
	ret = share_lanes(p, &pl);
cleanup:
	free(pl.last);
	free(pl.spans);
	free(pl.weight);
	return ret;
}

/* Workers 1..nw-1 with contexts and threads; those that cannot be had give
 * their lanes to worker 0 (nothing is queued yet). */
static void start_workers(struct par *p)
{
	for (unsigned k = 0; k < p->nw; k++) {
		struct worker *w = &p->w[k];
		struct nsc_error ignore = { 0 };

		w->p = p;
		for (unsigned c = 0; c < NCLS; c++)
			if (!(w->q[c].v = malloc(p->n * sizeof(size_t))))
				w->nomem = true;
		if (k == 0) {
			w->ctx = p->job->ctx;
			continue;
		}
		if (!w->nomem && nsc_ctx_new(&w->ctx, nsc_ctx_run_dir(p->job->ctx), &ignore) == 0) {
			nsc_ctx_share_fds(w->ctx, p->nw);
			w->started = pthread_create(&w->thread, NULL, worker_main, w) == 0;
		}
		if (!w->started)
			for (size_t l = 0; l <= p->job->n_ns; l++)
				if (p->lane_worker[l] == k)
					p->lane_worker[l] = 0;
	}
}

int lab_par_run(struct lab_job *job, size_t start, size_t end, unsigned jobs, size_t *failed,
		struct nsc_error *e)
{
	struct par p = { .job = job, .failed = SIZE_MAX, .nw = jobs ? jobs : 1 };
	int ret = 0;

	*failed = end;
	ret = prepare(&p, start, end);
	if (ret == 0 && p.n == 0)
		goto cleanup;
	if (ret < 0 || !(p.w = calloc(p.nw, sizeof(*p.w)))) {
		ret = nsc_err(e, ENOMEM, "apply");
		goto cleanup;
	}
	/* the job's fd on top of the run dir's mount before any worker binds it
	 * (a failure here fails each add the usual way) */
	nsc_ctx_run_ready(job->ctx, &p.err);
	nsc_error_clear(&p.err);
	pthread_mutex_init(&p.lock, NULL);
	pthread_cond_init(&p.cond, NULL);
	/* workers wait for work or for the end: none before the first push */
	pthread_mutex_lock(&p.lock);
	p.active = 1;
	pthread_mutex_unlock(&p.lock);
	start_workers(&p);
	if (p.w[0].nomem) {
		ret = nsc_err(e, ENOMEM, "apply");
	} else {
		pthread_mutex_lock(&p.lock);
		for (size_t k = 0; k < p.n; k++)
			if (p.v[k].waiting == 0)
				push(&p, k);
		finish(&p, 0, false);   /* the placeholder above: not a step */
		pthread_mutex_unlock(&p.lock);
		worker_main(&p.w[0]);
	}
	if (ret < 0) {          /* the workers are told to stop */
		pthread_mutex_lock(&p.lock);
		p.active = 0;
		pthread_cond_broadcast(&p.cond);
		pthread_mutex_unlock(&p.lock);
	}
	for (unsigned k = 0; k < p.nw; k++) {
		struct worker *w = &p.w[k];

		if (w->started)
			pthread_join(w->thread, NULL);
		if (k > 0 && w->ctx) {
			/* what they opened inside the namespaces: the job's now */
			nsc_sock_take_all(job->ctx, w->ctx);
			nsc_ctx_free(w->ctx);
		}
		for (unsigned c = 0; c < NCLS; c++)
			free(w->q[c].v);
	}
	pthread_cond_destroy(&p.cond);
	pthread_mutex_destroy(&p.lock);
	if (ret == 0 && p.failed != SIZE_MAX) {
		*failed = p.failed;
		*e = p.err;
		ret = p.ret;
	}
cleanup:
	free(p.w);
	free(p.v);
	free(p.lane_worker);
	return ret;
}
