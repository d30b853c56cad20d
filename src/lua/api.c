// SPDX-License-Identifier: GPL-2.0
/*
 * api.c - the tracee.* functions a script calls to declare what it wants
 * (on, events, scope, signature, every, on_exit) and to act (log, count,
 * json, process).  tracee.finding is lua_engine.c's; enable, disable and
 * except are the registry's.
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

#include "log.h"
#include "lua_priv.h"
#include "procfs.h"
#include "proctree.h"

static struct handler *api_handler_new(lua_State *L, struct script *s, int fn_idx,
				       enum handler_kind kind, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static struct handler *api_handler_new(lua_State *L, struct script *s, int fn_idx,
				       enum handler_kind kind, const char *fmt, ...)
{
	struct handler *h;
	lua_Debug ar;
	va_list ap;
	size_t n;
	int ref;

	/* luaL_ref may raise (out of memory): before anything is ours to free. */
	lua_pushvalue(L, fn_idx);
	ref = luaL_ref(L, LUA_REGISTRYINDEX);
	h = calloc(1, sizeof(*h));
	if (!h) {
		luaL_unref(L, LUA_REGISTRYINDEX, ref);
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
	h->ref = ref;
	h->next = s->handlers;
	s->handlers = h;
	return h;
}

struct script *script_of(lua_State *L)
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
void api_check_loading(lua_State *L, const char *fname)
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
void api_each_string(lua_State *L, int idx, const char *fname,
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

	api_check_loading(L, "tracee.on");
	luaL_checktype(L, 2, LUA_TFUNCTION);
	api_each_string(L, 1, "tracee.on", on_one, &c);
	label = lua_type(L, 1) == LUA_TSTRING ? lua_tostring(L, 1) : "{...}";
	h = api_handler_new(L, s, 2, H_ON, "tracee.on(\"%s\") callback", label);
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
	api_check_loading(L, "tracee.events");
	api_each_string(L, 1, "tracee.events", events_one, script_of(L));
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

	api_check_loading(L, "tracee.scope");
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
const char *opt_field(lua_State *L, int idx, const char *k, const char *def)
{
	int t = lua_getfield(L, idx, k);

	if (t == LUA_TNIL)
		return def;
	if (t != LUA_TSTRING && t != LUA_TNUMBER)
		luaL_error(L, "field '%s' must be a string, not a %s", k, luaL_typename(L, -1));
	return lua_tostring(L, -1);
}

int opt_severity(lua_State *L, int idx, int def)
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

static int t_signature(lua_State *L)
{
	struct lua_engine *e = lev_engine(L);
	struct script *s = script_of(L);
	struct sig *g, **box;
	const char *origin;
	unsigned int i;

	api_check_loading(L, "tracee.signature");
	luaL_checktype(L, 1, LUA_TTABLE);
	if (lua_getfield(L, 1, "on_event") != LUA_TFUNCTION)
		return luaL_error(L, "tracee.signature: 'on_event' must be a function");
	lua_pop(L, 1);
	box = lua_newuserdatauv(L, sizeof(*box), 0);
	*box = NULL;
	if (luaL_newmetatable(L, "tracee.sig_box")) {
		lua_pushcfunction(L, registry_sig_box_gc);
		lua_setfield(L, -2, "__gc");
	}
	lua_setmetatable(L, -2);
	g = calloc(1, sizeof(*g));
	if (!g)
		return luaL_error(L, "out of memory");
	*box = g;
	g->s = s;
	g->id = registry_dup_field(L, 1, "id", NULL, true);
	g->name = registry_dup_field(L, 1, "name", NULL, true);
	g->title = registry_dup_field(L, 1, "title", g->name, false);
	g->version = registry_dup_field(L, 1, "version", "1", false);
	g->description = registry_dup_field(L, 1, "description", "", false);
	g->severity = opt_severity(L, 1, 0);
	g->category = registry_dup_field(L, 1, "category", "", false);
	g->technique = registry_dup_field(L, 1, "technique", "", false);
	g->external_id = registry_dup_field(L, 1, "external_id", "", false);
	if (lua_getfield(L, 1, "mitre") == LUA_TTABLE) {
		int m = lua_gettop(L);

		/* NULL first: a bad mitre field raises, and the box's __gc frees g */
		free(g->external_id);
		free(g->technique);
		free(g->category);
		g->external_id = g->technique = g->category = NULL;
		g->external_id = registry_dup_field(L, m, "id", "", false);
		g->technique = registry_dup_field(L, m, "technique", "", false);
		g->category = registry_dup_field(L, m, "category", "", false);
	}
	lua_pop(L, 1);
	if (lua_getfield(L, 1, "tags") == LUA_TTABLE) {
		for (i = 0; i < MAX_TAGS; i++) {
			if (lua_rawgeti(L, -1, i + 1) != LUA_TSTRING) {
				lua_pop(L, 1);
				break;
			}
			/* A NULL here would end the tag list early, silently. */
			g->tags[i] = strdup(lua_tostring(L, -1));
			if (!g->tags[i])
				return luaL_error(L, "out of memory");
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
	g->events = registry_dup_list(L, 1, "events", &g->nr_events, true);
	g->requires = registry_dup_list(L, 1, "requires", &g->nr_requires, false);
	g->paths = registry_dup_list(L, 1, "paths", &g->nr_paths, false);
	if (sigpaths_compile(g))
		return luaL_error(L, "out of memory");
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
	*box = NULL;	/* the engine's now (lua_engine_script_free frees it with its script) */

	lua_getfield(L, 1, "on_event");
	g->on_event = api_handler_new(L, s, lua_gettop(L), H_SIG_EVENT,
				      "signature %s (%s) on_event", g->id, g->name);
	g->on_event->sig = g;
	lua_pop(L, 1);
	if (lua_getfield(L, 1, "on_signal") == LUA_TFUNCTION) {
		g->on_signal = api_handler_new(L, s, lua_gettop(L), H_SIG_SIGNAL,
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
	if (g->enabled && registry_sig_attach(e, g))
		return luaL_error(L, "out of memory");
	lua_pushvalue(L, 1);
	return 1;
}

static int t_every(lua_State *L)
{
	struct lua_engine *e = lev_engine(L);
	lua_Number sec = luaL_checknumber(L, 1);
	struct timer *t;

	api_check_loading(L, "tracee.every");
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
	t->h = api_handler_new(L, script_of(L), 2, H_TIMER, "tracee.every(%g) timer", sec);
	t->period_ns = (uint64_t)(sec * 1e9);
	t->next_ns = mono_ns() + t->period_ns;
	e->nr_timers++;
	return 0;
}

static int t_on_exit(lua_State *L)
{
	api_check_loading(L, "tracee.on_exit");
	luaL_checktype(L, 1, LUA_TFUNCTION);
	api_handler_new(L, script_of(L), 1, H_EXIT, "tracee.on_exit callback");
	return 0;
}

int api_log(lua_State *L)
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

/*
 * tracee.capture(e, "exec"|"file"|"mem"): the host copies what e points at into the
 * capture directory (-c).  true when asked, else nil and why: capture off,
 * an unknown kind, or the copy queue full (counted by the host).
 */
static int t_capture(lua_State *L)
{
	struct lua_engine *e = lev_engine(L);
	const struct tr_event *ev = lev_check(L, 1);
	const char *kind = luaL_checkstring(L, 2);
	int ret;

	if (strcmp(kind, "exec") && strcmp(kind, "file") && strcmp(kind, "mem"))
		return luaL_argerror(L, 2, "unknown capture kind (use \"exec\", \"file\" or \"mem\")");
	if (!e->o.capture) {
		lua_pushnil(L);
		lua_pushliteral(L, "capture is not available here");
		return 2;
	}
	ret = e->o.capture(e->o.capture_ctx, ev, kind);
	if (ret) {
		lua_pushnil(L);
		lua_pushstring(L, ret == -ENOTCONN ? "capture is off (tracee -c)" :
				  ret == -ENOSPC ? "capture queue full" :
				  ret == -ENOENT ? "the event names no such thing" :
				  strerror(-ret));
		return 2;
	}
	lua_pushboolean(L, 1);
	return 1;
}

/* A process /proc knows and the tree does not; -ENOENT when it is gone. */
static int proc_read(int pid, struct lua_engine_proc *p)
{
	struct procfs_proc *r = malloc(sizeof(*r));

	if (!r)
		return -ENOMEM;
	if (procfs_read_proc("/proc", (uint32_t)pid, sizeof(p->argv), UINT_MAX, r)) {
		free(r);
		return -ENOENT;
	}
	memset(p, 0, sizeof(*p));
	p->pid = pid;
	p->ppid = r->ppid;
	p->uid = r->uid;
	p->start_time_ns = r->start_ns;
	snprintf(p->comm, sizeof(p->comm), "%s", r->comm);
	snprintf(p->exe, sizeof(p->exe), "%s", r->exe);
	snprintf(p->container_id, sizeof(p->container_id), "%s", r->container_id);
	memcpy(p->argv, r->argv, r->argv_len);
	p->argv_sz = r->argv_len;
	free(r);
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
	return proc_tree(pid, p) ? proc_read(pid, p) : 0;
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

const luaL_Reg api_fns[] = {
	{ "on", t_on }, { "events", t_events }, { "scope", t_scope },
	{ "finding", lua_engine_t_finding }, { "signature", t_signature },
	{ "process", t_process }, { "every", t_every }, { "on_exit", t_on_exit },
	{ "log", api_log }, { "count", t_count }, { "json", t_json },
	{ "capture", t_capture },
	{ "enable", registry_enable }, { "disable", registry_disable },
	{ "except", registry_except },
	{ NULL, NULL },
};
