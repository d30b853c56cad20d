// SPDX-License-Identifier: GPL-2.0
/*
 * loader.c - loader_open() runs the steps in order: choose the object
 * (loader_choose.c), open it, set its rodata (loader_config.c) and maps
 * (loader_maps.c), gate its programs (loader_progs.c), load, attach
 * (loader_attach.c).  All or nothing: any failure closes the object, so
 * nothing stays loaded or attached, and nothing is ever pinned.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "btf.h"
#include "events.h"
#include "features.h"
#include "log.h"
#include "loader_priv.h"

static int libbpf_log(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	int need = level == LIBBPF_WARN ? 1 : level == LIBBPF_INFO ? 2 : 3;

	if (log_verbosity < need)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

void loader_close(struct tracer *t)
{
	unsigned int i;

	if (!t)
		return;
	for (i = t->nr_links; i > 0; i--)
		bpf_link__destroy(t->links[i - 1]);
	free(t->links);
	bpf_object__close(t->obj);
	free(t->obj_buf);
	free(t);
}

struct tracer *loader_open(const struct loader_opts *opts)
{
	LIBBPF_OPTS(bpf_object_open_opts, oo, .object_name = "tracee");
	struct choice c = { .opts = opts };
	const struct features *f;
	struct tr_config cfg;
	struct tracer *t;
	struct cand cand;
	char err[512];
	int ret;

	libbpf_set_print(libbpf_log);
	f = features_probe();
	ret = loader_choose_object(&c, &cand);
	if (ret) {
		errno = -ret;
		return NULL;
	}
	tr_info("eBPF object %s (%s)", cand.path, cand.reason);
	if (c.skipped[0])
		tr_verbose(1, "passed over: %s", c.skipped);

	t = calloc(1, sizeof(*t));
	if (!t) {
		free(cand.buf);
		errno = ENOMEM;
		return NULL;
	}
	t->events_fd = t->stats_fd = -1;
	t->obj_buf = cand.buf;
	snprintf(t->path, sizeof(t->path), "%s", cand.path);
	t->ringbuf = f->ringbuf && !opts->force_perfbuf;
	if (opts->force_perfbuf)
		tr_verbose(1, "perf buffer forced (--perf-buffer)");
	else if (!f->ringbuf)
		tr_info("no ring buffer on this kernel: using the perf buffer");

	if (c.btf_path[0])
		oo.btf_custom_path = c.btf_path;
	t->obj = bpf_object__open_mem(cand.buf, cand.sz, &oo);
	if (!t->obj) {
		ret = -errno;
		loader_report_failure("open", t->path, ret, cand.strict && getenv("TRACEE_BPF_FILE"));
		goto fail;
	}
	loader_fill_config(opts, f, &cfg);
	cfg.use_ringbuf = t->ringbuf;
	if (opts->cfg_hook) {
		ret = opts->cfg_hook(opts->hook_ctx, &cfg);
		if (ret)
			goto fail;
	}
	ret = loader_set_rodata(t->obj, &cfg, err, sizeof(err));
	if (!ret)
		ret = loader_setup_maps(t, f, err, sizeof(err));
	if (ret) {
		tr_err("eBPF object %s: %s (the object is corrupt or not a tracee eBPF object; rebuild it%s)",
		       t->path, err, getenv("TRACEE_BPF_FILE") ? " or unset TRACEE_BPF_FILE" : "");
		goto fail;
	}
	{
		const struct btf *kbtf = NULL;
		unsigned int nr;

		if (c.btf_path[0] || f->btf)
			kbtf = btf_target(c.btf_path);
		nr = loader_choose_programs(t, opts, f, kbtf, &cfg);
		/* Nothing needs the kernel's BTF past this point (libbpf keeps its
		 * own for the load): give its megabytes back for the run. */
		btf_release();
		if (opts->prog_hook) {
			struct bpf_program *prog;

			ret = opts->prog_hook(opts->hook_ctx, opts->sel, t->obj);
			if (ret)
				goto fail;
			nr = 0;
			bpf_object__for_each_program(prog, t->obj)
				nr += bpf_program__autoload(prog);
		}
		if (!nr)
			ret = -EINVAL;
	}
	if (ret) {
		tr_err("eBPF object %s: no program left to attach for the selected events on this kernel (select other events with -e)",
		       t->path);
		ret = -EINVAL;
		goto fail;
	}
	loader_warn_missing_hooks(t, opts);

	ret = bpf_object__load(t->obj);
	if (ret) {
		loader_report_failure("load", t->path, ret, getenv("TRACEE_BPF_FILE") != NULL);
		goto fail;
	}
	t->events_fd = bpf_map__fd(bpf_object__find_map_by_name(t->obj,
				   t->ringbuf ? "events" : "perf_events"));
	t->stats_fd = bpf_map__fd(bpf_object__find_map_by_name(t->obj, "stats"));
	if (opts->maps_hook) {
		ret = opts->maps_hook(opts->hook_ctx, t);
		if (ret)
			goto fail;
	}
	ret = loader_attach_all(t, getenv("TRACEE_BPF_FILE") != NULL);
	if (ret)
		goto fail;
	tr_verbose(1, "attached %u programs, %s", t->nr_links,
		   t->ringbuf ? "ring buffer" : "perf buffer");
	return t;
fail:
	loader_close(t);
	/* ENOENT means "no object" to the caller: not what happened here. */
	errno = (ret == -ENOENT || ret >= 0) ? EINVAL : -ret;
	return NULL;
}

const char *loader_object_path(const struct tracer *t)
{
	return t ? t->path : NULL;
}

bool loader_uses_ringbuf(const struct tracer *t)
{
	return t && t->ringbuf;
}

int loader_events_map_fd(const struct tracer *t)
{
	return t ? t->events_fd : -EINVAL;
}

int loader_map_fd(const struct tracer *t, const char *name)
{
	struct bpf_map *map;
	int fd;

	if (!t || !t->obj || !name)
		return -EINVAL;
	map = bpf_object__find_map_by_name(t->obj, name);
	if (!map)
		return -ENOENT;
	fd = bpf_map__fd(map);
	return fd >= 0 ? fd : -ENOENT;
}
