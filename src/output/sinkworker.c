// SPDX-License-Identifier: GPL-2.0
/*
 * sinkworker.c - a network sink's queue, thread, stop and counters, shared
 * by sink_syslog.c and sink_webhook.c so that both stop and count alike.
 */
#include <errno.h>
#include <signal.h>
#include <unistd.h>

#include "log.h"
#include "sinkworker.h"

int sink_worker_init(struct sink_worker *w, const char *spec)
{
	w->spec = spec;
	w->q = sinkq_new(SINK_QUEUE_SZ);
	return w->q ? 0 : -ENOMEM;
}

int sink_worker_start(struct sink_worker *w, void *(*fn)(void *), void *arg)
{
	sigset_t all, old;
	int ret;

	/* Process signals stay with the main thread. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	ret = pthread_create(&w->thread, NULL, fn, arg);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (!ret)
		w->started = true;
	return ret;
}

int sink_worker_push(struct sink_worker *w, const void *msg, size_t len, const char *what)
{
	int err = sinkq_push(w->q, msg, len);

	if (err && !__atomic_exchange_n(&w->drop_reported, true, __ATOMIC_RELAXED))
		tr_err("output %s: its queue is full (the receiver is away or slow); %s that do not fit are dropped and counted",
		       w->spec, what);
	return err;
}

void sink_worker_nap(struct sink_worker *w, unsigned int ms)
{
	while (ms && !sink_worker_stopping(w)) {
		unsigned int step = ms < 50 ? ms : 50;

		usleep(step * 1000);
		ms -= step;
	}
}

void sink_worker_stats(struct sink_worker *w, struct sink_stats *st)
{
	st->sent = __atomic_load_n(&w->sent, __ATOMIC_RELAXED);
	st->failed = __atomic_load_n(&w->failed, __ATOMIC_RELAXED);
	st->dropped = sinkq_dropped(w->q);
	st->depth = sinkq_depth(w->q);
	st->reconnects = __atomic_load_n(&w->reconnects, __ATOMIC_RELAXED);
}

/*
 * End the thread: what it holds is given up, and what it never took is
 * counted with it, never silently lost.  Once; fini does it too.
 */
static void stop_thread(struct sink_worker *w)
{
	if (!w->started)
		return;
	sinkq_close(w->q);
	__atomic_store_n(&w->stopping, 1, __ATOMIC_RELEASE);
	pthread_join(w->thread, NULL);
	w->started = false;
	sink_worker_count(&w->failed, sinkq_discard(w->q));
}

bool sink_worker_finish(struct sink_worker *w, int idle_ms)
{
	if (sinkq_drain(w->q, idle_ms))
		return true;
	stop_thread(w);
	return false;
}

void sink_worker_fini(struct sink_worker *w)
{
	stop_thread(w);
	sinkq_free(w->q);
	w->q = NULL;
}
