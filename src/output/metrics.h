/* SPDX-License-Identifier: GPL-2.0 */
/*
 * metrics.h - the run's counters as Prometheus text, and the reader's
 * heartbeat, published for the HTTP server's thread (server.h).
 *
 * The main loop owns every counter.  Once a second (and when it has nothing
 * else to do) it renders them into text and publishes that under a lock:
 * the server's thread only ever copies the last text out, so a scrape never
 * touches the pipeline.  The time of the last publish is the heartbeat: a
 * reader stuck (in a script, a full output, the kernel) stops publishing,
 * and the health endpoint fails.
 */
#ifndef TRACEE_METRICS_H
#define TRACEE_METRICS_H

#include <stdbool.h>
#include <stdint.h>

#include "json.h"

struct lua_engine;
struct output;
struct reader;
struct tracer;

/* What the main loop counts itself (the rest is asked of its owners). */
struct metrics_run {
	uint64_t received;
	uint64_t made;		/* by tracee itself: container lifecycle, capture_* */
	uint64_t decode_errors;
	uint64_t filtered_in_user;
	uint64_t dropped_by_scripts;
	uint64_t findings;		/* handed to the outputs, written as events are */
};

struct metrics_sources {
	const struct tracer *tracer;
	const struct reader *reader;
	struct output *const *outs;
	unsigned int nr_outs;
	const struct lua_engine *lua;	/* may be NULL */
	const struct metrics_run *run;
};

struct metrics;

struct metrics *metrics_new(const struct metrics_sources *src);
void metrics_free(struct metrics *m);

/* Main thread: render and publish now (cheap enough for once a second). */
void metrics_publish(struct metrics *m, uint64_t now_ms);

/* Any thread: the last text published, copied into out. */
void metrics_text(struct metrics *m, struct obuf *out);
/* Any thread: ms since the last publish (UINT64_MAX before the first). */
uint64_t metrics_heartbeat_age_ms(struct metrics *m, uint64_t now_ms);

#endif /* TRACEE_METRICS_H */
