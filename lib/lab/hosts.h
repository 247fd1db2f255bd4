/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A node's hosts file, /etc/netns/LAB.NODE/hosts (the directory netnsctl
 * exec binds over /etc): what it says (every node's names and interfaces
 * mapped to their addresses), and the file itself, written atomically,
 * read, removed. A file is the lab's when it is recorded (REC_HOSTS) and
 * starts with the lab's marker line; anything else is never touched.
 */
#ifndef NETNSCTL_LAB_HOSTS_H
#define NETNSCTL_LAB_HOSTS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>
#include <netnsctl/error.h>
#include <netnsctl/lab.h>

#define LAB_HOSTS_MAX (1024 * 1024)     /* bytes read back */

/* What every node's hosts file says after its first line (malloc'ed): the
 * localhost lines and the lab's names. 0 or -ENOMEM. */
int lab_hosts_body(const struct nsc_lab *lab, char **out);
/* The text of NODE's hosts file: its marker line, then BODY. 0 or -ENOMEM. */
int lab_hosts_text(const struct nsc_lab *lab, const struct nsc_lab_node *node,
		   const char *body, char **out);
/* Does TEXT say what lab_hosts_text() would? (No copy of BODY made: a
 * no-op apply compares every node's file, each as long as the lab.) */
bool lab_hosts_same(const struct nsc_lab *lab, const struct nsc_lab_node *node,
		    const char *body, const char *text);

/* Can hosts files be made here: false when the directory is not there and
 * its parent is not ours to write (an unprivileged run on a machine with
 * no /etc/netns). */
bool lab_hosts_possible(void);

enum lab_hosts_have {
	HOSTS_ABSENT,
	HOSTS_MARKED,                   /* starts with LAB's marker line */
	HOSTS_OTHER,                    /* anything else, a symlink included */
};

/* The etc netns dir (trusted), when it exists: *dfd, else -1 there (no
 * hosts file is there). 0, or -errno. */
int lab_hosts_dir(int *dfd, struct nsc_error *e);
/* What NETNS's hosts file is; with text (may be NULL), its content when
 * MARKED. 0 or -errno (e filled). _at: in DFD, lab_hosts_dir()'s. */
int lab_hosts_read(const char *lab, const char *netns, enum lab_hosts_have *have,
		   char **text, struct nsc_error *e);
int lab_hosts_read_at(int dfd, const char *lab, const char *netns,
		      enum lab_hosts_have *have, char **text, struct nsc_error *e);
/*
 * A hosts file by its identity, as apply wrote it (hosts_id.c): inode,
 * size, mtime, ctime (ns), and the hash of its text (lab_hosts_hash: the
 * first line's hash with the rest's, so that the rest, the same for every
 * node, is hashed once). Kept in the REC_HOSTS record's key.
 */
struct lab_hosts_id {
	uint64_t dev, ino, size, mtime, ctime, hash;
	bool set;                       /* false: none, read and compare */
};
uint64_t lab_hosts_hash_parts(const char *head, size_t head_len, uint64_t body_hash);
uint64_t lab_hosts_body_hash(const char *body);
uint64_t lab_hosts_text_hash(const char *text);
/* The hash of what lab_hosts_text() would give, from BODY_HASH
 * (lab_hosts_body_hash of the body). */
uint64_t lab_hosts_hash(const struct nsc_lab *lab, const struct nsc_lab_node *node,
			uint64_t body_hash);
void lab_hosts_id_of(const struct stat *sb, uint64_t hash, struct lab_hosts_id *id);
/* The record's key for ID (NULL or unset: "hosts"), in buf (64 bytes) */
const char *lab_hosts_key(const struct lab_hosts_id *id, char *buf, size_t size);
void lab_hosts_key_parse(const char *key, struct lab_hosts_id *id);
/* Is NETNS's hosts file in DFD (lab_hosts_dir's) still the one ID says,
 * with the text hashed WANT_HASH? Two fstatat, no read. False: read it. */
bool lab_hosts_unchanged_at(int dfd, const char *netns, const struct lab_hosts_id *id,
			    uint64_t want_hash);

/* Write NETNS's hosts files in two steps: each staged as a temp file in the
 * etc netns dir (the directories made when missing), then all synced to
 * disk at once and renamed over (a symlink there replaced, never followed). */
/* With ID (may be NULL): stage notes the text's hash, commit the identity
 * of each file as renamed (set false when it could not be taken surely). */
int lab_hosts_stage(const char *netns, const char *text, struct lab_hosts_id *id,
		    struct nsc_error *e);
int lab_hosts_commit(const char *const *netns, size_t n, struct lab_hosts_id *ids,
		     struct nsc_error *e);
/* Remove NETNS's hosts file when it is LAB's (marked), a temp file a killed
 * write left, and the directory when that leaves it empty. */
int lab_hosts_remove(const char *lab, const char *netns, struct nsc_error *e);
/* The same in DFD, lab_hosts_dir()'s (-1: nothing to remove): a destroy
 * opens the directory once for all its nodes. */
int lab_hosts_remove_at(int dfd, const char *lab, const char *netns, struct nsc_error *e);

#endif
