// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Which of a lab's namespaces are its own, and what is in them: the part of
 * apply and diff that a lab already up spends its time in, so it is lean.
 *
 * Names are probed from the calling thread (an open and an fstat each).
 * The namespaces recorded with the same inode then need a socket inside
 * each: a few threads (one per CPU, at most four) each enter one namespace
 * after another, open its socket, read the namespace's cookie from it, and,
 * for the lab's own, run the dumps asked for (links, addresses, routes,
 * neighbours: one request each) over it. The threads touch nothing shared:
 * each writes only its own namespaces' records, and the sockets go into
 * the context's cache once they are joined.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <linux/sockios.h>

#include "lab/engine.h"

#ifndef SO_NETNS_COOKIE
#define SO_NETNS_COOKIE 71
#endif

#define MAX_THREADS 4

/* ---- links, with the marker ---- */

struct link_fetch {
	struct lab_ns *ns;
	struct lab_link *last;
};

/* Keep a link's data; one known by index (or name) is replaced. */
static struct lab_link *keep_link(struct lab_ns *ns, const struct lab_link *l)
{
	struct lab_link *old = lab_ns_link_index(ns, l->l.ifindex);

	if (!old)
		old = lab_ns_link(ns, l->l.ifname);
	if (!old) {
		if (ns->n_links == ns->cap_links) {
			size_t cap = ns->cap_links ? ns->cap_links * 2 : 8;
			struct lab_link *v = realloc(ns->links, cap * sizeof(*v));

			if (!v)
				return NULL;
			ns->links = v;
			ns->cap_links = cap;
		}
		old = &ns->links[ns->n_links++];
	}
	*old = *l;
	return old;
}

static int link_cb(const struct nlmsghdr *nlh, void *data)
{
	struct link_fetch *f = data;
	const struct nlattr *attr;
	struct lab_link l;

	if (nlh->nlmsg_type != RTM_NEWLINK)
		return MNL_CB_OK;
	memset(&l, 0, sizeof(l));
	if (nsc_link_parse(nlh, &l.l) < 0)
		return MNL_CB_OK;
	mnl_attr_for_each(attr, nlh, sizeof(struct ifinfomsg)) {
		if (mnl_attr_get_type(attr) == IFLA_IFALIAS &&
		    mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) == 0)
			snprintf(l.alias, sizeof(l.alias), "%s", mnl_attr_get_str(attr));
	}
	f->last = keep_link(f->ns, &l);
	if (!f->last) {
		errno = ENOMEM;
		return MNL_CB_ERROR;
	}
	return MNL_CB_OK;
}

int lab_links_fetch(struct nsc_sock *s, struct lab_ns *ns, const char *ifname,
		    struct lab_link **out, struct nsc_error *e)
{
	char buf[512];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct link_fetch f = { .ns = ns };
	struct ifinfomsg *ifi;
	int ret;

	nlh->nlmsg_type = RTM_GETLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST | (ifname ? 0 : NLM_F_DUMP);
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	if (ifname)
		mnl_attr_put_strz(nlh, IFLA_IFNAME, ifname);
	mnl_attr_put_u32(nlh, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
	ret = nsc_nl_talk(s, nlh, link_cb, &f, e);
	if (ret < 0)
		return ret;
	if (out) {
		*out = f.last;
		if (!f.last)
			return nsc_err(e, ENODEV, "device \"%s\" in netns \"%s\"", ifname, ns->name);
	}
	return 0;
}

/* ---- addresses ---- */

static int addr_cb(const struct nlmsghdr *nlh, void *data)
{
	struct lab_ns *ns = data;
	struct nsc_addr a, *v;

	if (nlh->nlmsg_type != RTM_NEWADDR || nsc_addr_parse(nlh, &a) < 0)
		return MNL_CB_OK;
	v = realloc(ns->addrs, (ns->n_addrs + 1) * sizeof(*v));
	if (!v) {
		errno = ENOMEM;
		return MNL_CB_ERROR;
	}
	ns->addrs = v;
	v[ns->n_addrs++] = a;
	return MNL_CB_OK;
}

static int addrs_fetch(struct nsc_sock *s, struct lab_ns *ns, struct nsc_error *e)
{
	char buf[256];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifaddrmsg *ifa;

	nlh->nlmsg_type = RTM_GETADDR;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = (unsigned char)ns->addr_family;
	return nsc_nl_talk(s, nlh, addr_cb, ns, e);
}

/* ---- sockets, cookies ---- */

static uint64_t sock_cookie(struct mnl_socket *nl)
{
	socklen_t len = sizeof(uint64_t);
	uint64_t cookie = 0;

	/* before Linux 5.14: 0, and the inode alone identifies */
	if (getsockopt(mnl_socket_get_fd(nl), SOL_SOCKET, SO_NETNS_COOKIE, &cookie, &len) < 0)
		return 0;
	return cookie;
}

/* Is a cached socket inside the namespace ns was probed as? */
static bool sock_in(struct nsc_sock *s, const struct lab_ns *ns)
{
	struct stat sb;
	int fd = ioctl(mnl_socket_get_fd(s->nl), SIOCGSKNS);
	bool same;

	if (fd < 0)
		return true;    /* cannot tell: trust the cache */
	same = fstat(fd, &sb) == 0 && sb.st_ino == ns->ino && sb.st_dev == ns->dev;
	close(fd);
	return same;
}

/* The socket ctx holds for NAME, without opening one. */
static struct nsc_sock *cached(struct nsc_ctx *ctx, const char *name)
{
	for (struct nsc_sock *s = ctx->socks; s; s = s->next)
		if (s->name && !strcmp(s->name, name))
			return s;
	return NULL;
}

int lab_ns_cookie(struct nsc_ctx *ctx, struct lab_ns *ns, uint64_t *cookie,
		  struct nsc_error *e)
{
	struct nsc_sock *s;
	int ret;

	if ((ret = nsc_sock_get(ctx, ns->name, &s, e)) < 0)
		return ret;
	if (!sock_in(s, ns)) {
		nsc_ctx_drop(ctx, ns->name);
		if ((ret = nsc_sock_get(ctx, ns->name, &s, e)) < 0)
			return ret;
	}
	*cookie = sock_cookie(s->nl);
	return 0;
}

/* ---- the scan ---- */

struct scan_item {
	struct lab_ns *ns;
	struct nsc_sock *s;             /* a cached socket, checked; NULL: open one */
	struct mnl_socket *nl;          /* the socket opened here */
	uint64_t want_cookie;
};

struct scan_job {
	struct scan_item *v;
	size_t n, stride, first;
	int ret;
	struct nsc_error e;
};

static int dumps(struct nsc_sock *s, struct lab_ns *ns, struct nsc_error *e)
{
	int ret;

	lab_ns_clear(ns);
	if (ns->want & OBS_ALL_LINKS) {
		if ((ret = lab_links_fetch(s, ns, NULL, NULL, e)) < 0)
			return nsc_err_prefix(e, "netns \"%s\": dump links", ns->name);
	} else {
		/* a few by name are cheaper than a dump of all */
		for (size_t i = 0; i < ns->n_names; i++) {
			ret = lab_links_fetch(s, ns, ns->names[i], NULL, e);
			if (ret == -ENODEV) {
				nsc_error_clear(e);
				continue;
			}
			if (ret < 0)
				return nsc_err_prefix(e, "netns \"%s\": link \"%s\"", ns->name,
						      ns->names[i]);
		}
	}
	if ((ns->want & OBS_ADDRS) && (ret = addrs_fetch(s, ns, e)) < 0)
		return nsc_err_prefix(e, "netns \"%s\": dump addresses", ns->name);
	ns->observed |= ns->want & (OBS_LINKS | OBS_ALL_LINKS | OBS_ADDRS);
	if ((ns->want & OBS_ROUTES) && (ret = lab_route_observe(s, ns, ns->want, e)) < 0)
		return nsc_err_prefix(e, "netns \"%s\": dump routes", ns->name);
	if ((ns->want & OBS_NEIGHS) && (ret = lab_neigh_observe(s, ns, e)) < 0)
		return nsc_err_prefix(e, "netns \"%s\": dump neighbours", ns->name);
	ns->observed |= ns->want & (OBS_ROUTES | OBS_NEIGHS);
	return 0;
}

static void *scan_thread(void *arg)
{
	struct scan_job *j = arg;

	for (size_t i = j->first; i < j->n; i += j->stride) {
		struct scan_item *it = &j->v[i];
		struct lab_ns *ns = it->ns;
		struct nsc_sock local = { 0 }, *s = it->s;
		uint64_t cookie;

		if (!s) {
			if (setns(ns->fd, CLONE_NEWNET) < 0) {
				j->ret = nsc_err(&j->e, errno, "netns \"%s\": enter", ns->name);
				return NULL;
			}
			if ((j->ret = nsc_sock_open_in(-1, &it->nl)) < 0) {
				nsc_err(&j->e, j->ret, "netns \"%s\": netlink socket", ns->name);
				return NULL;
			}
			local.nl = it->nl;
			local.portid = mnl_socket_get_portid(it->nl);
			s = &local;
		}
		/* inode numbers come back: the cookie never does */
		cookie = sock_cookie(s->nl);
		ns->cookie = cookie;
		ns->ours = !it->want_cookie || !cookie || it->want_cookie == cookie;
		if (ns->ours && ns->want && (j->ret = dumps(s, ns, &j->e)) < 0)
			return NULL;
	}
	return NULL;
}

static size_t n_threads(size_t n)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	size_t t = cpus > 0 ? (size_t)cpus : 1;

	if (t > MAX_THREADS)
		t = MAX_THREADS;
	/* a thread costs more than a few namespaces' worth of work */
	if (t > (n + 7) / 8)
		t = (n + 7) / 8;
	return t ? t : 1;
}

/* v[0..n): probe, then sockets, cookies and dumps in threads. */
static int scan_some(struct nsc_ctx *ctx, struct lab_state *st, struct lab_ns *v, size_t n,
		     struct scan_item *items, struct nsc_error *e)
{
	struct scan_job jobs[MAX_THREADS];
	pthread_t tid[MAX_THREADS];
	size_t m = 0, nt, started = 0;
	int ret = 0;

	for (size_t i = 0; i < n; i++) {
		struct lab_ns *ns = &v[i];
		struct lab_rec *rec = lab_rec_find(st, REC_NS, ns->name, NULL, NULL, 0);

		ns->ours = false;
		ns->observed = 0;
		if ((ret = lab_ns_probe(ctx, ns, e)) < 0)
			return ret;
		if (!rec || st->stale || ns->state != NS_PRESENT ||
		    rec->id[0] != ns->dev || rec->id[1] != ns->ino)
			continue;
		items[m] = (struct scan_item){ .ns = ns, .want_cookie = rec->id[2] };
		items[m].s = cached(ctx, ns->name);
		/* one cached for an earlier namespace of that name is no use */
		if (items[m].s && !sock_in(items[m].s, ns)) {
			nsc_ctx_drop(ctx, ns->name);
			items[m].s = NULL;
		}
		m++;
	}
	if (!m)
		return 0;
	nt = n_threads(m);
	for (size_t t = 0; t < nt; t++) {
		jobs[t] = (struct scan_job){ .v = items, .n = m, .stride = nt, .first = t };
		ret = pthread_create(&tid[t], NULL, scan_thread, &jobs[t]);
		if (ret) {
			ret = nsc_err(e, ret, "namespaces: thread");
			break;
		}
		started++;
	}
	for (size_t t = 0; t < started; t++)
		pthread_join(tid[t], NULL);
	/* the sockets opened go to the cache (which keeps what it can), also
	 * after a failure */
	for (size_t i = 0; i < m; i++)
		if (items[i].nl && nsc_sock_adopt(ctx, items[i].ns->name, items[i].nl, NULL) < 0 &&
		    !ret)
			ret = nsc_err(e, ENOMEM, "netlink sockets");
	for (size_t t = 0; t < started && !ret; t++) {
		if (jobs[t].ret < 0) {
			*e = jobs[t].e;
			ret = jobs[t].ret;
		}
	}
	return ret;
}

int lab_ns_scan(struct nsc_ctx *ctx, struct lab_state *st, struct lab_ns *v, size_t n,
		struct nsc_error *e)
{
	/*
	 * A slice at a time: each namespace is held open (and gets a socket)
	 * while its slice is scanned, so what is open stays within what the
	 * socket cache is allowed (a quarter of the fd limit), whatever the
	 * size of the lab.
	 */
	size_t slice = ctx->max_socks > 16 ? ctx->max_socks / 2 : 8;
	struct scan_item *items = calloc(slice, sizeof(*items));
	int ret = 0;

	if (!items)
		return nsc_err(e, ENOMEM, "namespaces");
	for (size_t start = 0; start < n && ret == 0; start += slice) {
		size_t k = n - start < slice ? n - start : slice;

		ret = scan_some(ctx, st, v + start, k, items, e);
		/* reopened when needed (sysctls) */
		for (size_t i = start; i < start + k; i++) {
			if (v[i].fd >= 0) {
				close(v[i].fd);
				v[i].fd = -1;
			}
		}
	}
	free(items);
	return ret;
}

int lab_ns_identify(struct nsc_ctx *ctx, struct lab_state *st, struct lab_ns *ns,
		    struct nsc_error *e)
{
	ns->want = 0;
	return lab_ns_scan(ctx, st, ns, 1, e);
}
