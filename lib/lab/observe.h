/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The system as a lab sees it: whether each of its namespaces is there and
 * which one it is (scan.c), what is inside, read with one dump per kind per
 * namespace over the namespace's socket (dump.c), and sysctls, read and
 * written from inside (sysctl.c).
 */
#ifndef NETNSCTL_LAB_OBSERVE_H
#define NETNSCTL_LAB_OBSERVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <netnsctl/addr.h>
#include <netnsctl/lab.h>
#include <netnsctl/link.h>
#include <netnsctl/qdisc.h>

#include "core/sock.h"

struct lab_state;

/*
 * What the plan and diff look at of a link (dump.c copies it out of a
 * parsed struct nsc_link): a lab's hub holds one per port, and a struct
 * nsc_link (stats, names of its master and peer, the peer's namespace...)
 * is ten times the size, most of `lab apply`'s heap at 1000 leaves.
 */
struct lab_link_seen {
	int ifindex;
	char ifname[16];
	unsigned flags;                 /* IFF_* */
	bool has_mtu;
	bool has_link;                  /* IFLA_LINK sent: the peer of a veth */
	uint8_t addr_len;               /* as sent (a MAC: 6) */
	uint8_t addr[6];                /* its first 6 bytes: only a MAC is compared */
	uint32_t mtu;
	int master;                     /* ifindex of the master, 0: none */
	int link;                       /* IFLA_LINK */
	int link_netnsid;               /* the peer is in that namespace; -1: same one */
	char kind[16];                  /* IFLA_INFO_KIND: "veth", "bridge", ... or "" */
};

struct lab_link {
	struct lab_link_seen l;
	char *alias;                    /* the ifalias (owned), NULL when none */
	bool wanted;                    /* the file has it (plan) */
	bool doomed;                    /* the plan removes it */
};

/* Does l carry the ifalias marker (the lab's)? */
static inline bool lab_link_marked(const struct lab_link *l, const char *marker)
{
	return l->alias && !strcmp(l->alias, marker);
}

struct lab_route {
	int family;
	struct nsc_prefix dst;          /* len set */
	struct nsc_prefix gw;           /* family 0: none */
	int oif;
	uint32_t metric;
	uint8_t protocol, type;
	unsigned nnh;
};

struct lab_neigh {
	int family, ifindex;
	uint16_t state;
	struct nsc_prefix dst;
	uint8_t lladdr[6];
	bool has_lladdr;
};

enum lab_ns_state {
	NS_ABSENT,
	NS_STALE,                       /* a name file with no namespace on it */
	NS_PRESENT,
};

/* What to dump (lab_ns.want), and what was (lab_ns.observed). */
enum {
	OBS_ROUTES = 1 << 0,
	OBS_NEIGHS = 1 << 1,
	OBS_LINKS = 1 << 2,             /* links: ns->names only, or all (OBS_ALL_LINKS) */
	OBS_ROUTES4 = 1 << 3,           /* IPv4 routes only: with OBS_ROUTES */
	OBS_ROUTES6 = 1 << 4,           /* IPv6 routes only: with OBS_ROUTES */
	OBS_ALL_LINKS = 1 << 5,         /* every link (a dump): extras can be told */
	OBS_ADDRS = 1 << 6,             /* addresses, of ns->addr_family (0: both) */
	OBS_QDISCS = 1 << 7,            /* root qdiscs but the kernel's defaults */
};

/* A namespace of the lab's (the file's, or recorded), as seen. */
struct lab_ns {
	char *name;
	const struct nsc_lab_node *node;        /* NULL: the switch, or not in the file */
	bool wanted;                    /* the file has it */
	bool is_switch;
	enum lab_ns_state state;
	bool ours;                      /* recorded, and the same namespace */
	bool created;                   /* made by this apply */
	bool doomed;                    /* this apply removes it (prune) */
	unsigned want;                  /* OBS_* to dump (scan) */
	const char **names;             /* OBS_LINKS without OBS_ALL_LINKS: these */
	size_t n_names, cap_names;
	int addr_family;                /* OBS_ADDRS: AF_INET, AF_INET6, 0: both */
	unsigned observed;              /* OBS_* dumped */
	uint64_t dev, ino, cookie;
	int fd;                         /* open namespace, -1 */
	struct lab_link *links;
	size_t n_links, cap_links;
	struct nsc_addr *addrs;
	size_t n_addrs, cap_addrs;
	struct lab_route *routes;
	size_t n_routes, cap_routes;
	struct lab_neigh *neighs;
	size_t n_neighs, cap_neighs;
	struct nsc_qdisc *qdiscs;
	size_t n_qdiscs, cap_qdiscs;
};

/* ---- scan.c: which namespace ---- */

/* Is there a namespace NAME, and which (dev, ino)? Keeps it open (ns->fd). */
int lab_ns_probe(struct nsc_ctx *ctx, struct lab_ns *ns, struct nsc_error *e);
/*
 * For each of v[0..n): probe it; when st records it with the same inode,
 * open its socket (all in a few threads, each entering one namespace after
 * another) and compare the cookie (ns->ours); then, for the lab's, dump
 * what ns->want asks (OBS_*) into ns, and set ns->observed.
 */
int lab_ns_scan(struct nsc_ctx *ctx, struct lab_state *st, struct lab_ns *v, size_t n,
		struct nsc_error *e);
/* Just which: lab_ns_scan without dumps. */
int lab_ns_identify(struct nsc_ctx *ctx, struct lab_state *st, struct lab_ns *ns,
		    struct nsc_error *e);
/* The cookie of a namespace made just now, over its (checked) socket. */
int lab_ns_cookie(struct nsc_ctx *ctx, struct lab_ns *ns, uint64_t *cookie,
		  struct nsc_error *e);

/* ---- dump.c: what is inside ---- */

/* The dumps ns->want asks for, over s, into ns (what it held is dropped). */
int lab_ns_dump(struct nsc_sock *s, struct lab_ns *ns, struct nsc_error *e);
/* Add (or refresh) what we know of a link we just made, by asking for it. */
int lab_ns_learn_link(struct nsc_ctx *ctx, struct lab_ns *ns, const char *ifname,
		      struct lab_link **out, struct nsc_error *e);
void lab_ns_clear(struct lab_ns *ns);
struct lab_link *lab_ns_link(struct lab_ns *ns, const char *ifname);
struct lab_link *lab_ns_link_index(struct lab_ns *ns, int ifindex);
/* Give l the ifalias marker we just set on it (0, or -ENOMEM). */
int lab_link_mark(struct lab_link *l, const char *marker);

/* ---- sysctl.c: sysctls, each inside its namespace (one thread, setns) ---- */

struct lab_sysctl_job {
	struct lab_ns *ns;
	const char *name;               /* net.ipv4.ip_forward */
	const char *value;              /* to write, or NULL to read */
	char have[256];                 /* read: the value, whitespace squeezed */
	int err;                        /* positive errno */
};
int lab_sysctl_run(struct nsc_ctx *ctx, struct lab_sysctl_job *jobs, size_t n,
		   struct nsc_error *e);
/* Same value, whitespace aside? */
bool lab_sysctl_same(const char *have, const char *want);

#endif
