// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The files in a lab's state directory:
 *
 *   lab.yaml   the file last applied (a copy: destroy and show need no file)
 *   state      the records, rewritten whole (temp file + rename)
 *   journal    records appended as objects are about to be made ("?"),
 *              made ("+") or removed ("-") (journal.c), folded into state
 *              when an apply ends
 *
 * A record line prefixed "? " is an intent not yet settled (state.h).
 *
 * Lines are words separated by single spaces; no name a lab uses has a
 * space, and the file's path is %-escaped. A line cut short by a crash is
 * not there; a line this netnsctl does not know is left alone.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lab/model.h"
#include "lab/state.h"

#define STATE_MAGIC "netnsctl-lab-state 1"
#define MAX_STATE_FILE (64 * 1024 * 1024)

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

/* All of file NAME in the lab's dir: 0 or -errno. */
static int read_file(struct lab_state *st, const char *name, char **out, size_t *len)
{
	int fd = openat(st->dfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	int ret;

	if (fd < 0)
		return -errno;
	ret = lab_read_all(fd, MAX_STATE_FILE, out, len);
	close(fd);
	return ret;
}

/* A line of the state's own ("status complete", "boot ID", "file PATH",
 * "name NAME"): 1 when it is one, 0 when not, or an error. */
static int state_word(struct lab_state *st, char **w, size_t n, struct nsc_error *e)
{
	if (n != 2)
		return 0;
	if (!strcmp(w[0], "status")) {
		st->complete = !strcmp(w[1], "complete");
	} else if (!strcmp(w[0], "boot")) {
		st->stale = strcmp(w[1], st->boot) != 0;
	} else if (!strcmp(w[0], "file")) {
		free(st->file);
		unescape(w[1]);
		if (!(st->file = strdup(w[1])))
			return nsc_err(e, ENOMEM, "lab \"%s\": state", st->name);
	} else if (!strcmp(w[0], "name")) {
		if (strcmp(w[1], st->name))
			return nsc_err_text(e, EINVAL, "lab \"%s\": %s/state: the state of lab \"%s\": "
					    "refused", st->name, st->dir, w[1]);
	} else {
		return 0;
	}
	return 1;
}

static int load_lines(struct lab_state *st, char *text, bool journal, struct nsc_error *e)
{
	char *line = text, *next;
	bool header = !journal;

	for (; line && *line; line = next) {
		char *w[8] = { NULL };
		struct lab_rec r;
		enum lab_rec_mark mark = REC_MADE;
		size_t n;
		int ret;

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
		if ((ret = state_word(st, w, n, e)) != 0) {
			if (ret < 0)
				return ret;
			continue;
		}
		/* the journal's lines are signed; the state's only when pending */
		if (n >= 2 && (!strcmp(w[0], "?") || (journal && (!strcmp(w[0], "+") ||
								  !strcmp(w[0], "-"))))) {
			mark = w[0][0] == '?' ? REC_INTENT : w[0][0] == '-' ? REC_GONE : REC_MADE;
			memmove(w, w + 1, (n - 1) * sizeof(*w));
			n--;
		} else if (journal) {
			continue;
		}
		if (!lab_rec_parse(w, n, &r))
			continue;       /* not ours to guess at */
		if (lab_rec_set(st, r.type, r.netns, r.dev, r.key, r.id, mark) < 0)
			return nsc_err(e, ENOMEM, "lab \"%s\": state", st->name);
	}
	return 0;
}

/* File NAME's lines into st: -ENOENT when there is no such file. */
static int load_file(struct lab_state *st, const char *name, bool journal,
		     struct nsc_error *e)
{
	char *text;
	size_t len;
	int ret = read_file(st, name, &text, &len);

	if (ret == -ENOENT)
		return ret;
	if (ret < 0)
		return nsc_err(e, -ret, "lab \"%s\": read %s/%s", st->name, st->dir, name);
	/* journal lines follow an apply that did not finish */
	if (journal && len)
		st->complete = false;
	ret = load_lines(st, text, journal, e);
	free(text);
	return ret;
}

/* Is NETNS one of the lab's names ("LAB.something")? */
static bool labs_name(const struct lab_state *st, const char *netns)
{
	size_t len = strlen(st->name);

	return !strncmp(netns, st->name, len) && netns[len] == '.' && netns[len + 1];
}

/*
 * Trust no record: every record must name a namespace of the lab's
 * ("LAB.*"); one that does not is refused, with the state as a whole:
 * nothing is done on the word of a state someone else wrote. What is inside
 * a namespace the state does not record (a link, an address) can only be
 * acted on inside one that it does: it is forgotten.
 */
static int check_records(struct lab_state *st, struct nsc_error *e)
{
	for (size_t i = 0; i < st->n; i++) {
		struct lab_rec *r = &st->v[i];
		char line[1024];

		if (r->dead)
			continue;
		if (labs_name(st, r->netns)) {
			if (r->type != REC_NS && !lab_rec_find(st, REC_NS, r->netns, NULL, NULL, 0))
				r->dead = true;
			continue;
		}
		if (lab_rec_line(r, line, sizeof(line)) < 0)
			snprintf(line, sizeof(line), "%s", r->netns);
		return nsc_err_text(e, EINVAL, "lab \"%s\": %s: record \"%s%s\" names namespace "
				    "\"%s\", not one of the lab's (\"%s.*\"): refused", st->name,
				    st->dir, r->pending ? "? " : "", line, r->netns, st->name);
	}
	return 0;
}

int lab_state_load(struct lab_state *st, struct nsc_error *e)
{
	int ret = load_file(st, "state", false, e);

	if (ret == -ENOENT)
		return 0;       /* made, never written: nothing recorded yet */
	if (ret < 0)
		return ret;
	st->found = true;
	ret = load_file(st, "journal", true, e);
	if (ret < 0 && ret != -ENOENT)
		return ret;
	return check_records(st, e);
}

/* ---- writing ---- */

/* Write NAME in the lab's dir from buf, atomically. */
static int write_atomic(struct lab_state *st, const char *name, const char *buf, size_t len,
			struct nsc_error *e)
{
	char tmp[64];
	size_t off = 0;
	int fd, ret = 0;

	snprintf(tmp, sizeof(tmp), ".%s.tmp", name);
	fd = openat(st->dfd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return nsc_err(e, errno, "lab \"%s\": write %s/%s", st->name, st->dir, tmp);
	while (off < len) {
		ssize_t n = write(fd, buf + off, len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			ret = nsc_err(e, n < 0 ? errno : EIO, "lab \"%s\": write %s/%s", st->name,
				      st->dir, tmp);
			close(fd);
			goto cleanup;
		}
		off += (size_t)n;
	}
	/* on disk before it takes the old one's place */
	if (fdatasync(fd) < 0) {
		ret = nsc_err(e, errno, "lab \"%s\": sync %s/%s", st->name, st->dir, tmp);
		close(fd);
		goto cleanup;
	}
	if (close(fd) < 0 || renameat(st->dfd, tmp, st->dfd, name) < 0)
		ret = nsc_err(e, errno, "lab \"%s\": write %s/%s", st->name, st->dir, name);
cleanup:
	if (ret < 0)
		unlinkat(st->dfd, tmp, 0);
	return ret;
}

/*
 * The records as a state file, in one allocation of its size: measured by a
 * first pass over the records, written by a second (a memstream doubled its
 * buffer, old and new alive at once: ~400 KB at the top of a 1000-leaf
 * apply, which writes its state last).
 */
static int state_text(struct lab_state *st, bool complete, char **out, size_t *len)
{
	char esc[PATH_MAX * 3 + 1], line[1024];
	size_t size = 0, n;
	char *text = NULL;
	int k;

	escape(st->file ? st->file : "", esc, sizeof(esc));
	for (int pass = 0; pass < 2; pass++) {
		k = snprintf(text, text ? size + 1 : 0, "%s\nname %s\nboot %s\nstatus %s\nfile %s\n",
			     STATE_MAGIC, st->name, st->boot, complete ? "complete" : "incomplete",
			     esc);
		if (k < 0)
			goto fail;
		n = (size_t)k;
		for (size_t i = 0; i < st->n; i++) {
			if (st->v[i].dead || lab_rec_line(&st->v[i], line, sizeof(line)) < 0)
				continue;
			if (text && n > size)   /* the records changed between passes */
				goto fail;
			k = snprintf(text ? text + n : NULL, text ? size + 1 - n : 0, "%s%s\n",
				     st->v[i].pending ? "? " : "", line);
			if (k < 0)
				goto fail;
			n += (size_t)k;
		}
		if (text)
			break;
		size = n;
		if (!(text = malloc(size + 1)))
			return -ENOMEM;
	}
	if (n != size)
		goto fail;
	*out = text;
	*len = size;
	return 0;
fail:
	free(text);
	return -ENOMEM;
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
		lab_rec_clear(st);
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

int lab_state_read_lab(struct lab_state *st, struct nsc_lab **out, struct nsc_error *e)
{
	char *text, what[PATH_MAX + 32];
	size_t len;
	int ret;

	ret = read_file(st, "lab.yaml", &text, &len);
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
