// SPDX-License-Identifier: GPL-2.0
/*
 * test_syscall_arch.c - syscall numbers per architecture onto event ids
 * (src/events/syscall_arch.c, arm64's rows generated into
 * src/events/syscalls-arm64.def): known pairs, x86_64-only syscalls, every
 * row against the events table, both directions, bounds.
 */
#include <string.h>

#include "events.h"
#include "syscall_arch.h"
#include "../tap.h"

struct pair {
	long arm64;
	int id;
	const char *name;
};

/* From the arm64 and x86_64 syscall tables of Linux, read by hand. */
static const struct pair known[] = {
	{ 0, 206, "io_setup" }, { 29, 16, "ioctl" }, { 39, 166, "umount2" },
	{ 56, 257, "openat" }, { 57, 3, "close" }, { 63, 0, "read" }, { 64, 1, "write" },
	{ 79, 262, "newfstatat" }, { 80, 5, "fstat" }, { 93, 60, "exit" },
	{ 129, 62, "kill" }, { 198, 41, "socket" }, { 203, 42, "connect" },
	{ 220, 56, "clone" }, { 221, 59, "execve" }, { 222, 9, "mmap" },
	{ 226, 10, "mprotect" }, { 281, 322, "execveat" }, { 435, 435, "clone3" },
	{ 437, 437, "openat2" }, { 452, 452, "fchmodat2" },
};

/* x86_64 syscalls arm64 never had: the generic table dropped them. */
static const char *const x86_only[] = {
	"open", "stat", "lstat", "access", "pipe", "dup2", "fork", "vfork", "creat",
	"unlink", "rename", "mkdir", "chmod", "chown", "getdents", "arch_prctl", NULL
};

int main(void)
{
	const struct tr_event_def *d;
	unsigned int i, rows = 0, bad_name = 0, bad_back = 0;
	long nr;

	ok(syscall_arch_host() ==
#if defined(__x86_64__)
	   TR_ARCH_X86_64,
#else
	   TR_ARCH_ARM64,
#endif
	   "the host architecture is the one built for (%s)", syscall_arch_name(syscall_arch_host()));
	ok(!strcmp(syscall_arch_name(TR_ARCH_ARM64), "arm64") &&
	   !strcmp(syscall_arch_name(TR_ARCH_X86_64), "x86_64"), "architecture names");

	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
		const struct pair *p = &known[i];

		d = events_by_id(p->id);
		ok(syscall_arch_to_event(TR_ARCH_ARM64, p->arm64) == p->id &&
		   syscall_arch_from_event(TR_ARCH_ARM64, p->id) == p->arm64 &&
		   d && !strcmp(d->name, p->name),
		   "arm64 %ld <-> event %d (%s)", p->arm64, p->id, p->name);
	}
	for (i = 0; x86_only[i]; i++) {
		d = events_by_name(x86_only[i]);
		ok(d && syscall_arch_from_event(TR_ARCH_ARM64, d->id) == -1 &&
		   syscall_arch_from_event(TR_ARCH_X86_64, d->id) == d->id,
		   "%s: an x86_64 syscall only", x86_only[i]);
	}

	/* Every arm64 number: an event of the same name, and back. */
	for (nr = 0; nr < 1024; nr++) {
		int id = syscall_arch_to_event(TR_ARCH_ARM64, nr);

		if (id < 0)
			continue;
		rows++;
		d = events_by_id(id);
		if (!d || id >= TR_MAX_SYSCALL)
			bad_name++;
		if (syscall_arch_from_event(TR_ARCH_ARM64, id) != nr)
			bad_back++;
	}
	/* Linux 6.1's arm64 table has 307 syscalls, and new ones only add. */
	ok(rows >= 307, "arm64 maps %u syscalls (6.1 has 307)", rows);
	ok(!bad_name, "every arm64 syscall is a syscall event (%u are not)", bad_name);
	ok(!bad_back, "each event id has one arm64 number (%u do not map back)", bad_back);

	ok(syscall_arch_to_event(TR_ARCH_ARM64, 244) == -1,
	   "arm64 244 (the generic table's architecture-private range) is no event");
	ok(syscall_arch_to_event(TR_ARCH_ARM64, -1) == -1 &&
	   syscall_arch_to_event(TR_ARCH_ARM64, 100000) == -1 &&
	   syscall_arch_from_event(TR_ARCH_ARM64, -1) == -1 &&
	   syscall_arch_from_event(TR_ARCH_ARM64, TR_MAX_SYSCALL) == -1, "arm64 bounds");
	ok(syscall_arch_to_event(TR_ARCH_X86_64, 257) == 257 &&
	   syscall_arch_to_event(TR_ARCH_X86_64, 400) == -1 &&
	   syscall_arch_to_event(TR_ARCH_X86_64, TR_MAX_SYSCALL) == -1,
	   "x86_64: the number is the event id, where there is a syscall");
	return done_testing();
}
