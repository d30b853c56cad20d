/* SPDX-License-Identifier: GPL-2.0 */
/*
 * features.h - what the running kernel can do, found by loading tiny
 * programs (never by reading version numbers).
 */
#ifndef TRACEE_FEATURES_H
#define TRACEE_FEATURES_H

#include <stdbool.h>
#include <stdio.h>

struct features {
	bool btf;		/* /sys/kernel/btf/vmlinux readable */
	bool ringbuf;		/* BPF_MAP_TYPE_RINGBUF */
	bool raw_tp;		/* raw tracepoint programs attach */
	bool tp_btf;		/* BTF-enabled tracepoints (needs kernel BTF) */
	bool kprobe;		/* kprobes attach (needs CONFIG_KPROBE_EVENTS) */
	bool fentry;		/* fentry/fexit programs load */
	bool lsm;		/* BPF LSM programs load */
	bool send_signal;	/* bpf_send_signal helper */
	bool task_storage;	/* BPF_MAP_TYPE_TASK_STORAGE from tracing programs */
	bool find_vma;		/* bpf_find_vma helper from raw_tp programs (5.17) */
};

/* Probe once; cheap to call again.  Never fails: a probe that errors is "no". */
const struct features *features_probe(void);
/* Print every probe's result, one per line, for tracee --probe. */
void features_print(const struct features *f, FILE *out);

#endif /* TRACEE_FEATURES_H */
