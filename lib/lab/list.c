// SPDX-License-Identifier: GPL-2.0-or-later
/* The labs with state here (list), and one lab as last applied (load). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "lab/state.h"

void nsc_lab_info_free(struct nsc_lab_info *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++) {
		free(v[i].name);
		free(v[i].file);
	}
	free(v);
}

static int fill_info(const struct lab_state *st, struct nsc_lab_info *info)
{
	memset(info, 0, sizeof(*info));
	if (!(info->name = strdup(st->name)) ||
	    !(info->file = strdup(st->file ? st->file : ""))) {
		free(info->name);
		return -ENOMEM;
	}
	info->complete = st->complete;
	info->stale = st->stale;
	for (size_t i = 0; i < st->n; i++) {
		if (st->v[i].dead || st->v[i].pending)
			continue;
		if (st->v[i].type == REC_NS)
			info->n_netns++;
		else if (st->v[i].type == REC_LINK)
			info->n_links++;
	}
	return 0;
}

static int info_cmp(const void *a, const void *b)
{
	return strcmp(((const struct nsc_lab_info *)a)->name,
		      ((const struct nsc_lab_info *)b)->name);
}

struct list {
	struct nsc_lab_info *v;
	size_t n, cap;
};

static int list_one(struct lab_state *st, void *data, struct nsc_error *e)
{
	struct list *l = data;

	if (!st->found)
		return 0;
	if (NSC_GROW(l->v, l->cap, l->n + 1) < 0 || fill_info(st, &l->v[l->n]) < 0)
		return nsc_err(e, ENOMEM, "lab list");
	l->n++;
	return 0;
}

int nsc_lab_list(struct nsc_ctx *ctx, const struct nsc_lab_opts *opts,
		 struct nsc_lab_info **out, size_t *n, struct nsc_error *e)
{
	struct list l = { NULL };
	int ret;

	*out = NULL;
	*n = 0;
	/* a lab being applied is listed as it stands, without waiting */
	ret = lab_state_each(ctx, opts, LAB_PEEK, "lab list", list_one, &l, e);
	if (ret < 0) {
		nsc_lab_info_free(l.v, l.n);
		return ret;
	}
	if (l.n)
		qsort(l.v, l.n, sizeof(*l.v), info_cmp);
	*out = l.v;
	*n = l.n;
	return 0;
}

int nsc_lab_load(struct nsc_ctx *ctx, const struct nsc_lab_opts *opts, const char *name,
		 struct nsc_lab **out, struct nsc_lab_info *info, struct nsc_error *e)
{
	struct lab_state st;
	int ret;

	if ((ret = lab_state_open(ctx, opts, name, LAB_READ, &st, e)) < 0)
		return ret;
	if (!st.found) {
		ret = nsc_err_text(e, ENOENT, "lab \"%s\": no state here (it was never applied, "
				   "or was destroyed)", name);
		goto cleanup;
	}
	ret = lab_state_read_lab(&st, out, e);
	if (ret == 0 && info && fill_info(&st, info) < 0) {
		nsc_lab_free(*out);
		*out = NULL;
		ret = nsc_err(e, ENOMEM, "lab \"%s\"", name);
	}
cleanup:
	lab_state_close(&st);
	return ret;
}
