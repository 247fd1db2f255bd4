/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The run dir's primitives (core/rundir.c): opening it and its names, its
 * lock, listing it. Everything above that needs a name's namespace (the
 * socket cache, holders, ids, add and delete) comes through here.
 */
#ifndef NETNSCTL_CORE_RUNDIR_H
#define NETNSCTL_CORE_RUNDIR_H

#include <stdbool.h>
#include <stddef.h>

#include <netnsctl/ctx.h>
#include <netnsctl/error.h>
#include <netnsctl/netns.h>

/* Is fd a network namespace (nsfs, type CLONE_NEWNET)? */
bool nsc_fd_is_netns(int fd);

/* Open (not create) the run dir; -ENOENT if it is not there. */
int nsc_run_fd(struct nsc_ctx *ctx, struct nsc_error *e);
/* The same for readers, to whom no run dir means no names yet: the fd in
 * *dfd, -1 there when the dir does not exist; 0, or -errno (e filled). */
int nsc_run_fd_if_any(struct nsc_ctx *ctx, int *dfd, struct nsc_error *e);

/*
 * Create the run dir if need be and make it a shared mount point (once per
 * context); afterwards ctx->run_fd is the directory on top of the mount.
 */
int nsc_run_prepare(struct nsc_ctx *ctx, struct nsc_error *e);

/*
 * The run dir's flock (LOCK_SH or LOCK_EX), for VERB on NAME; see
 * rundir.c for who takes it how.
 */
int nsc_run_lock(int dfd, int how, const char *verb, const char *name,
		 struct nsc_error *e);
void nsc_run_unlock(int dfd);

/*
 * Open run dir entry NAME (dfd: the run dir) as a network namespace. The
 * fd, or -ENOENT, -ELOOP (a symlink), -ESTALE (no network namespace on it:
 * a stale name, an add in flight, another file or namespace type), or
 * another -errno. Fills no error: callers word it for their verb.
 */
int nsc_run_open_name(int dfd, const char *name);

/* Detach whatever is mounted on NAME, without following a symlink. */
int nsc_run_unmount(int dfd, const char *name);

/*
 * Every name in the run dir, sorted, with its state and no id (-1); an
 * absent run dir is an empty list. fn (may be NULL) sees each live name
 * with its namespace open as nsfd (closed after), to add what it knows.
 */
typedef void (*nsc_run_entry_fn)(struct nsc_ns_entry *ent, int nsfd, void *data);
int nsc_run_list(struct nsc_ctx *ctx, nsc_run_entry_fn fn, void *data,
		 struct nsc_ns_entry **out, size_t *n, struct nsc_error *e);

#endif
