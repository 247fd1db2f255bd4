// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Once the network is up: the nodes' exec commands (sh -c, in a child
 * prepared as `exec` prepares one), one after another, their output relayed
 * while they run and never after. The ready checks are ready_check.c's.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <netnsctl/exec.h>
#include <netnsctl/netns.h>

#include "core/holders.h"
#include "lab/model.h"
#include "lab/ready.h"
#include "lab/uts.h"

/* ---- exec ---- */

/* How long an exec command may run: $NETNSCTL_LAB_EXEC_TIMEOUT seconds, else
 * LAB_EXEC_MAX_S. */
static int exec_max_s(void)
{
	const char *v = getenv("NETNSCTL_LAB_EXEC_TIMEOUT");
	long s = v && *v ? strtol(v, NULL, 10) : 0;

	return s > 0 && s <= 86400 ? (int)s : LAB_EXEC_MAX_S;
}

/* In the child: enter, then sh -c, its output into pipes (out[1], err[1])
 * that apply reads only while sh runs. What goes wrong before sh runs is
 * written to errfd for the parent to say. */
static void __attribute__((noreturn)) exec_child(struct nsc_ctx *ctx, const char *netns,
						  const char *uts, const char *cmd,
						  const int *out, int errfd)
{
	/* a node with its own hostname (defaults.hostname): there too */
	struct nsc_exec_opts xo = { .uts = uts };
	struct nsc_error e = { 0 };
	int null = open("/dev/null", O_RDONLY | O_CLOEXEC);

	/* its own group: one that outlives its time is ended whole */
	setpgid(0, 0);
	/* a command must not eat the terminal (or a lab read from stdin) */
	if (null >= 0)
		dup2(null, STDIN_FILENO);
	dup2(out[0], STDOUT_FILENO);
	dup2(out[1], STDERR_FILENO);
	if (nsc_exec_prepare(ctx, netns, &xo, &e) == 0) {
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		nsc_err(&e, errno, "/bin/sh");
	}
	if (write(errfd, e.msg, strlen(e.msg)) < 0)
		_exit(126);
	_exit(126);
}

/* What is in pipe fd, to dest. */
static void relay(int fd, int dest)
{
	char buf[4096];
	ssize_t n;

	while ((n = read(fd, buf, sizeof(buf))) > 0)
		if (write(dest, buf, (size_t)n) < 0)
			break;
}

/*
 * The command's output, copied to out_fd and stderr while sh runs, and no
 * longer: a daemon it left behind (cmd &) keeps only the pipes, never
 * apply's own stdout (`out=$(netnsctl lab apply ...)` returns). Past
 * LAB_EXEC_MAX_S its group is killed: *timed_out.
 */
static int relay_until_exit(pid_t pid, const int *rd, int out_fd, bool *timed_out)
{
	int64_t deadline = nsc_now_ms() + exec_max_s() * 1000;
	int pfd_fd = (int)syscall(SYS_pidfd_open, pid, 0);
	struct pollfd p[3] = {
		{ .fd = rd[0], .events = POLLIN }, { .fd = rd[1], .events = POLLIN },
		{ .fd = pfd_fd, .events = POLLIN },
	};

	if (pfd_fd < 0)
		return -errno;
	for (;;) {
		int64_t left = deadline - nsc_now_ms();

		if (left <= 0) {
			kill(-pid, SIGKILL);
			*timed_out = true;
			break;
		}
		if (poll(p, 3, (int)left) < 0 && errno != EINTR)
			break;
		if (p[0].revents)
			relay(rd[0], out_fd >= 0 ? out_fd : STDOUT_FILENO);
		if (p[1].revents)
			relay(rd[1], STDERR_FILENO);
		if (p[2].revents)
			break;
		/* a pipe at its end (closed early by sh) stops waking us */
		for (int i = 0; i < 2; i++)
			if (p[i].revents & (POLLHUP | POLLERR) && !(p[i].revents & POLLIN))
				p[i].fd = -1;
	}
	/* what sh wrote before it ended */
	relay(rd[0], out_fd >= 0 ? out_fd : STDOUT_FILENO);
	relay(rd[1], STDERR_FILENO);
	close(pfd_fd);
	return 0;
}

/* Run X in a child inside NODE: its wait status, and in msg what went
 * wrong before sh could run ("" when nothing did). */
static int spawn(struct nsc_ctx *ctx, const struct nsc_lab_node *node, const char *uts,
		 const struct nsc_lab_exec *x, int out_fd, int *status, char *msg, size_t size,
		 bool *timed_out, struct nsc_error *e)
{
	int p[2] = { -1, -1 }, o[2] = { -1, -1 }, r[2] = { -1, -1 }, ret = 0;
	ssize_t n;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) < 0 || pipe2(o, O_CLOEXEC | O_NONBLOCK) < 0 ||
	    pipe2(r, O_CLOEXEC | O_NONBLOCK) < 0) {
		ret = nsc_err(e, errno, "exec in node \"%s\": pipe", node->name);
		goto cleanup;
	}
	pid = fork();
	if (pid < 0) {
		ret = nsc_err(e, errno, "exec in node \"%s\": fork", node->name);
		goto cleanup;
	}
	if (pid == 0) {
		int w[2] = { o[1], r[1] };

		close(p[0]);
		exec_child(ctx, node->netns, uts, x->cmd, w, p[1]);
	}
	close(p[1]);
	close(o[1]);
	close(r[1]);
	p[1] = o[1] = r[1] = -1;
	while ((n = read(p[0], msg, size - 1)) < 0 && errno == EINTR)
		;
	msg[n > 0 ? n : 0] = '\0';
	{
		int rd[2] = { o[0], r[0] };

		if ((ret = relay_until_exit(pid, rd, out_fd, timed_out)) < 0)
			nsc_err(e, -ret, "exec in node \"%s\": pidfd", node->name);
	}
	while (waitpid(pid, status, 0) < 0) {
		if (errno != EINTR) {
			ret = nsc_err(e, errno, "exec in node \"%s\": wait", node->name);
			goto cleanup;
		}
	}
cleanup:
	for (int i = 0; i < 2; i++) {
		if (p[i] >= 0)
			close(p[i]);
		if (o[i] >= 0)
			close(o[i]);
		if (r[i] >= 0)
			close(r[i]);
	}
	return ret;
}

static int run_one(struct nsc_ctx *ctx, const struct nsc_lab *lab, const struct nsc_lab_node *node,
		   const char *uts, const struct nsc_lab_exec *x, int out_fd, struct nsc_error *e)
{
	char msg[NSC_ERR_MSG_MAX] = "";
	bool timed_out = false;
	int status, ret;

	if ((ret = spawn(ctx, node, uts, x, out_fd, &status, msg, sizeof(msg), &timed_out, e)) < 0)
		return ret;
	if (timed_out)
		nsc_err_text(e, ETIMEDOUT, "exec in node \"%s\": \"%.200s\" did not finish within "
			     "%d s (exec commands are one-shot: a long-running program belongs in "
			     "\"services\")", node->name, x->cmd, exec_max_s());
	else if (msg[0])
		nsc_err_text(e, EIO, "exec in node \"%s\": %s", node->name, msg);
	else if (WIFSIGNALED(status))
		nsc_err_text(e, EIO, "exec in node \"%s\": \"%.200s\" killed by signal %d",
			     node->name, x->cmd, WTERMSIG(status));
	else if (WEXITSTATUS(status))
		nsc_err_text(e, EIO, "exec in node \"%s\": \"%.200s\" exited with status %d",
			     node->name, x->cmd, WEXITSTATUS(status));
	else
		return 0;
	return nsc_lab_err_at(lab, x->pos, e);
}

int lab_exec_node(struct nsc_ctx *ctx, const struct nsc_lab *lab,
		  const struct nsc_lab_node *node, int out_fd, int dfd, struct nsc_error *e)
{
	char buf[320];
	const char *uts = lab_uts_path(dfd, node->name, buf, sizeof(buf)) ? buf : NULL;

	for (size_t i = 0; i < node->n_exec; i++) {
		int ret = run_one(ctx, lab, node, uts, &node->exec[i], out_fd, e);

		if (ret < 0)
			return ret;
	}
	return 0;
}
