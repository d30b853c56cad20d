// SPDX-License-Identifier: GPL-2.0
/*
 * filter_container.c - the container=VALUE and container!=VALUE scopes:
 * their values, the verdict on one event, and the events held back while a
 * container's name is not known yet.
 *
 * Where each value is matched: in user space, on the id the process tree
 * found in the event's cgroup path (ev->container_id) and the name the
 * runtime answered (ev->container).  Not in the kernel: a container made
 * after tracee started has a cgroup id nobody knows before its first
 * events, and its name is known only once the runtime answered, long after
 * runc's first steps in it; a kernel-side list filled late would drop those
 * events.  The cost is that events out of this scope cross the ring buffer
 * (counted as filtered in user space).
 *
 * An event of a container whose name is not known yet, under a scope that
 * names containers, waits here (a copy of its record, at most HOLD_MAX
 * records and HOLD_BYTES bytes) until the runtime answered or gave up
 * (runtime_settled()); then it is decided like any other.  So no event of
 * a named container is missed and none of another container slips through
 * before the name is known.  Held events are delivered after the events of
 * other containers that came meanwhile.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode.h"
#include "filter.h"
#include "filter_priv.h"
#include "log.h"
#include "runtime.h"

#define HOLD_MAX	65536
#define HOLD_BYTES	(64u << 20)

/* One record held back, with what the tree said of it when it came. */
struct filter_held {
	struct filter_held *next;
	char id[CONTAINER_ID_LEN + 1];
	bool started;
	uint64_t leader_start_ns, parent_start_ns;
	char *exe;
	size_t sz;
	uint64_t rec[];		/* 8-byte aligned, as decode_record() wants it */
};

struct filter_hold {
	struct filter_held *head, **tail;
	unsigned int nr;
	size_t bytes;
	uint64_t dropped;
	bool warned;
};

static bool is_hex(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!isxdigit((unsigned char)s[i]))
			return false;
	return n > 0;
}

/* The names docker and podman accept: [a-zA-Z0-9][a-zA-Z0-9_.-]+ */
static bool is_name(const char *s, size_t n)
{
	size_t i;

	if (n < 2 || n >= sizeof(((struct container_info *)0)->name) ||
	    !isalnum((unsigned char)s[0]))
		return false;
	for (i = 1; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '_' && s[i] != '.' && s[i] != '-')
			return false;
	return true;
}

int filter_parse_container(struct filter *f, bool ne, const char *vals, const char *expr,
			   char *err, size_t errlen)
{
	const char *pos = vals, *v;
	unsigned int group = f->nr_cgroups, n = f->nr_conts;
	size_t vlen;

	while (pos) {
		struct filter_container *c;
		size_t i;

		v = pos;
		vlen = strcspn(pos, ",");
		pos = pos[vlen] ? pos + vlen + 1 : NULL;
		if (vlen == 3 && !strncmp(v, "new", 3)) {
			tr_seterr(err, errlen,
				  "'new' in '%s' stands alone: use container=new, and container=ID,NAME in another --scope",
				  expr);
			return -EINVAL;
		}
		if (n == FILTER_MAX_CONTAINERS) {
			tr_seterr(err, errlen, "too many containers in '%s' (at most %d in all)",
				  expr, FILTER_MAX_CONTAINERS);
			return -EINVAL;
		}
		c = &f->conts[n];
		memset(c, 0, sizeof(*c));
		c->ne = ne;
		c->group = group;
		if (vlen >= 12 && vlen <= CONTAINER_ID_LEN && is_hex(v, vlen)) {
			/* ids are printed in lower case; accept what a user pasted */
			for (i = 0; i < vlen; i++)
				c->val[i] = tolower((unsigned char)v[i]);
			c->kind = vlen == CONTAINER_ID_LEN ? FILTER_C_ID : FILTER_C_PREFIX;
		} else if (is_name(v, vlen)) {
			memcpy(c->val, v, vlen);
			c->kind = FILTER_C_NAME;
		} else {
			tr_seterr(err, errlen,
				  "'%.*s' in '%s' is no container id (12 to 64 hex digits) nor name ([a-zA-Z0-9][a-zA-Z0-9_.-]+)",
				  (int)vlen, v, expr);
			return -EINVAL;
		}
		c->val[vlen] = '\0';
		n++;
	}
	f->nr_conts = n;
	if (!ne)
		f->nr_cgroups++;
	return 0;
}

bool filter_container_names(const struct filter *f)
{
	unsigned int i;

	for (i = 0; f && i < f->nr_conts; i++)
		if (f->conts[i].kind == FILTER_C_NAME)
			return true;
	return false;
}

/* 1 the value matches, 0 it does not, -1 cannot say yet (the name is not known). */
static int match(const struct filter_container *c, const char *id, struct runtime_entry *e,
		 const struct container_info *ci)
{
	if (!id[0])
		return 0;	/* the host */
	switch (c->kind) {
	case FILTER_C_ID:
		return !strcmp(id, c->val);
	case FILTER_C_PREFIX:
		return !strncmp(id, c->val, strlen(c->val));
	case FILTER_C_NAME:
		if (ci && ci->name[0])
			return !strcmp(ci->name, c->val);
		/* no entry: the registry is full or absent, no name will come */
		return e && !runtime_settled(e) ? -1 : 0;
	}
	return 0;
}

enum filter_verdict filter_container_check(const struct filter *f, const struct tr_event *ev)
{
	const struct container_info *ci = ev->container;
	const char *id = ev->container_id ? ev->container_id : "";
	struct runtime_entry *e = NULL;
	uint64_t hit = 0, unsure = 0;
	bool hold = false;
	unsigned int i;

	if (!f || !f->nr_conts)
		return FILTER_PASS;
	/* the lifecycle events (container_create...) are the container's they name */
	if (!id[0] && ev->def) {
		const struct tr_arg *a = tr_event_arg(ev, "container_id");

		if (a && a->kind == TR_V_STR && a->v.str.len == CONTAINER_ID_LEN) {
			static char lid[CONTAINER_ID_LEN + 1];

			memcpy(lid, a->v.str.p, CONTAINER_ID_LEN);
			lid[CONTAINER_ID_LEN] = '\0';
			id = lid;
		}
	}
	if (id[0] && filter_container_names(f)) {
		e = runtime_find(id);
		if (e && !ci)
			ci = runtime_info(e);
	}
	for (i = 0; i < f->nr_conts; i++) {
		const struct filter_container *c = &f->conts[i];
		int m = match(c, id, e, ci);

		if (c->ne) {
			if (m == 1)
				return FILTER_DROP;
			hold |= m < 0;
		} else if (m == 1) {
			hit |= 1ULL << c->group;
		} else if (m < 0) {
			unsure |= 1ULL << c->group;
		}
	}
	for (i = 0; i < f->nr_cgroups; i++) {
		if (hit & (1ULL << i))
			continue;
		if (!(unsure & (1ULL << i)))
			return FILTER_DROP;
		hold = true;
	}
	return hold ? FILTER_HOLD : FILTER_PASS;
}

static void drop_oldest(struct filter_hold *h)
{
	struct filter_held *x = h->head;

	h->head = x->next;
	if (!h->head)
		h->tail = &h->head;
	h->nr--;
	h->bytes -= x->sz;
	h->dropped++;
	free(x->exe);
	free(x);
}

int filter_container_hold(struct filter *f, const void *rec, size_t sz, const struct tr_event *ev)
{
	struct filter_hold *h = f->hold;
	struct filter_held *x;

	if (!h) {
		h = calloc(1, sizeof(*h));
		if (!h)
			return -ENOMEM;
		h->tail = &h->head;
		f->hold = h;
	}
	if (sz > HOLD_BYTES)
		return -E2BIG;
	/* Bounded: the oldest goes (counted), the newest is the likelier to matter. */
	while (h->head && (h->nr >= HOLD_MAX || h->bytes + sz > HOLD_BYTES)) {
		drop_oldest(h);
		if (!h->warned) {
			h->warned = true;
			tr_err("container scope: more than %d events (%u MiB) wait for a runtime's answer; the oldest are dropped",
				HOLD_MAX, HOLD_BYTES >> 20);
		}
	}
	x = malloc(sizeof(*x) + sz);
	if (!x)
		return -ENOMEM;
	memset(x, 0, sizeof(*x));
	x->exe = strdup(ev->executable ? ev->executable : "");
	if (!x->exe) {
		free(x);
		return -ENOMEM;
	}
	snprintf(x->id, sizeof(x->id), "%s", ev->container_id ? ev->container_id : "");
	x->started = ev->container_started;
	x->leader_start_ns = ev->leader_start_ns;
	x->parent_start_ns = ev->parent_start_ns;
	x->sz = sz;
	memcpy(x->rec, rec, sz);
	*h->tail = x;
	h->tail = &x->next;
	h->nr++;
	h->bytes += sz;
	return 0;
}

unsigned int filter_container_release(struct filter *f, bool all, filter_deliver_cb cb, void *ctx)
{
	struct filter_hold *h = f ? f->hold : NULL;
	struct filter_held **pp, *x;
	unsigned int dropped = 0;

	if (!h)
		return 0;
	dropped = h->dropped;
	h->dropped = 0;
	pp = &h->head;
	while ((x = *pp)) {
		struct runtime_entry *e = runtime_find(x->id);
		enum filter_verdict v = FILTER_DROP;
		struct tr_event ev;

		if (!all && e && !runtime_settled(e)) {
			pp = &x->next;
			continue;
		}
		if (!decode_record(x->rec, x->sz, &ev)) {
			/* what the first pass found, not what the tree says now */
			ev.container_id = x->id;
			ev.executable = x->exe;
			ev.container_started = x->started;
			ev.leader_start_ns = x->leader_start_ns;
			ev.parent_start_ns = x->parent_start_ns;
			ev.container = e ? runtime_info(e) : NULL;
			v = filter_container_check(f, &ev);
			if (v == FILTER_PASS)
				cb(ctx, &ev);
		}
		if (v != FILTER_PASS)
			dropped++;
		*pp = x->next;
		if (!*pp)
			h->tail = pp;
		h->nr--;
		h->bytes -= x->sz;
		free(x->exe);
		free(x);
	}
	return dropped;
}

unsigned int filter_container_held(const struct filter *f)
{
	return f && f->hold ? f->hold->nr : 0;
}

void filter_container_fini(struct filter *f)
{
	struct filter_held *x;

	if (!f || !f->hold)
		return;
	while ((x = f->hold->head)) {
		f->hold->head = x->next;
		free(x->exe);
		free(x);
	}
	free(f->hold);
	f->hold = NULL;
}
