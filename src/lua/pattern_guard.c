// SPDX-License-Identifier: GPL-2.0
/*
 * pattern_guard.c - string.find/match/gmatch/gsub refused when the steps
 * a Lua pattern could take over its subject are past a bound: a backtracking
 * match runs inside one C call, where the budgets cannot stop it.
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

#include "lua_priv.h"

/*
 * Lua patterns backtrack inside one C call, where the budgets cannot stop
 * them ("a*a*a*a*b" over 64 KiB runs for days; ("a?"):rep(28) ..
 * ("a"):rep(28) takes 2^28 steps).  string.find, match, gmatch and gsub
 * first bound the steps a match can take over this subject:
 *
 *	starts * product over quantified items of its choices
 *
 * where an item with *, + or - has (longest run of subject bytes it
 * matches + 1) choices and one with ? two; %b scans the subject at each
 * try (n + 1); the last item of a pattern not ending in $ never
 * backtracks (1).  starts is 1 when anchored, else the positions where the
 * literal items the pattern starts with match (n + 1 when it starts with
 * a quantified item).  Runs are measured only when the rough bound (runs
 * = n) is too high.  A pattern over PATTERN_MAX_STEPS (about 8 ms here, at
 * ~4 ns a step) is refused with an error the script can catch.  Paths stay
 * well inside: a component is at most 255 bytes, and "^/home/[^/]+(/.*)$"
 * over a 4096-byte path is 1e6.
 */
#define PATTERN_MAX_STEPS	2e6

static bool class_match(int c, int cl)
{
	bool r;

	switch (tolower(cl)) {
	case 'a': r = isalpha(c); break;
	case 'c': r = iscntrl(c); break;
	case 'd': r = isdigit(c); break;
	case 'g': r = isgraph(c); break;
	case 'l': r = islower(c); break;
	case 'p': r = ispunct(c); break;
	case 's': r = isspace(c); break;
	case 'u': r = isupper(c); break;
	case 'w': r = isalnum(c); break;
	case 'x': r = isxdigit(c); break;
	default: return cl == c;	/* an escaped character */
	}
	return isupper(cl) ? !r : r;
}

/* The end of the set starting at p[i] == '[' (the index of its ']'), or len. */
static size_t set_end(const char *p, size_t i, size_t len)
{
	i++;
	if (i < len && p[i] == '^')
		i++;
	if (i < len)		/* a first ']' is a member */
		i += p[i] == '%' ? 2 : 1;
	while (i < len && p[i] != ']')
		i += p[i] == '%' ? 2 : 1;
	return i < len ? i : len;
}

/* Does byte c match the single-byte item it[0..n): ".", "%d", "[%w_]", "x"? */
static bool item_match(int c, const char *it, size_t n)
{
	bool neg = false, hit = false;
	size_t i, end;

	if (it[0] == '.')
		return true;
	if (it[0] == '%')
		return n > 1 && class_match(c, (unsigned char)it[1]);
	if (it[0] != '[')
		return (unsigned char)it[0] == c;
	end = n - 1;			/* the ']' */
	i = 1;
	if (i < end && it[i] == '^') {
		neg = true;
		i++;
	}
	for (; i < end; i++) {
		if (it[i] == '%' && i + 1 < end) {
			hit |= class_match(c, (unsigned char)it[++i]);
		} else if (i + 2 < end && it[i + 1] == '-') {
			hit |= (unsigned char)it[i] <= c && c <= (unsigned char)it[i + 2];
			i += 2;
		} else {
			hit |= (unsigned char)it[i] == c;
		}
	}
	return hit != neg;
}

/* The longest run of subject bytes the item matches. */
static size_t item_run(const unsigned char *sub, size_t n, const char *it, size_t len)
{
	size_t i, run = 0, best = 0;

	for (i = 0; i < n; i++) {
		run = item_match(sub[i], it, len) ? run + 1 : 0;
		if (run > best)
			best = run;
	}
	return best;
}

/*
 * The bound above for pattern p over subject sub; exact runs when measure,
 * else n for each.  Malformed patterns are lstrlib's to report: 0.
 */
static double pattern_cost(const char *p, size_t plen, const unsigned char *sub, size_t n,
			   bool measure)
{
	double cost = 1, starts = n + 1;
	bool anchored = plen && p[0] == '^', lead = !anchored, lit = false, dollar;
	size_t i = anchored, lit_start = 0, lit_end = 0, s;

	dollar = plen && p[plen - 1] == '$' && (plen < 2 || p[plen - 2] != '%');
	while (i < plen) {
		size_t it = i, itlen, run;
		char q = 0;

		if (p[i] == '(' || p[i] == ')') {
			i++;
			continue;
		}
		if (p[i] == '$' && i == plen - 1)
			break;
		if (p[i] == '%' && i + 1 < plen) {
			if (p[i + 1] == 'b') {		/* %bxy: a scan at each try */
				cost *= n + 1;
				i += 4;
				lead = false;
				continue;
			}
			if (p[i + 1] == 'f') {		/* %f[set]: one test */
				i = i + 2 < plen && p[i + 2] == '[' ? set_end(p, i + 2, plen) + 1 : plen;
				lead = false;
				continue;
			}
			if (isdigit((unsigned char)p[i + 1])) {	/* back-reference: a compare */
				i += 2;
				lead = false;
				continue;
			}
			i += 2;
		} else if (p[i] == '[') {
			i = set_end(p, i, plen) + 1;
		} else {
			i++;
		}
		if (i > plen)
			return 0;
		itlen = i - it;
		if (i < plen && strchr("*+-?", p[i]))
			q = p[i++];
		if (!q) {
			if (lead) {		/* the literal start: counted below */
				if (!lit)
					lit_start = it;
				lit = true;
				lit_end = i;
			}
			continue;
		}
		lead = false;
		if (i == plen && !dollar)
			continue;		/* last, nothing after it to fail: no backtracking */
		run = measure ? item_run(sub, n, p + it, itlen) : n;
		cost *= q == '?' ? (run ? 2 : 1) : (double)run + 1;
	}
	if (anchored) {
		starts = 1;
	} else if (lit && measure) {
		/* tries that get past the literal start; the rest fail at once */
		for (starts = 0, s = 0; s < n; s++) {
			size_t j = lit_start, at = s;

			while (j < lit_end && at < n) {
				size_t e = p[j] == '%' ? j + 2 : p[j] == '[' ? set_end(p, j, plen) + 1 : j + 1;

				if (p[j] == '(' || p[j] == ')') {	/* captures take no byte */
					j++;
					continue;
				}
				if (!item_match(sub[at], p + j, e - j))
					break;
				j = e;
				at++;
			}
			starts += j >= lit_end;
		}
	}
	return starts * cost;
}

static int pattern_guard(lua_State *L)
{
	bool is_find = lua_toboolean(L, lua_upvalueindex(2));
	size_t n, plen;

	if (lua_type(L, 1) == LUA_TSTRING && lua_type(L, 2) == LUA_TSTRING &&
	    !(is_find && lua_toboolean(L, 4))) {
		const char *p = lua_tolstring(L, 2, &plen);
		const unsigned char *sub = (const unsigned char *)lua_tolstring(L, 1, &n);

		if (pattern_cost(p, plen, sub, n, false) > PATTERN_MAX_STEPS) {
			/* measuring reads the subject once per item: charged as a copy would be */
			lua_engine_charge(L, n * (plen + 1) / BYTES_PER_UNIT);
			if (pattern_cost(p, plen, sub, n, true) > PATTERN_MAX_STEPS)
				return luaL_error(L, "pattern '%s' could backtrack for too long over "
						  "these %d bytes (simplify it: anchor it, fewer "
						  "quantifiers, or match a shorter string)",
						  plen > 40 ? "(long)" : p, (int)n);
		}
	}
	lua_pushvalue(L, lua_upvalueindex(1));
	lua_insert(L, 1);
	lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
	return lua_gettop(L);
}

/* Wrap the matching functions of the string table on top of the stack. */
void pattern_guard_install(lua_State *L)
{
	static const char *const names[] = { "find", "match", "gmatch", "gsub", NULL };
	unsigned int i;

	for (i = 0; names[i]; i++) {
		lua_getfield(L, -1, names[i]);
		lua_pushboolean(L, i == 0);
		lua_pushcclosure(L, pattern_guard, 2);
		lua_setfield(L, -2, names[i]);
	}
}
