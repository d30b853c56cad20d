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
 *   tr_mprot_enter	raw_tp/sys_enter: the protection mprotect changes (bpf_find_vma)
 *   tr_cgroup_mkdir, tr_cgroup_rmdir, tr_task_rename, tr_signal_gen,
 *   tr_signal_dlv, tr_module_load	raw_tp/<tracepoint of the same name>
 *
 * Security events without kprobes or LSM: the security_* hooks are served
 * from the syscall that reaches them, at sys_exit (TR_SYS_DERIVE in
 * tr_cfg.sys_cfg, set for the syscalls the events table lists per event),
 * from what the kernel holds once it returned: the fd's struct file for
 * security_file_open, the socket for security_socket_*, the credentials
 * compared with a copy taken at sys_enter for commit_creds, and so on.
 *
 * Scopes (--scope) are checked before anything else is read: a rodata
 * flags word (zero: pruned by the verifier) and small hash maps; a dropped
 * event counts TR_STAT_FILTERED.
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
#define TR_MAP_ARRAY		2
#define TR_MAP_PERCPU_ARRAY	6
#define TR_MAP_LRU_HASH		9
#define TR_MAP_RINGBUF		27	/* 5.8 */
#define TR_MAP_TASK_STORAGE	29	/* 5.11 */
#define TR_F_NO_PREALLOC	1U
#define TR_F_CURRENT_CPU	0xffffffffULL
#define TR_RB_NO_WAKEUP		1ULL
#define TR_RB_FORCE_WAKEUP	2ULL
#define TR_STORAGE_CREATE	1ULL

#define TR_HALF			(TR_RECORD_MAX / 2)
#define TR_STR_READ		(TR_PATH_MAX + 2)	/* one byte past the limit tells "cut" */
#define TR_PATH_DEPTH		64	/* path components walked, then cut */
#define TR_NAME_MAX		255
#define TR_SOCKLEN_PTR		4096	/* an addrlen above this is a socklen_t * */
#define TR_S_IFREG		0100000
#define TR_S_IFSOCK		0140000
#define TR_PROT_WRITE		0x2
#define TR_PROT_EXEC		0x4
#define TR_MAP_ANONYMOUS	0x20
#define TR_O_CREAT		0100
#define TR_O_TRUNC		01000
#define TR_O_OPEN_ONLY		(0100 | 0200 | 0400 | 01000)	/* O_CREAT O_EXCL O_NOCTTY O_TRUNC */
#define TR_AF_UNIX		1
#define TR_AF_INET		2
#define TR_AF_INET6		10

/* x86_64 syscall numbers the derived events come from (ABI: never change) */
#define TR_NR_WRITE		1
#define TR_NR_OPEN		2
#define TR_NR_MMAP		9
#define TR_NR_MPROTECT		10
#define TR_NR_DUP		32
#define TR_NR_DUP2		33
#define TR_NR_PWRITE64		18
#define TR_NR_WRITEV		20
#define TR_NR_CONNECT		42
#define TR_NR_ACCEPT		43
#define TR_NR_BIND		49
#define TR_NR_LISTEN		50
#define TR_NR_CREAT		85
#define TR_NR_SETUID		105
#define TR_NR_SETGID		106
#define TR_NR_SETREUID		113
#define TR_NR_SETREGID		114
#define TR_NR_SETRESUID		117
#define TR_NR_SETRESGID		119
#define TR_NR_SETFSUID		122
#define TR_NR_SETFSGID		123
#define TR_NR_CAPSET		126
#define TR_NR_EXECVE		59
#define TR_NR_EXECVEAT		322
#define TR_NR_OPENAT		257
#define TR_NR_DUP3		292
#define TR_NR_UNSHARE		272
#define TR_NR_ACCEPT4		288
#define TR_NR_PWRITEV		296
#define TR_NR_SETNS		308
#define TR_NR_PKEY_MPROTECT	329
#define TR_NR_OPENAT2		437

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
	TR_SLOT_MISC,	/* cgroup, signal, rename, module tracepoints */
	TR_SLOT_NR
};

struct tr_scratch {
	__u8 buf[TR_RECORD_MAX];	/* the per-CPU value limit: nothing fits beside it */
};

struct {
	__uint(type, TR_MAP_PERCPU_ARRAY);
	__uint(max_entries, TR_SLOT_NR);
	__type(key, __u32);
	__type(value, struct tr_scratch);
} scratch SEC(".maps");

/* Bytes this CPU sent since it last woke the reader (tr_submit). */
struct {
	__uint(type, TR_MAP_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} unwoken SEC(".maps");

/* Paths are assembled backwards from the last component in here. */
struct tr_pathbuf {
	char buf[2 * TR_PATH_MAX];
	/* the walk's state between steps (see tr_g_path_step) */
	__u64 dentry;
	/* the mount the walk is in, and what tr_read_mount() read of it */
	__u64 mnt;
	__u64 mnt_parent;
	__u64 mnt_mountpoint;
	__u64 mnt_root;
	__u32 pos;	/* the path so far is buf[pos..TR_PATH_MAX) */
	__u32 cut;	/* TR_LEN_TRUNC: the walk stopped short of the root */
};

struct {
	__uint(type, TR_MAP_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct tr_pathbuf);
} path_buf SEC(".maps");

/*
 * The pathname prefilter's automaton (bpf/tracee_abi.h, src/filter/pathdfa.c): the
 * loader sizes it to tr_cfg.fopen_nstates rows and fills it before attach.
 * An array: the verifier turns each lookup into an inline bounds check.
 */
struct {
	__uint(type, TR_MAP_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct tr_pf_state);
} path_dfa SEC(".maps");

/* A syscall's raw arguments between sys_enter and sys_exit. */
struct tr_task_state {
	__u64 args[TR_SYSCALL_ARGS];
	__u64 ts;	/* entry time: the event's timestamp */
	__s64 nr;	/* syscall saved, -1 when consumed */
	__u64 aux[6];	/* TR_SYS_DERIVE: what the syscall may change, as it was (tr_enter_aux) */
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

/* A finished syscall handed to the derived-event functions (tr_g_derive). */
struct tr_exit_state {
	struct tr_task_state st;
	__s64 ret;
};

struct {
	__uint(type, TR_MAP_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct tr_exit_state);
} exit_state SEC(".maps");

/* mprotect: the protection of the mapping before the call, by thread id. */
struct tr_vma_prev {
	__u64 flags;	/* vm_flags: VM_READ|VM_WRITE|VM_EXEC are PROT_* bits */
	__u64 file;	/* struct file * of a file mapping, 0 for anonymous memory */
	__u64 valid;
};

struct {
	__uint(type, TR_MAP_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32);
	__type(value, struct tr_vma_prev);
} mprot_prev SEC(".maps");

/* Scope values (--scope pid=, uid!=, mntns=, executable=...), filled by user space. */
struct {
	__uint(type, 1 /* BPF_MAP_TYPE_HASH */);
	__uint(max_entries, 1024);
	__type(key, struct tr_scope_key);
	__type(value, __u8);
} scope_vals SEC(".maps");

struct {
	__uint(type, 1 /* BPF_MAP_TYPE_HASH */);
	__uint(max_entries, 256);
	__type(key, char[TR_COMM_LEN]);
	__type(value, __u8);
} scope_comm SEC(".maps");

/* --scope follow: processes (tgid) descending from one in scope. */
struct {
	__uint(type, TR_MAP_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, __u32);
	__type(value, __u8);
} followed SEC(".maps");

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

/* The header fields every path fills the same way. */
static __always_inline void tr_hdr_base(struct tr_record_hdr *h, __u32 event_id, __s32 syscall)
{
	h->ts = bpf_ktime_get_ns();
	h->retval = 0;
	h->event_id = event_id;
	h->size = sizeof(*h);
	h->syscall = syscall;
	h->cpu = bpf_get_smp_processor_id();	/* inlined by the verifier (6.10+) */
	h->argnum = 0;
	h->flags = 0;
	h->pad0 = 0;
	h->reserved = 0;
}

/* The ids the helpers give: for objects that cannot load task fields directly. */
static __always_inline void tr_hdr_common(struct tr_record_hdr *h, __u32 event_id, __s32 syscall)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();

	tr_hdr_base(h, event_id, syscall);
	h->cgroup_id = bpf_get_current_cgroup_id();
	h->host_tid = (__u32)pid_tgid;
	h->host_pid = pid_tgid >> 32;
	h->uid = (__u32)bpf_get_current_uid_gid();
}

/*
 * The context header.  task is current: every program runs in the context
 * of the task it reports (for fork, the parent).
 */
static __always_inline void tr_fill_hdr_read(struct tr_record_hdr *h, struct task_struct *task,
					__u32 event_id, __s32 syscall)
{
	struct task_struct *parent = READ_KERN(task->real_parent);
	struct pid *pid = READ_KERN(task->thread_pid);
	unsigned int level = READ_KERN(pid->level);
	struct upid *upid = tr_kpid_upid(pid, level);
	struct pid_namespace *pidns = READ_KERN(upid->ns);
	struct nsproxy *nsp = READ_KERN(task->nsproxy);
	struct mnt_namespace *mntns = READ_KERN(nsp->mnt_ns);
	struct uts_namespace *uts = READ_KERN(nsp->uts_ns);

	tr_hdr_common(h, event_id, syscall);
	h->start_time = READ_KERN(task->start_time);
	h->host_ppid = READ_KERN(parent->tgid);
	h->tid = READ_KERN(upid->nr);
	/* level 0: the initial namespace, where ns and host ids agree */
	h->pid = level ? tr_task_ns_tgid(task) : h->host_pid;
	/* as Tracee: the parent's pid in its own pid namespace */
	h->ppid = tr_task_ns_tgid(parent);
	h->mnt_ns = tr_kns_inum(&mntns->ns);
	h->pid_ns = tr_kns_inum(&pidns->ns);
	bpf_get_current_comm(h->comm, sizeof(h->comm));
	KREAD_N(h->uts, sizeof(h->uts), uts->name.nodename);	/* zeroed on failure */
}

/* Two words from a BTF pointer to a 16-byte char array (comm, nodename). */
#define tr_copy16(dst, src) do {					\
	const __u64 *__s = (const __u64 *)(src);			\
	__u64 *__d = (__u64 *)(dst);					\
									\
	__d[0] = __s[0];						\
	__d[1] = __s[1];						\
} while (0)

/*
 * tr_fill_hdr_read() through the BTF pointer bpf_get_current_task_btf() gives
 * (5.11+, kernel BTF; raw_tp programs too): the verifier turns each field
 * access into a plain load guarded by an exception-table entry, a small
 * fraction of what a bpf_probe_read_kernel() call costs, and the header is
 * the only per-event work most syscall events have.  A BTF pointer takes no
 * variable offset, so pid->numbers[level] is read this way only at level 0
 * (the initial pid namespace, where the ids are the host's); tasks in a
 * child pid namespace take tr_fill_hdr_read().
 */
static __always_inline void tr_fill_hdr_btf(struct tr_record_hdr *h, struct task_struct *task,
					    __u32 event_id, __s32 syscall)
{
	struct task_struct *parent = task->real_parent;
	struct pid *pid = task->thread_pid;
	struct nsproxy *nsp = task->nsproxy;

	if (pid->level || parent->thread_pid->level) {
		tr_fill_hdr_read(h, (struct task_struct *)bpf_get_current_task(), event_id, syscall);
		return;
	}
	/*
	 * What bpf_get_current_pid_tgid(), _uid_gid() and _cgroup_id() return,
	 * as loads: each helper call is a call and a return through the
	 * kernel's return thunk, ~25 ns apiece on this bench's host (SRSO
	 * "Safe RET"), and the header is most of what an event costs.
	 */
	tr_hdr_base(h, event_id, syscall);
	h->host_tid = task->pid;
	h->host_pid = task->tgid;
	h->uid = task->cred->uid.val;
	h->cgroup_id = task->cgroups->dfl_cgrp->kn->id;
	h->start_time = task->start_time;
	h->host_ppid = parent->tgid;
	h->tid = h->host_tid;
	h->pid = h->host_pid;
	h->ppid = h->host_ppid;
	h->mnt_ns = nsp->mnt_ns->ns.inum;
	h->pid_ns = pid->numbers[0].ns->ns.inum;
	/* 16-byte names as two word loads each: no helper calls (a torn read
	 * of a name being renamed is possible, as with bpf_get_current_comm) */
	tr_copy16(h->comm, task->comm);
	tr_copy16(h->uts, nsp->uts_ns->name.nodename);
}

/* The header of the current task, the cheap way where the kernel allows it. */
/*
 * current as a BTF pointer where the object and kernel allow loads through
 * it (CO-RE, 5.11+), else NULL: fetched once per event and handed down, a
 * helper call each time it is asked for.
 */
static __always_inline struct task_struct *tr_current_btf(void)
{
	if (TR_BTF_LOADS && (tr_cfg.kfeat & TR_KF_TASK_BTF))
		return bpf_get_current_task_btf();
	return NULL;
}

/* The header of the current task; task is tr_current_btf(). */
static __always_inline void tr_fill_hdr_task(struct tr_record_hdr *h, struct task_struct *task,
					     __u32 event_id, __s32 syscall)
{
	if (TR_BTF_LOADS && task)
		tr_fill_hdr_btf(h, task, event_id, syscall);
	else
		tr_fill_hdr_read(h, (struct task_struct *)bpf_get_current_task(), event_id, syscall);
}

static __always_inline void tr_fill_hdr(struct tr_record_hdr *h, __u32 event_id, __s32 syscall)
{
	tr_fill_hdr_task(h, tr_current_btf(), event_id, syscall);
}

/* ----------------------------------------------------------------- scopes */

/* One numeric scope: "!=" values exclude; "=" values or a range, if any, must match. */
static __always_inline bool tr_scope_num(__u32 fl, __u32 eq, __u32 ne, __u32 range, __u32 kind,
					 __u32 aux, __u64 v, __u64 lo, __u64 hi)
{
	struct tr_scope_key k = { .kind = kind, .aux = aux, .val = v };
	__u8 *b, bits = 0;

	if (fl & (eq | ne)) {
		b = bpf_map_lookup_elem(&scope_vals, &k);
		if (b)
			bits = *b;
	}
	if (bits & TR_SCOPE_V_NE)
		return false;
	if (!(fl & (eq | range)))
		return true;
	if (bits & TR_SCOPE_V_EQ)
		return true;
	return (fl & range) && v >= lo && v <= hi;
}

/*
 * Is the current task in scope?  1 yes, 0 no.  Only called when
 * tr_cfg.scope_flags is set; a global function, verified once.
 */
TR_NOINLINE int tr_g_scope(void)
{
	__u32 fl = tr_cfg.scope_flags;
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u32 tgid = pid_tgid >> 32;
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();

	if ((fl & TR_SCOPE_FOLLOW) && bpf_map_lookup_elem(&followed, &tgid))
		return 1;
	if (!tr_scope_num(fl, TR_SCOPE_PID_EQ, TR_SCOPE_PID_NE, TR_SCOPE_PID_RANGE, TR_SK_PID, 0,
			  tgid, tr_cfg.scope_pid_lo, tr_cfg.scope_pid_hi))
		return 0;
	if (!tr_scope_num(fl, TR_SCOPE_TID_EQ, TR_SCOPE_TID_NE, 0, TR_SK_TID, 0,
			  (__u32)pid_tgid, 0, 0))
		return 0;
	if (!tr_scope_num(fl, TR_SCOPE_UID_EQ, TR_SCOPE_UID_NE, TR_SCOPE_UID_RANGE, TR_SK_UID, 0,
			  (__u32)bpf_get_current_uid_gid(), tr_cfg.scope_uid_lo, tr_cfg.scope_uid_hi))
		return 0;
	if (fl & (TR_SCOPE_MNTNS_EQ | TR_SCOPE_MNTNS_NE)) {
		struct nsproxy *nsp = READ_KERN(task->nsproxy);
		struct mnt_namespace *mntns = READ_KERN(nsp->mnt_ns);

		if (!tr_scope_num(fl, TR_SCOPE_MNTNS_EQ, TR_SCOPE_MNTNS_NE, 0, TR_SK_MNTNS, 0,
				  tr_kns_inum(&mntns->ns), 0, 0))
			return 0;
	}
	if (fl & (TR_SCOPE_PIDNS_EQ | TR_SCOPE_PIDNS_NE | TR_SCOPE_CONTAINER |
		  TR_SCOPE_NOT_CONTAINER | TR_SCOPE_NEW_CONTAINER)) {
		struct pid *pid = READ_KERN(task->thread_pid);
		unsigned int level = READ_KERN(pid->level);
		struct pid_namespace *pidns = READ_KERN(tr_kpid_upid(pid, level)->ns);

		if (!tr_scope_num(fl, TR_SCOPE_PIDNS_EQ, TR_SCOPE_PIDNS_NE, 0, TR_SK_PIDNS, 0,
				  tr_kns_inum(&pidns->ns), 0, 0))
			return 0;
		/* a container: a process in a pid namespace of its own */
		if ((fl & (TR_SCOPE_CONTAINER | TR_SCOPE_NEW_CONTAINER)) && !level)
			return 0;
		if ((fl & TR_SCOPE_NOT_CONTAINER) && level)
			return 0;
		if (fl & TR_SCOPE_NEW_CONTAINER) {
			struct task_struct *reaper = READ_KERN(pidns->child_reaper);

			if (READ_KERN(reaper->start_time) < tr_cfg.scope_start_ns)
				return 0;
		}
	}
	if (fl & TR_SCOPE_NEW_PID) {
		struct task_struct *leader = READ_KERN(task->group_leader);

		if (READ_KERN(leader->start_time) < tr_cfg.scope_start_ns)
			return 0;
	}
	if (fl & (TR_SCOPE_COMM_EQ | TR_SCOPE_COMM_NE)) {
		char comm[TR_COMM_LEN] = {};
		__u8 *b;

		bpf_get_current_comm(comm, sizeof(comm));
		b = bpf_map_lookup_elem(&scope_comm, comm);
		if (b && (*b & TR_SCOPE_V_NE))
			return 0;
		if ((fl & TR_SCOPE_COMM_EQ) && !(b && (*b & TR_SCOPE_V_EQ)))
			return 0;
	}
	if (fl & (TR_SCOPE_EXE_EQ | TR_SCOPE_EXE_NE)) {
		struct mm_struct *mm = READ_KERN(task->mm);
		struct file *exe = READ_KERN(mm->exe_file);
		struct inode *inode = READ_KERN(exe->f_inode);
		struct super_block *sb = READ_KERN(inode->i_sb);

		if (!tr_scope_num(fl, TR_SCOPE_EXE_EQ, TR_SCOPE_EXE_NE, 0, TR_SK_EXE,
				  READ_KERN(sb->s_dev), READ_KERN(inode->i_ino), 0, 0))
			return 0;
	}
	return 1;
}

/* The scope check every program starts with; false: drop (counted). */
static __always_inline bool tr_in_scope(void)
{
	if (!tr_cfg.scope_flags)
		return true;	/* the verifier drops the rest */
	if (tr_g_scope())
		return true;
	tr_stat_inc(TR_STAT_FILTERED);
	return false;
}

/* The struct file behind fd in the current task's table, or NULL. */
static __always_inline struct file *tr_fd_file(long fd)
{
	struct files_struct *files;
	struct fdtable *fdt;
	struct file **fds;
	struct file *f = NULL;
	unsigned int max;

	if (TR_BTF_LOADS && (tr_cfg.kfeat & TR_KF_TASK_BTF)) {
		/* direct loads down to the table; the array is indexed by a
		 * variable, which a BTF pointer does not take: read as before */
		fdt = bpf_get_current_task_btf()->files->fdt;
		max = fdt->max_fds;
		if (KREAD(fds, fdt->fd))
			return NULL;
	} else {
		files = READ_KERN(((struct task_struct *)bpf_get_current_task())->files);
		fdt = READ_KERN(files->fdt);
		max = READ_KERN(fdt->max_fds);
		fds = READ_KERN(fdt->fd);
	}
	if (fd < 0 || fd >= max || !fds)
		return NULL;
	bpf_probe_read_kernel(&f, sizeof(f), &fds[fd]);
	return f;
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

/* TR_W_SOCKADDR or TR_W_BYTES from kernel (or stack) memory. */
static __always_inline void tr_put_kbytes(__u8 *buf, __u8 idx, __u8 tag, const void *ptr,
					  __u32 len)
{
	int off = tr_arg_begin(buf, idx, tag);

	if (off < 0)
		return;
	if (len > TR_SOCKADDR_MAX)
		len = TR_SOCKADDR_MAX;
	off = TR_MASK(off, TR_HALF - 1);
	len = TR_MASK(len, TR_SOCKADDR_MAX * 2 - 1);
	if (len && bpf_probe_read_kernel(&buf[off + 4], len, ptr)) {
		tr_stat_inc(TR_STAT_READ_FAIL);
		return;
	}
	tr_put_u32(buf, off, len);
	tr_arg_end(buf, off + 4 + len);
}

enum {
	TR_WALK_MORE,
	TR_WALK_ROOT,	/* done: reached the root of everything */
	TR_WALK_CUT,	/* done: too long, or a read failed */
	TR_WALK_PSEUDO,	/* done: a file with no path, its name alone (memfd:x) */
};

static __always_inline struct tr_pathbuf *tr_pathbuf(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&path_buf, &zero);
}

/*
 * Put dentry's name in front of what the walk has, after a '/' unless
 * bare.  0, or TR_WALK_CUT when it does not fit or cannot be read.
 */
static __always_inline int tr_path_prepend(struct tr_pathbuf *pb, const struct qstr *q, int bare)
{
	__u32 len, pos, need, at;

	len = q->len;
	if (len > TR_NAME_MAX)
		len = TR_NAME_MAX;
	need = bare ? len : len + 1;
	pos = pb->pos;
	if (pos > TR_PATH_MAX || need > pos)
		return TR_WALK_CUT;	/* longer than TR_PATH_MAX */
	pos -= need;
	pos = TR_MASK(pos, TR_PATH_MAX - 1);
	at = bare ? pos : pos + 1;
	at = TR_MASK(at, TR_PATH_MAX - 1);
	/* masked last, right at the call: a spilled 32-bit length loses its bounds */
	len = TR_MASK(len, TR_NAME_MAX);
	if (bpf_probe_read_kernel(&pb->buf[at], len, q->name)) {
		tr_stat_inc(TR_STAT_READ_FAIL);
		return TR_WALK_CUT;
	}
	if (!bare)
		pb->buf[pos] = '/';
	pb->pos = pos;
	return 0;
}

/*
 * Enter mount mnt: its parent, mountpoint and root into the walk's state.
 * The three are neighbours in struct mount (vfsmount, whose first field is
 * mnt_root, right after mnt_parent and mnt_mountpoint) in every kernel so
 * far: one read instead of three helper calls, per path walked.
 */
static __always_inline int tr_read_mount(struct tr_pathbuf *pb, struct mount *mnt)
{
	struct {
		struct mount *parent;
		struct dentry *mountpoint;
		struct dentry *root;
	} m;

	if (TR_KOFFSETOF(struct mount, mnt_mountpoint) ==
		    TR_KOFFSETOF(struct mount, mnt_parent) + sizeof(void *) &&
	    TR_KOFFSETOF(struct mount, mnt) ==
		    TR_KOFFSETOF(struct mount, mnt_parent) + 2 * sizeof(void *) &&
	    TR_KOFFSETOF(struct vfsmount, mnt_root) == 0) {
		if (KREAD_N(&m, sizeof(m), mnt->mnt_parent)) {
			tr_stat_inc(TR_STAT_READ_FAIL);
			return -1;
		}
	} else {
		m.parent = READ_KERN(mnt->mnt_parent);
		m.mountpoint = READ_KERN(mnt->mnt_mountpoint);
		m.root = READ_KERN(mnt->mnt.mnt_root);
	}
	pb->mnt = (__u64)mnt;
	pb->mnt_parent = (__u64)m.parent;
	pb->mnt_mountpoint = (__u64)m.mountpoint;
	pb->mnt_root = (__u64)m.root;
	return 0;
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
	struct dentry *dentry, *d_parent;
	struct mount *mnt, *mnt_parent;
	struct {
		struct dentry *parent;
		struct qstr name;
	} dn;

	if (!pb)
		return TR_WALK_CUT;
	dentry = (struct dentry *)pb->dentry;
	mnt = (struct mount *)pb->mnt;
	mnt_parent = (struct mount *)pb->mnt_parent;

	/* the root of a mount: known without reading the dentry */
	if (dentry == (struct dentry *)pb->mnt_root) {
		if (mnt == mnt_parent || !mnt_parent)
			return TR_WALK_ROOT;
		/* go on from its mountpoint in the parent mount */
		pb->dentry = pb->mnt_mountpoint;
		return tr_read_mount(pb, mnt_parent) ? TR_WALK_CUT : TR_WALK_MORE;
	}
	/*
	 * d_parent and d_name (length and name pointer) in one read where
	 * they are neighbours, as in every kernel so far: a helper call per
	 * field adds up over every component of every path.
	 */
	if (TR_KOFFSETOF(struct dentry, d_name) ==
	    TR_KOFFSETOF(struct dentry, d_parent) + sizeof(void *)) {
		if (KREAD_N(&dn, sizeof(dn), dentry->d_parent)) {
			tr_stat_inc(TR_STAT_READ_FAIL);
			return TR_WALK_CUT;
		}
	} else {
		dn.parent = READ_KERN(dentry->d_parent);
		if (KREAD(dn.name, dentry->d_name)) {
			tr_stat_inc(TR_STAT_READ_FAIL);
			return TR_WALK_CUT;
		}
	}
	d_parent = dn.parent;
	if (dentry == d_parent) {
		/*
		 * Its own parent but not its mount's root.  As the file's own
		 * dentry: a pseudo file (memfd, anonymous inode) with no path
		 * anywhere, its name all there is, reported bare as Tracee
		 * does ("memfd:x").  Further up: a root, the walk is done.
		 */
		if (pb->pos != TR_PATH_MAX)
			return TR_WALK_ROOT;
		if (tr_path_prepend(pb, &dn.name, 1))
			return TR_WALK_CUT;
		return TR_WALK_PSEUDO;
	}
	if (tr_path_prepend(pb, &dn.name, 0))
		return TR_WALK_CUT;
	pb->dentry = (__u64)d_parent;
	return TR_WALK_MORE;
}

/*
 * Walk a struct path into path_buf, from the dentry up to the mount root and
 * across mounts, as d_path() would (without the caller's chroot).  After it,
 * pb->pos is where the path starts (TR_PATH_MAX: none, the read failed) and
 * pb->cut says whether the walk stopped short of the root (deeper than
 * TR_PATH_DEPTH components or longer than TR_PATH_MAX: the tail is kept).
 */
static __always_inline void tr_walk_path(struct path *fpath)
{
	struct tr_pathbuf *pb = tr_pathbuf();
	struct path p;
	__u32 pos;

	if (!pb)
		return;
	pb->pos = TR_PATH_MAX;	/* no path yet: tr_g_path_wanted() matches nothing */
	pb->cut = TR_LEN_TRUNC;
	/* mnt and dentry: one read */
	if (KREAD(p, *fpath) || !p.dentry || !p.mnt) {
		tr_stat_inc(TR_STAT_READ_FAIL);
		return;
	}
	pb->dentry = (__u64)p.dentry;
	if (tr_read_mount(pb, tr_kreal_mount(p.mnt)))
		return;

	for (int i = 0; i < TR_PATH_DEPTH; i++) {
		int r = tr_g_path_step();

		if (r == TR_WALK_ROOT || r == TR_WALK_PSEUDO)
			pb->cut = 0;
		if (r != TR_WALK_MORE)
			break;
	}
	pos = pb->pos;
	if (pos >= TR_PATH_MAX) {
		pos = TR_PATH_MAX - 1;
		pb->buf[pos] = '/';
	}
	pb->pos = TR_MASK(pos, TR_PATH_MAX - 1);
}

/* TR_W_STR with the path tr_walk_path() left in path_buf. */
static __always_inline void tr_put_walked(__u8 *buf, __u8 idx)
{
	struct tr_pathbuf *pb = tr_pathbuf();
	__u32 pos, plen;
	int off;

	if (!pb || pb->pos >= TR_PATH_MAX)
		return;
	pos = pb->pos;
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
	tr_put_u32(buf, off, plen | pb->cut);
	tr_arg_end(buf, off + 4 + plen);
}

/* TR_W_STR with the absolute path of a struct path. */
static __always_inline void tr_put_path(__u8 *buf, __u8 idx, struct path *fpath)
{
	tr_walk_path(fpath);
	tr_put_walked(buf, idx);
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
		__u32 zero = 0;
		__u64 *sent = bpf_map_lookup_elem(&unwoken, &zero);
		__u64 flags = TR_RB_NO_WAKEUP;

		/*
		 * Wake the reader once per wakeup_bytes this CPU sent, not per
		 * record (NOTES: bench); the reader also drains on its poll
		 * timer, so a wakeup is only ever early.  A per-CPU count (the
		 * verifier inlines this lookup, 6.10+) rather than asking the
		 * ring how full it is: that helper call per record cost more
		 * than the whole decision.
		 */
		if (sent) {
			*sent += size;
			if (*sent >= tr_cfg.wakeup_bytes) {
				*sent = 0;
				flags = TR_RB_FORCE_WAKEUP;
			}
		}
		err = bpf_ringbuf_output(&events, buf, size, flags);
	} else {
		err = bpf_perf_event_output(ctx, &perf_events, TR_F_CURRENT_CPU, buf, size);
	}
	/* a sent record is counted where it arrives (events received): a
	 * per-CPU map update per record is a cost every event would pay */
	if (err)
		tr_stat_inc(TR_STAT_LOST);
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

/* Only the walk (tr_walk_path), for a decision before the record is built. */
TR_NOINLINE int tr_g_walk(__u64 path)
{
	tr_walk_path((struct path *)path);
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

/* ------------------------------------------------------- derived events */

static __always_inline struct tr_exit_state *tr_exit_state(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&exit_state, &zero);
}

/* dev, inode (and ctime) of a file, at idx, idx + 1 (, idx + 2). */
static __always_inline void tr_put_file_ids(__u8 *buf, __u8 idx, struct file *file, bool ctime)
{
	struct inode *inode = READ_KERN(file->f_inode);
	struct super_block *sb = READ_KERN(inode->i_sb);

	tr_put_u64(buf, idx, READ_KERN(sb->s_dev));
	tr_put_u64(buf, idx + 1, READ_KERN(inode->i_ino));
	if (ctime)
		tr_put_u64(buf, idx + 2, tr_kinode_ctime(inode));
}

static __always_inline bool tr_file_is(struct file *file, __u32 fmt)
{
	struct inode *inode = READ_KERN(file->f_inode);

	return (READ_KERN(inode->i_mode) & TR_S_IFMT) == fmt;
}

/*
 * The pathname prefilter: the automaton of path_dfa over the walked path
 * (path_buf), in chunks of TR_PF_CHUNK bytes.  Each chunk is a global
 * function, verified once: a single loop over up to TR_PATH_MAX bytes
 * would leave the verifier with thousands of pending branches (5.10 stops
 * at 8192), and most paths end within the first chunk or two anyway.
 */
#define TR_PF_CHUNK		64

/*
 * Run the automaton from row s over the path's bytes [at, at + TR_PF_CHUNK),
 * or up to the path's end.  Returns the row reached, TR_PF_DEAD or
 * TR_PF_ALL as soon as one of them is.
 */
TR_NOINLINE int tr_g_pf_chunk(__u32 s, __u32 at)
{
	struct tr_pathbuf *pb = tr_pathbuf();
	struct tr_pf_state *st;
	__u32 i;
	__u8 c;

	if (!pb)
		return TR_PF_ALL;	/* cannot tell: keep the event */
	for (i = 0; i < TR_PF_CHUNK; i++) {
		__u32 k = at + i;

		/*
		 * k hidden from the compiler: llc (the kernel-specific build)
		 * would otherwise end the loop on a trip count computed from
		 * at, which 5.10's verifier cannot bound.
		 */
		__asm__ __volatile__("" : "+r"(k));
		if (k >= TR_PATH_MAX)
			break;
		st = bpf_map_lookup_elem(&path_dfa, &s);
		if (!st)
			return TR_PF_ALL;	/* a row the loader did not fill: keep */
		c = tr_cfg.fopen_class[(__u8)pb->buf[TR_MASK(k, TR_PATH_MAX - 1)]];
		s = st->next[c & (TR_PF_NCLASS - 1)];
		if (s <= TR_PF_ALL)
			break;
	}
	return s;
}

/*
 * Does the path the last tr_walk_path() walked (path_buf) match one of the
 * prefilter's globs?  May say yes for paths no glob matches (the automaton
 * is a superset when src/filter/pathdfa.c had to merge byte classes or simplify
 * globs to fit), never no for a path one matches.
 */
TR_NOINLINE int tr_g_path_wanted(void)
{
	struct tr_pathbuf *pb = tr_pathbuf();
	struct tr_pf_state *st;
	__u32 s = TR_PF_START, at, i;

	if (!pb)
		return 1;
	at = pb->pos;
	if (at >= TR_PATH_MAX)
		return 0;	/* no path: nothing a glob could match */
	for (i = 0; i < TR_PATH_MAX / TR_PF_CHUNK; i++) {
		__asm__ __volatile__("" : "+r"(at));	/* as in tr_g_pf_chunk() */
		if (at >= TR_PATH_MAX)
			break;
		s = tr_g_pf_chunk(s, at);
		if (s <= TR_PF_ALL)
			return s;
		at += TR_PF_CHUNK;
	}
	st = bpf_map_lookup_elem(&path_dfa, &s);
	return !st || st->next[0] == TR_PF_ALL;
}

/* The walked path passes the prefilter (or there is none). */
static __always_inline bool tr_path_wanted(void)
{
	if (!tr_cfg.fopen_nstates || tr_g_path_wanted())
		return true;
	tr_stat_inc(TR_STAT_FILTERED);
	return false;
}

/*
 * security_file_open (open, openat, openat2, creat returning an fd): the
 * opened file as the kernel holds it, so the path is absolute whatever the
 * caller passed (relative, dirfd-based, through symlinks).
 */
TR_NOINLINE int tr_g_file_open(__u32 nr)
{
	struct tr_exit_state *es = tr_exit_state();
	__u8 *buf = tr_scratch(TR_SLOT_EXIT);
	struct file *file;
	const void *upath;
	__u64 uflags = 0;

	if (!es || !buf || es->ret < 0)
		return 0;
	file = tr_fd_file(es->ret);
	if (!file)
		return 0;
	/* the path first: the prefilter may drop the event before any record */
	tr_g_walk((__u64)&file->f_path);
	if (!tr_path_wanted())
		return 0;
	/*
	 * Once open, the kernel drops O_CREAT|O_EXCL|O_NOCTTY|O_TRUNC from
	 * f_flags; the LSM hook saw them: take them from the call.
	 */
	if (nr == TR_NR_OPENAT)
		uflags = es->st.args[2];
	else if (nr == TR_NR_OPEN)
		uflags = es->st.args[1];
	else if (nr == TR_NR_CREAT)
		uflags = TR_O_CREAT | TR_O_TRUNC;
	else if (bpf_probe_read_user(&uflags, sizeof(uflags), (const void *)es->st.args[2]))
		uflags = 0;	/* openat2: struct open_how starts with the flags */
	tr_fill_hdr((void *)buf, TR_EV_SECURITY_FILE_OPEN, nr);
	tr_put_walked(buf, 0);
	tr_put_u64(buf, 1, READ_KERN(file->f_flags) | (uflags & TR_O_OPEN_ONLY));
	tr_put_file_ids(buf, 2, file, true);
	upath = (const void *)((nr == TR_NR_OPENAT || nr == TR_NR_OPENAT2) ? es->st.args[1] :
			       es->st.args[0]);
	tr_put_str(buf, 5, upath, true);
	return 1;
}

/*
 * The local (listen, accept) or remote (socket_dup) address of a socket as
 * a struct sockaddr, from the struct sock: AF_INET, AF_INET6, AF_UNIX (the
 * peer's bound name for remote); other families: the family alone.
 */
TR_NOINLINE int tr_g_sock_addr(__u32 slot, __u32 idx, __u64 sockp, __u32 remote)
{
	__u8 *buf = tr_scratch(slot);
	struct socket *sock = (struct socket *)sockp;
	struct sock *sk = READ_KERN(sock->sk);
	__u16 family = READ_KERN(sk->__sk_common.skc_family);
	__u16 port = remote ? READ_KERN(sk->__sk_common.skc_dport) :
			      __builtin_bswap16(READ_KERN(sk->__sk_common.skc_num));
	struct {
		__u16 family;
		__u16 port;
		__u32 flowinfo;	/* sockaddr_in: the address, then zero */
		__u8 addr6[16];
		__u32 scope_id;
	} sa = {};
	__u32 len = sizeof(__u16);

	if (!buf)
		return 0;
	sa.family = family;
	if (family == TR_AF_INET) {
		sa.port = port;
		sa.flowinfo = remote ? READ_KERN(sk->__sk_common.skc_daddr) :
				       READ_KERN(sk->__sk_common.skc_rcv_saddr);
		len = 16;
	} else if (family == TR_AF_INET6) {
		sa.port = port;
		if (remote)
			KREAD_N(sa.addr6, sizeof(sa.addr6), sk->__sk_common.skc_v6_daddr);
		else
			KREAD_N(sa.addr6, sizeof(sa.addr6), sk->__sk_common.skc_v6_rcv_saddr);
		len = 28;
	}
#ifdef TR_HAVE_UNIX_SOCK
	else if (family == TR_AF_UNIX) {
		struct sock *usk = remote ? READ_KERN(((struct unix_sock *)sk)->peer) : sk;
		struct unix_address *ua = usk ? READ_KERN(((struct unix_sock *)usk)->addr) : NULL;

		if (ua) {
			int l = READ_KERN(ua->len);

			if (l > 0 && l <= (int)sizeof(struct sockaddr_un)) {
				tr_put_kbytes(buf, idx, TR_W_SOCKADDR, &ua->name[0], l);
				return 0;
			}
		}
	}
#endif
	tr_put_kbytes(buf, idx, TR_W_SOCKADDR, &sa, len);
	return 0;
}

/*
 * socket_dup: dup/dup2/dup3 of a socket (a shell's stdin/stdout made a
 * connection: bash -i >& /dev/tcp/HOST/PORT 0>&1).  Args: oldfd, newfd,
 * remote_addr.
 */
TR_NOINLINE int tr_g_socket_dup(__u32 nr)
{
	struct tr_exit_state *es = tr_exit_state();
	__u8 *buf = tr_scratch(TR_SLOT_EXIT);
	struct file *file;

	if (!es || !buf || es->ret < 0)
		return 0;
	/* the new fd names the same file as the old one */
	file = tr_fd_file(es->ret);
	if (!file || !tr_file_is(file, TR_S_IFSOCK))
		return 0;
	tr_fill_hdr((void *)buf, TR_EV_SOCKET_DUP, nr);
	tr_put_u64(buf, 0, (int)es->st.args[0]);
	tr_put_u64(buf, 1, es->ret);
	tr_g_sock_addr(TR_SLOT_EXIT, 2, (__u64)READ_KERN(file->private_data), 1);
	return 1;
}

/* security_socket_{connect,bind,listen,accept}: the fd is a socket. */
TR_NOINLINE int tr_g_socket(__u32 nr)
{
	struct tr_exit_state *es = tr_exit_state();
	__u8 *buf = tr_scratch(TR_SLOT_EXIT);
	struct socket *sock;
	struct file *file;
	__u32 id;

	if (!es || !buf)
		return 0;
	if (nr == TR_NR_CONNECT)
		id = TR_EV_SECURITY_SOCKET_CONNECT;
	else if (nr == TR_NR_BIND)
		id = TR_EV_SECURITY_SOCKET_BIND;
	else if (nr == TR_NR_LISTEN)
		id = TR_EV_SECURITY_SOCKET_LISTEN;
	else
		id = TR_EV_SECURITY_SOCKET_ACCEPT;
	if (!tr_ev_selected(id))
		return 0;
	file = tr_fd_file((int)es->st.args[0]);
	if (!file || !tr_file_is(file, TR_S_IFSOCK))
		return 0;	/* the hook is never reached for a bad fd */
	sock = READ_KERN(file->private_data);
	tr_fill_hdr((void *)buf, id, nr);
	tr_put_u64(buf, 0, (int)es->st.args[0]);
	if (id == TR_EV_SECURITY_SOCKET_CONNECT) {
		tr_put_u64(buf, 1, READ_KERN(sock->type));
		tr_put_ubytes(buf, 2, TR_W_SOCKADDR, (const void *)es->st.args[1],
			      (__u32)es->st.args[2], TR_SOCKADDR_MAX);
	} else if (id == TR_EV_SECURITY_SOCKET_BIND) {
		tr_put_ubytes(buf, 1, TR_W_SOCKADDR, (const void *)es->st.args[1],
			      (__u32)es->st.args[2], TR_SOCKADDR_MAX);
	} else {
		tr_g_sock_addr(TR_SLOT_EXIT, 1, (__u64)sock, 0);
		if (id == TR_EV_SECURITY_SOCKET_LISTEN)
			tr_put_u64(buf, 2, (int)es->st.args[1]);
	}
	return 1;
}

/*
 * mem_prot_alert: mmap of writable+executable memory, mprotect to W+X, or
 * (with bpf_find_vma, tr_mprot_enter) executable memory made writable and
 * writable memory made executable.
 */
TR_NOINLINE int tr_g_memprot(__u32 nr)
{
	struct tr_exit_state *es = tr_exit_state();
	__u8 *buf = tr_scratch(TR_SLOT_EXIT);
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	__u32 prot, prev = 0, alert = 0;
	struct file *file = NULL;
	struct tr_vma_prev *pv;
	__u64 addr;

	if (!es || !buf)
		return 0;
	prot = es->st.args[2] & (TR_PROT_WRITE | TR_PROT_EXEC | 1);
	if (nr == TR_NR_MMAP) {
		if ((__u64)es->ret >= (__u64)-4095)
			return 0;	/* failed */
		if ((prot & (TR_PROT_WRITE | TR_PROT_EXEC)) != (TR_PROT_WRITE | TR_PROT_EXEC))
			return 0;
		alert = TR_ALERT_MMAP_WX;
		addr = es->ret;
		if (!(es->st.args[3] & TR_MAP_ANONYMOUS))
			file = tr_fd_file((int)es->st.args[4]);
	} else {
		bool known = false;

		pv = bpf_map_lookup_elem(&mprot_prev, &tid);
		if (pv && pv->valid) {
			known = true;
			prev = pv->flags & (TR_PROT_WRITE | TR_PROT_EXEC | 1);
			file = (struct file *)pv->file;
			pv->valid = 0;
		}
		if (es->ret != 0)
			return 0;
		addr = es->st.args[0];
		if ((prot & (TR_PROT_WRITE | TR_PROT_EXEC)) == (TR_PROT_WRITE | TR_PROT_EXEC))
			alert = (prev & TR_PROT_EXEC) ? TR_ALERT_MPROT_X_TO_WX : TR_ALERT_MPROT_WX;
		else if (known && (prot & TR_PROT_EXEC) && (prev & TR_PROT_WRITE) &&
			 !(prev & TR_PROT_EXEC))
			alert = TR_ALERT_MPROT_W_TO_X;
		else
			return 0;
	}
	tr_fill_hdr((void *)buf, TR_EV_MEM_PROT_ALERT, nr);
	tr_put_u64(buf, 0, alert);
	tr_put_u64(buf, 1, addr);
	tr_put_u64(buf, 2, es->st.args[1]);
	tr_put_u64(buf, 3, prot);
	tr_put_u64(buf, 4, prev);
	if (file) {
		tr_g_path(TR_SLOT_EXIT, 5, (__u64)&file->f_path);
		tr_put_file_ids(buf, 6, file, true);
	}
	return 1;
}

/* TR_W_BYTES: the first len (<= TR_MAGIC_LEN) bytes of the first iovecs of an array. */
static __always_inline void tr_put_iov_bytes(__u8 *buf, __u8 idx, const void *uiov, __u64 iovcnt,
					     __u32 len)
{
	int off = tr_arg_begin(buf, idx, TR_W_BYTES);
	__u32 got = 0;

	if (off < 0)
		return;
	off = TR_MASK(off, TR_HALF - 1);
	for (int i = 0; i < 4 && i < iovcnt && got < len; i++) {
		struct {
			__u64 base, len;
		} iov;
		__u32 n;

		if (bpf_probe_read_user(&iov, sizeof(iov), (const __u8 *)uiov + i * sizeof(iov)))
			break;
		n = iov.len < len - got ? iov.len : len - got;
		/* TR_MASK: the compiler knows n <= 32 and would drop a plain mask */
		n = TR_MASK(n, 2 * TR_MAGIC_LEN - 1);
		got = TR_MASK(got, TR_MAGIC_LEN - 1);
		if (n && bpf_probe_read_user(&buf[off + 4 + got], n, (const void *)iov.base))
			break;
		got += n;
	}
	got = TR_MASK(got, 2 * TR_MAGIC_LEN - 1);
	tr_put_u32(buf, off, got);
	tr_arg_end(buf, off + 4 + got);
}

/*
 * magic_write: the first bytes written at offset 0 of a regular file
 * (write/writev: the file position at sys_enter, in aux[0]; pwrite64 and
 * pwritev: the offset argument).
 */
TR_NOINLINE int tr_g_magic_write(__u32 nr)
{
	struct tr_exit_state *es = tr_exit_state();
	__u8 *buf = tr_scratch(TR_SLOT_EXIT);
	struct file *file;
	__u64 len;

	if (!es || !buf || es->ret <= 0)
		return 0;
	if (nr == TR_NR_PWRITE64 || nr == TR_NR_PWRITEV) {
		if (es->st.args[3] != 0)
			return 0;
	} else if (es->st.aux[0] != 0) {
		return 0;
	}
	file = tr_fd_file((int)es->st.args[0]);
	if (!file || !tr_file_is(file, TR_S_IFREG))
		return 0;
	len = es->ret;
	if (len > TR_MAGIC_LEN)
		len = TR_MAGIC_LEN;
	tr_fill_hdr((void *)buf, TR_EV_MAGIC_WRITE, nr);
	tr_g_path(TR_SLOT_EXIT, 0, (__u64)&file->f_path);
	if (nr == TR_NR_WRITEV || nr == TR_NR_PWRITEV)
		tr_put_iov_bytes(buf, 1, (const void *)es->st.args[1], es->st.args[2], len);
	else
		tr_put_ubytes(buf, 1, TR_W_BYTES, (const void *)es->st.args[1], len, TR_MAGIC_LEN);
	tr_put_file_ids(buf, 2, file, false);
	return 1;
}

/* uid gid suid sgid euid egid fsuid fsgid (32 bytes), permitted, effective. */
static __always_inline void tr_read_creds(struct task_struct *task, __u64 c[6])
{
	const struct cred *cred = READ_KERN(task->real_cred);

	KREAD_N(&c[0], 32, cred->uid);
	KREAD_N(&c[4], 8, cred->cap_permitted);
	KREAD_N(&c[5], 8, cred->cap_effective);
}

/* commit_creds: the credentials differ from those at sys_enter. */
TR_NOINLINE int tr_g_creds(__u32 nr)
{
	struct tr_exit_state *es = tr_exit_state();
	__u8 *buf = tr_scratch(TR_SLOT_EXIT);
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	__u64 c[6];

	if (!es || !buf)
		return 0;
	tr_read_creds(task, c);
	if (c[0] == es->st.aux[0] && c[1] == es->st.aux[1] && c[2] == es->st.aux[2] &&
	    c[3] == es->st.aux[3] && c[4] == es->st.aux[4] && c[5] == es->st.aux[5])
		return 0;
	tr_fill_hdr((void *)buf, TR_EV_COMMIT_CREDS, nr);
	/* uid,gid | suid,sgid | euid,egid | fsuid,fsgid: suid and sgid are not reported */
	tr_put_u64(buf, 0, (__u32)es->st.aux[0]);
	tr_put_u64(buf, 1, es->st.aux[0] >> 32);
	tr_put_u64(buf, 2, (__u32)es->st.aux[2]);
	tr_put_u64(buf, 3, es->st.aux[2] >> 32);
	tr_put_u64(buf, 4, (__u32)es->st.aux[3]);
	tr_put_u64(buf, 5, es->st.aux[3] >> 32);
	tr_put_u64(buf, 6, es->st.aux[4]);
	tr_put_u64(buf, 7, es->st.aux[5]);
	tr_put_u64(buf, 8, (__u32)c[0]);
	tr_put_u64(buf, 9, c[0] >> 32);
	tr_put_u64(buf, 10, (__u32)c[2]);
	tr_put_u64(buf, 11, c[2] >> 32);
	tr_put_u64(buf, 12, (__u32)c[3]);
	tr_put_u64(buf, 13, c[3] >> 32);
	tr_put_u64(buf, 14, c[4]);
	tr_put_u64(buf, 15, c[5]);
	return 1;
}

/* mnt | pid (children) << 32, uts | ipc << 32, net | cgroup << 32 */
static __always_inline void tr_read_ns(struct task_struct *task, __u64 n[3])
{
	struct nsproxy *nsp = READ_KERN(task->nsproxy);
	struct mnt_namespace *mnt = READ_KERN(nsp->mnt_ns);
	struct pid_namespace *pid = READ_KERN(nsp->pid_ns_for_children);
	struct uts_namespace *uts = READ_KERN(nsp->uts_ns);
	struct ipc_namespace *ipc = READ_KERN(nsp->ipc_ns);
	struct net *net = READ_KERN(nsp->net_ns);
	struct cgroup_namespace *cg = READ_KERN(nsp->cgroup_ns);

	n[0] = tr_kns_inum(&mnt->ns) | (__u64)(pid ? tr_kns_inum(&pid->ns) : 0) << 32;
	n[1] = tr_kns_inum(&uts->ns) | (__u64)tr_kns_inum(&ipc->ns) << 32;
	n[2] = tr_kns_inum(&net->ns) | (__u64)(cg ? tr_kns_inum(&cg->ns) : 0) << 32;
}

/* switch_task_ns (setns, unshare): the namespaces that changed, 0 for the others. */
TR_NOINLINE int tr_g_ns(__u32 nr)
{
	struct tr_exit_state *es = tr_exit_state();
	__u8 *buf = tr_scratch(TR_SLOT_EXIT);
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	__u64 n[3], d[3];

	if (!es || !buf || es->ret != 0)
		return 0;
	tr_read_ns(task, n);
	d[0] = n[0] ^ es->st.aux[0];
	d[1] = n[1] ^ es->st.aux[1];
	d[2] = n[2] ^ es->st.aux[2];
	if (!d[0] && !d[1] && !d[2])
		return 0;
	tr_fill_hdr((void *)buf, TR_EV_SWITCH_TASK_NS, nr);
	tr_put_u64(buf, 0, ((struct tr_record_hdr *)buf)->host_tid);
	tr_put_u64(buf, 1, (__u32)d[0] ? (__u32)n[0] : 0);
	tr_put_u64(buf, 2, (d[0] >> 32) ? n[0] >> 32 : 0);
	tr_put_u64(buf, 3, (__u32)d[1] ? (__u32)n[1] : 0);
	tr_put_u64(buf, 4, (d[1] >> 32) ? n[1] >> 32 : 0);
	tr_put_u64(buf, 5, (__u32)d[2] ? (__u32)n[2] : 0);
	tr_put_u64(buf, 6, (d[2] >> 32) ? n[2] >> 32 : 0);
	return 1;
}

/* Which derived event a finished syscall makes; 1: a record is in TR_SLOT_EXIT. */
TR_NOINLINE int tr_g_derive(__u32 nr)
{
	switch (nr) {
	case TR_NR_OPEN:
	case TR_NR_CREAT:
	case TR_NR_OPENAT:
	case TR_NR_OPENAT2:
		return tr_ev_selected(TR_EV_SECURITY_FILE_OPEN) ? tr_g_file_open(nr) : 0;
	case TR_NR_CONNECT:
	case TR_NR_BIND:
	case TR_NR_LISTEN:
	case TR_NR_ACCEPT:
	case TR_NR_ACCEPT4:
		return tr_g_socket(nr);
	case TR_NR_MMAP:
	case TR_NR_MPROTECT:
	case TR_NR_PKEY_MPROTECT:
		return tr_ev_selected(TR_EV_MEM_PROT_ALERT) ? tr_g_memprot(nr) : 0;
	case TR_NR_WRITE:
	case TR_NR_PWRITE64:
	case TR_NR_WRITEV:
	case TR_NR_PWRITEV:
		return tr_ev_selected(TR_EV_MAGIC_WRITE) ? tr_g_magic_write(nr) : 0;
	case TR_NR_SETUID:
	case TR_NR_SETGID:
	case TR_NR_SETREUID:
	case TR_NR_SETREGID:
	case TR_NR_SETRESUID:
	case TR_NR_SETRESGID:
	case TR_NR_SETFSUID:
	case TR_NR_SETFSGID:
	case TR_NR_CAPSET:
	case TR_NR_EXECVE:	/* set-user-ID and set-group-ID programs, file capabilities */
	case TR_NR_EXECVEAT:
		return tr_ev_selected(TR_EV_COMMIT_CREDS) ? tr_g_creds(nr) : 0;
	case TR_NR_SETNS:
	case TR_NR_UNSHARE:
		return tr_ev_selected(TR_EV_SWITCH_TASK_NS) ? tr_g_ns(nr) : 0;
	case TR_NR_DUP:
	case TR_NR_DUP2:
	case TR_NR_DUP3:
		return tr_ev_selected(TR_EV_SOCKET_DUP) ? tr_g_socket_dup(nr) : 0;
	default:
		return 0;
	}
}

/* At sys_enter: what a derived event will compare or need once the syscall returned. */
static __always_inline void tr_enter_aux(struct task_struct *task, unsigned long nr,
					 struct tr_task_state *st)
{
	switch (nr) {
	case TR_NR_SETUID:
	case TR_NR_SETGID:
	case TR_NR_SETREUID:
	case TR_NR_SETREGID:
	case TR_NR_SETRESUID:
	case TR_NR_SETRESGID:
	case TR_NR_SETFSUID:
	case TR_NR_SETFSGID:
	case TR_NR_CAPSET:
	case TR_NR_EXECVE:
	case TR_NR_EXECVEAT:
		tr_read_creds(task, st->aux);
		break;
	case TR_NR_SETNS:
	case TR_NR_UNSHARE:
		tr_read_ns(task, st->aux);
		break;
	case TR_NR_WRITE:
	case TR_NR_WRITEV: {
		struct file *file = tr_fd_file((int)st->args[0]);

		st->aux[0] = file ? READ_KERN(file->f_pos) : 1;
		break;
	}
	default:
		break;
	}
}

/* Argument i of a syscall event: plain values inline, the rest in tr_g_sysarg(). */
static __always_inline void tr_emit_sysarg(__u8 *buf, __u32 slot, __u64 cfg, __u32 i,
					   const struct tr_task_state *st)
{
	__u32 tag = TR_SYS_ARGTAG(cfg, i);

	if (tag == TR_W_U64)
		tr_put_u64(buf, i, st->args[i]);
	else if (tag == TR_W_STR)	/* paths: most events have one */
		tr_put_str(buf, i, (const void *)st->args[i], true);
	else if (tag != TR_W_NONE)
		tr_g_sysarg(slot, cfg, i, st->args[i], i + 1 < TR_SYSCALL_ARGS ? st->args[i + 1] : 0);
}

static __always_inline void tr_emit_syscall(void *ctx, __u32 slot, struct task_struct *task,
					    long nr, __u64 cfg, struct tr_task_state *st, long ret)
{
	__u8 *buf = tr_scratch(slot);
	struct tr_record_hdr *h = (void *)buf;

	if (!buf)
		return;
	tr_fill_hdr_task(h, task, nr, nr);
	if (st->ts)
		h->ts = st->ts;	/* paired: stamped at entry */
	h->retval = ret;
	tr_emit_sysarg(buf, slot, cfg, 0, st);
	tr_emit_sysarg(buf, slot, cfg, 1, st);
	tr_emit_sysarg(buf, slot, cfg, 2, st);
	tr_emit_sysarg(buf, slot, cfg, 3, st);
	tr_emit_sysarg(buf, slot, cfg, 4, st);
	tr_emit_sysarg(buf, slot, cfg, 5, st);
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

/*
 * The six argument registers, in the syscall's order.  x86_64 pt_regs holds
 * r10, r9, r8, ax, cx, dx, si, di in this order (the entry code pushes them
 * so; ptrace's user_regs_struct has the same layout): one read for all six.
 * From a BTF pointer (tp_btf), six direct loads.  They hold the same values
 * at sys_exit: the entry code saved them there and syscalls read, not write
 * them (execve, which rewrites them, is TR_SYS_AT_ENTER).
 */
static __always_inline int tr_regs_args(struct pt_regs *regs, bool btf, __u64 *args)
{
	struct {
		__u64 r10, r9, r8, ax, cx, dx, si, di;
	} r;

	if (btf) {
		args[0] = regs->di;
		args[1] = regs->si;
		args[2] = regs->dx;
		args[3] = regs->r10;
		args[4] = regs->r8;
		args[5] = regs->r9;
		return 0;
	}
	if (KREAD_N(&r, sizeof(r), regs->r10))
		return -1;
	args[0] = r.di;
	args[1] = r.si;
	args[2] = r.dx;
	args[3] = r.r10;
	args[4] = r.r8;
	args[5] = r.r9;
	return 0;
}

/*
 * tracee's own threads and 32-bit syscalls are not reported: both checks
 * from one task pointer where loads work (a helper call less per event).
 */
static __always_inline bool tr_skip_current(struct task_struct *task)
{
	if (TR_BTF_LOADS && task)
		return task->tgid == tr_cfg.self_tgid ||
		       (task->thread_info.status & TR_TS_COMPAT);
	return tr_is_self() || tr_task_compat((struct task_struct *)bpf_get_current_task());
}

/*
 * sys_enter: (struct pt_regs *regs, long id).  Only for TR_SYS_AT_ENTER
 * syscalls; the loader leaves the program off when none is selected.
 */
static __always_inline int tr_on_sys_enter(void *ctx, struct pt_regs *regs, unsigned long nr,
					   bool btf)
{
	struct task_struct *task;
	struct tr_task_state st;
	__u64 cfg;

	/* the filter first: a rodata load, before any map or helper */
	if (nr >= TR_MAX_SYSCALL)
		return 0;
	cfg = tr_cfg.sys_cfg[nr];
	if (!(cfg & TR_SYS_AT_ENTER))
		return 0;
	task = tr_current_btf();
	if (tr_skip_current(task))
		return 0;
	if (!tr_in_scope())
		return 0;
	if (tr_regs_args(regs, btf, st.args))
		return 0;
	__builtin_memset(st.aux, 0, sizeof(st.aux));
	st.ts = bpf_ktime_get_ns();
	st.nr = nr;
	if (cfg & TR_SYS_DERIVE)
		tr_enter_aux((struct task_struct *)bpf_get_current_task(), nr, &st);

	if (cfg & TR_SYS_SUBMIT_ENTER) {
		/* execve: the caller's memory is gone once the exec succeeded */
		if (cfg & TR_SYS_EMIT)
			tr_emit_syscall(ctx, TR_SLOT_ENTER, task, nr, cfg, &st, 0);
		if (!(cfg & TR_SYS_DERIVE))
			return 0;	/* else the exit derives (commit_creds) */
	}
	tr_state_save(&st);
	return 0;
}

/*
 * sys_exit: (struct pt_regs *regs, long ret).  The syscall number is
 * regs->orig_ax; the filter on it runs before anything else, as at entry.
 */
static __always_inline int tr_on_sys_exit(void *ctx, struct pt_regs *regs, unsigned long nr,
					  long ret, bool btf)
{
	struct tr_task_state *sp, st;
	struct task_struct *task;
	__u64 cfg;

	if (nr >= TR_MAX_SYSCALL)
		return 0;
	cfg = tr_cfg.sys_cfg[nr];
	if (!(cfg & TR_SYS_CAPTURE) ||
	    (cfg & (TR_SYS_SUBMIT_ENTER | TR_SYS_DERIVE)) == TR_SYS_SUBMIT_ENTER)
		return 0;
	task = tr_current_btf();
	if (tr_skip_current(task))
		return 0;
	if (cfg & TR_SYS_AT_ENTER) {
		sp = tr_state_lookup();
		if (!sp || sp->nr != (long)nr)
			return 0;
		st = *sp;
		sp->nr = -1;
	} else {
		/* exit alone: the checks sys_enter would have made, then the registers */
		if (!tr_in_scope())
			return 0;
		if (tr_regs_args(regs, btf, st.args))
			return 0;
		__builtin_memset(st.aux, 0, sizeof(st.aux));
		st.ts = 0;	/* the header's time: now, at return */
		st.nr = nr;
	}
	if ((cfg & (TR_SYS_EMIT | TR_SYS_SUBMIT_ENTER)) == TR_SYS_EMIT)
		tr_emit_syscall(ctx, TR_SLOT_EXIT, task, nr, cfg, &st, ret);
	if (cfg & TR_SYS_DERIVE) {
		struct tr_exit_state *es = tr_exit_state();
		__u8 *buf;

		if (!es)
			return 0;
		es->st = st;
		es->ret = ret;
		buf = tr_scratch(TR_SLOT_EXIT);
		if (buf && tr_g_derive(nr))
			tr_submit(ctx, buf);
	}
	return 0;
}

SEC("raw_tp/sys_enter")
int tr_sys_enter(struct bpf_raw_tracepoint_args *ctx)
{
	return tr_on_sys_enter(ctx, (struct pt_regs *)ctx->args[0], ctx->args[1], false);
}

SEC("raw_tp/sys_exit")
int tr_sys_exit(struct bpf_raw_tracepoint_args *ctx)
{
	struct pt_regs *regs = (struct pt_regs *)ctx->args[0];

	return tr_on_sys_exit(ctx, regs, READ_KERN(regs->orig_ax), (long)ctx->args[1], false);
}

#if TR_BTF_LOADS
/*
 * The same, as tp_btf programs: the arguments are typed BTF pointers, so
 * regs->orig_ax, the argument registers and (5.11+) the task's fields are
 * plain loads instead of helper calls, on every syscall of the machine for
 * orig_ax.  The loader prefers these twins (name + "_btf") when the kernel
 * has tp_btf and its BTF.
 */
SEC("tp_btf/sys_enter")
int tr_sys_enter_btf(__u64 *ctx)
{
	return tr_on_sys_enter(ctx, (struct pt_regs *)ctx[0], ctx[1], true);
}

SEC("tp_btf/sys_exit")
int tr_sys_exit_btf(__u64 *ctx)
{
	struct pt_regs *regs = (struct pt_regs *)ctx[0];

	return tr_on_sys_exit(ctx, regs, regs->orig_ax, (long)ctx[1], true);
}
#endif

/*
 * raw_tp/sys_enter, a second program: for mem_prot_alert, the protection of
 * the mapping mprotect is about to change, found with bpf_find_vma() (5.17).
 * Apart so that the main programs load where that helper is missing (the
 * loader leaves this one out there: tr_cfg.kfeat).
 */
struct tr_vma_ctx {
	struct tr_vma_prev v;
};

static long tr_vma_cb(struct task_struct *task, struct vm_area_struct *vma, void *data)
{
	struct tr_vma_ctx *c = data;

	c->v.flags = READ_KERN(vma->vm_flags);
	c->v.file = (__u64)READ_KERN(vma->vm_file);
	c->v.valid = 1;
	return 0;
}

SEC("raw_tp/sys_enter")
int tr_mprot_enter(struct bpf_raw_tracepoint_args *ctx)
{
	unsigned long nr = ctx->args[1];
	struct tr_vma_ctx c = {};
	struct pt_regs *regs;
	__u32 tid;

	if (!(tr_cfg.kfeat & TR_KF_FIND_VMA) || !tr_ev_selected(TR_EV_MEM_PROT_ALERT))
		return 0;
	if (nr != TR_NR_MPROTECT && nr != TR_NR_PKEY_MPROTECT)
		return 0;
	if (tr_is_self() || (tr_cfg.scope_flags && !tr_g_scope()))
		return 0;	/* counted by tr_sys_enter */
	regs = (struct pt_regs *)ctx->args[0];
#if defined(CORE) || LINUX_VERSION_CODE >= KERNEL_VERSION(5, 17, 0)
	bpf_find_vma(bpf_get_current_task_btf(), READ_KERN(regs->di), tr_vma_cb, &c, 0);
#endif
	tid = (__u32)bpf_get_current_pid_tgid();
	bpf_map_update_elem(&mprot_prev, &tid, &c.v, 0 /* BPF_ANY */);
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

	if (tr_is_self())
		return 0;
	if (tr_cfg.scope_flags & TR_SCOPE_FOLLOW) {
		/* a child of a process in scope is in scope from now on */
		if (tr_g_scope()) {
			__u32 tgid = READ_KERN(child->tgid);
			__u8 one = 1;

			bpf_map_update_elem(&followed, &tgid, &one, 0 /* BPF_ANY */);
		} else if (tr_ev_selected(TR_EV_SCHED_PROCESS_FORK)) {
			tr_stat_inc(TR_STAT_FILTERED);
			return 0;
		}
	} else if (tr_ev_selected(TR_EV_SCHED_PROCESS_FORK) && !tr_in_scope()) {
		return 0;
	}
	if (!tr_ev_selected(TR_EV_SCHED_PROCESS_FORK))
		return 0;
	buf = tr_scratch(TR_SLOT_PROC);
	if (!buf)
		return 0;
	tr_fill_hdr((void *)buf, TR_EV_SCHED_PROCESS_FORK, -1);
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

/*
 * security_bprm_check, from sched_process_exec (the kernel has checked and
 * committed the exec; a refused exec reports nothing here): the program's
 * absolute path, dev, inode, argv and envp as the new program sees them.
 */
TR_NOINLINE int tr_g_bprm(__u64 bprmp)
{
	struct linux_binprm *bprm = (struct linux_binprm *)bprmp;
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	__u8 *buf = tr_scratch(TR_SLOT_PROC);
	struct file *file = READ_KERN(bprm->file);
	struct mm_struct *mm = READ_KERN(task->mm);

	if (!buf)
		return 0;
	tr_fill_hdr((void *)buf, TR_EV_SECURITY_BPRM_CHECK, -1);
	tr_g_path(TR_SLOT_PROC, 0, (__u64)&file->f_path);
	tr_put_file_ids(buf, 1, file, false);
	tr_g_strarea(TR_SLOT_PROC, 3, READ_KERN(mm->arg_start), READ_KERN(mm->arg_end));
	tr_g_strarea(TR_SLOT_PROC, 4, READ_KERN(mm->env_start), READ_KERN(mm->env_end));
	return 1;
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

	if (!tr_ev_selected(TR_EV_SCHED_PROCESS_EXEC) &&
	    !tr_ev_selected(TR_EV_SECURITY_BPRM_CHECK))
		return 0;
	if (tr_is_self() || !tr_in_scope())
		return 0;
	buf = tr_scratch(TR_SLOT_PROC);
	if (!buf)
		return 0;
	if (tr_ev_selected(TR_EV_SECURITY_BPRM_CHECK) && tr_g_bprm((__u64)bprm))
		tr_submit(ctx, buf);
	if (!tr_ev_selected(TR_EV_SCHED_PROCESS_EXEC))
		return 0;
	tr_fill_hdr((void *)buf, TR_EV_SCHED_PROCESS_EXEC, -1);

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
	/* the environment (shown with -o option:exec-env; signatures read it) */
	tr_g_strarea(TR_SLOT_PROC, 10, READ_KERN(mm->env_start), READ_KERN(mm->env_end));
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
	bool group_dead;
	__u8 *buf;

	if (tr_is_self())
		return 0;
	/* do_exit() has already dropped signal->live for this thread */
	signal = READ_KERN(task->signal);
	group_dead = READ_KERN(signal->live.counter) == 0;
	if (!tr_ev_selected(TR_EV_SCHED_PROCESS_EXIT) || !tr_in_scope())
		goto out;
	buf = tr_scratch(TR_SLOT_PROC);
	if (!buf)
		goto out;
	tr_fill_hdr((void *)buf, TR_EV_SCHED_PROCESS_EXIT, -1);
	tr_put_u64(buf, 0, (__s64)READ_KERN(task->exit_code));
	tr_put_u64(buf, 1, group_dead);
	tr_submit(ctx, buf);
out:
	if ((tr_cfg.scope_flags & TR_SCOPE_FOLLOW) && group_dead) {
		__u32 tgid = READ_KERN(task->tgid);

		bpf_map_delete_elem(&followed, &tgid);
	}
	return 0;
}

/* ------------------------------------------------- other kernel events */

/* Start a record in TR_SLOT_MISC for event id, or NULL (not selected, out of scope). */
static __always_inline __u8 *tr_misc_begin(__u32 id)
{
	__u8 *buf;

	if (!tr_ev_selected(id) || tr_is_self() || !tr_in_scope())
		return NULL;
	buf = tr_scratch(TR_SLOT_MISC);
	if (buf)
		tr_fill_hdr((void *)buf, id, -1);
	return buf;
}

/* cgroup_mkdir/cgroup_rmdir: (struct cgroup *cgrp, const char *path) */
static __always_inline int tr_cgroup_event(struct bpf_raw_tracepoint_args *ctx, __u32 id)
{
	struct cgroup *cgrp = (struct cgroup *)ctx->args[0];
	struct kernfs_node *kn = READ_KERN(cgrp->kn);
	struct cgroup_root *root = READ_KERN(cgrp->root);
	__u8 *buf = tr_misc_begin(id);
	__u64 cgid = 0;

	if (!buf)
		return 0;
	/* u64 since 5.5, before a union kernfs_node_id of the same size */
	KREAD_N(&cgid, sizeof(cgid), kn->id);
	tr_put_u64(buf, 0, cgid);
	tr_g_kstr(TR_SLOT_MISC, 1, ctx->args[1]);
	tr_put_u64(buf, 2, READ_KERN(root->hierarchy_id));
	tr_submit(ctx, buf);
	return 0;
}

SEC("raw_tp/cgroup_mkdir")
int tr_cgroup_mkdir(struct bpf_raw_tracepoint_args *ctx)
{
	return tr_cgroup_event(ctx, TR_EV_CGROUP_MKDIR);
}

SEC("raw_tp/cgroup_rmdir")
int tr_cgroup_rmdir(struct bpf_raw_tracepoint_args *ctx)
{
	return tr_cgroup_event(ctx, TR_EV_CGROUP_RMDIR);
}

/* task_rename: (struct task_struct *task, const char *comm), before the copy */
SEC("raw_tp/task_rename")
int tr_task_rename(struct bpf_raw_tracepoint_args *ctx)
{
	struct task_struct *task = (struct task_struct *)ctx->args[0];
	__u8 *buf = tr_misc_begin(TR_EV_TASK_RENAME);

	if (!buf)
		return 0;
	tr_g_kstr(TR_SLOT_MISC, 0, (__u64)&task->comm[0]);
	tr_g_kstr(TR_SLOT_MISC, 1, ctx->args[1]);
	tr_submit(ctx, buf);
	return 0;
}

/* SEND_SIG_NOINFO (0) and SEND_SIG_PRIV (1) are not pointers */
static __always_inline int tr_sig_code(struct kernel_siginfo *info)
{
	if ((unsigned long)info == 0)
		return 0;	/* SI_USER */
	if ((unsigned long)info == 1)
		return 0x80;	/* SI_KERNEL */
	return READ_KERN(info->si_code);
}

/* signal_generate: (int sig, struct kernel_siginfo *info, struct task_struct *task, int group, int result) */
SEC("raw_tp/signal_generate")
int tr_signal_gen(struct bpf_raw_tracepoint_args *ctx)
{
	struct task_struct *target = (struct task_struct *)ctx->args[2];
	__u8 *buf = tr_misc_begin(TR_EV_SIGNAL_GENERATE);

	if (!buf)
		return 0;
	tr_put_u64(buf, 0, (int)ctx->args[0]);
	tr_put_u64(buf, 1, tr_sig_code((struct kernel_siginfo *)ctx->args[1]));
	tr_put_u64(buf, 2, READ_KERN(target->tgid));
	tr_put_u64(buf, 3, READ_KERN(target->pid));
	tr_put_u64(buf, 4, (int)ctx->args[3]);
	tr_put_u64(buf, 5, (int)ctx->args[4]);
	tr_submit(ctx, buf);
	return 0;
}

/* signal_deliver: (int sig, struct kernel_siginfo *info, struct k_sigaction *ka) */
SEC("raw_tp/signal_deliver")
int tr_signal_dlv(struct bpf_raw_tracepoint_args *ctx)
{
	struct k_sigaction *ka = (struct k_sigaction *)ctx->args[2];
	__u8 *buf = tr_misc_begin(TR_EV_SIGNAL_DELIVER);

	if (!buf)
		return 0;
	tr_put_u64(buf, 0, (int)ctx->args[0]);
	tr_put_u64(buf, 1, tr_sig_code((struct kernel_siginfo *)ctx->args[1]));
	tr_put_u64(buf, 2, (__u64)READ_KERN(ka->sa.sa_handler));
	tr_put_u64(buf, 3, READ_KERN(ka->sa.sa_flags));
	tr_submit(ctx, buf);
	return 0;
}

/* module_load: (struct module *mod), once the module is in (CONFIG_MODULES) */
SEC("raw_tp/module_load")
int tr_module_load(struct bpf_raw_tracepoint_args *ctx)
{
	struct module *mod = (struct module *)ctx->args[0];
	__u8 *buf = tr_misc_begin(TR_EV_MODULE_LOAD);

	if (!buf)
		return 0;
	tr_g_kstr(TR_SLOT_MISC, 0, (__u64)&mod->name[0]);
	tr_g_kstr(TR_SLOT_MISC, 1, (__u64)READ_KERN(mod->version));
	tr_g_kstr(TR_SLOT_MISC, 2, (__u64)READ_KERN(mod->srcversion));
	tr_submit(ctx, buf);
	return 0;
}
