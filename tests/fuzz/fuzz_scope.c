// SPDX-License-Identifier: GPL-2.0
/* fuzz_scope.c - libFuzzer target: the --scope / --trace expression parser. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "filter.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct filter f;
	char err[512];
	char *s;

	if (!size)
		return 0;
	s = malloc(size);
	if (!s)
		return 0;
	/* First byte: --trace (legacy) or --scope grammar; the rest, the text. */
	memcpy(s, data + 1, size - 1);
	s[size - 1] = '\0';
	filter_init(&f);
	err[0] = '\0';
	if (filter_parse(&f, s, data[0] & 1, err, sizeof(err)) && !err[0])
		abort();	/* an error always says why */
	filter_is_expr(s);
	filter_fini(&f);
	free(s);
	return 0;
}
