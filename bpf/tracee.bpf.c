// SPDX-License-Identifier: GPL-2.0
/*
 * tracee.bpf.c - every kernel program of tracee.
 *
 * One source, built two ways (bpf/kread.h is the only place that knows
 * which): CO-RE against bpf/vmlinux/<arch>/vmlinux.h, or kernel-specific
 * against one kernel's headers (bpf/kbuild.sh).
 *
 * Records go to user space as struct tr_record_hdr + typed arguments
 * (bpf/tracee_abi.h), through the `events` ring buffer, or the
 * `perf_events` perf buffer on kernels without ring buffers.  What to trace
 * comes from `tr_cfg` in .rodata, set by the loader before load so that the
 * verifier drops whatever is switched off.
 *
 * Programs
 *   tr_sys_enter	raw_tp/sys_enter: syscall filter, save args (or emit
 *			at enter for execve/execveat)
 *   tr_sys_exit	raw_tp/sys_exit: match saved args, emit with retval
 *   tr_proc_fork	raw_tp/sched_process_fork
 *   tr_proc_exec	raw_tp/sched_process_exec
 *   tr_proc_exit	raw_tp/sched_process_exit
 *
 * Verifier notes: a record is built in a per-CPU scratch buffer of
 * TR_RECORD_MAX bytes.  Every argument starts below TR_HALF and writes less
 * than TR_HALF bytes, so masking a start offset with TR_HALF - 1 proves
 * every write in bounds.  The write cursor lives in the record header
 * (hdr->size, in map memory) and is re-read before each argument: the
 * verifier sees an unknown but masked value, so the paths through the
 * different argument kinds merge instead of multiplying.  Loops (argv
 * entries, path components) sit in global functions (tr_g_*), which the
 * verifier checks once each rather than once per call site; kernel reads
 * carry no per-read branch (see READ_KERN).  Every program stays near 10k
 * verified instructions on 6.1 and 6.18.
 */
#include "kread.h"
#include "tracee_abi.h"

#ifndef TRACEE_VERSION
#define TRACEE_VERSION ""	/* the build passes -DTRACEE_VERSION='"x.y"' */
#endif
#ifndef TRACEE_KRELEASE
#define TRACEE_KRELEASE ""	/* kernel-specific builds pass the release */
#endif

/*
 * UAPI values used by number, so the kernel-specific flavour also builds
 * against headers older than the feature (the loader decides at run time
 * what the kernel can do, and the verifier drops the rest).
 */
#define TR_MAP_PERF_EVENT_ARRAY	4
#define TR_MAP_PERCPU_ARRAY	6
#define TR_MAP_LRU_HASH		9
#define TR_MAP_RINGBUF		27	/* 5.8 */
#define TR_MAP_TASK_STORAGE	29	/* 5.11 */
#define TR_F_NO_PREALLOC	1U
#define TR_F_CURRENT_CPU	0xffffffffULL
#define TR_RB_NO_WAKEUP		1ULL
#define TR_RB_FORCE_WAKEUP	2ULL
#define TR_RB_AVAIL_DATA	0ULL
#define TR_STORAGE_CREATE	1ULL

#define TR_HALF			(TR_RECORD_MAX / 2)
#define TR_STR_READ		(TR_PATH_MAX + 2)	/* one byte past the limit tells "cut" */
#define TR_PATH_DEPTH		64	/* path components walked, then cut */
#define TR_NAME_MAX		255
#define TR_SOCKLEN_PTR		4096	/* an addrlen above this is a socklen_t * */

char LICENSE[] SEC("license") = "GPL";

/* Read by the loader with libelf: NUL-separated key=value strings. */
const char tr_meta[] SEC(".tracee.meta") __attribute__((used)) =
	"flavour=" TR_FLAVOUR "\0release=" TRACEE_KRELEASE "\0version=" TRACEE_VERSION;

const volatile struct tr_config tr_cfg = {};

/* ------------------------------------------------------------------ maps */

struct {
	__uint(type, TR_MAP_RINGBUF);
	__uint(max_entries, 4 << 20);
} events SEC(".maps");

struct {
	__uint(type, TR_MAP_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} perf_events SEC(".maps");

struct {
	__uint(type, TR_MAP_PERCPU_ARRAY);
	__uint(max_entries, TR_STAT_NR);
	__type(key, __u32);
	__type(value, __u64);
} stats SEC(".maps");

/* One scratch record per CPU and per kind of program, so a program
 * preempted on this CPU (raw_tp runs with migration, not preemption,
 * disabled) cannot have its record overwritten by another. */
enum tr_slot {
	TR_SLOT_ENTER,
	TR_SLOT_EXIT,
	TR_SLOT_PROC,
	TR_SLOT_NR
};

struct tr_scratch {
	__u8 buf[TR_RECORD_MAX];
};

struct {
	__uint(type, TR_MAP_PERCPU_ARRAY);
	__uint(max_entries, TR_SLOT_NR);
	__type(key, __u32);
	__type(value, struct tr_scratch);
} scratch SEC(".maps");

/* Paths are assembled backwards from the last component in here. */
struct tr_pathbuf {
	char buf[2 * TR_PATH_MAX];
	/* the walk's state between steps (see tr_g_path_step) */
	__u64 dentry;
	__u64 vfsmnt;
	__u64 mnt;
	__u64 mnt_parent;
	__u32 pos;	/* the path so far is buf[pos..TR_PATH_MAX) */
	__u32 pad;
};

struct {
	__uint(type, TR_MAP_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct tr_pathbuf);
} path_buf SEC(".maps");

/* A syscall's raw arguments between sys_enter and sys_exit. */
struct tr_task_state {
	__u64 args[TR_SYSCALL_ARGS];
	__u64 ts;	/* entry time: the event's timestamp */
	__s64 nr;	/* syscall saved, -1 when consumed */
};

/* tr_cfg.use_task_storage = 1 (kernels >= 5.11 with BTF) */
struct {
	__uint(type, TR_MAP_TASK_STORAGE);
	__uint(map_flags, TR_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct tr_task_state);
} task_state SEC(".maps");

/* tr_cfg.use_task_storage = 0: keyed by thread id; LRU so that threads that
 * never return (exit_group, killed mid-syscall) cannot fill it up. */
struct {
	__uint(type, TR_MAP_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, __u32);
	__type(value, struct tr_task_state);
} task_state_h SEC(".maps");

/* --------------------------------------------------------------- helpers */

/*
 * v & mask, with the mask kept: the compiler must forget what it knows of v
 * first, or it drops a mask it can prove redundant, and the verifier, which
 * tracks registers and not the compiler's reasoning, loses the bound.
 * (libbpf's barrier_var(), spelled with __volatile__ so that
 * asm_goto_workaround.h leaves its operand in place.)
 */
#define TR_MASK(v, mask) ({ __asm__ __volatile__("" : "+r"(v)); (v) & (mask); })

static __always_inline void tr_stat_inc(__u32 which)
{
	__u64 *v = bpf_map_lookup_elem(&stats, &which);

	if (v)
		*v += 1;	/* per-CPU slot: no atomic needed */
}

static __always_inline bool tr_is_self(void)
{
	return (bpf_get_current_pid_tgid() >> 32) == tr_cfg.self_tgid;
}

static __always_inline bool tr_ev_selected(__u32 id)
{
	return tr_cfg.ev_sel[(id / 64) % (TR_MAX_EVENT / 64)] & (1ULL << (id % 64));
}

static __always_inline __u8 *tr_scratch(__u32 slot)
{
	return bpf_map_lookup_elem(&scratch, &slot);
}

/* Thread id as seen in the task's own pid namespace (pid->numbers[pid->level]). */
static __always_inline __u32 tr_task_ns_tid(struct task_struct *task)
{
	struct pid *pid = READ_KERN(task->thread_pid);
	unsigned int level = READ_KERN(pid->level);

	return READ_KERN(tr_kpid_upid(pid, level)->nr);
}

static __always_inline __u32 tr_task_ns_tgid(struct task_struct *task)
{
	return tr_task_ns_tid(READ_KERN(task->group_leader));
}

/* 32-bit syscall on a 64-bit kernel: other numbers, other layouts. */
static __always_inline bool tr_task_compat(struct task_struct *task)
{
	return READ_KERN(task->thread_info.status) & TR_TS_COMPAT;
}

/*
 * The context header.  task is current: every program runs in the context
 * of the task it reports (for fork, the parent).
 */
static __always_inline void tr_fill_hdr(struct tr_record_hdr *h, struct task_struct *task,
					__u32 event_id, __s32 syscall)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	struct task_struct *parent = READ_KERN(task->real_parent);
	struct pid *pid = READ_KERN(task->thread_pid);
	unsigned int level = READ_KERN(pid->level);
	struct upid *upid = tr_kpid_upid(pid, level);
	struct pid_namespace *pidns = READ_KERN(upid->ns);
	struct nsproxy *nsp = READ_KERN(task->nsproxy);
	struct mnt_namespace *mntns = READ_KERN(nsp->mnt_ns);
	struct uts_namespace *uts = READ_KERN(nsp->uts_ns);

	h->ts = bpf_ktime_get_ns();
	h->start_time = READ_KERN(task->start_time);
	h->cgroup_id = bpf_get_current_cgroup_id();
	h->retval = 0;
	h->event_id = event_id;
	h->size = sizeof(*h);
	h->host_tid = (__u32)pid_tgid;
	h->host_pid = pid_tgid >> 32;
	h->host_ppid = READ_KERN(parent->tgid);
	h->tid = READ_KERN(upid->nr);
	/* level 0: the initial namespace, where ns and host ids agree */
	h->pid = level ? tr_task_ns_tgid(task) : h->host_pid;
	/* as Tracee: the parent's pid in its own pid namespace */
	h->ppid = tr_task_ns_tgid(parent);
	h->uid = (__u32)bpf_get_current_uid_gid();
	h->mnt_ns = tr_kns_inum(&mntns->ns);
	h->pid_ns = tr_kns_inum(&pidns->ns);
	h->syscall = syscall;
	h->cpu = bpf_get_smp_processor_id();
	h->argnum = 0;
	h->flags = 0;
	h->pad0 = 0;
	h->reserved = 0;
	bpf_get_current_comm(h->comm, sizeof(h->comm));
	KREAD_N(h->uts, sizeof(h->uts), uts->name.nodename);	/* zeroed on failure */
}

/* ------------------------------------------------------ argument writers */

/*
 * Start an argument: index and tag at the cursor.  Returns the payload
 * offset (< TR_HALF), or -1 when the record is full (marked cut).
 */
static __always_inline int tr_arg_begin(__u8 *buf, __u8 idx, __u8 tag)
{
	struct tr_record_hdr *h = (void *)buf;
	__u32 off = *(volatile __u32 *)&h->size;

	if (off >= TR_HALF - 16) {
		h->flags |= TR_F_ARGS_CUT;
		return -1;
	}
	off = TR_MASK(off, TR_HALF - 1);
	buf[off] = idx;
	buf[off + 1] = tag;
	return off + 2;
}

/* Commit an argument whose payload ends at end. */
static __always_inline void tr_arg_end(__u8 *buf, __u32 end)
{
	struct tr_record_hdr *h = (void *)buf;

	h->size = end;
	h->argnum++;
}

static __always_inline void tr_put_u32(__u8 *buf, __u32 off, __u32 v)
{
	off = TR_MASK(off, TR_HALF - 1);
	__builtin_memcpy(&buf[off], &v, sizeof(v));
}

static __always_inline void tr_put_u64(__u8 *buf, __u8 idx, __u64 v)
{
	int off = tr_arg_begin(buf, idx, TR_W_U64);

	if (off < 0)
		return;
	off = TR_MASK(off, TR_HALF - 1);
	__builtin_memcpy(&buf[off], &v, sizeof(v));
	tr_arg_end(buf, off + sizeof(v));
}

/*
 * Read a NUL-terminated string (user or kernel memory) to buf[off + 4] and
 * write its u32 length header at buf[off].  Returns the bytes used (4 + len)
 * or a negative errno; *cut tells whether it hit TR_PATH_MAX.
 */
static __always_inline long tr_read_str(__u8 *buf, __u32 off, const void *ptr, bool user,
					bool *cut)
{
	__u32 len = 0;
	long n = 0;

	off = TR_MASK(off, TR_HALF - 1);
	*cut = false;
	if (ptr) {
		if (user)
			n = bpf_probe_read_user_str(&buf[off + 4], TR_STR_READ, ptr);
		else
			n = bpf_probe_read_kernel_str(&buf[off + 4], TR_STR_READ, ptr);
		if (n < 0)
			return n;
	}
	if (n > 0)
		len = n - 1;	/* without the NUL */
	if (len > TR_PATH_MAX) {
		len = TR_PATH_MAX;	/* TR_STR_READ filled: there was more */
		*cut = true;
	}
	tr_put_u32(buf, off, len | (*cut ? TR_LEN_TRUNC : 0));
	return 4 + len;
}

/* TR_W_STR; a NULL pointer is an empty string, a failed read omits the argument. */
static __always_inline void tr_put_str(__u8 *buf, __u8 idx, const void *ptr, bool user)
{
	int off = tr_arg_begin(buf, idx, TR_W_STR);
	long used;
	bool cut;

	if (off < 0)
		return;
	used = tr_read_str(buf, off, ptr, user, &cut);
	if (used < 0) {
		tr_stat_inc(TR_STAT_READ_FAIL);
		return;
	}
	tr_arg_end(buf, off + used);
}

/*
 * TR_W_STRARR from a user array of string pointers (execve argv/envp).
 * The count is written first and patched at the end.
 */
static __always_inline void tr_put_strarr(__u8 *buf, __u8 idx, const void *uarr)
{
	int off = tr_arg_begin(buf, idx, TR_W_STRARR);
	__u32 count = 0, trunc = 0;
	__u32 cur;

	if (off < 0)
		return;
	cur = off + 4;
	for (int i = 0; i < TR_ARGV_MAX + 1; i++) {
		const char *p = NULL;
		long used;
		bool cut;

		if (!uarr)
			break;
		if (bpf_probe_read_user(&p, sizeof(p), (const char *const *)uarr + i)) {
			tr_stat_inc(TR_STAT_READ_FAIL);
			break;
		}
		if (!p)
			break;
		if (i == TR_ARGV_MAX || cur >= TR_HALF) {
			trunc = TR_LEN_TRUNC;	/* more entries than we keep */
			break;
		}
		used = tr_read_str(buf, cur, p, true, &cut);
		if (used < 0) {
			tr_stat_inc(TR_STAT_READ_FAIL);
			trunc = TR_LEN_TRUNC;
			break;
		}
		cur = (cur & (TR_HALF - 1)) + used;
		count++;
	}
	tr_put_u32(buf, off, count | trunc);
	tr_arg_end(buf, cur);
}

/*
 * TR_W_STRARR from the NUL-separated strings between start and end in the
 * current task's memory (mm->arg_start..arg_end, after exec).
 */
static __always_inline void tr_put_strarea(__u8 *buf, __u8 idx, unsigned long start,
					   unsigned long end)
{
	int off = tr_arg_begin(buf, idx, TR_W_STRARR);
	__u32 count = 0, trunc = 0;
	__u32 cur;

	if (off < 0)
		return;
	cur = off + 4;
	for (int i = 0; i < TR_ARGV_MAX + 1; i++) {
		long used;
		bool cut;

		if (start >= end)
			break;
		if (i == TR_ARGV_MAX || cur >= TR_HALF) {
			trunc = TR_LEN_TRUNC;
			break;
		}
		used = tr_read_str(buf, cur, (const void *)start, true, &cut);
		if (used < 0) {
			tr_stat_inc(TR_STAT_READ_FAIL);
			trunc = TR_LEN_TRUNC;
			break;
		}
		cur = (cur & (TR_HALF - 1)) + used;
		count++;
		if (cut) {
			/* the rest of this string is unknown: cannot find the next one */
			if (start + used - 4 < end)
				trunc = TR_LEN_TRUNC;
			break;
		}
		start += used - 4 + 1;	/* the string and its NUL */
	}
	tr_put_u32(buf, off, count | trunc);
	tr_arg_end(buf, cur);
}

/*
 * TR_W_SOCKADDR or TR_W_BYTES: len bytes of user memory, capped at max.
 * For sockaddrs the length is the next argument, or (accept, recvfrom,
 * getsockname...) a pointer to a socklen_t holding it.
 */
static __always_inline void tr_put_ubytes(__u8 *buf, __u8 idx, __u8 tag, const void *ptr,
					  __u64 len, __u32 max)
{
	int off = tr_arg_begin(buf, idx, tag);

	if (off < 0)
		return;
	if (tag == TR_W_SOCKADDR && len > TR_SOCKLEN_PTR) {
		int l = 0;

		if (bpf_probe_read_user(&l, sizeof(l), (const void *)len) || l < 0)
			l = 0;
		len = l;
	}
	if (!ptr)
		len = 0;
	if (len > max)
		len = max;
	off = TR_MASK(off, TR_HALF - 1);
	len = TR_MASK(len, TR_PATH_MAX * 2 - 1);
	if (len && bpf_probe_read_user(&buf[off + 4], len, ptr)) {
		tr_stat_inc(TR_STAT_READ_FAIL);
		return;
	}
	tr_put_u32(buf, off, len);
	tr_arg_end(buf, off + 4 + len);
}

/* TR_W_INT2 / TR_W_TIMESPEC: a fixed-size user struct; NULL omits it. */
static __always_inline void tr_put_ufixed(__u8 *buf, __u8 idx, __u8 tag, const void *ptr,
					  __u32 size)
{
	int off;

	if (!ptr)
		return;
	off = tr_arg_begin(buf, idx, tag);
	if (off < 0)
		return;
	off = TR_MASK(off, TR_HALF - 1);
	if (bpf_probe_read_user(&buf[off], size & 31, ptr)) {
		tr_stat_inc(TR_STAT_READ_FAIL);
		return;
	}
	tr_arg_end(buf, off + size);
}

enum {
	TR_WALK_MORE,
	TR_WALK_ROOT,	/* done: reached the root of everything */
	TR_WALK_CUT,	/* done: too long, or a read failed */
};

static __always_inline struct tr_pathbuf *tr_pathbuf(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&path_buf, &zero);
}

/*
 * One step up a path: prepend the current dentry's name, or cross from
 * the root of a mount to its mountpoint.  The walk's state lives in the
 * path_buf map between steps, and this is a global function: the verifier
 * checks one step once instead of every step of every walk (the inline
 * loop cost 800k instructions of verification).
 */
TR_NOINLINE int tr_g_path_step(void)
{
	struct tr_pathbuf *pb = tr_pathbuf();
	struct dentry *dentry, *mnt_root, *d_parent;
	struct vfsmount *vfsmnt;
	struct mount *mnt, *mnt_parent;
	const unsigned char *name;
	__u32 len, pos;

	if (!pb)
		return TR_WALK_CUT;
	dentry = (struct dentry *)pb->dentry;
	vfsmnt = (struct vfsmount *)pb->vfsmnt;
	mnt = (struct mount *)pb->mnt;
	mnt_parent = (struct mount *)pb->mnt_parent;

	mnt_root = READ_KERN(vfsmnt->mnt_root);
	d_parent = READ_KERN(dentry->d_parent);
	if (dentry == mnt_root || dentry == d_parent) {
		if (dentry != mnt_root || mnt == mnt_parent || !mnt_parent)
			return TR_WALK_ROOT;
		/* root of a mount: go on from its mountpoint in the parent mount */
		pb->dentry = (__u64)READ_KERN(mnt->mnt_mountpoint);
		pb->mnt = (__u64)mnt_parent;
		pb->mnt_parent = (__u64)READ_KERN(mnt_parent->mnt_parent);
		pb->vfsmnt = (__u64)&mnt_parent->mnt;
		return TR_WALK_MORE;
	}
	/* KREAD, not READ_KERN: d_name is const in newer kernels' BTF dumps */
	KREAD(len, dentry->d_name.len);
	KREAD(name, dentry->d_name.name);
	if (len > TR_NAME_MAX)
		len = TR_NAME_MAX;
	pos = pb->pos;
	if (pos > TR_PATH_MAX || len + 1 > pos)
		return TR_WALK_CUT;	/* longer than TR_PATH_MAX */
	pos -= len + 1;
	pos = TR_MASK(pos, TR_PATH_MAX - 1);
	len = TR_MASK(len, TR_NAME_MAX);
	if (bpf_probe_read_kernel(&pb->buf[pos + 1], len, name)) {
		tr_stat_inc(TR_STAT_READ_FAIL);
		return TR_WALK_CUT;
	}
	pb->buf[pos] = '/';
	pb->pos = pos;
	pb->dentry = (__u64)d_parent;
	return TR_WALK_MORE;
}

/*
 * TR_W_STR with the absolute path of a struct path, walked from the dentry
 * up to the mount root and across mounts, as d_path() would (without the
 * caller's chroot).  Deeper than TR_PATH_DEPTH components or longer than
 * TR_PATH_MAX: the tail is kept and marked cut.
 */
static __always_inline void tr_put_path(__u8 *buf, __u8 idx, struct path *fpath)
{
	struct tr_pathbuf *pb = tr_pathbuf();
	__u32 pos, plen, cut = TR_LEN_TRUNC;
	struct vfsmount *vfsmnt;
	struct mount *mnt;
	int off;

	if (!pb)
		return;
	pb->dentry = (__u64)READ_KERN(fpath->dentry);
	vfsmnt = READ_KERN(fpath->mnt);
	if (!pb->dentry || !vfsmnt) {
		tr_stat_inc(TR_STAT_READ_FAIL);
		return;
	}
	mnt = tr_kreal_mount(vfsmnt);
	pb->vfsmnt = (__u64)vfsmnt;
	pb->mnt = (__u64)mnt;
	pb->mnt_parent = (__u64)READ_KERN(mnt->mnt_parent);
	pb->pos = TR_PATH_MAX;

	for (int i = 0; i < TR_PATH_DEPTH; i++) {
		int r = tr_g_path_step();

		if (r == TR_WALK_ROOT)
			cut = 0;
		if (r != TR_WALK_MORE)
			break;
	}
	pos = pb->pos;
	if (pos >= TR_PATH_MAX) {
		pos = TR_PATH_MAX - 1;
		pb->buf[pos] = '/';
	}
	pos = TR_MASK(pos, TR_PATH_MAX - 1);
	plen = TR_PATH_MAX - pos;

	off = tr_arg_begin(buf, idx, TR_W_STR);
	if (off < 0)
		return;
	off = TR_MASK(off, TR_HALF - 1);
	plen = TR_MASK(plen, TR_PATH_MAX * 2 - 1);
	if (bpf_probe_read_kernel(&buf[off + 4], plen, &pb->buf[pos])) {
		tr_stat_inc(TR_STAT_READ_FAIL);
		return;
	}
	tr_put_u32(buf, off, plen | cut);
	tr_arg_end(buf, off + 4 + plen);
}

/* ----------------------------------------------------------------- output */

static __always_inline void tr_submit(void *ctx, __u8 *buf)
{
	struct tr_record_hdr *h = (void *)buf;
	__u32 size = *(volatile __u32 *)&h->size;
	long err;

	if (size > TR_RECORD_MAX - 1)
		return;		/* cannot happen: see the verifier notes */
	size = TR_MASK(size, TR_RECORD_MAX - 1);
	if (tr_cfg.use_ringbuf) {
		__u64 flags = TR_RB_NO_WAKEUP;

		/* wake the reader only once enough has piled up (NOTES: bench) */
		if (bpf_ringbuf_query(&events, TR_RB_AVAIL_DATA) > tr_cfg.wakeup_bytes)
			flags = TR_RB_FORCE_WAKEUP;
		err = bpf_ringbuf_output(&events, buf, size, flags);
	} else {
		err = bpf_perf_event_output(ctx, &perf_events, TR_F_CURRENT_CPU, buf, size);
	}
	tr_stat_inc(err ? TR_STAT_LOST : TR_STAT_SUBMITTED);
}

/* ---------------------------------------------------------------- syscalls */

/*
 * Global functions: the verifier checks each one once, with unknown
 * arguments, instead of once per call site and per path leading there.
 * That keeps the loops below (argv entries, path components) from
 * multiplying the work of every program that uses them.  Kernel pointers
 * travel as __u64: a global function may only take scalars.
 */

/* Syscall argument i (value val, next = argument i + 1) as its tag says. */
TR_NOINLINE int tr_g_sysarg(__u32 slot, __u64 cfg, __u32 i, __u64 val, __u64 next)
{
	__u8 *buf = tr_scratch(slot);
	const void *p = (const void *)val;
	__u8 idx = i % TR_SYSCALL_ARGS;

	if (!buf)
		return 0;
	switch (TR_SYS_ARGTAG(cfg, idx)) {
	case TR_W_U64:
		tr_put_u64(buf, idx, val);
		break;
	case TR_W_STR:
		tr_put_str(buf, idx, p, true);
		break;
	case TR_W_STRARR:
		tr_put_strarr(buf, idx, p);
		break;
	case TR_W_SOCKADDR:
		tr_put_ubytes(buf, idx, TR_W_SOCKADDR, p,
			      idx + 1 < TR_SYSCALL_ARGS ? next : TR_SOCKADDR_MAX, TR_SOCKADDR_MAX);
		break;
	case TR_W_BYTES:
		tr_put_ubytes(buf, idx, TR_W_BYTES, p, next, TR_PATH_MAX);
		break;
	case TR_W_INT2:
		tr_put_ufixed(buf, idx, TR_W_INT2, p, 2 * sizeof(__s32));
		break;
	case TR_W_TIMESPEC:
		tr_put_ufixed(buf, idx, TR_W_TIMESPEC, p, 2 * sizeof(__s64));
		break;
	default:
		break;
	}
	return 0;
}

/* A string in kernel memory. */
TR_NOINLINE int tr_g_kstr(__u32 slot, __u32 idx, __u64 ptr)
{
	__u8 *buf = tr_scratch(slot);

	if (buf)
		tr_put_str(buf, idx, (const void *)ptr, false);
	return 0;
}

/* The absolute path of a struct path. */
TR_NOINLINE int tr_g_path(__u32 slot, __u32 idx, __u64 path)
{
	__u8 *buf = tr_scratch(slot);

	if (buf)
		tr_put_path(buf, idx, (struct path *)path);
	return 0;
}

/* The strings between start and end in the current task's memory. */
TR_NOINLINE int tr_g_strarea(__u32 slot, __u32 idx, __u64 start, __u64 end)
{
	__u8 *buf = tr_scratch(slot);

	if (buf)
		tr_put_strarea(buf, idx, start, end);
	return 0;
}

static __always_inline void tr_emit_syscall(void *ctx, __u32 slot, struct task_struct *task,
					    long nr, __u64 cfg, struct tr_task_state *st,
					    long ret)
{
	__u8 *buf = tr_scratch(slot);
	struct tr_record_hdr *h = (void *)buf;

	if (!buf)
		return;
	tr_fill_hdr(h, task, nr, nr);
	h->ts = st->ts;
	h->retval = ret;
	tr_g_sysarg(slot, cfg, 0, st->args[0], st->args[1]);
	tr_g_sysarg(slot, cfg, 1, st->args[1], st->args[2]);
	tr_g_sysarg(slot, cfg, 2, st->args[2], st->args[3]);
	tr_g_sysarg(slot, cfg, 3, st->args[3], st->args[4]);
	tr_g_sysarg(slot, cfg, 4, st->args[4], st->args[5]);
	tr_g_sysarg(slot, cfg, 5, st->args[5], 0);
	tr_submit(ctx, buf);
}

/* The per-task state of the current thread; NULL when there is none. */
static __always_inline struct tr_task_state *tr_state_lookup(void)
{
	__u32 tid;

	if (tr_cfg.use_task_storage)
		return bpf_task_storage_get(&task_state, bpf_get_current_task_btf(), 0, 0);
	tid = (__u32)bpf_get_current_pid_tgid();
	return bpf_map_lookup_elem(&task_state_h, &tid);
}

static __always_inline void tr_state_save(struct tr_task_state *st)
{
	struct tr_task_state *t;
	__u32 tid;

	if (tr_cfg.use_task_storage) {
		t = bpf_task_storage_get(&task_state, bpf_get_current_task_btf(), 0,
					 TR_STORAGE_CREATE);
		if (t)
			*t = *st;
		return;
	}
	tid = (__u32)bpf_get_current_pid_tgid();
	bpf_map_update_elem(&task_state_h, &tid, st, 0 /* BPF_ANY */);
}

/* raw_tp/sys_enter: (struct pt_regs *regs, long id) */
SEC("raw_tp/sys_enter")
int tr_sys_enter(struct bpf_raw_tracepoint_args *ctx)
{
	unsigned long nr = ctx->args[1];
	struct {
		__u64 r10, r9, r8, ax, cx, dx, si, di;
	} r;
	struct tr_task_state st;
	struct task_struct *task;
	struct pt_regs *regs;
	__u64 cfg;

	/* the filter first: a rodata load, before any map or helper */
	if (nr >= TR_MAX_SYSCALL)
		return 0;
	cfg = tr_cfg.sys_cfg[nr];
	if (!(cfg & (TR_SYS_CAPTURE | TR_SYS_SUBMIT_ENTER)))
		return 0;
	if (tr_is_self())
		return 0;
	task = (struct task_struct *)bpf_get_current_task();
	if (tr_task_compat(task))
		return 0;

	/*
	 * One read for all six: x86_64 pt_regs holds r10, r9, r8, ax, cx, dx,
	 * si, di in this order (the entry code pushes them so; ptrace's
	 * user_regs_struct has the same layout).
	 */
	regs = (struct pt_regs *)ctx->args[0];
	if (KREAD_N(&r, sizeof(r), regs->r10))
		return 0;
	st.args[0] = r.di;
	st.args[1] = r.si;
	st.args[2] = r.dx;
	st.args[3] = r.r10;
	st.args[4] = r.r8;
	st.args[5] = r.r9;
	st.ts = bpf_ktime_get_ns();
	st.nr = nr;

	if (cfg & TR_SYS_SUBMIT_ENTER) {
		/* execve: the caller's memory is gone once the exec succeeded */
		if (cfg & TR_SYS_EMIT)
			tr_emit_syscall(ctx, TR_SLOT_ENTER, task, nr, cfg, &st, 0);
		return 0;
	}
	tr_state_save(&st);
	return 0;
}

/* raw_tp/sys_exit: (struct pt_regs *regs, long ret) */
SEC("raw_tp/sys_exit")
int tr_sys_exit(struct bpf_raw_tracepoint_args *ctx)
{
	struct pt_regs *regs = (struct pt_regs *)ctx->args[0];
	unsigned long nr = READ_KERN(regs->orig_ax);
	struct tr_task_state *sp, st;
	__u64 cfg;

	if (nr >= TR_MAX_SYSCALL)
		return 0;
	cfg = tr_cfg.sys_cfg[nr];
	if (!(cfg & TR_SYS_CAPTURE) || (cfg & TR_SYS_SUBMIT_ENTER))
		return 0;
	if (tr_is_self())
		return 0;
	sp = tr_state_lookup();
	if (!sp || sp->nr != (long)nr)
		return 0;
	st = *sp;
	sp->nr = -1;
	if (!(cfg & TR_SYS_EMIT))
		return 0;
	tr_emit_syscall(ctx, TR_SLOT_EXIT, (struct task_struct *)bpf_get_current_task(), nr,
			cfg, &st, (long)ctx->args[1]);
	return 0;
}

/* -------------------------------------------------------------- lifecycle */

/* raw_tp/sched_process_fork: (struct task_struct *parent, struct task_struct *child) */
SEC("raw_tp/sched_process_fork")
int tr_proc_fork(struct bpf_raw_tracepoint_args *ctx)
{
	struct task_struct *parent = (struct task_struct *)ctx->args[0];
	struct task_struct *child = (struct task_struct *)ctx->args[1];
	__u8 *buf;

	if (!tr_ev_selected(TR_EV_SCHED_PROCESS_FORK) || tr_is_self())
		return 0;
	buf = tr_scratch(TR_SLOT_PROC);
	if (!buf)
		return 0;
	tr_fill_hdr((void *)buf, (struct task_struct *)bpf_get_current_task(),
		    TR_EV_SCHED_PROCESS_FORK, -1);
	tr_put_u64(buf, 0, READ_KERN(parent->pid));
	tr_put_u64(buf, 1, tr_task_ns_tid(parent));
	tr_put_u64(buf, 2, READ_KERN(parent->tgid));
	tr_put_u64(buf, 3, tr_task_ns_tgid(parent));
	tr_put_u64(buf, 4, READ_KERN(child->pid));
	tr_put_u64(buf, 5, tr_task_ns_tid(child));
	tr_put_u64(buf, 6, READ_KERN(child->tgid));
	tr_put_u64(buf, 7, tr_task_ns_tgid(child));
	tr_put_u64(buf, 8, READ_KERN(child->start_time));
	tr_submit(ctx, buf);
	return 0;
}

/* raw_tp/sched_process_exec: (struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm) */
SEC("raw_tp/sched_process_exec")
int tr_proc_exec(struct bpf_raw_tracepoint_args *ctx)
{
	struct task_struct *task = (struct task_struct *)ctx->args[0];
	struct linux_binprm *bprm = (struct linux_binprm *)ctx->args[2];
	struct task_struct *parent;
	struct files_struct *files;
	struct fdtable *fdt;
	struct file **fds, *file, *in;
	struct inode *inode, *in_inode;
	struct super_block *sb;
	struct mm_struct *mm;
	__u8 *buf;

	if (!tr_ev_selected(TR_EV_SCHED_PROCESS_EXEC) || tr_is_self())
		return 0;
	buf = tr_scratch(TR_SLOT_PROC);
	if (!buf)
		return 0;
	tr_fill_hdr((void *)buf, task, TR_EV_SCHED_PROCESS_EXEC, -1);

	file = READ_KERN(bprm->file);
	inode = READ_KERN(file->f_inode);
	sb = READ_KERN(inode->i_sb);

	tr_g_kstr(TR_SLOT_PROC, 0, (__u64)READ_KERN(bprm->filename));
	tr_g_path(TR_SLOT_PROC, 1, (__u64)&file->f_path);
	tr_put_u64(buf, 2, READ_KERN(sb->s_dev));
	tr_put_u64(buf, 3, READ_KERN(inode->i_ino));
	tr_put_u64(buf, 4, tr_kinode_ctime(inode));
	tr_put_u64(buf, 5, READ_KERN(inode->i_mode));
	tr_g_kstr(TR_SLOT_PROC, 6, (__u64)READ_KERN(bprm->interp));

	files = READ_KERN(task->files);
	fdt = READ_KERN(files->fdt);
	fds = READ_KERN(fdt->fd);
	in = fds ? READ_KERN(fds[0]) : NULL;
	in_inode = in ? READ_KERN(in->f_inode) : NULL;
	tr_put_u64(buf, 7, in_inode ? READ_KERN(in_inode->i_mode) & TR_S_IFMT : 0);

	/* the exec is done: current->mm is the new program's */
	mm = READ_KERN(task->mm);
	tr_g_strarea(TR_SLOT_PROC, 8, READ_KERN(mm->arg_start), READ_KERN(mm->arg_end));

	parent = READ_KERN(task->real_parent);
	tr_put_u64(buf, 9, (READ_KERN(parent->flags) & TR_PF_KTHREAD) ? 1 : 0);
	tr_submit(ctx, buf);
	return 0;
}

/*
 * raw_tp/sched_process_exit: (struct task_struct *p), plus bool group_dead
 * since 6.16; read from the task instead so that every kernel attaches.
 */
SEC("raw_tp/sched_process_exit")
int tr_proc_exit(struct bpf_raw_tracepoint_args *ctx)
{
	struct task_struct *task = (struct task_struct *)ctx->args[0];
	struct signal_struct *signal;
	__u8 *buf;

	if (!tr_ev_selected(TR_EV_SCHED_PROCESS_EXIT) || tr_is_self())
		return 0;
	buf = tr_scratch(TR_SLOT_PROC);
	if (!buf)
		return 0;
	tr_fill_hdr((void *)buf, task, TR_EV_SCHED_PROCESS_EXIT, -1);
	tr_put_u64(buf, 0, (__s64)READ_KERN(task->exit_code));
	/* do_exit() has already dropped signal->live for this thread */
	signal = READ_KERN(task->signal);
	tr_put_u64(buf, 1, READ_KERN(signal->live.counter) == 0);
	tr_submit(ctx, buf);
	return 0;
}
