/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libnetnsctl: named network namespaces and the networks inside them. */
#ifndef NETNSCTL_H
#define NETNSCTL_H

#include <netnsctl/error.h>
#include <netnsctl/ctx.h>
#include <netnsctl/netns.h>
#include <netnsctl/exec.h>
#include <netnsctl/parse.h>
#include <netnsctl/ifindex.h>
#include <netnsctl/monitor.h>
#include <netnsctl/world.h>
#include <netnsctl/lab.h>
#include <netnsctl/ifmap.h>
#include <netnsctl/rtnames.h>
#include <netnsctl/route.h>
#include <netnsctl/neigh.h>
#include <netnsctl/nsid.h>
#include <netnsctl/link.h>
#include <netnsctl/addr.h>
#include <netnsctl/capture.h>
#include <netnsctl/impair.h>
#include <netnsctl/qdisc.h>

#endif
