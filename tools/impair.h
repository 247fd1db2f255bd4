/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Impairments on the command line (impair, lab impair) and qdiscs printed. */
#ifndef NETNSCTL_TOOLS_IMPAIR_H
#define NETNSCTL_TOOLS_IMPAIR_H

#include "kwargs.h"

/*
 * "clear" alone, or the keys of an impairment in any order: rate R, burst B,
 * limit L, delay T [JITTER] [CORR%], jitter T, loss P [CORR%], duplicate P
 * [CORR%], reorder P [CORR%], corrupt P [CORR%]. Up to the end of the words:
 * 0, or a usage error printed.
 */
int impair_args(struct kargs *k, struct nsc_impair *im, bool *clear);

/* lab impair NAME NODE IFNAME ...: cmd_lab_impair.c */
int lab_impair(struct kargs *k);
extern const char lab_impair_help[];

/* One qdisc as tc prints it (dev: its device's name, NULL when not shown). */
void print_qdisc(struct cli *c, const struct nsc_qdisc *q, const char *dev);

#endif
