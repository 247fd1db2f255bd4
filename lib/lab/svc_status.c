// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The supervisor's status file (svc.h): written only by the supervisor
 * (temp file + rename, so a reader never sees half of it), read by apply,
 * diff, destroy and ps. A process is known by its PID and its start time
 * (field 22 of /proc/PID/stat), so a recycled PID is never taken for it.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/util.h"
#include "lab/model.h"
#include "lab/svc.h"

#define STATUS_MAGIC "netnsctl-services 1"

const char *const lab_svc_state_names[SVC_NSTATES] = {
	[SVC_WAITING] = "starting", [SVC_STARTING] = "starting", [SVC_READY] = "ready",
	[SVC_RUNNING] = "running", [SVC_EXITED] = "exited", [SVC_FAILED] = "failed",
	[SVC_STOPPING] = "stopping",
};

static uint64_t hash_strv(char *const *v, size_t n, uint64_t h)
{
	h = lab_hash(&n, sizeof(n), h);
	for (size_t i = 0; i < n; i++)
		h = lab_hash(v[i], strlen(v[i]) + 1, h);
	return h;
}

uint64_t lab_svc_hash(const struct nsc_lab_service *s)
{
	uint64_t h = hash_strv(s->argv, s->argc, LAB_HASH_INIT);

	h = hash_strv(s->env, s->n_env, h);
	h = lab_hash(s->cwd ? s->cwd : "", strlen(s->cwd ? s->cwd : "") + 1, h);
	return lab_hash(s->user ? s->user : "", strlen(s->user ? s->user : "") + 1, h);
}

uint64_t lab_proc_start(pid_t pid)
{
	char path[64], buf[1024], *p;
	unsigned long long start = 0;
	ssize_t n;
	int fd;

	if (pid <= 0)
		return 0;
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	/* the command name may hold spaces and ')': fields count from the last ')' */
	if (!(p = strrchr(buf, ')')))
		return 0;
	/* state is field 3, start time field 22 */
	if (sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d %*d "
		   "%*d %*d %*d %llu", &start) != 1)
		return 0;
	/* a zombie is gone for our purposes */
	return p[2] == 'Z' ? 0 : (uint64_t)start;
}

void lab_svc_status_free(struct lab_svc_status *s)
{
	free(s->v);
	memset(s, 0, sizeof(*s));
}

struct lab_svc_rec *lab_svc_status_find(struct lab_svc_status *s, const char *node,
					const char *name)
{
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->v[i].node, node) && !strcmp(s->v[i].name, name))
			return &s->v[i];
	return NULL;
}

static int parse_line(struct lab_svc_status *s, const char *line)
{
	struct lab_svc_rec r = { 0 };
	char st[32];
	int pid;
	unsigned long long start, hash;
	long long since;

	if (sscanf(line, "supervisor %d %" SCNu64 " %" SCNu64, &pid, &s->start, &s->gen) == 3) {
		s->pid = pid;
		return 0;
	}
	if (sscanf(line, "svc %255s %255s %31s %d %llu %d %u %lld %llx", r.node, r.name, st, &pid,
		   &start, &r.exit_status, &r.restarts, &since, &hash) != 9)
		return -EINVAL;
	r.pid = pid;
	r.start = start;
	r.since = since;
	r.hash = hash;
	r.state = SVC_NSTATES;
	for (int i = 0; i < SVC_NSTATES; i++)
		if (!strcmp(st, lab_svc_state_names[i]))
			r.state = (enum lab_svc_state)i;
	if (r.state == SVC_NSTATES)
		return -EINVAL;
	if (NSC_GROW(s->v, s->cap, s->n + 1) < 0)
		return -ENOMEM;
	s->v[s->n++] = r;
	return 0;
}

int lab_svc_status_read(int dfd, struct lab_svc_status *out)
{
	char *text = NULL, *line, *save = NULL;
	size_t len;
	int fd, ret;

	memset(out, 0, sizeof(*out));
	fd = openat(dfd, LAB_SVC_FILE, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return -errno;
	ret = lab_read_all(fd, 16 * 1024 * 1024, &text, &len);
	close(fd);
	if (ret < 0)
		return ret;
	line = strtok_r(text, "\n", &save);
	if (!line || strcmp(line, STATUS_MAGIC))
		ret = -EINVAL;
	while (ret == 0 && (line = strtok_r(NULL, "\n", &save)))
		ret = parse_line(out, line);
	free(text);
	if (ret < 0)
		lab_svc_status_free(out);
	return ret;
}

int lab_svc_status_write(int dfd, const struct lab_svc_status *s)
{
	static const char tmp[] = ".services.tmp";
	FILE *f;
	int fd, ret = 0;

	fd = openat(dfd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return -errno;
	if (!(f = fdopen(fd, "w"))) {
		close(fd);
		return -errno;
	}
	fprintf(f, "%s\nsupervisor %d %" PRIu64 " %" PRIu64 "\n", STATUS_MAGIC, (int)s->pid,
		s->start, s->gen);
	for (size_t i = 0; i < s->n; i++) {
		const struct lab_svc_rec *r = &s->v[i];

		fprintf(f, "svc %s %s %s %d %" PRIu64 " %d %u %lld %" PRIx64 "\n", r->node, r->name,
			lab_svc_state_names[r->state], (int)r->pid, r->start, r->exit_status,
			r->restarts, (long long)r->since, r->hash);
	}
	if (fflush(f) || ferror(f))
		ret = -EIO;
	if (fclose(f) && !ret)
		ret = -EIO;
	if (ret == 0 && renameat(dfd, tmp, dfd, LAB_SVC_FILE) < 0)
		ret = -errno;
	return ret;
}

bool lab_svc_alive(const struct lab_svc_status *s)
{
	return s->pid > 0 && s->start && lab_proc_start(s->pid) == s->start;
}

void lab_svc_forget(int dfd)
{
	int lfd = openat(dfd, LAB_SVC_LOGDIR, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	DIR *d = lfd >= 0 ? fdopendir(lfd) : NULL;
	struct dirent *de;

	/* a lab that never had services: nothing to look for */
	if (lfd < 0 && faccessat(dfd, LAB_SVC_FILE, F_OK, AT_SYMLINK_NOFOLLOW) < 0)
		return;
	while (d && (de = readdir(d)))
		if (de->d_name[0] != '.')
			unlinkat(lfd, de->d_name, 0);
	if (d)
		closedir(d);
	else if (lfd >= 0)
		close(lfd);
	unlinkat(dfd, LAB_SVC_LOGDIR, AT_REMOVEDIR);
	unlinkat(dfd, LAB_SVC_FILE, 0);
	unlinkat(dfd, ".services.tmp", 0);
}
