/* SPDX-License-Identifier: GPL-2.0 */
/*
 * procfs.h - the one reader of /proc: small files read whole, and a
 * process as /proc shows it (for the process tree's first sight of a
 * process and for tracee.process on processes the tree does not know).
 */
#ifndef TRACEE_PROCFS_H
#define TRACEE_PROCFS_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "container.h"
#include "event.h"

#define PROCFS_ARGV_BYTES	4096	/* the most argv a caller may ask for */

struct procfs_proc {
	uint32_t ppid, uid;		/* uid: the real one */
	uint64_t start_ns;		/* CLOCK_MONOTONIC, tick precision */
	char comm[TR_COMM_LEN];
	char exe[PATH_MAX];		/* "" for kernel threads */
	size_t exe_len;
	char argv[PROCFS_ARGV_BYTES];	/* NUL-separated, cut at whole strings */
	size_t argv_len;
	uint32_t nr_argv;
	bool argv_trunc;		/* more bytes or strings than asked for */
	char container_id[CONTAINER_ID_LEN + 1];	/* "" on the host */
};

/* Up to sz bytes of path into buf (not terminated): bytes read or -errno. */
ssize_t procfs_read(const char *path, char *buf, size_t sz);
/* Up to sz - 1 bytes of path into buf, NUL-terminated: bytes read or -errno. */
ssize_t procfs_read_str(const char *path, char *buf, size_t sz);
/*
 * Process pid of <proc_root>: stat, status, exe, cmdline (at most argv_max
 * bytes, at most nr_argv_max strings) and its container.  0 (a kernel
 * thread too) or -errno (gone, unreadable).
 */
int procfs_read_proc(const char *proc_root, uint32_t pid, size_t argv_max,
		     unsigned int nr_argv_max, struct procfs_proc *r);

#endif /* TRACEE_PROCFS_H */
