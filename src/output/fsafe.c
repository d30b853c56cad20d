// SPDX-License-Identifier: GPL-2.0
/*
 * fsafe.c - trusted opens: no symlinks followed at the leaf, every directory
 * on the way owned by root and closed to group and others (root-owned
 * sticky directories excepted), checks made on the opened descriptors.
 * Group write counts only when the group has members besides the owner.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fsafe.h"
#include "log.h"

static bool trusted_owner(uid_t uid)
{
	return uid == 0 || uid == geteuid();
}

/*
 * Nobody but the owner is in group gid: no other account has it as its
 * primary group or is listed as a member.  A clone made by root under umask
 * 002 (the default of many distributions' accounts) is group-writable with
 * group root, which holds root alone; such a tree is as safe as a 0755 one.
 * OpenSSH's StrictModes applies the same rule in Debian.
 */
static bool group_is_owner_alone(gid_t gid, uid_t owner)
{
	struct passwd *pw;
	struct group *gr;
	bool alone = true;
	char **m;

	errno = 0;
	gr = getgrgid(gid);
	if (!gr)
		return false;	/* a group nobody can name: take it as shared */
	for (m = gr->gr_mem; *m; m++) {
		pw = getpwnam(*m);
		if (!pw || pw->pw_uid != owner)
			return false;
	}
	setpwent();
	while ((pw = getpwent()))
		if (pw->pw_gid == gid && pw->pw_uid != owner) {
			alone = false;
			break;
		}
	endpwent();
	return alone;
}

/* Others may write, or group members other than the owner may. */
static bool writable_by_others(const struct stat *st)
{
	if (st->st_mode & S_IWOTH)
		return true;
	return (st->st_mode & S_IWGRP) && !group_is_owner_alone(st->st_gid, st->st_uid);
}

/*
 * A directory on the way to the file: trusted owner, and either closed to
 * group and others or a root-owned sticky directory (/tmp).
 */
static int check_ancestor(const struct stat *st, const char *dir, const char *what,
			  const char *path, char *err, size_t errlen)
{
	if (!S_ISDIR(st->st_mode)) {
		tr_seterr(err, errlen, "%s %s: %s is not a directory", what, path, dir);
		return -ENOTDIR;
	}
	if (!trusted_owner(st->st_uid)) {
		tr_seterr(err, errlen,
		       "%s %s: directory %s is owned by uid %u, not root (use a path only root can change)",
		       what, path, dir, (unsigned int)st->st_uid);
		return -EPERM;
	}
	if (writable_by_others(st) && !((st->st_mode & S_ISVTX) && st->st_uid == 0)) {
		tr_seterr(err, errlen,
		       "%s %s: directory %s is writable by group or others (mode %04o; chmod go-w it or use another path)",
		       what, path, dir, (unsigned int)(st->st_mode & 07777));
		return -EPERM;
	}
	return 0;
}

/* The object itself (file or the directory asked for): no exceptions. */
static int check_leaf(const struct stat *st, bool want_dir, const char *what, const char *path,
		      char *err, size_t errlen)
{
	if (S_ISLNK(st->st_mode)) {
		tr_seterr(err, errlen,
		       "%s %s: is a symbolic link (refusing to follow it; give the real path)",
		       what, path);
		return -ELOOP;
	}
	if (want_dir && !S_ISDIR(st->st_mode)) {
		tr_seterr(err, errlen, "%s %s: not a directory (remove it or choose another path)",
		       what, path);
		return -ENOTDIR;
	}
	if (!want_dir && !S_ISREG(st->st_mode)) {
		tr_seterr(err, errlen, "%s %s: not a regular file", what, path);
		return -EINVAL;
	}
	if (!trusted_owner(st->st_uid)) {
		tr_seterr(err, errlen,
		       "%s %s: owned by uid %u, not root (remove it, or recreate it as root with mode 0%o)",
		       what, path, (unsigned int)st->st_uid, want_dir ? 0700 : 0644);
		return -EPERM;
	}
	if (writable_by_others(st)) {
		tr_seterr(err, errlen,
		       "%s %s: writable by group or others (mode %04o; chmod go-w it or remove it)",
		       what, path, (unsigned int)(st->st_mode & 07777));
		return -EPERM;
	}
	return 0;
}

/*
 * Split path into the parent directory and the last component.  The parent
 * is resolved (symlinks in it are allowed: what matters is the directory
 * that really holds the file, and every step of that is checked).
 */
static int split_path(const char *path, char **parent, const char **name, const char *what,
		      char *err, size_t errlen)
{
	const char *slash;
	char *dir;

	if (!path || !*path) {
		tr_seterr(err, errlen, "%s: empty path", what);
		return -EINVAL;
	}
	slash = strrchr(path, '/');
	if (slash && slash[1] == '\0') {
		tr_seterr(err, errlen, "%s %s: trailing '/' (give the path without it)", what, path);
		return -EINVAL;
	}
	if (!slash)
		dir = strdup(".");
	else if (slash == path)
		dir = strdup("/");
	else
		dir = strndup(path, slash - path);
	if (!dir)
		return -ENOMEM;
	*name = slash ? slash + 1 : path;
	if (!strcmp(*name, ".") || !strcmp(*name, "..")) {
		tr_seterr(err, errlen, "%s %s: ends in '%s' (give a plain name)", what, path, *name);
		free(dir);
		return -EINVAL;
	}
	*parent = realpath(dir, NULL);
	if (!*parent) {
		int e = errno;

		tr_seterr(err, errlen, "%s %s: directory %s: %s", what, path, dir, strerror(e));
		free(dir);
		return -e;
	}
	free(dir);
	return 0;
}

/*
 * Walk the resolved directory rp from / with O_NOFOLLOW, checking each
 * step.  Returns an O_PATH fd on rp, or -errno.
 */
static int walk_trusted(const char *rp, const char *what, const char *path, char *err,
			size_t errlen)
{
	char dir[PATH_MAX];
	const char *p = rp, *end;
	struct stat st;
	size_t len = 0;
	int fd, nfd, ret;

	fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		tr_seterr(err, errlen, "%s %s: open /: %s", what, path, strerror(-ret));
		return ret;
	}
	strcpy(dir, "/");
	for (;;) {
		if (fstat(fd, &st)) {
			ret = -errno;
			tr_seterr(err, errlen, "%s %s: stat %s: %s", what, path, dir, strerror(-ret));
			goto out_close;
		}
		ret = check_ancestor(&st, dir, what, path, err, errlen);
		if (ret)
			goto out_close;
		while (*p == '/')
			p++;
		if (!*p)
			return fd;
		end = strchrnul(p, '/');
		if (len + 1 + (size_t)(end - p) + 1 > sizeof(dir)) {
			ret = -ENAMETOOLONG;
			tr_seterr(err, errlen, "%s %s: path too long", what, path);
			goto out_close;
		}
		if (len)
			dir[len++] = '/';
		else
			len = 1;
		memcpy(dir + len, p, end - p);
		len += end - p;
		dir[len] = '\0';
		{
			char comp[NAME_MAX + 1];

			if ((size_t)(end - p) > NAME_MAX) {
				ret = -ENAMETOOLONG;
				tr_seterr(err, errlen, "%s %s: path too long", what, path);
				goto out_close;
			}
			memcpy(comp, p, end - p);
			comp[end - p] = '\0';
			nfd = openat(fd, comp, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		}
		if (nfd < 0) {
			ret = -errno;
			/* rp was resolved: a symlink or a missing step means it changed. */
			tr_seterr(err, errlen, "%s %s: directory %s: %s (did it change while tracee started?)",
			       what, path, dir, strerror(-ret));
			goto out_close;
		}
		close(fd);
		fd = nfd;
		p = end;
	}
out_close:
	close(fd);
	return ret;
}

/* Open the parent directory of path, trusted; *name points into path. */
static int open_parent(const char *path, const char **name, const char *what, char *err,
		       size_t errlen)
{
	char *parent = NULL;
	int ret;

	ret = split_path(path, &parent, name, what, err, errlen);
	if (ret)
		return ret;
	ret = walk_trusted(parent, what, path, err, errlen);
	free(parent);
	return ret;
}

static int lstat_leaf_error(int dfd, const char *name, bool want_dir, int e, const char *what,
			    const char *path, char *err, size_t errlen)
{
	struct stat st;

	if (e == ELOOP || e == ENOTDIR) {
		if (!fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW)) {
			int ret = check_leaf(&st, want_dir, what, path, err, errlen);

			if (ret)
				return ret;
		}
	}
	if (e == ENOENT)
		tr_seterr(err, errlen, "%s %s: does not exist", what, path);
	else
		tr_seterr(err, errlen, "%s %s: %s", what, path, strerror(e));
	return -e;
}

int fsafe_open_trusted(const char *path, int flags, const char *what, char *err, size_t errlen)
{
	struct stat st, st2;
	const char *name;
	int dfd, pfd, fd, ret;

	dfd = open_parent(path, &name, what, err, errlen);
	if (dfd < 0)
		return dfd;
	/* O_PATH first: no side effects (FIFOs, devices) before the checks. */
	pfd = openat(dfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (pfd < 0) {
		ret = lstat_leaf_error(dfd, name, false, errno, what, path, err, errlen);
		goto out_dfd;
	}
	if (fstat(pfd, &st)) {
		ret = -errno;
		tr_seterr(err, errlen, "%s %s: %s", what, path, strerror(-ret));
		goto out_pfd;
	}
	ret = check_leaf(&st, false, what, path, err, errlen);
	if (ret)
		goto out_pfd;
	fd = openat(dfd, name, (flags & ~O_CREAT) | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		ret = lstat_leaf_error(dfd, name, false, errno, what, path, err, errlen);
		goto out_pfd;
	}
	if (fstat(fd, &st2) || st2.st_dev != st.st_dev || st2.st_ino != st.st_ino) {
		close(fd);
		ret = -EAGAIN;
		tr_seterr(err, errlen, "%s %s: changed while being opened (try again)", what, path);
		goto out_pfd;
	}
	ret = fd;
out_pfd:
	close(pfd);
out_dfd:
	close(dfd);
	return ret;
}

static int check_dir_at(int dfd, const char *name, const char *what, const char *path,
			char *err, size_t errlen)
{
	struct stat st;
	int fd, ret;

	fd = openat(dfd, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return lstat_leaf_error(dfd, name, true, errno, what, path, err, errlen);
	if (fstat(fd, &st)) {
		ret = -errno;
		tr_seterr(err, errlen, "%s %s: %s", what, path, strerror(-ret));
	} else {
		ret = check_leaf(&st, true, what, path, err, errlen);
	}
	close(fd);
	return ret;
}

int fsafe_check_dir(const char *path, const char *what, char *err, size_t errlen)
{
	const char *name;
	int dfd, ret;

	dfd = open_parent(path, &name, what, err, errlen);
	if (dfd < 0)
		return dfd;
	ret = check_dir_at(dfd, name, what, path, err, errlen);
	close(dfd);
	return ret;
}

int fsafe_mkdir_private(const char *path, const char *what, char *err, size_t errlen)
{
	const char *name;
	struct stat st;
	int dfd, fd, ret;

	dfd = open_parent(path, &name, what, err, errlen);
	if (dfd < 0)
		return dfd;
	if (mkdirat(dfd, name, 0700) && errno != EEXIST) {
		ret = -errno;
		tr_seterr(err, errlen, "%s %s: cannot create it: %s", what, path, strerror(-ret));
		goto out;
	}
	ret = check_dir_at(dfd, name, what, path, err, errlen);
	if (ret)
		goto out;
	/* A umask may have left it narrower than 0700: owner needs rwx. */
	fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		tr_seterr(err, errlen, "%s %s: %s", what, path, strerror(-ret));
		goto out;
	}
	if (!fstat(fd, &st) && (st.st_mode & 0700) != 0700 && fchmod(fd, st.st_mode | 0700)) {
		ret = -errno;
		tr_seterr(err, errlen, "%s %s: chmod: %s", what, path, strerror(-ret));
	}
	close(fd);
out:
	close(dfd);
	return ret;
}

int fsafe_read_trusted(const char *path, size_t max_sz, const char *what, void **buf, size_t *sz,
		       char *err, size_t errlen)
{
	struct stat st;
	size_t got = 0;
	char *data;
	int fd, ret;

	fd = fsafe_open_trusted(path, O_RDONLY, what, err, errlen);
	if (fd < 0)
		return fd;
	if (fstat(fd, &st)) {
		ret = -errno;
		tr_seterr(err, errlen, "%s %s: %s", what, path, strerror(-ret));
		goto out_close;
	}
	if ((size_t)st.st_size > max_sz) {
		ret = -EFBIG;
		tr_seterr(err, errlen, "%s %s: %lld bytes, more than the %zu allowed", what, path,
		       (long long)st.st_size, max_sz);
		goto out_close;
	}
	data = malloc(st.st_size ? st.st_size : 1);
	if (!data) {
		ret = -ENOMEM;
		tr_seterr(err, errlen, "%s %s: out of memory", what, path);
		goto out_close;
	}
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, data + got, st.st_size - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			ret = n < 0 ? -errno : -EIO;
			tr_seterr(err, errlen, "%s %s: read: %s", what, path,
			       n < 0 ? strerror(-ret) : "file shrank while being read");
			free(data);
			goto out_close;
		}
		got += n;
	}
	*buf = data;
	*sz = got;
	ret = 0;
out_close:
	close(fd);
	return ret;
}
