/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * List and flush, the skeleton routes and neighbours share: one dump whose
 * entries the kind's parse() reads and pick() selects. A list hands each pick to the caller's
 * callback; a flush keeps a copy of each and then deletes them one by one,
 * each as the kernel reported it (ip flushes the same way).
 */
#ifndef NETNSCTL_RTNL_DUMPFLUSH_H
#define NETNSCTL_RTNL_DUMPFLUSH_H

#include <netnsctl/neigh.h>
#include <netnsctl/route.h>
#include "core/core.h"

/* One parsed entry, of either kind. */
union nsc_dumpobj {
	struct nsc_route route;
	struct nsc_neigh neigh;
};

/* The caller's callback (an nsc_route_cb, an nsc_neigh_cb), as a plain pointer. */
typedef void (*nsc_dump_fn)(void);

/* One kind of entry (route_ops.c, neigh_ops.c). */
struct nsc_dumpkind {
	const char *what;       /* "route": errors say "route show", "route flush" */
	/* Build the dump request for filter. */
	void (*dump)(struct nsc_req *r, const void *filter);
	/* Parse one message of the dump: 0, or -EINVAL for one to pass over. */
	int (*parse)(const struct nlmsghdr *nlh, union nsc_dumpobj *obj);
	/* Does the filter select obj? flush: for a flush, which may leave out more. */
	bool (*pick)(const union nsc_dumpobj *obj, const void *filter, bool flush);
	/* Call fn, the caller's callback of this kind, with obj: what it returns. */
	int (*show)(const union nsc_dumpobj *obj, nsc_dump_fn fn, void *arg);
	/* The delete request for a picked entry: entry rewritten, or one built in r. */
	struct nlmsghdr *(*del)(struct nlmsghdr *entry, struct nsc_req *r);
	/* A picked entry's name, for `what flush: delete "NAME"`. */
	const char *(*name)(const union nsc_dumpobj *obj, char *buf, size_t size);
	const int *gone;        /* errnos of a delete that mean it went already; 0 ends */
};

/*
 * fn(entry, arg) for each entry of NETNS the filter selects, until it
 * returns nonzero: that value (the rest of the dump is read and dropped),
 * 0 at the end, or -errno.
 */
int nsc_dumpflush_list(struct nsc_ctx *ctx, const char *netns, const struct nsc_dumpkind *k,
		       const void *filter, nsc_dump_fn fn, void *arg, struct nsc_error *e);

/* Delete every entry of NETNS the filter selects; *count (may be NULL): how many went. */
int nsc_dumpflush_flush(struct nsc_ctx *ctx, const char *netns, const struct nsc_dumpkind *k,
			const void *filter, unsigned *count, struct nsc_error *e);

#endif
