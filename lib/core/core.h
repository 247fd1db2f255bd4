/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What lib/ files share and nobody outside lib/ sees. */
#ifndef NETNSCTL_INTERNAL_H
#define NETNSCTL_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>
#include <linux/netlink.h>
#include <libmnl/libmnl.h>

#include <netnsctl/error.h>
#include <netnsctl/ctx.h>
#include <netnsctl/netns.h>
#include <netnsctl/parse.h>

#include "core/sock.h"

#define _cleanup_(f) __attribute__((cleanup(f)))

static inline void freep(void *p) { free(*(void **)p); }
static inline void closep(int *fd)
{
	if (*fd >= 0)
		close(*fd);
}
#define _cleanup_free_ _cleanup_(freep)
#define _cleanup_close_ _cleanup_(closep)

/* ---- ctx.c ---- */

struct nsc_ctx {
	char *run_dir;
	int run_fd;                     /* -1 until the run dir is opened */
	bool run_ready;                 /* run dir made a shared mount point */
	struct nsc_sock *socks;         /* MRU list */
	struct nsc_rtnames *rtnames;    /* loaded on first use */
	unsigned nsocks, max_socks;
};

/* Open (not create) the run dir; -ENOENT if it is not there. */
int nsc_run_fd(struct nsc_ctx *ctx, struct nsc_error *e);

/* ---- netns.c ---- */

/* Is fd a network namespace (nsfs, type CLONE_NEWNET)? */
bool nsc_fd_is_netns(int fd);

#endif
