/* SPDX-License-Identifier: GPL-2.0 */
/*
 * derive.h - part of tracee.bpf.c: what the derived events share.
 *
 * Security events without kprobes or LSM: the security_* hooks are served
 * from the syscall that reaches them, at sys_exit (TR_SYS_DERIVE in
 * tr_cfg.sys_cfg, set for the syscalls the events table lists per event),
 * from what the kernel holds once it returned: the fd's struct file for
 * security_file_open, the socket for security_socket_*, the credentials
 * compared with a copy taken at sys_enter for commit_creds, and so on.
 *
 * Here: the finished syscall handed over at sys_exit (exit_state), and what
 * sys_enter saves for the exit to compare (tr_enter_aux).  The events
 * themselves are in derive_*.h, the dispatch (tr_g_derive) in
 * progs_syscalls.h.
 */

static __always_inline struct tr_exit_state *tr_exit_state(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&exit_state, &zero);
}

/* uid gid suid sgid euid egid fsuid fsgid (32 bytes), permitted, effective. */
static __always_inline void tr_read_creds(struct task_struct *task, __u64 c[6])
{
	const struct cred *cred = READ_KERN(task->real_cred);

	KREAD_N(&c[0], 32, cred->uid);
	KREAD_N(&c[4], 8, cred->cap_permitted);
	KREAD_N(&c[5], 8, cred->cap_effective);
}

/* mnt | pid (children) << 32, uts | ipc << 32, net | cgroup << 32 */
static __always_inline void tr_read_ns(struct task_struct *task, __u64 n[3])
{
	struct nsproxy *nsp = READ_KERN(task->nsproxy);
	struct mnt_namespace *mnt = READ_KERN(nsp->mnt_ns);
	struct pid_namespace *pid = READ_KERN(nsp->pid_ns_for_children);
	struct uts_namespace *uts = READ_KERN(nsp->uts_ns);
	struct ipc_namespace *ipc = READ_KERN(nsp->ipc_ns);
	struct net *net = READ_KERN(nsp->net_ns);
	struct cgroup_namespace *cg = READ_KERN(nsp->cgroup_ns);

	n[0] = tr_kns_inum(&mnt->ns) | (__u64)(pid ? tr_kns_inum(&pid->ns) : 0) << 32;
	n[1] = tr_kns_inum(&uts->ns) | (__u64)tr_kns_inum(&ipc->ns) << 32;
	n[2] = tr_kns_inum(&net->ns) | (__u64)(cg ? tr_kns_inum(&cg->ns) : 0) << 32;
}

/* connect, bind: the address as passed, for security_socket_connect/_bind at exit. */
static __always_inline void tr_enter_sockaddr(const struct tr_task_state *st)
{
	struct tr_sock_entry se;
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	__u32 len = (__u32)st->args[2];

	if (len > TR_SOCKADDR_MAX)
		len = TR_SOCKADDR_MAX;
	se.pad = 0;
	se.len = len;
	/* bounds the verifier keeps: the compiler's proof of len <= 128 is lost on a spill */
	len = TR_MASK(len, TR_SOCKADDR_MAX * 2 - 1);
	if (len > TR_SOCKADDR_MAX)
		len = TR_SOCKADDR_MAX;
	if (!st->args[1])
		se.len = 0;
	else if (bpf_probe_read_user(se.addr, len, (const void *)st->args[1]))
		se.len = TR_SOCK_UNREAD;
	if (bpf_map_update_elem(&sock_entry, &tid, &se, 0 /* BPF_ANY */))
		tr_stat_inc(TR_STAT_ENTRY_FULL);	/* read at exit, as before */
}

/* At sys_enter: what a derived event will compare or need once the syscall returned. */
static __always_inline void tr_enter_aux(struct task_struct *task, unsigned long nr,
					 struct tr_task_state *st)
{
	switch (nr) {
	case TR_NR_SETUID:
	case TR_NR_SETGID:
	case TR_NR_SETREUID:
	case TR_NR_SETREGID:
	case TR_NR_SETRESUID:
	case TR_NR_SETRESGID:
	case TR_NR_SETFSUID:
	case TR_NR_SETFSGID:
	case TR_NR_CAPSET:
	case TR_NR_EXECVE:
	case TR_NR_EXECVEAT:
		tr_read_creds(task, st->aux);
		break;
	case TR_NR_SETNS:
	case TR_NR_UNSHARE:
		tr_read_ns(task, st->aux);
		break;
	case TR_NR_CONNECT:
	case TR_NR_BIND:
		tr_enter_sockaddr(st);
		break;
	case TR_NR_WRITE:
	case TR_NR_WRITEV: {
		struct file *file = tr_fd_file((int)st->args[0]);

		st->aux[0] = file ? READ_KERN(file->f_pos) : 1;
		break;
	}
	default:
		break;
	}
}
