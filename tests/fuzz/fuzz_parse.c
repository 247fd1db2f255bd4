// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target: the pure parsers of lib/parse.c. The first byte picks
 * the parser and its flags, the rest (NUL-terminated) is the input. Beyond
 * "no crash": what is accepted must obey the documented rules, and every
 * refusal must be a usage error whose message is one printable line.
 */
#include <arpa/inet.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>

#include <netnsctl/parse.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_refusal(const struct nsc_error *e)
{
	if (!e->usage || !e->msg[0])
		abort();
	for (const char *p = e->msg; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			abort();        /* hostile bytes echoed raw */
}

static void check_name(const char *s, bool iface)
{
	size_t len = strlen(s);

	if (!len || !strcmp(s, ".") || !strcmp(s, "..") || strchr(s, '/'))
		abort();
	if (iface ? len >= IFNAMSIZ : (len > NAME_MAX || s[0] == '-'))
		abort();
	if (iface && (!strcmp(s, "all") || !strcmp(s, "default")))
		abort();
	for (const char *p = s; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f ||
		    (iface && (*p == ' ' || *p == ':' || *p == '%')))
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nsc_error e = { 0 };
	struct nsc_prefix p;
	uint8_t mac[6], sel;
	uint64_t v, lo, hi;
	char *s;
	int ret = 0;

	if (size < 1)
		return 0;
	sel = data[0];
	s = malloc(size);
	if (!s)
		return 0;
	memcpy(s, data + 1, size - 1);
	s[size - 1] = '\0';

	switch (sel % 6) {
	case 0:
		ret = nsc_name_check(s, &e);
		if (!ret)
			check_name(s, false);
		break;
	case 1:
		ret = nsc_ifname_check(s, &e);
		if (!ret)
			check_name(s, true);
		break;
	case 2:
		/* bounds from the selector: a few interesting ranges */
		lo = (sel >> 3) & 1 ? 1 : 0;
		hi = (sel >> 4) & 1 ? UINT64_MAX : (sel >> 5) & 1 ? 4095 : 0xffffffff;
		ret = nsc_parse_u64(s, lo, hi, &v, "number", &e);
		if (!ret && (v < lo || v > hi))
			abort();
		/* never octal: a leading zero is refused */
		if (!ret && s[0] == '0' && s[1] >= '0' && s[1] <= '9')
			abort();
		break;
	case 3: {
		uint32_t v32;

		ret = nsc_parse_u32(s, 1, 0x3fffffff, &v32, "pid", &e);
		if (!ret && (v32 < 1 || v32 > 0x3fffffff))
			abort();
		break;
	}
	case 4: {
		static const int fams[] = { AF_UNSPEC, AF_INET, AF_INET6, AF_UNSPEC };
		int fam = fams[(sel >> 3) & 3];
		unsigned flags = (sel >> 5) & 3;

		ret = nsc_parse_prefix(s, fam, flags, &p, &e);
		if (ret)
			break;
		if (fam != AF_UNSPEC && p.family != fam && p.len != 0)
			abort();
		if (p.len < -1 || p.len > 128 || (p.family == AF_INET && p.len > 32))
			abort();
		if (!(flags & NSC_PREFIX_ALLOW_LEN) && p.len > 0)
			abort();
		if (p.family == AF_INET || p.family == AF_INET6) {
			/* the address must print back and parse to the same bytes */
			char text[INET6_ADDRSTRLEN];
			uint8_t again[16];

			if (!inet_ntop(p.family, p.addr, text, sizeof(text)) ||
			    inet_pton(p.family, text, again) != 1 ||
			    memcmp(again, p.addr, p.family == AF_INET ? 4 : 16))
				abort();
		}
		break;
	}
	case 5:
		ret = nsc_parse_mac(s, mac, &e);
		if (!ret && strlen(s) > 17)
			abort();
		break;
	}
	if (ret)
		check_refusal(&e);
	free(s);
	return 0;
}
