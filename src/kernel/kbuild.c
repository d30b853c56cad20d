// SPDX-License-Identifier: GPL-2.0
/*
 * kbuild.c - build the kernel-specific object at run time by running the
 * installed bpf/kbuild.sh (argv only, no shell string), after checking that
 * the scripts are as trustworthy as the object would have to be: root runs
 * them.  The scripts and clang run with a fixed environment of our own, not
 * the caller's (CPATH, CCC_OVERRIDE_OPTIONS, PATH... steer a compiler), on
 * headers directories checked like the scripts.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fsafe.h"
#include "kbuild.h"
#include "log.h"

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "0"
#endif

/*
 * All the build gets to see: the system's tools, the C locale (messages
 * parsed, sort orders), nothing that adds include paths, options or
 * compilers (CPATH, C_INCLUDE_PATH, CCC_OVERRIDE_OPTIONS, COMPILER_PATH,
 * GCC_EXEC_PREFIX, SHELL, ENV, BASH_ENV, IFS: none is passed on).
 */
static char *const build_env[] = {
	"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
	"LC_ALL=C",
	"HOME=/",
	NULL
};

/* UTS_RELEASE from a build dir: what uname -r prints on that kernel. */
static int uts_release(const char *dir, char *out, size_t outlen)
{
	char path[PATH_MAX], line[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/include/generated/utsrelease.h", dir);
	f = fopen(path, "re");
	if (!f)
		return -ENOENT;
	while (fgets(line, sizeof(line), f)) {
		char *q, *p = strstr(line, "UTS_RELEASE");

		if (!p || !(p = strchr(p, '"')) || !(q = strchr(p + 1, '"')))
			continue;
		*q = '\0';
		fclose(f);
		if (!p[1] || snprintf(out, outlen, "%s", p + 1) >= (int)outlen)
			return -EINVAL;
		return 0;
	}
	fclose(f);
	return -ENOENT;
}

/*
 * Run /bin/sh with argv.  The child's stdout goes to out_fd (stderr when
 * -1: our stdout may carry events), its stderr to err_fd (inherited when
 * -1).  Returns the exit status (128 + signal), or -errno when it did not run.
 */
static int run_sh(char *const argv[], int out_fd, int err_fd)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t none, dfl;
	int status, ret;
	pid_t pid;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, out_fd >= 0 ? out_fd : STDERR_FILENO, STDOUT_FILENO);
	if (err_fd >= 0)
		posix_spawn_file_actions_adddup2(&fa, err_fd, STDERR_FILENO);
	posix_spawnattr_init(&attr);
	sigemptyset(&none);
	sigemptyset(&dfl);
	sigaddset(&dfl, SIGPIPE);
	sigaddset(&dfl, SIGINT);
	sigaddset(&dfl, SIGTERM);
	posix_spawnattr_setsigmask(&attr, &none);
	posix_spawnattr_setsigdefault(&attr, &dfl);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
	ret = posix_spawn(&pid, "/bin/sh", &fa, &attr, argv, build_env);
	posix_spawnattr_destroy(&attr);
	posix_spawn_file_actions_destroy(&fa);
	if (ret)
		return -ret;
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR)
			return -errno;
	}
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

/* A script root is about to run must be as trusted as an object. */
static int trusted_script(const char *src_dir, const char *name, char *path, size_t pathlen)
{
	char err[1024];
	int fd;

	fd = fsafe_check_dir(src_dir, "eBPF sources", err, sizeof(err));
	if (fd) {
		tr_err("%s%s", err, fd == -ENOENT ? " (reinstall tracee or set TRACEE_BPF_SRC_DIR)" : "");
		return fd;
	}
	snprintf(path, pathlen, "%s/%s", src_dir, name);
	fd = fsafe_open_trusted(path, O_RDONLY, "build script", err, sizeof(err));
	if (fd < 0) {
		tr_err("%s", err);
		return fd;
	}
	close(fd);
	return 0;
}

/*
 * Run src_dir/kheaders.sh on headers: its KH_BUILD=, KH_SOURCE= and
 * KH_RELEASE= lines into buf.  Returns 0, or -ENOENT when it found no tree.
 */
static int kheaders(const char *src_dir, const char *headers, char *buf, size_t bufsz)
{
	char script[PATH_MAX];
	size_t got = 0;
	int pfd[2], devnull, ret;

	if (!src_dir || trusted_script(src_dir, "kheaders.sh", script, sizeof(script)))
		return -ENOENT;
	if (pipe2(pfd, O_CLOEXEC))
		return -errno;
	devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
	{
		char *const argv[] = { "sh", script, (char *)headers, NULL };

		ret = run_sh(argv, pfd[1], devnull);
	}
	close(pfd[1]);
	if (devnull >= 0)
		close(devnull);
	while (got < bufsz - 1) {
		ssize_t n = read(pfd[0], buf + got, bufsz - 1 - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += n;
	}
	close(pfd[0]);
	buf[got] = '\0';
	return ret ? -ENOENT : 0;
}

/*
 * The value of NAME='value' in kheaders.sh's output.  A value holding a
 * quote (written '\'') is not taken: no headers path or release has one.
 */
static int kh_value(const char *buf, const char *name, char *out, size_t outlen)
{
	char key[32];
	const char *p, *q;

	snprintf(key, sizeof(key), "%s='", name);
	p = strstr(buf, key);
	if (!p)
		return -ENOENT;
	p += strlen(key);
	q = strchr(p, '\'');
	if (!q || q == p || q[1] != '\n')
		return -ENOENT;
	if ((size_t)(q - p) >= outlen)
		return -EINVAL;
	memcpy(out, p, q - p);
	out[q - p] = '\0';
	return 0;
}

int kbuild_headers_release(const char *src_dir, const char *headers, char *out, size_t outlen)
{
	char path[PATH_MAX], buf[4096];

	if (!uts_release(headers, out, outlen))
		return 0;
	snprintf(path, sizeof(path), "%s/build", headers);	/* /lib/modules/R */
	if (!uts_release(path, out, outlen))
		return 0;
	/* A source dir ("-common") or another layout: ask kheaders.sh. */
	if (kheaders(src_dir, headers, buf, sizeof(buf)))
		return -ENOENT;
	return kh_value(buf, "KH_RELEASE", out, outlen);
}

/* One headers directory, resolved: trusted as the BPF sources are (fsafe.h). */
static int trusted_headers_dir(const char *dir)
{
	char err[PATH_MAX + 256], *real = realpath(dir, NULL);
	int ret;

	if (!real) {
		ret = -errno;
		tr_err("kernel headers %s: %s", dir, strerror(-ret));
		return ret;
	}
	ret = fsafe_check_dir(real, "kernel headers", err, sizeof(err));
	free(real);
	if (ret)
		tr_err("%s (clang runs as root on them: use headers only root can change)", err);
	return ret;
}

/*
 * Root compiles what the headers say: the directory named and the trees
 * kheaders.sh finds from it (build and source halves, often apart) must be
 * root's and closed to others, as the scripts and objects are.
 */
static int trusted_headers(const char *src_dir, const char *headers)
{
	char buf[4096], dir[PATH_MAX];
	static const char *const halves[] = { "KH_BUILD", "KH_SOURCE" };
	unsigned int i;
	int ret;

	ret = trusted_headers_dir(headers);
	if (ret)
		return ret;
	if (kheaders(src_dir, headers, buf, sizeof(buf)))
		return 0;	/* no tree: kbuild.sh says why, in its one line */
	for (i = 0; i < sizeof(halves) / sizeof(halves[0]); i++) {
		if (kh_value(buf, halves[i], dir, sizeof(dir)))
			continue;
		ret = trusted_headers_dir(dir);
		if (ret)
			return ret;
	}
	return 0;
}

int kbuild_build(const char *src_dir, const char *headers, const char *release,
		 const char *dir, char *out, size_t outlen)
{
	char script[PATH_MAX], def_headers[PATH_MAX], rel[256], err[PATH_MAX + 256];
	struct utsname u;
	struct stat st;
	int fd, ret;

	if (uname(&u)) {
		ret = -errno;	/* saved: tr_err() may change errno */
		tr_err("uname: %s", strerror(-ret));
		return ret;
	}
	if (!headers) {
		snprintf(def_headers, sizeof(def_headers), "/lib/modules/%s/build", u.release);
		headers = def_headers;
	}
	if (stat(headers, &st) || !S_ISDIR(st.st_mode)) {
		tr_err("kernel headers %s: not found (install linux-headers-%s, or pass --kernel-headers DIR)",
		       headers, u.release);
		return -ENOENT;
	}
	ret = trusted_headers(src_dir, headers);
	if (ret)
		return ret;
	if (!release) {
		if (kbuild_headers_release(src_dir, headers, rel, sizeof(rel))) {
			if (headers != def_headers) {
				tr_err("kernel headers %s: cannot tell which kernel release they are for (point --kernel-headers at the build directory, e.g. /usr/src/linux-headers-%s)",
				       headers, u.release);
				return -ENOENT;
			}
			snprintf(rel, sizeof(rel), "%s", u.release);
		}
		release = rel;
	}
	ret = trusted_script(src_dir, "kbuild.sh", script, sizeof(script));
	if (ret)
		return ret;
	ret = fsafe_mkdir_private(dir, "install path", err, sizeof(err));
	if (ret) {
		tr_err("%s", err);
		return ret;
	}
	if (snprintf(out, outlen, "%s/tracee.bpf.%s.%s.o", dir, release, PACKAGE_VERSION) >=
	    (int)outlen) {
		tr_err("install path %s: path too long", dir);
		return -ENAMETOOLONG;
	}

	tr_info("building %s from the kernel headers in %s", out, headers);
	{
		char *const argv[] = {
			"sh", script, "--src", (char *)src_dir, "--headers", (char *)headers,
			"--release", (char *)release, "--version", PACKAGE_VERSION,
			"--outdir", (char *)dir, NULL
		};

		ret = run_sh(argv, -1, -1);
	}
	if (ret < 0) {
		tr_err("run /bin/sh %s: %s", script, strerror(-ret));
		return ret;
	}
	if (ret > 0) {
		tr_err("building the kernel-specific object failed (%s exited with %d; its message is above): install clang, llvm and the headers for %s, or provide TRACEE_BPF_FILE or --btf",
		       script, ret, release);
		return -ENOENT;
	}
	fd = fsafe_open_trusted(out, O_RDONLY, "built eBPF object", err, sizeof(err));
	if (fd < 0) {
		tr_err("%s (%s reported success)", err, script);
		return fd;
	}
	close(fd);
	return 0;
}
