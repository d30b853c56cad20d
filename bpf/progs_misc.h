/* SPDX-License-Identifier: GPL-2.0 */
/*
 * progs_misc.h - part of tracee.bpf.c: the other kernel tracepoints.
 *
 * cgroup_mkdir, cgroup_rmdir, task_rename, signal_generate, signal_deliver,
 * module_load: one record each, in the TR_SLOT_MISC scratch slot.
 */

/* Start a record in TR_SLOT_MISC for event id, or NULL (not selected, out of scope). */
static __always_inline __u8 *tr_misc_begin(__u32 id)
{
	__u8 *buf;

	if (!tr_ev_selected(id) || tr_is_self() || !tr_in_scope())
		return NULL;
	buf = tr_scratch(TR_SLOT_MISC);
	if (buf)
		tr_fill_hdr((void *)buf, id, -1);
	return buf;
}

/* cgroup_mkdir/cgroup_rmdir: (struct cgroup *cgrp, const char *path) */
static __always_inline int tr_cgroup_event(struct bpf_raw_tracepoint_args *ctx, __u32 id)
{
	struct cgroup *cgrp = (struct cgroup *)ctx->args[0];
	struct kernfs_node *kn = READ_KERN(cgrp->kn);
	struct cgroup_root *root = READ_KERN(cgrp->root);
	__u8 *buf = tr_misc_begin(id);
	__u64 cgid = 0;

	if (!buf)
		return 0;
	/* u64 since 5.5, before a union kernfs_node_id of the same size */
	KREAD_N(&cgid, sizeof(cgid), kn->id);
	tr_put_u64(buf, 0, cgid);
	tr_g_kstr(TR_SLOT_MISC, 1, ctx->args[1]);
	tr_put_u64(buf, 2, READ_KERN(root->hierarchy_id));
	tr_submit(ctx, buf);
	return 0;
}

SEC("raw_tp/cgroup_mkdir")
int tr_cgroup_mkdir(struct bpf_raw_tracepoint_args *ctx)
{
	return tr_cgroup_event(ctx, TR_EV_CGROUP_MKDIR);
}

SEC("raw_tp/cgroup_rmdir")
int tr_cgroup_rmdir(struct bpf_raw_tracepoint_args *ctx)
{
	return tr_cgroup_event(ctx, TR_EV_CGROUP_RMDIR);
}

/* task_rename: (struct task_struct *task, const char *comm), before the copy */
SEC("raw_tp/task_rename")
int tr_task_rename(struct bpf_raw_tracepoint_args *ctx)
{
	struct task_struct *task = (struct task_struct *)ctx->args[0];
	__u8 *buf = tr_misc_begin(TR_EV_TASK_RENAME);

	if (!buf)
		return 0;
	tr_g_kstr(TR_SLOT_MISC, 0, (__u64)&task->comm[0]);
	tr_g_kstr(TR_SLOT_MISC, 1, ctx->args[1]);
	tr_submit(ctx, buf);
	return 0;
}

/* SEND_SIG_NOINFO (0) and SEND_SIG_PRIV (1) are not pointers */
static __always_inline int tr_sig_code(struct kernel_siginfo *info)
{
	if ((unsigned long)info == 0)
		return 0;	/* SI_USER */
	if ((unsigned long)info == 1)
		return 0x80;	/* SI_KERNEL */
	return READ_KERN(info->si_code);
}

/*
 * signal_generate: (int sig, struct kernel_siginfo *info, struct task_struct *task,
 * int group, int result)
 */
SEC("raw_tp/signal_generate")
int tr_signal_gen(struct bpf_raw_tracepoint_args *ctx)
{
	struct task_struct *target = (struct task_struct *)ctx->args[2];
	__u8 *buf = tr_misc_begin(TR_EV_SIGNAL_GENERATE);

	if (!buf)
		return 0;
	tr_put_u64(buf, 0, (int)ctx->args[0]);
	tr_put_u64(buf, 1, tr_sig_code((struct kernel_siginfo *)ctx->args[1]));
	tr_put_u64(buf, 2, READ_KERN(target->tgid));
	tr_put_u64(buf, 3, READ_KERN(target->pid));
	tr_put_u64(buf, 4, (int)ctx->args[3]);
	tr_put_u64(buf, 5, (int)ctx->args[4]);
	tr_submit(ctx, buf);
	return 0;
}

/* signal_deliver: (int sig, struct kernel_siginfo *info, struct k_sigaction *ka) */
SEC("raw_tp/signal_deliver")
int tr_signal_dlv(struct bpf_raw_tracepoint_args *ctx)
{
	struct k_sigaction *ka = (struct k_sigaction *)ctx->args[2];
	__u8 *buf = tr_misc_begin(TR_EV_SIGNAL_DELIVER);

	if (!buf)
		return 0;
	tr_put_u64(buf, 0, (int)ctx->args[0]);
	tr_put_u64(buf, 1, tr_sig_code((struct kernel_siginfo *)ctx->args[1]));
	tr_put_u64(buf, 2, (__u64)READ_KERN(ka->sa.sa_handler));
	tr_put_u64(buf, 3, READ_KERN(ka->sa.sa_flags));
	tr_submit(ctx, buf);
	return 0;
}

/* module_load: (struct module *mod), once the module is in (CONFIG_MODULES) */
SEC("raw_tp/module_load")
int tr_module_load(struct bpf_raw_tracepoint_args *ctx)
{
	struct module *mod = (struct module *)ctx->args[0];
	__u8 *buf = tr_misc_begin(TR_EV_MODULE_LOAD);

	if (!buf)
		return 0;
	tr_g_kstr(TR_SLOT_MISC, 0, (__u64)&mod->name[0]);
	tr_g_kstr(TR_SLOT_MISC, 1, (__u64)READ_KERN(mod->version));
	tr_g_kstr(TR_SLOT_MISC, 2, (__u64)READ_KERN(mod->srcversion));
	tr_submit(ctx, buf);
	return 0;
}
