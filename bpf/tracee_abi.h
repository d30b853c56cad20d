/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tracee_abi.h - the record layout shared by the eBPF programs and user space.
 *
 * Every record sent through the ring buffer (or perf buffer) is a
 * struct tr_record_hdr followed by hdr.argnum arguments.  Each argument is
 *
 *	u8 index;	position of the argument in the event's table entry
 *	u8 tag;		enum tr_wire_tag: how the payload is laid out
 *	payload		(unaligned: user space reads it with memcpy)
 *
 * Payloads:
 *	TR_W_U64	8 bytes: the raw register or field value; user space gives
 *			it its C type (int, umode_t, ...) from the events table
 *	TR_W_STR	u32 len (TR_LEN_TRUNC set when the string was cut), then
 *			len bytes, no NUL
 *	TR_W_STRARR	u32 count (TR_LEN_TRUNC set when entries were dropped), then
 *			count TR_W_STR payloads (len + bytes each)
 *	TR_W_SOCKADDR	u32 len, then len bytes of struct sockaddr_*
 *	TR_W_BYTES	u32 len, then len bytes
 *	TR_W_INT2	2 x s32 (pipe fds, socketpair)
 *	TR_W_TIMESPEC	s64 sec, s64 nsec
 *
 * The capture tags for syscall arguments travel the other way: user space
 * fills tr_sys_cfg[] (rodata) from the events table so the kernel side knows
 * which arguments to read as strings, arrays or socket addresses.
 *
 * This header is included by bpf/tracee.bpf.c (with __u* types from
 * vmlinux.h or the kernel headers) and by src/ (with <linux/types.h>).
 */
#ifndef TRACEE_ABI_H
#define TRACEE_ABI_H

#define TR_COMM_LEN		16
#define TR_UTS_LEN		16
#define TR_SYSCALL_ARGS		6	/* register arguments of a syscall */
#define TR_EVENT_ARGS		16	/* arguments of any event */
#define TR_MAX_SYSCALL		512	/* syscall numbers below this are events */
#define TR_MAX_EVENT		2048	/* every event id is below this */
#define TR_PATH_MAX		4096	/* whole paths, PATH_MAX */
#define TR_ARGV_MAX		128	/* argv/envp entries kept, then marked cut */
#define TR_SOCKADDR_MAX		128	/* bytes of a sockaddr kept */
#define TR_RECORD_MAX		(32 * 1024)	/* one record, header included */
#define TR_LEN_TRUNC		0x80000000u	/* in a STR len or STRARR count */

/* Non-syscall event ids start at 1000, as in the original Tracee. */
#define TR_EV_SCHED_PROCESS_FORK	1002
#define TR_EV_SCHED_PROCESS_EXEC	1003
#define TR_EV_SCHED_PROCESS_EXIT	1004
/* 1005-1054: numbered as in Tracee before v0.10 (legacy tracee-ebpf) */
#define TR_EV_MEM_PROT_ALERT		1010
#define TR_EV_COMMIT_CREDS		1011
#define TR_EV_SWITCH_TASK_NS		1012
#define TR_EV_MAGIC_WRITE		1013
#define TR_EV_CGROUP_MKDIR		1015
#define TR_EV_CGROUP_RMDIR		1016
#define TR_EV_SECURITY_BPRM_CHECK	1017
#define TR_EV_SECURITY_FILE_OPEN	1018
#define TR_EV_SECURITY_SOCKET_LISTEN	1021
#define TR_EV_SECURITY_SOCKET_CONNECT	1022
#define TR_EV_SECURITY_SOCKET_ACCEPT	1023
#define TR_EV_SECURITY_SOCKET_BIND	1024
#define TR_EV_TASK_RENAME		1052
/* 1100-: events of this project, no Tracee counterpart with a stable id */
#define TR_EV_MODULE_LOAD		1100
#define TR_EV_SIGNAL_GENERATE		1101
#define TR_EV_SIGNAL_DELIVER		1102
#define TR_EV_SOCKET_DUP		1103

/* mem_prot_alert "alert" values, as Tracee's */
#define TR_ALERT_MMAP_WX		1	/* mmap with PROT_WRITE|PROT_EXEC */
#define TR_ALERT_MPROT_WX		2	/* mprotect to PROT_WRITE|PROT_EXEC */
#define TR_ALERT_MPROT_X_TO_WX		3	/* executable memory made writable too */
#define TR_ALERT_MPROT_W_TO_X		4	/* writable memory made executable */

#define TR_MAGIC_LEN			32	/* magic_write: first bytes kept */

enum tr_wire_tag {
	TR_W_NONE = 0,
	TR_W_U64,
	TR_W_STR,
	TR_W_STRARR,
	TR_W_SOCKADDR,
	TR_W_BYTES,
	TR_W_INT2,
	TR_W_TIMESPEC,
	TR_W_NR
};

/*
 * tr_sys_cfg[nr]: per-syscall configuration, set by user space in rodata.
 * Bits 0..23 hold six 4-bit capture tags (argument i at bits 4*i).
 */
#define TR_SYS_ARGTAG(cfg, i)	(((cfg) >> (4 * (i))) & 0xf)
#define TR_SYS_CAPTURE		(1ULL << 60)	/* save args at sys_enter */
#define TR_SYS_EMIT		(1ULL << 61)	/* emit the syscall event */
#define TR_SYS_SUBMIT_ENTER	(1ULL << 62)	/* emit at enter (execve: memory is gone at exit) */
#define TR_SYS_DERIVE		(1ULL << 59)	/* non-syscall events derived at sys_exit */
/*
 * TR_SYS_AT_ENTER: sys_enter saves the arguments (and what a derived event
 * compares against) for sys_exit.  Without it sys_exit alone does the work,
 * reading the arguments from the registers the syscall left in pt_regs, so
 * a selection of such syscalls needs no sys_enter program at all: half the
 * programs run on every syscall of the machine.  Set for syscalls that emit
 * at entry (execve), never return (exit_group) or return in a child that
 * never entered (clone), and for derived events that compare with the state
 * before the call (commit_creds, switch_task_ns, magic_write's file offset).
 */
#define TR_SYS_AT_ENTER		(1ULL << 58)
/*
 * TR_SYS_READ_ENTER (with TR_SYS_AT_ENTER): the syscall event's record is
 * built at sys_enter, its strings and input socket addresses read before the
 * kernel uses them, and sent at sys_exit with the return value (maps.h:
 * entry_small).  An argument whose read failed at entry (its page not yet
 * faulted in) is read again at exit.  TR_SYS_ENTRY_BIG: the syscall has
 * several strings, the record is kept in entry_big.
 */
#define TR_SYS_READ_ENTER	(1ULL << 57)
#define TR_SYS_ENTRY_BIG	(1ULL << 56)

/* read_fails map key: event id and argument index */
#define TR_RF_KEY(event_id, idx)	(((__u32)(event_id) << 8) | ((idx) & 0xff))

/* hdr.flags */
#define TR_F_COMPAT		0x01	/* 32-bit syscall on a 64-bit kernel */
#define TR_F_ARGS_CUT		0x02	/* the record hit TR_RECORD_MAX: args dropped */

/*
 * Counters in the per-CPU "stats" array map; user space sums the CPUs.
 * Every record the kernel side considered ends in exactly one of these, or
 * reaches user space (counted there as received).
 */
enum tr_stat {
	TR_STAT_SUBMITTED = 0,	/* not counted: records sent are counted as received */
	TR_STAT_LOST,		/* ring buffer full / perf output failed */
	TR_STAT_FILTERED,	/* dropped by a scope check in the kernel */
	TR_STAT_READ_FAIL,	/* a user/kernel memory read failed (arg left empty) */
	TR_STAT_FOLLOW_FULL,	/* --scope follow: a child not followed, the set was full */
	TR_STAT_ENTRY_FULL,	/* no room to keep a record built at sys_enter: built at exit */
	TR_STAT_READ_LATE,	/* read at sys_exit because the read at sys_enter failed */
	TR_STAT_NR
};

struct tr_record_hdr {
	__u64 ts;		/* bpf_ktime_get_ns(): CLOCK_MONOTONIC ns */
	__u64 start_time;	/* thread start, CLOCK_MONOTONIC ns */
	__u64 cgroup_id;
	__s64 retval;
	__u32 event_id;
	__u32 size;		/* whole record, header included */
	__u32 pid;		/* as seen in the task's pid namespace */
	__u32 tid;
	__u32 ppid;
	__u32 host_pid;		/* as seen in the initial pid namespace */
	__u32 host_tid;
	__u32 host_ppid;
	__u32 uid;
	__u32 mnt_ns;
	__u32 pid_ns;
	__s32 syscall;		/* syscall that led here, -1 for none */
	__u16 cpu;
	__u8 argnum;
	__u8 flags;
	__u32 pad0;
	char comm[TR_COMM_LEN];
	char uts[TR_UTS_LEN];
	__u64 reserved;		/* zero; pads the header to 128 bytes */
};

_Static_assert(sizeof(struct tr_record_hdr) == 128, "record header layout changed");

/*
 * Kernel-side pathname prefilter for security_file_open: when every consumer
 * of the event declared the paths it wants (tracee.signature{paths=},
 * -e security_file_open.args.pathname=GLOB), the program drops the others
 * after the path walk, counted TR_STAT_FILTERED, instead of sending them to
 * user space.
 *
 * The globs, however many, are compiled in user space (src/filter/pathdfa.c) into
 * one deterministic automaton over byte classes, kept in the path_dfa map
 * (one row per state) with the byte -> class table in tr_cfg.fopen_class.
 * The program follows one transition per byte of the path and stops as soon
 * as a state says "no glob can match any more" (TR_PF_DEAD) or "some glob
 * matches whatever follows" (TR_PF_ALL): the cost of an open depends on the
 * length of its path, never on the number of globs.
 */
#define TR_PF_NCLASS		64	/* byte classes; class 0 stands for the path's end */
#define TR_PF_MAX_STATES	8192	/* rows of path_dfa at most (1 MiB) */
#define TR_PF_DEAD		0	/* row 0: no match whatever follows */
#define TR_PF_ALL		1	/* row 1: a match whatever follows */
#define TR_PF_START		2	/* row 2: before the path's first byte */

struct tr_pf_state {
	/* the next row by the class of the next byte; next[0] is TR_PF_ALL
	 * when a path that ends here matches, TR_PF_DEAD when not */
	__u16 next[TR_PF_NCLASS];
};

_Static_assert(sizeof(struct tr_pf_state) == 128, "path automaton row layout changed");

/*
 * Capture records (-c write, bpf/capture.h): not events.  The bytes a
 * write(2) family syscall wrote to a file the capture wants, in chunks, each
 * a record of its own:
 *
 *	struct tr_record_hdr	the writer's context; event_id TR_REC_CAPTURE_WRITE,
 *				argnum 0; ts is the same for every chunk of a call
 *	struct tr_cap_chunk	where the bytes go
 *	path_len bytes		the file's path, no NUL
 *	len bytes		the data
 *
 * User space (src/capture/) reassembles them per file; the decoder routes
 * them there instead of the event pipeline.
 */
#define TR_REC_CAPTURE_WRITE	4000	/* above every event id (TR_MAX_EVENT) */
/*
 * -c mem: the same records for the bytes of a region mprotect made
 * executable after it was writable (what mem_prot_alert reports): dev,
 * inode, ftype and path_len 0, offset the address of the first data byte.
 */
#define TR_REC_CAPTURE_MEM	4001
/*
 * -c bpf: the instructions a bpf(BPF_PROG_LOAD) was given (attr->insns,
 * insn_cnt * 8 bytes), loaded or refused: dev is the program type, inode
 * the syscall's return value, offset the user address of the first byte,
 * the path the program's name.
 */
#define TR_REC_CAPTURE_BPF	4002
/*
 * -c module: the image an init_module(2) was given (loaded or refused, as on
 * a kernel without modules): inode is the syscall's return value, offset
 * the user address of the first byte.
 */
#define TR_REC_CAPTURE_MODULE	4003
#define TR_CAP_CHUNK		4096	/* data bytes a record */
#define TR_CAP_CHUNKS		64	/* records a call (256 KiB); the rest is cut, counted */
#define TR_CAP_IOVS		16	/* iovecs of writev/pwritev followed */
#define TR_CAP_PREFIXES		16	/* path prefixes the kernel side matches */
#define TR_CAP_PREFIX_LEN	64	/* bytes of each, NUL included */

/* tr_config.cap_write, tr_cap_chunk.ftype */
#define TR_CAPW_REGULAR		0x01
#define TR_CAPW_PIPE		0x02
#define TR_CAPW_SOCKET		0x04
#define TR_CAPW_OTHER		0x08	/* character devices, ... */

/* tr_cap_chunk.flags */
#define TR_CAPF_LAST		0x01	/* the call's last chunk */
#define TR_CAPF_PATH_CUT	0x02	/* the path walk stopped short of the root */
/*
 * -c module, finit_module: no data, the file instead (dev and inode as the
 * call took it at sys_enter; the path when its fd still names that file at
 * sys_exit): user space copies it.
 */
#define TR_CAPF_FILE		0x04

struct tr_cap_chunk {
	__u64 dev;		/* the file's super block s_dev, as the kernel encodes it */
	__u64 inode;
	__u64 offset;		/* file offset of the first data byte (regular files) */
	__u64 total;		/* bytes the call wrote (its return value) */
	__u32 seq;		/* offset of the first data byte within the call's bytes */
	__u32 len;		/* data bytes */
	__u16 index;		/* chunk number within the call, from 0 */
	__u16 path_len;
	__u8 ftype;		/* TR_CAPW_* */
	__u8 flags;		/* TR_CAPF_* */
	__u16 pad;
};

_Static_assert(sizeof(struct tr_cap_chunk) == 48, "capture chunk layout changed");

/*
 * The one read-only configuration block, `const volatile struct tr_config
 * tr_cfg` in the object's .rodata, filled by the loader between open and
 * load so the verifier prunes what is switched off.
 */
struct tr_config {
	__u64 sys_cfg[TR_MAX_SYSCALL];		/* per syscall: TR_SYS_* bits + capture tags */
#if defined(__aarch64__) || defined(__TARGET_ARCH_arm64)
	/* event id + 1 of each arm64 syscall number, 0: none (bpf/arch.h TR_SC_ID) */
	__u16 sc_id[TR_MAX_SYSCALL];
#endif
	__u64 ev_sel[TR_MAX_EVENT / 64];	/* events to emit, bitmap by event id */
	__u32 self_tgid;			/* tracee itself: never traced */
	__u32 use_ringbuf;			/* 1: ring buffer, 0: perf buffer */
	__u32 use_task_storage;			/* 1: per-task args in task storage, 0: hash by tid */
	__u32 wakeup_bytes;			/* wake the reader per this much sent, per CPU */
	/* Scopes (src/filter/filter.c): every program drops what they exclude, counted
	 * TR_STAT_FILTERED; all zero: no scope, the checks are pruned. */
	__u32 scope_flags;			/* TR_SCOPE_* */
	__u32 kfeat;				/* TR_KF_*: helpers the kernel has */
	__u64 scope_start_ns;			/* tracee's start, CLOCK_MONOTONIC: pid=new */
	__u32 scope_uid_lo, scope_uid_hi;	/* uid range (uid> uid<), inclusive */
	__u32 scope_pid_lo, scope_pid_hi;	/* host pid range (pid> pid<), inclusive */
	__u32 fopen_nstates;			/* rows of path_dfa; 0: no pathname prefilter */
	__u32 pad1;
	__u8 fopen_class[256];			/* byte -> class 1..TR_PF_NCLASS-1 */
	/* -c write (bpf/capture.h): 0, or the TR_CAPW_* file types to capture */
	__u32 cap_write;
	__u32 cap_nprefix;			/* 0: any path */
	char cap_prefix[TR_CAP_PREFIXES][TR_CAP_PREFIX_LEN];	/* NUL-padded */
	__u32 cap_mem;				/* -c mem: 1 */
	__u32 cap_bpf;				/* -c bpf: 1 */
	__u32 cap_module;			/* -c module: 1 */
	/* 1: syscall records kept from sys_enter in the hashes by tid even where
	 * task storage works (TRACEE_ENTRY_MAX: tests fill them) */
	__u32 entry_in_hash;
};

/* tr_config.kfeat */
#define TR_KF_FIND_VMA		0x01	/* bpf_find_vma() (5.17) */
#define TR_KF_TASK_BTF		0x02	/* bpf_get_current_task_btf() (5.11) and kernel BTF */

/*
 * tr_config.scope_flags.  For a numeric scope (pid, tid, uid, mntns, pidns,
 * executable) EQ says "=" values exist (the value must be one of them, or in
 * the range when RANGE is set too) and NE that "!=" values exist; the values
 * are keys of the scope_vals map (struct tr_scope_key), the map value says
 * which (TR_SCOPE_V_*).  comm uses the scope_comm map, keyed by the name.
 */
#define TR_SCOPE_PID_EQ		(1u << 0)
#define TR_SCOPE_PID_NE		(1u << 1)
#define TR_SCOPE_PID_RANGE	(1u << 2)
#define TR_SCOPE_TID_EQ		(1u << 3)
#define TR_SCOPE_TID_NE		(1u << 4)
#define TR_SCOPE_UID_EQ		(1u << 5)
#define TR_SCOPE_UID_NE		(1u << 6)
#define TR_SCOPE_UID_RANGE	(1u << 7)
#define TR_SCOPE_MNTNS_EQ	(1u << 8)
#define TR_SCOPE_MNTNS_NE	(1u << 9)
#define TR_SCOPE_PIDNS_EQ	(1u << 10)
#define TR_SCOPE_PIDNS_NE	(1u << 11)
#define TR_SCOPE_COMM_EQ	(1u << 12)
#define TR_SCOPE_COMM_NE	(1u << 13)
#define TR_SCOPE_EXE_EQ		(1u << 14)
#define TR_SCOPE_EXE_NE		(1u << 15)
#define TR_SCOPE_NEW_PID	(1u << 16)	/* processes started after tracee */
#define TR_SCOPE_CONTAINER	(1u << 17)	/* in a container (own pid namespace) */
#define TR_SCOPE_NOT_CONTAINER	(1u << 18)
#define TR_SCOPE_NEW_CONTAINER	(1u << 19)	/* container started after tracee */
#define TR_SCOPE_FOLLOW		(1u << 20)	/* descendants of matching processes too */

enum tr_scope_kind {
	TR_SK_PID = 1,
	TR_SK_TID,
	TR_SK_UID,
	TR_SK_MNTNS,
	TR_SK_PIDNS,
	TR_SK_EXE,	/* aux = the file's dev_t as the kernel encodes it, val = inode */
};

#define TR_SCOPE_V_EQ		0x01
#define TR_SCOPE_V_NE		0x02

struct tr_scope_key {
	__u32 kind;	/* enum tr_scope_kind */
	__u32 aux;
	__u64 val;
};

#endif /* TRACEE_ABI_H */
