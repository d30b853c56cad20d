/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmlinux.h (arm64) - the kernel types tracee's CO-RE programs use, and
 * nothing else.  Written by hand like bpf/vmlinux/x86/vmlinux.h (read its
 * comment): only the fields read, names and types as in the kernel's BTF.
 *
 * The architecture's own structures are here, checked against the BTF of
 * Debian's arm64 kernel (linux-image-6.1.0-*-arm64: its Image carries the
 * .BTF section; bpftool btf dump file BTF format c); the rest is shared:
 * ../vmlinux_base.h (types, UAPI) and ../vmlinux_kernel.h (kernel
 * structures, the same names and types on arm64 as on x86_64).
 */
#ifndef __VMLINUX_H__
#define __VMLINUX_H__

#include "../vmlinux_base.h"

/* ---------------------------------------------------------------------
 * Kernel structures, relocated by CO-RE.
 */
#ifndef BPF_NO_PRESERVE_ACCESS_INDEX
#pragma clang attribute push(__attribute__((preserve_access_index)), apply_to = record)
#endif

/*
 * arch/arm64/include/asm/ptrace.h.  regs[] is laid out as the user's
 * struct user_pt_regs, which libbpf's PT_REGS_* macros for arm64 cast to;
 * orig_x0 keeps the first argument after x0 is overwritten by the return
 * value, and syscallno the syscall number (x8 at entry).
 */
struct user_pt_regs {
	__u64 regs[31];
	__u64 sp;
	__u64 pc;
	__u64 pstate;
};

struct pt_regs {
	union {
		struct user_pt_regs user_regs;
		struct {
			u64 regs[31];
			u64 sp;
			u64 pc;
			u64 pstate;
		};
	};
	u64 orig_x0;
	s32 syscallno;
};

/* arm64 has no thread_info.status: a 32-bit task is a flag (TIF_32BIT). */
struct thread_info {
	long unsigned int flags;
};

#ifndef BPF_NO_PRESERVE_ACCESS_INDEX
#pragma clang attribute pop
#endif

#include "../vmlinux_kernel.h"

#endif /* __VMLINUX_H__ */
