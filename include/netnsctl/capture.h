/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NETNSCTL_CAPTURE_H
#define NETNSCTL_CAPTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netnsctl/ctx.h>
#include <netnsctl/error.h>

/*
 * Packet capture with libpcap, on interfaces inside named namespaces.
 *
 * A packet socket belongs for life to the namespace it was opened in, so
 * each interface is opened by a short-lived thread that enters its
 * namespace (the process never moves, as for netlink sockets): the handle
 * then keeps capturing there from the main thread. One interface is
 * written as classic pcap (as tcpdump -w writes), several as one pcapng
 * file with an Interface Description Block each, named by its label
 * (if_name), so tcpdump 4.99 and Wireshark tell them apart.
 *
 * libpcap's types never leave the library.
 */

struct nsc_capture_if {
	const char *netns;              /* NULL: the caller's own */
	const char *ifname;
	const char *label;              /* the name in files and messages
					 * ("r1:eth0"); NULL: ifname */
	const char *descr;              /* pcapng if_description, or NULL */
};

#define NSC_CAPTURE_SNAPLEN 262144      /* tcpdump's default */

struct nsc_capture_opts {
	const char *filter;             /* tcpdump's filter grammar, or NULL */
	uint32_t snaplen;               /* 0: NSC_CAPTURE_SNAPLEN */
	bool pcapng;                    /* pcapng even for one interface */
	bool no_promisc;                /* do not put the interfaces in promiscuous mode */
	bool immediate;                 /* hand over each packet at once (else in
					 * blocks, at most 100 ms late: faster) */
	uint32_t buffer_kib;            /* the ring's size; 0: libpcap's (2 MiB) */
};

struct nsc_capture;

/*
 * Open IFS[0..N) and compile and set the filter on each. Nothing is
 * written yet. Errors: a missing namespace or device (ENODEV, named), a
 * filter libpcap refuses (a usage error with libpcap's words), libpcap's
 * own (permissions: EPERM). Free with nsc_capture_free().
 */
int nsc_capture_open(struct nsc_ctx *ctx, const struct nsc_capture_if *ifs, size_t n,
		     const struct nsc_capture_opts *opts, struct nsc_capture **out,
		     struct nsc_error *e);
void nsc_capture_free(struct nsc_capture *cap);

/* What interface I is: its label, link type ("EN10MB", "Ethernet") and
 * snap length, for a "listening on" line. */
struct nsc_capture_ifinfo {
	const char *label;
	const char *netns;              /* NULL: the caller's own */
	const char *linktype, *linktype_descr;
	uint32_t snaplen;
};
size_t nsc_capture_n(const struct nsc_capture *cap);
void nsc_capture_ifinfo(const struct nsc_capture *cap, size_t i, struct nsc_capture_ifinfo *out);

struct nsc_capture_run {
	int out_fd;                     /* where the file goes */
	uint64_t count;                 /* stop after this many packets; 0: never */
	unsigned duration;              /* stop after this many seconds; 0: never */
	int stop_fd;                    /* stop when readable (a signalfd), or -1 */
};

struct nsc_capture_stats {
	uint64_t captured;              /* packets written */
	uint64_t dropped;               /* by the kernel (ring full): every interface */
};

/*
 * Capture until COUNT packets, DURATION seconds, STOP_FD readable, or an
 * error (a write error: EPIPE when a pipe's reader has gone; an interface
 * that went away: ENETDOWN). After DURATION or STOP_FD, the packets the
 * kernel took already are still written (a buffered capture waits up to
 * its block timeout for them). Writes the file's header first and flushes
 * after each round of packets, so a pipe's reader sees them at once.
 * stats are filled in every case.
 */
int nsc_capture_loop(struct nsc_capture *cap, const struct nsc_capture_run *run,
		     struct nsc_capture_stats *stats, struct nsc_error *e);

#endif
