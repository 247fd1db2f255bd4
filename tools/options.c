// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Global options. They come before COMMAND only and are never permuted, so
 * `exec NS ls -l` hands -l to ls. Kept apart from main() to be unit-tested.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>

#include "cli.h"

static bool is(const char *arg, const char *s, const char *l)
{
	return (s && !strcmp(arg, s)) || (l && !strcmp(arg, l));
}

/* The value of "--opt VALUE" or "--opt=VALUE"; NULL when this is not opt. */
static const char *value_of(const char *opt_s, const char *opt_l, int argc, char **argv,
			    int *i, bool *missing)
{
	const char *a = argv[*i];
	size_t ll = opt_l ? strlen(opt_l) : 0;

	*missing = false;
	if (is(a, opt_s, opt_l)) {
		if (*i + 1 >= argc) {
			*missing = true;
			return NULL;
		}
		return argv[++*i];
	}
	if (opt_l && !strncmp(a, opt_l, ll) && a[ll] == '=')
		return a + ll + 1;
	return NULL;
}

static int unknown(const struct cli *c, const char *a)
{
	struct nsc_suggest s;
	char b[32];

	nsc_suggest_init(&s, a);
	nsc_suggest_words(&s, "--help --version --json --pretty --netns --stats --brief "
			  "--batch --force --run-dir --jobs");
	if (nsc_suggest_best(&s, b, sizeof(b)))
		return cli_usage(c, "unknown option \"%s\"; did you mean \"%s\"?", a, b);
	return cli_usage(c, "unknown option \"%s\" (try: netnsctl --help)", a);
}

int cli_parse_options(struct cli *c, int argc, char **argv, const char **run_dir,
		      int *next)
{
	struct nsc_error e = { 0 };
	int i;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i], *v;
		bool missing;

		if (is(a, "-h", "--help"))
			return CLI_OPTS_HELP;
		if (is(a, "-V", "--version"))
			return CLI_OPTS_VERSION;
		if (!strcmp(a, "--")) {
			i++;
			break;
		}
		if (is(a, "-j", "--json")) {
			c->json = true;
		} else if (is(a, "-p", "--pretty")) {
			c->pretty = true;
		} else if (is(a, "-s", "--stats")) {
			c->stats++;
		} else if (is(a, "-br", "--brief")) {
			c->brief = true;
		} else if (is(a, "-f", "--force")) {
			c->force = true;
		} else if (is(a, "-4", NULL)) {
			c->family = AF_INET;
		} else if (is(a, "-6", NULL)) {
			c->family = AF_INET6;
		} else if ((v = value_of("-n", "--netns", argc, argv, &i, &missing)) || missing) {
			if (missing)
				return cli_usage(c, "%s needs a namespace name", a);
			if (nsc_name_check(v, &e) < 0)
				return cli_error(c, &e);
			c->netns = v;
		} else if ((v = value_of(NULL, "--run-dir", argc, argv, &i, &missing)) || missing) {
			if (missing || !*v)
				return cli_usage(c, "--run-dir needs a directory");
			*run_dir = v;
		} else if ((v = value_of("-J", "--jobs", argc, argv, &i, &missing)) || missing) {
			unsigned long n;
			char *end;

			if (missing || !*v)
				return cli_usage(c, "%s needs a number of workers (1 to %d)", a,
						 CLI_JOBS_MAX);
			errno = 0;
			n = strtoul(v, &end, 10);
			if (*end || errno || n < 1 || n > CLI_JOBS_MAX || v[0] == '-' || v[0] == '+')
				return cli_usage(c, "%s: \"%s\" is not a number of workers (1 to %d)",
						 a[1] == 'J' ? "-J" : "--jobs", v, CLI_JOBS_MAX);
			c->jobs = (unsigned)n;
		} else if ((v = value_of("-b", "--batch", argc, argv, &i, &missing)) || missing) {
			if (missing || !*v)
				return cli_usage(c, "%s needs a file (- for standard input)", a);
			c->batch = v;
		} else {
			return unknown(c, a);
		}
	}
	*next = i;
	return CLI_OPTS_RUN;
}

unsigned cli_jobs(const struct cli *c)
{
	long n;

	if (c->jobs)
		return c->jobs;
	n = sysconf(_SC_NPROCESSORS_ONLN);
	return n < 1 ? 1 : n > 8 ? 8 : (unsigned)n;
}
