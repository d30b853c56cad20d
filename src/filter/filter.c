// SPDX-License-Identifier: GPL-2.0
/*
 * filter.c - the struct filter itself: set up, torn down, and asked what
 * the parsed expressions select and whether any scope is for the kernel.
 * The jobs on it live beside: filter_parse.c (the grammar), filter_rules.c
 * (user-space predicates), filter_kernel.c (tr_cfg and maps),
 * filter_autoload.c (programs), filter_avail.c (what this kernel provides).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "filter.h"
#include "filter_priv.h"
#include "pathdfa.h"

void filter_init(struct filter *f)
{
	memset(f, 0, sizeof(*f));
	f->uid_hi = UINT32_MAX;
	f->pid_hi = UINT32_MAX;
}

void filter_rule_free(struct filter_rule *r)
{
	unsigned int i;

	if (r->is_str)
		for (i = 0; i < r->nr_vals; i++)
			free(r->str[i]);
	r->nr_vals = 0;
}

void filter_fini(struct filter *f)
{
	unsigned int i;

	if (!f)
		return;
	for (i = 0; i < f->nr_rules; i++)
		filter_rule_free(&f->rules[i]);
	f->nr_rules = 0;
	for (i = 0; i < f->nr_paths; i++)
		free(f->paths[i]);
	free(f->paths);
	f->paths = NULL;
	f->nr_paths = 0;
	filter_container_fini(f);
	pathdfa_fini(f->pathdfa);
	free(f->pathdfa);
	f->pathdfa = NULL;
}

bool filter_selection(const struct filter *f, struct tr_selection *sel)
{
	unsigned int i;

	if (!f || !sel)
		return false;
	for (i = 0; i < TR_MAX_EVENT / 64; i++) {
		sel->bits[i] |= f->sel.bits[i];
		sel->bits[i] &= ~f->excl.bits[i];
	}
	return f->sel_given;
}

bool filter_has_scope(const struct filter *f)
{
	return f && f->scope_flags;
}
