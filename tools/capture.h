/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * capture and lab capture share their options, their filter and the run
 * itself (cmd_capture.c): only how the interfaces are named differs.
 */
#ifndef NETNSCTL_TOOLS_CAPTURE_H
#define NETNSCTL_TOOLS_CAPTURE_H

#include "kwargs.h"

struct capture_args {
	const char *out;                /* -w FILE, "-" standard output; NULL: stdout */
	uint64_t count;                 /* -c */
	uint32_t duration;              /* --duration */
	uint32_t snaplen;               /* -s */
	bool pcapng, no_promisc;        /* --pcapng, -p */
	bool immediate;                 /* --immediate-mode */
	uint32_t buffer_kib;            /* -B */
	char *filter;                   /* the words left, joined; NULL: none */
	/* lab capture only: --link, --bridge (pointers into argv) */
	const char **links, **bridges;
	size_t n_links, n_bridges;
};

/* The options from k's cursor on, then the filter (every word left). LAB
 * allows --link and --bridge. EXIT_OK or a usage error printed. */
int capture_parse(struct kargs *k, struct capture_args *a, bool lab);
void capture_args_free(struct capture_args *a);

/* Capture on IFS[0..N) as A says: the exit code, after printing. */
int capture_run(struct cli *c, const struct capture_args *a, const struct nsc_capture_if *ifs,
		size_t n);

#endif
