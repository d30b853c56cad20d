/* SPDX-License-Identifier: GPL-2.0 */
/*
 * filter_priv.h - what the filter's files share beyond filter.h: freeing
 * one rule (filter.c owns the struct, filter_parse.c undoes a half-parsed
 * rule with it).
 */
#ifndef TRACEE_FILTER_PRIV_H
#define TRACEE_FILTER_PRIV_H

#include "filter.h"

/* Free the values a rule holds; it can be filled again. */
void filter_rule_free(struct filter_rule *r);

/* container=VALS (ne false) or container!=VALS: 0 or -EINVAL with err set. */
int filter_parse_container(struct filter *f, bool ne, const char *vals, const char *expr,
			   char *err, size_t errlen);
/* Free the held events. */
void filter_container_fini(struct filter *f);

#endif /* TRACEE_FILTER_PRIV_H */
