/* SPDX-License-Identifier: GPL-2.0 */
/*
 * files.h - part of tracee.bpf.c: open files of the current task.
 *
 * The struct file behind a file descriptor, its type, and its device, inode
 * and ctime as record arguments.
 */

/* The struct file behind fd in the current task's table, or NULL. */
static __always_inline struct file *tr_fd_file(long fd)
{
	struct files_struct *files;
	struct fdtable *fdt;
	struct file **fds;
	struct file *f = NULL;
	unsigned int max;

	if (TR_BTF_LOADS && (tr_cfg.kfeat & TR_KF_TASK_BTF)) {
		/* direct loads down to the table; the array is indexed by a
		 * variable, which a BTF pointer does not take: read as before */
		fdt = bpf_get_current_task_btf()->files->fdt;
		max = fdt->max_fds;
		if (KREAD(fds, fdt->fd))
			return NULL;
	} else {
		files = READ_KERN(((struct task_struct *)bpf_get_current_task())->files);
		fdt = READ_KERN(files->fdt);
		max = READ_KERN(fdt->max_fds);
		fds = READ_KERN(fdt->fd);
	}
	if (fd < 0 || fd >= max || !fds)
		return NULL;
	bpf_probe_read_kernel(&f, sizeof(f), &fds[fd]);
	return f;
}

/* dev, inode (and ctime) of a file, at idx, idx + 1 (, idx + 2). */
static __always_inline void tr_put_file_ids(__u8 *buf, __u8 idx, struct file *file, bool ctime)
{
	struct inode *inode = READ_KERN(file->f_inode);
	struct super_block *sb = READ_KERN(inode->i_sb);

	tr_put_u64(buf, idx, READ_KERN(sb->s_dev));
	tr_put_u64(buf, idx + 1, READ_KERN(inode->i_ino));
	if (ctime)
		tr_put_u64(buf, idx + 2, tr_kinode_ctime(inode));
}

static __always_inline bool tr_file_is(struct file *file, __u32 fmt)
{
	struct inode *inode = READ_KERN(file->f_inode);

	return (READ_KERN(inode->i_mode) & TR_S_IFMT) == fmt;
}
