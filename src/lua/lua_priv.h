/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lua_priv.h - the engine's state and the internals its files share:
 * lua_engine.c (life: new, free, load), sandbox.c (memory cap, budgets,
 * guarded library), pattern_guard.c, api.c (the tracee.* functions),
 * registry.c (signatures, tuning, exceptions, listing), dispatch.c (events
 * to callbacks, timers, errors) and lua_event.c (the event view and its
 * JSON form).
 */
#ifndef TRACEE_LUA_PRIV_H
#define TRACEE_LUA_PRIV_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include <lua.h>
#include <lauxlib.h>

#include "clock.h"
#include "json.h"
#include "lua_engine.h"

struct lua_engine;

#ifndef PKGDATADIR
#define PKGDATADIR "/usr/share/tracee"
#endif
#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "0"
#endif

#define HOOK_STEP	1000	/* VM instructions between budget checks */
#define LOAD_FACTOR	10	/* a main chunk may use 10 callbacks' worth */
#define MAX_TAGS	16
#define SCRIPT_MAX_SZ	(4u << 20)
#define BYTES_PER_UNIT	256	/* bytes copied or scanned per instruction's worth (~25 ns) */
#define MAX_DECLS	4096	/* registrations per script: handlers etc. are C memory */
#define ERROR_PAUSE_MAX_NS	(60ULL * 1000000000)
#define ERROR_REPORT_NS		(60ULL * 1000000000)	/* a failing rule's finding, at most */

enum handler_kind { H_ON, H_SIG_EVENT, H_SIG_SIGNAL, H_TIMER, H_EXIT };

struct script;
struct sig;

struct handler {
	struct handler *next;		/* in its script */
	struct script *s;
	struct sig *sig;		/* H_SIG_* */
	enum handler_kind kind;
	int ref;			/* the function, in the registry */
	unsigned int errors;		/* all of them */
	unsigned int strikes;		/* in a row: max_errors of them pause it */
	unsigned int pauses;		/* in a row (no success between): doubles the pause */
	uint64_t paused_until_ns;	/* 0: running */
	uint64_t reported_ns;		/* last tracee_rule_error finding */
	bool reported, on_any;
	uint64_t calls;
	char what[192];			/* "tracee.on(\"openat\") callback (policy.lua:5)" */
};

struct hlist {
	struct handler **v;
	unsigned int nr, cap;
};

struct strv {
	char **v;
	unsigned int nr, cap;
};

enum origin { ORIGIN_ANY = 0, ORIGIN_CONTAINER, ORIGIN_HOST };

/* A paths= glob: literal head up to the first '*', literal tail after the last. */
struct sigglob {
	const char *g;
	size_t len, head, tail;		/* head == len: no '*' at all */
	bool middle;			/* literal parts between stars to find */
};

struct sig {
	struct script *s;
	char *id, *name, *title, *version, *description, *category, *technique, *external_id;
	char *tags[MAX_TAGS + 1];
	char **events;
	unsigned int nr_events;
	char **requires;
	unsigned int nr_requires;
	char **paths;			/* paths=: pathnames it looks at, a kernel prefilter */
	struct sigglob *globs;		/* paths, taken apart for sigpaths_match */
	unsigned int nr_paths;
	int severity;
	enum origin origin;
	struct handler *on_event, *on_signal;
	uint64_t findings;
	/* Tuning (lua_engine_resolve): on or off, and who said so. */
	bool default_on;		/* false: declared enabled = false, an opt-in rule */
	bool enabled;
	bool attached;			/* on_event is in the dispatch lists */
	const struct script *why;	/* the policy that decided, NULL: default or CLI */
	bool why_cli;			/* --signatures decided */
	struct except **exc;		/* exceptions that apply to it */
	unsigned int nr_exc;
	uint64_t suppressed;		/* findings an exception held back */
};

/*
 * tracee.enable/disable and --signatures: a selector (id, name, "tag:T",
 * "all") switched on or off.  Kept in call order and applied only by
 * lua_engine_resolve(), once every script is in, so a policy may name a
 * signature that a later script declares.
 */
struct toggle {
	const struct script *s;		/* NULL: the command line */
	char *sel;
	bool on;
};

/* tracee.except(selector, { process=, executable=, parent=, image=, path= }) */
enum exc_field { EXC_PROCESS, EXC_EXECUTABLE, EXC_PARENT, EXC_IMAGE, EXC_PATH, EXC_NR };

struct except {
	const struct script *s;
	char *sel;
	struct strv f[EXC_NR];		/* globs per field: any one matches the field */
	uint64_t hits;
};

/* Handlers of signature events missing from the events table, by name:
 * replayed logs (tracee analyze) may carry them. */
struct pending {
	char *name;
	struct hlist l;
};

struct timer {
	struct handler *h;
	uint64_t period_ns, next_ns;
};

struct script {
	struct script *next;
	char *path, *dir, *label;	/* label: shown in messages */
	bool builtin;
	int env_ref, loaded_ref, counters_ref, tracee_ref;
	struct handler *handlers;
	struct tr_selection events_sel;	/* tracee.events{} */
	struct strv scopes, filters;
	uint64_t findings;
	unsigned int acct;		/* its memory account: e->acct[acct] */
	unsigned int nr_decls;		/* registrations so far, at most MAX_DECLS */
};

/* Bytes a script's code allocated and still holds (a block's header names its account). */
struct mem_acct {
	size_t used;
	uint64_t denied;
};

struct lua_engine {
	lua_State *L;
	struct lua_engine_opts o;
	char lib_dir[PATH_MAX];
	size_t mem_used, mem_limit;	/* mem_limit: per account */
	struct mem_acct *acct;		/* [0]: the engine and tracee.lua; then one per script */
	unsigned int nr_acct, cap_acct;
	uint64_t pause_ns;		/* a failing callback's first pause */

	/* the running callback */
	bool budget_on, budget_hit;
	uint64_t instr_used, instr_limit, deadline_ns, wall_limit_ns;
	char budget_msg[128];
	const struct tr_event *cur_ev;
	uint64_t seq;
	struct script *cur_script;
	struct sig *cur_sig;
	bool loading_builtin;
	bool host;			/* lends events to a host state (lua_engine_bind_host) */
	int path_ev_id;			/* security_file_open: signatures' paths= apply, or -1 */

	struct script *scripts, **scripts_tail;
	struct hlist by_id[TR_MAX_EVENT];
	struct hlist any;
	struct pending *pending;
	unsigned int nr_pending, cap_pending;
	struct sig **sigs;
	unsigned int nr_sigs, cap_sigs;
	struct timer *timers;
	unsigned int nr_timers, cap_timers;
	struct toggle *toggles;
	unsigned int nr_toggles, cap_toggles;
	bool cli_toggled;		/* --signatures seen (a bare first item: only those) */
	struct except **excs;
	unsigned int nr_excs, cap_excs;
	bool loading;			/* a main chunk runs: tuning calls are allowed */
	int stdlib_ref, events_mt_ref, events_ref;

	struct strv flat_scopes, flat_filters;	/* views handed out, rebuilt on request */
	struct obuf scratch, json;
	char last_error[4096];
	struct lua_engine_stats st;
};


/*
 * An event reaches Lua as a light userdata whose value encodes the dispatch
 * sequence number and which view it is: (seq << 3) | tag.  Nothing is
 * allocated per event, and a value kept past its callback carries an old
 * sequence number, so using it is caught exactly.
 */
enum lev_tag {
	LEV_EVENT = 0,
	LEV_ARGS,
	LEV_CONTAINER,
	LEV_EXECUTABLE,
	LEV_KUBERNETES,
	LEV_CTXFLAGS,
	LEV_NR
};


/*
 * Text for e:json(), tostring(e) and finding data: the output's buffer
 * (json.h), kept NUL-terminated, and capped at LBUF_MAX (a script cannot
 * make one document eat memory beyond that).
 */
#define LBUF_MAX	((size_t)64 << 20)

void lbuf_reset(struct obuf *b);
void lbuf_add(struct obuf *b, const char *s, size_t n);
void lbuf_adds(struct obuf *b, const char *s);
void lbuf_printf(struct obuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void lbuf_json_str(struct obuf *b, const char *s, size_t n);
void lbuf_free(struct obuf *b);

static inline struct lua_engine *lev_engine(lua_State *L)
{
	return *(struct lua_engine **)lua_getextraspace(L);
}

/* lua_event.c */
void lev_setup(lua_State *L);	/* metatable for light userdata, field names */
void lev_push(lua_State *L, uint64_t seq, enum lev_tag tag);
/* A host state's events: full userdata, its own metatable; extra space untouched. */
void lev_setup_host(lua_State *L);
void lev_push_box(lua_State *L, struct lua_engine *e, uint64_t seq, enum lev_tag tag);
/* The event a value refers to, or a Lua error when it is stale or not an event. */
const struct tr_event *lev_check(lua_State *L, int idx);
int lev_json(lua_State *L, const struct tr_event *ev, struct obuf *b);
/* Lua value at idx -> JSON into b (tables, strings, numbers, booleans, events), bounded. */
int lev_value_json(lua_State *L, int idx, struct obuf *b);
/*
 * Finding data as typed members (struct tr_fdata, in iteration order; a
 * non-table as one member "value"), texts in arena; the members live in a
 * userdata left on the stack.  Returns their number; raises on bad data.
 */
int lev_finding_data(lua_State *L, int idx, struct obuf *arena, struct tr_fdata **out);

/* sandbox.c, dispatch.c and lua_engine.c, for lua_event.c */
/* Work of a C function charged to the running callback's budgets; raises when blown. */
void lua_engine_charge(lua_State *L, uint64_t units);
const struct tr_event *lua_engine_current(struct lua_engine *e, uint64_t *seq);
/* The engine's text buffer for e:json() and tostring(e) (also the C module's). */
struct obuf *lua_engine_scratch(struct lua_engine *e);

/*
 * Between the engine's files.  Names follow the file that defines them;
 * script_of, opt_field, opt_severity and excepted keep theirs because
 * tracee.finding calls them.
 */

/* lua_engine.c */
int lua_engine_t_finding(lua_State *L);		/* tracee.finding */
void lua_engine_rule_error_finding(struct lua_engine *e, struct handler *h, const char *msg,
				   uint64_t paused_ns);

/* sandbox.c */
void *sandbox_alloc(void *ud, void *ptr, size_t osize, size_t nsize);
void sandbox_budget_hook(lua_State *L, lua_Debug *ar);
void sandbox_budget_start(struct lua_engine *e, uint64_t factor);
void sandbox_budget_stop(struct lua_engine *e);
int sandbox_load_trusted(lua_State *L, const char *path, int *why);
void sandbox_make_env(lua_State *L, struct lua_engine *e, struct script *s);
void sandbox_wrap_libs(lua_State *L);

/* pattern_guard.c */
void pattern_guard_install(lua_State *L);

/* api.c */
struct script *script_of(lua_State *L);
void api_check_loading(lua_State *L, const char *fname);
void api_each_string(lua_State *L, int idx, const char *fname,
		     void (*fn)(lua_State *, const char *, void *), void *ctx);
const char *opt_field(lua_State *L, int idx, const char *k, const char *def);
int opt_severity(lua_State *L, int idx, int def);
int api_log(lua_State *L);

/* registry.c */
int strv_add(struct strv *v, const char *s);
void strv_fini(struct strv *v, bool owned);
int hlist_add(struct hlist *l, struct handler *h);
void hlist_remove_script(struct hlist *l, const struct script *s);
char *registry_dup_field(lua_State *L, int idx, const char *k, const char *def, bool required);
void registry_sig_free(struct sig *g);
char **registry_dup_list(lua_State *L, int idx, const char *k, unsigned int *nr, bool required);
int registry_sig_attach(struct lua_engine *e, struct sig *g);
int registry_sig_box_gc(lua_State *L);
void registry_except_free(struct except *x);
int registry_enable(lua_State *L);
int registry_disable(lua_State *L);
int registry_except(lua_State *L);
bool excepted(struct lua_engine *e, lua_State *L, struct sig *g,
	      const struct tr_event *ev, int data);

/* dispatch.c */
int dispatch_msgh(lua_State *L);
void dispatch_log_lines(const char *prefix, const char *text);

/* sigpaths.c */
/* Take g->paths apart into g->globs; -ENOMEM. */
int sigpaths_compile(struct sig *g);
/* Does one of g's paths= globs match path?  g->nr_paths > 0, compiled. */
bool sigpaths_match(const struct sig *g, const char *path, size_t len);

/* api.c: the tracee table of every script */
extern const luaL_Reg api_fns[];

#endif /* TRACEE_LUA_PRIV_H */
