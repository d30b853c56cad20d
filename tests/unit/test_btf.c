// SPDX-License-Identifier: GPL-2.0
/*
 * test_btf.c - the kernel's BTF is parsed once for every user (feature
 * probes, event availability, loader) and btf_release() gives its memory
 * back; the one tracepoint_exists answers from BTF and without it.  No
 * root: /sys/kernel/btf/vmlinux and /proc/kallsyms' names are world-readable.
 */
#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#ifdef __SANITIZE_ADDRESS__
/* libasan's; its header (sanitizer/allocator_interface.h) is not always installed */
size_t __sanitizer_get_current_allocated_bytes(void);
#endif

#include "btf.h"
#include "events.h"
#include "filter.h"
#include "tracepoint.h"
#include "../tap.h"

/* Heap in use, the mmapped big blocks included (a parsed BTF is one). */
static size_t heap_in_use(void)
{
#ifdef __SANITIZE_ADDRESS__
	/* ASan's allocator replaces glibc's, whose counters then stay still. */
	return __sanitizer_get_current_allocated_bytes();
#else
	struct mallinfo2 mi = mallinfo2();

	return mi.uordblks + mi.hblkhd;
#endif
}

int main(void)
{
	const struct tr_event_def *exec = events_by_name("sched_process_exec");
	const struct btf *a, *b;
	size_t before, parsed, after;
	char why[160];

	if (access("/sys/kernel/btf/vmlinux", R_OK)) {
		const char *strict = getenv("TRACEE_TEST_STRICT");

		if (strict && !strcmp(strict, "1")) {
			printf("1..1\nnot ok 1 - TRACEE_TEST_STRICT=1 but: no /sys/kernel/btf/vmlinux\n");
			return 1;
		}
		printf("1..0 # SKIP this kernel has no /sys/kernel/btf/vmlinux (CONFIG_DEBUG_INFO_BTF)\n");
		return 0;
	}
	before = heap_in_use();
	/* The availability check is the first user, as in tracee -e/--list. */
	ok(exec && filter_event_available(exec, why, sizeof(why)),
	   "sched_process_exec is available (%s)", why);
	a = btf_vmlinux();
	parsed = heap_in_use();
	ok(a != NULL, "btf_vmlinux() gives the kernel's BTF");
	ok(parsed > before + (1u << 20),
	   "the availability check parsed it through btf.c (heap +%zu KiB)",
	   (parsed - before) >> 10);
	b = btf_vmlinux();
	ok(a == b && heap_in_use() == parsed, "a second user gets the same BTF, not a new parse");
	ok(btf_target("") == a && btf_target(NULL) == a,
	   "the loader's btf_target() without --btf is the same BTF");

	ok(tracepoint_exists(a, "sched_process_exec") == 1, "BTF: sched_process_exec exists");
	ok(tracepoint_exists(a, "no_such_tp_tracee") == 0, "BTF: no_such_tp_tracee does not");
	ok(tracepoint_exists(NULL, "sched_process_exec") == 1,
	   "without BTF (kallsyms): sched_process_exec exists");
	ok(tracepoint_exists(NULL, "no_such_tp_tracee") == 0,
	   "without BTF (kallsyms): no_such_tp_tracee does not");

	btf_release();
	after = heap_in_use();
	ok(after < before + (256u << 10), "btf_release() frees it (heap %zu KiB over the start)",
	   after > before ? (after - before) >> 10 : 0);
	btf_release();
	ok(1, "btf_release() twice is harmless");
	a = btf_vmlinux();
	ok(a != NULL && tracepoint_exists(a, "sched_process_exec") == 1,
	   "after a release the next user parses it again");
	btf_release();
	return done_testing();
}
