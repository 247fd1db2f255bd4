// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Named namespaces made and unmade: add, attach, delete, and the list with
 * each name's id. Built on the run dir's primitives (core/rundir.c, which
 * explains its lock and why every path goes through its fd), the socket
 * cache, the holders (core/holders.c) and the veth peers (core/peers.c).
 *
 * What each holds of the run dir's lock: `add` and `attach` shared, from
 * creating the name file to mounting on it; deleting a live name shared,
 * from unmounting to unlinking; removing a stale name exclusively.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <linux/rtnetlink.h>
#include <net/if.h>

#include "core/core.h"
#include "core/delete.h"
#include "core/holders.h"
#include "core/nsid.h"
#include "core/peers.h"
#include "base/util.h"

/* ---- add, attach ---- */

/* A file in the run dir by path, for messages (operations go through the fd). */
static int name_path(struct nsc_ctx *ctx, const char *name, char *buf, size_t size,
		     struct nsc_error *e)
{
	if ((size_t)snprintf(buf, size, "%s/%s", ctx->run_dir, name) >= size)
		return nsc_err(e, ENAMETOOLONG, "netns \"%s\"", name);
	return 0;
}

struct mkns_job {
	const char *target;             /* /proc/self/fd/N of the name file */
	int src_fd;                     /* attach: the namespace to bind; else -1 */
	bool want_sock;
	int err;
	const char *step;
	struct mnl_socket *nl;          /* a socket inside the new namespace */
	int nsfd;                       /* and the namespace, kept with it */
};

/*
 * Runs on the calling thread, which goes back at once (mkns_here), or on
 * the context's maker thread (core/maker.c) where going back would fail
 * (iproute2's setns-back fails in user namespaces and leaves a stale name
 * behind): unshare() moves only the thread that calls it.
 */
static void *mkns_thread(void *arg)
{
	struct mkns_job *job = arg;
	char src[64];

	if (job->src_fd >= 0) {
		snprintf(src, sizeof(src), "/proc/self/fd/%d", job->src_fd);
	} else {
		if (unshare(CLONE_NEWNET) < 0) {
			job->err = -errno;
			job->step = "create network namespace";
			return NULL;
		}
		snprintf(src, sizeof(src), "/proc/thread-self/ns/net");
	}
	if (mount(src, job->target, "none", MS_BIND, NULL) < 0) {
		job->err = -errno;
		job->step = "bind-mount namespace";
		return NULL;
	}
	if (job->want_sock) {
		job->err = nsc_sock_open_in(-1, &job->nl);
		if (job->err)
			job->step = "netlink socket";
		/* for IFLA_NET_NS_FD later: no path walk and checks each time */
		else
			job->nsfd = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	}
	return NULL;
}

/*
 * May this thread make the namespace itself and come back (setns to the
 * namespace it lives in), as the floor does in one thread? Tried once per
 * context: setns to where we are needs what setns back needs (in a user
 * namespace that does not own it, neither works). Saves two thread
 * switches per namespace, which on a loaded machine cost more than the
 * namespace.
 */
static bool can_come_back(struct nsc_ctx *ctx)
{
	if (ctx->home_back < 0) {
		ctx->home_fd = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
		ctx->home_back = ctx->home_fd >= 0 && setns(ctx->home_fd, CLONE_NEWNET) == 0;
	}
	return ctx->home_back == 1;
}

/* The job, on this thread: into the new namespace and back. */
static void mkns_here(struct nsc_ctx *ctx, struct mkns_job *job)
{
	mkns_thread(job);
	/* never left in the wrong namespace: going back worked a moment ago */
	if (setns(ctx->home_fd, CLONE_NEWNET) < 0)
		abort();
}

static int lo_up(struct nsc_sock *s, struct nsc_error *e)
{
	struct ifinfomsg *ifi;
	struct nsc_req r;

	ifi = nsc_req_init(&r, RTM_NEWLINK, 0, AF_UNSPEC, sizeof(*ifi));
	ifi->ifi_index = 1;     /* loopback is always 1 in a new namespace */
	ifi->ifi_flags = IFF_UP;
	ifi->ifi_change = IFF_UP;
	return nsc_req_talk(s, &r, NULL, NULL, e);
}

/*
 * Mount a namespace on the new name file fd: a new one (src_fd < 0, with
 * loopback up unless flags say not) or src_fd's. *mounted says whether the
 * mount is on, for the caller to undo on failure.
 */
static int ns_mount(struct nsc_ctx *ctx, const char *name, int fd, int src_fd,
		    unsigned flags, const char *verb, bool *mounted, struct nsc_error *e)
{
	struct mkns_job job = { .src_fd = src_fd, .nsfd = -1 };
	char target[64];
	struct nsc_sock *s;
	int ret;

	snprintf(target, sizeof(target), "/proc/self/fd/%d", fd);
	job.target = target;
	job.want_sock = src_fd < 0 && !(flags & NSC_ADD_LO_DOWN);
	if (src_fd < 0 && can_come_back(ctx))
		mkns_here(ctx, &job);
	else if ((ret = nsc_maker_run(ctx, mkns_thread, &job, src_fd < 0 ? name : NULL)))
		return nsc_err(e, ret, "%s \"%s\": thread", verb, name);
	*mounted = job.step == NULL || strcmp(job.step, "netlink socket") == 0;
	if (job.err) {
		nsc_maker_stop(ctx, name);      /* it sits in what is being undone */
		return nsc_err(e, job.err, "%s \"%s\": %s", verb, name, job.step);
	}
	if (!job.nl)
		return 0;
	ret = nsc_sock_adopt(ctx, name, job.nl, &s);
	if (ret < 0) {
		if (job.nsfd >= 0)
			close(job.nsfd);
		nsc_maker_stop(ctx, name);
		return nsc_err(e, ret, "%s \"%s\"", verb, name);
	}
	s->nsfd = job.nsfd;
	ret = lo_up(s, e);
	if (ret < 0) {
		nsc_ctx_drop(ctx, name);
		nsc_err_prefix(e, "%s \"%s\": set lo up", verb, name);
	}
	return ret;
}

/* Leave no half-made name behind: unmount it, and remove our name file fd. */
static void ns_unmake(int dfd, const char *name, int fd, bool mounted)
{
	struct stat mine, now;

	if (mounted)
		nsc_run_unmount(dfd, name);
	/*
	 * Only our own file: a delete may have taken our namespace already,
	 * and a new add made the name again (fd is the file under the mount).
	 */
	if (fstat(fd, &mine) == 0 &&
	    fstatat(dfd, name, &now, AT_SYMLINK_NOFOLLOW) == 0 &&
	    mine.st_ino == now.st_ino && mine.st_dev == now.st_dev)
		unlinkat(dfd, name, 0);
}

/* Make NAME: from a new namespace (src_fd < 0) or from an existing one. */
static int ns_make(struct nsc_ctx *ctx, const char *name, int src_fd, unsigned flags,
		   const char *verb, struct nsc_error *e)
{
	char path[PATH_MAX];
	bool mounted = false;
	int fd, dfd, ret;

	if ((ret = nsc_name_check(name, e)) < 0)
		return ret;
	if ((ret = name_path(ctx, name, path, sizeof(path), e)) < 0)
		return ret;
	if ((ret = nsc_run_prepare(ctx, e)) < 0)
		return nsc_err_prefix(e, "%s \"%s\"", verb, name);
	dfd = ctx->run_fd;
	if ((ret = nsc_run_lock(dfd, LOCK_SH, verb, name, e)) < 0)
		return ret;
	/* O_EXCL|O_NOFOLLOW: never reuse, never follow a planted symlink */
	fd = openat(dfd, name, O_RDONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0);
	if (fd < 0) {
		ret = errno == EEXIST ?
			nsc_err_text(e, EEXIST, "%s \"%s\": namespace already exists", verb, name) :
			nsc_err(e, errno, "%s \"%s\": create %s", verb, name, path);
		goto cleanup;
	}
	ret = ns_mount(ctx, name, fd, src_fd, flags, verb, &mounted, e);
	if (ret < 0)
		ns_unmake(dfd, name, fd, mounted);
	close(fd);
cleanup:
	nsc_run_unlock(dfd);
	return ret;
}

int nsc_ns_add(struct nsc_ctx *ctx, const char *name, unsigned flags,
	       struct nsc_error *e)
{
	return ns_make(ctx, name, -1, flags, "add", e);
}

int nsc_ns_attach(struct nsc_ctx *ctx, const char *name, pid_t pid,
		  struct nsc_error *e)
{
	char path[64];
	int ret, fd;

	if ((ret = nsc_name_check(name, e)) < 0)
		return ret;
	if (pid <= 0)
		return nsc_usage(e, "attach \"%s\": invalid pid %d", name, (int)pid);
	snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ?
			nsc_err_text(e, ESRCH, "attach \"%s\": no process %d", name, (int)pid) :
			nsc_err(e, errno, "attach \"%s\": %s", name, path);
	ret = ns_make(ctx, name, fd, NSC_ADD_LO_DOWN, "attach", e);
	close(fd);
	return ret;
}

/* ---- delete ---- */

static bool count_pid(pid_t pid, void *data)
{
	(void)pid;
	(*(unsigned *)data)++;
	return true;
}

/*
 * Nothing (or no network namespace) is mounted on NAME: a stale name, or
 * one whose add is in flight. Adds hold the run dir's lock shared until
 * their mount is on: wait for them, then look again. A name that has come
 * alive was being added when we looked: it is not ours to remove.
 */
int nsc_del_stale(int dfd, const char *name, struct nsc_error *e)
{
	int fd, ret = 0;

	if ((ret = nsc_run_lock(dfd, LOCK_EX, "delete", name, e)) < 0)
		return ret;
	fd = nsc_run_open_name(dfd, name);
	if (fd >= 0) {
		close(fd);
		ret = nsc_err_text(e, EBUSY,
				   "delete \"%s\": its add was still in progress; not deleted",
				   name);
	} else if (fd == -ENOENT) {
		ret = nsc_err_text(e, ENOENT, "delete \"%s\": no such namespace", name);
	} else if (fd == -ELOOP) {
		ret = nsc_err_text(e, EINVAL, "delete \"%s\": not a namespace name file (a symbolic link)",
				   name);
	} else {
		/* another namespace type, or a file, may be mounted there */
		ret = nsc_run_unmount(dfd, name);
		if (ret < 0 && ret != -EINVAL)
			ret = nsc_err(e, ret, "delete \"%s\": unmount", name);
		else if (unlinkat(dfd, name, 0) < 0 && errno != ENOENT)
			ret = nsc_err(e, errno, "delete \"%s\": remove", name);
		else
			ret = 0;
	}
	nsc_run_unlock(dfd);
	return ret;
}

/*
 * NAME's namespace, opened for delete in the run dir (*dfd): the fd, or
 * -errno. *stale (e untouched) when NAME is a name file with no network
 * namespace on it.
 */
int nsc_del_open(struct nsc_ctx *ctx, const char *name, int *dfd, bool *stale,
		 struct nsc_error *e)
{
	struct stat st;
	int fd, ret;

	*stale = false;
	if ((ret = nsc_name_check(name, e)) < 0)
		return ret;
	*dfd = nsc_run_fd(ctx, e);
	if (*dfd < 0)
		return *dfd == -ENOENT ?
			nsc_err_text(e, ENOENT, "delete \"%s\": no such namespace", name) :
			nsc_err_prefix(e, "delete \"%s\"", name);
	if (fstatat(*dfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return errno == ENOENT ?
			nsc_err_text(e, ENOENT, "delete \"%s\": no such namespace", name) :
			nsc_err(e, errno, "delete \"%s\"", name);
	if (!S_ISREG(st.st_mode))
		return nsc_err_text(e, EINVAL, "delete \"%s\": not a namespace name file (%s)",
				    name, S_ISLNK(st.st_mode) ? "a symbolic link" : "not a regular file");
	fd = nsc_run_open_name(*dfd, name);
	if (fd == -ELOOP)       /* swapped for a symlink since the fstatat */
		return nsc_err_text(e, EINVAL, "delete \"%s\": not a namespace name file (a symbolic link)",
				    name);
	if (fd == -ENOENT)
		return nsc_err_text(e, ENOENT, "delete \"%s\": no such namespace", name);
	*stale = fd < 0;
	return fd;
}

/* End the processes inside the namespace st, for delete --kill. */
int nsc_del_kill(const char *name, const struct stat *st,
		 const struct nsc_del_opts *opts, struct nsc_del_info *info,
		 struct nsc_error *e)
{
	struct stat self;

	/* killing the processes of our own namespace would kill us too */
	if (stat("/proc/thread-self/ns/net", &self) == 0 &&
	    self.st_ino == st->st_ino && self.st_dev == st->st_dev)
		return nsc_err_text(e, EBUSY,
				    "delete \"%s\": refusing --kill: it is this process's own network namespace",
				    name);
	return nsc_kill_inside(st->st_dev, st->st_ino, name, opts->kill_grace_ms,
			       opts->wait ? opts->wait_ms : 10000, &info->killed, e);
}

/*
 * Unmount and remove the live name NAME: 0, -errno, or 1 (e untouched)
 * when it has nothing mounted on it any more, or is gone: another delete
 * got there first.
 */
static int delete_unmount(int dfd, const char *name, struct nsc_error *e)
{
	int ret;

	if ((ret = nsc_run_lock(dfd, LOCK_SH, "delete", name, e)) < 0)
		return ret;
	ret = nsc_run_unmount(dfd, name);
	if (ret == -EINVAL || ret == -ENOENT)
		ret = 1;
	else if (ret < 0)
		ret = nsc_err(e, ret, "delete \"%s\": unmount", name);
	else if (unlinkat(dfd, name, 0) < 0 && errno != ENOENT)
		ret = nsc_err(e, errno, "delete \"%s\": remove", name);
	nsc_run_unlock(dfd);
	return ret;
}

/* For delete --wait: until the name's namespace is freed, as far as its
 * veth peers elsewhere tell. */
static int delete_wait(struct nsc_peers *peers, unsigned aliases, const char *name,
		       const struct nsc_del_opts *opts, const struct nsc_del_info *info,
		       struct nsc_error *e)
{
	int ret;

	if (aliases)
		return nsc_err_text(e, EBUSY,
				    "delete \"%s\": name removed, but the namespace has %u other name%s and will not be freed",
				    name, aliases, aliases == 1 ? "" : "s");
	ret = nsc_peers_wait(peers, name, opts->wait_ms, e);
	if (ret == -ETIMEDOUT && info->holders) {
		size_t len = strlen(e->msg);

		snprintf(e->msg + len, sizeof(e->msg) - len,
			 "; %u process%s still inside", info->holders,
			 info->holders == 1 ? " is" : "es are");
	}
	return ret;
}

int nsc_ns_delete(struct nsc_ctx *ctx, const char *name,
		  struct nsc_del_info *info, struct nsc_error *e)
{
	return nsc_ns_delete_opts(ctx, name, NULL, info, e);
}

int nsc_ns_delete_opts(struct nsc_ctx *ctx, const char *name,
		       const struct nsc_del_opts *opts, struct nsc_del_info *info,
		       struct nsc_error *e)
{
	static const struct nsc_del_opts none;
	struct nsc_peers *peers = NULL;
	struct nsc_del_info dummy;
	unsigned aliases = 0;
	struct stat st;
	int dfd = -1, nsfd, ret;
	bool stale;

	if (!opts)
		opts = &none;
	if (!info)
		info = &dummy;
	memset(info, 0, sizeof(*info));
	nsfd = nsc_del_open(ctx, name, &dfd, &stale, e);
	if (stale)
		return nsc_del_stale(dfd, name, e);
	if (nsfd < 0)
		return nsfd;
	if (fstat(nsfd, &st) < 0) {
		ret = nsc_err(e, errno, "delete \"%s\"", name);
		goto cleanup;
	}
	if (opts->kill && (ret = nsc_del_kill(name, &st, opts, info, e)) < 0)
		goto cleanup;
	if (opts->wait) {
		ret = nsc_peers_collect(ctx, name, nsfd, &peers, &info->unwatched, &aliases, e);
		if (ret < 0)
			goto cleanup;
		info->peers = nsc_peers_count(peers);
	}
	/* what we hold open in it would keep it, and its veth names, alive */
	nsc_ctx_drop(ctx, name);
	close(nsfd);
	nsfd = -1;
	nsc_for_each_pid_in(st.st_dev, st.st_ino, count_pid, &info->holders);
	ret = delete_unmount(dfd, name, e);
	if (ret == 1)
		ret = nsc_del_stale(dfd, name, e);
	else if (ret == 0 && opts->wait)
		ret = delete_wait(peers, aliases, name, opts, info, e);
cleanup:
	if (nsfd >= 0)
		close(nsfd);
	nsc_peers_free(peers);
	return ret;
}

/* ---- list ---- */

struct list_ids {
	struct nsc_ctx *ctx;
	struct nsc_sock *own;
};

/* Each live name's id, as the caller's namespace sees it. */
static void add_id(struct nsc_ns_entry *ent, int nsfd, void *data)
{
	struct list_ids *li = data;
	struct nsc_error ignore;

	/* ids are a nicety: a failure to read one is not fatal */
	if (li->own || nsc_sock_get(li->ctx, NULL, &li->own, &ignore) == 0)
		nsc_nsid_of_fd(li->own, nsfd, &ent->id, &ignore);
}

int nsc_ns_list(struct nsc_ctx *ctx, struct nsc_ns_entry **out, size_t *n,
		struct nsc_error *e)
{
	struct list_ids li = { .ctx = ctx };

	return nsc_run_list(ctx, add_id, &li, out, n, e);
}
