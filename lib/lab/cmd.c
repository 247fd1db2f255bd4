// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Steps of a plan as netnsctl batch lines (netnsctl-batch(8)): what
 * `lab apply --dry-run` prints, and what `netnsctl -b` can replay to build
 * the same network (without the lab's markers and records: the link
 * commands have no word for an ifalias, and a batch keeps no state).
 */
#include <errno.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "lab/model.h"
#include "lab/plan.h"

/* A word as the batch reader takes it back (quoted when needed). */
static int quote(const char *word, char **out)
{
	static const char plain[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
				    "0123456789_./:=+,@%-";
	size_t len = strlen(word);
	char *s, *o;

	if (len && strspn(word, plain) == len)
		return (*out = strdup(word)) ? 0 : -ENOMEM;
	if (!strchr(word, '\'')) {
		if (asprintf(out, "'%s'", word) < 0)
			return -ENOMEM;
		return 0;
	}
	/* double quotes: \ " $ ` escaped, as the batch reader takes them */
	s = o = malloc(2 * len + 3);
	if (!s)
		return -ENOMEM;
	*o++ = '"';
	for (; *word; word++) {
		if (strchr("\\\"$`", *word))
			*o++ = '\\';
		*o++ = *word;
	}
	*o++ = '"';
	*o = '\0';
	*out = s;
	return 0;
}

/* fputs of a quoted word */
static int put_word(FILE *f, const char *word)
{
	char *q;

	if (quote(word, &q) < 0)
		return -ENOMEM;
	fputs(q, f);
	free(q);
	return 0;
}

/*
 * Words quoted for a line: q(w, name) is name as the batch reader takes it
 * back, in one of a few buffers that last the line. Every name a lab file
 * can hold goes through it ("#e0", "e'1", "x\"y", "z\\" replay as they are).
 */
struct words {
	char b[8][2 * 256 + 3];
	unsigned i;
};

static const char *q(struct words *w, const char *word)
{
	char *s = w->b[w->i++ % 8], *quoted;

	if (quote(word, &quoted) < 0 || strlen(quoted) >= sizeof(w->b[0])) {
		free(quoted);
		return "''";    /* names are short; never reached */
	}
	strcpy(s, quoted);
	free(quoted);
	return s;
}

/*
 * sh -c takes a script with newlines, a batch line does not: such a
 * script goes as printf %b text ("\n" for a newline) that the shell
 * turns back into the script and evals.
 */
static int put_shell(FILE *f, const char *netns, const char *cmd)
{
	struct words w = { 0 };
	size_t len = strlen(cmd);
	char *esc, *o;
	int ret;

	fprintf(f, "exec %s sh -c ", q(&w, netns));
	if (!strchr(cmd, '\n'))
		return put_word(f, cmd);
	esc = o = malloc(2 * len + 1);
	if (!esc)
		return -ENOMEM;
	for (; *cmd; cmd++) {
		if (*cmd == '\\') {
			*o++ = '\\';
			*o++ = '\\';
		} else if (*cmd == '\n') {
			*o++ = '\\';
			*o++ = 'n';
		} else {
			*o++ = *cmd;
		}
	}
	*o = '\0';
	fputs("'eval \"$(printf %b \"$1\")\"' sh ", f);
	ret = put_word(f, esc);
	free(esc);
	return ret;
}

/* veth pairs, with MACs when the file gives them: then link add */
static void veth_add(FILE *f, const struct lab_step *s)
{
	const struct nsc_lab_link *k = s->link;
	struct words w = { 0 };
	char m[LAB_MACSTR];

	if (!k->a.has_mac && !k->b.has_mac) {
		fprintf(f, "veth add %s netns %s peer %s netns %s", q(&w, k->a.ifname),
			q(&w, s->ns->name), q(&w, k->b.ifname), q(&w, s->peer_ns->name));
		if (k->mtu)
			fprintf(f, " mtu %u", k->mtu);
	} else {
		fprintf(f, "link add %s", q(&w, k->a.ifname));
		if (k->mtu)
			fprintf(f, " mtu %u", k->mtu);
		if (k->a.has_mac)
			fprintf(f, " address %s", lab_mac_str(k->a.mac, m));
		fprintf(f, " netns %s type veth peer name %s netns %s", q(&w, s->ns->name),
			q(&w, k->b.ifname), q(&w, s->peer_ns->name));
		if (k->b.has_mac)
			fprintf(f, " address %s", lab_mac_str(k->b.mac, m));
	}
	/* up, and a bridge's port on its bridge */
	for (int j = 0; j < 2; j++) {
		const struct nsc_lab_end *end = j ? &k->b : &k->a;
		const struct lab_ns *ns = j ? s->peer_ns : s->ns;

		fprintf(f, "\n-n %s link set %s", q(&w, ns->name), q(&w, end->ifname));
		if (end->kind == NSC_LAB_END_BRIDGE)
			fprintf(f, " master %s", q(&w, end->bridge->name));
		fputs(" up", f);
	}
}

/* A VXLAN end: made here over the underlay, straight into its namespace. */
static void vxlan_add(FILE *f, const struct lab_step *s)
{
	const struct nsc_lab_vxlan *vx = s->vxlan;
	const struct nsc_lab_end *end = &vx->end;
	char a[LAB_ADDRSTR], b[LAB_ADDRSTR], m[LAB_MACSTR];
	struct words w = { 0 };

	inet_ntop(vx->local->address.family, vx->local->address.addr, a, sizeof(a));
	inet_ntop(vx->remote->address.family, vx->remote->address.addr, b, sizeof(b));
	fprintf(f, "link add %s mtu %u", q(&w, end->ifname), vx->mtu);
	if (end->has_mac)
		fprintf(f, " address %s", lab_mac_str(end->mac, m));
	fprintf(f, " netns %s type vxlan id %u local %s remote %s dstport %u dev %s",
		q(&w, s->ns->name), vx->vni, a, b, vx->port, q(&w, vx->dev));
	fprintf(f, "\n-n %s link set %s", q(&w, s->ns->name), q(&w, end->ifname));
	if (end->kind == NSC_LAB_END_BRIDGE)
		fprintf(f, " master %s", q(&w, end->bridge->name));
	fputs(" up", f);
}

/* Links: bridges and veth pairs made, a link's attributes set. */
static void link_line(FILE *f, const struct lab_step *s)
{
	struct words w = { 0 };
	const char *ns = q(&w, s->ns->name);
	char m[LAB_MACSTR];

	switch (s->op) {
	case OP_BRIDGE_ADD:
		fprintf(f, "-n %s link add %s address %s type bridge\n-n %s link set %s", ns,
			q(&w, s->bridge->name), lab_mac_str(s->bridge->mac, m), ns,
			q(&w, s->bridge->name));
		if (s->bridge->mtu)
			fprintf(f, " mtu %u", s->bridge->mtu);
		fputs(" up", f);
		break;
	case OP_VETH_ADD:
		veth_add(f, s);
		break;
	case OP_VXLAN_ADD:
		vxlan_add(f, s);
		break;
	default:                /* OP_LINK_SET */
		fprintf(f, "-n %s link set %s", ns, q(&w, s->ifname));
		if (s->set.mtu)
			fprintf(f, " mtu %u", s->set.mtu);
		if (s->set_mac)
			fprintf(f, " address %s", lab_mac_str(s->mac, m));
		if (s->master)
			fprintf(f, " master %s", q(&w, s->master));
		if (s->set.up)
			fputs(" up", f);
		break;
	}
}

/* Addresses, routes and neighbours: what the file wants made or replaced. */
static void ip_line(FILE *f, const struct lab_step *s)
{
	const struct nsc_lab_route *rt = s->route;
	struct words w = { 0 };
	const char *ns = q(&w, s->ns->name);
	char a[LAB_ADDRSTR], m[LAB_MACSTR];

	switch (s->op) {
	case OP_ADDR_REPLACE:
		fprintf(f, "-n %s addr del %s dev %s\n", ns,
			nsc_prefix_str(&s->prefix, s->old_len, a, sizeof(a)), q(&w, s->ifname));
		/* fall through */
	case OP_ADDR_ADD:
		fprintf(f, "-n %s addr add %s dev %s%s", ns,
			nsc_prefix_str(&s->prefix, s->prefix.len, a, sizeof(a)), q(&w, s->ifname),
			s->prefix.family == AF_INET6 ? " nodad" : "");
		break;
	case OP_ROUTE_ADD:
	case OP_ROUTE_REPLACE:
		fprintf(f, "-n %s route %s %s", ns, s->op == OP_ROUTE_ADD ? "add" : "replace",
			nsc_prefix_str(&rt->to, rt->to.len, a, sizeof(a)));
		if (rt->has_via)
			fprintf(f, " via %s", nsc_prefix_str(&rt->via, -1, a, sizeof(a)));
		if (rt->dev)
			fprintf(f, " dev %s", q(&w, rt->dev));
		if (rt->has_metric)
			fprintf(f, " metric %u", rt->metric);
		break;
	default:                /* OP_NEIGH_SET */
		fprintf(f, "-n %s neigh replace %s lladdr %s dev %s nud permanent", ns,
			nsc_prefix_str(&s->neigh->address, -1, a, sizeof(a)),
			lab_mac_str(s->neigh->lladdr, m), q(&w, s->neigh->dev));
		break;
	}
}

/* What the plan removes: namespaces, links, and what is on them. */
static void del_line(FILE *f, const struct lab_step *s)
{
	struct words w = { 0 };
	const char *ns = q(&w, s->ns->name);
	char a[LAB_ADDRSTR];

	switch (s->op) {
	case OP_NS_DEL:
		fprintf(f, "delete %s", ns);
		break;
	case OP_LINK_DEL:
		fprintf(f, "-n %s link del %s", ns, q(&w, s->ifname));
		break;
	case OP_ADDR_DEL:
		fprintf(f, "-n %s addr del %s dev %s", ns,
			nsc_prefix_str(&s->prefix, s->prefix.len, a, sizeof(a)), q(&w, s->ifname));
		break;
	case OP_ROUTE_DEL:
		fprintf(f, "-n %s route del %s metric %u", ns,
			nsc_prefix_str(&s->old_route.dst, s->old_route.dst.len, a, sizeof(a)),
			s->old_route.metric);
		break;
	default:                /* OP_NEIGH_DEL */
		fprintf(f, "-n %s neigh del %s dev %s", ns,
			nsc_prefix_str(&s->old_neigh.dst, -1, a, sizeof(a)), q(&w, s->ifname));
		break;
	}
}

/* A sysctl set the way a shell would: "exec NS sysctl -qw NAME=VALUE". */
static int sysctl_line(FILE *f, const struct lab_step *s)
{
	char *kv;
	int ret;

	if (asprintf(&kv, "%s=%s", s->sysctl_name, s->sysctl_value) < 0)
		return -ENOMEM;
	struct words w = { 0 };

	fprintf(f, "exec %s sysctl -qw ", q(&w, s->ns->name));
	ret = put_word(f, kv);
	free(kv);
	return ret;
}

static int step_lines(FILE *f, const struct lab_step *s)
{
	int ret = 0;

	switch (s->op) {
	case OP_NONE:
		break;
	case OP_NS_ADD: {
		struct words w = { 0 };

		fprintf(f, "add %s", q(&w, s->ns->name));
		break;
	}
	case OP_NS_DEL:
	case OP_LINK_DEL:
	case OP_ADDR_DEL:
	case OP_ROUTE_DEL:
	case OP_NEIGH_DEL:
		del_line(f, s);
		break;
	case OP_SYSCTL:
		ret = sysctl_line(f, s);
		break;
	case OP_BRIDGE_ADD:
	case OP_VETH_ADD:
	case OP_VXLAN_ADD:
	case OP_LINK_SET:
		link_line(f, s);
		break;
	case OP_ADDR_ADD:
	case OP_ADDR_REPLACE:
	case OP_ROUTE_ADD:
	case OP_ROUTE_REPLACE:
	case OP_NEIGH_SET:
		ip_line(f, s);
		break;
	case OP_SERVICE:
		/* no command does it: a comment in the batch */
		fprintf(f, "# %s service %s in %s", s->item.change == NSC_LAB_EXTRA ? "stop" :
			s->item.change == NSC_LAB_DIFFERS ? "restart" : "start", s->item.object,
			s->ns->name);
		break;
	case OP_HOSTS:
	case OP_HOSTS_DEL:
		/* no command does it: a comment in the batch */
		fprintf(f, "# %s %s", s->op == OP_HOSTS ? "write" : "remove", s->item.object);
		break;
	case OP_UTS:
	case OP_UTS_DEL:
		fprintf(f, "# %s UTS namespace of %s (hostname %s)",
			s->op == OP_UTS ? "make" : "remove", s->ns->name, s->item.object);
		break;
	case OP_IMPAIR: {
		char im[256];

		fprintf(f, "-n %s impair dev %s %s", s->ns->name, s->ifname,
			s->end->impair.set ? nsc_impair_str(&s->end->impair, im, sizeof(im)) :
					     "clear");
		break;
	}
	case OP_EXEC:
		for (size_t i = 0; i < s->node->n_exec && !ret; i++) {
			if (i)
				fputc('\n', f);
			ret = put_shell(f, s->ns->name, s->node->exec[i].cmd);
		}
		break;
	}
	return ret;
}

int lab_step_cmd(const struct lab_step *s, char **out)
{
	size_t len;
	FILE *f;
	int ret;

	*out = NULL;
	f = open_memstream(out, &len);
	if (!f)
		return -ENOMEM;
	ret = step_lines(f, s);
	if (fclose(f) != 0 && !ret)
		ret = -ENOMEM;
	if (ret < 0) {
		free(*out);
		*out = NULL;
	}
	return ret;
}

/* S in single quotes for sh ('\'' for each quote), or NULL. */
static char *sh_quote(const char *s)
{
	char *q = malloc(4 * strlen(s) + 3), *o = q;

	if (!q)
		return NULL;
	*o++ = '\'';
	for (; *s; s++) {
		if (*s == '\'') {
			memcpy(o, "'\\''", 4);
			o += 4;
		} else {
			*o++ = *s;
		}
	}
	*o++ = '\'';
	*o = '\0';
	return q;
}

/* "exec NETNS timeout T SHELL -c 'until TEST; do sleep 0.1; done'" */
static int until_line(const struct nsc_lab_ready *r, const char *shell, const char *test,
		      char **out)
{
	char *script = NULL, *q = NULL;
	int ret = -ENOMEM;

	*out = NULL;
	if (asprintf(&script, "until %s; do sleep 0.1; done", test) < 0) {
		script = NULL;
		goto cleanup;
	}
	if (quote(script, &q) < 0)
		goto cleanup;
	if (asprintf(out, "exec %s timeout %u %s -c %s", r->from->netns, r->timeout, shell, q) < 0) {
		*out = NULL;
		goto cleanup;
	}
	ret = 0;
cleanup:
	free(script);
	free(q);
	return ret;
}

int lab_ready_cmd(const struct nsc_lab_ready *r, char **out)
{
	char a[LAB_ADDRSTR], *test = NULL;
	int ret;

	switch (r->kind) {
	case NSC_LAB_READY_SERVICE:
		/* apply waits for every service's own check before these */
		if (asprintf(out, "# ready: service %s", r->service) < 0) {
			*out = NULL;
			return -ENOMEM;
		}
		return 0;
	case NSC_LAB_READY_TCP:
		/* bash's /dev/tcp: no netcat needed */
		nsc_prefix_str(&r->tcp, -1, a, sizeof(a));
		if (asprintf(&test, "(: <>/dev/tcp/%s/%u) 2>/dev/null", a, r->port) < 0)
			return -ENOMEM;
		ret = until_line(r, "bash", test, out);
		free(test);
		return ret;
	case NSC_LAB_READY_CMD: {
		/* a shell of its own: a line of one batch word, whatever CMD holds */
		char *sq = sh_quote(r->cmd);

		if (!sq || asprintf(&test, "sh -c %s >/dev/null 2>&1", sq) < 0) {
			free(sq);
			return -ENOMEM;
		}
		free(sq);
		ret = until_line(r, "sh", test, out);
		free(test);
		return ret;
	}
	case NSC_LAB_READY_PING:
		break;
	}
	nsc_prefix_str(&r->ping, -1, a, sizeof(a));
	if (asprintf(&test, "ping -c1 -W1 -q %s >/dev/null 2>&1", a) < 0)
		return -ENOMEM;
	ret = until_line(r, "sh", test, out);
	free(test);
	return ret;
}
