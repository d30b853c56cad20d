// SPDX-License-Identifier: GPL-2.0
/*
 * loader_choose.c - which eBPF object to load, and whether to trust it:
 * TRACEE_BPF_FILE, else the install path, else the packaged directory (a
 * kernel-specific object for the running kernel first, then CO-RE when BTF
 * is there), else a run-time build.  Each file is read through a trusted fd
 * (fsafe.h) and checked: its meta section, its tracee version, its kernel.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>

#include "btf.h"
#include "fsafe.h"
#include "kbuild.h"
#include "log.h"
#include "loader_priv.h"
#include "syscall_arch.h"

#ifdef PKGLIBDIR
#define PKGLIBDIR_FALLBACK PKGLIBDIR
#else
#define PKGLIBDIR_FALLBACK "the packaged object directory"
#endif
#define OBJ_MAX_SZ	(64u << 20)	/* an object is ~100 KiB; refuse absurd files */

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
	const char *host_arch = syscall_arch_name(syscall_arch_host());
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
	/*
	 * Another architecture's object would verify and load (BPF is BPF), then
	 * read its arguments from the wrong pt_regs fields and take its syscall
	 * numbers for other events: no option overrides this.
	 */
	if (strcmp(cand->meta.arch, host_arch)) {
		tr_err("eBPF object %s was built for architecture %s, but this is %s: it would read the wrong registers (use the object built with this tracee, or rebuild it for %s)",
		       path, cand->meta.arch[0] ? cand->meta.arch : "(none given)", host_arch,
		       host_arch);
		ret = -EINVAL;
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

int loader_choose_object(struct choice *c, struct cand *cand)
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
		ret = -errno;	/* saved: tr_err() may change errno */
		tr_err("uname: %s", strerror(-ret));
		return ret;
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

	ret = loader_choose_object(&c, &cand);
	if (ret)
		return ret;
	snprintf(path, pathlen, "%s", cand.path);
	snprintf(reason, reasonlen, "%s", cand.reason);
	free(cand.buf);
	return 0;
}
