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
 * O_NOFOLLOW.  A symlink on the way is followed only when nobody else can
 * have planted or swapped it: in a directory writable by group or others
 * (/tmp), only when that directory is sticky and the link belongs to us or
 * to the directory's owner (fs.protected_symlinks' rule, whether or not
 * that is on).  Returns an O_PATH directory fd and sets *base to the last
 * component (inside path), or -errno after writing one line to err naming
 * the problem and the fix (-ELOOP for a refused symlink, -EISDIR when path
 * names no file).
 */
int pathwalk_open_parent(const char *path, const char **base, char *err, size_t errlen);

#endif /* TRACEE_PATHWALK_H */
