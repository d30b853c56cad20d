// SPDX-License-Identifier: GPL-2.0
/*
 * tracee.bpf.c - every kernel program of tracee, as one compilation unit.
 *
 * One source, built two ways (bpf/kread.h is the only place that knows
 * which): CO-RE against bpf/vmlinux/<arch>/vmlinux.h, or kernel-specific
 * against one kernel's headers (bpf/kbuild.sh, also at run time from the
 * installed sources).  The parts below are headers only so that a reader
 * can walk them one job at a time; they are included once each, here, in
 * this order (no include guards: a second inclusion is an error), and make
 * one object: each uses what the parts before it define.
 *
 * Records go to user space as struct tr_record_hdr + typed arguments
 * (bpf/tracee_abi.h), through the `events` ring buffer, or the
 * `perf_events` perf buffer on kernels without ring buffers.  What to trace
 * comes from `tr_cfg` in .rodata, set by the loader before load so that the
 * verifier drops whatever is switched off.
 *
 * Parts
 *   defs.h		version strings, UAPI and syscall numbers, TR_MASK()
 *   maps.h		license, metadata, tr_cfg, every map
 *   record.h		the record: scratch buffer, context header, submit
 *   scope.h		--scope checks
 *   args.h		argument writers (user and kernel memory)
 *   files.h		the struct file behind an fd, its ids
 *   pathwalk.h		absolute path of a struct path (d_path by hand)
 *   args_global.h	the looping argument writers as global functions
 *   pathfilter.h	pathname prefilter (path_dfa automaton)
 *   derive.h		derived (security) events: enter snapshot, exit handoff
 *   derive_file.h	security_file_open
 *   derive_net.h	security_socket_*, socket_dup
 *   derive_mem.h	mem_prot_alert
 *   derive_write.h	magic_write
 *   derive_task.h	commit_creds, switch_task_ns
 *   capture.h		-c write, mem, bpf, module: bytes in chunks (records)
 *   progs_syscalls.h	tr_sys_enter, tr_sys_exit (+ _btf twins), tr_g_derive
 *   progs_mprotect.h	tr_mprot_enter
 *   progs_lifecycle.h	tr_proc_fork, tr_proc_exec, tr_proc_exit
 *   progs_misc.h	tr_cgroup_mkdir, tr_cgroup_rmdir, tr_task_rename,
 *			tr_signal_gen, tr_signal_dlv, tr_module_load
 *
 * The order is also the order of the functions the object emits (global
 * functions and programs): keep it, and a split or a move of helpers
 * changes no instruction of the object.
 *
 * Verifier notes: a record is built in a per-CPU scratch buffer of
 * TR_RECORD_MAX bytes.  Every argument starts below TR_HALF and writes less
 * than TR_HALF bytes, so masking a start offset with TR_HALF - 1 proves
 * every write in bounds.  The write cursor lives in the record header
 * (hdr->size, in map memory) and is re-read before each argument: the
 * verifier sees an unknown but masked value, so the paths through the
 * different argument kinds merge instead of multiplying.  Loops (argv
 * entries, path components) sit in global functions (tr_g_*), which the
 * verifier checks once each rather than once per call site; kernel reads
 * carry no per-read branch (see READ_KERN).  Every program stays near 10k
 * verified instructions on 6.1 and 6.18.
 */
#include "kread.h"
#include "arch.h"
#include "tracee_abi.h"

#include "defs.h"
#include "maps.h"
#include "record.h"
#include "scope.h"
#include "args.h"
#include "files.h"
#include "pathwalk.h"
#include "args_global.h"
#include "pathfilter.h"
#include "derive.h"
#include "derive_file.h"
#include "derive_net.h"
#include "derive_mem.h"
#include "derive_write.h"
#include "derive_task.h"
#include "capture.h"
#include "progs_syscalls.h"
#include "progs_mprotect.h"
#include "progs_lifecycle.h"
#include "progs_misc.h"
