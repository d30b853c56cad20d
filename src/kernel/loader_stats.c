// SPDX-License-Identifier: GPL-2.0
/*
 * loader_stats.c - what the loaded object counted: the per-CPU stats map
 * summed (enum tr_stat), and each program's runs and run time as the
 * kernel keeps them while kernel.bpf_stats_enabled is 1, and the runs it
 * skipped (recursion misses, counted whatever that setting).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "loader_priv.h"

void loader_prog_stats(const struct tracer *t,
		       void (*cb)(void *ctx, const char *name, uint64_t runs, uint64_t run_ns),
		       void *ctx)
{
	struct bpf_program *p;

	if (!t || !t->obj)
		return;
	bpf_object__for_each_program(p, t->obj) {
		struct bpf_prog_info info;
		__u32 len = sizeof(info);
		int fd = bpf_program__fd(p);

		memset(&info, 0, sizeof(info));
		if (fd < 0 || bpf_obj_get_info_by_fd(fd, &info, &len))
			continue;
		cb(ctx, bpf_program__name(p), info.run_cnt, info.run_time_ns);
	}
}

uint64_t loader_recursion_misses(const struct tracer *t)
{
	struct bpf_program *p;
	uint64_t sum = 0;

	if (!t || !t->obj)
		return 0;
	/* Programs not loaded (not wanted here) have no fd and ran never. */
	bpf_object__for_each_program(p, t->obj) {
		struct bpf_prog_info info;
		__u32 len = sizeof(info);
		int fd = bpf_program__fd(p);

		memset(&info, 0, sizeof(info));
		if (fd < 0 || bpf_obj_get_info_by_fd(fd, &info, &len))
			continue;
		/* A kernel older than the field (5.12) leaves it zero. */
		sum += info.recursion_misses;
	}
	return sum;
}

int loader_read_stats(const struct tracer *t, uint64_t out[TR_STAT_NR])
{
	int nr_cpus = libbpf_num_possible_cpus();
	__u64 *vals;
	__u32 key;
	int i;

	memset(out, 0, sizeof(uint64_t) * TR_STAT_NR);
	if (!t || t->stats_fd < 0)
		return -EINVAL;
	if (nr_cpus <= 0)
		return nr_cpus ? nr_cpus : -EINVAL;
	vals = calloc(nr_cpus, sizeof(*vals));
	if (!vals)
		return -ENOMEM;
	for (key = 0; key < TR_STAT_NR; key++) {
		if (bpf_map_lookup_elem(t->stats_fd, &key, vals)) {
			int err = -errno;

			free(vals);
			return err;
		}
		for (i = 0; i < nr_cpus; i++)
			out[key] += vals[i];
	}
	free(vals);
	return 0;
}

int loader_read_fails(const struct tracer *t,
		      void (*cb)(void *ctx, uint32_t event_id, unsigned int arg, uint64_t n),
		      void *ctx)
{
	int fd = loader_map_fd(t, "read_fails");
	__u32 key, next, *prev = NULL;
	__u64 v;
	int n = 0;

	if (fd < 0)
		return fd;
	/* A key deleted meanwhile restarts the walk: none is (the kernel only adds). */
	while (!bpf_map_get_next_key(fd, prev, &next)) {
		key = next;
		prev = &key;
		if (bpf_map_lookup_elem(fd, &key, &v))
			continue;
		cb(ctx, key >> 8, key & 0xff, v);
		n++;
	}
	return n;
}
