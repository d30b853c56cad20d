/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sinkworker.h - the bookkeeping every network sink's thread needs alike
 * (sink_syslog.c, sink_webhook.c): its queue, its thread, the stop flag its
 * waits poll, and the counters output.c reads as struct sink_stats.
 *
 * A sink embeds one, starts its own thread function with it and keeps only
 * its transport (connections, retries, formatting) to itself.  Stopping is
 * one way: once asked, the thread gives up what it holds, and whatever was
 * pushed but never sent is counted as failed, never silently lost.
 */
#ifndef TRACEE_SINKWORKER_H
#define TRACEE_SINKWORKER_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sink.h"
#include "sinkq.h"

struct sink_worker {
	struct sinkq *q;
	const char *spec;	/* the sink's, for messages; owned by the sink */
	pthread_t thread;
	bool started;
	int stopping;		/* atomic: give up what cannot be sent now */
	bool drop_reported;	/* atomic: the queue-full message was given once */
	uint64_t sent;		/* atomic */
	uint64_t failed;	/* atomic */
	uint64_t reconnects;	/* atomic: reconnections or retries, the transport's word */
};

/* The queue (SINK_QUEUE_SZ); 0 or -ENOMEM.  spec must outlive the worker. */
int sink_worker_init(struct sink_worker *w, const char *spec);
/* Stops the thread if it runs, then frees the queue.  Safe on a zeroed one. */
void sink_worker_fini(struct sink_worker *w);

/* fn(arg) on a thread of its own, with every signal blocked; 0 or a positive errno. */
int sink_worker_start(struct sink_worker *w, void *(*fn)(void *), void *arg);

/*
 * Copy a rendered message into the queue.  When it is full, the message is
 * dropped and counted, and the first drop is reported once; what names the
 * sink's unit in that report ("messages", "events").
 */
int sink_worker_push(struct sink_worker *w, const void *msg, size_t len, const char *what);

static inline bool sink_worker_stopping(struct sink_worker *w)
{
	return __atomic_load_n(&w->stopping, __ATOMIC_ACQUIRE);
}

/* Back-off sleep in steps of 50 ms, so that a stop is noticed. */
void sink_worker_nap(struct sink_worker *w, unsigned int ms);

static inline void sink_worker_count(uint64_t *counter, uint64_t n)
{
	__atomic_fetch_add(counter, n, __ATOMIC_RELAXED);
}

void sink_worker_stats(struct sink_worker *w, struct sink_stats *st);

/*
 * At exit: wait while the thread makes progress at least every idle_ms;
 * true when everything pushed was sent or given up, else the thread is
 * stopped (what it held and what it never took count as failed).
 */
bool sink_worker_finish(struct sink_worker *w, int idle_ms);

#endif /* TRACEE_SINKWORKER_H */
