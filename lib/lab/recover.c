// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * After a crash: settle the intents a killed run left pending (state.h,
 * lab_rec_intend), before a job plans anything or destroy removes anything.
 * Namespaces first (what is inside one is settled knowing whether the
 * namespace is the lab's), then the rest, each by its type's line in the
 * table at the end:
 *
 *   namespace  there: adopted (its inode and cookie recorded, its loopback
 *              up as nsc_ns_add leaves it); a name file
 *              with nothing mounted: removed; not there: forgotten
 *   link       there in a namespace of the lab's and marked: adopted (its
 *              ifindex); there unmarked (killed before the mark): removed,
 *              the plan makes it again; else forgotten
 *   inside     (addresses, routes, neighbours) kept when the namespace is
 *              the lab's (the plan adds it if it is missing), else forgotten
 *   hosts      a node's hosts file there with the lab's marker: kept; else
 *              forgotten, and a temp file left by the write removed
 *   uts        a node's UTS namespace mounted in the lab's dir: kept; else
 *              its file removed, forgotten
 *
 * And a namespace recorded as made whose name file has nothing mounted any
 * more (a delete killed between its unmount and its unlink) has its name
 * removed and its record forgotten.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <netnsctl/link.h>
#include <netnsctl/netns.h>

#include "lab/hosts.h"
#include "lab/observe.h"
#include "lab/uts.h"
#include "lab/state.h"
#include "rtnl/rtnl.h"

struct recover {
	struct nsc_ctx *ctx;
	struct lab_state *st;
	char marker[256];
};

typedef int (*settle_fn)(struct recover *rc, struct lab_rec *r, struct nsc_error *e);

/* Which namespace NAME is, and whether it is the lab's (ns->ours). */
static int identify(struct recover *rc, const char *name, struct lab_ns *ns,
		    struct nsc_error *e)
{
	*ns = (struct lab_ns){ .fd = -1, .name = (char *)name };
	return lab_ns_identify(rc->ctx, rc->st, ns, e);
}

static void unidentify(struct lab_ns *ns)
{
	if (ns->fd >= 0)
		close(ns->fd);
	lab_ns_clear(ns);
	ns->fd = -1;
}

/* Remove the name file NAME that has nothing mounted (a no-op when read-only). */
static int remove_stale(struct recover *rc, const char *name, struct nsc_error *e)
{
	int ret;

	if (!rc->st->writable)
		return 0;
	/* takes the run dir's lock exclusively and looks again: an add in
	 * flight is never taken for stale */
	ret = nsc_ns_delete(rc->ctx, name, NULL, e);
	if (ret == -ENOENT) {
		nsc_error_clear(e);
		ret = 0;
	}
	return ret;
}

/* A namespace's record, and with it those of what it held. */
static int forget_ns(struct recover *rc, struct lab_rec *r, struct nsc_error *e)
{
	int ret = lab_rec_drop_inside(rc->st, r->netns, e);

	return ret < 0 ? ret : lab_rec_drop(rc->st, r, e);
}

static int settle_ns(struct recover *rc, struct lab_rec *r, struct nsc_error *e)
{
	struct lab_ns ns = { .fd = -1, .name = r->netns };
	uint64_t id[3];
	int ret;

	if ((ret = lab_ns_probe(rc->ctx, &ns, e)) < 0)
		goto cleanup;
	if (ns.state != NS_PRESENT) {
		if (ns.state == NS_ABSENT || (ret = remove_stale(rc, r->netns, e)) == 0)
			ret = forget_ns(rc, r, e);
		goto cleanup;
	}
	if ((ret = lab_ns_cookie(rc->ctx, &ns, &ns.cookie, e)) < 0)
		goto cleanup;
	/* a kill between the mount and loopback's up (nsc_ns_add) left it
	 * down: up as a namespace made whole has it */
	if (rc->st->writable &&
	    (ret = nsc_link_set(rc->ctx, r->netns, "lo", &(struct nsc_link_change){ .up = true },
				e)) < 0)
		goto cleanup;
	id[0] = ns.dev;
	id[1] = ns.ino;
	id[2] = ns.cookie;
	/* as do_ns_add: what an earlier namespace of that name held is gone */
	if ((ret = lab_rec_drop_inside(rc->st, r->netns, e)) == 0)
		ret = lab_rec_put(rc->st, REC_NS, r->netns, NULL, NULL, id, e);
cleanup:
	if (ns.fd >= 0)
		close(ns.fd);
	return ret;
}

static int settle_link(struct recover *rc, struct lab_rec *r, struct nsc_error *e)
{
	struct lab_link *l;
	struct lab_ns ns;
	int ret;

	if ((ret = identify(rc, r->netns, &ns, e)) < 0)
		goto cleanup;
	if (ns.state != NS_PRESENT || !ns.ours) {
		ret = lab_rec_drop(rc->st, r, e);
		goto cleanup;
	}
	ret = lab_ns_learn_link(rc->ctx, &ns, r->dev, &l, e);
	if (ret == -ENODEV) {
		nsc_error_clear(e);
		ret = lab_rec_drop(rc->st, r, e);
		goto cleanup;
	}
	if (ret < 0)
		goto cleanup;
	if (lab_link_marked(l, rc->marker)) {
		uint64_t id[3] = { (uint64_t)l->l.ifindex, 0, 0 };

		ret = lab_rec_put(rc->st, REC_LINK, r->netns, r->dev, NULL, id, e);
		goto cleanup;
	}
	/* made, never marked: half of what the lab wanted, in its namespace */
	if (rc->st->writable) {
		ret = nsc_link_del_index(rc->ctx, r->netns, l->l.ifindex, e);
		if (ret == -ENODEV) {
			nsc_error_clear(e);
			ret = 0;
		}
		if (ret < 0)
			goto cleanup;
	}
	ret = lab_rec_drop(rc->st, r, e);
cleanup:
	unidentify(&ns);
	return ret;
}

static int settle_inside(struct recover *rc, struct lab_rec *r, struct nsc_error *e)
{
	struct lab_ns ns;
	int ret;

	if ((ret = identify(rc, r->netns, &ns, e)) < 0)
		goto cleanup;
	if (ns.state == NS_PRESENT && ns.ours)
		ret = lab_rec_put(rc->st, r->type, r->netns, r->dev, r->key, r->id, e);
	else
		ret = lab_rec_drop(rc->st, r, e);
cleanup:
	unidentify(&ns);
	return ret;
}

/* A hosts file: there with the lab's marker, kept (the plan rewrites it if
 * it is not whole: a rename is); else forgotten, with the temp file a
 * killed write left. */
static int settle_hosts(struct recover *rc, struct lab_rec *r, struct nsc_error *e)
{
	enum lab_hosts_have have;
	int ret;

	if ((ret = lab_hosts_read(rc->st->name, r->netns, &have, NULL, e)) < 0)
		return ret;
	if (have == HOSTS_MARKED)
		return lab_rec_put(rc->st, r->type, r->netns, r->dev, r->key, r->id, e);
	if (rc->st->writable && (ret = lab_hosts_remove(rc->st->name, r->netns, e)) < 0)
		return ret;
	return lab_rec_drop(rc->st, r, e);
}

/* A UTS namespace: mounted, kept; else the file goes, and the intent. */
static int settle_uts(struct recover *rc, struct lab_rec *r, struct nsc_error *e)
{
	const char *node = r->netns + strlen(rc->st->name) + 1;
	int ret;

	if (lab_uts_probe(rc->st->dfd, node) == UTS_PRESENT)
		return lab_rec_put(rc->st, r->type, r->netns, r->dev, r->key, r->id, e);
	if (rc->st->writable && (ret = lab_uts_remove(rc->st->dfd, node, e)) < 0)
		return ret;
	return lab_rec_drop(rc->st, r, e);
}

/* How a pending record of each type is settled; NULL: forgotten. */
static const settle_fn settle[REC_NTYPES] = {
	[REC_NS] = settle_ns,
	[REC_LINK] = settle_link,
	[REC_ADDR] = settle_inside,
	[REC_ROUTE] = settle_inside,
	[REC_NEIGH] = settle_inside,
	[REC_HOSTS] = settle_hosts,
	[REC_UTS] = settle_uts,
};

/* A namespace the lab made whose name has nothing mounted: its delete was
 * cut short. The name goes, then the record. */
static int settle_stale(struct recover *rc, struct lab_rec *r, struct nsc_error *e)
{
	struct lab_ns ns = { .fd = -1, .name = r->netns };
	int ret;

	if ((ret = lab_ns_probe(rc->ctx, &ns, e)) < 0 || ns.state != NS_STALE)
		goto cleanup;
	if ((ret = remove_stale(rc, r->netns, e)) == 0 && rc->st->writable)
		ret = forget_ns(rc, r, e);
cleanup:
	if (ns.fd >= 0)
		close(ns.fd);
	return ret;
}

int lab_recover(struct nsc_ctx *ctx, struct lab_state *st, struct nsc_error *e)
{
	struct recover rc = { .ctx = ctx, .st = st };
	int ret = 0;

	/* an earlier boot's records identify nothing: gc's to remove. A run
	 * that finished left nothing pending (apply and destroy mark the state
	 * incomplete before they change anything). */
	if (st->stale || st->complete || !st->found)
		return 0;
	nsc_lab_marker(st->name, rc.marker);
	/* indexes, not pointers: a record put may move the array */
	for (int pass = 0; pass < 2 && ret == 0; pass++) {
		for (size_t i = 0; i < st->n && ret == 0; i++) {
			struct lab_rec *r = &st->v[i];

			if (r->dead || (r->type == REC_NS) != (pass == 0))
				continue;
			if (!r->pending)
				ret = r->type == REC_NS ? settle_stale(&rc, r, e) : 0;
			else if (settle[r->type])
				ret = settle[r->type](&rc, r, e);
			else
				ret = lab_rec_drop(st, r, e);
		}
	}
	if (ret < 0)
		nsc_err_prefix(e, "lab \"%s\": settling what a killed run left", st->name);
	return ret;
}
