// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests for the command line: the global option parser (order, values,
 * no permutation), the keyword cursor (kwargs.c) and the subcommand
 * dispatcher (subcmd.c).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cli.h"
#include "subcmd.h"
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

/* ---- capturing what a call prints on fd 1 or 2 ---- */

static char out[4096];

static void capture_start(int fd, int *saved)
{
	char path[] = "/tmp/test_options.XXXXXX";
	int tmp = mkstemp(path);

	fflush(NULL);
	unlink(path);
	*saved = dup(fd);
	dup2(tmp, fd);
	close(tmp);
}

static const char *capture_end(int fd, int saved)
{
	ssize_t n;

	fflush(NULL);
	lseek(fd, 0, SEEK_SET);
	n = read(fd, out, sizeof(out) - 1);
	out[n > 0 ? n : 0] = '\0';
	dup2(saved, fd);
	close(saved);
	return out;
}

/* ---- the subcommand dispatcher ---- */

static struct {
	int calls, op, argc, first;
	char verb[64], arg0[64];
	bool terse;
} last;

static int record(struct kargs *k)
{
	last.calls++;
	last.op = k->op;
	last.argc = k->argc;
	last.first = k->i;
	last.terse = k->terse;
	snprintf(last.verb, sizeof(last.verb), "%s", k->verb);
	snprintf(last.arg0, sizeof(last.arg0), "%s", k->argv[0]);
	return 42;
}

static const struct subcmd cmds[] = {
	{ "show list ls", record, 7 },
	{ "del delete", record, 1 },
	{ "get", record, 2, "get's own help\n" },
};

static const struct subcmds loose = {
	"obj", "obj help\n", SUBCMDS(cmds), &cmds[0], NULL, SUB_HELP_SECOND | SUB_DEFAULT_ANY,
};

static const struct subcmds strict = {
	"grp", "grp help\n", SUBCMDS(cmds), NULL, "-h", SUB_TERSE,
};

#define RUN(g, ...) run(g, (char *[]){ __VA_ARGS__, NULL })
static int run(const struct subcmds *g, char **argv)
{
	struct cli c = { .family = AF_UNSPEC };
	int argc = 0;

	while (argv[argc])
		argc++;
	memset(&last, 0, sizeof(last));
	return subcmd_run(&c, g, argc, argv);
}

/* What a run printed on fd (1: help, 2: errors), and its exit code in *ret. */
#define PRINTS(fd, ret, g, ...) prints(fd, ret, g, (char *[]){ __VA_ARGS__, NULL })
static const char *prints(int fd, int *ret, const struct subcmds *g, char **argv)
{
	int saved;

	capture_start(fd, &saved);
	*ret = run(g, argv);
	return capture_end(fd, saved);
}

static void dispatcher(void)
{
	int ret;

	ok(RUN(&loose, "obj", "list", "x") == 42 && last.op == 7 && !strcmp(last.verb, "obj show") &&
	   !strcmp(last.arg0, "list") && last.argc == 2 && last.first == 1,
	   "an alias runs its entry; messages name the first name");
	ok(RUN(&loose, "obj", "delete") == 42 && last.op == 1 && !strcmp(last.verb, "obj del"),
	   "del delete: \"obj del\" whichever was typed");
	ok(RUN(&loose, "obj") == 42 && last.op == 7 && !strcmp(last.verb, "obj") &&
	   !strcmp(last.arg0, "obj") && last.argc == 1, "bare group: the default, named by the group");
	ok(RUN(&loose, "obj", "198.51.100.0/24", "x") == 42 && !strcmp(last.verb, "obj") &&
	   last.argc == 3 && last.first == 1, "SUB_DEFAULT_ANY: an unknown word is the default's");
	ok(RUN(&loose, "obj", "show list") == 42 && !strcmp(last.verb, "obj") &&
	   last.argc == 2, "a word with a space names nothing");
	ok(RUN(&loose, "obj", "sho") == 42 && !strcmp(last.verb, "obj"), "no prefix matching");
	ok(!strcmp(PRINTS(2, &ret, &strict, "grp", "frob"),
		   "netnsctl: grp: unknown command \"frob\" (try: netnsctl grp -h)\n") &&
	   ret == EXIT_USAGE && !last.calls, "unknown subcommand");
	ok(!strcmp(PRINTS(2, &ret, &strict, "grp"),
		   "netnsctl: grp: missing command (try: netnsctl grp -h)\n") &&
	   ret == EXIT_USAGE && !last.calls, "missing subcommand without a default");
	ok(RUN(&strict, "grp", "ls") == 42 && last.terse && !strcmp(last.verb, "grp show"),
	   "SUB_TERSE reaches the cursor");
	ok(!strcmp(PRINTS(1, &ret, &loose, "obj", "--help"), "obj help\n") && ret == EXIT_OK &&
	   !last.calls, "GROUP --help");
	ok(!strcmp(PRINTS(1, &ret, &loose, "obj", "del", "help"), "obj help\n") &&
	   !last.calls, "GROUP SUB help: the group's when SUB has none");
	ok(!strcmp(PRINTS(1, &ret, &loose, "obj", "get", "-h"), "get's own help\n") &&
	   !last.calls, "GROUP SUB -h: SUB's own");
	ok(!strcmp(PRINTS(1, &ret, &loose, "obj", "1.2.3.4", "-h"), "obj help\n") &&
	   !last.calls, "SUB_HELP_SECOND: GROUP WORD -h is the group's help");
	ok(!strcmp(PRINTS(1, &ret, &strict, "grp", "frob", "-h"), "") && ret == EXIT_USAGE,
	   "without it, an unknown word before -h is an error");
	ok(!strcmp(PRINTS(1, &ret, &loose, "obj", "ls", "x", "-h"), "") && last.calls == 1,
	   "help only right after the subcommand");
}

/* ---- the keyword cursor ---- */

#define ARGS(...) ((char *[]){ __VA_ARGS__, NULL })
static void cursor(struct kargs *k, struct cli *c, bool terse, char **argv)
{
	int argc = 0;

	while (argv[argc])
		argc++;
	ka_init(k, c, "thing set", argc, argv, 1);
	k->terse = terse;
}

static void keywords(void)
{
	struct cli c = { .family = AF_UNSPEC };
	const char *v = NULL, *e;
	struct kargs k;
	uint32_t u;
	int saved;

	cursor(&k, &c, false, ARGS("set", "mtu", "1400", "dev", "eth0", "x"));
	ok(ka_take(&k, "mtu") && !ka_once(&k, 3) && !ka_u32(&k, 1, 9000, "mtu", &u) && u == 1400 &&
	   !ka_take(&k, "mtu") && !ka_value_after(&k, "dev", &v) && !strcmp(v, "eth0") &&
	   ka_more(&k) && !strcmp(ka_peek(&k), "x") && k.seen == 1u << 3,
	   "keyword, value, positional-or-keyword word");

	cursor(&k, &c, false, ARGS("set", "via"));
	capture_start(2, &saved);
	ka_take(&k, "via");
	ka_value(&k, &v);
	e = capture_end(2, saved);
	ok(!strcmp(e, "netnsctl: thing set: missing value after \"via\"\n"), "missing value");

	cursor(&k, &c, true, ARGS("set", "mtu"));
	capture_start(2, &saved);
	ka_take(&k, "mtu");
	ka_value(&k, &v);
	e = capture_end(2, saved);
	ok(!strcmp(e, "netnsctl: thing set: \"mtu\" needs a value\n"), "missing value, terse");

	cursor(&k, &c, false, ARGS("set", "dev", "a", "dev", "b"));
	capture_start(2, &saved);
	ka_take(&k, "dev");
	ka_once(&k, 0);
	ka_value(&k, &v);
	ka_take(&k, "dev");
	ok(ka_once(&k, 0) == EXIT_USAGE, "a keyword twice is a usage error");
	e = capture_end(2, saved);
	ok(!strcmp(e, "netnsctl: thing set: \"dev\" given twice\n"), "... named");

	cursor(&k, &c, true, ARGS("set", "name", "a", "name", "b"));
	k.part = "peer";
	capture_start(2, &saved);
	ka_ifname_after(&k, "name", 1, &v);
	ka_ifname_after(&k, "name", 1, &v);
	e = capture_end(2, saved);
	ok(!strcmp(e, "netnsctl: thing set: peer: \"name\" given twice\n"), "... in a part");

	cursor(&k, &c, true, ARGS("set", "a/b"));
	capture_start(2, &saved);
	ka_dev_only(&k, "device name", &v);
	e = capture_end(2, saved);
	ok(!strncmp(e, "netnsctl: invalid interface name \"a/b\":", 39),
	   "terse: a parser's message alone");

	cursor(&k, &c, false, ARGS("set", "dev", "a/b"));
	capture_start(2, &saved);
	ka_take(&k, "dev");
	ka_ifname(&k, &v);
	e = capture_end(2, saved);
	ok(!strncmp(e, "netnsctl: thing set: invalid interface name \"a/b\":", 50),
	   "else with the verb in front");

	cursor(&k, &c, false, ARGS("set", "a\033[2Jbcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghij"));
	capture_start(2, &saved);
	ka_unknown(&k);
	e = capture_end(2, saved);
	ok(!strcmp(e, "netnsctl: thing set: unknown argument "
		      "\"a\\x1b[2Jbcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz\"\n"),
	   "an unknown word: escaped, cut short as it always was");

	cursor(&k, &c, true, ARGS("del", "dev"));
	capture_start(2, &saved);
	ka_dev_only(&k, "NAME", &v);
	e = capture_end(2, saved);
	ok(!strcmp(e, "netnsctl: thing set: missing NAME\n"), "[dev] DEV: missing");

	cursor(&k, &c, true, ARGS("del", "dev", "a", "b"));
	capture_start(2, &saved);
	ka_dev_only(&k, "NAME", &v);
	e = capture_end(2, saved);
	ok(!strcmp(e, "netnsctl: thing set: unexpected \"b\"\n"), "[dev] DEV: one only");

	cursor(&k, &c, false, ARGS("add", "to", "-x"));
	capture_start(2, &saved);
	ka_to_prefix(&k, AF_UNSPEC, 0, &(struct nsc_prefix){ 0 });
	e = capture_end(2, saved);
	ok(!strcmp(e, "netnsctl: thing set: unknown argument \"-x\"\n"),
	   "[to] PREFIX: an option-like word is unknown");
}

/* ---- the escaper ---- */

static void escaper(void)
{
	char big[700];
	const char *e;
	int saved;

	memset(big, 'y', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	big[300] = '\n';
	capture_start(1, &saved);
	cli_put_printable(stdout, "a\\b\x7f", true);
	cli_put_printable(stdout, "a\\b", false);
	e = capture_end(1, saved);
	ok(!strcmp(e, "a\\x5cb\\x7fa\\b"), "names escape the backslash, messages do not");
	capture_start(1, &saved);
	cli_put_printable(stdout, big, false);
	e = capture_end(1, saved);
	ok(strlen(e) == sizeof(big) - 1 + 3 && !strncmp(e + 300, "\\x0ay", 5),
	   "never cut, whatever the length");
}

int main(void)
{
	struct cli c;
	const char *rd;
	int next;

	/* stderr of the refusals is noise here */
	freopen("/dev/null", "w", stderr);
	dispatcher();
	keywords();
	escaper();
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
		char **v = ARGV("--jobs", "4", "-J", "3", "list");
		ok(parse(v, 5, &c, &rd, &next) == CLI_OPTS_RUN && c.jobs == 3 && next == 5 &&
		   cli_jobs(&c) == 3, "--jobs N, -J N: the last wins");
	}
	{
		char **v = ARGV("--jobs=1024", "list");
		ok(parse(v, 2, &c, &rd, &next) == CLI_OPTS_RUN && c.jobs == 1024, "--jobs=N");
	}
	{
		const char *bad[] = { "0", "x", "-1", "+2", "2x", "", "1025", "99999999999999999999" };

		for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			char **v = ARGV("--jobs", (char *)bad[i], "list");

			ok(parse(v, 3, &c, &rd, &next) == EXIT_USAGE, "--jobs \"%s\"", bad[i]);
		}
	}
	{
		char **v = ARGV("list");

		ok(parse(v, 1, &c, &rd, &next) == CLI_OPTS_RUN && cli_jobs(&c) >= 1 &&
		   cli_jobs(&c) <= 8, "--jobs not given: the CPUs, 1 to 8");
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
