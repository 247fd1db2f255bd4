/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libpcap, loaded when a capture starts (pcap_dl.c), not when the program
 * does: libpcap pulls in libdbus, libsystemd, libgcrypt, liblzma, libzstd,
 * liblz4, libcap and libgpg-error on Debian, and loading and relocating
 * them cost every netnsctl command about a millisecond (a no-op `lab apply`
 * of 100 nodes: ~10% of its time), though only `capture` uses them.
 */
#ifndef NETNSCTL_RTNL_PCAP_DL_H
#define NETNSCTL_RTNL_PCAP_DL_H

#include <pcap/pcap.h>

#include <netnsctl/error.h>

/* The functions capture.c calls, as pcap_NAME. */
#define NSC_PCAP_FNS(X) \
	X(activate) X(breakloop) X(close) X(compile) X(create) X(datalink) \
	X(datalink_val_to_description) X(datalink_val_to_name) X(dispatch) \
	X(freecode) X(get_required_select_timeout) X(get_selectable_fd) X(geterr) \
	X(set_buffer_size) X(set_immediate_mode) X(set_promisc) X(set_snaplen) \
	X(set_timeout) X(setfilter) X(setnonblock) X(snapshot) X(stats)

struct nsc_pcap_fns {
#define NSC_PCAP_FN(name) __typeof__(pcap_##name) *name;
	NSC_PCAP_FNS(NSC_PCAP_FN)
#undef NSC_PCAP_FN
};

/* Filled by nsc_pcap_load(); valid once it returned 0. */
extern struct nsc_pcap_fns nsc_pcap;

/* Load libpcap once (any thread, any number of times): 0 or -errno. */
int nsc_pcap_load(struct nsc_error *e);

#endif
