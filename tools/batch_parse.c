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

int batch_tok_line(struct batch_tok *t, const char *text, size_t len)
{
	enum { GAP, WORD, SQ, DQ } st = GAP;
	size_t i = 0;
	int ret;

	t->argc = 0;
	t->buflen = 0;
	t->lines = 0;
	t->consumed = 0;
	t->err = NULL;
	/* argv[0] = NULL must always be writable */
	if (!t->argv && word_start(t) < 0)
		return -ENOMEM;
	t->argc = 0;

	for (; i < len; i++) {
		char ch = text[i];

		if (ch == '\0')
			return fail(t, text, len, i, "NUL byte in line");
		switch (st) {
		case GAP:
			if (ch == '\n')
				goto eol;
			if (blank(ch))
				continue;
			if (ch == '#') {
				const char *nl = memchr(text + i, '\n', len - i);

				/* a comment ends at its newline, backslash or not */
				if (memchr(text + i, '\0', (nl ? (size_t)(nl - text) : len) - i))
					return fail(t, text, len, i, "NUL byte in line");
				if (!nl) {
					i = len;
					goto out;
				}
				i = (size_t)(nl - text);
				goto eol;
			}
			if (ch == '\\' && i + 1 < len && text[i + 1] == '\n') {
				i++;
				t->lines++;
				continue;
			}
			if ((ret = word_start(t)) < 0)
				return ret;
			st = WORD;
			/* fall through */
		case WORD:
			if (ch == '\n' || blank(ch)) {
				if ((ret = put(t, '\0')) < 0)
					return ret;
				st = GAP;
				if (ch == '\n')
					goto eol;
				continue;
			}
			if (ch == '\'') {
				st = SQ;
				continue;
			}
			if (ch == '"') {
				st = DQ;
				continue;
			}
			if (ch == '\\') {
				if (i + 1 == len)
					return fail(t, text, len, i, "backslash at the end of the input");
				ch = text[++i];
				if (ch == '\0')
					return fail(t, text, len, i, "NUL byte in line");
				if (ch == '\n') {       /* continuation inside a word */
					t->lines++;
					continue;
				}
			}
			if ((ret = put(t, ch)) < 0)
				return ret;
			continue;
		case SQ:
			if (ch == '\n')
				return fail(t, text, len, i, "unterminated single quote");
			if (ch == '\'') {
				st = WORD;
				continue;
			}
			if ((ret = put(t, ch)) < 0)
				return ret;
			continue;
		case DQ:
			if (ch == '\n')
				return fail(t, text, len, i, "unterminated double quote");
			if (ch == '"') {
				st = WORD;
				continue;
			}
			if (ch == '\\' && i + 1 < len) {
				char nx = text[i + 1];

				if (nx == '\n') {
					i++;
					t->lines++;
					continue;
				}
				/* sh's set; nothing expands here, so \$ is just $ */
				if (nx == '\\' || nx == '"' || nx == '$' || nx == '`') {
					ch = nx;
					i++;
				}
			}
			if ((ret = put(t, ch)) < 0)
				return ret;
			continue;
		}
	}
	/* the input ended without a newline */
	if (st == SQ)
		return fail(t, text, len, i, "unterminated single quote");
	if (st == DQ)
		return fail(t, text, len, i, "unterminated double quote");
	if (st == WORD && (ret = put(t, '\0')) < 0)
		return ret;
	goto out;
eol:
	i++;
	t->lines++;
out:
	t->consumed = i;
	for (int k = 0; k < t->argc; k++)
		t->argv[k] = t->buf + t->starts[k];
	t->argv[t->argc] = NULL;
	return 0;
}
