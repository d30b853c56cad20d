/* SPDX-License-Identifier: GPL-2.0 */
/*
 * progs_syscalls.h - part of tracee.bpf.c: the syscall programs.
 *
 * raw_tp/sys_enter and raw_tp/sys_exit (and their tp_btf twins): the
 * syscall filter, the arguments saved at enter and matched at exit, the
 * syscall event, and the derived events a finished syscall makes.
 */

/* Which derived event a finished syscall makes; 1: a record is in TR_SLOT_EXIT. */
TR_NOINLINE int tr_g_derive(__u32 nr)
{
	switch (nr) {
	case TR_NR_OPEN:
	case TR_NR_CREAT:
	case TR_NR_OPENAT:
	case TR_NR_OPENAT2:
		return tr_ev_selected(TR_EV_SECURITY_FILE_OPEN) ? tr_g_file_open(nr) : 0;
	case TR_NR_CONNECT:
	case TR_NR_BIND:
	case TR_NR_LISTEN:
	case TR_NR_ACCEPT:
	case TR_NR_ACCEPT4:
		return tr_g_socket(nr);
	case TR_NR_MMAP:
	case TR_NR_MPROTECT:
	case TR_NR_PKEY_MPROTECT:
		return tr_ev_selected(TR_EV_MEM_PROT_ALERT) ? tr_g_memprot(nr) : 0;
	case TR_NR_WRITE:
	case TR_NR_PWRITE64:
	case TR_NR_WRITEV:
	case TR_NR_PWRITEV:
		return tr_ev_selected(TR_EV_MAGIC_WRITE) ? tr_g_magic_write(nr) : 0;
	case TR_NR_SETUID:
	case TR_NR_SETGID:
	case TR_NR_SETREUID:
	case TR_NR_SETREGID:
	case TR_NR_SETRESUID:
	case TR_NR_SETRESGID:
	case TR_NR_SETFSUID:
	case TR_NR_SETFSGID:
	case TR_NR_CAPSET:
	case TR_NR_EXECVE:	/* set-user-ID and set-group-ID programs, file capabilities */
	case TR_NR_EXECVEAT:
		return tr_ev_selected(TR_EV_COMMIT_CREDS) ? tr_g_creds(nr) : 0;
	case TR_NR_SETNS:
	case TR_NR_UNSHARE:
		return tr_ev_selected(TR_EV_SWITCH_TASK_NS) ? tr_g_ns(nr) : 0;
	case TR_NR_DUP:
	case TR_NR_DUP2:
	case TR_NR_DUP3:
		return tr_ev_selected(TR_EV_SOCKET_DUP) ? tr_g_socket_dup(nr) : 0;
	default:
		return 0;
	}
}

/* Argument i of a syscall event: plain values inline, the rest in tr_g_sysarg(). */
static __always_inline void tr_emit_sysarg(__u8 *buf, __u32 slot, __u64 cfg, __u32 i,
					   const struct tr_task_state *st)
{
	__u32 tag = TR_SYS_ARGTAG(cfg, i);

	if (tag == TR_W_U64)
		tr_put_u64(buf, i, st->args[i]);
	else if (tag == TR_W_STR)	/* paths: most events have one */
		tr_put_str(buf, i, (const void *)st->args[i], true);
	else if (tag != TR_W_NONE)
		tr_g_sysarg(slot, cfg, i, st->args[i], i + 1 < TR_SYSCALL_ARGS ? st->args[i + 1] : 0);
}

static __always_inline void tr_emit_syscall(void *ctx, __u32 slot, struct task_struct *task,
					    long nr, __u64 cfg, struct tr_task_state *st, long ret)
{
	__u8 *buf = tr_scratch(slot);
	struct tr_record_hdr *h = (void *)buf;

	if (!buf)
		return;
	tr_fill_hdr_task(h, task, nr, nr);
	if (st->ts)
		h->ts = st->ts;	/* paired: stamped at entry */
	h->retval = ret;
	tr_emit_sysarg(buf, slot, cfg, 0, st);
	tr_emit_sysarg(buf, slot, cfg, 1, st);
	tr_emit_sysarg(buf, slot, cfg, 2, st);
	tr_emit_sysarg(buf, slot, cfg, 3, st);
	tr_emit_sysarg(buf, slot, cfg, 4, st);
	tr_emit_sysarg(buf, slot, cfg, 5, st);
	tr_submit(ctx, buf);
}

/*
 * TR_SYS_READ_ENTER, argument i of the record sys_enter builds in
 * TR_SLOT_ENTER.  Returns 1 when a string or socket address could not be
 * read yet (its page not faulted in: the kernel will fault it in when it
 * copies it): sys_exit reads it then.
 */
TR_NOINLINE int tr_g_entry_arg(__u64 cfg, __u32 i, __u64 val, __u64 next)
{
	__u8 *buf = tr_scratch(TR_SLOT_ENTER);
	const void *p = (const void *)val;
	__u8 idx = i % TR_SYSCALL_ARGS;

	if (!buf)
		return 0;
	switch (TR_SYS_ARGTAG(cfg, idx)) {
	case TR_W_STR:
		return tr_try_str(buf, idx, p, true) ? 1 : 0;
	case TR_W_SOCKADDR:	/* connect, bind, sendto: the length follows it */
		return tr_try_ubytes(buf, idx, TR_W_SOCKADDR, p,
				     idx + 1 < TR_SYSCALL_ARGS ? next : TR_SOCKADDR_MAX,
				     TR_SOCKADDR_MAX) ? 1 : 0;
	default:
		return tr_g_sysarg(TR_SLOT_ENTER, cfg, idx, val, next);
	}
}

/* Pass 0: the arguments read from registers; pass 1: the ones from user memory. */
static __always_inline __u32 tr_entry_arg(__u64 cfg, __u32 i, const struct tr_task_state *st,
					  int pass)
{
	__u32 tag = TR_SYS_ARGTAG(cfg, i);
	__u8 *buf;

	if (tag == TR_W_NONE || (pass == 1) != (tag == TR_W_STR || tag == TR_W_SOCKADDR))
		return 0;
	if (tag == TR_W_U64) {
		buf = tr_scratch(TR_SLOT_ENTER);
		if (buf)
			tr_put_u64(buf, i, st->args[i]);
		return 0;
	}
	return tr_g_entry_arg(cfg, i, st->args[i], i + 1 < TR_SYSCALL_ARGS ? st->args[i + 1] : 0)
	       << i;
}

/* The per-task state of the current thread; NULL when there is none. */
static __always_inline struct tr_task_state *tr_state_lookup(void)
{
	__u32 tid;

	if (tr_cfg.use_task_storage)
		return bpf_task_storage_get(&task_state, bpf_get_current_task_btf(), 0, 0);
	tid = (__u32)bpf_get_current_pid_tgid();
	return bpf_map_lookup_elem(&task_state_h, &tid);
}

static __always_inline void tr_state_save(struct tr_task_state *st)
{
	struct tr_task_state *t;
	__u32 tid;

	if (tr_cfg.use_task_storage) {
		t = bpf_task_storage_get(&task_state, bpf_get_current_task_btf(), 0,
					 TR_STORAGE_CREATE);
		if (t)
			*t = *st;
		return;
	}
	tid = (__u32)bpf_get_current_pid_tgid();
	bpf_map_update_elem(&task_state_h, &tid, st, 0 /* BPF_ANY */);
}

/*
 * Copy the record in buf over thread tid's element of one entry map; -1
 * when it does not fit (the element is then marked as no call's).  One
 * subprogram per map, each looking its element up itself: with one copy
 * for both, the compiler merges the paths and 5.10's and 6.1's verifiers
 * see the larger map's size bound applied to the smaller map's element.
 */
#define TR_KEEP(name, map, type)						\
static TR_NOINLINE long name(__u8 *buf)						\
{										\
	__u32 size = *(volatile __u32 *)&((struct tr_record_hdr *)buf)->size;	\
	__u32 tid;								\
	__u8 *rec;								\
										\
	if (tr_cfg.entry_in_hash) {						\
		tid = (__u32)bpf_get_current_pid_tgid();			\
		rec = bpf_map_lookup_elem(&map, &tid);				\
	} else {								\
		rec = bpf_task_storage_get(&map##_ts, bpf_get_current_task_btf(), 0, 0); \
	}									\
	if (!rec)								\
		return -1;							\
	if (size > sizeof(type) || bpf_probe_read_kernel(rec, size, buf)) {	\
		((struct tr_record_hdr *)rec)->syscall = -1;			\
		return -1;							\
	}									\
	return 0;								\
}
TR_KEEP(tr_keep_big, entry_big, struct tr_entry_big)
TR_KEEP(tr_keep_small, entry_small, struct tr_entry_small)

/*
 * The direct build: a record of register values and at most one string or
 * socket address (openat, stat, connect... the common calls), written
 * straight into the task's entry_small_ts element, with no scratch record to
 * copy into it and no second lookup.  Every argument starts below
 * TR_ENTRY_LEAD (the header, six values and a socket address end well before
 * it), so its offsets are bounded against the element's size by masks, as
 * a scratch record's are against TR_HALF (bpf/args.h).
 */
static __always_inline bool tr_entry_direct(__u64 cfg)
{
	__u32 reads = 0;

	if (tr_cfg.entry_in_hash || (cfg & TR_SYS_ENTRY_BIG))
		return false;
	for (int i = 0; i < TR_SYSCALL_ARGS; i++) {
		__u32 tag = TR_SYS_ARGTAG(cfg, i);

		if (tag == TR_W_STR || tag == TR_W_SOCKADDR)
			reads++;
		else if (tag > TR_W_U64)
			return false;	/* timespec, bytes...: the scratch path */
	}
	return reads <= 1;
}

/* tr_arg_begin() for the direct build: the payload offset, -1 when full. */
static __always_inline int tr_ent_begin(__u8 *rec, __u8 idx, __u8 tag)
{
	struct tr_record_hdr *h = (void *)rec;
	__u32 off = *(volatile __u32 *)&h->size;

	if (off >= TR_ENTRY_LEAD - 2) {
		h->flags |= TR_F_ARGS_CUT;
		return -1;
	}
	off = TR_MASK(off, TR_ENTRY_LEAD - 1);
	rec[off] = idx;
	rec[off + 1] = tag;
	return off + 2;
}

static __always_inline void tr_ent_u64(__u8 *rec, __u8 idx, __u64 v)
{
	int off = tr_ent_begin(rec, idx, TR_W_U64);

	if (off < 0)
		return;
	off = TR_MASK(off, 2 * TR_ENTRY_LEAD - 1);
	__builtin_memcpy(&rec[off], &v, sizeof(v));
	tr_arg_end(rec, off + sizeof(v));
}

/*
 * The string (as tr_try_str) or socket address (as tr_try_ubytes) argument
 * idx, from the caller's memory; 1 << idx when it cannot be read yet.
 */
static __always_inline __u32 tr_ent_read(__u8 *rec, __u64 cfg, __u32 idx,
					 const struct tr_task_state *st)
{
	const void *p = (const void *)st->args[idx];
	__u32 tag = TR_SYS_ARGTAG(cfg, idx), hl;
	int off = tr_ent_begin(rec, idx, tag);
	__u64 len;
	long n = 0;

	if (off < 0)
		return 0;
	off = TR_MASK(off, 2 * TR_ENTRY_LEAD - 1);
	if (tag == TR_W_STR) {
		if (p) {
			n = bpf_probe_read_user_str(&rec[off + 4], TR_STR_READ, p);
			if (n < 0)
				return 1u << idx;
		}
		len = n > 0 ? n - 1 : 0;	/* without the NUL */
		hl = len;
		if (len > TR_PATH_MAX) {	/* TR_STR_READ filled: there was more */
			len = TR_PATH_MAX;
			hl = TR_PATH_MAX | TR_LEN_TRUNC;
		}
	} else {
		/* connect, bind, sendto: the length follows the address */
		len = idx + 1 < TR_SYSCALL_ARGS ? st->args[idx + 1] :
		      TR_SOCKADDR_MAX;
		if (len > TR_SOCKLEN_PTR) {
			int l = 0;

			if (bpf_probe_read_user(&l, sizeof(l), (const void *)len) || l < 0)
				l = 0;
			len = l;
		}
		if (!p || len > TR_SOCKADDR_MAX)
			len = p ? TR_SOCKADDR_MAX : 0;
		len = TR_MASK(len, 2 * TR_SOCKADDR_MAX - 1);
		if (len && bpf_probe_read_user(&rec[off + 4], len, p))
			return 1u << idx;
		hl = len;
	}
	__builtin_memcpy(&rec[off], &hl, sizeof(hl));
	tr_arg_end(rec, off + 4 + len);
	return 0;
}

/*
 * sys_enter, direct build (tr_entry_direct): the element first, then the
 * header and the register values, the caller's memory last as in
 * tr_enter_record(), with nothing after it but the late mask.
 */
static __always_inline void tr_enter_direct(struct task_struct *task, long nr, __u64 cfg,
					    struct tr_task_state *st)
{
	struct tr_record_hdr *h;
	__u32 rd = TR_SYSCALL_ARGS;
	__u8 *rec;

	rec = bpf_task_storage_get(&entry_small_ts, task ? task : bpf_get_current_task_btf(), 0,
				   TR_STORAGE_CREATE);
	if (!rec) {
		tr_stat_inc(TR_STAT_ENTRY_FULL);	/* sys_exit builds it as before */
		st->ts = bpf_ktime_get_ns();
		__builtin_memset(st->aux, 0, sizeof(st->aux));
		tr_state_save(st);
		return;
	}
	h = (void *)rec;
	tr_fill_hdr_task(h, task, nr, nr);
	for (int i = 0; i < TR_SYSCALL_ARGS; i++) {
		__u32 tag = TR_SYS_ARGTAG(cfg, i);

		if (tag == TR_W_U64)
			tr_ent_u64(rec, i, st->args[i]);
		else if (tag != TR_W_NONE)
			rd = i;
	}
	h->reserved = rd < TR_SYSCALL_ARGS ? tr_ent_read(rec, cfg, rd, st) : 0;
}

/*
 * sys_enter of a TR_SYS_READ_ENTER syscall: the whole record, with what the
 * caller's memory holds before the kernel reads it, kept by thread id for
 * sys_exit.  hdr.reserved carries the arguments to read again at exit.
 *
 * The user memory is read last, just before the program returns to the
 * syscall: another thread's write between this read and the kernel's own
 * copy is the race left, so nothing slow comes after it.  The map element is
 * made first (allocation and a value-sized copy), and the finished record
 * copied into it last (a lookup, then its own size only, a path or two).
 *
 * Without TR_SYS_DERIVE the kept record is all sys_exit needs (the syscall,
 * its entry time; the registers still hold the arguments), so the syscall's
 * state is saved only when the record could not be kept: a task-storage
 * lookup and a copy less at each end.  task is tr_current_btf().
 */
static __always_inline void tr_enter_record(struct task_struct *task, long nr, __u64 cfg,
					    struct tr_task_state *st)
{
	__u8 *buf = tr_scratch(TR_SLOT_ENTER);
	struct tr_record_hdr *h = (void *)buf;
	bool big = cfg & TR_SYS_ENTRY_BIG;
	__u32 tid, late = 0;
	long err;

	if (!buf)
		return;
	tr_fill_hdr_task(h, task, nr, nr);
	if (cfg & TR_SYS_DERIVE)
		h->ts = st->ts;	/* the state saved has it */
	else
		st->ts = h->ts;	/* one clock read: the header's */
	tr_entry_arg(cfg, 0, st, 0);
	tr_entry_arg(cfg, 1, st, 0);
	tr_entry_arg(cfg, 2, st, 0);
	tr_entry_arg(cfg, 3, st, 0);
	tr_entry_arg(cfg, 4, st, 0);
	tr_entry_arg(cfg, 5, st, 0);
	if (!tr_cfg.entry_in_hash) {	/* made once per task: nothing to copy */
		if (!task)
			task = bpf_get_current_task_btf();
		err = (big ? bpf_task_storage_get(&entry_big_ts, task, 0, TR_STORAGE_CREATE) :
			     bpf_task_storage_get(&entry_small_ts, task, 0, TR_STORAGE_CREATE)) ?
		      0 : -1;
	} else {
		tid = (__u32)bpf_get_current_pid_tgid();
		if (big)
			err = bpf_map_update_elem(&entry_big, &tid, buf, 0 /* BPF_ANY */);
		else
			err = bpf_map_update_elem(&entry_small, &tid, buf, 0 /* BPF_ANY */);
	}
	if (err) {
		tr_stat_inc(TR_STAT_ENTRY_FULL);	/* sys_exit builds it as before */
		goto unkept;
	}
	late |= tr_entry_arg(cfg, 0, st, 1);
	late |= tr_entry_arg(cfg, 1, st, 1);
	late |= tr_entry_arg(cfg, 2, st, 1);
	late |= tr_entry_arg(cfg, 3, st, 1);
	late |= tr_entry_arg(cfg, 4, st, 1);
	late |= tr_entry_arg(cfg, 5, st, 1);
	h->reserved = late;
	/* the sizes hold every argument the loader lets into each map; checked anyway */
	if (big)
		err = tr_keep_big(buf);
	else
		err = tr_keep_small(buf);
	if (!err)
		return;
	tr_stat_inc(TR_STAT_ENTRY_FULL);	/* the element is no call's: exit reads again */
unkept:
	if (!(cfg & TR_SYS_DERIVE)) {
		__builtin_memset(st->aux, 0, sizeof(st->aux));
		tr_state_save(st);
	}
}

/*
 * sys_exit: send the record sys_enter kept (rec, a map value of max bytes)
 * with the return value, reading again what entry could not.  false: it is
 * not this syscall's (left from a call tracee did not see return).  With
 * regs, the arguments for that come from the registers, st having none.
 */
static __always_inline bool tr_send_entered(void *ctx, __u8 *rec, __u32 max, long nr, __u64 cfg,
					    struct tr_task_state *st, struct pt_regs *regs,
					    bool btf, long ret)
{
	struct tr_record_hdr *h = (void *)rec;
	__u32 size = *(volatile __u32 *)&h->size;
	__u32 late = h->reserved;
	__u8 *buf, n;

	if (h->syscall != nr || size < sizeof(*h) || size > max)
		return false;
	h->retval = ret;
	h->reserved = 0;
	if (late && regs && tr_sc_args(regs, btf, st->args)) {
		for (int i = 0; i < TR_SYSCALL_ARGS; i++)
			if (late & (1u << i))
				tr_read_fail(rec, i);	/* nothing to read them from */
		late = 0;
	}
	if (!late) {
		tr_output(ctx, rec, size);
		return true;
	}
	buf = tr_scratch(TR_SLOT_EXIT);
	if (!buf || bpf_probe_read_kernel(buf, size, rec))
		return true;
	for (int i = 0; i < TR_SYSCALL_ARGS; i++) {
		if (!(late & (1u << i)))
			continue;
		n = ((struct tr_record_hdr *)buf)->argnum;
		/* by now the kernel has faulted the page in: counted if it still fails */
		tr_g_sysarg(TR_SLOT_EXIT, cfg, i, st->args[i],
			    i + 1 < TR_SYSCALL_ARGS ? st->args[i + 1] : 0);
		if (((struct tr_record_hdr *)buf)->argnum != n)
			tr_stat_inc(TR_STAT_READ_LATE);
	}
	tr_submit(ctx, buf);
	return true;
}

/*
 * The record sys_enter kept for this thread, sent and dropped; false: none.
 * task is tr_current_btf(); regs: see tr_send_entered().
 */
static __always_inline bool tr_emit_entered(void *ctx, struct task_struct *task, long nr,
					    __u64 cfg, struct tr_task_state *st,
					    struct pt_regs *regs, bool btf, long ret)
{
	bool sent = false;
	__u32 tid;
	__u8 *rec;

	if (!tr_cfg.entry_in_hash) {
		/* the task's element stays for its next call: marked as no call's */
		if (!task)
			task = bpf_get_current_task_btf();
		if (cfg & TR_SYS_ENTRY_BIG) {
			rec = bpf_task_storage_get(&entry_big_ts, task, 0, 0);
			if (!rec)
				return false;
			sent = tr_send_entered(ctx, rec, sizeof(struct tr_entry_big), nr, cfg, st,
					       regs, btf, ret);
		} else {
			rec = bpf_task_storage_get(&entry_small_ts, task, 0, 0);
			if (!rec)
				return false;
			/* its own size: a direct build is bounded by it, not by the hash's */
			sent = tr_send_entered(ctx, rec, sizeof(struct tr_entry_small_ts), nr, cfg,
					       st, regs, btf, ret);
		}
		((struct tr_record_hdr *)rec)->syscall = -1;
		return sent;
	}
	tid = (__u32)bpf_get_current_pid_tgid();
	if (cfg & TR_SYS_ENTRY_BIG) {
		rec = bpf_map_lookup_elem(&entry_big, &tid);
		if (!rec)
			return false;
		sent = tr_send_entered(ctx, rec, sizeof(struct tr_entry_big), nr, cfg, st, regs,
				       btf, ret);
		bpf_map_delete_elem(&entry_big, &tid);
	} else {
		rec = bpf_map_lookup_elem(&entry_small, &tid);
		if (!rec)
			return false;
		sent = tr_send_entered(ctx, rec, sizeof(struct tr_entry_small), nr, cfg, st,
				       regs, btf, ret);
		bpf_map_delete_elem(&entry_small, &tid);
	}
	return sent;
}

/*
 * execve/execveat at sys_enter: argument i, a string or string array whose
 * read failure is held back (fail_defer): 1 << i when it failed, the
 * argument taken out of the record again for sys_exit to fill.
 */
static __always_inline __u32 tr_exec_arg(__u8 *buf, __u32 *defer, __u64 cfg, __u32 i,
					 const struct tr_task_state *st)
{
	struct tr_record_hdr *h = (void *)buf;
	__u32 tag = TR_SYS_ARGTAG(cfg, i), size;
	__u8 n;

	if (tag != TR_W_STR && tag != TR_W_STRARR) {
		tr_emit_sysarg(buf, TR_SLOT_ENTER, cfg, i, st);
		return 0;
	}
	size = h->size;
	n = h->argnum;
	*defer = 1;
	tr_emit_sysarg(buf, TR_SLOT_ENTER, cfg, i, st);
	if (*defer != 2)
		return 0;
	h->size = size;
	h->argnum = n;
	return 1u << i;
}

/*
 * The execve/execveat event, at sys_enter: the caller's memory is replaced
 * once the exec succeeds.  A string that cannot be read yet (not faulted in)
 * is left to sys_exit (exec_pending, tr_exec_late): sent now, it would stay
 * empty for good.
 */
static __always_inline void tr_emit_exec(void *ctx, struct task_struct *task, long nr, __u64 cfg,
					 struct tr_task_state *st)
{
	__u8 *buf = tr_scratch(TR_SLOT_ENTER);
	struct tr_record_hdr *h = (void *)buf;
	__u32 zero = 0, late = 0, *defer;
	__u64 key;

	if (!buf)
		return;
	defer = bpf_map_lookup_elem(&fail_defer, &zero);
	if (!defer || !(cfg & TR_SYS_READ_ENTER)) {
		tr_emit_syscall(ctx, TR_SLOT_ENTER, task, nr, cfg, st, 0);
		return;
	}
	tr_fill_hdr_task(h, task, nr, nr);
	h->ts = st->ts;
	late |= tr_exec_arg(buf, defer, cfg, 0, st);
	late |= tr_exec_arg(buf, defer, cfg, 1, st);
	late |= tr_exec_arg(buf, defer, cfg, 2, st);
	late |= tr_exec_arg(buf, defer, cfg, 3, st);
	late |= tr_exec_arg(buf, defer, cfg, 4, st);
	late |= tr_exec_arg(buf, defer, cfg, 5, st);
	*defer = 0;
	if (late) {
		h->reserved = late;
		key = (__u64)bpf_get_current_task();
		if (!bpf_map_update_elem(&exec_pending, &key, buf, 0 /* BPF_ANY */))
			return;
		tr_stat_inc(TR_STAT_ENTRY_FULL);
		h->reserved = 0;
		for (int i = 0; i < TR_SYSCALL_ARGS; i++)
			if (late & (1u << i))
				tr_read_fail(buf, i);	/* lost: nowhere to keep it */
	}
	tr_submit(ctx, buf);
}

/*
 * Argument i of an exec record held back at entry, into TR_SLOT_EXIT.  After
 * a successful exec from the kernel's own copies in the new image: argv,
 * then envp (mm->arg_start..env_end) and the file name the kernel put after
 * them (AT_EXECFN, at env_end); after a failed one from the caller's memory,
 * which the kernel faulted in meanwhile (exit_state holds the registers).
 */
TR_NOINLINE int tr_g_exec_late(__u64 cfg, __u32 i, __u32 nth_arr)
{
	struct tr_exit_state *es = tr_exit_state();
	__u8 *buf = tr_scratch(TR_SLOT_EXIT);
	__u32 idx = i & 7;	/* a mask the verifier keeps bounds for, unlike % */
	struct task_struct *task;
	struct mm_struct *mm;

	if (!buf || !es || idx >= TR_SYSCALL_ARGS)
		return 0;
	if (es->ret < 0)
		return tr_g_sysarg(TR_SLOT_EXIT, cfg, idx, es->st.args[idx],
				   idx + 1 < TR_SYSCALL_ARGS ? es->st.args[(idx + 1) & 7] : 0);
	task = (struct task_struct *)bpf_get_current_task();
	mm = READ_KERN(task->mm);
	if (!mm)
		return 0;
	if (TR_SYS_ARGTAG(cfg, idx) == TR_W_STR)
		tr_put_str(buf, idx, (const void *)READ_KERN(mm->env_end), true);
	else if (nth_arr == 0)
		tr_put_strarea(buf, idx, READ_KERN(mm->arg_start), READ_KERN(mm->arg_end));
	else
		tr_put_strarea(buf, idx, READ_KERN(mm->env_start), READ_KERN(mm->env_end));
	return 0;
}

/* sys_exit of execve/execveat: the record held back at entry, completed and sent. */
static __always_inline void tr_exec_pending(void *ctx, struct pt_regs *regs, bool btf, long nr,
					    __u64 cfg, long ret)
{
	__u64 key = (__u64)bpf_get_current_task();
	struct tr_exit_state *es;
	__u8 *rec, *buf;
	__u32 late, size, arr = 0;

	rec = bpf_map_lookup_elem(&exec_pending, &key);
	if (!rec)
		return;
	buf = tr_scratch(TR_SLOT_EXIT);
	es = tr_exit_state();
	size = *(volatile __u32 *)&((struct tr_record_hdr *)rec)->size;
	if (!buf || !es || ((struct tr_record_hdr *)rec)->syscall != nr || size > TR_RECORD_MAX ||
	    bpf_probe_read_kernel(buf, size, rec)) {
		bpf_map_delete_elem(&exec_pending, &key);
		return;
	}
	bpf_map_delete_elem(&exec_pending, &key);
	late = ((struct tr_record_hdr *)buf)->reserved;
	((struct tr_record_hdr *)buf)->reserved = 0;
	((struct tr_record_hdr *)buf)->retval = ret;
	es->ret = ret;
	if (ret < 0 && tr_sc_args(regs, btf, es->st.args))
		late = 0;	/* nothing to read from: sent as it is */
	for (int i = 0; i < TR_SYSCALL_ARGS; i++) {
		__u32 tag = TR_SYS_ARGTAG(cfg, i);

		if (late & (1u << i)) {
			__u8 n = ((struct tr_record_hdr *)buf)->argnum;

			tr_g_exec_late(cfg, i, arr);
			if (((struct tr_record_hdr *)buf)->argnum != n)
				tr_stat_inc(TR_STAT_READ_LATE);
		}
		if (tag == TR_W_STRARR)
			arr++;
	}
	tr_submit(ctx, buf);
}

/*
 * tracee's own threads and 32-bit syscalls are not reported: both checks
 * from one task pointer where loads work (a helper call less per event).
 */
static __always_inline bool tr_skip_current(struct task_struct *task)
{
	if (TR_BTF_LOADS && task)
		return task->tgid == tr_cfg.self_tgid ||
		       (TR_TI_COMPAT_WORD(task->thread_info) & TR_TI_COMPAT_MASK);
	return tr_is_self() || tr_task_compat((struct task_struct *)bpf_get_current_task());
}

/*
 * sys_enter: (struct pt_regs *regs, long id).  Only for TR_SYS_AT_ENTER
 * syscalls; the loader leaves the program off when none is selected.
 */
static __always_inline int tr_on_sys_enter(void *ctx, struct pt_regs *regs, unsigned long nr,
					   bool btf)
{
	struct task_struct *task;
	struct tr_exit_state *es;
	struct tr_task_state *st;
	__u64 cfg;

	/* the filter first: a rodata load, before any map or helper */
	nr = TR_SC_ID(nr);
	if (nr >= TR_MAX_SYSCALL)
		return 0;
	cfg = tr_cfg.sys_cfg[nr];
	if (!(cfg & TR_SYS_AT_ENTER))
		return 0;
	task = tr_current_btf();
	if (tr_skip_current(task))
		return 0;
	if (!tr_in_scope())
		return 0;
	/*
	 * Built in the per-CPU exit state, free while this program runs (a
	 * syscall's exit runs after its entry returned), not on this frame:
	 * with the argument readers below, a frame of its own would pass the
	 * 512 bytes a call chain may use on 5.10 and 6.1.
	 */
	es = tr_exit_state();
	if (!es)
		return 0;
	st = &es->st;
	if (tr_sc_args(regs, btf, st->args))
		return 0;
	st->nr = nr;
	if ((cfg & (TR_SYS_READ_ENTER | TR_SYS_EMIT | TR_SYS_SUBMIT_ENTER)) ==
	    (TR_SYS_READ_ENTER | TR_SYS_EMIT)) {
		if (cfg & TR_SYS_DERIVE) {	/* else saved only when unkept: see there */
			__builtin_memset(st->aux, 0, sizeof(st->aux));
			st->ts = bpf_ktime_get_ns();
			tr_enter_aux((struct task_struct *)bpf_get_current_task(), nr, st);
			/* -c module (which sets TR_SYS_DERIVE): bpf/capture.h */
			if (tr_cfg.cap_module && nr == TR_NR_FINIT_MODULE)
				tr_cap_finit_enter(st);
			tr_state_save(st);
		}
		if (!(cfg & TR_SYS_DERIVE) && tr_entry_direct(cfg))
			tr_enter_direct(task, nr, cfg, st);
		else
			tr_enter_record(task, nr, cfg, st);	/* last: see there */
		return 0;
	}
	__builtin_memset(st->aux, 0, sizeof(st->aux));
	st->ts = bpf_ktime_get_ns();
	if (cfg & TR_SYS_DERIVE)
		tr_enter_aux((struct task_struct *)bpf_get_current_task(), nr, st);
	if (tr_cfg.cap_module && nr == TR_NR_FINIT_MODULE)
		tr_cap_finit_enter(st);	/* -c module: bpf/capture.h */

	if (cfg & TR_SYS_SUBMIT_ENTER) {
		/* execve: the caller's memory is gone once the exec succeeded */
		if (cfg & TR_SYS_EMIT)
			tr_emit_exec(ctx, task, nr, cfg, st);
		if (!(cfg & TR_SYS_DERIVE))
			return 0;	/* else the exit derives (commit_creds) */
	}
	tr_state_save(st);
	return 0;
}

/*
 * sys_exit: (struct pt_regs *regs, long ret).  The syscall number is in
 * regs (TR_SC_NR: orig_ax, arm64's syscallno); the filter on it runs
 * before anything else, as at entry.
 */
static __always_inline int tr_on_sys_exit(void *ctx, struct pt_regs *regs, unsigned long nr,
					  long ret, bool btf)
{
	struct tr_task_state *sp, *st;
	struct tr_exit_state *es;
	struct task_struct *task;
	__u64 cfg;

	nr = TR_SC_ID(nr);
	if (nr >= TR_MAX_SYSCALL)
		return 0;
	cfg = tr_cfg.sys_cfg[nr];
	if (!(cfg & TR_SYS_CAPTURE) ||
	    (cfg & (TR_SYS_SUBMIT_ENTER | TR_SYS_DERIVE | TR_SYS_READ_ENTER)) == TR_SYS_SUBMIT_ENTER)
		return 0;
	task = tr_current_btf();
	if (tr_skip_current(task))
		return 0;
	if ((cfg & (TR_SYS_SUBMIT_ENTER | TR_SYS_READ_ENTER | TR_SYS_EMIT)) ==
	    (TR_SYS_SUBMIT_ENTER | TR_SYS_READ_ENTER | TR_SYS_EMIT)) {
		/* execve: a record held back at entry, if any */
		tr_exec_pending(ctx, regs, btf, nr, cfg, ret);
		if (!(cfg & TR_SYS_DERIVE))
			return 0;
	}
	/*
	 * The syscall's state goes straight into the per-CPU exit state, not
	 * onto this frame: the verifier sums the frames of a call chain (512
	 * bytes on 5.10 and 6.1), and the derived events below call three deep.
	 */
	es = tr_exit_state();
	if (!es)
		return 0;
	st = &es->st;
	/* without TR_SYS_DERIVE the record kept at entry is all there is to it */
	if ((cfg & (TR_SYS_READ_ENTER | TR_SYS_EMIT | TR_SYS_SUBMIT_ENTER | TR_SYS_DERIVE)) ==
	    (TR_SYS_READ_ENTER | TR_SYS_EMIT) &&
	    tr_emit_entered(ctx, task, nr, cfg, st, regs, btf, ret))
		return 0;
	if (cfg & TR_SYS_AT_ENTER) {
		sp = tr_state_lookup();
		if (!sp || sp->nr != (long)nr)
			return 0;
		*st = *sp;
		sp->nr = -1;
	} else {
		/* exit alone: the checks sys_enter would have made, then the registers */
		if (!tr_in_scope())
			return 0;
		if (tr_sc_args(regs, btf, st->args))
			return 0;
		__builtin_memset(st->aux, 0, sizeof(st->aux));
		st->ts = 0;	/* the header's time: now, at return */
		st->nr = nr;
	}
	/* a record kept at entry (with TR_SYS_DERIVE: tried above otherwise) */
	if ((cfg & (TR_SYS_EMIT | TR_SYS_SUBMIT_ENTER)) == TR_SYS_EMIT &&
	    ((cfg & (TR_SYS_READ_ENTER | TR_SYS_DERIVE)) != (TR_SYS_READ_ENTER | TR_SYS_DERIVE) ||
	     !tr_emit_entered(ctx, task, nr, cfg, st, NULL, btf, ret)))
		tr_emit_syscall(ctx, TR_SLOT_EXIT, task, nr, cfg, st, ret);
	if (cfg & TR_SYS_DERIVE) {
		__u8 *buf;

		es->ret = ret;
		buf = tr_scratch(TR_SLOT_EXIT);
		int derived = buf && tr_g_derive(nr);

		if (derived)
			tr_submit(ctx, buf);
		/* -c write, mem, bpf, module: bpf/capture.h */
		if (tr_cfg.cap_write || tr_cfg.cap_mem || tr_cfg.cap_bpf || tr_cfg.cap_module)
			tr_cap(ctx, nr, derived);
	}
	return 0;
}

SEC("raw_tp/sys_enter")
int tr_sys_enter(struct bpf_raw_tracepoint_args *ctx)
{
	return tr_on_sys_enter(ctx, (struct pt_regs *)ctx->args[0], ctx->args[1], false);
}

SEC("raw_tp/sys_exit")
int tr_sys_exit(struct bpf_raw_tracepoint_args *ctx)
{
	struct pt_regs *regs = (struct pt_regs *)ctx->args[0];

	return tr_on_sys_exit(ctx, regs, READ_KERN(TR_SC_NR(regs)), (long)ctx->args[1], false);
}

#if TR_BTF_LOADS
/*
 * The same, as tp_btf programs: the arguments are typed BTF pointers, so
 * the syscall number, the argument registers and (5.11+) the task's fields
 * are plain loads instead of helper calls, on every syscall of the machine
 * for the number.  The loader prefers these twins (name + "_btf") when the kernel
 * has tp_btf and its BTF.
 */
SEC("tp_btf/sys_enter")
int tr_sys_enter_btf(__u64 *ctx)
{
	return tr_on_sys_enter(ctx, (struct pt_regs *)ctx[0], ctx[1], true);
}

SEC("tp_btf/sys_exit")
int tr_sys_exit_btf(__u64 *ctx)
{
	struct pt_regs *regs = (struct pt_regs *)ctx[0];

	return tr_on_sys_exit(ctx, regs, TR_SC_NR(regs), (long)ctx[1], true);
}
#endif
