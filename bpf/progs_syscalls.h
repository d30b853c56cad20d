/* SPDX-License-Identifier: GPL-2.0 */
/*
 * progs_syscalls.h - part of tracee.bpf.c: the syscall programs.
 *
 * raw_tp/sys_enter and raw_tp/sys_exit (and their tp_btf twins): the
 * syscall filter, the arguments saved at enter and matched at exit, the
 * syscall event, and the derived events a finished syscall makes.
 */

/* Which derived event a finished syscall makes; 1: a record is in TR_SLOT_EXIT. */
TR_NOINLINE int tr_g_derive(__u32 nr)
{
	switch (nr) {
	case TR_NR_OPEN:
	case TR_NR_CREAT:
	case TR_NR_OPENAT:
	case TR_NR_OPENAT2:
		return tr_ev_selected(TR_EV_SECURITY_FILE_OPEN) ? tr_g_file_open(nr) : 0;
	case TR_NR_CONNECT:
	case TR_NR_BIND:
	case TR_NR_LISTEN:
	case TR_NR_ACCEPT:
	case TR_NR_ACCEPT4:
		return tr_g_socket(nr);
	case TR_NR_MMAP:
	case TR_NR_MPROTECT:
	case TR_NR_PKEY_MPROTECT:
		return tr_ev_selected(TR_EV_MEM_PROT_ALERT) ? tr_g_memprot(nr) : 0;
	case TR_NR_WRITE:
	case TR_NR_PWRITE64:
	case TR_NR_WRITEV:
	case TR_NR_PWRITEV:
		return tr_ev_selected(TR_EV_MAGIC_WRITE) ? tr_g_magic_write(nr) : 0;
	case TR_NR_SETUID:
	case TR_NR_SETGID:
	case TR_NR_SETREUID:
	case TR_NR_SETREGID:
	case TR_NR_SETRESUID:
	case TR_NR_SETRESGID:
	case TR_NR_SETFSUID:
	case TR_NR_SETFSGID:
	case TR_NR_CAPSET:
	case TR_NR_EXECVE:	/* set-user-ID and set-group-ID programs, file capabilities */
	case TR_NR_EXECVEAT:
		return tr_ev_selected(TR_EV_COMMIT_CREDS) ? tr_g_creds(nr) : 0;
	case TR_NR_SETNS:
	case TR_NR_UNSHARE:
		return tr_ev_selected(TR_EV_SWITCH_TASK_NS) ? tr_g_ns(nr) : 0;
	case TR_NR_DUP:
	case TR_NR_DUP2:
	case TR_NR_DUP3:
		return tr_ev_selected(TR_EV_SOCKET_DUP) ? tr_g_socket_dup(nr) : 0;
	default:
		return 0;
	}
}

/* Argument i of a syscall event: plain values inline, the rest in tr_g_sysarg(). */
static __always_inline void tr_emit_sysarg(__u8 *buf, __u32 slot, __u64 cfg, __u32 i,
					   const struct tr_task_state *st)
{
	__u32 tag = TR_SYS_ARGTAG(cfg, i);

	if (tag == TR_W_U64)
		tr_put_u64(buf, i, st->args[i]);
	else if (tag == TR_W_STR)	/* paths: most events have one */
		tr_put_str(buf, i, (const void *)st->args[i], true);
	else if (tag != TR_W_NONE)
		tr_g_sysarg(slot, cfg, i, st->args[i], i + 1 < TR_SYSCALL_ARGS ? st->args[i + 1] : 0);
}

static __always_inline void tr_emit_syscall(void *ctx, __u32 slot, struct task_struct *task,
					    long nr, __u64 cfg, struct tr_task_state *st, long ret)
{
	__u8 *buf = tr_scratch(slot);
	struct tr_record_hdr *h = (void *)buf;

	if (!buf)
		return;
	tr_fill_hdr_task(h, task, nr, nr);
	if (st->ts)
		h->ts = st->ts;	/* paired: stamped at entry */
	h->retval = ret;
	tr_emit_sysarg(buf, slot, cfg, 0, st);
	tr_emit_sysarg(buf, slot, cfg, 1, st);
	tr_emit_sysarg(buf, slot, cfg, 2, st);
	tr_emit_sysarg(buf, slot, cfg, 3, st);
	tr_emit_sysarg(buf, slot, cfg, 4, st);
	tr_emit_sysarg(buf, slot, cfg, 5, st);
	tr_submit(ctx, buf);
}

/* The per-task state of the current thread; NULL when there is none. */
static __always_inline struct tr_task_state *tr_state_lookup(void)
{
	__u32 tid;

	if (tr_cfg.use_task_storage)
		return bpf_task_storage_get(&task_state, bpf_get_current_task_btf(), 0, 0);
	tid = (__u32)bpf_get_current_pid_tgid();
	return bpf_map_lookup_elem(&task_state_h, &tid);
}

static __always_inline void tr_state_save(struct tr_task_state *st)
{
	struct tr_task_state *t;
	__u32 tid;

	if (tr_cfg.use_task_storage) {
		t = bpf_task_storage_get(&task_state, bpf_get_current_task_btf(), 0,
					 TR_STORAGE_CREATE);
		if (t)
			*t = *st;
		return;
	}
	tid = (__u32)bpf_get_current_pid_tgid();
	bpf_map_update_elem(&task_state_h, &tid, st, 0 /* BPF_ANY */);
}

/*
 * The six argument registers, in the syscall's order.  x86_64 pt_regs holds
 * r10, r9, r8, ax, cx, dx, si, di in this order (the entry code pushes them
 * so; ptrace's user_regs_struct has the same layout): one read for all six.
 * From a BTF pointer (tp_btf), six direct loads.  They hold the same values
 * at sys_exit: the entry code saved them there and syscalls read, not write
 * them (execve, which rewrites them, is TR_SYS_AT_ENTER).
 */
static __always_inline int tr_regs_args(struct pt_regs *regs, bool btf, __u64 *args)
{
	struct {
		__u64 r10, r9, r8, ax, cx, dx, si, di;
	} r;

	if (btf) {
		args[0] = regs->di;
		args[1] = regs->si;
		args[2] = regs->dx;
		args[3] = regs->r10;
		args[4] = regs->r8;
		args[5] = regs->r9;
		return 0;
	}
	if (KREAD_N(&r, sizeof(r), regs->r10))
		return -1;
	args[0] = r.di;
	args[1] = r.si;
	args[2] = r.dx;
	args[3] = r.r10;
	args[4] = r.r8;
	args[5] = r.r9;
	return 0;
}

/*
 * tracee's own threads and 32-bit syscalls are not reported: both checks
 * from one task pointer where loads work (a helper call less per event).
 */
static __always_inline bool tr_skip_current(struct task_struct *task)
{
	if (TR_BTF_LOADS && task)
		return task->tgid == tr_cfg.self_tgid ||
		       (task->thread_info.status & TR_TS_COMPAT);
	return tr_is_self() || tr_task_compat((struct task_struct *)bpf_get_current_task());
}

/*
 * sys_enter: (struct pt_regs *regs, long id).  Only for TR_SYS_AT_ENTER
 * syscalls; the loader leaves the program off when none is selected.
 */
static __always_inline int tr_on_sys_enter(void *ctx, struct pt_regs *regs, unsigned long nr,
					   bool btf)
{
	struct task_struct *task;
	struct tr_task_state st;
	__u64 cfg;

	/* the filter first: a rodata load, before any map or helper */
	if (nr >= TR_MAX_SYSCALL)
		return 0;
	cfg = tr_cfg.sys_cfg[nr];
	if (!(cfg & TR_SYS_AT_ENTER))
		return 0;
	task = tr_current_btf();
	if (tr_skip_current(task))
		return 0;
	if (!tr_in_scope())
		return 0;
	if (tr_regs_args(regs, btf, st.args))
		return 0;
	__builtin_memset(st.aux, 0, sizeof(st.aux));
	st.ts = bpf_ktime_get_ns();
	st.nr = nr;
	if (cfg & TR_SYS_DERIVE)
		tr_enter_aux((struct task_struct *)bpf_get_current_task(), nr, &st);

	if (cfg & TR_SYS_SUBMIT_ENTER) {
		/* execve: the caller's memory is gone once the exec succeeded */
		if (cfg & TR_SYS_EMIT)
			tr_emit_syscall(ctx, TR_SLOT_ENTER, task, nr, cfg, &st, 0);
		if (!(cfg & TR_SYS_DERIVE))
			return 0;	/* else the exit derives (commit_creds) */
	}
	tr_state_save(&st);
	return 0;
}

/*
 * sys_exit: (struct pt_regs *regs, long ret).  The syscall number is
 * regs->orig_ax; the filter on it runs before anything else, as at entry.
 */
static __always_inline int tr_on_sys_exit(void *ctx, struct pt_regs *regs, unsigned long nr,
					  long ret, bool btf)
{
	struct tr_task_state *sp, st;
	struct task_struct *task;
	__u64 cfg;

	if (nr >= TR_MAX_SYSCALL)
		return 0;
	cfg = tr_cfg.sys_cfg[nr];
	if (!(cfg & TR_SYS_CAPTURE) ||
	    (cfg & (TR_SYS_SUBMIT_ENTER | TR_SYS_DERIVE)) == TR_SYS_SUBMIT_ENTER)
		return 0;
	task = tr_current_btf();
	if (tr_skip_current(task))
		return 0;
	if (cfg & TR_SYS_AT_ENTER) {
		sp = tr_state_lookup();
		if (!sp || sp->nr != (long)nr)
			return 0;
		st = *sp;
		sp->nr = -1;
	} else {
		/* exit alone: the checks sys_enter would have made, then the registers */
		if (!tr_in_scope())
			return 0;
		if (tr_regs_args(regs, btf, st.args))
			return 0;
		__builtin_memset(st.aux, 0, sizeof(st.aux));
		st.ts = 0;	/* the header's time: now, at return */
		st.nr = nr;
	}
	if ((cfg & (TR_SYS_EMIT | TR_SYS_SUBMIT_ENTER)) == TR_SYS_EMIT)
		tr_emit_syscall(ctx, TR_SLOT_EXIT, task, nr, cfg, &st, ret);
	if (cfg & TR_SYS_DERIVE) {
		struct tr_exit_state *es = tr_exit_state();
		__u8 *buf;

		if (!es)
			return 0;
		es->st = st;
		es->ret = ret;
		buf = tr_scratch(TR_SLOT_EXIT);
		int derived = buf && tr_g_derive(nr);

		if (derived)
			tr_submit(ctx, buf);
		/* -c write, mem, bpf, module: bpf/capture.h */
		if (tr_cfg.cap_write || tr_cfg.cap_mem || tr_cfg.cap_bpf || tr_cfg.cap_module)
			tr_cap(ctx, nr, derived);
	}
	return 0;
}

SEC("raw_tp/sys_enter")
int tr_sys_enter(struct bpf_raw_tracepoint_args *ctx)
{
	return tr_on_sys_enter(ctx, (struct pt_regs *)ctx->args[0], ctx->args[1], false);
}

SEC("raw_tp/sys_exit")
int tr_sys_exit(struct bpf_raw_tracepoint_args *ctx)
{
	struct pt_regs *regs = (struct pt_regs *)ctx->args[0];

	return tr_on_sys_exit(ctx, regs, READ_KERN(regs->orig_ax), (long)ctx->args[1], false);
}

#if TR_BTF_LOADS
/*
 * The same, as tp_btf programs: the arguments are typed BTF pointers, so
 * regs->orig_ax, the argument registers and (5.11+) the task's fields are
 * plain loads instead of helper calls, on every syscall of the machine for
 * orig_ax.  The loader prefers these twins (name + "_btf") when the kernel
 * has tp_btf and its BTF.
 */
SEC("tp_btf/sys_enter")
int tr_sys_enter_btf(__u64 *ctx)
{
	return tr_on_sys_enter(ctx, (struct pt_regs *)ctx[0], ctx[1], true);
}

SEC("tp_btf/sys_exit")
int tr_sys_exit_btf(__u64 *ctx)
{
	struct pt_regs *regs = (struct pt_regs *)ctx[0];

	return tr_on_sys_exit(ctx, regs, regs->orig_ax, (long)ctx[1], true);
}
#endif
