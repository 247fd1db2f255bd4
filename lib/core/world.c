// SPDX-License-Identifier: GPL-2.0-or-later
/* A private world for `run`: new PID + mount (+ user) namespace. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdbool.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include <netnsctl/exec.h>
#include <netnsctl/world.h>
#include "core/core.h"

static int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, text, strlen(text));
	close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -errno;
}

static int read_int(const char *path, long *v)
{
	char buf[32] = "";
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -EIO;
	*v = strtol(buf, NULL, 10);
	return 0;
}

const char *nsc_userns_blocker(void)
{
	long v;

	if (read_int("/proc/sys/kernel/unprivileged_userns_clone", &v) == 0 && v == 0)
		return "kernel.unprivileged_userns_clone is 0";
	if (read_int("/proc/sys/user/max_user_namespaces", &v) == 0 && v == 0)
		return "user.max_user_namespaces is 0";
	if (read_int("/proc/sys/kernel/apparmor_restrict_unprivileged_userns", &v) == 0 && v == 1)
		return "kernel.apparmor_restrict_unprivileged_userns is 1";
	return NULL;
}

/*
 * Set by PID 1's mounts: the run dir's parent is covered by a tmpfs (that
 * holds the world's run dir and lab state, so that nothing of them is made
 * on the real filesystem), and the world's run dir shows on the real run
 * dir too, for the command's view (nsc_world_uncover). A process is in one
 * world at most.
 */
static bool parent_covered, on_real_run_dir;

/* DIR's parent into buf: false for "/NAME" and names without a '/'. */
static bool parent_of(const char *dir, char *buf, size_t size)
{
	char *slash;

	snprintf(buf, size, "%s", dir);
	slash = strrchr(buf, '/');
	if (!slash || slash == buf)
		return false;
	*slash = '\0';
	return true;
}

/* A tmpfs over DIR; a dir we cannot make (unprivileged, /run not ours) has
 * its parent covered first, then it is made there. */
static int cover(const char *dir)
{
	if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
		char parent[4096];

		if (!parent_of(dir, parent, sizeof(parent)))
			return -EACCES;
		if (mount("netnsctl-run", parent, "tmpfs", 0, "mode=0755") < 0 ||
		    mkdir(dir, 0755) < 0)
			return -errno;
	}
	if (mount("netnsctl-run", dir, "tmpfs", 0, "mode=0755") < 0)
		return -errno;
	return 0;
}

/*
 * The world's run dir, made under a tmpfs over its parent: the lab's state
 * dir next to it is made there too, never on the real filesystem. The
 * command must see the real parent (/run holds sockets, resolv.conf...), so
 * where the real run dir exists (or root can make it, as ip netns add
 * would), a shared tmpfs goes on it first and the world's run dir is a bind
 * of that one: every namespace mounted in the world's run dir shows on the
 * real one too, where nsc_world_uncover() leaves the command.
 */
static int cover_run_dir(const char *dir)
{
	char parent[4096], src[64];
	int fd = -1, ret = 0;

	if (!parent_of(dir, parent, sizeof(parent)))
		return cover(dir);
	/* no real run dir (unprivileged): the command keeps the covered view */
	if ((mkdir(dir, 0755) == 0 || errno == EEXIST) &&
	    mount("netnsctl-run", dir, "tmpfs", 0, "mode=0755") == 0 &&
	    (mount("", dir, NULL, MS_SHARED, NULL) < 0 ||
	     (fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0))
		return -errno;
	if (mount("netnsctl-run", parent, "tmpfs", 0, "mode=0755") < 0 || mkdir(dir, 0755) < 0) {
		ret = -errno;
		goto cleanup;
	}
	parent_covered = true;
	snprintf(src, sizeof(src), "/proc/self/fd/%d", fd);
	/* a peer of the real run dir's tmpfs: mounts on one show on both */
	if (fd >= 0 ? mount(src, dir, NULL, MS_BIND, NULL) < 0
		    : mount("netnsctl-run", dir, "tmpfs", 0, "mode=0755") < 0) {
		ret = -errno;
		goto cleanup;
	}
	on_real_run_dir = fd >= 0;
cleanup:
	if (fd >= 0)
		close(fd);
	return ret;
}

/*
 * A tmpfs over the etc netns dir (/etc/netns), made when missing and we may:
 * a lab's hosts files live and die with the world, and the command (its
 * exec) sees them. A dir we cannot make (unprivileged, no /etc/netns) is
 * left: labs then write no hosts files (lab/hosts.c).
 */
static int cover_etc_netns(void)
{
	const char *dir = nsc_etc_netns_dir();

	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		return errno == EACCES || errno == EPERM || errno == EROFS ? 0 : -errno;
	if (mount("netnsctl-etc", dir, "tmpfs", 0, "mode=0755") < 0)
		return -errno;
	return 0;
}

/* Mounts of the world, made by its PID 1. */
static int world_mounts(const struct nsc_world_opts *o, const char **step)
{
	int ret;

	*step = "make / private";
	/* nothing made here may reach the caller's mount namespace */
	if (mount("", "/", "none", MS_REC | MS_PRIVATE, NULL) < 0)
		return -errno;
	*step = "mount /proc";
	if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0)
		return -errno;
	*step = "cover the run dir";
	if ((ret = cover_run_dir(o->run_dir)) < 0)
		return ret;
	*step = "cover the state dir";
	if (o->state_dir && (ret = cover(o->state_dir)) < 0)
		return ret;
	*step = "cover the etc netns dir";
	return cover_etc_netns();
}

int nsc_world_uncover(const struct nsc_world_opts *o, char *state_dir, size_t size,
		      struct nsc_error *e)
{
	char parent[4096], real[PATH_MAX];

	if (state_dir && size)
		snprintf(state_dir, size, "%s", o->state_dir ? o->state_dir : "");
	if (!parent_covered || !on_real_run_dir || !parent_of(o->run_dir, parent, sizeof(parent)))
		return 0;               /* the command keeps the covered view */
	/* the state dir stays where PID 1 sees it (the world's PID 1: this
	 * process shares its PID namespace), reached through its root: the
	 * path as PID 1 resolves it, with no symlink left past /proc/1/root */
	if (o->state_dir && state_dir && size) {
		if (!realpath(o->state_dir, real))
			return nsc_err(e, errno, "run: state dir \"%s\"", o->state_dir);
		if ((size_t)snprintf(state_dir, size, "/proc/1/root%s", real) >= size)
			return nsc_err(e, ENAMETOOLONG, "run: state dir \"%s\"", real);
	}
	if (unshare(CLONE_NEWNS) < 0)
		return nsc_err(e, errno, "run: a mount namespace for the command");
	/* the covered run dir leaves this view alone: its namespace mounts
	 * would otherwise be unmounted from its peers (PID 1's, the real run
	 * dir's) too. What is left is the real parent, the world's run dir on
	 * its run dir. */
	if (mount("", o->run_dir, NULL, MS_PRIVATE, NULL) < 0)
		return nsc_err(e, errno, "run: uncover \"%s\"", o->run_dir);
	if (umount2(parent, MNT_DETACH) < 0)
		return nsc_err(e, errno, "run: uncover \"%s\"", parent);
	return 0;
}

/* Inside the child's user namespace, root is the caller: its uid and gid. */
static int map_ids(long child, uid_t uid, gid_t gid)
{
	char path[64], map[64];
	int ret;

	snprintf(map, sizeof(map), "0 %u 1\n", (unsigned)uid);
	snprintf(path, sizeof(path), "/proc/%ld/uid_map", child);
	ret = write_file(path, map);
	if (!ret) {
		/* an unprivileged gid_map needs setgroups denied first */
		snprintf(path, sizeof(path), "/proc/%ld/setgroups", child);
		ret = write_file(path, "deny\n");
	}
	if (!ret) {
		snprintf(map, sizeof(map), "0 %u 1\n", (unsigned)gid);
		snprintf(path, sizeof(path), "/proc/%ld/gid_map", child);
		ret = write_file(path, map);
	}
	return ret;
}

int nsc_world_spawn(const struct nsc_world_opts *o, pid_t *pid, struct nsc_error *e)
{
	unsigned long flags = CLONE_NEWNS | CLONE_NEWPID | SIGCHLD;
	uid_t uid = getuid();
	gid_t gid = getgid();
	int sync[2], ret;
	char c = 0;
	long child;

	*pid = -1;
	if (o->userns)
		flags |= CLONE_NEWUSER;
	if (pipe2(sync, O_CLOEXEC) < 0)
		return nsc_err(e, errno, "run: pipe");
	fflush(NULL);
	/* clone(2) without a stack is fork(2) with namespace flags */
	child = syscall(SYS_clone, flags, NULL, NULL, NULL, NULL);
	if (child < 0) {
		ret = -errno;
		close(sync[0]);
		close(sync[1]);
		if (o->userns && (ret == -EPERM || ret == -EINVAL || ret == -ENOSPC)) {
			const char *why = nsc_userns_blocker();

			return nsc_err_text(e, -ret, "run: cannot make a user namespace: %s",
					    why ? why : strerror(-ret));
		}
		return nsc_err(e, ret, "run: new PID and mount namespace");
	}
	if (child == 0) {
		const char *step = "";

		*pid = 0;
		close(sync[1]);
		/* die with the parent, even when it is SIGKILLed */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		/* the pipe closes unwritten when the parent failed or died first
		 * (its pid means nothing in here: the PID namespace is new) */
		if (read(sync[0], &c, 1) != 1 || c != 'g')
			_exit(125);
		close(sync[0]);
		ret = world_mounts(o, &step);
		if (ret < 0)
			return nsc_err(e, ret, "run: %s", step);       /* the child exits */
		return 0;
	}
	close(sync[0]);
	if (o->userns) {
		ret = map_ids(child, uid, gid);
		if (ret < 0) {
			close(sync[1]);
			kill((pid_t)child, SIGKILL);
			waitpid((pid_t)child, NULL, 0);
			return nsc_err(e, ret, "run: map the user namespace");
		}
	}
	c = 'g';
	if (write(sync[1], &c, 1) != 1)
		ret = -errno;
	close(sync[1]);
	*pid = (pid_t)child;
	return 0;
}

/* The "NSpid:" line's last number and "PPid:" of /proc/PID/status. */
static bool status_pids(const char *pid, long *ppid, long *inner)
{
	char path[64], buf[2048], *l;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%s/status", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	*ppid = *inner = -1;
	if ((l = strstr(buf, "\nPPid:")))
		*ppid = strtol(l + 6, NULL, 10);
	if ((l = strstr(buf, "\nNSpid:"))) {
		char *end = strchr(l + 1, '\n'), *sp;

		if (end)
			*end = '\0';
		sp = strrchr(l, '\t');
		*inner = strtol(sp ? sp + 1 : l + 7, NULL, 10);
	}
	return true;
}

pid_t nsc_world_pid(pid_t world, pid_t inner)
{
	DIR *d = opendir("/proc");
	struct dirent *de;
	pid_t found = -1;

	if (!d)
		return -1;
	while (found < 0 && (de = readdir(d))) {
		long ppid, in;

		if (de->d_name[0] < '1' || de->d_name[0] > '9')
			continue;
		if (status_pids(de->d_name, &ppid, &in) && ppid == world && in == inner)
			found = (pid_t)strtol(de->d_name, NULL, 10);
	}
	closedir(d);
	return found;
}
