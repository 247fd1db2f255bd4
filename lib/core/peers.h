/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The veth devices of a namespace whose peers live in other namespaces
 * (core/peers.c). The kernel sends no "namespace freed" event, and
 * RTM_DELNSID comes before the devices go: a peer that vanished is what a
 * user can see of a freed namespace, and what makes its name free again
 * over there.
 */
#ifndef NETNSCTL_CORE_PEERS_H
#define NETNSCTL_CORE_PEERS_H

#include "core/core.h"

struct nsc_peers;

/*
 * Find them while the namespace NAME (nsfd) still exists, and open a
 * socket, subscribed to link events, in each peer namespace that can be
 * named: the caller's own, or one of the run dir's names. Peers in other
 * namespaces cannot be watched: *unwatched counts them. *aliases counts
 * other names for the same namespace (it will not be freed while one is
 * left).
 */
int nsc_peers_collect(struct nsc_ctx *ctx, const char *name, int nsfd,
		      struct nsc_peers **out, unsigned *unwatched,
		      unsigned *aliases, struct nsc_error *e);
unsigned nsc_peers_count(const struct nsc_peers *p);
/* Wait until every watched peer is gone; -ETIMEDOUT after max_ms. */
int nsc_peers_wait(struct nsc_peers *p, const char *name, unsigned max_ms,
		   struct nsc_error *e);
void nsc_peers_free(struct nsc_peers *p);

#endif
