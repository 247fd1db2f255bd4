// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * apply's namespaces: each made and recorded (intent first), over the
 * context it is given: the job's, or with opts.jobs > 1 a worker's
 * (apply_par.c), the records then changed under the workers' lock.
 *
 * Making a namespace is most of what a lab of many nodes costs the kernel,
 * and the part it does in parallel best (setup_net holds the pernet lock
 * for reading only; see HACKING.md for what serializes).
 */
#include <errno.h>
#include <pthread.h>
#include <string.h>

#include "lab/apply_ns.h"

static void locked(pthread_mutex_t *m, bool on)
{
	if (m)
		(on ? pthread_mutex_lock : pthread_mutex_unlock)(m);
}

int lab_ns_make(struct lab_job *job, struct nsc_ctx *ctx, struct lab_step *s,
		pthread_mutex_t *lock, struct nsc_error *e)
{
	struct lab_ns *ns = s->ns;
	struct lab_rec *r;
	uint64_t id[3] = { 0 };
	int ret;

	locked(lock, true);
	ret = lab_rec_intend(&job->st, REC_NS, ns->name, NULL, NULL, id, e);
	locked(lock, false);
	if (ret < 0)
		return ret;
	if ((ret = nsc_ns_add(ctx, ns->name, 0, e)) < 0) {
		struct nsc_error ignore = { 0 };

		/* it failed having made nothing (nsc_ns_add's promise): the intent goes */
		locked(lock, true);
		r = lab_rec_find(&job->st, REC_NS, ns->name, NULL, NULL, 0);
		if (r && r->pending)
			lab_rec_drop(&job->st, r, &ignore);
		locked(lock, false);
		return ret;
	}
	lab_ns_clear(ns);
	if ((ret = lab_ns_probe(ctx, ns, e)) < 0)
		return ret;
	if (ns->state != NS_PRESENT)
		return nsc_err_text(e, ENOENT, "netns \"%s\": gone as soon as made", ns->name);
	ret = lab_ns_cookie(ctx, ns, &ns->cookie, e);
	close(ns->fd);          /* a thousand nodes: no thousand fds */
	ns->fd = -1;
	if (ret < 0)
		return ret;
	ns->created = ns->ours = true;
	ns->observed = OBS_LINKS | OBS_ROUTES | OBS_NEIGHS;     /* it is empty */
	id[0] = ns->dev;
	id[1] = ns->ino;
	id[2] = ns->cookie;
	locked(lock, true);
	/* what an earlier namespace of that name held is gone with it */
	ret = lab_rec_drop_inside(&job->st, ns->name, e);
	if (ret == 0)
		ret = lab_rec_put(&job->st, REC_NS, ns->name, NULL, NULL, id, e);
	locked(lock, false);
	return ret;
}
