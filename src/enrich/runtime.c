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
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

#include "clock.h"
#include "event.h"
#include "events.h"
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
	uint32_t setup_mnt_ns;		/* mount namespace of the first process seen in it */
	bool reported;			/* runtime_poll() handed it over */
	bool remove_noted;		/* container_remove emitted */
	bool have_hdr;			/* hdr: the cgroup_mkdir's context */
	uint64_t created_ns;		/* epoch ns of the cgroup_mkdir */
	struct tr_record_hdr hdr;
	unsigned int nr_asks;
	uint64_t asked_ns;
	uint64_t removed_ns;
	struct container_info info;
};

static struct {
	bool up;
	bool enrich;
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

/* dockerd first: its containers are also containerd's (namespace "moby"), less well named. */
static const struct runtime_socket default_sockets[] = {
	{ "docker", "/var/run/docker.sock" },
	{ "podman", "/run/podman/podman.sock" },
	{ "containerd", "/run/containerd/containerd.sock" },
};

int runtime_inspect(const struct runtime_socket *s, const char *id, unsigned int timeout_ms,
		    struct container_info *info)
{
	if (!strcmp(s->runtime, "containerd"))
		return runtime_containerd_inspect(s, id, timeout_ms, info);
	return runtime_docker_inspect(s, id, timeout_ms, info);
}

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

void runtime_add_cap(struct container_info *info, const char *name)
{
	char cap[RUNTIME_CAP_LEN];
	unsigned int i, n = 0;

	if (!name || info->nr_cap_add >= RUNTIME_MAX_CAPS)
		return;
	if (!strncasecmp(name, "CAP_", 4))
		name += 4;
	for (; name[n]; n++) {
		char c = name[n];

		if (n + 1 >= sizeof(cap))
			return;
		if (c >= 'a' && c <= 'z')
			c -= 'a' - 'A';
		if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'))
			return;
		cap[n] = c;
	}
	if (!n)
		return;
	cap[n] = '\0';
	for (i = 0; i < info->nr_cap_add; i++)
		if (!strcmp(info->cap_add[i], cap))
			return;
	memcpy(info->cap_add[info->nr_cap_add++], cap, n + 1);
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

static uint64_t real_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static void set_str(struct tr_arg *a, const char *v)
{
	a->kind = TR_V_STR;
	a->v.str.p = v;
	a->v.str.len = strlen(v);
	a->v.str.trunc = false;
}

/* info's added capabilities as a string array argument, packed into buf. */
static void set_caps(struct tr_arg *a, const struct container_info *ci, uint8_t *buf, size_t sz)
{
	uint32_t off = 0, len;
	unsigned int i;

	a->kind = TR_V_STRARR;
	a->v.arr.p = buf;
	a->v.arr.count = 0;
	a->v.arr.trunc = false;
	for (i = 0; i < ci->nr_cap_add; i++) {
		len = strlen(ci->cap_add[i]);
		if (off + 4 + len > sz)
			break;
		memcpy(buf + off, &len, 4);
		memcpy(buf + off + 4, ci->cap_add[i], len);
		off += 4 + len;
		a->v.arr.count++;
	}
	a->v.arr.sz = off;
}

/*
 * container_create / container_remove / existing_container for e, in the
 * context of the cgroup_mkdir that made it when there was one (Tracee's
 * derived events keep their source's), else an empty one.
 */
static void emit(runtime_event_cb cb, void *ctx, const char *name, struct runtime_entry *e)
{
	static const struct container_info none;
	const struct tr_event_def *d = events_by_name(name);
	const struct container_info *ci = runtime_info(e);
	uint8_t caps[RUNTIME_MAX_CAPS * (4 + RUNTIME_CAP_LEN)];
	struct tr_record_hdr h;
	struct tr_event ev;
	unsigned int i;

	if (!d || !cb)
		return;
	if (!ci)
		ci = &none;
	memset(&ev, 0, sizeof(ev));
	if (e->have_hdr && strcmp(name, "container_remove")) {
		h = e->hdr;
		ev.timestamp_ns = e->created_ns;
	} else {
		memset(&h, 0, sizeof(h));
		h.syscall = -1;
		ev.timestamp_ns = real_ns();
	}
	h.event_id = d->id;
	h.retval = 0;
	h.argnum = d->nr_args;
	ev.hdr = &h;
	ev.def = d;
	ev.nr_args = d->nr_args;
	ev.container_id = "";
	ev.executable = "";
	for (i = 0; i < d->nr_args; i++) {
		struct tr_arg *a = &ev.args[i];
		const char *an = d->args[i].name;

		a->name = an;
		a->type = d->args[i].type;
		if (!strcmp(an, "runtime")) {
			set_str(a, ci->runtime);
		} else if (!strcmp(an, "container_id")) {
			set_str(a, e->id);
		} else if (!strcmp(an, "ctime")) {
			a->kind = TR_V_UINT;
			a->v.u = ci->ctime_ns ? ci->ctime_ns : e->created_ns;
		} else if (!strcmp(an, "container_image")) {
			set_str(a, ci->image);
		} else if (!strcmp(an, "container_image_digest")) {
			set_str(a, ci->image_digest);
		} else if (!strcmp(an, "container_name")) {
			set_str(a, ci->name);
		} else if (!strcmp(an, "pod_name")) {
			set_str(a, ci->pod_name);
		} else if (!strcmp(an, "pod_namespace")) {
			set_str(a, ci->pod_namespace);
		} else if (!strcmp(an, "pod_uid")) {
			set_str(a, ci->pod_uid);
		} else if (!strcmp(an, "pod_sandbox")) {
			a->kind = TR_V_BOOL;
			a->v.u = ci->pod_sandbox;
		} else if (!strcmp(an, "privileged")) {
			a->kind = TR_V_BOOL;
			a->v.u = ci->privileged;
		} else if (!strcmp(an, "added_capabilities")) {
			set_caps(a, ci, caps, sizeof(caps));
		}
	}
	cb(ctx, &ev);
}

bool runtime_settled(struct runtime_entry *e)
{
	return !e || settled(e);
}

void runtime_poll(runtime_event_cb cb, void *ctx)
{
	uint64_t now = mono_ns();
	unsigned int i;

	if (!R.up)
		return;
	for (i = 0; i < NR_BUCKETS; i++) {
		struct runtime_entry **pp = &R.buckets[i];

		while (*pp) {
			struct runtime_entry *e = *pp;

			/* An unknown container is asked again, a second apart. */
			if (R.enrich && !e->removed && e->nr_asks < MAX_ASKS &&
			    __atomic_load_n(&e->state, __ATOMIC_ACQUIRE) == ST_UNKNOWN &&
			    now - e->asked_ns >= ASK_AGAIN_NS)
				ask(e, now);
			/* A removed one is announced as made before it is as gone. */
			if (!e->reported && (settled(e) || e->removed)) {
				e->reported = true;
				if (e->origin == RUNTIME_CREATED)
					emit(cb, ctx, "container_create", e);
				else if (e->origin == RUNTIME_EXISTING)
					emit(cb, ctx, "existing_container", e);
			}
			if (e->removed && !e->remove_noted) {
				e->remove_noted = true;
				emit(cb, ctx, "container_remove", e);
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

/*
 * A container's cgroup made or removed (on hybrid hosts once per hierarchy:
 * the first one counts).  cgroup_path is the path in its hierarchy.
 */
static void cgroup_event(const struct tr_event *ev)
{
	char path[4096], id[CONTAINER_ID_LEN + 1];
	const struct tr_arg *a = NULL;
	struct runtime_entry *e;
	unsigned int i;

	for (i = 0; i < ev->nr_args; i++)
		if (ev->args[i].name && !strcmp(ev->args[i].name, "cgroup_path"))
			a = &ev->args[i];
	if (!a || a->kind != TR_V_STR || a->v.str.len >= sizeof(path))
		return;
	memcpy(path, a->v.str.p, a->v.str.len);
	path[a->v.str.len] = '\0';
	if (container_id_from_cgroup_path(path, id) != 1)
		return;
	/* Only the container's own directory, not one below it (systemd's init.scope). */
	if (!strstr(strrchr(path, '/') ? strrchr(path, '/') : path, id))
		return;
	if (ev->hdr->event_id == TR_EV_CGROUP_RMDIR) {
		runtime_remove(runtime_find(id));
		return;
	}
	/*
	 * Met already: the process tree reads /proc/PID/cgroup when it handles
	 * an event, so under load a process of the container can be placed in
	 * it before its cgroup_mkdir is read.  It is still a new container.
	 */
	e = runtime_find(id);
	if (e && (e->origin != RUNTIME_SEEN || e->have_hdr))
		return;
	if (e) {
		e->origin = RUNTIME_CREATED;
		e->reported = false;
	} else {
		e = runtime_get(id, RUNTIME_CREATED);
	}
	if (!e)
		return;
	e->hdr = *ev->hdr;
	e->have_hdr = true;
	e->created_ns = ev->timestamp_ns;
}

void runtime_enrich(struct tr_event *ev)
{
	struct runtime_entry *e;

	ev->container = NULL;
	ev->container_started = false;
	if (ev->hdr && (ev->hdr->event_id == TR_EV_CGROUP_MKDIR ||
			ev->hdr->event_id == TR_EV_CGROUP_RMDIR))
		cgroup_event(ev);
	if (!ev->container_id || !ev->container_id[0])
		return;
	e = runtime_get(ev->container_id, RUNTIME_SEEN);
	if (!e) {
		/* No registry (or a full one): as before it, a container is a started one. */
		ev->container_started = true;
		return;
	}
	/*
	 * The runtime's own steps in the new cgroup (runc init re-executing
	 * itself) run in the runtime's mount namespace, the first one seen
	 * there; the container's program is the first exec in another one, the
	 * container's.  (Not "other than tracee's": the runtime may itself run
	 * in a namespace of its own, docker in docker, a test's private one.)
	 */
	if (!e->started && ev->hdr) {
		if (!e->setup_mnt_ns)
			e->setup_mnt_ns = ev->hdr->mnt_ns;
		else if (ev->hdr->event_id == TR_EV_SCHED_PROCESS_EXEC &&
			 ev->hdr->mnt_ns != e->setup_mnt_ns)
			e->started = true;
	}
	ev->container_started = e->started;
	ev->container = runtime_info(e);
}
