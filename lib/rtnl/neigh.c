// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Neighbours, the pure half: one netlink message into a struct nsc_neigh,
 * NUD state names, and the show/flush selectors. Reused by monitor for
 * neighbour events; unit-tested.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <libmnl/libmnl.h>

#include <netnsctl/neigh.h>
#include "rtnl/rtmsg.h"

static const struct {
	uint16_t bit;
	const char *name;
} nud_names[] = {
	/* the order ip prints them in */
	{ NUD_INCOMPLETE, "INCOMPLETE" },
	{ NUD_REACHABLE, "REACHABLE" },
	{ NUD_STALE, "STALE" },
	{ NUD_DELAY, "DELAY" },
	{ NUD_PROBE, "PROBE" },
	{ NUD_FAILED, "FAILED" },
	{ NUD_NOARP, "NOARP" },
	{ NUD_PERMANENT, "PERMANENT" },
};

const char *nsc_nud_name(uint16_t bit)
{
	for (size_t i = 0; i < sizeof(nud_names) / sizeof(nud_names[0]); i++)
		if (nud_names[i].bit == bit)
			return nud_names[i].name;
	return NULL;
}

int nsc_nud_parse(const char *s, uint16_t *state, struct nsc_error *e)
{
	if (!s || !*s)
		return nsc_usage(e, "missing neighbour state");
	if (!strcasecmp(s, "none")) {
		*state = NUD_NONE;
		return 0;
	}
	for (size_t i = 0; i < sizeof(nud_names) / sizeof(nud_names[0]); i++)
		if (!strcasecmp(s, nud_names[i].name)) {
			*state = nud_names[i].bit;
			return 0;
		}
	for (const char *p = s; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return nsc_usage(e, "invalid neighbour state");
	return nsc_usage(e, "invalid neighbour state \"%.32s\" (permanent, reachable, stale, "
			 "noarp, delay, probe, failed, incomplete, none)", s);
}

const char *nsc_lladdr_str(const uint8_t *a, int len, char *buf, size_t size)
{
	size_t off = 0;

	buf[0] = '\0';
	for (int i = 0; i < len && off + 3 < size; i++)
		off += (size_t)snprintf(buf + off, size - off, "%s%02x", i ? ":" : "", a[i]);
	return buf;
}

int nsc_neigh_parse(const struct nlmsghdr *nlh, struct nsc_neigh *n)
{
	const struct nlattr *tb[NDA_MAX + 1];
	const struct ndmsg *ndm;

	memset(n, 0, sizeof(*n));
	ndm = nsc_rtmsg_parse(nlh, RTM_NEWNEIGH, RTM_DELNEIGH, sizeof(*ndm), tb, NDA_MAX);
	if (!ndm)
		return -EINVAL;
	n->msg_type = nlh->nlmsg_type;
	n->family = ndm->ndm_family;
	n->ifindex = ndm->ndm_ifindex;
	n->state = ndm->ndm_state;
	n->flags = ndm->ndm_flags;
	n->type = ndm->ndm_type;
	if (tb[NDA_DST] && (n->family == AF_INET || n->family == AF_INET6)) {
		size_t len = n->family == AF_INET6 ? 16 : 4;

		if (mnl_attr_get_payload_len(tb[NDA_DST]) >= len) {
			n->dst.family = n->family;
			memcpy(n->dst.addr, mnl_attr_get_payload(tb[NDA_DST]), len);
			n->dst.len = (int)len * 8;
		}
	}
	if (tb[NDA_LLADDR]) {
		uint16_t len = mnl_attr_get_payload_len(tb[NDA_LLADDR]);

		if (len > NSC_LLADDR_MAX)
			len = NSC_LLADDR_MAX;
		memcpy(n->lladdr, mnl_attr_get_payload(tb[NDA_LLADDR]), len);
		n->lladdr_len = len;
	}
	if (tb[NDA_CACHEINFO] &&
	    mnl_attr_get_payload_len(tb[NDA_CACHEINFO]) >= sizeof(struct nda_cacheinfo)) {
		struct nda_cacheinfo ci;
		long hz = sysconf(_SC_CLK_TCK);

		if (hz <= 0)
			hz = 100;
		memcpy(&ci, mnl_attr_get_payload(tb[NDA_CACHEINFO]), sizeof(ci));
		n->has_cacheinfo = true;
		n->used = ci.ndm_used / (uint32_t)hz;
		n->confirmed = ci.ndm_confirmed / (uint32_t)hz;
		n->updated = ci.ndm_updated / (uint32_t)hz;
		n->refcnt = ci.ndm_refcnt;
	}
	if (tb[NDA_PROBES] && mnl_attr_validate((struct nlattr *)tb[NDA_PROBES],
						  MNL_TYPE_U32) == 0) {
		n->has_probes = true;
		n->probes = mnl_attr_get_u32(tb[NDA_PROBES]);
	}
	return 0;
}

void nsc_neigh_filter_init(struct nsc_neigh_filter *f, bool flush)
{
	memset(f, 0, sizeof(*f));
	f->family = AF_UNSPEC;
	if (flush)
		f->states = 0xff & ~(NUD_NOARP | NUD_PERMANENT);
	else
		f->states = 0xff & ~NUD_NOARP;
}

static bool prefix_eq(const uint8_t *a, const uint8_t *b, int bits)
{
	int bytes = bits / 8, rest = bits % 8;

	if (memcmp(a, b, (size_t)bytes))
		return false;
	if (rest)
		return ((a[bytes] ^ b[bytes]) & (uint8_t)(0xff << (8 - rest))) == 0;
	return true;
}

bool nsc_neigh_match(const struct nsc_neigh_filter *f, const struct nsc_neigh *n)
{
	if (n->family != AF_INET && n->family != AF_INET6)
		return false;
	if (f->family != AF_UNSPEC && n->family != f->family)
		return false;
	if (f->ifindex && n->ifindex != f->ifindex)
		return false;
	if (f->proxy != !!(n->flags & NTF_PROXY))
		return false;
	/* as ip: proxy and externally learned entries pass any state filter */
	if (!(n->flags & (NTF_PROXY | NTF_EXT_LEARNED))) {
		if (n->state ? !(f->states & n->state) : !(f->states & NSC_NUD_FILTER_NONE))
			return false;
	}
	if (f->to.family) {
		int bits = f->to.len < 0 ? (f->to.family == AF_INET6 ? 128 : 32) : f->to.len;

		if (n->dst.family != f->to.family || !prefix_eq(n->dst.addr, f->to.addr, bits))
			return false;
	}
	return true;
}
