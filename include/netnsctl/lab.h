/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NETNSCTL_LAB_H
#define NETNSCTL_LAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netnsctl/error.h>
#include <netnsctl/parse.h>

/*
 * A lab: namespaces, links, addresses and routes described in one YAML (or
 * JSON) file; the format is netnsctl-lab(5). Reading a file validates all of
 * it: a lab that reads without error is complete and consistent (names are
 * valid and unique, every reference resolves, addresses and routes make
 * sense), so whoever walks it (apply, diff, destroy, run) can act without
 * checking again. Reading never touches the system.
 *
 * Node NODE of lab LAB is the namespace "LAB.NODE"; bridges all live in one
 * namespace, "LAB._switch", made only when the lab has bridges.
 */

#define NSC_LAB_VERSION 1

/* Bounds on what is read; netnsctl-lab(5) documents them. */
#define NSC_LAB_MAX_FILE (1024 * 1024)  /* bytes */
#define NSC_LAB_MAX_DEPTH 16            /* nested lists and maps */
#define NSC_LAB_MAX_ENTRIES 4096        /* entries of any one list or map */
#define NSC_LAB_MAX_VALUES 65536        /* values in the whole file */
#define NSC_LAB_MAX_SCALAR 4096         /* bytes of one scalar */
#define NSC_LAB_MAX_NODES 1024
#define NSC_LAB_MAX_BRIDGES 256

/* Where something was written: 1-based line and column (characters, as
 * libyaml counts them). {0, 0} for anything not from the file. */
struct nsc_lab_pos {
	unsigned line, col;
};

/* An interface address. A bare address is a host prefix (/32, /128). */
struct nsc_lab_addr {
	struct nsc_prefix prefix;       /* len is always set */
	struct nsc_lab_pos pos;
};

struct nsc_lab_sysctl {
	char *name;                     /* "net.ipv4.ip_forward": starts "net." */
	char *value;                    /* the scalar as written: "1" */
	struct nsc_lab_pos pos;
};

struct nsc_lab_route {
	struct nsc_prefix to;           /* len set; "default": len 0, family of via */
	bool has_via;
	struct nsc_prefix via;          /* an address (len -1), same family as to */
	char *dev;                      /* an interface of the node, or NULL */
	bool has_metric;
	uint32_t metric;
	struct nsc_lab_pos pos, to_pos, via_pos, dev_pos;
};

struct nsc_lab_neigh {
	char *dev;                      /* an interface of the node */
	struct nsc_prefix address;      /* len -1 */
	uint8_t lladdr[6];
	struct nsc_lab_pos pos, dev_pos;
};

struct nsc_lab_exec {
	char *cmd;                      /* a shell command line (sh -c) */
	struct nsc_lab_pos pos;
};

struct nsc_lab_node {
	char *name;                     /* "r1" */
	char *netns;                    /* "LAB.r1" */
	struct nsc_lab_addr *loopback;  /* addresses on lo */
	size_t n_loopback;
	struct nsc_lab_sysctl *sysctls; /* the node's own; defaults are apart */
	size_t n_sysctls;
	struct nsc_lab_route *routes;
	size_t n_routes;
	struct nsc_lab_neigh *neighs;
	size_t n_neighs;
	struct nsc_lab_exec *exec;
	size_t n_exec;
	struct nsc_lab_pos pos;         /* of the node's name */
};

struct nsc_lab_bridge {
	char *name;                     /* an interface name in LAB._switch */
	uint32_t mtu;                   /* its own, else defaults.mtu, else 0 (unset) */
	size_t n_ports;                 /* link ends on it */
	struct nsc_lab_pos pos;
};

enum nsc_lab_end_kind {
	NSC_LAB_END_NODE,
	NSC_LAB_END_BRIDGE,
};

/*
 * One end of a veth pair. A node end is interface IFNAME in namespace
 * LAB.NODE with its addresses and MAC. A bridge end is a port of BRIDGE in
 * LAB._switch named "BRIDGE-K" (K: 1, 2, ... in file order among the
 * bridge's links) unless the file gives an ifname.
 */
struct nsc_lab_end {
	enum nsc_lab_end_kind kind;
	struct nsc_lab_node *node;      /* NODE ends */
	struct nsc_lab_bridge *bridge;  /* BRIDGE ends */
	char *ifname;                   /* always set */
	struct nsc_lab_addr *addrs;     /* NODE ends only */
	size_t n_addrs;
	bool has_mac;
	uint8_t mac[6];
	struct nsc_lab_pos pos, ref_pos, ifname_pos;  /* map, node/bridge value, ifname */
};

/* A veth pair; at least one end is on a node. */
struct nsc_lab_link {
	struct nsc_lab_end a, b;
	uint32_t mtu;                   /* its own, else defaults.mtu, else 0 (unset) */
	struct nsc_lab_pos pos;
};

/* Once the lab is up, wait until FROM can ping PING, at most TIMEOUT s. */
struct nsc_lab_ready {
	struct nsc_lab_node *from;
	struct nsc_prefix ping;         /* len -1 */
	unsigned timeout;               /* seconds, default 10 */
	struct nsc_lab_pos pos, from_pos;
};

struct nsc_lab {
	char *file;                     /* as given, for messages */
	char *name;
	char *switch_netns;             /* "LAB._switch" */
	uint32_t mtu;                   /* defaults.mtu, 0 if none */
	struct nsc_lab_sysctl *sysctls; /* defaults.sysctls: every node, first */
	size_t n_sysctls;
	struct nsc_lab_node *nodes;     /* in file order */
	size_t n_nodes;
	struct nsc_lab_bridge *bridges;
	size_t n_bridges;
	struct nsc_lab_link *links;
	size_t n_links;
	struct nsc_lab_ready *ready;
	size_t n_ready;
	struct nsc_lab_pos pos;         /* of the name */
};

#define NSC_LAB_READY_TIMEOUT 10
#define NSC_LAB_SWITCH "_switch"

/*
 * Read and validate a lab. FILE names the input in messages. On error,
 * *out is untouched and e is a usage error whose message reads
 * "FILE:LINE:COLUMN: what was wrong" (or names the file when it cannot be
 * read at all). Free the lab with nsc_lab_free().
 */
int nsc_lab_read_file(const char *path, struct nsc_lab **out, struct nsc_error *e);
int nsc_lab_read_fd(int fd, const char *file, struct nsc_lab **out, struct nsc_error *e);
int nsc_lab_read_mem(const char *buf, size_t len, const char *file,
		     struct nsc_lab **out, struct nsc_error *e);
void nsc_lab_free(struct nsc_lab *lab);

/* Look up by name; NULL when there is none. */
struct nsc_lab_node *nsc_lab_node(const struct nsc_lab *lab, const char *name);
struct nsc_lab_bridge *nsc_lab_bridge(const struct nsc_lab *lab, const char *name);

/*
 * Put "FILE:LINE:COLUMN: " in front of an error a later step (apply) filled,
 * so that it cites the file. Keeps code, usage and ext_ack; returns -code.
 */
int nsc_lab_err_at(const struct nsc_lab *lab, struct nsc_lab_pos pos,
		   struct nsc_error *e);

#endif
