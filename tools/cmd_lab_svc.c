// SPDX-License-Identifier: GPL-2.0-or-later
/* lab ps and lab logs: a lab's services, and what they wrote. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lab_print.h"
#include "subcmd.h"

const char lab_ps_help[] =
	"Usage: netnsctl [-j] lab ps NAME [NODE]\n"
	"List the services of lab NAME (of node NODE only): node, service, state\n"
	"(starting, ready, running, exited, failed), pid, exit status, restarts and\n"
	"uptime. With -j, a JSON array of objects with those fields.\n";

const char lab_logs_help[] =
	"Usage: netnsctl lab logs NAME NODE SERVICE [-f] [-n LINES]\n"
	"Print what service NODE.SERVICE of lab NAME wrote (standard output and error).\n"
	"  -n LINES   only the last LINES lines\n"
	"  -f         then keep printing what it writes, until interrupted\n";

/* NAME [NODE] [SERVICE], each a name: positional words from k->i on. */
static int names(struct kargs *k, const char **v, int min, int max)
{
	struct nsc_error e = { 0 };
	int n = 0;

	for (int i = 1; i < k->argc; i++) {
		const char *a = k->argv[i];

		if (a[0] == '-' && a[1]) {
			k->i = i;
			return ka_usage(k, "unknown option \"%s\"", a);
		}
		if (n == max) {
			k->i = i;
			return ka_unexpected(k);
		}
		/* the lab's name is a path in the state: checked first */
		if (!n && nsc_lab_name_check(a, &e) < 0)
			return cli_error(k->c, &e);
		v[n++] = a;
	}
	if (n < min)
		return ka_usage(k, "expected %s", min == 1 ? "NAME [NODE]" : "NAME NODE SERVICE");
	return EXIT_OK;
}

static void uptime_str(long long s, char *buf, size_t size)
{
	if (s < 0)
		snprintf(buf, size, "-");
	else if (s < 3600)
		snprintf(buf, size, "%lldm%02llds", s / 60, s % 60);
	else
		snprintf(buf, size, "%lldh%02lldm", s / 3600, s / 60 % 60);
}

int lab_ps(struct kargs *k)
{
	const char *v[2] = { NULL, NULL };
	struct nsc_error e = { 0 };
	struct nsc_lab_svc *s;
	struct cli *c = k->c;
	size_t n;
	int ret;

	if ((ret = names(k, v, 1, 2)) != EXIT_OK || c->check_only)
		return ret;
	if (nsc_lab_ps(c->ctx, NULL, v[0], v[1], &s, &n, &e) < 0)
		return cli_error(c, &e);
	cli_list_open(c);
	if (!c->json && n)
		printf("%-12s %-12s %-8s %7s %5s %8s %8s\n", "NODE", "SERVICE", "STATE", "PID",
		       "EXIT", "RESTARTS", "UPTIME");
	for (size_t i = 0; i < n; i++) {
		char up[32], pid[16], ex[16];

		if (c->json) {
			json_obj_open(c->js);
			json_kv_str(c->js, "node", s[i].node);
			json_kv_str(c->js, "service", s[i].service);
			json_kv_str(c->js, "state", s[i].state);
			json_key(c->js, "pid");
			s[i].pid ? json_int(c->js, s[i].pid) : json_null(c->js);
			json_key(c->js, "exit_status");
			s[i].exit_status >= 0 ? json_int(c->js, s[i].exit_status) : json_null(c->js);
			json_kv_uint(c->js, "restarts", s[i].restarts);
			json_key(c->js, "uptime");
			s[i].uptime >= 0 ? json_int(c->js, s[i].uptime) : json_null(c->js);
			json_obj_close(c->js);
			continue;
		}
		uptime_str(s[i].uptime, up, sizeof(up));
		snprintf(pid, sizeof(pid), s[i].pid ? "%d" : "-", s[i].pid);
		snprintf(ex, sizeof(ex), s[i].exit_status >= 0 ? "%d" : "-", s[i].exit_status);
		printf("%-12s %-12s %-8s %7s %5s %8u %8s\n", s[i].node, s[i].service, s[i].state,
		       pid, ex, s[i].restarts, up);
	}
	cli_list_close(c);
	nsc_lab_ps_free(s, n);
	return EXIT_OK;
}

/* The last LINES lines of fd (the whole of it with -1), to stdout. */
static int tail(int fd, long lines)
{
	char *buf = NULL;
	size_t len = 0, cap = 0, from = 0;
	ssize_t r;

	for (;;) {
		if (len + 65536 > cap) {
			char *nb = realloc(buf, cap = len + 65536 * 2);

			if (!nb) {
				free(buf);
				return -ENOMEM;
			}
			buf = nb;
		}
		if ((r = read(fd, buf + len, cap - len)) <= 0)
			break;
		len += (size_t)r;
	}
	if (lines >= 0) {
		from = len;
		/* a last line without its newline counts as one */
		if (from && buf[from - 1] == '\n')
			from--;
		for (long l = 0; from > 0; from--)
			if (buf[from - 1] == '\n' && ++l == lines)
				break;
		if (lines == 0)
			from = len;
	}
	fwrite(buf + from, 1, len - from, stdout);
	fflush(stdout);
	free(buf);
	return r < 0 ? -errno : 0;
}

/* -f: what comes; a log moved aside (bounded) is followed to the new one. */
static int follow(struct cli *c, int fd, const char **v)
{
	char buf[65536];
	struct nsc_error e = { 0 };

	for (;;) {
		ssize_t r = read(fd, buf, sizeof(buf));
		struct stat a, b;
		int nfd;

		if (r > 0) {
			fwrite(buf, 1, (size_t)r, stdout);
			fflush(stdout);
			continue;
		}
		if (r < 0)
			return -errno;
		poll(NULL, 0, 200);
		nfd = nsc_lab_log_open(c->ctx, NULL, v[0], v[1], v[2], &e);
		if (nfd < 0)
			continue;       /* destroyed, or being moved: keep what we have */
		if (fstat(fd, &a) == 0 && fstat(nfd, &b) == 0 && a.st_ino != b.st_ino) {
			/* the rest of the old one first */
			while ((r = read(fd, buf, sizeof(buf))) > 0)
				fwrite(buf, 1, (size_t)r, stdout);
			close(fd);
			fd = nfd;
		} else {
			close(nfd);
		}
	}
}

int lab_logs(struct kargs *k)
{
	const char *v[3] = { NULL, NULL, NULL };
	struct nsc_error e = { 0 };
	struct cli *c = k->c;
	bool f = false;
	uint32_t lines = 0;
	bool has_lines = false;
	char **rest = calloc((size_t)k->argc + 1, sizeof(*rest));
	int nrest = 0, ret, fd;

	if (!rest)
		return ka_usage(k, "%s", strerror(ENOMEM));
	/* the options may come anywhere */
	rest[nrest++] = k->argv[0];
	for (k->i = 1; k->i < k->argc; k->i++) {
		if (!strcmp(k->argv[k->i], "-f") || !strcmp(k->argv[k->i], "--follow")) {
			f = true;
		} else if (!strcmp(k->argv[k->i], "-n") || !strcmp(k->argv[k->i], "--lines")) {
			if (++k->i == k->argc) {
				ret = ka_usage(k, "\"-n\" needs a number of lines");
				goto cleanup;
			}
			if (nsc_parse_u32(k->argv[k->i], 0, UINT32_MAX, &lines, "lines", &e) < 0) {
				ret = ka_fail(k, &e);
				goto cleanup;
			}
			has_lines = true;
		} else {
			rest[nrest++] = k->argv[k->i];
		}
	}
	k->argc = nrest;
	k->argv = rest;
	if ((ret = names(k, v, 3, 3)) != EXIT_OK || c->check_only)
		goto cleanup;
	if ((fd = nsc_lab_log_open(c->ctx, NULL, v[0], v[1], v[2], &e)) < 0) {
		ret = cli_error(c, &e);
		goto cleanup;
	}
	ret = tail(fd, has_lines ? (long)lines : -1);
	if (ret == 0 && f)
		ret = follow(c, fd, v);
	else
		close(fd);
	if (ret < 0) {
		nsc_err(&e, -ret, "lab logs");
		ret = cli_error(c, &e);
	}
cleanup:
	free(rest);
	return ret;
}
