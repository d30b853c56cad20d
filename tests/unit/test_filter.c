// SPDX-License-Identifier: GPL-2.0
/*
 * test_filter.c - the --scope / --trace / -e filter grammar, its errors, the
 * kernel configuration it produces, and filter_event() on built records.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "decode.h"
#include "events.h"
#include "filter.h"
#include "../tap.h"
#include "record_builder.h"

static struct filter f;
static char err[512];

static int parse(const char *expr, bool legacy)
{
	return filter_parse(&f, expr, legacy, err, sizeof(err));
}

static void reset(void)
{
	filter_fini(&f);
	filter_init(&f);
}

/* Accepted, with the flags it must set. */
static void accepts(const char *expr, bool legacy, uint32_t flags)
{
	reset();
	ok(parse(expr, legacy) == 0 && (f.scope_flags & flags) == flags, "accepts '%s'%s", expr,
	   legacy ? " (--trace)" : "");
	if (err[0])
		diag("%s", err);
}

/* Rejected with a message quoting quote. */
static void rejects(const char *expr, bool legacy, const char *quote)
{
	struct filter before;

	reset();
	parse("uid=7", false);
	before = f;
	ok(parse(expr, legacy) == -EINVAL && strstr(err, quote) &&
	   !memcmp(&before, &f, sizeof(f)),
	   "rejects '%s' quoting '%s', filter unchanged", expr, quote);
	if (!strstr(err, quote))
		diag("message: %s", err);
}

static bool has_kval(uint32_t kind, uint64_t val, uint8_t bits)
{
	unsigned int i;

	for (i = 0; i < f.nr_kvals; i++)
		if (f.kvals[i].kind == kind && f.kvals[i].val == val && f.kvals[i].bits == bits)
			return true;
	return false;
}

static void test_scopes(void)
{
	struct tr_config cfg;
	struct stat st;

	accepts("pid=1,22", false, TR_SCOPE_PID_EQ);
	ok(has_kval(TR_SK_PID, 1, TR_SCOPE_V_EQ) && has_kval(TR_SK_PID, 22, TR_SCOPE_V_EQ),
	   "pid=1,22: two values in the scope map");
	accepts("pid!=3", false, TR_SCOPE_PID_NE);
	accepts("pid=new", false, TR_SCOPE_NEW_PID);
	accepts("tid=9", false, TR_SCOPE_TID_EQ);
	accepts("uid>999", false, TR_SCOPE_UID_RANGE);
	ok(f.uid_lo == 1000 && f.uid_hi == UINT32_MAX, "uid>999 is the range [1000, max]");
	reset();
	ok(!parse("uid>=10", false) && !parse("uid<20", false) && f.uid_lo == 10 && f.uid_hi == 19,
	   "uid>=10 uid<20 narrow to [10, 19]");
	accepts("uid<=5", false, TR_SCOPE_UID_RANGE);
	accepts("uid!=0", false, TR_SCOPE_UID_NE);
	accepts("comm=bash,sh", false, TR_SCOPE_COMM_EQ);
	ok(f.nr_kcomms == 2 && !strcmp(f.kcomms[1].name, "sh") && f.kcomms[1].name[15] == 0,
	   "comm values zero-padded as the kernel's");
	accepts("comm!=ls", false, TR_SCOPE_COMM_NE);
	accepts("mntns=4026531841", false, TR_SCOPE_MNTNS_EQ);
	accepts("pidns!=4026531836", false, TR_SCOPE_PIDNS_NE);
	accepts("container", false, TR_SCOPE_CONTAINER);
	accepts("container=new", false, TR_SCOPE_NEW_CONTAINER);
	accepts("not-container", false, TR_SCOPE_NOT_CONTAINER);
	accepts("follow", false, TR_SCOPE_FOLLOW);
	accepts("executable=/bin/sh", false, TR_SCOPE_EXE_EQ);
	stat("/bin/sh", &st);
	ok(f.nr_kvals == 1 && f.kvals[0].val == st.st_ino &&
	   f.kvals[0].aux == ((major(st.st_dev) << 20) | minor(st.st_dev)),
	   "executable=: the file's inode and the kernel's dev_t encoding");
	accepts("exec!=/bin/sh", false, TR_SCOPE_EXE_NE);

	reset();
	parse("uid=0", false);
	parse("pid>100", false);
	memset(&cfg, 0, sizeof(cfg));
	ok(!filter_fill_config(&f, NULL, &cfg) && cfg.scope_flags == f.scope_flags &&
	   cfg.scope_pid_lo == 101 && cfg.scope_uid_hi == UINT32_MAX && cfg.scope_start_ns,
	   "filter_fill_config copies flags, ranges and the start time");

	rejects("pid=abc", false, "'abc'");
	rejects("pid=", false, "pid=");
	rejects("uid>4294967295", false, "uid>4294967295");
	rejects("uid<0", false, "uid<0");
	rejects("tid>5", false, "tid>5");
	rejects("comm=averyveryverylongname", false, "averyveryverylongname");
	rejects("comm>a", false, "comm>a");
	rejects("mntns=-1", false, "'-1'");
	rejects("executable=relative/path", false, "relative/path");
	rejects("executable=/no/such/file/here", false, "/no/such/file/here");
	rejects("bogus=1", false, "bogus");
	rejects("folow", false, "folow");
	rejects("container=old/1", false, "container=old/1");
	rejects("container=x", false, "'x'");
	rejects("container=new,web", false, "stands alone");
	rejects("container=", false, "no value");
	rejects("container<web", false, "container<web");
	rejects("", false, "empty");
	rejects("=5", false, "=5");
	rejects("event=openat", false, "event=openat");	/* legacy only */
	reset();
	parse("container", false);
	ok(parse("not-container", false) == -EINVAL && strstr(err, "not-container"),
	   "container and not-container contradict each other");
}

#define ID_A "c1b4970b0f0a4c5e9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c"
#define ID_B "fa64ea3e0f0a4c5e9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c"

/* The verdict of the container scopes on an event of container id ("" host). */
static enum filter_verdict verdict(const char *id)
{
	struct tr_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.container_id = id;
	return filter_container_check(&f, &ev);
}

static void test_container_scopes(void)
{
	reset();
	ok(!parse("container=" ID_A, false) && f.nr_conts == 1 &&
	   f.conts[0].kind == FILTER_C_ID && !f.scope_flags,
	   "container=ID: user space, no kernel flag");
	ok(verdict(ID_A) == FILTER_PASS && verdict(ID_B) == FILTER_DROP &&
	   verdict("") == FILTER_DROP,
	   "container=ID: that container only, not the host");
	reset();
	ok(!parse("container=FA64EA3E0F0A", false) && f.conts[0].kind == FILTER_C_PREFIX &&
	   !strcmp(f.conts[0].val, "fa64ea3e0f0a"), "a 12-digit prefix, lower-cased");
	ok(verdict(ID_B) == FILTER_PASS && verdict(ID_A) == FILTER_DROP,
	   "the prefix matches its container");
	reset();
	ok(!parse("container=fa64ea3e0f0,web-1", false) && f.nr_conts == 2 &&
	   f.conts[0].kind == FILTER_C_NAME && f.conts[1].kind == FILTER_C_NAME &&
	   filter_container_names(&f), "an 11-digit value and web-1 are names");
	/* no registry here: no name can come, nothing is held */
	ok(verdict(ID_B) == FILTER_DROP && verdict("") == FILTER_DROP,
	   "a name no runtime gave matches nothing");
	reset();
	ok(!parse("container!=" ID_A, false) && verdict(ID_A) == FILTER_DROP &&
	   verdict(ID_B) == FILTER_PASS && verdict("") == FILTER_PASS,
	   "container!=ID: everything but that container, the host included");
	reset();
	ok(!parse("container=" ID_A "," ID_B, false) && !parse("container=fa64ea3e0f0a", false) &&
	   verdict(ID_B) == FILTER_PASS && verdict(ID_A) == FILTER_DROP,
	   "two container= scopes must both match");
	reset();
	ok(!parse("container=new", false) && (f.scope_flags & TR_SCOPE_NEW_CONTAINER) &&
	   !f.nr_conts,
	   "container=new stays a kernel scope");
	reset();
	parse("container=web", false);
	ok(parse("not-container", false) == -EINVAL && strstr(err, "contradicts"),
	   "container=NAME and not-container contradict each other");
}

static void test_event_filters(void)
{
	const struct tr_event_def *openat = events_by_name("openat");
	struct tr_selection sel = { 0 };

	reset();
	ok(!parse("openat.args.pathname=/etc/*", false) && f.nr_rules == 1 &&
	   f.rules[0].is_str && f.rules[0].field == FILTER_F_ARG && f.rules[0].arg == 1,
	   "openat.args.pathname=/etc/* is a string rule on argument 1");
	ok(!parse("openat.data.flags!=0", false) && !f.rules[1].is_str &&
	   f.rules[1].op == FILTER_NE, "alias openat.data.");
	ok(!parse("openat.retval<0", false) && f.rules[2].field == FILTER_F_RETVAL,
	   "openat.retval<0");
	ok(!parse("openat.scope.comm=ls", false) && f.rules[3].field == FILTER_F_COMM,
	   "openat.scope.comm=ls");
	ok(!filter_selection(&f, &sel) && selection_has(&sel, openat->id),
	   "an event filter selects its event, but is not an event list");
	ok(filter_is_expr("openat.retval<0") && !filter_is_expr("openat,execve") &&
	   filter_is_expr("pid=1"), "filter_is_expr tells filters from event lists");

	rejects("nosuchevent.args.x=1", false, "nosuchevent");
	rejects("openat.args.nosucharg=1", false, "nosucharg");
	rejects("openat.args.pathname>5", false, "openat.args.pathname>5");
	rejects("openat.retval<x", false, "'x'");
	rejects("openat.retval>1,2", false, "openat.retval>1,2");
	rejects("openat.scope.color=red", false, "color");
	rejects("openat.pathname=/x", false, "openat.pathname=/x");	/* legacy form */
	rejects("openat.args.pathname=", false, "openat.args.pathname=");
	rejects(".args.x=1", false, ".args.x=1");
}

static void test_legacy(void)
{
	struct tr_selection sel = { 0 };
	const struct tr_event_def *openat = events_by_name("openat"),
				  *execve = events_by_name("execve");

	reset();
	ok(!parse("event=openat,execve", true) && !parse("e=open*", true),
	   "--trace event=openat,execve and e=open*");
	ok(filter_selection(&f, &sel) && selection_has(&sel, openat->id) &&
	   selection_has(&sel, execve->id), "legacy event= selects events");
	reset();
	memset(&sel, 0, sizeof(sel));
	ok(!parse("set=fs", true) && !parse("event!=openat", true) && filter_selection(&f, &sel) &&
	   !selection_has(&sel, openat->id) && selection_has(&sel, events_by_name("close")->id),
	   "--trace set=fs event!=openat");
	accepts("comm=bash", true, TR_SCOPE_COMM_EQ);
	accepts("u=1000", true, TR_SCOPE_UID_EQ);
	accepts("p=42", true, TR_SCOPE_PID_EQ);
	accepts("!container", true, TR_SCOPE_NOT_CONTAINER);
	accepts("container=new", true, TR_SCOPE_NEW_CONTAINER);
	accepts("pid=new", true, TR_SCOPE_NEW_PID);
	accepts("follow", true, TR_SCOPE_FOLLOW);
	reset();
	ok(!parse("openat.pathname=/etc/*", true) && f.nr_rules == 1 && f.rules[0].arg == 1,
	   "--trace openat.pathname=/etc/* (legacy argument form)");
	ok(!parse("openat.retval>0", true) && f.rules[1].field == FILTER_F_RETVAL,
	   "--trace openat.retval>0");
	rejects("event=nosuch", true, "nosuch");
	rejects("set=nosuchset", true, "nosuchset");
	rejects("event>openat", true, "event>openat");
	rejects("u=x", true, "'x'");
	rejects("!containers", true, "!containers");
}

/* Decode a built openat record and run filter_event on it. */
static bool run_on(const char *path, int64_t ret, const char *comm)
{
	static struct rb r;
	struct tr_event ev;

	rb_init(&r, 257);
	rb_hdr(&r)->retval = ret;
	memset(rb_hdr(&r)->comm, 0, TR_COMM_LEN);
	memcpy(rb_hdr(&r)->comm, comm, strlen(comm));
	rb_u64(&r, 0, (uint64_t)-100);
	rb_strn(&r, 1, path, strlen(path), 0);
	rb_u64(&r, 2, 0);
	rb_done(&r);
	if (decode_record(r.buf, r.len, &ev)) {
		diag("decode failed");
		return false;
	}
	return filter_event(&f, &ev);
}

static void test_filter_event(void)
{
	reset();
	ok(run_on("/anything", 0, "cat"), "no rules: every event passes");
	parse("openat.args.pathname=/etc/*", false);
	ok(run_on("/etc/passwd", 3, "cat") && !run_on("/tmp/etc/x", 3, "cat"),
	   "prefix glob /etc/*");
	parse("openat.args.pathname=*.so", false);
	ok(run_on("/usr/lib/libc.so", 3, "cat") && run_on("/etc/x", 3, "cat"),
	   "two = filters on one argument are alternatives");
	reset();
	parse("openat.args.pathname=*ss*,/exact", false);
	ok(run_on("/etc/passwd", 0, "x") && run_on("/exact", 0, "x") && !run_on("/exactly", 0, "x"),
	   "contains-glob and exact values");
	reset();
	parse("openat.args.pathname!=/etc/*", false);
	ok(!run_on("/etc/shadow", 0, "x") && run_on("/var/x", 0, "x"), "!= excludes");
	reset();
	parse("openat.retval<0", false);
	ok(run_on("/x", -2, "x") && !run_on("/x", 4, "x"), "retval<0");
	parse("openat.retval>=-2", false);
	ok(run_on("/x", -2, "x") && !run_on("/x", -13, "x"), "retval comparisons combine (and)");
	reset();
	parse("openat.scope.comm=ls,cat", false);
	ok(run_on("/x", 0, "cat") && !run_on("/x", 0, "bash"), "per-event scope comm=");
	reset();
	parse("openat.args.dirfd=-100", false);
	ok(run_on("/x", 0, "a"), "numeric argument equality with a negative value");
	reset();
	{
		char hostile[] = "/tmp/q\"b\\n\nl\xff\xfe";

		parse("openat.args.pathname=/tmp/q\"b\\n*", false);
		ok(run_on(hostile, 0, "a") && !run_on("/tmp/qb", 0, "a"),
		   "quotes, backslashes, newlines and invalid UTF-8 compare as bytes");
	}
}

static void test_derived_config(void)
{
	const struct tr_event_def *fo = events_by_name("security_file_open");
	const struct tr_event_def *cc = events_by_name("commit_creds");
	struct tr_selection sel = { 0 };
	struct tr_config cfg;
	unsigned int i, bad = 0;

	memset(&cfg, 0, sizeof(cfg));
	selection_set(&sel, fo->id, true);
	selection_set(&sel, cc->id, true);
	ok(!filter_fill_config(NULL, &sel, &cfg), "filter_fill_config without scopes");
	ok((cfg.sys_cfg[257] & (TR_SYS_CAPTURE | TR_SYS_DERIVE)) ==
	   (TR_SYS_CAPTURE | TR_SYS_DERIVE) && (cfg.sys_cfg[437] & TR_SYS_DERIVE) &&
	   (cfg.sys_cfg[2] & TR_SYS_DERIVE) && (cfg.sys_cfg[85] & TR_SYS_DERIVE) &&
	   (cfg.sys_cfg[105] & TR_SYS_DERIVE) && (cfg.sys_cfg[126] & TR_SYS_DERIVE),
	   "security_file_open and commit_creds capture their syscalls");
	ok(!(cfg.sys_cfg[257] & TR_SYS_EMIT) && !(cfg.sys_cfg[42] & TR_SYS_DERIVE) &&
	   !cfg.scope_flags, "without emitting them, and nothing else");
	for (i = 0; i < events_nr; i++) {
		const struct tr_event_def *d = &events_table[i];

		if (d->syscalls && (d->id < 1000 || strcmp(d->hook, "raw_tp/sys_enter+sys_exit")))
			bad++;
	}
	ok(!bad, "every derived event is a non-syscall event on the syscall hook");
	memset(&sel, 0, sizeof(sel));
	for (i = 0; i < events_nr; i++)
		if (events_table[i].syscalls)
			selection_set(&sel, events_table[i].id, true);
	memset(&cfg, 0, sizeof(cfg));
	ok(!filter_fill_config(NULL, &sel, &cfg),
	   "every syscall a derived event names is in the events table");
}

static void test_available(void)
{
	struct tr_event_def fake = { .id = 1999, .name = "fake", .hook = "raw_tp/no_such_tp_tracee" };
	char why[160];

	ok(filter_event_available(events_by_name("sched_process_exec"), why, sizeof(why)),
	   "sched_process_exec is available");
	if (access("/sys/kernel/btf/vmlinux", R_OK) && access("/proc/kallsyms", R_OK)) {
		skip(1, "neither kernel BTF nor /proc/kallsyms readable: tracepoints cannot be told");
		return;
	}
	ok(!filter_event_available(&fake, why, sizeof(why)) && strstr(why, "no_such_tp_tracee"),
	   "an event on a missing tracepoint is not, and says which (%s)", why);
}

int main(void)
{
	filter_init(&f);
	test_scopes();
	test_container_scopes();
	test_event_filters();
	test_legacy();
	test_filter_event();
	test_derived_config();
	test_available();
	filter_fini(&f);
	return done_testing();
}
