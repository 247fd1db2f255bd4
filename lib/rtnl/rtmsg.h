/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Reading one rtnetlink message, the part every parser shares (addr.c,
 * link_dump.c, neigh.c, route.c): its type and length checked, its
 * attributes in a table by type. No I/O: unit-tested through those parsers.
 */
#ifndef NETNSCTL_RTNL_RTMSG_H
#define NETNSCTL_RTNL_RTMSG_H

#include <stddef.h>
#include <stdint.h>
#include <libmnl/libmnl.h>

/* Attributes by type, up to max: newer kernels send types these headers do not know. */
struct nsc_attrs {
	const struct nlattr **tb;
	uint16_t max;
};

/* A libmnl attribute callback that fills a struct nsc_attrs (for nests too). */
int nsc_attrs_cb(const struct nlattr *a, void *data);

/*
 * The family header of nlh, if nlh is a message of type newtype or deltype
 * with room for hdrlen bytes of it, and its attributes in tb[0..max] (all
 * NULL first). NULL for another message or one that does not parse.
 */
const void *nsc_rtmsg_parse(const struct nlmsghdr *nlh, uint16_t newtype, uint16_t deltype,
			    size_t hdrlen, const struct nlattr **tb, uint16_t max);

/* A string attribute into buf, whether or not the kernel ended it. */
void nsc_attr_str(const struct nlattr *a, char *buf, size_t size);

#endif
