// SPDX-License-Identifier: GPL-2.0
/*
 * pathdfa.c - globs to the automaton of the kernel pathname prefilter.
 *
 * Why an automaton: the prefilter runs at every open on the machine, and the
 * default rules watch well over a hundred kinds of paths (files, directories,
 * file names anywhere, /proc/<pid>/ files, a directory anywhere).  Testing
 * patterns one after the other costs an open time in proportion to their
 * number; one deterministic automaton costs one table step per byte of the
 * path, whatever the number of globs, and it matches the globs themselves
 * (prefix, suffix, prefix and suffix, "a directory named .ssh anywhere")
 * instead of a reduction of them.
 *
 * How: the globs, taken together, are a nondeterministic automaton whose
 * states are positions in the globs (glob g has read j bytes).  The subset
 * construction turns it into a deterministic one, one row per set of
 * positions reachable by some path prefix.  Two sets are special and cut
 * the walk short in the kernel: the empty set (TR_PF_DEAD: drop) and any set
 * holding a position followed only by '*' (TR_PF_ALL: keep).  Bytes that no
 * glob names share one class, so a row has one entry per class (at most
 * TR_PF_NCLASS) instead of 256.
 *
 * Bounds: a union of anchored globs is a trie and a union of "*S" globs an
 * Aho-Corasick automaton, both about as many rows as the globs have bytes;
 * only globs with several parts (a*b*c) multiply rows.  When the rows
 * exceed the limit, every glob is cut to one literal part (its start, else
 * its end, else its longest inner part), and when the globs use more
 * distinct bytes than there are classes, bytes share classes: either way
 * the automaton keeps every path a glob matches, and lets some more
 * through, which the consumers' own checks in user space then drop.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "pathdfa.h"

enum { POS_END, POS_STAR, POS_LIT };

/* The positions of every glob, numbered glob after glob. */
struct nfa {
	unsigned int nr_pos;
	uint8_t *kind;		/* POS_* */
	uint8_t *cls;		/* POS_LIT: the class of its byte */
	uint8_t *open_end;	/* only '*' from here to the end: any path goes on matching */
};

/* The subset construction's state: the sets seen so far, by hash. */
struct builder {
	struct pathdfa *d;
	const struct nfa *nfa;
	unsigned int max_states;
	uint32_t *pool;		/* the sets, sorted, back to back */
	size_t pool_len, pool_cap;
	size_t *set_off;	/* per row: where its set starts in pool */
	unsigned int *set_len;
	unsigned int *table;	/* open addressing: row + 1, 0 empty */
	unsigned int table_sz;	/* a power of two, > 2 * max_states */
	uint32_t *list;		/* the set being built */
	unsigned int nr_list;
	uint32_t *seen;		/* per position: the generation that added it */
	uint32_t gen;
};

static char **reduce_globs(const char *const *globs, unsigned int n, enum pathdfa_level level)
{
	char **out = calloc(n ? n : 1, sizeof(*out));
	unsigned int i;

	if (!out)
		return NULL;
	for (i = 0; i < n; i++) {
		const char *g = globs[i], *first = strchr(g, '*'), *last = strrchr(g, '*');
		const char *best = NULL, *p, *q;
		size_t blen = 0, len = strlen(g);
		char *r = malloc(len + 3), *w;

		if (!r)
			goto fail;
		out[i] = r;
		if (level == PATHDFA_EXACT || !first) {
			/* as given, runs of '*' folded: they match what one does */
			for (w = r, p = g; *p; p++)
				if (*p != '*' || w == r || w[-1] != '*')
					*w++ = *p;
			*w = '\0';
			continue;
		}
		if (first > g) {			/* P*: its start */
			memcpy(r, g, first - g);
			strcpy(r + (first - g), "*");
		} else if (last[1]) {			/* *S: its end */
			strcpy(r, last);
		} else {				/* *M*: its longest inner part */
			for (p = first; p < last; p = q) {
				q = strchr(p + 1, '*');
				if ((size_t)(q - p - 1) > blen) {
					best = p + 1;
					blen = q - p - 1;
				}
			}
			r[0] = '*';
			memcpy(r + 1, best ? best : "", blen);
			strcpy(r + 1 + blen, blen ? "*" : "");
		}
	}
	return out;
fail:
	while (i--)
		free(out[i]);
	free(out);
	return NULL;
}

static void free_globs(char **g, unsigned int n)
{
	unsigned int i;

	for (i = 0; g && i < n; i++)
		free(g[i]);
	free(g);
}

/*
 * Byte classes: bytes named by no glob share class 1, each named byte has
 * its own; with more named bytes than classes, bytes share classes by value
 * (a superset: a glob's byte then also matches the others of its class).
 */
static void assign_classes(struct pathdfa *d, char *const *globs, unsigned int n)
{
	bool named[256] = { false };
	unsigned int i, nr = 0;
	const char *p;

	for (i = 0; i < n; i++)
		for (p = globs[i]; *p; p++)
			if (*p != '*' && !named[(uint8_t)*p]) {
				named[(uint8_t)*p] = true;
				nr++;
			}
	d->merged = nr > TR_PF_NCLASS - 2;
	d->nr_classes = 1;
	for (i = 0; i < 256; i++) {
		if (d->merged)
			d->class[i] = 1 + i % (TR_PF_NCLASS - 1);
		else
			d->class[i] = named[i] ? ++d->nr_classes : 1;
	}
	if (d->merged)
		d->nr_classes = TR_PF_NCLASS - 1;
}

static void nfa_fini(struct nfa *a)
{
	free(a->kind);
	free(a->cls);
	free(a->open_end);
}

static int nfa_init(struct nfa *a, const struct pathdfa *d, char *const *globs, unsigned int n)
{
	unsigned int i, p = 0;
	size_t total = 0;

	for (i = 0; i < n; i++)
		total += strlen(globs[i]) + 1;
	memset(a, 0, sizeof(*a));
	if (total > UINT32_MAX / 2)
		return -E2BIG;
	a->kind = malloc(total);
	a->cls = malloc(total);
	a->open_end = malloc(total);
	if (!a->kind || !a->cls || !a->open_end) {
		nfa_fini(a);
		return -ENOMEM;
	}
	for (i = 0; i < n; i++) {
		const char *g = globs[i];
		size_t j, len = strlen(g);
		bool stars = true;

		/* from the end: is the rest of the glob '*' alone? */
		a->kind[p + len] = POS_END;
		a->cls[p + len] = 0;
		a->open_end[p + len] = 0;
		for (j = len; j-- > 0;) {
			stars = stars && g[j] == '*';
			a->kind[p + j] = g[j] == '*' ? POS_STAR : POS_LIT;
			a->cls[p + j] = d->class[(uint8_t)g[j]];
			a->open_end[p + j] = stars;
		}
		p += len + 1;
	}
	a->nr_pos = p;
	return 0;
}

/* Add position p and what it reaches without reading a byte ('*' may match none). */
static void add_closure(struct builder *b, uint32_t p)
{
	for (;;) {
		if (b->seen[p] == b->gen)
			return;	/* there already, with what follows it */
		b->seen[p] = b->gen;
		b->list[b->nr_list++] = p;
		if (b->nfa->kind[p] != POS_STAR)
			return;
		p++;
	}
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static uint64_t set_hash(const uint32_t *s, unsigned int n)
{
	uint64_t h = 0xcbf29ce484222325ULL;	/* FNV-1a over the positions */
	unsigned int i;

	for (i = 0; i < n; i++) {
		h ^= s[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

static int grow_rows(struct builder *b, unsigned int nr)
{
	struct pathdfa *d = b->d;
	struct tr_pf_state *rows;
	size_t *off;
	unsigned int *len;

	rows = realloc(d->states, nr * sizeof(*rows));
	if (!rows)
		return -ENOMEM;
	d->states = rows;
	off = realloc(b->set_off, nr * sizeof(*off));
	if (!off)
		return -ENOMEM;
	b->set_off = off;
	len = realloc(b->set_len, nr * sizeof(*len));
	if (!len)
		return -ENOMEM;
	b->set_len = len;
	return 0;
}

/*
 * The row of the set in b->list: TR_PF_DEAD, TR_PF_ALL, a row seen before,
 * or a new one (to be filled later).  Negative errno: -E2BIG past max_states.
 */
static int intern(struct builder *b)
{
	const struct nfa *a = b->nfa;
	unsigned int i, n = b->nr_list, slot, row;
	uint64_t h;

	if (!n)
		return TR_PF_DEAD;
	for (i = 0; i < n; i++)
		if (a->open_end[b->list[i]])
			return TR_PF_ALL;
	qsort(b->list, n, sizeof(b->list[0]), cmp_u32);
	h = set_hash(b->list, n);
	for (slot = h & (b->table_sz - 1); b->table[slot]; slot = (slot + 1) & (b->table_sz - 1)) {
		row = b->table[slot] - 1;
		if (b->set_len[row] == n &&
		    !memcmp(&b->pool[b->set_off[row]], b->list, n * sizeof(b->list[0])))
			return row;
	}
	row = b->d->nr_states;
	if (row >= b->max_states)
		return -E2BIG;
	if (grow_rows(b, row + 1))
		return -ENOMEM;
	if (b->pool_len + n > b->pool_cap) {
		size_t cap = (b->pool_len + n) * 2;
		uint32_t *pool = realloc(b->pool, cap * sizeof(*pool));

		if (!pool)
			return -ENOMEM;
		b->pool = pool;
		b->pool_cap = cap;
	}
	memcpy(&b->pool[b->pool_len], b->list, n * sizeof(b->list[0]));
	b->set_off[row] = b->pool_len;
	b->set_len[row] = n;
	b->pool_len += n;
	b->table[slot] = row + 1;
	b->d->nr_states = row + 1;
	return row;
}

/* Fill row's transitions; new sets it reaches become new rows. */
static int fill_row(struct builder *b, unsigned int row)
{
	const struct nfa *a = b->nfa;
	struct tr_pf_state st = { .next = { TR_PF_DEAD } };
	unsigned int c, i;
	int next;

	for (i = 0; i < b->set_len[row]; i++)
		if (a->kind[b->pool[b->set_off[row] + i]] == POS_END)
			st.next[0] = TR_PF_ALL;	/* a path ending here matches */
	for (c = 1; c <= b->d->nr_classes; c++) {
		b->nr_list = 0;
		b->gen++;
		/* b->pool may move in intern(): index it afresh each time */
		for (i = 0; i < b->set_len[row]; i++) {
			uint32_t p = b->pool[b->set_off[row] + i];

			if (a->kind[p] == POS_STAR)
				add_closure(b, p);	/* the '*' takes the byte */
			else if (a->kind[p] == POS_LIT && a->cls[p] == c)
				add_closure(b, p + 1);
		}
		next = intern(b);
		if (next < 0)
			return next;
		st.next[c] = next;
	}
	b->d->states[row] = st;
	return 0;
}

static void builder_fini(struct builder *b)
{
	free(b->pool);
	free(b->set_off);
	free(b->set_len);
	free(b->table);
	free(b->list);
	free(b->seen);
}

static int build_level(struct pathdfa *d, char *const *globs, unsigned int n,
		       unsigned int max_states)
{
	struct builder b = { .d = d, .max_states = max_states };
	struct nfa a;
	unsigned int i, row, pos;
	int ret, start;

	assign_classes(d, globs, n);
	ret = nfa_init(&a, d, globs, n);
	if (ret)
		return ret;
	b.nfa = &a;
	for (b.table_sz = 16; b.table_sz <= 2 * max_states; b.table_sz *= 2)
		;
	b.table = calloc(b.table_sz, sizeof(*b.table));
	b.list = malloc(a.nr_pos * sizeof(*b.list));
	b.seen = calloc(a.nr_pos, sizeof(*b.seen));
	ret = -ENOMEM;
	if (!b.table || !b.list || !b.seen || grow_rows(&b, TR_PF_START))
		goto out;
	/* rows 0 and 1 stand for the empty set and "anything goes": no set */
	for (i = 0; i < TR_PF_NCLASS; i++) {
		d->states[TR_PF_DEAD].next[i] = TR_PF_DEAD;
		d->states[TR_PF_ALL].next[i] = TR_PF_ALL;
	}
	b.set_len[TR_PF_DEAD] = b.set_len[TR_PF_ALL] = 0;
	b.set_off[TR_PF_DEAD] = b.set_off[TR_PF_ALL] = 0;
	d->nr_states = TR_PF_START;
	b.gen = 1;
	/* the start: position 0 of every glob */
	for (i = 0, pos = 0; i < n; i++) {
		add_closure(&b, pos);
		pos += strlen(globs[i]) + 1;
	}
	start = intern(&b);
	if (start == TR_PF_ALL) {
		ret = -ERANGE;	/* some glob matches every path */
		goto out;
	}
	if (start != TR_PF_START) {
		ret = start < 0 ? start : -EINVAL;	/* no glob at all */
		goto out;
	}
	/* rows are numbered as found: filling them in order visits them all */
	for (row = TR_PF_START; row < d->nr_states; row++) {
		ret = fill_row(&b, row);
		if (ret)
			goto out;
	}
	ret = 0;
out:
	builder_fini(&b);
	nfa_fini(&a);
	if (ret) {
		free(d->states);
		d->states = NULL;
		d->nr_states = 0;
	}
	return ret;
}

int pathdfa_build(struct pathdfa *d, const char *const *globs, unsigned int n,
		  unsigned int max_states)
{
	enum pathdfa_level level;
	int ret = -EINVAL;

	memset(d, 0, sizeof(*d));
	if (max_states > TR_PF_MAX_STATES)
		max_states = TR_PF_MAX_STATES;
	for (level = PATHDFA_EXACT; level <= PATHDFA_ONE_PART; level++) {
		char **g = reduce_globs(globs, n, level);

		if (!g)
			return -ENOMEM;
		ret = build_level(d, g, n, max_states);
		free_globs(g, n);
		if (ret != -E2BIG)
			break;
	}
	if (ret) {
		memset(d, 0, sizeof(*d));
		return ret;
	}
	d->level = level;
	return 0;
}

void pathdfa_fini(struct pathdfa *d)
{
	if (!d)
		return;
	free(d->states);
	memset(d, 0, sizeof(*d));
}

bool pathdfa_match(const struct pathdfa *d, const char *path, size_t len)
{
	unsigned int s = TR_PF_START;
	size_t i;

	if (!d->nr_states)
		return true;	/* no automaton: no prefilter */
	for (i = 0; i < len; i++) {
		s = d->states[s].next[d->class[(uint8_t)path[i]] & (TR_PF_NCLASS - 1)];
		if (s <= TR_PF_ALL)
			return s == TR_PF_ALL;
	}
	return d->states[s].next[0] == TR_PF_ALL;
}
