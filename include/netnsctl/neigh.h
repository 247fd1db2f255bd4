/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NETNSCTL_NEIGH_H
#define NETNSCTL_NEIGH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netnsctl/ctx.h>
#include <netnsctl/parse.h>

/*
 * Neighbours (ARP and NDP entries) inside a namespace (NULL: the caller's),
 * over that namespace's own rtnetlink socket.
 */

struct nlmsghdr;

#define NSC_LLADDR_MAX 32

/* One neighbour entry, as the kernel reported it. */
struct nsc_neigh {
	int msg_type;                   /* RTM_NEWNEIGH or RTM_DELNEIGH (events) */
	int family;                     /* AF_INET or AF_INET6 */
	int ifindex;
	uint16_t state;                 /* NUD_* bits */
	uint8_t flags;                  /* NTF_* (router, proxy, ...) */
	uint8_t type;
	struct nsc_prefix dst;          /* family 0: none */
	uint8_t lladdr[NSC_LLADDR_MAX];
	int lladdr_len;                 /* 0: none */
	bool has_cacheinfo;
	uint32_t used, confirmed, updated, refcnt;   /* seconds, as ip -s shows them */
	bool has_probes;
	uint32_t probes;
};

/* Parse one RTM_NEWNEIGH/RTM_DELNEIGH message. 0, or -EINVAL. Pure. */
int nsc_neigh_parse(const struct nlmsghdr *nlh, struct nsc_neigh *n);

/*
 * NUD state names as ip spells them: "permanent", "reachable", "stale",
 * "noarp", "delay", "probe", "failed", "incomplete", "none" (any case).
 * *state is the NUD_* value (NUD_NONE is 0). A usage error otherwise.
 */
int nsc_nud_parse(const char *s, uint16_t *state, struct nsc_error *e);
/* "PERMANENT" etc. for one NUD_* bit, or NULL. */
const char *nsc_nud_name(uint16_t bit);

/* "02:00:00:00:00:01" */
const char *nsc_lladdr_str(const uint8_t *a, int len, char *buf, size_t size);

/* Which entries show and flush are about (ip neigh's selectors). */
#define NSC_NUD_FILTER_NONE 0x100       /* entries in state NONE (0) */
#define NSC_NUD_FILTER_ALL 0x1ff

struct nsc_neigh_filter {
	int family;                     /* AF_UNSPEC: both */
	int ifindex;                    /* 0: any */
	uint32_t states;                /* NUD_* bits | NSC_NUD_FILTER_NONE */
	struct nsc_prefix to;           /* family 0: any */
	bool proxy;                     /* list proxy entries (only those) */
};

/* show: every state but NOARP; flush: neither NOARP nor PERMANENT (as ip) */
void nsc_neigh_filter_init(struct nsc_neigh_filter *f, bool flush);
bool nsc_neigh_match(const struct nsc_neigh_filter *f, const struct nsc_neigh *n);

typedef int (*nsc_neigh_cb)(const struct nsc_neigh *n, void *arg);
int nsc_neigh_list(struct nsc_ctx *ctx, const char *netns, const struct nsc_neigh_filter *f,
		   nsc_neigh_cb cb, void *arg, struct nsc_error *e);
int nsc_neigh_flush(struct nsc_ctx *ctx, const char *netns, const struct nsc_neigh_filter *f,
		    unsigned *count, struct nsc_error *e);

enum nsc_neigh_op {
	NSC_NEIGH_ADD,                  /* create; EEXIST if there */
	NSC_NEIGH_DEL,
	NSC_NEIGH_REPLACE,              /* create or replace */
	NSC_NEIGH_CHANGE,               /* replace; ENOENT if not there */
};

struct nsc_neigh_req {
	struct nsc_prefix dst;          /* an address */
	const char *dev;                /* required */
	bool has_lladdr;
	uint8_t lladdr[6];
	bool has_state;
	uint16_t state;                 /* default NUD_PERMANENT */
	bool router;                    /* NTF_ROUTER (IPv6) */
	bool proxy;                     /* a proxy (published) entry */
};

int nsc_neigh_modify(struct nsc_ctx *ctx, const char *netns, enum nsc_neigh_op op,
		     const struct nsc_neigh_req *r, struct nsc_error *e);

/* One entry: dst on dev. ENOENT when there is none. */
int nsc_neigh_get(struct nsc_ctx *ctx, const char *netns, const struct nsc_prefix *dst,
		  const char *dev, bool proxy, struct nsc_neigh *out, struct nsc_error *e);

#endif
