// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * monitor: named namespaces coming and going (as `ip netns monitor`), and
 * with --all every link, address, route, neighbour and nsid change inside
 * each of them, one line per event, labelled with the namespace. Output is
 * line-buffered whatever stdout is, so pipes see each event at once.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>

#include "cli.h"
#include "monitor_print.h"

struct mon_state {
	struct cli *c;
	bool all;
};

/* A failed write (a closed pipe) ends the monitor quietly, with success. */
static int flush_out(void)
{
	if (fflush(stdout) == 0 && !ferror(stdout))
		return 0;
	return 1000;    /* stop, mapped to EXIT_OK below */
}

static int on_event(const struct nsc_mon_event *ev, void *data)
{
	struct mon_state *st = data;
	struct cli *c = st->c;

	switch (ev->kind) {
	case NSC_MON_NS_ADD:
	case NSC_MON_NS_DEL: {
		const char *what = ev->kind == NSC_MON_NS_ADD ? "add" : "delete";

		if (ev->kind == NSC_MON_NS_DEL)
			nsc_ctx_drop(c->ctx, ev->ns);   /* never keep it alive */
		if (c->json) {
			json_obj_open(c->js);
			json_kv_str(c->js, "event", what);
			json_kv_str(c->js, "object", "netns");
			json_kv_str(c->js, "name", ev->ns);
			json_obj_close(c->js);
			json_end(c->js);
		} else if (st->all) {
			printf("[%s] netns %s\n", ev->ns, what);
		} else {
			printf("%s %s\n", what, ev->ns);
		}
		break;
	}
	case NSC_MON_OVERRUN:
		fflush(stdout);
		fprintf(stderr, "netnsctl: monitor: [%s] events lost: kernel buffer overrun (ENOBUFS)\n",
			ev->ns);
		break;
	case NSC_MON_NETLINK:
		monitor_print_netlink(c, ev->ns, ev->nlh);
		break;
	}
	return flush_out();
}

int cmd_monitor(struct cli *c, int argc, char **argv)
{
	struct mon_state st = { .c = c };
	struct nsc_monitor *m = NULL;
	struct nsc_error e = { 0 };
	int ret;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--all") || !strcmp(argv[i], "-a") || !strcmp(argv[i], "all"))
			st.all = true;
		else
			return cli_usage(c, "monitor: unexpected argument \"%s\"", argv[i]);
	}
	if (c->netns && !st.all)
		return cli_usage(c, "monitor: -n NAME goes with --all");
	if (c->check_only)
		return EXIT_OK;

	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGPIPE, SIG_IGN);
	if (nsc_monitor_new(c->ctx, st.all ? NSC_MON_ALL : 0, c->netns, &m, &e) < 0)
		return cli_error(c, &e);
	ret = nsc_monitor_run(m, false, on_event, &st, &e);
	nsc_monitor_free(m);
	if (ret < 0)
		return cli_error(c, &e);
	return EXIT_OK;
}
