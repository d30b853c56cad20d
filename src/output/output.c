// SPDX-License-Identifier: GPL-2.0
/*
 * output.c - the sinks: table, table-verbose, json, none; stdout or a file.
 *
 * Every sink renders into one buffer (1 MiB, allocated once) and writes it
 * with one write() when it passes FLUSH_AT bytes, on output_flush() (the main
 * loop's timer) and at exit.  Nothing is allocated per event.
 *
 * JSON follows Tracee's event layout field for field (types/trace/trace.go):
 * the same names, order and types, eventId as a string, args as
 * [{name, type, value}].  Two additions that do not disturb a parser:
 *   - an argument whose string (or string array) was cut by the kernel side
 *     at a limit carries "truncated":true after its value;
 *   - values the kernel side could not read are null.
 * Strings are escaped by json.c (invalid UTF-8 bytes become \ufffd).
 *
 * With opts->writer_thread (the program's setting) a file, pipe or stdout
 * sink is written by a thread of its own: a flush hands the full buffer
 * over (a pointer swap under a lock, once per FLUSH_AT bytes) and the
 * reader goes on.  At most WQ_SLOTS buffers wait.  When they are all
 * taken, a destination that is slow but moving (it finished a write within
 * STUCK_MS) holds the reader back until a slot frees, as a synchronous
 * write would: the kernel's ring buffer absorbs that, and counts what it
 * cannot.  A destination that took nothing for STUCK_MS (a full pipe nobody
 * reads, a hung disk) is stuck: buffers that do not fit are dropped at
 * once and their events counted as failed, reported once; the reader never
 * waits longer than STUCK_MS on an output.  At exit the writer gets
 * DRAIN_MS without progress before what is left is given up (counted).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "decode.h"
#include "events.h"
#include "json.h"
#include "log.h"
#include "output.h"
#include "pathwalk.h"
#include "runtime.h"
#include "sink.h"
#include "sink_syslog.h"
#ifdef HAVE_WEBHOOK
#include "sink_webhook.h"
#endif

#define OUT_BUF_SZ	(1024 * 1024)	/* holds the largest record rendered 6x */
#define FLUSH_AT	(256 * 1024)	/* one write() per this much */
#define WQ_SLOTS	16		/* buffers waiting for the writer thread */
#define STUCK_MS	1000		/* no write finished for this long: stuck */
#define DRAIN_MS	2000		/* at exit: give up after this long without progress */

/* A literal chunk: the copy is inlined, its size known at compile time. */
#define LIT(b, text)	obuf_put((b), text, sizeof(text) - 1)

static inline void put_qstr(struct obuf *b, const char *s, size_t len)
{
	obuf_putc(b, '"');
	json_escape(b, s, len);
	obuf_putc(b, '"');
}

enum out_kind {
	OUT_TABLE,
	OUT_TABLE_VERBOSE,
	OUT_JSON,
	OUT_NONE,
	OUT_NET,	/* a network sink: JSON handed to ops (sink.h) */
};

/* A buffer handed to the writer thread, with the events it holds. */
struct wq_item {
	struct obuf buf;
	uint64_t nr_events;
};

struct writer {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t more;		/* an item was queued, or stop */
	pthread_cond_t progress;	/* an item was written, or the thread ended */
	struct wq_item q[WQ_SLOTS];	/* ring: q[head] is the oldest */
	unsigned int head, nr;
	struct obuf spare[WQ_SLOTS + 1];	/* written buffers, for reuse */
	unsigned int nr_spare;
	uint64_t queued_events;		/* in q[] and being written */
	uint64_t nr_done;		/* items written (or failed) so far */
	uint64_t progress_ms;		/* CLOCK_MONOTONIC of the last one (or the start) */
	bool stop;
	bool done;
	int abandon;			/* atomic: give up the rest (exit, stuck) */
	bool overflow_reported;
};

struct output {
	enum out_kind kind;
	struct output_opts opts;
	char *spec;		/* as given, for messages */
	const char *path;	/* inside spec, or NULL for stdout */
	int fd;
	bool own_fd;
	struct obuf buf;
	uint64_t pending;	/* events in buf, not yet written */
	uint64_t written;	/* atomic with a writer thread */
	uint64_t failed;	/* atomic with a writer thread */
	uint64_t overflow;	/* of failed: dropped because the writer was behind */
	struct writer *w;	/* NULL: written in the caller's thread */
	const struct sink_ops *ops;	/* OUT_NET: the sink behind it */
	void *net;
	bool write_error_reported;	/* atomic: the writer thread reports too */
	bool gone;		/* atomic: the reader of a pipe went away for good */
	bool totals_set;
	uint64_t total_lost;
	uint64_t total_errors;
	int64_t hms_sec;	/* table: the second hms[] was made for */
	char hms[16];		/* "HH:MM:SS" */
};

/*
 * -------------------------------------------------------------------------
 * Argument names for option:parse-arguments, table-driven.
 * -------------------------------------------------------------------------
 */
struct flag_name {
	uint64_t mask;	/* all of these bits... */
	uint64_t value;	/* ...equal to this */
	const char *name;
};

#define F(x)		{ (x), (x), #x }

static const struct flag_name open_flags[] = {
	/* the access mode is handled first, then these bits */
	F(O_CREAT), F(O_EXCL), F(O_NOCTTY), F(O_TRUNC), F(O_APPEND), F(O_NONBLOCK),
	F(O_SYNC), F(O_DSYNC), F(FASYNC),
	F(O_DIRECT), F(O_LARGEFILE), F(O_TMPFILE),
	F(O_DIRECTORY), F(O_NOFOLLOW), F(O_NOATIME), F(O_CLOEXEC), F(O_PATH),
	{ 0, 0, NULL }
};

static const struct flag_name mode_bits[] = {
	{ S_IFMT, S_IFSOCK, "S_IFSOCK" }, { S_IFMT, S_IFLNK, "S_IFLNK" },
	{ S_IFMT, S_IFREG, "S_IFREG" }, { S_IFMT, S_IFBLK, "S_IFBLK" },
	{ S_IFMT, S_IFDIR, "S_IFDIR" }, { S_IFMT, S_IFCHR, "S_IFCHR" },
	{ S_IFMT, S_IFIFO, "S_IFIFO" },
	F(S_ISUID), F(S_ISGID), F(S_ISVTX),
	F(S_IRWXU), F(S_IRUSR), F(S_IWUSR), F(S_IXUSR),
	F(S_IRWXG), F(S_IRGRP), F(S_IWGRP), F(S_IXGRP),
	F(S_IRWXO), F(S_IROTH), F(S_IWOTH), F(S_IXOTH),
	{ 0, 0, NULL }
};

static const struct flag_name prot_bits[] = {
	F(PROT_READ), F(PROT_WRITE), F(PROT_EXEC), { 0x8, 0x8, "PROT_SEM" }, F(PROT_GROWSDOWN),
	F(PROT_GROWSUP), { 0, 0, NULL }
};

static const struct flag_name mmap_flags[] = {
	{ MAP_TYPE, MAP_SHARED_VALIDATE, "MAP_SHARED_VALIDATE" },
	{ MAP_TYPE, MAP_SHARED, "MAP_SHARED" }, { MAP_TYPE, MAP_PRIVATE, "MAP_PRIVATE" },
	F(MAP_FIXED), F(MAP_ANONYMOUS), F(MAP_32BIT), F(MAP_GROWSDOWN), F(MAP_DENYWRITE),
	F(MAP_EXECUTABLE), F(MAP_LOCKED), F(MAP_NORESERVE), F(MAP_POPULATE), F(MAP_NONBLOCK),
	F(MAP_STACK), F(MAP_HUGETLB), F(MAP_SYNC), F(MAP_FIXED_NOREPLACE), { 0, 0, NULL }
};

static const struct flag_name access_bits[] = {
	F(R_OK), F(W_OK), F(X_OK), { 0, 0, NULL }
};

static const struct flag_name clone_flags[] = {
	F(CLONE_VM), F(CLONE_FS), F(CLONE_FILES), F(CLONE_SIGHAND), F(CLONE_PIDFD),
	F(CLONE_PTRACE), F(CLONE_VFORK), F(CLONE_PARENT), F(CLONE_THREAD), F(CLONE_NEWNS),
	F(CLONE_SYSVSEM), F(CLONE_SETTLS), F(CLONE_PARENT_SETTID), F(CLONE_CHILD_CLEARTID),
	F(CLONE_DETACHED), F(CLONE_UNTRACED), F(CLONE_CHILD_SETTID), F(CLONE_NEWCGROUP),
	F(CLONE_NEWUTS), F(CLONE_NEWIPC), F(CLONE_NEWUSER), F(CLONE_NEWPID), F(CLONE_NEWNET),
	F(CLONE_IO), { 0, 0, NULL }
};

static const struct flag_name sock_type_flags[] = {
	F(SOCK_NONBLOCK), F(SOCK_CLOEXEC), { 0, 0, NULL }
};

#undef F

/* Names for values, by number; NULL holes mean "print the number". */
static const char *const ptrace_requests[] = {
	[PTRACE_TRACEME] = "PTRACE_TRACEME", [PTRACE_PEEKTEXT] = "PTRACE_PEEKTEXT",
	[PTRACE_PEEKDATA] = "PTRACE_PEEKDATA", [PTRACE_PEEKUSER] = "PTRACE_PEEKUSR",
	[PTRACE_POKETEXT] = "PTRACE_POKETEXT", [PTRACE_POKEDATA] = "PTRACE_POKEDATA",
	[PTRACE_POKEUSER] = "PTRACE_POKEUSR", [PTRACE_CONT] = "PTRACE_CONT",
	[PTRACE_KILL] = "PTRACE_KILL", [PTRACE_SINGLESTEP] = "PTRACE_SINGLESTEP",
	[PTRACE_GETREGS] = "PTRACE_GETREGS", [PTRACE_SETREGS] = "PTRACE_SETREGS",
	[PTRACE_GETFPREGS] = "PTRACE_GETFPREGS", [PTRACE_SETFPREGS] = "PTRACE_SETFPREGS",
	[PTRACE_ATTACH] = "PTRACE_ATTACH", [PTRACE_DETACH] = "PTRACE_DETACH",
	[PTRACE_GETFPXREGS] = "PTRACE_GETFPXREGS", [PTRACE_SETFPXREGS] = "PTRACE_SETFPXREGS",
	[PTRACE_SYSCALL] = "PTRACE_SYSCALL",
	[PTRACE_GET_THREAD_AREA] = "PTRACE_GET_THREAD_AREA",
	[PTRACE_SET_THREAD_AREA] = "PTRACE_SET_THREAD_AREA",
	[PTRACE_ARCH_PRCTL] = "PTRACE_ARCH_PRCTL",
	[PTRACE_SYSEMU] = "PTRACE_SYSEMU", [PTRACE_SYSEMU_SINGLESTEP] = "PTRACE_SYSEMU_SINGLESTEP",
	[PTRACE_SINGLEBLOCK] = "PTRACE_SINGLEBLOCK",
};

static const char *const ptrace_requests_0x4200[] = {
	"PTRACE_SETOPTIONS", "PTRACE_GETEVENTMSG", "PTRACE_GETSIGINFO", "PTRACE_SETSIGINFO",
	"PTRACE_GETREGSET", "PTRACE_SETREGSET", "PTRACE_SEIZE", "PTRACE_INTERRUPT",
	"PTRACE_LISTEN", "PTRACE_PEEKSIGINFO", "PTRACE_GETSIGMASK", "PTRACE_SETSIGMASK",
	"PTRACE_SECCOMP_GET_FILTER", "PTRACE_SECCOMP_GET_METADATA", "PTRACE_GET_SYSCALL_INFO",
	"PTRACE_GET_RSEQ_CONFIGURATION",
};

static const char *const signal_names[] = {
	[SIGHUP] = "SIGHUP", [SIGINT] = "SIGINT", [SIGQUIT] = "SIGQUIT", [SIGILL] = "SIGILL",
	[SIGTRAP] = "SIGTRAP", [SIGABRT] = "SIGABRT", [SIGBUS] = "SIGBUS", [SIGFPE] = "SIGFPE",
	[SIGKILL] = "SIGKILL", [SIGUSR1] = "SIGUSR1", [SIGSEGV] = "SIGSEGV",
	[SIGUSR2] = "SIGUSR2", [SIGPIPE] = "SIGPIPE", [SIGALRM] = "SIGALRM",
	[SIGTERM] = "SIGTERM", [SIGSTKFLT] = "SIGSTKFLT", [SIGCHLD] = "SIGCHLD",
	[SIGCONT] = "SIGCONT", [SIGSTOP] = "SIGSTOP", [SIGTSTP] = "SIGTSTP",
	[SIGTTIN] = "SIGTTIN", [SIGTTOU] = "SIGTTOU", [SIGURG] = "SIGURG",
	[SIGXCPU] = "SIGXCPU", [SIGXFSZ] = "SIGXFSZ", [SIGVTALRM] = "SIGVTALRM",
	[SIGPROF] = "SIGPROF", [SIGWINCH] = "SIGWINCH", [SIGIO] = "SIGIO", [SIGPWR] = "SIGPWR",
	[SIGSYS] = "SIGSYS",
};

static const char *const af_names[] = {
	[AF_UNSPEC] = "AF_UNSPEC", [AF_UNIX] = "AF_UNIX", [AF_INET] = "AF_INET",
	[AF_AX25] = "AF_AX25", [AF_IPX] = "AF_IPX", [AF_APPLETALK] = "AF_APPLETALK",
	[AF_NETROM] = "AF_NETROM", [AF_BRIDGE] = "AF_BRIDGE", [AF_ATMPVC] = "AF_ATMPVC",
	[AF_X25] = "AF_X25", [AF_INET6] = "AF_INET6", [AF_ROSE] = "AF_ROSE",
	[AF_DECnet] = "AF_DECnet", [AF_NETBEUI] = "AF_NETBEUI", [AF_SECURITY] = "AF_SECURITY",
	[AF_KEY] = "AF_KEY", [AF_NETLINK] = "AF_NETLINK", [AF_PACKET] = "AF_PACKET",
	[AF_ASH] = "AF_ASH", [AF_ECONET] = "AF_ECONET", [AF_ATMSVC] = "AF_ATMSVC",
	[AF_RDS] = "AF_RDS", [AF_SNA] = "AF_SNA", [AF_IRDA] = "AF_IRDA",
	[AF_PPPOX] = "AF_PPPOX", [AF_WANPIPE] = "AF_WANPIPE", [AF_LLC] = "AF_LLC",
	[AF_IB] = "AF_IB", [AF_MPLS] = "AF_MPLS", [AF_CAN] = "AF_CAN", [AF_TIPC] = "AF_TIPC",
	[AF_BLUETOOTH] = "AF_BLUETOOTH", [AF_IUCV] = "AF_IUCV", [AF_RXRPC] = "AF_RXRPC",
	[AF_ISDN] = "AF_ISDN", [AF_PHONET] = "AF_PHONET", [AF_IEEE802154] = "AF_IEEE802154",
	[AF_CAIF] = "AF_CAIF", [AF_ALG] = "AF_ALG", [AF_NFC] = "AF_NFC",
	[AF_VSOCK] = "AF_VSOCK", [AF_KCM] = "AF_KCM", [AF_QIPCRTR] = "AF_QIPCRTR",
	[AF_SMC] = "AF_SMC", [AF_XDP] = "AF_XDP",
};

static const char *const sock_types[] = {
	[SOCK_STREAM] = "SOCK_STREAM", [SOCK_DGRAM] = "SOCK_DGRAM", [SOCK_RAW] = "SOCK_RAW",
	[SOCK_RDM] = "SOCK_RDM", [SOCK_SEQPACKET] = "SOCK_SEQPACKET", [SOCK_DCCP] = "SOCK_DCCP",
	[SOCK_PACKET] = "SOCK_PACKET",
};

#define NAMES(a)	(a), sizeof(a) / sizeof((a)[0])

static const char *name_of(const char *const *names, size_t nr, uint64_t v)
{
	return v < nr ? names[v] : NULL;
}

/* "A|B|0x40": every bit named when a table entry matches, the rest in hex. */
static void put_flags(struct obuf *b, const struct flag_name *t, uint64_t v, bool any)
{
	for (; t->name; t++) {
		if (t->mask && (v & t->mask) == t->value) {
			if (any)
				obuf_putc(b, '|');
			obuf_puts(b, t->name);
			v &= ~t->mask;
			any = true;
		}
	}
	if (v || !any) {
		if (any)
			obuf_putc(b, '|');
		obuf_hex(b, v);
	}
}

static void fmt_open_flags(struct obuf *b, uint64_t v)
{
	switch (v & O_ACCMODE) {
	case O_WRONLY:
		obuf_puts(b, "O_WRONLY");
		break;
	case O_RDWR:
		obuf_puts(b, "O_RDWR");
		break;
	case O_RDONLY:
		obuf_puts(b, "O_RDONLY");
		break;
	default:
		obuf_puts(b, "O_ACCMODE");
	}
	v &= ~(uint64_t)O_ACCMODE;
	if (v)
		put_flags(b, open_flags, v, true);
}

static void fmt_mode(struct obuf *b, uint64_t v)
{
	if (!v) {
		obuf_putc(b, '0');
		return;
	}
	/* S_IRWXU and friends only when all three bits are there. */
	put_flags(b, mode_bits, v, false);
}

static void fmt_prot(struct obuf *b, uint64_t v)
{
	if (!v)
		obuf_puts(b, "PROT_NONE");
	else
		put_flags(b, prot_bits, v, false);
}

static void fmt_mmap_flags(struct obuf *b, uint64_t v)
{
	put_flags(b, mmap_flags, v, false);
}

static void fmt_access_mode(struct obuf *b, uint64_t v)
{
	if (!v)
		obuf_puts(b, "F_OK");
	else
		put_flags(b, access_bits, v, false);
}

static void put_named(struct obuf *b, const char *name, int64_t v)
{
	if (name)
		obuf_puts(b, name);
	else
		obuf_i64(b, v);
}

static void fmt_signal(struct obuf *b, uint64_t v)
{
	int64_t s = (int32_t)v;

	if (s >= 34 && s <= 64) {
		obuf_puts(b, "SIGRTMIN+");
		obuf_i64(b, s - 34);
		return;
	}
	put_named(b, s >= 0 ? name_of(NAMES(signal_names), s) : NULL, s);
}

static void fmt_ptrace_request(struct obuf *b, uint64_t v)
{
	const char *n = name_of(NAMES(ptrace_requests), v);

	if (!n && v >= 0x4200)
		n = name_of(NAMES(ptrace_requests_0x4200), v - 0x4200);
	put_named(b, n, (int64_t)v);
}

static void fmt_socket_domain(struct obuf *b, uint64_t v)
{
	put_named(b, name_of(NAMES(af_names), v), (int32_t)v);
}

static void fmt_socket_type(struct obuf *b, uint64_t v)
{
	uint64_t t = v & 0xf;

	put_named(b, name_of(NAMES(sock_types), t), (int64_t)t);
	v &= ~(uint64_t)0xf;
	if (v)
		put_flags(b, sock_type_flags, v, true);
}

static void fmt_clone_flags(struct obuf *b, uint64_t v)
{
	uint64_t sig = v & CSIGNAL;
	bool any = false;

	v &= ~(uint64_t)CSIGNAL;
	if (v) {
		put_flags(b, clone_flags, v, false);
		any = true;
	}
	if (sig || !any) {
		if (any)
			obuf_putc(b, '|');
		fmt_signal(b, sig);
	}
}

/* Which (event, argument) gets which formatter; event NULL = any event. */
struct arg_parser {
	const char *event;
	const char *arg;
	void (*fmt)(struct obuf *b, uint64_t v);
};

static const struct arg_parser arg_parsers[] = {
	{ "open", "flags", fmt_open_flags },
	{ "openat", "flags", fmt_open_flags },
	{ "openat2", "flags", fmt_open_flags },
	{ "security_file_open", "flags", fmt_open_flags },
	{ "open", "mode", fmt_mode },
	{ "openat", "mode", fmt_mode },
	{ "creat", "mode", fmt_mode },
	{ "mkdir", "mode", fmt_mode },
	{ "mkdirat", "mode", fmt_mode },
	{ "chmod", "mode", fmt_mode },
	{ "fchmod", "mode", fmt_mode },
	{ "fchmodat", "mode", fmt_mode },
	{ "mknod", "mode", fmt_mode },
	{ "mknodat", "mode", fmt_mode },
	{ "sched_process_exec", "inode_mode", fmt_mode },
	{ "sched_process_exec", "stdin_type", fmt_mode },
	{ "mmap", "prot", fmt_prot },
	{ "mprotect", "prot", fmt_prot },
	{ "pkey_mprotect", "prot", fmt_prot },
	{ "mem_prot_alert", "prot", fmt_prot },
	{ "mem_prot_alert", "prev_prot", fmt_prot },
	{ "mmap", "flags", fmt_mmap_flags },
	{ "ptrace", "request", fmt_ptrace_request },
	{ "kill", "sig", fmt_signal },
	{ "tkill", "sig", fmt_signal },
	{ "tgkill", "sig", fmt_signal },
	{ "rt_sigqueueinfo", "sig", fmt_signal },
	{ "socket", "domain", fmt_socket_domain },
	{ "socket", "type", fmt_socket_type },
	{ "socketpair", "domain", fmt_socket_domain },
	{ "socketpair", "type", fmt_socket_type },
	{ "security_socket_create", "family", fmt_socket_domain },
	{ "security_socket_create", "type", fmt_socket_type },
	{ "clone", "flags", fmt_clone_flags },
	{ "access", "mode", fmt_access_mode },
	{ "faccessat", "mode", fmt_access_mode },
	{ "faccessat2", "mode", fmt_access_mode },
	{ NULL, NULL, NULL }
};

/*
 * Per event id, per argument: the formatter, resolved once from the table
 * above (so the hot path is one array load).
 */
static void (*parser_of[TR_MAX_EVENT][TR_EVENT_ARGS])(struct obuf *, uint64_t);
static bool parsers_ready;

static void parsers_init(void)
{
	const struct arg_parser *p;
	unsigned int a;

	if (parsers_ready)
		return;
	for (p = arg_parsers; p->arg; p++) {
		const struct tr_event_def *d = events_by_name(p->event);

		if (!d || d->id < 0 || d->id >= TR_MAX_EVENT)
			continue;
		for (a = 0; a < d->nr_args && a < TR_EVENT_ARGS; a++)
			if (!strcmp(d->args[a].name, p->arg))
				parser_of[d->id][a] = p->fmt;
	}
	parsers_ready = true;
}

static inline void (*arg_parser(const struct tr_event *ev, unsigned int i))(struct obuf *, uint64_t)
{
	int id = ev->def->id;

	if (id < 0 || id >= TR_MAX_EVENT || i >= TR_EVENT_ARGS)
		return NULL;
	return parser_of[id][i];
}

/*
 * -------------------------------------------------------------------------
 * Entity ids: murmur3 (32-bit) of the big-endian (u32 tid, u64 start time),
 * the start time rounded down to USER_HZ ticks as Tracee does, so ids
 * computed from /proc readings match.
 * -------------------------------------------------------------------------
 */
static inline uint32_t rotl32(uint32_t x, int r)
{
	return (x << r) | (x >> (32 - r));
}

static uint32_t murmur3_32(const uint8_t *data, size_t len)
{
	const uint32_t c1 = 0xcc9e2d51, c2 = 0x1b873593;
	uint32_t h = 0, k;
	size_t i;

	for (i = 0; i + 4 <= len; i += 4) {
		k = (uint32_t)data[i] | (uint32_t)data[i + 1] << 8 |
		    (uint32_t)data[i + 2] << 16 | (uint32_t)data[i + 3] << 24;
		k *= c1;
		k = rotl32(k, 15);
		k *= c2;
		h ^= k;
		h = rotl32(h, 13);
		h = h * 5 + 0xe6546b64;
	}
	k = 0;
	switch (len & 3) {
	case 3:
		k ^= (uint32_t)data[i + 2] << 16;
		/* fallthrough */
	case 2:
		k ^= (uint32_t)data[i + 1] << 8;
		/* fallthrough */
	case 1:
		k ^= data[i];
		k *= c1;
		k = rotl32(k, 15);
		k *= c2;
		h ^= k;
	}
	h ^= len;
	h ^= h >> 16;
	h *= 0x85ebca6b;
	h ^= h >> 13;
	h *= 0xc2b2ae35;
	h ^= h >> 16;
	return h;
}

static uint32_t entity_id(uint32_t tid, uint64_t start_ns)
{
	uint8_t buf[12];
	int i;

	start_ns -= start_ns % 10000000ULL;	/* 1e9 / USER_HZ */
	for (i = 0; i < 4; i++)
		buf[i] = tid >> (24 - 8 * i);
	for (i = 0; i < 8; i++)
		buf[4 + i] = start_ns >> (56 - 8 * i);
	return murmur3_32(buf, sizeof(buf));
}

/*
 * -------------------------------------------------------------------------
 * Argument values
 * -------------------------------------------------------------------------
 */
static inline bool arg_hidden(const struct output *o, const struct tr_arg *a)
{
	return !o->opts.exec_env && a->name && a->name[0] == 'e' && !strcmp(a->name, "envp");
}

static uint16_t rd16be(const uint8_t *p)
{
	return (uint16_t)p[0] << 8 | p[1];
}

/* A struct sockaddr taken apart once, for either renderer. */
struct sa_view {
	const char *family;	/* "AF_INET", or fam_num */
	char fam_num[8];
	int fam;
	char addr[INET6_ADDRSTRLEN];
	char port[8];
	char flow[12];
	char scope[12];
	const char *path;	/* AF_UNIX: sun_path bytes (abstract: after the NUL) */
	size_t path_len;
	bool abstract;
	bool complete;		/* long enough for the family's fields */
};

static void sa_parse(struct sa_view *v, const uint8_t *p, uint32_t len)
{
	uint16_t family;
	uint32_t w;

	memset(v, 0, sizeof(*v));
	v->family = "AF_UNSPEC";
	v->fam = -1;
	if (len < 2)
		return;
	memcpy(&family, p, 2);
	v->fam = family;
	if (family < sizeof(af_names) / sizeof(af_names[0]) && af_names[family]) {
		v->family = af_names[family];
	} else {
		snprintf(v->fam_num, sizeof(v->fam_num), "%u", family);
		v->family = v->fam_num;
	}
	if (family == AF_UNIX) {
		const char *path = (const char *)p + 2;
		size_t n = len - 2;

		if (n && path[0] == '\0') {
			/* Abstract: shown as "@name"; trailing NULs of a fixed-size copy dropped. */
			while (n > 1 && path[n - 1] == '\0')
				n--;
			v->abstract = true;
			v->path = path + 1;
			v->path_len = n - 1;
		} else {
			v->path = path;
			v->path_len = strnlen(path, n);
		}
		v->complete = true;
	} else if (family == AF_INET && len >= 8) {
		inet_ntop(AF_INET, p + 4, v->addr, sizeof(v->addr));
		snprintf(v->port, sizeof(v->port), "%u", rd16be(p + 2));
		v->complete = true;
	} else if (family == AF_INET6 && len >= 24) {
		inet_ntop(AF_INET6, p + 8, v->addr, sizeof(v->addr));
		snprintf(v->port, sizeof(v->port), "%u", rd16be(p + 2));
		memcpy(&w, p + 4, 4);
		snprintf(v->flow, sizeof(v->flow), "%u", ntohl(w));
		w = 0;
		if (len >= 28)
			memcpy(&w, p + 24, 4);
		snprintf(v->scope, sizeof(v->scope), "%u", w);
		v->complete = true;
	}
}

/* JSON: Tracee's sockaddr map, keys in the order Go sorts them. */
static void json_sockaddr(struct json *j, const uint8_t *p, uint32_t len)
{
	struct sa_view v;

	sa_parse(&v, p, len);
	json_obj_begin(j);
	JSON_KEY(j, "sa_family");
	json_cstr(j, v.family);
	if (v.complete && v.fam == AF_UNIX) {
		JSON_KEY(j, "sun_path");
		json_value_begin(j);
		obuf_putc(j->b, '"');
		if (v.abstract)
			obuf_putc(j->b, '@');
		json_escape(j->b, v.path, v.path_len);
		obuf_putc(j->b, '"');
	} else if (v.complete && v.fam == AF_INET) {
		JSON_KEY(j, "sin_addr");
		json_cstr(j, v.addr);
		JSON_KEY(j, "sin_port");
		json_cstr(j, v.port);
	} else if (v.complete && v.fam == AF_INET6) {
		JSON_KEY(j, "sin6_addr");
		json_cstr(j, v.addr);
		JSON_KEY(j, "sin6_flowinfo");
		json_cstr(j, v.flow);
		JSON_KEY(j, "sin6_port");
		json_cstr(j, v.port);
		JSON_KEY(j, "sin6_scopeid");
		json_cstr(j, v.scope);
	}
	json_obj_end(j);
}

static void obuf_base64(struct obuf *b, const uint8_t *p, uint32_t len)
{
	static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	uint32_t i;

	if (!obuf_reserve(b, (len + 2) / 3 * 4))
		return;
	for (i = 0; i + 3 <= len; i += 3) {
		uint32_t v = p[i] << 16 | p[i + 1] << 8 | p[i + 2];
		char *o = b->p + b->len;

		o[0] = tab[v >> 18];
		o[1] = tab[(v >> 12) & 63];
		o[2] = tab[(v >> 6) & 63];
		o[3] = tab[v & 63];
		b->len += 4;
	}
	if (len - i == 1) {
		uint32_t v = p[i] << 16;
		char *o = b->p + b->len;

		o[0] = tab[v >> 18];
		o[1] = tab[(v >> 12) & 63];
		o[2] = o[3] = '=';
		b->len += 4;
	} else if (len - i == 2) {
		uint32_t v = p[i] << 16 | p[i + 1] << 8;
		char *o = b->p + b->len;

		o[0] = tab[v >> 18];
		o[1] = tab[(v >> 12) & 63];
		o[2] = tab[(v >> 6) & 63];
		o[3] = '=';
		b->len += 4;
	}
}

/* One {"name","type","value"[,"truncated"]} object. */
static void json_arg(const struct output *o, struct json *j, const struct tr_event *ev,
		     unsigned int i)
{
	const struct tr_arg *a = &ev->args[i];
	void (*parse)(struct obuf *, uint64_t) = NULL;
	bool trunc = false;

	if (o->opts.parse_arguments && (a->kind == TR_V_INT || a->kind == TR_V_UINT ||
					a->kind == TR_V_PTR))
		parse = arg_parser(ev, i);
	json_value_begin(j);
	LIT(j->b, "{\"name\":");
	put_qstr(j->b, a->name, strlen(a->name));
	LIT(j->b, ",\"type\":");
	if (parse)
		LIT(j->b, "\"string\"");
	else
		put_qstr(j->b, a->type, strlen(a->type));
	LIT(j->b, ",\"value\":");
	/* Continue inside this object as if at depth+1 after a key. */
	j->depth++;
	j->has_items |= 1ULL << (j->depth - 1);
	j->after_key = true;
	if (parse) {
		json_value_begin(j);
		obuf_putc(j->b, '"');
		parse(j->b, a->v.u);
		obuf_putc(j->b, '"');
		goto done;
	}
	switch (a->kind) {
	case TR_V_INT:
		json_int(j, a->v.i);
		break;
	case TR_V_UINT:
		/*
		 * sched_process_fork's start_time in epoch ns, as Tracee writes it
		 * and as threadStartTime is: a replay (tracee analyze) then matches
		 * the child's later events to it exactly.  The event's own offset
		 * (0 for replayed events, whose times are epoch already).
		 */
		if (ev->def->id == TR_EV_SCHED_PROCESS_FORK && a->v.u && ev->hdr->ts &&
		    !strcmp(a->name, "start_time")) {
			json_uint(j, a->v.u + (ev->timestamp_ns - ev->hdr->ts));
			break;
		}
		json_uint(j, a->v.u);
		break;
	case TR_V_PTR:
		if (o->opts.parse_arguments) {
			json_value_begin(j);
			obuf_putc(j->b, '"');
			obuf_hex(j->b, a->v.u);
			obuf_putc(j->b, '"');
		} else {
			json_uint(j, a->v.u);
		}
		break;
	case TR_V_BOOL:
		json_bool(j, a->v.u);
		break;
	case TR_V_STR:
		json_str(j, a->v.str.p, a->v.str.len);
		trunc = a->v.str.trunc;
		break;
	case TR_V_STRARR: {
		uint32_t pos = 0;
		struct tr_str s;

		json_arr_begin(j);
		while (decode_strarr_next(a, &pos, &s)) {
			json_str(j, s.p, s.len);
			trunc |= s.trunc;
		}
		json_arr_end(j);
		trunc |= a->v.arr.trunc;
		break;
	}
	case TR_V_SOCKADDR:
		json_sockaddr(j, a->v.raw.p, a->v.raw.len);
		break;
	case TR_V_BYTES:
		/* As Go marshals []byte: base64. */
		json_value_begin(j);
		obuf_putc(j->b, '"');
		obuf_base64(j->b, a->v.raw.p, a->v.raw.len);
		obuf_putc(j->b, '"');
		break;
	case TR_V_INT2:
		json_arr_begin(j);
		json_int(j, a->v.pair[0]);
		json_int(j, a->v.pair[1]);
		json_arr_end(j);
		break;
	case TR_V_TIMESPEC:
		json_seconds(j, a->v.ts.sec, a->v.ts.nsec);
		break;
	case TR_V_JSON:
		/* A replayed object or array: written back as it was read. */
		json_raw(j, (const char *)a->v.raw.p, a->v.raw.len);
		break;
	default:
		json_null(j);
	}
done:
	if (trunc) {
		json_key(j, "truncated");
		json_bool(j, true);
	}
	json_obj_end(j);
}

/*
 * -------------------------------------------------------------------------
 * JSON events
 * -------------------------------------------------------------------------
 */
static size_t cstrn(const char *s, size_t max)
{
	return strnlen(s, max);
}

static unsigned int visible_args(const struct output *o, const struct tr_event *ev)
{
	unsigned int i, n = 0;

	for (i = 0; i < ev->nr_args; i++)
		if (!arg_hidden(o, &ev->args[i]))
			n++;
	return n;
}

static const char *syscall_name(const struct tr_record_hdr *h)
{
	const struct tr_event_def *d;

	if (h->syscall < 0 || h->syscall >= TR_MAX_SYSCALL)
		return "";
	d = events_by_id(h->syscall);
	return d ? d->name : "";
}

/*
 * Everything from '{' up to and including "parentEntityId", in Tracee's order.
 * The fixed text between values is written as literal chunks: this is the
 * hot path.  ev may be NULL (a finding without a triggering event): zeros.
 */
static void json_head(struct obuf *b, const struct tr_event *ev, int64_t event_id,
		      const char *event_name, unsigned int args_num, bool with_syscall)
{
	static const struct tr_record_hdr zero;
	const struct tr_record_hdr *h = ev ? ev->hdr : &zero;
	const char *cid = ev && ev->container_id ? ev->container_id : "";
	const char *exe = ev && ev->executable ? ev->executable : "";
	uint64_t start = h->start_time, lstart, pstart;

	LIT(b, "{\"timestamp\":");
	obuf_u64(b, ev ? ev->timestamp_ns : 0);
	LIT(b, ",\"threadStartTime\":");
	obuf_u64(b, ev ? ev->thread_start_ns : 0);
	LIT(b, ",\"processorId\":");
	obuf_u64(b, h->cpu);
	LIT(b, ",\"processId\":");
	obuf_u64(b, h->pid);
	LIT(b, ",\"cgroupId\":");
	obuf_u64(b, h->cgroup_id);
	LIT(b, ",\"threadId\":");
	obuf_u64(b, h->tid);
	LIT(b, ",\"parentProcessId\":");
	obuf_u64(b, h->ppid);
	LIT(b, ",\"hostProcessId\":");
	obuf_u64(b, h->host_pid);
	LIT(b, ",\"hostThreadId\":");
	obuf_u64(b, h->host_tid);
	LIT(b, ",\"hostParentProcessId\":");
	obuf_u64(b, h->host_ppid);
	LIT(b, ",\"userId\":");
	obuf_u64(b, h->uid);
	LIT(b, ",\"mountNamespace\":");
	obuf_u64(b, h->mnt_ns);
	LIT(b, ",\"pidNamespace\":");
	obuf_u64(b, h->pid_ns);
	LIT(b, ",\"processName\":");
	put_qstr(b, h->comm, cstrn(h->comm, TR_COMM_LEN));
	LIT(b, ",\"executable\":{\"path\":");
	put_qstr(b, exe, strlen(exe));
	LIT(b, "},\"hostName\":");
	put_qstr(b, h->uts, cstrn(h->uts, TR_UTS_LEN));
	LIT(b, ",\"containerId\":");
	put_qstr(b, cid, strlen(cid));
	/* Go's omitempty on the members: {} when nothing is known. */
	output_json_container(b, ev);
	LIT(b, ",\"eventId\":\"");
	obuf_i64(b, event_id);
	LIT(b, "\",\"eventName\":");
	put_qstr(b, event_name, strlen(event_name));
	LIT(b, ",\"matchedPolicies\":[],\"argsNum\":");
	obuf_u64(b, args_num);
	LIT(b, ",\"returnValue\":");
	obuf_i64(b, ev && with_syscall ? h->retval : 0);
	LIT(b, ",\"syscall\":");
	if (ev && with_syscall) {
		const char *sc = syscall_name(h);

		put_qstr(b, sc, strlen(sc));
	} else {
		LIT(b, "\"\"");
	}
	LIT(b, ",\"stackAddresses\":[],\"contextFlags\":{\"containerStarted\":");
	if (*cid && ev->container_started)
		LIT(b, "true");
	else
		LIT(b, "false");
	LIT(b, ",\"isCompat\":");
	if (h->flags & TR_F_COMPAT)
		LIT(b, "true");
	else
		LIT(b, "false");
	/* The leader's and parent's start times come from the process tree when known. */
	lstart = ev && ev->leader_start_ns ? ev->leader_start_ns :
		 (h->host_pid == h->host_tid ? start : 0);
	pstart = ev ? ev->parent_start_ns : 0;
	LIT(b, "},\"threadEntityId\":");
	obuf_u64(b, ev ? entity_id(h->host_tid, start) : 0);
	LIT(b, ",\"processEntityId\":");
	obuf_u64(b, ev ? entity_id(h->host_pid, lstart) : 0);
	LIT(b, ",\"parentEntityId\":");
	obuf_u64(b, ev ? entity_id(h->host_ppid, pstart) : 0);
}

static void put_member(struct obuf *b, bool *first, const char *key, const char *v)
{
	if (!v || !v[0])
		return;		/* Go's omitempty */
	if (!*first)
		obuf_putc(b, ',');
	*first = false;
	obuf_putc(b, '"');
	obuf_puts(b, key);
	LIT(b, "\":");
	put_qstr(b, v, strlen(v));
}

void output_json_container(struct obuf *b, const struct tr_event *ev)
{
	const char *cid = ev && ev->container_id ? ev->container_id : "";
	const struct container_info *ci = ev && *cid ? ev->container : NULL;
	bool first = true;

	LIT(b, ",\"container\":{");
	put_member(b, &first, "id", cid);
	if (ci) {
		put_member(b, &first, "name", ci->name);
		put_member(b, &first, "image", ci->image);
		put_member(b, &first, "imageDigest", ci->image_digest);
	}
	LIT(b, "},\"kubernetes\":{");
	first = true;
	if (ci) {
		put_member(b, &first, "podName", ci->pod_name);
		put_member(b, &first, "podNamespace", ci->pod_namespace);
		put_member(b, &first, "podUID", ci->pod_uid);
		if (ci->pod_sandbox && first)
			LIT(b, "\"podSandbox\":true");
		else if (ci->pod_sandbox)
			LIT(b, ",\"podSandbox\":true");
	}
	obuf_putc(b, '}');
}

static void json_args(const struct output *o, struct json *j, const struct tr_event *ev)
{
	unsigned int i;

	json_arr_begin(j);
	for (i = 0; i < ev->nr_args; i++)
		if (!arg_hidden(o, &ev->args[i]))
			json_arg(o, j, ev, i);
	json_arr_end(j);
}

static void render_json(struct output *o, const struct tr_event *ev)
{
	struct json j;

	json_head(&o->buf, ev, ev->def->id, ev->def->name, visible_args(o, ev), true);
	LIT(&o->buf, ",\"args\":");
	json_init(&j, &o->buf);
	json_args(o, &j, ev);
	LIT(&o->buf, "}\n");
}

/*
 * -------------------------------------------------------------------------
 * Table
 * -------------------------------------------------------------------------
 */
#define W_TIME		15
#define W_UID		5
#define W_COMM		15
#define W_PID		6
#define W_RET		6
#define W_EVENT		14
#define W_UTS		16
#define W_NS		10

/* Text for a terminal: printable as is, the rest as C escapes (\n, \x1b). */
static void table_text(struct obuf *b, const char *str, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	const uint8_t *s = (const uint8_t *)str, *end = s + len;

	if (len > (SIZE_MAX - 16) / 8 || !obuf_reserve(b, len * 8 + 16))
		return;
	while (s < end) {
		char *o = b->p + b->len;
		uint8_t c = *s;

		if (c >= 0x20 && c < 0x7f && c != '\\') {
			*o = c;
			b->len++;
			s++;
			continue;
		}
		if (c >= 0x80) {
			size_t n = 0;

			if (c >= 0xc2 && c <= 0xdf && end - s >= 2 && (s[1] & 0xc0) == 0x80)
				n = c == 0xc2 && s[1] < 0xa0 ? 0 : 2;	/* C1 controls escaped */
			else if (c >= 0xe0 && c <= 0xef && end - s >= 3 && (s[1] & 0xc0) == 0x80 &&
				 (s[2] & 0xc0) == 0x80 && !(c == 0xe0 && s[1] < 0xa0) &&
				 !(c == 0xed && s[1] > 0x9f))
				n = 3;
			else if (c >= 0xf0 && c <= 0xf4 && end - s >= 4 && (s[1] & 0xc0) == 0x80 &&
				 (s[2] & 0xc0) == 0x80 && (s[3] & 0xc0) == 0x80 &&
				 !(c == 0xf0 && s[1] < 0x90) && !(c == 0xf4 && s[1] > 0x8f))
				n = 4;
			if (n) {
				memcpy(o, s, n);
				b->len += n;
				s += n;
				continue;
			}
		}
		o[0] = '\\';
		switch (c) {
		case '\\': o[1] = '\\'; b->len += 2; break;
		case '\n': o[1] = 'n'; b->len += 2; break;
		case '\t': o[1] = 't'; b->len += 2; break;
		case '\r': o[1] = 'r'; b->len += 2; break;
		default:
			o[1] = 'x';
			o[2] = hex[c >> 4];
			o[3] = hex[c & 0xf];
			b->len += 4;
		}
		s++;
	}
}

static void table_sockaddr(struct obuf *b, const uint8_t *p, uint32_t len)
{
	struct sa_view v;

	sa_parse(&v, p, len);
	obuf_puts(b, "map[sa_family:");
	obuf_puts(b, v.family);
	if (v.complete && v.fam == AF_UNIX) {
		obuf_puts(b, " sun_path:");
		if (v.abstract)
			obuf_putc(b, '@');
		table_text(b, v.path, v.path_len);
	} else if (v.complete && v.fam == AF_INET) {
		obuf_puts(b, " sin_addr:");
		obuf_puts(b, v.addr);
		obuf_puts(b, " sin_port:");
		obuf_puts(b, v.port);
	} else if (v.complete && v.fam == AF_INET6) {
		obuf_puts(b, " sin6_addr:");
		obuf_puts(b, v.addr);
		obuf_puts(b, " sin6_flowinfo:");
		obuf_puts(b, v.flow);
		obuf_puts(b, " sin6_port:");
		obuf_puts(b, v.port);
		obuf_puts(b, " sin6_scopeid:");
		obuf_puts(b, v.scope);
	}
	obuf_putc(b, ']');
}

static void table_arg(const struct output *o, struct obuf *b, const struct tr_event *ev,
		      unsigned int i)
{
	const struct tr_arg *a = &ev->args[i];
	void (*parse)(struct obuf *, uint64_t) = NULL;
	bool trunc = false;

	obuf_puts(b, a->name);
	obuf_put(b, ": ", 2);
	if (o->opts.parse_arguments && (a->kind == TR_V_INT || a->kind == TR_V_UINT ||
					a->kind == TR_V_PTR))
		parse = arg_parser(ev, i);
	if (parse) {
		parse(b, a->v.u);
		return;
	}
	switch (a->kind) {
	case TR_V_INT:
		obuf_i64(b, a->v.i);
		break;
	case TR_V_UINT:
		obuf_u64(b, a->v.u);
		break;
	case TR_V_PTR:
		obuf_hex(b, a->v.u);
		break;
	case TR_V_BOOL:
		obuf_puts(b, a->v.u ? "true" : "false");
		break;
	case TR_V_STR:
		table_text(b, a->v.str.p, a->v.str.len);
		trunc = a->v.str.trunc;
		break;
	case TR_V_STRARR: {
		uint32_t pos = 0;
		struct tr_str s;
		bool first = true;

		obuf_putc(b, '[');
		while (decode_strarr_next(a, &pos, &s)) {
			if (!first)
				obuf_putc(b, ' ');
			first = false;
			table_text(b, s.p, s.len);
			trunc |= s.trunc;
		}
		obuf_putc(b, ']');
		trunc |= a->v.arr.trunc;
		break;
	}
	case TR_V_SOCKADDR:
		table_sockaddr(b, a->v.raw.p, a->v.raw.len);
		break;
	case TR_V_BYTES:
		table_text(b, (const char *)a->v.raw.p, a->v.raw.len);
		break;
	case TR_V_INT2:
		obuf_putc(b, '[');
		obuf_i64(b, a->v.pair[0]);
		obuf_putc(b, ' ');
		obuf_i64(b, a->v.pair[1]);
		obuf_putc(b, ']');
		break;
	case TR_V_TIMESPEC:
		obuf_seconds(b, a->v.ts.sec, a->v.ts.nsec);
		break;
	case TR_V_JSON:
		table_text(b, (const char *)a->v.raw.p, a->v.raw.len);
		break;
	default:
		obuf_putc(b, '?');
	}
	if (trunc)
		obuf_puts(b, " [truncated]");
}

/* HH:MM:SS:uuuuuu in local time; localtime_r() once per second only. */
static void table_time(struct output *o, uint64_t epoch_ns)
{
	int64_t sec = epoch_ns / 1000000000ULL;

	if (sec != o->hms_sec) {
		time_t t = sec;
		struct tm tm;

		if (localtime_r(&t, &tm))
			snprintf(o->hms, sizeof(o->hms), "%02u:%02u:%02u",
				 (unsigned int)tm.tm_hour % 100, (unsigned int)tm.tm_min % 100,
				 (unsigned int)tm.tm_sec % 100);
		else
			memcpy(o->hms, "00:00:00", 9);
		o->hms_sec = sec;
	}
	obuf_put(&o->buf, o->hms, 8);
	obuf_putc(&o->buf, ':');
	obuf_u64_pad(&o->buf, (epoch_ns % 1000000000ULL) / 1000, 6);
}

static void col_end(struct obuf *b, size_t from, size_t width)
{
	obuf_pad(b, from, width);
	obuf_putc(b, ' ');
}

static void table_header(struct output *o)
{
	struct obuf *b = &o->buf;
	size_t at;

#define COL(text, w)	do { at = b->len; obuf_puts(b, text); col_end(b, at, w); } while (0)
	COL("TIME", W_TIME);
	if (o->kind == OUT_TABLE_VERBOSE) {
		COL("UTS_NAME", W_UTS);
		COL("MNT_NS", W_NS);
		COL("PID_NS", W_NS);
	}
	COL("UID", W_UID);
	COL("COMM", W_COMM);
	COL("PID", W_PID);
	COL("TID", W_PID);
	if (o->kind == OUT_TABLE_VERBOSE)
		COL("PPID", W_PID);
	COL("RET", W_RET);
	COL("EVENT", W_EVENT);
	obuf_puts(b, "ARGS\n");
#undef COL
}

/* The columns up to EVENT, for an event or a finding's triggering context. */
static void table_row_head(struct output *o, const struct tr_event *ev, int64_t ret,
			   const char *event_name)
{
	static const struct tr_record_hdr zero;
	const struct tr_record_hdr *h = ev ? ev->hdr : &zero;
	struct obuf *b = &o->buf;
	size_t at;

	table_time(o, ev ? ev->timestamp_ns : 0);
	obuf_putc(b, ' ');
	if (o->kind == OUT_TABLE_VERBOSE) {
		at = b->len;
		table_text(b, h->uts, cstrn(h->uts, TR_UTS_LEN));
		col_end(b, at, W_UTS);
		at = b->len;
		obuf_u64(b, h->mnt_ns);
		col_end(b, at, W_NS);
		at = b->len;
		obuf_u64(b, h->pid_ns);
		col_end(b, at, W_NS);
	}
	at = b->len;
	obuf_u64(b, h->uid);
	col_end(b, at, W_UID);
	at = b->len;
	table_text(b, h->comm, cstrn(h->comm, TR_COMM_LEN));
	col_end(b, at, W_COMM);
	at = b->len;
	obuf_u64(b, h->pid);
	col_end(b, at, W_PID);
	at = b->len;
	obuf_u64(b, h->tid);
	col_end(b, at, W_PID);
	if (o->kind == OUT_TABLE_VERBOSE) {
		at = b->len;
		obuf_u64(b, h->ppid);
		col_end(b, at, W_PID);
	}
	at = b->len;
	obuf_i64(b, ret);
	col_end(b, at, W_RET);
	at = b->len;
	obuf_puts(b, event_name);
	col_end(b, at, W_EVENT);
}

static void render_table(struct output *o, const struct tr_event *ev)
{
	struct obuf *b = &o->buf;
	unsigned int i;
	bool first = true;

	table_row_head(o, ev, ev->hdr->retval, ev->def->name);
	for (i = 0; i < ev->nr_args; i++) {
		/* Not captured: left out of the row (JSON says null). */
		if (arg_hidden(o, &ev->args[i]) || ev->args[i].kind == TR_V_NONE)
			continue;
		if (!first)
			obuf_put(b, ", ", 2);
		first = false;
		table_arg(o, b, ev, i);
	}
	obuf_putc(b, '\n');
}

/*
 * -------------------------------------------------------------------------
 * Writing
 * -------------------------------------------------------------------------
 */
/* true the first time only: one report per output, whichever thread fails */
static bool first_report(struct output *o)
{
	return !__atomic_exchange_n(&o->write_error_reported, true, __ATOMIC_RELAXED);
}

static void report_write_error(struct output *o, int err)
{
	const char *hint = err == ENOSPC ? "free some space or write elsewhere" :
			   err == EPIPE ? "the reader of the output went away" :
			   "check the output destination";

	/* No reader comes back to a pipe: nothing written here will ever arrive. */
	if (err == EPIPE)
		__atomic_store_n(&o->gone, true, __ATOMIC_RELEASE);
	if (!first_report(o))
		return;
	tr_err("output %s: write failed: %s (%s); events that cannot be written are counted as lost",
	       o->spec, strerror(err), hint);
}

/*
 * Write the whole buffer; 0 or -errno.  Blocks like any write to a pipe;
 * with a writer thread, *abandon (set at exit, with a signal to interrupt
 * the write) makes it give up with -ECANCELED.
 */
static int write_all(int fd, const char *p, size_t len, const int *abandon)
{
	while (len) {
		ssize_t n;

		if (abandon && __atomic_load_n(abandon, __ATOMIC_ACQUIRE))
			return -ECANCELED;
		n = write(fd, p, len);
		if (n > 0) {
			p += n;
			len -= n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN) {
			struct pollfd pfd = { .fd = fd, .events = POLLOUT };

			if (poll(&pfd, 1, 1000) > 0)
				continue;
			return -EAGAIN;
		}
		return n < 0 ? -errno : -EIO;
	}
	return 0;
}

/*
 * -------------------------------------------------------------------------
 * The writer thread
 * -------------------------------------------------------------------------
 */

/* Interrupts a write() blocked on a stuck destination at exit. */
#define WRITER_SIGNAL	(SIGRTMIN + 2)

static void on_writer_signal(int sig)
{
}

static bool writer_signal_ready(void)
{
	static int ready = -1;
	struct sigaction sa = { .sa_handler = on_writer_signal }, old;

	if (ready >= 0)
		return ready;
	/* No SA_RESTART: the blocked write() returns EINTR. Never take over a handler. */
	ready = !sigaction(WRITER_SIGNAL, NULL, &old) && old.sa_handler == SIG_DFL &&
		!(old.sa_flags & SA_SIGINFO) && !sigaction(WRITER_SIGNAL, &sa, NULL);
	return ready;
}

static uint64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void *writer_main(void *arg)
{
	struct output *o = arg;
	struct writer *w = o->w;
	struct wq_item it;
	int err;

	pthread_mutex_lock(&w->lock);
	for (;;) {
		while (!w->nr && !w->stop)
			pthread_cond_wait(&w->more, &w->lock);
		if (!w->nr)
			break;
		it = w->q[w->head];
		w->head = (w->head + 1) % WQ_SLOTS;
		w->nr--;
		pthread_mutex_unlock(&w->lock);

		err = write_all(o->fd, it.buf.p, it.buf.len, &w->abandon);
		if (err) {
			__atomic_fetch_add(&o->failed, it.nr_events, __ATOMIC_RELAXED);
			if (err == -ECANCELED) {
				if (first_report(o)) {
					tr_err("output %s: the destination took nothing for %d ms at exit; what was not written is counted as lost",
					       o->spec, DRAIN_MS);
				}
			} else {
				report_write_error(o, -err);
			}
		} else {
			__atomic_fetch_add(&o->written, it.nr_events, __ATOMIC_RELAXED);
		}

		pthread_mutex_lock(&w->lock);
		w->queued_events -= it.nr_events;
		w->nr_done++;
		w->progress_ms = mono_ms();
		it.buf.len = 0;
		if (w->nr_spare < WQ_SLOTS + 1)
			w->spare[w->nr_spare++] = it.buf;
		else
			obuf_fini(&it.buf);
		pthread_cond_broadcast(&w->progress);
	}
	w->done = true;
	pthread_cond_broadcast(&w->progress);
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

/*
 * Hand o->buf to the writer and continue in a spare buffer.  When WQ_SLOTS
 * buffers already wait, the current one is dropped instead (counted).
 * Never blocks on the destination.
 */
static int writer_handoff(struct output *o)
{
	struct writer *w = o->w;
	struct obuf next;
	int err = 0;

	pthread_mutex_lock(&w->lock);
	/* Slow but moving: wait for a slot, up to STUCK_MS after the last write. */
	while (w->nr >= WQ_SLOTS && !w->done) {
		uint64_t now = mono_ms(), until = w->progress_ms + STUCK_MS;
		struct timespec ts;

		if (now >= until)
			break;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += (until - now) / 1000;
		ts.tv_nsec += ((until - now) % 1000) * 1000000L;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&w->progress, &w->lock, &ts);
	}
	if (w->nr >= WQ_SLOTS) {
		__atomic_fetch_add(&o->failed, o->pending, __ATOMIC_RELAXED);
		o->overflow += o->pending;
		if (!w->overflow_reported) {
			w->overflow_reported = true;
			tr_err("output %s: the destination took nothing for %d ms (a full pipe nobody reads, a hung disk?); events that do not fit in its queue are dropped and counted as lost",
			       o->spec, STUCK_MS);
		}
		o->buf.len = 0;
		o->pending = 0;
		pthread_mutex_unlock(&w->lock);
		return -ENOBUFS;
	}
	if (w->nr_spare) {
		next = w->spare[--w->nr_spare];
	} else if (obuf_init(&next, OUT_BUF_SZ)) {
		pthread_mutex_unlock(&w->lock);
		/* No second buffer: keep this one; it is tried again next flush. */
		return -ENOMEM;
	}
	w->q[(w->head + w->nr) % WQ_SLOTS] = (struct wq_item){ o->buf, o->pending };
	w->nr++;
	w->queued_events += o->pending;
	pthread_cond_signal(&w->more);
	pthread_mutex_unlock(&w->lock);
	o->buf = next;
	o->pending = 0;
	return err;
}

static int writer_start(struct output *o)
{
	struct writer *w = calloc(1, sizeof(*w));
	sigset_t all, old;
	int err;

	if (!w)
		return -ENOMEM;
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->more, NULL);
	pthread_cond_init(&w->progress, NULL);
	w->progress_ms = mono_ms();
	o->w = w;
	/* Process signals (SIGINT, SIGTERM) stay with the main thread. */
	sigfillset(&all);
	sigdelset(&all, WRITER_SIGNAL);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	err = pthread_create(&w->thread, NULL, writer_main, o);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (err) {
		o->w = NULL;
		pthread_cond_destroy(&w->progress);
		pthread_cond_destroy(&w->more);
		pthread_mutex_destroy(&w->lock);
		free(w);
		return -err;
	}
	return 0;
}

/*
 * Let the writer finish what is queued (and end, with stop): as long as it
 * makes progress, DRAIN_MS more each time; then abandon the rest (counted
 * as failed), interrupting a blocked write().  Returns false when the
 * writer could not be brought to that point (still blocked in write()).
 */
static bool writer_settled(const struct writer *w, bool stop)
{
	return stop ? w->done : w->queued_events == 0;
}

static bool writer_drain(struct output *o, bool stop)
{
	struct writer *w = o->w;
	uint64_t seen;
	struct timespec ts;
	bool settled;
	int i;

	pthread_mutex_lock(&w->lock);
	if (stop) {
		w->stop = true;
		pthread_cond_signal(&w->more);
	}
	seen = w->nr_done;
	for (;;) {
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += DRAIN_MS / 1000;
		ts.tv_nsec += (DRAIN_MS % 1000) * 1000000L;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		while (!writer_settled(w, stop) && w->nr_done == seen)
			if (pthread_cond_timedwait(&w->progress, &w->lock, &ts) == ETIMEDOUT)
				break;
		if (writer_settled(w, stop) || w->nr_done == seen)
			break;
		seen = w->nr_done;
	}
	settled = writer_settled(w, stop);
	pthread_mutex_unlock(&w->lock);
	if (settled)
		return true;
	__atomic_store_n(&w->abandon, 1, __ATOMIC_RELEASE);
	/* Repeated: the first signal may land just before write() blocks. */
	for (i = 0; i < 200 && writer_signal_ready(); i++) {
		pthread_mutex_lock(&w->lock);
		settled = writer_settled(w, stop);
		pthread_mutex_unlock(&w->lock);
		if (settled)
			return true;
		pthread_kill(w->thread, WRITER_SIGNAL);
		usleep(10000);
	}
	pthread_mutex_lock(&w->lock);
	settled = writer_settled(w, stop);
	pthread_mutex_unlock(&w->lock);
	return settled;
}

static bool writer_stop(struct output *o)
{
	if (!writer_drain(o, true)) {
		pthread_detach(o->w->thread);
		return false;
	}
	pthread_join(o->w->thread, NULL);
	return true;
}

static void writer_free(struct writer *w)
{
	unsigned int i;

	for (i = 0; i < w->nr_spare; i++)
		obuf_fini(&w->spare[i]);
	pthread_cond_destroy(&w->progress);
	pthread_cond_destroy(&w->more);
	pthread_mutex_destroy(&w->lock);
	free(w);
}

int output_finish(struct output *o)
{
	int err;

	if (!o)
		return 0;
	if (o->kind == OUT_NET) {
		if (!o->ops->finish(o->net))
			tr_err("output %s: the receiver took nothing for %d ms at exit; what is left is counted as lost",
			       o->spec, SINK_DRAIN_MS);
		return 0;
	}
	err = output_flush(o);
	if (o->w && !writer_drain(o, false))
		tr_err("output %s: its writer is stuck in write(); the summary may miss its last events",
		       o->spec);
	return err;
}

/* Events handed over but not yet written (and not failed). */
static uint64_t writer_queued(struct output *o)
{
	uint64_t n;

	if (!o->w)
		return 0;
	pthread_mutex_lock(&o->w->lock);
	n = o->w->queued_events;
	pthread_mutex_unlock(&o->w->lock);
	return n;
}

/*
 * -------------------------------------------------------------------------
 * Flushing
 * -------------------------------------------------------------------------
 */
int output_flush(struct output *o)
{
	int err;

	if (!o || o->kind == OUT_NONE || o->kind == OUT_NET || o->buf.len == 0)
		return 0;
	if (o->w)
		return writer_handoff(o);
	err = write_all(o->fd, o->buf.p, o->buf.len, NULL);
	if (err) {
		o->failed += o->pending;
		report_write_error(o, -err);
	} else {
		o->written += o->pending;
	}
	o->buf.len = 0;
	o->pending = 0;
	return err;
}

/* After rendering one event (or finding) at buf[start..]: account, maybe flush. */
static int output_commit(struct output *o, size_t start)
{
	if (!obuf_ok(&o->buf)) {
		/* Out of memory while rendering: drop this event, keep the earlier ones. */
		o->buf.len = start;
		o->buf.oom = false;
		__atomic_fetch_add(&o->failed, 1, __ATOMIC_RELAXED);
		if (first_report(o)) {
			tr_err("output %s: out of memory formatting an event; it is counted as lost",
			       o->spec);
		}
		return -ENOMEM;
	}
	o->pending++;
	if (o->buf.len >= FLUSH_AT)
		return output_flush(o);
	return 0;
}

/*
 * A network sink gets each event as one JSON object (no newline) with the
 * view it came from, and queues its own message; buf is only scratch here.
 */
static int net_commit(struct output *o, const struct tr_event *ev, const struct tr_finding *f)
{
	struct sink_msg m = { .ev = ev, .f = f, .json = o->buf.p };
	int err;

	if (!obuf_ok(&o->buf) || !o->buf.len) {
		o->buf.oom = false;
		o->buf.len = 0;
		__atomic_fetch_add(&o->failed, 1, __ATOMIC_RELAXED);
		return -ENOMEM;
	}
	m.json_len = o->buf.len - 1;	/* without the newline */
	err = o->ops->push(o->net, &m);
	o->buf.len = 0;
	return err;
}

int output_event(struct output *o, const struct tr_event *ev)
{
	size_t start;

	if (!o || !ev || !ev->def || !ev->hdr)
		return -EINVAL;
	if (o->kind == OUT_NONE)
		return 0;
	start = o->buf.len;
	if (o->kind == OUT_JSON || o->kind == OUT_NET)
		render_json(o, ev);
	else
		render_table(o, ev);
	if (o->kind == OUT_NET)
		return net_commit(o, ev, NULL);
	return output_commit(o, start);
}

void output_stats(const struct output *o, struct output_stats *st)
{
	memset(st, 0, sizeof(*st));
	if (!o)
		return;
	st->spec = o->spec;
	st->written = __atomic_load_n(&o->written, __ATOMIC_RELAXED);
	st->failed = __atomic_load_n(&o->failed, __ATOMIC_RELAXED);
	st->dropped = o->overflow;
	if (o->kind == OUT_NET) {
		struct sink_stats ss = { 0 };

		o->ops->stats(o->net, &ss);
		st->written += ss.sent;
		st->failed += ss.dropped + ss.failed;
		st->dropped += ss.dropped;
		st->depth = ss.depth;
		st->reconnects = ss.reconnects;
	} else if (o->w) {
		pthread_mutex_lock(&o->w->lock);
		st->depth = o->w->queued_events;
		pthread_mutex_unlock(&o->w->lock);
	}
}

uint64_t output_written(const struct output *o)
{
	struct output_stats st;

	output_stats(o, &st);
	return st.written;
}

uint64_t output_failed(const struct output *o)
{
	struct output_stats st;

	output_stats(o, &st);
	return st.failed;
}

bool output_gone(const struct output *o)
{
	return o && __atomic_load_n(&o->gone, __ATOMIC_ACQUIRE);
}

uint64_t output_overflow(const struct output *o)
{
	struct output_stats st;

	output_stats(o, &st);
	return st.dropped;
}

void output_set_totals(struct output *o, uint64_t lost, uint64_t errors)
{
	if (!o)
		return;
	o->totals_set = true;
	o->total_lost = lost;
	o->total_errors = errors;
}

/*
 * -------------------------------------------------------------------------
 * Findings
 * -------------------------------------------------------------------------
 */

/* "TRC-105" -> 6105, "TRC-1010" -> 7010: a stable numeric eventId. */
static int64_t finding_event_id(const char *id)
{
	const char *p;
	int64_t n = 0;

	if (!id || strncmp(id, "TRC-", 4))
		return 6000;
	for (p = id + 4; *p >= '0' && *p <= '9' && n < 100000; p++)
		n = n * 10 + (*p - '0');
	if (*p || p == id + 4)
		return 6000;
	return 6000 + n;
}

/* Skip one JSON value at p (< end); returns the byte after it, or NULL. */
static const char *skip_ws(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	return p;
}

static const char *skip_string(const char *p, const char *end)
{
	if (p >= end || *p != '"')
		return NULL;
	for (p++; p < end; p++) {
		if (*p == '\\') {
			p++;
			continue;
		}
		if (*p == '"')
			return p + 1;
		if ((unsigned char)*p < 0x20)
			return NULL;
	}
	return NULL;
}

static const char *skip_value(const char *p, const char *end, int depth)
{
	p = skip_ws(p, end);
	if (p >= end || depth > JSON_MAX_DEPTH)
		return NULL;
	if (*p == '"')
		return skip_string(p, end);
	if (*p == '{' || *p == '[') {
		char close = *p == '{' ? '}' : ']';
		bool obj = *p == '{';

		p = skip_ws(p + 1, end);
		if (p < end && *p == close)
			return p + 1;
		for (;;) {
			if (obj) {
				p = skip_string(skip_ws(p, end), end);
				if (!p)
					return NULL;
				p = skip_ws(p, end);
				if (p >= end || *p != ':')
					return NULL;
				p++;
			}
			p = skip_value(p, end, depth + 1);
			if (!p)
				return NULL;
			p = skip_ws(p, end);
			if (p < end && *p == ',') {
				p++;
				continue;
			}
			if (p < end && *p == close)
				return p + 1;
			return NULL;
		}
	}
	/* numbers, true, false, null */
	{
		const char *s = p;

		while (p < end && (strchr("+-.eE0123456789", *p) || (*p >= 'a' && *p <= 'z')))
			p++;
		if (p == s)
			return NULL;
		if ((*s >= 'a' && *s <= 'z') && !(p - s == 4 && !strncmp(s, "true", 4)) &&
		    !(p - s == 5 && !strncmp(s, "false", 5)) && !(p - s == 4 && !strncmp(s, "null", 4)))
			return NULL;
		return p;
	}
}

/*
 * Walk the top-level members of the object text; for each, call emit (or
 * just count when j is NULL).  Returns the member count, or -1 when the
 * text is not a well-formed object (then nothing is trusted from it).
 */
static int data_members(const char *text, struct json *j)
{
	const char *end, *p;
	int n = 0;

	if (!text)
		return 0;
	end = text + strlen(text);
	p = skip_ws(text, end);
	if (p >= end || *p != '{')
		return -1;
	if (!skip_value(p, end, 0) || skip_ws(skip_value(p, end, 0), end) != end)
		return -1;
	p = skip_ws(p + 1, end);
	if (*p == '}')
		return 0;
	for (;;) {
		const char *k = p, *ke = skip_string(p, end), *v, *ve;

		v = skip_ws(ke, end) + 1;	/* past ':' */
		v = skip_ws(v, end);
		ve = skip_value(v, end, 1);
		if (j) {
			const char *type = *v == '"' ? "string" : *v == '{' ? "map[string]interface{}" :
					   *v == '[' ? "[]interface{}" : (*v == 't' || *v == 'f') ? "bool" :
					   *v == 'n' ? "unknown" : memchr(v, '.', ve - v) ? "float64" : "int";

			json_obj_begin(j);
			JSON_KEY(j, "name");
			json_raw(j, k, ke - k);
			JSON_KEY(j, "type");
			json_cstr(j, type);
			JSON_KEY(j, "value");
			json_raw(j, v, ve - v);
			json_obj_end(j);
		}
		n++;
		p = skip_ws(ve, end);
		if (*p == ',') {
			p = skip_ws(p + 1, end);
			continue;
		}
		return n;
	}
}

static void json_finding(struct output *o, const struct tr_finding *f)
{
	const struct tr_event *ev = f->event;
	struct json j;
	int nr_data = data_members(f->data_json, NULL);
	const char *const *t;

	if (nr_data < 0) {
		tr_verbose(1, "finding %s: its data is not a JSON object; left out", f->id);
		nr_data = 0;
	}
	json_head(&o->buf, ev, finding_event_id(f->id), f->name, nr_data + (ev ? 1 : 0), false);
	LIT(&o->buf, ",\"args\":");
	json_init(&j, &o->buf);
	json_arr_begin(&j);
	if (nr_data > 0)
		data_members(f->data_json, &j);
	if (ev) {
		json_obj_begin(&j);
		JSON_KEY(&j, "name");
		json_cstr(&j, "triggeredBy");
		JSON_KEY(&j, "type");
		json_cstr(&j, "unknown");
		JSON_KEY(&j, "value");
		json_obj_begin(&j);
		JSON_KEY(&j, "args");
		json_args(o, &j, ev);
		JSON_KEY(&j, "id");
		json_int(&j, ev->def->id);
		JSON_KEY(&j, "name");
		json_cstr(&j, ev->def->name);
		JSON_KEY(&j, "returnValue");
		json_int(&j, ev->hdr->retval);
		json_obj_end(&j);
		json_obj_end(&j);
	}
	json_arr_end(&j);
	LIT(&o->buf, ",\"metadata\":");
	json_init(&j, &o->buf);
	json_obj_begin(&j);
	JSON_KEY(&j, "Version");
	json_cstr(&j, f->version);
	JSON_KEY(&j, "Description");
	json_cstr(&j, f->description);
	JSON_KEY(&j, "Tags");
	json_arr_begin(&j);
	for (t = f->tags; t && *t; t++)
		json_cstr(&j, *t);
	json_arr_end(&j);
	/* A Go map: keys sorted. */
	JSON_KEY(&j, "Properties");
	json_obj_begin(&j);
	JSON_KEY(&j, "Category");
	json_cstr(&j, f->category);
	JSON_KEY(&j, "Severity");
	json_int(&j, f->severity);
	JSON_KEY(&j, "Technique");
	json_cstr(&j, f->technique);
	JSON_KEY(&j, "external_id");
	json_cstr(&j, f->external_id);
	JSON_KEY(&j, "signatureID");
	json_cstr(&j, f->id);
	JSON_KEY(&j, "signatureName");
	json_cstr(&j, f->name);
	json_obj_end(&j);
	json_obj_end(&j);
	LIT(&o->buf, "}\n");
}

static void table_finding(struct output *o, const struct tr_finding *f)
{
	struct obuf *b = &o->buf;

	table_row_head(o, f->event, 0, f->name ? f->name : "");
	obuf_puts(b, "id: ");
	table_text(b, f->id ? f->id : "", f->id ? strlen(f->id) : 0);
	obuf_puts(b, ", severity: ");
	obuf_i64(b, f->severity);
	obuf_puts(b, ", description: ");
	table_text(b, f->description ? f->description : "",
		   f->description ? strlen(f->description) : 0);
	if (f->event) {
		obuf_puts(b, ", triggeredBy: ");
		obuf_puts(b, f->event->def->name);
	}
	/* Which container, as a responder names it: its name once the runtime said it. */
	if (f->event && f->event->container_id && f->event->container_id[0]) {
		const struct container_info *ci = f->event->container;

		obuf_puts(b, ", container: ");
		if (ci && ci->name[0])
			table_text(b, ci->name, strlen(ci->name));
		else
			obuf_put(b, f->event->container_id, 12);
		if (ci && ci->image[0]) {
			obuf_puts(b, " (image ");
			table_text(b, ci->image, strlen(ci->image));
			obuf_putc(b, ')');
		}
		if (ci && ci->pod_name[0]) {
			obuf_puts(b, ", pod: ");
			if (ci->pod_namespace[0]) {
				table_text(b, ci->pod_namespace, strlen(ci->pod_namespace));
				obuf_putc(b, '/');
			}
			table_text(b, ci->pod_name, strlen(ci->pod_name));
		}
	}
	obuf_putc(b, '\n');
}

int output_finding(struct output *o, const struct tr_finding *f)
{
	size_t start;

	if (!o || !f || !f->name || (f->event && (!f->event->def || !f->event->hdr)))
		return -EINVAL;
	if (o->kind == OUT_NONE)
		return 0;
	start = o->buf.len;
	if (o->kind == OUT_JSON || o->kind == OUT_NET)
		json_finding(o, f);
	else
		table_finding(o, f);
	if (o->kind == OUT_NET)
		return net_commit(o, f->event, f);
	return output_commit(o, start);
}

/*
 * -------------------------------------------------------------------------
 * Setup and teardown
 * -------------------------------------------------------------------------
 */

/* "name=N" with N in [min, max]: 1, or -EINVAL (reported). */
static int opt_count(const char *opt, size_t at, unsigned int min, unsigned int max,
		     unsigned int *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(opt + at, &end, 10);
	if (!opt[at] || *end || errno || v < min || v > max || opt[at] == '-') {
		tr_err("bad value in -o option:%s (a whole number from %u to %u)", opt, min, max);
		return -EINVAL;
	}
	*out = v;
	return 1;
}

int output_parse_option(struct output_opts *o, const char *spec)
{
	const char *opt = spec + 7;

	if (strncmp(spec, "option:", 7))
		return 0;
	if (!strcmp(opt, "parse-arguments"))
		o->parse_arguments = true;
	else if (!strcmp(opt, "exec-env"))
		o->exec_env = true;
	else if (!strcmp(opt, "umask"))
		o->umask = true;
	else if (!strncmp(opt, "syslog-ca=", 10) && opt[10])
		o->syslog_ca = opt + 10;
	else if (!strncmp(opt, "syslog-cert=", 12) && opt[12])
		o->syslog_cert = opt + 12;
	else if (!strncmp(opt, "syslog-key=", 11) && opt[11])
		o->syslog_key = opt + 11;
	else if (!strncmp(opt, "webhook-timeout=", 16))
		return opt_count(opt, 16, 1, 600, &o->webhook_timeout_s);
	else if (!strncmp(opt, "webhook-batch=", 14))
		return opt_count(opt, 14, 1, 10000, &o->webhook_batch);
	else {
		tr_err("unknown output option '%s' in -o (use option:parse-arguments, option:exec-env, option:umask, option:syslog-ca=FILE, option:syslog-cert=FILE, option:syslog-key=FILE, option:webhook-timeout=SECONDS or option:webhook-batch=N)",
		       opt);
		return -EINVAL;
	}
	return 1;
}

/*
 * Open the file an output names, in a directory reached without symlinks
 * others planted (pathwalk.h).  A new file is created 0600, or with
 * option:umask 0666 less the process umask (the kernel applies it).  An
 * existing one is used only when it is not a symlink (never followed), and
 * is either a regular file owned by us with a single link (then truncated),
 * a FIFO owned by us, or a character device (/dev/null); anything else is
 * refused rather than overwritten on someone else's say-so.  On reopen
 * (SIGHUP) an existing file is appended to, never truncated.
 */
static int open_sink(struct output *o, bool *created, bool reopen)
{
	const char *path = o->path, *base;
	char err[PATH_MAX + 160];
	struct stat st;
	int dfd, fd, fl, fl_add = 0;

	*created = false;
	/* No directory symlink others planted in /tmp and the like is followed. */
	dfd = pathwalk_open_parent(path, &base, err, sizeof(err));
	if (dfd < 0) {
		if (dfd == -ELOOP || dfd == -EISDIR)
			tr_err("output %s: %s", o->spec, err);
		else
			tr_err("output %s: cannot create %s: %s (choose a file in a writable directory)",
			       o->spec, path, err);
		return -1;
	}
	fd = openat(dfd, base, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		    o->opts.umask ? 0666 : 0600);
	if (fd >= 0) {
		close(dfd);
		*created = true;
		return fd;
	}
	if (errno != EEXIST) {
		tr_err("output %s: cannot create %s: %s (choose a file in a writable directory)",
		       o->spec, path, strerror(errno));
		close(dfd);
		return -1;
	}
	/* O_NONBLOCK: a FIFO without a reader fails (ENXIO) instead of hanging. */
	fd = openat(dfd, base, O_WRONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	close(dfd);
	if (fd < 0) {
		if (errno == ELOOP)
			tr_err("output %s: %s is a symbolic link; refusing to follow it (name the target itself or another file)",
			       o->spec, path);
		else if (errno == ENXIO)
			tr_err("output %s: %s is a FIFO nobody reads (start the reader first)",
			       o->spec, path);
		else
			tr_err("output %s: cannot open %s: %s (name a regular file)", o->spec, path,
			       strerror(errno));
		return -1;
	}
	if (fstat(fd, &st))
		goto fail_errno;
	if (S_ISREG(st.st_mode)) {
		if (st.st_uid != geteuid()) {
			tr_err("output %s: %s exists and belongs to uid %u, not to us; refusing to overwrite it (remove it or name another file)",
			       o->spec, path, (unsigned int)st.st_uid);
			goto fail;
		}
		if (st.st_nlink > 1) {
			tr_err("output %s: %s has %lu hard links; refusing to overwrite it (remove it or name another file)",
			       o->spec, path, (unsigned long)st.st_nlink);
			goto fail;
		}
		if (!reopen && ftruncate(fd, 0))
			goto fail_errno;
		if (reopen)
			fl_add = O_APPEND;
	} else if (S_ISFIFO(st.st_mode)) {
		if (st.st_uid != geteuid()) {
			tr_err("output %s: FIFO %s belongs to uid %u, not to us; refusing to send events to it",
			       o->spec, path, (unsigned int)st.st_uid);
			goto fail;
		}
	} else if (!S_ISCHR(st.st_mode)) {
		tr_err("output %s: %s is not a regular file (name a file)", o->spec, path);
		goto fail;
	}
	fl = fcntl(fd, F_GETFL);
	if (fl < 0 || fcntl(fd, F_SETFL, (fl & ~O_NONBLOCK) | fl_add))
		goto fail_errno;
	return fd;
fail_errno:
	tr_err("output %s: %s: %s", o->spec, path, strerror(errno));
fail:
	close(fd);
	return -1;
}

bool output_is_net(const char *spec)
{
	return !strcmp(spec, "syslog") || !strncmp(spec, "syslog:", 7) ||
	       !strncmp(spec, "webhook:", 8);
}

static struct output *net_new(const char *spec, const struct output_opts *opts)
{
	static const struct output_opts none;
	struct output *o = calloc(1, sizeof(*o));

	if (!o)
		goto nomem;
	o->kind = OUT_NET;
	o->opts = opts ? *opts : none;
	o->fd = -1;
	o->spec = strdup(spec);
	if (!o->spec || obuf_init(&o->buf, 64 * 1024))
		goto nomem;
	if (!strncmp(spec, "syslog", 6)) {
		o->net = sink_syslog_new(spec, &o->opts, &o->ops);
	} else {
#ifdef HAVE_WEBHOOK
		o->net = sink_webhook_new(spec + 8, &o->opts, &o->ops);
#else
		tr_err("output %s: this tracee was built without libcurl (rebuild with libcurl4-openssl-dev for webhooks)",
		       spec);
#endif
	}
	if (!o->net)
		goto fail;	/* reported */
	return o;
nomem:
	tr_err("output %s: out of memory", spec);
fail:
	if (o) {
		obuf_fini(&o->buf);
		free(o->spec);
		free(o);
	}
	errno = EINVAL;
	return NULL;
}

struct output *output_new(const char *spec, const struct output_opts *opts)
{
	static const struct {
		const char *name;
		enum out_kind kind;
	} kinds[] = {
		{ "table", OUT_TABLE }, { "table-verbose", OUT_TABLE_VERBOSE },
		{ "json", OUT_JSON }, { "none", OUT_NONE },
	};
	struct output *o;
	bool created = false;
	size_t n;
	unsigned int i;

	if (!spec) {
		errno = EINVAL;
		return NULL;
	}
	parsers_init();
	if (output_is_net(spec))
		return net_new(spec, opts);
	n = strcspn(spec, ":");
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strlen(kinds[i].name) == n && !strncmp(spec, kinds[i].name, n))
			break;
	if (i == sizeof(kinds) / sizeof(kinds[0])) {
		tr_err("unknown output '%s' (use table, table-verbose, json or none, optionally :FILE)",
		       spec);
		errno = EINVAL;
		return NULL;
	}
	if (spec[n] == ':' && spec[n + 1] == '\0') {
		tr_err("output '%s' names no file (write %.*s:/path/to/file)", spec, (int)n, spec);
		errno = EINVAL;
		return NULL;
	}
	o = calloc(1, sizeof(*o));
	if (!o)
		goto err_nomem;
	o->kind = kinds[i].kind;
	if (opts)
		o->opts = *opts;
	o->fd = STDOUT_FILENO;
	o->hms_sec = -1;
	o->spec = strdup(spec);
	if (!o->spec || obuf_init(&o->buf, o->kind == OUT_NONE ? 64 : OUT_BUF_SZ))
		goto err_free_nomem;
	if (spec[n] == ':') {
		o->path = o->spec + n + 1;
		if (!strcmp(o->path, "-") || !strcmp(o->path, "/dev/stdout")) {
			o->fd = STDOUT_FILENO;
		} else if (!strcmp(o->path, "/dev/stderr")) {
			o->fd = STDERR_FILENO;
		} else if (o->kind != OUT_NONE) {
			o->fd = open_sink(o, &created, false);
			if (o->fd < 0)
				goto err_free;	/* reported */
			o->own_fd = true;
		}
	}
	if (o->kind == OUT_TABLE || o->kind == OUT_TABLE_VERBOSE)
		table_header(o);
	if (!obuf_ok(&o->buf))
		goto err_file;
	if (o->opts.writer_thread && o->kind != OUT_NONE) {
		int err = writer_start(o);

		if (err) {
			tr_err("output %s: cannot start its writer thread: %s", spec, strerror(-err));
			goto err_file;
		}
	}
	return o;

err_file:
	if (o->own_fd) {
		close(o->fd);
		if (created)
			unlink(o->path);	/* leave nothing half set up behind */
	}
err_free_nomem:
	obuf_fini(&o->buf);
	free(o->spec);
	free(o);
err_nomem:
	tr_err("output %s: out of memory", spec);
	errno = ENOMEM;
	return NULL;
err_free:
	obuf_fini(&o->buf);
	free(o->spec);
	free(o);
	errno = EINVAL;
	return NULL;
}

/*
 * The writer thread keeps using o->fd: dup3() puts the new file under the
 * same number in one step, so a write in flight finishes in the old file
 * and the next one goes to the new.  Nothing is lost or written twice.
 */
int output_reopen(struct output *o)
{
	bool created;
	int fd, err = 0;

	if (!o || !o->own_fd || o->fd < 0)
		return 0;
	fd = open_sink(o, &created, true);
	if (fd < 0)
		return -EIO;	/* reported; the old file keeps the events */
	if (dup3(fd, o->fd, O_CLOEXEC) < 0) {
		err = -errno;
		tr_err("output %s: reopen: %s", o->spec, strerror(errno));
	}
	close(fd);
	if (!err)
		tr_verbose(1, "output %s: reopened %s", o->spec, o->path);
	return err;
}

void output_free(struct output *o)
{
	if (!o)
		return;
	if (o->kind == OUT_NET) {
		o->ops->free(o->net);
		obuf_fini(&o->buf);
		free(o->spec);
		free(o);
		return;
	}
	if (o->kind == OUT_TABLE || o->kind == OUT_TABLE_VERBOSE) {
		struct obuf *b = &o->buf;

		obuf_puts(b, "End of events stream\nStats: {EventCount:");
		/* Accepted for writing; what then fails is LostWrCount. */
		obuf_u64(b, output_written(o) + writer_queued(o) + o->pending);
		obuf_puts(b, " ErrorCount:");
		obuf_u64(b, o->totals_set ? o->total_errors : 0);
		obuf_puts(b, " LostEvCount:");
		obuf_u64(b, o->totals_set ? o->total_lost : 0);
		obuf_puts(b, " LostWrCount:");
		obuf_u64(b, output_failed(o));
		obuf_puts(b, "}\n");
	}
	output_flush(o);
	if (o->w) {
		if (!writer_stop(o)) {
			/* Still blocked in write(): leave it what it uses. */
			tr_err("output %s: its writer is stuck in write() and was left behind",
			       o->spec);
			return;
		}
		writer_free(o->w);
		o->w = NULL;
	}
	if (o->own_fd && o->fd >= 0)
		close(o->fd);
	obuf_fini(&o->buf);
	free(o->spec);
	free(o);
}
