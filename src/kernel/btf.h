/* SPDX-License-Identifier: GPL-2.0 */
/*
 * btf.h - the BTF that describes the running kernel: where it comes from
 * (--btf, TRACEE_BTF_FILE or /sys/kernel/btf/vmlinux), parsed once and
 * shared by the feature probes, the event availability checks and the
 * loader's program gating.
 */
#ifndef TRACEE_BTF_H
#define TRACEE_BTF_H

#include <stddef.h>

struct btf;

/*
 * Where BTF for the running kernel comes from: the explicit path (--btf or
 * TRACEE_BTF_FILE, checked for safety and for being BTF), else
 * /sys/kernel/btf/vmlinux.  Returns 1 with the path in out (empty string for
 * the kernel's own), 0 when there is none, negative errno on a bad explicit
 * file (reported).
 */
int btf_locate(const char *explicit_path, char *out, size_t outlen);

/*
 * The kernel's own BTF (/sys/kernel/btf/vmlinux), parsed on first use and
 * kept until btf_release().  NULL with errno set when the kernel has none.
 * Main thread only: the cache has no lock.
 */
const struct btf *btf_vmlinux(void);

/*
 * The BTF a CO-RE object resolves against: path (an explicit file that
 * btf_locate() accepted) or, for NULL or "", the kernel's.  Parsed once,
 * kept until btf_release().  NULL with errno set when there is none.
 */
const struct btf *btf_target(const char *path);

/*
 * Free what btf_vmlinux() and btf_target() hold (they parse again if
 * called later).  The loader calls it once the programs are chosen, main
 * at exit; NULL-safe by construction, callable any number of times.
 */
void btf_release(void);

#endif /* TRACEE_BTF_H */
