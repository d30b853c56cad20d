/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pidfile.h - --pidfile: one tracee per pidfile, held by a lock.
 *
 * The pidfile is locked (flock) from start-up to exit: the kernel drops the
 * lock when the process dies, however it dies.  So a pidfile left behind by
 * a killed tracee is simply taken over, and one held by a live tracee is
 * refused, without guessing from a pid that may have been reused.
 */
#ifndef TRACEE_PIDFILE_H
#define TRACEE_PIDFILE_H

struct pidfile;

/*
 * Before anything touches the kernel: open (create 0644 if missing) and
 * lock path.  A stale pidfile is taken over (said at -v).  NULL after one
 * line on stderr when another tracee holds it or the path is unusable
 * (a symlink, not a regular file, another user's file).
 */
struct pidfile *pidfile_lock(const char *path);
/*
 * Once every probe is attached: write our pid, atomically (a new file
 * renamed over the old one, locked before the rename).  Returns 0 or -errno
 * after one line on stderr.
 */
int pidfile_write(struct pidfile *p);
/* Remove the pidfile (if it is still ours), unlock and free; NULL-safe. */
void pidfile_release(struct pidfile *p);

#endif /* TRACEE_PIDFILE_H */
