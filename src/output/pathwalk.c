// SPDX-License-Identifier: GPL-2.0
/*
 * pathwalk.c - reach the directory of a file to write, never through a
 * directory or a symlink someone else controls.
 *
 * Each component is opened relative to the previous one (openat), so what
 * was checked is what is used: no path is looked up twice.  A symlink is
 * not handed to the kernel to resolve: its target is read and walked
 * component by component in turn, so the directories a link passes through
 * are checked like the ones named.  A relative path is walked from / via
 * the working directory's path, so the directories above it are checked too.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pathwalk.h"

/* As the kernel's own bound on nested links (MAXSYMLINKS). */
#define MAX_LINKS	40

/* Whose directories may hold what we write: root's and our own. */
static int trusted_owner(uid_t uid)
{
	return uid == 0 || uid == geteuid();
}

/*
 * Every directory reached (named, or passed through by a link) must be
 * owned by root or us: its owner can rename and replace what is in it, and
 * so send the file onto another one of ours.
 */
static int check_dir(int fd, const char *shown, char *err, size_t errlen)
{
	struct stat st;

	if (fstat(fd, &st)) {
		snprintf(err, errlen, "directory %s: %s", shown, strerror(errno));
		return -errno;
	}
	if (!trusted_owner(st.st_uid)) {
		snprintf(err, errlen,
			 "directory %s is owned by uid %u, neither root nor uid %u: its owner could redirect the file (write under a directory owned by root or uid %u)",
			 shown, (unsigned int)st.st_uid, (unsigned int)geteuid(),
			 (unsigned int)geteuid());
		return -EPERM;
	}
	return 0;
}

/*
 * May the symlink `link` in the directory `dir` be followed?  Its directory
 * is ours or root's (check_dir ran on it); if nobody else can write to it,
 * the link is the owner's.  In a directory others can write to (/tmp),
 * only a sticky one keeps others from swapping a link of ours or of its
 * owner (fs.protected_symlinks' rule, whether or not that is on).
 */
static int link_trusted(const struct stat *dir, const struct stat *link)
{
	if (!(dir->st_mode & (S_IWGRP | S_IWOTH)))
		return 1;
	return (dir->st_mode & S_ISVTX) &&
	       (link->st_uid == geteuid() || link->st_uid == dir->st_uid);
}

/* Append "/comp" (or "comp" after "/") to the path shown in messages. */
static void shown_add(char *shown, size_t sz, const char *comp)
{
	size_t len = strlen(shown);

	snprintf(shown + len, sz - len, "%s%s", len > 1 ? "/" : "", comp);
}

/* Start again at / (the walk's start, and an absolute link's). */
static int open_root(int fd, char *shown, size_t shown_sz, char *err, size_t errlen)
{
	int ret;

	if (fd >= 0)
		close(fd);
	fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		snprintf(err, errlen, "directory /: %s", strerror(errno));
		return ret;
	}
	snprintf(shown, shown_sz, "/");
	ret = check_dir(fd, shown, err, errlen);
	if (ret) {
		close(fd);
		return ret;
	}
	return fd;
}

/*
 * Follow the symlink comp in the directory fd, if it may be: its target
 * followed by the rest of the walk becomes the walk (todo).  Returns the
 * directory to go on from (fd, or / for an absolute target) or -errno.
 */
static int follow(int fd, const char *comp, const struct stat *link, char *todo, size_t todo_sz,
		  const char *rest, char *shown, size_t shown_sz, char *err, size_t errlen)
{
	char target[PATH_MAX], next[2 * PATH_MAX];
	struct stat dir;
	ssize_t n;

	if (fstat(fd, &dir)) {
		snprintf(err, errlen, "directory %s: %s", shown, strerror(errno));
		goto fail_errno;
	}
	if (!link_trusted(&dir, link)) {
		snprintf(err, errlen,
			 "%s%s%s is a symbolic link of uid %u in a directory others can write to; refusing to follow it (name the real directory)",
			 shown, strlen(shown) > 1 ? "/" : "", comp, (unsigned int)link->st_uid);
		close(fd);
		return -ELOOP;
	}
	n = readlinkat(fd, comp, target, sizeof(target));
	if (n < 0) {
		snprintf(err, errlen, "%s/%s: %s", shown, comp, strerror(errno));
		goto fail_errno;
	}
	if ((size_t)n >= sizeof(target) ||
	    snprintf(next, sizeof(next), "%.*s/%s", (int)n, target, rest) >= (int)todo_sz) {
		snprintf(err, errlen, "%s/%s: %s", shown, comp, strerror(ENAMETOOLONG));
		close(fd);
		return -ENAMETOOLONG;
	}
	strcpy(todo, next);
	if (target[0] == '/')
		return open_root(fd, shown, shown_sz, err, errlen);
	return fd;

fail_errno:
	n = -errno;
	close(fd);
	return n;
}

int pathwalk_open_parent(const char *path, const char **base, char *err, size_t errlen)
{
	char todo[2 * PATH_MAX], shown[2 * PATH_MAX], comp[NAME_MAX + 1];
	const char *slash = strrchr(path, '/');
	int fd, nfd, ret, links = 0;
	size_t dirlen = slash ? (size_t)(slash - path) : 0;
	char *p;

	*base = slash ? slash + 1 : path;
	if (!**base || !strcmp(*base, ".") || !strcmp(*base, "..")) {
		snprintf(err, errlen, "%s names a directory, not a file (add a file name)", path);
		return -EISDIR;
	}
	todo[0] = '\0';
	if (path[0] != '/' && !getcwd(todo, PATH_MAX)) {
		ret = -errno;
		snprintf(err, errlen, "%s: the working directory: %s (give an absolute path)", path,
			 strerror(errno));
		return ret;
	}
	if (strlen(todo) + 1 + dirlen >= sizeof(todo)) {
		snprintf(err, errlen, "%s: %s", path, strerror(ENAMETOOLONG));
		return -ENAMETOOLONG;
	}
	snprintf(todo + strlen(todo), sizeof(todo) - strlen(todo), "/%.*s", (int)dirlen, path);

	fd = open_root(-1, shown, sizeof(shown), err, errlen);
	for (p = todo; fd >= 0; ) {
		size_t n;
		struct stat link;

		p += strspn(p, "/");
		if (!*p)
			return fd;
		n = strcspn(p, "/");
		if (n > NAME_MAX) {
			snprintf(err, errlen, "%s: %s", path, strerror(ENAMETOOLONG));
			close(fd);
			return -ENAMETOOLONG;
		}
		memcpy(comp, p, n);
		comp[n] = '\0';
		p += n;
		if (!strcmp(comp, "."))
			continue;
		nfd = openat(fd, comp, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		/* O_PATH|O_NOFOLLOW|O_DIRECTORY on a symlink: ENOTDIR (ELOOP elsewhere). */
		if (nfd < 0 && (errno == ELOOP || errno == ENOTDIR) &&
		    !fstatat(fd, comp, &link, AT_SYMLINK_NOFOLLOW) && S_ISLNK(link.st_mode)) {
			if (++links > MAX_LINKS) {
				snprintf(err, errlen, "%s: %s", path, strerror(ELOOP));
				close(fd);
				return -ELOOP;
			}
			/* p points into todo: follow() copies the rest before rewriting it. */
			fd = follow(fd, comp, &link, todo, sizeof(todo), p, shown, sizeof(shown),
				    err, errlen);
			p = todo;
			continue;
		}
		shown_add(shown, sizeof(shown), comp);
		if (nfd < 0) {
			ret = -errno;
			snprintf(err, errlen, "directory %s: %s", shown, strerror(errno));
			close(fd);
			return ret;
		}
		close(fd);
		ret = check_dir(nfd, shown, err, errlen);
		if (ret) {
			close(nfd);
			return ret;
		}
		fd = nfd;
	}
	return fd;
}
