/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * List and flush, the skeleton routes and neighbours share: one dump whose
 * entries the kind's pick() selects. A list hands each pick to a callback;
 * a flush keeps a copy of each and then deletes them one by one, each as
 * the kernel reported it (ip flushes the same way).
 */
#ifndef NETNSCTL_RTNL_DUMPFLUSH_H
#define NETNSCTL_RTNL_DUMPFLUSH_H

#include "core/core.h"

/* One kind of entry (route_ops.c, neigh_ops.c). */
struct nsc_dumpkind {
	const char *what;       /* "route": errors say "route show", "route flush" */
	/*
	 * Parse nlh into obj and say whether the filter selects it; flush: for
	 * a flush, which may leave out entries a list shows.
	 */
	bool (*pick)(const struct nlmsghdr *nlh, const void *filter, bool flush, void *obj);
	/* The delete request for a picked entry: entry rewritten, or one built in r. */
	struct nlmsghdr *(*del)(struct nlmsghdr *entry, struct nsc_req *r);
	/* A picked entry's name, for "what flush: delete "NAME"". */
	const char *(*name)(const struct nlmsghdr *entry, char *buf, size_t size);
	const int *gone;        /* errnos of a delete that mean it went already; 0 ends */
};

/* One list or flush. */
struct nsc_dumpflush {
	const struct nsc_dumpkind *kind;
	const void *filter;
	void *obj;              /* room for one parsed entry */
	struct nsc_req dump;    /* the dump request: nsc_req_init() it */
};

/*
 * show(obj, arg) for each pick in NETNS until it returns nonzero: that value
 * (the rest of the dump is read and dropped), 0 at the end, or -errno.
 */
int nsc_dumpflush_list(struct nsc_ctx *ctx, const char *netns, struct nsc_dumpflush *d,
		       int (*show)(const void *obj, void *arg), void *arg,
		       struct nsc_error *e);

/* Delete every pick in NETNS; *count (may be NULL): how many went. 0 or -errno. */
int nsc_dumpflush_flush(struct nsc_ctx *ctx, const char *netns, struct nsc_dumpflush *d,
			unsigned *count, struct nsc_error *e);

#endif
