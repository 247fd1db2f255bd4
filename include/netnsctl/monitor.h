/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NETNSCTL_MONITOR_H
#define NETNSCTL_MONITOR_H

#include <stdbool.h>
#include <netnsctl/ctx.h>

struct nlmsghdr;

/*
 * Watch the run dir for named namespaces coming and going and, with
 * NSC_MON_ALL, every link, address, route, neighbour and nsid change inside
 * each of them: one process, one netlink socket per namespace (opened inside
 * it once its mount is in place), the run dir's inotify fd and the mount
 * table, all in one epoll loop. A namespace whose name goes is let go at
 * once, so the monitor never keeps a deleted namespace alive.
 */
struct nsc_monitor;

enum nsc_mon_flags {
	NSC_MON_ALL = 1 << 0,           /* netlink events inside every namespace */
};

enum nsc_mon_kind {
	NSC_MON_NS_ADD,                 /* a name got a live namespace (and is watched) */
	NSC_MON_NS_DEL,                 /* a watched name went away */
	NSC_MON_NETLINK,                /* an rtnetlink event inside ns */
	NSC_MON_OVERRUN,                /* the kernel dropped events for ns (ENOBUFS) */
};

struct nsc_mon_event {
	enum nsc_mon_kind kind;
	const char *ns;                 /* the namespace name */
	const struct nlmsghdr *nlh;     /* NSC_MON_NETLINK only */
};

/* Return 0 to go on, anything else to stop the loop with that value. */
typedef int (*nsc_mon_cb)(const struct nsc_mon_event *ev, void *data);

/* only: watch this one name (its netlink events, and its add/delete). */
int nsc_monitor_new(struct nsc_ctx *ctx, unsigned flags, const char *only,
		    struct nsc_monitor **out, struct nsc_error *e);
void nsc_monitor_free(struct nsc_monitor *m);

/*
 * Run until cb stops it (returns its value), SIGINT/SIGTERM/SIGHUP arrive
 * (0), or the run dir vanishes (0). Names live at the start are reported as
 * NSC_MON_NS_ADD only if report_existing is set. Returns -errno on failure.
 */
int nsc_monitor_run(struct nsc_monitor *m, bool report_existing, nsc_mon_cb cb,
		    void *data, struct nsc_error *e);

#endif
