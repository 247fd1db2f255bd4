// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A job of apply, diff or show: the lab's state opened, its namespaces
 * listed (the file's, and those it recorded), scanned and looked into, the
 * sysctls read; at the end, the plan's items handed over as a report.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>

#include "base/util.h"
#include "lab/model.h"
#include "lab/plan.h"

/* ---- the namespaces ---- */

/*
 * Namespaces by name: a table, as the plan asks for every record's (a
 * no-op apply of 1000 leaves asked a million strcmp of a list).
 */
static size_t *ns_slot(struct lab_job *job, const char *name)
{
	size_t mask = job->ns_nslots - 1;
	size_t h = (size_t)lab_hash(name, strlen(name), LAB_HASH_INIT) & mask;

	for (; job->ns_slots[h]; h = (h + 1) & mask)
		if (!strcmp(job->ns[job->ns_slots[h] - 1].name, name))
			break;
	return &job->ns_slots[h];
}

struct lab_ns *lab_job_ns(struct lab_job *job, const char *name)
{
	size_t *slot;

	if (!job->ns_nslots) {
		for (size_t i = 0; i < job->n_ns; i++)
			if (!strcmp(job->ns[i].name, name))
				return &job->ns[i];
		return NULL;
	}
	slot = ns_slot(job, name);
	return *slot ? &job->ns[*slot - 1] : NULL;
}

struct lab_ns *lab_node_ns(struct lab_job *job, const struct nsc_lab_node *node)
{
	return &job->ns[node - job->lab->nodes];
}

struct lab_ns *lab_end_ns(struct lab_job *job, const struct nsc_lab_end *end)
{
	if (end->kind == NSC_LAB_END_NODE)
		return lab_node_ns(job, end->node);
	return &job->ns[job->lab->n_nodes];     /* the switch */
}

bool lab_ns_usable(const struct lab_ns *ns)
{
	return ns->state == NS_PRESENT && ns->ours && !ns->doomed;
}

bool lab_link_ours(struct lab_job *job, const struct lab_ns *ns, const struct lab_link *l)
{
	struct lab_rec *r = lab_rec_find(&job->st, REC_LINK, ns->name, l->l.ifname, NULL, 0);

	return r && r->id[0] == (uint64_t)l->l.ifindex && lab_link_marked(l, job->marker);
}

static int add_ns(struct lab_job *job, const char *name, const struct nsc_lab_node *node,
		  bool wanted, bool is_switch)
{
	struct lab_ns *ns = &job->ns[job->n_ns];

	*ns = (struct lab_ns){ .fd = -1, .node = node, .wanted = wanted,
			       .is_switch = is_switch };
	if (!(ns->name = strdup(name)))
		return -ENOMEM;
	job->n_ns++;
	*ns_slot(job, name) = job->n_ns;
	return 0;
}

/* Nodes in file order, then the switch (lab_end_ns() counts on it), then
 * what the state records and the file no longer has (a namespace, or a
 * hosts file or UTS namespace whose network namespace went first). */
static int list_ns(struct lab_job *job)
{
	const struct nsc_lab *lab = job->lab;
	size_t cap = lab->n_nodes + 1, nslots;

	for (size_t i = 0; i < job->st.n; i++)
		cap += job->st.v[i].type == REC_NS || job->st.v[i].type == REC_HOSTS ||
		       job->st.v[i].type == REC_UTS;
	for (nslots = 8; nslots < 2 * cap; nslots *= 2)
		;
	job->ns = calloc(cap, sizeof(*job->ns));
	job->ns_slots = calloc(nslots, sizeof(*job->ns_slots));
	if (!job->ns || !job->ns_slots)
		return -ENOMEM;
	job->ns_nslots = nslots;
	for (size_t i = 0; i < lab->n_nodes; i++)
		if (add_ns(job, lab->nodes[i].netns, &lab->nodes[i], true, false) < 0)
			return -ENOMEM;
	if (add_ns(job, lab->switch_netns, NULL, lab->n_bridges > 0, true) < 0)
		return -ENOMEM;
	for (size_t i = 0; i < job->st.n && !job->st.stale; i++) {
		const struct lab_rec *r = &job->st.v[i];

		if ((r->type == REC_NS || r->type == REC_HOSTS || r->type == REC_UTS) &&
		    !r->dead &&
		    !lab_job_ns(job, r->netns) &&
		    add_ns(job, r->netns, NULL, false, false) < 0)
			return -ENOMEM;
	}
	return 0;
}

/* ---- what to look at ---- */

static int add_name(struct lab_ns *ns, const char *name)
{
	if (NSC_GROW(ns->names, ns->cap_names, ns->n_names + 1) < 0)
		return -ENOMEM;
	ns->names[ns->n_names++] = name;
	return 0;
}

/* The file's interface IFNAME in ns, with its addresses. */
static int want_if(struct lab_ns *ns, const char *ifname, const struct nsc_lab_addr *v,
		   size_t n)
{
	if (add_name(ns, ifname) < 0)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		if (!(ns->want & OBS_ADDRS))
			ns->addr_family = v[i].prefix.family;
		else if (ns->addr_family != v[i].prefix.family)
			ns->addr_family = AF_UNSPEC;
		ns->want |= OBS_ADDRS;
	}
	return 0;
}

/*
 * The links and addresses each wanted namespace needs looked at: the
 * file's interfaces (by name, when they are few) and the address families
 * it uses. (diff and --prune look at all of them: extras count.)
 */
static int want_ifs(struct lab_job *job)
{
	const struct nsc_lab *lab = job->lab;

	for (size_t i = 0; i < lab->n_nodes; i++) {
		struct lab_ns *ns = lab_node_ns(job, &lab->nodes[i]);

		if (lab->nodes[i].n_loopback &&
		    want_if(ns, "lo", lab->nodes[i].loopback, lab->nodes[i].n_loopback) < 0)
			return -ENOMEM;
	}
	for (size_t i = 0; i < lab->n_bridges; i++)
		if (add_name(&job->ns[lab->n_nodes], lab->bridges[i].name) < 0)
			return -ENOMEM;
	for (size_t i = 0; i < lab->n_links; i++) {
		const struct nsc_lab_end *ends[2] = { &lab->links[i].a, &lab->links[i].b };

		for (int j = 0; j < 2; j++)
			if (want_if(lab_end_ns(job, ends[j]), ends[j]->ifname, ends[j]->addrs,
				    ends[j]->n_addrs) < 0)
				return -ENOMEM;
	}
	for (size_t i = 0; i < lab->n_vxlans; i++) {
		const struct nsc_lab_end *end = &lab->vxlans[i].end;

		if (want_if(lab_end_ns(job, end), end->ifname, end->addrs, end->n_addrs) < 0)
			return -ENOMEM;
	}
	for (size_t i = 0; i < job->n_ns; i++)
		if (job->ns[i].n_names > 4)
			job->ns[i].want |= OBS_ALL_LINKS;
	return 0;
}

/*
 * What to dump in each namespace, once it turns out to be the lab's.
 * Qdiscs when the file has impairments, or for diff and --prune (full): an
 * impairment made from outside shows then, and a plain apply of a lab
 * without any pays nothing for them.
 */
static int want(struct lab_job *job, bool full)
{
	bool qdiscs = full || lab_has_impair(job->lab);

	for (size_t i = 0; i < job->n_ns; i++) {
		struct lab_ns *ns = &job->ns[i];

		ns->want = ns->wanted ? OBS_LINKS : 0;
		if (ns->wanted && qdiscs)
			ns->want |= OBS_QDISCS;
		ns->addr_family = AF_UNSPEC;
		if (full && ns->wanted)
			ns->want |= OBS_ALL_LINKS | OBS_ADDRS;
	}
	if (!full && want_ifs(job) < 0)
		return -ENOMEM;
	for (size_t i = 0; i < job->n_ns; i++) {
		struct lab_ns *ns = &job->ns[i];
		const struct nsc_lab_node *node = ns->node;

		if (!ns->wanted || !node)
			continue;
		if (full)
			ns->want |= OBS_ROUTES | OBS_NEIGHS;
		if (node->n_neighs)
			ns->want |= OBS_NEIGHS;
		if (node->n_routes && !full) {
			ns->want |= OBS_ROUTES;
			for (size_t k = 0; k < node->n_routes; k++)
				ns->want |= node->routes[k].to.family == AF_INET6 ?
					    OBS_ROUTES6 : OBS_ROUTES4;
		}
	}
	return 0;
}

/* The sysctls of the file, as the nodes of the lab's have them. */
static int read_sysctls(struct lab_job *job, struct nsc_error *e)
{
	const struct nsc_lab *lab = job->lab;
	size_t n = 0;

	for (size_t i = 0; i < lab->n_nodes; i++)
		if (lab_ns_usable(lab_node_ns(job, &lab->nodes[i])))
			n += lab->n_sysctls + lab->nodes[i].n_sysctls;
	if (!n)
		return 0;
	job->sysctls = calloc(n, sizeof(*job->sysctls));
	if (!job->sysctls)
		return nsc_err(e, ENOMEM, "lab \"%s\"", lab->name);
	for (size_t i = 0; i < lab->n_nodes; i++) {
		const struct nsc_lab_node *node = &lab->nodes[i];
		struct lab_ns *ns = lab_node_ns(job, node);

		if (!lab_ns_usable(ns))
			continue;
		for (size_t k = 0; k < lab->n_sysctls; k++)
			job->sysctls[job->n_sysctls++] = (struct lab_sysctl_job){
				.ns = ns, .name = lab->sysctls[k].name };
		for (size_t k = 0; k < node->n_sysctls; k++)
			job->sysctls[job->n_sysctls++] = (struct lab_sysctl_job){
				.ns = ns, .name = node->sysctls[k].name };
	}
	return lab_sysctl_run(job->ctx, job->sysctls, job->n_sysctls, e);
}

/* ---- the job ---- */

int lab_job_open(struct lab_job *job, struct nsc_ctx *ctx, const struct nsc_lab *lab,
		 const struct nsc_lab_opts *opts, bool writable, bool full,
		 struct nsc_error *e)
{
	struct nsc_lab_opts defaults = NSC_LAB_OPTS_INIT;
	int ret;

	memset(job, 0, sizeof(*job));
	job->st.rfd = job->st.dfd = job->st.jfd = -1;
	job->ctx = ctx;
	job->lab = lab;
	job->opts = opts ? *opts : defaults;
	/* only a plan shown needs them: 5000 strings, ~400 KB, at 1000 leaves */
	job->cmds = !writable;
	nsc_lab_marker(lab->name, job->marker);
	if ((ret = lab_state_open(ctx, &job->opts, lab->name, writable ? LAB_CREATE : LAB_READ,
				  &job->st, e)) < 0)
		return ret;
	if ((ret = lab_recover(ctx, &job->st, e)) < 0)
		return ret;
	if (list_ns(job) < 0 || want(job, full) < 0)
		return nsc_err(e, ENOMEM, "lab \"%s\"", lab->name);
	if ((ret = lab_ns_scan(ctx, &job->st, job->ns, job->n_ns, e)) < 0)
		return ret;
	return read_sysctls(job, e);
}

static void item_free(struct nsc_lab_item *it)
{
	free(it->netns);
	free(it->dev);
	free(it->object);
	free(it->attr);
	free(it->have);
	free(it->want);
	free(it->cmd);
}

void lab_job_close(struct lab_job *job)
{
	for (size_t i = 0; i < job->n_steps; i++)
		item_free(&job->steps[i].item);
	free(job->steps);
	for (size_t i = 0; i < job->n_ns; i++) {
		if (job->ns[i].fd >= 0)
			close(job->ns[i].fd);
		lab_ns_clear(&job->ns[i]);
		free(job->ns[i].names);
		free(job->ns[i].name);
	}
	free(job->ns);
	free(job->ns_slots);
	free(job->sysctls);
	free(job->hosts_body);
	lab_state_close(&job->st);
	memset(job, 0, sizeof(*job));
}

/* ---- the report ---- */

void nsc_lab_report_free(struct nsc_lab_report *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n_items; i++)
		item_free(&r->items[i]);
	free(r->items);
	for (size_t i = 0; i < r->n_ready_cmd; i++)
		free(r->ready_cmd[i]);
	free(r->ready_cmd);
	free(r->name);
	memset(r, 0, sizeof(*r));
}

/*
 * The report takes the steps' items, and the steps' array to hold them: the
 * items are moved to its front (item i lands below step i, which is read
 * first) and the array cut to size. The job's steps are gone after this
 * (only lab_job_close may follow): a second array of items was ~400 KB
 * at 1000 leaves, at the top of apply's memory.
 */
_Static_assert(sizeof(struct nsc_lab_item) <= sizeof(struct lab_step),
	       "an item fits where its step was");

int lab_job_report(struct lab_job *job, struct nsc_lab_report *report, struct nsc_error *e)
{
	struct nsc_lab_item *items;
	size_t n = job->n_steps;

	if (!report)
		return 0;
	nsc_lab_report_free(report);
	if (!(report->name = strdup(job->lab->name)))
		return nsc_err(e, ENOMEM, "lab \"%s\"", job->lab->name);
	items = (struct nsc_lab_item *)(void *)job->steps;
	for (size_t i = 0; i < n; i++) {
		struct nsc_lab_item it = job->steps[i].item;

		if (it.action)
			report->n_actions++;
		if (it.done)
			report->n_done++;
		items[i] = it;
	}
	if (n && (items = realloc(job->steps, n * sizeof(*items))) == NULL)
		items = (struct nsc_lab_item *)(void *)job->steps;      /* kept whole */
	report->items = n ? items : NULL;
	report->n_items = n;
	if (!n)
		free(job->steps);
	job->steps = NULL;
	job->n_steps = job->cap_steps = 0;
	return 0;
}
