// SPDX-License-Identifier: GPL-2.0-or-later
/* Index -> name of every link of a namespace, from one dump. */
#include <errno.h>
#include <string.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <net/if.h>

#include <netnsctl/ifmap.h>
#include "core/core.h"

struct ifent {
	int index;
	char name[IFNAMSIZ];
};

struct nsc_ifmap {
	struct ifent *v;
	size_t n, cap;
	bool nomem;
};

static int link_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
	struct nsc_ifmap *m = data;
	const struct nlattr *attr;
	struct ifent *ent;

	if (nlh->nlmsg_type != RTM_NEWLINK || nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*ifi)))
		return MNL_CB_OK;
	if (m->n == m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 32;
		struct ifent *v = realloc(m->v, cap * sizeof(*v));

		if (!v) {
			m->nomem = true;
			return MNL_CB_OK;       /* drain the dump, fail after */
		}
		m->v = v;
		m->cap = cap;
	}
	ent = &m->v[m->n];
	ent->index = ifi->ifi_index;
	ent->name[0] = '\0';
	mnl_attr_for_each(attr, nlh, sizeof(*ifi)) {
		if (mnl_attr_get_type(attr) == IFLA_IFNAME &&
		    mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) == 0)
			snprintf(ent->name, sizeof(ent->name), "%s", mnl_attr_get_str(attr));
	}
	if (ent->name[0])
		m->n++;
	return MNL_CB_OK;
}

static int ent_cmp(const void *a, const void *b)
{
	const struct ifent *x = a, *y = b;

	return (x->index > y->index) - (x->index < y->index);
}

int nsc_ifmap_load(struct nsc_ctx *ctx, const char *netns, struct nsc_ifmap **out,
		   struct nsc_error *e)
{
	char buf[256];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct nsc_ifmap *m;
	struct ifinfomsg *ifi;
	struct nsc_sock *s;
	int ret;

	ret = nsc_sock_get(ctx, netns, &s, e);
	if (ret < 0)
		return ret;
	m = calloc(1, sizeof(*m));
	if (!m)
		return nsc_err(e, ENOMEM, "link dump");
	nlh->nlmsg_type = RTM_GETLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	mnl_attr_put_u32(nlh, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
	ret = nsc_nl_talk(s, nlh, link_cb, m, e);
	if (ret == 0 && m->nomem)
		ret = nsc_err(e, ENOMEM, "link dump");
	else if (ret < 0)
		nsc_err_prefix(e, "link dump");
	if (ret < 0) {
		nsc_ifmap_free(m);
		return ret;
	}
	if (m->n)
		qsort(m->v, m->n, sizeof(*m->v), ent_cmp);
	*out = m;
	return 0;
}

void nsc_ifmap_free(struct nsc_ifmap *map)
{
	if (!map)
		return;
	free(map->v);
	free(map);
}

const char *nsc_ifmap_name(const struct nsc_ifmap *map, int index)
{
	size_t lo = 0, hi;

	if (!map)
		return NULL;
	hi = map->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (map->v[mid].index == index)
			return map->v[mid].name;
		if (map->v[mid].index < index)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}
