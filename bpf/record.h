/* SPDX-License-Identifier: GPL-2.0 */
/*
 * record.h - part of tracee.bpf.c: a record from start to finish.
 *
 * Where a record is built (tr_scratch), the common checks (tracee's own
 * process, the event selected), the context header every record starts with
 * (struct tr_record_hdr: ids, namespaces, comm, as cheaply as the kernel
 * allows), and tr_submit(), which hands it to user space.
 */

static __always_inline void tr_stat_inc(__u32 which)
{
	__u64 *v = bpf_map_lookup_elem(&stats, &which);

	if (v)
		*v += 1;	/* per-CPU slot: no atomic needed */
}

static __always_inline bool tr_is_self(void)
{
	return (bpf_get_current_pid_tgid() >> 32) == tr_cfg.self_tgid;
}

static __always_inline bool tr_ev_selected(__u32 id)
{
	return tr_cfg.ev_sel[(id / 64) % (TR_MAX_EVENT / 64)] & (1ULL << (id % 64));
}

static __always_inline __u8 *tr_scratch(__u32 slot)
{
	return bpf_map_lookup_elem(&scratch, &slot);
}

/* Thread id as seen in the task's own pid namespace (pid->numbers[pid->level]). */
static __always_inline __u32 tr_task_ns_tid(struct task_struct *task)
{
	struct pid *pid = READ_KERN(task->thread_pid);
	unsigned int level = READ_KERN(pid->level);

	return READ_KERN(tr_kpid_upid(pid, level)->nr);
}

static __always_inline __u32 tr_task_ns_tgid(struct task_struct *task)
{
	return tr_task_ns_tid(READ_KERN(task->group_leader));
}

/* 32-bit syscall on a 64-bit kernel: other numbers, other layouts. */
static __always_inline bool tr_task_compat(struct task_struct *task)
{
	return READ_KERN(TR_TI_COMPAT_WORD(task->thread_info)) & TR_TI_COMPAT_MASK;
}

/* The header fields every path fills the same way. */
static __always_inline void tr_hdr_base(struct tr_record_hdr *h, __u32 event_id, __s32 syscall)
{
	h->ts = bpf_ktime_get_ns();
	h->retval = 0;
	h->event_id = event_id;
	h->size = sizeof(*h);
	h->syscall = syscall;
	h->cpu = bpf_get_smp_processor_id();	/* inlined by the verifier (6.10+) */
	h->argnum = 0;
	h->flags = 0;
	h->pad0 = 0;
	h->reserved = 0;
}

/* The ids the helpers give: for objects that cannot load task fields directly. */
static __always_inline void tr_hdr_common(struct tr_record_hdr *h, __u32 event_id, __s32 syscall)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();

	tr_hdr_base(h, event_id, syscall);
	h->cgroup_id = bpf_get_current_cgroup_id();
	h->host_tid = (__u32)pid_tgid;
	h->host_pid = pid_tgid >> 32;
	h->uid = (__u32)bpf_get_current_uid_gid();
}

/*
 * The context header.  task is current: every program runs in the context
 * of the task it reports (for fork, the parent).
 */
static __always_inline void tr_fill_hdr_read(struct tr_record_hdr *h, struct task_struct *task,
					__u32 event_id, __s32 syscall)
{
	struct task_struct *parent = READ_KERN(task->real_parent);
	struct pid *pid = READ_KERN(task->thread_pid);
	unsigned int level = READ_KERN(pid->level);
	struct upid *upid = tr_kpid_upid(pid, level);
	struct pid_namespace *pidns = READ_KERN(upid->ns);
	struct nsproxy *nsp = READ_KERN(task->nsproxy);
	struct mnt_namespace *mntns = READ_KERN(nsp->mnt_ns);
	struct uts_namespace *uts = READ_KERN(nsp->uts_ns);

	tr_hdr_common(h, event_id, syscall);
	h->start_time = READ_KERN(task->start_time);
	h->host_ppid = READ_KERN(parent->tgid);
	h->tid = READ_KERN(upid->nr);
	/* level 0: the initial namespace, where ns and host ids agree */
	h->pid = level ? tr_task_ns_tgid(task) : h->host_pid;
	/* as Tracee: the parent's pid in its own pid namespace */
	h->ppid = tr_task_ns_tgid(parent);
	h->mnt_ns = tr_kns_inum(&mntns->ns);
	h->pid_ns = tr_kns_inum(&pidns->ns);
	bpf_get_current_comm(h->comm, sizeof(h->comm));
	KREAD_N(h->uts, sizeof(h->uts), uts->name.nodename);	/* zeroed on failure */
}

/* Two words from a BTF pointer to a 16-byte char array (comm, nodename). */
#define tr_copy16(dst, src) do {					\
	const __u64 *__s = (const __u64 *)(src);			\
	__u64 *__d = (__u64 *)(dst);					\
									\
	__d[0] = __s[0];						\
	__d[1] = __s[1];						\
} while (0)

/*
 * tr_fill_hdr_read() through the BTF pointer bpf_get_current_task_btf() gives
 * (5.11+, kernel BTF; raw_tp programs too): the verifier turns each field
 * access into a plain load guarded by an exception-table entry, a small
 * fraction of what a bpf_probe_read_kernel() call costs, and the header is
 * the only per-event work most syscall events have.  A BTF pointer takes no
 * variable offset, so pid->numbers[level] is read this way only at level 0
 * (the initial pid namespace, where the ids are the host's); tasks in a
 * child pid namespace take tr_fill_hdr_read().
 */
static __always_inline void tr_fill_hdr_btf(struct tr_record_hdr *h, struct task_struct *task,
					    __u32 event_id, __s32 syscall)
{
	struct task_struct *parent = task->real_parent;
	struct pid *pid = task->thread_pid;
	struct nsproxy *nsp = task->nsproxy;

	if (pid->level || parent->thread_pid->level) {
		tr_fill_hdr_read(h, (struct task_struct *)bpf_get_current_task(), event_id, syscall);
		return;
	}
	/*
	 * What bpf_get_current_pid_tgid(), _uid_gid() and _cgroup_id() return,
	 * as loads: each helper call is a call and a return through the
	 * kernel's return thunk, ~25 ns apiece on this bench's host (SRSO
	 * "Safe RET"), and the header is most of what an event costs.
	 */
	tr_hdr_base(h, event_id, syscall);
	h->host_tid = task->pid;
	h->host_pid = task->tgid;
	h->uid = task->cred->uid.val;
	h->cgroup_id = task->cgroups->dfl_cgrp->kn->id;
	h->start_time = task->start_time;
	h->host_ppid = parent->tgid;
	h->tid = h->host_tid;
	h->pid = h->host_pid;
	h->ppid = h->host_ppid;
	h->mnt_ns = nsp->mnt_ns->ns.inum;
	h->pid_ns = pid->numbers[0].ns->ns.inum;
	/* 16-byte names as two word loads each: no helper calls (a torn read
	 * of a name being renamed is possible, as with bpf_get_current_comm) */
	tr_copy16(h->comm, task->comm);
	tr_copy16(h->uts, nsp->uts_ns->name.nodename);
}

/*
 * current as a BTF pointer where the object and kernel allow loads through
 * it (CO-RE, 5.11+), else NULL: fetched once per event and handed down, a
 * helper call each time it is asked for.
 */
static __always_inline struct task_struct *tr_current_btf(void)
{
	if (TR_BTF_LOADS && (tr_cfg.kfeat & TR_KF_TASK_BTF))
		return bpf_get_current_task_btf();
	return NULL;
}

/* The header of the current task; task is tr_current_btf(). */
static __always_inline void tr_fill_hdr_task(struct tr_record_hdr *h, struct task_struct *task,
					     __u32 event_id, __s32 syscall)
{
	if (TR_BTF_LOADS && task)
		tr_fill_hdr_btf(h, task, event_id, syscall);
	else
		tr_fill_hdr_read(h, (struct task_struct *)bpf_get_current_task(), event_id, syscall);
}

static __always_inline void tr_fill_hdr(struct tr_record_hdr *h, __u32 event_id, __s32 syscall)
{
	tr_fill_hdr_task(h, tr_current_btf(), event_id, syscall);
}

/* Send size bytes at buf (a scratch record, or one kept in a map: tr_send_entered). */
static __always_inline void tr_output(void *ctx, void *buf, __u32 size)
{
	long err;

	if (tr_cfg.use_ringbuf) {
		__u32 zero = 0;
		__u64 *sent = bpf_map_lookup_elem(&unwoken, &zero);
		__u64 flags = TR_RB_NO_WAKEUP;

		/*
		 * Wake the reader once per wakeup_bytes this CPU sent, not per
		 * record (NOTES: bench); the reader also drains on its poll
		 * timer, so a wakeup is only ever early.  A per-CPU count (the
		 * verifier inlines this lookup, 6.10+) rather than asking the
		 * ring how full it is: that helper call per record cost more
		 * than the whole decision.
		 */
		if (sent) {
			*sent += size;
			if (*sent >= tr_cfg.wakeup_bytes) {
				*sent = 0;
				flags = TR_RB_FORCE_WAKEUP;
			}
		}
		err = bpf_ringbuf_output(&events, buf, size, flags);
	} else {
		err = bpf_perf_event_output(ctx, &perf_events, TR_F_CURRENT_CPU, buf, size);
	}
	/* a sent record is counted where it arrives (events received): a
	 * per-CPU map update per record is a cost every event would pay */
	if (err)
		tr_stat_inc(TR_STAT_LOST);
}

static __always_inline void tr_submit(void *ctx, __u8 *buf)
{
	struct tr_record_hdr *h = (void *)buf;
	__u32 size = *(volatile __u32 *)&h->size;

	if (size > TR_RECORD_MAX - 1)
		return;		/* cannot happen: see the verifier notes */
	size = TR_MASK(size, TR_RECORD_MAX - 1);
	tr_output(ctx, buf, size);
}
