/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What apply, diff and destroy share (lab_state.c, lab_sys.c, lab_diff.c,
 * lab_apply.c, lab_ready.c, lab_destroy.c): ownership records, the system
 * as observed, and the plan.
 */
#ifndef NETNSCTL_LAB_RUN_H
#define NETNSCTL_LAB_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <netnsctl/lab.h>
#include <netnsctl/link.h>
#include <netnsctl/addr.h>
#include <netnsctl/route.h>
#include <netnsctl/neigh.h>

#include "core/core.h"
#include "lab/model.h"

/* ---- lab_state.c: state dir, lock, records, journal ---- */

enum lab_rec_type {
	REC_NS,                         /* netns; id: dev, ino, cookie */
	REC_LINK,                       /* netns, dev; id[0]: ifindex */
	REC_ADDR,                       /* netns, dev, key: prefix */
	REC_ROUTE,                      /* netns, key: destination prefix; id[0]: metric */
	REC_NEIGH,                      /* netns, dev, key: address */
	REC_EXEC,                       /* netns, key: hash of the commands last run */
	REC_NTYPES
};

struct lab_rec {
	enum lab_rec_type type;
	char *netns;
	char *dev;                      /* NULL when the type has none */
	char *key;                      /* NULL when the type has none */
	uint64_t id[3];
	bool dead;                      /* removed (kept for its slot) */
};

struct lab_state {
	char *root;                     /* the state dir, holding one dir per lab */
	char *name;
	char *dir;                      /* root/name */
	int dfd;                        /* the lab's dir, flock'ed; -1: none */
	int jfd;                        /* journal, opened on first append; -1 */
	bool writable;                  /* opened to change */
	bool found;                     /* there was state */
	bool stale;                     /* from an earlier boot: records mean nothing */
	bool complete;                  /* the last apply finished */
	char *file;                     /* the file last applied */
	char boot[64];                  /* this boot's id */
	struct lab_rec *v;
	size_t n, cap;
	size_t *slots;                  /* hash of record keys: index + 1, 0 empty */
	size_t nslots;
};

int lab_state_root(struct nsc_ctx *ctx, const struct nsc_lab_opts *opts, char **out,
		   struct nsc_error *e);
/*
 * Open the state of lab NAME: to read it (shared lock), to change it
 * (exclusive), or to change it making the dir when missing (apply).
 * st->found says whether there was state.
 */
enum lab_open {
	LAB_READ,
	LAB_PEEK,                       /* read, without waiting for a lock */
	LAB_CHANGE,
	LAB_CREATE,
};
int lab_state_open(struct nsc_ctx *ctx, const struct nsc_lab_opts *opts, const char *name,
		   enum lab_open how, struct lab_state *st, struct nsc_error *e);
void lab_state_close(struct lab_state *st);

struct lab_rec *lab_rec_find(struct lab_state *st, enum lab_rec_type type, const char *netns,
			     const char *dev, const char *key, uint64_t route_metric);
/* Record (or re-record) an object, appending to the journal. */
int lab_rec_put(struct lab_state *st, enum lab_rec_type type, const char *netns,
		const char *dev, const char *key, const uint64_t id[3], struct nsc_error *e);
/* Forget a record (journal "-"). */
int lab_rec_drop(struct lab_state *st, struct lab_rec *r, struct nsc_error *e);
/* Forget every record of namespace NETNS but the namespace itself. */
int lab_rec_drop_inside(struct lab_state *st, const char *netns, struct nsc_error *e);

/* An apply starts: the copy of the file, status incomplete. */
int lab_state_begin(struct lab_state *st, const struct nsc_lab *lab, struct nsc_error *e);
/* Rewrite the state file from the records (temp + rename), drop the journal. */
int lab_state_commit(struct lab_state *st, bool complete, struct nsc_error *e);
/* Remove the lab's state entirely (while locked). */
int lab_state_remove(struct lab_state *st, struct nsc_error *e);
/* Read the copy of the file the state holds. */
int lab_state_read_lab(struct lab_state *st, struct nsc_lab **out, struct nsc_error *e);


/* ---- lab_sys.c: the system as it is ---- */

struct lab_link {
	struct nsc_link l;
	char alias[256];                /* "" when none */
	bool wanted;                    /* the file has it (plan) */
	bool doomed;                    /* the plan removes it */
};

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
	size_t n_names;
	int addr_family;                /* OBS_ADDRS: AF_INET, AF_INET6, 0: both */
	unsigned observed;              /* OBS_* dumped */
	uint64_t dev, ino, cookie;
	int fd;                         /* open namespace, -1 */
	struct lab_link *links;
	size_t n_links, cap_links;
	struct nsc_addr *addrs;
	size_t n_addrs;
	struct lab_route *routes;
	size_t n_routes;
	struct lab_neigh *neighs;
	size_t n_neighs;
};

/* Is there a namespace NAME, and which (dev, ino)? Keeps it open (ns->fd). */
int lab_ns_probe(struct nsc_ctx *ctx, struct lab_ns *ns, struct nsc_error *e);

enum {
	OBS_ROUTES = 1 << 0,
	OBS_NEIGHS = 1 << 1,
	OBS_LINKS = 1 << 2,             /* links: ns->names only, or all (OBS_ALL_LINKS) */
	OBS_ROUTES4 = 1 << 3,           /* IPv4 routes only: with OBS_ROUTES */
	OBS_ROUTES6 = 1 << 4,           /* IPv6 routes only: with OBS_ROUTES */
	OBS_ALL_LINKS = 1 << 5,         /* every link (a dump): extras can be told */
	OBS_ADDRS = 1 << 6,             /* addresses, of ns->addr_family (0: both) */
};

/*
 * lab_scan.c: for each of v[0..n): probe it; when st records it with the
 * same inode, open its socket (all in a few threads, each entering one
 * namespace after another) and compare the cookie (ns->ours); then, for the
 * lab's, dump what ns->want asks (OBS_*) into ns, sets ns->observed.
 */
int lab_ns_scan(struct nsc_ctx *ctx, struct lab_state *st, struct lab_ns *v, size_t n,
		struct nsc_error *e);
/* The cookie of a namespace made just now, over its (checked) socket. */
int lab_ns_cookie(struct nsc_ctx *ctx, struct lab_ns *ns, uint64_t *cookie,
		  struct nsc_error *e);
/* Just which: lab_ns_scan without dumps. */
int lab_ns_identify(struct nsc_ctx *ctx, struct lab_state *st, struct lab_ns *ns,
		    struct nsc_error *e);

/* One link (ifname) or all (NULL) of ns over s, kept in ns->links. */
int lab_links_fetch(struct nsc_sock *s, struct lab_ns *ns, const char *ifname,
		    struct lab_link **out, struct nsc_error *e);
void lab_ns_clear(struct lab_ns *ns);
struct lab_link *lab_ns_link(struct lab_ns *ns, const char *ifname);
struct lab_link *lab_ns_link_index(struct lab_ns *ns, int ifindex);
/* Add (or refresh) what we know of a link we just made, by asking for it. */
int lab_ns_learn_link(struct nsc_ctx *ctx, struct lab_ns *ns, const char *ifname,
		      struct lab_link **out, struct nsc_error *e);

/* Read or write sysctls, each inside its namespace (one thread, setns). */
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

/* lab_route.c: routes (main table; what: OBS_ROUTES4/6 for one family) and
 * permanent neighbours, one dump each over s. */
int lab_route_observe(struct nsc_sock *s, struct lab_ns *ns, unsigned what,
		      struct nsc_error *e);
int lab_neigh_observe(struct nsc_sock *s, struct lab_ns *ns, struct nsc_error *e);
/* Add (replace: or replace) a route of the file, delete one seen. */
int lab_route_add(struct nsc_ctx *ctx, const char *netns, const struct nsc_lab_route *rt,
		  bool replace, struct nsc_error *e);
int lab_route_del(struct nsc_ctx *ctx, const char *netns, const struct lab_route *rt,
		  struct nsc_error *e);
int lab_neigh_set(struct nsc_ctx *ctx, const char *netns, const struct nsc_lab_neigh *nb,
		  struct nsc_error *e);
int lab_neigh_del(struct nsc_ctx *ctx, const char *netns, const char *dev,
		  const struct nsc_prefix *dst, struct nsc_error *e);

/* A change to link IFINDEX in NS, in one RTM_NEWLINK. */
struct lab_link_set {
	bool up;
	uint32_t mtu;                   /* 0: unchanged */
	const uint8_t *mac;             /* NULL: unchanged */
	int master;                     /* 0: unchanged */
	const char *alias;              /* NULL: unchanged */
};
int lab_link_set(struct nsc_ctx *ctx, const char *netns, int ifindex,
		 const struct lab_link_set *c, struct nsc_error *e);


/* ---- lab_plan.c, lab_diff.c: the plan, and a run around it ---- */

enum lab_op {
	OP_NONE,                        /* reported only */
	OP_NS_DEL,
	OP_LINK_DEL,
	OP_ADDR_DEL,
	OP_ROUTE_DEL,
	OP_NEIGH_DEL,
	OP_NS_ADD,
	OP_SYSCTL,
	OP_BRIDGE_ADD,
	OP_VETH_ADD,
	OP_LINK_SET,
	OP_ADDR_ADD,
	OP_ADDR_REPLACE,
	OP_ROUTE_ADD,
	OP_ROUTE_REPLACE,
	OP_NEIGH_SET,
	OP_EXEC,
};

/* When each kind of step runs: apply walks the plan in this order. */
enum lab_phase {
	PH_REPORT,
	PH_DEL_INSIDE,                  /* addresses, routes, neighbours */
	PH_DEL_LINK,
	PH_DEL_NS,
	PH_NS,
	PH_SYSCTL,
	PH_BRIDGE,
	PH_LINK,
	PH_LINK_SET,
	PH_ADDR,
	PH_ROUTE,
	PH_NEIGH,
	PH_SYSCTL_LATE,                 /* per-interface sysctls */
	PH_EXEC,
};

struct lab_step {
	enum lab_op op;
	enum lab_phase phase;
	size_t seq;
	struct nsc_lab_item item;
	struct lab_ns *ns;
	struct lab_ns *peer_ns;         /* VETH_ADD, LINK_DEL: the other end's */
	char peer_if[16];               /* LINK_DEL: the other end (in peer_ns) */
	const struct nsc_lab_link *link;
	const struct nsc_lab_end *end;
	const struct nsc_lab_bridge *bridge;
	const struct nsc_lab_node *node;
	const struct nsc_lab_route *route;
	const struct nsc_lab_neigh *neigh;
	const char *ifname;             /* the interface acted on */
	struct nsc_prefix prefix;       /* ADDR_*: len set */
	int old_len;                    /* ADDR_REPLACE: the length to remove */
	struct lab_route old_route;     /* ROUTE_DEL */
	struct lab_neigh old_neigh;     /* NEIGH_DEL */
	const char *sysctl_name, *sysctl_value;
	int ifindex;                    /* LINK_DEL, LINK_SET */
	struct lab_link_set set;        /* LINK_SET */
	const char *master;             /* LINK_SET: master's name */
	bool set_mac;                   /* LINK_SET: to mac (set.mac is filled when sent:
					 * steps move while the plan grows) */
	uint8_t mac[6];
	long rec;                       /* *_DEL: index of the record, -1 */
	uint64_t exec_hash;
	bool blocking;                  /* in the way: apply refuses to start */
};

struct lab_run {
	struct nsc_ctx *ctx;
	const struct nsc_lab *lab;      /* NULL: destroy (records only) */
	struct nsc_lab_opts opts;
	struct lab_state st;
	char marker[256];
	struct lab_ns *ns;
	size_t n_ns;
	struct lab_sysctl_job *jobs;    /* sysctls as read */
	size_t n_jobs;
	struct lab_step *steps;
	size_t n_steps, cap_steps;
	size_t n_actions;
	bool blocked;                   /* some step blocks the apply */
	unsigned holders;               /* processes left in removed namespaces */
	bool need_ready;
	bool nomem;
};

/* Open state (writable or not), probe and observe, then plan. */
/* full: also dump what only shows extras (routes and neighbours of nodes that
 * have none in the file): for diff and --prune. */
int lab_run_prepare(struct lab_run *run, struct nsc_ctx *ctx, const struct nsc_lab *lab,
		    const struct nsc_lab_opts *opts, bool writable, bool full,
		    struct nsc_error *e);
int lab_plan(struct lab_run *run, struct nsc_error *e);
/* The namespace of a node, of a link end (nodes first, then the switch). */
struct lab_ns *lab_node_ns(struct lab_run *run, const struct nsc_lab_node *node);
struct lab_ns *lab_end_ns(struct lab_run *run, const struct nsc_lab_end *end);
/* There, and the lab's, and staying. */
bool lab_ns_usable(const struct lab_ns *ns);
/* Made by the lab: recorded with this ifindex, and marked. */
bool lab_link_ours(struct lab_run *run, const struct lab_ns *ns, const struct lab_link *l);
/* Move the plan's items into report (sorted already). */
int lab_run_report(struct lab_run *run, struct nsc_lab_report *report, struct nsc_error *e);
void lab_run_free(struct lab_run *run);
struct lab_ns *lab_run_ns(struct lab_run *run, const char *name);

/* The hash of a node's exec commands, 0 when it has none. */
uint64_t lab_exec_hash(const struct nsc_lab_node *node);
/* Per-interface sysctl (net.ipv4.conf.IF.x and the like): set once links exist. */
bool lab_sysctl_late(const char *name);

/* ---- lab_cmd.c: steps as netnsctl batch lines ---- */

int lab_step_cmd(const struct lab_run *run, const struct lab_step *s, char **out);
int lab_ready_cmd(const struct nsc_lab *lab, const struct nsc_lab_ready *r, char **out);
/* A word as the batch reader takes it back (quoted when needed). */
int lab_quote(const char *word, char **out);

/* ---- lab_ready.c: exec commands and ready checks ---- */

/* Run node's exec commands in its namespace, in order; the first failure
 * is an error that cites the command's place in the file. */
int lab_exec_node(struct nsc_ctx *ctx, const struct nsc_lab *lab,
		  const struct nsc_lab_node *node, int out_fd, struct nsc_error *e);
/* Wait until every ready check passes, each within its timeout. */
int lab_ready_wait(struct nsc_ctx *ctx, const struct nsc_lab *lab, struct nsc_error *e);

#endif
