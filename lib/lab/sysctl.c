// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Sysctls of a lab's namespaces, read and written from inside: a file
 * under /proc/sys/net shows the namespace of the thread that opens it, so
 * one short-lived thread enters each namespace in turn.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/core.h"
#include "lab/observe.h"

/* /proc/sys/net/... shows the namespace of the thread that opens it */
static void sysctl_path(const char *name, char *buf, size_t size)
{
	size_t i = (size_t)snprintf(buf, size, "/proc/sys/");

	for (; *name && i + 1 < size; name++)
		buf[i++] = *name == '.' ? '/' : *name;
	buf[i] = '\0';
}

/* Whitespace squeezed to single spaces, none at the ends. */
static void squeeze(const char *in, char *out, size_t size)
{
	size_t o = 0;
	bool space = false;

	for (; *in && o + 1 < size; in++) {
		if (isspace((unsigned char)*in)) {
			space = o > 0;
			continue;
		}
		if (space && o + 2 < size)
			out[o++] = ' ';
		space = false;
		out[o++] = *in;
	}
	out[o] = '\0';
}

bool lab_sysctl_same(const char *have, const char *want)
{
	char a[512], b[512];

	squeeze(have, a, sizeof(a));
	squeeze(want, b, sizeof(b));
	return !strcmp(a, b);
}

static void sysctl_one(struct lab_sysctl_job *j)
{
	char path[300], buf[256];
	ssize_t n;
	int fd;

	sysctl_path(j->name, path, sizeof(path));
	fd = open(path, (j->value ? O_WRONLY : O_RDONLY) | O_CLOEXEC);
	if (fd < 0) {
		j->err = errno;
		return;
	}
	if (j->value) {
		size_t len = strlen(j->value);

		n = write(fd, j->value, len);
		if (n != (ssize_t)len)
			j->err = n < 0 ? errno : EIO;
	} else {
		n = read(fd, buf, sizeof(buf) - 1);
		if (n < 0)
			j->err = errno;
		else {
			buf[n] = '\0';
			squeeze(buf, j->have, sizeof(j->have));
		}
	}
	if (close(fd) < 0 && !j->err)
		j->err = errno;
}

struct sysctl_work {
	struct nsc_ctx *ctx;            /* read only: its run dir fd is open */
	struct lab_sysctl_job *jobs;
	size_t n;
};

/*
 * One thread goes into each namespace in turn (opened just for that: a
 * lab of a thousand nodes keeps no thousand fds); it exits, so nothing has
 * to be switched back.
 */
static void *sysctl_thread(void *arg)
{
	struct sysctl_work *w = arg;
	const struct lab_ns *cur = NULL;
	int cur_err = 0;

	for (size_t i = 0; i < w->n; i++) {
		struct lab_sysctl_job *j = &w->jobs[i];

		if (j->ns != cur) {
			struct nsc_error ignore = { 0 };
			int fd;

			cur = j->ns;
			fd = nsc_ns_open(w->ctx, cur->name, &ignore);
			cur_err = fd < 0 ? -fd : setns(fd, CLONE_NEWNET) < 0 ? errno : 0;
			if (fd >= 0)
				close(fd);
		}
		if (cur_err) {
			j->err = cur_err;
			continue;
		}
		sysctl_one(j);
	}
	return NULL;
}

int lab_sysctl_run(struct nsc_ctx *ctx, struct lab_sysctl_job *jobs, size_t n,
		   struct nsc_error *e)
{
	struct sysctl_work w = { ctx, jobs, n };
	pthread_t t;
	int ret;

	if (!n)
		return 0;
	for (size_t i = 0; i < n; i++) {
		jobs[i].err = 0;
		jobs[i].have[0] = '\0';
	}
	/* open now: the thread must not change ctx */
	if ((ret = nsc_run_fd(ctx, e)) < 0)
		return nsc_err_prefix(e, "sysctl");
	ret = pthread_create(&t, NULL, sysctl_thread, &w);
	if (ret)
		return nsc_err(e, ret, "sysctl: thread");
	pthread_join(t, NULL);
	return 0;
}
