// SPDX-License-Identifier: GPL-2.0
/*
 * test_jsonread: recorded JSON lines -> struct tr_event.  Round trips
 * through the JSON output, Tracee's schema, unknown events, and hostile
 * lines (truncated, deep, huge, binary, random mutations): errors with a
 * message, never a crash, never a read past the line (run under ASan with
 * --enable-sanitizers).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../tap.h"
#include "decode.h"
#include "events.h"
#include "jsonread.h"
#include "runtime.h"
#include "output.h"

static const char *ours =
	"{\"timestamp\":1795540742656673070,\"threadStartTime\":1795540742655357802,"
	"\"processorId\":1,\"processId\":21141,\"cgroupId\":7,\"threadId\":21142,"
	"\"parentProcessId\":21072,\"hostProcessId\":31141,\"hostThreadId\":31142,"
	"\"hostParentProcessId\":31072,\"userId\":1000,\"mountNamespace\":4026531832,"
	"\"pidNamespace\":4026531836,\"processName\":\"memfdtrue\",\"executable\":{\"path\":\"/usr/bin/x\"},"
	"\"hostName\":\"vm\",\"containerId\":\"\",\"container\":{},\"kubernetes\":{},\"eventId\":\"1003\","
	"\"eventName\":\"sched_process_exec\",\"matchedPolicies\":[],\"argsNum\":4,\"returnValue\":0,"
	"\"syscall\":\"execve\",\"stackAddresses\":[],\"contextFlags\":{\"containerStarted\":false,"
	"\"isCompat\":true},\"threadEntityId\":1,\"processEntityId\":2,\"parentEntityId\":3,"
	"\"args\":[{\"name\":\"cmdpath\",\"type\":\"const char*\",\"value\":\"/proc/self/fd/3\"},"
	"{\"name\":\"pathname\",\"type\":\"const char*\",\"value\":\"memfd:x \\u00e9\\ud83d\\ude00\\n\","
	"\"truncated\":true},"
	"{\"name\":\"argv\",\"type\":\"const char*const*\",\"value\":[\"a\",\"\",\"c\\\"d\"]},"
	"{\"name\":\"invoked_from_kernel\",\"type\":\"int\",\"value\":-5}]}";

/* The original Tracee's schema: different member order, flat container fields,
 * a sockaddr map, an unknown event. */
static const char *tracee_connect =
	"{\"timestamp\":1700000000000000000,\"threadStartTime\":1699999999000000000,"
	"\"processorId\":3,\"processId\":7,\"threadId\":7,\"parentProcessId\":1,"
	"\"hostProcessId\":4242,\"hostThreadId\":4242,\"hostParentProcessId\":4000,\"userId\":0,"
	"\"mountNamespace\":1,\"pidNamespace\":2,\"processName\":\"curl\",\"hostName\":\"pod\","
	"\"cgroupId\":99,\"containerId\":\"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\","
	"\"containerImage\":\"alpine\",\"podName\":\"p\",\"eventId\":\"1022\","
	"\"eventName\":\"security_socket_connect\",\"argsNum\":2,\"returnValue\":0,"
	"\"args\":[{\"name\":\"sockfd\",\"type\":\"int\",\"value\":3},"
	"{\"name\":\"remote_addr\",\"type\":\"struct sockaddr*\",\"value\":{\"sa_family\":\"AF_INET\","
	"\"sin_addr\":\"10.0.0.1\",\"sin_port\":\"443\"}}]}";

static const char *unknown_ev =
	"{\"eventName\":\"hooked_seq_ops\",\"eventId\":\"2011\",\"processId\":1,"
	"\"args\":[{\"name\":\"x\",\"type\":\"map[string]string\",\"value\":{\"a\":{\"b\":[1,2]}}}]}";

static const char *finding =
	"{\"timestamp\":1,\"processId\":1,\"eventId\":\"6102\",\"eventName\":\"anti_debugging\","
	"\"args\":[{\"name\":\"triggeredBy\",\"type\":\"unknown\",\"value\":{\"args\":[],\"id\":101,"
	"\"name\":\"ptrace\",\"returnValue\":0}}],\"metadata\":{\"Version\":\"1\"}}";

static const struct tr_arg *arg(const struct tr_event *ev, const char *name)
{
	unsigned int i;

	for (i = 0; i < ev->nr_args; i++)
		if (!strcmp(ev->args[i].name, name))
			return &ev->args[i];
	return NULL;
}

static void test_ours(struct jsonread *r)
{
	struct tr_event ev;
	const struct tr_arg *a;
	struct tr_str s;
	uint32_t pos = 0;
	int n = 0;

	ok(jsonread_parse(r, ours, strlen(ours), &ev) == JSONREAD_EVENT, "our schema parses (%s)",
	   jsonread_error(r));
	ok(ev.def && !strcmp(ev.def->name, "sched_process_exec") && ev.def == events_by_name("sched_process_exec"),
	   "def from the events table");
	ok(ev.timestamp_ns == 1795540742656673070ULL && ev.hdr->ts == ev.timestamp_ns,
	   "timestamp kept as epoch ns in both places");
	ok(ev.thread_start_ns == 1795540742655357802ULL && ev.hdr->start_time == ev.thread_start_ns,
	   "thread start time");
	ok(ev.hdr->pid == 21141 && ev.hdr->tid == 21142 && ev.hdr->ppid == 21072 &&
	   ev.hdr->host_pid == 31141 && ev.hdr->host_tid == 31142 && ev.hdr->host_ppid == 31072 &&
	   ev.hdr->uid == 1000 && ev.hdr->cpu == 1 && ev.hdr->cgroup_id == 7, "ids");
	ok(ev.hdr->mnt_ns == 4026531832u && ev.hdr->pid_ns == 4026531836u, "namespaces");
	ok(!strncmp(ev.hdr->comm, "memfdtrue", 16) && !strncmp(ev.hdr->uts, "vm", 16), "comm, uts");
	ok(!strcmp(ev.executable, "/usr/bin/x") && !strcmp(ev.container_id, ""), "executable, container");
	ok(ev.hdr->flags & TR_F_COMPAT, "isCompat");
	ok(ev.hdr->syscall == events_by_name("execve")->id, "syscall name -> number");
	ok(ev.nr_args == 4, "4 args");
	a = arg(&ev, "pathname");
	ok(a && a->kind == TR_V_STR && a->v.str.len == strlen("memfd:x \xc3\xa9\xf0\x9f\x98\x80\n") &&
	   !memcmp(a->v.str.p, "memfd:x \xc3\xa9\xf0\x9f\x98\x80\n", a->v.str.len) && a->v.str.trunc,
	   "escapes and surrogate pairs decoded, truncated kept");
	a = arg(&ev, "argv");
	ok(a && a->kind == TR_V_STRARR && a->v.arr.count == 3, "string array");
	while (a && decode_strarr_next(a, &pos, &s)) {
		n++;
		if (n == 3)
			ok(s.len == 3 && !memcmp(s.p, "c\"d", 3), "array entry unescaped");
	}
	ok(n == 3, "array walks like a decoded one");
	a = arg(&ev, "invoked_from_kernel");
	ok(a && a->kind == TR_V_INT && a->v.i == -5 && !strcmp(a->type, "int"), "negative int");
}

static void test_tracee(struct jsonread *r)
{
	struct tr_event ev;
	const struct tr_arg *a;
	struct sockaddr_in sin;

	ok(jsonread_parse(r, tracee_connect, strlen(tracee_connect), &ev) == JSONREAD_EVENT,
	   "Tracee's schema parses (%s)", jsonread_error(r));
	ok(ev.def == events_by_name("security_socket_connect"), "known event");
	ok(strlen(ev.container_id) == 64 && ev.container_id[0] == '0', "flat containerId");
	ok(ev.hdr->host_pid == 4242 && ev.hdr->cgroup_id == 99, "members in another order");
	a = arg(&ev, "remote_addr");
	ok(a && a->kind == TR_V_SOCKADDR && a->v.raw.len == sizeof(sin), "sockaddr map -> bytes");
	if (a && a->kind == TR_V_SOCKADDR && a->v.raw.len == sizeof(sin)) {
		memcpy(&sin, a->v.raw.p, sizeof(sin));
		ok(sin.sin_family == AF_INET && ntohs(sin.sin_port) == 443 &&
		   sin.sin_addr.s_addr == inet_addr("10.0.0.1"), "AF_INET 10.0.0.1:443");
	} else {
		ok(0, "AF_INET 10.0.0.1:443");
	}
}

/* Tracee's runtime enrichment, recorded: carried as a live event carries it. */
static void test_container_info(struct jsonread *r)
{
	static const char line[] =
		"{\"timestamp\":1,\"hostProcessId\":7,\"processName\":\"sh\","
		"\"containerId\":\"abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789\","
		"\"container\":{\"id\":\"abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789\","
		"\"name\":\"web\",\"image\":\"localhost/app:1\",\"imageDigest\":\"sha256:00ff\"},"
		"\"kubernetes\":{\"podName\":\"web-0\",\"podNamespace\":\"prod\",\"podUID\":\"u-1\","
		"\"podSandbox\":true},\"contextFlags\":{\"containerStarted\":false},"
		"\"eventName\":\"sched_process_exec\",\"args\":[]}";
	struct tr_event ev;

	ok(jsonread_parse(r, line, strlen(line), &ev) == JSONREAD_EVENT, "enriched event parses (%s)",
	   jsonread_error(r));
	ok(ev.container && !strcmp(ev.container->name, "web") &&
	   !strcmp(ev.container->image, "localhost/app:1") &&
	   !strcmp(ev.container->image_digest, "sha256:00ff"), "container name, image, digest kept");
	ok(ev.container && !strcmp(ev.container->pod_name, "web-0") &&
	   !strcmp(ev.container->pod_namespace, "prod") && !strcmp(ev.container->pod_uid, "u-1") &&
	   ev.container->pod_sandbox, "kubernetes pod fields kept");
	ok(!ev.container_started, "containerStarted false as recorded");
	ok(jsonread_parse(r, unknown_ev, strlen(unknown_ev), &ev) == JSONREAD_EVENT &&
	   !ev.container, "the next event without those fields carries none");
	ok(jsonread_parse(r, tracee_connect, strlen(tracee_connect), &ev) == JSONREAD_EVENT &&
	   ev.container && !strcmp(ev.container->image, "alpine") &&
	   !strcmp(ev.container->pod_name, "p"), "older Tracee's flat containerImage, podName read");
}

static void test_unknown(struct jsonread *r)
{
	struct tr_event ev;

	ok(jsonread_parse(r, unknown_ev, strlen(unknown_ev), &ev) == JSONREAD_EVENT,
	   "unknown event parses (%s)", jsonread_error(r));
	ok(ev.def && !strcmp(ev.def->name, "hooked_seq_ops") && !events_by_name("hooked_seq_ops"),
	   "synthetic def keeps the name");
	ok(ev.nr_args == 1 && ev.args[0].kind == TR_V_JSON &&
	   !strcmp((const char *)ev.args[0].v.raw.p, "{\"a\":{\"b\":[1,2]}}"),
	   "nested object value kept as its JSON text");
	ok(jsonread_parse(r, finding, strlen(finding), &ev) == JSONREAD_FINDING,
	   "a finding is recognised (%s)", jsonread_error(r));
}

/* The original Tracee's v0.24 shapes: []byte bytes, arrays of objects. */
static const char *tracee_magic =
	"{\"timestamp\":1,\"processId\":7,\"eventName\":\"magic_write\",\"args\":["
	"{\"name\":\"pathname\",\"type\":\"string\",\"value\":\"/bin/.x\"},"
	"{\"name\":\"bytes\",\"type\":\"[]byte\",\"value\":\"f0VMRg==\"}]}";

static const char *tracee_fops =
	"{\"timestamp\":1,\"processId\":7,\"eventName\":\"hooked_proc_fops\",\"args\":["
	"{\"name\":\"hooked_fops_pointers\",\"type\":\"[]trace.HookedSymbolData\",\"value\":"
	" [{\"SymbolName\":\"iterate_shared\",\"ModuleOwner\":\"ph\\u00efde\"}, 7] },"
	"{\"name\":\"mixed\",\"type\":\"x\",\"value\":[\"a\",-3,1.5e400,null,true]},"
	"{\"name\":\"none\",\"type\":\"x\",\"value\":[]}]}";

struct walk_log {
	char text[512];
	size_t len;
};

static int walk_log_tok(void *ctx, const struct jsonread_tok *t)
{
	static const char *const names[] = { "{", "[", "}", "K", "S", "I", "U", "F", "B", "N" };
	struct walk_log *w = ctx;

	w->len += snprintf(w->text + w->len, sizeof(w->text) - w->len, "%s%.*s ", names[t->type],
			   t->type == JSONREAD_T_KEY || t->type == JSONREAD_T_STR ? (int)t->len : 0,
			   t->s ? t->s : "");
	return 0;
}

static void test_kept_json(struct jsonread *r)
{
	const struct tr_arg *a;
	struct walk_log w = { 0 };
	struct tr_event ev;
	char scratch[256], err[128];

	ok(jsonread_parse(r, tracee_magic, strlen(tracee_magic), &ev) == JSONREAD_EVENT,
	   "magic_write with []byte parses (%s)", jsonread_error(r));
	a = arg(&ev, "bytes");
	ok(a && a->kind == TR_V_BYTES && a->v.raw.len == 4 && !memcmp(a->v.raw.p, "\177ELF", 4),
	   "a []byte value is decoded from base64, as a bytes one is");

	ok(jsonread_parse(r, tracee_fops, strlen(tracee_fops), &ev) == JSONREAD_EVENT,
	   "hooked_proc_fops parses (%s)", jsonread_error(r));
	a = arg(&ev, "hooked_fops_pointers");
	ok(a && a->kind == TR_V_JSON && !strcmp((const char *)a->v.raw.p,
	   "[{\"SymbolName\":\"iterate_shared\",\"ModuleOwner\":\"ph\\u00efde\"}, 7]"),
	   "an array of objects is kept as its JSON text, not emptied");
	ok(a && !jsonread_walk((const char *)a->v.raw.p, a->v.raw.len, scratch, walk_log_tok, &w,
			       err, sizeof(err)) &&
	   !strcmp(w.text, "[ { KSymbolName Siterate_shared KModuleOwner Sph\xc3\xaf" "de } I } "),
	   "walked token by token, strings unescaped (%s)", w.text);
	a = arg(&ev, "mixed");
	memset(&w, 0, sizeof(w));
	ok(a && a->kind == TR_V_JSON && !jsonread_walk((const char *)a->v.raw.p, a->v.raw.len,
						       scratch, walk_log_tok, &w, err, sizeof(err)) &&
	   !strcmp(w.text, "[ Sa I F N B } "), "an array with more than strings is kept whole (%s)",
	   w.text);
	a = arg(&ev, "none");
	ok(a && a->kind == TR_V_STRARR && a->v.arr.count == 0, "an empty array is an empty list");
	{
		/* Tracee v0.24's sched_process_exec: 18 arguments, env the 17th. */
		char line[4096];
		size_t n;
		int i, ret;

		n = snprintf(line, sizeof(line), "{\"eventName\":\"sched_process_exec\",\"args\":[");
		for (i = 1; i <= 16; i++)
			n += snprintf(line + n, sizeof(line) - n,
				      "{\"name\":\"a%d\",\"type\":\"string\",\"value\":\"x\"},", i);
		n += snprintf(line + n, sizeof(line) - n, "{\"name\":\"env\",\"type\":\"[]string\","
			      "\"value\":[\"LD_PRELOAD=/x\"]},{\"name\":\"pwd\",\"type\":\"string\","
			      "\"value\":\"/\"}]}");
		ret = jsonread_parse(r, line, n, &ev);
		a = arg(&ev, "env");
		ok(ret == JSONREAD_EVENT && ev.nr_args == 18 && a && a->kind == TR_V_STRARR &&
		   a->v.arr.count == 1, "18 arguments are all kept, env among them (%s)",
		   jsonread_error(r));
		n = snprintf(line, sizeof(line), "{\"eventName\":\"x\",\"args\":[");
		for (i = 1; i <= TR_EVENT_ARGS_MAX + 1; i++)
			n += snprintf(line + n, sizeof(line) - n, "%s{\"name\":\"a%d\",\"value\":%d}",
				      i > 1 ? "," : "", i, i);
		n += snprintf(line + n, sizeof(line) - n, "]}");
		ret = jsonread_parse(r, line, n, &ev);
		ok(ret == -EINVAL && strstr(jsonread_error(r), "more than 32 arguments"),
		   "more arguments than an event holds is an error, not a quiet cut (%s)",
		   jsonread_error(r));
	}
	memset(&w, 0, sizeof(w));
	ok(jsonread_walk("[1,", 3, scratch, walk_log_tok, &w, err, sizeof(err)) && err[0],
	   "a cut value is an error, not a partial value (%s)", err);
}

/* Every byte of the line, and every prefix of it, must be survivable. */
static void test_hostile(struct jsonread *r)
{
	static const char *bad[] = {
		"{", "[]", "\"x\"", "{\"eventName\":}", "{\"eventName\":\"x\"", "{\"eventName\":\"x\"}}",
		"{\"eventName\":\"x\",}", "{\"eventName\":\"\\uZZZZ\"}", "{\"eventName\":\"a\x01\"}",
		"{\"eventName\":\"x\",\"args\":[1]}", "{\"eventName\":\"x\",\"args\":[{\"type\":\"int\"}]}",
		"{\"eventName\":\"x\",\"processId\":-}", "{\"eventName\":\"x\",\"processId\":1e}",
		"{\"eventName\":\"x\",\"processId\":tru}", "{\"processId\":1}", "nul",
		"{\"eventName\":\"x\"} trailing",
	};
	struct tr_event ev;
	char *deep, *big, *mut;
	size_t len = strlen(ours), i, n;
	unsigned int seed = 1, errors = 0, events = 0;
	int ret;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ret = jsonread_parse(r, bad[i], strlen(bad[i]), &ev);
		ok(ret == -EINVAL && jsonread_error(r)[0], "malformed %zu rejected: %s", i,
		   jsonread_error(r));
	}
	ok(jsonread_parse(r, "  \t ", 4, &ev) == JSONREAD_BLANK, "blank line");

	/* Every prefix of a valid line: rejected, never read past. */
	for (n = 0; n < len; n++) {
		char *p = malloc(n ? n : 1);

		memcpy(p, ours, n);
		ret = jsonread_parse(r, p, n, &ev);
		if (ret == -EINVAL)
			errors++;
		free(p);
	}
	ok(errors == len - 1, "every proper prefix rejected (%u of %zu)", errors, len - 1);

	/* Nesting bomb. */
	n = 100000;
	deep = malloc(2 * n + 64);
	i = sprintf(deep, "{\"eventName\":\"x\",\"k\":");
	memset(deep + i, '[', n);
	memset(deep + i + n, ']', n);
	strcpy(deep + i + 2 * n, "}");
	ret = jsonread_parse(r, deep, strlen(deep), &ev);
	ok(ret == -EINVAL && strstr(jsonread_error(r), "nested"), "deep nesting refused: %s",
	   jsonread_error(r));
	free(deep);

	/* A huge but valid string array: bounded by the arena sizing. */
	n = 200000;
	big = malloc(4 * n + 256);
	i = sprintf(big, "{\"eventName\":\"execve\",\"args\":[{\"name\":\"argv\",\"type\":"
		    "\"const char*const*\",\"value\":[");
	for (size_t k = 0; k < n; k++)
		i += sprintf(big + i, "%s\"\"", k ? "," : "");
	i += sprintf(big + i, "]}]}");
	ret = jsonread_parse(r, big, i, &ev);
	ok(ret == JSONREAD_EVENT && ev.args[0].v.arr.count == n, "200000 empty strings fit (%s)",
	   jsonread_error(r));
	free(big);

	/* Random mutations of valid lines. */
	mut = malloc(len);
	errors = 0;
	for (n = 0; n < 200000; n++) {
		const char *src = (n & 1) ? ours : tracee_connect;
		size_t l = strlen(src), k, flips = 1 + rand_r(&seed) % 4;

		mut = realloc(mut, l);
		memcpy(mut, src, l);
		for (k = 0; k < flips; k++)
			mut[rand_r(&seed) % l] = (char)rand_r(&seed);
		ret = jsonread_parse(r, mut, rand_r(&seed) % 8 ? l : rand_r(&seed) % l, &ev);
		if (ret == -EINVAL)
			errors++;
		else if (ret == JSONREAD_EVENT || ret == JSONREAD_FINDING || ret == JSONREAD_BLANK)
			events++;
	}
	free(mut);
	ok(errors + events == 200000, "200000 mutated lines: %u rejected, %u parsed, no crash",
	   errors, events);
}

/* File reading: line numbers, CRLF, a last line without newline, overlong lines. */
static void test_file(struct jsonread *r)
{
	char path[] = "/tmp/test_jsonread.XXXXXX";
	struct tr_event ev;
	FILE *f;
	int fd, ret, got[8], n = 0;
	unsigned long lines[8];
	size_t i;

	fd = mkstemp(path);
	f = fdopen(fd, "w");
	fprintf(f, "%s\n\n{bad\r\n%s\r\n", ours, tracee_connect);
	fputs("{\"eventName\":\"", f);
	for (i = 0; i < JSONREAD_MAX_LINE + 10; i++)
		fputc('a', f);
	fputs("\"}\n", f);
	fprintf(f, "%s", finding);	/* no final newline */
	fclose(f);

	ok(jsonread_open(r, path) == 0, "open");
	while (n < 8 && (ret = jsonread_next(r, &ev)) != JSONREAD_EOF) {
		got[n] = ret;
		lines[n++] = jsonread_lineno(r);
	}
	ok(n == 5, "5 results (blank line skipped): %d", n);
	ok(n >= 5 && got[0] == JSONREAD_EVENT && lines[0] == 1, "line 1 event");
	ok(n >= 5 && got[1] == -EINVAL && lines[1] == 3, "line 3 malformed");
	ok(n >= 5 && got[2] == JSONREAD_EVENT && lines[2] == 4, "line 4 event (CRLF)");
	ok(n >= 5 && got[3] == -EINVAL && lines[3] == 5, "line 5 too long");
	ok(n >= 5 && got[4] == JSONREAD_FINDING && lines[4] == 6, "line 6 without newline");
	unlink(path);
	ok(jsonread_open(r, "/nonexistent/x.json") == -ENOENT, "missing file: -ENOENT");
}

/* Output -> reader -> output gives the same text (entity ids aside). */
static void test_roundtrip(struct jsonread *r)
{
	char path[] = "/tmp/test_jsonread_out.XXXXXX", spec[64], line[8192];
	struct output *o;
	struct tr_event ev;
	FILE *f;
	int fd;

	fd = mkstemp(path);
	close(fd);
	snprintf(spec, sizeof(spec), "json:%s", path);
	jsonread_parse(r, tracee_connect, strlen(tracee_connect), &ev);
	o = output_new(spec, &(struct output_opts){ 0 });
	ok(o != NULL, "output");
	if (!o)
		return;
	output_event(o, &ev);
	output_free(o);
	f = fopen(path, "r");
	ok(f && fgets(line, sizeof(line), f), "written");
	if (f)
		fclose(f);
	ok(strstr(line, "\"remote_addr\",\"type\":\"struct sockaddr*\",\"value\":{\"sa_family\":"
		      "\"AF_INET\",\"sin_addr\":\"10.0.0.1\",\"sin_port\":\"443\"}") != NULL,
	   "sockaddr written back as it was read");
	ok(jsonread_parse(r, line, strlen(line), &ev) == JSONREAD_EVENT && ev.hdr->host_pid == 4242,
	   "our own output reads back");
	unlink(path);
}

int main(void)
{
	struct jsonread *r = jsonread_new();

	test_ours(r);
	test_tracee(r);
	test_container_info(r);
	test_unknown(r);
	test_kept_json(r);
	test_hostile(r);
	test_file(r);
	test_roundtrip(r);
	jsonread_free(r);
	return done_testing();
}
