/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The batch file tokenizer: text -> one command line's words at a time.
 * Pure (no I/O, no globals), so it is unit-tested and fuzzed on its own.
 *
 * The rules, a small subset of sh(1) that ip -batch users expect:
 *   - words are separated by blanks (space, tab, CR);
 *   - '#' at the start of a word begins a comment to the end of the line;
 *   - '...' quotes everything up to the next ' (no escapes inside);
 *   - "..." quotes with backslash escapes of \ " $ ` and newline; any
 *     other backslash stays as it is (as in sh; nothing is expanded);
 *   - outside quotes a backslash takes the next byte literally;
 *   - a backslash before a newline (outside single quotes) joins the next
 *     line to this one, as in ip -batch;
 *   - a quote left open at the end of its line, a backslash at the very end
 *     of the input and a NUL byte are syntax errors.
 * '' and "" are empty words.
 */
#ifndef NETNSCTL_BATCH_PARSE_H
#define NETNSCTL_BATCH_PARSE_H

#include <stddef.h>

/* Reusable buffers: one per batch, grown as lines need. */
struct batch_tok {
	char **argv;            /* argc words, then NULL */
	int argc;
	size_t consumed;        /* bytes of the input this line took */
	unsigned lines;         /* newlines consumed (continuations + end) */
	const char *err;        /* a syntax error: static text */
	/* private */
	char *buf;              /* the words, NUL-separated */
	size_t buflen, bufcap;
	size_t *starts;         /* word offsets in buf until argv is built */
	size_t argvcap;
};

void batch_tok_init(struct batch_tok *t);
void batch_tok_free(struct batch_tok *t);

/*
 * Split the command line at the start of text[0..len) (which need not be
 * NUL-terminated): fills argv/argc (argc 0 for a blank or comment line),
 * consumed and lines. Returns 0; -EINVAL for a syntax error (t->err says
 * which; consumed and lines still skip to the end of the line, so the
 * caller can go on with the next one); -ENOMEM.
 */
int batch_tok_line(struct batch_tok *t, const char *text, size_t len);

#endif
