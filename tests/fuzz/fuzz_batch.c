// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target: the batch-line tokenizer.
 *
 * ==> PLACEHOLDER for tools/batch_parse.c (the batch branch). When it lands:
 *     1. call its tokenizer below (batch_split() or whatever it is named),
 *        with the invariants it documents (argc bounded, every token
 *        NUL-terminated inside the buffer, quotes balanced or refused);
 *     2. enable the 'batch' target in tests/fuzz/meson.build;
 *     3. add seeds under tests/fuzz/corpus/batch/ (real batch lines).
 * Until then this target is not built.
 */
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	(void)data;
	(void)size;
	/* BATCH TOKENIZER CALL GOES HERE */
	return 0;
}
