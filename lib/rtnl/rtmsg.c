// SPDX-License-Identifier: GPL-2.0-or-later
/* What every rtnetlink message parser does first (rtmsg.h). */
#include <string.h>

#include "rtnl/rtmsg.h"

int nsc_attrs_cb(const struct nlattr *a, void *data)
{
	const struct nsc_attrs *t = data;
	uint16_t type = mnl_attr_get_type(a);

	if (type <= t->max)
		t->tb[type] = a;
	return MNL_CB_OK;
}

const void *nsc_rtmsg_parse(const struct nlmsghdr *nlh, uint16_t newtype, uint16_t deltype,
			    size_t hdrlen, const struct nlattr **tb, uint16_t max)
{
	struct nsc_attrs t = { .tb = tb, .max = max };

	memset(tb, 0, (max + 1u) * sizeof(*tb));
	if ((nlh->nlmsg_type != newtype && nlh->nlmsg_type != deltype) ||
	    nlh->nlmsg_len < mnl_nlmsg_size(hdrlen) ||
	    mnl_attr_parse(nlh, (unsigned)hdrlen, nsc_attrs_cb, &t) < 0)
		return NULL;
	return mnl_nlmsg_get_payload(nlh);
}

void nsc_attr_str(const struct nlattr *a, char *buf, size_t size)
{
	size_t len = mnl_attr_get_payload_len(a);
	const char *s = mnl_attr_get_payload(a);

	len = strnlen(s, len);
	if (len >= size)
		len = size - 1;
	memcpy(buf, s, len);
	buf[len] = '\0';
}
