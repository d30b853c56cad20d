// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_decode.c - libFuzzer target: the ring-buffer record decoder with
 * arbitrary bytes, and every output format rendering what it accepts.
 * The input is the record, misaligned on odd first bytes (the perf buffer
 * hands records at 4 mod 8).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "decode.h"
#include "output.h"

static struct output *outs[3];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static _Alignas(8) uint8_t buf[TR_RECORD_MAX + 16];
	struct tr_event ev;
	size_t off;
	unsigned int i;

	if (!outs[0]) {
		struct output_opts o = { .parse_arguments = true, .exec_env = true };
		struct output_opts plain = { 0 };

		decode_init();
		outs[0] = output_new("json:/dev/null", &o);
		outs[1] = output_new("table-verbose:/dev/null", &o);
		outs[2] = output_new("json:/dev/null", &plain);
		if (!outs[0] || !outs[1] || !outs[2])
			abort();
	}
	if (size > TR_RECORD_MAX + 8)
		return 0;
	off = size && (data[0] & 1) ? 4 : 0;
	memcpy(buf + off, data, size);
	if (decode_record(buf + off, size, &ev))
		return 0;
	for (i = 0; i < 3; i++)
		output_event(outs[i], &ev);
	return 0;
}
