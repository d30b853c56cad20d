/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sink.h - what output.c asks of a network sink (sink_syslog.c,
 * sink_webhook.c).
 *
 * render_json.c and finding.c render every event and finding once, as Tracee's JSON object,
 * and hands it over with the decoded view; the sink formats its message on
 * the caller's thread (the view is valid only there), copies it into its
 * own bounded queue (sinkq.h) and returns at once.  Its thread sends,
 * reconnects and retries; whatever it drops or gives up is counted.
 */
#ifndef TRACEE_SINK_H
#define TRACEE_SINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "event.h"

#define SINK_QUEUE_SZ	(8 * 1024 * 1024)	/* per sink: about a minute of findings */
#define SINK_DRAIN_MS	3000			/* at exit: give up after this long idle */

struct sink_msg {
	const struct tr_event *ev;	/* the event, or the finding's trigger; may be NULL */
	const struct tr_finding *f;	/* NULL for an event */
	const char *json;		/* Tracee's JSON object, no newline */
	size_t json_len;
};

struct sink_stats {
	uint64_t sent;		/* delivered to the receiver (as far as the transport tells) */
	uint64_t dropped;	/* did not fit in the queue */
	uint64_t failed;	/* taken from the queue, then given up */
	uint64_t depth;		/* waiting in the queue now */
	uint64_t reconnects;	/* connections (re)established after the first */
};

struct sink_ops {
	/* Never blocks: 0, or -ENOBUFS when dropped (counted). */
	int (*push)(void *s, const struct sink_msg *m);
	void (*stats)(void *s, struct sink_stats *st);
	/* Send what is queued, as long as that makes progress; true when all went. */
	bool (*finish)(void *s);
	/* Stops the thread (what is still queued is counted as failed) and frees. */
	void (*free)(void *s);
};

#endif /* TRACEE_SINK_H */
