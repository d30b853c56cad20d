// SPDX-License-Identifier: GPL-2.0
/*
 * lua_event.c - events as Lua values: lazy field access named like the JSON
 * output (e.processName, e.args.pathname, e.container.id), e:json() (the
 * output's own renderer), tostring(e); Lua values as JSON (tracee.json) and
 * finding data as the typed members struct tr_finding carries.
 *
 * An event is a light userdata (see lua_priv.h): the one metatable Lua keeps
 * for light userdata is ours, protected by __metatable.  Field names are
 * looked up in a table of interned strings (one hash probe), then decoded
 * straight from struct tr_event: nothing is built unless a script asks.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "argfmt.h"
#include "events.h"
#include "jsonread.h"
#include "lua_priv.h"
#include "output.h"
#include "runtime.h"

/* ------------------------------------------------------------------ */
/* Text buffer */

void lbuf_reset(struct obuf *b)
{
	b->len = 0;
	b->oom = false;
	if (b->p)
		b->p[0] = '\0';
}

/* Room for n more bytes and the NUL, within LBUF_MAX. */
static bool lbuf_room(struct obuf *b, size_t n)
{
	if (b->oom || n > LBUF_MAX || b->len + n + 1 > LBUF_MAX) {
		b->oom = true;
		return false;
	}
	return obuf_reserve(b, n + 1);
}

static void lbuf_nul(struct obuf *b)
{
	if (lbuf_room(b, 0))
		b->p[b->len] = '\0';
}

void lbuf_add(struct obuf *b, const char *s, size_t n)
{
	if (!lbuf_room(b, n))
		return;
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void lbuf_adds(struct obuf *b, const char *s)
{
	lbuf_add(b, s, strlen(s));
}

void lbuf_printf(struct obuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || !lbuf_room(b, n))
		return;
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, n + 1, fmt, ap);
	va_end(ap);
	b->len += n;
}

/* A JSON string, escaped as the output escapes (invalid UTF-8 -> U+FFFD). */
void lbuf_json_str(struct obuf *b, const char *s, size_t n)
{
	if (!lbuf_room(b, n > LBUF_MAX / 6 ? LBUF_MAX : 6 * n + 2))
		return;
	obuf_putc(b, '"');
	json_escape(b, s, n);
	obuf_putc(b, '"');
	lbuf_nul(b);
}

void lbuf_free(struct obuf *b)
{
	if (!b)
		return;
	obuf_fini(b);
	memset(b, 0, sizeof(*b));
}

/* ------------------------------------------------------------------ */
/* Field names */

enum lev_field {
	F_NONE = 0,
	F_TIMESTAMP, F_THREADSTART, F_CPU, F_PID, F_CGROUP, F_TID, F_PPID, F_HPID, F_HTID,
	F_HPPID, F_UID, F_MNTNS, F_PIDNS, F_COMM, F_EXECUTABLE, F_HOSTNAME, F_CONTAINERID,
	F_CONTAINER, F_KUBERNETES, F_EVENTID, F_EVENTNAME, F_POLICIES, F_ARGSNUM, F_RETVAL,
	F_SYSCALL, F_STACK, F_CTXFLAGS, F_TENTITY, F_PENTITY, F_PARENTITY, F_ARGS, F_METADATA,
	F_JSON,
	/* sub-views */
	F_C_ID, F_C_NAME, F_C_IMAGE, F_C_DIGEST, F_C_PRIV, F_C_CAPS,
	F_X_PATH,
	F_K_POD, F_K_NS, F_K_UID, F_K_SANDBOX,
	F_CF_STARTED, F_CF_COMPAT,
};

static const struct {
	const char *name;
	enum lev_field f;
} lev_fields[] = {
	{ "timestamp", F_TIMESTAMP }, { "threadStartTime", F_THREADSTART },
	{ "processorId", F_CPU }, { "processId", F_PID }, { "cgroupId", F_CGROUP },
	{ "threadId", F_TID }, { "parentProcessId", F_PPID }, { "hostProcessId", F_HPID },
	{ "hostThreadId", F_HTID }, { "hostParentProcessId", F_HPPID }, { "userId", F_UID },
	{ "mountNamespace", F_MNTNS }, { "pidNamespace", F_PIDNS }, { "processName", F_COMM },
	{ "executable", F_EXECUTABLE }, { "hostName", F_HOSTNAME }, { "containerId", F_CONTAINERID },
	{ "container", F_CONTAINER }, { "kubernetes", F_KUBERNETES }, { "eventId", F_EVENTID },
	{ "eventName", F_EVENTNAME }, { "matchedPolicies", F_POLICIES }, { "argsNum", F_ARGSNUM },
	{ "returnValue", F_RETVAL }, { "syscall", F_SYSCALL }, { "stackAddresses", F_STACK },
	{ "contextFlags", F_CTXFLAGS }, { "threadEntityId", F_TENTITY },
	{ "processEntityId", F_PENTITY }, { "parentEntityId", F_PARENTITY }, { "args", F_ARGS },
	{ "metadata", F_METADATA }, { "json", F_JSON },
	{ "id", F_C_ID }, { "name", F_C_NAME }, { "image", F_C_IMAGE }, { "imageDigest", F_C_DIGEST },
	{ "privileged", F_C_PRIV }, { "addedCapabilities", F_C_CAPS },
	{ "path", F_X_PATH },
	{ "podName", F_K_POD }, { "podNamespace", F_K_NS }, { "podUID", F_K_UID },
	{ "podSandbox", F_K_SANDBOX },
	{ "containerStarted", F_CF_STARTED }, { "isCompat", F_CF_COMPAT },
};

/* Which fields each view has (a field of another view reads as an error). */
static bool lev_field_in(enum lev_tag tag, enum lev_field f)
{
	switch (tag) {
	case LEV_EVENT:
		return f >= F_TIMESTAMP && f <= F_JSON;
	case LEV_CONTAINER:
		return f >= F_C_ID && f <= F_C_CAPS;
	case LEV_EXECUTABLE:
		return f == F_X_PATH;
	case LEV_KUBERNETES:
		return f >= F_K_POD && f <= F_K_SANDBOX;
	case LEV_CTXFLAGS:
		return f == F_CF_STARTED || f == F_CF_COMPAT;
	default:
		return false;
	}
}

static const char *const lev_view_names[LEV_NR] = {
	"event", "event.args", "event.container", "event.executable", "event.kubernetes",
	"event.contextFlags",
};

void lev_push(lua_State *L, uint64_t seq, enum lev_tag tag)
{
	lua_pushlightuserdata(L, (void *)(uintptr_t)((seq << 3) | tag));
}

/*
 * In a host state (the Lua C module inside someone else's lua5.4) the
 * light-userdata metatable and the extra space are not ours to take: an
 * event there is a small full userdata, the same tagged value plus the
 * engine it belongs to, with the event metatable under LEV_BOX_MT.
 */
#define LEV_BOX_MT	"tracee.event"

struct lev_box {
	uint64_t v;
	struct lua_engine *e;
};

void lev_push_box(lua_State *L, struct lua_engine *e, uint64_t seq, enum lev_tag tag)
{
	struct lev_box *b = lua_newuserdatauv(L, sizeof(*b), 0);

	b->v = (seq << 3) | tag;
	b->e = e;
	luaL_setmetatable(L, LEV_BOX_MT);
}

/* What an event value at idx refers to: tagged value and engine. */
struct lev_ref {
	uint64_t v;
	struct lua_engine *e;
	bool box;
};

/* A part of the event at idx (e.args, e.container): the same kind of value. */
static void lev_push_part(lua_State *L, const struct lev_ref *r, enum lev_tag tag)
{
	if (r->box)
		lev_push_box(L, r->e, r->v >> 3, tag);
	else
		lev_push(L, r->v >> 3, tag);
}

static const struct tr_event *lev_get_ref(lua_State *L, int idx, enum lev_tag *tag,
					  struct lev_ref *r)
{
	const struct tr_event *ev;
	struct lev_box *b;
	uint64_t seq;

	if (lua_type(L, idx) == LUA_TLIGHTUSERDATA) {
		r->v = (uintptr_t)lua_touserdata(L, idx);
		r->e = lev_engine(L);
		r->box = false;
	} else if ((b = luaL_testudata(L, idx, LEV_BOX_MT))) {
		r->v = b->v;
		r->e = b->e;
		r->box = true;
	} else {
		luaL_typeerror(L, idx, "event");
		return NULL;
	}
	ev = lua_engine_current(r->e, &seq);
	if (!ev || r->v >> 3 != seq) {
		luaL_error(L, "event used after its callback returned (copy the fields you need "
			   "while the callback runs, e.g. local name = e.processName)");
		return NULL;
	}
	if (tag)
		*tag = r->v & 7;
	return ev;
}

static const struct tr_event *lev_get(lua_State *L, int idx, enum lev_tag *tag)
{
	struct lev_ref r;

	return lev_get_ref(L, idx, tag, &r);
}

const struct tr_event *lev_check(lua_State *L, int idx)
{
	enum lev_tag tag;
	const struct tr_event *ev = lev_get(L, idx, &tag);

	if (tag != LEV_EVENT)
		luaL_argerror(L, idx, "an event expected, got a part of one");
	return ev;
}

/* ------------------------------------------------------------------ */
/* Values */

static size_t comm_len(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

static int ev_id(const struct tr_event *ev)
{
	return ev->def ? ev->def->id : (int)ev->hdr->event_id;
}

static const char *ev_name(const struct tr_event *ev)
{
	const struct tr_event_def *d = ev->def ? ev->def : events_by_id(ev_id(ev));

	return d ? d->name : "unknown";
}

static const char *ev_syscall_name(const struct tr_event *ev)
{
	const struct tr_event_def *d;

	if (ev->hdr->syscall < 0 || ev->hdr->syscall >= TR_MAX_SYSCALL)
		return "";
	d = events_by_id(ev->hdr->syscall);
	return d ? d->name : "";
}

/* Walk a decoded string array: calls fn for each entry, bounded by sz. */
typedef void (*strarr_fn)(void *ctx, const char *s, uint32_t len, uint32_t i);

static void strarr_each(const struct tr_arg *a, strarr_fn fn, void *ctx)
{
	const uint8_t *p = a->v.arr.p;
	uint32_t left = a->v.arr.sz, i, len;

	for (i = 0; i < a->v.arr.count && p && left >= 4; i++) {
		memcpy(&len, p, 4);
		len &= ~TR_LEN_TRUNC;
		if (len > left - 4)
			break;
		fn(ctx, (const char *)p + 4, len, i);
		p += 4 + len;
		left -= 4 + len;
	}
}

static void strarr_push_one(void *ctx, const char *s, uint32_t len, uint32_t i)
{
	lua_State *L = ctx;

	lua_pushlstring(L, s, len);
	lua_rawseti(L, -2, i + 1);
}

/* A TR_V_JSON value as Lua tables: objects keyed by name, arrays from 1. */
struct json_lua {
	lua_State *L;
	int depth;
	bool obj[JSONREAD_MAX_DEPTH + 2];
	lua_Integer idx[JSONREAD_MAX_DEPTH + 2];
};

/* The value on top of the stack goes into the container below it (the key between). */
static void json_lua_store(struct json_lua *c)
{
	if (!c->depth)
		return;		/* the root: left on the stack */
	if (c->obj[c->depth])
		lua_settable(c->L, -3);
	else
		lua_rawseti(c->L, -2, ++c->idx[c->depth]);
}

static int json_lua_tok(void *ctx, const struct jsonread_tok *t)
{
	struct json_lua *c = ctx;
	lua_State *L = c->L;

	switch (t->type) {
	case JSONREAD_T_OBJ:
	case JSONREAD_T_ARR:
		if (c->depth > JSONREAD_MAX_DEPTH)
			return -1;	/* the walker stops before this */
		luaL_checkstack(L, 4, "JSON value");
		lua_newtable(L);
		c->depth++;
		c->obj[c->depth] = t->type == JSONREAD_T_OBJ;
		c->idx[c->depth] = 0;
		return 0;
	case JSONREAD_T_END:
		c->depth--;
		json_lua_store(c);
		return 0;
	case JSONREAD_T_KEY:
		lua_pushlstring(L, t->s, t->len);
		return 0;
	case JSONREAD_T_STR:
		lua_pushlstring(L, t->s, t->len);
		break;
	case JSONREAD_T_INT:
		lua_pushinteger(L, t->i);
		break;
	case JSONREAD_T_UINT:
		lua_pushinteger(L, (lua_Integer)t->u);	/* as TR_V_UINT arguments are */
		break;
	case JSONREAD_T_FLOAT:
		lua_pushnumber(L, t->d);
		break;
	case JSONREAD_T_BOOL:
		lua_pushboolean(L, t->b);
		break;
	case JSONREAD_T_NULL:
		lua_pushnil(L);
		break;
	}
	json_lua_store(c);
	return 0;
}

static void push_json(lua_State *L, const struct tr_arg *a)
{
	struct json_lua c = { .L = L };
	char err[128];
	char *scratch;

	scratch = lua_newuserdatauv(L, (size_t)a->v.raw.len + 1, 0);
	if (jsonread_walk((const char *)a->v.raw.p, a->v.raw.len, scratch, json_lua_tok, &c,
			  err, sizeof(err)))
		luaL_error(L, "argument %s: %s", a->name ? a->name : "?", err);
	lua_remove(L, -2);	/* the scratch buffer */
}

/* e.container.addedCapabilities: a new table of the names, {} while unknown. */
static void push_caps(lua_State *L, const struct container_info *ci)
{
	unsigned int i, n = ci ? ci->nr_cap_add : 0;

	lua_createtable(L, n, 0);
	for (i = 0; i < n; i++) {
		lua_pushstring(L, ci->cap_add[i]);
		lua_rawseti(L, -2, i + 1);
	}
}

/* A sockaddr as Tracee prints it: a table of strings (argfmt.c reads it). */
static void push_sockaddr(lua_State *L, const struct tr_arg *a)
{
	struct sa_view v;

	sa_parse(&v, a->v.raw.p, a->v.raw.len);
	lua_createtable(L, 0, 5);
	if (v.fam < 0)
		return;		/* not even a family */
	lua_pushstring(L, v.family);
	lua_setfield(L, -2, "sa_family");
	if (!v.complete)
		return;
	if (v.fam == AF_UNIX) {
		luaL_Buffer lb;

		luaL_buffinit(L, &lb);
		if (v.abstract)
			luaL_addchar(&lb, '@');
		luaL_addlstring(&lb, v.path, v.path_len);
		luaL_pushresult(&lb);
		lua_setfield(L, -2, "sun_path");
	} else if (v.fam == AF_INET) {
		lua_pushstring(L, v.addr);
		lua_setfield(L, -2, "sin_addr");
		lua_pushstring(L, v.port);
		lua_setfield(L, -2, "sin_port");
	} else if (v.fam == AF_INET6) {
		lua_pushstring(L, v.addr);
		lua_setfield(L, -2, "sin6_addr");
		lua_pushstring(L, v.port);
		lua_setfield(L, -2, "sin6_port");
		lua_pushstring(L, v.flow);
		lua_setfield(L, -2, "sin6_flowinfo");
		lua_pushstring(L, v.scope);
		lua_setfield(L, -2, "sin6_scopeid");
	}
}

static void push_arg(lua_State *L, const struct tr_arg *a)
{
	switch (a->kind) {
	case TR_V_INT:
		lua_pushinteger(L, a->v.i);
		break;
	case TR_V_UINT:
	case TR_V_PTR:
		lua_pushinteger(L, (lua_Integer)a->v.u);
		break;
	case TR_V_BOOL:
		lua_pushboolean(L, a->v.u != 0);
		break;
	case TR_V_STR:
		lua_pushlstring(L, a->v.str.p ? a->v.str.p : "", a->v.str.len);
		break;
	case TR_V_STRARR:
		lua_createtable(L, a->v.arr.count < 64 ? a->v.arr.count : 64, 0);
		strarr_each(a, strarr_push_one, L);
		break;
	case TR_V_SOCKADDR:
		push_sockaddr(L, a);
		break;
	case TR_V_BYTES:
		lua_pushlstring(L, (const char *)a->v.raw.p, a->v.raw.len);
		break;
	case TR_V_INT2:
		lua_createtable(L, 2, 0);
		lua_pushinteger(L, a->v.pair[0]);
		lua_rawseti(L, -2, 1);
		lua_pushinteger(L, a->v.pair[1]);
		lua_rawseti(L, -2, 2);
		break;
	case TR_V_TIMESPEC:
		lua_pushnumber(L, (lua_Number)a->v.ts.sec + (lua_Number)a->v.ts.nsec / 1e9);
		break;
	case TR_V_JSON:
		push_json(L, a);
		break;
	default:
		lua_pushnil(L);
	}
}

/*
 * Strings read during one event are kept for the rest of it: the built-in
 * signatures read e.args.pathname a dozen times per event, and building
 * (hashing) the Lua string once is enough.  Slot i < TR_EVENT_ARGS_MAX is
 * argument i; the others are string fields.  Upvalue 3 is the sequence
 * number each slot was filled for, upvalue 4 the values.  Tables are never
 * cached: a script could change one under another script's feet.
 */
enum { CACHE_COMM = TR_EVENT_ARGS_MAX, CACHE_EVENTNAME, CACHE_NR };

static bool cache_get(lua_State *L, uint64_t seq, int slot)
{
	uint64_t *cs = lua_touserdata(L, lua_upvalueindex(3));

	if (cs[slot] != seq)
		return false;
	lua_rawgeti(L, lua_upvalueindex(4), slot + 1);
	return true;
}

static void cache_put(lua_State *L, uint64_t seq, int slot)
{
	uint64_t *cs = lua_touserdata(L, lua_upvalueindex(3));

	lua_pushvalue(L, -1);
	lua_rawseti(L, lua_upvalueindex(4), slot + 1);
	cs[slot] = seq;
}

static int args_index(lua_State *L, const struct tr_event *ev, uint64_t seq)
{
	const struct tr_arg *a = NULL;

	if (lua_type(L, 2) == LUA_TSTRING) {
		a = tr_event_arg(ev, lua_tostring(L, 2));
	} else if (lua_isinteger(L, 2)) {
		lua_Integer i = lua_tointeger(L, 2);

		if (i >= 1 && i <= ev->nr_args)
			a = &ev->args[i - 1];
	}
	if (!a) {
		lua_pushnil(L);
	} else if (a->kind == TR_V_STR || a->kind == TR_V_BYTES) {
		int slot = a - ev->args;

		if (!cache_get(L, seq, slot)) {
			push_arg(L, a);
			cache_put(L, seq, slot);
		}
	} else {
		push_arg(L, a);
	}
	return 1;
}

static int lev_index(lua_State *L)
{
	enum lev_tag tag;
	struct lev_ref r;
	const struct tr_event *ev = lev_get_ref(L, 1, &tag, &r);
	const struct tr_record_hdr *h = ev->hdr;
	uint64_t seq = r.v >> 3;
	enum lev_field f;

	if (tag == LEV_ARGS)
		return args_index(L, ev, seq);
	lua_pushvalue(L, 2);
	f = lua_rawget(L, lua_upvalueindex(1)) == LUA_TNUMBER ? lua_tointeger(L, -1) : F_NONE;
	lua_pop(L, 1);
	if (f == F_NONE || !lev_field_in(tag, f))
		return luaL_error(L, "%s has no field '%s' (fields are named like the JSON output: "
				  "processName, args.pathname, container.id, ...)",
				  lev_view_names[tag], lua_type(L, 2) == LUA_TSTRING ?
				  lua_tostring(L, 2) : luaL_typename(L, 2));
	switch (f) {
	case F_TIMESTAMP: lua_pushinteger(L, ev->timestamp_ns); break;
	case F_THREADSTART: lua_pushinteger(L, ev->thread_start_ns); break;
	case F_CPU: lua_pushinteger(L, h->cpu); break;
	case F_PID: lua_pushinteger(L, h->pid); break;
	case F_CGROUP: lua_pushinteger(L, (lua_Integer)h->cgroup_id); break;
	case F_TID: lua_pushinteger(L, h->tid); break;
	case F_PPID: lua_pushinteger(L, h->ppid); break;
	case F_HPID: lua_pushinteger(L, h->host_pid); break;
	case F_HTID: lua_pushinteger(L, h->host_tid); break;
	case F_HPPID: lua_pushinteger(L, h->host_ppid); break;
	case F_UID: lua_pushinteger(L, h->uid); break;
	case F_MNTNS: lua_pushinteger(L, h->mnt_ns); break;
	case F_PIDNS: lua_pushinteger(L, h->pid_ns); break;
	case F_COMM:
		if (!cache_get(L, seq, CACHE_COMM)) {
			lua_pushlstring(L, h->comm, comm_len(h->comm, TR_COMM_LEN));
			cache_put(L, seq, CACHE_COMM);
		}
		break;
	case F_HOSTNAME: lua_pushlstring(L, h->uts, comm_len(h->uts, TR_UTS_LEN)); break;
	case F_CONTAINERID:
	case F_C_ID:
		lua_pushstring(L, ev->container_id ? ev->container_id : "");
		break;
	case F_X_PATH: lua_pushstring(L, ev->executable ? ev->executable : ""); break;
	case F_C_NAME: lua_pushstring(L, ev->container ? ev->container->name : ""); break;
	case F_C_IMAGE: lua_pushstring(L, ev->container ? ev->container->image : ""); break;
	case F_C_DIGEST: lua_pushstring(L, ev->container ? ev->container->image_digest : ""); break;
	case F_C_PRIV: lua_pushboolean(L, ev->container && ev->container->privileged); break;
	case F_C_CAPS: push_caps(L, ev->container); break;
	case F_K_POD: lua_pushstring(L, ev->container ? ev->container->pod_name : ""); break;
	case F_K_NS: lua_pushstring(L, ev->container ? ev->container->pod_namespace : ""); break;
	case F_K_UID: lua_pushstring(L, ev->container ? ev->container->pod_uid : ""); break;
	case F_K_SANDBOX: lua_pushboolean(L, ev->container && ev->container->pod_sandbox); break;
	case F_CF_STARTED:
		lua_pushboolean(L, ev->container_id && ev->container_id[0] && ev->container_started);
		break;
	case F_CF_COMPAT: lua_pushboolean(L, (h->flags & TR_F_COMPAT) != 0); break;
	case F_EVENTID: lua_pushfstring(L, "%d", ev_id(ev)); break;
	case F_EVENTNAME:
		if (!cache_get(L, seq, CACHE_EVENTNAME)) {
			lua_pushstring(L, ev_name(ev));
			cache_put(L, seq, CACHE_EVENTNAME);
		}
		break;
	case F_POLICIES: case F_STACK: lua_createtable(L, 0, 0); break;
	case F_ARGSNUM: lua_pushinteger(L, ev->nr_args); break;
	case F_RETVAL: lua_pushinteger(L, h->retval); break;
	case F_SYSCALL: lua_pushstring(L, ev_syscall_name(ev)); break;
	case F_TENTITY: case F_PENTITY: case F_PARENTITY: lua_pushinteger(L, 0); break;
	case F_METADATA: lua_pushnil(L); break;
	case F_JSON: lua_pushvalue(L, lua_upvalueindex(2)); break;
	case F_ARGS: lev_push_part(L, &r, LEV_ARGS); break;
	case F_EXECUTABLE: lev_push_part(L, &r, LEV_EXECUTABLE); break;
	case F_CONTAINER: lev_push_part(L, &r, LEV_CONTAINER); break;
	case F_KUBERNETES: lev_push_part(L, &r, LEV_KUBERNETES); break;
	case F_CTXFLAGS: lev_push_part(L, &r, LEV_CTXFLAGS); break;
	default: lua_pushnil(L);
	}
	return 1;
}

static int lev_newindex(lua_State *L)
{
	return luaL_error(L, "events are read-only (copy the value into a local to change it)");
}

static int lev_len(lua_State *L)
{
	enum lev_tag tag;
	const struct tr_event *ev = lev_get(L, 1, &tag);

	if (tag != LEV_ARGS)
		return luaL_error(L, "%s has no length", lev_view_names[tag]);
	lua_pushinteger(L, ev->nr_args);
	return 1;
}

/* pairs(e.args): name, value in table order. */
static int lev_args_next(lua_State *L)
{
	enum lev_tag tag;
	const struct tr_event *ev = lev_get(L, 1, &tag);
	unsigned int i = 0;

	if (!lua_isnil(L, 2)) {
		const char *k = lua_tostring(L, 2);

		for (i = 0; i < ev->nr_args; i++)
			if (k && ev->args[i].name && !strcmp(ev->args[i].name, k))
				break;
		i++;
	}
	if (i >= ev->nr_args)
		return 0;
	lua_pushstring(L, ev->args[i].name ? ev->args[i].name : "");
	push_arg(L, &ev->args[i]);
	return 2;
}

static int lev_pairs(lua_State *L)
{
	enum lev_tag tag;

	lev_get(L, 1, &tag);
	if (tag != LEV_ARGS)
		return luaL_error(L, "pairs() works on e.args only");
	lua_pushcfunction(L, lev_args_next);
	lua_pushvalue(L, 1);
	lua_pushnil(L);
	return 3;
}

/* ------------------------------------------------------------------ */
/* JSON */

/*
 * One event as the json sink writes it (render_json.c), without the
 * newline, every argument included (envp too): the same bytes a consumer
 * of the output parses.
 */
int lev_json(lua_State *L, const struct tr_event *ev, struct obuf *b)
{
	static const struct output_opts all_args = { .exec_env = true };
	size_t start = b->len;

	(void)L;
	if (!ev->def)
		return -EINVAL;
	output_render_json(b, &all_args, ev);
	if (b->len + 1 > LBUF_MAX) {
		b->len = start;
		b->oom = true;
	}
	lbuf_nul(b);
	return b->oom ? -ENOMEM : 0;
}

static bool is_array(lua_State *L, int idx, lua_Integer *n)
{
	lua_Integer count = 0, max = 0;

	lua_pushnil(L);
	while (lua_next(L, idx)) {
		lua_pop(L, 1);
		if (!lua_isinteger(L, -1) || lua_tointeger(L, -1) < 1) {
			lua_pop(L, 1);
			return false;
		}
		if (lua_tointeger(L, -1) > max)
			max = lua_tointeger(L, -1);
		count++;
	}
	*n = count;
	return count == max;
}

/*
 * A Lua value as JSON: for finding data and tracee.json().  Tables may
 * share subtables, so a small value can stand for an exponential document
 * (a chain of 11 tables each holding the next twice): the values written
 * are counted against LEV_JSON_MAX_VALUES and charged to the running
 * callback's budget, and the depth is bounded.
 */
#define LEV_JSON_MAX_DEPTH	32
#define LEV_JSON_MAX_VALUES	100000
#define LEV_JSON_CHARGE_EVERY	256

struct json_work {
	unsigned long values, uncharged;
};

/* One value more at depth: bounded, and charged to the callback's budget. */
static void work_step(lua_State *L, int depth, struct json_work *w)
{
	if (depth > LEV_JSON_MAX_DEPTH)
		luaL_error(L, "data nested too deeply for JSON (more than %d levels)",
			   LEV_JSON_MAX_DEPTH);
	if (++w->values > LEV_JSON_MAX_VALUES)
		luaL_error(L, "data too large for JSON (more than %d values; shared "
			   "subtables count each time they appear)", LEV_JSON_MAX_VALUES);
	if (++w->uncharged == LEV_JSON_CHARGE_EVERY) {
		lua_engine_charge(L, w->uncharged);
		w->uncharged = 0;
	}
}

static int value_json(lua_State *L, int idx, struct obuf *b, int depth, struct json_work *w)
{
	lua_Integer n, i;
	const char *s;
	size_t len;
	bool first = true;

	idx = lua_absindex(L, idx);
	work_step(L, depth, w);
	switch (lua_type(L, idx)) {
	case LUA_TNIL:
		lbuf_adds(b, "null");
		break;
	case LUA_TBOOLEAN:
		lbuf_adds(b, lua_toboolean(L, idx) ? "true" : "false");
		break;
	case LUA_TNUMBER:
		if (lua_isinteger(L, idx)) {
			lbuf_printf(b, "%lld", (long long)lua_tointeger(L, idx));
		} else {
			lua_Number v = lua_tonumber(L, idx);

			if (v != v || v == (lua_Number)HUGE_VAL || v == -(lua_Number)HUGE_VAL)
				lbuf_adds(b, "null");
			else
				lbuf_printf(b, "%.17g", v);
		}
		break;
	case LUA_TSTRING:
		s = lua_tolstring(L, idx, &len);
		lbuf_json_str(b, s, len);
		break;
	case LUA_TLIGHTUSERDATA:
		return lev_json(L, lev_check(L, idx), b);
	case LUA_TTABLE:
		luaL_checkstack(L, 4, "JSON");
		if (is_array(L, idx, &n) && n > 0) {
			lbuf_add(b, "[", 1);
			for (i = 1; i <= n; i++) {
				if (i > 1)
					lbuf_add(b, ",", 1);
				lua_rawgeti(L, idx, i);
				value_json(L, -1, b, depth + 1, w);
				lua_pop(L, 1);
			}
			lbuf_add(b, "]", 1);
			break;
		}
		lbuf_add(b, "{", 1);
		lua_pushnil(L);
		while (lua_next(L, idx)) {
			if (!first)
				lbuf_add(b, ",", 1);
			first = false;
			lua_pushvalue(L, -2);	/* tostring on a copy: never confuse lua_next */
			s = luaL_tolstring(L, -1, &len);
			lbuf_json_str(b, s, len);
			lua_pop(L, 2);
			lbuf_add(b, ":", 1);
			value_json(L, -1, b, depth + 1, w);
			lua_pop(L, 1);
		}
		lbuf_add(b, "}", 1);
		break;
	default:
		return luaL_error(L, "cannot turn a %s into JSON", luaL_typename(L, idx));
	}
	if (b->oom)
		return luaL_error(L, "JSON text too large");
	return 0;
}

int lev_value_json(lua_State *L, int idx, struct obuf *b)
{
	struct json_work w = { 0 };
	int r = value_json(L, idx, b, 0, &w);

	lua_engine_charge(L, w.uncharged);
	return r;
}

/*
 * The Lua string on top as member text: popped into the anchor table (at
 * stack index anchor) so that it lives as long as the finding; Lua never
 * moves a string, so the pointer holds.
 */
static const char *fdata_anchor(lua_State *L, int anchor, size_t *len)
{
	const char *s = lua_tolstring(L, -1, len);

	lua_rawseti(L, anchor, (lua_Integer)lua_rawlen(L, anchor) + 1);
	return s;
}

/*
 * The value at idx (depth as value_json counts it) as member m: scalars
 * typed, strings kept, a table or an event as its JSON text (rendered in
 * arena, then kept as a string).
 */
static void fdata_value(lua_State *L, int idx, int depth, int anchor, struct obuf *arena,
			struct tr_fdata *m, struct json_work *w)
{
	idx = lua_absindex(L, idx);
	switch (lua_type(L, idx)) {
	case LUA_TBOOLEAN:
		work_step(L, depth, w);
		m->kind = TR_FD_BOOL;
		m->v.b = lua_toboolean(L, idx);
		break;
	case LUA_TNUMBER:
		work_step(L, depth, w);
		if (lua_isinteger(L, idx)) {
			m->kind = TR_FD_INT;
			m->v.i = lua_tointeger(L, idx);
		} else {
			m->v.f = lua_tonumber(L, idx);
			m->kind = isfinite(m->v.f) ? TR_FD_FLOAT : TR_FD_NULL;
		}
		break;
	case LUA_TSTRING:
		work_step(L, depth, w);
		m->kind = TR_FD_STR;
		lua_pushvalue(L, idx);
		m->v.str.p = fdata_anchor(L, anchor, &m->v.str.len);
		break;
	default:
		/* tables, events; anything else raises value_json's error */
		m->kind = TR_FD_JSON;
		lbuf_reset(arena);
		value_json(L, idx, arena, depth, w);
		lua_pushlstring(L, arena->p ? arena->p : "", arena->len);
		m->v.str.p = fdata_anchor(L, anchor, &m->v.str.len);
	}
}

/* A table written as a JSON object (not a non-empty sequence): its fields are the members. */
static bool fdata_is_object(lua_State *L, int idx)
{
	lua_Integer n;

	return lua_type(L, idx) == LUA_TTABLE && !(is_array(L, idx, &n) && n > 0);
}

int lev_finding_data(lua_State *L, int idx, struct obuf *arena, struct tr_fdata **out)
{
	struct json_work w = { 0 };
	struct tr_fdata *m;
	size_t nr = 0, i = 0;
	int anchor;

	idx = lua_absindex(L, idx);
	luaL_checkstack(L, 8, "finding data");
	if (fdata_is_object(L, idx)) {
		lua_pushnil(L);
		while (lua_next(L, idx)) {
			lua_pop(L, 1);
			nr++;
		}
	} else {
		nr = 1;		/* anything else: {"value": it} */
	}
	m = lua_newuserdatauv(L, nr * sizeof(*m) + 1, 0);
	memset(m, 0, nr * sizeof(*m));
	lua_createtable(L, (int)(nr < 65536 ? 2 * nr : 131072), 0);
	anchor = lua_gettop(L);
	if (nr == 1 && !fdata_is_object(L, idx)) {
		m[0].key = "value";
		m[0].key_len = 5;
		fdata_value(L, idx, 0, anchor, arena, &m[0], &w);
		i = 1;
	} else {
		work_step(L, 0, &w);
		lua_pushnil(L);
		while (i < nr && lua_next(L, idx)) {
			lua_pushvalue(L, -2);	/* tostring on a copy: never confuse lua_next */
			luaL_tolstring(L, -1, NULL);
			m[i].key = fdata_anchor(L, anchor, &m[i].key_len);
			lua_pop(L, 1);
			fdata_value(L, -1, 1, anchor, arena, &m[i], &w);
			lua_pop(L, 1);
			i++;
		}
		if (i == nr)
			lua_pop(L, 1);	/* the last key (or the nil): lua_next not called again */
	}
	lua_engine_charge(L, w.uncharged);
	*out = m;
	return (int)i;
}

struct obuf *lua_engine_scratch(struct lua_engine *e);

static int lev_json_method(lua_State *L)
{
	enum lev_tag tag;
	struct lev_ref r;
	const struct tr_event *ev = lev_get_ref(L, 1, &tag, &r);
	struct obuf *b = lua_engine_scratch(r.e);

	if (tag != LEV_EVENT)
		return luaL_argerror(L, 1, "an event expected, got a part of one");
	lbuf_reset(b);
	if (lev_json(L, ev, b))
		return luaL_error(L, "event JSON too large");
	lua_pushlstring(L, b->p, b->len);
	return 1;
}

static int lev_tostring(lua_State *L)
{
	static const struct output_opts all_args = { .exec_env = true };
	enum lev_tag tag;
	struct lev_ref r;
	const struct tr_event *ev = lev_get_ref(L, 1, &tag, &r);
	struct obuf *b = lua_engine_scratch(r.e);
	unsigned int i;

	lbuf_reset(b);
	if (tag != LEV_EVENT) {
		lbuf_printf(b, "%s of %s", lev_view_names[tag], ev_name(ev));
	} else {
		lbuf_printf(b, "%s pid=%u tid=%u uid=%u comm=%.*s ret=%lld", ev_name(ev),
			    ev->hdr->host_pid, ev->hdr->host_tid, ev->hdr->uid,
			    (int)comm_len(ev->hdr->comm, TR_COMM_LEN), ev->hdr->comm,
			    (long long)ev->hdr->retval);
		for (i = 0; i < ev->nr_args; i++) {
			lbuf_printf(b, "%s%s: ", i ? ", " : " ", ev->args[i].name);
			output_render_arg_json(b, &all_args, ev, i);
			lbuf_nul(b);
		}
	}
	lua_pushlstring(L, b->p ? b->p : "", b->len);
	return 1;
}

/* The event metatable, left on the stack. */
static void lev_metatable(lua_State *L)
{
	unsigned int i;

	lua_createtable(L, 0, 8);
	/* __index with upvalues: the field-name table and the json method */
	lua_createtable(L, 0, sizeof(lev_fields) / sizeof(lev_fields[0]));
	for (i = 0; i < sizeof(lev_fields) / sizeof(lev_fields[0]); i++) {
		lua_pushinteger(L, lev_fields[i].f);
		lua_setfield(L, -2, lev_fields[i].name);
	}
	lua_pushcfunction(L, lev_json_method);
	memset(lua_newuserdatauv(L, sizeof(uint64_t) * CACHE_NR, 0), 0xff,
	       sizeof(uint64_t) * CACHE_NR);
	lua_createtable(L, CACHE_NR, 0);
	for (i = 1; i <= CACHE_NR; i++) {
		lua_pushboolean(L, 0);
		lua_rawseti(L, -2, i);
	}
	lua_pushcclosure(L, lev_index, 4);
	lua_setfield(L, -2, "__index");
	lua_pushcfunction(L, lev_newindex);
	lua_setfield(L, -2, "__newindex");
	lua_pushcfunction(L, lev_len);
	lua_setfield(L, -2, "__len");
	lua_pushcfunction(L, lev_pairs);
	lua_setfield(L, -2, "__pairs");
	lua_pushcfunction(L, lev_tostring);
	lua_setfield(L, -2, "__tostring");
	lua_pushliteral(L, "event");
	lua_setfield(L, -2, "__name");
	lua_pushliteral(L, "event");
	lua_setfield(L, -2, "__metatable");
}

/* The engine's own state: events are light userdata, whose one metatable is ours. */
void lev_setup(lua_State *L)
{
	lua_pushlightuserdata(L, NULL);
	lev_metatable(L);
	lua_setmetatable(L, -2);
	lua_pop(L, 1);
}

/* A host state: events are boxes (lev_push_box) with the metatable in the registry. */
void lev_setup_host(lua_State *L)
{
	lev_metatable(L);
	lua_setfield(L, LUA_REGISTRYINDEX, LEV_BOX_MT);
}
