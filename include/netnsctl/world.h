/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NETNSCTL_WORLD_H
#define NETNSCTL_WORLD_H

#include <stdbool.h>
#include <sys/types.h>
#include <netnsctl/error.h>

/*
 * A private world for a throwaway lab: a child process that is PID 1 of a
 * new PID namespace, with a mount namespace of its own (a tmpfs over the run
 * dir and one over its parent, a fresh /proc), and, for an unprivileged caller, a user namespace
 * that maps the caller to root. Everything a lab made in there is held only
 * by that world: when its last process ends (and the child dies with its
 * parent, even on SIGKILL) the kernel frees every namespace, mount and veth.
 */
struct nsc_world_opts {
	const char *run_dir;            /* the run dir to cover with a tmpfs */
	const char *state_dir;          /* another dir to cover (lab state), or NULL */
	bool userns;                    /* also a user namespace (unprivileged) */
};

/*
 * Fork into the world. In the child (PID 1 there) *pid is 0: it returns 0
 * with its mounts in place, or -errno when they could not be made (the child
 * must then exit). In the parent *pid is the child's pid, or -1 when the
 * world could not be made (-errno, nothing made).
 */
int nsc_world_spawn(const struct nsc_world_opts *o, pid_t *pid, struct nsc_error *e);

/*
 * In the world, in a child about to run the user's command: a mount
 * namespace of its own where the run dir's parent is the real one again
 * (only PID 1, which applies and destroys the lab, sees the tmpfs over it
 * that holds the lab's state), with the world's run dir on the real run
 * dir. Nothing to do (0) where there is no real run dir to show it on.
 * STATE_DIR (SIZE bytes) gets where the command reaches the lab's state:
 * o->state_dir in a covered view, else through PID 1's root
 * ("/proc/1/root/run/netns.netnsctl-run"). 0 or -errno.
 */
int nsc_world_uncover(const struct nsc_world_opts *o, char *state_dir, size_t size,
		      struct nsc_error *e);

/*
 * Outside the world: the pid, as this process sees it, of the child of
 * WORLD (the world's PID 1, as seen here) that is INNER in the world; -1
 * when there is none.
 */
pid_t nsc_world_pid(pid_t world, pid_t inner);

/* Why unprivileged user namespaces are refused here, or NULL if allowed. */
const char *nsc_userns_blocker(void);

#endif
