/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmlinux.h (x86_64) - the kernel types tracee's CO-RE programs use, and
 * nothing else.
 *
 * Written by hand instead of dumped with bpftool so that a build host needs
 * no BTF and the tree stays small.  Every struct lists only the fields the
 * programs read; their real offsets come from the running kernel's BTF at
 * load time (CO-RE relocations, thanks to preserve_access_index), so the
 * field order and the missing fields here do not matter.  Field NAMES and
 * TYPES do: they must match the kernel's (libbpf matches by name and checks
 * that the types are compatible).
 *
 * Types whose size or layout matters locally (used by value, or indexed as
 * arrays) are spelled out completely: struct upid, struct qstr, atomic_t.
 *
 * Adding a field: copy its name and type from
 *   bpftool btf dump file /sys/kernel/btf/vmlinux format c
 * and read it through READ_KERN() (bpf/kread.h).  Kernel drift (fields that
 * were renamed) is handled in kread.h with ___flavour structs, not here.
 */
#ifndef __VMLINUX_H__
#define __VMLINUX_H__

/* Basic types, as in the kernel's include/uapi/asm-generic/int-ll64.h */
typedef signed char __s8;
typedef unsigned char __u8;
typedef short __s16;
typedef unsigned short __u16;
typedef int __s32;
typedef unsigned int __u32;
typedef long long __s64;
typedef unsigned long long __u64;

typedef __s8 s8;
typedef __u8 u8;
typedef __s16 s16;
typedef __u16 u16;
typedef __s32 s32;
typedef __u32 u32;
typedef __s64 s64;
typedef __u64 u64;

typedef __u16 __le16;
typedef __u16 __be16;
typedef __u32 __le32;
typedef __u32 __be32;
typedef __u64 __le64;
typedef __u64 __be64;
typedef __u32 __wsum;

typedef _Bool bool;
enum {
	false = 0,
	true = 1,
};

typedef int pid_t;
typedef unsigned int uid_t;
typedef unsigned int gid_t;
typedef __u32 dev_t;
typedef unsigned short umode_t;
typedef long long loff_t;
typedef __s64 time64_t;
typedef long unsigned int size_t;

typedef struct {
	int counter;
} atomic_t;

typedef struct {
	uid_t val;
} kuid_t;

typedef struct {
	gid_t val;
} kgid_t;

/* 6.3+ ("capability: use a single u64"); before, __u32 cap[2]: same size,
 * read as 8 raw bytes (CO-RE checks only that both are structs) */
typedef struct {
	u64 val;
} kernel_cap_t;

/* ---------------------------------------------------------------------
 * UAPI pieces of <linux/bpf.h> that libbpf's bpf_helpers.h and the
 * programs need.  Values are ABI and never change.
 */
enum bpf_map_type {
	BPF_MAP_TYPE_UNSPEC = 0,
	BPF_MAP_TYPE_HASH = 1,
	BPF_MAP_TYPE_ARRAY = 2,
	BPF_MAP_TYPE_PROG_ARRAY = 3,
	BPF_MAP_TYPE_PERF_EVENT_ARRAY = 4,
	BPF_MAP_TYPE_PERCPU_HASH = 5,
	BPF_MAP_TYPE_PERCPU_ARRAY = 6,
	BPF_MAP_TYPE_STACK_TRACE = 7,
	BPF_MAP_TYPE_CGROUP_ARRAY = 8,
	BPF_MAP_TYPE_LRU_HASH = 9,
	BPF_MAP_TYPE_LRU_PERCPU_HASH = 10,
	BPF_MAP_TYPE_LPM_TRIE = 11,
	BPF_MAP_TYPE_ARRAY_OF_MAPS = 12,
	BPF_MAP_TYPE_HASH_OF_MAPS = 13,
	BPF_MAP_TYPE_DEVMAP = 14,
	BPF_MAP_TYPE_SOCKMAP = 15,
	BPF_MAP_TYPE_CPUMAP = 16,
	BPF_MAP_TYPE_XSKMAP = 17,
	BPF_MAP_TYPE_SOCKHASH = 18,
	BPF_MAP_TYPE_CGROUP_STORAGE = 19,
	BPF_MAP_TYPE_REUSEPORT_SOCKARRAY = 20,
	BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE = 21,
	BPF_MAP_TYPE_QUEUE = 22,
	BPF_MAP_TYPE_STACK = 23,
	BPF_MAP_TYPE_SK_STORAGE = 24,
	BPF_MAP_TYPE_DEVMAP_HASH = 25,
	BPF_MAP_TYPE_STRUCT_OPS = 26,
	BPF_MAP_TYPE_RINGBUF = 27,
	BPF_MAP_TYPE_INODE_STORAGE = 28,
	BPF_MAP_TYPE_TASK_STORAGE = 29,
};

enum {
	BPF_ANY = 0,
	BPF_NOEXIST = 1,
	BPF_EXIST = 2,
	BPF_F_LOCK = 4,
};

enum {
	BPF_F_NO_PREALLOC = (1U << 0),
	BPF_F_NO_COMMON_LRU = (1U << 1),
	BPF_F_RDONLY_PROG = (1U << 7),
};

/* bpf_perf_event_output() flags */
#define BPF_F_INDEX_MASK	0xffffffffULL
#define BPF_F_CURRENT_CPU	BPF_F_INDEX_MASK

/* bpf_ringbuf_output() flags and bpf_ringbuf_query() flags */
enum {
	BPF_RB_NO_WAKEUP = (1ULL << 0),
	BPF_RB_FORCE_WAKEUP = (1ULL << 1),
};

enum {
	BPF_RB_AVAIL_DATA = 0,
	BPF_RB_RING_SIZE = 1,
	BPF_RB_CONS_POS = 2,
	BPF_RB_PROD_POS = 3,
};

/* bpf_task_storage_get() flags */
enum {
	BPF_LOCAL_STORAGE_GET_F_CREATE = (1ULL << 0),
};

struct bpf_raw_tracepoint_args {
	__u64 args[0];
};

/* ---------------------------------------------------------------------
 * Kernel structures, relocated by CO-RE.
 */
#ifndef BPF_NO_PRESERVE_ACCESS_INDEX
#pragma clang attribute push(__attribute__((preserve_access_index)), apply_to = record)
#endif

/* arch/x86/include/asm/ptrace.h (x86_64) */
struct pt_regs {
	long unsigned int r15;
	long unsigned int r14;
	long unsigned int r13;
	long unsigned int r12;
	long unsigned int bp;
	long unsigned int bx;
	long unsigned int r11;
	long unsigned int r10;
	long unsigned int r9;
	long unsigned int r8;
	long unsigned int ax;
	long unsigned int cx;
	long unsigned int dx;
	long unsigned int si;
	long unsigned int di;
	long unsigned int orig_ax;
	long unsigned int ip;
	long unsigned int cs;
	long unsigned int flags;
	long unsigned int sp;
	long unsigned int ss;
};

struct thread_info {
	long unsigned int flags;
	u32 status;
};

struct ns_common {
	unsigned int inum;
};

struct pid_namespace;

struct upid {
	int nr;
	struct pid_namespace *ns;
};

struct pid {
	unsigned int level;
	struct upid numbers[0];
};

struct task_struct;

struct pid_namespace {
	unsigned int level;
	struct task_struct *child_reaper;
	struct ns_common ns;
};

struct new_utsname {
	char sysname[65];
	char nodename[65];
};

struct uts_namespace {
	struct new_utsname name;
	struct ns_common ns;
};

/* fs/mount.h (private to fs/, hence not in kernel headers packages) */
struct mnt_namespace {
	struct ns_common ns;
};

struct ipc_namespace {
	struct ns_common ns;
};

struct net {
	struct ns_common ns;
};

struct cgroup_namespace {
	struct ns_common ns;
};

struct nsproxy {
	struct uts_namespace *uts_ns;
	struct ipc_namespace *ipc_ns;
	struct mnt_namespace *mnt_ns;
	struct pid_namespace *pid_ns_for_children;
	struct net *net_ns;
	struct cgroup_namespace *cgroup_ns;
};

struct cred {
	kuid_t uid;
	kgid_t gid;
	kuid_t suid;
	kgid_t sgid;
	kuid_t euid;
	kgid_t egid;
	kuid_t fsuid;
	kgid_t fsgid;
	kernel_cap_t cap_permitted;
	kernel_cap_t cap_effective;
};

struct qstr {
	union {
		struct {
			u32 hash;
			u32 len;
		};
		u64 hash_len;
	};
	const unsigned char *name;
};

/* used by the pre-6.11 inode flavours in kread.h */
struct timespec64 {
	time64_t tv_sec;
	long int tv_nsec;
};

struct super_block {
	dev_t s_dev;
};

/* since 6.11 the ctime is two integers; older layouts are in kread.h */
struct inode {
	umode_t i_mode;
	struct super_block *i_sb;
	long unsigned int i_ino;
	time64_t i_ctime_sec;
	u32 i_ctime_nsec;
};

struct dentry {
	struct dentry *d_parent;
	struct qstr d_name;
	struct inode *d_inode;
};

struct vfsmount {
	struct dentry *mnt_root;
};

/* fs/mount.h: struct vfsmount is embedded in struct mount */
struct mount {
	struct mount *mnt_parent;
	struct dentry *mnt_mountpoint;
	struct vfsmount mnt;
};

struct path {
	struct vfsmount *mnt;
	struct dentry *dentry;
};

struct file {
	struct path f_path;
	struct inode *f_inode;
	unsigned int f_flags;
	loff_t f_pos;
	void *private_data;
};

/* include/uapi/linux/in6.h */
struct in6_addr {
	union {
		__u8 u6_addr8[16];
	} in6_u;
};

struct sock_common {
	__be32 skc_daddr;		/* these four in anonymous unions/structs: CO-RE finds them */
	__be32 skc_rcv_saddr;
	__be16 skc_dport;
	__u16 skc_num;
	short unsigned int skc_family;
	struct in6_addr skc_v6_daddr;
	struct in6_addr skc_v6_rcv_saddr;
};

struct sock {
	struct sock_common __sk_common;
};

struct socket {
	short int type;
	struct sock *sk;
};

struct sockaddr_un {
	unsigned short sun_family;
	char sun_path[108];
};

struct unix_address {
	int len;
	struct sockaddr_un name[0];
};

struct unix_sock {
	struct unix_address *addr;
	struct sock *peer;
};

struct vm_area_struct {
	long unsigned int vm_flags;	/* const vm_flags_t in an anonymous union since 6.3 */
	struct file *vm_file;
};

struct kernfs_node {
	u64 id;				/* 5.5+; before, union kernfs_node_id of the same size */
};

struct cgroup_root {
	int hierarchy_id;
};

struct cgroup {
	struct kernfs_node *kn;
	struct cgroup_root *root;
};

struct css_set {
	struct cgroup *dfl_cgrp;
};

struct module {
	char name[56];
	const char *version;
	const char *srcversion;
};

struct kernel_siginfo {
	int si_signo;
	int si_errno;
	int si_code;
};

typedef void (*__sighandler_t)(int);

struct sigaction {
	__sighandler_t sa_handler;
	long unsigned int sa_flags;
};

struct k_sigaction {
	struct sigaction sa;
};

struct fdtable {
	unsigned int max_fds;
	struct file **fd;
};

struct files_struct {
	struct fdtable *fdt;
};

struct mm_struct {
	struct file *exe_file;
	long unsigned int arg_start;
	long unsigned int arg_end;
	long unsigned int env_start;
	long unsigned int env_end;
};

struct signal_struct {
	atomic_t live;
};

struct task_struct {
	struct thread_info thread_info;
	unsigned int flags;
	struct mm_struct *mm;
	int exit_code;
	pid_t pid;
	pid_t tgid;
	struct task_struct *real_parent;
	struct task_struct *group_leader;
	struct pid *thread_pid;
	u64 start_time;
	char comm[16];
	struct files_struct *files;
	struct nsproxy *nsproxy;
	struct signal_struct *signal;
	const struct cred *real_cred;
	const struct cred *cred;
	struct css_set *cgroups;
};

struct linux_binprm {
	struct mm_struct *mm;
	struct file *file;
	const char *filename;
	const char *interp;
};

#ifndef BPF_NO_PRESERVE_ACCESS_INDEX
#pragma clang attribute pop
#endif

#endif /* __VMLINUX_H__ */
