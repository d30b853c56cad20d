/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pathwalk.h - the directory a file tracee writes (an output, the pidfile)
 * goes in, reached without following symlinks others could have planted.
 */
#ifndef TRACEE_PATHWALK_H
#define TRACEE_PATHWALK_H

#include <stddef.h>

/*
 * Open the directory that holds path, component by component with
 * O_NOFOLLOW, from / (a relative path through the working directory's).
 * Every directory reached must be owned by root or by the effective user:
 * the owner of a directory on the way could otherwise rename or replace
 * what is in it and send the file onto another of ours (OpenSSH's
 * StrictModes rule).  A symlink on the way is followed only when nobody
 * else can have planted or swapped it: in a directory closed to group and
 * others, or in a sticky one (/tmp) when the link belongs to us or to the
 * directory's owner (fs.protected_symlinks' rule, whether or not that is
 * on).  Its target is walked with the same checks, never resolved by the
 * kernel.  Returns an O_PATH directory fd and sets *base to the last
 * component (inside path), or -errno after writing one line to err naming
 * the problem and the fix (-ELOOP for a refused symlink, -EPERM for a
 * directory of another user, -EISDIR when path names no file).
 */
int pathwalk_open_parent(const char *path, const char **base, char *err, size_t errlen);

#endif /* TRACEE_PATHWALK_H */
