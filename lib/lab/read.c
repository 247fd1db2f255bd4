// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Reading a lab file: the bytes (bounded), then the YAML tree (yaml.c),
 * then the model key by key (the top level here; nodes in read_node.c,
 * bridges and links in read_link.c; the values themselves in value.c), the
 * names that links and ready checks refer to resolved, and last the lab as
 * a whole (check.c). The first error stops everything; its message gives
 * the position of the offending key or value.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lab/read.h"

/* ---- defaults ---- */

static int k_defaults_mtu(struct lab_rd *r, const struct lab_yv *v, void *obj)
{
	(void)obj;
	return lab_u32_value(r, v, "mtu", 68, 65535, &r->lab->mtu);
}

static int k_defaults_sysctls(struct lab_rd *r, const struct lab_yv *v, void *obj)
{
	(void)obj;
	return lab_sysctls_value(r, v, &r->lab->sysctls, &r->lab->n_sysctls);
}

static int k_defaults_vni_base(struct lab_rd *r, const struct lab_yv *v, void *obj)
{
	(void)obj;
	return lab_defaults_vni_base(r, v);
}

static int k_defaults_vxlan_port(struct lab_rd *r, const struct lab_yv *v, void *obj)
{
	(void)obj;
	return lab_defaults_vxlan_port(r, v);
}

static int k_defaults_hostname(struct lab_rd *r, const struct lab_yv *v, void *obj)
{
	int ret = lab_want_scalar(r, v, "hostname", "true or false");

	(void)obj;
	if (ret < 0)
		return ret;
	if (!v->quoted && !strcmp(v->str, "true"))
		r->lab->hostname = true;
	else if (v->quoted || strcmp(v->str, "false"))
		return LAB_ERR(r, v->pos, "\"hostname\" is true or false");
	return 0;
}

static const struct lab_key defaults_keys[] = {
	{ "hostname", k_defaults_hostname },
	{ "mtu", k_defaults_mtu },
	{ "sysctls", k_defaults_sysctls },
	{ "vni_base", k_defaults_vni_base },
	{ "vxlan_port", k_defaults_vxlan_port },
	{ NULL, NULL },
};

static int k_defaults(struct lab_rd *r, const struct lab_yv *v, void *obj)
{
	int ret = lab_want_map(r, v, "defaults");

	(void)obj;
	if (ret < 0)
		return ret;
	return lab_walk_map(r, v, "defaults", defaults_keys, NULL);
}

/* ---- ready ---- */

struct ready_ctx {
	struct nsc_lab_ready *rc;
	char **ref;
};

static int k_ready_from(struct lab_rd *r, const struct lab_yv *v, void *obj)
{
	struct ready_ctx *c = obj;

	c->rc->from_pos = v->pos;
	return lab_str_value(r, v, "from", c->ref);
}

static int k_ready_ping(struct lab_rd *r, const struct lab_yv *v, void *obj)
{
	struct ready_ctx *c = obj;

	c->rc->kind = NSC_LAB_READY_PING;
	return lab_host_value(r, v, "ping", &c->rc->ping);
}

static int k_ready_tcp(struct lab_rd *r, const struct lab_yv *v, void *obj)
{
	struct ready_ctx *c = obj;

	c->rc->kind = NSC_LAB_READY_TCP;
	return lab_hostport_value(r, v, "tcp", &c->rc->tcp, &c->rc->port);
}

static int k_ready_cmd(struct lab_rd *r, const struct lab_yv *v, void *obj)
{
	struct ready_ctx *c = obj;
	int ret = lab_str_value(r, v, "cmd", &c->rc->cmd);

	c->rc->kind = NSC_LAB_READY_CMD;
	if (ret == 0 && !c->rc->cmd[0])
		ret = LAB_ERR(r, v->pos, "\"cmd\" must not be empty");
	return ret;
}

static int k_ready_timeout(struct lab_rd *r, const struct lab_yv *v, void *obj)
{
	struct ready_ctx *c = obj;
	uint32_t t;
	int ret = lab_u32_value(r, v, "timeout", 1, 3600, &t);

	c->rc->timeout = t;
	return ret;
}

static int k_ready_service(struct lab_rd *r, const struct lab_yv *v, void *obj)
{
	struct ready_ctx *c = obj;

	c->rc->kind = NSC_LAB_READY_SERVICE;
	return lab_str_value(r, v, "service", &c->rc->service);
}

static const struct lab_key ready_keys[] = {
	{ "from", k_ready_from },
	{ "ping", k_ready_ping },
	{ "tcp", k_ready_tcp },
	{ "cmd", k_ready_cmd },
	{ "timeout", k_ready_timeout },
	{ "service", k_ready_service },
	{ NULL, NULL },
};

/* One check: {from, ping|tcp|cmd} or {service}, one kind each. */
static int ready_item(struct lab_rd *r, const struct lab_yv *v, struct ready_ctx *c)
{
	static const char *const required[] = { "from", NULL };
	static const char *const required_svc[] = { "service", NULL };
	static const char *const kinds[] = { "ping", "tcp", "cmd", "service" };
	bool svc = v->type == LAB_YV_MAP && lab_lookup(v, "service");
	unsigned n = 0;
	int ret = lab_list_item(r, v, "a ready check", ready_keys, c, svc ? required_svc : required);

	if (ret < 0)
		return ret;
	for (size_t k = 0; k < 4; k++)
		n += lab_lookup(v, kinds[k]) != NULL;
	/* {service: NODE.SERVICE} (lab_check_services resolves it) stands alone */
	if (svc && (n > 1 || lab_lookup(v, "from")))
		return LAB_ERR(r, c->rc->pos, "a \"service\" ready check takes no \"from\", "
			       "\"ping\", \"tcp\" nor \"cmd\"");
	if (!n)
		return LAB_ERR(r, c->rc->pos, "a ready check needs \"ping\", \"tcp\" or \"cmd\"");
	if (n > 1)
		return LAB_ERR(r, c->rc->pos, "a ready check takes one of \"ping\", \"tcp\" and "
			       "\"cmd\", not more");
	return 0;
}

static int k_ready(struct lab_rd *r, const struct lab_yv *v, void *obj)
{
	struct nsc_lab *lab = r->lab;
	int ret = LAB_LIST_NEW(r, v, "ready", lab->ready, lab->n_ready);

	(void)obj;
	if (ret < 0 || !lab_count(v))
		return ret;
	r->ready_ref = calloc(v->n, sizeof(*r->ready_ref));
	if (!r->ready_ref)
		return lab_nomem(r);
	r->n_ready_ref = v->n;
	for (size_t i = 0; ret == 0 && i < v->n; i++) {
		struct ready_ctx c = { &lab->ready[i], &r->ready_ref[i] };

		c.rc->pos = v->items[i]->pos;
		c.rc->timeout = NSC_LAB_READY_TIMEOUT;
		ret = ready_item(r, v->items[i], &c);
	}
	return ret;
}

/* ---- the top level ---- */

static int k_name(struct lab_rd *r, const struct lab_yv *v, void *obj)
{
	int ret = lab_want_scalar(r, v, "name", "a string");

	(void)obj;
	if (ret < 0 || (ret = lab_name_check(r, v, "lab")) < 0)
		return ret;
	/* room for ".NODE" and "._switch" in a namespace name */
	if (v->len > LAB_NAME_MAX)
		return LAB_ERR(r, v->pos, "lab name longer than %d bytes", LAB_NAME_MAX);
	r->lab->pos = v->pos;
	return lab_str_value(r, v, "name", &r->lab->name);
}

static const struct lab_key top_keys[] = {
	{ "version", NULL },            /* read first, on its own */
	{ "name", k_name },
	{ "defaults", k_defaults },
	{ "hosts", lab_read_hosts },
	{ "nodes", lab_read_nodes },
	{ "bridges", lab_read_bridges },
	{ "links", lab_read_links },
	{ "ready", k_ready },
	{ NULL, NULL },
};

/* The names links and ready checks refer to, now that all are read. */
static int resolve(struct lab_rd *r)
{
	struct nsc_lab *lab = r->lab;
	char p[80];

	for (size_t i = 0; i < lab->n_links; i++) {
		struct nsc_lab_end *ends[2] = { &lab->links[i].a, &lab->links[i].b };

		for (int k = 0; k < 2; k++) {
			const char *ref = r->end_ref[2 * i + (size_t)k];
			struct nsc_lab_end *end = ends[k];

			if (end->kind == NSC_LAB_END_NODE) {
				end->node = nsc_lab_node(lab, ref);
				if (!end->node)
					return LAB_ERR(r, end->ref_pos, "no node \"%s\" in this lab",
						       nsc_printable(ref, p, sizeof(p)));
			} else {
				end->bridge = nsc_lab_bridge(lab, ref);
				if (!end->bridge)
					return LAB_ERR(r, end->ref_pos, "no bridge \"%s\" in this lab",
						       nsc_printable(ref, p, sizeof(p)));
			}
		}
	}
	for (size_t i = 0; i < lab->n_ready; i++) {
		const char *ref = r->ready_ref[i];

		if (lab->ready[i].service)
			continue;
		lab->ready[i].from = nsc_lab_node(lab, ref);
		if (!lab->ready[i].from)
			return LAB_ERR(r, lab->ready[i].from_pos, "no node \"%s\" in this lab",
				       nsc_printable(ref, p, sizeof(p)));
	}
	return 0;
}

static int read_version(struct lab_rd *r, const struct lab_yv *root)
{
	const struct lab_yv *v = lab_lookup(root, "version");
	uint32_t version;
	int ret;

	if (!v)
		return LAB_ERR(r, root->pos, "missing \"version\" (this netnsctl reads version %d)",
			       NSC_LAB_VERSION);
	ret = lab_u32_value(r, v, "version", 0, UINT32_MAX, &version);
	if (ret < 0)
		return ret;
	if (version != NSC_LAB_VERSION)
		return LAB_ERR(r, v->pos, "unsupported version %u (this netnsctl reads version %d)",
			       version, NSC_LAB_VERSION);
	return 0;
}

static void free_refs(struct lab_rd *r)
{
	for (size_t i = 0; i < r->n_end_ref; i++)
		free(r->end_ref[i]);
	free(r->end_ref);
	for (size_t i = 0; i < r->n_ready_ref; i++)
		free(r->ready_ref[i]);
	free(r->ready_ref);
}

static int from_tree(struct nsc_lab *lab, const struct lab_yv *root, struct nsc_error *e)
{
	struct lab_rd r = { .lab = lab, .e = e, .file = lab->file };
	int ret;

	if (root->type != LAB_YV_MAP) {
		ret = LAB_ERR(&r, root->pos, "the top level must be a map, not %s", lab_yv_kind(root));
		goto cleanup;
	}
	if ((ret = read_version(&r, root)) < 0 ||
	    (ret = lab_walk_map(&r, root, "the top level", top_keys, NULL)) < 0)
		goto cleanup;
	if (!lab->name) {
		ret = LAB_ERR(&r, root->pos, "missing \"name\"");
		goto cleanup;
	}
	if (!lab->nodes) {
		ret = LAB_ERR(&r, root->pos, "missing \"nodes\"");
		goto cleanup;
	}
	if ((ret = resolve(&r)) == 0)
		ret = lab_read_hosts_resolve(&r);
cleanup:
	free_refs(&r);
	return ret;
}

/* ---- the entry points ---- */

/* The lab of text (NUL-terminated, len bytes), which it takes: kept, apply
 * records the file it applied. */
static int read_text(char *text, size_t len, const char *file, struct nsc_lab **out,
		     struct nsc_error *e)
{
	struct lab_yv *root = NULL;
	struct nsc_lab *lab = NULL;
	int ret;

	if (len > NSC_LAB_MAX_FILE) {
		free(text);
		return nsc_usage(e, "%s: larger than %d bytes", file, NSC_LAB_MAX_FILE);
	}
	lab = calloc(1, sizeof(*lab));
	if (!lab || !(lab->file = strdup(file))) {
		free(text);
		ret = nsc_err(e, ENOMEM, "read \"%s\"", file);
		goto cleanup;
	}
	lab->text = text;
	lab->text_len = len;
	if ((ret = lab_yaml_load(text, len, file, &root, e)) < 0 ||
	    (ret = from_tree(lab, root, e)) < 0 ||
	    (ret = lab_check(lab, e)) < 0)
		goto cleanup;
	*out = lab;
	lab = NULL;
cleanup:
	lab_yaml_free(root);
	nsc_lab_free(lab);
	return ret;
}

int nsc_lab_read_mem(const char *buf, size_t len, const char *file,
		     struct nsc_lab **out, struct nsc_error *e)
{
	char *text;

	if (len > NSC_LAB_MAX_FILE)
		return nsc_usage(e, "%s: larger than %d bytes", file, NSC_LAB_MAX_FILE);
	if (!(text = malloc(len + 1)))
		return nsc_err(e, ENOMEM, "read \"%s\"", file);
	if (len)
		memcpy(text, buf, len);
	text[len] = '\0';
	return read_text(text, len, file, out, e);
}

/* A file that cannot be read is a bad argument: usage error, errno kept. */
static int read_error(struct nsc_error *e, int code, const char *verb, const char *file)
{
	nsc_err(e, code, "%s \"%s\"", verb, file);
	e->usage = true;
	return -code;
}

int nsc_lab_read_fd(int fd, const char *file, struct nsc_lab **out, struct nsc_error *e)
{
	char *buf;
	size_t len;
	int ret = lab_read_all(fd, NSC_LAB_MAX_FILE, &buf, &len);

	if (ret == -EFBIG)
		return nsc_usage(e, "%s: larger than %d bytes", file, NSC_LAB_MAX_FILE);
	if (ret == -ENOMEM)
		return nsc_err(e, ENOMEM, "read \"%s\"", file);
	if (ret < 0)
		return read_error(e, -ret, "read", file);
	/* the buffer (NUL-terminated) becomes the lab's text: no copy */
	return read_text(buf, len, file, out, e);
}

int nsc_lab_read_file(const char *path, struct nsc_lab **out, struct nsc_error *e)
{
	struct stat st;
	int fd, ret;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return read_error(e, errno, "open", path);
	/* refuse early what can't be a lab file (and a FIFO nobody writes to) */
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > NSC_LAB_MAX_FILE)
		ret = nsc_usage(e, "%s: larger than %d bytes", path, NSC_LAB_MAX_FILE);
	else
		ret = nsc_lab_read_fd(fd, path, out, e);
	close(fd);
	return ret;
}
