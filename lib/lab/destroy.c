// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * destroy: remove what a lab made, from its records alone, then its state;
 * gc: remove the state of labs from an earlier boot. Deleting a lab's
 * namespaces takes every link, address and route inside with them (and each
 * veth's peer); a namespace that only has the lab's name is left alone and
 * reported.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "lab/engine.h"

static int add_item(struct nsc_lab_report *r, const char *netns, const char *why)
{
	struct nsc_lab_item *v, *it;

	if (!r)
		return 0;
	v = realloc(r->items, (r->n_items + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	r->items = v;
	it = &v[r->n_items];
	memset(it, 0, sizeof(*it));
	it->kind = NSC_LAB_NETNS;
	it->change = NSC_LAB_FOREIGN;
	if (!(it->netns = strdup(netns)) || !(it->have = strdup(why))) {
		free(it->netns);
		return -ENOMEM;
	}
	r->n_items++;
	return 0;
}

/* Recorded, or reported already. */
static bool known_ns(struct lab_state *st, const struct nsc_lab_report *r, const char *name)
{
	for (size_t i = 0; i < r->n_items; i++)
		if (!strcmp(r->items[i].netns, name))
			return true;
	return lab_rec_find(st, REC_NS, name, NULL, NULL, 0) != NULL;
}

/* Namespaces named like the lab's ("LAB.*") that it did not make. */
static int report_strangers(struct nsc_ctx *ctx, struct lab_state *st,
			    struct nsc_lab_report *r, struct nsc_error *e)
{
	struct nsc_ns_entry *list;
	size_t n, len = strlen(st->name);
	int ret;

	if (!r)
		return 0;
	if ((ret = nsc_ns_list(ctx, &list, &n, e)) < 0)
		return ret;
	for (size_t i = 0; i < n && ret == 0; i++)
		if (!strncmp(list[i].name, st->name, len) && list[i].name[len] == '.' &&
		    !known_ns(st, r, list[i].name))
			ret = add_item(r, list[i].name, "not made by the lab");
	nsc_ns_list_free(list, n);
	return ret < 0 ? nsc_err(e, ENOMEM, "lab \"%s\"", st->name) : 0;
}

int nsc_lab_destroy(struct nsc_ctx *ctx, const char *name,
		    const struct nsc_lab_opts *opts, struct nsc_lab_report *report,
		    struct nsc_error *e)
{
	struct lab_state st;
	int ret;

	if (report) {
		nsc_lab_report_free(report);
		if (!(report->name = strdup(name)))
			return nsc_err(e, ENOMEM, "lab \"%s\"", name);
	}
	if ((ret = lab_state_open(ctx, opts, name, LAB_CHANGE, &st, e)) < 0)
		return ret;
	if (!st.found) {
		lab_state_close(&st);
		return nsc_err_text(e, ENOENT, "lab \"%s\": no state here (it was never applied, "
				    "or was destroyed already)", name);
	}
	for (size_t i = 0; i < st.n; i++) {
		struct lab_rec *rec = &st.v[i];
		struct lab_ns ns = { .fd = -1 };
		struct nsc_del_info info;

		if (rec->dead || rec->type != REC_NS)
			continue;
		if (!(ns.name = strdup(rec->netns))) {
			ret = nsc_err(e, ENOMEM, "lab \"%s\"", name);
			break;
		}
		/* an earlier boot's records identify nothing: never ours */
		ret = lab_ns_identify(ctx, &st, &ns, e);
		if (ns.fd >= 0)
			close(ns.fd);
		if (ret == 0 && ns.state != NS_ABSENT && !ns.ours)
			ret = add_item(report, ns.name, ns.state == NS_STALE ?
				       "a stale name (no namespace is mounted on it)" :
				       st.stale ? "recorded in an earlier boot, not the lab's" :
				       "replaced since the lab made it") < 0 ?
				nsc_err(e, ENOMEM, "lab \"%s\"", name) : 0;
		if (ret == 0 && ns.ours) {
			ret = nsc_ns_delete(ctx, ns.name, &info, e);
			if (ret == 0 && report) {
				report->n_deleted++;
				report->holders += info.holders;
			}
		}
		if (ret == 0)
			ret = lab_rec_drop(&st, rec, e);
		free(ns.name);
		if (ret < 0)
			break;
	}
	if (ret == 0)
		ret = report_strangers(ctx, &st, report, e);
	if (ret == 0)
		ret = lab_state_remove(&st, e);
	else
		lab_state_commit(&st, false, NULL);     /* what is left, recorded */
	lab_state_close(&st);
	if (ret < 0)
		nsc_err_prefix(e, "destroy \"%s\"", name);
	return ret;
}

int nsc_lab_gc(struct nsc_ctx *ctx, const struct nsc_lab_opts *opts,
	       char ***names, size_t *n, struct nsc_error *e)
{
	char **v = NULL, *root;
	size_t len = 0;
	struct dirent *de;
	DIR *d;
	int ret;

	if (names)
		*names = NULL;
	if (n)
		*n = 0;
	if ((ret = lab_state_root(ctx, opts, &root, e)) < 0)
		return ret;
	d = opendir(root);
	if (!d) {
		ret = errno == ENOENT ? 0 : nsc_err(e, errno, "lab gc: %s", root);
		free(root);
		return ret;
	}
	while ((de = readdir(d)) && ret == 0) {
		struct nsc_error ignore = { 0 };
		struct lab_state st;
		char **nv;

		if (de->d_name[0] == '.' || nsc_lab_name_check(de->d_name, &ignore) < 0)
			continue;
		if (lab_state_open(ctx, opts, de->d_name, LAB_CHANGE, &st, e) < 0) {
			ret = -e->code;
			break;
		}
		if (!st.found || !st.stale) {
			/* a dir left by an apply that never wrote anything goes too */
			if (!st.found && st.dfd >= 0)
				rmdir(st.dir);
			lab_state_close(&st);
			continue;
		}
		/* stale name files of what it made (a run dir that outlived the boot) */
		for (size_t i = 0; i < st.n; i++) {
			struct lab_ns ns = { .fd = -1, .name = st.v[i].netns };

			if (st.v[i].dead || st.v[i].type != REC_NS ||
			    lab_ns_probe(ctx, &ns, &ignore) < 0)
				continue;
			if (ns.fd >= 0)
				close(ns.fd);
			if (ns.state == NS_STALE)
				nsc_ns_delete(ctx, ns.name, NULL, &ignore);
		}
		ret = lab_state_remove(&st, e);
		if (ret == 0 && names) {
			nv = realloc(v, (len + 1) * sizeof(*v));
			if (!nv || !(nv[len] = strdup(st.name))) {
				if (nv)
					v = nv;
				ret = nsc_err(e, ENOMEM, "lab gc");
			} else {
				v = nv;
				len++;
			}
		}
		lab_state_close(&st);
	}
	closedir(d);
	free(root);
	if (ret < 0) {
		nsc_strv_free(v, len);
		return ret;
	}
	if (names) {
		*names = v;
		*n = len;
	} else {
		nsc_strv_free(v, len);
	}
	return 0;
}
