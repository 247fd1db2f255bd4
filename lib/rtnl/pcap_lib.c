// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libpcap by dlopen (rtnl/pcap_lib.h says why), under its run-time names:
 * Debian's soname is libpcap.so.0.8, upstream's and most others'
 * libpcap.so.1; the bare name is the development link, last.
 */
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "rtnl/pcap_lib.h"

static const char *const sonames[] = { "libpcap.so.0.8", "libpcap.so.1", "libpcap.so" };

static struct nsc_pcap_lib lib;
static char load_error[256];
static int load_ret;
static pthread_once_t once = PTHREAD_ONCE_INIT;

#define SYM(field, name) { offsetof(struct nsc_pcap_lib, field), name }
static const struct {
	size_t off;
	const char *name;
} syms[] = {
	SYM(create, "pcap_create"),
	SYM(set_snaplen, "pcap_set_snaplen"),
	SYM(set_promisc, "pcap_set_promisc"),
	SYM(set_immediate_mode, "pcap_set_immediate_mode"),
	SYM(set_timeout, "pcap_set_timeout"),
	SYM(set_buffer_size, "pcap_set_buffer_size"),
	SYM(activate, "pcap_activate"),
	SYM(geterr, "pcap_geterr"),
	SYM(close, "pcap_close"),
	SYM(datalink, "pcap_datalink"),
	SYM(snapshot, "pcap_snapshot"),
	SYM(setnonblock, "pcap_setnonblock"),
	SYM(compile, "pcap_compile"),
	SYM(setfilter, "pcap_setfilter"),
	SYM(freecode, "pcap_freecode"),
	SYM(datalink_val_to_name, "pcap_datalink_val_to_name"),
	SYM(datalink_val_to_description, "pcap_datalink_val_to_description"),
	SYM(breakloop, "pcap_breakloop"),
	SYM(dispatch, "pcap_dispatch"),
	SYM(stats, "pcap_stats"),
	SYM(get_required_select_timeout, "pcap_get_required_select_timeout"),
	SYM(get_selectable_fd, "pcap_get_selectable_fd"),
};

static void load(void)
{
	void *h = NULL;
	const char *err;

	for (size_t i = 0; !h && i < sizeof(sonames) / sizeof(sonames[0]); i++)
		h = dlopen(sonames[i], RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		err = dlerror();
		snprintf(load_error, sizeof(load_error), "libpcap not found (%s)",
			 err ? err : sonames[0]);
		load_ret = -ENOENT;
		return;
	}
	for (size_t i = 0; i < sizeof(syms) / sizeof(syms[0]); i++) {
		void *f = dlsym(h, syms[i].name);

		if (!f) {
			err = dlerror();
			snprintf(load_error, sizeof(load_error), "libpcap: %s",
				 err ? err : syms[i].name);
			load_ret = -ENOENT;
			/* h stays open: harmless, and a later call says the same */
			return;
		}
		/* a data pointer to a function pointer: what POSIX's dlsym means */
		memcpy((char *)&lib + syms[i].off, &f, sizeof(f));
	}
}

int nsc_pcap_lib(const struct nsc_pcap_lib **out, struct nsc_error *e)
{
	pthread_once(&once, load);
	if (load_ret < 0)
		return nsc_err_text(e, -load_ret, "capture: %s", load_error);
	*out = &lib;
	return 0;
}
