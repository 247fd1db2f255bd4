/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The socket layer: one rtnetlink socket per namespace, and the one path
 * every request takes to the kernel. Nothing outside this layer builds a
 * netlink header (tests/layering checks it): a request starts with
 * nsc_req_init(), gets its attributes with mnl_attr_put*(), and goes out
 * with nsc_req_talk(); a plain dump is nsc_dump().
 */
#ifndef NETNSCTL_CORE_SOCK_H
#define NETNSCTL_CORE_SOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/netlink.h>
#include <libmnl/libmnl.h>

#include <netnsctl/ctx.h>
#include <netnsctl/error.h>

struct nsc_sock {
	struct mnl_socket *nl;
	uint32_t portid;
	uint32_t seq;
	char *name;                     /* NULL: the caller's own namespace */
	int nsfd;                       /* the namespace, -1 if not kept */
	struct nsc_ifent *ifs;          /* names -> indexes learnt: nsc_sock_if*() */
	size_t nifs, capifs;
	struct nsc_sock *next;          /* ctx cache, most recently used first */
};

struct nsc_ifent {
	char name[16];
	int index;
};

/*
 * Interface indexes the socket learnt (its lookups), so a batch that puts a
 * hundred ports on one bridge asks for the bridge's index once. The socket
 * forgets them all when a request through it deletes, renames or moves a
 * link (nsc_nl_talk); a change made elsewhere (another process, another
 * namespace's socket deleting a veth peer) is caught by the user of an
 * index: the request fails, and it asks again (nsc_ifindex_cached()).
 */
int nsc_sock_if_get(const struct nsc_sock *s, const char *name);
void nsc_sock_if_put(struct nsc_sock *s, const char *name, int index);
void nsc_sock_if_forget(struct nsc_sock *s);

/*
 * The rtnetlink socket for namespace NAME (NULL: the caller's own), opened
 * inside it once and cached in ctx. The pointer stays valid until the next
 * nsc_sock_get() on ctx (the cache may evict) or nsc_ctx_drop().
 */
int nsc_sock_get(struct nsc_ctx *ctx, const char *name, struct nsc_sock **out,
		 struct nsc_error *e);

/*
 * An fd on namespace NAME, for IFLA_NET_NS_FD and the like: a copy of the
 * one kept with its cached socket (what the socket talks to, so the same
 * namespace the batch's other requests reach), else nsc_ns_open(). Close it.
 */
int nsc_ns_fd(struct nsc_ctx *ctx, const char *name, struct nsc_error *e);

/* Open a socket inside the namespace behind nsfd (any thread-safe way). */
int nsc_sock_open_in(int nsfd, struct mnl_socket **out);
/* Wrap an open socket for namespace NAME, outside any cache (free it with
 * nsc_sock_free); -ENOMEM, the socket closed, on failure. */
int nsc_sock_wrap(const char *name, struct mnl_socket *nl, struct nsc_sock **out);
/* Wrap an open socket and put it at the front of ctx's cache. */
int nsc_sock_adopt(struct nsc_ctx *ctx, const char *name, struct mnl_socket *nl,
		   struct nsc_sock **out);
void nsc_sock_free(struct nsc_sock *s);
/* Move every socket cached in src to dst's cache (workers' contexts hand
 * theirs to the one that goes on). */
void nsc_sock_take_all(struct nsc_ctx *dst, struct nsc_ctx *src);

/*
 * Send one request and read every answer to it. Sets seq/pid and, unless
 * NLM_F_DUMP is set, NLM_F_ACK. Each data message goes to cb (may be NULL).
 * On a kernel error returns -errno with e->code, e->msg (strerror) and
 * e->ext_ack filled: the caller adds context with nsc_err_prefix().
 */
int nsc_nl_talk(struct nsc_sock *s, struct nlmsghdr *nlh, mnl_cb_t cb,
		void *data, struct nsc_error *e);

/*
 * A request being built. Every rtnetlink family header (ifinfomsg, rtmsg,
 * ndmsg, ifaddrmsg, rtgenmsg, tcmsg) starts with its address family, so one
 * initializer serves them all. The buffer holds the largest request the
 * library sends (a route with its attributes, a link change).
 */
#define NSC_REQ_MAX 1024

struct nsc_req {
	struct nlmsghdr *nlh;
	union {
		char buf[NSC_REQ_MAX];
		struct nlmsghdr align;
	} u;
};

/*
 * Start request R of TYPE with FLAGS (NLM_F_REQUEST is added; NLM_F_DUMP
 * makes it a dump) and a zeroed family header of HDRLEN bytes whose first
 * byte is FAMILY. Returns the family header, for the caller to fill.
 */
void *nsc_req_init(struct nsc_req *r, uint16_t type, uint16_t flags,
		   uint8_t family, size_t hdrlen);

/*
 * Send R over S and read every answer to it, as nsc_nl_talk() does: data
 * messages go to cb (may be NULL), a kernel error comes back as -errno
 * with e filled (the caller adds context with nsc_err_prefix()).
 */
int nsc_req_talk(struct nsc_sock *s, struct nsc_req *r, mnl_cb_t cb, void *data,
		 struct nsc_error *e);

/*
 * nsc_req_talk() for a request answered by exactly one message (a GET of one
 * object: RTM_GETLINK by name or index): no ack is asked for, the answer,
 * or the kernel's error, ends it. One receive fewer (the no-op lab apply
 * asks one link per namespace).
 */
int nsc_req_get(struct nsc_sock *s, struct nsc_req *r, mnl_cb_t cb, void *data,
		struct nsc_error *e);

/* A dump of TYPE for FAMILY with an empty family header of HDRLEN bytes,
 * each message to cb: the common case of nsc_req_init + nsc_req_talk. */
int nsc_dump(struct nsc_sock *s, uint16_t type, uint8_t family, size_t hdrlen,
	     mnl_cb_t cb, void *data, struct nsc_error *e);

#endif
