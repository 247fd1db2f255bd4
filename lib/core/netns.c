// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The run dir: named network namespaces as iproute2 keeps them, a file under
 * the run dir with /proc/.../ns/net bind-mounted on it.
 *
 * Locking: the run dir's flock. Making the run dir a shared mount point
 * takes it exclusively (parallel first adds once stacked mounts on it);
 * `add` holds it shared from creating a name file to mounting on it, and
 * removing a stale name takes it exclusively, so a name whose add is still
 * in flight is never taken for stale and removed. Deleting a live name holds
 * it shared from unmounting to unlinking, so that nobody else unlinks the
 * name (stale for that moment) and a new add of it in between.
 *
 * Paths: the run dir's own path is trusted as configured (/var/run is a
 * symlink to /run on most systems, so it must be followed) and opened once;
 * everything after goes through that fd: *at() calls with O_NOFOLLOW, and
 * mount(2)/umount2(2) on /proc/self/fd/N/NAME (UMOUNT_NOFOLLOW), so neither a
 * symlink planted in the run dir nor a path component swapped after the
 * open can make us unlink, unmount or mount over anything outside it.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <linux/magic.h>
#include <linux/nsfs.h>
#include <linux/rtnetlink.h>
#include <net/if.h>

#include "core/holders.h"
#include "core/core.h"
#include "base/util.h"
#include "core/nsid.h"

#ifndef NSFS_MAGIC
#define NSFS_MAGIC 0x6e736673
#endif

bool nsc_fd_is_netns(int fd)
{
	struct statfs sfs;

	if (fstatfs(fd, &sfs) < 0 || (unsigned long)sfs.f_type != NSFS_MAGIC)
		return false;
	return ioctl(fd, NS_GET_NSTYPE) == CLONE_NEWNET;
}

/*
 * Open run dir entry NAME as a network namespace without following a symlink
 * and without opening anything else than an nsfs file (a FIFO would block,
 * a device could act on open): O_PATH first, look, then reopen it. Returns
 * the fd, -ENOENT, -ELOOP (a symlink), -ESTALE (not a network namespace: a
 * stale name, an add in flight, another file type or namespace type), or
 * another -errno.
 */
static int name_open(int dfd, const char *name)
{
	_cleanup_close_ int pfd = -1;
	struct statfs sfs;
	struct stat st;
	char proc[64];
	int fd;

	pfd = openat(dfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (pfd < 0)
		return -errno;
	if (fstat(pfd, &st) < 0 || fstatfs(pfd, &sfs) < 0)
		return -errno;
	if (S_ISLNK(st.st_mode))
		return -ELOOP;
	if (!S_ISREG(st.st_mode) || (unsigned long)sfs.f_type != NSFS_MAGIC)
		return -ESTALE;
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", pfd);
	fd = open(proc, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (!nsc_fd_is_netns(fd)) {
		close(fd);
		return -ESTALE;
	}
	return fd;
}

/* NAME in the run dir as a path for mount(2) and umount2(2), through our fd. */
static void fd_path(char buf[static 320], int dfd, const char *name)
{
	snprintf(buf, 320, "/proc/self/fd/%d/%s", dfd, name);
}

bool nsc_mntns_isolated(void)
{
	struct stat self, init;

	if (stat("/proc/self/ns/mnt", &self) < 0 || stat("/proc/1/ns/mnt", &init) < 0)
		return false;   /* cannot tell: do not cry wolf */
	return self.st_ino != init.st_ino || self.st_dev != init.st_dev;
}

/*
 * Create the run dir and make it a shared mount point, so that namespace
 * mounts on its files propagate to every mount namespace that sees it. If it
 * is not a mount point yet, bind it on itself and make it private first:
 * the private step keeps it out of systemd's shared /run peer group, which
 * would otherwise double every namespace mount.
 */
static int rundir_prepare(struct nsc_ctx *ctx, struct nsc_error *e)
{
	struct stat old_st, new_st;
	int fd, ret = 0;

	if (ctx->run_ready)
		return 0;
	ret = nsc_mkdir_p(ctx->run_dir, 0755);
	if (ret < 0)
		return nsc_err(e, ret, "run dir \"%s\"", ctx->run_dir);
	fd = nsc_run_fd(ctx, e);
	if (fd < 0)
		return fd;
	if (flock(fd, LOCK_EX) < 0)
		return nsc_err(e, errno, "lock run dir \"%s\"", ctx->run_dir);

	if (mount("", ctx->run_dir, "none", MS_SHARED | MS_REC, NULL) < 0) {
		if (errno != EINVAL) {
			ret = nsc_err(e, errno, "make run dir \"%s\" shared", ctx->run_dir);
			goto out;
		}
		/* not a mount point yet: we hold the lock, nobody else binds */
		if (mount(ctx->run_dir, ctx->run_dir, "none", MS_BIND | MS_REC, NULL) < 0 ||
		    mount("", ctx->run_dir, "none", MS_PRIVATE, NULL) < 0 ||
		    mount("", ctx->run_dir, "none", MS_SHARED | MS_REC, NULL) < 0) {
			ret = nsc_err(e, errno, "mount run dir \"%s\"", ctx->run_dir);
			goto out;
		}
	}
	/*
	 * Our fd may point below the mount, made by us just now or by another
	 * add while we waited for the lock: a name file made through it would
	 * be seen, but the namespace mounted on it would stay hidden under the
	 * run dir's mount (a stale name for everybody else). Reopen on top; it
	 * must be the same directory (the lock is on that inode).
	 */
	fd = open(ctx->run_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		ret = nsc_err(e, errno, "run dir \"%s\"", ctx->run_dir);
		goto out;
	}
	if (fstat(fd, &new_st) < 0 || fstat(ctx->run_fd, &old_st) < 0 ||
	    new_st.st_ino != old_st.st_ino || new_st.st_dev != old_st.st_dev) {
		close(fd);
		ret = nsc_err_text(e, EBUSY, "run dir \"%s\": changed while we prepared it",
				   ctx->run_dir);
		goto out;
	}
	flock(ctx->run_fd, LOCK_UN);
	close(ctx->run_fd);
	ctx->run_fd = fd;
	ctx->run_ready = true;
	return 0;
out:
	flock(ctx->run_fd, LOCK_UN);
	return ret;
}

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
};

/*
 * Runs in a short-lived thread: unshare() moves only this thread, which then
 * exits, so nothing has to be switched back (iproute2's setns-back fails in
 * user namespaces and leaves a stale name behind).
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
	}
	return NULL;
}

static int lo_up(struct nsc_sock *s, struct nsc_error *e)
{
	char buf[256];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifi;

	nlh->nlmsg_type = RTM_NEWLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = 1;     /* loopback is always 1 in a new namespace */
	ifi->ifi_flags = IFF_UP;
	ifi->ifi_change = IFF_UP;
	return nsc_nl_talk(s, nlh, NULL, NULL, e);
}

/* Make NAME: from a new namespace (src_fd < 0) or from an existing one. */
static int ns_make(struct nsc_ctx *ctx, const char *name, int src_fd, unsigned flags,
		   const char *verb, struct nsc_error *e)
{
	struct mkns_job job = { .src_fd = src_fd };
	char path[PATH_MAX], target[64];
	struct nsc_sock *s;
	bool mounted = false;
	int fd = -1, dfd, ret;

	if ((ret = nsc_name_check(name, e)) < 0)
		return ret;
	if ((ret = name_path(ctx, name, path, sizeof(path), e)) < 0)
		return ret;
	if ((ret = rundir_prepare(ctx, e)) < 0)
		return nsc_err_prefix(e, "%s \"%s\"", verb, name);
	dfd = ctx->run_fd;
	if (flock(dfd, LOCK_SH) < 0)
		return nsc_err(e, errno, "%s \"%s\": lock run dir", verb, name);

	/* O_EXCL|O_NOFOLLOW: never reuse, never follow a planted symlink */
	fd = openat(dfd, name, O_RDONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0);
	if (fd < 0) {
		ret = errno == EEXIST ?
			nsc_err_text(e, EEXIST, "%s \"%s\": namespace already exists", verb, name) :
			nsc_err(e, errno, "%s \"%s\": create %s", verb, name, path);
		goto unlock;
	}
	snprintf(target, sizeof(target), "/proc/self/fd/%d", fd);
	job.target = target;
	job.want_sock = src_fd < 0 && !(flags & NSC_ADD_LO_DOWN);
	ret = nsc_thread_run(mkns_thread, &job);
	if (ret) {
		ret = nsc_err(e, ret, "%s \"%s\": thread", verb, name);
		goto fail;
	}
	mounted = job.step == NULL || strcmp(job.step, "netlink socket") == 0;
	if (job.err) {
		ret = nsc_err(e, job.err, "%s \"%s\": %s", verb, name, job.step);
		goto fail;
	}
	if (job.nl) {
		ret = nsc_sock_adopt(ctx, name, job.nl, &s);
		if (ret < 0) {
			ret = nsc_err(e, ret, "%s \"%s\"", verb, name);
			goto fail;
		}
		ret = lo_up(s, e);
		if (ret < 0) {
			nsc_ctx_drop(ctx, name);
			nsc_err_prefix(e, "%s \"%s\": set lo up", verb, name);
			goto fail;
		}
	}
	close(fd);
	flock(dfd, LOCK_UN);
	return 0;

fail:
	/* leave no half-made name behind */
	if (mounted) {
		char mp[320];

		fd_path(mp, dfd, name);
		umount2(mp, MNT_DETACH | UMOUNT_NOFOLLOW);
	}
	/*
	 * Only our own file: a delete may have taken our namespace already,
	 * and a new add made the name again (fd is the file under the mount).
	 */
	{
		struct stat mine, now;

		if (fstat(fd, &mine) == 0 &&
		    fstatat(dfd, name, &now, AT_SYMLINK_NOFOLLOW) == 0 &&
		    mine.st_ino == now.st_ino && mine.st_dev == now.st_dev)
			unlinkat(dfd, name, 0);
	}
	close(fd);
unlock:
	flock(dfd, LOCK_UN);
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

int nsc_ns_open(struct nsc_ctx *ctx, const char *name, struct nsc_error *e)
{
	int dfd, fd, ret;

	if ((ret = nsc_name_check(name, e)) < 0)
		return ret;
	dfd = nsc_run_fd(ctx, e);
	if (dfd < 0) {
		if (dfd == -ENOENT)
			return nsc_err_text(e, ENOENT, "netns \"%s\": no such namespace", name);
		return dfd;
	}
	fd = name_open(dfd, name);
	switch (fd) {
	case -ENOENT:
		return nsc_err_text(e, ENOENT, "netns \"%s\": no such namespace", name);
	case -ELOOP:
		return nsc_err_text(e, EINVAL,
				    "netns \"%s\": is a symbolic link, not a namespace", name);
	case -ESTALE:
		return nsc_err_text(e, ENOENT,
				    "netns \"%s\": stale name, no network namespace is mounted on it (remove it with delete)",
				    name);
	}
	if (fd < 0)
		return nsc_err(e, fd, "netns \"%s\"", name);
	return fd;
}

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
static int delete_stale(int dfd, const char *name, struct nsc_error *e)
{
	char mp[320];
	int fd, ret = 0;

	if (flock(dfd, LOCK_EX) < 0)
		return nsc_err(e, errno, "delete \"%s\": lock run dir", name);
	fd = name_open(dfd, name);
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
		fd_path(mp, dfd, name);
		if (umount2(mp, MNT_DETACH | UMOUNT_NOFOLLOW) < 0 && errno != EINVAL)
			ret = nsc_err(e, errno, "delete \"%s\": unmount", name);
		else if (unlinkat(dfd, name, 0) < 0 && errno != ENOENT)
			ret = nsc_err(e, errno, "delete \"%s\": remove", name);
	}
	flock(dfd, LOCK_UN);
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
	_cleanup_close_ int nsfd = -1;
	char mp[320];
	struct stat st, self;
	int dfd, ret;

	if (!opts)
		opts = &none;
	if (!info)
		info = &dummy;
	memset(info, 0, sizeof(*info));
	if ((ret = nsc_name_check(name, e)) < 0)
		return ret;
	dfd = nsc_run_fd(ctx, e);
	if (dfd < 0)
		return dfd == -ENOENT ?
			nsc_err_text(e, ENOENT, "delete \"%s\": no such namespace", name) :
			nsc_err_prefix(e, "delete \"%s\"", name);
	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return errno == ENOENT ?
			nsc_err_text(e, ENOENT, "delete \"%s\": no such namespace", name) :
			nsc_err(e, errno, "delete \"%s\"", name);
	if (!S_ISREG(st.st_mode))
		return nsc_err_text(e, EINVAL, "delete \"%s\": not a namespace name file (%s)",
				    name, S_ISLNK(st.st_mode) ? "a symbolic link" : "not a regular file");

	nsfd = name_open(dfd, name);
	if (nsfd == -ELOOP)     /* swapped for a symlink since the fstatat */
		return nsc_err_text(e, EINVAL, "delete \"%s\": not a namespace name file (a symbolic link)",
				    name);
	if (nsfd == -ENOENT)
		return nsc_err_text(e, ENOENT, "delete \"%s\": no such namespace", name);
	if (nsfd < 0)
		return delete_stale(dfd, name, e);
	if (fstat(nsfd, &st) < 0)
		return nsc_err(e, errno, "delete \"%s\"", name);

	if (opts->kill) {
		/* killing the processes of our own namespace would kill us too */
		if (stat("/proc/thread-self/ns/net", &self) == 0 &&
		    self.st_ino == st.st_ino && self.st_dev == st.st_dev)
			return nsc_err_text(e, EBUSY,
					    "delete \"%s\": refusing --kill: it is this process's own network namespace",
					    name);
		ret = nsc_kill_inside(st.st_dev, st.st_ino, name, opts->kill_grace_ms,
				      opts->wait ? opts->wait_ms : 10000, &info->killed, e);
		if (ret < 0)
			return ret;
	}
	if (opts->wait) {
		ret = nsc_peers_collect(ctx, name, nsfd, &peers, &info->unwatched, &aliases, e);
		if (ret < 0)
			return ret;
		info->peers = nsc_peers_count(peers);
	}

	/* what we hold open in it would keep it, and its veth names, alive */
	nsc_ctx_drop(ctx, name);
	close(nsfd);
	nsfd = -1;
	nsc_for_each_pid_in(st.st_dev, st.st_ino, count_pid, &info->holders);

	fd_path(mp, dfd, name);
	if (flock(dfd, LOCK_SH) < 0) {
		ret = nsc_err(e, errno, "delete \"%s\": lock run dir", name);
		goto out;
	}
	if (umount2(mp, MNT_DETACH | UMOUNT_NOFOLLOW) < 0) {
		ret = errno;
		flock(dfd, LOCK_UN);
		/* not mounted, or not there, any more: another delete got there first */
		ret = ret == EINVAL || ret == ENOENT ? delete_stale(dfd, name, e) :
			nsc_err(e, ret, "delete \"%s\": unmount", name);
		goto out;
	}
	ret = unlinkat(dfd, name, 0) < 0 && errno != ENOENT ? -errno : 0;
	flock(dfd, LOCK_UN);
	if (ret < 0) {
		nsc_err(e, ret, "delete \"%s\": remove", name);
		goto out;
	}
	if (opts->wait) {
		if (aliases) {
			ret = nsc_err_text(e, EBUSY,
					   "delete \"%s\": name removed, but the namespace has %u other name%s and will not be freed",
					   name, aliases, aliases == 1 ? "" : "s");
			goto out;
		}
		ret = nsc_peers_wait(peers, name, opts->wait_ms, e);
		if (ret == -ETIMEDOUT && info->holders) {
			size_t len = strlen(e->msg);

			snprintf(e->msg + len, sizeof(e->msg) - len,
				 "; %u process%s still inside", info->holders,
				 info->holders == 1 ? " is" : "es are");
		}
	}
out:
	nsc_peers_free(peers);
	return ret;
}

static int entry_cmp(const void *a, const void *b)
{
	return strcmp(((const struct nsc_ns_entry *)a)->name,
		      ((const struct nsc_ns_entry *)b)->name);
}

void nsc_ns_list_free(struct nsc_ns_entry *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(list[i].name);
	free(list);
}

/* Every name in the run dir, unsorted; an absent run dir is an empty list. */
static int read_names(struct nsc_ctx *ctx, char ***out, size_t *n, struct nsc_error *e)
{
	char **v = NULL;
	size_t cap = 0, len = 0;
	struct dirent *de;
	DIR *d;
	int dfd;

	*out = NULL;
	*n = 0;
	dfd = nsc_run_fd(ctx, e);
	if (dfd == -ENOENT) {
		nsc_error_clear(e);
		return 0;
	}
	if (dfd < 0)
		return dfd;
	dfd = openat(dfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0 || !(d = fdopendir(dfd))) {
		if (dfd >= 0)
			close(dfd);
		return nsc_err(e, errno, "read run dir \"%s\"", ctx->run_dir);
	}
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (len == cap) {
			char **nv = realloc(v, (cap = cap ? cap * 2 : 16) * sizeof(*v));

			if (!nv)
				goto nomem;
			v = nv;
		}
		if (!(v[len] = strdup(de->d_name)))
			goto nomem;
		len++;
	}
	closedir(d);
	*out = v;
	*n = len;
	return 0;
nomem:
	closedir(d);
	nsc_strv_free(v, len);
	return nsc_err(e, ENOMEM, "read run dir");
}

void nsc_strv_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

int nsc_ns_list(struct nsc_ctx *ctx, struct nsc_ns_entry **out, size_t *n,
		struct nsc_error *e)
{
	struct nsc_ns_entry *list = NULL;
	struct nsc_sock *own = NULL;
	char **names;
	size_t len;
	int ret, dfd;

	*out = NULL;
	*n = 0;
	ret = read_names(ctx, &names, &len, e);
	if (ret < 0 || !len)
		return ret;
	list = calloc(len, sizeof(*list));
	if (!list) {
		nsc_strv_free(names, len);
		return nsc_err(e, ENOMEM, "list");
	}
	dfd = ctx->run_fd;
	size_t k = 0;

	for (size_t i = 0; i < len; i++) {
		struct nsc_error ignore;
		int fd = name_open(dfd, names[i]);

		if (fd == -ENOENT) {    /* deleted since readdir: not stale, gone */
			free(names[i]);
			continue;
		}
		list[k].name = names[i];        /* ownership moves */
		list[k].id = -1;
		list[k].state = NSC_NS_STALE;
		if (fd >= 0) {
			list[k].state = NSC_NS_OK;
			/* ids are a nicety: a failure to read one is not fatal */
			if (own || nsc_sock_get(ctx, NULL, &own, &ignore) == 0)
				nsc_nsid_of_fd(own, fd, &list[k].id, &ignore);
			close(fd);
		}
		k++;
	}
	free(names);
	qsort(list, k, sizeof(*list), entry_cmp);
	*out = list;
	*n = k;
	return 0;
}

static int strp_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int nsc_ns_identify(struct nsc_ctx *ctx, pid_t pid, char ***out, size_t *n,
		    struct nsc_error *e)
{
	char path[64], **names;
	struct stat want;
	size_t len, found = 0;
	int ret;

	*out = NULL;
	*n = 0;
	if (pid)
		snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)pid);
	else
		snprintf(path, sizeof(path), "/proc/self/ns/net");
	if (stat(path, &want) < 0)
		return errno == ENOENT ?
			nsc_err_text(e, ESRCH, "identify %d: no such process", (int)pid) :
			nsc_err(e, errno, "identify %d", (int)pid);
	ret = read_names(ctx, &names, &len, e);
	if (ret < 0)
		return ret;
	for (size_t i = 0; i < len; i++) {
		struct stat st;

		/* stat crosses the mount on the name file: the namespace itself */
		if (fstatat(ctx->run_fd, names[i], &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		    st.st_ino == want.st_ino && st.st_dev == want.st_dev)
			names[found++] = names[i];
		else
			free(names[i]);
	}
	qsort(names, found, sizeof(*names), strp_cmp);
	*out = names;
	*n = found;
	return 0;
}

struct pid_vec {
	pid_t *v;
	size_t n, cap;
	bool nomem;
};

static bool collect_pid(pid_t pid, void *data)
{
	struct pid_vec *pv = data;

	if (pv->n == pv->cap) {
		pid_t *nv = realloc(pv->v, (pv->cap = pv->cap ? pv->cap * 2 : 32) * sizeof(*nv));

		if (!nv) {
			pv->nomem = true;
			return false;
		}
		pv->v = nv;
	}
	pv->v[pv->n++] = pid;
	return true;
}

int nsc_ns_pids(struct nsc_ctx *ctx, const char *name, pid_t **pids,
		size_t *n, struct nsc_error *e)
{
	struct pid_vec pv = { 0 };
	struct stat st;
	int fd, ret;

	*pids = NULL;
	*n = 0;
	fd = nsc_ns_open(ctx, name, e);
	if (fd < 0)
		return nsc_err_prefix(e, "pids");
	ret = fstat(fd, &st) < 0 ? -errno : 0;
	close(fd);
	if (ret < 0)
		return nsc_err(e, ret, "pids \"%s\"", name);
	ret = nsc_for_each_pid_in(st.st_dev, st.st_ino, collect_pid, &pv);
	if (ret < 0 || pv.nomem) {
		free(pv.v);
		return nsc_err(e, pv.nomem ? ENOMEM : ret, "pids \"%s\": read /proc", name);
	}
	/* /proc lists in ascending order already */
	*pids = pv.v;
	*n = pv.n;
	return 0;
}
