/* SPDX-License-Identifier: GPL-2.0 */
/*
 * arch.h - what the programs read differently on each architecture: the
 * syscall's number and arguments in struct pt_regs, and the mark of a
 * 32-bit (compat) task.  __TARGET_ARCH_x86 or __TARGET_ARCH_arm64 comes
 * from the build (configure's BPF_ARCH for the CO-RE object, the kernel's
 * configuration in bpf/kbuild.sh for the kernel-specific one).
 *
 * The TR_SC_* macros name a field, not a value: a program reads it with
 * READ_KERN(TR_SC_ARG0(regs)) through a raw tracepoint's untyped pointer,
 * or directly in a tp_btf program whose pt_regs is trusted.  They hold at
 * sys_enter and at sys_exit alike (syscalls read their argument registers,
 * never write them; execve, which replaces them, is read at entry):
 *   x86_64  arguments in di, si, dx, r10, r8, r9 (r10, not the C ABI's cx,
 *           which syscall clobbers); the return value goes to ax, the
 *           number stays in orig_ax.
 *   arm64   arguments in x0..x5, the number in x8, kept in syscallno; at
 *           exit x0 holds the return value, but orig_x0 keeps the first
 *           argument (the kernel saves it at entry for restarts), so the
 *           arguments are all still there without saving them at entry.
 */
#ifndef __TR_ARCH_H__
#define __TR_ARCH_H__

#if defined(__TARGET_ARCH_x86)

#define TR_ARCH_NAME		"x86_64"	/* .tracee.meta arch=, checked by the loader */
/* event ids are x86_64's syscall numbers */
#define TR_SC_ID(nr)		(nr)

#define TR_SC_NR(regs)		((regs)->orig_ax)
#define TR_SC_ARG0(regs)	((regs)->di)
#define TR_SC_ARG1(regs)	((regs)->si)
#define TR_SC_ARG2(regs)	((regs)->dx)
#define TR_SC_ARG3(regs)	((regs)->r10)
#define TR_SC_ARG4(regs)	((regs)->r8)
#define TR_SC_ARG5(regs)	((regs)->r9)

/* TS_COMPAT in thread_info.status (arch/x86/include/asm/thread_info.h):
 * set while the task runs a 32-bit syscall (int 0x80 or a 32-bit binary) */
#define TR_TS_COMPAT		0x0002
#define TR_TI_COMPAT_WORD(ti)	((ti).status)
#define TR_TI_COMPAT_MASK	TR_TS_COMPAT

/*
 * The six arguments into args[].  pt_regs holds r10, r9, r8, ax, cx, dx,
 * si, di in this order (the entry code pushes them so; ptrace's
 * user_regs_struct has the same layout): one read for all six.  From a BTF
 * pointer (tp_btf), six direct loads.
 */
static __always_inline int tr_sc_args(struct pt_regs *regs, bool btf, __u64 *args)
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

#elif defined(__TARGET_ARCH_arm64)

#define TR_ARCH_NAME		"arm64"
/*
 * The event id of arm64 syscall nr (openat: 56 -> 257), from the loader's
 * table in rodata (src/events/syscall_arch.c); above TR_MAX_SYSCALL when
 * there is none, so the programs' range check drops it.  One load, made
 * only here: everything after it, the per-syscall configuration included,
 * is indexed by event id on both architectures.
 */
#define TR_SC_ID(nr)		((unsigned long)(nr) < TR_MAX_SYSCALL ? \
				 (unsigned long)tr_cfg.sc_id[(unsigned long)(nr)] - 1 : ~0UL)

#define TR_SC_NR(regs)		((regs)->syscallno)
#define TR_SC_ARG0(regs)	((regs)->orig_x0)
#define TR_SC_ARG1(regs)	((regs)->regs[1])
#define TR_SC_ARG2(regs)	((regs)->regs[2])
#define TR_SC_ARG3(regs)	((regs)->regs[3])
#define TR_SC_ARG4(regs)	((regs)->regs[4])
#define TR_SC_ARG5(regs)	((regs)->regs[5])

/* TIF_32BIT in thread_info.flags (arch/arm64/include/asm/thread_info.h,
 * bit 22 from 5.10 to 6.12): an AArch32 task, whose syscalls are all
 * compat ones */
#ifdef _TIF_32BIT
#define TR_TI_COMPAT_MASK	_TIF_32BIT
#else
#define TR_TI_COMPAT_MASK	(1UL << 22)
#endif
#define TR_TI_COMPAT_WORD(ti)	((ti).flags)

/*
 * The six arguments into args[]: x1..x5 in one read, then orig_x0, which is
 * 272 bytes further (at sys_exit x0 is the return value).  From a BTF
 * pointer (tp_btf), six direct loads.
 */
static __always_inline int tr_sc_args(struct pt_regs *regs, bool btf, __u64 *args)
{
	if (btf) {
		args[0] = regs->orig_x0;
		args[1] = regs->regs[1];
		args[2] = regs->regs[2];
		args[3] = regs->regs[3];
		args[4] = regs->regs[4];
		args[5] = regs->regs[5];
		return 0;
	}
	if (KREAD_N(&args[1], 5 * sizeof(__u64), regs->regs[1]) ||
	    KREAD_N(&args[0], sizeof(__u64), regs->orig_x0))
		return -1;
	return 0;
}

#else
#error "tracee's eBPF programs are built for x86 or arm64: define __TARGET_ARCH_x86 or __TARGET_ARCH_arm64"
#endif

#endif /* __TR_ARCH_H__ */
