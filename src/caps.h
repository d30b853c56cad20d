/* SPDX-License-Identifier: GPL-2.0 */
/*
 * caps.h - the capabilities tracee needs, checked before loading, and the
 * ones it no longer needs, dropped after attaching.
 */
#ifndef TRACEE_CAPS_H
#define TRACEE_CAPS_H

#include <stdbool.h>
#include <stdint.h>

/*
 * Before touching the kernel: the effective set must hold CAP_BPF and
 * CAP_PERFMON (or CAP_SYS_ADMIN, which older kernels require instead).
 * Returns 0, or -EPERM after one line naming what is missing and the fix:
 * "not permitted (needs CAP_BPF and CAP_PERFMON, or root): missing ...".
 */
int caps_check_bpf(void);
/* The same test, quiet: can this process load tracing programs at all? */
bool caps_have_bpf(void);

/*
 * After every program is attached and the ring/perf buffer is mapped:
 * drop every capability but CAP_SYS_PTRACE and CAP_DAC_READ_SEARCH (the
 * process tree and container ids read /proc/<pid>/{exe,cgroup,...} of any
 * process) from the effective, permitted, inheritable, ambient and bounding
 * sets, so nothing tracee runs later (a --script-unsafe script's
 * os.execute) gets them back.  map_fd (any map tracee holds) probes whether
 * this kernel still lets us use bpf() on our own maps without CAP_BPF
 * (kernels before 6.3 with kernel.unprivileged_bpf_disabled do not): if
 * not, CAP_BPF (or CAP_SYS_ADMIN) is kept.  Returns 0 or -errno; failing to
 * drop is reported and is not fatal.
 */
int caps_drop_after_attach(int map_fd);

/* The effective set as a bit mask (bit n = capability n); for tests/messages. */
uint64_t caps_effective(void);

#endif /* TRACEE_CAPS_H */
