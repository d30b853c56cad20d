// SPDX-License-Identifier: GPL-2.0
/*
 * proctree.c - the process tree (see proctree.h for what it promises).
 *
 * Storage: one array of entries allocated at init (pages are touched only
 * as entries are first used), an open-addressing hash on the host pid
 * (linear probing, backward-shift deletion, load <= 1/2) whose chains hold
 * every entry with that pid (the live one and exited ones in their grace
 * period), and four intrusive lists: free, live (least recently seen
 * first), exited (by exit time) and held (exited, kept for their children).
 * Strings live in the entry (inline) or, when long, in a heap buffer that
 * stays with the entry when it is reused, under a global byte budget: in
 * the steady state nothing is allocated per event.
 *
 * Parent links are (ppid, parent serial): every entry gets a serial number
 * never reused, so a link can dangle (the parent was evicted) but never
 * points at a recycled pid's new process.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "procfs.h"
#include "proctree.h"

#define PT_DEFAULT_MAX		32768
#define PT_MIN_MAX		16
#define PT_DEFAULT_GRACE_NS	(5ULL * 1000000000ULL)
#define PT_INLINE		160		/* exe + argv bytes kept in the entry itself */
#define PT_HEAP_BUDGET		(32ULL << 20)	/* all long strings together */
#define PT_START_SLACK_NS	2000000ULL	/* /proc vs kernel start time rounding */

enum pt_list_id { L_NONE = 0, L_FREE, L_LIVE, L_EXITED, L_HELD, L_NR };

struct pt_entry {
	struct proc_info pi;		/* first: a proc_info pointer is an entry pointer */
	uint64_t serial;		/* unique for the tree's lifetime, never 0 */
	uint64_t parent_serial;		/* 0: parent unknown */
	uint32_t prev, next;		/* links in the list named by list (index, 0 = none) */
	uint32_t nr_children;		/* entries in the tree linked to this one */
	uint8_t list;
	uint32_t heap_cap;
	char *heap;
	char inl[PT_INLINE];
};

struct pt_list {
	uint32_t head, tail, nr;
};

static struct {
	bool ready;
	struct pt_entry *e;		/* [cap + 1], index 0 unused */
	uint32_t cap;
	uint32_t used;			/* entries ever handed out (high-water mark) */
	uint32_t *slots;		/* hash: entry index, 0 = empty */
	uint32_t mask;
	struct pt_list lists[L_NR];
	uint64_t next_serial;
	uint64_t now_ns;		/* latest event time seen */
	uint64_t grace_ns;
	uint64_t tick_ns;		/* one clock tick of /proc/<pid>/stat */
	uint64_t heap_bytes;
	bool recorded_containers;
	char proc_root[PATH_MAX];
	struct container_cache *cc;
	struct proctree_stats st;
	char argv_buf[PROCTREE_ARGV_BYTES];
} T;

/* ------------------------------------------------------------------ */
/* Lists and hash                                                       */
/* ------------------------------------------------------------------ */

static inline struct pt_entry *E(uint32_t idx)
{
	return &T.e[idx];
}

static inline uint32_t IDX(const struct pt_entry *e)
{
	return (uint32_t)(e - T.e);
}

static void list_del(uint32_t idx)
{
	struct pt_entry *e = E(idx);
	struct pt_list *l;

	if (e->list == L_NONE)
		return;
	l = &T.lists[e->list];
	if (e->prev)
		E(e->prev)->next = e->next;
	else
		l->head = e->next;
	if (e->next)
		E(e->next)->prev = e->prev;
	else
		l->tail = e->prev;
	l->nr--;
	e->prev = e->next = 0;
	e->list = L_NONE;
}

static void list_add_tail(uint32_t idx, enum pt_list_id id)
{
	struct pt_entry *e = E(idx);
	struct pt_list *l = &T.lists[id];

	list_del(idx);
	e->list = id;
	e->prev = l->tail;
	e->next = 0;
	if (l->tail)
		E(l->tail)->next = idx;
	else
		l->head = idx;
	l->tail = idx;
	l->nr++;
}

static inline uint32_t pid_hash(uint32_t pid)
{
	return (uint32_t)(((uint64_t)pid * 0x9E3779B97F4A7C15ULL) >> 32) & T.mask;
}

static void hash_add(uint32_t idx)
{
	uint32_t i = pid_hash(E(idx)->pi.pid);

	while (T.slots[i])
		i = (i + 1) & T.mask;
	T.slots[i] = idx;
}

static void hash_del(uint32_t idx)
{
	uint32_t i = pid_hash(E(idx)->pi.pid), j, k;

	while (T.slots[i] && T.slots[i] != idx)
		i = (i + 1) & T.mask;
	if (!T.slots[i])
		return;
	/* Backward shift: move later entries of the run into the hole when allowed. */
	j = i;
	for (;;) {
		j = (j + 1) & T.mask;
		if (!T.slots[j])
			break;
		k = pid_hash(E(T.slots[j])->pi.pid);
		/* Entry at j may move to i unless its home k lies cyclically in (i, j]. */
		if ((j > i && (k <= i || k > j)) || (j < i && k <= i && k > j)) {
			T.slots[i] = T.slots[j];
			i = j;
		}
	}
	T.slots[i] = 0;
}

/* Iterate the entries with this pid: for (i = first(pid, &s); i; i = next(pid, &s)) */
static uint32_t chain_next(uint32_t pid, uint32_t *slot)
{
	while (T.slots[*slot]) {
		uint32_t idx = T.slots[*slot];

		*slot = (*slot + 1) & T.mask;
		if (E(idx)->pi.pid == pid)
			return idx;
	}
	return 0;
}

static uint32_t chain_first(uint32_t pid, uint32_t *slot)
{
	*slot = pid_hash(pid);
	return chain_next(pid, slot);
}

static struct pt_entry *find_live(uint32_t pid)
{
	uint32_t s, i;

	for (i = chain_first(pid, &s); i; i = chain_next(pid, &s))
		if (!(E(i)->pi.flags & PROC_F_EXITED))
			return E(i);
	return NULL;
}

static struct pt_entry *find_serial(uint32_t pid, uint64_t serial)
{
	uint32_t s, i;

	if (!serial)
		return NULL;
	for (i = chain_first(pid, &s); i; i = chain_next(pid, &s))
		if (E(i)->serial == serial)
			return E(i);
	return NULL;
}

/* Is start (exact, from the kernel) the start of entry e? */
static bool start_match(const struct pt_entry *e, uint64_t start)
{
	const struct proc_info *pi = &e->pi;

	if (pi->flags & PROC_F_START_UNKNOWN)
		return false;
	if (pi->flags & PROC_F_START_COARSE)
		return start + PT_START_SLACK_NS >= pi->start_ns &&
		       start < pi->start_ns + T.tick_ns + PT_START_SLACK_NS;
	return pi->start_ns == start;
}

static struct pt_entry *find_key(uint32_t pid, uint64_t start)
{
	uint32_t s, i;

	for (i = chain_first(pid, &s); i; i = chain_next(pid, &s))
		if (start_match(E(i), start))
			return E(i);
	return NULL;
}

/* ------------------------------------------------------------------ */
/* Entries                                                              */
/* ------------------------------------------------------------------ */

static void pt_free(uint32_t idx);

/* An exited entry whose last child left: free it once its grace period is over. */
static void release_parent(struct pt_entry *c)
{
	struct pt_entry *p = find_serial(c->pi.ppid, c->parent_serial);

	if (!p || !p->nr_children)
		return;
	p->nr_children--;
	if (p->nr_children || p->list != L_HELD)
		return;
	/* Goes back with the exited ones; expiry frees it (it is old already). */
	list_add_tail(IDX(p), L_EXITED);
}

static void pt_free(uint32_t idx)
{
	struct pt_entry *e = E(idx);

	if (e->parent_serial)
		release_parent(e);
	hash_del(idx);
	list_add_tail(idx, L_FREE);
}

/* Expire exited entries past their grace period (oldest first). */
static void pt_expire(void)
{
	uint32_t idx;

	while ((idx = T.lists[L_EXITED].head)) {
		struct pt_entry *e = E(idx);

		if (e->pi.exit_ns + T.grace_ns > T.now_ns)
			break;
		if (e->nr_children) {
			list_add_tail(idx, L_HELD);
			continue;
		}
		pt_free(idx);
		T.st.expired++;
	}
}

/*
 * A blank entry, not in the hash nor any list yet.  Makes room when the
 * tree is full: the oldest exited entry, then a held one, then the least
 * recently seen live one.  Any entry pointer held by the caller may be
 * gone afterwards: find it again by serial.
 */
static uint32_t pt_alloc(void)
{
	struct pt_entry *e;
	uint32_t idx;

	if ((idx = T.lists[L_FREE].head)) {
		list_del(idx);
	} else if (T.used < T.cap) {
		idx = ++T.used;
	} else {
		if ((idx = T.lists[L_EXITED].head) || (idx = T.lists[L_HELD].head)) {
			T.st.evictions++;
		} else {
			idx = T.lists[L_LIVE].head;
			T.st.evictions_live++;
		}
		pt_free(idx);
		list_del(idx);
	}
	e = E(idx);
	{
		char *heap = e->heap;
		uint32_t heap_cap = e->heap_cap;

		memset(e, 0, sizeof(*e));
		e->heap = heap;
		e->heap_cap = heap_cap;
	}
	e->serial = ++T.next_serial;
	e->pi.exe = e->inl;
	e->pi.argv = e->inl + 1;
	return idx;
}

/* Put a filled entry into the tree as live (or exited when flagged). */
static void pt_insert(uint32_t idx)
{
	hash_add(idx);
	list_add_tail(idx, E(idx)->pi.flags & PROC_F_EXITED ? L_EXITED : L_LIVE);
}

static void link_parent(struct pt_entry *c, struct pt_entry *p)
{
	if (!p || p == c || c->parent_serial)
		return;
	c->pi.ppid = p->pi.pid;
	c->parent_serial = p->serial;
	p->nr_children++;
}

static void mark_exited(struct pt_entry *e, uint64_t ts)
{
	if (e->pi.flags & PROC_F_EXITED)
		return;
	e->pi.flags |= PROC_F_EXITED;
	e->pi.exit_ns = ts ? ts : 1;
	list_add_tail(IDX(e), L_EXITED);
}

static void touch(struct pt_entry *e)
{
	if (e->list == L_LIVE)
		list_add_tail(IDX(e), L_LIVE);
}

/*
 * Store exe (exe_len bytes) and argv (argv_len bytes: nr NUL-terminated
 * strings) in e.  Inline when they fit, else in the entry's heap buffer,
 * within the global budget; past it they are cut to fit inline (flagged).
 */
static void set_strings(struct pt_entry *e, const char *exe, size_t exe_len,
			const char *argv, size_t argv_len, uint32_t nr_argv)
{
	size_t need = exe_len + 1 + argv_len;
	char *buf = e->inl;

	if (need > PT_INLINE) {
		if (e->heap_cap < need) {
			size_t want = (need + 255) & ~(size_t)255;
			char *n = NULL;

			if (T.heap_bytes - e->heap_cap + want <= PT_HEAP_BUDGET)
				n = realloc(e->heap, want);
			if (n) {
				T.heap_bytes += want - e->heap_cap;
				e->heap = n;
				e->heap_cap = want;
			}
		}
		if (e->heap_cap >= need) {
			buf = e->heap;
		} else {
			/* Over budget: keep what fits inline, whole argv strings only. */
			T.st.str_trunc++;
			if (exe_len > PT_INLINE - 1) {
				exe_len = PT_INLINE - 1;
				e->pi.flags |= PROC_F_EXE_TRUNC;
			}
			while (argv_len && exe_len + 1 + argv_len > PT_INLINE) {
				const char *last = memrchr(argv, '\0', argv_len - 1);

				argv_len = last ? (size_t)(last - argv) + 1 : 0;
				nr_argv--;
				e->pi.flags |= PROC_F_ARGV_TRUNC;
			}
		}
	}
	memcpy(buf, exe, exe_len);
	buf[exe_len] = '\0';
	if (argv_len)
		memcpy(buf + exe_len + 1, argv, argv_len);
	e->pi.exe = buf;
	e->pi.argv = buf + exe_len + 1;
	e->pi.argv_len = argv_len;
	e->pi.nr_argv = nr_argv;
}

static void set_comm(struct pt_entry *e, const char *comm)
{
	size_t n = strnlen(comm, TR_COMM_LEN - 1);

	memcpy(e->pi.comm, comm, n);
	e->pi.comm[n] = '\0';
}

/* Copy what a child inherits from its parent. */
static void inherit(struct pt_entry *c, const struct pt_entry *p)
{
	c->pi.flags |= p->pi.flags & (PROC_F_ARGV_TRUNC | PROC_F_EXE_TRUNC | PROC_F_PARTIAL);
	memcpy(c->pi.container_id, p->pi.container_id, sizeof(c->pi.container_id));
	set_strings(c, p->pi.exe, strlen(p->pi.exe), p->pi.argv, p->pi.argv_len, p->pi.nr_argv);
}

/*
 * The container id after the process's cgroup id changed (or an exec:
 * always).  The cgroup v2 id resolves through the cache; on hosts with v1
 * hierarchies (or when the cache cannot tell) /proc/<pid>/cgroup decides.
 * An unreadable file (the process is gone) keeps what the entry had.
 */
static void resolve_container(struct pt_entry *e, const struct tr_record_hdr *h, bool exec)
{
	char id[CONTAINER_ID_LEN + 1];
	int r;

	if (!exec && (!h->cgroup_id || h->cgroup_id == e->pi.cgroup_id))
		return;
	if (h->cgroup_id)
		e->pi.cgroup_id = h->cgroup_id;
	r = container_cache_lookup(T.cc, h->cgroup_id, (int)h->host_pid, id);
	if (r == 1 || (r == 0 && !container_cache_v1(T.cc))) {
		memcpy(e->pi.container_id, id, sizeof(id));
		return;
	}
	if (container_id_of_pid_at(T.proc_root, (int)h->host_pid, id) >= 0)
		memcpy(e->pi.container_id, id, sizeof(id));
}

/* ------------------------------------------------------------------ */
/* /proc                                                                */
/* ------------------------------------------------------------------ */

/* A process from <proc_root>: procfs.c reads it, cut to what an entry keeps. */
static int proc_read(uint32_t pid, struct procfs_proc *r)
{
	return procfs_read_proc(T.proc_root, pid, PROCTREE_ARGV_BYTES, PROCTREE_ARGV_MAX, r);
}

static void fill_from_proc(struct pt_entry *e, uint32_t pid, const struct procfs_proc *r)
{
	e->pi.pid = pid;
	e->pi.ppid = r->ppid;
	e->pi.start_ns = r->start_ns;
	e->pi.uid = r->uid;
	e->pi.flags |= PROC_F_START_COARSE | (r->argv_trunc ? PROC_F_ARGV_TRUNC : 0);
	set_comm(e, r->comm);
	memcpy(e->pi.container_id, r->container_id, sizeof(e->pi.container_id));
	set_strings(e, r->exe, r->exe_len, r->argv, r->argv_len, r->nr_argv);
}

/* ------------------------------------------------------------------ */
/* Events                                                               */
/* ------------------------------------------------------------------ */

static bool arg_u64(const struct tr_event *ev, const char *name, uint64_t *v)
{
	const struct tr_arg *a = tr_event_arg(ev, name);

	if (!a)
		return false;
	switch (a->kind) {
	case TR_V_INT:
		*v = (uint64_t)a->v.i;
		return true;
	case TR_V_UINT:
	case TR_V_PTR:
	case TR_V_BOOL:
		*v = a->v.u;
		return true;
	default:
		return false;
	}
}

static const struct tr_str *arg_str(const struct tr_event *ev, const char *name)
{
	const struct tr_arg *a = tr_event_arg(ev, name);

	return a && a->kind == TR_V_STR ? &a->v.str : NULL;
}

/* The parent to link a new entry to: the live ppid, if it is older than the child. */
static struct pt_entry *plausible_parent(uint32_t ppid, const struct pt_entry *c)
{
	struct pt_entry *p = ppid ? find_live(ppid) : NULL;

	if (!p || p == c)
		return NULL;
	if (!(c->pi.flags & PROC_F_START_UNKNOWN) && !(p->pi.flags & PROC_F_START_UNKNOWN) &&
	    p->pi.start_ns > c->pi.start_ns + T.tick_ns + PT_START_SLACK_NS)
		return NULL;	/* that pid is a newer process: ours is gone */
	return p;
}

/*
 * A process seen for the first time in an event's context: read it from
 * /proc when it is there (and is the same process), else build it from the
 * header alone (PROC_F_PARTIAL).
 */
static struct pt_entry *pt_new_from_hdr(const struct tr_record_hdr *h, bool start_known)
{
	struct procfs_proc *r = NULL;
	struct pt_entry *e;
	uint32_t idx;
	bool from_proc = false;

	r = malloc(sizeof(*r));	/* only for processes never seen: not the steady state */
	if (r && !proc_read(h->host_pid, r)) {
		if (start_known)
			from_proc = r->start_ns <= h->start_time + PT_START_SLACK_NS &&
				    h->start_time < r->start_ns + T.tick_ns + PT_START_SLACK_NS;
		else
			from_proc = r->start_ns <= h->ts + PT_START_SLACK_NS;
	}
	idx = pt_alloc();
	e = E(idx);
	if (from_proc) {
		fill_from_proc(e, h->host_pid, r);
		T.st.proc_reads++;
	} else {
		e->pi.pid = h->host_pid;
		e->pi.ppid = h->host_ppid;
		e->pi.uid = h->uid;
		e->pi.flags |= PROC_F_PARTIAL;
		set_comm(e, h->comm);
	}
	free(r);
	if (start_known) {
		e->pi.start_ns = h->start_time;
		e->pi.flags &= ~PROC_F_START_COARSE;
	} else if (!from_proc) {
		e->pi.flags |= PROC_F_START_UNKNOWN;
	}
	pt_insert(idx);
	link_parent(e, plausible_parent(e->pi.ppid, e));
	if (!from_proc)
		resolve_container(e, h, true);
	else
		e->pi.cgroup_id = h->cgroup_id;
	return e;
}

/*
 * The process an event comes from.  With the leader's start time (tid ==
 * pid) the key is exact: a live entry with another, older start is a
 * process whose exit we missed (replaced); an event older than the live
 * process belongs to one that is gone (NULL unless still in the tree).
 */
static struct pt_entry *pt_ctx_entry(const struct tr_record_hdr *h)
{
	bool known = h->host_tid == h->host_pid && h->start_time;
	struct pt_entry *e;

	if (!h->host_pid)
		return NULL;	/* the idle task */
	if (known && (e = find_key(h->host_pid, h->start_time)))
		return e;
	e = find_live(h->host_pid);
	if (e && (!known || (e->pi.flags & PROC_F_START_UNKNOWN))) {
		if (known) {
			e->pi.start_ns = h->start_time;
			e->pi.flags &= ~PROC_F_START_UNKNOWN;
		}
		return e;
	}
	if (e) {
		if (h->start_time < e->pi.start_ns)
			return NULL;	/* a late event of a process no longer in the tree */
		mark_exited(e, h->start_time);
		T.st.stale++;
	}
	return pt_new_from_hdr(h, known);
}

/* What every event tells about its process: uid, comm (leader only), cgroup. */
static void pt_refresh(struct pt_entry *e, const struct tr_record_hdr *h)
{
	if (e->pi.flags & PROC_F_EXITED)
		return;
	touch(e);
	e->pi.uid = h->uid;
	if (h->host_tid == h->host_pid && strncmp(e->pi.comm, h->comm, TR_COMM_LEN - 1))
		set_comm(e, h->comm);
	resolve_container(e, h, false);
}

static struct pt_entry *pt_fork(const struct tr_event *ev)
{
	const struct tr_record_hdr *h = ev->hdr;
	uint64_t parent_pid = h->host_pid, child_pid = 0, start = 0;
	struct pt_entry *p, *c, *stale;
	uint64_t pserial;
	uint32_t idx;

	arg_u64(ev, "parent_pid", &parent_pid);
	arg_u64(ev, "start_time", &start);
	if (!arg_u64(ev, "child_pid", &child_pid) || !child_pid)
		return pt_ctx_entry(h);
	p = parent_pid == h->host_pid ? pt_ctx_entry(h) : find_live(parent_pid);
	if (p)
		pt_refresh(p, h);
	if (child_pid == parent_pid)
		return p;	/* a new thread, not a new process */

	/* Already known: seeded meanwhile, or its exec/exit came first. */
	if (start && (c = find_key(child_pid, start))) {
		if (p && !c->parent_serial) {
			link_parent(c, p);
			if (c->pi.flags & PROC_F_PARTIAL && !(c->pi.flags & PROC_F_EXEC_SEEN)) {
				c->pi.flags &= ~PROC_F_PARTIAL;
				inherit(c, p);
			}
		}
		return p;
	}

	/* Seen before from a thread's event with no start time: this is it. */
	c = find_live(child_pid);
	if (c && c->pi.flags & PROC_F_START_UNKNOWN && start) {
		c->pi.start_ns = start;
		c->pi.flags &= ~PROC_F_START_UNKNOWN;
		link_parent(c, p);
		return p;
	}

	pserial = p ? p->serial : 0;
	idx = pt_alloc();
	p = pserial ? find_serial(parent_pid, pserial) : NULL;
	stale = find_live(child_pid);
	if (stale) {
		mark_exited(stale, start);
		T.st.stale++;
	}
	c = E(idx);
	c->pi.pid = child_pid;
	c->pi.ppid = parent_pid;
	c->pi.uid = h->uid;
	c->pi.cgroup_id = h->cgroup_id;
	c->pi.start_ns = start;
	if (!start)
		c->pi.flags |= PROC_F_START_UNKNOWN;
	set_comm(c, h->comm);	/* the forking thread's comm */
	if (p)
		inherit(c, p);
	else
		c->pi.flags |= PROC_F_PARTIAL;
	pt_insert(idx);
	link_parent(c, p);
	return p;
}

/* argv from the wire layout (u32 len + bytes, repeated) into T.argv_buf. */
static size_t argv_from_event(const struct tr_arg *a, uint32_t *nr, bool *trunc)
{
	const uint8_t *p, *end;
	size_t out = 0;
	uint32_t i;

	*nr = 0;
	*trunc = false;
	if (!a || a->kind != TR_V_STRARR || !a->v.arr.p)
		return 0;
	*trunc = a->v.arr.trunc;
	p = a->v.arr.p;
	end = p + a->v.arr.sz;
	for (i = 0; i < a->v.arr.count; i++) {
		uint32_t len;
		const char *s;

		if (end - p < 4)
			break;
		memcpy(&len, p, sizeof(len));
		p += 4;
		if (len & TR_LEN_TRUNC)
			*trunc = true;
		len &= ~TR_LEN_TRUNC;
		if (len > (size_t)(end - p))
			break;
		s = (const char *)p;
		p += len;
		if (memchr(s, '\0', len))
			len = strnlen(s, len);
		if (*nr >= PROCTREE_ARGV_MAX || out + len + 1 > sizeof(T.argv_buf)) {
			*trunc = true;
			break;
		}
		memcpy(T.argv_buf + out, s, len);
		out += len;
		T.argv_buf[out++] = '\0';
		(*nr)++;
	}
	if (i < a->v.arr.count)
		*trunc = true;
	return out;
}

static struct pt_entry *pt_exec(const struct tr_event *ev)
{
	const struct tr_record_hdr *h = ev->hdr;
	const struct tr_str *path = arg_str(ev, "pathname");
	struct pt_entry *e;
	size_t argv_len;
	uint32_t nr;
	bool trunc;

	e = pt_ctx_entry(h);
	if (!e)
		return NULL;
	if (e->pi.exec_ns > h->ts)
		return e;	/* a newer exec is already applied */
	if (!path || !path->len)
		path = arg_str(ev, "cmdpath");
	argv_len = argv_from_event(tr_event_arg(ev, "argv"), &nr, &trunc);
	e->pi.flags &= ~(PROC_F_PARTIAL | PROC_F_ARGV_TRUNC | PROC_F_EXE_TRUNC);
	if (trunc)
		e->pi.flags |= PROC_F_ARGV_TRUNC;
	set_strings(e, path ? path->p : "", path ? strnlen(path->p, path->len) : 0,
		    T.argv_buf, argv_len, nr);
	e->pi.flags |= PROC_F_EXEC_SEEN;
	e->pi.exec_ns = h->ts;
	e->pi.uid = h->uid;
	set_comm(e, h->comm);
	touch(e);
	resolve_container(e, h, true);
	return e;
}

static struct pt_entry *pt_exit(const struct tr_event *ev)
{
	const struct tr_record_hdr *h = ev->hdr;
	uint64_t group = h->host_tid == h->host_pid, code = 0;
	struct pt_entry *e;

	arg_u64(ev, "process_group_exit", &group);
	arg_u64(ev, "exit_code", &code);
	e = pt_ctx_entry(h);
	if (!e || !group)
		return e;
	if (!(e->pi.flags & PROC_F_EXITED)) {
		e->pi.exit_code = (int32_t)code;
		mark_exited(e, h->ts);
	}
	return e;
}

/* ------------------------------------------------------------------ */
/* API                                                                  */
/* ------------------------------------------------------------------ */

int proctree_init(const struct proctree_opts *opts)
{
	struct proctree_opts o = { 0 };
	uint32_t size = 16;
	long hz;

	if (T.ready)
		return -EBUSY;
	if (opts)
		o = *opts;
	memset(&T, 0, sizeof(T));
	T.cap = o.max_entries ? o.max_entries : PT_DEFAULT_MAX;
	if (T.cap < PT_MIN_MAX)
		T.cap = PT_MIN_MAX;
	if (T.cap > (1u << 24))
		T.cap = 1u << 24;
	T.grace_ns = o.grace_ns ? o.grace_ns : PT_DEFAULT_GRACE_NS;
	T.recorded_containers = o.recorded_containers;
	snprintf(T.proc_root, sizeof(T.proc_root), "%s", o.proc_root ? o.proc_root : "/proc");
	hz = sysconf(_SC_CLK_TCK);
	T.tick_ns = 1000000000ULL / (hz > 0 ? (uint64_t)hz : 100);
	while (size < 2 * T.cap)
		size <<= 1;
	T.mask = size - 1;
	T.slots = calloc(size, sizeof(*T.slots));
	T.e = calloc((size_t)T.cap + 1, sizeof(*T.e));
	T.cc = container_cache_new(o.cgroup2_root, T.proc_root, 0);
	if (!T.slots || !T.e || !T.cc) {
		container_cache_free(T.cc);
		free(T.e);
		free(T.slots);
		memset(&T, 0, sizeof(T));
		return -ENOMEM;
	}
	T.ready = true;
	return 0;
}

void proctree_fini(void)
{
	uint32_t i;

	if (!T.ready)
		return;
	for (i = 1; i <= T.used; i++)
		free(T.e[i].heap);
	container_cache_free(T.cc);
	free(T.e);
	free(T.slots);
	memset(&T, 0, sizeof(T));
}

int proctree_seed(void)
{
	struct procfs_proc *r;
	struct dirent *de;
	uint32_t idx;
	int added = 0;
	DIR *d;

	if (!T.ready)
		return -EINVAL;
	d = opendir(T.proc_root);
	if (!d)
		return -errno;
	r = malloc(sizeof(*r));
	if (!r) {
		closedir(d);
		return -ENOMEM;
	}
	while ((de = readdir(d))) {
		char *end;
		unsigned long pid = strtoul(de->d_name, &end, 10);

		if (!isdigit((unsigned char)de->d_name[0]) || *end || !pid || pid > UINT32_MAX)
			continue;
		if (find_live(pid))
			continue;	/* already known from an event */
		if (T.lists[L_LIVE].nr >= T.cap)
			break;		/* full: the rest is read on first sight */
		if (proc_read(pid, r))
			continue;	/* gone meanwhile */
		idx = pt_alloc();
		fill_from_proc(E(idx), pid, r);
		E(idx)->pi.flags |= PROC_F_SEEDED;
		pt_insert(idx);
		added++;
	}
	free(r);
	closedir(d);

	/* Link each seeded process to its parent. */
	for (idx = T.lists[L_LIVE].head; idx; idx = E(idx)->next) {
		struct pt_entry *e = E(idx);

		if (!e->parent_serial)
			link_parent(e, plausible_parent(e->pi.ppid, e));
	}
	T.st.seeded += added;
	return added;
}

void proctree_foreach_live(void (*cb)(void *ctx, const struct proc_info *pi), void *ctx)
{
	uint32_t idx;

	if (!T.ready)
		return;
	for (idx = T.lists[L_LIVE].head; idx; idx = E(idx)->next)
		cb(ctx, &E(idx)->pi);
}

const struct proc_info *proctree_update(const struct tr_event *ev)
{
	const struct tr_record_hdr *h;
	struct pt_entry *e;

	if (!T.ready || !ev || !ev->hdr)
		return NULL;
	h = ev->hdr;
	if (h->ts > T.now_ns)
		T.now_ns = h->ts;
	pt_expire();
	switch (h->event_id) {
	case TR_EV_SCHED_PROCESS_FORK:
		e = pt_fork(ev);
		break;
	case TR_EV_SCHED_PROCESS_EXEC:
		e = pt_exec(ev);
		break;
	case TR_EV_SCHED_PROCESS_EXIT:
		e = pt_exit(ev);
		break;
	default:
		e = pt_ctx_entry(h);
		if (e)
			pt_refresh(e, h);
		break;
	}
	/* a replay: cgroups and /proc are not the recording's, its events are */
	if (e && T.recorded_containers && ev->container_id && ev->container_id[0])
		snprintf(e->pi.container_id, sizeof(e->pi.container_id), "%s", ev->container_id);
	return e ? &e->pi : NULL;
}

void proctree_enrich(struct tr_event *ev, const struct proc_info *pi)
{
	ev->container_id = pi ? pi->container_id : "";
	ev->executable = pi && pi->exe ? pi->exe : "";
}

const struct proc_info *proctree_lookup(uint32_t host_pid)
{
	struct pt_entry *best = NULL;
	uint32_t s, i;

	if (!T.ready)
		return NULL;
	for (i = chain_first(host_pid, &s); i; i = chain_next(host_pid, &s)) {
		struct pt_entry *e = E(i);

		if (!(e->pi.flags & PROC_F_EXITED))
			return &e->pi;
		if (!best || e->pi.exit_ns > best->pi.exit_ns)
			best = e;
	}
	return best ? &best->pi : NULL;
}

const struct proc_info *proctree_lookup_at(uint32_t host_pid, uint64_t ts_ns)
{
	struct pt_entry *best = NULL;
	uint32_t s, i;

	if (!T.ready)
		return NULL;
	for (i = chain_first(host_pid, &s); i; i = chain_next(host_pid, &s)) {
		struct pt_entry *e = E(i);
		const struct proc_info *pi = &e->pi;

		if (!(pi->flags & PROC_F_START_UNKNOWN) && pi->start_ns > ts_ns + PT_START_SLACK_NS)
			continue;	/* started after ts */
		if ((pi->flags & PROC_F_EXITED) && pi->exit_ns < ts_ns)
			continue;	/* gone before ts */
		if (!best || pi->start_ns > best->pi.start_ns)
			best = e;
	}
	return best ? &best->pi : NULL;
}

const struct proc_info *proctree_parent(const struct proc_info *pi)
{
	const struct pt_entry *c = (const struct pt_entry *)pi;
	struct pt_entry *p;

	if (!T.ready || !pi)
		return NULL;
	if (c->parent_serial)
		p = find_serial(pi->ppid, c->parent_serial);
	else
		p = plausible_parent(pi->ppid, c);
	return p ? &p->pi : NULL;
}

int proctree_ancestors(uint32_t host_pid, const struct proc_info **out, unsigned int max)
{
	const struct proc_info *pi = proctree_lookup(host_pid);
	unsigned int n = 0;

	while (pi && n < max) {
		pi = proctree_parent(pi);
		if (!pi)
			break;
		out[n++] = pi;
	}
	return (int)n;
}

void proctree_stats(struct proctree_stats *st)
{
	*st = T.st;
	st->capacity = T.cap;
	st->live = T.lists[L_LIVE].nr;
	st->entries = T.lists[L_LIVE].nr + T.lists[L_EXITED].nr + T.lists[L_HELD].nr;
}

struct container_cache *proctree_containers(void)
{
	return T.ready ? T.cc : NULL;
}
