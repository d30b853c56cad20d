// SPDX-License-Identifier: GPL-2.0
/*
 * exechash.c - -o option:exec-hash: every sched_process_exec carries a
 * sha256 argument, the executed file's (Tracee's name and meaning), without
 * the reader ever reading a file.
 *
 * The reader looks the exec's (dev, inode, ctime) up in a cache: a binary
 * hashed before and unchanged since (same ctime) gets its hash at once, so
 * the usual exec costs one lookup.  A binary not seen yet is hashed by the
 * capture worker from the file the process really executed (capture.c:
 * /proc/PID/exe, or the path, checked against the kernel's ids), and its
 * exec event waits: a copy of its record is held and delivered, with the
 * hash, once the worker has it, or after EXECHASH_WAIT_NS with sha256 ""
 * (counted late; the hash still goes into the cache for the next exec).
 * What waits is bounded (HELD_MAX events, HELD_BYTES), past that an exec
 * goes out at once without its hash (counted).
 *
 * Only the held exec is delayed: the process tree was updated when it was
 * read, so the process's later events, which may be delivered before it,
 * are enriched as ever.  Several execs of one new binary are hashed once:
 * the worker takes the requests in order and finds the cache filled for
 * every one after the first.
 */
#include <errno.h>
#include <nettle/sha2.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "decode.h"
#include "events.h"
#include "exechash.h"
#include "runtime.h"

#define EXECHASH_WAIT_NS	(250ULL * 1000 * 1000)	/* longest an exec waits for its hash */
#define HELD_MAX		256
#define HELD_BYTES		((size_t)16 << 20)
#define CACHE_SLOTS		4096	/* (dev, inode, ctime) -> sha256; collisions replace */
#define READ_CHUNK		(64 * 1024)

struct cslot {
	uint64_t dev, ino, ctime;
	bool valid;
	char sha[65];
};

/* An exec event waiting for its hash (reader's list), and the worker's request. */
struct held {
	struct held *next;		/* reader: in arrival order */
	struct held *wnext;		/* worker: its queue */
	uint64_t deadline_ns;		/* CLOCK_MONOTONIC */
	struct exec_src src;		/* for the worker */
	bool done;			/* worker finished (lock) */
	bool delivered;			/* reader delivered it (late) */
	char sha[65];			/* worker: the hash, or "" */
	/* the enrichment of the first pass, not what the tree says later */
	char container_id[CONTAINER_ID_LEN + 1];
	bool started;
	uint64_t leader_start_ns, parent_start_ns;
	char *exe;
	size_t sz;
	uint64_t rec[];			/* 8-byte aligned, as decode_record() wants it */
};

static struct {
	bool on;
	pthread_mutex_t lock;		/* cache, worker queue, done, stats */
	struct cslot cache[CACHE_SLOTS];
	struct held *head, **tail;	/* reader only */
	unsigned int nr;
	size_t bytes;
	struct held *wq, **wq_tail;
	struct exechash_stats st;
	char shown[65];			/* the sha256 argument of the event being delivered */
	uint8_t buf[READ_CHUNK];	/* worker */
} H = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
};

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

void exechash_enable(void)
{
	H.on = true;
	H.tail = &H.head;
	H.wq_tail = &H.wq;
}

bool exechash_on(void)
{
	return H.on;
}

static struct cslot *slot_of(uint64_t dev, uint64_t ino, uint64_t ctime)
{
	uint64_t k = dev * 0x9e3779b97f4a7c15ULL ^ ino * 0xc2b2ae3d27d4eb4fULL ^ ctime;

	return &H.cache[(k ^ (k >> 29)) % CACHE_SLOTS];
}

/* Lock held: the cached hash of the file, or NULL. */
static const char *cache_get(uint64_t dev, uint64_t ino, uint64_t ctime)
{
	struct cslot *c = slot_of(dev, ino, ctime);

	if (c->valid && c->dev == dev && c->ino == ino && c->ctime == ctime)
		return c->sha;
	return NULL;
}

/* The sha256 argument, after the kernel's, pointing at H.shown. */
static void add_arg(struct tr_event *ev, const char *sha)
{
	struct tr_arg *a;

	if (ev->nr_args >= TR_EVENT_ARGS_MAX)
		return;
	snprintf(H.shown, sizeof(H.shown), "%s", sha);
	a = &ev->args[ev->nr_args++];
	memset(a, 0, sizeof(*a));
	a->name = "sha256";
	a->type = "const char*";
	a->kind = TR_V_STR;
	a->v.str.p = H.shown;
	a->v.str.len = strlen(H.shown);
}

static bool arg_u64(const struct tr_event *ev, const char *name, uint64_t *v)
{
	const struct tr_arg *a = tr_event_arg(ev, name);

	if (!a || (a->kind != TR_V_UINT && a->kind != TR_V_INT))
		return false;
	*v = a->v.u;
	return true;
}

int exechash_event(struct tr_event *ev)
{
	uint64_t dev, ino, ctime;
	const char *sha;
	struct held *x;
	size_t sz;

	/* replayed, or back from being held: it has its argument */
	if (!H.on || !ev->hdr || ev->def->id != TR_EV_SCHED_PROCESS_EXEC ||
	    tr_event_arg(ev, "sha256"))
		return 0;
	if (!arg_u64(ev, "dev", &dev) || !arg_u64(ev, "inode", &ino) ||
	    !arg_u64(ev, "ctime", &ctime)) {
		pthread_mutex_lock(&H.lock);
		H.st.failed++;	/* no ids to check a file against: no hash */
		pthread_mutex_unlock(&H.lock);
		add_arg(ev, "");
		return 0;
	}
	pthread_mutex_lock(&H.lock);
	sha = cache_get(dev, ino, ctime);
	if (sha) {
		H.st.cached++;
		add_arg(ev, sha);
		pthread_mutex_unlock(&H.lock);
		return 0;
	}
	pthread_mutex_unlock(&H.lock);
	sz = ev->hdr->size;
	if (H.nr >= HELD_MAX || H.bytes + sz > HELD_BYTES || !capture_kick())
		goto now;
	x = calloc(1, sizeof(*x) + sz);
	if (!x)
		goto now;
	x->exe = strdup(ev->executable ? ev->executable : "");
	if (!x->exe) {
		free(x);
		goto now;
	}
	memcpy(x->rec, ev->hdr, sz);
	x->sz = sz;
	x->deadline_ns = mono_ns() + EXECHASH_WAIT_NS;
	capture_exec_src(ev, &x->src);
	snprintf(x->container_id, sizeof(x->container_id), "%s",
		 ev->container_id ? ev->container_id : "");
	x->started = ev->container_started;
	x->leader_start_ns = ev->leader_start_ns;
	x->parent_start_ns = ev->parent_start_ns;
	*H.tail = x;
	H.tail = &x->next;
	H.nr++;
	H.bytes += sz;
	pthread_mutex_lock(&H.lock);
	*H.wq_tail = x;
	H.wq_tail = &x->wnext;
	pthread_mutex_unlock(&H.lock);
	capture_kick();
	return 1;
now:
	pthread_mutex_lock(&H.lock);
	H.st.full++;
	pthread_mutex_unlock(&H.lock);
	add_arg(ev, "");
	return 0;
}

/* The held record decoded again, as it was enriched when read, and delivered. */
static void deliver_held(struct held *x, const char *sha, capture_event_cb cb, void *ctx)
{
	struct tr_event ev;

	if (!cb || decode_record(x->rec, x->sz, &ev))
		return;
	ev.container_id = x->container_id;
	ev.executable = x->exe;
	ev.container_started = x->started;
	ev.leader_start_ns = x->leader_start_ns;
	ev.parent_start_ns = x->parent_start_ns;
	ev.container = NULL;
	if (x->container_id[0]) {
		struct runtime_entry *e = runtime_find(x->container_id);

		ev.container = e ? runtime_info(e) : NULL;
	}
	add_arg(&ev, sha);
	cb(ctx, &ev);
}

void exechash_release(capture_event_cb cb, void *ctx, bool all)
{
	struct held **pp = &H.head, *x;
	uint64_t now;

	if (!H.on || !H.head)
		return;
	now = mono_ns();
	/* in arrival order: an exec waits for those before it */
	while ((x = *pp)) {
		char sha[65];
		bool done;

		pthread_mutex_lock(&H.lock);
		done = x->done;
		memcpy(sha, x->sha, sizeof(sha));
		if (!done && !x->delivered && (all || now >= x->deadline_ns))
			H.st.late++;
		pthread_mutex_unlock(&H.lock);
		if (!x->delivered) {
			if (!done && !all && now < x->deadline_ns)
				break;
			deliver_held(x, done ? sha : "", cb, ctx);
			x->delivered = true;
		}
		if (!done) {	/* the worker still has it: freed once it is done */
			pp = &x->next;
			continue;
		}
		*pp = x->next;
		if (!*pp)
			H.tail = pp;
		H.nr--;
		H.bytes -= x->sz;
		free(x->exe);
		free(x);
	}
}

bool exechash_pending(void)
{
	bool p;

	pthread_mutex_lock(&H.lock);
	p = H.wq != NULL;
	pthread_mutex_unlock(&H.lock);
	return p;
}

/* sha256 of fd, read to its end; the file must not change meanwhile. */
static int hash_fd(int fd, char hex[65])
{
	uint8_t sha[SHA256_DIGEST_SIZE];
	struct sha256_ctx ctx;
	struct stat a, b;
	int i;

	if (fstat(fd, &a) || !S_ISREG(a.st_mode))
		return -EINVAL;
	sha256_init(&ctx);
	for (;;) {
		ssize_t n = read(fd, H.buf, sizeof(H.buf));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			break;
		sha256_update(&ctx, (size_t)n, H.buf);
	}
	if (fstat(fd, &b) || b.st_size != a.st_size || b.st_mtim.tv_sec != a.st_mtim.tv_sec ||
	    b.st_mtim.tv_nsec != a.st_mtim.tv_nsec)
		return -ESRCH;	/* written while read: not the executed content */
	sha256_digest(&ctx, sizeof(sha), sha);
	for (i = 0; i < SHA256_DIGEST_SIZE; i++)
		snprintf(hex + 2 * i, 3, "%02x", sha[i]);
	return 0;
}

void exechash_work(void)
{
	for (;;) {
		struct held *x;
		const char *sha;
		char hex[65] = "";
		int fd, ret = -ESRCH;

		pthread_mutex_lock(&H.lock);
		x = H.wq;
		if (!x) {
			pthread_mutex_unlock(&H.lock);
			return;
		}
		H.wq = x->wnext;
		if (!H.wq)
			H.wq_tail = &H.wq;
		/* a binary executed again while its first exec was being hashed */
		sha = cache_get(x->src.kdev, x->src.ino, x->src.ctime);
		if (sha) {
			H.st.cached++;
			memcpy(x->sha, sha, sizeof(x->sha));
			x->done = true;
			pthread_mutex_unlock(&H.lock);
			continue;
		}
		pthread_mutex_unlock(&H.lock);
		fd = capture_open_exec(&x->src);
		if (fd >= 0) {
			ret = hash_fd(fd, hex);
			close(fd);
		}
		pthread_mutex_lock(&H.lock);
		if (!ret) {
			struct cslot *c = slot_of(x->src.kdev, x->src.ino, x->src.ctime);

			H.st.hashed++;
			c->dev = x->src.kdev;
			c->ino = x->src.ino;
			c->ctime = x->src.ctime;
			memcpy(c->sha, hex, sizeof(c->sha));
			c->valid = true;
			memcpy(x->sha, hex, sizeof(x->sha));
		} else {
			H.st.failed++;
			x->sha[0] = '\0';
		}
		x->done = true;
		pthread_mutex_unlock(&H.lock);
	}
}

void exechash_stats(struct exechash_stats *st)
{
	pthread_mutex_lock(&H.lock);
	*st = H.st;
	pthread_mutex_unlock(&H.lock);
}

void exechash_fini(void)
{
	struct held *x;

	while ((x = H.head)) {
		H.head = x->next;
		free(x->exe);
		free(x);
	}
	H.tail = &H.head;
	H.wq = NULL;
	H.wq_tail = &H.wq;
	H.nr = 0;
	H.bytes = 0;
}
