// SPDX-License-Identifier: GPL-2.0
/*
 * lockdown.c - no_new_privs and a seccomp filter for the running phase.
 *
 * Once attached, tracee reads buffers, /proc and cgroup files, talks to
 * container runtimes and outputs, and runs scripts: a hole in any of these
 * (a parser, the Lua engine) should not become a root shell, a module or a
 * mount.  The filter is a deny list of what strace shows tracee never calls
 * after loading: an allow list would have to follow every libc, libcurl
 * and sanitizer change, and a call missing from it would stop tracing.
 * Denied calls fail with EPERM (the process lives on and reports), a small
 * classic BPF program built here: no libseccomp dependency.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

#include "lockdown.h"
#include "log.h"

#if defined(__x86_64__)
#define LD_ARCH		AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define LD_ARCH		AUDIT_ARCH_AARCH64
#endif

/* The x32 ABI shares x86_64's arch value: its numbers have this bit set. */
#ifndef __X32_SYSCALL_BIT
#define __X32_SYSCALL_BIT	0x40000000
#endif

/*
 * LeakSanitizer stops the world with ptrace at exit: a sanitized build
 * (make check-sanitizers) keeps ptrace, or its leak check could not run.
 */
#if defined(__SANITIZE_ADDRESS__)
#define LD_SANITIZED	1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define LD_SANITIZED	1
#endif
#endif

#ifdef LD_ARCH
static const int denied_exec[] = {
	__NR_execve,
#ifdef __NR_execveat
	__NR_execveat,
#endif
};

static const int denied[] = {
#ifndef LD_SANITIZED
	__NR_ptrace,
#endif
	__NR_process_vm_writev,
	__NR_init_module, __NR_finit_module, __NR_delete_module,
	__NR_kexec_load,
#ifdef __NR_kexec_file_load
	__NR_kexec_file_load,
#endif
	__NR_mount, __NR_umount2, __NR_pivot_root, __NR_chroot,
#ifdef __NR_open_tree
	__NR_open_tree, __NR_move_mount, __NR_fsopen, __NR_fsconfig, __NR_fsmount, __NR_fspick,
#endif
#ifdef __NR_mount_setattr
	__NR_mount_setattr,
#endif
	__NR_unshare, __NR_setns,
	__NR_setuid, __NR_setgid, __NR_setreuid, __NR_setregid, __NR_setresuid, __NR_setresgid,
	__NR_setfsuid, __NR_setfsgid, __NR_setgroups,
	__NR_swapon, __NR_swapoff, __NR_reboot,
	__NR_settimeofday, __NR_clock_settime, __NR_clock_adjtime, __NR_adjtimex,
	__NR_sethostname, __NR_setdomainname,
	__NR_add_key, __NR_request_key, __NR_keyctl,
	__NR_userfaultfd, __NR_perf_event_open,
#ifdef __NR_iopl
	__NR_iopl, __NR_ioperm,
#endif
	__NR_open_by_handle_at,	/* with CAP_DAC_READ_SEARCH: any file by handle */
	__NR_personality, __NR_acct, __NR_quotactl,
};

#define DENY_ERRNO	(SECCOMP_RET_ERRNO | (EPERM & SECCOMP_RET_DATA))
#define NR(a)		(sizeof(a) / sizeof((a)[0]))
/* arch check (3), load nr (1), x32 check (2), two per call, allow (1) */
#define MAX_INSNS	(6 + 2 * (NR(denied) + NR(denied_exec)) + 1)

static void deny(struct sock_filter *f, unsigned int *n, int nr)
{
	f[(*n)++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, nr, 0, 1);
	f[(*n)++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, DENY_ERRNO);
}

static unsigned int build_filter(struct sock_filter *f, bool allow_exec)
{
	unsigned int i, n = 0;

	f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
					      offsetof(struct seccomp_data, arch));
	f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, LD_ARCH, 1, 0);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, DENY_ERRNO);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
					      offsetof(struct seccomp_data, nr));
#if defined(__x86_64__)
	f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, __X32_SYSCALL_BIT, 0, 1);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, DENY_ERRNO);
#endif
	for (i = 0; i < NR(denied); i++)
		deny(f, &n, denied[i]);
	for (i = 0; !allow_exec && i < NR(denied_exec); i++)
		deny(f, &n, denied_exec[i]);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	return n;
}
#endif /* LD_ARCH */

int lockdown_running_phase(bool allow_exec)
{
	int err;

	/* Nothing exec'd from here on (an unsafe script's command) gains privileges. */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)) {
		err = -errno;
		tr_err("no_new_privs: %s (tracee runs on without it and without its seccomp filter)",
		       strerror(-err));
		return err;
	}
#ifdef LD_ARCH
	{
		struct sock_filter f[MAX_INSNS];
		struct sock_fprog prog = { .filter = f };

		prog.len = build_filter(f, allow_exec);
		/* TSYNC: the writer, runtime and server threads already running too. */
		if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_TSYNC, &prog)) {
			err = -errno;
			tr_err("seccomp: cannot install the running phase's filter: %s (tracee runs on without it)",
			       strerror(-err));
			return err;
		}
		tr_verbose(1, "seccomp: running-phase filter installed (%u instructions%s)", prog.len,
			   allow_exec ? "; exec allowed for --script-unsafe" : "");
	}
#else
	tr_verbose(1, "seccomp: no running-phase filter for this architecture; no_new_privs is set");
#endif
	return 0;
}
