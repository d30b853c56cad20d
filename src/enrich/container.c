// SPDX-License-Identifier: GPL-2.0
/*
 * container.c - container ids from cgroup paths, and a cache from the
 * kernel's cgroup ids to them.
 *
 * The parser is pure (no I/O, no allocation) so it can be fuzzed and unit
 * tested with a table of real layouts.  The cache does I/O only on a miss.
 *
 * Limits, by design:
 * - Only names tell: a runtime that names its cgroups otherwise (a custom
 *   --cgroup-parent with a non-hex leaf, LXC, systemd-nspawn machines) is
 *   not recognised, and a 64-hex directory made by hand is taken for one.
 * - Paths are read in tracee's cgroup namespace: run it in the host's.
 * - The kernel side reports the cgroup v2 id only.  On hybrid hosts whose
 *   runtimes use the v1 hierarchies the id says nothing about containers;
 *   the process tree then reads /proc/<pid>/cgroup at exec (v1 lines).
 * - cgroup id == directory id holds for kernfs since Linux 5.5 (64-bit ids
 *   in file handles); before, the handle's (ino, generation) pair read as
 *   a little-endian u64 is the same value on 64-bit hosts.
 * - The walk is bounded (depth, directories, once a second): on hosts with
 *   more cgroups than that, ids only the walk could find stay unresolved
 *   (-EAGAIN) until a pid hint resolves them.
 * - A full cache is emptied at once rather than aged: simple, bounded, and
 *   refilled on demand at the cost of one /proc read per cgroup.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "container.h"
#include "procfs.h"

#define CGROUP_FILE_MAX		(64 * 1024)	/* bytes of /proc/<pid>/cgroup we look at */
#define CACHE_DEFAULT		4096
#define WALK_MAX_DEPTH		32
#define WALK_MAX_DIRS		100000
#define WALK_INTERVAL_NS	1000000000ULL	/* at most one walk a second */

/* ------------------------------------------------------------------ */
/* The pure parser                                                      */
/* ------------------------------------------------------------------ */

static bool has_prefix(const char *p, size_t len, const char *pfx)
{
	size_t n = strlen(pfx);

	return len >= n && !memcmp(p, pfx, n);
}

static bool has_suffix(const char *p, size_t len, const char *sfx)
{
	size_t n = strlen(sfx);

	return len >= n && !memcmp(p + len - n, sfx, n);
}

/* One path component: is it a container's cgroup?  Fills out when it is. */
static bool component_id(const char *p, size_t len, char *out)
{
	/* The runtimes' own prefixes; a bare 64-hex name is docker/kubepods/ecs. */
	static const char *const prefixes[] = {
		"docker-", "cri-containerd-", "crio-", "libpod-",
	};
	unsigned int i;

	/* conmon, the cri-o/podman monitor, runs outside the container. */
	if (has_prefix(p, len, "crio-conmon-") || has_prefix(p, len, "libpod-conmon-"))
		return false;
	if (has_suffix(p, len, ".scope"))
		len -= strlen(".scope");
	for (i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
		if (has_prefix(p, len, prefixes[i])) {
			p += strlen(prefixes[i]);
			len -= strlen(prefixes[i]);
			break;
		}
	}
	if (len != CONTAINER_ID_LEN)
		return false;
	for (i = 0; i < CONTAINER_ID_LEN; i++)
		if (!isxdigit((unsigned char)p[i]))
			return false;
	for (i = 0; i < CONTAINER_ID_LEN; i++)
		out[i] = tolower((unsigned char)p[i]);
	out[CONTAINER_ID_LEN] = '\0';
	return true;
}

/* path: len bytes, not NUL-terminated.  The innermost id wins. */
static int id_from_path(const char *path, size_t len, char *out)
{
	size_t end = len;

	out[0] = '\0';
	while (end > 0) {
		size_t start = end;

		while (start > 0 && path[start - 1] != '/')
			start--;
		if (end > start && component_id(path + start, end - start, out))
			return 1;
		if (start == 0)
			break;
		end = start - 1;	/* skip the '/' */
	}
	out[0] = '\0';
	return 0;
}

int container_id_from_cgroup_path(const char *path, char out[CONTAINER_ID_LEN + 1])
{
	if (!path) {
		out[0] = '\0';
		return 0;
	}
	return id_from_path(path, strlen(path), out);
}

/*
 * Lines are "hierarchy-id:controllers:path"; the path may itself hold ':'.
 * want_v2: look only at "0::" lines, otherwise only at the others.
 */
static int scan_cgroup_file(const char *text, size_t len, bool want_v2, char *out)
{
	const char *p = text, *end = text + len;

	while (p < end) {
		const char *nl = memchr(p, '\n', end - p);
		const char *eol = nl ? nl : end;
		const char *c1 = memchr(p, ':', eol - p);
		const char *c2 = c1 ? memchr(c1 + 1, ':', eol - c1 - 1) : NULL;

		if (c2) {
			bool v2 = c1 - p == 1 && p[0] == '0' && c2 == c1 + 1;

			if (v2 == want_v2 && id_from_path(c2 + 1, eol - c2 - 1, out))
				return 1;
		}
		p = eol + 1;
	}
	out[0] = '\0';
	return 0;
}

int container_id_from_cgroup_file(const char *text, size_t len, char out[CONTAINER_ID_LEN + 1])
{
	out[0] = '\0';
	if (!text)
		return 0;
	return scan_cgroup_file(text, len, true, out) || scan_cgroup_file(text, len, false, out);
}

int container_id_of_pid_at(const char *proc_root, int pid, char out[CONTAINER_ID_LEN + 1])
{
	char path[PATH_MAX + 32];
	char *buf;
	ssize_t n;
	int ret;

	out[0] = '\0';
	if (pid <= 0)
		return -EINVAL;
	snprintf(path, sizeof(path), "%s/%d/cgroup", proc_root ? proc_root : "/proc", pid);
	buf = malloc(CGROUP_FILE_MAX);
	if (!buf)
		return -ENOMEM;
	n = procfs_read_str(path, buf, CGROUP_FILE_MAX);
	if (n < 0) {
		free(buf);
		return n;
	}
	ret = container_id_from_cgroup_file(buf, n, out);
	free(buf);
	return ret;
}

int container_id_of_pid(int pid, char out[CONTAINER_ID_LEN + 1])
{
	return container_id_of_pid_at(NULL, pid, out);
}

/* The v2 path of a process ("/system.slice/x.scope"), or -errno. */
static int v2_path_of_pid(const char *proc_root, int pid, char *out, size_t outsz)
{
	char path[PATH_MAX + 32];
	char *buf, *p;
	ssize_t n;
	int ret = -ENOENT;

	snprintf(path, sizeof(path), "%s/%d/cgroup", proc_root, pid);
	buf = malloc(CGROUP_FILE_MAX);
	if (!buf)
		return -ENOMEM;
	n = procfs_read_str(path, buf, CGROUP_FILE_MAX);
	if (n < 0) {
		free(buf);
		return n;
	}
	for (p = buf; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		if (!strncmp(p, "0::", 3)) {
			size_t len = strcspn(p + 3, "\n");

			if (len >= outsz) {
				ret = -ENAMETOOLONG;
				break;
			}
			memcpy(out, p + 3, len);
			out[len] = '\0';
			ret = 0;
			break;
		}
	}
	free(buf);
	return ret;
}

/* ------------------------------------------------------------------ */
/* cgroup ids                                                           */
/* ------------------------------------------------------------------ */

/*
 * The kernfs id of a directory.  Since Linux 5.5 cgroupfs file handles
 * carry the 64-bit kernfs id (FILEID_KERNFS); before, they carried
 * (u32 ino, u32 generation), which read as one little-endian u64 is the
 * same value bpf_get_current_cgroup_id() returned there.  Without
 * handles (EOPNOTSUPP) the inode number is the id on 64-bit kernels.
 */
static uint64_t cgroup_id_at(int dirfd, const char *name)
{
	union {
		struct file_handle fh;
		char buf[sizeof(struct file_handle) + 128];
	} h;
	struct stat st;
	uint64_t id;
	int mnt_id;

	h.fh.handle_bytes = 128;
	if (!name_to_handle_at(dirfd, name, &h.fh, &mnt_id, 0) && h.fh.handle_bytes >= sizeof(id)) {
		memcpy(&id, h.fh.f_handle, sizeof(id));
		return id;
	}
	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW))
		return 0;
	return st.st_ino;
}

uint64_t container_cgroup_id_of_path(const char *path)
{
	return cgroup_id_at(AT_FDCWD, path);
}

/* ------------------------------------------------------------------ */
/* The cache                                                            */
/* ------------------------------------------------------------------ */

struct cc_slot {
	uint64_t cgid;		/* 0: empty */
	bool found;
	char id[CONTAINER_ID_LEN + 1];
};

struct container_cache {
	char root[PATH_MAX];		/* cgroup2 mount point, "" for none */
	char proc_root[PATH_MAX];
	bool v1;
	unsigned int max_entries;
	unsigned int mask;		/* table size - 1 */
	unsigned int nr;
	struct cc_slot *slots;
	uint64_t last_walk_ns;
	struct container_cache_stats st;
};

static unsigned int hash64(uint64_t v)
{
	v ^= v >> 33;
	v *= 0xff51afd7ed558ccdULL;
	v ^= v >> 33;
	return (unsigned int)v;
}

static struct cc_slot *cc_find(struct container_cache *cc, uint64_t cgid)
{
	unsigned int i = hash64(cgid) & cc->mask;

	while (cc->slots[i].cgid) {
		if (cc->slots[i].cgid == cgid)
			return &cc->slots[i];
		i = (i + 1) & cc->mask;
	}
	return NULL;
}

static void cc_put(struct container_cache *cc, uint64_t cgid, bool found, const char *id)
{
	struct cc_slot *s;
	unsigned int i;

	if (!cgid)
		return;
	s = cc_find(cc, cgid);
	if (!s) {
		if (cc->nr >= cc->max_entries) {
			/* Bounded: forget everything, it is re-resolved on demand. */
			memset(cc->slots, 0, (cc->mask + 1) * sizeof(*cc->slots));
			cc->nr = 0;
			cc->st.flushes++;
		}
		i = hash64(cgid) & cc->mask;
		while (cc->slots[i].cgid)
			i = (i + 1) & cc->mask;
		s = &cc->slots[i];
		s->cgid = cgid;
		cc->nr++;
	}
	s->found = found;
	if (found)
		memcpy(s->id, id, CONTAINER_ID_LEN + 1);
	else
		s->id[0] = '\0';
}

/* Undo the octal escapes of /proc/self/mountinfo ("\040" for a space). */
static void unescape_mount(char *s)
{
	char *d = s;

	while (*s) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7' &&
		    s[3] >= '0' && s[3] <= '7') {
			*d++ = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0'));
			s += 4;
		} else {
			*d++ = *s++;
		}
	}
	*d = '\0';
}

/* The first cgroup2 mount whose root is the hierarchy's root. */
static void find_cgroup2_root(const char *proc_root, char *out, size_t outsz)
{
	char path[PATH_MAX + 32];
	char *line = NULL;
	size_t cap = 0;
	FILE *f;

	out[0] = '\0';
	snprintf(path, sizeof(path), "%s/self/mountinfo", proc_root);
	f = fopen(path, "re");
	if (!f)
		return;
	while (getline(&line, &cap, f) > 0) {
		char *fields[5], *sep, *save = NULL, *tok, *fstype;
		int n = 0;

		sep = strstr(line, " - ");
		if (!sep)
			continue;
		*sep = '\0';
		fstype = strtok_r(sep + 3, " \n", &save);
		if (!fstype || strcmp(fstype, "cgroup2"))
			continue;
		save = NULL;
		for (tok = strtok_r(line, " ", &save); tok && n < 5; tok = strtok_r(NULL, " ", &save))
			fields[n++] = tok;
		if (n < 5 || strcmp(fields[3], "/"))
			continue;
		unescape_mount(fields[4]);
		if (strlen(fields[4]) < outsz) {
			strcpy(out, fields[4]);
			break;
		}
	}
	free(line);
	fclose(f);
}

/* Does this host have v1 hierarchies?  Unknown counts as yes (callers read /proc then). */
static bool host_has_v1(const char *proc_root)
{
	char path[PATH_MAX + 32], buf[8192];
	char *p;

	snprintf(path, sizeof(path), "%s/self/cgroup", proc_root);
	if (procfs_read_str(path, buf, sizeof(buf)) < 0)
		return true;
	for (p = buf; *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		if (!p || !*p)
			break;
		if (strncmp(p, "0::", 3))
			return true;
	}
	return false;
}

struct container_cache *container_cache_new(const char *cgroup2_root, const char *proc_root,
					    unsigned int max_entries)
{
	struct container_cache *cc;
	unsigned int size = 16;

	if (!max_entries)
		max_entries = CACHE_DEFAULT;
	if (max_entries > (1u << 24))
		max_entries = 1u << 24;
	while (size < 2 * max_entries)
		size <<= 1;
	cc = calloc(1, sizeof(*cc));
	if (!cc)
		return NULL;
	cc->slots = calloc(size, sizeof(*cc->slots));
	if (!cc->slots) {
		free(cc);
		errno = ENOMEM;
		return NULL;
	}
	cc->mask = size - 1;
	cc->max_entries = max_entries;
	snprintf(cc->proc_root, sizeof(cc->proc_root), "%s", proc_root ? proc_root : "/proc");
	if (cgroup2_root)
		snprintf(cc->root, sizeof(cc->root), "%s", cgroup2_root);
	else
		find_cgroup2_root(cc->proc_root, cc->root, sizeof(cc->root));
	cc->v1 = host_has_v1(cc->proc_root);
	return cc;
}

void container_cache_free(struct container_cache *cc)
{
	if (!cc)
		return;
	free(cc->slots);
	free(cc);
}

int container_cache_v1(const struct container_cache *cc)
{
	return cc ? cc->v1 : 1;
}

const char *container_cache_root(const struct container_cache *cc)
{
	return cc ? cc->root : "";
}

void container_cache_stats(const struct container_cache *cc, struct container_cache_stats *st)
{
	memset(st, 0, sizeof(*st));
	if (!cc)
		return;
	*st = cc->st;
	st->entries = cc->nr;
}

struct walk {
	struct container_cache *cc;
	uint64_t target;
	unsigned int nr_dirs;
	bool cut;		/* a bound was hit: a negative answer is not sure */
	bool found;
	char rel[PATH_MAX];	/* path below the mount, "/a/b" */
	char id[CONTAINER_ID_LEN + 1];
};

/* Depth-first over fd's subdirectories; rel holds fd's path (len bytes). */
static void walk_dir(struct walk *w, int fd, size_t len, unsigned int depth)
{
	struct dirent *de;
	DIR *d;

	if (depth >= WALK_MAX_DEPTH) {
		w->cut = true;
		close(fd);
		return;
	}
	d = fdopendir(fd);
	if (!d) {
		close(fd);
		w->cut = true;
		return;
	}
	while (!w->found && (de = readdir(d))) {
		char cid[CONTAINER_ID_LEN + 1];
		size_t nlen = strlen(de->d_name);
		uint64_t id;
		int sub;

		if (de->d_name[0] == '.' && (!de->d_name[1] || (de->d_name[1] == '.' && !de->d_name[2])))
			continue;
		if (de->d_type != DT_DIR && de->d_type != DT_UNKNOWN)
			continue;
		if (++w->nr_dirs > WALK_MAX_DIRS || len + 1 + nlen >= sizeof(w->rel)) {
			w->cut = true;
			break;
		}
		w->rel[len] = '/';
		memcpy(w->rel + len + 1, de->d_name, nlen + 1);
		id = cgroup_id_at(dirfd(d), de->d_name);
		if (id == w->target) {
			w->found = true;
			id_from_path(w->rel, len + 1 + nlen, w->id);
			break;
		}
		/* Opportunistic: remember containers met on the way, within half the cache. */
		if (id && w->cc->nr < w->cc->max_entries / 2 &&
		    id_from_path(w->rel, len + 1 + nlen, cid) && !cc_find(w->cc, id))
			cc_put(w->cc, id, true, cid);
		sub = openat(dirfd(d), de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (sub < 0)
			continue;	/* removed meanwhile, or not a directory */
		walk_dir(w, sub, len + 1 + nlen, depth + 1);
	}
	w->rel[len] = '\0';
	closedir(d);
}

int container_cache_lookup(struct container_cache *cc, uint64_t cgid, int pid_hint,
			   char out[CONTAINER_ID_LEN + 1])
{
	char rel[PATH_MAX], path[PATH_MAX * 2];
	struct cc_slot *s;
	struct walk *w;
	uint64_t now;
	int fd;

	out[0] = '\0';
	if (!cc || !cgid || !cc->root[0])
		return -EAGAIN;
	s = cc_find(cc, cgid);
	if (s) {
		cc->st.hits++;
		memcpy(out, s->id, CONTAINER_ID_LEN + 1);
		return s->found;
	}
	cc->st.misses++;

	/* The pid's own v2 path, checked against the id: cheap and exact. */
	if (pid_hint > 0 && !v2_path_of_pid(cc->proc_root, pid_hint, rel, sizeof(rel))) {
		snprintf(path, sizeof(path), "%s%s", cc->root, rel);
		if (container_cgroup_id_of_path(path) == cgid) {
			int found = id_from_path(rel, strlen(rel), out);

			cc_put(cc, cgid, found, out);
			return found;
		}
	}

	/* A bounded walk of the hierarchy, rate limited. */
	now = mono_ns();
	if (cc->last_walk_ns && now - cc->last_walk_ns < WALK_INTERVAL_NS)
		return -EAGAIN;
	cc->last_walk_ns = now;
	cc->st.walks++;
	if (container_cgroup_id_of_path(cc->root) == cgid) {
		cc_put(cc, cgid, false, "");
		return 0;
	}
	fd = open(cc->root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -EAGAIN;
	w = calloc(1, sizeof(*w));
	if (!w) {
		close(fd);
		return -EAGAIN;
	}
	w->cc = cc;
	w->target = cgid;
	walk_dir(w, fd, 0, 0);
	if (w->found) {
		int found = w->id[0] != '\0';

		memcpy(out, w->id, CONTAINER_ID_LEN + 1);
		cc_put(cc, cgid, found, out);
		free(w);
		return found;
	}
	if (w->cut) {
		free(w);
		return -EAGAIN;
	}
	/* Not there (removed since): remember it as no container. */
	free(w);
	cc_put(cc, cgid, false, "");
	return 0;
}
