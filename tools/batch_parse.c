// SPDX-License-Identifier: GPL-2.0-or-later
/* The batch file tokenizer (rules in batch_parse.h). */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "batch_parse.h"

void batch_tok_init(struct batch_tok *t)
{
	memset(t, 0, sizeof(*t));
}

void batch_tok_free(struct batch_tok *t)
{
	free(t->argv);
	free(t->starts);
	free(t->buf);
	batch_tok_init(t);
}

static int put(struct batch_tok *t, char ch)
{
	if (t->buflen == t->bufcap) {
		size_t cap = t->bufcap ? t->bufcap * 2 : 256;
		char *nb = realloc(t->buf, cap);

		if (!nb)
			return -ENOMEM;
		t->buf = nb;
		t->bufcap = cap;
	}
	t->buf[t->buflen++] = ch;
	return 0;
}

/* Room for one more word start and, later, argc + 1 argv slots. */
static int word_start(struct batch_tok *t)
{
	if ((size_t)t->argc + 1 >= t->argvcap) {
		size_t cap = t->argvcap ? t->argvcap * 2 : 16;
		size_t *ns = realloc(t->starts, cap * sizeof(*ns));

		if (!ns)
			return -ENOMEM;
		t->starts = ns;
		char **na = realloc(t->argv, cap * sizeof(*na));

		if (!na)
			return -ENOMEM;
		t->argv = na;
		t->argvcap = cap;
	}
	t->starts[t->argc++] = t->buflen;
	return 0;
}

static bool blank(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\v' || ch == '\f';
}

/* A syntax error: skip to the end of this physical line and say why. */
static int fail(struct batch_tok *t, const char *text, size_t len, size_t i,
		const char *why)
{
	const char *nl = i < len ? memchr(text + i, '\n', len - i) : NULL;

	if (nl) {
		t->consumed = (size_t)(nl - text) + 1;
		t->lines++;
	} else {
		t->consumed = len;
	}
	t->err = why;
	t->argc = 0;
	t->argv[0] = NULL;
	return -EINVAL;
}

/* One line's scan: where it is in the text, and inside what. */
struct scan {
	struct batch_tok *t;
	const char *text;
	size_t len, i;                  /* text[i]: the byte at hand */
	enum { GAP, WORD, SQ, DQ } st;  /* between words, in one, in '...', in "..." */
};

/* What a step says besides an error (-errno): go on, the line ends at the
 * newline text[i], the input ends. */
enum { ON = 0, EOL, END };

static int scan_fail(struct scan *s, const char *why)
{
	return fail(s->t, s->text, s->len, s->i, why);
}

static const char *unterminated(const struct scan *s)
{
	return s->st == SQ ? "unterminated single quote" : "unterminated double quote";
}

/* '#' at the start of a word: a comment ends at its newline, backslash or not */
static int comment(struct scan *s)
{
	const char *nl = memchr(s->text + s->i, '\n', s->len - s->i);
	size_t end = nl ? (size_t)(nl - s->text) : s->len;

	if (memchr(s->text + s->i, '\0', end - s->i))
		return scan_fail(s, "NUL byte in line");
	s->i = end;
	return nl ? EOL : END;
}

/* In a word, outside quotes: a backslash takes the next byte as it is. */
static int word(struct scan *s, char ch)
{
	int ret;

	if (ch == '\n' || blank(ch)) {
		if ((ret = put(s->t, '\0')) < 0)
			return ret;
		s->st = GAP;
		return ch == '\n' ? EOL : ON;
	}
	if (ch == '\'' || ch == '"') {
		s->st = ch == '"' ? DQ : SQ;
		return ON;
	}
	if (ch == '\\') {
		if (s->i + 1 == s->len)
			return scan_fail(s, "backslash at the end of the input");
		ch = s->text[++s->i];
		if (ch == '\0')
			return scan_fail(s, "NUL byte in line");
		if (ch == '\n') {       /* continuation inside a word */
			s->t->lines++;
			return ON;
		}
	}
	return put(s->t, ch);
}

/* Between words: blanks, a comment, a continuation, or a word's first byte. */
static int gap(struct scan *s, char ch)
{
	int ret;

	if (ch == '\n')
		return EOL;
	if (blank(ch))
		return ON;
	if (ch == '#')
		return comment(s);
	if (ch == '\\' && s->i + 1 < s->len && s->text[s->i + 1] == '\n') {
		s->i++;
		s->t->lines++;
		return ON;
	}
	if ((ret = word_start(s->t)) < 0)
		return ret;
	s->st = WORD;
	return word(s, ch);
}

/* Inside '...' (no escapes) or "..." (sh's: \ " $ ` and newline). */
static int quoted(struct scan *s, char ch)
{
	bool dq = s->st == DQ;

	if (ch == '\n')
		return scan_fail(s, unterminated(s));
	if (ch == (dq ? '"' : '\'')) {
		s->st = WORD;
		return ON;
	}
	if (dq && ch == '\\' && s->i + 1 < s->len) {
		char nx = s->text[s->i + 1];

		if (nx == '\n') {
			s->i++;
			s->t->lines++;
			return ON;
		}
		/* nothing expands here, so \$ is just $ */
		if (nx == '\\' || nx == '"' || nx == '$' || nx == '`') {
			ch = nx;
			s->i++;
		}
	}
	return put(s->t, ch);
}

int batch_tok_line(struct batch_tok *t, const char *text, size_t len)
{
	struct scan s = { .t = t, .text = text, .len = len, .st = GAP };
	int ret = ON;

	t->argc = 0;
	t->buflen = 0;
	t->lines = 0;
	t->consumed = 0;
	t->err = NULL;
	/* argv[0] = NULL must always be writable */
	if (!t->argv && word_start(t) < 0)
		return -ENOMEM;
	t->argc = 0;

	for (; s.i < len; s.i++) {
		char ch = text[s.i];

		if (ch == '\0')
			return scan_fail(&s, "NUL byte in line");
		ret = s.st == GAP ? gap(&s, ch) : s.st == WORD ? word(&s, ch) : quoted(&s, ch);
		if (ret != ON)
			break;
	}
	if (ret < 0)
		return ret;
	if (ret == EOL) {
		s.i++;
		t->lines++;
	} else if (ret == ON) {
		/* the input ended without a newline */
		if (s.st == SQ || s.st == DQ)
			return scan_fail(&s, unterminated(&s));
		if (s.st == WORD && (ret = put(t, '\0')) < 0)
			return ret;
	}
	t->consumed = s.i;
	for (int k = 0; k < t->argc; k++)
		t->argv[k] = t->buf + t->starts[k];
	t->argv[t->argc] = NULL;
	return 0;
}
