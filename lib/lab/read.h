/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the lab reader's files share: the reader's state, typed values and
 * maps with known keys (value.c), the parts of the file (read_node.c,
 * read_link.c) and the checks of the whole (check.c). read.c puts them
 * together behind nsc_lab_read_*().
 */
#ifndef NETNSCTL_LAB_READ_H
#define NETNSCTL_LAB_READ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lab/model.h"
#include "lab/yaml.h"

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

/* A usage error at POS of the file being read. */
#define LAB_ERR(r, pos, ...) lab_err((r)->file, (pos), (r)->e, __VA_ARGS__)

/* ---- value.c: typed values, each checked on its own ---- */

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
int lab_hostport_value(struct lab_rd *r, const struct lab_yv *v, const char *what,
		       struct nsc_prefix *out, uint16_t *port);
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

/*
 * Lists of maps ("routes", "links"): the list (or nothing) into a new zeroed
 * array of its length (*arr, *n); then each item, a map named ONE in
 * messages ("a route"), walked with KEYS, each of REQUIRED (NULL-ended)
 * there.
 */
int lab_list_new(struct lab_rd *r, const struct lab_yv *v, const char *what, size_t size,
		 void *arr, size_t *n);
#define LAB_LIST_NEW(r, v, what, arr, n) \
	lab_list_new((r), (v), (what), sizeof(*(arr)), &(arr), &(n))
int lab_list_item(struct lab_rd *r, const struct lab_yv *m, const char *one,
		  const struct lab_key *keys, void *obj, const char *const *required);

/*
 * Maps of named entries ("nodes", "bridges"): at most MAX of them (PLURAL
 * in messages) into a new zeroed array; each entry's name checked as a
 * KIND name ("node") and kept, its body (a map, or nothing) walked.
 */
int lab_map_new(struct lab_rd *r, const struct lab_yv *v, size_t max, const char *plural,
		size_t size, void *arr, size_t *n);
#define LAB_MAP_NEW(r, v, max, plural, arr, n) \
	lab_map_new((r), (v), (max), (plural), sizeof(*(arr)), &(arr), &(n))
int lab_entry_name(struct lab_rd *r, const struct lab_yv *k, const char *kind, char **name);
int lab_entry_body(struct lab_rd *r, const struct lab_yv *k, const struct lab_yv *body,
		   const char *kind, const struct lab_key *keys, void *obj);

/* ---- the parts of the file, each a key of the top level ---- */

/* read_node.c: "nodes", each with its loopback, sysctls, routes,
 * neighbours and exec commands */
int lab_read_nodes(struct lab_rd *r, const struct lab_yv *v, void *obj);
/* read_svc.c: a node's "services"; "after" checked by lab_check_services */
int lab_read_services(struct lab_rd *r, const struct lab_yv *v, void *obj);
int lab_check_services(struct nsc_lab *lab, struct nsc_error *e);
/* read_link.c: "bridges" and "links" (ends refer by name: r->end_ref) */
int lab_read_bridges(struct lab_rd *r, const struct lab_yv *v, void *obj);
int lab_read_links(struct lab_rd *r, const struct lab_yv *v, void *obj);

/* ---- check.c: the lab as a whole: references, uniqueness ---- */

int lab_check(struct nsc_lab *lab, struct nsc_error *e);

/* read_host.c: "hosts", the "host" of nodes and bridges, a link's "vni",
 * defaults.vni_base and vxlan_port; then the hosts resolved and the VNIs
 * given (after resolve, before lab_check) */
int lab_read_hosts(struct lab_rd *r, const struct lab_yv *v, void *obj);
int lab_host_ref_value(struct lab_rd *r, const struct lab_yv *v, char **ref,
		       struct nsc_lab_pos *pos);
int lab_vni_value(struct lab_rd *r, const struct lab_yv *v, struct nsc_lab_link *l);
int lab_defaults_vni_base(struct lab_rd *r, const struct lab_yv *v);
int lab_defaults_vxlan_port(struct lab_rd *r, const struct lab_yv *v);
int lab_read_hosts_resolve(struct lab_rd *r);

#endif
