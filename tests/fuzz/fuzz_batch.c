// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target: the batch-line tokenizer (tools/batch_parse.c). Every
 * line of the input is split as `netnsctl -b` would split it; beyond "no
 * crash, no leak", each call must make progress, keep argv NULL-terminated
 * with argc words, and explain any refusal.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "batch_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	struct batch_tok t;
	size_t off = 0;

	batch_tok_init(&t);
	while (off < size) {
		int ret = batch_tok_line(&t, text + off, size - off);

		if (ret == -ENOMEM)
			break;
		if (ret == -EINVAL && (!t.err || !*t.err))
			abort();        /* a refusal must say why */
		if (ret == 0) {
			if (!t.argv || t.argv[t.argc] != NULL)
				abort();
			for (int i = 0; i < t.argc; i++)
				if (!t.argv[i])
					abort();
		}
		if (t.consumed == 0 || t.consumed > size - off)
			abort();        /* no progress, or past the end */
		off += t.consumed;
	}
	batch_tok_free(&t);
	return 0;
}
