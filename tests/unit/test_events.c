// SPDX-License-Identifier: GPL-2.0
/*
 * test_events.c - the events table and the -e selection grammar.
 */
#include <errno.h>
#include <string.h>

#include "events.h"
#include "../tap.h"

static unsigned int count(const struct tr_selection *s)
{
	unsigned int i, n = 0;

	for (i = 0; i < TR_MAX_EVENT; i++)
		n += selection_has(s, i);
	return n;
}

static int id_of(const char *name)
{
	const struct tr_event_def *d = events_by_name(name);

	return d ? d->id : -1;
}

static void test_table(void)
{
	unsigned int i, j, bad_ids = 0, bad_names = 0, bad_args = 0, bad_lookup = 0;

	ok(events_nr >= 5, "the table has events (%u)", events_nr);
	for (i = 0; i < events_nr; i++) {
		const struct tr_event_def *d = &events_table[i];

		if (d->id < 0 || d->id >= TR_MAX_EVENT)
			bad_ids++;
		if (d->nr_args > TR_EVENT_ARGS)
			bad_args++;
		for (j = i + 1; j < events_nr; j++) {
			if (events_table[j].id == d->id)
				bad_ids++;
			if (!strcmp(events_table[j].name, d->name))
				bad_names++;
		}
		if (events_by_id(d->id) != d || events_by_name(d->name) != d)
			bad_lookup++;
	}
	ok(!bad_ids, "event ids are unique and below TR_MAX_EVENT");
	ok(!bad_names, "event names are unique");
	ok(!bad_args, "no event has more than TR_EVENT_ARGS arguments");
	ok(!bad_lookup, "every event is found by id and by name");
	ok(!events_by_name("nosuchevent") && !events_by_name("") && !events_by_name(NULL),
	   "unknown names are not found");
	ok(!events_by_name("opena") && !events_by_name("openatx"), "prefixes and extensions of names are not names");
	ok(!events_by_id(-1) && !events_by_id(TR_MAX_EVENT) && !events_by_id(1999),
	   "out-of-range and unused ids are not found");

	{
		const struct tr_event_def *o = events_by_name("openat");

		ok(o && o->id == 257 && o->nr_args == 4 && !strcmp(o->args[0].name, "dirfd") &&
		   !strcmp(o->args[1].name, "pathname") && !strcmp(o->args[1].type, "const char*") &&
		   !strcmp(o->args[2].name, "flags") && !strcmp(o->args[3].name, "mode") &&
		   !strcmp(o->args[3].type, "umode_t"),
		   "openat is 257 (dirfd, pathname, flags, mode) as in Tracee");
		ok(events_in_set(o, "fs") && events_in_set(o, "fs_file_ops") && events_in_set(o, "default"),
		   "openat is in fs, fs_file_ops and default");
		ok(!events_in_set(o, "f") && !events_in_set(o, "fs_file") && !events_in_set(o, "net"),
		   "set membership is by whole word");
	}
}

static void test_types(void)
{
	ok(events_capture_tag("const char*") == TR_W_STR, "const char* is captured as a string");
	ok(events_capture_tag("const char*const*") == TR_W_STRARR, "const char*const* as a string array");
	ok(events_capture_tag("struct sockaddr*") == TR_W_SOCKADDR, "struct sockaddr* as a sockaddr");
	ok(events_capture_tag("int[2]") == TR_W_INT2, "int[2] as an int pair");
	ok(events_capture_tag("struct timespec*") == TR_W_TIMESPEC &&
	   events_capture_tag("const struct timespec*") == TR_W_TIMESPEC, "timespecs as timespecs");
	ok(events_capture_tag("int") == TR_W_U64 && events_capture_tag("void*") == TR_W_U64 &&
	   events_capture_tag("umode_t") == TR_W_U64 && events_capture_tag("int*") == TR_W_U64 &&
	   events_capture_tag("char*") == TR_W_U64,
	   "everything else as a raw 64-bit value");

	ok(events_value_kind("int") == TR_V_INT && events_value_kind("long") == TR_V_INT &&
	   events_value_kind("pid_t") == TR_V_INT && events_value_kind("off_t") == TR_V_INT,
	   "int, long, pid_t, off_t are signed");
	ok(events_value_kind("unsigned int") == TR_V_UINT && events_value_kind("size_t") == TR_V_UINT &&
	   events_value_kind("dev_t") == TR_V_UINT && events_value_kind("umode_t") == TR_V_UINT &&
	   events_value_kind("u64") == TR_V_UINT && events_value_kind("unsigned long") == TR_V_UINT,
	   "unsigned int, size_t, dev_t, umode_t, u64, unsigned long are unsigned");
	ok(events_value_kind("void*") == TR_V_PTR && events_value_kind("int*") == TR_V_PTR &&
	   events_value_kind("struct stat*") == TR_V_PTR && events_value_kind("char*") == TR_V_PTR,
	   "pointers are pointers (char* output buffers too)");
	ok(events_value_kind("bool") == TR_V_BOOL, "bool is a bool");
	ok(events_value_kind("const char*") == TR_V_STR &&
	   events_value_kind("const char*const*") == TR_V_STRARR &&
	   events_value_kind("struct sockaddr*") == TR_V_SOCKADDR &&
	   events_value_kind("int[2]") == TR_V_INT2 &&
	   events_value_kind("const struct timespec*") == TR_V_TIMESPEC &&
	   events_value_kind("bytes") == TR_V_BYTES, "strings, arrays, sockaddrs, pairs, timespecs, bytes");
}

static void test_select(void)
{
	struct tr_selection s, before;
	char err[256];
	unsigned int i, nr_default = 0, nr_fs = 0;
	int ret;

	memset(&s, 0, sizeof(s));
	ok(events_select(&s, "openat", err, sizeof(err)) == 0 && count(&s) == 1 &&
	   selection_has(&s, 257), "-e openat selects openat only");

	memset(&s, 0, sizeof(s));
	ok(events_select(&s, " openat , execve ", err, sizeof(err)) == 0 && count(&s) == 2 &&
	   selection_has(&s, 59), "spaces around names are ignored");

	memset(&s, 0, sizeof(s));
	ret = events_select(&s, "fs", err, sizeof(err));
	for (i = 0; i < events_nr; i++)
		nr_fs += events_in_set(&events_table[i], "fs");
	ok(ret == 0 && count(&s) == nr_fs && selection_has(&s, 257) && !selection_has(&s, 59),
	   "-e fs selects the fs set (%u events)", nr_fs);

	memset(&s, 0, sizeof(s));
	ok(events_select(&s, "sched_process_*", err, sizeof(err)) == 0 && count(&s) == 3 &&
	   selection_has(&s, 1002) && selection_has(&s, 1003) && selection_has(&s, 1004),
	   "-e sched_process_* selects the three lifecycle events");

	memset(&s, 0, sizeof(s));
	ok(events_select(&s, "*", err, sizeof(err)) == 0 && count(&s) == events_nr,
	   "-e '*' selects every event");

	memset(&s, 0, sizeof(s));
	events_select_default(&s);
	for (i = 0; i < events_nr; i++)
		nr_default += events_in_set(&events_table[i], "default");
	ok(count(&s) == nr_default && selection_has(&s, 257) && selection_has(&s, 59) &&
	   selection_has(&s, 1004) && !selection_has(&s, 1002),
	   "the default selection is the default set (%u events)", nr_default);

	memset(&s, 0, sizeof(s));
	ok(events_select(&s, "default,-openat", err, sizeof(err)) == 0 &&
	   count(&s) == nr_default - 1 && !selection_has(&s, 257), "default,-openat drops openat");
	memset(&before, 0, sizeof(before));
	ok(events_select(&before, "-openat,default", err, sizeof(err)) == 0 &&
	   !memcmp(&s, &before, sizeof(s)), "exclusions apply after inclusions, wherever written");

	memset(&s, 0, sizeof(s));
	ok(events_select(&s, "proc,-sched_process_*", err, sizeof(err)) == 0 &&
	   !selection_has(&s, 1002) && !selection_has(&s, 1003) && selection_has(&s, 59),
	   "wildcard exclusions");
	memset(&s, 0, sizeof(s));
	ok(events_select(&s, "*,-proc", err, sizeof(err)) == 0 && !selection_has(&s, 59) &&
	   selection_has(&s, 257), "set exclusions");

	/* Errors: exact message, nothing changed. */
	memset(&s, 0, sizeof(s));
	selection_set(&s, 257, true);
	before = s;
	ret = events_select(&s, "execve,opnat", err, sizeof(err));
	ok(ret == -EINVAL, "an unknown name is -EINVAL");
	ok(!strcmp(err, "unknown event or set 'opnat' in -e (see tracee --list)"),
	   "the message quotes the word: %s", err);
	ok(!memcmp(&s, &before, sizeof(s)), "a failed -e leaves the selection as it was");

	ret = events_select(&s, "openat,-nosuch", err, sizeof(err));
	ok(ret == -EINVAL && strstr(err, "'nosuch'"), "an unknown exclusion is an error too: %s", err);
	ret = events_select(&s, "zzz*", err, sizeof(err));
	ok(ret == -EINVAL && strstr(err, "'zzz*'"), "a wildcard matching nothing is an error: %s", err);
	ret = events_select(&s, "openat,,execve", err, sizeof(err));
	ok(ret == -EINVAL && strstr(err, "empty"), "an empty word is an error: %s", err);
	ret = events_select(&s, "", err, sizeof(err));
	ok(ret == -EINVAL, "an empty list is an error");
	ret = events_select(&s, "-", err, sizeof(err));
	ok(ret == -EINVAL, "a lone '-' is an error");
	ret = events_select(&s, "openat.args.pathname=/etc/*", err, sizeof(err));
	ok(ret == -EINVAL && strstr(err, "openat.args.pathname=/etc/*"), "filters are not event names");
	ok(events_select(&s, "nosuch", NULL, 0) == -EINVAL, "a NULL err buffer is fine");
	ok(events_select(NULL, "openat", err, sizeof(err)) == -EINVAL &&
	   events_select(&s, NULL, err, sizeof(err)) == -EINVAL, "NULL arguments are rejected");
	ok(!memcmp(&s, &before, sizeof(s)), "still unchanged after every failure");

	{
		char small[16];

		ret = events_select(&s, "averyveryverylongunknownname", small, sizeof(small));
		ok(ret == -EINVAL && strlen(small) == sizeof(small) - 1, "messages are cut to the buffer");
	}
	ok(id_of("openat") == 257, "id_of sanity");
}

int main(void)
{
	test_table();
	test_types();
	test_select();
	return done_testing();
}
