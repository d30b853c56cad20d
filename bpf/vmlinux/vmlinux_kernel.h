/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmlinux_kernel.h - the kernel structures of tracee's hand-written
 * vmlinux.h that have the same field names and types on every architecture
 * tracee builds for (checked against the x86_64 and arm64 BTF of Debian's
 * kernels).  Included by bpf/vmlinux/ARCH/vmlinux.h after the architecture's
 * own structures (struct thread_info is embedded in task_struct).
 */
#ifndef __TR_VMLINUX_KERNEL_H__
#define __TR_VMLINUX_KERNEL_H__

#ifndef BPF_NO_PRESERVE_ACCESS_INDEX
#pragma clang attribute push(__attribute__((preserve_access_index)), apply_to = record)
#endif

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

#endif /* __TR_VMLINUX_KERNEL_H__ */
