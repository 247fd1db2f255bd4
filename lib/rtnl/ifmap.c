// SPDX-License-Identifier: GPL-2.0-or-later
/* Index -> name of every link of a namespace, from one dump. */
#include <errno.h>
#include <string.h>
#include <net/if.h>

#include <netnsctl/ifmap.h>
#include "base/util.h"
#include "core/core.h"
#include "rtnl/rtnl.h"

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
	struct nsc_ifmap *m = data;
	struct ifent ent;

	if (!nsc_link_brief(nlh, &ent.index, ent.name) || !ent.name[0])
		return MNL_CB_OK;
	if (NSC_GROW(m->v, m->cap, m->n + 1) < 0) {
		m->nomem = true;
		return MNL_CB_OK;       /* drain the dump, fail after */
	}
	m->v[m->n++] = ent;
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
	struct nsc_getlink q = { .dump = true };
	struct nsc_ifmap *m;
	struct nsc_sock *s;
	int ret;

	ret = nsc_sock_get(ctx, netns, &s, e);
	if (ret < 0)
		return ret;
	m = calloc(1, sizeof(*m));
	if (!m)
		return nsc_err(e, ENOMEM, "link dump");
	ret = nsc_getlink(s, &q, link_cb, m, e);
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
