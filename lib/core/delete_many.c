// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Many names deleted at once (delete --all, several names, a lab's
 * destroy): each name gets what nsc_ns_delete_opts() does to one, the same
 * checks, kills and messages, but the costs that do not depend on the name
 * are paid once:
 *  - /proc is read once for the holders of all the namespaces (and once
 *    more for --kill), not once per namespace: O(processes), not
 *    O(names x processes);
 *  - the run dir's lock is taken (shared) once for all the unmounts, as one
 *    delete takes it for its own: adds go on meanwhile, stale-name removal
 *    waits;
 *  - the unmounts run side by side on a few threads. Each umount2() waits
 *    in the kernel for an expedited RCU grace period after the mount
 *    namespace's lock is dropped (namespace_unlock), and umounts waiting at
 *    once share their grace periods: one after another, that wait is most
 *    of a teardown's time (and all of the floor's).
 * Names that turn out stale (nothing mounted, or another delete took the
 * mount first) go the one-name way after (nsc_del_stale: the lock
 * exclusively, one at a time). With --wait each name goes the one-name way:
 * its wait is its own.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>

#include "core/core.h"
#include "core/delete.h"
#include "core/holders.h"

/* The threads mostly wait (for grace periods), so more than the CPUs help;
 * 16 at most: beyond, starting them costs more than the waits they share. */
#define MAX_THREADS 16
/* A thread costs about what a few unmounts do. */
#define PER_THREAD 4

enum { ITEM_DONE, ITEM_LIVE, ITEM_STALE };

struct many {
	struct nsc_del_item *v;
	size_t n;
	unsigned char *state;           /* ITEM_* */
	int *res;                       /* unmount: 0, 1 (nothing mounted), -errno */
	const char **step;              /* what failed, with res < 0 */
	size_t next;                    /* the next item to take (atomic) */
	int dfd;
};

/* Unmount and remove the live name v[i]: as netns.c's delete_unmount, with
 * the lock already held and the error only noted (threads share nothing
 * else). */
static void unmount_one(struct many *m, size_t i)
{
	const char *name = m->v[i].name;
	int r = nsc_run_unmount(m->dfd, name);

	m->res[i] = 0;
	if (r == -EINVAL || r == -ENOENT) {
		m->res[i] = 1;
	} else if (r < 0) {
		m->res[i] = r;
		m->step[i] = "unmount";
	} else if (unlinkat(m->dfd, name, 0) < 0 && errno != ENOENT) {
		m->res[i] = -errno;
		m->step[i] = "remove";
	}
}

static void *unmount_thread(void *arg)
{
	struct many *m = arg;

	for (;;) {
		size_t i = __atomic_fetch_add(&m->next, 1, __ATOMIC_RELAXED);

		if (i >= m->n)
			return NULL;
		if (m->state[i] == ITEM_LIVE)
			unmount_one(m, i);
	}
}

/* Every live item unmounted, under the lock held shared, from nt threads
 * (this one among them). */
static void unmount_all(struct many *m, size_t live)
{
	pthread_t tid[MAX_THREADS];
	size_t nt = live / PER_THREAD, started = 0, first = 0;
	int ret;

	if (nt > MAX_THREADS)
		nt = MAX_THREADS;
	while (m->state[first] != ITEM_LIVE)
		first++;
	if ((ret = nsc_run_lock(m->dfd, LOCK_SH, "delete", m->v[first].name, &m->v[first].e)) < 0) {
		/* no lock, no unmount: each name says so */
		for (size_t k = 0; k < m->n; k++) {
			if (m->state[k] != ITEM_LIVE)
				continue;
			m->v[k].ret = nsc_err(&m->v[k].e, -ret, "delete \"%s\": lock run dir",
					      m->v[k].name);
			m->state[k] = ITEM_DONE;
		}
		return;
	}
	/* a thread that cannot start leaves its share to the others */
	for (; started + 1 < nt; started++)
		if (pthread_create(&tid[started], NULL, unmount_thread, m) != 0)
			break;
	unmount_thread(m);
	for (size_t t = 0; t < started; t++)
		pthread_join(tid[t], NULL);
	nsc_run_unlock(m->dfd);
	for (size_t i = 0; i < m->n; i++) {
		if (m->state[i] != ITEM_LIVE)
			continue;
		if (m->res[i] == 1) {
			m->state[i] = ITEM_STALE;       /* another delete got there first */
			continue;
		}
		m->state[i] = ITEM_DONE;
		if (m->res[i] < 0)
			m->v[i].ret = nsc_err(&m->v[i].e, -m->res[i], "delete \"%s\": %s",
					      m->v[i].name, m->step[i]);
	}
}

/*
 * --kill: the processes inside each live namespace ended, as one delete
 * does, but only in those /proc shows held (and our own, which is
 * refused): a namespace nobody is in needs no scan of its own. A
 * namespace whose processes survive keeps its name (ITEM_DONE, the error).
 */
static bool kill_held(struct many *m, const struct nsc_ns_key *keys, size_t nk,
		      unsigned *counts, const struct nsc_del_opts *opts)
{
	bool scanned = nsc_count_pids_of(keys, nk, counts) == 0, killed = false;
	struct stat self;
	bool know_self = stat("/proc/thread-self/ns/net", &self) == 0;

	for (size_t k = 0; k < nk; k++) {
		struct nsc_del_item *it = &m->v[keys[k].idx];
		struct stat st = { .st_dev = keys[k].dev, .st_ino = keys[k].ino };
		bool own = know_self && self.st_dev == st.st_dev && self.st_ino == st.st_ino;

		if (scanned && !counts[k] && !own)
			continue;
		it->ret = nsc_del_kill(it->name, &st, opts, &it->info, &it->e);
		if (it->ret < 0)
			m->state[keys[k].idx] = ITEM_DONE;
		killed = killed || it->info.killed;
	}
	/* the counts still hold when nothing was killed */
	return killed || !scanned;
}

/* Open each name: a live namespace (its key), a stale name, or an error. */
static size_t open_all(struct nsc_ctx *ctx, struct many *m, struct nsc_ns_key *keys)
{
	size_t nk = 0;

	for (size_t i = 0; i < m->n; i++) {
		struct nsc_del_item *it = &m->v[i];
		struct stat st;
		bool stale;
		int dfd = -1, fd;

		fd = nsc_del_open(ctx, it->name, &dfd, &stale, &it->e);
		if (dfd >= 0)
			m->dfd = dfd;
		if (stale) {
			m->state[i] = ITEM_STALE;
			continue;
		}
		if (fd < 0) {
			it->ret = fd;
			continue;
		}
		if (fstat(fd, &st) < 0)
			it->ret = nsc_err(&it->e, errno, "delete \"%s\"", it->name);
		close(fd);
		if (it->ret < 0)
			continue;
		keys[nk++] = (struct nsc_ns_key){ .dev = st.st_dev, .ino = st.st_ino, .idx = i };
		m->state[i] = ITEM_LIVE;
	}
	qsort(keys, nk, sizeof(*keys), nsc_ns_key_cmp);
	return nk;
}

int nsc_ns_delete_many(struct nsc_ctx *ctx, struct nsc_del_item *v, size_t n,
		       const struct nsc_del_opts *opts, struct nsc_error *e)
{
	static const struct nsc_del_opts none;
	struct many m = { .v = v, .n = n, .dfd = -1 };
	struct nsc_ns_key *keys = NULL;
	unsigned *counts = NULL;
	size_t nk, live = 0;
	int ret = 0;

	if (!opts)
		opts = &none;
	for (size_t i = 0; i < n; i++) {
		v[i].ret = 0;
		memset(&v[i].info, 0, sizeof(v[i].info));
		nsc_error_clear(&v[i].e);
	}
	if (opts->wait) {
		for (size_t i = 0; i < n; i++)
			v[i].ret = nsc_ns_delete_opts(ctx, v[i].name, opts, &v[i].info, &v[i].e);
		return 0;
	}
	m.state = calloc(n ? n : 1, 1);
	m.res = calloc(n ? n : 1, sizeof(*m.res));
	m.step = calloc(n ? n : 1, sizeof(*m.step));
	keys = calloc(n ? n : 1, sizeof(*keys));
	counts = calloc(n ? n : 1, sizeof(*counts));
	if (!m.state || !m.res || !m.step || !keys || !counts) {
		ret = nsc_err(e, ENOMEM, "delete");
		goto cleanup;
	}
	nk = open_all(ctx, &m, keys);
	/* after --kill, /proc is read again only when something was killed */
	if (!opts->kill || kill_held(&m, keys, nk, counts, opts))
		nsc_count_pids_of(keys, nk, counts);
	for (size_t k = 0; k < nk; k++) {
		size_t i = keys[k].idx;

		if (m.state[i] != ITEM_LIVE)
			continue;
		v[i].info.holders = counts[k];
		/* what we hold open in it would keep it, and its veth names, alive */
		nsc_ctx_drop(ctx, v[i].name);
		live++;
	}
	if (live)
		unmount_all(&m, live);
	for (size_t i = 0; i < n; i++)
		if (m.state[i] == ITEM_STALE)
			v[i].ret = nsc_del_stale(m.dfd, v[i].name, &v[i].e);
cleanup:
	free(m.state);
	free(m.res);
	free(m.step);
	free(keys);
	free(counts);
	return ret;
}
