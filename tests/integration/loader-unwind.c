// SPDX-License-Identifier: GPL-2.0
/*
 * loader-unwind.c - all or nothing, checked from inside the process: after
 * a failed loader_open() this process holds no eBPF program, map, link or
 * BTF object (process exit would hide a leak, so look before exiting).
 *
 *   loader-unwind GOOD_OBJECT BAD_OBJECT INSTALL_DIR
 *
 * GOOD_OBJECT loads and attaches; BAD_OBJECT fails in the verifier.  An
 * attach failure midway is injected by interposing bpf_program__attach():
 * the Nth call fails with EBUSY after N-1 programs were attached.
 * Prints TAP; run by select_unwind.sh as root.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/libbpf.h>

#include "events.h"
#include "features.h"
#include "loader.h"
#include "../tap.h"

static int attach_calls, fail_at;

/* Calls from loader.c land here; the real one is libbpf's. */
struct bpf_link *bpf_program__attach(const struct bpf_program *prog)
{
	static struct bpf_link *(*real)(const struct bpf_program *);

	if (!real)
		real = (struct bpf_link *(*)(const struct bpf_program *))dlsym(RTLD_NEXT,
								"bpf_program__attach");
	if (++attach_calls == fail_at) {
		errno = EBUSY;
		return NULL;
	}
	return real(prog);
}

/* eBPF objects this process holds: anon inodes bpf-prog, bpf-map, bpf_link, btf. */
static int bpf_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *de;
	char path[300], target[128];
	int n = 0;
	ssize_t len;

	if (!d)
		return -1;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/self/fd/%s", de->d_name);
		len = readlink(path, target, sizeof(target) - 1);
		if (len <= 0)
			continue;
		target[len] = '\0';
		if (!strncmp(target, "anon_inode:bpf", 14) || !strcmp(target, "anon_inode:btf"))
			n++;
	}
	closedir(d);
	return n;
}

int main(int argc, char **argv)
{
	struct tr_selection sel = { 0 };
	struct loader_opts o = { 0 };
	struct tracer *t;
	char err[256];
	int base, n;

	if (argc != 4) {
		fprintf(stderr, "usage: %s GOOD_OBJECT BAD_OBJECT INSTALL_DIR\n", argv[0]);
		return 2;
	}
	if (events_select(&sel, "openat,sched_process_exec,sched_process_exit", err, sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		return 2;
	}
	o.install_path = argv[3];
	o.build_policy = BUILD_NEVER;
	o.sel = &sel;
	o.self_pid = getpid();
	features_probe();
	base = bpf_fds();
	ok(base == 0, "no eBPF fds before loading (%d)", base);

	/* Control: the count sees a loaded object. */
	setenv("TRACEE_BPF_FILE", argv[1], 1);
	fail_at = 0;
	attach_calls = 0;
	t = loader_open(&o);
	ok(t != NULL, "the good object loads and attaches (%s)", t ? "ok" : strerror(errno));
	n = bpf_fds();
	ok(n > 0, "while loaded, this process holds eBPF fds (%d)", n);
	ok(attach_calls >= 3, "%d programs were attached", attach_calls);
	loader_close(t);
	ok(bpf_fds() == base, "loader_close leaves none (%d)", bpf_fds());

	/* Attach fails at the third program, after two were attached. */
	fail_at = 3;
	attach_calls = 0;
	t = loader_open(&o);
	ok(t == NULL && errno == EBUSY, "an attach failure midway fails loader_open with its errno (%s)",
	   strerror(errno));
	ok(attach_calls == 3, "two programs had been attached before it (%d calls)", attach_calls);
	n = bpf_fds();
	ok(n == base, "nothing is left: no program, map, link or BTF fd (%d)", n);

	/* The verifier refuses a program. */
	setenv("TRACEE_BPF_FILE", argv[2], 1);
	fail_at = 0;
	attach_calls = 0;
	t = loader_open(&o);
	ok(t == NULL, "a program the verifier rejects fails loader_open (%s)", strerror(errno));
	ok(attach_calls == 0, "nothing was attached");
	n = bpf_fds();
	ok(n == base, "nothing is left after a load failure (%d)", n);

	return done_testing();
}
