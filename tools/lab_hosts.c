// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * lab apply|diff|destroy --all-hosts: each host of a lab that spans several
 * runs its own share, "VIA... NETNSCTL lab VERB ARGS... - --host NAME" with
 * the file on its standard input, all at once; then each host's output is
 * printed, every line after the host's name. A host that cannot be reached
 * (its via fails) is one failure among the others, named on one line.
 *
 * Each child's standard input is its own open of one memfd holding the file
 * (so no child's reading moves another's offset), and its output goes to a
 * memfd of its own read once it has ended: nothing to poll, no child ever
 * blocked on a pipe we are not reading.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lab_print.h"

struct host_run {
	const struct nsc_lab_host *h;
	pid_t pid;
	int out;                        /* memfd: its stdout and stderr */
	int status;
	int err;                        /* errno of fork, or 0 */
};

static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -errno;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* The child: VIA... NETNSCTL lab ARGS... - --host NAME */
static void __attribute__((noreturn)) run_child(const struct nsc_lab_host *h, int in, int out,
						const char *const *args, size_t n_args)
{
	size_t n = 0;
	char **argv = calloc(h->n_via + n_args + 6, sizeof(*argv));

	if (!argv || dup2(in, STDIN_FILENO) < 0 || dup2(out, STDOUT_FILENO) < 0 ||
	    dup2(out, STDERR_FILENO) < 0)
		_exit(EXIT_EXEC_FAIL);
	for (size_t i = 0; i < h->n_via; i++)
		argv[n++] = h->via[i];
	argv[n++] = h->netnsctl;
	argv[n++] = (char *)"lab";
	for (size_t i = 0; i < n_args; i++)
		argv[n++] = (char *)args[i];
	argv[n++] = (char *)"-";
	argv[n++] = (char *)"--host";
	argv[n++] = h->name;
	execvp(argv[0], argv);
	dprintf(STDERR_FILENO, "netnsctl: host \"%s\": cannot run \"%s\": %s\n", h->name,
		argv[0], strerror(errno));
	_exit(errno == ENOENT ? EXIT_EXEC_NOENT : EXIT_EXEC_NOEXEC);
}

static void start(struct host_run *r, int text, const char *const *args, size_t n_args)
{
	char path[64];
	int in;

	r->out = memfd_create("netnsctl-host-out", MFD_CLOEXEC);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", text);
	in = open(path, O_RDONLY | O_CLOEXEC);
	if (r->out < 0 || in < 0) {
		r->err = errno;
		goto cleanup;
	}
	r->pid = fork();
	if (r->pid < 0)
		r->err = errno;
	else if (r->pid == 0)
		run_child(r->h, in, r->out, args, n_args);
cleanup:
	if (in >= 0)
		close(in);
}

/* Its output, each line after "HOST: "; then its failure on one line. */
static void report(const struct host_run *r)
{
	char p[80], v[80];
	const char *name = nsc_printable(r->h->name, p, sizeof(p));
	FILE *f;

	fflush(stdout);
	if (r->out >= 0 && lseek(r->out, 0, SEEK_SET) == 0 && (f = fdopen(dup(r->out), "r"))) {
		char *line = NULL;
		size_t cap = 0;
		ssize_t len;

		while ((len = getline(&line, &cap, f)) > 0) {
			if (line[len - 1] == '\n')
				line[len - 1] = '\0';
			printf("%s: ", name);
			cli_put_printable(stdout, line, false);
			putchar('\n');
		}
		free(line);
		fclose(f);
	}
	fflush(stdout);
	/* one line on standard error for a host that failed, saying how */
	if (r->err)
		fprintf(stderr, "netnsctl: host \"%s\": cannot start: %s\n", name,
			strerror(r->err));
	else if (WIFSIGNALED(r->status))
		fprintf(stderr, "netnsctl: host \"%s\": killed by signal %d\n", name,
			WTERMSIG(r->status));
	else if (WEXITSTATUS(r->status) == 255 || WEXITSTATUS(r->status) >= EXIT_EXEC_FAIL)
		fprintf(stderr, "netnsctl: host \"%s\": unreachable (\"%s\" exited %d)\n", name,
			nsc_printable(r->h->via[0], v, sizeof(v)), WEXITSTATUS(r->status));
	else if (WEXITSTATUS(r->status))
		fprintf(stderr, "netnsctl: host \"%s\": failed (exit %d)\n", name,
			WEXITSTATUS(r->status));
}

int lab_hosts_run(struct cli *c, const struct nsc_lab *lab, const bool *only,
		  const char *const *args, size_t n_args, int *worst)
{
	struct host_run *runs = calloc(lab->n_hosts, sizeof(*runs));
	int text = memfd_create("netnsctl-lab", MFD_CLOEXEC), ret = EXIT_OK;

	*worst = 0;
	if (!runs || text < 0 || write_all(text, lab->text, lab->text_len) < 0) {
		cli_warn(c, "lab \"%s\": %s", lab->name, strerror(errno ? errno : ENOMEM));
		ret = EXIT_FAIL;
		goto cleanup;
	}
	fflush(NULL);
	for (size_t i = 0; i < lab->n_hosts; i++) {
		runs[i].h = &lab->hosts[i];
		runs[i].out = -1;
		if (!only || only[i])
			start(&runs[i], text, args, n_args);
	}
	for (size_t i = 0; i < lab->n_hosts; i++) {
		struct host_run *r = &runs[i];
		int code;

		if (only && !only[i])
			continue;
		while (r->pid > 0 && waitpid(r->pid, &r->status, 0) < 0 && errno == EINTR)
			;
		report(r);
		code = r->err || WIFSIGNALED(r->status) ? 255 : WEXITSTATUS(r->status);
		if (code > *worst)
			*worst = code;
	}
cleanup:
	for (size_t i = 0; runs && i < lab->n_hosts; i++)
		if (runs[i].out >= 0)
			close(runs[i].out);
	free(runs);
	if (text >= 0)
		close(text);
	return ret;
}
