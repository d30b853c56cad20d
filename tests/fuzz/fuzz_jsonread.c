// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_jsonread.c - libFuzzer target: the JSON line reader of `tracee
 * analyze`, and the JSON writer rendering what it accepts.
 */
#include <stdint.h>
#include <stdlib.h>

#include "decode.h"
#include "jsonread.h"
#include "output.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct jsonread *r;
	static struct output *out;
	struct tr_event ev;
	int kind;

	if (!r) {
		struct output_opts o = { .parse_arguments = true };

		decode_init();
		r = jsonread_new();
		out = output_new("json:/dev/null", &o);
		if (!r || !out)
			abort();
	}
	kind = jsonread_parse(r, (const char *)data, size, &ev);
	if (kind == JSONREAD_EVENT || kind == JSONREAD_FINDING)
		output_event(out, &ev);
	return 0;
}
