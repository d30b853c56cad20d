/* SPDX-License-Identifier: GPL-2.0 */
/*
 * derive_file.h - part of tracee.bpf.c: security_file_open, derived from
 * open, openat, openat2 and creat at sys_exit.
 */

/*
 * security_file_open (open, openat, openat2, creat returning an fd): the
 * opened file as the kernel holds it, so the path is absolute whatever the
 * caller passed (relative, dirfd-based, through symlinks).
 */
TR_NOINLINE int tr_g_file_open(__u32 nr)
{
	struct tr_exit_state *es = tr_exit_state();
	__u8 *buf = tr_scratch(TR_SLOT_EXIT);
	struct file *file;
	const void *upath;
	__u64 uflags = 0;

	if (!es || !buf || es->ret < 0)
		return 0;
	file = tr_fd_file(es->ret);
	if (!file)
		return 0;
	/* the path first: the prefilter may drop the event before any record */
	tr_g_walk((__u64)&file->f_path);
	if (!tr_path_wanted())
		return 0;
	/*
	 * Once open, the kernel drops O_CREAT|O_EXCL|O_NOCTTY|O_TRUNC from
	 * f_flags; the LSM hook saw them: take them from the call.
	 */
	if (nr == TR_NR_OPENAT)
		uflags = es->st.args[2];
	else if (nr == TR_NR_OPEN)
		uflags = es->st.args[1];
	else if (nr == TR_NR_CREAT)
		uflags = TR_O_CREAT | TR_O_TRUNC;
	else if (bpf_probe_read_user(&uflags, sizeof(uflags), (const void *)es->st.args[2]))
		uflags = 0;	/* openat2: struct open_how starts with the flags */
	tr_fill_hdr((void *)buf, TR_EV_SECURITY_FILE_OPEN, nr);
	tr_put_walked(buf, 0);
	tr_put_u64(buf, 1, READ_KERN(file->f_flags) | (uflags & TR_O_OPEN_ONLY));
	tr_put_file_ids(buf, 2, file, true);
	upath = (const void *)((nr == TR_NR_OPENAT || nr == TR_NR_OPENAT2) ? es->st.args[1] :
			       es->st.args[0]);
	tr_put_str(buf, 5, upath, true);
	return 1;
}
