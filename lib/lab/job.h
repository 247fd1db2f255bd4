/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A job: one apply, diff or show of a lab. job.c opens it: the lab's state
 * opened, its namespaces listed (the file's, and those it recorded),
 * scanned and looked into, the sysctls read; then plan.h's steps are made
 * over it and handed over as a report.
 */
#ifndef NETNSCTL_LAB_JOB_H
#define NETNSCTL_LAB_JOB_H

#include <stdbool.h>
#include <stddef.h>

#include <netnsctl/lab.h>

#include "lab/observe.h"
#include "lab/state.h"

struct lab_step;

struct lab_job {
	struct nsc_ctx *ctx;
	const struct nsc_lab *lab;
	struct nsc_lab_opts opts;
	struct lab_state st;
	char marker[256];               /* nsc_lab_marker() of the lab */
	struct lab_ns *ns;              /* nodes in file order, the switch, then
					 * namespaces only recorded */
	size_t n_ns;
	size_t *ns_slots;               /* name -> index + 1 into ns (0: free) */
	size_t ns_nslots;               /* a power of two, over twice n_ns */
	struct lab_sysctl_job *sysctls; /* sysctls as read */
	size_t n_sysctls;
	struct lab_step *steps;         /* the plan */
	size_t n_steps, cap_steps;
	size_t n_actions;
	bool blocked;                   /* some step blocks the apply */
	unsigned holders;               /* processes left in removed namespaces */
	bool need_ready;
	bool nomem;                     /* a step's string could not be made */
	bool cmds;                      /* the report gives each action's batch lines
					 * (a dry run, a diff): item.cmd */
	char *hosts_body;               /* lab_hosts_body(), made once (plan_hosts.c) */
};

/*
 * Open the state (writable: to change it, made when missing), probe and
 * observe. full: also dump what only shows extras (every link and address,
 * routes and neighbours of nodes that have none in the file): for diff and
 * --prune. Close the job whatever this returns.
 */
int lab_job_open(struct lab_job *job, struct nsc_ctx *ctx, const struct nsc_lab *lab,
		 const struct nsc_lab_opts *opts, bool writable, bool full,
		 struct nsc_error *e);
void lab_job_close(struct lab_job *job);
/* Move the plan's items into report (sorted already). */
int lab_job_report(struct lab_job *job, struct nsc_lab_report *report, struct nsc_error *e);

/* The job's namespace NAME, a node's, a link end's (the switch for bridge ends). */
struct lab_ns *lab_job_ns(struct lab_job *job, const char *name);
struct lab_ns *lab_node_ns(struct lab_job *job, const struct nsc_lab_node *node);
struct lab_ns *lab_end_ns(struct lab_job *job, const struct nsc_lab_end *end);
/* There, and the lab's, and staying. */
bool lab_ns_usable(const struct lab_ns *ns);
/* Made by the lab: recorded with this ifindex, and marked. */
bool lab_link_ours(struct lab_job *job, const struct lab_ns *ns, const struct lab_link *l);

#endif
