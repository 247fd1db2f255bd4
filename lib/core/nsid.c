// SPDX-License-Identifier: GPL-2.0-or-later
/* Namespace ids: RTM_GETNSID / RTM_NEWNSID over libmnl (libnl has none). */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/net_namespace.h>
#include <linux/rtnetlink.h>

#include <netnsctl/nsid.h>
#include "core/core.h"
#include "core/nsid.h"

#ifndef NETLINK_GET_STRICT_CHK
#define NETLINK_GET_STRICT_CHK 12
#endif

static int getnsid_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nlattr *attr;
	int *id = data;

	if (nlh->nlmsg_type != RTM_NEWNSID)
		return MNL_CB_OK;
	mnl_attr_for_each(attr, nlh, sizeof(struct rtgenmsg)) {
		if (mnl_attr_get_type(attr) == NETNSA_NSID &&
		    mnl_attr_validate(attr, MNL_TYPE_U32) == 0)
			*id = (int)mnl_attr_get_u32(attr);
	}
	return MNL_CB_OK;
}

int nsc_nsid_of_fd(struct nsc_sock *s, int nsfd, int *id, struct nsc_error *e)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct rtgenmsg *g;
	int ret;

	nlh->nlmsg_type = RTM_GETNSID;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->rtgen_family = AF_UNSPEC;
	mnl_attr_put_u32(nlh, NETNSA_FD, (uint32_t)nsfd);
	*id = -1;
	/* an answer comes instead of an ack: no NLM_F_ACK needed, but the
	 * talk loop asks for one, and the kernel sends both */
	ret = nsc_nl_talk(s, nlh, getnsid_cb, id, e);
	if (ret < 0)
		return ret;
	if (*id < 0)            /* NETNSA_NSID_NOT_ASSIGNED */
		*id = -1;
	return 0;
}

/* ---- set, get, list ---- */

int nsc_nsid_set(struct nsc_ctx *ctx, const char *netns, const char *name, int nsid,
		 struct nsc_error *e)
{
	char buf[256];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct rtgenmsg *g;
	struct nsc_sock *s;
	int fd, ret;

	if (nsid < NSC_NSID_AUTO)
		return nsc_usage(e, "set \"%s\": invalid nsid %d", name, nsid);
	fd = nsc_ns_open(ctx, name, e);
	if (fd < 0)
		return nsc_err_prefix(e, "set");
	ret = nsc_sock_get(ctx, netns, &s, e);
	if (ret < 0)
		goto out;
	nlh->nlmsg_type = RTM_NEWNSID;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->rtgen_family = AF_UNSPEC;
	mnl_attr_put_u32(nlh, NETNSA_FD, (uint32_t)fd);
	mnl_attr_put_u32(nlh, NETNSA_NSID, (uint32_t)nsid);
	ret = nsc_nl_talk(s, nlh, NULL, NULL, e);
	if (ret < 0) {
		if (nsid == NSC_NSID_AUTO)
			nsc_err_prefix(e, "set \"%s\" auto", name);
		else
			nsc_err_prefix(e, "set \"%s\" %d", name, nsid);
	}
out:
	close(fd);
	return ret;
}

int nsc_nsid_get(struct nsc_ctx *ctx, const char *netns, const char *name, int *nsid,
		 struct nsc_error *e)
{
	struct nsc_sock *s;
	int fd, ret;

	fd = nsc_ns_open(ctx, name, e);
	if (fd < 0)
		return fd;
	ret = nsc_sock_get(ctx, netns, &s, e);
	if (ret == 0)
		ret = nsc_nsid_of_fd(s, fd, nsid, e);
	close(fd);
	if (ret < 0)
		return nsc_err_prefix(e, "nsid of \"%s\"", name);
	return 0;
}

struct dump_job {
	struct nsc_nsid_entry *v;
	size_t n, cap;
	bool nomem;
};

static int dump_cb(const struct nlmsghdr *nlh, void *data)
{
	struct dump_job *j = data;
	struct nsc_nsid_entry ent = { .nsid = -1, .current_nsid = -1 };
	struct nlattr *attr;

	if (nlh->nlmsg_type != RTM_NEWNSID)
		return MNL_CB_OK;
	mnl_attr_for_each(attr, nlh, sizeof(struct rtgenmsg)) {
		if (mnl_attr_validate(attr, MNL_TYPE_U32) < 0)
			continue;
		if (mnl_attr_get_type(attr) == NETNSA_NSID)
			ent.nsid = (int)mnl_attr_get_u32(attr);
		else if (mnl_attr_get_type(attr) == NETNSA_CURRENT_NSID)
			ent.current_nsid = (int)mnl_attr_get_u32(attr);
	}
	if (ent.nsid < 0)
		return MNL_CB_OK;
	if (j->n == j->cap) {
		size_t cap = j->cap ? j->cap * 2 : 16;
		struct nsc_nsid_entry *v = realloc(j->v, cap * sizeof(*v));

		if (!v) {
			j->nomem = true;
			return MNL_CB_OK;
		}
		j->v = v;
		j->cap = cap;
	}
	if (ent.current_nsid < 0)
		ent.current_nsid = -1;
	j->v[j->n++] = ent;
	return MNL_CB_OK;
}

/* The ids a viewer gives each live name of the run dir: ids[i] for names[i]. */
static void ids_in_view(struct nsc_ctx *ctx, const char *viewer, struct nsc_ns_entry *list,
			size_t n, int *ids)
{
	struct nsc_error ignore;
	struct nsc_sock *s;

	for (size_t i = 0; i < n; i++)
		ids[i] = -1;
	/* names are a nicety: no name is printed where an id cannot be read */
	if (nsc_sock_get(ctx, viewer, &s, &ignore) < 0)
		return;
	for (size_t i = 0; i < n; i++) {
		int fd;

		if (list[i].state != NSC_NS_OK)
			continue;
		fd = nsc_ns_open(ctx, list[i].name, &ignore);
		if (fd < 0)
			continue;
		nsc_nsid_of_fd(s, fd, &ids[i], &ignore);
		close(fd);
	}
}

static const char *name_of(struct nsc_ns_entry *list, size_t n, const int *ids, int id)
{
	if (id < 0 || !ids)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (ids[i] == id)
			return list[i].name;
	return NULL;
}

static int entry_cmp(const void *a, const void *b)
{
	const struct nsc_nsid_entry *x = a, *y = b;

	return (x->nsid > y->nsid) - (x->nsid < y->nsid);
}

int nsc_nsid_list(struct nsc_ctx *ctx, const char *netns, int target_nsid,
		  struct nsc_nsid_entry **out, size_t *n, struct nsc_error *e)
{
	char buf[256];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct dump_job j = { 0 };
	struct nsc_ns_entry *names = NULL;
	size_t nnames = 0;
	int *ours = NULL, *theirs = NULL;
	struct rtgenmsg *g;
	struct nsc_sock *s;
	int ret, one = 1, zero = 0;

	*out = NULL;
	*n = 0;
	ret = nsc_sock_get(ctx, netns, &s, e);
	if (ret < 0)
		return ret;
	nlh->nlmsg_type = RTM_GETNSID;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->rtgen_family = AF_UNSPEC;
	if (target_nsid >= 0) {
		/* the kernel reads attributes of a dump request only under
		 * strict checking; without it a target would be ignored */
		if (mnl_socket_setsockopt(s->nl, NETLINK_GET_STRICT_CHK, &one, sizeof(one)) < 0)
			return nsc_err(e, errno, "list-id: strict netlink checking");
		mnl_attr_put_u32(nlh, NETNSA_TARGET_NSID, (uint32_t)target_nsid);
	}
	ret = nsc_nl_talk(s, nlh, dump_cb, &j, e);
	if (target_nsid >= 0)
		mnl_socket_setsockopt(s->nl, NETLINK_GET_STRICT_CHK, &zero, sizeof(zero));
	if (ret == 0 && j.nomem)
		ret = nsc_err(e, ENOMEM, "list-id");
	else if (ret < 0) {
		if (target_nsid >= 0)
			nsc_err_prefix(e, "list-id target-nsid %d", target_nsid);
		else
			nsc_err_prefix(e, "list-id");
	}
	if (ret < 0)
		goto fail;

	/* names: what each id stands for, in the view the ids are from */
	if (j.n && nsc_ns_list(ctx, &names, &nnames, e) == 0 && nnames) {
		ours = calloc(nnames, sizeof(*ours));
		if (ours) {
			ids_in_view(ctx, netns, names, nnames, ours);
			if (target_nsid >= 0) {
				const char *t = name_of(names, nnames, ours, target_nsid);

				theirs = t ? calloc(nnames, sizeof(*theirs)) : NULL;
				if (theirs)
					ids_in_view(ctx, t, names, nnames, theirs);
			}
		}
	}
	for (size_t i = 0; i < j.n; i++) {
		const char *name;

		if (target_nsid < 0)
			name = name_of(names, nnames, ours, j.v[i].nsid);
		else if (theirs)
			name = name_of(names, nnames, theirs, j.v[i].nsid);
		else
			name = name_of(names, nnames, ours, j.v[i].current_nsid);
		j.v[i].name = NULL;
		if (name && !(j.v[i].name = strdup(name))) {
			ret = nsc_err(e, ENOMEM, "list-id");
			for (size_t k = 0; k < i; k++)
				free(j.v[k].name);
			goto fail;
		}
	}
	if (j.n)
		qsort(j.v, j.n, sizeof(*j.v), entry_cmp);
	*out = j.v;
	*n = j.n;
	j.v = NULL;
	ret = 0;
fail:
	free(j.v);
	free(ours);
	free(theirs);
	nsc_ns_list_free(names, nnames);
	return ret;
}

void nsc_nsid_list_free(struct nsc_nsid_entry *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(list[i].name);
	free(list);
}

int nsc_nsid_parse(const struct nlmsghdr *nlh, int *nsid, bool *deleted)
{
	const struct nlattr *attr;

	if ((nlh->nlmsg_type != RTM_NEWNSID && nlh->nlmsg_type != RTM_DELNSID) ||
	    nlh->nlmsg_len < mnl_nlmsg_size(sizeof(struct rtgenmsg)))
		return -EINVAL;
	*nsid = -1;
	*deleted = nlh->nlmsg_type == RTM_DELNSID;
	mnl_attr_for_each(attr, nlh, sizeof(struct rtgenmsg)) {
		if (mnl_attr_get_type(attr) == NETNSA_NSID &&
		    mnl_attr_validate(attr, MNL_TYPE_U32) == 0)
			*nsid = (int)mnl_attr_get_u32(attr);
	}
	return *nsid < 0 ? -EINVAL : 0;
}
