// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libpcap opened with dlopen() at the first capture (why: pcap_dl.h). The
 * names tried are the library's SONAMEs: Debian's "libpcap.so.0.8", the
 * upstream "libpcap.so.1", then the development link.
 */
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>

#include "rtnl/pcap_dl.h"

struct nsc_pcap_fns nsc_pcap;

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int load_err;                    /* -errno */
static char load_msg[256];

static void load(void)
{
	static const char *const names[] = { "libpcap.so.0.8", "libpcap.so.1", "libpcap.so" };
	void *h = NULL;
	const char *why = "not found";

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]) && !h; i++) {
		h = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
		if (!h && i == 0)
			why = dlerror();
	}
	if (!h) {
		load_err = -ENOENT;
		snprintf(load_msg, sizeof(load_msg), "%s", why ? why : "not found");
		return;
	}
#define NSC_PCAP_SYM(name)                                                      \
	if (!(nsc_pcap.name = (__typeof__(nsc_pcap.name))dlsym(h, "pcap_" #name))) { \
		load_err = -ENOSYS;                                             \
		snprintf(load_msg, sizeof(load_msg), "no pcap_" #name);        \
		return;                                                         \
	}
	NSC_PCAP_FNS(NSC_PCAP_SYM)
#undef NSC_PCAP_SYM
	/* kept open for the process's life: its handles live as long */
}

int nsc_pcap_load(struct nsc_error *e)
{
	pthread_once(&once, load);
	if (load_err)
		return nsc_err_text(e, -load_err, "capture: libpcap: %s", load_msg);
	return 0;
}
