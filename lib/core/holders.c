// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The processes inside a namespace: listed for `pids`, counted by `delete`,
 * and ended for `delete --kill` (through pidfds, so a recycled PID is never
 * signalled). Its other holders, veth peers elsewhere, are in peers.c.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/pidfd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>

#include "core/holders.h"
#include "base/util.h"

long long nsc_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Each process's network namespace (its stat), once: fn returns false to
 * stop. Processes gone meanwhile, zombies and kernel threads are passed by. */
static int proc_walk(bool (*fn)(pid_t pid, const struct stat *st, void *data), void *data)
{
	DIR *d = opendir("/proc");
	struct dirent *de;

	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		char path[64];
		struct stat st;
		char *end;
		long pid = strtol(de->d_name, &end, 10);

		if (*end || pid <= 0)
			continue;
		snprintf(path, sizeof(path), "/proc/%ld/ns/net", pid);
		if (stat(path, &st) < 0)
			continue;
		if (!fn((pid_t)pid, &st, data))
			break;
	}
	closedir(d);
	return 0;
}

struct pids_in {
	dev_t dev;
	ino_t ino;
	nsc_pid_fn fn;
	void *data;
};

static bool pid_in(pid_t pid, const struct stat *st, void *data)
{
	struct pids_in *w = data;

	return st->st_ino != w->ino || st->st_dev != w->dev || w->fn(pid, w->data);
}

int nsc_for_each_pid_in(dev_t dev, ino_t ino, nsc_pid_fn fn, void *data)
{
	struct pids_in w = { .dev = dev, .ino = ino, .fn = fn, .data = data };

	return proc_walk(pid_in, &w);
}

int nsc_ns_key_cmp(const void *a, const void *b)
{
	const struct nsc_ns_key *x = a, *y = b;

	if (x->dev != y->dev)
		return x->dev < y->dev ? -1 : 1;
	return x->ino < y->ino ? -1 : x->ino > y->ino;
}

struct pids_of {
	const struct nsc_ns_key *keys;
	size_t n;
	unsigned *counts;
};

static bool pid_of(pid_t pid, const struct stat *st, void *data)
{
	struct pids_of *w = data;
	struct nsc_ns_key k = { .dev = st->st_dev, .ino = st->st_ino };
	const struct nsc_ns_key *hit = bsearch(&k, w->keys, w->n, sizeof(*w->keys),
					       nsc_ns_key_cmp);

	(void)pid;
	if (!hit)
		return true;
	/* two names for one namespace: each counts its holders */
	while (hit > w->keys && !nsc_ns_key_cmp(hit - 1, &k))
		hit--;
	for (; hit < w->keys + w->n && !nsc_ns_key_cmp(hit, &k); hit++)
		w->counts[hit - w->keys]++;
	return true;
}

/*
 * One read of /proc for many namespaces (a delete of many names): each
 * process's namespace looked up among the keys (sorted), instead of a read
 * of /proc per namespace, which costs O(names x processes).
 */
int nsc_count_pids_of(const struct nsc_ns_key *keys, size_t n, unsigned *counts)
{
	struct pids_of w = { .keys = keys, .n = n, .counts = counts };

	for (size_t i = 0; i < n; i++)
		counts[i] = 0;
	if (!n)
		return 0;
	return proc_walk(pid_of, &w);
}

/* ---- --kill ---- */

struct victims {
	int *pidfd;
	size_t n, cap;
	dev_t dev;
	ino_t ino;
	bool nomem;
};

static bool pidfd_exited(int pidfd)
{
	struct pollfd p = { .fd = pidfd, .events = POLLIN };

	return poll(&p, 1, 0) != 0;
}

static bool add_victim(pid_t pid, void *data)
{
	struct victims *vs = data;
	struct stat st;
	char path[64];
	int pfd;

	pfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (pfd < 0)
		return true;            /* gone already */
	/*
	 * The PID may have been recycled since the /proc scan: look again,
	 * and trust the answer only if the pidfd's process was still alive
	 * after it (a living process's PID cannot be reused).
	 */
	snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)pid);
	if (stat(path, &st) < 0 || st.st_ino != vs->ino || st.st_dev != vs->dev ||
	    pidfd_exited(pfd)) {
		close(pfd);
		return true;
	}
	if (NSC_GROW(vs->pidfd, vs->cap, vs->n + 1) < 0) {
		close(pfd);
		vs->nomem = true;
		return false;
	}
	vs->pidfd[vs->n++] = pfd;
	return true;
}

static void victims_close(struct victims *vs)
{
	for (size_t i = 0; i < vs->n; i++)
		if (vs->pidfd[i] >= 0)
			close(vs->pidfd[i]);
	vs->n = 0;
}

/* Wait until every victim exited (closing their pidfds) or the deadline;
 * returns how many are left. */
static size_t victims_wait(struct victims *vs, long long deadline)
{
	for (;;) {
		size_t left = 0;
		struct pollfd pf;

		for (size_t i = 0; i < vs->n; i++) {
			if (vs->pidfd[i] < 0)
				continue;
			if (pidfd_exited(vs->pidfd[i])) {
				close(vs->pidfd[i]);
				vs->pidfd[i] = -1;
			} else {
				left++;
				pf.fd = vs->pidfd[i];
			}
		}
		long long now = nsc_now_ms();

		if (!left || now >= deadline)
			return left;
		/* one at a time is enough: all must go */
		pf.events = POLLIN;
		poll(&pf, 1, (int)(deadline - now < 100 ? deadline - now : 100));
	}
}

static void victims_signal(struct victims *vs, int sig)
{
	for (size_t i = 0; i < vs->n; i++)
		if (vs->pidfd[i] >= 0)
			syscall(SYS_pidfd_send_signal, vs->pidfd[i], sig, NULL, 0);
}

int nsc_kill_inside(dev_t dev, ino_t ino, const char *name, unsigned grace_ms,
		    unsigned max_ms, unsigned *killed, struct nsc_error *e)
{
	struct victims vs = { .dev = dev, .ino = ino };
	long long end = nsc_now_ms() + grace_ms + max_ms;
	size_t left = 0;
	int ret = 0;

	*killed = 0;
	/* a process may fork while we kill: scan again until none is left */
	for (int round = 0; ; round++) {
		ret = nsc_for_each_pid_in(dev, ino, add_victim, &vs);
		if (ret < 0 || vs.nomem) {
			ret = nsc_err(e, vs.nomem ? ENOMEM : -ret, "delete \"%s\": read /proc", name);
			break;
		}
		if (!vs.n)
			break;
		*killed += (unsigned)vs.n;
		if (round == 0) {
			victims_signal(&vs, SIGTERM);
			victims_wait(&vs, nsc_now_ms() + grace_ms);
		}
		victims_signal(&vs, SIGKILL);
		left = victims_wait(&vs, end);
		victims_close(&vs);
		if (left) {
			ret = nsc_err_text(e, ETIMEDOUT,
					   "delete \"%s\": %zu process%s inside survived SIGKILL",
					   name, left, left > 1 ? "es" : "");
			break;
		}
		if (round >= 32) {      /* a fork bomb outruns us: say so */
			ret = nsc_err_text(e, EAGAIN,
					   "delete \"%s\": processes keep appearing inside", name);
			break;
		}
	}
	victims_close(&vs);
	free(vs.pidfd);
	return ret;
}

/* ---- pids ---- */

struct pid_vec {
	pid_t *v;
	size_t n, cap;
	bool nomem;
};

static bool collect_pid(pid_t pid, void *data)
{
	struct pid_vec *pv = data;

	if (NSC_GROW(pv->v, pv->cap, pv->n + 1) < 0) {
		pv->nomem = true;
		return false;
	}
	pv->v[pv->n++] = pid;
	return true;
}

int nsc_ns_pids(struct nsc_ctx *ctx, const char *name, pid_t **pids,
		size_t *n, struct nsc_error *e)
{
	struct pid_vec pv = { 0 };
	struct stat st;
	int fd, ret;

	*pids = NULL;
	*n = 0;
	fd = nsc_ns_open(ctx, name, e);
	if (fd < 0)
		return nsc_err_prefix(e, "pids");
	ret = fstat(fd, &st) < 0 ? -errno : 0;
	close(fd);
	if (ret < 0)
		return nsc_err(e, ret, "pids \"%s\"", name);
	ret = nsc_for_each_pid_in(st.st_dev, st.st_ino, collect_pid, &pv);
	if (ret < 0 || pv.nomem) {
		free(pv.v);
		return nsc_err(e, pv.nomem ? ENOMEM : ret, "pids \"%s\": read /proc", name);
	}
	/* /proc lists in ascending order already */
	*pids = pv.v;
	*n = pv.n;
	return 0;
}
