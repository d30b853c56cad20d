// SPDX-License-Identifier: GPL-2.0
/*
 * writer.c - getting rendered output to its destination: write_all, the
 * flush, and the writer thread with its queue.
 *
 * Every sink renders into one buffer (1 MiB, allocated once) and writes it
 * with one write() when it passes FLUSH_AT bytes, on output_flush() (the main
 * loop's timer) and at exit.  Nothing is allocated per event.
 *
 * With opts->writer_thread (the program's setting) a file, pipe or stdout
 * sink is written by a thread of its own: a flush hands the full buffer
 * over (a pointer swap under a lock, once per FLUSH_AT bytes) and the
 * reader goes on.  At most WQ_SLOTS buffers wait.  When they are all
 * taken, a destination that is slow but moving (it finished a write within
 * STUCK_MS) holds the reader back until a slot frees, as a synchronous
 * write would: the kernel's ring buffer absorbs that, and counts what it
 * cannot.  A destination that took nothing for STUCK_MS (a full pipe nobody
 * reads, a hung disk) is stuck: buffers that do not fit are dropped at
 * once and their events counted as failed, reported once; the reader never
 * waits longer than STUCK_MS on an output.  At exit the writer gets
 * DRAIN_MS without progress before what is left is given up (counted).
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "log.h"
#include "output_priv.h"

#define WQ_SLOTS	16		/* buffers waiting for the writer thread */
#define STUCK_MS	1000		/* no write finished for this long: stuck */
#define DRAIN_MS	2000		/* at exit: give up after this long without progress */

/* A buffer handed to the writer thread, with the events it holds. */
struct wq_item {
	struct obuf buf;
	uint64_t nr_events;
};

struct writer {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t more;		/* an item was queued, or stop */
	pthread_cond_t progress;	/* an item was written, or the thread ended */
	struct wq_item q[WQ_SLOTS];	/* ring: q[head] is the oldest */
	unsigned int head, nr;
	struct obuf spare[WQ_SLOTS + 1];	/* written buffers, for reuse */
	unsigned int nr_spare;
	uint64_t queued_events;		/* in q[] and being written */
	uint64_t nr_done;		/* items written (or failed) so far */
	uint64_t progress_ms;		/* CLOCK_MONOTONIC of the last one (or the start) */
	bool stop;
	bool done;
	int abandon;			/* atomic: give up the rest (exit, stuck) */
	bool overflow_reported;
};

/*
 * The reader (output.c, a failed synchronous write) and the writer thread
 * both report write errors: the flag is only ever touched through this
 * exchange, so exactly one caller sees false and prints.  Relaxed order is
 * enough: the flag publishes nothing else, and the counts it goes with are
 * atomics of their own.
 */
bool first_report(struct output *o)
{
	return !__atomic_exchange_n(&o->write_error_reported, true, __ATOMIC_RELAXED);
}

static void report_write_error(struct output *o, int err)
{
	const char *hint = err == ENOSPC ? "free some space or write elsewhere" :
			   err == EPIPE ? "the reader of the output went away" :
			   "check the output destination";

	/* No reader comes back to a pipe: nothing written here will ever arrive. */
	if (err == EPIPE)
		__atomic_store_n(&o->gone, true, __ATOMIC_RELEASE);
	if (!first_report(o))
		return;
	tr_err("output %s: write failed: %s (%s); events that cannot be written are counted as lost",
	       o->spec, strerror(err), hint);
}

/*
 * Write the whole buffer; 0 or -errno.  Blocks like any write to a pipe;
 * with a writer thread, *abandon (set at exit, with a signal to interrupt
 * the write) makes it give up with -ECANCELED.
 */
static int write_all(int fd, const char *p, size_t len, const int *abandon)
{
	while (len) {
		ssize_t n;

		if (abandon && __atomic_load_n(abandon, __ATOMIC_ACQUIRE))
			return -ECANCELED;
		n = write(fd, p, len);
		if (n > 0) {
			p += n;
			len -= n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN) {
			struct pollfd pfd = { .fd = fd, .events = POLLOUT };

			if (poll(&pfd, 1, 1000) > 0)
				continue;
			return -EAGAIN;
		}
		return n < 0 ? -errno : -EIO;
	}
	return 0;
}

/*
 * -------------------------------------------------------------------------
 * The writer thread
 * -------------------------------------------------------------------------
 */

/* Interrupts a write() blocked on a stuck destination at exit. */
#define WRITER_SIGNAL	(SIGRTMIN + 2)

static void on_writer_signal(int sig)
{
}

static bool writer_signal_ready(void)
{
	static int ready = -1;
	struct sigaction sa = { .sa_handler = on_writer_signal }, old;

	if (ready >= 0)
		return ready;
	/* No SA_RESTART: the blocked write() returns EINTR. Never take over a handler. */
	ready = !sigaction(WRITER_SIGNAL, NULL, &old) && old.sa_handler == SIG_DFL &&
		!(old.sa_flags & SA_SIGINFO) && !sigaction(WRITER_SIGNAL, &sa, NULL);
	return ready;
}

static void *writer_main(void *arg)
{
	struct output *o = arg;
	struct writer *w = o->w;
	struct wq_item it;
	int err;

	pthread_mutex_lock(&w->lock);
	for (;;) {
		while (!w->nr && !w->stop)
			pthread_cond_wait(&w->more, &w->lock);
		if (!w->nr)
			break;
		it = w->q[w->head];
		w->head = (w->head + 1) % WQ_SLOTS;
		w->nr--;
		pthread_mutex_unlock(&w->lock);

		err = write_all(o->fd, it.buf.p, it.buf.len, &w->abandon);
		if (err) {
			__atomic_fetch_add(&o->failed, it.nr_events, __ATOMIC_RELAXED);
			if (err == -ECANCELED) {
				if (first_report(o)) {
					tr_err("output %s: the destination took nothing for %d ms at exit; what was not written is counted as lost",
					       o->spec, DRAIN_MS);
				}
			} else {
				report_write_error(o, -err);
			}
		} else {
			__atomic_fetch_add(&o->written, it.nr_events, __ATOMIC_RELAXED);
		}

		pthread_mutex_lock(&w->lock);
		w->queued_events -= it.nr_events;
		w->nr_done++;
		w->progress_ms = mono_ms();
		it.buf.len = 0;
		if (w->nr_spare < WQ_SLOTS + 1)
			w->spare[w->nr_spare++] = it.buf;
		else
			obuf_fini(&it.buf);
		pthread_cond_broadcast(&w->progress);
	}
	w->done = true;
	pthread_cond_broadcast(&w->progress);
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

/*
 * Hand o->buf to the writer and continue in a spare buffer.  When WQ_SLOTS
 * buffers already wait, the current one is dropped instead (counted).
 * Never blocks on the destination.
 */
static int writer_handoff(struct output *o)
{
	struct writer *w = o->w;
	struct obuf next;
	int err = 0;

	pthread_mutex_lock(&w->lock);
	/* Slow but moving: wait for a slot, up to STUCK_MS after the last write. */
	while (w->nr >= WQ_SLOTS && !w->done) {
		uint64_t now = mono_ms(), until = w->progress_ms + STUCK_MS;
		struct timespec ts;

		if (now >= until)
			break;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += (until - now) / 1000;
		ts.tv_nsec += ((until - now) % 1000) * 1000000L;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&w->progress, &w->lock, &ts);
	}
	if (w->nr >= WQ_SLOTS) {
		__atomic_fetch_add(&o->failed, o->pending, __ATOMIC_RELAXED);
		o->overflow += o->pending;
		if (!w->overflow_reported) {
			w->overflow_reported = true;
			tr_err("output %s: the destination took nothing for %d ms (a full pipe nobody reads, a hung disk?); events that do not fit in its queue are dropped and counted as lost",
			       o->spec, STUCK_MS);
		}
		o->buf.len = 0;
		o->pending = 0;
		pthread_mutex_unlock(&w->lock);
		return -ENOBUFS;
	}
	if (w->nr_spare) {
		next = w->spare[--w->nr_spare];
	} else if (obuf_init(&next, OUT_BUF_SZ)) {
		pthread_mutex_unlock(&w->lock);
		/* No second buffer: keep this one; it is tried again next flush. */
		return -ENOMEM;
	}
	w->q[(w->head + w->nr) % WQ_SLOTS] = (struct wq_item){ o->buf, o->pending };
	w->nr++;
	w->queued_events += o->pending;
	pthread_cond_signal(&w->more);
	pthread_mutex_unlock(&w->lock);
	o->buf = next;
	o->pending = 0;
	return err;
}

int writer_start(struct output *o)
{
	struct writer *w = calloc(1, sizeof(*w));
	sigset_t all, old;
	int err;

	if (!w)
		return -ENOMEM;
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->more, NULL);
	pthread_cond_init(&w->progress, NULL);
	w->progress_ms = mono_ms();
	o->w = w;
	/* Process signals (SIGINT, SIGTERM) stay with the main thread. */
	sigfillset(&all);
	sigdelset(&all, WRITER_SIGNAL);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	err = pthread_create(&w->thread, NULL, writer_main, o);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (err) {
		o->w = NULL;
		pthread_cond_destroy(&w->progress);
		pthread_cond_destroy(&w->more);
		pthread_mutex_destroy(&w->lock);
		free(w);
		return -err;
	}
	return 0;
}

/*
 * Let the writer finish what is queued (and end, with stop): as long as it
 * makes progress, DRAIN_MS more each time; then abandon the rest (counted
 * as failed), interrupting a blocked write().  Returns false when the
 * writer could not be brought to that point (still blocked in write()).
 */
static bool writer_settled(const struct writer *w, bool stop)
{
	return stop ? w->done : w->queued_events == 0;
}

static bool writer_drain(struct output *o, bool stop)
{
	struct writer *w = o->w;
	uint64_t seen;
	struct timespec ts;
	bool settled;
	int i;

	pthread_mutex_lock(&w->lock);
	if (stop) {
		w->stop = true;
		pthread_cond_signal(&w->more);
	}
	seen = w->nr_done;
	for (;;) {
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += DRAIN_MS / 1000;
		ts.tv_nsec += (DRAIN_MS % 1000) * 1000000L;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		while (!writer_settled(w, stop) && w->nr_done == seen)
			if (pthread_cond_timedwait(&w->progress, &w->lock, &ts) == ETIMEDOUT)
				break;
		if (writer_settled(w, stop) || w->nr_done == seen)
			break;
		seen = w->nr_done;
	}
	settled = writer_settled(w, stop);
	pthread_mutex_unlock(&w->lock);
	if (settled)
		return true;
	__atomic_store_n(&w->abandon, 1, __ATOMIC_RELEASE);
	/* Repeated: the first signal may land just before write() blocks. */
	for (i = 0; i < 200 && writer_signal_ready(); i++) {
		pthread_mutex_lock(&w->lock);
		settled = writer_settled(w, stop);
		pthread_mutex_unlock(&w->lock);
		if (settled)
			return true;
		pthread_kill(w->thread, WRITER_SIGNAL);
		usleep(10000);
	}
	pthread_mutex_lock(&w->lock);
	settled = writer_settled(w, stop);
	pthread_mutex_unlock(&w->lock);
	return settled;
}

bool writer_stop(struct output *o)
{
	if (!writer_drain(o, true)) {
		pthread_detach(o->w->thread);
		return false;
	}
	pthread_join(o->w->thread, NULL);
	return true;
}

void writer_free(struct writer *w)
{
	unsigned int i;

	for (i = 0; i < w->nr_spare; i++)
		obuf_fini(&w->spare[i]);
	pthread_cond_destroy(&w->progress);
	pthread_cond_destroy(&w->more);
	pthread_mutex_destroy(&w->lock);
	free(w);
}

int output_finish(struct output *o)
{
	int err;

	if (!o)
		return 0;
	if (o->kind == OUT_NET) {
		if (!o->ops->finish(o->net))
			tr_err("output %s: the receiver took nothing for %d ms at exit; what is left is counted as lost",
			       o->spec, SINK_DRAIN_MS);
		return 0;
	}
	err = output_flush(o);
	if (o->w && !writer_drain(o, false))
		tr_err("output %s: its writer is stuck in write(); the summary may miss its last events",
		       o->spec);
	return err;
}

uint64_t writer_queued(const struct output *o)
{
	uint64_t n;

	if (!o->w)
		return 0;
	pthread_mutex_lock(&o->w->lock);
	n = o->w->queued_events;
	pthread_mutex_unlock(&o->w->lock);
	return n;
}

/*
 * -------------------------------------------------------------------------
 * Flushing
 * -------------------------------------------------------------------------
 */
int output_flush(struct output *o)
{
	int err;

	if (!o || o->kind == OUT_NONE || o->kind == OUT_NET || o->buf.len == 0)
		return 0;
	if (o->w)
		return writer_handoff(o);
	err = write_all(o->fd, o->buf.p, o->buf.len, NULL);
	if (err) {
		o->failed += o->pending;
		report_write_error(o, -err);
	} else {
		o->written += o->pending;
	}
	o->buf.len = 0;
	o->pending = 0;
	return err;
}
