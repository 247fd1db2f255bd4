/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * apply's parts: the steps one at a time (apply_step.c), and a run of them
 * on several workers at once (apply_par.c); apply.c walks the plan.
 */
#ifndef NETNSCTL_LAB_APPLY_H
#define NETNSCTL_LAB_APPLY_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include "lab/plan.h"

/* Who runs a step: the job, over which context (the job's or a worker's),
 * and the records' lock when workers share them (NULL: one at a time). */
struct lab_run {
	struct lab_job *job;
	struct nsc_ctx *ctx;
	pthread_mutex_t *lock;
};

/* ---- apply_step.c ---- */

/* Step s (not a sysctl): 0 or -errno with e filled. The hosts files and
 * the services are all done by the first of their steps. */
int lab_step_run(const struct lab_run *r, struct lab_step *s, struct nsc_error *e);
/* The sysctl steps [start, end) from one thread; each set one marked done.
 * On failure, -errno and *failed the first failing step. */
int lab_step_sysctls(const struct lab_run *r, size_t start, size_t end, size_t *failed,
		     struct nsc_error *e);

/*
 * A veth step in two parts, for workers: make the pair from end FROM's
 * namespace (0: a's, s->ns; 1: b's, s->peer_ns; both ends intended first)
 * and finish that end (its index learnt, marked, up, in its master,
 * recorded); then lab_veth_end() finishes the other. lab_step_run() does
 * both, from a's.
 */
int lab_veth_make(const struct lab_run *r, struct lab_step *s, int from, struct nsc_error *e);
int lab_veth_end(const struct lab_run *r, struct lab_step *s, int end, struct nsc_error *e);

/* ---- apply_par.c ---- */

/* Whether step s may run on a worker (it acts in its namespaces only). */
bool lab_par_step(const struct lab_step *s);
/*
 * The steps [start, end) (each lab_par_step() or no action) on JOBS
 * workers, in each namespace in plan order; each done one is marked done.
 * On failure, -errno with e filled and *failed the first failing step in
 * plan order (every action before it ran).
 */
int lab_par_run(struct lab_job *job, size_t start, size_t end, unsigned jobs, size_t *failed,
		struct nsc_error *e);

#endif
