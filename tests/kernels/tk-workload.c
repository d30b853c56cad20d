// SPDX-License-Identifier: GPL-2.0
/*
 * tk-workload - the fixed workload of the kernel matrix's event comparison.
 *
 * Built static so it makes no system call of its own before main() that
 * could differ between kernels (no dynamic loader, no library opens), and
 * run the same way on the host and inside each qemu kernel:
 *
 *   tk-workload                  exit 0 (a marker: copy it to a telling name)
 *   tk-workload stage1 DIR       close every fd but 0-2, execve
 *                                DIR/tk-workload stage2 DIR with a fixed
 *                                environment
 *   tk-workload stage2 DIR       open DIR/input, fork; the child opens the
 *                                missing DIR/missing and exits 7; the parent
 *                                waits for it and exits 0
 *
 * The comparison drops the stage1 events (their environment is the
 * caller's) and everything that must differ between two boots.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/*
 * Only stdin, stdout and stderr cross into stage2, so its first open
 * returns 3 wherever it runs (make's jobserver and test drivers leave
 * other descriptors open).  close_range() needs Linux 5.9; older kernels
 * take the loop.
 */
static void close_extra_fds(void)
{
	struct rlimit rl;
	long fd, max = 1024;

#ifdef SYS_close_range
	if (syscall(SYS_close_range, 3U, ~0U, 0U) == 0)
		return;
#endif
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
		max = rl.rlim_cur < 65536 ? (long)rl.rlim_cur : 65536;
	for (fd = 3; fd < max; fd++)
		close(fd);
}

static int stage2(const char *dir)
{
	char path[4096];
	char buf[64];
	pid_t child;
	int fd, status;

	snprintf(path, sizeof(path), "%s/input", dir);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "tk-workload: open %s: %s\n", path, strerror(errno));
		return 1;
	}
	if (read(fd, buf, sizeof(buf)) < 0) {
		fprintf(stderr, "tk-workload: read %s: %s\n", path, strerror(errno));
		close(fd);
		return 1;
	}
	close(fd);

	child = fork();
	if (child < 0) {
		fprintf(stderr, "tk-workload: fork: %s\n", strerror(errno));
		return 1;
	}
	if (child == 0) {
		snprintf(path, sizeof(path), "%s/missing", dir);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		_exit(fd < 0 && errno == ENOENT ? 7 : 1);
	}
	if (waitpid(child, &status, 0) != child) {
		fprintf(stderr, "tk-workload: waitpid: %s\n", strerror(errno));
		return 1;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 7) {
		fprintf(stderr, "tk-workload: child ended with status %#x, expected exit 7\n", status);
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	char self[4096];
	char *const env[] = { "TK_WORKLOAD=1", NULL };

	if (argc < 2)
		return 0;
	if (argc == 3 && strcmp(argv[1], "stage1") == 0) {
		char *const args[] = { "tk-workload", "stage2", argv[2], NULL };

		snprintf(self, sizeof(self), "%s/tk-workload", argv[2]);
		close_extra_fds();
		execve(self, args, env);
		fprintf(stderr, "tk-workload: execve %s: %s\n", self, strerror(errno));
		return 1;
	}
	if (argc == 3 && strcmp(argv[1], "stage2") == 0)
		return stage2(argv[2]);
	fprintf(stderr, "usage: tk-workload [stage1 DIR | stage2 DIR]\n");
	return 2;
}
