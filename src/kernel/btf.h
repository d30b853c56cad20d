/* SPDX-License-Identifier: GPL-2.0 */
/*
 * btf.h - find the BTF that CO-RE relocations resolve against.
 */
#ifndef TRACEE_BTF_H
#define TRACEE_BTF_H

#include <stddef.h>

/*
 * Where BTF for the running kernel comes from: the explicit path (--btf or
 * TRACEE_BTF_FILE, checked for safety and for being BTF), else
 * /sys/kernel/btf/vmlinux.  Returns 1 with the path in out (empty string for
 * the kernel's own), 0 when there is none, negative errno on a bad explicit
 * file (reported).
 */
int btf_locate(const char *explicit_path, char *out, size_t outlen);

#endif /* TRACEE_BTF_H */
