/* SPDX-License-Identifier: GPL-2.0 */
/*
 * syscall_arch.h - syscall numbers per architecture and the event ids they
 * map onto.  Event ids are Tracee's, x86_64's syscall numbers, on every
 * architecture, so that filters, rules and parsers carry over: on arm64,
 * openat (56) is event 257 as on x86_64.  arm64's table is generated
 * (src/events/syscalls-arm64.def, src/events/gen-syscall-arm64.sh).
 */
#ifndef TRACEE_SYSCALL_ARCH_H
#define TRACEE_SYSCALL_ARCH_H

enum tr_arch {
	TR_ARCH_X86_64,
	TR_ARCH_ARM64,
};

/* The architecture tracee was built for. */
enum tr_arch syscall_arch_host(void);

/* "x86_64", "arm64" */
const char *syscall_arch_name(enum tr_arch arch);

/* The event id of syscall nr on arch; -1 if arch has no such syscall. */
int syscall_arch_to_event(enum tr_arch arch, long nr);

/* arch's number of the syscall that is event id; -1 if arch lacks it
 * (x86_64's open, stat, fork... have no arm64 number). */
long syscall_arch_from_event(enum tr_arch arch, int id);

#endif /* TRACEE_SYSCALL_ARCH_H */
