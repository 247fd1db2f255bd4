// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The lab's supervisor: one process a lab, holding its services (svc.h).
 * It is the parent of every service, so it learns each exit status and
 * applies the restart policy; it pumps each service's output into a
 * bounded log; it runs the services' ready checks; it starts a service once
 * those it comes "after" are up. Every service gets PR_SET_PDEATHSIG
 * SIGKILL: a supervisor that dies (even by SIGKILL) takes its services with
 * it, so no service of a lab is ever left without an owner.
 *
 * One thread, one poll loop over a signalfd (SIGCHLD, reloads, SIGTERM)
 * and the services' output pipes, woken at the next timer (a restart's
 * back-off, a ready check, a stop's grace). The status file is rewritten
 * whenever something changed.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <netnsctl/exec.h>

#include "base/util.h"
#include "core/holders.h"
#include "lab/svc.h"
#include "lab/uts.h"

#define CHECK_EVERY_MS 100
#define CHECK_MAX_MS 5000               /* a ready command running longer is killed */
#define BACKOFF_MAX_MS 5000

struct sup_svc {
	struct lab_svc_rec r;
	const struct nsc_lab_node *node;        /* NULL: removed from the file */
	const struct nsc_lab_service *def;
	int out;                                /* its output pipe, -1 */
	int log;                                /* the log, -1 */
	off_t log_size;
	int64_t timer;                          /* ms: next restart, check or kill; 0 */
	int64_t deadline;                       /* ms: ready by then */
	pid_t check;                            /* a ready command running */
	int64_t check_end;
	bool restart_now;                       /* stopping to run a new definition */
};

struct sup {
	struct nsc_ctx *ctx;
	int dfd, sfd;
	struct nsc_lab *lab;
	struct sup_svc *v;
	size_t n, cap;
	struct lab_svc_status st;
	bool dirty, ending;
};

/* ---- logs ---- */

static void log_open(struct sup *s, struct sup_svc *v)
{
	char name[600];
	struct stat sb;

	snprintf(name, sizeof(name), LAB_SVC_LOGDIR "/%s.%s", v->r.node, v->r.name);
	v->log = openat(s->dfd, name, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW,
			0600);
	v->log_size = v->log >= 0 && fstat(v->log, &sb) == 0 ? sb.st_size : 0;
}

static void log_write(struct sup *s, struct sup_svc *v, const char *buf, size_t n)
{
	if (v->log < 0)
		log_open(s, v);
	if (v->log >= 0 && v->log_size + (off_t)n > LAB_SVC_LOG_MAX) {
		char a[600], b[610];

		/* one old file kept: the log never holds more than twice the bound */
		snprintf(a, sizeof(a), LAB_SVC_LOGDIR "/%s.%s", v->r.node, v->r.name);
		snprintf(b, sizeof(b), "%s.1", a);
		renameat(s->dfd, a, s->dfd, b);
		close(v->log);
		log_open(s, v);
	}
	if (v->log >= 0 && write(v->log, buf, n) > 0)
		v->log_size += (off_t)n;
}

static void log_note(struct sup *s, struct sup_svc *v, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void log_note(struct sup *s, struct sup_svc *v, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	int n;

	n = snprintf(buf, sizeof(buf), "netnsctl: ");
	va_start(ap, fmt);
	n += vsnprintf(buf + n, sizeof(buf) - (size_t)n - 1, fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(buf) - 2)
		n = (int)sizeof(buf) - 2;
	buf[n++] = '\n';
	log_write(s, v, buf, (size_t)n);
}

static void pump(struct sup *s, struct sup_svc *v)
{
	char buf[8192];
	ssize_t n;

	while ((n = read(v->out, buf, sizeof(buf))) > 0)
		log_write(s, v, buf, (size_t)n);
	if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
		close(v->out);
		v->out = -1;
	}
}

/* ---- starting ---- */

/* In the child: become the service. What fails goes to the log (stderr). */
static void __attribute__((noreturn)) child(struct sup *s, struct sup_svc *v, int out,
					     int errp)
{
	struct nsc_exec_opts xo = { .user = v->def->user };
	struct nsc_error e = { 0 };
	char uts[320];
	const struct nsc_lab_service *d = v->def;
	sigset_t all;
	int null = open("/dev/null", O_RDONLY | O_CLOEXEC);
	int err;

	sigfillset(&all);
	sigprocmask(SIG_UNBLOCK, &all, NULL);
	signal(SIGPIPE, SIG_DFL);
	setsid();
	if (null >= 0)
		dup2(null, STDIN_FILENO);
	dup2(out, STDOUT_FILENO);
	dup2(out, STDERR_FILENO);
	if (lab_uts_path(s->dfd, v->node->name, uts, sizeof(uts)))
		xo.uts = uts;
	if (nsc_exec_prepare(s->ctx, v->node->netns, &xo, &e) < 0) {
		dprintf(STDERR_FILENO, "netnsctl: service %s.%s: %s\n", v->r.node, v->r.name, e.msg);
		err = 126;
		goto fail;
	}
	/* after the user change, which clears it */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() == 1 || kill(getppid(), 0) < 0)
		_exit(1);
	if (chdir(d->cwd ? d->cwd : "/") < 0) {
		dprintf(STDERR_FILENO, "netnsctl: service %s.%s: cwd \"%s\": %s\n", v->r.node,
			v->r.name, d->cwd, strerror(errno));
		err = 126;
		goto fail;
	}
	for (size_t i = 0; i < d->n_env; i++)
		putenv(d->env[i]);
	execvp(d->argv[0], d->argv);
	err = errno == ENOENT ? 127 : 126;
	dprintf(STDERR_FILENO, "netnsctl: service %s.%s: %s: %s\n", v->r.node, v->r.name,
		d->argv[0], strerror(errno));
fail:
	if (write(errp, &err, sizeof(err)) < 0)
		_exit(err);
	_exit(err);
}

static void start(struct sup *s, struct sup_svc *v, bool restart)
{
	int p[2] = { -1, -1 }, ep[2] = { -1, -1 }, err = 0;
	pid_t pid;

	v->timer = 0;
	if (pipe2(p, O_CLOEXEC) < 0 || pipe2(ep, O_CLOEXEC) < 0)
		goto failed;
	if ((pid = fork()) < 0)
		goto failed;
	if (pid == 0) {
		close(p[0]);
		close(ep[0]);
		child(s, v, p[1], ep[1]);
	}
	close(p[1]);
	close(ep[1]);
	p[1] = ep[1] = -1;
	/* EOF at exec (CLOEXEC), or why it could not run */
	if (read(ep[0], &err, sizeof(err)) != sizeof(err))
		err = 0;
	close(ep[0]);
	if (v->out >= 0)
		close(v->out);
	v->out = p[0];
	fcntl(v->out, F_SETFL, O_NONBLOCK);
	v->r.pid = pid;
	v->r.start = lab_proc_start(pid);
	v->r.since = time(NULL);
	v->r.exit_status = -1;
	v->r.hash = lab_svc_hash(v->def);
	if (restart)
		v->r.restarts++;
	if (err) {
		/* the child exits with err: SIGCHLD reaps it */
		v->r.state = SVC_FAILED;
		v->r.exit_status = err;
	} else if (v->def->ready_tcp || v->def->ready_cmd) {
		v->r.state = SVC_STARTING;
		v->deadline = nsc_now_ms() + (int64_t)v->def->ready_timeout * 1000;
		v->timer = nsc_now_ms();
	} else {
		v->r.state = SVC_RUNNING;
	}
	s->dirty = true;
	return;
failed:
	log_note(s, v, "cannot start: %s", strerror(errno));
	for (int i = 0; i < 2; i++) {
		if (p[i] >= 0)
			close(p[i]);
		if (ep[i] >= 0)
			close(ep[i]);
	}
	v->r.state = SVC_FAILED;
	s->dirty = true;
}

static void stop(struct sup *s, struct sup_svc *v)
{
	if (!v->r.pid || v->r.state == SVC_STOPPING)
		return;
	kill(-v->r.pid, SIGTERM);
	kill(v->r.pid, SIGTERM);
	v->r.state = SVC_STOPPING;
	v->timer = nsc_now_ms() + LAB_SVC_GRACE_MS;
	s->dirty = true;
}

/* ---- ready checks ---- */

static void check_cmd(struct sup *s, struct sup_svc *v)
{
	struct nsc_error e = { 0 };
	pid_t pid = fork();

	if (pid == 0) {
		sigset_t all;
		int null = open("/dev/null", O_RDWR | O_CLOEXEC);

		sigfillset(&all);
		sigprocmask(SIG_UNBLOCK, &all, NULL);
		signal(SIGPIPE, SIG_DFL);
		setsid();
		struct nsc_exec_opts xo = { 0 };
		char uts[320];

		for (int fd = 0; fd < 3 && null >= 0; fd++)
			dup2(null, fd);
		if (lab_uts_path(s->dfd, v->node->name, uts, sizeof(uts)))
			xo.uts = uts;
		if (nsc_exec_prepare(s->ctx, v->node->netns, &xo, &e) == 0) {
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			execl("/bin/sh", "sh", "-c", v->def->ready_cmd, (char *)NULL);
		}
		_exit(127);
	}
	if (pid > 0) {
		v->check = pid;
		v->check_end = nsc_now_ms() + CHECK_MAX_MS;
	}
}

static bool deps_up(struct sup *s, const struct nsc_lab_service *d)
{
	for (size_t i = 0; i < d->n_after; i++) {
		const char *dot = strchr(d->after[i], '.');
		bool up = false;

		for (size_t k = 0; k < s->n && !up; k++) {
			const struct sup_svc *w = &s->v[k];

			up = w->node && !strncmp(w->r.node, d->after[i], (size_t)(dot - d->after[i])) &&
			     !w->r.node[dot - d->after[i]] && !strcmp(w->r.name, dot + 1) &&
			     (w->r.state == SVC_READY || w->r.state == SVC_RUNNING);
		}
		if (!up)
			return false;
	}
	return true;
}

/* The timers of V that are due. */
static void tick(struct sup *s, struct sup_svc *v, int64_t now)
{
	switch (v->r.state) {
	case SVC_WAITING:
		if (!s->ending && deps_up(s, v->def))
			start(s, v, false);
		break;
	case SVC_STARTING:
		if (v->check && now >= v->check_end) {
			kill(-v->check, SIGKILL);
			v->check_end = INT64_MAX;
		}
		if (now >= v->deadline && v->r.state == SVC_STARTING) {
			log_note(s, v, "not ready within %u s", v->def->ready_timeout);
			v->r.state = SVC_FAILED;
			s->dirty = true;
			break;
		}
		if (v->timer && now >= v->timer && !v->check) {
			if (v->def->ready_cmd) {
				check_cmd(s, v);
			} else if (lab_svc_tcp_ok(s->ctx, s->lab, v->node, v->def->ready_tcp)) {
				v->r.state = SVC_READY;
				s->dirty = true;
			}
			v->timer = now + CHECK_EVERY_MS;
		}
		break;
	case SVC_EXITED:
		if (v->timer && now >= v->timer && !s->ending)
			start(s, v, true);
		break;
	case SVC_STOPPING:
		if (v->timer && now >= v->timer) {
			kill(-v->r.pid, SIGKILL);
			kill(v->r.pid, SIGKILL);
			v->timer = 0;
		}
		break;
	default:
		break;
	}
}

/* ---- exits ---- */

static void drop(struct sup *s, size_t i)
{
	struct sup_svc *v = &s->v[i];

	if (v->out >= 0)
		close(v->out);
	if (v->log >= 0)
		close(v->log);
	s->v[i] = s->v[--s->n];
	s->dirty = true;
}

static void exited(struct sup *s, size_t i, int status)
{
	struct sup_svc *v = &s->v[i];
	int code = WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
	bool again;

	if (v->out >= 0)
		pump(s, v);
	log_note(s, v, "%s.%s exited with status %d", v->r.node, v->r.name, code);
	v->r.pid = 0;
	v->r.start = 0;
	v->r.exit_status = code;
	v->timer = 0;
	s->dirty = true;
	if (!v->node || s->ending) {
		drop(s, i);
		return;
	}
	if (v->r.state == SVC_FAILED)
		return;
	if (v->restart_now) {
		v->restart_now = false;
		v->r.restarts = 0;
		v->r.state = SVC_WAITING;
		tick(s, v, nsc_now_ms());
		return;
	}
	v->r.state = SVC_EXITED;
	again = v->def->restart == NSC_LAB_RESTART_ALWAYS ||
		(v->def->restart == NSC_LAB_RESTART_ON_FAILURE && code != 0);
	if (again) {
		unsigned k = v->r.restarts < 6 ? v->r.restarts : 6;
		int64_t delay = 100LL << k;

		v->timer = nsc_now_ms() + (delay < BACKOFF_MAX_MS ? delay : BACKOFF_MAX_MS);
	}
}

static void reap(struct sup *s)
{
	for (;;) {
		siginfo_t si = { 0 };
		int status;

		/* WNOWAIT: the pid stays ours (a zombie) while its group is killed */
		if (waitid(P_ALL, 0, &si, WEXITED | WNOHANG | WNOWAIT) < 0 || !si.si_pid)
			return;
		for (size_t i = 0; i < s->n; i++) {
			if (s->v[i].r.pid == si.si_pid) {
				/* what the service left in its group goes with it */
				kill(-si.si_pid, SIGKILL);
				waitpid(si.si_pid, &status, 0);
				exited(s, i, status);
				goto next;
			}
			if (s->v[i].check == si.si_pid) {
				struct sup_svc *v = &s->v[i];

				kill(-si.si_pid, SIGKILL);
				waitpid(si.si_pid, &status, 0);
				v->check = 0;
				if (v->r.state == SVC_STARTING && WIFEXITED(status) &&
				    !WEXITSTATUS(status)) {
					v->r.state = SVC_READY;
					s->dirty = true;
				}
				goto next;
			}
		}
		waitpid(si.si_pid, &status, 0);
next:;
	}
}

/* ---- reload: the file apply left ---- */

static struct sup_svc *find(struct sup *s, const char *node, const char *name)
{
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->v[i].r.node, node) && !strcmp(s->v[i].r.name, name))
			return &s->v[i];
	return NULL;
}

static void reload(struct sup *s)
{
	struct nsc_error e = { 0 };
	struct nsc_lab *lab = NULL;
	int fd = openat(s->dfd, "lab.yaml", O_RDONLY | O_CLOEXEC | O_NOFOLLOW);

	if (fd < 0 || nsc_lab_read_fd(fd, "lab.yaml", &lab, &e) < 0) {
		if (fd >= 0)
			close(fd);
		return;         /* apply checks what we took: it says so */
	}
	close(fd);
	/* removed ones stop; the rest forget the old lab */
	for (size_t i = 0; i < s->n; i++) {
		struct sup_svc *v = &s->v[i];

		v->def = nsc_lab_service(lab, v->r.node, v->r.name);
		v->node = v->def ? nsc_lab_node(lab, v->r.node) : NULL;
		if (!v->def)
			stop(s, v);
	}
	for (size_t i = 0; i < s->n;)
		if (!s->v[i].node && !s->v[i].r.pid)
			drop(s, i);
		else
			i++;
	for (size_t i = 0; i < lab->n_nodes; i++) {
		const struct nsc_lab_node *n = &lab->nodes[i];

		for (size_t j = 0; j < n->n_services; j++) {
			const struct nsc_lab_service *d = &n->services[j];
			struct sup_svc *v = find(s, n->name, d->name);

			if (!v) {
				if (NSC_GROW(s->v, s->cap, s->n + 1) < 0)
					continue;
				v = &s->v[s->n++];
				*v = (struct sup_svc){ .out = -1, .log = -1, .node = n, .def = d };
				snprintf(v->r.node, sizeof(v->r.node), "%s", n->name);
				snprintf(v->r.name, sizeof(v->r.name), "%s", d->name);
				v->r.exit_status = -1;
				v->r.state = SVC_WAITING;
			}
			if (v->r.pid && v->r.hash != lab_svc_hash(d)) {
				v->restart_now = true;
				stop(s, v);
			} else if (v->r.state == SVC_EXITED || v->r.state == SVC_FAILED) {
				if (v->r.pid)
					stop(s, v);     /* never got ready: again */
				else
					v->r.state = SVC_WAITING;
				v->restart_now = v->r.pid != 0;
			}
		}
	}
	nsc_lab_free(s->lab);
	s->lab = lab;
	s->dirty = true;
}

/* ---- the loop ---- */

static void publish(struct sup *s)
{
	s->st.n = 0;
	if (NSC_GROW(s->st.v, s->st.cap, s->n) < 0)
		return;
	for (size_t i = 0; i < s->n; i++)
		s->st.v[s->st.n++] = s->v[i].r;
	lab_svc_status_write(s->dfd, &s->st);
	s->dirty = false;
}

static void on_signal(struct sup *s)
{
	struct signalfd_siginfo si;

	while (read(s->sfd, &si, sizeof(si)) == sizeof(si)) {
		if ((int)si.ssi_signo == LAB_SVC_RELOAD) {
			reload(s);
			if ((uint64_t)(uint32_t)si.ssi_int > s->st.gen)
				s->st.gen = (uint32_t)si.ssi_int;
			s->dirty = true;
		} else if (si.ssi_signo == SIGTERM || si.ssi_signo == SIGINT) {
			s->ending = true;
			for (size_t i = 0; i < s->n; i++)
				stop(s, &s->v[i]);
			for (size_t i = 0; i < s->n;)
				if (!s->v[i].r.pid)
					drop(s, i);
				else
					i++;
		} else if (si.ssi_signo == SIGCHLD) {
			reap(s);
		}
	}
}

static int next_wait(struct sup *s, int64_t now)
{
	int64_t t = now + 1000;

	for (size_t i = 0; i < s->n; i++) {
		const struct sup_svc *v = &s->v[i];

		if (v->timer && v->timer < t)
			t = v->timer;
		if (v->r.state == SVC_STARTING && v->deadline < t)
			t = v->deadline;
		if (v->check && v->check_end < t)
			t = v->check_end;
	}
	return t <= now ? 0 : (int)(t - now);
}

static void loop(struct sup *s)
{
	struct pollfd *pfd = NULL;
	size_t cap = 0;

	while (!s->ending || s->n) {
		size_t n = 1;
		int64_t now = nsc_now_ms();

		for (size_t i = 0; i < s->n; i++)
			tick(s, &s->v[i], now);
		if (s->dirty)
			publish(s);
		if (NSC_GROW(pfd, cap, s->n + 1) < 0)
			break;
		pfd[0] = (struct pollfd){ .fd = s->sfd, .events = POLLIN };
		for (size_t i = 0; i < s->n; i++)
			pfd[n++] = (struct pollfd){ .fd = s->v[i].out, .events = POLLIN };
		if (poll(pfd, n, next_wait(s, nsc_now_ms())) < 0 && errno != EINTR)
			break;
		for (size_t i = 0; i < s->n; i++)
			if (s->v[i].out >= 0 && pfd[i + 1].revents)
				pump(s, &s->v[i]);
		if (pfd[0].revents)
			on_signal(s);
	}
	publish(s);
	free(pfd);
}

/*
 * The supervisor is a subreaper: what a service leaves behind when its
 * leader exits (a background "cmd &") is reparented here, not to the
 * world's init. Its group got SIGKILL, but a killed process takes a moment
 * to go; the supervisor ends only once no child of its own is left, so that
 * destroy, which waits for the supervisor, finds the lab's namespaces free
 * rather than an orphan on its way out. Anything that left the group
 * (setsid) is killed here too. Bounded: SIGKILL always ends a process.
 */
static void end_orphans(void)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/self/task/%d/children", (int)getpid());
	for (int round = 0; round < 1000; round++) {
		FILE *f = fopen(path, "re");
		int pid, status;

		while (f && fscanf(f, "%d", &pid) == 1)
			kill(pid, SIGKILL);
		if (f)
			fclose(f);
		/* one at a time: a child that dies may hand us its own */
		if (waitpid(-1, &status, 0) < 0 && errno == ECHILD)
			return;
	}
}

void lab_svc_supervise(const char *run_dir, int dfd, uint64_t gen)
{
	struct sup s = { .dfd = dfd, .sfd = -1 };
	struct nsc_error e = { 0 };
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);        /* its session's leader went: not its business */
	sigaddset(&set, LAB_SVC_RELOAD);
	sigprocmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	mkdirat(dfd, LAB_SVC_LOGDIR, 0700);
	if ((s.sfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK)) < 0 ||
	    nsc_ctx_new(&s.ctx, run_dir, &e) < 0)
		_exit(1);
	/* told apart from apply in ps (its command line is still apply's) */
	prctl(PR_SET_NAME, "netnsctl-svc");
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	s.st.pid = getpid();
	s.st.start = lab_proc_start(s.st.pid);
	reload(&s);
	s.st.gen = gen;
	loop(&s);
	end_orphans();
	_exit(0);
}
