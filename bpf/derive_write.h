/* SPDX-License-Identifier: GPL-2.0 */
/*
 * derive_write.h - part of tracee.bpf.c: magic_write, derived from write,
 * writev, pwrite64 and pwritev at sys_exit.
 */

/*
 * magic_write: the first bytes written at offset 0 of a regular file
 * (write/writev: the file position at sys_enter, in aux[0]; pwrite64 and
 * pwritev: the offset argument).
 */
TR_NOINLINE int tr_g_magic_write(__u32 nr)
{
	struct tr_exit_state *es = tr_exit_state();
	__u8 *buf = tr_scratch(TR_SLOT_EXIT);
	struct file *file;
	__u64 len;

	if (!es || !buf || es->ret <= 0)
		return 0;
	if (nr == TR_NR_PWRITE64 || nr == TR_NR_PWRITEV) {
		if (es->st.args[3] != 0)
			return 0;
	} else if (es->st.aux[0] != 0) {
		return 0;
	}
	file = tr_fd_file((int)es->st.args[0]);
	if (!file || !tr_file_is(file, TR_S_IFREG))
		return 0;
	len = es->ret;
	if (len > TR_MAGIC_LEN)
		len = TR_MAGIC_LEN;
	tr_fill_hdr((void *)buf, TR_EV_MAGIC_WRITE, nr);
	tr_g_path(TR_SLOT_EXIT, 0, (__u64)&file->f_path);
	if (nr == TR_NR_WRITEV || nr == TR_NR_PWRITEV)
		tr_put_iov_bytes(buf, 1, (const void *)es->st.args[1], es->st.args[2], len);
	else
		tr_put_ubytes(buf, 1, TR_W_BYTES, (const void *)es->st.args[1], len, TR_MAGIC_LEN);
	tr_put_file_ids(buf, 2, file, false);
	return 1;
}
