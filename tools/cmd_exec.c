// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * exec: run a command inside one namespace (in this process, as ip does:
 * nothing stays behind to forward signals), or in each in turn (--all).
 * Exit status as env(1) and timeout(1): the command's own; 125 when
 * netnsctl fails before the command runs, 126 when it cannot run, 127 when
 * it is not found.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "child.h"
#include "cli.h"

static int exec_error(const struct cli *c, const struct nsc_error *e)
{
	cli_error(c, e);
	return EXIT_EXEC_FAIL;
}

/* Enter NAME and replace this process with argv; returns only on failure. */
static int run_in(struct cli *c, const char *name, const struct nsc_exec_opts *o,
		  char **argv)
{
	struct nsc_exec_opts with = o ? *o : (struct nsc_exec_opts){ 0 };
	struct nsc_error e = { 0 };
	char uts[4096];

	/* a lab node with its own hostname (defaults.hostname): that too */
	if (nsc_lab_uts(c->ctx, NULL, name, uts, sizeof(uts)) == 1)
		with.uts = uts;
	if (nsc_exec_prepare(c->ctx, name, &with, &e) < 0)
		return exec_error(c, &e);
	fflush(NULL);
	execvp(argv[0], argv);
	int err = errno;

	nsc_err(&e, err, "exec \"%s\": %s", name, argv[0]);
	cli_error(c, &e);
	return err == ENOENT ? EXIT_EXEC_NOENT : EXIT_EXEC_NOEXEC;
}

/* Fork, run in NAME, wait: the status as a shell reports it. */
static int run_child(struct cli *c, const char *name, const struct nsc_exec_opts *o,
		     char **argv)
{
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		cli_warn(c, "exec \"%s\": fork: %s", name, strerror(errno));
		return EXIT_EXEC_FAIL;
	}
	if (pid == 0)
		_exit(run_in(c, name, o, argv));
	return child_wait(pid);
}

static int exec_all(struct cli *c, const struct nsc_exec_opts *o, char **argv)
{
	struct nsc_ns_entry *list;
	struct nsc_error e = { 0 };
	int ret = EXIT_OK;
	size_t n;

	if (nsc_ns_list(c->ctx, &list, &n, &e) < 0)
		return exec_error(c, &e);
	for (size_t i = 0; i < n; i++) {
		int st;

		if (list[i].state == NSC_NS_STALE) {
			cli_warn(c, "exec \"%s\": stale name, skipped", list[i].name);
			ret = EXIT_FAIL;
			continue;
		}
		printf("\nnetns: %s\n", list[i].name);
		fflush(stdout);
		st = run_child(c, list[i].name, o, argv);
		if (st != 0) {
			nsc_err_text(&e, EIO, "exec \"%s\": %s exited with status %d",
				     list[i].name, argv[0], st);
			cli_error(c, &e);
			ret = EXIT_FAIL;
		}
	}
	nsc_ns_list_free(list, n);
	return ret;
}

int cmd_exec(struct cli *c, int argc, char **argv)
{
	struct nsc_exec_opts o = { 0 };
	struct nsc_error e = { 0 };
	const char *name = NULL;
	bool all = false;
	int i;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "-u") || !strcmp(a, "--user")) {
			if (++i == argc || !*argv[i]) {
				cli_usage(c, "exec: %s needs a user name", a);
				return EXIT_EXEC_FAIL;
			}
			o.user = argv[i];
		} else if (!strncmp(a, "--user=", 7) && a[7]) {
			o.user = a + 7;
		} else if (!strcmp(a, "-a") || !strcmp(a, "--all")) {
			all = true;
		} else if (!strcmp(a, "--")) {
			i++;
			break;
		} else {
			cli_usage(c, "exec: unknown option \"%s\"", a);
			return EXIT_EXEC_FAIL;
		}
	}
	if (!all) {
		if (i == argc) {
			cli_usage(c, "exec: missing namespace name");
			return EXIT_EXEC_FAIL;
		}
		name = argv[i++];
		if (nsc_name_check(name, &e) < 0)
			return exec_error(c, &e);
	}
	if (i == argc) {
		cli_usage(c, "exec: missing command");
		return EXIT_EXEC_FAIL;
	}
	if (c->check_only)
		return EXIT_OK;
	if (all)
		return exec_all(c, &o, argv + i);
	/* inside a batch the batch goes on afterwards: run in a child */
	if (c->where)
		return run_child(c, name, &o, argv + i);
	return run_in(c, name, &o, argv + i);
}
