/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Small helpers lib/ files share: no netlink, no state. */
#ifndef NETNSCTL_UTIL_H
#define NETNSCTL_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include <netnsctl/error.h>

/* mkdir -p PATH with MODE for what it makes: 0 or -errno. */
int nsc_mkdir_p(const char *path, mode_t mode);

/*
 * Directories nobody else can have put in the way (trust.c). Open absolute
 * PATH walking from "/" without following a symlink, each directory on the
 * way owned by root or the euid and writable by others only when sticky,
 * the last owned by the euid and writable by nobody else; with MODE, what
 * is missing is made. An O_PATH directory fd, or -errno with one line in e
 * ("WHAT PATH: ...: refused", -EACCES; -ENOENT when it is not there).
 */
int nsc_dir_open_trusted(const char *path, mode_t mode, const char *what,
			 struct nsc_error *e);
/* fd, a directory at PATH, checked as nsc_dir_open_trusted checks one on
 * the way (LAST false) or the last: 0, or -errno with e filled. */
int nsc_dir_trusted(int fd, const char *what, const char *path, bool last,
		    struct nsc_error *e);

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
