#include <fcntl.h>
// SPDX-License-Identifier: GPL-2.0
/*
 * btf.c - find the BTF that CO-RE relocations resolve against: an explicit
 * file (--btf, TRACEE_BTF_FILE; checked like an eBPF object, then parsed)
 * or the kernel's own /sys/kernel/btf/vmlinux.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "btf.h"
#include "fsafe.h"
#include "log.h"

#define KERNEL_BTF	"/sys/kernel/btf/vmlinux"

static int quiet_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return 0;
}

static int check_explicit(const char *path)
{
	libbpf_print_fn_t old;
	char err[512];
	struct btf *btf;
	int fd, ret;

	fd = fsafe_open_trusted(path, O_RDONLY, "BTF file", err, sizeof(err));
	if (fd < 0) {
		tr_err("%s (fix --btf or TRACEE_BTF_FILE)", err);
		return fd;
	}
	close(fd);
	old = libbpf_set_print(quiet_print);
	btf = btf__parse(path, NULL);
	ret = btf ? 0 : -errno;
	libbpf_set_print(old);
	if (!btf) {
		char msg[128];

		libbpf_strerror(ret, msg, sizeof(msg));
		tr_err("BTF file %s: not readable as BTF: %s (give a vmlinux BTF file, raw or ELF, e.g. from BTFHub for this kernel)",
		       path, msg);
		return ret ? ret : -EINVAL;
	}
	/* A CO-RE object needs the kernel's types, not some module's or program's. */
	if (btf__find_by_name_kind(btf, "task_struct", BTF_KIND_STRUCT) < 0) {
		tr_err("BTF file %s: has no struct task_struct, so it does not describe a kernel (give the vmlinux BTF of the running kernel)",
		       path);
		btf__free(btf);
		return -EINVAL;
	}
	btf__free(btf);
	return 0;
}

int btf_locate(const char *explicit_path, char *out, size_t outlen)
{
	int ret;

	if (explicit_path && *explicit_path) {
		ret = check_explicit(explicit_path);
		if (ret)
			return ret;
		if (snprintf(out, outlen, "%s", explicit_path) >= (int)outlen) {
			tr_err("BTF file %s: path too long", explicit_path);
			return -ENAMETOOLONG;
		}
		tr_verbose(1, "BTF: %s (external)", explicit_path);
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
