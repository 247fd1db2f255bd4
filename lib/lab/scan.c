// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Which of a lab's namespaces are its own, and what is in them: the part of
 * apply and diff that a lab already up spends its time in, so it is lean.
 *
 * Names are probed from the calling thread (an open and an fstat each).
 * The namespaces recorded with the same inode then need a socket inside
 * each: a few threads (one per CPU, at most four) each enter one namespace
 * after another, open its socket, read the namespace's cookie from it, and,
 * for the lab's own, run the dumps asked for (dump.c: links, addresses,
 * routes, neighbours, one request each) over it. The threads touch nothing shared:
 * each writes only its own namespaces' records, and the sockets go into
 * the context's cache once they are joined.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <linux/sockios.h>

#include "core/core.h"
#include "lab/observe.h"
#include "lab/state.h"

#ifndef SO_NETNS_COOKIE
#define SO_NETNS_COOKIE 71
#endif

#define MAX_THREADS 4

#ifndef NS_GET_ID
#define NS_GET_ID _IOR(0xb7, 0xd, uint64_t)     /* Linux 6.18 */
#endif

/*
 * Since Linux 6.18 a namespace's fd tells its id (NS_GET_ID), and for a
 * network namespace that is the number SO_NETNS_COOKIE gives: a scan that
 * only identifies (destroy, recover: no dumps) then needs no socket inside,
 * no setns, nothing but an ioctl. Trusted only once this process has seen
 * the two agree on a namespace it opened a socket in: 1 they did, -1 they
 * did not (or no such ioctl), 0 not known yet. Written by the main thread
 * between scans, read by the scan threads.
 */
static int id_is_cookie;

static uint64_t ns_id(int fd)
{
	uint64_t id = 0;

	if (fd < 0 || ioctl(fd, NS_GET_ID, &id) < 0)
		return 0;
	return id;
}

/* ---- which namespace ---- */

int lab_ns_probe(struct nsc_ctx *ctx, struct lab_ns *ns, struct nsc_error *e)
{
	struct stat sb;
	int dfd, fd, ret;

	ns->state = NS_ABSENT;
	if (ns->fd >= 0) {
		close(ns->fd);
		ns->fd = -1;
	}
	ret = nsc_run_fd_if_any(ctx, &dfd, e);
	if (ret < 0 || dfd < 0)
		return ret;
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

static void *scan_thread(void *arg)
{
	struct scan_job *j = arg;

	for (size_t i = j->first; i < j->n; i += j->stride) {
		struct scan_item *it = &j->v[i];
		struct lab_ns *ns = it->ns;
		struct nsc_sock local = { 0 }, *s = it->s;
		uint64_t cookie;

		if (!s && !ns->want && id_is_cookie > 0 && (cookie = ns_id(ns->fd))) {
			ns->cookie = cookie;
			ns->ours = !it->want_cookie || it->want_cookie == cookie;
			continue;
		}
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
		if (ns->ours && ns->want && (j->ret = lab_ns_dump(s, ns, &j->e)) < 0)
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

/* Probe v[0..n); those st records with the same inode go to items[0..*m)
 * with the socket ctx has for them, if it is still inside. */
static int pick(struct nsc_ctx *ctx, struct lab_state *st, struct lab_ns *v, size_t n,
		struct scan_item *items, size_t *m, struct nsc_error *e)
{
	*m = 0;
	for (size_t i = 0; i < n; i++) {
		struct lab_ns *ns = &v[i];
		struct lab_rec *rec = lab_rec_find(st, REC_NS, ns->name, NULL, NULL, 0);
		struct scan_item *it = &items[*m];
		int ret;

		ns->ours = false;
		ns->observed = 0;
		if ((ret = lab_ns_probe(ctx, ns, e)) < 0)
			return ret;
		if (!rec || st->stale || ns->state != NS_PRESENT ||
		    rec->id[0] != ns->dev || rec->id[1] != ns->ino)
			continue;
		*it = (struct scan_item){ .ns = ns, .want_cookie = rec->id[2] };
		it->s = cached(ctx, ns->name);
		/* one cached for an earlier namespace of that name is no use */
		if (it->s && !sock_in(it->s, ns)) {
			nsc_ctx_drop(ctx, ns->name);
			it->s = NULL;
		}
		(*m)++;
	}
	return 0;
}

/* Does any item want a dump? */
static bool wants_dumps(const struct scan_item *items, size_t m)
{
	for (size_t i = 0; i < m; i++)
		if (items[i].ns->want)
			return true;
	return false;
}

/* Do the id and the cookie agree on the namespace this thread is in
 * (a socket opened here, no setns)? 1 yes, -1 no or cannot tell. */
static int id_is_cookie_here(void)
{
	struct mnl_socket *nl = NULL;
	uint64_t id, cookie = 0;
	int fd = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);

	id = ns_id(fd);
	if (fd >= 0)
		close(fd);
	if (id && nsc_sock_open_in(-1, &nl) == 0) {
		cookie = sock_cookie(nl);
		mnl_socket_close(nl);
	}
	return id && id == cookie ? 1 : -1;
}

/* Is there work for threads: a dump, or a namespace to enter for its
 * socket? (Else scan_thread only reads ids, which this thread can.) */
static bool threads_help(const struct scan_item *items, size_t m)
{
	for (size_t i = 0; i < m; i++)
		if (items[i].ns->want ||
		    (!items[i].s && (id_is_cookie <= 0 || !ns_id(items[i].ns->fd))))
			return true;
	return false;
}

/* items[0..m) in a few threads: sockets, cookies and dumps. The sockets
 * opened go to ctx's cache (which keeps what it can), also after a failure. */
static int run_threads(struct nsc_ctx *ctx, struct scan_item *items, size_t m,
		       struct nsc_error *e)
{
	struct scan_job jobs[MAX_THREADS];
	pthread_t tid[MAX_THREADS];
	size_t nt = n_threads(m), started = 0;
	int ret = 0;

	/* an identify with the ids trusted: no thread */
	if (!threads_help(items, m)) {
		jobs[0] = (struct scan_job){ .v = items, .n = m, .stride = 1 };
		scan_thread(&jobs[0]);
		if (jobs[0].ret < 0)
			*e = jobs[0].e;
		return jobs[0].ret;
	}
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
	/* items[0] was seen through a socket unless the id was trusted already */
	if (id_is_cookie == 0 && m > 0 && started == nt && items[0].ns->cookie) {
		uint64_t id = ns_id(items[0].ns->fd);

		id_is_cookie = id && id == items[0].ns->cookie ? 1 : -1;
	}
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
		size_t k = n - start < slice ? n - start : slice, m;

		ret = pick(ctx, st, v + start, k, items, &m, e);
		/* not known yet whether the id is the cookie: our own
		 * namespace tells, and then an identify needs no socket inside
		 * (destroy) */
		if (ret == 0 && m && id_is_cookie == 0 && !wants_dumps(items, m))
			id_is_cookie = id_is_cookie_here();
		if (ret == 0 && m)
			ret = run_threads(ctx, items, m, e);
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
