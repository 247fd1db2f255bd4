/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What the lab reader's files share: the YAML tree and error helpers. */
#ifndef NETNSCTL_LAB_INTERNAL_H
#define NETNSCTL_LAB_INTERNAL_H

#include "base/util.h"

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

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


/* ---- lab_value.c: typed values, each checked on its own ---- */

/* The reader's state, passed to every value and key function. */
struct lab_rd {
	struct nsc_lab *lab;
	struct nsc_error *e;
	const char *file;
	/* names as written, resolved once everything is read */
	char **end_ref;                 /* 2 per link: a, b */
	char **ready_ref;               /* 1 per ready check */
	size_t n_end_ref, n_ready_ref;
};

/* All return 0 or a usage error at the value's position; WHAT is the key
 * the value belongs to, as messages quote it. */
int lab_nomem(struct lab_rd *r);
int lab_want_scalar(struct lab_rd *r, const struct lab_yv *v, const char *what,
		    const char *kind);
int lab_want_seq(struct lab_rd *r, const struct lab_yv *v, const char *what);   /* or empty */
int lab_want_map(struct lab_rd *r, const struct lab_yv *v, const char *what);   /* or empty */
size_t lab_count(const struct lab_yv *v);                                       /* 0 if empty */
int lab_str_value(struct lab_rd *r, const struct lab_yv *v, const char *what, char **out);
int lab_u32_value(struct lab_rd *r, const struct lab_yv *v, const char *what,
		  uint32_t min, uint32_t max, uint32_t *out);
int lab_addr_value(struct lab_rd *r, const struct lab_yv *v, const char *what,
		   struct nsc_lab_addr *out);
int lab_addrs_value(struct lab_rd *r, const struct lab_yv *v, const char *what,
		    struct nsc_lab_addr **out, size_t *n);
int lab_host_value(struct lab_rd *r, const struct lab_yv *v, const char *what,
		   struct nsc_prefix *out);
int lab_mac_value(struct lab_rd *r, const struct lab_yv *v, const char *what, uint8_t mac[6]);
int lab_ifname_value(struct lab_rd *r, const struct lab_yv *v, const char *what, char **out);
int lab_name_check(struct lab_rd *r, const struct lab_yv *v, const char *what);
int lab_text_check(struct lab_rd *r, const struct lab_yv *v, const char *what,
		   const char *allowed);
int lab_sysctls_value(struct lab_rd *r, const struct lab_yv *v,
		      struct nsc_lab_sysctl **out, size_t *n);

/* A map whose keys are known: each key's function gets its value, in file
 * order; an unknown key is refused with the list of known ones. */
typedef int (*lab_key_fn)(struct lab_rd *r, const struct lab_yv *v, void *obj);
struct lab_key {
	const char *name;
	lab_key_fn fn;                  /* NULL: accepted, read elsewhere */
};
int lab_walk_map(struct lab_rd *r, const struct lab_yv *map, const char *what,
		 const struct lab_key *keys, void *obj);
const struct lab_yv *lab_lookup(const struct lab_yv *map, const char *key);

/* ---- lab_read.c: tree -> model, key by key; references resolved ---- */

int lab_from_tree(struct nsc_lab *lab, const struct lab_yv *root,
		  struct nsc_error *e);

/* ---- lab_check.c: the lab as a whole: references, uniqueness ---- */

int lab_check(struct nsc_lab *lab, struct nsc_error *e);

#endif
