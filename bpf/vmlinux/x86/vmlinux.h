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
 *
 * The architecture's own structures are here; the rest is shared with the
 * other architectures: ../vmlinux_base.h (types, UAPI) and
 * ../vmlinux_kernel.h (kernel structures).
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

#ifndef BPF_NO_PRESERVE_ACCESS_INDEX
#pragma clang attribute pop
#endif

#include "../vmlinux_kernel.h"

#endif /* __VMLINUX_H__ */
