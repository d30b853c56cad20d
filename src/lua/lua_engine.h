/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lua_engine.h - the embedded Lua 5.4 engine: user policies (-s FILE) and the
 * built-in signatures (lua/signatures/NAME.lua), sandboxed and budgeted.
 *
 * One engine holds one lua_State.  Each script runs in its own environment
 * with safe libraries only; every callback runs under an instruction and a
 * wall-time budget, and each script under a memory budget of its own.  A
 * callback that errors is logged once with script, callback, message and
 * traceback, reported as a tracee_rule_error finding, and paused for a
 * while after max_errors errors in a row: nothing a script does takes the
 * tracer down, and no rule is switched off for good.  What a script
 * registers (callbacks, signatures, timers, scopes, tuning) is fixed once
 * its main chunk has run.
 *
 * The engine knows events only through struct tr_event and the events table:
 * no BPF, no loader, so `tracee analyze` and the Lua C module reuse it.
 *
 * Threading: an engine is used by one thread at a time.
 */
#ifndef TRACEE_LUA_ENGINE_H
#define TRACEE_LUA_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "event.h"
#include "events.h"

struct lua_engine;

/* What tracee.process(pid) returns, filled by a lookup function. */
struct lua_engine_proc {
	int pid, ppid, uid;
	uint64_t start_time_ns;		/* CLOCK_MONOTONIC ns, as the process tree keeps it */
	char comm[TR_COMM_LEN + 1];
	char exe[TR_PATH_MAX];
	char container_id[65];		/* "" on the host */
	char argv[4096];		/* NUL-separated */
	size_t argv_sz;
};

/* Return 0 and fill *p, or -ENOENT.  pid is a host pid. */
typedef int (*lua_engine_proc_fn)(void *ctx, int pid, struct lua_engine_proc *p);
/* The process tree (proctree.h) only: for replays (tracee analyze). */
int lua_engine_proc_tree(void *ctx, int pid, struct lua_engine_proc *p);
/* The process tree, then /proc for processes it does not know: live runs. */
int lua_engine_proc_live(void *ctx, int pid, struct lua_engine_proc *p);

struct lua_engine_opts {
	bool unsafe;			/* --script-unsafe: io and os for scripts */
	uint64_t max_instructions;	/* per callback; 0: LUA_ENGINE_DEF_INSTRUCTIONS */
	uint64_t max_wall_ns;		/* per callback; 0: LUA_ENGINE_DEF_WALL_NS */
	size_t max_mem_bytes;		/* per script; 0: LUA_ENGINE_DEF_MEM */
	unsigned int max_errors;	/* errors in a row that pause a callback; 0: default */
	uint64_t error_pause_ns;	/* its first pause (then doubled); 0: LUA_ENGINE_DEF_PAUSE_NS */
	/*
	 * Directory holding tracee.lua (the stdlib) and signatures/.  NULL:
	 * $TRACEE_LUA_DIR, else PKGDATADIR "/lua".
	 */
	const char *lib_dir;
	/* Called synchronously for every finding (built-in or user). */
	void (*finding_cb)(void *ctx, const struct tr_finding *f);
	void *finding_ctx;
	/* tracee.process(pid); NULL: lua_engine_proc_live. */
	lua_engine_proc_fn proc_lookup;
	void *proc_ctx;
	/*
	 * tracee.capture(e, kind): ask for an artifact of e ("exec": its
	 * process's executable).  0 or -errno; NULL: capture is not part of
	 * this host (tracee analyze, the Lua module), and tracee.capture says so.
	 */
	int (*capture)(void *ctx, const struct tr_event *ev, const char *kind);
	void *capture_ctx;
};

#define LUA_ENGINE_DEF_INSTRUCTIONS	(1000ULL * 1000)
#define LUA_ENGINE_DEF_WALL_NS		(50ULL * 1000 * 1000)
#define LUA_ENGINE_DEF_MEM		((size_t)64 << 20)
#define LUA_ENGINE_DEF_ERRORS		10
#define LUA_ENGINE_DEF_PAUSE_NS		(1000ULL * 1000 * 1000)

/* NULL with errno set and one line on stderr. */
struct lua_engine *lua_engine_new(const struct lua_engine_opts *o);
void lua_engine_free(struct lua_engine *e);

/*
 * Load and run a script's main chunk (source only, never bytecode).  A
 * syntax or run-time error prints "file:line: message" and returns -EINVAL;
 * a missing file -ENOENT.  Whatever the failed script registered is removed.
 */
int lua_engine_load_file(struct lua_engine *e, const char *path);
/* The same from memory; name is shown in messages ("=name" style not needed). */
int lua_engine_load_string(struct lua_engine *e, const char *name, const char *src);
/* Every *.lua file of dir, in name order (--scripts-dir). */
int lua_engine_load_dir(struct lua_engine *e, const char *dir);
/* The shipped signatures: every lib_dir/signatures/NAME.lua. */
int lua_engine_load_builtin(struct lua_engine *e);

/*
 * Tuning.  lua_engine_select_signatures() takes --signatures' grammar:
 * comma-separated selectors (ID, NAME, tag:TAG or all), "-" before one
 * switches it off, "+" on; a plain first item means "only these", as -e
 * does.  A syntax error prints one line and returns -EINVAL.
 *
 * lua_engine_resolve() applies, once every script is loaded and before the
 * selection below is read: each signature's declared default (enabled =
 * false: off), then the policies' tracee.enable/tracee.disable in load
 * order, then the command line; it takes the signatures switched off out of
 * dispatch (their events and paths leave the kernel selection unless
 * someone else wants them) and binds tracee.except() exceptions to their
 * signatures.  A selector that names no signature prints one line and
 * returns -EINVAL.  It may run again after more scripts are loaded.
 */
int lua_engine_select_signatures(struct lua_engine *e, const char *list);
int lua_engine_resolve(struct lua_engine *e);

/*
 * Events the scripts need (tracee.on, tracee.events, signature events known
 * to the events table), OR-ed into sel: the kernel filters.  "*" handlers add
 * nothing: they see whatever else is selected.
 */
void lua_engine_selection(const struct lua_engine *e, struct tr_selection *sel);
/* Events the scripts asked to see in the output (tracee.on, tracee.events). */
void lua_engine_output_selection(const struct lua_engine *e, struct tr_selection *sel);
/*
 * Declarations in --scope / -e grammar collected from tracee.scope{} and
 * from argument predicates in tracee.events{} ("openat.args.pathname=/etc/passwd").
 * Returns the count; *list stays valid until lua_engine_free().
 */
unsigned int lua_engine_scopes(const struct lua_engine *e, const char *const **list);
unsigned int lua_engine_event_filters(const struct lua_engine *e, const char *const **list);

/*
 * What the handlers of event id need of its pathname, for the kernel-side
 * prefilter: -1 when one of them takes every event (a tracee.on() callback,
 * a signature without paths=); else the union of the signatures' paths=
 * globs, passed to add(), and their number.
 */
int lua_engine_event_paths(const struct lua_engine *e, int id,
			   void (*add)(void *ctx, const char *glob), void *ctx);

/*
 * Run every callback registered for ev (and the "*" ones).  Returns 1 to
 * keep the event, 0 when a tracee.on callback returned false.  Signatures
 * never drop events.  ev is only borrowed for the call.
 */
int lua_engine_event(struct lua_engine *e, const struct tr_event *ev);
/* Run due tracee.every timers; now_ns is CLOCK_MONOTONIC. */
void lua_engine_tick(struct lua_engine *e, uint64_t now_ns);
/* on_signal("complete"), tracee.on_exit callbacks, then counters to summary. */
void lua_engine_finish(struct lua_engine *e, FILE *summary);

struct lua_engine_stats {
	uint64_t events;	/* events that reached at least one callback */
	uint64_t dropped;	/* a callback returned false */
	uint64_t findings;
	uint64_t suppressed;	/* findings held back by tracee.except() */
	uint64_t errors;	/* callback errors, budgets included */
	uint64_t rule_errors;	/* tracee_rule_error findings sent */
	unsigned int disabled;	/* pauses of failing callbacks */
	unsigned int scripts, signatures, callbacks;
};
void lua_engine_get_stats(const struct lua_engine *e, struct lua_engine_stats *st);
/* The last error reported (script, callback, message, traceback), or "". */
const char *lua_engine_last_error(const struct lua_engine *e);

/* Signatures, for --list-signatures and tools. */
struct lua_engine_sig {
	const char *id, *name, *title, *version, *description, *origin, *file;
	const char *category, *technique, *external_id;
	int severity;
	const char *const *events;
	unsigned int nr_events;
	const char *const *requires;	/* kernel features its events need ("kprobes") */
	unsigned int nr_requires;
	const char *const *tags;	/* NULL-terminated */
	bool enabled;
	/* why: "default", "opt-in" (enabled = false), "--signatures" or the policy's label */
	const char *why;
	uint64_t findings, suppressed;
};
/* 0 and *out filled for i < count, -ENOENT past the end. */
int lua_engine_signature(const struct lua_engine *e, unsigned int i, struct lua_engine_sig *out);

/* Is this event available on this kernel/build?  NULL: "is in the events table". */
typedef bool (*lua_engine_avail_fn)(void *ctx, const char *event);
/*
 * One line per signature: ID, name, severity, state (on/off) and what
 * decided it, origin, ATT&CK tactic and technique id, tags, availability
 * and events, one word per column but the last;
 * then the named lists (tracee.list) with their items and the exceptions
 * (tracee.except).  Call lua_engine_resolve() first.
 */
void lua_engine_list_signatures(const struct lua_engine *e, FILE *out, lua_engine_avail_fn avail,
				void *ctx);

/*
 * For the Lua C module (src/lua/lua_module.c): let a host lua_State (plain
 * lua5.4 after require "tracee") hold this engine's event values.  Events
 * there are small full userdata with a registry metatable of their own:
 * the host's extra space and its light-userdata metatable are left alone.
 * Use an engine that runs no scripts for this.
 * lua_engine_set_current makes ev (NULL: none) the event values refer to;
 * values of the previous one go stale.  lua_engine_push_event pushes the
 * current event onto L (nil when none).
 */
struct lua_State;
void lua_engine_bind_host(struct lua_engine *e, struct lua_State *L);
uint64_t lua_engine_set_current(struct lua_engine *e, const struct tr_event *ev);
void lua_engine_push_event(struct lua_engine *e, struct lua_State *L);

#endif /* TRACEE_LUA_ENGINE_H */
