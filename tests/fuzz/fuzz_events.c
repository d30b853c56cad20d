// SPDX-License-Identifier: GPL-2.0
/* fuzz_events.c - libFuzzer target: the -e/--events list parser. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "events.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tr_selection sel;
	char err[512];
	char *s = malloc(size + 1);

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	memset(&sel, 0, sizeof(sel));
	err[0] = '\0';
	if (events_select(&sel, s, err, sizeof(err)) && !err[0])
		abort();	/* an error always says why */
	free(s);
	return 0;
}
