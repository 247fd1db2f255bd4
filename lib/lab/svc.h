/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Services: the lab's supervisor (svc_sup.c, one process a lab), its
 * status file (svc_status.c), the service ready checks it runs
 * (svc_check.c), and what apply, diff and destroy do with them (svc.c).
 *
 * In the lab's state dir:
 *   services        the supervisor's status, rewritten whole (temp +
 *                   rename) on every change: who it is (PID and start
 *                   time), the last reload it took, and a line a service
 *   log/NODE.SVC    each service's output, at most LAB_SVC_LOG_MAX bytes
 *                   (then moved to NODE.SVC.1, one old file kept)
 * Ownership, intent first: apply forks the supervisor stopped, records its
 * PID and start time in the status file, and only then lets it run; an
 * apply killed before that leaves a supervisor that ends without starting
 * anything. Services get PR_SET_PDEATHSIG SIGKILL: they never outlive the
 * supervisor, which is always recorded before it starts one.
 *
 * The supervisor reads the copy of the file apply keeps (lab.yaml) on every
 * reload (a queued LAB_SVC_RELOAD signal whose value is the reload's
 * number), and ends on SIGTERM once it has stopped every service.
 */
#ifndef NETNSCTL_LAB_SVC_H
#define NETNSCTL_LAB_SVC_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include <netnsctl/lab.h>

#define LAB_SVC_FILE "services"
#define LAB_SVC_LOGDIR "log"
#define LAB_SVC_LOG_MAX (1024 * 1024)
#define LAB_SVC_GRACE_MS 5000           /* SIGTERM, then this long, then SIGKILL */
#define LAB_SVC_RELOAD (SIGRTMIN + 1)

enum lab_svc_state {
	SVC_WAITING,                    /* for the services it comes after */
	SVC_STARTING,                   /* running, its ready check not passed yet */
	SVC_READY,
	SVC_RUNNING,                    /* running, no ready check */
	SVC_EXITED,
	SVC_FAILED,                     /* could not run, or never got ready */
	SVC_STOPPING,
	SVC_NSTATES
};
extern const char *const lab_svc_state_names[SVC_NSTATES];

struct lab_svc_rec {
	char node[256], name[256];
	enum lab_svc_state state;
	pid_t pid;                      /* 0: none */
	uint64_t start;                 /* its start time (/proc/PID/stat) */
	int exit_status;                /* -1: none; 128+N: killed by signal N */
	unsigned restarts;
	int64_t since;                  /* CLOCK_REALTIME s of the last start */
	uint64_t hash;                  /* of the definition it runs */
};

struct lab_svc_status {
	pid_t pid;                      /* the supervisor; 0: none */
	uint64_t start;
	uint64_t gen;                   /* the last reload taken */
	struct lab_svc_rec *v;
	size_t n, cap;
};

/* ---- svc_status.c ---- */
/* The definition's hash: what restarts a service when it changes. */
uint64_t lab_svc_hash(const struct nsc_lab_service *s);
/* PID's start time, 0 when it is gone. */
uint64_t lab_proc_start(pid_t pid);
/* Read (0, or -ENOENT when there is none) and write the status in DFD. */
int lab_svc_status_read(int dfd, struct lab_svc_status *out);
int lab_svc_status_write(int dfd, const struct lab_svc_status *s);
void lab_svc_status_free(struct lab_svc_status *s);
/* The supervisor of S, alive (the same process as recorded)? */
bool lab_svc_alive(const struct lab_svc_status *s);
/* Remove the status and the logs from DFD (the lab is gone). */
void lab_svc_forget(int dfd);
struct lab_svc_rec *lab_svc_status_find(struct lab_svc_status *s, const char *node,
					const char *name);

/* ---- svc_check.c ---- */
/* One try of S's tcp check from inside NODE: true when a connect to the
 * port on one of the node's addresses (or loopback) succeeds. */
bool lab_svc_tcp_ok(struct nsc_ctx *ctx, const struct nsc_lab *lab,
		    const struct nsc_lab_node *node, uint16_t port);

/* ---- svc_sup.c ---- */
/* Become the supervisor of the lab whose dir is DFD, having taken reload
 * GEN: never returns. */
void __attribute__((noreturn)) lab_svc_supervise(const char *run_dir, int dfd, uint64_t gen);

/* ---- svc.c: apply, diff and destroy ---- */
struct lab_job;
/* diff, apply: a step for each service not running as the file says. */
void lab_plan_services(struct lab_job *job);
/* apply: the supervisor (started when there is none) takes the file the
 * state holds; wait until every service of LAB runs it and is ready. */
int lab_svc_sync(struct nsc_ctx *ctx, const struct nsc_lab *lab, int dfd,
		 struct nsc_error *e);
/* destroy: stop every service and the supervisor. */
void lab_svc_stop_all(int dfd);

#endif
