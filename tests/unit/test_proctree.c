// SPDX-License-Identifier: GPL-2.0
/*
 * test_proctree.c - the process tree driven by synthetic events: seeding
 * from a fake /proc, fork/exec/exit, pid reuse with and without the exit
 * seen, late and reordered events, exec storms, capacity bounds and
 * eviction, ancestry across a parent's exit, and a randomized run against
 * a reference model (hash chains with deletions).  No root needed.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "proctree.h"
#include "../tap.h"

#define H1 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define MS 1000000ULL
#define SEC 1000000000ULL

static char base[64];
static char proc_root[128];
static uint64_t clock_ns = 1000 * SEC;	/* event time, always moving forward */

/* One synthetic event: header, view and the bytes its arguments point to. */
struct sev {
	struct tr_record_hdr hdr;
	struct tr_event ev;
	uint8_t arr[8192];
};

static void sev_init(struct sev *s, uint32_t event_id, uint32_t pid, uint32_t tid,
		     uint64_t start, const char *comm)
{
	memset(s, 0, sizeof(*s));
	clock_ns += MS;
	s->hdr.ts = clock_ns;
	s->hdr.event_id = event_id;
	s->hdr.host_pid = pid;
	s->hdr.host_tid = tid;
	s->hdr.pid = pid;
	s->hdr.tid = tid;
	s->hdr.start_time = start;
	s->hdr.uid = 1000;
	s->hdr.cgroup_id = 0;
	snprintf(s->hdr.comm, sizeof(s->hdr.comm), "%s", comm);
	s->ev.hdr = &s->hdr;
	s->ev.timestamp_ns = s->hdr.ts;
}

static struct tr_arg *sev_arg(struct sev *s, const char *name, enum tr_val_kind kind)
{
	struct tr_arg *a = &s->ev.args[s->ev.nr_args++];

	a->name = name;
	a->kind = kind;
	return a;
}

static void sev_int(struct sev *s, const char *name, int64_t v)
{
	sev_arg(s, name, TR_V_INT)->v.i = v;
}

static void sev_uint(struct sev *s, const char *name, uint64_t v)
{
	sev_arg(s, name, TR_V_UINT)->v.u = v;
}

static void sev_str(struct sev *s, const char *name, const char *v)
{
	struct tr_arg *a = sev_arg(s, name, TR_V_STR);

	a->v.str.p = v;
	a->v.str.len = strlen(v);
}

static void sev_argv(struct sev *s, const char *const *argv, unsigned int n)
{
	struct tr_arg *a = sev_arg(s, "argv", TR_V_STRARR);
	size_t off = 0;
	unsigned int i;

	for (i = 0; i < n; i++) {
		uint32_t len = strlen(argv[i]);

		memcpy(s->arr + off, &len, 4);
		memcpy(s->arr + off + 4, argv[i], len);
		off += 4 + len;
	}
	a->v.arr.p = s->arr;
	a->v.arr.count = n;
	a->v.arr.sz = off;
}

static const struct proc_info *do_fork(uint32_t ppid, uint64_t pstart, uint32_t child,
				       uint64_t cstart)
{
	struct sev s;

	sev_init(&s, TR_EV_SCHED_PROCESS_FORK, ppid, ppid, pstart, "parent");
	sev_int(&s, "parent_tid", ppid);
	sev_int(&s, "parent_ns_tid", ppid);
	sev_int(&s, "parent_pid", ppid);
	sev_int(&s, "parent_ns_pid", ppid);
	sev_int(&s, "child_tid", child);
	sev_int(&s, "child_ns_tid", child);
	sev_int(&s, "child_pid", child);
	sev_int(&s, "child_ns_pid", child);
	sev_uint(&s, "start_time", cstart);
	return proctree_update(&s.ev);
}

static const struct proc_info *do_exec(uint32_t pid, uint64_t start, const char *comm,
				       const char *path, const char *const *argv, unsigned int n)
{
	struct sev s;

	sev_init(&s, TR_EV_SCHED_PROCESS_EXEC, pid, pid, start, comm);
	sev_str(&s, "cmdpath", path);
	sev_str(&s, "pathname", path);
	sev_argv(&s, argv, n);
	return proctree_update(&s.ev);
}

static const struct proc_info *do_exit(uint32_t pid, uint32_t tid, uint64_t start, int group,
				       long code)
{
	struct sev s;

	sev_init(&s, TR_EV_SCHED_PROCESS_EXIT, pid, tid, start, "x");
	sev_int(&s, "exit_code", code);
	sev_arg(&s, "process_group_exit", TR_V_BOOL)->v.u = group;
	return proctree_update(&s.ev);
}

/* Any other event (openat, ...) from pid/tid. */
static const struct proc_info *do_other(uint32_t pid, uint32_t tid, uint64_t start,
					const char *comm)
{
	struct sev s;

	sev_init(&s, 257, pid, tid, start, comm);
	return proctree_update(&s.ev);
}

static void put(const char *rel, const char *data, size_t len)
{
	char path[512];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", proc_root, rel);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || write(fd, data, len) != (ssize_t)len) {
		perror(path);
		exit(1);
	}
	close(fd);
}

/* A fake /proc/<pid> as the kernel lays it out. */
static void fake_proc(uint32_t pid, uint32_t ppid, const char *comm, unsigned long long ticks,
		      unsigned int uid, const char *exe, const char *cmdline, size_t cmdlen,
		      const char *cgroup)
{
	char rel[64], buf[1024], path[512];

	snprintf(path, sizeof(path), "%s/%u", proc_root, pid);
	mkdir(path, 0700);
	snprintf(rel, sizeof(rel), "%u/stat", pid);
	snprintf(buf, sizeof(buf), "%u (%s) S %u %u %u 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 "
		 "%llu 10000000 200 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n",
		 pid, comm, ppid, pid, pid, ticks);
	put(rel, buf, strlen(buf));
	snprintf(rel, sizeof(rel), "%u/status", pid);
	snprintf(buf, sizeof(buf), "Name:\t%s\nUmask:\t0022\nState:\tS (sleeping)\nTgid:\t%u\n"
		 "Pid:\t%u\nPPid:\t%u\nUid:\t%u\t%u\t%u\t%u\n", comm, pid, pid, ppid, uid, uid, uid, uid);
	put(rel, buf, strlen(buf));
	snprintf(rel, sizeof(rel), "%u/cmdline", pid);
	put(rel, cmdline, cmdlen);
	snprintf(rel, sizeof(rel), "%u/cgroup", pid);
	put(rel, cgroup, strlen(cgroup));
	if (exe) {
		snprintf(path, sizeof(path), "%s/%u/exe", proc_root, pid);
		if (symlink(exe, path)) {
			perror(path);
			exit(1);
		}
	}
}

static uint64_t boot_offset(void)
{
	struct timespec b, m;

	clock_gettime(CLOCK_MONOTONIC, &m);
	clock_gettime(CLOCK_BOOTTIME, &b);
	if (b.tv_sec * SEC + b.tv_nsec < m.tv_sec * SEC + m.tv_nsec)
		return 0;
	return (b.tv_sec * SEC + b.tv_nsec) - (m.tv_sec * SEC + m.tv_nsec);
}

static unsigned int argv_count(const struct proc_info *pi)
{
	const char *a;
	unsigned int n = 0;

	for (a = proc_info_argv_next(pi, NULL); a; a = proc_info_argv_next(pi, a))
		n++;
	return n;
}

static bool argv_is(const struct proc_info *pi, const char *const *want, unsigned int n)
{
	const char *a = proc_info_argv_next(pi, NULL);
	unsigned int i;

	for (i = 0; i < n; i++, a = proc_info_argv_next(pi, a))
		if (!a || strcmp(a, want[i]))
			return false;
	return a == NULL && pi->nr_argv == n;
}

static int init_tree(unsigned int max, uint64_t grace)
{
	struct proctree_opts o = {
		.max_entries = max, .grace_ns = grace, .proc_root = proc_root, .cgroup2_root = "",
	};

	proctree_fini();
	return proctree_init(&o);
}

/* Seeding, then the life of a container process. */
static uint64_t seed_start;	/* monotonic start of fake pid 100 */

static void test_seed_and_lifecycle(void)
{
	static const char *const curl[] = { "curl", "-s", "http://example.com/" };
	const struct proc_info *pi, *anc[8];
	struct proctree_stats st;
	struct tr_event ev = { 0 };
	long hz = sysconf(_SC_CLK_TCK);
	uint64_t tick = SEC / (hz > 0 ? hz : 100);
	uint64_t s200 = 200 * SEC;

	fake_proc(1, 0, "init", 1, 0, "/sbin/init", "/sbin/init\0", 11, "0::/init.scope\n");
	fake_proc(100, 1, "bash", 500, 1000, "/usr/bin/bash", "bash\0-l\0", 8,
		  "0::/system.slice/docker-" H1 ".scope\n");
	fake_proc(101, 1, "kworker/0:1", 2, 0, NULL, "", 0, "0::/\n");
	/* a comm with ") " inside, as prctl allows */
	fake_proc(102, 100, "a) b (c", 600, 1000, "/tmp/odd", "odd\0", 4, "0::/\n");
	seed_start = 500 * tick - boot_offset();

	ok(init_tree(0, 0) == 0, "tree initialised");
	ok(proctree_init(NULL) == -EBUSY, "a second init is refused");
	ok(proctree_seed() == 4, "seeded 4 processes from the fake /proc");
	pi = proctree_lookup(100);
	ok(pi && pi->pid == 100 && pi->ppid == 1 && !strcmp(pi->comm, "bash") &&
	   !strcmp(pi->exe, "/usr/bin/bash") && pi->uid == 1000, "seeded: pid, ppid, comm, exe, uid");
	ok(pi && !strcmp(pi->container_id, H1), "seeded: container id from the cgroup file");
	ok(pi && pi->flags & PROC_F_SEEDED && pi->flags & PROC_F_START_COARSE, "seeded: flags");
	ok(pi && (pi->start_ns > seed_start ? pi->start_ns - seed_start : seed_start - pi->start_ns)
		 < MS, "seeded: start time from stat field 22, in monotonic ns");
	ok(pi && argv_count(pi) == 2 && !strcmp(pi->argv, "bash"), "seeded: argv from cmdline");
	pi = proctree_lookup(101);
	ok(pi && !pi->exe[0] && pi->nr_argv == 0, "seeded kernel thread: no exe, no argv");
	pi = proctree_lookup(102);
	ok(pi && !strcmp(pi->comm, "a) b (c") && pi->ppid == 100, "comm with ') ' parsed");
	ok(proctree_ancestors(102, anc, 8) == 2 && anc[0]->pid == 100 && anc[1]->pid == 1,
	   "seeded: ancestry linked after the scan");

	/* An event from the seeded process with its exact start: same entry. */
	pi = do_other(100, 100, seed_start + 4 * MS, "bash");
	proctree_stats(&st);
	ok(pi && pi->pid == 100 && st.stale == 0 && !strcmp(pi->exe, "/usr/bin/bash"),
	   "tick-precision start matches the kernel's exact start");

	pi = do_fork(100, seed_start + 4 * MS, 200, s200);
	ok(pi && pi->pid == 100, "fork returns the parent (the event's process)");
	pi = proctree_lookup(200);
	ok(pi && pi->ppid == 100 && pi->start_ns == s200 && !strcmp(pi->exe, "/usr/bin/bash") &&
	   !strcmp(pi->container_id, H1) && argv_count(pi) == 2, "fork: child inherits");
	ok(proctree_ancestors(200, anc, 8) == 2 && anc[0]->pid == 100 && anc[1]->pid == 1,
	   "fork: ancestors parent first");
	ok(proctree_ancestors(200, anc, 1) == 1, "ancestors: max respected");

	pi = do_exec(200, s200, "curl", "/usr/bin/curl", curl, 3);
	ok(pi && !strcmp(pi->exe, "/usr/bin/curl") && argv_is(pi, curl, 3) &&
	   !strcmp(pi->comm, "curl") && pi->flags & PROC_F_EXEC_SEEN, "exec: exe, argv, comm");
	ok(pi && !strcmp(pi->container_id, H1), "exec: container id kept when /proc is gone");
	proctree_enrich(&ev, pi);
	ok(!strcmp(ev.executable, "/usr/bin/curl") && !strcmp(ev.container_id, H1),
	   "enrich fills the event's executable and container id");
	proctree_enrich(&ev, NULL);
	ok(ev.executable && !ev.executable[0] && ev.container_id && !ev.container_id[0],
	   "enrich with no process: empty strings");

	/* A thread exits: not the process. */
	pi = do_exit(200, 201, s200 + MS, 0, 0);
	ok(pi && !(pi->flags & PROC_F_EXITED), "a thread's exit leaves the process alive");
	/* A new thread: no new process. */
	proctree_stats(&st);
	{
		uint64_t before = st.entries;

		do_fork(200, s200, 200, s200 + 2 * MS);
		proctree_stats(&st);
		ok(st.entries == before, "thread creation adds no process");
	}
	pi = do_exit(200, 200, s200, 1, 7);
	ok(pi && pi->flags & PROC_F_EXITED && pi->exit_code == 7 && pi->exit_ns == clock_ns,
	   "group exit: exited with its code");
	ok(proctree_lookup(200) == pi, "an exited process is still found during the grace period");
}

/* pid 200 is reused by a new process: two entries, the right one each time. */
static void test_pid_reuse(void)
{
	const struct proc_info *pi, *old;
	struct proctree_stats st;
	uint64_t old_start = 200 * SEC, t_old = clock_ns - 2 * MS;
	uint64_t new_start = clock_ns + MS;	/* the fork event's own time */

	do_fork(100, seed_start + 4 * MS, 200, new_start);
	pi = proctree_lookup(200);
	ok(pi && pi->start_ns == new_start && !(pi->flags & PROC_F_EXITED) &&
	   !strcmp(pi->exe, "/usr/bin/bash"), "reused pid: the new process, not grafted on the old");
	old = proctree_lookup_at(200, t_old);
	ok(old && old->start_ns == old_start && !strcmp(old->exe, "/usr/bin/curl"),
	   "lookup_at: the old process for a time in its life");
	ok(proctree_lookup_at(200, clock_ns) == pi, "lookup_at: the new process now");
	ok(proctree_lookup_at(200, old_start - SEC) == NULL, "lookup_at: nothing before both");
	/* A late event of the old process (exact start) resolves to it. */
	pi = do_other(200, 200, old_start, "curl");
	ok(pi && pi->start_ns == old_start, "late event of the old process finds the old entry");

	/* Exit never seen (lost), then the pid comes back. */
	do_fork(100, seed_start + 4 * MS, 300, 300 * SEC);
	do_fork(100, seed_start + 4 * MS, 300, 301 * SEC);
	proctree_stats(&st);
	pi = proctree_lookup(300);
	ok(pi && pi->start_ns == 301 * SEC && st.stale == 1, "missed exit: stale entry replaced");
	old = proctree_lookup_at(300, 300 * SEC + MS);
	ok(old && old->start_ns == 300 * SEC && old->flags & PROC_F_EXITED,
	   "missed exit: the old one is marked exited");

	/* An event with a newer start than the live entry (fork lost): replaced. */
	pi = do_other(300, 300, 302 * SEC, "new");
	proctree_stats(&st);
	ok(pi && pi->start_ns == 302 * SEC && st.stale == 2 && pi->flags & PROC_F_PARTIAL &&
	   !strcmp(pi->comm, "new"), "missed fork: partial entry from the event header");
	/* ...and an event older than every entry for the pid is not misattributed. */
	ok(do_other(300, 300, 299 * SEC, "ghost") == NULL,
	   "an event of a process never seen, older than the live one: no entry");
}

/* Events out of order (perf buffers are per CPU). */
static void test_reorder(void)
{
	static const char *const argv[] = { "sh", "-c", "id" };
	const struct proc_info *pi, *anc[4];
	uint64_t s = clock_ns + MS;

	pi = do_exec(500, s, "sh", "/bin/sh", argv, 3);
	ok(pi && pi->flags & PROC_F_EXEC_SEEN && !strcmp(pi->exe, "/bin/sh"),
	   "exec before fork: entry made from the exec");
	do_fork(100, seed_start + 4 * MS, 500, s);
	pi = proctree_lookup(500);
	ok(pi && !strcmp(pi->exe, "/bin/sh") && argv_is(pi, argv, 3) && pi->ppid == 100,
	   "late fork links the parent and keeps the exec's data");
	ok(proctree_ancestors(500, anc, 4) == 2 && anc[0]->pid == 100,
	   "late fork: ancestry complete");

	{
		struct proctree_stats a, b;

		proctree_stats(&a);
		pi = do_other(800, 801, 0, "worker");
		ok(pi && pi->flags & PROC_F_START_UNKNOWN && pi->flags & PROC_F_PARTIAL,
		   "a thread's event before its process's fork: partial, start unknown");
		do_fork(100, seed_start + 4 * MS, 800, s + 2 * MS);
		proctree_stats(&b);
		pi = proctree_lookup(800);
		ok(pi && pi->start_ns == s + 2 * MS && pi->ppid == 100 && b.stale == a.stale &&
		   b.entries == a.entries + 1, "the late fork completes that entry, no duplicate");
	}

	pi = do_exit(600, 600, s + MS, 1, 0);
	ok(pi && pi->flags & PROC_F_EXITED, "exit of an unknown process: remembered as exited");
	do_fork(100, seed_start + 4 * MS, 600, s + MS);
	pi = proctree_lookup(600);
	ok(pi && pi->flags & PROC_F_EXITED && pi->ppid == 100,
	   "a late fork does not bring an exited process back to life");
}

/* Exec storm: one process, many execs, big and small; nothing grows. */
static void test_exec_storm(void)
{
	static char longpath[4200];
	static char longarg[900];
	const char *argv[PROCTREE_ARGV_MAX + 8];
	const struct proc_info *pi;
	struct proctree_stats a, b;
	uint64_t s = clock_ns + MS;
	unsigned int i, n_ok = 0;

	memset(longpath, 'p', sizeof(longpath) - 1);
	longpath[0] = '/';
	longpath[4095] = '\0';	/* PATH_MAX - 1 bytes */
	memset(longarg, 'a', sizeof(longarg) - 1);
	for (i = 0; i < PROCTREE_ARGV_MAX + 8; i++)
		argv[i] = "arg";
	do_fork(100, seed_start + 4 * MS, 700, s);
	proctree_stats(&a);
	for (i = 0; i < 20000; i++) {
		char small[32];
		const char *path = small;
		unsigned int n = 1 + i % 3;

		snprintf(small, sizeof(small), "/bin/p%u", i);
		if (i % 10 == 0)
			path = longpath;
		if (i % 7 == 0) {
			argv[0] = longarg;
			n = 3;
		} else {
			argv[0] = "arg";
		}
		pi = do_exec(700, s, "p", path, argv, n);
		if (pi && !strcmp(pi->exe, path) && pi->nr_argv == n && pi->pid == 700)
			n_ok++;
	}
	proctree_stats(&b);
	ok(n_ok == 20000, "exec storm: every exec applied (%u/20000)", n_ok);
	ok(b.entries <= a.entries && a.live == b.live && b.stale == a.stale,
	   "exec storm: no new entries, nothing stale");
	pi = proctree_lookup(700);
	ok(pi && pi->ppid == 100, "exec storm: parent link intact");

	argv[0] = "arg";	/* the storm's last exec may have left the long one */
	pi = do_exec(700, s, "p", "/bin/many", argv, PROCTREE_ARGV_MAX + 8);
	ok(pi && pi->nr_argv == PROCTREE_ARGV_MAX && pi->flags & PROC_F_ARGV_TRUNC,
	   "argv bounded to %d entries and marked", PROCTREE_ARGV_MAX);
	argv[0] = longarg;
	argv[1] = longarg;
	pi = do_exec(700, s, "p", "/bin/two", argv, 2);
	ok(pi && pi->nr_argv == 1 && pi->flags & PROC_F_ARGV_TRUNC && pi->argv_len == 900,
	   "argv bounded to %d bytes, whole strings", PROCTREE_ARGV_BYTES);
	pi = do_exec(700, s, "p", longpath, argv, 1);
	ok(pi && strlen(pi->exe) == 4095 && !(pi->flags & PROC_F_EXE_TRUNC),
	   "a PATH_MAX exe is kept whole");
}

/* Ancestry survives a parent's exit as long as the child lives. */
static void test_held_parent(void)
{
	const struct proc_info *anc[4];
	struct proctree_stats st;
	uint64_t s = clock_ns;
	uint64_t before;

	ok(init_tree(64, 1 * SEC) == 0, "small tree: 64 entries, 1 s grace");
	do_fork(1, 0, 10, s);
	do_fork(10, s, 11, s + MS);	/* the daemon's intermediate */
	do_fork(11, s + MS, 12, s + 2 * MS);	/* the daemon */
	do_exit(11, 11, s + MS, 1, 0);
	clock_ns += 10 * SEC;
	do_other(10, 10, s, "keep");	/* moves time: the grace period is over */
	ok(proctree_ancestors(12, anc, 4) == 3 && anc[0]->pid == 11 && anc[1]->pid == 10 &&
	   anc[2]->pid == 1,
	   "exited parent kept while its child lives");
	proctree_stats(&st);
	before = st.entries;
	do_exit(12, 12, s + 2 * MS, 1, 0);
	clock_ns += 10 * SEC;
	do_other(10, 10, s, "keep");
	do_other(10, 10, s, "keep");
	proctree_stats(&st);
	ok(st.entries == before - 2 && !proctree_lookup(11) && !proctree_lookup(12),
	   "child gone: both expire after the grace period");
	ok(st.expired >= 2, "expired counter");
}

/* Capacity: a fork storm cannot grow the tree. */
static void test_bounds(void)
{
	const struct proc_info *pi;
	struct proctree_stats st;
	uint64_t s = clock_ns;
	unsigned int i;

	ok(init_tree(64, 1 * SEC) == 0, "tree of 64");
	do_fork(1, 0, 10, s);
	for (i = 0; i < 10000; i++) {
		do_fork(10, s, 1000 + i, s + i + 1);
		do_exit(1000 + i, 1000 + i, s + i + 1, 1, 0);
	}
	proctree_stats(&st);
	ok(st.entries <= 64 && st.capacity == 64, "fork+exit storm: %llu entries <= 64",
	   (unsigned long long)st.entries);
	ok(st.evictions > 0 && st.evictions_live == 0, "exited entries evicted, live ones kept");
	pi = proctree_lookup(10);
	ok(pi && !(pi->flags & PROC_F_EXITED), "the long-lived parent survived the storm");

	for (i = 0; i < 1000; i++)
		do_fork(10, s, 20000 + i, s + 20000 + i);
	proctree_stats(&st);
	ok(st.entries <= 64 && st.evictions_live > 0,
	   "more live processes than room: bounded, live evictions counted");
	pi = proctree_lookup(20999);
	ok(pi && pi->ppid == 10, "the newest process is there");
	ok(proctree_lookup(20000) == NULL, "the least recently seen one was evicted");
	pi = do_other(20000, 20000, s + 20000, "back");
	ok(pi && pi->pid == 20000 && pi->flags & PROC_F_PARTIAL,
	   "an evicted process comes back from its next event");
}

/* Random forks/exits/reuse over few pids (long hash chains) against a model. */
static void test_model(void)
{
	enum { NPID = 97, STEPS = 200000 };
	static uint64_t model_start[NPID];	/* 0: no live process */
	unsigned int i, bad = 0, lookups = 0;
	uint64_t s0 = clock_ns;

	ok(init_tree(128, 50 * MS) == 0, "tree for the model run (dense hash: long chains)");
	do_fork(1, 0, 2, s0);
	srand(12345);
	for (i = 0; i < STEPS; i++) {
		uint32_t pid = 3 + rand() % NPID;
		uint32_t slot = pid - 3;
		const struct proc_info *pi;

		switch (rand() % 4) {
		case 0:
		case 1:	/* fork (reusing the pid even if the model has it: a lost exit) */
			model_start[slot] = clock_ns + 1;
			do_fork(2, s0, pid, model_start[slot]);
			break;
		case 2:
			if (model_start[slot]) {
				do_exit(pid, pid, model_start[slot], 1, 0);
				model_start[slot] = 0;
			}
			break;
		default:
			break;
		}
		if (i % 97)
			continue;
		for (slot = 0; slot < NPID; slot++) {
			pi = proctree_lookup(3 + slot);
			lookups++;
			if (model_start[slot] ? !pi || pi->start_ns != model_start[slot] ||
						 pi->flags & PROC_F_EXITED
					      : pi && !(pi->flags & PROC_F_EXITED))
				bad++;
		}
	}
	ok(bad == 0, "model run: %u mismatches in %u lookups", bad, lookups);
	{
		struct proctree_stats st;

		proctree_stats(&st);
		ok(st.entries <= 128 && st.live <= NPID + 1, "model run: bounded (%llu entries)",
		   (unsigned long long)st.entries);
	}
}

static void test_real_proc(void)
{
	struct proctree_opts o = { 0 };
	const struct proc_info *pi;
	char exe[4096];
	ssize_t n;

	proctree_fini();
	ok(proctree_init(&o) == 0, "tree over the real /proc");
	ok(proctree_seed() > 1, "seeded from /proc");
	pi = proctree_lookup(getpid());
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0)
		exe[n] = '\0';
	ok(pi && n > 0 && !strcmp(pi->exe, exe) && pi->ppid == (uint32_t)getppid() &&
	   pi->uid == getuid(), "this test process is in the tree with its exe and parent");
	ok(proctree_lookup(1) != NULL, "pid 1 is in the tree");
	proctree_fini();
	proctree_fini();
	ok(proctree_lookup(1) == NULL && proctree_update(NULL) == NULL, "after fini: nothing");
}

int main(void)
{
	char cmd[160];

	snprintf(base, sizeof(base), "/tmp/tracee-test-proctree.XXXXXX");
	if (!mkdtemp(base)) {
		perror("mkdtemp");
		return 1;
	}
	snprintf(proc_root, sizeof(proc_root), "%s/proc", base);
	mkdir(proc_root, 0700);

	test_seed_and_lifecycle();
	test_pid_reuse();
	test_reorder();
	test_exec_storm();
	test_held_parent();
	test_bounds();
	test_model();
	test_real_proc();

	snprintf(cmd, sizeof(cmd), "rm -rf %s", base);
	if (system(cmd))
		diag("could not remove %s", base);
	return done_testing();
}
