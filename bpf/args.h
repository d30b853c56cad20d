/* SPDX-License-Identifier: GPL-2.0 */
/*
 * args.h - part of tracee.bpf.c: the argument writers.
 *
 * Each appends one typed argument (bpf/tracee_abi.h: TR_W_*) to the record in
 * a scratch buffer, reading it from user or kernel memory.  The cursor is the
 * record header's size field, re-read before each argument; every start is
 * masked below TR_HALF (see the verifier notes in tracee.bpf.c).
 */

/*
 * Argument idx of the record in buf could not be read: counted in total and
 * by event and argument (read_fails), so that a summary names what was lost.
 * Rare: the map's cost is paid by failures only.
 */
static __always_inline void tr_read_fail(__u8 *buf, __u8 idx)
{
	struct tr_record_hdr *h = (void *)buf;
	__u32 key = TR_RF_KEY(h->event_id, idx), zero = 0;
	__u32 *defer = bpf_map_lookup_elem(&fail_defer, &zero);
	__u64 one = 1, *v;

	if (defer && *defer) {
		*defer = 2;	/* the caller tries again later (tr_emit_exec) */
		return;
	}
	tr_stat_inc(TR_STAT_READ_FAIL);
	v = bpf_map_lookup_elem(&read_fails, &key);
	if (v) {
		__sync_fetch_and_add(v, 1);
		return;
	}
	/* EEXIST: another CPU added it meanwhile; E2BIG: the total has it */
	if (bpf_map_update_elem(&read_fails, &key, &one, 1 /* BPF_NOEXIST */)) {
		v = bpf_map_lookup_elem(&read_fails, &key);
		if (v)
			__sync_fetch_and_add(v, 1);
	}
}

/*
 * Start an argument: index and tag at the cursor.  Returns the payload
 * offset (< TR_HALF), or -1 when the record is full (marked cut).
 */
static __always_inline int tr_arg_begin(__u8 *buf, __u8 idx, __u8 tag)
{
	struct tr_record_hdr *h = (void *)buf;
	__u32 off = *(volatile __u32 *)&h->size;

	if (off >= TR_HALF - 16) {
		h->flags |= TR_F_ARGS_CUT;
		return -1;
	}
	off = TR_MASK(off, TR_HALF - 1);
	buf[off] = idx;
	buf[off + 1] = tag;
	return off + 2;
}

/* Commit an argument whose payload ends at end. */
static __always_inline void tr_arg_end(__u8 *buf, __u32 end)
{
	struct tr_record_hdr *h = (void *)buf;

	h->size = end;
	h->argnum++;
}

static __always_inline void tr_put_u32(__u8 *buf, __u32 off, __u32 v)
{
	off = TR_MASK(off, TR_HALF - 1);
	__builtin_memcpy(&buf[off], &v, sizeof(v));
}

static __always_inline void tr_put_u64(__u8 *buf, __u8 idx, __u64 v)
{
	int off = tr_arg_begin(buf, idx, TR_W_U64);

	if (off < 0)
		return;
	off = TR_MASK(off, TR_HALF - 1);
	__builtin_memcpy(&buf[off], &v, sizeof(v));
	tr_arg_end(buf, off + sizeof(v));
}

/*
 * Read a NUL-terminated string (user or kernel memory) to buf[off + 4] and
 * write its u32 length header at buf[off].  Returns the bytes used (4 + len)
 * or a negative errno; *cut tells whether it hit TR_PATH_MAX.
 */
static __always_inline long tr_read_str(__u8 *buf, __u32 off, const void *ptr, bool user,
					bool *cut)
{
	__u32 len = 0;
	long n = 0;

	off = TR_MASK(off, TR_HALF - 1);
	*cut = false;
	if (ptr) {
		if (user)
			n = bpf_probe_read_user_str(&buf[off + 4], TR_STR_READ, ptr);
		else
			n = bpf_probe_read_kernel_str(&buf[off + 4], TR_STR_READ, ptr);
		if (n < 0)
			return n;
	}
	if (n > 0)
		len = n - 1;	/* without the NUL */
	if (len > TR_PATH_MAX) {
		len = TR_PATH_MAX;	/* TR_STR_READ filled: there was more */
		*cut = true;
	}
	tr_put_u32(buf, off, len | (*cut ? TR_LEN_TRUNC : 0));
	return 4 + len;
}

/*
 * TR_W_STR; a NULL pointer is an empty string, a failed read omits the
 * argument and returns -1 (not counted: the caller may try again later).
 */
static __always_inline int tr_try_str(__u8 *buf, __u8 idx, const void *ptr, bool user)
{
	int off = tr_arg_begin(buf, idx, TR_W_STR);
	long used;
	bool cut;

	if (off < 0)
		return 0;
	used = tr_read_str(buf, off, ptr, user, &cut);
	if (used < 0)
		return -1;
	tr_arg_end(buf, off + used);
	return 0;
}

static __always_inline void tr_put_str(__u8 *buf, __u8 idx, const void *ptr, bool user)
{
	if (tr_try_str(buf, idx, ptr, user))
		tr_read_fail(buf, idx);
}

/*
 * TR_W_STRARR from a user array of string pointers (execve argv/envp).
 * The count is written first and patched at the end.
 */
static __always_inline void tr_put_strarr(__u8 *buf, __u8 idx, const void *uarr)
{
	int off = tr_arg_begin(buf, idx, TR_W_STRARR);
	__u32 count = 0, trunc = 0;
	__u32 cur;

	if (off < 0)
		return;
	cur = off + 4;
	for (int i = 0; i < TR_ARGV_MAX + 1; i++) {
		const char *p = NULL;
		long used;
		bool cut;

		if (!uarr)
			break;
		if (bpf_probe_read_user(&p, sizeof(p), (const char *const *)uarr + i)) {
			tr_read_fail(buf, idx);
			break;
		}
		if (!p)
			break;
		if (i == TR_ARGV_MAX || cur >= TR_HALF) {
			trunc = TR_LEN_TRUNC;	/* more entries than we keep */
			break;
		}
		used = tr_read_str(buf, cur, p, true, &cut);
		if (used < 0) {
			tr_read_fail(buf, idx);
			trunc = TR_LEN_TRUNC;
			break;
		}
		cur = (cur & (TR_HALF - 1)) + used;
		count++;
	}
	tr_put_u32(buf, off, count | trunc);
	tr_arg_end(buf, cur);
}

/*
 * TR_W_STRARR from the NUL-separated strings between start and end in the
 * current task's memory (mm->arg_start..arg_end, after exec).
 */
static __always_inline void tr_put_strarea(__u8 *buf, __u8 idx, unsigned long start,
					   unsigned long end)
{
	int off = tr_arg_begin(buf, idx, TR_W_STRARR);
	__u32 count = 0, trunc = 0;
	__u32 cur;

	if (off < 0)
		return;
	cur = off + 4;
	for (int i = 0; i < TR_ARGV_MAX + 1; i++) {
		long used;
		bool cut;

		if (start >= end)
			break;
		if (i == TR_ARGV_MAX || cur >= TR_HALF) {
			trunc = TR_LEN_TRUNC;
			break;
		}
		used = tr_read_str(buf, cur, (const void *)start, true, &cut);
		if (used < 0) {
			tr_read_fail(buf, idx);
			trunc = TR_LEN_TRUNC;
			break;
		}
		cur = (cur & (TR_HALF - 1)) + used;
		count++;
		if (cut) {
			/* the rest of this string is unknown: cannot find the next one */
			if (start + used - 4 < end)
				trunc = TR_LEN_TRUNC;
			break;
		}
		start += used - 4 + 1;	/* the string and its NUL */
	}
	tr_put_u32(buf, off, count | trunc);
	tr_arg_end(buf, cur);
}

/*
 * TR_W_SOCKADDR or TR_W_BYTES: len bytes of user memory, capped at max.
 * For sockaddrs the length is the next argument, or (accept, recvfrom,
 * getsockname...) a pointer to a socklen_t holding it.
 */
static __always_inline int tr_try_ubytes(__u8 *buf, __u8 idx, __u8 tag, const void *ptr,
					 __u64 len, __u32 max)
{
	int off = tr_arg_begin(buf, idx, tag);

	if (off < 0)
		return 0;
	if (tag == TR_W_SOCKADDR && len > TR_SOCKLEN_PTR) {
		int l = 0;

		if (bpf_probe_read_user(&l, sizeof(l), (const void *)len) || l < 0)
			l = 0;
		len = l;
	}
	if (!ptr)
		len = 0;
	if (len > max)
		len = max;
	off = TR_MASK(off, TR_HALF - 1);
	len = TR_MASK(len, TR_PATH_MAX * 2 - 1);
	if (len && bpf_probe_read_user(&buf[off + 4], len, ptr))
		return -1;	/* not counted, as tr_try_str() */
	tr_put_u32(buf, off, len);
	tr_arg_end(buf, off + 4 + len);
	return 0;
}

static __always_inline void tr_put_ubytes(__u8 *buf, __u8 idx, __u8 tag, const void *ptr,
					  __u64 len, __u32 max)
{
	if (tr_try_ubytes(buf, idx, tag, ptr, len, max))
		tr_read_fail(buf, idx);
}

/* TR_W_INT2 / TR_W_TIMESPEC: a fixed-size user struct; NULL omits it. */
static __always_inline void tr_put_ufixed(__u8 *buf, __u8 idx, __u8 tag, const void *ptr,
					  __u32 size)
{
	int off;

	if (!ptr)
		return;
	off = tr_arg_begin(buf, idx, tag);
	if (off < 0)
		return;
	off = TR_MASK(off, TR_HALF - 1);
	if (bpf_probe_read_user(&buf[off], size & 31, ptr)) {
		tr_read_fail(buf, idx);
		return;
	}
	tr_arg_end(buf, off + size);
}

/* TR_W_SOCKADDR or TR_W_BYTES from kernel (or stack) memory. */
static __always_inline void tr_put_kbytes(__u8 *buf, __u8 idx, __u8 tag, const void *ptr,
					  __u32 len)
{
	int off = tr_arg_begin(buf, idx, tag);

	if (off < 0)
		return;
	if (len > TR_SOCKADDR_MAX)
		len = TR_SOCKADDR_MAX;
	off = TR_MASK(off, TR_HALF - 1);
	len = TR_MASK(len, TR_SOCKADDR_MAX * 2 - 1);
	if (len && bpf_probe_read_kernel(&buf[off + 4], len, ptr)) {
		tr_read_fail(buf, idx);
		return;
	}
	tr_put_u32(buf, off, len);
	tr_arg_end(buf, off + 4 + len);
}

/* TR_W_BYTES: the first len (<= TR_MAGIC_LEN) bytes of the first iovecs of an array. */
static __always_inline void tr_put_iov_bytes(__u8 *buf, __u8 idx, const void *uiov, __u64 iovcnt,
					     __u32 len)
{
	int off = tr_arg_begin(buf, idx, TR_W_BYTES);
	__u32 got = 0;

	if (off < 0)
		return;
	off = TR_MASK(off, TR_HALF - 1);
	for (int i = 0; i < 4 && i < iovcnt && got < len; i++) {
		struct {
			__u64 base, len;
		} iov;
		__u32 n;

		if (bpf_probe_read_user(&iov, sizeof(iov), (const __u8 *)uiov + i * sizeof(iov)))
			break;
		n = iov.len < len - got ? iov.len : len - got;
		/* TR_MASK: the compiler knows n <= 32 and would drop a plain mask */
		n = TR_MASK(n, 2 * TR_MAGIC_LEN - 1);
		got = TR_MASK(got, TR_MAGIC_LEN - 1);
		if (n && bpf_probe_read_user(&buf[off + 4 + got], n, (const void *)iov.base))
			break;
		got += n;
	}
	got = TR_MASK(got, 2 * TR_MAGIC_LEN - 1);
	tr_put_u32(buf, off, got);
	tr_arg_end(buf, off + 4 + got);
}
