/* SPDX-License-Identifier: GPL-2.0 */
/*
 * exechash.h - -o option:exec-hash (see exechash.c): sched_process_exec
 * gets a sha256 argument, the executed file's, hashed by the capture worker
 * and cached by (dev, inode, ctime).
 */
#ifndef TRACEE_CAPTURE_EXECHASH_H
#define TRACEE_CAPTURE_EXECHASH_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>

#include "capture.h"
#include "container.h"

/* The file an exec ran, as the worker finds it again (capture.c). */
struct exec_src {
	struct tr_record_hdr hdr;	/* the exec's context */
	uint64_t timestamp_ns;		/* the exec's, epoch ns */
	char container_id[CONTAINER_ID_LEN + 1];
	char path[PATH_MAX];		/* as the exec named it; "" when unknown */
	bool verify;			/* the kernel's ids below are known */
	uint64_t kdev, ino, ctime;
};

/* From an exec event (or any event: its process's executable, unverified). */
void capture_exec_src(const struct tr_event *ev, struct exec_src *s);
/* The executed file opened read-only, checked against the kernel's ids; -ESRCH when gone. */
int capture_open_exec(const struct exec_src *s);
/* Wake the worker for exechash's requests: false when it is not running (or stopping). */
bool capture_kick(void);

struct exechash_stats {
	uint64_t hashed;	/* files read and hashed */
	uint64_t cached;	/* execs answered from the cache */
	uint64_t late;		/* delivered without a hash: past the bound */
	uint64_t failed;	/* delivered without a hash: the file was gone or unreadable */
	uint64_t full;		/* delivered without a hash: too many execs waiting */
};

/* Before capture_init(): option:exec-hash was given. */
void exechash_enable(void);
bool exechash_on(void);
/*
 * Reader: add sha256 to a sched_process_exec.  0: ev has it (or needs
 * none), deliver it now; 1: it is held, capture_poll() delivers it later.
 */
int exechash_event(struct tr_event *ev);
/* Reader, from capture_poll(): deliver the held execs whose hash is known or late. */
void exechash_release(capture_event_cb cb, void *ctx, bool all);
/* Worker, lock of capture.c held or not: any request waiting? */
bool exechash_pending(void);
/* Worker: hash what is asked (no lock held). */
void exechash_work(void);
void exechash_stats(struct exechash_stats *st);
void exechash_fini(void);

#endif /* TRACEE_CAPTURE_EXECHASH_H */
