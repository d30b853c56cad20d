// SPDX-License-Identifier: GPL-2.0
/*
 * registry.c - the signatures scripts declared and what was done to them:
 * on or off (tracee.enable/disable, --signatures, resolved once every
 * script is in), exceptions (tracee.except), the events and paths they put
 * into the kernel selection, and `--list`.
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
#include "log.h"
#include "lua_priv.h"
#include "runtime.h"

static const char *const exc_field_names[EXC_NR] = {
	"process", "executable", "parent", "image", "path",
};

int strv_add(struct strv *v, const char *s)
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

void strv_fini(struct strv *v, bool owned)
{
	unsigned int i;

	if (owned)
		for (i = 0; i < v->nr; i++)
			free(v->v[i]);
	free(v->v);
	memset(v, 0, sizeof(*v));
}

int hlist_add(struct hlist *l, struct handler *h)
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

void hlist_remove_script(struct hlist *l, const struct script *s)
{
	unsigned int i, j = 0;

	for (i = 0; i < l->nr; i++)
		if (l->v[i]->s != s)
			l->v[j++] = l->v[i];
	l->nr = j;
}

static int registry_pending_add(struct lua_engine *e, const char *name, struct handler *h);

char *registry_dup_field(lua_State *L, int idx, const char *k, const char *def, bool required)
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

void registry_sig_free(struct sig *g)
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
	free(g->globs);
	free(g->exc);
	free(g);
}

char **registry_dup_list(lua_State *L, int idx, const char *k, unsigned int *nr, bool required)
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
		if (v && !(v[0] = strdup(lua_tostring(L, -1)))) {
			free(v);
			v = NULL;
		}
		if (!v)
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
		bool str = lua_rawgeti(L, -1, i) == LUA_TSTRING;

		if (str)
			v[i - 1] = strdup(lua_tostring(L, -1));
		if (!str || !v[i - 1]) {
			lua_Integer bad = i;

			/* v never reached the signature: its count must not either */
			while (--i > 0)
				free(v[i - 1]);
			free(v);
			*nr = 0;
			if (str)
				luaL_error(L, "out of memory");
			luaL_error(L, "tracee.signature: %s[%d] is not a string", k, (int)bad);
		}
		lua_pop(L, 1);
		*nr = i;
	}
	lua_pop(L, 1);
	return v;
}

/* Put a signature's on_event into the dispatch lists of its events. */
int registry_sig_attach(struct lua_engine *e, struct sig *g)
{
	unsigned int i;

	for (i = 0; i < g->nr_events; i++) {
		const struct tr_event_def *d = events_by_name(g->events[i]);
		int err = d ? hlist_add(&e->by_id[d->id], g->on_event) :
			      registry_pending_add(e, g->events[i], g->on_event);

		if (err)
			return err;
	}
	g->attached = true;
	return 0;
}

/* Out of every dispatch list: its events and paths leave the kernel selection. */
static void registry_sig_detach(struct lua_engine *e, struct sig *g)
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
int registry_sig_box_gc(lua_State *L)
{
	struct sig **box = luaL_checkudata(L, 1, "tracee.sig_box");

	registry_sig_free(*box);
	*box = NULL;
	return 0;
}

static int registry_pending_add(struct lua_engine *e, const char *name, struct handler *h)
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

void registry_except_free(struct except *x)
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

	api_check_loading(L, fname);
	if (n == 0)
		return luaL_error(L, "%s: name a signature (id, name, tag:TAG or all)", fname);
	for (i = 1; i <= n; i++) {
		if (lua_type(L, i) != LUA_TSTRING && lua_type(L, i) != LUA_TTABLE)
			return luaL_error(L, "%s: argument %d is a %s, not a selector string", fname,
					  i, luaL_typename(L, i));
		api_each_string(L, i, fname, toggle_one, &on);
	}
	return 0;
}

int registry_enable(lua_State *L)
{
	return toggle_lua(L, true);
}

int registry_disable(lua_State *L)
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

	registry_except_free(*box);
	*box = NULL;
	return 0;
}

int registry_except(lua_State *L)
{
	struct lua_engine *e = lev_engine(L);
	struct except *x, **box;
	unsigned int i, given = 0;

	api_check_loading(L, "tracee.except");
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
			api_each_string(L, lua_gettop(L), fname, except_add_glob, &x->f[i]);
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
			if (registry_sig_attach(e, g))
				return -ENOMEM;
		} else if (!g->enabled && g->attached) {
			registry_sig_detach(e, g);
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
bool excepted(struct lua_engine *e, lua_State *L, struct sig *g,
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
