// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * netnsctl -b FILE: many command lines, one process, one context.
 *
 * The context (and so its per-namespace netlink sockets, each opened once
 * inside its namespace and cached, bounded) lives for the whole batch; only
 * an `exec` line forks. Two passes over the text, held in memory so that
 * standard input works too:
 *   1. check: tokenize every line and run its handler with check_only set,
 *      which parses every argument and returns before acting. A syntax or
 *      usage error anywhere is reported before anything changes.
 *   2. run: line after line, each with its own copy of the global options
 *      (a line's -n or -j never leaks into the next). The first failing
 *      line stops the batch, unless -f was given.
 * Exit: 0; 1 when a line failed; 2 for a syntax error (with -f, every bad
 * line is reported, the good ones run, and 2 wins over 1 at the end).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "batch_par.h"
#include "batch_parse.h"
#include "cli.h"

struct batch {
	struct cli *base;       /* the global options given before -b */
	const char *file;
	char *text;
	size_t len;
	struct batch_tok tok;
	char **argv;            /* "netnsctl" + the line's words, for the option parser */
	size_t argvcap;
	char where[PATH_MAX + 32];
};

static int read_all(int fd, char **out, size_t *outlen)
{
	size_t len = 0, cap = 0;
	char *buf = NULL;

	for (;;) {
		ssize_t n;

		if (cap - len < 4096) {
			char *nb = realloc(buf, cap = cap ? cap * 2 : 65536);

			if (!nb) {
				free(buf);
				return -ENOMEM;
			}
			buf = nb;
		}
		n = read(fd, buf + len, cap - len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			n = -errno;
			free(buf);
			return (int)n;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	*out = buf;
	*outlen = len;
	return 0;
}

static int load(struct batch *b)
{
	int fd, ret;

	if (!strcmp(b->file, "-")) {
		fd = STDIN_FILENO;
	} else {
		fd = open(b->file, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			ret = errno;
			cli_usage(NULL, "batch \"%s\": %s", b->file, strerror(ret));
			return EXIT_FAIL;
		}
	}
	ret = read_all(fd, &b->text, &b->len);
	if (fd != STDIN_FILENO)
		close(fd);
	if (ret < 0) {
		cli_usage(NULL, "batch \"%s\": %s", b->file, strerror(-ret));
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

/*
 * One line, its words in b->tok: the line's own global options over a copy
 * of the batch's, then the command. check: parse only.
 */
static int run_line(struct batch *b, bool check)
{
	struct cli lc = *b->base;
	const char *run_dir = NULL;
	int argc = b->tok.argc + 1, next, ret;

	if ((size_t)argc + 1 > b->argvcap) {
		size_t cap = (size_t)argc + 16;
		char **na = realloc(b->argv, cap * sizeof(*na));

		if (!na)
			return cli_usage(&lc, "out of memory");
		b->argv = na;
		b->argvcap = cap;
	}
	b->argv[0] = (char *)"netnsctl";
	memcpy(b->argv + 1, b->tok.argv, (size_t)argc * sizeof(char *));   /* + NULL */

	lc = cli_for_line(b->base, b->where, check, b->base->err);
	ret = cli_parse_options(&lc, argc, b->argv, &run_dir, &next);
	if (ret == CLI_OPTS_HELP || ret == CLI_OPTS_VERSION)
		return cli_usage(&lc, "%s: not a batch command (COMMAND -h shows help)",
				 b->argv[1]);
	if (ret != CLI_OPTS_RUN)
		return ret;
	if (lc.batch)
		return cli_usage(&lc, "-b/--batch inside a batch");
	if (run_dir)
		return cli_usage(&lc, "--run-dir applies to the whole batch: give it before -b");
	if (lc.force)
		return cli_usage(&lc, "-f/--force applies to the whole batch: give it before -b");
	if (lc.jobs)
		return cli_usage(&lc, "-J/--jobs applies to the whole batch: give it before -b");
	lc.jobs = b->base->jobs;
	if (next == argc)
		return cli_usage(&lc, "missing command after the options");
	if (lc.json && !check)
		cli_json_begin(&lc);
	return cli_dispatch(&lc, argc - next, b->argv + next);
}

/* Walk every line; check: the pre-pass. bad[] marks lines that failed it. */
static int pass(struct batch *b, bool check, unsigned char *bad, bool *syntax)
{
	unsigned lineno = 1;
	size_t off = 0, idx = 0;
	int ret, rc = EXIT_OK;

	for (; off < b->len; idx++) {
		unsigned first = lineno;

		ret = batch_tok_line(&b->tok, b->text + off, b->len - off);
		off += b->tok.consumed;
		lineno += b->tok.lines;
		snprintf(b->where, sizeof(b->where), "%s:%u", b->file, first);
		if (ret == -ENOMEM) {
			cli_usage(NULL, "batch \"%s\": out of memory", b->file);
			return EXIT_FAIL;
		}
		if (!check && bad[idx])
			continue;
		if (ret < 0) {
			cli_usage(&(struct cli){ .where = b->where }, "%s", b->tok.err);
			ret = EXIT_USAGE;
		} else if (b->tok.argc == 0) {
			continue;
		} else {
			ret = run_line(b, check);
		}
		if (ret == EXIT_OK)
			continue;
		if (check) {
			*syntax = true;
			bad[idx] = 1;
			rc = EXIT_USAGE;
		} else {
			rc = EXIT_FAIL;
		}
		if (!b->base->force)
			return rc;
	}
	return rc;
}

/* The run pass with --jobs N > 1: the lines to batch_par.c, then run there. */
static int pass_parallel(struct batch *b, const unsigned char *bad, unsigned jobs)
{
	struct batch_par *bp = batch_par_new(b->base, jobs);
	unsigned lineno = 1;
	size_t off = 0, idx = 0;
	int ret = EXIT_OK;

	if (!bp)
		return cli_usage(NULL, "batch \"%s\": out of memory", b->file);
	for (; off < b->len; idx++) {
		unsigned first = lineno;

		ret = batch_tok_line(&b->tok, b->text + off, b->len - off);
		off += b->tok.consumed;
		lineno += b->tok.lines;
		if (ret == -ENOMEM)
			break;
		ret = EXIT_OK;
		if (b->tok.argc == 0 && !bad[idx])
			continue;
		snprintf(b->where, sizeof(b->where), "%s:%u", b->file, first);
		if (batch_par_add(bp, bad[idx] ? 0 : b->tok.argc, b->tok.argv, b->where,
				  bad[idx]) < 0) {
			ret = -ENOMEM;
			break;
		}
	}
	if (ret == -ENOMEM)
		ret = cli_usage(NULL, "batch \"%s\": out of memory", b->file);
	else
		ret = batch_par_run(bp);
	batch_par_free(bp);
	return ret;
}

/* Count the lines the tokenizer will see, for the pre-pass marks. */
static size_t count_lines(const char *text, size_t len)
{
	size_t n = 1;

	for (const char *p = text; (p = memchr(p, '\n', len - (size_t)(p - text))); p++)
		n++;
	return n;
}

int cli_batch(struct cli *c)
{
	struct batch b = { .base = c, .file = c->batch };
	unsigned char *bad = NULL;
	bool syntax = false;
	int ret, saved = -1;

	ret = load(&b);
	if (ret != EXIT_OK)
		return ret;
	batch_tok_init(&b.tok);
	/* a logical line takes at least one physical line */
	bad = calloc(count_lines(b.text, b.len), 1);
	if (!bad) {
		ret = cli_usage(NULL, "batch \"%s\": out of memory", b.file);
		goto out;
	}

	/* help text asked for by a line is printed when the line runs, not twice */
	fflush(stdout);
	saved = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3);
	if (saved >= 0) {
		int null = open("/dev/null", O_WRONLY | O_CLOEXEC);

		if (null < 0 || dup2(null, STDOUT_FILENO) < 0) {
			close(saved);
			saved = -1;
		}
		if (null >= 0)
			close(null);
	}
	ret = pass(&b, true, bad, &syntax);
	fflush(stdout);
	if (saved >= 0) {
		dup2(saved, STDOUT_FILENO);
		close(saved);
	}
	if (ret != EXIT_OK && !c->force)
		goto out;

	if (cli_jobs(c) > 1)
		ret = pass_parallel(&b, bad, cli_jobs(c));
	else
		ret = pass(&b, false, bad, &syntax);
	if (syntax)
		ret = EXIT_USAGE;
out:
	free(bad);
	free(b.argv);
	batch_tok_free(&b.tok);
	free(b.text);
	return ret;
}
