/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * link add: the arguments after "type KIND" (k is just after KIND), into
 * a. Each returns EXIT_OK or EXIT_USAGE (the message printed).
 */
#ifndef NETNSCTL_LINK_ARGS_H
#define NETNSCTL_LINK_ARGS_H

#include "kwargs.h"

/* [peer [name] PEER [netns NS] [address MAC]] */
int link_veth_args(struct kargs *k, struct nsc_link_add *a);
/* id VNI [local A] [remote A | group G] [dstport P] [dev DEV] [ttl N|auto] */
int link_vxlan_args(struct kargs *k, struct nsc_link_add *a);
/* link DEV [mode M]; a->kind says macvlan or macvtap */
int link_macvlan_args(struct kargs *k, struct nsc_link_add *a);

#endif
