// SPDX-License-Identifier: GPL-2.0
/*
 * cli.c - options and environment into one struct cli_config.
 *
 * Every error names the offending text and the fix, and nothing has been
 * touched yet when parsing fails: the program exits before loading anything.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capture.h"
#include "caps.h"
#include "cfgfile.h"
#include "cli.h"
#include "log.h"
#include "server.h"
#include "sink_syslog.h"

enum {
	OPT_INSTALL_PATH = 256,
	OPT_BTF,
	OPT_KERNEL_HEADERS,
	OPT_BUILD_POLICY,
	OPT_PERF_BUFFER,
	OPT_ALLOW_FOREIGN,
	OPT_PIDFILE,
	OPT_PROBE,
	OPT_STATS,
	OPT_SCOPE,
	OPT_TRACE,
	OPT_SCRIPTS_DIR,
	OPT_SCRIPT_UNSAFE,
	OPT_LIST_SIGNATURES,
	OPT_SIGNATURES,
	OPT_CONTAINERS,
	OPT_SERVER,
	OPT_CONFIG,
};

static const struct option long_opts[] = {
	{ "events",		required_argument, NULL, 'e' },
	{ "output",		required_argument, NULL, 'o' },
	{ "capture",		required_argument, NULL, 'c' },
	{ "list",		no_argument,	   NULL, 'l' },
	{ "script",		required_argument, NULL, 's' },
	{ "scripts-dir",	required_argument, NULL, OPT_SCRIPTS_DIR },
	{ "script-unsafe",	no_argument,	   NULL, OPT_SCRIPT_UNSAFE },
	{ "list-signatures",	no_argument,	   NULL, OPT_LIST_SIGNATURES },
	{ "signatures",		required_argument, NULL, OPT_SIGNATURES },
	{ "server",		required_argument, NULL, OPT_SERVER },
	{ "config",		required_argument, NULL, OPT_CONFIG },
	{ "install-path",	required_argument, NULL, OPT_INSTALL_PATH },
	{ "btf",		required_argument, NULL, OPT_BTF },
	{ "kernel-headers",	required_argument, NULL, OPT_KERNEL_HEADERS },
	{ "build-policy",	required_argument, NULL, OPT_BUILD_POLICY },
	{ "perf-buffer",	no_argument,	   NULL, OPT_PERF_BUFFER },
	{ "allow-foreign-kernel-object", no_argument, NULL, OPT_ALLOW_FOREIGN },
	{ "pidfile",		required_argument, NULL, OPT_PIDFILE },
	{ "probe",		no_argument,	   NULL, OPT_PROBE },
	{ "stats",		no_argument,	   NULL, OPT_STATS },
	{ "scope",		required_argument, NULL, OPT_SCOPE },
	{ "trace",		required_argument, NULL, OPT_TRACE },
	{ "containers",		required_argument, NULL, OPT_CONTAINERS },
	{ "verbose",		no_argument,	   NULL, 'v' },
	{ "help",		no_argument,	   NULL, 'h' },
	{ "version",		no_argument,	   NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

void cli_usage(FILE *out)
{
	fputs("Usage: tracee [OPTIONS]\n"
	      "       tracee analyze [OPTIONS] FILE...   (replay recorded JSON events; see --help there)\n"
	      "Trace what processes do with eBPF and report it as events.\n"
	      "\n"
	      "Events and output:\n"
	      "  -e, --events LIST          events to trace: names, sets (fs, net, proc, default),\n"
	      "                             wildcards (open*) and exclusions (-openat), comma-separated\n"
	      "  -o, --output SPEC          table | table-verbose | json | none, optionally :FILE;\n"
	      "                             syslog[:unix:/PATH|:udp://H:P|:tcp://H:P|:tls://H:P],\n"
	      "                             webhook:URL; option:syslog-ca=FILE (also syslog-cert,\n"
	      "                             syslog-key),\n"
	      "                             option:webhook-timeout=SECONDS, option:webhook-batch=N;\n"
	      "                             option:parse-arguments, option:exec-env,\n"
	      "                             option:exec-hash (sched_process_exec's sha256),\n"
	      "                             option:umask (new files by the umask, not 0600) (repeatable)\n"
	      "                             and filters: openat.args.pathname=/etc/*, openat.retval<0\n"
	      "  -c, --capture SPEC         keep artifacts: exec (every executed file, once per\n"
	      "                             content), write[=GLOB] and write:type=regular|pipe|socket\n"
	      "                             (the bytes written to matching files), mem (memory made\n"
	      "                             executable), bpf (BPF programs loaded), module\n"
	      "                             (init_module images),\n"
	      "                             dir:PATH (default " CAPTURE_DEF_DIR "), clear-dir,\n"
	      "                             max-file-size=SIZE, quota=SIZE (repeatable)\n"
	      "  -l, --list                 list every event with its sets, hook and arguments\n"
	      "      --scope EXPR           trace only matching processes, checked in the kernel:\n"
	      "                             pid=, pid=new, tid=, uid=, uid>, uid!=, comm=, comm!=, mntns=,\n"
	      "                             pidns=, container, container=new, not-container,\n"
	      "                             executable=, follow (repeatable)\n"
	      "      --trace EXPR           the legacy grammar: event=openat, comm=bash,\n"
	      "                             openat.pathname=/etc/* (repeatable)\n"
	      "      --containers OPT       enrich=on|off (ask the runtimes for name, image, pod),\n"
	      "                             docker.socket=PATH, podman.socket=PATH (replace the\n"
	      "                             default sockets; repeatable)\n"
	      "\n"
	      "Lua policies (without -e or -s, the built-in signatures run and findings are printed):\n"
	      "  -s, --script FILE          run a Lua policy script (repeatable); the built-in\n"
	      "                             signatures run alongside it\n"
	      "      --scripts-dir DIR      run every *.lua file in DIR\n"
	      "      --script-unsafe        give scripts the io and os libraries\n"
	      "      --signatures LIST      switch signatures on or off: IDs, names, tag:TAG or all,\n"
	      "                             a leading '-' off, '+' on, a plain first item: only\n"
	      "                             those (repeatable)\n"
	      "      --list-signatures      list the signatures (state, ATT&CK, tags, whether this kernel\n"
	      "                             can feed them), the named lists and the exceptions\n"
	      "\n"
	      "eBPF object:\n"
	      "      --install-path DIR     where run-time objects live (default " TRACEE_DEFAULT_INSTALL_PATH ")\n"
	      "      --btf FILE             external BTF for kernels without /sys/kernel/btf/vmlinux\n"
	      "      --kernel-headers DIR   headers for a run-time kernel-specific build\n"
	      "      --build-policy POLICY  never | if-needed | always (default if-needed)\n"
	      "      --perf-buffer          use the perf buffer even where a ring buffer works\n"
	      "      --allow-foreign-kernel-object\n"
	      "                             load a kernel-specific object built for another release\n"
	      "      --probe                print the kernel's eBPF features and the object tracee would load\n"
	      "\n"
	      "Running:\n"
	      "      --config FILE          options from a YAML file (keys are the long options);\n"
	      "                             flags given here override it\n"
	      "      --server ITEMS         http-address=HOST:PORT (default 127.0.0.1:3366), metrics\n"
	      "                             (Prometheus /metrics), healthz (/healthz); comma-separated\n"
	      "      --pidfile FILE         write the pid once every probe is attached\n"
	      "      --stats                print event counters to stderr every second\n"
	      "  -v, --verbose              say more (repeat for more)\n"
	      "  -h, --help                 this text\n"
	      "  -V, --version              the version\n"
	      "\n"
	      "Environment: TRACEE_BPF_FILE (use this object), TRACEE_BTF_FILE (external BTF),\n"
	      "NOTIFY_SOCKET (systemd readiness).  See tracee(8).\n", out);
}

/*
 * An event asked for by name that this kernel cannot give is a clear error
 * now, not a failure at attach time (sets and wildcards just lose it).
 */
static int check_named_events(const char *list)
{
	char word[128], err[256];
	const char *p = list;

	/* Without CAP_BPF every probe fails: run() names the capabilities instead. */
	if (!caps_have_bpf())
		return 0;
	while (*p) {
		size_t n = strcspn(p, ",");
		const struct tr_event_def *d;

		if (n < sizeof(word)) {
			memcpy(word, p, n);
			word[n] = '\0';
			d = events_by_name(word);
			if (d) {
				struct tr_selection one = { 0 };

				selection_set(&one, d->id, true);
				if (filter_check_available(&one, true, err, sizeof(err))) {
					tr_err("%s", err);
					return -EINVAL;
				}
			}
		}
		p += n;
		if (*p == ',')
			p++;
	}
	return 0;
}

/* webhook:URL: an http or https URL with a host. */
static int webhook_check(const char *spec, char *err, size_t err_sz)
{
	const char *url = spec + 8;
	size_t skip = !strncmp(url, "http://", 7) ? 7 : !strncmp(url, "https://", 8) ? 8 : 0;

	if (!skip || !url[skip] || url[skip] == '/' || url[skip] == ':') {
		snprintf(err, err_sz, "output '%s': name an http or https URL (webhook:http://HOST:PORT/PATH)",
			 spec);
		return -EINVAL;
	}
#ifndef HAVE_WEBHOOK
	snprintf(err, err_sz, "output '%s': this tracee was built without libcurl (rebuild with libcurl4-openssl-dev for webhooks)",
		 spec);
	return -EINVAL;
#endif
	return 0;
}

/* "-o" takes sinks ("json:FILE") and options ("option:parse-arguments"). */
static int parse_output(struct cli_config *cfg, const char *spec)
{
	static const char *const sinks[] = { "table", "table-verbose", "json", "none" };
	size_t n;
	unsigned int i;
	int ret;

	ret = output_parse_option(&cfg->out_opts, spec);
	if (ret)
		return ret < 0 ? ret : 0;
	if (output_is_net(spec)) {
		char err[512];

		if (!strncmp(spec, "syslog", 6) ? sink_syslog_check(spec, err, sizeof(err)) :
		    webhook_check(spec, err, sizeof(err))) {
			tr_err("%s", err);
			return -EINVAL;
		}
		goto add;
	}
	n = strcspn(spec, ":");
	for (i = 0; i < sizeof(sinks) / sizeof(sinks[0]); i++)
		if (strlen(sinks[i]) == n && !strncmp(spec, sinks[i], n))
			break;
	if (i == sizeof(sinks) / sizeof(sinks[0])) {
		tr_err("unknown output '%s' in -o (use table, table-verbose, json or none, optionally :FILE, or syslog[:URL] or webhook:URL)",
		       spec);
		return -EINVAL;
	}
	if (spec[n] == ':' && spec[n + 1] == '\0') {
		tr_err("output '%s' names no file (write %.*s:/path/to/file)", spec, (int)n, spec);
		return -EINVAL;
	}
add:
	if (cfg->nr_outputs == CLI_MAX_OUTPUTS) {
		tr_err("too many -o outputs (at most %d)", CLI_MAX_OUTPUTS);
		return -EINVAL;
	}
	cfg->outputs[cfg->nr_outputs++] = spec;
	return 0;
}

static int parse_build_policy(const char *s, enum build_policy *out)
{
	if (!strcmp(s, "never"))
		*out = BUILD_NEVER;
	else if (!strcmp(s, "if-needed"))
		*out = BUILD_IF_NEEDED;
	else if (!strcmp(s, "always"))
		*out = BUILD_ALWAYS;
	else {
		tr_err("unknown --build-policy '%s' (use never, if-needed or always)", s);
		return -EINVAL;
	}
	return 0;
}

static void defaults(struct cli_config *cfg)
{
	const char *env;

	memset(cfg, 0, sizeof(*cfg));
	cfg->lopts.install_path = TRACEE_DEFAULT_INSTALL_PATH;
	cfg->lopts.core_obj_dir = PKGLIBDIR;
	cfg->lopts.bpf_src_dir = PKGDATADIR "/bpf";
	cfg->lopts.build_policy = BUILD_IF_NEEDED;
	cfg->containers.enrich = true;
	cfg->lopts.sel = &cfg->sel;
	cfg->lopts.self_pid = getpid();
	env = getenv("TRACEE_BTF_FILE");
	if (env && *env)
		cfg->lopts.btf_path = env;
	/* Let tests and relocated installs point at uninstalled trees. */
	env = getenv("TRACEE_PKGLIBDIR");
	if (env && *env)
		cfg->lopts.core_obj_dir = env;
	env = getenv("TRACEE_BPF_SRC_DIR");
	if (env && *env)
		cfg->lopts.bpf_src_dir = env;
}

/* --containers enrich=on|off | RUNTIME.socket=PATH */
static int parse_containers(struct runtime_opts *o, const char *arg)
{
	static const char *const runtimes[] = { "docker", "podman", "containerd" };
	const char *eq = strchr(arg, '=');
	unsigned int i;

	if (eq && !strncmp(arg, "enrich=", 7)) {
		if (!strcmp(eq + 1, "on") || !strcmp(eq + 1, "true")) {
			o->enrich = true;
			return 0;
		}
		if (!strcmp(eq + 1, "off") || !strcmp(eq + 1, "false")) {
			o->enrich = false;
			return 0;
		}
	}
	for (i = 0; eq && i < sizeof(runtimes) / sizeof(runtimes[0]); i++) {
		size_t n = strlen(runtimes[i]);
		struct runtime_socket *s;

		if (strncmp(arg, runtimes[i], n) || strncmp(arg + n, ".socket=", 8))
			continue;
		if (eq[1] != '/' || strlen(eq + 1) >= sizeof(s->path)) {
			tr_err("--containers '%s': the socket must be an absolute path of fewer than %zu bytes",
			       arg, sizeof(s->path));
			return -EINVAL;
		}
		if (o->nr_sockets == RUNTIME_MAX_SOCKETS) {
			tr_err("--containers '%s': at most %d sockets", arg, RUNTIME_MAX_SOCKETS);
			return -EINVAL;
		}
		s = &o->sockets[o->nr_sockets++];
		snprintf(s->runtime, sizeof(s->runtime), "%s", runtimes[i]);
		snprintf(s->path, sizeof(s->path), "%s", eq + 1);
		return 0;
	}
	tr_err("--containers '%s': unknown option (use enrich=on|off, docker.socket=PATH, "
	       "podman.socket=PATH or containerd.socket=PATH)", arg);
	return -EINVAL;
}

/*
 * One option, from the command line or the configuration file: 0, 1 to
 * stop parsing (--help, --version), or -EINVAL after one line.
 */
static int apply(struct cli_config *cfg, int c, char *arg)
{
	char err[256];

	switch (c) {
	case OPT_SCOPE:
	case OPT_TRACE:
		if (filter_parse(&cfg->filter, arg, c == OPT_TRACE, err, sizeof(err))) {
			tr_err("%s", err);
			return -EINVAL;
		}
		break;
	case 'e':
		if (filter_is_expr(arg)) {
			/* openat.args.pathname=/etc/x*: a filter that also selects openat */
			if (filter_parse(&cfg->filter, arg, false, err, sizeof(err))) {
				tr_err("%s", err);
				return -EINVAL;
			}
			break;
		}
		if (!cfg->events_given && arg[0] == '-') {
			/* Only exclusions: exclude from the default set. */
			events_select_default(&cfg->sel);
		}
		cfg->events_given = true;
		if (events_select(&cfg->sel, arg, err, sizeof(err))) {
			tr_err("%s", err);
			return -EINVAL;
		}
		if (check_named_events(arg))
			return -EINVAL;
		break;
	case 'o':
		if (parse_output(cfg, arg))
			return -EINVAL;
		break;
	case 'c':
		if (capture_parse(&cfg->capture, arg, err, sizeof(err))) {
			tr_err("%s", err);
			return -EINVAL;
		}
		break;
	case 'l':
		cfg->mode = CLI_LIST;
		break;
	case 's':
		if (cfg->nr_scripts == CLI_MAX_SCRIPTS) {
			tr_err("too many -s scripts (at most %d; use --scripts-dir)", CLI_MAX_SCRIPTS);
			return -EINVAL;
		}
		cfg->scripts[cfg->nr_scripts++] = arg;
		break;
	case OPT_SCRIPTS_DIR:
		cfg->scripts_dir = arg;
		break;
	case OPT_SCRIPT_UNSAFE:
		cfg->script_unsafe = true;
		break;
	case OPT_LIST_SIGNATURES:
		cfg->mode = CLI_LIST_SIGNATURES;
		break;
	case OPT_SIGNATURES:
		/* names are checked once the signatures are loaded (main.c) */
		if (cfg->nr_sig_lists == CLI_MAX_SIG_LISTS) {
			tr_err("too many --signatures options (at most %d; join them with commas)",
			       CLI_MAX_SIG_LISTS);
			return -EINVAL;
		}
		cfg->sig_lists[cfg->nr_sig_lists++] = arg;
		break;
	case OPT_INSTALL_PATH:
		if (arg[0] != '/') {
			tr_err("--install-path '%s' is not an absolute path (give a full path such as /tmp/tracee)",
			       arg);
			return -EINVAL;
		}
		cfg->lopts.install_path = arg;
		break;
	case OPT_BTF:
		cfg->lopts.btf_path = arg;
		break;
	case OPT_KERNEL_HEADERS:
		cfg->lopts.kernel_headers = arg;
		break;
	case OPT_BUILD_POLICY:
		if (parse_build_policy(arg, &cfg->lopts.build_policy))
			return -EINVAL;
		break;
	case OPT_PERF_BUFFER:
		cfg->lopts.force_perfbuf = true;
		break;
	case OPT_ALLOW_FOREIGN:
		cfg->lopts.allow_foreign_kernel = true;
		break;
	case OPT_PIDFILE:
		cfg->pidfile = arg;
		break;
	case OPT_PROBE:
		cfg->mode = CLI_PROBE;
		break;
	case OPT_STATS:
		cfg->stats = true;
		break;
	case OPT_CONTAINERS:
		if (parse_containers(&cfg->containers, arg))
			return -EINVAL;
		break;
	case OPT_SERVER:
		if (server_parse(&cfg->server, arg, err, sizeof(err))) {
			tr_err("%s", err);
			return -EINVAL;
		}
		cfg->server_given = true;
		break;
	case 'v':
		log_verbosity++;
		break;
	case 'h':
		cfg->mode = CLI_HELP;
		return 1;
	case 'V':
		cfg->mode = CLI_VERSION;
		return 1;
	}
	return 0;
}

static bool repeatable(int c)
{
	return c == 'e' || c == 'o' || c == 'c' || c == 's' || c == OPT_SCOPE || c == OPT_TRACE ||
	       c == OPT_SIGNATURES || c == OPT_SERVER || c == OPT_CONTAINERS;
}

/* Modes and the file itself: flags only. */
static bool flag_only(int c)
{
	return c == OPT_CONFIG || c == 'h' || c == 'V' || c == 'l' || c == OPT_LIST_SIGNATURES ||
	       c == OPT_PROBE;
}

static int parse_bool(const char *s, bool *b)
{
	static const char *const yes[] = { "true", "yes", "on" }, *const no[] = { "false", "no", "off" };
	unsigned int i;

	for (i = 0; i < 3; i++) {
		if (!strcmp(s, yes[i])) {
			*b = true;
			return 0;
		}
		if (!strcmp(s, no[i])) {
			*b = false;
			return 0;
		}
	}
	return -EINVAL;
}

#define OPT_VAL_MAX	512

/*
 * --config FILE: its options first, each unless the same option is on the
 * command line (flags override the file; a repeatable one given as a flag
 * replaces the file's whole list).  Errors name the file, line and key.
 */
static int apply_config(struct cli_config *cfg, int argc, char **argv)
{
	bool given[OPT_VAL_MAX] = { false };
	const char *path = NULL;
	char ctx[PATH_MAX + 128];
	unsigned int i;
	int c, ret;

	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "e:o:c:ls:vhV", long_opts, NULL)) != -1) {
		if (c == OPT_CONFIG)
			path = optarg;
		else if (c >= 0 && c < OPT_VAL_MAX)
			given[c] = true;
	}
	optind = 0;
	if (!path)
		return 0;
	if (config_read(path, &cfg->config))
		return -EINVAL;
	for (i = 0; i < cfg->config.nr; i++) {
		struct config_item *it = &cfg->config.items[i];
		const struct option *o;
		char *arg = it->value;
		bool on;

		for (o = long_opts; o->name; o++)
			if (!strcmp(o->name, it->key))
				break;
		if (!o->name || flag_only(o->val)) {
			tr_err("%s:%u: %s key '%s' (keys are the long options of tracee(8); see tracee.yaml(5))",
			       path, it->line, o->name ? "a flag only, not a" : "unknown", it->key);
			return -EINVAL;
		}
		if (it->listed && !repeatable(o->val)) {
			tr_err("%s:%u: key '%s' takes one value, not a list", path, it->line, it->key);
			return -EINVAL;
		}
		if (given[o->val])
			continue;
		if (o->has_arg == no_argument) {
			if (!it->plain || parse_bool(it->value, &on)) {
				tr_err("%s:%u: key '%s': bad value '%s' (true or false)", path,
				       it->line, it->key, it->value);
				return -EINVAL;
			}
			if (!on)
				continue;
			arg = NULL;
		}
		snprintf(ctx, sizeof(ctx), "%s:%u: key '%s'", path, it->line, it->key);
		log_set_context(ctx);
		ret = apply(cfg, o->val, arg);
		log_set_context(NULL);
		if (ret)
			return ret < 0 ? ret : 0;
	}
	return 0;
}

int cli_parse(int argc, char **argv, struct cli_config *cfg)
{
	char err[256];
	int c, ret;

	defaults(cfg);
	filter_init(&cfg->filter);
	ret = apply_config(cfg, argc, argv);
	if (ret || cfg->mode == CLI_HELP || cfg->mode == CLI_VERSION)
		return ret;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "e:o:c:ls:vhV", long_opts, NULL)) != -1) {
		switch (c) {
		case ':':
			tr_err("option '%s' needs a value (see tracee --help)", argv[optind - 1]);
			return -EINVAL;
		case '?':
			if (optopt)
				tr_err("unknown option '-%c' (see tracee --help)", optopt);
			else
				tr_err("unknown option '%s' (see tracee --help)", argv[optind - 1]);
			return -EINVAL;
		case OPT_CONFIG:
			break;	/* read first, by apply_config() */
		default:
			ret = apply(cfg, c, optarg);
			if (ret)
				return ret < 0 ? ret : 0;
			break;
		}
	}
	if (optind < argc) {
		tr_err("unexpected argument '%s' (options start with -; see tracee --help)", argv[optind]);
		return -EINVAL;
	}
	/* Events named by filters (openat.retval<0, --trace event=...) are selected too. */
	if (filter_selection(&cfg->filter, &cfg->sel))
		cfg->events_given = true;
	/* Sets and wildcards quietly lose the events this kernel cannot give. */
	filter_check_available(&cfg->sel, false, err, sizeof(err));
	/*
	 * The built-in signatures run unless the user asked for plain events
	 * (-e without any script): the default run reports findings.
	 */
	cfg->signatures = !cfg->events_given || cfg->nr_scripts || cfg->scripts_dir ||
			  cfg->nr_sig_lists;
	if (cfg->nr_outputs == 0)
		cfg->outputs[cfg->nr_outputs++] = "table";
	if (cfg->server_given && !cfg->server.metrics && !cfg->server.healthz) {
		tr_err("--server serves nothing (add metrics and/or healthz: --server http-address=%s,metrics,healthz)",
		       cfg->server.address ? cfg->server.address : SERVER_DEFAULT_ADDR);
		return -EINVAL;
	}
	return 0;
}

void cli_fini(struct cli_config *cfg)
{
	if (!cfg)
		return;
	filter_fini(&cfg->filter);
	free((char *)cfg->server.address);
	cfg->server.address = NULL;
	config_fini(&cfg->config);
}
