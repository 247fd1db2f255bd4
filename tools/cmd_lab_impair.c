// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * lab impair: an impairment on a link end of a lab, by node and interface,
 * at run time. It is drift like any change made from outside: `lab diff`
 * shows it, and the next `lab apply` puts back what the file says (with
 * --prune when the file has no impairment: plain applies of such labs do
 * not look at qdiscs).
 */
#include <string.h>

#include "impair.h"

const char lab_impair_help[] =
	"Usage: netnsctl lab impair NAME NODE IFNAME {KEY VALUE...|clear}\n"
	"Impair what interface IFNAME of node NODE sends (lab NAME, as last applied),\n"
	"with netnsctl impair's keys: rate, burst, limit, delay, jitter, loss,\n"
	"duplicate, reorder, corrupt. Drift: lab diff shows it, and the next lab apply\n"
	"restores the file's (lab apply --prune when the file has no impairments).\n";

/* IFNAME must be an end of one of the lab's links on NODE */
static bool has_end(const struct nsc_lab *lab, const struct nsc_lab_node *node,
		    const char *ifname)
{
	for (size_t i = 0; i < lab->n_links; i++) {
		const struct nsc_lab_end *ends[2] = { &lab->links[i].a, &lab->links[i].b };

		for (int j = 0; j < 2; j++)
			if (ends[j]->node == node && !strcmp(ends[j]->ifname, ifname))
				return true;
	}
	return false;
}

int lab_impair(struct kargs *k)
{
	const char *name, *node_name, *ifname;
	const struct nsc_lab_node *node;
	struct nsc_error e = { 0 };
	struct nsc_lab *lab = NULL;
	struct nsc_impair im;
	bool clear;
	int ret;

	if (k->argc - k->i < 3)
		return ka_usage(k, "expected NAME NODE IFNAME and an impairment (or clear)");
	name = k->argv[k->i++];
	node_name = k->argv[k->i++];
	ifname = k->argv[k->i];
	if (nsc_lab_name_check(name, &e) < 0)
		return ka_fail(k, &e);
	k->i++;
	if ((ret = ka_ifname_ok(k, ifname)) || (ret = impair_args(k, &im, &clear)))
		return ret;
	if (k->c->check_only)
		return EXIT_OK;
	if (nsc_lab_load(k->c->ctx, NULL, name, &lab, NULL, &e) < 0)
		return cli_error(k->c, &e);
	node = nsc_lab_node(lab, node_name);
	if (!node)
		ret = ka_usage(k, "lab \"%s\" has no node \"%s\"", name, node_name);
	else if (!has_end(lab, node, ifname))
		ret = ka_usage(k, "node \"%s\" of lab \"%s\" has no link end \"%s\"", node_name,
			       name, ifname);
	else if ((clear ? nsc_impair_clear(k->c->ctx, node->netns, ifname, &e)
			: nsc_impair_set(k->c->ctx, node->netns, ifname, &im, &e)) < 0)
		ret = cli_error(k->c, &e);
	else
		ret = EXIT_OK;
	nsc_lab_free(lab);
	return ret;
}
