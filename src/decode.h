/* SPDX-License-Identifier: GPL-2.0 */
/*
 * decode.h - turn a raw record into a struct tr_event view, in place.
 */
#ifndef TRACEE_DECODE_H
#define TRACEE_DECODE_H

#include <stddef.h>

#include "event.h"

/* Compute the monotonic -> epoch offset once at start. */
void decode_init(void);
/*
 * Decode rec (sz bytes) into ev.  Never reads past sz whatever the bytes
 * say: returns 0, or -EINVAL for a malformed record (counted as an error).
 */
int decode_record(const void *rec, size_t sz, struct tr_event *ev);

#endif /* TRACEE_DECODE_H */
