/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kread.h - the only header that knows how tracee.bpf.c is being built.
 *
 * CO-RE (-DCORE, clang -target bpf): kernel types come from the small
 * bpf/vmlinux/<arch>/vmlinux.h, every field access is relocated by libbpf
 * against the running kernel's BTF, and drift between kernel versions is
 * resolved at load time with bpf_core_field_exists() on ___flavour structs.
 *
 * kernel-specific (no CORE, host clang -emit-llvm | llc -march=bpf): kernel
 * types come from the kernel's own headers, field offsets are compile-time
 * constants (offsetof), and drift is resolved at build time with
 * LINUX_VERSION_CODE.  No CO-RE relocation may appear in this flavour: the
 * object must load on kernels without BTF, so BPF_CORE_READ() and
 * bpf_core_*() are never used outside the CORE branch.
 *
 * Everything else (tracee.bpf.c and its parts) reads kernel memory only through
 *	READ_KERN(ptr->field)		the value, 0 when the read fails
 *	KREAD(dst, ptr->field)		0 or a negative errno
 * and the tr_k*() helpers below.
 */
#ifndef TRACEE_KREAD_H
#define TRACEE_KREAD_H

#ifdef CORE
/* ------------------------------------------------------------------ CO-RE */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

#define TR_FLAVOUR	"core"
/*
 * BTF-typed direct loads: tp_btf twins of the hottest programs (typed
 * arguments) and the fields of bpf_get_current_task_btf(), relocated like
 * every other access and checked by the verifier against the kernel's BTF.
 */
#define TR_BTF_LOADS	1
#define TR_HAVE_UNIX_SOCK	1	/* struct unix_sock: relocated if the kernel has it */

#define KREAD(dst, src)	bpf_core_read(&(dst), sizeof(dst), &(src))
/* offsetof() relocated against the running kernel */
#define TR_KOFFSETOF(type, member)	bpf_core_field_offset(type, member)
#define KREAD_N_(dstp, n, srcp)	bpf_core_read(dstp, n, srcp)

#else
/* -------------------------------------------------------- kernel-specific */
#include <linux/version.h>
#include <linux/types.h>
#include <linux/ptrace.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/nsproxy.h>
#include <linux/ns_common.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/utsname.h>
#include <linux/mount.h>
#include <linux/dcache.h>
#include <linux/path.h>
#include <linux/fs.h>
#include <linux/fdtable.h>
#include <linux/mm_types.h>
#include <linux/binfmts.h>
#include <linux/cred.h>
#include <linux/net.h>
#include <net/sock.h>
#include <linux/kernfs.h>
#include <linux/cgroup.h>
#include <linux/module.h>
#include <linux/signal_types.h>
#include <linux/ipc_namespace.h>
#include <net/net_namespace.h>
#include <uapi/linux/bpf.h>
/* 6.10 moved struct unix_sock into net/unix/ (private to the subsystem) */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 10, 0)
#include <net/af_unix.h>
#define TR_HAVE_UNIX_SOCK	1
#endif
/* 4.20 split struct kernel_siginfo from the user-visible siginfo */
#if LINUX_VERSION_CODE < KERNEL_VERSION(4, 20, 0)
#define kernel_siginfo siginfo
#endif
#include <bpf/bpf_helpers.h>

#define TR_FLAVOUR	"kernel"
/*
 * No BTF-typed loads: a kernel-specific object is for kernels whose BTF is
 * missing, where tp_btf cannot attach; and on a kernel that has BTF, its
 * build-time offsets would be checked against it, which refuses an object
 * built for another release that --allow-foreign-kernel-object asked for.
 */
#define TR_BTF_LOADS	0

#define KREAD(dst, src)	bpf_probe_read_kernel(&(dst), sizeof(dst), &(src))
#define TR_KOFFSETOF(type, member)	__builtin_offsetof(type, member)
#define KREAD_N_(dstp, n, srcp)	bpf_probe_read_kernel(dstp, n, srcp)

/*
 * fs/mount.h is private to fs/ and not shipped in headers packages.  Its
 * first members have had this layout since 3.15 (mnt_hash became an
 * hlist_node, same size as the list_head it replaced in 3.13) up to 6.18.
 */
struct mount {
	struct hlist_node mnt_hash;
	struct mount *mnt_parent;
	struct dentry *mnt_mountpoint;
	struct vfsmount mnt;
};

/*
 * Also fs/mount.h.  5.11 moved the namespace refcount into ns_common
 * ("mnt: Use generic ns_common::count"), which made ns the first member.
 */
struct mnt_namespace {
#if LINUX_VERSION_CODE < KERNEL_VERSION(5, 11, 0)
	atomic_t count;
#endif
	struct ns_common ns;
};
#endif /* CORE */

/* libbpf's __noinline expands the kernel's noinline macro into nonsense */
#define TR_NOINLINE	__attribute__((__noinline__))

/* Read n bytes starting at a field (char arrays cut short); 0 or -errno. */
#define KREAD_N(dstp, n, src)	KREAD_N_(dstp, n, &(src))

/*
 * Read a field (or any lvalue in kernel memory); 0 when the read fails.
 * The probe-read helpers zero the destination themselves on failure (every
 * kernel since bpf_probe_read() in 4.x, and bpf_probe_read_kernel()), so
 * there is no branch here: a branch per read doubles the paths the
 * verifier walks, and the programs do dozens of reads (6.1 walked 255k
 * instructions for sys_enter with one).
 */
#define READ_KERN(src) ({						\
	typeof(src) __kr_val;						\
	KREAD(__kr_val, src);						\
	__kr_val;							\
})

#define TR_PF_KTHREAD	0x00200000	/* include/linux/sched.h, stable since 2.6 */
#define TR_S_IFMT	00170000

/* ---------------------------------------------------------------- drift */

/*
 * The inode's change time:
 *   < 6.6	struct timespec64 i_ctime
 *   6.6-6.10	struct timespec64 __i_ctime ("fs: rename i_ctime field to __i_ctime")
 *   >= 6.11	time64_t i_ctime_sec; u32 i_ctime_nsec (timestamps split into integers)
 * Returned as nanoseconds since the epoch, as Tracee reports it.  Since 6.13
 * the top bit of i_ctime_nsec is a flag (I_CTIME_QUERIED, multigrain
 * timestamps): nanoseconds fit in 30 bits, the mask keeps only them.
 */
#define TR_CTIME_NSEC_MASK	0x3fffffffu
#ifdef CORE
struct inode___pre66 {
	struct timespec64 i_ctime;
} __attribute__((preserve_access_index));

struct inode___pre611 {
	struct timespec64 __i_ctime;
} __attribute__((preserve_access_index));

static __always_inline __u64 tr_kinode_ctime(struct inode *inode)
{
	if (bpf_core_field_exists(inode->i_ctime_sec)) {
		__s64 sec = READ_KERN(inode->i_ctime_sec);
		__u32 nsec = READ_KERN(inode->i_ctime_nsec) & TR_CTIME_NSEC_MASK;

		return (__u64)sec * 1000000000ULL + nsec;
	}
	if (bpf_core_field_exists(((struct inode___pre611 *)inode)->__i_ctime)) {
		struct inode___pre611 *i = (void *)inode;

		return (__u64)READ_KERN(i->__i_ctime.tv_sec) * 1000000000ULL +
		       READ_KERN(i->__i_ctime.tv_nsec);
	}
	{
		struct inode___pre66 *i = (void *)inode;

		return (__u64)READ_KERN(i->i_ctime.tv_sec) * 1000000000ULL +
		       READ_KERN(i->i_ctime.tv_nsec);
	}
}
#else
static __always_inline __u64 tr_kinode_ctime(struct inode *inode)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 11, 0)
	return (__u64)READ_KERN(inode->i_ctime_sec) * 1000000000ULL +
	       (READ_KERN(inode->i_ctime_nsec) & TR_CTIME_NSEC_MASK);
#elif LINUX_VERSION_CODE >= KERNEL_VERSION(6, 6, 0)
	return (__u64)READ_KERN(inode->__i_ctime.tv_sec) * 1000000000ULL +
	       READ_KERN(inode->__i_ctime.tv_nsec);
#else
	return (__u64)READ_KERN(inode->i_ctime.tv_sec) * 1000000000ULL +
	       READ_KERN(inode->i_ctime.tv_nsec);
#endif
}
#endif

/* ------------------------------------------------------- shared accessors */

/* The struct mount a vfsmount is embedded in (fs/mount.h real_mount()). */
static __always_inline struct mount *tr_kreal_mount(struct vfsmount *mnt)
{
	return (struct mount *)((char *)mnt - TR_KOFFSETOF(struct mount, mnt));
}

/* pid->numbers[level]: the upid as seen from the pid's own namespace. */
static __always_inline struct upid *tr_kpid_upid(struct pid *pid, unsigned int level)
{
	return &pid->numbers[0] + (level & 63);
}

static __always_inline __u32 tr_kns_inum(struct ns_common *ns)
{
	return READ_KERN(ns->inum);
}

#endif /* TRACEE_KREAD_H */
