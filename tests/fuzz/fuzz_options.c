// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target: the command line. The input is argv, NUL-separated.
 * cli_parse_options() takes the global options; then cli_dispatch() runs the
 * command's handler in check_only mode (the batch pre-pass): every handler
 * must parse all its arguments and return before acting. The context is
 * NULL here, so a handler that acted anyway would crash: that is a finding
 * too. Errors must be exactly one line.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "cli.h"

#define MAX_ARGS 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Refusals print one line each on stderr, help goes to stdout: the runner
 * passes -close_fd_mask=3 (libFuzzer keeps its own and the sanitizers'
 * reports on a copy of stderr). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 1), *argv[MAX_ARGS + 2];
	struct cli c = { .family = AF_UNSPEC };
	const char *run_dir = NULL;
	int argc = 1, next = -1, ret;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	argv[0] = "netnsctl";
	for (size_t i = 0; i <= size && argc <= MAX_ARGS; ) {
		argv[argc++] = buf + i;
		i += strlen(buf + i) + 1;
	}
	argv[argc] = NULL;

	ret = cli_parse_options(&c, argc, argv, &run_dir, &next);
	if (ret == CLI_OPTS_RUN) {
		if (next < 1 || next > argc)
			abort();
		if (c.netns && nsc_name_check(c.netns, NULL) < 0)
			abort();        /* an invalid -n went through */
		if (next < argc) {
			c.check_only = true;
			ret = cli_dispatch(&c, argc - next, argv + next);
			if (ret != EXIT_OK && ret != EXIT_USAGE && ret != EXIT_EXEC_FAIL)
				abort();        /* parsing alone can only say ok or usage */
		}
	} else if (ret != CLI_OPTS_HELP && ret != CLI_OPTS_VERSION && ret != EXIT_USAGE) {
		abort();
	}
	free(buf);
	return 0;
}
