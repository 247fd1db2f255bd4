// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Prepare a process to run a command inside a named namespace, with the
 * environment `ip netns exec` gives: the network namespace, a private mount
 * namespace whose / is a slave of the caller's (so mounts made inside stay
 * inside), a fresh /sys that shows the namespace's own devices, and
 * /etc/netns/NAME/X bound over /etc/X.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <linux/capability.h>
#include <pwd.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <linux/nsfs.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/stat.h>
#include <sys/statvfs.h>

#include <netnsctl/exec.h>
#include "config.h"
#include "core/core.h"

const char *nsc_etc_netns_dir(void)
{
	const char *d = getenv("NETNSCTL_ETC_DIR");

	return d && *d == '/' ? d : NETNSCTL_ETC_DIR;
}

/*
 * umount2("/sys", MNT_DETACH) also drops what was mounted below it (cgroup,
 * bpf, debugfs...): the command sees only a plain sysfs, as with ip.
 */
static int remount_sys(const char *name, struct nsc_error *e)
{
	unsigned long flags = 0;
	struct statvfs sv;

	if (umount2("/sys", MNT_DETACH) < 0 && errno != EINVAL)
		return nsc_err(e, errno, "exec \"%s\": unmount /sys", name);
	/* keep a read-only /sys read-only */
	if (statvfs("/sys", &sv) == 0 && (sv.f_flag & ST_RDONLY))
		flags |= MS_RDONLY;
	if (mount(name, "/sys", "sysfs", flags, NULL) < 0)
		return nsc_err(e, errno, "exec \"%s\": mount /sys", name);
	return 0;
}

/* Bind each /etc/netns/NAME/X over /etc/X. mount(2) follows a symlinked
 * target, so a resolv.conf that points elsewhere is covered at its real file. */
static int bind_etc(const char *name, struct nsc_error *e)
{
	char dir[PATH_MAX], src[PATH_MAX], dst[PATH_MAX];
	struct dirent *de;
	DIR *d;
	int ret = 0;

	if ((size_t)snprintf(dir, sizeof(dir), "%s/%s", nsc_etc_netns_dir(), name) >= sizeof(dir))
		return nsc_err(e, ENAMETOOLONG, "exec \"%s\"", name);
	d = opendir(dir);
	if (!d)
		return errno == ENOENT ? 0 : nsc_err(e, errno, "exec \"%s\": %s", name, dir);
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if ((size_t)snprintf(src, sizeof(src), "%s/%s", dir, de->d_name) >= sizeof(src) ||
		    (size_t)snprintf(dst, sizeof(dst), "/etc/%s", de->d_name) >= sizeof(dst)) {
			ret = nsc_err(e, ENAMETOOLONG, "exec \"%s\": %s", name, de->d_name);
			break;
		}
		if (mount(src, dst, "none", MS_BIND, NULL) < 0) {
			ret = nsc_err(e, errno, "exec \"%s\": bind %s on %s", name, src, dst);
			break;
		}
	}
	closedir(d);
	return ret;
}

static int drop_to(const char *user, struct nsc_error *e)
{
	struct passwd *pw;

	struct nsc_error ignore;
	uint32_t uid;

	errno = 0;
	pw = getpwnam(user);
	/* a number is a uid, in decimal as id(1) reads it ((uid_t)-1 is none) */
	if (!pw && nsc_parse_dec_u32(user, 0, 0xfffffffe, &uid, "uid", &ignore) == 0)
		pw = getpwuid((uid_t)uid);
	if (!pw)
		return nsc_err_text(e, errno ? errno : ENOENT, "exec: no such user \"%s\"", user);
	if (initgroups(pw->pw_name, pw->pw_gid) < 0)
		return nsc_err(e, errno, "exec: groups of \"%s\"", user);
	if (setgid(pw->pw_gid) < 0)
		return nsc_err(e, errno, "exec: setgid %u", (unsigned)pw->pw_gid);
	if (setuid(pw->pw_uid) < 0)
		return nsc_err(e, errno, "exec: setuid %u", (unsigned)pw->pw_uid);
	if (pw->pw_uid != 0) {
		struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
		struct __user_cap_data_struct d[2] = { 0 };

		/* securebits (SECBIT_KEEP_CAPS...) inherited from a caller could
		 * keep capabilities over setuid: leave none, ambient ones too */
		prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
		if (syscall(SYS_capset, &h, d) < 0)
			return nsc_err(e, errno, "exec: drop capabilities");
		/* the drop must stick: a way back to root is a failure */
		if (setuid(0) == 0 || geteuid() == 0 || getegid() != pw->pw_gid)
			return nsc_err_text(e, EPERM, "exec: could not drop root for \"%s\"", user);
	}
	if (setenv("USER", pw->pw_name, 1) < 0 || setenv("LOGNAME", pw->pw_name, 1) < 0 ||
	    setenv("HOME", pw->pw_dir, 1) < 0)
		return nsc_err(e, errno, "exec: environment");
	return 0;
}

/* The UTS namespace mounted on PATH (a lab node's own hostname). */
static int enter_uts(const char *name, const char *path, struct nsc_error *e)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC), ret = 0;

	if (fd < 0)
		return nsc_err(e, errno, "exec \"%s\": UTS namespace %s", name, path);
	if (ioctl(fd, NS_GET_NSTYPE) != CLONE_NEWUTS)
		ret = nsc_err(e, EINVAL, "exec \"%s\": %s is no UTS namespace", name, path);
	else if (setns(fd, CLONE_NEWUTS) < 0)
		ret = nsc_err(e, errno, "exec \"%s\": setns UTS namespace", name);
	close(fd);
	return ret;
}

int nsc_exec_prepare(struct nsc_ctx *ctx, const char *name,
		     const struct nsc_exec_opts *opts, struct nsc_error *e)
{
	int fd, ret;

	if (opts && opts->uts && (ret = enter_uts(name, opts->uts, e)) < 0)
		return ret;

	fd = nsc_ns_open(ctx, name, e);
	if (fd < 0)
		return nsc_err_prefix(e, "exec");
	ret = setns(fd, CLONE_NEWNET);
	close(fd);
	if (ret < 0)
		return nsc_err(e, errno, "exec \"%s\": setns", name);
	/* our cached sockets live in the old namespace and are useless now */
	nsc_ctx_drop(ctx, NULL);
	if (unshare(CLONE_NEWNS) < 0)
		return nsc_err(e, errno, "exec \"%s\": unshare mount namespace", name);
	/* mounts made by the command must not leak back to the caller */
	if (mount("", "/", "none", MS_SLAVE | MS_REC, NULL) < 0)
		return nsc_err(e, errno, "exec \"%s\": make / rslave", name);
	if ((ret = remount_sys(name, e)) < 0)
		return ret;
	if ((ret = bind_etc(name, e)) < 0)
		return ret;
	if (opts && opts->user && (ret = drop_to(opts->user, e)) < 0)
		return ret;
	return 0;
}
