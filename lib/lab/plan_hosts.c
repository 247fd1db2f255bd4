// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The plan's hosts files (lab/hosts.h): each node of the file gets one that
 * says what lab_hosts_text() says; a recorded one whose node is gone from
 * the file is an extra (removed with --prune). A file there without the
 * lab's marker line is someone else's: it blocks the apply ("in the way"),
 * never overwritten. A marked one is the lab's even with no record: /etc
 * outlives the state under /run across a reboot, and the marker names the
 * lab.
 *
 * Also each node's UTS namespace when the lab has defaults.hostname
 * (lab/uts.h): made when not mounted in the lab's dir; recorded ones the
 * file no longer wants are extras. The hostname inside is the lab's to
 * keep; it is not read back.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <netnsctl/exec.h>

#include "lab/hosts.h"
#include "lab/plan.h"
#include "lab/uts.h"

static struct lab_step *hosts_step(struct lab_job *job, enum lab_op op, enum lab_phase phase,
				   enum nsc_lab_change change, struct lab_ns *ns,
				   struct nsc_lab_pos pos)
{
	struct lab_step *s = lab_step_new(job, op, phase, NSC_LAB_HOSTS, change, ns, NULL, pos);

	if (s)
		s->item.object = lab_job_fmt(job, "%s/%s/hosts", nsc_etc_netns_dir(), ns->name);
	return s;
}

/* A node's hosts file as read: only the verdict is kept (a file is as long
 * as the lab: at 1000 nodes, all of them held at once would be 50 MB). */
struct hosts_seen {
	const struct nsc_lab_node *node;
	const char *netns;
	bool in_way;                    /* the namespace is: not read */
	bool done;                      /* known by its identity: not read */
	struct lab_hosts_id id;         /* the record's (lab/hosts.h) */
	enum lab_hosts_have have;
	bool same;                      /* MARKED, and says what the lab's says */
	int ret;
	struct nsc_error err;
};

struct hosts_reads {
	struct hosts_seen *v;
	size_t n;
	int dfd;
	const struct nsc_lab *lab;
	const char *body;               /* lab_hosts_body() */
	atomic_size_t next;
};

#define HOSTS_THREADS 4

static void *read_thread(void *arg)
{
	struct hosts_reads *r = arg;
	size_t i;

	while ((i = atomic_fetch_add(&r->next, 1)) < r->n) {
		struct hosts_seen *h = &r->v[i];
		char *text = NULL;

		if (h->in_way || h->done)
			continue;
		h->ret = lab_hosts_read_at(r->dfd, r->lab->name, h->netns, &h->have, &text,
					   &h->err);
		h->same = h->ret == 0 && h->have == HOSTS_MARKED &&
			  lab_hosts_same(r->lab, h->node, r->body, text);
		free(text);
	}
	return NULL;
}

/*
 * Every node's file, on a few threads when there are many: each is an open
 * and a read through /etc (an overlay, in a container), most of a no-op
 * apply's plan. The calling thread takes its share; a thread that cannot
 * be started leaves its share to the others.
 */
static void read_hosts(struct hosts_reads *r)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	size_t want = 0, nt = 0, left = 0;
	pthread_t tid[HOSTS_THREADS];
	uint64_t body_hash = 0;

	/* first those the record identifies: unchanged, as written, and the
	 * text the lab wants now is the one written (two fstatat each) */
	for (size_t i = 0; i < r->n; i++) {
		struct hosts_seen *h = &r->v[i];

		if (!h->in_way && h->id.set) {
			if (!body_hash)
				body_hash = lab_hosts_body_hash(r->body);
			h->done = lab_hosts_unchanged_at(r->dfd, h->netns, &h->id,
							 lab_hosts_hash(r->lab, h->node, body_hash));
		}
		if (h->done) {
			h->have = HOSTS_MARKED;
			h->same = true;
		} else if (!h->in_way) {
			left++;
		}
	}
	if (left >= 32 && cpus > 1)
		want = (cpus < HOSTS_THREADS ? (size_t)cpus : HOSTS_THREADS) - 1;
	atomic_init(&r->next, 0);
	for (; nt < want; nt++)
		if (pthread_create(&tid[nt], NULL, read_thread, r))
			break;
	read_thread(r);
	for (size_t t = 0; t < nt; t++)
		pthread_join(tid[t], NULL);
}

/* NODE's hosts file, as read into h; DIR_ERR: the directory could not be
 * opened (every node's file is then in the way, with why). */
static void plan_node(struct lab_job *job, struct hosts_seen *h, const struct nsc_error *dir_err,
		      const struct nsc_lab_node *node)
{
	struct lab_ns *ns = lab_node_ns(job, node);
	struct lab_step *s;

	if (h->in_way)
		return;                 /* the namespace is in the way: said already */
	if (dir_err || h->ret < 0) {
		s = hosts_step(job, OP_NONE, PH_HOSTS, NSC_LAB_FOREIGN, ns, node->pos);
		if (s) {
			s->blocking = true;
			s->item.have = lab_job_dup(job, dir_err ? dir_err->msg : h->err.msg);
		}
	} else if (h->have == HOSTS_ABSENT) {
		s = hosts_step(job, OP_HOSTS, PH_HOSTS, NSC_LAB_MISSING, ns, node->pos);
		if (s)
			s->node = node;
	} else if (h->have == HOSTS_OTHER) {
		s = hosts_step(job, OP_NONE, PH_HOSTS, NSC_LAB_FOREIGN, ns, node->pos);
		if (s) {
			s->blocking = true;
			s->item.have = lab_job_dup(job, "not written by the lab (no marker line)");
		}
	} else if (!h->same) {
		s = hosts_step(job, OP_HOSTS, PH_HOSTS, NSC_LAB_DIFFERS, ns, node->pos);
		if (s) {
			s->node = node;
			lab_step_differs(job, s, "content", "other names", "the lab's");
		}
	}
}

/* The node's name in namespace NETNS ("LAB.NODE") */
static const char *node_of(const struct lab_job *job, const char *netns)
{
	return netns + strlen(job->lab->name) + 1;
}

static void plan_uts(struct lab_job *job)
{
	const struct nsc_lab *lab = job->lab;
	struct lab_step *s;

	for (size_t i = 0; i < lab->n_nodes && lab->hostname; i++) {
		const struct nsc_lab_node *node = &lab->nodes[i];
		struct lab_ns *ns = lab_node_ns(job, node);
		enum lab_uts_have have = job->st.dfd >= 0 ? lab_uts_probe(job->st.dfd, node->name)
							  : UTS_ABSENT;

		if (have == UTS_PRESENT)
			continue;
		s = lab_step_new(job, OP_UTS, PH_NS, NSC_LAB_HOSTNAME, NSC_LAB_MISSING, ns, NULL,
				 node->pos);
		if (s) {
			s->node = node;
			s->item.object = lab_job_dup(job, node->name);
		}
	}
	for (size_t i = 0; i < job->st.n; i++) {
		struct lab_rec *r = &job->st.v[i];
		struct lab_ns *ns;

		if (r->dead || r->type != REC_UTS)
			continue;
		ns = lab_job_ns(job, r->netns);
		if (!ns || (ns->node && lab->hostname))
			continue;
		s = lab_step_new(job, job->opts.prune ? OP_UTS_DEL : OP_NONE, PH_DEL_NS,
				 NSC_LAB_HOSTNAME, NSC_LAB_EXTRA, ns, NULL, (struct nsc_lab_pos){ 0, 0 });
		if (!s)
			continue;       /* out of memory: job->nomem says so */
		s->item.object = lab_job_dup(job, node_of(job, r->netns));
		lab_step_recorded(job, s, r);
	}
}

void lab_plan_hosts(struct lab_job *job)
{
	const struct nsc_lab *lab = job->lab;

	struct nsc_error err = { 0 };
	struct hosts_reads reads;
	struct lab_rec *rec;
	int dfd = -1, ret;

	plan_uts(job);
	if (!lab_hosts_possible())
		return;
	if (lab_hosts_body(lab, &job->hosts_body) < 0) {
		job->nomem = true;
		return;
	}
	/* the directory once for all nodes (a no-op apply of 100 nodes) */
	ret = lab_hosts_dir(&dfd, &err);
	reads = (struct hosts_reads){ .n = lab->n_nodes, .dfd = dfd, .lab = lab,
				      .body = job->hosts_body };
	if (!(reads.v = calloc(lab->n_nodes ? lab->n_nodes : 1, sizeof(*reads.v)))) {
		job->nomem = true;
		goto cleanup;
	}
	for (size_t i = 0; i < lab->n_nodes; i++) {
		struct lab_ns *ns = lab_node_ns(job, &lab->nodes[i]);

		reads.v[i] = (struct hosts_seen){
			.node = &lab->nodes[i],
			.netns = ns->name,
			.in_way = ns->state != NS_ABSENT && !lab_ns_usable(ns),
		};
		/* an earlier boot's record identifies nothing */
		rec = job->st.stale ? NULL : lab_rec_find(&job->st, REC_HOSTS, ns->name, NULL,
							   NULL, 0);
		if (rec)
			lab_hosts_key_parse(rec->key, &reads.v[i].id);
	}
	if (ret == 0)
		read_hosts(&reads);
	for (size_t i = 0; i < lab->n_nodes; i++) {
		plan_node(job, &reads.v[i], ret < 0 ? &err : NULL, &lab->nodes[i]);
	}
	free(reads.v);
cleanup:
	if (dfd >= 0)
		close(dfd);
	/* recorded for a namespace that is no node of the file any more */
	for (size_t i = 0; i < job->st.n; i++) {
		struct lab_rec *r = &job->st.v[i];
		struct lab_ns *ns;
		struct lab_step *s;

		if (r->dead || r->type != REC_HOSTS)
			continue;
		ns = lab_job_ns(job, r->netns);
		if (!ns || ns->node)    /* (job.c lists every recorded one) */
			continue;
		s = hosts_step(job, job->opts.prune ? OP_HOSTS_DEL : OP_NONE, PH_DEL_INSIDE,
			       NSC_LAB_EXTRA, ns, (struct nsc_lab_pos){ 0, 0 });
		if (s)
			lab_step_recorded(job, s, r);
	}
}
