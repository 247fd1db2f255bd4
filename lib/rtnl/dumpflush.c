// SPDX-License-Identifier: GPL-2.0-or-later
/* The list and flush skeleton of routes and neighbours (dumpflush.h). */
#include <errno.h>
#include <string.h>

#include "base/util.h"
#include "rtnl/dumpflush.h"

struct list_job {
	const struct nsc_dumpkind *k;
	const void *filter;
	nsc_dump_fn fn;
	void *arg;
	int stop;                       /* what fn returned to stop */
	union nsc_dumpobj obj;
};

static int list_cb(const struct nlmsghdr *nlh, void *data)
{
	struct list_job *j = data;

	if (j->stop)
		return MNL_CB_OK;       /* drain the rest of the dump */
	if (j->k->parse(nlh, &j->obj) == 0 && j->k->pick(&j->obj, j->filter, false))
		j->stop = j->k->show(&j->obj, j->fn, j->arg);
	return MNL_CB_OK;
}

int nsc_dumpflush_list(struct nsc_ctx *ctx, const char *netns, const struct nsc_dumpkind *k,
		       const void *filter, nsc_dump_fn fn, void *arg, struct nsc_error *e)
{
	struct list_job j = { .k = k, .filter = filter, .fn = fn, .arg = arg };
	struct nsc_sock *s;
	struct nsc_req r;
	int ret;

	ret = nsc_sock_get(ctx, netns, &s, e);
	if (ret < 0)
		return ret;
	k->dump(&r, filter);
	ret = nsc_req_talk(s, &r, list_cb, &j, e);
	if (ret < 0)
		return nsc_err_prefix(e, "%s show", k->what);
	return j.stop;
}

struct flush_job {
	const struct nsc_dumpkind *k;
	const void *filter;
	struct nlmsghdr **v;            /* copies of the picks */
	size_t n, cap;
	bool nomem;
	union nsc_dumpobj obj;
};

static int flush_cb(const struct nlmsghdr *nlh, void *data)
{
	struct flush_job *j = data;
	struct nlmsghdr *copy;

	if (j->k->parse(nlh, &j->obj) < 0 || !j->k->pick(&j->obj, j->filter, true))
		return MNL_CB_OK;
	if (NSC_GROW(j->v, j->cap, j->n + 1) < 0 || !(copy = malloc(nlh->nlmsg_len))) {
		j->nomem = true;
		return MNL_CB_OK;       /* drain the dump, fail after */
	}
	memcpy(copy, nlh, nlh->nlmsg_len);
	j->v[j->n++] = copy;
	return MNL_CB_OK;
}

static bool gone(const int *list, int ret)
{
	for (; list && *list; list++)
		if (ret == -*list)
			return true;
	return false;
}

/* Delete the picks one by one; the first failure stops it. */
static int delete_all(struct nsc_sock *s, struct flush_job *j, unsigned *done,
		      struct nsc_error *e)
{
	const struct nsc_dumpkind *k = j->k;

	for (size_t i = 0; i < j->n; i++) {
		struct nsc_req r;
		char name[64];
		int ret;

		ret = nsc_nl_talk(s, k->del(j->v[i], &r), NULL, NULL, e);
		if (ret < 0 && gone(k->gone, ret))
			continue;
		if (ret < 0) {
			k->parse(j->v[i], &j->obj);
			nsc_err_prefix(e, "%s flush: delete \"%s\"", k->what,
				       k->name(&j->obj, name, sizeof(name)));
			return ret;
		}
		(*done)++;
	}
	return 0;
}

int nsc_dumpflush_flush(struct nsc_ctx *ctx, const char *netns, const struct nsc_dumpkind *k,
			const void *filter, unsigned *count, struct nsc_error *e)
{
	struct flush_job j = { .k = k, .filter = filter };
	struct nsc_sock *s;
	struct nsc_req r;
	unsigned done = 0;
	int ret;

	if (count)
		*count = 0;
	ret = nsc_sock_get(ctx, netns, &s, e);
	if (ret < 0)
		return ret;
	k->dump(&r, filter);
	ret = nsc_req_talk(s, &r, flush_cb, &j, e);
	if (ret == 0 && j.nomem)
		ret = nsc_err(e, ENOMEM, "%s flush", k->what);
	else if (ret < 0)
		nsc_err_prefix(e, "%s flush", k->what);
	if (ret == 0)
		ret = delete_all(s, &j, &done, e);
	for (size_t i = 0; i < j.n; i++)
		free(j.v[i]);
	free(j.v);
	if (count)
		*count = done;
	return ret;
}
