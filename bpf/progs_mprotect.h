/* SPDX-License-Identifier: GPL-2.0 */
/*
 * progs_mprotect.h - part of tracee.bpf.c: tr_mprot_enter, the second
 * raw_tp/sys_enter program (mem_prot_alert's view of the mapping before
 * mprotect changes it).
 */

/*
 * raw_tp/sys_enter, a second program: for mem_prot_alert, the protection of
 * the mapping mprotect is about to change, found with bpf_find_vma() (5.17).
 * Apart so that the main programs load where that helper is missing (the
 * loader leaves this one out there: tr_cfg.kfeat).
 */
struct tr_vma_ctx {
	struct tr_vma_prev v;
};

static long tr_vma_cb(struct task_struct *task, struct vm_area_struct *vma, void *data)
{
	struct tr_vma_ctx *c = data;

	c->v.flags = READ_KERN(vma->vm_flags);
	c->v.file = (__u64)READ_KERN(vma->vm_file);
	c->v.valid = 1;
	return 0;
}

SEC("raw_tp/sys_enter")
int tr_mprot_enter(struct bpf_raw_tracepoint_args *ctx)
{
	unsigned long nr = TR_SC_ID(ctx->args[1]);
	struct tr_vma_ctx c = {};
	struct pt_regs *regs;
	__u32 tid;

	if (!(tr_cfg.kfeat & TR_KF_FIND_VMA) || !tr_ev_selected(TR_EV_MEM_PROT_ALERT))
		return 0;
	if (nr != TR_NR_MPROTECT && nr != TR_NR_PKEY_MPROTECT)
		return 0;
	if (tr_is_self() || (tr_cfg.scope_flags && !tr_g_scope()))
		return 0;	/* counted by tr_sys_enter */
	regs = (struct pt_regs *)ctx->args[0];
#if defined(CORE) || LINUX_VERSION_CODE >= KERNEL_VERSION(5, 17, 0)
	bpf_find_vma(bpf_get_current_task_btf(), READ_KERN(TR_SC_ARG0(regs)), tr_vma_cb, &c, 0);
#endif
	tid = (__u32)bpf_get_current_pid_tgid();
	bpf_map_update_elem(&mprot_prev, &tid, &c.v, 0 /* BPF_ANY */);
	return 0;
}
