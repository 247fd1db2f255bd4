/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What keeps a namespace alive: processes inside it, veth peers elsewhere. */
#ifndef NETNSCTL_HOLDERS_H
#define NETNSCTL_HOLDERS_H

#include <stdbool.h>
#include <sys/types.h>

#include "core/core.h"

/* Call fn for each process whose network namespace is (dev, ino); fn
 * returns false to stop. -errno if /proc cannot be read. */
typedef bool (*nsc_pid_fn)(pid_t pid, void *data);
int nsc_for_each_pid_in(dev_t dev, ino_t ino, nsc_pid_fn fn, void *data);

/*
 * End every process inside the namespace (dev, ino): SIGTERM, then SIGKILL
 * to those still there after grace_ms, then wait for them to be gone (at
 * most max_ms more). Processes that appear meanwhile get the same. Counts
 * what it signalled in *killed; -ETIMEDOUT (e filled) if some survive.
 */
int nsc_kill_inside(dev_t dev, ino_t ino, const char *name, unsigned grace_ms,
		    unsigned max_ms, unsigned *killed, struct nsc_error *e);

/*
 * The veth devices of a namespace whose peers live in other namespaces. The
 * kernel sends no "namespace freed" event, and RTM_DELNSID comes before the
 * devices go: a peer that vanished is what a user can see of a freed
 * namespace, and what makes its name free again over there.
 */
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

/* Milliseconds on the monotonic clock. */
long long nsc_now_ms(void);

#endif
