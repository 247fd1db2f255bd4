// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Where a lab's state lives, STATE_DIR/LAB, and that directory opened: made
 * for an apply, flock'ed while changed (shared while read), removed with
 * the lab. The files in it are state_file.c's.
 *
 * Nothing in the way is trusted: the state root is walked to from "/"
 * without following what another user could have planted, and it and each
 * lab's directory must be the caller's and writable by nobody else
 * (base/trust.c); the lab's directory is opened from the root's fd,
 * O_NOFOLLOW.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/util.h"
#include "lab/state.h"
#include "lab/svc.h"
#include "lab/uts.h"

/* ---- where ---- */

int lab_state_root(struct nsc_ctx *ctx, const struct nsc_lab_opts *opts, char **out,
		   struct nsc_error *e)
{
	const char *env = getenv("NETNSCTL_STATE_DIR");
	const char *run = nsc_ctx_run_dir(ctx);
	const char *slash;
	int ret;

	if (opts && opts->state_dir && *opts->state_dir)
		env = opts->state_dir;
	if (env && *env) {
		if (env[0] != '/')
			return nsc_usage(e, "state dir \"%s\" is not an absolute path", env);
		ret = asprintf(out, "%s", env);
	} else {
		/* the run dir's parent: /var/run/netns -> /var/run/netnsctl/labs */
		slash = strrchr(run, '/');
		ret = asprintf(out, "%.*s/netnsctl/labs", slash && slash != run ?
			       (int)(slash - run) : 0, run);
	}
	if (ret < 0) {
		*out = NULL;
		return nsc_err(e, ENOMEM, "state dir");
	}
	for (size_t n = strlen(*out); n > 1 && (*out)[n - 1] == '/'; n--)
		(*out)[n - 1] = '\0';
	return 0;
}

int nsc_lab_state_dir(struct nsc_ctx *ctx, const struct nsc_lab_opts *opts,
		      char *buf, size_t size, struct nsc_error *e)
{
	char *root;
	int ret = lab_state_root(ctx, opts, &root, e);

	if (ret < 0)
		return ret;
	if ((size_t)snprintf(buf, size, "%s", root) >= size)
		ret = nsc_err(e, ENAMETOOLONG, "state dir");
	free(root);
	return ret;
}

static void read_boot_id(char buf[64])
{
	int fd = open("/proc/sys/kernel/random/boot_id", O_RDONLY | O_CLOEXEC);
	ssize_t n = fd >= 0 ? read(fd, buf, 63) : -1;

	if (fd >= 0)
		close(fd);
	if (n <= 0)
		n = 0;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	if (!buf[0])
		strcpy(buf, "unknown");
}

/* The state root, trusted (made with CREATE): *fd an O_PATH fd, or -1
 * when there is none; 0 or an error. */
static int open_root(const char *root, bool create, int *fd, struct nsc_error *e)
{
	*fd = nsc_dir_open_trusted(root, create ? 0700 : 0, "state dir", e);
	if (*fd >= 0)
		return 0;
	if (*fd == -ENOENT) {
		nsc_error_clear(e);
		*fd = -1;
		return 0;
	}
	return *fd;
}

int lab_state_each(struct nsc_ctx *ctx, const struct nsc_lab_opts *opts, enum lab_open how,
		   const char *what, lab_state_fn fn, void *data, struct nsc_error *e)
{
	struct nsc_error ignore = { 0 };
	struct dirent *de;
	char *root;
	DIR *d = NULL;
	int ret, rfd, fd;

	if ((ret = lab_state_root(ctx, opts, &root, e)) < 0)
		return ret;
	if ((ret = open_root(root, false, &rfd, e)) < 0) {
		nsc_err_prefix(e, "%s", what);
		goto cleanup;
	}
	if (rfd < 0)
		goto cleanup;
	fd = openat(rfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	close(rfd);
	if (fd < 0 || !(d = fdopendir(fd))) {
		ret = nsc_err(e, errno, "%s: %s", what, root);
		if (fd >= 0)
			close(fd);
		goto cleanup;
	}
	while (ret == 0 && (de = readdir(d))) {
		struct lab_state st;

		if (de->d_name[0] == '.' || nsc_lab_name_check(de->d_name, &ignore) < 0)
			continue;
		/* a peek shows what it can: a state it cannot read is passed over */
		ret = lab_state_open(ctx, opts, de->d_name, how, &st, how == LAB_PEEK ? &ignore : e);
		if (ret < 0) {
			ret = how == LAB_PEEK ? 0 : ret;
			continue;
		}
		ret = fn(&st, data, e);
		lab_state_close(&st);
	}
	closedir(d);
cleanup:
	free(root);
	return ret;
}

/* ---- a lab's directory ---- */

void lab_state_close(struct lab_state *st)
{
	if (st->jfd >= 0)
		close(st->jfd);
	/* made for an apply that then wrote nothing (refused, dry): not a lab */
	if (st->dfd >= 0 && st->writable && !st->found && st->name)
		unlinkat(st->rfd, st->name, AT_REMOVEDIR);
	if (st->dfd >= 0) {
		flock(st->dfd, LOCK_UN);
		close(st->dfd);
	}
	if (st->rfd >= 0)
		close(st->rfd);
	lab_rec_clear(st);
	free(st->root);
	free(st->name);
	free(st->dir);
	free(st->file);
	memset(st, 0, sizeof(*st));
	st->rfd = st->dfd = st->jfd = -1;
}

/*
 * The lab's dir opened and locked as HOW wants: 0 (st->dfd -1 when there is
 * none), 1 when it was removed (destroy) while we waited for the lock and
 * RETRY says to look again, or an error.
 */
static int open_dir(struct lab_state *st, enum lab_open how, bool retry, struct nsc_error *e)
{
	int lock = st->writable ? LOCK_EX : how == LAB_PEEK ? LOCK_SH | LOCK_NB : LOCK_SH;
	struct stat sb;
	int ret;

	if (st->rfd < 0) {
		if ((ret = open_root(st->root, how == LAB_CREATE, &st->rfd, e)) < 0) {
			st->rfd = -1;
			return nsc_err_prefix(e, "lab \"%s\"", st->name);
		}
		if (st->rfd < 0)
			return 0;
	}
	if (how == LAB_CREATE && mkdirat(st->rfd, st->name, 0700) < 0 && errno != EEXIST)
		return nsc_err(e, errno, "lab \"%s\": state dir %s", st->name, st->dir);
	st->dfd = openat(st->rfd, st->name, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	if (st->dfd < 0) {
		if (errno == ENOENT && how != LAB_CREATE)
			return 0;
		if (errno == ELOOP || errno == ENOTDIR)
			return nsc_err_text(e, errno, "lab \"%s\": state dir %s: a symlink or not "
					    "a directory: refused", st->name, st->dir);
		return nsc_err(e, errno, "lab \"%s\": state dir %s", st->name, st->dir);
	}
	if ((ret = nsc_dir_trusted(st->dfd, "lab state dir", st->dir, true, e)) < 0)
		return nsc_err_prefix(e, "lab \"%s\"", st->name);
	/* a peek reads what is there now: whole files, whole journal lines */
	if (flock(st->dfd, lock) < 0 && !(how == LAB_PEEK && errno == EWOULDBLOCK))
		return nsc_err(e, errno, "lab \"%s\": lock %s", st->name, st->dir);
	if (retry && fstat(st->dfd, &sb) == 0 && sb.st_nlink == 0) {
		close(st->dfd);
		st->dfd = -1;
		return 1;
	}
	return 0;
}

int lab_state_open(struct nsc_ctx *ctx, const struct nsc_lab_opts *opts, const char *name,
		   enum lab_open how, struct lab_state *st, struct nsc_error *e)
{
	int ret, tries = 0;

	memset(st, 0, sizeof(*st));
	st->rfd = st->dfd = st->jfd = -1;
	st->writable = how != LAB_READ && how != LAB_PEEK;
	read_boot_id(st->boot);
	if ((ret = nsc_lab_name_check(name, e)) < 0)
		return ret;
	if (!(st->name = strdup(name)))
		return nsc_err(e, ENOMEM, "lab \"%s\": state", name);
	if ((ret = lab_state_root(ctx, opts, &st->root, e)) < 0)
		goto cleanup;
	if (asprintf(&st->dir, "%s/%s", st->root, name) < 0) {
		st->dir = NULL;
		ret = nsc_err(e, ENOMEM, "lab \"%s\": state", name);
		goto cleanup;
	}
	/* removed while we waited: an apply makes it again, others find none */
	do
		ret = open_dir(st, how, tries++ < 8, e);
	while (ret == 1 && how == LAB_CREATE);
	if (ret < 0)
		goto cleanup;
	if (st->dfd < 0)
		return 0;
	if ((ret = lab_state_load(st, e)) < 0)
		goto cleanup;
	return 0;
cleanup:
	lab_state_close(st);
	return ret;
}

int lab_state_remove(struct lab_state *st, struct nsc_error *e)
{
	/* the state first: without it, what is left is no lab's */
	static const char *const files[] = {
		"state", "journal", "lab.yaml", ".lab.yaml.tmp", ".state.tmp",
	};

	if (st->dfd < 0)
		return 0;
	if (st->jfd >= 0) {
		close(st->jfd);
		st->jfd = -1;
	}
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		if (unlinkat(st->dfd, files[i], 0) < 0 && errno != ENOENT)
			return nsc_err(e, errno, "lab \"%s\": remove %s/%s", st->name, st->dir,
				       files[i]);
	/* the services' files after the state: they mean nothing without it */
	lab_svc_forget(st->dfd);
	lab_uts_forget(st->dfd);
	/* still locked: a waiting apply sees the dir gone and starts over */
	if (unlinkat(st->rfd, st->name, AT_REMOVEDIR) < 0 && errno != ENOENT)
		return nsc_err(e, errno, "lab \"%s\": remove %s", st->name, st->dir);
	st->found = false;
	return 0;
}

