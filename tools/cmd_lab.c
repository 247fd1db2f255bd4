// SPDX-License-Identifier: GPL-2.0-or-later
/* lab: labs described in a file (netnsctl-lab(5)). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lab_print.h"
#include "subcmd.h"

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

/* ---- FILE or NAME ---- */

enum { LAB_FILE, LAB_FILE_OR_NAME };    /* k->op: what the argument may be */

/* "-" and any path that exists are files; anything else names a lab with state here */
static bool is_file(const char *arg)
{
	struct stat sb;

	return !strcmp(arg, "-") || stat(arg, &sb) == 0;
}

/* A lab file, or standard input for "-". */
static int read_lab(const char *file, struct nsc_lab **lab, struct nsc_error *e)
{
	if (!strcmp(file, "-"))
		return nsc_lab_read_fd(STDIN_FILENO, "<stdin>", lab, e);
	return nsc_lab_read_file(file, lab, e);
}

/* An argument that is no file must be a lab's name. */
static int lab_name(struct kargs *k, const char *arg)
{
	struct nsc_error e = { 0 };

	if (nsc_lab_name_check(arg, &e) < 0)
		return ka_usage(k, "no file or lab \"%s\"", arg);
	return EXIT_OK;
}

/*
 * The lab ARG names: a file, read and checked, or (when k->op allows it)
 * a lab with state here, its recorded copy; *info is filled for that one.
 */
static int lab_get(struct kargs *k, const char *arg, struct nsc_lab **lab,
		   struct nsc_lab_info *info, bool *has_info)
{
	struct nsc_error e = { 0 };
	int ret;

	*lab = NULL;
	*has_info = false;
	if (k->op == LAB_FILE || is_file(arg)) {
		ret = read_lab(arg, lab, &e);
	} else {
		if (lab_name(k, arg) != EXIT_OK)
			return EXIT_USAGE;
		ret = nsc_lab_load(k->c->ctx, NULL, arg, lab, info, &e);
		*has_info = ret == 0;
	}
	if (ret < 0)
		return cli_error(k->c, &e);
	return EXIT_OK;
}

static void info_free(struct nsc_lab_info *info, bool has_info)
{
	if (has_info) {
		free(info->name);
		free(info->file);
	}
}

/* Parse "[OPTS] ARG": flags from a table, then exactly one argument. */
struct lab_flag {
	const char *name;
	bool *set;
};

static int lab_args(struct kargs *k, const struct lab_flag *flags, const char **arg)
{
	int i, argc = k->argc;
	char **argv = k->argv;

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
			return ka_usage(k, "unknown option \"%s\"", argv[i]);
	}
	if (!arg)
		return i < argc ? ka_usage(k, "unexpected argument \"%s\"", argv[i]) : EXIT_OK;
	if (i == argc)
		return ka_usage(k, "missing FILE%s", k->op == LAB_FILE ? "" : " or NAME");
	if (i + 1 < argc)
		return ka_usage(k, "unexpected argument \"%s\"", argv[i + 1]);
	*arg = argv[i];
	return EXIT_OK;
}

/* The batch pre-pass checks a file, and leaves standard input alone. */
static int check_arg(struct kargs *k, const char *arg)
{
	struct nsc_error e = { 0 };
	struct nsc_lab *lab = NULL;

	if (!strcmp(arg, "-"))
		return EXIT_OK;
	if (k->op == LAB_FILE_OR_NAME && !is_file(arg))
		return lab_name(k, arg);
	if (nsc_lab_read_file(arg, &lab, &e) < 0)
		return cli_error(k->c, &e);
	nsc_lab_free(lab);
	return EXIT_OK;
}

/* ---- validate ---- */

static int lab_validate(struct kargs *k)
{
	struct nsc_error e = { 0 };
	struct nsc_lab *lab = NULL;
	struct cli *c = k->c;
	const char *file;
	int ret;

	if ((ret = lab_args(k, NULL, &file)) != EXIT_OK)
		return ret;
	/* a batch's pre-pass must leave standard input to the real run */
	if (c->check_only && !strcmp(file, "-"))
		return EXIT_OK;
	if (read_lab(file, &lab, &e) < 0)
		return cli_error(c, &e);
	if (!c->check_only)
		print_summary(c, lab);
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

static int lab_apply(struct kargs *k)
{
	struct nsc_lab_opts o = NSC_LAB_OPTS_INIT;
	struct nsc_lab_report r = { 0 };
	struct nsc_error e = { 0 };
	struct nsc_lab_info info;
	struct cli *c = k->c;
	struct nsc_lab *lab;
	bool verbose = false, has_info;
	const struct lab_flag flags[] = {
		{ "--dry-run", &o.dry_run }, { "--prune", &o.prune },
		{ "--no-ready", &o.no_ready }, { "-v", &verbose }, { "--verbose", &verbose },
		{ NULL, NULL },
	};
	const char *file;
	int ret;

	if ((ret = lab_args(k, flags, &file)) != EXIT_OK)
		return ret;
	if (c->check_only)
		return check_arg(k, file);
	if ((ret = lab_get(k, file, &lab, &info, &has_info)) != EXIT_OK)
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

static int lab_diff(struct kargs *k)
{
	struct nsc_lab_opts o = NSC_LAB_OPTS_INIT;
	struct nsc_lab_report r = { 0 };
	struct nsc_error e = { 0 };
	struct nsc_lab_info info;
	struct cli *c = k->c;
	struct nsc_lab *lab;
	bool has_info;
	const struct lab_flag flags[] = { { "--prune", &o.prune }, { NULL, NULL } };
	const char *arg;
	int ret;

	if ((ret = lab_args(k, flags, &arg)) != EXIT_OK)
		return ret;
	if (c->check_only)
		return check_arg(k, arg);
	/* 1 means drift: any error is 2 */
	if ((ret = lab_get(k, arg, &lab, &info, &has_info)) != EXIT_OK)
		return EXIT_USAGE;
	info_free(&info, has_info);
	if (nsc_lab_diff(c->ctx, lab, &o, &r, &e) < 0) {
		cli_error(c, &e);
		ret = EXIT_USAGE;
	} else {
		cli_list_open(c);
		print_items(c, &r, false, 0);
		cli_list_close(c);
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

static void print_destroyed(struct cli *c, const char *name, const struct nsc_lab_report *r)
{
	if (!c->json) {
		printf("%s: destroyed (%zu namespace%s)\n", name, r->n_deleted,
		       r->n_deleted == 1 ? "" : "s");
		return;
	}
	json_obj_open(c->js);
	json_kv_str(c->js, "name", name);
	json_kv_uint(c->js, "deleted", r->n_deleted);
	json_key(c->js, "left_alone");
	json_arr_open(c->js);
	for (size_t i = 0; i < r->n_items; i++) {
		json_obj_open(c->js);
		json_kv_str(c->js, "netns", r->items[i].netns);
		json_kv_str(c->js, "why", r->items[i].have);
		json_obj_close(c->js);
	}
	json_arr_close(c->js);
	json_kv_uint(c->js, "holders", r->holders);
	json_obj_close(c->js);
	cli_json_end(c);
}

static int lab_destroy(struct kargs *k)
{
	struct nsc_lab_report r = { 0 };
	struct nsc_error e = { 0 };
	struct nsc_lab *lab = NULL;
	struct cli *c = k->c;
	const char *arg, *name;
	int ret;

	if ((ret = lab_args(k, NULL, &arg)) != EXIT_OK)
		return ret;
	if (c->check_only)
		return check_arg(k, arg);
	/* a name needs no file: the state says what the lab made */
	name = arg;
	if (is_file(arg)) {
		if (read_lab(arg, &lab, &e) < 0)
			return cli_error(c, &e);
		name = lab->name;
	} else if (lab_name(k, arg) != EXIT_OK) {
		return EXIT_USAGE;
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
		print_destroyed(c, name, &r);
	}
	nsc_lab_report_free(&r);
	nsc_lab_free(lab);
	return ret;
}

/* ---- list, show, graph ---- */

static const char list_help[] =
	"Usage: netnsctl [-j] lab list\n"
	"List the labs with state here: name, namespaces made, state, file.\n";

static void print_info(struct cli *c, const struct nsc_lab_info *l)
{
	const char *state = l->stale ? "stale" : l->complete ? "complete" : "incomplete";

	if (!c->json) {
		printf("%s: %zu namespace%s, %s, %s\n", l->name, l->n_netns,
		       l->n_netns == 1 ? "" : "s", l->stale ? "from an earlier boot" : state,
		       l->file);
		return;
	}
	json_obj_open(c->js);
	json_kv_str(c->js, "name", l->name);
	json_kv_str(c->js, "file", l->file);
	json_kv_str(c->js, "state", state);
	json_kv_uint(c->js, "namespaces", l->n_netns);
	json_kv_uint(c->js, "links", l->n_links);
	json_obj_close(c->js);
}

static int lab_list(struct kargs *k)
{
	struct nsc_error e = { 0 };
	struct nsc_lab_info *v;
	struct cli *c = k->c;
	size_t n;
	int ret;

	if ((ret = lab_args(k, NULL, NULL)) != EXIT_OK)
		return ret;
	if (c->check_only)
		return EXIT_OK;
	if (nsc_lab_list(c->ctx, NULL, &v, &n, &e) < 0)
		return cli_error(c, &e);
	cli_list_open(c);
	for (size_t i = 0; i < n; i++)
		print_info(c, &v[i]);
	cli_list_close(c);
	nsc_lab_info_free(v, n);
	return EXIT_OK;
}

static const char show_help[] =
	"Usage: netnsctl [-j] lab show FILE|NAME\n"
	"Show a lab's nodes, bridges and links with their interfaces and addresses,\n"
	"routes, neighbours, sysctls and commands, and whether each namespace and\n"
	"link exists (present, absent, or foreign: there but not made by the lab).\n";

static int lab_show(struct kargs *k)
{
	struct nsc_lab_status st = { 0 };
	struct nsc_error e = { 0 };
	struct nsc_lab_info info;
	struct cli *c = k->c;
	struct nsc_lab *lab;
	bool has_info;
	const char *arg;
	int ret;

	if ((ret = lab_args(k, NULL, &arg)) != EXIT_OK)
		return ret;
	if (c->check_only)
		return check_arg(k, arg);
	if ((ret = lab_get(k, arg, &lab, &info, &has_info)) != EXIT_OK)
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
	info_free(&info, has_info);
	nsc_lab_status_free(&st);
	nsc_lab_free(lab);
	return ret;
}

static const char graph_help[] =
	"Usage: netnsctl lab graph FILE|NAME\n"
	"Print the lab as a Graphviz graph: nodes, bridges, and links labelled with\n"
	"interface names and addresses. Render it with: dot -Tsvg -o lab.svg\n";

static int lab_graph_cmd(struct kargs *k)
{
	struct nsc_lab_info info;
	struct cli *c = k->c;
	struct nsc_lab *lab;
	bool has_info;
	const char *arg;
	int ret;

	if ((ret = lab_args(k, NULL, &arg)) != EXIT_OK)
		return ret;
	if (c->json)
		return ka_usage(k, "prints DOT, not JSON (-j does not apply)");
	if (c->check_only)
		return check_arg(k, arg);
	if ((ret = lab_get(k, arg, &lab, &info, &has_info)) != EXIT_OK)
		return ret;
	info_free(&info, has_info);
	lab_graph(stdout, lab);
	nsc_lab_free(lab);
	return EXIT_OK;
}

/* ---- exec, gc ---- */

static const char exec_help[] =
	"Usage: netnsctl lab exec [-u USER] NAME NODE CMD [ARG...]\n"
	"Run CMD inside node NODE of lab NAME, as netnsctl exec NAME.NODE CMD does\n"
	"(same exit status: CMD's; 125 netnsctl failed, 126 cannot run, 127 not found).\n";

/* exec's options, then NAME NODE; 125 for any usage error, as exec */
static int exec_args(struct kargs *k, const char **user)
{
	int argc = k->argc;
	char **argv = k->argv;

	for (k->i = 1; k->i < argc && argv[k->i][0] == '-'; k->i++) {
		const char *a = argv[k->i];

		if ((!strcmp(a, "-u") || !strcmp(a, "--user")) && k->i + 1 < argc &&
		    *argv[k->i + 1]) {
			*user = argv[++k->i];
		} else if (!strcmp(a, "--")) {
			k->i++;
			break;
		} else {
			ka_usage(k, "%s \"%s\"", strncmp(a, "-u", 2) && strcmp(a, "--user") ?
				 "unknown option" : "needs a user name after", a);
			return EXIT_EXEC_FAIL;
		}
	}
	if (argc - k->i < 3) {
		ka_usage(k, "expected NAME NODE CMD [ARG...]");
		return EXIT_EXEC_FAIL;
	}
	return EXIT_OK;
}

/* NAME.NODE, the node's namespace: both parts must be names */
static int node_netns(struct kargs *k, const char *name, const char *node, char *netns,
		      size_t size)
{
	struct nsc_error e = { 0 };

	if (nsc_lab_name_check(name, &e) < 0 ||
	    (size_t)snprintf(netns, size, "%s.%s", name, node) >= size ||
	    nsc_name_check(netns, &e) < 0 || strchr(node, '.')) {
		if (!e.code)
			nsc_usage(&e, "lab exec: invalid node name \"%.64s\"", node);
		cli_error(k->c, &e);
		return EXIT_EXEC_FAIL;
	}
	return EXIT_OK;
}

/* The node must be one the lab has (as last applied). */
static int check_node(struct kargs *k, const char *name, const char *node)
{
	struct nsc_error e = { 0 };
	struct nsc_lab *lab = NULL;
	bool found;

	if (nsc_lab_load(k->c->ctx, NULL, name, &lab, NULL, &e) < 0) {
		cli_error(k->c, &e);
		return EXIT_EXEC_FAIL;
	}
	found = nsc_lab_node(lab, node) != NULL;
	nsc_lab_free(lab);
	if (!found) {
		ka_usage(k, "lab \"%s\" has no node \"%s\"", name, node);
		return EXIT_EXEC_FAIL;
	}
	return EXIT_OK;
}

static int lab_exec(struct kargs *k)
{
	const char *user = NULL, *name, *node;
	char netns[256], **xargv;
	int xargc = 0, ret;

	if ((ret = exec_args(k, &user)) != EXIT_OK)
		return ret;
	name = k->argv[k->i];
	node = k->argv[k->i + 1];
	if ((ret = node_netns(k, name, node, netns, sizeof(netns))) != EXIT_OK)
		return ret;
	if (k->c->check_only)
		return EXIT_OK;
	if ((ret = check_node(k, name, node)) != EXIT_OK)
		return ret;
	/* netnsctl exec [-u USER] -- NAME.NODE CMD [ARG...] */
	xargv = calloc((size_t)(k->argc - k->i) + 6, sizeof(*xargv));
	if (!xargv) {
		ka_usage(k, "%s", strerror(ENOMEM));
		return EXIT_EXEC_FAIL;
	}
	xargv[xargc++] = (char *)"exec";
	if (user) {
		xargv[xargc++] = (char *)"-u";
		xargv[xargc++] = (char *)user;
	}
	xargv[xargc++] = (char *)"--";
	xargv[xargc++] = netns;
	for (int i = k->i + 2; i < k->argc; i++)
		xargv[xargc++] = k->argv[i];
	ret = cmd_exec(k->c, xargc, xargv);
	free(xargv);
	return ret;
}

static const char gc_help[] =
	"Usage: netnsctl lab gc\n"
	"Remove the state of labs applied in an earlier boot (nothing they made can\n"
	"still exist), naming each.\n";

static int lab_gc(struct kargs *k)
{
	struct nsc_error e = { 0 };
	struct cli *c = k->c;
	char **names;
	size_t n;
	int ret;

	if ((ret = lab_args(k, NULL, NULL)) != EXIT_OK)
		return ret;
	if (c->check_only)
		return EXIT_OK;
	if (nsc_lab_gc(c->ctx, NULL, &names, &n, &e) < 0)
		return cli_error(c, &e);
	cli_list_open(c);
	for (size_t i = 0; i < n; i++) {
		if (c->json)
			json_str(c->js, names[i]);
		else
			printf("%s: state from an earlier boot removed\n", names[i]);
	}
	cli_list_close(c);
	nsc_strv_free(names, n);
	return EXIT_OK;
}

static const struct subcmd lab_cmds[] = {
	{ "validate", lab_validate, "lab validate", LAB_FILE, validate_help },
	{ "apply", lab_apply, "lab apply", LAB_FILE, apply_help },
	{ "diff", lab_diff, "lab diff", LAB_FILE_OR_NAME, diff_help },
	{ "destroy", lab_destroy, "lab destroy", LAB_FILE_OR_NAME, destroy_help },
	{ "list", lab_list, "lab list", 0, list_help },
	{ "ls", lab_list, "lab list", 0, list_help },
	{ "show", lab_show, "lab show", LAB_FILE_OR_NAME, show_help },
	{ "graph", lab_graph_cmd, "lab graph", LAB_FILE_OR_NAME, graph_help },
	{ "exec", lab_exec, "lab exec", 0, exec_help },
	{ "gc", lab_gc, "lab gc", 0, gc_help },
};

static const struct subcmds lab_group = {
	"lab", lab_help, SUBCMDS(lab_cmds), NULL, "-h", 0,
};

int cmd_lab(struct cli *c, int argc, char **argv)
{
	return subcmd_run(c, &lab_group, argc, argv);
}
