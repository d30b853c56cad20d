/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lua_priv.h - internals shared by lua_engine.c (sandbox, budgets, dispatch,
 * the tracee module) and lua_event.c (the event view and its JSON form).
 */
#ifndef TRACEE_LUA_PRIV_H
#define TRACEE_LUA_PRIV_H

#include <lua.h>
#include <lauxlib.h>

#include "json.h"
#include "lua_engine.h"

struct lua_engine;

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

/* lua_engine.c, for lua_event.c */
/* Work of a C function charged to the running callback's budgets; raises when blown. */
void lua_engine_charge(lua_State *L, uint64_t units);
const struct tr_event *lua_engine_current(struct lua_engine *e, uint64_t *seq);
/* The engine's text buffer for e:json() and tostring(e) (also the C module's). */
struct obuf *lua_engine_scratch(struct lua_engine *e);

#endif /* TRACEE_LUA_PRIV_H */
