/* SPDX-License-Identifier: GPL-2.0 */
#ifndef TRACEE_BUILDTREE_H
#define TRACEE_BUILDTREE_H

/*
 * When this process is the tracee binary that `make` built in its build
 * tree, point the searches at that tree (see buildtree.c).  Returns true
 * when it did.
 */
bool buildtree_use(void);

#endif
