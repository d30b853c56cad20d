/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sink_webhook.h - -o webhook:URL: findings and events POSTed as JSON to an
 * http or https URL through libcurl.
 *
 * The body is a JSON array of Tracee's event objects, up to
 * option:webhook-batch=N (default 100) per request; with N = 1 it is the
 * single object, as Tracee's webhook posts it.  Content-Type is
 * application/json.  A 2xx answer delivers the batch; a transport error, a
 * timeout (option:webhook-timeout=SECONDS, default 10), 408, 429 or a 5xx is
 * retried with back-off (250 ms doubling to 10 s) until it goes through;
 * any other answer gives the batch up (counted).
 */
#ifndef TRACEE_SINK_WEBHOOK_H
#define TRACEE_SINK_WEBHOOK_H

#include "output.h"
#include "sink.h"

/* url: what follows "webhook:".  Starts the sink's thread; NULL with a message. */
void *sink_webhook_new(const char *url, const struct output_opts *opts,
		       const struct sink_ops **ops);

#endif /* TRACEE_SINK_WEBHOOK_H */
