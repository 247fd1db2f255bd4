// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The lab model: freeing it, looking things up, the names derived from a
 * lab's (its marker), the errors that cite the file (for the reader while
 * it reads, and for apply once the lab is read), and how addresses and
 * MACs are written.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/util.h"
#include "lab/model.h"

int lab_err(const char *file, struct nsc_lab_pos pos, struct nsc_error *e,
	    const char *fmt, ...)
{
	char what[NSC_ERR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return nsc_usage(e, "%s:%u:%u: %s", file, pos.line, pos.col, what);
}

int nsc_lab_err_at(const struct nsc_lab *lab, struct nsc_lab_pos pos,
		   struct nsc_error *e)
{
	bool usage = e->usage;
	int ret = nsc_err_prefix(e, "%s:%u:%u", lab->file, pos.line, pos.col);

	e->usage = usage;
	return ret;
}

const char *lab_mac_str(const uint8_t *m, char buf[LAB_MACSTR])
{
	snprintf(buf, LAB_MACSTR, "%02x:%02x:%02x:%02x:%02x:%02x",
		 m[0], m[1], m[2], m[3], m[4], m[5]);
	return buf;
}

uint64_t lab_hash(const void *data, size_t len, uint64_t h)
{
	const unsigned char *p = data;

	for (size_t i = 0; i < len; i++) {
		h ^= p[i];
		h *= 0x100000001b3ull;
	}
	return h;
}

void nsc_lab_mac(const char *lab, const char *node, const char *ifname, uint8_t mac[6])
{
	uint64_t h = lab_hash(lab, strlen(lab) + 1, LAB_HASH_INIT);

	h = lab_hash(node, strlen(node) + 1, h);
	h = lab_hash(ifname, strlen(ifname), h);
	for (int i = 0; i < 6; i++)
		mac[i] = (uint8_t)(h >> (8 * i));
	/* locally administered (bit 1), unicast (bit 0 clear) */
	mac[0] = (uint8_t)((mac[0] & 0xfc) | 0x02);
}

/*
 * A regular file's size is known: one allocation of that size (and the
 * read that finds the end), not a buffer doubled up to twice the file with
 * every smaller one left behind in the heap (a lab file of 1000 leaves, the
 * records of its apply).
 */
static size_t first_cap(int fd, size_t max)
{
	struct stat st;

	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
	    (uint64_t)st.st_size <= max)
		return (size_t)st.st_size + 2;
	return 4096;
}

int lab_read_all(int fd, size_t max, char **out, size_t *len)
{
	size_t cap = 0, n = 0;
	char *buf = NULL;
	int ret = -ENOMEM;

	for (;;) {
		ssize_t r;

		/* room for one byte more and the NUL */
		if (cap - n < 2) {
			size_t c = cap ? cap * 2 : first_cap(fd, max);
			char *b;

			if (c < cap || !(b = realloc(buf, c)))
				goto cleanup;
			buf = b;
			cap = c;
		}
		r = read(fd, buf + n, cap - n - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			ret = -errno;
			goto cleanup;
		}
		if (r == 0)
			break;
		n += (size_t)r;
		if (n > max) {
			ret = -EFBIG;
			goto cleanup;
		}
	}
	buf[n] = '\0';
	*out = buf;
	*len = n;
	buf = NULL;
	ret = 0;
cleanup:
	free(buf);
	return ret;
}

/* ---- names ---- */

int nsc_lab_name_check(const char *name, struct nsc_error *e)
{
	static const char ok[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
				 "0123456789-_";
	size_t len = strlen(name);

	if (!len || strspn(name, ok) != len || name[0] == '-' || name[0] == '_')
		return nsc_usage(e, "invalid lab name \"%.*s\": use letters, digits, '-' and "
				 "'_', starting with a letter or digit", 64, name);
	if (len > NSC_LAB_NAME_MAX)
		return nsc_usage(e, "lab name longer than %d bytes", NSC_LAB_NAME_MAX);
	return 0;
}

void nsc_lab_marker(const char *name, char buf[256])
{
	static const char pre[] = "netnsctl-lab:";
	size_t len = strlen(name);

	if (sizeof(pre) - 1 + len <= 255) {
		snprintf(buf, 256, "%s%s", pre, name);
		return;
	}
	/* 13 + 225 + 1 + 16 = 255: still one lab's alone */
	snprintf(buf, 256, "%s%.225s~%016" PRIx64, pre, name,
		 lab_hash(name, len, LAB_HASH_INIT));
}

/* ---- looking up ---- */

struct nsc_lab_node *nsc_lab_node(const struct nsc_lab *lab, const char *name)
{
	for (size_t i = 0; i < lab->n_nodes; i++)
		if (!strcmp(lab->nodes[i].name, name))
			return &lab->nodes[i];
	return NULL;
}

struct nsc_lab_bridge *nsc_lab_bridge(const struct nsc_lab *lab, const char *name)
{
	for (size_t i = 0; i < lab->n_bridges; i++)
		if (!strcmp(lab->bridges[i].name, name))
			return &lab->bridges[i];
	return NULL;
}

/* ---- freeing ---- */

static void free_sysctls(struct nsc_lab_sysctl *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(s[i].name);
		free(s[i].value);
	}
	free(s);
}

static void free_strv(char **v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		free(v[i]);
	free(v);
}

static void lab_service_free(struct nsc_lab_service *s)
{
	free(s->name);
	free_strv(s->argv, s->argc);
	free_strv(s->env, s->n_env);
	free(s->cwd);
	free(s->user);
	free_strv(s->after, s->n_after);
	free(s->after_pos);
	free(s->ready_cmd);
}

void lab_free_node(struct nsc_lab_node *n)
{
	free(n->name);
	free(n->host_ref);
	free(n->netns);
	free(n->loopback);
	free_sysctls(n->sysctls, n->n_sysctls);
	for (size_t i = 0; i < n->n_routes; i++)
		free(n->routes[i].dev);
	free(n->routes);
	for (size_t i = 0; i < n->n_neighs; i++)
		free(n->neighs[i].dev);
	free(n->neighs);
	for (size_t i = 0; i < n->n_exec; i++)
		free(n->exec[i].cmd);
	free(n->exec);
	for (size_t i = 0; i < n->n_services; i++)
		lab_service_free(&n->services[i]);
	free(n->services);
}

void lab_free_end(struct nsc_lab_end *end)
{
	free(end->ifname);
	free(end->addrs);
}

void nsc_lab_free(struct nsc_lab *lab)
{
	if (!lab)
		return;
	free(lab->file);
	free(lab->text);
	free(lab->name);
	free(lab->switch_netns);
	free_sysctls(lab->sysctls, lab->n_sysctls);
	for (size_t i = 0; i < lab->n_nodes; i++)
		lab_free_node(&lab->nodes[i]);
	free(lab->nodes);
	for (size_t i = 0; i < lab->n_bridges; i++) {
		free(lab->bridges[i].name);
		free(lab->bridges[i].host_ref);
	}
	free(lab->bridges);
	for (size_t i = 0; i < lab->n_links; i++) {
		lab_free_end(&lab->links[i].a);
		lab_free_end(&lab->links[i].b);
	}
	free(lab->links);
	for (size_t i = 0; i < lab->n_vxlans; i++) {
		lab_free_end(&lab->vxlans[i].end);
		free(lab->vxlans[i].other_buf);
	}
	free(lab->vxlans);
	for (size_t i = 0; i < lab->n_hosts; i++) {
		struct nsc_lab_host *h = &lab->hosts[i];

		free(h->name);
		free(h->dev);
		free(h->netnsctl);
		for (size_t j = 0; j < h->n_via; j++)
			free(h->via[j]);
		free(h->via);
	}
	free(lab->hosts);
	for (size_t i = 0; i < lab->n_ready; i++) {
		free(lab->ready[i].service);
		free(lab->ready[i].cmd);
	}
	free(lab->ready);
	free(lab);
}

bool lab_has_impair(const struct nsc_lab *lab)
{
	for (size_t i = 0; i < lab->n_links; i++)
		if (lab->links[i].a.impair.set || lab->links[i].b.impair.set)
			return true;
	for (size_t i = 0; i < lab->n_vxlans; i++)
		if (lab->vxlans[i].end.impair.set)
			return true;
	return false;
}

/* "ADDR:PORT", "[V6ADDR]:PORT" */
static const char *hostport(const struct nsc_prefix *p, uint16_t port, char *buf, size_t size)
{
	char a[LAB_ADDRSTR];

	nsc_prefix_str(p, -1, a, sizeof(a));
	snprintf(buf, size, p->family == AF_INET6 ? "[%s]:%u" : "%s:%u", a, port);
	return buf;
}

const char *nsc_lab_ready_str(const struct nsc_lab_ready *r, char *buf, size_t size)
{
	char a[LAB_ADDRSTR + 8], c[200];

	switch (r->kind) {
	case NSC_LAB_READY_SERVICE:
		snprintf(buf, size, "service %s", r->service);
		break;
	case NSC_LAB_READY_TCP:
		snprintf(buf, size, "%s connects to %s", r->from->name,
			 hostport(&r->tcp, r->port, a, sizeof(a)));
		break;
	case NSC_LAB_READY_CMD:
		snprintf(buf, size, "%s runs \"%s\"", r->from->name,
			 nsc_printable(r->cmd, c, sizeof(c)));
		break;
	case NSC_LAB_READY_PING:
		snprintf(buf, size, "%s pings %s", r->from->name,
			 nsc_prefix_str(&r->ping, -1, a, sizeof(a)));
		break;
	}
	return buf;
}

const struct nsc_lab_end *lab_node_end(const struct nsc_lab *lab, const struct nsc_lab_node *node,
				       const char *ifname)
{
	for (size_t i = 0; i < lab->n_links; i++) {
		const struct nsc_lab_end *ends[2] = { &lab->links[i].a, &lab->links[i].b };

		for (int k = 0; k < 2; k++)
			if (ends[k]->kind == NSC_LAB_END_NODE && ends[k]->node == node &&
			    !strcmp(ends[k]->ifname, ifname))
				return ends[k];
	}
	return NULL;
}
