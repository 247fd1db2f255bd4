// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A run of apply, diff or show: the lab's state opened, its namespaces
 * listed (the file's, and those it recorded), scanned and looked into, the
 * sysctls read; the plan's items handed over as a report. diff is a run
 * that changes nothing; show asks only what exists.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "lab/engine.h"

/* ---- a run: state, namespaces, observation ---- */

static int add_ns(struct lab_run *run, const char *name, const struct nsc_lab_node *node,
		  bool wanted, bool is_switch)
{
	struct lab_ns *ns = &run->ns[run->n_ns];

	memset(ns, 0, sizeof(*ns));
	ns->fd = -1;
	ns->node = node;
	ns->wanted = wanted;
	ns->is_switch = is_switch;
	if (!(ns->name = strdup(name)))
		return -ENOMEM;
	run->n_ns++;
	return 0;
}

static int add_name(struct lab_ns *ns, const char *name)
{
	const char **v = realloc(ns->names, (ns->n_names + 1) * sizeof(*v));

	if (!v)
		return -ENOMEM;
	ns->names = v;
	v[ns->n_names++] = name;
	return 0;
}

static void add_family(struct lab_ns *ns, const struct nsc_lab_addr *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (!(ns->want & OBS_ADDRS))
			ns->addr_family = v[i].prefix.family;
		else if (ns->addr_family != v[i].prefix.family)
			ns->addr_family = AF_UNSPEC;
		ns->want |= OBS_ADDRS;
	}
}

/*
 * Which links and addresses each wanted namespace needs looked at: all of
 * them for diff and --prune (extras count); else the file's interfaces (by
 * name, when they are few) and the address families it uses.
 */
static int plan_names(struct lab_run *run, bool full)
{
	const struct nsc_lab *lab = run->lab;

	for (size_t i = 0; i < run->n_ns; i++) {
		struct lab_ns *ns = &run->ns[i];

		ns->want = ns->wanted ? OBS_LINKS : 0;
		ns->addr_family = AF_UNSPEC;
		if (full && ns->wanted)
			ns->want |= OBS_ALL_LINKS | OBS_ADDRS;
	}
	if (full)
		return 0;
	for (size_t i = 0; i < lab->n_nodes; i++) {
		struct lab_ns *ns = lab_node_ns(run, &lab->nodes[i]);

		if (lab->nodes[i].n_loopback && add_name(ns, "lo") < 0)
			return -ENOMEM;
		add_family(ns, lab->nodes[i].loopback, lab->nodes[i].n_loopback);
	}
	for (size_t i = 0; i < lab->n_bridges; i++)
		if (add_name(&run->ns[lab->n_nodes], lab->bridges[i].name) < 0)
			return -ENOMEM;
	for (size_t i = 0; i < lab->n_links; i++) {
		const struct nsc_lab_end *ends[2] = { &lab->links[i].a, &lab->links[i].b };

		for (int j = 0; j < 2; j++) {
			struct lab_ns *ns = lab_end_ns(run, ends[j]);

			if (add_name(ns, ends[j]->ifname) < 0)
				return -ENOMEM;
			add_family(ns, ends[j]->addrs, ends[j]->n_addrs);
		}
	}
	for (size_t i = 0; i < run->n_ns; i++)
		if (run->ns[i].n_names > 4)
			run->ns[i].want |= OBS_ALL_LINKS;
	return 0;
}

static int read_sysctls(struct lab_run *run, struct nsc_error *e)
{
	const struct nsc_lab *lab = run->lab;
	size_t n = 0;

	for (size_t i = 0; i < lab->n_nodes; i++)
		if (lab_ns_usable(lab_node_ns(run, &lab->nodes[i])))
			n += lab->n_sysctls + lab->nodes[i].n_sysctls;
	if (!n)
		return 0;
	run->jobs = calloc(n, sizeof(*run->jobs));
	if (!run->jobs)
		return nsc_err(e, ENOMEM, "lab \"%s\"", lab->name);
	for (size_t i = 0; i < lab->n_nodes; i++) {
		const struct nsc_lab_node *node = &lab->nodes[i];
		struct lab_ns *ns = lab_node_ns(run, node);

		if (!lab_ns_usable(ns))
			continue;
		for (size_t k = 0; k < lab->n_sysctls; k++)
			run->jobs[run->n_jobs++] = (struct lab_sysctl_job){
				.ns = ns, .name = lab->sysctls[k].name };
		for (size_t k = 0; k < node->n_sysctls; k++)
			run->jobs[run->n_jobs++] = (struct lab_sysctl_job){
				.ns = ns, .name = node->sysctls[k].name };
	}
	return lab_sysctl_run(run->ctx, run->jobs, run->n_jobs, e);
}

int lab_run_prepare(struct lab_run *run, struct nsc_ctx *ctx, const struct nsc_lab *lab,
		    const struct nsc_lab_opts *opts, bool writable, bool full,
		    struct nsc_error *e)
{
	struct nsc_lab_opts defaults = NSC_LAB_OPTS_INIT;
	size_t cap;
	int ret;

	memset(run, 0, sizeof(*run));
	run->st.dfd = run->st.jfd = -1;
	run->ctx = ctx;
	run->lab = lab;
	run->opts = opts ? *opts : defaults;
	nsc_lab_marker(lab->name, run->marker);
	if ((ret = lab_state_open(ctx, &run->opts, lab->name, writable ? LAB_CREATE : LAB_READ,
				  &run->st, e)) < 0)
		return ret;

	cap = lab->n_nodes + 1;
	for (size_t i = 0; i < run->st.n; i++)
		cap += run->st.v[i].type == REC_NS;
	run->ns = calloc(cap, sizeof(*run->ns));
	if (!run->ns)
		return nsc_err(e, ENOMEM, "lab \"%s\"", lab->name);
	/* nodes in file order, then the switch: lab_end_ns() counts on it */
	for (size_t i = 0; i < lab->n_nodes; i++)
		if (add_ns(run, lab->nodes[i].netns, &lab->nodes[i], true, false) < 0)
			return nsc_err(e, ENOMEM, "lab \"%s\"", lab->name);
	if (add_ns(run, lab->switch_netns, NULL, lab->n_bridges > 0, true) < 0)
		return nsc_err(e, ENOMEM, "lab \"%s\"", lab->name);
	for (size_t i = 0; i < run->st.n && !run->st.stale; i++) {
		const struct lab_rec *r = &run->st.v[i];

		if (r->type == REC_NS && !r->dead && !lab_run_ns(run, r->netns) &&
		    add_ns(run, r->netns, NULL, false, false) < 0)
			return nsc_err(e, ENOMEM, "lab \"%s\"", lab->name);
	}

	if ((ret = plan_names(run, full)) < 0)
		return nsc_err(e, -ret, "lab \"%s\"", lab->name);
	/* what to dump, once a namespace turns out to be the lab's */
	for (size_t i = 0; i < run->n_ns; i++) {
		struct lab_ns *ns = &run->ns[i];
		const struct nsc_lab_node *node = ns->node;

		if (!ns->wanted)
			continue;
		if (node && full)
			ns->want |= OBS_ROUTES | OBS_NEIGHS;
		if (node && node->n_neighs)
			ns->want |= OBS_NEIGHS;
		if (node && node->n_routes && !full) {
			ns->want |= OBS_ROUTES;
			for (size_t k = 0; k < node->n_routes; k++)
				ns->want |= node->routes[k].to.family == AF_INET6 ?
					    OBS_ROUTES6 : OBS_ROUTES4;
		}
	}
	if ((ret = lab_ns_scan(ctx, &run->st, run->ns, run->n_ns, e)) < 0)
		return ret;
	return read_sysctls(run, e);
}

void lab_run_free(struct lab_run *run)
{
	for (size_t i = 0; i < run->n_steps; i++) {
		struct nsc_lab_item *it = &run->steps[i].item;

		free(it->netns);
		free(it->dev);
		free(it->object);
		free(it->attr);
		free(it->have);
		free(it->want);
		free(it->cmd);
	}
	free(run->steps);
	for (size_t i = 0; i < run->n_ns; i++) {
		if (run->ns[i].fd >= 0)
			close(run->ns[i].fd);
		lab_ns_clear(&run->ns[i]);
		free(run->ns[i].names);
		free(run->ns[i].name);
	}
	free(run->ns);
	free(run->jobs);
	lab_state_close(&run->st);
	memset(run, 0, sizeof(*run));
}

void nsc_lab_report_free(struct nsc_lab_report *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n_items; i++) {
		struct nsc_lab_item *it = &r->items[i];

		free(it->netns);
		free(it->dev);
		free(it->object);
		free(it->attr);
		free(it->have);
		free(it->want);
		free(it->cmd);
	}
	free(r->items);
	for (size_t i = 0; i < r->n_ready_cmd; i++)
		free(r->ready_cmd[i]);
	free(r->ready_cmd);
	free(r->name);
	memset(r, 0, sizeof(*r));
}

int lab_run_report(struct lab_run *run, struct nsc_lab_report *report, struct nsc_error *e)
{
	if (!report)
		return 0;
	nsc_lab_report_free(report);
	if (!(report->name = strdup(run->lab->name)) ||
	    (run->n_steps && !(report->items = calloc(run->n_steps, sizeof(*report->items)))))
		return nsc_err(e, ENOMEM, "lab \"%s\"", run->lab->name);
	for (size_t i = 0; i < run->n_steps; i++) {
		struct nsc_lab_item *it = &run->steps[i].item;

		report->items[i] = *it;
		if (it->action)
			report->n_actions++;
		if (it->done)
			report->n_done++;
		memset(it, 0, sizeof(*it));     /* the report owns the strings now */
	}
	report->n_items = run->n_steps;
	return 0;
}

int nsc_lab_diff(struct nsc_ctx *ctx, const struct nsc_lab *lab,
		 const struct nsc_lab_opts *opts, struct nsc_lab_report *report,
		 struct nsc_error *e)
{
	struct lab_run run;
	int ret;

	ret = lab_run_prepare(&run, ctx, lab, opts, false, true, e);
	if (ret == 0)
		ret = lab_plan(&run, e);
	if (ret == 0)
		ret = lab_run_report(&run, report, e);
	lab_run_free(&run);
	return ret;
}

/* ---- what exists, for show ---- */

static enum nsc_lab_presence link_presence(struct lab_run *run, struct lab_ns *ns,
					   const char *ifname)
{
	struct lab_link *l;

	if (ns->state == NS_ABSENT)
		return NSC_LAB_ABSENT;
	if (!lab_ns_usable(ns))
		return NSC_LAB_NOT_OURS;
	l = lab_ns_link(ns, ifname);
	if (!l)
		return NSC_LAB_ABSENT;
	return lab_link_ours(run, ns, l) ? NSC_LAB_PRESENT : NSC_LAB_NOT_OURS;
}

static enum nsc_lab_presence ns_presence(const struct lab_ns *ns)
{
	if (ns->state == NS_ABSENT)
		return NSC_LAB_ABSENT;
	return ns->ours ? NSC_LAB_PRESENT : NSC_LAB_NOT_OURS;
}

void nsc_lab_status_free(struct nsc_lab_status *st)
{
	free(st->nodes);
	free(st->bridges);
	free(st->ends);
	memset(st, 0, sizeof(*st));
}

int nsc_lab_status(struct nsc_ctx *ctx, const struct nsc_lab *lab,
		   const struct nsc_lab_opts *opts, struct nsc_lab_status *st,
		   struct nsc_error *e)
{
	struct lab_run run;
	int ret;

	memset(st, 0, sizeof(*st));
	ret = lab_run_prepare(&run, ctx, lab, opts, false, false, e);
	if (ret < 0)
		goto out;
	st->nodes = calloc(lab->n_nodes + 1, sizeof(*st->nodes));
	st->bridges = calloc(lab->n_bridges + 1, sizeof(*st->bridges));
	st->ends = calloc(lab->n_links + 1, sizeof(*st->ends));
	if (!st->nodes || !st->bridges || !st->ends) {
		nsc_lab_status_free(st);
		ret = nsc_err(e, ENOMEM, "lab \"%s\"", lab->name);
		goto out;
	}
	for (size_t i = 0; i < lab->n_nodes; i++)
		st->nodes[i] = ns_presence(&run.ns[i]);
	st->switch_ns = ns_presence(&run.ns[lab->n_nodes]);
	for (size_t i = 0; i < lab->n_bridges; i++)
		st->bridges[i] = link_presence(&run, &run.ns[lab->n_nodes],
					       lab->bridges[i].name);
	for (size_t i = 0; i < lab->n_links; i++) {
		st->ends[i][0] = link_presence(&run, lab_end_ns(&run, &lab->links[i].a),
					       lab->links[i].a.ifname);
		st->ends[i][1] = link_presence(&run, lab_end_ns(&run, &lab->links[i].b),
					       lab->links[i].b.ifname);
	}
out:
	lab_run_free(&run);
	return ret;
}
