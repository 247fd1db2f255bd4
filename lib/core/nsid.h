/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NETNSCTL_LIB_NSID_H
#define NETNSCTL_LIB_NSID_H

#include "core/core.h"

/* The id the namespace behind nsfd has in the namespace of socket s; -1 if none. */
int nsc_nsid_of_fd(struct nsc_sock *s, int nsfd, int *id, struct nsc_error *e);

#endif
