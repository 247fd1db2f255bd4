/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What rtnl's files share: libnl messages over our sockets, the one
 * RTM_GETLINK (getlink.c), and the nsid map (link_nsid.c).
 */
#ifndef NETNSCTL_LINK_INTERNAL_H
#define NETNSCTL_LINK_INTERNAL_H

#include <netlink/msg.h>
#include <netlink/route/link.h>

#include <netnsctl/link.h>

#include "core/core.h"

/*
 * libnl builds the request, our socket sends it: nsc_nl_talk() keeps the
 * kernel's errno and extended ack (libnl 3.7 would turn some into
 * "Unspecific failure"). Frees msg.
 */
static inline int nsc_talk_nlmsg(struct nsc_sock *s, struct nl_msg *msg,
				 struct nsc_error *e)
{
	int ret;

	/* libnl adds NLM_F_REQUEST only when it sends the message itself */
	nlmsg_hdr(msg)->nlmsg_flags |= NLM_F_REQUEST;
	ret = nsc_nl_talk(s, nlmsg_hdr(msg), NULL, NULL, e);

	nlmsg_free(msg);
	return ret;
}

/* nsc_talk_nlmsg() over NETNS's socket. Frees msg. */
static inline int nsc_talk_nlmsg_in(struct nsc_ctx *ctx, const char *netns,
				    struct nl_msg *msg, struct nsc_error *e)
{
	struct nsc_sock *s;
	int ret;

	if ((ret = nsc_sock_get(ctx, netns, &s, e)) < 0) {
		nlmsg_free(msg);
		return ret;
	}
	return nsc_talk_nlmsg(s, msg, e);
}

/*
 * nsc_ifindex(), answered from what the namespace's socket learnt when it
 * can (*cached then true: the index may be stale, see nsc_sock_if_get()).
 */
int nsc_ifindex_cached(struct nsc_ctx *ctx, const char *netns, const char *ifname,
		       int *index, bool *cached, struct nsc_error *e);
/*
 * A request with a cached index failed: forget what the socket learnt and
 * look IFNAME up again. 1: the index was stale (*index is the new one, send
 * again), 0: it was right (the failure stands, e untouched), -errno: the
 * lookup failed (e says why: the device is gone, say).
 */
int nsc_ifindex_recheck(struct nsc_ctx *ctx, const char *netns, const char *ifname,
			int *index, struct nsc_error *e);

/* A change to a link by index, sent in one RTM_NEWLINK. */
struct nsc_link_index_set {
	bool up;
	uint32_t mtu;                   /* 0: unchanged */
	const uint8_t *mac;             /* NULL: unchanged */
	int master;                     /* 0: unchanged */
	const char *alias;              /* NULL: unchanged (labs mark their links here) */
};
int nsc_link_index_change(struct nsc_ctx *ctx, const char *netns, int ifindex,
			  const struct nsc_link_index_set *c, struct nsc_error *e);

/* Delete link ifindex of NETNS (a veth takes its peer along): 0 or -errno. */
int nsc_link_del_index(struct nsc_ctx *ctx, const char *netns, int ifindex,
		       struct nsc_error *e);

/* `device "X" not found[ in netns "N"]`, as nsc_ifindex() words it. */
int nsc_link_not_found(struct nsc_error *e, const char *netns, const char *ifname);

/*
 * getlink.c: which links one RTM_GETLINK asks for. Statistics are left out
 * unless asked for: the kernel builds them for every link of a dump.
 */
struct nsc_getlink {
	bool dump;              /* every link; else the one below */
	const char *ifname;     /* the link by name, */
	int ifindex;            /* or by index */
	bool in_nsid;           /* in the namespace with id nsid here, not this one */
	int nsid;               /* (IFLA_TARGET_NETNSID) */
	bool stats;             /* with IFLA_STATS and IFLA_STATS64 */
};

/* Send q over s, each answer to cb: 0 or -errno (e filled, no prefix). */
int nsc_getlink(struct nsc_sock *s, const struct nsc_getlink *q, mnl_cb_t cb,
		void *data, struct nsc_error *e);

/* The index and name ("" if none) of an RTM_NEWLINK; false for anything else. */
bool nsc_link_brief(const struct nlmsghdr *nlh, int *index, char name[16]);

/*
 * Names of the namespaces by their id as seen from one namespace: an nsid
 * in a message received there (IFLA_LINK_NETNSID) means nothing elsewhere.
 */
struct nsc_nsid_map {
	size_t n;
	struct nsc_nsid_name {
		int id;
		char *name;
	} *v;
	bool loaded;
};

/* Ask NETNS for the id of every named namespace (first name wins). */
int nsc_nsid_map_load(struct nsc_ctx *ctx, const char *netns,
		      struct nsc_nsid_map *m, struct nsc_error *e);
const char *nsc_nsid_map_name(const struct nsc_nsid_map *m, int id);
void nsc_nsid_map_free(struct nsc_nsid_map *m);

/* A dump of RTM_GETLINK (ifname NULL) or one RTM_GETLINK by name into a growing array. */
int nsc_link_fetch(struct nsc_sock *s, const char *ifname, int ifindex, unsigned flags,
		   struct nsc_link **out, size_t *n, struct nsc_error *e);

/*
 * link_kind.c: a libnl link object of a->kind with the kind's attributes
 * (veth peer, vxlan, macvlan), device names already resolved to indexes in
 * NETNS. lower/dev: those indexes (0: none). *peer: the veth peer (a
 * reference; put it), else NULL.
 */
int nsc_link_kind_alloc(const struct nsc_link_add *a, int lower, int dev,
			struct rtnl_link **link, struct rtnl_link **peer,
			struct nsc_error *e);
/* Rewrite IFLA_VXLAN_PORT in a built request as the kernel wants it: a be16. */
int nsc_vxlan_fix_port(struct nlmsghdr *nlh, uint16_t port);

#endif
