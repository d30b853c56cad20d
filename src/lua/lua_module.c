// SPDX-License-Identifier: GPL-2.0
/*
 * lua_module.c - the `tracee` Lua 5.4 C module: recorded events, findings
 * and the signature API for plain Lua programs (no root, no kernel).
 *
 *	local tracee = require "tracee"
 *	for e in tracee.open("events.json") do print(e.eventName, e.args.pathname) end
 *	local findings = tracee.run_signatures("events.json", { policy = "mine.lua" })
 *
 * Events are the engine's own values (lua_event.c): lazy fields named like
 * the JSON output, e:json(), tostring(e).  An event is valid until the
 * iterator that produced it moves on (or a finding callback returns);
 * using it later is a Lua error, as inside tracee.
 *
 * Signatures and policies run in an engine of their own (a separate,
 * sandboxed and budgeted lua_State, exactly as in the tracer); findings
 * come back to the caller's state as tables or through a callback.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lua.h>
#include <lauxlib.h>

#include "analyze.h"
#include "events.h"
#include "jsonread.h"
#include "log.h"
#include "lua_engine.h"
#include "lua_priv.h"
#include "output.h"
#include "proctree.h"

#define HOST_MT		"tracee.host"
#define LOG_MT		"tracee.log"
#define POLICY_MT	"tracee.policy"

/* The engine that only lends its event metatable and current event to the host state. */
struct host {
	struct lua_engine *e;
};

struct tlog {
	struct jsonread *jr;
	struct tr_event ev;		/* the view of the current line */
	struct lua_engine *host;
	int on_error;			/* LUA_NOREF or a function */
	bool strict, findings, done;
	lua_Integer events, malformed, findings_skipped;
};

struct run_ctx;

struct policy {
	struct lua_engine *e;
	struct lua_engine *host;
	struct run_ctx *run;		/* the run in progress, NULL between runs */
	bool used;
};

struct run_ctx {
	lua_State *L;
	struct lua_engine *host;
	int list;			/* registry ref of the findings list, or LUA_NOREF */
	int cb;				/* registry ref of on_finding, or LUA_NOREF */
	int err;			/* stack index (policy_run's) of a callback's error, or 0 */
	lua_Integer nr;
	const struct tr_finding *f;
};

static struct lua_engine *host_of(lua_State *L)
{
	struct host *h = lua_touserdata(L, lua_upvalueindex(1));

	return h->e;
}

/* ------------------------------------------------------------------ */
/* Findings as tables                                                 */

static void set_str(lua_State *L, const char *k, const char *v)
{
	lua_pushstring(L, v ? v : "");
	lua_setfield(L, -2, k);
}

static void set_int(lua_State *L, const char *k, lua_Integer v)
{
	lua_pushinteger(L, v);
	lua_setfield(L, -2, k);
}

static void push_finding(lua_State *L, struct lua_engine *host, const struct tr_finding *f)
{
	const struct tr_event *ev = f->event;
	const char *const *t;
	int i = 1;

	lua_createtable(L, 0, 20);
	set_str(L, "id", f->id);
	set_str(L, "name", f->name);
	set_str(L, "eventName", f->name);
	set_str(L, "version", f->version);
	set_str(L, "description", f->description);
	set_int(L, "severity", f->severity);
	set_str(L, "category", f->category);
	set_str(L, "technique", f->technique);
	set_str(L, "external_id", f->external_id);
	lua_newtable(L);
	for (t = f->tags; t && *t; t++) {
		lua_pushstring(L, *t);
		lua_rawseti(L, -2, i++);
	}
	lua_setfield(L, -2, "tags");
	if (f->data) {
		struct obuf *b = lua_engine_scratch(host);

		lbuf_reset(b);
		finding_data_json(b, f);
		if (obuf_ok(b)) {
			lua_pushlstring(L, b->p, b->len);
			lua_setfield(L, -2, "data_json");
		}
	}
	if (ev) {
		struct obuf *b = lua_engine_scratch(host);

		set_str(L, "triggeredBy", ev->def ? ev->def->name : "");
		set_int(L, "timestamp", (lua_Integer)ev->timestamp_ns);
		set_int(L, "processId", ev->hdr->pid);
		set_int(L, "threadId", ev->hdr->tid);
		set_int(L, "hostProcessId", ev->hdr->host_pid);
		set_int(L, "hostThreadId", ev->hdr->host_tid);
		set_int(L, "userId", ev->hdr->uid);
		lua_pushlstring(L, ev->hdr->comm, strnlen(ev->hdr->comm, TR_COMM_LEN));
		lua_setfield(L, -2, "processName");
		set_str(L, "containerId", ev->container_id);
		lbuf_reset(b);
		if (!lev_json(L, ev, b))
			set_str(L, "event_json", b->p);
	}
}

/* Runs in the host state under lua_pcall: nothing raised here crosses the engine. */
static int deliver(lua_State *L)
{
	struct run_ctx *c = lua_touserdata(L, 1);

	if (c->list != LUA_NOREF) {
		lua_rawgeti(L, LUA_REGISTRYINDEX, c->list);
		push_finding(L, c->host, c->f);
		lua_rawseti(L, -2, ++c->nr);
		lua_pop(L, 1);
	}
	if (c->cb != LUA_NOREF) {
		lua_rawgeti(L, LUA_REGISTRYINDEX, c->cb);
		push_finding(L, c->host, c->f);
		if (c->f->event) {
			lua_engine_set_current(c->host, c->f->event);
			lua_engine_push_event(c->host, L);
		} else {
			lua_pushnil(L);
		}
		lua_call(L, 2, 0);
		lua_engine_set_current(c->host, NULL);
		if (c->list == LUA_NOREF)
			c->nr++;
	}
	return 0;
}

static void on_finding(void *ctx, const struct tr_finding *f)
{
	struct policy *p = ctx;
	struct run_ctx *c = p->run;
	lua_State *L;

	if (!c || c->err)
		return;
	L = c->L;
	c->f = f;
	if (!lua_checkstack(L, 8))
		return;
	lua_pushcfunction(L, deliver);
	lua_pushlightuserdata(L, c);
	if (lua_pcall(L, 1, 0, 0) != LUA_OK) {
		lua_engine_set_current(c->host, NULL);
		c->err = lua_gettop(L);	/* kept on the stack, raised after cleanup */
	}
}

/* ------------------------------------------------------------------ */
/* tracee.open                                                        */

static struct tlog *check_log(lua_State *L, int idx)
{
	return luaL_checkudata(L, idx, LOG_MT);
}

/* Push a new log reading path; opts (a stack index or 0) as for tracee.open. */
static struct tlog *new_log(lua_State *L, const char *path, struct lua_engine *host, int opts)
{
	struct tlog *lg;

	lg = lua_newuserdatauv(L, sizeof(*lg), 1);
	memset(lg, 0, sizeof(*lg));
	lg->on_error = LUA_NOREF;
	lg->host = host;
	luaL_setmetatable(L, LOG_MT);
	if (opts && lua_istable(L, opts)) {
		lua_getfield(L, opts, "strict");
		lg->strict = lua_toboolean(L, -1);
		lua_getfield(L, opts, "findings");
		lg->findings = lua_toboolean(L, -1);
		lua_getfield(L, opts, "on_error");
		if (lua_isfunction(L, -1)) {
			lua_pushvalue(L, -1);
			lua_setiuservalue(L, -5, 1);
			lg->on_error = 1;
		}
		lua_pop(L, 3);
	}
	lg->jr = jsonread_new();
	if (!lg->jr)
		luaL_error(L, "tracee.open: out of memory");
	if (jsonread_open(lg->jr, path))
		luaL_error(L, "%s", jsonread_error(lg->jr));
	return lg;
}

/* tracee.open(path, opts): opts.strict, opts.findings, opts.on_error */
static int l_open(lua_State *L)
{
	new_log(L, luaL_checkstring(L, 1), host_of(L), 2);
	return 1;
}

/* log:next() -> event or nil at the end */
static int l_log_next(lua_State *L)
{
	struct tlog *lg = check_log(L, 1);
	int ret;

	if (lg->done)
		return luaL_error(L, "the event log %s is closed", jsonread_name(lg->jr));
	for (;;) {
		ret = jsonread_next(lg->jr, &lg->ev);
		if (ret == JSONREAD_EOF) {
			lua_engine_set_current(lg->host, NULL);
			lua_pushnil(L);
			return 1;
		}
		if (ret == JSONREAD_EVENT || (ret == JSONREAD_FINDING && lg->findings)) {
			lg->events++;
			lua_engine_set_current(lg->host, &lg->ev);
			lua_engine_push_event(lg->host, L);
			return 1;
		}
		if (ret == JSONREAD_FINDING) {
			lg->findings_skipped++;
			continue;
		}
		lua_engine_set_current(lg->host, NULL);
		if (ret != -EINVAL)
			return luaL_error(L, "%s: %s", jsonread_name(lg->jr), jsonread_error(lg->jr));
		lg->malformed++;
		if (lg->strict) {
			char msg[512];

			snprintf(msg, sizeof(msg), "%s:%lu: %s", jsonread_name(lg->jr),
				 jsonread_lineno(lg->jr), jsonread_error(lg->jr));
			return luaL_error(L, "%s", msg);
		}
		if (lg->on_error != LUA_NOREF) {
			lua_getiuservalue(L, 1, 1);
			lua_pushstring(L, jsonread_name(lg->jr));
			lua_pushinteger(L, (lua_Integer)jsonread_lineno(lg->jr));
			lua_pushstring(L, jsonread_error(lg->jr));
			lua_call(L, 3, 0);
		}
	}
}

/* for e in log do ... end: the generic for calls log(state, control). */
static int l_log_call(lua_State *L)
{
	lua_settop(L, 1);
	return l_log_next(L);
}

static int l_log_stats(lua_State *L)
{
	struct tlog *lg = check_log(L, 1);

	lua_createtable(L, 0, 4);
	set_int(L, "events", lg->events);
	set_int(L, "malformed", lg->malformed);
	set_int(L, "findings_skipped", lg->findings_skipped);
	set_int(L, "line", (lua_Integer)jsonread_lineno(lg->jr));
	return 1;
}

static int l_log_close(lua_State *L)
{
	struct tlog *lg = check_log(L, 1);
	uint64_t seq;

	if (lg->jr && lua_engine_current(lg->host, &seq) == &lg->ev)
		lua_engine_set_current(lg->host, NULL);
	jsonread_free(lg->jr);
	lg->jr = NULL;
	lg->done = true;
	return 0;
}

static int l_log_gc(lua_State *L)
{
	struct tlog *lg = lua_touserdata(L, 1);

	if (lg->jr) {
		uint64_t seq;

		/* our view is about to go: the host must not point at it */
		if (lua_engine_current(lg->host, &seq) == &lg->ev)
			lua_engine_set_current(lg->host, NULL);
		jsonread_free(lg->jr);
		lg->jr = NULL;
	}
	return 0;
}

static int l_log_tostring(lua_State *L)
{
	struct tlog *lg = check_log(L, 1);

	lua_pushfstring(L, "tracee.log (%s, line %d)", lg->jr ? jsonread_name(lg->jr) : "closed",
			lg->jr ? (int)jsonread_lineno(lg->jr) : 0);
	return 1;
}

/* ------------------------------------------------------------------ */
/* Policies and signature runs                                        */

static struct policy *check_policy(lua_State *L, int idx)
{
	return luaL_checkudata(L, idx, POLICY_MT);
}

static bool opt_bool(lua_State *L, int opts, const char *k, bool def)
{
	bool v = def;

	if (!lua_istable(L, opts))
		return def;
	if (lua_getfield(L, opts, k) != LUA_TNIL)
		v = lua_toboolean(L, -1);
	lua_pop(L, 1);
	return v;
}

static void load_one(lua_State *L, struct policy *p, const char *file)
{
	if (lua_engine_load_file(p->e, file))
		luaL_error(L, "tracee.load_policy: %s: %s", file, lua_engine_last_error(p->e));
}

/*
 * tracee.load_policy(files, opts): files is a path, a list of paths or nil
 * (the built-in signatures alone).  opts: builtin (default true), unsafe,
 * scripts_dir, lib_dir.
 */
static int l_load_policy(lua_State *L)
{
	struct lua_engine_opts lo = { .proc_lookup = lua_engine_proc_tree };
	struct policy *p;
	const char *dir = NULL;
	lua_Integer i;

	lua_settop(L, 2);
	if (!lua_isnoneornil(L, 1) && !lua_isstring(L, 1) && !lua_istable(L, 1))
		return luaL_typeerror(L, 1, "a file name, a list of them, or nil");
	p = lua_newuserdatauv(L, sizeof(*p), 0);
	memset(p, 0, sizeof(*p));
	p->host = host_of(L);
	luaL_setmetatable(L, POLICY_MT);
	lo.unsafe = opt_bool(L, 2, "unsafe", false);
	lo.finding_cb = on_finding;
	lo.finding_ctx = p;
	if (lua_istable(L, 2)) {
		if (lua_getfield(L, 2, "lib_dir") == LUA_TSTRING)
			lo.lib_dir = lua_tostring(L, -1);	/* kept alive below */
		if (lua_getfield(L, 2, "scripts_dir") == LUA_TSTRING)
			dir = lua_tostring(L, -1);
	} else {
		lua_pushnil(L);
		lua_pushnil(L);
	}
	p->e = lua_engine_new(&lo);
	if (!p->e)
		return luaL_error(L, "tracee.load_policy: cannot start a Lua engine (%s)",
				  strerror(errno));
	if (opt_bool(L, 2, "builtin", true) && lua_engine_load_builtin(p->e))
		return luaL_error(L, "tracee.load_policy: built-in signatures: %s (set TRACEE_LUA_DIR "
				  "or opts.lib_dir to the directory holding signatures/)",
				  lua_engine_last_error(p->e));
	if (lua_isstring(L, 1)) {
		load_one(L, p, lua_tostring(L, 1));
	} else if (lua_istable(L, 1)) {
		for (i = 1; lua_rawgeti(L, 1, i) == LUA_TSTRING; i++) {
			load_one(L, p, lua_tostring(L, -1));
			lua_pop(L, 1);
		}
		lua_pop(L, 1);
	}
	if (dir && lua_engine_load_dir(p->e, dir))
		return luaL_error(L, "tracee.load_policy: %s: %s", dir, lua_engine_last_error(p->e));
	lua_pushvalue(L, 3);
	return 1;
}

static int l_policy_gc(lua_State *L)
{
	struct policy *p = lua_touserdata(L, 1);

	lua_engine_free(p->e);
	p->e = NULL;
	return 0;
}

/*
 * policy:run(src, opts): src is a path or a tracee.open() log.  opts:
 * on_finding = function(finding, event), strict (malformed line = error).
 * Returns the findings (a list, or their count with on_finding) and stats.
 */
static int policy_run(lua_State *L, int pidx, int sidx, int oidx)
{
	struct policy *p = check_policy(L, pidx);
	struct run_ctx c = { .L = L, .host = p->host, .list = LUA_NOREF, .cb = LUA_NOREF };
	struct lua_engine_stats st;
	struct tlog *lg;
	bool strict = opt_bool(L, oidx, "strict", false);
	lua_Integer events = 0, malformed = 0, skipped = 0;
	char err[512] = "";
	int ret;

	if (!p->e)
		return luaL_error(L, "the policy is closed");
	if (p->used)
		return luaL_error(L, "a policy runs once (its signatures keep state): load it again "
				  "with tracee.load_policy for another run");
	if (lua_type(L, sidx) == LUA_TSTRING) {
		new_log(L, lua_tostring(L, sidx), p->host, 0);
		sidx = lua_gettop(L);
	}
	lg = check_log(L, sidx);
	if (lg->done || !lg->jr)
		return luaL_error(L, "the event log is closed");
	if (lua_istable(L, oidx) && lua_getfield(L, oidx, "on_finding") != LUA_TNIL) {
		luaL_checktype(L, -1, LUA_TFUNCTION);
		c.cb = luaL_ref(L, LUA_REGISTRYINDEX);
	} else {
		if (lua_istable(L, oidx))
			lua_pop(L, 1);
		lua_newtable(L);
		c.list = luaL_ref(L, LUA_REGISTRYINDEX);
	}
	lua_checkstack(L, 16);
	ret = analyze_tree_init();
	if (ret)
		return luaL_error(L, "tracee: %s", ret == -EBUSY ?
				  "a signature run is already in progress (runs cannot be nested)" :
				  "out of memory for the process tree");
	p->used = true;
	p->run = &c;
	lua_engine_set_current(p->host, NULL);
	while (!c.err) {
		struct tr_event *ev = &lg->ev;

		ret = jsonread_next(lg->jr, ev);
		if (ret == JSONREAD_EOF)
			break;
		if (ret == -EINVAL) {
			malformed++;
			if (strict) {
				snprintf(err, sizeof(err), "%s:%lu: %s", jsonread_name(lg->jr),
					 jsonread_lineno(lg->jr), jsonread_error(lg->jr));
				break;
			}
			continue;
		}
		if (ret < 0) {
			snprintf(err, sizeof(err), "%s: %s", jsonread_name(lg->jr), jsonread_error(lg->jr));
			break;
		}
		if (ret == JSONREAD_FINDING) {
			skipped++;
			continue;
		}
		events++;
		analyze_track(ev);
		lua_engine_tick(p->e, ev->timestamp_ns);
		lua_engine_event(p->e, ev);
	}
	if (!c.err && !err[0])
		lua_engine_finish(p->e, NULL);	/* on_signal("complete"), on_exit */
	p->run = NULL;
	proctree_fini();
	lg->events += events;
	lg->malformed += malformed;
	lg->findings_skipped += skipped;
	luaL_unref(L, LUA_REGISTRYINDEX, c.cb);
	if (c.err) {
		luaL_unref(L, LUA_REGISTRYINDEX, c.list);
		lua_pushvalue(L, c.err);
		return lua_error(L);
	}
	if (err[0]) {
		luaL_unref(L, LUA_REGISTRYINDEX, c.list);
		return luaL_error(L, "%s", err);
	}
	if (c.list != LUA_NOREF) {
		lua_rawgeti(L, LUA_REGISTRYINDEX, c.list);
		luaL_unref(L, LUA_REGISTRYINDEX, c.list);
	} else {
		lua_pushinteger(L, c.nr);
	}
	lua_engine_get_stats(p->e, &st);
	lua_createtable(L, 0, 6);
	set_int(L, "events", events);
	set_int(L, "malformed", malformed);
	set_int(L, "findings_skipped", skipped);
	set_int(L, "findings", (lua_Integer)st.findings);
	set_int(L, "errors", (lua_Integer)st.errors);
	set_int(L, "signatures", st.signatures);
	return 2;
}

static int l_policy_run(lua_State *L)
{
	lua_settop(L, 3);
	return policy_run(L, 1, 2, 3);
}

/* policy:signatures() -> list of {id, name, severity, events = {...}, ...} */
static int l_policy_signatures(lua_State *L)
{
	struct policy *p = check_policy(L, 1);
	struct lua_engine_sig s;
	unsigned int i, k;

	lua_newtable(L);
	for (i = 0; p->e && !lua_engine_signature(p->e, i, &s); i++) {
		lua_createtable(L, 0, 10);
		set_str(L, "id", s.id);
		set_str(L, "name", s.name);
		set_str(L, "title", s.title);
		set_str(L, "version", s.version);
		set_str(L, "description", s.description);
		set_str(L, "origin", s.origin);
		set_str(L, "category", s.category);
		set_str(L, "technique", s.technique);
		set_str(L, "external_id", s.external_id);
		set_int(L, "severity", s.severity);
		lua_createtable(L, s.nr_events, 0);
		for (k = 0; k < s.nr_events; k++) {
			lua_pushstring(L, s.events[k]);
			lua_rawseti(L, -2, k + 1);
		}
		lua_setfield(L, -2, "events");
		lua_rawseti(L, -2, i + 1);
	}
	return 1;
}

/*
 * tracee.run_signatures(src, opts): opts.policy is a path, a list of paths
 * or a tracee.load_policy() object; opts.builtin, unsafe, lib_dir and
 * scripts_dir as for load_policy; on_finding and strict as for policy:run.
 */
static int l_run_signatures(lua_State *L)
{
	int pidx;

	lua_settop(L, 2);
	if (lua_istable(L, 2) && lua_getfield(L, 2, "policy") == LUA_TUSERDATA &&
	    luaL_testudata(L, -1, POLICY_MT)) {
		pidx = lua_gettop(L);
	} else {
		if (lua_istable(L, 2))
			lua_pop(L, 1);
		lua_pushvalue(L, lua_upvalueindex(2));	/* load_policy */
		if (lua_istable(L, 2))
			lua_getfield(L, 2, "policy");
		else
			lua_pushnil(L);
		lua_pushvalue(L, 2);
		lua_call(L, 2, 1);
		pidx = lua_gettop(L);
	}
	return policy_run(L, pidx, 1, 2);
}

/* tracee.events() -> list of the event names this build knows */
static int l_events(lua_State *L)
{
	unsigned int i;

	lua_createtable(L, events_nr, 0);
	for (i = 0; i < events_nr; i++) {
		lua_pushstring(L, events_table[i].name);
		lua_rawseti(L, -2, i + 1);
	}
	return 1;
}

static int l_host_gc(lua_State *L)
{
	struct host *h = lua_touserdata(L, 1);

	lua_engine_free(h->e);
	h->e = NULL;
	return 0;
}

int luaopen_tracee(lua_State *L);
int luaopen_tracee(lua_State *L)
{
	static const luaL_Reg log_methods[] = {
		{ "next", l_log_next }, { "stats", l_log_stats }, { "close", l_log_close },
		{ NULL, NULL },
	};
	static const luaL_Reg policy_methods[] = {
		{ "run", l_policy_run }, { "signatures", l_policy_signatures }, { NULL, NULL },
	};
	struct lua_engine_opts lo = { .max_mem_bytes = 16 << 20 };
	struct host *h;

	/* The host engine: runs no scripts; lends the event metatable to L. */
	if (luaL_getmetatable(L, HOST_MT) != LUA_TNIL)
		return luaL_error(L, "the tracee module is already loaded in this Lua state");
	lua_pop(L, 1);
	h = lua_newuserdatauv(L, sizeof(*h), 0);
	h->e = NULL;
	luaL_newmetatable(L, HOST_MT);
	lua_pushcfunction(L, l_host_gc);
	lua_setfield(L, -2, "__gc");
	lua_setmetatable(L, -2);
	lua_pushvalue(L, -1);
	lua_setfield(L, LUA_REGISTRYINDEX, "tracee.host.instance");	/* lives as long as L */
	h->e = lua_engine_new(&lo);
	if (!h->e)
		return luaL_error(L, "tracee: cannot start a Lua engine (%s)", strerror(errno));
	lua_engine_bind_host(h->e, L);

	luaL_newmetatable(L, LOG_MT);
	luaL_newlibtable(L, log_methods);
	lua_pushvalue(L, -3);	/* host */
	luaL_setfuncs(L, log_methods, 1);
	lua_setfield(L, -2, "__index");
	lua_pushvalue(L, -2);
	lua_pushcclosure(L, l_log_call, 1);
	lua_setfield(L, -2, "__call");
	lua_pushvalue(L, -2);
	lua_pushcclosure(L, l_log_gc, 1);
	lua_setfield(L, -2, "__gc");
	lua_pushvalue(L, -2);
	lua_pushcclosure(L, l_log_close, 1);
	lua_setfield(L, -2, "__close");
	lua_pushvalue(L, -2);
	lua_pushcclosure(L, l_log_tostring, 1);
	lua_setfield(L, -2, "__tostring");
	lua_pop(L, 1);

	luaL_newmetatable(L, POLICY_MT);
	luaL_newlibtable(L, policy_methods);
	lua_pushvalue(L, -3);
	luaL_setfuncs(L, policy_methods, 1);
	lua_setfield(L, -2, "__index");
	lua_pushcfunction(L, l_policy_gc);
	lua_setfield(L, -2, "__gc");
	lua_pop(L, 1);

	/* the module table: every function gets the host as upvalue 1 */
	lua_createtable(L, 0, 8);
	lua_pushvalue(L, -2);
	lua_pushcclosure(L, l_open, 1);
	lua_setfield(L, -2, "open");
	lua_pushvalue(L, -2);
	lua_pushcclosure(L, l_load_policy, 1);
	lua_pushvalue(L, -1);
	lua_setfield(L, -3, "load_policy");
	lua_pushvalue(L, -3);	/* host */
	lua_insert(L, -2);	/* host, load_policy */
	lua_pushcclosure(L, l_run_signatures, 2);
	lua_setfield(L, -2, "run_signatures");
	lua_pushcfunction(L, l_events);
	lua_setfield(L, -2, "events");
	lua_pushstring(L, PACKAGE_VERSION);
	lua_setfield(L, -2, "version");
	return 1;
}
