/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A lab's state: what it made, so that apply, --prune and destroy touch
 * nothing else. One directory per lab under the state root (state.c), its
 * files (state_file.c), the records in memory (records.c), and the journal
 * they are appended to as objects are made or removed (journal.c).
 */
#ifndef NETNSCTL_LAB_STATE_H
#define NETNSCTL_LAB_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <netnsctl/ctx.h>
#include <netnsctl/lab.h>

enum lab_rec_type {
	REC_NS,                         /* netns; id: dev, ino, cookie */
	REC_LINK,                       /* netns, dev; id[0]: ifindex */
	REC_ADDR,                       /* netns, dev, key: prefix */
	REC_ROUTE,                      /* netns, key: destination prefix; id[0]: metric */
	REC_NEIGH,                      /* netns, dev, key: address */
	REC_EXEC,                       /* netns, key: hash of the commands last run */
	REC_HOSTS,                      /* netns, key: "hosts" (lab/hosts.h); lives
					 * outside the namespace, in /etc/netns */
	REC_UTS,                        /* netns, key: "uts" (lab/uts.h): the node's
					 * UTS namespace, in the lab's dir */
	REC_NTYPES
};

struct lab_rec {
	enum lab_rec_type type;
	char *netns;
	char *dev;                      /* NULL when the type has none */
	char *key;                      /* NULL when the type has none */
	uint64_t id[3];
	bool dead;                      /* removed (kept for its slot) */
	bool pending;                   /* intended, not known to be made yet */
};

/* What a record says of its object (lab_rec_set). */
enum lab_rec_mark {
	REC_MADE,                       /* made: the id identifies it */
	REC_GONE,                       /* removed: forget it */
	REC_INTENT,                     /* about to be made (lab_rec_intend) */
};

struct lab_state {
	char *root;                     /* the state dir, holding one dir per lab */
	char *name;
	char *dir;                      /* root/name */
	int rfd;                        /* the state root (O_PATH, trusted); -1 */
	int dfd;                        /* the lab's dir, flock'ed; -1: none */
	int jfd;                        /* journal, opened on first append; -1 */
	bool writable;                  /* opened to change */
	bool found;                     /* there was state */
	bool stale;                     /* from an earlier boot: records mean nothing */
	bool complete;                  /* the last apply finished */
	char *file;                     /* the file last applied */
	char boot[64];                  /* this boot's id */
	struct lab_rec *v;
	size_t n, cap;
	size_t *slots;                  /* hash of record keys: index + 1, 0 empty */
	size_t nslots;
};

/* ---- state.c: where the state is, a lab's directory opened and locked ---- */

int lab_state_root(struct nsc_ctx *ctx, const struct nsc_lab_opts *opts, char **out,
		   struct nsc_error *e);

/*
 * Open the state of lab NAME: to read it (shared lock), to change it
 * (exclusive), or to change it making the dir when missing (apply).
 * st->found says whether there was state.
 */
enum lab_open {
	LAB_READ,
	LAB_PEEK,                       /* read, without waiting for a lock */
	LAB_CHANGE,
	LAB_CREATE,
};
int lab_state_open(struct nsc_ctx *ctx, const struct nsc_lab_opts *opts, const char *name,
		   enum lab_open how, struct lab_state *st, struct nsc_error *e);
void lab_state_close(struct lab_state *st);
/* Remove the lab's state entirely (while locked). */
int lab_state_remove(struct lab_state *st, struct nsc_error *e);

/*
 * fn(st) with the state of each lab that has a directory under the state
 * root, opened as HOW says, in no order, until fn fails. WHAT ("lab list")
 * names the caller in errors. With LAB_PEEK, a state that cannot be read is
 * passed over.
 */
typedef int (*lab_state_fn)(struct lab_state *st, void *data, struct nsc_error *e);
int lab_state_each(struct nsc_ctx *ctx, const struct nsc_lab_opts *opts, enum lab_open how,
		   const char *what, lab_state_fn fn, void *data, struct nsc_error *e);

/* ---- state_file.c: the files in a lab's directory ---- */

/* Read the state file and the journal after it into st (state.c, on open). */
int lab_state_load(struct lab_state *st, struct nsc_error *e);
/* An apply starts: the copy of the file, status incomplete. */
int lab_state_begin(struct lab_state *st, const struct nsc_lab *lab, struct nsc_error *e);
/* Rewrite the state file from the records (temp + rename), drop the journal. */
int lab_state_commit(struct lab_state *st, bool complete, struct nsc_error *e);
/* Read the copy of the file the state holds. */
int lab_state_read_lab(struct lab_state *st, struct nsc_lab **out, struct nsc_error *e);

/* ---- records.c: records in memory, and as lines ---- */

struct lab_rec *lab_rec_find(struct lab_state *st, enum lab_rec_type type, const char *netns,
			     const char *dev, const char *key, uint64_t route_metric);
/* Set (made, intended) or forget (gone) a record in memory only: 0 or -ENOMEM. */
int lab_rec_set(struct lab_state *st, enum lab_rec_type type, const char *netns,
		const char *dev, const char *key, const uint64_t id[3],
		enum lab_rec_mark mark);
/* Forget every record, in memory. */
void lab_rec_clear(struct lab_state *st);
/* "ns demo.r1 64 4026532291 12", "addr demo.r1 eth1 203.0.113.1/30"...:
 * its length, or -ENAMETOOLONG. */
int lab_rec_line(const struct lab_rec *r, char *buf, size_t size);
/* The words of such a line: false when they are not one. r's strings
 * point into w. */
bool lab_rec_parse(char **w, size_t n, struct lab_rec *r);

/* ---- journal.c: records as objects are made and removed ---- */

/*
 * Intent before action. Every request that makes an object is preceded by
 * lab_rec_intend(): the record, marked pending, appended to the journal
 * ("? LINE") and fsync'ed, with what will find the object again (its
 * namespace, device, key; the id still 0). Once the object is made,
 * lab_rec_put() records it whole ("+ LINE"), which settles the intent; a
 * request refused because the object exists already (EEXIST: not ours)
 * settles it with lab_rec_drop(). An intent still pending when a job opens
 * means a run was killed between the two: lab_recover() (recover.c) settles
 * it before anything is planned, adopting the object when it is whole and
 * the lab's, removing it when it half-exists, forgetting the intent when
 * nothing was made.
 *
 * A new type of object (a qdisc, a VXLAN end, a service) plugs in with: a
 * REC_ value and its word in records.c's type_names (the generic line
 * "TYPE NETNS DEV KEY" fits any object found by namespace, device and key),
 * lab_rec_intend() before its request and lab_rec_put() after, and a line
 * in recover.c's settle table saying how a pending one is settled (for
 * what lives inside a namespace of the lab's, settle_inside: kept when the
 * namespace is the lab's, else forgotten).
 */
int lab_rec_intend(struct lab_state *st, enum lab_rec_type type, const char *netns,
		   const char *dev, const char *key, const uint64_t id[3], struct nsc_error *e);

/* Record (or re-record) an object, appending to the journal. */
int lab_rec_put(struct lab_state *st, enum lab_rec_type type, const char *netns,
		const char *dev, const char *key, const uint64_t id[3], struct nsc_error *e);
/* Forget a record (journal "-"). */
int lab_rec_drop(struct lab_state *st, struct lab_rec *r, struct nsc_error *e);
/* Forget every record of namespace NETNS but the namespace itself and what
 * lives outside it (a hosts file, a UTS namespace). */
int lab_rec_drop_inside(struct lab_state *st, const char *netns, struct nsc_error *e);

/*
 * Forget the namespaces recs[0..n) (their REC_NS records: the namespaces
 * are gone) and what was recorded inside each, as lab_rec_drop_inside()
 * and lab_rec_drop() one by one, but in one pass over the records and one
 * write to the journal.
 */
int lab_rec_drop_ns_many(struct lab_state *st, struct lab_rec **recs, size_t n,
			 struct nsc_error *e);
/* Forget recs[0..n) (objects that are gone), with one write to the journal. */
int lab_rec_drop_many(struct lab_state *st, struct lab_rec **recs, size_t n,
		      struct nsc_error *e);

/* ---- recover.c: after a crash ---- */

/*
 * Settle every pending intent (see lab_rec_intend), and remove the name
 * files of recorded namespaces that have nothing mounted any more (a kill
 * between a delete's unmount and its unlink). With a read-only state (diff),
 * only in memory: an object there is adopted, nothing is removed.
 */
int lab_recover(struct nsc_ctx *ctx, struct lab_state *st, struct nsc_error *e);

#endif
