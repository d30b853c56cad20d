// SPDX-License-Identifier: GPL-2.0
/*
 * lua_engine.c - the embedded Lua 5.4 engine: sandbox, budgets, dispatch of
 * events to callbacks and signatures, and the `tracee` module scripts see.
 *
 * Budgets: a count hook fires every HOOK_STEP VM instructions and checks
 * the instruction count and the wall clock of the running callback (the
 * clock starts at the first check, so the many callbacks shorter than
 * HOOK_STEP instructions never read it); once a
 * budget is blown the hook fires on every instruction and raises again, so
 * a script cannot swallow the error with pcall and keep going.  C library
 * functions that loop (string.rep, table.move/insert/remove/concat/sort,
 * load, the JSON writer) charge their work to the same budget through
 * budget_charge(), so a single C call cannot run past it either.  Memory
 * is capped per script by the allocator: each block carries the account
 * of the script whose code allocated it.  Errors are raised from the hook
 * or the charging function, never from a signal handler.
 *
 * A callback that fails max_errors times in a row is paused (1 s, doubling
 * while it keeps failing, at most ERROR_PAUSE_MAX_NS) and then runs again;
 * its failures reach the output as tracee_rule_error findings.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <math.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <lualib.h>

#include "container.h"
#include "fsafe.h"
#include "log.h"
#include "lua_priv.h"
#include "proctree.h"
#include "runtime.h"

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

struct sig {
	struct script *s;
	char *id, *name, *title, *version, *description, *category, *technique, *external_id;
	char *tags[MAX_TAGS + 1];
	char **events;
	unsigned int nr_events;
	char **requires;
	unsigned int nr_requires;
	char **paths;			/* paths=: pathnames it looks at, a kernel prefilter */
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

static const char *const exc_field_names[EXC_NR] = {
	"process", "executable", "parent", "image", "path",
};

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

/* ------------------------------------------------------------------ */
/* Small helpers */

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static int strv_add(struct strv *v, const char *s)
{
	char *d;

	if (v->nr == v->cap) {
		unsigned int cap = v->cap ? v->cap * 2 : 8;
		char **n = realloc(v->v, sizeof(*n) * (cap + 1));

		if (!n)
			return -ENOMEM;
		v->v = n;
		v->cap = cap;
	}
	d = strdup(s);
	if (!d)
		return -ENOMEM;
	v->v[v->nr++] = d;
	v->v[v->nr] = NULL;
	return 0;
}

static void strv_fini(struct strv *v, bool owned)
{
	unsigned int i;

	if (owned)
		for (i = 0; i < v->nr; i++)
			free(v->v[i]);
	free(v->v);
	memset(v, 0, sizeof(*v));
}

static int hlist_add(struct hlist *l, struct handler *h)
{
	unsigned int i;

	for (i = 0; i < l->nr; i++)
		if (l->v[i] == h)
			return 0;
	if (l->nr == l->cap) {
		unsigned int cap = l->cap ? l->cap * 2 : 4;
		struct handler **n = realloc(l->v, sizeof(*n) * cap);

		if (!n)
			return -ENOMEM;
		l->v = n;
		l->cap = cap;
	}
	l->v[l->nr++] = h;
	return 0;
}

static void hlist_remove(struct hlist *l, const struct handler *h)
{
	unsigned int i, j = 0;

	for (i = 0; i < l->nr; i++)
		if (l->v[i] != h)
			l->v[j++] = l->v[i];
	l->nr = j;
}

static void hlist_remove_script(struct hlist *l, const struct script *s)
{
	unsigned int i, j = 0;

	for (i = 0; i < l->nr; i++)
		if (l->v[i]->s != s)
			l->v[j++] = l->v[i];
	l->nr = j;
}

const struct tr_event *lua_engine_current(struct lua_engine *e, uint64_t *seq)
{
	*seq = e->seq;
	return e->cur_ev;
}

void lua_engine_bind_host(struct lua_engine *e, lua_State *L)
{
	e->host = true;
	lev_setup_host(L);
}

uint64_t lua_engine_set_current(struct lua_engine *e, const struct tr_event *ev)
{
	e->seq++;	/* values of the previous event are stale from here */
	e->cur_ev = ev;
	return e->seq;
}

void lua_engine_push_event(struct lua_engine *e, lua_State *L)
{
	if (!e->cur_ev)
		lua_pushnil(L);
	else if (e->host)
		lev_push_box(L, e, e->seq, LEV_EVENT);
	else
		lev_push(L, e->seq, LEV_EVENT);
}

struct obuf *lua_engine_scratch(struct lua_engine *e);
struct obuf *lua_engine_scratch(struct lua_engine *e)
{
	return &e->scratch;
}

/* ------------------------------------------------------------------ */
/* Memory cap and budgets */

/*
 * Each block starts with the account it is charged to: a free credits the
 * script that allocated the block, whichever script runs when the collector
 * frees it.  Growth is charged to the running script; shrinking never fails
 * (Lua relies on that) and stays with the block's account.
 */
struct mem_hdr {
	uint32_t acct;
	uint32_t pad;		/* 8 bytes keep Lua's alignment (LUAI_MAXALIGN) */
};

static void *engine_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
	struct lua_engine *e = ud;
	struct mem_hdr *h = ptr ? (struct mem_hdr *)ptr - 1 : NULL;
	unsigned int who = e->cur_script ? e->cur_script->acct : 0;
	size_t old = ptr ? osize : 0;
	struct mem_acct *a;

	if (nsize == 0) {
		if (h) {
			e->acct[h->acct].used -= osize;
			e->mem_used -= osize;
			free(h);
		}
		return NULL;
	}
	if (h && nsize <= old) {
		struct mem_hdr *n;

		e->acct[h->acct].used -= old - nsize;	/* h is gone after realloc */
		e->mem_used -= old - nsize;
		n = realloc(h, sizeof(*h) + nsize);
		return n ? n + 1 : ptr;	/* a shrink must not fail: keep the block */
	}
	a = &e->acct[who];
	if (a->used - (h && h->acct == who ? old : 0) + nsize > e->mem_limit) {
		a->denied++;
		return NULL;	/* Lua collects garbage and retries, then raises */
	}
	if (h)
		e->acct[h->acct].used -= old;
	h = realloc(h, sizeof(*h) + nsize);
	if (!h) {
		if (ptr)	/* the old block is still there, still charged */
			e->acct[((struct mem_hdr *)ptr - 1)->acct].used += old;
		return NULL;
	}
	h->acct = who;
	a->used += nsize;
	e->mem_used = e->mem_used - old + nsize;
	return h + 1;
}

/* Has the running callback blown a budget?  Sets budget_msg when it has. */
static bool budget_over(struct lua_engine *e)
{
	if (e->budget_hit)
		return true;
	if (e->instr_used > e->instr_limit) {
		snprintf(e->budget_msg, sizeof(e->budget_msg),
			 "instruction budget exceeded (%llu instructions)",
			 (unsigned long long)e->instr_limit);
		e->budget_hit = true;
	} else if (!e->deadline_ns) {
		/* first check of this call: start the clock (short calls never read it) */
		e->deadline_ns = mono_ns() + e->wall_limit_ns;
	} else if (mono_ns() > e->deadline_ns) {
		snprintf(e->budget_msg, sizeof(e->budget_msg),
			 "wall-time budget exceeded (%llu ms)",
			 (unsigned long long)(e->wall_limit_ns / 1000000));
		e->budget_hit = true;
	}
	return e->budget_hit;
}

static void budget_hook(lua_State *L, lua_Debug *ar)
{
	struct lua_engine *e = lev_engine(L);
	int count = lua_gethookcount(L);

	if (!e->budget_on)
		return;
	if (!e->budget_hit) {
		e->instr_used += count;
		if (!budget_over(e)) {
			if (count != HOOK_STEP)
				lua_sethook(L, budget_hook, LUA_MASKCOUNT, HOOK_STEP);
			return;
		}
	}
	/* From now on every instruction raises: pcall in the script cannot hold it. */
	lua_sethook(L, budget_hook, LUA_MASKCOUNT, 1);
	luaL_error(L, "%s", e->budget_msg);
}

/*
 * Work done inside a C function, in VM-instruction equivalents (an element
 * moved, a comparison, 64 bytes copied, 4 bytes parsed): counted against
 * the running callback's instruction budget, and the clock read whenever
 * the count crosses a multiple of 1024, so a long C call stops at either
 * budget as Lua code would.  Raises the budget error, uncatchable as the
 * hook's is.
 */
void lua_engine_charge(lua_State *L, uint64_t units)
{
	struct lua_engine *e = lev_engine(L);
	uint64_t before;

	if (!e || !e->budget_on)
		return;
	before = e->instr_used;
	e->instr_used = units > UINT64_MAX - before ? UINT64_MAX : before + units;
	if (!e->budget_hit && e->instr_used <= e->instr_limit &&
	    !((before ^ e->instr_used) >> 10))
		return;
	if (!budget_over(e))
		return;
	lua_sethook(L, budget_hook, LUA_MASKCOUNT, 1);
	luaL_error(L, "%s", e->budget_msg);
}

static void budget_start(struct lua_engine *e, uint64_t factor)
{
	e->instr_used = 0;
	e->instr_limit = e->o.max_instructions * factor;
	e->wall_limit_ns = e->o.max_wall_ns * factor;
	e->deadline_ns = 0;	/* set by the hook's first check */
	e->budget_hit = false;
	e->budget_on = true;
	lua_sethook(e->L, budget_hook, LUA_MASKCOUNT, HOOK_STEP);
}

static void budget_stop(struct lua_engine *e)
{
	e->budget_on = false;
}

/* Message handler: the message plus a traceback. */
static int msgh(lua_State *L)
{
	const char *msg = lua_tostring(L, 1);

	if (!msg)
		msg = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
	luaL_traceback(L, L, msg, 1);
	return 1;
}

/* Print a possibly multi-line message, one log line per line. */
static void log_lines(const char *prefix, const char *text)
{
	const char *p = text, *nl;

	while (p && *p) {
		nl = strchr(p, '\n');
		tr_err("%s%.*s", p == text ? "" : prefix, nl ? (int)(nl - p) : (int)strlen(p), p);
		p = nl ? nl + 1 : NULL;
	}
}

/*
 * A failing rule as a finding in the normal output, so that a rule an
 * attacker makes fail is seen where its findings would have been: on the
 * first error, on every pause, and at most once a minute in between.
 */
static void rule_error_finding(struct lua_engine *e, struct handler *h, const char *msg,
			       uint64_t paused_ns)
{
	static const char *const tags[] = { "tracee", "rule-error", NULL };
	struct tr_finding f = {
		.id = "TRC-ERR",
		.name = "tracee_rule_error",
		.version = "1",
		.description = "A detection rule failed: it may miss events until fixed. A rule "
			"that fails again and again is paused and then runs again.",
		.severity = 2,
		.category = "defense-evasion",
		.technique = "Impair Defenses",
		.external_id = "T1562",
		.tags = tags,
	};
#define FD_STR(k, s, n)	((struct tr_fdata){ .key = k, .key_len = sizeof(k) - 1, \
					    .kind = TR_FD_STR, .v.str = { (s), (n) } })
#define FD_INT(k, n)	((struct tr_fdata){ .key = k, .key_len = sizeof(k) - 1, \
					    .kind = TR_FD_INT, .v.i = (n) })
	const char *rule = h->sig ? h->sig->id : h->s->label;
	size_t n = strcspn(msg, "\n");
	struct tr_fdata data[7];
	unsigned int nr = 0;

	if (!e->o.finding_cb)
		return;
	data[nr++] = FD_STR("rule", rule, strlen(rule));
	if (h->sig)
		data[nr++] = FD_STR("rule_name", h->sig->name, strlen(h->sig->name));
	data[nr++] = FD_STR("script", h->s->label, strlen(h->s->label));
	data[nr++] = FD_STR("callback", h->what, strlen(h->what));
	data[nr++] = FD_STR("error", msg, n > 512 ? 512 : n);
	data[nr++] = FD_INT("errors", h->errors);
	data[nr++] = FD_INT("paused_ms", (int64_t)(paused_ns / 1000000));
#undef FD_STR
#undef FD_INT
	f.event = e->cur_ev;
	f.data = data;
	f.nr_data = nr;
	h->reported_ns = mono_ns();
	e->st.rule_errors++;
	e->o.finding_cb(e->o.finding_ctx, &f);
}

/*
 * The error on top of the stack, for handler h: logged once, counted
 * always, a finding now and then (rule_error_finding); max_errors in a row
 * pause the callback, for longer while it keeps failing.
 */
static void report_error(struct lua_engine *e, struct handler *h, int status)
{
	const char *msg = lua_tostring(e->L, -1);
	uint64_t pause = 0, now;

	if (status == LUA_ERRMEM)
		msg = "memory budget exceeded (not enough memory)";
	else if (!msg)
		msg = "(error object is not a string)";
	h->errors++;
	h->strikes++;
	e->st.errors++;
	snprintf(e->last_error, sizeof(e->last_error), "script %s: %s failed: %s",
		 h->s->label, h->what, msg);
	if (!h->reported) {
		h->reported = true;
		log_lines("  ", e->last_error);
		if (e->o.max_errors > 1)
			tr_err("script %s: further errors of this callback are counted, not shown; "
			       "after %u in a row it is paused, then runs again", h->s->label,
			       e->o.max_errors);
	}
	now = mono_ns();
	if (h->strikes >= e->o.max_errors) {
		pause = e->pause_ns << (h->pauses < 16 ? h->pauses : 16);
		if (pause > ERROR_PAUSE_MAX_NS || pause < e->pause_ns)
			pause = ERROR_PAUSE_MAX_NS;
		h->pauses++;
		h->strikes = 0;
		h->paused_until_ns = now + pause;
		e->st.disabled++;
		tr_err("script %s: %s paused for %llu ms after %u errors in a row (it runs again "
		       "then; fix the script)", h->s->label, h->what,
		       (unsigned long long)(pause / 1000000), e->o.max_errors);
	}
	if (h->errors == 1 || pause || now - h->reported_ns >= ERROR_REPORT_NS)
		rule_error_finding(e, h, msg, pause);
	if (status == LUA_ERRMEM)
		lua_gc(e->L, LUA_GCCOLLECT);
}

/* Is h paused after errors?  Resumes it once its pause is over. */
static bool handler_paused(struct lua_engine *e, struct handler *h)
{
	if (mono_ns() < h->paused_until_ns)
		return true;
	h->paused_until_ns = 0;
	tr_info("script %s: %s runs again after its pause", h->s->label, h->what);
	return false;
}

/*
 * Call h's function with the nargs values on top of the stack, under the
 * budget.  Leaves nres results on success (returns 0), nothing on error.
 */
static int call_handler(struct lua_engine *e, struct handler *h, int nargs, int nres)
{
	lua_State *L = e->L;
	int base = lua_gettop(L) - nargs + 1;	/* first argument: msgh and fn go here */
	struct script *prev_s = e->cur_script;
	struct sig *prev_sig = e->cur_sig;
	int st;

	lua_pushcfunction(L, msgh);
	lua_rawgeti(L, LUA_REGISTRYINDEX, h->ref);
	lua_rotate(L, base, 2);			/* msgh, fn, args... */
	e->cur_script = h->s;
	e->cur_sig = h->sig;
	h->calls++;
	budget_start(e, 1);
	st = lua_pcall(L, nargs, nres, base);
	budget_stop(e);
	e->cur_script = prev_s;
	e->cur_sig = prev_sig;
	if (st != LUA_OK) {
		report_error(e, h, st);
		lua_settop(L, base - 1);
		return -1;
	}
	h->strikes = h->pauses = 0;
	lua_remove(L, base);			/* msgh */
	return 0;
}

/* ------------------------------------------------------------------ */
/* Registration */

static struct handler *handler_new(lua_State *L, struct script *s, int fn_idx,
				   enum handler_kind kind, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static struct handler *handler_new(lua_State *L, struct script *s, int fn_idx,
				   enum handler_kind kind, const char *fmt, ...)
{
	struct handler *h;
	lua_Debug ar;
	va_list ap;
	size_t n;

	h = calloc(1, sizeof(*h));
	if (!h) {
		luaL_error(L, "out of memory");
		return NULL;
	}
	h->s = s;
	h->kind = kind;
	va_start(ap, fmt);
	vsnprintf(h->what, sizeof(h->what), fmt, ap);
	va_end(ap);
	lua_pushvalue(L, fn_idx);
	if (lua_getinfo(L, ">S", &ar) && ar.linedefined > 0) {
		n = strlen(h->what);
		snprintf(h->what + n, sizeof(h->what) - n, " (%s:%d)", ar.short_src, ar.linedefined);
	}
	lua_pushvalue(L, fn_idx);
	h->ref = luaL_ref(L, LUA_REGISTRYINDEX);
	h->next = s->handlers;
	s->handlers = h;
	return h;
}

static struct script *script_of(lua_State *L)
{
	return lua_touserdata(L, lua_upvalueindex(1));
}

/*
 * What a script registers (callbacks, signatures, timers, scopes, events,
 * tuning) is part of what it declares: only while its main chunk runs.
 * After that the kernel's selection is fixed, and a callback registering
 * callbacks would grow the very list being dispatched (for ever, in C
 * memory no budget sees).  MAX_DECLS bounds that memory while loading.
 */
static void check_loading(lua_State *L, const char *fname)
{
	struct lua_engine *e = lev_engine(L);
	struct script *s = script_of(L);

	if (!e->loading)
		luaL_error(L, "%s: only while the script loads (what scripts register is fixed "
			   "once tracing starts); call it at the top level of the script", fname);
	if (s && ++s->nr_decls > MAX_DECLS)
		luaL_error(L, "%s: more than %d registrations in one script (register one "
			   "callback for many events instead)", fname, MAX_DECLS);
}

static void add_handler_ids(lua_State *L, struct lua_engine *e, const struct tr_selection *sel,
			    struct handler *h)
{
	int id;

	for (id = 0; id < TR_MAX_EVENT; id++)
		if (selection_has(sel, id) && hlist_add(&e->by_id[id], h))
			luaL_error(L, "out of memory");
}

/* A list argument: one string, or an array of strings; calls fn for each. */
static void each_string(lua_State *L, int idx, const char *fname,
			void (*fn)(lua_State *, const char *, void *), void *ctx)
{
	lua_Integer i, n;

	if (lua_type(L, idx) == LUA_TSTRING) {
		fn(L, lua_tostring(L, idx), ctx);
		return;
	}
	if (lua_type(L, idx) != LUA_TTABLE)
		luaL_error(L, "%s: expected an event name or a list of them, got %s", fname,
			   luaL_typename(L, idx));
	n = luaL_len(L, idx);
	for (i = 1; i <= n; i++) {
		if (lua_rawgeti(L, idx, i) != LUA_TSTRING)
			luaL_error(L, "%s: entry %d is a %s, not a string", fname, (int)i,
				   luaL_typename(L, -1));
		fn(L, lua_tostring(L, -1), ctx);
		lua_pop(L, 1);
	}
}

struct on_ctx {
	struct tr_selection sel;
	bool any;
	const char *fname;
};

static void on_one(lua_State *L, const char *name, void *p)
{
	struct on_ctx *c = p;
	char err[256];

	if (!strcmp(name, "*")) {
		c->any = true;
		return;
	}
	if (events_select(&c->sel, name, err, sizeof(err)))
		luaL_error(L, "%s: %s", c->fname, err);
}

/* tracee.on(event | set | "prefix*" | "*" | {list}, fn) */
static int t_on(lua_State *L)
{
	struct lua_engine *e = lev_engine(L);
	struct script *s = script_of(L);
	struct on_ctx c = { .fname = "tracee.on" };
	struct handler *h;
	const char *label;

	check_loading(L, "tracee.on");
	luaL_checktype(L, 2, LUA_TFUNCTION);
	each_string(L, 1, "tracee.on", on_one, &c);
	label = lua_type(L, 1) == LUA_TSTRING ? lua_tostring(L, 1) : "{...}";
	h = handler_new(L, s, 2, H_ON, "tracee.on(\"%s\") callback", label);
	add_handler_ids(L, e, &c.sel, h);
	if (c.any) {
		h->on_any = true;
		if (hlist_add(&e->any, h))
			return luaL_error(L, "out of memory");
	}
	return 0;
}

static bool is_filter_expr(const char *s)
{
	return strpbrk(s, ".=<>!") != NULL;
}

static void events_one(lua_State *L, const char *name, void *p)
{
	struct script *s = p;
	char err[256], base[128];
	size_t n;

	if (is_filter_expr(name)) {
		/* "openat.args.pathname=/etc/passwd": select the event, keep the predicate. */
		n = strcspn(name, ".=<>!");
		if (n == 0 || n >= sizeof(base))
			luaL_error(L, "tracee.events: '%s' is not NAME or NAME.args.ARG=VALUE", name);
		memcpy(base, name, n);
		base[n] = '\0';
		if (events_select(&s->events_sel, base, err, sizeof(err)))
			luaL_error(L, "tracee.events: %s", err);
		if (strv_add(&s->filters, name))
			luaL_error(L, "out of memory");
		return;
	}
	if (events_select(&s->events_sel, name, err, sizeof(err)))
		luaL_error(L, "tracee.events: %s", err);
}

/* tracee.events{ "openat", "proc", "open*", "openat.args.pathname=/etc/passwd" } */
static int t_events(lua_State *L)
{
	check_loading(L, "tracee.events");
	each_string(L, 1, "tracee.events", events_one, script_of(L));
	return 0;
}

static const char *const scope_fields[] = {
	"uid", "pid", "mntns", "pidns", "tree", "uts", "comm", "container", "not-container",
	"executable", "exec", "binary", "bin", "follow", NULL,
};

static void scope_check(lua_State *L, const char *expr)
{
	size_t n = strcspn(expr, "=!<>");
	unsigned int i;

	for (i = 0; scope_fields[i]; i++)
		if (strlen(scope_fields[i]) == n && !strncmp(scope_fields[i], expr, n))
			break;
	if (!scope_fields[i])
		luaL_error(L, "tracee.scope: '%s': unknown field (use uid, pid, mntns, pidns, tree, "
			   "uts, comm, container, not-container, executable or follow)", expr);
	if (expr[n] && !expr[n + 1])
		luaL_error(L, "tracee.scope: '%s': value missing after the operator", expr);
}

static void scope_add(lua_State *L, struct script *s)
{
	scope_check(L, lua_tostring(L, -1));
	if (strv_add(&s->scopes, lua_tostring(L, -1)))
		luaL_error(L, "out of memory");
	lua_pop(L, 1);
}

/*
 * tracee.scope{ "uid>=1000", comm = {"bash", "sh"}, container = true }
 * Recorded in --scope grammar for the kernel filters.
 */
static int t_scope(lua_State *L)
{
	struct script *s = script_of(L);
	lua_Integer i, n;

	check_loading(L, "tracee.scope");
	luaL_checktype(L, 1, LUA_TTABLE);
	n = luaL_len(L, 1);
	for (i = 1; i <= n; i++) {
		if (lua_rawgeti(L, 1, i) != LUA_TSTRING)
			return luaL_error(L, "tracee.scope: entry %d is not a string", (int)i);
		scope_add(L, s);
	}
	lua_pushnil(L);
	while (lua_next(L, 1)) {
		const char *k;

		if (lua_type(L, -2) != LUA_TSTRING) {
			lua_pop(L, 1);
			continue;
		}
		k = lua_tostring(L, -2);
		if (lua_type(L, -1) == LUA_TBOOLEAN) {
			if (!strcmp(k, "container"))
				lua_pushstring(L, lua_toboolean(L, -1) ? "container" : "not-container");
			else if (lua_toboolean(L, -1))
				lua_pushstring(L, k);
			else
				lua_pushfstring(L, "not-%s", k);
		} else if (lua_type(L, -1) == LUA_TTABLE) {
			lua_Integer j, m = luaL_len(L, -1);
			int t = lua_gettop(L), parts = 1;

			luaL_checkstack(L, 2 * (int)(m > 100 ? 100 : m) + 4, "tracee.scope");
			lua_pushfstring(L, "%s=", k);
			for (j = 1; j <= m && j <= 100; j++) {
				if (j > 1) {
					lua_pushliteral(L, ",");
					parts++;
				}
				lua_rawgeti(L, t, j);
				luaL_tolstring(L, -1, NULL);
				lua_remove(L, -2);
				parts++;
			}
			lua_concat(L, parts);
		} else {
			const char *v = luaL_tolstring(L, -1, NULL);

			/* comparisons may be written in the value: uid = ">=1000" */
			lua_pushfstring(L, "%s%s%s", k, v[0] && strchr("=!<>", v[0]) ? "" : "=", v);
			lua_remove(L, -2);
		}
		scope_add(L, s);
		lua_pop(L, 1);
	}
	return 0;
}

/* Optional string field of the table at idx, left on the stack (anchored). */
static const char *opt_field(lua_State *L, int idx, const char *k, const char *def)
{
	int t = lua_getfield(L, idx, k);

	if (t == LUA_TNIL)
		return def;
	if (t != LUA_TSTRING && t != LUA_TNUMBER)
		luaL_error(L, "field '%s' must be a string, not a %s", k, luaL_typename(L, -1));
	return lua_tostring(L, -1);
}

static int opt_severity(lua_State *L, int idx, int def)
{
	lua_Integer v = 0;

	if (lua_getfield(L, idx, "severity") == LUA_TNIL) {
		lua_pop(L, 1);
		return def;
	}
	if (!lua_isinteger(L, -1) || (v = lua_tointeger(L, -1)) < 0 || v > 3)
		luaL_error(L, "field 'severity' must be an integer from 0 to 3");
	lua_pop(L, 1);
	return (int)v;
}

static bool excepted(struct lua_engine *e, lua_State *L, struct sig *g,
		     const struct tr_event *ev, int data);

/*
 * tracee.finding{ name=, id=, severity=, description=, version=, tags={},
 *                 mitre={ id=, technique=, category= }, event=e, data={} }
 * Inside a signature's callback the signature's metadata fills the gaps.
 */
static int t_finding(lua_State *L)
{
	struct lua_engine *e = lev_engine(L);
	struct script *s = script_of(L);
	struct sig *g = e->cur_sig;
	const char *tags[MAX_TAGS + 1] = { 0 };
	struct tr_finding f = { 0 };
	int mitre, i, top;

	luaL_checktype(L, 1, LUA_TTABLE);
	luaL_checkstack(L, 40, "tracee.finding");
	top = lua_gettop(L);
	f.name = opt_field(L, 1, "name", g ? g->name : NULL);
	if (!f.name || !*f.name)
		return luaL_error(L, "tracee.finding: 'name' is required (it becomes the eventName)");
	f.id = opt_field(L, 1, "id", g ? g->id : "");
	f.version = opt_field(L, 1, "version", g ? g->version : "1");
	f.description = opt_field(L, 1, "description", g ? g->description : "");
	f.severity = opt_severity(L, 1, g ? g->severity : 0);
	f.category = opt_field(L, 1, "category", g ? g->category : "");
	f.technique = opt_field(L, 1, "technique", g ? g->technique : "");
	f.external_id = opt_field(L, 1, "external_id", g ? g->external_id : "");
	mitre = lua_getfield(L, 1, "mitre");
	if (mitre == LUA_TTABLE) {
		int m = lua_gettop(L);

		f.external_id = opt_field(L, m, "id", f.external_id);
		f.technique = opt_field(L, m, "technique", f.technique);
		f.category = opt_field(L, m, "category", f.category);
	} else if (mitre == LUA_TSTRING) {
		f.external_id = lua_tostring(L, -1);
	}
	if (lua_getfield(L, 1, "tags") == LUA_TTABLE) {
		int t = lua_gettop(L);

		for (i = 0; i < MAX_TAGS; i++) {
			if (lua_rawgeti(L, t, i + 1) != LUA_TSTRING) {
				lua_pop(L, 1);
				break;
			}
			tags[i] = lua_tostring(L, -1);	/* stays on the stack */
		}
		f.tags = tags;
	} else if (g) {
		f.tags = (const char *const *)g->tags;
	}
	if (lua_getfield(L, 1, "event") != LUA_TNIL) {
		f.event = lev_check(L, -1);
	} else {
		f.event = e->cur_ev;
	}
	/* Before any formatting: a finding held back costs only the match. */
	if (g && g->nr_exc) {
		int data = lua_getfield(L, 1, "data") == LUA_TTABLE ? lua_gettop(L) : 0;

		if (excepted(e, L, g, f.event, data)) {
			g->suppressed++;
			e->st.suppressed++;
			lua_settop(L, top);
			return 0;
		}
	}
	if (lua_getfield(L, 1, "data") != LUA_TNIL) {
		struct tr_fdata *data;

		/* Typed members, not JSON text: the sinks render them (finding.c). */
		f.nr_data = lev_finding_data(L, -1, &e->json, &data);
		f.data = data;
	}
	s->findings++;
	if (g)
		g->findings++;
	e->st.findings++;
	if (e->o.finding_cb)
		e->o.finding_cb(e->o.finding_ctx, &f);
	lua_settop(L, top);
	return 0;
}

static int pending_add(struct lua_engine *e, const char *name, struct handler *h);

static char *dup_field(lua_State *L, int idx, const char *k, const char *def, bool required)
{
	const char *v = opt_field(L, idx, k, def);
	char *d;

	if (!v && required)
		luaL_error(L, "tracee.signature: field '%s' is required", k);
	d = strdup(v ? v : "");
	lua_pop(L, 1);
	if (!d)
		luaL_error(L, "out of memory");
	return d;
}

static void sig_free(struct sig *g)
{
	unsigned int i;

	if (!g)
		return;
	free(g->id); free(g->name); free(g->title); free(g->version); free(g->description);
	free(g->category); free(g->technique); free(g->external_id);
	for (i = 0; g->tags[i]; i++)
		free(g->tags[i]);
	for (i = 0; i < g->nr_events; i++)
		free(g->events[i]);
	free(g->events);
	for (i = 0; i < g->nr_requires; i++)
		free(g->requires[i]);
	free(g->requires);
	for (i = 0; i < g->nr_paths; i++)
		free(g->paths[i]);
	free(g->paths);
	free(g->exc);
	free(g);
}

static char **dup_list(lua_State *L, int idx, const char *k, unsigned int *nr, bool required)
{
	lua_Integer i, n;
	char **v;

	*nr = 0;
	if (lua_getfield(L, idx, k) == LUA_TNIL) {
		lua_pop(L, 1);
		if (required)
			luaL_error(L, "tracee.signature: field '%s' is required (a list of names)", k);
		return NULL;
	}
	if (lua_type(L, -1) == LUA_TSTRING) {	/* one name */
		v = calloc(2, sizeof(*v));
		if (!v || !(v[0] = strdup(lua_tostring(L, -1))))
			luaL_error(L, "out of memory");
		*nr = 1;
		lua_pop(L, 1);
		return v;
	}
	if (lua_type(L, -1) != LUA_TTABLE)
		luaL_error(L, "tracee.signature: field '%s' must be a list of strings", k);
	n = luaL_len(L, -1);
	if (required && n == 0)
		luaL_error(L, "tracee.signature: field '%s' is empty", k);
	v = calloc(n + 1, sizeof(*v));
	if (!v)
		luaL_error(L, "out of memory");
	for (i = 1; i <= n; i++) {
		if (lua_rawgeti(L, -1, i) != LUA_TSTRING) {
			lua_Integer bad = i;

			/* v never reached the signature: its count must not either */
			while (--i > 0)
				free(v[i - 1]);
			free(v);
			*nr = 0;
			luaL_error(L, "tracee.signature: %s[%d] is not a string", k, (int)bad);
		}
		v[i - 1] = strdup(lua_tostring(L, -1));
		lua_pop(L, 1);
		*nr = i;
	}
	lua_pop(L, 1);
	return v;
}

/* Put a signature's on_event into the dispatch lists of its events. */
static int sig_attach(struct lua_engine *e, struct sig *g)
{
	unsigned int i;

	for (i = 0; i < g->nr_events; i++) {
		const struct tr_event_def *d = events_by_name(g->events[i]);
		int err = d ? hlist_add(&e->by_id[d->id], g->on_event) :
			      pending_add(e, g->events[i], g->on_event);

		if (err)
			return err;
	}
	g->attached = true;
	return 0;
}

/* Out of every dispatch list: its events and paths leave the kernel selection. */
static void sig_detach(struct lua_engine *e, struct sig *g)
{
	unsigned int i;

	for (i = 0; i < g->nr_events; i++) {
		const struct tr_event_def *d = events_by_name(g->events[i]);
		unsigned int j;

		if (d) {
			hlist_remove(&e->by_id[d->id], g->on_event);
			continue;
		}
		for (j = 0; j < e->nr_pending; j++)
			if (!strcmp(e->pending[j].name, g->events[i]))
				hlist_remove(&e->pending[j].l, g->on_event);
	}
	g->attached = false;
}

/*
 * tracee.signature{ id=, name=, title=, version=, description=, severity=,
 *   tags={}, mitre={ id=, technique=, category= }, origin="any|container|host",
 *   events={...}, requires={"kprobes"}, on_event=fn, on_signal=fn }
 */
/*
 * Until a signature is registered, a Lua error in its fields (a missing
 * 'events', a bad origin, no memory) would leak it, and a script's pcall
 * can catch that error and go on: the half-built signature sits in a
 * userdata whose __gc frees it unless it was registered (found by
 * tests/fuzz/fuzz_lua).
 */
static int sig_box_gc(lua_State *L)
{
	struct sig **box = luaL_checkudata(L, 1, "tracee.sig_box");

	sig_free(*box);
	*box = NULL;
	return 0;
}

static int t_signature(lua_State *L)
{
	struct lua_engine *e = lev_engine(L);
	struct script *s = script_of(L);
	struct sig *g, **box;
	const char *origin;
	unsigned int i;

	check_loading(L, "tracee.signature");
	luaL_checktype(L, 1, LUA_TTABLE);
	if (lua_getfield(L, 1, "on_event") != LUA_TFUNCTION)
		return luaL_error(L, "tracee.signature: 'on_event' must be a function");
	lua_pop(L, 1);
	box = lua_newuserdatauv(L, sizeof(*box), 0);
	*box = NULL;
	if (luaL_newmetatable(L, "tracee.sig_box")) {
		lua_pushcfunction(L, sig_box_gc);
		lua_setfield(L, -2, "__gc");
	}
	lua_setmetatable(L, -2);
	g = calloc(1, sizeof(*g));
	if (!g)
		return luaL_error(L, "out of memory");
	*box = g;
	g->s = s;
	g->id = dup_field(L, 1, "id", NULL, true);
	g->name = dup_field(L, 1, "name", NULL, true);
	g->title = dup_field(L, 1, "title", g->name, false);
	g->version = dup_field(L, 1, "version", "1", false);
	g->description = dup_field(L, 1, "description", "", false);
	g->severity = opt_severity(L, 1, 0);
	g->category = dup_field(L, 1, "category", "", false);
	g->technique = dup_field(L, 1, "technique", "", false);
	g->external_id = dup_field(L, 1, "external_id", "", false);
	if (lua_getfield(L, 1, "mitre") == LUA_TTABLE) {
		int m = lua_gettop(L);

		/* NULL first: a bad mitre field raises, and the box's __gc frees g */
		free(g->external_id);
		free(g->technique);
		free(g->category);
		g->external_id = g->technique = g->category = NULL;
		g->external_id = dup_field(L, m, "id", "", false);
		g->technique = dup_field(L, m, "technique", "", false);
		g->category = dup_field(L, m, "category", "", false);
	}
	lua_pop(L, 1);
	if (lua_getfield(L, 1, "tags") == LUA_TTABLE) {
		for (i = 0; i < MAX_TAGS; i++) {
			if (lua_rawgeti(L, -1, i + 1) != LUA_TSTRING) {
				lua_pop(L, 1);
				break;
			}
			g->tags[i] = strdup(lua_tostring(L, -1));
			lua_pop(L, 1);
		}
	}
	lua_pop(L, 1);
	origin = opt_field(L, 1, "origin", "any");
	if (!strcmp(origin, "container"))
		g->origin = ORIGIN_CONTAINER;
	else if (!strcmp(origin, "host"))
		g->origin = ORIGIN_HOST;
	else if (strcmp(origin, "any") && strcmp(origin, "*"))
		return luaL_error(L, "tracee.signature: origin '%s': use \"any\", \"container\" or "
				  "\"host\"", origin);
	lua_pop(L, 1);
	g->events = dup_list(L, 1, "events", &g->nr_events, true);
	g->requires = dup_list(L, 1, "requires", &g->nr_requires, false);
	g->paths = dup_list(L, 1, "paths", &g->nr_paths, false);
	switch (lua_getfield(L, 1, "enabled")) {
	case LUA_TNIL:
		g->default_on = true;
		break;
	case LUA_TBOOLEAN:
		g->default_on = lua_toboolean(L, -1);
		break;
	default:
		return luaL_error(L, "tracee.signature: field 'enabled' must be true or false "
				  "(false: an opt-in rule, off until enabled)");
	}
	lua_pop(L, 1);
	g->enabled = g->default_on;

	if (e->nr_sigs == e->cap_sigs) {
		unsigned int cap = e->cap_sigs ? e->cap_sigs * 2 : 32;
		struct sig **n = realloc(e->sigs, sizeof(*n) * cap);

		if (!n)
			return luaL_error(L, "out of memory");
		e->sigs = n;
		e->cap_sigs = cap;
	}
	e->sigs[e->nr_sigs++] = g;
	*box = NULL;	/* the engine's now (script_free frees it with its script) */

	lua_getfield(L, 1, "on_event");
	g->on_event = handler_new(L, s, lua_gettop(L), H_SIG_EVENT, "signature %s (%s) on_event",
				  g->id, g->name);
	g->on_event->sig = g;
	lua_pop(L, 1);
	if (lua_getfield(L, 1, "on_signal") == LUA_TFUNCTION) {
		g->on_signal = handler_new(L, s, lua_gettop(L), H_SIG_SIGNAL,
					   "signature %s (%s) on_signal", g->id, g->name);
		g->on_signal->sig = g;
	}
	lua_pop(L, 1);
	for (i = 0; i < g->nr_events; i++) {
		if (events_by_name(g->events[i]))
			continue;
		/* Written against an event this build lacks: listed as unavailable,
		 * dispatched by name if a replayed log carries it. */
		if (s->builtin)
			tr_verbose(2, "signature %s: event %s is not in this build's events "
				   "table; it will not fire on it", g->id, g->events[i]);
		else
			tr_err("script %s: signature %s: event '%s' is not known to this "
			       "tracee; only a replayed log carrying it by name reaches the "
			       "signature (tracee -l lists events)", s->label, g->id, g->events[i]);
	}
	/* An opt-in rule costs nothing until something switches it on. */
	if (g->enabled && sig_attach(e, g))
		return luaL_error(L, "out of memory");
	lua_pushvalue(L, 1);
	return 1;
}

static int pending_add(struct lua_engine *e, const char *name, struct handler *h)
{
	unsigned int i;

	for (i = 0; i < e->nr_pending; i++)
		if (!strcmp(e->pending[i].name, name))
			return hlist_add(&e->pending[i].l, h);
	if (e->nr_pending == e->cap_pending) {
		unsigned int cap = e->cap_pending ? e->cap_pending * 2 : 8;
		struct pending *n = realloc(e->pending, sizeof(*n) * cap);

		if (!n)
			return -ENOMEM;
		e->pending = n;
		e->cap_pending = cap;
	}
	memset(&e->pending[e->nr_pending], 0, sizeof(e->pending[0]));
	e->pending[e->nr_pending].name = strdup(name);
	if (!e->pending[e->nr_pending].name)
		return -ENOMEM;
	return hlist_add(&e->pending[e->nr_pending++].l, h);
}

static int t_every(lua_State *L)
{
	struct lua_engine *e = lev_engine(L);
	lua_Number sec = luaL_checknumber(L, 1);
	struct timer *t;

	check_loading(L, "tracee.every");
	luaL_checktype(L, 2, LUA_TFUNCTION);
	if (!(sec >= 0.01 && sec <= 86400.0 * 365))
		return luaL_error(L, "tracee.every: period %f out of range (0.01 s to a year)", sec);
	if (e->nr_timers == e->cap_timers) {
		unsigned int cap = e->cap_timers ? e->cap_timers * 2 : 8;
		struct timer *n = realloc(e->timers, sizeof(*n) * cap);

		if (!n)
			return luaL_error(L, "out of memory");
		e->timers = n;
		e->cap_timers = cap;
	}
	t = &e->timers[e->nr_timers];
	t->h = handler_new(L, script_of(L), 2, H_TIMER, "tracee.every(%g) timer", sec);
	t->period_ns = (uint64_t)(sec * 1e9);
	t->next_ns = mono_ns() + t->period_ns;
	e->nr_timers++;
	return 0;
}

static int t_on_exit(lua_State *L)
{
	check_loading(L, "tracee.on_exit");
	luaL_checktype(L, 1, LUA_TFUNCTION);
	handler_new(L, script_of(L), 1, H_EXIT, "tracee.on_exit callback");
	return 0;
}

static int t_log(lua_State *L)
{
	struct script *s = script_of(L);
	int i, n = lua_gettop(L);
	luaL_Buffer b;

	luaL_buffinit(L, &b);
	for (i = 1; i <= n; i++) {
		if (i > 1)
			luaL_addchar(&b, '\t');
		luaL_tolstring(L, i, NULL);
		luaL_addvalue(&b);
	}
	luaL_pushresult(&b);
	tr_info("%s: %s", s->label, lua_tostring(L, -1));
	return 0;
}

/* tracee.count(name[, n]): a counter shown in the exit summary. */
static int t_count(lua_State *L)
{
	struct script *s = script_of(L);
	const char *name = luaL_checkstring(L, 1);
	lua_Integer n = luaL_optinteger(L, 2, 1);

	lua_rawgeti(L, LUA_REGISTRYINDEX, s->counters_ref);
	lua_getfield(L, -1, name);
	n += lua_tointeger(L, -1);
	lua_pop(L, 1);
	lua_pushinteger(L, n);
	lua_setfield(L, -2, name);
	lua_pushinteger(L, n);
	return 1;
}

static int t_json(lua_State *L)
{
	struct lua_engine *e = lev_engine(L);

	luaL_checkany(L, 1);
	lbuf_reset(&e->json);
	lev_value_json(L, 1, &e->json);
	lua_pushlstring(L, e->json.p ? e->json.p : "null", e->json.p ? e->json.len : 4);
	return 1;
}

/* ------------------------------------------------------------------ */
/* Processes: the process tree when the lead gives one, /proc otherwise. */

/* The container of a /proc/PID/cgroup text: the last line naming one. */
static void container_from_cgroup(char *text, char out[65])
{
	char id[CONTAINER_ID_LEN + 1], *line, *save = NULL, *path;

	out[0] = '\0';
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		path = strchr(line, ':');	/* "hierarchy:controllers:path" */
		path = path ? strchr(path + 1, ':') : NULL;
		if (path && container_id_from_cgroup_path(path + 1, id) > 0)
			memcpy(out, id, sizeof(id));
	}
}

static ssize_t read_small(const char *path, char *buf, size_t sz)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, sz - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	return n;
}

static int proc_read(void *ctx, int pid, struct lua_engine_proc *p)
{
	char path[64], buf[4096];
	const char *rp;
	unsigned long long start = 0;
	long hz = sysconf(_SC_CLK_TCK);
	ssize_t n;
	int ppid = 0;

	memset(p, 0, sizeof(*p));
	p->pid = pid;
	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	if (read_small(path, buf, sizeof(buf)) <= 0)
		return -ENOENT;
	rp = strrchr(buf, ')');
	if (!rp || sscanf(rp + 2, "%*c %d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d "
			  "%*d %*d %*d %*d %llu", &ppid, &start) != 2)
		return -ENOENT;
	p->ppid = ppid;
	if (hz > 0)	/* clock ticks since boot: CLOCK_MONOTONIC-like, tick precision */
		p->start_time_ns = start * (1000000000ULL / hz);
	snprintf(path, sizeof(path), "/proc/%d/comm", pid);
	if (read_small(path, p->comm, sizeof(p->comm)) > 0)
		p->comm[strcspn(p->comm, "\n")] = '\0';
	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	if (read_small(path, buf, sizeof(buf)) > 0 && (rp = strstr(buf, "\nUid:")))
		p->uid = atoi(rp + 5);
	snprintf(path, sizeof(path), "/proc/%d/exe", pid);
	n = readlink(path, p->exe, sizeof(p->exe) - 1);
	p->exe[n > 0 ? n : 0] = '\0';
	snprintf(path, sizeof(path), "/proc/%d/cmdline", pid);
	n = read_small(path, p->argv, sizeof(p->argv));
	p->argv_sz = n > 0 ? n : 0;
	snprintf(path, sizeof(path), "/proc/%d/cgroup", pid);
	if (read_small(path, buf, sizeof(buf)) > 0)
		container_from_cgroup(buf, p->container_id);
	return 0;
}

static int proc_tree(int pid, struct lua_engine_proc *p)
{
	const struct proc_info *pi = proctree_lookup((uint32_t)pid);
	size_t n;

	if (!pi)
		return -ENOENT;
	memset(p, 0, sizeof(*p));
	p->pid = pi->pid;
	p->ppid = pi->ppid;
	p->uid = pi->uid;
	p->start_time_ns = pi->start_ns;
	snprintf(p->comm, sizeof(p->comm), "%.*s", TR_COMM_LEN, pi->comm);
	snprintf(p->exe, sizeof(p->exe), "%s", pi->exe ? pi->exe : "");
	snprintf(p->container_id, sizeof(p->container_id), "%s", pi->container_id);
	n = pi->argv ? pi->argv_len : 0;
	if (n > sizeof(p->argv))
		n = sizeof(p->argv);
	if (n)
		memcpy(p->argv, pi->argv, n);
	p->argv_sz = n;
	return 0;
}

int lua_engine_proc_tree(void *ctx, int pid, struct lua_engine_proc *p)
{
	return proc_tree(pid, p);
}

int lua_engine_proc_live(void *ctx, int pid, struct lua_engine_proc *p)
{
	return proc_tree(pid, p) ? proc_read(ctx, pid, p) : 0;
}

static void push_proc(lua_State *L, const struct lua_engine_proc *p, bool with_argv)
{
	size_t off = 0;
	int i = 1;

	lua_createtable(L, 0, 9);
	lua_pushinteger(L, p->pid);
	lua_setfield(L, -2, "pid");
	lua_pushinteger(L, p->ppid);
	lua_setfield(L, -2, "ppid");
	lua_pushinteger(L, p->uid);
	lua_setfield(L, -2, "uid");
	lua_pushinteger(L, (lua_Integer)p->start_time_ns);
	lua_setfield(L, -2, "start_time");
	lua_pushstring(L, p->comm);
	lua_setfield(L, -2, "comm");
	lua_pushstring(L, p->exe);
	lua_setfield(L, -2, "exe");
	lua_pushstring(L, p->container_id);
	lua_setfield(L, -2, "container");
	if (!with_argv)
		return;
	lua_createtable(L, 4, 0);
	while (off < p->argv_sz) {
		size_t len = strnlen(p->argv + off, p->argv_sz - off);

		lua_pushlstring(L, p->argv + off, len);
		lua_rawseti(L, -2, i++);
		off += len + 1;
	}
	lua_setfield(L, -2, "argv");
}

/* tracee.process(pid) -> { pid, ppid, comm, exe, argv, start_time, uid, container,
 *                          ancestors = { {pid, ppid, comm, exe, ...}, ... } } or nil */
static int t_process(lua_State *L)
{
	struct lua_engine *e = lev_engine(L);
	lua_Integer pid = luaL_checkinteger(L, 1);
	lua_engine_proc_fn fn = e->o.proc_lookup ? e->o.proc_lookup : lua_engine_proc_live;
	struct lua_engine_proc *p;
	int i, next;

	if (pid <= 0 || pid > INT_MAX) {
		lua_pushnil(L);
		return 1;
	}
	p = malloc(sizeof(*p));
	if (!p)
		return luaL_error(L, "out of memory");
	if (fn(e->o.proc_ctx, (int)pid, p)) {
		free(p);
		lua_pushnil(L);
		return 1;
	}
	push_proc(L, p, true);
	lua_createtable(L, 4, 0);
	next = p->ppid;
	for (i = 1; i <= 64 && next > 0 && next != pid; i++) {
		if (fn(e->o.proc_ctx, next, p))
			break;
		push_proc(L, p, false);
		lua_rawseti(L, -2, i);
		if (p->ppid == next)
			break;
		next = p->ppid;
	}
	free(p);
	lua_setfield(L, -2, "ancestors");
	return 1;
}

/* ------------------------------------------------------------------ */
/* The sandbox */

static const char *const safe_base[] = {
	"assert", "error", "ipairs", "next", "pairs", "pcall", "xpcall", "select", "tonumber",
	"tostring", "type", "rawequal", "rawget", "rawset", "rawlen", "getmetatable", "_VERSION",
	NULL,
};
static const char *const safe_libs[] = { "string", "table", "math", "utf8", "coroutine", NULL };
static const char *const unsafe_libs[] = { "io", "os", NULL };

/* setmetatable without __gc: finalizers would run outside any budget. */
static int s_setmetatable(lua_State *L)
{
	if (lua_type(L, 2) == LUA_TTABLE && lua_getfield(L, 2, "__gc") != LUA_TNIL)
		return luaL_error(L, "setmetatable: __gc metamethods are not available to scripts");
	lua_settop(L, 2);
	lua_pushvalue(L, lua_upvalueindex(1));
	lua_insert(L, 1);
	lua_call(L, 2, 1);
	return 1;
}

static int s_collectgarbage(lua_State *L)
{
	const char *opt = luaL_optstring(L, 1, "count");

	if (strcmp(opt, "count"))
		return luaL_error(L, "collectgarbage: only \"count\" is available to scripts");
	lua_pushnumber(L, (lua_Number)lua_gc(L, LUA_GCCOUNT) + lua_gc(L, LUA_GCCOUNTB) / 1024.0);
	return 1;
}

/* load(string [, name [, mode [, env]]]): text only, the script's env by default. */
static int s_load(lua_State *L)
{
	size_t len;
	const char *src = lua_tolstring(L, 1, &len);
	const char *name = luaL_optstring(L, 2, src ? src : "=(load)");
	const char *mode = luaL_optstring(L, 3, "t");
	int env = lua_gettop(L) >= 4 ? 4 : 0;

	if (!src)
		return luaL_error(L, "load: only source strings can be loaded here");
	if (len > SCRIPT_MAX_SZ)
		return luaL_error(L, "load: %I bytes of source, more than the %d a script may have",
				  (lua_Integer)len, (int)SCRIPT_MAX_SZ);
	lua_engine_charge(L, len / 4);	/* the parser runs in C: ~4 bytes per instruction */
	if (!strchr(mode, 't'))
		return luaL_error(L, "load: binary chunks are not allowed (mode \"t\" only)");
	if (luaL_loadbufferx(L, src, len, name, "t") != LUA_OK) {
		lua_pushnil(L);
		lua_insert(L, -2);
		return 2;
	}
	if (env)
		lua_pushvalue(L, env);
	else
		lua_pushvalue(L, lua_upvalueindex(1));
	if (!lua_setupvalue(L, -2, 1))
		lua_pop(L, 1);
	return 1;
}

/*
 * Load a Lua source file that tracee, running as root, is about to trust:
 * not a symlink, owned by root (or the user running tracee), not writable by
 * others, in trusted directories (fsafe.h).  Source only.  Returns a
 * lua_load status with the chunk or the message on the stack, and the
 * errno-style reason in *why.
 */
static int load_trusted(lua_State *L, const char *path, int *why)
{
	char err[768], chunk[PATH_MAX + 2];
	void *buf = NULL;
	size_t sz = 0;
	int r, st;

	r = fsafe_read_trusted(path, SCRIPT_MAX_SZ, "script", &buf, &sz, err, sizeof(err));
	if (r) {
		if (why)
			*why = r;
		lua_pushstring(L, err);
		return LUA_ERRFILE;
	}
	snprintf(chunk, sizeof(chunk), "@%s", path);
	st = luaL_loadbufferx(L, buf, sz, chunk, "t");
	free(buf);
	if (why)
		*why = st == LUA_OK ? 0 : -EINVAL;
	return st;
}

static bool module_name_ok(const char *n)
{
	const char *p;

	if (!*n || n[0] == '.' || strstr(n, ".."))
		return false;
	for (p = n; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '_' || *p == '-' || *p == '.'))
			return false;
	return true;
}

/* require(name): Lua source modules from lib_dir or the script's directory only. */
static int s_require(lua_State *L)
{
	struct lua_engine *e = lev_engine(L);
	struct script *s = script_of(L);
	const char *name = luaL_checkstring(L, 1);
	const char *dirs[2] = { e->lib_dir, s->dir };
	char rel[256], path[PATH_MAX];
	unsigned int i;
	char *p;

	if (!strcmp(name, "tracee")) {
		lua_rawgeti(L, LUA_REGISTRYINDEX, s->tracee_ref);
		return 1;
	}
	lua_rawgeti(L, LUA_REGISTRYINDEX, s->loaded_ref);
	if (lua_getfield(L, -1, name) != LUA_TNIL)
		return 1;
	lua_pop(L, 1);
	if (!module_name_ok(name) || strlen(name) >= sizeof(rel) - 8)
		return luaL_error(L, "require: bad module name '%s'", name);
	snprintf(rel, sizeof(rel), "%s", name);
	for (p = rel; *p; p++)
		if (*p == '.')
			*p = '/';
	for (i = 0; i < 2; i++) {
		if (!dirs[i] || !dirs[i][0])
			continue;
		snprintf(path, sizeof(path), "%s/%s.lua", dirs[i], rel);
		if (access(path, R_OK))
			continue;
		if (load_trusted(L, path, NULL) != LUA_OK)
			return lua_error(L);
		lua_rawgeti(L, LUA_REGISTRYINDEX, s->env_ref);
		if (!lua_setupvalue(L, -2, 1))
			lua_pop(L, 1);
		lua_pushstring(L, name);
		lua_call(L, 1, 1);
		if (lua_isnil(L, -1)) {
			lua_pop(L, 1);
			lua_pushboolean(L, 1);
		}
		lua_pushvalue(L, -1);
		lua_setfield(L, -3, name);
		return 1;
	}
	return luaL_error(L, "module '%s' not found: scripts may require Lua modules from %s or "
			  "the script's directory only (no C modules)", name, e->lib_dir);
}

static void copy_table(lua_State *L, int src)
{
	src = lua_absindex(L, src);
	lua_newtable(L);
	lua_pushnil(L);
	while (lua_next(L, src)) {
		lua_pushvalue(L, -2);
		lua_insert(L, -2);
		lua_rawset(L, -4);
	}
}

/* ------------------------------------------------------------------ */
/* Tuning: signatures on and off, exceptions */

/*
 * A selector names signatures by id ("TRC-1016"), name
 * ("illegitimate_shell"), tag ("tag:network") or all of them ("all").
 */
static bool sel_matches(const struct sig *g, const char *sel)
{
	unsigned int i;

	if (!strcmp(sel, "all"))
		return true;
	if (!strncmp(sel, "tag:", 4)) {
		for (i = 0; g->tags[i]; i++)
			if (!strcmp(g->tags[i], sel + 4))
				return true;
		return false;
	}
	return !strcmp(g->id, sel) || !strcmp(g->name, sel);
}

static bool sel_known(const struct lua_engine *e, const char *sel)
{
	unsigned int i;

	for (i = 0; i < e->nr_sigs; i++)
		if (sel_matches(e->sigs[i], sel))
			return true;
	return false;
}

static int toggle_add(struct lua_engine *e, const struct script *s, const char *sel, bool on)
{
	struct toggle *t;

	if (e->nr_toggles == e->cap_toggles) {
		unsigned int cap = e->cap_toggles ? e->cap_toggles * 2 : 16;
		struct toggle *n = realloc(e->toggles, sizeof(*n) * cap);

		if (!n)
			return -ENOMEM;
		e->toggles = n;
		e->cap_toggles = cap;
	}
	t = &e->toggles[e->nr_toggles];
	t->sel = strdup(sel);
	if (!t->sel)
		return -ENOMEM;
	t->s = s;
	t->on = on;
	e->nr_toggles++;
	return 0;
}

static void except_free(struct except *x)
{
	unsigned int i;

	if (!x)
		return;
	for (i = 0; i < EXC_NR; i++)
		strv_fini(&x->f[i], true);
	free(x->sel);
	free(x);
}

static void toggle_one(lua_State *L, const char *sel, void *p)
{
	struct lua_engine *e = lev_engine(L);

	if (!*sel)
		luaL_error(L, "%s: an empty selector (give an id, a name, tag:TAG or all)",
			   *(bool *)p ? "tracee.enable" : "tracee.disable");
	if (toggle_add(e, script_of(L), sel, *(bool *)p))
		luaL_error(L, "out of memory");
}

/* tracee.enable("TRC-1016", "tag:x", ...) or tracee.enable{ ... } */
static int toggle_lua(lua_State *L, bool on)
{
	const char *fname = on ? "tracee.enable" : "tracee.disable";
	int i, n = lua_gettop(L);

	check_loading(L, fname);
	if (n == 0)
		return luaL_error(L, "%s: name a signature (id, name, tag:TAG or all)", fname);
	for (i = 1; i <= n; i++) {
		if (lua_type(L, i) != LUA_TSTRING && lua_type(L, i) != LUA_TTABLE)
			return luaL_error(L, "%s: argument %d is a %s, not a selector string", fname,
					  i, luaL_typename(L, i));
		each_string(L, i, fname, toggle_one, &on);
	}
	return 0;
}

static int t_enable(lua_State *L)
{
	return toggle_lua(L, true);
}

static int t_disable(lua_State *L)
{
	return toggle_lua(L, false);
}

static void except_add_glob(lua_State *L, const char *glob, void *p)
{
	if (!*glob)
		luaL_error(L, "tracee.except: an empty pattern");
	if (strv_add(p, glob))
		luaL_error(L, "out of memory");
}

/*
 * tracee.except(selector, { process=, executable=, parent=, image=, path= }):
 * a finding of the selected signatures is held back (and counted) when every
 * field given matches; a field is one glob or a list of them, any of which
 * may match.  A box owns the half-built exception until it is registered.
 */
static int except_box_gc(lua_State *L)
{
	struct except **box = luaL_checkudata(L, 1, "tracee.except_box");

	except_free(*box);
	*box = NULL;
	return 0;
}

static int t_except(lua_State *L)
{
	struct lua_engine *e = lev_engine(L);
	struct except *x, **box;
	unsigned int i, given = 0;

	check_loading(L, "tracee.except");
	luaL_checkstring(L, 1);
	luaL_checktype(L, 2, LUA_TTABLE);
	if (!*lua_tostring(L, 1))
		return luaL_error(L, "tracee.except: an empty selector (give an id, a name, "
				  "tag:TAG or all)");
	/* a misspelt field would silently widen the exception: refuse it */
	lua_pushnil(L);
	while (lua_next(L, 2)) {
		lua_pop(L, 1);
		for (i = 0; i < EXC_NR; i++)
			if (lua_type(L, -1) == LUA_TSTRING &&
			    !strcmp(lua_tostring(L, -1), exc_field_names[i]))
				break;
		if (i == EXC_NR)
			return luaL_error(L, "tracee.except: unknown field '%s' (use process, "
					  "executable, parent, image or path)",
					  luaL_tolstring(L, -1, NULL));
	}
	box = lua_newuserdatauv(L, sizeof(*box), 0);
	*box = NULL;
	if (luaL_newmetatable(L, "tracee.except_box")) {
		lua_pushcfunction(L, except_box_gc);
		lua_setfield(L, -2, "__gc");
	}
	lua_setmetatable(L, -2);
	x = calloc(1, sizeof(*x));
	if (!x)
		return luaL_error(L, "out of memory");
	*box = x;
	x->s = script_of(L);
	x->sel = strdup(lua_tostring(L, 1));
	if (!x->sel)
		return luaL_error(L, "out of memory");
	for (i = 0; i < EXC_NR; i++) {
		char fname[64];

		if (lua_getfield(L, 2, exc_field_names[i]) != LUA_TNIL) {
			snprintf(fname, sizeof(fname), "tracee.except: %s", exc_field_names[i]);
			each_string(L, lua_gettop(L), fname, except_add_glob, &x->f[i]);
			if (!x->f[i].nr)
				return luaL_error(L, "tracee.except: field '%s' is an empty list",
						  exc_field_names[i]);
			given++;
		}
		lua_pop(L, 1);
	}
	if (!given)
		return luaL_error(L, "tracee.except: give at least one of process, executable, "
				  "parent, image or path");
	if (e->nr_excs == e->cap_excs) {
		unsigned int cap = e->cap_excs ? e->cap_excs * 2 : 8;
		struct except **n = realloc(e->excs, sizeof(*n) * cap);

		if (!n)
			return luaL_error(L, "out of memory");
		e->excs = n;
		e->cap_excs = cap;
	}
	e->excs[e->nr_excs++] = x;
	*box = NULL;	/* the engine's now */
	return 0;
}

int lua_engine_select_signatures(struct lua_engine *e, const char *list)
{
	const char *p = list;

	do {
		size_t n = strcspn(p, ",");
		char item[256];
		const char *sel;
		bool on = true;

		if (n == 0 || n >= sizeof(item)) {
			tr_err("--signatures: %s item in '%s' (write ID, NAME, tag:TAG or all, "
			       "comma-separated, - before one to switch it off)",
			       n ? "an over-long" : "an empty", list);
			return -EINVAL;
		}
		memcpy(item, p, n);
		item[n] = '\0';
		if (item[0] == '-' || item[0] == '+') {
			on = item[0] == '+';
		} else if (!e->cli_toggled) {
			/* As -e: a plain first name means only the ones named. */
			if (toggle_add(e, NULL, "all", false))
				return -ENOMEM;
		}
		e->cli_toggled = true;
		sel = item + (item[0] == '-' || item[0] == '+');
		if (!*sel) {
			tr_err("--signatures: '%s' names nothing (write -ID, +ID, -tag:TAG, ...)", item);
			return -EINVAL;
		}
		if (toggle_add(e, NULL, sel, on))
			return -ENOMEM;
		p += n;
	} while (*p++ == ',');
	return 0;
}

static void toggle_apply(struct lua_engine *e, const struct toggle *t)
{
	unsigned int i;

	for (i = 0; i < e->nr_sigs; i++) {
		struct sig *g = e->sigs[i];

		if (!sel_matches(g, t->sel))
			continue;
		g->enabled = t->on;
		g->why = t->s;
		g->why_cli = !t->s;
	}
}

static const char *toggle_origin(const struct toggle *t, char *buf, size_t sz)
{
	if (!t->s)
		return "--signatures";
	snprintf(buf, sz, "%s: tracee.%s", t->s->label, t->on ? "enable" : "disable");
	return buf;
}

int lua_engine_resolve(struct lua_engine *e)
{
	char where[PATH_MAX + 32];
	unsigned int i, j;

	/* Every selector must name something: a typo never passes for "no effect". */
	for (i = 0; i < e->nr_toggles; i++)
		if (!sel_known(e, e->toggles[i].sel)) {
			tr_err("%s: '%s' names no signature (no id, name or tag matches; "
			       "tracee --list-signatures lists them)",
			       toggle_origin(&e->toggles[i], where, sizeof(where)), e->toggles[i].sel);
			return -EINVAL;
		}
	for (i = 0; i < e->nr_excs; i++)
		if (!sel_known(e, e->excs[i]->sel)) {
			tr_err("%s: tracee.except: '%s' names no signature (no id, name or tag "
			       "matches; tracee --list-signatures lists them)",
			       e->excs[i]->s->label, e->excs[i]->sel);
			return -EINVAL;
		}
	for (i = 0; i < e->nr_sigs; i++) {
		struct sig *g = e->sigs[i];

		g->enabled = g->default_on;
		g->why = NULL;
		g->why_cli = false;
		free(g->exc);
		g->exc = NULL;
		g->nr_exc = 0;
	}
	/* Policies in the order they ran, then the command line: the last word. */
	for (i = 0; i < e->nr_toggles; i++)
		if (e->toggles[i].s)
			toggle_apply(e, &e->toggles[i]);
	for (i = 0; i < e->nr_toggles; i++)
		if (!e->toggles[i].s)
			toggle_apply(e, &e->toggles[i]);
	for (i = 0; i < e->nr_sigs; i++) {
		struct sig *g = e->sigs[i];

		if (g->enabled && !g->attached) {
			if (sig_attach(e, g))
				return -ENOMEM;
		} else if (!g->enabled && g->attached) {
			sig_detach(e, g);
		}
		for (j = 0; j < e->nr_excs; j++) {
			struct except **n;

			if (!sel_matches(g, e->excs[j]->sel))
				continue;
			n = realloc(g->exc, sizeof(*n) * (g->nr_exc + 1));
			if (!n)
				return -ENOMEM;
			g->exc = n;
			g->exc[g->nr_exc++] = e->excs[j];
		}
	}
	return 0;
}

/* What an exception field is matched against, looked up once per finding. */
struct exc_subject {
	const char *v[EXC_NR];
	bool done[EXC_NR];
	char comm[TR_COMM_LEN + 1], parent[TR_COMM_LEN + 1];
	char path[TR_PATH_MAX];
};

/* The finding's data.pathname, else the event's own pathname argument. */
static const char *subject_path(lua_State *L, const struct tr_event *ev, int data,
				struct exc_subject *sub)
{
	unsigned int i;

	if (data && lua_type(L, data) == LUA_TTABLE) {
		const char *p = NULL;

		if (lua_getfield(L, data, "pathname") == LUA_TSTRING)
			p = lua_tostring(L, -1);
		if (p) {
			snprintf(sub->path, sizeof(sub->path), "%s", p);
			lua_pop(L, 1);
			return sub->path;
		}
		lua_pop(L, 1);
	}
	for (i = 0; ev && i < ev->nr_args; i++) {
		const struct tr_arg *a = &ev->args[i];

		if (a->kind == TR_V_STR && !strcmp(a->name, "pathname")) {
			snprintf(sub->path, sizeof(sub->path), "%.*s", (int)a->v.str.len,
				 a->v.str.p);
			return sub->path;
		}
	}
	return NULL;
}

static const char *subject(struct lua_engine *e, lua_State *L, const struct tr_event *ev,
			   int data, struct exc_subject *sub, enum exc_field f)
{
	struct lua_engine_proc *p;
	lua_engine_proc_fn fn;

	if (sub->done[f])
		return sub->v[f];
	sub->done[f] = true;
	switch (f) {
	case EXC_PROCESS:
		if (ev) {
			snprintf(sub->comm, sizeof(sub->comm), "%.*s", TR_COMM_LEN, ev->hdr->comm);
			sub->v[f] = sub->comm;
		}
		break;
	case EXC_EXECUTABLE:
		sub->v[f] = ev && ev->executable && ev->executable[0] ? ev->executable : NULL;
		break;
	case EXC_PARENT:
		fn = e->o.proc_lookup ? e->o.proc_lookup : lua_engine_proc_live;
		p = ev ? malloc(sizeof(*p)) : NULL;
		if (p && !fn(e->o.proc_ctx, (int)ev->hdr->host_ppid, p)) {
			snprintf(sub->parent, sizeof(sub->parent), "%s", p->comm);
			sub->v[f] = sub->parent;
		}
		free(p);
		break;
	case EXC_IMAGE:
		sub->v[f] = ev && ev->container && ev->container->image[0] ?
			    ev->container->image : NULL;
		break;
	case EXC_PATH:
		sub->v[f] = subject_path(L, ev, data, sub);
		break;
	default:
		break;
	}
	return sub->v[f];
}

/* Does an exception of g hold this finding back?  Only runs for findings. */
static bool excepted(struct lua_engine *e, lua_State *L, struct sig *g,
		     const struct tr_event *ev, int data)
{
	struct exc_subject *sub;
	unsigned int i, f, k;
	bool hit = false;

	sub = calloc(1, sizeof(*sub));
	if (!sub)
		return false;	/* reporting wins over tuning when memory runs out */
	for (i = 0; i < g->nr_exc && !hit; i++) {
		struct except *x = g->exc[i];

		hit = true;
		for (f = 0; f < EXC_NR && hit; f++) {
			const char *v;

			if (!x->f[f].nr)
				continue;
			v = subject(e, L, ev, data, sub, f);
			hit = false;
			for (k = 0; v && k < x->f[f].nr && !hit; k++)
				hit = !fnmatch(x->f[f].v[k], v, 0);
		}
		if (hit)
			x->hits++;
	}
	free(sub);
	return hit;
}

static const luaL_Reg tracee_fns[] = {
	{ "on", t_on }, { "events", t_events }, { "scope", t_scope }, { "finding", t_finding },
	{ "signature", t_signature }, { "process", t_process }, { "every", t_every },
	{ "on_exit", t_on_exit }, { "log", t_log }, { "count", t_count }, { "json", t_json },
	{ "enable", t_enable }, { "disable", t_disable }, { "except", t_except },
	{ NULL, NULL },
};

/*
 * Build the environment of script s (NULL: the stdlib's) and leave it on the
 * stack.  Runs inside lua_pcall: allocation failures raise.
 */
static void make_env(lua_State *L, struct lua_engine *e, struct script *s)
{
	int env, g, i;

	lua_newtable(L);
	env = lua_gettop(L);
	lua_pushglobaltable(L);
	g = lua_gettop(L);
	for (i = 0; safe_base[i]; i++) {
		lua_getfield(L, g, safe_base[i]);
		lua_setfield(L, env, safe_base[i]);
	}
	for (i = 0; safe_libs[i]; i++) {
		lua_getfield(L, g, safe_libs[i]);
		copy_table(L, -1);
		lua_setfield(L, env, safe_libs[i]);
		lua_pop(L, 1);
	}
	if (e->o.unsafe) {
		for (i = 0; unsafe_libs[i]; i++) {
			if (lua_getfield(L, g, unsafe_libs[i]) == LUA_TTABLE) {
				copy_table(L, -1);
				lua_setfield(L, env, unsafe_libs[i]);
			}
			lua_pop(L, 1);
		}
	}
	lua_getfield(L, g, "setmetatable");
	lua_pushcclosure(L, s_setmetatable, 1);
	lua_setfield(L, env, "setmetatable");
	lua_pushcfunction(L, s_collectgarbage);
	lua_setfield(L, env, "collectgarbage");
	lua_pushvalue(L, env);
	lua_pushcclosure(L, s_load, 1);
	lua_setfield(L, env, "load");
	lua_pushvalue(L, env);
	lua_setfield(L, env, "_G");
	lua_pop(L, 1);	/* globals */
	if (!s)
		return;

	/* the tracee module of this script */
	lua_newtable(L);
	if (e->stdlib_ref != LUA_NOREF) {	/* helpers from tracee.lua first */
		lua_rawgeti(L, LUA_REGISTRYINDEX, e->stdlib_ref);
		lua_pushnil(L);
		while (lua_next(L, -2)) {
			lua_pushvalue(L, -2);
			lua_insert(L, -2);
			lua_rawset(L, -5);
		}
		lua_pop(L, 1);
	}
	for (i = 0; tracee_fns[i].name; i++) {
		lua_pushlightuserdata(L, s);
		lua_pushcclosure(L, tracee_fns[i].func, 1);
		lua_setfield(L, -2, tracee_fns[i].name);
	}
	lua_newtable(L);
	lua_setfield(L, -2, "state");
	lua_newtable(L);			/* EVENTS: per-script view of the shared table */
	lua_rawgeti(L, LUA_REGISTRYINDEX, e->events_mt_ref);
	lua_setmetatable(L, -2);
	lua_setfield(L, -2, "EVENTS");
	lua_pushliteral(L, PACKAGE_VERSION);
	lua_setfield(L, -2, "version");
	lua_pushstring(L, s->label);
	lua_setfield(L, -2, "script");
	lua_pushvalue(L, -1);
	s->tracee_ref = luaL_ref(L, LUA_REGISTRYINDEX);
	lua_setfield(L, env, "tracee");

	lua_pushlightuserdata(L, s);
	lua_pushcclosure(L, s_require, 1);
	lua_setfield(L, env, "require");
	lua_pushlightuserdata(L, s);
	lua_pushcclosure(L, t_log, 1);
	lua_setfield(L, env, "print");

	lua_newtable(L);
	s->loaded_ref = luaL_ref(L, LUA_REGISTRYINDEX);
	lua_newtable(L);
	s->counters_ref = luaL_ref(L, LUA_REGISTRYINDEX);
}

static int script_setup_cf(lua_State *L)
{
	struct lua_engine *e = lev_engine(L);
	struct script *s = lua_touserdata(L, 1);

	make_env(L, e, s);
	s->env_ref = luaL_ref(L, LUA_REGISTRYINDEX);
	return 0;
}

static void script_free(struct lua_engine *e, struct script *s)
{
	struct handler *h, *next;
	unsigned int i, j;

	if (!s)
		return;
	for (i = 0; i < TR_MAX_EVENT; i++)
		if (e->by_id[i].nr)
			hlist_remove_script(&e->by_id[i], s);
	hlist_remove_script(&e->any, s);
	for (i = 0; i < e->nr_pending; i++)
		hlist_remove_script(&e->pending[i].l, s);
	for (i = 0, j = 0; i < e->nr_sigs; i++) {
		if (e->sigs[i]->s == s)
			sig_free(e->sigs[i]);
		else
			e->sigs[j++] = e->sigs[i];
	}
	e->nr_sigs = j;
	for (i = 0, j = 0; i < e->nr_toggles; i++) {
		if (e->toggles[i].s == s)
			free(e->toggles[i].sel);
		else
			e->toggles[j++] = e->toggles[i];
	}
	e->nr_toggles = j;
	for (i = 0, j = 0; i < e->nr_excs; i++) {
		struct except *x = e->excs[i];
		unsigned int k, m;

		if (x->s != s) {
			e->excs[j++] = x;
			continue;
		}
		for (k = 0; k < e->nr_sigs; k++) {
			struct sig *g = e->sigs[k];

			for (m = 0; m < g->nr_exc && g->exc[m] != x; m++)
				;
			if (m < g->nr_exc)
				g->exc[m] = g->exc[--g->nr_exc];
		}
		except_free(x);
	}
	e->nr_excs = j;
	for (i = 0, j = 0; i < e->nr_timers; i++)
		if (e->timers[i].h->s != s)
			e->timers[j++] = e->timers[i];
	e->nr_timers = j;
	for (h = s->handlers; h; h = next) {
		next = h->next;
		if (e->L)
			luaL_unref(e->L, LUA_REGISTRYINDEX, h->ref);
		free(h);
	}
	if (e->L) {
		luaL_unref(e->L, LUA_REGISTRYINDEX, s->env_ref);
		luaL_unref(e->L, LUA_REGISTRYINDEX, s->loaded_ref);
		luaL_unref(e->L, LUA_REGISTRYINDEX, s->counters_ref);
		luaL_unref(e->L, LUA_REGISTRYINDEX, s->tracee_ref);
	}
	strv_fini(&s->scopes, true);
	strv_fini(&s->filters, true);
	free(s->path);
	free(s->dir);
	free(s->label);
	free(s);
}

static struct script *script_new(struct lua_engine *e, const char *path)
{
	struct script *s = calloc(1, sizeof(*s));
	const char *slash;
	int st;

	if (!s)
		return NULL;
	s->env_ref = s->loaded_ref = s->counters_ref = s->tracee_ref = LUA_NOREF;
	s->builtin = e->loading_builtin;
	s->path = strdup(path);
	slash = strrchr(path, '/');
	s->dir = slash ? strndup(path, slash - path) : strdup(".");
	/* built-ins are shown by file name, user scripts as given */
	s->label = strdup(s->builtin && slash ? slash + 1 : path);
	if (!s->path || !s->dir || !s->label)
		goto fail;
	/* An account of its own, never reused: blocks of a failed script may outlive it. */
	if (e->nr_acct == e->cap_acct) {
		struct mem_acct *n = realloc(e->acct, sizeof(*n) * e->cap_acct * 2);

		if (!n)
			goto fail;
		e->acct = n;
		e->cap_acct *= 2;
	}
	memset(&e->acct[e->nr_acct], 0, sizeof(e->acct[0]));
	s->acct = e->nr_acct++;
	lua_pushcfunction(e->L, script_setup_cf);
	lua_pushlightuserdata(e->L, s);
	e->cur_script = s;		/* its environment is its own memory */
	st = lua_pcall(e->L, 1, 0, 0);
	e->cur_script = NULL;
	if (st != LUA_OK) {
		tr_err("script %s: cannot set up its environment: %s", path,
		       lua_tostring(e->L, -1));
		lua_pop(e->L, 1);
		goto fail;
	}
	return s;
fail:
	script_free(e, s);
	errno = ENOMEM;
	return NULL;
}

/* ------------------------------------------------------------------ */
/* Pattern matching under a cost bound */

/*
 * Lua patterns backtrack inside one C call, where the budgets cannot stop
 * them ("a*a*a*a*b" over 64 KiB runs for days; ("a?"):rep(28) ..
 * ("a"):rep(28) takes 2^28 steps).  string.find, match, gmatch and gsub
 * first bound the steps a match can take over this subject:
 *
 *	starts * product over quantified items of its choices
 *
 * where an item with *, + or - has (longest run of subject bytes it
 * matches + 1) choices and one with ? two; %b scans the subject at each
 * try (n + 1); the last item of a pattern not ending in $ never
 * backtracks (1).  starts is 1 when anchored, else the positions where the
 * literal items the pattern starts with match (n + 1 when it starts with
 * a quantified item).  Runs are measured only when the rough bound (runs
 * = n) is too high.  A pattern over PATTERN_MAX_STEPS (about 8 ms here, at
 * ~4 ns a step) is refused with an error the script can catch.  Paths stay
 * well inside: a component is at most 255 bytes, and "^/home/[^/]+(/.*)$"
 * over a 4096-byte path is 1e6.
 */
#define PATTERN_MAX_STEPS	2e6

static bool class_match(int c, int cl)
{
	bool r;

	switch (tolower(cl)) {
	case 'a': r = isalpha(c); break;
	case 'c': r = iscntrl(c); break;
	case 'd': r = isdigit(c); break;
	case 'g': r = isgraph(c); break;
	case 'l': r = islower(c); break;
	case 'p': r = ispunct(c); break;
	case 's': r = isspace(c); break;
	case 'u': r = isupper(c); break;
	case 'w': r = isalnum(c); break;
	case 'x': r = isxdigit(c); break;
	default: return cl == c;	/* an escaped character */
	}
	return isupper(cl) ? !r : r;
}

/* The end of the set starting at p[i] == '[' (the index of its ']'), or len. */
static size_t set_end(const char *p, size_t i, size_t len)
{
	i++;
	if (i < len && p[i] == '^')
		i++;
	if (i < len)		/* a first ']' is a member */
		i += p[i] == '%' ? 2 : 1;
	while (i < len && p[i] != ']')
		i += p[i] == '%' ? 2 : 1;
	return i < len ? i : len;
}

/* Does byte c match the single-byte item it[0..n): ".", "%d", "[%w_]", "x"? */
static bool item_match(int c, const char *it, size_t n)
{
	bool neg = false, hit = false;
	size_t i, end;

	if (it[0] == '.')
		return true;
	if (it[0] == '%')
		return n > 1 && class_match(c, (unsigned char)it[1]);
	if (it[0] != '[')
		return (unsigned char)it[0] == c;
	end = n - 1;			/* the ']' */
	i = 1;
	if (i < end && it[i] == '^') {
		neg = true;
		i++;
	}
	for (; i < end; i++) {
		if (it[i] == '%' && i + 1 < end) {
			hit |= class_match(c, (unsigned char)it[++i]);
		} else if (i + 2 < end && it[i + 1] == '-') {
			hit |= (unsigned char)it[i] <= c && c <= (unsigned char)it[i + 2];
			i += 2;
		} else {
			hit |= (unsigned char)it[i] == c;
		}
	}
	return hit != neg;
}

/* The longest run of subject bytes the item matches. */
static size_t item_run(const unsigned char *sub, size_t n, const char *it, size_t len)
{
	size_t i, run = 0, best = 0;

	for (i = 0; i < n; i++) {
		run = item_match(sub[i], it, len) ? run + 1 : 0;
		if (run > best)
			best = run;
	}
	return best;
}

/*
 * The bound above for pattern p over subject sub; exact runs when measure,
 * else n for each.  Malformed patterns are lstrlib's to report: 0.
 */
static double pattern_cost(const char *p, size_t plen, const unsigned char *sub, size_t n,
			   bool measure)
{
	double cost = 1, starts = n + 1;
	bool anchored = plen && p[0] == '^', lead = !anchored, lit = false, dollar;
	size_t i = anchored, lit_start = 0, lit_end = 0, s;

	dollar = plen && p[plen - 1] == '$' && (plen < 2 || p[plen - 2] != '%');
	while (i < plen) {
		size_t it = i, itlen, run;
		char q = 0;

		if (p[i] == '(' || p[i] == ')') {
			i++;
			continue;
		}
		if (p[i] == '$' && i == plen - 1)
			break;
		if (p[i] == '%' && i + 1 < plen) {
			if (p[i + 1] == 'b') {		/* %bxy: a scan at each try */
				cost *= n + 1;
				i += 4;
				lead = false;
				continue;
			}
			if (p[i + 1] == 'f') {		/* %f[set]: one test */
				i = i + 2 < plen && p[i + 2] == '[' ? set_end(p, i + 2, plen) + 1 : plen;
				lead = false;
				continue;
			}
			if (isdigit((unsigned char)p[i + 1])) {	/* back-reference: a compare */
				i += 2;
				lead = false;
				continue;
			}
			i += 2;
		} else if (p[i] == '[') {
			i = set_end(p, i, plen) + 1;
		} else {
			i++;
		}
		if (i > plen)
			return 0;
		itlen = i - it;
		if (i < plen && strchr("*+-?", p[i]))
			q = p[i++];
		if (!q) {
			if (lead) {		/* the literal start: counted below */
				if (!lit)
					lit_start = it;
				lit = true;
				lit_end = i;
			}
			continue;
		}
		lead = false;
		if (i == plen && !dollar)
			continue;		/* last, nothing after it to fail: no backtracking */
		run = measure ? item_run(sub, n, p + it, itlen) : n;
		cost *= q == '?' ? (run ? 2 : 1) : (double)run + 1;
	}
	if (anchored) {
		starts = 1;
	} else if (lit && measure) {
		/* tries that get past the literal start; the rest fail at once */
		for (starts = 0, s = 0; s < n; s++) {
			size_t j = lit_start, at = s;

			while (j < lit_end && at < n) {
				size_t e = p[j] == '%' ? j + 2 : p[j] == '[' ? set_end(p, j, plen) + 1 : j + 1;

				if (p[j] == '(' || p[j] == ')') {	/* captures take no byte */
					j++;
					continue;
				}
				if (!item_match(sub[at], p + j, e - j))
					break;
				j = e;
				at++;
			}
			starts += j >= lit_end;
		}
	}
	return starts * cost;
}

static int pattern_guard(lua_State *L)
{
	bool is_find = lua_toboolean(L, lua_upvalueindex(2));
	size_t n, plen;

	if (lua_type(L, 1) == LUA_TSTRING && lua_type(L, 2) == LUA_TSTRING &&
	    !(is_find && lua_toboolean(L, 4))) {
		const char *p = lua_tolstring(L, 2, &plen);
		const unsigned char *sub = (const unsigned char *)lua_tolstring(L, 1, &n);

		if (pattern_cost(p, plen, sub, n, false) > PATTERN_MAX_STEPS) {
			/* measuring reads the subject once per item: charged as a copy would be */
			lua_engine_charge(L, n * (plen + 1) / BYTES_PER_UNIT);
			if (pattern_cost(p, plen, sub, n, true) > PATTERN_MAX_STEPS)
				return luaL_error(L, "pattern '%s' could backtrack for too long over "
						  "these %d bytes (simplify it: anchor it, fewer "
						  "quantifiers, or match a shorter string)",
						  plen > 40 ? "(long)" : p, (int)n);
		}
	}
	lua_pushvalue(L, lua_upvalueindex(1));
	lua_insert(L, 1);
	lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
	return lua_gettop(L);
}

/* Wrap the matching functions of the string table on top of the stack. */
static void pattern_guard_install(lua_State *L)
{
	static const char *const names[] = { "find", "match", "gmatch", "gsub", NULL };
	unsigned int i;

	for (i = 0; names[i]; i++) {
		lua_getfield(L, -1, names[i]);
		lua_pushboolean(L, i == 0);
		lua_pushcclosure(L, pattern_guard, 2);
		lua_setfield(L, -2, names[i]);
	}
}

/* ------------------------------------------------------------------ */
/* Library functions under the budgets */

/*
 * The standard library's loops run in C, where the count hook never fires:
 * string.rep("", 1 << 50) or table.move({}, 1, 1 << 50, 1, {}) ran for
 * hours inside one call.  The functions below do their work in steps and
 * charge it (lua_engine_charge), so the instruction and wall-time budgets
 * hold inside them; the others are linear in memory the script already
 * holds, which its memory budget bounds.
 */

/* string.rep(s, n [, sep]): built by doubling, so the copy is a few memcpy calls. */
static int s_rep(lua_State *L)
{
	size_t l, lsep = 0, unit, total, done;
	const char *str = luaL_checklstring(L, 1, &l);
	lua_Integer n = luaL_checkinteger(L, 2);
	const char *sep = luaL_optlstring(L, 3, "", &lsep);
	luaL_Buffer b;
	char *p;

	if (n <= 0 || l + lsep == 0) {	/* nothing to repeat: no loop either */
		lua_pushliteral(L, "");
		return 1;
	}
	unit = l + lsep;
	if (unit < l || (lua_Unsigned)n > (SIZE_MAX - lsep) / unit ||
	    (total = unit * (size_t)n - lsep) > lev_engine(L)->mem_limit)
		return luaL_error(L, "string.rep: the result would be larger than the script's "
				  "memory budget");
	lua_engine_charge(L, total / BYTES_PER_UNIT);
	p = luaL_buffinitsize(L, &b, total);
	memcpy(p, str, l);
	if (n > 1)
		memcpy(p + l, sep, lsep);
	done = n > 1 ? unit : l;
	while (done < total) {		/* the copy so far, again: whole units */
		size_t k = done <= total - done ? done : total - done;

		memcpy(p + done, p, k);
		done += k;
	}
	luaL_pushresultsize(&b, total);
	return 1;
}

/* Integer argument i, or def when absent; as the library reads positions. */
static lua_Integer opt_int(lua_State *L, int i, lua_Integer def)
{
	return lua_isnoneornil(L, i) ? def : luaL_checkinteger(L, i);
}

/* Elements between f and e, 0 when none. */
static uint64_t span(lua_Integer f, lua_Integer e)
{
	uint64_t d = (lua_Unsigned)e - (lua_Unsigned)f;

	return e < f ? 0 : d == UINT64_MAX ? UINT64_MAX : d + 1;
}

/* The original function (upvalue 1), called with this call's arguments. */
static int call_original(lua_State *L)
{
	lua_pushvalue(L, lua_upvalueindex(1));
	lua_insert(L, 1);
	lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
	return lua_gettop(L);
}

/* table.move(a1, f, e, t [, a2]): one unit per element moved. */
static int s_move(lua_State *L)
{
	lua_Integer f = luaL_checkinteger(L, 2), e = luaL_checkinteger(L, 3);

	luaL_checkinteger(L, 4);
	lua_engine_charge(L, span(f, e));
	return call_original(L);
}

/* table.unpack(t [, i [, j]]): one unit per value. */
static int s_unpack(lua_State *L)
{
	lua_Integer i = opt_int(L, 2, 1), j;

	j = lua_isnoneornil(L, 3) ? luaL_len(L, 1) : luaL_checkinteger(L, 3);
	lua_settop(L, 1);
	lua_pushinteger(L, i);
	lua_pushinteger(L, j);
	lua_engine_charge(L, span(i, j));
	return call_original(L);
}

/* table.concat(t [, sep [, i [, j]]]): one unit per element, #t read once. */
static int s_concat(lua_State *L)
{
	lua_Integer i, j;

	luaL_optstring(L, 2, "");
	i = opt_int(L, 3, 1);
	j = lua_isnoneornil(L, 4) ? luaL_len(L, 1) : luaL_checkinteger(L, 4);
	lua_settop(L, 2);
	lua_pushinteger(L, i);
	lua_pushinteger(L, j);
	lua_engine_charge(L, span(i, j));
	return call_original(L);
}

/* table.insert(t, [pos,] v): the shift is ours, charged per element. */
static int s_insert(lua_State *L)
{
	lua_Integer n, pos, i;

	luaL_checktype(L, 1, LUA_TTABLE);
	n = luaL_len(L, 1);
	switch (lua_gettop(L)) {
	case 2:
		pos = n + 1;
		break;
	case 3:
		pos = luaL_checkinteger(L, 2);
		luaL_argcheck(L, pos >= 1 && pos <= n + 1, 2, "position out of bounds");
		lua_engine_charge(L, span(pos, n));
		for (i = n + 1; i > pos; i--) {
			lua_geti(L, 1, i - 1);
			lua_seti(L, 1, i);
		}
		break;
	default:
		return luaL_error(L, "wrong number of arguments to 'insert'");
	}
	lua_seti(L, 1, pos);
	return 0;
}

/* table.remove(t [, pos]): likewise. */
static int s_remove(lua_State *L)
{
	lua_Integer n, pos;

	luaL_checktype(L, 1, LUA_TTABLE);
	n = luaL_len(L, 1);
	pos = opt_int(L, 2, n);
	if (!lua_isnoneornil(L, 2) && pos != n)
		luaL_argcheck(L, pos >= 1 && pos <= n + 1, 2, "position out of bounds");
	lua_geti(L, 1, pos);
	lua_engine_charge(L, span(pos, n));
	for (; pos < n; pos++) {
		lua_geti(L, 1, pos + 1);
		lua_seti(L, 1, pos);
	}
	lua_pushnil(L);
	lua_seti(L, 1, pos);
	return 1;
}

/* The comparison table.sort makes, charged one unit each: a C comparator is no escape. */
static int sort_cmp(lua_State *L)
{
	lua_engine_charge(L, 1);
	if (lua_isnil(L, lua_upvalueindex(1))) {
		lua_pushboolean(L, lua_compare(L, 1, 2, LUA_OPLT));
		return 1;
	}
	lua_pushvalue(L, lua_upvalueindex(1));
	lua_insert(L, 1);
	lua_settop(L, 3);
	lua_call(L, 2, 1);
	return 1;
}

static int s_sort(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	if (!lua_isnoneornil(L, 2))
		luaL_checktype(L, 2, LUA_TFUNCTION);
	lua_settop(L, 2);
	lua_pushcclosure(L, sort_cmp, 1);
	return call_original(L);
}

/* Replace fields of the library table on top of the stack by budgeted versions. */
static void budget_wrap(lua_State *L, const luaL_Reg *fns, bool wrap_original)
{
	for (; fns->name; fns++) {
		if (wrap_original) {
			lua_getfield(L, -1, fns->name);
			lua_pushcclosure(L, fns->func, 1);
		} else {
			lua_pushcfunction(L, fns->func);
		}
		lua_setfield(L, -2, fns->name);
	}
}

static void budget_wrap_libs(lua_State *L)
{
	static const luaL_Reg str_own[] = { { "rep", s_rep }, { NULL, NULL } };
	static const luaL_Reg tab_own[] = {
		{ "insert", s_insert }, { "remove", s_remove }, { NULL, NULL },
	};
	static const luaL_Reg tab_wrapped[] = {
		{ "move", s_move }, { "unpack", s_unpack }, { "concat", s_concat },
		{ "sort", s_sort }, { NULL, NULL },
	};

	lua_getglobal(L, LUA_STRLIBNAME);
	budget_wrap(L, str_own, false);
	lua_pop(L, 1);
	lua_getglobal(L, LUA_TABLIBNAME);
	budget_wrap(L, tab_own, false);
	budget_wrap(L, tab_wrapped, true);
	lua_pop(L, 1);
}

/* ------------------------------------------------------------------ */
/* Engine life */

static int engine_setup_cf(lua_State *L)
{
	struct lua_engine *e = lev_engine(L);
	static const luaL_Reg libs[] = {
		{ LUA_GNAME, luaopen_base }, { LUA_COLIBNAME, luaopen_coroutine },
		{ LUA_TABLIBNAME, luaopen_table }, { LUA_STRLIBNAME, luaopen_string },
		{ LUA_MATHLIBNAME, luaopen_math }, { LUA_UTF8LIBNAME, luaopen_utf8 },
		{ NULL, NULL },
	};
	unsigned int i;

	/* The main state's globals hold the libraries; scripts only get copies. */
	for (i = 0; libs[i].name; i++) {
		luaL_requiref(L, libs[i].name, libs[i].func, 1);
		lua_pop(L, 1);
	}
	if (e->o.unsafe) {
		luaL_requiref(L, LUA_IOLIBNAME, luaopen_io, 1);
		luaL_requiref(L, LUA_OSLIBNAME, luaopen_os, 1);
		lua_pop(L, 2);
	}
	/* No bytecode anywhere: string.dump goes, from the methods too. */
	lua_getglobal(L, LUA_STRLIBNAME);
	lua_pushnil(L);
	lua_setfield(L, -2, "dump");
	pattern_guard_install(L);	/* methods too: the metatable's __index is this table */
	lua_pop(L, 1);
	budget_wrap_libs(L);
	/* The string metatable is shared by every script: hide it. */
	lua_pushliteral(L, "");
	lua_getmetatable(L, -1);
	lua_pushliteral(L, "string");
	lua_setfield(L, -2, "__metatable");
	lua_pop(L, 2);

	lev_setup(L);

	/* events table: name -> id, shared read-only behind per-script proxies */
	lua_createtable(L, 0, events_nr);
	for (i = 0; i < events_nr; i++) {
		lua_pushinteger(L, events_table[i].id);
		lua_setfield(L, -2, events_table[i].name);
	}
	lua_pushvalue(L, -1);
	e->events_ref = luaL_ref(L, LUA_REGISTRYINDEX);
	lua_createtable(L, 0, 2);
	lua_insert(L, -2);
	lua_setfield(L, -2, "__index");
	lua_pushliteral(L, "EVENTS");
	lua_setfield(L, -2, "__metatable");
	e->events_mt_ref = luaL_ref(L, LUA_REGISTRYINDEX);
	return 0;
}

/*
 * Load and run tracee.lua.  A file that cannot be trusted or parsed is
 * returned as a message (nil, message), not raised: the reason is one line
 * for the user, with no traceback of this C function.
 */
static int stdlib_cf(lua_State *L)
{
	struct lua_engine *e = lev_engine(L);
	const char *path = lua_tostring(L, 1);

	if (load_trusted(L, path, NULL) != LUA_OK) {
		lua_pushnil(L);
		lua_insert(L, -2);
		return 2;
	}
	make_env(L, e, NULL);	/* safe libraries, no tracee API */
	if (!lua_setupvalue(L, -2, 1))
		lua_pop(L, 1);
	lua_call(L, 0, 1);
	if (!lua_istable(L, -1))
		return luaL_error(L, "%s must return a table of helpers", path);
	e->stdlib_ref = luaL_ref(L, LUA_REGISTRYINDEX);
	lua_pushboolean(L, 1);
	return 1;
}

/* tracee.lua: helpers copied into every script's tracee table. */
static int load_stdlib(struct lua_engine *e)
{
	lua_State *L = e->L;
	char path[PATH_MAX + 16];
	int st;

	snprintf(path, sizeof(path), "%s/tracee.lua", e->lib_dir);
	if (access(path, R_OK)) {
		tr_verbose(1, "lua: no %s: scripts get no tracee.* helpers", path);
		return 0;
	}
	lua_pushcfunction(L, msgh);
	lua_pushcfunction(L, stdlib_cf);
	lua_pushstring(L, path);
	budget_start(e, LOAD_FACTOR);
	st = lua_pcall(L, 1, 2, -3);
	budget_stop(e);
	if (st != LUA_OK) {
		tr_err("lua stdlib: %s (reinstall tracee or fix TRACEE_LUA_DIR)",
		       lua_tostring(L, -1));
		lua_pop(L, 2);
		return -EINVAL;
	}
	if (!lua_toboolean(L, -2)) {	/* the file itself: its own one-line reason */
		tr_err("%s", lua_tostring(L, -1));
		lua_pop(L, 3);
		return -EINVAL;
	}
	lua_pop(L, 3);
	return 0;
}

struct lua_engine *lua_engine_new(const struct lua_engine_opts *o)
{
	struct lua_engine *e = calloc(1, sizeof(*e));
	const char *dir;

	if (!e) {
		tr_err("lua: out of memory");
		errno = ENOMEM;
		return NULL;
	}
	if (o)
		e->o = *o;
	if (!e->o.max_instructions)
		e->o.max_instructions = LUA_ENGINE_DEF_INSTRUCTIONS;
	if (!e->o.max_wall_ns)
		e->o.max_wall_ns = LUA_ENGINE_DEF_WALL_NS;
	if (!e->o.max_mem_bytes)
		e->o.max_mem_bytes = LUA_ENGINE_DEF_MEM;
	if (!e->o.max_errors)
		e->o.max_errors = LUA_ENGINE_DEF_ERRORS;
	if (!e->o.error_pause_ns)
		e->o.error_pause_ns = LUA_ENGINE_DEF_PAUSE_NS;
	e->pause_ns = e->o.error_pause_ns;
	e->mem_limit = e->o.max_mem_bytes;
	e->acct = calloc(8, sizeof(*e->acct));
	if (!e->acct) {
		tr_err("lua: out of memory");
		free(e);
		errno = ENOMEM;
		return NULL;
	}
	e->cap_acct = 8;
	e->nr_acct = 1;			/* [0]: the engine itself and tracee.lua */
	dir = e->o.lib_dir;
	if (!dir)
		dir = getenv("TRACEE_LUA_DIR");
	if (!dir || !*dir)
		dir = PKGDATADIR "/lua";
	snprintf(e->lib_dir, sizeof(e->lib_dir), "%s", dir);
	e->o.lib_dir = e->lib_dir;
	e->scripts_tail = &e->scripts;
	e->stdlib_ref = e->events_ref = e->events_mt_ref = LUA_NOREF;

	e->L = lua_newstate(engine_alloc, e);
	if (!e->L) {
		tr_err("lua: cannot create a Lua state (memory budget %zu bytes too small?)",
		       e->mem_limit);
		free(e->acct);
		free(e);
		errno = ENOMEM;
		return NULL;
	}
	*(struct lua_engine **)lua_getextraspace(e->L) = e;
	lua_pushcfunction(e->L, engine_setup_cf);
	if (lua_pcall(e->L, 0, 0, 0) != LUA_OK) {
		tr_err("lua: setting up the engine failed: %s", lua_tostring(e->L, -1));
		goto fail;
	}
	/* Every thread created from now on inherits the hook. */
	lua_sethook(e->L, budget_hook, LUA_MASKCOUNT, HOOK_STEP);
	if (load_stdlib(e))
		goto fail;
	return e;
fail:
	lua_engine_free(e);
	errno = EINVAL;
	return NULL;
}

void lua_engine_free(struct lua_engine *e)
{
	struct script *s, *next;
	unsigned int i;

	if (!e)
		return;
	for (s = e->scripts; s; s = next) {
		next = s->next;
		script_free(e, s);
	}
	for (i = 0; i < e->nr_sigs; i++)
		sig_free(e->sigs[i]);
	if (e->L)
		lua_close(e->L);
	free(e->acct);			/* after lua_close: its frees still account */
	for (i = 0; i < TR_MAX_EVENT; i++)
		free(e->by_id[i].v);
	free(e->any.v);
	for (i = 0; i < e->nr_pending; i++) {
		free(e->pending[i].name);
		free(e->pending[i].l.v);
	}
	free(e->pending);
	free(e->sigs);
	free(e->timers);
	for (i = 0; i < e->nr_toggles; i++)
		free(e->toggles[i].sel);
	free(e->toggles);
	for (i = 0; i < e->nr_excs; i++)
		except_free(e->excs[i]);
	free(e->excs);
	strv_fini(&e->flat_scopes, false);
	strv_fini(&e->flat_filters, false);
	lbuf_free(&e->scratch);
	lbuf_free(&e->json);
	free(e);
}

/* ------------------------------------------------------------------ */
/* Loading scripts */

/*
 * Lua shortens a long chunk name to "...<tail>" (LUA_IDSIZE): put the
 * whole path back in front of a message that starts that way, so errors
 * always name the file a user can open.
 */
static const char *full_path_msg(const char *msg, const char *path, char *out, size_t outlen)
{
	const char *colon;
	size_t tail, plen = strlen(path);

	if (!msg || strncmp(msg, "...", 3))
		return msg;
	for (colon = msg + 3; (colon = strchr(colon, ':')); colon++)
		if (colon[1] >= '0' && colon[1] <= '9')
			break;
	if (!colon)
		return msg;
	tail = colon - (msg + 3);
	if (tail > plen || strncmp(path + plen - tail, msg + 3, tail))
		return msg;
	snprintf(out, outlen, "%s%s", path, colon);
	return out;
}

static int load_common(struct lua_engine *e, const char *path, const char *src)
{
	char full[sizeof(e->last_error)];
	lua_State *L = e->L;
	struct script *s;
	char chunk[PATH_MAX + 1];
	int st, why = 0, base = lua_gettop(L);

	s = script_new(e, path);
	if (!s)
		return -ENOMEM;
	if (src) {
		snprintf(chunk, sizeof(chunk), "@%s", path);
		st = luaL_loadbufferx(L, src, strlen(src), chunk, "t");
	} else {
		st = load_trusted(L, path, &why);
	}
	if (st != LUA_OK) {
		int err = st == LUA_ERRFILE ? why : -EINVAL;
		const char *msg = full_path_msg(lua_tostring(L, -1), path, full, sizeof(full));

		tr_err("%s", msg);
		snprintf(e->last_error, sizeof(e->last_error), "%s", msg);
		lua_settop(L, base);
		script_free(e, s);
		return err;
	}
	lua_rawgeti(L, LUA_REGISTRYINDEX, s->env_ref);
	if (!lua_setupvalue(L, -2, 1))
		lua_pop(L, 1);

	/* The main chunk runs under a larger budget; its errors are fatal. */
	lua_pushcfunction(L, msgh);
	lua_insert(L, -2);
	e->cur_script = s;
	e->loading = true;
	budget_start(e, LOAD_FACTOR);
	st = lua_pcall(L, 0, 0, -2);
	budget_stop(e);
	e->loading = false;
	e->cur_script = NULL;
	if (st != LUA_OK) {
		const char *msg = st == LUA_ERRMEM ? "not enough memory (memory budget exceeded)" :
			full_path_msg(lua_tostring(L, -1), s->path, full, sizeof(full));

		snprintf(e->last_error, sizeof(e->last_error), "%s", msg ? msg : "error");
		if (msg && strncmp(msg, s->path, strlen(s->path)) && st == LUA_ERRMEM)
			tr_err("%s: %s", s->path, msg);
		else
			log_lines("  ", e->last_error);
		lua_settop(L, base);
		script_free(e, s);
		return -EINVAL;
	}
	lua_settop(L, base);
	*e->scripts_tail = s;
	e->scripts_tail = &s->next;
	e->st.scripts++;
	return 0;
}

int lua_engine_load_file(struct lua_engine *e, const char *path)
{
	return load_common(e, path, NULL);
}

int lua_engine_load_string(struct lua_engine *e, const char *name, const char *src)
{
	return load_common(e, name, src);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int load_dir(struct lua_engine *e, const char *dir, bool quiet_missing)
{
	struct strv names = { 0 };
	struct dirent *d;
	char path[PATH_MAX];
	unsigned int i;
	DIR *dp;
	int err = 0;

	dp = opendir(dir);
	if (!dp) {
		err = -errno;
		if (!quiet_missing || err != -ENOENT)
			tr_err("scripts directory %s: %s", dir, strerror(-err));
		return err;
	}
	while ((d = readdir(dp))) {
		size_t n = strlen(d->d_name);

		if (n > 4 && !strcmp(d->d_name + n - 4, ".lua") && d->d_name[0] != '.' &&
		    strv_add(&names, d->d_name)) {
			err = -ENOMEM;
			break;
		}
	}
	closedir(dp);
	if (!err && names.nr)
		qsort(names.v, names.nr, sizeof(*names.v), cmp_str);
	for (i = 0; !err && i < names.nr; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names.v[i]);
		err = lua_engine_load_file(e, path);
	}
	strv_fini(&names, true);
	return err;
}

int lua_engine_load_dir(struct lua_engine *e, const char *dir)
{
	return load_dir(e, dir, false);
}

int lua_engine_load_builtin(struct lua_engine *e)
{
	char dir[PATH_MAX + 16];
	int err;

	snprintf(dir, sizeof(dir), "%s/signatures", e->lib_dir);
	if (access(dir, R_OK | X_OK)) {
		tr_err("built-in signatures not found in %s: %s (reinstall tracee, or point "
		       "TRACEE_LUA_DIR at its lua/ directory)", dir, strerror(errno));
		return -ENOENT;
	}
	e->loading_builtin = true;
	err = load_dir(e, dir, false);
	e->loading_builtin = false;
	return err;
}

/* ------------------------------------------------------------------ */
/* Declarations */

void lua_engine_selection(const struct lua_engine *e, struct tr_selection *sel)
{
	const struct script *s;
	unsigned int i;
	int id;

	for (id = 0; id < TR_MAX_EVENT; id++)
		if (e->by_id[id].nr)
			selection_set(sel, id, true);
	for (s = e->scripts; s; s = s->next)
		for (i = 0; i < TR_MAX_EVENT / 64; i++)
			sel->bits[i] |= s->events_sel.bits[i];
}

void lua_engine_output_selection(const struct lua_engine *e, struct tr_selection *sel)
{
	const struct script *s;
	unsigned int i;
	int id;

	for (id = 0; id < TR_MAX_EVENT; id++)
		for (i = 0; i < e->by_id[id].nr; i++)
			if (e->by_id[id].v[i]->kind == H_ON) {
				selection_set(sel, id, true);
				break;
			}
	for (s = e->scripts; s; s = s->next)
		for (i = 0; i < TR_MAX_EVENT / 64; i++)
			sel->bits[i] |= s->events_sel.bits[i];
}

static unsigned int flatten(const struct lua_engine *e, struct strv *out, bool scopes,
			    const char *const **list)
{
	const struct script *s;
	unsigned int i;

	out->nr = 0;
	for (s = e->scripts; s; s = s->next) {
		const struct strv *v = scopes ? &s->scopes : &s->filters;

		for (i = 0; i < v->nr; i++) {
			if (out->nr == out->cap) {
				unsigned int cap = out->cap ? out->cap * 2 : 8;
				char **n = realloc(out->v, sizeof(*n) * (cap + 1));

				if (!n)
					break;
				out->v = n;
				out->cap = cap;
			}
			out->v[out->nr++] = v->v[i];
		}
	}
	if (out->v)
		out->v[out->nr] = NULL;
	*list = (const char *const *)out->v;
	return out->nr;
}

int lua_engine_event_paths(const struct lua_engine *e, int id,
			   void (*add)(void *ctx, const char *glob), void *ctx)
{
	const struct hlist *l;
	unsigned int i, j;
	int n = 0;

	if (id < 0 || id >= TR_MAX_EVENT)
		return -1;
	l = &e->by_id[id];
	if (e->any.nr)
		return -1;	/* tracee.on("*") */
	for (i = 0; i < l->nr; i++)
		if (l->v[i]->kind != H_SIG_EVENT || !l->v[i]->sig->nr_paths)
			return -1;
	for (i = 0; i < l->nr; i++)
		for (j = 0; j < l->v[i]->sig->nr_paths; j++, n++)
			add(ctx, l->v[i]->sig->paths[j]);
	return n;
}

unsigned int lua_engine_scopes(const struct lua_engine *e, const char *const **list)
{
	return flatten(e, (struct strv *)&e->flat_scopes, true, list);
}

unsigned int lua_engine_event_filters(const struct lua_engine *e, const char *const **list)
{
	return flatten(e, (struct strv *)&e->flat_filters, false, list);
}

/* ------------------------------------------------------------------ */
/* The hot path */

/*
 * Where an event comes from, for a signature's origin: the host, a started
 * container, or a container the runtime is still setting up ("container-init":
 * runc:[2:INIT] and the like), which neither kind of signature sees.
 */
enum ev_origin { EV_HOST, EV_CONTAINER, EV_CONTAINER_INIT };

static int run_list(struct lua_engine *e, const struct hlist *l, enum ev_origin where)
{
	lua_State *L = e->L;
	unsigned int i;
	int keep = 1, st;

	for (i = 0; i < l->nr; i++) {
		struct handler *h = l->v[i];

		if (h->paused_until_ns && handler_paused(e, h))
			continue;
		if (h->sig && ((h->sig->origin == ORIGIN_CONTAINER && where != EV_CONTAINER) ||
			       (h->sig->origin == ORIGIN_HOST && where != EV_HOST)))
			continue;
		lua_pushcfunction(L, msgh);
		lua_rawgeti(L, LUA_REGISTRYINDEX, h->ref);
		lev_push(L, e->seq, LEV_EVENT);
		e->cur_script = h->s;
		e->cur_sig = h->sig;
		h->calls++;
		budget_start(e, 1);
		st = lua_pcall(L, 1, 1, -3);
		budget_stop(e);
		if (st != LUA_OK) {
			report_error(e, h, st);
			lua_pop(L, 2);
			continue;
		}
		h->strikes = h->pauses = 0;
		if (h->kind == H_ON && lua_type(L, -1) == LUA_TBOOLEAN && !lua_toboolean(L, -1))
			keep = 0;
		lua_pop(L, 2);
	}
	return keep;
}

int lua_engine_event(struct lua_engine *e, const struct tr_event *ev)
{
	int id = ev->def ? ev->def->id : (int)ev->hdr->event_id;
	const struct hlist *l = (id >= 0 && id < TR_MAX_EVENT) ? &e->by_id[id] : NULL;
	enum ev_origin where = !ev->container_id || !ev->container_id[0] ? EV_HOST :
			       ev->container_started ? EV_CONTAINER : EV_CONTAINER_INIT;
	int keep = 1;
	unsigned int i;

	if ((!l || !l->nr) && e->nr_pending && ev->def && ev->def->name) {
		for (i = 0; i < e->nr_pending; i++)
			if (!strcmp(e->pending[i].name, ev->def->name)) {
				l = &e->pending[i].l;
				break;
			}
	}

	if ((!l || !l->nr) && !e->any.nr)
		return 1;
	e->st.events++;
	e->seq++;
	e->cur_ev = ev;
	if (l && l->nr)
		keep &= run_list(e, l, where);
	if (e->any.nr)
		keep &= run_list(e, &e->any, where);
	e->cur_ev = NULL;
	e->cur_script = NULL;
	e->cur_sig = NULL;
	e->seq++;	/* values kept from this event are now stale */
	if (!keep)
		e->st.dropped++;
	return keep;
}

void lua_engine_tick(struct lua_engine *e, uint64_t now_ns)
{
	unsigned int i;

	for (i = 0; i < e->nr_timers; i++) {
		struct timer *t = &e->timers[i];

		if (now_ns < t->next_ns || (t->h->paused_until_ns && handler_paused(e, t->h)))
			continue;
		t->next_ns += t->period_ns;
		if (t->next_ns <= now_ns)	/* we were late: no catch-up burst */
			t->next_ns = now_ns + t->period_ns;
		call_handler(e, t->h, 0, 0);
	}
}

struct counter {
	const char *name;
	lua_Integer v;
};

static int cmp_counter(const void *a, const void *b)
{
	return strcmp(((const struct counter *)a)->name, ((const struct counter *)b)->name);
}

static void print_counters(struct lua_engine *e, struct script *s, FILE *out)
{
	lua_State *L = e->L;
	struct counter *c = NULL;
	unsigned int n = 0, cap = 0, i;

	lua_rawgeti(L, LUA_REGISTRYINDEX, s->counters_ref);
	lua_pushnil(L);
	while (lua_next(L, -2)) {
		if (n == cap) {
			struct counter *nc = realloc(c, sizeof(*c) * (cap = cap ? cap * 2 : 16));

			if (!nc) {
				lua_pop(L, 2);
				break;
			}
			c = nc;
		}
		c[n].name = lua_tostring(L, -2);	/* anchored by the table */
		c[n].v = lua_tointeger(L, -1);
		n++;
		lua_pop(L, 1);
	}
	if (n) {
		qsort(c, n, sizeof(*c), cmp_counter);
		fprintf(out, "lua: %s: counters:", s->label);
		for (i = 0; i < n; i++)
			fprintf(out, "%s %s=%lld", i ? "," : "", c[i].name, (long long)c[i].v);
		fprintf(out, "\n");
	}
	lua_pop(L, 1);
	free(c);
}

void lua_engine_finish(struct lua_engine *e, FILE *summary)
{
	lua_State *L = e->L;
	struct script *s;
	struct handler *h;
	unsigned int i, n;
	struct handler **exits;

	for (i = 0; i < e->nr_sigs; i++) {
		struct handler *hs = e->sigs[i]->on_signal;

		if (hs && e->sigs[i]->enabled) {	/* the last word: even after a pause */
			lua_pushliteral(L, "complete");
			call_handler(e, hs, 1, 0);
		}
	}
	/* on_exit callbacks, in registration order (script lists are LIFO) */
	for (s = e->scripts; s; s = s->next) {
		for (n = 0, h = s->handlers; h; h = h->next)
			n += h->kind == H_EXIT;
		if (!n)
			continue;
		exits = calloc(n, sizeof(*exits));
		if (!exits)
			break;
		for (i = n, h = s->handlers; h; h = h->next)
			if (h->kind == H_EXIT)
				exits[--i] = h;
		for (i = 0; i < n; i++)
			call_handler(e, exits[i], 0, 0);
		free(exits);
	}
	if (!summary)
		return;
	for (i = 0, n = 0; i < e->nr_sigs; i++)
		n += e->sigs[i]->enabled;
	fprintf(summary, "lua: scripts %u, signatures %u (%u on), events %llu, dropped %llu, "
		"findings %llu, suppressed by exceptions %llu, errors %llu, callback pauses %u\n",
		e->st.scripts, e->nr_sigs, n, (unsigned long long)e->st.events,
		(unsigned long long)e->st.dropped, (unsigned long long)e->st.findings,
		(unsigned long long)e->st.suppressed, (unsigned long long)e->st.errors,
		e->st.disabled);
	for (i = 0; i < e->nr_sigs; i++) {
		const struct sig *g = e->sigs[i];

		if (g->suppressed)
			fprintf(summary, "lua: signature %s (%s): %llu findings, %llu suppressed by "
				"exceptions\n", g->id, g->name, (unsigned long long)g->findings,
				(unsigned long long)g->suppressed);
		else if (g->findings)
			fprintf(summary, "lua: signature %s (%s): %llu findings\n", g->id, g->name,
				(unsigned long long)g->findings);
	}
	for (s = e->scripts; s; s = s->next)
		print_counters(e, s, summary);
}

void lua_engine_get_stats(const struct lua_engine *e, struct lua_engine_stats *st)
{
	const struct script *s;
	const struct handler *h;

	*st = e->st;
	st->signatures = e->nr_sigs;
	st->callbacks = 0;
	for (s = e->scripts; s; s = s->next)
		for (h = s->handlers; h; h = h->next)
			st->callbacks++;
}

const char *lua_engine_last_error(const struct lua_engine *e)
{
	return e->last_error;
}

/* ------------------------------------------------------------------ */
/* Signatures listing */

static const char *sig_why(const struct sig *g)
{
	if (g->why)
		return g->why->label;
	if (g->why_cli)
		return "--signatures";
	return g->default_on ? "default" : "opt-in";
}

int lua_engine_signature(const struct lua_engine *e, unsigned int i, struct lua_engine_sig *out)
{
	const struct sig *g;

	if (i >= e->nr_sigs)
		return -ENOENT;
	g = e->sigs[i];
	out->id = g->id;
	out->name = g->name;
	out->title = g->title;
	out->version = g->version;
	out->description = g->description;
	out->origin = g->origin == ORIGIN_CONTAINER ? "container" :
		      g->origin == ORIGIN_HOST ? "host" : "any";
	out->file = g->s->path;
	out->category = g->category;
	out->technique = g->technique;
	out->external_id = g->external_id;
	out->severity = g->severity;
	out->events = (const char *const *)g->events;
	out->nr_events = g->nr_events;
	out->requires = (const char *const *)g->requires;
	out->nr_requires = g->nr_requires;
	out->tags = (const char *const *)g->tags;
	out->enabled = g->enabled;
	out->why = sig_why(g);
	out->findings = g->findings;
	out->suppressed = g->suppressed;
	return 0;
}

static bool avail_default(void *ctx, const char *name)
{
	return events_by_name(name) != NULL;
}

/* TRC-101 < TRC-109 < TRC-1010: by prefix, then number, as Tracee lists them. */
static int cmp_sig_id(const void *a, const void *b)
{
	const struct sig *x = *(const struct sig *const *)a, *y = *(const struct sig *const *)b;
	size_t px = strcspn(x->id, "0123456789"), py = strcspn(y->id, "0123456789");
	int c = strncmp(x->id, y->id, px < py ? px : py);

	if (c || px != py)
		return c ? c : (int)px - (int)py;
	if (strlen(x->id + px) != strlen(y->id + py))
		return (int)strlen(x->id + px) - (int)strlen(y->id + py);
	return strcmp(x->id + px, y->id + py);
}

/* The shared named lists of tracee.lua, each as "name: a, b, c" (items sorted). */
static int print_lists_cf(lua_State *L)
{
	FILE *out = lua_touserdata(L, 1);
	lua_Integer i, n;

	lua_rawgeti(L, LUA_REGISTRYINDEX, lev_engine(L)->stdlib_ref);
	if (lua_getfield(L, -1, "list_names") != LUA_TFUNCTION) {
		fprintf(out, "lists: none (this tracee.lua has no named lists)\n");
		return 0;
	}
	lua_call(L, 0, 1);		/* 3: the names */
	n = luaL_len(L, 3);
	fprintf(out, "lists:%s\n", n ? "" : " none");
	lua_getglobal(L, LUA_TABLIBNAME);
	lua_getfield(L, -1, "sort");	/* 5 */
	for (i = 1; i <= n; i++) {
		lua_Integer j = 1, k;

		lua_getfield(L, 2, "list");
		lua_rawgeti(L, 3, i);
		lua_call(L, 1, 1);		/* 6: the set, item -> true */
		lua_newtable(L);		/* 7: its items, sorted */
		lua_pushnil(L);
		while (lua_next(L, 6)) {
			lua_pop(L, 1);
			if (lua_type(L, -1) == LUA_TSTRING) {
				lua_pushvalue(L, -1);
				lua_rawseti(L, 7, j++);
			}
		}
		lua_pushvalue(L, 5);
		lua_pushvalue(L, 7);
		lua_call(L, 1, 0);
		lua_rawgeti(L, 3, i);
		fprintf(out, "  %s:", lua_tostring(L, -1));
		lua_pop(L, 1);
		for (k = 1; k < j; k++) {
			lua_rawgeti(L, 7, k);
			fprintf(out, "%s %s", k > 1 ? "," : "", lua_tostring(L, -1));
			lua_pop(L, 1);
		}
		fprintf(out, "%s\n", j > 1 ? "" : " (empty)");
		lua_settop(L, 5);
	}
	return 0;
}

static void print_exceptions(const struct lua_engine *e, FILE *out)
{
	unsigned int i, f, k;

	fprintf(out, "exceptions:%s\n", e->nr_excs ? "" : " none");
	for (i = 0; i < e->nr_excs; i++) {
		const struct except *x = e->excs[i];

		fprintf(out, "  %s (%s):", x->sel, x->s->label);
		for (f = 0; f < EXC_NR; f++) {
			if (!x->f[f].nr)
				continue;
			fprintf(out, " %s=", exc_field_names[f]);
			for (k = 0; k < x->f[f].nr; k++)
				fprintf(out, "%s%s", k ? "|" : "", x->f[f].v[k]);
		}
		fprintf(out, "\n");
	}
}

void lua_engine_list_signatures(const struct lua_engine *e, FILE *out, lua_engine_avail_fn avail,
				void *ctx)
{
	struct obuf ev = { 0 }, miss = { 0 }, tags = { 0 };
	unsigned int i, j, nr_ok;
	struct sig **v;

	if (!avail)
		avail = avail_default;
	v = calloc(e->nr_sigs ? e->nr_sigs : 1, sizeof(*v));
	if (!v) {
		tr_err("listing signatures: out of memory");
		return;
	}
	memcpy(v, e->sigs, sizeof(*v) * e->nr_sigs);
	qsort(v, e->nr_sigs, sizeof(*v), cmp_sig_id);
	/* One word per column, so scripts can cut them (awk '{ print $4 }'). */
	fprintf(out, "%-9s %-26s %-3s %-5s %-12s %-9s %-20s %-9s %-20s %-9s %s\n", "ID", "NAME",
		"SEV", "STATE", "BY", "ORIGIN", "TACTIC", "TECHNIQUE", "TAGS", "AVAILABLE",
		"EVENTS");
	for (i = 0; i < e->nr_sigs; i++) {
		const struct sig *g = v[i];

		lbuf_reset(&ev);
		lbuf_reset(&miss);
		lbuf_reset(&tags);
		for (j = 0, nr_ok = 0; j < g->nr_events; j++) {
			lbuf_printf(&ev, "%s%s", j ? "," : "", g->events[j]);
			if (avail(ctx, g->events[j]))
				nr_ok++;
			else
				lbuf_printf(&miss, "%s%s", miss.len ? "," : "", g->events[j]);
		}
		for (j = 0; g->tags[j]; j++)
			lbuf_printf(&tags, "%s%s", j ? "," : "", g->tags[j]);
		fprintf(out, "%-9s %-26s %-3d %-5s %-12s %-9s %-20s %-9s %-20s %-9s %s", g->id,
			g->name, g->severity, g->enabled ? "on" : "off", sig_why(g),
			g->origin == ORIGIN_CONTAINER ? "container" :
			g->origin == ORIGIN_HOST ? "host" : "any",
			g->category[0] ? g->category : "-",
			g->external_id[0] ? g->external_id : "-", tags.p ? tags.p : "-",
			nr_ok == g->nr_events ? "yes" : nr_ok ? "partial" : "no", ev.p ? ev.p : "");
		if (nr_ok != g->nr_events) {
			fprintf(out, " (unavailable: %s", miss.p);
			for (j = 0; j < g->nr_requires; j++)
				fprintf(out, "%s%s", j ? "," : "; needs ", g->requires[j]);
			fprintf(out, ")");
		}
		fprintf(out, "\n");
	}
	free(v);
	lbuf_free(&ev);
	lbuf_free(&miss);
	lbuf_free(&tags);
	if (e->stdlib_ref != LUA_NOREF) {
		lua_pushcfunction(e->L, print_lists_cf);
		lua_pushlightuserdata(e->L, out);
		if (lua_pcall(e->L, 1, 0, 0) != LUA_OK) {
			tr_err("listing the named lists: %s", lua_tostring(e->L, -1));
			lua_pop(e->L, 1);
		}
	}
	print_exceptions(e, out);
}
