/* SPDX-License-Identifier: GPL-2.0 */
/*
 * output.h - sinks for events and findings: table, table-verbose, json, none,
 * each to stdout or a file ("json:/path").  Buffered; flushed on a timer and
 * at exit.
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
};

/*
 * spec: "table", "table-verbose", "json", "none", optionally ":FILE" for a
 * file.  Files are created 0600, not following symlinks, and removed again
 * if setup fails.  NULL with a message on error.
 */
struct output *output_new(const char *spec, const struct output_opts *opts);
int output_event(struct output *o, const struct tr_event *ev);
int output_flush(struct output *o);
/* Events written, and events that could not be written (ENOSPC, EPIPE...). */
uint64_t output_written(const struct output *o);
uint64_t output_failed(const struct output *o);
/* A finding, as Tracee prints signature findings (JSON) or one table row. */
int output_finding(struct output *o, const struct tr_finding *f);
/* Table mode ends with "End of events stream"; flushes and closes. */
void output_free(struct output *o);

#endif /* TRACEE_OUTPUT_H */
