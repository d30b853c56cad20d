// SPDX-License-Identifier: GPL-2.0
/*
 * workload.c - the syscall-heavy jobs tests/bench/run-bench.sh times.
 *
 *	workload open N PATH	N times: openat(PATH), read, close
 *	workload exec N PATH	N times: fork, execve(PATH) with argv[0] = PATH, wait
 *	workload connect N	N times: socket, connect to a loopback listener,
 *				accept, close both
 *
 * PATH is the marker a tracer's output is searched for: every event of the
 * job carries it, nothing else on the machine does.  The thread is named
 * "bench-workload".  Prints "MODE N WALL_NS_PER_OP CPU_NS_PER_OP" on stdout:
 * the CPU time (user + system, children included) is what the job itself
 * spent, eBPF programs run on its syscalls included; unlike the wall time
 * it does not grow when other work on a busy machine takes the CPU.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static unsigned long long clock_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long long)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static unsigned long long cpu_ns(void)
{
	struct rusage self, kids;

	getrusage(RUSAGE_SELF, &self);
	getrusage(RUSAGE_CHILDREN, &kids);
	return (self.ru_utime.tv_sec + self.ru_stime.tv_sec + kids.ru_utime.tv_sec +
		kids.ru_stime.tv_sec) * 1000000000ULL +
	       (self.ru_utime.tv_usec + self.ru_stime.tv_usec + kids.ru_utime.tv_usec +
		kids.ru_stime.tv_usec) * 1000ULL;
}

static void die(const char *what)
{
	fprintf(stderr, "workload: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void run_open(long n, const char *path)
{
	char buf[128];
	long i;
	int fd;

	for (i = 0; i < n; i++) {
		fd = openat(AT_FDCWD, path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			die(path);
		if (read(fd, buf, sizeof(buf)) < 0)
			die("read");
		close(fd);
	}
}

static void run_exec(long n, const char *path)
{
	char *argv[] = { (char *)path, NULL };
	char *envp[] = { NULL };
	int status;
	long i;
	pid_t pid;

	for (i = 0; i < n; i++) {
		pid = fork();
		if (pid < 0)
			die("fork");
		if (pid == 0) {
			execve(path, argv, envp);
			_exit(127);
		}
		if (waitpid(pid, &status, 0) < 0)
			die("waitpid");
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
			fprintf(stderr, "workload: %s failed (status %d)\n", path, status);
			exit(1);
		}
	}
}

static void run_connect(long n)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t len = sizeof(sa);
	int lfd, cfd, afd, one = 1;
	long i;

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (lfd < 0)
		die("socket");
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		die("bind 127.0.0.1");
	if (listen(lfd, 1024) < 0 || getsockname(lfd, (struct sockaddr *)&sa, &len) < 0)
		die("listen");
	for (i = 0; i < n; i++) {
		cfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (cfd < 0)
			die("socket");
		if (connect(cfd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
			die("connect");
		afd = accept(lfd, NULL, NULL);
		if (afd < 0)
			die("accept");
		close(cfd);
		close(afd);
	}
	close(lfd);
}

int main(int argc, char **argv)
{
	unsigned long long t0, t1, c0, c1;
	const char *mode;
	long n;

	if (argc < 3 || (strcmp(argv[1], "connect") && argc != 4)) {
		fprintf(stderr, "usage: workload open|exec N PATH | workload connect N\n");
		return 2;
	}
	mode = argv[1];
	n = strtol(argv[2], NULL, 10);
	if (n <= 0) {
		fprintf(stderr, "workload: N must be a positive number, not %s\n", argv[2]);
		return 2;
	}
	prctl(PR_SET_NAME, "bench-workload", 0, 0, 0);
	c0 = cpu_ns();
	t0 = clock_ns();
	if (!strcmp(mode, "open"))
		run_open(n, argv[3]);
	else if (!strcmp(mode, "exec"))
		run_exec(n, argv[3]);
	else if (!strcmp(mode, "connect"))
		run_connect(n);
	else {
		fprintf(stderr, "workload: unknown mode %s (open, exec or connect)\n", mode);
		return 2;
	}
	t1 = clock_ns();
	c1 = cpu_ns();
	printf("%s %ld %.1f %.1f\n", mode, n, (double)(t1 - t0) / n, (double)(c1 - c0) / n);
	return 0;
}
