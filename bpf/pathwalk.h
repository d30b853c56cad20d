/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pathwalk.h - part of tracee.bpf.c: the absolute path of a struct path.
 *
 * d_path() done by hand: from the dentry up to the root of its mount, across
 * mounts to the root of everything, assembled backwards in the path_buf map.
 * One step is a global function (tr_g_path_step), so the verifier checks it
 * once rather than once per component of every walk.
 */

enum {
	TR_WALK_MORE,
	TR_WALK_ROOT,	/* done: reached the root of everything */
	TR_WALK_CUT,	/* done: too long, or a read failed */
	TR_WALK_PSEUDO,	/* done: a file with no path, its name alone (memfd:x) */
};

static __always_inline struct tr_pathbuf *tr_pathbuf(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&path_buf, &zero);
}

/*
 * Put dentry's name in front of what the walk has, after a '/' unless
 * bare.  0, or TR_WALK_CUT when it does not fit or cannot be read.
 */
static __always_inline int tr_path_prepend(struct tr_pathbuf *pb, const struct qstr *q, int bare)
{
	__u32 len, pos, need, at;

	len = q->len;
	if (len > TR_NAME_MAX)
		len = TR_NAME_MAX;
	need = bare ? len : len + 1;
	pos = pb->pos;
	if (pos > TR_PATH_MAX || need > pos)
		return TR_WALK_CUT;	/* longer than TR_PATH_MAX */
	pos -= need;
	pos = TR_MASK(pos, TR_PATH_MAX - 1);
	at = bare ? pos : pos + 1;
	at = TR_MASK(at, TR_PATH_MAX - 1);
	/* masked last, right at the call: a spilled 32-bit length loses its bounds */
	len = TR_MASK(len, TR_NAME_MAX);
	if (bpf_probe_read_kernel(&pb->buf[at], len, q->name)) {
		tr_stat_inc(TR_STAT_READ_FAIL);
		return TR_WALK_CUT;
	}
	if (!bare)
		pb->buf[pos] = '/';
	pb->pos = pos;
	return 0;
}

/*
 * Enter mount mnt: its parent, mountpoint and root into the walk's state.
 * The three are neighbours in struct mount (vfsmount, whose first field is
 * mnt_root, right after mnt_parent and mnt_mountpoint) in every kernel so
 * far: one read instead of three helper calls, per path walked.
 */
static __always_inline int tr_read_mount(struct tr_pathbuf *pb, struct mount *mnt)
{
	struct {
		struct mount *parent;
		struct dentry *mountpoint;
		struct dentry *root;
	} m;

	if (TR_KOFFSETOF(struct mount, mnt_mountpoint) ==
		    TR_KOFFSETOF(struct mount, mnt_parent) + sizeof(void *) &&
	    TR_KOFFSETOF(struct mount, mnt) ==
		    TR_KOFFSETOF(struct mount, mnt_parent) + 2 * sizeof(void *) &&
	    TR_KOFFSETOF(struct vfsmount, mnt_root) == 0) {
		if (KREAD_N(&m, sizeof(m), mnt->mnt_parent)) {
			tr_stat_inc(TR_STAT_READ_FAIL);
			return -1;
		}
	} else {
		m.parent = READ_KERN(mnt->mnt_parent);
		m.mountpoint = READ_KERN(mnt->mnt_mountpoint);
		m.root = READ_KERN(mnt->mnt.mnt_root);
	}
	pb->mnt = (__u64)mnt;
	pb->mnt_parent = (__u64)m.parent;
	pb->mnt_mountpoint = (__u64)m.mountpoint;
	pb->mnt_root = (__u64)m.root;
	return 0;
}

/*
 * One step up a path: prepend the current dentry's name, or cross from
 * the root of a mount to its mountpoint.  The walk's state lives in the
 * path_buf map between steps, and this is a global function: the verifier
 * checks one step once instead of every step of every walk (the inline
 * loop cost 800k instructions of verification).
 */
TR_NOINLINE int tr_g_path_step(void)
{
	struct tr_pathbuf *pb = tr_pathbuf();
	struct dentry *dentry, *d_parent;
	struct mount *mnt, *mnt_parent;
	struct {
		struct dentry *parent;
		struct qstr name;
	} dn;

	if (!pb)
		return TR_WALK_CUT;
	dentry = (struct dentry *)pb->dentry;
	mnt = (struct mount *)pb->mnt;
	mnt_parent = (struct mount *)pb->mnt_parent;

	/* the root of a mount: known without reading the dentry */
	if (dentry == (struct dentry *)pb->mnt_root) {
		if (mnt == mnt_parent || !mnt_parent)
			return TR_WALK_ROOT;
		/* go on from its mountpoint in the parent mount */
		pb->dentry = pb->mnt_mountpoint;
		return tr_read_mount(pb, mnt_parent) ? TR_WALK_CUT : TR_WALK_MORE;
	}
	/*
	 * d_parent and d_name (length and name pointer) in one read where
	 * they are neighbours, as in every kernel so far: a helper call per
	 * field adds up over every component of every path.
	 */
	if (TR_KOFFSETOF(struct dentry, d_name) ==
	    TR_KOFFSETOF(struct dentry, d_parent) + sizeof(void *)) {
		if (KREAD_N(&dn, sizeof(dn), dentry->d_parent)) {
			tr_stat_inc(TR_STAT_READ_FAIL);
			return TR_WALK_CUT;
		}
	} else {
		dn.parent = READ_KERN(dentry->d_parent);
		if (KREAD(dn.name, dentry->d_name)) {
			tr_stat_inc(TR_STAT_READ_FAIL);
			return TR_WALK_CUT;
		}
	}
	d_parent = dn.parent;
	if (dentry == d_parent) {
		/*
		 * Its own parent but not its mount's root.  As the file's own
		 * dentry: a pseudo file (memfd, anonymous inode) with no path
		 * anywhere, its name all there is, reported bare as Tracee
		 * does ("memfd:x").  Further up: a root, the walk is done.
		 */
		if (pb->pos != TR_PATH_MAX)
			return TR_WALK_ROOT;
		if (tr_path_prepend(pb, &dn.name, 1))
			return TR_WALK_CUT;
		return TR_WALK_PSEUDO;
	}
	if (tr_path_prepend(pb, &dn.name, 0))
		return TR_WALK_CUT;
	pb->dentry = (__u64)d_parent;
	return TR_WALK_MORE;
}

/*
 * Walk a struct path into path_buf, from the dentry up to the mount root and
 * across mounts, as d_path() would (without the caller's chroot).  After it,
 * pb->pos is where the path starts (TR_PATH_MAX: none, the read failed) and
 * pb->cut says whether the walk stopped short of the root (deeper than
 * TR_PATH_DEPTH components or longer than TR_PATH_MAX: the tail is kept).
 */
static __always_inline void tr_walk_path(struct path *fpath)
{
	struct tr_pathbuf *pb = tr_pathbuf();
	struct path p;
	__u32 pos;

	if (!pb)
		return;
	pb->pos = TR_PATH_MAX;	/* no path yet: tr_g_path_wanted() matches nothing */
	pb->cut = TR_LEN_TRUNC;
	/* mnt and dentry: one read */
	if (KREAD(p, *fpath) || !p.dentry || !p.mnt) {
		tr_stat_inc(TR_STAT_READ_FAIL);
		return;
	}
	pb->dentry = (__u64)p.dentry;
	if (tr_read_mount(pb, tr_kreal_mount(p.mnt)))
		return;

	for (int i = 0; i < TR_PATH_DEPTH; i++) {
		int r = tr_g_path_step();

		if (r == TR_WALK_ROOT || r == TR_WALK_PSEUDO)
			pb->cut = 0;
		if (r != TR_WALK_MORE)
			break;
	}
	pos = pb->pos;
	if (pos >= TR_PATH_MAX) {
		pos = TR_PATH_MAX - 1;
		pb->buf[pos] = '/';
	}
	pb->pos = TR_MASK(pos, TR_PATH_MAX - 1);
}

/* TR_W_STR with the path tr_walk_path() left in path_buf. */
static __always_inline void tr_put_walked(__u8 *buf, __u8 idx)
{
	struct tr_pathbuf *pb = tr_pathbuf();
	__u32 pos, plen;
	int off;

	if (!pb || pb->pos >= TR_PATH_MAX)
		return;
	pos = pb->pos;
	pos = TR_MASK(pos, TR_PATH_MAX - 1);
	plen = TR_PATH_MAX - pos;
	off = tr_arg_begin(buf, idx, TR_W_STR);
	if (off < 0)
		return;
	off = TR_MASK(off, TR_HALF - 1);
	plen = TR_MASK(plen, TR_PATH_MAX * 2 - 1);
	if (bpf_probe_read_kernel(&buf[off + 4], plen, &pb->buf[pos])) {
		tr_read_fail(buf, idx);
		return;
	}
	tr_put_u32(buf, off, plen | pb->cut);
	tr_arg_end(buf, off + 4 + plen);
}

/* TR_W_STR with the absolute path of a struct path. */
static __always_inline void tr_put_path(__u8 *buf, __u8 idx, struct path *fpath)
{
	tr_walk_path(fpath);
	tr_put_walked(buf, idx);
}
