// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A lab's state: what it made, so that apply, --prune and destroy touch
 * nothing else. STATE_DIR/LAB holds
 *
 *   lab.yaml   the file last applied (a copy: destroy and show need no file)
 *   state      the records, rewritten whole (temp file + rename)
 *   journal    records appended as objects are made or removed, one write(2)
 *              a line, so an apply that fails or is killed half-way leaves
 *              what it made recorded; folded into state when the apply ends
 *
 * The directory is flock'ed while changed (shared while read). Lines are
 * words separated by single spaces; no name a lab uses has a space, and the
 * file's path is %-escaped.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>

#include "lab/engine.h"
#include "base/util.h"

#define STATE_MAGIC "netnsctl-lab-state 1"
#define MAX_STATE_FILE (64 * 1024 * 1024)

static const char *const type_names[REC_NTYPES] = {
	[REC_NS] = "ns", [REC_LINK] = "link", [REC_ADDR] = "addr",
	[REC_ROUTE] = "route", [REC_NEIGH] = "neigh", [REC_EXEC] = "exec",
};

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

/* ---- records ---- */

/* Does the key say which object it is (else it is what the object holds:
 * an exec record's hash)? */
static bool key_names(enum lab_rec_type type)
{
	return type == REC_ADDR || type == REC_ROUTE || type == REC_NEIGH;
}

static size_t rec_keyhash(enum lab_rec_type type, const char *netns, const char *dev,
			  const char *key, uint64_t metric)
{
	uint64_t h = lab_hash(&type, sizeof(type), LAB_HASH_INIT);

	h = lab_hash(netns, strlen(netns) + 1, h);
	if (dev)
		h = lab_hash(dev, strlen(dev) + 1, h);
	if (key && key_names(type))
		h = lab_hash(key, strlen(key) + 1, h);
	if (type == REC_ROUTE)
		h = lab_hash(&metric, sizeof(metric), h);
	return (size_t)h;
}

static bool str_eq(const char *a, const char *b)
{
	return a && b ? !strcmp(a, b) : a == b;
}

static bool rec_is(const struct lab_rec *r, enum lab_rec_type type, const char *netns,
		   const char *dev, const char *key, uint64_t metric)
{
	return r->type == type && !strcmp(r->netns, netns) && str_eq(r->dev, dev) &&
	       (!key_names(type) || str_eq(r->key, key)) &&
	       (type != REC_ROUTE || r->id[0] == metric);
}

/* Which parts a record of each type has. */
static void rec_norm(enum lab_rec_type type, const char **dev, const char **key)
{
	if (type == REC_NS || type == REC_ROUTE || type == REC_EXEC)
		*dev = NULL;
	if (type == REC_NS || type == REC_LINK)
		*key = NULL;
}


static int rehash(struct lab_state *st)
{
	size_t n = st->nslots ? st->nslots * 2 : 256;
	size_t *slots = calloc(n, sizeof(*slots));

	if (!slots)
		return -ENOMEM;
	for (size_t i = 0; i < st->n; i++) {
		const struct lab_rec *r = &st->v[i];
		size_t h = rec_keyhash(r->type, r->netns, r->dev, r->key, r->id[0]) & (n - 1);

		while (slots[h])
			h = (h + 1) & (n - 1);
		slots[h] = i + 1;
	}
	free(st->slots);
	st->slots = slots;
	st->nslots = n;
	return 0;
}

struct lab_rec *lab_rec_find(struct lab_state *st, enum lab_rec_type type, const char *netns,
			     const char *dev, const char *key, uint64_t route_metric)
{
	size_t h;

	rec_norm(type, &dev, &key);
	if (!st->nslots)
		return NULL;
	h = rec_keyhash(type, netns, dev, key, route_metric) & (st->nslots - 1);
	for (; st->slots[h]; h = (h + 1) & (st->nslots - 1)) {
		struct lab_rec *r = &st->v[st->slots[h] - 1];

		if (rec_is(r, type, netns, dev, key, route_metric))
			return r->dead ? NULL : r;
	}
	return NULL;
}

static struct lab_rec *rec_slot(struct lab_state *st, enum lab_rec_type type,
				const char *netns, const char *dev, const char *key,
				uint64_t metric)
{
	size_t h = rec_keyhash(type, netns, dev, key, metric) & (st->nslots - 1);

	for (; st->slots[h]; h = (h + 1) & (st->nslots - 1)) {
		struct lab_rec *r = &st->v[st->slots[h] - 1];

		if (rec_is(r, type, netns, dev, key, metric))
			return r;
	}
	return NULL;
}

/* In memory only: the loader and lab_rec_put share it. */
static int rec_set(struct lab_state *st, enum lab_rec_type type, const char *netns,
		   const char *dev, const char *key, const uint64_t id[3], bool dead)
{
	uint64_t metric = type == REC_ROUTE ? id[0] : 0;
	struct lab_rec *r;

	rec_norm(type, &dev, &key);
	if ((st->n + 1) * 2 > st->nslots && rehash(st) < 0)
		return -ENOMEM;
	r = rec_slot(st, type, netns, dev, key, metric);
	if (r) {
		if (!key_names(type) && !str_eq(r->key, key)) {
			char *k = key ? strdup(key) : NULL;

			if (key && !k)
				return -ENOMEM;
			free(r->key);
			r->key = k;
		}
		memcpy(r->id, id, sizeof(r->id));
		r->dead = dead;
		return 0;
	}
	if (dead)
		return 0;
	if (st->n == st->cap) {
		size_t cap = st->cap ? st->cap * 2 : 64;
		struct lab_rec *v = realloc(st->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		st->v = v;
		st->cap = cap;
	}
	r = &st->v[st->n];
	*r = (struct lab_rec){ .type = type };
	memcpy(r->id, id, sizeof(r->id));
	if (!(r->netns = strdup(netns)) || (dev && !(r->dev = strdup(dev))) ||
	    (key && !(r->key = strdup(key)))) {
		free(r->netns);
		free(r->dev);
		return -ENOMEM;
	}
	st->n++;
	{
		size_t h = rec_keyhash(type, netns, dev, key, metric) & (st->nslots - 1);

		while (st->slots[h])
			h = (h + 1) & (st->nslots - 1);
		st->slots[h] = st->n;
	}
	return 0;
}

/* "ns demo.r1 64 4026532291 12", "addr demo.r1 eth1 203.0.113.1/30", ... */
static int rec_line(const struct lab_rec *r, char *buf, size_t size)
{
	int n;

	switch (r->type) {
	case REC_NS:
		n = snprintf(buf, size, "ns %s %" PRIu64 " %" PRIu64 " %" PRIu64, r->netns,
			     r->id[0], r->id[1], r->id[2]);
		break;
	case REC_LINK:
		n = snprintf(buf, size, "link %s %s %" PRIu64, r->netns, r->dev, r->id[0]);
		break;
	case REC_ROUTE:
		n = snprintf(buf, size, "route %s %s %" PRIu64, r->netns, r->key, r->id[0]);
		break;
	case REC_EXEC:
		n = snprintf(buf, size, "exec %s %s", r->netns, r->key);
		break;
	default:
		n = snprintf(buf, size, "%s %s %s %s", type_names[r->type], r->netns, r->dev,
			     r->key);
		break;
	}
	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : n;
}

/* Split at single spaces, in place. */
static size_t split(char *line, char **w, size_t max)
{
	size_t n = 0;

	while (*line && n < max) {
		w[n++] = line;
		line = strchr(line, ' ');
		if (!line)
			break;
		*line++ = '\0';
	}
	return n;
}

static bool parse_u64(const char *s, uint64_t *v)
{
	char *end;

	if (!isdigit((unsigned char)*s))
		return false;
	errno = 0;
	*v = strtoull(s, &end, 10);
	return !errno && !*end;
}

/* One record line, words split. false when it is not one. */
static bool rec_parse(char **w, size_t n, enum lab_rec_type *type, const char **netns,
		      const char **dev, const char **key, uint64_t id[3])
{
	int t = -1;

	for (int i = 0; i < REC_NTYPES; i++)
		if (n && !strcmp(w[0], type_names[i]))
			t = i;
	if (t < 0 || n < 3)
		return false;
	*type = (enum lab_rec_type)t;
	*netns = w[1];
	*dev = *key = NULL;
	id[0] = id[1] = id[2] = 0;
	switch (*type) {
	case REC_NS:
		return n == 5 && parse_u64(w[2], &id[0]) && parse_u64(w[3], &id[1]) &&
		       parse_u64(w[4], &id[2]);
	case REC_LINK:
		*dev = w[2];
		return n == 4 && parse_u64(w[3], &id[0]);
	case REC_ROUTE:
		*key = w[2];
		return n == 4 && parse_u64(w[3], &id[0]);
	case REC_EXEC:
		*key = w[2];
		return n == 3;
	default:
		*dev = w[2];
		*key = w[3];
		return n == 4;
	}
}

/* %-escape what could break a line or a word. */
static void escape(const char *s, char *buf, size_t size)
{
	size_t i = 0;

	for (; *s && i + 4 < size; s++) {
		unsigned char c = (unsigned char)*s;

		if (c <= 0x20 || c == 0x7f || c == '%')
			i += (size_t)snprintf(buf + i, size - i, "%%%02x", c);
		else
			buf[i++] = (char)c;
	}
	buf[i] = '\0';
}

static void unescape(char *s)
{
	char *o = s;

	for (; *s; s++) {
		unsigned v;

		if (*s == '%' && isxdigit((unsigned char)s[1]) && isxdigit((unsigned char)s[2]) &&
		    sscanf(s + 1, "%2x", &v) == 1) {
			*o++ = (char)v;
			s += 2;
		} else {
			*o++ = *s;
		}
	}
	*o = '\0';
}

/* ---- journal ---- */

static int journal_line(struct lab_state *st, const char *line, struct nsc_error *e)
{
	size_t len = strlen(line);
	char buf[PATH_MAX + 64];

	if (!st->writable)
		return 0;
	if (st->jfd < 0) {
		st->jfd = openat(st->dfd, "journal", O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC |
				 O_NOFOLLOW, 0600);
		if (st->jfd < 0)
			return nsc_err(e, errno, "lab \"%s\": state %s/journal", st->name, st->dir);
	}
	if (len + 2 > sizeof(buf))
		return nsc_err(e, ENAMETOOLONG, "lab \"%s\": state", st->name);
	memcpy(buf, line, len);
	buf[len++] = '\n';
	/* one write: a line is there whole or not at all */
	if (write(st->jfd, buf, len) != (ssize_t)len)
		return nsc_err(e, errno ? errno : EIO, "lab \"%s\": write %s/journal", st->name,
			       st->dir);
	return 0;
}

static int journal_rec(struct lab_state *st, char sign, const struct lab_rec *r,
		       struct nsc_error *e)
{
	char line[1024];

	line[0] = sign;
	line[1] = ' ';
	if (rec_line(r, line + 2, sizeof(line) - 2) < 0)
		return nsc_err(e, ENAMETOOLONG, "lab \"%s\": state", st->name);
	return journal_line(st, line, e);
}

int lab_rec_put(struct lab_state *st, enum lab_rec_type type, const char *netns,
		const char *dev, const char *key, const uint64_t id[3], struct nsc_error *e)
{
	struct lab_rec *r;

	rec_norm(type, &dev, &key);
	if (rec_set(st, type, netns, dev, key, id, false) < 0)
		return nsc_err(e, ENOMEM, "lab \"%s\": state", st->name);
	r = lab_rec_find(st, type, netns, dev, key, type == REC_ROUTE ? id[0] : 0);
	return journal_rec(st, '+', r, e);
}

int lab_rec_drop(struct lab_state *st, struct lab_rec *r, struct nsc_error *e)
{
	if (r->dead)
		return 0;
	r->dead = true;
	return journal_rec(st, '-', r, e);
}

int lab_rec_drop_inside(struct lab_state *st, const char *netns, struct nsc_error *e)
{
	for (size_t i = 0; i < st->n; i++) {
		struct lab_rec *r = &st->v[i];
		int ret;

		if (!r->dead && r->type != REC_NS && !strcmp(r->netns, netns) &&
		    (ret = lab_rec_drop(st, r, e)) < 0)
			return ret;
	}
	return 0;
}

/* ---- loading ---- */

static int read_all(int dfd, const char *name, char **out, size_t *len)
{
	size_t cap = 4096, n = 0;
	char *buf = NULL;
	int fd = openat(dfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);

	*out = NULL;
	*len = 0;
	if (fd < 0)
		return -errno;
	for (;;) {
		ssize_t r;

		if (!buf || n + 1 >= cap) {
			char *nb;

			if (buf)
				cap *= 2;
			if (cap > MAX_STATE_FILE || !(nb = realloc(buf, cap))) {
				free(buf);
				close(fd);
				return cap > MAX_STATE_FILE ? -EFBIG : -ENOMEM;
			}
			buf = nb;
		}
		r = read(fd, buf + n, cap - n - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int err = -errno;

			free(buf);
			close(fd);
			return err;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	buf[n] = '\0';
	*out = buf;
	*len = n;
	return 0;
}

static int load_lines(struct lab_state *st, char *text, bool journal, struct nsc_error *e)
{
	char *line = text, *next;
	bool header = !journal;

	for (; line && *line; line = next) {
		enum lab_rec_type type;
		const char *netns, *dev, *key;
		char *w[8] = { NULL };
		uint64_t id[3];
		size_t n;
		bool dead = false;

		next = strchr(line, '\n');
		if (!next)
			break;          /* a line cut short by a crash: not there */
		*next++ = '\0';
		if (header) {
			if (strcmp(line, STATE_MAGIC))
				return nsc_err_text(e, EINVAL, "lab \"%s\": %s/state: not a state "
						    "file this netnsctl reads", st->name, st->dir);
			header = false;
			continue;
		}
		n = split(line, w, 8);
		if (n == 2 && !strcmp(w[0], "status")) {
			st->complete = !strcmp(w[1], "complete");
			continue;
		}
		if (n == 2 && !strcmp(w[0], "boot")) {
			st->stale = strcmp(w[1], st->boot) != 0;
			continue;
		}
		if (n == 2 && !strcmp(w[0], "file")) {
			free(st->file);
			unescape(w[1]);
			if (!(st->file = strdup(w[1])))
				return nsc_err(e, ENOMEM, "lab \"%s\": state", st->name);
			continue;
		}
		if (n == 2 && !strcmp(w[0], "name"))
			continue;
		if (journal) {
			if (n < 2 || (strcmp(w[0], "+") && strcmp(w[0], "-")))
				continue;
			dead = w[0][0] == '-';
			memmove(w, w + 1, (n - 1) * sizeof(*w));
			n--;
		}
		if (!rec_parse(w, n, &type, &netns, &dev, &key, id))
			continue;       /* not ours to guess at */
		if (rec_set(st, type, netns, dev, key, id, dead) < 0)
			return nsc_err(e, ENOMEM, "lab \"%s\": state", st->name);
	}
	return 0;
}

static int state_load(struct lab_state *st, struct nsc_error *e)
{
	char *text;
	size_t len;
	int ret;

	ret = read_all(st->dfd, "state", &text, &len);
	if (ret == -ENOENT)
		return 0;       /* made, never written: nothing recorded yet */
	if (ret < 0)
		return nsc_err(e, ret, "lab \"%s\": read %s/state", st->name, st->dir);
	st->found = true;
	ret = load_lines(st, text, false, e);
	free(text);
	if (ret < 0)
		return ret;
	ret = read_all(st->dfd, "journal", &text, &len);
	if (ret == -ENOENT)
		return 0;
	if (ret < 0)
		return nsc_err(e, ret, "lab \"%s\": read %s/journal", st->name, st->dir);
	/* journal lines follow an apply that did not finish */
	if (len)
		st->complete = false;
	ret = load_lines(st, text, true, e);
	free(text);
	return ret;
}

static void state_reset(struct lab_state *st)
{
	for (size_t i = 0; i < st->n; i++) {
		free(st->v[i].netns);
		free(st->v[i].dev);
		free(st->v[i].key);
	}
	free(st->v);
	free(st->slots);
	st->v = NULL;
	st->slots = NULL;
	st->n = st->cap = st->nslots = 0;
}

void lab_state_close(struct lab_state *st)
{
	if (st->jfd >= 0)
		close(st->jfd);
	/* made for an apply that then wrote nothing (refused, dry): not a lab */
	if (st->dfd >= 0 && st->writable && !st->found && st->dir)
		rmdir(st->dir);
	if (st->dfd >= 0) {
		flock(st->dfd, LOCK_UN);
		close(st->dfd);
	}
	state_reset(st);
	free(st->root);
	free(st->name);
	free(st->dir);
	free(st->file);
	memset(st, 0, sizeof(*st));
	st->dfd = st->jfd = -1;
}

int lab_state_open(struct nsc_ctx *ctx, const struct nsc_lab_opts *opts, const char *name,
		   enum lab_open how, struct lab_state *st, struct nsc_error *e)
{
	bool writable = how != LAB_READ && how != LAB_PEEK;
	struct stat sb;
	int ret, tries = 0;

	memset(st, 0, sizeof(*st));
	st->dfd = st->jfd = -1;
	st->writable = writable;
	read_boot_id(st->boot);
	if ((ret = nsc_lab_name_check(name, e)) < 0)
		return ret;
	if (!(st->name = strdup(name)))
		return nsc_err(e, ENOMEM, "lab \"%s\": state", name);
	if ((ret = lab_state_root(ctx, opts, &st->root, e)) < 0)
		goto fail;
	if (asprintf(&st->dir, "%s/%s", st->root, name) < 0) {
		st->dir = NULL;
		ret = nsc_err(e, ENOMEM, "lab \"%s\": state", name);
		goto fail;
	}
again:
	if (how == LAB_CREATE && (ret = nsc_mkdir_p(st->dir, 0700)) < 0) {
		ret = nsc_err(e, ret, "lab \"%s\": state dir %s", name, st->dir);
		goto fail;
	}
	st->dfd = open(st->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	if (st->dfd < 0) {
		if (errno == ENOENT && how != LAB_CREATE)
			return 0;
		ret = nsc_err(e, errno, "lab \"%s\": state dir %s", name, st->dir);
		goto fail;
	}
	/* a peek reads what is there now: whole files, whole journal lines */
	if (flock(st->dfd, writable ? LOCK_EX : how == LAB_PEEK ? LOCK_SH | LOCK_NB : LOCK_SH) < 0 &&
	    !(how == LAB_PEEK && errno == EWOULDBLOCK)) {
		ret = nsc_err(e, errno, "lab \"%s\": lock %s", name, st->dir);
		goto fail;
	}
	/* removed (destroy) while we waited for the lock: start over */
	if (fstat(st->dfd, &sb) == 0 && sb.st_nlink == 0 && tries++ < 8) {
		close(st->dfd);
		st->dfd = -1;
		if (how != LAB_CREATE)
			return 0;
		goto again;
	}
	if ((ret = state_load(st, e)) < 0)
		goto fail;
	return 0;
fail:
	lab_state_close(st);
	return ret;
}

/* ---- writing ---- */

/* Write NAME in the lab's dir from buf, atomically. */
static int write_atomic(struct lab_state *st, const char *name, const char *buf, size_t len,
			struct nsc_error *e)
{
	char tmp[64];
	size_t off = 0;
	int fd;

	snprintf(tmp, sizeof(tmp), ".%s.tmp", name);
	fd = openat(st->dfd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return nsc_err(e, errno, "lab \"%s\": write %s/%s", st->name, st->dir, tmp);
	while (off < len) {
		ssize_t n = write(fd, buf + off, len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			int err = n < 0 ? errno : EIO;

			close(fd);
			unlinkat(st->dfd, tmp, 0);
			return nsc_err(e, err, "lab \"%s\": write %s/%s", st->name, st->dir, tmp);
		}
		off += (size_t)n;
	}
	if (close(fd) < 0 || renameat(st->dfd, tmp, st->dfd, name) < 0) {
		int err = errno;

		unlinkat(st->dfd, tmp, 0);
		return nsc_err(e, err, "lab \"%s\": write %s/%s", st->name, st->dir, name);
	}
	return 0;
}

/* The records as a state file. */
static int state_text(struct lab_state *st, bool complete, char **out, size_t *len)
{
	char esc[PATH_MAX * 3 + 1], line[1024];
	FILE *f = open_memstream(out, len);

	if (!f)
		return -ENOMEM;
	escape(st->file ? st->file : "", esc, sizeof(esc));
	fprintf(f, "%s\nname %s\nboot %s\nstatus %s\nfile %s\n", STATE_MAGIC, st->name,
		st->boot, complete ? "complete" : "incomplete", esc);
	for (size_t i = 0; i < st->n; i++)
		if (!st->v[i].dead && rec_line(&st->v[i], line, sizeof(line)) >= 0)
			fprintf(f, "%s\n", line);
	if (fclose(f) != 0) {
		free(*out);
		return -ENOMEM;
	}
	return 0;
}

int lab_state_commit(struct lab_state *st, bool complete, struct nsc_error *e)
{
	char *text;
	size_t len;
	int ret;

	if (state_text(st, complete, &text, &len) < 0)
		return nsc_err(e, ENOMEM, "lab \"%s\": state", st->name);
	ret = write_atomic(st, "state", text, len, e);
	free(text);
	if (ret < 0)
		return ret;
	/* everything the journal said is in the state now */
	if (st->jfd >= 0) {
		close(st->jfd);
		st->jfd = -1;
	}
	if (unlinkat(st->dfd, "journal", 0) < 0 && errno != ENOENT)
		return nsc_err(e, errno, "lab \"%s\": remove %s/journal", st->name, st->dir);
	st->complete = complete;
	st->found = true;
	return 0;
}

int lab_state_begin(struct lab_state *st, const struct nsc_lab *lab, struct nsc_error *e)
{
	char path[PATH_MAX];
	int ret;

	/* an earlier boot's records identify nothing any more */
	if (st->stale) {
		state_reset(st);
		st->stale = false;
	}
	free(st->file);
	if (!strcmp(lab->file, "<stdin>") || !realpath(lab->file, path))
		st->file = strdup(lab->file);
	else
		st->file = strdup(path);
	if (!st->file)
		return nsc_err(e, ENOMEM, "lab \"%s\": state", st->name);
	if ((ret = write_atomic(st, "lab.yaml", lab->text ? lab->text : "",
				lab->text ? lab->text_len : 0, e)) < 0)
		return ret;
	return lab_state_commit(st, false, e);
}

int lab_state_remove(struct lab_state *st, struct nsc_error *e)
{
	static const char *const files[] = {
		"journal", "lab.yaml", ".lab.yaml.tmp", ".state.tmp", "state",
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
	/* still locked: a waiting apply sees the dir gone and starts over */
	if (rmdir(st->dir) < 0 && errno != ENOENT)
		return nsc_err(e, errno, "lab \"%s\": remove %s", st->name, st->dir);
	st->found = false;
	return 0;
}

int lab_state_read_lab(struct lab_state *st, struct nsc_lab **out, struct nsc_error *e)
{
	char *text, what[PATH_MAX + 32];
	size_t len;
	int ret;

	ret = read_all(st->dfd, "lab.yaml", &text, &len);
	if (ret < 0)
		return nsc_err(e, ret, "lab \"%s\": read %s/lab.yaml", st->name, st->dir);
	/* messages cite the file it was applied from */
	snprintf(what, sizeof(what), "%s", st->file && *st->file ? st->file : "lab.yaml");
	ret = nsc_lab_read_mem(text, len, what, out, e);
	free(text);
	if (ret < 0)
		return nsc_err_prefix(e, "lab \"%s\": the state's copy of the file", st->name);
	return 0;
}
