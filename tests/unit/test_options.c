// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests for the global option parser: order, values, no permutation. */
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "cli.h"
#include "tap.h"

#define ARGV(...) ((char *[]){ "netnsctl", __VA_ARGS__, NULL })
static int parse(char **argv, int unused, struct cli *c, const char **rd, int *next)
{
	int argc = 0;

	(void)unused;
	while (argv[argc])
		argc++;
	memset(c, 0, sizeof(*c));
	*rd = NULL;
	*next = -1;
	return cli_parse_options(c, argc, argv, rd, next);
}

int main(void)
{
	struct cli c;
	const char *rd;
	int next;

	/* stderr of the refusals is noise here */
	freopen("/dev/null", "w", stderr);
	{
		char **v = ARGV("-j", "-p", "-n", "ns1", "-4", "link", "show");
		ok(parse(v, 7, &c, &rd, &next) == CLI_OPTS_RUN && c.json && c.pretty &&
		   !strcmp(c.netns, "ns1") && c.family == AF_INET && next == 6,
		   "options before the command");
	}
	{
		char **v = ARGV("exec", "ns1", "ls", "-l");
		ok(parse(v, 4, &c, &rd, &next) == CLI_OPTS_RUN && next == 1 && !c.json,
		   "nothing after the command is an option");
	}
	{
		char **v = ARGV("--netns=a", "--run-dir=/tmp/x", "list");
		ok(parse(v, 3, &c, &rd, &next) == CLI_OPTS_RUN && !strcmp(c.netns, "a") &&
		   !strcmp(rd, "/tmp/x"), "--opt=value forms");
	}
	{
		char **v = ARGV("--run-dir", "/r", "-s", "-s", "-br", "-6", "link");
		ok(parse(v, 7, &c, &rd, &next) == CLI_OPTS_RUN && c.stats == 2 && c.brief &&
		   c.family == AF_INET6 && !strcmp(rd, "/r"), "-s twice, -br, -6");
	}
	{
		char **v = ARGV("-n");
		ok(parse(v, 1, &c, &rd, &next) == EXIT_USAGE, "-n without a value");
	}
	{
		char **v = ARGV("-n", "../x", "link");
		ok(parse(v, 3, &c, &rd, &next) == EXIT_USAGE, "-n with a bad name");
	}
	{
		char **v = ARGV("--jso", "list");
		ok(parse(v, 2, &c, &rd, &next) == EXIT_USAGE, "no prefix matching of options");
	}
	{
		char **v = ARGV("-V", "--bogus");
		ok(parse(v, 2, &c, &rd, &next) == CLI_OPTS_VERSION, "-V");
	}
	{
		char **v = ARGV("-j", "--help");
		ok(parse(v, 2, &c, &rd, &next) == CLI_OPTS_HELP, "--help");
	}
	{
		char **v = ARGV("-b", "-", "-f");
		ok(parse(v, 3, &c, &rd, &next) == CLI_OPTS_RUN && !strcmp(c.batch, "-") &&
		   c.force && next == 4, "-b - -f");
	}
	{
		char **v = ARGV("--", "-weird");
		ok(parse(v, 2, &c, &rd, &next) == CLI_OPTS_RUN && next == 2, "-- ends options");
	}
	return tap_done();
}
