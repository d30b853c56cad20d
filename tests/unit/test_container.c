// SPDX-License-Identifier: GPL-2.0
/*
 * test_container.c - container ids from cgroup paths: a table of the
 * layouts docker, containerd/kubelet, cri-o and podman create (cgroup v1
 * and v2), with the look-alikes that must not match; /proc/<pid>/cgroup
 * files; the cgroup-id cache over a fake hierarchy (plain directories);
 * the added capabilities as the runtimes spell them (runtime_add_cap).
 * No root needed.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "container.h"
#include "runtime.h"
#include "../tap.h"

#define H1 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define H2 "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210"
#define HU "0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF"
#define POD "pod3e2c0c6a-4c2f-4b67-9e0e-5a6b1f0c2d11"
#define PODU "pod3e2c0c6a_4c2f_4b67_9e0e_5a6b1f0c2d11"

struct path_case {
	const char *path;
	const char *want;	/* NULL: no container */
	const char *what;
};

static const struct path_case paths[] = {
	/* docker */
	{ "/docker/" H1, H1, "docker, cgroupfs driver (v1 and v2)" },
	{ "/system.slice/docker-" H1 ".scope", H1, "docker, systemd driver" },
	{ "/docker/" H1 "/init.scope", H1, "systemd inside a docker container" },
	{ "/docker/" H1 "/docker/" H2, H2, "docker in docker: the innermost wins" },
	{ "/docker/" HU, H1, "upper-case hex is printed lower-case" },
	/* containerd, kubelet */
	{ "/kubepods/besteffort/" POD "/" H1, H1, "kubepods v1, cgroupfs driver" },
	{ "/kubepods/burstable/" POD "/" H2, H2, "kubepods burstable" },
	{ "/kubepods/" POD "/" H1, H1, "kubepods guaranteed (no qos level)" },
	{ "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-" PODU ".slice/"
	  "cri-containerd-" H1 ".scope", H1, "kubepods v2, systemd driver, containerd" },
	{ "/system.slice/docker-" H1 ".scope/kubelet.slice/kubelet-kubepods.slice/"
	  "kubelet-kubepods-besteffort.slice/kubelet-kubepods-besteffort-" PODU ".slice/"
	  "cri-containerd-" H2 ".scope", H2, "kind node: pod container inside a docker container" },
	{ "/default/" H1, H1, "containerd, ctr run with a 64-hex id" },
	/* cri-o */
	{ "/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-" PODU ".slice/"
	  "crio-" H1 ".scope", H1, "cri-o, systemd driver" },
	{ "/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-" PODU ".slice/"
	  "crio-" H1 ".scope/container", H1, "cri-o with a nested container cgroup" },
	/* podman */
	{ "/machine.slice/libpod-" H1 ".scope", H1, "podman rootful" },
	{ "/machine.slice/libpod-" H1 ".scope/container", H1, "podman, cgroupns sub-cgroup" },
	{ "/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-" H2 ".scope", H2,
	  "podman rootless" },
	{ "/docker/" H1 "/libpod-conmon-" H2 ".scope", H1,
	  "conmon inside a container belongs to that container" },
	/* others that use the same naming */
	{ "/ecs/4f1c2d3e5a6b7c8d9e0f/" H1, H1, "ECS task" },
	{ "/actions_job/" H2, H2, "GitHub Actions job container" },

	/* look-alikes */
	{ "/", NULL, "root cgroup" },
	{ "", NULL, "empty path" },
	{ "/init.scope", NULL, "systemd init" },
	{ "/user.slice/user-1000.slice/session-3.scope", NULL, "a login session" },
	{ "/system.slice/docker.service", NULL, "the docker daemon itself" },
	{ "/system.slice/containerd.service", NULL, "the containerd daemon" },
	{ "/machine.slice/libpod-conmon-" H1 ".scope", NULL, "podman's conmon" },
	{ "/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-" PODU ".slice/"
	  "crio-conmon-" H1 ".scope", NULL, "cri-o's conmon" },
	{ "/kubepods/besteffort/" POD, NULL, "a pod-level cgroup" },
	{ "/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-" PODU ".slice", NULL,
	  "a pod-level slice" },
	{ "/process_api/0184a2d6ae69845c25a07278867a3485", NULL, "32 hex characters" },
	{ "/docker/" "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde", NULL,
	  "63 hex characters" },
	{ "/docker/" H1 "0", NULL, "65 hex characters" },
	{ "/docker/" "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdeg", NULL,
	  "a non-hex character" },
	{ "/system.slice/docker-" H1 ".mount", NULL, "a .mount unit" },
	{ "/system.slice/podman-" H1 ".scope", NULL, "an unknown prefix" },
	{ "/machine.slice/machine-qemu\\x2d1\\x2dvm.scope", NULL, "a libvirt machine" },
	{ "//", NULL, "only slashes" },
};

struct file_case {
	const char *text;
	const char *want;
	const char *what;
};

static const struct file_case files[] = {
	{ "0::/system.slice/docker-" H1 ".scope\n", H1, "v2 only" },
	{ "12:pids:/docker/" H1 "\n11:memory:/docker/" H1 "\n4:cpu,cpuacct:/docker/" H1
	  "\n1:name=systemd:/docker/" H1 "\n", H1, "v1 only" },
	{ "12:pids:/docker/" H1 "\n1:name=systemd:/docker/" H1 "\n0::/\n", H1,
	  "hybrid: the container is in the v1 hierarchies only" },
	{ "4:memory:/docker/" H1 "\n0::/system.slice/docker-" H2 ".scope\n", H2,
	  "hybrid: the v2 line is preferred" },
	{ "9:name=systemd:/\n4:memory:/process_api/0184a2d6ae69845c25a07278867a3485\n0::/\n",
	  NULL, "a host process in a sandbox's v1 cgroup" },
	{ "0::/weird:dir/docker-" H1 ".scope\n", H1, "a ':' inside the path" },
	{ "0::/docker/" H1, H1, "no final newline" },
	{ "1:cpu\n0:\n", NULL, "malformed lines" },
	{ "", NULL, "empty file" },
	{ "0::/user.slice/user-1000.slice/session-2.scope\n", NULL, "v2 host process" },
};

static char base[64];

static const char *at(const char *rel)
{
	static char bufs[4][512];
	static int i;

	i = (i + 1) % 4;
	snprintf(bufs[i], sizeof(bufs[i]), "%s/%s", base, rel);
	return bufs[i];
}

static void put(const char *rel, const char *text)
{
	int fd = open(at(rel), O_WRONLY | O_CREAT | O_TRUNC, 0600);

	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text)) {
		perror(rel);
		exit(1);
	}
	close(fd);
}

static void run(const char *cmd)
{
	if (system(cmd)) {
		fprintf(stderr, "failed: %s\n", cmd);
		exit(1);
	}
}

static void test_paths(void)
{
	char out[CONTAINER_ID_LEN + 1];
	unsigned int i;

	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		int r = container_id_from_cgroup_path(paths[i].path, out);

		if (paths[i].want)
			ok(r == 1 && !strcmp(out, paths[i].want), "path: %s", paths[i].what);
		else
			ok(r == 0 && out[0] == '\0', "not a container: %s", paths[i].what);
	}
	ok(container_id_from_cgroup_path(NULL, out) == 0 && !out[0], "NULL path");
}

static void test_files(void)
{
	char out[CONTAINER_ID_LEN + 1];
	unsigned int i;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		int r = container_id_from_cgroup_file(files[i].text, strlen(files[i].text), out);

		if (files[i].want)
			ok(r == 1 && !strcmp(out, files[i].want), "file: %s", files[i].what);
		else
			ok(r == 0 && out[0] == '\0', "file, no container: %s", files[i].what);
	}
	/* Length is honoured: the id after len must not be seen. */
	{
		const char *t = "0::/\n4:memory:/docker/" H1 "\n";

		ok(container_id_from_cgroup_file(t, 5, out) == 0, "file: only len bytes are read");
	}
}

static void test_of_pid(void)
{
	char out[CONTAINER_ID_LEN + 1];
	char proc[600];

	run((snprintf(proc, sizeof(proc), "mkdir -p %s/proc/42 %s/proc/43", base, base), proc));
	put("proc/42/cgroup", "0::/system.slice/docker-" H1 ".scope\n");
	put("proc/43/cgroup", "0::/user.slice\n");
	snprintf(proc, sizeof(proc), "%s/proc", base);
	ok(container_id_of_pid_at(proc, 42, out) == 1 && !strcmp(out, H1), "of_pid: container");
	ok(container_id_of_pid_at(proc, 43, out) == 0 && !out[0], "of_pid: host process");
	ok(container_id_of_pid_at(proc, 44, out) == -ENOENT, "of_pid: gone process is -ENOENT");
	ok(container_id_of_pid_at(proc, 0, out) == -EINVAL, "of_pid: pid 0 is -EINVAL");
	ok(container_id_of_pid(getpid(), out) >= 0, "of_pid: the real /proc/self is readable");
}

static void test_cache(void)
{
	struct container_cache_stats st;
	struct container_cache *cc;
	char out[CONTAINER_ID_LEN + 1];
	char proc[600], cg[600];
	uint64_t id_a, id_b, id_host, id_root;
	int r, i;

	snprintf(cg, sizeof(cg), "mkdir -p %s/cg/system.slice/docker-%s.scope "
		 "%s/cg/kubepods/besteffort/%s/%s %s/cg/user.slice %s/proc/50 %s/proc/self",
		 base, H1, base, POD, H2, base, base, base);
	run(cg);
	put("proc/50/cgroup", "0::/system.slice/docker-" H1 ".scope\n");
	put("proc/self/cgroup", "0::/user.slice\n");
	snprintf(proc, sizeof(proc), "%s/proc", base);
	snprintf(cg, sizeof(cg), "%s/cg", base);

	id_a = container_cgroup_id_of_path(at("cg/system.slice/docker-" H1 ".scope"));
	id_b = container_cgroup_id_of_path(at("cg/kubepods/besteffort/" POD "/" H2));
	id_host = container_cgroup_id_of_path(at("cg/user.slice"));
	id_root = container_cgroup_id_of_path(cg);
	ok(id_a && id_b && id_host && id_a != id_b, "directory ids are read");

	cc = container_cache_new(cg, proc, 8);
	ok(cc != NULL, "cache created");
	if (!cc)
		return;
	ok(!container_cache_v1(cc), "v2-only host seen from proc/self/cgroup");
	ok(!strcmp(container_cache_root(cc), cg), "the given cgroup2 root is used");

	r = container_cache_lookup(cc, id_a, 50, out);
	ok(r == 1 && !strcmp(out, H1), "miss resolved through the pid's v2 path");
	container_cache_stats(cc, &st);
	ok(st.misses == 1 && st.walks == 0, "no walk needed with a good pid hint");
	r = container_cache_lookup(cc, id_a, 0, out);
	container_cache_stats(cc, &st);
	ok(r == 1 && !strcmp(out, H1) && st.hits == 1, "second lookup is a hit");

	/* The pid's cgroup is not the event's: the hint must not be believed. */
	r = container_cache_lookup(cc, id_b, 50, out);
	container_cache_stats(cc, &st);
	ok(r == 1 && !strcmp(out, H2) && st.walks == 1,
	   "wrong pid hint: resolved by walking the hierarchy");

	r = container_cache_lookup(cc, id_host, 0, out);
	ok(r == -EAGAIN && !out[0], "a second walk within a second is refused");
	sleep(1);
	r = container_cache_lookup(cc, id_host, 0, out);
	ok(r == 0 && !out[0], "host cgroup found by walking: no container");
	r = container_cache_lookup(cc, id_host, 0, out);
	container_cache_stats(cc, &st);
	ok(r == 0 && st.walks == 2, "negative answers are cached too");
	sleep(1);
	ok(container_cache_lookup(cc, id_root, 0, out) == 0, "the root cgroup is no container");
	sleep(1);
	ok(container_cache_lookup(cc, 0xdeadbeefcafeULL, 0, out) == 0,
	   "an id that is nowhere: no container");
	ok(container_cache_lookup(cc, 0, 50, out) == -EAGAIN, "cgroup id 0 is not resolvable");

	/* Bounded: fill past max_entries with pid-hinted misses. */
	for (i = 0; i < 40; i++) {
		char rel[128], dir[700];

		snprintf(rel, sizeof(rel), "cg/c%d", i);
		snprintf(dir, sizeof(dir), "mkdir -p %s", at(rel));
		run(dir);
		put("proc/50/cgroup", (snprintf(rel, sizeof(rel), "0::/c%d\n", i), rel));
		snprintf(rel, sizeof(rel), "cg/c%d", i);
		container_cache_lookup(cc, container_cgroup_id_of_path(at(rel)), 50, out);
	}
	container_cache_stats(cc, &st);
	ok(st.entries <= 8 && st.flushes > 0, "cache stays within max_entries (%llu, %llu flushes)",
	   (unsigned long long)st.entries, (unsigned long long)st.flushes);
	container_cache_free(cc);
	container_cache_free(NULL);
	ok(1, "free is NULL-safe");

	cc = container_cache_new("", proc, 0);
	ok(cc && container_cache_lookup(cc, id_a, 50, out) == -EAGAIN,
	   "no cgroup2 mount: lookups say -EAGAIN");
	container_cache_free(cc);
}

/* What the runtimes write in CapAdd, as the rules read it. */
static void test_caps(void)
{
	struct container_info ci;
	char name[32];
	unsigned int i;

	memset(&ci, 0, sizeof(ci));
	runtime_add_cap(&ci, "CAP_SYS_ADMIN");
	runtime_add_cap(&ci, "sys_admin");	/* dockerd keeps the user's spelling */
	runtime_add_cap(&ci, "Cap_Net_Admin");
	runtime_add_cap(&ci, "ALL");
	runtime_add_cap(&ci, "");
	runtime_add_cap(&ci, "CAP_");
	runtime_add_cap(&ci, "SYS ADMIN");
	runtime_add_cap(&ci, "CAP_A_NAME_FAR_TOO_LONG_FOR_ANY_CAPABILITY");
	runtime_add_cap(&ci, NULL);
	ok(ci.nr_cap_add == 3 && !strcmp(ci.cap_add[0], "SYS_ADMIN") &&
	   !strcmp(ci.cap_add[1], "NET_ADMIN") && !strcmp(ci.cap_add[2], "ALL"),
	   "capabilities: upper case, no CAP_, once each, odd names left out (%u: %s %s %s)",
	   ci.nr_cap_add, ci.cap_add[0], ci.cap_add[1], ci.cap_add[2]);
	for (i = 0; i < RUNTIME_MAX_CAPS + 5; i++) {
		snprintf(name, sizeof(name), "CAP_X%u", i);
		runtime_add_cap(&ci, name);
	}
	ok(ci.nr_cap_add == RUNTIME_MAX_CAPS, "capabilities: at most RUNTIME_MAX_CAPS kept (%u)",
	   ci.nr_cap_add);
}

int main(void)
{
	char cmd[128];

	snprintf(base, sizeof(base), "/tmp/tracee-test-container.XXXXXX");
	if (!mkdtemp(base)) {
		perror("mkdtemp");
		return 1;
	}
	test_paths();
	test_files();
	test_of_pid();
	test_cache();
	test_caps();
	snprintf(cmd, sizeof(cmd), "rm -rf %s", base);
	run(cmd);
	return done_testing();
}
