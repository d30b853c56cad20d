// SPDX-License-Identifier: GPL-2.0
/*
 * test_pathdfa.c - the kernel pathname prefilter's automaton (src/filter/pathdfa.c)
 * against a plain glob matcher: exact where it claims to be, a superset
 * where it had to simplify, never a path lost.  pathdfa_match() takes the
 * same steps as tr_g_path_wanted() in bpf/pathfilter.h; the kernel side is
 * tested by tests/integration/path_prefilter.sh.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pathdfa.h"
#include "../tap.h"

/* The reference: '*' matches any run of bytes, by plain recursion. */
static bool ref_match(const char *g, const char *s)
{
	if (!*g)
		return !*s;
	if (*g == '*')
		return ref_match(g + 1, s) || (*s && ref_match(g, s + 1));
	return *s == *g && ref_match(g + 1, s + 1);
}

static bool ref_any(const char *const *globs, unsigned int n, const char *s)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (ref_match(globs[i], s))
			return true;
	return false;
}

static bool dfa(const struct pathdfa *d, const char *s)
{
	return pathdfa_match(d, s, strlen(s));
}

static unsigned int rnd(unsigned int n)
{
	return (unsigned int)random() % n;
}

/* A path a glob matches: each '*' replaced by 0..5 bytes of alpha. */
static void instance(const char *g, const char *alpha, char *out, size_t cap)
{
	size_t n = 0, k;

	for (; *g && n + 8 < cap; g++) {
		if (*g != '*') {
			out[n++] = *g;
			continue;
		}
		for (k = rnd(6); k > 0; k--)
			out[n++] = alpha[rnd(strlen(alpha))];
	}
	out[n] = '\0';
}

/* The same, one byte changed, dropped or added: mostly a path no glob matches. */
static void mutate(char *s, const char *alpha)
{
	size_t len = strlen(s), at = len ? rnd(len) : 0;

	switch (rnd(3)) {
	case 0:
		if (len)
			s[at] = alpha[rnd(strlen(alpha))];
		break;
	case 1:
		if (len)
			memmove(s + at, s + at + 1, len - at);
		break;
	default:
		memmove(s + at + 1, s + at, len - at + 1);
		s[at] = alpha[rnd(strlen(alpha))];
	}
}

/* The kinds of globs the default rules use, and synthetic ones to 128. */
static const char *const real_globs[] = {
	"/etc/shadow", "/etc/gshadow", "/etc/sudoers", "/etc/sudoers.d/*", "*/.ssh/id_*",
	"*/.ssh/authorized_keys*", "*/.aws/credentials", "*/.kube/config", "*/.gnupg/*",
	"/proc/*/environ", "/proc/*/mem", "*/mem", "*token", "*docker.sock", "*/release_agent",
	"*/notify_on_release", "/var/log/*", "*/.bash_history", "*/.zsh_history",
	"/etc/systemd/system/*", "/lib/systemd/system/*", "/etc/init.d/*", "/etc/rc*", "/etc/cron*",
	"/var/spool/cron/*", "/etc/profile.d/*", "*/.bashrc", "*/.profile", "/etc/ld.so.preload",
	"/etc/pam.d/*", "/usr/bin/*", "/usr/sbin/*", "/bin/*", "/sbin/*", "/usr/local/bin/*",
	"/lib*", "/usr/lib*", "/var/lib/dpkg/*", "/root/*", "/dev/shm/*", "/proc/sys/kernel/*",
	"/sys/fs/cgroup/*/release_agent", "/etc/kubernetes/pki/*", "/home/*/.config/*/token*",
};

static void kinds(void)
{
	const char *globs[] = { "/etc/shadow", "/usr/bin/*", "*/.bash_history", "/proc/*/environ",
				"*/.ssh/*" };
	static const struct {
		const char *path;
		bool hit;
	} cases[] = {
		{ "/etc/shadow", true },		/* exact */
		{ "/etc/shadow-", false },
		{ "/etc/shado", false },
		{ "/usr/bin/ls", true },		/* prefix */
		{ "/usr/bin/", true },
		{ "/usr/bin", false },
		{ "/usr/binx/ls", false },
		{ "/home/u/.bash_history", true },	/* suffix */
		{ "/.bash_history", true },
		{ "/home/u/.bash_history~", false },
		{ "/proc/1/environ", true },		/* prefix and suffix */
		{ "/proc/self/task/7/environ", true },
		{ "/proc/environ", false },
		{ "/proc/1/environ2", false },
		{ "/sys/proc/1/environ", false },
		{ "/root/.ssh/id_rsa", true },		/* a directory anywhere */
		{ "/home/a/b/.ssh/config", true },
		{ "/root/.sshx/id_rsa", false },
		{ "/root/x.ssh/id_rsa", false },
		{ "/tmp/tracee-bench.x/open-marker", false },
		{ "/", false },
	};
	struct pathdfa d;
	unsigned int i, bad = 0;

	int ret = pathdfa_build(&d, globs, 5, TR_PF_MAX_STATES);

	ok(!ret && d.level == PATHDFA_EXACT && !d.merged,
	   "exact, prefix, suffix, prefix+suffix and directory globs: one exact automaton (%u rows)",
	   d.nr_states);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (dfa(&d, cases[i].path) != cases[i].hit) {
			diag("%s: %s, want %s", cases[i].path, cases[i].hit ? "dropped" : "kept",
			     cases[i].hit ? "kept" : "dropped");
			bad++;
		}
	ok(!bad, "each kind keeps its paths and drops its near misses (%u cases)", i);
	pathdfa_fini(&d);
}

/* Many realistic globs: exact on their own instances and near misses. */
static void many(void)
{
	const char *globs[256];
	char names[256][64], path[256];
	unsigned int n = 0, i, k, bad = 0, kept = 0, tried = 0;
	struct pathdfa d;
	int ret;

	for (i = 0; i < sizeof(real_globs) / sizeof(real_globs[0]); i++)
		globs[n++] = real_globs[i];
	for (i = 0; n < 256; i++) {
		if (i % 4 == 0)
			snprintf(names[n], sizeof(names[n]), "/opt/app%u/etc/secret.conf", i);
		else if (i % 4 == 1)
			snprintf(names[n], sizeof(names[n]), "/srv/data%u/*", i);
		else if (i % 4 == 2)
			snprintf(names[n], sizeof(names[n]), "*/.app%urc", i);
		else
			snprintf(names[n], sizeof(names[n]), "/home/*/.cache/tool%u/*", i);
		globs[n] = names[n];
		n++;
	}
	ret = pathdfa_build(&d, globs, n, TR_PF_MAX_STATES);
	ok(!ret && d.level == PATHDFA_EXACT && !d.merged, "%u globs: an exact automaton of %u rows, %u byte classes", n, d.nr_states,
	   d.nr_classes);
	for (k = 0; k < 40; k++)
		for (i = 0; i < n; i++) {
			bool want, got;

			instance(globs[i], "abc/._-", path, sizeof(path));
			if (k & 1)
				mutate(path, "abcxyz/._-");
			want = ref_any(globs, n, path);
			got = dfa(&d, path);
			tried++;
			kept += got;
			if (want != got && bad++ < 5)
				diag("%s: the automaton says %d, the globs %d", path, got, want);
		}
	ok(!bad, "%u paths (%u kept): the automaton decides as the globs do", tried, kept);
	pathdfa_fini(&d);
}

/* Random globs over a small alphabet, where stars interact the most. */
static void fuzz(void)
{
	unsigned int round, bad = 0, inexact = 0, too_big = 0, paths = 0;

	for (round = 0; round < 3000; round++) {
		char gbuf[12][12], path[64];
		const char *globs[12];
		unsigned int n = 1 + rnd(12), i, k;
		struct pathdfa d;
		int ret;

		for (i = 0; i < n; i++) {
			unsigned int len = rnd(9);

			for (k = 0; k < len; k++)
				gbuf[i][k] = "ab/.*"[rnd(5)];
			gbuf[i][len] = '\0';
			globs[i] = gbuf[i];
		}
		/* one round in three with little room: simplified globs */
		ret = pathdfa_build(&d, globs, n, round % 3 ? 1024 : 12);
		if (ret == -E2BIG) {
			too_big++;	/* no prefilter: every path kept */
			continue;
		}
		if (ret == -ERANGE) {
			/* only when a glob matches every path */
			if (!ref_any(globs, n, "") || !ref_any(globs, n, "ab/.zq"))
				bad++;
			continue;
		}
		if (ret) {
			bad++;
			continue;
		}
		if (d.level != PATHDFA_EXACT)
			inexact++;
		for (k = 0; k < 60; k++, paths++) {
			bool want, got;

			if (k < 30) {
				instance(globs[rnd(n)], "ab/.", path, sizeof(path));
				if (k & 1)
					mutate(path, "ab/.c");
			} else {
				unsigned int len = rnd(10);

				for (i = 0; i < len; i++)
					path[i] = "ab/.c"[rnd(5)];
				path[len] = '\0';
			}
			want = ref_any(globs, n, path);
			got = dfa(&d, path);
			/* exact at level 0, a superset after simplifying */
			if ((d.level == PATHDFA_EXACT && got != want) || (want && !got)) {
				if (bad++ < 5)
					diag("round %u, path '%s': automaton %d, globs %d", round, path,
					     got, want);
			}
		}
		pathdfa_fini(&d);
	}
	ok(!bad && inexact && too_big,
	   "3000 random glob sets, %u paths: exact, or a superset after simplifying (%u), or none (%u)",
	   paths, inexact, too_big);
}

/* More distinct bytes than classes: bytes share classes, nothing is lost. */
static void merged(void)
{
	char gbuf[100][8], path[16];
	const char *globs[100];
	unsigned int n = 0, b, bad = 0, kept = 0;
	struct pathdfa d;
	int ret;

	for (b = '!'; b <= '~'; b++) {
		if (b == '*')
			continue;
		snprintf(gbuf[n], sizeof(gbuf[n]), "/x%c*", b);
		globs[n] = gbuf[n];
		n++;
	}
	ret = pathdfa_build(&d, globs, n, TR_PF_MAX_STATES);
	ok(!ret && d.merged, "%u distinct bytes: classes merged (%u)", n + 1, d.nr_classes);
	for (b = 1; b < 256; b++) {
		snprintf(path, sizeof(path), "/x%c/f", b);
		if (ref_any(globs, n, path) && !dfa(&d, path))
			bad++;
		kept += dfa(&d, path);
	}
	ok(!bad && !dfa(&d, "/y/f") && !dfa(&d, "/x"),
	   "every matching path kept (%u of 255 kept), others still dropped", kept);
	pathdfa_fini(&d);
}

/* Too many rows for the limit: globs cut to one part, a superset; or no prefilter. */
static void limits(void)
{
	char gbuf[64][32], path[64];
	const char *globs[64], *all[] = { "/etc/*", "*" }, *none[] = { NULL };
	unsigned int n = 0, i, k, bad = 0;
	struct pathdfa d;
	int ret;

	/* a*b*c globs with distinct parts multiply rows */
	for (i = 0; i < 64; i++) {
		snprintf(gbuf[i], sizeof(gbuf[i]), "/d%u/*/x%u*/y%u", i, i * 7, i * 13);
		globs[n++] = gbuf[i];
	}
	ret = pathdfa_build(&d, globs, n, 200);
	ok(!ret && d.level == PATHDFA_ONE_PART && d.nr_states <= 200,
	   "rows over the limit: globs cut to one part (%u rows)", d.nr_states);
	for (k = 0; k < 2000; k++) {
		instance(globs[rnd(n)], "xy0123/", path, sizeof(path));
		if (k & 1)
			mutate(path, "xy0123/");
		if (ref_any(globs, n, path) && !dfa(&d, path))
			bad++;
	}
	ok(!bad && !dfa(&d, "/e1/a/x7/y13"), "cut globs lose no path and still drop others");
	pathdfa_fini(&d);
	ok(pathdfa_build(&d, globs, n, 8) == -E2BIG && !d.nr_states,
	   "no room even for one part each: -E2BIG, nothing built");
	ok(pathdfa_build(&d, all, 2, TR_PF_MAX_STATES) == -ERANGE,
	   "a glob matching every path: -ERANGE (no prefilter needed)");
	ok(pathdfa_build(&d, none, 0, TR_PF_MAX_STATES) == -EINVAL, "no glob: -EINVAL");
	pathdfa_fini(NULL);
}

int main(void)
{
	srandom(18);
	kinds();
	many();
	fuzz();
	merged();
	limits();
	return done_testing();
}
