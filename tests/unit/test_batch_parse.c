// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests for the batch tokenizer: words, quotes, comments, errors. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "batch_parse.h"
#include "tap.h"

/* Split the first line of text; compare with the expected words (NULL-ended). */
static int words(struct batch_tok *t, const char *text, size_t len, ...)
{
	va_list ap;
	const char *w;
	int k = 0, good;

	if (batch_tok_line(t, text, len) != 0)
		return 0;
	good = 1;
	va_start(ap, len);
	while ((w = va_arg(ap, const char *))) {
		if (k >= t->argc || strcmp(t->argv[k], w))
			good = 0;
		k++;
	}
	va_end(ap);
	return good && k == t->argc && t->argv[k] == NULL;
}

#define W(text, ...) words(&t, text, strlen(text), __VA_ARGS__, (const char *)NULL)
#define NONE(text) (batch_tok_line(&t, text, strlen(text)) == 0 && t.argc == 0 && !t.argv[0])

static void basics(void)
{
	struct batch_tok t;

	batch_tok_init(&t);
	ok(W("add ns1\n", "add", "ns1") && t.consumed == 8 && t.lines == 1, "two words");
	ok(W("  -n  hub\tlink set br0 up  \r\n", "-n", "hub", "link", "set", "br0", "up"),
	   "blanks, tabs, CR");
	ok(W("add ns1", "add", "ns1") && t.consumed == 7 && t.lines == 0, "no final newline");
	ok(NONE("\n") && t.consumed == 1 && t.lines == 1, "blank line");
	ok(NONE("   \t\n") && t.consumed == 5, "blank line of spaces");
	ok(NONE("") && t.consumed == 0, "empty input");
	ok(NONE("# a comment \\\nadd x\n") && t.consumed == 14 && t.lines == 1,
	   "comment line ends at its newline, backslash or not");
	ok(W("add a # not b\nadd c\n", "add", "a") && t.consumed == 14, "comment after a word");
	ok(W("add a#b\n", "add", "a#b"), "# inside a word is a word");
	ok(W("exec ns1 echo '#'\n", "exec", "ns1", "echo", "#"), "quoted #");
	ok(NONE("   # indented comment"), "indented comment, no newline");
	batch_tok_free(&t);
}

static void quoting(void)
{
	struct batch_tok t;

	batch_tok_init(&t);
	ok(W("exec ns 'a b'  \"c d\"\n", "exec", "ns", "a b", "c d"), "both quotes");
	ok(W("x '' \"\" y\n", "x", "", "", "y"), "empty quoted words");
	ok(W("a'b'\"c\"d\n", "abcd"), "quotes join into one word");
	ok(W("'a\\nb'\n", "a\\nb"), "no escapes in single quotes");
	ok(W("\"a\\\"b\\\\c\\nd\"\n", "a\"b\\c\\nd"), "double quote escapes: \\\" \\\\ only");
	ok(W("a\\ b c\\'d\n", "a b", "c'd"), "backslash outside quotes");
	ok(W("\"it's\" 'say \"hi\"'\n", "it's", "say \"hi\""), "a quote inside the other");
	ok(W("x \"\\$y\\`\\q\"\n", "x", "$y`\\q"), "\\$ \\` escaped, other backslashes stay");
	batch_tok_free(&t);
}

static void continuation(void)
{
	struct batch_tok t;
	const char *s = "veth add h1 \\\n  peer eth0\nnext\n";

	batch_tok_init(&t);
	ok(W(s, "veth", "add", "h1", "peer", "eth0") && t.lines == 2 &&
	   !strcmp(s + t.consumed, "next\n"), "trailing backslash joins lines");
	ok(W("ab\\\ncd\n", "abcd") && t.lines == 2, "continuation inside a word");
	ok(W("\"ab\\\ncd\"\n", "abcd") && t.lines == 2, "continuation inside double quotes");
	ok(W("a \\\n\\\n b\n", "a", "b") && t.lines == 3, "several continuations");
	ok(batch_tok_line(&t, "'ab\\\ncd'\n", 9) == -EINVAL,
	   "no continuation inside single quotes: unterminated");
	batch_tok_free(&t);
}

static void errors(void)
{
	struct batch_tok t;
	const char *s;

	batch_tok_init(&t);
	s = "add 'ns1\nadd ns2\n";
	ok(batch_tok_line(&t, s, strlen(s)) == -EINVAL && t.err &&
	   !strcmp(t.err, "unterminated single quote") && t.consumed == 9 && t.lines == 1 &&
	   t.argc == 0, "unterminated single quote: error, skips to the next line");
	ok(batch_tok_line(&t, s + t.consumed, strlen(s + t.consumed)) == 0 && t.argc == 2,
	   "and the next line is read normally");
	s = "add \"ns1\n";
	ok(batch_tok_line(&t, s, strlen(s)) == -EINVAL &&
	   !strcmp(t.err, "unterminated double quote"), "unterminated double quote");
	ok(batch_tok_line(&t, "add 'x", 6) == -EINVAL && t.consumed == 6,
	   "unterminated quote at the end of the input");
	ok(batch_tok_line(&t, "add x\\", 6) == -EINVAL &&
	   !strcmp(t.err, "backslash at the end of the input"), "backslash at the end");
	ok(batch_tok_line(&t, "add x\0y\nz\n", 10) == -EINVAL &&
	   !strcmp(t.err, "NUL byte in line") && t.consumed == 8, "NUL byte");
	ok(batch_tok_line(&t, "# c\0mment\nz\n", 12) == -EINVAL && t.consumed == 10,
	   "NUL byte in a comment");
	ok(batch_tok_line(&t, "add '\0'\n", 8) == -EINVAL, "NUL byte in quotes");
	batch_tok_free(&t);
}

static void many(void)
{
	struct batch_tok t;
	size_t n = 5000, len = 0;
	char *s = malloc(n * 3 + 1);
	int good;

	for (size_t i = 0; i < n; i++) {
		s[len++] = (char)('a' + i % 26);
		s[len++] = (char)('A' + i % 26);
		s[len++] = ' ';
	}
	s[len] = '\0';
	batch_tok_init(&t);
	good = batch_tok_line(&t, s, len) == 0 && t.argc == (int)n;
	for (size_t i = 0; good && i < n; i++)
		good = strlen(t.argv[i]) == 2 && t.argv[i][0] == (char)('a' + i % 26);
	ok(good, "5000 words grow the buffers");
	batch_tok_free(&t);
	free(s);
}

/*
 * Random bytes: no crash, every call consumes something, errors only with
 * a reason, words never contain a newline. (The ASan build makes this a
 * memory check too.)
 */
static void random_input(void)
{
	static const char alphabet[] = "ab '\"\\#\n\t\0x";
	struct batch_tok t;
	unsigned seed = 12345;
	int good = 1;

	batch_tok_init(&t);
	for (int round = 0; round < 20000 && good; round++) {
		char buf[64];
		size_t len = (size_t)(rand_r(&seed) % (int)sizeof(buf)), off = 0;

		for (size_t i = 0; i < len; i++)
			buf[i] = round % 2 ? (char)rand_r(&seed) :
				 alphabet[rand_r(&seed) % (int)(sizeof(alphabet) - 1)];
		while (off < len && good) {
			int r = batch_tok_line(&t, buf + off, len - off);

			if (t.consumed == 0 || t.consumed > len - off || (r < 0 && !t.err) ||
			    (r < 0 && r != -EINVAL))
				good = 0;
			for (int k = 0; r == 0 && k < t.argc; k++)
				if (strchr(t.argv[k], '\n'))
					good = 0;
			off += t.consumed;
		}
	}
	ok(good, "random input: always progress, sane results");
	batch_tok_free(&t);
}

int main(void)
{
	basics();
	quoting();
	continuation();
	errors();
	many();
	random_input();
	return tap_done();
}
