/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NETNSCTL_EXEC_H
#define NETNSCTL_EXEC_H

#include <netnsctl/ctx.h>

struct nsc_exec_opts {
	const char *user;               /* drop to this user and its groups, or NULL */
	const char *uts;                /* a UTS namespace file to enter too, or NULL
					 * (a lab node's: nsc_lab_uts()) */
};

/*
 * Prepare the calling process to run a command inside namespace NAME, as
 * `ip netns exec` does: setns, a private mount namespace, / made rslave, a
 * fresh /sys, and /etc/netns/NAME/ files bound over /etc; and setns into
 * opts->uts when given. Irreversible:
 * call it in the process (or child) that will execvp.
 */
int nsc_exec_prepare(struct nsc_ctx *ctx, const char *name,
		     const struct nsc_exec_opts *opts, struct nsc_error *e);

/* The directory whose NAME/X files exec binds over /etc/X: $NETNSCTL_ETC_DIR
 * when set (an absolute path), else the build's (/etc/netns). */
const char *nsc_etc_netns_dir(void);

#endif
