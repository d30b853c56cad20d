// SPDX-License-Identifier: GPL-2.0
/*
 * sandbox.c - what a script may do and how much: the memory cap per
 * script (the allocator), the instruction and wall-clock budgets (a count
 * hook), the standard library's looping C functions redone in charged
 * steps, and the guarded globals (load, require, setmetatable,
 * collectgarbage) of a script's environment.
 *
 * Budgets: a count hook fires every HOOK_STEP VM instructions and checks
 * the instruction count and the wall clock of the running callback (the
 * clock starts at the first check, so the many callbacks shorter than
 * HOOK_STEP instructions never read it); once a
 * budget is blown the hook fires on every instruction and raises again, so
 * a script cannot swallow the error with pcall and keep going.  C library
 * functions that loop (string.rep, table.move/insert/remove/concat/sort,
 * load, the JSON writer) charge their work to the same budget through
 * lua_engine_charge(), so a single C call cannot run past it either.  Memory
 * is capped per script by the allocator: each block carries the account
 * of the script whose code allocated it.  Errors are raised from the hook
 * or the charging function, never from a signal handler.
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

#include "fsafe.h"
#include "log.h"
#include "lua_priv.h"

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

void *sandbox_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
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

void sandbox_budget_hook(lua_State *L, lua_Debug *ar)
{
	struct lua_engine *e = lev_engine(L);
	int count = lua_gethookcount(L);

	if (!e->budget_on)
		return;
	if (!e->budget_hit) {
		e->instr_used += count;
		if (!budget_over(e)) {
			if (count != HOOK_STEP)
				lua_sethook(L, sandbox_budget_hook, LUA_MASKCOUNT, HOOK_STEP);
			return;
		}
	}
	/* From now on every instruction raises: pcall in the script cannot hold it. */
	lua_sethook(L, sandbox_budget_hook, LUA_MASKCOUNT, 1);
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
	lua_sethook(L, sandbox_budget_hook, LUA_MASKCOUNT, 1);
	luaL_error(L, "%s", e->budget_msg);
}

void sandbox_budget_start(struct lua_engine *e, uint64_t factor)
{
	e->instr_used = 0;
	e->instr_limit = e->o.max_instructions * factor;
	e->wall_limit_ns = e->o.max_wall_ns * factor;
	e->deadline_ns = 0;	/* set by the hook's first check */
	e->budget_hit = false;
	e->budget_on = true;
	lua_sethook(e->L, sandbox_budget_hook, LUA_MASKCOUNT, HOOK_STEP);
}

void sandbox_budget_stop(struct lua_engine *e)
{
	e->budget_on = false;
}

/* ------------------------------------------------------------------ */
/* The guarded globals and the environment of a script */

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
int sandbox_load_trusted(lua_State *L, const char *path, int *why)
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
		if (sandbox_load_trusted(L, path, NULL) != LUA_OK)
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

/*
 * Build the environment of script s (NULL: the stdlib's) and leave it on the
 * stack.  Runs inside lua_pcall: allocation failures raise.
 */
void sandbox_make_env(lua_State *L, struct lua_engine *e, struct script *s)
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
	for (i = 0; api_fns[i].name; i++) {
		lua_pushlightuserdata(L, s);
		lua_pushcclosure(L, api_fns[i].func, 1);
		lua_setfield(L, -2, api_fns[i].name);
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
	lua_pushcclosure(L, api_log, 1);
	lua_setfield(L, env, "print");

	lua_newtable(L);
	s->loaded_ref = luaL_ref(L, LUA_REGISTRYINDEX);
	lua_newtable(L);
	s->counters_ref = luaL_ref(L, LUA_REGISTRYINDEX);
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

void sandbox_wrap_libs(lua_State *L)
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
