/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ready.c: once apply has built the network, the exec commands and the
 * ready checks. */
#ifndef NETNSCTL_LAB_READY_H
#define NETNSCTL_LAB_READY_H

#include <netnsctl/ctx.h>
#include <netnsctl/lab.h>

/* An exec command's time, unless $NETNSCTL_LAB_EXEC_TIMEOUT says otherwise. */
#define LAB_EXEC_MAX_S 30

/* Run node's exec commands in its namespace, in order; the first failure
 * is an error that cites the command's place in the file. */
int lab_exec_node(struct nsc_ctx *ctx, const struct nsc_lab *lab,
		  const struct nsc_lab_node *node, int out_fd, int dfd, struct nsc_error *e);
/* Wait until every ready check passes, each within its timeout, all at
 * once; DFD: the lab's state dir (its services' status). */
int lab_ready_wait(struct nsc_ctx *ctx, const struct nsc_lab *lab, int dfd, struct nsc_error *e);

#endif
