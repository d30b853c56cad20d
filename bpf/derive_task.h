/* SPDX-License-Identifier: GPL-2.0 */
/*
 * derive_task.h - part of tracee.bpf.c: the task events derived at sys_exit
 * by comparing with the copy taken at sys_enter (derive.h): commit_creds and
 * switch_task_ns.
 */

/* commit_creds: the credentials differ from those at sys_enter. */
TR_NOINLINE int tr_g_creds(__u32 nr)
{
	struct tr_exit_state *es = tr_exit_state();
	__u8 *buf = tr_scratch(TR_SLOT_EXIT);
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	__u64 c[6];

	if (!es || !buf)
		return 0;
	tr_read_creds(task, c);
	if (c[0] == es->st.aux[0] && c[1] == es->st.aux[1] && c[2] == es->st.aux[2] &&
	    c[3] == es->st.aux[3] && c[4] == es->st.aux[4] && c[5] == es->st.aux[5])
		return 0;
	tr_fill_hdr((void *)buf, TR_EV_COMMIT_CREDS, nr);
	/* uid,gid | suid,sgid | euid,egid | fsuid,fsgid: suid and sgid are not reported */
	tr_put_u64(buf, 0, (__u32)es->st.aux[0]);
	tr_put_u64(buf, 1, es->st.aux[0] >> 32);
	tr_put_u64(buf, 2, (__u32)es->st.aux[2]);
	tr_put_u64(buf, 3, es->st.aux[2] >> 32);
	tr_put_u64(buf, 4, (__u32)es->st.aux[3]);
	tr_put_u64(buf, 5, es->st.aux[3] >> 32);
	tr_put_u64(buf, 6, es->st.aux[4]);
	tr_put_u64(buf, 7, es->st.aux[5]);
	tr_put_u64(buf, 8, (__u32)c[0]);
	tr_put_u64(buf, 9, c[0] >> 32);
	tr_put_u64(buf, 10, (__u32)c[2]);
	tr_put_u64(buf, 11, c[2] >> 32);
	tr_put_u64(buf, 12, (__u32)c[3]);
	tr_put_u64(buf, 13, c[3] >> 32);
	tr_put_u64(buf, 14, c[4]);
	tr_put_u64(buf, 15, c[5]);
	return 1;
}

/* switch_task_ns (setns, unshare): the namespaces that changed, 0 for the others. */
TR_NOINLINE int tr_g_ns(__u32 nr)
{
	struct tr_exit_state *es = tr_exit_state();
	__u8 *buf = tr_scratch(TR_SLOT_EXIT);
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	__u64 n[3], d[3];

	if (!es || !buf || es->ret != 0)
		return 0;
	tr_read_ns(task, n);
	d[0] = n[0] ^ es->st.aux[0];
	d[1] = n[1] ^ es->st.aux[1];
	d[2] = n[2] ^ es->st.aux[2];
	if (!d[0] && !d[1] && !d[2])
		return 0;
	tr_fill_hdr((void *)buf, TR_EV_SWITCH_TASK_NS, nr);
	tr_put_u64(buf, 0, ((struct tr_record_hdr *)buf)->host_tid);
	tr_put_u64(buf, 1, (__u32)d[0] ? (__u32)n[0] : 0);
	tr_put_u64(buf, 2, (d[0] >> 32) ? n[0] >> 32 : 0);
	tr_put_u64(buf, 3, (__u32)d[1] ? (__u32)n[1] : 0);
	tr_put_u64(buf, 4, (d[1] >> 32) ? n[1] >> 32 : 0);
	tr_put_u64(buf, 5, (__u32)d[2] ? (__u32)n[2] : 0);
	tr_put_u64(buf, 6, (d[2] >> 32) ? n[2] >> 32 : 0);
	return 1;
}
