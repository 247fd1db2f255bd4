/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Printing labs: differences (text, JSON), show, graph (DOT). */
#ifndef NETNSCTL_LAB_PRINT_H
#define NETNSCTL_LAB_PRINT_H

#include <stdio.h>
#include <netnsctl/lab.h>

#include "cli.h"
#include "kwargs.h"

/* One line for a difference, without a newline: "demo.r1 eth1: missing
 * address 203.0.113.1/30". */
void lab_item_text(FILE *f, const struct nsc_lab_item *it);

enum {
	LAB_ITEM_DONE = 1 << 0,         /* add "done" */
	LAB_ITEM_CMD = 1 << 1,          /* add "cmd" (batch lines) */
};
void lab_item_json(struct json *j, const struct nsc_lab_item *it, unsigned flags);

/* cmd_lab_svc.c: lab ps, lab logs */
extern const char lab_ps_help[], lab_logs_help[];
int lab_ps(struct kargs *k);
int lab_logs(struct kargs *k);

/* info may be NULL (a file never applied), st NULL (not looked at). */
void lab_show_text(FILE *f, const struct nsc_lab *lab, const struct nsc_lab_info *info,
		   const struct nsc_lab_status *st);
void lab_show_json(struct json *j, const struct nsc_lab *lab, const struct nsc_lab_info *info,
		   const struct nsc_lab_status *st);
/* {"name": NAME, "netns": NETNS[, "exists": EXISTS] (a node, a bridge): the caller
 * adds the rest and closes it */
void lab_json_named(struct json *j, const char *name, const char *netns, const char *exists);

/* The lab as a Graphviz graph: nodes, bridges, links labelled with their
 * interfaces and addresses (dot -Tsvg). */
void lab_graph(FILE *f, const struct nsc_lab *lab);

/* lab_hosts.c: --all-hosts. Run "lab ARGS... - --host NAME" on each host of
 * LAB (those with only[i], or all) through its via, the file on standard
 * input, all at once; print each one's lines after its name, and its
 * failure on one line. *worst: the highest exit (255: not started or
 * killed). EXIT_OK unless nothing could start. */
int lab_hosts_run(struct cli *c, const struct nsc_lab *lab, const bool *only,
		  const char *const *args, size_t n_args, int *worst);

/* lab_report.c: what the lab commands print about what they did. */
/* validate: "NAME: N nodes, N bridges, N links, N ready checks" */
void lab_report_summary(struct cli *c, const struct nsc_lab *lab);
/* The items of r (those with an action only, or all), one a line or a JSON object */
void lab_report_items(struct cli *c, const struct nsc_lab_report *r, bool actions_only,
		      unsigned flags);
/* apply --dry-run: the plan as batch lines */
void lab_report_plan(struct cli *c, const struct nsc_lab *lab, const struct nsc_lab_report *r);
/* apply: "NAME: N changes, ready", and with verbose each change */
void lab_report_applied(struct cli *c, const struct nsc_lab *lab,
			const struct nsc_lab_report *r, bool verbose);
/* destroy: "NAME: destroyed (N namespaces)" */
void lab_report_destroyed(struct cli *c, const char *name, const struct nsc_lab_report *r);
/* list: one lab with state here */
void lab_report_info(struct cli *c, const struct nsc_lab_info *l);

#endif
