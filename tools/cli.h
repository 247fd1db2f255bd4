/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What every command handler gets: the global options and the context. */
#ifndef NETNSCTL_CLI_H
#define NETNSCTL_CLI_H

#include <stdbool.h>
#include <stdio.h>
#include <netnsctl/netnsctl.h>

#include "json.h"

enum {
	EXIT_OK = 0,
	EXIT_FAIL = 1,          /* the operation failed: the kernel or system said no */
	EXIT_USAGE = 2,         /* bad syntax or argument, nothing changed */
	EXIT_EXEC_FAIL = 125,   /* exec: netnsctl itself failed before the command ran */
	EXIT_EXEC_NOEXEC = 126, /* exec: the command cannot be run */
	EXIT_EXEC_NOENT = 127,  /* exec: the command was not found */
};

struct cli {
	struct nsc_ctx *ctx;
	const char *netns;      /* -n NAME, or NULL */
	int family;             /* -4 / -6: AF_INET, AF_INET6; else AF_UNSPEC */
	int stats;              /* -s, may repeat */
	bool json, pretty, brief, force;
	/*
	 * Batch pre-pass: a handler parses all its arguments, then returns 0
	 * before acting when this is set (syntax errors are found before the
	 * first line runs). The convention: parse everything, then
	 * `if (c->check_only) return EXIT_OK;`, then act.
	 */
	bool check_only;
	const char *where;      /* "FILE:LINE" inside a batch, else NULL */
	bool root_hint;         /* not a CMD_WORLD command: cli_error's hint on EPERM */
	const char *batch;      /* -b FILE, or NULL */
	struct json *js;        /* a JSON writer on stdout when json */
	unsigned jobs;          /* --jobs N: workers for -b and lab apply; 0: the default */
	FILE *err;              /* where errors go: NULL for stderr (a parallel batch's
				 * lines write theirs to a buffer, printed in order) */
};

/*
 * The cli a batch line runs with: BASE's settings (-j, -4/-6, -s...), the
 * line's place for errors, and what only the command line may set (-b, -f,
 * --jobs, an open JSON writer) cleared; ERR: where its errors go (NULL:
 * stderr).
 */
struct cli cli_for_line(const struct cli *base, const char *where, bool check_only, FILE *err);

#define CLI_JOBS_MAX 1024
/* --jobs when not given: the online CPUs, at most 8 (options.c). */
unsigned cli_jobs(const struct cli *c);

/* flags for struct cmd */
enum {
	CMD_NETNS = 1 << 0,     /* acts inside -n NAME; without it, -n is refused */
	CMD_EXEC = 1 << 1,      /* usage errors exit 125, as for env(1) */
	/*
	 * Makes its own private world, where the user is root (run). Every
	 * other command that is refused (EPERM, EACCES) to a user who is not
	 * root says that it needs root, and that run does not.
	 */
	CMD_WORLD = 1 << 2,
};

struct cmd {
	const char *name;
	int (*fn)(struct cli *c, int argc, char **argv);
	unsigned flags;
	const char *summary;
	const char *help;               /* "COMMAND -h" prints it */
	const struct subcmds *group;    /* instead of fn: a group's table (subcmd.h) */
};

/* Results of cli_parse_options besides an exit code (EXIT_USAGE). */
enum {
	CLI_OPTS_RUN = -1,      /* go on with argv[*next] */
	CLI_OPTS_HELP = -2,
	CLI_OPTS_VERSION = -3,
};
int cli_parse_options(struct cli *c, int argc, char **argv, const char **run_dir,
		      int *next);

/* Run one command line (argv[0] is the command): the dispatch table. */
int cli_dispatch(struct cli *c, int argc, char **argv);

/*
 * Print "netnsctl: [where: ]msg[ (kernel: ext_ack)]" and return 2 for usage
 * errors, else 1. A refusal (EPERM, EACCES) to a user who is not root ends
 * with the hint that it needs root (not for a CMD_WORLD command).
 */
int cli_error(const struct cli *c, const struct nsc_error *e);
/* Print a usage error and return EXIT_USAGE. */
int cli_usage(const struct cli *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A warning: "netnsctl: warning: ..." */
void cli_warn(const struct cli *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * S on F with control bytes as \xNN (and with BACKSLASH, a backslash as \x5c),
 * never cut: the library's escaper (nsc_printable_part), for whatever
 * echoes user input or run-dir names.
 */
void cli_put_printable(FILE *f, const char *s, bool backslash);

/* true when argv[1] asks for help; prints text to stdout. */
bool cli_help(int argc, char **argv, const char *text);

/* Start/finish JSON output on stdout when -j is given. */
void cli_json_begin(struct cli *c);
void cli_json_end(struct cli *c);
/* Around the objects of a list: with -j, the array (and the line's end). */
void cli_list_open(struct cli *c);
void cli_list_close(struct cli *c);

/* Run the batch file c->batch ("-" for standard input): batch.c. */
int cli_batch(struct cli *c);

/* command handlers, and their help */
int cmd_add(struct cli *c, int argc, char **argv);
int cmd_attach(struct cli *c, int argc, char **argv);
int cmd_delete(struct cli *c, int argc, char **argv);
int cmd_list(struct cli *c, int argc, char **argv);
int cmd_identify(struct cli *c, int argc, char **argv);
int cmd_pids(struct cli *c, int argc, char **argv);
int cmd_exec(struct cli *c, int argc, char **argv);
int cmd_monitor(struct cli *c, int argc, char **argv);
int cmd_run(struct cli *c, int argc, char **argv);
int cmd_set(struct cli *c, int argc, char **argv);
int cmd_list_id(struct cli *c, int argc, char **argv);
int cmd_capture(struct cli *c, int argc, char **argv);
extern const char cmd_capture_help[];
int cmd_impair(struct cli *c, int argc, char **argv);
extern const char cmd_impair_help[];
extern const char cmd_add_help[], cmd_attach_help[], cmd_delete_help[], cmd_list_help[],
	cmd_identify_help[], cmd_pids_help[], cmd_exec_help[], cmd_monitor_help[],
	cmd_run_help[], cmd_set_help[], cmd_list_id_help[], cmd_help_help[];

#endif
