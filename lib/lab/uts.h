/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A node's own UTS namespace (defaults.hostname): hostname = the node's
 * name, kept alive by a bind mount on DIR/uts/NODE in the lab's state dir,
 * as a network namespace is kept by its name file in the run dir (not in
 * the run dir itself: ip netns would take it for a network namespace).
 */
#ifndef NETNSCTL_LAB_UTS_H
#define NETNSCTL_LAB_UTS_H

#include <stdbool.h>
#include <stddef.h>
#include <netnsctl/error.h>

#define LAB_UTS_DIR "uts"

enum lab_uts_have {
	UTS_ABSENT,
	UTS_PRESENT,                    /* a UTS namespace is mounted there */
	UTS_STALE,                      /* the file, nothing (or something else) on it */
};

/* What DFD (the lab's dir)/uts/NODE is. */
enum lab_uts_have lab_uts_probe(int dfd, const char *node);
/* Make NODE's namespace (hostname NODE) and mount it there; a stale file
 * there is replaced. */
int lab_uts_make(int dfd, const char *node, struct nsc_error *e);
/* Unmount and remove NODE's, if there. */
int lab_uts_remove(int dfd, const char *node, struct nsc_error *e);
/* Every one there, and the directory: the lab's state goes. */
void lab_uts_forget(int dfd);
/* "/proc/self/fd/DFD/uts/NODE" (valid while dfd is open): false when
 * nothing is mounted there. */
bool lab_uts_path(int dfd, const char *node, char *buf, size_t size);

#endif
