// SPDX-License-Identifier: GPL-2.0
/*
 * capwrite.c - the artifacts the kernel side sends in chunks (bpf/capture.h):
 * -c write, the bytes written to matching files (TR_REC_CAPTURE_WRITE), put
 * back together per file in out/<container or host>/write.dev-D.inode-I;
 * -c mem, the bytes of a region made executable (TR_REC_CAPTURE_MEM), one
 * file per mprotect, out/.../mem.<time>.<pid>.<address>; -c bpf, the
 * instructions of a BPF program load (TR_REC_CAPTURE_BPF), one file per
 * load, out/.../bpf.<time>.<pid>.<name>; -c module, the image an
 * init_module was given (TR_REC_CAPTURE_MODULE), out/.../module.<time>.<pid>,
 * or the file a finit_module was given, copied from where its caller saw it.
 *
 * Two halves.  On the reader's thread, capwrite_check() takes a chunk
 * record apart, refuses one that does not add up, applies what the kernel
 * could not (the whole glob, where the kernel matched its literal prefix),
 * and follows each writer's calls to count what went missing: a chunk out
 * of order or after a gap (the ring was full), a call longer than the
 * kernel sends (TR_CAP_CHUNKS chunks).  On the worker's thread,
 * capwrite_store() writes the chunk into its file: at its file offset for a
 * regular file (so pwrite and seeks land where they landed), appended for
 * pipes and sockets, within max-file-size and the quota.
 */
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/libbpf.h>

#include "capture.h"
#include "capwrite.h"
#include "container.h"
#include "decode.h"
#include "events.h"
#include "features.h"
#include "log.h"
#include "store.h"

#define TIDS		1024	/* writers followed at once (a hash, collisions replace) */
#define FILES		32	/* capture files kept open by the worker */

/* A writer's call in progress, as the reader saw its chunks. */
struct call {
	uint32_t tid;
	uint64_t ts;		/* the call's (every chunk's header has it) */
	uint32_t next_seq;	/* bytes of the call seen */
	uint16_t next_index;
	bool last;		/* its last chunk arrived */
};

/* A capture file the worker has open. */
struct wfile {
	int fd;
	char name[96];
	char subdir[CONTAINER_ID_LEN + 1];
	uint64_t size;		/* bytes in it: what the quota was charged */
	uint64_t call_ts;	/* the call being written, and its bytes so far */
	uint32_t call_tid;
	uint64_t call_bytes;
	char path[PATH_MAX];
};

static struct call calls[TIDS];
static struct wfile files[FILES];
static unsigned int files_next;

int capwrite_parse(struct capture_opts *o, const char *arg, char *err, size_t errlen)
{
	const char *glob = NULL;

	if (!strcmp(arg, "write")) {
		o->write = true;
		return 0;
	}
	if (!strcmp(arg, "mem")) {
		o->mem = true;
		return 0;
	}
	if (!strcmp(arg, "bpf")) {
		o->bpf = true;
		return 0;
	}
	if (!strcmp(arg, "module")) {
		o->module = true;
		return 0;
	}
	if (!strncmp(arg, "write=", 6))
		glob = arg + 6;
	else if (!strncmp(arg, "write:path=", 11))
		glob = arg + 11;
	if (glob) {
		if (glob[0] != '/') {
			tr_seterr(err, errlen,
				  "capture '%s': the path must be absolute (write=/etc/*)", arg);
			return -EINVAL;
		}
		if (o->nr_write_globs >= CAPTURE_WRITE_GLOBS) {
			tr_seterr(err, errlen,
				  "capture '%s': more than %d write paths (join them in a wider glob)",
				  arg, CAPTURE_WRITE_GLOBS);
			return -EINVAL;
		}
		o->write_globs[o->nr_write_globs++] = glob;
		o->write = true;
		return 0;
	}
	if (!strncmp(arg, "write:type=", 11)) {
		const char *t = arg + 11;

		if (!strcmp(t, "regular") || !strcmp(t, "file"))
			o->write_types |= TR_CAPW_REGULAR;
		else if (!strcmp(t, "pipe"))
			o->write_types |= TR_CAPW_PIPE;
		else if (!strcmp(t, "socket"))
			o->write_types |= TR_CAPW_SOCKET;
		else {
			tr_seterr(err, errlen,
				  "capture '%s': unknown file type (write:type=regular, pipe or socket)",
				  arg);
			return -EINVAL;
		}
		o->write = true;
		return 0;
	}
	return 1;	/* not a write option */
}

/* The literal start of a glob: what the kernel side can compare bytewise. */
static size_t literal_prefix(const char *g)
{
	return strcspn(g, "*?[\\");
}

int capwrite_fill_config(const struct capture_opts *o, struct tr_config *cfg)
{
	static const char *const calls_of[] = { "write", "pwrite64", "writev", "pwritev" };
	unsigned int i;

	if (!o)
		return 0;
	cfg->cap_mem = o->mem;
	cfg->cap_bpf = o->bpf;
	cfg->cap_module = o->module;
	for (i = 0; i < 3; i++) {
		static const char *const sc_of[] = { "bpf", "init_module", "finit_module" };
		const struct tr_event_def *d = events_by_name(sc_of[i]);

		if (!(i ? o->module : o->bpf))
			continue;
		if (!d || d->id < 0 || d->id >= TR_MAX_SYSCALL) {
			tr_err("capture: no syscall %s in the events table (fix src/events/)",
			       sc_of[i]);
			return -EINVAL;
		}
		cfg->sys_cfg[d->id] |= TR_SYS_CAPTURE | TR_SYS_DERIVE;
		/* finit_module: its fd's file is taken at sys_enter (bpf/capture.h) */
		if (i == 2)
			cfg->sys_cfg[d->id] |= TR_SYS_AT_ENTER;
	}
	if (!o->write)
		return 0;
	cfg->cap_write = o->write_types ? o->write_types :
			 TR_CAPW_REGULAR | TR_CAPW_PIPE | TR_CAPW_SOCKET | TR_CAPW_OTHER;
	cfg->cap_nprefix = 0;
	for (i = 0; i < o->nr_write_globs; i++) {
		size_t n = literal_prefix(o->write_globs[i]);

		if (n <= 1) {	/* "/" and a wildcard: any path, no prefix helps */
			cfg->cap_nprefix = 0;
			break;
		}
		/* shorter is a wider filter: still never drops what the glob matches */
		if (n > TR_CAP_PREFIX_LEN - 1)
			n = TR_CAP_PREFIX_LEN - 1;
		memset(cfg->cap_prefix[cfg->cap_nprefix], 0, TR_CAP_PREFIX_LEN);
		memcpy(cfg->cap_prefix[cfg->cap_nprefix], o->write_globs[i], n);
		cfg->cap_nprefix++;
	}
	for (i = 0; i < sizeof(calls_of) / sizeof(calls_of[0]); i++) {
		const struct tr_event_def *d = events_by_name(calls_of[i]);

		if (!d || d->id < 0 || d->id >= TR_MAX_SYSCALL) {
			tr_err("capture write: no syscall %s in the events table (fix src/events/)",
			       calls_of[i]);
			return -EINVAL;
		}
		/* at sys_exit only: the registers still hold the arguments */
		cfg->sys_cfg[d->id] |= TR_SYS_CAPTURE | TR_SYS_DERIVE;
	}
	return 0;
}

/* The program pair base / base_btf on: the twin the loader would take. */
static int prog_on(struct bpf_object *obj, const char *base, const char *what)
{
	char want[32], btf[32];
	struct bpf_program *prog;

	snprintf(btf, sizeof(btf), "%s_btf", base);
	/* tp_btf where the kernel has it */
	snprintf(want, sizeof(want), "%s", features_probe()->tp_btf ? btf : base);
	bpf_object__for_each_program(prog, obj) {
		const char *name = bpf_program__name(prog);

		if ((!strcmp(name, base) || !strcmp(name, btf)) && bpf_program__autoload(prog))
			return 0;	/* a selected event has it on already */
	}
	prog = bpf_object__find_program_by_name(obj, want);
	if (!prog) {
		tr_err("capture %s: the eBPF object has no %s program (rebuild it with this version of tracee)",
		       what, want);
		return -ENOENT;
	}
	return bpf_program__set_autoload(prog, true);
}

int capwrite_prog_hook(const struct capture_opts *o, struct bpf_object *obj)
{
	int ret;

	if (!o || (!o->write && !o->bpf && !o->module))
		return 0;
	/* no event needs sys_exit, -c write does */
	ret = prog_on(obj, "tr_sys_exit", o->write ? "write" : o->bpf ? "bpf" : "module");
	/* finit_module's file is taken at sys_enter */
	if (!ret && o->module)
		ret = prog_on(obj, "tr_sys_enter", "module");
	return ret;
}

/* A glob without wildcards is a prefix, as Tracee's write=PREFIX; else fnmatch. */
static bool path_wanted(const struct capture_opts *o, const char *path)
{
	unsigned int i;

	if (!o->nr_write_globs)
		return true;
	for (i = 0; i < o->nr_write_globs; i++) {
		const char *g = o->write_globs[i];
		size_t n = literal_prefix(g);

		if (!g[n] ? !strncmp(path, g, n) : !fnmatch(g, path, 0))
			return true;
	}
	return false;
}

int capwrite_check(const struct capture_opts *o, const void *rec, size_t sz,
		   struct capwrite_chunk *out, struct capture_stats *st)
{
	const struct tr_record_hdr *h = rec;
	struct tr_cap_chunk c;
	struct call *k;
	uint32_t size, kind;
	bool file;

	if (sz < sizeof(*h) + sizeof(c))
		goto bad;
	memcpy(&size, &h->size, sizeof(size));
	memcpy(&kind, &h->event_id, sizeof(kind));
	if ((kind == TR_REC_CAPTURE_WRITE && !o->write) ||
	    (kind == TR_REC_CAPTURE_MEM && !o->mem) || (kind == TR_REC_CAPTURE_BPF && !o->bpf) ||
	    (kind == TR_REC_CAPTURE_MODULE && !o->module) ||
	    kind < TR_REC_CAPTURE_WRITE || kind > TR_REC_CAPTURE_MODULE)
		goto bad;
	memcpy(&c, (const uint8_t *)rec + sizeof(*h), sizeof(c));
	/* finit_module: one record naming the file, no data */
	file = kind == TR_REC_CAPTURE_MODULE && (c.flags & TR_CAPF_FILE);
	if (size > sz || (file ? c.len || c.index || !(c.flags & TR_CAPF_LAST) : c.len == 0) ||
	    c.len > TR_CAP_CHUNK || c.path_len > TR_PATH_MAX ||
	    size != sizeof(*h) + sizeof(c) + c.path_len + c.len ||
	    (uint64_t)c.seq + c.len > c.total || c.index >= TR_CAP_CHUNKS ||
	    (kind == TR_REC_CAPTURE_MEM && c.path_len) ||
	    (kind == TR_REC_CAPTURE_MODULE && !file && c.path_len) ||
	    (kind == TR_REC_CAPTURE_BPF && c.path_len > 15))
		goto bad;
	st->write_chunks++;
	out->hdr = *h;
	out->c = c;
	memcpy(out->path, (const uint8_t *)rec + sizeof(*h) + sizeof(c), c.path_len);
	out->path[c.path_len] = '\0';
	/* an anonymous pipe or socket has no path: named as /proc/PID/fd shows it */
	if (out->path[0] != '/' && (c.ftype & (TR_CAPW_PIPE | TR_CAPW_SOCKET)))
		snprintf(out->path, sizeof(out->path), "%s:[%llu]",
			 c.ftype == TR_CAPW_PIPE ? "pipe" : "socket", (unsigned long long)c.inode);
	out->data = (const uint8_t *)rec + sizeof(*h) + sizeof(c) + c.path_len;

	/* order: each writer's chunks come in sequence, one call after the other */
	k = &calls[h->host_tid % TIDS];
	if (k->tid != h->host_tid || k->ts != h->ts) {
		if (k->tid == h->host_tid && k->ts && !k->last)
			st->write_gaps++;	/* the previous call's end never came */
		k->tid = h->host_tid;
		k->ts = h->ts;
		k->next_seq = 0;
		k->next_index = 0;
		k->last = false;
	}
	if (c.seq != k->next_seq || c.index != k->next_index)
		st->write_gaps++;	/* chunks of this call went missing */
	k->next_seq = c.seq + c.len;
	k->next_index = c.index + 1;
	if (c.flags & TR_CAPF_LAST) {
		k->last = true;
		if ((uint64_t)c.seq + c.len < c.total)
			st->write_cut++;	/* longer than the kernel sends a call */
	}
	if (kind == TR_REC_CAPTURE_WRITE &&
	    (!(c.ftype & (o->write_types ? o->write_types : ~0u)) || !path_wanted(o, out->path))) {
		st->write_unmatched++;
		return 1;
	}
	return 0;
bad:
	st->write_bad++;
	return -EINVAL;
}

/*
 * The chunk's file name: write.dev-D.inode-I per written file, as Tracee's;
 * mem.<time>.<pid>.<address> per region, bpf.<time>.<pid>.<name> per program
 * load, module.<time>.<pid> per module image (time: the call's, epoch ns).
 */
static void chunk_name(const struct capwrite_chunk *w, char *name, size_t len)
{
	unsigned long long t = w->hdr.ts + decode_epoch_offset_ns();

	if (w->hdr.event_id == TR_REC_CAPTURE_MODULE)
		snprintf(name, len, "module.%llu.%u", t, w->hdr.host_pid);
	else if (w->hdr.event_id == TR_REC_CAPTURE_BPF)
		snprintf(name, len, "bpf.%llu.%u.%.15s", t, w->hdr.host_pid,
			 w->path[0] ? w->path : "unnamed");
	else if (w->hdr.event_id == TR_REC_CAPTURE_MEM)
		snprintf(name, len, "mem.%llu.%u.0x%llx", t, w->hdr.host_pid,
			 (unsigned long long)(w->c.offset - w->c.seq));
	else
		snprintf(name, len, "write.dev-%llu.inode-%llu", (unsigned long long)w->c.dev,
			 (unsigned long long)w->c.inode);
}

/* The open capture file of (subdir, name), opened (or reopened) as needed. */
static struct wfile *file_for(const struct capwrite_chunk *w, const char *subdir,
			      struct capture_stats *st)
{
	struct wfile *f;
	char name[96];
	unsigned int i;
	int fd;

	chunk_name(w, name, sizeof(name));
	for (i = 0; i < FILES; i++) {
		f = &files[i];
		if (f->fd > 0 && !strcmp(f->name, name) && !strcmp(f->subdir, subdir))
			return f;
	}
	f = &files[files_next++ % FILES];
	if (f->fd > 0)
		close(f->fd);
	memset(f, 0, sizeof(*f));
	fd = store_open_file(subdir, name, f->path, sizeof(f->path), &f->size);
	if (fd < 0)
		return NULL;
	if (!f->size)
		st->captured++;	/* a new artifact (an empty one reopened counts again: rare) */
	f->fd = fd;
	snprintf(f->name, sizeof(f->name), "%s", name);
	snprintf(f->subdir, sizeof(f->subdir), "%s", subdir);
	return f;
}

/*
 * finit_module's file: copied whole from where the caller saw it (checked by
 * the device and inode the call took), content-addressed as -c exec's.
 */
static int store_file(const struct capwrite_chunk *w, const char *subdir,
		      struct capwrite_done *done, struct capture_stats *st)
{
	struct store_result r;
	char name[96];
	int fd, ret;

	fd = capture_open_at(&w->hdr, strcmp(subdir, "host"), w->path, true, w->c.dev,
			     w->c.inode);
	if (fd < 0) {
		st->gone++;	/* gone, replaced, or its path unknown */
		return fd;
	}
	chunk_name(w, name, sizeof(name));
	ret = store_put(fd, subdir, name, &r);
	close(fd);
	switch (ret) {
	case 0:
		if (r.deduplicated) {
			st->deduplicated++;
		} else {
			st->captured++;
			st->bytes += r.size;
		}
		break;
	case -EFBIG:
		st->too_large++;
		return ret;
	case -EDQUOT:
		st->over_quota++;
		return ret;
	case -EINVAL:
		st->gone++;	/* no regular file */
		return ret;
	default:
		st->failed++;
		return ret;
	}
	done->bytes = r.size;
	done->dev = w->c.dev;
	done->inode = w->c.inode;
	done->address = 0;
	snprintf(done->capture_path, sizeof(done->capture_path), "%s", r.path);
	return 1;
}

int capwrite_store(const struct capwrite_chunk *w, const char *subdir, uint64_t max_file,
		   struct capwrite_done *done, struct capture_stats *st)
{
	uint64_t pos, len = w->c.len, grow;
	const uint8_t *p = w->data;
	struct wfile *f;

	if (w->hdr.event_id == TR_REC_CAPTURE_MODULE && (w->c.flags & TR_CAPF_FILE))
		return store_file(w, subdir, done, st);

	f = file_for(w, subdir, st);
	if (!f) {
		st->failed++;
		return -EIO;
	}
	if (f->call_tid != w->hdr.host_tid || f->call_ts != w->hdr.ts) {
		f->call_tid = w->hdr.host_tid;
		f->call_ts = w->hdr.ts;
		f->call_bytes = 0;
	}
	/* pipes and sockets have no offsets: their bytes follow each other;
	 * a region's or a program's file starts at its first byte */
	if (w->hdr.event_id != TR_REC_CAPTURE_WRITE)
		pos = w->c.seq;
	else
		pos = w->c.ftype == TR_CAPW_REGULAR ? w->c.offset : f->size;
	if (pos >= max_file) {
		st->too_large++;
		len = 0;
	} else if (pos + len > max_file) {
		st->too_large++;
		len = max_file - pos;
	}
	grow = pos + len > f->size ? pos + len - f->size : 0;
	if (len && store_charge(grow)) {
		st->over_quota++;
		len = 0;
	}
	while (len) {
		ssize_t n = pwrite(f->fd, p, len, (off_t)pos);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			st->failed++;
			break;
		}
		p += n;
		pos += (uint64_t)n;
		len -= (uint64_t)n;
		f->call_bytes += (uint64_t)n;
		st->bytes += (uint64_t)n;
		if (pos > f->size)
			f->size = pos;
	}
	if (!(w->c.flags & TR_CAPF_LAST) || !f->call_bytes)
		return 0;
	done->bytes = f->call_bytes;
	done->dev = w->c.dev;
	done->inode = w->c.inode;
	done->address = w->c.offset - w->c.seq;
	snprintf(done->capture_path, sizeof(done->capture_path), "%s", f->path);
	return 1;
}

void capwrite_close(void)
{
	unsigned int i;

	for (i = 0; i < FILES; i++) {
		if (files[i].fd > 0)
			close(files[i].fd);
		files[i].fd = 0;
	}
	memset(calls, 0, sizeof(calls));
}
