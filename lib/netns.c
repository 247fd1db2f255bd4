// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The run dir: named network namespaces as iproute2 keeps them, a file under
 * the run dir with /proc/.../ns/net bind-mounted on it.
 *
 * Locking: the run dir's flock. Making the run dir a shared mount point
 * takes it exclusively (parallel first adds once stacked mounts on it);
 * `add` holds it shared from creating a name file to mounting on it, and
 * removing a stale name takes it exclusively, so a name whose add is still
 * in flight is never taken for stale and removed.
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

#include "internal.h"
#include "nsid.h"

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

bool nsc_mntns_isolated(void)
{
	struct stat self, init;

	if (stat("/proc/self/ns/mnt", &self) < 0 || stat("/proc/1/ns/mnt", &init) < 0)
		return false;   /* cannot tell: do not cry wolf */
	return self.st_ino != init.st_ino || self.st_dev != init.st_dev;
}

static int mkdir_p(const char *path, mode_t mode)
{
	char buf[PATH_MAX];
	size_t len = strlen(path);

	if (len >= sizeof(buf))
		return -ENAMETOOLONG;
	memcpy(buf, path, len + 1);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, mode) < 0 && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(buf, mode) < 0 && errno != EEXIST)
		return -errno;
	return 0;
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
	int fd, ret = 0;

	if (ctx->run_ready)
		return 0;
	ret = mkdir_p(ctx->run_dir, 0755);
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
		/* not a mount point yet */
		if (mount(ctx->run_dir, ctx->run_dir, "none", MS_BIND | MS_REC, NULL) < 0 ||
		    mount("", ctx->run_dir, "none", MS_PRIVATE, NULL) < 0 ||
		    mount("", ctx->run_dir, "none", MS_SHARED | MS_REC, NULL) < 0) {
			ret = nsc_err(e, errno, "mount run dir \"%s\"", ctx->run_dir);
			goto out;
		}
		/*
		 * Our fd still points below the new mount: files made through
		 * it would be hidden. Reopen; the lock is on the same inode.
		 */
		fd = open(ctx->run_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0) {
			ret = nsc_err(e, errno, "run dir \"%s\"", ctx->run_dir);
			goto out;
		}
		flock(ctx->run_fd, LOCK_UN);
		close(ctx->run_fd);
		ctx->run_fd = fd;
		ctx->run_ready = true;
		return 0;
	}
	ctx->run_ready = true;
out:
	flock(ctx->run_fd, LOCK_UN);
	return ret;
}

/* Our name for a file in the run dir, as mount(2) and umount(2) want it. */
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
	pthread_t t;
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
	ret = pthread_create(&t, NULL, mkns_thread, &job);
	if (ret) {
		ret = nsc_err(e, ret, "%s \"%s\": thread", verb, name);
		goto fail;
	}
	pthread_join(t, NULL);
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
	if (mounted)
		umount2(path, MNT_DETACH | UMOUNT_NOFOLLOW);
	close(fd);
	unlinkat(dfd, name, 0);
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
	fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		if (errno == ENOENT)
			return nsc_err_text(e, ENOENT, "netns \"%s\": no such namespace", name);
		if (errno == ELOOP)
			return nsc_err_text(e, EINVAL,
					    "netns \"%s\": is a symbolic link, not a namespace", name);
		return nsc_err(e, errno, "netns \"%s\"", name);
	}
	if (!nsc_fd_is_netns(fd)) {
		close(fd);
		return nsc_err_text(e, ENOENT,
				    "netns \"%s\": stale name, no network namespace is mounted on it (remove it with delete)",
				    name);
	}
	return fd;
}

/* Is the file NAME in the run dir a live network namespace right now? */
static bool name_is_live(int dfd, const char *name)
{
	int fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	bool live;

	if (fd < 0)
		return false;
	live = nsc_fd_is_netns(fd);
	close(fd);
	return live;
}

typedef bool (*proc_visit_fn)(pid_t pid, void *data);

/* Call fn for each process whose network namespace is (dev, ino). */
static int for_each_pid_in(dev_t dev, ino_t ino, proc_visit_fn fn, void *data)
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
			continue;       /* gone, or a kernel thread */
		if (st.st_ino == ino && st.st_dev == dev && !fn((pid_t)pid, data))
			break;
	}
	closedir(d);
	return 0;
}

static bool count_pid(pid_t pid, void *data)
{
	(void)pid;
	(*(unsigned *)data)++;
	return true;
}

int nsc_ns_delete(struct nsc_ctx *ctx, const char *name,
		  struct nsc_del_info *info, struct nsc_error *e)
{
	char path[PATH_MAX];
	struct stat st;
	int dfd, ret;

	if (info)
		info->holders = 0;
	if ((ret = nsc_name_check(name, e)) < 0)
		return ret;
	if ((ret = name_path(ctx, name, path, sizeof(path), e)) < 0)
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

	/* what we hold open in it would keep it, and its veth names, alive */
	nsc_ctx_drop(ctx, name);
	if (info)
		for_each_pid_in(st.st_dev, st.st_ino, count_pid, &info->holders);

	if (umount2(path, MNT_DETACH | UMOUNT_NOFOLLOW) < 0) {
		if (errno != EINVAL)
			return nsc_err(e, errno, "delete \"%s\": unmount", name);
		/*
		 * Nothing mounted: stale, or an add in flight. Exclude adds,
		 * then look again.
		 */
		if (flock(dfd, LOCK_EX) < 0)
			return nsc_err(e, errno, "delete \"%s\": lock run dir", name);
		if (name_is_live(dfd, name) && umount2(path, MNT_DETACH | UMOUNT_NOFOLLOW) < 0) {
			ret = nsc_err(e, errno, "delete \"%s\": unmount", name);
			flock(dfd, LOCK_UN);
			return ret;
		}
		ret = unlinkat(dfd, name, 0) < 0 && errno != ENOENT ? -errno : 0;
		flock(dfd, LOCK_UN);
		if (ret < 0)
			return nsc_err(e, ret, "delete \"%s\": remove %s", name, path);
		return 0;
	}
	if (unlinkat(dfd, name, 0) < 0 && errno != ENOENT)
		return nsc_err(e, errno, "delete \"%s\": remove %s", name, path);
	return 0;
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
	for (size_t i = 0; i < len; i++) {
		int fd;

		list[i].name = names[i];        /* ownership moves */
		list[i].id = -1;
		list[i].state = NSC_NS_STALE;
		fd = openat(dfd, names[i], O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
		if (fd < 0)
			continue;
		if (nsc_fd_is_netns(fd)) {
			struct nsc_error ignore;

			list[i].state = NSC_NS_OK;
			/* ids are a nicety: a failure to read one is not fatal */
			if (own || nsc_sock_get(ctx, NULL, &own, &ignore) == 0)
				nsc_nsid_of_fd(own, fd, &list[i].id, &ignore);
		}
		close(fd);
	}
	free(names);
	qsort(list, len, sizeof(*list), entry_cmp);
	*out = list;
	*n = len;
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
	ret = for_each_pid_in(st.st_dev, st.st_ino, collect_pid, &pv);
	if (ret < 0 || pv.nomem) {
		free(pv.v);
		return nsc_err(e, pv.nomem ? ENOMEM : ret, "pids \"%s\": read /proc", name);
	}
	/* /proc lists in ascending order already */
	*pids = pv.v;
	*n = pv.n;
	return 0;
}
