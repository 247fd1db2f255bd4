/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What the lab reader's files share: the YAML tree and error helpers. */
#ifndef NETNSCTL_LAB_INTERNAL_H
#define NETNSCTL_LAB_INTERNAL_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#include <netnsctl/lab.h>

/* A lab name leaves room for "._switch" in a namespace name. */
#define LAB_NAME_MAX (NAME_MAX - (int)sizeof("." NSC_LAB_SWITCH) + 1)

static inline bool lab_pos_before(struct nsc_lab_pos a, struct nsc_lab_pos b)
{
	return a.line < b.line || (a.line == b.line && a.col < b.col);
}

/* ---- lab_yaml.c: YAML text -> a small tree that remembers positions ---- */

enum lab_yv_type {
	LAB_YV_SCALAR,
	LAB_YV_SEQ,
	LAB_YV_MAP,
};

struct lab_yv {
	enum lab_yv_type type;
	struct nsc_lab_pos pos;
	char *str;                      /* scalars: NUL-terminated, no NUL inside */
	size_t len;
	bool quoted;                    /* quoted or block scalar: always a string */
	struct lab_yv **items;          /* lists: the items; maps: the values */
	struct lab_yv **keys;           /* maps: the keys (scalars), items[i]'s */
	size_t n, cap;
};

/*
 * Parse one YAML document of UTF-8 text into a tree. Refuses what the lab
 * format never needs and what makes line numbers lie or memory explode:
 * anchors, aliases, tags, several documents, duplicate keys, non-scalar
 * keys, and anything over the NSC_LAB_MAX_* bounds. Errors are usage errors
 * "FILE:LINE:COLUMN: what".
 */
int lab_yaml_load(const char *buf, size_t len, const char *file,
		  struct lab_yv **root, struct nsc_error *e);
void lab_yaml_free(struct lab_yv *v);

/* A plain "", "~", "null", "Null" or "NULL". */
bool lab_yv_is_null(const struct lab_yv *v);

/* "a map", "a list", "a string", "a number"... for "must be X, not Y". */
const char *lab_yv_kind(const struct lab_yv *v);

/* ---- lab.c ---- */

/* A usage error "FILE:LINE:COLUMN: <fmt...>"; returns -EINVAL. */
int lab_err(const char *file, struct nsc_lab_pos pos, struct nsc_error *e,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* s made safe to echo: control bytes as \xNN, cut at about size bytes. */
const char *lab_printable(const char *s, char *buf, size_t size);

/* ---- lab_read.c: tree -> model, each value checked on its own ---- */

int lab_from_tree(struct nsc_lab *lab, const struct lab_yv *root,
		  struct nsc_error *e);

/* ---- lab_check.c: the lab as a whole: references, uniqueness ---- */

int lab_check(struct nsc_lab *lab, struct nsc_error *e);

#endif
