// SPDX-License-Identifier: GPL-2.0
/*
 * reader.c - drain the ring buffer (or, on kernels before 5.8 and with
 * --perf-buffer, the per-CPU perf buffers).
 *
 * The kernel side submits with BPF_RB_NO_WAKEUP and forces a wakeup only
 * past a watermark, so an epoll wakeup is not the only sign of data:
 * reader_poll() waits at most its timeout and then always drains.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include <linux/perf_event.h>
#include <linux/types.h>
#include <bpf/libbpf.h>

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

struct reader {
	struct ring_buffer *rb;
	struct perf_buffer *pb;
	int epoll_fd;
	reader_cb cb;
	void *ctx;
	uint64_t lost;
	int nr_records;		/* in the current drain */
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

static enum bpf_perf_event_ret on_perf_event(void *ctx, int cpu, struct perf_event_header *ev)
{
	struct reader *r = ctx;

	switch (ev->type) {
	case PERF_RECORD_SAMPLE: {
		struct perf_sample *s = (struct perf_sample *)ev;

		if (ev->size < sizeof(*s) || s->size > ev->size - sizeof(*s))
			break;
		r->nr_records++;
		r->cb(r->ctx, s->data, record_size(s->data, s->size));
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
	if (loader_uses_ringbuf(t)) {
		r->rb = ring_buffer__new(map_fd, on_ring_record, r, NULL);
		if (!r->rb) {
			err = errno;
			tr_err("ring buffer: %s (raise the locked-memory limit or free memory)",
			       strerror(err));
			goto fail;
		}
		r->epoll_fd = ring_buffer__epoll_fd(r->rb);
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

int reader_poll(struct reader *r, int timeout_ms)
{
	struct epoll_event ev[8];
	int n, ret;

	if (timeout_ms != 0) {
		n = epoll_wait(r->epoll_fd, ev, 8, timeout_ms);
		if (n < 0 && errno != EINTR)
			return -errno;
	}
	/* Always drain: the kernel side does not wake us for every record. */
	r->nr_records = 0;
	ret = r->rb ? ring_buffer__consume(r->rb) : perf_buffer__consume(r->pb);
	if (ret < 0 && ret != -EINTR)
		return ret;
	return r->nr_records;
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
	free(r);
}
