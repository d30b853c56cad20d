// SPDX-License-Identifier: GPL-2.0
/*
 * pathwalk.c - reach the directory of a file to write, never through a
 * symlink someone else planted in a shared directory.
 *
 * Each component is opened relative to the previous one (openat), so what
 * was checked is what is used: no path is looked up twice.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pathwalk.h"

int pathwalk_open_parent(const char *path, const char **base, char *err, size_t errlen)
{
	const char *p, *slash = strrchr(path, '/');
	char comp[NAME_MAX + 1];
	int fd, nfd, ret;

	*base = slash ? slash + 1 : path;
	if (!**base || !strcmp(*base, ".") || !strcmp(*base, "..")) {
		snprintf(err, errlen, "%s names a directory, not a file (add a file name)", path);
		return -EISDIR;
	}
	fd = open(path[0] == '/' ? "/" : ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return ret;
	}
	for (p = path; slash && p < slash; p += strspn(p, "/")) {
		size_t n = strcspn(p, "/");
		struct stat dir, link;

		if (n == 0)
			continue;
		if (n > NAME_MAX) {
			snprintf(err, errlen, "%s: %s", path, strerror(ENAMETOOLONG));
			close(fd);
			return -ENAMETOOLONG;
		}
		memcpy(comp, p, n);
		comp[n] = '\0';
		p += n;
		nfd = openat(fd, comp, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		/* O_PATH|O_NOFOLLOW|O_DIRECTORY on a symlink: ENOTDIR (ELOOP elsewhere). */
		if (nfd < 0 && (errno == ELOOP || errno == ENOTDIR) &&
		    !fstatat(fd, comp, &link, AT_SYMLINK_NOFOLLOW) && S_ISLNK(link.st_mode)) {
			if (fstat(fd, &dir)) {
				ret = -errno;
				snprintf(err, errlen, "%s: %s", path, strerror(errno));
				close(fd);
				return ret;
			}
			if ((dir.st_mode & (S_IWGRP | S_IWOTH)) &&
			    (!(dir.st_mode & S_ISVTX) ||
			     (link.st_uid != geteuid() && link.st_uid != dir.st_uid))) {
				snprintf(err, errlen,
					 "%.*s is a symbolic link of uid %u in a directory others can write to; refusing to follow it (name the real directory)",
					 (int)(p - path), path, (unsigned int)link.st_uid);
				close(fd);
				return -ELOOP;
			}
			nfd = openat(fd, comp, O_PATH | O_DIRECTORY | O_CLOEXEC);
		}
		if (nfd < 0) {
			ret = -errno;
			snprintf(err, errlen, "directory %.*s: %s", (int)(p - path), path,
				 strerror(errno));
			close(fd);
			return ret;
		}
		close(fd);
		fd = nfd;
	}
	return fd;
}
