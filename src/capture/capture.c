// SPDX-License-Identifier: GPL-2.0
/*
 * capture.c - -c exec: requests from the reader, copies by a worker thread,
 * capture_exec events back to the reader.
 *
 * The reader never touches the disk here: it copies what a request needs
 * out of the event (the record is handed back right after) into a slot of
 * a bounded queue, and a full queue is a counted drop, not a wait.  The
 * worker copies the file into the store (store.c) and puts the slot on the
 * done list, which capture_poll() turns into capture_exec events on the
 * reader's thread, so events still flow one way: decode, enrich, scripts,
 * sinks.
 *
 * Which file: the one the process executed, not whatever its path names by
 * now.  The worker opens /proc/PID/exe (the kernel's own reference to the
 * executed file) and checks its device, inode and ctime against those the
 * kernel put in the exec event; a process that already exited leaves the
 * path, which is opened and checked the same way, so a file replaced or
 * rewritten since the exec is never taken for it (counted as "gone").
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include "capture.h"
#include "capwrite.h"
#include "decode.h"
#include "events.h"
#include "exechash.h"
#include "log.h"
#include "proctree.h"
#include "runtime.h"
#include "store.h"

#define QUEUE_SLOTS	256
#define WRITE_QUEUE_MAX	((size_t)64 << 20)	/* bytes of chunks waiting for the worker */

/* A chunk of -c write waiting for the worker. */
struct witem {
	struct witem *next;
	size_t bytes;			/* what it holds, against WRITE_QUEUE_MAX */
	char container_id[CONTAINER_ID_LEN + 1];
	bool ended;			/* worker: it ended a call, d is filled */
	struct capwrite_done d;
	struct capwrite_chunk w;	/* w.data points at data below */
	uint8_t data[];
};

/* What a request copies: the executed file, a named file, a memory region. */
enum req_kind { REQ_EXEC, REQ_FILE, REQ_MEM };

struct req {
	struct req *next;		/* on the done list */
	enum req_kind kind;
	struct exec_src src;		/* the event's context and file (path: the file's) */
	uint64_t addr, len;		/* REQ_MEM: the region */
	bool started;			/* containerStarted at the exec */
	int status;			/* worker: 0 stored, else -errno */
	struct store_result res;
};

static struct {
	bool on, exec_all, worker_up, stopping;
	pthread_t worker;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct req *slots[QUEUE_SLOTS];	/* ring of pending requests */
	unsigned int head, count;
	struct req *done, **done_tail;
	unsigned int in_flight;		/* queued, being copied or done, not yet delivered */
	struct witem *wq, **wq_tail;	/* chunks for the worker, in arrival order */
	struct witem *wdone, **wdone_tail;	/* calls written, for capture_file_write */
	size_t wq_bytes;
	const struct capture_opts *opts;
	uint64_t max_file;
	struct capture_stats st;
} C = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.cond = PTHREAD_COND_INITIALIZER,
};

/* SIZE: a number of bytes, or with K, M or G (powers of 1024). */
static int parse_size(const char *s, uint64_t *out)
{
	unsigned long long v;
	char *end;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno)
		return -EINVAL;
	switch (*end) {
	case 'K': case 'k': v <<= 10; end++; break;
	case 'M': case 'm': v <<= 20; end++; break;
	case 'G': case 'g': v <<= 30; end++; break;
	default: break;
	}
	if (*end || v == 0 || v > (1ULL << 50))
		return -EINVAL;
	*out = v;
	return 0;
}

int capture_parse(struct capture_opts *o, const char *arg, char *err, size_t errlen)
{
	int ret;

	o->given = true;
	C.opts = o;	/* for capture_fill_config(), before capture_init() */
	ret = capwrite_parse(o, arg, err, errlen);
	if (ret <= 0)
		return ret;
	if (!strcmp(arg, "exec") || !strcmp(arg, "artifact:exec")) {
		o->exec = true;
		return 0;
	}
	if (!strcmp(arg, "clear-dir")) {
		o->clear_dir = true;
		return 0;
	}
	if (!strncmp(arg, "dir:", 4)) {
		if (arg[4] != '/') {
			tr_seterr(err, errlen,
				  "capture '%s': the directory must be an absolute path (dir:/var/lib/tracee)",
				  arg);
			return -EINVAL;
		}
		o->dir = arg + 4;
		return 0;
	}
	if (!strncmp(arg, "max-file-size=", 14) || !strncmp(arg, "quota=", 6)) {
		bool max = arg[0] == 'm';

		if (parse_size(strchr(arg, '=') + 1, max ? &o->max_file : &o->quota)) {
			tr_seterr(err, errlen,
				  "capture '%s': not a size (a number of bytes, or with K, M or G: %s=64M)",
				  arg, max ? "max-file-size" : "quota");
			return -EINVAL;
		}
		return 0;
	}
	tr_seterr(err, errlen,
		  "unknown capture '%s' (use exec, write[=GLOB], write:type=T, mem, bpf, module, dir:PATH, clear-dir, max-file-size=SIZE or quota=SIZE; see tracee(8))",
		  arg);
	return -EINVAL;
}

/*
 * The file behind fd is the one the kernel executed, unchanged: same device
 * and inode, and either the same ctime or, when the ctime moved, a
 * modification time not after the exec.  (Unlinking or renaming the file,
 * as a package upgrade replacing a running binary does, moves the ctime
 * and not the content; a write after the exec moves the mtime too.)
 */
static bool same_file(int fd, const struct exec_src *q)
{
	struct stat st;
	uint64_t ct, mt;

	if (fstat(fd, &st))
		return false;
	if (!q->verify)
		return true;
	if (major(st.st_dev) != (q->kdev >> 20) || minor(st.st_dev) != (q->kdev & 0xfffff) ||
	    (uint64_t)st.st_ino != q->ino)
		return false;
	ct = (uint64_t)st.st_ctim.tv_sec * 1000000000ULL + (uint64_t)st.st_ctim.tv_nsec;
	mt = (uint64_t)st.st_mtim.tv_sec * 1000000000ULL + (uint64_t)st.st_mtim.tv_nsec;
	return ct == q->ctime || mt <= q->timestamp_ns;
}

/* path opened below /proc/PID/root: PID's view of the file system. */
static int open_in_root(uint32_t pid, const char *path, const struct exec_src *q)
{
	char p[PATH_MAX + 32];
	int fd;

	if (snprintf(p, sizeof(p), "/proc/%u/root%s", pid, path) >= (int)sizeof(p))
		return -ENAMETOOLONG;
	fd = open(p, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return -errno;
	if (!same_file(fd, q)) {
		close(fd);
		return -ESRCH;
	}
	return fd;
}

/*
 * The executed file: through the process while it lives; else by its path
 * as its parent sees it (a shell in the same container usually outlives a
 * short command); else, for a host process, by the path in our own view.
 * Every fallback is checked against the kernel's ids, so a file replaced
 * since the exec is never taken for it.  -ESRCH when none is the file.
 */
int capture_open_exec(const struct exec_src *q)
{
	char p[64];
	int fd;

	snprintf(p, sizeof(p), "/proc/%u/exe", q->hdr.host_pid);
	fd = open(p, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		if (same_file(fd, q))
			return fd;
		close(fd);
	}
	if (!q->verify || q->path[0] != '/')
		return -ESRCH;
	if (q->hdr.host_ppid) {
		fd = open_in_root(q->hdr.host_ppid, q->path, q);
		if (fd >= 0)
			return fd;
	}
	if (q->container_id[0])
		return -ESRCH;
	return open_in_root((uint32_t)getpid(), q->path, q);
}

/* path below the root fd, no symlink followed (a magic link neither), never above it. */
static int open_beneath(int root, const char *path)
{
	struct open_how how = {
		.flags = O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK,
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS,
	};
	long fd;

	while (*path == '/')
		path++;
	fd = syscall(SYS_openat2, root, path, &how, sizeof(how));
	return fd < 0 ? -errno : (int)fd;
}

int capture_open_at(const struct tr_record_hdr *hdr, bool in_container, const char *path,
		    bool verify, uint64_t kdev, uint64_t ino)
{
	uint32_t pids[3] = { hdr->host_pid, hdr->host_ppid, in_container ? 0 : (uint32_t)getpid() };
	unsigned int i;

	if (path[0] != '/')
		return -ESRCH;
	for (i = 0; i < 3; i++) {
		char p[32];
		struct stat st;
		int root, fd;

		if (!pids[i])
			continue;
		snprintf(p, sizeof(p), "/proc/%u/root", pids[i]);
		root = open(p, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (root < 0)
			continue;
		fd = open_beneath(root, path);
		close(root);
		if (fd < 0)
			continue;
		if (!fstat(fd, &st) && (!verify || (major(st.st_dev) == (kdev >> 20) &&
		    minor(st.st_dev) == (kdev & 0xfffff) && (uint64_t)st.st_ino == ino)))
			return fd;
		close(fd);
	}
	return -ESRCH;
}

/*
 * tracee.capture(e, "mem"): the region's bytes read from /proc/PID/mem (the
 * process must still run) into a memfd, up to max-file-size or the first
 * page that cannot be read, then stored as a file is.  Returns the memfd or
 * -errno (-ESRCH: nothing could be read).
 */
static int read_region(const struct req *q)
{
	uint64_t want = q->len < C.max_file ? q->len : C.max_file, done = 0;
	static uint8_t buf[64 * 1024];	/* worker only */
	char p[32];
	int mfd, fd;

	snprintf(p, sizeof(p), "/proc/%u/mem", q->src.hdr.host_pid);
	fd = open(p, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -ESRCH;
	mfd = memfd_create("tracee-capture-mem", MFD_CLOEXEC);
	if (mfd < 0) {
		mfd = -errno;
		close(fd);
		return mfd;
	}
	while (done < want) {
		size_t n = want - done < sizeof(buf) ? (size_t)(want - done) : sizeof(buf);
		ssize_t r = pread(fd, buf, n, (off_t)(q->addr + done));

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;	/* unmapped or gone: what was read is kept */
		if (write(mfd, buf, (size_t)r) != r) {
			close(fd);
			close(mfd);
			return -EIO;
		}
		done += (uint64_t)r;
	}
	close(fd);
	if (!done || lseek(mfd, 0, SEEK_SET)) {
		close(mfd);
		return -ESRCH;
	}
	return mfd;
}

static void do_request(struct req *q)
{
	const char *subdir = q->src.container_id[0] ? q->src.container_id : "host";
	char name[NAME_MAX + 1];
	const char *base;
	int fd;

	switch (q->kind) {
	case REQ_EXEC:
		fd = capture_open_exec(&q->src);
		break;
	case REQ_FILE:
		fd = capture_open_at(&q->src.hdr, q->src.container_id[0], q->src.path,
				     q->src.verify, q->src.kdev, q->src.ino);
		break;
	default:
		fd = read_region(q);
		break;
	}
	if (fd < 0) {
		q->status = fd;
		return;
	}
	base = strrchr(q->src.path, '/');
	base = base ? base + 1 : q->src.path;
	if (q->kind == REQ_MEM)
		snprintf(name, sizeof(name), "mem.%llu.%u.0x%llx",
			 (unsigned long long)q->src.timestamp_ns, q->src.hdr.host_pid,
			 (unsigned long long)q->addr);
	else
		snprintf(name, sizeof(name), "%s.%llu.%.200s",
			 q->kind == REQ_EXEC ? "exec" : "file",
			 (unsigned long long)q->src.timestamp_ns, base[0] ? base : q->src.hdr.comm);
	q->status = store_put(fd, subdir, name, &q->res);
	close(fd);
}

/*
 * Worker, lock held: write every queued chunk into its file (lock dropped
 * meanwhile); those that ended a call go to the done list for their event.
 */
static void store_chunks(void)
{
	struct witem *list = C.wq, *x;

	C.wq = NULL;
	C.wq_tail = &C.wq;
	pthread_mutex_unlock(&C.lock);
	while (list) {
		struct capture_stats d = { 0 };

		x = list;
		list = x->next;
		x->ended = capwrite_store(&x->w, x->container_id[0] ? x->container_id : "host",
					  C.max_file, &x->d, &d) == 1;
		pthread_mutex_lock(&C.lock);
		C.st.captured += d.captured;
		C.st.bytes += d.bytes;
		C.st.too_large += d.too_large;
		C.st.over_quota += d.over_quota;
		C.st.failed += d.failed;
		C.st.gone += d.gone;
		C.st.deduplicated += d.deduplicated;
		C.wq_bytes -= x->bytes;
		if (x->ended) {
			x->next = NULL;
			*C.wdone_tail = x;
			C.wdone_tail = &x->next;
		}
		pthread_mutex_unlock(&C.lock);
		if (!x->ended)
			free(x);
	}
	pthread_mutex_lock(&C.lock);
}

static void *worker_main(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&C.lock);
	for (;;) {
		struct req *q;

		while (!C.count && !C.wq && !C.stopping && !exechash_pending())
			pthread_cond_wait(&C.cond, &C.lock);
		/* an exec event waits for its hash: that goes first, it is one
		 * read of a file (the copies and chunks have no one waiting) */
		if (exechash_pending()) {
			pthread_mutex_unlock(&C.lock);
			exechash_work();
			pthread_mutex_lock(&C.lock);
		}
		/* chunks and exec copies take turns: a flood of writes does
		 * not hold the copies back, nor the other way round */
		if (C.wq)
			store_chunks();	/* drops and retakes the lock */
		if (!C.count) {
			if (C.stopping && !C.wq && !exechash_pending())
				break;	/* everything queued is done */
			continue;
		}
		q = C.slots[C.head];
		C.head = (C.head + 1) % QUEUE_SLOTS;
		C.count--;
		pthread_mutex_unlock(&C.lock);
		do_request(q);
		pthread_mutex_lock(&C.lock);
		q->next = NULL;
		*C.done_tail = q;
		C.done_tail = &q->next;
	}
	pthread_mutex_unlock(&C.lock);
	return NULL;
}

int capture_init(const struct capture_opts *o, char *err, size_t errlen)
{
	int ret;

	/* option:exec-hash needs the worker, not the directory */
	if (!o->given && !exechash_on())
		return 0;
	if (o->given) {
		ret = store_open(o->dir ? o->dir : CAPTURE_DEF_DIR, o->clear_dir,
				 o->max_file ? o->max_file : CAPTURE_DEF_MAX_FILE,
				 o->quota ? o->quota : CAPTURE_DEF_QUOTA, err, errlen);
		if (ret)
			return ret;
	}
	C.done = NULL;
	C.done_tail = &C.done;
	C.wq = NULL;
	C.wq_tail = &C.wq;
	C.wdone = NULL;
	C.wdone_tail = &C.wdone;
	C.wq_bytes = 0;
	C.max_file = o->max_file ? o->max_file : CAPTURE_DEF_MAX_FILE;
	C.opts = o;
	C.stopping = false;
	ret = -pthread_create(&C.worker, NULL, worker_main, NULL);
	if (ret) {
		tr_seterr(err, errlen, "capture: cannot start its worker thread: %s", strerror(-ret));
		store_close();
		return ret;
	}
	C.worker_up = true;
	C.on = o->given;
	C.exec_all = o->exec;
	return 0;
}

bool capture_kick(void)
{
	bool up;

	pthread_mutex_lock(&C.lock);
	up = C.worker_up && !C.stopping;
	if (up)
		pthread_cond_signal(&C.cond);
	pthread_mutex_unlock(&C.lock);
	return up;
}

int capture_fill_config(struct tr_config *cfg)
{
	return capwrite_fill_config(C.opts, cfg);
}

int capture_prog_hook(struct bpf_object *obj)
{
	return capwrite_prog_hook(C.opts, obj);
}

void capture_record(const void *rec, size_t sz)
{
	static struct capwrite_chunk w;	/* reader thread only */
	const struct proc_info *pi;
	struct witem *x;
	int ret;

	if (!C.on || !C.opts ||
	    (!C.opts->write && !C.opts->mem && !C.opts->bpf && !C.opts->module))
		return;
	pthread_mutex_lock(&C.lock);
	ret = capwrite_check(C.opts, rec, sz, &w, &C.st);
	if (!ret && (C.stopping || C.wq_bytes + sizeof(*x) + w.c.len > WRITE_QUEUE_MAX)) {
		C.st.queue_full++;
		ret = -ENOSPC;
	}
	pthread_mutex_unlock(&C.lock);
	if (ret)
		return;
	x = malloc(sizeof(*x) + w.c.len);
	if (!x) {
		pthread_mutex_lock(&C.lock);
		C.st.failed++;
		pthread_mutex_unlock(&C.lock);
		return;
	}
	x->next = NULL;
	x->bytes = sizeof(*x) + w.c.len;
	x->ended = false;
	memcpy(&x->w, &w, offsetof(struct capwrite_chunk, path) + strlen(w.path) + 1);
	memcpy(x->data, w.data, w.c.len);
	x->w.data = x->data;
	/* the writer's container: the capture goes beside its other artifacts */
	pi = proctree_lookup(w.hdr.host_pid);
	snprintf(x->container_id, sizeof(x->container_id), "%s", pi ? pi->container_id : "");
	pthread_mutex_lock(&C.lock);
	C.wq_bytes += x->bytes;
	*C.wq_tail = x;
	C.wq_tail = &x->next;
	pthread_cond_signal(&C.cond);
	pthread_mutex_unlock(&C.lock);
}

bool capture_wants_mem(void)
{
	return C.opts && C.opts->mem;
}

bool capture_on(void)
{
	return C.on;
}

bool capture_exec_all(void)
{
	return C.exec_all;
}

/* An unsigned argument of ev by name, if the kernel sent it. */
static bool arg_u64(const struct tr_event *ev, const char *name, uint64_t *v)
{
	const struct tr_arg *a = tr_event_arg(ev, name);

	if (!a || (a->kind != TR_V_UINT && a->kind != TR_V_INT && a->kind != TR_V_PTR))
		return false;
	*v = a->kind == TR_V_INT ? (uint64_t)a->v.i : a->v.u;
	return true;
}

void capture_exec_src(const struct tr_event *ev, struct exec_src *s)
{
	const struct tr_arg *path;
	bool is_exec;

	s->hdr = *ev->hdr;
	s->timestamp_ns = ev->timestamp_ns;
	snprintf(s->container_id, sizeof(s->container_id), "%s",
		 ev->container_id ? ev->container_id : "");
	is_exec = ev->hdr->event_id == TR_EV_SCHED_PROCESS_EXEC;
	path = is_exec ? tr_event_arg(ev, "pathname") : NULL;
	if (path && path->kind == TR_V_STR)
		snprintf(s->path, sizeof(s->path), "%.*s", (int)path->v.str.len, path->v.str.p);
	else if (ev->executable)
		snprintf(s->path, sizeof(s->path), "%s", ev->executable);
	else
		s->path[0] = '\0';
	s->verify = is_exec && arg_u64(ev, "dev", &s->kdev) && arg_u64(ev, "inode", &s->ino) &&
		    arg_u64(ev, "ctime", &s->ctime);
}

int capture_exec_request(const struct tr_event *ev)
{
	return capture_request(ev, "exec");
}

/* tracee.capture(e, "file"): the path e names; its ids when e has them. */
static int file_src(const struct tr_event *ev, struct exec_src *s)
{
	const struct tr_arg *a = tr_event_arg(ev, "pathname");

	if (!a || a->kind != TR_V_STR)
		a = tr_event_arg(ev, "new_path");	/* a rename: the file it made */
	if (!a || a->kind != TR_V_STR || !a->v.str.len || a->v.str.p[0] != '/' ||
	    a->v.str.len >= sizeof(s->path) || memchr(a->v.str.p, '\0', a->v.str.len))
		return -ENOENT;
	s->hdr = *ev->hdr;
	s->timestamp_ns = ev->timestamp_ns;
	snprintf(s->container_id, sizeof(s->container_id), "%s",
		 ev->container_id ? ev->container_id : "");
	memcpy(s->path, a->v.str.p, a->v.str.len);
	s->path[a->v.str.len] = '\0';
	s->verify = arg_u64(ev, "dev", &s->kdev) && arg_u64(ev, "inode", &s->ino) &&
		    (s->kdev || s->ino);
	return 0;
}

int capture_request(const struct tr_event *ev, const char *kind)
{
	enum req_kind k;
	struct exec_src src;
	uint64_t addr = 0, len = 0;
	struct req *q;

	if (!strcmp(kind, "exec"))
		k = REQ_EXEC;
	else if (!strcmp(kind, "file"))
		k = REQ_FILE;
	else if (!strcmp(kind, "mem"))
		k = REQ_MEM;
	else
		return -EINVAL;
	if (!C.on || !ev->hdr)
		return -ENOTCONN;
	if (k == REQ_FILE && file_src(ev, &src))
		return -ENOENT;
	if (k == REQ_MEM && ((!arg_u64(ev, "addr", &addr) && !arg_u64(ev, "address", &addr)) ||
			     (!arg_u64(ev, "len", &len) && !arg_u64(ev, "length", &len)) || !len))
		return -ENOENT;
	pthread_mutex_lock(&C.lock);
	if (C.stopping) {
		pthread_mutex_unlock(&C.lock);
		return -ENOTCONN;
	}
	if (C.in_flight >= QUEUE_SLOTS) {
		C.st.queue_full++;
		pthread_mutex_unlock(&C.lock);
		return -ENOSPC;
	}
	C.in_flight++;
	pthread_mutex_unlock(&C.lock);
	q = calloc(1, sizeof(*q));
	if (!q) {
		pthread_mutex_lock(&C.lock);
		C.in_flight--;
		C.st.failed++;
		pthread_mutex_unlock(&C.lock);
		return -ENOMEM;
	}
	q->kind = k;
	if (k == REQ_FILE)
		q->src = src;
	else
		capture_exec_src(ev, &q->src);
	q->addr = addr;
	q->len = len;
	q->started = ev->container_started;
	pthread_mutex_lock(&C.lock);
	C.slots[(C.head + C.count) % QUEUE_SLOTS] = q;
	C.count++;
	pthread_cond_signal(&C.cond);
	pthread_mutex_unlock(&C.lock);
	return 0;
}

static void set_str(struct tr_arg *a, const char *v)
{
	a->kind = TR_V_STR;
	a->v.str.p = v;
	a->v.str.len = strlen(v);
	a->v.str.trunc = false;
}

/* capture_exec, capture_file or capture_mem in the context of the event it came from. */
static void emit(const struct req *q, capture_event_cb cb, void *ctx)
{
	const struct tr_event_def *d = events_by_name(q->kind == REQ_EXEC ? "capture_exec" :
						      q->kind == REQ_FILE ? "capture_file" :
						      "capture_mem");
	struct tr_record_hdr h = q->src.hdr;
	struct tr_event ev;
	unsigned int i;

	if (!d)
		return;
	memset(&ev, 0, sizeof(ev));
	h.event_id = d->id;
	h.retval = 0;
	h.argnum = d->nr_args;
	h.syscall = -1;
	ev.hdr = &h;
	ev.def = d;
	ev.timestamp_ns = q->src.timestamp_ns;
	ev.nr_args = d->nr_args;
	proctree_enrich(&ev, proctree_lookup_at(h.host_pid, h.ts));
	ev.container_id = q->src.container_id;
	runtime_enrich(&ev);
	ev.container_started = q->started;
	for (i = 0; i < d->nr_args; i++) {
		struct tr_arg *a = &ev.args[i];

		a->name = d->args[i].name;
		a->type = d->args[i].type;
		if (!strcmp(a->name, "pathname")) {
			set_str(a, q->src.path);
		} else if (!strcmp(a->name, "capture_path")) {
			set_str(a, q->res.path);
		} else if (!strcmp(a->name, "sha256")) {
			set_str(a, q->res.sha256);
		} else if (!strcmp(a->name, "size") || !strcmp(a->name, "bytes")) {
			a->kind = TR_V_UINT;
			a->v.u = q->res.size;
		} else if (!strcmp(a->name, "address")) {
			a->kind = TR_V_PTR;
			a->v.u = q->addr;
		} else if (!strcmp(a->name, "length")) {
			a->kind = TR_V_UINT;
			a->v.u = q->len;
		} else if (!strcmp(a->name, "deduplicated")) {
			a->kind = TR_V_BOOL;
			a->v.u = q->res.deduplicated;
		}
	}
	cb(ctx, &ev);
}

static void account(const struct req *q)
{
	switch (q->status) {
	case 0:
		if (q->res.deduplicated) {
			C.st.deduplicated++;
		} else {
			C.st.captured++;
			C.st.bytes += q->res.size;
		}
		break;
	case -EFBIG:
		C.st.too_large++;
		break;
	case -EDQUOT:
		C.st.over_quota++;
		break;
	case -ESRCH:
	case -EINVAL:
		C.st.gone++;
		break;
	default:
		C.st.failed++;
		tr_verbose(1, "capture: %s: %s", q->src.path, strerror(-q->status));
		break;
	}
}

/*
 * capture_file_write, capture_mem, capture_bpf or capture_module in the
 * context of the call that wrote the bytes, made the region executable or
 * loaded the program or module.
 */
static void emit_chunked(const struct witem *x, capture_event_cb cb, void *ctx)
{
	uint32_t kind = x->w.hdr.event_id;
	const struct tr_event_def *d = events_by_name(kind == TR_REC_CAPTURE_MEM ? "capture_mem" :
						      kind == TR_REC_CAPTURE_BPF ? "capture_bpf" :
						      kind == TR_REC_CAPTURE_MODULE ?
						      "capture_module" : "capture_file_write");
	struct tr_record_hdr h = x->w.hdr;
	struct tr_event ev;
	unsigned int i;

	if (!d)
		return;
	memset(&ev, 0, sizeof(ev));
	h.event_id = d->id;
	if (kind != TR_REC_CAPTURE_BPF && kind != TR_REC_CAPTURE_MODULE)
		h.retval = 0;	/* bpf, module: the load's (a program fd, 0, or -errno) */
	h.argnum = d->nr_args;
	h.size = sizeof(h);
	ev.hdr = &h;
	ev.def = d;
	ev.timestamp_ns = h.ts + decode_epoch_offset_ns();
	ev.nr_args = d->nr_args;
	proctree_enrich(&ev, proctree_lookup_at(h.host_pid, h.ts));
	ev.container_id = x->container_id;
	runtime_enrich(&ev);
	for (i = 0; i < d->nr_args; i++) {
		struct tr_arg *a = &ev.args[i];

		a->name = d->args[i].name;
		a->type = d->args[i].type;
		if (!strcmp(a->name, "pathname") || !strcmp(a->name, "prog_name")) {
			set_str(a, x->w.path);
		} else if (!strcmp(a->name, "capture_path")) {
			set_str(a, x->d.capture_path);
		} else if (!strcmp(a->name, "prog_type")) {
			a->kind = TR_V_UINT;
			a->v.u = x->w.c.dev;
		} else if (!strcmp(a->name, "insn_cnt")) {
			a->kind = TR_V_UINT;
			a->v.u = x->w.c.total / 8;
		} else if (!strcmp(a->name, "address")) {
			a->kind = TR_V_PTR;
			a->v.u = x->d.address;
		} else {
			a->kind = TR_V_UINT;
			/* finit_module's file: its length is what was copied */
			a->v.u = !strcmp(a->name, "dev") ? x->d.dev :
				 !strcmp(a->name, "inode") ? x->d.inode :
				 !strcmp(a->name, "length") ?
				 (x->w.c.flags & TR_CAPF_FILE ? x->d.bytes : x->w.c.total) :
				 x->d.bytes;
		}
	}
	cb(ctx, &ev);
}

void capture_poll(capture_event_cb cb, capture_event_cb held, void *ctx)
{
	struct witem *wlist;
	struct req *list;

	/* held execs first: they are the oldest events waiting */
	exechash_release(held, ctx, !C.worker_up);
	if (!C.on)
		return;
	pthread_mutex_lock(&C.lock);
	list = C.done;
	C.done = NULL;
	C.done_tail = &C.done;
	wlist = C.wdone;
	C.wdone = NULL;
	C.wdone_tail = &C.wdone;
	pthread_mutex_unlock(&C.lock);
	while (wlist) {
		struct witem *x = wlist;

		wlist = x->next;
		if (cb)
			emit_chunked(x, cb, ctx);
		free(x);
	}
	while (list) {
		struct req *q = list;

		list = q->next;
		pthread_mutex_lock(&C.lock);
		account(q);
		C.in_flight--;
		pthread_mutex_unlock(&C.lock);
		if (!q->status && cb)
			emit(q, cb, ctx);
		free(q);
	}
}

void capture_stats(struct capture_stats *st)
{
	pthread_mutex_lock(&C.lock);
	*st = C.st;
	pthread_mutex_unlock(&C.lock);
}

void capture_stop(void)
{
	if (!C.worker_up)
		return;
	pthread_mutex_lock(&C.lock);
	C.stopping = true;
	pthread_cond_signal(&C.cond);
	pthread_mutex_unlock(&C.lock);
	pthread_join(C.worker, NULL);
	C.worker_up = false;
}

void capture_fini(void)
{
	capture_stop();
	capture_poll(NULL, NULL, NULL);	/* accounts for what was not delivered */
	exechash_fini();
	if (!C.on)
		return;
	capwrite_close();
	store_close();
	C.on = false;
	C.exec_all = false;
}
