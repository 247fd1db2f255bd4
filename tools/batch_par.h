/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A batch's independent lines at once (batch_par.c). */
#ifndef NETNSCTL_BATCH_PAR_H
#define NETNSCTL_BATCH_PAR_H

#include <stdbool.h>

struct cli;
struct batch_par;

/* A parallel run of BASE's batch with JOBS workers; NULL: out of memory. */
struct batch_par *batch_par_new(struct cli *base, unsigned jobs);
/* The next line (the words after the line's own global options included),
 * as the check pass saw it; skip: it failed the check (-f). 0 or -ENOMEM. */
int batch_par_add(struct batch_par *bp, int argc, char **argv, const char *where, bool skip);
/* Run every line added; EXIT_OK, or EXIT_FAIL when a line failed. */
int batch_par_run(struct batch_par *bp);
void batch_par_free(struct batch_par *bp);

#endif
