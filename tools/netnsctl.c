// SPDX-License-Identifier: GPL-2.0-or-later
/* netnsctl: global options, then one command from the table. */
#include <stdlib.h>
#include <sys/socket.h>
#include <string.h>

#include "config.h"
#include "subcmd.h"

static int cmd_help(struct cli *c, int argc, char **argv);

static const struct cmd commands[] = {
	{ "add",      cmd_add,      0, "make named network namespaces", cmd_add_help },
	{ "attach",   cmd_attach,   0, "name the network namespace of a process",
	  cmd_attach_help },
	{ "delete",   cmd_delete,   0, "remove named namespaces", cmd_delete_help },
	{ "del",      cmd_delete,   0, NULL, cmd_delete_help },
	{ "list",     cmd_list,     0, "list named namespaces", cmd_list_help },
	{ "ls",       cmd_list,     0, NULL, cmd_list_help },
	{ "identify", cmd_identify, 0, "name the namespace of a process", cmd_identify_help },
	{ "pids",     cmd_pids,     0, "list the processes inside a namespace", cmd_pids_help },
	{ "exec",     cmd_exec,     CMD_EXEC, "run a command inside a namespace", cmd_exec_help },
	{ "monitor",  cmd_monitor,  CMD_NETNS, "watch namespaces and the networks inside them",
	  cmd_monitor_help },
	{ "lab",      NULL,         0, "labs described in a file: apply, diff, destroy...",
	  NULL, &lab_group },
	{ "run",      cmd_run,      CMD_EXEC | CMD_WORLD, "run a command in a throwaway lab",
	  cmd_run_help },
	{ "link",     NULL,         CMD_NETNS, "show, add, delete and change links", NULL,
	  &link_group },
	{ "veth",     NULL,         CMD_NETNS, "veth pairs across namespaces", NULL, &veth_group },
	{ "addr",     NULL,         CMD_NETNS, "show, add, delete and flush addresses", NULL,
	  &addr_group },
	{ "address",  NULL,         CMD_NETNS, NULL, NULL, &addr_group },
	{ "route",    NULL,         CMD_NETNS, "show and change routes", NULL, &route_group },
	{ "neigh",    NULL,         CMD_NETNS, "show and change neighbours (ARP, NDP)", NULL,
	  &neigh_group },
	{ "neighbour", NULL,        CMD_NETNS, NULL, NULL, &neigh_group },
	{ "neighbor", NULL,         CMD_NETNS, NULL, NULL, &neigh_group },
	{ "impair",   cmd_impair,   CMD_NETNS, "delay, loss or rate-limit what a link sends",
	  cmd_impair_help },
	{ "qdisc",    NULL,         CMD_NETNS, "show queueing disciplines", NULL, &qdisc_group },
	{ "set",      cmd_set,      CMD_NETNS, "give a namespace an id", cmd_set_help },
	{ "list-id",  cmd_list_id,  CMD_NETNS, "list namespace ids", cmd_list_id_help },
	{ "help",     cmd_help,     0, "this list, or help on COMMAND", cmd_help_help },
	{ "capture",  cmd_capture,  CMD_NETNS, "capture packets to a pcap file (libpcap)",
	  cmd_capture_help },
};

#define N_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *f)
{
	fputs("Usage: netnsctl [OPTIONS] COMMAND [ARGS...]\n"
	      "       netnsctl [OPTIONS] -b FILE\n\n"
	      "Options (before COMMAND only):\n"
	      "  -h, --help           show this help (COMMAND -h: help on COMMAND)\n"
	      "  -V, --version        show the version\n"
	      "  -j, --json           JSON output\n"
	      "  -p, --pretty         indent JSON output\n"
	      "  -n, --netns NAME     act inside namespace NAME (network commands)\n"
	      "  -4, -6               one address family only\n"
	      "  -s, --stats          show counters\n"
	      "  -br, --brief         one line per object\n"
	      "  -b, --batch FILE     run the commands of FILE (- for standard input),\n"
	      "                       one a line, in one process (netnsctl-batch(8))\n"
	      "  -f, --force          with -b: go on after a failing line\n"
	      "  -J, --jobs N         with -b and lab apply: N workers build independent\n"
	      "                       namespaces at once (default: the CPUs, at most 8;\n"
	      "                       1: one line, one step at a time)\n"
	      "      --run-dir DIR    named namespaces live in DIR (default "
	      NETNSCTL_DEFAULT_RUN_DIR ",\n"
	      "                       or $NETNSCTL_RUN_DIR)\n\n"
	      "Commands:\n", f);
	for (size_t i = 0; i < N_COMMANDS; i++)
		if (commands[i].summary)
			fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fputs("\nSee netnsctl(8).\n", f);
}

/* "unknown command": with the name meant, when one is close */
static int unknown(struct cli *c, const char *word)
{
	struct nsc_suggest s;
	char b[64];

	nsc_suggest_init(&s, word);
	for (size_t i = 0; i < N_COMMANDS; i++)
		nsc_suggest_add(&s, commands[i].name, strlen(commands[i].name));
	if (nsc_suggest_best(&s, b, sizeof(b)))
		return cli_usage(c, "unknown command \"%s\"; did you mean \"%s\"?", word, b);
	return cli_usage(c, "unknown command \"%s\" (try: netnsctl --help)", word);
}

static const struct cmd *find(const char *name)
{
	for (size_t i = 0; i < N_COMMANDS; i++)
		if (!strcmp(name, commands[i].name))
			return &commands[i];
	return NULL;
}

/*
 * help [COMMAND [SUBCOMMAND]], git's and ip's way to ask: the text COMMAND
 * [SUBCOMMAND] --help prints, and a usage error (with the name meant) for
 * a name that is no command. Never runs the command.
 */
static int cmd_help(struct cli *c, int argc, char **argv)
{
	const struct cmd *cmd;

	if (c->where)
		return cli_usage(c, "help: not a batch command (see netnsctl --help)");
	if (argc == 1) {
		usage(stdout);
		return EXIT_OK;
	}
	if (argc > 3)
		return cli_usage(c, "help: unexpected \"%s\"", argv[3]);
	if (!(cmd = find(argv[1])))
		return unknown(c, argv[1]);
	if (cmd->group)
		return subcmd_help(c, cmd->group, argc > 2 ? argv[2] : NULL);
	if (argc > 2)
		return cli_usage(c, "help: \"%s\" has no subcommands", cmd->name);
	fputs(cmd->help, stdout);
	return EXIT_OK;
}

int cli_dispatch(struct cli *c, int argc, char **argv)
{
	const struct cmd *cmd = find(argv[0]);

	if (!cmd)
		return unknown(c, argv[0]);
	if (c->netns && !(cmd->flags & CMD_NETNS)) {
		int ret = cli_usage(c, "%s: -n/--netns does not apply to this command",
				    cmd->name);

		return cmd->flags & CMD_EXEC ? EXIT_EXEC_FAIL : ret;
	}
	c->root_hint = !(cmd->flags & CMD_WORLD);
	if (cmd->group)
		return subcmd_run(c, cmd->group, argc, argv);
	if (cli_help(argc, argv, cmd->help))
		return EXIT_OK;
	return cmd->fn(c, argc, argv);
}

int main(int argc, char **argv)
{
	struct cli c = { .family = AF_UNSPEC };
	const char *run_dir = NULL;
	struct nsc_error e = { 0 };
	int i, ret;

	ret = cli_parse_options(&c, argc, argv, &run_dir, &i);
	if (ret == CLI_OPTS_HELP) {
		usage(stdout);
		return EXIT_OK;
	}
	if (ret == CLI_OPTS_VERSION) {
		puts("netnsctl " NETNSCTL_VERSION);
		return EXIT_OK;
	}
	if (ret != CLI_OPTS_RUN)
		return ret;
	if (c.batch && i < argc)
		return cli_usage(NULL, "-b/--batch: unexpected command \"%s\" (put it in the batch)",
				 argv[i]);
	if (i == argc && !c.batch)  /* one line, as every usage error: the help is on -h */
		return cli_usage(NULL, "missing command (try: netnsctl --help)");
	if (nsc_ctx_new(&c.ctx, run_dir, &e) < 0)
		return cli_error(NULL, &e);
	if (c.batch) {
		ret = cli_batch(&c);    /* each line starts its own JSON output */
	} else {
		if (c.json)
			cli_json_begin(&c);
		ret = cli_dispatch(&c, argc - i, argv + i);
	}
	nsc_ctx_free(c.ctx);
	if (fflush(stdout) != 0 && ret == EXIT_OK)
		ret = EXIT_FAIL;
	return ret;
}
