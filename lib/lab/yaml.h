/* SPDX-License-Identifier: GPL-2.0-or-later */
/* yaml.c: YAML text -> a small tree that remembers positions. */
#ifndef NETNSCTL_LAB_YAML_H
#define NETNSCTL_LAB_YAML_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lab/model.h"

enum lab_yv_type {
	LAB_YV_SCALAR,
	LAB_YV_SEQ,
	LAB_YV_MAP,
};

/*
 * A file of 1000 leaves is some 16000 of these, all alive while the model is
 * read: the largest part of `lab apply`'s peak memory. So counts are 32 bits
 * (the NSC_LAB_MAX_* bounds are far below), a scalar's text lives in the
 * same allocation, and a collection's arrays are cut to size when it ends.
 */
struct lab_yv {
	enum lab_yv_type type;
	struct nsc_lab_pos pos;
	bool quoted;                    /* quoted or block scalar: always a string */
	char *str;                      /* scalars: NUL-terminated, no NUL inside (not
					 * allocated on its own: it follows the node) */
	struct lab_yv **items;          /* lists: the items; maps: the values */
	struct lab_yv **keys;           /* maps: the keys (scalars), items[i]'s */
	uint32_t len;
	uint32_t n;
	uint32_t cap, kcap;             /* of items, of keys */
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

#endif
