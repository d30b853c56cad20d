// SPDX-License-Identifier: GPL-2.0
/*
 * sigpaths.c - a signature's paths = {...} globs matched in user space.
 *
 * The kernel's path automaton (src/filter/pathdfa.c) lets an open through
 * when ANY consumer's glob matches it, and only a superset when the globs
 * had to be simplified to fit; with a policy or the output asking for every
 * open, nothing is dropped at all.  Dispatch asks here, per signature, so a
 * security_file_open event costs a Lua call only in the signatures whose
 * own globs match its pathname: the default rule set is two dozen such
 * signatures, and an ordinary open matches none of them.
 *
 * A glob is the prefilter's: '*' matches any run of bytes, '/' included,
 * every other byte stands for itself.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lua_priv.h"

int sigpaths_compile(struct sig *g)
{
	unsigned int i;

	if (!g->nr_paths)
		return 0;
	g->globs = calloc(g->nr_paths, sizeof(*g->globs));
	if (!g->globs)
		return -ENOMEM;
	for (i = 0; i < g->nr_paths; i++) {
		struct sigglob *p = &g->globs[i];
		const char *first, *last;

		p->g = g->paths[i];
		p->len = strlen(p->g);
		first = memchr(p->g, '*', p->len);
		if (!first) {
			p->head = p->len;
			continue;
		}
		last = memrchr(p->g, '*', p->len);
		p->head = first - p->g;
		p->tail = p->g + p->len - (last + 1);
		p->middle = last - first > 1;
	}
	return 0;
}

/*
 * With '*' the only operator, a match is: the literal head at the start,
 * the literal tail at the end (not overlapping the head), and the literal
 * parts between stars in order, each at its leftmost place (taking a later
 * place never helps the parts after it).  No backtracking.  The tail's last
 * byte is tried first: it tells most paths apart at once.
 */
static bool glob_match(const struct sigglob *p, const char *s, size_t sl)
{
	const char *q, *from, *end, *last;

	if (p->head == p->len)
		return p->len == sl && !memcmp(p->g, s, sl);
	if (sl < p->head + p->tail || (p->tail && p->g[p->len - 1] != s[sl - 1]) ||
	    memcmp(p->g, s, p->head) ||
	    memcmp(p->g + p->len - p->tail, s + sl - p->tail, p->tail))
		return false;
	if (!p->middle)
		return true;
	from = s + p->head;
	end = s + sl - p->tail;
	last = p->g + p->len - p->tail - 1;
	for (q = p->g + p->head + 1; q < last;) {
		const char *star = memchr(q, '*', last - q);
		size_t n = (star ? star : last) - q;

		if (n) {
			const char *at = memmem(from, end - from, q, n);

			if (!at)
				return false;
			from = at + n;
		}
		q += n + 1;
	}
	return true;
}

bool sigpaths_match(const struct sig *g, const char *path, size_t len)
{
	unsigned int i;

	for (i = 0; i < g->nr_paths; i++)
		if (glob_match(&g->globs[i], path, len))
			return true;
	return false;
}
