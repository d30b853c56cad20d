// SPDX-License-Identifier: GPL-2.0
/*
 * tracepoint.c - whether a tracepoint exists on the running kernel, from
 * the best source available: its BTF, else /proc/kallsyms, else tracefs.
 */
#include <glob.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <bpf/btf.h>

#include "tracepoint.h"

/*
 * Without BTF: a tracepoint has a __traceiter_NAME function (5.10 and later)
 * or a __tracepoint_NAME object (seen only with KALLSYMS_ALL).  A kallsyms
 * with neither kind at all cannot tell (kptr_restrict, an old kernel).
 */
static int in_kallsyms(const char *name)
{
	size_t len = strlen(name);
	char line[512];
	int found = -1;
	FILE *fp;

	fp = fopen("/proc/kallsyms", "re");
	if (!fp)
		return -1;
	while (fgets(line, sizeof(line), fp)) {
		char *p = strrchr(line, ' ');
		size_t pre;

		if (!p)
			continue;
		p++;
		if (!strncmp(p, "__traceiter_", 12))
			pre = 12;
		else if (!strncmp(p, "__tracepoint_", 13))
			pre = 13;
		else
			continue;
		if (found < 0)
			found = 0;
		p += pre;
		if (!strncmp(p, name, len) &&
		    (p[len] == '\n' || p[len] == '\0' || p[len] == '\t')) {
			found = 1;
			break;
		}
	}
	fclose(fp);
	return found;
}

/*
 * tracefs lists the tracepoints that have a trace event (not the bare ones
 * that only raw programs see), so it comes last.
 */
static int in_tracefs(const char *name)
{
	static const char *const roots[] = { "/sys/kernel/tracing/events",
					     "/sys/kernel/debug/tracing/events" };
	char path[PATH_MAX];
	unsigned int i;
	glob_t g;
	int found;

	for (i = 0; i < sizeof(roots) / sizeof(roots[0]); i++) {
		if (access(roots[i], R_OK))
			continue;
		snprintf(path, sizeof(path), "%s/*/%s", roots[i], name);
		found = glob(path, GLOB_NOSORT, NULL, &g) == 0;
		globfree(&g);
		return found;
	}
	return -1;
}

int tracepoint_exists(const struct btf *kbtf, const char *name)
{
	char sym[160];
	int ret;

	if (kbtf) {
		/* The kernel declares a typedef btf_trace_<name> for each raw
		 * tracepoint.  Type id 0 is void, never a typedef: a hit is > 0. */
		snprintf(sym, sizeof(sym), "btf_trace_%s", name);
		return btf__find_by_name_kind(kbtf, sym, BTF_KIND_TYPEDEF) > 0;
	}
	ret = in_kallsyms(name);
	if (ret >= 0)
		return ret;
	return in_tracefs(name);
}
