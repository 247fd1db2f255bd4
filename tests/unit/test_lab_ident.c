// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests for the MACs a lab derives for its link ends and bridges
 * (nsc_lab_mac()): the documented hash, unicast and locally administered,
 * names kept apart, and reading a lab fills them where the file gives none. */
#include <stdio.h>
#include <string.h>

#include <netnsctl/lab.h>
#include "tap.h"

static const char *str(const uint8_t m[6], char buf[18])
{
	snprintf(buf, 18, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
	return buf;
}

/* FNV-1a 64 of "LAB\0NODE\0IF" written out here, against the library's */
static void reference(const char *lab, const char *node, const char *ifname, uint8_t mac[6])
{
	uint64_t h = 0xcbf29ce484222325ull;
	const char *parts[3] = { lab, node, ifname };

	for (int k = 0; k < 3; k++) {
		size_t len = strlen(parts[k]) + (k < 2);      /* the NUL separators */

		for (size_t i = 0; i < len; i++) {
			h ^= (unsigned char)parts[k][i];
			h *= 0x100000001b3ull;
		}
	}
	for (int i = 0; i < 6; i++)
		mac[i] = (uint8_t)(h >> (8 * i));
	mac[0] = (uint8_t)((mac[0] & 0xfc) | 2);
}

static void test_hash(void)
{
	static const char *const names[][3] = {
		{ "t1", "a", "eth0" }, { "demo", "r1", "eth1" }, { "x", "_switch", "lan" },
		{ "lab-2", "node_9", "e" },
	};
	uint8_t m[6], r[6], o[6];
	char a[18], b[18];

	/* a value computed apart (bash, in lab_ident.bats) */
	nsc_lab_mac("t1", "a", "eth0", m);
	ok(!strcmp(str(m, a), "02:dc:bd:44:c6:a4"), "t1 a eth0 is 02:dc:bd:44:c6:a4 (%s)", a);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		nsc_lab_mac(names[i][0], names[i][1], names[i][2], m);
		reference(names[i][0], names[i][1], names[i][2], r);
		ok(!memcmp(m, r, 6), "%s %s %s: %s as documented (%s)", names[i][0], names[i][1],
		   names[i][2], str(m, a), str(r, b));
		ok((m[0] & 1) == 0 && (m[0] & 2) == 2, "%s: unicast, locally administered", a);
		nsc_lab_mac(names[i][0], names[i][1], names[i][2], o);
		ok(!memcmp(m, o, 6), "%s: the same each time", a);
	}
	/* the separators keep names apart: "ab" "c" is not "a" "bc" */
	nsc_lab_mac("l", "ab", "c", m);
	nsc_lab_mac("l", "a", "bc", o);
	ok(memcmp(m, o, 6) != 0, "l ab c (%s) differs from l a bc (%s)", str(m, a), str(o, b));
	nsc_lab_mac("l1", "a", "eth0", m);
	nsc_lab_mac("l2", "a", "eth0", o);
	ok(memcmp(m, o, 6) != 0, "two labs, one node and interface name: two MACs");
}

static void test_read(void)
{
	static const char text[] =
		"version: 1\nname: t1\nnodes:\n  a: {}\n  b: {}\nbridges:\n  lan: {}\nlinks:\n"
		"  - a: {node: a, ifname: eth0}\n    b: {bridge: lan}\n"
		"  - a: {node: a, ifname: eth1, mac: \"02:00:00:00:00:aa\"}\n"
		"    b: {node: b, ifname: eth1}\n";
	struct nsc_error e = { 0 };
	struct nsc_lab *lab = NULL;
	uint8_t want[6];
	char a[18];

	if (!ok(nsc_lab_read_mem(text, strlen(text), "t.yaml", &lab, &e) == 0, "read: %s",
		e.msg))
		return;
	nsc_lab_mac("t1", "a", "eth0", want);
	ok(lab->links[0].a.has_mac && lab->links[0].a.mac_derived &&
	   !memcmp(lab->links[0].a.mac, want, 6), "a eth0: derived %s", str(lab->links[0].a.mac, a));
	nsc_lab_mac("t1", NSC_LAB_SWITCH, "lan-1", want);
	ok(lab->links[0].b.mac_derived && !memcmp(lab->links[0].b.mac, want, 6),
	   "the bridge port lan-1: derived from _switch");
	ok(lab->links[1].a.has_mac && !lab->links[1].a.mac_derived &&
	   !strcmp(str(lab->links[1].a.mac, a), "02:00:00:00:00:aa"), "a eth1: the file's mac");
	nsc_lab_mac("t1", "b", "eth1", want);
	ok(lab->links[1].b.mac_derived && !memcmp(lab->links[1].b.mac, want, 6),
	   "b eth1: derived, beside a peer with the file's");
	nsc_lab_mac("t1", NSC_LAB_SWITCH, "lan", want);
	ok(!memcmp(lab->bridges[0].mac, want, 6), "bridge lan: derived");
	nsc_lab_free(lab);
}

int main(void)
{
	test_hash();
	test_read();
	return tap_done();
}
