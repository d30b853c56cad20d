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
#define TR_ARGV_MAX		32	/* argv/envp entries kept, then marked cut */
#define TR_SOCKADDR_MAX		128	/* bytes of a sockaddr kept */
#define TR_RECORD_MAX		(32 * 1024)	/* one record, header included */
#define TR_LEN_TRUNC		0x80000000u	/* in a STR len or STRARR count */

/* Non-syscall event ids start at 1000, as in the original Tracee. */
#define TR_EV_SCHED_PROCESS_FORK	1002
#define TR_EV_SCHED_PROCESS_EXEC	1003
#define TR_EV_SCHED_PROCESS_EXIT	1004

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

/* hdr.flags */
#define TR_F_COMPAT		0x01	/* 32-bit syscall on a 64-bit kernel */
#define TR_F_ARGS_CUT		0x02	/* the record hit TR_RECORD_MAX: args dropped */

/*
 * Counters in the per-CPU "stats" array map; user space sums the CPUs.
 * Every record the kernel side considered ends in exactly one of these.
 */
enum tr_stat {
	TR_STAT_SUBMITTED = 0,	/* record sent to the ring/perf buffer */
	TR_STAT_LOST,		/* ring buffer full / perf output failed */
	TR_STAT_FILTERED,	/* dropped by a scope check in the kernel */
	TR_STAT_READ_FAIL,	/* a user/kernel memory read failed (arg left empty) */
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
 * The one read-only configuration block, `const volatile struct tr_config
 * tr_cfg` in the object's .rodata, filled by the loader between open and
 * load so the verifier prunes what is switched off.
 */
struct tr_config {
	__u64 sys_cfg[TR_MAX_SYSCALL];		/* per syscall: TR_SYS_* bits + capture tags */
	__u64 ev_sel[TR_MAX_EVENT / 64];	/* events to emit, bitmap by event id */
	__u32 self_tgid;			/* tracee itself: never traced */
	__u32 use_ringbuf;			/* 1: ring buffer, 0: perf buffer */
	__u32 use_task_storage;			/* 1: per-task args in task storage, 0: hash by tid */
	__u32 wakeup_bytes;			/* wake the reader only past this much data */
};

#endif /* TRACEE_ABI_H */
