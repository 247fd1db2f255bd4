// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The context: the run dir, the cache of per-namespace netlink sockets, and
 * what higher layers keep with it (opaque here: freed by their destructor).
 */
#include <errno.h>
#include <string.h>
#include <sys/resource.h>

#include "config.h"
#include "core/core.h"

/*
 * An open socket holds an fd; a lab of thousands of namespaces must not run
 * out of them, so the cache is bounded by the fd limit (raised to the hard
 * limit first: netnsctl is a short-lived tool and the fds are its own).
 */
static unsigned pick_max_socks(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	/* two fds each (the socket, the namespace: nsc_ns_fd()), a quarter of all */
	if (getrlimit(RLIMIT_NOFILE, &rl) < 0 || rl.rlim_cur < 128)
		return 8;
	if (rl.rlim_cur / 8 > 512)
		return 512;
	return (unsigned)(rl.rlim_cur / 8);
}

int nsc_ctx_new(struct nsc_ctx **out, const char *run_dir, struct nsc_error *e)
{
	struct nsc_ctx *ctx;

	if (!run_dir || !*run_dir)
		run_dir = getenv("NETNSCTL_RUN_DIR");
	if (!run_dir || !*run_dir)
		run_dir = NETNSCTL_DEFAULT_RUN_DIR;
	if (run_dir[0] != '/')
		return nsc_usage(e, "run dir \"%s\" is not an absolute path", run_dir);

	ctx = calloc(1, sizeof(*ctx));
	if (!ctx)
		return nsc_err(e, ENOMEM, "context");
	ctx->run_dir = strdup(run_dir);
	if (!ctx->run_dir) {
		free(ctx);
		return nsc_err(e, ENOMEM, "context");
	}
	/* strip trailing slashes so messages and paths read well */
	for (size_t n = strlen(ctx->run_dir); n > 1 && ctx->run_dir[n - 1] == '/'; n--)
		ctx->run_dir[n - 1] = '\0';
	ctx->run_fd = -1;
	ctx->home_fd = -1;
	ctx->home_back = -1;
	ctx->max_socks = pick_max_socks();
	*out = ctx;
	return 0;
}

void nsc_ctx_drop(struct nsc_ctx *ctx, const char *name)
{
	struct nsc_sock **pp = &ctx->socks;

	nsc_maker_stop(ctx, name);
	while (*pp) {
		struct nsc_sock *s = *pp;

		if (!name || (s->name && !strcmp(s->name, name))) {
			*pp = s->next;
			nsc_sock_free(s);
			ctx->nsocks--;
		} else {
			pp = &s->next;
		}
	}
}

void nsc_ctx_share_fds(struct nsc_ctx *ctx, unsigned parts)
{
	unsigned max = pick_max_socks();

	if (parts > 1)
		max /= parts;
	ctx->max_socks = max < 4 ? 4 : max;
}

void nsc_ctx_free(struct nsc_ctx *ctx)
{
	if (!ctx)
		return;
	nsc_ctx_drop(ctx, NULL);
	while (ctx->cache) {
		struct nsc_ctx_cache *c = ctx->cache;

		ctx->cache = c->next;
		c->free_fn(c->data);
		free(c);
	}
	if (ctx->run_fd >= 0)
		close(ctx->run_fd);
	if (ctx->home_fd >= 0)
		close(ctx->home_fd);
	free(ctx->run_dir);
	free(ctx);
}

const char *nsc_ctx_run_dir(const struct nsc_ctx *ctx)
{
	return ctx->run_dir;
}
