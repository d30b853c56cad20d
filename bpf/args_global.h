/* SPDX-License-Identifier: GPL-2.0 */
/*
 * args_global.h - part of tracee.bpf.c: the argument writers that loop, as
 * global functions.
 *
 * Syscall arguments by their tag, kernel strings, paths, and string areas
 * (argv, envp) behind calls the verifier checks once each.
 */

/*
 * Global functions: the verifier checks each one once, with unknown
 * arguments, instead of once per call site and per path leading there.
 * That keeps the loops they reach (argv entries in args.h, path components
 * in pathwalk.h) from multiplying the work of every program that uses
 * them.  Kernel pointers travel as __u64: a global function may only take
 * scalars.
 */

/* Syscall argument i (value val, next = argument i + 1) as its tag says. */
TR_NOINLINE int tr_g_sysarg(__u32 slot, __u64 cfg, __u32 i, __u64 val, __u64 next)
{
	__u8 *buf = tr_scratch(slot);
	const void *p = (const void *)val;
	__u8 idx = i % TR_SYSCALL_ARGS;

	if (!buf)
		return 0;
	switch (TR_SYS_ARGTAG(cfg, idx)) {
	case TR_W_U64:
		tr_put_u64(buf, idx, val);
		break;
	case TR_W_STR:
		tr_put_str(buf, idx, p, true);
		break;
	case TR_W_STRARR:
		tr_put_strarr(buf, idx, p);
		break;
	case TR_W_SOCKADDR:
		tr_put_ubytes(buf, idx, TR_W_SOCKADDR, p,
			      idx + 1 < TR_SYSCALL_ARGS ? next : TR_SOCKADDR_MAX, TR_SOCKADDR_MAX);
		break;
	case TR_W_BYTES:
		tr_put_ubytes(buf, idx, TR_W_BYTES, p, next, TR_PATH_MAX);
		break;
	case TR_W_INT2:
		tr_put_ufixed(buf, idx, TR_W_INT2, p, 2 * sizeof(__s32));
		break;
	case TR_W_TIMESPEC:
		tr_put_ufixed(buf, idx, TR_W_TIMESPEC, p, 2 * sizeof(__s64));
		break;
	default:
		break;
	}
	return 0;
}

/* A string in kernel memory. */
TR_NOINLINE int tr_g_kstr(__u32 slot, __u32 idx, __u64 ptr)
{
	__u8 *buf = tr_scratch(slot);

	if (buf)
		tr_put_str(buf, idx, (const void *)ptr, false);
	return 0;
}

/* The absolute path of a struct path. */
TR_NOINLINE int tr_g_path(__u32 slot, __u32 idx, __u64 path)
{
	__u8 *buf = tr_scratch(slot);

	if (buf)
		tr_put_path(buf, idx, (struct path *)path);
	return 0;
}

/* Only the walk (tr_walk_path), for a decision before the record is built. */
TR_NOINLINE int tr_g_walk(__u64 path)
{
	tr_walk_path((struct path *)path);
	return 0;
}

/* The strings between start and end in the current task's memory. */
TR_NOINLINE int tr_g_strarea(__u32 slot, __u32 idx, __u64 start, __u64 end)
{
	__u8 *buf = tr_scratch(slot);

	if (buf)
		tr_put_strarea(buf, idx, start, end);
	return 0;
}
