// SPDX-License-Identifier: GPL-2.0
/*
 * loader_maps.c - the object's maps before load: the ring buffer (or
 * the perf event array) sized or made inert, and maps the kernel cannot
 * create (task storage before 5.11) retyped to small unused hashes.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/libbpf.h>

#include "features.h"
#include "log.h"
#include "loader_priv.h"

/* Sizes, and retyping of maps the kernel cannot create and we do not use. */
int loader_setup_maps(struct tracer *t, const struct features *f, char *err, size_t errlen)
{
	struct bpf_map *events = bpf_object__find_map_by_name(t->obj, "events");
	struct bpf_map *perf = bpf_object__find_map_by_name(t->obj, "perf_events");
	struct bpf_map *map;
	int ret = 0;

	if (!bpf_object__find_map_by_name(t->obj, "stats")) {
		tr_seterr(err, errlen, "it has no 'stats' map");
		return -EINVAL;
	}
	if (t->ringbuf) {
		if (!events || bpf_map__type(events) != BPF_MAP_TYPE_RINGBUF) {
			tr_seterr(err, errlen, "it has no 'events' ring buffer map");
			return -EINVAL;
		}
		ret = bpf_map__set_max_entries(events, RINGBUF_SZ);
	} else {
		if (!perf || bpf_map__type(perf) != BPF_MAP_TYPE_PERF_EVENT_ARRAY) {
			tr_seterr(err, errlen, "it has no 'perf_events' perf event array map");
			return -EINVAL;
		}
		if (events && f->ringbuf) {
			ret = bpf_map__set_max_entries(events, getpagesize());
		} else if (events) {
			/* Kernels before 5.8 cannot create a ring buffer: make it inert. */
			ret = bpf_map__set_type(events, BPF_MAP_TYPE_ARRAY) ?:
			      bpf_map__set_key_size(events, 4) ?:
			      bpf_map__set_value_size(events, 4) ?:
			      bpf_map__set_max_entries(events, 1);
		}
	}
	if (ret)
		goto out;
	/* The --scope follow set's size: tests make it small to fill it. */
	map = bpf_object__find_map_by_name(t->obj, "followed");
	if (map && getenv("TRACEE_FOLLOW_MAX")) {
		const char *v = getenv("TRACEE_FOLLOW_MAX");
		char *end;
		unsigned long n = strtoul(v, &end, 10);

		if (!*v || *end || n < 1 || n > (1u << 22)) {
			tr_seterr(err, errlen, "TRACEE_FOLLOW_MAX=%s: give a number of processes, "
				  "1 to 4194304", v);
			return -EINVAL;
		}
		ret = bpf_map__set_max_entries(map, n);
		if (ret)
			goto out;
	}
	/* The syscall records kept from sys_enter to sys_exit: tests fill them. */
	if (getenv("TRACEE_ENTRY_MAX")) {
		const char *v = getenv("TRACEE_ENTRY_MAX");
		struct bpf_map *small = bpf_object__find_map_by_name(t->obj, "entry_small");
		struct bpf_map *big = bpf_object__find_map_by_name(t->obj, "entry_big");
		char *end;
		unsigned long n = strtoul(v, &end, 10);

		if (!*v || *end || n < 1 || n > (1u << 16)) {
			tr_seterr(err, errlen, "TRACEE_ENTRY_MAX=%s: give a number of threads, "
				  "1 to 65536", v);
			return -EINVAL;
		}
		if (small)
			ret = bpf_map__set_max_entries(small, n);
		if (!ret && big)
			ret = bpf_map__set_max_entries(big, n);
		if (ret)
			goto out;
	}
	if (!f->task_storage) {
		/* The kernel side falls back to a hash by tid (use_task_storage = 0). */
		bpf_object__for_each_map(map, t->obj) {
			if (bpf_map__type(map) != BPF_MAP_TYPE_TASK_STORAGE)
				continue;
			tr_verbose(1, "map %s: task storage unavailable, made an unused hash",
				   bpf_map__name(map));
			ret = bpf_map__set_type(map, BPF_MAP_TYPE_HASH) ?:
			      bpf_map__set_max_entries(map, 1);
			if (ret)
				goto out;
		}
	}
out:
	if (ret)
		tr_seterr(err, errlen, "sizing its maps failed: %s", strerror(-ret));
	return ret;
}
