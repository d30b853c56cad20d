// SPDX-License-Identifier: GPL-2.0
/*
 * btf.c - the kernel's BTF: find it (an explicit file, --btf or
 * TRACEE_BTF_FILE, checked like an eBPF object, or the kernel's own
 * /sys/kernel/btf/vmlinux) and parse it once for every user.  A vmlinux BTF
 * takes tens of milliseconds and megabytes to parse: the feature probes,
 * the event availability checks and the loader used to do it each.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "btf.h"
#include "fsafe.h"
#include "log.h"

#define KERNEL_BTF	"/sys/kernel/btf/vmlinux"

/* The cache: the kernel's BTF, and one explicit file with its path. */
static struct btf *vmlinux_btf;
static bool vmlinux_tried;
static int vmlinux_errno;
static struct btf *explicit_btf;
static char *explicit_path;

/* btf__parse() without libbpf's own warnings: callers say what failed. */
static struct btf *parse_quiet(const char *path)
{
	libbpf_print_fn_t old = libbpf_set_print(NULL);
	struct btf *btf = btf__parse(path, NULL);
	int err = errno;

	libbpf_set_print(old);
	errno = err;
	return btf;
}

static int check_explicit(const char *path)
{
	char err[512];
	struct btf *btf;
	int fd, ret;

	fd = fsafe_open_trusted(path, O_RDONLY, "BTF file", err, sizeof(err));
	if (fd < 0) {
		tr_err("%s (fix --btf or TRACEE_BTF_FILE)", err);
		return fd;
	}
	close(fd);
	btf = parse_quiet(path);
	if (!btf) {
		char msg[128];

		ret = errno ? -errno : -EINVAL;
		libbpf_strerror(ret, msg, sizeof(msg));
		tr_err("BTF file %s: not readable as BTF: %s (give a vmlinux BTF file, raw or ELF, e.g. from BTFHub for this kernel)",
		       path, msg);
		return ret;
	}
	/* A CO-RE object needs the kernel's types, not some module's or program's. */
	if (btf__find_by_name_kind(btf, "task_struct", BTF_KIND_STRUCT) < 0) {
		tr_err("BTF file %s: has no struct task_struct, so it does not describe a kernel (give the vmlinux BTF of the running kernel)",
		       path);
		btf__free(btf);
		return -EINVAL;
	}
	/* Checked and parsed: keep it for btf_target() rather than parse it again. */
	free(explicit_path);
	btf__free(explicit_btf);
	explicit_path = strdup(path);
	explicit_btf = explicit_path ? btf : NULL;
	if (!explicit_path)
		btf__free(btf);
	return 0;
}

int btf_locate(const char *explicit, char *out, size_t outlen)
{
	int ret;

	if (explicit && *explicit) {
		ret = check_explicit(explicit);
		if (ret)
			return ret;
		if (snprintf(out, outlen, "%s", explicit) >= (int)outlen) {
			tr_err("BTF file %s: path too long", explicit);
			return -ENAMETOOLONG;
		}
		tr_verbose(1, "BTF: %s (external)", explicit);
		return 1;
	}
	if (access(KERNEL_BTF, R_OK) == 0) {
		if (outlen)
			out[0] = '\0';
		tr_verbose(2, "BTF: %s (the kernel's)", KERNEL_BTF);
		return 1;
	}
	tr_verbose(1, "BTF: none (%s is missing: kernel built without CONFIG_DEBUG_INFO_BTF; --btf FILE gives one)",
		   KERNEL_BTF);
	return 0;
}

const struct btf *btf_vmlinux(void)
{
	if (!vmlinux_tried) {
		vmlinux_tried = true;
		vmlinux_btf = parse_quiet(KERNEL_BTF);
		vmlinux_errno = vmlinux_btf ? 0 : errno;
	}
	if (!vmlinux_btf)
		errno = vmlinux_errno ? vmlinux_errno : ENOENT;
	return vmlinux_btf;
}

const struct btf *btf_target(const char *path)
{
	if (!path || !*path)
		return btf_vmlinux();
	if (!explicit_btf || strcmp(explicit_path, path)) {
		struct btf *btf = parse_quiet(path);
		char *copy;

		if (!btf)
			return NULL;
		copy = strdup(path);
		if (!copy) {
			btf__free(btf);
			errno = ENOMEM;
			return NULL;
		}
		free(explicit_path);
		btf__free(explicit_btf);
		explicit_path = copy;
		explicit_btf = btf;
	}
	return explicit_btf;
}

void btf_release(void)
{
	btf__free(vmlinux_btf);
	vmlinux_btf = NULL;
	vmlinux_tried = false;
	btf__free(explicit_btf);
	explicit_btf = NULL;
	free(explicit_path);
	explicit_path = NULL;
}
