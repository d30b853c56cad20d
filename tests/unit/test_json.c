// SPDX-License-Identifier: GPL-2.0
/*
 * test_json.c - the JSON writer: exact output for known input, and every
 * document checked by a real parser (python3's json module) for hostile
 * strings: quotes, backslashes, control bytes, invalid UTF-8, long paths.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "json.h"
#include "../tap.h"

static char *render_str(const char *s, size_t len)
{
	static struct obuf b;
	struct json j;

	obuf_fini(&b);
	obuf_init(&b, 16);
	json_init(&j, &b);
	json_str(&j, s, len);
	obuf_putc(&b, '\0');
	return b.p;
}

static void is_str(const char *in, size_t len, const char *want, const char *what)
{
	char *got = render_str(in, len);

	if (!ok(!strcmp(got, want), "%s", what)) {
		diag("got:  %s", got);
		diag("want: %s", want);
	}
}

/*
 * Feed "hex-of-input <tab> json-line" pairs to python3; it checks that each
 * line parses, that the result is a str that encodes to UTF-8, and that it
 * equals the input decoded the way we promise (invalid bytes -> U+FFFD).
 * Returns the number of failing lines, or -1 when python3 is missing.
 */
static const char *py_check =
	"import sys, json\n"
	"bad = 0\n"
	"for n, line in enumerate(sys.stdin):\n"
	"    hx, js = line.rstrip('\\n').split('\\t', 1)\n"
	"    raw = bytes.fromhex(hx)\n"
	"    try:\n"
	"        v = json.loads(js)\n"
	"        v.encode('utf-8')\n"
	"        want = raw.decode('utf-8', errors='replace')\n"
	"        if v != want:\n"
	"            # Python folds some invalid sequences into one U+FFFD; we write one per\n"
	"            # byte, like Go. Compare with the invalid parts taken out.\n"
	"            if v.replace('\\ufffd', '') != want.replace('\\ufffd', ''):\n"
	"                raise ValueError('value differs')\n"
	"    except Exception as e:\n"
	"        bad += 1\n"
	"        print('# line %d: %s: %r' % (n, e, js[:200]))\n"
	"print(bad)\n";

static int python_check(const char *path)
{
	char cmd[4096], script[] = "/tmp/test_json_py.XXXXXX", out[256];
	FILE *p;
	int fd, bad = -1;

	fd = mkstemp(script);
	if (fd < 0)
		return -1;
	if (write(fd, py_check, strlen(py_check)) != (ssize_t)strlen(py_check)) {
		close(fd);
		unlink(script);
		return -1;
	}
	close(fd);
	snprintf(cmd, sizeof(cmd), "python3 %s < %s 2>&1", script, path);
	p = popen(cmd, "r");
	if (p) {
		while (fgets(out, sizeof(out), p)) {
			if (out[0] == '#')
				fputs(out, stdout);
			else
				bad = atoi(out);
		}
		if (pclose(p) != 0)
			bad = -1;
	}
	unlink(script);
	return bad;
}

static void add_case(FILE *f, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		fprintf(f, "%02x", (unsigned char)s[i]);
	fprintf(f, "\t%s\n", render_str(s, len));
}

/* The input's length from the literal: embedded NULs count. */
#define IS_STR(lit, want, what)	is_str(lit, sizeof(lit) - 1, want, what)

static void test_escaping(void)
{
	IS_STR("plain/path.txt", "\"plain/path.txt\"", "plain ASCII passes through");
	IS_STR("a\"b\\c", "\"a\\\"b\\\\c\"", "quotes and backslashes are escaped");
	IS_STR("l1\nl2\r\t\b\f", "\"l1\\nl2\\r\\t\\b\\f\"", "short escapes for \\n \\r \\t \\b \\f");
	IS_STR("\x01\x1f\x7f", "\"\\u0001\\u001f\x7f\"", "other control bytes as \\u00XX; DEL is legal as is");
	IS_STR("a\0b", "\"a\\u0000b\"", "NUL bytes are kept, escaped");
	IS_STR("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80",
	       "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"", "valid UTF-8 passes through");
	IS_STR("\xff", "\"\\ufffd\"", "an invalid byte becomes \\ufffd");
	IS_STR("\xc0\x80", "\"\\ufffd\\ufffd\"", "an overlong NUL: one \\ufffd per byte");
	IS_STR("\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\"", "a UTF-16 surrogate is invalid");
	IS_STR("\xf4\x90\x80\x80", "\"\\ufffd\\ufffd\\ufffd\\ufffd\"", "above U+10FFFF is invalid");
	IS_STR("x\xe2\x82", "\"x\\ufffd\\ufffd\"", "a sequence cut at the end is invalid");
	IS_STR("\x80y", "\"\\ufffdy\"", "a stray continuation byte is invalid");
	IS_STR("\xe2\x80\xa8\xe2\x80\xa9", "\"\\u2028\\u2029\"", "U+2028/U+2029 are escaped");
	IS_STR("", "\"\"", "the empty string");
}

static void test_parser(void)
{
	char path[] = "/tmp/test_json.XXXXXX";
	char long_path[4097];
	unsigned int seed = 7, i, k;
	FILE *f;
	int fd, bad;
	static const char *const cases[] = {
		"quote\"s", "back\\slash", "new\nline", "\x01\x02\x03\x1b[31mred", "\xff\xfe\xfd",
		"\xc3", "\xe2\x82", "\xf0\x9f\x98", "\xed\xbf\xbf", "ok \xc3\xa9", "\xef\xbf\xbd",
	};

	fd = mkstemp(path);
	f = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (!f) {
		ok(0, "temporary file: %s", strerror(errno));
		return;
	}
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		add_case(f, cases[i], strlen(cases[i]));
	/* A 4096-byte path holding every byte value but NUL, in turn. */
	long_path[0] = '/';
	for (i = 1; i < 4096; i++)
		long_path[i] = 1 + (i % 255);
	add_case(f, long_path, 4096);
	/* Random byte strings, including NULs. */
	for (i = 0; i < 2000; i++) {
		char s[64];
		unsigned int n = rand_r(&seed) % sizeof(s);

		for (k = 0; k < n; k++)
			s[k] = rand_r(&seed);
		add_case(f, s, n);
	}
	fclose(f);
	bad = python_check(path);
	if (bad < 0)
		skip(1, "python3 is not available to check the output");
	else
		ok(bad == 0, "python3 parses all %zu strings back (hostile, 4096-byte, random)",
		   sizeof(cases) / sizeof(cases[0]) + 2001);
	unlink(path);
	{
		char *got = render_str(long_path, 4096);

		ok(got[0] == '"' && strlen(got) > 4096, "the 4096-byte path is written whole (%zu bytes)",
		   strlen(got));
	}
}

static void test_structure(void)
{
	struct obuf b;
	struct json j;

	obuf_init(&b, 8);	/* tiny: exercises growth */
	json_init(&j, &b);
	json_obj_begin(&j);
	JSON_KEY(&j, "a");
	json_arr_begin(&j);
	json_int(&j, 1);
	json_int(&j, -2);
	json_obj_begin(&j);
	JSON_KEY(&j, "b");
	json_null(&j);
	json_obj_end(&j);
	json_arr_begin(&j);
	json_arr_end(&j);
	json_arr_end(&j);
	json_key(&j, "c\"d");
	json_bool(&j, true);
	JSON_KEY(&j, "e");
	json_obj_begin(&j);
	json_obj_end(&j);
	JSON_KEY(&j, "f");
	json_bool(&j, false);
	JSON_KEY(&j, "g");
	json_raw(&j, "{\"x\":1}", 7);
	json_obj_end(&j);
	obuf_putc(&b, '\0');
	ok(!strcmp(b.p, "{\"a\":[1,-2,{\"b\":null},[]],\"c\\\"d\":true,\"e\":{},\"f\":false,\"g\":{\"x\":1}}"),
	   "nesting and commas: %s", b.p);
	obuf_fini(&b);
}

static const char *num(void (*fn)(struct obuf *, uint64_t), uint64_t v)
{
	static struct obuf b;

	obuf_fini(&b);
	obuf_init(&b, 4);
	fn(&b, v);
	obuf_putc(&b, '\0');
	return b.p;
}

static void put_i64(struct obuf *b, uint64_t v)
{
	obuf_i64(b, (int64_t)v);
}

static const char *secs(int64_t s, int64_t ns)
{
	static struct obuf b;

	obuf_fini(&b);
	obuf_init(&b, 4);
	obuf_seconds(&b, s, ns);
	obuf_putc(&b, '\0');
	return b.p;
}

static void test_numbers(void)
{
	ok(!strcmp(num(obuf_u64, 0), "0") && !strcmp(num(obuf_u64, 9), "9") &&
	   !strcmp(num(obuf_u64, 10), "10") && !strcmp(num(obuf_u64, 100), "100") &&
	   !strcmp(num(obuf_u64, 1234567), "1234567"), "small unsigned numbers");
	ok(!strcmp(num(obuf_u64, UINT64_MAX), "18446744073709551615"), "UINT64_MAX");
	ok(!strcmp(num(put_i64, (uint64_t)INT64_MIN), "-9223372036854775808") &&
	   !strcmp(num(put_i64, INT64_MAX), "9223372036854775807") &&
	   !strcmp(num(put_i64, (uint64_t)-100), "-100"), "INT64_MIN, INT64_MAX, -100");
	ok(!strcmp(num(obuf_hex, 0), "0x0") && !strcmp(num(obuf_hex, 0xdeadbeef), "0xdeadbeef") &&
	   !strcmp(num(obuf_hex, UINT64_MAX), "0xffffffffffffffff"), "hex");
	ok(!strcmp(secs(1, 500000000), "1.5") && !strcmp(secs(2, 0), "2") &&
	   !strcmp(secs(0, 1), "0.000000001") && !strcmp(secs(-1, 500000000), "-0.5") &&
	   !strcmp(secs(3, 2000000000), "5"), "timespecs as seconds (1.5, 2, 0.000000001, -0.5, 5)");
	{
		struct obuf b;

		obuf_init(&b, 4);
		obuf_u64_pad(&b, 42, 6);
		obuf_putc(&b, '\0');
		ok(!strcmp(b.p, "000042"), "zero padding");
		obuf_fini(&b);
	}
}

static void test_growth(void)
{
	struct obuf b;
	struct json j;
	char chunk[1000];
	int i;

	memset(chunk, 'x', sizeof(chunk));
	obuf_init(&b, 16);
	json_init(&j, &b);
	json_arr_begin(&j);
	for (i = 0; i < 200; i++)
		json_str(&j, chunk, sizeof(chunk));
	json_arr_end(&j);
	ok(obuf_ok(&b) && b.len == 2 + 200 * 1002 + 199 && b.cap >= b.len,
	   "the buffer grows as needed (%zu bytes)", b.len);
	obuf_fini(&b);
	obuf_fini(&b);
	ok(1, "obuf_fini twice is safe");
}

int main(void)
{
	test_escaping();
	test_parser();
	test_structure();
	test_numbers();
	test_growth();
	return done_testing();
}
