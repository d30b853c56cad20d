// SPDX-License-Identifier: GPL-2.0
/*
 * test_tuning.c - rule tuning in the Lua engine (no root): signatures
 * switched on and off by id, name, tag and "all" from policies and from the
 * --signatures grammar, opt-in rules (enabled = false), what that does to
 * the kernel selection and the path prefilter, bad selectors, exceptions on
 * each field, their counting, and what --list-signatures shows.
 *
 * Test signatures are declared here, not taken from lua/signatures/, so the
 * rule set can grow without touching this file.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "events.h"
#include "lua_engine.h"
#include "runtime.h"
#include "../tap.h"

/* A synthetic event: comm, exe, parent, container, string arguments. */
struct sev {
	struct tr_record_hdr hdr;
	struct tr_event ev;
	char cid[65];
	struct container_info ci;
};

static struct tr_event *sev(struct sev *s, const char *name, const char *comm, const char *exe,
			    const char *image)
{
	memset(s, 0, sizeof(*s));
	s->ev.def = events_by_name(name);
	s->hdr.event_id = s->ev.def->id;
	s->hdr.pid = s->hdr.host_pid = s->hdr.tid = s->hdr.host_tid = 4321;
	s->hdr.host_ppid = 4242;	/* "nginx" in fake_proc */
	s->hdr.syscall = -1;
	snprintf(s->hdr.comm, sizeof(s->hdr.comm), "%s", comm);
	s->ev.hdr = &s->hdr;
	s->ev.executable = exe;
	if (image)
		memset(s->cid, 'a', 64);
	s->ev.container_id = s->cid;
	if (image) {	/* as the runtime (or a recording) answered */
		snprintf(s->ci.image, sizeof(s->ci.image), "%s", image);
		s->ev.container = &s->ci;
	}
	return &s->ev;
}

static void arg_str(struct sev *s, const char *name, const char *v)
{
	struct tr_arg *a = &s->ev.args[s->ev.nr_args++];

	a->name = name;
	a->type = "const char*";
	a->kind = TR_V_STR;
	a->v.str.p = v;
	a->v.str.len = strlen(v);
}

static char fired[256];	/* "TST-1,TST-2," */

static void on_finding(void *ctx, const struct tr_finding *f)
{
	strncat(fired, f->id, sizeof(fired) - strlen(fired) - 2);
	strcat(fired, ",");
}

static int fake_proc(void *ctx, int pid, struct lua_engine_proc *p)
{
	memset(p, 0, sizeof(*p));
	p->pid = pid;
	if (pid != 4242)
		return -ENOENT;
	p->ppid = 1;
	strcpy(p->comm, "nginx");
	strcpy(p->exe, "/usr/sbin/nginx");
	return 0;
}

static struct lua_engine *engine(void)
{
	struct lua_engine_opts o = { .finding_cb = on_finding, .proc_lookup = fake_proc };
	const char *top = getenv("top_srcdir");
	static char dir[4096];

	snprintf(dir, sizeof(dir), "%s/lua", top && *top ? top : ".");
	o.lib_dir = dir;
	return lua_engine_new(&o);
}

/*
 * TST-1 (ptrace, tags a,b), TST-2 (openat and ptrace, tag b), TST-3 opt-in
 * (security_file_open, paths /etc/shadow), TST-4 (security_file_open, paths
 * /etc/sudoers*).  Each raises a finding on every event it sees, with the
 * event's pathname as data.pathname, except TST-2 which reports "/data"
 * before it, so "path" is seen to prefer the finding's data.
 */
static const char rules[] =
	"local function fire(e) tracee.finding{ data = { pathname = e.args.pathname } } end\n"
	"tracee.signature{ id = 'TST-1', name = 'one', events = { 'ptrace' }, tags = { 'a', 'b' },\n"
	"  mitre = { id = 'T1055', category = 'defense-evasion' }, on_event = fire }\n"
	"tracee.signature{ id = 'TST-2', name = 'two', events = { 'openat', 'ptrace' },\n"
	"  tags = { 'b' }, on_event = function(e)\n"
	"    local p = e.args.pathname\n"
	"    tracee.finding{ data = { pathname = p and ('/data' .. p) } }\n"
	"  end }\n"
	"tracee.signature{ id = 'TST-3', name = 'three', enabled = false, tags = { 'c' },\n"
	"  events = { 'security_file_open' }, paths = { '/etc/shadow' }, on_event = fire }\n"
	"tracee.signature{ id = 'TST-4', name = 'four', tags = { 'c' },\n"
	"  events = { 'security_file_open' }, paths = { '/etc/sudoers*' }, on_event = fire }\n";

static bool selected(const struct lua_engine *e, const char *name)
{
	struct tr_selection sel = { 0 };

	lua_engine_selection(e, &sel);
	return selection_has(&sel, events_by_name(name)->id);
}

struct paths {
	char all[512];
};

static void add_path(void *ctx, const char *glob)
{
	struct paths *p = ctx;

	strncat(p->all, glob, sizeof(p->all) - strlen(p->all) - 2);
	strcat(p->all, " ");
}

static const char *sfo_paths(const struct lua_engine *e)
{
	static struct paths p;

	p.all[0] = '\0';
	lua_engine_event_paths(e, events_by_name("security_file_open")->id, add_path, &p);
	return p.all;
}

static char *listing(const struct lua_engine *e)
{
	static char *buf;
	size_t sz;
	FILE *f;

	free(buf);
	buf = NULL;
	f = open_memstream(&buf, &sz);
	lua_engine_list_signatures(e, f, NULL, NULL);
	fclose(f);
	return buf;
}

/* The listing's line for one signature id. */
static const char *line_of(const char *list, const char *id)
{
	static char line[1024];
	char key[32];
	const char *p;

	snprintf(key, sizeof(key), "\n%s ", id);
	p = list ? strstr(list, key) : NULL;
	if (!p)
		return "";
	p++;
	snprintf(line, sizeof(line), "%.*s", (int)strcspn(p, "\n"), p);
	return line;
}

/* "STATE BY" of a signature's line: its 4th and 5th words. */
static const char *state(const char *list, const char *id)
{
	static char out[128];
	char on[16] = "", by[64] = "";

	sscanf(line_of(list, id), "%*s %*s %*s %15s %63s", on, by);
	snprintf(out, sizeof(out), "%s %s", on, by);
	return out;
}

/* Load rules plus an optional policy, apply a --signatures list, resolve. */
static struct lua_engine *tuned(const char *policy, const char *cli, int *rc)
{
	struct lua_engine *e = engine();

	*rc = lua_engine_load_string(e, "rules.lua", rules);
	if (!*rc && policy)
		*rc = lua_engine_load_string(e, "policy.lua", policy);
	if (!*rc && cli)
		*rc = lua_engine_select_signatures(e, cli);
	if (!*rc)
		*rc = lua_engine_resolve(e);
	return e;
}

/* Did the signature id report ev? */
static int fires(struct lua_engine *e, struct tr_event *ev, const char *id)
{
	char key[64];

	fired[0] = '\0';
	lua_engine_event(e, ev);
	snprintf(key, sizeof(key), "%s,", id);
	return strstr(fired, key) != NULL;
}

static void test_defaults_and_opt_in(void)
{
	struct lua_engine *e;
	struct sev s;
	int rc;

	e = tuned(NULL, NULL, &rc);
	ok(rc == 0, "rules load and resolve");
	ok(!strcmp(state(listing(e), "TST-3"), "off opt-in"),
	   "enabled = false: listed as off, by opt-in: %s", line_of(listing(e), "TST-3"));
	ok(!strcmp(state(listing(e), "TST-1"), "on default"), "others on (default)");
	ok(!strstr(sfo_paths(e), "/etc/shadow") && strstr(sfo_paths(e), "/etc/sudoers*"),
	   "an opt-in rule's paths stay out of the prefilter: %s", sfo_paths(e));
	sev(&s, "security_file_open", "cat", "/usr/bin/cat", NULL);
	arg_str(&s, "pathname", "/etc/shadow");
	ok(!fires(e, &s.ev, "TST-3"), "an opt-in rule does not run");
	lua_engine_free(e);

	e = tuned("tracee.enable('three')\n", NULL, &rc);
	ok(rc == 0 && !strcmp(state(listing(e), "TST-3"), "on policy.lua"),
	   "tracee.enable by name switches an opt-in rule on: %s", line_of(listing(e), "TST-3"));
	ok(strstr(sfo_paths(e), "/etc/shadow") != NULL, "and its paths join the prefilter");
	ok(fires(e, &s.ev, "TST-3"), "and it runs");
	lua_engine_free(e);

	/* without lua_engine_resolve() the declared defaults hold */
	e = engine();
	lua_engine_load_string(e, "rules.lua", rules);
	ok(!fires(e, &s.ev, "TST-3") && !strstr(sfo_paths(e), "/etc/shadow"),
	   "opt-in rules are off before any resolve");
	lua_engine_free(e);
}

static void test_disable(void)
{
	struct lua_engine *e;
	struct sev s;
	int rc;

	e = tuned("tracee.disable('TST-1')\n", NULL, &rc);
	ok(rc == 0 && selected(e, "ptrace"), "ptrace still selected while TST-2 wants it");
	sev(&s, "ptrace", "gdb", "/usr/bin/gdb", NULL);
	ok(!fires(e, &s.ev, "TST-1") && fires(e, &s.ev, "TST-2"),
	   "tracee.disable by id: that rule alone stops");
	ok(!strcmp(state(listing(e), "TST-1"), "off policy.lua"),
	   "listed as off (policy.lua)");
	lua_engine_free(e);

	e = tuned("tracee.disable{ 'tag:b' }\n", NULL, &rc);
	ok(rc == 0 && !selected(e, "ptrace") && !selected(e, "openat"),
	   "tracee.disable by tag: the events no one else wants leave the kernel selection");
	ok(!fires(e, &s.ev, "TST-1") && !fires(e, &s.ev, "TST-2"), "and neither rule runs");
	lua_engine_free(e);

	e = tuned("tracee.disable('four')\n", NULL, &rc);
	ok(rc == 0 && !selected(e, "security_file_open") && !sfo_paths(e)[0],
	   "disabling the last file rule empties the prefilter and the selection");
	lua_engine_free(e);

	e = tuned("tracee.disable('all')\ntracee.enable('TST-4')\n", NULL, &rc);
	ok(rc == 0 && !selected(e, "ptrace") && selected(e, "security_file_open"),
	   "all off, then one on: in call order");
	lua_engine_free(e);
}

static void test_cli(void)
{
	struct lua_engine *e;
	struct sev s;
	int rc;

	e = tuned(NULL, "-TST-1,-tag:c", &rc);
	ok(rc == 0 && !strcmp(state(listing(e), "TST-1"), "off --signatures") &&
	   !strcmp(state(listing(e), "TST-4"), "off --signatures") &&
	   !strcmp(state(listing(e), "TST-2"), "on default"),
	   "--signatures -ID,-tag:T switches those off, the rest stays");
	lua_engine_free(e);

	e = tuned(NULL, "two", &rc);
	ok(rc == 0 && !strcmp(state(listing(e), "TST-2"), "on --signatures") &&
	   !strcmp(state(listing(e), "TST-1"), "off --signatures") &&
	   !selected(e, "security_file_open"),
	   "--signatures NAME: a plain first item means only that one");
	lua_engine_free(e);

	e = tuned("tracee.disable('TST-4')\n", "+TST-3,+TST-4", &rc);
	ok(rc == 0 && !strcmp(state(listing(e), "TST-3"), "on --signatures") &&
	   !strcmp(state(listing(e), "TST-4"), "on --signatures"),
	   "+ID switches an opt-in rule on, and the command line wins over a policy");
	sev(&s, "security_file_open", "cat", "/usr/bin/cat", NULL);
	arg_str(&s, "pathname", "/etc/shadow");
	ok(fires(e, &s.ev, "TST-3"), "the opt-in rule runs");
	lua_engine_free(e);

	e = tuned(NULL, "-TST-1,,-TST-2", &rc);
	ok(rc == -EINVAL, "an empty item is refused");
	lua_engine_free(e);
	e = tuned(NULL, "-", &rc);
	ok(rc == -EINVAL, "a lone '-' is refused");
	lua_engine_free(e);
	e = tuned(NULL, "-TRC-99999", &rc);
	ok(rc == -EINVAL, "an unknown id is refused");
	lua_engine_free(e);
	e = tuned(NULL, "+tag:nope", &rc);
	ok(rc == -EINVAL, "an unknown tag is refused");
	lua_engine_free(e);
	e = tuned("tracee.disable('nosuchrule')\n", NULL, &rc);
	ok(rc == -EINVAL, "an unknown name from a policy is refused at resolve");
	lua_engine_free(e);
}

static void test_bad_calls(void)
{
	struct lua_engine *e;
	struct sev s;
	int rc;

	e = tuned("tracee.on('openat', function() tracee.disable('TST-1') end)\n", NULL, &rc);
	sev(&s, "openat", "cat", "/usr/bin/cat", NULL);
	arg_str(&s, "pathname", "/x");
	lua_engine_event(e, &s.ev);
	ok(strstr(lua_engine_last_error(e), "only while the script loads") != NULL,
	   "tracee.disable from a callback is an error");
	lua_engine_free(e);

	e = tuned("tracee.except('TST-1', { proces = 'x' })\n", NULL, &rc);
	ok(rc == -EINVAL && strstr(lua_engine_last_error(e), "unknown field 'proces'"),
	   "a misspelt exception field is refused");
	lua_engine_free(e);
	e = tuned("tracee.except('TST-1', {})\n", NULL, &rc);
	ok(rc == -EINVAL, "an exception with no field is refused");
	lua_engine_free(e);
	e = tuned("tracee.except('TST-99', { process = 'x' })\n", NULL, &rc);
	ok(rc == -EINVAL, "an exception for an unknown rule is refused");
	lua_engine_free(e);
	e = tuned("tracee.signature{ id = 'X', name = 'x', events = 'ptrace', enabled = 1,\n"
		  "  on_event = function() end }\n", NULL, &rc);
	ok(rc == -EINVAL && strstr(lua_engine_last_error(e), "'enabled' must be true or false"),
	   "enabled must be a boolean");
	lua_engine_free(e);
}

static void test_exceptions(void)
{
	static const char policy[] =
		"tracee.except('TST-1', { process = { 'backup-*', 'rsync' } })\n"
		"tracee.except('one', { executable = '/opt/*/bin/agent' })\n"
		"tracee.except('tag:a', { parent = 'nginx', path = '/srv/*' })\n"
		"tracee.except('TST-4', { image = 'docker.io/library/nginx:*' })\n"
		"tracee.except('TST-4', { path = '/etc/sudoers.d/ok' })\n"
		"tracee.except('TST-2', { path = '/data/keep' })\n";
	struct lua_engine_stats st;
	struct lua_engine *e;
	char *sum = NULL;
	size_t sz;
	FILE *f;
	struct sev s;
	int rc;

	e = tuned(policy, NULL, &rc);
	ok(rc == 0, "exceptions load");

	sev(&s, "ptrace", "backup-agent", "/usr/bin/x", NULL);
	ok(!fires(e, &s.ev, "TST-1"), "process glob matches: suppressed");
	sev(&s, "ptrace", "rsync", "/usr/bin/rsync", NULL);
	ok(!fires(e, &s.ev, "TST-1"), "process list: any item matches");
	sev(&s, "ptrace", "gdb", "/usr/bin/gdb", NULL);
	ok(fires(e, &s.ev, "TST-1"), "another process: reported");

	sev(&s, "ptrace", "agent", "/opt/acme/bin/agent", NULL);
	ok(!fires(e, &s.ev, "TST-1"), "executable glob matches: suppressed");
	sev(&s, "ptrace", "agent", "/opt/acme/sbin/agent", NULL);
	ok(fires(e, &s.ev, "TST-1"), "another executable: reported");

	sev(&s, "ptrace", "gdb", "/usr/bin/gdb", NULL);
	arg_str(&s, "pathname", "/srv/www");
	ok(!fires(e, &s.ev, "TST-1"), "parent and path both match: suppressed");
	sev(&s, "ptrace", "gdb", "/usr/bin/gdb", NULL);
	arg_str(&s, "pathname", "/home/x");
	ok(fires(e, &s.ev, "TST-1"), "parent matches, path does not: reported (fields AND)");
	s.hdr.host_ppid = 1;
	s.ev.args[0].v.str.p = "/srv/www";
	ok(fires(e, &s.ev, "TST-1"), "path matches, parent does not: reported");

	sev(&s, "security_file_open", "vi", "/usr/bin/vi", "docker.io/library/nginx:1.25");
	arg_str(&s, "pathname", "/etc/sudoers");
	ok(!fires(e, &s.ev, "TST-4"), "container image glob matches: suppressed");
	sev(&s, "security_file_open", "vi", "/usr/bin/vi", "docker.io/library/redis:7");
	arg_str(&s, "pathname", "/etc/sudoers");
	ok(fires(e, &s.ev, "TST-4"), "another image: reported");
	sev(&s, "security_file_open", "vi", "/usr/bin/vi", NULL);
	arg_str(&s, "pathname", "/etc/sudoers");
	ok(fires(e, &s.ev, "TST-4"), "on the host (no image): reported");
	sev(&s, "security_file_open", "vi", "/usr/bin/vi", NULL);
	arg_str(&s, "pathname", "/etc/sudoers.d/ok");
	ok(!fires(e, &s.ev, "TST-4"), "path from data.pathname: suppressed");

	/* TST-2 reports data.pathname "/data" .. pathname: data wins over the argument */
	sev(&s, "openat", "cat", "/usr/bin/cat", NULL);
	arg_str(&s, "pathname", "/keep");
	ok(!fires(e, &s.ev, "TST-2"), "path is the finding's data.pathname when it has one");
	sev(&s, "openat", "cat", "/usr/bin/cat", NULL);
	arg_str(&s, "pathname", "/data/keep");
	ok(fires(e, &s.ev, "TST-2"), "... not the event's argument then");

	lua_engine_get_stats(e, &st);
	ok(st.suppressed == 7 && st.findings == 15, "counted: %llu suppressed, %llu findings",
	   (unsigned long long)st.suppressed, (unsigned long long)st.findings);
	ok(strstr(listing(e), "exceptions:\n  TST-1 (policy.lua): process=backup-*|rsync\n") &&
	   strstr(listing(e), "  tag:a (policy.lua): parent=nginx path=/srv/*\n"),
	   "--list-signatures lists the exceptions");
	f = open_memstream(&sum, &sz);
	lua_engine_finish(e, f);
	fclose(f);
	ok(sum && strstr(sum, "signature TST-1 (one): 4 findings, 4 suppressed by exceptions") &&
	   strstr(sum, "signature TST-2 (two): 9 findings, 1 suppressed by exceptions") &&
	   strstr(sum, "signature TST-4 (four): 2 findings, 2 suppressed by exceptions") &&
	   strstr(sum, "suppressed by exceptions 7"),
	   "the exit summary counts suppressed findings per rule");
	free(sum);
	lua_engine_free(e);
}

static void test_listing(void)
{
	struct lua_engine *e;
	const char *l;
	int rc;

	e = tuned("tracee.list('trusted_readers', { 'sshd', 'login' })\n"
		  "tracee.list('empty_one')\n", NULL, &rc);
	l = listing(e);
	ok(rc == 0 && strstr(l, " STATE BY ") && strstr(l, " TACTIC ") &&
	   strstr(l, " TECHNIQUE ") && strstr(l, " TAGS "),
	   "header names state, who decided, tactic, technique and tags");
	ok(strstr(line_of(l, "TST-1"), " defense-evasion      T1055 ") &&
	   strstr(line_of(l, "TST-1"), "a,b"), "a line shows tactic, technique id and tags: %s",
	   line_of(l, "TST-1"));
	ok(strstr(l, "lists:\n  empty_one: (empty)\n  trusted_readers: login, sshd\n") != NULL,
	   "the named lists with their items, sorted");
	ok(strstr(l, "exceptions: none\n") != NULL, "no exceptions: said so");
	lua_engine_free(e);
}

int main(void)
{
	test_defaults_and_opt_in();
	test_disable();
	test_cli();
	test_bad_calls();
	test_exceptions();
	test_listing();
	return done_testing();
}
