// SPDX-License-Identifier: GPL-2.0
/*
 * filter_kernel.c - what the filter puts into the kernel: the scope flags
 * and ranges in tr_cfg, the syscall bits of selected derived events, the
 * pathname prefilter's globs compiled to an automaton, and after load the
 * scope_vals, scope_comm and path_dfa maps.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <bpf/bpf.h>

#include "clock.h"
#include "filter.h"
#include "loader.h"
#include "log.h"
#include "pathdfa.h"

static int syscall_nr(const char *name, size_t len)
{
	const struct tr_event_def *d;
	char buf[64];

	if (len >= sizeof(buf))
		return -1;
	memcpy(buf, name, len);
	buf[len] = '\0';
	d = events_by_name(buf);
	return d && d->id >= 0 && d->id < TR_MAX_SYSCALL ? d->id : -1;
}

/*
 * Derived events that compare with the state before the syscall need
 * sys_enter (TR_SYS_AT_ENTER; bpf/derive.h tr_enter_aux() reads it):
 * commit_creds and switch_task_ns the old credentials and namespaces,
 * magic_write the file offset of write/writev (pwrite* carry theirs).
 */
static __u64 derive_entry_needs(const char *event, const char *sys, size_t n)
{
	/* the sockaddr as passed is read at entry: bpf/derive.h tr_enter_sockaddr */
	if (!strcmp(event, "commit_creds") || !strcmp(event, "switch_task_ns") ||
	    !strcmp(event, "security_socket_connect") || !strcmp(event, "security_socket_bind"))
		return TR_SYS_AT_ENTER;
	if (!strcmp(event, "magic_write") &&
	    ((n == 5 && !strncmp(sys, "write", 5)) || (n == 6 && !strncmp(sys, "writev", 6))))
		return TR_SYS_AT_ENTER;
	return 0;
}

void filter_paths_all(struct filter *f)
{
	f->paths_all = true;
}

void filter_paths_add(struct filter *f, const char *glob)
{
	char **paths;
	unsigned int i;

	if (f->paths_all)
		return;	/* every path goes through anyway */
	for (i = 0; i < f->nr_paths; i++)
		if (!strcmp(f->paths[i], glob))
			return;
	if (f->nr_paths == FILTER_MAX_PATHS) {
		tr_verbose(1, "pathname prefilter: more than %d globs, every path goes to user space",
			   FILTER_MAX_PATHS);
		f->paths_all = true;
		return;
	}
	paths = realloc(f->paths, (f->nr_paths + 1) * sizeof(*paths));
	if (!paths || !(paths[f->nr_paths] = strdup(glob))) {
		/* out of memory: the prefilter is only an optimisation */
		if (paths)
			f->paths = paths;
		f->paths_all = true;
		return;
	}
	f->paths = paths;
	f->nr_paths++;
}

int filter_paths_compile(struct filter *f)
{
	struct pathdfa *d;
	int ret;

	if (!f || f->pathdfa || f->paths_all || !f->nr_paths)
		return 0;
	d = calloc(1, sizeof(*d));
	if (!d)
		return -ENOMEM;
	ret = pathdfa_build(d, (const char *const *)f->paths, f->nr_paths, TR_PF_MAX_STATES);
	if (ret == -E2BIG || ret == -ERANGE) {
		if (ret == -E2BIG)
			tr_verbose(1, "pathname prefilter: the %u globs need more than %d automaton states, every path goes to user space",
				   f->nr_paths, TR_PF_MAX_STATES);
		else
			tr_verbose(1, "pathname prefilter: a glob matches every path, every path goes to user space");
		f->paths_all = true;
		free(d);
		return 0;
	}
	if (ret) {
		free(d);
		tr_err("pathname prefilter: %s", strerror(-ret));
		return ret;
	}
	f->pathdfa = d;
	return 0;
}

void filter_paths_from_rules(struct filter *f, int event_id)
{
	const struct tr_event_def *d = events_by_id(event_id);
	unsigned int i, v;

	for (i = 0; d && i < f->nr_rules; i++) {
		const struct filter_rule *r = &f->rules[i];

		/* rules AND together: any one pathname= rule bounds the output */
		if (r->event_id != event_id || r->field != FILTER_F_ARG || r->op != FILTER_EQ ||
		    !r->is_str || r->arg >= d->nr_args || strcmp(d->args[r->arg].name, "pathname"))
			continue;
		for (v = 0; v < r->nr_vals; v++)
			filter_paths_add(f, r->str[v]);
		return;
	}
	f->paths_all = true;
}

int filter_fill_config(const struct filter *f, const struct tr_selection *sel,
		       struct tr_config *cfg)
{
	unsigned int i;

	for (i = 0; sel && i < events_nr; i++) {
		const struct tr_event_def *d = &events_table[i];
		const char *p = d->syscalls;

		if (!p || !selection_has(sel, d->id))
			continue;
		while (*p) {
			size_t n;
			int nr;

			while (*p == ' ')
				p++;
			n = strcspn(p, " ");
			if (!n)
				break;
			nr = syscall_nr(p, n);
			if (nr < 0 || nr >= TR_MAX_SYSCALL) {
				tr_err("event %s: unknown syscall '%.*s' in its table row (fix src/events/events.def)",
				       d->name, (int)n, p);
				return -EINVAL;
			}
			cfg->sys_cfg[nr] |= TR_SYS_CAPTURE | TR_SYS_DERIVE |
					    derive_entry_needs(d->name, p, n);
			p += n;
		}
	}
	if (!f)
		return 0;
	cfg->scope_flags = f->scope_flags;
	cfg->scope_start_ns = mono_ns();
	cfg->scope_uid_lo = f->uid_lo;
	cfg->scope_uid_hi = f->uid_hi;
	cfg->scope_pid_lo = f->pid_lo;
	cfg->scope_pid_hi = f->pid_hi;
	if (!f->paths_all && f->pathdfa) {
		const struct pathdfa *d = f->pathdfa;

		memcpy(cfg->fopen_class, d->class, sizeof(cfg->fopen_class));
		cfg->fopen_nstates = d->nr_states;
		tr_verbose(1, "pathname prefilter: security_file_open keeps %u path pattern(s) in the kernel (%u automaton states, %u byte classes%s%s)",
			   f->nr_paths, d->nr_states, d->nr_classes,
			   d->merged ? ", merged" : "",
			   d->level == PATHDFA_ONE_PART ? ", globs cut to one part" : "");
	}
	return 0;
}

int filter_cfg_hook(void *ctx, struct tr_config *cfg)
{
	struct tr_selection sel;
	int ret = filter_paths_compile(ctx);

	if (ret)
		return ret;

	memcpy(sel.bits, cfg->ev_sel, sizeof(sel.bits));
	return filter_fill_config(ctx, &sel, cfg);
}

int filter_maps_hook(void *ctx, const struct tracer *t)
{
	const struct filter *f = ctx;
	int vals, comms;
	unsigned int i;

	if (f && !f->paths_all && f->pathdfa) {
		int dfa = loader_map_fd(t, "path_dfa");

		if (dfa < 0) {
			tr_err("the eBPF object has no path_dfa map (rebuild it with this version of tracee)");
			return -ENOENT;
		}
		for (i = 0; i < f->pathdfa->nr_states; i++)
			if (bpf_map_update_elem(dfa, &i, &f->pathdfa->states[i], BPF_ANY)) {
				int ret = -errno;	/* before tr_err() can change it */

				tr_err("path_dfa: row %u: %s", i, strerror(-ret));
				return ret;
			}
	}
	if (!f || (!f->nr_kvals && !f->nr_kcomms))
		return 0;
	vals = loader_map_fd(t, "scope_vals");
	comms = loader_map_fd(t, "scope_comm");
	if (vals < 0 || comms < 0) {
		tr_err("the eBPF object has no scope maps (rebuild it with this version of tracee)");
		return -ENOENT;
	}
	for (i = 0; i < f->nr_kvals; i++) {
		const struct filter_kval *k = &f->kvals[i];
		struct tr_scope_key key = { .kind = k->kind, .aux = k->aux, .val = k->val };
		__u8 bits = k->bits;

		if (bpf_map_update_elem(vals, &key, &bits, BPF_ANY)) {
			int ret = -errno;	/* before tr_err() can change it */

			tr_err("scope values: %s (at most %d)", strerror(-ret), FILTER_MAX_VALS);
			return ret;
		}
	}
	for (i = 0; i < f->nr_kcomms; i++) {
		__u8 bits = f->kcomms[i].bits;

		if (bpf_map_update_elem(comms, f->kcomms[i].name, &bits, BPF_ANY)) {
			int ret = -errno;	/* before tr_err() can change it */

			tr_err("scope comm values: %s (at most %d)", strerror(-ret),
			       FILTER_MAX_COMMS);
			return ret;
		}
	}
	return 0;
}
