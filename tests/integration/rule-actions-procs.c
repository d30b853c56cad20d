// SPDX-License-Identifier: GPL-2.0
/*
 * rule-actions-procs - perform the behaviours of the process, privilege,
 * container-escape and network signatures (TRC-21xx) for real, under a
 * command name of the test's choosing, for tests/integration/
 * sig_live_procs_*.sh.
 *
 *   rule-actions-procs NAME MODE ARGS...
 *
 * NAME becomes the process's comm (prctl(PR_SET_NAME)) first.  Nothing
 * outlives the process: mounts are made in a private mount namespace of
 * its own, namespaces it creates die with it, traced children are killed.
 *
 *   attach | seize	       PTRACE_ATTACH (or PTRACE_SEIZE) a child, detach
 *   setregs | getregs	       attach a child, PTRACE_GETREGS, then
 *			       PTRACE_SETREGS with the same registers (or not)
 *   setuid-back UID	       setresuid(UID, UID, 0), then setresuid(0, 0, 0):
 *			       a setuid-root program taking root back
 *   setuid-drop UID	       setresuid(UID, UID, UID)
 *   chmod PATH MODE	       create PATH if missing (no write), fchmodat it
 *			       to MODE (octal)
 *   fchmod PATH MODE	       the same through fchmod(2) on an fd
 *   exec-noargv PATH	       execve(PATH) with an empty argv
 *   uffd UID FLAGS	       as UID (unless 0), userfaultfd(FLAGS); its
 *			       failure (EPERM) is not an error
 *   socket DOMAIN TYPE PROTO  socket(2) with these numbers, closed
 *   mount FSTYPE DIR	       FSTYPE mounted on DIR in a private mount
 *			       namespace
 *   setns NS		       setns(2) into this process's own NS
 *			       (/proc/self/ns/NS): a join that changes nothing
 *   unshare FLAGS	       unshare(FLAGS) (hex or decimal)
 *   fdwrite PATH | fdread PATH
 *			       open PATH with O_PATH, then reopen it through
 *			       /proc/self/fd/N for writing (or reading)
 *   drop-exec elf|script PATH
 *			       write an ELF (a copy of /bin/true) or a shell
 *			       script to PATH with write(2), chmod it 0755 and
 *			       execute it
 *   udp IP PORT	       connect a UDP socket to IP:PORT, send a byte
 *
 * Exits non-zero with one line on stderr when a step fails.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *prog = "rule-actions-procs";
static pid_t child = -1;	/* a traced child, killed whatever happens */

static void die(const char *what)
{
	fprintf(stderr, "%s: %s: %s\n", prog, what, strerror(errno));
	if (child > 0)
		kill(child, SIGKILL);
	exit(1);
}

/* a child that waits to be traced, then killed */
static pid_t sleeper(void)
{
	pid_t pid = fork();

	if (pid < 0)
		die("fork");
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);	/* never outlive the test */
		for (;;)
			pause();
	}
	child = pid;
	return pid;
}

static void reap(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

static int do_attach(int seize)
{
	pid_t pid = sleeper();
	int st;

	/* a seized tracee does not stop: interrupt it, detach needs a stop */
	if (seize) {
		if (ptrace(PTRACE_SEIZE, pid, NULL, NULL))
			die("PTRACE_SEIZE");
		if (ptrace(PTRACE_INTERRUPT, pid, NULL, NULL))
			die("PTRACE_INTERRUPT");
	} else if (ptrace(PTRACE_ATTACH, pid, NULL, NULL)) {
		die("PTRACE_ATTACH");
	}
	if (waitpid(pid, &st, 0) != pid)
		die("waitpid");
	if (ptrace(PTRACE_DETACH, pid, NULL, NULL))
		die("PTRACE_DETACH");
	reap(pid);
	return 0;
}

static int do_regs(int set)
{
	struct user_regs_struct regs;
	pid_t pid = sleeper();
	int st;

	if (ptrace(PTRACE_ATTACH, pid, NULL, NULL))
		die("PTRACE_ATTACH");
	if (waitpid(pid, &st, 0) != pid)
		die("waitpid");
	if (ptrace(PTRACE_GETREGS, pid, NULL, &regs))
		die("PTRACE_GETREGS");
	if (set && ptrace(PTRACE_SETREGS, pid, NULL, &regs))
		die("PTRACE_SETREGS");
	if (ptrace(PTRACE_DETACH, pid, NULL, NULL))
		die("PTRACE_DETACH");
	reap(pid);
	return 0;
}

static int do_chmod(const char *path, const char *mode, int by_fd)
{
	mode_t m = strtoul(mode, NULL, 8);
	int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);

	if (fd < 0)
		die(path);
	if (by_fd ? fchmod(fd, m) : fchmodat(AT_FDCWD, path, m, 0))
		die("chmod");
	close(fd);
	return 0;
}

static int do_uffd(const char *uid, const char *flags)
{
	uid_t u = strtoul(uid, NULL, 10);
	long fd;

	if (u && (setresgid(u, u, u) || setresuid(u, u, u)))
		die("setresuid");
	fd = syscall(SYS_userfaultfd, (int)strtol(flags, NULL, 0));
	if (fd >= 0)
		close(fd);
	else if (errno != EPERM)
		die("userfaultfd");
	return 0;
}

static int do_mount(const char *fstype, const char *dir)
{
	if (unshare(CLONE_NEWNS))
		die("unshare(CLONE_NEWNS)");
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
		die("private mounts");
	if (mount(fstype, dir, fstype, 0, NULL))
		die(fstype);
	return 0;
}

static int do_setns(const char *ns)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/proc/self/ns/%s", ns);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		die(path);
	if (setns(fd, 0))
		die("setns");
	close(fd);
	return 0;
}

static int do_fdopen(const char *path, int write)
{
	char via[64];
	int fd, wfd;

	fd = open(path, O_PATH | O_CLOEXEC);
	if (fd < 0)
		die(path);
	snprintf(via, sizeof(via), "/proc/self/fd/%d", fd);
	wfd = open(via, (write ? O_WRONLY : O_RDONLY) | O_CLOEXEC);
	if (wfd < 0)
		die(via);
	close(wfd);
	close(fd);
	return 0;
}

/* the whole of /bin/true in one write(2) at offset 0: one magic_write */
static int do_drop_exec(const char *kind, const char *path)
{
	static const char script[] = "#!/bin/sh\nexit 0\n";
	static char buf[1 << 20];
	char *argv[] = { (char *)path, NULL };
	ssize_t n = sizeof(script) - 1;
	const char *data = script;
	int fd;

	if (!strcmp(kind, "elf")) {
		fd = open("/bin/true", O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			die("/bin/true");
		n = read(fd, buf, sizeof(buf));
		if (n <= 0)
			die("read /bin/true");
		close(fd);
		data = buf;
	} else if (strcmp(kind, "script")) {
		fprintf(stderr, "%s: drop-exec: elf or script, not %s\n", prog, kind);
		exit(2);
	}
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		die(path);
	if (write(fd, data, n) != n)
		die("write");
	close(fd);
	if (chmod(path, 0755))
		die("chmod");
	execv(path, argv);
	die(path);
	return 1;
}

static int do_udp(const char *ip, const char *port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(atoi(port)) };
	int s;

	if (inet_pton(AF_INET, ip, &sa.sin_addr) != 1) {
		errno = EINVAL;
		die(ip);
	}
	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		die("socket");
	if (connect(s, (struct sockaddr *)&sa, sizeof(sa)))
		die("connect");
	if (send(s, "x", 1, 0) != 1)
		die("send");
	close(s);
	return 0;
}

int main(int argc, char **argv)
{
	const char *mode;

	if (argc < 3) {
		fprintf(stderr, "usage: rule-actions-procs NAME MODE ARGS... (see the source)\n");
		return 2;
	}
	prog = argv[1];
	if (prctl(PR_SET_NAME, argv[1], 0, 0, 0))
		die("PR_SET_NAME");
	mode = argv[2];
	argc -= 3;
	argv += 3;
	if (!strcmp(mode, "attach") || !strcmp(mode, "seize"))
		return do_attach(!strcmp(mode, "seize"));
	if (!strcmp(mode, "setregs") || !strcmp(mode, "getregs"))
		return do_regs(!strcmp(mode, "setregs"));
	if (!strcmp(mode, "setuid-back") && argc == 1) {
		uid_t u = strtoul(argv[0], NULL, 10);

		if (setresuid(u, u, 0) || setresuid(0, 0, 0))
			die("setresuid");
		return 0;
	}
	if (!strcmp(mode, "setuid-drop") && argc == 1) {
		uid_t u = strtoul(argv[0], NULL, 10);

		if (setresuid(u, u, u))
			die("setresuid");
		return 0;
	}
	if ((!strcmp(mode, "chmod") || !strcmp(mode, "fchmod")) && argc == 2)
		return do_chmod(argv[0], argv[1], !strcmp(mode, "fchmod"));
	if (!strcmp(mode, "exec-noargv") && argc == 1) {
		char *none[] = { NULL };

		syscall(SYS_execve, argv[0], none, environ);
		die(argv[0]);
	}
	if (!strcmp(mode, "uffd") && argc == 2)
		return do_uffd(argv[0], argv[1]);
	if (!strcmp(mode, "socket") && argc == 3) {
		int s = socket(atoi(argv[0]), atoi(argv[1]), atoi(argv[2]));

		if (s < 0)
			die("socket");
		close(s);
		return 0;
	}
	if (!strcmp(mode, "mount") && argc == 2)
		return do_mount(argv[0], argv[1]);
	if (!strcmp(mode, "setns") && argc == 1)
		return do_setns(argv[0]);
	if (!strcmp(mode, "unshare") && argc == 1) {
		if (unshare((int)strtol(argv[0], NULL, 0)))
			die("unshare");
		return 0;
	}
	if ((!strcmp(mode, "fdwrite") || !strcmp(mode, "fdread")) && argc == 1)
		return do_fdopen(argv[0], !strcmp(mode, "fdwrite"));
	if (!strcmp(mode, "drop-exec") && argc == 2)
		return do_drop_exec(argv[0], argv[1]);
	if (!strcmp(mode, "udp") && argc == 2)
		return do_udp(argv[0], argv[1]);
	fprintf(stderr, "%s: unknown mode or wrong arguments: %s\n", prog, mode);
	return 2;
}
