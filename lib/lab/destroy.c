// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * destroy: remove what a lab made, from its records alone, then its state;
 * gc: remove the state of labs from an earlier boot. Deleting a lab's
 * namespaces takes every link, address and route inside with them (and each
 * veth's peer); a namespace that only has the lab's name is left alone and
 * reported.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <netnsctl/netns.h>

#include "base/util.h"
#include "lab/hosts.h"
#include "lab/observe.h"
#include "lab/state.h"
#include "lab/svc.h"
#include "lab/uts.h"

struct destroy {
	struct nsc_ctx *ctx;
	struct lab_state st;
	struct nsc_lab_report *report;  /* may be NULL */
	size_t cap;                     /* of report->items */
	bool kill;                      /* end what else is inside (destroy --kill) */
};

/* A namespace with the lab's name that is not the lab's, and why. */
static int add_foreign(struct destroy *d, const char *netns, const char *why)
{
	struct nsc_lab_report *r = d->report;
	struct nsc_lab_item *it;

	if (!r)
		return 0;
	if (NSC_GROW(r->items, d->cap, r->n_items + 1) < 0)
		return -ENOMEM;
	it = &r->items[r->n_items];
	*it = (struct nsc_lab_item){ .kind = NSC_LAB_NETNS, .change = NSC_LAB_FOREIGN };
	if (!(it->netns = strdup(netns)) || !(it->have = strdup(why))) {
		free(it->netns);
		return -ENOMEM;
	}
	r->n_items++;
	return 0;
}

/* Recorded, or reported already. */
static bool known_ns(struct destroy *d, const char *name)
{
	for (size_t i = 0; i < d->report->n_items; i++)
		if (!strcmp(d->report->items[i].netns, name))
			return true;
	return lab_rec_find(&d->st, REC_NS, name, NULL, NULL, 0) != NULL;
}

/* Namespaces named like the lab's ("LAB.*") that it did not make. */
static int report_strangers(struct destroy *d, struct nsc_error *e)
{
	const char *lab = d->st.name;
	struct nsc_ns_entry *list;
	size_t n, len = strlen(lab);
	int ret;

	if (!d->report)
		return 0;
	if ((ret = nsc_ns_list(d->ctx, &list, &n, e)) < 0)
		return ret;
	for (size_t i = 0; i < n && ret == 0; i++)
		if (!strncmp(list[i].name, lab, len) && list[i].name[len] == '.' &&
		    !known_ns(d, list[i].name))
			ret = add_foreign(d, list[i].name, "not made by the lab");
	nsc_ns_list_free(list, n);
	return ret < 0 ? nsc_err(e, ENOMEM, "lab \"%s\"", lab) : 0;
}

/*
 * The namespace identified as ns, before its delete: a stale name of the
 * lab's removed (its namespace went: a delete cut short between unmount
 * and unlink), one not the lab's reported. 1 when it is the lab's, to be
 * deleted; 0 when its records may go now.
 */
static int destroy_check(struct destroy *d, struct lab_ns *ns, struct nsc_error *e)
{
	int ret;

	if (ns->state == NS_STALE && !d->st.stale) {
		if ((ret = nsc_ns_delete(d->ctx, ns->name, NULL, e)) < 0 && ret != -ENOENT)
			return ret;
		nsc_error_clear(e);
		ns->state = NS_ABSENT;
	}
	if (ns->state != NS_ABSENT && !ns->ours &&
	    add_foreign(d, ns->name, ns->state == NS_STALE ?
			"a stale name (no namespace is mounted on it)" :
			d->st.stale ? "recorded in an earlier boot, not the lab's" :
			"replaced since the lab made it") < 0)
		return nsc_err(e, ENOMEM, "lab \"%s\"", d->st.name);
	return ns->ours;
}

/* Namespaces identified at once, then deleted at once: many, as the
 * unmounts side by side share the kernel's grace periods (more of them,
 * more shared); few enough that little time passes between a namespace's
 * check and its delete (milliseconds). */
#define DESTROY_CHUNK 128

struct chunk {
	struct lab_ns v[DESTROY_CHUNK];
	struct lab_rec *recs[DESTROY_CHUNK];
	struct nsc_del_item del[DESTROY_CHUNK];
	struct lab_rec *del_rec[DESTROY_CHUNK];  /* del[k]'s record */
	size_t n, ndel;
	struct lab_rec *gone[DESTROY_CHUNK];    /* records to forget */
	size_t ngone;
};

/*
 * The lab's namespaces of the chunk deleted at once (nsc_ns_delete_many),
 * and the records of each one gone forgotten, also when another failed:
 * the first failure is returned, its records kept.
 */
static int destroy_delete(struct destroy *d, struct chunk *c, struct nsc_error *e)
{
	struct nsc_del_opts o = { .kill = d->kill, .kill_grace_ms = LAB_SVC_GRACE_MS };
	int ret = 0, r;

	if (c->ndel && (ret = nsc_ns_delete_many(d->ctx, c->del, c->ndel, &o, e)) < 0)
		return ret;
	for (size_t k = 0; k < c->ndel; k++) {
		struct nsc_del_item *it = &c->del[k];

		if (it->ret < 0) {
			if (ret == 0) {
				*e = it->e;
				ret = it->ret;
			}
			continue;
		}
		if (d->report) {
			d->report->n_deleted++;
			d->report->holders += it->info.holders;
		}
		c->gone[c->ngone++] = c->del_rec[k];
	}
	r = c->ngone ? lab_rec_drop_ns_many(&d->st, c->gone, c->ngone, ret ? NULL : e) : 0;
	return ret ? ret : r;
}

/*
 * The recorded namespaces from record *at on, DESTROY_CHUNK at most:
 * identified together (lab_ns_scan: a few threads), each checked (stale
 * names of the lab's removed, others reported), the lab's deleted at once;
 * the records of each that is gone forgotten. *at: the record after the
 * last one taken.
 */
static int destroy_chunk(struct destroy *d, size_t *at, struct nsc_error *e)
{
	struct chunk *c = calloc(1, sizeof(*c));
	int ret = 0;

	if (!c)
		return nsc_err(e, ENOMEM, "lab \"%s\"", d->st.name);
	for (; *at < d->st.n && c->n < DESTROY_CHUNK; (*at)++) {
		struct lab_rec *rec = &d->st.v[*at];

		if (rec->dead || rec->type != REC_NS)
			continue;
		c->v[c->n] = (struct lab_ns){ .fd = -1, .name = strdup(rec->netns) };
		c->recs[c->n] = rec;
		if (!c->v[c->n].name) {
			ret = nsc_err(e, ENOMEM, "lab \"%s\"", d->st.name);
			goto cleanup;
		}
		c->n++;
	}
	/* an earlier boot's records identify nothing: never ours */
	if (c->n && (ret = lab_ns_scan(d->ctx, &d->st, c->v, c->n, e)) < 0)
		goto cleanup;
	for (size_t i = 0; i < c->n; i++) {
		struct lab_ns *ns = &c->v[i];

		if (ns->fd >= 0) {
			close(ns->fd);  /* held open, it would outlive its name */
			ns->fd = -1;
		}
		if ((ret = destroy_check(d, ns, e)) < 0)
			break;
		if (ret == 1) {
			c->del_rec[c->ndel] = c->recs[i];
			c->del[c->ndel++].name = ns->name;
		} else
			c->gone[c->ngone++] = c->recs[i];
	}
	/* what was settled before a failure is still forgotten */
	if (ret < 0) {
		c->ndel = 0;
		if (c->ngone)
			lab_rec_drop_ns_many(&d->st, c->gone, c->ngone, NULL);
		goto cleanup;
	}
	ret = destroy_delete(d, c, e);
cleanup:
	for (size_t i = 0; i < c->n; i++) {
		if (c->v[i].fd >= 0)
			close(c->v[i].fd);
		free(c->v[i].name);
	}
	free(c);
	return ret;
}

/*
 * The hosts files the lab recorded: removed when they still carry its
 * marker (also those of an earlier boot: /etc outlives /run), then
 * forgotten. Removed on a thread of their own while the namespaces go (the
 * two touch different records, and a namespace's unmount is mostly a wait
 * in the kernel); forgotten on the calling thread once it is joined, in
 * one journal write.
 */
#define HOSTS_THREAD_MIN 16

struct hosts_job {
	struct lab_state *st;
	struct lab_rec **recs;
	size_t n, done;                 /* recs[0..done) removed */
	int ret;
	struct nsc_error e;
	pthread_t tid;
	bool started;
};

static void *hosts_thread(void *arg)
{
	struct hosts_job *h = arg;
	int dfd;

	/* the etc netns dir opened (trusted) once for them all */
	if ((h->ret = lab_hosts_dir(&dfd, &h->e)) < 0)
		return NULL;
	for (; h->done < h->n; h->done++)
		if ((h->ret = lab_hosts_remove_at(dfd, h->st->name, h->recs[h->done]->netns,
						  &h->e)) < 0)
			break;
	if (dfd >= 0)
		close(dfd);
	return NULL;
}

/* Start removing the hosts files (on this thread when no other starts). */
static int hosts_start(struct lab_state *st, struct hosts_job *h, struct nsc_error *e)
{
	size_t cap = 0;

	*h = (struct hosts_job){ .st = st };
	for (size_t i = 0; i < st->n; i++) {
		if (st->v[i].dead || st->v[i].type != REC_HOSTS)
			continue;
		if (NSC_GROW(h->recs, cap, h->n + 1) < 0) {
			free(h->recs);
			return nsc_err(e, ENOMEM, "lab \"%s\"", st->name);
		}
		h->recs[h->n++] = &st->v[i];
	}
	/* a thread costs more than a few files: a small lab's go first, here */
	if (h->n >= HOSTS_THREAD_MIN && pthread_create(&h->tid, NULL, hosts_thread, h) == 0)
		h->started = true;
	else if (h->n)
		hosts_thread(h);
	return 0;
}

/* Wait for them, forget what went (also before a failure); its error. */
static int hosts_finish(struct hosts_job *h, struct nsc_error *e)
{
	int ret;

	if (h->started)
		pthread_join(h->tid, NULL);
	ret = h->done ? lab_rec_drop_many(h->st, h->recs, h->done, h->ret ? NULL : e) : 0;
	if (h->ret < 0) {
		if (e)          /* NULL: the caller has its error already */
			*e = h->e;
		ret = h->ret;
	}
	free(h->recs);
	h->recs = NULL;
	return ret;
}

/* The lab's UTS namespaces unmounted, forgotten. */
static int remove_uts(struct lab_state *st, struct nsc_error *e)
{
	for (size_t i = 0; i < st->n; i++) {
		struct lab_rec *r = &st->v[i];
		int ret;

		if (r->dead || r->type != REC_UTS)
			continue;
		if ((ret = lab_uts_remove(st->dfd, r->netns + strlen(st->name) + 1, e)) < 0 ||
		    (ret = lab_rec_drop(st, r, e)) < 0)
			return ret;
	}
	return 0;
}

int nsc_lab_destroy(struct nsc_ctx *ctx, const char *name,
		    const struct nsc_lab_opts *opts, struct nsc_lab_report *report,
		    struct nsc_error *e)
{
	struct destroy d = { .ctx = ctx, .report = report, .kill = opts && opts->kill };
	struct hosts_job hosts = { 0 };
	int ret, r;

	if (report) {
		nsc_lab_report_free(report);
		if (!(report->name = strdup(name)))
			return nsc_err(e, ENOMEM, "lab \"%s\"", name);
	}
	if ((ret = lab_state_open(ctx, opts, name, LAB_CHANGE, &d.st, e)) < 0)
		return ret;
	if (!d.st.found) {
		/* what a destroy killed after removing the state left */
		lab_state_remove(&d.st, NULL);
		ret = nsc_err_text(e, ENOENT, "lab \"%s\": no state here (it was never applied, "
				   "or was destroyed already)", name);
		goto cleanup;
	}
	/* marked incomplete first: a kill from here on is settled by the
	 * next run (recover.c), which then looks for what was cut short */
	if ((ret = lab_recover(ctx, &d.st, e)) < 0 ||
	    (ret = lab_state_commit(&d.st, false, e)) < 0)
		goto cleanup;
	/* the services first: they would keep the namespaces alive */
	lab_svc_stop_all(d.st.dfd);
	if ((ret = remove_uts(&d.st, e)) == 0 && (ret = hosts_start(&d.st, &hosts, e)) == 0) {
		for (size_t at = 0; at < d.st.n && ret == 0;)
			ret = destroy_chunk(&d, &at, e);
		if ((r = hosts_finish(&hosts, ret ? NULL : e)) < 0 && ret == 0)
			ret = r;
	}
	if (ret == 0)
		ret = report_strangers(&d, e);
	if (ret == 0)
		ret = lab_state_remove(&d.st, e);
	else
		lab_state_commit(&d.st, false, NULL);   /* what is left, recorded */
	if (ret < 0)
		nsc_err_prefix(e, "destroy \"%s\"", name);
cleanup:
	lab_state_close(&d.st);
	return ret;
}

/* ---- gc ---- */

struct gc {
	struct nsc_ctx *ctx;
	bool want_names;
	char **names;
	size_t n, cap;
};

/* Stale name files of what a lab made (a run dir that outlived the boot). */
static void remove_stale_names(struct nsc_ctx *ctx, struct lab_state *st)
{
	struct nsc_error ignore = { 0 };

	for (size_t i = 0; i < st->n; i++) {
		struct lab_ns ns = { .fd = -1, .name = st->v[i].netns };

		if (st->v[i].dead || st->v[i].type != REC_NS ||
		    lab_ns_probe(ctx, &ns, &ignore) < 0)
			continue;
		if (ns.fd >= 0)
			close(ns.fd);
		if (ns.state == NS_STALE)
			nsc_ns_delete(ctx, ns.name, NULL, &ignore);
	}
}

static int gc_one(struct lab_state *st, void *data, struct nsc_error *e)
{
	struct gc *g = data;
	struct hosts_job h;
	int ret;

	if (!st->found || !st->stale) {
		/* a dir left by an apply that never wrote anything goes too */
		if (!st->found && st->dfd >= 0)
			unlinkat(st->rfd, st->name, AT_REMOVEDIR);
		return 0;
	}
	remove_stale_names(g->ctx, st);
	if ((ret = remove_uts(st, e)) < 0 || (ret = hosts_start(st, &h, e)) < 0 ||
	    (ret = hosts_finish(&h, e)) < 0)
		return ret;
	if ((ret = lab_state_remove(st, e)) < 0 || !g->want_names)
		return ret;
	if (NSC_GROW(g->names, g->cap, g->n + 1) < 0 || !(g->names[g->n] = strdup(st->name)))
		return nsc_err(e, ENOMEM, "lab gc");
	g->n++;
	return 0;
}

int nsc_lab_gc(struct nsc_ctx *ctx, const struct nsc_lab_opts *opts,
	       char ***names, size_t *n, struct nsc_error *e)
{
	struct gc g = { .ctx = ctx, .want_names = names != NULL };
	int ret;

	if (names)
		*names = NULL;
	if (n)
		*n = 0;
	ret = lab_state_each(ctx, opts, LAB_CHANGE, "lab gc", gc_one, &g, e);
	if (ret < 0 || !names) {
		nsc_strv_free(g.names, g.n);
		return ret;
	}
	*names = g.names;
	*n = g.n;
	return 0;
}
