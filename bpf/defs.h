/* SPDX-License-Identifier: GPL-2.0 */
/*
 * defs.h - part of tracee.bpf.c: the numbers every part uses.
 *
 * The version strings the build passes, UAPI constants spelled by number,
 * record-building limits, the x86_64 syscall numbers the derived events come
 * from, and TR_MASK(), the bound the verifier needs on every variable offset.
 */

#ifndef TRACEE_VERSION
#define TRACEE_VERSION ""	/* the build passes -DTRACEE_VERSION='"x.y"' */
#endif
#ifndef TRACEE_KRELEASE
#define TRACEE_KRELEASE ""	/* kernel-specific builds pass the release */
#endif

/*
 * UAPI values used by number, so the kernel-specific flavour also builds
 * against headers older than the feature (the loader decides at run time
 * what the kernel can do, and the verifier drops the rest).
 */
#define TR_MAP_PERF_EVENT_ARRAY	4
#define TR_MAP_ARRAY		2
#define TR_MAP_PERCPU_ARRAY	6
#define TR_MAP_LRU_HASH		9
#define TR_MAP_RINGBUF		27	/* 5.8 */
#define TR_MAP_TASK_STORAGE	29	/* 5.11 */
#define TR_F_NO_PREALLOC	1U
#define TR_F_CURRENT_CPU	0xffffffffULL
#define TR_RB_NO_WAKEUP		1ULL
#define TR_RB_FORCE_WAKEUP	2ULL
#define TR_STORAGE_CREATE	1ULL

#define TR_HALF			(TR_RECORD_MAX / 2)
#define TR_STR_READ		(TR_PATH_MAX + 2)	/* one byte past the limit tells "cut" */
#define TR_PATH_DEPTH		64	/* path components walked, then cut */
#define TR_NAME_MAX		255
#define TR_SOCKLEN_PTR		4096	/* an addrlen above this is a socklen_t * */
#define TR_S_IFREG		0100000
#define TR_S_IFSOCK		0140000
#define TR_S_IFIFO		0010000
#define TR_PROT_WRITE		0x2
#define TR_PROT_EXEC		0x4
#define TR_MAP_ANONYMOUS	0x20
#define TR_O_CREAT		0100
#define TR_O_TRUNC		01000
#define TR_O_OPEN_ONLY		(0100 | 0200 | 0400 | 01000)	/* O_CREAT O_EXCL O_NOCTTY O_TRUNC */
#define TR_AF_UNIX		1
#define TR_AF_INET		2
#define TR_AF_INET6		10

/* x86_64 syscall numbers the derived events come from (ABI: never change) */
#define TR_NR_WRITE		1
#define TR_NR_OPEN		2
#define TR_NR_MMAP		9
#define TR_NR_MPROTECT		10
#define TR_NR_DUP		32
#define TR_NR_DUP2		33
#define TR_NR_PWRITE64		18
#define TR_NR_WRITEV		20
#define TR_NR_CONNECT		42
#define TR_NR_ACCEPT		43
#define TR_NR_BIND		49
#define TR_NR_LISTEN		50
#define TR_NR_CREAT		85
#define TR_NR_SETUID		105
#define TR_NR_SETGID		106
#define TR_NR_SETREUID		113
#define TR_NR_SETREGID		114
#define TR_NR_SETRESUID		117
#define TR_NR_SETRESGID		119
#define TR_NR_SETFSUID		122
#define TR_NR_SETFSGID		123
#define TR_NR_CAPSET		126
#define TR_NR_EXECVE		59
#define TR_NR_EXECVEAT		322
#define TR_NR_OPENAT		257
#define TR_NR_DUP3		292
#define TR_NR_UNSHARE		272
#define TR_NR_ACCEPT4		288
#define TR_NR_PWRITEV		296
#define TR_NR_SETNS		308
#define TR_NR_PKEY_MPROTECT	329
#define TR_NR_OPENAT2		437

/*
 * v & mask, with the mask kept: the compiler must forget what it knows of v
 * first, or it drops a mask it can prove redundant, and the verifier, which
 * tracks registers and not the compiler's reasoning, loses the bound.
 * (libbpf's barrier_var(), spelled with __volatile__ so that
 * asm_goto_workaround.h leaves its operand in place.)
 */
#define TR_MASK(v, mask) ({ __asm__ __volatile__("" : "+r"(v)); (v) & (mask); })
