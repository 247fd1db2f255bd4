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
#include <sys/socket.h>
#include <sys/stat.h>
#include <linux/if.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>

#include "lab/engine.h"


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

int lab_ns_learn_link(struct nsc_ctx *ctx, struct lab_ns *ns, const char *ifname,
		      struct lab_link **out, struct nsc_error *e)
{
	struct nsc_sock *s;
	int ret;

	if ((ret = nsc_sock_get(ctx, ns->name, &s, e)) < 0)
		return ret;
	return lab_links_fetch(s, ns, ifname, out, e);
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
	struct nsc_ctx *ctx;            /* read only: its run dir fd is open */
	struct lab_sysctl_job *jobs;
	size_t n;
};

/*
 * One thread goes into each namespace in turn (opened just for that: a
 * lab of a thousand nodes keeps no thousand fds); it exits, so nothing has
 * to be switched back.
 */
static void *sysctl_thread(void *arg)
{
	struct sysctl_work *w = arg;
	const struct lab_ns *cur = NULL;
	int cur_err = 0;

	for (size_t i = 0; i < w->n; i++) {
		struct lab_sysctl_job *j = &w->jobs[i];

		if (j->ns != cur) {
			struct nsc_error ignore = { 0 };
			int fd;

			cur = j->ns;
			fd = nsc_ns_open(w->ctx, cur->name, &ignore);
			cur_err = fd < 0 ? -fd : setns(fd, CLONE_NEWNET) < 0 ? errno : 0;
			if (fd >= 0)
				close(fd);
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
	struct sysctl_work w = { ctx, jobs, n };
	pthread_t t;
	int ret;

	if (!n)
		return 0;
	for (size_t i = 0; i < n; i++) {
		jobs[i].err = 0;
		jobs[i].have[0] = '\0';
	}
	/* open now: the thread must not change ctx */
	if ((ret = nsc_run_fd(ctx, e)) < 0)
		return nsc_err_prefix(e, "sysctl");
	ret = pthread_create(&t, NULL, sysctl_thread, &w);
	if (ret)
		return nsc_err(e, ret, "sysctl: thread");
	pthread_join(t, NULL);
	return 0;
}
