/* SPDX-License-Identifier: GPL-2.0 */
/*
 * scope.h - part of tracee.bpf.c: the --scope checks.
 *
 * Scopes are checked before anything else is read: a rodata flags word (zero:
 * the verifier prunes the whole check) and small hash maps user space fills;
 * a dropped event counts TR_STAT_FILTERED.
 */

/* One numeric scope: "!=" values exclude; "=" values or a range, if any, must match. */
static __always_inline bool tr_scope_num(__u32 fl, __u32 eq, __u32 ne, __u32 range, __u32 kind,
					 __u32 aux, __u64 v, __u64 lo, __u64 hi)
{
	struct tr_scope_key k = { .kind = kind, .aux = aux, .val = v };
	__u8 *b, bits = 0;

	if (fl & (eq | ne)) {
		b = bpf_map_lookup_elem(&scope_vals, &k);
		if (b)
			bits = *b;
	}
	if (bits & TR_SCOPE_V_NE)
		return false;
	if (!(fl & (eq | range)))
		return true;
	if (bits & TR_SCOPE_V_EQ)
		return true;
	return (fl & range) && v >= lo && v <= hi;
}

/*
 * Is the current task in scope?  1 yes, 0 no.  Only called when
 * tr_cfg.scope_flags is set; a global function, verified once.
 */
TR_NOINLINE int tr_g_scope(void)
{
	__u32 fl = tr_cfg.scope_flags;
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u32 tgid = pid_tgid >> 32;
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();

	if ((fl & TR_SCOPE_FOLLOW) && bpf_map_lookup_elem(&followed, &tgid))
		return 1;
	if (!tr_scope_num(fl, TR_SCOPE_PID_EQ, TR_SCOPE_PID_NE, TR_SCOPE_PID_RANGE, TR_SK_PID, 0,
			  tgid, tr_cfg.scope_pid_lo, tr_cfg.scope_pid_hi))
		return 0;
	if (!tr_scope_num(fl, TR_SCOPE_TID_EQ, TR_SCOPE_TID_NE, 0, TR_SK_TID, 0,
			  (__u32)pid_tgid, 0, 0))
		return 0;
	if (!tr_scope_num(fl, TR_SCOPE_UID_EQ, TR_SCOPE_UID_NE, TR_SCOPE_UID_RANGE, TR_SK_UID, 0,
			  (__u32)bpf_get_current_uid_gid(), tr_cfg.scope_uid_lo, tr_cfg.scope_uid_hi))
		return 0;
	if (fl & (TR_SCOPE_MNTNS_EQ | TR_SCOPE_MNTNS_NE)) {
		struct nsproxy *nsp = READ_KERN(task->nsproxy);
		struct mnt_namespace *mntns = READ_KERN(nsp->mnt_ns);

		if (!tr_scope_num(fl, TR_SCOPE_MNTNS_EQ, TR_SCOPE_MNTNS_NE, 0, TR_SK_MNTNS, 0,
				  tr_kns_inum(&mntns->ns), 0, 0))
			return 0;
	}
	if (fl & (TR_SCOPE_PIDNS_EQ | TR_SCOPE_PIDNS_NE | TR_SCOPE_CONTAINER |
		  TR_SCOPE_NOT_CONTAINER | TR_SCOPE_NEW_CONTAINER)) {
		struct pid *pid = READ_KERN(task->thread_pid);
		unsigned int level = READ_KERN(pid->level);
		struct pid_namespace *pidns = READ_KERN(tr_kpid_upid(pid, level)->ns);

		if (!tr_scope_num(fl, TR_SCOPE_PIDNS_EQ, TR_SCOPE_PIDNS_NE, 0, TR_SK_PIDNS, 0,
				  tr_kns_inum(&pidns->ns), 0, 0))
			return 0;
		/* a container: a process in a pid namespace of its own */
		if ((fl & (TR_SCOPE_CONTAINER | TR_SCOPE_NEW_CONTAINER)) && !level)
			return 0;
		if ((fl & TR_SCOPE_NOT_CONTAINER) && level)
			return 0;
		if (fl & TR_SCOPE_NEW_CONTAINER) {
			struct task_struct *reaper = READ_KERN(pidns->child_reaper);

			if (READ_KERN(reaper->start_time) < tr_cfg.scope_start_ns)
				return 0;
		}
	}
	if (fl & TR_SCOPE_NEW_PID) {
		struct task_struct *leader = READ_KERN(task->group_leader);

		if (READ_KERN(leader->start_time) < tr_cfg.scope_start_ns)
			return 0;
	}
	if (fl & (TR_SCOPE_COMM_EQ | TR_SCOPE_COMM_NE)) {
		char comm[TR_COMM_LEN] = {};
		__u8 *b;

		bpf_get_current_comm(comm, sizeof(comm));
		b = bpf_map_lookup_elem(&scope_comm, comm);
		if (b && (*b & TR_SCOPE_V_NE))
			return 0;
		if ((fl & TR_SCOPE_COMM_EQ) && !(b && (*b & TR_SCOPE_V_EQ)))
			return 0;
	}
	if (fl & (TR_SCOPE_EXE_EQ | TR_SCOPE_EXE_NE)) {
		struct mm_struct *mm = READ_KERN(task->mm);
		struct file *exe = READ_KERN(mm->exe_file);
		struct inode *inode = READ_KERN(exe->f_inode);
		struct super_block *sb = READ_KERN(inode->i_sb);

		if (!tr_scope_num(fl, TR_SCOPE_EXE_EQ, TR_SCOPE_EXE_NE, 0, TR_SK_EXE,
				  READ_KERN(sb->s_dev), READ_KERN(inode->i_ino), 0, 0))
			return 0;
	}
	return 1;
}

/* The scope check every program starts with; false: drop (counted). */
static __always_inline bool tr_in_scope(void)
{
	if (!tr_cfg.scope_flags)
		return true;	/* the verifier drops the rest */
	if (tr_g_scope())
		return true;
	tr_stat_inc(TR_STAT_FILTERED);
	return false;
}
