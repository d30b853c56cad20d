// SPDX-License-Identifier: GPL-2.0
/*
 * test_decode.c - records built by hand, good and hostile.
 *
 * Every hostile record is decoded from a heap copy of exactly its size, so a
 * read past the end is caught by ASan/valgrind (configure --enable-sanitizers
 * or run under valgrind), not just by luck.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "decode.h"
#include "events.h"
#include "record_builder.h"
#include "../tap.h"

/* Decode a heap copy of exactly sz bytes. */
static int decode_copy(const void *rec, size_t sz, struct tr_event *ev, void **keep)
{
	void *p = malloc(sz ? sz : 1);
	int ret;

	if (!p)
		abort();
	memcpy(p, rec, sz);
	ret = decode_record(p, sz, ev);
	if (keep)
		*keep = p;
	else
		free(p);
	return ret;
}

/* Every pointer in a decoded event lies inside [base, base + sz). */
static int inside(const struct tr_event *ev, const void *base, size_t sz)
{
	const uint8_t *b = base, *e = b + sz;
	unsigned int i;

	for (i = 0; i < ev->nr_args; i++) {
		const struct tr_arg *a = &ev->args[i];
		const uint8_t *p = NULL;
		size_t n = 0;

		switch (a->kind) {
		case TR_V_STR:
			p = (const uint8_t *)a->v.str.p;
			n = a->v.str.len;
			break;
		case TR_V_STRARR: {
			uint32_t pos = 0, k = 0;
			struct tr_str s;

			p = a->v.arr.p;
			n = a->v.arr.sz;
			while (decode_strarr_next(a, &pos, &s)) {
				if ((const uint8_t *)s.p < b || (const uint8_t *)s.p + s.len > e)
					return 0;
				k++;
			}
			if (k != a->v.arr.count)
				return 0;
			break;
		}
		case TR_V_SOCKADDR:
		case TR_V_BYTES:
			p = a->v.raw.p;
			n = a->v.raw.len;
			break;
		default:
			continue;
		}
		if (p < b || p + n > e)
			return 0;
	}
	return 1;
}

static struct rb r;

static size_t build_openat(void)
{
	rb_init(&r, 257);
	rb_u64(&r, 0, 0xdeadbeefffffff9cULL);	/* AT_FDCWD in the low 32 bits, junk above */
	rb_str(&r, 1, "/etc/passwd");
	rb_u64(&r, 2, 0x0000000000080241ULL);
	rb_u64(&r, 3, 0xffff0000000001a4ULL);	/* umode_t 0644, junk above */
	return rb_done(&r);
}

static size_t build_execve(void)
{
	static const char *const argv[] = { "ls", "-l", "", "a\nb", NULL };
	static const char *const envp[] = { "PATH=/bin", NULL };

	rb_init(&r, 59);
	rb_strn(&r, 0, "/bin/ls-with-a-long-name", 8, 1);	/* cut by the kernel side */
	rb_strarr(&r, 1, argv, 0);
	rb_strarr(&r, 2, envp, 1);
	return rb_done(&r);
}

static void test_good(void)
{
	struct tr_event ev;
	size_t sz;
	void *keep;
	struct timespec mono, real;
	int64_t off = decode_epoch_offset_ns(), want;

	decode_init();
	off = decode_epoch_offset_ns();
	clock_gettime(CLOCK_MONOTONIC, &mono);
	clock_gettime(CLOCK_REALTIME, &real);
	want = ((int64_t)real.tv_sec - mono.tv_sec) * 1000000000LL + (real.tv_nsec - mono.tv_nsec);
	ok(llabs(off - want) < 5000000, "the epoch offset matches the clocks (%lld vs %lld)",
	   (long long)off, (long long)want);

	sz = build_openat();
	ok(decode_copy(r.buf, sz, &ev, &keep) == 0, "an openat record decodes");
	ok(ev.def && ev.def->id == 257 && ev.nr_args == 4, "as openat, with its 4 arguments");
	ok(ev.args[0].kind == TR_V_INT && ev.args[0].v.i == -100 && !strcmp(ev.args[0].name, "dirfd") &&
	   !strcmp(ev.args[0].type, "int"), "an int argument is sign-extended from 32 bits (-100)");
	ok(ev.args[1].kind == TR_V_STR && ev.args[1].v.str.len == 11 &&
	   !memcmp(ev.args[1].v.str.p, "/etc/passwd", 11) && !ev.args[1].v.str.trunc,
	   "the pathname is a counted string");
	ok(ev.args[2].kind == TR_V_INT && ev.args[2].v.i == 0x80241, "flags as int");
	ok(ev.args[3].kind == TR_V_UINT && ev.args[3].v.u == 0644, "umode_t keeps its 16 bits (0644)");
	ok(ev.timestamp_ns == (uint64_t)(5000000000LL + off) &&
	   ev.thread_start_ns == (uint64_t)(4000000000LL + off),
	   "timestamps are moved to the epoch by the one offset");
	ok(ev.hdr == keep && ev.hdr->pid == 100 && !strcmp(ev.container_id, "") &&
	   !strcmp(ev.executable, ""), "the view points at the record; enrichment starts empty");
	ok(inside(&ev, keep, sz), "every pointer is inside the record");
	free(keep);

	sz = build_execve();
	ok(decode_copy(r.buf, sz, &ev, &keep) == 0, "an execve record decodes");
	ok(ev.args[0].kind == TR_V_STR && ev.args[0].v.str.len == 8 && ev.args[0].v.str.trunc,
	   "a cut string keeps its bytes and says it was cut");
	ok(ev.args[1].kind == TR_V_STRARR && ev.args[1].v.arr.count == 4 && !ev.args[1].v.arr.trunc,
	   "argv has 4 entries");
	{
		uint32_t pos = 0;
		struct tr_str s;
		int okay = 1, n = 0;
		static const char *const want_argv[] = { "ls", "-l", "", "a\nb" };

		while (decode_strarr_next(&ev.args[1], &pos, &s)) {
			if (s.len != strlen(want_argv[n]) || memcmp(s.p, want_argv[n], s.len))
				okay = 0;
			n++;
		}
		ok(okay && n == 4, "decode_strarr_next walks them in order, empty ones included");
	}
	ok(ev.args[2].kind == TR_V_STRARR && ev.args[2].v.arr.count == 1 && ev.args[2].v.arr.trunc,
	   "a cut array says so");
	ok(inside(&ev, keep, sz), "every pointer is inside the record");
	free(keep);

	/* Arguments not sent stay TR_V_NONE; order on the wire does not matter. */
	rb_init(&r, 257);
	rb_u64(&r, 3, 0755);
	rb_u64(&r, 0, 3);
	sz = rb_done(&r);
	ok(decode_copy(r.buf, sz, &ev, NULL) == 0 && ev.nr_args == 4 &&
	   ev.args[0].v.i == 3 && ev.args[3].v.u == 0755 && ev.args[1].kind == TR_V_NONE &&
	   ev.args[2].kind == TR_V_NONE && !strcmp(ev.args[1].name, "pathname"),
	   "missing arguments are TR_V_NONE, named from the table");

	/* Other payloads. */
	{
		uint8_t sa[16] = { 2, 0, 0x1f, 0x90, 127, 0, 0, 1 };

		rb_init(&r, 42);
		rb_u64(&r, 0, 5);
		rb_raw(&r, 1, TR_W_SOCKADDR, sa, sizeof(sa));
		rb_u64(&r, 2, 16);
		sz = rb_done(&r);
		ok(decode_copy(r.buf, sz, &ev, NULL) == 0 && ev.args[1].kind == TR_V_SOCKADDR &&
		   ev.args[1].v.raw.len == 16, "a sockaddr decodes as raw bytes");
	}
	rb_init(&r, 22);
	rb_int2(&r, 0, 3, -4);
	sz = rb_done(&r);
	ok(decode_copy(r.buf, sz, &ev, NULL) == 0 && ev.args[0].kind == TR_V_INT2 &&
	   ev.args[0].v.pair[0] == 3 && ev.args[0].v.pair[1] == -4, "an int pair decodes");
	rb_init(&r, 35);
	rb_timespec(&r, 0, 1, 500000000);
	sz = rb_done(&r);
	ok(decode_copy(r.buf, sz, &ev, NULL) == 0 && ev.args[0].kind == TR_V_TIMESPEC &&
	   ev.args[0].v.ts.sec == 1 && ev.args[0].v.ts.nsec == 500000000, "a timespec decodes");
	/* A string type sent as a raw value (the kernel could not read it): a pointer. */
	rb_init(&r, 257);
	rb_u64(&r, 1, 0x7ffc0000beefULL);
	sz = rb_done(&r);
	ok(decode_copy(r.buf, sz, &ev, NULL) == 0 && ev.args[1].kind == TR_V_PTR &&
	   ev.args[1].v.u == 0x7ffc0000beefULL, "a string argument sent as a value is a pointer");
	rb_init(&r, 1004);
	rb_u64(&r, 0, (uint64_t)-1);
	rb_u64(&r, 1, 7);
	sz = rb_done(&r);
	ok(decode_copy(r.buf, sz, &ev, NULL) == 0 && ev.args[0].kind == TR_V_INT &&
	   ev.args[0].v.i == -1 && ev.args[1].kind == TR_V_BOOL && ev.args[1].v.u == 1,
	   "long stays 64-bit signed, bool is 0/1");
	/* Padding after the record (perf buffer samples are padded to 8 bytes). */
	sz = build_openat();
	ok(decode_copy(r.buf, sz + 4, &ev, NULL) == 0, "bytes past hdr.size are ignored");
}

static void expect_bad(size_t sz, const char *what)
{
	struct tr_event ev;

	ok(decode_copy(r.buf, sz, &ev, NULL) == -EINVAL, "rejected: %s", what);
}

static void test_hostile(void)
{
	size_t sz, full, k;
	struct tr_event ev;
	int bad;
	uint32_t v;

	ok(decode_record(NULL, 200, &ev) == -EINVAL, "rejected: NULL record");
	sz = build_openat();
	ok(decode_record(r.buf, sz, NULL) == -EINVAL, "rejected: NULL event");
	expect_bad(sizeof(struct tr_record_hdr) - 1, "shorter than a header");
	expect_bad(0, "empty");

	full = build_openat();
	bad = 0;
	for (k = 0; k < full; k++) {
		void *keep = NULL;
		int ret;

		/* size still says full: must refuse every shorter buffer */
		if (decode_copy(r.buf, k, &ev, NULL) != -EINVAL)
			bad++;
		/* size says k too: a record cut short at any byte */
		rb_hdr(&r)->size = k;
		ret = decode_copy(r.buf, k, &ev, &keep);
		if (ret == 0 && (k < full || !inside(&ev, keep, k)))
			bad++;
		free(keep);
		rb_hdr(&r)->size = full;
	}
	ok(!bad, "an openat record cut at any of its %zu bytes is refused", full);

	sz = build_openat();
	rb_hdr(&r)->size = sz + 1;
	expect_bad(sz, "hdr.size larger than the buffer");
	rb_hdr(&r)->size = sizeof(struct tr_record_hdr) - 1;
	expect_bad(sz, "hdr.size smaller than a header");
	rb_hdr(&r)->size = TR_RECORD_MAX + 8;
	expect_bad(TR_RECORD_MAX + 8, "hdr.size above TR_RECORD_MAX");

	sz = build_openat();
	rb_hdr(&r)->event_id = 1999;
	expect_bad(sz, "unknown event id");
	rb_hdr(&r)->event_id = 0xffffffffu;
	expect_bad(sz, "event id 2^32-1");
	sz = build_openat();
	rb_hdr(&r)->argnum = 5;
	expect_bad(sz, "more arguments than the event has");
	rb_hdr(&r)->argnum = 255;
	expect_bad(sz, "argnum 255");

	rb_init(&r, 257);
	rb_u64(&r, 4, 1);
	expect_bad(rb_done(&r), "argument index past the event's arguments");
	rb_init(&r, 257);
	rb_u64(&r, 0, 1);
	rb_u64(&r, 0, 2);
	expect_bad(rb_done(&r), "the same argument twice");
	rb_init(&r, 257);
	rb_argh(&r, 0, TR_W_NONE);
	rb_u32(&r, 0);
	expect_bad(rb_done(&r), "tag TR_W_NONE");
	rb_init(&r, 257);
	rb_argh(&r, 0, 99);
	rb_u32(&r, 0);
	expect_bad(rb_done(&r), "unknown tag 99");

	rb_init(&r, 257);
	rb_strn(&r, 1, "abc", 3, 0);
	sz = rb_done(&r);
	v = 0x7fffffff;
	memcpy(r.buf + sizeof(struct tr_record_hdr) + 2, &v, 4);
	expect_bad(sz, "string length 2^31-1");
	v = 4;
	memcpy(r.buf + sizeof(struct tr_record_hdr) + 2, &v, 4);
	expect_bad(sz, "string length one past the end");
	v = 0xffffffffu;
	memcpy(r.buf + sizeof(struct tr_record_hdr) + 2, &v, 4);
	expect_bad(sz, "string length 0xffffffff (truncation bit + huge)");
	v = 3 | TR_LEN_TRUNC;
	memcpy(r.buf + sizeof(struct tr_record_hdr) + 2, &v, 4);
	ok(decode_copy(r.buf, sz, &ev, NULL) == 0 && ev.args[1].v.str.len == 3 &&
	   ev.args[1].v.str.trunc, "the truncation bit is not part of the length");

	{
		static const char *const argv[] = { "a", "bb", NULL };
		size_t at;

		rb_init(&r, 59);
		at = r.len + 2;
		rb_strarr(&r, 1, argv, 0);
		sz = rb_done(&r);
		v = 0x3fffffff;
		memcpy(r.buf + at, &v, 4);
		expect_bad(sz, "string array count 2^30");
		v = 3;
		memcpy(r.buf + at, &v, 4);
		expect_bad(sz, "string array count one more than there are");
		v = 2;
		memcpy(r.buf + at, &v, 4);
		v = 0xfffffffe;
		memcpy(r.buf + at + 4 + 4 + 1, &v, 4);
		expect_bad(sz, "string array entry length overflowing");
	}

	rb_init(&r, 42);
	rb_raw(&r, 1, TR_W_SOCKADDR, "\x02\x00", 2);
	sz = rb_done(&r);
	v = 1000;
	memcpy(r.buf + sizeof(struct tr_record_hdr) + 2, &v, 4);
	expect_bad(sz, "sockaddr length past the end");
	rb_init(&r, 22);
	rb_int2(&r, 0, 1, 2);
	sz = rb_done(&r);
	expect_bad(sz - 1, "int pair cut short");
	rb_init(&r, 35);
	rb_timespec(&r, 0, 1, 2);
	sz = rb_done(&r);
	rb_hdr(&r)->size = sz - 1;
	expect_bad(sz - 1, "timespec cut short");
	rb_init(&r, 257);
	rb_u64(&r, 0, 1);
	sz = rb_done(&r);
	rb_hdr(&r)->argnum = 2;
	expect_bad(sz, "argnum says more than the record holds");
}

/* Random bytes over a valid record: never a crash, never a pointer outside. */
static void test_fuzz(void)
{
	static uint8_t base[4096];
	size_t sizes[1], n;
	unsigned int seed = 12345, i, good = 0, bad = 0;
	int which;

	sizes[0] = build_openat();
	memcpy(base, r.buf, sizes[0]);
	for (i = 0; i < 200000; i++) {
		struct tr_event ev;
		uint8_t buf[4096];
		void *keep = NULL;
		int flips, f;

		which = i & 1;
		if (which == 0) {
			n = sizes[0];
			memcpy(buf, base, n);
		} else {
			n = build_execve();
			memcpy(buf, r.buf, n);
		}
		flips = 1 + rand_r(&seed) % 4;
		for (f = 0; f < flips; f++) {
			/* half in the header's size/id/argnum fields, half in the arguments */
			size_t at = rand_r(&seed) & 1 ?
				    (size_t)(32 + rand_r(&seed) % 56) :
				    sizeof(struct tr_record_hdr) +
				    rand_r(&seed) % (n - sizeof(struct tr_record_hdr));

			buf[at] = rand_r(&seed);
		}
		if (rand_r(&seed) % 8 == 0)
			n = rand_r(&seed) % (n + 1);
		if (decode_copy(buf, n, &ev, &keep) == 0) {
			good++;
			if (!inside(&ev, keep, n))
				bad++;
		}
		free(keep);
	}
	ok(!bad, "200000 mutated records: %u decoded, every one in bounds", good);
}

int main(void)
{
	test_good();
	test_hostile();
	test_fuzz();
	return done_testing();
}
