/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Small helpers lib/ files share: no netlink, no state. */
#ifndef NETNSCTL_UTIL_H
#define NETNSCTL_UTIL_H

#include <stddef.h>
#include <sys/types.h>

/* S with control bytes as \xNN and cut to fit BUF: names are echoed in
 * errors, and hostile bytes must not reach the terminal. */
const char *nsc_printable(const char *s, char *buf, size_t size);

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

#endif
