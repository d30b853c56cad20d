/* SPDX-License-Identifier: GPL-2.0 */
/*
 * filter.h - scopes and event filters: --scope, --trace (legacy grammar) and
 * the filter words of -e (openat.args.pathname=/etc/passwd).
 *
 * Scopes (pid, tid, uid, comm, mntns, pidns, container, executable, pid=new,
 * container=new, follow) are pushed into the kernel: a flags word and
 * ranges in tr_cfg (.rodata) and the scope_vals/scope_comm maps, so events
 * out of scope never reach user space (counted TR_STAT_FILTERED).
 * container=ID|PREFIX|NAME and container!= run in user space instead, before
 * the scripts (filter_container_check(): a new container's cgroup and name
 * are known too late for the kernel).
 * Event filters (arguments, return value, per-event scope fields) run in
 * user space, on the decoded event, before any formatting: filter_event().
 *
 * Grammar (current Tracee):
 *   --scope pid=1,2 | pid!=3 | pid>100 | pid<=200 | pid=new | tid=... |
 *           uid=0 | uid!=0 | uid>999 | uid<1000 | comm=bash,sh | comm!=ls |
 *           mntns=N | pidns=N | container | container=new | not-container |
 *           container=ID,PREFIX,NAME | container!=ID,PREFIX,NAME |
 *           executable=/usr/bin/curl (alias exec=) | follow
 *   EVENT.args.ARG{=,!=,<,>,<=,>=}V[,V...]	(alias EVENT.data.ARG)
 *   EVENT.retval{=,!=,<,>,<=,>=}N
 *   EVENT.scope.FIELD{=,!=,...}V		(FIELD: comm pid tid uid mntns pidns uts)
 * Strings compare whole, '*' matches any run of bytes (a prefix "/etc" then
 * '*', a suffix '*' ".so", '*' "ssh" '*'); '=' values are alternatives,
 * '!=' values all exclude.
 *
 * Legacy --trace (tracee-ebpf): event=/e= (trailing * = prefix), event!=,
 * set=/s=, uid/u, pid/p, tid, mntns, pidns, comm, container, !container,
 * container=new, pid=new, follow, EVENT.ARG=V, EVENT.retval>N.
 */
#ifndef TRACEE_FILTER_H
#define TRACEE_FILTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "events.h"

struct pathdfa;

struct bpf_object;
struct tr_config;

#define FILTER_MAX_VALS		1024	/* scope_vals map size */
#define FILTER_MAX_COMMS	256	/* scope_comm map size */
#define FILTER_MAX_RULES	128
#define FILTER_MAX_RULE_VALS	32

/* A kernel-side scope value (pid=, uid!=, mntns=, executable=...). */
struct filter_kval {
	uint32_t kind;		/* enum tr_scope_kind */
	uint32_t aux;
	uint64_t val;
	uint8_t bits;		/* TR_SCOPE_V_EQ | TR_SCOPE_V_NE */
};

struct filter_kcomm {
	char name[TR_COMM_LEN];	/* zero-padded, as bpf_get_current_comm() */
	uint8_t bits;
};

/*
 * One value of container=/container!= (filter_container.c): a whole id
 * (64 hex), an id prefix (12 to 63 hex) or a name as the runtime gave it.
 */
enum filter_ckind { FILTER_C_ID, FILTER_C_PREFIX, FILTER_C_NAME };
#define FILTER_MAX_CONTAINERS	64

struct filter_container {
	enum filter_ckind kind;
	bool ne;		/* container!=: excludes */
	unsigned int group;	/* container= expressions AND, their values OR */
	char val[256];
};

struct filter_hold;

enum filter_op { FILTER_EQ, FILTER_NE, FILTER_LT, FILTER_GT, FILTER_LE, FILTER_GE };

/* What a user-space rule looks at. */
enum filter_field {
	FILTER_F_ARG,		/* rule.arg: argument index */
	FILTER_F_RETVAL,
	FILTER_F_COMM,
	FILTER_F_PID,		/* host pid */
	FILTER_F_TID,		/* host tid */
	FILTER_F_UID,
	FILTER_F_MNTNS,
	FILTER_F_PIDNS,
	FILTER_F_UTS,
};

/* One user-space rule: EVENT.FIELD op value[,value...]. */
struct filter_rule {
	int event_id;
	enum filter_field field;
	unsigned int arg;
	enum filter_op op;
	bool is_str;		/* compare values as strings (globs) */
	unsigned int nr_vals;
	char *str[FILTER_MAX_RULE_VALS];	/* is_str */
	int64_t num[FILTER_MAX_RULE_VALS];	/* !is_str */
};

struct filter {
	/* kernel side: tr_cfg.scope_* and the scope maps */
	uint32_t scope_flags;		/* TR_SCOPE_* */
	uint32_t uid_lo, uid_hi, pid_lo, pid_hi;
	struct filter_kval kvals[FILTER_MAX_VALS];
	unsigned int nr_kvals;
	struct filter_kcomm kcomms[FILTER_MAX_COMMS];
	unsigned int nr_kcomms;
	/* user side */
	struct filter_rule rules[FILTER_MAX_RULES];
	unsigned int nr_rules;
	uint64_t has_rules[TR_MAX_EVENT / 64];	/* events with rules */
	/* kernel side: the pathname prefilter (filter_paths_*): its globs, and
	 * their automaton (tr_cfg.fopen_*, the path_dfa map) once compiled */
	char **paths;
	unsigned int nr_paths;
	bool paths_all;			/* some consumer wants every path */
	struct pathdfa *pathdfa;
	/* events the expressions select (legacy event=/set=, EVENT.* filters) */
	struct tr_selection sel;
	struct tr_selection excl;
	bool sel_given;
	/* container=/container!= values, matched in user space */
	struct filter_container conts[FILTER_MAX_CONTAINERS];
	unsigned int nr_conts;
	unsigned int nr_cgroups;	/* container= expressions */
	struct filter_hold *hold;	/* events waiting for a container's name */
};

void filter_init(struct filter *f);

/*
 * The kernel-side pathname prefilter of security_file_open.  Each consumer
 * of the event (the output, every script handler) says what it needs: some
 * globs (filter_paths_add), or everything (filter_paths_all).  The kernel
 * drops paths no glob can match only when no consumer needs everything.
 * The globs, up to FILTER_MAX_PATHS, become one automaton (src/filter/pathdfa.h)
 * when the loader configures the object (filter_cfg_hook); when it cannot
 * be built small enough, every path goes through.
 */
#define FILTER_MAX_PATHS	4096
void filter_paths_all(struct filter *f);
void filter_paths_add(struct filter *f, const char *glob);
/*
 * Compile the globs into the automaton (once).  0, or -ENOMEM; an
 * automaton too large, or globs that match every path, only turn the
 * prefilter off (said with -v).
 */
int filter_paths_compile(struct filter *f);
/* The output as a consumer: the globs of an EVENT.args.pathname= rule, or all. */
void filter_paths_from_rules(struct filter *f, int event_id);
/* Frees what the rules hold; f can be filter_init()ed again.  NULL-safe. */
void filter_fini(struct filter *f);

/*
 * Parse one --scope (legacy false) or --trace (legacy true) expression, or a
 * filter word of -e.  Returns 0, or -EINVAL with one line in err quoting the
 * offending text and saying what would be accepted; f is unchanged then.
 */
int filter_parse(struct filter *f, const char *expr, bool legacy, char *err, size_t errlen);

/* Is an -e word a filter (has = < or >) rather than a list of events? */
bool filter_is_expr(const char *s);

/*
 * The events the expressions name: every EVENT of an EVENT.* filter and the
 * legacy event=/set= selections.  Added to sel (exclusions removed); true
 * when the expressions selected events by themselves (legacy event=/set=):
 * then no -e is needed.
 */
bool filter_selection(const struct filter *f, struct tr_selection *sel);

/* Does the event pass the user-space rules?  Cheap for events without rules. */
bool filter_event(const struct filter *f, const struct tr_event *ev);

/*
 * The container=/container!= scopes (filter_container.c), in user space
 * after the process tree and the runtime registry, before the scripts.
 * PASS or DROP; HOLD when the event's container may be a named one whose
 * name the runtime has not given yet: keep its record with
 * filter_container_hold(), and filter_container_release() decides it
 * once runtime_settled() (all: decide every held event now, at exit).
 * Lifecycle events (container_create...) belong to the container they name.
 */
enum filter_verdict { FILTER_PASS, FILTER_DROP, FILTER_HOLD };
enum filter_verdict filter_container_check(const struct filter *f, const struct tr_event *ev);
/* Does a scope name a container by its name (so it needs the runtimes)? */
bool filter_container_names(const struct filter *f);
/*
 * Keep a copy of the record and of what the tree and the registry said of
 * ev.  0, or -ENOMEM/-E2BIG (the event is lost, the caller counts it).  The
 * hold is bounded: past it the oldest held events are dropped (warned once,
 * and counted by the next release).
 */
int filter_container_hold(struct filter *f, const void *rec, size_t sz, const struct tr_event *ev);
typedef void (*filter_deliver_cb)(void *ctx, struct tr_event *ev);
/* cb for each held event now in scope, in arrival order; returns how many were dropped. */
unsigned int filter_container_release(struct filter *f, bool all, filter_deliver_cb cb, void *ctx);
unsigned int filter_container_held(const struct filter *f);

/* Any scope for the kernel?  (No: the kernel side prunes every check.) */
bool filter_has_scope(const struct filter *f);

/*
 * Loader, between bpf_object__open and bpf_object__load: fill the scope
 * fields of cfg, the pathname prefilter's (when filter_paths_compile() made
 * an automaton), and TR_SYS_CAPTURE | TR_SYS_DERIVE for the syscalls the
 * selected derived events (TR_EVENT_SYS rows) come from.  f may be NULL.
 */
int filter_fill_config(const struct filter *f, const struct tr_selection *sel,
		       struct tr_config *cfg);

/*
 * Loader, after choosing the programs and before bpf_object__load: keep the
 * fork and exit programs for "follow", and the mprotect helper program only
 * where it is needed and the kernel has bpf_find_vma(); size the path_dfa
 * map to the automaton.  f may be NULL.
 */
int filter_prepare(const struct filter *f, const struct tr_selection *sel,
		   struct bpf_object *obj);

/*
 * The same as loader hooks (struct loader_opts), ctx = the struct filter
 * (or NULL): cfg_hook = filter_cfg_hook (compiles the path globs,
 * takes the selection from cfg->ev_sel), maps_hook = filter_maps_hook
 * (fills the scope maps and path_dfa after load, before attach).  0 or a negative errno, reported.
 */
struct tracer;
int filter_cfg_hook(void *ctx, struct tr_config *cfg);
/* filter_prepare() shaped as a hook: after choosing the programs, before load */
int filter_prog_hook(void *ctx, const struct tr_selection *sel, struct bpf_object *obj);
int filter_maps_hook(void *ctx, const struct tracer *t);

/*
 * Can this kernel provide the event?  false with the reason in why (for
 * --list and -e): the hook's program type is missing (features.h) or the
 * tracepoint does not exist (kernel BTF, else /proc/kallsyms).
 */
bool filter_event_available(const struct tr_event_def *d, char *why, size_t whylen);

/*
 * Check every selected event with filter_event_available().  strict (the
 * events were named): -EINVAL with "event X is not available: why" in err;
 * otherwise (sets, wildcards, the default set) the unavailable ones are
 * removed from sel, said with -v.
 */
int filter_check_available(struct tr_selection *sel, bool strict, char *err, size_t errlen);

#endif /* TRACEE_FILTER_H */
