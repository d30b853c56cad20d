// SPDX-License-Identifier: GPL-2.0
/*
 * sig-actions - perform one signature's behaviour (or its benign twin) for
 * real, under a command name of the test's choosing, so that the
 * tests/integration/sig_live_*.sh scripts can tell the findings apart.
 *
 *   sig-actions NAME [SETUP...] MODE ARGS...
 *
 * NAME becomes the process's comm (prctl(PR_SET_NAME)) before anything
 * else happens.  SETUP steps run first, in a private mount namespace of
 * this process alone (unshare(CLONE_NEWNS), every mount made private), so
 * that nothing they do is seen outside it or outlives the process:
 *
 *   --tmpfs DIR	       a tmpfs over DIR
 *   --bind SRC DST	       SRC bind-mounted over DST
 *   --debugfs DIR	       debugfs mounted on DIR
 *   --cgroup1 NAME DIR	       the cgroup v1 named hierarchy NAME on DIR (no
 *			       controllers; destroyed when the namespace
 *			       goes, as it has no child cgroups)
 *   --mkfile PATH	       mknod(2) a regular file, mkdir(2) its parents:
 *			       a file exists without any open(2)
 *   --chdir DIR	       chdir(2): relative paths in MODE start there
 *
 * Modes:
 *
 *   open PATH r|w|rw [DATA]   open(2) PATH read-only, write-only or
 *			       read-write; write DATA if given; close
 *   rename OLD NEW	       rename(2)
 *   elf PATH		       create PATH, write an ELF header at offset 0
 *   text PATH		       create PATH, write a line of text at offset 0
 *   traceme		       ptrace(PTRACE_TRACEME)
 *   poke | peek	       attach to a child with ptrace, PTRACE_POKEDATA
 *			       (or PTRACE_PEEKDATA) a word of its memory, detach
 *   vmwrite | vmwrite-self    process_vm_writev() into a child (or itself)
 *   memwrite | memread | mapsread | memread-rel
 *			       open /proc/<child>/mem read-write and pwrite
 *			       a word (or read-only and pread it), or read
 *			       /proc/<child>/maps; -rel: chdir(/proc/<child>),
 *			       then pread "mem"
 *   wx | wr		       mmap read-write memory, mprotect it to
 *			       read+exec (or to read-only)
 *   memfd-exec FILE	       copy FILE into a memfd, fexecve it
 *   exec FILE		       execv FILE (the twin of memfd-exec)
 *   connect IP PORT	       listen on IP:PORT, connect to it, accept
 *   stdio-connect IP PORT     the same with fd 0 closed first: the
 *			       connecting socket is the standard input
 *   unix-connect PATH	       listen on an AF_UNIX socket at PATH, connect
 *
 * Exits non-zero with one line on stderr when a step fails.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE	/* memfd_create, process_vm_writev */
#endif
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__)
#define SIG_ACTIONS_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SIG_ACTIONS_ASAN 1
#endif
#endif

/*
 * Under `make check-sanitizers`: LeakSanitizer stops the world with ptrace
 * at exit, which fails in a helper that traces (or is traced by) another
 * process; this helper's leaks are not what the sanitizer run is for.  The
 * run's ASAN_OPTIONS ask for leak checks explicitly, which beats any
 * built-in default, so the helper runs itself again with them off (the
 * last setting of a sanitizer flag wins).
 */
static void leak_check_off(char **argv)
{
#ifdef SIG_ACTIONS_ASAN
	const char *o = getenv("ASAN_OPTIONS");
	char opts[2048];
	size_t n;

	if (!o || !strstr(o, "detect_leaks=1"))
		return;
	n = strlen(o);
	if (n >= 16 && !strcmp(o + n - 15, ":detect_leaks=0"))
		return;	/* already run again */
	if ((size_t)snprintf(opts, sizeof(opts), "%s:detect_leaks=0", o) >= sizeof(opts))
		return;
	setenv("ASAN_OPTIONS", opts, 1);
	execv("/proc/self/exe", argv);
#else
	(void)argv;
#endif
}

/* What the injection modes write into their child. */
static volatile unsigned long target_word = 0x5452414345453031ul;

static const char *prog = "sig-actions";

static void die(const char *what)
{
	fprintf(stderr, "%s: %s: %s\n", prog, what, strerror(errno));
	exit(1);
}

static void mkparents(const char *path)
{
	char buf[4096], *p;

	if (strlen(path) >= sizeof(buf))
		die("path too long");
	strcpy(buf, path);
	for (p = buf + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		if (mkdir(buf, 0755) && errno != EEXIST)
			die(buf);
		*p = '/';
	}
}

static int do_open(const char *path, const char *mode, const char *data)
{
	int flags = !strcmp(mode, "r") ? O_RDONLY : !strcmp(mode, "w") ? O_WRONLY : O_RDWR;
	int fd = open(path, flags);

	if (fd < 0)
		die(path);
	if (data && write(fd, data, strlen(data)) < 0)
		die("write");
	close(fd);
	return 0;
}

static int do_write(const char *path, int elf)
{
	static const unsigned char hdr[64] = { 0x7f, 'E', 'L', 'F', 2, 1, 1 };
	static const char txt[] = "just text, not a program\n";
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0755);

	if (fd < 0)
		die(path);
	if (elf ? write(fd, hdr, sizeof(hdr)) != sizeof(hdr) :
		  write(fd, txt, sizeof(txt) - 1) != sizeof(txt) - 1)
		die("write");
	close(fd);
	return 0;
}

/* A child that waits to be injected into; killed by reap(). */
static pid_t spawn(void)
{
	pid_t pid = fork();

	if (pid < 0)
		die("fork");
	if (pid == 0) {
		for (;;)
			pause();
	}
	return pid;
}

static void reap(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

static int do_ptrace(int poke)
{
	pid_t pid = spawn();
	int st;

	if (ptrace(PTRACE_ATTACH, pid, NULL, NULL))
		die("PTRACE_ATTACH");
	if (waitpid(pid, &st, 0) != pid)
		die("waitpid");
	errno = 0;
	if (poke) {
		if (ptrace(PTRACE_POKEDATA, pid, (void *)&target_word, (void *)0x1234ul))
			die("PTRACE_POKEDATA");
	} else if (ptrace(PTRACE_PEEKDATA, pid, (void *)&target_word, NULL) == -1 && errno) {
		die("PTRACE_PEEKDATA");
	}
	if (ptrace(PTRACE_DETACH, pid, NULL, NULL))
		die("PTRACE_DETACH");
	reap(pid);
	return 0;
}

static int do_vmwrite(int self)
{
	unsigned long v = 0x1234;
	struct iovec local = { &v, sizeof(v) };
	struct iovec remote = { (void *)&target_word, sizeof(target_word) };
	pid_t pid = self ? getpid() : spawn();

	if (process_vm_writev(pid, &local, 1, &remote, 1, 0) != sizeof(v))
		die("process_vm_writev");
	if (!self)
		reap(pid);
	return 0;
}

static int do_procmem(const char *what)
{
	unsigned long v = 0x1234;
	char path[64];
	pid_t pid = spawn();
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid,
		 !strcmp(what, "mapsread") ? "maps" : "mem");
	if (!strcmp(what, "memread-rel")) {
		*strrchr(path, '/') = '\0';
		if (chdir(path))
			die(path);
		strcpy(path, "mem");
		what = "memread";
	}
	fd = open(path, !strcmp(what, "memwrite") ? O_RDWR : O_RDONLY);
	if (fd < 0)
		die(path);
	if (!strcmp(what, "memwrite")) {
		if (pwrite(fd, &v, sizeof(v), (off_t)(unsigned long)&target_word) != sizeof(v))
			die("pwrite");
	} else if (!strcmp(what, "memread")) {
		if (pread(fd, &v, sizeof(v), (off_t)(unsigned long)&target_word) != sizeof(v))
			die("pread");
	} else if (read(fd, path, sizeof(path)) < 0) {
		die("read");
	}
	close(fd);
	reap(pid);
	return 0;
}

static int do_mprotect(int exec)
{
	long pg = sysconf(_SC_PAGESIZE);
	void *p = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		die("mmap");
	memset(p, 0xc3, pg);	/* "ret": code written at run time */
	if (mprotect(p, pg, exec ? PROT_READ | PROT_EXEC : PROT_READ))
		die("mprotect");
	munmap(p, pg);
	return 0;
}

static int do_memfd_exec(const char *file, char **argv)
{
	char buf[65536];
	int in = open(file, O_RDONLY), fd = memfd_create("payload", 0);
	ssize_t n;

	if (in < 0 || fd < 0)
		die(in < 0 ? file : "memfd_create");
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(fd, buf, n) != n)
			die("write memfd");
	if (n < 0)
		die("read");
	close(in);
	fexecve(fd, argv, environ);
	die("fexecve");
	return 1;
}

static int do_connect(const char *ip, const char *port, int stdio)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(atoi(port)) };
	int one = 1, l, c, a;

	if (inet_pton(AF_INET, ip, &sa.sin_addr) != 1) {
		errno = EINVAL;
		die(ip);
	}
	l = socket(AF_INET, SOCK_STREAM, 0);
	if (l < 0 || setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(l, (struct sockaddr *)&sa, sizeof(sa)) || listen(l, 1))
		die("listen");
	if (stdio)
		close(0);
	c = socket(AF_INET, SOCK_STREAM, 0);
	if (c < 0)
		die("socket");
	if (stdio && c != 0) {
		errno = EBADF;
		die("the socket did not get fd 0");
	}
	if (connect(c, (struct sockaddr *)&sa, sizeof(sa)))
		die("connect");
	a = accept(l, NULL, NULL);
	if (a < 0)
		die("accept");
	close(a);
	close(c);
	close(l);
	return 0;
}

static int do_unix_connect(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int l, c;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		errno = ENAMETOOLONG;
		die(path);
	}
	strcpy(sa.sun_path, path);
	unlink(path);
	l = socket(AF_UNIX, SOCK_STREAM, 0);
	if (l < 0 || bind(l, (struct sockaddr *)&sa, sizeof(sa)) || listen(l, 1))
		die("listen");
	c = socket(AF_UNIX, SOCK_STREAM, 0);
	if (c < 0 || connect(c, (struct sockaddr *)&sa, sizeof(sa)))
		die("connect");
	close(c);
	close(l);
	unlink(path);
	return 0;
}

static void private_ns(void)
{
	static int done;

	if (done++)
		return;
	if (unshare(CLONE_NEWNS))
		die("unshare(CLONE_NEWNS)");
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
		die("make / private");
}

/* The SETUP options; returns how many arguments they took. */
static int setup(int argc, char **argv)
{
	char opts[256];
	int i = 0;

	while (i < argc && !strncmp(argv[i], "--", 2)) {
		const char *o = argv[i];

		private_ns();
		if (!strcmp(o, "--tmpfs") && i + 1 < argc) {
			if (mount("sigtest", argv[i + 1], "tmpfs", 0, "size=1m"))
				die(argv[i + 1]);
			i += 2;
		} else if (!strcmp(o, "--bind") && i + 2 < argc) {
			if (mount(argv[i + 1], argv[i + 2], NULL, MS_BIND, NULL))
				die(argv[i + 2]);
			i += 3;
		} else if (!strcmp(o, "--debugfs") && i + 1 < argc) {
			if (mount("debugfs", argv[i + 1], "debugfs", 0, NULL))
				die(argv[i + 1]);
			i += 2;
		} else if (!strcmp(o, "--cgroup1") && i + 2 < argc) {
			snprintf(opts, sizeof(opts), "none,name=%s", argv[i + 1]);
			if (mount("cgroup", argv[i + 2], "cgroup", 0, opts))
				die(argv[i + 2]);
			i += 3;
		} else if (!strcmp(o, "--chdir") && i + 1 < argc) {
			if (chdir(argv[i + 1]))
				die(argv[i + 1]);
			i += 2;
		} else if (!strcmp(o, "--mkfile") && i + 1 < argc) {
			mkparents(argv[i + 1]);
			if (mknod(argv[i + 1], S_IFREG | 0644, 0))
				die(argv[i + 1]);
			i += 2;
		} else {
			fprintf(stderr, "sig-actions: unknown setup step or missing arguments: %s\n", o);
			exit(2);
		}
	}
	return i;
}

int main(int argc, char **argv)
{
	const char *mode;
	int n;

	leak_check_off(argv);
	if (argc < 3) {
		fprintf(stderr, "usage: sig-actions NAME MODE ARGS... (see the source)\n");
		return 2;
	}
	prog = argv[1];
	if (prctl(PR_SET_NAME, argv[1], 0, 0, 0))
		die("PR_SET_NAME");
	argc -= 2;
	argv += 2;
	n = setup(argc, argv);
	argc -= n;
	argv += n;
	if (argc < 1) {
		fprintf(stderr, "sig-actions: no mode after the setup steps\n");
		return 2;
	}
	mode = argv[0];
	argc--;
	argv++;
	if (!strcmp(mode, "open") && argc >= 2)
		return do_open(argv[0], argv[1], argc > 2 ? argv[2] : NULL);
	if (!strcmp(mode, "rename") && argc == 2) {
		if (rename(argv[0], argv[1]))
			die(argv[1]);
		return 0;
	}
	if ((!strcmp(mode, "elf") || !strcmp(mode, "text")) && argc == 1)
		return do_write(argv[0], !strcmp(mode, "elf"));
	if (!strcmp(mode, "traceme")) {
		if (ptrace(PTRACE_TRACEME, 0, NULL, NULL))
			die("PTRACE_TRACEME");
		return 0;
	}
	if (!strcmp(mode, "poke") || !strcmp(mode, "peek"))
		return do_ptrace(!strcmp(mode, "poke"));
	if (!strcmp(mode, "vmwrite") || !strcmp(mode, "vmwrite-self"))
		return do_vmwrite(!strcmp(mode, "vmwrite-self"));
	if (!strcmp(mode, "memwrite") || !strcmp(mode, "memread") || !strcmp(mode, "mapsread") ||
	    !strcmp(mode, "memread-rel"))
		return do_procmem(mode);
	if (!strcmp(mode, "wx") || !strcmp(mode, "wr"))
		return do_mprotect(!strcmp(mode, "wx"));
	if (!strcmp(mode, "memfd-exec") && argc >= 1)
		return do_memfd_exec(argv[0], argv);
	if (!strcmp(mode, "exec") && argc >= 1) {
		execv(argv[0], argv);
		die(argv[0]);
	}
	if ((!strcmp(mode, "connect") || !strcmp(mode, "stdio-connect")) && argc == 2)
		return do_connect(argv[0], argv[1], !strcmp(mode, "stdio-connect"));
	if (!strcmp(mode, "unix-connect") && argc == 1)
		return do_unix_connect(argv[0]);
	fprintf(stderr, "sig-actions: unknown mode or wrong arguments: %s\n", mode);
	return 2;
}
