/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Queueing disciplines: an impairment (impair.h) made the root qdisc of an
 * interface, set, changed in place and removed in one request each; the
 * qdiscs of a namespace listed as tc shows them.
 */
#ifndef NETNSCTL_QDISC_H
#define NETNSCTL_QDISC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netnsctl/ctx.h>
#include <netnsctl/error.h>
#include <netnsctl/impair.h>

/*
 * Set the impairment on IFNAME of NETNS (NULL: here): one RTM_NEWQDISC with
 * NLM_F_CREATE|NLM_F_REPLACE at the root. A qdisc of the same kind is changed
 * in place (same handle, no gap in the traffic); another kind is replaced in
 * the same request. When im needs netem and the kernel has none, nothing is
 * changed and the error says so by name.
 */
int nsc_impair_set(struct nsc_ctx *ctx, const char *netns, const char *ifname,
		   const struct nsc_impair *im, struct nsc_error *e);
int nsc_impair_set_index(struct nsc_ctx *ctx, const char *netns, int ifindex,
			 const struct nsc_impair *im, struct nsc_error *e);
/* Remove the root qdisc of IFNAME (the kernel's default comes back); 0 if none. */
int nsc_impair_clear(struct nsc_ctx *ctx, const char *netns, const char *ifname,
		     struct nsc_error *e);
int nsc_impair_clear_index(struct nsc_ctx *ctx, const char *netns, int ifindex,
			   struct nsc_error *e);

/*
 * Does the kernel of NETNS know qdisc KIND? Asks for one on the loopback
 * with no options, which a known kind refuses (EINVAL) and an unknown one
 * cannot make (ENOENT, "Specified qdisc kind is unknown"): nothing changes
 * either way. 1 known, 0 unknown, or -errno.
 */
int nsc_qdisc_kind_known(struct nsc_ctx *ctx, const char *netns, const char *kind,
			 struct nsc_error *e);

/* The error for an impairment that needs netem where the kernel has none. */
int nsc_impair_no_netem(struct nsc_error *e, const char *what);

/* A qdisc as a dump reports it. */
struct nsc_qdisc {
	int ifindex;
	uint32_t handle, parent;
	uint32_t refcnt;
	char kind[16];
	bool tbf, netem;        /* im holds the options of these two */
	struct nsc_impair im;
	uint32_t gap;           /* netem */
	int64_t tbf_lat_us;     /* tbf: the latency tc shows (-1: shown as limit) */
	bool has_stats;
	uint64_t bytes, packets;
	uint32_t drops, overlimits, requeues, backlog, qlen;
};

typedef int (*nsc_qdisc_cb)(const struct nsc_qdisc *q, void *arg);

/* Every qdisc of NETNS (ifindex 0) or of one interface, each to cb (nonzero stops). */
int nsc_qdisc_list(struct nsc_ctx *ctx, const char *netns, int ifindex, nsc_qdisc_cb cb,
		   void *arg, struct nsc_error *e);

#endif
