// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * netnsctl --jobs N -b FILE: a batch's independent lines at once.
 *
 * Most of a lab's lines act in one namespace or two (batch_lanes.c), and the
 * kernel does some of the work for different namespaces in parallel (making
 * a namespace takes the pernet lock for reading; see HACKING.md for what it
 * serializes). So each line waits only for the last line before it in each
 * of its namespaces (its lanes), and for the last barrier; lines that do not
 * share a namespace run on different workers. The order inside each
 * namespace is the file's.
 *
 * Workers: N threads, each with its own context (sockets, the maker thread
 * that makes namespaces). Each lane is given to one worker before the run
 * (heaviest first, to the least loaded), and a line runs on the worker of
 * its first lane (where it mostly acts), whose sockets are open there; a
 * line's other lanes only order it. Barriers run on
 * the main thread alone, with the batch's own context, after the workers'
 * caches are dropped (a barrier may delete what they hold open).
 *
 * Errors: each line's messages go to a buffer, printed in the file's order,
 * so standard error reads as the sequential batch's. When line K fails (no
 * -f), no line after K starts; the lines before K still run (the sequential
 * batch would have run them), and only the messages of lines up to K are
 * printed: the first failing line's, once. The one difference from one line
 * at a time: lines after K in other namespaces that were already running, or
 * done, when K failed stay done (each is a whole line: nothing is half-made
 * that a sequential batch stopped at another line would not also leave).
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "batch_lanes.h"
#include "batch_par.h"
#include "cli.h"

enum pstate { P_WAIT, P_READY, P_RUN, P_DONE };

struct pline {
	char **argv;                    /* "netnsctl" + words + NULL, one block */
	int argc;
	int cmd;                        /* argv[cmd]: the command, after the options */
	char *where;
	bool barrier, skip;
	bool drops;                     /* may remove namespaces: workers let go first */
	int lane;                       /* the lane whose worker runs it, -1: none */
	size_t *kids;                   /* lines waiting for this one */
	size_t nkids, capkids;
	unsigned waiting;               /* lines this one waits for, not yet done */
	enum pstate state;
	bool ran;
	int rc;
	char *err;                      /* its messages */
	size_t errlen;
};

struct lane {
	char *name;
	long last;                      /* the last line in it */
	int worker;                     /* the worker that runs its lines */
	unsigned weight;                /* what its lines cost, roughly */
};

struct worker {
	struct batch_par *bp;
	int id;
	pthread_t thread;
	pthread_cond_t cond;
	size_t *q;                      /* ready lines, FIFO */
	size_t qhead, qn, qcap;
	unsigned load;                  /* queued + running */
	struct nsc_ctx *ctx;
	bool started;
};

struct batch_par {
	struct cli *base;
	struct pline *v;
	size_t n, cap;
	struct lane *lanes;
	size_t nlanes, caplanes;
	int *slots;                     /* the lanes by name: open addressing */
	size_t nslots;
	long lastbar;                   /* the last barrier, -1 */
	size_t *mainq;                  /* ready barriers (and lines with no worker) */
	size_t mqhead, mqn, mqcap;
	struct worker *w;
	unsigned nw;
	pthread_mutex_t lock;
	pthread_cond_t cond;            /* the main thread's: something finished */
	size_t done;                    /* lines done or never to run */
	size_t first_fail;              /* the first failing line, SIZE_MAX if none */
	bool quit, nomem;
	bool adds;                      /* some worker's line adds a namespace */
};

/* Room for need elements in *arrayp (capacity *cap, doubling). */
static int grow(void *arrayp, size_t *cap, size_t need, size_t size)
{
	size_t n = *cap ? *cap : 16;
	void *v;

	if (need <= *cap)
		return 0;
	while (n < need)
		n *= 2;
	v = realloc(*(void **)arrayp, n * size);
	if (!v)
		return -ENOMEM;
	*(void **)arrayp = v;
	*cap = n;
	return 0;
}
#define GROW(v, cap, need) grow(&(v), &(cap), (need), sizeof(*(v)))

/* ---- building: lines, lanes, who waits for whom ---- */

static uint32_t hash(const char *s)
{
	uint32_t h = 2166136261u;       /* FNV-1a */

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

/* The lane NAME (made on first sight): its index, -1 when out of memory. */
static int lane_find(struct batch_par *bp, const char *name)
{
	size_t mask, k;

	if (bp->nlanes * 2 >= bp->nslots) {     /* grow the index, half empty */
		size_t ns = bp->nslots ? bp->nslots * 2 : 256;
		int *slots = malloc(ns * sizeof(*slots));

		if (!slots)
			return -1;
		for (k = 0; k < ns; k++)
			slots[k] = -1;
		for (size_t i = 0; i < bp->nlanes; i++) {
			for (k = hash(bp->lanes[i].name) & (ns - 1); slots[k] >= 0; k = (k + 1) & (ns - 1))
				;
			slots[k] = (int)i;
		}
		free(bp->slots);
		bp->slots = slots;
		bp->nslots = ns;
	}
	mask = bp->nslots - 1;
	for (k = hash(name) & mask; bp->slots[k] >= 0; k = (k + 1) & mask)
		if (!strcmp(bp->lanes[bp->slots[k]].name, name))
			return bp->slots[k];
	if (GROW(bp->lanes, bp->caplanes, bp->nlanes + 1) < 0)
		return -1;
	bp->lanes[bp->nlanes] = (struct lane){ .name = strdup(name), .last = -1, .worker = -1 };
	if (!bp->lanes[bp->nlanes].name)
		return -1;
	bp->slots[k] = (int)bp->nlanes;
	return (int)bp->nlanes++;
}

static int wait_for(struct batch_par *bp, size_t kid, long parent)
{
	struct pline *p;

	if (parent < 0)
		return 0;
	p = &bp->v[parent];
	if (p->nkids && p->kids[p->nkids - 1] == kid)
		return 0;       /* already (two lanes, one line) */
	if (GROW(p->kids, p->capkids, p->nkids + 1) < 0)
		return -ENOMEM;
	p->kids[p->nkids++] = kid;
	bp->v[kid].waiting++;
	return 0;
}

static int link_line(struct batch_par *bp, size_t i, const char *netns, bool prints)
{
	struct pline *l = &bp->v[i];
	struct batch_lanes ls;
	int ret = 0;

	l->lane = -1;
	l->barrier = !batch_lanes_of(netns, prints, l->argc - l->cmd, l->argv + l->cmd, &ls);
	if (l->barrier) {
		static const char *const removers[] = { "delete", "del", "lab", "run", NULL };

		for (const char *const *r = removers; *r; r++)
			l->drops |= !strcmp(l->argv[l->cmd], *r);
		/* after everything since the last barrier, and that barrier */
		for (long k = bp->lastbar + 1; k < (long)i && ret == 0; k++)
			if (!bp->v[k].skip)
				ret = wait_for(bp, i, k);
		if (ret == 0)
			ret = wait_for(bp, i, bp->lastbar);
		bp->lastbar = (long)i;
		return ret;
	}
	for (unsigned k = 0; k < ls.n && ret == 0; k++) {
		int ln = lane_find(bp, ls.name[k]);

		if (ln < 0)
			return -ENOMEM;
		if (k == 0) {
			l->lane = ln;
			bp->adds |= !strcmp(l->argv[l->cmd], "add");
			/* making a namespace or a link costs several changes */
			bp->lanes[ln].weight += !strcmp(l->argv[l->cmd], "add") ||
				(l->cmd + 1 < l->argc && !strcmp(l->argv[l->cmd + 1], "add")) ? 4 : 1;
		}
		ret = wait_for(bp, i, bp->lanes[ln].last > bp->lastbar ? bp->lanes[ln].last
									  : bp->lastbar);
		bp->lanes[ln].last = (long)i;
	}
	return ret;
}

int batch_par_add(struct batch_par *bp, int argc, char **argv, const char *where, bool skip)
{
	struct cli scratch = *bp->base;
	const char *run_dir = NULL;
	struct pline *l;
	size_t size = 0;
	char *p;
	int next = 1;
	bool bad;

	if (GROW(bp->v, bp->cap, bp->n + 1) < 0)
		return -ENOMEM;
	l = &bp->v[bp->n];
	memset(l, 0, sizeof(*l));
	l->lane = -1;
	/* argv[0] "netnsctl", the words, NULL; then the strings */
	for (int i = 0; i < argc; i++)
		size += strlen(argv[i]) + 1;
	l->argv = malloc((size_t)(argc + 2) * sizeof(char *) + size + 16);
	l->where = strdup(where);
	if (!l->argv || !l->where) {
		free(l->argv);
		free(l->where);
		return -ENOMEM;
	}
	p = (char *)(l->argv + argc + 2);
	l->argv[0] = strcpy(p, "netnsctl");
	p += strlen(p) + 1;
	for (int i = 0; i < argc; i++) {
		l->argv[i + 1] = strcpy(p, argv[i]);
		p += strlen(p) + 1;
	}
	l->argv[argc + 1] = NULL;
	l->argc = argc + 1;
	l->skip = skip;
	bp->n++;
	if (skip)
		return 0;
	/*
	 * The check pass took these options: parsing them again prints nothing.
	 * Over the batch's own (-n, -j... before -b), as the line runs: a line
	 * without -n acts in the batch's -n namespace, whose lane that is, and
	 * a line that prints JSON starts the one static writer (cli.c), so it
	 * must run alone.
	 */
	bad = cli_parse_options(&scratch, l->argc, l->argv, &run_dir, &next) != CLI_OPTS_RUN ||
	      next >= l->argc;
	if (bad)
		next = 1;       /* cannot happen after the check: a barrier, to be safe */
	l->cmd = next;
	return link_line(bp, bp->n - 1, scratch.netns,
			 bad || scratch.json || scratch.pretty || scratch.brief || scratch.stats);
}

/* ---- running ---- */

static int push(size_t **q, size_t *head, size_t *n, size_t *cap, size_t v)
{
	if (*head == *n)
		*head = *n = 0;
	if (GROW(*q, *cap, *n + 1) < 0)
		return -ENOMEM;
	(*q)[(*n)++] = v;
	return 0;
}

static bool may_run(const struct batch_par *bp, size_t i)
{
	return !bp->v[i].skip && (bp->base->force || i < bp->first_fail);
}

/* Line i waits for nothing now: to its worker, or to the main thread. Locked. */
static void ready(struct batch_par *bp, size_t i)
{
	struct pline *l = &bp->v[i];

	l->state = P_READY;
	if (!l->barrier && l->lane >= 0 && bp->lanes[l->lane].worker >= 0 && may_run(bp, i)) {
		struct worker *w = &bp->w[bp->lanes[l->lane].worker];

		if (push(&w->q, &w->qhead, &w->qn, &w->qcap, i) == 0) {
			w->load++;
			pthread_cond_signal(&w->cond);
			return;
		}
	}
	/* barriers, lines never to run, and (out of memory) any line */
	if (push(&bp->mainq, &bp->mqhead, &bp->mqn, &bp->mqcap, i) < 0)
		bp->nomem = true;
	pthread_cond_signal(&bp->cond);
}

/* Line i is done (run or not): those waiting for it may go. Locked. */
static void finish(struct batch_par *bp, size_t i, int rc)
{
	struct pline *l = &bp->v[i];

	l->state = P_DONE;
	l->rc = rc;
	if (rc != EXIT_OK && i < bp->first_fail)
		bp->first_fail = i;
	bp->done++;
	for (size_t k = 0; k < l->nkids; k++)
		if (--bp->v[l->kids[k]].waiting == 0)
			ready(bp, l->kids[k]);
	pthread_cond_signal(&bp->cond);
}

/* Run line l with ctx; its messages to its buffer (buffered) or stderr. */
static int run_one(struct batch_par *bp, struct pline *l, struct nsc_ctx *ctx, bool buffered)
{
	struct cli lc = *bp->base;
	const char *run_dir = NULL;
	FILE *f = NULL;
	int next, ret;

	if (buffered)
		f = open_memstream(&l->err, &l->errlen);  /* NULL: straight to stderr */
	lc = cli_for_line(bp->base, l->where, false, f);
	lc.ctx = ctx;
	ret = cli_parse_options(&lc, l->argc, l->argv, &run_dir, &next);
	if (ret == CLI_OPTS_RUN) {
		lc.jobs = bp->base->jobs;
		if (lc.json)
			cli_json_begin(&lc);
		ret = cli_dispatch(&lc, l->argc - next, l->argv + next);
	} else {
		ret = EXIT_USAGE;
	}
	if (f)
		fclose(f);
	l->ran = true;
	return ret;
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct batch_par *bp = w->bp;
	struct nsc_error e = { 0 };

	pthread_mutex_lock(&bp->lock);
	for (;;) {
		size_t i;
		int rc = EXIT_OK;

		while (w->qhead == w->qn && !bp->quit)
			pthread_cond_wait(&w->cond, &bp->lock);
		if (w->qhead == w->qn)
			break;
		i = w->q[w->qhead++];
		if (may_run(bp, i)) {
			pthread_mutex_unlock(&bp->lock);
			if (!w->ctx && nsc_ctx_new(&w->ctx, nsc_ctx_run_dir(bp->base->ctx), &e) == 0)
				nsc_ctx_share_fds(w->ctx, bp->nw + 1);
			if (!w->ctx) {
				struct cli lc = { .where = bp->v[i].where };
				FILE *f = open_memstream(&bp->v[i].err, &bp->v[i].errlen);

				lc.err = f;
				rc = cli_error(&lc, &e);
				if (f)
					fclose(f);
			} else {
				rc = run_one(bp, &bp->v[i], w->ctx, true);
			}
			pthread_mutex_lock(&bp->lock);
		}
		w->load--;
		finish(bp, i, rc);
	}
	pthread_mutex_unlock(&bp->lock);
	return NULL;
}

/* Each lane to a worker, heaviest first, each to the least loaded. */
static int lane_weight_cmp(const void *a, const void *b, void *arg)
{
	const struct lane *l = arg;
	unsigned x = l[*(const size_t *)a].weight, y = l[*(const size_t *)b].weight;

	return (x < y) - (x > y);
}

static int assign(struct batch_par *bp)
{
	size_t *order = malloc((bp->nlanes ? bp->nlanes : 1) * sizeof(*order));
	unsigned long *sum = calloc(bp->nw, sizeof(*sum));

	if (!order || !sum) {
		free(order);
		free(sum);
		return -ENOMEM;
	}
	for (size_t i = 0; i < bp->nlanes; i++)
		order[i] = i;
	qsort_r(order, bp->nlanes, sizeof(*order), lane_weight_cmp, bp->lanes);
	for (size_t i = 0; i < bp->nlanes; i++) {
		unsigned best = 0;

		for (unsigned k = 1; k < bp->nw; k++)
			if (sum[k] < sum[best])
				best = k;
		bp->lanes[order[i]].worker = (int)best;
		sum[best] += bp->lanes[order[i]].weight;
	}
	free(order);
	free(sum);
	return 0;
}

/* Messages of the lines done, in the file's order (up to the first failure). */
static void print_done(struct batch_par *bp, size_t *printed)
{
	for (; *printed < bp->n && bp->v[*printed].state == P_DONE; ++*printed) {
		struct pline *l = &bp->v[*printed];

		if (l->errlen && (bp->base->force || *printed <= bp->first_fail))
			fwrite(l->err, 1, l->errlen, stderr);
	}
}

/* The main thread: barriers and lines never to run, until every line is done. */
static void main_loop(struct batch_par *bp)
{
	size_t printed = 0;

	pthread_mutex_lock(&bp->lock);
	for (size_t i = 0; i < bp->n; i++)
		if (bp->v[i].waiting == 0)
			ready(bp, i);
	while (bp->done < bp->n) {
		size_t i;
		int rc = EXIT_OK;

		print_done(bp, &printed);
		if (bp->mqhead == bp->mqn) {
			if (bp->nomem)
				break;
			pthread_cond_wait(&bp->cond, &bp->lock);
			continue;
		}
		i = bp->mainq[bp->mqhead++];
		if (may_run(bp, i)) {
			/* alone: every line before it is done, none after it started */
			print_done(bp, &printed);
			if (bp->v[i].drops)
				for (unsigned k = 0; k < bp->nw; k++)
					if (bp->w[k].ctx)
						nsc_ctx_drop(bp->w[k].ctx, NULL);
			pthread_mutex_unlock(&bp->lock);
			fflush(stdout);
			rc = run_one(bp, &bp->v[i], bp->base->ctx, bp->v[i].lane >= 0);
			fflush(stdout);
			pthread_mutex_lock(&bp->lock);
		}
		finish(bp, i, rc);
	}
	print_done(bp, &printed);
	bp->quit = true;
	for (unsigned k = 0; k < bp->nw; k++)
		pthread_cond_signal(&bp->w[k].cond);
	pthread_mutex_unlock(&bp->lock);
}

int batch_par_run(struct batch_par *bp)
{
	int ret = EXIT_OK;

	if (assign(bp) < 0)
		return cli_usage(NULL, "batch \"%s\": out of memory", bp->base->batch);
	if (bp->adds) {
		struct nsc_error ignore = { 0 };

		/* the batch's context on top of the run dir's mount before a worker
		 * binds it (a failure fails each add the usual way) */
		nsc_ctx_run_ready(bp->base->ctx, &ignore);
	}
	for (unsigned k = 0; k < bp->nw; k++) {
		struct worker *w = &bp->w[k];
		pthread_attr_t attr;

		pthread_cond_init(&w->cond, NULL);
		w->bp = bp;
		w->id = (int)k;
		pthread_attr_init(&attr);
		pthread_attr_setstacksize(&attr, 1024 * 1024);
		w->started = pthread_create(&w->thread, &attr, worker_main, w) == 0;
		pthread_attr_destroy(&attr);
		if (!w->started) {
			/* fewer workers: the lanes of this one go to the main thread */
			for (size_t i = 0; i < bp->nlanes; i++)
				if (bp->lanes[i].worker == (int)k)
					bp->lanes[i].worker = -1;
		}
	}
	main_loop(bp);
	for (unsigned k = 0; k < bp->nw; k++) {
		if (bp->w[k].started)
			pthread_join(bp->w[k].thread, NULL);
		pthread_cond_destroy(&bp->w[k].cond);
	}
	if (bp->nomem) {
		/* lines have run: a failure (1), not a usage error (2), which says
		 * nothing changed; the sequential batch says the same */
		cli_usage(NULL, "batch \"%s\": out of memory", bp->base->batch);
		return EXIT_FAIL;
	}
	for (size_t i = 0; i < bp->n; i++)
		if (bp->v[i].state == P_DONE && bp->v[i].ran && bp->v[i].rc != EXIT_OK)
			ret = EXIT_FAIL;
	return ret;
}

struct batch_par *batch_par_new(struct cli *base, unsigned jobs)
{
	struct batch_par *bp = calloc(1, sizeof(*bp));

	if (!bp)
		return NULL;
	bp->w = calloc(jobs, sizeof(*bp->w));
	if (!bp->w) {
		free(bp);
		return NULL;
	}
	bp->nw = jobs;
	bp->base = base;
	bp->lastbar = -1;
	bp->first_fail = SIZE_MAX;
	pthread_mutex_init(&bp->lock, NULL);
	pthread_cond_init(&bp->cond, NULL);
	return bp;
}

void batch_par_free(struct batch_par *bp)
{
	if (!bp)
		return;
	for (size_t i = 0; i < bp->n; i++) {
		free(bp->v[i].argv);
		free(bp->v[i].where);
		free(bp->v[i].kids);
		free(bp->v[i].err);
	}
	for (size_t i = 0; i < bp->nlanes; i++)
		free(bp->lanes[i].name);
	for (unsigned k = 0; k < bp->nw; k++) {
		free(bp->w[k].q);
		nsc_ctx_free(bp->w[k].ctx);
	}
	free(bp->v);
	free(bp->lanes);
	free(bp->slots);
	free(bp->mainq);
	free(bp->w);
	pthread_mutex_destroy(&bp->lock);
	pthread_cond_destroy(&bp->cond);
	free(bp);
}
