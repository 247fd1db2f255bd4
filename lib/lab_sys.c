// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The system as a lab sees it: whether each of its namespaces is there and
 * which one it is, and what is inside, read with one dump per kind per
 * namespace over the namespace's cached socket; sysctls read and written
 * from inside; the few link requests the link API has no words for (the
 * lab's marker is an ifalias).
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <linux/if.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <linux/sockios.h>

#include "lab_run.h"

#ifndef SO_NETNS_COOKIE
#define SO_NETNS_COOKIE 71
#endif

const char *lab_prefix_str(const struct nsc_prefix *p, int len, char *buf, size_t size)
{
	char a[INET6_ADDRSTRLEN];

	if (p->family != AF_INET && p->family != AF_INET6) {
		snprintf(buf, size, "?");
		return buf;
	}
	inet_ntop(p->family, p->addr, a, sizeof(a));
	if (len >= 0)
		snprintf(buf, size, "%s/%d", a, len);
	else
		snprintf(buf, size, "%s", a);
	return buf;
}

/* ---- which namespace ---- */

int lab_ns_probe(struct nsc_ctx *ctx, struct lab_ns *ns, struct nsc_error *e)
{
	struct stat sb;
	int dfd, fd;

	ns->state = NS_ABSENT;
	if (ns->fd >= 0) {
		close(ns->fd);
		ns->fd = -1;
	}
	dfd = nsc_run_fd(ctx, e);
	if (dfd == -ENOENT) {
		nsc_error_clear(e);
		return 0;
	}
	if (dfd < 0)
		return dfd;
	if (fstatat(dfd, ns->name, &sb, AT_SYMLINK_NOFOLLOW) < 0) {
		if (errno == ENOENT)
			return 0;
		return nsc_err(e, errno, "netns \"%s\"", ns->name);
	}
	ns->state = NS_STALE;
	fd = openat(dfd, ns->name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return 0;       /* a symlink, or unreadable: not a namespace of ours */
	if (!nsc_fd_is_netns(fd) || fstat(fd, &sb) < 0) {
		close(fd);
		return 0;
	}
	ns->state = NS_PRESENT;
	ns->dev = sb.st_dev;
	ns->ino = sb.st_ino;
	ns->fd = fd;
	return 0;
}

int lab_ns_fd(struct nsc_ctx *ctx, struct lab_ns *ns, struct nsc_error *e)
{
	if (ns->fd < 0)
		ns->fd = nsc_ns_open(ctx, ns->name, e);
	return ns->fd;
}

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

int lab_ns_cookie(struct nsc_ctx *ctx, struct lab_ns *ns, uint64_t *cookie,
		  struct nsc_error *e)
{
	socklen_t len = sizeof(*cookie);
	struct nsc_sock *s;
	int ret;

	*cookie = 0;
	if ((ret = nsc_sock_get(ctx, ns->name, &s, e)) < 0)
		return ret;
	/* a socket cached for an earlier namespace of that name is no use */
	if (!sock_in(s, ns)) {
		nsc_ctx_drop(ctx, ns->name);
		if ((ret = nsc_sock_get(ctx, ns->name, &s, e)) < 0)
			return ret;
	}
	if (getsockopt(mnl_socket_get_fd(s->nl), SOL_SOCKET, SO_NETNS_COOKIE, cookie, &len) < 0)
		*cookie = 0;    /* before Linux 5.14: the inode alone */
	return 0;
}

int lab_ns_identify(struct nsc_ctx *ctx, struct lab_state *st, struct lab_ns *ns,
		    struct nsc_error *e)
{
	struct lab_rec *rec = lab_rec_find(st, REC_NS, ns->name, NULL, NULL, 0);
	uint64_t cookie;
	int ret;

	if ((ret = lab_ns_probe(ctx, ns, e)) < 0)
		return ret;
	ns->ours = false;
	if (!rec || st->stale || ns->state != NS_PRESENT ||
	    rec->id[0] != ns->dev || rec->id[1] != ns->ino)
		return 0;
	/* inode numbers come back: the cookie never does */
	if ((ret = lab_ns_cookie(ctx, ns, &cookie, e)) < 0)
		return ret;
	ns->cookie = cookie;
	ns->ours = !rec->id[2] || !cookie || rec->id[2] == cookie;
	return 0;
}

/* ---- what is inside ---- */

void lab_ns_clear(struct lab_ns *ns)
{
	free(ns->links);
	free(ns->addrs);
	free(ns->routes);
	free(ns->neighs);
	ns->links = NULL;
	ns->addrs = NULL;
	ns->routes = NULL;
	ns->neighs = NULL;
	ns->n_links = ns->cap_links = ns->n_addrs = ns->n_routes = ns->n_neighs = 0;
}

struct lab_link *lab_ns_link(struct lab_ns *ns, const char *ifname)
{
	for (size_t i = 0; i < ns->n_links; i++)
		if (!strcmp(ns->links[i].l.ifname, ifname))
			return &ns->links[i];
	return NULL;
}

struct lab_link *lab_ns_link_index(struct lab_ns *ns, int ifindex)
{
	for (size_t i = 0; i < ns->n_links; i++)
		if (ns->links[i].l.ifindex == ifindex)
			return &ns->links[i];
	return NULL;
}

struct link_fetch {
	struct lab_ns *ns;
	struct lab_link *last;
};

/* Keep a link's data; one we knew by name or index is replaced. */
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

static int fetch_links(struct nsc_ctx *ctx, struct lab_ns *ns, const char *ifname,
		       struct lab_link **out, struct nsc_error *e)
{
	char buf[512];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct link_fetch f = { .ns = ns };
	struct ifinfomsg *ifi;
	struct nsc_sock *s;
	int ret;

	if ((ret = nsc_sock_get(ctx, ns->name, &s, e)) < 0)
		return ret;
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

int lab_ns_learn_link(struct nsc_ctx *ctx, struct lab_ns *ns, const char *ifname,
		      struct lab_link **out, struct nsc_error *e)
{
	return fetch_links(ctx, ns, ifname, out, e);
}

int lab_ns_observe(struct nsc_ctx *ctx, struct lab_ns *ns, unsigned what,
		   struct nsc_error *e)
{
	int ret;

	lab_ns_clear(ns);
	if ((ret = fetch_links(ctx, ns, NULL, NULL, e)) < 0)
		return nsc_err_prefix(e, "netns \"%s\": dump links", ns->name);
	if ((ret = nsc_addr_list(ctx, ns->name, AF_UNSPEC, 0, &ns->addrs, &ns->n_addrs, e)) < 0)
		return nsc_err_prefix(e, "netns \"%s\": dump addresses", ns->name);
	if ((what & OBS_ROUTES) && (ret = lab_route_observe(ctx, ns, e)) < 0)
		return nsc_err_prefix(e, "netns \"%s\": dump routes", ns->name);
	if ((what & OBS_NEIGHS) && (ret = lab_neigh_observe(ctx, ns, e)) < 0)
		return nsc_err_prefix(e, "netns \"%s\": dump neighbours", ns->name);
	return 0;
}

/* ---- links: the marker, and changes by index ---- */

int lab_link_set(struct nsc_ctx *ctx, const char *netns, int ifindex,
		 const struct lab_link_set *c, struct nsc_error *e)
{
	char buf[1024];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifi;
	struct nsc_sock *s;
	int ret;

	if ((ret = nsc_sock_get(ctx, netns, &s, e)) < 0)
		return ret;
	nlh->nlmsg_type = RTM_NEWLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = ifindex;
	if (c->up) {
		ifi->ifi_flags = IFF_UP;
		ifi->ifi_change = IFF_UP;
	}
	if (c->mtu)
		mnl_attr_put_u32(nlh, IFLA_MTU, c->mtu);
	if (c->mac)
		mnl_attr_put(nlh, IFLA_ADDRESS, 6, c->mac);
	if (c->master)
		mnl_attr_put_u32(nlh, IFLA_MASTER, (uint32_t)c->master);
	if (c->alias)
		mnl_attr_put_strz(nlh, IFLA_IFALIAS, c->alias);
	return nsc_nl_talk(s, nlh, NULL, NULL, e);
}

int lab_link_del(struct nsc_ctx *ctx, const char *netns, int ifindex, struct nsc_error *e)
{
	char buf[256];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifi;
	struct nsc_sock *s;
	int ret;

	if ((ret = nsc_sock_get(ctx, netns, &s, e)) < 0)
		return ret;
	nlh->nlmsg_type = RTM_DELLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = ifindex;
	return nsc_nl_talk(s, nlh, NULL, NULL, e);
}

/* ---- sysctls, from inside ---- */

/* /proc/sys/net/... shows the namespace of the thread that opens it */
static void sysctl_path(const char *name, char *buf, size_t size)
{
	size_t i = (size_t)snprintf(buf, size, "/proc/sys/");

	for (; *name && i + 1 < size; name++)
		buf[i++] = *name == '.' ? '/' : *name;
	buf[i] = '\0';
}

/* Whitespace squeezed to single spaces, none at the ends. */
static void squeeze(const char *in, char *out, size_t size)
{
	size_t o = 0;
	bool space = false;

	for (; *in && o + 1 < size; in++) {
		if (isspace((unsigned char)*in)) {
			space = o > 0;
			continue;
		}
		if (space && o + 2 < size)
			out[o++] = ' ';
		space = false;
		out[o++] = *in;
	}
	out[o] = '\0';
}

bool lab_sysctl_same(const char *have, const char *want)
{
	char a[512], b[512];

	squeeze(have, a, sizeof(a));
	squeeze(want, b, sizeof(b));
	return !strcmp(a, b);
}

static void sysctl_one(struct lab_sysctl_job *j)
{
	char path[300], buf[256];
	ssize_t n;
	int fd;

	sysctl_path(j->name, path, sizeof(path));
	fd = open(path, (j->value ? O_WRONLY : O_RDONLY) | O_CLOEXEC);
	if (fd < 0) {
		j->err = errno;
		return;
	}
	if (j->value) {
		size_t len = strlen(j->value);

		n = write(fd, j->value, len);
		if (n != (ssize_t)len)
			j->err = n < 0 ? errno : EIO;
	} else {
		n = read(fd, buf, sizeof(buf) - 1);
		if (n < 0)
			j->err = errno;
		else {
			buf[n] = '\0';
			squeeze(buf, j->have, sizeof(j->have));
		}
	}
	if (close(fd) < 0 && !j->err)
		j->err = errno;
}

struct sysctl_work {
	struct lab_sysctl_job *jobs;
	size_t n;
};

/* One thread goes into each namespace in turn; it exits, so nothing has to
 * be switched back. */
static void *sysctl_thread(void *arg)
{
	struct sysctl_work *w = arg;
	const struct lab_ns *cur = NULL;
	int cur_err = 0;

	for (size_t i = 0; i < w->n; i++) {
		struct lab_sysctl_job *j = &w->jobs[i];

		if (j->ns != cur) {
			cur = j->ns;
			cur_err = setns(cur->fd, CLONE_NEWNET) < 0 ? errno : 0;
		}
		if (cur_err) {
			j->err = cur_err;
			continue;
		}
		sysctl_one(j);
	}
	return NULL;
}

int lab_sysctl_run(struct nsc_ctx *ctx, struct lab_sysctl_job *jobs, size_t n,
		   struct nsc_error *e)
{
	struct sysctl_work w = { jobs, n };
	pthread_t t;
	int ret;

	if (!n)
		return 0;
	for (size_t i = 0; i < n; i++) {
		jobs[i].err = 0;
		jobs[i].have[0] = '\0';
		if (lab_ns_fd(ctx, jobs[i].ns, e) < 0)
			return nsc_err_prefix(e, "sysctl %s", jobs[i].name);
	}
	ret = pthread_create(&t, NULL, sysctl_thread, &w);
	if (ret)
		return nsc_err(e, ret, "sysctl: thread");
	pthread_join(t, NULL);
	return 0;
}
