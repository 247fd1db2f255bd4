// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Route table, protocol, scope and type names, as iproute2 knows them: the
 * same built-in names, and the same files under /etc/iproute2, so a name a
 * user gave a table for `ip` works here and prints the same.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/rtnetlink.h>

#include <netnsctl/rtnames.h>
#include "core/core.h"
#include <netnsctl/parse.h>
#include "base/util.h"

struct rtname {
	uint32_t id;
	char *name;
};

struct nsc_rtnames {
	struct rtname *v[NSC_RT_KINDS];
	size_t n[NSC_RT_KINDS], cap[NSC_RT_KINDS];
};

struct builtin {
	uint32_t id;
	const char *name;
};

static const struct builtin tables[] = {
	{ RT_TABLE_DEFAULT, "default" },
	{ RT_TABLE_MAIN, "main" },
	{ RT_TABLE_LOCAL, "local" },
	{ 0, NULL },
};

static const struct builtin protos[] = {
	{ RTPROT_UNSPEC, "unspec" },
	{ RTPROT_REDIRECT, "redirect" },
	{ RTPROT_KERNEL, "kernel" },
	{ RTPROT_BOOT, "boot" },
	{ RTPROT_STATIC, "static" },
	{ 8, "gated" },
	{ 9, "ra" },
	{ 10, "mrt" },
	{ 11, "zebra" },
	{ 12, "bird" },
	{ 13, "dnrouted" },
	{ 14, "xorp" },
	{ 15, "ntk" },
	{ 16, "dhcp" },
	{ 18, "keepalived" },
	{ 42, "babel" },
	{ 99, "openr" },
	{ 186, "bgp" },
	{ 187, "isis" },
	{ 188, "ospf" },
	{ 189, "rip" },
	{ 192, "eigrp" },
	{ 0, NULL },
};

static const struct builtin scopes[] = {
	{ RT_SCOPE_UNIVERSE, "global" },
	{ RT_SCOPE_SITE, "site" },
	{ RT_SCOPE_LINK, "link" },
	{ RT_SCOPE_HOST, "host" },
	{ RT_SCOPE_NOWHERE, "nowhere" },
	{ 0, NULL },
};

static const struct builtin types[] = {
	{ RTN_UNSPEC, "none" },
	{ RTN_UNICAST, "unicast" },
	{ RTN_LOCAL, "local" },
	{ RTN_BROADCAST, "broadcast" },
	{ RTN_ANYCAST, "anycast" },
	{ RTN_MULTICAST, "multicast" },
	{ RTN_BLACKHOLE, "blackhole" },
	{ RTN_UNREACHABLE, "unreachable" },
	{ RTN_PROHIBIT, "prohibit" },
	{ RTN_THROW, "throw" },
	{ RTN_NAT, "nat" },
	{ RTN_XRESOLVE, "xresolve" },
	{ 0, NULL },
};

static const struct builtin *const builtins[NSC_RT_KINDS] = {
	[NSC_RT_TABLE] = tables,
	[NSC_RT_PROTO] = protos,
	[NSC_RT_SCOPE] = scopes,
	[NSC_RT_TYPE] = types,
};

static const char *const what[NSC_RT_KINDS] = {
	[NSC_RT_TABLE] = "table",
	[NSC_RT_PROTO] = "protocol",
	[NSC_RT_SCOPE] = "scope",
	[NSC_RT_TYPE] = "route type",
};

static uint32_t max_id(enum nsc_rtkind kind)
{
	return kind == NSC_RT_TABLE ? UINT32_MAX : 255;
}

int nsc_rtnames_new(struct nsc_rtnames **out)
{
	*out = calloc(1, sizeof(**out));
	return *out ? 0 : -ENOMEM;
}

void nsc_rtnames_free(struct nsc_rtnames *names)
{
	if (!names)
		return;
	for (int k = 0; k < NSC_RT_KINDS; k++) {
		for (size_t i = 0; i < names->n[k]; i++)
			free(names->v[k][i].name);
		free(names->v[k]);
	}
	free(names);
}

static int add_name(struct nsc_rtnames *names, enum nsc_rtkind kind, uint32_t id,
		    const char *name, size_t len)
{
	char *copy;

	if (NSC_GROW(names->v[kind], names->cap[kind], names->n[kind] + 1) < 0)
		return -ENOMEM;
	copy = strndup(name, len);
	if (!copy)
		return -ENOMEM;
	names->v[kind][names->n[kind]++] = (struct rtname){ .id = id, .name = copy };
	return 0;
}

/*
 * "ID NAME [# comment]": ID hex after 0x, else decimal (leading zeros too),
 * as iproute2 reads these files; NAME one word.
 */
static int parse_line(const char *p, const char *end, uint32_t max, uint32_t *id,
		      const char **name, size_t *len)
{
	struct nsc_error ignore;
	char num[24];
	size_t n = 0;
	int ret;

	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	if (p == end || *p == '#')
		return -1;
	while (p < end && !isspace((unsigned char)*p) && n + 1 < sizeof(num))
		num[n++] = *p++;
	num[n] = '\0';
	if (!n || (p < end && !isspace((unsigned char)*p)))
		return -1;
	if (num[0] == '0' && (num[1] == 'x' || num[1] == 'X'))
		ret = nsc_parse_u32(num, 0, max, id, "id", &ignore);
	else
		ret = nsc_parse_dec_u32(num, 0, max, id, "id", &ignore);
	if (ret < 0)
		return -1;
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	*name = p;
	while (p < end && !isspace((unsigned char)*p) && *p != '#')
		p++;
	*len = (size_t)(p - *name);
	if (!*len || isdigit((unsigned char)**name))
		return -1;
	return 0;
}

int nsc_rtnames_add_text(struct nsc_rtnames *names, enum nsc_rtkind kind, const char *text)
{
	const char *line = text;

	while (line && *line) {
		const char *end = strchr(line, '\n'), *name;
		size_t len;
		uint32_t id;

		if (!end)
			end = line + strlen(line);
		if (parse_line(line, end, max_id(kind), &id, &name, &len) == 0 &&
		    add_name(names, kind, id, name, len) < 0)
			return -ENOMEM;
		line = *end ? end + 1 : end;
	}
	return 0;
}

/* A small config file, whole; NULL when it cannot be read. */
static char *slurp_at(int dfd, const char *path)
{
	char *buf = NULL;
	size_t len = 0, cap = 0;
	ssize_t n;
	int fd;

	fd = openat(dfd, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	for (;;) {
		if (cap - len < 4096) {
			/* bigger than 1 MiB: not a names file */
			if (cap > (1 << 20) || NSC_GROW(buf, cap, cap + 8192) < 0)
				break;
		}
		n = read(fd, buf + len, cap - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	if (buf)
		buf[len] = '\0';
	return buf;
}

static int add_file(struct nsc_rtnames *names, enum nsc_rtkind kind, int dfd, const char *path)
{
	char *text = slurp_at(dfd, path);
	int ret;

	if (!text)
		return 0;
	ret = nsc_rtnames_add_text(names, kind, text);
	free(text);
	return ret;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* DIR/"*.conf" in name order, as iproute2 reads them. */
static int add_dir(struct nsc_rtnames *names, enum nsc_rtkind kind, int dfd, const char *dir)
{
	char **list = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	int fd, ret = 0;
	DIR *d;

	fd = openat(dfd, dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	d = fdopendir(fd);
	if (!d) {
		close(fd);
		return 0;
	}
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name);

		if (len <= 5 || strcmp(de->d_name + len - 5, ".conf") || de->d_name[0] == '.')
			continue;
		if (NSC_GROW(list, cap, n + 1) < 0 || !(list[n] = strdup(de->d_name))) {
			ret = -ENOMEM;
			break;
		}
		n++;
	}
	if (!ret) {
		if (n)
			qsort(list, n, sizeof(*list), name_cmp);
		for (size_t i = 0; i < n && !ret; i++) {
			char path[512];

			snprintf(path, sizeof(path), "%s/%s", dir, list[i]);
			ret = add_file(names, kind, dfd, path);
		}
	}
	for (size_t i = 0; i < n; i++)
		free(list[i]);
	free(list);
	closedir(d);
	return ret;
}

int nsc_rtnames_load(struct nsc_rtnames **out, const char *confdir, struct nsc_error *e)
{
	struct nsc_rtnames *names;
	int dfd, ret = 0;

	if (nsc_rtnames_new(&names) < 0)
		return nsc_err(e, ENOMEM, "route names");
	dfd = open(confdir ? confdir : "/etc/iproute2", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		if (!ret)
			ret = add_file(names, NSC_RT_TABLE, dfd, "rt_tables");
		if (!ret)
			ret = add_dir(names, NSC_RT_TABLE, dfd, "rt_tables.d");
		if (!ret)
			ret = add_file(names, NSC_RT_PROTO, dfd, "rt_protos");
		if (!ret)
			ret = add_dir(names, NSC_RT_PROTO, dfd, "rt_protos.d");
		if (!ret)
			ret = add_file(names, NSC_RT_SCOPE, dfd, "rt_scopes");
		close(dfd);
	}
	if (ret < 0) {
		nsc_rtnames_free(names);
		return nsc_err(e, -ret, "route names");
	}
	*out = names;
	return 0;
}

/* Files first (the last definition wins, as in iproute2), then built-ins. */
static const char *lookup_id(const struct nsc_rtnames *names, enum nsc_rtkind kind, uint32_t id)
{
	if (names && kind != NSC_RT_TYPE)
		for (size_t i = names->n[kind]; i-- > 0;)
			if (names->v[kind][i].id == id)
				return names->v[kind][i].name;
	for (const struct builtin *b = builtins[kind]; b->name; b++)
		if (b->id == id)
			return b->name;
	return NULL;
}

static int lookup_name(const struct nsc_rtnames *names, enum nsc_rtkind kind, const char *s,
		       uint32_t *id)
{
	if (names && kind != NSC_RT_TYPE)
		for (size_t i = names->n[kind]; i-- > 0;)
			if (!strcmp(names->v[kind][i].name, s)) {
				*id = names->v[kind][i].id;
				return 0;
			}
	for (const struct builtin *b = builtins[kind]; b->name; b++)
		if (!strcmp(b->name, s)) {
			*id = b->id;
			return 0;
		}
	/* spellings iproute2 also takes */
	if (kind == NSC_RT_SCOPE && !strcmp(s, "universe")) {
		*id = RT_SCOPE_UNIVERSE;
		return 0;
	}
	if (kind == NSC_RT_TYPE && !strcmp(s, "brd")) {
		*id = RTN_BROADCAST;
		return 0;
	}
	return -1;
}

int nsc_rtname_parse(const struct nsc_rtnames *names, enum nsc_rtkind kind,
		     const char *s, uint32_t *id, struct nsc_error *e)
{
	if (!s || !*s)
		return nsc_usage(e, "missing %s", what[kind]);
	if (isdigit((unsigned char)s[0]))
		return nsc_parse_u32(s, 0, max_id(kind), id, what[kind], e);
	if (lookup_name(names, kind, s, id) == 0)
		return 0;
	/* keep hostile bytes out of the message: names are short words */
	for (const char *p = s; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return nsc_usage(e, "invalid %s", what[kind]);
	return nsc_usage(e, "invalid %s \"%.64s\"", what[kind], s);
}

const char *nsc_rtname_str(const struct nsc_rtnames *names, enum nsc_rtkind kind,
			   uint32_t id, char *buf, size_t size)
{
	const char *name = lookup_id(names, kind, id);

	if (name)
		return name;
	snprintf(buf, size, "%u", id);
	return buf;
}

static void rtnames_free(void *names)
{
	nsc_rtnames_free(names);
}

int nsc_ctx_rtnames(struct nsc_ctx *ctx, const struct nsc_rtnames **out,
		    struct nsc_error *e)
{
	static struct nsc_rtnames *builtin;     /* reachable for the process's life */
	static const char key;                  /* ours in the context's cache */
	struct nsc_rtnames *names;
	int ret;

	if (!ctx) {
		/* no context (a parse-only caller): the built-in names alone */
		if (!builtin && nsc_rtnames_new(&builtin) < 0)
			return nsc_err(e, ENOMEM, "route names");
		*out = builtin;
		return 0;
	}
	names = nsc_ctx_cache_get(ctx, &key);
	if (!names) {
		if ((ret = nsc_rtnames_load(&names, NULL, e)) < 0)
			return ret;
		if ((ret = nsc_ctx_cache_put(ctx, &key, names, rtnames_free)) < 0)
			return nsc_err(e, ret, "route names");
	}
	*out = names;
	return 0;
}
