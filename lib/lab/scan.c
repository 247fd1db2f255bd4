// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Which of a lab's namespaces are its own, and what is in them: the part of
 * apply and diff that a lab already up spends its time in, so it is lean.
 *
 * A few threads (one per CPU, at most four) take the namespaces one after
 * another, the big dumps first: each probes the name (an open and an
 * fstat), and when the records name that inode, enters the namespace, opens
 * its socket, reads the namespace's cookie from it, and, for the lab's own,
 * runs the dumps asked for (dump.c: links, addresses, routes, neighbours,
 * one request each) over it. The threads touch nothing shared but the next
 * index: each writes only its own namespaces' records, and the sockets go
 * into the context's cache once they are joined.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
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
 * the two agree on its own namespace (id_is_cookie_here, asked before the
 * first scan that only identifies): 1 they did, -1 they did not (or no
 * such ioctl), 0 not known yet. Written by the main thread between scans,
 * read by the scan threads.
 */
static int id_is_cookie;

static uint64_t ns_id(int fd)
{
	uint64_t id = 0;

	if (fd < 0 || ioctl(fd, NS_GET_ID, &id) < 0)
		return 0;
	return id;
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

/*
 * One item per namespace, handed out to the threads one at a time (the
 * next free index, not a fixed share: a thread held up by a big dump does
 * not leave the others idle), those with the big requests first (a link
 * dump: the bridge's namespace, which at 1000 leaves costs as much as
 * hundreds of leaves and must not be the tail). Each thread probes the
 * name itself, so no namespace is held open between its probe and its
 * scan, and the run needs no barrier every few hundred namespaces: what
 * stays open at once is a namespace fd and a socket per thread, plus the
 * sockets kept for the context's cache.
 */
struct scan_item {
	struct lab_ns *ns;
	const struct lab_rec *rec;      /* the state's record of it, NULL: none */
	struct nsc_sock *s;             /* ctx's cached socket for the name, or NULL */
	bool drop;                      /* ... which is in an older namespace */
	struct mnl_socket *nl;          /* the socket opened here, kept for the cache */
};

struct scan_run {
	struct scan_item *v;
	size_t n;
	size_t keep;                    /* items below this keep their socket */
	int dfd;                        /* the run dir, -1: none */
	bool stale;                     /* the records are not to be trusted */
	atomic_size_t next;
	atomic_bool failed;
};

struct scan_thread_arg {
	struct scan_run *run;
	int ret;
	struct nsc_error e;
};

/* What lab_ns_probe does, in the run dir already open. */
static int probe_at(int dfd, struct lab_ns *ns, struct nsc_error *e)
{
	struct stat sb;
	int fd;

	ns->state = NS_ABSENT;
	if (ns->fd >= 0) {
		close(ns->fd);
		ns->fd = -1;
	}
	if (dfd < 0)
		return 0;
	/* the open first: a name there mostly opens, and its fstatat is saved */
	fd = openat(dfd, ns->name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0 && errno == ENOENT)
		return 0;
	if (fd < 0) {
		if (fstatat(dfd, ns->name, &sb, AT_SYMLINK_NOFOLLOW) < 0) {
			if (errno == ENOENT)
				return 0;
			return nsc_err(e, errno, "netns \"%s\"", ns->name);
		}
		ns->state = NS_STALE;
		return 0;       /* a symlink, or unreadable: not a namespace of ours */
	}
	ns->state = NS_STALE;
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

/* One item: probe, and when it is the recorded namespace, socket, cookie, dumps. */
static int scan_one(struct scan_run *run, size_t i, struct nsc_error *e)
{
	struct scan_item *it = &run->v[i];
	struct lab_ns *ns = it->ns;
	struct nsc_sock local = { 0 }, *s = it->s;
	uint64_t want_cookie, cookie;
	int ret;

	if ((ret = probe_at(run->dfd, ns, e)) < 0)
		return ret;
	if (!it->rec || run->stale || ns->state != NS_PRESENT ||
	    it->rec->id[0] != ns->dev || it->rec->id[1] != ns->ino)
		return 0;
	want_cookie = it->rec->id[2];
	/* one cached for an earlier namespace of that name is no use */
	if (s && !sock_in(s, ns)) {
		it->drop = true;
		s = NULL;
	}
	if (!s && !ns->want && id_is_cookie > 0 && (cookie = ns_id(ns->fd))) {
		ns->cookie = cookie;
		ns->ours = !want_cookie || want_cookie == cookie;
		return 0;
	}
	if (!s) {
		if (setns(ns->fd, CLONE_NEWNET) < 0)
			return nsc_err(e, errno, "netns \"%s\": enter", ns->name);
		if ((ret = nsc_sock_open_in(-1, &it->nl)) < 0)
			return nsc_err(e, ret, "netns \"%s\": netlink socket", ns->name);
		local.nl = it->nl;
		local.portid = mnl_socket_get_portid(it->nl);
		s = &local;
	}
	/* inode numbers come back: the cookie never does */
	cookie = sock_cookie(s->nl);
	ns->cookie = cookie;
	ns->ours = !want_cookie || !cookie || want_cookie == cookie;
	if (ns->ours && ns->want && (ret = lab_ns_dump(s, ns, e)) < 0)
		return ret;
	return 0;
}

static void *scan_thread(void *arg)
{
	struct scan_thread_arg *a = arg;
	struct scan_run *run = a->run;

	while (!atomic_load(&run->failed)) {
		size_t i = atomic_fetch_add(&run->next, 1);
		struct scan_item *it;

		if (i >= run->n)
			break;
		it = &run->v[i];
		a->ret = scan_one(run, i, &a->e);
		/* reopened when needed (sysctls); a socket past what the cache keeps goes now */
		if (it->ns->fd >= 0) {
			close(it->ns->fd);
			it->ns->fd = -1;
		}
		if (it->nl && i >= run->keep) {
			mnl_socket_close(it->nl);
			it->nl = NULL;
		}
		if (a->ret < 0) {
			atomic_store(&run->failed, true);
			break;
		}
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

/* Is ns one of the big requests (a dump of every link)? They go first. */
static bool heavy(const struct lab_ns *ns)
{
	return (ns->want & OBS_ALL_LINKS) || ns->n_names > 4;
}

/* The items, heavy ones first, each with its record and cached socket. */
static void list_items(struct nsc_ctx *ctx, struct lab_state *st, struct lab_ns *v, size_t n,
		       struct scan_item *items)
{
	size_t m = 0;

	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < n; i++) {
			struct lab_ns *ns = &v[i];

			if (heavy(ns) != (pass == 0))
				continue;
			ns->ours = false;
			ns->observed = 0;
			items[m++] = (struct scan_item){
				.ns = ns,
				.rec = lab_rec_find(st, REC_NS, ns->name, NULL, NULL, 0),
				.s = ctx->nsocks ? cached(ctx, ns->name) : NULL,
			};
		}
	}
}

/* Does any namespace want a dump? */
static bool wants_dumps(const struct lab_ns *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (v[i].want)
			return true;
	return false;
}

/* Do the id and the cookie agree on the namespace this thread is in (a
 * socket opened here, no setns)? 1 yes, -1 no or cannot tell. Asked before
 * a scan that only identifies (destroy), so that none of its namespaces
 * needs a socket inside to tell. */
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

/* items[0..n) in a few threads; then the sockets opened go to ctx's cache
 * (which keeps what it can), also after a failure. */
static int run_threads(struct nsc_ctx *ctx, struct scan_run *run, struct nsc_error *e)
{
	struct scan_thread_arg args[MAX_THREADS];
	pthread_t tid[MAX_THREADS];
	size_t nt = n_threads(run->n), started = 0;
	int ret = 0;

	for (size_t t = 0; t < nt; t++) {
		args[t] = (struct scan_thread_arg){ .run = run };
		ret = pthread_create(&tid[t], NULL, scan_thread, &args[t]);
		if (ret) {
			atomic_store(&run->failed, true);
			ret = nsc_err(e, ret, "namespaces: thread");
			break;
		}
		started++;
	}
	for (size_t t = 0; t < started; t++)
		pthread_join(tid[t], NULL);
	for (size_t i = 0; i < run->n; i++) {
		struct scan_item *it = &run->v[i];

		if (it->drop)
			nsc_ctx_drop(ctx, it->ns->name);
		if (it->nl && nsc_sock_adopt(ctx, it->ns->name, it->nl, NULL) < 0 && !ret)
			ret = nsc_err(e, ENOMEM, "netlink sockets");
	}
	for (size_t t = 0; t < started && !ret; t++) {
		if (args[t].ret < 0) {
			*e = args[t].e;
			ret = args[t].ret;
		}
	}
	return ret;
}

int lab_ns_scan(struct nsc_ctx *ctx, struct lab_state *st, struct lab_ns *v, size_t n,
		struct nsc_error *e)
{
	struct scan_run run = { .n = n, .stale = st->stale };
	int ret;

	if (!n)
		return 0;
	if ((ret = nsc_run_fd_if_any(ctx, &run.dfd, e)) < 0)
		return ret;
	if (!(run.v = calloc(n, sizeof(*run.v))))
		return nsc_err(e, ENOMEM, "namespaces");
	/* the cache's bound, less room for what it holds already */
	run.keep = ctx->max_socks > ctx->nsocks ? ctx->max_socks - ctx->nsocks : 0;
	if (id_is_cookie == 0 && !wants_dumps(v, n))
		id_is_cookie = id_is_cookie_here();
	list_items(ctx, st, v, n, run.v);
	atomic_init(&run.next, 0);
	atomic_init(&run.failed, false);
	ret = run_threads(ctx, &run, e);
	free(run.v);
	return ret;
}

int lab_ns_probe(struct nsc_ctx *ctx, struct lab_ns *ns, struct nsc_error *e)
{
	int dfd, ret;

	ret = nsc_run_fd_if_any(ctx, &dfd, e);
	if (ret < 0)
		return ret;
	return probe_at(dfd, ns, e);
}

int lab_ns_identify(struct nsc_ctx *ctx, struct lab_state *st, struct lab_ns *ns,
		    struct nsc_error *e)
{
	ns->want = 0;
	return lab_ns_scan(ctx, st, ns, 1, e);
}
