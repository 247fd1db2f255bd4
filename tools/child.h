/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Children that run a user's command (exec, run): their status as a shell tells it. */
#ifndef NETNSCTL_CHILD_H
#define NETNSCTL_CHILD_H

#include <sys/types.h>

/* A wait status as a shell reports it: the exit code, or 128 + the signal. */
int child_status(int status);
/* Wait for PID (through EINTR): child_status(), or 125 when waiting fails. */
int child_wait(pid_t pid);

#endif
