// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * "Did you mean": the known word closest to a mistyped one (parse.h). Pure,
 * so that every layer that refuses a word (the tool's commands and
 * keywords, the library's link kinds) can offer the one meant.
 */
#include <string.h>

#include <netnsctl/parse.h>

/* Longer words are not typos of a command or keyword: no suggestion. */
#define MAX_LEN 32

/*
 * The optimal-string-alignment distance (Damerau-Levenshtein where each
 * letter is edited once): insertions, deletions, substitutions and swaps of
 * two neighbours ("brdige") cost one each. Three rows of the usual table.
 */
static unsigned distance(const char *a, size_t n, const char *b, size_t m)
{
	unsigned rows[3][MAX_LEN + 1], *pp = rows[0], *p = rows[1], *c = rows[2], *t;

	for (size_t j = 0; j <= m; j++)
		p[j] = (unsigned)j;
	for (size_t i = 1; i <= n; i++) {
		c[0] = (unsigned)i;
		for (size_t j = 1; j <= m; j++) {
			unsigned best = p[j - 1] + (a[i - 1] != b[j - 1]);

			if (p[j] + 1 < best)
				best = p[j] + 1;
			if (c[j - 1] + 1 < best)
				best = c[j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    pp[j - 2] + 1 < best)
				best = pp[j - 2] + 1;
			c[j] = best;
		}
		t = pp;         /* the rows move up: two back, one back, this */
		pp = p;
		p = c;
		c = t;
	}
	return p[m];
}

void nsc_suggest_init(struct nsc_suggest *s, const char *word)
{
	size_t len = strlen(word);

	*s = (struct nsc_suggest){ .word = word, .len = len };
	/* one edit in a short word, two beyond: "xy" is no typo of "ls" */
	s->max = len == 0 || len > MAX_LEN ? 0 : len <= 4 ? 1 : 2;
}

void nsc_suggest_add(struct nsc_suggest *s, const char *cand, size_t len)
{
	unsigned d;

	if (!s->max || len > MAX_LEN)
		return;
	d = distance(s->word, s->len, cand, len);
	/* a start of it ("mon" for "monitor") counts as one edit */
	if (d > 1 && s->len >= 3 && s->len < len && !strncmp(s->word, cand, s->len))
		d = 1;
	if (d <= s->max && (!s->best || d < s->dist)) {
		s->best = cand;
		s->best_len = len;
		s->dist = d;
	}
}

void nsc_suggest_words(struct nsc_suggest *s, const char *names)
{
	while (*names) {
		size_t n = strcspn(names, " ");

		if (n)
			nsc_suggest_add(s, names, n);
		names += n;
		names += strspn(names, " ");
	}
}

const char *nsc_suggest_best(const struct nsc_suggest *s, char *buf, size_t size)
{
	if (!s->best || s->best_len >= size)
		return NULL;
	memcpy(buf, s->best, s->best_len);
	buf[s->best_len] = '\0';
	return buf;
}
