// SPDX-License-Identifier: GPL-2.0
/*
 * test_capwrite.c - the chunk records of -c write, mem, bpf and module, built by
 * hand: what capwrite_check() refuses, the gaps and cut calls it counts,
 * the globs and types it applies, and how capwrite_store() puts chunks back
 * together (at their offsets, appended for pipes, within max-file-size).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "capwrite.h"
#include "decode.h"
#include "store.h"
#include "../tap.h"

static uint8_t rec[TR_RECORD_MAX];

/* A chunk record: returns its size.  data bytes are fill + their offset in the call. */
static size_t mk(uint32_t kind, uint32_t tid, uint64_t ts, uint32_t seq, uint32_t len,
		 uint64_t total, uint16_t index, uint8_t flags, uint8_t ftype, uint64_t offset,
		 const char *path)
{
	struct tr_record_hdr *h = (void *)rec;
	struct tr_cap_chunk c;
	size_t plen = strlen(path), i;

	memset(rec, 0, sizeof(*h));
	h->event_id = kind;
	h->host_tid = tid;
	h->host_pid = tid;
	h->ts = ts;
	memset(&c, 0, sizeof(c));
	c.dev = 7;
	c.inode = 42;
	c.offset = offset;
	c.total = total;
	c.seq = seq;
	c.len = len;
	c.index = index;
	c.path_len = plen;
	c.ftype = ftype;
	c.flags = flags;
	memcpy(rec + sizeof(*h), &c, sizeof(c));
	memcpy(rec + sizeof(*h) + sizeof(c), path, plen);
	for (i = 0; i < len; i++)
		rec[sizeof(*h) + sizeof(c) + plen + i] = (uint8_t)(seq + i);
	h->size = sizeof(*h) + sizeof(c) + plen + len;
	return h->size;
}

static struct capwrite_chunk w;

/* finit_module's record for path, its dev and inode (ino_delta: another's), from us. */
static size_t mk_file(const char *path, unsigned int ino_delta, uint8_t flags)
{
	struct tr_cap_chunk *c = (void *)(rec + sizeof(struct tr_record_hdr));
	struct stat st;
	size_t sz;

	sz = mk(TR_REC_CAPTURE_MODULE, getpid(), 9, 0, 0, 0, 0, flags, TR_CAPW_REGULAR, 0, path);
	if (stat(path, &st))
		memset(&st, 0, sizeof(st));
	c->dev = (uint64_t)major(st.st_dev) << 20 | minor(st.st_dev);
	c->inode = st.st_ino + ino_delta;
	return sz;
}

int main(void)
{
	struct capture_opts o = { .write = true, .mem = true };
	struct capture_stats st = { 0 };
	struct capwrite_done done;
	char dir[] = "/tmp/tracee-test-capwrite.XXXXXX", err[512], p[PATH_MAX];
	uint8_t buf[16384];
	size_t sz;
	int fd, i;

	/* well formed, and routed away from the event decoder */
	sz = mk(TR_REC_CAPTURE_WRITE, 100, 1, 0, 10, 10, 0, TR_CAPF_LAST, TR_CAPW_REGULAR, 0,
		"/etc/a.conf");
	ok(decode_is_capture(rec, sz), "a chunk record is a capture record");
	ok(capwrite_check(&o, rec, sz, &w, &st) == 0, "a well-formed chunk is taken");
	ok(!strcmp(w.path, "/etc/a.conf") && w.c.len == 10 && w.data[3] == 3,
	   "its path and data are where they belong");

	/* what does not add up */
	sz = mk(TR_REC_CAPTURE_WRITE, 101, 1, 0, 10, 10, 0, TR_CAPF_LAST, TR_CAPW_REGULAR, 0, "/x");
	ok(capwrite_check(&o, rec, sz - 1, &w, &st) == -EINVAL, "a record cut short is refused");
	((struct tr_record_hdr *)rec)->size += 1;
	ok(capwrite_check(&o, rec, sz + 1, &w, &st) == -EINVAL,
	   "a size that does not add up is refused");
	sz = mk(TR_REC_CAPTURE_WRITE, 101, 1, 0, 4097, 5000, 0, 0, TR_CAPW_REGULAR, 0, "/x");
	ok(capwrite_check(&o, rec, sz, &w, &st) == -EINVAL, "a chunk over 4 KiB is refused");
	sz = mk(TR_REC_CAPTURE_WRITE, 101, 1, 8, 10, 10, 0, 0, TR_CAPW_REGULAR, 0, "/x");
	ok(capwrite_check(&o, rec, sz, &w, &st) == -EINVAL,
	   "a chunk past the call's total is refused");
	sz = mk(TR_REC_CAPTURE_MEM, 101, 1, 0, 10, 10, 0, 0, 0, 0, "/x");
	ok(capwrite_check(&o, rec, sz, &w, &st) == -EINVAL, "a mem chunk with a path is refused");
	sz = mk(TR_REC_CAPTURE_BPF, 101, 1, 0, 8, 8, 0, 0, 0, 0, "");
	ok(capwrite_check(&o, rec, sz, &w, &st) == -EINVAL,
	   "a bpf chunk without -c bpf is refused");
	ok(capwrite_check(&o, rec, 100, &w, &st) == -EINVAL, "less than a header is refused");
	ok(st.write_bad == 7, "each refusal is counted (%llu)", (unsigned long long)st.write_bad);

	/* order: a chunk missing in a call, a call whose end never came, a cut call */
	memset(&st, 0, sizeof(st));
	sz = mk(TR_REC_CAPTURE_WRITE, 200, 5, 0, 4096, 20000, 0, 0, TR_CAPW_REGULAR, 0, "/a");
	capwrite_check(&o, rec, sz, &w, &st);
	sz = mk(TR_REC_CAPTURE_WRITE, 200, 5, 4096, 4096, 20000, 1, 0, TR_CAPW_REGULAR, 0, "/a");
	capwrite_check(&o, rec, sz, &w, &st);
	ok(st.write_gaps == 0, "chunks in order: no gap");
	sz = mk(TR_REC_CAPTURE_WRITE, 200, 5, 12288, 4096, 20000, 3, 0, TR_CAPW_REGULAR, 0, "/a");
	capwrite_check(&o, rec, sz, &w, &st);
	ok(st.write_gaps == 1, "a chunk missing within a call is counted");
	sz = mk(TR_REC_CAPTURE_WRITE, 200, 6, 0, 100, 100, 0, TR_CAPF_LAST, TR_CAPW_REGULAR, 0,
		"/a");
	capwrite_check(&o, rec, sz, &w, &st);
	ok(st.write_gaps == 2, "a call whose last chunk never came is counted at the next");
	sz = mk(TR_REC_CAPTURE_WRITE, 200, 7, 0, 100, 300000, 0, TR_CAPF_LAST, TR_CAPW_REGULAR, 0,
		"/a");
	capwrite_check(&o, rec, sz, &w, &st);
	ok(st.write_cut == 1 && st.write_gaps == 2,
	   "a call ended short of its total is counted as cut");

	/* globs and types */
	o.write_globs[o.nr_write_globs++] = "/etc/*.conf";
	o.write_globs[o.nr_write_globs++] = "/var/log";
	sz = mk(TR_REC_CAPTURE_WRITE, 300, 1, 0, 1, 1, 0, TR_CAPF_LAST, TR_CAPW_REGULAR, 0,
		"/etc/x.conf");
	ok(capwrite_check(&o, rec, sz, &w, &st) == 0, "a path the glob matches is taken");
	sz = mk(TR_REC_CAPTURE_WRITE, 300, 2, 0, 1, 1, 0, TR_CAPF_LAST, TR_CAPW_REGULAR, 0,
		"/etc/x.confd");
	ok(capwrite_check(&o, rec, sz, &w, &st) == 1,
	   "past the kernel's prefix, not the glob: dropped");
	sz = mk(TR_REC_CAPTURE_WRITE, 300, 3, 0, 1, 1, 0, TR_CAPF_LAST, TR_CAPW_REGULAR, 0,
		"/var/log/syslog");
	ok(capwrite_check(&o, rec, sz, &w, &st) == 0, "a glob without wildcards is a prefix");
	o.write_types = TR_CAPW_REGULAR;
	sz = mk(TR_REC_CAPTURE_WRITE, 300, 4, 0, 1, 1, 0, TR_CAPF_LAST, TR_CAPW_PIPE, 0,
		"/var/log/fifo");
	ok(capwrite_check(&o, rec, sz, &w, &st) == 1, "a type not asked for: dropped");
	ok(st.write_unmatched == 2, "both counted as not matching");
	o.nr_write_globs = 0;
	o.write_types = 0;
	sz = mk(TR_REC_CAPTURE_WRITE, 300, 5, 0, 1, 1, 0, TR_CAPF_LAST, TR_CAPW_PIPE, 0, "");
	capwrite_check(&o, rec, sz, &w, &st);
	ok(!strcmp(w.path, "pipe:[42]"), "an anonymous pipe is named pipe:[inode] (%s)", w.path);

	/* the store: chunks at their offsets, pipes appended, max-file-size */
	if (!mkdtemp(dir))
		bail_out("mkdtemp failed");
	ok(store_open(dir, false, 6000, 1 << 20, err, sizeof(err)) == 0, "store_open: %s", err);
	memset(&st, 0, sizeof(st));
	/* the second chunk of a pwrite at 1000 first, then the first */
	sz = mk(TR_REC_CAPTURE_WRITE, 400, 1, 4096, 904, 5000, 1, TR_CAPF_LAST, TR_CAPW_REGULAR,
		1000 + 4096, "/f");
	capwrite_check(&o, rec, sz, &w, &st);
	ok(capwrite_store(&w, "host", 6000, &done, &st) == 1, "the last chunk ends the call");
	sz = mk(TR_REC_CAPTURE_WRITE, 400, 1, 0, 4096, 5000, 0, 0, TR_CAPW_REGULAR, 1000, "/f");
	capwrite_check(&o, rec, sz, &w, &st);
	ok(capwrite_store(&w, "host", 6000, &done, &st) == 0, "a chunk that does not end it: 0");
	snprintf(p, sizeof(p), "%s/out/host/write.dev-7.inode-42", dir);
	fd = open(p, O_RDONLY);
	ok(fd >= 0 && pread(fd, buf, sizeof(buf), 0) == 6000, "the file reaches 1000 + 5000 bytes");
	for (i = 0; i < 5000 && buf[1000 + i] == (uint8_t)i; i++)
		;
	ok(i == 5000, "each byte at its offset, whatever the order the chunks came in");
	/* over max-file-size: cut there */
	sz = mk(TR_REC_CAPTURE_WRITE, 400, 2, 0, 100, 100, 0, TR_CAPF_LAST, TR_CAPW_REGULAR, 5950,
		"/f");
	capwrite_check(&o, rec, sz, &w, &st);
	capwrite_store(&w, "host", 6000, &done, &st);
	ok(st.too_large == 1 && done.bytes == 50, "past max-file-size: cut there, counted");
	if (fd >= 0)
		close(fd);
	/* a pipe: one call after the other, whatever the offsets say */
	sz = mk(TR_REC_CAPTURE_WRITE, 401, 1, 0, 10, 10, 0, TR_CAPF_LAST, TR_CAPW_PIPE, 0, "");
	((struct tr_cap_chunk *)(rec + sizeof(struct tr_record_hdr)))->inode = 43;
	capwrite_check(&o, rec, sz, &w, &st);
	capwrite_store(&w, "host", 6000, &done, &st);
	sz = mk(TR_REC_CAPTURE_WRITE, 401, 2, 0, 10, 10, 0, TR_CAPF_LAST, TR_CAPW_PIPE, 0, "");
	((struct tr_cap_chunk *)(rec + sizeof(struct tr_record_hdr)))->inode = 43;
	capwrite_check(&o, rec, sz, &w, &st);
	ok(capwrite_store(&w, "host", 6000, &done, &st) == 1 && done.bytes == 10,
	   "the pipe's second call: its 10 bytes");
	snprintf(p, sizeof(p), "%s/out/host/write.dev-7.inode-43", dir);
	fd = open(p, O_RDONLY);
	ok(fd >= 0 && pread(fd, buf, sizeof(buf), 0) == 20, "a pipe's calls follow each other");
	if (fd >= 0)
		close(fd);

	/* finit_module: a record naming the file, copied if it is that device and inode */
	o.module = true;
	memset(&st, 0, sizeof(st));
	snprintf(p, sizeof(p), "%s/m.ko", dir);
	fd = open(p, O_WRONLY | O_CREAT | O_EXCL, 0600);
	ok(fd >= 0 && write(fd, "not-a-module", 12) == 12, "a module file to copy");
	if (fd >= 0)
		close(fd);
	sz = mk_file(p, 0, TR_CAPF_FILE | TR_CAPF_LAST);
	ok(capwrite_check(&o, rec, sz, &w, &st) == 0, "a finit_module record is taken");
	ok(capwrite_store(&w, "host", 6000, &done, &st) == 1 && done.bytes == 12 &&
	   st.captured == 1, "its file is copied: 12 bytes, one artifact");
	fd = open(done.capture_path, O_RDONLY);
	ok(fd >= 0 && pread(fd, buf, sizeof(buf), 0) == 12 && !memcmp(buf, "not-a-module", 12),
	   "byte for byte (%s)", done.capture_path);
	if (fd >= 0)
		close(fd);
	sz = mk_file(p, 1, TR_CAPF_FILE | TR_CAPF_LAST);
	capwrite_check(&o, rec, sz, &w, &st);
	ok(capwrite_store(&w, "host", 6000, &done, &st) == -ESRCH && st.gone == 1,
	   "another inode at the path: not copied, counted as gone");
	snprintf(p, sizeof(p), "%s/link", dir);
	ok(!symlink(".", p), "a symlink to the directory");
	snprintf(p, sizeof(p), "%s/link/m.ko", dir);
	sz = mk_file(p, 0, TR_CAPF_FILE | TR_CAPF_LAST);
	capwrite_check(&o, rec, sz, &w, &st);
	ok(capwrite_store(&w, "host", 6000, &done, &st) == -ESRCH && st.gone == 2,
	   "a path through a symlink: not followed");
	sz = mk_file(p, 0, TR_CAPF_FILE);
	ok(capwrite_check(&o, rec, sz, &w, &st) == -EINVAL,
	   "a file record not marked last is refused");
	sz = mk(TR_REC_CAPTURE_MODULE, getpid(), 9, 0, 4, 4, 0, TR_CAPF_FILE | TR_CAPF_LAST, 0, 0,
		"/m.ko");
	ok(capwrite_check(&o, rec, sz, &w, &st) == -EINVAL, "a file record with data is refused");
	capwrite_close();
	store_close();
	snprintf(p, sizeof(p), "rm -rf '%s'", dir);
	if (system(p))
		diag("could not remove %s", dir);
	return done_testing();
}
