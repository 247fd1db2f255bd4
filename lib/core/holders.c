// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What keeps a deleted namespace alive, for `delete --kill` and
 * `delete --wait`: the processes inside it (ended through pidfds, so a
 * recycled PID is never signalled), and its veth devices whose peers live in
 * other namespaces (the kernel destroys them when it really frees the
 * namespace: that is what a user can see of it, and what makes a peer's name
 * free again over there).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/pidfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <net/if.h>

#include "core/holders.h"
#include "core/nsid.h"

long long nsc_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int nsc_for_each_pid_in(dev_t dev, ino_t ino, nsc_pid_fn fn, void *data)
{
	DIR *d = opendir("/proc");
	struct dirent *de;

	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		char path[64];
		struct stat st;
		char *end;
		long pid = strtol(de->d_name, &end, 10);

		if (*end || pid <= 0)
			continue;
		snprintf(path, sizeof(path), "/proc/%ld/ns/net", pid);
		if (stat(path, &st) < 0)
			continue;       /* gone, a zombie, or a kernel thread */
		if (st.st_ino == ino && st.st_dev == dev && !fn((pid_t)pid, data))
			break;
	}
	closedir(d);
	return 0;
}

/* ---- --kill ---- */

struct victims {
	int *pidfd;
	size_t n, cap;
	dev_t dev;
	ino_t ino;
	bool nomem;
};

static bool pidfd_exited(int pidfd)
{
	struct pollfd p = { .fd = pidfd, .events = POLLIN };

	return poll(&p, 1, 0) != 0;
}

static bool add_victim(pid_t pid, void *data)
{
	struct victims *vs = data;
	struct stat st;
	char path[64];
	int pfd;

	pfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (pfd < 0)
		return true;            /* gone already */
	/*
	 * The PID may have been recycled since the /proc scan: look again,
	 * and trust the answer only if the pidfd's process was still alive
	 * after it (a living process's PID cannot be reused).
	 */
	snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)pid);
	if (stat(path, &st) < 0 || st.st_ino != vs->ino || st.st_dev != vs->dev ||
	    pidfd_exited(pfd)) {
		close(pfd);
		return true;
	}
	if (vs->n == vs->cap) {
		size_t cap = vs->cap ? vs->cap * 2 : 16;
		int *nv = realloc(vs->pidfd, cap * sizeof(*nv));

		if (!nv) {
			close(pfd);
			vs->nomem = true;
			return false;
		}
		vs->pidfd = nv;
		vs->cap = cap;
	}
	vs->pidfd[vs->n++] = pfd;
	return true;
}

static void victims_close(struct victims *vs)
{
	for (size_t i = 0; i < vs->n; i++)
		if (vs->pidfd[i] >= 0)
			close(vs->pidfd[i]);
	vs->n = 0;
}

/* Wait until every victim exited (closing their pidfds) or the deadline;
 * returns how many are left. */
static size_t victims_wait(struct victims *vs, long long deadline)
{
	for (;;) {
		size_t left = 0;
		struct pollfd pf;

		for (size_t i = 0; i < vs->n; i++) {
			if (vs->pidfd[i] < 0)
				continue;
			if (pidfd_exited(vs->pidfd[i])) {
				close(vs->pidfd[i]);
				vs->pidfd[i] = -1;
			} else {
				left++;
				pf.fd = vs->pidfd[i];
			}
		}
		long long now = nsc_now_ms();

		if (!left || now >= deadline)
			return left;
		/* one at a time is enough: all must go */
		pf.events = POLLIN;
		poll(&pf, 1, (int)(deadline - now < 100 ? deadline - now : 100));
	}
}

static void victims_signal(struct victims *vs, int sig)
{
	for (size_t i = 0; i < vs->n; i++)
		if (vs->pidfd[i] >= 0)
			syscall(SYS_pidfd_send_signal, vs->pidfd[i], sig, NULL, 0);
}

int nsc_kill_inside(dev_t dev, ino_t ino, const char *name, unsigned grace_ms,
		    unsigned max_ms, unsigned *killed, struct nsc_error *e)
{
	struct victims vs = { .dev = dev, .ino = ino };
	long long end = nsc_now_ms() + grace_ms + max_ms;
	size_t left = 0;
	int ret = 0;

	*killed = 0;
	/* a process may fork while we kill: scan again until none is left */
	for (int round = 0; ; round++) {
		ret = nsc_for_each_pid_in(dev, ino, add_victim, &vs);
		if (ret < 0 || vs.nomem) {
			ret = nsc_err(e, vs.nomem ? ENOMEM : -ret, "delete \"%s\": read /proc", name);
			break;
		}
		if (!vs.n)
			break;
		*killed += (unsigned)vs.n;
		if (round == 0) {
			victims_signal(&vs, SIGTERM);
			victims_wait(&vs, nsc_now_ms() + grace_ms);
		}
		victims_signal(&vs, SIGKILL);
		left = victims_wait(&vs, end);
		victims_close(&vs);
		if (left) {
			ret = nsc_err_text(e, ETIMEDOUT,
					   "delete \"%s\": %zu process%s inside survived SIGKILL",
					   name, left, left > 1 ? "es" : "");
			break;
		}
		if (round >= 32) {      /* a fork bomb outruns us: say so */
			ret = nsc_err_text(e, EAGAIN,
					   "delete \"%s\": processes keep appearing inside", name);
			break;
		}
	}
	victims_close(&vs);
	free(vs.pidfd);
	return ret;
}

/* ---- --wait ---- */

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
	size_t nns;
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
	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 8;
		struct peer *nv = realloc(p->p, cap * sizeof(*nv));

		if (!nv) {
			errno = ENOMEM;
			return MNL_CB_ERROR;
		}
		p->p = nv;
		p->cap = cap;
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
	char buf[256];
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifi;
	int ret;

	/* a socket that overflowed with events says ENOBUFS once: ask again */
	for (int tries = 0; tries < 3; tries++) {
		nlh = mnl_nlmsg_put_header(buf);
		nlh->nlmsg_type = RTM_GETLINK;
		nlh->nlmsg_flags = NLM_F_REQUEST;
		ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
		ifi->ifi_family = AF_UNSPEC;
		ifi->ifi_index = ifindex;
		memset(la, 0, sizeof(*la));
		ret = nsc_nl_talk(s, nlh, getlink_cb, la, e);
		if (ret != -ENOBUFS)
			return ret;
	}
	return ret;
}

static int dump_links(struct nsc_sock *s, struct nsc_peers *p, struct nsc_error *e)
{
	char buf[256];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifi;

	nlh->nlmsg_type = RTM_GETLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	return nsc_nl_talk(s, nlh, dump_cb, p, e);
}

/* A socket of our own in the namespace behind nsfd, told of link changes. */
static int watch_sock(int nsfd, const char *name, struct nsc_sock **out)
{
	struct mnl_socket *nl;
	struct nsc_sock *s;
	int grp = RTNLGRP_LINK, ret;

	ret = nsc_sock_open_in(nsfd, &nl);
	if (ret < 0)
		return ret;
	if (mnl_socket_setsockopt(nl, NETLINK_ADD_MEMBERSHIP, &grp, sizeof(grp)) < 0) {
		ret = -errno;
		mnl_socket_close(nl);
		return ret;
	}
	s = calloc(1, sizeof(*s));
	if (!s || (name && !(s->name = strdup(name)))) {
		free(s);
		mnl_socket_close(nl);
		return -ENOMEM;
	}
	s->nl = nl;
	s->portid = mnl_socket_get_portid(nl);
	*out = s;
	return 0;
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
	struct peer_ns *nv;
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
	nv = realloc(p->ns, (p->nns + 1) * sizeof(*nv));
	if (!nv) {
		nsc_sock_free(s);
		return nsc_err(e, ENOMEM, "delete \"%s\"", name);
	}
	p->ns = nv;
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
	if (ret < 0 || (ret = dump_links(del, p, e)) < 0) {
		nsc_err_prefix(e, "delete \"%s\": list links", name);
		goto fail;
	}
	/* other names for the same namespace keep it alive */
	ret = nsc_ns_list(ctx, &list, &nlist, e);
	if (ret < 0)
		goto fail;
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
			goto fail;
	}
	/* last the caller's own: named candidates got their sockets first */
	if (p->n && nsc_peers_count(p) < p->n) {
		fd = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
		if (fd >= 0) {
			if (!same_file(fd, nsfd))
				ret = try_candidate(ctx, name, p, fd, NULL, e);
			close(fd);
			if (ret < 0)
				goto fail;
		}
	}
	*unwatched = (unsigned)p->n - nsc_peers_count(p);
	nsc_ns_list_free(list, nlist);
	*out = p;
	return 0;
fail:
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
				goto out;
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
out:
	free(pfd);
	return ret;
}
