// SPDX-License-Identifier: GPL-2.0-or-later
/* add, attach, delete, list, identify, pids: the run dir commands. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char add_help[] =
	"Usage: netnsctl add [--lo-down] NAME...\n"
	"Make each named network namespace, with loopback up\n"
	"(--lo-down leaves it down).\n";

int cmd_add(struct cli *c, int argc, char **argv)
{
	struct nsc_error e = { 0 };
	unsigned flags = 0;
	int i, ret = EXIT_OK;

	if (cli_help(argc, argv, add_help))
		return EXIT_OK;
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--lo-down"))
			flags |= NSC_ADD_LO_DOWN;
		else if (!strcmp(argv[i], "--")) {
			i++;
			break;
		} else
			return cli_usage(c, "add: unknown option \"%s\"", argv[i]);
	}
	if (i == argc)
		return cli_usage(c, "add: missing namespace name");
	for (int k = i; k < argc; k++)
		if (nsc_name_check(argv[k], &e) < 0)
			return cli_error(c, &e);
	if (c->check_only)
		return EXIT_OK;
	if (nsc_mntns_isolated() && !getenv("NETNSCTL_QUIET_MNTNS"))
		cli_warn(c, "this mount namespace is not the host's: namespaces added here "
			 "may be invisible (stale) outside it");
	for (; i < argc; i++)
		if (nsc_ns_add(c->ctx, argv[i], flags, &e) < 0)
			ret = cli_error(c, &e);
	return ret;
}

static const char attach_help[] =
	"Usage: netnsctl attach NAME PID\n"
	"Name the network namespace of process PID.\n";

int cmd_attach(struct cli *c, int argc, char **argv)
{
	struct nsc_error e = { 0 };
	uint32_t pid;

	if (cli_help(argc, argv, attach_help))
		return EXIT_OK;
	if (argc != 3)
		return cli_usage(c, "attach: expected NAME PID");
	if (nsc_name_check(argv[1], &e) < 0 ||
	    nsc_parse_u32(argv[2], 1, 0x3fffffff, &pid, "pid", &e) < 0)
		return cli_error(c, &e);
	if (c->check_only)
		return EXIT_OK;
	if (nsc_ns_attach(c->ctx, argv[1], (pid_t)pid, &e) < 0)
		return cli_error(c, &e);
	return EXIT_OK;
}

static const char delete_help[] =
	"Usage: netnsctl delete NAME...\n"
	"       netnsctl delete --all\n"
	"Remove named namespaces (and stale names). The kernel frees a namespace\n"
	"once no process or open file holds it.\n";

static int delete_one(struct cli *c, const char *name)
{
	struct nsc_del_info info;
	struct nsc_error e = { 0 };

	if (nsc_ns_delete(c->ctx, name, &info, &e) < 0)
		return cli_error(c, &e);
	if (info.holders)
		cli_warn(c, "delete \"%s\": %u process%s still inside keep%s the namespace alive",
			 name, info.holders, info.holders == 1 ? "" : "es",
			 info.holders == 1 ? "s" : "");
	return EXIT_OK;
}

int cmd_delete(struct cli *c, int argc, char **argv)
{
	struct nsc_error e = { 0 };
	bool all = false;
	int i, ret = EXIT_OK;

	if (cli_help(argc, argv, delete_help))
		return EXIT_OK;
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--all") || !strcmp(argv[i], "-a"))
			all = true;
		else if (!strcmp(argv[i], "--")) {
			i++;
			break;
		} else
			return cli_usage(c, "delete: unknown option \"%s\"", argv[i]);
	}
	if (all && i < argc)
		return cli_usage(c, "delete: --all takes no names");
	if (!all && i == argc)
		return cli_usage(c, "delete: missing namespace name (or --all)");
	for (int k = i; k < argc; k++)
		if (nsc_name_check(argv[k], &e) < 0)
			return cli_error(c, &e);
	if (c->check_only)
		return EXIT_OK;

	if (all) {
		struct nsc_ns_entry *list;
		size_t n;

		if (nsc_ns_list(c->ctx, &list, &n, &e) < 0)
			return cli_error(c, &e);
		/* go on past a failure: report each, fail at the end */
		for (size_t k = 0; k < n; k++)
			if (delete_one(c, list[k].name) != EXIT_OK)
				ret = EXIT_FAIL;
		nsc_ns_list_free(list, n);
		return ret;
	}
	for (; i < argc; i++)
		if (delete_one(c, argv[i]) != EXIT_OK)
			ret = EXIT_FAIL;
	return ret;
}

static const char list_help[] =
	"Usage: netnsctl list\n"
	"List named namespaces, sorted: NAME, NAME (id: N), or NAME (stale).\n";

int cmd_list(struct cli *c, int argc, char **argv)
{
	struct nsc_ns_entry *list;
	struct nsc_error e = { 0 };
	size_t n;

	if (cli_help(argc, argv, list_help))
		return EXIT_OK;
	if (argc > 1)
		return cli_usage(c, "list: unexpected argument \"%s\"", argv[1]);
	if (c->check_only)
		return EXIT_OK;
	if (nsc_ns_list(c->ctx, &list, &n, &e) < 0)
		return cli_error(c, &e);
	if (c->json) {
		json_arr_open(c->js);
		for (size_t i = 0; i < n; i++) {
			json_obj_open(c->js);
			json_kv_str(c->js, "name", list[i].name);
			if (list[i].id >= 0)
				json_kv_int(c->js, "id", list[i].id);
			if (list[i].state == NSC_NS_STALE)
				json_kv_bool(c->js, "stale", true);
			json_obj_close(c->js);
		}
		json_arr_close(c->js);
		cli_json_end(c);
	} else {
		for (size_t i = 0; i < n; i++) {
			fputs(list[i].name, stdout);
			if (list[i].state == NSC_NS_STALE)
				fputs(" (stale)", stdout);
			else if (list[i].id >= 0)
				printf(" (id: %d)", list[i].id);
			fputc('\n', stdout);
		}
	}
	nsc_ns_list_free(list, n);
	return EXIT_OK;
}

static const char identify_help[] =
	"Usage: netnsctl identify [PID]\n"
	"Print the name(s) of the network namespace of PID (default: this process).\n";

int cmd_identify(struct cli *c, int argc, char **argv)
{
	struct nsc_error e = { 0 };
	uint32_t pid = 0;
	char **names;
	size_t n;

	if (cli_help(argc, argv, identify_help))
		return EXIT_OK;
	if (argc > 2)
		return cli_usage(c, "identify: unexpected argument \"%s\"", argv[2]);
	if (argc == 2 && nsc_parse_u32(argv[1], 1, 0x3fffffff, &pid, "pid", &e) < 0)
		return cli_error(c, &e);
	if (c->check_only)
		return EXIT_OK;
	if (nsc_ns_identify(c->ctx, (pid_t)pid, &names, &n, &e) < 0)
		return cli_error(c, &e);
	if (c->json) {
		json_arr_open(c->js);
		for (size_t i = 0; i < n; i++)
			json_str(c->js, names[i]);
		json_arr_close(c->js);
		cli_json_end(c);
	} else {
		for (size_t i = 0; i < n; i++)
			puts(names[i]);
	}
	nsc_strv_free(names, n);
	return EXIT_OK;
}

static const char pids_help[] =
	"Usage: netnsctl pids NAME\n"
	"Print the PIDs of the processes inside namespace NAME.\n";

int cmd_pids(struct cli *c, int argc, char **argv)
{
	struct nsc_error e = { 0 };
	pid_t *pids;
	size_t n;

	if (cli_help(argc, argv, pids_help))
		return EXIT_OK;
	if (argc != 2)
		return cli_usage(c, "pids: expected NAME");
	if (nsc_name_check(argv[1], &e) < 0)
		return cli_error(c, &e);
	if (c->check_only)
		return EXIT_OK;
	if (nsc_ns_pids(c->ctx, argv[1], &pids, &n, &e) < 0)
		return cli_error(c, &e);
	if (c->json) {
		json_arr_open(c->js);
		for (size_t i = 0; i < n; i++)
			json_int(c->js, pids[i]);
		json_arr_close(c->js);
		cli_json_end(c);
	} else {
		for (size_t i = 0; i < n; i++)
			printf("%d\n", (int)pids[i]);
	}
	free(pids);
	return EXIT_OK;
}
