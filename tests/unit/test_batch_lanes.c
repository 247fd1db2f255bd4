// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests for the namespaces a batch line acts in (tools/batch_lanes.c). */
#include <string.h>

#include "batch_lanes.h"
#include "tap.h"

#define W(...) ((char *[]){ __VA_ARGS__, NULL })
#define N(v) ((int)(sizeof(v) / sizeof((v)[0])) - 1)

static bool lanes(const char *netns, bool prints, char **argv, int argc, const char *want)
{
	struct batch_lanes l;
	char got[256] = "";

	if (!batch_lanes_of(netns, prints, argc, argv, &l))
		return want == NULL;
	for (unsigned i = 0; i < l.n; i++) {
		strcat(got, i ? " " : "");
		strcat(got, l.name[i][0] ? l.name[i] : "ROOT");
	}
	return want && !strcmp(got, want);
}

int main(void)
{
	char **v;

	v = W("add", "a", "b");
	ok(lanes(NULL, false, v, N(W("add", "a", "b")), "a b"), "add: each name");
	v = W("add", "--lo-down", "--", "-x");
	ok(lanes(NULL, false, v, 4, "-x"), "add: options skipped, names after --");
	v = W("link", "set", "eth0", "up");
	ok(lanes("n1", false, v, 4, "n1"), "-n NS link set: NS");
	ok(lanes(NULL, false, v, 4, "ROOT"), "link set without -n: the caller's namespace");
	v = W("link", "set", "eth0", "netns", "n2");
	ok(lanes("n1", false, v, 5, "n1 n2"), "link set netns: both");
	v = W("veth", "add", "h1", "netns", "hub", "peer", "eth0", "netns", "leaf1");
	ok(lanes(NULL, false, v, 9, "hub leaf1"), "a pair placed both ends: those two only");
	v = W("veth", "add", "h1", "peer", "eth0", "netns", "leaf1");
	ok(lanes(NULL, false, v, 7, "leaf1 ROOT"), "one end here: the caller's namespace too");
	v = W("addr", "add", "192.0.2.1/24", "dev", "eth0");
	ok(lanes("n1", false, v, 5, "n1"), "addr add");
	ok(lanes("n1", true, v, 5, NULL), "-j: a barrier (it prints)");
	v = W("link", "del", "h1");
	ok(lanes("n1", false, v, 3, NULL), "a delete: a barrier (a veth peer goes too)");
	v = W("link", "show");
	ok(lanes("n1", false, v, 2, NULL), "show: a barrier");
	v = W("addr", "add", "-h");
	ok(lanes("n1", false, v, 3, NULL), "help: a barrier");
	v = W("exec", "n1", "true");
	ok(lanes(NULL, false, v, 3, NULL), "exec: a barrier");
	v = W("delete", "n1");
	ok(lanes(NULL, false, v, 2, NULL), "delete: a barrier");
	v = W("add");
	ok(lanes(NULL, false, v, 1, NULL), "a bare command: a barrier");
	v = W("link", "set", "x", "netns", "a", "netns", "b", "netns", "c", "netns", "d",
	      "netns", "e", "netns", "f", "netns", "g", "netns", "h", "netns", "i");
	ok(lanes("n", false, v, 21, NULL), "more namespaces than followed: a barrier");
	return tap_done();
}
