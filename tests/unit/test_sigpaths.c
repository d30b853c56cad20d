// SPDX-License-Identifier: GPL-2.0
/*
 * test_sigpaths.c - dispatch by a signature's paths= globs (no root): the
 * glob matcher against fnmatch(3) (flags 0: '*' crosses '/', as the kernel
 * prefilter's globs do) over random globs and paths, then the engine: a
 * security_file_open event reaches a signature only when one of its globs
 * matches the pathname, while signatures without paths=, other events of
 * the same signature, tracee.on callbacks and cut pathnames are not judged.
 */
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "events.h"
#include "lua_priv.h"
#include "../tap.h"

/* ------------------------------------------------------------------ */
/* The matcher */

/* A random string over a small alphabet, so stars and parts meet often. */
static void rnd_str(char *out, size_t max, bool glob)
{
	static const char abc[] = "/ab.c";
	size_t i, n = rand() % max;

	for (i = 0; i < n; i++)
		out[i] = glob && rand() % 4 == 0 ? '*' : abc[rand() % (sizeof(abc) - 1)];
	out[n] = '\0';
}

static bool one(const char *glob, const char *path)
{
	char *paths[] = { (char *)glob, NULL };
	struct sig g = { .paths = paths, .nr_paths = 1 };
	bool r;

	if (sigpaths_compile(&g))
		return false;
	r = sigpaths_match(&g, path, strlen(path));
	free(g.globs);
	return r;
}

static void test_matcher(void)
{
	static const struct { const char *g, *p; bool m; } cases[] = {
		{ "/etc/shadow", "/etc/shadow", true },
		{ "/etc/shadow", "/etc/shadow-", false },
		{ "/etc/shadow*", "/etc/shadow-", true },
		{ "*/authorized_keys", "/root/.ssh/authorized_keys", true },
		{ "*/authorized_keys", "/root/.ssh/authorized_keys2", false },
		{ "/proc/*/environ", "/proc/1/environ", true },
		{ "/proc/*/environ", "/proc/environ", false },	/* head and tail may not overlap */
		{ "*.cfg-hit", ".cfg-hit", true },
		{ "a*b*c", "abc", true },
		{ "a*b*c", "acb", false },
		{ "a*bb*bc", "abbc", false },
		{ "a*bb*bc", "abbbc", true },
		{ "*", "", true },
		{ "**", "/x", true },
		{ "", "", true },
		{ "", "/", false },
	};
	char g[16], p[24];
	unsigned int i, bad = 0;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		ok(one(cases[i].g, cases[i].p) == cases[i].m, "'%s' %s '%s'", cases[i].g,
		   cases[i].m ? "matches" : "does not match", cases[i].p);
	srand(18);
	for (i = 0; i < 200000; i++) {
		rnd_str(g, sizeof(g), true);
		rnd_str(p, sizeof(p), false);
		if (one(g, p) != !fnmatch(g, p, 0) && bad++ < 5)
			diag("'%s' on '%s': %d, fnmatch says %d", g, p, one(g, p), !fnmatch(g, p, 0));
	}
	ok(!bad, "200000 random globs and paths: as fnmatch(3) decides (%u differ)", bad);
}

/* ------------------------------------------------------------------ */
/* Dispatch */

struct sev {
	struct tr_record_hdr hdr;
	struct tr_event ev;
	char cid[1];
};

static struct tr_event *sev(struct sev *s, const char *name, const char *path, bool cut)
{
	struct tr_arg *a;

	memset(s, 0, sizeof(*s));
	s->ev.def = events_by_name(name);
	s->hdr.event_id = s->ev.def->id;
	s->hdr.pid = s->hdr.host_pid = s->hdr.tid = s->hdr.host_tid = 4321;
	s->hdr.syscall = -1;
	snprintf(s->hdr.comm, sizeof(s->hdr.comm), "cat");
	s->ev.hdr = &s->hdr;
	s->ev.executable = "/usr/bin/cat";
	s->ev.container_id = s->cid;
	a = &s->ev.args[s->ev.nr_args++];
	a->name = "pathname";
	a->type = "const char*";
	a->kind = TR_V_STR;
	a->v.str.p = path;
	a->v.str.len = strlen(path);
	a->v.str.trunc = cut;
	return &s->ev;
}

static char seen[512];	/* "A:/etc/shadow B:/x ..." */

static void on_finding(void *ctx, const struct tr_finding *f)
{
	strncat(seen, f->id, sizeof(seen) - strlen(seen) - 1);
	strncat(seen, " ", sizeof(seen) - strlen(seen) - 1);
}

/* Each callback reports: a finding per call, id = who ran. */
static const char rules[] =
	"local function fire(e) tracee.finding{ data = { pathname = e.args.pathname } } end\n"
	"tracee.signature{ id = 'P-1', name = 'p1', events = { 'security_file_open', 'openat' },\n"
	"  paths = { '/etc/shadow*', '*/authorized_keys' }, on_event = fire }\n"
	"tracee.signature{ id = 'P-2', name = 'p2', events = { 'security_file_open' },\n"
	"  paths = { '/proc/*/environ' }, on_event = fire }\n"
	"tracee.signature{ id = 'P-3', name = 'p3', events = { 'security_file_open' },\n"
	"  on_event = fire }\n"
	"tracee.on('security_file_open', function(e) tracee.count('on') end)\n";

static const char *run(struct lua_engine *e, const char *name, const char *path, bool cut)
{
	struct sev s;

	seen[0] = '\0';
	lua_engine_event(e, sev(&s, name, path, cut));
	return seen;
}

static void test_dispatch(void)
{
	struct lua_engine_opts o = { .finding_cb = on_finding };
	const char *top = getenv("top_srcdir");
	char dir[4096], *sum = NULL;
	struct lua_engine *e;
	size_t sz = 0;
	FILE *f;

	snprintf(dir, sizeof(dir), "%s/lua", top && *top ? top : ".");
	o.lib_dir = dir;
	e = lua_engine_new(&o);
	ok(e && !lua_engine_load_string(e, "rules.lua", rules) && !lua_engine_resolve(e),
	   "rules load");
	if (!e)
		return;
	ok(!strcmp(run(e, "security_file_open", "/etc/shadow", false), "P-1 P-3 "),
	   "/etc/shadow: the signature whose glob matches, and the one without paths (%s)", seen);
	ok(!strcmp(run(e, "security_file_open", "/home/u/.ssh/authorized_keys", false),
		   "P-1 P-3 "), "a suffix glob (%s)", seen);
	ok(!strcmp(run(e, "security_file_open", "/proc/77/environ", false), "P-2 P-3 "),
	   "a glob with a star inside (%s)", seen);
	ok(!strcmp(run(e, "security_file_open", "/etc/hostname", false), "P-3 "),
	   "/etc/hostname: only the signature without paths (%s)", seen);
	ok(!strcmp(run(e, "security_file_open", "/etc/hostname", true), "P-1 P-2 P-3 "),
	   "a cut pathname is not judged: every signature sees it (%s)", seen);
	ok(!strcmp(run(e, "openat", "/etc/hostname", false), "P-1 "),
	   "paths= is about security_file_open: another event of P-1 reaches it (%s)", seen);
	f = open_memstream(&sum, &sz);
	lua_engine_finish(e, f);
	fclose(f);
	ok(sum && strstr(sum, "on=5"), "tracee.on callbacks see every open");
	free(sum);
	lua_engine_free(e);
}

int main(void)
{
	test_matcher();
	test_dispatch();
	return done_testing();
}
