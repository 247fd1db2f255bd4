/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What lib/ files share and nobody outside lib/ sees. */
#ifndef NETNSCTL_INTERNAL_H
#define NETNSCTL_INTERNAL_H

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>
#include <linux/netlink.h>
#include <libmnl/libmnl.h>

#include <netnsctl/error.h>
#include <netnsctl/ctx.h>
#include <netnsctl/netns.h>
#include <netnsctl/parse.h>

#include "core/sock.h"
#include "core/rundir.h"

/* ---- maker.c ---- */

/*
 * Run fn(arg) on the context's long-lived maker thread and wait for it; IN
 * names the namespace the thread is left in (NULL: the job did not move
 * it, it is where it was). 0, or an errno if the thread cannot be started.
 */
int nsc_maker_run(struct nsc_ctx *ctx, void *(*fn)(void *), void *arg, const char *in);
/* End the maker if it sits in NAME (NULL: in any case). */
void nsc_maker_stop(struct nsc_ctx *ctx, const char *name);

/* ---- ctx.c ---- */

/*
 * Data a higher layer keeps with the context (route names, loaded on first
 * use): the context frees it with the owner's destructor, and knows
 * nothing else of it. The key is the address of something of the owner's,
 * so owners never clash.
 */
struct nsc_ctx_cache {
	const void *key;
	void *data;
	void (*free_fn)(void *data);
	struct nsc_ctx_cache *next;
};

struct nsc_ctx {
	char *run_dir;
	int run_fd;                     /* -1 until the run dir is opened */
	bool run_ready;                 /* run dir made a shared mount point */
	struct nsc_sock *socks;         /* MRU list */
	struct nsc_ctx_cache *cache;    /* higher layers' data */
	unsigned nsocks, max_socks;
	struct nsc_maker *maker;        /* core/maker.c, started on first use */
	int home_fd;                    /* the namespace its threads live in, -1 not yet */
	int home_back;                  /* 1: setns() to it works (we may go and come back),
					 * 0: it does not, -1: not tried */
};

/*
 * Inline: the pure route-name code (rtnl/rtnames.c) uses them and is also
 * linked into unit tests without the rest of the core.
 */

/* KEY's data, or NULL when there is none yet. */
static inline void *nsc_ctx_cache_get(const struct nsc_ctx *ctx, const void *key)
{
	for (const struct nsc_ctx_cache *c = ctx->cache; c; c = c->next)
		if (c->key == key)
			return c->data;
	return NULL;
}

/* Keep DATA under KEY until the context is freed, then free_fn(data). On
 * failure (-ENOMEM) free_fn(data) at once: the context owns it either way. */
static inline int nsc_ctx_cache_put(struct nsc_ctx *ctx, const void *key, void *data,
				    void (*free_fn)(void *data))
{
	struct nsc_ctx_cache *c = malloc(sizeof(*c));

	if (!c) {
		free_fn(data);
		return -ENOMEM;
	}
	*c = (struct nsc_ctx_cache){ .key = key, .data = data, .free_fn = free_fn,
				     .next = ctx->cache };
	ctx->cache = c;
	return 0;
}

#endif
