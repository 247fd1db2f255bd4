// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * For `delete --wait`: the veth devices of a namespace whose peers live in
 * other namespaces. The kernel destroys them when it really frees the
 * namespace: that is what a user can see of it, and what makes a peer's
 * name free again over there.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <net/if.h>

#include "core/peers.h"
#include "core/holders.h"
#include "core/nsid.h"
#include "base/util.h"

struct peer {
	int nsid;                       /* the peer's namespace, seen from ours */
	int ifindex;                    /* the peer, in its namespace */
	int local;                      /* our end, in the deleted namespace */
	int ns;                         /* index in peers->ns; -1 unresolved */
	bool gone;
	char ifname[IFNAMSIZ];          /* the peer's name: tells a reused index */
};

struct peer_ns {
	char *name;                     /* NULL: the caller's own */
	struct nsc_sock *s;             /* ours alone, subscribed to RTNLGRP_LINK */
};

struct nsc_peers {
	struct peer *p;
	size_t n, cap;
	struct peer_ns *ns;
	size_t nns, ns_cap;
};

unsigned nsc_peers_count(const struct nsc_peers *p)
{
	unsigned n = 0;

	for (size_t i = 0; p && i < p->n; i++)
		n += p->p[i].ns >= 0;
	return n;
}

void nsc_peers_free(struct nsc_peers *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->nns; i++)
		nsc_sock_free(p->ns[i].s);
	free(p->ns);
	free(p->p);
	free(p);
}

struct link_attrs {
	int index, link, netnsid;
	bool veth;
	char name[IFNAMSIZ];
};

static int linkinfo_cb(const struct nlattr *a, void *data)
{
	struct link_attrs *la = data;

	if (mnl_attr_get_type(a) == IFLA_INFO_KIND &&
	    mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == 0)
		la->veth = !strcmp(mnl_attr_get_str(a), "veth");
	return MNL_CB_OK;
}

static void parse_link(const struct nlmsghdr *nlh, struct link_attrs *la)
{
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
	struct nlattr *a;

	memset(la, 0, sizeof(*la));
	la->netnsid = -1;
	la->index = ifi->ifi_index;
	mnl_attr_for_each(a, nlh, sizeof(*ifi)) {
		switch (mnl_attr_get_type(a)) {
		case IFLA_IFNAME:
			if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == 0)
				snprintf(la->name, sizeof(la->name), "%s", mnl_attr_get_str(a));
			break;
		case IFLA_LINK:
			if (mnl_attr_validate(a, MNL_TYPE_U32) == 0)
				la->link = (int)mnl_attr_get_u32(a);
			break;
		case IFLA_LINK_NETNSID:
			if (mnl_attr_validate(a, MNL_TYPE_U32) == 0)
				la->netnsid = (int)mnl_attr_get_u32(a);
			break;
		case IFLA_LINKINFO:
			mnl_attr_parse_nested(a, linkinfo_cb, la);
			break;
		}
	}
}

static int dump_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nsc_peers *p = data;
	struct link_attrs la;

	if (nlh->nlmsg_type != RTM_NEWLINK)
		return MNL_CB_OK;
	parse_link(nlh, &la);
	if (!la.veth || la.netnsid < 0 || la.link <= 0)
		return MNL_CB_OK;       /* both ends here, or not a veth */
	if (NSC_GROW(p->p, p->cap, p->n + 1) < 0) {
		errno = ENOMEM;
		return MNL_CB_ERROR;
	}
	p->p[p->n++] = (struct peer){ .nsid = la.netnsid, .ifindex = la.link,
				      .local = la.index, .ns = -1 };
	return MNL_CB_OK;
}

static int getlink_cb(const struct nlmsghdr *nlh, void *data)
{
	if (nlh->nlmsg_type == RTM_NEWLINK)
		parse_link(nlh, data);
	return MNL_CB_OK;
}

/* The link at ifindex in s's namespace: 0 and *la, -ENODEV, or -errno. */
static int get_link(struct nsc_sock *s, int ifindex, struct link_attrs *la,
		    struct nsc_error *e)
{
	struct ifinfomsg *ifi;
	struct nsc_req r;
	int ret;

	/* a socket that overflowed with events says ENOBUFS once: ask again */
	for (int tries = 0; tries < 3; tries++) {
		ifi = nsc_req_init(&r, RTM_GETLINK, 0, AF_UNSPEC, sizeof(*ifi));
		ifi->ifi_index = ifindex;
		memset(la, 0, sizeof(*la));
		ret = nsc_req_talk(s, &r, getlink_cb, la, e);
		if (ret != -ENOBUFS)
			return ret;
	}
	return ret;
}

/* A socket of our own in the namespace behind nsfd, told of link changes. */
static int watch_sock(int nsfd, const char *name, struct nsc_sock **out)
{
	struct mnl_socket *nl;
	int grp = RTNLGRP_LINK, ret;

	ret = nsc_sock_open_in(nsfd, &nl);
	if (ret < 0)
		return ret;
	if (mnl_socket_setsockopt(nl, NETLINK_ADD_MEMBERSHIP, &grp, sizeof(grp)) < 0) {
		ret = -errno;
		mnl_socket_close(nl);
		return ret;
	}
	return nsc_sock_wrap(name, nl, out);
}

/*
 * Does candidate namespace candfd (named cname, NULL: the caller's) hold
 * peers? If so, watch it from a socket of our own and note each peer's name.
 */
static int try_candidate(struct nsc_ctx *ctx, const char *name, struct nsc_peers *p,
			 int candfd, const char *cname, struct nsc_error *e)
{
	struct nsc_sock *del, *s = NULL;
	struct nsc_error ignore;
	bool wanted = false;
	int id, ret;

	ret = nsc_sock_get(ctx, name, &del, e);
	if (ret < 0)
		return ret;
	if (nsc_nsid_of_fd(del, candfd, &id, &ignore) < 0 || id < 0)
		return 0;
	for (size_t i = 0; i < p->n; i++)
		wanted |= p->p[i].ns < 0 && p->p[i].nsid == id;
	if (!wanted)
		return 0;
	ret = watch_sock(candfd, cname, &s);
	if (ret < 0)
		return nsc_err(e, ret, "delete \"%s\": watch netns \"%s\"", name,
			       cname ? cname : "(own)");
	if (NSC_GROW(p->ns, p->ns_cap, p->nns + 1) < 0) {
		nsc_sock_free(s);
		return nsc_err(e, ENOMEM, "delete \"%s\"", name);
	}
	p->ns[p->nns] = (struct peer_ns){ .name = s->name, .s = s };
	for (size_t i = 0; i < p->n; i++) {
		struct peer *pe = &p->p[i];
		struct link_attrs la;

		if (pe->ns >= 0 || pe->nsid != id)
			continue;
		/* it must be a veth whose peer is our end: else not ours to await */
		if (get_link(s, pe->ifindex, &la, &ignore) < 0 || !la.veth ||
		    la.link != pe->local)
			continue;
		pe->ns = (int)p->nns;
		snprintf(pe->ifname, sizeof(pe->ifname), "%s", la.name);
	}
	p->nns++;
	return 0;
}

static bool same_file(int a, int b)
{
	struct stat sa, sb;

	return fstat(a, &sa) == 0 && fstat(b, &sb) == 0 &&
	       sa.st_ino == sb.st_ino && sa.st_dev == sb.st_dev;
}

int nsc_peers_collect(struct nsc_ctx *ctx, const char *name, int nsfd,
		      struct nsc_peers **out, unsigned *unwatched,
		      unsigned *aliases, struct nsc_error *e)
{
	struct nsc_peers *p;
	struct nsc_ns_entry *list = NULL;
	struct nsc_sock *del;
	size_t nlist = 0;
	int ret, fd;

	*out = NULL;
	*unwatched = *aliases = 0;
	p = calloc(1, sizeof(*p));
	if (!p)
		return nsc_err(e, ENOMEM, "delete \"%s\"", name);
	ret = nsc_sock_get(ctx, name, &del, e);
	if (ret == 0)
		ret = nsc_dump(del, RTM_GETLINK, AF_UNSPEC, sizeof(struct ifinfomsg),
			       dump_cb, p, e);
	if (ret < 0) {
		nsc_err_prefix(e, "delete \"%s\": list links", name);
		goto cleanup;
	}
	/* other names for the same namespace keep it alive */
	ret = nsc_run_list(ctx, NULL, NULL, &list, &nlist, e);
	if (ret < 0)
		goto cleanup;
	for (size_t i = 0; i < nlist; i++) {
		struct nsc_error ignore;

		if (!strcmp(list[i].name, name) || list[i].state != NSC_NS_OK)
			continue;
		fd = nsc_ns_open(ctx, list[i].name, &ignore);
		if (fd < 0)
			continue;
		if (same_file(fd, nsfd))
			++*aliases;
		else if (p->n && nsc_peers_count(p) < p->n)
			ret = try_candidate(ctx, name, p, fd, list[i].name, e);
		close(fd);
		if (ret < 0)
			goto cleanup;
	}
	/* last the caller's own: named candidates got their sockets first */
	if (p->n && nsc_peers_count(p) < p->n) {
		fd = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
		if (fd >= 0) {
			if (!same_file(fd, nsfd))
				ret = try_candidate(ctx, name, p, fd, NULL, e);
			close(fd);
			if (ret < 0)
				goto cleanup;
		}
	}
	*unwatched = (unsigned)p->n - nsc_peers_count(p);
	*out = p;
	p = NULL;
cleanup:
	nsc_ns_list_free(list, nlist);
	nsc_peers_free(p);
	return ret;
}

/* Read and forget queued events: they only tell us to look again. */
static void drain(struct nsc_sock *s)
{
	char buf[8192];

	while (recv(mnl_socket_get_fd(s->nl), buf, sizeof(buf), MSG_DONTWAIT) > 0 ||
	       errno == ENOBUFS)
		;
}

int nsc_peers_wait(struct nsc_peers *p, const char *name, unsigned max_ms,
		   struct nsc_error *e)
{
	long long deadline = nsc_now_ms() + max_ms;
	struct pollfd *pfd;
	int ret = 0;

	if (!p || !p->nns)
		return 0;
	pfd = calloc(p->nns, sizeof(*pfd));
	if (!pfd)
		return nsc_err(e, ENOMEM, "delete \"%s\"", name);
	for (size_t i = 0; i < p->nns; i++)
		pfd[i] = (struct pollfd){ .fd = mnl_socket_get_fd(p->ns[i].s->nl), .events = POLLIN };
	for (;;) {
		struct peer *left = NULL;
		long long now;

		for (size_t i = 0; i < p->nns; i++)
			drain(p->ns[i].s);
		for (size_t i = 0; i < p->n; i++) {
			struct peer *pe = &p->p[i];
			struct nsc_error tmp;
			struct link_attrs la;

			if (pe->ns < 0 || pe->gone)
				continue;
			ret = get_link(p->ns[pe->ns].s, pe->ifindex, &la, &tmp);
			if (ret == -ENODEV || (ret == 0 && strcmp(la.name, pe->ifname))) {
				pe->gone = true;
				continue;
			}
			if (ret < 0) {
				*e = tmp;
				nsc_err_prefix(e, "delete \"%s\": wait", name);
				goto cleanup;
			}
			left = pe;
		}
		ret = 0;
		if (!left)
			break;
		now = nsc_now_ms();
		if (now >= deadline) {
			const char *where = p->ns[left->ns].name;

			ret = nsc_err_text(e, ETIMEDOUT,
					   "delete \"%s\": name removed, but the namespace was not freed within %u s (veth peer \"%s\" still in %s%s%s)",
					   name, (max_ms + 999) / 1000, left->ifname,
					   where ? "netns \"" : "this netns", where ? where : "",
					   where ? "\"" : "");
			break;
		}
		poll(pfd, p->nns, (int)(deadline - now < 250 ? deadline - now : 250));
	}
cleanup:
	free(pfd);
	return ret;
}
