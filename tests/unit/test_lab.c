// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests for the lab reader: the model built from a string, and each
 * refusal with its position. */
#include <errno.h>
#include <arpa/inet.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <netnsctl/lab.h>
#include "tap.h"

static const char demo[] =
	"version: 1\n"
	"name: demo                      # letters, digits, '-', '_'\n"
	"defaults: {mtu: 1500, sysctls: {net.ipv6.conf.all.accept_dad: 0}}\n"
	"nodes:\n"
	"  r1:\n"
	"    loopback: [192.0.2.1/32]\n"
	"    sysctls: {net.ipv4.ip_forward: 1}\n"
	"    routes: [{to: 203.0.113.128/25, via: 203.0.113.2}]\n"
	"    neighbours: [{dev: eth1, address: 203.0.113.2, lladdr: \"02:00:00:00:00:02\"}]\n"
	"    exec: [\"sysctl -q net.ipv4.ip_forward\"]\n"
	"  r2: {}\n"
	"  h1:\n"
	"    routes: [{to: default, via: 198.51.100.1}]\n"
	"bridges:\n"
	"  lan: {}\n"
	"links:\n"
	"  - a: {node: r1, ifname: eth1, addresses: [203.0.113.1/30]}\n"
	"    b: {node: r2, ifname: eth1, addresses: [203.0.113.2/30], mac: \"02:00:00:00:00:02\"}\n"
	"    mtu: 9000\n"
	"  - a: {node: r1, ifname: eth2, addresses: [198.51.100.1/24]}\n"
	"    b: {bridge: lan}\n"
	"  - a: {node: h1, ifname: eth0, addresses: [198.51.100.10/24, \"2001:db8:1::10/64\"]}\n"
	"    b: {bridge: lan}\n"
	"ready:\n"
	"  - {from: h1, ping: 192.0.2.1, timeout: 5}\n";

static bool is_addr(const struct nsc_prefix *p, const char *text, int len)
{
	uint8_t buf[16] = { 0 };
	int family = strchr(text, ':') ? AF_INET6 : AF_INET;

	return p->family == family && inet_pton(family, text, buf) == 1 &&
	       !memcmp(p->addr, buf, family == AF_INET ? 4 : 16) && p->len == len;
}

static struct nsc_lab *read_str(const char *s, struct nsc_error *e)
{
	struct nsc_lab *lab = NULL;

	nsc_error_clear(e);
	if (nsc_lab_read_mem(s, strlen(s), "t.yaml", &lab, e) < 0)
		return NULL;
	return lab;
}

static void model(void)
{
	struct nsc_error e;
	struct nsc_lab *lab = read_str(demo, &e);
	const struct nsc_lab_node *r1, *r2, *h1;
	const struct nsc_lab_link *l;

	if (!ok(lab != NULL, "the issue's example reads: %s", e.msg))
		return;
	ok(!strcmp(lab->name, "demo") && lab->pos.line == 2 && lab->pos.col == 7,
	   "name and its position");
	ok(!strcmp(lab->file, "t.yaml"), "file kept for messages");
	ok(!strcmp(lab->switch_netns, "demo._switch"), "switch namespace demo._switch");
	ok(lab->mtu == 1500 && lab->n_sysctls == 1 &&
	   !strcmp(lab->sysctls[0].name, "net.ipv6.conf.all.accept_dad") &&
	   !strcmp(lab->sysctls[0].value, "0"), "defaults");
	ok(lab->n_nodes == 3 && lab->n_bridges == 1 && lab->n_links == 3 && lab->n_ready == 1,
	   "counts");
	r1 = nsc_lab_node(lab, "r1");
	r2 = nsc_lab_node(lab, "r2");
	h1 = nsc_lab_node(lab, "h1");
	ok(r1 == &lab->nodes[0] && r2 == &lab->nodes[1] && h1 == &lab->nodes[2] &&
	   !nsc_lab_node(lab, "lan"), "nodes in file order, looked up by name");
	ok(!strcmp(r1->netns, "demo.r1") && !strcmp(h1->netns, "demo.h1"), "namespace LAB.NODE");
	ok(r1->pos.line == 5 && r1->pos.col == 3, "node position");
	ok(r1->n_loopback == 1 && is_addr(&r1->loopback[0].prefix, "192.0.2.1", 32), "loopback");
	ok(r1->n_sysctls == 1 && !strcmp(r1->sysctls[0].name, "net.ipv4.ip_forward") &&
	   !strcmp(r1->sysctls[0].value, "1"), "node sysctls");
	ok(r1->n_routes == 1 && is_addr(&r1->routes[0].to, "203.0.113.128", 25) &&
	   r1->routes[0].has_via && is_addr(&r1->routes[0].via, "203.0.113.2", -1) &&
	   !r1->routes[0].dev && !r1->routes[0].has_metric, "route");
	ok(r1->routes[0].pos.line == 8 && r1->routes[0].pos.col == 14 &&
	   r1->routes[0].via_pos.col == 42, "route positions");
	ok(h1->n_routes == 1 && h1->routes[0].to.family == AF_INET && h1->routes[0].to.len == 0,
	   "default takes the gateway's family");
	ok(r1->n_neighs == 1 && !strcmp(r1->neighs[0].dev, "eth1") &&
	   is_addr(&r1->neighs[0].address, "203.0.113.2", -1) && r1->neighs[0].lladdr[5] == 2,
	   "neighbour");
	ok(r1->n_exec == 1 && !strcmp(r1->exec[0].cmd, "sysctl -q net.ipv4.ip_forward") &&
	   r1->exec[0].pos.line == 10, "exec");
	ok(r2->n_routes == 0 && r2->n_loopback == 0 && !r2->routes, "empty node");
	ok(nsc_lab_bridge(lab, "lan") == &lab->bridges[0] && lab->bridges[0].n_ports == 2 &&
	   lab->bridges[0].mtu == 1500, "bridge: ports, default mtu");
	l = &lab->links[0];
	ok(l->mtu == 9000 && l->a.kind == NSC_LAB_END_NODE && l->a.node == r1 &&
	   !strcmp(l->a.ifname, "eth1") && l->a.n_addrs == 1 &&
	   is_addr(&l->a.addrs[0].prefix, "203.0.113.1", 30) && l->a.mac_derived,
	   "link 1, end a (a derived MAC)");
	ok(l->b.node == r2 && l->b.has_mac && !l->b.mac_derived && l->b.mac[0] == 2 &&
	   l->b.mac[5] == 2,
	   "link 1, end b with its MAC");
	l = &lab->links[1];
	ok(l->mtu == 1500 && l->b.kind == NSC_LAB_END_BRIDGE && l->b.bridge == &lab->bridges[0] &&
	   !strcmp(l->b.ifname, "lan-1") && !l->b.node, "bridge end: port lan-1, default mtu");
	l = &lab->links[2];
	ok(!strcmp(l->b.ifname, "lan-2") && l->a.n_addrs == 2 &&
	   is_addr(&l->a.addrs[1].prefix, "2001:db8:1::10", 64), "port lan-2, IPv6 address");
	ok(lab->ready[0].from == h1 && is_addr(&lab->ready[0].ping, "192.0.2.1", -1) &&
	   lab->ready[0].timeout == 5, "ready check");
	nsc_lab_free(lab);
}

static void json_and_details(void)
{
	struct nsc_error e;
	struct nsc_lab *lab;

	lab = read_str("{\"version\": 1, \"name\": \"j\", \"nodes\": {\"a\": null, \"b\": {}},"
		       " \"links\": [{\"a\": {\"node\": \"a\", \"ifname\": \"x\"},"
		       " \"b\": {\"node\": \"b\", \"ifname\": \"y\"}}],"
		       " \"ready\": [{\"from\": \"a\", \"ping\": \"2001:db8::1\"}]}", &e);
	ok(lab && lab->n_nodes == 2 && lab->links[0].mtu == 0 &&
	   lab->ready[0].timeout == NSC_LAB_READY_TIMEOUT, "JSON reads; no mtu is 0; "
	   "default timeout: %s", e.msg);
	nsc_lab_free(lab);

	lab = read_str("version: 1\nname: x\nnodes: {a: , b: }\nbridges: {br: {mtu: 1400}}\n"
		       "links:\n"
		       " - {a: {node: a, ifname: e0}, b: {bridge: br, ifname: to-a}}\n"
		       " - {a: {bridge: br}, b: {node: b, ifname: e0}}\n"
		       " - {a: {node: a, ifname: e1, addresses: [\"fe80::1/64\"]},"
		       " b: {node: b, ifname: e1, addresses: [\"fe80::1/64\"]}}\n"
		       " - {a: {node: a, ifname: e2, addresses: [198.51.100.1]}, b: {node: b, ifname: e2}}\n",
		       &e);
	ok(lab != NULL, "bridge ports, fe80::1 on two links: %s", e.msg);
	if (lab) {
		ok(!strcmp(lab->links[0].b.ifname, "to-a") && !strcmp(lab->links[1].a.ifname, "br-2"),
		   "a given port name; K counts the bridge's links");
		ok(lab->bridges[0].mtu == 1400 && lab->links[1].mtu == 0, "bridge mtu");
		ok(lab->links[3].a.addrs[0].prefix.len == 32, "a bare address is a /32");
	}
	nsc_lab_free(lab);

	/* positions count characters, after a BOM, across CRLF */
	lab = read_str("\xef\xbb\xbfversion: 2\r\n", &e);
	ok(!lab && !strcmp(e.msg, "t.yaml:1:10: unsupported version 2 (this netnsctl reads "
			   "version 1)"), "BOM: %s", e.msg);
	lab = read_str("\xef\xbb\xbfversion: 1\r\nname: x\r\nnodes: {a: }\r\n", &e);
	ok(lab && !strcmp(lab->nodes[0].name, "a") && lab->nodes[0].pos.line == 3 &&
	   lab->nodes[0].pos.col == 9, "UTF-8 BOM and CRLF lines read: %s", e.msg);
	nsc_lab_free(lab);
	lab = read_str("version: 1\r\nname: \xc3\xa9t\xc3\xa9\r\n", &e);
	ok(!lab && !strncmp(e.msg, "t.yaml:2:7: invalid lab name", 28), "CRLF: %s", e.msg);
	lab = read_str("# \xc3\xa9\xc3\xa9\nversion: 1\nname: x\nnodes: {a: }\nbad: \x01", &e);
	ok(!lab && !strcmp(e.msg, "t.yaml:5:6: control characters are not allowed (byte 0x01)"),
	   "reader error position: %s", e.msg);
}

/* Each refusal: input, then the exact message. */
static const struct {
	const char *in, *msg;
} bad[] = {
#define H "version: 1\nname: x\n"
#define L2 "links: [{a: {node: a, ifname: e0, addresses: [203.0.113.1/30]}, " \
	   "b: {node: b, ifname: e0, addresses: [203.0.113.2/30]}}]\n"
	{ "", "1:1: empty file: no YAML document" },
	{ "# nothing\n", "1:1: empty file: no YAML document" },
	{ "[1, 2]\n", "1:1: the top level must be a map, not a list" },
	{ "a: [\n", "2:1: invalid YAML: did not find expected node content "
		    "(while parsing a flow node at line 2, column 1)" },
	{ "a: b: c\n", "1:5: invalid YAML: mapping values are not allowed in this context" },
	{ "a: \xff\n", "1:4: not UTF-8 text (byte 0xff)" },
	{ "a: \xc0\x80\n", "1:4: not UTF-8 text (byte 0xc0)" },
	{ "a: \xed\xa0\x80\n", "1:4: not UTF-8 text (byte 0xed)" },
	{ "\xff\xfe" "a\0:\0", "1:1: not UTF-8 text (byte 0xff)" },
	{ H "nodes: {a: &x {}, b: *x}\n", "3:12: anchors (\"&name\") are not allowed" },
	{ H "nodes: {a: {}, b: *x}\n", "3:19: aliases (\"*name\") are not allowed" },
	{ H "nodes: {a: !!map {}}\n", "3:12: tags (\"!tag\") are not allowed" },
	{ H "nodes: {a: {}, a: {}}\n", "3:16: duplicate key \"a\" (first at line 3, column 9)" },
	{ H "name: y\nnodes: {a: }\n", "3:1: duplicate key \"name\" (first at line 2, column 1)" },
	{ H "nodes: {a: }\n---\nx: 1\n", "4:1: more than one YAML document (\"---\")" },
	{ H "nodes: {[a]: }\n", "3:9: a key must be a string, not a list" },
	{ H "nodes: {a: {exec: [\"a\\0b\"]}}\n", "3:20: value contains a NUL character" },
	{ "name: x\nnodes: {a: }\n", "1:1: missing \"version\" (this netnsctl reads version 1)" },
	{ "version: \"1\"\n", "1:10: \"version\" must be a number, not a string" },
	{ "version: 2\n", "1:10: unsupported version 2 (this netnsctl reads version 1)" },
	{ "version: 1\nnodes: {a: }\n", "1:1: missing \"name\"" },
	{ H, "1:1: missing \"nodes\"" },
	{ H "nodes: {}\n", "3:8: a lab needs at least one node" },
	{ H "nodes: [a]\n", "3:8: \"nodes\" must be a map, not a list" },
	{ H "nodes: {a: 1}\n", "3:12: node \"a\" must be a map, not a number" },
	{ H "nodes: {a: }\nfoo: 1\n", "4:1: unknown key \"foo\" in the top level (expected "
	  "version, name, defaults, hosts, nodes, bridges, links or ready)" },
	{ H "nodes: {a: {route: []}}\n", "3:13: unknown key \"route\" in node \"a\" (expected "
	  "host, loopback, sysctls, routes, neighbours, exec or services)" },
	{ H "nodes: {a: {services: {s: {cmd: x, restart: yes}}}}\n", "3:45: \"restart\" must be "
	  "no, on-failure or always, not \"yes\"" },
	{ H "nodes: {a: {services: {s: {cmd: x, after: b.s}}}}\n", "3:43: \"after\": no service "
	  "\"b.s\" (NODE.SERVICE)" },
	{ H "nodes: {a: {services: {s: {cmd: x, ready: {tcp: 1, cmd: y}}}}}\n", "3:43: a service's "
	  "\"ready\" needs one of \"tcp\" or \"cmd\"" },
	{ "version: 1\nname: a.b\nnodes: {a: }\n", "2:7: invalid lab name \"a.b\": use letters, "
	  "digits, '-' and '_', starting with a letter or digit" },
	{ "version: 1\nname: [x]\nnodes: {a: }\n", "2:7: \"name\" must be a string, not a list" },
	{ "version: 1\nname: \nnodes: {a: }\n", "2:6: \"name\" has no value" },
	{ H "nodes: {_a: }\n", "3:9: invalid node name \"_a\": use letters, digits, '-' and '_', "
	  "starting with a letter or digit" },
	{ H "nodes: {-a: }\n", "3:9: invalid node name \"-a\": use letters, digits, '-' and '_', "
	  "starting with a letter or digit" },
	{ H "nodes: {a: }\nbridges: {a: }\n", "4:11: bridge \"a\" has the name of a node" },
	{ H "nodes: {a: }\nbridges: {lo: }\n", "4:11: bridge name \"lo\" is the loopback device's" },
	{ H "nodes: {a: }\nbridges: {b: {stp: 1}}\n", "4:15: unknown key \"stp\" in bridge \"b\" "
	  "(expected host or mtu)" },
	{ H "defaults: {mtu: 67}\nnodes: {a: }\n", "3:17: mtu \"67\" out of range (68..65535)" },
	{ H "defaults: {mtu: \"1500\"}\nnodes: {a: }\n", "3:17: \"mtu\" must be a number, not a string" },
	{ H "defaults: {mtu: x}\nnodes: {a: }\n", "3:17: invalid mtu \"x\"" },
	{ H "defaults: []\nnodes: {a: }\n", "3:11: \"defaults\" must be a map, not a list" },
	{ H "nodes: {a: {sysctls: {kernel.panic: 1}}}\n", "3:23: sysctl \"kernel.panic\" is not "
	  "under \"net.\" (only those belong to a network namespace)" },
	{ H "nodes: {a: {sysctls: {net..x: 1}}}\n", "3:23: invalid sysctl name \"net..x\": use "
	  "words of letters, digits, '-' and '_' separated by single dots" },
	{ H "nodes: {a: {sysctls: {net.x/y: 1}}}\n", "3:23: invalid sysctl name \"net.x/y\": use "
	  "words of letters, digits, '-' and '_' separated by single dots" },
	{ H "nodes: {a: {sysctls: {net.x.: 1}}}\n", "3:23: invalid sysctl name \"net.x.\": use "
	  "words of letters, digits, '-' and '_' separated by single dots" },
	{ H "nodes: {a: {sysctls: {net.x: }}}\n", "3:30: sysctl \"net.x\" has no value" },
	{ H "nodes: {a: {sysctls: {net.x: {}}}}\n", "3:30: sysctl \"net.x\" must be a number or "
	  "string, not a map" },
	{ H "nodes: {a: {loopback: [192.0.2.300]}}\n", "3:24: invalid prefix \"192.0.2.300\"" },
	{ H "nodes: {a: {loopback: [192.0.2.1/33]}}\n", "3:24: invalid prefix \"192.0.2.1/33\": "
	  "length must be 0..32" },
	{ H "nodes: {a: {loopback: 192.0.2.1}}\n", "3:23: \"loopback\" must be a list, not a scalar" },
	{ H "nodes: {a: {loopback: [192.0.2.1]}, b: {loopback: [192.0.2.1/32]}}\n",
	  "3:52: address 192.0.2.1 is already in the lab (line 3, column 24)" },
	{ H "nodes: {a: , b: }\n" L2 "ready: [{from: c, ping: 192.0.2.1}]\n",
	  "5:16: no node \"c\" in this lab" },
	{ H "nodes: {a: }\nready: [{ping: 192.0.2.1}]\n", "4:9: a ready check needs \"from\"" },
	{ H "nodes: {a: }\nready: [{from: a}]\n", "4:9: a ready check needs \"ping\", \"tcp\" or \"cmd\"" },
	{ H "nodes: {a: }\nready: [{from: a, tcp: \"2001:db8::1:80\"}]\n",
	  "4:24: \"tcp\": an IPv6 address goes in brackets: [V6ADDR]:PORT" },
	{ H "nodes: {a: }\nready: [{from: a, tcp: \"[192.0.2.1]:80\"}]\n",
	  "4:24: \"tcp\": brackets are for IPv6 addresses" },
	{ H "nodes: {a: }\nready: [{from: a, tcp: 80}]\n",
	  "4:24: \"tcp\" wants ADDR:PORT or [V6ADDR]:PORT" },
	{ H "nodes: {a: }\nready: [{from: a, tcp: \"192.0.2.1:0\"}]\n", "4:24: port \"0\" out of range (1..65535)" },
	{ H "nodes: {a: }\nready: [{from: a, cmd: \"\"}]\n", "4:24: \"cmd\" must not be empty" },
	{ H "nodes: {a: }\nready: [{from: a, cmd: x, ping: 192.0.2.1}]\n",
	  "4:9: a ready check takes one of \"ping\", \"tcp\" and \"cmd\", not more" },
	{ H "nodes: {a: {services: {s: {cmd: x, after: a.t}, t: {cmd: y, after: a.s}}}}\n",
	  "3:43: after: a.s -> a.t -> a.s is a cycle" },
	{ H "nodes: {a: }\nready: [{from: a, ping: 192.0.2.1/32}]\n",
	  "4:25: invalid address \"192.0.2.1/32\": no prefix length allowed here" },
	{ H "nodes: {a: }\nready: [{from: a, ping: 192.0.2.1, timeout: 3601}]\n",
	  "4:45: timeout \"3601\" out of range (1..3600)" },
	{ H "nodes: {a: }\nready: [a]\n", "4:9: a ready check must be a map, not a scalar" },
	{ H "nodes: {a: {exec: [\"\\x01\"]}}\n", "3:20: a command contains a control character (0x01)" },
	{ H "nodes: {a: {exec: [ls, [a]]}}\n", "3:24: \"exec\" must be a string, not a list" },
	{ H "nodes: {a: {exec: ls}}\n", "3:19: \"exec\" must be a list, not a scalar" },
	/* links */
	{ H "nodes: {a: }\nlinks: [{a: {node: a, ifname: e0}}]\n", "4:9: a link needs \"b\"" },
	{ H "nodes: {a: }\nlinks: [{b: {node: a, ifname: e0}}]\n", "4:9: a link needs \"a\"" },
	{ H "nodes: {a: }\nlinks: [{a: {node: a, ifname: e0}, b: {node: a, ifname: e1}, c: 1}]\n",
	  "4:62: unknown key \"c\" in a link (expected a, b, mtu, vni or impair)" },
	{ H "nodes: {a: }\nlinks: {a: 1}\n", "4:8: \"links\" must be a list, not a map" },
	{ H "nodes: {a: }\nlinks: [{a: {node: a, ifname: e0}, b: {node: c, ifname: e0}}]\n",
	  "4:46: no node \"c\" in this lab" },
	{ H "nodes: {a: }\nlinks: [{a: {node: a, ifname: e0}, b: {bridge: c}}]\n",
	  "4:48: no bridge \"c\" in this lab" },
	{ H "nodes: {a: }\nbridges: {c: }\nlinks: [{a: {node: a, ifname: e0}, b: {node: a, bridge: c}}]\n",
	  "5:57: a link end is on a node or on a bridge, not both" },
	{ H "nodes: {a: }\nlinks: [{a: {node: a, ifname: e0}, b: {ifname: e1}}]\n",
	  "4:39: a link end needs \"node\" or \"bridge\"" },
	{ H "nodes: {a: }\nlinks: [{a: {node: a, ifname: e0}, b: {node: a}}]\n",
	  "4:39: a link end on a node needs \"ifname\"" },
	{ H "nodes: {a: }\nlinks: [{a: {node: a, ifname: e0}, b: [a]}]\n",
	  "4:39: a link end must be a map, not a list" },
	{ H "nodes: {a: }\nbridges: {c: }\nlinks: [{a: {node: a, ifname: e0}, b: {bridge: c, "
	  "addresses: [192.0.2.1/24]}}]\n", "5:62: a link end on a bridge has no addresses (put "
	  "them on a node, or on the bridge's other links)" },
	{ H "nodes: {a: }\nbridges: {c: }\nlinks: [{a: {node: a, ifname: e0}, b: {bridge: c, "
	  "mac: 02:00:00:00:00:01}}]\n", "5:56: a link end on a bridge takes no \"mac\"" },
	{ H "nodes: {a: }\nbridges: {c: , d: }\nlinks: [{a: {bridge: c}, b: {bridge: d}}]\n",
	  "5:9: a link between two bridges is not supported (one end must be on a node)" },
	{ H "nodes: {a: }\nlinks: [{a: {node: a, ifname: e0}, b: {node: a, ifname: e0}}]\n",
	  "4:57: node \"a\" already has an interface \"e0\" (line 4, column 31)" },
	{ H "nodes: {a: }\nlinks: [{a: {node: a, ifname: lo}, b: {node: a, ifname: e0}}]\n",
	  "4:31: interface name \"lo\" is the loopback device's" },
	{ H "nodes: {a: }\nlinks: [{a: {node: a, ifname: a234567890123456}, b: {node: a, ifname: e0}}]\n",
	  "4:31: invalid interface name \"a234567890123456\": longer than 15 bytes" },
	{ H "nodes: {a: }\nlinks: [{a: {node: a, ifname: \"a b\"}, b: {node: a, ifname: e0}}]\n",
	  "4:31: invalid interface name \"a b\": contains whitespace or a control character" },
	{ H "nodes: {a: }\nlinks: [{a: {node: a, ifname: \"e%d\"}, b: {node: a, ifname: e0}}]\n",
	  "4:31: invalid interface name \"e%d\": contains '%' (the kernel reads it as a name template)" },
	{ H "nodes: {a: }\nlinks: [{a: {node: a, ifname: all}, b: {node: a, ifname: e0}}]\n",
	  "4:31: invalid interface name \"all\": reserved (net.*.conf.all and .default are sysctls)" },
	{ H "nodes: {a: }\nlinks: [{a: {node: a, ifname: e0}, b: {node: a, ifname: default}}]\n",
	  "4:57: invalid interface name \"default\": reserved (net.*.conf.all and .default are sysctls)" },
	{ H "nodes: {a: {routes: [{to: default, dev: \"x/y\"}]}}\n",
	  "3:41: invalid interface name \"x/y\": contains '/'" },
	{ H "nodes: {a: }\nlinks: [{a: {node: a, ifname: e0, mac: 03:00:00:00:00:01}, "
	  "b: {node: a, ifname: e1}}]\n", "4:40: MAC address \"03:00:00:00:00:01\" is a multicast "
	  "address (the first octet is odd)" },
	{ H "nodes: {a: }\nlinks: [{a: {node: a, ifname: e0, mac: \"0:0:0:0:0:0\"}, "
	  "b: {node: a, ifname: e1}}]\n", "4:40: MAC address \"0:0:0:0:0:0\" is all zeros" },
	{ H "nodes: {a: }\nlinks: [{a: {node: a, ifname: e0, mac: 02:00:00:00:00}, "
	  "b: {node: a, ifname: e1}}]\n", "4:40: invalid MAC address \"02:00:00:00:00\"" },
	{ H "nodes: {a: }\nlinks: [{a: {node: a, ifname: e0}, b: {node: a, ifname: e1}, mtu: 65536}]\n",
	  "4:67: mtu \"65536\" out of range (68..65535)" },
	{ H "nodes: {a: }\nlinks: [{a: {node: a, ifname: e0}, b: {node: a, ifname: e1}, mtu: 01500}]\n",
	  "4:67: invalid mtu \"01500\": a leading zero (numbers are decimal, or hexadecimal after 0x)" },
	{ H "nodes: {a: }\nbridges: {abcdefghijklmn: }\nlinks: [{a: {node: a, ifname: e0}, "
	  "b: {bridge: abcdefghijklmn}}]\n", "5:48: the switch port name \"abcdefghijklmn-1\" is "
	  "longer than 15 bytes: give this end an \"ifname\" or the bridge a shorter name" },
	{ H "nodes: {a: }\nbridges: {br: , br-1: }\nlinks: [{a: {node: a, ifname: e0}, b: {bridge: br}}]\n",
	  "5:48: the name \"br-1\" is already used in namespace \"x._switch\" (line 4, column 17)" },
	{ H "nodes: {a: }\nbridges: {br: }\nlinks: [{a: {node: a, ifname: e0}, b: {bridge: br, "
	  "ifname: br}}]\n", "5:60: the name \"br\" is already used in namespace \"x._switch\" "
	  "(line 4, column 11)" },
	{ H "nodes: {a: }\nlinks: [{a: {node: a, ifname: e0, addresses: [203.0.113.1/24, "
	  "203.0.113.1/30]}, b: {node: a, ifname: e1}}]\n",
	  "4:63: address 203.0.113.1 is already in the lab (line 4, column 47)" },
	{ H "nodes: {a: }\nlinks: [{a: {node: a, ifname: e0, addresses: [\"fe80::1/64\", "
	  "\"fe80::1/64\"]}, b: {node: a, ifname: e1}}]\n",
	  "4:61: address fe80::1 is already in the lab (line 4, column 47)" },
	/* routes */
	{ H "nodes: {a: {routes: [{to: 198.51.100.0/24, via: \"2001:db8::1\"}]}, b: }\n" L2,
	  "3:49: gateway 2001:db8::1 is IPv6 but the route to 198.51.100.0/24 is IPv4" },
	{ H "nodes: {a: {routes: [{to: 198.51.100.1/24, via: 203.0.113.2}]}, b: }\n" L2,
	  "3:27: prefix 198.51.100.1/24 has host bits set (the network is 198.51.100.0/24)" },
	{ H "nodes: {a: {routes: [{to: 198.51.100.0/24, via: 203.0.113.9}]}, b: }\n" L2,
	  "3:49: gateway 203.0.113.9 is not in a subnet of any interface of node \"a\"" },
	{ H "nodes: {a: {routes: [{to: 198.51.100.0/24, via: 203.0.113.2, dev: e1}]}, b: }\n"
	  "links: [{a: {node: a, ifname: e0, addresses: [203.0.113.1/30]}, b: {node: b, ifname: e0}},"
	  " {a: {node: a, ifname: e1}, b: {node: b, ifname: e1}}]\n",
	  "3:49: gateway 203.0.113.2 is not in a subnet of interface \"e1\" of node \"a\"" },
	{ H "nodes: {a: {routes: [{to: default, dev: e0}]}, b: }\n" L2,
	  "3:27: a default route without \"via\" has no address family: write 0.0.0.0/0 or ::/0" },
	{ H "nodes: {a: {routes: [{to: 0.0.0.0/0, dev: e0}, {to: default, via: 203.0.113.2}]}, b: }\n" L2,
	  "3:48: node \"a\" has a route to default (IPv4) with this metric already (line 3, column 22)" },
	{ H "nodes: {a: {routes: [{to: 0.0.0.0/0, dev: e0}, {to: default, via: 203.0.113.2, "
	  "metric: 10}, {to: 192.0.2.0/24, dev: e0}, {to: 192.0.2.0/24, dev: e0}]}, b: }\n" L2,
	  "3:122: node \"a\" has a route to 192.0.2.0/24 with this metric already (line 3, column 93)" },
	{ H "nodes: {a: {routes: [{to: 0.0.0.0/0, dev: e9}]}, b: }\n" L2,
	  "3:43: node \"a\" has no interface \"e9\"" },
	{ H "nodes: {a: {routes: [{to: 0.0.0.0/0}]}, b: }\n" L2, "3:22: a route needs \"via\" or \"dev\"" },
	{ H "nodes: {a: {routes: [{via: 203.0.113.2}]}, b: }\n" L2, "3:22: a route needs \"to\"" },
	{ H "nodes: {a: {routes: [{to: \"::/0\", via: \"fe80::1\"}]}, b: }\n" L2,
	  "3:40: link-local gateway fe80::1 needs \"dev\"" },
	{ H "nodes: {a: {routes: [{to: 192.0.2.0/24, dev: e0, metric: -1}]}, b: }\n" L2,
	  "3:58: invalid metric \"-1\"" },
	{ H "nodes: {a: {routes: [{to: 192.0.2.0/24, dev: e0, table: 1}]}, b: }\n" L2,
	  "3:50: unknown key \"table\" in a route (expected to, via, dev or metric)" },
	{ H "nodes: {a: {routes: [x]}, b: }\n" L2, "3:22: a route must be a map, not a scalar" },
	/* neighbours */
	{ H "nodes: {a: {neighbours: [{dev: e1, address: 203.0.113.2, lladdr: 02:00:00:00:00:01}]}, "
	  "b: }\n" L2, "3:32: node \"a\" has no interface \"e1\"" },
	{ H "nodes: {a: {neighbours: [{dev: e0, address: 203.0.113.2, lladdr: 02:00:00:00:00:01}, "
	  "{dev: e0, address: 203.0.113.2, lladdr: 02:00:00:00:00:03}]}, b: }\n" L2,
	  "3:86: node \"a\" has a neighbour 203.0.113.2 on \"e0\" already (line 3, column 26)" },
	{ H "nodes: {a: {neighbours: [{dev: e0, address: 203.0.113.2}]}, b: }\n" L2,
	  "3:26: a neighbour needs \"lladdr\"" },
	{ H "nodes: {a: {neighbours: [{dev: e0, lladdr: 02:00:00:00:00:01}]}, b: }\n" L2,
	  "3:26: a neighbour needs \"address\"" },
	{ H "nodes: {a: {neighbours: [{address: 203.0.113.2, lladdr: 02:00:00:00:00:01}]}, b: }\n" L2,
	  "3:26: a neighbour needs \"dev\"" },
	{ H "nodes: {a: {neighbours: [{dev: e0, address: 203.0.113.2, lladdr: x}]}, b: }\n" L2,
	  "3:66: invalid MAC address \"x\"" },
	/* each kind of value where it may be refused: lists, maps, anchors, tags */
	{ H "nodes: {a: {exec: &x [ls]}}\n", "3:19: anchors (\"&name\") are not allowed" },
	{ H "nodes: {a: {exec: !!seq [ls]}}\n", "3:19: tags (\"!tag\") are not allowed" },
	{ "version: 1\nname: !x y\nnodes: {a: }\n", "2:7: tags (\"!tag\") are not allowed" },
	{ "version: &v 1\nname: x\nnodes: {a: }\n", "1:10: anchors (\"&name\") are not allowed" },
	{ H "nodes: {{a: 1}: }\n", "3:9: a key must be a string, not a map" },
	{ H "nodes: {a: }\nbridges: {b: 1}\n", "4:14: bridge \"b\" must be a map, not a number" },
	{ H "nodes: {a: }\nbridges: [b]\n", "4:10: \"bridges\" must be a map, not a list" },
	{ H "nodes: {a: }\nbridges: {b: {mtu: 67}}\n", "4:20: mtu \"67\" out of range (68..65535)" },
	{ H "nodes: {a: }\nbridges: {b: , abcdefghijklmnop: }\n", "4:16: invalid bridge name: "
	  "invalid interface name \"abcdefghijklmnop\": longer than 15 bytes" },
	{ H "nodes: {a: }\nlinks: [x]\n", "4:9: a link must be a map, not a scalar" },
	{ H "nodes: {a: }\nready: {from: a}\n", "4:8: \"ready\" must be a list, not a map" },
	{ H "nodes: {a: {neighbours: [[x]]}}\n", "3:26: a neighbour must be a map, not a list" },
	{ H "nodes: {a: {neighbours: [{dev: e0, address: 192.0.2.1, lladdr: 02:00:00:00:00:01, "
	  "x: 1}]}}\n", "3:83: unknown key \"x\" in a neighbour (expected dev, address or lladdr)" },
	{ H "nodes: {a: {routes: {to: x}}}\n", "3:21: \"routes\" must be a list, not a map" },
	{ H "nodes: {a: {routes: [{to: 192.0.2.0/24, dev: e0}]}}\n",
	  "3:46: node \"a\" has no interface \"e0\"" },
	{ H "nodes: {a: {loopback: [192.0.2.1/24, [x]]}}\n",
	  "3:38: \"loopback\" must be an address, not a list" },
	{ H "nodes: {a: {exec: [[ls]]}}\n", "3:20: \"exec\" must be a string, not a list" },
#undef H
#undef L2
};

/* On failure: what we got, and the line it points at. */
static void show(const char *in, size_t len, const char *got)
{
	unsigned line, col;
	const char *s = in, *end = in + len;

	printf("# got: %s\n", got);
	if (sscanf(got, "t.yaml:%u:%u:", &line, &col) != 2)
		return;
	while (--line && s < end && (s = memchr(s, '\n', (size_t)(end - s))))
		s++;
	if (!s || s >= end)
		return;
	printf("# %.*s\n# %*s^\n", (int)strcspn(s, "\n"), s, (int)col - 1, "");
}

static void refusals(void)
{
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct nsc_error e = { 0 };
		struct nsc_lab *lab = NULL;
		char want[NSC_ERR_MSG_MAX];
		/* the one input with NULs inside: sizeof, not strlen */
		size_t len = bad[i].in[0] == '\xff' ? 6 : strlen(bad[i].in);
		int ret = nsc_lab_read_mem(bad[i].in, len, "t.yaml", &lab, &e);

		snprintf(want, sizeof(want), "t.yaml:%s", bad[i].msg);
		if (!ok(ret == -EINVAL && e.usage && !lab && !strcmp(e.msg, want),
			"refused: %s", want))
			show(bad[i].in, len, e.msg);
		nsc_lab_free(lab);
	}
}

static void bounds(void)
{
	struct nsc_error e = { 0 };
	struct nsc_lab *lab = NULL;
	size_t n = NSC_LAB_MAX_FILE + 1;
	char *big = malloc(n + 1), *s;

	if (!big)
		return;
	memset(big, '#', n);
	big[n] = '\0';
	ok(nsc_lab_read_mem(big, n, "t.yaml", &lab, &e) < 0 && e.usage &&
	   !strcmp(e.msg, "t.yaml: larger than 1048576 bytes"), "file size bound: %s", e.msg);

	memset(big, '[', 100);
	big[100] = '\0';
	ok(nsc_lab_read_mem(big, 100, "t.yaml", &lab, &e) < 0 &&
	   !strcmp(e.msg, "t.yaml:1:17: nested deeper than 16 levels"), "depth bound: %s", e.msg);

	s = big;
	s += sprintf(s, "x: [");
	for (int i = 0; i <= NSC_LAB_MAX_ENTRIES; i++)
		s += sprintf(s, "1,");
	strcpy(s, "1]\n");
	ok(nsc_lab_read_mem(big, strlen(big), "t.yaml", &lab, &e) < 0 &&
	   !strcmp(e.msg, "t.yaml:1:8197: more than 4096 entries in one list"),
	   "entries bound: %s", e.msg);

	s = big;
	s += sprintf(s, "x: [");
	for (int i = 0; i < 20; i++) {
		s += sprintf(s, "[");
		for (int k = 0; k < 4000; k++)
			s += sprintf(s, "1,");
		s += sprintf(s, "1],");
	}
	strcpy(s, "1]\n");
	ok(nsc_lab_read_mem(big, strlen(big), "t.yaml", &lab, &e) < 0 &&
	   strstr(e.msg, ": more than 65536 values in the file"), "values bound: %s", e.msg);

	s = big;
	s += sprintf(s, "x: ");
	memset(s, 'a', NSC_LAB_MAX_SCALAR + 1);
	s[NSC_LAB_MAX_SCALAR + 1] = '\0';
	ok(nsc_lab_read_mem(big, strlen(big), "t.yaml", &lab, &e) < 0 &&
	   !strcmp(e.msg, "t.yaml:1:4: value longer than 4096 bytes"), "scalar bound: %s", e.msg);

	s = big;
	s += sprintf(s, "version: 1\nname: x\nnodes:\n");
	for (int i = 0; i <= NSC_LAB_MAX_NODES; i++)
		s += sprintf(s, " n%d: \n", i);
	ok(nsc_lab_read_mem(big, strlen(big), "t.yaml", &lab, &e) < 0 &&
	   !strcmp(e.msg, "t.yaml:1028:2: more than 1024 nodes"), "node bound: %s", e.msg);

	s = big;
	s += sprintf(s, "version: 1\nname: x\nnodes: {a: }\nbridges:\n");
	for (int i = 0; i <= NSC_LAB_MAX_BRIDGES; i++)
		s += sprintf(s, " b%d: \n", i);
	ok(nsc_lab_read_mem(big, strlen(big), "t.yaml", &lab, &e) < 0 &&
	   !strcmp(e.msg, "t.yaml:261:2: more than 256 bridges"), "bridge bound: %s", e.msg);

	s = big;
	s += sprintf(s, "x: {");
	for (int i = 0; i <= NSC_LAB_MAX_ENTRIES; i++)
		s += sprintf(s, "k%d: 1,", i);
	strcpy(s, "z: 1}\n");
	ok(nsc_lab_read_mem(big, strlen(big), "t.yaml", &lab, &e) < 0 &&
	   strstr(e.msg, ": more than 4096 entries in one map"), "map entries bound: %s", e.msg);
	free(big);
}

static void names(void)
{
	struct nsc_error e;
	struct nsc_lab *lab;
	char buf[1024], name[300];

	/* 247 bytes of lab name leave room for "._switch" */
	memset(name, 'l', 248);
	name[248] = '\0';
	snprintf(buf, sizeof(buf), "version: 1\nname: %s\nnodes: {a: }\n", name);
	lab = read_str(buf, &e);
	ok(!lab && !strcmp(e.msg, "t.yaml:2:7: lab name longer than 247 bytes"), "%s", e.msg);
	name[247] = '\0';
	snprintf(buf, sizeof(buf), "version: 1\nname: %s\nnodes: {abcdefg: }\n", name);
	lab = read_str(buf, &e);
	ok(lab && strlen(lab->switch_netns) == 255 && strlen(lab->nodes[0].netns) == 255,
	   "247-byte lab name, 7-byte node name: 255-byte namespace names");
	nsc_lab_free(lab);
	snprintf(buf, sizeof(buf), "version: 1\nname: %s\nnodes: {abcdefgh: }\n", name);
	lab = read_str(buf, &e);
	ok(!lab && strstr(e.msg, "t.yaml:3:9: the namespace name of node \"abcdefgh\" would be "
			  "256 bytes long (at most 255)"), "%s", e.msg);
}

static void files(void)
{
	struct nsc_error e = { 0 };
	struct nsc_lab *lab = NULL;
	char path[] = "/tmp/test_lab.XXXXXX", big[] = "/tmp/test_lab.XXXXXX";
	int fd, p[2];

	ok(nsc_lab_read_file("/nonexistent/lab.yaml", &lab, &e) == -ENOENT && e.usage &&
	   !strcmp(e.msg, "open \"/nonexistent/lab.yaml\": No such file or directory"),
	   "missing file: usage error: %s", e.msg);
	ok(nsc_lab_read_file("/", &lab, &e) == -EISDIR && e.usage,
	   "a directory: %s", e.msg);
	fd = mkstemp(path);
	if (fd >= 0) {
		ok(write(fd, demo, strlen(demo)) == (ssize_t)strlen(demo), "write temp file");
		close(fd);
		ok(nsc_lab_read_file(path, &lab, &e) == 0 && !strcmp(lab->file, path),
		   "read a file: %s", e.msg);
		/* the buffer sized by fstat is the lab's text */
		ok(lab && lab->text_len == strlen(demo) && !strcmp(lab->text, demo),
		   "a file's text kept whole");
		nsc_lab_free(lab);
		lab = NULL;
		unlink(path);
	}
	/* read whole up to the bound, refused one byte past it */
	fd = mkstemp(big);
	if (fd >= 0) {
		char *buf = malloc(NSC_LAB_MAX_FILE + 1);

		unlink(big);
		if (buf) {
			memset(buf, '#', NSC_LAB_MAX_FILE + 1);
			buf[NSC_LAB_MAX_FILE - 1] = '\n';
			ok(write(fd, buf, NSC_LAB_MAX_FILE) == NSC_LAB_MAX_FILE &&
			   lseek(fd, 0, SEEK_SET) == 0 &&
			   nsc_lab_read_fd(fd, "t.yaml", &lab, &e) < 0 &&
			   !strcmp(e.msg, "t.yaml:1:1: empty file: no YAML document"),
			   "a file of the largest size is read: %s", e.msg);
			ok(write(fd, "#", 1) == 1 && lseek(fd, 0, SEEK_SET) == 0 &&
			   nsc_lab_read_fd(fd, "t.yaml", &lab, &e) < 0 && e.usage &&
			   !strcmp(e.msg, "t.yaml: larger than 1048576 bytes"),
			   "one byte more is refused: %s", e.msg);
			free(buf);
		}
		close(fd);
	}
	if (pipe(p) == 0) {
		ok(write(p[1], "version: 1\nname: p\nnodes: {a: }\n", 32) == 32, "write pipe");
		close(p[1]);
		ok(nsc_lab_read_fd(p[0], "<stdin>", &lab, &e) == 0 && !strcmp(lab->name, "p") &&
		   lab->text_len == 32 && !strcmp(lab->text, "version: 1\nname: p\nnodes: {a: }\n"),
		   "read a pipe, its text kept: %s", e.msg);
		close(p[0]);
		nsc_lab_free(lab);
		lab = NULL;
	}
	/* no size to go by: the buffer grows past its first 4096 bytes */
	if (pipe(p) == 0) {
		static const char head[] = "version: 1\nname: p\nnodes: {a: }\n";
		char text[10000];
		size_t n = sizeof(text) - 1;

		memset(text, '#', n);
		memcpy(text, head, sizeof(head) - 1);
		text[n - 1] = '\n';
		text[n] = '\0';
		ok(write(p[1], text, n) == (ssize_t)n, "write pipe");
		close(p[1]);
		ok(nsc_lab_read_fd(p[0], "<stdin>", &lab, &e) == 0 && lab->text_len == n &&
		   !strcmp(lab->text, text), "a pipe of %zu bytes read whole: %s", n, e.msg);
		close(p[0]);
		nsc_lab_free(lab);
		lab = NULL;
	}

	/* a later step cites the file */
	lab = read_str(demo, &e);
	if (lab) {
		nsc_err(&e, EEXIST, "veth add \"eth1\"");
		ok(nsc_lab_err_at(lab, lab->links[0].a.pos, &e) == -EEXIST && !e.usage &&
		   !strcmp(e.msg, "t.yaml:17:8: veth add \"eth1\": File exists"), "err_at: %s", e.msg);
		nsc_lab_free(lab);
	}
	nsc_lab_free(NULL);
}

int main(void)
{
	model();
	json_and_details();
	refusals();
	bounds();
	names();
	files();
	return tap_done();
}
