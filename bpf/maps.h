/* SPDX-License-Identifier: GPL-2.0 */
/*
 * maps.h - part of tracee.bpf.c: the object's license, metadata, configuration
 * and every map.
 *
 * tr_cfg (.rodata) is what user space sets before load (src/kernel/loader.c);
 * the maps are the ring or perf buffer records leave through, per-CPU scratch
 * space, the syscall state kept between sys_enter and sys_exit, and the
 * tables user space fills (scopes, the pathname prefilter).
 */

char LICENSE[] SEC("license") = "GPL";

/* Read by the loader with libelf: NUL-separated key=value strings. */
const char tr_meta[] SEC(".tracee.meta") __attribute__((used)) =
	"flavour=" TR_FLAVOUR "\0release=" TRACEE_KRELEASE "\0version=" TRACEE_VERSION
	"\0arch=" TR_ARCH_NAME;

const volatile struct tr_config tr_cfg = {};

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

/*
 * Syscall records built at sys_enter (TR_SYS_READ_ENTER): the strings and
 * socket addresses the kernel is about to copy in are read before the call,
 * so that another thread rewriting them while the syscall runs cannot change
 * what is reported.  Kept by thread id until sys_exit, which sends the record
 * and deletes it; a hash (not prealloc'ed) holds only syscalls in flight.
 * Two sizes, so that the common one-path syscalls copy 4 KiB, not 12, into
 * the map: TR_SYS_ENTRY_BIG (mount, rename, link...: up to three strings)
 * picks the big one.  Full (that many threads inside such syscalls at once),
 * the record is built at exit as before, counted TR_STAT_ENTRY_FULL.
 */
#define TR_ENTRY_ARGS_ROOM	(TR_SYSCALL_ARGS * (2 + 16))	/* the non-string arguments */
#define TR_ENTRY_SMALL		(sizeof(struct tr_record_hdr) + TR_ENTRY_ARGS_ROOM + \
				 (2 + 4 + TR_STR_READ) + TR_SOCKADDR_MAX)
#define TR_ENTRY_BIG		(sizeof(struct tr_record_hdr) + TR_ENTRY_ARGS_ROOM + \
				 3 * (2 + 4 + TR_STR_READ))

struct tr_entry_small {
	__u8 buf[TR_ENTRY_SMALL];
};

/*
 * The task-storage element also takes records built in place
 * (progs_syscalls.h: tr_enter_direct): arguments start below TR_ENTRY_LEAD,
 * their payload offsets are masked to 2 * TR_ENTRY_LEAD - 1 and a string
 * read may fill TR_STR_READ bytes past its length.  Still one 8 KiB
 * allocation per task, as TR_ENTRY_SMALL was.
 */
#define TR_ENTRY_LEAD		512
#define TR_ENTRY_DIRECT		(2 * TR_ENTRY_LEAD + 4 + TR_STR_READ)

struct tr_entry_small_ts {
	__u8 buf[TR_ENTRY_DIRECT > TR_ENTRY_SMALL ? TR_ENTRY_DIRECT : TR_ENTRY_SMALL];
};

struct tr_entry_big {
	__u8 buf[TR_ENTRY_BIG];
};

struct {
	__uint(type, 1 /* BPF_MAP_TYPE_HASH */);
	__uint(map_flags, TR_F_NO_PREALLOC);
	__uint(max_entries, 8192);
	__type(key, __u32);
	__type(value, struct tr_entry_small);
} entry_small SEC(".maps");

struct {
	__uint(type, 1 /* BPF_MAP_TYPE_HASH */);
	__uint(map_flags, TR_F_NO_PREALLOC);
	__uint(max_entries, 2048);
	__type(key, __u32);
	__type(value, struct tr_entry_big);
} entry_big SEC(".maps");

/*
 * tr_cfg.entry_in_hash = 0 (task storage works): the same records, one
 * element per task, made at its first such call and reused by the next
 * ones; an element of the hashes above is allocated, filled whole and
 * freed on every call.  Freed with the task.
 */
struct {
	__uint(type, TR_MAP_TASK_STORAGE);
	__uint(map_flags, TR_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct tr_entry_small_ts);
} entry_small_ts SEC(".maps");

struct {
	__uint(type, TR_MAP_TASK_STORAGE);
	__uint(map_flags, TR_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct tr_entry_big);
} entry_big_ts SEC(".maps");

/*
 * execve and execveat whose strings could not be read at sys_enter (their
 * pages not present yet: a child after fork has no page table entries for
 * file-backed memory such as a binary's .rodata until it touches them).
 * The record waits here for sys_exit, keyed by task (exec changes the tid
 * of a thread that is not the leader), which reads the kernel's own copies
 * in the new image (argv, envp, AT_EXECFN) or, when the exec failed, the
 * caller's memory again.  Rare: one 32 KiB element per such exec in flight.
 */
struct {
	__uint(type, 1 /* BPF_MAP_TYPE_HASH */);
	__uint(map_flags, TR_F_NO_PREALLOC);
	__uint(max_entries, 1024);
	__type(key, __u64);
	__type(value, struct tr_scratch);
} exec_pending SEC(".maps");

/* Per CPU: 1 while read failures are held back (tr_read_fail), 2 once one happened. */
struct {
	__uint(type, TR_MAP_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} fail_defer SEC(".maps");

/*
 * security_socket_connect and _bind: the address the caller passed, read at
 * sys_enter (the hook's own copy is out of reach without kprobes), by thread
 * id until sys_exit; as entry_small, so that a rewrite during the call (a
 * connect that blocks) cannot change the reported address.  len is
 * TR_SOCK_UNREAD when the read failed: sys_exit reads the caller's memory.
 */
#define TR_SOCK_UNREAD	0xffffffffu

struct tr_sock_entry {
	__u32 len;
	__u32 pad;
	__u8 addr[TR_SOCKADDR_MAX];
};

struct {
	__uint(type, 1 /* BPF_MAP_TYPE_HASH */);
	__uint(map_flags, TR_F_NO_PREALLOC);
	__uint(max_entries, 8192);
	__type(key, __u32);
	__type(value, struct tr_sock_entry);
} sock_entry SEC(".maps");

/*
 * Read failures by event and argument, key TR_RF_KEY(event id, argument
 * index): which values were lost, for the run summary and /metrics.  A
 * failure beyond max_entries distinct pairs is in TR_STAT_READ_FAIL only.
 */
struct {
	__uint(type, 1 /* BPF_MAP_TYPE_HASH */);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, __u64);
} read_fails SEC(".maps");

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

/*
 * --scope follow: processes (tgid) descending from one in scope.  A plain
 * hash, emptied at process exit: an LRU evicted live processes (the oldest
 * first, a parent among them) when many children filled it.  Full, a new
 * child is not followed and TR_STAT_FOLLOW_FULL counts it.
 */
struct {
	__uint(type, 1 /* BPF_MAP_TYPE_HASH */);
	__uint(max_entries, 16384);
	__type(key, __u32);
	__type(value, __u8);
} followed SEC(".maps");
