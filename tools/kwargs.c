// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "kwargs.h"

void ka_init(struct kargs *k, struct cli *c, const char *verb, int argc, char **argv, int first)
{
	k->c = c;
	k->verb = verb;
	k->argc = argc;
	k->argv = argv;
	k->i = first;
	k->seen = 0;
}

bool ka_take(struct kargs *k, const char *word)
{
	if (k->i < k->argc && !strcmp(k->argv[k->i], word)) {
		k->i++;
		return true;
	}
	return false;
}

/* Words are echoed in messages: keep control bytes out of the terminal. */
static const char *shown(const char *s, char *buf, size_t size)
{
	size_t n = 0;

	for (; *s && n + 5 < size; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch < 0x20 || ch == 0x7f)
			n += (size_t)snprintf(buf + n, size - n, "\\x%02x", ch);
		else
			buf[n++] = (char)ch;
	}
	buf[n] = '\0';
	return buf;
}

int ka_value(struct kargs *k, const char **v)
{
	char b[64];

	if (k->i >= k->argc)
		return ka_usage(k, "missing value after \"%s\"",
				shown(k->argv[k->i - 1], b, sizeof(b)));
	*v = k->argv[k->i++];
	return 0;
}

int ka_once(struct kargs *k, unsigned slot)
{
	char b[64];

	if (k->seen & (1ull << slot))
		return ka_usage(k, "\"%s\" given twice", shown(k->argv[k->i - 1], b, sizeof(b)));
	k->seen |= 1ull << slot;
	return 0;
}

int ka_fail(struct kargs *k, struct nsc_error *e)
{
	nsc_err_prefix(e, "%s", k->verb);
	return cli_error(k->c, e);
}

int ka_usage(struct kargs *k, const char *fmt, ...)
{
	char msg[NSC_ERR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return cli_usage(k->c, "%s: %s", k->verb, msg);
}

int ka_unknown(struct kargs *k)
{
	char b[64];

	return ka_usage(k, "unknown argument \"%s\"", shown(ka_peek(k), b, sizeof(b)));
}
