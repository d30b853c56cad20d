/* SPDX-License-Identifier: GPL-2.0 */
/*
 * decode.h - turn a raw record into a struct tr_event view, in place.
 */
#ifndef TRACEE_DECODE_H
#define TRACEE_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "event.h"

/* Compute the monotonic -> epoch offset once at start. */
void decode_init(void);
/*
 * Decode rec (sz bytes) into ev.  Never reads past sz whatever the bytes
 * say: returns 0, or -EINVAL for a malformed record (counted as an error).
 * ev points into rec, or, when rec is not 8-byte aligned (perf buffer
 * samples sit at 4 mod 8), into a per-thread aligned copy that the next
 * call on the thread reuses: either way ev is valid as long as the record.
 */
int decode_record(const void *rec, size_t sz, struct tr_event *ev);
/*
 * A capture record (TR_REC_CAPTURE_*: -c write's, mem's, bpf's chunks), not an event:
 * for src/capture/ (capture_record), never decode_record().
 */
bool decode_is_capture(const void *rec, size_t sz);

/* The monotonic -> epoch offset decode_init() measured (epoch = mono + offset). */
int64_t decode_epoch_offset_ns(void);

/*
 * Walk the strings of a TR_V_STRARR argument (validated by decode_record):
 *
 *	uint32_t pos = 0;
 *	struct tr_str s;
 *	while (decode_strarr_next(arg, &pos, &s))
 *		use(s.p, s.len);
 */
static inline bool decode_strarr_next(const struct tr_arg *a, uint32_t *pos, struct tr_str *out)
{
	uint32_t w;

	if (a->kind != TR_V_STRARR || *pos + 4 > a->v.arr.sz)
		return false;
	memcpy(&w, a->v.arr.p + *pos, 4);
	out->p = (const char *)a->v.arr.p + *pos + 4;
	out->len = w & ~TR_LEN_TRUNC;
	out->trunc = w & TR_LEN_TRUNC;
	*pos += 4 + out->len;
	return true;
}

#endif /* TRACEE_DECODE_H */
