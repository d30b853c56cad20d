/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lockdown.h - the running phase's limits: no_new_privs and a seccomp filter
 * refusing what tracee never does once its programs are attached.
 */
#ifndef TRACEE_LOCKDOWN_H
#define TRACEE_LOCKDOWN_H

#include <stdbool.h>

/*
 * After attaching (and after caps_drop_after_attach()): set no_new_privs
 * and install, on every thread, a filter that makes these system calls fail
 * with EPERM: execve/execveat (unless allow_exec: --script-unsafe scripts
 * may run commands), ptrace, process_vm_writev, module and kexec loading,
 * mounts and the new mount API, chroot/pivot_root, unshare/setns, the
 * set*id family, swap, reboot, clock setting, keyrings, userfaultfd,
 * perf_event_open, iopl/ioperm, open_by_handle_at,
 * personality, acct and quotactl; and any call of another ABI (i386's
 * int 0x80, x32).  Returns 0, or -errno after one line saying that the run
 * goes on without it (not fatal: the capabilities are already dropped).
 */
int lockdown_running_phase(bool allow_exec);

#endif /* TRACEE_LOCKDOWN_H */
