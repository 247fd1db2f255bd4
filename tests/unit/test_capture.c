// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Capture without a kernel: the pcap and pcapng blocks the writer makes
 * (byte by byte, lengths and padding), and which interfaces a lab capture
 * selects.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <netnsctl/lab.h>
#include "base/pcapfile.h"
#include "tap.h"

static unsigned char out[4096];
static size_t out_len;

/* Write through the writer into a pipe and read it all back into out. */
static int capture_bytes(bool ng, const struct nsc_pcapfile_if *ifs, size_t n)
{
	static const unsigned char pkt[5] = { 1, 2, 3, 4, 5 };
	struct nsc_pcapfile *w;
	int fds[2];
	ssize_t r;

	if (pipe(fds) < 0 || nsc_pcapfile_new(fds[1], ng, &w) < 0)
		return -1;
	if (nsc_pcapfile_header(w, "netnsctl", ifs, n) < 0 ||
	    nsc_pcapfile_packet(w, (uint32_t)(n - 1), 1700000000, 123456, 5, 60, pkt) < 0 ||
	    nsc_pcapfile_flush(w) < 0)
		return -1;
	nsc_pcapfile_free(w);
	close(fds[1]);
	out_len = 0;
	while ((r = read(fds[0], out + out_len, sizeof(out) - out_len)) > 0)
		out_len += (size_t)r;
	close(fds[0]);
	return 0;
}

static uint32_t u32(size_t off)
{
	uint32_t v;

	memcpy(&v, out + off, 4);
	return v;
}

static uint16_t u16(size_t off)
{
	uint16_t v;

	memcpy(&v, out + off, 2);
	return v;
}

static void test_pcap(void)
{
	struct nsc_pcapfile_if one = { .linktype = 1, .snaplen = 262144 };

	ok(capture_bytes(false, &one, 1) == 0, "pcap: written");
	ok(out_len == 24 + 16 + 5, "pcap: header, record header, 5 bytes (%zu)", out_len);
	ok(u32(0) == 0xa1b2c3d4 && u16(4) == 2 && u16(6) == 4, "pcap: magic, version 2.4");
	ok(u32(16) == 262144 && u32(20) == 1, "pcap: snaplen, linktype");
	ok(u32(24) == 1700000000 && u32(28) == 123456 && u32(32) == 5 && u32(36) == 60,
	   "pcap: record: seconds, microseconds, caplen, len");
	ok(out[40] == 1 && out[44] == 5, "pcap: the packet's bytes");
}

static void test_pcapng(void)
{
	struct nsc_pcapfile_if two[2] = {
		{ .linktype = 1, .snaplen = 262144, .name = "r1:eth1" },
		{ .linktype = 1, .snaplen = 96, .name = "lan:lan-1", .descr = "h1:eth0" },
	};
	size_t o = 0, shb, idb1, idb2, epb;
	uint64_t ts;

	ok(capture_bytes(true, two, 2) == 0, "pcapng: written");
	/* SHB: 28 bytes + shb_userappl "netnsctl" (4 + 8) + end (4) */
	shb = u32(4);
	ok(u32(0) == 0x0a0d0d0a && shb == 44 && u32(shb - 4) == shb,
	   "pcapng: SHB type and length at both ends (%zu)", shb);
	ok(u32(8) == 0x1a2b3c4d && u16(12) == 1 && u16(14) == 0, "pcapng: byte-order magic, 1.0");
	ok(u16(24) == 4 && u16(26) == 8 && !memcmp(out + 28, "netnsctl", 8),
	   "pcapng: shb_userappl");
	o = shb;
	/* IDB 1: 20 + if_name "r1:eth1" (4 + 8 padded) + end (4) = 36 */
	idb1 = u32(o + 4);
	ok(u32(o) == 1 && idb1 == 36 && u32(o + idb1 - 4) == idb1, "pcapng: IDB 1 (%zu)", idb1);
	ok(u16(o + 8) == 1 && u32(o + 12) == 262144, "pcapng: IDB 1 linktype, snaplen");
	ok(u16(o + 16) == 2 && u16(o + 18) == 7 && !memcmp(out + o + 20, "r1:eth1", 7) &&
	   out[o + 27] == 0, "pcapng: if_name r1:eth1, padded with a zero");
	o += idb1;
	/* IDB 2: 20 + if_name "lan:lan-1" (4 + 12) + if_description "h1:eth0" (4 + 8) + 4 */
	idb2 = u32(o + 4);
	ok(u32(o) == 1 && idb2 == 52 && u32(o + idb2 - 4) == idb2, "pcapng: IDB 2 (%zu)", idb2);
	ok(u16(o + 32) == 3 && u16(o + 34) == 7 && !memcmp(out + o + 36, "h1:eth0", 7),
	   "pcapng: if_description");
	o += idb2;
	/* EPB: 28 + 5 bytes padded to 8 + 4 */
	epb = u32(o + 4);
	ok(u32(o) == 6 && epb == 40 && u32(o + epb - 4) == epb, "pcapng: EPB (%zu)", epb);
	ts = (uint64_t)u32(o + 12) << 32 | u32(o + 16);
	ok(u32(o + 8) == 1 && ts == 1700000000ull * 1000000 + 123456,
	   "pcapng: EPB interface 1, microseconds");
	ok(u32(o + 20) == 5 && u32(o + 24) == 60 && out[o + 28] == 1 && out[o + 32] == 5 &&
	   out[o + 33] == 0, "pcapng: caplen, len, bytes, padding");
	ok(o + epb == out_len, "pcapng: nothing after the last block");
}

static const char lab_text[] =
	"version: 1\n"
	"name: demo\n"
	"nodes: {r1: {}, r2: {}, h1: {}}\n"
	"bridges: {lan: {}}\n"
	"links:\n"
	"  - a: {node: r1, ifname: eth1}\n"
	"    b: {node: r2, ifname: eth1}\n"
	"  - a: {bridge: lan}\n"
	"    b: {node: r1, ifname: eth2}\n"
	"  - a: {node: h1, ifname: eth0}\n"
	"    b: {bridge: lan}\n";

static void test_lab_select(void)
{
	const char *links[] = { "2", "r2:eth1", "1" }, *bridges[] = { "lan" }, *bad[] = { "4" };
	struct nsc_lab_capture_sel sel = { .node = "h1", .ifname = "lo", .links = links,
					   .n_links = 3, .bridges = bridges, .n_bridges = 1 };
	struct nsc_capture_if *ifs;
	struct nsc_error e = { 0 };
	struct nsc_lab *lab;
	size_t n;

	if (!ok(nsc_lab_read_mem(lab_text, sizeof(lab_text) - 1, "t.yaml", &lab, &e) == 0,
		"lab read (%s)", e.msg))
		return;
	ok(nsc_lab_capture_ifs(lab, &sel, &ifs, &n, &e) == 0, "select: %s", e.msg);
	/* h1 lo; link 2 on its node end r1:eth2; r2:eth1; link 1: r1:eth1; the
	 * bridge's two ports (lan-1 to r1:eth2, lan-2 to h1:eth0) */
	ok(n == 6, "six interfaces (%zu)", n);
	ok(n > 0 && !strcmp(ifs[0].netns, "demo.h1") && !strcmp(ifs[0].label, "h1:lo"),
	   "NODE IF: h1:lo in demo.h1");
	ok(n > 1 && !strcmp(ifs[1].label, "r1:eth2"), "link 2: its node end (%s)",
	   n > 1 ? ifs[1].label : "");
	ok(n > 2 && !strcmp(ifs[2].label, "r2:eth1") && !strcmp(ifs[2].netns, "demo.r2"),
	   "link end r2:eth1");
	ok(n > 3 && !strcmp(ifs[3].label, "r1:eth1"), "link 1: its a end");
	ok(n > 5 && !strcmp(ifs[4].netns, "demo._switch") && !strcmp(ifs[4].label, "lan:lan-1") &&
	   !strcmp(ifs[4].descr, "r1:eth2") && !strcmp(ifs[5].label, "lan:lan-2") &&
	   !strcmp(ifs[5].descr, "h1:eth0"), "bridge ports in LAB._switch, described by their peers");
	nsc_lab_capture_free(ifs, n);

	sel = (struct nsc_lab_capture_sel){ .links = links + 2, .n_links = 1, .bridges = NULL };
	const char *twice[] = { "1", "r1:eth1" };
	sel.links = twice;
	sel.n_links = 2;
	ok(nsc_lab_capture_ifs(lab, &sel, &ifs, &n, &e) == 0 && n == 1,
	   "one interface named twice is captured once");
	nsc_lab_capture_free(ifs, n);

	sel = (struct nsc_lab_capture_sel){ .links = bad, .n_links = 1 };
	ok(nsc_lab_capture_ifs(lab, &sel, &ifs, &n, &e) < 0 && e.usage &&
	   !strcmp(e.msg, "lab \"demo\" has no link \"4\" (links: 1 to 3)"), "no link 4: %s", e.msg);
	sel = (struct nsc_lab_capture_sel){ .node = "r9", .ifname = "eth0" };
	ok(nsc_lab_capture_ifs(lab, &sel, &ifs, &n, &e) < 0 && e.usage &&
	   !strcmp(e.msg, "lab \"demo\" has no node \"r9\""), "no node: %s", e.msg);
	sel = (struct nsc_lab_capture_sel){ .bridges = (const char *[]){ "wan" }, .n_bridges = 1 };
	ok(nsc_lab_capture_ifs(lab, &sel, &ifs, &n, &e) < 0 && e.usage,
	   "no bridge: %s", e.msg);
	sel = (struct nsc_lab_capture_sel){ .node = "r1", .ifname = "a/b" };
	ok(nsc_lab_capture_ifs(lab, &sel, &ifs, &n, &e) < 0 && e.usage,
	   "a bad interface name: %s", e.msg);
	sel = (struct nsc_lab_capture_sel){ 0 };
	ok(nsc_lab_capture_ifs(lab, &sel, &ifs, &n, &e) < 0 && e.usage, "nothing selected");
	nsc_lab_free(lab);
}

int main(void)
{
	test_pcap();
	test_pcapng();
	test_lab_select();
	return tap_done();
}
