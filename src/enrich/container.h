/* SPDX-License-Identifier: GPL-2.0 */
/*
 * container.h - container ids from cgroups.
 *
 * A process is "in a container" when one of its cgroup paths names a
 * container the way the runtimes do it:
 *
 *	docker (cgroupfs driver)	/docker/<64 hex>
 *	docker (systemd driver)		/system.slice/docker-<64 hex>.scope
 *	containerd / kubelet		/kubepods/<qos>/pod<uid>/<64 hex>
 *					/kubepods.slice/.../cri-containerd-<64 hex>.scope
 *	cri-o				/.../crio-<64 hex>.scope  (crio-conmon-* is not one)
 *	podman				/.../libpod-<64 hex>.scope (libpod-conmon-* is not one)
 *
 * The id is always 64 lower-case hex characters, as Tracee prints it.  When
 * a path holds several ids (docker in docker, kind nodes), the innermost one
 * wins: it names the container the process runs in.
 *
 * container_cache maps the record's cgroupId (the kernfs id of the task's
 * cgroup in the cgroup v2 hierarchy, as bpf_get_current_cgroup_id() returns
 * it) to a container id without reading /proc for every event.
 */
#ifndef TRACEE_CONTAINER_H
#define TRACEE_CONTAINER_H

#include <stddef.h>
#include <stdint.h>

#define CONTAINER_ID_LEN	64	/* hex characters, out[] needs one more for the NUL */

/*
 * Pure: the container id named by one cgroup path ("/docker/<id>",
 * "/kubepods.slice/.../cri-containerd-<id>.scope").  Returns 1 and fills
 * out (64 lower-case hex + NUL) when found, 0 and out = "" when not.
 */
int container_id_from_cgroup_path(const char *path, char out[CONTAINER_ID_LEN + 1]);

/*
 * Pure: the container id named by the text of a /proc/<pid>/cgroup file
 * (len bytes, need not be NUL-terminated), v1 ("N:controllers:/path"),
 * v2 ("0::/path") or both (hybrid).  The v2 line is tried first, then the
 * v1 lines in order.  Returns 1 found / 0 not.
 */
int container_id_from_cgroup_file(const char *text, size_t len, char out[CONTAINER_ID_LEN + 1]);

/*
 * Read /proc/<pid>/cgroup (or <proc_root>/<pid>/cgroup; NULL = "/proc").
 * Returns 1 found, 0 not a container, or -errno when the file cannot be
 * read (the process is gone: -ENOENT/-ESRCH).  Paths are as seen from the
 * caller's cgroup namespace: tracee must run in the host's (--cgroupns=host).
 */
int container_id_of_pid(int pid, char out[CONTAINER_ID_LEN + 1]);
int container_id_of_pid_at(const char *proc_root, int pid, char out[CONTAINER_ID_LEN + 1]);

/*
 * The cgroup id of a cgroup directory (its kernfs id, what
 * bpf_get_current_cgroup_id() returns for tasks in it): from
 * name_to_handle_at(), falling back to the inode number.  0 on error
 * (errno set).
 */
uint64_t container_cgroup_id_of_path(const char *path);

struct container_cache;

/*
 * A bounded cache cgroupId -> container id.  cgroup2_root: where the cgroup
 * v2 hierarchy is mounted (NULL: found in /proc/self/mountinfo; "" or none
 * found is fine: every lookup then says -EAGAIN and callers use
 * container_id_of_pid()).  proc_root: NULL for "/proc".  max_entries: 0 for
 * the default (4096).  NULL + errno on allocation failure only.
 */
struct container_cache *container_cache_new(const char *cgroup2_root, const char *proc_root,
					    unsigned int max_entries);
void container_cache_free(struct container_cache *cc);

/*
 * The container id of the cgroup cgid.  Returns 1 found (out filled), 0 the
 * cgroup is not a container's, -EAGAIN not resolvable now (out = "").
 *
 * On a miss: first /proc/<pid_hint>/cgroup (pid_hint 0 = none) is read and
 * its v2 path checked against cgid (name_to_handle_at on the directory, so
 * a process that moved or a recycled pid cannot give a wrong answer); then,
 * at most once per second, a bounded walk of the cgroup2 mount (depth 32,
 * 100000 directories) looking for the directory whose id is cgid.  Every
 * answer, positive or negative, is cached; a full cache is emptied at once
 * (ids are re-resolved on demand, memory stays bounded).
 *
 * Limits: only the v2 hierarchy has ids the kernel side can report; on a
 * v1-only host (or hybrid with containers in v1 hierarchies only) cgid says
 * nothing and callers must use container_id_of_pid() (container_cache_v1()
 * tells them).  Paths inside a non-host cgroup namespace start at the
 * namespace root and may hide the id.
 */
int container_cache_lookup(struct container_cache *cc, uint64_t cgid, int pid_hint,
			   char out[CONTAINER_ID_LEN + 1]);

/* True when this host has cgroup v1 hierarchies a container may be named in. */
int container_cache_v1(const struct container_cache *cc);

/* The cgroup v2 mount point in use, or "" when there is none. */
const char *container_cache_root(const struct container_cache *cc);

struct container_cache_stats {
	uint64_t entries;	/* cached now */
	uint64_t hits;
	uint64_t misses;
	uint64_t walks;		/* directory walks of the cgroup2 mount */
	uint64_t flushes;	/* the cache was full and emptied */
};

void container_cache_stats(const struct container_cache *cc, struct container_cache_stats *st);

#endif /* TRACEE_CONTAINER_H */
