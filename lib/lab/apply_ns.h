/* SPDX-License-Identifier: GPL-2.0-or-later */
/* apply's namespace steps, one at a time or several at once (ns_make.c). */
#ifndef NETNSCTL_LAB_APPLY_NS_H
#define NETNSCTL_LAB_APPLY_NS_H

#include <pthread.h>
#include <stddef.h>

#include "lab/plan.h"

/*
 * Make and record s's namespace over ctx (intent first); with LOCK, the
 * records are changed under it (workers share them).
 */
int lab_ns_make(struct lab_job *job, struct nsc_ctx *ctx, struct lab_step *s,
		pthread_mutex_t *lock, struct nsc_error *e);
/*
 * The namespace steps [start, end) on JOBS workers; each made one is marked
 * done. On failure, -errno with e filled and *failed the first failing step.
 */
int lab_ns_make_many(struct lab_job *job, size_t start, size_t end, unsigned jobs,
		     size_t *failed, struct nsc_error *e);

#endif
