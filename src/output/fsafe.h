/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fsafe.h - open files a privileged process is about to trust (eBPF objects,
 * BTF files, scripts) and create private directories, without letting an
 * unprivileged user swap them underneath.
 *
 * Trusted means:
 *   - the file itself is not a symlink (never followed) and is a regular
 *     file (or a directory where one is asked for);
 *   - it is owned by root (or by the effective user, for unprivileged runs)
 *     and not writable by group or others;
 *   - every directory above it, after resolving the parent path, is owned by
 *     root (or the effective user) and not writable by group or others,
 *     except root-owned sticky directories such as /tmp, where nobody can
 *     rename or remove what another user owns.
 * The checks run on the opened descriptor (fstat), so what was checked is
 * what is read.
 *
 * Every function returns a negative errno on failure and writes one line to
 * err (when non-NULL) naming the path, the problem and the fix, prefixed by
 * `what` ("eBPF object", "install path", ...).  The caller reports it.
 */
#ifndef TRACEE_FSAFE_H
#define TRACEE_FSAFE_H

#include <stddef.h>
#include <sys/types.h>

/*
 * Open a trusted regular file.  flags are open(2) flags (O_RDONLY usually);
 * O_NOFOLLOW and O_CLOEXEC are always added.  Returns the fd or -errno
 * (-ENOENT when it does not exist, -EPERM when it is not trustworthy).
 */
int fsafe_open_trusted(const char *path, int flags, const char *what, char *err, size_t errlen);

/*
 * Check that path is a trusted directory (not a symlink, owned by root or
 * the effective user, not writable by group or others, trusted parents).
 * Returns 0, -ENOENT when missing, or another -errno.
 */
int fsafe_check_dir(const char *path, const char *what, char *err, size_t errlen);

/*
 * Make sure path is a private directory: create it 0700 when missing (the
 * parent must be trusted), otherwise check it as fsafe_check_dir() does.
 * Returns 0 or -errno.
 */
int fsafe_mkdir_private(const char *path, const char *what, char *err, size_t errlen);

/*
 * Read a whole trusted file (at most max_sz bytes) into a malloc'd buffer.
 * Returns 0 with *buf and *sz set, or -errno (-EFBIG when larger).
 */
int fsafe_read_trusted(const char *path, size_t max_sz, const char *what, void **buf, size_t *sz,
		       char *err, size_t errlen);

#endif /* TRACEE_FSAFE_H */
