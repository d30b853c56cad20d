/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cfgfile.h - --config FILE: a YAML mapping whose keys are the long options
 * (output, events, scope, server, ...), read with libyaml into a flat list
 * of (key, value, line) for cli.c to apply like flags.
 *
 * A value is a scalar, or a list of scalars (a repeatable option given
 * several times); "server" also takes a mapping (http-address: ADDR,
 * metrics: true, healthz: true), flattened to its items.  Anything else, a
 * key given twice or a file that is not a mapping is an error naming the
 * file, the line and the key.
 */
#ifndef TRACEE_CFGFILE_H
#define TRACEE_CFGFILE_H

#include <stdbool.h>

struct config_item {
	char *key;
	char *value;
	unsigned int line;	/* of the value, 1-based */
	bool plain;		/* an unquoted scalar: true/false are booleans */
	bool listed;		/* one element of a list */
};

struct config {
	struct config_item *items;
	unsigned int nr;
};

/* 0, or -errno after one line naming FILE:LINE and the key. */
int config_read(const char *path, struct config *c);
void config_fini(struct config *c);

#endif /* TRACEE_CFGFILE_H */
