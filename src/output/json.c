// SPDX-License-Identifier: GPL-2.0
/*
 * json.c - streaming JSON writer and number formatting into a byte buffer.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "json.h"

int obuf_init(struct obuf *b, size_t cap)
{
	b->len = 0;
	b->oom = false;
	b->cap = cap ? cap : 4096;
	b->p = malloc(b->cap);
	if (!b->p) {
		b->cap = 0;
		b->oom = true;
		return -ENOMEM;
	}
	return 0;
}

void obuf_fini(struct obuf *b)
{
	if (!b)
		return;
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

bool obuf_grow(struct obuf *b, size_t n)
{
	size_t cap = b->cap ? b->cap : 4096;
	char *p;

	if (b->oom)
		return false;
	while (cap - b->len < n) {
		if (cap > SIZE_MAX / 2) {
			b->oom = true;
			return false;
		}
		cap *= 2;
	}
	p = realloc(b->p, cap);
	if (!p) {
		b->oom = true;
		return false;
	}
	b->p = p;
	b->cap = cap;
	return true;
}

void obuf_pad(struct obuf *b, size_t from, size_t width)
{
	size_t have = b->len - from;

	if (have >= width || !obuf_reserve(b, width - have))
		return;
	memset(b->p + b->len, ' ', width - have);
	b->len += width - have;
}

static const char digits2[201] =
	"00010203040506070809101112131415161718192021222324252627282930313233343536373839"
	"40414243444546474849505152535455565758596061626364656667686970717273747576777879"
	"8081828384858687888990919293949596979899";

/* Writes v's digits ending just before end; returns the first digit. */
static char *u64_digits(char *end, uint64_t v)
{
	char *p = end;

	while (v >= 100) {
		unsigned int r = v % 100;

		v /= 100;
		p -= 2;
		memcpy(p, digits2 + 2 * r, 2);
	}
	if (v >= 10) {
		p -= 2;
		memcpy(p, digits2 + 2 * v, 2);
	} else {
		*--p = '0' + v;
	}
	return p;
}

static inline unsigned int nr_digits(uint64_t v)
{
	unsigned int n = 1;

	while (v >= 10000) {
		v /= 10000;
		n += 4;
	}
	if (v >= 1000)
		return n + 3;
	if (v >= 100)
		return n + 2;
	if (v >= 10)
		return n + 1;
	return n;
}

/* Digits written in place: no temporary, no memcpy call. */
void obuf_u64(struct obuf *b, uint64_t v)
{
	unsigned int n = nr_digits(v);

	if (!obuf_reserve(b, n))
		return;
	u64_digits(b->p + b->len + n, v);
	b->len += n;
}

void obuf_i64(struct obuf *b, int64_t v)
{
	if (v < 0) {
		obuf_putc(b, '-');
		obuf_u64(b, -(uint64_t)v);
	} else {
		obuf_u64(b, v);
	}
}

void obuf_u64_pad(struct obuf *b, uint64_t v, unsigned int width)
{
	char tmp[20];
	unsigned int i;

	if (width > sizeof(tmp))
		width = sizeof(tmp);
	for (i = width; i > 0; i--) {
		tmp[i - 1] = '0' + v % 10;
		v /= 10;
	}
	obuf_put(b, tmp, width);
}

void obuf_hex(struct obuf *b, uint64_t v)
{
	static const char hex[] = "0123456789abcdef";
	char tmp[18], *p = tmp + sizeof(tmp);

	do {
		*--p = hex[v & 0xf];
		v >>= 4;
	} while (v);
	*--p = 'x';
	*--p = '0';
	obuf_put(b, p, tmp + sizeof(tmp) - p);
}

void obuf_seconds(struct obuf *b, int64_t sec, int64_t nsec)
{
	char tmp[48];
	int n;

	if (sec >= 0 && nsec >= 0 && nsec < 1000000000) {
		obuf_u64(b, (uint64_t)sec);
		if (nsec) {
			char frac[9];
			int i, last = 8;

			for (i = 8; i >= 0; i--) {
				frac[i] = '0' + nsec % 10;
				nsec /= 10;
			}
			while (last > 0 && frac[last] == '0')
				last--;
			obuf_putc(b, '.');
			obuf_put(b, frac, last + 1);
		}
		return;
	}
	/* Odd values (negative, nsec out of range): as a double, like Tracee. */
	n = snprintf(tmp, sizeof(tmp), "%.9f", (double)sec + (double)nsec / 1e9);
	if (n <= 0 || n >= (int)sizeof(tmp)) {
		obuf_putc(b, '0');
		return;
	}
	if (strchr(tmp, '.')) {
		while (n > 0 && tmp[n - 1] == '0')
			n--;
		if (n > 0 && tmp[n - 1] == '.')
			n--;
	}
	obuf_put(b, tmp, n);
}

/*
 * Byte classes for escaping: 0 passes through, 1 needs an escape, 2 starts
 * (or is part of) a multi-byte sequence that must be validated.
 */
static const uint8_t esc_class[256] = {
	[0x00 ... 0x1f] = 1,
	['"'] = 1,
	['\\'] = 1,
	[0x80 ... 0xff] = 2,
};

/* Length of the well-formed UTF-8 sequence at s (n bytes left), or 0. */
static size_t utf8_seq(const uint8_t *s, size_t n)
{
	uint8_t c = s[0];

	if (c >= 0xc2 && c <= 0xdf) {
		if (n >= 2 && (s[1] & 0xc0) == 0x80)
			return 2;
		return 0;
	}
	if (c >= 0xe0 && c <= 0xef) {
		uint8_t lo = 0x80, hi = 0xbf;

		if (c == 0xe0)
			lo = 0xa0;	/* overlong */
		else if (c == 0xed)
			hi = 0x9f;	/* surrogates */
		if (n >= 3 && s[1] >= lo && s[1] <= hi && (s[2] & 0xc0) == 0x80)
			return 3;
		return 0;
	}
	if (c >= 0xf0 && c <= 0xf4) {
		uint8_t lo = 0x80, hi = 0xbf;

		if (c == 0xf0)
			lo = 0x90;	/* overlong */
		else if (c == 0xf4)
			hi = 0x8f;	/* above U+10FFFF */
		if (n >= 4 && s[1] >= lo && s[1] <= hi && (s[2] & 0xc0) == 0x80 &&
		    (s[3] & 0xc0) == 0x80)
			return 4;
		return 0;
	}
	return 0;
}

void json_escape(struct obuf *b, const char *str, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	const uint8_t *s = (const uint8_t *)str, *end = s + len;

	/* Worst case 6 output bytes per input byte: reserve once. */
	if (len > (SIZE_MAX - 16) / 6 || !obuf_reserve(b, len * 6 + 16))
		return;
	while (s < end) {
		const uint8_t *run = s;
		char *o;

		while (s < end && !esc_class[*s])
			s++;
		if (s > run) {
			memcpy(b->p + b->len, run, s - run);
			b->len += s - run;
		}
		if (s >= end)
			break;
		o = b->p + b->len;
		if (esc_class[*s] == 1) {
			o[0] = '\\';
			switch (*s) {
			case '"': o[1] = '"'; b->len += 2; break;
			case '\\': o[1] = '\\'; b->len += 2; break;
			case '\n': o[1] = 'n'; b->len += 2; break;
			case '\r': o[1] = 'r'; b->len += 2; break;
			case '\t': o[1] = 't'; b->len += 2; break;
			case '\b': o[1] = 'b'; b->len += 2; break;
			case '\f': o[1] = 'f'; b->len += 2; break;
			default:
				memcpy(o + 1, "u00", 3);
				o[4] = hex[*s >> 4];
				o[5] = hex[*s & 0xf];
				b->len += 6;
			}
			s++;
			continue;
		}
		{
			size_t n = utf8_seq(s, end - s);

			if (n == 0) {
				memcpy(o, "\\ufffd", 6);
				b->len += 6;
				s++;
			} else if (n == 3 && s[0] == 0xe2 && s[1] == 0x80 && (s[2] == 0xa8 || s[2] == 0xa9)) {
				memcpy(o, s[2] == 0xa8 ? "\\u2028" : "\\u2029", 6);
				b->len += 6;
				s += 3;
			} else {
				memcpy(o, s, n);
				b->len += n;
				s += n;
			}
		}
	}
}

void json_init(struct json *j, struct obuf *b)
{
	j->b = b;
	j->depth = 0;
	j->has_items = 0;
	j->after_key = false;
}

void json_value_begin(struct json *j)
{
	if (j->after_key) {
		j->after_key = false;
		return;
	}
	if (j->depth) {
		uint64_t bit = 1ULL << (j->depth - 1);

		if (j->has_items & bit)
			obuf_putc(j->b, ',');
		j->has_items |= bit;
	}
}

static void json_open(struct json *j, char c)
{
	json_value_begin(j);
	obuf_putc(j->b, c);
	if (j->depth < JSON_MAX_DEPTH) {
		j->depth++;
		j->has_items &= ~(1ULL << (j->depth - 1));
	} else {
		j->b->oom = true;	/* deeper than we track: refuse to emit garbage */
	}
}

static void json_close(struct json *j, char c)
{
	obuf_putc(j->b, c);
	if (j->depth)
		j->depth--;
	j->after_key = false;
}

void json_obj_begin(struct json *j)
{
	json_open(j, '{');
}

void json_obj_end(struct json *j)
{
	json_close(j, '}');
}

void json_arr_begin(struct json *j)
{
	json_open(j, '[');
}

void json_arr_end(struct json *j)
{
	json_close(j, ']');
}

void json_key(struct json *j, const char *key)
{
	json_value_begin(j);
	obuf_putc(j->b, '"');
	json_escape(j->b, key, strlen(key));
	obuf_put(j->b, "\":", 2);
	j->after_key = true;
}

void json_key_raw(struct json *j, const char *quoted_colon, size_t len)
{
	json_value_begin(j);
	obuf_put(j->b, quoted_colon, len);
	j->after_key = true;
}

void json_str(struct json *j, const char *s, size_t len)
{
	json_value_begin(j);
	obuf_putc(j->b, '"');
	json_escape(j->b, s, len);
	obuf_putc(j->b, '"');
}

void json_cstr(struct json *j, const char *s)
{
	json_str(j, s ? s : "", s ? strlen(s) : 0);
}

void json_int(struct json *j, int64_t v)
{
	json_value_begin(j);
	obuf_i64(j->b, v);
}

void json_uint(struct json *j, uint64_t v)
{
	json_value_begin(j);
	obuf_u64(j->b, v);
}

void json_bool(struct json *j, bool v)
{
	json_value_begin(j);
	if (v)
		obuf_put(j->b, "true", 4);
	else
		obuf_put(j->b, "false", 5);
}

void json_null(struct json *j)
{
	json_value_begin(j);
	obuf_put(j->b, "null", 4);
}

void json_seconds(struct json *j, int64_t sec, int64_t nsec)
{
	json_value_begin(j);
	obuf_seconds(j->b, sec, nsec);
}

void json_raw(struct json *j, const char *text, size_t len)
{
	json_value_begin(j);
	obuf_put(j->b, text, len);
}

/* As Go marshals []byte: standard alphabet, padded. */
void obuf_base64(struct obuf *b, const uint8_t *p, size_t len)
{
	static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t i;

	if (!obuf_reserve(b, (len + 2) / 3 * 4))
		return;
	for (i = 0; i + 3 <= len; i += 3) {
		uint32_t v = p[i] << 16 | p[i + 1] << 8 | p[i + 2];
		char *o = b->p + b->len;

		o[0] = tab[v >> 18];
		o[1] = tab[(v >> 12) & 63];
		o[2] = tab[(v >> 6) & 63];
		o[3] = tab[v & 63];
		b->len += 4;
	}
	if (len - i == 1) {
		uint32_t v = p[i] << 16;
		char *o = b->p + b->len;

		o[0] = tab[v >> 18];
		o[1] = tab[(v >> 12) & 63];
		o[2] = o[3] = '=';
		b->len += 4;
	} else if (len - i == 2) {
		uint32_t v = p[i] << 16 | p[i + 1] << 8;
		char *o = b->p + b->len;

		o[0] = tab[v >> 18];
		o[1] = tab[(v >> 12) & 63];
		o[2] = tab[(v >> 6) & 63];
		o[3] = '=';
		b->len += 4;
	}
}
