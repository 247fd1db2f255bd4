// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * lab ps and lab logs: the services as the supervisor's status file has
 * them, checked against /proc (a process recorded as running that is gone,
 * with its supervisor, is shown exited), and a service's log opened. Both
 * read the state without waiting for its lock: an apply waiting for its
 * services must not hold them up.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lab/state.h"
#include "lab/svc.h"

static int open_state(struct nsc_ctx *ctx, const struct nsc_lab_opts *opts, const char *name,
		      struct lab_state *st, struct nsc_error *e)
{
	int ret = lab_state_open(ctx, opts, name, LAB_PEEK, st, e);

	if (ret == 0 && !st->found) {
		lab_state_close(st);
		ret = nsc_err_text(e, ENOENT, "lab \"%s\": no state here (it was never applied, "
				   "or was destroyed already)", name);
	}
	return ret;
}

static int row(struct nsc_lab_svc *out, const struct lab_svc_rec *r, bool alive)
{
	bool running = r->pid && alive && lab_proc_start(r->pid) == r->start;
	enum lab_svc_state state = r->state;

	if (!running && state != SVC_EXITED && state != SVC_FAILED && r->pid)
		state = SVC_EXITED;
	if (state == SVC_STOPPING)
		state = SVC_RUNNING;
	if (!(out->node = strdup(r->node)) || !(out->service = strdup(r->name)))
		return -ENOMEM;
	out->state = lab_svc_state_names[state];
	out->pid = running ? r->pid : 0;
	out->exit_status = r->exit_status;
	out->restarts = r->restarts;
	out->uptime = running ? (long long)time(NULL) - r->since : -1;
	return 0;
}

int nsc_lab_ps(struct nsc_ctx *ctx, const struct nsc_lab_opts *opts, const char *name,
	       const char *node, struct nsc_lab_svc **out, size_t *n, struct nsc_error *e)
{
	struct lab_svc_status s = { 0 };
	struct lab_state st;
	bool alive;
	int ret;

	*out = NULL;
	*n = 0;
	if ((ret = open_state(ctx, opts, name, &st, e)) < 0)
		return ret;
	if ((ret = lab_svc_status_read(st.dfd, &s)) < 0) {
		/* no services ever: an empty list */
		ret = ret == -ENOENT ? 0 : nsc_err(e, -ret, "lab \"%s\": read %s/%s", name,
						   st.dir, LAB_SVC_FILE);
		goto cleanup;
	}
	alive = lab_svc_alive(&s);
	if (s.n && !(*out = calloc(s.n, sizeof(**out)))) {
		ret = nsc_err(e, ENOMEM, "lab \"%s\"", name);
		goto cleanup;
	}
	for (size_t i = 0; i < s.n; i++) {
		if (node && strcmp(node, s.v[i].node))
			continue;
		if (row(&(*out)[*n], &s.v[i], alive) < 0) {
			(*n)++;
			ret = nsc_err(e, ENOMEM, "lab \"%s\"", name);
			goto cleanup;
		}
		(*n)++;
	}
cleanup:
	if (ret < 0) {
		nsc_lab_ps_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	lab_svc_status_free(&s);
	lab_state_close(&st);
	return ret;
}

void nsc_lab_ps_free(struct nsc_lab_svc *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++) {
		free(v[i].node);
		free(v[i].service);
	}
	free(v);
}

int nsc_lab_log_open(struct nsc_ctx *ctx, const struct nsc_lab_opts *opts, const char *name,
		     const char *node, const char *service, struct nsc_error *e)
{
	struct lab_state st;
	char path[600];
	int fd, ret;

	if ((ret = nsc_lab_name_check(node, e)) < 0 || (ret = nsc_lab_name_check(service, e)) < 0)
		return ret;
	if ((ret = open_state(ctx, opts, name, &st, e)) < 0)
		return ret;
	snprintf(path, sizeof(path), LAB_SVC_LOGDIR "/%s.%s", node, service);
	fd = openat(st.dfd, path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		fd = errno == ENOENT ?
		     nsc_err_text(e, ENOENT, "lab \"%s\": service \"%s.%s\" has no log (no such "
				  "service, or it never ran)", name, node, service) :
		     nsc_err(e, errno, "lab \"%s\": open %s/%s", name, st.dir, path);
	lab_state_close(&st);
	return fd;
}
