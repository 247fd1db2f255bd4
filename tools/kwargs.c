// SPDX-License-Identifier: GPL-2.0-or-later
/* The keyword cursor (kwargs.h). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "kwargs.h"

/*
 * A word echoed in a message: the library's escaping, cut to the buffer
 * without an ellipsis, as these messages always were.
 */
static const char *shown(const char *s, char *buf, size_t size)
{
	nsc_printable_part(s, buf, size, false);
	return buf;
}

void ka_init(struct kargs *k, struct cli *c, const char *verb, int argc, char **argv, int first)
{
	*k = (struct kargs){ .c = c, .verb = verb, .argc = argc, .argv = argv, .i = first };
}

void ka_could_be(struct kargs *k, const char *words)
{
	if (k->tried_at != k->i) {
		k->tried_at = k->i;
		k->n_tried = 0;
	}
	if (k->n_tried < sizeof(k->tried) / sizeof(k->tried[0]))
		k->tried[k->n_tried++] = words;
}

bool ka_take(struct kargs *k, const char *word)
{
	if (k->i < k->argc && !strcmp(k->argv[k->i], word)) {
		k->i++;
		return true;
	}
	ka_could_be(k, word);
	return false;
}

const char *ka_meant(const struct kargs *k, char *buf, size_t size)
{
	struct nsc_suggest s;
	char b[64];

	if (k->tried_at != k->i || k->i >= k->argc)
		return "";
	nsc_suggest_init(&s, ka_peek(k));
	for (unsigned i = 0; i < k->n_tried; i++)
		nsc_suggest_words(&s, k->tried[i]);
	if (!nsc_suggest_best(&s, b, sizeof(b)))
		return "";
	snprintf(buf, size, "; did you mean \"%s\"?", b);
	return buf;
}

int ka_value(struct kargs *k, const char **v)
{
	char b[64];

	if (k->i >= k->argc) {
		shown(k->argv[k->i - 1], b, sizeof(b));
		if (k->terse)
			return ka_usage(k, "\"%s\" needs a value", b);
		return ka_usage(k, "missing value after \"%s\"", b);
	}
	*v = k->argv[k->i++];
	return 0;
}

int ka_value_after(struct kargs *k, const char *kw, const char **v)
{
	if (ka_take(k, kw))
		return ka_value(k, v);
	*v = k->argv[k->i++];
	return 0;
}

int ka_once_as(struct kargs *k, unsigned slot, const char *name)
{
	char b[64];

	if (k->seen & (1ull << slot))
		return ka_usage(k, "%s%s\"%s\" given twice", k->part ? k->part : "",
				k->part ? ": " : "", shown(name, b, sizeof(b)));
	k->seen |= 1ull << slot;
	return 0;
}

int ka_once(struct kargs *k, unsigned slot)
{
	return ka_once_as(k, slot, k->argv[k->i - 1]);
}

int ka_dev_only(struct kargs *k, const char *missing, const char **dev)
{
	ka_take(k, "dev");
	if (!ka_more(k))
		return ka_usage(k, "missing %s", missing);
	if (k->i + 1 < k->argc)
		return ka_usage(k, "unexpected \"%s\"", k->argv[k->i + 1]);
	*dev = k->argv[k->i++];
	return ka_ifname_ok(k, *dev);
}

int ka_ifname_ok(struct kargs *k, const char *name)
{
	struct nsc_error e = { 0 };

	return nsc_ifname_check(name, &e) < 0 ? ka_fail(k, &e) : 0;
}

int ka_ifname(struct kargs *k, const char **v)
{
	return ka_value(k, v) ? EXIT_USAGE : ka_ifname_ok(k, *v);
}

int ka_ifname_after(struct kargs *k, const char *kw, unsigned slot, const char **v)
{
	if (ka_value_after(k, kw, v) || ka_once_as(k, slot, kw))
		return EXIT_USAGE;
	return ka_ifname_ok(k, *v);
}

int ka_netns(struct kargs *k, const char **v)
{
	struct nsc_error e = { 0 };

	if (ka_value(k, v))
		return EXIT_USAGE;
	return nsc_name_check(*v, &e) < 0 ? ka_fail(k, &e) : 0;
}

int ka_mac(struct kargs *k, uint8_t mac[6])
{
	struct nsc_error e = { 0 };
	const char *v = NULL;

	if (ka_value(k, &v))
		return EXIT_USAGE;
	return nsc_parse_mac(v, mac, &e) < 0 ? ka_fail(k, &e) : 0;
}

int ka_u32(struct kargs *k, uint32_t min, uint32_t max, const char *what, uint32_t *out)
{
	struct nsc_error e = { 0 };
	const char *v = NULL;

	if (ka_value(k, &v))
		return EXIT_USAGE;
	return nsc_parse_u32(v, min, max, out, what, &e) < 0 ? ka_fail(k, &e) : 0;
}

int ka_prefix(struct kargs *k, int family, unsigned flags, struct nsc_prefix *p)
{
	struct nsc_error e = { 0 };
	const char *v = NULL;

	if (ka_value(k, &v))
		return EXIT_USAGE;
	return nsc_parse_prefix(v, family, flags, p, &e) < 0 ? ka_fail(k, &e) : 0;
}

int ka_to_prefix(struct kargs *k, int family, unsigned flags, struct nsc_prefix *p)
{
	struct nsc_error e = { 0 };
	const char *v = NULL;

	if (ka_value_after(k, "to", &v))
		return EXIT_USAGE;
	if (v[0] == '-')
		return ka_usage(k, "unknown argument \"%.32s\"", v);
	return nsc_parse_prefix(v, family, flags, p, &e) < 0 ? ka_fail(k, &e) : 0;
}

int ka_fail(struct kargs *k, struct nsc_error *e)
{
	if (!k->terse)
		nsc_err_prefix(e, "%s", k->verb);
	return cli_error(k->c, e);
}

int ka_usage(struct kargs *k, const char *fmt, ...)
{
	char msg[1024];         /* as long as a whole line (cli_usage cuts there) */
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return cli_usage(k->c, "%s: %s", k->verb, msg);
}

int ka_unknown(struct kargs *k)
{
	char b[64], m[96];

	return ka_usage(k, "unknown argument \"%s\"%s", shown(ka_peek(k), b, sizeof(b)),
			ka_meant(k, m, sizeof(m)));
}

int ka_unexpected_in(struct kargs *k, const char *part)
{
	char m[96];

	return ka_usage(k, "%s%sunexpected \"%s\"%s", part ? part : "", part ? ": " : "",
			ka_peek(k), ka_meant(k, m, sizeof(m)));
}

int ka_unexpected(struct kargs *k)
{
	return ka_unexpected_in(k, NULL);
}
