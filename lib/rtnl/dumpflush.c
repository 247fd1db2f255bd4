// SPDX-License-Identifier: GPL-2.0-or-later
/* The list and flush skeleton of routes and neighbours (dumpflush.h). */
#include <errno.h>
#include <string.h>

#include "base/util.h"
#include "rtnl/dumpflush.h"

struct list_job {
	struct nsc_dumpflush *d;
	int (*show)(const void *obj, void *arg);
	void *arg;
	int stop;                       /* what show returned to stop */
};

static int list_cb(const struct nlmsghdr *nlh, void *data)
{
	struct list_job *j = data;

	if (j->stop)
		return MNL_CB_OK;       /* drain the rest of the dump */
	if (!j->d->kind->pick(nlh, j->d->filter, false, j->d->obj))
		return MNL_CB_OK;
	j->stop = j->show(j->d->obj, j->arg);
	return MNL_CB_OK;
}

int nsc_dumpflush_list(struct nsc_ctx *ctx, const char *netns, struct nsc_dumpflush *d,
		       int (*show)(const void *obj, void *arg), void *arg,
		       struct nsc_error *e)
{
	struct list_job j = { .d = d, .show = show, .arg = arg };
	struct nsc_sock *s;
	int ret;

	ret = nsc_sock_get(ctx, netns, &s, e);
	if (ret < 0)
		return ret;
	ret = nsc_req_talk(s, &d->dump, list_cb, &j, e);
	if (ret < 0)
		return nsc_err_prefix(e, "%s show", d->kind->what);
	return j.stop;
}

struct flush_job {
	struct nsc_dumpflush *d;
	struct nlmsghdr **v;            /* copies of the picks */
	size_t n, cap;
	bool nomem;
};

static int flush_cb(const struct nlmsghdr *nlh, void *data)
{
	struct flush_job *j = data;
	struct nlmsghdr *copy;

	if (!j->d->kind->pick(nlh, j->d->filter, true, j->d->obj))
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
	const struct nsc_dumpkind *k = j->d->kind;

	for (size_t i = 0; i < j->n; i++) {
		struct nsc_req r;
		char name[64];
		int ret;

		ret = nsc_nl_talk(s, k->del(j->v[i], &r), NULL, NULL, e);
		if (ret < 0 && gone(k->gone, ret))
			continue;
		if (ret < 0) {
			nsc_err_prefix(e, "%s flush: delete \"%s\"", k->what,
				       k->name(j->v[i], name, sizeof(name)));
			return ret;
		}
		(*done)++;
	}
	return 0;
}

int nsc_dumpflush_flush(struct nsc_ctx *ctx, const char *netns, struct nsc_dumpflush *d,
			unsigned *count, struct nsc_error *e)
{
	struct flush_job j = { .d = d };
	struct nsc_sock *s;
	unsigned done = 0;
	int ret;

	if (count)
		*count = 0;
	ret = nsc_sock_get(ctx, netns, &s, e);
	if (ret < 0)
		return ret;
	ret = nsc_req_talk(s, &d->dump, flush_cb, &j, e);
	if (ret == 0 && j.nomem)
		ret = nsc_err(e, ENOMEM, "%s flush", d->kind->what);
	else if (ret < 0)
		nsc_err_prefix(e, "%s flush", d->kind->what);
	if (ret == 0)
		ret = delete_all(s, &j, &done, e);
	for (size_t i = 0; i < j.n; i++)
		free(j.v[i]);
	free(j.v);
	if (count)
		*count = done;
	return ret;
}
