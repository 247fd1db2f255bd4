// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Making, deleting and changing links: requests built as libnl-route-3
 * objects, sent over the namespace's own socket with nsc_talk_nlmsg_in().
 */
#include <errno.h>
#include <string.h>
#include <linux/if.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <netlink/addr.h>

#include <netnsctl/link.h>
#include <netnsctl/ifindex.h>
#include "core/core.h"
#include "rtnl/rtnl.h"

static int set_mac(struct rtnl_link *link, const uint8_t mac[6])
{
	struct nl_addr *a = nl_addr_build(AF_LLC, mac, 6);

	if (!a)
		return -ENOMEM;
	rtnl_link_set_addr(link, a);    /* takes its own reference */
	nl_addr_put(a);
	return 0;
}

static bool exists(struct nsc_ctx *ctx, const char *netns, const char *name)
{
	struct nsc_error ignore = { 0 };
	int ifindex;

	return nsc_ifindex(ctx, netns, name, &ifindex, &ignore) == 0;
}

/*
 * The kernel says only "File exists": for a pair, say which name is taken
 * where (each end's name is checked where that end goes).
 */
static void which_exists(struct nsc_ctx *ctx, const char *netns,
			 const struct nsc_link_add *a, struct nsc_error *e)
{
	const char *names[2] = { a->name, a->peer };
	const char *where[2] = { a->netns ? a->netns : netns,
				 a->peer_netns ? a->peer_netns : netns };

	for (int i = 0; i < 2; i++) {
		if (!names[i] || !exists(ctx, where[i], names[i]))
			continue;
		if (where[i])
			snprintf(e->msg, sizeof(e->msg),
				 "device \"%s\" already exists in netns \"%s\"", names[i], where[i]);
		else
			snprintf(e->msg, sizeof(e->msg), "device \"%s\" already exists", names[i]);
		return;
	}
}

static bool same_ns(const char *a, const char *b)
{
	return a && b ? !strcmp(a, b) : a == b;
}

int nsc_link_add_check(const char *netns, const struct nsc_link_add *a,
		       struct nsc_error *e)
{
	int ret;

	if ((ret = nsc_ifname_check(a->name, e)) < 0 ||
	    (a->peer && (ret = nsc_ifname_check(a->peer, e)) < 0) ||
	    (a->lower && (ret = nsc_ifname_check(a->lower, e)) < 0) ||
	    (a->dev && (ret = nsc_ifname_check(a->dev, e)) < 0) ||
	    (a->netns && (ret = nsc_name_check(a->netns, e)) < 0) ||
	    (a->peer_netns && (ret = nsc_name_check(a->peer_netns, e)) < 0))
		return ret;
	if (!a->kind || !*a->kind || strlen(a->kind) >= 16)
		return nsc_usage(e, "link add \"%s\": missing or bad link type", a->name);
	if ((ret = nsc_link_kind_check(a->name, a->kind, e)) < 0)
		return ret;
	if (a->peer && !strcmp(a->name, a->peer) &&
	    same_ns(a->netns ? a->netns : netns, a->peer_netns ? a->peer_netns : netns))
		return nsc_usage(e, "link add \"%s\": both ends of the pair would have that "
				 "name in one namespace", a->name);
	return 0;
}

/* One end of a new link: its name, MTU, address and namespace (fd -1: here). */
static int set_end(struct rtnl_link *link, const char *name, unsigned mtu,
		   const uint8_t *mac, int fd)
{
	if (name)
		rtnl_link_set_name(link, name);
	if (mtu)
		rtnl_link_set_mtu(link, mtu);
	if (mac && set_mac(link, mac) < 0)
		return -ENOMEM;
	/* each end straight into its namespace: no window where it is elsewhere */
	if (fd >= 0)
		rtnl_link_set_ns_fd(link, fd);
	return 0;
}

/* Send the request for a new link: what it needs is found and opened. */
static int send_add(struct nsc_ctx *ctx, const char *netns, const struct nsc_link_add *a,
		    struct rtnl_link *link, struct nsc_error *e)
{
	struct nl_msg *msg = NULL;
	int ret;

	if (rtnl_link_build_add_request(link, NLM_F_CREATE | NLM_F_EXCL, &msg) < 0)
		return nsc_err(e, ENOMEM, "link add \"%s\"", a->name);
	if (!strcmp(a->kind, "vxlan"))
		nsc_vxlan_fix_port(nlmsg_hdr(msg), a->has_dstport ? a->dstport : 4789);
	if ((ret = nsc_talk_nlmsg_in(ctx, netns, msg, e)) < 0) {
		if (ret == -EEXIST)
			which_exists(ctx, netns, a, e);
		return nsc_err_prefix(e, "link add \"%s\"", a->name);
	}
	return 0;
}

int nsc_link_add(struct nsc_ctx *ctx, const char *netns,
		 const struct nsc_link_add *a, struct nsc_error *e)
{
	struct rtnl_link *link = NULL, *peer = NULL;
	int fd = -1, peer_fd = -1, lower = 0, dev = 0, ret;

	if ((ret = nsc_link_add_check(netns, a, e)) < 0)
		return ret;
	/* everything that can be missing is found before anything is made */
	if ((a->lower && (ret = nsc_ifindex(ctx, netns, a->lower, &lower, e)) < 0) ||
	    (a->dev && (ret = nsc_ifindex(ctx, netns, a->dev, &dev, e)) < 0) ||
	    (a->netns && (fd = nsc_ns_fd(ctx, a->netns, e)) < 0) ||
	    (a->peer_netns && (peer_fd = nsc_ns_fd(ctx, a->peer_netns, e)) < 0)) {
		ret = nsc_err_prefix(e, "link add \"%s\"", a->name);
		goto cleanup;
	}
	if ((ret = nsc_link_kind_alloc(a, lower, dev, &link, &peer, e)) < 0)
		goto cleanup;
	if (a->has_txqlen)
		rtnl_link_set_txqlen(link, a->txqlen);
	/* a pair with two MTUs drops what the bigger end sends: both get it */
	if (set_end(link, a->name, a->mtu, a->has_address ? a->address : NULL, fd) < 0 ||
	    (peer && set_end(peer, a->peer, a->mtu,
			     a->has_peer_address ? a->peer_address : NULL, peer_fd) < 0)) {
		ret = nsc_err(e, ENOMEM, "link add \"%s\"", a->name);
		goto cleanup;
	}
	ret = send_add(ctx, netns, a, link, e);
cleanup:
	if (link)
		rtnl_link_put(link);
	if (peer)
		rtnl_link_put(peer);
	if (fd >= 0)
		close(fd);
	if (peer_fd >= 0)
		close(peer_fd);
	return ret;
}

/* A request of TYPE for link IFINDEX of NETNS, its socket in *s. */
static int index_req(struct nsc_ctx *ctx, const char *netns, uint16_t type, int ifindex,
		     struct nsc_req *r, struct nsc_sock **s, struct nsc_error *e)
{
	struct ifinfomsg *ifi;
	int ret;

	if ((ret = nsc_sock_get(ctx, netns, s, e)) < 0)
		return ret;
	ifi = nsc_req_init(r, type, 0, AF_UNSPEC, sizeof(*ifi));
	ifi->ifi_index = ifindex;
	return 0;
}

int nsc_link_del_index(struct nsc_ctx *ctx, const char *netns, int ifindex,
		       struct nsc_error *e)
{
	struct nsc_sock *s;
	struct nsc_req r;
	int ret;

	if ((ret = index_req(ctx, netns, RTM_DELLINK, ifindex, &r, &s, e)) < 0)
		return ret;
	return nsc_req_talk(s, &r, NULL, NULL, e);
}

int nsc_link_index_change(struct nsc_ctx *ctx, const char *netns, int ifindex,
			  const struct nsc_link_index_set *c, struct nsc_error *e)
{
	struct ifinfomsg *ifi;
	struct nsc_sock *s;
	struct nsc_req r;
	int ret;

	if ((ret = index_req(ctx, netns, RTM_NEWLINK, ifindex, &r, &s, e)) < 0)
		return ret;
	ifi = mnl_nlmsg_get_payload(r.nlh);
	if (c->up) {
		ifi->ifi_flags = IFF_UP;
		ifi->ifi_change = IFF_UP;
	}
	if (c->mtu)
		mnl_attr_put_u32(r.nlh, IFLA_MTU, c->mtu);
	if (c->mac)
		mnl_attr_put(r.nlh, IFLA_ADDRESS, 6, c->mac);
	if (c->master)
		mnl_attr_put_u32(r.nlh, IFLA_MASTER, (uint32_t)c->master);
	if (c->alias)
		mnl_attr_put_strz(r.nlh, IFLA_IFALIAS, c->alias);
	return nsc_req_talk(s, &r, NULL, NULL, e);
}

int nsc_link_del(struct nsc_ctx *ctx, const char *netns, const char *name,
		 struct nsc_error *e)
{
	int ifindex, ret;

	if ((ret = nsc_ifindex(ctx, netns, name, &ifindex, e)) < 0 ||
	    (ret = nsc_link_del_index(ctx, netns, ifindex, e)) < 0)
		return nsc_err_prefix(e, "link del \"%s\"", name);
	return 0;
}

int nsc_veth_del(struct nsc_ctx *ctx, const char *netns, const char *name,
		 struct nsc_error *e)
{
	struct nsc_link *l;
	size_t n;
	int ret;

	if ((ret = nsc_link_list(ctx, netns, name, 0, &l, &n, e)) < 0)
		return nsc_err_prefix(e, "veth del \"%s\"", name);
	if (strcmp(l[0].kind, "veth")) {
		ret = nsc_err_text(e, EINVAL, "veth del \"%s\": not a veth (%s)", name,
				   l[0].kind[0] ? l[0].kind : "a device");
		goto cleanup;
	}
	if ((ret = nsc_link_del_index(ctx, netns, l[0].ifindex, e)) < 0)
		ret = nsc_err_prefix(e, "veth del \"%s\"", name);
cleanup:
	free(l);
	return ret;
}

/* A change request for ifindex: a fresh AF_UNSPEC orig, never a cached one
 * (rtnl_link_change() can crash on AF_INET6 cache entries). */
static int send_change(struct nsc_ctx *ctx, const char *netns, int ifindex,
		       struct rtnl_link *changes, struct nsc_error *e)
{
	struct rtnl_link *orig = rtnl_link_alloc();
	struct nl_msg *msg = NULL;
	int ret;

	if (!orig)
		return nsc_err(e, ENOMEM, "link set");
	rtnl_link_set_ifindex(orig, ifindex);
	if (rtnl_link_build_change_request(orig, changes, 0, &msg) < 0)
		ret = nsc_err(e, ENOMEM, "link set");
	else
		ret = nsc_talk_nlmsg_in(ctx, netns, msg, e);
	rtnl_link_put(orig);
	return ret;
}

/* The flags, MTU, queue, address, name, master and namespace a change asks for. */
static struct rtnl_link *changes_alloc(const char *dev, const struct nsc_link_change *c,
				       int ifindex, int master, int fd)
{
	struct rtnl_link *changes = rtnl_link_alloc();

	if (!changes)
		return NULL;
	if (c->up)
		rtnl_link_set_flags(changes, IFF_UP);
	else if (c->down)
		rtnl_link_unset_flags(changes, IFF_UP);
	if (c->mtu)
		rtnl_link_set_mtu(changes, c->mtu);
	if (c->has_txqlen)
		rtnl_link_set_txqlen(changes, c->txqlen);
	if (c->has_address && set_mac(changes, c->address) < 0) {
		rtnl_link_put(changes);
		return NULL;
	}
	if (c->name)
		rtnl_link_set_name(changes, c->name);
	if (c->master || c->nomaster)
		rtnl_link_set_master(changes, master);  /* 0: nomaster */
	if (fd >= 0)
		rtnl_link_set_ns_fd(changes, fd);
	if (!ifindex)
		rtnl_link_set_name(changes, dev);       /* which link, not a new name */
	return changes;
}

/*
 * The kernel renames before it changes flags, and refuses to rename a link
 * that is up: "down name X" takes the link down first, on its own.
 */
static int down_first(struct nsc_ctx *ctx, const char *netns, int ifindex, const char *dev,
		      struct nsc_error *e)
{
	struct rtnl_link *down = rtnl_link_alloc();
	int ret;

	if (!down)
		return nsc_err(e, ENOMEM, "link set \"%s\"", dev);
	rtnl_link_unset_flags(down, IFF_UP);
	if ((ret = send_change(ctx, netns, ifindex, down, e)) < 0)
		ret = nsc_err_prefix(e, "link set \"%s\"", dev);
	rtnl_link_put(down);
	return ret;
}

static int link_set_check(const char *dev, const struct nsc_link_change *c,
			  struct nsc_error *e)
{
	int ret;

	if ((c->name && (ret = nsc_ifname_check(c->name, e)) < 0) ||
	    (c->master && (ret = nsc_ifname_check(c->master, e)) < 0) ||
	    (c->netns && (ret = nsc_name_check(c->netns, e)) < 0))
		return ret;
	if (c->up && c->down)
		return nsc_usage(e, "link set \"%s\": both up and down", dev);
	if (c->master && c->nomaster)
		return nsc_usage(e, "link set \"%s\": both master and nomaster", dev);
	return nsc_ifname_check(dev, e);
}

int nsc_link_set(struct nsc_ctx *ctx, const char *netns, const char *dev,
		 const struct nsc_link_change *c, struct nsc_error *e)
{
	struct rtnl_link *changes = NULL;
	const char *mns = c->netns ? c->netns : netns;
	int ifindex = 0, master = 0, fd = -1, ret, ret2;
	bool cached = false;

	if ((ret = link_set_check(dev, c, e)) < 0)
		return ret;
	/*
	 * Without a rename the kernel finds the link by IFLA_IFNAME itself: one
	 * request, not a lookup and a change (a batch sets links up by the
	 * thousand). A rename needs the index, the name being the new one.
	 */
	if (c->name && (ret = nsc_ifindex(ctx, netns, dev, &ifindex, e)) < 0)
		return nsc_err_prefix(e, "link set \"%s\"", dev);
	/* the kernel moves the link first, then enslaves it there */
	if (c->master &&
	    (ret = nsc_ifindex_cached(ctx, mns, c->master, &master, &cached, e)) < 0)
		return nsc_err_prefix(e, "link set \"%s\": master", dev);
	if (c->netns && (fd = nsc_ns_fd(ctx, c->netns, e)) < 0)
		return nsc_err_prefix(e, "link set \"%s\"", dev);

	if (c->down && c->name && (ret = down_first(ctx, netns, ifindex, dev, e)) < 0)
		goto cleanup;
	if (!(changes = changes_alloc(dev, c, ifindex, master, fd))) {
		ret = nsc_err(e, ENOMEM, "link set \"%s\"", dev);
		goto cleanup;
	}
	ret = send_change(ctx, netns, ifindex, changes, e);
	/* a stale master index refused: the index now, and again */
	if (ret < 0 && cached &&
	    (ret2 = nsc_ifindex_recheck(ctx, mns, c->master, &master, e)) != 0) {
		if (ret2 < 0) {
			ret = nsc_err_prefix(e, "link set \"%s\": master", dev);
			goto cleanup;
		}
		rtnl_link_set_master(changes, master);
		ret = send_change(ctx, netns, ifindex, changes, e);
	}
	if (ret < 0) {
		if (ret == -ENODEV && !ifindex)
			nsc_link_not_found(e, netns, dev);
		ret = nsc_err_prefix(e, "link set \"%s\"", dev);
	}
cleanup:
	if (changes)
		rtnl_link_put(changes);
	if (fd >= 0)
		close(fd);
	return ret;
}
