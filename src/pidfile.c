// SPDX-License-Identifier: GPL-2.0
/*
 * pidfile.c - --pidfile, held by an flock(2) lock for the whole run.
 *
 * A pid in a file says nothing once its process is gone: the pid may be
 * reused by anything.  The lock does: the kernel releases it when the
 * holder dies, SIGKILL included.  So:
 *   - lock taken: whatever the file says is stale (a killed tracee); take
 *     it over;
 *   - lock held: a live tracee owns the pidfile; refuse, naming its pid.
 * The file's contents change only once every probe is attached (readers
 * wait for a pid), by renaming a complete, already locked file over it.
 * Whoever opened the old file then finds it replaced and tries again.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "log.h"
#include "pathwalk.h"
#include "pidfile.h"

#define LOCK_TRIES	16	/* replaced under us this often: give up */

struct pidfile {
	char *path;		/* for messages */
	int dfd;		/* its directory (O_PATH) */
	char *name;		/* its name in there */
	int fd;			/* locked; the file name names */
};

/* The pid a pidfile holds, or 0 (empty, or not a pid). */
static int read_pid(int fd)
{
	char buf[24], *end;
	ssize_t n;
	long v;

	n = pread(fd, buf, sizeof(buf) - 1, 0);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	errno = 0;
	v = strtol(buf, &end, 10);
	if (errno || end == buf || (*end && *end != '\n') || v <= 0 || v > INT_MAX)
		return 0;
	return (int)v;
}

/* Who holds the flock on st's file (/proc/locks), or 0. */
static int lock_holder(const struct stat *st)
{
	char line[256], kind[16];
	unsigned int maj, min;
	unsigned long ino;
	int pid = 0, p;
	FILE *f;

	f = fopen("/proc/locks", "re");
	if (!f)
		return 0;
	/* "1: FLOCK  ADVISORY  WRITE 1234 fd:01:5678 0 EOF"; waiters have "->" */
	while (!pid && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%*d: %15s %*s %*s %d %x:%x:%lu", kind, &p, &maj, &min, &ino) == 5 &&
		    !strcmp(kind, "FLOCK") && maj == major(st->st_dev) && min == minor(st->st_dev) &&
		    ino == (unsigned long)st->st_ino)
			pid = p;
	}
	fclose(f);
	return pid;
}

/* What pid now is, for the take-over message. */
static void describe_pid(int pid, char *buf, size_t sz)
{
	char path[64], comm[32] = "";
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/comm", pid);
	f = fopen(path, "re");
	if (f) {
		if (fgets(comm, sizeof(comm), f))
			comm[strcspn(comm, "\n")] = '\0';
		fclose(f);
	}
	if (comm[0])
		snprintf(buf, sz, "pid %d, now '%s' and not holding the lock", pid, comm);
	else
		snprintf(buf, sz, "pid %d, no longer running", pid);
}

static int same_file(int dfd, const char *name, const struct stat *st)
{
	struct stat now;

	return !fstatat(dfd, name, &now, AT_SYMLINK_NOFOLLOW) && now.st_dev == st->st_dev &&
	       now.st_ino == st->st_ino;
}

struct pidfile *pidfile_lock(const char *path)
{
	char who[96], err[PATH_MAX + 160];
	const char *name;
	struct pidfile *p;
	struct stat st;
	int dfd, fd = -1, tries, old;

	/* Not through a directory symlink others planted in /tmp and the like. */
	dfd = pathwalk_open_parent(path, &name, err, sizeof(err));
	if (dfd < 0) {
		tr_err("--pidfile %s: %s", path, err);
		return NULL;
	}
	for (tries = 0; tries < LOCK_TRIES; tries++) {
		fd = openat(dfd, name, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY, 0644);
		if (fd < 0) {
			if (errno == ELOOP)
				tr_err("--pidfile %s is a symbolic link; refusing to follow it (name the file itself)",
				       path);
			else
				tr_err("--pidfile %s: %s (choose a file in a writable directory)", path,
				       strerror(errno));
			goto err_dir;
		}
		if (fstat(fd, &st)) {
			tr_err("--pidfile %s: %s", path, strerror(errno));
			goto err_close;
		}
		if (!S_ISREG(st.st_mode)) {
			tr_err("--pidfile %s is not a regular file (name a file)", path);
			goto err_close;
		}
		if (st.st_uid != geteuid()) {
			tr_err("--pidfile %s belongs to uid %u, not to us; refusing to take it (remove it or choose another file)",
			       path, (unsigned int)st.st_uid);
			goto err_close;
		}
		if (flock(fd, LOCK_EX | LOCK_NB)) {
			int holder;

			if (errno != EWOULDBLOCK) {
				tr_err("--pidfile %s: cannot lock it: %s", path, strerror(errno));
				goto err_close;
			}
			holder = lock_holder(&st);
			if (!holder)
				holder = read_pid(fd);
			if (holder)
				tr_err("--pidfile %s is held by a running tracee, pid %d (stop it first, or give this one another --pidfile)",
				       path, holder);
			else
				tr_err("--pidfile %s is held by a running tracee (stop it first, or give this one another --pidfile)",
				       path);
			goto err_close;
		}
		/* Still the file path names?  Its holder may have replaced it meanwhile. */
		if (same_file(dfd, name, &st))
			break;
		close(fd);
		fd = -1;
	}
	if (fd < 0) {
		tr_err("--pidfile %s keeps being replaced; is something else writing it? (choose another file)",
		       path);
		goto err_dir;
	}
	old = read_pid(fd);
	if (old && old != getpid()) {
		describe_pid(old, who, sizeof(who));
		tr_verbose(1, "--pidfile %s: taking it over from %s (a tracee that was killed left it)",
			   path, who);
	}
	p = calloc(1, sizeof(*p));
	if (!p || !(p->path = strdup(path)) || !(p->name = strdup(name))) {
		if (p)
			free(p->path);
		free(p);
		tr_err("--pidfile %s: out of memory", path);
		goto err_close;
	}
	p->dfd = dfd;
	p->fd = fd;
	return p;

err_close:
	close(fd);
err_dir:
	close(dfd);
	return NULL;
}

int pidfile_write(struct pidfile *p)
{
	char tmp[NAME_MAX + 1], buf[24];
	int fd = -1, n, err, tries;

	if (!p)
		return -EINVAL;
	/* mkostemp() in p->dfd: a random name, created exclusively, never followed. */
	for (tries = 0; tries < 64 && fd < 0; tries++) {
		uint64_t r = 0;

		if (getrandom(&r, sizeof(r), GRND_NONBLOCK) != sizeof(r))
			r = ((uint64_t)random() << 32) ^ (uint64_t)random() ^ (uint64_t)getpid();
		snprintf(tmp, sizeof(tmp), ".%.200s.%016llx", p->name, (unsigned long long)r);
		fd = openat(p->dfd, tmp, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd < 0 && errno != EEXIST)
			break;
	}
	if (fd < 0) {
		err = -errno;
		tr_err("--pidfile %s: cannot write it: %s (choose a writable directory)", p->path,
		       strerror(errno));
		return err;
	}
	n = snprintf(buf, sizeof(buf), "%d\n", (int)getpid());
	errno = 0;
	/* Locked before it is visible: no moment where path names an unlocked file. */
	if (write(fd, buf, n) != n || fchmod(fd, 0644) || flock(fd, LOCK_EX | LOCK_NB) ||
	    renameat(p->dfd, tmp, p->dfd, p->name)) {
		err = errno ? -errno : -EIO;
		tr_err("--pidfile %s: cannot write it: %s", p->path, strerror(-err));
		unlinkat(p->dfd, tmp, 0);
		close(fd);
		return err;
	}
	close(p->fd);
	p->fd = fd;
	return 0;
}

void pidfile_release(struct pidfile *p)
{
	struct stat st;

	if (!p)
		return;
	/* Only our own file: nobody else can have replaced it while we held the lock. */
	if (!fstat(p->fd, &st) && same_file(p->dfd, p->name, &st))
		unlinkat(p->dfd, p->name, 0);
	close(p->fd);
	close(p->dfd);
	free(p->name);
	free(p->path);
	free(p);
}
