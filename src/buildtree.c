// SPDX-License-Identifier: GPL-2.0
/*
 * buildtree.c - run from a clone without installing.
 *
 * The binary `make` leaves in src/ knows where it was built.  When the
 * running executable is that very file, the Lua library, the eBPF objects
 * and the eBPF sources are taken from the tree (unless the environment
 * already names them), so `./src/tracee` traces with the default policy
 * right after the build.  An installed copy lives elsewhere, never matches,
 * and never looks at a build tree.
 */
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buildtree.h"

bool buildtree_use(void)
{
	char self[PATH_MAX];
	ssize_t n;

	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n <= 0)
		return false;
	self[n] = '\0';
	if (strcmp(self, TRACEE_BUILD_EXE))
		return false;
	/* overwrite 0: what the caller set explicitly wins */
	if (setenv("TRACEE_LUA_DIR", TRACEE_BUILD_SRCDIR "/lua", 0) ||
	    setenv("TRACEE_PKGLIBDIR", TRACEE_BUILD_DIR "/dist", 0) ||
	    setenv("TRACEE_BPF_SRC_DIR", TRACEE_BUILD_SRCDIR "/bpf", 0))
		return false;
	return true;
}
