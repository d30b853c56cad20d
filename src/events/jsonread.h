/* SPDX-License-Identifier: GPL-2.0 */
/*
 * jsonread.h - recorded JSON events (tracee -o json, or the original
 * Tracee's schema: same field names, argument values typed by "type") read
 * back into struct tr_event views, for `tracee analyze` and the Lua module.
 *
 * One reader parses one line at a time.  The view it fills points into the
 * reader (a synthesized struct tr_record_hdr, an arena reset per line): no
 * allocation per event once the arena has grown to the longest line, and
 * the view is valid until the next line is read.
 *
 * Timestamps in a recording are epoch ns already: the synthesized header
 * carries them unchanged in ts/start_time (one clock per file, which is all
 * the process tree needs), and timestamp_ns/thread_start_ns repeat them.
 *
 * The input is treated as hostile: every length and nesting depth is
 * bounded, a malformed line is an error with a message, never a crash.
 */
#ifndef TRACEE_JSONREAD_H
#define TRACEE_JSONREAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "event.h"

#define JSONREAD_MAX_LINE	((size_t)8 << 20)	/* longer lines are refused */
#define JSONREAD_MAX_DEPTH	32

/* What a line held (jsonread_parse/jsonread_next results >= 0). */
enum jsonread_kind {
	JSONREAD_EOF = 0,	/* jsonread_next: no more lines */
	JSONREAD_EVENT = 1,	/* an event: ev is filled */
	JSONREAD_FINDING = 2,	/* a finding (has "metadata"): ev is filled too */
	JSONREAD_BLANK = 3,	/* jsonread_parse: nothing but white space */
};

struct jsonread;

/* NULL with errno set (ENOMEM). */
struct jsonread *jsonread_new(void);
/* Closes what jsonread_open opened.  NULL-safe. */
void jsonread_free(struct jsonread *r);

/*
 * Parse one line (len bytes, no newline needed) into ev.  Returns a
 * JSONREAD_* kind, or -EINVAL with jsonread_error() saying why.
 */
int jsonread_parse(struct jsonread *r, const char *line, size_t len, struct tr_event *ev);
/* The last parse or read error, "" when none. */
const char *jsonread_error(const struct jsonread *r);

/*
 * Reading a file line by line: path "-" is stdin.  jsonread_open returns 0
 * or -errno (jsonread_error() names the file and the fix).  jsonread_next
 * returns JSONREAD_EVENT/FINDING, JSONREAD_EOF, -EINVAL for a malformed
 * line (skipped; see jsonread_error and jsonread_lineno), or -EIO when the
 * file cannot be read any further.  Blank lines are skipped.
 */
int jsonread_open(struct jsonread *r, const char *path);
int jsonread_next(struct jsonread *r, struct tr_event *ev);
/* Line number of the line last returned (1-based). */
unsigned long jsonread_lineno(const struct jsonread *r);
/* The name given to jsonread_open ("-" reads as "<stdin>"). */
const char *jsonread_name(const struct jsonread *r);

/*
 * Values an event keeps as JSON text (TR_V_JSON: objects and arrays that
 * are neither socket addresses nor string lists) are read back with
 * jsonread_walk, which calls fn for every token in document order:
 * OBJ/ARR open a container, END closes the innermost one, KEY precedes
 * each member's value.  Strings (s, len) are unescaped into scratch, which
 * must hold len + 1 bytes, and are valid only during the call.  fn returns
 * non-zero to stop.  0, or -EINVAL with the reason in err.
 */
enum jsonread_tok_type {
	JSONREAD_T_OBJ, JSONREAD_T_ARR, JSONREAD_T_END, JSONREAD_T_KEY, JSONREAD_T_STR,
	JSONREAD_T_INT, JSONREAD_T_UINT, JSONREAD_T_FLOAT, JSONREAD_T_BOOL, JSONREAD_T_NULL,
};

struct jsonread_tok {
	enum jsonread_tok_type type;
	const char *s;		/* KEY, STR */
	size_t len;
	int64_t i;		/* INT */
	uint64_t u;		/* UINT: above INT64_MAX */
	double d;		/* FLOAT */
	bool b;			/* BOOL */
};

typedef int (*jsonread_walk_fn)(void *ctx, const struct jsonread_tok *t);

int jsonread_walk(const char *text, size_t len, char *scratch, jsonread_walk_fn fn, void *ctx,
		  char *err, size_t err_sz);

#endif /* TRACEE_JSONREAD_H */
