// SPDX-License-Identifier: GPL-2.0
/*
 * container-probe - drive container.c and proctree.c against the real
 * /proc and cgroup filesystems, for tests/integration/container_id.sh.
 *
 *	container-probe root			the cgroup2 mount in use, or "-"
 *	container-probe pid PID			container id of PID from /proc, or "-"
 *	container-probe cgid DIR		cgroup id of a cgroup directory
 *	container-probe cache CGID PID		cache lookup (PID 0: no hint): id, "-" or "EAGAIN"
 *	container-probe tree PID		seed the tree from /proc, print PID's container id
 *	container-probe exec PID CGID		an exec event of PID in cgroup CGID through
 *						an empty tree: the container id it resolves
 * Exit 0 with the answer on stdout; 1 with a message on stderr.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "container.h"
#include "proctree.h"

static int usage(void)
{
	fprintf(stderr, "usage: container-probe root | pid PID | cgid DIR | cache CGID PID | "
		"tree PID | exec PID CGID\n");
	return 1;
}

static void print_id(const char *id)
{
	printf("%s\n", id && id[0] ? id : "-");
}

int main(int argc, char **argv)
{
	char id[CONTAINER_ID_LEN + 1];
	int r;

	if (argc < 2)
		return usage();
	if (!strcmp(argv[1], "root")) {
		struct container_cache *cc = container_cache_new(NULL, NULL, 0);

		if (!cc)
			return 1;
		print_id(container_cache_root(cc));
		container_cache_free(cc);
		return 0;
	}
	if (!strcmp(argv[1], "pid") && argc == 3) {
		r = container_id_of_pid(atoi(argv[2]), id);
		if (r < 0) {
			fprintf(stderr, "container-probe: /proc/%s/cgroup: %s\n", argv[2], strerror(-r));
			return 1;
		}
		print_id(id);
		return 0;
	}
	if (!strcmp(argv[1], "cgid") && argc == 3) {
		uint64_t cgid = container_cgroup_id_of_path(argv[2]);

		if (!cgid) {
			fprintf(stderr, "container-probe: %s: %s\n", argv[2], strerror(errno));
			return 1;
		}
		printf("%llu\n", (unsigned long long)cgid);
		return 0;
	}
	if (!strcmp(argv[1], "cache") && argc == 4) {
		struct container_cache *cc = container_cache_new(NULL, NULL, 0);

		if (!cc)
			return 1;
		r = container_cache_lookup(cc, strtoull(argv[2], NULL, 0), atoi(argv[3]), id);
		if (r == -EAGAIN)
			printf("EAGAIN\n");
		else
			print_id(id);
		container_cache_free(cc);
		return 0;
	}
	if (!strcmp(argv[1], "tree") && argc == 3) {
		const struct proc_info *pi;

		if (proctree_init(NULL) || proctree_seed() <= 0) {
			fprintf(stderr, "container-probe: cannot seed the process tree from /proc\n");
			return 1;
		}
		pi = proctree_lookup(strtoul(argv[2], NULL, 10));
		if (!pi) {
			fprintf(stderr, "container-probe: pid %s is not in the tree\n", argv[2]);
			return 1;
		}
		print_id(pi->container_id);
		proctree_fini();
		return 0;
	}
	if (!strcmp(argv[1], "exec") && argc == 4) {
		struct tr_record_hdr h = { 0 };
		struct tr_event ev = { 0 };
		const struct proc_info *pi;

		if (proctree_init(NULL))
			return 1;
		h.event_id = TR_EV_SCHED_PROCESS_EXEC;
		h.ts = 1;
		h.host_pid = h.host_tid = strtoul(argv[2], NULL, 10);
		h.cgroup_id = strtoull(argv[3], NULL, 0);
		snprintf(h.comm, sizeof(h.comm), "sleep");
		ev.hdr = &h;
		ev.nr_args = 1;
		ev.args[0].name = "pathname";
		ev.args[0].kind = TR_V_STR;
		ev.args[0].v.str.p = "/bin/sleep";
		ev.args[0].v.str.len = strlen("/bin/sleep");
		pi = proctree_update(&ev);
		if (!pi) {
			fprintf(stderr, "container-probe: the exec event gave no process\n");
			return 1;
		}
		print_id(pi->container_id);
		proctree_fini();
		return 0;
	}
	return usage();
}
