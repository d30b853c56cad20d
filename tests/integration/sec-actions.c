// SPDX-License-Identifier: GPL-2.0
/*
 * sec-actions - perform one behaviour per security event class, for real,
 * so that tests/integration/events_security.sh can check what tracee saw.
 *
 *   sec-actions open DIR NAME	   chdir(DIR), openat(AT_FDCWD, NAME): relative
 *   sec-actions openat DIR NAME   openat(open(DIR), NAME): dirfd-based
 *   sec-actions opens DIR NAME	   open(2), creat(2) and openat2(2) of DIR/NAME
 *				   by their syscall numbers
 *   sec-actions deep BASE LEN	   under BASE, a file whose absolute path is
 *				   LEN bytes, opened relative to its directory;
 *				   prints the absolute path
 *   sec-actions inet PORT	   bind, listen, connect, accept on 127.0.0.1
 *   sec-actions inet6 PORT	   the same on ::1
 *   sec-actions unix PATH	   the same on an AF_UNIX socket at PATH
 *   sec-actions mmap-wx	   mmap of anonymous W+X memory; prints the address
 *   sec-actions mprotect	   RW memory made R+X, then R+W+X; prints the address
 *   sec-actions magic PATH	   write 40 bytes at offset 0 (and more after),
 *				   pwrite64 at 0 of PATH.p, writev at 0 of PATH.v
 *   sec-actions setgid GID	   setgid(GID)
 *   sec-actions unshare-uts	   unshare(CLONE_NEWUTS); prints the new uts ns inode
 *   sec-actions rename NAME	   prctl(PR_SET_NAME, NAME)
 *   sec-actions signal		   SIGUSR1 to itself, handled
 *   sec-actions cgroup DIR	   mkdir(DIR) then rmdir(DIR)
 *
 * Prints what the test needs on stdout; exits non-zero with a message when
 * a step fails.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <unistd.h>

static void die(const char *what)
{
	fprintf(stderr, "sec-actions: %s: %s\n", what, strerror(errno));
	exit(1);
}

static int do_open(const char *dir, const char *name, bool use_dirfd)
{
	int dfd = AT_FDCWD, fd;

	if (use_dirfd) {
		dfd = open(dir, O_RDONLY | O_DIRECTORY);
		if (dfd < 0)
			die(dir);
	} else if (chdir(dir)) {
		die(dir);
	}
	fd = openat(dfd, name, O_RDONLY);
	if (fd < 0)
		die(name);
	printf("%d\n", fd);
	return 0;
}

/* Nested 200-byte directories under base, then a file: absolute path of len bytes. */
static int do_deep(const char *base, size_t len)
{
	char comp[256], name[256];
	size_t cur = strlen(base);
	char *path;

	if (chdir(base))
		die(base);
	path = malloc(len + 512);
	if (!path)
		die("malloc");
	strcpy(path, base);
	memset(comp, 'd', 200);
	comp[200] = '\0';
	/* leave room for "/" + a file name of 1..200 bytes */
	while (cur + 1 + 200 + 1 + 1 < len) {
		if (mkdir(comp, 0755) && errno != EEXIST)
			die("mkdir");
		if (chdir(comp))
			die("chdir");
		strcat(path, "/");
		strcat(path, comp);
		cur += 201;
	}
	memset(name, 'f', sizeof(name));
	name[len - cur - 1] = '\0';
	if (close(open(name, O_WRONLY | O_CREAT, 0644)))
		die("create");
	strcat(path, "/");
	strcat(path, name);
	if (open(name, O_RDONLY) < 0)
		die("open deep");
	printf("%s\n", path);
	return 0;
}

static int do_net(int family, const char *where)
{
	struct sockaddr_storage ss = { 0 };
	socklen_t len;
	int s, c, a;

	if (family == AF_INET) {
		struct sockaddr_in *in = (void *)&ss;

		in->sin_family = AF_INET;
		in->sin_port = htons(atoi(where));
		in->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		len = sizeof(*in);
	} else if (family == AF_INET6) {
		struct sockaddr_in6 *in6 = (void *)&ss;

		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons(atoi(where));
		in6->sin6_addr = in6addr_loopback;
		len = sizeof(*in6);
	} else {
		struct sockaddr_un *un = (void *)&ss;

		un->sun_family = AF_UNIX;
		snprintf(un->sun_path, sizeof(un->sun_path), "%s", where);
		len = offsetof(struct sockaddr_un, sun_path) + strlen(un->sun_path) + 1;
		unlink(where);
	}
	s = socket(family, SOCK_STREAM, 0);
	if (s < 0)
		die("socket");
	if (family != AF_UNIX)
		setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &(int){ 1 }, sizeof(int));
	if (bind(s, (struct sockaddr *)&ss, len))
		die("bind");
	if (listen(s, 7))
		die("listen");
	c = socket(family, SOCK_STREAM, 0);
	if (c < 0)
		die("socket");
	if (connect(c, (struct sockaddr *)&ss, len))
		die("connect");
	a = accept(s, NULL, NULL);
	if (a < 0)
		die("accept");
	printf("%d %d %d\n", s, c, a);
	if (family == AF_UNIX)
		unlink(where);
	return 0;
}

static int do_magic(const char *path)
{
	static const char magic[40] = "\x7f" "ELF\x02\x01\x01 tracee magic write test bytes";
	struct iovec iov[2] = { { (void *)magic, 8 }, { (void *)(magic + 8), 32 } };
	char p2[4096];
	int fd;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		die(path);
	if (write(fd, magic, sizeof(magic)) != sizeof(magic) ||
	    write(fd, "second write, not at 0", 22) != 22)
		die("write");
	close(fd);
	snprintf(p2, sizeof(p2), "%s.p", path);
	fd = open(p2, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || pwrite(fd, magic, 16, 0) != 16)
		die("pwrite");
	close(fd);
	snprintf(p2, sizeof(p2), "%s.v", path);
	fd = open(p2, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || writev(fd, iov, 2) != 40)
		die("writev");
	close(fd);
	return 0;
}

/* The three other ways to open: no libc wrapper turns them into openat. */
static int do_opens(const char *dir, const char *name)
{
	struct {
		unsigned long long flags, mode, resolve;
	} how = { 0 };	/* struct open_how, O_RDONLY */

	if (chdir(dir))
		die(dir);
	if (syscall(SYS_open, name, O_RDONLY) < 0)
		die("open");
	if (syscall(SYS_creat, name, 0644) < 0)
		die("creat");
	if (syscall(437 /* openat2 */, AT_FDCWD, name, &how, sizeof(how)) < 0 && errno != ENOSYS)
		die("openat2");
	return 0;
}

static void on_usr1(int sig)
{
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "";

	setvbuf(stdout, NULL, _IONBF, 0);
	if (!strcmp(cmd, "open") && argc == 4)
		return do_open(argv[2], argv[3], false);
	if (!strcmp(cmd, "openat") && argc == 4)
		return do_open(argv[2], argv[3], true);
	if (!strcmp(cmd, "opens") && argc == 4)
		return do_opens(argv[2], argv[3]);
	if (!strcmp(cmd, "deep") && argc == 4)
		return do_deep(argv[2], strtoul(argv[3], NULL, 10));
	if (!strcmp(cmd, "inet") && argc == 3)
		return do_net(AF_INET, argv[2]);
	if (!strcmp(cmd, "inet6") && argc == 3)
		return do_net(AF_INET6, argv[2]);
	if (!strcmp(cmd, "unix") && argc == 3)
		return do_net(AF_UNIX, argv[2]);
	if (!strcmp(cmd, "mmap-wx")) {
		void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED)
			die("mmap");
		printf("%lu\n", (unsigned long)p);
		return 0;
	}
	if (!strcmp(cmd, "mprotect")) {
		void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			       -1, 0);

		if (p == MAP_FAILED)
			die("mmap");
		if (mprotect(p, 4096, PROT_READ | PROT_EXEC) ||
		    mprotect(p, 4096, PROT_READ | PROT_WRITE | PROT_EXEC))
			die("mprotect");
		printf("%lu\n", (unsigned long)p);
		return 0;
	}
	if (!strcmp(cmd, "magic") && argc == 3)
		return do_magic(argv[2]);
	if (!strcmp(cmd, "setgid") && argc == 3) {
		if (setgid(atoi(argv[2])))
			die("setgid");
		return 0;
	}
	if (!strcmp(cmd, "unshare-uts")) {
		struct stat st;

		if (unshare(CLONE_NEWUTS) || stat("/proc/self/ns/uts", &st))
			die("unshare");
		printf("%lu\n", (unsigned long)st.st_ino);
		return 0;
	}
	if (!strcmp(cmd, "rename") && argc == 3) {
		if (prctl(PR_SET_NAME, argv[2], 0, 0, 0))
			die("prctl");
		return 0;
	}
	if (!strcmp(cmd, "signal")) {
		signal(SIGUSR1, on_usr1);
		if (kill(getpid(), SIGUSR1))
			die("kill");
		return 0;
	}
	if (!strcmp(cmd, "cgroup") && argc == 3) {
		if (mkdir(argv[2], 0755))
			die(argv[2]);
		if (rmdir(argv[2]))
			die(argv[2]);
		return 0;
	}
	fprintf(stderr, "usage: sec-actions ACTION ARGS... (see the source)\n");
	return 2;
}
