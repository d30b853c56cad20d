// SPDX-License-Identifier: GPL-2.0
/*
 * toctou-race.c - syscalls whose user memory another thread rewrites while
 * the kernel runs them, for tests/integration/rel_toctou.sh: what tracee
 * reports must be what the kernel used, not what the memory held later.
 *
 *   toctou-race fifo DIR     openat(DIR/fifo) blocks (a FIFO with no writer)
 *                            after the kernel copied the name; a second
 *                            thread then writes DIR/fake over it and opens
 *                            the FIFO for writing, which lets the open return
 *   toctou-race unix DIR     connect() to DIR/sock blocks (the listener's
 *                            backlog is full) after the kernel copied the
 *                            address; the second thread writes DIR/fake over
 *                            sun_path, then accepts to let it return
 *   toctou-race flip DIR N   N openat() calls on a name a second thread flips
 *                            between DIR/fy (a file) and DIR/fn (none) in
 *                            a tight loop; the return value tells which name
 *                            the kernel used
 *   toctou-race fault DIR    openat() of DIR/yes from a private file mapping
 *                            never touched (the name's page is not present
 *                            at entry), then of a name in PROT_NONE memory
 *                            (EFAULT: nobody can read it)
 *   toctou-race exec DIR PROG  a child execs PROG, another DIR/none (ENOENT),
 *                            each name in an untouched file-backed page
 *
 * Prints one line per call made, "CALL NAME RET" (fifo, unix, fault), or
 * "flip OPENED FAILED" (flip), and exits 0 when the calls went as planned.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static char path[256];
static char fake[256];
static pid_t main_tid;
static struct sockaddr_un sun;
static int listen_fd = -1;
static atomic_int stop_flip;

static void die(const char *what)
{
	fprintf(stderr, "toctou-race: %s: %s\n", what, strerror(errno));
	exit(2);
}

/* Until the main thread sleeps inside syscall nr (/proc/self/task/TID/syscall, stat). */
static void wait_blocked(long nr)
{
	char f[64], buf[256];

	for (int i = 0; i < 5000; i++) {
		FILE *fp;
		long cur = -2;
		char state = 0;

		snprintf(f, sizeof(f), "/proc/self/task/%d/syscall", (int)main_tid);
		fp = fopen(f, "r");
		if (fp) {
			if (fscanf(fp, "%ld", &cur) != 1)
				cur = -2;
			fclose(fp);
		}
		snprintf(f, sizeof(f), "/proc/self/task/%d/stat", (int)main_tid);
		fp = fopen(f, "r");
		if (fp) {
			if (fgets(buf, sizeof(buf), fp)) {
				char *p = strrchr(buf, ')');

				if (p && p[1] == ' ')
					state = p[2];
			}
			fclose(fp);
		}
		if (cur == nr && state == 'S') {
			usleep(20000);	/* well inside the wait, long after the copy */
			return;
		}
		usleep(1000);
	}
	fprintf(stderr, "toctou-race: the call never blocked\n");
	exit(2);
}

static void *fifo_thread(void *arg)
{
	int fd;

	(void)arg;
	wait_blocked(SYS_openat);
	memcpy(path, fake, sizeof(path));	/* what an exit-time read would see */
	fd = open((const char *)arg, O_WRONLY);
	return (void *)(long)fd;
}

static int run_fifo(const char *dir)
{
	char fifo[256];
	pthread_t t;
	struct stat st;
	void *wfd;
	int fd;

	snprintf(fifo, sizeof(fifo), "%s/fifo", dir);
	snprintf(fake, sizeof(fake), "%s/fake", dir);
	memcpy(path, fifo, sizeof(path));
	if (mkfifo(fifo, 0600) && errno != EEXIST)
		die("mkfifo");
	main_tid = (pid_t)syscall(SYS_gettid);
	if (pthread_create(&t, NULL, fifo_thread, fifo))
		die("pthread_create");
	fd = openat(AT_FDCWD, path, O_RDONLY);
	pthread_join(t, &wfd);
	if (fd < 0 || fstat(fd, &st) || !S_ISFIFO(st.st_mode) || (long)wfd < 0)
		die("the FIFO open");
	printf("openat %s %d\n", fifo, fd);
	return 0;
}

static void *unix_thread(void *arg)
{
	size_t off = strlen(sun.sun_path) - 4;

	(void)arg;
	wait_blocked(SYS_connect);
	memcpy(sun.sun_path + off, "fake", 4);	/* what an exit-time read would see */
	/* the filler, then the blocked caller */
	for (int i = 0; i < 2; i++)
		if (accept(listen_fd, NULL, NULL) < 0)
			return (void *)-1L;
	return NULL;
}

static int run_unix(const char *dir)
{
	struct sockaddr_un real;
	pthread_t t;
	void *res;
	int filler, fd, ret;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (snprintf(sun.sun_path, sizeof(sun.sun_path), "%s/sock", dir) >=
	    (int)sizeof(sun.sun_path))
		die("the socket path is too long");
	real = sun;
	unlink(sun.sun_path);
	listen_fd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (listen_fd < 0 || bind(listen_fd, (struct sockaddr *)&sun, sizeof(sun)) ||
	    listen(listen_fd, 0))
		die("the listener");
	/* backlog 0: one pending connection fills it, the next connect() waits */
	filler = socket(AF_UNIX, SOCK_STREAM, 0);
	if (filler < 0 || connect(filler, (struct sockaddr *)&real, sizeof(real)))
		die("the filler connection");
	main_tid = (pid_t)syscall(SYS_gettid);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (fd < 0 || pthread_create(&t, NULL, unix_thread, NULL))
		die("socket");
	ret = connect(fd, (struct sockaddr *)&sun, sizeof(sun));
	pthread_join(t, &res);
	if (ret || res)
		die("the blocked connect");
	printf("connect %s %d\n", real.sun_path, ret);
	return 0;
}

static void *flip_thread(void *arg)
{
	volatile char *last = arg;

	while (!atomic_load_explicit(&stop_flip, memory_order_relaxed)) {
		*last = 'y';
		*last = 'n';	/* volatile: both stores happen, each visible for a moment */
	}
	return NULL;
}

static int run_flip(const char *dir, long n)
{
	long opened = 0, failed = 0;
	char file[256];
	pthread_t t;
	size_t last;
	int fd;

	/* DIR/fy is a file, DIR/fn is not: one byte tells them apart */
	snprintf(file, sizeof(file), "%s/fy", dir);
	fd = open(file, O_CREAT | O_WRONLY, 0600);
	if (fd < 0)
		die(file);
	close(fd);
	snprintf(path, sizeof(path), "%s", file);
	last = strlen(path) - 1;
	if (pthread_create(&t, NULL, flip_thread, path + last))
		die("pthread_create");
	for (long i = 0; i < n; i++) {
		fd = openat(AT_FDCWD, path, O_RDONLY);
		if (fd >= 0) {
			opened++;
			close(fd);
		} else {
			failed++;
		}
	}
	atomic_store(&stop_flip, 1);
	pthread_join(t, NULL);
	printf("flip %ld %ld\n", opened, failed);
	return 0;
}

static int run_fault(const char *dir)
{
	char yes[256], tmpl[256];
	long pg = sysconf(_SC_PAGESIZE);
	char *m, *none;
	int fd, r;

	snprintf(yes, sizeof(yes), "%s/yes", dir);
	fd = open(yes, O_CREAT | O_WRONLY, 0600);
	if (fd < 0)
		die(yes);
	close(fd);
	/* a file holding the name, mapped and never touched: no page table entry yet */
	snprintf(tmpl, sizeof(tmpl), "%s/name", dir);
	fd = open(tmpl, O_CREAT | O_TRUNC | O_RDWR, 0600);
	if (fd < 0 || write(fd, yes, strlen(yes) + 1) != (ssize_t)strlen(yes) + 1)
		die(tmpl);
	m = mmap(NULL, pg, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (m == MAP_FAILED)
		die("mmap");
	fd = openat(AT_FDCWD, m, O_RDONLY);
	printf("openat %s %d\n", yes, fd < 0 ? -errno : fd);
	if (fd < 0)
		return 1;
	close(fd);
	munmap(m, pg);
	/* and a name nobody can read: the kernel fails with EFAULT, tracee too */
	none = mmap(NULL, pg, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (none == MAP_FAILED)
		die("mmap");
	r = openat(AT_FDCWD, none, O_RDONLY);
	printf("openat - %d\n", r < 0 ? -errno : r);
	munmap(none, pg);
	return r < 0 && errno == EFAULT ? 0 : 1;
}

/* A page of a private file mapping holding name, not touched yet. */
static char *untouched(const char *dir, const char *file, const char *name)
{
	char f[256];
	char *m;
	int fd;

	snprintf(f, sizeof(f), "%s/%s", dir, file);
	fd = open(f, O_CREAT | O_TRUNC | O_RDWR, 0600);
	if (fd < 0 || write(fd, name, strlen(name) + 1) != (ssize_t)strlen(name) + 1)
		die(f);
	m = mmap(NULL, sysconf(_SC_PAGESIZE), PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (m == MAP_FAILED)
		die("mmap");
	return m;
}

/*
 * exec DIR: execve of PROG and of DIR/none (no such file), each name and
 * argv[0] in an untouched page: the read at entry fails, and the exec
 * replaces the memory before any exit could read it again.
 */
static int run_exec(const char *dir, const char *prog)
{
	const char *names[2] = { prog, NULL };
	char none[256];
	int status, ret = 0;

	snprintf(none, sizeof(none), "%s/none", dir);
	names[1] = none;
	for (int i = 0; i < 2; i++) {
		char *m = untouched(dir, i ? "name-none" : "name-prog", names[i]);
		char *const av[] = { m, NULL };
		char *const ev[] = { NULL };
		pid_t pid = fork();

		if (pid < 0)
			die("fork");
		if (pid == 0) {
			execve(m, av, ev);
			printf("execve %s %d\n", names[i], -errno);
			fflush(stdout);
			_exit(errno == ENOENT ? 0 : 1);
		}
		if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status))
			ret = 1;
		munmap(m, sysconf(_SC_PAGESIZE));
	}
	return ret;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "fifo"))
		return run_fifo(argv[2]);
	if (argc == 3 && !strcmp(argv[1], "unix"))
		return run_unix(argv[2]);
	if (argc == 4 && !strcmp(argv[1], "flip"))
		return run_flip(argv[2], atol(argv[3]));
	if (argc == 3 && !strcmp(argv[1], "fault"))
		return run_fault(argv[2]);
	if (argc == 4 && !strcmp(argv[1], "exec"))
		return run_exec(argv[2], argv[3]);
	fprintf(stderr, "usage: toctou-race fifo|unix|fault DIR, flip DIR N, exec DIR PROG\n");
	return 2;
}
