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

#include <netnsctl/netnsctl.h>

#define _cleanup_(f) __attribute__((cleanup(f)))

static inline void freep(void *p) { free(*(void **)p); }
static inline void closep(int *fd)
{
	if (*fd >= 0)
		close(*fd);
}
#define _cleanup_free_ _cleanup_(freep)
#define _cleanup_close_ _cleanup_(closep)

/* ---- nsock.c: one rtnetlink socket per namespace ---- */

struct nsc_sock {
	struct mnl_socket *nl;
	uint32_t portid;
	uint32_t seq;
	char *name;                     /* NULL: the caller's own namespace */
	struct nsc_sock *next;          /* ctx cache, most recently used first */
};

/*
 * The rtnetlink socket for namespace NAME (NULL: the caller's own), opened
 * inside it once and cached in ctx. The pointer stays valid until the next
 * nsc_sock_get() on ctx (the cache may evict) or nsc_ctx_drop().
 */
int nsc_sock_get(struct nsc_ctx *ctx, const char *name, struct nsc_sock **out,
		 struct nsc_error *e);

/* Open a socket inside the namespace behind nsfd (any thread-safe way). */
int nsc_sock_open_in(int nsfd, struct mnl_socket **out);
/* Wrap an open socket and put it at the front of ctx's cache. */
int nsc_sock_adopt(struct nsc_ctx *ctx, const char *name, struct mnl_socket *nl,
		   struct nsc_sock **out);
void nsc_sock_free(struct nsc_sock *s);

/*
 * Send one request and read every answer to it. Sets seq/pid and, unless
 * NLM_F_DUMP is set, NLM_F_ACK. Each data message goes to cb (may be NULL).
 * On a kernel error returns -errno with e->code, e->msg (strerror) and
 * e->ext_ack filled: the caller adds context with nsc_err_prefix().
 */
int nsc_nl_talk(struct nsc_sock *s, struct nlmsghdr *nlh, mnl_cb_t cb,
		void *data, struct nsc_error *e);

/* ---- link.c ---- */

/* Delete link ifindex of NETNS (a veth takes its peer along): 0 or -errno. */
int nsc_link_del_index(struct nsc_ctx *ctx, const char *netns, int ifindex,
		       struct nsc_error *e);

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
