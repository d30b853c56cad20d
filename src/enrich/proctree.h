/* SPDX-License-Identifier: GPL-2.0 */
/*
 * proctree.h - the process tree: who ran what, from which parent, in which
 * container.
 *
 * Seeded from /proc at start, then kept current by the lifecycle events
 * (sched_process_fork, sched_process_exec, sched_process_exit) and the
 * context of every other event.  One tree per tracee process; not thread
 * safe (the reader thread owns it).
 *
 * Entries are processes (thread groups), keyed by (host pid, start time):
 * a recycled pid never inherits an old process's data, and late events of a
 * process that exited are still resolved during a grace period
 * (proctree_lookup_at()).  Exited entries stay while they have children in
 * the tree (so ancestry survives a parent's exit), bounded by the capacity:
 * when full, the oldest exited entry goes first, then the least recently
 * seen live one.
 *
 * Times are CLOCK_MONOTONIC ns, the clock of tr_record_hdr.ts/start_time.
 * Processes seeded from /proc have a start time of clock-tick precision
 * (10 ms with USER_HZ 100; PROC_F_START_COARSE), converted from boot time,
 * which is off by the time the machine was suspended since the process
 * started.
 */
#ifndef TRACEE_PROCTREE_H
#define TRACEE_PROCTREE_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "container.h"
#include "event.h"

#define PROCTREE_ARGV_BYTES	1024	/* argv kept per process, then PROC_F_ARGV_TRUNC */
#define PROCTREE_ARGV_MAX	TR_ARGV_MAX

/* proc_info.flags */
#define PROC_F_EXITED		0x0001	/* the thread group exited (exit_ns, exit_code) */
#define PROC_F_SEEDED		0x0002	/* read from /proc, not seen being forked */
#define PROC_F_START_COARSE	0x0004	/* start_ns has clock-tick precision (from /proc) */
#define PROC_F_EXEC_SEEN	0x0008	/* exe/argv come from an exec event */
#define PROC_F_ARGV_TRUNC	0x0010	/* argv was cut (by the kernel side or here) */
#define PROC_F_EXE_TRUNC	0x0020	/* exe was cut (string memory budget exhausted) */
#define PROC_F_PARTIAL		0x0040	/* built from an event header only: exe/argv unknown */
#define PROC_F_START_UNKNOWN	0x0080	/* start_ns not known yet */

struct proc_info {
	uint32_t pid;			/* host pid (thread group id) */
	uint32_t ppid;			/* host pid of the parent it was forked from */
	uint64_t start_ns;		/* process start, CLOCK_MONOTONIC ns */
	uint64_t exec_ns;		/* last exec seen (event time), 0 for none */
	uint64_t exit_ns;		/* event time of the group exit, 0 while alive */
	uint64_t cgroup_id;		/* cgroup v2 id last seen */
	uint32_t uid;
	int32_t exit_code;
	uint32_t flags;			/* PROC_F_* */
	uint32_t nr_argv;		/* strings in argv */
	uint32_t argv_len;		/* bytes in argv, NULs included */
	char comm[TR_COMM_LEN];		/* NUL-terminated */
	char container_id[CONTAINER_ID_LEN + 1];	/* 64 hex or "" */
	const char *exe;		/* NUL-terminated, "" when unknown */
	const char *argv;		/* nr_argv NUL-terminated strings back to back */
};

/*
 * The next argv string after prev (NULL: the first); NULL at the end.
 *	for (a = proc_info_argv_next(pi, NULL); a; a = proc_info_argv_next(pi, a))
 */
static inline const char *proc_info_argv_next(const struct proc_info *pi, const char *prev)
{
	const char *p = prev ? prev + strlen(prev) + 1 : pi->argv;

	return pi->argv && p < pi->argv + pi->argv_len ? p : NULL;
}

struct proctree_opts {
	unsigned int max_entries;	/* 0: 32768 */
	uint64_t grace_ns;		/* keep exited processes this long; 0: 5 s */
	const char *proc_root;		/* NULL: "/proc" (tests use a fake tree) */
	const char *cgroup2_root;	/* NULL: from mountinfo; "": none */
	bool recorded_containers;	/* a replay: each event's container id is its process's */
};

/* Set up the (empty) tree.  opts may be NULL.  0 or -ENOMEM/-EBUSY. */
int proctree_init(const struct proctree_opts *opts);
/* Release everything; NULL-safe in spirit: fine without init. */
void proctree_fini(void);

/*
 * Add every process of /proc.  Call after the programs are attached, so a
 * process started meanwhile is either read here or seen by its events.
 * Returns the number of processes added, or -errno when /proc cannot be
 * read at all.
 */
int proctree_seed(void);

/*
 * Apply one decoded event (any event: lifecycle events change the tree,
 * the others refresh uid/comm/cgroup and add processes not known yet).
 * Returns the event's process after the update (NULL when ev has no
 * header), valid until the next update.
 */
const struct proc_info *proctree_update(const struct tr_event *ev);

/* Fill ev->container_id and ev->executable from pi ("" when pi is NULL). */
void proctree_enrich(struct tr_event *ev, const struct proc_info *pi);

/* Every live process, in no set order (the containers running at start, say). */
void proctree_foreach_live(void (*cb)(void *ctx, const struct proc_info *pi), void *ctx);

/* The live process with this host pid, else the latest exited one; NULL if none. */
const struct proc_info *proctree_lookup(uint32_t host_pid);
/* The process with this host pid that existed at ts_ns (late events); NULL if none did. */
const struct proc_info *proctree_lookup_at(uint32_t host_pid, uint64_t ts_ns);
/* The process's parent in the tree, NULL when unknown or evicted. */
const struct proc_info *proctree_parent(const struct proc_info *pi);
/*
 * Up to max ancestors of host_pid, parent first.  Returns how many were
 * stored (0 when the process or its parent is unknown).  The chain stops at
 * the first parent no longer in the tree.
 */
int proctree_ancestors(uint32_t host_pid, const struct proc_info **out, unsigned int max);

struct proctree_stats {
	uint64_t entries;		/* in the tree now */
	uint64_t live;			/* not exited */
	uint64_t capacity;
	uint64_t evictions;		/* exited entries dropped to make room */
	uint64_t evictions_live;	/* live entries dropped to make room (tree too small) */
	uint64_t expired;		/* exited entries dropped after the grace period */
	uint64_t stale;			/* live entries replaced by a new process with their pid */
	uint64_t seeded;
	uint64_t proc_reads;		/* processes read from /proc after the seed */
	uint64_t str_trunc;		/* strings cut by the memory budget */
};

void proctree_stats(struct proctree_stats *st);

/* The container cache the tree uses (for cgroup-id-only lookups); NULL before init. */
struct container_cache *proctree_containers(void);

#endif /* TRACEE_PROCTREE_H */
