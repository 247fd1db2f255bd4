// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * run: build a lab in a private world of its own, run a command there, and
 * always tear the lab down.
 *
 * The world (lib/world.c) is a child that is PID 1 of a new PID namespace,
 * with its own mount namespace (a tmpfs over the run dir's parent, that
 * holds the run dir and the lab state dir; the command sees the real parent
 * again, with the world's run dir on the real one) and, for an unprivileged
 * caller, its own user namespace. Nothing of the lab is held by anything outside it: when the command ends the lab is
 * destroyed, and if netnsctl itself is killed (even with SIGKILL) the world
 * dies with it (PR_SET_PDEATHSIG) and the kernel frees every namespace,
 * mount and veth the lab had. Runs of the same file never collide: each
 * world has its own run dir.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "child.h"
#include "cli.h"

#define RUN_GRACE_SECONDS 5
#define RUN_TIMEOUT_EXIT 124

static volatile sig_atomic_t forward_to;        /* the pid signals go to */
static volatile sig_atomic_t timed_out;

static void forward(int sig)
{
	if (sig == SIGALRM) {
		/* the timeout: TERM now, KILL after the grace period */
		if (!timed_out) {
			timed_out = 1;
			alarm(RUN_GRACE_SECONDS);
			sig = SIGTERM;
		} else {
			sig = SIGKILL;
		}
	}
	if (forward_to > 0)
		kill((pid_t)forward_to, sig);
}

static void catch_signals(void)
{
	struct sigaction sa = { .sa_handler = forward };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGALRM, &sa, NULL);
}

/* netnsctl's own failure before the command ran: as exec, 125. */
static int run_error(const struct cli *c, const struct nsc_error *e)
{
	cli_error(c, e);
	return EXIT_EXEC_FAIL;
}

/*
 * PID 1 of the world: reap every orphan (that is PID 1's job) until the
 * command itself ends.
 */
static int reap_until(pid_t cmd)
{
	int status;

	for (;;) {
		pid_t p = waitpid(-1, &status, 0);

		if (p < 0) {
			if (errno == EINTR)
				continue;
			return EXIT_EXEC_FAIL;
		}
		if (p == cmd)
			return child_status(status);
	}
}

static int run_cmd(struct cli *c, const struct nsc_lab *lab, const struct nsc_world_opts *wo,
		   char **argv)
{
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		cli_warn(c, "run: fork: %s", strerror(errno));
		return EXIT_EXEC_FAIL;
	}
	if (pid == 0) {
		struct sigaction dfl = { .sa_handler = SIG_DFL };
		struct nsc_error e = { 0 };

		if (nsc_world_uncover(wo, &e) < 0) {
			cli_error(c, &e);
			_exit(EXIT_EXEC_FAIL);
		}
		sigaction(SIGINT, &dfl, NULL);
		sigaction(SIGTERM, &dfl, NULL);
		sigaction(SIGHUP, &dfl, NULL);
		setenv("NETNSCTL_LAB", lab->name, 1);
		execvp(argv[0], argv);
		fprintf(stderr, "netnsctl: run: %s: %s\n", argv[0], strerror(errno));
		_exit(errno == ENOENT ? EXIT_EXEC_NOENT : EXIT_EXEC_NOEXEC);
	}
	forward_to = pid;
	return reap_until(pid);
}

/* In the world: apply, run, destroy. Returns the exit status. */
static int world_main(struct cli *c, const struct nsc_lab *lab,
		      const struct nsc_world_opts *wo, char **argv)
{
	struct nsc_lab_opts o = NSC_LAB_OPTS_INIT;
	struct nsc_lab_report rep = { 0 };
	struct nsc_error e = { 0 };
	int ret, st;

	o.state_dir = wo->state_dir;
	catch_signals();
	ret = nsc_lab_apply(c->ctx, lab, &o, &rep, &e);
	nsc_lab_report_free(&rep);
	if (ret < 0) {
		cli_error(c, &e);
		st = EXIT_EXEC_FAIL;
	} else {
		st = run_cmd(c, lab, wo, argv);
	}
	forward_to = 0;
	/* the world's end frees it all anyway; tearing down here is quicker
	 * and says so when something would not go */
	if (nsc_lab_destroy(c->ctx, lab->name, &o, &rep, &e) < 0 && e.code != ENOENT)
		cli_error(c, &e);
	nsc_lab_report_free(&rep);
	return st;
}

int cmd_run(struct cli *c, int argc, char **argv)
{
	struct nsc_world_opts wo = { 0 };
	struct nsc_error e = { 0 };
	struct nsc_lab *lab = NULL;
	char state_dir[4200];
	uint32_t timeout = 0;
	const char *file;
	pid_t pid;
	int i, ret;

	if (argc < 2) {
		cli_usage(c, "run: missing lab file");
		return EXIT_EXEC_FAIL;
	}
	file = argv[1];
	for (i = 2; i < argc; i++) {
		const char *a = argv[i], *v = NULL;

		if (!strcmp(a, "--")) {
			i++;
			break;
		}
		if (!strcmp(a, "--timeout")) {
			if (++i == argc) {
				cli_usage(c, "run: --timeout needs a number of seconds");
				return EXIT_EXEC_FAIL;
			}
			v = argv[i];
		} else if (!strncmp(a, "--timeout=", 10)) {
			v = a + 10;
		} else if (a[0] == '-') {
			cli_usage(c, "run: unknown option \"%s\"", a);
			return EXIT_EXEC_FAIL;
		} else {
			break;
		}
		if (nsc_parse_u32(v, 1, 86400 * 7, &timeout, "timeout", &e) < 0)
			return run_error(c, &e);
	}
	if (i == argc) {
		cli_usage(c, "run: missing command");
		return EXIT_EXEC_FAIL;
	}
	/* a batch's pre-pass must leave standard input to the real run */
	if (c->check_only && !strcmp(file, "-"))
		return EXIT_OK;
	ret = !strcmp(file, "-") ? nsc_lab_read_fd(STDIN_FILENO, "<stdin>", &lab, &e)
				 : nsc_lab_read_file(file, &lab, &e);
	if (ret < 0)
		return run_error(c, &e);
	if (c->check_only) {
		nsc_lab_free(lab);
		return EXIT_OK;
	}

	wo.run_dir = nsc_ctx_run_dir(c->ctx);
	snprintf(state_dir, sizeof(state_dir), "%s.netnsctl-run", wo.run_dir);
	wo.state_dir = state_dir;
	wo.userns = geteuid() != 0;
	ret = nsc_world_spawn(&wo, &pid, &e);
	if (pid == 0) {
		/* PID 1 of the world */
		if (ret < 0) {
			cli_error(c, &e);
			_exit(EXIT_EXEC_FAIL);
		}
		ret = world_main(c, lab, &wo, argv + i);
		nsc_lab_free(lab);
		fflush(NULL);
		_exit(ret);
	}
	nsc_lab_free(lab);
	if (ret < 0)
		return run_error(c, &e);
	forward_to = pid;
	catch_signals();
	if (timeout)
		alarm(timeout);
	ret = child_wait(pid);
	return timed_out ? RUN_TIMEOUT_EXIT : ret;
}
