/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NETNSCTL_LAB_H
#define NETNSCTL_LAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netnsctl/capture.h>
#include <netnsctl/ctx.h>
#include <netnsctl/error.h>
#include <netnsctl/impair.h>
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

/*
 * A machine of a lab that spans several (the file's "hosts:"): its underlay
 * address, the device that carries it, and how to run netnsctl there.
 */
struct nsc_lab_host {
	char *name;
	struct nsc_prefix address;      /* len -1; IPv4 or IPv6 */
	char *dev;                      /* the underlay device, or NULL */
	char *netnsctl;                 /* the program there: "netnsctl" */
	char **via;                     /* argv prefix: ["ssh", NAME] */
	size_t n_via;
	struct nsc_lab_pos pos;
};

enum nsc_lab_restart {
	NSC_LAB_RESTART_NO,
	NSC_LAB_RESTART_ON_FAILURE,
	NSC_LAB_RESTART_ALWAYS,
};

/*
 * A service: a long-lived process a node runs, held by the lab's supervisor
 * (netnsctl-lab(5) "services"). A cmd given as a string is argv
 * {"/bin/sh", "-c", STRING}.
 */
struct nsc_lab_service {
	char *name;                     /* "web": the service is NODE.web */
	char **argv;                    /* NULL-terminated */
	size_t argc;
	char **env;                     /* "KEY=VALUE", sorted by key */
	size_t n_env;
	char *cwd, *user;               /* or NULL */
	char **after;                   /* "NODE.SERVICE" */
	size_t n_after;
	struct nsc_lab_pos *after_pos;
	enum nsc_lab_restart restart;
	uint16_t ready_tcp;             /* a port, 0: none */
	char *ready_cmd;                /* sh -c inside the node, or NULL */
	unsigned ready_timeout;         /* seconds, default NSC_LAB_READY_TIMEOUT */
	struct nsc_lab_pos pos;
};

struct nsc_lab_node {
	char *name;                     /* "r1" */
	char *host_ref;                 /* as the file says, or NULL */
	struct nsc_lab_host *host;      /* when the lab has hosts */
	struct nsc_lab_pos host_pos;
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
	struct nsc_lab_service *services;
	size_t n_services;
	struct nsc_lab_pos pos;         /* of the node's name */
};

struct nsc_lab_bridge {
	char *name;                     /* an interface name in LAB._switch */
	uint32_t mtu;                   /* its own, else defaults.mtu, else 0 (unset) */
	char *host_ref;
	struct nsc_lab_host *host;
	struct nsc_lab_pos host_pos;
	size_t n_ports;                 /* link ends on it */
	uint8_t mac[6];                 /* nsc_lab_mac(LAB, "_switch", NAME) */
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
	/* "dynamic: true": DHCP, SLAAC or a routing daemon also puts addresses
	 * and routes on it; those the lab did not make are not drift */
	bool dynamic;
	bool has_mac;                   /* always, once read: */
	bool mac_derived;               /* mac is nsc_lab_mac()'s, not the file's */
	uint8_t mac[6];
	/* what this end sends: the link's "impair" with the end's own keys over
	 * it (im.set 0: none), checked whole; its position: the end's own, else
	 * the link's */
	struct nsc_impair impair;
	struct nsc_lab_pos impair_pos;
	struct nsc_lab_pos pos, ref_pos, ifname_pos;  /* map, node/bridge value, ifname */
};

/* A veth pair; at least one end is on a node. Its ends on two hosts: a
 * VXLAN pair, with VNI vni (nsc_lab_vni()). */
struct nsc_lab_link {
	struct nsc_lab_end a, b;
	uint32_t mtu;                   /* its own, else defaults.mtu, else 0 (unset) */
	struct nsc_impair impair;       /* its own "impair" (both ways), as written */
	bool has_vni;                   /* the file's "vni:" */
	uint32_t vni;                   /* crossing links: always set */
	struct nsc_lab_pos pos, vni_pos;
};

/*
 * A link end of a host's share (nsc_lab_share()) whose other end is on
 * another host: a VXLAN device made in this host's namespace over the
 * underlay and put straight into the end's namespace.
 */
struct nsc_lab_vxlan {
	struct nsc_lab_end end;         /* this host's end */
	const struct nsc_lab_host *local, *remote;
	uint32_t vni;
	uint16_t port;                  /* UDP destination port */
	uint32_t mtu;                   /* the link's, else what the underlay leaves */
	uint32_t max_mtu;               /* what the underlay leaves */
	char dev[16];                   /* the underlay device here */
	const char *other;              /* "NODE IFNAME" or "BRIDGE" over there */
	char *other_buf;
	struct nsc_lab_pos pos;         /* of the link */
};

/*
 * Once the lab is up, wait until FROM can ping PING, connect to TCP:PORT,
 * or run CMD with exit status 0, at most TIMEOUT s; or (SERVICE) until
 * that service's own check passed (from: the service's node). All of a
 * lab's checks run at once.
 */
enum nsc_lab_ready_kind {
	NSC_LAB_READY_PING,
	NSC_LAB_READY_TCP,
	NSC_LAB_READY_CMD,
	NSC_LAB_READY_SERVICE,
};

struct nsc_lab_ready {
	enum nsc_lab_ready_kind kind;
	struct nsc_lab_node *from;
	char *service;                  /* SERVICE: "NODE.SERVICE", else NULL */
	struct nsc_prefix ping;         /* PING: len -1 */
	struct nsc_prefix tcp;          /* TCP: the address (len -1), and its port */
	uint16_t port;
	char *cmd;                      /* CMD: sh -c inside FROM */
	unsigned timeout;               /* seconds, default 10 */
	struct nsc_lab_pos pos, from_pos;
};

struct nsc_lab {
	char *file;                     /* as given, for messages */
	char *text;                     /* the file as read (NUL-terminated), kept
					 * as the copy apply records */
	size_t text_len;
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
	struct nsc_lab_host *hosts;     /* "hosts:", in file order; none: one machine */
	size_t n_hosts;
	uint32_t vni_base;              /* defaults.vni_base */
	uint16_t vxlan_port;            /* defaults.vxlan_port, else 4789 */
	bool hostname;                  /* defaults.hostname: each node its own UTS
					 * namespace, hostname = the node's name */
	const struct nsc_lab_host *share; /* nsc_lab_share()'s host, or NULL */
	struct nsc_lab_vxlan *vxlans;   /* the share's crossing link ends */
	size_t n_vxlans;
	struct nsc_lab_pos pos;         /* of the name */
};

#define NSC_LAB_VXLAN_PORT 4789
#define NSC_LAB_VNI_MAX 0xffffff

/*
 * The VNI of crossing link L of LAB: its "vni:", else vni_base plus a hash
 * of the lab's name and the link's two ends ("NODE:IFNAME" or "BRIDGE",
 * sorted) folded into the VNIs above vni_base, stepping past VNIs taken by
 * earlier links. Reading a lab fills every crossing link's vni this way;
 * two links with one VNI are refused.
 */
uint32_t nsc_lab_vni_hash(const struct nsc_lab *lab, const struct nsc_lab_link *l);

/*
 * Cut LAB down to HOST's share: its nodes, bridges, links with both ends
 * on it, and ready checks from its nodes; a link with one end on it becomes
 * a VXLAN end (lab->vxlans) whose MTU, unless the file sets one, is the
 * underlay device's less the VXLAN overhead (50 bytes over IPv4, 70 over
 * IPv6), read in the caller's namespace. A usage error when the lab has
 * no hosts or no host HOST.
 */
int nsc_lab_share(struct nsc_ctx *ctx, struct nsc_lab *lab, const char *host,
		  struct nsc_error *e);
const struct nsc_lab_host *nsc_lab_host(const struct nsc_lab *lab, const char *name);

/*
 * The MAC of link end IFNAME in node NODE (NSC_LAB_SWITCH for a bridge or
 * its ports) of lab LAB, when the file gives none: 48 bits of the 64-bit
 * FNV-1a hash of "LAB\0NODE\0IFNAME" (no final NUL), least significant
 * byte first, with the locally administered bit set and the multicast bit
 * clear. A re-made end gets the MAC it had, so neighbours' caches stay
 * right. Reading a lab fills every end without a "mac:" this way.
 */
void nsc_lab_mac(const char *lab, const char *node, const char *ifname, uint8_t mac[6]);

/*
 * Where the lab's own model (its addresses, routes, links and sysctls, as
 * the file has them) breaks the way of ready check R (ping or tcp): walked
 * hop by hop from R's node to the address and back. 1 with the reason in
 * buf ("node \"mid\" has no route to 192.0.2.77"), 0 when the file shows a
 * way (or R is not a ping nor tcp check, or LAB is a host's share: only
 * part of the way). Pure: looks at nothing else.
 */
int nsc_lab_ready_path(const struct nsc_lab *lab, const struct nsc_lab_ready *r,
		       char *buf, size_t size);

/* ready check R as text: "left pings 192.0.2.1", "left connects to
 * [2001:db8::1]:80", "left runs \"CMD\"", "service a.web". */
const char *nsc_lab_ready_str(const struct nsc_lab_ready *r, char *buf, size_t size);

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
const struct nsc_lab_service *nsc_lab_service(const struct nsc_lab *lab, const char *node,
					      const char *name);

/*
 * Put "FILE:LINE:COLUMN: " in front of an error a later step (apply) filled,
 * so that it cites the file. Keeps code, usage and ext_ack; returns -code.
 */
int nsc_lab_err_at(const struct nsc_lab *lab, struct nsc_lab_pos pos,
		   struct nsc_error *e);

/* A lab name: letters, digits, '-' and '_', starting with a letter or a
 * digit, at most NSC_LAB_NAME_MAX bytes. A usage error otherwise. */
#define NSC_LAB_NAME_MAX 247
int nsc_lab_name_check(const char *name, struct nsc_error *e);

/* ====================================================================
 * Bringing the system to a lab: apply, diff, destroy (netnsctl-lab(8)).
 *
 * Ownership. A lab keeps state under a directory of netnsctl's own, one
 * directory per lab (STATE_DIR/LAB, mode 0700, flock'ed while changed):
 * a copy of the file last applied, the boot it was applied in, and one
 * record per object it made: a namespace by name, device and inode (and
 * the kernel's never-reused namespace cookie), a link by namespace, name
 * and ifindex, an address, route or neighbour by what identifies it. Every
 * link a lab makes also carries a marker, its ifalias "netnsctl-lab:LAB"
 * (nsc_lab_marker()). Nothing is ever removed unless it is both recorded and
 * still identified (a namespace: same inode and cookie; a link: same ifindex
 * and marker): an object that only has a lab's name is left alone. Records
 * are appended to a journal as objects are made, so a failed (even killed)
 * apply leaves what it made recorded; the state file is rewritten
 * atomically (temp file + rename) when an apply ends.
 *
 * STATE_DIR is $NETNSCTL_STATE_DIR if set, else the parent of the ctx's run
 * dir + "/netnsctl/labs" (/var/run/netns -> /var/run/netnsctl/labs), unless
 * opts->state_dir says otherwise.
 *
 * These functions use ctx like the rest of the library (one socket per
 * namespace, cached), plus short-lived threads of their own that enter the
 * lab's namespaces (to open their sockets, read or write sysctls, ping);
 * apply forks for exec commands. As ever, one ctx per thread. A report
 * starts zeroed ({ 0 }) and is freed with nsc_lab_report_free().
 * ==================================================================== */

struct nsc_lab_opts {
	const char *state_dir;          /* NULL: as above */
	bool dry_run;                   /* apply: plan only, change nothing */
	bool prune;                     /* apply: also remove what the lab made and
					 * the file no longer holds */
	bool no_ready;                  /* apply: skip the ready checks */
	bool force_ready;               /* apply: run them even when nothing was to do */
	bool kill;                      /* destroy: also end every process left
					 * inside the lab's namespaces */
	/*
	 * apply: where exec commands' standard output goes: an fd, or -1 to
	 * inherit the caller's (their standard error is always inherited).
	 */
	int exec_stdout;
	/*
	 * apply: workers for the steps that can run at once (the lab's new
	 * namespaces); 0 or 1: one step at a time.
	 */
	unsigned jobs;
};
#define NSC_LAB_OPTS_INIT { .exec_stdout = -1 }

/* What an object of a difference is. */
enum nsc_lab_kind {
	NSC_LAB_NETNS,                  /* a node's namespace, or LAB._switch */
	NSC_LAB_LINK,                   /* a veth pair (dev: the end in netns) */
	NSC_LAB_BRIDGE,
	NSC_LAB_ADDRESS,
	NSC_LAB_ROUTE,
	NSC_LAB_NEIGHBOUR,
	NSC_LAB_SYSCTL,
	NSC_LAB_EXEC,                   /* a node's exec commands */
	NSC_LAB_SERVICE,                /* a node's service (object: its name) */
	NSC_LAB_HOSTS,                  /* a node's hosts file (object: its path) */
	NSC_LAB_HOSTNAME,               /* a node's UTS namespace (object: the hostname) */
};

enum nsc_lab_change {
	NSC_LAB_MISSING,                /* the file has it, the system does not */
	NSC_LAB_EXTRA,                  /* the system has it, the file does not */
	NSC_LAB_DIFFERS,                /* both have it, attr differs */
	NSC_LAB_FOREIGN,                /* the file's object exists, not made by the lab */
};

/*
 * One difference between the file and the system, and what apply does
 * about it (action). Strings are owned by the report.
 */
struct nsc_lab_item {
	enum nsc_lab_kind kind;
	enum nsc_lab_change change;
	char *netns;                    /* where: "demo.r1" */
	char *dev;                      /* the interface, or NULL */
	char *object;                   /* which: "203.0.113.1/30", "veth to
					 * demo.r2 eth1", "net.ipv4.ip_forward",
					 * "default", "198.51.100.0/24 metric 10"
					 * (a metric not the kernel's default),
					 * "2 commands"... or NULL */
	char *attr;                     /* DIFFERS: "mtu", "mac", "state",
					 * "master", "peer", "prefix length",
					 * "route", "lladdr", "value", "commands";
					 * else NULL */
	char *have, *want;              /* DIFFERS: values as text (have NULL:
					 * could not be read). MISSING: want is a
					 * route's "via X dev Y", a neighbour's
					 * lladdr, a sysctl's value. FOREIGN: have
					 * says why. EXTRA: have is "recorded" when
					 * the lab made it; want a route's "via X
					 * dev Y" */
	struct nsc_lab_pos pos;         /* in the file; {0, 0} for extras */
	bool action;                    /* apply acts on it (make, change, or
					 * with prune remove) */
	bool done;                      /* apply did it */
	char *cmd;                      /* action, in a dry run's or a diff's
					 * report: the netnsctl batch lines that
					 * do it ("\n" between lines); NULL in
					 * an apply's */
};

struct nsc_lab_report {
	char *name;                     /* the lab */
	struct nsc_lab_item *items;     /* in the order apply acts */
	size_t n_items;
	size_t n_actions;               /* items with action */
	size_t n_done;                  /* actions apply did */
	bool ready_run;                 /* apply ran the ready checks (all passed) */
	char **ready_cmd;               /* dry run: the ready checks as batch lines */
	size_t n_ready_cmd;
	/* destroy */
	size_t n_deleted;               /* namespaces removed */
	unsigned holders;               /* processes still inside them */
};

/* Free what a report holds (not the struct itself); it may be reused. */
void nsc_lab_report_free(struct nsc_lab_report *r);

/*
 * Bring the system to LAB: make what is missing, change what differs (mtu,
 * mac, up, master, addresses, routes, neighbours, sysctls), run the exec
 * commands of nodes made or whose commands changed, then the ready checks
 * (when anything was done, or the last apply did not finish). A veth end
 * of the lab's whose peer is not the file's (or is gone) is made again in
 * its pair. With opts->prune, first remove what the lab made that the file
 * no longer holds. Objects that only have one of the lab's names (a
 * namespace someone else made, a link without the marker) are never taken
 * over: the apply is refused before anything changes (-EEXIST).
 *
 * report (may be NULL) gets every difference found and what was done;
 * n_actions == 0 means the lab was up to date. With opts->dry_run nothing
 * changes (no state is written, not even a directory): the report's cmd
 * lines, then ready_cmd, are the plan as netnsctl batch lines.
 * On failure e names the step (with FILE:LINE:COLUMN of the object) and the
 * state keeps everything made so far, so nsc_lab_destroy() removes it.
 */
int nsc_lab_apply(struct nsc_ctx *ctx, const struct nsc_lab *lab,
		  const struct nsc_lab_opts *opts, struct nsc_lab_report *report,
		  struct nsc_error *e);

/*
 * The differences between LAB and the system, as apply (with opts->prune as
 * given) would see them. Changes nothing. 0 with report->n_items == 0 when
 * they match.
 */
int nsc_lab_diff(struct nsc_ctx *ctx, const struct nsc_lab *lab,
		 const struct nsc_lab_opts *opts, struct nsc_lab_report *report,
		 struct nsc_error *e);

/*
 * Remove what lab NAME made, from its state alone (the file is not needed),
 * then its state. Namespaces named like the lab's that it did not make are
 * left alone and listed in report (FOREIGN items). -ENOENT when NAME has no
 * state here. State from an earlier boot is just removed.
 */
int nsc_lab_destroy(struct nsc_ctx *ctx, const char *name,
		    const struct nsc_lab_opts *opts, struct nsc_lab_report *report,
		    struct nsc_error *e);

/* A lab with state here. */
struct nsc_lab_info {
	char *name;
	char *file;                     /* the file last applied (absolute), or "<stdin>" */
	bool complete;                  /* the last apply finished */
	bool stale;                     /* state from an earlier boot */
	size_t n_netns;                 /* namespaces it made (recorded) */
	size_t n_links;                 /* link ends it made (recorded) */
};

/* Labs with state, sorted by name. Free with nsc_lab_info_free(). */
int nsc_lab_list(struct nsc_ctx *ctx, const struct nsc_lab_opts *opts,
		 struct nsc_lab_info **out, size_t *n, struct nsc_error *e);
void nsc_lab_info_free(struct nsc_lab_info *v, size_t n);

/* The lab NAME as last applied (the state's copy of the file), and its
 * info (may be NULL). -ENOENT when NAME has no state here. */
int nsc_lab_load(struct nsc_ctx *ctx, const struct nsc_lab_opts *opts, const char *name,
		 struct nsc_lab **out, struct nsc_lab_info *info, struct nsc_error *e);

/* Remove the state of labs from an earlier boot (and any stale name files
 * they recorded); *names (may be NULL) gets theirs. */
int nsc_lab_gc(struct nsc_ctx *ctx, const struct nsc_lab_opts *opts,
	       char ***names, size_t *n, struct nsc_error *e);

/* The state dir in use (see above), into buf. */
int nsc_lab_state_dir(struct nsc_ctx *ctx, const struct nsc_lab_opts *opts,
		      char *buf, size_t size, struct nsc_error *e);

/*
 * The UTS namespace of NETNS when it is node NODE of a lab LAB with state
 * here ("LAB.NODE") made with defaults.hostname: 1 and its file's path in
 * buf (for nsc_exec_opts.uts); 0 when there is none (not a lab's node, no
 * hostname, or a state dir that is not the euid's alone).
 */
int nsc_lab_uts(struct nsc_ctx *ctx, const struct nsc_lab_opts *opts, const char *netns,
		char *buf, size_t size);

/* The marker ("netnsctl-lab:NAME", shortened with a hash when over 255
 * bytes) that links of lab NAME carry as ifalias. */
void nsc_lab_marker(const char *name, char buf[256]);

/*
 * What lab objects exist, for show: each wanted namespace and link end,
 * whether it is there and the lab's. Arrays parallel to lab->nodes, to
 * lab->bridges and to lab->links (a, b).
 */
enum nsc_lab_presence {
	NSC_LAB_ABSENT,
	NSC_LAB_PRESENT,                /* there, made by the lab */
	NSC_LAB_NOT_OURS,               /* there, not made by the lab */
};

struct nsc_lab_status {
	enum nsc_lab_presence *nodes;
	enum nsc_lab_presence switch_ns;
	enum nsc_lab_presence *bridges;
	enum nsc_lab_presence (*ends)[2];
};
int nsc_lab_status(struct nsc_ctx *ctx, const struct nsc_lab *lab,
		   const struct nsc_lab_opts *opts, struct nsc_lab_status *st,
		   struct nsc_error *e);
void nsc_lab_status_free(struct nsc_lab_status *st);

/*
 * The interfaces of a lab to capture on (netnsctl-lab(8), lab capture):
 * interface IFNAME of node NODE (any interface it has, lo too); link ends,
 * each "N" (the Nth link in the file, from 1: its first end on a node) or
 * "NODE:IF" (that end); every port of a bridge, in LAB._switch. Each is
 * labelled "NODE:IF" (a bridge port "BRIDGE:PORT", described by the node
 * end it leads to); one named twice is captured once. Usage errors name
 * what the lab lacks. *out's netns and ifname point into lab (or sel): free
 * it with nsc_lab_capture_free() before them.
 */
struct nsc_lab_capture_sel {
	const char *node, *ifname;      /* NODE IF, or NULL */
	const char *const *links;       /* "N" or "NODE:IF" */
	size_t n_links;
	const char *const *bridges;
	size_t n_bridges;
};
int nsc_lab_capture_ifs(const struct nsc_lab *lab, const struct nsc_lab_capture_sel *sel,
			struct nsc_capture_if **out, size_t *n, struct nsc_error *e);
void nsc_lab_capture_free(struct nsc_capture_if *ifs, size_t n);

/*
 * A lab's services as its supervisor holds them (lab ps): one a service,
 * those of NODE only unless NODE is NULL. state is "starting", "ready" (its
 * ready check passed), "running" (it has none), "exited" or "failed" (could
 * not run, or never got ready). pid 0 and uptime -1 when it is not running;
 * exit_status -1 when it never ended (128+N: killed by signal N). An empty
 * list when the lab has no services. Free with nsc_lab_ps_free().
 */
struct nsc_lab_svc {
	char *node, *service;
	const char *state;
	int pid;
	int exit_status;
	unsigned restarts;
	long long uptime;               /* seconds */
};
int nsc_lab_ps(struct nsc_ctx *ctx, const struct nsc_lab_opts *opts, const char *name,
	       const char *node, struct nsc_lab_svc **out, size_t *n, struct nsc_error *e);
void nsc_lab_ps_free(struct nsc_lab_svc *v, size_t n);
/* The log of service NODE.SERVICE of lab NAME, open to read: the fd or
 * -errno (e filled). Its output, at most 1 MiB (then moved to a ".1" file,
 * one old file kept). */
int nsc_lab_log_open(struct nsc_ctx *ctx, const struct nsc_lab_opts *opts, const char *name,
		     const char *node, const char *service, struct nsc_error *e);

#endif
