/* SPDX-License-Identifier: GPL-2.0-or-later */
/* apply's namespace steps (ns_make.c). */
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
#endif
