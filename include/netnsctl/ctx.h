/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NETNSCTL_CTX_H
#define NETNSCTL_CTX_H

#include <netnsctl/error.h>

/*
 * A context: the run dir and the netlink sockets opened so far, one per
 * namespace (made inside it, then reused). Not thread-safe: one per thread.
 */
struct nsc_ctx;

/* run_dir NULL: $NETNSCTL_RUN_DIR, else the compiled-in default. */
int nsc_ctx_new(struct nsc_ctx **out, const char *run_dir, struct nsc_error *e);
/*
 * Ready the run dir for adds, as the first add does (a shared mount point,
 * ctx's fd on top of it). Contexts that work side by side call it on the
 * one that outlives the others before those add anything: a context whose
 * fd was opened below the mount would not see their namespaces.
 */
int nsc_ctx_run_ready(struct nsc_ctx *ctx, struct nsc_error *e);
/*
 * ctx is one of PARTS contexts of one process (a parallel batch's workers):
 * its socket cache gets that share of the fds it may keep open.
 */
void nsc_ctx_share_fds(struct nsc_ctx *ctx, unsigned parts);
void nsc_ctx_free(struct nsc_ctx *ctx);
const char *nsc_ctx_run_dir(const struct nsc_ctx *ctx);

/*
 * Forget every cached socket/fd held for namespace NAME (NULL: all). An open
 * socket keeps a namespace and its veth names alive, so a deleted name must
 * be let go at once.
 */
void nsc_ctx_drop(struct nsc_ctx *ctx, const char *name);

#endif
