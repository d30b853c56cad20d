/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cli.h - command line and environment -> one configuration.
 */
#ifndef TRACEE_CLI_H
#define TRACEE_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "capture.h"
#include "cfgfile.h"
#include "events.h"
#include "filter.h"
#include "loader.h"
#include "output.h"
#include "runtime.h"
#include "server.h"

#define CLI_MAX_SCRIPTS		64
#define CLI_MAX_OUTPUTS		8
#define CLI_MAX_EXPRS		128
#define CLI_MAX_SIG_LISTS	32

enum cli_mode {
	CLI_RUN = 0,		/* trace */
	CLI_LIST,		/* -l: list events */
	CLI_LIST_SIGNATURES,	/* --list-signatures */
	CLI_PROBE,		/* --probe: kernel features and the object choice */
	CLI_HELP,
	CLI_VERSION,
};

struct cli_config {
	enum cli_mode mode;
	bool events_given;			/* -e seen: events go to the output */
	struct tr_selection sel;
	const char *outputs[CLI_MAX_OUTPUTS];	/* "json", "table:FILE", ... */
	unsigned int nr_outputs;
	struct output_opts out_opts;
	const char *scripts[CLI_MAX_SCRIPTS];
	unsigned int nr_scripts;
	const char *scripts_dir;
	bool script_unsafe;
	bool signatures;			/* run the built-in signatures */
	const char *sig_lists[CLI_MAX_SIG_LISTS];	/* --signatures, in order */
	unsigned int nr_sig_lists;
	struct filter filter;			/* --scope, --trace, -e EVENT.args... */
	const char *pidfile;
	bool stats;
	struct server_opts server;		/* --server */
	bool server_given;
	struct config config;			/* --config: owns the strings it gave */
	struct loader_opts lopts;		/* object choice and kernel-side knobs */
	struct runtime_opts containers;		/* --containers: runtime sockets, enrichment */
	struct capture_opts capture;		/* -c: artifacts kept */
};

/*
 * Parse argv and the environment into cfg.  Returns 0, or -EINVAL after one
 * line on stderr quoting the offending text and naming the fix.
 */
int cli_parse(int argc, char **argv, struct cli_config *cfg);
/* Release what cli_parse() allocated (the filter); NULL-safe. */
void cli_fini(struct cli_config *cfg);
void cli_usage(FILE *out);

#endif /* TRACEE_CLI_H */
