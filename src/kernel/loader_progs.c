// SPDX-License-Identifier: GPL-2.0
/*
 * loader_progs.c - which programs of the object load (autoload): off when
 * the kernel lacks their program type or tracepoint, when a tp_btf twin
 * serves the same hook, or when no selected event needs them; then a
 * warning for each selected event left without a program.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <bpf/libbpf.h>

#include "events.h"
#include "features.h"
#include "log.h"
#include "loader_priv.h"
#include "tracepoint.h"

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
unsigned int loader_choose_programs(struct tracer *t, const struct loader_opts *o,
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
			   !loader_syscall_enter_wanted(cfg)) {
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
void loader_warn_missing_hooks(struct tracer *t, const struct loader_opts *o)
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
