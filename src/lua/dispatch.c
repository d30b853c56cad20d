// SPDX-License-Identifier: GPL-2.0
/*
 * dispatch.c - the hot path: an event to the callbacks and signatures that
 * asked for it, timers and on_exit handlers, and what happens when a
 * callback fails.
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
#include "log.h"
#include "lua_priv.h"
#include "runtime.h"

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

/* Message handler: the message plus a traceback. */
int dispatch_msgh(lua_State *L)
{
	const char *msg = lua_tostring(L, 1);

	if (!msg)
		msg = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
	luaL_traceback(L, L, msg, 1);
	return 1;
}

/* Print a possibly multi-line message, one log line per line. */
void dispatch_log_lines(const char *prefix, const char *text)
{
	const char *p = text, *nl;

	while (p && *p) {
		nl = strchr(p, '\n');
		tr_err("%s%.*s", p == text ? "" : prefix, nl ? (int)(nl - p) : (int)strlen(p), p);
		p = nl ? nl + 1 : NULL;
	}
}

/*
 * The error on top of the stack, for handler h: logged once, counted
 * always, a finding now and then (lua_engine_rule_error_finding); max_errors in a row
 * pause the callback, for longer while it keeps failing.
 */
static void dispatch_report_error(struct lua_engine *e, struct handler *h, int status)
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
		dispatch_log_lines("  ", e->last_error);
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
		lua_engine_rule_error_finding(e, h, msg, pause);
	if (status == LUA_ERRMEM)
		lua_gc(e->L, LUA_GCCOLLECT);
}

/* Is h paused after errors?  Resumes it once its pause is over. */
static bool dispatch_handler_paused(struct lua_engine *e, struct handler *h)
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
static int dispatch_call_handler(struct lua_engine *e, struct handler *h, int nargs, int nres)
{
	lua_State *L = e->L;
	int base = lua_gettop(L) - nargs + 1;	/* first argument: dispatch_msgh and fn go here */
	struct script *prev_s = e->cur_script;
	struct sig *prev_sig = e->cur_sig;
	int st;

	lua_pushcfunction(L, dispatch_msgh);
	lua_rawgeti(L, LUA_REGISTRYINDEX, h->ref);
	lua_rotate(L, base, 2);			/* dispatch_msgh, fn, args... */
	e->cur_script = h->s;
	e->cur_sig = h->sig;
	h->calls++;
	sandbox_budget_start(e, 1);
	st = lua_pcall(L, nargs, nres, base);
	sandbox_budget_stop(e);
	e->cur_script = prev_s;
	e->cur_sig = prev_sig;
	if (st != LUA_OK) {
		dispatch_report_error(e, h, st);
		lua_settop(L, base - 1);
		return -1;
	}
	h->strikes = h->pauses = 0;
	lua_remove(L, base);			/* dispatch_msgh */
	return 0;
}

/* ------------------------------------------------------------------ */
/* The hot path */

/*
 * Where an event comes from, for a signature's origin: the host, a started
 * container, or a container the runtime is still setting up ("container-init":
 * runc:[2:INIT] and the like), which neither kind of signature sees.
 */
enum ev_origin { EV_HOST, EV_CONTAINER, EV_CONTAINER_INIT };

/*
 * path: the pathname of a security_file_open event, NULL for other events
 * (and for a cut pathname, which the globs cannot judge): a signature with
 * paths= is called only when one of its globs matches it.
 */
static int run_list(struct lua_engine *e, const struct hlist *l, enum ev_origin where,
		    const struct tr_str *path)
{
	lua_State *L = e->L;
	unsigned int i;
	int keep = 1, st;

	for (i = 0; i < l->nr; i++) {
		struct handler *h = l->v[i];

		if (h->paused_until_ns && dispatch_handler_paused(e, h))
			continue;
		if (h->sig && ((h->sig->origin == ORIGIN_CONTAINER && where != EV_CONTAINER) ||
			       (h->sig->origin == ORIGIN_HOST && where != EV_HOST)))
			continue;
		if (path && h->kind == H_SIG_EVENT && h->sig->nr_paths &&
		    !sigpaths_match(h->sig, path->p, path->len))
			continue;
		lua_pushcfunction(L, dispatch_msgh);
		lua_rawgeti(L, LUA_REGISTRYINDEX, h->ref);
		lev_push(L, e->seq, LEV_EVENT);
		e->cur_script = h->s;
		e->cur_sig = h->sig;
		h->calls++;
		sandbox_budget_start(e, 1);
		st = lua_pcall(L, 1, 1, -3);
		sandbox_budget_stop(e);
		if (st != LUA_OK) {
			dispatch_report_error(e, h, st);
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

/* The pathname the signatures' paths= globs are about, or NULL. */
static const struct tr_str *open_path(const struct lua_engine *e, const struct tr_event *ev, int id)
{
	unsigned int i;

	if (id != e->path_ev_id)
		return NULL;
	for (i = 0; i < ev->nr_args; i++) {
		const struct tr_arg *a = &ev->args[i];

		if (a->name && !strcmp(a->name, "pathname"))
			return a->kind == TR_V_STR && a->v.str.p && !a->v.str.trunc ? &a->v.str : NULL;
	}
	return NULL;
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
		keep &= run_list(e, l, where, open_path(e, ev, id));
	if (e->any.nr)
		keep &= run_list(e, &e->any, where, NULL);
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

		if (now_ns < t->next_ns ||
		    (t->h->paused_until_ns && dispatch_handler_paused(e, t->h)))
			continue;
		t->next_ns += t->period_ns;
		if (t->next_ns <= now_ns)	/* we were late: no catch-up burst */
			t->next_ns = now_ns + t->period_ns;
		dispatch_call_handler(e, t->h, 0, 0);
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
			dispatch_call_handler(e, hs, 1, 0);
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
			dispatch_call_handler(e, exits[i], 0, 0);
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
