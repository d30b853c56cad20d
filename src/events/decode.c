// SPDX-License-Identifier: GPL-2.0
/*
 * decode.c - raw record -> struct tr_event, in place, without allocation.
 *
 * The bytes come from the kernel, or from a file being replayed, so they are
 * treated as hostile: every length is checked against what is left of the
 * record before anything is read, and a record that does not add up is
 * rejected whole (-EINVAL) rather than shown half-decoded.
 */
#include <errno.h>
#include <string.h>
#include <time.h>

#include "decode.h"
#include "events.h"

/* How a TR_W_U64 argument of a given C type is held: kind and width. */
struct arg_info {
	uint8_t kind;	/* enum tr_val_kind */
	uint8_t bits;	/* 8, 16, 32 or 64 */
};

static struct arg_info arg_info[TR_MAX_EVENT][TR_EVENT_ARGS];
static int64_t epoch_offset_ns;
static bool initialized;

static bool type_in(const char *t, const char *const *list)
{
	for (; *list; list++)
		if (!strcmp(t, *list))
			return true;
	return false;
}

static uint8_t type_bits(const char *t)
{
	static const char *const b32[] = {
		"int", "unsigned int", "pid_t", "uid_t", "gid_t", "u32", "s32", "int32",
		"uint32", "dev_t", "mode_t", "clockid_t", "const clockid_t", "key_t",
		"key_serial_t", "mqd_t", "timer_t", "qid_t", "rwf_t", "fmode_t",
		"landlock_rule_type", NULL
	};
	static const char *const b16[] = {
		"umode_t", "u16", "s16", "short", "unsigned short", "int16", "uint16",
		"old_uid_t", "old_gid_t", NULL
	};
	static const char *const b8[] = {
		"u8", "s8", "int8", "uint8", "unsigned char", "char", NULL
	};

	if (type_in(t, b32))
		return 32;
	if (type_in(t, b16))
		return 16;
	if (type_in(t, b8))
		return 8;
	return 64;
}

static int64_t ts_diff(const struct timespec *a, const struct timespec *b)
{
	return (int64_t)(a->tv_sec - b->tv_sec) * 1000000000LL + (a->tv_nsec - b->tv_nsec);
}

static int64_t ts_ns(const struct timespec *t)
{
	return (int64_t)t->tv_sec * 1000000000LL + t->tv_nsec;
}

/*
 * epoch = monotonic + offset.  Read REALTIME bracketed by two MONOTONIC reads
 * and keep the tightest bracket of a few tries: the offset is then off by at
 * most half that bracket (well under a microsecond), and it is computed once
 * so every event of a run is shifted by the same amount (timestamps stay
 * ordered even if the wall clock is stepped while tracing).
 */
static void measure_offset(void)
{
	int64_t best = INT64_MAX;
	int i;

	for (i = 0; i < 8; i++) {
		struct timespec m1, r, m2;
		int64_t span;

		clock_gettime(CLOCK_MONOTONIC, &m1);
		clock_gettime(CLOCK_REALTIME, &r);
		clock_gettime(CLOCK_MONOTONIC, &m2);
		span = ts_diff(&m2, &m1);
		if (span < best) {
			best = span;
			epoch_offset_ns = ts_ns(&r) - (ts_ns(&m1) + span / 2);
		}
	}
}

void decode_init(void)
{
	unsigned int i, a;

	measure_offset();
	for (i = 0; i < events_nr; i++) {
		const struct tr_event_def *d = &events_table[i];

		if (d->id < 0 || d->id >= TR_MAX_EVENT || events_by_id(d->id) != d)
			continue;
		for (a = 0; a < d->nr_args && a < TR_EVENT_ARGS; a++) {
			enum tr_val_kind k = events_value_kind(d->args[a].type);

			/* Sent as a raw value (e.g. a string the kernel did not read): a pointer. */
			if (k != TR_V_INT && k != TR_V_UINT && k != TR_V_BOOL)
				k = TR_V_PTR;
			arg_info[d->id][a].kind = k;
			arg_info[d->id][a].bits = type_bits(d->args[a].type);
		}
	}
	initialized = true;
}

int64_t decode_epoch_offset_ns(void)
{
	if (!initialized)
		decode_init();
	return epoch_offset_ns;
}

static inline uint32_t rd32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static inline uint64_t rd64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static void set_u64(struct tr_arg *arg, const struct arg_info *ai, uint64_t raw)
{
	arg->kind = ai->kind;
	switch (ai->kind) {
	case TR_V_INT:
		switch (ai->bits) {
		case 8:
			arg->v.i = (int8_t)raw;
			break;
		case 16:
			arg->v.i = (int16_t)raw;
			break;
		case 32:
			arg->v.i = (int32_t)raw;
			break;
		default:
			arg->v.i = (int64_t)raw;
		}
		break;
	case TR_V_UINT:
		if (ai->bits < 64)
			raw &= (1ULL << ai->bits) - 1;
		arg->v.u = raw;
		break;
	case TR_V_BOOL:
		arg->v.u = raw != 0;
		break;
	default:
		arg->kind = TR_V_PTR;
		arg->v.u = raw;
	}
}

/* Decode one argument's payload at *pp (end is the record's end). */
static int decode_arg(struct tr_arg *arg, const struct arg_info *ai, unsigned int tag,
		      const uint8_t **pp, const uint8_t *end)
{
	const uint8_t *p = *pp;
	size_t left = end - p;
	uint32_t w, len, count, i;
	const uint8_t *q;

	switch (tag) {
	case TR_W_U64:
		if (left < 8)
			return -EINVAL;
		set_u64(arg, ai, rd64(p));
		p += 8;
		break;
	case TR_W_STR:
		if (left < 4)
			return -EINVAL;
		w = rd32(p);
		len = w & ~TR_LEN_TRUNC;
		if (len > left - 4)
			return -EINVAL;
		arg->kind = TR_V_STR;
		arg->v.str.p = (const char *)p + 4;
		arg->v.str.len = len;
		arg->v.str.trunc = w & TR_LEN_TRUNC;
		p += 4 + len;
		break;
	case TR_W_STRARR:
		if (left < 4)
			return -EINVAL;
		w = rd32(p);
		count = w & ~TR_LEN_TRUNC;
		q = p + 4;
		/* Every entry takes at least its 4-byte length. */
		if (count > (left - 4) / 4)
			return -EINVAL;
		for (i = 0; i < count; i++) {
			if ((size_t)(end - q) < 4)
				return -EINVAL;
			len = rd32(q) & ~TR_LEN_TRUNC;
			if (len > (size_t)(end - q) - 4)
				return -EINVAL;
			q += 4 + len;
		}
		arg->kind = TR_V_STRARR;
		arg->v.arr.p = p + 4;
		arg->v.arr.count = count;
		arg->v.arr.sz = q - (p + 4);
		arg->v.arr.trunc = w & TR_LEN_TRUNC;
		p = q;
		break;
	case TR_W_SOCKADDR:
	case TR_W_BYTES:
		if (left < 4)
			return -EINVAL;
		len = rd32(p);
		if (len > left - 4)
			return -EINVAL;
		arg->kind = tag == TR_W_SOCKADDR ? TR_V_SOCKADDR : TR_V_BYTES;
		arg->v.raw.p = p + 4;
		arg->v.raw.len = len;
		p += 4 + len;
		break;
	case TR_W_INT2:
		if (left < 8)
			return -EINVAL;
		memcpy(arg->v.pair, p, 8);
		arg->kind = TR_V_INT2;
		p += 8;
		break;
	case TR_W_TIMESPEC:
		if (left < 16)
			return -EINVAL;
		arg->kind = TR_V_TIMESPEC;
		arg->v.ts.sec = (int64_t)rd64(p);
		arg->v.ts.nsec = (int64_t)rd64(p + 8);
		p += 16;
		break;
	default:
		return -EINVAL;
	}
	*pp = p;
	return 0;
}

bool decode_is_capture(const void *rec, size_t sz)
{
	uint32_t event_id;

	if (!rec || sz < sizeof(struct tr_record_hdr))
		return false;
	memcpy(&event_id, (const uint8_t *)rec + offsetof(struct tr_record_hdr, event_id),
	       sizeof(event_id));
	return event_id >= TR_REC_CAPTURE_WRITE && event_id <= TR_REC_CAPTURE_MODULE;
}

int decode_record(const void *rec, size_t sz, struct tr_event *ev)
{
	const struct tr_record_hdr *hdr = rec;
	const struct tr_event_def *def;
	const uint8_t *p, *end;
	uint32_t size, event_id, seen = 0;
	uint64_t ts, start;
	unsigned int i, argnum;

	if (!rec || !ev || sz < sizeof(*hdr))
		return -EINVAL;
	if (!initialized)
		decode_init();
	/*
	 * The view reads the header and 8-byte arguments as structs: give it
	 * an aligned copy of a misaligned record (what UBSan caught on the perf
	 * buffer path).  Records longer than TR_RECORD_MAX are refused below.
	 */
	if ((uintptr_t)rec % _Alignof(struct tr_record_hdr)) {
		static _Thread_local uint64_t aligned[TR_RECORD_MAX / sizeof(uint64_t)];

		if (sz > sizeof(aligned))
			sz = sizeof(aligned);
		memcpy(aligned, rec, sz);
		rec = aligned;
		hdr = rec;
	}
	/* Fields read through memcpy: a replayed buffer need not be aligned. */
	memcpy(&size, (const uint8_t *)rec + offsetof(struct tr_record_hdr, size), sizeof(size));
	memcpy(&event_id, (const uint8_t *)rec + offsetof(struct tr_record_hdr, event_id),
	       sizeof(event_id));
	argnum = ((const uint8_t *)rec)[offsetof(struct tr_record_hdr, argnum)];
	if (size < sizeof(*hdr) || size > sz || size > TR_RECORD_MAX)
		return -EINVAL;
	def = events_by_id((int)event_id);
	if (!def || event_id >= TR_MAX_EVENT)
		return -EINVAL;
	if (argnum > def->nr_args || argnum > TR_EVENT_ARGS)
		return -EINVAL;

	ev->hdr = hdr;
	ev->def = def;
	ev->nr_args = def->nr_args;
	for (i = 0; i < def->nr_args; i++) {
		ev->args[i].name = def->args[i].name;
		ev->args[i].type = def->args[i].type;
		ev->args[i].kind = TR_V_NONE;
		ev->args[i].v.u = 0;
	}

	p = (const uint8_t *)rec + sizeof(*hdr);
	end = (const uint8_t *)rec + size;
	for (i = 0; i < argnum; i++) {
		unsigned int idx, tag;

		if (end - p < 2)
			return -EINVAL;
		idx = p[0];
		tag = p[1];
		p += 2;
		if (idx >= def->nr_args || (seen & (1u << idx)))
			return -EINVAL;
		seen |= 1u << idx;
		if (decode_arg(&ev->args[idx], &arg_info[event_id][idx], tag, &p, end))
			return -EINVAL;
	}

	memcpy(&ts, (const uint8_t *)rec + offsetof(struct tr_record_hdr, ts), sizeof(ts));
	memcpy(&start, (const uint8_t *)rec + offsetof(struct tr_record_hdr, start_time),
	       sizeof(start));
	ev->timestamp_ns = ts ? ts + epoch_offset_ns : 0;
	ev->thread_start_ns = start ? start + epoch_offset_ns : 0;
	ev->container_id = "";
	ev->container = NULL;
	ev->container_started = false;
	ev->executable = "";
	ev->leader_start_ns = 0;
	ev->parent_start_ns = 0;
	return 0;
}
