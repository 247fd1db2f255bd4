// SPDX-License-Identifier: GPL-2.0-or-later
/* Namespace ids: RTM_GETNSID / RTM_NEWNSID over libmnl (libnl has none). */
#include <errno.h>
#include <string.h>
#include <linux/net_namespace.h>
#include <linux/rtnetlink.h>

#include "internal.h"
#include "nsid.h"

static int getnsid_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nlattr *attr;
	int *id = data;

	if (nlh->nlmsg_type != RTM_NEWNSID)
		return MNL_CB_OK;
	mnl_attr_for_each(attr, nlh, sizeof(struct rtgenmsg)) {
		if (mnl_attr_get_type(attr) == NETNSA_NSID &&
		    mnl_attr_validate(attr, MNL_TYPE_U32) == 0)
			*id = (int)mnl_attr_get_u32(attr);
	}
	return MNL_CB_OK;
}

int nsc_nsid_of_fd(struct nsc_sock *s, int nsfd, int *id, struct nsc_error *e)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct rtgenmsg *g;
	int ret;

	nlh->nlmsg_type = RTM_GETNSID;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->rtgen_family = AF_UNSPEC;
	mnl_attr_put_u32(nlh, NETNSA_FD, (uint32_t)nsfd);
	*id = -1;
	/* an answer comes instead of an ack: no NLM_F_ACK needed, but the
	 * talk loop asks for one, and the kernel sends both */
	ret = nsc_nl_talk(s, nlh, getnsid_cb, id, e);
	if (ret < 0)
		return ret;
	if (*id < 0)            /* NETNSA_NSID_NOT_ASSIGNED */
		*id = -1;
	return 0;
}
