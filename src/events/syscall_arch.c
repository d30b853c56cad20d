// SPDX-License-Identifier: GPL-2.0
/*
 * syscall_arch.c - syscall numbers per architecture onto tracee's event
 * ids (x86_64's numbers): identity on x86_64, arm64's generated table
 * (syscalls-arm64.def) both ways.
 */
#include "syscall_arch.h"

#include "event.h"
#include "events.h"

/*
 * Both directions as arrays indexed by number, holding the other number
 * plus one: 0 (the zero fill) means "none", since 0 is a number (read is
 * event 0, io_setup arm64's syscall 0).
 */
static const short arm64_to_event[] = {
#define TR_SYSCALL_ARM64(nr, id, name) [nr] = (id) + 1,
#include "syscalls-arm64.def"
#undef TR_SYSCALL_ARM64
};

static const short event_to_arm64[TR_MAX_SYSCALL] = {
#define TR_SYSCALL_ARM64(nr, id, name) [id] = (nr) + 1,
#include "syscalls-arm64.def"
#undef TR_SYSCALL_ARM64
};

enum tr_arch syscall_arch_host(void)
{
#if defined(__x86_64__)
	return TR_ARCH_X86_64;
#elif defined(__aarch64__)
	return TR_ARCH_ARM64;
#else
#error "tracee is built for x86_64 and aarch64 (configure says so)"
#endif
}

const char *syscall_arch_name(enum tr_arch arch)
{
	return arch == TR_ARCH_ARM64 ? "arm64" : "x86_64";
}

int syscall_arch_to_event(enum tr_arch arch, long nr)
{
	const struct tr_event_def *d;

	if (nr < 0)
		return -1;
	if (arch == TR_ARCH_ARM64)
		return nr < (long)(sizeof(arm64_to_event) / sizeof(arm64_to_event[0])) ?
		       arm64_to_event[nr] - 1 : -1;
	if (nr >= TR_MAX_SYSCALL)
		return -1;
	d = events_by_id((int)nr);
	return d ? (int)nr : -1;
}

long syscall_arch_from_event(enum tr_arch arch, int id)
{
	if (id < 0 || id >= TR_MAX_SYSCALL)
		return -1;
	if (arch == TR_ARCH_ARM64)
		return event_to_arm64[id] - 1;
	return events_by_id(id) ? id : -1;
}
