/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NETNSCTL_ROUTE_H
#define NETNSCTL_ROUTE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netnsctl/ctx.h>
#include <netnsctl/parse.h>

/*
 * Routes inside a namespace (NULL: the caller's), IPv4 and IPv6, over that
 * namespace's own rtnetlink socket. Addresses are struct nsc_prefix
 * (parse.h); a family of AF_UNSPEC (0) means "absent".
 */

struct nlmsghdr;

#define NSC_ROUTE_MAX_NH 32             /* nexthops kept per route */
#define NSC_RTAX_MAX 17                 /* RTAX_LOCK (1) .. RTAX_FASTOPEN_NO_COOKIE */

struct nsc_nexthop {
	struct nsc_prefix gateway;      /* family 0: none; may differ from the route's */
	int ifindex;                    /* 0: none */
	unsigned weight;                /* 1..256 */
	uint32_t flags;                 /* RTNH_F_* */
};

/* One route, as the kernel reported it. */
struct nsc_route {
	int msg_type;                   /* RTM_NEWROUTE or RTM_DELROUTE (events) */
	int family;                     /* AF_INET or AF_INET6 */
	uint8_t type;                   /* RTN_* */
	uint8_t protocol;               /* RTPROT_* */
	uint8_t scope;                  /* RT_SCOPE_* */
	uint8_t tos;
	uint32_t table;                 /* RTA_TABLE, else rtm_table */
	uint32_t flags;                 /* rtm_flags: RTNH_F_*, RTM_F_*, IPv4 RTCF_* */
	struct nsc_prefix dst;          /* len = prefix length; 0 is the default route */
	struct nsc_prefix src;          /* "from" (source routing, route get) */
	struct nsc_prefix gateway;      /* a gateway of another family is RTA_VIA */
	struct nsc_prefix prefsrc;
	int oif, iif;                   /* 0: none */
	bool has_metric;
	uint32_t metric;                /* RTA_PRIORITY */
	uint32_t metrics_mask;          /* bit i set: metrics[i] (RTAX_i) present */
	uint32_t metrics[NSC_RTAX_MAX + 1];
	char congctl[16];               /* RTAX_CC_ALGO */
	bool has_pref;
	uint8_t pref;                   /* ICMPV6_ROUTER_PREF_* */
	bool has_uid;
	uint32_t uid;
	uint32_t mark;                  /* RTA_MARK (route get), 0: none */
	int expires;                    /* seconds left (cacheinfo), 0: none */
	uint32_t cache_error;           /* cacheinfo error, 0: none */
	unsigned nnh;                   /* multipath nexthops kept in nh[] */
	unsigned nnh_total;             /* how many the kernel sent */
	struct nsc_nexthop nh[NSC_ROUTE_MAX_NH];
};

/*
 * Parse one RTM_NEWROUTE/RTM_DELROUTE message (a dump entry, an answer or
 * an event). Returns 0, or -EINVAL when it is not a route or malformed.
 * Pure: no I/O.
 */
int nsc_route_parse(const struct nlmsghdr *nlh, struct nsc_route *r);

/* "198.51.100.0/24", "2001:db8::1" (len shown only when short of a host),
 * "default" for a /0 when is_dst. */
const char *nsc_route_addr_str(const struct nsc_prefix *p, bool is_dst, char *buf,
			       size_t size);

/* Which routes a show or flush is about; as ip's selectors. */
struct nsc_route_filter {
	int family;                     /* AF_INET, AF_INET6, AF_UNSPEC: both */
	bool all_tables;                /* else only `table` */
	uint32_t table;                 /* default RT_TABLE_MAIN */
	int oif;                        /* dev: 0 any */
	int protocol;                   /* -1 any */
	int scope;                      /* -1 any */
	uint32_t types;                 /* bit (1 << RTN_x); 0 any */
	struct nsc_prefix root;         /* routes inside this prefix */
	struct nsc_prefix match;        /* routes covering this prefix */
	struct nsc_prefix via;          /* gateway inside this prefix */
	struct nsc_prefix prefsrc;      /* preferred source inside this prefix */
};

void nsc_route_filter_init(struct nsc_route_filter *f);
/* Pure. Families other than IPv4/IPv6 and cache clones never match. */
bool nsc_route_match(const struct nsc_route_filter *f, const struct nsc_route *r);

/*
 * Each matching route, in the kernel's order, to cb; a nonzero return from
 * cb stops the list and is returned. cb must not talk to the kernel on ctx.
 */
typedef int (*nsc_route_cb)(const struct nsc_route *r, void *arg);
int nsc_route_list(struct nsc_ctx *ctx, const char *netns, const struct nsc_route_filter *f,
		   nsc_route_cb cb, void *arg, struct nsc_error *e);

/* Delete every matching route; *count (may be NULL) says how many went. */
int nsc_route_flush(struct nsc_ctx *ctx, const char *netns, const struct nsc_route_filter *f,
		    unsigned *count, struct nsc_error *e);

/* ---- add, delete, replace ---- */

enum nsc_route_op {
	NSC_ROUTE_ADD,                  /* create; EEXIST if there */
	NSC_ROUTE_DEL,
	NSC_ROUTE_REPLACE,              /* create or replace */
	NSC_ROUTE_CHANGE,               /* replace; ENOENT if not there */
	NSC_ROUTE_APPEND,               /* add another route of the same key */
};

struct nsc_route_nh_req {
	struct nsc_prefix gateway;      /* family 0: none */
	const char *dev;                /* NULL: none */
	unsigned weight;                /* 1..256; 0: 1 */
	bool onlink;
};

struct nsc_route_req {
	int family;                     /* AF_UNSPEC: from the addresses, else IPv4 */
	int type;                       /* RTN_*; -1: unicast on add, any on delete */
	struct nsc_prefix dst;          /* len -1: a host route; 0: default */
	struct nsc_prefix src;          /* from PREFIX (IPv6 source routing) */
	struct nsc_prefix gateway;      /* via */
	struct nsc_prefix prefsrc;      /* src */
	const char *dev;
	bool onlink;
	bool has_table;
	uint32_t table;                 /* default main (local for local/broadcast/nat/anycast) */
	bool has_metric;
	uint32_t metric;
	int protocol;                   /* -1: boot on add, any on delete */
	int scope;                      /* -1: chosen as ip does */
	uint32_t metrics_mask;          /* RTAX_* set */
	uint32_t metrics_lock;          /* RTAX_* locked */
	uint32_t metrics[NSC_RTAX_MAX + 1];
	unsigned nnh;                   /* nexthop ... (multipath); then no via/dev */
	struct nsc_route_nh_req nh[NSC_ROUTE_MAX_NH];
};

void nsc_route_req_init(struct nsc_route_req *r);

/*
 * Settle the family (from -4/-6, else the addresses) and check that every
 * address is of it and that dst has no host bits set: pure, a usage error
 * or 0. nsc_route_modify calls it too.
 */
int nsc_route_req_check(struct nsc_route_req *r, struct nsc_error *e);

int nsc_route_modify(struct nsc_ctx *ctx, const char *netns, enum nsc_route_op op,
		     const struct nsc_route_req *r, struct nsc_error *e);

/* ---- route get: the kernel's answer for one destination ---- */

struct nsc_route_query {
	struct nsc_prefix dst;          /* an address */
	struct nsc_prefix from;         /* family 0: none */
	const char *iif, *oif;          /* NULL: none */
	bool has_mark;
	uint32_t mark;
	bool fibmatch;                  /* the FIB entry, not the resolved clone */
};

int nsc_route_get(struct nsc_ctx *ctx, const char *netns, const struct nsc_route_query *q,
		  struct nsc_route *out, struct nsc_error *e);

#endif
