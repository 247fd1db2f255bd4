// SPDX-License-Identifier: GPL-2.0-or-later
/* Addresses as ip prints them (iproute2 6.1), in text and JSON (print_link.h). */
#include <arpa/inet.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>

#include "print_link.h"

static const char *scope_name(uint8_t s, char *buf, size_t size)
{
	switch (s) {
	case RT_SCOPE_UNIVERSE: return "global";
	case RT_SCOPE_SITE: return "site";
	case RT_SCOPE_LINK: return "link";
	case RT_SCOPE_HOST: return "host";
	case RT_SCOPE_NOWHERE: return "nowhere";
	}
	snprintf(buf, size, "%u", s);
	return buf;
}

static const struct { uint32_t flag; const char *name; } addr_flags[] = {
	{ IFA_F_SECONDARY, "secondary" }, { IFA_F_NODAD, "nodad" },
	{ IFA_F_OPTIMISTIC, "optimistic" }, { IFA_F_DADFAILED, "dadfailed" },
	{ IFA_F_HOMEADDRESS, "home" }, { IFA_F_DEPRECATED, "deprecated" },
	{ IFA_F_TENTATIVE, "tentative" }, { IFA_F_PERMANENT, "permanent" },
	{ IFA_F_MANAGETEMPADDR, "mngtmpaddr" }, { IFA_F_NOPREFIXROUTE, "noprefixroute" },
	{ IFA_F_MCAUTOJOIN, "autojoin" }, { IFA_F_STABLE_PRIVACY, "stable-privacy" },
};

static const char *ip_str(const struct nsc_addr *a, const uint8_t *v, char *buf, size_t size)
{
	return inet_ntop(a->family, v, buf, (socklen_t)size);
}

static bool has_peer(const struct nsc_addr *a)
{
	return a->has_address && memcmp(a->address, a->local, a->family == AF_INET6 ? 16 : 4);
}

/* "local", "address" (a peer's), "prefixlen"; in text "LOCAL[ peer ADDR]/LEN " */
static void local_json(struct json *j, const struct nsc_addr *a)
{
	char b[INET6_ADDRSTRLEN];

	json_kv_str(j, "local", ip_str(a, a->local, b, sizeof(b)));
	if (has_peer(a))
		json_kv_str(j, "address", ip_str(a, a->address, b, sizeof(b)));
	json_kv_int(j, "prefixlen", a->prefixlen);
}

static void local_text(const struct nsc_addr *a)
{
	char b[INET6_ADDRSTRLEN];

	fputs(ip_str(a, a->local, b, sizeof(b)), stdout);
	if (has_peer(a))
		printf(" peer %s", ip_str(a, a->address, b, sizeof(b)));
	printf("/%d ", a->prefixlen);
}

#define MAX_ADDR_FLAGS 16

/*
 * ip's words for an address's flags, in its order: "dynamic" when it is
 * not permanent, "temporary" for an IPv6 secondary; *rest: the bits it has
 * no word for.
 */
static size_t addr_flag_names(const struct nsc_addr *a, const char *out[MAX_ADDR_FLAGS],
			      uint32_t *rest)
{
	uint32_t flags = a->flags;
	size_t n = 0;

	for (size_t i = 0; i < sizeof(addr_flags) / sizeof(addr_flags[0]); i++) {
		uint32_t f = addr_flags[i].flag;

		if (f == IFA_F_PERMANENT) {
			if (!(flags & f))
				out[n++] = "dynamic";
		} else if (flags & f) {
			out[n++] = f == IFA_F_SECONDARY && a->family == AF_INET6 ?
				   "temporary" : addr_flags[i].name;
		}
		flags &= ~f;
	}
	*rest = flags;
	return n;
}

static void addr_json(struct cli *c, const struct nsc_addr *a)
{
	const char *names[MAX_ADDR_FLAGS];
	struct json *j = c->js;
	char b[INET6_ADDRSTRLEN];
	uint32_t flags;
	size_t nf = addr_flag_names(a, names, &flags);

	json_kv_str(j, "family", a->family == AF_INET6 ? "inet6" : "inet");
	if (a->has_local)
		local_json(j, a);
	if (a->has_broadcast)
		json_kv_str(j, "broadcast", ip_str(a, a->broadcast, b, sizeof(b)));
	if (a->has_anycast)
		json_kv_str(j, "anycast", ip_str(a, a->anycast, b, sizeof(b)));
	json_kv_str(j, "scope", scope_name(a->scope, b, sizeof(b)));
	for (size_t i = 0; i < nf; i++)
		json_kv_bool(j, names[i], true);
	if (flags) {
		snprintf(b, sizeof(b), "%02x", flags);
		json_kv_str(j, "ifa_flags", b);
	}
	if (a->label[0])
		json_kv_str(j, "label", a->label);
	if (a->has_cacheinfo) {
		json_kv_uint(j, "valid_life_time", a->valid_lft);
		if (a->preferred_lft != NSC_LIFETIME_FOREVER && (a->flags & IFA_F_DEPRECATED))
			json_kv_int(j, "preferred_life_time", (int32_t)a->preferred_lft);
		else
			json_kv_uint(j, "preferred_life_time", a->preferred_lft);
	}
}

static void lft(uint32_t v, bool sign)
{
	if (v == NSC_LIFETIME_FOREVER)
		fputs("forever", stdout);
	else if (sign)
		printf("%dsec", (int32_t)v);
	else
		printf("%" PRIu32 "sec", v);
}

static void addr_text(const struct nsc_addr *a)
{
	const char *names[MAX_ADDR_FLAGS];
	char b[INET6_ADDRSTRLEN];
	uint32_t flags;
	size_t nf = addr_flag_names(a, names, &flags);

	printf("    %s ", a->family == AF_INET6 ? "inet6" : "inet");
	if (a->has_local)
		local_text(a);
	if (a->has_broadcast)
		printf("brd %s ", ip_str(a, a->broadcast, b, sizeof(b)));
	if (a->has_anycast)
		printf("any %s ", ip_str(a, a->anycast, b, sizeof(b)));
	printf("scope %s ", scope_name(a->scope, b, sizeof(b)));
	for (size_t i = 0; i < nf; i++)
		printf("%s ", names[i]);
	if (flags)
		printf("flags %02x ", flags);
	if (a->label[0])
		fputs(a->label, stdout);
	if (a->has_cacheinfo) {
		fputs("\n       valid_lft ", stdout);
		lft(a->valid_lft, false);
		fputs(" preferred_lft ", stdout);
		lft(a->preferred_lft, a->flags & IFA_F_DEPRECATED);
	}
	putchar('\n');
}

void print_addr(struct cli *c, const struct nsc_addr *a)
{
	if (c->json) {
		json_obj_open(c->js);
		addr_json(c, a);
		json_obj_close(c->js);
	} else {
		addr_text(a);
	}
}

void print_addr_brief(struct cli *c, const struct nsc_addr *a)
{
	if (c->json) {
		json_obj_open(c->js);
		local_json(c->js, a);
		json_obj_close(c->js);
	} else {
		local_text(a);
	}
}
