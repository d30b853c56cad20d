/* SPDX-License-Identifier: GPL-2.0 */
/*
 * store.h - the capture directory (see store.c): private, quota-bound and
 * content-addressed.  Used by the capture worker alone.
 */
#ifndef TRACEE_CAPTURE_STORE_H
#define TRACEE_CAPTURE_STORE_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>

struct store_result {
	char path[PATH_MAX];	/* where the content is (the first copy when deduplicated) */
	char sha256[65];	/* hex */
	uint64_t size;
	bool deduplicated;	/* the same content was stored before: no new file */
};

/*
 * Make <dir> (0700, trusted parents) and <dir>/out, emptied first when clear.
 * Returns 0 or -errno after one line in err.
 */
int store_open(const char *dir, bool clear, uint64_t max_file, uint64_t quota, char *err,
	       size_t errlen);
/*
 * Copy the regular file src into out/<subdir>/<name>.  Returns 0 (r filled),
 * -EFBIG over the per-artifact limit, -EDQUOT over the quota, -EINVAL when
 * src is no regular file, or another -errno.  Nothing partial is left.
 */
int store_put(int src, const char *subdir, const char *name, struct store_result *r);
/*
 * Open (creating, 0600, no symlink followed) out/<subdir>/<name> to write
 * into at offsets; path gets its full name, size its current size.
 * Returns the fd or -errno.
 */
int store_open_file(const char *subdir, const char *name, char *path, size_t pathlen,
		    uint64_t *size);
/* Count bytes about to be written against the quota: 0, or -EDQUOT (nothing counted). */
int store_charge(uint64_t bytes);
uint64_t store_max_file(void);
uint64_t store_used(void);
void store_close(void);

#endif /* TRACEE_CAPTURE_STORE_H */
