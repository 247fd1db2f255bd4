/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Capture files written by hand: classic pcap for one interface, pcapng
 * for several (libpcap 1.10 writes only pcap, and no packaged library
 * writes pcapng). Both in host byte order, which readers detect from the
 * magic number (pcap) or the byte-order magic (pcapng); timestamps in
 * microseconds, the default resolution of both.
 *
 * pcapng (draft-ietf-opsawg-pcapng): one Section Header Block, one Interface
 * Description Block per interface (link type, snap length, if_name and
 * if_description options), then an Enhanced Packet Block per packet naming
 * its interface by the IDB's index. Every block is padded to 32 bits and
 * carries its total length at both ends.
 *
 * The writer buffers; nsc_pcapfile_flush() hands what it holds to the fd
 * (a pipe reader sees each batch of packets as it is flushed).
 */
#ifndef NETNSCTL_BASE_PCAPFILE_H
#define NETNSCTL_BASE_PCAPFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct nsc_pcapfile;

/* A writer on FD (not closed by it), pcapng when NG. 0 or -ENOMEM. */
int nsc_pcapfile_new(int fd, bool ng, struct nsc_pcapfile **out);
void nsc_pcapfile_free(struct nsc_pcapfile *w);

/*
 * The file's header. pcap: one interface, N must be 1 (names are not
 * written). pcapng: the SHB (APP names the writer) and an IDB per
 * interface, NAMES[i] and DESCRS[i] may be NULL.
 */
struct nsc_pcapfile_if {
	uint16_t linktype;              /* DLT_ / LINKTYPE_ value */
	uint32_t snaplen;
	const char *name;               /* pcapng if_name, or NULL */
	const char *descr;              /* pcapng if_description, or NULL */
};
int nsc_pcapfile_header(struct nsc_pcapfile *w, const char *app,
			const struct nsc_pcapfile_if *ifs, size_t n);

/* One packet of interface IF (an index into the header's list). */
int nsc_pcapfile_packet(struct nsc_pcapfile *w, uint32_t ifidx, int64_t sec,
			uint32_t usec, uint32_t caplen, uint32_t len, const void *data);

/* Write what is buffered: 0 or -errno (EPIPE: the reader went away). */
int nsc_pcapfile_flush(struct nsc_pcapfile *w);

#endif
