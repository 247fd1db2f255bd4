// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Typed values from the YAML tree, each checked on its own: strings,
 * numbers, addresses, prefixes, MACs, interface, node and sysctl names;
 * maps whose keys are known, lists of such maps and maps of named entries.
 * Every refusal names the position of the offending key or value.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include "lab/read.h"

int lab_nomem(struct lab_rd *r)
{
	return nsc_err(r->e, ENOMEM, "read \"%s\"", r->file);
}

/* ---- values ---- */

int lab_want_scalar(struct lab_rd *r, const struct lab_yv *v, const char *what,
		    const char *kind)
{
	if (v->type != LAB_YV_SCALAR)
		return LAB_ERR(r, v->pos, "\"%s\" must be %s, not %s", what, kind, lab_yv_kind(v));
	if (lab_yv_is_null(v))
		return LAB_ERR(r, v->pos, "\"%s\" has no value", what);
	return 0;
}

/* A list, or nothing (an empty value). */
int lab_want_seq(struct lab_rd *r, const struct lab_yv *v, const char *what)
{
	if (lab_yv_is_null(v) || v->type == LAB_YV_SEQ)
		return 0;
	return LAB_ERR(r, v->pos, "\"%s\" must be a list, not %s", what, lab_yv_kind(v));
}

int lab_want_map(struct lab_rd *r, const struct lab_yv *v, const char *what)
{
	if (lab_yv_is_null(v) || v->type == LAB_YV_MAP)
		return 0;
	return LAB_ERR(r, v->pos, "\"%s\" must be a map, not %s", what, lab_yv_kind(v));
}

/* The entries of a list or map that may be empty. */
size_t lab_count(const struct lab_yv *v)
{
	return v->type == LAB_YV_SCALAR ? 0 : v->n;
}

int lab_str_value(struct lab_rd *r, const struct lab_yv *v, const char *what, char **out)
{
	int ret = lab_want_scalar(r, v, what, "a string");

	if (ret < 0)
		return ret;
	free(*out);
	*out = strdup(v->str);
	return *out ? 0 : lab_nomem(r);
}

int lab_u32_value(struct lab_rd *r, const struct lab_yv *v, const char *what,
		  uint32_t min, uint32_t max, uint32_t *out)
{
	struct nsc_error tmp = { 0 };
	int ret = lab_want_scalar(r, v, what, "a number");

	if (ret < 0)
		return ret;
	if (v->quoted)
		return LAB_ERR(r, v->pos, "\"%s\" must be a number, not a string", what);
	if (nsc_parse_u32(v->str, min, max, out, what, &tmp) < 0)
		return LAB_ERR(r, v->pos, "%s", tmp.msg);
	return 0;
}

/* An address, with a prefix length when FLAGS allow one. */
static int prefix_value(struct lab_rd *r, const struct lab_yv *v, const char *what,
			unsigned flags, struct nsc_prefix *out)
{
	struct nsc_error tmp = { 0 };
	int ret = lab_want_scalar(r, v, what, "an address");

	if (ret < 0)
		return ret;
	if (nsc_parse_prefix(v->str, AF_UNSPEC, flags, out, &tmp) < 0)
		return LAB_ERR(r, v->pos, "%s", tmp.msg);
	return 0;
}

/* An interface address: a bare address is a host prefix. */
int lab_addr_value(struct lab_rd *r, const struct lab_yv *v, const char *what,
		   struct nsc_lab_addr *out)
{
	int ret = prefix_value(r, v, what, NSC_PREFIX_ALLOW_LEN, &out->prefix);

	if (ret < 0)
		return ret;
	if (out->prefix.len < 0)
		out->prefix.len = nsc_prefix_bits(&out->prefix);
	out->pos = v->pos;
	return 0;
}

/* An address with no prefix length (gateways, neighbours, ping targets). */
int lab_host_value(struct lab_rd *r, const struct lab_yv *v, const char *what,
		   struct nsc_prefix *out)
{
	return prefix_value(r, v, what, 0, out);
}

/* "ADDR:PORT", "[V6ADDR]:PORT" (a tcp ready check's target). */
int lab_hostport_value(struct lab_rd *r, const struct lab_yv *v, const char *what,
		       struct nsc_prefix *out, uint16_t *port)
{
	struct nsc_error tmp = { 0 };
	char host[INET6_ADDRSTRLEN + 2];
	const char *colon, *h = v->str;
	size_t hl;
	uint32_t p;
	int ret = lab_want_scalar(r, v, what, "ADDR:PORT or [V6ADDR]:PORT");

	if (ret < 0)
		return ret;
	colon = strrchr(v->str, ':');
	if (!colon)
		return LAB_ERR(r, v->pos, "\"%s\" wants ADDR:PORT or [V6ADDR]:PORT", what);
	hl = (size_t)(colon - v->str);
	if (h[0] == '[') {
		if (hl < 2 || h[hl - 1] != ']')
			return LAB_ERR(r, v->pos, "\"%s\" wants [V6ADDR]:PORT for IPv6", what);
		h++;
		hl -= 2;
	} else if (memchr(h, ':', hl)) {
		return LAB_ERR(r, v->pos, "\"%s\": an IPv6 address goes in brackets: "
			       "[V6ADDR]:PORT", what);
	}
	if (hl >= sizeof(host))
		return LAB_ERR(r, v->pos, "\"%s\": not an address: \"%.*s\"", what, (int)hl, h);
	memcpy(host, h, hl);
	host[hl] = '\0';
	if (nsc_parse_prefix(host, AF_UNSPEC, 0, out, &tmp) < 0)
		return LAB_ERR(r, v->pos, "%s", tmp.msg);
	if (v->str[0] == '[' && out->family != AF_INET6)
		return LAB_ERR(r, v->pos, "\"%s\": brackets are for IPv6 addresses", what);
	if (nsc_parse_u32(colon + 1, 1, 65535, &p, "port", &tmp) < 0)
		return LAB_ERR(r, v->pos, "%s", tmp.msg);
	*port = (uint16_t)p;
	return 0;
}

int lab_mac_value(struct lab_rd *r, const struct lab_yv *v, const char *what, uint8_t mac[6])
{
	struct nsc_error tmp = { 0 };
	int ret = lab_want_scalar(r, v, what, "a MAC address");

	if (ret < 0)
		return ret;
	if (nsc_parse_mac(v->str, mac, &tmp) < 0)
		return LAB_ERR(r, v->pos, "%s", tmp.msg);
	return 0;
}

int lab_ifname_value(struct lab_rd *r, const struct lab_yv *v, const char *what, char **out)
{
	struct nsc_error tmp = { 0 };
	int ret = lab_str_value(r, v, what, out);

	if (ret < 0)
		return ret;
	if (nsc_ifname_check(*out, &tmp) < 0)
		return LAB_ERR(r, v->pos, "%s", tmp.msg);
	if (!strcmp(*out, "lo"))
		return LAB_ERR(r, v->pos, "interface name \"lo\" is the loopback device's");
	return 0;
}

/* Lab, node and bridge names: [A-Za-z0-9_-], a letter or digit first. They
 * become namespace names ("LAB.NODE") and '_' first is kept for ours
 * ("LAB._switch"). */
int lab_name_check(struct lab_rd *r, const struct lab_yv *v, const char *what)
{
	static const char ok[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
				 "0123456789-_";
	char p[80];

	if (v->len && strspn(v->str, ok) == v->len && v->str[0] != '-' && v->str[0] != '_')
		return 0;
	return LAB_ERR(r, v->pos, "invalid %s name \"%s\": use letters, digits, '-' and '_', "
		       "starting with a letter or digit", what, nsc_printable(v->str, p, sizeof(p)));
}

/* Text that ends up written somewhere (sysctl values, commands): no control
 * characters but those ALLOWED. */
int lab_text_check(struct lab_rd *r, const struct lab_yv *v, const char *what,
		   const char *allowed)
{
	for (size_t i = 0; i < v->len; i++) {
		unsigned char c = (unsigned char)v->str[i];

		if ((c < 0x20 || c == 0x7f) && !strchr(allowed, c))
			return LAB_ERR(r, v->pos, "%s contains a control character (0x%02x)", what, c);
	}
	return 0;
}

/* ---- maps with known keys ---- */

static int unknown_key(struct lab_rd *r, const struct lab_yv *k, const char *what,
		       const struct lab_key *keys)
{
	char known[256] = "", p[80];
	size_t len = 0;

	for (const struct lab_key *kk = keys; kk->name; kk++)
		len += (size_t)snprintf(known + len, sizeof(known) - len, "%s%s",
					kk == keys ? "" : !kk[1].name ? " or " : ", ",
					kk->name);
	return LAB_ERR(r, k->pos, "unknown key \"%s\" in %s (expected %s)",
		       nsc_printable(k->str, p, sizeof(p)), what, known);
}

/* Each key of MAP (nothing when empty) to its function, in file order. */
int lab_walk_map(struct lab_rd *r, const struct lab_yv *map, const char *what,
		 const struct lab_key *keys, void *obj)
{
	if (map->type != LAB_YV_MAP)
		return 0;
	for (size_t i = 0; i < map->n; i++) {
		const struct lab_key *k;
		int ret;

		for (k = keys; k->name; k++)
			if (!strcmp(k->name, map->keys[i]->str))
				break;
		if (!k->name)
			return unknown_key(r, map->keys[i], what, keys);
		if (!k->fn)
			continue;
		ret = k->fn(r, map->items[i], obj);
		if (ret < 0)
			return ret;
	}
	return 0;
}

const struct lab_yv *lab_lookup(const struct lab_yv *map, const char *key)
{
	if (map->type != LAB_YV_MAP)
		return NULL;
	for (size_t i = 0; i < map->n; i++)
		if (!strcmp(map->keys[i]->str, key))
			return map->items[i];
	return NULL;
}

/* ---- lists of maps, maps of named entries ---- */

static int new_array(struct lab_rd *r, size_t n, size_t size, void *arr)
{
	void *v = calloc(n, size);

	if (!v)
		return lab_nomem(r);
	memcpy(arr, &v, sizeof(v));
	return 0;
}

int lab_list_new(struct lab_rd *r, const struct lab_yv *v, const char *what, size_t size,
		 void *arr, size_t *n)
{
	int ret = lab_want_seq(r, v, what);

	if (ret < 0 || !lab_count(v))
		return ret;
	if ((ret = new_array(r, v->n, size, arr)) < 0)
		return ret;
	*n = v->n;
	return 0;
}

int lab_list_item(struct lab_rd *r, const struct lab_yv *m, const char *one,
		  const struct lab_key *keys, void *obj, const char *const *required)
{
	int ret;

	if (m->type != LAB_YV_MAP)
		return LAB_ERR(r, m->pos, "%s must be a map, not %s", one, lab_yv_kind(m));
	if ((ret = lab_walk_map(r, m, one, keys, obj)) < 0)
		return ret;
	for (; required && *required; required++)
		if (!lab_lookup(m, *required))
			return LAB_ERR(r, m->pos, "%s needs \"%s\"", one, *required);
	return 0;
}

int lab_map_new(struct lab_rd *r, const struct lab_yv *v, size_t max, const char *plural,
		size_t size, void *arr, size_t *n)
{
	int ret;

	if (v->n > max)
		return LAB_ERR(r, v->keys[max]->pos, "more than %zu %s", max, plural);
	if ((ret = new_array(r, v->n, size, arr)) < 0)
		return ret;
	*n = v->n;
	return 0;
}

int lab_entry_name(struct lab_rd *r, const struct lab_yv *k, const char *kind, char **name)
{
	int ret = lab_name_check(r, k, kind);

	if (ret < 0)
		return ret;
	*name = strdup(k->str);
	return *name ? 0 : lab_nomem(r);
}

int lab_entry_body(struct lab_rd *r, const struct lab_yv *k, const struct lab_yv *body,
		   const char *kind, const struct lab_key *keys, void *obj)
{
	char what[NSC_ERR_MSG_MAX];

	if (body->type != LAB_YV_MAP && !lab_yv_is_null(body))
		return LAB_ERR(r, body->pos, "%s \"%s\" must be a map, not %s", kind, k->str,
			       lab_yv_kind(body));
	snprintf(what, sizeof(what), "%s \"%s\"", kind, k->str);
	return lab_walk_map(r, body, what, keys, obj);
}

/* ---- sysctls ---- */

/* "net." then dot-separated words of [A-Za-z0-9_-]: they become paths
 * under /proc/sys/net, so no '/', no empty or ".." parts. Only net.* is
 * per network namespace; anything else would change the host. */
static int sysctl_name_check(struct lab_rd *r, const struct lab_yv *k)
{
	static const char word[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
				   "0123456789-_";
	const char *s = k->str;
	char p[80];

	if (strncmp(s, "net.", 4))
		return LAB_ERR(r, k->pos, "sysctl \"%s\" is not under \"net.\" (only those belong "
			       "to a network namespace)", nsc_printable(s, p, sizeof(p)));
	if (k->len > 255)
		return LAB_ERR(r, k->pos, "sysctl name longer than 255 bytes");
	for (;;) {
		size_t n = strspn(s, word);

		if (!n || (s[n] != '.' && s[n] != '\0'))
			return LAB_ERR(r, k->pos, "invalid sysctl name \"%s\": use words of letters, "
				       "digits, '-' and '_' separated by single dots",
				       nsc_printable(k->str, p, sizeof(p)));
		if (!s[n])
			return 0;
		s += n + 1;
	}
}

int lab_sysctls_value(struct lab_rd *r, const struct lab_yv *v,
		      struct nsc_lab_sysctl **out, size_t *n)
{
	int ret = lab_want_map(r, v, "sysctls");

	if (ret < 0)
		return ret;
	if (!lab_count(v))
		return 0;
	*out = calloc(v->n, sizeof(**out));
	if (!*out)
		return lab_nomem(r);
	*n = v->n;
	for (size_t i = 0; i < v->n; i++) {
		const struct lab_yv *k = v->keys[i], *val = v->items[i];
		struct nsc_lab_sysctl *s = &(*out)[i];

		if ((ret = sysctl_name_check(r, k)) < 0)
			return ret;
		if (val->type != LAB_YV_SCALAR)
			return LAB_ERR(r, val->pos, "sysctl \"%s\" must be a number or string, not %s",
				       k->str, lab_yv_kind(val));
		if (lab_yv_is_null(val) || !val->len)
			return LAB_ERR(r, val->pos, "sysctl \"%s\" has no value", k->str);
		if ((ret = lab_text_check(r, val, "sysctl value", "\t")) < 0)
			return ret;
		s->name = strdup(k->str);
		s->value = strdup(val->str);
		if (!s->name || !s->value)
			return lab_nomem(r);
		s->pos = k->pos;
	}
	return 0;
}

int lab_addrs_value(struct lab_rd *r, const struct lab_yv *v, const char *what,
		    struct nsc_lab_addr **out, size_t *n)
{
	int ret = lab_list_new(r, v, what, sizeof(**out), out, n);

	for (size_t i = 0; ret == 0 && i < lab_count(v); i++)
		ret = lab_addr_value(r, v->items[i], what, &(*out)[i]);
	return ret;
}
