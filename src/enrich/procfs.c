// SPDX-License-Identifier: GPL-2.0
/*
 * procfs.c - the one reader of /proc.  Files are opened without following
 * a final symlink and read to the end (a process may vanish between two
 * reads: each caller decides what a missing file means).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "procfs.h"

ssize_t procfs_read(const char *path, char *buf, size_t sz)
{
	size_t got = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);

	if (fd < 0)
		return -errno;
	while (got < sz) {
		ssize_t n = read(fd, buf + got, sz - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			n = -errno;
			close(fd);
			return n;
		}
		if (!n)
			break;
		got += n;
	}
	close(fd);
	return got;
}

ssize_t procfs_read_str(const char *path, char *buf, size_t sz)
{
	ssize_t n;

	if (!sz)
		return -EINVAL;
	n = procfs_read(path, buf, sz - 1);
	if (n >= 0)
		buf[n] = '\0';
	return n;
}

/* CLOCK_BOOTTIME - CLOCK_MONOTONIC: the time spent suspended (never negative). */
static uint64_t boot_offset_ns(void)
{
	struct timespec b, m;
	int64_t d;

	clock_gettime(CLOCK_MONOTONIC, &m);
	clock_gettime(CLOCK_BOOTTIME, &b);
	d = ((int64_t)b.tv_sec - m.tv_sec) * 1000000000LL + (b.tv_nsec - m.tv_nsec);
	return d > 0 ? (uint64_t)d : 0;
}

int procfs_read_proc(const char *proc_root, uint32_t pid, size_t argv_max,
		     unsigned int nr_argv_max, struct procfs_proc *r)
{
	char path[PATH_MAX + 32], buf[4096];
	unsigned long long starttime = 0;
	long hz = sysconf(_SC_CLK_TCK);
	char *lp, *rp, *p;
	unsigned int ppid = 0, uid = 0;
	uint64_t boot_off;
	ssize_t n;
	int field;

	if (argv_max > sizeof(r->argv))
		argv_max = sizeof(r->argv);
	memset(r, 0, offsetof(struct procfs_proc, exe));
	/* stat: "pid (comm) state ppid ... starttime(22) ..."; comm may hold ") ". */
	snprintf(path, sizeof(path), "%s/%u/stat", proc_root, pid);
	n = procfs_read_str(path, buf, sizeof(buf));
	if (n < 0)
		return n;
	lp = strchr(buf, '(');
	rp = strrchr(buf, ')');
	if (!lp || !rp || rp < lp)
		return -EINVAL;
	n = rp - lp - 1;
	if (n > TR_COMM_LEN - 1)
		n = TR_COMM_LEN - 1;
	memcpy(r->comm, lp + 1, n);
	r->comm[n] = '\0';
	p = rp + 1;
	for (field = 3; field <= 22 && p; field++) {
		while (*p == ' ')
			p++;
		if (field == 4)
			ppid = strtoul(p, NULL, 10);
		else if (field == 22)
			starttime = strtoull(p, NULL, 10);
		p = strchr(p, ' ');
	}
	if (field <= 22)
		return -EINVAL;
	r->ppid = ppid;
	/* Ticks of boot time -> monotonic ns (off by suspend time since the start). */
	r->start_ns = starttime * (1000000000ULL / (hz > 0 ? (uint64_t)hz : 100));
	boot_off = boot_offset_ns();
	r->start_ns = r->start_ns > boot_off ? r->start_ns - boot_off : 0;

	/* status: the real uid. */
	snprintf(path, sizeof(path), "%s/%u/status", proc_root, pid);
	if (procfs_read_str(path, buf, sizeof(buf)) > 0) {
		p = strstr(buf, "\nUid:");
		if (p && sscanf(p + 5, "%u", &uid) == 1)
			r->uid = uid;
	}

	/* exe: kernel threads have none. */
	snprintf(path, sizeof(path), "%s/%u/exe", proc_root, pid);
	n = readlink(path, r->exe, sizeof(r->exe) - 1);
	r->exe_len = n > 0 ? (size_t)n : 0;
	r->exe[r->exe_len] = '\0';

	/* cmdline: NUL-separated, cut at whole strings. */
	snprintf(path, sizeof(path), "%s/%u/cmdline", proc_root, pid);
	n = argv_max ? procfs_read(path, r->argv, argv_max) : 0;
	r->argv_len = 0;
	r->nr_argv = 0;
	r->argv_trunc = false;
	if (n > 0) {
		size_t len = n;

		if (len == argv_max) {
			char *last = memrchr(r->argv, '\0', len);

			r->argv_trunc = true;
			len = last ? (size_t)(last - r->argv) + 1 : 0;
		} else if (r->argv[len - 1] != '\0') {
			r->argv[len++] = '\0';	/* a process rewrote its args without a NUL */
		}
		for (p = r->argv; p < r->argv + len && r->nr_argv < nr_argv_max; r->nr_argv++)
			p += strlen(p) + 1;
		if (p < r->argv + len)
			r->argv_trunc = true;
		r->argv_len = p - r->argv;
	}

	if (container_id_of_pid_at(proc_root, (int)pid, r->container_id) < 0)
		r->container_id[0] = '\0';
	return 0;
}
