// SPDX-License-Identifier: GPL-2.0
/*
 * argfmt.c - argument values as words: option:parse-arguments' names for
 * flags, modes, protections, signals, ptrace requests, socket domains and
 * types, clone flags; and struct sockaddr taken apart, once, for every
 * renderer (JSON, table, Lua's e.args).
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "argfmt.h"
#include "events.h"

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
	F(MAP_FIXED), F(MAP_ANONYMOUS),
#ifdef MAP_32BIT	/* x86 only: elsewhere 0x40 is no flag */
	F(MAP_32BIT),
#endif
	F(MAP_GROWSDOWN), F(MAP_DENYWRITE),
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
	[PTRACE_ATTACH] = "PTRACE_ATTACH", [PTRACE_DETACH] = "PTRACE_DETACH",
	[PTRACE_SYSCALL] = "PTRACE_SYSCALL",
	[PTRACE_SYSEMU] = "PTRACE_SYSEMU", [PTRACE_SYSEMU_SINGLESTEP] = "PTRACE_SYSEMU_SINGLESTEP",
#ifdef __x86_64__	/* x86's own requests: other architectures have none of these */
	[PTRACE_GETREGS] = "PTRACE_GETREGS", [PTRACE_SETREGS] = "PTRACE_SETREGS",
	[PTRACE_GETFPREGS] = "PTRACE_GETFPREGS", [PTRACE_SETFPREGS] = "PTRACE_SETFPREGS",
	[PTRACE_GETFPXREGS] = "PTRACE_GETFPXREGS", [PTRACE_SETFPXREGS] = "PTRACE_SETFPXREGS",
	[PTRACE_GET_THREAD_AREA] = "PTRACE_GET_THREAD_AREA",
	[PTRACE_SET_THREAD_AREA] = "PTRACE_SET_THREAD_AREA",
	[PTRACE_ARCH_PRCTL] = "PTRACE_ARCH_PRCTL",
	[PTRACE_SINGLEBLOCK] = "PTRACE_SINGLEBLOCK",
#endif
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

void argfmt_init(void)
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

void (*argfmt_of(const struct tr_event *ev, unsigned int i))(struct obuf *, uint64_t)
{
	int id = ev->def->id;

	if (id < 0 || id >= TR_MAX_EVENT || i >= TR_EVENT_ARGS)
		return NULL;
	return parser_of[id][i];
}

static uint16_t rd16be(const uint8_t *p)
{
	return (uint16_t)p[0] << 8 | p[1];
}

/*
 * The one reading of a struct sockaddr, for the JSON and table renderers and
 * for Lua's e.args: AF_INET from 8 bytes, AF_INET6 from 24 (the kernel's
 * SIN6_LEN_RFC2133: sin6_scope_id is optional, 0 when absent), AF_UNIX from
 * the family on.
 */
void sa_parse(struct sa_view *v, const uint8_t *p, uint32_t len)
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
