// SPDX-License-Identifier: GPL-2.0
/*
 * lua_engine.c - the embedded Lua 5.4 engine's life: a state set up with
 * the safe libraries and tracee.lua, scripts loaded into environments of
 * their own (one memory account each), freed in reverse.  tracee.finding
 * and the rule-error finding live here too.  The rest is split by job:
 * sandbox.c, pattern_guard.c, api.c, registry.c, dispatch.c, lua_event.c.
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

struct obuf *lua_engine_scratch(struct lua_engine *e);
struct obuf *lua_engine_scratch(struct lua_engine *e)
{
	return &e->scratch;
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

static int script_setup_cf(lua_State *L)
{
	struct lua_engine *e = lev_engine(L);
	struct script *s = lua_touserdata(L, 1);

	sandbox_make_env(L, e, s);
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
			registry_sig_free(e->sigs[i]);
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
		registry_except_free(x);
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
	sandbox_wrap_libs(L);
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

	if (sandbox_load_trusted(L, path, NULL) != LUA_OK) {
		lua_pushnil(L);
		lua_insert(L, -2);
		return 2;
	}
	sandbox_make_env(L, e, NULL);	/* safe libraries, no tracee API */
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
	lua_pushcfunction(L, dispatch_msgh);
	lua_pushcfunction(L, stdlib_cf);
	lua_pushstring(L, path);
	sandbox_budget_start(e, LOAD_FACTOR);
	st = lua_pcall(L, 1, 2, -3);
	sandbox_budget_stop(e);
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
	const struct tr_event_def *sfo;
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
	sfo = events_by_name("security_file_open");
	e->path_ev_id = sfo ? sfo->id : -1;

	e->L = lua_newstate(sandbox_alloc, e);
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
	lua_sethook(e->L, sandbox_budget_hook, LUA_MASKCOUNT, HOOK_STEP);
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
		registry_sig_free(e->sigs[i]);
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
		registry_except_free(e->excs[i]);
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
		st = sandbox_load_trusted(L, path, &why);
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
	lua_pushcfunction(L, dispatch_msgh);
	lua_insert(L, -2);
	e->cur_script = s;
	e->loading = true;
	sandbox_budget_start(e, LOAD_FACTOR);
	st = lua_pcall(L, 0, 0, -2);
	sandbox_budget_stop(e);
	e->loading = false;
	e->cur_script = NULL;
	if (st != LUA_OK) {
		const char *msg = st == LUA_ERRMEM ? "not enough memory (memory budget exceeded)" :
			full_path_msg(lua_tostring(L, -1), s->path, full, sizeof(full));

		snprintf(e->last_error, sizeof(e->last_error), "%s", msg ? msg : "error");
		if (msg && strncmp(msg, s->path, strlen(s->path)) && st == LUA_ERRMEM)
			tr_err("%s: %s", s->path, msg);
		else
			dispatch_log_lines("  ", e->last_error);
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

/* The two finding makers, for api.c and dispatch.c. */
int lua_engine_t_finding(lua_State *L)
{
	return t_finding(L);
}

void lua_engine_rule_error_finding(struct lua_engine *e, struct handler *h, const char *msg,
				   uint64_t paused_ns)
{
	rule_error_finding(e, h, msg, paused_ns);
}
