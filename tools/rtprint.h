/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Printing one route or one neighbour, in text like ip's and in JSON with
 * ip -j's field names and types. Shared by route, neigh and monitor.
 */
#ifndef NETNSCTL_RTPRINT_H
#define NETNSCTL_RTPRINT_H

#include "cli.h"

/* fields a selector already fixes, left out as ip leaves them out */
enum {
	RTP_HIDE_DEV = 1 << 0,
	RTP_HIDE_TABLE = 1 << 1,
	RTP_HIDE_PROTO = 1 << 2,
	RTP_HIDE_SCOPE = 1 << 3,
	RTP_HIDE_TYPE = 1 << 4,
	RTP_HIDE_VIA = 1 << 5,
	RTP_HIDE_PREFSRC = 1 << 6,
};

struct rtprint {
	const struct nsc_ifmap *ifmap;  /* names of the namespace's links, or NULL */
	/* else (or when the map lacks an index) ask namespace netns, one
	 * lookup a name: for events, where no map is loaded */
	struct nsc_ctx *ctx;            /* NULL: print "if<index>" */
	const char *netns;
	const struct nsc_rtnames *names;        /* NULL: built-in names only */
	unsigned hide;                  /* RTP_HIDE_* */
};

/* One object: a JSON object (the caller opens and closes the array), or
 * one text line (two for a cached route, more for multipath). */
void rtprint_route(struct cli *c, const struct rtprint *p, const struct nsc_route *r);
void rtprint_neigh(struct cli *c, const struct rtprint *p, const struct nsc_neigh *n);

/* The same as list callbacks (nsc_route_list, nsc_neigh_list): arg is a job. */
struct rtprint_job {
	struct cli *c;
	struct rtprint p;
};
int rtprint_route_cb(const struct nsc_route *r, void *job);
int rtprint_neigh_cb(const struct nsc_neigh *n, void *job);

#endif
