// SPDX-License-Identifier: GPL-2.0
/*
 * loader_config.c - the object's knobs: tr_cfg (which syscalls to capture,
 * emit or enter, the selected events, our own tgid, the buffer kind, kernel
 * features) computed here and written over tr_cfg in .rodata between open
 * and load, so the verifier prunes what is off.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/types.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "events.h"
#include "features.h"
#include "log.h"
#include "loader_priv.h"
#include "syscall_arch.h"

/*
 * The kernel side wakes the reader early each time one CPU has sent wakeup_bytes: a quarter of the
 * ring spread over the CPUs, so that all of them together wake it well
 * before the ring fills.
 */
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

/*
 * What a selected syscall event needs of sys_enter (TR_SYS_AT_ENTER): most
 * need nothing, sys_exit reads their arguments from the registers.
 */
static __u64 syscall_entry_needs(const char *name)
{
	/* emitted at entry: the caller's memory is replaced (execve), or the
	 * syscall does not return to a sys_exit that could report it (the exits;
	 * rt_sigreturn returns with the syscall number reset to -1) */
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

/*
 * TR_SYS_READ_ENTER for a selected syscall event whose strings or socket
 * address the kernel copies in: read at entry, what the kernel will use,
 * not what another thread may have written there by the exit.  Only input
 * addresses: accept's, recvfrom's... are written by the kernel.
 */
static __u64 syscall_read_entry(const struct tr_event_def *d, __u64 v)
{
	static const char *const sockaddr_in[] = { "connect", "bind", "sendto" };
	unsigned int a, strs = 0, i;
	bool in = false;

	for (a = 0; a < d->nr_args && a < TR_SYSCALL_ARGS; a++)
		if (TR_SYS_ARGTAG(v, a) == TR_W_STR)
			strs++;
	/* execve: sent from sys_enter, or held for sys_exit when a read failed */
	if (v & TR_SYS_SUBMIT_ENTER)
		return strs ? TR_SYS_READ_ENTER : 0;
	for (i = 0; i < sizeof(sockaddr_in) / sizeof(sockaddr_in[0]); i++)
		if (!strcmp(d->name, sockaddr_in[i]))
			in = true;
	if (!strs && !in)
		return 0;
	/* entry_small holds one string and one address, entry_big three strings */
	return TR_SYS_READ_ENTER | TR_SYS_AT_ENTER | (strs > 1 ? TR_SYS_ENTRY_BIG : 0);
}

/* Does any syscall need the sys_enter program? */
bool loader_syscall_enter_wanted(const struct tr_config *cfg)
{
	unsigned int i;

	for (i = 0; i < TR_MAX_SYSCALL; i++)
		if (cfg->sys_cfg[i] & TR_SYS_AT_ENTER)
			return true;
	return false;
}

void loader_fill_config(const struct loader_opts *o, const struct features *f,
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
		if (o->sel && selection_has(o->sel, d->id)) {
			v |= TR_SYS_CAPTURE | TR_SYS_EMIT | syscall_entry_needs(d->name);
			v |= syscall_read_entry(d, v);
		}
		cfg->sys_cfg[d->id] = v;
	}
#if defined(__aarch64__)
	/* the eBPF programs see arm64's numbers; the table above is by event id */
	for (i = 0; i < TR_MAX_SYSCALL; i++) {
		int id = syscall_arch_to_event(TR_ARCH_ARM64, i);

		if (id >= 0 && id < TR_MAX_SYSCALL)
			cfg->sc_id[i] = (__u16)(id + 1);
	}
#endif
	if (o->sel)
		memcpy(cfg->ev_sel, o->sel->bits, sizeof(cfg->ev_sel));
	cfg->self_tgid = o->self_pid > 0 ? (__u32)o->self_pid : (__u32)getpid();
	cfg->use_ringbuf = f->ringbuf && !o->force_perfbuf;
	cfg->use_task_storage = f->task_storage;
	cfg->entry_in_hash = !f->task_storage || getenv("TRACEE_ENTRY_MAX") != NULL;
	cfg->wakeup_bytes = wakeup_bytes();
#ifdef TR_KF_FIND_VMA
	if (f->find_vma)
		cfg->kfeat |= TR_KF_FIND_VMA;
#endif
	if (f->task_storage)	/* probed with bpf_get_current_task_btf() and kernel BTF */
		cfg->kfeat |= TR_KF_TASK_BTF;
}

/* Write cfg over tr_cfg in .rodata, found through the object's BTF. */
int loader_set_rodata(struct bpf_object *obj, const struct tr_config *cfg, char *err,
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
		tr_seterr(err, errlen, "it has no BTF (build it with clang -g)");
		return -EINVAL;
	}
	sec_id = btf__find_by_name_kind(btf, ".rodata", BTF_KIND_DATASEC);
	if (sec_id < 0) {
		tr_seterr(err, errlen, "it has no .rodata section, so no tr_cfg");
		return -EINVAL;
	}
	sec = btf__type_by_id(btf, sec_id);
	vs = btf_var_secinfos(sec);
	for (i = 0; i < btf_vlen(sec); i++, vs++) {
		const struct btf_type *var = btf__type_by_id(btf, vs->type);

		if (var && !strcmp(btf__name_by_offset(btf, var->name_off), "tr_cfg")) {
			if (vs->size != sizeof(*cfg)) {
				tr_seterr(err, errlen,
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
		tr_seterr(err, errlen, "it has no tr_cfg variable in .rodata");
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
		tr_seterr(err, errlen, "its .rodata map is missing or smaller than tr_cfg");
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
		tr_seterr(err, errlen, "setting tr_cfg failed: %s", strerror(-ret));
	return ret;
}
