/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libpcap, loaded (dlopen) by the first capture rather than linked: it
 * brings libdbus, libsystemd, libgcrypt and four compression libraries,
 * whose relocated and touched pages were about 1 MiB of every netnsctl
 * command's memory (a `lab apply` of 1000 leaves included) for the one
 * command that captures.
 */
#ifndef NETNSCTL_RTNL_PCAP_LIB_H
#define NETNSCTL_RTNL_PCAP_LIB_H

#include <pcap/pcap.h>

#include <netnsctl/error.h>

/* The functions capture.c calls, typed from libpcap's own header. */
struct nsc_pcap_lib {
	__typeof__(pcap_create) *create;
	__typeof__(pcap_set_snaplen) *set_snaplen;
	__typeof__(pcap_set_promisc) *set_promisc;
	__typeof__(pcap_set_immediate_mode) *set_immediate_mode;
	__typeof__(pcap_set_timeout) *set_timeout;
	__typeof__(pcap_set_buffer_size) *set_buffer_size;
	__typeof__(pcap_activate) *activate;
	__typeof__(pcap_geterr) *geterr;
	__typeof__(pcap_close) *close;
	__typeof__(pcap_datalink) *datalink;
	__typeof__(pcap_snapshot) *snapshot;
	__typeof__(pcap_setnonblock) *setnonblock;
	__typeof__(pcap_compile) *compile;
	__typeof__(pcap_setfilter) *setfilter;
	__typeof__(pcap_freecode) *freecode;
	__typeof__(pcap_datalink_val_to_name) *datalink_val_to_name;
	__typeof__(pcap_datalink_val_to_description) *datalink_val_to_description;
	__typeof__(pcap_breakloop) *breakloop;
	__typeof__(pcap_dispatch) *dispatch;
	__typeof__(pcap_stats) *stats;
	__typeof__(pcap_get_required_select_timeout) *get_required_select_timeout;
	__typeof__(pcap_get_selectable_fd) *get_selectable_fd;
};

/*
 * Load libpcap once (any thread; later calls return what the first found):
 * 0 and *out set, or -ENOENT with e saying what dlopen or dlsym said.
 */
int nsc_pcap_lib(const struct nsc_pcap_lib **out, struct nsc_error *e);

#endif
