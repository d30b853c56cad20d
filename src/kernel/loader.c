// SPDX-License-Identifier: GPL-2.0
/*
 * loader.c - choose the eBPF object (TRACEE_BPF_FILE -> install path ->
 * packaged -> run-time build), check it is safe and meant for this kernel,
 * set its rodata knobs, switch off what the kernel lacks, load, attach.
 * All or nothing: any failure closes the object, so nothing stays loaded
 * or attached, and nothing is ever pinned.
 */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <glob.h>
#include <stdarg.h>
#include <stddef.h>
#include <libelf.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <linux/types.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "btf.h"
#include "events.h"
#include "features.h"
#include "fsafe.h"
#include "kbuild.h"
#include "loader.h"
#include "log.h"

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "0"
#endif

#define META_SECTION	".tracee.meta"
#define CORE_OBJ_NAME	"tracee.bpf.core.o"
#ifdef PKGLIBDIR
#define PKGLIBDIR_FALLBACK PKGLIBDIR
#else
#define PKGLIBDIR_FALLBACK "the packaged object directory"
#endif
#define OBJ_MAX_SZ	(64u << 20)	/* an object is ~100 KiB; refuse absurd files */
/*
 * Ring buffer size: 16 MiB absorbs a burst of ~100k average records while
 * the reader sleeps its 10 ms poll interval.  The kernel side wakes the
 * reader early each time one CPU has sent wakeup_bytes: a quarter of the
 * ring spread over the CPUs, so that all of them together wake it well
 * before the ring fills.
 */
#ifndef RINGBUF_SZ
#define RINGBUF_SZ	(16u << 20)
#endif
#define WAKEUP_MIN	(64u << 10)

static __u32 wakeup_bytes(void)
{
	int nr_cpus = libbpf_num_possible_cpus();
	__u32 w;

	if (nr_cpus < 1)
		nr_cpus = 1;
	w = RINGBUF_SZ / 4 / (__u32)nr_cpus;
	return w < WAKEUP_MIN ? WAKEUP_MIN : w;
}

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

/*
 * ---------------------------------------------------------------------
 * The .tracee.meta section
 * ---------------------------------------------------------------------
 */
static void seterr(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void seterr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (!err || !errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

static int meta_set(char *dst, size_t dstlen, const char *val, size_t len, const char *key,
		    char *err, size_t errlen)
{
	if (len >= dstlen) {
		seterr(err, errlen, "%s %s value is too long", META_SECTION, key);
		return -EINVAL;
	}
	memcpy(dst, val, len);
	dst[len] = '\0';
	return 0;
}

static int meta_parse(const char *p, size_t sz, struct loader_meta *m, char *err, size_t errlen)
{
	const char *end = p + sz;
	bool seen_release = false;
	int ret;

	memset(m, 0, sizeof(*m));
	while (p < end) {
		const char *nul = memchr(p, '\0', end - p);
		size_t len = nul ? (size_t)(nul - p) : (size_t)(end - p);
		const char *eq = memchr(p, '=', len);

		if (len && !eq) {
			seterr(err, errlen, "%s holds '%.*s', not key=value", META_SECTION,
			       (int)(len > 40 ? 40 : len), p);
			return -EINVAL;
		}
		if (len) {
			size_t klen = eq - p, vlen = len - klen - 1;

			ret = 0;
			if (klen == 7 && !memcmp(p, "flavour", 7))
				ret = meta_set(m->flavour, sizeof(m->flavour), eq + 1, vlen, "flavour",
					       err, errlen);
			else if (klen == 7 && !memcmp(p, "release", 7)) {
				ret = meta_set(m->release, sizeof(m->release), eq + 1, vlen, "release",
					       err, errlen);
				seen_release = true;
			} else if (klen == 7 && !memcmp(p, "version", 7))
				ret = meta_set(m->version, sizeof(m->version), eq + 1, vlen, "version",
					       err, errlen);
			/* Unknown keys: written by a newer tracee, harmless. */
			if (ret)
				return ret;
		}
		p += len + 1;
	}
	if (strcmp(m->flavour, "core") && strcmp(m->flavour, "kernel")) {
		seterr(err, errlen, "%s flavour is '%s', not core or kernel", META_SECTION,
		       m->flavour);
		return -EINVAL;
	}
	if (!m->version[0]) {
		seterr(err, errlen, "%s has no version", META_SECTION);
		return -EINVAL;
	}
	if (!strcmp(m->flavour, "kernel") && (!seen_release || !m->release[0])) {
		seterr(err, errlen, "%s: a kernel-specific object without a release", META_SECTION);
		return -EINVAL;
	}
	return 0;
}

int loader_read_meta(const void *buf, size_t sz, struct loader_meta *m, char *err, size_t errlen)
{
	Elf_Scn *scn = NULL;
	GElf_Ehdr ehdr;
	size_t shstrndx;
	Elf *elf;
	int ret = -ENOENT;

	if (elf_version(EV_CURRENT) == EV_NONE) {
		seterr(err, errlen, "libelf: %s", elf_errmsg(-1));
		return -EINVAL;
	}
	if (!buf || sz < 16 || memcmp(buf, ELFMAG, SELFMAG)) {
		seterr(err, errlen, "not an ELF file");
		return -ENOEXEC;
	}
	elf = elf_memory((char *)buf, sz);
	if (!elf || elf_kind(elf) != ELF_K_ELF || !gelf_getehdr(elf, &ehdr)) {
		seterr(err, errlen, "not a valid ELF file (%s)", elf_errmsg(-1));
		ret = -ENOEXEC;
		goto out;
	}
	if (ehdr.e_machine != EM_BPF) {
		seterr(err, errlen, "an ELF file for machine %u, not eBPF", (unsigned int)ehdr.e_machine);
		ret = -ENOEXEC;
		goto out;
	}
	if (ehdr.e_shoff > sz || (sz - ehdr.e_shoff) / (ehdr.e_shentsize ? ehdr.e_shentsize : 1) <
				    ehdr.e_shnum) {
		seterr(err, errlen, "truncated: its section headers end past its %zu bytes", sz);
		ret = -ENOEXEC;
		goto out;
	}
	if (elf_getshdrstrndx(elf, &shstrndx)) {
		seterr(err, errlen, "ELF section names unreadable (%s)", elf_errmsg(-1));
		ret = -ENOEXEC;
		goto out;
	}
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr shdr;
		const char *name;
		Elf_Data *data;

		if (!gelf_getshdr(scn, &shdr)) {
			seterr(err, errlen, "ELF section header unreadable (%s)", elf_errmsg(-1));
			ret = -ENOEXEC;
			goto out;
		}
		name = elf_strptr(elf, shstrndx, shdr.sh_name);
		if (!name || strcmp(name, META_SECTION))
			continue;
		if (shdr.sh_type == SHT_NOBITS) {
			seterr(err, errlen, "%s section is empty", META_SECTION);
			ret = -EINVAL;
			goto out;
		}
		data = elf_getdata(scn, NULL);
		if (!data || !data->d_buf) {
			seterr(err, errlen, "%s section unreadable (%s)", META_SECTION, elf_errmsg(-1));
			ret = -EINVAL;
			goto out;
		}
		ret = meta_parse(data->d_buf, data->d_size, m, err, errlen);
		goto out;
	}
	seterr(err, errlen, "no %s section", META_SECTION);
out:
	elf_end(elf);
	return ret;
}

/*
 * ---------------------------------------------------------------------
 * Choosing the object
 * ---------------------------------------------------------------------
 */
static void note_skip(struct choice *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Remember why a candidate was passed over: -v prints it, errors summarise it. */
static void note_skip(struct choice *c, const char *fmt, ...)
{
	char line[PATH_MAX + 128];
	size_t len = strlen(c->skipped);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	tr_verbose(1, "%s", line);
	if (len + 2 + strlen(line) < sizeof(c->skipped))
		snprintf(c->skipped + len, sizeof(c->skipped) - len, "%s%s", len ? "; " : "", line);
}

static const char *btf_desc(const struct choice *c)
{
	return c->btf_path[0] ? c->btf_path : "/sys/kernel/btf/vmlinux";
}

/*
 * Try one object.  Returns 0 when it is usable (cand filled, buffer owned
 * by cand), 1 when it is absent or passed over, or a negative errno after
 * reporting a hard error (an unsafe or corrupt file, a wrong kernel).
 */
static int try_object(struct choice *c, const char *path, bool strict, const char *want_flavour,
		      struct cand *cand)
{
	const char *fix = strict ? (getenv("TRACEE_BPF_FILE") ? "fix or unset TRACEE_BPF_FILE" : "rebuild it")
				 : "remove it or rebuild it";
	char err[1024];
	void *buf = NULL;
	size_t sz = 0;
	int ret;

	ret = fsafe_read_trusted(path, OBJ_MAX_SZ, "eBPF object", &buf, &sz, err, sizeof(err));
	if (ret == -ENOENT && !strict) {
		tr_verbose(2, "no %s", path);
		return 1;
	}
	if (ret) {
		tr_err("%s (%s)", err, fix);
		return ret == -ENOENT ? -EINVAL : ret;
	}
	ret = loader_read_meta(buf, sz, &cand->meta, err, sizeof(err));
	if (ret) {
		tr_err("eBPF object %s: %s (the object is corrupt or not a tracee eBPF object; %s)",
		       path, err, fix);
		ret = -EINVAL;
		goto out_free;
	}
	if (want_flavour && strcmp(cand->meta.flavour, want_flavour)) {
		tr_err("eBPF object %s: its %s says flavour '%s' but its name says '%s' (%s)",
		       path, META_SECTION, cand->meta.flavour, want_flavour, fix);
		ret = -EINVAL;
		goto out_free;
	}
	if (strcmp(cand->meta.version, PACKAGE_VERSION)) {
		if (strict) {
			tr_err("eBPF object %s was built by tracee %s, this is tracee %s: their record layouts may differ (%s)",
			       path, cand->meta.version, PACKAGE_VERSION, fix);
			ret = -EINVAL;
			goto out_free;
		}
		note_skip(c, "%s skipped: built by tracee %s, this is %s", path, cand->meta.version,
			  PACKAGE_VERSION);
		ret = 1;
		goto out_free;
	}
	if (!strcmp(cand->meta.flavour, "core") && !c->have_btf) {
		if (strict) {
			tr_err("eBPF object %s is a CO-RE object, but this kernel has no BTF (pass --btf FILE, e.g. from BTFHub, or use a kernel-specific object)",
			       path);
			ret = -EINVAL;
			goto out_free;
		}
		note_skip(c, "%s skipped: CO-RE object and no BTF", path);
		ret = 1;
		goto out_free;
	}
	if (!strcmp(cand->meta.flavour, "kernel") && strcmp(cand->meta.release, c->release)) {
		if (!c->opts->allow_foreign_kernel) {
			tr_err("eBPF object %s was built for kernel %s, but the running kernel is %s: its offsets would be wrong and the events would lie (use an object built for %s, or pass --allow-foreign-kernel-object to load it anyway)",
			       path, cand->meta.release, c->release, c->release);
			ret = -EINVAL;
			goto out_free;
		}
		tr_info("warning: loading %s, built for kernel %s, on kernel %s (--allow-foreign-kernel-object): values read from kernel memory may be wrong",
			path, cand->meta.release, c->release);
	}
	snprintf(cand->path, sizeof(cand->path), "%s", path);
	cand->buf = buf;
	cand->sz = sz;
	cand->strict = strict;
	return 0;
out_free:
	free(buf);
	return ret;
}

/* Kernel-specific object for the running kernel, then CO-RE, in dir. */
static int search_dir(struct choice *c, const char *dir, const char *what, struct cand *cand)
{
	char path[PATH_MAX], err[1024];
	int ret;

	ret = fsafe_check_dir(dir, what, err, sizeof(err));
	if (ret == -ENOENT) {
		note_skip(c, "%s %s does not exist", what, dir);
		return 1;
	}
	if (ret) {
		tr_err("%s", err);
		return ret;
	}
	snprintf(path, sizeof(path), "%s/tracee.bpf.%s.%s.o", dir, c->release, PACKAGE_VERSION);
	ret = try_object(c, path, false, "kernel", cand);
	if (ret <= 0) {
		if (!ret)
			snprintf(cand->reason, sizeof(cand->reason),
				 "kernel-specific object for %s in the %s", c->release, what);
		return ret;
	}
	snprintf(path, sizeof(path), "%s/" CORE_OBJ_NAME, dir);
	if (!c->have_btf) {
		struct stat st;

		if (!lstat(path, &st))
			note_skip(c, "%s skipped: CO-RE objects need BTF (--btf FILE)", path);
		return 1;
	}
	ret = try_object(c, path, false, "core", cand);
	if (!ret)
		snprintf(cand->reason, sizeof(cand->reason), "CO-RE object in the %s, BTF %s", what,
			 btf_desc(c));
	return ret;
}

static void report_nothing(const struct choice *c, const char *why)
{
	const char *dir = c->opts->core_obj_dir ? c->opts->core_obj_dir : PKGLIBDIR_FALLBACK;

	if (c->have_btf)
		tr_err("no usable eBPF object for kernel %s (%s%s%s): put tracee's CO-RE object " CORE_OBJ_NAME " in %s or %s (BTF is there), set TRACEE_BPF_FILE to an object, or install the kernel headers and clang and allow a build (--build-policy if-needed)",
		       c->release, why, c->skipped[0] ? "; " : "", c->skipped, c->opts->install_path,
		       dir);
	else
		tr_err("no usable eBPF object for kernel %s (%s%s%s): enable BTF (CONFIG_DEBUG_INFO_BTF) or pass --btf FILE (e.g. from BTFHub), set TRACEE_BPF_FILE to an object, or install the kernel headers and clang and allow a build (--build-policy if-needed)",
		       c->release, why, c->skipped[0] ? "; " : "", c->skipped);
}

static int choose(struct choice *c, struct cand *cand)
{
	const struct loader_opts *o = c->opts;
	char headers[PATH_MAX], hrel[256], built[PATH_MAX], path[PATH_MAX];
	const char *env = getenv("TRACEE_BPF_FILE");
	struct utsname u;
	struct stat st;
	int ret;

	memset(cand, 0, sizeof(*cand));
	if (!o->install_path) {
		tr_err("loader: no install path configured");
		return -EINVAL;
	}
	if (uname(&u)) {
		tr_err("uname: %s", strerror(errno));
		return -errno;
	}
	snprintf(c->release, sizeof(c->release), "%s", u.release);
	ret = btf_locate(o->btf_path, c->btf_path, sizeof(c->btf_path));
	if (ret < 0)
		return ret == -ENOENT ? -EINVAL : ret;	/* a bad --btf is an error, not "no object" */
	c->have_btf = ret > 0;

	if (env && *env) {
		if (o->build_policy == BUILD_ALWAYS)
			tr_verbose(1, "--build-policy always ignored: TRACEE_BPF_FILE names the object");
		ret = try_object(c, env, true, NULL, cand);
		if (!ret)
			snprintf(cand->reason, sizeof(cand->reason), "TRACEE_BPF_FILE, %s object%s%s",
				 !strcmp(cand->meta.flavour, "core") ? "CO-RE" : "kernel-specific",
				 !strcmp(cand->meta.flavour, "core") ? ", BTF " : "",
				 !strcmp(cand->meta.flavour, "core") ? btf_desc(c) : "");
		return ret;
	}

	if (o->build_policy != BUILD_ALWAYS) {
		ret = search_dir(c, o->install_path, "install path", cand);
		if (ret <= 0)
			return ret;
		if (o->core_obj_dir) {
			ret = search_dir(c, o->core_obj_dir, "packaged object directory", cand);
			if (ret <= 0)
				return ret;
		}
		if (o->build_policy == BUILD_NEVER) {
			report_nothing(c, "--build-policy never");
			return -ENOENT;
		}
	}

	/* Build the kernel-specific object now. */
	if (o->kernel_headers)
		snprintf(headers, sizeof(headers), "%s", o->kernel_headers);
	else
		snprintf(headers, sizeof(headers), "/lib/modules/%s/build", c->release);
	if (stat(headers, &st) || !S_ISDIR(st.st_mode)) {
		char why[PATH_MAX + 64];

		snprintf(why, sizeof(why), "no kernel headers at %s to build one", headers);
		report_nothing(c, why);
		return -ENOENT;
	}
	if (kbuild_headers_release(o->bpf_src_dir, headers, hrel, sizeof(hrel))) {
		if (o->kernel_headers) {
			tr_err("kernel headers %s: cannot tell which kernel release they are for (point --kernel-headers at the build directory, e.g. /usr/src/linux-headers-%s)",
			       headers, c->release);
			return -ENOENT;
		}
		snprintf(hrel, sizeof(hrel), "%s", c->release);
	}
	if (strcmp(hrel, c->release) && !o->allow_foreign_kernel) {
		tr_err("kernel headers %s are for kernel %s, but the running kernel is %s: an object built from them would read wrong offsets (point --kernel-headers at headers for %s, or pass --allow-foreign-kernel-object)",
		       headers, hrel, c->release, c->release);
		return -ENOENT;
	}
	if (c->dry_run) {
		snprintf(cand->path, sizeof(cand->path), "%s/tracee.bpf.%s.%s.o", o->install_path, hrel,
			 PACKAGE_VERSION);
		snprintf(cand->reason, sizeof(cand->reason),
			 "not built yet: would be built at run time from the headers in %s", headers);
		return 0;
	}
	ret = kbuild_build(o->bpf_src_dir, headers, hrel, o->install_path, built, sizeof(built));
	if (ret)
		return ret == -ENOENT ? -ENOENT : ret;
	snprintf(path, sizeof(path), "%s", built);
	ret = try_object(c, path, true, "kernel", cand);
	if (!ret)
		snprintf(cand->reason, sizeof(cand->reason),
			 "built at run time from the headers in %s%s", headers,
			 o->build_policy == BUILD_ALWAYS ? " (--build-policy always)" : "");
	return ret;
}

int loader_choose(const struct loader_opts *opts, char *path, size_t pathlen, char *reason,
		  size_t reasonlen)
{
	struct choice c = { .opts = opts, .dry_run = true };
	struct cand cand;
	int ret;

	ret = choose(&c, &cand);
	if (ret)
		return ret;
	snprintf(path, pathlen, "%s", cand.path);
	snprintf(reason, reasonlen, "%s", cand.reason);
	free(cand.buf);
	return 0;
}

/*
 * ---------------------------------------------------------------------
 * Configuring the object between open and load
 * ---------------------------------------------------------------------
 */
static int libbpf_log(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	int need = level == LIBBPF_WARN ? 1 : level == LIBBPF_INFO ? 2 : 3;

	if (log_verbosity < need)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

/*
 * What a selected syscall event needs of sys_enter (TR_SYS_AT_ENTER): most
 * need nothing, sys_exit reads their arguments from the registers.
 */
static __u64 syscall_entry_needs(const char *name)
{
	/* emitted at entry: the caller's memory is replaced (execve), or the
	 * syscall does not return to a sys_exit that could report it (the exits;
	 * rt_sigreturn returns with orig_ax reset to -1) */
	static const char *const at_entry[] = { "execve", "execveat", "exit", "exit_group",
						"rt_sigreturn" };
	/* they return in the child too, which never entered: pair by entry */
	static const char *const paired[] = { "clone", "clone3", "fork", "vfork" };
	unsigned int i;

	for (i = 0; i < sizeof(at_entry) / sizeof(at_entry[0]); i++)
		if (!strcmp(name, at_entry[i]))
			return TR_SYS_SUBMIT_ENTER | TR_SYS_AT_ENTER;
	for (i = 0; i < sizeof(paired) / sizeof(paired[0]); i++)
		if (!strcmp(name, paired[i]))
			return TR_SYS_AT_ENTER;
	return 0;
}

/* Does any syscall need the sys_enter program? */
static bool syscall_enter_wanted(const struct tr_config *cfg)
{
	unsigned int i;

	for (i = 0; i < TR_MAX_SYSCALL; i++)
		if (cfg->sys_cfg[i] & TR_SYS_AT_ENTER)
			return true;
	return false;
}

static int fill_config(const struct loader_opts *o, const struct features *f,
		       struct tr_config *cfg)
{
	unsigned int i, a;

	memset(cfg, 0, sizeof(*cfg));
	for (i = 0; i < events_nr; i++) {
		const struct tr_event_def *d = &events_table[i];
		__u64 v = 0;

		if (d->id < 0 || d->id >= TR_MAX_SYSCALL)
			continue;
		for (a = 0; a < d->nr_args && a < TR_SYSCALL_ARGS; a++)
			v |= (__u64)(events_capture_tag(d->args[a].type) & 0xf) << (4 * a);
		if (o->sel && selection_has(o->sel, d->id))
			v |= TR_SYS_CAPTURE | TR_SYS_EMIT | syscall_entry_needs(d->name);
		cfg->sys_cfg[d->id] = v;
	}
	if (o->sel)
		memcpy(cfg->ev_sel, o->sel->bits, sizeof(cfg->ev_sel));
	cfg->self_tgid = o->self_pid > 0 ? (__u32)o->self_pid : (__u32)getpid();
	cfg->use_ringbuf = f->ringbuf && !o->force_perfbuf;
	cfg->use_task_storage = f->task_storage;
	cfg->wakeup_bytes = wakeup_bytes();
#ifdef TR_KF_FIND_VMA
	if (f->find_vma)
		cfg->kfeat |= TR_KF_FIND_VMA;
#endif
	if (f->task_storage)	/* probed with bpf_get_current_task_btf() and kernel BTF */
		cfg->kfeat |= TR_KF_TASK_BTF;
	return 0;
}

/* Write cfg over tr_cfg in .rodata, found through the object's BTF. */
static int set_rodata(struct bpf_object *obj, const struct tr_config *cfg, char *err,
		      size_t errlen)
{
	const struct btf_var_secinfo *vs;
	const struct btf_type *sec;
	struct bpf_map *map;
	struct btf *btf = bpf_object__btf(obj);
	const void *init;
	size_t sz, off = 0;
	unsigned int i;
	int sec_id, ret;
	bool found = false;
	void *copy;

	if (!btf) {
		seterr(err, errlen, "it has no BTF (build it with clang -g)");
		return -EINVAL;
	}
	sec_id = btf__find_by_name_kind(btf, ".rodata", BTF_KIND_DATASEC);
	if (sec_id < 0) {
		seterr(err, errlen, "it has no .rodata section, so no tr_cfg");
		return -EINVAL;
	}
	sec = btf__type_by_id(btf, sec_id);
	vs = btf_var_secinfos(sec);
	for (i = 0; i < btf_vlen(sec); i++, vs++) {
		const struct btf_type *var = btf__type_by_id(btf, vs->type);

		if (var && !strcmp(btf__name_by_offset(btf, var->name_off), "tr_cfg")) {
			if (vs->size != sizeof(*cfg)) {
				seterr(err, errlen,
				       "its tr_cfg is %u bytes, this tracee's is %zu (rebuild the object with this version)",
				       vs->size, sizeof(*cfg));
				return -EINVAL;
			}
			off = vs->offset;
			found = true;
			break;
		}
	}
	if (!found) {
		seterr(err, errlen, "it has no tr_cfg variable in .rodata");
		return -EINVAL;
	}
	map = bpf_object__find_map_by_name(obj, ".rodata");
	if (!map) {
		bpf_object__for_each_map(map, obj) {
			const char *n = bpf_map__name(map);
			size_t len = strlen(n);

			if (len >= 7 && !strcmp(n + len - 7, ".rodata"))
				break;
		}
	}
	init = map ? bpf_map__initial_value(map, &sz) : NULL;
	if (!init || off + sizeof(*cfg) > sz) {
		seterr(err, errlen, "its .rodata map is missing or smaller than tr_cfg");
		return -EINVAL;
	}
	copy = malloc(sz);
	if (!copy)
		return -ENOMEM;
	memcpy(copy, init, sz);
	memcpy((char *)copy + off, cfg, sizeof(*cfg));
	ret = bpf_map__set_initial_value(map, copy, sz);
	free(copy);
	if (ret)
		seterr(err, errlen, "setting tr_cfg failed: %s", strerror(-ret));
	return ret;
}

/* Sizes, and retyping of maps the kernel cannot create and we do not use. */
static int setup_maps(struct tracer *t, const struct features *f, char *err, size_t errlen)
{
	struct bpf_map *events = bpf_object__find_map_by_name(t->obj, "events");
	struct bpf_map *perf = bpf_object__find_map_by_name(t->obj, "perf_events");
	struct bpf_map *map;
	int ret = 0;

	if (!bpf_object__find_map_by_name(t->obj, "stats")) {
		seterr(err, errlen, "it has no 'stats' map");
		return -EINVAL;
	}
	if (t->ringbuf) {
		if (!events || bpf_map__type(events) != BPF_MAP_TYPE_RINGBUF) {
			seterr(err, errlen, "it has no 'events' ring buffer map");
			return -EINVAL;
		}
		ret = bpf_map__set_max_entries(events, RINGBUF_SZ);
	} else {
		if (!perf || bpf_map__type(perf) != BPF_MAP_TYPE_PERF_EVENT_ARRAY) {
			seterr(err, errlen, "it has no 'perf_events' perf event array map");
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
		seterr(err, errlen, "sizing its maps failed: %s", strerror(-ret));
	return ret;
}

static bool hook_supported(const char *kind, const struct features *f, const char **need)
{
	static const struct {
		const char *kind;
		size_t off;
		const char *name;
	} kinds[] = {
		{ "raw_tp", offsetof(struct features, raw_tp), "raw tracepoints" },
		{ "raw_tracepoint", offsetof(struct features, raw_tp), "raw tracepoints" },
		{ "tp_btf", offsetof(struct features, tp_btf), "BTF tracepoints (tp_btf)" },
		{ "kprobe", offsetof(struct features, kprobe), "kprobes" },
		{ "kretprobe", offsetof(struct features, kprobe), "kprobes" },
		{ "ksyscall", offsetof(struct features, kprobe), "kprobes" },
		{ "kretsyscall", offsetof(struct features, kprobe), "kprobes" },
		{ "fentry", offsetof(struct features, fentry), "fentry/fexit" },
		{ "fexit", offsetof(struct features, fentry), "fentry/fexit" },
		{ "fmod_ret", offsetof(struct features, fentry), "fentry/fexit" },
		{ "lsm", offsetof(struct features, lsm), "BPF LSM" },
	};
	unsigned int i;

	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		if (strcmp(kind, kinds[i].kind))
			continue;
		*need = kinds[i].name;
		return *(const bool *)((const char *)f + kinds[i].off);
	}
	return true;	/* tracepoint, uprobe, iter, ...: no probe says otherwise */
}

/* Does an events table hook string ("raw_tp/sys_enter+sys_exit") name target? */
static bool hook_names(const char *hook, const char *target)
{
	const char *p = strchr(hook, '/');
	size_t tlen = strlen(target);

	p = p ? p + 1 : hook;
	while (*p) {
		size_t len = strcspn(p, "+");

		if (len == tlen && !memcmp(p, target, len))
			return true;
		p += len;
		if (*p == '+')
			p++;
	}
	return false;
}

/* 1: a selected event needs target; 0: only unselected events do; -1: no event names it. */
static int target_wanted(const char *target, const struct tr_selection *sel)
{
	unsigned int i;
	int ret = -1;

	for (i = 0; i < events_nr; i++) {
		if (!events_table[i].hook || !hook_names(events_table[i].hook, target))
			continue;
		if (!sel || selection_has(sel, events_table[i].id))
			return 1;
		ret = 0;
	}
	return ret;
}

static void split_sec(const char *sec, char *kind, size_t kindlen, const char **target)
{
	const char *slash = strchr(sec, '/');
	size_t len = slash ? (size_t)(slash - sec) : strlen(sec);

	if (len >= kindlen)
		len = kindlen - 1;
	memcpy(kind, sec, len);
	kind[len] = '\0';
	*target = slash ? slash + 1 : "";
	/* tracepoint/sched/sched_process_exec: the event is the last part. */
	if (strchr(*target, '/'))
		*target = strrchr(*target, '/') + 1;
}

/* A raw_tp program's tp_btf twin is the same body named <name>_btf. */
static bool has_tp_btf_twin(struct bpf_object *obj, const struct bpf_program *raw)
{
	char twin[128];
	struct bpf_program *p;

	snprintf(twin, sizeof(twin), "%s_btf", bpf_program__name(raw));
	p = bpf_object__find_program_by_name(obj, twin);
	return p && !strncmp(bpf_program__section_name(p), "tp_btf/", 7);
}

/*
 * Does the running kernel have this raw tracepoint?  Its BTF (the kernel's or
 * the external file, which describes the same kernel) holds a typedef
 * btf_trace_<name> for each; without BTF, tracefs lists them; with neither,
 * assume yes and let attach tell.
 */
static bool tracepoint_exists(const struct btf *kbtf, const char *name)
{
	static const char *const roots[] = { "/sys/kernel/tracing/events",
					     "/sys/kernel/debug/tracing/events" };
	char path[PATH_MAX];
	unsigned int i;
	glob_t g;
	bool found;

	if (kbtf) {
		snprintf(path, sizeof(path), "btf_trace_%s", name);
		return btf__find_by_name_kind(kbtf, path, BTF_KIND_TYPEDEF) > 0;
	}
	for (i = 0; i < sizeof(roots) / sizeof(roots[0]); i++) {
		if (access(roots[i], R_OK))
			continue;
		snprintf(path, sizeof(path), "%s/*/%s", roots[i], name);
		found = glob(path, GLOB_NOSORT, NULL, &g) == 0;
		globfree(&g);
		return found;
	}
	return true;
}

/*
 * Programs that share a hook with others but serve one event and need one
 * helper: off unless that event is selected and the kernel has the helper.
 */
static bool extra_program_wanted(const struct bpf_program *prog, const struct loader_opts *o,
				 const struct features *f, const char **why)
{
#ifdef TR_EV_MEM_PROT_ALERT
	if (!strcmp(bpf_program__name(prog), "tr_mprot_enter")) {
		if (!f->find_vma) {
			*why = "the kernel lacks bpf_find_vma (5.17)";
			return false;
		}
		if (o->sel && !selection_has(o->sel, TR_EV_MEM_PROT_ALERT)) {
			*why = "mem_prot_alert is not selected";
			return false;
		}
	}
#endif
	return true;
}

/* Autoload only what the selection needs and the kernel can do. */
static unsigned int choose_programs(struct tracer *t, const struct loader_opts *o,
				    const struct features *f, const struct btf *kbtf,
				    const struct tr_config *cfg)
{
	struct bpf_program *prog;
	unsigned int nr = 0;

	bpf_object__for_each_program(prog, t->obj) {
		const char *sec = bpf_program__section_name(prog), *target, *need = NULL, *why = NULL;
		char kind[32];
		bool on = true;

		split_sec(sec, kind, sizeof(kind), &target);
		if (!hook_supported(kind, f, &need)) {
			tr_verbose(1, "program %s (%s) off: the kernel lacks %s", bpf_program__name(prog),
				   sec, need);
			on = false;
		} else if ((!strcmp(kind, "raw_tp") || !strcmp(kind, "raw_tracepoint") ||
			    !strcmp(kind, "tp_btf")) && !tracepoint_exists(kbtf, target)) {
			tr_verbose(1, "program %s (%s) off: the kernel has no tracepoint %s",
				   bpf_program__name(prog), sec, target);
			on = false;
		} else if ((!strcmp(kind, "raw_tp") || !strcmp(kind, "raw_tracepoint")) &&
			   f->tp_btf && has_tp_btf_twin(t->obj, prog)) {
			tr_verbose(2, "program %s (%s) off: the tp_btf variant is used",
				   bpf_program__name(prog), sec);
			on = false;
		} else if (!strcmp(target, "sys_enter") &&
			   !strncmp(bpf_program__name(prog), "tr_sys_enter", 12) &&
			   !syscall_enter_wanted(cfg)) {
			tr_verbose(2, "program %s (%s) off: sys_exit alone serves the selected syscalls",
				   bpf_program__name(prog), sec);
			on = false;
		} else if (target_wanted(target, o->sel) == 0) {
			tr_verbose(2, "program %s (%s) off: no selected event needs it",
				   bpf_program__name(prog), sec);
			on = false;
		} else if (!extra_program_wanted(prog, o, f, &why)) {
			tr_verbose(2, "program %s (%s) off: %s", bpf_program__name(prog), sec, why);
			on = false;
		}
		bpf_program__set_autoload(prog, on);
		nr += on;
	}
	return nr;
}

/* Selected events whose hook has no program left on: say so, do not fail. */
static void warn_missing_hooks(struct tracer *t, const struct loader_opts *o)
{
	unsigned int i;

	for (i = 0; o->sel && i < events_nr; i++) {
		const struct tr_event_def *d = &events_table[i];
		struct bpf_program *prog;
		bool any = false;

		if (!selection_has(o->sel, d->id) || !d->hook)
			continue;
		bpf_object__for_each_program(prog, t->obj) {
			const char *target;
			char kind[32];

			split_sec(bpf_program__section_name(prog), kind, sizeof(kind), &target);
			if (bpf_program__autoload(prog) && hook_names(d->hook, target))
				any = true;
		}
		if (!any)
			tr_info("warning: event %s is off: no program in the object for its hook %s can run on this kernel",
				d->name, d->hook);
	}
}

/*
 * ---------------------------------------------------------------------
 * Load, attach, unwind
 * ---------------------------------------------------------------------
 */
static const char *lockdown_note(void)
{
	static char note[160];
	char buf[128] = "";
	FILE *f = fopen("/sys/kernel/security/lockdown", "re");

	note[0] = '\0';
	if (!f)
		return note;
	if (fgets(buf, sizeof(buf), f) && strstr(buf, "[confidentiality]"))
		snprintf(note, sizeof(note),
			 "; kernel lockdown is in confidentiality mode, which forbids eBPF that reads kernel memory");
	fclose(f);
	return note;
}

static void report_failure(const char *stage, const char *path, int err, bool from_env)
{
	char msg[256];

	libbpf_strerror(err, msg, sizeof(msg));
	if (err == -EPERM || (err == -EACCES && geteuid() != 0)) {
		tr_err("%s %s: %s (run as root or grant CAP_BPF and CAP_PERFMON%s)", stage, path, msg,
		       lockdown_note());
	} else if (!strcmp(stage, "open")) {
		tr_err("open %s: %s (the object is corrupt or not a tracee eBPF object; rebuild it%s)",
		       path, msg, from_env ? " or unset TRACEE_BPF_FILE" : "");
	} else {
		tr_err("%s %s: %s (the kernel refused it%s; the object may be corrupt or built for another kernel: rebuild it%s, and run with -v for the kernel's log)",
		       stage, path, msg, lockdown_note(), from_env ? " or unset TRACEE_BPF_FILE" : "");
	}
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

static int attach_all(struct tracer *t, bool from_env)
{
	struct bpf_program *prog;
	unsigned int nr = 0;

	bpf_object__for_each_program(prog, t->obj)
		nr++;
	t->links = calloc(nr ? nr : 1, sizeof(*t->links));
	if (!t->links)
		return -ENOMEM;
	bpf_object__for_each_program(prog, t->obj) {
		struct bpf_link *link;
		char stage[128];
		int err;

		if (!bpf_program__autoload(prog))
			continue;
		link = bpf_program__attach(prog);
		if (!link) {
			err = -errno;
			snprintf(stage, sizeof(stage), "attach %s (%s) from", bpf_program__name(prog),
				 bpf_program__section_name(prog));
			report_failure(stage, t->path, err, from_env);
			return err;
		}
		t->links[t->nr_links++] = link;
		tr_verbose(2, "attached %s (%s)", bpf_program__name(prog),
			   bpf_program__section_name(prog));
	}
	return 0;
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
	ret = choose(&c, &cand);
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
		report_failure("open", t->path, ret, cand.strict && getenv("TRACEE_BPF_FILE"));
		goto fail;
	}
	fill_config(opts, f, &cfg);
	cfg.use_ringbuf = t->ringbuf;
	if (opts->cfg_hook) {
		ret = opts->cfg_hook(opts->hook_ctx, &cfg);
		if (ret)
			goto fail;
	}
	ret = set_rodata(t->obj, &cfg, err, sizeof(err));
	if (!ret)
		ret = setup_maps(t, f, err, sizeof(err));
	if (ret) {
		tr_err("eBPF object %s: %s (the object is corrupt or not a tracee eBPF object; rebuild it%s)",
		       t->path, err, getenv("TRACEE_BPF_FILE") ? " or unset TRACEE_BPF_FILE" : "");
		goto fail;
	}
	{
		struct btf *kbtf = NULL;
		libbpf_print_fn_t old = libbpf_set_print(NULL);
		unsigned int nr;

		if (c.btf_path[0] || f->btf)
			kbtf = btf__parse(c.btf_path[0] ? c.btf_path : "/sys/kernel/btf/vmlinux", NULL);
		libbpf_set_print(old);
		nr = choose_programs(t, opts, f, kbtf, &cfg);
		btf__free(kbtf);
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
	warn_missing_hooks(t, opts);

	ret = bpf_object__load(t->obj);
	if (ret) {
		report_failure("load", t->path, ret, getenv("TRACEE_BPF_FILE") != NULL);
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
	ret = attach_all(t, getenv("TRACEE_BPF_FILE") != NULL);
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
