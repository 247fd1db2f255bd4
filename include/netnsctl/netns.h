/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NETNSCTL_NETNS_H
#define NETNSCTL_NETNS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <netnsctl/ctx.h>
#include <netnsctl/error.h>

/*
 * Namespace names are one path component, 1..NAME_MAX bytes, no '/', no
 * control characters, not "." or "..", no leading '-'
 * (nsc_name_check() in parse.h); every function here checks them.
 */

/* true when the caller's mount namespace is not that of PID 1, so a
 * namespace added here would not be seen from the host (a container, a
 * unit with private mounts, or inside `exec`). */
bool nsc_mntns_isolated(void);

enum nsc_add_flags {
	NSC_ADD_LO_DOWN = 1 << 0,       /* leave loopback down */
};

int nsc_ns_add(struct nsc_ctx *ctx, const char *name, unsigned flags,
	       struct nsc_error *e);
int nsc_ns_attach(struct nsc_ctx *ctx, const char *name, pid_t pid,
		  struct nsc_error *e);

struct nsc_del_info {
	unsigned holders;               /* processes still inside after delete */
	unsigned killed;                /* processes ended (kill) */
	unsigned peers;                 /* veth peers elsewhere awaited (wait) */
	unsigned unwatched;             /* veth peers in unnamed namespaces: not awaited */
};
int nsc_ns_delete(struct nsc_ctx *ctx, const char *name,
		  struct nsc_del_info *info, struct nsc_error *e);

struct nsc_del_opts {
	/*
	 * End the processes inside first: SIGTERM, SIGKILL after
	 * kill_grace_ms, then wait for them to be gone. Refused (EBUSY) for
	 * the caller's own namespace.
	 */
	bool kill;
	unsigned kill_grace_ms;
	/*
	 * Return only once the kernel has freed the namespace as far as a
	 * user can see: its veth peers in other (named, or the caller's)
	 * namespaces are gone, so their names can be used again. At most
	 * wait_ms; then ETIMEDOUT (the name is removed all the same).
	 */
	bool wait;
	unsigned wait_ms;
};
int nsc_ns_delete_opts(struct nsc_ctx *ctx, const char *name,
		       const struct nsc_del_opts *opts, struct nsc_del_info *info,
		       struct nsc_error *e);

/* One name for nsc_ns_delete_many(), and what became of it. */
struct nsc_del_item {
	const char *name;
	int ret;                        /* 0, or -errno with e filled */
	struct nsc_del_info info;
	struct nsc_error e;
};
/*
 * Delete each name of v[0..n) as nsc_ns_delete_opts() would, the same
 * checks and messages, going on past a failure (each item says its own),
 * but at once: /proc read once for all of them (holders, --kill), the run
 * dir's lock taken once, and the unmounts made side by side from a few
 * threads (each waits in the kernel for an RCU grace period, which threads
 * side by side share). With opts->wait, one name after another. 0, or
 * -errno (e filled) when none could be tried (no memory).
 */
int nsc_ns_delete_many(struct nsc_ctx *ctx, struct nsc_del_item *v, size_t n,
		       const struct nsc_del_opts *opts, struct nsc_error *e);

enum nsc_ns_state {
	NSC_NS_OK,
	NSC_NS_STALE,                   /* name file with no netns mounted on it */
};

struct nsc_ns_entry {
	char *name;
	enum nsc_ns_state state;
	int id;                         /* nsid seen from the caller, -1 if none */
};

/* Sorted by name. Free with nsc_ns_list_free. */
int nsc_ns_list(struct nsc_ctx *ctx, struct nsc_ns_entry **out, size_t *n,
		struct nsc_error *e);
void nsc_ns_list_free(struct nsc_ns_entry *list, size_t n);

/*
 * The names in the run dir, sorted, nothing opened (no state, no id): what
 * a caller that opens each one anyway needs (delete --all). Free with
 * nsc_strv_free().
 */
int nsc_ns_names(struct nsc_ctx *ctx, char ***out, size_t *n, struct nsc_error *e);

/*
 * Open NAME's namespace (O_RDONLY|O_CLOEXEC), refusing symlinks, stale
 * names and mounts of other namespace types. Returns the fd or -errno.
 */
int nsc_ns_open(struct nsc_ctx *ctx, const char *name, struct nsc_error *e);

/* Names (sorted) whose namespace is that of PID (0: the caller). */
int nsc_ns_identify(struct nsc_ctx *ctx, pid_t pid, char ***names, size_t *n,
		    struct nsc_error *e);
void nsc_strv_free(char **v, size_t n);

/* PIDs (ascending) of processes in NAME's namespace. */
int nsc_ns_pids(struct nsc_ctx *ctx, const char *name, pid_t **pids,
		size_t *n, struct nsc_error *e);

#endif
