/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Small helpers lib/ files share: no netlink, no state. */
#ifndef NETNSCTL_UTIL_H
#define NETNSCTL_UTIL_H

#include <stddef.h>
#include <sys/types.h>

/* mkdir -p PATH with MODE for what it makes: 0 or -errno. */
int nsc_mkdir_p(const char *path, mode_t mode);

/*
 * Run fn(arg) on a short-lived thread and wait for it: the way into another
 * namespace that never has to switch back (the thread ends there). A small
 * stack: these threads make a few syscalls, and a default 8 MiB stack costs
 * an mmap and an madvise per namespace in a batch of thousands.
 * 0, or a positive error number from pthread_create.
 */
int nsc_thread_run(void *(*fn)(void *), void *arg);

/*
 * Make room for NEED elements of SIZE bytes in the array *ARRAYP, whose
 * allocation holds *CAP of them: grows it (doubling, at least 8) when
 * NEED > *CAP. 0, or -ENOMEM with the array as it was. Use NSC_GROW().
 */
int nsc_grow(void *arrayp, size_t *cap, size_t need, size_t size);
#define NSC_GROW(v, cap, need) nsc_grow(&(v), &(cap), (need), sizeof(*(v)))

#endif
