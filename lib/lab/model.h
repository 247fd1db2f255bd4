/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The lab model's own helpers, which every other lab file may use: errors
 * that cite the file, positions, and how addresses, MACs and names are
 * written, and a file read whole. No netlink, no YAML.
 */
#ifndef NETNSCTL_LAB_MODEL_H
#define NETNSCTL_LAB_MODEL_H

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

/* A usage error "FILE:LINE:COLUMN: <fmt...>"; returns -EINVAL. */
int lab_err(const char *file, struct nsc_lab_pos pos, struct nsc_error *e,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

#define LAB_ADDRSTR 64

/* The link end of NODE named IFNAME, or NULL. */
const struct nsc_lab_end *lab_node_end(const struct nsc_lab *lab, const struct nsc_lab_node *node,
				       const char *ifname);

/* "02:00:00:00:00:01" */
#define LAB_MACSTR 18
const char *lab_mac_str(const uint8_t *mac, char buf[LAB_MACSTR]);

/* Does some link end of the lab carry an impairment? */
bool lab_has_impair(const struct nsc_lab *lab);

/* FNV-1a over data, from h (LAB_HASH_INIT to start). */
uint64_t lab_hash(const void *data, size_t len, uint64_t h);
#define LAB_HASH_INIT 0xcbf29ce484222325ull

/* What a node and a link end own (not the struct itself). */
void lab_free_node(struct nsc_lab_node *n);
void lab_free_end(struct nsc_lab_end *end);

/* All of fd, NUL-terminated, into *out (to free) and *len: 0, -EFBIG past
 * MAX bytes, or another -errno. */
int lab_read_all(int fd, size_t max, char **out, size_t *len);

#endif
