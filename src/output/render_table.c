// SPDX-License-Identifier: GPL-2.0
/*
 * render_table.c - events as rows for a terminal (table, table-verbose):
 * Tracee's columns, local time, arguments as "name: value", anything not
 * printable escaped so a crafted file name cannot drive the terminal.
 */
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "argfmt.h"
#include "decode.h"
#include "events.h"
#include "output_priv.h"

#define W_TIME		15
#define W_UID		5
#define W_COMM		15
#define W_PID		6
#define W_RET		6
#define W_EVENT		14
#define W_UTS		16
#define W_NS		10

void table_text(struct obuf *b, const char *str, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	const uint8_t *s = (const uint8_t *)str, *end = s + len;

	if (len > (SIZE_MAX - 16) / 8 || !obuf_reserve(b, len * 8 + 16))
		return;
	while (s < end) {
		char *o = b->p + b->len;
		uint8_t c = *s;

		if (c >= 0x20 && c < 0x7f && c != '\\') {
			*o = c;
			b->len++;
			s++;
			continue;
		}
		if (c >= 0x80) {
			size_t n = 0;

			if (c >= 0xc2 && c <= 0xdf && end - s >= 2 && (s[1] & 0xc0) == 0x80)
				n = c == 0xc2 && s[1] < 0xa0 ? 0 : 2;	/* C1 controls escaped */
			else if (c >= 0xe0 && c <= 0xef && end - s >= 3 && (s[1] & 0xc0) == 0x80 &&
				 (s[2] & 0xc0) == 0x80 && !(c == 0xe0 && s[1] < 0xa0) &&
				 !(c == 0xed && s[1] > 0x9f))
				n = 3;
			else if (c >= 0xf0 && c <= 0xf4 && end - s >= 4 && (s[1] & 0xc0) == 0x80 &&
				 (s[2] & 0xc0) == 0x80 && (s[3] & 0xc0) == 0x80 &&
				 !(c == 0xf0 && s[1] < 0x90) && !(c == 0xf4 && s[1] > 0x8f))
				n = 4;
			if (n) {
				memcpy(o, s, n);
				b->len += n;
				s += n;
				continue;
			}
		}
		o[0] = '\\';
		switch (c) {
		case '\\': o[1] = '\\'; b->len += 2; break;
		case '\n': o[1] = 'n'; b->len += 2; break;
		case '\t': o[1] = 't'; b->len += 2; break;
		case '\r': o[1] = 'r'; b->len += 2; break;
		default:
			o[1] = 'x';
			o[2] = hex[c >> 4];
			o[3] = hex[c & 0xf];
			b->len += 4;
		}
		s++;
	}
}

static void table_sockaddr(struct obuf *b, const uint8_t *p, uint32_t len)
{
	struct sa_view v;

	sa_parse(&v, p, len);
	obuf_puts(b, "map[sa_family:");
	obuf_puts(b, v.family);
	if (v.complete && v.fam == AF_UNIX) {
		obuf_puts(b, " sun_path:");
		if (v.abstract)
			obuf_putc(b, '@');
		table_text(b, v.path, v.path_len);
	} else if (v.complete && v.fam == AF_INET) {
		obuf_puts(b, " sin_addr:");
		obuf_puts(b, v.addr);
		obuf_puts(b, " sin_port:");
		obuf_puts(b, v.port);
	} else if (v.complete && v.fam == AF_INET6) {
		obuf_puts(b, " sin6_addr:");
		obuf_puts(b, v.addr);
		obuf_puts(b, " sin6_flowinfo:");
		obuf_puts(b, v.flow);
		obuf_puts(b, " sin6_port:");
		obuf_puts(b, v.port);
		obuf_puts(b, " sin6_scopeid:");
		obuf_puts(b, v.scope);
	}
	obuf_putc(b, ']');
}

static void table_arg(const struct output *o, struct obuf *b, const struct tr_event *ev,
		      unsigned int i)
{
	const struct tr_arg *a = &ev->args[i];
	void (*parse)(struct obuf *, uint64_t) = NULL;
	bool trunc = false;

	obuf_puts(b, a->name);
	obuf_put(b, ": ", 2);
	if (o->opts.parse_arguments && (a->kind == TR_V_INT || a->kind == TR_V_UINT ||
					a->kind == TR_V_PTR))
		parse = argfmt_of(ev, i);
	if (parse) {
		parse(b, a->v.u);
		return;
	}
	switch (a->kind) {
	case TR_V_INT:
		obuf_i64(b, a->v.i);
		break;
	case TR_V_UINT:
		obuf_u64(b, a->v.u);
		break;
	case TR_V_PTR:
		obuf_hex(b, a->v.u);
		break;
	case TR_V_BOOL:
		obuf_puts(b, a->v.u ? "true" : "false");
		break;
	case TR_V_STR:
		table_text(b, a->v.str.p, a->v.str.len);
		trunc = a->v.str.trunc;
		break;
	case TR_V_STRARR: {
		uint32_t pos = 0;
		struct tr_str s;
		bool first = true;

		obuf_putc(b, '[');
		while (decode_strarr_next(a, &pos, &s)) {
			if (!first)
				obuf_putc(b, ' ');
			first = false;
			table_text(b, s.p, s.len);
			trunc |= s.trunc;
		}
		obuf_putc(b, ']');
		trunc |= a->v.arr.trunc;
		break;
	}
	case TR_V_SOCKADDR:
		table_sockaddr(b, a->v.raw.p, a->v.raw.len);
		break;
	case TR_V_BYTES:
		table_text(b, (const char *)a->v.raw.p, a->v.raw.len);
		break;
	case TR_V_INT2:
		obuf_putc(b, '[');
		obuf_i64(b, a->v.pair[0]);
		obuf_putc(b, ' ');
		obuf_i64(b, a->v.pair[1]);
		obuf_putc(b, ']');
		break;
	case TR_V_TIMESPEC:
		obuf_seconds(b, a->v.ts.sec, a->v.ts.nsec);
		break;
	case TR_V_JSON:
		table_text(b, (const char *)a->v.raw.p, a->v.raw.len);
		break;
	default:
		obuf_putc(b, '?');
	}
	if (trunc)
		obuf_puts(b, " [truncated]");
}

/* HH:MM:SS:uuuuuu in local time; localtime_r() once per second only. */
static void table_time(struct output *o, uint64_t epoch_ns)
{
	int64_t sec = epoch_ns / 1000000000ULL;

	if (sec != o->hms_sec) {
		time_t t = sec;
		struct tm tm;

		if (localtime_r(&t, &tm))
			snprintf(o->hms, sizeof(o->hms), "%02u:%02u:%02u",
				 (unsigned int)tm.tm_hour % 100, (unsigned int)tm.tm_min % 100,
				 (unsigned int)tm.tm_sec % 100);
		else
			memcpy(o->hms, "00:00:00", 9);
		o->hms_sec = sec;
	}
	obuf_put(&o->buf, o->hms, 8);
	obuf_putc(&o->buf, ':');
	obuf_u64_pad(&o->buf, (epoch_ns % 1000000000ULL) / 1000, 6);
}

static void col_end(struct obuf *b, size_t from, size_t width)
{
	obuf_pad(b, from, width);
	obuf_putc(b, ' ');
}

void table_header(struct output *o)
{
	struct obuf *b = &o->buf;
	size_t at;

#define COL(text, w)	do { at = b->len; obuf_puts(b, text); col_end(b, at, w); } while (0)
	COL("TIME", W_TIME);
	if (o->kind == OUT_TABLE_VERBOSE) {
		COL("UTS_NAME", W_UTS);
		COL("MNT_NS", W_NS);
		COL("PID_NS", W_NS);
	}
	COL("UID", W_UID);
	COL("COMM", W_COMM);
	COL("PID", W_PID);
	COL("TID", W_PID);
	if (o->kind == OUT_TABLE_VERBOSE)
		COL("PPID", W_PID);
	COL("RET", W_RET);
	COL("EVENT", W_EVENT);
	obuf_puts(b, "ARGS\n");
#undef COL
}

void table_row_head(struct output *o, const struct tr_event *ev, int64_t ret,
		    const char *event_name)
{
	static const struct tr_record_hdr zero;
	const struct tr_record_hdr *h = ev ? ev->hdr : &zero;
	struct obuf *b = &o->buf;
	size_t at;

	table_time(o, ev ? ev->timestamp_ns : 0);
	obuf_putc(b, ' ');
	if (o->kind == OUT_TABLE_VERBOSE) {
		at = b->len;
		table_text(b, h->uts, cstrn(h->uts, TR_UTS_LEN));
		col_end(b, at, W_UTS);
		at = b->len;
		obuf_u64(b, h->mnt_ns);
		col_end(b, at, W_NS);
		at = b->len;
		obuf_u64(b, h->pid_ns);
		col_end(b, at, W_NS);
	}
	at = b->len;
	obuf_u64(b, h->uid);
	col_end(b, at, W_UID);
	at = b->len;
	table_text(b, h->comm, cstrn(h->comm, TR_COMM_LEN));
	col_end(b, at, W_COMM);
	at = b->len;
	obuf_u64(b, h->pid);
	col_end(b, at, W_PID);
	at = b->len;
	obuf_u64(b, h->tid);
	col_end(b, at, W_PID);
	if (o->kind == OUT_TABLE_VERBOSE) {
		at = b->len;
		obuf_u64(b, h->ppid);
		col_end(b, at, W_PID);
	}
	at = b->len;
	obuf_i64(b, ret);
	col_end(b, at, W_RET);
	at = b->len;
	obuf_puts(b, event_name);
	col_end(b, at, W_EVENT);
}

void render_table(struct output *o, const struct tr_event *ev)
{
	struct obuf *b = &o->buf;
	unsigned int i;
	bool first = true;

	table_row_head(o, ev, ev->hdr->retval, ev->def->name);
	for (i = 0; i < ev->nr_args; i++) {
		/* Not captured: left out of the row (JSON says null). */
		if (arg_hidden(&o->opts, &ev->args[i]) || ev->args[i].kind == TR_V_NONE)
			continue;
		if (!first)
			obuf_put(b, ", ", 2);
		first = false;
		table_arg(o, b, ev, i);
	}
	obuf_putc(b, '\n');
}
