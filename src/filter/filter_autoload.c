// SPDX-License-Identifier: GPL-2.0
/*
 * filter_autoload.c - the filter's say on which programs load: the fork
 * and exit programs for "follow", the mprotect helper only for
 * mem_prot_alert on a kernel with bpf_find_vma(); and the path_dfa map sized
 * to the automaton before load.
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include <bpf/libbpf.h>

#include "features.h"
#include "filter.h"
#include "log.h"
#include "pathdfa.h"

int filter_prepare(const struct filter *f, const struct tr_selection *sel,
		   struct bpf_object *obj)
{
	const struct tr_event_def *mp = events_by_name("mem_prot_alert");
	struct bpf_program *prog;
	bool follow = f && (f->scope_flags & TR_SCOPE_FOLLOW);

	bpf_object__for_each_program(prog, obj) {
		const char *name = bpf_program__name(prog);
		const char *sec = bpf_program__section_name(prog);

		if (!strcmp(name, "tr_mprot_enter")) {
			/* the features' probe, so TRACEE_FEATURES_OFF=find_vma holds here too */
			bool on = mp && sel && selection_has(sel, mp->id) &&
				  features_probe()->find_vma;

			if (mp && sel && selection_has(sel, mp->id) && !on)
				tr_verbose(1, "mem_prot_alert: no bpf_find_vma() on this kernel: prev_prot is 0 and W->X changes are not seen");
			bpf_program__set_autoload(prog, on);
		} else if (follow && (!strcmp(sec, "raw_tp/sched_process_fork") ||
				      !strcmp(sec, "raw_tp/sched_process_exit"))) {
			/* follow: children join at fork, leave at exit */
			bpf_program__set_autoload(prog, true);
		}
	}
	if (f && !f->paths_all && f->pathdfa) {
		struct bpf_map *m = bpf_object__find_map_by_name(obj, "path_dfa");
		int ret;

		if (!m) {
			tr_err("the eBPF object has no path_dfa map (rebuild it with this version of tracee)");
			return -ENOENT;
		}
		ret = bpf_map__set_max_entries(m, f->pathdfa->nr_states);
		if (ret) {
			tr_err("path_dfa: %s", strerror(-ret));
			return ret;
		}
	}
	return 0;
}

int filter_prog_hook(void *ctx, const struct tr_selection *sel, struct bpf_object *obj)
{
	return filter_prepare(ctx, sel, obj);
}
