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
 *
 * The command gets NETNSCTL_LAB, NETNSCTL_RUN_DIR and NETNSCTL_STATE_DIR
 * (the world's state, reached through PID 1's root when its view is
 * uncovered), so that `netnsctl lab ... "$NETNSCTL_LAB"` in it sees the lab.
 *
 * --keep-on-failure: when the command fails, a holder in the command's
 * view (a shell when standard input is a terminal, else a process that
 * waits for standard input's end or SIGTERM/SIGINT/SIGHUP) keeps the world;
 * it tells us its pid (a pipe: "PID STATUS STATEDIR"), we say how to enter
 * it; the lab goes when the holder ends. The timeout is the command's:
 * a kept world is not timed. A SIGINT, SIGTERM or SIGHUP that comes while
 * the lab comes up ends the run before the command starts (128+N), and
 * one that ends the command keeps nothing.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "child.h"
#include "cli.h"

#define RUN_GRACE_SECONDS 5
#define RUN_TIMEOUT_EXIT 124

static volatile sig_atomic_t forward_to;        /* the pid signals go to */
static volatile sig_atomic_t timed_out;
static volatile sig_atomic_t stop_sig;          /* the last SIGINT/TERM/HUP, in PID 1 */
static unsigned run_timeout;                    /* --timeout: the command's, in PID 1 */
/* outside, --keep-on-failure: the holder's line, its length, and the pipe
 * (non-blocking) it comes through */
static char kept_line[4400];
static size_t kept_len;
static int kept_fd = -1;

/* Read what the holder said, if anything yet. */
static bool kept_poll(void)
{
	ssize_t n;

	while (kept_fd >= 0 && kept_len < sizeof(kept_line) - 1 &&
	       (n = read(kept_fd, kept_line + kept_len, sizeof(kept_line) - 1 - kept_len)) > 0)
		kept_len += (size_t)n;
	return kept_len > 0;
}

/* In PID 1 (SIGALRM: the command's timeout) and outside (to PID 1). */
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
	} else {
		stop_sig = sig;         /* for what starts after it: no holder */
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

/*
 * In a child of PID 1: the command's view of the world (nsc_world_uncover),
 * its signals back to the defaults and the lab in its environment; into
 * state_dir, where it reaches the lab's state. Exits on failure.
 */
static void enter_view(struct cli *c, const struct nsc_lab *lab,
		       const struct nsc_world_opts *wo, char *state_dir, size_t size)
{
	struct sigaction dfl = { .sa_handler = SIG_DFL };
	struct nsc_error e = { 0 };

	if (nsc_world_uncover(wo, state_dir, size, &e) < 0) {
		cli_error(c, &e);
		_exit(EXIT_EXEC_FAIL);
	}
	sigaction(SIGINT, &dfl, NULL);
	sigaction(SIGTERM, &dfl, NULL);
	sigaction(SIGHUP, &dfl, NULL);
	setenv("NETNSCTL_LAB", lab->name, 1);
	setenv("NETNSCTL_RUN_DIR", wo->run_dir, 1);
	if (*state_dir)
		setenv("NETNSCTL_STATE_DIR", state_dir, 1);
}

static int run_cmd(struct cli *c, const struct nsc_lab *lab, const struct nsc_world_opts *wo,
		   char **argv)
{
	pid_t pid;
	int ret;

	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		cli_warn(c, "run: fork: %s", strerror(errno));
		return EXIT_EXEC_FAIL;
	}
	if (pid == 0) {
		char state_dir[4200];

		enter_view(c, lab, wo, state_dir, sizeof(state_dir));
		execvp(argv[0], argv);
		fprintf(stderr, "netnsctl: run: %s: %s\n", argv[0], strerror(errno));
		_exit(errno == ENOENT ? EXIT_EXEC_NOENT : EXIT_EXEC_NOEXEC);
	}
	forward_to = pid;
	if (stop_sig)
		kill(pid, stop_sig);    /* it came before forward_to was the command */
	if (run_timeout)
		alarm(run_timeout);
	ret = reap_until(pid);
	alarm(0);               /* a kept world is not timed */
	return ret;
}

/* Make process group PGRP (0: ours, made) the terminal's foreground one. */
static void take_terminal(pid_t pgrp)
{
	struct sigaction ign = { .sa_handler = SIG_IGN }, old;

	if (!pgrp)
		pgrp = getpgrp();
	else if (setpgid(0, 0) < 0)
		return;
	/* from the background, tcsetpgrp would stop us with SIGTTOU */
	sigaction(SIGTTOU, &ign, &old);
	tcsetpgrp(STDIN_FILENO, pgrp);
	sigaction(SIGTTOU, &old, NULL);
}

/*
 * --keep-on-failure, in PID 1 once the command failed with status ST: a
 * holder in the command's view tells the outside its pid through the pipe
 * KEPT, then is $SHELL (or /bin/sh) on a terminal, else waits for standard
 * input's end or a signal. Returns when it ended.
 */
static void hold(struct cli *c, const struct nsc_lab *lab, const struct nsc_world_opts *wo,
		 int st, int kept)
{
	pid_t pid;

	if (stop_sig)
		return;         /* told to end while the command ended */
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		cli_warn(c, "run: fork: %s", strerror(errno));
		return;
	}
	if (pid == 0) {
		const char *sh = getenv("SHELL");
		char state_dir[4200], line[4400], buf[512];
		int n;

		enter_view(c, lab, wo, state_dir, sizeof(state_dir));
		n = snprintf(line, sizeof(line), "%d %d %s\n", (int)getpid(), st, state_dir);
		if (n < 0 || (size_t)n >= sizeof(line) || write(kept, line, (size_t)n) != n)
			_exit(EXIT_EXEC_FAIL);
		close(kept);
		if (isatty(STDIN_FILENO)) {
			if (!sh || sh[0] != '/')
				sh = "/bin/sh";
			/* the terminal's foreground group, one the shell can see
			 * (netnsctl's is outside this PID namespace): Ctrl-C is
			 * the shell's, and it hands the terminal back on exit */
			take_terminal(getpid());
			execl(sh, sh, (char *)NULL);
			fprintf(stderr, "netnsctl: run: %s: %s\n", sh, strerror(errno));
			_exit(EXIT_EXEC_NOEXEC);
		}
		for (;;) {
			ssize_t r = read(STDIN_FILENO, buf, sizeof(buf));

			if (r == 0 || (r < 0 && errno != EINTR))
				_exit(0);
		}
	}
	forward_to = pid;
	if (stop_sig)
		kill(pid, SIGTERM);     /* it came before forward_to was the holder */
	reap_until(pid);
}

/* In the world: apply, run, destroy (KEPT >= 0: after a failed command,
 * once the holder let go). Returns the exit status. */
static int world_main(struct cli *c, const struct nsc_lab *lab,
		      const struct nsc_world_opts *wo, char **argv, int kept)
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
	} else if (stop_sig) {
		st = 128 + stop_sig;    /* told to end while the lab came up */
	} else {
		st = run_cmd(c, lab, wo, argv);
		if (st != 0 && kept >= 0)
			hold(c, lab, wo, st, kept);
	}
	forward_to = 0;
	/* the world's end frees it all anyway; tearing down here is quicker
	 * and says so when something would not go */
	if (nsc_lab_destroy(c->ctx, lab->name, &o, &rep, &e) < 0 && e.code != ENOENT)
		cli_error(c, &e);
	nsc_lab_report_free(&rep);
	return timed_out ? RUN_TIMEOUT_EXIT : st;
}

/* Outside: what the holder said, as how to enter the world and leave it. */
static void announce(const struct cli *c, const char *lab, pid_t world, bool userns)
{
	char *state, *end;
	long inner = strtol(kept_line, &end, 10), st = strtol(end, &state, 10);
	pid_t pid;

	state += strspn(state, " ");
	state[strcspn(state, "\n")] = '\0';
	pid = nsc_world_pid(world, (pid_t)inner);
	if (pid <= 0)
		pid = world;    /* PID 1's view: the state is where it says too */
	fprintf(stderr, "netnsctl: run: the command failed (exit %ld): lab \"%s\" kept in "
		"process %d, until %s\n", st, lab, (int)pid,
		isatty(STDIN_FILENO) ? "this shell exits" :
		"standard input ends or netnsctl gets SIGTERM or SIGINT");
	fprintf(stderr, "netnsctl: run: enter it: nsenter -t %d%s -m -p -- env NETNSCTL_LAB=%s "
		"NETNSCTL_RUN_DIR=%s%s%s sh\n", (int)pid, userns ? " -U --preserve-credentials" : "", lab,
		nsc_ctx_run_dir(c->ctx), *state ? " NETNSCTL_STATE_DIR=" : "", state);
	fflush(stderr);
}

/*
 * Outside, --keep-on-failure: until the world ends (its pidfd), announce
 * the holder when it speaks. Without a pidfd (an old kernel) the world is
 * only waited for.
 */
static void wait_kept(const struct cli *c, const char *lab, pid_t world, bool userns)
{
	int pidfd = (int)syscall(SYS_pidfd_open, world, 0);
	bool told = false;

	while (pidfd >= 0) {
		struct pollfd p[2] = { { .fd = pidfd, .events = POLLIN },
				       { .fd = told ? -1 : kept_fd, .events = POLLIN } };

		if (poll(p, 2, -1) < 0 && errno != EINTR)
			break;
		if (!told && kept_poll() && strchr(kept_line, '\n')) {
			announce(c, lab, world, userns);
			told = true;
		}
		if (p[1].revents & POLLHUP)
			told = true;    /* the world said nothing and ended */
		if (p[0].revents & POLLIN)
			break;
	}
	if (pidfd >= 0)
		close(pidfd);
}

int cmd_run(struct cli *c, int argc, char **argv)
{
	struct nsc_world_opts wo = { 0 };
	struct nsc_error e = { 0 };
	struct nsc_lab *lab = NULL;
	char state_dir[4200];
	uint32_t timeout = 0;
	bool keep = false;
	int kept[2] = { -1, -1 };
	const char *file;
	pid_t pid;
	int i, ret;

	/* options before or after FILE; the first word after FILE (or after
	 * "--") starts the command */
	file = NULL;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *v = NULL;

		if (!strcmp(a, "--")) {
			i++;
			break;
		}
		if (!strcmp(a, "--keep-on-failure")) {
			keep = true;
			continue;
		}
		if (!strcmp(a, "--timeout")) {
			if (++i == argc) {
				cli_usage(c, "run: --timeout needs a number of seconds");
				return EXIT_EXEC_FAIL;
			}
			v = argv[i];
		} else if (!strncmp(a, "--timeout=", 10)) {
			v = a + 10;
		} else if (a[0] == '-' && a[1]) {
			cli_usage(c, "run: unknown option \"%s\"", a);
			return EXIT_EXEC_FAIL;
		} else if (!file) {
			file = a;
			continue;
		} else {
			break;
		}
		if (nsc_parse_u32(v, 1, 86400 * 7, &timeout, "timeout", &e) < 0)
			return run_error(c, &e);
	}
	if (!file) {
		cli_usage(c, "run: missing lab file");
		return EXIT_EXEC_FAIL;
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
	run_timeout = timeout;
	if (keep && pipe2(kept, O_CLOEXEC) < 0) {
		nsc_lab_free(lab);
		nsc_err(&e, errno, "run: pipe");
		return run_error(c, &e);
	}
	ret = nsc_world_spawn(&wo, &pid, &e);
	if (pid == 0) {
		/* PID 1 of the world */
		if (kept[0] >= 0)
			close(kept[0]);
		if (ret < 0) {
			cli_error(c, &e);
			_exit(EXIT_EXEC_FAIL);
		}
		ret = world_main(c, lab, &wo, argv + i, kept[1]);
		nsc_lab_free(lab);
		fflush(NULL);
		_exit(ret);
	}
	if (kept[1] >= 0)
		close(kept[1]);
	if (ret < 0) {
		nsc_lab_free(lab);
		if (kept[0] >= 0)
			close(kept[0]);
		return run_error(c, &e);
	}
	if (kept[0] >= 0 && fcntl(kept[0], F_SETFL, O_NONBLOCK) == 0)
		kept_fd = kept[0];
	forward_to = pid;
	catch_signals();
	if (kept_fd >= 0)
		wait_kept(c, lab->name, pid, wo.userns);
	nsc_lab_free(lab);
	ret = child_wait(pid);
	if (kept[0] >= 0) {
		close(kept[0]);
		/* the kept shell had the terminal: ours again */
		if (kept_len && isatty(STDIN_FILENO))
			take_terminal(0);
	}
	return ret;
}
