// SPDX-License-Identifier: GPL-2.0
/*
 * runtime.c - the container registry and the worker that asks the runtimes.
 *
 * Threads: the reader thread makes, changes and frees entries; the worker
 * only writes an entry's answer (info, then state with a release store) and
 * never changes the table.  The table's chains are changed under the lock
 * and read without it by the reader (its only writer) and with it by the
 * worker.  An entry's info is written once, before its state says KNOWN,
 * and read only after an acquire load of that state.
 *
 * Bounds: 256 questions queued (a full queue leaves the entry unasked, and
 * its next event asks again), 3 questions per container at least a second
 * apart, 16384 containers (beyond that a new container is left unenriched
 * until removed ones go).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "event.h"
#include "log.h"
#include "runtime.h"

#define NR_BUCKETS	1024
#define MAX_ENTRIES	16384
#define QUEUE_LEN	256
#define MAX_ASKS	3
#define ASK_AGAIN_NS	(1000ULL * 1000 * 1000)
#define REMOVED_KEEP_NS	(5ULL * 1000 * 1000 * 1000)	/* late events of a removed container */
#define TIMEOUT_MS	2000

enum entry_state {
	ST_NEW = 0,	/* not asked (queue full, or enrichment off) */
	ST_ASKED,	/* queued or being asked */
	ST_KNOWN,	/* info holds the answer */
	ST_UNKNOWN,	/* the last question had no answer */
};

struct runtime_entry {
	struct runtime_entry *next;	/* hash chain */
	char id[CONTAINER_ID_LEN + 1];
	int state;			/* enum entry_state, atomic */
	enum runtime_origin origin;
	bool started;
	bool removed;
	bool reported;			/* runtime_poll() handed it over */
	unsigned int nr_asks;
	uint64_t asked_ns;
	uint64_t removed_ns;
	struct container_info info;
};

static struct {
	bool up;
	bool enrich;
	uint64_t host_mnt_ns;		/* tracee's own mount namespace: the host's */
	struct runtime_opts o;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	pthread_t worker;
	bool worker_up;
	bool stop;
	struct runtime_entry *buckets[NR_BUCKETS];
	unsigned int nr_entries;
	char queue[QUEUE_LEN][CONTAINER_ID_LEN + 1];
	unsigned int q_head, q_len;
	struct runtime_stats st;
} R = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.cond = PTHREAD_COND_INITIALIZER,
};

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static unsigned int bucket_of(const char *id)
{
	unsigned int h = 2166136261u;

	for (; *id; id++)
		h = (h ^ (unsigned char)*id) * 16777619u;
	return h % NR_BUCKETS;
}

static struct runtime_entry *find_locked(const char *id)
{
	struct runtime_entry *e;

	for (e = R.buckets[bucket_of(id)]; e; e = e->next)
		if (!strcmp(e->id, id))
			return e;
	return NULL;
}

/* The worker: one question at a time, every socket in order, first answer wins. */
static void *worker_main(void *arg)
{
	char id[CONTAINER_ID_LEN + 1];

	pthread_mutex_lock(&R.lock);
	for (;;) {
		struct container_info info;
		struct runtime_entry *e;
		bool known = false;
		unsigned int i;

		while (!R.stop && !R.q_len)
			pthread_cond_wait(&R.cond, &R.lock);
		if (R.stop)
			break;
		memcpy(id, R.queue[R.q_head], sizeof(id));
		R.q_head = (R.q_head + 1) % QUEUE_LEN;
		R.q_len--;
		pthread_mutex_unlock(&R.lock);

		for (i = 0; i < R.o.nr_sockets && !known; i++) {
			int ret = runtime_inspect(&R.o.sockets[i], id, R.o.timeout_ms, &info);

			if (!ret)
				known = true;
			else if (ret != -ENOENT)
				tr_verbose(1, "containers: %s runtime at %s: %s", R.o.sockets[i].runtime,
					   R.o.sockets[i].path, strerror(-ret));
		}

		pthread_mutex_lock(&R.lock);
		e = find_locked(id);
		if (known)
			R.st.answered++;
		else
			R.st.unknown++;
		if (e) {
			if (known)
				e->info = info;
			__atomic_store_n(&e->state, known ? ST_KNOWN : ST_UNKNOWN, __ATOMIC_RELEASE);
		}
	}
	pthread_mutex_unlock(&R.lock);
	return NULL;
}

static const struct runtime_socket default_sockets[] = {
	{ "docker", "/var/run/docker.sock" },
	{ "podman", "/run/podman/podman.sock" },
};

int runtime_init(const struct runtime_opts *o)
{
	unsigned int i;
	int err;

	if (R.up)
		return -EBUSY;
	memset(&R.o, 0, sizeof(R.o));
	if (o)
		R.o = *o;
	if (!R.o.nr_sockets) {
		for (i = 0; i < sizeof(default_sockets) / sizeof(default_sockets[0]); i++)
			R.o.sockets[i] = default_sockets[i];
		R.o.nr_sockets = i;
	}
	if (!R.o.timeout_ms)
		R.o.timeout_ms = TIMEOUT_MS;
	R.enrich = o && o->enrich && runtime_clients_built();
	{
		struct stat st;

		R.host_mnt_ns = stat("/proc/self/ns/mnt", &st) ? 0 : st.st_ino;
	}
	R.stop = false;
	R.up = true;
	if (!R.enrich)
		return 0;
	err = runtime_clients_init();
	if (err)
		goto fail;
	err = -pthread_create(&R.worker, NULL, worker_main, NULL);
	if (err) {
		runtime_clients_fini();
		goto fail;
	}
	R.worker_up = true;
	return 0;
fail:
	R.enrich = false;
	R.up = false;
	return err;
}

void runtime_fini(void)
{
	unsigned int i;

	if (!R.up)
		return;
	if (R.worker_up) {
		pthread_mutex_lock(&R.lock);
		R.stop = true;
		pthread_cond_signal(&R.cond);
		pthread_mutex_unlock(&R.lock);
		/* A question in flight ends within its timeout. */
		pthread_join(R.worker, NULL);
		R.worker_up = false;
		runtime_clients_fini();
	}
	for (i = 0; i < NR_BUCKETS; i++) {
		while (R.buckets[i]) {
			struct runtime_entry *e = R.buckets[i];

			R.buckets[i] = e->next;
			free(e);
		}
	}
	R.nr_entries = 0;
	R.q_len = 0;
	R.q_head = 0;
	memset(&R.st, 0, sizeof(R.st));
	R.up = false;
}

/* Queue a question about e; false when the queue is full (asked again later). */
static bool ask(struct runtime_entry *e, uint64_t now)
{
	bool queued = false;

	pthread_mutex_lock(&R.lock);
	if (R.q_len < QUEUE_LEN) {
		memcpy(R.queue[(R.q_head + R.q_len) % QUEUE_LEN], e->id, sizeof(e->id));
		R.q_len++;
		queued = true;
		__atomic_store_n(&e->state, ST_ASKED, __ATOMIC_RELAXED);
		e->nr_asks++;
		e->asked_ns = now;
		R.st.asked++;
		pthread_cond_signal(&R.cond);
	} else {
		R.st.queue_full++;
	}
	pthread_mutex_unlock(&R.lock);
	return queued;
}

struct runtime_entry *runtime_find(const char *id)
{
	if (!R.up || !id || !id[0])
		return NULL;
	return find_locked(id);	/* the reader is the only writer of the table */
}

struct runtime_entry *runtime_get(const char *id, enum runtime_origin origin)
{
	struct runtime_entry *e;
	unsigned int b;
	int state;

	if (!R.up || !id || strlen(id) != CONTAINER_ID_LEN)
		return NULL;
	e = find_locked(id);
	if (!e) {
		if (R.nr_entries >= MAX_ENTRIES)
			return NULL;
		e = calloc(1, sizeof(*e));
		if (!e)
			return NULL;
		memcpy(e->id, id, sizeof(e->id));
		e->origin = origin;
		/* What ran before tracee did is past its runtime's setup. */
		e->started = origin == RUNTIME_EXISTING;
		b = bucket_of(id);
		pthread_mutex_lock(&R.lock);
		e->next = R.buckets[b];
		R.buckets[b] = e;
		R.nr_entries++;
		pthread_mutex_unlock(&R.lock);
		if (R.enrich)
			ask(e, mono_ns());
		return e;
	}
	if (!R.enrich || e->removed)
		return e;
	state = __atomic_load_n(&e->state, __ATOMIC_ACQUIRE);
	if (state == ST_NEW || (state == ST_UNKNOWN && e->nr_asks < MAX_ASKS)) {
		uint64_t now = mono_ns();

		/* Unknown: the runtime may not have registered it yet. */
		if (state == ST_NEW || now - e->asked_ns >= ASK_AGAIN_NS)
			ask(e, now);
	}
	return e;
}

const struct container_info *runtime_info(struct runtime_entry *e)
{
	if (!e || __atomic_load_n(&e->state, __ATOMIC_ACQUIRE) != ST_KNOWN)
		return NULL;
	return &e->info;
}

bool runtime_started(const struct runtime_entry *e)
{
	return e && e->started;
}

void runtime_set_started(struct runtime_entry *e)
{
	if (e)
		e->started = true;
}

bool runtime_remove(struct runtime_entry *e)
{
	if (!e || e->removed)
		return false;
	e->removed = true;
	e->removed_ns = mono_ns();
	return true;
}

/* Has the registry done all it will for e (answer, or no more questions)? */
static bool settled(struct runtime_entry *e)
{
	int state = __atomic_load_n(&e->state, __ATOMIC_ACQUIRE);

	if (!R.enrich || state == ST_KNOWN)
		return true;
	return state == ST_UNKNOWN && e->nr_asks >= MAX_ASKS;
}

void runtime_poll(runtime_ready_cb cb, void *ctx)
{
	uint64_t now = mono_ns();
	unsigned int i;

	if (!R.up)
		return;
	for (i = 0; i < NR_BUCKETS; i++) {
		struct runtime_entry **pp = &R.buckets[i];

		while (*pp) {
			struct runtime_entry *e = *pp;

			/* An unknown container met again is asked again by runtime_get(). */
			if (R.enrich && !e->removed && e->nr_asks < MAX_ASKS &&
			    __atomic_load_n(&e->state, __ATOMIC_ACQUIRE) == ST_UNKNOWN &&
			    now - e->asked_ns >= ASK_AGAIN_NS)
				ask(e, now);
			if (!e->reported && settled(e)) {
				e->reported = true;
				if (cb)
					cb(ctx, e->id, runtime_info(e), e->origin);
			}
			if (e->removed && now - e->removed_ns >= REMOVED_KEEP_NS &&
			    __atomic_load_n(&e->state, __ATOMIC_ACQUIRE) != ST_ASKED) {
				pthread_mutex_lock(&R.lock);
				*pp = e->next;
				R.nr_entries--;
				pthread_mutex_unlock(&R.lock);
				free(e);
				continue;
			}
			pp = &e->next;
		}
	}
}

void runtime_stats(struct runtime_stats *st)
{
	pthread_mutex_lock(&R.lock);
	*st = R.st;
	st->containers = R.nr_entries;
	pthread_mutex_unlock(&R.lock);
}

void runtime_enrich(struct tr_event *ev)
{
	struct runtime_entry *e;

	ev->container = NULL;
	ev->container_started = false;
	if (!ev->container_id || !ev->container_id[0])
		return;
	e = runtime_get(ev->container_id, RUNTIME_SEEN);
	if (!e) {
		/* No registry (or a full one): as before it, a container is a started one. */
		ev->container_started = true;
		return;
	}
	/*
	 * The runtime's own steps (runc:[2:INIT] re-executing itself, hooks)
	 * run in the host's mount namespace; the container's program is the
	 * first exec in the container's own.
	 */
	if (!e->started && ev->hdr && ev->hdr->event_id == TR_EV_SCHED_PROCESS_EXEC &&
	    R.host_mnt_ns && ev->hdr->mnt_ns != (uint32_t)R.host_mnt_ns)
		e->started = true;
	ev->container_started = e->started;
	ev->container = runtime_info(e);
}
