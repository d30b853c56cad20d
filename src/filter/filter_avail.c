// SPDX-License-Identifier: GPL-2.0
/*
 * filter_avail.c - can this kernel provide an event?  Its hook's program
 * type (features.h) and tracepoint (tracepoint.h) decide; selections drop
 * what is missing, or fail when the event was named.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "btf.h"
#include "caps.h"
#include "features.h"
#include "filter.h"
#include "log.h"
#include "tracepoint.h"

bool filter_event_available(const struct tr_event_def *d, char *why, size_t whylen)
{
	const struct features *feat = features_probe();
	const char *slash, *p;
	char kind[32];
	size_t n;

	if (why && whylen)
		why[0] = '\0';
	if (!d || !d->hook)
		return true;
	slash = strchr(d->hook, '/');
	if (!slash)
		return true;
	n = slash - d->hook;
	if (n >= sizeof(kind))
		n = sizeof(kind) - 1;
	memcpy(kind, d->hook, n);
	kind[n] = '\0';
	/* Unprivileged, the load probes all fail: they tell nothing about the
	 * kernel, so only the tracepoint checks below (BTF, kallsyms) count. */
	if (caps_have_bpf() &&
	    ((!strcmp(kind, "raw_tp") && !feat->raw_tp) ||
	    (!strcmp(kind, "tp_btf") && !feat->tp_btf) ||
	    (!strncmp(kind, "kprobe", 6) && !feat->kprobe) ||
	    (!strcmp(kind, "lsm") && !feat->lsm) ||
	    (!strncmp(kind, "fentry", 6) && !feat->fentry))) {
		tr_seterr(why, whylen, "this kernel cannot attach %s programs", kind);
		return false;
	}
	if (strcmp(kind, "raw_tp") && strcmp(kind, "tp_btf"))
		return true;
	for (p = slash + 1; *p;) {
		char tp[128];

		n = strcspn(p, "+");
		if (n && n < sizeof(tp)) {
			memcpy(tp, p, n);
			tp[n] = '\0';
			if (tracepoint_exists(btf_vmlinux(), tp) == 0) {
				tr_seterr(why, whylen, "this kernel has no %s tracepoint%s", tp,
				       !strcmp(tp, "module_load") ? " (built without modules)" : "");
				return false;
			}
		}
		p += n;
		if (*p == '+')
			p++;
	}
	return true;
}

int filter_check_available(struct tr_selection *sel, bool strict, char *err, size_t errlen)
{
	unsigned int i;
	char why[160];

	if (err && errlen)
		err[0] = '\0';
	for (i = 0; sel && i < events_nr; i++) {
		const struct tr_event_def *d = &events_table[i];

		if (!selection_has(sel, d->id) || filter_event_available(d, why, sizeof(why)))
			continue;
		if (strict) {
			tr_seterr(err, errlen, "event %s is not available: %s (see tracee --list)", d->name,
			       why);
			return -EINVAL;
		}
		tr_verbose(1, "event %s left out: %s", d->name, why);
		selection_set(sel, d->id, false);
	}
	return 0;
}
