// SPDX-License-Identifier: GPL-2.0-or-later
/* Namespace ids: RTM_GETNSID / RTM_NEWNSID through the socket layer (libnl
 * has none), and the run dir's names for the ids a namespace has given. */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/net_namespace.h>
#include <linux/rtnetlink.h>

#include <netnsctl/nsid.h>
#include "core/core.h"
#include "core/nsid.h"
#include "base/util.h"

#ifndef NETLINK_GET_STRICT_CHK
#define NETLINK_GET_STRICT_CHK 12
#endif

static int getnsid_cb(const struct nlmsghdr *nlh, void *data)
{
	bool deleted;

	if (nlh->nlmsg_type == RTM_NEWNSID)
		nsc_nsid_parse(nlh, data, &deleted);
	return MNL_CB_OK;
}

/* Start R, a request of TYPE about the namespace behind nsfd. */
static void nsid_req(struct nsc_req *r, uint16_t type, int nsfd)
{
	nsc_req_init(r, type, 0, AF_UNSPEC, sizeof(struct rtgenmsg));
	mnl_attr_put_u32(r->nlh, NETNSA_FD, (uint32_t)nsfd);
}

int nsc_nsid_of_fd(struct nsc_sock *s, int nsfd, int *id, struct nsc_error *e)
{
	struct nsc_req r;
	int ret;

	nsid_req(&r, RTM_GETNSID, nsfd);
	*id = -1;
	/* an answer comes instead of an ack: no NLM_F_ACK needed, but the
	 * talk loop asks for one, and the kernel sends both */
	ret = nsc_req_talk(s, &r, getnsid_cb, id, e);
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
	struct nsc_sock *s;
	struct nsc_req r;
	int fd, ret;

	if (nsid < NSC_NSID_AUTO)
		return nsc_usage(e, "set \"%s\": invalid nsid %d", name, nsid);
	fd = nsc_ns_open(ctx, name, e);
	if (fd < 0)
		return nsc_err_prefix(e, "set");
	ret = nsc_sock_get(ctx, netns, &s, e);
	if (ret < 0)
		goto cleanup;
	nsid_req(&r, RTM_NEWNSID, fd);
	mnl_attr_put_u32(r.nlh, NETNSA_NSID, (uint32_t)nsid);
	ret = nsc_req_talk(s, &r, NULL, NULL, e);
	if (ret < 0) {
		if (nsid == NSC_NSID_AUTO)
			nsc_err_prefix(e, "set \"%s\" auto", name);
		else
			nsc_err_prefix(e, "set \"%s\" %d", name, nsid);
	}
cleanup:
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
	/* read the dump to its end all the same: the socket stays usable */
	if (NSC_GROW(j->v, j->cap, j->n + 1) < 0) {
		j->nomem = true;
		return MNL_CB_OK;
	}
	if (ent.current_nsid < 0)
		ent.current_nsid = -1;
	j->v[j->n++] = ent;
	return MNL_CB_OK;
}

/* Every id NETNS has given, or with a target those that target has given. */
static int dump_ids(struct nsc_ctx *ctx, const char *netns, int target_nsid,
		    struct dump_job *j, struct nsc_error *e)
{
	struct nsc_sock *s;
	struct nsc_req r;
	int ret, one = 1, zero = 0;

	ret = nsc_sock_get(ctx, netns, &s, e);
	if (ret < 0)
		return ret;
	nsc_req_init(&r, RTM_GETNSID, NLM_F_DUMP, AF_UNSPEC, sizeof(struct rtgenmsg));
	if (target_nsid >= 0) {
		/* the kernel reads attributes of a dump request only under
		 * strict checking; without it a target would be ignored */
		if (mnl_socket_setsockopt(s->nl, NETLINK_GET_STRICT_CHK, &one, sizeof(one)) < 0)
			return nsc_err(e, errno, "list-id: strict netlink checking");
		mnl_attr_put_u32(r.nlh, NETNSA_TARGET_NSID, (uint32_t)target_nsid);
	}
	ret = nsc_req_talk(s, &r, dump_cb, j, e);
	if (target_nsid >= 0)
		mnl_socket_setsockopt(s->nl, NETLINK_GET_STRICT_CHK, &zero, sizeof(zero));
	if (ret == 0 && j->nomem)
		return nsc_err(e, ENOMEM, "list-id");
	if (ret < 0 && target_nsid >= 0)
		return nsc_err_prefix(e, "list-id target-nsid %d", target_nsid);
	if (ret < 0)
		return nsc_err_prefix(e, "list-id");
	return 0;
}

/* What each id stands for: the run dir's names, and the ids that the
 * namespaces whose ids are listed give them. */
struct id_names {
	struct nsc_ns_entry *names;
	size_t n;
	int *ours;                      /* names[i]'s id as NETNS sees it */
	int *theirs;                    /* ... as the target sees it; may be NULL */
};

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

static const char *name_of(const struct id_names *in, const int *ids, int id)
{
	if (id < 0 || !ids)
		return NULL;
	for (size_t i = 0; i < in->n; i++)
		if (ids[i] == id)
			return in->names[i].name;
	return NULL;
}

/* Names are a nicety: whatever cannot be read leaves ids without names. */
static void id_names_load(struct nsc_ctx *ctx, const char *netns, int target_nsid,
			  struct id_names *in, struct nsc_error *e)
{
	const char *t;

	if (nsc_run_list(ctx, NULL, NULL, &in->names, &in->n, e) < 0 || !in->n)
		return;
	in->ours = calloc(in->n, sizeof(*in->ours));
	if (!in->ours)
		return;
	/* in the view the ids are from */
	ids_in_view(ctx, netns, in->names, in->n, in->ours);
	if (target_nsid < 0 || !(t = name_of(in, in->ours, target_nsid)))
		return;
	in->theirs = calloc(in->n, sizeof(*in->theirs));
	if (in->theirs)
		ids_in_view(ctx, t, in->names, in->n, in->theirs);
}

static void id_names_free(struct id_names *in)
{
	free(in->ours);
	free(in->theirs);
	nsc_ns_list_free(in->names, in->n);
}

/* The name of the namespace that entry ent stands for, or NULL. */
static const char *entry_name(const struct id_names *in, int target_nsid,
			      const struct nsc_nsid_entry *ent)
{
	if (target_nsid < 0)
		return name_of(in, in->ours, ent->nsid);
	if (in->theirs)
		return name_of(in, in->theirs, ent->nsid);
	/* the target's own view is out of reach: go by what NETNS calls it */
	return name_of(in, in->ours, ent->current_nsid);
}

static int entry_cmp(const void *a, const void *b)
{
	const struct nsc_nsid_entry *x = a, *y = b;

	return (x->nsid > y->nsid) - (x->nsid < y->nsid);
}

int nsc_nsid_list(struct nsc_ctx *ctx, const char *netns, int target_nsid,
		  struct nsc_nsid_entry **out, size_t *n, struct nsc_error *e)
{
	struct dump_job j = { 0 };
	struct id_names in = { 0 };
	int ret;

	*out = NULL;
	*n = 0;
	ret = dump_ids(ctx, netns, target_nsid, &j, e);
	if (ret < 0)
		goto cleanup;
	if (j.n)
		id_names_load(ctx, netns, target_nsid, &in, e);
	for (size_t i = 0; i < j.n; i++) {
		const char *name = entry_name(&in, target_nsid, &j.v[i]);

		j.v[i].name = NULL;
		if (name && !(j.v[i].name = strdup(name))) {
			ret = nsc_err(e, ENOMEM, "list-id");
			nsc_nsid_list_free(j.v, i);
			j.v = NULL;
			goto cleanup;
		}
	}
	if (j.n)
		qsort(j.v, j.n, sizeof(*j.v), entry_cmp);
	*out = j.v;
	*n = j.n;
	j.v = NULL;
cleanup:
	free(j.v);
	id_names_free(&in);
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
