/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tracepoint.h - does the running kernel have a tracepoint?  One answer for
 * the loader (which programs to switch off) and the event availability
 * checks (--list, -e).
 */
#ifndef TRACEE_TRACEPOINT_H
#define TRACEE_TRACEPOINT_H

struct btf;

/*
 * 1: the kernel has tracepoint name; 0: it has not; -1: nothing here can
 * tell (no BTF, kallsyms and tracefs unreadable): callers assume yes and
 * let attach decide.  kbtf is the kernel's BTF (btf.h) or NULL.
 */
int tracepoint_exists(const struct btf *kbtf, const char *name);

#endif /* TRACEE_TRACEPOINT_H */
