// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A node's own UTS namespace, for labs with defaults.hostname: made by a
 * short-lived thread (unshare(CLONE_NEWUTS) moves only that thread, so the
 * process never has to come back), which sets the hostname to the node's
 * name and binds its namespace on a file in the lab's state dir, the way
 * `add` binds a network namespace on its name file. netnsctl exec (and lab
 * exec, exec commands, services) enter it when it is there. The file lives
 * in the lab's own directory (trusted, the euid's alone), under "uts", so
 * that ip netns, which reads every file in the run dir as a network
 * namespace, never sees it.
 */
#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <linux/nsfs.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/util.h"
#include "lab/uts.h"

static bool uts_path(int dfd, const char *node, char *buf, size_t size)
{
	return (size_t)snprintf(buf, size, "/proc/self/fd/%d/" LAB_UTS_DIR "/%s", dfd, node) <
	       size;
}

enum lab_uts_have lab_uts_probe(int dfd, const char *node)
{
	char path[NAME_MAX + 32];
	enum lab_uts_have have = UTS_STALE;
	int fd;

	if (!uts_path(dfd, node, path, sizeof(path)))
		return UTS_ABSENT;
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT || errno == ENOTDIR ? UTS_ABSENT : UTS_STALE;
	if (ioctl(fd, NS_GET_NSTYPE) == CLONE_NEWUTS)
		have = UTS_PRESENT;
	close(fd);
	return have;
}

bool lab_uts_path(int dfd, const char *node, char *buf, size_t size)
{
	return lab_uts_probe(dfd, node) == UTS_PRESENT && uts_path(dfd, node, buf, size);
}

struct uts_job {
	const char *node, *path;
	int err;
};

static void *uts_thread(void *arg)
{
	struct uts_job *j = arg;

	if (unshare(CLONE_NEWUTS) < 0 || sethostname(j->node, strlen(j->node)) < 0 ||
	    mount("/proc/thread-self/ns/uts", j->path, "none", MS_BIND, NULL) < 0)
		j->err = errno;
	return NULL;
}

int lab_uts_remove(int dfd, const char *node, struct nsc_error *e)
{
	char path[NAME_MAX + 32];

	if (!uts_path(dfd, node, path, sizeof(path)))
		return nsc_err(e, ENAMETOOLONG, "hostname of node \"%s\"", node);
	/* a lazy unmount: a process inside keeps the namespace, not the file */
	if (umount2(path, MNT_DETACH | UMOUNT_NOFOLLOW) < 0 && errno != EINVAL &&
	    errno != ENOENT)
		return nsc_err(e, errno, "hostname of node \"%s\": unmount", node);
	snprintf(path, sizeof(path), LAB_UTS_DIR "/%s", node);
	if (unlinkat(dfd, path, 0) < 0 && errno != ENOENT && errno != ENOTDIR)
		return nsc_err(e, errno, "hostname of node \"%s\": remove", node);
	return 0;
}

int lab_uts_make(int dfd, const char *node, struct nsc_error *e)
{
	char path[NAME_MAX + 32], rel[NAME_MAX + 8], target[64];
	struct uts_job j = { .node = node, .path = target };
	int fd, ret;

	if (!uts_path(dfd, node, path, sizeof(path)))
		return nsc_err(e, ENAMETOOLONG, "hostname of node \"%s\"", node);
	if ((ret = lab_uts_remove(dfd, node, e)) < 0)
		return ret;
	if (mkdirat(dfd, LAB_UTS_DIR, 0700) < 0 && errno != EEXIST)
		return nsc_err(e, errno, "hostname of node \"%s\": make " LAB_UTS_DIR, node);
	snprintf(rel, sizeof(rel), LAB_UTS_DIR "/%s", node);
	fd = openat(dfd, rel, O_RDONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return nsc_err(e, errno, "hostname of node \"%s\": make its file", node);
	/* mounted on the file just made, through its fd: the path is not walked
	 * again, so nothing put there meanwhile (a symlink) is mounted over */
	snprintf(target, sizeof(target), "/proc/self/fd/%d", fd);
	if ((ret = nsc_thread_run(uts_thread, &j)) != 0)
		j.err = ret;
	close(fd);
	if (j.err) {
		unlinkat(dfd, rel, 0);
		return nsc_err(e, j.err, "hostname of node \"%s\": UTS namespace", node);
	}
	return 0;
}

void lab_uts_forget(int dfd)
{
	struct nsc_error ignore = { 0 };
	struct dirent *de;
	DIR *d;
	int fd = openat(dfd, LAB_UTS_DIR, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0)
		return;
	d = fdopendir(fd);
	if (!d) {
		close(fd);
		return;
	}
	while ((de = readdir(d)))
		if (de->d_name[0] != '.')
			lab_uts_remove(dfd, de->d_name, &ignore);
	closedir(d);
	unlinkat(dfd, LAB_UTS_DIR, AT_REMOVEDIR);
}
