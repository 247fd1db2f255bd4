/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The plan: the lab file against the system as a job saw it, and the lab's
 * records. Each difference is a step (step.c); a step apply can act on
 * carries what it needs and the netnsctl batch lines that would do the
 * same (cmd.c). plan.c makes the plan: namespaces, sysctls and exec
 * commands itself, links in plan_link.c, addresses, routes and neighbours
 * in plan_ip.c.
 */
#ifndef NETNSCTL_LAB_PLAN_H
#define NETNSCTL_LAB_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lab/change.h"
#include "lab/job.h"

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
	OP_VXLAN_ADD,
	OP_LINK_SET,
	OP_ADDR_ADD,
	OP_ADDR_REPLACE,
	OP_ROUTE_ADD,
	OP_ROUTE_REPLACE,
	OP_NEIGH_SET,
	OP_EXEC,
	OP_SERVICE,                     /* the supervisor reconciles them all */
	OP_IMPAIR,                      /* a link end's root qdisc (plan_impair.c) */
	OP_HOSTS,                       /* a node's hosts file written (plan_hosts.c) */
	OP_HOSTS_DEL,                   /* removed */
	OP_UTS,                         /* a node's UTS namespace made (plan_hosts.c) */
	OP_UTS_DEL,
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
	PH_HOSTS,                       /* before exec commands and services use them */
	PH_EXEC,
	PH_SERVICE,
};

struct lab_step {
	enum lab_op op;
	enum lab_phase phase;
	size_t seq;
	struct nsc_lab_item item;
	struct lab_ns *ns;
	struct lab_ns *peer_ns;         /* VETH_ADD, LINK_DEL: the other end's */
	const struct nsc_lab_link *link;
	const struct nsc_lab_vxlan *vxlan;  /* VXLAN_ADD */
	const struct nsc_lab_end *end;
	const struct nsc_lab_bridge *bridge;
	const struct nsc_lab_node *node;
	const struct nsc_lab_service *service;  /* SERVICE: NULL when stopped */
	const struct nsc_lab_route *route;
	const struct nsc_lab_neigh *neigh;
	const char *ifname;             /* the interface acted on */
	long rec;                       /* *_DEL: index of the record, -1 */
	int ifindex;                    /* LINK_DEL, LINK_SET */
	bool blocking;                  /* in the way: apply refuses to start */
	/*
	 * What one kind of step alone carries (a 1000-leaf lab plans some 5000
	 * steps, in one array: these side by side made it twice the size).
	 * Only the step's op reads or writes its part.
	 */
	union {
		char peer_if[16];       /* LINK_DEL: the other end (in peer_ns) */
		struct {                /* ADDR_* */
			struct nsc_prefix prefix;       /* len set */
			int old_len;    /* ADDR_REPLACE: the length to remove */
		};
		struct lab_route old_route;     /* ROUTE_DEL */
		struct lab_neigh old_neigh;     /* NEIGH_DEL */
		struct {                /* SYSCTL */
			const char *sysctl_name, *sysctl_value;
		};
		uint64_t exec_hash;     /* EXEC */
		struct {                /* LINK_SET */
			struct nsc_link_index_set set;
			const char *master;     /* master's name */
			bool set_mac;   /* to mac (set.mac is filled when sent:
					 * steps move while the plan grows) */
			uint8_t mac[6];
		};
	};
};

/* ---- plan.c ---- */

/* Make the plan of an open job: its steps, sorted in phase order. */
int lab_plan(struct lab_job *job, struct nsc_error *e);

/* ---- step.c: a step, and the strings of its item ---- */

/* A new step of the job (NULL, with job->nomem, when out of memory). */
struct lab_step *lab_step_new(struct lab_job *job, enum lab_op op, enum lab_phase phase,
			      enum nsc_lab_kind kind, enum nsc_lab_change change,
			      struct lab_ns *ns, const char *dev, struct nsc_lab_pos pos);
/* s is a difference in ATTR: HAVE against WANT. */
void lab_step_differs(struct lab_job *job, struct lab_step *s, const char *attr,
		      const char *have, const char *want);
/* A recorded extra: "recorded" as have, and the record's index. */
void lab_step_recorded(struct lab_job *job, struct lab_step *s, const struct lab_rec *rec);
/* Strings for items: NULL with job->nomem when out of memory. */
char *lab_job_fmt(struct lab_job *job, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
char *lab_job_dup(struct lab_job *job, const char *s);

/* ---- plan_link.c: bridges and veth pairs ---- */

void lab_plan_bridges(struct lab_job *job);
void lab_plan_links(struct lab_job *job);      /* and a share's VXLAN ends */
void lab_plan_vxlans(struct lab_job *job);
/* Links in the lab's namespaces that the file does not have. */
void lab_plan_extra_links(struct lab_job *job);

/* ---- plan_impair.c: what link ends send ---- */

/* Steps for the ends whose impairment is not the file's; with apply, a file
 * that needs netem where the kernel has none is refused here, before any
 * change. 0 or -errno. */
int lab_plan_impairs(struct lab_job *job, struct nsc_error *e);

/* ---- plan_ip.c: addresses, routes, neighbours ---- */

/* The addresses of every node's interfaces (lo, link ends). */
void lab_plan_addrs(struct lab_job *job);
/* A node's routes, then its neighbours: the file's, then what else is there. */
void lab_plan_node_ip(struct lab_job *job, const struct nsc_lab_node *node);

/* ---- plan_hosts.c: the nodes' hosts files ---- */

/* The file's nodes' hosts files, and those recorded for nodes gone; the
 * same for their UTS namespaces (defaults.hostname). */
void lab_plan_hosts(struct lab_job *job);

/* ---- cmd.c: steps as netnsctl batch lines ---- */

int lab_step_cmd(const struct lab_step *s, char **out);
int lab_ready_cmd(const struct nsc_lab_ready *r, char **out);

#endif
