/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pathdfa.h - the automaton of security_file_open's kernel pathname
 * prefilter: every glob the consumers declared, compiled into one
 * deterministic automaton that bpf/pathfilter.h (tr_g_path_wanted) runs
 * over each opened path, one table step per byte.
 */
#ifndef TRACEE_PATHDFA_H
#define TRACEE_PATHDFA_H

#include <linux/types.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tracee_abi.h"

/*
 * How far the globs were simplified to fit TR_PF_MAX_STATES rows; each
 * level matches a superset of the one before.
 */
enum pathdfa_level {
	PATHDFA_EXACT,		/* the globs as given */
	PATHDFA_ONE_PART,	/* each glob cut to one literal part: P*, *S or *M* */
};

struct pathdfa {
	uint8_t class[256];		/* byte -> class, 1..nr_classes */
	unsigned int nr_classes;
	bool merged;			/* classes hold several literal bytes: a superset */
	struct tr_pf_state *states;	/* rows: TR_PF_DEAD, TR_PF_ALL, TR_PF_START, ... */
	unsigned int nr_states;
	enum pathdfa_level level;
};

/*
 * Compile n globs ('*' matches any run of bytes, '/' included; every other
 * byte is literal, as in the user-space filters) into d, with at most
 * max_states rows (<= TR_PF_MAX_STATES).  When the exact automaton is too
 * large the globs are simplified (d->level) and, with more distinct bytes
 * than classes, bytes share classes (d->merged): what d matches is always a
 * superset of what the globs match.  Returns 0; -E2BIG when even that does
 * not fit, -ERANGE when the globs match every path (no prefilter is
 * needed), -ENOMEM.  d is left empty on error.
 */
int pathdfa_build(struct pathdfa *d, const char *const *globs, unsigned int n,
		  unsigned int max_states);

/* Frees the rows; d can be built again.  NULL-safe. */
void pathdfa_fini(struct pathdfa *d);

/* Does d let path (len bytes) through?  What tr_g_path_wanted() decides. */
bool pathdfa_match(const struct pathdfa *d, const char *path, size_t len);

#endif /* TRACEE_PATHDFA_H */
