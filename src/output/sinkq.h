/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sinkq.h - the bounded queue between the reader and a network sink's own
 * thread (sink_syslog.c, sink_webhook.c).
 *
 * The reader renders a message and copies it in; it never waits: when the
 * queue is full (a receiver down for longer than the queue lasts) the
 * message is dropped and counted.  The sink's thread takes messages out in
 * batches, owns them from then on (retries, reconnects) and tells the queue
 * when it is done with them, so that a drain at exit knows when everything
 * handed over has been sent or given up.  Nothing is allocated per message:
 * one byte ring, sized at creation.
 */
#ifndef TRACEE_SINKQ_H
#define TRACEE_SINKQ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "json.h"

struct sinkq;

/* cap_sz bytes of messages (each also costs 4 bytes of length). */
struct sinkq *sinkq_new(size_t cap_sz);
void sinkq_free(struct sinkq *q);

/* Copy one message in; 0, or -ENOBUFS when it does not fit (counted as dropped). */
int sinkq_push(struct sinkq *q, const void *msg, size_t len);

/*
 * Move up to max_msgs messages (at least one, at most max_sz bytes unless the
 * first alone is larger) into out, each as a u32 length and its bytes (read
 * them with sinkq_next()).  Waits up to wait_ms for the first.  Returns the
 * number taken, 0 on timeout, -ESHUTDOWN once closed and empty.  The caller
 * calls sinkq_done() when it has sent or given up what it took.
 */
int sinkq_take(struct sinkq *q, struct obuf *out, unsigned int max_msgs, size_t max_sz,
	       int wait_ms);
void sinkq_done(struct sinkq *q);
/* Empty the queue (its writer is gone): the number of messages thrown away. */
uint64_t sinkq_discard(struct sinkq *q);

/* Iterate over what sinkq_take() put in b: *pos starts at 0; false at the end. */
bool sinkq_next(const struct obuf *b, size_t *pos, const char **msg, size_t *len);

/* No more pushes; the taker gets what is left, then -ESHUTDOWN. */
void sinkq_close(struct sinkq *q);
/*
 * Wait until every message pushed was taken and done, as long as the taker
 * makes progress at least every idle_ms.  true when it got there.
 */
bool sinkq_drain(struct sinkq *q, int idle_ms);

/* Messages waiting (not yet taken), and messages dropped because it was full. */
uint64_t sinkq_depth(struct sinkq *q);
uint64_t sinkq_dropped(struct sinkq *q);

#endif /* TRACEE_SINKQ_H */
