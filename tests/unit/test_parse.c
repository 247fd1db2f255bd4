// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests for the pure parsers: names, numbers, prefixes, MACs. */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include <netnsctl/parse.h>
#include "tap.h"

static void names(void)
{
	static const char *good[] = { "a", "ns1", "lab.r1", "a-b_c", "x y", "..a", "ü", NULL };
	static const char *bad[] = { "", ".", "..", "a/b", "/", "-x", "--all", "a\nb", "a\tb",
				     "\x7f", NULL };
	struct nsc_error e;
	char longname[300];

	for (int i = 0; good[i]; i++)
		ok(nsc_name_check(good[i], &e) == 0, "name \"%s\" accepted", good[i]);
	for (int i = 0; bad[i]; i++)
		ok(nsc_name_check(bad[i], &e) == -EINVAL && e.usage && !strchr(e.msg, '\n'),
		   "name %d refused: %s", i, e.msg);
	memset(longname, 'a', 255);
	longname[255] = '\0';
	ok(nsc_name_check(longname, &e) == 0, "255-byte name accepted");
	longname[255] = 'a';
	longname[256] = '\0';
	ok(nsc_name_check(longname, &e) < 0, "256-byte name refused");
	ok(nsc_name_check(NULL, &e) < 0, "NULL name refused");
}

static void ifnames(void)
{
	static const char *good[] = { "eth0", "veth-a", "br.0", "a23456789012345", NULL };
	static const char *bad[] = { "", ".", "..", "a/b", "a b", "a:b", "a234567890123456",
				     "tab\t", "e%d", "%", "all", "default", "nl\n", NULL };
	struct nsc_error e;

	for (int i = 0; good[i]; i++)
		ok(nsc_ifname_check(good[i], &e) == 0, "ifname \"%s\" accepted", good[i]);
	for (int i = 0; bad[i]; i++)
		ok(nsc_ifname_check(bad[i], &e) < 0 && e.usage, "ifname %d refused: %s", i, e.msg);
	ok(nsc_ifname_check("e%d", &e) < 0 && strstr(e.msg, "template"), "%% says why: %s", e.msg);
	ok(nsc_ifname_check("all", &e) < 0 && strstr(e.msg, "reserved"), "all says why: %s", e.msg);
	ok(nsc_ifname_check("alll", &e) == 0 && nsc_ifname_check("default0", &e) == 0,
	   "only the exact names all and default are reserved");
}

static void numbers(void)
{
	struct nsc_error e;
	uint32_t v;
	uint64_t w;

	ok(nsc_parse_u32("1500", 68, 65535, &v, "mtu", &e) == 0 && v == 1500, "mtu 1500");
	ok(nsc_parse_u32("0x10", 0, 100, &v, "n", &e) == 0 && v == 16, "hex 0x10");
	ok(nsc_parse_u32("67", 68, 65535, &v, "mtu", &e) < 0 && strstr(e.msg, "out of range"),
	   "below range: %s", e.msg);
	ok(nsc_parse_u32("4294967296", 0, UINT32_MAX, &v, "n", &e) < 0, "over u32");
	ok(nsc_parse_u32("-1", 0, UINT32_MAX, &v, "n", &e) < 0, "negative refused");
	ok(nsc_parse_u32(" 1", 0, 10, &v, "n", &e) < 0, "leading space refused");
	ok(nsc_parse_u32("1x", 0, 10, &v, "n", &e) < 0, "trailing junk refused");
	ok(nsc_parse_u32("", 0, 10, &v, "n", &e) < 0 && strstr(e.msg, "missing"), "empty refused");
	ok(nsc_parse_u64("18446744073709551615", 0, UINT64_MAX, &w, "n", &e) == 0 &&
	   w == UINT64_MAX, "u64 max");
	ok(nsc_parse_u64("18446744073709551616", 0, UINT64_MAX, &w, "n", &e) < 0, "u64 overflow");
	ok(nsc_parse_u64("0xffffffffffffffff", 0, UINT64_MAX, &w, "n", &e) == 0 &&
	   w == UINT64_MAX, "u64 max in hex");
	ok(nsc_parse_u64("0x10000000000000000", 0, UINT64_MAX, &w, "n", &e) < 0 &&
	   strstr(e.msg, "out of range"), "u64 hex overflow: %s", e.msg);
	/* never octal: C's base 0 made 01500 an mtu of 832 */
	ok(nsc_parse_u32("01500", 0, 65535, &v, "mtu", &e) < 0 && e.usage &&
	   strstr(e.msg, "leading zero"), "leading zero refused: %s", e.msg);
	ok(nsc_parse_u32("010", 0, 100, &v, "n", &e) < 0, "010 refused");
	ok(nsc_parse_u32("08", 0, 100, &v, "n", &e) < 0, "08 refused");
	ok(nsc_parse_u32("0", 0, 100, &v, "n", &e) == 0 && v == 0, "0 is zero");
	ok(nsc_parse_u32("0X1f", 0, 100, &v, "n", &e) == 0 && v == 31, "0X1f");
	ok(nsc_parse_u32("0x", 0, 100, &v, "n", &e) < 0, "bare 0x refused");
	ok(nsc_parse_u32("0x-1", 0, 100, &v, "n", &e) < 0, "0x-1 refused");
	ok(nsc_parse_u32("0x 1", 0, 100, &v, "n", &e) < 0, "0x with space refused");
	ok(nsc_parse_u32("+1", 0, 100, &v, "n", &e) < 0, "sign refused");
	ok(nsc_parse_u32("1e", 0, 100, &v, "n", &e) < 0, "hex digits refused in decimal");
	ok(nsc_parse_dec_u32("010", 0, 100, &v, "uid", &e) == 0 && v == 10,
	   "ids: 010 is decimal 10");
	ok(nsc_parse_dec_u32("0x22", 0, 100, &v, "uid", &e) < 0, "ids: no hex");
	ok(nsc_parse_dec_u32("4294967295", 0, 0xfffffffe, &v, "uid", &e) < 0, "ids: range");
	ok(nsc_parse_dec_u32("-1", 0, 100, &v, "uid", &e) < 0, "ids: no sign");
	ok(nsc_parse_dec_u32("", 0, 100, &v, "uid", &e) < 0, "ids: empty refused");
}

static void prefixes(void)
{
	struct nsc_prefix p;
	struct nsc_error e;

	ok(nsc_parse_prefix("192.0.2.1/24", AF_UNSPEC, NSC_PREFIX_ALLOW_LEN, &p, &e) == 0 &&
	   p.family == AF_INET && p.len == 24 && p.addr[0] == 192 && p.addr[3] == 1,
	   "IPv4 prefix");
	ok(nsc_parse_prefix("2001:db8::1/64", AF_UNSPEC, NSC_PREFIX_ALLOW_LEN, &p, &e) == 0 &&
	   p.family == AF_INET6 && p.len == 64, "IPv6 prefix");
	ok(nsc_parse_prefix("192.0.2.1", AF_UNSPEC, NSC_PREFIX_ALLOW_LEN, &p, &e) == 0 &&
	   p.len == -1, "no length given");
	ok(nsc_parse_prefix("192.0.2.1/33", AF_UNSPEC, NSC_PREFIX_ALLOW_LEN, &p, &e) < 0 &&
	   e.usage, "/33 refused: %s", e.msg);
	ok(nsc_parse_prefix("2001:db8::/129", AF_UNSPEC, NSC_PREFIX_ALLOW_LEN, &p, &e) < 0,
	   "/129 refused");
	ok(nsc_parse_prefix("192.0.2.1/", AF_UNSPEC, NSC_PREFIX_ALLOW_LEN, &p, &e) < 0,
	   "empty length refused");
	ok(nsc_parse_prefix("192.0.2.1/-1", AF_UNSPEC, NSC_PREFIX_ALLOW_LEN, &p, &e) < 0,
	   "negative length refused");
	ok(nsc_parse_prefix("192.0.2.256", AF_UNSPEC, NSC_PREFIX_ALLOW_LEN, &p, &e) < 0,
	   "octet 256 refused");
	ok(nsc_parse_prefix("192.0.2.1/24", AF_UNSPEC, 0, &p, &e) < 0,
	   "length refused where only an address fits");
	ok(nsc_parse_prefix("192.0.2.1", AF_INET6, 0, &p, &e) < 0, "family mismatch refused");
	ok(nsc_parse_prefix("default", AF_INET6, NSC_PREFIX_DEFAULT, &p, &e) == 0 &&
	   p.len == 0 && p.family == AF_INET6, "default");
	ok(nsc_parse_prefix("default", AF_INET, 0, &p, &e) < 0, "default only where allowed");
	ok(nsc_parse_prefix("", AF_UNSPEC, 0, &p, &e) < 0, "empty refused");
	ok(nsc_parse_prefix("192.0.2.1/024", AF_UNSPEC, NSC_PREFIX_ALLOW_LEN, &p, &e) < 0,
	   "octal-looking length refused");
	ok(nsc_parse_prefix("0.0.0.0/0", AF_UNSPEC, NSC_PREFIX_ALLOW_LEN, &p, &e) == 0 &&
	   p.len == 0 && p.family == AF_INET, "0.0.0.0/0");
	ok(nsc_parse_prefix("::/0", AF_UNSPEC, NSC_PREFIX_ALLOW_LEN, &p, &e) == 0 &&
	   p.len == 0 && p.family == AF_INET6, "::/0");
}

static void macs(void)
{
	uint8_t m[6];
	struct nsc_error e;

	ok(nsc_parse_mac("02:00:00:00:00:0a", m, &e) == 0 && m[0] == 2 && m[5] == 10, "MAC");
	ok(nsc_parse_mac("2:0:0:0:0:A", m, &e) == 0 && m[5] == 10, "short octets");
	ok(nsc_parse_mac("02:00:00:00:00", m, &e) < 0, "five octets refused");
	ok(nsc_parse_mac("02:00:00:00:00:00:00", m, &e) < 0, "seven octets refused");
	ok(nsc_parse_mac("02-00-00-00-00-00", m, &e) < 0, "dashes refused");
	ok(nsc_parse_mac("0g:00:00:00:00:00", m, &e) < 0, "non-hex refused");
	ok(nsc_parse_mac("020:00:00:00:00:00", m, &e) < 0, "three digits refused");
}

/* the word suggested for TYPO among NAMES, or "" */
static const char *suggested(const char *typo, const char *names)
{
	static char buf[64];
	struct nsc_suggest s;

	nsc_suggest_init(&s, typo);
	nsc_suggest_words(&s, names);
	return nsc_suggest_best(&s, buf, sizeof(buf)) ? buf : "";
}

static void suggestions(void)
{
	static const char cmds[] = "add attach delete del list ls identify pids exec monitor "
				   "lab run link veth addr address route neigh set list-id help";
	static const struct { const char *typo, *names, *want; } t[] = {
		{ "ad", cmds, "add" },                  /* a letter dropped */
		{ "addd", cmds, "add" },                /* one added */
		{ "lnik", cmds, "link" },               /* two swapped */
		{ "rotue", cmds, "route" },
		{ "naigh", cmds, "neigh" },             /* one changed */
		{ "mon", cmds, "monitor" },             /* a start */
		{ "identfy", cmds, "identify" },
		{ "brdge", "veth bridge vxlan macvlan macvtap", "bridge" },
		{ "brigde", "veth bridge vxlan macvlan macvtap", "bridge" },
		{ "vxaln", "veth bridge vxlan macvlan macvtap", "vxlan" },
		{ "xy", cmds, "" },                     /* two edits in a short word */
		{ "bogus", cmds, "" },
		{ "", cmds, "" },
		{ "r", "run", "" },
		{ "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab", "" },
		{ "shwo", "show list ls lst", "show" },
		{ "ls", "show list ls lst", "ls" },    /* a known word is its own best */
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		ok(!strcmp(suggested(t[i].typo, t[i].names), t[i].want),
		   "\"%.10s\" suggests \"%s\" (got \"%s\")", t[i].typo, t[i].want,
		   suggested(t[i].typo, t[i].names));
}

int main(void)
{
	names();
	ifnames();
	numbers();
	prefixes();
	macs();
	suggestions();
	return tap_done();
}
