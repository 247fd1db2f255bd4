/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The processes inside a namespace (core/holders.c). */
#ifndef NETNSCTL_HOLDERS_H
#define NETNSCTL_HOLDERS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "core/core.h"

/* Call fn for each process whose network namespace is (dev, ino); fn
 * returns false to stop. -errno if /proc cannot be read. */
typedef bool (*nsc_pid_fn)(pid_t pid, void *data);
int nsc_for_each_pid_in(dev_t dev, ino_t ino, nsc_pid_fn fn, void *data);

/* A namespace, as stat() tells it. */
struct nsc_ns_key {
	dev_t dev;
	ino_t ino;
	size_t idx;                     /* the caller's, not compared */
};
int nsc_ns_key_cmp(const void *a, const void *b);      /* for qsort, bsearch */
/* counts[i]: the processes inside keys[i], for keys[0..n) sorted with
 * nsc_ns_key_cmp (duplicates each counted), from one read of /proc. */
int nsc_count_pids_of(const struct nsc_ns_key *keys, size_t n, unsigned *counts);

/*
 * End every process inside the namespace (dev, ino): SIGTERM, then SIGKILL
 * to those still there after grace_ms, then wait for them to be gone (at
 * most max_ms more). Processes that appear meanwhile get the same. Counts
 * what it signalled in *killed; -ETIMEDOUT (e filled) if some survive.
 */
int nsc_kill_inside(dev_t dev, ino_t ino, const char *name, unsigned grace_ms,
		    unsigned max_ms, unsigned *killed, struct nsc_error *e);

/* Milliseconds on the monotonic clock. */
long long nsc_now_ms(void);

#endif
