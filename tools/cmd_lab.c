// SPDX-License-Identifier: GPL-2.0-or-later
/* lab: labs described in a file (netnsctl-lab(5)). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "lab_print.h"

static const char lab_help[] =
	"Usage: netnsctl lab COMMAND [ARGS...]\n"
	"Labs: namespaces, links, addresses and routes described in one YAML file\n"
	"(netnsctl-lab(5)).\n\n"
	"Commands:\n"
	"  validate FILE              check FILE (- for standard input), print a summary\n"
	"  apply [--dry-run] [--prune] [--no-ready] [-v] FILE\n"
	"                             bring the system to FILE\n"
	"  diff [--prune] FILE|NAME   the differences, one a line (exit 1 on drift)\n"
	"  destroy FILE|NAME          remove what the lab made\n"
	"  list                       labs with state here\n"
	"  show FILE|NAME             nodes, bridges, links, addresses, and what exists\n"
	"  graph FILE|NAME            the lab as a Graphviz graph (dot -Tsvg)\n"
	"  exec [-u USER] NAME NODE CMD [ARG...]\n"
	"                             run CMD in node NODE (exec NAME.NODE ...)\n"
	"  gc                         remove the state of labs from an earlier boot\n\n"
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

/* ---- FILE or NAME ---- */

/*
 * What names the lab: "-" and any path that exists are files (read and
 * checked), anything else is the name of a lab with state here (its
 * recorded copy). *info is filled for a lab with state.
 */
static int lab_get(struct cli *c, const char *verb, const char *arg, bool names_ok,
		   struct nsc_lab **lab, struct nsc_lab_info *info, bool *has_info)
{
	struct nsc_error e = { 0 };
	struct stat sb;
	int ret;

	*lab = NULL;
	*has_info = false;
	if (!strcmp(arg, "-"))
		ret = nsc_lab_read_fd(STDIN_FILENO, "<stdin>", lab, &e);
	else if (stat(arg, &sb) == 0 || !names_ok)
		ret = nsc_lab_read_file(arg, lab, &e);
	else {
		if (nsc_lab_name_check(arg, &e) < 0)
			return cli_usage(c, "lab %s: no file or lab \"%s\"", verb, arg);
		ret = nsc_lab_load(c->ctx, NULL, arg, lab, info, &e);
		*has_info = ret == 0;
	}
	if (ret < 0)
		return cli_error(c, &e);
	return EXIT_OK;
}

/* Parse "[OPTS] ARG": flags from a table, then exactly one argument. */
struct lab_flag {
	const char *name;
	bool *set;
};

static int lab_args(struct cli *c, const char *verb, int argc, char **argv,
		    const struct lab_flag *flags, const char **arg)
{
	int i;

	for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		bool found = false;

		if (!strcmp(argv[i], "--")) {
			i++;
			break;
		}
		for (const struct lab_flag *f = flags; f && f->name && !found; f++)
			if (!strcmp(argv[i], f->name))
				*f->set = found = true;
		if (!found)
			return cli_usage(c, "lab %s: unknown option \"%s\"", verb, argv[i]);
	}
	if (!arg)
		return i < argc ? cli_usage(c, "lab %s: unexpected argument \"%s\"", verb,
					    argv[i]) : EXIT_OK;
	if (i == argc)
		return cli_usage(c, "lab %s: missing FILE%s", verb,
				 strcmp(verb, "apply") ? " or NAME" : "");
	if (i + 1 < argc)
		return cli_usage(c, "lab %s: unexpected argument \"%s\"", verb, argv[i + 1]);
	*arg = argv[i];
	return EXIT_OK;
}

/* The batch pre-pass checks a file, and leaves standard input alone. */
static int check_arg(struct cli *c, const char *verb, const char *arg, bool names_ok)
{
	struct nsc_error e = { 0 };
	struct nsc_lab *lab = NULL;
	struct stat sb;

	if (!strcmp(arg, "-"))
		return EXIT_OK;
	if (names_ok && stat(arg, &sb) < 0) {
		if (nsc_lab_name_check(arg, &e) < 0)
			return cli_usage(c, "lab %s: no file or lab \"%s\"", verb, arg);
		return EXIT_OK;
	}
	if (nsc_lab_read_file(arg, &lab, &e) < 0)
		return cli_error(c, &e);
	nsc_lab_free(lab);
	return EXIT_OK;
}

/* ---- apply ---- */

static const char apply_help[] =
	"Usage: netnsctl lab apply [--dry-run] [--prune] [--no-ready] [-v] FILE\n"
	"Bring the system to lab FILE (- for standard input): make what is missing,\n"
	"change what differs, run exec commands and ready checks; a second apply of\n"
	"an unchanged file changes nothing (\"NAME: up to date\").\n"
	"  --dry-run    print the plan as netnsctl batch lines (netnsctl -b), change nothing\n"
	"  --prune      also remove what the lab made that FILE no longer has\n"
	"  --no-ready   skip the ready checks\n"
	"  -v           list each change made\n";

static void print_items(struct cli *c, const struct nsc_lab_report *r, bool actions_only,
			unsigned flags)
{
	for (size_t i = 0; i < r->n_items; i++) {
		const struct nsc_lab_item *it = &r->items[i];

		if (actions_only && !it->action)
			continue;
		if (c->json) {
			lab_item_json(c->js, it, flags);
		} else {
			lab_item_text(stdout, it);
			fputc('\n', stdout);
		}
	}
}

static void print_plan(struct cli *c, const struct nsc_lab *lab, const struct nsc_lab_report *r)
{
	if (c->json) {
		json_obj_open(c->js);
		json_kv_str(c->js, "name", lab->name);
		json_kv_bool(c->js, "up_to_date", r->n_actions == 0 && r->n_ready_cmd == 0);
		json_kv_uint(c->js, "changes", r->n_actions);
		json_key(c->js, "items");
		json_arr_open(c->js);
		print_items(c, r, true, LAB_ITEM_CMD);
		json_arr_close(c->js);
		json_key(c->js, "ready");
		json_arr_open(c->js);
		for (size_t i = 0; i < r->n_ready_cmd; i++)
			json_str(c->js, r->ready_cmd[i]);
		json_arr_close(c->js);
		json_obj_close(c->js);
		cli_json_end(c);
		return;
	}
	if (!r->n_actions && !r->n_ready_cmd) {
		printf("# %s: up to date\n", lab->name);
		return;
	}
	printf("# lab %s (%s): %zu change%s; replay with netnsctl -b\n", lab->name, lab->file,
	       r->n_actions, r->n_actions == 1 ? "" : "s");
	for (size_t i = 0; i < r->n_items; i++) {
		const struct nsc_lab_item *it = &r->items[i];

		if (!it->action || !it->cmd)
			continue;
		fputs("# ", stdout);
		lab_item_text(stdout, it);
		printf("\n%s\n", it->cmd);
	}
	if (r->n_ready_cmd)
		puts("# ready checks");
	for (size_t i = 0; i < r->n_ready_cmd; i++)
		puts(r->ready_cmd[i]);
}

static void print_applied(struct cli *c, const struct nsc_lab *lab,
			  const struct nsc_lab_report *r, bool verbose)
{
	bool fresh = !r->n_actions && !r->ready_run;

	if (c->json) {
		json_obj_open(c->js);
		json_kv_str(c->js, "name", lab->name);
		json_kv_bool(c->js, "up_to_date", fresh);
		json_kv_uint(c->js, "changes", r->n_done);
		json_kv_bool(c->js, "ready", r->ready_run);
		json_key(c->js, "items");
		json_arr_open(c->js);
		print_items(c, r, true, LAB_ITEM_DONE);
		json_arr_close(c->js);
		json_obj_close(c->js);
		cli_json_end(c);
		return;
	}
	if (verbose)
		print_items(c, r, true, 0);
	if (fresh)
		printf("%s: up to date\n", lab->name);
	else if (!r->n_done)
		printf("%s: up to date, ready\n", lab->name);
	else
		printf("%s: %zu change%s%s\n", lab->name, r->n_done, r->n_done == 1 ? "" : "s",
		       r->ready_run ? ", ready" : "");
}

static int lab_apply(struct cli *c, int argc, char **argv)
{
	struct nsc_lab_opts o = NSC_LAB_OPTS_INIT;
	struct nsc_lab_report r = { 0 };
	struct nsc_error e = { 0 };
	struct nsc_lab_info info;
	struct nsc_lab *lab;
	bool verbose = false, has_info;
	const struct lab_flag flags[] = {
		{ "--dry-run", &o.dry_run }, { "--prune", &o.prune },
		{ "--no-ready", &o.no_ready }, { "-v", &verbose }, { "--verbose", &verbose },
		{ NULL, NULL },
	};
	const char *file;
	int ret;

	if (cli_help(argc, argv, apply_help))
		return EXIT_OK;
	if ((ret = lab_args(c, "apply", argc, argv, flags, &file)) != EXIT_OK)
		return ret;
	if (c->check_only)
		return check_arg(c, "apply", file, false);
	if ((ret = lab_get(c, "apply", file, false, &lab, &info, &has_info)) != EXIT_OK)
		return ret;
	if (!o.dry_run && nsc_mntns_isolated() && !getenv("NETNSCTL_QUIET_MNTNS"))
		cli_warn(c, "this mount namespace is not the host's: namespaces added here "
			 "may be invisible (stale) outside it");
	/* commands' output must not break JSON */
	if (c->json)
		o.exec_stdout = STDERR_FILENO;
	fflush(stdout);
	if (nsc_lab_apply(c->ctx, lab, &o, &r, &e) < 0) {
		ret = cli_error(c, &e);
	} else {
		if (o.dry_run)
			print_plan(c, lab, &r);
		else
			print_applied(c, lab, &r, verbose);
		if (r.holders)
			cli_warn(c, "lab \"%s\": %u process%s still inside removed namespaces "
				 "keep%s them alive", lab->name, r.holders, r.holders == 1 ? "" : "es",
				 r.holders == 1 ? "s" : "");
	}
	nsc_lab_report_free(&r);
	nsc_lab_free(lab);
	return ret;
}

/* ---- diff ---- */

static const char diff_help[] =
	"Usage: netnsctl [-j] lab diff [--prune] FILE|NAME\n"
	"Print each difference between lab FILE (or lab NAME as last applied) and the\n"
	"system, one a line; exit 0 when they match, 1 when they differ, 2 on error.\n"
	"With --prune, say what apply --prune would remove.\n";

static int lab_diff(struct cli *c, int argc, char **argv)
{
	struct nsc_lab_opts o = NSC_LAB_OPTS_INIT;
	struct nsc_lab_report r = { 0 };
	struct nsc_error e = { 0 };
	struct nsc_lab_info info;
	struct nsc_lab *lab;
	bool has_info;
	const struct lab_flag flags[] = { { "--prune", &o.prune }, { NULL, NULL } };
	const char *arg;
	int ret;

	if (cli_help(argc, argv, diff_help))
		return EXIT_OK;
	if ((ret = lab_args(c, "diff", argc, argv, flags, &arg)) != EXIT_OK)
		return ret;
	if (c->check_only)
		return check_arg(c, "diff", arg, true);
	/* 1 means drift: any error is 2 */
	if ((ret = lab_get(c, "diff", arg, true, &lab, &info, &has_info)) != EXIT_OK)
		return EXIT_USAGE;
	if (has_info) {
		free(info.name);
		free(info.file);
	}
	if (nsc_lab_diff(c->ctx, lab, &o, &r, &e) < 0) {
		/* 2 for any error: 1 means drift */
		cli_error(c, &e);
		ret = EXIT_USAGE;
	} else {
		if (c->json)
			json_arr_open(c->js);
		print_items(c, &r, false, 0);
		if (c->json) {
			json_arr_close(c->js);
			cli_json_end(c);
		}
		ret = r.n_items ? EXIT_FAIL : EXIT_OK;
	}
	nsc_lab_report_free(&r);
	nsc_lab_free(lab);
	return ret;
}

/* ---- destroy ---- */

static const char destroy_help[] =
	"Usage: netnsctl lab destroy FILE|NAME\n"
	"Remove what lab NAME (or the lab FILE describes) made, from its state alone:\n"
	"the file is not needed. Namespaces with the lab's names that it did not make\n"
	"are left alone, with a warning.\n";

static int lab_destroy(struct cli *c, int argc, char **argv)
{
	struct nsc_lab_report r = { 0 };
	struct nsc_error e = { 0 };
	struct nsc_lab *lab = NULL;
	const char *arg, *name;
	struct stat sb;
	int ret;

	if (cli_help(argc, argv, destroy_help))
		return EXIT_OK;
	if ((ret = lab_args(c, "destroy", argc, argv, NULL, &arg)) != EXIT_OK)
		return ret;
	if (c->check_only)
		return check_arg(c, "destroy", arg, true);
	name = arg;
	if (!strcmp(arg, "-") || stat(arg, &sb) == 0) {
		if (!strcmp(arg, "-"))
			ret = nsc_lab_read_fd(STDIN_FILENO, "<stdin>", &lab, &e);
		else
			ret = nsc_lab_read_file(arg, &lab, &e);
		if (ret < 0)
			return cli_error(c, &e);
		name = lab->name;
	} else if (nsc_lab_name_check(arg, &e) < 0) {
		return cli_usage(c, "lab destroy: no file or lab \"%s\"", arg);
	}
	if (nsc_lab_destroy(c->ctx, name, NULL, &r, &e) < 0) {
		ret = cli_error(c, &e);
	} else {
		for (size_t i = 0; i < r.n_items; i++)
			cli_warn(c, "%s: left alone: %s", r.items[i].netns, r.items[i].have);
		if (r.holders)
			cli_warn(c, "lab \"%s\": %u process%s still inside keep%s its namespaces "
				 "alive", name, r.holders, r.holders == 1 ? "" : "es",
				 r.holders == 1 ? "s" : "");
		if (c->json) {
			json_obj_open(c->js);
			json_kv_str(c->js, "name", name);
			json_kv_uint(c->js, "deleted", r.n_deleted);
			json_key(c->js, "left_alone");
			json_arr_open(c->js);
			for (size_t i = 0; i < r.n_items; i++) {
				json_obj_open(c->js);
				json_kv_str(c->js, "netns", r.items[i].netns);
				json_kv_str(c->js, "why", r.items[i].have);
				json_obj_close(c->js);
			}
			json_arr_close(c->js);
			json_kv_uint(c->js, "holders", r.holders);
			json_obj_close(c->js);
			cli_json_end(c);
		} else {
			printf("%s: destroyed (%zu namespace%s)\n", name, r.n_deleted,
			       r.n_deleted == 1 ? "" : "s");
		}
	}
	nsc_lab_report_free(&r);
	nsc_lab_free(lab);
	return ret;
}

/* ---- list, show, graph ---- */

static const char list_help[] =
	"Usage: netnsctl [-j] lab list\n"
	"List the labs with state here: name, namespaces made, state, file.\n";

static int lab_list(struct cli *c, int argc, char **argv)
{
	struct nsc_error e = { 0 };
	struct nsc_lab_info *v;
	size_t n;
	int ret;

	if (cli_help(argc, argv, list_help))
		return EXIT_OK;
	if ((ret = lab_args(c, "list", argc, argv, NULL, NULL)) != EXIT_OK)
		return ret;
	if (c->check_only)
		return EXIT_OK;
	if (nsc_lab_list(c->ctx, NULL, &v, &n, &e) < 0)
		return cli_error(c, &e);
	if (c->json)
		json_arr_open(c->js);
	for (size_t i = 0; i < n; i++) {
		const struct nsc_lab_info *l = &v[i];
		const char *state = l->stale ? "stale" : l->complete ? "complete" : "incomplete";

		if (c->json) {
			json_obj_open(c->js);
			json_kv_str(c->js, "name", l->name);
			json_kv_str(c->js, "file", l->file);
			json_kv_str(c->js, "state", state);
			json_kv_uint(c->js, "namespaces", l->n_netns);
			json_kv_uint(c->js, "links", l->n_links);
			json_obj_close(c->js);
		} else {
			printf("%s: %zu namespace%s, %s, %s\n", l->name, l->n_netns,
			       l->n_netns == 1 ? "" : "s",
			       l->stale ? "from an earlier boot" : state, l->file);
		}
	}
	if (c->json) {
		json_arr_close(c->js);
		cli_json_end(c);
	}
	nsc_lab_info_free(v, n);
	return EXIT_OK;
}

static const char show_help[] =
	"Usage: netnsctl [-j] lab show FILE|NAME\n"
	"Show a lab's nodes, bridges and links with their interfaces and addresses,\n"
	"routes, neighbours, sysctls and commands, and whether each namespace and\n"
	"link exists (present, absent, or foreign: there but not made by the lab).\n";

static int lab_show(struct cli *c, int argc, char **argv)
{
	struct nsc_lab_status st = { 0 };
	struct nsc_error e = { 0 };
	struct nsc_lab_info info;
	struct nsc_lab *lab;
	bool has_info;
	const char *arg;
	int ret;

	if (cli_help(argc, argv, show_help))
		return EXIT_OK;
	if ((ret = lab_args(c, "show", argc, argv, NULL, &arg)) != EXIT_OK)
		return ret;
	if (c->check_only)
		return check_arg(c, "show", arg, true);
	if ((ret = lab_get(c, "show", arg, true, &lab, &info, &has_info)) != EXIT_OK)
		return ret;
	if (!has_info) {
		/* a file: its state, if it was applied */
		struct nsc_lab *copy;

		if (nsc_lab_load(c->ctx, NULL, lab->name, &copy, &info, &e) == 0) {
			has_info = true;
			nsc_lab_free(copy);
		}
		nsc_error_clear(&e);
	}
	if (nsc_lab_status(c->ctx, lab, NULL, &st, &e) < 0) {
		ret = cli_error(c, &e);
	} else if (c->json) {
		lab_show_json(c->js, lab, has_info ? &info : NULL, &st);
		cli_json_end(c);
	} else {
		lab_show_text(stdout, lab, has_info ? &info : NULL, &st);
	}
	if (has_info) {
		free(info.name);
		free(info.file);
	}
	nsc_lab_status_free(&st);
	nsc_lab_free(lab);
	return ret;
}

static const char graph_help[] =
	"Usage: netnsctl lab graph FILE|NAME\n"
	"Print the lab as a Graphviz graph: nodes, bridges, and links labelled with\n"
	"interface names and addresses. Render it with: dot -Tsvg -o lab.svg\n";

static int lab_graph_cmd(struct cli *c, int argc, char **argv)
{
	struct nsc_lab_info info;
	struct nsc_lab *lab;
	bool has_info;
	const char *arg;
	int ret;

	if (cli_help(argc, argv, graph_help))
		return EXIT_OK;
	if ((ret = lab_args(c, "graph", argc, argv, NULL, &arg)) != EXIT_OK)
		return ret;
	if (c->json)
		return cli_usage(c, "lab graph: prints DOT, not JSON (-j does not apply)");
	if (c->check_only)
		return check_arg(c, "graph", arg, true);
	if ((ret = lab_get(c, "graph", arg, true, &lab, &info, &has_info)) != EXIT_OK)
		return ret;
	if (has_info) {
		free(info.name);
		free(info.file);
	}
	lab_graph(stdout, lab);
	nsc_lab_free(lab);
	return EXIT_OK;
}

/* ---- exec, gc ---- */

static const char exec_help[] =
	"Usage: netnsctl lab exec [-u USER] NAME NODE CMD [ARG...]\n"
	"Run CMD inside node NODE of lab NAME, as netnsctl exec NAME.NODE CMD does\n"
	"(same exit status: CMD's; 125 netnsctl failed, 126 cannot run, 127 not found).\n";

static int lab_exec(struct cli *c, int argc, char **argv)
{
	struct nsc_error e = { 0 };
	struct nsc_lab *lab = NULL;
	const char *user = NULL, *name, *node;
	char netns[256], **xargv;
	int i, xargc = 0, ret;

	if (cli_help(argc, argv, exec_help))
		return EXIT_OK;
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if ((!strcmp(argv[i], "-u") || !strcmp(argv[i], "--user")) && i + 1 < argc &&
		    *argv[i + 1]) {
			user = argv[++i];
		} else if (!strcmp(argv[i], "--")) {
			i++;
			break;
		} else {
			cli_usage(c, "lab exec: %s \"%s\"", strncmp(argv[i], "-u", 2) &&
				  strcmp(argv[i], "--user") ? "unknown option" :
				  "needs a user name after", argv[i]);
			return EXIT_EXEC_FAIL;
		}
	}
	if (argc - i < 3) {
		cli_usage(c, "lab exec: expected NAME NODE CMD [ARG...]");
		return EXIT_EXEC_FAIL;
	}
	name = argv[i];
	node = argv[i + 1];
	if (nsc_lab_name_check(name, &e) < 0 ||
	    (size_t)snprintf(netns, sizeof(netns), "%s.%s", name, node) >= sizeof(netns) ||
	    nsc_name_check(netns, &e) < 0 || strchr(node, '.')) {
		if (!e.code)
			nsc_usage(&e, "lab exec: invalid node name \"%.64s\"", node);
		cli_error(c, &e);
		return EXIT_EXEC_FAIL;
	}
	if (c->check_only)
		return EXIT_OK;
	/* the node must be one the lab has (as last applied) */
	if (nsc_lab_load(c->ctx, NULL, name, &lab, NULL, &e) < 0) {
		cli_error(c, &e);
		return EXIT_EXEC_FAIL;
	}
	ret = nsc_lab_node(lab, node) != NULL;
	nsc_lab_free(lab);
	if (!ret) {
		cli_usage(c, "lab exec: lab \"%s\" has no node \"%s\"", name, node);
		return EXIT_EXEC_FAIL;
	}
	xargv = calloc((size_t)(argc - i) + 6, sizeof(*xargv));
	if (!xargv) {
		cli_usage(c, "lab exec: %s", strerror(ENOMEM));
		return EXIT_EXEC_FAIL;
	}
	xargv[xargc++] = (char *)"exec";
	if (user) {
		xargv[xargc++] = (char *)"-u";
		xargv[xargc++] = (char *)user;
	}
	xargv[xargc++] = (char *)"--";
	xargv[xargc++] = netns;
	for (int k = i + 2; k < argc; k++)
		xargv[xargc++] = argv[k];
	ret = cmd_exec(c, xargc, xargv);
	free(xargv);
	return ret;
}

static const char gc_help[] =
	"Usage: netnsctl lab gc\n"
	"Remove the state of labs applied in an earlier boot (nothing they made can\n"
	"still exist), naming each.\n";

static int lab_gc(struct cli *c, int argc, char **argv)
{
	struct nsc_error e = { 0 };
	char **names;
	size_t n;
	int ret;

	if (cli_help(argc, argv, gc_help))
		return EXIT_OK;
	if ((ret = lab_args(c, "gc", argc, argv, NULL, NULL)) != EXIT_OK)
		return ret;
	if (c->check_only)
		return EXIT_OK;
	if (nsc_lab_gc(c->ctx, NULL, &names, &n, &e) < 0)
		return cli_error(c, &e);
	if (c->json)
		json_arr_open(c->js);
	for (size_t i = 0; i < n; i++) {
		if (c->json)
			json_str(c->js, names[i]);
		else
			printf("%s: state from an earlier boot removed\n", names[i]);
	}
	if (c->json) {
		json_arr_close(c->js);
		cli_json_end(c);
	}
	nsc_strv_free(names, n);
	return EXIT_OK;
}

static const struct {
	const char *name;
	int (*fn)(struct cli *c, int argc, char **argv);
} lab_commands[] = {
	{ "validate", lab_validate },
	{ "apply", lab_apply },
	{ "diff", lab_diff },
	{ "destroy", lab_destroy },
	{ "list", lab_list },
	{ "ls", lab_list },
	{ "show", lab_show },
	{ "graph", lab_graph_cmd },
	{ "exec", lab_exec },
	{ "gc", lab_gc },
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
