// SPDX-License-Identifier: GPL-2.0
/*
 * metrics.c - Prometheus text exposition format (version 0.0.4) of the
 * run's counters: every event ends as written, filtered or lost, by cause.
 *
 * Names follow Prometheus' conventions: tracee_ prefix, _total for
 * counters, base units (seconds).  Label values are escaped (\\, \", \n).
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loader.h"
#include "lua_engine.h"
#include "metrics.h"
#include "output.h"
#include "reader.h"


struct metrics {
	struct metrics_sources src;
	struct obuf work;		/* main thread: being rendered */
	pthread_mutex_t lock;
	struct obuf text;		/* the last published, under lock */
	uint64_t published_ms;		/* under lock; 0: never */
};

struct metrics *metrics_new(const struct metrics_sources *src)
{
	struct metrics *m = calloc(1, sizeof(*m));

	if (!m)
		return NULL;
	m->src = *src;
	if (obuf_init(&m->work, 16384) || obuf_init(&m->text, 16384)) {
		obuf_fini(&m->work);
		free(m);
		errno = ENOMEM;
		return NULL;
	}
	pthread_mutex_init(&m->lock, NULL);
	return m;
}

void metrics_free(struct metrics *m)
{
	if (!m)
		return;
	pthread_mutex_destroy(&m->lock);
	obuf_fini(&m->work);
	obuf_fini(&m->text);
	free(m);
}

static void label_value(struct obuf *b, const char *s)
{
	for (; s && *s; s++) {
		if (*s == '\\' || *s == '"')
			obuf_putc(b, '\\');
		if (*s == '\n') {
			obuf_puts(b, "\\n");
			continue;
		}
		obuf_putc(b, *s);
	}
}

static void head(struct obuf *b, const char *name, const char *type, const char *help)
{
	obuf_puts(b, "# HELP ");
	obuf_puts(b, name);
	obuf_putc(b, ' ');
	obuf_puts(b, help);
	obuf_puts(b, "\n# TYPE ");
	obuf_puts(b, name);
	obuf_putc(b, ' ');
	obuf_puts(b, type);
	obuf_putc(b, '\n');
}

/* name{l1="v1",l2="v2"} value; labels as NULL-terminated name, value pairs. */
static void sample(struct obuf *b, const char *name, const char *const *labels, uint64_t v)
{
	obuf_puts(b, name);
	if (labels && labels[0]) {
		obuf_putc(b, '{');
		for (; labels[0]; labels += 2) {
			obuf_puts(b, labels[0]);
			obuf_put(b, "=\"", 2);
			label_value(b, labels[1]);
			obuf_putc(b, '"');
			if (labels[2])
				obuf_putc(b, ',');
		}
		obuf_putc(b, '}');
	}
	obuf_putc(b, ' ');
	obuf_u64(b, v);
	obuf_putc(b, '\n');
}

static void one(struct obuf *b, const char *name, const char *type, const char *help, uint64_t v)
{
	head(b, name, type, help);
	sample(b, name, NULL, v);
}

struct prog_walk {
	struct obuf *b;
	int pass;		/* 0: run counts, 1: run time */
};

static void prog_sample(void *ctx, const char *name, uint64_t runs, uint64_t run_ns)
{
	struct prog_walk *w = ctx;
	const char *labels[] = { "program", name, NULL };

	if (w->pass == 0) {
		sample(w->b, "tracee_bpf_program_runs_total", labels, runs);
		return;
	}
	/* seconds, with the nanoseconds kept */
	obuf_puts(w->b, "tracee_bpf_program_run_seconds_total{program=\"");
	label_value(w->b, name);
	obuf_puts(w->b, "\"} ");
	obuf_u64(w->b, run_ns / 1000000000ULL);
	obuf_putc(w->b, '.');
	obuf_u64_pad(w->b, run_ns % 1000000000ULL, 9);
	obuf_putc(w->b, '\n');
}

struct fail_walk {
	struct obuf *b;
	uint64_t left;	/* the total less the samples with labels */
};

static void fail_sample(void *ctx, uint32_t event_id, unsigned int arg, uint64_t n)
{
	const struct tr_event_def *d = events_by_id((int)event_id);
	struct fail_walk *w = ctx;
	char idx[16];

	snprintf(idx, sizeof(idx), "%u", arg);
	sample(w->b, "tracee_kernel_read_failures_total",
	       (const char *const[]){ "event", d ? d->name : "?", "arg",
				      d && arg < d->nr_args ? d->args[arg].name : idx, NULL },
	       n);
	/* the per-CPU total is summed without locks: never below the pairs */
	w->left = w->left > n ? w->left - n : 0;
}

static void render(struct metrics *m, struct obuf *b)
{
	struct fail_walk rest;
	const struct metrics_sources *s = &m->src;
	uint64_t k[TR_STAT_NR] = { 0 }, lost_buf;
	struct output_stats os[16];
	unsigned int i, n = s->nr_outs < 16 ? s->nr_outs : 16;

	loader_read_stats(s->tracer, k);
	lost_buf = k[TR_STAT_LOST];
	/* The perf buffer reports its own losses; the same drops, counted once. */
	if (!loader_uses_ringbuf(s->tracer) && reader_lost(s->reader) > lost_buf)
		lost_buf = reader_lost(s->reader);
	for (i = 0; i < n; i++)
		output_stats(s->outs[i], &os[i]);

	b->len = 0;
	head(b, "tracee_build_info", "gauge", "The running tracee's version.");
	sample(b, "tracee_build_info", (const char *const[]){ "version", PACKAGE_VERSION, NULL }, 1);
	one(b, "tracee_events_received_total", "counter",
	    "Events read from the kernel side or made in user space (container lifecycle, capture).",
	    s->run->received);
	head(b, "tracee_events_filtered_total", "counter",
	     "Events dropped on purpose, by where: kernel (scopes, path prefilter), user (argument filters), scripts (a callback returned false).");
	sample(b, "tracee_events_filtered_total", (const char *const[]){ "where", "kernel", NULL },
	       k[TR_STAT_FILTERED]);
	sample(b, "tracee_events_filtered_total", (const char *const[]){ "where", "user", NULL },
	       s->run->filtered_in_user);
	sample(b, "tracee_events_filtered_total", (const char *const[]){ "where", "scripts", NULL },
	       s->run->dropped_by_scripts);
	head(b, "tracee_events_lost_total", "counter",
	     "Events lost before the outputs, by cause: kernel_buffer (ring or perf buffer full), "
	     "kernel_recursion (program runs the kernel skipped), decode_error.");
	sample(b, "tracee_events_lost_total", (const char *const[]){ "cause", "kernel_buffer", NULL },
	       lost_buf);
	sample(b, "tracee_events_lost_total",
	       (const char *const[]){ "cause", "kernel_recursion", NULL },
	       loader_recursion_misses(s->tracer));
	sample(b, "tracee_events_lost_total", (const char *const[]){ "cause", "decode_error", NULL },
	       s->run->decode_errors);
	head(b, "tracee_kernel_read_failures_total", "counter",
	     "Arguments the kernel side could not read (sent empty), by event and arg; "
	     "without labels: reads tied to no argument (kernel path walks).");
	rest.b = b;
	rest.left = k[TR_STAT_READ_FAIL];
	if (rest.left)
		loader_read_fails(s->tracer, fail_sample, &rest);
	sample(b, "tracee_kernel_read_failures_total", NULL, rest.left);
	one(b, "tracee_kernel_read_late_total", "counter",
	    "Syscall arguments read at exit because the read at entry failed "
	    "(page not yet faulted in): user memory as it was at exit.", k[TR_STAT_READ_LATE]);
	one(b, "tracee_kernel_entry_full_total", "counter",
	    "Syscall records not kept at entry (entry maps full): their strings and "
	    "addresses were read at exit.", k[TR_STAT_ENTRY_FULL]);

	head(b, "tracee_output_written_total", "counter", "Events and findings written, by output.");
	for (i = 0; i < n; i++)
		sample(b, "tracee_output_written_total",
		       (const char *const[]){ "output", os[i].spec, NULL }, os[i].written);
	head(b, "tracee_output_lost_total", "counter",
	     "Events and findings an output could not write, whatever the cause, by output.");
	for (i = 0; i < n; i++)
		sample(b, "tracee_output_lost_total",
		       (const char *const[]){ "output", os[i].spec, NULL }, os[i].failed);
	head(b, "tracee_output_dropped_total", "counter",
	     "Of the lost: dropped because the output's queue was full, by output.");
	for (i = 0; i < n; i++)
		sample(b, "tracee_output_dropped_total",
		       (const char *const[]){ "output", os[i].spec, NULL }, os[i].dropped);
	head(b, "tracee_output_queue_depth", "gauge",
	     "Events and findings waiting in an output's queue now, by output.");
	for (i = 0; i < n; i++)
		sample(b, "tracee_output_queue_depth",
		       (const char *const[]){ "output", os[i].spec, NULL }, os[i].depth);
	head(b, "tracee_output_reconnects_total", "counter",
	     "Network outputs: connections made again, or requests retried, by output.");
	for (i = 0; i < n; i++)
		sample(b, "tracee_output_reconnects_total",
		       (const char *const[]){ "output", os[i].spec, NULL }, os[i].reconnects);

	if (s->lua) {
		struct lua_engine_stats ls;
		struct lua_engine_sig sig;

		lua_engine_get_stats(s->lua, &ls);
		head(b, "tracee_findings_total", "counter", "Findings, by signature (enabled ones).");
		for (i = 0; !lua_engine_signature(s->lua, i, &sig); i++) {
			if (!sig.enabled)
				continue;
			sample(b, "tracee_findings_total",
			       (const char *const[]){ "signature_id", sig.id, "signature_name", sig.name,
						      NULL },
			       sig.findings);
		}
		one(b, "tracee_findings_suppressed_total", "counter",
		    "Findings held back by tracee.except().", ls.suppressed);
		one(b, "tracee_script_errors_total", "counter",
		    "Script callback errors, budget aborts (instructions, time, memory) included.",
		    ls.errors);
		one(b, "tracee_script_callbacks_disabled", "gauge",
		    "Script callbacks switched off after repeated errors.", ls.disabled);
	}
	/*
	 * Always there: the kernel counts only while statistics are on (the
	 * kernel.bpf_stats_enabled sysctl, or a BPF_ENABLE_STATS descriptor some
	 * process holds, which the sysctl does not show), and 0 says off.
	 */
	{
		struct prog_walk w = { .b = b };

		head(b, "tracee_bpf_program_runs_total", "counter",
		     "Runs of each eBPF program, counted while the kernel's eBPF statistics are on.");
		loader_prog_stats(s->tracer, prog_sample, &w);
		w.pass = 1;
		head(b, "tracee_bpf_program_run_seconds_total", "counter",
		     "Time spent in each eBPF program, counted while the kernel's eBPF statistics are on.");
		loader_prog_stats(s->tracer, prog_sample, &w);
	}
}

void metrics_publish(struct metrics *m, uint64_t now_ms)
{
	struct obuf tmp;

	render(m, &m->work);
	pthread_mutex_lock(&m->lock);
	if (obuf_ok(&m->work)) {
		tmp = m->text;
		m->text = m->work;
		m->work = tmp;
	}
	m->published_ms = now_ms ? now_ms : 1;
	pthread_mutex_unlock(&m->lock);
	m->work.oom = false;
}

void metrics_text(struct metrics *m, struct obuf *out)
{
	out->len = 0;
	pthread_mutex_lock(&m->lock);
	obuf_put(out, m->text.p, m->text.len);
	pthread_mutex_unlock(&m->lock);
}

uint64_t metrics_heartbeat_age_ms(struct metrics *m, uint64_t now_ms)
{
	uint64_t at;

	pthread_mutex_lock(&m->lock);
	at = m->published_ms;
	pthread_mutex_unlock(&m->lock);
	if (!at)
		return UINT64_MAX;
	return now_ms > at ? now_ms - at : 0;
}
