// SPDX-License-Identifier: GPL-2.0
/*
 * sinkq.c - a byte ring of length-prefixed messages under one lock.
 *
 * The ring holds [u32 len][bytes] records back to back and wraps at the end
 * of the buffer (a record may straddle it: copies are split in two).  The
 * lock is held for a memcpy of one message on push and of one batch on take,
 * never while anything is sent.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sinkq.h"

struct sinkq {
	pthread_mutex_t lock;
	pthread_cond_t more;		/* pushed, or closed */
	pthread_cond_t progress;	/* a batch done, or taken */
	char *ring;
	size_t cap;
	size_t head;			/* offset of the oldest record */
	size_t used;			/* bytes in records */
	uint64_t nr;			/* records in the ring */
	uint64_t dropped;
	uint64_t nr_done;		/* batches done: the drain's progress */
	bool busy;			/* a batch is out with the taker */
	bool closed;
};

struct sinkq *sinkq_new(size_t cap_sz)
{
	struct sinkq *q = calloc(1, sizeof(*q));

	if (!q)
		return NULL;
	q->ring = malloc(cap_sz);
	if (!q->ring) {
		free(q);
		errno = ENOMEM;
		return NULL;
	}
	q->cap = cap_sz;
	pthread_mutex_init(&q->lock, NULL);
	pthread_cond_init(&q->more, NULL);
	pthread_cond_init(&q->progress, NULL);
	return q;
}

void sinkq_free(struct sinkq *q)
{
	if (!q)
		return;
	pthread_cond_destroy(&q->progress);
	pthread_cond_destroy(&q->more);
	pthread_mutex_destroy(&q->lock);
	free(q->ring);
	free(q);
}

static void ring_put(struct sinkq *q, size_t at, const void *p, size_t len)
{
	size_t off = (q->head + at) % q->cap, first = q->cap - off;

	if (first >= len) {
		memcpy(q->ring + off, p, len);
		return;
	}
	memcpy(q->ring + off, p, first);
	memcpy(q->ring, (const char *)p + first, len - first);
}

static void ring_get(const struct sinkq *q, size_t at, void *p, size_t len)
{
	size_t off = (q->head + at) % q->cap, first = q->cap - off;

	if (first >= len) {
		memcpy(p, q->ring + off, len);
		return;
	}
	memcpy(p, q->ring + off, first);
	memcpy((char *)p + first, q->ring, len - first);
}

int sinkq_push(struct sinkq *q, const void *msg, size_t len)
{
	uint32_t n = len;
	int ret = 0;

	pthread_mutex_lock(&q->lock);
	if (q->closed || len > UINT32_MAX || q->cap - q->used < len + sizeof(n)) {
		q->dropped++;
		ret = -ENOBUFS;
	} else {
		ring_put(q, q->used, &n, sizeof(n));
		ring_put(q, q->used + sizeof(n), msg, len);
		q->used += len + sizeof(n);
		q->nr++;
		pthread_cond_signal(&q->more);
	}
	pthread_mutex_unlock(&q->lock);
	return ret;
}

static void deadline(struct timespec *ts, int ms)
{
	clock_gettime(CLOCK_REALTIME, ts);
	ts->tv_sec += ms / 1000;
	ts->tv_nsec += (long)(ms % 1000) * 1000000L;
	if (ts->tv_nsec >= 1000000000L) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000L;
	}
}

int sinkq_take(struct sinkq *q, struct obuf *out, unsigned int max_msgs, size_t max_sz,
	       int wait_ms)
{
	struct timespec ts;
	int taken = 0;

	out->len = 0;
	deadline(&ts, wait_ms);
	pthread_mutex_lock(&q->lock);
	while (!q->nr && !q->closed)
		if (pthread_cond_timedwait(&q->more, &q->lock, &ts) == ETIMEDOUT)
			break;
	while (q->nr && (unsigned int)taken < max_msgs) {
		uint32_t n;

		ring_get(q, 0, &n, sizeof(n));
		if (taken && out->len + n + sizeof(n) > max_sz)
			break;
		/* The ring's size bounds a message: reserve cannot run away. */
		if (!obuf_reserve(out, n + sizeof(n)))
			break;
		memcpy(out->p + out->len, &n, sizeof(n));
		ring_get(q, sizeof(n), out->p + out->len + sizeof(n), n);
		out->len += n + sizeof(n);
		q->head = (q->head + n + sizeof(n)) % q->cap;
		q->used -= n + sizeof(n);
		q->nr--;
		taken++;
	}
	if (taken)
		q->busy = true;
	else if (q->closed && !q->nr)
		taken = -ESHUTDOWN;
	pthread_mutex_unlock(&q->lock);
	return taken;
}

uint64_t sinkq_discard(struct sinkq *q)
{
	uint64_t nr;

	pthread_mutex_lock(&q->lock);
	nr = q->nr;
	q->nr = 0;
	q->used = 0;
	q->head = 0;
	pthread_mutex_unlock(&q->lock);
	return nr;
}

void sinkq_done(struct sinkq *q)
{
	pthread_mutex_lock(&q->lock);
	q->busy = false;
	q->nr_done++;
	pthread_cond_broadcast(&q->progress);
	pthread_mutex_unlock(&q->lock);
}

bool sinkq_next(const struct obuf *b, size_t *pos, const char **msg, size_t *len)
{
	uint32_t n;

	if (*pos + sizeof(n) > b->len)
		return false;
	memcpy(&n, b->p + *pos, sizeof(n));
	*msg = b->p + *pos + sizeof(n);
	*len = n;
	*pos += sizeof(n) + n;
	return true;
}

void sinkq_close(struct sinkq *q)
{
	pthread_mutex_lock(&q->lock);
	q->closed = true;
	pthread_cond_broadcast(&q->more);
	pthread_mutex_unlock(&q->lock);
}

bool sinkq_drain(struct sinkq *q, int idle_ms)
{
	struct timespec ts;
	uint64_t seen;
	bool empty;

	pthread_mutex_lock(&q->lock);
	for (;;) {
		seen = q->nr_done;
		deadline(&ts, idle_ms);
		while ((q->nr || q->busy) && q->nr_done == seen)
			if (pthread_cond_timedwait(&q->progress, &q->lock, &ts) == ETIMEDOUT)
				break;
		if (!(q->nr || q->busy) || q->nr_done == seen)
			break;
	}
	empty = !(q->nr || q->busy);
	pthread_mutex_unlock(&q->lock);
	return empty;
}

uint64_t sinkq_depth(struct sinkq *q)
{
	uint64_t n;

	pthread_mutex_lock(&q->lock);
	n = q->nr;
	pthread_mutex_unlock(&q->lock);
	return n;
}

uint64_t sinkq_dropped(struct sinkq *q)
{
	uint64_t n;

	pthread_mutex_lock(&q->lock);
	n = q->dropped;
	pthread_mutex_unlock(&q->lock);
	return n;
}
