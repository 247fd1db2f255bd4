// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Which named namespace is behind an nsid. An nsid is local to the namespace
 * that reports it (IFLA_LINK_NETNSID in a dump from namespace A is A's id for
 * the peer's namespace), so ask A, over A's own socket, for its id of every
 * named namespace (RTM_GETNSID with NETNSA_FD) and compare. The kernel gives a
 * namespace an id in A as soon as a link of A reports a peer there, so any
 * peer namespace that has a name is found; one without a name (the caller's
 * own, say) stays unnamed.
 */
#include <errno.h>
#include <string.h>

#include "core/core.h"
#include "rtnl/rtnl.h"
#include "core/nsid.h"

int nsc_nsid_map_load(struct nsc_ctx *ctx, const char *netns,
		      struct nsc_nsid_map *m, struct nsc_error *e)
{
	struct nsc_ns_entry *list;
	size_t n;
	int ret;

	m->loaded = true;
	ret = nsc_ns_list(ctx, &list, &n, e);
	if (ret < 0 || n == 0)
		return ret;
	m->v = calloc(n, sizeof(*m->v));
	if (!m->v) {
		nsc_ns_list_free(list, n);
		return nsc_err(e, ENOMEM, "namespace ids");
	}
	for (size_t i = 0; i < n; i++) {
		struct nsc_error ignore = { 0 };
		struct nsc_sock *s;
		int fd, id = -1;

		if (list[i].state != NSC_NS_OK)
			continue;
		fd = nsc_ns_open(ctx, list[i].name, &ignore);
		if (fd < 0)
			continue;
		/* the socket may move in ctx's cache: look it up each time */
		if (nsc_sock_get(ctx, netns, &s, &ignore) == 0)
			nsc_nsid_of_fd(s, fd, &id, &ignore);
		close(fd);
		if (id < 0)
			continue;
		m->v[m->n].id = id;
		m->v[m->n].name = list[i].name;         /* ownership moves */
		list[i].name = NULL;
		m->n++;
	}
	nsc_ns_list_free(list, n);
	return 0;
}

const char *nsc_nsid_map_name(const struct nsc_nsid_map *m, int id)
{
	/* sorted by name: the first of several names for one namespace wins */
	for (size_t i = 0; i < m->n; i++)
		if (m->v[i].id == id)
			return m->v[i].name;
	return NULL;
}

void nsc_nsid_map_free(struct nsc_nsid_map *m)
{
	for (size_t i = 0; i < m->n; i++)
		free(m->v[i].name);
	free(m->v);
	m->v = NULL;
	m->n = 0;
	m->loaded = false;
}
