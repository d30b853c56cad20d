/* SPDX-License-Identifier: GPL-2.0 */
/*
 * events.h - the events table (built from events.def) and event selection:
 * names, sets ("fs", "default"), wildcards ("open*") and exclusions ("-openat").
 */
#ifndef TRACEE_EVENTS_H
#define TRACEE_EVENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "event.h"

struct tr_arg_def {
	const char *type;	/* C type label, printed as the JSON "type" */
	const char *name;
};

struct tr_event_def {
	int id;
	const char *name;
	const char *sets;	/* space-separated */
	const char *hook;
	const char *syscalls;	/* derived at these syscalls' exit (space-separated), or NULL */
	unsigned int nr_args;
	struct tr_arg_def args[TR_EVENT_ARGS];
};

/* A set of selected event ids, as a bitmap over 0..TR_MAX_EVENT-1. */
struct tr_selection {
	uint64_t bits[TR_MAX_EVENT / 64];
};

extern const struct tr_event_def events_table[];
extern const unsigned int events_nr;

const struct tr_event_def *events_by_id(int id);
const struct tr_event_def *events_by_name(const char *name);
bool events_in_set(const struct tr_event_def *def, const char *set);
/* How the kernel side captures an argument of this C type (enum tr_wire_tag). */
int events_capture_tag(const char *ctype);
/* How user space holds a decoded argument of this C type (enum tr_val_kind). */
enum tr_val_kind events_value_kind(const char *ctype);

static inline bool selection_has(const struct tr_selection *s, int id)
{
	return id >= 0 && id < TR_MAX_EVENT && (s->bits[id / 64] >> (id % 64)) & 1;
}

static inline void selection_set(struct tr_selection *s, int id, bool on)
{
	if (id < 0 || id >= TR_MAX_EVENT)
		return;
	if (on)
		s->bits[id / 64] |= 1ULL << (id % 64);
	else
		s->bits[id / 64] &= ~(1ULL << (id % 64));
}

/*
 * Apply a comma-separated -e list to sel: names, sets, "prefix*" wildcards,
 * and "-name" exclusions (applied after every inclusion).  Returns 0, or
 * -EINVAL with a one-line message naming the offending word in err.
 */
int events_select(struct tr_selection *sel, const char *list, char *err, size_t errlen);

/* The "default" set, used when no -e is given. */
void events_select_default(struct tr_selection *sel);
/*
 * Events derived in user space (hook "derived/SOURCES") cannot come from the
 * kernel: take them out of sel and put in the events they come from.
 */
void events_kernel_sources(struct tr_selection *sel);
/* Is this event made in user space (container_create, ...)? */
bool events_derived(const struct tr_event_def *def);

#endif /* TRACEE_EVENTS_H */
