// SPDX-License-Identifier: GPL-2.0
/*
 * caps.c - capabilities: what loading needs, and what running keeps.
 *
 * Loading tracing programs needs CAP_BPF + CAP_PERFMON (5.8+) or
 * CAP_SYS_ADMIN.  Once attached, the ring buffer is already mmap'ed and
 * the perf buffer fds are open: reading them needs no capability, nor does
 * detaching (closing link fds).  What running still needs:
 *   - CAP_SYS_PTRACE: /proc/<pid>/exe and friends of other users' processes
 *     (process tree, Lua's proc lookups);
 *   - CAP_DAC_READ_SEARCH: /proc/<pid>/ and cgroup files not readable by
 *     everyone (container ids);
 *   - bpf() on our own map fds (--stats, the exit summary): free of any
 *     capability since Linux 6.3; before, kernel.unprivileged_bpf_disabled
 *     gates every bpf() command, so it is probed, not assumed.
 * Everything else is dropped from every set, the bounding set included:
 * tracee runs as uid 0, and an execve by uid 0 would otherwise regain the
 * full set.  Raw capget/capset: no libcap dependency.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/bpf.h>
#include <linux/capability.h>

#include "caps.h"
#include "log.h"

#ifndef CAP_PERFMON
#define CAP_PERFMON	38
#endif
#ifndef CAP_BPF
#define CAP_BPF		39
#endif
#ifndef PR_CAP_AMBIENT
#define PR_CAP_AMBIENT		47
#define PR_CAP_AMBIENT_CLEAR_ALL 4
#endif

#define BIT(c)		(1ULL << (c))
#define KEEP_ALWAYS	(BIT(CAP_SYS_PTRACE) | BIT(CAP_DAC_READ_SEARCH))

struct capsets {
	uint64_t eff, prm, inh;
};

static int caps_get(struct capsets *s)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct d[2];

	memset(d, 0, sizeof(d));
	if (syscall(SYS_capget, &h, d))
		return -errno;
	s->eff = d[0].effective | (uint64_t)d[1].effective << 32;
	s->prm = d[0].permitted | (uint64_t)d[1].permitted << 32;
	s->inh = d[0].inheritable | (uint64_t)d[1].inheritable << 32;
	return 0;
}

static int caps_set(const struct capsets *s)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct d[2] = {
		{ (uint32_t)s->eff, (uint32_t)s->prm, (uint32_t)s->inh },
		{ (uint32_t)(s->eff >> 32), (uint32_t)(s->prm >> 32), (uint32_t)(s->inh >> 32) },
	};

	if (syscall(SYS_capset, &h, d))
		return -errno;
	return 0;
}

/* The highest capability this kernel knows (CAP_BPF exists from 5.8). */
static int last_cap(void)
{
	FILE *f = fopen("/proc/sys/kernel/cap_last_cap", "re");
	int n = -1;

	if (f) {
		if (fscanf(f, "%d", &n) != 1)
			n = -1;
		fclose(f);
	}
	return n > 0 && n < 64 ? n : CAP_BPF;
}

uint64_t caps_effective(void)
{
	struct capsets s;

	return caps_get(&s) ? 0 : s.eff;
}

bool caps_have_bpf(void)
{
	struct capsets s;

	if (caps_get(&s))
		return false;
	if (s.eff & BIT(CAP_SYS_ADMIN))
		return true;
	return last_cap() >= CAP_BPF && (s.eff & BIT(CAP_BPF)) && (s.eff & BIT(CAP_PERFMON));
}

int caps_check_bpf(void)
{
	struct capsets s;
	bool has_bpf_caps;
	int err = caps_get(&s);

	if (err) {
		tr_err("capabilities: cannot read them: %s", strerror(-err));
		return err;
	}
	if (s.eff & BIT(CAP_SYS_ADMIN))
		return 0;
	has_bpf_caps = (s.eff & BIT(CAP_BPF)) && (s.eff & BIT(CAP_PERFMON));
	if (last_cap() >= CAP_BPF) {
		if (has_bpf_caps)
			return 0;
		tr_err("not permitted (needs CAP_BPF and CAP_PERFMON, or root): missing %s%s%s (run as root, or grant them, e.g. AmbientCapabilities= in the unit)",
		       (s.eff & BIT(CAP_BPF)) ? "" : "CAP_BPF",
		       !(s.eff & BIT(CAP_BPF)) && !(s.eff & BIT(CAP_PERFMON)) ? " and " : "",
		       (s.eff & BIT(CAP_PERFMON)) ? "" : "CAP_PERFMON");
	} else {
		tr_err("not permitted (needs CAP_SYS_ADMIN on this kernel, which predates CAP_BPF, or root): missing CAP_SYS_ADMIN (run as root)");
	}
	return -EPERM;
}

/*
 * Can we still use bpf() on a map we hold?  A lookup on our map: a
 * capability check answers EPERM before the map type is even looked at;
 * anything else (the element, ENOENT, or EINVAL/ENOTSUPP for a ring buffer)
 * means the command got through.
 */
static bool bpf_usable(int map_fd)
{
	union bpf_attr attr;
	uint32_t key = 0;
	uint64_t val[512];	/* a per-CPU value of up to 512 CPUs */

	if (map_fd < 0)
		return true;
	memset(&attr, 0, sizeof(attr));
	attr.map_fd = map_fd;
	attr.key = (uintptr_t)&key;
	attr.value = (uintptr_t)val;
	if (syscall(SYS_bpf, BPF_MAP_LOOKUP_ELEM, &attr, sizeof(attr)) == 0)
		return true;
	return errno != EPERM && errno != EACCES;
}

static void caps_names(uint64_t mask, char *buf, size_t sz)
{
	static const char *const names[] = {
		[CAP_DAC_READ_SEARCH] = "CAP_DAC_READ_SEARCH", [CAP_SYS_PTRACE] = "CAP_SYS_PTRACE",
		[CAP_SYS_ADMIN] = "CAP_SYS_ADMIN", [CAP_BPF] = "CAP_BPF",
	};
	size_t len = 0;
	unsigned int c;

	buf[0] = '\0';
	for (c = 0; c < 64 && len < sz; c++) {
		if (!(mask & BIT(c)))
			continue;
		if (c < sizeof(names) / sizeof(names[0]) && names[c])
			len += snprintf(buf + len, sz - len, "%s%s", len ? "," : "", names[c]);
		else
			len += snprintf(buf + len, sz - len, "%scap_%u", len ? "," : "", c);
	}
	if (!len)
		snprintf(buf, sz, "none");
}

int caps_drop_after_attach(int map_fd)
{
	struct capsets s, want;
	uint64_t keep = KEEP_ALWAYS;
	char names[160];
	int c, last = last_cap(), err;

	err = caps_get(&s);
	if (err) {
		tr_err("capabilities: cannot read them: %s (tracee keeps running with its start-up capabilities)",
		       strerror(-err));
		return err;
	}
	/* First the effective set only: permitted still lets us take back. */
	want = (struct capsets){ .eff = s.eff & keep, .prm = s.prm, .inh = 0 };
	err = caps_set(&want);
	if (err)
		goto fail;
	if (!bpf_usable(map_fd)) {
		keep |= last >= CAP_BPF ? BIT(CAP_BPF) : BIT(CAP_SYS_ADMIN);
		want.eff = s.eff & keep;
		err = caps_set(&want);
		if (err)
			goto fail;
		if (!bpf_usable(map_fd))
			keep |= BIT(CAP_SYS_ADMIN);
		tr_verbose(1, "capabilities: this kernel gates bpf() on our own maps (kernel.unprivileged_bpf_disabled): keeping CAP_BPF");
	}
	/*
	 * The bounding set needs CAP_SETPCAP in the effective set: raise it
	 * back for this, then drop it with the rest.
	 */
	want.eff = s.eff;
	caps_set(&want);
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) && errno != EINVAL) {
		err = -errno;
		goto fail;
	}
	for (c = 0; c <= last; c++) {
		if (keep & BIT(c))
			continue;
		if (prctl(PR_CAPBSET_DROP, c, 0, 0, 0) && errno != EINVAL) {
			err = -errno;
			if (err == -EPERM)
				break;	/* no CAP_SETPCAP: the other sets still shrink */
			goto fail;
		}
	}
	want = (struct capsets){ .eff = s.eff & keep, .prm = s.prm & keep, .inh = 0 };
	err = caps_set(&want);
	if (err)
		goto fail;
	caps_names(want.eff, names, sizeof(names));
	tr_verbose(1, "capabilities: attached; keeping only %s", names);
	return 0;
fail:
	/* Never leave the effective set short of what the run needs. */
	want = (struct capsets){ .eff = s.eff, .prm = s.prm, .inh = s.inh };
	caps_set(&want);
	tr_err("capabilities: could not drop them after attaching: %s (tracee keeps running with its start-up capabilities)",
	       strerror(-err));
	return err;
}
