// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * IPv4/IPv6 addresses: dumps parsed with libmnl (one message, no I/O, for a
 * monitor too), add/del requests built as libnl-route-3 rtnl_addr objects and
 * sent over the namespace's own socket.
 */
#include <errno.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <netlink/addr.h>
#include <netlink/route/addr.h>

#include <netnsctl/addr.h>
#include <netnsctl/link.h>
#include <netnsctl/ifindex.h>
#include "base/util.h"
#include "core/core.h"
#include "rtnl/rtmsg.h"
#include "rtnl/rtnl.h"

static bool get_ip(const struct nlattr *a, size_t len, uint8_t *out)
{
	if (!a || mnl_attr_get_payload_len(a) < len)
		return false;
	memcpy(out, mnl_attr_get_payload(a), len);
	return true;
}

int nsc_addr_parse(const struct nlmsghdr *nlh, struct nsc_addr *a)
{
	const struct nlattr *tb[IFA_MAX + 1];
	const struct ifaddrmsg *ifa;
	size_t len;

	memset(a, 0, sizeof(*a));
	ifa = nsc_rtmsg_parse(nlh, RTM_NEWADDR, RTM_DELADDR, sizeof(*ifa), tb, IFA_MAX);
	if (!ifa || (ifa->ifa_family != AF_INET && ifa->ifa_family != AF_INET6))
		return -EINVAL;
	len = ifa->ifa_family == AF_INET6 ? 16 : 4;

	a->deleted = nlh->nlmsg_type == RTM_DELADDR;
	a->family = ifa->ifa_family;
	a->ifindex = (int)ifa->ifa_index;
	a->prefixlen = ifa->ifa_prefixlen;
	a->scope = ifa->ifa_scope;
	a->flags = ifa->ifa_flags;
	if (tb[IFA_FLAGS] && mnl_attr_validate(tb[IFA_FLAGS], MNL_TYPE_U32) == 0)
		a->flags = mnl_attr_get_u32(tb[IFA_FLAGS]);
	a->has_local = get_ip(tb[IFA_LOCAL], len, a->local);
	a->has_address = get_ip(tb[IFA_ADDRESS], len, a->address);
	/* IPv6 sends only IFA_ADDRESS; point-to-point sends both, differing */
	if (!a->has_local && a->has_address) {
		memcpy(a->local, a->address, len);
		a->has_local = true;
	} else if (a->has_local && !a->has_address) {
		memcpy(a->address, a->local, len);
		a->has_address = true;
	}
	a->has_broadcast = get_ip(tb[IFA_BROADCAST], len, a->broadcast);
	a->has_anycast = get_ip(tb[IFA_ANYCAST], len, a->anycast);
	if (tb[IFA_LABEL])
		nsc_attr_str(tb[IFA_LABEL], a->label, sizeof(a->label));
	if (tb[IFA_CACHEINFO] &&
	    mnl_attr_get_payload_len(tb[IFA_CACHEINFO]) >= sizeof(struct ifa_cacheinfo)) {
		const struct ifa_cacheinfo *ci = mnl_attr_get_payload(tb[IFA_CACHEINFO]);

		a->has_cacheinfo = true;
		a->valid_lft = ci->ifa_valid;
		a->preferred_lft = ci->ifa_prefered;
	}
	return 0;
}

struct fetch {
	struct nsc_addr *v;
	size_t n, cap;
	int ifindex;
	struct nsc_error *e;
};

static int fetch_cb(const struct nlmsghdr *nlh, void *data)
{
	struct fetch *f = data;
	struct nsc_addr a;

	if (nsc_addr_parse(nlh, &a) < 0 || (f->ifindex && a.ifindex != f->ifindex))
		return MNL_CB_OK;
	if (NSC_GROW(f->v, f->cap, f->n + 1) < 0) {
		nsc_err(f->e, ENOMEM, "addresses");
		return MNL_CB_ERROR;
	}
	f->v[f->n++] = a;
	return MNL_CB_OK;
}

static int fetch(struct nsc_sock *s, int family, int ifindex, struct nsc_addr **out,
		 size_t *n, struct nsc_error *e)
{
	struct fetch f = { .ifindex = ifindex, .e = e };
	int ret;

	/* the kernel dumps one family or all */
	ret = nsc_dump(s, RTM_GETADDR, (uint8_t)family, sizeof(struct ifaddrmsg), fetch_cb, &f, e);
	if (ret < 0) {
		free(f.v);
		return nsc_err_prefix(e, "dump addresses");
	}
	*out = f.v;
	*n = f.n;
	return 0;
}

int nsc_addr_list(struct nsc_ctx *ctx, const char *netns, int family, int ifindex,
		  struct nsc_addr **out, size_t *n, struct nsc_error *e)
{
	struct nsc_sock *s;
	int ret;

	*out = NULL;
	*n = 0;
	if ((ret = nsc_sock_get(ctx, netns, &s, e)) < 0)
		return ret;
	return fetch(s, family, ifindex, out, n, e);
}

static int alen(int family)
{
	return family == AF_INET6 ? 16 : 4;
}

/* The broadcast of "broadcast +/-": ip sets one only for prefixes up to /30. */
static bool brd_compute(const struct nsc_addr_req *r, int plen, uint8_t out[4])
{
	uint32_t a, mask;

	if (r->local.family != AF_INET || plen > 30)
		return false;
	memcpy(&a, r->local.addr, 4);
	mask = plen ? htonl(~0u << (32 - plen)) : 0;
	a = r->brd == NSC_BRD_PLUS ? (a | ~mask) : (a & mask);
	memcpy(out, &a, 4);
	return true;
}

/* The broadcast an add asks for, if any (NULL: none, or no memory). */
static struct nl_addr *brd_addr(const struct nsc_addr_req *r, int plen)
{
	uint8_t b[4];

	if (r->brd == NSC_BRD_ADDR)
		return nl_addr_build(AF_INET, r->broadcast.addr, 4);
	if ((r->brd == NSC_BRD_PLUS || r->brd == NSC_BRD_MINUS) && brd_compute(r, plen, b))
		return nl_addr_build(AF_INET, b, 4);
	return NULL;
}

/*
 * Fill a for local/plen on ifindex; with full set (add), the broadcast,
 * label, scope, flags and lifetimes too. 0 or -errno.
 */
static int build(struct rtnl_addr *a, const struct nsc_addr_req *r, int ifindex, int plen,
		 bool full)
{
	struct nl_addr *local, *brd = NULL;
	int ret = -ENOMEM;

	local = nl_addr_build(r->local.family, r->local.addr, (size_t)alen(r->local.family));
	if (!local)
		goto cleanup;
	nl_addr_set_prefixlen(local, plen);
	rtnl_addr_set_ifindex(a, ifindex);
	rtnl_addr_set_family(a, r->local.family);
	ret = -EINVAL;
	if (rtnl_addr_set_local(a, local) < 0)
		goto cleanup;
	/* libnl takes a length of 0 for none and will not build the request:
	 * ask for 1, and build_msg() puts the real length in */
	rtnl_addr_set_prefixlen(a, plen ? plen : 1);
	if (r->label && rtnl_addr_set_label(a, r->label) < 0)
		goto cleanup;
	if (full) {
		brd = brd_addr(r, plen);
		if (brd && rtnl_addr_set_broadcast(a, brd) < 0)
			goto cleanup;
		if (r->scope >= 0)
			rtnl_addr_set_scope(a, r->scope);
		if (r->flags)
			rtnl_addr_set_flags(a, r->flags);
		if (r->has_lft) {
			rtnl_addr_set_valid_lifetime(a, r->valid_lft);
			rtnl_addr_set_preferred_lifetime(a, r->preferred_lft);
		}
	}
	ret = 0;
cleanup:
	if (local)
		nl_addr_put(local);
	if (brd)
		nl_addr_put(brd);
	return ret;
}

/* The add or delete request for a, of prefix length plen: 0 or -ENOMEM. */
static int build_msg(struct rtnl_addr *a, int plen, bool add, struct nl_msg **msg)
{
	int ret = add ? rtnl_addr_build_add_request(a, NLM_F_CREATE | NLM_F_EXCL, msg)
		      : rtnl_addr_build_delete_request(a, 0, msg);
	struct ifaddrmsg *ifa;

	if (ret < 0)
		return -ENOMEM;
	ifa = nlmsg_data(nlmsg_hdr(*msg));
	ifa->ifa_prefixlen = (uint8_t)plen;
	return 0;
}

static int send_addr(struct nsc_ctx *ctx, const char *netns, const struct nsc_addr_req *r,
		     int ifindex, int plen, bool add, struct nsc_error *e)
{
	struct rtnl_addr *a = rtnl_addr_alloc();
	struct nl_msg *msg = NULL;
	int ret;

	if (!a)
		return nsc_err(e, ENOMEM, "build request");
	if ((ret = build(a, r, ifindex, plen, add)) < 0 || (ret = build_msg(a, plen, add, &msg)) < 0)
		ret = nsc_err(e, ret, "build request");
	else
		ret = nsc_talk_nlmsg_in(ctx, netns, msg, e);
	rtnl_addr_put(a);
	return ret;
}

static int check_req(const struct nsc_addr_req *r, struct nsc_error *e)
{
	int ret;

	if ((ret = nsc_ifname_check(r->dev, e)) < 0)
		return ret;
	if (r->local.family != AF_INET && r->local.family != AF_INET6)
		return nsc_usage(e, "missing address");
	if (r->label && strlen(r->label) >= 16)
		return nsc_usage(e, "label \"%s\" is longer than 15 bytes", r->label);
	return 0;
}

int nsc_addr_add(struct nsc_ctx *ctx, const char *netns,
		 const struct nsc_addr_req *r, struct nsc_error *e)
{
	char p[INET6_ADDRSTRLEN + 16];
	int ifindex, plen, ret, ret2;
	bool cached;

	if ((ret = check_req(r, e)) < 0)
		return ret;
	plen = r->local.len >= 0 ? r->local.len : nsc_prefix_bits(&r->local);
	nsc_prefix_str(&r->local, plen, p, sizeof(p));
	if ((ret = nsc_ifindex_cached(ctx, netns, r->dev, &ifindex, &cached, e)) < 0)
		return nsc_err_prefix(e, "addr add \"%s\" dev \"%s\"", p, r->dev);
	ret = send_addr(ctx, netns, r, ifindex, plen, true, e);
	/* a stale index refused: the index now, and again (as if asked first) */
	if (ret < 0 && cached && (ret2 = nsc_ifindex_recheck(ctx, netns, r->dev, &ifindex, e)) != 0)
		ret = ret2 < 0 ? ret2 : send_addr(ctx, netns, r, ifindex, plen, true, e);
	if (ret < 0)
		return nsc_err_prefix(e, "addr add \"%s\" dev \"%s\"", p, r->dev);
	return 0;
}

int nsc_addr_del(struct nsc_ctx *ctx, const char *netns,
		 const struct nsc_addr_req *r, struct nsc_error *e)
{
	char p[INET6_ADDRSTRLEN + 16];
	int ifindex, plen = r->local.len, ret;

	if ((ret = check_req(r, e)) < 0)
		return ret;
	nsc_prefix_str(&r->local, plen, p, sizeof(p));
	if ((ret = nsc_ifindex(ctx, netns, r->dev, &ifindex, e)) < 0)
		return nsc_err_prefix(e, "addr del \"%s\" dev \"%s\"", p, r->dev);
	if (plen < 0) {
		/* no length given: the address with that local, whatever its length */
		struct nsc_addr *v;
		size_t n;

		if ((ret = nsc_addr_list(ctx, netns, r->local.family, ifindex, &v, &n, e)) < 0)
			return nsc_err_prefix(e, "addr del \"%s\" dev \"%s\"", p, r->dev);
		for (size_t i = 0; i < n && plen < 0; i++)
			if (!memcmp(v[i].local, r->local.addr, (size_t)alen(r->local.family)))
				plen = v[i].prefixlen;
		free(v);
		if (plen < 0)
			return nsc_err(e, EADDRNOTAVAIL, "addr del \"%s\" dev \"%s\"", p, r->dev);
	}
	if ((ret = send_addr(ctx, netns, r, ifindex, plen, false, e)) < 0)
		return nsc_err_prefix(e, "addr del \"%s\" dev \"%s\"", p, r->dev);
	return 0;
}

int nsc_addr_flush(struct nsc_ctx *ctx, const char *netns, const char *dev,
		   int family, unsigned *count, struct nsc_error *e)
{
	struct nsc_addr *v;
	size_t n;
	int ifindex, ret;

	*count = 0;
	if ((ret = nsc_ifname_check(dev, e)) < 0)
		return ret;
	if ((ret = nsc_ifindex(ctx, netns, dev, &ifindex, e)) < 0 ||
	    (ret = nsc_addr_list(ctx, netns, family, ifindex, &v, &n, e)) < 0)
		return nsc_err_prefix(e, "addr flush dev \"%s\"", dev);
	for (size_t i = 0; i < n; i++) {
		struct nsc_addr_req r = { .dev = dev, .scope = -1 };
		char p[INET6_ADDRSTRLEN + 16];

		r.local.family = v[i].family;
		memcpy(r.local.addr, v[i].local, sizeof(r.local.addr));
		ret = send_addr(ctx, netns, &r, ifindex, v[i].prefixlen, false, e);
		/* deleting a primary IPv4 address takes its secondaries with it */
		if (ret == -EADDRNOTAVAIL)
			continue;
		if (ret < 0) {
			nsc_prefix_str(&r.local, v[i].prefixlen, p, sizeof(p));
			ret = nsc_err_prefix(e, "addr flush dev \"%s\": \"%s\"", dev, p);
			goto cleanup;
		}
		(*count)++;
	}
	ret = 0;
cleanup:
	free(v);
	return ret;
}
