// SPDX-License-Identifier: GPL-2.0
/*
 * features.c - what the running kernel can do, found by loading (and where
 * it matters, attaching) tiny programs and creating maps.  Version numbers
 * lie: distributions backport, configs differ, lockdown and LSMs refuse.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <linux/bpf.h>
#include <linux/perf_event.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "btf.h"
#include "caps.h"
#include "features.h"
#include "log.h"

#define KERNEL_BTF	"/sys/kernel/btf/vmlinux"
#define KPROBE_PMU_TYPE	"/sys/bus/event_source/devices/kprobe/type"

/* Minimal instruction builders (the kernel's filter.h is not UAPI). */
#define I_MOV64_IMM(dst, val) \
	((struct bpf_insn){ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = (dst), .imm = (val) })
#define I_MOV64_REG(dst, src) \
	((struct bpf_insn){ .code = BPF_ALU64 | BPF_MOV | BPF_X, .dst_reg = (dst), .src_reg = (src) })
#define I_CALL(fn)	((struct bpf_insn){ .code = BPF_JMP | BPF_CALL, .imm = (fn) })
#define I_EXIT()	((struct bpf_insn){ .code = BPF_JMP | BPF_EXIT })
#define I_LD_MAP_FD(dst, fd) \
	((struct bpf_insn){ .code = BPF_LD | BPF_DW | BPF_IMM, .dst_reg = (dst), \
			    .src_reg = BPF_PSEUDO_MAP_FD, .imm = (fd) }), \
	((struct bpf_insn){ 0 })

enum probe_id {
	P_BTF, P_RINGBUF, P_RAW_TP, P_TP_BTF, P_KPROBE, P_FENTRY, P_LSM, P_SEND_SIGNAL,
	P_TASK_STORAGE, P_FIND_VMA, P_NR
};

static const char *const probe_names[P_NR] = {
	[P_BTF] = "btf",
	[P_RINGBUF] = "ringbuf",
	[P_RAW_TP] = "raw_tp",
	[P_TP_BTF] = "tp_btf",
	[P_KPROBE] = "kprobe",
	[P_FENTRY] = "fentry",
	[P_LSM] = "lsm",
	[P_SEND_SIGNAL] = "send_signal",
	[P_TASK_STORAGE] = "task_storage",
	[P_FIND_VMA] = "find_vma",
};

static struct features feat;
static char why[P_NR][160];
static bool probed;
/*
 * Without CAP_BPF and CAP_PERFMON (or CAP_SYS_ADMIN) every probe fails with
 * EPERM whatever the kernel can do: say that, not "no".
 */
static bool denied;
#define NOT_PERMITTED	"not permitted (needs CAP_BPF and CAP_PERFMON, or root)"

static void say_no(enum probe_id p, const char *step, int err)
{
	snprintf(why[p], sizeof(why[p]), "%s: %s", step, strerror(err > 0 ? err : -err));
}

static const struct bpf_insn ret0[] = { I_MOV64_IMM(BPF_REG_0, 0), I_EXIT() };
#define NR_INSNS(a)	(sizeof(a) / sizeof((a)[0]))

static int load(enum bpf_prog_type type, const struct bpf_insn *insns, size_t nr,
		struct bpf_prog_load_opts *opts)
{
	int fd = bpf_prog_load(type, NULL, "GPL", insns, nr, opts);

	return fd >= 0 ? fd : -errno;
}

/* The kernel's BTF is parsed once, by btf.c, for every user. */
static void probe_btf(const struct btf **vmlinux)
{
	const struct btf *btf;

	if (access(KERNEL_BTF, R_OK)) {
		say_no(P_BTF, KERNEL_BTF, errno);
		return;
	}
	btf = btf_vmlinux();
	if (!btf) {
		say_no(P_BTF, "parse " KERNEL_BTF, errno);
		return;
	}
	feat.btf = true;
	*vmlinux = btf;
}

static void probe_ringbuf(void)
{
	int fd = bpf_map_create(BPF_MAP_TYPE_RINGBUF, NULL, 0, 0, getpagesize(), NULL);

	if (fd < 0) {
		say_no(P_RINGBUF, "create map", errno);
		return;
	}
	close(fd);
	feat.ringbuf = true;
}

static void probe_raw_tp(void)
{
	int fd, lfd;

	fd = load(BPF_PROG_TYPE_RAW_TRACEPOINT, ret0, NR_INSNS(ret0), NULL);
	if (fd < 0) {
		say_no(P_RAW_TP, "load", fd);
		return;
	}
	lfd = bpf_raw_tracepoint_open("sys_enter", fd);
	if (lfd < 0) {
		say_no(P_RAW_TP, "attach sys_enter", errno);
	} else {
		close(lfd);
		feat.raw_tp = true;
	}
	close(fd);
}

static void probe_tp_btf(const struct btf *vmlinux)
{
	LIBBPF_OPTS(bpf_prog_load_opts, opts, .expected_attach_type = BPF_TRACE_RAW_TP);
	int id, fd, lfd;

	if (!vmlinux) {
		snprintf(why[P_TP_BTF], sizeof(why[P_TP_BTF]), "needs kernel BTF");
		return;
	}
	id = btf__find_by_name_kind(vmlinux, "btf_trace_sys_enter", BTF_KIND_TYPEDEF);
	if (id < 0) {
		snprintf(why[P_TP_BTF], sizeof(why[P_TP_BTF]), "no btf_trace_sys_enter in kernel BTF");
		return;
	}
	opts.attach_btf_id = id;
	fd = load(BPF_PROG_TYPE_TRACING, ret0, NR_INSNS(ret0), &opts);
	if (fd < 0) {
		say_no(P_TP_BTF, "load", fd);
		return;
	}
	lfd = bpf_raw_tracepoint_open(NULL, fd);
	if (lfd < 0) {
		say_no(P_TP_BTF, "attach sys_enter", errno);
	} else {
		close(lfd);
		feat.tp_btf = true;
	}
	close(fd);
}

static unsigned int kernel_version_code(void)
{
	unsigned int a = 0, b = 0, c = 0;
	struct utsname u;

	if (uname(&u) || sscanf(u.release, "%u.%u.%u", &a, &b, &c) < 2)
		return 0;
	return (a << 16) + (b << 8) + (c > 255 ? 255 : c);
}

/* A kprobe is only "yes" when one attaches: the program type alone loads
 * on kernels built without CONFIG_KPROBE_EVENTS. */
static void probe_kprobe(void)
{
	static const char *const targets[] = { "do_sys_openat2", "do_sys_open", "vfs_read" };
	LIBBPF_OPTS(bpf_prog_load_opts, opts, .kern_version = kernel_version_code());
	struct perf_event_attr attr;
	char buf[32] = "";
	unsigned int i;
	int fd, pfd = -1, type, e = 0;
	FILE *f;

	fd = load(BPF_PROG_TYPE_KPROBE, ret0, NR_INSNS(ret0), &opts);
	if (fd < 0) {
		say_no(P_KPROBE, "load", fd);
		return;
	}
	f = fopen(KPROBE_PMU_TYPE, "re");
	if (!f || !fgets(buf, sizeof(buf), f)) {
		say_no(P_KPROBE, "no kprobe PMU (" KPROBE_PMU_TYPE ")", f ? EIO : errno);
		if (f)
			fclose(f);
		goto out;
	}
	fclose(f);
	type = atoi(buf);
	for (i = 0; i < NR_INSNS(targets); i++) {
		memset(&attr, 0, sizeof(attr));
		attr.size = sizeof(attr);
		attr.type = type;
		attr.config1 = (__u64)(unsigned long)targets[i];
		pfd = syscall(__NR_perf_event_open, &attr, -1, 0, -1, PERF_FLAG_FD_CLOEXEC);
		if (pfd >= 0)
			break;
		e = errno;
	}
	if (pfd < 0) {
		say_no(P_KPROBE, "perf_event_open kprobe", e);
		goto out;
	}
	if (ioctl(pfd, PERF_EVENT_IOC_SET_BPF, fd)) {
		say_no(P_KPROBE, "attach", errno);
	} else {
		feat.kprobe = true;
	}
	close(pfd);
out:
	close(fd);
}

static int find_func(const struct btf *vmlinux, const char *const *names, unsigned int nr)
{
	unsigned int i;
	int id;

	for (i = 0; i < nr; i++) {
		id = btf__find_by_name_kind(vmlinux, names[i], BTF_KIND_FUNC);
		if (id > 0)
			return id;
	}
	return -ENOENT;
}

/* fentry and LSM: load against a kernel function, then attach and detach. */
static void probe_btf_attach(enum probe_id p, const struct btf *vmlinux, enum bpf_prog_type type,
			     enum bpf_attach_type atype, const char *const *names, unsigned int nr)
{
	LIBBPF_OPTS(bpf_prog_load_opts, opts, .expected_attach_type = atype);
	int id, fd, lfd;

	if (!vmlinux) {
		snprintf(why[p], sizeof(why[p]), "needs kernel BTF");
		return;
	}
	id = find_func(vmlinux, names, nr);
	if (id < 0) {
		snprintf(why[p], sizeof(why[p]), "no %s in kernel BTF", names[0]);
		return;
	}
	opts.attach_btf_id = id;
	fd = load(type, ret0, NR_INSNS(ret0), &opts);
	if (fd < 0) {
		say_no(p, "load", fd);
		return;
	}
	lfd = bpf_raw_tracepoint_open(NULL, fd);
	if (lfd < 0) {
		say_no(p, "attach", errno);
	} else {
		close(lfd);
		if (p == P_FENTRY)
			feat.fentry = true;
		else
			feat.lsm = true;
	}
	close(fd);
}

static void probe_send_signal(void)
{
	const struct bpf_insn insns[] = {
		I_MOV64_IMM(BPF_REG_1, 0),
		I_CALL(BPF_FUNC_send_signal),
		I_MOV64_IMM(BPF_REG_0, 0),
		I_EXIT(),
	};
	int fd = load(BPF_PROG_TYPE_RAW_TRACEPOINT, insns, NR_INSNS(insns), NULL);

	if (fd < 0) {
		say_no(P_SEND_SIGNAL, "load", fd);
		return;
	}
	close(fd);
	feat.send_signal = true;
}

/* The map alone is not enough: tracing programs got access later (5.11+). */
static void probe_task_storage(void)
{
	LIBBPF_OPTS(bpf_map_create_opts, mopts, .map_flags = BPF_F_NO_PREALLOC);
	struct btf *btf;
	int key_id, val_id, mfd, fd;

	btf = btf__new_empty();
	if (!btf) {
		say_no(P_TASK_STORAGE, "BTF", errno);
		return;
	}
	key_id = btf__add_int(btf, "int", 4, BTF_INT_SIGNED);
	val_id = btf__add_int(btf, "long", 8, BTF_INT_SIGNED);
	if (key_id < 0 || val_id < 0 || btf__load_into_kernel(btf)) {
		say_no(P_TASK_STORAGE, "load BTF", errno);
		goto out_btf;
	}
	mopts.btf_fd = btf__fd(btf);
	mopts.btf_key_type_id = key_id;
	mopts.btf_value_type_id = val_id;
	mfd = bpf_map_create(BPF_MAP_TYPE_TASK_STORAGE, NULL, 4, 8, 0, &mopts);
	if (mfd < 0) {
		say_no(P_TASK_STORAGE, "create map", errno);
		goto out_btf;
	}
	{
		const struct bpf_insn insns[] = {
			I_CALL(BPF_FUNC_get_current_task_btf),
			I_MOV64_REG(BPF_REG_2, BPF_REG_0),
			I_LD_MAP_FD(BPF_REG_1, mfd),
			I_MOV64_IMM(BPF_REG_3, 0),
			I_MOV64_IMM(BPF_REG_4, BPF_LOCAL_STORAGE_GET_F_CREATE),
			I_CALL(BPF_FUNC_task_storage_get),
			I_MOV64_IMM(BPF_REG_0, 0),
			I_EXIT(),
		};

		fd = load(BPF_PROG_TYPE_RAW_TRACEPOINT, insns, NR_INSNS(insns), NULL);
	}
	if (fd < 0) {
		say_no(P_TASK_STORAGE, "raw_tp program using it", fd);
	} else {
		close(fd);
		feat.task_storage = true;
	}
	close(mfd);
out_btf:
	btf__free(btf);
}

/* libbpf loads a program calling the helper and reads the verifier's verdict. */
static void probe_find_vma(void)
{
	int ret = libbpf_probe_bpf_helper(BPF_PROG_TYPE_RAW_TRACEPOINT, BPF_FUNC_find_vma, NULL);

	if (ret == 1)
		feat.find_vma = true;
	else if (ret == 0)
		snprintf(why[P_FIND_VMA], sizeof(why[P_FIND_VMA]), "helper unknown to this kernel");
	else
		say_no(P_FIND_VMA, "load", ret);
}

/*
 * TRACEE_FEATURES_OFF=ringbuf,task_storage,...: treat these as missing, to
 * work around a kernel bug or to run the code paths of older kernels here.
 */
static void mask_features(void)
{
	bool *v[P_NR] = {
		[P_BTF] = &feat.btf,
		[P_RINGBUF] = &feat.ringbuf,
		[P_RAW_TP] = &feat.raw_tp,
		[P_TP_BTF] = &feat.tp_btf,
		[P_KPROBE] = &feat.kprobe,
		[P_FENTRY] = &feat.fentry,
		[P_LSM] = &feat.lsm,
		[P_SEND_SIGNAL] = &feat.send_signal,
		[P_TASK_STORAGE] = &feat.task_storage,
		[P_FIND_VMA] = &feat.find_vma,
	};
	const char *p = getenv("TRACEE_FEATURES_OFF");
	unsigned int i;

	while (p && *p) {
		size_t len = strcspn(p, ",");

		for (i = 0; i < P_NR; i++) {
			if (strlen(probe_names[i]) != len || strncmp(p, probe_names[i], len))
				continue;
			if (*v[i])
				snprintf(why[i], sizeof(why[i]), "switched off by TRACEE_FEATURES_OFF");
			*v[i] = false;
			break;
		}
		if (i == P_NR && len)
			tr_err("TRACEE_FEATURES_OFF: unknown feature '%.*s' ignored (see tracee --probe for the names)",
			       (int)len, p);
		p += len;
		if (*p == ',')
			p++;
	}
}

const struct features *features_probe(void)
{
	static const char *const fentry_fns[] = { "do_sys_openat2", "do_sys_open", "vfs_read" };
	static const char *const lsm_fns[] = { "bpf_lsm_file_open", "bpf_lsm_bprm_check_security" };
	const struct btf *vmlinux = NULL;
	libbpf_print_fn_t old;

	if (probed)
		return &feat;
	old = libbpf_set_print(NULL);	/* NULL: libbpf prints nothing */
	probe_btf(&vmlinux);
	if (!caps_have_bpf()) {
		unsigned int i;

		denied = true;
		for (i = 0; i < P_NR; i++)
			if (i != P_BTF)
				snprintf(why[i], sizeof(why[i]), NOT_PERMITTED);
		goto out;
	}
	probe_ringbuf();
	probe_raw_tp();
	probe_tp_btf(vmlinux);
	probe_kprobe();
	probe_btf_attach(P_FENTRY, vmlinux, BPF_PROG_TYPE_TRACING, BPF_TRACE_FENTRY,
			 fentry_fns, NR_INSNS(fentry_fns));
	probe_btf_attach(P_LSM, vmlinux, BPF_PROG_TYPE_LSM, BPF_LSM_MAC, lsm_fns,
			 NR_INSNS(lsm_fns));
	probe_send_signal();
	probe_task_storage();
	probe_find_vma();
out:
	libbpf_set_print(old);
	mask_features();
	probed = true;
	return &feat;
}

void features_print(const struct features *f, FILE *out)
{
	const bool v[P_NR] = {
		[P_BTF] = f->btf,
		[P_RINGBUF] = f->ringbuf,
		[P_RAW_TP] = f->raw_tp,
		[P_TP_BTF] = f->tp_btf,
		[P_KPROBE] = f->kprobe,
		[P_FENTRY] = f->fentry,
		[P_LSM] = f->lsm,
		[P_SEND_SIGNAL] = f->send_signal,
		[P_TASK_STORAGE] = f->task_storage,
		[P_FIND_VMA] = f->find_vma,
	};
	unsigned int i;

	for (i = 0; i < P_NR; i++) {
		if (denied && f == &feat && i != P_BTF && !v[i])
			fprintf(out, "%s: unknown, %s\n", probe_names[i], why[i]);
		else if (v[i] || !why[i][0] || f != &feat)
			fprintf(out, "%s: %s\n", probe_names[i], v[i] ? "yes" : "no");
		else
			fprintf(out, "%s: no (%s)\n", probe_names[i], why[i]);
	}
}
