// SPDX-License-Identifier: GPL-2.0-or-later
/* Printing rtnetlink events for monitor --all: filled in once the object
 * parsers (link, addr, route, neigh) are in. */
#include "monitor_print.h"

void monitor_print_netlink(struct cli *c, const char *ns, const struct nlmsghdr *nlh)
{
	(void)c;
	(void)ns;
	(void)nlh;
}
