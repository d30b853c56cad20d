// SPDX-License-Identifier: GPL-2.0
/*
 * events.c - the events table built from events.def, lookups by id and name,
 * and the -e selection grammar (names, sets, "prefix*", "-exclusions").
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "events.h"

#define TR_A(ctype, aname)	{ .type = ctype, .name = #aname }
#define TR_EVENT(eid, ename, esets, ehook, ...)					\
	{									\
		.id = eid,							\
		.name = #ename,							\
		.sets = esets,							\
		.hook = ehook,							\
		.nr_args = sizeof((struct tr_arg_def[]){ __VA_ARGS__ }) /	\
			   sizeof(struct tr_arg_def),				\
		.args = { __VA_ARGS__ },					\
	},
#define TR_EVENT_SYS(eid, ename, esets, ehook, esys, ...)			\
	{									\
		.id = eid,							\
		.name = #ename,							\
		.sets = esets,							\
		.hook = ehook,							\
		.syscalls = esys,						\
		.nr_args = sizeof((struct tr_arg_def[]){ __VA_ARGS__ }) /	\
			   sizeof(struct tr_arg_def),				\
		.args = { __VA_ARGS__ },					\
	},

const struct tr_event_def events_table[] = {
#include "events.def"
};

#undef TR_EVENT_SYS
#undef TR_EVENT
#undef TR_A

const unsigned int events_nr = sizeof(events_table) / sizeof(events_table[0]);

/* Lookups: an id-indexed array and a name-sorted index, built once at load. */
static const struct tr_event_def *by_id[TR_MAX_EVENT];
static const struct tr_event_def *by_name[sizeof(events_table) / sizeof(events_table[0])];

static int cmp_def_name(const void *a, const void *b)
{
	const struct tr_event_def *const *x = a, *const *y = b;

	return strcmp((*x)->name, (*y)->name);
}

__attribute__((constructor)) static void events_index(void)
{
	unsigned int i;

	for (i = 0; i < events_nr; i++) {
		const struct tr_event_def *d = &events_table[i];

		if (d->id >= 0 && d->id < TR_MAX_EVENT && !by_id[d->id])
			by_id[d->id] = d;
		by_name[i] = d;
	}
	qsort(by_name, events_nr, sizeof(by_name[0]), cmp_def_name);
}

const struct tr_event_def *events_by_id(int id)
{
	if (id < 0 || id >= TR_MAX_EVENT)
		return NULL;
	return by_id[id];
}

static const struct tr_event_def *by_name_n(const char *name, size_t len)
{
	size_t lo = 0, hi = events_nr;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const char *n = by_name[mid]->name;
		int c = strncmp(n, name, len);

		if (c == 0 && n[len] != '\0')
			c = 1;	/* n is longer: it sorts after name */
		if (c == 0)
			return by_name[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

const struct tr_event_def *events_by_name(const char *name)
{
	if (!name)
		return NULL;
	return by_name_n(name, strlen(name));
}

/* Is the word set[0..len) one of the space-separated words of sets? */
static bool has_word(const char *sets, const char *set, size_t len)
{
	const char *p = sets;

	if (!sets || len == 0)
		return false;
	while (*p) {
		size_t n;

		while (*p == ' ')
			p++;
		n = strcspn(p, " ");
		if (n == len && !strncmp(p, set, len))
			return true;
		p += n;
	}
	return false;
}

bool events_in_set(const struct tr_event_def *def, const char *set)
{
	return def && set && has_word(def->sets, set, strlen(set));
}

int events_capture_tag(const char *ctype)
{
	if (!ctype)
		return TR_W_U64;
	/* Only const: a "char*" syscall argument is an output buffer, empty at entry. */
	if (!strcmp(ctype, "const char*"))
		return TR_W_STR;
	if (!strcmp(ctype, "const char*const*") || !strcmp(ctype, "const char**"))
		return TR_W_STRARR;
	if (!strcmp(ctype, "struct sockaddr*") || !strcmp(ctype, "const struct sockaddr*"))
		return TR_W_SOCKADDR;
	if (!strcmp(ctype, "int[2]"))
		return TR_W_INT2;
	if (!strcmp(ctype, "struct timespec*") || !strcmp(ctype, "const struct timespec*"))
		return TR_W_TIMESPEC;
	if (!strcmp(ctype, "bytes"))
		return TR_W_BYTES;
	return TR_W_U64;
}

static bool in_list(const char *s, const char *const *list)
{
	for (; *list; list++)
		if (!strcmp(s, *list))
			return true;
	return false;
}

/* Signed integer types, as Tracee prints them (uid_t/gid_t too: -1 stays -1). */
static const char *const signed_types[] = {
	"int", "long", "long long", "short", "pid_t", "uid_t", "gid_t", "off_t", "loff_t",
	"ssize_t", "clockid_t", "const clockid_t", "key_t", "key_serial_t", "mqd_t",
	"timer_t", "s8", "s16", "s32", "s64", "int8", "int16", "int32", "int64",
	"landlock_rule_type", NULL
};

static const char *const unsigned_types[] = {
	"unsigned int", "unsigned long", "unsigned long long", "unsigned short",
	"unsigned char", "u8", "u16", "u32", "u64", "uint8", "uint16", "uint32", "uint64",
	"size_t", "dev_t", "umode_t", "mode_t", "old_uid_t", "old_gid_t", "qid_t",
	"aio_context_t", "rwf_t", "fmode_t", "ino_t", "time_t", "sigset_t", NULL
};

enum tr_val_kind events_value_kind(const char *ctype)
{
	size_t len;

	if (!ctype)
		return TR_V_NONE;
	switch (events_capture_tag(ctype)) {
	case TR_W_STR:
		return TR_V_STR;
	case TR_W_STRARR:
		return TR_V_STRARR;
	case TR_W_SOCKADDR:
		return TR_V_SOCKADDR;
	case TR_W_INT2:
		return TR_V_INT2;
	case TR_W_TIMESPEC:
		return TR_V_TIMESPEC;
	case TR_W_BYTES:
		return TR_V_BYTES;
	default:
		break;
	}
	if (!strcmp(ctype, "bool"))
		return TR_V_BOOL;
	/* The original Tracee's label for the same base64 bytes since 2025. */
	if (!strcmp(ctype, "[]byte"))
		return TR_V_BYTES;
	if (in_list(ctype, signed_types))
		return TR_V_INT;
	if (in_list(ctype, unsigned_types) || !strncmp(ctype, "unsigned ", 9))
		return TR_V_UINT;
	len = strlen(ctype);
	if (len && ctype[len - 1] == '*')
		return TR_V_PTR;
	/* Unknown typedefs: a raw register value, shown in hex as Tracee does. */
	return TR_V_PTR;
}

/*
 * Selection.  One word at a time: an exact event name, then a set name, then
 * "prefix*".  Exclusions ("-word", same forms) are applied after every
 * inclusion of the list, so "-e -openat,fs" and "-e fs,-openat" agree.
 */
static int select_word(struct tr_selection *sel, const char *w, size_t len, bool on)
{
	const struct tr_event_def *d;
	unsigned int i, n = 0;

	if (len && w[len - 1] == '*') {
		for (i = 0; i < events_nr; i++) {
			if (!strncmp(events_table[i].name, w, len - 1)) {
				selection_set(sel, events_table[i].id, on);
				n++;
			}
		}
		return n ? 0 : -ENOENT;
	}
	d = by_name_n(w, len);
	if (d) {
		selection_set(sel, d->id, on);
		return 0;
	}
	for (i = 0; i < events_nr; i++) {
		if (has_word(events_table[i].sets, w, len)) {
			selection_set(sel, events_table[i].id, on);
			n++;
		}
	}
	return n ? 0 : -ENOENT;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n';
}

static int select_pass(struct tr_selection *sel, const char *list, bool exclusions,
		       char *err, size_t errlen)
{
	const char *p = list;

	for (;;) {
		size_t n = strcspn(p, ",");
		const char *w = p;
		size_t len = n;
		bool excl;

		while (len && is_space(*w)) {
			w++;
			len--;
		}
		while (len && is_space(w[len - 1]))
			len--;
		excl = len && w[0] == '-';
		if (excl) {
			w++;
			len--;
		}
		if (len == 0) {
			if (err && errlen)
				snprintf(err, errlen, "empty event name in -e '%s' (list events separated by commas; see tracee --list)",
					 list);
			return -EINVAL;
		}
		if (excl == exclusions && select_word(sel, w, len, !excl)) {
			if (err && errlen) {
				if (w[len - 1] == '*')
					snprintf(err, errlen, "no event matches '%.*s' in -e (see tracee --list)",
						 (int)len, w);
				else
					snprintf(err, errlen, "unknown event or set '%.*s' in -e (see tracee --list)",
						 (int)len, w);
			}
			return -EINVAL;
		}
		if (p[n] == '\0')
			break;
		p += n + 1;
	}
	return 0;
}

int events_select(struct tr_selection *sel, const char *list, char *err, size_t errlen)
{
	struct tr_selection tmp;
	int ret;

	if (err && errlen)
		err[0] = '\0';
	if (!sel || !list) {
		if (err && errlen)
			snprintf(err, errlen, "no event list given to -e (see tracee --list)");
		return -EINVAL;
	}
	/* All or nothing: a bad word leaves sel as it was. */
	tmp = *sel;
	ret = select_pass(&tmp, list, false, err, errlen);
	if (!ret)
		ret = select_pass(&tmp, list, true, err, errlen);
	if (ret)
		return ret;
	*sel = tmp;
	return 0;
}

void events_select_default(struct tr_selection *sel)
{
	unsigned int i;

	for (i = 0; i < events_nr; i++)
		if (has_word(events_table[i].sets, "default", 7))
			selection_set(sel, events_table[i].id, true);
}

bool events_derived(const struct tr_event_def *def)
{
	return def && def->hook && !strncmp(def->hook, "derived/", 8);
}

void events_kernel_sources(struct tr_selection *sel)
{
	unsigned int i;

	for (i = 0; i < events_nr; i++) {
		const struct tr_event_def *d = &events_table[i];
		const char *p;

		if (!events_derived(d) || !selection_has(sel, d->id))
			continue;
		selection_set(sel, d->id, false);
		for (p = d->hook + 8; *p;) {
			size_t n = strcspn(p, "+");
			char name[64];
			const struct tr_event_def *src;

			if (n < sizeof(name)) {
				memcpy(name, p, n);
				name[n] = '\0';
				src = events_by_name(name);
				if (src && !events_derived(src))
					selection_set(sel, src->id, true);
			}
			p += n;
			if (*p == '+')
				p++;
		}
	}
}
