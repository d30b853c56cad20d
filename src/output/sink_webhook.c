// SPDX-License-Identifier: GPL-2.0
/*
 * sink_webhook.c - batches of JSON events POSTed by libcurl from a thread
 * of the sink's own.
 *
 * The caller only copies the rendered object into the queue.  The thread
 * takes up to a batch at once, builds the body ([a,b,...]) and POSTs it on
 * one reused handle (keep-alive); while a batch is retried the queue keeps
 * filling, and what does not fit is dropped and counted.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "log.h"
#include "sink_webhook.h"
#include "sinkworker.h"

#define WH_BATCH_DEFAULT	100
#define WH_BATCH_SZ		(4 * 1024 * 1024)
#define WH_TIMEOUT_DEFAULT_S	10
#define WH_BACKOFF_MIN_MS	250
#define WH_BACKOFF_MAX_MS	10000

struct sink_webhook {
	char *url;
	char *spec;
	unsigned int batch_max;
	unsigned int timeout_s;
	struct sink_worker w;		/* queue, thread, stop, counters (reconnects: retries) */
	CURL *curl;
	struct curl_slist *headers;
	char curl_err[CURL_ERROR_SIZE];
	struct obuf batch;		/* the thread's: as taken from the queue */
	struct obuf body;		/* the thread's: the JSON sent */
	bool down;			/* a failure was reported; reported again when it ends */
};

static bool stopping(struct sink_webhook *s)
{
	return sink_worker_stopping(&s->w);
}

static int webhook_push(void *p, const struct sink_msg *m)
{
	struct sink_webhook *s = p;

	return sink_worker_push(&s->w, m->json, m->json_len, "events");
}

static size_t discard(char *p, size_t sz, size_t n, void *ctx)
{
	return sz * n;
}

/* 0 delivered, -EAGAIN retry, -EPROTO give up; why says what happened. */
static int post(struct sink_webhook *s, char *why, size_t why_sz)
{
	long status = 0;
	CURLcode rc;

	curl_easy_setopt(s->curl, CURLOPT_POSTFIELDS, s->body.p);
	curl_easy_setopt(s->curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)s->body.len);
	s->curl_err[0] = '\0';
	rc = curl_easy_perform(s->curl);
	if (rc != CURLE_OK) {
		snprintf(why, why_sz, "%s", s->curl_err[0] ? s->curl_err : curl_easy_strerror(rc));
		return -EAGAIN;
	}
	curl_easy_getinfo(s->curl, CURLINFO_RESPONSE_CODE, &status);
	if (status >= 200 && status < 300)
		return 0;
	snprintf(why, why_sz, "HTTP status %ld", status);
	if (status == 408 || status == 429 || status >= 500)
		return -EAGAIN;
	return -EPROTO;
}

static void build_body(struct sink_webhook *s, int nr)
{
	const char *msg;
	size_t len, pos = 0;
	bool first = true;

	s->body.len = 0;
	if (s->batch_max > 1)
		obuf_putc(&s->body, '[');
	while (sinkq_next(&s->batch, &pos, &msg, &len)) {
		if (!first)
			obuf_putc(&s->body, ',');
		obuf_put(&s->body, msg, len);
		first = false;
	}
	if (s->batch_max > 1)
		obuf_putc(&s->body, ']');
}

/* Delivered (true) or given up (false, counted by the caller). */
static bool deliver(struct sink_webhook *s)
{
	unsigned int backoff = WH_BACKOFF_MIN_MS;
	char why[CURL_ERROR_SIZE + 64];
	int err;

	for (;;) {
		err = post(s, why, sizeof(why));
		if (!err) {
			if (s->down)
				tr_err("output %s: delivering again", s->spec);
			s->down = false;
			return true;
		}
		if (!s->down) {
			tr_err("output %s: POST failed: %s; %s", s->spec, why,
			       err == -EAGAIN ? "retrying with back-off, queueing meanwhile (what does not fit is dropped and counted)" :
			       "the receiver refuses it: the batch is counted as lost (check the URL)");
			s->down = true;
		}
		if (err != -EAGAIN || stopping(s))
			return false;
		sink_worker_count(&s->w.reconnects, 1);
		sink_worker_nap(&s->w, backoff);
		if (stopping(s))
			return false;
		backoff = backoff * 2 > WH_BACKOFF_MAX_MS ? WH_BACKOFF_MAX_MS : backoff * 2;
	}
}

static void *webhook_main(void *arg)
{
	struct sink_webhook *s = arg;
	int nr;

	for (;;) {
		nr = sinkq_take(s->w.q, &s->batch, s->batch_max, WH_BATCH_SZ, 500);
		if (nr < 0)
			break;
		if (!nr)
			continue;
		build_body(s, nr);
		if (obuf_ok(&s->body) && deliver(s)) {
			sink_worker_count(&s->w.sent, nr);
		} else {
			s->body.oom = false;
			sink_worker_count(&s->w.failed, nr);
		}
		sinkq_done(s->w.q);
	}
	return NULL;
}

static void webhook_stats(void *p, struct sink_stats *st)
{
	struct sink_webhook *s = p;

	sink_worker_stats(&s->w, st);
}

static bool webhook_finish(void *p)
{
	struct sink_webhook *s = p;

	return sink_worker_finish(&s->w, SINK_DRAIN_MS + 1000 * s->timeout_s);
}

static void webhook_free(void *p)
{
	struct sink_webhook *s = p;

	if (!s)
		return;
	sink_worker_fini(&s->w);
	curl_slist_free_all(s->headers);
	if (s->curl)
		curl_easy_cleanup(s->curl);
	obuf_fini(&s->batch);
	obuf_fini(&s->body);
	free(s->url);
	free(s->spec);
	free(s);
}

static const struct sink_ops webhook_ops = {
	.push = webhook_push,
	.stats = webhook_stats,
	.finish = webhook_finish,
	.free = webhook_free,
};

/* Progress callback: a stop interrupts a request that hangs. */
static int xfer_check(void *ctx, curl_off_t a, curl_off_t b, curl_off_t c, curl_off_t d)
{
	return stopping(ctx);
}

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static CURLcode curl_init_rc;

static void curl_init(void)
{
	curl_init_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
}

void *sink_webhook_new(const char *url, const struct output_opts *opts,
		       const struct sink_ops **ops)
{
	struct sink_webhook *s = calloc(1, sizeof(*s));
	int ret;

	if (!s)
		goto nomem;
	s->url = strdup(url);
	if (!s->url || asprintf(&s->spec, "webhook:%s", url) < 0) {
		s->spec = NULL;
		goto nomem;
	}
	s->batch_max = opts->webhook_batch ? opts->webhook_batch : WH_BATCH_DEFAULT;
	s->timeout_s = opts->webhook_timeout_s ? opts->webhook_timeout_s : WH_TIMEOUT_DEFAULT_S;
	pthread_once(&curl_once, curl_init);
	if (curl_init_rc != CURLE_OK) {
		tr_err("output webhook:%s: libcurl: %s", url, curl_easy_strerror(curl_init_rc));
		goto fail;
	}
	ret = sink_worker_init(&s->w, s->spec);
	s->curl = curl_easy_init();
	s->headers = curl_slist_append(NULL, "Content-Type: application/json");
	if (ret || !s->curl || !s->headers || obuf_init(&s->batch, 64 * 1024) ||
	    obuf_init(&s->body, 64 * 1024))
		goto nomem;
	if (curl_easy_setopt(s->curl, CURLOPT_URL, s->url) != CURLE_OK) {
		tr_err("output webhook:%s: libcurl refuses the URL (name an http or https URL)", url);
		goto fail;
	}
	curl_easy_setopt(s->curl, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(s->curl, CURLOPT_HTTPHEADER, s->headers);
	curl_easy_setopt(s->curl, CURLOPT_USERAGENT, "tracee/" PACKAGE_VERSION);
	curl_easy_setopt(s->curl, CURLOPT_TIMEOUT, (long)s->timeout_s);
	curl_easy_setopt(s->curl, CURLOPT_CONNECTTIMEOUT, (long)s->timeout_s);
	curl_easy_setopt(s->curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(s->curl, CURLOPT_ERRORBUFFER, s->curl_err);
	curl_easy_setopt(s->curl, CURLOPT_WRITEFUNCTION, discard);
	curl_easy_setopt(s->curl, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(s->curl, CURLOPT_XFERINFOFUNCTION, xfer_check);
	curl_easy_setopt(s->curl, CURLOPT_XFERINFODATA, s);
	ret = sink_worker_start(&s->w, webhook_main, s);
	if (ret) {
		tr_err("output webhook:%s: cannot start its thread: %s", url, strerror(ret));
		goto fail;
	}
	*ops = &webhook_ops;
	return s;
nomem:
	tr_err("output webhook:%s: out of memory", url);
fail:
	webhook_free(s);
	return NULL;
}
