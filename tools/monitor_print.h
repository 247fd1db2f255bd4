/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NETNSCTL_MONITOR_PRINT_H
#define NETNSCTL_MONITOR_PRINT_H

#include "cli.h"

struct nlmsghdr;

/* One rtnetlink event from inside namespace NS, as a line (or JSON line). */
void monitor_print_netlink(struct cli *c, const char *ns, const struct nlmsghdr *nlh);

#endif
