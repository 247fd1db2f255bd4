/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The pure halves of rtnl/qdisc.c: the RTM_NEWQDISC that sets an
 * impairment, and the parser of a dumped qdisc. No socket, so the unit
 * tests check the netem and tbf messages byte by byte without a kernel.
 */
#ifndef NETNSCTL_RTNL_TC_H
#define NETNSCTL_RTNL_TC_H

#include <netnsctl/qdisc.h>
#include "core/sock.h"

/*
 * Build in r the request that makes im (resolved: nsc_impair_resolve) the
 * root qdisc of ifindex: netem if im needs it, else tbf; NLM_F_CREATE |
 * NLM_F_REPLACE and handle 0, so that the kernel changes a root of the same
 * kind in place and grafts a new one otherwise. Returns the kind.
 */
const char *nsc_tc_build_impair(struct nsc_req *r, int ifindex, const struct nsc_impair *im);

/* The RTM_DELQDISC of the root qdisc of ifindex. */
void nsc_tc_build_clear(struct nsc_req *r, int ifindex);

/* An RTM_NEWQDISC into q: 0, or -EINVAL for anything else or a short message. */
int nsc_tc_parse(const struct nlmsghdr *nlh, struct nsc_qdisc *q);

/* nanoseconds as the kernel's psched ticks (64 ns each; /proc/net/psched) */
#define NSC_TC_TICK_SHIFT 6

#endif
