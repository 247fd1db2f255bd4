// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Which namespaces a batch line acts in, so a parallel batch (batch_par.c)
 * knows which lines are independent. Lines are read as they are written:
 * `add NAME...` acts in each NAME; `[-n NS] link|addr|route|neigh|veth
 * add|set|change|replace|append|prepend ...` in NS (or the caller's own
 * namespace, the "root" lane) and in every namespace named after a `netns`
 * keyword (a pair added with both ends placed so: in those two only).
 * Everything else is a barrier: it runs alone, after every line before it
 * and before every line after it. That covers what reaches
 * namespaces the words do not name (deleting a veth end deletes its peer
 * wherever that is; delete, attach, exec, lab, run), and what prints
 * (show, list, -j, help), whose output keeps its place that way.
 */
#include <string.h>

#include "batch_lanes.h"

static bool one_of(const char *w, const char *const *set)
{
	for (; *set; set++)
		if (!strcmp(w, *set))
			return true;
	return false;
}

static bool add_lane(struct batch_lanes *l, const char *name)
{
	for (unsigned i = 0; i < l->n; i++)
		if (!strcmp(l->name[i], name))
			return true;
	if (l->n == BATCH_LANES_MAX)
		return false;   /* too many to follow: a barrier */
	l->name[l->n++] = name;
	return true;
}

bool batch_lanes_of(const char *netns, bool prints, int argc, char **argv,
		    struct batch_lanes *l)
{
	static const char *const groups[] = {
		"link", "addr", "address", "route", "neigh", "neighbour", "neighbor", "veth", NULL,
	};
	static const char *const changes[] = {
		"add", "set", "change", "replace", "append", "prepend", NULL,
	};
	static const char *const help[] = { "-h", "--help", "help", NULL };
	unsigned places = 0;

	l->n = 0;
	if (prints || argc < 2)
		return false;
	for (int i = 1; i < argc; i++)
		if (one_of(argv[i], help))
			return false;
	if (!strcmp(argv[0], "add") && !netns) {
		bool names = false;

		for (int i = 1; i < argc; i++) {
			if (!names && !strcmp(argv[i], "--")) {
				names = true;
			} else if (!names && argv[i][0] == '-') {
				continue;       /* --lo-down */
			} else if (!add_lane(l, argv[i])) {
				return false;
			}
		}
		return l->n > 0;
	}
	if (!one_of(argv[0], groups) || !one_of(argv[1], changes))
		return false;
	if (netns && !add_lane(l, netns))
		return false;
	for (int i = 2; i + 1 < argc; i++) {
		if (!strcmp(argv[i], "netns")) {
			if (!add_lane(l, argv[++i]))
				return false;
			places++;
		}
	}
	/*
	 * The request goes through NS's socket (the caller's without -n), and
	 * the ends go there unless placed: a pair with both ends placed elsewhere
	 * leaves it alone (most of a lab's veth lines: not one long root lane).
	 */
	if (!netns && !(places == 2 && !strcmp(argv[1], "add")) &&
	    !add_lane(l, BATCH_LANE_ROOT))
		return false;
	return true;
}
