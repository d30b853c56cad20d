/* SPDX-License-Identifier: GPL-2.0 */
/*
 * capwrite.h - -c write (see capwrite.c): the kernel side's chunks checked
 * on the reader's thread, written into their files on the worker's.
 */
#ifndef TRACEE_CAPTURE_CAPWRITE_H
#define TRACEE_CAPTURE_CAPWRITE_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capture.h"

/* One chunk, taken apart (data points into the record, or the queued copy). */
struct capwrite_chunk {
	struct tr_record_hdr hdr;
	struct tr_cap_chunk c;
	const uint8_t *data;
	char path[TR_PATH_MAX + 1];
};

/* A call's bytes all written: what its capture_file_write event says. */
struct capwrite_done {
	uint64_t dev, inode, bytes;
	uint64_t address;	/* -c mem: the region's */
	char capture_path[PATH_MAX];
};

/* write, write=GLOB, write:path=GLOB, write:type=T, mem: 0, -EINVAL (err set), 1: not ours. */
int capwrite_parse(struct capture_opts *o, const char *arg, char *err, size_t errlen);
/* Before load: the kernel side's switch, prefixes and the four syscalls. */
int capwrite_fill_config(const struct capture_opts *o, struct tr_config *cfg);
/* After the loader chose the programs: sys_exit on, which no event may have needed. */
struct bpf_object;
int capwrite_prog_hook(const struct capture_opts *o, struct bpf_object *obj);
/*
 * Reader: 0 and out filled for a chunk to store; 1 for one no glob or type
 * wants (counted); -EINVAL for a record that does not add up (counted).
 */
int capwrite_check(const struct capture_opts *o, const void *rec, size_t sz,
		   struct capwrite_chunk *out, struct capture_stats *st);
/* Worker: write it; 1 when it ended a call (done filled), 0, or -errno. */
int capwrite_store(const struct capwrite_chunk *w, const char *subdir, uint64_t max_file,
		   struct capwrite_done *done, struct capture_stats *st);
void capwrite_close(void);

/*
 * capture.c: path opened read-only as the process of hdr saw it (through
 * /proc/PID/root, or its parent's, or for a host process ours), no symlink
 * followed, and (verify) only when it is the file of device kdev (the
 * kernel's encoding) and inode ino.  -ESRCH when none is.
 */
int capture_open_at(const struct tr_record_hdr *hdr, bool in_container, const char *path,
		    bool verify, uint64_t kdev, uint64_t ino);

#endif /* TRACEE_CAPTURE_CAPWRITE_H */
