// SPDX-License-Identifier: GPL-2.0-or-later
/* add, attach, delete, list, identify, pids: the run dir commands. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* A name from the run dir on stdout: any byte but '/' may be in it there. */
static void put_name(const char *s)
{
	cli_put_printable(stdout, s, true);
}

/* Asked once per process: a batch of a thousand adds, two stats each. */
static bool mntns_isolated(void)
{
	static int known = -1;  /* workers of a parallel batch ask at once: atomics */
	int v = __atomic_load_n(&known, __ATOMIC_RELAXED);

	if (v < 0) {
		v = nsc_mntns_isolated();
		__atomic_store_n(&known, v, __ATOMIC_RELAXED);
	}
	return v;
}

int cmd_add(struct cli *c, int argc, char **argv)
{
	struct nsc_error e = { 0 };
	unsigned flags = 0;
	int i, ret = EXIT_OK;

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
	if (!getenv("NETNSCTL_QUIET_MNTNS") && mntns_isolated())
		cli_warn(c, "this mount namespace is not the host's: namespaces added here "
			 "may be invisible (stale) outside it");
	for (; i < argc; i++)
		if (nsc_ns_add(c->ctx, argv[i], flags, &e) < 0)
			ret = cli_error(c, &e);
	return ret;
}

int cmd_attach(struct cli *c, int argc, char **argv)
{
	struct nsc_error e = { 0 };
	uint32_t pid;

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

enum {
	KILL_GRACE_DEFAULT_S = 5,
	WAIT_DEFAULT_S = 30,
	SECONDS_MAX = 86400,
};

/* "--opt" or "--opt=SECONDS"; 1 matched, 0 not this option, <0 usage error */
static int seconds_opt(struct cli *c, const char *arg, const char *opt, unsigned dflt,
		       unsigned *ms)
{
	size_t len = strlen(opt);
	struct nsc_error e = { 0 };
	uint32_t v;

	if (strncmp(arg, opt, len) || (arg[len] && arg[len] != '='))
		return 0;
	if (!arg[len]) {
		*ms = dflt * 1000;
		return 1;
	}
	if (nsc_parse_u32(arg + len + 1, 0, SECONDS_MAX, &v, opt, &e) < 0)
		return -cli_usage(c, "delete: %s", e.msg);
	*ms = v * 1000;
	return 1;
}

/* What became of one name: the error, or the warnings of a delete done. */
static int delete_report(struct cli *c, struct nsc_del_item *it)
{
	const char *name = it->name;
	const struct nsc_del_info *info = &it->info;

	if (it->ret < 0)
		return cli_error(c, &it->e);
	if (info->holders)
		cli_warn(c, "delete \"%s\": %u process%s still inside keep%s the namespace alive",
			 name, info->holders, info->holders == 1 ? "" : "es",
			 info->holders == 1 ? "s" : "");
	if (info->unwatched)
		cli_warn(c, "delete \"%s\": %u veth peer%s in unnamed namespaces not awaited",
			 name, info->unwatched, info->unwatched == 1 ? "" : "s");
	return EXIT_OK;
}

/*
 * Every name at once (nsc_ns_delete_many: one read of /proc, the unmounts
 * side by side), then each reported in order; a failure is reported and
 * the rest go on. With --all, a name gone since the run dir was read was
 * not a failure of ours: it is removed, as asked.
 */
static int delete_names(struct cli *c, char **names, size_t n, bool all,
			const struct nsc_del_opts *o)
{
	struct nsc_del_item *v = calloc(n ? n : 1, sizeof(*v));
	struct nsc_error e = { 0 };
	int ret = EXIT_OK;

	if (!v) {
		nsc_err(&e, ENOMEM, "delete");
		return cli_error(c, &e);
	}
	for (size_t k = 0; k < n; k++)
		v[k].name = names[k];
	if (nsc_ns_delete_many(c->ctx, v, n, o, &e) < 0) {
		free(v);
		return cli_error(c, &e);
	}
	for (size_t k = 0; k < n; k++) {
		if (all && v[k].ret == -ENOENT)
			continue;
		if (delete_report(c, &v[k]) != EXIT_OK)
			ret = EXIT_FAIL;
	}
	free(v);
	return ret;
}

int cmd_delete(struct cli *c, int argc, char **argv)
{
	struct nsc_del_opts o = { 0 };
	struct nsc_error e = { 0 };
	bool all = false;
	int i, r, ret = EXIT_OK;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--all") || !strcmp(argv[i], "-a")) {
			all = true;
		} else if ((r = seconds_opt(c, argv[i], "--kill", KILL_GRACE_DEFAULT_S,
					    &o.kill_grace_ms))) {
			if (r < 0)
				return EXIT_USAGE;
			o.kill = true;
		} else if ((r = seconds_opt(c, argv[i], "--wait", WAIT_DEFAULT_S, &o.wait_ms))) {
			if (r < 0)
				return EXIT_USAGE;
			o.wait = true;
		} else if (!strcmp(argv[i], "--")) {
			i++;
			break;
		} else {
			return cli_usage(c, "delete: unknown option \"%s\"", argv[i]);
		}
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
		char **names;
		size_t n;

		if (nsc_ns_names(c->ctx, &names, &n, &e) < 0)
			return cli_error(c, &e);
		ret = delete_names(c, names, n, true, &o);
		nsc_strv_free(names, n);
		return ret;
	}
	return delete_names(c, argv + i, (size_t)(argc - i), false, &o);
}

/* NAME, NAME (id: N) or NAME (stale); in JSON {"name", "id", "stale"} */
static void print_entry(struct cli *c, const struct nsc_ns_entry *ns)
{
	if (c->json) {
		json_obj_open(c->js);
		json_kv_str(c->js, "name", ns->name);
		if (ns->id >= 0)
			json_kv_int(c->js, "id", ns->id);
		if (ns->state == NSC_NS_STALE)
			json_kv_bool(c->js, "stale", true);
		json_obj_close(c->js);
		return;
	}
	put_name(ns->name);
	if (ns->state == NSC_NS_STALE)
		fputs(" (stale)", stdout);
	else if (ns->id >= 0)
		printf(" (id: %d)", ns->id);
	fputc('\n', stdout);
}

int cmd_list(struct cli *c, int argc, char **argv)
{
	struct nsc_ns_entry *list;
	struct nsc_error e = { 0 };
	size_t n;

	if (argc > 1)
		return cli_usage(c, "list: unexpected argument \"%s\"", argv[1]);
	if (c->check_only)
		return EXIT_OK;
	if (nsc_ns_list(c->ctx, &list, &n, &e) < 0)
		return cli_error(c, &e);
	cli_list_open(c);
	for (size_t i = 0; i < n; i++)
		print_entry(c, &list[i]);
	cli_list_close(c);
	nsc_ns_list_free(list, n);
	return EXIT_OK;
}

int cmd_identify(struct cli *c, int argc, char **argv)
{
	struct nsc_error e = { 0 };
	uint32_t pid = 0;
	char **names;
	size_t n;

	if (argc > 2)
		return cli_usage(c, "identify: unexpected argument \"%s\"", argv[2]);
	if (argc == 2 && nsc_parse_u32(argv[1], 1, 0x3fffffff, &pid, "pid", &e) < 0)
		return cli_error(c, &e);
	if (c->check_only)
		return EXIT_OK;
	if (nsc_ns_identify(c->ctx, (pid_t)pid, &names, &n, &e) < 0)
		return cli_error(c, &e);
	cli_list_open(c);
	for (size_t i = 0; i < n; i++) {
		if (c->json) {
			json_str(c->js, names[i]);
		} else {
			put_name(names[i]);
			putchar('\n');
		}
	}
	cli_list_close(c);
	nsc_strv_free(names, n);
	return EXIT_OK;
}

int cmd_pids(struct cli *c, int argc, char **argv)
{
	struct nsc_error e = { 0 };
	pid_t *pids;
	size_t n;

	if (argc != 2)
		return cli_usage(c, "pids: expected NAME");
	if (nsc_name_check(argv[1], &e) < 0)
		return cli_error(c, &e);
	if (c->check_only)
		return EXIT_OK;
	if (nsc_ns_pids(c->ctx, argv[1], &pids, &n, &e) < 0)
		return cli_error(c, &e);
	cli_list_open(c);
	for (size_t i = 0; i < n; i++) {
		if (c->json)
			json_int(c->js, pids[i]);
		else
			printf("%d\n", (int)pids[i]);
	}
	cli_list_close(c);
	free(pids);
	return EXIT_OK;
}
