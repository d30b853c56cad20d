/* SPDX-License-Identifier: GPL-2.0 */
/*
 * analyze.h - `tracee analyze FILE...`: recorded JSON events replayed
 * through the process tree, the scripts and the built-in signatures, with
 * findings printed by the same outputs as a live run.  No root, no BPF.
 */
#ifndef TRACEE_ANALYZE_H
#define TRACEE_ANALYZE_H

#include "event.h"

/* Exit statuses of `tracee analyze` (documented in tracee(8)). */
#define ANALYZE_EXIT_OK		0	/* every file read, every line an event */
#define ANALYZE_EXIT_ERROR	1	/* usage, unreadable file, script or output error */
#define ANALYZE_EXIT_MALFORMED	3	/* finished, but malformed lines were skipped */

/* argv[0] is "analyze".  Returns an ANALYZE_EXIT_* status. */
int analyze_main(int argc, char **argv);

/*
 * The process tree for a replay: never reads this host's /proc or cgroups
 * (the recorded pids and cgroup ids belong to another machine or time).
 * 0 or -errno; undo with proctree_fini().
 */
int analyze_tree_init(void);
/*
 * Feed one replayed event to the process tree and enrich it; what the
 * recording says (container id, executable) wins over the tree.
 */
void analyze_track(struct tr_event *ev);

#endif /* TRACEE_ANALYZE_H */
