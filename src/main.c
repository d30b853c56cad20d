// SPDX-License-Identifier: GPL-2.0
/*
 * main.c - wiring only: parse -> load -> run -> teardown.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "analyze.h"
#include "btf.h"
#include "buildtree.h"
#include "capture.h"
#include "exechash.h"
#include "caps.h"
#include "cli.h"
#include "decode.h"
#include "events.h"
#include "features.h"
#include "filter.h"
#include "loader.h"
#include "lockdown.h"
#include "metrics.h"
#include "log.h"
#include "lua_engine.h"
#include "output.h"
#include "pidfile.h"
#include "proctree.h"
#include "reader.h"
#include "runtime.h"
#include "server.h"

#define EXIT_NO_OBJECT	2	/* no usable eBPF object: as the original */
#define POLL_MS		10	/* the kernel side wakes us only past a watermark */
#define FLUSH_NS	(200ULL * 1000 * 1000)

static volatile sig_atomic_t stop_requested;
static volatile sig_atomic_t reopen_requested;

struct run {
	struct output *outs[CLI_MAX_OUTPUTS];
	unsigned int nr_outs;
	struct lua_engine *lua;			/* NULL: no scripts, no signatures */
	struct filter *filter;			/* argument, event and container filters */
	struct tr_selection out_sel;		/* events written out (the rest feed scripts) */
	struct tr_selection kernel_sel;		/* events the kernel side emits */
	struct metrics_run counts;		/* also read by the metrics */
	struct metrics *metrics;		/* --server: NULL without */
};

static void on_stop_signal(int sig)
{
	stop_requested = 1;
}

/* logrotate's postrotate: the file outputs open their paths again. */
static void on_hup_signal(int sig)
{
	reopen_requested = 1;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* An enriched event (decoded, or derived in user space) to the scripts and the sinks. */
static void deliver(void *ctx, struct tr_event *ev)
{
	struct run *run = ctx;
	unsigned int i;

	/* option:exec-hash: a new binary's exec waits (bounded) for its sha256;
	 * an exec only the process tree wanted is not hashed */
	if (ev->def->id == TR_EV_SCHED_PROCESS_EXEC &&
	    (run->lua || selection_has(&run->out_sel, ev->def->id)) && exechash_event(ev))
		return;
	/* -c exec: the executed file, copied off this thread (src/capture/). */
	if (ev->def->id == TR_EV_SCHED_PROCESS_EXEC && ev->hdr && ev->hdr->retval == 0 &&
	    capture_exec_all())
		capture_exec_request(ev);
	if (run->lua && !lua_engine_event(run->lua, ev)) {
		run->counts.dropped_by_scripts++;
		return;
	}
	/*
	 * Wanted by the scripts or the process tree alone (a signature's event,
	 * the exec that marks a container started): seen, not for the outputs.
	 * Counted, so that received = written + filtered + dropped + lost.
	 */
	if (!selection_has(&run->out_sel, ev->def->id)) {
		run->counts.filtered_in_user++;
		return;
	}
	/* After the tree and the scripts: they still see every event. */
	if (!filter_event(run->filter, ev)) {
		run->counts.filtered_in_user++;
		return;
	}
	for (i = 0; i < run->nr_outs; i++)
		output_event(run->outs[i], ev);
}

/*
 * The per-record path: decode in place, keep the process tree current,
 * let the scripts look, then hand the view to every sink.
 */
static void on_record(void *ctx, const void *rec, size_t sz)
{
	struct run *run = ctx;
	enum filter_verdict v;
	struct tr_event ev;

	/* -c write's chunks are no events: counted by the capture, not here */
	if (decode_is_capture(rec, sz)) {
		capture_record(rec, sz);
		return;
	}
	run->counts.received++;
	if (decode_record(rec, sz, &ev)) {
		run->counts.decode_errors++;
		return;
	}
	proctree_enrich(&ev, proctree_update(&ev));
	runtime_enrich(&ev);
	v = filter_container_check(run->filter, &ev);
	/* its container's name is not known yet: decided once it is */
	if (v == FILTER_HOLD && !filter_container_hold(run->filter, rec, sz, &ev))
		return;
	if (v != FILTER_PASS) {
		run->counts.filtered_in_user++;	/* or no memory to hold it */
		return;
	}
	deliver(run, &ev);
}

/* capture_* events: made here, not read from the kernel side. */
static void deliver_made(void *ctx, struct tr_event *ev)
{
	struct run *run = ctx;

	run->counts.made++;
	deliver(run, ev);
}

/* container_create and friends: under container= scopes, those of the named ones. */
static void deliver_lifecycle(void *ctx, struct tr_event *ev)
{
	struct run *run = ctx;

	run->counts.made++;
	if (filter_container_check(run->filter, ev) != FILTER_PASS) {
		run->counts.filtered_in_user++;
		return;
	}
	deliver(run, ev);
}

/* The lifecycle events, then the held events whose container's name came (all: at exit). */
static void containers_poll(struct run *run, bool all)
{
	runtime_poll(deliver_lifecycle, run);
	run->counts.filtered_in_user += filter_container_release(run->filter, all, deliver, run);
}

/* The containers running at start: started, and each gets existing_container. */
static void existing_container(void *ctx, const struct proc_info *pi)
{
	if (pi->container_id[0])
		runtime_get(pi->container_id, RUNTIME_EXISTING);
}

static void on_finding(void *ctx, const struct tr_finding *f)
{
	struct run *run = ctx;
	unsigned int i;

	/* written with the events: the summary names them, so its sum holds */
	run->counts.findings++;
	for (i = 0; i < run->nr_outs; i++)
		output_finding(run->outs[i], f);
}

/* tracee.scope{} and tracee.events{"openat.args.x=y"}: the --scope grammar. */
static int scripts_filters(struct cli_config *cfg, struct run *run)
{
	const char *const *list;
	unsigned int i, n;
	char err[256];

	n = lua_engine_scopes(run->lua, &list);
	for (i = 0; i < n; i++)
		if (filter_parse(&cfg->filter, list[i], false, err, sizeof(err))) {
			tr_err("tracee.scope: %s", err);
			return -EINVAL;
		}
	n = lua_engine_event_filters(run->lua, &list);
	for (i = 0; i < n; i++)
		if (filter_parse(&cfg->filter, list[i], false, err, sizeof(err))) {
			tr_err("tracee.events: %s", err);
			return -EINVAL;
		}
	return 0;
}

static void add_path_glob(void *ctx, const char *glob)
{
	filter_paths_add(ctx, glob);
}

/*
 * security_file_open's consumers (the output, the scripts) say which paths
 * they need; the kernel drops the rest after its path walk when none of
 * them needs every path (filter.h).
 */
static void paths_prefilter(struct cli_config *cfg, struct run *run)
{
	const struct tr_event_def *d = events_by_name("security_file_open");

	if (!d || !selection_has(&run->kernel_sel, d->id))
		return;
	if (selection_has(&run->out_sel, d->id))
		filter_paths_from_rules(&cfg->filter, d->id);
	if (run->lua && lua_engine_event_paths(run->lua, d->id, add_path_glob, &cfg->filter) < 0)
		filter_paths_all(&cfg->filter);
}

/*
 * --signatures after the policies' own tracee.enable/disable: signatures
 * switched off leave the dispatch, so the kernel selection below and the
 * path prefilter never hear of their events and paths.
 */
static int tune(const struct cli_config *cfg, struct lua_engine *lua)
{
	unsigned int i;

	for (i = 0; i < cfg->nr_sig_lists; i++)
		if (lua_engine_select_signatures(lua, cfg->sig_lists[i]))
			return -EINVAL;
	return lua_engine_resolve(lua);
}

/* tracee.capture(e, "exec" | "file" | "mem"): what e points at, copied off this thread. */
static int lua_capture(void *ctx, const struct tr_event *ev, const char *kind)
{
	(void)ctx;
	return capture_request(ev, kind);
}

/*
 * Scripts load before anything touches the kernel: a script error stops
 * tracee with nothing attached.  What they declare joins the selection.
 */
static int scripts_load(struct cli_config *cfg, struct run *run)
{
	struct lua_engine_opts lo = {
		.unsafe = cfg->script_unsafe,
		.finding_cb = on_finding,
		.finding_ctx = run,
		.proc_lookup = lua_engine_proc_live,
		.capture = lua_capture,
	};
	unsigned int i;

	if (cfg->events_given)
		run->out_sel = cfg->sel;
	if (!cfg->signatures) {
		run->kernel_sel = run->out_sel;
		paths_prefilter(cfg, run);
		return 0;
	}
	run->lua = lua_engine_new(&lo);
	if (!run->lua)
		return -ENOMEM;
	if (lua_engine_load_builtin(run->lua))
		return -EINVAL;
	for (i = 0; i < cfg->nr_scripts; i++)
		if (lua_engine_load_file(run->lua, cfg->scripts[i]))
			return -EINVAL;
	if (cfg->scripts_dir && lua_engine_load_dir(run->lua, cfg->scripts_dir))
		return -EINVAL;
	if (tune(cfg, run->lua))
		return -EINVAL;
	/* What scripts declare goes down to the kernel filters like --scope does. */
	if (scripts_filters(cfg, run))
		return -EINVAL;
	lua_engine_output_selection(run->lua, &run->out_sel);
	filter_selection(&cfg->filter, &run->out_sel);	/* events named by filters */
	run->kernel_sel = run->out_sel;
	lua_engine_selection(run->lua, &run->kernel_sel);
	paths_prefilter(cfg, run);
	return 0;
}

static bool signature_event_available(void *ctx, const char *name)
{
	const struct features *f = ctx;
	const struct tr_event_def *d = events_by_name(name);

	if (!d)
		return false;
	/* hooked_syscall and friends come from kprobes alone. */
	if (!strncmp(name, "hooked_", 7))
		return f->kprobe;
	/* as --list says: a hook this kernel lacks (module_load without modules) */
	return filter_event_available(d, NULL, 0);
}

/* With the policies and --signatures given: the state a run would have. */
static int list_signatures(const struct cli_config *cfg)
{
	struct lua_engine_opts lo = { .unsafe = cfg->script_unsafe };
	struct lua_engine *e = lua_engine_new(&lo);
	int ret = EXIT_FAILURE;
	unsigned int i;

	if (!e || lua_engine_load_builtin(e))
		goto out;
	for (i = 0; i < cfg->nr_scripts; i++)
		if (lua_engine_load_file(e, cfg->scripts[i]))
			goto out;
	if (cfg->scripts_dir && lua_engine_load_dir(e, cfg->scripts_dir))
		goto out;
	if (tune(cfg, e))
		goto out;
	lua_engine_list_signatures(e, stdout, signature_event_available, (void *)features_probe());
	ret = EXIT_SUCCESS;
out:
	lua_engine_free(e);
	return ret;
}

/* systemd Type=notify readiness, without linking libsystemd. */
static void notify_systemd(const char *state)
{
	const char *path = getenv("NOTIFY_SOCKET");
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	socklen_t len;
	int fd;

	if (!path || (path[0] != '/' && path[0] != '@') || strlen(path) >= sizeof(sa.sun_path))
		return;
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return;
	strcpy(sa.sun_path, path);
	if (path[0] == '@')
		sa.sun_path[0] = '\0';	/* abstract namespace */
	len = offsetof(struct sockaddr_un, sun_path) + strlen(path);
	if (sendto(fd, state, strlen(state), MSG_NOSIGNAL, (struct sockaddr *)&sa, len) < 0)
		tr_verbose(1, "notify systemd at %s: %s", path, strerror(errno));
	close(fd);
}

/* "openat.pathname 3, connect.addr 1": the read failures by event and argument. */
struct fail_list {
	char buf[1024];
	size_t len;
};

static void fail_add(void *ctx, uint32_t event_id, unsigned int arg, uint64_t n)
{
	const struct tr_event_def *d = events_by_id((int)event_id);
	struct fail_list *l = ctx;
	int w;

	if (l->len >= sizeof(l->buf) - 1)
		return;
	if (d && arg < d->nr_args)
		w = snprintf(l->buf + l->len, sizeof(l->buf) - l->len, "%s%s.%s %llu",
			     l->len ? ", " : "", d->name, d->args[arg].name, (unsigned long long)n);
	else
		w = snprintf(l->buf + l->len, sizeof(l->buf) - l->len, "%sevent %u arg %u %llu",
			     l->len ? ", " : "", event_id, arg, (unsigned long long)n);
	if (w > 0)
		l->len += (size_t)w;
	if (l->len >= sizeof(l->buf))
		l->len = sizeof(l->buf) - 1;	/* cut: the metrics have them all */
}

static void print_stats(const struct tracer *t, const struct reader *r, const struct run *run,
			const char *prefix)
{
	struct fail_list fails = { .len = 0 };
	uint64_t k[TR_STAT_NR] = { 0 };
	uint64_t written = 0, failed = 0, lost_kernel, lost_perf, recursion;
	unsigned int i;

	loader_read_stats(t, k);
	recursion = loader_recursion_misses(t);
	/*
	 * A failed perf output is counted by the kernel side and reported again
	 * by the perf buffer's loss records: the same drops, counted once.
	 */
	lost_perf = reader_lost(r);
	lost_kernel = k[TR_STAT_LOST];
	if (!loader_uses_ringbuf(t) && lost_perf > lost_kernel)
		lost_kernel = lost_perf;
	for (i = 0; i < run->nr_outs; i++) {
		written += output_written(run->outs[i]);
		failed += output_failed(run->outs[i]);
		/* Lost before reaching the sinks: the table's closing Stats line. */
		output_set_totals(run->outs[i], lost_kernel, run->counts.decode_errors);
	}
	tr_info("%sevents received %llu, written %llu, lost %llu (kernel %llu, recursion %llu, "
		"output %llu), "
		"filtered in kernel %llu, filtered in user space %llu, dropped by scripts %llu, "
		"decode errors %llu, read failures %llu, follow set full %llu, made in user space %llu, "
		"findings %llu",
		prefix, (unsigned long long)run->counts.received, (unsigned long long)written,
		(unsigned long long)(lost_kernel + recursion + failed),
		(unsigned long long)lost_kernel, (unsigned long long)recursion,
		(unsigned long long)failed, (unsigned long long)k[TR_STAT_FILTERED],
		(unsigned long long)run->counts.filtered_in_user,
		(unsigned long long)run->counts.dropped_by_scripts,
		(unsigned long long)run->counts.decode_errors,
		(unsigned long long)k[TR_STAT_READ_FAIL],
		(unsigned long long)k[TR_STAT_FOLLOW_FULL],
		(unsigned long long)run->counts.made,
		(unsigned long long)run->counts.findings);
	/* which values were lost, and how the ones read at syscall entry fared */
	if (k[TR_STAT_READ_FAIL] && loader_read_fails(t, fail_add, &fails) > 0)
		tr_info("%sread failures by event and argument: %s", prefix, fails.buf);
	if (k[TR_STAT_READ_LATE] || k[TR_STAT_ENTRY_FULL])
		tr_info("%ssyscall arguments read at exit: %llu after a failed read at entry, "
			"%llu records not kept at entry (entry maps full)", prefix,
			(unsigned long long)k[TR_STAT_READ_LATE],
			(unsigned long long)k[TR_STAT_ENTRY_FULL]);
}

/* The kernel side's knobs: scopes and derived events, then -c write's. */
static int cfg_hook(void *ctx, struct tr_config *cfg)
{
	int ret = filter_cfg_hook(ctx, cfg);

	return ret ? ret : capture_fill_config(cfg);
}

/* The programs to load: the filter's say, then -c write's. */
static int prog_hook(void *ctx, const struct tr_selection *sel, struct bpf_object *obj)
{
	int ret = filter_prog_hook(ctx, sel, obj);

	return ret ? ret : capture_prog_hook(obj);
}

/* At exit, with -c: what was kept and what could not be. */
static void print_capture_stats(void)
{
	struct exechash_stats hs;
	struct capture_stats st;

	exechash_stats(&hs);
	if (exechash_on())
		tr_info("exec-hash: %llu files hashed, %llu execs from the cache, %llu late, "
			"%llu unreadable, %llu not waited for (too many waiting)",
			(unsigned long long)hs.hashed, (unsigned long long)hs.cached,
			(unsigned long long)hs.late, (unsigned long long)hs.failed,
			(unsigned long long)hs.full);
	if (!capture_on())
		return;
	capture_stats(&st);
	tr_info("capture: %llu stored (%llu bytes), %llu identical to one stored, %llu too large, "
		"%llu over the quota, %llu gone or replaced before the copy, %llu failed, "
		"%llu dropped (queue full)",
		(unsigned long long)st.captured, (unsigned long long)st.bytes,
		(unsigned long long)st.deduplicated, (unsigned long long)st.too_large,
		(unsigned long long)st.over_quota, (unsigned long long)st.gone,
		(unsigned long long)st.failed, (unsigned long long)st.queue_full);
	if (st.write_chunks || st.write_bad)
		tr_info("capture chunks (write, mem, bpf, module): %llu received, %llu refused (malformed), "
			"%llu not matching the globs, %llu calls with chunks missing, "
			"%llu calls cut (over %d KiB)",
			(unsigned long long)st.write_chunks, (unsigned long long)st.write_bad,
			(unsigned long long)st.write_unmatched, (unsigned long long)st.write_gaps,
			(unsigned long long)st.write_cut, TR_CAP_CHUNKS * TR_CAP_CHUNK / 1024);
}

/* At exit, per output, for the sinks that can lose on their own (network, full queues). */
static void print_output_stats(const struct run *run)
{
	struct output_stats st;
	unsigned int i;

	for (i = 0; i < run->nr_outs; i++) {
		output_stats(run->outs[i], &st);
		if (!output_is_net(st.spec) && !st.failed)
			continue;
		tr_info("output %s: written %llu, lost %llu (queue full %llu, given up %llu), reconnects or retries %llu",
			st.spec, (unsigned long long)st.written, (unsigned long long)st.failed,
			(unsigned long long)st.dropped,
			(unsigned long long)(st.failed - st.dropped),
			(unsigned long long)st.reconnects);
	}
}

static void list_events(void)
{
	unsigned int i, a;

	for (i = 0; i < events_nr; i++) {
		const struct tr_event_def *d = &events_table[i];

		char why[256];

		printf("%-28s %-5d %-40s %s\n", d->name, d->id, d->sets, d->hook);
		printf("    (");
		for (a = 0; a < d->nr_args; a++)
			printf("%s%s %s", a ? ", " : "", d->args[a].type, d->args[a].name);
		printf(")\n");
		if (d->syscalls && *d->syscalls)
			printf("    derived from syscalls: %s\n", d->syscalls);
		if (!filter_event_available(d, why, sizeof(why)))
			printf("    unavailable on this kernel: %s\n", why);
	}
}

static int probe(const struct cli_config *cfg)
{
	char path[4096], reason[512];
	int err;

	features_print(features_probe(), stdout);
	/*
	 * Without the capabilities the features are unknown, not missing, and no
	 * object could be loaded: say why in one line rather than also reporting
	 * object directories this user cannot read.
	 */
	if (caps_check_bpf()) {
		printf("object: unknown, not permitted\n");
		return EXIT_FAILURE;
	}
	err = loader_choose(&cfg->lopts, path, sizeof(path), reason, sizeof(reason));
	if (err)
		printf("object: none\n");
	else
		printf("object: %s (%s)\n", path, reason);
	fflush(stdout);
	if (err)
		return err == -ENOENT ? EXIT_NO_OBJECT : EXIT_FAILURE;
	return EXIT_SUCCESS;
}

/*
 * No output can take events any more (every one a pipe whose reader exited,
 * as in `tracee -o json | head`): tracing on would only count losses.  With
 * one output still alive, tracee goes on and counts what the others lose.
 */
static bool all_outputs_gone(const struct run *run)
{
	unsigned int i;

	for (i = 0; i < run->nr_outs; i++)
		if (!output_gone(run->outs[i]))
			return false;
	return run->nr_outs > 0;
}

/* --server: metrics published from this thread, served from the server's. */
static int start_server(const struct cli_config *cfg, struct run *run, const struct tracer *t,
			const struct reader *r, struct server **srv)
{
	struct metrics_sources src = {
		.tracer = t, .reader = r, .outs = run->outs, .nr_outs = run->nr_outs,
		.lua = run->lua, .run = &run->counts,
	};

	run->metrics = metrics_new(&src);
	if (!run->metrics) {
		tr_err("--server: out of memory");
		return -ENOMEM;
	}
	metrics_publish(run->metrics, now_ns() / 1000000);
#ifdef HAVE_SERVER
	*srv = server_start(&cfg->server, run->metrics);
	if (!*srv)
		return -EINVAL;
#endif
	return 0;
}

static int run(struct cli_config *cfg)
{
	struct run run = { 0 };
	struct tracer *t = NULL;
	struct reader *r = NULL;
	struct pidfile *pf = NULL;
	struct server *srv = NULL;
	struct sigaction sa = { .sa_handler = on_stop_signal };
	struct sigaction sa_hup = { .sa_handler = on_hup_signal };
	uint64_t next_flush, next_stats;
	bool outputs_gone = false;
	unsigned int i;
	int ret = EXIT_FAILURE, err = 0;

	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa_hup, NULL);
	signal(SIGPIPE, SIG_IGN);	/* a closed pipe is an output error, not death */
	decode_init();
	if (scripts_load(cfg, &run))
		goto out;
	if (proctree_init(NULL)) {
		tr_err("process tree: %s", strerror(ENOMEM));
		goto out;
	}
	if (cfg->containers.enrich && !runtime_clients_built())
		tr_verbose(1, "containers: built without libcurl/json-c: no runtime is asked");
	if (filter_container_names(&cfg->filter) &&
	    !(cfg->containers.enrich && runtime_clients_built())) {
		tr_err("--scope container=NAME needs the runtimes' answers: drop --containers enrich=off (or build with libcurl and json-c), or scope by id");
		goto out;
	}
	err = runtime_init(&cfg->containers);
	if (err) {
		tr_err("containers: cannot start the runtime worker: %s", strerror(-err));
		err = 0;
		goto out;
	}

	if (caps_check_bpf())
		goto out;
	/* Before loading: a live tracee holding the pidfile is refused here. */
	if (cfg->pidfile) {
		pf = pidfile_lock(cfg->pidfile);
		if (!pf)
			goto out;
	}
	/*
	 * Events wanted only by signatures or sets quietly go when this kernel
	 * cannot give them (--list-signatures says which); named ones were
	 * refused by cli_parse already.
	 */
	filter_check_available(&run.kernel_sel, false, NULL, 0);
	/*
	 * Every fork, exec and exit, whatever the selection: the process tree
	 * knows each process's executable, parent and start time from them (a
	 * child that never ran an exec and is gone before its first selected
	 * event is read cannot be read from /proc), and the exec says when a
	 * container's own program starts (containerStarted).  Not written out
	 * unless selected.
	 */
	for (i = 0; i < 3; i++) {
		static const char *const life[] = {
			"sched_process_fork", "sched_process_exec", "sched_process_exit"
		};
		const struct tr_event_def *d = events_by_name(life[i]);

		if (d && filter_event_available(d, NULL, 0))
			selection_set(&run.kernel_sel, d->id, true);
	}
	/* -c mem: the region's bytes follow the mem_prot_alert that reports it */
	if (capture_wants_mem())
		selection_set(&run.kernel_sel, TR_EV_MEM_PROT_ALERT, true);
	/* container_create and friends: the kernel sends what they come from. */
	events_kernel_sources(&run.kernel_sel);
	cfg->lopts.sel = &run.kernel_sel;
	/* Scopes and derived events go into the kernel side's config and maps. */
	cfg->lopts.cfg_hook = cfg_hook;
	cfg->lopts.prog_hook = prog_hook;
	cfg->lopts.maps_hook = filter_maps_hook;
	cfg->lopts.hook_ctx = &cfg->filter;
	run.filter = &cfg->filter;
	t = loader_open(&cfg->lopts);
	if (!t) {
		ret = errno == ENOENT ? EXIT_NO_OBJECT : EXIT_FAILURE;
		goto out;
	}
	/* Outputs only once the kernel side is in: a failed load leaves no files. */
	cfg->out_opts.writer_thread = true;	/* a stuck output never stalls the reader */
	for (i = 0; i < cfg->nr_outputs; i++) {
		run.outs[i] = output_new(cfg->outputs[i], &cfg->out_opts);
		if (!run.outs[i])
			goto out_outputs;
		run.nr_outs++;
	}
	/* The capture directory, like the outputs, only once the kernel side is in. */
	{
		char cerr[PATH_MAX + 256];

		if (cfg->out_opts.exec_hash)
			exechash_enable();
		if (capture_init(&cfg->capture, cerr, sizeof(cerr))) {
			tr_err("%s", cerr);
			goto out_outputs;
		}
	}
	r = reader_new(t, on_record, &run);
	if (!r)
		goto out_outputs;
	if (cfg->server_given && start_server(cfg, &run, t, r, &srv))
		goto out_reader;
	/* After attaching: a process started meanwhile is read here or seen live. */
	proctree_seed();
	proctree_foreach_live(existing_container, NULL);
	caps_drop_after_attach(loader_events_map_fd(t));
	lockdown_running_phase(cfg->script_unsafe);
	if (pf && pidfile_write(pf))
		goto out_reader;
	notify_systemd("READY=1");

	next_flush = now_ns() + FLUSH_NS;
	next_stats = now_ns() + 1000000000ULL;
	while (!stop_requested) {
		uint64_t now;

		err = reader_poll(r, POLL_MS);
		if (err < 0 && err != -EINTR) {
			tr_err("reading events: %s", strerror(-err));
			break;
		}
		now = now_ns();
		containers_poll(&run, false);
		capture_poll(deliver_made, deliver, &run);
		if (reopen_requested) {
			reopen_requested = 0;
			/* What is buffered still belongs to the file being rotated away. */
			for (i = 0; i < run.nr_outs; i++) {
				output_flush(run.outs[i]);
				output_reopen(run.outs[i]);
			}
		}
		if (run.lua)
			lua_engine_tick(run.lua, now);
		if (now >= next_flush) {
			for (i = 0; i < run.nr_outs; i++)
				output_flush(run.outs[i]);
			next_flush = now + FLUSH_NS;
			if (all_outputs_gone(&run)) {
				tr_err("every output is gone (the reader of its pipe exited): stopping");
				outputs_gone = true;
				break;
			}
		}
		if (now >= next_stats) {
			if (cfg->stats)
				print_stats(t, r, &run, "stats: ");
			/* also the heartbeat /healthz watches */
			if (run.metrics)
				metrics_publish(run.metrics, now / 1000000);
			next_stats = now + 1000000000ULL;
		}
	}
	notify_systemd("STOPPING=1");
	/* Drain what the kernel produced up to the stop, not what keeps coming. */
	reader_drain_pending(r);
	containers_poll(&run, true);	/* a container_remove of the last records, held ones */
	/* The copies already asked for are finished and announced before outputs close. */
	capture_stop();
	capture_poll(deliver_made, deliver, &run);
	ret = (err < 0 && err != -EINTR) || outputs_gone ? EXIT_FAILURE : EXIT_SUCCESS;
out_reader:
	if (run.lua)
		lua_engine_finish(run.lua, stderr);
	for (i = 0; i < run.nr_outs; i++)
		output_finish(run.outs[i]);	/* every event written or failed */
	print_stats(t, r, &run, "");
	print_output_stats(&run);
	print_capture_stats();
#ifdef HAVE_SERVER
	server_stop(srv);
#endif
	metrics_free(run.metrics);
	reader_free(r);
out_outputs:
	capture_fini();
	for (i = 0; i < run.nr_outs; i++)
		output_free(run.outs[i]);
	loader_close(t);
out:
	pidfile_release(pf);	/* the one we created or took over: gone at any exit */
	runtime_fini();
	proctree_fini();
	lua_engine_free(run.lua);
	return ret;
}

int main(int argc, char **argv)
{
	struct cli_config cfg;
	int ret;

	buildtree_use();
	/* A subcommand with its own options (src/events/analyze.c): no BPF, no root. */
	if (argc > 1 && !strcmp(argv[1], "analyze"))
		return analyze_main(argc - 1, argv + 1);
	if (cli_parse(argc, argv, &cfg)) {
		cli_fini(&cfg);
		return EXIT_FAILURE;
	}
	switch (cfg.mode) {
	case CLI_HELP:
		cli_usage(stdout);
		ret = EXIT_SUCCESS;
		break;
	case CLI_VERSION:
		printf("tracee %s\n", PACKAGE_VERSION);
		ret = EXIT_SUCCESS;
		break;
	case CLI_LIST:
		list_events();
		ret = EXIT_SUCCESS;
		break;
	case CLI_PROBE:
		ret = probe(&cfg);
		break;
	case CLI_LIST_SIGNATURES:
		ret = list_signatures(&cfg);
		break;
	default:
		ret = run(&cfg);
		break;
	}
	cli_fini(&cfg);
	btf_release();	/* the kernel BTF that --list, --probe or the checks parsed */
	return ret;
}
