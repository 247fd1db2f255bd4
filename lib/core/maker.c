// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The context's maker: one long-lived thread that makes namespaces where
 * the calling thread cannot (core/netns.c makes them on the calling thread
 * when setns() back to where it lives works; in a user namespace that does
 * not own that namespace it does not).
 *
 * unshare(CLONE_NEWNET) moves only the calling thread, so then namespaces
 * are made off it (nothing to switch back). A thread per namespace costs a
 * clone, a stack and a join each time (a tenth of what the kernel itself
 * spends making a namespace); one thread kept for the context's life does
 * them all, each unshare leaving the one before. It sits in the last
 * namespace it made, holding it like a cached socket does: nsc_ctx_drop()
 * of that name, and of everything, ends it (a later job starts a new one),
 * so a delete still frees what it deletes.
 */
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <string.h>

#include "core/core.h"

struct nsc_maker {
	pthread_t thread;
	sem_t go, done;                 /* a job is there; it is done */
	void *(*fn)(void *);            /* the job; NULL: end */
	void *arg;
	char *in;                       /* the name it sits in, NULL if none */
};

/* Two semaphores: a handoff costs a wake and a wait each way, nothing more. */
static void sem_take(sem_t *s);

static void *maker_thread(void *arg)
{
	struct nsc_maker *m = arg;

	for (;;) {
		sem_take(&m->go);
		if (!m->fn)
			return NULL;
		m->fn(m->arg);
		sem_post(&m->done);
	}
}

static void sem_take(sem_t *s)
{
	while (sem_wait(s) < 0)
		;                       /* EINTR */
}

static int maker_start(struct nsc_ctx *ctx)
{
	struct nsc_maker *m = calloc(1, sizeof(*m));
	pthread_attr_t attr;
	int ret;

	if (!m)
		return ENOMEM;
	sem_init(&m->go, 0, 0);
	sem_init(&m->done, 0, 0);
	if ((ret = pthread_attr_init(&attr)))
		goto fail;
	/* room for the sanitizers' bookkeeping too */
	pthread_attr_setstacksize(&attr, 256 * 1024);
	ret = pthread_create(&m->thread, &attr, maker_thread, m);
	pthread_attr_destroy(&attr);
	if (ret)
		goto fail;
	ctx->maker = m;
	return 0;
fail:
	sem_destroy(&m->go);
	sem_destroy(&m->done);
	free(m);
	return ret;
}

int nsc_maker_run(struct nsc_ctx *ctx, void *(*fn)(void *), void *arg, const char *in)
{
	struct nsc_maker *m;
	int ret;

	if (!ctx->maker && (ret = maker_start(ctx)))
		return ret;
	m = ctx->maker;
	m->fn = fn;
	m->arg = arg;
	sem_post(&m->go);
	sem_take(&m->done);
	if (!in)
		return 0;       /* an attach: it did not move, and still holds m->in */
	free(m->in);
	m->in = strdup(in);
	if (!m->in)
		nsc_maker_stop(ctx, NULL);      /* cannot tell where it sits: let go */
	return 0;
}

void nsc_maker_stop(struct nsc_ctx *ctx, const char *name)
{
	struct nsc_maker *m = ctx->maker;

	if (!m || (name && (!m->in || strcmp(m->in, name))))
		return;
	m->fn = NULL;
	sem_post(&m->go);
	pthread_join(m->thread, NULL);
	sem_destroy(&m->go);
	sem_destroy(&m->done);
	free(m->in);
	free(m);
	ctx->maker = NULL;
}
