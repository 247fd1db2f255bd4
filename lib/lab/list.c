// SPDX-License-Identifier: GPL-2.0-or-later
/* The labs with state here (list), and one lab as last applied (load). */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "lab/engine.h"

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
		if (st->v[i].dead)
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

int nsc_lab_list(struct nsc_ctx *ctx, const struct nsc_lab_opts *opts,
		 struct nsc_lab_info **out, size_t *n, struct nsc_error *e)
{
	struct nsc_lab_info *v = NULL;
	size_t len = 0, cap = 0;
	struct dirent *de;
	char *root;
	DIR *d;
	int ret;

	*out = NULL;
	*n = 0;
	if ((ret = lab_state_root(ctx, opts, &root, e)) < 0)
		return ret;
	d = opendir(root);
	if (!d) {
		ret = errno == ENOENT ? 0 : nsc_err(e, errno, "lab list: %s", root);
		free(root);
		return ret;
	}
	while ((de = readdir(d))) {
		struct nsc_error ignore = { 0 };
		struct lab_state st;

		if (de->d_name[0] == '.' || nsc_lab_name_check(de->d_name, &ignore) < 0)
			continue;
		/* a lab being applied is listed as it stands, without waiting */
		if (lab_state_open(ctx, opts, de->d_name, LAB_PEEK, &st, &ignore) < 0)
			continue;
		if (!st.found) {
			lab_state_close(&st);
			continue;
		}
		if (len == cap) {
			struct nsc_lab_info *nv = realloc(v, (cap = cap ? cap * 2 : 8) * sizeof(*v));

			if (!nv) {
				lab_state_close(&st);
				ret = nsc_err(e, ENOMEM, "lab list");
				goto fail;
			}
			v = nv;
		}
		ret = fill_info(&st, &v[len]);
		lab_state_close(&st);
		if (ret < 0) {
			ret = nsc_err(e, ENOMEM, "lab list");
			goto fail;
		}
		len++;
	}
	closedir(d);
	free(root);
	if (len)
		qsort(v, len, sizeof(*v), info_cmp);
	*out = v;
	*n = len;
	return 0;
fail:
	closedir(d);
	free(root);
	nsc_lab_info_free(v, len);
	return ret;
}

int nsc_lab_load(struct nsc_ctx *ctx, const struct nsc_lab_opts *opts, const char *name,
		 struct nsc_lab **out, struct nsc_lab_info *info, struct nsc_error *e)
{
	struct lab_state st;
	int ret;

	if ((ret = lab_state_open(ctx, opts, name, LAB_READ, &st, e)) < 0)
		return ret;
	if (!st.found) {
		lab_state_close(&st);
		return nsc_err_text(e, ENOENT, "lab \"%s\": no state here (it was never applied, "
				    "or was destroyed)", name);
	}
	ret = lab_state_read_lab(&st, out, e);
	if (ret == 0 && info && fill_info(&st, info) < 0) {
		nsc_lab_free(*out);
		*out = NULL;
		ret = nsc_err(e, ENOMEM, "lab \"%s\"", name);
	}
	lab_state_close(&st);
	return ret;
}
