// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Services as apply, diff and destroy see them (svc.h): the plan's steps
 * (a service not running as the file says, or no longer in the file), the
 * supervisor started or told to reload and the wait for the services'
 * readiness, and the stop before a destroy removes namespaces.
 *
 * The supervisor is found by its status file (PID and start time), never
 * by a PID alone. It is started double-forked, in a session of its own,
 * with only the lab's dir open (a new open of it: apply's flock stays
 * apply's), and never touches the state but its own status and logs.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lab/plan.h"
#include "core/holders.h"
#include "lab/svc.h"

#define WAIT_STEP_MS 10
#define START_SLACK_S 10        /* a supervisor to start, a reload to take */

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* ---- plan ---- */

static void plan_one(struct lab_job *job, const struct nsc_lab_node *node,
		     const struct nsc_lab_service *d, struct lab_svc_status *st, bool alive)
{
	struct lab_svc_rec *r = alive ? lab_svc_status_find(st, node->name, d->name) : NULL;
	struct lab_ns *ns = lab_node_ns(job, node);
	bool running = r && r->pid && lab_proc_start(r->pid) == r->start;
	struct lab_step *s;

	if (running && r->hash == lab_svc_hash(d) &&
	    (r->state == SVC_READY || r->state == SVC_RUNNING))
		return;
	s = lab_step_new(job, OP_SERVICE, PH_SERVICE, NSC_LAB_SERVICE,
			 running ? NSC_LAB_DIFFERS : NSC_LAB_MISSING, ns, NULL, d->pos);
	if (!s)
		return;
	s->node = node;
	s->service = d;
	s->item.object = lab_job_dup(job, d->name);
	if (running && r->hash != lab_svc_hash(d))
		lab_step_differs(job, s, "definition", "an old one", "the file's");
	else if (running)
		lab_step_differs(job, s, "state", lab_svc_state_names[r->state], "ready");
	else if (r && r->exit_status >= 0)
		s->item.have = lab_job_fmt(job, "%s, status %d", lab_svc_state_names[r->state],
					   r->exit_status);
	else
		s->item.have = lab_job_dup(job, r ? lab_svc_state_names[r->state] : "not started");
}

void lab_plan_services(struct lab_job *job)
{
	const struct nsc_lab *lab = job->lab;
	struct lab_svc_status st = { 0 };
	bool alive = false;

	if (job->st.dfd >= 0 && lab_svc_status_read(job->st.dfd, &st) == 0)
		alive = lab_svc_alive(&st);
	for (size_t i = 0; i < lab->n_nodes; i++)
		for (size_t j = 0; j < lab->nodes[i].n_services; j++)
			plan_one(job, &lab->nodes[i], &lab->nodes[i].services[j], &st, alive);
	/* the supervisor's, that the file no longer has: stopped */
	for (size_t i = 0; alive && i < st.n; i++) {
		const struct lab_svc_rec *r = &st.v[i];
		char netns[600];
		struct lab_ns *ns;
		struct lab_step *s;

		if (nsc_lab_service(lab, r->node, r->name) || !r->pid)
			continue;
		snprintf(netns, sizeof(netns), "%s.%s", lab->name, r->node);
		if (!(ns = lab_job_ns(job, netns)))
			continue;
		s = lab_step_new(job, OP_SERVICE, PH_SERVICE, NSC_LAB_SERVICE, NSC_LAB_EXTRA, ns,
				 NULL, (struct nsc_lab_pos){ 0, 0 });
		if (!s)
			continue;
		s->item.object = lab_job_dup(job, r->name);
		s->item.have = lab_job_dup(job, "recorded");
	}
	lab_svc_status_free(&st);
}

/* ---- apply ---- */

static int spawn(struct nsc_ctx *ctx, const char *lab, int dfd, uint64_t gen,
		 struct nsc_error *e)
{
	const char *run_dir = nsc_ctx_run_dir(ctx);
	int d = fcntl(dfd, F_DUPFD_CLOEXEC, 10), status, ret;
	int go[2] = { -1, -1 }, who[2] = { -1, -1 };
	struct lab_svc_status rec = { 0 };
	pid_t pid, sup;

	/* a new open of the dir: the flock is on apply's open file */
	if (d >= 0) {
		int again = openat(d, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

		close(d);
		d = again >= 0 ? fcntl(again, F_DUPFD_CLOEXEC, 10) : -1;
		if (again >= 0)
			close(again);
	}
	if (d < 0)
		return nsc_err(e, errno, "lab \"%s\": supervisor: open state", lab);
	if (pipe2(go, O_CLOEXEC) < 0 || pipe2(who, O_CLOEXEC) < 0) {
		ret = nsc_err(e, errno, "lab \"%s\": supervisor: pipe", lab);
		goto cleanup;
	}
	pid = fork();
	if (pid < 0) {
		ret = nsc_err(e, errno, "lab \"%s\": supervisor: fork", lab);
		goto cleanup;
	}
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR | O_CLOEXEC);
		char c;

		setsid();
		if ((sup = fork()) != 0) {
			if (write(who[1], &sup, sizeof(sup)) < 0)
				_exit(1);
			_exit(0);
		}
		/* started only once apply recorded it: apply gone, nothing starts */
		close(go[1]);
		if (read(go[0], &c, 1) != 1)
			_exit(0);
		for (int fd = 0; fd < 3 && null >= 0; fd++)
			dup2(null, fd);
		dup2(d, 3);
		syscall(SYS_close_range, 4U, ~0U, 0U);
		lab_svc_supervise(run_dir, 3, gen);
	}
	close(who[1]);
	who[1] = -1;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (read(who[0], &sup, sizeof(sup)) != sizeof(sup)) {
		ret = nsc_err_text(e, EIO, "lab \"%s\": supervisor: fork failed", lab);
		goto cleanup;
	}
	/* the record first (intent: its PID and start time), then it runs */
	rec.pid = sup;
	rec.start = lab_proc_start(sup);
	if ((ret = lab_svc_status_write(dfd, &rec)) < 0) {
		nsc_err(e, -ret, "lab \"%s\": supervisor: record", lab);
		kill(sup, SIGKILL);
		goto cleanup;
	}
	ret = write(go[1], "g", 1) == 1 ? 0 : nsc_err(e, errno, "lab \"%s\": supervisor", lab);
cleanup:
	for (int i = 0; i < 2; i++) {
		if (go[i] >= 0)
			close(go[i]);
		if (who[i] >= 0)
			close(who[i]);
	}
	close(d);
	return ret;
}

/* Where service D stands: 1 up, 0 not yet, or an error. */
static int svc_up(const struct nsc_lab *lab, const struct nsc_lab_node *node,
		  const struct nsc_lab_service *d, struct lab_svc_status *st, int64_t since,
		  struct nsc_error *e)
{
	struct lab_svc_rec *r = lab_svc_status_find(st, node->name, d->name);
	bool over = nsc_now_ms() - since > (int64_t)(d->ready_timeout + START_SLACK_S) * 1000;
	bool again;

	if (!r || r->hash != lab_svc_hash(d) || r->state == SVC_WAITING ||
	    r->state == SVC_STARTING || r->state == SVC_STOPPING) {
		if (!over)
			return 0;
		nsc_err_text(e, ETIMEDOUT, "service \"%s.%s\" not %s within %u s", node->name,
			     d->name, r && r->state != SVC_WAITING ? "ready" : "started",
			     d->ready_timeout + START_SLACK_S);
		goto fail;
	}
	if (r->state == SVC_READY || r->state == SVC_RUNNING)
		return 1;
	again = r->state == SVC_EXITED && (d->restart == NSC_LAB_RESTART_ALWAYS ||
					   (d->restart == NSC_LAB_RESTART_ON_FAILURE &&
					    r->exit_status != 0));
	if (again && !over)
		return 0;
	if (r->state == SVC_FAILED && r->exit_status < 0)
		nsc_err_text(e, ETIMEDOUT, "service \"%s.%s\" not ready within %u s", node->name,
			     d->name, d->ready_timeout);
	else
		nsc_err_text(e, EIO, "service \"%s.%s\" %s with status %d", node->name, d->name,
			     r->state == SVC_FAILED ? "could not run" : "exited", r->exit_status);
fail:
	snprintf(e->msg + strlen(e->msg), sizeof(e->msg) - strlen(e->msg),
		 " (netnsctl lab logs %s %s %s)", lab->name, node->name, d->name);
	return nsc_lab_err_at(lab, d->pos, e);
}

static bool has_services(const struct nsc_lab *lab)
{
	for (size_t i = 0; i < lab->n_nodes; i++)
		if (lab->nodes[i].n_services)
			return true;
	return false;
}

int lab_svc_sync(struct nsc_ctx *ctx, const struct nsc_lab *lab, int dfd, struct nsc_error *e)
{
	struct lab_svc_status st = { 0 };
	int64_t t0 = nsc_now_ms();
	uint64_t gen;
	pid_t pid;
	int ret;

	if (lab_svc_status_read(dfd, &st) == 0 && lab_svc_alive(&st)) {
		union sigval v;

		gen = st.gen + 1;
		v.sival_int = (int)(uint32_t)gen;
		pid = st.pid;
		if (sigqueue(pid, LAB_SVC_RELOAD, v) < 0) {
			ret = nsc_err(e, errno, "lab \"%s\": supervisor %d", lab->name, (int)pid);
			goto cleanup;
		}
	} else if (has_services(lab)) {
		gen = 1;
		pid = 0;
		if ((ret = spawn(ctx, lab->name, dfd, gen, e)) < 0)
			goto cleanup;
	} else {
		ret = 0;
		goto cleanup;
	}
	for (;;) {
		bool all = true;

		lab_svc_status_free(&st);
		if (lab_svc_status_read(dfd, &st) == 0 && (!pid || st.pid == pid) &&
		    st.gen >= gen && lab_svc_alive(&st)) {
			for (size_t i = 0; i < lab->n_nodes; i++) {
				const struct nsc_lab_node *n = &lab->nodes[i];

				for (size_t j = 0; j < n->n_services; j++) {
					ret = svc_up(lab, n, &n->services[j], &st, t0, e);
					if (ret < 0)
						goto cleanup;
					all = all && ret;
				}
			}
			if (all) {
				ret = 0;
				goto cleanup;
			}
		} else if (nsc_now_ms() - t0 > START_SLACK_S * 1000) {
			ret = nsc_err_text(e, ETIMEDOUT, "lab \"%s\": the services' supervisor did "
					   "not answer within %d s", lab->name, START_SLACK_S);
			goto cleanup;
		}
		sleep_ms(WAIT_STEP_MS);
	}
cleanup:
	lab_svc_status_free(&st);
	return ret;
}

/* ---- destroy ---- */

static int pidfd_of(pid_t pid, uint64_t start)
{
	int fd = (int)syscall(SYS_pidfd_open, pid, 0);

	/* the start time checked once the pidfd pins the process */
	if (fd >= 0 && lab_proc_start(pid) != start) {
		close(fd);
		return -1;
	}
	return fd;
}

static bool ended(int pidfd, int ms)
{
	struct pollfd p = { .fd = pidfd, .events = POLLIN };

	return poll(&p, 1, ms) > 0;
}

void lab_svc_stop_all(int dfd)
{
	struct lab_svc_status st = { 0 };
	int fd;

	if (lab_svc_status_read(dfd, &st) < 0)
		return;
	fd = st.pid > 0 ? pidfd_of(st.pid, st.start) : -1;
	if (fd >= 0) {
		/* it stops its services (SIGTERM, grace, SIGKILL) and ends */
		syscall(SYS_pidfd_send_signal, fd, SIGTERM, NULL, 0);
		if (!ended(fd, LAB_SVC_GRACE_MS + 5000)) {
			/* its services die with it (PR_SET_PDEATHSIG) */
			syscall(SYS_pidfd_send_signal, fd, SIGKILL, NULL, 0);
			ended(fd, 5000);
		}
		close(fd);
	}
	/* a supervisor killed before it could write their end: its services
	 * got SIGKILL with it; what is left of their groups goes now */
	for (size_t i = 0; i < st.n; i++) {
		int sfd = st.v[i].pid > 0 ? pidfd_of(st.v[i].pid, st.v[i].start) : -1;

		if (sfd < 0)
			continue;
		syscall(SYS_pidfd_send_signal, sfd, SIGKILL, NULL, 0);
		ended(sfd, 5000);
		close(sfd);
	}
	lab_svc_status_free(&st);
}
