/* SPDX-License-Identifier: GPL-2.0 */
/*
 * capture.h - -c/--capture: the artifacts an incident needs, kept on disk
 * beside the events that name them.
 *
 * Today's artifact is the executed file (`exec`): every binary a process
 * runs is copied once into the capture directory, named as the original
 * Tracee names it (out/<container id or host>/exec.<time>.<name>), and a
 * capture_exec event says where it went.  A policy can ask for the same
 * capture of one event's process instead of every exec (tracee.capture).
 *
 * The copies are made by a worker thread: the reader only queues a
 * request (a bounded queue, drops counted) and later delivers the
 * capture_exec events the worker finished, so a slow disk never stalls it.
 */
#ifndef TRACEE_CAPTURE_H
#define TRACEE_CAPTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "event.h"

#define CAPTURE_DEF_DIR		"/tmp/tracee"
#define CAPTURE_DEF_MAX_FILE	((uint64_t)64 << 20)	/* one artifact */
#define CAPTURE_DEF_QUOTA	((uint64_t)1 << 30)	/* all artifacts of a run */
#define CAPTURE_WRITE_GLOBS	16	/* -c write=GLOB given at most */

struct capture_opts {
	bool exec;		/* every executed file */
	bool clear_dir;		/* empty <dir>/out before starting */
	const char *dir;	/* NULL: CAPTURE_DEF_DIR */
	uint64_t max_file;	/* bytes per artifact; 0: CAPTURE_DEF_MAX_FILE */
	uint64_t quota;		/* bytes of all artifacts together; 0: CAPTURE_DEF_QUOTA */
	bool given;		/* any -c: the directory is made even when only Lua asks */
	bool write;		/* -c write...: the bytes written to matching files */
	unsigned int write_types;	/* TR_CAPW_* of write:type=; 0: every type */
	unsigned int nr_write_globs;	/* write=GLOB; none: every path */
	const char *write_globs[CAPTURE_WRITE_GLOBS];
	bool mem;		/* -c mem: regions made executable after writable */
	bool bpf;		/* -c bpf: the instructions of BPF programs loaded */
	bool module;		/* -c module: the images init_module is given */
};

/* What the capture did, for the summary and /metrics. */
struct capture_stats {
	uint64_t captured;	/* artifacts stored */
	uint64_t deduplicated;	/* identical to one stored already: not stored again */
	uint64_t bytes;		/* bytes stored */
	uint64_t too_large;	/* over max-file-size */
	uint64_t over_quota;	/* would have passed the quota */
	uint64_t gone;		/* the file was gone or replaced before it could be read */
	uint64_t failed;	/* read or write errors */
	uint64_t queue_full;	/* requests dropped: the worker was behind */
	/* -c write: chunk records from the kernel side */
	uint64_t write_chunks;	/* received, well formed */
	uint64_t write_bad;	/* did not add up: refused */
	uint64_t write_unmatched;	/* past the kernel's prefix, not the whole glob or type */
	uint64_t write_gaps;	/* a call's chunks missing (the ring was full) */
	uint64_t write_cut;	/* calls longer than the kernel sends (TR_CAP_CHUNKS) */
};

/*
 * One -c argument: exec, dir:PATH, clear-dir, max-file-size=SIZE,
 * quota=SIZE (SIZE: bytes, or with K, M or G).  Returns 0, or -EINVAL
 * after one line in err naming the text and the fix.
 */
int capture_parse(struct capture_opts *o, const char *arg, char *err, size_t errlen);

/*
 * Before the kernel side is loaded (a cfg_hook): switch on what -c write
 * needs there.  Returns 0 or -EINVAL after one line.
 */
int capture_fill_config(struct tr_config *cfg);
/* After the loader chose its programs: those -c write needs on.  0 or -errno, said. */
struct bpf_object;
int capture_prog_hook(struct bpf_object *obj);

/*
 * Make <dir>/out private (0700, trusted parents, no symlink followed),
 * empty it first with clear-dir, and start the worker.  Nothing is left
 * behind on failure.  Returns 0 or -errno after one line in err.
 */
int capture_init(const struct capture_opts *o, char *err, size_t errlen);
bool capture_on(void);
/* -c mem: the kernel side must send mem_prot_alert (before load). */
bool capture_wants_mem(void);
/* -c exec: every sched_process_exec (reader thread, after enrichment). */
bool capture_exec_all(void);

/*
 * Copy the executable of ev's process (reader thread; returns at once).
 * For a sched_process_exec the file is the one the kernel executed: its
 * device, inode and ctime from the event must match what is read.
 * Returns 0, -ENOSPC when the queue is full (counted), -ENOTCONN when
 * capture is off.
 */
int capture_exec_request(const struct tr_event *ev);
/*
 * tracee.capture(e, kind): "exec" as above; "file", the file e's pathname
 * (or new_path) names, as e's process sees it, no symlink followed, checked
 * by e's dev and inode when e has them (capture_file); "mem", the region
 * e's addr/address and len/length name, read from /proc/PID/mem up to
 * max-file-size (capture_mem).  0, -EINVAL (unknown kind), -ENOENT (e names
 * no such thing), -ENOSPC, -ENOTCONN as above.
 */
int capture_request(const struct tr_event *ev, const char *kind);

/*
 * A capture record from the kernel side (decode_is_capture()), on the
 * reader's thread: checked, copied and queued for the worker; returns at
 * once.  A full queue is a counted drop.
 */
void capture_record(const void *rec, size_t sz);

/*
 * Reader thread: deliver the capture_* events the worker finished (made,
 * events of tracee's own) and the execs that waited for their sha256
 * (held, read from the kernel side before).  NULL callbacks: dropped.
 */
typedef void (*capture_event_cb)(void *ctx, struct tr_event *ev);
void capture_poll(capture_event_cb made, capture_event_cb held, void *ctx);

void capture_stats(struct capture_stats *st);
/*
 * Let the worker finish what is queued and stop it (no new request is
 * taken after); a last capture_poll() then delivers the rest.
 */
void capture_stop(void);
/* Stop (if not yet), account for the undelivered, close the store. */
void capture_fini(void);

#endif /* TRACEE_CAPTURE_H */
