/* SPDX-License-Identifier: GPL-2.0 */
/*
 * capture.h - part of tracee.bpf.c: -c write, the bytes written to the files
 * the capture wants, sent to user space in chunks (bpf/tracee_abi.h,
 * TR_REC_CAPTURE_WRITE) at sys_exit of write, pwrite64, writev and pwritev;
 * -c mem, the same for the bytes of a region mprotect made executable
 * (TR_REC_CAPTURE_MEM), right after the mem_prot_alert that reports it;
 * -c bpf, the instructions of a bpf(BPF_PROG_LOAD) (TR_REC_CAPTURE_BPF);
 * -c module, the image an init_module was given (TR_REC_CAPTURE_MODULE), or
 * the file a finit_module was given (one record naming it: TR_CAPF_FILE).
 *
 * Everything here hangs off tr_cfg.cap_write, cap_mem, cap_bpf and
 * cap_module, rodata constants: without them the verifier removes the call and no syscall pays
 * for it.  The
 * bytes are read from the caller's buffer after the syscall, so only those
 * the kernel really wrote (its return value) are sent, and the file is the
 * one behind the fd now: its device, inode, type and path.
 */

#define TR_S_IFIFO		0010000
#define TR_NR_BPF		321
#define TR_NR_INIT_MODULE	175
#define TR_NR_FINIT_MODULE	313
#define TR_BPF_PROG_LOAD	5

/* The file's type as a TR_CAPW_* bit. */
static __always_inline __u32 tr_cap_ftype(struct file *file)
{
	struct inode *inode = READ_KERN(file->f_inode);
	__u32 fmt = READ_KERN(inode->i_mode) & TR_S_IFMT;

	if (fmt == TR_S_IFREG)
		return TR_CAPW_REGULAR;
	if (fmt == TR_S_IFIFO)
		return TR_CAPW_PIPE;
	if (fmt == TR_S_IFSOCK)
		return TR_CAPW_SOCKET;
	return TR_CAPW_OTHER;
}

/*
 * Walk the file's path into path_buf and say whether it starts with one of
 * the prefixes user space gave (the literal part of each -c write glob; user
 * space checks the whole glob).  No prefix: every path.
 */
TR_NOINLINE int tr_g_cap_path(__u64 fpath)
{
	struct tr_pathbuf *pb = tr_pathbuf();
	__u32 pos, p, i;

	tr_walk_path((struct path *)fpath);
	if (!pb)
		return 0;
	if (!tr_cfg.cap_nprefix)
		return 1;
	pos = pb->pos;
	if (pos >= TR_PATH_MAX)
		return 0;
	for (p = 0; p < TR_CAP_PREFIXES && p < tr_cfg.cap_nprefix; p++) {
		for (i = 0; i < TR_CAP_PREFIX_LEN; i++) {
			char c = tr_cfg.cap_prefix[p][i];
			__u32 k = pos + i;

			if (!c)
				return 1;
			if (k >= TR_PATH_MAX || pb->buf[TR_MASK(k, TR_PATH_MAX - 1)] != c)
				break;
		}
	}
	return 0;
}

/* Where the chunks of the call being sent are (one per CPU: sys_exit runs to its end). */
struct tr_cap_state {
	__u64 base;		/* user address of the next byte */
	__u64 left;		/* bytes left in the current buffer (iovec) */
	__u64 remaining;	/* bytes of the call not sent yet */
	__u64 done;		/* bytes of the call sent */
	__u64 off;		/* file offset of the call's first byte */
	__u64 uiov, iovcnt;	/* writev, pwritev: the iovec array */
	__u32 iov_i;		/* next iovec to take */
	__u32 idx;		/* next chunk number */
	__u32 doff;		/* where the data goes in the record */
	__u32 vec;
};

struct {
	__uint(type, TR_MAP_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct tr_cap_state);
} cap_state SEC(".maps");

/*
 * Is the file of the finished write call one the capture wants?  If so,
 * start its record in TR_SLOT_EXIT (header, chunk fields, path) and the
 * cursor in cap_state.  Returns 1 to send chunks.
 */
TR_NOINLINE int tr_g_cap_begin(__u32 nr)
{
	struct tr_exit_state *es = tr_exit_state();
	__u8 *buf = tr_scratch(TR_SLOT_EXIT);
	struct tr_pathbuf *pb = tr_pathbuf();
	__u32 zero = 0, ftype, plen = 0, pos;
	struct tr_cap_state *cs = bpf_map_lookup_elem(&cap_state, &zero);
	struct tr_record_hdr *h;
	struct tr_cap_chunk *c;
	struct inode *inode;
	struct super_block *sb;
	struct file *file;

	if (!es || !buf || !pb || !cs || es->ret <= 0)
		return 0;
	file = tr_fd_file((int)es->st.args[0]);
	if (!file)
		return 0;
	ftype = tr_cap_ftype(file);
	if (!(ftype & tr_cfg.cap_write) || !tr_g_cap_path((__u64)&file->f_path))
		return 0;
	h = (void *)buf;
	c = (void *)(buf + sizeof(*h));
	tr_fill_hdr(h, TR_REC_CAPTURE_WRITE, nr);
	h->retval = es->ret;
	inode = READ_KERN(file->f_inode);
	sb = READ_KERN(inode->i_sb);
	c->dev = READ_KERN(sb->s_dev);
	c->inode = READ_KERN(inode->i_ino);
	c->total = es->ret;
	c->ftype = ftype;
	c->flags = pb->cut ? TR_CAPF_PATH_CUT : 0;
	c->pad = 0;
	/* the path, once: every chunk of the call carries it */
	pos = pb->pos;
	if (pos < TR_PATH_MAX) {
		pos = TR_MASK(pos, TR_PATH_MAX - 1);
		plen = TR_PATH_MAX - pos;
		plen = TR_MASK(plen, TR_PATH_MAX * 2 - 1);
		if (bpf_probe_read_kernel(buf + sizeof(*h) + sizeof(*c), plen, &pb->buf[pos]))
			plen = 0;
	}
	c->path_len = plen;
	cs->doff = sizeof(*h) + sizeof(*c) + plen;
	cs->remaining = es->ret;
	cs->done = 0;
	cs->idx = 0;
	cs->iov_i = 0;
	cs->vec = nr == TR_NR_WRITEV || nr == TR_NR_PWRITEV;
	if (cs->vec) {
		cs->uiov = es->st.args[1];
		cs->iovcnt = es->st.args[2];
		cs->base = 0;
		cs->left = 0;
	} else {
		cs->base = es->st.args[1];
		cs->left = es->ret;
	}
	/* pwrite: its offset; write: the position it left, less what it wrote */
	if (nr == TR_NR_PWRITE64 || nr == TR_NR_PWRITEV)
		cs->off = es->st.args[3];
	else
		cs->off = READ_KERN(file->f_pos) - es->ret;
	return 1;
}

/*
 * -c mem: the mem_prot_alert just sent (in TR_SLOT_EXIT) said mprotect made
 * a region executable after it was writable, or writable and executable:
 * start a record for its bytes, at most TR_CAP_CHUNKS chunks of them.
 */
TR_NOINLINE int tr_g_cap_mem_begin(__u32 nr)
{
	struct tr_exit_state *es = tr_exit_state();
	__u8 *buf = tr_scratch(TR_SLOT_EXIT);
	__u32 zero = 0;
	struct tr_cap_state *cs = bpf_map_lookup_elem(&cap_state, &zero);
	struct tr_record_hdr *h;
	struct tr_cap_chunk *c;
	__u64 len;

	if (!es || !buf || !cs || es->ret != 0)
		return 0;
	h = (void *)buf;
	if (h->event_id != TR_EV_MEM_PROT_ALERT)
		return 0;
	c = (void *)(buf + sizeof(*h));
	len = es->st.args[1];
	if (!len)
		return 0;
	tr_fill_hdr(h, TR_REC_CAPTURE_MEM, nr);
	c->dev = 0;
	c->inode = 0;
	c->total = len;
	c->ftype = 0;
	c->flags = 0;
	c->pad = 0;
	c->path_len = 0;
	cs->doff = sizeof(*h) + sizeof(*c);
	cs->remaining = len;
	cs->done = 0;
	cs->idx = 0;
	cs->iov_i = 0;
	cs->vec = 0;
	cs->base = es->st.args[0];
	cs->left = len;
	cs->off = es->st.args[0];	/* the chunk's offset: its address */
	return 1;
}

/*
 * -c bpf: a bpf(BPF_PROG_LOAD) returned (loaded or refused): start a record
 * for the instructions it was given, read from the caller's attr, which
 * the kernel only copied.
 */
TR_NOINLINE int tr_g_cap_bpf_begin(__u32 nr)
{
	struct tr_exit_state *es = tr_exit_state();
	__u8 *buf = tr_scratch(TR_SLOT_EXIT);
	__u32 zero = 0;
	struct tr_cap_state *cs = bpf_map_lookup_elem(&cap_state, &zero);
	struct tr_record_hdr *h;
	struct tr_cap_chunk *c;
	/* union bpf_attr, BPF_PROG_LOAD: the fields up to prog_name, as the UAPI lays them */
	struct {
		__u32 prog_type, insn_cnt;
		__u64 insns, license;
		__u32 log_level, log_size;
		__u64 log_buf;
		__u32 kern_version, prog_flags;
	} a;
	long n;

	if (!es || !buf || !cs || es->st.args[0] != TR_BPF_PROG_LOAD || !es->st.args[1])
		return 0;
	if (bpf_probe_read_user(&a, sizeof(a), (const void *)es->st.args[1]) || !a.insn_cnt ||
	    !a.insns)
		return 0;
	h = (void *)buf;
	c = (void *)(buf + sizeof(*h));
	tr_fill_hdr(h, TR_REC_CAPTURE_BPF, nr);
	h->retval = es->ret;
	c->dev = a.prog_type;
	c->inode = es->ret;
	c->total = (__u64)a.insn_cnt * 8;
	c->ftype = 0;
	c->flags = 0;
	c->pad = 0;
	/* prog_name: 16 bytes after the fields above; NUL-terminated when set */
	n = bpf_probe_read_user_str(buf + sizeof(*h) + sizeof(*c), 16,
				    (const __u8 *)es->st.args[1] + sizeof(a));
	c->path_len = n > 1 ? n - 1 : 0;
	cs->doff = sizeof(*h) + sizeof(*c) + (c->path_len & 15);
	cs->remaining = c->total;
	cs->done = 0;
	cs->idx = 0;
	cs->iov_i = 0;
	cs->vec = 0;
	cs->base = a.insns;
	cs->left = c->total;
	cs->off = a.insns;
	return 1;
}

/*
 * -c module: an init_module(2) returned (loaded or refused): start a record
 * for the image it was given, read from the caller's buffer.
 */
TR_NOINLINE int tr_g_cap_module_begin(__u32 nr)
{
	struct tr_exit_state *es = tr_exit_state();
	__u8 *buf = tr_scratch(TR_SLOT_EXIT);
	__u32 zero = 0;
	struct tr_cap_state *cs = bpf_map_lookup_elem(&cap_state, &zero);
	struct tr_record_hdr *h;
	struct tr_cap_chunk *c;

	if (!es || !buf || !cs || !es->st.args[0] || !es->st.args[1])
		return 0;
	h = (void *)buf;
	c = (void *)(buf + sizeof(*h));
	tr_fill_hdr(h, TR_REC_CAPTURE_MODULE, nr);
	h->retval = es->ret;
	c->dev = 0;
	c->inode = es->ret;
	c->total = es->st.args[1];
	c->ftype = 0;
	c->flags = 0;
	c->pad = 0;
	c->path_len = 0;
	cs->doff = sizeof(*h) + sizeof(*c);
	cs->remaining = c->total;
	cs->done = 0;
	cs->idx = 0;
	cs->iov_i = 0;
	cs->vec = 0;
	cs->base = es->st.args[0];
	cs->left = c->total;
	cs->off = es->st.args[0];
	return 1;
}

/*
 * -c module, sys_enter of finit_module(2): the file behind its fd as the
 * call takes it, into the saved state for the exit (another thread may
 * close or replace the fd while the call runs).
 */
static __always_inline void tr_cap_finit_enter(struct tr_task_state *st)
{
	struct file *file = tr_fd_file((int)st->args[0]);
	struct inode *inode;
	struct super_block *sb;

	if (!file)
		return;
	inode = READ_KERN(file->f_inode);
	sb = READ_KERN(inode->i_sb);
	st->aux[0] = (__u64)file;
	st->aux[1] = READ_KERN(sb->s_dev);
	st->aux[2] = READ_KERN(inode->i_ino);
}

/*
 * -c module, finit_module(2) returned (loaded or refused): one record, no
 * data, naming the file the call was given (TR_CAPF_FILE) for user space to
 * copy.  The path is walked only when the fd still names the file sys_enter
 * saw (then it is alive); else it is left out and user space goes by dev
 * and inode alone.  Returns 1 when the record in TR_SLOT_EXIT is ready.
 */
TR_NOINLINE int tr_g_cap_finit(__u32 nr)
{
	struct tr_exit_state *es = tr_exit_state();
	__u8 *buf = tr_scratch(TR_SLOT_EXIT);
	struct tr_pathbuf *pb = tr_pathbuf();
	struct tr_record_hdr *h;
	struct tr_cap_chunk *c;
	struct file *file;
	__u32 plen = 0, pos;

	if (!es || !buf || !pb || !es->st.aux[0])
		return 0;
	h = (void *)buf;
	c = (void *)(buf + sizeof(*h));
	tr_fill_hdr(h, TR_REC_CAPTURE_MODULE, nr);
	h->retval = es->ret;
	c->dev = es->st.aux[1];
	c->inode = es->st.aux[2];
	c->total = 0;	/* its size: user space's fstat */
	c->offset = 0;
	c->seq = 0;
	c->len = 0;
	c->index = 0;
	c->ftype = TR_CAPW_REGULAR;
	c->flags = TR_CAPF_FILE | TR_CAPF_LAST;
	c->pad = 0;
	file = tr_fd_file((int)es->st.args[0]);
	if (file && (__u64)file == es->st.aux[0]) {
		/* the walk (its prefix match is -c write's) */
		tr_g_cap_path((__u64)&file->f_path);
		pos = pb->pos;
		if (pos < TR_PATH_MAX) {
			pos = TR_MASK(pos, TR_PATH_MAX - 1);
			plen = TR_PATH_MAX - pos;
			plen = TR_MASK(plen, TR_PATH_MAX * 2 - 1);
			if (bpf_probe_read_kernel(buf + sizeof(*h) + sizeof(*c), plen,
						  &pb->buf[pos]))
				plen = 0;
		}
		if (pb->cut)
			c->flags |= TR_CAPF_PATH_CUT;
	}
	c->path_len = plen;
	h->size = sizeof(*h) + sizeof(*c) + plen;
	h->argnum = 0;
	return 1;
}

/*
 * The next chunk of the call into the record tr_g_cap_begin() started.
 * Returns 1 when it is ready to send, 0 when the call is done (or cut).
 */
TR_NOINLINE int tr_g_cap_next(void)
{
	__u8 *buf = tr_scratch(TR_SLOT_EXIT);
	__u32 zero = 0, n, doff;
	struct tr_cap_state *cs = bpf_map_lookup_elem(&cap_state, &zero);
	struct tr_record_hdr *h;
	struct tr_cap_chunk *c;

	if (!buf || !cs || !cs->remaining || cs->idx >= TR_CAP_CHUNKS)
		return 0;
	for (int i = 0; i < TR_CAP_IOVS && !cs->left; i++) {
		struct {
			__u64 base, len;
		} iov;

		if (!cs->vec || cs->iov_i >= cs->iovcnt || cs->iov_i >= TR_CAP_IOVS)
			return 0;
		if (bpf_probe_read_user(&iov, sizeof(iov),
					(const __u8 *)cs->uiov + cs->iov_i * sizeof(iov)))
			return 0;
		cs->iov_i++;
		cs->base = iov.base;
		cs->left = iov.len < cs->remaining ? iov.len : cs->remaining;
	}
	if (!cs->left)
		return 0;
	h = (void *)buf;
	c = (void *)(buf + sizeof(*h));
	n = cs->left < TR_CAP_CHUNK ? cs->left : TR_CAP_CHUNK;
	n = TR_MASK(n, TR_CAP_CHUNK * 2 - 1);
	doff = TR_MASK(cs->doff, TR_PATH_MAX * 2 - 1);
	if (bpf_probe_read_user(buf + doff, n, (const void *)cs->base)) {
		tr_stat_inc(TR_STAT_READ_FAIL);
		return 0;
	}
	c->offset = cs->off + cs->done;
	c->seq = cs->done;
	c->len = n;
	c->index = cs->idx;
	if (n == cs->remaining || cs->idx + 1 == TR_CAP_CHUNKS)
		c->flags |= TR_CAPF_LAST;
	h->size = doff + n;
	h->argnum = 0;
	cs->base += n;
	cs->left -= n;
	cs->remaining -= n;
	cs->done += n;
	cs->idx++;
	return 1;
}

/*
 * Send the bytes a finished call wrote (-c write), if its file is one the
 * capture wants, or those of the region it made executable (-c mem, when
 * it just made a mem_prot_alert: derived): up to TR_CAP_CHUNKS records of
 * TR_CAP_CHUNK bytes, from the one buffer of write/pwrite64, the iovecs of
 * writev/pwritev, or the region.  The work is in global functions (verified
 * once); only the submit, which needs the program's context, is here.
 */
static __always_inline void tr_cap(void *ctx, __u32 nr, int derived)
{
	__u8 *buf;

	if (tr_cfg.cap_write && (nr == TR_NR_WRITE || nr == TR_NR_PWRITE64 ||
				 nr == TR_NR_WRITEV || nr == TR_NR_PWRITEV)) {
		if (!tr_g_cap_begin(nr))
			return;
	} else if (tr_cfg.cap_mem && derived &&
		   (nr == TR_NR_MPROTECT || nr == TR_NR_PKEY_MPROTECT)) {
		if (!tr_g_cap_mem_begin(nr))
			return;
	} else if (tr_cfg.cap_bpf && nr == TR_NR_BPF) {
		if (!tr_g_cap_bpf_begin(nr))
			return;
	} else if (tr_cfg.cap_module && nr == TR_NR_INIT_MODULE) {
		if (!tr_g_cap_module_begin(nr))
			return;
	} else if (tr_cfg.cap_module && nr == TR_NR_FINIT_MODULE) {
		buf = tr_scratch(TR_SLOT_EXIT);
		if (buf && tr_g_cap_finit(nr))
			tr_submit(ctx, buf);
		return;
	} else {
		return;
	}
	buf = tr_scratch(TR_SLOT_EXIT);
	if (!buf)
		return;
	for (int i = 0; i < TR_CAP_CHUNKS; i++) {
		if (!tr_g_cap_next())
			break;
		tr_submit(ctx, buf);
	}
}
