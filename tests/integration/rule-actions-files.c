// SPDX-License-Identifier: GPL-2.0
/*
 * rule-actions-files - perform the file behaviours of the TRC-20xx rules (or
 * their benign twins) for real, under a command name of the test's choosing,
 * for tests/integration/sig_live_files_*.sh.
 *
 *   rule-actions-files NAME [SETUP...] STEP...
 *
 * NAME becomes the process's comm first.  SETUP steps give the process a
 * private mount namespace (only when --tmpfs is used) so that files under
 * system directories are made on a tmpfs nobody else sees, gone with it:
 *
 *   --tmpfs DIR	a tmpfs over DIR
 *   --mkfile PATH	mknod(2) a regular file, its parents with mkdir(2)
 *
 * Then each STEP in order; the first that fails ends the program with one
 * line on stderr and exit status 1:
 *
 *   open PATH r|w|a|t|c	open(2) for reading, writing, appending, writing
 *				with O_TRUNC, writing with O_CREAT; close
 *   write PATH TEXT		create or truncate PATH, write TEXT at offset 0
 *   unlink PATH | mkdir PATH | truncate PATH | chdir DIR
 *				the syscall of that name (truncate: to 0 bytes)
 *   ftruncate PATH		open PATH for writing, then ftruncate(2) it to 0
 *   rename OLD NEW | link OLD NEW | symlink TARGET LINK
 *   sleep SECONDS
 *   unlinkmany DIR N		create N files in DIR, then unlink(2) them
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *prog = "rule-actions-files";

static int fail(const char *what, const char *arg)
{
	fprintf(stderr, "%s: %s %s: %s\n", prog, what, arg, strerror(errno));
	return 1;
}

/* parents of PATH, as mkdir -p would; existing ones are fine */
static int make_parents(const char *path)
{
	char buf[PATH_MAX];
	char *p;

	if (snprintf(buf, sizeof(buf), "%s", path) >= (int)sizeof(buf)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	for (p = buf + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		if (mkdir(buf, 0755) && errno != EEXIST)
			return -1;
		*p = '/';
	}
	return 0;
}

static int private_mounts(void)
{
	static int done;

	if (done)
		return 0;
	/* our own copy of the mount table; nothing made here is seen outside */
	if (unshare(CLONE_NEWNS) || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
		return -1;
	done = 1;
	return 0;
}

static int do_open(const char *path, const char *mode)
{
	int flags, fd;

	switch (mode[0]) {
	case 'r': flags = O_RDONLY; break;
	case 'w': flags = O_WRONLY; break;
	case 'a': flags = O_WRONLY | O_APPEND; break;
	case 't': flags = O_WRONLY | O_TRUNC; break;
	case 'c': flags = O_WRONLY | O_CREAT; break;
	default:
		fprintf(stderr, "%s: open mode '%s': use r, w, a, t or c\n", prog, mode);
		return 1;
	}
	fd = open(path, flags, 0644);
	if (fd < 0)
		return fail("open", path);
	close(fd);
	return 0;
}

static int do_write(const char *path, const char *text)
{
	size_t len = strlen(text);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (fd < 0)
		return fail("open", path);
	if (write(fd, text, len) != (ssize_t)len) {
		close(fd);
		return fail("write", path);
	}
	close(fd);
	return 0;
}

static int do_ftruncate(const char *path)
{
	int fd = open(path, O_WRONLY);

	if (fd < 0)
		return fail("open", path);
	if (ftruncate(fd, 0)) {
		close(fd);
		return fail("ftruncate", path);
	}
	close(fd);
	return 0;
}

static int do_unlinkmany(const char *dir, const char *count)
{
	char path[PATH_MAX];
	long i, n = strtol(count, NULL, 10);
	int fd;

	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/f%ld", dir, i);
		fd = open(path, O_WRONLY | O_CREAT, 0644);
		if (fd < 0)
			return fail("open", path);
		close(fd);
	}
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/f%ld", dir, i);
		if (unlink(path))
			return fail("unlink", path);
	}
	return 0;
}

int main(int argc, char **argv)
{
	int i = 2;

	if (argc < 3) {
		fprintf(stderr, "usage: %s NAME [SETUP...] STEP...\n", prog);
		return 2;
	}
	prctl(PR_SET_NAME, argv[1]);
	for (; i + 1 < argc && !strncmp(argv[i], "--", 2); i += 2) {
		const char *arg = argv[i + 1];

		if (!strcmp(argv[i], "--tmpfs")) {
			if (private_mounts())
				return fail("private mount namespace for", arg);
			if (mount("tmpfs", arg, "tmpfs", 0, "mode=0755"))
				return fail("mount tmpfs on", arg);
		} else if (!strcmp(argv[i], "--mkfile")) {
			if (make_parents(arg) || mknod(arg, S_IFREG | 0644, 0))
				return fail("mkfile", arg);
		} else {
			fprintf(stderr, "%s: unknown setup '%s' (use --tmpfs or --mkfile)\n", prog,
				argv[i]);
			return 2;
		}
	}
	while (i < argc) {
		const char *step = argv[i], *a = i + 1 < argc ? argv[i + 1] : NULL;
		const char *b = i + 2 < argc ? argv[i + 2] : NULL;
		int two = 0, rc = 0;

		if (!a)
			goto usage;
		if (!strcmp(step, "unlink")) {
			rc = unlink(a) ? fail("unlink", a) : 0;
		} else if (!strcmp(step, "mkdir")) {
			rc = mkdir(a, 0755) ? fail("mkdir", a) : 0;
		} else if (!strcmp(step, "truncate")) {
			rc = truncate(a, 0) ? fail("truncate", a) : 0;
		} else if (!strcmp(step, "chdir")) {
			rc = chdir(a) ? fail("chdir", a) : 0;
		} else if (!strcmp(step, "ftruncate")) {
			rc = do_ftruncate(a);
		} else if (!strcmp(step, "sleep")) {
			sleep((unsigned int)strtoul(a, NULL, 10));
		} else {
			if (!b)
				goto usage;
			two = 1;
			if (!strcmp(step, "open"))
				rc = do_open(a, b);
			else if (!strcmp(step, "write"))
				rc = do_write(a, b);
			else if (!strcmp(step, "rename"))
				rc = rename(a, b) ? fail("rename", a) : 0;
			else if (!strcmp(step, "link"))
				rc = link(a, b) ? fail("link", a) : 0;
			else if (!strcmp(step, "symlink"))
				rc = symlink(a, b) ? fail("symlink", b) : 0;
			else if (!strcmp(step, "unlinkmany"))
				rc = do_unlinkmany(a, b);
			else
				goto usage;
		}
		if (rc)
			return rc;
		i += two ? 3 : 2;
	}
	return 0;
usage:
	fprintf(stderr, "%s: step '%s': unknown or missing its arguments\n", prog, argv[i]);
	return 2;
}
