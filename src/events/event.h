/* SPDX-License-Identifier: GPL-2.0 */
/*
 * event.h - the decoded view of one event, shared by every consumer
 * (filters, process tree, Lua, outputs).
 *
 * A view points into the record it was decoded from (ring buffer memory or a
 * replayed buffer): nothing is copied or allocated per event, and the view is
 * only valid until the reader hands the record back.  Strings are counted,
 * not NUL-terminated: a path may hold any byte.
 */
#ifndef TRACEE_EVENT_H
#define TRACEE_EVENT_H

#include <linux/types.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "tracee_abi.h"

struct tr_event_def;
struct container_info;

/* How a decoded argument value is held; the C type label says how to print it. */
enum tr_val_kind {
	TR_V_NONE = 0,	/* not captured (read failed or not sent) */
	TR_V_INT,	/* signed integer: v.i */
	TR_V_UINT,	/* unsigned integer: v.u */
	TR_V_PTR,	/* pointer: v.u, printed as 0x... */
	TR_V_BOOL,	/* v.u != 0 */
	TR_V_STR,	/* v.str */
	TR_V_STRARR,	/* v.arr: count strings, each u32 len + bytes at p */
	TR_V_SOCKADDR,	/* v.raw: struct sockaddr bytes */
	TR_V_BYTES,	/* v.raw */
	TR_V_INT2,	/* v.pair */
	TR_V_TIMESPEC,	/* v.ts */
	TR_V_JSON,	/* v.raw: JSON text, NUL-terminated (replayed objects, arrays) */
};

struct tr_str {
	const char *p;
	uint32_t len;
	bool trunc;	/* the kernel side cut it at a limit */
};

struct tr_arg {
	const char *name;	/* from the events table */
	const char *type;	/* C type label: "int", "const char*", ... */
	enum tr_val_kind kind;
	union {
		int64_t i;
		uint64_t u;
		struct tr_str str;
		struct {
			const uint8_t *p;	/* first entry: u32 len + bytes, repeated */
			uint32_t count;
			uint32_t sz;		/* bytes from p to the end of the array */
			bool trunc;
		} arr;
		struct {
			const uint8_t *p;
			uint32_t len;
		} raw;
		int32_t pair[2];
		struct {
			int64_t sec, nsec;
		} ts;
	} v;
};

/*
 * Room for a replayed event's arguments: the original Tracee's events may
 * have more than the kernel side sends (its sched_process_exec has 18,
 * env among the last).  Decoded records never exceed TR_EVENT_ARGS.
 */
#define TR_EVENT_ARGS_MAX	32

struct tr_event {
	const struct tr_record_hdr *hdr;	/* raw context from the kernel */
	const struct tr_event_def *def;		/* table entry: name, sets, args */
	uint64_t timestamp_ns;			/* epoch ns (monotonic + boot offset) */
	uint64_t thread_start_ns;		/* epoch ns */
	unsigned int nr_args;
	struct tr_arg args[TR_EVENT_ARGS_MAX];	/* in table order (replayed: as read) */
	/* Enrichment, filled after decoding (NULL/empty when unknown). */
	const char *container_id;		/* 64 hex chars or "" */
	const char *executable;			/* the process's exe path, or "" */
	/* What the container's runtime said (name, image, pod); NULL while unknown. */
	const struct container_info *container;
	/*
	 * contextFlags.containerStarted: in a container whose entrypoint ran.
	 * False on the host and in a container the runtime is still setting
	 * up (runc:[2:INIT] and friends: the "container-init" origin).
	 */
	bool container_started;
	/* Start times (hdr clock: monotonic ns) for the entity ids; 0 = unknown. */
	uint64_t leader_start_ns;		/* the thread group leader's */
	uint64_t parent_start_ns;		/* the parent process's */
};

/*
 * One member of a finding's data, typed as the signature gave it: the JSON
 * renderer names the type (string, int, float64, bool) and writes the value,
 * nothing is parsed back.  Only a nested table (or an event) is text: its
 * JSON, already valid.  key and str are not NUL-terminated.
 */
enum tr_fdata_kind {
	TR_FD_STR,	/* v.str */
	TR_FD_INT,	/* v.i */
	TR_FD_FLOAT,	/* v.f, finite */
	TR_FD_BOOL,	/* v.b */
	TR_FD_NULL,	/* a float JSON cannot hold (NaN, infinity) */
	TR_FD_JSON,	/* v.str: an object or array as JSON text */
};

struct tr_fdata {
	const char *key;
	size_t key_len;
	enum tr_fdata_kind kind;
	union {
		struct {
			const char *p;
			size_t len;
		} str;
		int64_t i;
		double f;
		bool b;
	} v;
};

/*
 * A finding: what a signature (built-in or user Lua) reports.  Rendered like
 * Tracee's: an event whose eventName is the signature's name, carrying the
 * triggering event's context, the triggering event as an argument, and
 * metadata {Version, Description, Tags, Properties{...}}.
 */
struct tr_finding {
	const char *id;			/* "TRC-105" */
	const char *name;		/* "fileless_execution": the eventName */
	const char *version;		/* "1" */
	const char *description;
	int severity;			/* 0..3 */
	const char *category;		/* "defense-evasion" */
	const char *technique;		/* MITRE technique name */
	const char *external_id;	/* MITRE id "T1620" */
	const char *const *tags;	/* NULL-terminated, may be NULL */
	const struct tr_event *event;	/* triggering event, may be NULL */
	/* Extra data, its members in the signature's order; NULL when it gave none. */
	const struct tr_fdata *data;
	unsigned int nr_data;
};

/* An event's argument by its name in the events table, or NULL. */
static inline const struct tr_arg *tr_event_arg(const struct tr_event *ev, const char *name)
{
	unsigned int i;

	for (i = 0; i < ev->nr_args && i < TR_EVENT_ARGS_MAX; i++)
		if (ev->args[i].name && !strcmp(ev->args[i].name, name))
			return &ev->args[i];
	return NULL;
}

#endif /* TRACEE_EVENT_H */
