/* SPDX-License-Identifier: GPL-2.0 */
/*
 * json.h - a small streaming JSON writer onto a growable byte buffer.
 *
 * No allocation per value: the buffer grows (realloc, doubling) only when a
 * value does not fit, and keeps its size, so a steady stream of events
 * allocates nothing.  An allocation failure latches b->oom; later writes are
 * dropped and the caller checks obuf_ok() once per document.
 *
 * Strings are escaped for any bytes, so the output is always valid JSON and
 * valid UTF-8:
 *   - '"' and '\\' are escaped; \b \f \n \r \t use their short forms, every
 *     other byte below 0x20 is written \u00XX;
 *   - well-formed UTF-8 passes through unchanged, except U+2028 and U+2029
 *     which are written \u2028 and \u2029 (safe for JavaScript readers);
 *   - every byte that is not part of a well-formed UTF-8 sequence (stray
 *     continuation bytes, overlong forms, surrogates, code points above
 *     U+10FFFF, sequences cut short) is replaced by \ufffd, one per byte.
 *     This is what Go's encoding/json (and so Tracee) does.
 */
#ifndef TRACEE_JSON_H
#define TRACEE_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct obuf {
	char *p;
	size_t len;
	size_t cap;
	bool oom;	/* an allocation failed: the content is incomplete */
};

/* Allocate cap bytes up front.  0 or -ENOMEM. */
int obuf_init(struct obuf *b, size_t cap);
void obuf_fini(struct obuf *b);
/* Make room for n more bytes; false (and b->oom) when that fails. */
bool obuf_grow(struct obuf *b, size_t n);

static inline bool obuf_reserve(struct obuf *b, size_t n)
{
	if (b->cap - b->len >= n)
		return !b->oom;
	return obuf_grow(b, n);
}

static inline bool obuf_ok(const struct obuf *b)
{
	return !b->oom;
}

static inline void obuf_put(struct obuf *b, const void *s, size_t n)
{
	if (!obuf_reserve(b, n))
		return;
	memcpy(b->p + b->len, s, n);
	b->len += n;
}

static inline void obuf_putc(struct obuf *b, char c)
{
	if (!obuf_reserve(b, 1))
		return;
	b->p[b->len++] = c;
}

static inline void obuf_puts(struct obuf *b, const char *s)
{
	obuf_put(b, s, strlen(s));
}

/* Pad with spaces to width (no-op when already wider). */
void obuf_pad(struct obuf *b, size_t from, size_t width);
void obuf_u64(struct obuf *b, uint64_t v);
void obuf_i64(struct obuf *b, int64_t v);
/* 0x-prefixed lower-case hex. */
void obuf_hex(struct obuf *b, uint64_t v);
/* Zero-padded decimal of exactly width digits (v must fit). */
void obuf_u64_pad(struct obuf *b, uint64_t v, unsigned int width);
/* sec + nsec/1e9 as a decimal number ("1.5", "2", "-0.25"). */
void obuf_seconds(struct obuf *b, int64_t sec, int64_t nsec);

/* len bytes as base64 (no quotes). */
void obuf_base64(struct obuf *b, const uint8_t *p, size_t len);

/* The body of a JSON string (no quotes) for len bytes of s: see above. */
void json_escape(struct obuf *b, const char *s, size_t len);

#define JSON_MAX_DEPTH	32

struct json {
	struct obuf *b;
	unsigned int depth;
	uint64_t has_items;	/* bit d: the container at depth d has an item */
	bool after_key;		/* a key was written: the next value takes its place */
};

void json_init(struct json *j, struct obuf *b);
void json_obj_begin(struct json *j);
void json_obj_end(struct json *j);
void json_arr_begin(struct json *j);
void json_arr_end(struct json *j);
/* A key of the current object (escaped like any string). */
void json_key(struct json *j, const char *key);
/* A key known to need no escaping: JSON_KEY(j, "timestamp"). */
void json_key_raw(struct json *j, const char *quoted_colon, size_t len);
#define JSON_KEY(j, lit)	json_key_raw((j), "\"" lit "\":", sizeof(lit) + 2)
void json_str(struct json *j, const char *s, size_t len);
/* NUL-terminated; NULL is written as "". */
void json_cstr(struct json *j, const char *s);
void json_int(struct json *j, int64_t v);
void json_uint(struct json *j, uint64_t v);
void json_bool(struct json *j, bool v);
void json_null(struct json *j);
void json_seconds(struct json *j, int64_t sec, int64_t nsec);
/*
 * Before writing a value's text by hand (obuf_* calls): the comma when the
 * container already holds an item.  The json_* value functions call it.
 */
void json_value_begin(struct json *j);
/* Already-valid JSON text as one value (trusted input only). */
void json_raw(struct json *j, const char *text, size_t len);

#endif /* TRACEE_JSON_H */
