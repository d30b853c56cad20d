// SPDX-License-Identifier: GPL-2.0
/*
 * reader.c - drain the ring buffer (or, on kernels before 5.8 and with
 * --perf-buffer, the per-CPU perf buffers).
 *
 * The kernel side submits with BPF_RB_NO_WAKEUP and forces a wakeup only
 * past a watermark, so an epoll wakeup is not the only sign of data:
 * reader_poll() waits at most its timeout and then always drains.
 *
 * A drain of the ring buffer is bounded (records and time): libbpf 1.1's
 * ring_buffer__consume() keeps going while the producer keeps up, and under
 * sustained load the caller's stop requests, flushes and timers would never
 * run.  A sample callback that returns a negative value stops libbpf after
 * that sample, which it has already consumed (the consumer position moves
 * before the callback runs), so nothing is lost or seen twice.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/perf_event.h>
#include <linux/types.h>
#include <bpf/libbpf.h>

#include "clock.h"
#include "event.h"
#include "loader.h"
#include "log.h"
#include "reader.h"

/*
 * Perf buffer: about as much memory as the ring buffer (16 MiB) spread over
 * the CPUs, 64 to 1024 pages each (a power of two); the reader is woken at
 * a quarter full and drains on its timer anyway.
 */
#define PERF_TOTAL_SZ		(16u << 20)
#define PERF_MIN_PAGES		64
#define PERF_MAX_PAGES		1024

/*
 * One ring drain hands over at most this many records or runs this long
 * (checked every DRAIN_CHECK records), then the caller gets its turn.
 * The budget is far above what one wakeup brings on a quiet host.
 */
#define DRAIN_MAX_RECORDS	16384
#define DRAIN_MAX_NS		(20ULL * 1000 * 1000)
#define DRAIN_CHECK		64
#define DRAIN_STOP		(-ECANCELED)	/* our callback's "stop here" */

static size_t perf_pages(void)
{
	long page = sysconf(_SC_PAGESIZE);
	int nr_cpus = libbpf_num_possible_cpus();
	size_t want, pages = PERF_MIN_PAGES;

	if (page <= 0)
		page = 4096;
	if (nr_cpus <= 0)
		nr_cpus = 1;
	want = PERF_TOTAL_SZ / page / nr_cpus;
	while (pages < want && pages < PERF_MAX_PAGES)
		pages <<= 1;
	return pages;
}

/*
 * The perf buffer is one buffer per CPU and libbpf drains them one after
 * the other, so a child's first events (its CPU) can come before its
 * parent's fork (another CPU), and the process tree would see a process
 * it does not know yet.  Each drain's records are therefore copied into a
 * batch and handed over in timestamp order.  A record cannot be missing
 * from a drain while a later record of a process it caused is in it: the
 * cause was written before the effect could run, and every CPU is drained.
 * The ring buffer is one buffer in commit order and needs none of this.
 */
#define BATCH_MAX_SZ		(64u << 20)	/* bytes copied per drain, then flushed */

struct batch_ent {
	uint64_t ts;
	uint32_t seq;		/* arrival order: equal times stay in order */
	uint32_t off;
	uint32_t sz;
};

struct reader {
	struct ring_buffer *rb;
	struct perf_buffer *pb;
	int epoll_fd;
	reader_cb cb;
	void *ctx;
	uint64_t lost;
	int nr_records;		/* in the current drain */
	uint64_t deadline;	/* of the current drain (ring only) */
	bool more;		/* the last drain stopped at its budget */
	/* ring only: the positions, to drain exactly what is there at a stop */
	const volatile uint64_t *cons_pos, *prod_pos;
	void *cons_page, *prod_page;
	size_t page_sz;
	/* perf only: the drain's records, sorted before they are handed over */
	uint8_t *arena;
	size_t arena_sz, arena_used;
	struct batch_ent *ents;
	size_t nr_ents, ents_cap;
};

/* The record says how long it is: hand over exactly that (both paths alike). */
static size_t record_size(const void *data, size_t sz)
{
	struct tr_record_hdr hdr;

	if (sz < sizeof(hdr))
		return sz;
	memcpy(&hdr, data, sizeof(hdr));
	return hdr.size >= sizeof(hdr) && hdr.size <= sz ? hdr.size : sz;
}

static int on_ring_record(void *ctx, void *data, size_t sz)
{
	struct reader *r = ctx;

	r->nr_records++;
	r->cb(r->ctx, data, record_size(data, sz));
	if (r->nr_records >= DRAIN_MAX_RECORDS ||
	    (r->nr_records % DRAIN_CHECK == 0 && mono_ns() >= r->deadline)) {
		r->more = true;
		return DRAIN_STOP;
	}
	return 0;
}

struct perf_sample {
	struct perf_event_header header;
	__u32 size;
	char data[];
};

struct perf_lost {
	struct perf_event_header header;
	__u64 id;
	__u64 lost;
};

static int batch_cmp(const void *a, const void *b)
{
	const struct batch_ent *x = a, *y = b;

	if (x->ts != y->ts)
		return x->ts < y->ts ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void batch_flush(struct reader *r)
{
	size_t i;

	if (!r->nr_ents)
		return;		/* nothing yet: ents may still be NULL */
	qsort(r->ents, r->nr_ents, sizeof(*r->ents), batch_cmp);
	for (i = 0; i < r->nr_ents; i++)
		r->cb(r->ctx, r->arena + r->ents[i].off, r->ents[i].sz);
	r->nr_ents = 0;
	r->arena_used = 0;
}

/* Copy one record into the batch (8-byte aligned); grows, never past the cap. */
static void batch_add(struct reader *r, const void *data, size_t sz)
{
	size_t need = (sz + 7) & ~(size_t)7;
	struct tr_record_hdr hdr = { 0 };

	if (r->arena_used + need > BATCH_MAX_SZ)
		batch_flush(r);
	if (r->arena_used + need > r->arena_sz) {
		size_t nsz = r->arena_sz ? r->arena_sz : (1u << 20);
		uint8_t *na;

		while (nsz < r->arena_used + need)
			nsz *= 2;
		na = realloc(r->arena, nsz);
		if (!na) {
			batch_flush(r);		/* out of memory: keep order as far as we can */
			r->cb(r->ctx, data, sz);
			return;
		}
		r->arena = na;
		r->arena_sz = nsz;
	}
	if (r->nr_ents == r->ents_cap) {
		size_t ncap = r->ents_cap ? r->ents_cap * 2 : 4096;
		struct batch_ent *ne = realloc(r->ents, ncap * sizeof(*ne));

		if (!ne) {
			batch_flush(r);
			r->cb(r->ctx, data, sz);
			return;
		}
		r->ents = ne;
		r->ents_cap = ncap;
	}
	if (sz >= sizeof(hdr))
		memcpy(&hdr, data, sizeof(hdr));
	memcpy(r->arena + r->arena_used, data, sz);
	r->ents[r->nr_ents++] = (struct batch_ent){
		.ts = hdr.ts, .seq = (uint32_t)r->nr_ents, .off = (uint32_t)r->arena_used,
		.sz = (uint32_t)sz,
	};
	r->arena_used += need;
}

static enum bpf_perf_event_ret on_perf_event(void *ctx, int cpu, struct perf_event_header *ev)
{
	struct reader *r = ctx;

	switch (ev->type) {
	case PERF_RECORD_SAMPLE: {
		struct perf_sample *s = (struct perf_sample *)ev;

		if (ev->size < sizeof(*s) || s->size > ev->size - sizeof(*s))
			break;
		r->nr_records++;
		batch_add(r, s->data, record_size(s->data, s->size));
		break;
	}
	case PERF_RECORD_LOST:
		if (ev->size >= sizeof(struct perf_lost))
			r->lost += ((struct perf_lost *)ev)->lost;
		break;
	default:
		break;
	}
	return LIBBPF_PERF_EVENT_CONT;
}

struct reader *reader_new(struct tracer *t, reader_cb cb, void *ctx)
{
	struct reader *r;
	int map_fd = loader_events_map_fd(t), err;

	if (map_fd < 0 || !cb) {
		tr_err("reader: no events map (the object failed to load)");
		errno = EINVAL;
		return NULL;
	}
	r = calloc(1, sizeof(*r));
	if (!r) {
		tr_err("reader: out of memory");
		return NULL;
	}
	r->cb = cb;
	r->ctx = ctx;
	r->epoll_fd = -1;
	r->cons_page = r->prod_page = MAP_FAILED;
	if (loader_uses_ringbuf(t)) {
		r->rb = ring_buffer__new(map_fd, on_ring_record, r, NULL);
		if (!r->rb) {
			err = errno;
			tr_err("ring buffer: %s (raise the locked-memory limit or free memory)",
			       strerror(err));
			goto fail;
		}
		r->epoll_fd = ring_buffer__epoll_fd(r->rb);
		/*
		 * Our own read-only view of the two position pages (the kernel
		 * allows read-only maps of any part): libbpf 1.1 does not share
		 * them, and the last drain needs the producer's position.
		 */
		r->page_sz = sysconf(_SC_PAGESIZE);
		r->cons_page = mmap(NULL, r->page_sz, PROT_READ, MAP_SHARED, map_fd, 0);
		r->prod_page = mmap(NULL, r->page_sz, PROT_READ, MAP_SHARED, map_fd, r->page_sz);
		if (r->cons_page == MAP_FAILED || r->prod_page == MAP_FAILED) {
			err = errno;
			tr_err("ring buffer: cannot map its positions: %s (free memory)",
			       strerror(err));
			goto fail;
		}
		r->cons_pos = r->cons_page;
		r->prod_pos = r->prod_page;
	} else {
		size_t pages = perf_pages();
		struct perf_event_attr attr = {
			.size = sizeof(attr),
			.type = PERF_TYPE_SOFTWARE,
			.config = PERF_COUNT_SW_BPF_OUTPUT,
			.sample_type = PERF_SAMPLE_RAW,
			.sample_period = 1,
			.watermark = 1,
			.wakeup_watermark = pages * sysconf(_SC_PAGESIZE) / 4,
		};

		r->pb = perf_buffer__new_raw(map_fd, pages, &attr, on_perf_event, r, NULL);
		if (!r->pb) {
			err = errno;
			tr_err("perf buffer: %s (run as root, or raise the locked-memory limit)",
			       strerror(err));
			goto fail;
		}
		r->epoll_fd = perf_buffer__epoll_fd(r->pb);
	}
	return r;
fail:
	reader_free(r);
	errno = err;
	return NULL;
}

/* One drain: the ring up to its budget, or one pass over every perf buffer. */
static int drain(struct reader *r)
{
	int ret;

	r->nr_records = 0;
	r->more = false;
	if (r->rb) {
		r->deadline = mono_ns() + DRAIN_MAX_NS;
		ret = ring_buffer__consume(r->rb);
		if (ret == DRAIN_STOP && r->more)
			ret = 0;
	} else {
		/*
		 * A pass is bounded already (each CPU's buffer up to where its
		 * head was when the pass reached it) and is kept whole: the
		 * batch's time order needs every CPU drained.
		 */
		ret = perf_buffer__consume(r->pb);
		batch_flush(r);
	}
	if (ret < 0 && ret != -EINTR)
		return ret;
	return r->nr_records;
}

int reader_poll(struct reader *r, int timeout_ms)
{
	struct epoll_event ev[8];
	int n;

	/* Records left by a drain that hit its budget are there: no wait. */
	if (timeout_ms != 0 && !r->more) {
		n = epoll_wait(r->epoll_fd, ev, 8, timeout_ms);
		if (n < 0 && errno != EINTR)
			return -errno;
	}
	/* Always drain: the kernel side does not wake us for every record. */
	return drain(r);
}

int reader_drain_pending(struct reader *r)
{
	uint64_t target;
	int n, total = 0;

	if (!r->rb)
		return drain(r);	/* a perf pass is bounded already */
	target = __atomic_load_n(r->prod_pos, __ATOMIC_ACQUIRE);
	do {
		n = drain(r);
		if (n < 0)
			return n;
		total += n;
	} while (n > 0 && (int64_t)(__atomic_load_n(r->cons_pos, __ATOMIC_ACQUIRE) - target) < 0);
	return total;
}

uint64_t reader_lost(const struct reader *r)
{
	return r ? r->lost : 0;
}

void reader_free(struct reader *r)
{
	if (!r)
		return;
	ring_buffer__free(r->rb);
	perf_buffer__free(r->pb);
	if (r->cons_page != MAP_FAILED)
		munmap(r->cons_page, r->page_sz);
	if (r->prod_page != MAP_FAILED)
		munmap(r->prod_page, r->page_sz);
	free(r->arena);
	free(r->ents);
	free(r);
}
