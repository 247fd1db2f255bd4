// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The lab model: reading a file into it (YAML tree, then values, then the
 * lab as a whole), freeing it, looking things up, and citing the file in
 * errors found later.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lab/read.h"

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

static void free_sysctls(struct nsc_lab_sysctl *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(s[i].name);
		free(s[i].value);
	}
	free(s);
}

static void free_node(struct nsc_lab_node *n)
{
	free(n->name);
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
}

static void free_end(struct nsc_lab_end *end)
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
		free_node(&lab->nodes[i]);
	free(lab->nodes);
	for (size_t i = 0; i < lab->n_bridges; i++)
		free(lab->bridges[i].name);
	free(lab->bridges);
	for (size_t i = 0; i < lab->n_links; i++) {
		free_end(&lab->links[i].a);
		free_end(&lab->links[i].b);
	}
	free(lab->links);
	free(lab->ready);
	free(lab);
}

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

int nsc_lab_read_mem(const char *buf, size_t len, const char *file,
		     struct nsc_lab **out, struct nsc_error *e)
{
	struct lab_yv *root = NULL;
	struct nsc_lab *lab;
	int ret;

	if (len > NSC_LAB_MAX_FILE)
		return nsc_usage(e, "%s: larger than %d bytes", file, NSC_LAB_MAX_FILE);
	lab = calloc(1, sizeof(*lab));
	if (!lab || !(lab->file = strdup(file)) || !(lab->text = malloc(len + 1))) {
		if (lab)
			free(lab->file);
		free(lab);
		return nsc_err(e, ENOMEM, "read \"%s\"", file);
	}
	/* kept: apply records the file it applied */
	if (len)
		memcpy(lab->text, buf, len);
	lab->text[len] = '\0';
	lab->text_len = len;
	ret = lab_yaml_load(buf, len, file, &root, e);
	if (ret < 0)
		goto fail;
	ret = lab_from_tree(lab, root, e);
	if (ret < 0)
		goto fail;
	ret = lab_check(lab, e);
	if (ret < 0)
		goto fail;
	lab_yaml_free(root);
	*out = lab;
	return 0;
fail:
	lab_yaml_free(root);
	nsc_lab_free(lab);
	return ret;
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
	size_t len = 0, cap = 64 * 1024;
	char *buf = malloc(cap);
	int ret;

	if (!buf)
		return nsc_err(e, ENOMEM, "read \"%s\"", file);
	/* read one byte past the bound to know it was passed */
	for (;;) {
		ssize_t r;

		if (len == cap) {
			char *nbuf;

			if (cap > NSC_LAB_MAX_FILE) {
				free(buf);
				return nsc_usage(e, "%s: larger than %d bytes", file,
						 NSC_LAB_MAX_FILE);
			}
			cap *= 2;
			nbuf = realloc(buf, cap);
			if (!nbuf) {
				free(buf);
				return nsc_err(e, ENOMEM, "read \"%s\"", file);
			}
			buf = nbuf;
		}
		r = read(fd, buf + len, cap - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			ret = errno;
			free(buf);
			return read_error(e, ret, "read", file);
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	ret = nsc_lab_read_mem(buf, len, file, out, e);
	free(buf);
	return ret;
}

int nsc_lab_read_file(const char *path, struct nsc_lab **out, struct nsc_error *e)
{
	struct stat st;
	int fd, ret;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return read_error(e, errno, "open", path);
	/* refuse early what can't be a lab file (and a FIFO nobody writes to) */
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > NSC_LAB_MAX_FILE) {
		close(fd);
		return nsc_usage(e, "%s: larger than %d bytes", path, NSC_LAB_MAX_FILE);
	}
	ret = nsc_lab_read_fd(fd, path, out, e);
	close(fd);
	return ret;
}
