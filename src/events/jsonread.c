// SPDX-License-Identifier: GPL-2.0
/*
 * jsonread.c - one line of recorded JSON -> struct tr_event view.
 *
 * A small pull parser over the line: strings are unescaped into an arena
 * that is reset for every line and sized from the line's length, so it can
 * never be overrun (every decoded form is no longer than its text, plus a
 * fixed allowance for socket addresses) and needs no allocation once it has
 * grown to the longest line.  Unknown members are skipped with a bounded
 * depth; anything that does not parse makes the line an error.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "events.h"
#include "jsonread.h"
#include "runtime.h"

#define READ_CHUNK	(64 * 1024)
#define KEY_MAX		64

struct jsonread {
	struct tr_record_hdr hdr;
	struct tr_event_def synth;	/* events not in this build's table */
	char *arena;
	size_t arena_cap, arena_used;
	char err[256];
	bool finding;
	/* file reading */
	int fd;
	bool own_fd, eof, skipping;
	char *buf;
	size_t buf_cap, buf_start, buf_end;
	unsigned long lineno;
	const char *name;
	/* what the recording says the runtime answered (container.*, kubernetes.*) */
	struct container_info cinfo;
};

struct jp {
	const char *p, *end, *start;
	struct jsonread *r;
};

/* ------------------------------------------------------------------ */
/* Errors and the arena                                               */

static int jp_fail(struct jp *j, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int jp_fail(struct jp *j, const char *fmt, ...)
{
	va_list ap;

	if (j->r->err[0])	/* keep the first, innermost message */
		return -EINVAL;
	va_start(ap, fmt);
	vsnprintf(j->r->err, sizeof(j->r->err), fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static char *arena_alloc(struct jsonread *r, size_t n)
{
	char *p;

	if (n > r->arena_cap - r->arena_used)
		return NULL;
	p = r->arena + r->arena_used;
	r->arena_used += n;
	return p;
}

/* ------------------------------------------------------------------ */
/* Lexing                                                             */

static inline void ws(struct jp *j)
{
	while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' || *j->p == '\r' || *j->p == '\n'))
		j->p++;
}

static inline int peek(struct jp *j)
{
	ws(j);
	return j->p < j->end ? (unsigned char)*j->p : -1;
}

static int expect(struct jp *j, char c)
{
	if (peek(j) != (unsigned char)c)
		return jp_fail(j, "expected '%c' at column %zu", c, (size_t)(j->p - j->start) + 1);
	j->p++;
	return 0;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int hex4(struct jp *j, uint32_t *out)
{
	int i, v;

	if (j->end - j->p < 4)
		return jp_fail(j, "truncated \\u escape");
	*out = 0;
	for (i = 0; i < 4; i++) {
		v = hexval((unsigned char)j->p[i]);
		if (v < 0)
			return jp_fail(j, "bad \\u escape");
		*out = *out << 4 | v;
	}
	j->p += 4;
	return 0;
}

/*
 * Decode a JSON string at j->p into dst (room for at least the string's
 * text length: decoding never grows it).  Without dst the string is only
 * validated and skipped.  *len gets the decoded length.
 */
static int jp_string_to(struct jp *j, char *dst, size_t room, size_t *len)
{
	size_t n = 0;

	if (peek(j) == -1)
		return jp_fail(j, "line ends where a string was expected (a cut line?)");
	if (peek(j) != '"')
		return jp_fail(j, "expected a string at column %zu", (size_t)(j->p - j->start) + 1);
	j->p++;
	while (j->p < j->end) {
		unsigned char c = *j->p++;
		uint32_t cp, lo;
		char tmp[4];
		size_t k, tl;

		if (c == '"') {
			if (len)
				*len = n;
			return 0;
		}
		if (c < 0x20)
			return jp_fail(j, "control character in a string");
		if (c != '\\') {
			if (dst) {
				if (n >= room)
					return jp_fail(j, "string too long");
				dst[n] = c;
			}
			n++;
			continue;
		}
		if (j->p >= j->end)
			break;
		c = *j->p++;
		tl = 1;
		switch (c) {
		case '"': case '\\': case '/': tmp[0] = c; break;
		case 'b': tmp[0] = '\b'; break;
		case 'f': tmp[0] = '\f'; break;
		case 'n': tmp[0] = '\n'; break;
		case 'r': tmp[0] = '\r'; break;
		case 't': tmp[0] = '\t'; break;
		case 'u':
			if (hex4(j, &cp))
				return -EINVAL;
			if (cp >= 0xd800 && cp < 0xdc00 && j->end - j->p >= 6 && j->p[0] == '\\' &&
			    j->p[1] == 'u') {
				j->p += 2;
				if (hex4(j, &lo))
					return -EINVAL;
				if (lo >= 0xdc00 && lo < 0xe000)
					cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
				else
					cp = 0xfffd;
			} else if (cp >= 0xd800 && cp < 0xe000) {
				cp = 0xfffd;
			}
			/* \u0000-\u00ff written by our output for raw bytes?  No: it
			 * writes invalid bytes as U+FFFD, so code points are UTF-8. */
			if (cp < 0x80) {
				tmp[0] = cp;
			} else if (cp < 0x800) {
				tmp[0] = 0xc0 | cp >> 6;
				tmp[1] = 0x80 | (cp & 0x3f);
				tl = 2;
			} else if (cp < 0x10000) {
				tmp[0] = 0xe0 | cp >> 12;
				tmp[1] = 0x80 | ((cp >> 6) & 0x3f);
				tmp[2] = 0x80 | (cp & 0x3f);
				tl = 3;
			} else {
				tmp[0] = 0xf0 | cp >> 18;
				tmp[1] = 0x80 | ((cp >> 12) & 0x3f);
				tmp[2] = 0x80 | ((cp >> 6) & 0x3f);
				tmp[3] = 0x80 | (cp & 0x3f);
				tl = 4;
			}
			break;
		default:
			return jp_fail(j, "bad escape '\\%c' in a string", c);
		}
		if (dst) {
			if (n + tl > room)
				return jp_fail(j, "string too long");
			for (k = 0; k < tl; k++)
				dst[n + k] = tmp[k];
		}
		n += tl;
	}
	return jp_fail(j, "unterminated string");
}

/* A string into the arena, NUL-terminated. */
static int jp_string(struct jp *j, const char **out, size_t *len)
{
	struct jsonread *r = j->r;
	size_t room = r->arena_cap - r->arena_used, n;
	char *dst = r->arena + r->arena_used;

	if (room < 1)
		return jp_fail(j, "line too complex");
	if (jp_string_to(j, dst, room - 1, &n))
		return -EINVAL;
	dst[n] = '\0';
	r->arena_used += n + 1;
	*out = dst;
	if (len)
		*len = n;
	return 0;
}

/* A short string (object key, address text) into buf; cut strings are flagged. */
static int jp_small(struct jp *j, char *buf, size_t size, bool *cut)
{
	const char *save;
	size_t n;

	*cut = false;
	save = j->p;
	if (jp_string_to(j, buf, size - 1, &n) == 0) {
		buf[n] = '\0';
		return 0;
	}
	/* Too long for buf: validate it, report it as cut. */
	if (strcmp(j->r->err, "string too long"))
		return -EINVAL;
	j->r->err[0] = '\0';
	j->p = save;
	if (jp_string_to(j, NULL, 0, NULL))
		return -EINVAL;
	buf[0] = '\0';
	*cut = true;
	return 0;
}

struct jnum {
	bool neg, is_float, big;	/* big: does not fit 64 bits */
	uint64_t u;
	double d;
};

static int jp_number(struct jp *j, struct jnum *n)
{
	const char *s;
	char tmp[64];
	size_t len;

	memset(n, 0, sizeof(*n));
	ws(j);
	s = j->p;
	if (j->p < j->end && *j->p == '-') {
		n->neg = true;
		j->p++;
	}
	if (j->p >= j->end || *j->p < '0' || *j->p > '9')
		return jp_fail(j, "expected a value at column %zu", (size_t)(j->p - j->start) + 1);
	while (j->p < j->end && *j->p >= '0' && *j->p <= '9') {
		unsigned d = *j->p++ - '0';

		if (n->u > (UINT64_MAX - d) / 10)
			n->big = true;
		else
			n->u = n->u * 10 + d;
	}
	if (j->p < j->end && *j->p == '.') {
		n->is_float = true;
		j->p++;
		if (j->p >= j->end || *j->p < '0' || *j->p > '9')
			return jp_fail(j, "bad number");
		while (j->p < j->end && *j->p >= '0' && *j->p <= '9')
			j->p++;
	}
	if (j->p < j->end && (*j->p == 'e' || *j->p == 'E')) {
		n->is_float = true;
		j->p++;
		if (j->p < j->end && (*j->p == '+' || *j->p == '-'))
			j->p++;
		if (j->p >= j->end || *j->p < '0' || *j->p > '9')
			return jp_fail(j, "bad number");
		while (j->p < j->end && *j->p >= '0' && *j->p <= '9')
			j->p++;
	}
	if (n->is_float || n->big) {
		len = j->p - s;
		if (len >= sizeof(tmp))
			len = sizeof(tmp) - 1;	/* digits past 63 change nothing we keep */
		memcpy(tmp, s, len);
		tmp[len] = '\0';
		n->d = strtod(tmp, NULL);
		n->is_float = true;
	}
	return 0;
}

static int jp_literal(struct jp *j, const char *lit)
{
	size_t n = strlen(lit);

	ws(j);
	if ((size_t)(j->end - j->p) < n || memcmp(j->p, lit, n))
		return jp_fail(j, "expected a value at column %zu", (size_t)(j->p - j->start) + 1);
	j->p += n;
	return 0;
}

static int jp_skip(struct jp *j, int depth);

/*
 * Walk an object: for each member call fn with the key (cut keys come as
 * "" with cut set), positioned at the value; fn must consume the value.
 */
typedef int (*member_fn)(struct jp *j, const char *key, bool cut, void *ctx, int depth);

static int jp_object(struct jp *j, int depth, member_fn fn, void *ctx)
{
	char key[KEY_MAX];
	bool cut;

	if (depth > JSONREAD_MAX_DEPTH)
		return jp_fail(j, "nested more than %d levels", JSONREAD_MAX_DEPTH);
	if (expect(j, '{'))
		return -EINVAL;
	if (peek(j) == '}') {
		j->p++;
		return 0;
	}
	for (;;) {
		if (jp_small(j, key, sizeof(key), &cut) || expect(j, ':'))
			return -EINVAL;
		if (fn(j, key, cut, ctx, depth + 1))
			return -EINVAL;
		switch (peek(j)) {
		case ',':
			j->p++;
			continue;
		case '}':
			j->p++;
			return 0;
		default:
			return jp_fail(j, "expected ',' or '}' in an object");
		}
	}
}

static int skip_member(struct jp *j, const char *key, bool cut, void *ctx, int depth)
{
	return jp_skip(j, depth);
}

static int jp_skip(struct jp *j, int depth)
{
	struct jnum n;

	if (depth > JSONREAD_MAX_DEPTH)
		return jp_fail(j, "nested more than %d levels", JSONREAD_MAX_DEPTH);
	switch (peek(j)) {
	case '"':
		return jp_string_to(j, NULL, 0, NULL);
	case '{':
		return jp_object(j, depth, skip_member, NULL);
	case '[':
		j->p++;
		if (peek(j) == ']') {
			j->p++;
			return 0;
		}
		for (;;) {
			if (jp_skip(j, depth + 1))
				return -EINVAL;
			if (peek(j) == ',') {
				j->p++;
				continue;
			}
			return expect(j, ']');
		}
	case 't':
		return jp_literal(j, "true");
	case 'f':
		return jp_literal(j, "false");
	case 'n':
		return jp_literal(j, "null");
	case -1:
		return jp_fail(j, "line ends where a value was expected");
	default:
		return jp_number(j, &n);
	}
}

static int jp_u64(struct jp *j, uint64_t *v)
{
	struct jnum n;

	if (jp_number(j, &n))
		return -EINVAL;
	if (n.is_float || n.neg)
		*v = n.is_float ? (n.d < 0 ? 0 : n.d >= 18446744073709551615.0 ? UINT64_MAX :
				  (uint64_t)n.d) : (uint64_t)-(int64_t)n.u;
	else
		*v = n.u;
	return 0;
}

static int jp_i64(struct jp *j, int64_t *v)
{
	struct jnum n;

	if (jp_number(j, &n))
		return -EINVAL;
	if (n.is_float)
		*v = n.d >= 9.2e18 ? INT64_MAX : n.d <= -9.2e18 ? INT64_MIN : (int64_t)n.d;
	else if (n.neg)
		*v = n.u > (uint64_t)INT64_MAX + 1 ? INT64_MIN : (int64_t)(0 - n.u);
	else
		*v = (int64_t)n.u;
	return 0;
}

static int jp_u32(struct jp *j, uint32_t *v)
{
	uint64_t u;

	if (jp_u64(j, &u))
		return -EINVAL;
	*v = (uint32_t)u;
	return 0;
}

static int jp_bool(struct jp *j, bool *v)
{
	switch (peek(j)) {
	case 't':
		*v = true;
		return jp_literal(j, "true");
	case 'f':
		*v = false;
		return jp_literal(j, "false");
	default:
		return jp_fail(j, "expected true or false");
	}
}

/* A string into a fixed char array (comm, uts): cut to size, not NUL-required. */
static int jp_fixed(struct jp *j, char *dst, size_t size)
{
	char buf[256];
	bool cut;
	size_t n;

	if (jp_small(j, buf, sizeof(buf), &cut))
		return -EINVAL;
	n = strlen(buf);
	memset(dst, 0, size);
	memcpy(dst, buf, n < size ? n : size);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Argument values                                                    */

static int b64val(int c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+' || c == '-')
		return 62;
	if (c == '/' || c == '_')
		return 63;
	return -1;
}

/* In place; false when s is not base64 (then it is left alone). */
static bool base64_decode(char *s, size_t len, size_t *out)
{
	uint32_t acc = 0;
	size_t i, n = 0, pad = 0;
	int bits = 0, v;

	for (i = 0; i < len; i++) {
		if (s[i] == '=') {
			pad++;
			continue;
		}
		if (pad)
			return false;
		v = b64val((unsigned char)s[i]);
		if (v < 0)
			return false;
	}
	if (pad > 2)
		return false;
	for (i = 0; i < len && s[i] != '='; i++) {
		acc = acc << 6 | b64val((unsigned char)s[i]);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			s[n++] = (acc >> bits) & 0xff;
		}
	}
	*out = n;
	return true;
}

struct sa_text {
	char family[32], path[128], addr[64], port[16], flow[16], scope[16];
	bool has_family;
};

static int sa_member(struct jp *j, const char *key, bool cut, void *ctx, int depth)
{
	struct sa_text *t = ctx;
	char *dst = NULL;
	size_t size = 0;
	bool c2;

	if (!strcmp(key, "sa_family")) {
		dst = t->family, size = sizeof(t->family);
		t->has_family = true;
	} else if (!strcmp(key, "sun_path")) {
		dst = t->path, size = sizeof(t->path);
	} else if (!strcmp(key, "sin_addr") || !strcmp(key, "sin6_addr")) {
		dst = t->addr, size = sizeof(t->addr);
	} else if (!strcmp(key, "sin_port") || !strcmp(key, "sin6_port")) {
		dst = t->port, size = sizeof(t->port);
	} else if (!strcmp(key, "sin6_flowinfo")) {
		dst = t->flow, size = sizeof(t->flow);
	} else if (!strcmp(key, "sin6_scopeid")) {
		dst = t->scope, size = sizeof(t->scope);
	}
	if (!dst || peek(j) != '"')
		return jp_skip(j, depth);
	return jp_small(j, dst, size, &c2);
}

static int family_number(const char *s)
{
	static const struct { const char *name; int v; } fams[] = {
		{ "AF_UNSPEC", AF_UNSPEC }, { "AF_UNIX", AF_UNIX }, { "AF_LOCAL", AF_UNIX },
		{ "AF_INET", AF_INET }, { "AF_INET6", AF_INET6 }, { "AF_NETLINK", AF_NETLINK },
		{ "AF_PACKET", AF_PACKET }, { "AF_VSOCK", 40 }, { "AF_BLUETOOTH", 31 },
		{ "AF_ALG", 38 }, { "AF_XDP", 44 }, { "AF_CAN", 29 },
	};
	unsigned int i;
	char *e;
	unsigned long v;

	for (i = 0; i < sizeof(fams) / sizeof(fams[0]); i++)
		if (!strcmp(s, fams[i].name))
			return fams[i].v;
	v = strtoul(s, &e, 10);
	return (*s && !*e && v < 65536) ? (int)v : AF_UNSPEC;
}

/* {"sa_family":...} back to struct sockaddr bytes, as the kernel side sends them. */
static void sa_build(struct jsonread *r, const struct sa_text *t, struct tr_arg *a)
{
	uint8_t *p = (uint8_t *)arena_alloc(r, TR_SOCKADDR_MAX);
	uint16_t fam = family_number(t->family), port;
	uint32_t u;
	size_t n;

	a->kind = TR_V_NONE;
	if (!p)
		return;
	memset(p, 0, TR_SOCKADDR_MAX);
	memcpy(p, &fam, 2);
	a->kind = TR_V_SOCKADDR;
	a->v.raw.p = p;
	a->v.raw.len = 2;
	if (fam == AF_UNIX) {
		n = strlen(t->path);
		if (t->path[0] == '@') {	/* abstract: NUL, then the name */
			if (n > sizeof(((struct sockaddr_un *)0)->sun_path))
				n = sizeof(((struct sockaddr_un *)0)->sun_path);
			memcpy(p + 3, t->path + 1, n - 1);
			a->v.raw.len = 2 + n;
		} else {
			if (n > sizeof(((struct sockaddr_un *)0)->sun_path) - 1)
				n = sizeof(((struct sockaddr_un *)0)->sun_path) - 1;
			memcpy(p + 2, t->path, n);
			a->v.raw.len = 2 + n + 1;
		}
	} else if (fam == AF_INET) {
		port = htons((uint16_t)strtoul(t->port, NULL, 10));
		memcpy(p + 2, &port, 2);
		if (inet_pton(AF_INET, t->addr, p + 4) == 1 || !t->addr[0])
			a->v.raw.len = sizeof(struct sockaddr_in);
	} else if (fam == AF_INET6) {
		port = htons((uint16_t)strtoul(t->port, NULL, 10));
		memcpy(p + 2, &port, 2);
		u = htonl((uint32_t)strtoul(t->flow, NULL, 10));
		memcpy(p + 4, &u, 4);
		u = (uint32_t)strtoul(t->scope, NULL, 10);
		memcpy(p + 24, &u, 4);
		if (inet_pton(AF_INET6, t->addr, p + 8) == 1 || !t->addr[0])
			a->v.raw.len = sizeof(struct sockaddr_in6);
	}
	r->arena_used -= TR_SOCKADDR_MAX - a->v.raw.len;	/* give back the rest */
}

/*
 * A value kept as its JSON text (TR_V_JSON): objects other than socket
 * addresses, arrays holding more than strings (hooked_proc_fops's symbols).
 * The text is copied as written, minus surrounding white space, and is
 * NUL-terminated; jsonread_walk() reads it back.
 */
static int jp_raw(struct jp *j, struct tr_arg *a, int depth)
{
	const char *from;
	size_t n;
	char *dst;

	peek(j);
	from = j->p;
	if (jp_skip(j, depth))
		return -EINVAL;
	n = j->p - from;
	dst = arena_alloc(j->r, n + 1);
	if (!dst)
		return jp_fail(j, "line too complex");
	memcpy(dst, from, n);
	dst[n] = '\0';
	a->kind = TR_V_JSON;
	a->v.raw.p = (const uint8_t *)dst;
	a->v.raw.len = (uint32_t)n;
	return 0;
}

/* jp_strarr met an element that is not a string. */
#define JP_NOT_STRARR	1

/* A string array, laid out as the decoder's: u32 len + bytes, repeated. */
static int jp_strarr(struct jp *j, struct tr_arg *a, int depth)
{
	struct jsonread *r = j->r;
	uint8_t *start = (uint8_t *)r->arena + r->arena_used;
	uint32_t count = 0;

	a->kind = TR_V_STRARR;
	a->v.arr.p = start;
	a->v.arr.trunc = false;
	j->p++;	/* '[' */
	if (peek(j) == ']') {
		j->p++;
		goto done;
	}
	for (;;) {
		if (peek(j) == '"') {
			size_t room = r->arena_cap - r->arena_used, n;
			char *hdr = r->arena + r->arena_used;
			uint32_t w;

			if (room < 4)
				return jp_fail(j, "line too complex");
			if (jp_string_to(j, hdr + 4, room - 4, &n))
				return -EINVAL;
			w = (uint32_t)n;
			memcpy(hdr, &w, 4);
			r->arena_used += 4 + n;
			count++;
		} else {
			return JP_NOT_STRARR;	/* the caller keeps it as JSON */
		}
		if (peek(j) == ',') {
			j->p++;
			continue;
		}
		if (expect(j, ']'))
			return -EINVAL;
		break;
	}
done:
	a->v.arr.count = count;
	a->v.arr.sz = (uint32_t)((uint8_t *)r->arena + r->arena_used - start);
	return 0;
}

static int jp_arg_value(struct jp *j, struct tr_arg *a, int depth)
{
	enum tr_val_kind k = a->type ? events_value_kind(a->type) : TR_V_NONE;
	struct jnum n;
	const char *s;
	size_t len, used;
	int ret;

	switch (peek(j)) {
	case '"':
		if (jp_string(j, &s, &len))
			return -EINVAL;
		if (k == TR_V_BYTES && base64_decode((char *)s, len, &len)) {
			a->kind = TR_V_BYTES;
			a->v.raw.p = (const uint8_t *)s;
			a->v.raw.len = (uint32_t)len;
		} else {
			a->kind = TR_V_STR;
			a->v.str.p = s;
			a->v.str.len = (uint32_t)len;
			a->v.str.trunc = false;
		}
		return 0;
	case 't':
	case 'f': {
		bool b;

		if (jp_bool(j, &b))
			return -EINVAL;
		a->kind = TR_V_BOOL;
		a->v.u = b;
		return 0;
	}
	case 'n':
		a->kind = TR_V_NONE;
		return jp_literal(j, "null");
	case '[': {
		const char *save = j->p;

		if (k == TR_V_INT2) {
			int64_t x, y;

			j->p++;
			if (!jp_i64(j, &x) && !expect(j, ',') && !jp_i64(j, &y) && !expect(j, ']')) {
				a->kind = TR_V_INT2;
				a->v.pair[0] = (int32_t)x;
				a->v.pair[1] = (int32_t)y;
				return 0;
			}
			j->r->err[0] = '\0';
			j->p = save;
		}
		used = j->r->arena_used;
		ret = jp_strarr(j, a, depth);
		if (ret != JP_NOT_STRARR)
			return ret;
		/* Not all strings: start again and keep the whole array as JSON. */
		j->r->arena_used = used;
		j->p = save;
		return jp_raw(j, a, depth);
	}
	case '{': {
		const char *save = j->p;
		struct sa_text t;

		memset(&t, 0, sizeof(t));
		if (jp_object(j, depth, sa_member, &t))
			return -EINVAL;
		if (t.has_family) {
			sa_build(j->r, &t, a);
			return 0;
		}
		/* Any other object (hooked_syscall's, a finding's triggeredBy): as JSON. */
		j->p = save;
		return jp_raw(j, a, depth);
	}
	default:
		if (jp_number(j, &n))
			return -EINVAL;
		if (n.is_float) {
			double sec = n.d < -9e18 ? -9e18 : n.d > 9e18 ? 9e18 : n.d;

			a->kind = TR_V_TIMESPEC;
			a->v.ts.sec = (int64_t)sec;
			a->v.ts.nsec = (int64_t)((sec - (double)a->v.ts.sec) * 1e9 + (sec < 0 ? -0.5 : 0.5));
		} else if (n.neg) {
			a->kind = TR_V_INT;
			a->v.i = n.u > (uint64_t)INT64_MAX + 1 ? INT64_MIN : (int64_t)(0 - n.u);
		} else if (k == TR_V_UINT || k == TR_V_PTR || k == TR_V_BOOL) {
			a->kind = k;
			a->v.u = n.u;
		} else if (n.u > (uint64_t)INT64_MAX) {
			a->kind = TR_V_UINT;
			a->v.u = n.u;
		} else {
			a->kind = TR_V_INT;
			a->v.i = (int64_t)n.u;
		}
		return 0;
	}
}

struct arg_ctx {
	struct tr_arg *a;
	bool trunc;
};

static int arg_member(struct jp *j, const char *key, bool cut, void *ctx, int depth)
{
	struct arg_ctx *c = ctx;

	if (!strcmp(key, "name"))
		return jp_string(j, &c->a->name, NULL);
	if (!strcmp(key, "type"))
		return jp_string(j, &c->a->type, NULL);
	if (!strcmp(key, "value"))
		return jp_arg_value(j, c->a, depth);
	if (!strcmp(key, "truncated"))
		return jp_bool(j, &c->trunc);
	return jp_skip(j, depth);
}

static int jp_args(struct jp *j, struct tr_event *ev, int depth)
{
	if (expect(j, '['))
		return -EINVAL;
	if (peek(j) == ']') {
		j->p++;
		return 0;
	}
	for (;;) {
		struct tr_arg *a;
		struct arg_ctx c;

		/* Never dropped quietly: a signature may need the last one. */
		if (ev->nr_args == TR_EVENT_ARGS_MAX)
			return jp_fail(j, "more than %d arguments in one event", TR_EVENT_ARGS_MAX);
		a = &ev->args[ev->nr_args];
		memset(a, 0, sizeof(*a));
		c = (struct arg_ctx){ .a = a };
		if (peek(j) != '{')
			return jp_fail(j, "argument %u is not an object", ev->nr_args + 1);
		if (jp_object(j, depth, arg_member, &c))
			return -EINVAL;
		if (!a->name)
			return jp_fail(j, "argument %u has no name", ev->nr_args + 1);
		if (!a->type)
			a->type = "";
		if (c.trunc && a->kind == TR_V_STR)
			a->v.str.trunc = true;
		if (c.trunc && a->kind == TR_V_STRARR)
			a->v.arr.trunc = true;
		ev->nr_args++;
		if (peek(j) == ',') {
			j->p++;
			continue;
		}
		return expect(j, ']');
	}
}

/* ------------------------------------------------------------------ */
/* The event object                                                   */

enum top_field {
	T_TIMESTAMP, T_THREADSTART, T_CPU, T_PID, T_CGROUP, T_TID, T_PPID, T_HPID, T_HTID,
	T_HPPID, T_UID, T_MNTNS, T_PIDNS, T_COMM, T_EXECUTABLE, T_HOSTNAME, T_CONTAINERID,
	T_CONTAINER, T_KUBERNETES, T_EVENTID, T_EVENTNAME, T_RETVAL, T_SYSCALL, T_CTXFLAGS, T_ARGS,
	T_METADATA, T_NR
};

/* In the order the output writes them: the next one is tried first. */
static const char *const top_names[T_NR] = {
	[T_TIMESTAMP] = "timestamp", [T_THREADSTART] = "threadStartTime",
	[T_CPU] = "processorId", [T_PID] = "processId", [T_CGROUP] = "cgroupId",
	[T_TID] = "threadId", [T_PPID] = "parentProcessId", [T_HPID] = "hostProcessId",
	[T_HTID] = "hostThreadId", [T_HPPID] = "hostParentProcessId", [T_UID] = "userId",
	[T_MNTNS] = "mountNamespace", [T_PIDNS] = "pidNamespace", [T_COMM] = "processName",
	[T_EXECUTABLE] = "executable", [T_HOSTNAME] = "hostName",
	[T_CONTAINERID] = "containerId", [T_CONTAINER] = "container",
	[T_KUBERNETES] = "kubernetes", [T_EVENTID] = "eventId",
	[T_EVENTNAME] = "eventName", [T_RETVAL] = "returnValue", [T_SYSCALL] = "syscall",
	[T_CTXFLAGS] = "contextFlags", [T_ARGS] = "args", [T_METADATA] = "metadata",
};

struct top_ctx {
	struct tr_event *ev;
	unsigned int next;
	const char *name;		/* eventName */
	int64_t event_id;
	bool have_id;
	const char *syscall;		/* name, or NULL */
	int64_t syscall_nr;
	const char *cid, *cid2;		/* containerId, container.id */
	bool compat;
	bool started, have_started;	/* contextFlags.containerStarted */
	bool have_info;			/* container.name/image/..., kubernetes.* */
};

static int exe_member(struct jp *j, const char *key, bool cut, void *ctx, int depth)
{
	struct tr_event *ev = ctx;

	if (!strcmp(key, "path") && peek(j) == '"')
		return jp_string(j, &ev->executable, NULL);
	return jp_skip(j, depth);
}

/*
 * Tracee's runtime enrichment, as recorded: the replayed event carries it
 * as a live one carries the runtime's answer (findings name the container,
 * tracee.except{image=} matches).
 */
static int container_member(struct jp *j, const char *key, bool cut, void *ctx, int depth)
{
	struct top_ctx *t = ctx;
	struct container_info *ci = &j->r->cinfo;

	if (peek(j) != '"')
		return jp_skip(j, depth);
	if (!strcmp(key, "id"))
		return jp_string(j, &t->cid2, NULL);
	t->have_info = true;
	if (!strcmp(key, "name"))
		return jp_fixed(j, ci->name, sizeof(ci->name));
	if (!strcmp(key, "image"))
		return jp_fixed(j, ci->image, sizeof(ci->image));
	if (!strcmp(key, "imageDigest"))
		return jp_fixed(j, ci->image_digest, sizeof(ci->image_digest));
	return jp_skip(j, depth);
}

static int kubernetes_member(struct jp *j, const char *key, bool cut, void *ctx, int depth)
{
	struct top_ctx *t = ctx;
	struct container_info *ci = &j->r->cinfo;

	if (!strcmp(key, "podSandbox") && (peek(j) == 't' || peek(j) == 'f')) {
		t->have_info = true;
		return jp_bool(j, &ci->pod_sandbox);
	}
	if (peek(j) != '"')
		return jp_skip(j, depth);
	t->have_info = true;
	if (!strcmp(key, "podName"))
		return jp_fixed(j, ci->pod_name, sizeof(ci->pod_name));
	if (!strcmp(key, "podNamespace"))
		return jp_fixed(j, ci->pod_namespace, sizeof(ci->pod_namespace));
	if (!strcmp(key, "podUID"))
		return jp_fixed(j, ci->pod_uid, sizeof(ci->pod_uid));
	return jp_skip(j, depth);
}

static int flags_member(struct jp *j, const char *key, bool cut, void *ctx, int depth)
{
	struct top_ctx *t = ctx;

	if (!strcmp(key, "isCompat") && (peek(j) == 't' || peek(j) == 'f'))
		return jp_bool(j, &t->compat);
	if (!strcmp(key, "containerStarted") && (peek(j) == 't' || peek(j) == 'f')) {
		t->have_started = true;
		return jp_bool(j, &t->started);
	}
	return jp_skip(j, depth);
}

/*
 * Tracee releases before the nested container object wrote the runtime's
 * answer flat: containerImage, containerName, podName, podNamespace, podUID.
 */
static int flat_member(struct jp *j, const char *key, struct top_ctx *t, int depth)
{
	static const char *const flat[][3] = {
		{ "containerImage", "c", "image" }, { "containerName", "c", "name" },
		{ "podName", "k", "podName" }, { "podNamespace", "k", "podNamespace" },
		{ "podUID", "k", "podUID" },
	};
	unsigned int i;

	for (i = 0; i < sizeof(flat) / sizeof(flat[0]); i++)
		if (!strcmp(key, flat[i][0]))
			return flat[i][1][0] == 'c' ?
			       container_member(j, flat[i][2], false, t, depth) :
			       kubernetes_member(j, flat[i][2], false, t, depth);
	return jp_skip(j, depth);
}

static int top_member(struct jp *j, const char *key, bool cut, void *ctx, int depth)
{
	struct top_ctx *t = ctx;
	struct tr_event *ev = t->ev;
	struct tr_record_hdr *h = &j->r->hdr;
	unsigned int f, i;
	uint32_t v32;

	if (cut)
		return jp_skip(j, depth);
	f = t->next < T_NR && !strcmp(key, top_names[t->next]) ? t->next : T_NR;
	for (i = 0; f == T_NR && i < T_NR; i++)
		if (!strcmp(key, top_names[i]))
			f = i;
	if (f == T_NR)
		return flat_member(j, key, t, depth);
	t->next = f + 1;
	/* null stands for "not known" anywhere in the header */
	if (peek(j) == 'n')
		return jp_literal(j, "null");
	switch (f) {
	case T_TIMESTAMP:
		if (jp_u64(j, &ev->timestamp_ns))
			return -EINVAL;
		h->ts = ev->timestamp_ns;
		return 0;
	case T_THREADSTART:
		if (jp_u64(j, &ev->thread_start_ns))
			return -EINVAL;
		h->start_time = ev->thread_start_ns;
		return 0;
	case T_CPU:
		if (jp_u32(j, &v32))
			return -EINVAL;
		h->cpu = (uint16_t)v32;
		return 0;
	case T_PID: return jp_u32(j, &h->pid);
	case T_CGROUP: return jp_u64(j, (uint64_t *)&h->cgroup_id);
	case T_TID: return jp_u32(j, &h->tid);
	case T_PPID: return jp_u32(j, &h->ppid);
	case T_HPID: return jp_u32(j, &h->host_pid);
	case T_HTID: return jp_u32(j, &h->host_tid);
	case T_HPPID: return jp_u32(j, &h->host_ppid);
	case T_UID: return jp_u32(j, &h->uid);
	case T_MNTNS: return jp_u32(j, &h->mnt_ns);
	case T_PIDNS: return jp_u32(j, &h->pid_ns);
	case T_COMM: return jp_fixed(j, h->comm, sizeof(h->comm));
	case T_HOSTNAME: return jp_fixed(j, h->uts, sizeof(h->uts));
	case T_EXECUTABLE:
		if (peek(j) == '"')	/* a flat string in some producers */
			return jp_string(j, &ev->executable, NULL);
		if (peek(j) != '{')
			return jp_skip(j, depth);
		return jp_object(j, depth, exe_member, ev);
	case T_CONTAINERID:
		return peek(j) == '"' ? jp_string(j, &t->cid, NULL) : jp_skip(j, depth);
	case T_CONTAINER:
		return peek(j) == '{' ? jp_object(j, depth, container_member, t) : jp_skip(j, depth);
	case T_KUBERNETES:
		return peek(j) == '{' ? jp_object(j, depth, kubernetes_member, t) : jp_skip(j, depth);
	case T_EVENTID:
		t->have_id = true;
		if (peek(j) == '"') {
			char buf[32], *e;
			bool c2;

			if (jp_small(j, buf, sizeof(buf), &c2))
				return -EINVAL;
			t->event_id = strtoll(buf, &e, 10);
			if (c2 || !buf[0] || *e)
				t->have_id = false;
			return 0;
		}
		return jp_i64(j, &t->event_id);
	case T_EVENTNAME:
		return jp_string(j, &t->name, NULL);
	case T_RETVAL:
		return jp_i64(j, (int64_t *)&h->retval);
	case T_SYSCALL:
		if (peek(j) == '"')
			return jp_string(j, &t->syscall, NULL);
		return jp_i64(j, &t->syscall_nr);
	case T_CTXFLAGS:
		return peek(j) == '{' ? jp_object(j, depth, flags_member, t) : jp_skip(j, depth);
	case T_ARGS:
		return jp_args(j, ev, depth);
	case T_METADATA:
		j->r->finding = true;
		return jp_skip(j, depth);
	}
	return jp_skip(j, depth);
}

static const char *container_id_of(const char *s)
{
	size_t n;

	if (!s)
		return NULL;
	n = strlen(s);
	if (n > 64)
		((char *)s)[64] = '\0';	/* arena copy: ids are at most 64 hex chars */
	return s;
}

int jsonread_parse(struct jsonread *r, const char *line, size_t len, struct tr_event *ev)
{
	struct jp j = { .p = line, .end = line + len, .start = line, .r = r };
	struct top_ctx t = { .ev = ev, .syscall_nr = -1 };
	const struct tr_event_def *def;
	size_t need;
	int c;

	r->err[0] = '\0';
	r->finding = false;
	if (len > JSONREAD_MAX_LINE) {
		snprintf(r->err, sizeof(r->err), "line longer than %zu bytes", JSONREAD_MAX_LINE);
		return -EINVAL;
	}
	c = peek(&j);
	if (c == -1)
		return JSONREAD_BLANK;
	/* Decoded text never outgrows its source; string arrays add 4 bytes per
	 * entry (at least 3 bytes of text each), values kept as JSON a NUL (at
	 * least 2 bytes of text), addresses a fixed amount. */
	need = 2 * len + TR_EVENT_ARGS_MAX * TR_SOCKADDR_MAX + 64;
	if (need > r->arena_cap) {
		char *n = realloc(r->arena, need);

		if (!n) {
			snprintf(r->err, sizeof(r->err), "out of memory for a %zu-byte line", len);
			return -EINVAL;
		}
		r->arena = n;
		r->arena_cap = need;
	}
	r->arena_used = 0;
	memset(&r->hdr, 0, sizeof(r->hdr));
	memset(ev, 0, offsetof(struct tr_event, args));
	ev->container_id = NULL;
	ev->container = NULL;
	ev->container_started = false;
	memset(&r->cinfo, 0, sizeof(r->cinfo));
	ev->executable = NULL;
	ev->leader_start_ns = 0;
	ev->parent_start_ns = 0;
	r->hdr.syscall = -1;
	if (c != '{') {
		snprintf(r->err, sizeof(r->err), "not a JSON object (record events with -o json)");
		return -EINVAL;
	}
	if (jp_object(&j, 0, top_member, &t))
		return -EINVAL;
	if (peek(&j) != -1)
		return jp_fail(&j, "text after the event object");
	if (!t.name || !t.name[0])
		return jp_fail(&j, "no eventName");

	def = events_by_name(t.name);
	if (!def) {
		/* Unknown here (another build, a finding): dispatched by name. */
		memset(&r->synth, 0, sizeof(r->synth));
		r->synth.name = t.name;
		r->synth.sets = "";
		r->synth.hook = "";
		r->synth.id = -1;
		if (t.have_id && t.event_id >= INT32_MIN && t.event_id <= INT32_MAX &&
		    !events_by_id((int)t.event_id))
			r->synth.id = (int)t.event_id;
		def = &r->synth;
	}
	ev->def = def;
	ev->hdr = &r->hdr;
	r->hdr.event_id = (uint32_t)def->id;
	r->hdr.size = sizeof(r->hdr);
	r->hdr.argnum = (uint8_t)ev->nr_args;
	if (t.compat)
		r->hdr.flags |= TR_F_COMPAT;
	if (t.syscall && t.syscall[0]) {
		const struct tr_event_def *sd = events_by_name(t.syscall);

		if (sd && sd->id >= 0 && sd->id < TR_MAX_SYSCALL)
			r->hdr.syscall = sd->id;
	} else if (t.syscall_nr >= 0 && t.syscall_nr < TR_MAX_SYSCALL) {
		r->hdr.syscall = (int32_t)t.syscall_nr;
	}
	if (r->hdr.syscall < 0 && def->id >= 0 && def->id < TR_MAX_SYSCALL)
		r->hdr.syscall = def->id;
	ev->container_id = container_id_of(t.cid && t.cid[0] ? t.cid : t.cid2);
	if (!ev->container_id)
		ev->container_id = "";
	/* As recorded; a recording without the flag: a container is a started one. */
	ev->container_started = ev->container_id[0] && (t.have_started ? t.started : true);
	if (!ev->executable)
		ev->executable = "";
	if (t.have_info && ev->container_id[0]) {
		snprintf(r->cinfo.id, sizeof(r->cinfo.id), "%s", ev->container_id);
		ev->container = &r->cinfo;
	}
	return r->finding ? JSONREAD_FINDING : JSONREAD_EVENT;
}

const char *jsonread_error(const struct jsonread *r)
{
	return r->err;
}

/* ------------------------------------------------------------------ */
/* Walking a value kept as JSON                                       */

struct walk {
	jsonread_walk_fn fn;
	void *ctx;
};

static int walk_value(struct jp *j, struct walk *w, int depth)
{
	struct jsonread_tok t = { 0 };
	struct jnum n;

	if (depth > JSONREAD_MAX_DEPTH)
		return jp_fail(j, "nested more than %d levels", JSONREAD_MAX_DEPTH);
	j->r->arena_used = 0;	/* the callback has taken the previous string */
	switch (peek(j)) {
	case '"':
		t.type = JSONREAD_T_STR;
		if (jp_string(j, &t.s, &t.len))
			return -EINVAL;
		break;
	case '{':
		/* Keys through the arena, not jp_object's bounded buffer: any key
		 * jp_skip accepted when the line was read is walked here too. */
		t.type = JSONREAD_T_OBJ;
		if (w->fn(w->ctx, &t))
			return -EINVAL;
		j->p++;
		if (peek(j) != '}') {
			for (;;) {
				struct jsonread_tok k = { .type = JSONREAD_T_KEY };

				j->r->arena_used = 0;
				if (jp_string(j, &k.s, &k.len) || expect(j, ':') ||
				    w->fn(w->ctx, &k) || walk_value(j, w, depth + 1))
					return -EINVAL;
				if (peek(j) != ',')
					break;
				j->p++;
			}
		}
		if (expect(j, '}'))
			return -EINVAL;
		t.type = JSONREAD_T_END;
		break;
	case '[':
		t.type = JSONREAD_T_ARR;
		if (w->fn(w->ctx, &t))
			return -EINVAL;
		j->p++;
		if (peek(j) != ']') {
			for (;;) {
				if (walk_value(j, w, depth + 1))
					return -EINVAL;
				if (peek(j) != ',')
					break;
				j->p++;
			}
		}
		if (expect(j, ']'))
			return -EINVAL;
		t.type = JSONREAD_T_END;
		break;
	case 't':
	case 'f':
		t.type = JSONREAD_T_BOOL;
		if (jp_bool(j, &t.b))
			return -EINVAL;
		break;
	case 'n':
		t.type = JSONREAD_T_NULL;
		if (jp_literal(j, "null"))
			return -EINVAL;
		break;
	default:
		if (jp_number(j, &n))
			return -EINVAL;
		if (n.is_float) {
			t.type = JSONREAD_T_FLOAT;
			t.d = n.d;
		} else if (n.neg && n.u > (uint64_t)INT64_MAX + 1) {
			t.type = JSONREAD_T_FLOAT;
			t.d = -(double)n.u;
		} else if (n.neg) {
			t.type = JSONREAD_T_INT;
			t.i = (int64_t)(0 - n.u);
		} else if (n.u > (uint64_t)INT64_MAX) {
			t.type = JSONREAD_T_UINT;
			t.u = n.u;
		} else {
			t.type = JSONREAD_T_INT;
			t.i = (int64_t)n.u;
		}
	}
	return w->fn(w->ctx, &t) ? -EINVAL : 0;
}

int jsonread_walk(const char *text, size_t len, char *scratch, jsonread_walk_fn fn, void *ctx,
		  char *err, size_t err_sz)
{
	struct jsonread r = { .arena = scratch, .arena_cap = len + 1 };
	struct jp j = { .p = text, .end = text + len, .start = text, .r = &r };
	struct walk w = { .fn = fn, .ctx = ctx };
	int ret;

	ret = walk_value(&j, &w, 0);
	if (!ret && peek(&j) != -1)
		ret = jp_fail(&j, "text after the value");
	if (ret && err_sz)
		snprintf(err, err_sz, "%s", r.err[0] ? r.err : "stopped by the caller");
	return ret;
}

/* ------------------------------------------------------------------ */
/* Files                                                              */

struct jsonread *jsonread_new(void)
{
	struct jsonread *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	r->fd = -1;
	return r;
}

void jsonread_free(struct jsonread *r)
{
	if (!r)
		return;
	if (r->own_fd && r->fd >= 0)
		close(r->fd);
	free(r->buf);
	free(r->arena);
	free(r);
}

int jsonread_open(struct jsonread *r, const char *path)
{
	int fd;

	if (r->own_fd && r->fd >= 0)
		close(r->fd);
	r->fd = -1;
	r->own_fd = false;
	r->eof = r->skipping = false;
	r->buf_start = r->buf_end = 0;
	r->lineno = 0;
	r->err[0] = '\0';
	if (!strcmp(path, "-")) {
		r->name = "<stdin>";
		r->fd = STDIN_FILENO;
		return 0;
	}
	r->name = path;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		int err = errno;

		snprintf(r->err, sizeof(r->err), "%s: %s (give a file recorded with -o json:FILE, or - for stdin)",
			 path, strerror(err));
		return -err;
	}
	r->fd = fd;
	r->own_fd = true;
	return 0;
}

const char *jsonread_name(const struct jsonread *r)
{
	return r->name ? r->name : "";
}

unsigned long jsonread_lineno(const struct jsonread *r)
{
	return r->lineno;
}

/* More bytes into the buffer; false at end of file or on error (r->err set). */
static bool fill(struct jsonread *r)
{
	ssize_t n;

	if (r->eof)
		return false;
	if (r->buf_start) {
		memmove(r->buf, r->buf + r->buf_start, r->buf_end - r->buf_start);
		r->buf_end -= r->buf_start;
		r->buf_start = 0;
	}
	if (r->buf_cap - r->buf_end < READ_CHUNK) {
		size_t cap = r->buf_cap ? r->buf_cap * 2 : 4 * READ_CHUNK;
		char *b;

		if (cap > JSONREAD_MAX_LINE + 2 * READ_CHUNK)
			cap = JSONREAD_MAX_LINE + 2 * READ_CHUNK;
		if (cap > r->buf_cap) {
			b = realloc(r->buf, cap);
			if (!b) {
				snprintf(r->err, sizeof(r->err), "out of memory reading %s", r->name);
				r->eof = true;
				return false;
			}
			r->buf = b;
			r->buf_cap = cap;
		}
	}
	do {
		n = read(r->fd, r->buf + r->buf_end, r->buf_cap - r->buf_end);
	} while (n < 0 && errno == EINTR);
	if (n < 0) {
		snprintf(r->err, sizeof(r->err), "read error: %s", strerror(errno));
		r->eof = true;
		return false;
	}
	if (n == 0) {
		r->eof = true;
		return false;
	}
	r->buf_end += n;
	return true;
}

int jsonread_next(struct jsonread *r, struct tr_event *ev)
{
	for (;;) {
		char *s, *nl;
		size_t len;
		bool complete = true;
		int ret;

		if (r->fd < 0)
			return JSONREAD_EOF;
		s = r->buf + r->buf_start;
		nl = r->buf_end > r->buf_start ? memchr(s, '\n', r->buf_end - r->buf_start) : NULL;
		if (!nl) {
			size_t have = r->buf_end - r->buf_start;

			if (have > JSONREAD_MAX_LINE) {
				/* Too long: drop what we have, skip to its end, report once. */
				r->buf_start = r->buf_end = 0;
				if (!r->skipping) {
					r->skipping = true;
					r->lineno++;
					snprintf(r->err, sizeof(r->err), "line longer than %zu bytes",
						 JSONREAD_MAX_LINE);
					return -EINVAL;
				}
				continue;
			}
			r->err[0] = '\0';
			if (fill(r))
				continue;
			if (r->err[0])
				return -EIO;
			if (!have)
				return JSONREAD_EOF;
			complete = false;	/* last line without a newline */
			len = have;
		} else {
			len = nl - s;
		}
		r->buf_start += len + (complete ? 1 : 0);
		if (r->skipping) {
			r->skipping = false;
			continue;
		}
		r->lineno++;
		if (len && s[len - 1] == '\r')
			len--;
		ret = jsonread_parse(r, s, len, ev);
		if (ret == JSONREAD_BLANK)
			continue;
		return ret;
	}
}
