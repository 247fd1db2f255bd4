// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Which interfaces `lab capture` opens: a node's interface, link ends and
 * bridge ports, from the lab's model alone (the file as last applied). A
 * bridge's ports live in LAB._switch, named in the model (BRIDGE-K unless
 * the file names them), so nothing here asks the system.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <netnsctl/lab.h>
#include <netnsctl/parse.h>
#include "base/util.h"

struct picks {
	const struct nsc_lab *lab;
	struct nsc_capture_if *v;
	size_t n, cap;
};

static char *end_label(const struct nsc_lab_end *end)
{
	const char *owner = end->kind == NSC_LAB_END_NODE ? end->node->name : end->bridge->name;
	char *s;

	return asprintf(&s, "%s:%s", owner, end->ifname) < 0 ? NULL : s;
}

/* Add NETNS/IFNAME unless picked already; LABEL and DESCR are taken over. */
static int add(struct picks *p, const char *netns, const char *ifname, char *label,
	       char *descr, struct nsc_error *e)
{
	struct nsc_capture_if *c;

	if (!label)
		goto nomem;
	for (size_t i = 0; i < p->n; i++) {
		if (!strcmp(p->v[i].netns, netns) && !strcmp(p->v[i].ifname, ifname)) {
			free(label);
			free(descr);
			return 0;
		}
	}
	if (NSC_GROW(p->v, p->cap, p->n + 1) < 0)
		goto nomem;
	c = &p->v[p->n++];
	c->netns = netns;
	c->ifname = ifname;
	c->label = label;
	c->descr = descr;
	return 0;
nomem:
	free(label);
	free(descr);
	return nsc_err(e, ENOMEM, "lab capture");
}

static int add_end(struct picks *p, const struct nsc_lab_end *end, struct nsc_error *e)
{
	const char *netns = end->kind == NSC_LAB_END_NODE ? end->node->netns :
			    p->lab->switch_netns;

	return add(p, netns, end->ifname, end_label(end), NULL, e);
}

/* "N" (from 1) or "NODE:IF": one link end */
static int add_link(struct picks *p, const char *sel, struct nsc_error *e)
{
	const struct nsc_lab *lab = p->lab;
	const char *colon = strchr(sel, ':');
	uint32_t i;

	if (!colon) {
		const struct nsc_lab_link *k;

		if (nsc_parse_u32(sel, 1, UINT32_MAX, &i, "link", e) < 0 || i > lab->n_links)
			return nsc_usage(e, "lab \"%s\" has no link \"%s\" (links: 1 to %zu)",
					 lab->name, sel, lab->n_links);
		k = &lab->links[i - 1];
		return add_end(p, k->a.kind == NSC_LAB_END_NODE ? &k->a : &k->b, e);
	}
	for (size_t j = 0; j < 2 * lab->n_links; j++) {
		const struct nsc_lab_end *end = j % 2 ? &lab->links[j / 2].b : &lab->links[j / 2].a;

		if (end->kind == NSC_LAB_END_NODE &&
		    !strncmp(end->node->name, sel, (size_t)(colon - sel)) &&
		    !end->node->name[colon - sel] && !strcmp(end->ifname, colon + 1))
			return add_end(p, end, e);
	}
	return nsc_usage(e, "lab \"%s\" has no link end \"%s\"", lab->name, sel);
}

/* every port of bridge NAME, described by the end it leads to */
static int add_bridge(struct picks *p, const char *name, struct nsc_error *e)
{
	const struct nsc_lab *lab = p->lab;
	const struct nsc_lab_bridge *br = nsc_lab_bridge(lab, name);
	int ret;

	if (!br)
		return nsc_usage(e, "lab \"%s\" has no bridge \"%s\"", lab->name, name);
	for (size_t j = 0; j < lab->n_links; j++) {
		const struct nsc_lab_link *k = &lab->links[j];
		const struct nsc_lab_end *port = k->a.bridge == br ? &k->a :
						 k->b.bridge == br ? &k->b : NULL;
		const struct nsc_lab_end *peer = port == &k->a ? &k->b : &k->a;

		if (!port)
			continue;
		ret = add(p, lab->switch_netns, port->ifname, end_label(port), end_label(peer), e);
		if (ret < 0)
			return ret;
	}
	return 0;
}

static int add_node_if(struct picks *p, const char *node_name, const char *ifname,
		       struct nsc_error *e)
{
	const struct nsc_lab_node *node = nsc_lab_node(p->lab, node_name);
	char *label;

	if (!node)
		return nsc_usage(e, "lab \"%s\" has no node \"%s\"", p->lab->name, node_name);
	if (nsc_ifname_check(ifname, e) < 0)
		return -e->code;
	if (asprintf(&label, "%s:%s", node->name, ifname) < 0)
		label = NULL;
	return add(p, node->netns, ifname, label, NULL, e);
}

int nsc_lab_capture_ifs(const struct nsc_lab *lab, const struct nsc_lab_capture_sel *sel,
			struct nsc_capture_if **out, size_t *n, struct nsc_error *e)
{
	struct picks p = { .lab = lab };
	int ret = 0;

	if (sel->node)
		ret = add_node_if(&p, sel->node, sel->ifname, e);
	for (size_t i = 0; !ret && i < sel->n_links; i++)
		ret = add_link(&p, sel->links[i], e);
	for (size_t i = 0; !ret && i < sel->n_bridges; i++)
		ret = add_bridge(&p, sel->bridges[i], e);
	if (!ret && !p.n)
		ret = nsc_usage(e, "lab capture: nothing to capture (NODE IF, --link or --bridge)");
	if (ret < 0) {
		nsc_lab_capture_free(p.v, p.n);
		return ret;
	}
	*out = p.v;
	*n = p.n;
	return 0;
}

void nsc_lab_capture_free(struct nsc_capture_if *ifs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free((char *)ifs[i].label);
		free((char *)ifs[i].descr);
	}
	free(ifs);
}
