// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A node's "services", key by key: cmd (a list of words, or a string for
 * sh -c), env, cwd, user, after, restart and the service's own ready check.
 * References between services ("after") are checked once every node is
 * read (lab_check_services).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lab/read.h"

static int k_cmd(struct lab_rd *r, const struct lab_yv *v, void *obj)
{
	struct nsc_lab_service *s = obj;
	size_t n = v->type == LAB_YV_SEQ ? v->n : 3;

	if (v->type == LAB_YV_SEQ && !v->n)
		return LAB_ERR(r, v->pos, "\"cmd\" must not be empty");
	if (v->type != LAB_YV_SEQ && lab_want_scalar(r, v, "cmd", "a string or a list") < 0)
		return -EINVAL;
	if (!(s->argv = calloc(n + 1, sizeof(*s->argv))))
		return lab_nomem(r);
	s->argc = n;
	if (v->type != LAB_YV_SEQ) {
		if (!(s->argv[0] = strdup("/bin/sh")) || !(s->argv[1] = strdup("-c")))
			return lab_nomem(r);
		return lab_str_value(r, v, "cmd", &s->argv[2]);
	}
	for (size_t i = 0; i < n; i++) {
		int ret = lab_str_value(r, v->items[i], "cmd", &s->argv[i]);

		if (ret < 0)
			return ret;
	}
	return 0;
}

static int env_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int k_env(struct lab_rd *r, const struct lab_yv *v, void *obj)
{
	struct nsc_lab_service *s = obj;
	int ret = lab_want_map(r, v, "env");

	if (ret < 0)
		return ret;
	if (!(s->env = calloc(lab_count(v) + 1, sizeof(*s->env))))
		return lab_nomem(r);
	for (size_t i = 0; i < lab_count(v); i++) {
		const struct lab_yv *k = v->keys[i], *val = v->items[i];

		if (!k->len || strchr(k->str, '='))
			return LAB_ERR(r, k->pos, "an environment variable's name must not be "
				       "empty nor hold '='");
		if ((ret = lab_want_scalar(r, val, k->str, "a string")) < 0)
			return ret;
		if (asprintf(&s->env[i], "%s=%s", k->str, val->str) < 0) {
			s->env[i] = NULL;
			return lab_nomem(r);
		}
		s->n_env++;
	}
	/* sorted: the definition's hash does not hang on the file's order */
	qsort(s->env, s->n_env, sizeof(*s->env), env_cmp);
	return 0;
}

static int k_cwd(struct lab_rd *r, const struct lab_yv *v, void *obj)
{
	struct nsc_lab_service *s = obj;
	int ret = lab_str_value(r, v, "cwd", &s->cwd);

	if (ret == 0 && s->cwd[0] != '/')
		ret = LAB_ERR(r, v->pos, "\"cwd\" must be an absolute path");
	return ret;
}

static int k_user(struct lab_rd *r, const struct lab_yv *v, void *obj)
{
	struct nsc_lab_service *s = obj;
	int ret = lab_str_value(r, v, "user", &s->user);

	if (ret == 0 && (!s->user[0] || strpbrk(s->user, ":/ \t\n")))
		ret = LAB_ERR(r, v->pos, "\"user\" must be a user name or number");
	return ret;
}

static int k_after(struct lab_rd *r, const struct lab_yv *v, void *obj)
{
	struct nsc_lab_service *s = obj;
	size_t n = v->type == LAB_YV_SEQ ? v->n : 1;

	if (v->type != LAB_YV_SEQ && lab_want_scalar(r, v, "after", "NODE.SERVICE") < 0)
		return -EINVAL;
	if (!(s->after = calloc(n, sizeof(*s->after))) ||
	    !(s->after_pos = calloc(n, sizeof(*s->after_pos))))
		return lab_nomem(r);
	for (size_t i = 0; i < n; i++) {
		const struct lab_yv *x = v->type == LAB_YV_SEQ ? v->items[i] : v;
		int ret = lab_str_value(r, x, "after", &s->after[i]);

		s->n_after++;
		s->after_pos[i] = x->pos;
		if (ret < 0)
			return ret;
	}
	return 0;
}

static int k_restart(struct lab_rd *r, const struct lab_yv *v, void *obj)
{
	static const char *const words[] = { "no", "on-failure", "always" };
	struct nsc_lab_service *s = obj;
	int ret = lab_want_scalar(r, v, "restart", "no, on-failure or always");

	if (ret < 0)
		return ret;
	/* YAML 1.1 readers say "no" is false: accept it as written */
	for (size_t i = 0; i < 3; i++)
		if (!strcmp(v->str, words[i])) {
			s->restart = (enum nsc_lab_restart)i;
			return 0;
		}
	return LAB_ERR(r, v->pos, "\"restart\" must be no, on-failure or always, not \"%s\"",
		       v->str);
}

static int k_ready_tcp(struct lab_rd *r, const struct lab_yv *v, void *obj)
{
	struct nsc_lab_service *s = obj;
	uint32_t port;
	int ret = lab_u32_value(r, v, "tcp", 1, 65535, &port);

	s->ready_tcp = (uint16_t)port;
	return ret;
}

static int k_ready_cmd(struct lab_rd *r, const struct lab_yv *v, void *obj)
{
	struct nsc_lab_service *s = obj;

	return lab_str_value(r, v, "cmd", &s->ready_cmd);
}

static int k_ready_timeout(struct lab_rd *r, const struct lab_yv *v, void *obj)
{
	struct nsc_lab_service *s = obj;

	return lab_u32_value(r, v, "timeout", 1, 3600, &s->ready_timeout);
}

static const struct lab_key ready_keys[] = {
	{ "tcp", k_ready_tcp },
	{ "cmd", k_ready_cmd },
	{ "timeout", k_ready_timeout },
	{ NULL, NULL },
};

static int k_ready(struct lab_rd *r, const struct lab_yv *v, void *obj)
{
	struct nsc_lab_service *s = obj;
	int ret = lab_want_map(r, v, "ready");

	if (ret == 0)
		ret = lab_walk_map(r, v, "ready", ready_keys, s);
	if (ret == 0 && !!s->ready_tcp == !!s->ready_cmd)
		ret = LAB_ERR(r, v->pos, "a service's \"ready\" needs one of \"tcp\" or \"cmd\"");
	return ret;
}

static const struct lab_key service_keys[] = {
	{ "cmd", k_cmd },
	{ "env", k_env },
	{ "cwd", k_cwd },
	{ "user", k_user },
	{ "after", k_after },
	{ "restart", k_restart },
	{ "ready", k_ready },
	{ NULL, NULL },
};

int lab_read_services(struct lab_rd *r, const struct lab_yv *v, void *obj)
{
	struct nsc_lab_node *node = obj;
	int ret = lab_want_map(r, v, "services");

	if (ret == 0)
		ret = LAB_MAP_NEW(r, v, NSC_LAB_MAX_ENTRIES, "services", node->services,
				  node->n_services);
	for (size_t i = 0; ret == 0 && i < node->n_services; i++) {
		struct nsc_lab_service *s = &node->services[i];

		s->pos = v->keys[i]->pos;
		s->ready_timeout = NSC_LAB_READY_TIMEOUT;
		ret = lab_entry_name(r, v->keys[i], "service", &s->name);
		if (ret == 0)
			ret = lab_entry_body(r, v->keys[i], v->items[i], "service", service_keys, s);
		if (ret == 0 && !s->argv)
			ret = LAB_ERR(r, s->pos, "service \"%s\" needs \"cmd\"", s->name);
	}
	return ret;
}

const struct nsc_lab_service *nsc_lab_service(const struct nsc_lab *lab, const char *node,
					      const char *name)
{
	const struct nsc_lab_node *n = nsc_lab_node(lab, node);

	for (size_t i = 0; n && i < n->n_services; i++)
		if (!strcmp(n->services[i].name, name))
			return &n->services[i];
	return NULL;
}

/* "NODE.SERVICE" of the lab, or NULL. */
static const struct nsc_lab_service *service_ref(const struct nsc_lab *lab, const char *ref)
{
	char node[NSC_ERR_MSG_MAX];
	const char *dot = strchr(ref, '.');

	if (!dot || (size_t)(dot - ref) >= sizeof(node))
		return NULL;
	snprintf(node, sizeof(node), "%.*s", (int)(dot - ref), ref);
	return nsc_lab_service(lab, node, dot + 1);
}

/* ---- after: references and cycles ---- */

/* The lab's services numbered in file order: node by node. */
struct svc_graph {
	const struct nsc_lab *lab;
	const struct nsc_lab_service **v;       /* by number */
	const struct nsc_lab_node **node;
	size_t n;
	unsigned char *color;                   /* 0 new, 1 on the walk, 2 done */
	size_t *walk, *edge;                    /* the walk: service, its "after" taken */
};

static size_t svc_no(const struct svc_graph *g, const struct nsc_lab_service *s)
{
	size_t i = 0;

	while (i < g->n && g->v[i] != s)
		i++;
	return i;
}

/* "after: a.web -> a.db -> a.web is a cycle": the walk from its step K to
 * DEPTH, then back to step K; cited where step K's "after" is. */
static int cycle_err(const struct svc_graph *g, size_t k, size_t depth, struct nsc_error *e)
{
	const struct nsc_lab_service *first = g->v[g->walk[k]];
	char buf[NSC_ERR_MSG_MAX] = "", p[80];
	size_t len = 0;

	for (size_t i = k; i <= depth && len < sizeof(buf); i++) {
		size_t s = g->walk[i];

		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s.%s -> ",
					nsc_printable(g->node[s]->name, p, sizeof(p)), g->v[s]->name);
	}
	if (len < sizeof(buf))
		snprintf(buf + len, sizeof(buf) - len, "%s.%s", g->node[g->walk[k]]->name,
			 first->name);
	return lab_err(g->lab->file, first->after_pos[g->edge[k]], e, "after: %s is a cycle", buf);
}

/* Depth-first from service S0, without recursion (a lab may hold thousands). */
static int walk_from(struct svc_graph *g, size_t s0, struct nsc_error *e)
{
	size_t depth = 0;

	g->walk[0] = s0;
	g->edge[0] = 0;
	g->color[s0] = 1;
	for (;;) {
		size_t s = g->walk[depth];
		const struct nsc_lab_service *d = g->v[s];

		if (g->edge[depth] >= d->n_after) {
			g->color[s] = 2;
			if (!depth--)
				return 0;
			g->edge[depth]++;
			continue;
		}
		{
			const char *ref = d->after[g->edge[depth]], *dot = strchr(ref, '.');
			char node[NSC_ERR_MSG_MAX];
			size_t t;

			snprintf(node, sizeof(node), "%.*s", (int)(dot - ref), ref);
			t = svc_no(g, nsc_lab_service(g->lab, node, dot + 1));
			if (g->color[t] == 1) {
				size_t k = 0;

				while (g->walk[k] != t)
					k++;
				return cycle_err(g, k, depth, e);
			}
			if (g->color[t] == 2) {
				g->edge[depth]++;
				continue;
			}
			g->color[t] = 1;
			g->walk[++depth] = t;
			g->edge[depth] = 0;
		}
	}
}

/* Services that wait, through "after", on one another would never start. */
static int check_cycles(const struct nsc_lab *lab, struct nsc_error *e)
{
	struct svc_graph g = { .lab = lab };
	size_t n = 0;
	int ret = 0;

	for (size_t i = 0; i < lab->n_nodes; i++)
		n += lab->nodes[i].n_services;
	if (!n)
		return 0;
	g.v = calloc(n, sizeof(*g.v));
	g.node = calloc(n, sizeof(*g.node));
	g.color = calloc(n, 1);
	g.walk = calloc(n, sizeof(*g.walk));
	g.edge = calloc(n, sizeof(*g.edge));
	if (!g.v || !g.node || !g.color || !g.walk || !g.edge) {
		ret = nsc_err(e, ENOMEM, "%s", lab->file);
		goto cleanup;
	}
	for (size_t i = 0; i < lab->n_nodes; i++)
		for (size_t j = 0; j < lab->nodes[i].n_services; j++) {
			g.node[g.n] = &lab->nodes[i];
			g.v[g.n++] = &lab->nodes[i].services[j];
		}
	for (size_t i = 0; ret == 0 && i < n; i++)
		if (!g.color[i])
			ret = walk_from(&g, i, e);
cleanup:
	free(g.v);
	free(g.node);
	free(g.color);
	free(g.walk);
	free(g.edge);
	return ret;
}

/* "after" and ready checks' "service": NODE.SERVICE names a service of the
 * lab ("after": not S itself, and no cycle); a service's ready check is
 * from the service's node. */
int lab_check_services(struct nsc_lab *lab, struct nsc_error *e)
{
	for (size_t i = 0; i < lab->n_ready; i++) {
		char node[NSC_ERR_MSG_MAX];
		const char *ref = lab->ready[i].service, *dot;

		if (!ref)
			continue;
		if (!service_ref(lab, ref))
			return lab_err(lab->file, lab->ready[i].pos, e, "ready: no service \"%s\" "
				       "(NODE.SERVICE)", ref);
		dot = strchr(ref, '.');
		snprintf(node, sizeof(node), "%.*s", (int)(dot - ref), ref);
		lab->ready[i].from = nsc_lab_node(lab, node);
	}
	for (size_t i = 0; i < lab->n_nodes; i++) {
		const struct nsc_lab_node *n = &lab->nodes[i];

		for (size_t j = 0; j < n->n_services; j++) {
			const struct nsc_lab_service *s = &n->services[j];

			for (size_t k = 0; k < s->n_after; k++) {
				const struct nsc_lab_service *t = service_ref(lab, s->after[k]);

				if (!t)
					return lab_err(lab->file, s->after_pos[k], e,
						       "\"after\": no service \"%s\" (NODE.SERVICE)",
						       s->after[k]);
				if (t == s)
					return lab_err(lab->file, s->after_pos[k], e,
						       "service \"%s\" cannot come after itself",
						       s->after[k]);
			}
		}
	}
	return check_cycles(lab, e);
}
