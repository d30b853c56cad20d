/* SPDX-License-Identifier: GPL-2.0 */
/*
 * reader.h - drain the ring buffer (or the perf buffer on old kernels).
 *
 * The kernel side does not wake the reader per event: it wakes it only past
 * a watermark, so the reader also drains on a short timer.
 */
#ifndef TRACEE_READER_H
#define TRACEE_READER_H

#include <stddef.h>
#include <stdint.h>

struct tracer;
struct reader;

/* Called once per record; the record is valid only during the call. */
typedef void (*reader_cb)(void *ctx, const void *rec, size_t sz);

struct reader *reader_new(struct tracer *t, reader_cb cb, void *ctx);
/*
 * Wait up to timeout_ms for data (not at all when the last drain left some),
 * then drain a bounded share of it: the number of records, <0 on error.
 */
int reader_poll(struct reader *r, int timeout_ms);
/*
 * At a stop: drain what the kernel had produced when called, and not what
 * keeps coming under load.  The number of records, <0 on error.
 */
int reader_drain_pending(struct reader *r);
/* Records the perf buffer reported lost (the ring buffer counts in-kernel). */
uint64_t reader_lost(const struct reader *r);
void reader_free(struct reader *r);

#endif /* TRACEE_READER_H */
