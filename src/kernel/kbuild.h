/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kbuild.h - build the kernel-specific object for the running kernel at run
 * time, from the installed BPF sources, with clang and the kernel headers.
 */
#ifndef TRACEE_KBUILD_H
#define TRACEE_KBUILD_H

#include <stddef.h>

/*
 * Build into dir (the install path) an object named
 * tracee.bpf.<release>.<version>.o; headers NULL means the running kernel's
 * (/lib/modules/<release>/build, plus its source dir on split layouts).
 * Returns 0 with the object path in out, or a negative errno (reported).
 */
int kbuild_build(const char *src_dir, const char *headers, const char *release,
		 const char *dir, char *out, size_t outlen);

/*
 * The kernel release a headers dir is for (include/generated/utsrelease.h
 * of a build dir or of DIR/build; else what src_dir/kheaders.sh says, which
 * also knows source dirs).  Returns 0 or -errno.
 */
int kbuild_headers_release(const char *src_dir, const char *headers, char *out, size_t outlen);

#endif /* TRACEE_KBUILD_H */
