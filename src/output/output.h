/* SPDX-License-Identifier: GPL-2.0 */
/*
 * output.h - sinks for events and findings: table, table-verbose, json, none,
 * each to stdout or a file ("json:/path").  Buffered; flushed on a timer and
 * at exit.
 *
 * JSON is Tracee's event object, one per line, same field names, order and
 * types.  Arguments not captured are null; a string or string array the
 * kernel side cut at a limit carries "truncated":true after its value;
 * invalid UTF-8 bytes are written as \ufffd (see json.h).  The program must
 * ignore SIGPIPE: a closed pipe is counted as failed writes, not death.
 */
#ifndef TRACEE_OUTPUT_H
#define TRACEE_OUTPUT_H

#include <stdbool.h>
#include <stdint.h>

#include "event.h"

struct output;

struct output_opts {
	bool parse_arguments;	/* option:parse-arguments */
	bool exec_env;		/* option:exec-env */
	bool exec_hash;		/* option:exec-hash: sched_process_exec's sha256 (src/capture/) */
	bool umask;		/* option:umask: new files 0666 less the umask, not 0600 */
	/*
	 * Write from a thread of the sink's own, through a bounded queue: a
	 * stuck destination never blocks the caller; what does not fit is
	 * counted as failed (output_overflow).  output_flush() then hands the
	 * buffer over and returns 0, or -ENOBUFS when it was dropped.
	 */
	bool writer_thread;
	/* syslog:tls:// (RFC 5425): option:syslog-ca=, -cert=, -key= (PEM files) */
	const char *syslog_ca;
	const char *syslog_cert;
	const char *syslog_key;
	/* webhook: option:webhook-timeout=SECONDS, option:webhook-batch=N */
	unsigned int webhook_timeout_s;
	unsigned int webhook_batch;
};

/* One output's counters, for the metrics (metrics.h). */
struct output_stats {
	const char *spec;	/* as given to -o */
	uint64_t written;
	uint64_t failed;	/* every event not written, whatever the cause */
	uint64_t dropped;	/* of failed: did not fit in the output's queue */
	uint64_t depth;		/* events waiting in its queue now */
	uint64_t reconnects;	/* network sinks: connections made again */
};

/*
 * An "option:NAME" word of -o into o: 1 when spec is one, 0 when it is not
 * (a sink), -EINVAL (reported) for an unknown option.
 */
int output_parse_option(struct output_opts *o, const char *spec);

/*
 * spec: "table", "table-verbose", "json", "none", optionally ":FILE" for a
 * file; or a network sink, "syslog[:...]" (sink_syslog.h) or "webhook:URL"
 * (sink_webhook.h), each with a queue and a thread of its own (JSON only).
 * Files are created 0600 (0666 less the umask with opts->umask), not
 * following symlinks, and removed again if setup fails.  NULL with a message
 * on error.
 */
struct output *output_new(const char *spec, const struct output_opts *opts);
/* spec names a network sink (syslog..., webhook:...). */
bool output_is_net(const char *spec);
int output_event(struct output *o, const struct tr_event *ev);
/*
 * ,"container":{...},"kubernetes":{...} of an event, as Tracee writes them
 * (empty members left out); the one writer of these for the sinks and e:json().
 */
struct obuf;
void output_json_container(struct obuf *b, const struct tr_event *ev);
/*
 * The one JSON rendering of an event (render_json.c), without a newline:
 * what the json sink writes, and Lua's e:json() (with exec_env set, so
 * every argument is there).
 */
void output_render_json(struct obuf *b, const struct output_opts *opts, const struct tr_event *ev);
/* The JSON value alone of ev's argument i, as output_render_json writes it. */
void output_render_arg_json(struct obuf *b, const struct output_opts *opts,
			    const struct tr_event *ev, unsigned int i);
int output_flush(struct output *o);
/*
 * Flush and, with a writer thread, wait until it has written (or failed)
 * everything handed over: after this, output_written() and output_failed()
 * account for every event.  Bounded: a destination that takes nothing for
 * a while is given up (its events counted as failed).
 */
int output_finish(struct output *o);
/* Events written, and events that could not be written (ENOSPC, EPIPE...). */
uint64_t output_written(const struct output *o);
uint64_t output_failed(const struct output *o);
/* The reader of this output's pipe went away: nothing will be written any more. */
bool output_gone(const struct output *o);
/* Of the failed: dropped because the writer thread was behind (a stuck output). */
uint64_t output_overflow(const struct output *o);
/*
 * The run's totals for the table epilogue ("Stats: {... ErrorCount LostEvCount}"):
 * decode errors and events lost before reaching this output.  Optional.
 */
void output_set_totals(struct output *o, uint64_t lost, uint64_t errors);
void output_stats(const struct output *o, struct output_stats *st);
/*
 * SIGHUP: a file output closes its file and opens the path again (created
 * anew after logrotate moved it away).  Other outputs: nothing to do.  0 or
 * -errno (reported; the output goes on writing to the file it had).
 */
int output_reopen(struct output *o);
/* A finding, as Tracee prints signature findings (JSON) or one table row. */
int output_finding(struct output *o, const struct tr_finding *f);
/*
 * A finding's data members as one JSON object {"key":value,...}, values as
 * the finding's JSON args carry them ("{}" when it has none).
 */
void finding_data_json(struct obuf *b, const struct tr_finding *f);
/* Table mode ends with "End of events stream"; flushes and closes. */
void output_free(struct output *o);

#endif /* TRACEE_OUTPUT_H */
