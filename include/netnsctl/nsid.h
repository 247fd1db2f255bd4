/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NETNSCTL_NSID_H
#define NETNSCTL_NSID_H

#include <stdbool.h>
#include <stddef.h>
#include <netnsctl/ctx.h>

/*
 * Namespace ids: the number a namespace gives a peer namespace (what
 * `ip netns set` and `ip netns list-id` show). Ids are per viewer: NETNS
 * (NULL: the caller's namespace) is the one whose ids are set or listed.
 */

#define NSC_NSID_AUTO (-1)              /* let the kernel pick */
#define NSC_NSID_MAX 0x7fffffff

/* Give named namespace NAME the id nsid (0..NSC_NSID_MAX or NSC_NSID_AUTO)
 * as seen from NETNS. EEXIST when NAME already has one, or nsid is taken. */
int nsc_nsid_set(struct nsc_ctx *ctx, const char *netns, const char *name, int nsid,
		 struct nsc_error *e);

/* The id NAME has as seen from NETNS; -1 when it has none. */
int nsc_nsid_get(struct nsc_ctx *ctx, const char *netns, const char *name, int *nsid,
		 struct nsc_error *e);

struct nsc_nsid_entry {
	int nsid;                       /* as seen from the listed namespace */
	int current_nsid;               /* with a target: as seen from NETNS; -1 none */
	char *name;                     /* the named namespace, or NULL */
};

/*
 * Every id NETNS has given (target_nsid < 0), or every id the namespace
 * that NETNS knows as target_nsid has given (then current_nsid says what
 * NETNS calls each peer). Names come from the run dir. Sorted by nsid.
 */
int nsc_nsid_list(struct nsc_ctx *ctx, const char *netns, int target_nsid,
		  struct nsc_nsid_entry **out, size_t *n, struct nsc_error *e);
void nsc_nsid_list_free(struct nsc_nsid_entry *list, size_t n);

struct nlmsghdr;

/* Parse one RTM_NEWNSID/RTM_DELNSID event: the id and whether it went.
 * 0, or -EINVAL when it is not one. No I/O. */
int nsc_nsid_parse(const struct nlmsghdr *nlh, int *nsid, bool *deleted);

#endif
