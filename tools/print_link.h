/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Printing links, addresses and veth ends, as text close to ip's and as JSON
 * with ip -j's field names and types. One object per call, so a monitor can
 * print events with the same functions.
 */
#ifndef NETNSCTL_PRINT_LINK_H
#define NETNSCTL_PRINT_LINK_H

#include "cli.h"

/* `link show`: one link (text lines, or one JSON object). -s/-s -s add counters. */
void print_link(struct cli *c, const struct nsc_link *l);
/* `link show -br` */
void print_link_brief(struct cli *c, const struct nsc_link *l);

/*
 * `addr show`: a link and its addresses a[0..n) (those of other links are
 * skipped). With -4/-6 the link/ether line is left out, as ip does.
 */
void print_link_addrs(struct cli *c, const struct nsc_link *l,
		      const struct nsc_addr *a, size_t n);
void print_link_addrs_brief(struct cli *c, const struct nsc_link *l,
			    const struct nsc_addr *a, size_t n);
/* print_addr.c: one address, the "    inet ..." lines or one addr_info JSON object;
 * its -br form, "ADDR/LEN " or {"local", "prefixlen"} */
void print_addr(struct cli *c, const struct nsc_addr *a);
void print_addr_brief(struct cli *c, const struct nsc_addr *a);

/* The operstate as ip names it ("UP", "LOWERLAYERDOWN"...), or NULL. */
const char *print_operstate(const struct nsc_link *l);

/* `veth show`: one veth end with its peer (the JSON shape is ours). */
void print_veth(struct cli *c, const struct nsc_veth *v);

/* print_stats.c: "stats64" (with -s -s the error counters too), and the
 * text lines from "    RX:" to the last number, with no newline after it. */
void print_stats_json(struct cli *c, const struct nsc_link *l);
void print_stats_text(struct cli *c, const struct nsc_link *l);

#endif
