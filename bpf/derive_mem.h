/* SPDX-License-Identifier: GPL-2.0 */
/*
 * derive_mem.h - part of tracee.bpf.c: mem_prot_alert, derived from mmap,
 * mprotect and pkey_mprotect at sys_exit (with what progs_mprotect.h saw of
 * the mapping at sys_enter).
 */

/*
 * mem_prot_alert: mmap of writable+executable memory, mprotect to W+X, or
 * (with bpf_find_vma, tr_mprot_enter) executable memory made writable and
 * writable memory made executable.
 */
TR_NOINLINE int tr_g_memprot(__u32 nr)
{
	struct tr_exit_state *es = tr_exit_state();
	__u8 *buf = tr_scratch(TR_SLOT_EXIT);
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	__u32 prot, prev = 0, alert = 0;
	struct file *file = NULL;
	struct tr_vma_prev *pv;
	__u64 addr;

	if (!es || !buf)
		return 0;
	prot = es->st.args[2] & (TR_PROT_WRITE | TR_PROT_EXEC | 1);
	if (nr == TR_NR_MMAP) {
		if ((__u64)es->ret >= (__u64)-4095)
			return 0;	/* failed */
		if ((prot & (TR_PROT_WRITE | TR_PROT_EXEC)) != (TR_PROT_WRITE | TR_PROT_EXEC))
			return 0;
		alert = TR_ALERT_MMAP_WX;
		addr = es->ret;
		if (!(es->st.args[3] & TR_MAP_ANONYMOUS))
			file = tr_fd_file((int)es->st.args[4]);
	} else {
		bool known = false;

		pv = bpf_map_lookup_elem(&mprot_prev, &tid);
		if (pv && pv->valid) {
			known = true;
			prev = pv->flags & (TR_PROT_WRITE | TR_PROT_EXEC | 1);
			file = (struct file *)pv->file;
			pv->valid = 0;
		}
		if (es->ret != 0)
			return 0;
		addr = es->st.args[0];
		if ((prot & (TR_PROT_WRITE | TR_PROT_EXEC)) == (TR_PROT_WRITE | TR_PROT_EXEC))
			alert = (prev & TR_PROT_EXEC) ? TR_ALERT_MPROT_X_TO_WX : TR_ALERT_MPROT_WX;
		else if (known && (prot & TR_PROT_EXEC) && (prev & TR_PROT_WRITE) &&
			 !(prev & TR_PROT_EXEC))
			alert = TR_ALERT_MPROT_W_TO_X;
		else
			return 0;
	}
	tr_fill_hdr((void *)buf, TR_EV_MEM_PROT_ALERT, nr);
	tr_put_u64(buf, 0, alert);
	tr_put_u64(buf, 1, addr);
	tr_put_u64(buf, 2, es->st.args[1]);
	tr_put_u64(buf, 3, prot);
	tr_put_u64(buf, 4, prev);
	if (file) {
		tr_g_path(TR_SLOT_EXIT, 5, (__u64)&file->f_path);
		tr_put_file_ids(buf, 6, file, true);
	}
	return 1;
}
