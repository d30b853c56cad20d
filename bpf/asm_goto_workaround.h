/* SPDX-License-Identifier: GPL-2.0 */
/*
 * asm_goto_workaround.h - force-included (clang -include) into the
 * kernel-specific build, after the kernel's kconfig.h and before any other
 * kernel header.
 *
 * That build compiles the kernel headers for the host (x86) with
 * -emit-llvm, because clang cannot parse them with -target bpf, and lets
 * llc lower the IR to BPF.  x86 inline assembly must therefore never reach
 * the IR: llc -march=bpf cannot emit it.  Unused static inline functions
 * never do, but whatever the headers expand into code that is used must be
 * asm-free.  This header makes sure of that:
 *
 *  - asm goto (static keys, jump labels, the uaccess fast paths) becomes an
 *    ordinary asm statement with a text that cannot assemble, so that any
 *    use that slips through fails loudly at llc time instead of silently;
 *  - asm_inline (CONFIG_CC_HAS_ASM_INLINE, "asm __inline") falls back to
 *    plain asm, which every clang accepts.
 *
 * Other inline asm is left alone on purpose.  The old trick of
 * "#define volatile(x...) volatile("")" empties every asm statement,
 * including the operand constraints of barrier_var()-style barriers the
 * program relies on to keep the verifier's bounds (TR_MASK in bpf/defs.h);
 * nothing tracee uses from the headers needs it.
 */
#ifndef TRACEE_ASM_GOTO_WORKAROUND_H
#define TRACEE_ASM_GOTO_WORKAROUND_H

/* compiler_types.h (via types.h) defines the macros redefined below */
#include <linux/types.h>

#ifdef asm_volatile_goto
#undef asm_volatile_goto
#define asm_volatile_goto(x...)	asm volatile("tracee: asm goto cannot be lowered to BPF")
#endif

#ifdef asm_goto_output
#undef asm_goto_output
#define asm_goto_output(x...)	asm volatile("tracee: asm goto cannot be lowered to BPF")
#endif

#ifdef asm_inline
#undef asm_inline
#define asm_inline asm
#endif

#endif /* TRACEE_ASM_GOTO_WORKAROUND_H */
