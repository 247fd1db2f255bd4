// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The journal: each record appended as its object is about to be made
 * ("? LINE", fsync'ed: the intent, state.h), made ("+ LINE") or removed
 * ("- LINE"), one write(2) a line, so that an apply that fails or is killed
 * half-way leaves what it made, or was making, recorded. state_file.c reads
 * it back after the state file, and folds it in when an apply ends.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <netnsctl/error.h>

#include "base/util.h"
#include "lab/state.h"

static int journal_line(struct lab_state *st, const char *line, bool sync,
			struct nsc_error *e)
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
	/* an intent must outlive anything: it is on disk before the request */
	if (sync && fdatasync(st->jfd) < 0)
		return nsc_err(e, errno, "lab \"%s\": sync %s/journal", st->name, st->dir);
	return 0;
}

static int journal_rec(struct lab_state *st, char sign, const struct lab_rec *r,
		       struct nsc_error *e)
{
	char line[1024];

	line[0] = sign;
	line[1] = ' ';
	if (lab_rec_line(r, line + 2, sizeof(line) - 2) < 0)
		return nsc_err(e, ENAMETOOLONG, "lab \"%s\": state", st->name);
	return journal_line(st, line, sign == '?', e);
}

static int rec_mark(struct lab_state *st, enum lab_rec_type type, const char *netns,
		    const char *dev, const char *key, const uint64_t id[3],
		    enum lab_rec_mark mark, struct nsc_error *e)
{
	struct lab_rec *r;

	if (lab_rec_set(st, type, netns, dev, key, id, mark) < 0)
		return nsc_err(e, ENOMEM, "lab \"%s\": state", st->name);
	r = lab_rec_find(st, type, netns, dev, key, type == REC_ROUTE ? id[0] : 0);
	return journal_rec(st, mark == REC_INTENT ? '?' : '+', r, e);
}

int lab_rec_intend(struct lab_state *st, enum lab_rec_type type, const char *netns,
		   const char *dev, const char *key, const uint64_t id[3], struct nsc_error *e)
{
	return rec_mark(st, type, netns, dev, key, id, REC_INTENT, e);
}

int lab_rec_put(struct lab_state *st, enum lab_rec_type type, const char *netns,
		const char *dev, const char *key, const uint64_t id[3], struct nsc_error *e)
{
	return rec_mark(st, type, netns, dev, key, id, REC_MADE, e);
}

int lab_rec_drop(struct lab_state *st, struct lab_rec *r, struct nsc_error *e)
{
	if (r->dead)
		return 0;
	r->dead = true;
	r->pending = false;
	return journal_rec(st, '-', r, e);
}

int lab_rec_drop_inside(struct lab_state *st, const char *netns, struct nsc_error *e)
{
	for (size_t i = 0; i < st->n; i++) {
		struct lab_rec *r = &st->v[i];
		int ret;

		if (!r->dead && r->type != REC_NS && r->type != REC_HOSTS &&
		    r->type != REC_UTS &&
		    !strcmp(r->netns, netns) &&
		    (ret = lab_rec_drop(st, r, e)) < 0)
			return ret;
	}
	return 0;
}

/* ---- many namespaces at once (destroy) ---- */

struct jbuf {
	char *p;
	size_t len, cap;
};

/* r forgotten, its "- LINE" added to b: 0 or -ENOMEM/-ENAMETOOLONG. */
static int drop_into(struct jbuf *b, struct lab_rec *r)
{
	char line[1024];
	int n = lab_rec_line(r, line, sizeof(line));

	if (n < 0)
		return n;
	if (NSC_GROW(b->p, b->cap, b->len + (size_t)n + 3) < 0)
		return -ENOMEM;
	b->p[b->len++] = '-';
	b->p[b->len++] = ' ';
	memcpy(b->p + b->len, line, (size_t)n);
	b->len += (size_t)n;
	b->p[b->len++] = '\n';
	r->dead = true;
	r->pending = false;
	return 0;
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* b's lines appended to the journal in one write (b freed). */
static int write_drops(struct lab_state *st, struct jbuf *b, struct nsc_error *e)
{
	size_t done = 0;
	int ret = 0;

	if (!st->writable || !b->len)
		goto cleanup;
	if (st->jfd < 0) {
		st->jfd = openat(st->dfd, "journal", O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC |
				 O_NOFOLLOW, 0600);
		if (st->jfd < 0) {
			ret = nsc_err(e, errno, "lab \"%s\": state %s/journal", st->name, st->dir);
			goto cleanup;
		}
	}
	/*
	 * One write for them all. Cut short by a kill, the lines written stand
	 * and a line cut in two is not read (state_file.c); the records not
	 * forgotten name objects that are gone, which the next destroy
	 * forgets. The next run rewrites the state and starts a new journal.
	 */
	while (done < b->len) {
		ssize_t w = write(st->jfd, b->p + done, b->len - done);

		if (w <= 0) {
			ret = nsc_err(e, w < 0 ? errno : EIO, "lab \"%s\": write %s/journal",
				      st->name, st->dir);
			break;
		}
		done += (size_t)w;
	}
cleanup:
	free(b->p);
	return ret;
}

int lab_rec_drop_many(struct lab_state *st, struct lab_rec **recs, size_t n,
		      struct nsc_error *e)
{
	struct jbuf b = { 0 };
	int ret = 0;

	for (size_t i = 0; i < n && ret == 0; i++)
		if (!recs[i]->dead)
			ret = drop_into(&b, recs[i]);
	if (ret < 0) {
		free(b.p);
		return nsc_err(e, -ret, "lab \"%s\": state", st->name);
	}
	return write_drops(st, &b, e);
}

int lab_rec_drop_ns_many(struct lab_state *st, struct lab_rec **recs, size_t n,
			 struct nsc_error *e)
{
	const char **names = calloc(n ? n : 1, sizeof(*names));
	struct jbuf b = { 0 };
	int ret = 0;

	if (!names)
		return nsc_err(e, ENOMEM, "lab \"%s\": state", st->name);
	for (size_t i = 0; i < n; i++)
		names[i] = recs[i]->netns;
	qsort(names, n, sizeof(*names), str_cmp);
	/* one pass over the records, not one per namespace: O(records) */
	for (size_t i = 0; i < st->n && ret == 0; i++) {
		struct lab_rec *r = &st->v[i];

		if (!r->dead && r->type != REC_NS && r->type != REC_HOSTS && r->type != REC_UTS &&
		    bsearch(&r->netns, names, n, sizeof(*names), str_cmp))
			ret = drop_into(&b, r);
	}
	for (size_t i = 0; i < n && ret == 0; i++)
		if (!recs[i]->dead)
			ret = drop_into(&b, recs[i]);
	free(names);
	if (ret < 0) {
		free(b.p);
		return nsc_err(e, -ret, "lab \"%s\": state", st->name);
	}
	return write_drops(st, &b, e);
}
