// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests for labs across hosts: hosts, host:, vni:, and the VNI each
 * crossing link is given (stable, no clash, the file's respected). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <netnsctl/lab.h>
#include "tap.h"

static const char head[] =
	"version: 1\n"
	"name: span\n"
	"hosts:\n"
	"  a: {address: 198.51.100.1}\n"
	"  b: {address: 198.51.100.2, dev: eth9, netnsctl: /opt/netnsctl, via: [ssh, -p, '2222', b]}\n"
	"  c: {address: \"2001:db8::3\"}\n";

static struct nsc_lab *read_lab(const char *body, struct nsc_error *e)
{
	struct nsc_lab *lab = NULL;
	char *s;

	if (asprintf(&s, "%s%s", head, body) < 0)
		return NULL;
	if (nsc_lab_read_mem(s, strlen(s), "t.yaml", &lab, e) < 0)
		lab = NULL;
	free(s);
	return lab;
}

/* n nodes on a and b alternately, a chain of links between them */
static char *chain(size_t n, const char *extra_link)
{
	size_t cap = 200 * n + 512, len = 0;
	char *s = malloc(cap);

	len += (size_t)snprintf(s + len, cap - len, "defaults: {vni_base: 1000}\nnodes:\n");
	for (size_t i = 0; i < n; i++)
		len += (size_t)snprintf(s + len, cap - len, "  n%zu: {host: %s}\n", i,
					i % 2 ? "b" : "a");
	len += (size_t)snprintf(s + len, cap - len, "links:\n");
	for (size_t i = 0; i + 1 < n; i++)
		len += (size_t)snprintf(s + len, cap - len,
					"  - {a: {node: n%zu, ifname: r}, b: {node: n%zu, ifname: l}}\n",
					i, i + 1);
	if (extra_link)
		snprintf(s + len, cap - len, "%s", extra_link);
	return s;
}

static void test_hosts_read(void)
{
	struct nsc_error e = { 0 };
	struct nsc_lab *lab = read_lab("nodes: {x: {host: a}, y: {host: c}}\n", &e);

	ok(lab != NULL, "a lab with hosts reads (%s)", e.msg);
	if (!lab)
		return;
	ok(lab->n_hosts == 3 && !strcmp(lab->hosts[0].name, "a") &&
	   lab->hosts[0].address.family == AF_INET && lab->hosts[2].address.family == AF_INET6,
	   "hosts in file order, v4 and v6");
	ok(!strcmp(lab->hosts[0].netnsctl, "netnsctl") && lab->hosts[0].n_via == 2 &&
	   !strcmp(lab->hosts[0].via[0], "ssh") && !strcmp(lab->hosts[0].via[1], "a") &&
	   !lab->hosts[0].dev, "defaults: netnsctl from the PATH, via [ssh, NAME]");
	ok(!strcmp(lab->hosts[1].netnsctl, "/opt/netnsctl") && lab->hosts[1].n_via == 4 &&
	   !strcmp(lab->hosts[1].via[2], "2222") && !strcmp(lab->hosts[1].dev, "eth9"),
	   "a host's own netnsctl, via and dev");
	ok(lab->nodes[0].host == &lab->hosts[0] && lab->nodes[1].host == &lab->hosts[2],
	   "nodes placed on their hosts");
	ok(lab->vxlan_port == 4789, "the VXLAN port defaults to 4789");
	nsc_lab_free(lab);
}

static void test_vni(void)
{
	struct nsc_error e = { 0 };
	char *s = chain(200, NULL);
	struct nsc_lab *lab = read_lab(s, &e), *again;
	bool clash = false, range = true, stable = true;

	ok(lab != NULL, "a chain of 200 nodes over two hosts reads (%s)", e.msg);
	again = read_lab(s, &e);
	free(s);
	if (!lab || !again)
		return;
	for (size_t i = 0; i < lab->n_links; i++) {
		uint32_t v = lab->links[i].vni;

		range &= v > 1000 && v <= NSC_LAB_VNI_MAX;
		stable &= v == again->links[i].vni;
		for (size_t j = 0; j < i; j++)
			clash |= lab->links[j].vni == v;
	}
	ok(range, "derived VNIs above vni_base, at most 2^24-1");
	ok(!clash, "no two links share a VNI");
	ok(stable, "the same file gives the same VNIs");
	ok(lab->links[0].vni == nsc_lab_vni_hash(lab, &lab->links[0]),
	   "without clash, a link's VNI is its hash");
	nsc_lab_free(lab);
	nsc_lab_free(again);

	/* written the other way round: the same VNI */
	lab = read_lab("nodes: {x: {host: a}, y: {host: b}}\n"
		       "links: [{a: {node: x, ifname: e0}, b: {node: y, ifname: e1}}]\n", &e);
	again = read_lab("nodes: {x: {host: a}, y: {host: b}}\n"
			 "links: [{a: {node: y, ifname: e1}, b: {node: x, ifname: e0}}]\n", &e);
	ok(lab && again && lab->links[0].vni == again->links[0].vni,
	   "a link's VNI does not depend on which end is a");
	nsc_lab_free(lab);
	nsc_lab_free(again);

	/* the file's vni is kept; a derived one steps past it */
	lab = read_lab("nodes: {x: {host: a}, y: {host: b}}\n"
		       "links: [{a: {node: x, ifname: e0}, b: {node: y, ifname: e1}, vni: 77}]\n",
		       &e);
	ok(lab && lab->links[0].vni == 77 && lab->links[0].has_vni, "vni: respected");
	if (lab) {
		uint32_t h = nsc_lab_vni_hash(lab, &lab->links[0]);
		char body[512];
		struct nsc_lab *l2;

		nsc_lab_free(lab);
		snprintf(body, sizeof(body),
			 "nodes: {x: {host: a}, y: {host: b}}\n"
			 "links:\n"
			 "  - {a: {node: x, ifname: e0}, b: {node: y, ifname: e1}}\n"
			 "  - {a: {node: x, ifname: f0}, b: {node: y, ifname: f1}, vni: %u}\n", h);
		l2 = read_lab(body, &e);
		ok(l2 && l2->links[1].vni == h && l2->links[0].vni != h,
		   "a derived VNI steps past one the file gives");
		nsc_lab_free(l2);
	}
	/* a link on one host gets none */
	lab = read_lab("nodes: {x: {host: a}, y: {host: a}}\n"
		       "links: [{a: {node: x, ifname: e0}, b: {node: y, ifname: e1}}]\n", &e);
	ok(lab && lab->links[0].vni == 0, "a link within one host is a veth pair, no VNI");
	nsc_lab_free(lab);
}

static void test_refused(void)
{
	static const struct {
		const char *body, *msg;
	} bad[] = {
		{ "nodes: {x: {host: a}, y: {}}\n", "t.yaml:7:23: node \"y\" has no \"host\" (the lab has \"hosts\")" },
		{ "nodes: {x: {host: z}}\n", "t.yaml:7:19: no host \"z\" in this lab" },
		{ "nodes: {x: {host: a}, y: {host: b}}\n"
		  "links:\n"
		  "  - {a: {node: x, ifname: e0}, b: {node: y, ifname: e1}, vni: 5}\n"
		  "  - {a: {node: x, ifname: f0}, b: {node: y, ifname: f1}, vni: 5}\n",
		  "t.yaml:10:63: vni 5 is the link's at line 9 too" },
		{ "nodes: {x: {host: a}, y: {host: a}}\n"
		  "links: [{a: {node: x, ifname: e0}, b: {node: y, ifname: e1}, vni: 5}]\n",
		  "t.yaml:8:67: \"vni\" on a link whose ends are on one host" },
		{ "nodes: {x: {host: a}, y: {host: c}}\n"
		  "links: [{a: {node: x, ifname: e0}, b: {node: y, ifname: e1}}]\n",
		  "t.yaml:8:9: link between hosts \"a\" and \"c\": their addresses are not of one family" },
		{ "nodes: {x: {host: a}, y: {host: b}}\n"
		  "links: [{a: {node: x, ifname: e0}, b: {node: y, ifname: e1}, vni: 16777216}]\n",
		  NULL },
		{ "bridges: {br: {}}\nnodes: {x: {host: a}}\n",
		  "t.yaml:7:11: bridge \"br\" has no \"host\" (the lab has \"hosts\")" },
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct nsc_error e = { 0 };
		struct nsc_lab *lab = read_lab(bad[i].body, &e);

		ok(!lab && e.usage && (!bad[i].msg || !strcmp(e.msg, bad[i].msg)),
		   "refused: %s (got: %s)", bad[i].msg ? bad[i].msg : "vni out of range", e.msg);
		nsc_lab_free(lab);
	}
}

static void test_plain(void)
{
	static const char *const bad[] = {
		"version: 1\nname: p\nnodes: {x: {host: a}}\n",
		"version: 1\nname: p\nhosts: {a: {dev: eth0}}\nnodes: {x: {host: a}}\n",
	};
	static const char *const msgs[] = {
		"t.yaml:3:19: \"host\" needs a top-level \"hosts\" map",
		"t.yaml:3:9: host \"a\" has no \"address\"",
	};

	for (size_t i = 0; i < 2; i++) {
		struct nsc_error e = { 0 };
		struct nsc_lab *lab = NULL;
		int ret = nsc_lab_read_mem(bad[i], strlen(bad[i]), "t.yaml", &lab, &e);

		ok(ret < 0 && e.usage && !strcmp(e.msg, msgs[i]), "refused: %s (got: %s)", msgs[i],
		   e.msg);
		nsc_lab_free(lab);
	}
}

int main(void)
{
	test_hosts_read();
	test_vni();
	test_refused();
	test_plain();
	return tap_done();
}
