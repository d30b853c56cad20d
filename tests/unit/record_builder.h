/* SPDX-License-Identifier: GPL-2.0 */
/*
 * record_builder.h - build raw records by hand, laid out as the kernel side
 * sends them (bpf/tracee_abi.h), for the decode and output tests.
 */
#ifndef TRACEE_TEST_RECORD_BUILDER_H
#define TRACEE_TEST_RECORD_BUILDER_H

#include <stdint.h>
#include <string.h>

#include "../../bpf/tracee_abi.h"

struct rb {
	_Alignas(8) uint8_t buf[TR_RECORD_MAX + 256];
	size_t len;
	unsigned int argnum;
};

static inline struct tr_record_hdr *rb_hdr(struct rb *r)
{
	return (struct tr_record_hdr *)r->buf;
}

/* A header with recognisable context values. */
static inline void rb_init(struct rb *r, uint32_t event_id)
{
	struct tr_record_hdr *h = rb_hdr(r);

	memset(r, 0, sizeof(*r));
	h->ts = 5000000000ULL;		/* 5 s after boot */
	h->start_time = 4000000000ULL;
	h->cgroup_id = 4242;
	h->retval = 3;
	h->event_id = event_id;
	h->pid = 100;
	h->tid = 101;
	h->ppid = 99;
	h->host_pid = 1100;
	h->host_tid = 1101;
	h->host_ppid = 1099;
	h->uid = 1000;
	h->mnt_ns = 4026531841u;
	h->pid_ns = 4026531836u;
	h->syscall = event_id < TR_MAX_SYSCALL ? (int32_t)event_id : -1;
	h->cpu = 1;
	memcpy(h->comm, "cat", 4);
	memcpy(h->uts, "buildhost", 10);
	r->len = sizeof(*h);
}

static inline void rb_bytes(struct rb *r, const void *p, size_t n)
{
	memcpy(r->buf + r->len, p, n);
	r->len += n;
}

static inline void rb_u32(struct rb *r, uint32_t v)
{
	rb_bytes(r, &v, 4);
}

static inline void rb_argh(struct rb *r, uint8_t idx, uint8_t tag)
{
	r->buf[r->len++] = idx;
	r->buf[r->len++] = tag;
	r->argnum++;
}

static inline void rb_u64(struct rb *r, uint8_t idx, uint64_t v)
{
	rb_argh(r, idx, TR_W_U64);
	rb_bytes(r, &v, 8);
}

static inline void rb_strn(struct rb *r, uint8_t idx, const char *s, uint32_t n, int trunc)
{
	rb_argh(r, idx, TR_W_STR);
	rb_u32(r, n | (trunc ? TR_LEN_TRUNC : 0));
	rb_bytes(r, s, n);
}

static inline void rb_str(struct rb *r, uint8_t idx, const char *s)
{
	rb_strn(r, idx, s, strlen(s), 0);
}

/* NULL-terminated list of strings. */
static inline void rb_strarr(struct rb *r, uint8_t idx, const char *const *v, int trunc)
{
	uint32_t n = 0;

	while (v[n])
		n++;
	rb_argh(r, idx, TR_W_STRARR);
	rb_u32(r, n | (trunc ? TR_LEN_TRUNC : 0));
	for (n = 0; v[n]; n++) {
		rb_u32(r, strlen(v[n]));
		rb_bytes(r, v[n], strlen(v[n]));
	}
}

static inline void rb_raw(struct rb *r, uint8_t idx, uint8_t tag, const void *p, uint32_t n)
{
	rb_argh(r, idx, tag);
	rb_u32(r, n);
	rb_bytes(r, p, n);
}

static inline void rb_int2(struct rb *r, uint8_t idx, int32_t a, int32_t b)
{
	rb_argh(r, idx, TR_W_INT2);
	rb_bytes(r, &a, 4);
	rb_bytes(r, &b, 4);
}

static inline void rb_timespec(struct rb *r, uint8_t idx, int64_t sec, int64_t nsec)
{
	rb_argh(r, idx, TR_W_TIMESPEC);
	rb_bytes(r, &sec, 8);
	rb_bytes(r, &nsec, 8);
}

/* Set size and argnum; returns the record length. */
static inline size_t rb_done(struct rb *r)
{
	rb_hdr(r)->size = r->len;
	rb_hdr(r)->argnum = r->argnum;
	return r->len;
}

#endif /* TRACEE_TEST_RECORD_BUILDER_H */
