// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests for the pure halves of routes and neighbours: route names,
 * one netlink message into struct nsc_route / nsc_neigh, the show and
 * flush selectors, and the checks a route request passes before sending.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <libmnl/libmnl.h>

#include <netnsctl/neigh.h>
#include <netnsctl/route.h>
#include <netnsctl/rtnames.h>
#include "tap.h"

static void names(void)
{
	struct nsc_rtnames *n;
	struct nsc_error e;
	uint32_t id;
	char b[32];

	ok(nsc_rtname_parse(NULL, NSC_RT_TABLE, "main", &id, &e) == 0 && id == RT_TABLE_MAIN,
	   "table main");
	ok(nsc_rtname_parse(NULL, NSC_RT_TABLE, "4294967295", &id, &e) == 0 && id == UINT32_MAX,
	   "table 2^32-1");
	ok(nsc_rtname_parse(NULL, NSC_RT_TABLE, "4294967296", &id, &e) < 0 && e.usage,
	   "table 2^32 refused: %s", e.msg);
	ok(nsc_rtname_parse(NULL, NSC_RT_TABLE, "vpn", &id, &e) < 0 &&
	   !strcmp(e.msg, "invalid table \"vpn\""), "unknown table name: %s", e.msg);
	ok(nsc_rtname_parse(NULL, NSC_RT_PROTO, "kernel", &id, &e) == 0 && id == RTPROT_KERNEL,
	   "proto kernel");
	ok(nsc_rtname_parse(NULL, NSC_RT_PROTO, "256", &id, &e) < 0, "proto 256 refused");
	ok(nsc_rtname_parse(NULL, NSC_RT_PROTO, "0x10", &id, &e) == 0 && id == 16, "proto 0x10");
	ok(nsc_rtname_parse(NULL, NSC_RT_SCOPE, "link", &id, &e) == 0 && id == RT_SCOPE_LINK,
	   "scope link");
	ok(nsc_rtname_parse(NULL, NSC_RT_SCOPE, "universe", &id, &e) == 0 && id == 0,
	   "scope universe");
	ok(nsc_rtname_parse(NULL, NSC_RT_TYPE, "blackhole", &id, &e) == 0 && id == RTN_BLACKHOLE,
	   "type blackhole");
	ok(nsc_rtname_parse(NULL, NSC_RT_TYPE, "", &id, &e) < 0 && strstr(e.msg, "missing"),
	   "empty refused: %s", e.msg);
	ok(!strcmp(nsc_rtname_str(NULL, NSC_RT_TABLE, 255, b, sizeof(b)), "local"), "255 local");
	ok(!strcmp(nsc_rtname_str(NULL, NSC_RT_TABLE, 100, b, sizeof(b)), "100"), "100 as number");
	ok(!strcmp(nsc_rtname_str(NULL, NSC_RT_PROTO, RTPROT_BOOT, b, sizeof(b)), "boot"), "boot");
	ok(!strcmp(nsc_rtname_str(NULL, NSC_RT_SCOPE, 0, b, sizeof(b)), "global"), "global");
	ok(!strcmp(nsc_rtname_str(NULL, NSC_RT_TYPE, RTN_UNREACHABLE, b, sizeof(b)), "unreachable"),
	   "unreachable");

	if (!ok(nsc_rtnames_new(&n) == 0, "new names"))
		return;
	ok(nsc_rtnames_add_text(n, NSC_RT_TABLE,
				"# comment\n\n  100\tvpn\n0x65 lab # trailing\nbad line\n"
				"102\n103 9digit\n4294967296 huge\n254 principal\n010 ten\n") == 0,
	   "add rt_tables text");
	ok(nsc_rtname_parse(n, NSC_RT_TABLE, "vpn", &id, &e) == 0 && id == 100, "vpn 100");
	ok(nsc_rtname_parse(n, NSC_RT_TABLE, "lab", &id, &e) == 0 && id == 0x65, "hex id");
	ok(nsc_rtname_parse(n, NSC_RT_TABLE, "huge", &id, &e) < 0, "out of range line skipped");
	/* iproute2 reads rt_tables with %d: a leading zero is decimal, not octal */
	ok(nsc_rtname_parse(n, NSC_RT_TABLE, "ten", &id, &e) == 0 && id == 10,
	   "010 in rt_tables is 10: %u", id);
	ok(nsc_rtname_parse(n, NSC_RT_TABLE, "010", &id, &e) < 0 && e.usage,
	   "a table typed as 010 is refused: %s", e.msg);
	ok(nsc_rtname_parse(n, NSC_RT_TABLE, "9digit", &id, &e) < 0, "name starting with a digit skipped");
	ok(!strcmp(nsc_rtname_str(n, NSC_RT_TABLE, 100, b, sizeof(b)), "vpn"), "100 prints vpn");
	ok(!strcmp(nsc_rtname_str(n, NSC_RT_TABLE, 254, b, sizeof(b)), "principal"),
	   "a file overrides a built-in name");
	ok(nsc_rtname_parse(n, NSC_RT_TABLE, "main", &id, &e) == 0 && id == 254,
	   "built-in name still parses");
	ok(nsc_rtnames_add_text(n, NSC_RT_PROTO, "300 big\n77 mine\n") == 0 &&
	   nsc_rtname_parse(n, NSC_RT_PROTO, "big", &id, &e) < 0 &&
	   nsc_rtname_parse(n, NSC_RT_PROTO, "mine", &id, &e) == 0 && id == 77,
	   "protocol names: 0..255 only");
	nsc_rtnames_free(n);
	ok(nsc_rtnames_load(&n, "/nonexistent", &e) == 0, "missing confdir is fine");
	nsc_rtnames_free(n);
}

/* ---- building netlink messages ---- */

static struct nlmsghdr *route_msg(char *buf, int type, int family, int dst_len,
				  uint32_t table, uint8_t proto, uint8_t scope, uint8_t rtype)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct rtmsg *rtm;

	nlh->nlmsg_type = (uint16_t)type;
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = (uint8_t)family;
	rtm->rtm_dst_len = (uint8_t)dst_len;
	rtm->rtm_table = table < 256 ? (uint8_t)table : RT_TABLE_UNSPEC;
	rtm->rtm_protocol = proto;
	rtm->rtm_scope = scope;
	rtm->rtm_type = rtype;
	mnl_attr_put_u32(nlh, RTA_TABLE, table);
	return nlh;
}

static void put_in(struct nlmsghdr *nlh, int type, const char *a)
{
	struct in_addr in;

	inet_pton(AF_INET, a, &in);
	mnl_attr_put(nlh, (uint16_t)type, 4, &in);
}

static void put_in6(struct nlmsghdr *nlh, int type, const char *a)
{
	struct in6_addr in;

	inet_pton(AF_INET6, a, &in);
	mnl_attr_put(nlh, (uint16_t)type, 16, &in);
}

static void route_parsing(void)
{
	char buf[1024], s[64];
	struct nlmsghdr *nlh;
	struct nsc_route r;
	struct nlattr *nest;
	struct rtnexthop *nh;

	nlh = route_msg(buf, RTM_NEWROUTE, AF_INET, 24, 254, RTPROT_BOOT, 0, RTN_UNICAST);
	put_in(nlh, RTA_DST, "198.51.100.0");
	put_in(nlh, RTA_GATEWAY, "192.0.2.2");
	mnl_attr_put_u32(nlh, RTA_OIF, 3);
	mnl_attr_put_u32(nlh, RTA_PRIORITY, 10);
	nest = mnl_attr_nest_start(nlh, RTA_METRICS);
	mnl_attr_put_u32(nlh, RTAX_MTU, 1400);
	mnl_attr_nest_end(nlh, nest);
	ok(nsc_route_parse(nlh, &r) == 0 && r.family == AF_INET && r.table == 254 &&
	   r.oif == 3 && r.has_metric && r.metric == 10 && r.dst.len == 24 &&
	   (r.metrics_mask & (1u << RTAX_MTU)) && r.metrics[RTAX_MTU] == 1400,
	   "IPv4 route with gateway, dev, metric and mtu");
	ok(!strcmp(nsc_route_addr_str(&r.dst, true, s, sizeof(s)), "198.51.100.0/24"),
	   "dst text %s", s);
	ok(!strcmp(nsc_route_addr_str(&r.gateway, false, s, sizeof(s)), "192.0.2.2"),
	   "gateway text %s", s);

	nlh = route_msg(buf, RTM_DELROUTE, AF_INET6, 0, 1000, RTPROT_STATIC, 0, RTN_UNICAST);
	put_in6(nlh, RTA_GATEWAY, "2001:db8::1");
	mnl_attr_put_u8(nlh, RTA_PREF, 0);
	ok(nsc_route_parse(nlh, &r) == 0 && r.msg_type == RTM_DELROUTE && r.table == 1000 &&
	   r.has_pref && r.dst.len == 0 &&
	   !strcmp(nsc_route_addr_str(&r.dst, true, s, sizeof(s)), "default"),
	   "IPv6 default route event, big table: %s", s);

	nlh = route_msg(buf, RTM_NEWROUTE, AF_INET, 15, 254, RTPROT_BOOT, 0, RTN_UNICAST);
	put_in(nlh, RTA_DST, "198.18.0.0");
	nest = mnl_attr_nest_start(nlh, RTA_MULTIPATH);
	for (int i = 0; i < 2; i++) {
		size_t off = nlh->nlmsg_len;

		nh = mnl_nlmsg_get_payload_tail(nlh);
		nlh->nlmsg_len += MNL_ALIGN(sizeof(*nh));
		memset(nh, 0, sizeof(*nh));
		nh->rtnh_ifindex = 4 + i;
		nh->rtnh_hops = (uint8_t)i;
		put_in(nlh, RTA_GATEWAY, i ? "192.0.2.6" : "192.0.2.5");
		nh->rtnh_len = (uint16_t)(nlh->nlmsg_len - off);
	}
	mnl_attr_nest_end(nlh, nest);
	ok(nsc_route_parse(nlh, &r) == 0 && r.nnh == 2 && r.nnh_total == 2 &&
	   r.nh[0].ifindex == 4 && r.nh[0].weight == 1 && r.nh[1].weight == 2 &&
	   r.nh[1].gateway.family == AF_INET &&
	   !strcmp(nsc_route_addr_str(&r.nh[1].gateway, false, s, sizeof(s)), "192.0.2.6"),
	   "multipath nexthops");

	nlh = route_msg(buf, RTM_NEWROUTE, AF_INET, 33, 254, 0, 0, RTN_UNICAST);
	ok(nsc_route_parse(nlh, &r) == -EINVAL, "dst_len 33 refused");
	nlh = route_msg(buf, RTM_NEWLINK, AF_INET, 24, 254, 0, 0, RTN_UNICAST);
	ok(nsc_route_parse(nlh, &r) == -EINVAL, "not a route");
	nlh = route_msg(buf, RTM_NEWROUTE, AF_INET, 24, 254, 0, 0, RTN_UNICAST);
	nlh->nlmsg_len = mnl_nlmsg_size(4);
	ok(nsc_route_parse(nlh, &r) == -EINVAL, "truncated header refused");
	nlh = route_msg(buf, RTM_NEWROUTE, AF_INET, 24, 254, 0, 0, RTN_UNICAST);
	mnl_attr_put(nlh, RTA_DST, 2, "ab");       /* short address: ignored */
	ok(nsc_route_parse(nlh, &r) == 0 && r.dst.addr[0] == 0, "short RTA_DST ignored");
}

static struct nsc_route mk(const char *dst, int len, uint32_t table, uint8_t proto,
			   uint8_t scope, uint8_t type)
{
	struct nsc_route r;

	memset(&r, 0, sizeof(r));
	r.family = strchr(dst, ':') ? AF_INET6 : AF_INET;
	r.dst.family = r.family;
	inet_pton(r.family, dst, r.dst.addr);
	r.dst.len = len;
	r.table = table;
	r.protocol = proto;
	r.scope = scope;
	r.type = type;
	return r;
}

static void selectors(void)
{
	struct nsc_route_filter f;
	struct nsc_route r = mk("198.51.100.0", 24, 254, RTPROT_BOOT, 0, RTN_UNICAST);
	struct nsc_route r6 = mk("2001:db8::", 64, 254, RTPROT_KERNEL, 0, RTN_UNICAST);
	struct nsc_route loc = mk("192.0.2.1", 32, 255, RTPROT_KERNEL, RT_SCOPE_HOST, RTN_LOCAL);
	struct nsc_error e;

	nsc_route_filter_init(&f);
	ok(nsc_route_match(&f, &r) && nsc_route_match(&f, &r6) && !nsc_route_match(&f, &loc),
	   "default: table main, both families");
	f.all_tables = true;
	ok(nsc_route_match(&f, &loc), "table all");
	f.family = AF_INET6;
	ok(!nsc_route_match(&f, &r) && nsc_route_match(&f, &r6), "family");
	nsc_route_filter_init(&f);
	f.protocol = RTPROT_KERNEL;
	ok(!nsc_route_match(&f, &r) && nsc_route_match(&f, &r6), "protocol");
	nsc_route_filter_init(&f);
	f.all_tables = true;
	f.types = 1u << RTN_LOCAL;
	ok(!nsc_route_match(&f, &r) && nsc_route_match(&f, &loc), "type");
	f.types = 0;
	f.scope = RT_SCOPE_HOST;
	ok(!nsc_route_match(&f, &r) && nsc_route_match(&f, &loc), "scope");

	nsc_route_filter_init(&f);
	nsc_parse_prefix("198.51.0.0/16", AF_UNSPEC, NSC_PREFIX_ALLOW_LEN, &f.root, &e);
	ok(nsc_route_match(&f, &r) && !nsc_route_match(&f, &r6), "root /16 holds the /24");
	nsc_parse_prefix("198.51.100.128/25", AF_UNSPEC, NSC_PREFIX_ALLOW_LEN, &f.root, &e);
	ok(!nsc_route_match(&f, &r), "root /25 does not hold the /24");
	nsc_route_filter_init(&f);
	nsc_parse_prefix("198.51.100.7", AF_UNSPEC, 0, &f.match, &e);
	ok(nsc_route_match(&f, &r), "match: the /24 covers an address in it");
	nsc_parse_prefix("198.51.101.7", AF_UNSPEC, 0, &f.match, &e);
	ok(!nsc_route_match(&f, &r), "match: not another address");
	nsc_route_filter_init(&f);
	nsc_parse_prefix("198.51.100.0/24", AF_UNSPEC, NSC_PREFIX_ALLOW_LEN, &f.match, &e);
	f.root = f.match;
	ok(nsc_route_match(&f, &r), "exact");
	f.root.len = f.match.len = 23;
	ok(!nsc_route_match(&f, &r), "exact: not a /23");

	nsc_route_filter_init(&f);
	nsc_parse_prefix("192.0.2.2", AF_UNSPEC, 0, &f.via, &e);
	r.gateway.family = AF_INET;
	inet_pton(AF_INET, "192.0.2.2", r.gateway.addr);
	ok(nsc_route_match(&f, &r), "via");
	inet_pton(AF_INET, "192.0.2.3", r.gateway.addr);
	ok(!nsc_route_match(&f, &r), "via: another gateway");
	nsc_route_filter_init(&f);
	f.oif = 7;
	r.nnh = 1;
	r.nh[0].ifindex = 7;
	ok(nsc_route_match(&f, &r), "dev: a nexthop's device counts");
	nsc_route_filter_init(&f);
	r.flags = RTM_F_CLONED;
	ok(!nsc_route_match(&f, &r), "cache clones never match");
}

static void requests(void)
{
	struct nsc_route_req q;
	struct nsc_error e;

	nsc_route_req_init(&q);
	nsc_parse_prefix("default", AF_UNSPEC, NSC_PREFIX_DEFAULT, &q.dst, &e);
	nsc_parse_prefix("2001:db8::1", AF_UNSPEC, 0, &q.gateway, &e);
	ok(nsc_route_req_check(&q, &e) == 0 && q.family == AF_INET6 && q.dst.family == AF_INET6 &&
	   q.dst.len == 0, "default via an IPv6 gateway is IPv6");

	nsc_route_req_init(&q);
	nsc_parse_prefix("default", AF_UNSPEC, NSC_PREFIX_DEFAULT, &q.dst, &e);
	ok(nsc_route_req_check(&q, &e) == 0 && q.family == AF_INET, "bare default is IPv4");

	nsc_route_req_init(&q);
	nsc_parse_prefix("198.51.100.7", AF_UNSPEC, NSC_PREFIX_ALLOW_LEN, &q.dst, &e);
	ok(nsc_route_req_check(&q, &e) == 0 && q.dst.len == 32, "no length: a host route");

	nsc_route_req_init(&q);
	nsc_parse_prefix("198.51.100.0/24", AF_UNSPEC, NSC_PREFIX_ALLOW_LEN, &q.dst, &e);
	nsc_parse_prefix("2001:db8::1", AF_UNSPEC, 0, &q.gateway, &e);
	ok(nsc_route_req_check(&q, &e) < 0 && e.usage && strstr(e.msg, "not IPv4"),
	   "family mismatch: %s", e.msg);

	nsc_route_req_init(&q);
	q.family = AF_INET6;
	nsc_parse_prefix("198.51.100.0/24", AF_UNSPEC, NSC_PREFIX_ALLOW_LEN, &q.dst, &e);
	ok(nsc_route_req_check(&q, &e) < 0 && e.usage, "-6 with an IPv4 prefix: %s", e.msg);

	nsc_route_req_init(&q);
	nsc_parse_prefix("198.51.100.9/24", AF_UNSPEC, NSC_PREFIX_ALLOW_LEN, &q.dst, &e);
	ok(nsc_route_req_check(&q, &e) < 0 && strstr(e.msg, "198.51.100.0/24"),
	   "host bits set: %s", e.msg);
	nsc_route_req_init(&q);
	nsc_parse_prefix("2001:db8::1/64", AF_UNSPEC, NSC_PREFIX_ALLOW_LEN, &q.dst, &e);
	ok(nsc_route_req_check(&q, &e) < 0 && strstr(e.msg, "2001:db8::/64"),
	   "IPv6 host bits set: %s", e.msg);
	nsc_route_req_init(&q);
	nsc_parse_prefix("198.51.100.128/25", AF_UNSPEC, NSC_PREFIX_ALLOW_LEN, &q.dst, &e);
	ok(nsc_route_req_check(&q, &e) == 0, "/25 on its boundary");

	nsc_route_req_init(&q);
	ok(nsc_route_req_check(&q, &e) < 0 && strstr(e.msg, "missing"), "no destination");

	nsc_route_req_init(&q);
	nsc_parse_prefix("198.51.100.0/24", AF_UNSPEC, NSC_PREFIX_ALLOW_LEN, &q.dst, &e);
	nsc_parse_prefix("0.0.0.0", AF_UNSPEC, 0, &q.gateway, &e);
	ok(nsc_route_req_check(&q, &e) < 0, "gateway 0.0.0.0 refused");

	nsc_route_req_init(&q);
	nsc_parse_prefix("198.51.100.0/24", AF_UNSPEC, NSC_PREFIX_ALLOW_LEN, &q.dst, &e);
	q.dev = "eth0";
	q.nnh = 2;
	ok(nsc_route_req_check(&q, &e) < 0, "dev outside the nexthops of a multipath route");
}

static void neighbours(void)
{
	char buf[512], s[64];
	struct nsc_neigh_filter f;
	struct nlmsghdr *nlh;
	struct nsc_error e;
	struct nsc_neigh n;
	struct ndmsg *ndm;
	uint16_t st;
	static const uint8_t mac[6] = { 2, 0, 0, 0, 0, 7 };

	ok(nsc_nud_parse("permanent", &st, &e) == 0 && st == NUD_PERMANENT, "nud permanent");
	ok(nsc_nud_parse("STALE", &st, &e) == 0 && st == NUD_STALE, "nud STALE");
	ok(nsc_nud_parse("none", &st, &e) == 0 && st == NUD_NONE, "nud none");
	ok(nsc_nud_parse("perm", &st, &e) < 0 && e.usage, "no prefix matching: %s", e.msg);
	ok(!strcmp(nsc_nud_name(NUD_REACHABLE), "REACHABLE") && !nsc_nud_name(0x300),
	   "state names");
	ok(!strcmp(nsc_lladdr_str(mac, 6, s, sizeof(s)), "02:00:00:00:00:07"), "lladdr text");

	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_NEWNEIGH;
	ndm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ndm));
	ndm->ndm_family = AF_INET;
	ndm->ndm_ifindex = 3;
	ndm->ndm_state = NUD_REACHABLE;
	ndm->ndm_flags = NTF_ROUTER;
	put_in(nlh, NDA_DST, "192.0.2.7");
	mnl_attr_put(nlh, NDA_LLADDR, 6, mac);
	ok(nsc_neigh_parse(nlh, &n) == 0 && n.family == AF_INET && n.ifindex == 3 &&
	   n.state == NUD_REACHABLE && (n.flags & NTF_ROUTER) && n.lladdr_len == 6 &&
	   !memcmp(n.lladdr, mac, 6) &&
	   !strcmp(nsc_route_addr_str(&n.dst, false, s, sizeof(s)), "192.0.2.7"),
	   "neighbour parsed");
	nlh->nlmsg_type = RTM_NEWROUTE;
	ok(nsc_neigh_parse(nlh, &n) == -EINVAL, "not a neighbour");
	nlh->nlmsg_type = RTM_NEWNEIGH;

	nsc_neigh_parse(nlh, &n);
	nsc_neigh_filter_init(&f, false);
	ok(nsc_neigh_match(&f, &n), "show: reachable");
	n.state = NUD_NOARP;
	ok(!nsc_neigh_match(&f, &n), "show: noarp hidden");
	n.state = NUD_PERMANENT;
	ok(nsc_neigh_match(&f, &n), "show: permanent");
	n.state = NUD_NONE;
	ok(!nsc_neigh_match(&f, &n), "show: none hidden");
	f.states = NSC_NUD_FILTER_NONE;
	ok(nsc_neigh_match(&f, &n), "nud none shows it");
	nsc_neigh_filter_init(&f, true);
	n.state = NUD_PERMANENT;
	ok(!nsc_neigh_match(&f, &n), "flush: permanent kept");
	n.state = NUD_STALE;
	ok(nsc_neigh_match(&f, &n), "flush: stale goes");
	f.ifindex = 4;
	ok(!nsc_neigh_match(&f, &n), "dev");
	f.ifindex = 0;
	nsc_parse_prefix("192.0.2.0/29", AF_UNSPEC, NSC_PREFIX_ALLOW_LEN, &f.to, &e);
	ok(nsc_neigh_match(&f, &n), "to: inside");
	nsc_parse_prefix("192.0.2.8/29", AF_UNSPEC, NSC_PREFIX_ALLOW_LEN, &f.to, &e);
	ok(!nsc_neigh_match(&f, &n), "to: outside");
	memset(&f.to, 0, sizeof(f.to));
	f.proxy = true;
	ok(!nsc_neigh_match(&f, &n), "proxy: only proxy entries");
	n.flags = NTF_PROXY;
	n.state = 0;
	ok(nsc_neigh_match(&f, &n), "proxy entry, whatever its state");
}

int main(void)
{
	names();
	route_parsing();
	selectors();
	requests();
	neighbours();
	return tap_done();
}
