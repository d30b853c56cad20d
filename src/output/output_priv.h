/* SPDX-License-Identifier: GPL-2.0 */
/*
 * output_priv.h - the output object as the files of src/output/ share it:
 * output.c (setup, options, stats, handing events to renderers),
 * render_json.c, render_table.c, finding.c (renderers) and writer.c (the
 * write path and its thread).  Nothing outside src/output/ includes this.
 */
#ifndef TRACEE_OUTPUT_PRIV_H
#define TRACEE_OUTPUT_PRIV_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "event.h"
#include "json.h"
#include "output.h"
#include "sink.h"

#define OUT_BUF_SZ	(1024 * 1024)	/* holds the largest record rendered 6x */
#define FLUSH_AT	(256 * 1024)	/* one write() per this much */

/* A literal chunk: the copy is inlined, its size known at compile time. */
#define LIT(b, text)	obuf_put((b), text, sizeof(text) - 1)

static inline void put_qstr(struct obuf *b, const char *s, size_t len)
{
	obuf_putc(b, '"');
	json_escape(b, s, len);
	obuf_putc(b, '"');
}

/* A fixed-size kernel string (comm, uts): up to its NUL or its size. */
static inline size_t cstrn(const char *s, size_t max)
{
	return strnlen(s, max);
}

/* envp is shown only with option:exec-env, as Tracee does. */
static inline bool arg_hidden(const struct output_opts *opts, const struct tr_arg *a)
{
	return !opts->exec_env && a->name && a->name[0] == 'e' && !strcmp(a->name, "envp");
}

enum out_kind {
	OUT_TABLE,
	OUT_TABLE_VERBOSE,
	OUT_JSON,
	OUT_NONE,
	OUT_NET,	/* a network sink: JSON handed to ops (sink.h) */
};

struct writer;

struct output {
	enum out_kind kind;
	struct output_opts opts;
	char *spec;		/* as given, for messages */
	const char *path;	/* inside spec, or NULL for stdout */
	int fd;
	bool own_fd;
	struct obuf buf;
	uint64_t pending;	/* events in buf, not yet written */
	uint64_t written;	/* atomic with a writer thread */
	uint64_t failed;	/* atomic with a writer thread */
	uint64_t overflow;	/* of failed: dropped because the writer was behind */
	struct writer *w;	/* NULL: written in the caller's thread */
	const struct sink_ops *ops;	/* OUT_NET: the sink behind it */
	void *net;
	bool write_error_reported;	/* atomic: the writer thread reports too */
	bool gone;		/* atomic: the reader of a pipe went away for good */
	bool totals_set;
	uint64_t total_lost;
	uint64_t total_errors;
	int64_t hms_sec;	/* table: the second hms[] was made for */
	char hms[16];		/* "HH:MM:SS" */
};

/* render_json.c */
/*
 * Everything from '{' up to and including "parentEntityId", in Tracee's
 * order; ev may be NULL (a finding without a triggering event): zeros.
 */
void json_head(struct obuf *b, const struct tr_event *ev, int64_t event_id,
	       const char *event_name, unsigned int args_num, bool with_syscall);
/* The event's [{name, type, value}...] array, envp as opts say. */
void json_args(const struct output_opts *opts, struct json *j, const struct tr_event *ev);

/* render_table.c */
void table_header(struct output *o);
void render_table(struct output *o, const struct tr_event *ev);
/* The columns up to EVENT, for an event or a finding's triggering context. */
void table_row_head(struct output *o, const struct tr_event *ev, int64_t ret,
		    const char *event_name);
/* Text for a terminal: printable as is, the rest as C escapes (\n, \x1b). */
void table_text(struct obuf *b, const char *str, size_t len);

/* finding.c */
void render_finding_json(struct output *o, const struct tr_finding *f);
void render_finding_table(struct output *o, const struct tr_finding *f);

/* writer.c */
/* true the first time only: one report per output, whichever thread fails */
bool first_report(struct output *o);
int writer_start(struct output *o);
/* Ends the thread after what is queued; false when it is stuck in write(). */
bool writer_stop(struct output *o);
void writer_free(struct writer *w);
/* Events handed over but not yet written (and not failed). */
uint64_t writer_queued(const struct output *o);

#endif /* TRACEE_OUTPUT_PRIV_H */
