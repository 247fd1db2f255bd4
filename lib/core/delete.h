/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The steps of deleting a name (core/netns.c), shared with the delete of
 * many names at once (core/delete_many.c).
 */
#ifndef NETNSCTL_CORE_DELETE_H
#define NETNSCTL_CORE_DELETE_H

#include <stdbool.h>
#include <sys/stat.h>

#include "core/core.h"

/*
 * NAME's namespace, opened for delete in the run dir (*dfd): the fd, or
 * -errno (e filled). *stale (e untouched) when NAME is a name file with no
 * network namespace on it: remove it with nsc_del_stale().
 */
int nsc_del_open(struct nsc_ctx *ctx, const char *name, int *dfd, bool *stale,
		 struct nsc_error *e);

/*
 * Nothing (or no network namespace) is mounted on NAME: remove the name,
 * under the run dir's lock held exclusively, after looking again (an add
 * in flight is waited for and left alone: EBUSY).
 */
int nsc_del_stale(int dfd, const char *name, struct nsc_error *e);

/* End the processes inside the namespace st, for delete --kill (refused
 * for the caller's own namespace). */
int nsc_del_kill(const char *name, const struct stat *st,
		 const struct nsc_del_opts *opts, struct nsc_del_info *info,
		 struct nsc_error *e);

#endif
