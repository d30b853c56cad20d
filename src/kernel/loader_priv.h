/* SPDX-License-Identifier: GPL-2.0 */
/*
 * loader_priv.h - what the loader's files share and nothing else sees: the
 * loaded object (struct tracer), a candidate object and the state of the
 * search for one, and each step of loader_open() in the order it runs:
 * choose (loader_choose.c) -> configure rodata (loader_config.c) -> size
 * and retype maps (loader_maps.c) -> gate programs (loader_progs.c) ->
 * load and attach (loader.c, loader_attach.c); stats (loader_stats.c).
 */
#ifndef TRACEE_LOADER_PRIV_H
#define TRACEE_LOADER_PRIV_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#include "loader.h"

struct bpf_link;
struct btf;
struct features;
struct tr_config;

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "0"
#endif

#define META_SECTION	".tracee.meta"
#define CORE_OBJ_NAME	"tracee.bpf.core.o"
/*
 * Ring buffer size: 16 MiB absorbs a burst of ~100k average records while
 * the reader sleeps its 10 ms poll interval.
 */
#ifndef RINGBUF_SZ
#define RINGBUF_SZ	(16u << 20)
#endif

struct tracer {
	struct bpf_object *obj;
	struct bpf_link **links;
	unsigned int nr_links;
	void *obj_buf;			/* libbpf reads the ELF from here until load */
	char path[PATH_MAX];
	bool ringbuf;
	int events_fd;
	int stats_fd;
};

/* One candidate object, read into memory through a trusted fd. */
struct cand {
	char path[PATH_MAX];
	char reason[PATH_MAX + 512];
	struct loader_meta meta;
	void *buf;
	size_t sz;
	bool strict;			/* named by the user or just built: no fallback */
};

struct choice {
	const struct loader_opts *opts;
	char release[256];		/* uname -r */
	bool have_btf;
	char btf_path[PATH_MAX];	/* external BTF, "" for the kernel's */
	bool dry_run;			/* --probe: never build */
	char skipped[1024];		/* why earlier candidates were passed over */
};

/* loader_choose.c: fill cand (buffer owned by it) or report and fail. */
int loader_choose_object(struct choice *c, struct cand *cand);

/* loader_config.c: tr_cfg from the selection and features; write it to .rodata. */
void loader_fill_config(const struct loader_opts *o, const struct features *f,
			struct tr_config *cfg);
int loader_set_rodata(struct bpf_object *obj, const struct tr_config *cfg, char *err,
		      size_t errlen);
/* Does any syscall need the sys_enter program? */
bool loader_syscall_enter_wanted(const struct tr_config *cfg);

/* loader_maps.c: sizes, and retyping of maps the kernel cannot create. */
int loader_setup_maps(struct tracer *t, const struct features *f, char *err, size_t errlen);

/* loader_progs.c: autoload only what the selection needs and the kernel can do. */
unsigned int loader_choose_programs(struct tracer *t, const struct loader_opts *o,
				    const struct features *f, const struct btf *kbtf,
				    const struct tr_config *cfg);
void loader_warn_missing_hooks(struct tracer *t, const struct loader_opts *o);

/* loader_attach.c: attach every autoloaded program; one line per failure. */
int loader_attach_all(struct tracer *t, bool from_env);
void loader_report_failure(const char *stage, const char *path, int err, bool from_env);

#endif /* TRACEE_LOADER_PRIV_H */
