/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Printing labs: differences (text, JSON), show, graph (DOT). */
#ifndef NETNSCTL_LAB_PRINT_H
#define NETNSCTL_LAB_PRINT_H

#include <stdio.h>
#include <netnsctl/lab.h>

#include "json.h"

/* One line for a difference, without a newline: "demo.r1 eth1: missing
 * address 203.0.113.1/30". */
void lab_item_text(FILE *f, const struct nsc_lab_item *it);

enum {
	LAB_ITEM_DONE = 1 << 0,         /* add "done" */
	LAB_ITEM_CMD = 1 << 1,          /* add "cmd" (batch lines) */
};
void lab_item_json(struct json *j, const struct nsc_lab_item *it, unsigned flags);

/* info may be NULL (a file never applied), st NULL (not looked at). */
void lab_show_text(FILE *f, const struct nsc_lab *lab, const struct nsc_lab_info *info,
		   const struct nsc_lab_status *st);
void lab_show_json(struct json *j, const struct nsc_lab *lab, const struct nsc_lab_info *info,
		   const struct nsc_lab_status *st);

/* The lab as a Graphviz graph: nodes, bridges, links labelled with their
 * interfaces and addresses (dot -Tsvg). */
void lab_graph(FILE *f, const struct nsc_lab *lab);

#endif
