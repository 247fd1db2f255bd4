// SPDX-License-Identifier: GPL-2.0-or-later
/* lab: labs described in a file (netnsctl-lab(5)). */
#include <string.h>
#include <unistd.h>

#include "cli.h"

static const char lab_help[] =
	"Usage: netnsctl lab COMMAND [ARGS...]\n"
	"Labs: namespaces, links, addresses and routes described in one YAML file\n"
	"(netnsctl-lab(5)).\n\n"
	"Commands:\n"
	"  validate FILE   check FILE (- for standard input) and print a summary\n\n"
	"See netnsctl-lab(8).\n";

static const char validate_help[] =
	"Usage: netnsctl lab validate FILE\n"
	"Check lab file FILE (- for standard input) without changing anything.\n"
	"Prints \"NAME: N nodes, N bridges, N links, N ready checks\" (with -j, a JSON\n"
	"object); the first error is one line, FILE:LINE:COLUMN: what, and exit 2.\n";

static const char *plural(size_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

static void print_summary(struct cli *c, const struct nsc_lab *lab)
{
	struct json *j = c->js;

	if (!c->json) {
		printf("%s: %zu %s, %zu %s, %zu %s, %zu %s\n", lab->name,
		       lab->n_nodes, plural(lab->n_nodes, "node", "nodes"),
		       lab->n_bridges, plural(lab->n_bridges, "bridge", "bridges"),
		       lab->n_links, plural(lab->n_links, "link", "links"),
		       lab->n_ready, plural(lab->n_ready, "ready check", "ready checks"));
		return;
	}
	json_obj_open(j);
	json_kv_str(j, "name", lab->name);
	json_key(j, "nodes");
	json_arr_open(j);
	for (size_t i = 0; i < lab->n_nodes; i++) {
		json_obj_open(j);
		json_kv_str(j, "name", lab->nodes[i].name);
		json_kv_str(j, "netns", lab->nodes[i].netns);
		json_obj_close(j);
	}
	json_arr_close(j);
	json_key(j, "bridges");
	json_arr_open(j);
	for (size_t i = 0; i < lab->n_bridges; i++) {
		json_obj_open(j);
		json_kv_str(j, "name", lab->bridges[i].name);
		json_kv_str(j, "netns", lab->switch_netns);
		json_kv_uint(j, "ports", lab->bridges[i].n_ports);
		json_obj_close(j);
	}
	json_arr_close(j);
	json_kv_uint(j, "links", lab->n_links);
	json_kv_uint(j, "ready", lab->n_ready);
	json_obj_close(j);
	cli_json_end(c);
}

static int lab_validate(struct cli *c, int argc, char **argv)
{
	struct nsc_error e = { 0 };
	struct nsc_lab *lab = NULL;
	const char *file;
	int i = 1, ret;

	if (cli_help(argc, argv, validate_help))
		return EXIT_OK;
	if (i < argc && !strcmp(argv[i], "--"))
		i++;
	else if (i < argc && argv[i][0] == '-' && argv[i][1])
		return cli_usage(c, "lab validate: unknown option \"%s\"", argv[i]);
	if (i == argc)
		return cli_usage(c, "lab validate: missing FILE");
	if (i + 1 < argc)
		return cli_usage(c, "lab validate: unexpected argument \"%s\"", argv[i + 1]);
	file = argv[i];
	/* a batch's pre-pass must leave standard input to the real run */
	if (c->check_only && !strcmp(file, "-"))
		return EXIT_OK;
	if (!strcmp(file, "-"))
		ret = nsc_lab_read_fd(STDIN_FILENO, "<stdin>", &lab, &e);
	else
		ret = nsc_lab_read_file(file, &lab, &e);
	if (ret < 0)
		return cli_error(c, &e);
	if (!c->check_only)
		print_summary(c, lab);
	nsc_lab_free(lab);
	return EXIT_OK;
}

static const struct {
	const char *name;
	int (*fn)(struct cli *c, int argc, char **argv);
} lab_commands[] = {
	{ "validate", lab_validate },
};

int cmd_lab(struct cli *c, int argc, char **argv)
{
	if (cli_help(argc, argv, lab_help))
		return EXIT_OK;
	if (argc < 2)
		return cli_usage(c, "lab: missing command (try: netnsctl lab -h)");
	for (size_t i = 0; i < sizeof(lab_commands) / sizeof(lab_commands[0]); i++)
		if (!strcmp(argv[1], lab_commands[i].name))
			return lab_commands[i].fn(c, argc - 1, argv + 1);
	return cli_usage(c, "lab: unknown command \"%s\" (try: netnsctl lab -h)", argv[1]);
}
