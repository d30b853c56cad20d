// SPDX-License-Identifier: GPL-2.0
/*
 * test_fsafe.c - trusted opens: symlinks, modes, owners, directories,
 * private directory creation.  Runs as any user; the owner cases that need
 * chown run only as root.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fsafe.h"
#include "../tap.h"

static char base[64];
static char err[1024];

static const char *at(const char *rel)
{
	static char bufs[4][512];
	static int i;

	i = (i + 1) % 4;
	snprintf(bufs[i], sizeof(bufs[i]), "%s/%s", base, rel);
	return bufs[i];
}

static void put(const char *rel, const char *text, mode_t mode)
{
	int fd = open(at(rel), O_WRONLY | O_CREAT | O_TRUNC, 0600);

	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text) || fchmod(fd, mode)) {
		perror(rel);
		exit(1);
	}
	close(fd);
}

static void run(const char *cmd)
{
	if (system(cmd)) {
		fprintf(stderr, "failed: %s\n", cmd);
		exit(1);
	}
}

static int open_expect(const char *rel, int want, const char *needle, const char *desc)
{
	int fd;

	err[0] = '\0';
	fd = fsafe_open_trusted(at(rel), O_RDONLY, "eBPF object", err, sizeof(err));
	if (want >= 0) {
		ok(fd >= 0, "%s (got %d: %s)", desc, fd, err);
	} else {
		ok(fd == want, "%s: %s (got %d, want %d)", desc, err, fd, want);
		if (needle)
			ok(strstr(err, needle) != NULL, "%s: message says '%s'", desc, needle);
	}
	if (fd >= 0)
		close(fd);
	return fd;
}

int main(void)
{
	struct stat st;
	void *buf;
	size_t sz;
	int ret;

	snprintf(base, sizeof(base), "/tmp/tracee-unit-fsafe.XXXXXX");
	if (!mkdtemp(base)) {
		perror("mkdtemp");
		return 1;
	}
	chmod(base, 0755);

	put("obj.o", "hello", 0644);
	open_expect("obj.o", 0, NULL, "a 0644 file of ours in a 0755 dir opens");

	ret = symlink(at("obj.o"), at("link.o"));
	ok(ret == 0, "made a symlink");
	open_expect("link.o", -ELOOP, "symbolic link", "a symlinked object is refused");

	/*
	 * Group write: harmless when the group holds the owner alone (a clone
	 * made under umask 002), refused when others are in it: daemon's group
	 * has the daemon account, on every Debian.
	 */
	put("gw.o", "x", 0664);
	if (geteuid() == 0) {
		open_expect("gw.o", 0, NULL, "a group-writable file whose group is root's alone opens");
		ok(chown(at("gw.o"), -1, 1) == 0, "gave gw.o to daemon's group");
		open_expect("gw.o", -EPERM, "writable by group or others",
			    "a group-writable file whose group has others is refused");
	}
	put("ow.o", "x", 0646);
	open_expect("ow.o", -EPERM, "writable by group or others", "an other-writable file is refused");

	open_expect("missing.o", -ENOENT, "does not exist", "a missing file says so");

	mkdir(at("opendir"), 0777);
	chmod(at("opendir"), 0777);
	put("opendir/obj.o", "x", 0644);
	open_expect("opendir/obj.o", -EPERM, "directory", "a file in a world-writable dir is refused");

	mkdir(at("sticky"), 0755);
	chmod(at("sticky"), 01777);
	put("sticky/obj.o", "x", 0644);
	if (geteuid() == 0)
		open_expect("sticky/obj.o", 0, NULL, "a root file in a root-owned sticky dir (/tmp) opens");
	else
		open_expect("sticky/obj.o", -EPERM, "directory",
			    "a sticky dir not owned by root is not an exception");

	mkdir(at("dir"), 0755);
	put("dir/obj.o", "x", 0644);
	ret = symlink(at("dir"), at("dirlink"));
	ok(ret == 0, "made a directory symlink");
	open_expect("dirlink/obj.o", 0, NULL,
		    "a symlink above the file is resolved and the real dirs checked");
	open_expect("dir", -EINVAL, "not a regular file", "a directory is not an object");

	ret = mkfifo(at("fifo"), 0644);
	ok(ret == 0, "made a fifo");
	open_expect("fifo", -EINVAL, "not a regular file", "a fifo is refused without blocking");

	/* fsafe_read_trusted */
	buf = NULL;
	ret = fsafe_read_trusted(at("obj.o"), 1024, "object", &buf, &sz, err, sizeof(err));
	ok(ret == 0 && sz == 5 && !memcmp(buf, "hello", 5), "read_trusted reads the whole file");
	free(buf);
	ret = fsafe_read_trusted(at("obj.o"), 4, "object", &buf, &sz, err, sizeof(err));
	ok(ret == -EFBIG, "read_trusted refuses a file over the limit (%s)", err);
	ret = fsafe_read_trusted(at("link.o"), 1024, "object", &buf, &sz, err, sizeof(err));
	ok(ret == -ELOOP, "read_trusted refuses a symlink");

	/* Directories */
	ret = fsafe_mkdir_private(at("inst"), "install path", err, sizeof(err));
	ok(ret == 0, "mkdir_private creates a missing dir (%s)", ret ? err : "ok");
	if (lstat(at("inst"), &st))
		memset(&st, 0, sizeof(st));
	ok(S_ISDIR(st.st_mode) && (st.st_mode & 07777) == 0700,
	   "it is created 0700 (mode %04o)", (unsigned int)(st.st_mode & 07777));
	ret = fsafe_mkdir_private(at("inst"), "install path", err, sizeof(err));
	ok(ret == 0, "mkdir_private accepts it again");
	ok(fsafe_check_dir(at("inst"), "install path", err, sizeof(err)) == 0, "check_dir accepts it");
	/* (not root: no other group to give it to; others' write is refused alike) */
	chmod(at("inst"), geteuid() == 0 ? 0770 : 0772);
	if (geteuid() == 0) {
		ok(fsafe_check_dir(at("inst"), "install path", err, sizeof(err)) == 0,
		   "a group-writable dir whose group is root's alone is accepted");
		ok(chown(at("inst"), -1, 1) == 0, "gave inst to daemon's group");
	}
	ret = fsafe_mkdir_private(at("inst"), "install path", err, sizeof(err));
	ok(ret == -EPERM && strstr(err, "writable by group"), "a group-writable install dir is refused: %s",
	   err);
	ret = fsafe_check_dir(at("inst"), "install path", err, sizeof(err));
	ok(ret == -EPERM, "check_dir refuses it too");
	chmod(at("inst"), 0700);
	ret = symlink(at("inst"), at("instlink"));
	ret = fsafe_check_dir(at("instlink"), "install path", err, sizeof(err));
	ok(ret == -ELOOP && strstr(err, "symbolic link"), "a symlinked install dir is refused: %s", err);
	ret = fsafe_mkdir_private(at("instlink"), "install path", err, sizeof(err));
	ok(ret == -ELOOP, "mkdir_private refuses the symlink too");
	ret = fsafe_check_dir(at("nope"), "install path", err, sizeof(err));
	ok(ret == -ENOENT, "check_dir says -ENOENT for a missing dir");
	ret = fsafe_mkdir_private(at("nope/deeper"), "install path", err, sizeof(err));
	ok(ret == -ENOENT, "mkdir_private needs the parent: %s", err);
	ret = fsafe_mkdir_private(at("opendir/inst"), "install path", err, sizeof(err));
	ok(ret == -EPERM, "mkdir_private refuses a world-writable parent: %s", err);
	ret = fsafe_mkdir_private(at("obj.o"), "install path", err, sizeof(err));
	ok(ret == -ENOTDIR, "a file where the dir should be is refused: %s", err);

	/* Owners: only root can make files owned by someone else. */
	if (geteuid() == 0) {
		put("nobody.o", "x", 0644);
		ret = chown(at("nobody.o"), 65534, 65534);
		open_expect("nobody.o", -EPERM, "owned by uid 65534", "a file owned by nobody is refused");
		mkdir(at("nbdir"), 0755);
		put("nbdir/obj.o", "x", 0644);
		ret = chown(at("nbdir"), 65534, 65534);
		open_expect("nbdir/obj.o", -EPERM, "owned by uid 65534",
			    "a file in a dir owned by nobody is refused");
		ret = fsafe_check_dir(at("nbdir"), "install path", err, sizeof(err));
		ok(ret == -EPERM && strstr(err, "not root"), "an install dir owned by nobody is refused: %s",
		   err);
	} else {
		skip(5, "owner cases need root (chown)");
	}

	{
		char cmd[128];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", base);
		run(cmd);
	}
	return done_testing();
}
