// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Which UTS namespace `netnsctl exec LAB.NODE` (and lab exec, and exec
 * commands) enter with the network namespace: the node's own, when its lab
 * has state here with defaults.hostname (lab/uts.h). Apart from uts.c,
 * which the state's removal calls: this one needs the state root.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <netnsctl/lab.h>

#include "base/util.h"
#include "lab/state.h"
#include "lab/uts.h"

int nsc_lab_uts(struct nsc_ctx *ctx, const struct nsc_lab_opts *opts, const char *netns,
		char *buf, size_t size)
{
	const char *dot = strchr(netns, '.'), *node = dot ? dot + 1 : NULL;
	struct nsc_error ignore = { 0 };
	char lab[NAME_MAX + 1], *root = NULL, *dir = NULL;
	int fd = -1, ret = 0;

	if (!dot || (size_t)(dot - netns) >= sizeof(lab) || !*node || strchr(node, '/'))
		return 0;
	snprintf(lab, sizeof(lab), "%.*s", (int)(dot - netns), netns);
	if (nsc_lab_name_check(lab, &ignore) < 0 || lab_state_root(ctx, opts, &root, &ignore) < 0)
		return 0;
	if (asprintf(&dir, "%s/%s", root, lab) < 0) {
		dir = NULL;
		goto cleanup;
	}
	/* someone else's dir could hold anything: not entered */
	fd = nsc_dir_open_trusted(dir, 0, "lab state", &ignore);
	if (fd >= 0 && lab_uts_probe(fd, node) == UTS_PRESENT &&
	    (size_t)snprintf(buf, size, "%s/" LAB_UTS_DIR "/%s", dir, node) < size)
		ret = 1;
cleanup:
	if (fd >= 0)
		close(fd);
	free(root);
	free(dir);
	return ret;
}
