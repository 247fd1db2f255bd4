/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NETNSCTL_LINK_H
#define NETNSCTL_LINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/netlink.h>
#include <netnsctl/ctx.h>
#include <netnsctl/parse.h>

/*
 * Links (network interfaces) inside a namespace: show, add (veth, bridge,
 * vxlan, macvlan, and any other kind that takes no arguments), delete and
 * change. Every function takes NETNS, the namespace the request is sent to
 * over a socket opened inside it (NULL: the caller's own).
 */

/* The kernel's counters (struct rtnl_link_stats64), by name. */
struct nsc_link_stats {
	uint64_t rx_packets, tx_packets, rx_bytes, tx_bytes;
	uint64_t rx_errors, tx_errors, rx_dropped, tx_dropped;
	uint64_t multicast, collisions;
	uint64_t rx_length_errors, rx_over_errors, rx_crc_errors;
	uint64_t rx_frame_errors, rx_fifo_errors, rx_missed_errors;
	uint64_t tx_aborted_errors, tx_carrier_errors, tx_fifo_errors;
	uint64_t tx_heartbeat_errors, tx_window_errors;
	uint64_t rx_compressed, tx_compressed, rx_nohandler;
};

#define NSC_LLADDR_MAX 32

/*
 * One link as the kernel describes it in an RTM_NEWLINK (or RTM_DELLINK)
 * message. nsc_link_parse() fills what the message says; the *_name fields
 * and link_up/link_netns need the other links of the namespace and are filled
 * by nsc_link_resolve() (or by nsc_link_list(), which calls it).
 */
struct nsc_link {
	bool deleted;                   /* an RTM_DELLINK (monitor) */
	int ifindex;
	char ifname[16];
	unsigned flags;                 /* IFF_* */
	unsigned short type;            /* ARPHRD_* */
	bool has_mtu;
	uint32_t mtu;
	char qdisc[32];                 /* "" when the kernel sent none */
	int master;                     /* ifindex of the master, 0: none */
	/*
	 * IFLA_LINK: the peer of a veth, the lower device of a macvlan.
	 * has_link false: no such attribute; link 0: "NONE".
	 */
	bool has_link;
	int link;
	int link_netnsid;               /* the peer is in that namespace; -1: same one */
	bool has_operstate, has_linkmode, has_group, has_txqlen;
	uint8_t operstate;              /* IF_OPER_* */
	uint8_t linkmode;
	uint32_t group;
	uint32_t txqlen;
	size_t addr_len, brd_len;
	uint8_t addr[NSC_LLADDR_MAX];
	uint8_t brd[NSC_LLADDR_MAX];
	char kind[16];                  /* IFLA_INFO_KIND: "veth", "bridge", ... or "" */
	char slave_kind[16];            /* IFLA_INFO_SLAVE_KIND: "bridge" for a port */
	bool has_stats;
	struct nsc_link_stats stats;
	bool has_carrier_changes;
	uint32_t carrier_changes;

	/* filled by nsc_link_resolve() */
	char master_name[16];           /* "" when master is 0 */
	char link_name[16];             /* the linked device, same namespace only */
	bool link_up;                   /* ... and whether it is up (else ip's M-DOWN) */
	char link_netns[256];           /* name of namespace link_netnsid, or "" */
};

/*
 * Parse one RTM_NEWLINK/RTM_DELLINK message. Returns 0, or -EINVAL if it is
 * not a link message or is malformed. Does no I/O: a monitor can call it on
 * events.
 */
int nsc_link_parse(const struct nlmsghdr *nlh, struct nsc_link *l);

enum nsc_link_list_flags {
	NSC_LINK_STATS = 1 << 0,        /* ask for counters */
};

/*
 * The links of NETNS (ifname NULL) or just the one named ifname, resolved
 * (master and peer names filled). A missing ifname is -ENODEV with
 * `device "X" not found in netns "N"`. Free with free().
 */
int nsc_link_list(struct nsc_ctx *ctx, const char *netns, const char *ifname,
		  unsigned flags, struct nsc_link **out, size_t *n,
		  struct nsc_error *e);

/*
 * Fill master_name, link_name, link_up and link_netns of links[0..n) that
 * live in NETNS, using all[0..nall) (may be NULL) before asking the kernel.
 */
int nsc_link_resolve(struct nsc_ctx *ctx, const char *netns,
		     struct nsc_link *links, size_t n,
		     const struct nsc_link *all, size_t nall, struct nsc_error *e);

/* ---- add ---- */

enum nsc_vxlan_remote {
	NSC_VXLAN_NONE,
	NSC_VXLAN_REMOTE,               /* unicast peer */
	NSC_VXLAN_GROUP,                /* multicast group (needs dev) */
};

/* What `link add` may say. Zero means "not given" for every field. */
struct nsc_link_add {
	const char *name;
	const char *kind;               /* "veth", "bridge", "vxlan", "macvlan", ... */
	const char *netns;              /* create the link there (IFLA_NET_NS_FD) */
	uint32_t mtu;                   /* for a veth: both ends */
	bool has_address;
	uint8_t address[6];
	uint32_t txqlen;
	bool has_txqlen;

	/* veth */
	const char *peer;               /* NULL: the kernel picks vethN */
	const char *peer_netns;
	bool has_peer_address;
	uint8_t peer_address[6];

	/* macvlan, macvtap: the lower device (in the namespace the request goes to) */
	const char *lower;
	uint32_t macvlan_mode;          /* MACVLAN_MODE_*, 0: kernel default (vepa) */

	/* vxlan */
	uint32_t vni;
	bool has_vni;
	struct nsc_prefix local;        /* family 0: none */
	enum nsc_vxlan_remote remote_kind;
	struct nsc_prefix remote;
	uint16_t dstport;               /* 0 with has_dstport: the kernel default */
	bool has_dstport;
	const char *dev;                /* underlying device (vxlan "dev") */
	uint8_t ttl;
	bool has_ttl;
};

/*
 * A usage error naming the kind meant when KIND is no kind of link the
 * kernel makes but close to one ("brdge": "bridge"), for link NAME; 0 for
 * every other word (the kernel may know it). nsc_link_add_check() makes it.
 */
int nsc_link_kind_check(const char *name, const char *kind, struct nsc_error *e);

/*
 * The checks nsc_link_add() makes before it sends anything (names, and a
 * pair that would have one name twice in one namespace): usage errors, for
 * a caller that wants them found before it acts (a batch pre-pass).
 */
int nsc_link_add_check(const char *netns, const struct nsc_link_add *a,
		       struct nsc_error *e);

/*
 * Create a link with one RTM_NEWLINK (NLM_F_CREATE|NLM_F_EXCL) sent to NETNS.
 * A veth pair is made with each end put straight into its namespace, so a
 * failure leaves neither end behind.
 */
int nsc_link_add(struct nsc_ctx *ctx, const char *netns,
		 const struct nsc_link_add *a, struct nsc_error *e);

/* Delete link NAME in NETNS (a veth takes its peer with it). */
int nsc_link_del(struct nsc_ctx *ctx, const char *netns, const char *name,
		 struct nsc_error *e);

/* ---- set ---- */

struct nsc_link_change {
	bool up, down;
	uint32_t mtu;                   /* 0: unchanged */
	bool has_address;
	uint8_t address[6];
	const char *name;               /* new name */
	const char *master;             /* in the namespace the link ends up in */
	bool nomaster;
	const char *netns;              /* move there (IFLA_NET_NS_FD) */
	bool has_txqlen;
	uint32_t txqlen;
};

/*
 * Change link DEV of NETNS in one request. The kernel moves the link first
 * (renaming it on the way if name is set), then applies the rest there, so a
 * master is looked up in the destination namespace.
 */
int nsc_link_set(struct nsc_ctx *ctx, const char *netns, const char *dev,
		 const struct nsc_link_change *c, struct nsc_error *e);

/* ---- veth ---- */

struct nsc_veth {
	struct nsc_link link;           /* this end, resolved */
	int peer_ifindex;               /* 0: no peer (being torn down) */
	char peer[16];                  /* peer's name, "" if it could not be read */
	bool peer_here;                 /* the peer is in the same namespace */
	int peer_netnsid;               /* -1 when peer_here */
	/*
	 * The name of the peer's namespace: NETNS itself when peer_here, the
	 * named namespace whose id in NETNS is peer_netnsid otherwise; NULL
	 * when it has no name (e.g. the caller's own namespace).
	 */
	char *peer_netns;
};

/* The veth ends in NETNS (ifname NULL) or the end named ifname. */
int nsc_veth_list(struct nsc_ctx *ctx, const char *netns, const char *ifname,
		  struct nsc_veth **out, size_t *n, struct nsc_error *e);
void nsc_veth_list_free(struct nsc_veth *v, size_t n);

/* Delete veth NAME (and so its peer); refuses links that are not veths. */
int nsc_veth_del(struct nsc_ctx *ctx, const char *netns, const char *name,
		 struct nsc_error *e);

#endif
