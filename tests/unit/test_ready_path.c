// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests for nsc_lab_ready_path(): where the lab's own model breaks a
 * ready check's way (no route, a gateway or address nobody on the link
 * has, a router that does not forward, a link end that drops all, the way
 * back), and the ways it must not call broken (bridges, longest prefix,
 * IPv6, a node that forwards by its exec commands). Files only. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <netnsctl/lab.h>
#include "tap.h"

/*
 * left - mid - right in a row, and a bridge "sw" with mid, far1 and far2.
 * MID: mid's extra lines (routes...); RIGHT: right's; READY: the checks.
 */
static struct nsc_lab *row(const char *mid, const char *right, const char *ready)
{
	struct nsc_error e = { 0 };
	struct nsc_lab *lab = NULL;
	char *s;

	if (asprintf(&s,
		     "version: 1\nname: p\n"
		     "defaults: {sysctls: {net.ipv4.ip_forward: 1, net.ipv6.conf.all.forwarding: 1}}\n"
		     "nodes:\n"
		     "  left:\n    routes: [{to: default, via: 192.0.2.2}, {to: default, via: \"2001:db8::2\"}]\n"
		     "  mid:\n%s\n"
		     "  right:\n    loopback: [198.51.100.1]\n%s\n"
		     "  far1:\n    routes: [{to: default, via: 203.0.113.1}]\n"
		     "  far2: {}\n"
		     "bridges: {sw: {}}\n"
		     "links:\n"
		     "  - a: {node: left, ifname: eth0, addresses: [192.0.2.1/30, \"2001:db8::1/64\"]}\n"
		     "    b: {node: mid, ifname: eth0, addresses: [192.0.2.2/30, \"2001:db8::2/64\"]}\n"
		     "  - a: {node: mid, ifname: eth1, addresses: [192.0.2.5/30]}\n"
		     "    b: {node: right, ifname: eth0, addresses: [192.0.2.6/30]}\n"
		     "  - a: {node: mid, ifname: eth2, addresses: [203.0.113.1/24]}\n"
		     "    b: {bridge: sw}\n"
		     "  - a: {node: far1, ifname: eth0, addresses: [203.0.113.11/24]}\n"
		     "    b: {bridge: sw}\n"
		     "  - a: {node: far2, ifname: eth0, addresses: [203.0.113.12/24]}\n"
		     "    b: {bridge: sw}\n"
		     "ready:\n%s\n", mid, right, ready) < 0)
		return NULL;
	if (nsc_lab_read_mem(s, strlen(s), "t.yaml", &lab, &e) < 0) {
		printf("# %s\n", e.msg);
		lab = NULL;
	}
	free(s);
	return lab;
}

#define MID_OK "    routes: [{to: 198.51.100.0/24, via: 192.0.2.6}]"
#define RIGHT_OK "    routes: [{to: default, via: 192.0.2.5}]"

/* The first check's verdict: "" when the file shows a way. */
static void want(const char *name, const char *mid, const char *right, const char *ready,
		 const char *expect)
{
	struct nsc_lab *lab = row(mid, right, ready);
	char buf[512] = "?";
	int ret = lab ? nsc_lab_ready_path(lab, &lab->ready[0], buf, sizeof(buf)) : -1;

	if (!ok(lab && ret == (expect[0] != '\0') && !strcmp(buf, expect), "%s", name))
		printf("# ret %d, got \"%s\", want \"%s\"\n", ret, buf, expect);
	nsc_lab_free(lab);
}

int main(void)
{
	want("the way there and back", MID_OK, RIGHT_OK,
	     "  - {from: left, ping: 198.51.100.1}", "");
	want("a tcp check walks the same way", MID_OK, RIGHT_OK,
	     "  - {from: left, tcp: \"198.51.100.1:80\"}", "");
	want("a router with no route", "    routes: []", RIGHT_OK,
	     "  - {from: left, ping: 198.51.100.1}",
	     "node \"mid\" has no route to 198.51.100.1");
	want("the first node with no route", MID_OK, RIGHT_OK,
	     "  - {from: far2, ping: 198.51.100.1}",
	     "node \"far2\" has no route to 198.51.100.1");
	want("a connected address nobody has", MID_OK, RIGHT_OK,
	     "  - {from: left, ping: 192.0.2.7}",
	     "no node on the link of node \"mid\" eth1 has 192.0.2.7");
	want("a gateway nobody has", "    routes: [{to: 198.51.100.0/24, via: 192.0.2.7}]",
	     RIGHT_OK, "  - {from: left, ping: 198.51.100.1}",
	     "no node on the link of node \"mid\" eth1 has gateway 192.0.2.7");
	want("an address nobody has, across a bridge",
	     "    routes: [{to: 198.51.100.0/24, via: 192.0.2.6}]\n    sysctls: {net.ipv4.ip_forward: 1}",
	     RIGHT_OK, "  - {from: right, ping: 203.0.113.99}",
	     "no node on the link of node \"mid\" eth2 has 203.0.113.99");
	want("the way back", MID_OK, "",
	     "  - {from: left, ping: 198.51.100.1}",
	     "node \"right\" has no route to 192.0.2.1 (the way back)");
	want("a router that does not forward",
	     MID_OK "\n    sysctls: {net.ipv4.ip_forward: 0}", RIGHT_OK,
	     "  - {from: left, ping: 198.51.100.1}",
	     "node \"mid\" does not forward IPv4 (sysctl net.ipv4.ip_forward: 1)");
	want("exec commands may make a router forward",
	     MID_OK "\n    sysctls: {net.ipv4.ip_forward: 0}\n    exec: [\"sysctl -w net.ipv4.ip_forward=1\"]",
	     RIGHT_OK, "  - {from: left, ping: 198.51.100.1}", "");
	want("across a bridge, by longest prefix", MID_OK, RIGHT_OK,
	     "  - {from: far1, ping: 198.51.100.1}", "");
	want("a bridge's other port", MID_OK, RIGHT_OK,
	     "  - {from: far1, ping: 203.0.113.12}", "");
	want("a longer prefix wins over a shorter one",
	     "    routes: [{to: 198.51.100.0/24, via: 192.0.2.6}, {to: 198.51.100.1/32, via: 203.0.113.12}]", RIGHT_OK,
	     "  - {from: left, ping: 198.51.100.1}",
	     "node \"far2\" has no route to 198.51.100.1");
	want("IPv6 on a connected subnet", MID_OK, RIGHT_OK,
	     "  - {from: left, ping: \"2001:db8::2\"}", "");
	want("IPv6 address nobody has", MID_OK, RIGHT_OK,
	     "  - {from: left, tcp: \"[2001:db8::9]:80\"}",
	     "no node on the link of node \"left\" eth0 has 2001:db8::9");
	want("IPv6 beyond mid: no route", MID_OK, RIGHT_OK,
	     "  - {from: left, ping: \"2001:db8:1::1\"}",
	     "node \"mid\" has no route to 2001:db8:1::1");
	want("a node's own address", MID_OK, RIGHT_OK,
	     "  - {from: right, ping: 198.51.100.1}", "");
	want("cmd checks have no way", "    routes: []", RIGHT_OK,
	     "  - {from: left, cmd: \"true\"}", "");
	want("a loop", "    routes: [{to: 198.51.100.0/24, via: 192.0.2.1}]", RIGHT_OK,
	     "  - {from: left, ping: 198.51.100.1}",
	     "the way to 198.51.100.1 loops (through node \"left\")");
	{
		/* mid's eth1 dynamic (a routing daemon): its missing route is no verdict */
		struct nsc_lab *lab = row("    routes: []", RIGHT_OK,
					  "  - {from: left, ping: 198.51.100.1}");
		char buf[256] = "";
		int ret;

		if (lab)
			lab->links[1].a.dynamic = true;
		ret = lab ? nsc_lab_ready_path(lab, &lab->ready[0], buf, sizeof(buf)) : -1;
		ok(ret == 0, "a dynamic end's node: no verdict on its routes (%d %s)", ret, buf);
		/* 192.0.2.7, which nobody has, on a link with a dynamic end: DHCP may give it */
		if (lab) {
			memcpy(lab->ready[0].ping.addr, (unsigned char[]){ 192, 0, 2, 7 }, 4);
			lab->links[1].a.dynamic = false;
			lab->links[1].b.dynamic = true;
			ret = nsc_lab_ready_path(lab, &lab->ready[0], buf, sizeof(buf));
		}
		ok(ret == 0, "an address on a link with a dynamic end: no verdict (%d %s)", ret, buf);
		nsc_lab_free(lab);
	}
	{
		/* impair loss 100% on left's end */
		struct nsc_error e = { 0 };
		struct nsc_lab *lab = row(MID_OK, RIGHT_OK, "  - {from: left, ping: 198.51.100.1}");
		char buf[256];

		if (lab && nsc_impair_set_key(&lab->links[0].a.impair, NSC_IMP_LOSS, "100%", &e) == 0)
			ok(nsc_lab_ready_path(lab, &lab->ready[0], buf, sizeof(buf)) == 1 &&
			   !strcmp(buf, "node \"left\" eth0 drops every packet (impair loss 100%)"),
			   "an end that drops everything: %s", buf);
		else
			ok(0, "impair: %s", e.msg);
		nsc_lab_free(lab);
	}
	return tap_done();
}
