// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The run dir's primitives: named network namespaces as iproute2 keeps
 * them, a file under the run dir with /proc/.../ns/net bind-mounted on it.
 * Opening the dir and a name, the dir's lock, listing and identifying; add,
 * attach and delete (core/netns.c) are built on these.
 *
 * Locking: the run dir's flock. Making the run dir a shared mount point
 * takes it exclusively (parallel first adds once stacked mounts on it);
 * `add` holds it shared from creating a name file to mounting on it, and
 * removing a stale name takes it exclusively, so a name whose add is still
 * in flight is never taken for stale and removed; readers (list, open) that
 * find a name stale take it exclusively too and look again before they say
 * so. Deleting a live name holds
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

#include "core/core.h"
#include "base/util.h"

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

int nsc_run_fd(struct nsc_ctx *ctx, struct nsc_error *e)
{
	if (ctx->run_fd >= 0)
		return ctx->run_fd;
	ctx->run_fd = open(ctx->run_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (ctx->run_fd < 0)
		return nsc_err(e, errno, "run dir \"%s\"", ctx->run_dir);
	return ctx->run_fd;
}

int nsc_run_fd_if_any(struct nsc_ctx *ctx, int *dfd, struct nsc_error *e)
{
	*dfd = nsc_run_fd(ctx, e);
	if (*dfd >= 0)
		return 0;
	if (*dfd != -ENOENT)
		return *dfd;
	*dfd = -1;
	nsc_error_clear(e);
	return 0;
}

/*
 * Make DIR a shared mount point, so that namespace mounts on its files
 * propagate to every mount namespace that sees it. If it is not a mount
 * point yet, bind it on itself and make it private first: the private step
 * keeps it out of systemd's shared /run peer group, which would otherwise
 * double every namespace mount. The caller holds the lock exclusively.
 */
static int make_shared(const char *dir, struct nsc_error *e)
{
	if (mount("", dir, "none", MS_SHARED | MS_REC, NULL) == 0)
		return 0;
	if (errno != EINVAL)
		return nsc_err(e, errno, "make run dir \"%s\" shared", dir);
	/* not a mount point yet: we hold the lock, nobody else binds */
	if (mount(dir, dir, "none", MS_BIND | MS_REC, NULL) < 0 ||
	    mount("", dir, "none", MS_PRIVATE, NULL) < 0 ||
	    mount("", dir, "none", MS_SHARED | MS_REC, NULL) < 0)
		return nsc_err(e, errno, "mount run dir \"%s\"", dir);
	return 0;
}

static bool same_inode(int a, int b)
{
	struct stat sa, sb;

	return fstat(a, &sa) == 0 && fstat(b, &sb) == 0 &&
	       sa.st_ino == sb.st_ino && sa.st_dev == sb.st_dev;
}

int nsc_run_prepare(struct nsc_ctx *ctx, struct nsc_error *e)
{
	int lockfd, fd = -1, ret;

	if (ctx->run_ready)
		return 0;
	ret = nsc_mkdir_p(ctx->run_dir, 0755);
	if (ret < 0)
		return nsc_err(e, ret, "run dir \"%s\"", ctx->run_dir);
	lockfd = nsc_run_fd(ctx, e);
	if (lockfd < 0)
		return lockfd;
	if (flock(lockfd, LOCK_EX) < 0)
		return nsc_err(e, errno, "lock run dir \"%s\"", ctx->run_dir);
	ret = make_shared(ctx->run_dir, e);
	if (ret < 0)
		goto cleanup;
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
		goto cleanup;
	}
	if (!same_inode(fd, lockfd)) {
		ret = nsc_err_text(e, EBUSY, "run dir \"%s\": changed while we prepared it",
				   ctx->run_dir);
		goto cleanup;
	}
	ctx->run_fd = fd;
	ctx->run_ready = true;
	fd = lockfd;            /* the old fd: unlocked and closed below */
	ret = 0;
cleanup:
	flock(lockfd, LOCK_UN);
	if (fd >= 0)
		close(fd);
	return ret;
}

int nsc_ctx_run_ready(struct nsc_ctx *ctx, struct nsc_error *e)
{
	return nsc_run_prepare(ctx, e);
}

int nsc_run_lock(int dfd, int how, const char *verb, const char *name,
		 struct nsc_error *e)
{
	if (flock(dfd, how) < 0)
		return nsc_err(e, errno, "%s \"%s\": lock run dir", verb, name);
	return 0;
}

void nsc_run_unlock(int dfd)
{
	flock(dfd, LOCK_UN);
}

/*
 * Without following a symlink and without opening anything else than an
 * nsfs file (a FIFO would block, a device could act on open): O_PATH first,
 * look, then reopen it.
 */
int nsc_run_open_name(int dfd, const char *name)
{
	struct statfs sfs;
	struct stat st;
	char proc[64];
	int pfd, ret;

	pfd = openat(dfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (pfd < 0)
		return -errno;
	ret = fstat(pfd, &st) < 0 || fstatfs(pfd, &sfs) < 0 ? -errno : 0;
	if (ret < 0)
		goto cleanup;
	ret = -ELOOP;
	if (S_ISLNK(st.st_mode))
		goto cleanup;
	ret = -ESTALE;
	if (!S_ISREG(st.st_mode) || (unsigned long)sfs.f_type != NSFS_MAGIC)
		goto cleanup;
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", pfd);
	ret = open(proc, O_RDONLY | O_CLOEXEC);
	if (ret < 0) {
		ret = -errno;
		goto cleanup;
	}
	if (!nsc_fd_is_netns(ret)) {
		close(ret);
		ret = -ESTALE;
	}
cleanup:
	close(pfd);
	return ret;
}

/*
 * NAME looked stale (-ESTALE from nsc_run_open_name). An add holds the lock
 * shared until its mount is on, a delete from its unmount to its unlink:
 * with the lock held exclusively neither is half done, so look again. The
 * fd, or -errno as nsc_run_open_name(): -ENOENT when a delete was in flight,
 * -ESTALE for a name that really is stale. A blocking wait, as delete's: a
 * polling one starves while one process adds and deletes in a loop (the
 * lock is free for microseconds at a time).
 */
static int open_settled(int dfd, const char *name)
{
	int fd;

	if (flock(dfd, LOCK_EX) < 0)
		return -ESTALE;
	fd = nsc_run_open_name(dfd, name);
	flock(dfd, LOCK_UN);
	return fd;
}

int nsc_run_unmount(int dfd, const char *name)
{
	char mp[320];           /* "/proc/self/fd/N/" and a NAME_MAX name */

	snprintf(mp, sizeof(mp), "/proc/self/fd/%d/%s", dfd, name);
	return umount2(mp, MNT_DETACH | UMOUNT_NOFOLLOW) < 0 ? -errno : 0;
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
	fd = nsc_run_open_name(dfd, name);
	if (fd == -ESTALE)
		fd = open_settled(dfd, name);
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

void nsc_strv_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* Every name in the run dir, unsorted; an absent run dir is an empty list. */
static int read_names(struct nsc_ctx *ctx, char ***out, size_t *n, struct nsc_error *e)
{
	char **v = NULL;
	size_t cap = 0, len = 0;
	struct dirent *de;
	DIR *d = NULL;
	int dfd, ret;

	*out = NULL;
	*n = 0;
	if ((ret = nsc_run_fd_if_any(ctx, &dfd, e)) < 0 || dfd < 0)
		return ret;
	/* a stream of our own: readdir would move the shared fd's offset */
	dfd = openat(dfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	d = dfd >= 0 ? fdopendir(dfd) : NULL;
	if (!d) {
		ret = nsc_err(e, errno, "read run dir \"%s\"", ctx->run_dir);
		if (dfd >= 0)
			close(dfd);
		return ret;
	}
	ret = -ENOMEM;
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (NSC_GROW(v, cap, len + 1) < 0 || !(v[len] = strdup(de->d_name)))
			goto cleanup;
		len++;
	}
	*out = v;
	*n = len;
	v = NULL;
	len = 0;
	ret = 0;
cleanup:
	closedir(d);
	nsc_strv_free(v, len);
	return ret < 0 ? nsc_err(e, ret, "read run dir") : 0;
}

static int entry_cmp(const void *a, const void *b)
{
	return strcmp(((const struct nsc_ns_entry *)a)->name,
		      ((const struct nsc_ns_entry *)b)->name);
}

int nsc_run_list(struct nsc_ctx *ctx, nsc_run_entry_fn fn, void *data,
		 struct nsc_ns_entry **out, size_t *n, struct nsc_error *e)
{
	struct nsc_ns_entry *list;
	size_t len, k = 0;
	char **names;
	int ret;

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
	for (size_t i = 0; i < len; i++) {
		int fd = nsc_run_open_name(ctx->run_fd, names[i]);

		if (fd == -ESTALE)
			fd = open_settled(ctx->run_fd, names[i]);
		if (fd == -ENOENT) {    /* deleted since readdir: not stale, gone */
			free(names[i]);
			continue;
		}
		/* the name's ownership moves to the list */
		list[k] = (struct nsc_ns_entry){ .name = names[i], .id = -1,
						 .state = fd >= 0 ? NSC_NS_OK : NSC_NS_STALE };
		if (fd >= 0) {
			if (fn)
				fn(&list[k], fd, data);
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

void nsc_ns_list_free(struct nsc_ns_entry *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(list[i].name);
	free(list);
}

static int strp_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int nsc_ns_names(struct nsc_ctx *ctx, char ***out, size_t *n, struct nsc_error *e)
{
	int ret = read_names(ctx, out, n, e);

	if (ret == 0 && *n)     /* none: no array at all, and qsort must not see NULL */
		qsort(*out, *n, sizeof(**out), strp_cmp);
	return ret;
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
	if (found)
		qsort(names, found, sizeof(*names), strp_cmp);
	*out = names;
	*n = found;
	return 0;
}
