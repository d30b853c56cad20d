/* SPDX-License-Identifier: GPL-2.0 */
/*
 * loader.h - choose the eBPF object, check it is safe, load it, attach it.
 *
 * Search order (first hit wins; one stderr line says which and why):
 *   1. TRACEE_BPF_FILE: that object or a hard error, never a fallback;
 *   2. the install path (--install-path, default /tmp/tracee): a
 *      kernel-specific object for the running kernel, else a CO-RE object;
 *   3. the CO-RE object installed with the program (PKGLIBDIR);
 *   4. build the kernel-specific object now (--build-policy).
 * CO-RE objects are skipped when no BTF is available (kernel or --btf).
 * All or nothing: on failure everything loaded or attached is undone.
 */
#ifndef TRACEE_LOADER_H
#define TRACEE_LOADER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "events.h"

struct tracer;	/* a loaded, attached object */
struct bpf_object;

enum build_policy {
	BUILD_NEVER,
	BUILD_IF_NEEDED,
	BUILD_ALWAYS,
};

struct loader_opts {
	const char *install_path;	/* default "/tmp/tracee" */
	const char *btf_path;		/* --btf or TRACEE_BTF_FILE, or NULL */
	const char *kernel_headers;	/* --kernel-headers, or NULL for the running kernel's */
	const char *core_obj_dir;	/* where the packaged CO-RE object lives (PKGLIBDIR) */
	const char *bpf_src_dir;	/* installed BPF sources for run-time builds (PKGDATADIR/bpf) */
	enum build_policy build_policy;
	bool force_perfbuf;		/* use the perf buffer even where a ring buffer works */
	bool allow_foreign_kernel;	/* load a kernel-specific object built for another release */
	const struct tr_selection *sel;	/* events to emit */
	pid_t self_pid;			/* never trace ourselves */
	/*
	 * Optional hooks for modules that push state into the kernel side
	 * (scopes): cfg_hook edits tr_cfg after the loader filled it, before
	 * load; prog_hook may switch programs' autoload after the loader chose
	 * them (sel is the selection above), before load; maps_hook fills maps
	 * after load, before anything is attached.  A non-zero return (a
	 * negative errno, already reported) undoes it all.
	 */
	int (*cfg_hook)(void *ctx, struct tr_config *cfg);
	int (*prog_hook)(void *ctx, const struct tr_selection *sel, struct bpf_object *obj);
	int (*maps_hook)(void *ctx, const struct tracer *t);
	void *hook_ctx;
};

/* Choose, check, load and attach.  NULL with errno set, everything undone. */
struct tracer *loader_open(const struct loader_opts *opts);
/* Detach and unload; NULL-safe. */
void loader_close(struct tracer *t);

/* Where the chosen object came from, for --probe and messages. */
const char *loader_object_path(const struct tracer *t);
bool loader_uses_ringbuf(const struct tracer *t);
/* Fds the reader needs: the ring buffer map or the perf event array map. */
int loader_events_map_fd(const struct tracer *t);
/* A map of the loaded object by name (for maps_hook), or -ENOENT. */
int loader_map_fd(const struct tracer *t, const char *name);
/* Sum the per-CPU kernel-side counters (enum tr_stat). */
int loader_read_stats(const struct tracer *t, uint64_t out[TR_STAT_NR]);
/*
 * The kernel side's read failures (TR_STAT_READ_FAIL) by event and argument
 * index: cb once per pair seen.  Failures not tied to an argument (kernel
 * path walks) and pairs beyond the map's 1024 are in the total only.
 * Returns the number of pairs or a negative errno.
 */
int loader_read_fails(const struct tracer *t,
		      void (*cb)(void *ctx, uint32_t event_id, unsigned int arg, uint64_t n),
		      void *ctx);
/*
 * Runs of our programs the kernel skipped because one of them was already
 * running on that CPU (bpf_prog_info.recursion_misses, summed): the events
 * they would have sent are lost in the kernel.
 */
uint64_t loader_recursion_misses(const struct tracer *t);
/*
 * For each loaded program: its name, runs and time in it, as the kernel
 * counts them while kernel.bpf_stats_enabled is 1 (zero otherwise).
 */
void loader_prog_stats(const struct tracer *t,
		       void (*cb)(void *ctx, const char *name, uint64_t runs, uint64_t run_ns),
		       void *ctx);

/*
 * Only the choice, without loading: fills path and reason (for --probe).
 * Returns 0 or a negative errno with the error already reported.
 */
int loader_choose(const struct loader_opts *opts, char *path, size_t pathlen,
		  char *reason, size_t reasonlen);

/*
 * What an object's ".tracee.meta" section says (NUL-separated key=value
 * strings).  Exposed for --probe messages and unit tests.
 */
struct loader_meta {
	char flavour[16];	/* "core" or "kernel" */
	char release[128];	/* kernel release a "kernel" object was built for */
	char version[64];	/* tracee version that built it */
	char arch[16];		/* "x86_64" or "arm64": the pt_regs layout and syscall numbers it reads */
};

/*
 * Read the meta section of an eBPF ELF object held in memory.  Returns 0, or
 * -ENOEXEC (not an eBPF ELF object), -ENOENT (no .tracee.meta section) or
 * -EINVAL (malformed), with the reason in err.
 */
int loader_read_meta(const void *buf, size_t sz, struct loader_meta *m, char *err, size_t errlen);

#endif /* TRACEE_LOADER_H */
