/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NETNSCTL_ADDR_H
#define NETNSCTL_ADDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/netlink.h>
#include <netnsctl/ctx.h>
#include <netnsctl/parse.h>

/* IPv4 and IPv6 addresses of the links in a namespace. */

/* One address as the kernel describes it in an RTM_NEWADDR/RTM_DELADDR. */
struct nsc_addr {
	bool deleted;                   /* an RTM_DELADDR (monitor) */
	int family;                     /* AF_INET or AF_INET6 */
	int ifindex;
	uint8_t prefixlen;
	uint8_t scope;                  /* RT_SCOPE_* */
	uint32_t flags;                 /* IFA_F_* (IFA_FLAGS when sent) */
	bool has_local, has_address, has_broadcast, has_anycast;
	uint8_t local[16];
	uint8_t address[16];            /* the peer when it differs from local */
	uint8_t broadcast[16];
	uint8_t anycast[16];
	char label[16];                 /* "" when none */
	bool has_cacheinfo;
	uint32_t valid_lft, preferred_lft;      /* seconds, 0xffffffff: forever */
};

#define NSC_LIFETIME_FOREVER 0xffffffffu

/* Parse one RTM_NEWADDR/RTM_DELADDR message: 0, or -EINVAL. No I/O. */
int nsc_addr_parse(const struct nlmsghdr *nlh, struct nsc_addr *a);

/*
 * Addresses in NETNS of family (AF_UNSPEC: both) on link ifindex (0: all),
 * in the kernel's order. Free with free().
 */
int nsc_addr_list(struct nsc_ctx *ctx, const char *netns, int family, int ifindex,
		  struct nsc_addr **out, size_t *n, struct nsc_error *e);

enum nsc_brd {
	NSC_BRD_NONE,
	NSC_BRD_ADDR,                   /* broadcast ADDR */
	NSC_BRD_PLUS,                   /* broadcast +: host bits set */
	NSC_BRD_MINUS,                  /* broadcast -: host bits clear */
};

/* What `addr add|del` may say. */
struct nsc_addr_req {
	struct nsc_prefix local;        /* len -1: a host address (/32, /128) */
	const char *dev;
	enum nsc_brd brd;
	struct nsc_prefix broadcast;    /* for NSC_BRD_ADDR */
	const char *label;
	int scope;                      /* -1: default (host for 127/8, else global) */
	uint32_t flags;                 /* IFA_F_NODAD, IFA_F_NOPREFIXROUTE, ... */
	bool has_lft;
	uint32_t valid_lft, preferred_lft;
};

int nsc_addr_add(struct nsc_ctx *ctx, const char *netns,
		 const struct nsc_addr_req *r, struct nsc_error *e);

/*
 * Delete an address. Without a prefix length the address on dev with that
 * local address is removed, whatever its length.
 */
int nsc_addr_del(struct nsc_ctx *ctx, const char *netns,
		 const struct nsc_addr_req *r, struct nsc_error *e);

/* Remove every address of family (AF_UNSPEC: both) from dev; *count says how many. */
int nsc_addr_flush(struct nsc_ctx *ctx, const char *netns, const char *dev,
		   int family, unsigned *count, struct nsc_error *e);

#endif
