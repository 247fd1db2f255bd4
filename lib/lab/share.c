// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * One host's share of a lab that spans several: the lab cut down to what
 * lives on that host, every link with one end here turned into a VXLAN end
 * over the host's underlay. Everything after (plan, apply, diff, destroy,
 * state) then sees an ordinary lab plus its VXLAN ends, and records and
 * owns what it makes on this host alone, as a one-machine lab does.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <netnsctl/addr.h>
#include <netnsctl/link.h>

#include "lab/model.h"

/* IP + UDP + VXLAN + inner Ethernet headers */
#define VXLAN_OVERHEAD_V4 50
#define VXLAN_OVERHEAD_V6 70

static const struct nsc_lab_host *end_host(const struct nsc_lab_end *end)
{
	return end->kind == NSC_LAB_END_NODE ? end->node->host : end->bridge->host;
}

static bool same_addr(const struct nsc_prefix *p, const struct nsc_addr *a)
{
	size_t len = p->family == AF_INET ? 4 : 16;

	return a->family == p->family &&
	       ((a->has_local && !memcmp(a->local, p->addr, len)) ||
		(a->has_address && !memcmp(a->address, p->addr, len)));
}

/* The underlay here: the host's dev, else the device with its address;
 * its name and MTU. */
static int underlay(struct nsc_ctx *ctx, const struct nsc_lab_host *h, char name[16],
		    uint32_t *mtu, struct nsc_error *e)
{
	struct nsc_link *links = NULL;
	struct nsc_addr *addrs = NULL;
	size_t n = 0, na = 0;
	int ifindex = 0, ret;
	char ab[INET6_ADDRSTRLEN];

	if (!h->dev) {
		if ((ret = nsc_addr_list(ctx, NULL, h->address.family, 0, &addrs, &na, e)) < 0)
			return nsc_err_prefix(e, "host \"%s\"", h->name);
		for (size_t i = 0; i < na && !ifindex; i++)
			if (same_addr(&h->address, &addrs[i]))
				ifindex = addrs[i].ifindex;
		free(addrs);
		if (!ifindex)
			return nsc_err_text(e, EADDRNOTAVAIL, "host \"%s\": no interface here has "
					    "its address %s (is this host \"%s\"? or give \"dev\")",
					    h->name, inet_ntop(h->address.family, h->address.addr,
							       ab, sizeof(ab)), h->name);
	}
	if ((ret = nsc_link_list(ctx, NULL, h->dev, 0, &links, &n, e)) < 0)
		return nsc_err_prefix(e, "host \"%s\": underlay", h->name);
	ret = -ENODEV;
	for (size_t i = 0; i < n; i++) {
		if (ifindex && links[i].ifindex != ifindex)
			continue;
		snprintf(name, 16, "%s", links[i].ifname);
		*mtu = links[i].has_mtu ? links[i].mtu : 1500;
		ret = 0;
		break;
	}
	free(links);
	if (ret < 0)
		return nsc_err_text(e, ENODEV, "host \"%s\": underlay device not found", h->name);
	return 0;
}

/* Where each node (bridge) goes in the cut-down array: its index, or -1. */
static long *keep_map(size_t n, const void *base, size_t size, size_t host_off,
		      const struct nsc_lab_host *h)
{
	long *map = calloc(n ? n : 1, sizeof(*map));
	long j = 0;

	for (size_t i = 0; map && i < n; i++) {
		const struct nsc_lab_host *const *hp =
			(const void *)((const char *)base + i * size + host_off);

		map[i] = *hp == h ? j++ : -1;
	}
	return map;
}

static void remap(struct nsc_lab *lab, struct nsc_lab_end *end, const long *nmap,
		  const long *bmap)
{
	if (end->kind == NSC_LAB_END_NODE)
		end->node = &lab->nodes[nmap[end->node - lab->nodes]];
	else
		end->bridge = &lab->bridges[bmap[end->bridge - lab->bridges]];
}

/*
 * The links: both ends here kept, one end here a VXLAN end, none dropped.
 * What can fail (memory) is done first, so a failure leaves the lab whole.
 */
static int cut_links(struct nsc_lab *lab, const struct nsc_lab_host *h, const long *nmap,
		     const long *bmap, struct nsc_error *e)
{
	size_t j = 0, nv = 0;
	char **other_bufs = calloc(lab->n_links ? lab->n_links : 1, sizeof(*other_bufs));
	struct nsc_lab_vxlan *vxlans = calloc(lab->n_links ? lab->n_links : 1, sizeof(*vxlans));
	int ret = -ENOMEM;

	if (!other_bufs || !vxlans)
		goto cleanup;
	for (size_t i = 0; i < lab->n_links; i++) {
		const struct nsc_lab_link *k = &lab->links[i];
		bool a = end_host(&k->a) == h, b = end_host(&k->b) == h;
		const struct nsc_lab_end *other = a ? &k->b : &k->a;

		if (a == b)
			continue;
		if (other->kind == NSC_LAB_END_NODE ?
		    asprintf(&other_bufs[i], "%s %s", other->node->name, other->ifname) < 0 :
		    !(other_bufs[i] = strdup(other->bridge->name))) {
			other_bufs[i] = NULL;
			goto cleanup;
		}
	}
	for (size_t i = 0; i < lab->n_links; i++) {
		struct nsc_lab_link *k = &lab->links[i];
		bool here[2] = { end_host(&k->a) == h, end_host(&k->b) == h };
		struct nsc_lab_end *mine = here[0] ? &k->a : &k->b, *other = here[0] ? &k->b : &k->a;
		struct nsc_lab_vxlan *vx;

		if (here[0] && here[1]) {
			remap(lab, &k->a, nmap, bmap);
			remap(lab, &k->b, nmap, bmap);
			lab->links[j++] = *k;
			continue;
		}
		if (!here[0] && !here[1]) {
			lab_free_end(&k->a);
			lab_free_end(&k->b);
			continue;
		}
		vx = &vxlans[nv++];
		vx->local = h;
		vx->remote = end_host(other);
		vx->vni = k->vni;
		vx->port = lab->vxlan_port;
		vx->mtu = k->mtu;
		vx->pos = k->pos;
		vx->other = vx->other_buf = other_bufs[i];
		other_bufs[i] = NULL;
		vx->end = *mine;
		remap(lab, &vx->end, nmap, bmap);
		lab_free_end(other);
	}
	lab->n_links = j;
	lab->vxlans = vxlans;
	lab->n_vxlans = nv;
	vxlans = NULL;
	ret = 0;
cleanup:
	for (size_t i = 0; other_bufs && i < lab->n_links; i++)
		free(other_bufs[i]);
	free(other_bufs);
	free(vxlans);
	return ret < 0 ? nsc_err(e, -ret, "lab \"%s\"", lab->name) : 0;
}

/* The ready checks from this host's nodes (a service's: its node's). */
static void cut_ready(struct nsc_lab *lab, const long *nmap)
{
	size_t j = 0;

	for (size_t i = 0; i < lab->n_ready; i++) {
		long to = nmap[lab->ready[i].from - lab->nodes];

		if (to < 0) {
			free(lab->ready[i].service);
			free(lab->ready[i].cmd);
			continue;
		}
		lab->ready[j] = lab->ready[i];
		lab->ready[j++].from = &lab->nodes[to];
	}
	lab->n_ready = j;
}

static void cut_nodes(struct nsc_lab *lab, const long *nmap, const long *bmap)
{
	size_t j = 0;

	for (size_t i = 0; i < lab->n_nodes; i++)
		if (nmap[i] < 0)
			lab_free_node(&lab->nodes[i]);
		else
			lab->nodes[j++] = lab->nodes[i];
	lab->n_nodes = j;
	j = 0;
	for (size_t i = 0; i < lab->n_bridges; i++) {
		if (bmap[i] < 0) {
			free(lab->bridges[i].name);
			free(lab->bridges[i].host_ref);
		} else {
			lab->bridges[j++] = lab->bridges[i];
		}
	}
	lab->n_bridges = j;
}

/* Each VXLAN end's MTU, unless the file set one: what the underlay leaves. */
static int vxlan_mtus(struct nsc_ctx *ctx, struct nsc_lab *lab, const struct nsc_lab_host *h,
		      struct nsc_error *e)
{
	uint32_t mtu = 0, over = h->address.family == AF_INET ? VXLAN_OVERHEAD_V4 :
					 VXLAN_OVERHEAD_V6;
	char dev[16];
	int ret;

	if (!lab->n_vxlans)
		return 0;
	if ((ret = underlay(ctx, h, dev, &mtu, e)) < 0)
		return ret;
	for (size_t i = 0; i < lab->n_vxlans; i++) {
		struct nsc_lab_vxlan *vx = &lab->vxlans[i];

		memcpy(vx->dev, dev, sizeof(vx->dev));
		vx->max_mtu = mtu > over + 68 ? mtu - over : 68;
		if (!vx->mtu)
			vx->mtu = vx->max_mtu;
	}
	return 0;
}

int nsc_lab_share(struct nsc_ctx *ctx, struct nsc_lab *lab, const char *host,
		  struct nsc_error *e)
{
	const struct nsc_lab_host *h;
	long *nmap = NULL, *bmap = NULL;
	char p[80];
	int ret;

	if (!lab->n_hosts)
		return nsc_usage(e, "lab \"%s\" has no \"hosts\"", lab->name);
	if (!(h = nsc_lab_host(lab, host)))
		return nsc_usage(e, "lab \"%s\" has no host \"%s\"", lab->name,
				 nsc_printable(host, p, sizeof(p)));
	nmap = keep_map(lab->n_nodes, lab->nodes, sizeof(*lab->nodes),
			offsetof(struct nsc_lab_node, host), h);
	bmap = keep_map(lab->n_bridges, lab->bridges, sizeof(*lab->bridges),
			offsetof(struct nsc_lab_bridge, host), h);
	if (!nmap || !bmap) {
		ret = nsc_err(e, ENOMEM, "lab \"%s\"", lab->name);
		goto cleanup;
	}
	/* the links and checks first: they name nodes by the old places */
	if ((ret = cut_links(lab, h, nmap, bmap, e)) < 0)
		goto cleanup;
	cut_ready(lab, nmap);
	cut_nodes(lab, nmap, bmap);
	lab->share = h;
	ret = vxlan_mtus(ctx, lab, h, e);
cleanup:
	free(nmap);
	free(bmap);
	return ret;
}
