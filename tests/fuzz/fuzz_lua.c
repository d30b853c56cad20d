// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_lua.c - libFuzzer target: hostile scripts.  The input is a script;
 * it is loaded into a fresh sandboxed engine with small budgets, then fed
 * an openat, an exec and an exit event, timers and the end of tracing.
 * Whatever the script does, the engine must neither crash nor leak.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode.h"
#include "lua_engine.h"
#include "../unit/record_builder.h"

static struct rb recs[3];
static FILE *devnull;

static void on_finding(void *ctx, const struct tr_finding *f)
{
	(void)ctx;
	(void)f;
}

/* tracee.process(): one known process, the rest unknown. */
static int one_proc(void *ctx, int pid, struct lua_engine_proc *p)
{
	(void)ctx;
	if (pid != 1100)
		return -ENOENT;
	memset(p, 0, sizeof(*p));
	p->pid = 1100;
	p->ppid = 1099;
	strcpy(p->comm, "cat");
	strcpy(p->exe, "/bin/cat");
	memcpy(p->argv, "cat\0/etc/shadow", 16);
	p->argv_sz = 16;
	return 0;
}

static void build(void)
{
	static const char *const argv[] = { "/bin/sh", "-c", "id", NULL };

	rb_init(&recs[0], 257);
	rb_u64(&recs[0], 0, (uint32_t)-100);
	rb_str(&recs[0], 1, "/etc/shadow");
	rb_u64(&recs[0], 2, 0);
	rb_u64(&recs[0], 3, 0);
	rb_init(&recs[1], TR_EV_SCHED_PROCESS_EXEC);
	rb_str(&recs[1], 0, "/bin/sh");
	rb_str(&recs[1], 1, "/bin/sh");
	rb_strarr(&recs[1], 8, argv, 0);
	rb_init(&recs[2], TR_EV_SCHED_PROCESS_EXIT);
	devnull = fopen("/dev/null", "w");
	decode_init();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lua_engine_opts o = {
		.max_instructions = 20000,
		.max_wall_ns = 20ULL * 1000 * 1000,
		.max_mem_bytes = 16u << 20,
		.lib_dir = getenv("TRACEE_LUA_DIR"),
		.finding_cb = on_finding,
		.proc_lookup = one_proc,
	};
	struct lua_engine *e;
	struct tr_event ev;
	char *src;
	unsigned int i;

	if (!devnull)
		build();
	if (size > 64 * 1024)
		return 0;
	src = malloc(size + 1);
	if (!src)
		return 0;
	memcpy(src, data, size);
	src[size] = '\0';
	e = lua_engine_new(&o);
	if (e && !lua_engine_load_string(e, "fuzz.lua", src)) {
		for (i = 0; i < 3; i++)
			if (!decode_record(recs[i].buf, rb_done(&recs[i]), &ev))
				lua_engine_event(e, &ev);
		lua_engine_tick(e, 10ULL * 1000 * 1000 * 1000);
		lua_engine_finish(e, devnull);
	}
	lua_engine_free(e);
	free(src);
	return 0;
}
