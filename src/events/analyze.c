// SPDX-License-Identifier: GPL-2.0
/*
 * analyze.c - `tracee analyze FILE...`: replay recorded JSON events.
 *
 * The same path as a live run from the decoder on: process tree, Lua
 * engine (scripts and built-in signatures), outputs.  Only the source
 * differs: lines of a file read by jsonread instead of ring-buffer records.
 * Findings found in the input (lines with "metadata") are results of the
 * recording run, not events: they are counted and left out.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "analyze.h"
#include "clock.h"
#include "events.h"
#include "jsonread.h"
#include "log.h"
#include "lua_engine.h"
#include "output.h"
#include "proctree.h"

#define MAX_OUTPUTS	8
#define MAX_SCRIPTS	64

/* A pid root that cannot exist: a replay must never look at this host's processes. */
#define NO_PROC_ROOT	"/dev/null/tracee-analyze"

struct analyze {
	struct output *outs[MAX_OUTPUTS];
	unsigned int nr_outs;
	struct lua_engine *lua;
	struct tr_selection out_sel;
	uint64_t events, findings_in, malformed, written_events, dropped;
};

int analyze_tree_init(void)
{
	struct proctree_opts o = {
		.proc_root = NO_PROC_ROOT,
		.cgroup2_root = "",
		.recorded_containers = true,	/* tracee.process().container */
		/* Replayed time jumps; keep exited processes for the late events of a file. */
		.grace_ns = 60ULL * 1000 * 1000 * 1000,
	};

	return proctree_init(&o);
}

void analyze_track(struct tr_event *ev)
{
	const char *cid = ev->container_id, *exe = ev->executable;

	proctree_enrich(ev, proctree_update(ev));
	if (cid && cid[0])
		ev->container_id = cid;
	if (exe && exe[0])
		ev->executable = exe;
	if (!ev->container_id || !ev->container_id[0])
		ev->container_started = false;
}

static void usage(FILE *out)
{
	fputs("Usage: tracee analyze [OPTIONS] FILE...\n"
	      "Replay events recorded with -o json[:FILE] (one JSON event per line; ours or\n"
	      "Tracee's schema) through the built-in signatures and Lua scripts, and print\n"
	      "the findings as a live run would.  FILE - reads stdin.  No root, no eBPF.\n"
	      "\n"
	      "  -s, --script FILE          run a Lua policy script too (repeatable)\n"
	      "      --scripts-dir DIR      run every *.lua file in DIR\n"
	      "      --script-unsafe        give scripts the io and os libraries\n"
	      "      --no-signatures        only the scripts, not the built-in signatures\n"
	      "      --signatures LIST      switch signatures on or off, as tracee --signatures\n"
	      "  -e, --events LIST          also write these replayed events to the output\n"
	      "  -o, --output SPEC          table | table-verbose | json | none, optionally :FILE;\n"
	      "                             option:parse-arguments, option:exec-env, option:umask (repeatable)\n"
	      "      --stats                print replayed events per second to stderr\n"
	      "  -v, --verbose              say more\n"
	      "  -h, --help                 this text\n"
	      "\n"
	      "Exit status: 0 every line replayed; 3 finished, but malformed lines were\n"
	      "reported (FILE:LINE: message) and skipped; 1 an error (unreadable file, script\n"
	      "error, output error, bad option).  See tracee(8).\n", out);
}

static void on_finding(void *ctx, const struct tr_finding *f)
{
	struct analyze *a = ctx;
	unsigned int i;

	for (i = 0; i < a->nr_outs; i++)
		output_finding(a->outs[i], f);
}

/* One file to its end.  0, or -errno when it could not be opened or read. */
static int replay_file(struct analyze *a, struct jsonread *jr, const char *path)
{
	struct tr_event ev;
	unsigned int i;
	int ret;

	ret = jsonread_open(jr, path);
	if (ret) {
		tr_err("%s", jsonread_error(jr));
		return ret;
	}
	for (;;) {
		ret = jsonread_next(jr, &ev);
		if (ret == JSONREAD_EOF)
			return 0;
		if (ret == -EINVAL) {
			a->malformed++;
			fprintf(stderr, "%s:%lu: %s\n", jsonread_name(jr), jsonread_lineno(jr),
				jsonread_error(jr));
			continue;
		}
		if (ret < 0) {
			tr_err("%s: %s (after line %lu)", jsonread_name(jr), jsonread_error(jr),
			       jsonread_lineno(jr));
			return ret;
		}
		if (ret == JSONREAD_FINDING) {
			a->findings_in++;
			continue;
		}
		a->events++;
		analyze_track(&ev);
		if (a->lua) {
			lua_engine_tick(a->lua, ev.timestamp_ns);
			if (!lua_engine_event(a->lua, &ev)) {
				a->dropped++;
				continue;
			}
		}
		if (!ev.def || !selection_has(&a->out_sel, ev.def->id))
			continue;
		a->written_events++;
		for (i = 0; i < a->nr_outs; i++)
			output_event(a->outs[i], &ev);
	}
}

enum {
	OPT_SCRIPTS_DIR = 256,
	OPT_SCRIPT_UNSAFE,
	OPT_NO_SIGNATURES,
	OPT_SIGNATURES,
	OPT_STATS,
};

static const struct option long_opts[] = {
	{ "script",		required_argument, NULL, 's' },
	{ "scripts-dir",	required_argument, NULL, OPT_SCRIPTS_DIR },
	{ "script-unsafe",	no_argument,	   NULL, OPT_SCRIPT_UNSAFE },
	{ "no-signatures",	no_argument,	   NULL, OPT_NO_SIGNATURES },
	{ "signatures",		required_argument, NULL, OPT_SIGNATURES },
	{ "events",		required_argument, NULL, 'e' },
	{ "output",		required_argument, NULL, 'o' },
	{ "stats",		no_argument,	   NULL, OPT_STATS },
	{ "verbose",		no_argument,	   NULL, 'v' },
	{ "help",		no_argument,	   NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

int analyze_main(int argc, char **argv)
{
	struct analyze a = { 0 };
	struct output_opts oo = { 0 };
	struct lua_engine_opts lo = {
		.finding_cb = on_finding,
		.finding_ctx = &a,
		.proc_lookup = lua_engine_proc_tree,
	};
	const char *outputs[MAX_OUTPUTS], *scripts[MAX_SCRIPTS], *scripts_dir = NULL;
	const char *sig_lists[MAX_SCRIPTS];
	unsigned int nr_outputs = 0, nr_scripts = 0, nr_sig_lists = 0, i;
	bool signatures = true, stats = false, tree = false;
	struct jsonread *jr = NULL;
	struct lua_engine_stats ls;
	char err[256];
	uint64_t t0;
	int c, ret = ANALYZE_EXIT_ERROR;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "s:e:o:vh", long_opts, NULL)) != -1) {
		switch (c) {
		case 's':
			if (nr_scripts == MAX_SCRIPTS) {
				tr_err("too many -s scripts (at most %d; use --scripts-dir)", MAX_SCRIPTS);
				return ANALYZE_EXIT_ERROR;
			}
			scripts[nr_scripts++] = optarg;
			break;
		case OPT_SCRIPTS_DIR:
			scripts_dir = optarg;
			break;
		case OPT_SCRIPT_UNSAFE:
			lo.unsafe = true;
			break;
		case OPT_NO_SIGNATURES:
			signatures = false;
			break;
		case OPT_SIGNATURES:
			if (nr_sig_lists == MAX_SCRIPTS) {
				tr_err("too many --signatures options (at most %d; join them with commas)",
				       MAX_SCRIPTS);
				return ANALYZE_EXIT_ERROR;
			}
			sig_lists[nr_sig_lists++] = optarg;
			break;
		case 'e':
			if (events_select(&a.out_sel, optarg, err, sizeof(err))) {
				tr_err("%s", err);
				return ANALYZE_EXIT_ERROR;
			}
			break;
		case 'o':
			c = output_parse_option(&oo, optarg);
			if (c < 0)
				return ANALYZE_EXIT_ERROR;
			if (c > 0)
				break;	/* an option:NAME */
			if (nr_outputs == MAX_OUTPUTS) {
				tr_err("too many -o outputs (at most %d)", MAX_OUTPUTS);
				return ANALYZE_EXIT_ERROR;
			} else {
				outputs[nr_outputs++] = optarg;
			}
			break;
		case OPT_STATS:
			stats = true;
			break;
		case 'v':
			log_verbosity++;
			break;
		case 'h':
			usage(stdout);
			return ANALYZE_EXIT_OK;
		case ':':
			tr_err("option '%s' needs a value (see tracee analyze --help)", argv[optind - 1]);
			return ANALYZE_EXIT_ERROR;
		default:
			tr_err("unknown option '%s' for analyze (see tracee analyze --help)",
			       argv[optind - 1]);
			return ANALYZE_EXIT_ERROR;
		}
	}
	if (optind >= argc) {
		tr_err("analyze needs at least one file (a recording made with -o json:FILE, or - for stdin)");
		return ANALYZE_EXIT_ERROR;
	}
	if (!nr_outputs)
		outputs[nr_outputs++] = "table";
	signal(SIGPIPE, SIG_IGN);	/* a closed pipe is an output error, not death */

	/* Scripts first: a script error stops us before any output file exists. */
	if (signatures || nr_scripts || scripts_dir) {
		a.lua = lua_engine_new(&lo);
		if (!a.lua)
			goto out;
		if (signatures && lua_engine_load_builtin(a.lua))
			goto out;
		for (i = 0; i < nr_scripts; i++)
			if (lua_engine_load_file(a.lua, scripts[i]))
				goto out;
		if (scripts_dir && lua_engine_load_dir(a.lua, scripts_dir))
			goto out;
		for (i = 0; i < nr_sig_lists; i++)
			if (lua_engine_select_signatures(a.lua, sig_lists[i]))
				goto out;
		if (lua_engine_resolve(a.lua))
			goto out;
		lua_engine_output_selection(a.lua, &a.out_sel);
	}
	/* Unreadable inputs stop us before an output file is created. */
	for (i = optind; i < (unsigned int)argc; i++) {
		if (strcmp(argv[i], "-") && access(argv[i], R_OK)) {
			tr_err("%s: %s (give a file recorded with -o json:FILE, or - for stdin)",
			       argv[i], strerror(errno));
			goto out;
		}
	}
	if (analyze_tree_init()) {
		tr_err("process tree: %s", strerror(ENOMEM));
		goto out;
	}
	tree = true;
	jr = jsonread_new();
	if (!jr) {
		tr_err("analyze: %s", strerror(ENOMEM));
		goto out;
	}
	for (i = 0; i < nr_outputs; i++) {
		a.outs[i] = output_new(outputs[i], &oo);
		if (!a.outs[i])
			goto out;
		a.nr_outs++;
	}

	ret = ANALYZE_EXIT_OK;
	t0 = mono_ns();
	for (i = optind; i < (unsigned int)argc; i++)
		if (replay_file(&a, jr, argv[i]))
			ret = ANALYZE_EXIT_ERROR;
	if (a.lua)
		lua_engine_finish(a.lua, stderr);
	if (stats) {
		double s = (double)(mono_ns() - t0) / 1e9;

		tr_info("analyze: %llu events replayed in %.3f s (%.0f events/s), %llu written, "
			"%llu dropped by scripts, %llu findings in the input skipped, %llu malformed lines",
			(unsigned long long)a.events, s, s > 0 ? (double)a.events / s : 0.0,
			(unsigned long long)a.written_events, (unsigned long long)a.dropped,
			(unsigned long long)a.findings_in, (unsigned long long)a.malformed);
		if (a.lua) {
			lua_engine_get_stats(a.lua, &ls);
			tr_info("analyze: %llu findings, %llu script errors",
				(unsigned long long)ls.findings, (unsigned long long)ls.errors);
		}
	}
	for (i = 0; i < a.nr_outs; i++) {
		output_set_totals(a.outs[i], 0, a.malformed);
		if (output_flush(a.outs[i]) || output_failed(a.outs[i]))
			ret = ANALYZE_EXIT_ERROR;
	}
	if (ret == ANALYZE_EXIT_OK && a.malformed) {
		tr_err("analyze: %llu malformed lines skipped (listed above as FILE:LINE)",
		       (unsigned long long)a.malformed);
		ret = ANALYZE_EXIT_MALFORMED;
	}
out:
	for (i = 0; i < a.nr_outs; i++)
		output_free(a.outs[i]);
	jsonread_free(jr);
	if (tree)
		proctree_fini();
	lua_engine_free(a.lua);
	return ret;
}
