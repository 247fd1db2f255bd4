// SPDX-License-Identifier: GPL-2.0-or-later
/* Printing errors and help: the only place that talks to stderr. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

void cli_put_printable(FILE *f, const char *s, bool backslash)
{
	char buf[256];
	size_t n;

	/* in pieces: stderr is unbuffered, one write per byte would be slow */
	while ((n = nsc_printable_part(s, buf, sizeof(buf), backslash))) {
		fputs(buf, f);
		s += n;
	}
}

/*
 * Messages echo what the user typed (or what sits in the run dir): a newline
 * or an escape sequence in it must not forge more lines or drive the
 * terminal. Errors are always exactly one line.
 */
static FILE *errf(const struct cli *c)
{
	return c && c->err ? c->err : stderr;
}

static void put_clean(const struct cli *c, const char *s)
{
	cli_put_printable(errf(c), s, false);
}

__attribute__((format(printf, 2, 0)))
static void vput_clean(const struct cli *c, const char *fmt, va_list ap)
{
	char buf[1024];

	vsnprintf(buf, sizeof(buf), fmt, ap);
	put_clean(c, buf);
}

static void prefix(const struct cli *c)
{
	fputs("netnsctl: ", errf(c));
	if (c && c->where)
		fprintf(errf(c), "%s: ", c->where);
}

int cli_error(const struct cli *c, const struct nsc_error *e)
{
	fflush(stdout);
	prefix(c);
	put_clean(c, e->msg[0] ? e->msg : "unknown error");
	if (e->ext_ack[0]) {
		fputs(" (kernel: ", errf(c));
		put_clean(c, e->ext_ack);
		fputc(')', errf(c));
	}
	if (c && c->root_hint && !e->usage && (e->code == EPERM || e->code == EACCES) &&
	    geteuid() != 0)
		fputs(" (needs root; try \"netnsctl run\" for a private world)", errf(c));
	fputc('\n', errf(c));
	return e->usage ? EXIT_USAGE : EXIT_FAIL;
}

int cli_usage(const struct cli *c, const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	prefix(c);
	va_start(ap, fmt);
	vput_clean(c, fmt, ap);
	va_end(ap);
	fputc('\n', errf(c));
	return EXIT_USAGE;
}

void cli_warn(const struct cli *c, const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	prefix(c);
	fputs("warning: ", errf(c));
	va_start(ap, fmt);
	vput_clean(c, fmt, ap);
	va_end(ap);
	fputc('\n', errf(c));
}

bool cli_help(int argc, char **argv, const char *text)
{
	if (argc < 2 || (strcmp(argv[1], "-h") && strcmp(argv[1], "--help") &&
			 strcmp(argv[1], "help")))
		return false;
	fputs(text, stdout);
	return true;
}

void cli_json_begin(struct cli *c)
{
	static struct json js;

	json_init(&js, stdout, c->pretty);
	c->js = &js;
}

void cli_json_end(struct cli *c)
{
	json_end(c->js);
}

void cli_list_open(struct cli *c)
{
	if (c->json)
		json_arr_open(c->js);
}

void cli_list_close(struct cli *c)
{
	if (c->json) {
		json_arr_close(c->js);
		cli_json_end(c);
	}
}

struct cli cli_for_line(const struct cli *base, const char *where, bool check_only, FILE *err)
{
	struct cli lc = *base;

	lc.where = where;
	lc.check_only = check_only;
	lc.batch = NULL;
	lc.force = false;
	lc.jobs = 0;
	lc.js = NULL;
	lc.err = err;
	return lc;
}
