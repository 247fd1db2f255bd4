/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The namespaces a batch line acts in (batch_lanes.c): pure, unit-tested. */
#ifndef NETNSCTL_BATCH_LANES_H
#define NETNSCTL_BATCH_LANES_H

#include <stdbool.h>

#define BATCH_LANES_MAX 8
#define BATCH_LANE_ROOT ""      /* the caller's own namespace (no name is empty) */

struct batch_lanes {
	const char *name[BATCH_LANES_MAX];      /* pointers into argv */
	unsigned n;
};

/*
 * The lanes of a line whose command is argv[0] (after the global options:
 * -n NETNS, or NULL; PRINTS when -j, -s or -br asked for output). false: a
 * barrier. name[0] is where the line mostly acts (its worker's choice).
 */
bool batch_lanes_of(const char *netns, bool prints, int argc, char **argv,
		    struct batch_lanes *l);

#endif
