/* SPDX-License-Identifier: GPL-2.0 */
/*
 * progs_lifecycle.h - part of tracee.bpf.c: process lifecycle programs.
 *
 * sched_process_fork (and --scope follow's bookkeeping), sched_process_exec
 * with security_bprm_check, sched_process_exit.
 */

/* raw_tp/sched_process_fork: (struct task_struct *parent, struct task_struct *child) */
SEC("raw_tp/sched_process_fork")
int tr_proc_fork(struct bpf_raw_tracepoint_args *ctx)
{
	struct task_struct *parent = (struct task_struct *)ctx->args[0];
	struct task_struct *child = (struct task_struct *)ctx->args[1];
	__u8 *buf;

	if (tr_is_self())
		return 0;
	if (tr_cfg.scope_flags & TR_SCOPE_FOLLOW) {
		/* a child of a process in scope is in scope from now on */
		if (tr_g_scope()) {
			__u32 tgid = READ_KERN(child->tgid);
			__u8 one = 1;

			/* full: this child is out of scope, counted (no entry evicted) */
			if (bpf_map_update_elem(&followed, &tgid, &one, 0 /* BPF_ANY */))
				tr_stat_inc(TR_STAT_FOLLOW_FULL);
		} else if (tr_ev_selected(TR_EV_SCHED_PROCESS_FORK)) {
			tr_stat_inc(TR_STAT_FILTERED);
			return 0;
		}
	} else if (tr_ev_selected(TR_EV_SCHED_PROCESS_FORK) && !tr_in_scope()) {
		return 0;
	}
	if (!tr_ev_selected(TR_EV_SCHED_PROCESS_FORK))
		return 0;
	buf = tr_scratch(TR_SLOT_PROC);
	if (!buf)
		return 0;
	tr_fill_hdr((void *)buf, TR_EV_SCHED_PROCESS_FORK, -1);
	tr_put_u64(buf, 0, READ_KERN(parent->pid));
	tr_put_u64(buf, 1, tr_task_ns_tid(parent));
	tr_put_u64(buf, 2, READ_KERN(parent->tgid));
	tr_put_u64(buf, 3, tr_task_ns_tgid(parent));
	tr_put_u64(buf, 4, READ_KERN(child->pid));
	tr_put_u64(buf, 5, tr_task_ns_tid(child));
	tr_put_u64(buf, 6, READ_KERN(child->tgid));
	tr_put_u64(buf, 7, tr_task_ns_tgid(child));
	tr_put_u64(buf, 8, READ_KERN(child->start_time));
	tr_submit(ctx, buf);
	return 0;
}

/*
 * security_bprm_check, from sched_process_exec (the kernel has checked and
 * committed the exec; a refused exec reports nothing here): the program's
 * absolute path, dev, inode, argv and envp as the new program sees them.
 */
TR_NOINLINE int tr_g_bprm(__u64 bprmp)
{
	struct linux_binprm *bprm = (struct linux_binprm *)bprmp;
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	__u8 *buf = tr_scratch(TR_SLOT_PROC);
	struct file *file = READ_KERN(bprm->file);
	struct mm_struct *mm = READ_KERN(task->mm);

	if (!buf)
		return 0;
	tr_fill_hdr((void *)buf, TR_EV_SECURITY_BPRM_CHECK, -1);
	tr_g_path(TR_SLOT_PROC, 0, (__u64)&file->f_path);
	tr_put_file_ids(buf, 1, file, false);
	tr_g_strarea(TR_SLOT_PROC, 3, READ_KERN(mm->arg_start), READ_KERN(mm->arg_end));
	tr_g_strarea(TR_SLOT_PROC, 4, READ_KERN(mm->env_start), READ_KERN(mm->env_end));
	return 1;
}

/* raw_tp/sched_process_exec: (struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm) */
SEC("raw_tp/sched_process_exec")
int tr_proc_exec(struct bpf_raw_tracepoint_args *ctx)
{
	struct task_struct *task = (struct task_struct *)ctx->args[0];
	struct linux_binprm *bprm = (struct linux_binprm *)ctx->args[2];
	struct task_struct *parent;
	struct files_struct *files;
	struct fdtable *fdt;
	struct file **fds, *file, *in;
	struct inode *inode, *in_inode;
	struct super_block *sb;
	struct mm_struct *mm;
	__u32 stdin_type;
	__u8 *buf;

	if (!tr_ev_selected(TR_EV_SCHED_PROCESS_EXEC) &&
	    !tr_ev_selected(TR_EV_SECURITY_BPRM_CHECK))
		return 0;
	if (tr_is_self() || !tr_in_scope())
		return 0;
	buf = tr_scratch(TR_SLOT_PROC);
	if (!buf)
		return 0;
	if (tr_ev_selected(TR_EV_SECURITY_BPRM_CHECK) && tr_g_bprm((__u64)bprm))
		tr_submit(ctx, buf);
	if (!tr_ev_selected(TR_EV_SCHED_PROCESS_EXEC))
		return 0;
	tr_fill_hdr((void *)buf, TR_EV_SCHED_PROCESS_EXEC, -1);

	file = READ_KERN(bprm->file);
	inode = READ_KERN(file->f_inode);
	sb = READ_KERN(inode->i_sb);

	tr_g_kstr(TR_SLOT_PROC, 0, (__u64)READ_KERN(bprm->filename));
	tr_g_path(TR_SLOT_PROC, 1, (__u64)&file->f_path);
	tr_put_u64(buf, 2, READ_KERN(sb->s_dev));
	tr_put_u64(buf, 3, READ_KERN(inode->i_ino));
	tr_put_u64(buf, 4, tr_kinode_ctime(inode));
	tr_put_u64(buf, 5, READ_KERN(inode->i_mode));
	tr_g_kstr(TR_SLOT_PROC, 6, (__u64)READ_KERN(bprm->interp));

	files = READ_KERN(task->files);
	fdt = READ_KERN(files->fdt);
	fds = READ_KERN(fdt->fd);
	in = fds ? READ_KERN(fds[0]) : NULL;
	in_inode = in ? READ_KERN(in->f_inode) : NULL;
	stdin_type = in_inode ? READ_KERN(in_inode->i_mode) & TR_S_IFMT : 0;
	tr_put_u64(buf, 7, stdin_type);
	/*
	 * stdin_path tells a terminal (/dev/pts/N) from /dev/null or a file.
	 * Pipes and sockets have no path to walk (their mode says it all),
	 * and they are most execs' stdin in pipelines: no walk for them.
	 */
	if (in && stdin_type != TR_S_IFIFO && stdin_type != TR_S_IFSOCK)
		tr_g_path(TR_SLOT_PROC, 8, (__u64)&in->f_path);

	/* the exec is done: current->mm is the new program's */
	mm = READ_KERN(task->mm);
	tr_g_strarea(TR_SLOT_PROC, 9, READ_KERN(mm->arg_start), READ_KERN(mm->arg_end));

	parent = READ_KERN(task->real_parent);
	tr_put_u64(buf, 10, (READ_KERN(parent->flags) & TR_PF_KTHREAD) ? 1 : 0);
	/* the environment (shown with -o option:exec-env; signatures read it) */
	tr_g_strarea(TR_SLOT_PROC, 11, READ_KERN(mm->env_start), READ_KERN(mm->env_end));
	tr_submit(ctx, buf);
	return 0;
}

/*
 * raw_tp/sched_process_exit: (struct task_struct *p), plus bool group_dead
 * since 6.16; read from the task instead so that every kernel attaches.
 */
SEC("raw_tp/sched_process_exit")
int tr_proc_exit(struct bpf_raw_tracepoint_args *ctx)
{
	struct task_struct *task = (struct task_struct *)ctx->args[0];
	struct signal_struct *signal;
	bool group_dead;
	__u8 *buf;

	if (tr_is_self())
		return 0;
	/* do_exit() has already dropped signal->live for this thread */
	signal = READ_KERN(task->signal);
	group_dead = READ_KERN(signal->live.counter) == 0;
	if (!tr_ev_selected(TR_EV_SCHED_PROCESS_EXIT) || !tr_in_scope())
		goto out;
	buf = tr_scratch(TR_SLOT_PROC);
	if (!buf)
		goto out;
	tr_fill_hdr((void *)buf, TR_EV_SCHED_PROCESS_EXIT, -1);
	tr_put_u64(buf, 0, (__s64)READ_KERN(task->exit_code));
	tr_put_u64(buf, 1, group_dead);
	tr_submit(ctx, buf);
out:
	if ((tr_cfg.scope_flags & TR_SCOPE_FOLLOW) && group_dead) {
		__u32 tgid = READ_KERN(task->tgid);

		bpf_map_delete_elem(&followed, &tgid);
	}
	return 0;
}
