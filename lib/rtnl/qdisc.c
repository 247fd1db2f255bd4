// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Impairments on an interface: set, change in place and clear the root
 * qdisc in one request each (the messages are rtnl/tc.c's), list qdiscs,
 * and find out whether the kernel has a qdisc kind without changing
 * anything. A kernel without netem is named as such, before any change.
 */
#include <errno.h>
#include <string.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>

#include <netnsctl/ifindex.h>
#include <netnsctl/qdisc.h>
#include "core/core.h"
#include "rtnl/rtnl.h"
#include "rtnl/tc.h"

int nsc_impair_no_netem(struct nsc_error *e, const char *what)
{
	e->ext_ack[0] = '\0';  /* the line says it all; the kernel's words add nothing */
	return nsc_err_text(e, EOPNOTSUPP, "impair \"%s\": the kernel has no netem "
			    "(CONFIG_NET_SCH_NETEM); rate alone works with tbf", what);
}

/* ENOENT with this text: the kernel could not find (nor load) the kind */
static bool kind_unknown(int ret, const struct nsc_error *e)
{
	return ret == -ENOENT && strstr(e->ext_ack, "kind is unknown");
}

int nsc_qdisc_kind_known(struct nsc_ctx *ctx, const char *netns, const char *kind,
			 struct nsc_error *e)
{
	struct nsc_sock *s;
	struct nsc_req r;
	struct tcmsg *t;
	int ret;

	if ((ret = nsc_sock_get(ctx, netns, &s, e)) < 0)
		return ret;
	/*
	 * A new root for the loopback (index 1 in every namespace), with no
	 * options: a known kind fails in its init (EINVAL: tbf and netem want
	 * options), an unknown one before it; the graft never happens. EXCL
	 * makes it a creation even when lo has a root qdisc of its own.
	 */
	t = nsc_req_init(&r, RTM_NEWQDISC, NLM_F_CREATE | NLM_F_REPLACE | NLM_F_EXCL,
			 AF_UNSPEC, sizeof(*t));
	t->tcm_ifindex = 1;
	t->tcm_parent = TC_H_ROOT;
	mnl_attr_put_strz(r.nlh, TCA_KIND, kind);
	ret = nsc_req_talk(s, &r, NULL, NULL, e);
	if (kind_unknown(ret, e))
		return 0;
	if (ret == -EINVAL || ret == 0) {
		nsc_error_clear(e);
		return 1;
	}
	return nsc_err_prefix(e, "qdisc kind \"%s\"", kind);
}

/* "NS IF" or "IF": how the errors name an interface */
static void where(const char *netns, const char *ifname, char *buf, size_t size)
{
	char a[64], b[32];

	if (netns)
		snprintf(buf, size, "%s %s", nsc_printable(netns, a, sizeof(a)),
			 nsc_printable(ifname, b, sizeof(b)));
	else
		snprintf(buf, size, "%s", nsc_printable(ifname, b, sizeof(b)));
}

int nsc_impair_set_index(struct nsc_ctx *ctx, const char *netns, int ifindex,
			 const struct nsc_impair *im, struct nsc_error *e)
{
	struct nsc_impair full;
	struct nsc_sock *s;
	struct nsc_req r;
	int ret;

	if ((ret = nsc_impair_check(im, e)) < 0)
		return ret;
	if ((ret = nsc_sock_get(ctx, netns, &s, e)) < 0)
		return ret;
	nsc_impair_resolve(im, &full);
	nsc_tc_build_impair(&r, ifindex, &full);
	/* one request: when netem is missing the kernel refuses it whole */
	ret = nsc_req_talk(s, &r, NULL, NULL, e);
	if (kind_unknown(ret, e) && nsc_impair_needs_netem(im)) {
		char name[32];

		snprintf(name, sizeof(name), "index %d", ifindex);
		return nsc_impair_no_netem(e, name);
	}
	return ret;
}

int nsc_impair_set(struct nsc_ctx *ctx, const char *netns, const char *ifname,
		   const struct nsc_impair *im, struct nsc_error *e)
{
	char w[128];
	int ifindex, ret;

	where(netns, ifname, w, sizeof(w));
	if ((ret = nsc_impair_check(im, e)) < 0)
		return nsc_err_prefix(e, "impair \"%s\"", w);
	if ((ret = nsc_ifindex(ctx, netns, ifname, &ifindex, e)) < 0)
		return ret;
	ret = nsc_impair_set_index(ctx, netns, ifindex, im, e);
	if (ret == -EOPNOTSUPP && nsc_impair_needs_netem(im))
		return nsc_impair_no_netem(e, w);
	if (ret < 0)
		return nsc_err_prefix(e, "impair \"%s\"", w);
	return 0;
}

int nsc_impair_clear_index(struct nsc_ctx *ctx, const char *netns, int ifindex,
			   struct nsc_error *e)
{
	struct nsc_sock *s;
	struct nsc_req r;
	int ret;

	if ((ret = nsc_sock_get(ctx, netns, &s, e)) < 0)
		return ret;
	nsc_tc_build_clear(&r, ifindex);
	ret = nsc_req_talk(s, &r, NULL, NULL, e);
	/* the kernel's default root (handle 0) cannot be deleted: nothing to clear */
	if (ret == -ENOENT || (ret == -EINVAL && strstr(e->ext_ack, "handle of zero"))) {
		nsc_error_clear(e);
		return 0;
	}
	return ret;
}

int nsc_impair_clear(struct nsc_ctx *ctx, const char *netns, const char *ifname,
		     struct nsc_error *e)
{
	char w[128];
	int ifindex, ret;

	if ((ret = nsc_ifindex(ctx, netns, ifname, &ifindex, e)) < 0)
		return ret;
	if ((ret = nsc_impair_clear_index(ctx, netns, ifindex, e)) < 0) {
		where(netns, ifname, w, sizeof(w));
		return nsc_err_prefix(e, "impair \"%s\" clear", w);
	}
	return 0;
}

struct list {
	int ifindex;
	nsc_qdisc_cb cb;
	void *arg;
	int stop;
};

static int list_cb(const struct nlmsghdr *nlh, void *data)
{
	struct list *l = data;
	struct nsc_qdisc q;

	if (l->stop || nsc_tc_parse(nlh, &q) < 0)
		return MNL_CB_OK;
	if (l->ifindex && q.ifindex != l->ifindex)
		return MNL_CB_OK;
	l->stop = l->cb(&q, l->arg);
	return MNL_CB_OK;
}

int nsc_qdisc_list(struct nsc_ctx *ctx, const char *netns, int ifindex, nsc_qdisc_cb cb,
		   void *arg, struct nsc_error *e)
{
	struct list l = { .ifindex = ifindex, .cb = cb, .arg = arg };
	struct nsc_sock *s;
	int ret;

	if ((ret = nsc_sock_get(ctx, netns, &s, e)) < 0)
		return ret;
	ret = nsc_dump(s, RTM_GETQDISC, AF_UNSPEC, sizeof(struct tcmsg), list_cb, &l, e);
	if (ret < 0)
		return nsc_err_prefix(e, "qdisc show");
	return 0;
}
