// SPDX-License-Identifier: GPL-2.0
/*
 * test_output.c - the sinks: Tracee's JSON line field by field, the table,
 * option:parse-arguments and option:exec-env, findings, and the files they
 * write (0600, no symlinks followed, write errors counted, never a crash).
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "decode.h"
#include "events.h"
#include "output.h"
#include "record_builder.h"
#include "../tap.h"

static char dir[] = "/tmp/test_output.XXXXXX";
static struct rb r;

static char *slurp(const char *path)
{
	static char buf[1 << 20];
	int fd = open(path, O_RDONLY);
	ssize_t n = -1;

	buf[0] = '\0';
	if (fd >= 0) {
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
	}
	buf[n > 0 ? n : 0] = '\0';
	return buf;
}

static char *path_in(const char *name)
{
	static char p[8][512];
	static int k;

	k = (k + 1) % 8;
	snprintf(p[k], sizeof(p[k]), "%s/%s", dir, name);
	return p[k];
}

/* Render one event through a "kind:file" output and return the file's text. */
static char *render(const char *kind, const struct output_opts *opts, const struct tr_event *ev)
{
	char spec[600];
	struct output *o;

	snprintf(spec, sizeof(spec), "%s:%s", kind, path_in("render.out"));
	unlink(path_in("render.out"));
	o = output_new(spec, opts);
	if (!o)
		return "";
	output_event(o, ev);
	output_free(o);
	return slurp(path_in("render.out"));
}

static int decode_r(struct tr_event *ev)
{
	return decode_record(r.buf, rb_done(&r), ev);
}

/* An independent murmur3_32 (seed 0) for the expected entity ids. */
static uint32_t mm3(const uint8_t *d, size_t len)
{
	uint32_t h = 0, k;
	size_t i;

	for (i = 0; i + 4 <= len; i += 4) {
		memcpy(&k, d + i, 4);	/* little-endian host */
		k *= 0xcc9e2d51;
		k = (k << 15) | (k >> 17);
		k *= 0x1b873593;
		h ^= k;
		h = (h << 13) | (h >> 19);
		h = h * 5 + 0xe6546b64;
	}
	h ^= len;
	h ^= h >> 16;
	h *= 0x85ebca6b;
	h ^= h >> 13;
	h *= 0xc2b2ae35;
	h ^= h >> 16;
	return h;
}

static uint32_t want_entity(uint32_t tid, uint64_t start)
{
	uint8_t b[12];
	int i;

	start = start / 10000000 * 10000000;
	for (i = 0; i < 4; i++)
		b[i] = tid >> (8 * (3 - i));
	for (i = 0; i < 8; i++)
		b[4 + i] = start >> (8 * (7 - i));
	return mm3(b, 12);
}

static void build_openat(uint64_t flags, uint64_t mode)
{
	rb_init(&r, 257);
	rb_u64(&r, 0, (uint32_t)-100);
	rb_str(&r, 1, "/etc/passwd");
	rb_u64(&r, 2, flags);
	rb_u64(&r, 3, mode);
}

/* Python checks the line parses and the keys are Tracee's, in order. */
static const char *py_fields =
	"import sys, json\n"
	"want = ['timestamp','threadStartTime','processorId','processId','cgroupId','threadId',\n"
	"  'parentProcessId','hostProcessId','hostThreadId','hostParentProcessId','userId',\n"
	"  'mountNamespace','pidNamespace','processName','executable','hostName','containerId',\n"
	"  'container','kubernetes','eventId','eventName','matchedPolicies','argsNum',\n"
	"  'returnValue','syscall','stackAddresses','contextFlags','threadEntityId',\n"
	"  'processEntityId','parentEntityId','args']\n"
	"for line in open(sys.argv[1]):\n"
	"    pairs = json.loads(line, object_pairs_hook=lambda p: p)\n"
	"    keys = [k for k, v in pairs]\n"
	"    if keys[:len(want)] != want: print('keys', keys); sys.exit(1)\n"
	"    e = json.loads(line)\n"
	"    assert isinstance(e['eventId'], str) and int(e['eventId']) >= 0\n"
	"    assert isinstance(e['timestamp'], int) and isinstance(e['returnValue'], int)\n"
	"    assert e['executable'] == {'path': e['executable']['path']}\n"
	"    assert set(e['contextFlags']) == {'containerStarted', 'isCompat'}\n"
	"    assert e['argsNum'] == len(e['args'])\n"
	"    for a in e['args']: assert list(a)[:3] == ['name', 'type', 'value']\n"
	"print('ok')\n";

static int python_fields(const char *file)
{
	char cmd[1024], out[256] = "";
	FILE *f = fopen(path_in("fields.py"), "w"), *p;

	if (!f)
		return -1;
	fputs(py_fields, f);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "python3 %s %s 2>&1", path_in("fields.py"), file);
	p = popen(cmd, "r");
	if (!p)
		return -1;
	if (!fgets(out, sizeof(out), p))
		out[0] = '\0';
	if (pclose(p) != 0 && !strstr(out, "ok")) {
		diag("python3: %s", out);
		return strstr(out, "not found") ? -1 : 1;
	}
	return strncmp(out, "ok", 2) ? 1 : 0;
}

static void test_json_line(void)
{
	struct tr_event ev;
	char want[4096], *got;
	uint64_t off = decode_epoch_offset_ns();

	build_openat(0x241, 0644);
	ok(decode_r(&ev) == 0, "synthetic openat decodes");
	got = render("json", NULL, &ev);
	snprintf(want, sizeof(want),
		 "{\"timestamp\":%llu,\"threadStartTime\":%llu,\"processorId\":1,\"processId\":100,"
		 "\"cgroupId\":4242,\"threadId\":101,\"parentProcessId\":99,\"hostProcessId\":1100,"
		 "\"hostThreadId\":1101,\"hostParentProcessId\":1099,\"userId\":1000,"
		 "\"mountNamespace\":4026531841,\"pidNamespace\":4026531836,\"processName\":\"cat\","
		 "\"executable\":{\"path\":\"\"},\"hostName\":\"buildhost\",\"containerId\":\"\","
		 "\"container\":{},\"kubernetes\":{},\"eventId\":\"257\",\"eventName\":\"openat\","
		 "\"matchedPolicies\":[],\"argsNum\":4,\"returnValue\":3,\"syscall\":\"openat\","
		 "\"stackAddresses\":[],\"contextFlags\":{\"containerStarted\":false,\"isCompat\":false},"
		 "\"threadEntityId\":%u,\"processEntityId\":%u,\"parentEntityId\":%u,"
		 "\"args\":[{\"name\":\"dirfd\",\"type\":\"int\",\"value\":-100},"
		 "{\"name\":\"pathname\",\"type\":\"const char*\",\"value\":\"/etc/passwd\"},"
		 "{\"name\":\"flags\",\"type\":\"int\",\"value\":577},"
		 "{\"name\":\"mode\",\"type\":\"umode_t\",\"value\":420}]}\n",
		 (unsigned long long)(5000000000ULL + off), (unsigned long long)(4000000000ULL + off),
		 want_entity(1101, 4000000000ULL), want_entity(1100, 0), want_entity(1099, 0));
	if (!ok(!strcmp(got, want), "the JSON line is Tracee's, field by field")) {
		diag("got:  %s", got);
		diag("want: %s", want);
	}
	switch (python_fields(path_in("render.out"))) {
	case -1:
		skip(1, "python3 not available");
		break;
	default:
		ok(python_fields(path_in("render.out")) == 0,
		   "python3 parses it; keys in Tracee's order; types as Tracee's");
	}

	/* Enrichment: container, executable, leader/parent start times. */
	ev.container_id = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
	ev.container_started = true;
	ev.executable = "/usr/bin/cat";
	ev.leader_start_ns = 3000000000ULL;
	ev.parent_start_ns = 1000000000ULL;
	got = render("json", NULL, &ev);
	ok(strstr(got, "\"executable\":{\"path\":\"/usr/bin/cat\"}") &&
	   strstr(got, "\"containerId\":\"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\","
		       "\"container\":{\"id\":\"0123456789abcdef") &&
	   strstr(got, "\"containerStarted\":true"), "container id and executable are shown");
	snprintf(want, sizeof(want), "\"processEntityId\":%u,\"parentEntityId\":%u,",
		 want_entity(1100, 3000000000ULL), want_entity(1099, 1000000000ULL));
	ok(strstr(got, want) != NULL, "entity ids use the leader's and parent's start times");

	/* Compat flag, non-syscall event. */
	rb_init(&r, 1004);
	rb_hdr(&r)->flags = TR_F_COMPAT;
	rb_u64(&r, 0, 256);
	rb_u64(&r, 1, 1);
	decode_r(&ev);
	got = render("json", NULL, &ev);
	ok(strstr(got, "\"eventId\":\"1004\",\"eventName\":\"sched_process_exit\"") &&
	   strstr(got, "\"syscall\":\"\"") && strstr(got, "\"isCompat\":true") &&
	   strstr(got, "{\"name\":\"exit_code\",\"type\":\"long\",\"value\":256},"
		       "{\"name\":\"process_group_exit\",\"type\":\"bool\",\"value\":true}"),
	   "a lifecycle event: no syscall name, long and bool values");
}

static void test_values(void)
{
	struct tr_event ev;
	char *got;
	struct output_opts env = { .exec_env = true };
	static const char *const argv[] = { "sh", "-c", "echo \"hi\"\n", NULL };
	static const char *const envp[] = { "A=1", NULL };

	rb_init(&r, 59);
	rb_str(&r, 0, "/bin/sh");
	rb_strarr(&r, 1, argv, 0);
	rb_strarr(&r, 2, envp, 0);
	decode_r(&ev);
	got = render("json", NULL, &ev);
	ok(strstr(got, "\"argsNum\":2,") &&
	   strstr(got, "{\"name\":\"argv\",\"type\":\"const char*const*\",\"value\":[\"sh\",\"-c\",\"echo \\\"hi\\\"\\n\"]}]}") &&
	   !strstr(got, "envp"), "execve: argv as an array, envp left out by default");
	got = render("json", &env, &ev);
	ok(strstr(got, "\"argsNum\":3,") &&
	   strstr(got, "{\"name\":\"envp\",\"type\":\"const char*const*\",\"value\":[\"A=1\"]}"),
	   "option:exec-env adds envp");

	rb_init(&r, 59);
	rb_strn(&r, 0, "/very/long/path", 5, 1);
	rb_strarr(&r, 1, argv, 1);
	decode_r(&ev);
	got = render("json", NULL, &ev);
	ok(strstr(got, "{\"name\":\"pathname\",\"type\":\"const char*\",\"value\":\"/very\",\"truncated\":true}") &&
	   strstr(got, "\"value\":[\"sh\",\"-c\",\"echo \\\"hi\\\"\\n\"],\"truncated\":true}"),
	   "cut strings and arrays keep their value and say \"truncated\":true");

	{
		uint8_t in4[16] = { 2, 0, 0x1f, 0x90, 127, 0, 0, 1 };
		uint8_t in6[28] = { 10, 0, 0x01, 0xbb, 0, 0, 0, 0 };
		uint8_t un[110] = { 1, 0 };
		uint8_t abs[110] = { 1, 0, 0 };

		in6[8 + 15] = 1;	/* ::1 */
		memcpy(un + 2, "/run/x.sock", 11);
		memcpy(abs + 3, "tracee\"ns", 9);
		rb_init(&r, 42);
		rb_raw(&r, 1, TR_W_SOCKADDR, in4, sizeof(in4));
		decode_r(&ev);
		got = render("json", NULL, &ev);
		ok(strstr(got, "\"value\":{\"sa_family\":\"AF_INET\",\"sin_addr\":\"127.0.0.1\",\"sin_port\":\"8080\"}"),
		   "AF_INET sockaddr as Tracee's object");
		rb_init(&r, 42);
		rb_raw(&r, 1, TR_W_SOCKADDR, in6, sizeof(in6));
		decode_r(&ev);
		got = render("json", NULL, &ev);
		ok(strstr(got, "\"value\":{\"sa_family\":\"AF_INET6\",\"sin6_addr\":\"::1\",\"sin6_flowinfo\":\"0\","
			       "\"sin6_port\":\"443\",\"sin6_scopeid\":\"0\"}"), "AF_INET6 sockaddr");
		/* The kernel takes a sockaddr_in6 from 24 bytes (SIN6_LEN_RFC2133): no scope id. */
		rb_init(&r, 42);
		rb_raw(&r, 1, TR_W_SOCKADDR, in6, 24);
		decode_r(&ev);
		got = render("json", NULL, &ev);
		ok(strstr(got, "\"value\":{\"sa_family\":\"AF_INET6\",\"sin6_addr\":\"::1\",\"sin6_flowinfo\":\"0\","
			       "\"sin6_port\":\"443\",\"sin6_scopeid\":\"0\"}"), "AF_INET6 sockaddr of 24 bytes");
		got = render("table", NULL, &ev);
		ok(strstr(got, "map[sa_family:AF_INET6 sin6_addr:::1 sin6_flowinfo:0 sin6_port:443 sin6_scopeid:0]"),
		   "and in the table");
		rb_init(&r, 42);
		rb_raw(&r, 1, TR_W_SOCKADDR, un, sizeof(un));
		decode_r(&ev);
		got = render("json", NULL, &ev);
		ok(strstr(got, "\"value\":{\"sa_family\":\"AF_UNIX\",\"sun_path\":\"/run/x.sock\"}"),
		   "AF_UNIX sockaddr");
		rb_init(&r, 42);
		rb_raw(&r, 1, TR_W_SOCKADDR, abs, sizeof(abs));
		decode_r(&ev);
		got = render("json", NULL, &ev);
		ok(strstr(got, "\"value\":{\"sa_family\":\"AF_UNIX\",\"sun_path\":\"@tracee\\\"ns\"}"),
		   "abstract AF_UNIX sockaddr as \"@name\"");
		got = render("table", NULL, &ev);
		ok(strstr(got, "addr: map[sa_family:AF_UNIX sun_path:@tracee\"ns]"), "and in the table");
		rb_init(&r, 42);
		rb_raw(&r, 1, TR_W_SOCKADDR, in4, 3);
		decode_r(&ev);
		got = render("json", NULL, &ev);
		ok(strstr(got, "\"value\":{\"sa_family\":\"AF_INET\"}"), "a short sockaddr keeps only its family");
	}

	rb_init(&r, 22);
	rb_int2(&r, 0, 3, 4);
	decode_r(&ev);
	got = render("json", NULL, &ev);
	ok(strstr(got, "{\"name\":\"pipefd\",\"type\":\"int[2]\",\"value\":[3,4]}"), "int[2] as [a,b]");
	rb_init(&r, 35);
	rb_timespec(&r, 0, 1, 500000000);
	decode_r(&ev);
	got = render("json", NULL, &ev);
	ok(strstr(got, "{\"name\":\"req\",\"type\":\"const struct timespec*\",\"value\":1.5}") &&
	   strstr(got, "{\"name\":\"rem\",\"type\":\"struct timespec*\",\"value\":null}"),
	   "timespecs as seconds (float, as Tracee); what was not captured is null");

	rb_init(&r, 257);
	rb_str(&r, 1, "bad\xff\xfe\"\n\x01/\xc3\xa9");
	decode_r(&ev);
	got = render("json", NULL, &ev);
	ok(strstr(got, "\"value\":\"bad\\ufffd\\ufffd\\\"\\n\\u0001/\xc3\xa9\""),
	   "hostile path bytes escaped in JSON");
	got = render("table", NULL, &ev);
	ok(strstr(got, "openat         pathname: bad\\xff\\xfe\"\\n\\x01/\xc3\xa9\n"),
	   "and made harmless in the table (arguments not captured left out)");
}

static const char *parsed(uint32_t id, const struct tr_event *ev)
{
	static const struct output_opts pa = { .parse_arguments = true };

	(void)id;
	return render("json", &pa, ev);
}

static void test_parse_arguments(void)
{
	struct tr_event ev;
	const char *got;

	build_openat(0x80241, 0644);
	decode_r(&ev);
	got = parsed(257, &ev);
	ok(strstr(got, "{\"name\":\"flags\",\"type\":\"string\",\"value\":\"O_WRONLY|O_CREAT|O_TRUNC|O_CLOEXEC\"}"),
	   "openat flags: O_WRONLY|O_CREAT|O_TRUNC|O_CLOEXEC");
	ok(strstr(got, "{\"name\":\"mode\",\"type\":\"string\",\"value\":\"S_IRUSR|S_IWUSR|S_IRGRP|S_IROTH\"}"),
	   "openat mode 0644: S_IRUSR|S_IWUSR|S_IRGRP|S_IROTH");
	ok(strstr(got, "{\"name\":\"dirfd\",\"type\":\"int\",\"value\":-100}"), "other ints stay numbers");
	build_openat(0, 0);
	decode_r(&ev);
	got = parsed(257, &ev);
	ok(strstr(got, "\"value\":\"O_RDONLY\"}") && strstr(got, "\"value\":\"0\"}"),
	   "flags 0 is O_RDONLY, mode 0 is 0");
	build_openat(0x2 | 0x40000000, 0700);
	decode_r(&ev);
	got = parsed(257, &ev);
	ok(strstr(got, "\"value\":\"O_RDWR|0x40000000\"}") && strstr(got, "\"value\":\"S_IRWXU\"}"),
	   "unknown bits stay visible in hex; S_IRWXU for 0700");

	rb_init(&r, 9);
	rb_u64(&r, 0, 0x7f0000001000ULL);
	rb_u64(&r, 1, 4096);
	rb_u64(&r, 2, 5);
	rb_u64(&r, 3, 0x22);
	decode_r(&ev);
	got = parsed(9, &ev);
	ok(strstr(got, "{\"name\":\"prot\",\"type\":\"string\",\"value\":\"PROT_READ|PROT_EXEC\"}") &&
	   strstr(got, "\"value\":\"MAP_PRIVATE|MAP_ANONYMOUS\"}"), "mmap prot and flags");
	ok(strstr(got, "{\"name\":\"addr\",\"type\":\"void*\",\"value\":\"0x7f0000001000\"}"),
	   "pointers become 0x strings, their type kept (as Tracee)");
	rb_init(&r, 10);
	rb_u64(&r, 2, 0);
	decode_r(&ev);
	ok(strstr(parsed(10, &ev), "\"value\":\"PROT_NONE\"}"), "mprotect PROT_NONE");

	rb_init(&r, 101);
	rb_u64(&r, 0, 0);
	decode_r(&ev);
	ok(strstr(parsed(101, &ev), "{\"name\":\"request\",\"type\":\"string\",\"value\":\"PTRACE_TRACEME\"}"),
	   "ptrace PTRACE_TRACEME");
	rb_init(&r, 101);
	rb_u64(&r, 0, 0x4206);
	decode_r(&ev);
	ok(strstr(parsed(101, &ev), "\"value\":\"PTRACE_SEIZE\"}"), "ptrace PTRACE_SEIZE");

	rb_init(&r, 62);
	rb_u64(&r, 0, 1234);
	rb_u64(&r, 1, 9);
	decode_r(&ev);
	ok(strstr(parsed(62, &ev), "{\"name\":\"sig\",\"type\":\"string\",\"value\":\"SIGKILL\"}") &&
	   strstr(parsed(62, &ev), "{\"name\":\"pid\",\"type\":\"pid_t\",\"value\":1234}"), "kill SIGKILL");

	rb_init(&r, 41);
	rb_u64(&r, 0, 2);
	rb_u64(&r, 1, 1 | 0x800 | 0x80000);
	rb_u64(&r, 2, 0);
	decode_r(&ev);
	got = parsed(41, &ev);
	ok(strstr(got, "\"value\":\"AF_INET\"}") &&
	   strstr(got, "\"value\":\"SOCK_STREAM|SOCK_NONBLOCK|SOCK_CLOEXEC\"}"), "socket domain and type");

	rb_init(&r, 56);
	rb_u64(&r, 0, 0x01200011);
	decode_r(&ev);
	ok(strstr(parsed(56, &ev), "\"value\":\"CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD\"}"),
	   "clone flags with the exit signal");

	rb_init(&r, 21);
	rb_str(&r, 0, "/etc");
	rb_u64(&r, 1, 0);
	decode_r(&ev);
	ok(strstr(parsed(21, &ev), "\"value\":\"F_OK\"}"), "access F_OK");
	rb_init(&r, 21);
	rb_u64(&r, 1, 6);
	decode_r(&ev);
	ok(strstr(parsed(21, &ev), "\"value\":\"R_OK|W_OK\"}"), "access R_OK|W_OK");

	build_openat(0x241, 0600);
	decode_r(&ev);
	{
		static const struct output_opts pa = { .parse_arguments = true };

		got = render("table", &pa, &ev);
		ok(strstr(got, "flags: O_WRONLY|O_CREAT|O_TRUNC, mode: S_IRUSR|S_IWUSR\n"),
		   "the table shows the names too");
	}
}

static void test_table(void)
{
	struct tr_event ev;
	char want[2048], hms[16], *got, *nl;
	uint64_t ts;
	time_t t;
	struct tm tm;
	size_t hlen;

	setenv("TZ", "UTC", 1);
	tzset();
	build_openat(0x241, 0644);
	rb_hdr(&r)->retval = -13;
	decode_r(&ev);
	got = render("table", NULL, &ev);
	ts = ev.timestamp_ns;
	t = ts / 1000000000ULL;
	gmtime_r(&t, &tm);
	snprintf(hms, sizeof(hms), "%02d:%02d:%02d", tm.tm_hour, tm.tm_min, tm.tm_sec);
	snprintf(want, sizeof(want),
		 "%-15s %-5s %-15s %-6s %-6s %-6s %-14s %s\n"
		 "%s:%06llu %-5s %-15s %-6s %-6s %-6s %-14s %s\n"
		 "End of events stream\n"
		 "Stats: {EventCount:1 ErrorCount:0 LostEvCount:0 LostWrCount:0}\n",
		 "TIME", "UID", "COMM", "PID", "TID", "RET", "EVENT", "ARGS",
		 hms, (unsigned long long)(ts % 1000000000ULL / 1000), "1000", "cat", "100", "101",
		 "-13", "openat", "dirfd: -100, pathname: /etc/passwd, flags: 577, mode: 420");
	if (!ok(!strcmp(got, want), "table: header, aligned row, end of stream and stats")) {
		diag("got:\n%s", got);
		diag("want:\n%s", want);
	}
	nl = strchr(got, '\n');
	hlen = nl ? (size_t)(nl - got) : 0;
	ok(hlen && hlen <= 80, "the header fits 80 columns (%zu)", hlen);

	got = render("table-verbose", NULL, &ev);
	ok(!strncmp(got, "TIME            UTS_NAME         MNT_NS     PID_NS     UID   COMM            PID    TID    PPID   RET    EVENT          ARGS\n",
		    strlen("TIME            UTS_NAME         MNT_NS     PID_NS     UID   COMM            PID    TID    PPID   RET    EVENT          ARGS\n")) &&
	   strstr(got, " buildhost        4026531841 4026531836 1000  cat             100    101    99     -13    openat         dirfd: -100"),
	   "table-verbose adds UTS_NAME MNT_NS PID_NS PPID");
	unsetenv("TZ");
	tzset();
}

static void test_findings(void)
{
	struct tr_event ev;
	static const char *const tags[] = { "linux", "container", NULL };
	static const struct tr_fdata data[] = {
		{ .key = "path", .key_len = 4, .kind = TR_FD_STR, .v.str = { "/memfd:x", 8 } },
		{ .key = "n", .key_len = 1, .kind = TR_FD_INT, .v.i = 2 },
		{ .key = "nested", .key_len = 6, .kind = TR_FD_JSON,
		  .v.str = { "{\"a\": [1, \"]\"]}", 15 } },
	};
	static const struct tr_fdata typed[] = {
		{ .key = "ratio", .key_len = 5, .kind = TR_FD_FLOAT, .v.f = 1.5 },
		{ .key = "whole", .key_len = 5, .kind = TR_FD_FLOAT, .v.f = 2.0 },
		{ .key = "on", .key_len = 2, .kind = TR_FD_BOOL, .v.b = true },
		{ .key = "nan", .key_len = 3, .kind = TR_FD_NULL },
		{ .key = "l\"st", .key_len = 4, .kind = TR_FD_JSON, .v.str = { "[1,2]", 5 } },
	};
	struct tr_finding f = {
		.id = "TRC-105", .name = "fileless_execution", .version = "1",
		.description = "Fileless \"execution\"", .severity = 3,
		.category = "defense-evasion", .technique = "Reflective Code Loading",
		.external_id = "T1620", .tags = tags,
		.data = data, .nr_data = 3,
	};
	struct output *o;
	char spec[600], *got;

	build_openat(0, 0);
	decode_r(&ev);
	f.event = &ev;
	snprintf(spec, sizeof(spec), "json:%s", path_in("finding.out"));
	o = output_new(spec, NULL);
	ok(o && output_finding(o, &f) == 0, "a finding is written");
	f.data = typed;
	f.nr_data = 5;
	ok(output_finding(o, &f) == 0, "a finding with typed data is written");
	f.data = NULL;
	f.nr_data = 0;
	f.event = NULL;
	ok(output_finding(o, &f) == 0, "a finding without a triggering event is written");
	output_free(o);
	got = slurp(path_in("finding.out"));
	ok(strstr(got, "\"eventId\":\"6105\",\"eventName\":\"fileless_execution\"") &&
	   strstr(got, "{\"name\":\"path\",\"type\":\"string\",\"value\":\"/memfd:x\"},"
		       "{\"name\":\"n\",\"type\":\"int\",\"value\":2},"
		       "{\"name\":\"nested\",\"type\":\"map[string]interface{}\",\"value\":{\"a\": [1, \"]\"]}},"
		       "{\"name\":\"triggeredBy\",\"type\":\"unknown\",\"value\":{\"args\":[") &&
	   strstr(got, "\"id\":257,\"name\":\"openat\",\"returnValue\":3}}]") &&
	   strstr(got, "\"metadata\":{\"Version\":\"1\",\"Description\":\"Fileless \\\"execution\\\"\","
		       "\"Tags\":[\"linux\",\"container\"],\"Properties\":{\"Category\":\"defense-evasion\","
		       "\"Severity\":3,\"Technique\":\"Reflective Code Loading\",\"external_id\":\"T1620\","
		       "\"signatureID\":\"TRC-105\",\"signatureName\":\"fileless_execution\"}}}\n"),
	   "finding JSON: Tracee's eventName, data args, triggeredBy, metadata");
	ok(strstr(got, "\"argsNum\":6,") &&
	   strstr(got, "\"args\":[{\"name\":\"ratio\",\"type\":\"float64\",\"value\":1.5},"
		       "{\"name\":\"whole\",\"type\":\"int\",\"value\":2},"
		       "{\"name\":\"on\",\"type\":\"bool\",\"value\":true},"
		       "{\"name\":\"nan\",\"type\":\"unknown\",\"value\":null},"
		       "{\"name\":\"l\\\"st\",\"type\":\"[]interface{}\",\"value\":[1,2]},"
		       "{\"name\":\"triggeredBy\""),
	   "typed data: float64, a whole float as int, bool, null, an array; keys escaped");
	{
		char cmd[1024];

		snprintf(cmd, sizeof(cmd),
			 "python3 -c 'import sys,json\nfor l in open(sys.argv[1]): json.loads(l)' %s 2>/dev/null",
			 path_in("finding.out"));
		ok(system(cmd) == 0, "all three finding lines parse");
	}
	f.event = &ev;
	snprintf(spec, sizeof(spec), "table:%s", path_in("finding.out"));
	o = output_new(spec, NULL);
	output_finding(o, &f);
	output_free(o);
	got = slurp(path_in("finding.out"));
	ok(strstr(got, "fileless_execution id: TRC-105, severity: 3, description: Fileless \"execution\", triggeredBy: openat\n"),
	   "finding table row");
}

static void test_files(void)
{
	struct tr_event ev;
	struct output *o;
	struct stat st;
	char spec[600];
	int fd, i, p[2];

	build_openat(0, 0);
	decode_r(&ev);

	/* New file: 0600 whatever the umask. */
	umask(0);
	snprintf(spec, sizeof(spec), "json:%s", path_in("new.json"));
	o = output_new(spec, NULL);
	umask(022);
	ok(o != NULL, "json:FILE creates the file");
	memset(&st, 0, sizeof(st));
	i = stat(path_in("new.json"), &st);
	ok(!i && (st.st_mode & 07777) == 0600, "mode 0600 (%o)", (unsigned int)st.st_mode & 07777);
	for (i = 0; i < 3; i++)
		output_event(o, &ev);
	ok(output_written(o) == 0, "buffered until flushed");
	ok(output_flush(o) == 0 && output_written(o) == 3 && output_failed(o) == 0,
	   "flush writes them: 3 written");
	output_free(o);

	/* Existing regular file of ours: truncated. */
	fd = open(path_in("old.json"), O_WRONLY | O_CREAT | O_TRUNC, 0644);
	ok(fd >= 0 && write(fd, "old old old\n", 12) == 12, "an existing file");
	close(fd);
	snprintf(spec, sizeof(spec), "json:%s", path_in("old.json"));
	o = output_new(spec, NULL);
	output_event(o, &ev);
	output_free(o);
	ok(!strstr(slurp(path_in("old.json")), "old old") &&
	   !strncmp(slurp(path_in("old.json")), "{\"timestamp\":", 13), "is truncated and rewritten");

	/* A symlink is never followed. */
	fd = open(path_in("target"), O_WRONLY | O_CREAT | O_TRUNC, 0600);
	ok(fd >= 0 && write(fd, "precious\n", 9) == 9, "a target file");
	close(fd);
	ok(!symlink(path_in("target"), path_in("link")), "and a symlink to it");
	snprintf(spec, sizeof(spec), "json:%s", path_in("link"));
	ok(output_new(spec, NULL) == NULL, "an output naming the symlink is refused");
	ok(!strcmp(slurp(path_in("target")), "precious\n"), "the target is untouched");
	ok(!symlink(path_in("nowhere"), path_in("dangling")), "a dangling symlink");
	snprintf(spec, sizeof(spec), "json:%s", path_in("dangling"));
	ok(output_new(spec, NULL) == NULL && lstat(path_in("nowhere"), &st) && errno == ENOENT,
	   "is refused too, and nothing is created through it");

	/* Hard links, directories, missing directories. */
	ok(!link(path_in("target"), path_in("hard")), "a hard link");
	snprintf(spec, sizeof(spec), "json:%s", path_in("hard"));
	ok(output_new(spec, NULL) == NULL && !strcmp(slurp(path_in("target")), "precious\n"),
	   "a file with several links is refused");
	snprintf(spec, sizeof(spec), "json:%s", dir);
	ok(output_new(spec, NULL) == NULL, "a directory is refused");
	snprintf(spec, sizeof(spec), "json:%s", path_in("no/such/dir.json"));
	ok(output_new(spec, NULL) == NULL, "a missing directory is an error");

	/* ENOSPC: counted, reported once, never fatal. */
	o = output_new("json:/dev/full", NULL);
	ok(o != NULL, "json:/dev/full opens (a character device)");
	for (i = 0; i < 5; i++)
		output_event(o, &ev);
	ok(output_flush(o) == -ENOSPC && output_failed(o) == 5 && output_written(o) == 0,
	   "a full disk: the 5 events are counted as failed");
	output_event(o, &ev);
	ok(output_flush(o) == -ENOSPC && output_failed(o) == 6, "and the next one too, no crash");
	output_free(o);

	/* EPIPE through a FIFO whose reader went away (SIGPIPE ignored, as main does). */
	signal(SIGPIPE, SIG_IGN);
	ok(!mkfifo(path_in("fifo"), 0600), "a FIFO");
	snprintf(spec, sizeof(spec), "json:%s", path_in("fifo"));
	ok(output_new(spec, NULL) == NULL, "without a reader it is refused (no hang)");
	p[0] = open(path_in("fifo"), O_RDONLY | O_NONBLOCK);
	o = output_new(spec, NULL);
	ok(p[0] >= 0 && o != NULL, "with a reader it opens");
	close(p[0]);
	output_event(o, &ev);
	ok(output_flush(o) == -EPIPE && output_failed(o) == 1, "a reader gone: EPIPE counted");
	output_free(o);

	/* none, bad specs. */
	o = output_new("none", NULL);
	ok(o && output_event(o, &ev) == 0 && output_flush(o) == 0 && output_written(o) == 0,
	   "none writes nothing");
	output_free(o);
	ok(output_new("xml", NULL) == NULL && output_new("json:", NULL) == NULL &&
	   output_new(NULL, NULL) == NULL, "unknown sinks and empty file names are refused");
	output_free(NULL);
	ok(output_event(NULL, &ev) == -EINVAL && output_flush(NULL) == 0 &&
	   output_written(NULL) == 0, "NULL outputs are safe");

	/* Many events: several automatic flushes, all written. */
	snprintf(spec, sizeof(spec), "json:%s", path_in("many.json"));
	o = output_new(spec, NULL);
	for (i = 0; i < 20000; i++)
		output_event(o, &ev);
	ok(output_written(o) > 0, "the buffer flushes itself when full (%llu written so far)",
	   (unsigned long long)output_written(o));
	output_free(o);
	{
		char *t = slurp(path_in("many.json")), *nl = strchr(t, '\n');
		long long line = nl ? nl - t + 1 : 0;
		int st_ok = stat(path_in("many.json"), &st) == 0;

		ok(st_ok && line > 0 && st.st_size == line * 20000,
		   "all 20000 events reach the file whole (%lld bytes)", (long long)st.st_size);
	}
}

/*
 * The writer thread: a destination that keeps up gets every event in
 * order; a stuck one (a pipe nobody reads) never blocks the caller, the
 * overflow is counted, and output_free() returns in bounded time.
 */
static uint64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void test_writer_thread(void)
{
	struct output_opts wo = { .writer_thread = true };
	struct tr_event ev;
	struct output *o;
	struct stat st;
	char spec[600];
	uint64_t t0, worst = 0, t, n, nr_slow = 0;
	int i, p[2];

	build_openat(0, 0);
	decode_r(&ev);

	snprintf(spec, sizeof(spec), "json:%s", path_in("async.json"));
	o = output_new(spec, &wo);
	ok(o != NULL, "writer thread: json:FILE opens");
	for (i = 0; i < 50000; i++)
		output_event(o, &ev);
	output_flush(o);
	n = output_written(o) + output_failed(o);
	ok(n <= 50000, "counts never exceed what was given (%llu)", (unsigned long long)n);
	output_free(o);
	{
		char *txt = slurp(path_in("async.json")), *nl = strchr(txt, '\n');
		long long line = nl ? nl - txt + 1 : 0;

		ok(!stat(path_in("async.json"), &st) && line > 0 && st.st_size == line * 50000,
		   "all 50000 events reach the file whole and in order (%lld bytes)",
		   (long long)st.st_size);
	}

	/* A pipe nobody reads: 64 KiB fit, then write() would block forever. */
	signal(SIGPIPE, SIG_IGN);
	if (pipe(p)) {
		ok(0, "pipe: %s", strerror(errno));
		return;
	}
	/* As the program's stdout. */
	{
		int saved = dup(STDOUT_FILENO);

		fflush(stdout);
		dup2(p[1], STDOUT_FILENO);
		o = output_new("json", &wo);
		t0 = mono_ms();
		for (i = 0; i < 200000; i++) {
			uint64_t s = mono_ms();

			output_event(o, &ev);
			t = mono_ms() - s;
			if (t > worst)
				worst = t;
			nr_slow += t > 100;
		}
		output_flush(o);
		t = mono_ms() - t0;
		n = output_overflow(o);
		output_free(o);
		t0 = mono_ms() - t0 - t;
		dup2(saved, STDOUT_FILENO);
		close(saved);
	}
	/* Once, up to STUCK_MS (1 s) to find it stuck; then never again. */
	ok(worst < 1500 && nr_slow <= 1,
	   "a stuck pipe holds the caller back once, <= 1 s (slowest event %llu ms, %llu slow, all %llu ms)",
	   (unsigned long long)worst, (unsigned long long)nr_slow, (unsigned long long)t);
	ok(n > 0, "what does not fit is counted as overflow (%llu events)", (unsigned long long)n);
	ok(t0 < 5000, "output_free gives up on the stuck pipe in bounded time (%llu ms)",
	   (unsigned long long)t0);
	close(p[0]);
	close(p[1]);
}

/*
 * The writer thread cannot start (threads' default stack made larger than
 * any mapping can be): output_new says so, with its cause, not "out of
 * memory", and leaves no file it created behind.
 */
static void test_writer_start_fails(void)
{
	struct output_opts wo = { .writer_thread = true };
	pthread_attr_t def, huge;
	struct output *o;
	char spec[600], *err;
	int saved, fd, e;
	bool oom;

	if (pthread_getattr_default_np(&def) || pthread_attr_init(&huge) ||
	    pthread_attr_setstacksize(&huge, (size_t)1 << 46) || pthread_setattr_default_np(&huge)) {
		ok(0, "writer start failure: cannot set the threads' default stack size");
		return;
	}
	snprintf(spec, sizeof(spec), "json:%s", path_in("nothread.json"));
	fflush(stderr);
	saved = dup(STDERR_FILENO);
	fd = open(path_in("nothread.err"), O_WRONLY | O_CREAT | O_TRUNC, 0600);
	dup2(fd, STDERR_FILENO);
	close(fd);
	o = output_new(spec, &wo);
	e = errno;
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	pthread_setattr_default_np(&def);
	pthread_attr_destroy(&huge);
	pthread_attr_destroy(&def);
	ok(o == NULL && e != ENOMEM, "writer start failure: no output, errno is the cause (%s)",
	   strerror(e));
	err = slurp(path_in("nothread.err"));
	oom = strstr(err, "out of memory") != NULL;
	err[strcspn(err, "\n")] = '\0';	/* the first line, for the TAP line */
	ok(strstr(err, "cannot start its writer thread") && !oom,
	   "writer start failure: reported as such, not as out of memory: %s", err);
	ok(access(path_in("nothread.json"), F_OK) && errno == ENOENT,
	   "writer start failure: the file it created is removed");
	if (o)
		output_free(o);
}

static void cleanup(void)
{
	char cmd[600];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd))
		diag("could not remove %s", dir);
}

int main(void)
{
	if (!mkdtemp(dir)) {
		printf("1..0 # SKIP cannot make a temporary directory\n");
		return 0;
	}
	decode_init();
	test_json_line();
	test_values();
	test_parse_arguments();
	test_table();
	test_findings();
	test_files();
	test_writer_thread();
	test_writer_start_fails();
	cleanup();
	return done_testing();
}
