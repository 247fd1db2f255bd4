// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * One epoll loop over: an inotify watch on the run dir (or, until it exists,
 * on its nearest existing ancestor), /proc/self/mountinfo (pollable: it
 * signals every mount change, which is how we learn that a name file got
 * its namespace mounted on it), a signalfd, and, with NSC_MON_ALL, one
 * rtnetlink socket per watched namespace, subscribed to its groups.
 *
 * On any change the run dir is rescanned: a full scan is simple and cannot
 * miss an event that inotify folded or that raced with the mount.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/inotify.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <linux/rtnetlink.h>

#include <netnsctl/monitor.h>
#include "core/core.h"

enum src_kind { SRC_INOTIFY, SRC_MOUNTS, SRC_SIGNAL, SRC_NETNS };

struct src {
	enum src_kind kind;
};

struct watched {
	struct src src;                 /* SRC_NETNS: first, for epoll's ptr */
	char *name;
	dev_t dev;
	ino_t ino;
	struct mnl_socket *nl;          /* NSC_MON_ALL only */
	bool seen;                      /* scan mark */
	struct watched *next;
};

struct nsc_monitor {
	struct nsc_ctx *ctx;
	unsigned flags;
	char *only;
	int ep, ino_fd, mnt_fd, sig_fd;
	int wd;                         /* inotify watch, -1 if none */
	bool on_run_dir;                /* wd is the run dir itself */
	struct src s_ino, s_mnt, s_sig;
	sigset_t old_mask;
	struct watched *list;
	nsc_mon_cb cb;
	void *cb_data;
};

static const unsigned groups_all[] = {
	RTNLGRP_LINK, RTNLGRP_IPV4_IFADDR, RTNLGRP_IPV6_IFADDR, RTNLGRP_IPV4_ROUTE,
	RTNLGRP_IPV6_ROUTE, RTNLGRP_NEIGH, RTNLGRP_NSID,
};

static int ep_add(struct nsc_monitor *m, int fd, unsigned events, void *ptr)
{
	struct epoll_event ev = { .events = events, .data.ptr = ptr };

	return epoll_ctl(m->ep, EPOLL_CTL_ADD, fd, &ev) < 0 ? -errno : 0;
}

/* Watch the run dir, or the nearest ancestor that exists until it does. */
static int arm_watch(struct nsc_monitor *m, struct nsc_error *e)
{
	char path[PATH_MAX];

	if (m->wd >= 0)
		inotify_rm_watch(m->ino_fd, m->wd);
	m->wd = inotify_add_watch(m->ino_fd, m->ctx->run_dir,
				  IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO |
				  IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR);
	if (m->wd >= 0) {
		m->on_run_dir = true;
		return 0;
	}
	if (errno != ENOENT)
		return nsc_err(e, errno, "monitor: watch %s", m->ctx->run_dir);
	m->on_run_dir = false;
	snprintf(path, sizeof(path), "%s", m->ctx->run_dir);
	for (;;) {
		char *slash = strrchr(path, '/');

		if (!slash)
			return nsc_err_text(e, ENOENT, "monitor: no directory to watch");
		if (slash == path)
			slash[1] = '\0';
		else
			*slash = '\0';
		m->wd = inotify_add_watch(m->ino_fd, path,
					  IN_CREATE | IN_MOVED_TO | IN_ONLYDIR);
		if (m->wd >= 0)
			return 0;
		if (errno != ENOENT || !strcmp(path, "/"))
			return nsc_err(e, errno, "monitor: watch %s", path);
	}
}

static void unwatch(struct nsc_monitor *m, struct watched *w)
{
	if (w->nl) {
		epoll_ctl(m->ep, EPOLL_CTL_DEL, mnl_socket_get_fd(w->nl), NULL);
		mnl_socket_close(w->nl);
	}
	free(w->name);
	free(w);
}

static int emit(struct nsc_monitor *m, enum nsc_mon_kind kind, const char *ns,
		const struct nlmsghdr *nlh)
{
	struct nsc_mon_event ev = { .kind = kind, .ns = ns, .nlh = nlh };

	return m->cb ? m->cb(&ev, m->cb_data) : 0;
}

/* A socket inside the namespace behind nsfd, subscribed to every group. */
static int open_events(int nsfd, struct mnl_socket **out)
{
	struct mnl_socket *nl;
	int size = 4 << 20, ret;

	ret = nsc_sock_open_in(nsfd, &nl);
	if (ret < 0)
		return ret;
	for (size_t i = 0; i < sizeof(groups_all) / sizeof(groups_all[0]); i++) {
		unsigned g = groups_all[i];

		if (mnl_socket_setsockopt(nl, NETLINK_ADD_MEMBERSHIP, &g, sizeof(g)) < 0) {
			ret = -errno;
			mnl_socket_close(nl);
			return ret;
		}
	}
	/* bursts (a lab coming up) must not overrun us: ask for a big buffer */
	if (setsockopt(mnl_socket_get_fd(nl), SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)) < 0)
		setsockopt(mnl_socket_get_fd(nl), SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	fcntl(mnl_socket_get_fd(nl), F_SETFL, O_NONBLOCK);
	*out = nl;
	return 0;
}

static int watch_new(struct nsc_monitor *m, const char *name, int nsfd, const struct stat *st,
		     struct watched **out)
{
	struct watched *w = calloc(1, sizeof(*w));
	int ret;

	if (!w || !(w->name = strdup(name))) {
		free(w);
		return -ENOMEM;
	}
	w->src.kind = SRC_NETNS;
	w->dev = st->st_dev;
	w->ino = st->st_ino;
	if (m->flags & NSC_MON_ALL) {
		ret = open_events(nsfd, &w->nl);
		if (ret == 0)
			ret = ep_add(m, mnl_socket_get_fd(w->nl), EPOLLIN, w);
		if (ret < 0) {
			unwatch(m, w);
			return ret;
		}
	}
	*out = w;
	return 0;
}

static struct watched *find(struct nsc_monitor *m, const char *name)
{
	for (struct watched *w = m->list; w; w = w->next)
		if (!strcmp(w->name, name))
			return w;
	return NULL;
}

/* Look at one name: watch it if it became live, let go if it changed. */
static int scan_one(struct nsc_monitor *m, int dfd, const char *name, bool report)
{
	struct watched *w = find(m, name), *nw;
	struct stat st;
	int fd, ret = 0;

	fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	if (fd >= 0 && (!nsc_fd_is_netns(fd) || fstat(fd, &st) < 0)) {
		close(fd);
		fd = -1;
	}
	if (w) {
		if (fd >= 0 && w->dev == st.st_dev && w->ino == st.st_ino) {
			w->seen = true;
			close(fd);
			return 0;
		}
		/* gone, stale now, or another namespace under the same name */
		w->seen = false;
	}
	if (fd < 0)
		return 0;
	ret = watch_new(m, name, fd, &st, &nw);
	close(fd);
	if (ret < 0)
		return ret;
	nw->seen = true;
	/* keep watch order: names that go at once are reported oldest first */
	struct watched **tail = &m->list;

	while (*tail)
		tail = &(*tail)->next;
	*tail = nw;
	return report ? emit(m, NSC_MON_NS_ADD, name, NULL) : 0;
}

/* Drop every watched name the scan did not confirm; report each. */
static int sweep(struct nsc_monitor *m)
{
	struct watched **pp = &m->list;
	int ret = 0;

	while (*pp) {
		struct watched *w = *pp;

		if (w->seen) {
			pp = &w->next;
			continue;
		}
		*pp = w->next;
		/* let go first: the socket must not keep the namespace alive */
		if (!ret)
			ret = emit(m, NSC_MON_NS_DEL, w->name, NULL);
		unwatch(m, w);
	}
	return ret;
}

static int scan(struct nsc_monitor *m, bool report)
{
	struct dirent *de;
	DIR *d;
	int dfd, ret = 0;

	for (struct watched *w = m->list; w; w = w->next)
		w->seen = false;
	dfd = m->on_run_dir ? open(m->ctx->run_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
	if (dfd >= 0) {
		if (m->only) {
			ret = scan_one(m, dfd, m->only, report);
			close(dfd);
		} else if ((d = fdopendir(dfd))) {
			while (!ret && (de = readdir(d)))
				if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
					ret = scan_one(m, dirfd(d), de->d_name, report);
			closedir(d);
		} else {
			close(dfd);
		}
	}
	if (ret)
		return ret;
	return sweep(m);
}

int nsc_monitor_new(struct nsc_ctx *ctx, unsigned flags, const char *only,
		    struct nsc_monitor **out, struct nsc_error *e)
{
	struct nsc_monitor *m;
	sigset_t mask;
	int ret;

	if (only && (ret = nsc_name_check(only, e)) < 0)
		return ret;
	m = calloc(1, sizeof(*m));
	if (!m)
		return nsc_err(e, ENOMEM, "monitor");
	m->ctx = ctx;
	m->flags = flags;
	m->ep = m->ino_fd = m->mnt_fd = m->sig_fd = m->wd = -1;
	m->s_ino.kind = SRC_INOTIFY;
	m->s_mnt.kind = SRC_MOUNTS;
	m->s_sig.kind = SRC_SIGNAL;
	if (only && !(m->only = strdup(only))) {
		ret = nsc_err(e, ENOMEM, "monitor");
		goto cleanup;
	}
	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGHUP);
	sigprocmask(SIG_BLOCK, &mask, &m->old_mask);
	m->ep = epoll_create1(EPOLL_CLOEXEC);
	m->ino_fd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
	m->sig_fd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
	m->mnt_fd = open("/proc/self/mountinfo", O_RDONLY | O_CLOEXEC);
	if (m->ep < 0 || m->ino_fd < 0 || m->sig_fd < 0 || m->mnt_fd < 0) {
		ret = nsc_err(e, errno, "monitor: setup");
		goto cleanup;
	}
	if ((ret = ep_add(m, m->ino_fd, EPOLLIN, &m->s_ino)) < 0 ||
	    (ret = ep_add(m, m->mnt_fd, EPOLLPRI, &m->s_mnt)) < 0 ||
	    (ret = ep_add(m, m->sig_fd, EPOLLIN, &m->s_sig)) < 0) {
		ret = nsc_err(e, ret, "monitor: epoll");
		goto cleanup;
	}
	if ((ret = arm_watch(m, e)) < 0)
		goto cleanup;
	*out = m;
	m = NULL;
cleanup:
	nsc_monitor_free(m);
	return ret;
}

void nsc_monitor_free(struct nsc_monitor *m)
{
	if (!m)
		return;
	while (m->list) {
		struct watched *w = m->list;

		m->list = w->next;
		unwatch(m, w);
	}
	if (m->ep >= 0)
		close(m->ep);
	if (m->ino_fd >= 0)
		close(m->ino_fd);
	if (m->sig_fd >= 0) {
		close(m->sig_fd);
		sigprocmask(SIG_SETMASK, &m->old_mask, NULL);
	}
	if (m->mnt_fd >= 0)
		close(m->mnt_fd);
	free(m->only);
	free(m);
}

/* 1 when the run dir itself went away, else 0. */
static int read_inotify(struct nsc_monitor *m, bool *rearm)
{
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	ssize_t n;

	while ((n = read(m->ino_fd, buf, sizeof(buf))) > 0) {
		for (char *p = buf; p < buf + n;) {
			const struct inotify_event *ev = (const void *)p;

			if (m->on_run_dir && ev->wd == m->wd &&
			    (ev->mask & (IN_DELETE_SELF | IN_MOVE_SELF | IN_IGNORED | IN_UNMOUNT)))
				return 1;
			if (!m->on_run_dir)
				*rearm = true;  /* something appeared on the way to the run dir */
			p += sizeof(*ev) + ev->len;
		}
	}
	return 0;
}

static int read_netlink(struct nsc_monitor *m, struct watched *w)
{
	static char buf[65536];
	ssize_t n;
	int ret;

	for (;;) {
		n = recv(mnl_socket_get_fd(w->nl), buf, sizeof(buf), 0);
		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return 0;
			if (errno == EINTR)
				continue;
			if (errno == ENOBUFS) {
				if ((ret = emit(m, NSC_MON_OVERRUN, w->name, NULL)))
					return ret;
				continue;
			}
			return 0;       /* the namespace is going: the scan will tell */
		}
		int len = (int)n;

		for (const struct nlmsghdr *h = (const void *)buf; mnl_nlmsg_ok(h, len);
		     h = mnl_nlmsg_next(h, &len)) {
			if (h->nlmsg_type < RTM_BASE)
				continue;
			if ((ret = emit(m, NSC_MON_NETLINK, w->name, h)))
				return ret;
		}
	}
}

int nsc_monitor_run(struct nsc_monitor *m, bool report_existing, nsc_mon_cb cb,
		    void *data, struct nsc_error *e)
{
	struct epoll_event evs[16];
	int ret;

	m->cb = cb;
	m->cb_data = data;
	if ((ret = scan(m, report_existing)))
		return ret;
	for (;;) {
		bool rescan = false, rearm = false;
		int n = epoll_wait(m->ep, evs, 16, -1);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return nsc_err(e, errno, "monitor: epoll_wait");
		}
		for (int i = 0; i < n; i++) {
			struct src *s = evs[i].data.ptr;

			switch (s->kind) {
			case SRC_SIGNAL: {
				struct signalfd_siginfo si;

				/* consume it, or it kills us once unblocked in free */
				if (read(m->sig_fd, &si, sizeof(si)) < 0)
					(void)0;
				return 0;
			}
			case SRC_INOTIFY:
				if (read_inotify(m, &rearm))
					return 0;       /* the run dir vanished */
				rescan = true;
				break;
			case SRC_MOUNTS:
				rescan = true;
				break;
			case SRC_NETNS:
				if ((ret = read_netlink(m, (struct watched *)s)))
					return ret;
				break;
			}
		}
		if (rearm) {
			if ((ret = arm_watch(m, e)) < 0)
				return ret;
		}
		if (rescan && (ret = scan(m, true)))
			return ret;
	}
}
