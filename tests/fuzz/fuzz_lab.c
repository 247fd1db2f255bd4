// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target: the lab file reader (YAML through libyaml, then the
 * model and its checks). Whatever the bytes, it must return a lab or one
 * error naming a place in the file, and leak nothing.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <netnsctl/lab.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nsc_error e = { 0 };
	struct nsc_lab *lab = NULL;

	if (nsc_lab_read_mem((const char *)data, size, "fuzz", &lab, &e) == 0)
		nsc_lab_free(lab);
	else if (!e.msg[0] || strchr(e.msg, '\n'))
		abort();        /* an error is one line, and says something */
	return 0;
}
