// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Directories nobody else can have put in the way: walked from "/" one
 * component at a time (openat, O_NOFOLLOW: a symlink anywhere is refused,
 * never followed), each checked as it is opened:
 *
 *   on the way   owned by root or by us; writable by group or others only
 *                with the sticky bit (/tmp: then what is below must be ours
 *                or root's, which the next step checks)
 *   the last     owned by us (the euid), writable by nobody else
 *
 * Inside a user namespace, root's directories outside it show as owned by
 * the overflow uid: on the way, that owner counts as root's.
 *
 * /proc/PID/root (owned by root or us) is opened, the kernel following it
 * into that process's view of the files (`run` gives its command the
 * world's state dir that way, in a mount namespace the command is not in);
 * an absolute symlink past it leads inside that view, not ours.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>
#include <linux/magic.h>

#include <netnsctl/error.h>

#include "base/util.h"

static ssize_t read_text(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n = fd >= 0 ? read(fd, buf, size - 1) : -1;

	if (fd >= 0)
		close(fd);
	buf[n > 0 ? n : 0] = '\0';
	return n;
}

/* Is UID what files of owners outside our user namespace show as: the
 * overflow uid, when no user here has it? */
static bool unmapped(uid_t uid)
{
	char buf[4096], *line;
	unsigned long in, out, count;

	if (read_text("/proc/sys/kernel/overflowuid", buf, 32) <= 0 ||
	    strtoul(buf, NULL, 10) != uid)
		return false;
	if (read_text("/proc/self/uid_map", buf, sizeof(buf)) <= 0)
		return false;
	for (line = buf; line && *line; line = strchr(line, '\n'), line = line ? line + 1 : NULL)
		if (sscanf(line, "%lu %lu %lu", &in, &out, &count) == 3 &&
		    uid >= in && uid - in < count)
			return false;   /* a user here like any other */
	return true;
}

int nsc_dir_trusted(int fd, const char *what, const char *path, bool last,
		    struct nsc_error *e)
{
	uid_t me = geteuid();
	struct stat sb;

	if (fstat(fd, &sb) < 0)
		return nsc_err(e, errno, "%s %s", what, path);
	if (!S_ISDIR(sb.st_mode))
		return nsc_err_text(e, ENOTDIR, "%s %s: not a directory", what, path);
	if (last) {
		if (sb.st_uid != me)
			return nsc_err_text(e, EACCES, "%s %s: owned by uid %u, not by uid %u: "
					    "refused", what, path, (unsigned)sb.st_uid,
					    (unsigned)me);
		if (sb.st_mode & (S_IWGRP | S_IWOTH))
			return nsc_err_text(e, EACCES, "%s %s: writable by others (mode %04o): "
					    "refused", what, path, (unsigned)(sb.st_mode & 07777));
		return 0;
	}
	if (sb.st_uid != 0 && sb.st_uid != me && !unmapped(sb.st_uid))
		return nsc_err_text(e, EACCES, "%s %s: owned by uid %u, neither root nor uid %u: "
				    "refused", what, path, (unsigned)sb.st_uid, (unsigned)me);
	if ((sb.st_mode & (S_IWGRP | S_IWOTH)) && !(sb.st_mode & S_ISVTX))
		return nsc_err_text(e, EACCES, "%s %s: writable by others without the sticky "
				    "bit (mode %04o): refused", what, path,
				    (unsigned)(sb.st_mode & 07777));
	return 0;
}

/*
 * A symlink NAME in trusted directory fd (whose path is AT): when root or
 * we own it (only they could have put it there), where it leads with REST
 * after it, into buf; else -EACCES with e filled.
 */
static int follow(int fd, const char *at, const char *name, const char *rest, const char *root,
		  char *buf, size_t size, const char *what, struct nsc_error *e)
{
	char target[PATH_MAX];
	struct stat sb;
	ssize_t n;
	int len;

	if (fstatat(fd, name, &sb, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISLNK(sb.st_mode))
		return nsc_err_text(e, ENOTDIR, "%s %s/%s: not a directory", what, at, name);
	if (sb.st_uid != 0 && sb.st_uid != geteuid() && !unmapped(sb.st_uid))
		return nsc_err_text(e, EACCES, "%s %s%s%s: a symlink owned by uid %u: refused",
				    what, at, at[1] ? "/" : "", name, (unsigned)sb.st_uid);
	n = readlinkat(fd, name, target, sizeof(target) - 1);
	if (n < 0)
		return nsc_err(e, errno, "%s %s/%s", what, at, name);
	target[n] = '\0';
	if (target[0] == '/')
		len = snprintf(buf, size, "%s%s/%s", root, target, rest);
	else
		len = snprintf(buf, size, "%s/%s/%s", at, target, rest);
	if (len < 0 || (size_t)len >= size)
		return nsc_err(e, ENAMETOOLONG, "%s", what);
	return 0;
}

/* NAME in directory fd is /proc/PID/root, owned by root or us: opened (the
 * kernel follows it), else -1 with errno ENOTDIR (a plain symlink). */
static int open_proc_root(int fd, const char *name)
{
	struct statfs fs;
	struct stat sb;

	if (strcmp(name, "root") || fstatfs(fd, &fs) < 0 || fs.f_type != PROC_SUPER_MAGIC ||
	    fstatat(fd, name, &sb, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISLNK(sb.st_mode) ||
	    (sb.st_uid != 0 && sb.st_uid != geteuid() && !unmapped(sb.st_uid))) {
		errno = ENOTDIR;
		return -1;
	}
	return openat(fd, name, O_PATH | O_DIRECTORY | O_CLOEXEC);
}

int nsc_dir_open_trusted(const char *path, mode_t mode, const char *what,
			 struct nsc_error *e)
{
	char root[PATH_MAX];            /* past /proc/PID/root: that, else "" */
	char buf[PATH_MAX], at[PATH_MAX] = "/", rest[PATH_MAX], *p, *next;
	size_t len = strlen(path);
	int fd, ret, hops = 0;

	if (path[0] != '/')
		return nsc_err_text(e, EINVAL, "%s %s: not an absolute path", what, path);
	if (len >= sizeof(buf))
		return nsc_err(e, ENAMETOOLONG, "%s", what);
	memcpy(buf, path, len + 1);
again:
	snprintf(at, sizeof(at), "/");
	root[0] = '\0';
	fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return nsc_err(e, errno, "%s /", what);
	for (p = buf + 1; ; p = next) {
		bool last;
		int sub;

		while (*p == '/')
			p++;
		next = strchr(p, '/');
		if (next)
			*next = '\0';
		last = !next || !next[1 + strspn(next + 1, "/")];
		if (!*p) {              /* "/" itself */
			ret = nsc_dir_trusted(fd, what, "/", true, e);
			break;
		}
		if (!strcmp(p, "."))
			goto skip;
		if (!strcmp(p, "..")) {
			/* at has no symlink in it: its parent is what ".." is */
			char *slash = strrchr(at, '/');

			snprintf(rest, sizeof(rest), "%s", next ? next + 1 : "");
			if (slash)
				*slash = '\0';
			close(fd);
			len = (size_t)snprintf(buf, sizeof(buf), "%s/%.*s", at,
					       (int)(sizeof(rest) - 2), rest);
			if (len >= sizeof(buf))
				return nsc_err(e, ENAMETOOLONG, "%s", what);
			if (hops++ >= 16)
				return nsc_err(e, ELOOP, "%s %s", what, path);
			goto again;
		}
		/* the one on the way is trusted before anything below is made */
		if ((ret = nsc_dir_trusted(fd, what, at, false, e)) < 0)
			break;
		sub = openat(fd, p, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (sub < 0 && errno == ENOENT && mode) {
			if (mkdirat(fd, p, mode) < 0 && errno != EEXIST) {
				ret = nsc_err(e, errno, "%s %s", what, path);
				break;
			}
			sub = openat(fd, p, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		}
		if (sub < 0 && (errno == ENOTDIR || errno == ELOOP) && !root[0] &&
		    (sub = open_proc_root(fd, p)) >= 0) {
			/* at has no symlink in it: it is where the walk is */
			if ((size_t)snprintf(root, sizeof(root), "%s/%s", at[1] ? at : "", p) >=
			    sizeof(root)) {
				close(sub);
				ret = nsc_err(e, ENAMETOOLONG, "%s", what);
				break;
			}
		}
		if (sub < 0 && (errno == ENOTDIR || errno == ELOOP) && hops++ < 16) {
			/* root's own links (/var/run -> /run) are as good as root's dirs */
			snprintf(rest, sizeof(rest), "%s", next ? next + 1 : "");
			ret = follow(fd, at, p, rest, root, buf, sizeof(buf), what, e);
			close(fd);
			if (ret < 0)
				return ret;
			goto again;
		}
		if (sub < 0) {
			ret = nsc_err(e, errno, "%s %s", what, path);
			break;
		}
		close(fd);
		fd = sub;
		snprintf(at, sizeof(at), "%s", buf);
skip:
		if (next)
			*next = '/';
		if (last) {
			ret = nsc_dir_trusted(fd, what, at, true, e);
			break;
		}
	}
	if (ret < 0) {
		close(fd);
		return ret;
	}
	return fd;
}
