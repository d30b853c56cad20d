// SPDX-License-Identifier: GPL-2.0
/*
 * store.c - the capture directory: artifacts kept private, within a size
 * limit and a quota, and each distinct content stored once.
 *
 * Layout (the original Tracee's): <dir>/out/<container id or "host">/NAME.
 * Every directory is 0700 and root's, every file 0600, and nothing below
 * <dir> is reached through a path: each level is opened relative to its
 * parent's descriptor with O_NOFOLLOW, so a symlink planted there is never
 * followed.  A copy is written to a temporary name and renamed into place
 * once complete, so a reader never sees half an artifact; the sha256 is
 * computed on the way and an identical content already stored is not
 * written twice (the new request points at the first copy).
 *
 * Only the capture worker calls into this file after store_open().
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <nettle/sha2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fsafe.h"
#include "log.h"
#include "store.h"

#define COPY_CHUNK	(64 * 1024)
#define DEDUP_BUCKETS	1024

struct stored {
	struct stored *next;
	uint8_t sha[SHA256_DIGEST_SIZE];
	char *path;			/* full path of the one copy */
};

static struct {
	int out_fd;			/* <dir>/out */
	char out_path[PATH_MAX];
	uint64_t max_file, quota, used;
	struct stored *dedup[DEDUP_BUCKETS];
	uint8_t buf[COPY_CHUNK];
} S = { .out_fd = -1 };

/* A directory below one we trust: made 0700 if missing, never a symlink, ours. */
static int subdir_at(int dfd, const char *name, const char *shown, char *err, size_t errlen)
{
	struct stat st;
	int fd;

	if (mkdirat(dfd, name, 0700) && errno != EEXIST) {
		tr_seterr(err, errlen, "capture directory %s: cannot create it: %s", shown,
			  strerror(errno));
		return -errno;
	}
	fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		int ret = -errno;

		tr_seterr(err, errlen, "capture directory %s: %s%s", shown, strerror(-ret),
			  ret == -ELOOP || ret == -ENOTDIR ?
			  " (it is not a directory of tracee's: remove it)" : "");
		return ret;
	}
	if (fstat(fd, &st) || st.st_uid != geteuid() || (st.st_mode & 077)) {
		tr_seterr(err, errlen,
			  "capture directory %s: not private to uid %u (mode %03o, owner %u): remove it or use -c dir:PATH",
			  shown, (unsigned int)geteuid(), (unsigned int)(st.st_mode & 0777),
			  (unsigned int)st.st_uid);
		close(fd);
		return -EPERM;
	}
	return fd;
}

/* Everything below dfd, depth first, without following a symlink. */
static int clear_at(int dfd, unsigned int depth)
{
	struct dirent *d;
	DIR *dir;
	int fd, ret = 0;

	if (depth > 16)
		return -ELOOP;	/* tracee makes two levels: deeper is not ours */
	fd = dup(dfd);
	if (fd < 0)
		return -errno;
	dir = fdopendir(fd);
	if (!dir) {
		close(fd);
		return -errno;
	}
	while ((d = readdir(dir))) {
		if (!strcmp(d->d_name, ".") || !strcmp(d->d_name, ".."))
			continue;
		if (!unlinkat(dfd, d->d_name, 0))
			continue;
		if (errno == EISDIR || errno == EPERM) {
			int sub = openat(dfd, d->d_name,
					 O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

			if (sub < 0) {
				ret = -errno;
				continue;
			}
			if (clear_at(sub, depth + 1))
				ret = -EIO;
			close(sub);
			if (unlinkat(dfd, d->d_name, AT_REMOVEDIR))
				ret = -errno;
		} else {
			ret = -errno;
		}
	}
	closedir(dir);
	return ret;
}

int store_open(const char *dir, bool clear, uint64_t max_file, uint64_t quota, char *err,
	       size_t errlen)
{
	char shown[PATH_MAX + 8];
	int dfd, ret;

	/* Room for out/<container id>/<name> below it in every path we report. */
	if (strlen(dir) > PATH_MAX - 2 * NAME_MAX - 80) {
		tr_seterr(err, errlen, "capture directory %.64s...: path too long (use a shorter dir:PATH)",
			  dir);
		return -ENAMETOOLONG;
	}
	ret = fsafe_mkdir_private(dir, "capture directory", err, errlen);
	if (ret)
		return ret;
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dfd < 0) {
		ret = -errno;
		tr_seterr(err, errlen, "capture directory %s: %s", dir, strerror(-ret));
		return ret;
	}
	snprintf(shown, sizeof(shown), "%s/out", dir);
	ret = subdir_at(dfd, "out", shown, err, errlen);
	close(dfd);
	if (ret < 0)
		return ret;
	if (clear && clear_at(ret, 0)) {
		tr_seterr(err, errlen, "capture directory %s: clear-dir could not empty it: %s",
			  shown, strerror(errno ? errno : EIO));
		close(ret);
		return -EIO;
	}
	S.out_fd = ret;
	snprintf(S.out_path, sizeof(S.out_path), "%.*s", (int)(sizeof(S.out_path) - 1), shown);
	S.max_file = max_file;
	S.quota = quota;
	S.used = 0;
	return 0;
}

static unsigned int bucket(const uint8_t *sha)
{
	return (sha[0] | sha[1] << 8) % DEDUP_BUCKETS;
}

static const struct stored *find_stored(const uint8_t *sha)
{
	const struct stored *s;

	for (s = S.dedup[bucket(sha)]; s; s = s->next)
		if (!memcmp(s->sha, sha, sizeof(s->sha)))
			return s;
	return NULL;
}

static void remember(const uint8_t *sha, const char *path)
{
	struct stored *s = calloc(1, sizeof(*s));

	if (!s)
		return;		/* only costs a second copy of the same content */
	s->path = strdup(path);
	if (!s->path) {
		free(s);
		return;
	}
	memcpy(s->sha, sha, sizeof(s->sha));
	s->next = S.dedup[bucket(sha)];
	S.dedup[bucket(sha)] = s;
}

static void hex(const uint8_t *sha, char *out)
{
	static const char digits[] = "0123456789abcdef";
	unsigned int i;

	for (i = 0; i < SHA256_DIGEST_SIZE; i++) {
		out[2 * i] = digits[sha[i] >> 4];
		out[2 * i + 1] = digits[sha[i] & 15];
	}
	out[2 * i] = '\0';
}

/* Any byte a path component cannot or should not hold becomes '_'. */
static void safe_name(const char *in, char *out, size_t outsz)
{
	size_t i;

	for (i = 0; in[i] && i + 1 < outsz; i++)
		out[i] = in[i] == '/' || (unsigned char)in[i] < 0x20 ? '_' : in[i];
	out[i] = '\0';
	if (!strcmp(out, ".") || !strcmp(out, "..") || !out[0])
		snprintf(out, outsz, "_");
}

/* Copy src into tmp (fd), hashing; -EFBIG past the limit or the quota. */
static int copy_hash(int src, int dst, uint64_t limit, struct sha256_ctx *ctx, uint64_t *size)
{
	uint64_t total = 0;

	sha256_init(ctx);
	for (;;) {
		ssize_t n = read(src, S.buf, sizeof(S.buf)), off = 0;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			break;
		total += (uint64_t)n;
		if (total > limit)
			return -EFBIG;
		sha256_update(ctx, (size_t)n, S.buf);
		while (off < n) {
			ssize_t w = write(dst, S.buf + off, (size_t)(n - off));

			if (w < 0) {
				if (errno == EINTR)
					continue;
				return -errno;
			}
			off += w;
		}
	}
	*size = total;
	return 0;
}

int store_put(int src, const char *subdir, const char *name, struct store_result *r)
{
	char tmp[64], base[NAME_MAX + 1], final[NAME_MAX + 1], shown[PATH_MAX + 16];
	uint8_t sha[SHA256_DIGEST_SIZE];
	struct sha256_ctx ctx;
	const struct stored *dup;
	uint64_t limit, size = 0;
	struct stat st;
	int dfd, tfd, ret, i;
	static unsigned int seq;

	memset(r, 0, sizeof(*r));
	if (S.out_fd < 0)
		return -ENOTCONN;
	if (fstat(src, &st))
		return -errno;
	if (!S_ISREG(st.st_mode))
		return -EINVAL;
	if ((uint64_t)st.st_size > S.max_file)
		return -EFBIG;
	if (S.used + (uint64_t)st.st_size > S.quota)
		return -EDQUOT;
	snprintf(shown, sizeof(shown), "%s/%s", S.out_path, subdir);
	dfd = subdir_at(S.out_fd, subdir, shown, NULL, 0);
	if (dfd < 0)
		return dfd;
	snprintf(tmp, sizeof(tmp), ".partial.%d.%u", (int)getpid(), ++seq);
	tfd = openat(dfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (tfd < 0) {
		ret = -errno;
		goto out_dir;
	}
	/* The file may grow while it is read: the limits hold for what is copied. */
	limit = S.max_file;
	if (S.quota - S.used < limit)
		limit = S.quota - S.used;
	ret = copy_hash(src, tfd, limit, &ctx, &size);
	if (!ret && fsync(tfd))
		ret = -errno;
	close(tfd);
	if (ret) {
		if (ret == -EFBIG && limit < S.max_file)
			ret = -EDQUOT;
		goto out_unlink;
	}
	sha256_digest(&ctx, sizeof(sha), sha);
	hex(sha, r->sha256);
	r->size = size;
	dup = find_stored(sha);
	if (dup) {
		r->deduplicated = true;
		snprintf(r->path, sizeof(r->path), "%s", dup->path);
		ret = 0;
		goto out_unlink;
	}
	safe_name(name, base, sizeof(base));
	/* Two artifacts may share a name and a time: the second gets a suffix. */
	for (i = 0; i < 100; i++) {
		if (i == 0)
			snprintf(final, sizeof(final), "%s", base);
		else
			snprintf(final, sizeof(final), "%.*s.%d", NAME_MAX - 4, base, i);
		if (!renameat2(dfd, tmp, dfd, final, RENAME_NOREPLACE))
			break;
		if (errno != EEXIST) {
			ret = -errno;
			goto out_unlink;
		}
	}
	if (i == 100) {
		ret = -EEXIST;
		goto out_unlink;
	}
	snprintf(r->path, sizeof(r->path), "%.*s/%.*s/%s", PATH_MAX - 2 * NAME_MAX - 72, S.out_path,
		 NAME_MAX, subdir, final);
	remember(sha, r->path);
	S.used += size;
	close(dfd);
	return 0;
out_unlink:
	unlinkat(dfd, tmp, 0);
out_dir:
	close(dfd);
	return ret;
}

int store_open_file(const char *subdir, const char *name, char *path, size_t pathlen,
		    uint64_t *size)
{
	char shown[PATH_MAX + 16], base[NAME_MAX + 1];
	struct stat st;
	int dfd, fd;

	if (S.out_fd < 0)
		return -ENOTCONN;
	snprintf(shown, sizeof(shown), "%s/%s", S.out_path, subdir);
	dfd = subdir_at(S.out_fd, subdir, shown, NULL, 0);
	if (dfd < 0)
		return dfd;
	safe_name(name, base, sizeof(base));
	fd = openat(dfd, base, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY, 0600);
	if (fd < 0) {
		fd = -errno;
		close(dfd);
		return fd;
	}
	close(dfd);
	/* a file of ours from an earlier run: regular, root's, private */
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_uid != geteuid() ||
	    (st.st_mode & 077)) {
		close(fd);
		return -EPERM;
	}
	*size = (uint64_t)st.st_size;
	snprintf(path, pathlen, "%.*s/%.*s/%s", PATH_MAX - 2 * NAME_MAX - 72, S.out_path,
		 NAME_MAX, subdir, base);
	return fd;
}

int store_charge(uint64_t bytes)
{
	if (S.used + bytes > S.quota)
		return -EDQUOT;
	S.used += bytes;
	return 0;
}

uint64_t store_max_file(void)
{
	return S.max_file;
}

uint64_t store_used(void)
{
	return S.used;
}

void store_close(void)
{
	unsigned int i;

	for (i = 0; i < DEDUP_BUCKETS; i++) {
		while (S.dedup[i]) {
			struct stored *s = S.dedup[i];

			S.dedup[i] = s->next;
			free(s->path);
			free(s);
		}
	}
	if (S.out_fd >= 0)
		close(S.out_fd);
	S.out_fd = -1;
}
