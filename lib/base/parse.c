// SPDX-License-Identifier: GPL-2.0-or-later
/* Pure parsers for names, numbers, addresses and MACs: no I/O, no state,
 * unit-tested and fuzzed. */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>

#include <netnsctl/parse.h>
#include "base/util.h"

int nsc_name_check(const char *name, struct nsc_error *e)
{
	char p[96];
	size_t len;

	if (!name || !*name)
		return nsc_usage(e, "invalid namespace name \"\": empty");
	len = strlen(name);
	if (len > NAME_MAX)
		return nsc_usage(e, "invalid namespace name \"%s\": longer than %d bytes",
				 nsc_printable(name, p, sizeof(p)), NAME_MAX);
	if (!strcmp(name, ".") || !strcmp(name, ".."))
		return nsc_usage(e, "invalid namespace name \"%s\"", name);
	if (name[0] == '-')
		return nsc_usage(e, "invalid namespace name \"%s\": starts with '-'",
				 nsc_printable(name, p, sizeof(p)));
	for (const char *s = name; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '/')
			return nsc_usage(e, "invalid namespace name \"%s\": contains '/'",
					 nsc_printable(name, p, sizeof(p)));
		if (c < 0x20 || c == 0x7f)
			return nsc_usage(e, "invalid namespace name \"%s\": contains a control character",
					 nsc_printable(name, p, sizeof(p)));
	}
	return 0;
}

int nsc_ifname_check(const char *name, struct nsc_error *e)
{
	const char *why = NULL;
	char p[96];

	if (!name || !*name)
		return nsc_usage(e, "invalid interface name \"\": empty");
	if (strlen(name) >= IFNAMSIZ)
		return nsc_usage(e, "invalid interface name \"%s\": longer than %d bytes",
				 nsc_printable(name, p, sizeof(p)), IFNAMSIZ - 1);
	/* the kernel's dev_valid_name() and dev_get_valid_name() */
	if (!strcmp(name, ".") || !strcmp(name, ".."))
		why = "not a name the kernel takes";
	else if (!strcmp(name, "all") || !strcmp(name, "default"))
		why = "reserved (net.*.conf.all and .default are sysctls)";
	for (const char *s = name; *s && !why; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '/')
			why = "contains '/'";
		else if (c == ':')
			why = "contains ':'";
		else if (c == '%')
			/* "e%d" would make e0, e1...: never the name asked for */
			why = "contains '%' (the kernel reads it as a name template)";
		else if (isspace(c) || c < 0x20 || c == 0x7f)
			why = "contains whitespace or a control character";
	}
	if (why)
		return nsc_usage(e, "invalid interface name \"%s\": %s",
				 nsc_printable(name, p, sizeof(p)), why);
	return 0;
}

/*
 * The digits of S in BASE (10 or 16), all of them, into *out: 0, or -EINVAL
 * (not all digits, or none), or -ERANGE. strtoull is not used: it takes a
 * sign, leading space, and in base 0 reads "010" as octal.
 */
static int digits(const char *s, unsigned base, uint64_t *out)
{
	uint64_t v = 0;
	int range = 0;

	if (!*s)
		return -EINVAL;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		unsigned d;

		if (isdigit(c))
			d = c - '0';
		else if (base == 16 && isxdigit(c))
			d = (unsigned)(tolower(c) - 'a' + 10);
		else
			return -EINVAL;
		if (v > (UINT64_MAX - d) / base)
			range = -ERANGE;
		else
			v = v * base + d;
	}
	*out = v;
	return range;
}

/*
 * S in [min, max] into *out. IDS: decimal digits only, leading zeros too
 * (as id(1) reads a uid); else decimal, or hex after "0x", and a leading
 * zero refused: ip and C read it as octal, id(1) as decimal, and guessing
 * either would be silent.
 */
static int parse_num(const char *s, bool ids, uint64_t min, uint64_t max, uint64_t *out,
		     const char *what, struct nsc_error *e)
{
	uint64_t v = 0;
	char p[64];
	int ret;

	if (!s || !*s)
		return nsc_usage(e, "missing %s", what);
	if (!ids && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		ret = digits(s + 2, 16, &v);
	else if (!ids && s[0] == '0' && isdigit((unsigned char)s[1]))
		return nsc_usage(e, "invalid %s \"%s\": a leading zero (numbers are decimal, or hexadecimal after 0x)",
				 what, nsc_printable(s, p, sizeof(p)));
	else
		ret = digits(s, 10, &v);
	if (ret == -EINVAL)
		return nsc_usage(e, "invalid %s \"%s\"", what, nsc_printable(s, p, sizeof(p)));
	if (ret < 0 || v < min || v > max)
		return nsc_usage(e, "%s \"%s\" out of range (%llu..%llu)", what,
				 nsc_printable(s, p, sizeof(p)),
				 (unsigned long long)min, (unsigned long long)max);
	*out = v;
	return 0;
}

int nsc_parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out,
		  const char *what, struct nsc_error *e)
{
	return parse_num(s, false, min, max, out, what, e);
}

int nsc_parse_dec_u32(const char *s, uint32_t min, uint32_t max, uint32_t *out,
		      const char *what, struct nsc_error *e)
{
	uint64_t v;
	int ret = parse_num(s, true, min, max, &v, what, e);

	if (!ret)
		*out = (uint32_t)v;
	return ret;
}

int nsc_parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *out,
		  const char *what, struct nsc_error *e)
{
	uint64_t v;
	int ret = nsc_parse_u64(s, min, max, &v, what, e);

	if (!ret)
		*out = (uint32_t)v;
	return ret;
}

int nsc_prefix_bits(const struct nsc_prefix *p)
{
	return p->family == AF_INET6 ? 128 : 32;
}

int nsc_parse_prefix(const char *s, int family, unsigned flags,
		     struct nsc_prefix *out, struct nsc_error *e)
{
	char buf[INET6_ADDRSTRLEN + 8], p[96];
	const char *what = (flags & NSC_PREFIX_ALLOW_LEN) ? "prefix" : "address";
	char *slash;
	int bits;

	if (!s || !*s)
		return nsc_usage(e, "missing %s", what);
	memset(out, 0, sizeof(*out));
	out->len = -1;
	if ((flags & NSC_PREFIX_DEFAULT) &&
	    (!strcmp(s, "default") || !strcmp(s, "any") || !strcmp(s, "all"))) {
		out->family = family == AF_INET6 ? AF_INET6 : AF_INET;
		if (family == AF_UNSPEC)
			out->family = AF_UNSPEC;   /* caller picks the family */
		out->len = 0;
		return 0;
	}
	if (strlen(s) >= sizeof(buf))
		return nsc_usage(e, "invalid %s \"%s\"", what, nsc_printable(s, p, sizeof(p)));
	strcpy(buf, s);
	slash = strchr(buf, '/');
	if (slash) {
		if (!(flags & NSC_PREFIX_ALLOW_LEN))
			return nsc_usage(e, "invalid address \"%s\": no prefix length allowed here",
					 nsc_printable(s, p, sizeof(p)));
		*slash++ = '\0';
	}
	if (inet_pton(AF_INET, buf, out->addr) == 1)
		out->family = AF_INET;
	else if (inet_pton(AF_INET6, buf, out->addr) == 1)
		out->family = AF_INET6;
	else
		return nsc_usage(e, "invalid %s \"%s\"", what, nsc_printable(s, p, sizeof(p)));
	if (family != AF_UNSPEC && family != out->family)
		return nsc_usage(e, "%s \"%s\" is not %s", what, nsc_printable(s, p, sizeof(p)),
				 family == AF_INET ? "IPv4" : "IPv6");
	bits = nsc_prefix_bits(out);
	if (slash) {
		uint32_t len;
		struct nsc_error tmp;

		if (nsc_parse_u32(slash, 0, (uint32_t)bits, &len, "prefix length", &tmp) < 0)
			return nsc_usage(e, "invalid prefix \"%s\": length must be 0..%d",
					 nsc_printable(s, p, sizeof(p)), bits);
		out->len = (int)len;
	}
	return 0;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int nsc_parse_mac(const char *s, uint8_t mac[6], struct nsc_error *e)
{
	char p[64];
	const char *c = s;

	if (!s || !*s)
		return nsc_usage(e, "missing MAC address");
	for (int i = 0; i < 6; i++) {
		int hi = hexval(c[0]), lo;

		if (hi < 0)
			goto bad;
		lo = hexval(c[1]);
		if (lo < 0) {           /* one-digit octet, as ip accepts: "2:0:0:0:0:1" */
			mac[i] = (uint8_t)hi;
			c += 1;
		} else {
			mac[i] = (uint8_t)(hi << 4 | lo);
			c += 2;
		}
		if (i < 5) {
			if (*c != ':')
				goto bad;
			c++;
		}
	}
	if (*c)
		goto bad;
	return 0;
bad:
	return nsc_usage(e, "invalid MAC address \"%s\"", nsc_printable(s, p, sizeof(p)));
}

const char *nsc_prefix_str(const struct nsc_prefix *p, int len, char *buf, size_t size)
{
	char a[INET6_ADDRSTRLEN];

	if (p->family != AF_INET && p->family != AF_INET6) {
		snprintf(buf, size, "?");
		return buf;
	}
	inet_ntop(p->family, p->addr, a, sizeof(a));
	if (len >= 0)
		snprintf(buf, size, "%s/%d", a, len);
	else
		snprintf(buf, size, "%s", a);
	return buf;
}
