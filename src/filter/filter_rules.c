// SPDX-License-Identifier: GPL-2.0
/*
 * filter_rules.c - the user-space predicates: each decoded event against
 * the rules of its kind (arguments, return value, scope fields), before any
 * formatting.  Strings are globs ('*' any run of bytes).
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "decode.h"
#include "filter.h"


/* Whole-string match where '*' matches any run of bytes; other bytes literal. */
static bool glob_match(const char *pat, const char *s, size_t slen)
{
	const char *star = NULL;
	size_t i = 0, back = 0;

	while (i < slen) {
		if (*pat == '*') {
			star = pat++;
			back = i;
		} else if (*pat && *pat == s[i]) {
			pat++;
			i++;
		} else if (star) {
			pat = star + 1;
			i = ++back;
		} else {
			return false;
		}
	}
	while (*pat == '*')
		pat++;
	return !*pat;
}

static bool str_any(const struct filter_rule *r, const char *s, size_t len)
{
	unsigned int i;

	for (i = 0; i < r->nr_vals; i++)
		if (glob_match(r->str[i], s, len))
			return true;
	return false;
}

/* Does a string value match any of the rule's values (an array: any entry)? */
static bool str_value_hit(const struct filter_rule *r, const struct tr_arg *a)
{
	struct tr_str e;
	uint32_t pos = 0;

	if (a->kind == TR_V_STR)
		return str_any(r, a->v.str.p, a->v.str.len);
	while (decode_strarr_next(a, &pos, &e))
		if (str_any(r, e.p, e.len))
			return true;
	return false;
}

static bool num_cmp(enum filter_op op, int64_t x, int64_t v)
{
	switch (op) {
	case FILTER_LT:
		return x < v;
	case FILTER_GT:
		return x > v;
	case FILTER_LE:
		return x <= v;
	case FILTER_GE:
		return x >= v;
	default:
		return x == v;
	}
}

/* 1: the rule's values hit (any for = and !=, the comparison otherwise); 0: no; -1: no value */
static int rule_hit(const struct filter_rule *r, const struct tr_event *ev)
{
	const struct tr_record_hdr *h = ev->hdr;
	int64_t x;
	unsigned int i;

	switch (r->field) {
	case FILTER_F_ARG: {
		const struct tr_arg *a = &ev->args[r->arg];

		if (r->arg >= ev->nr_args || a->kind == TR_V_NONE)
			return -1;
		if (r->is_str) {
			if (a->kind != TR_V_STR && a->kind != TR_V_STRARR)
				return -1;
			return str_value_hit(r, a);
		}
		if (a->kind != TR_V_INT && a->kind != TR_V_UINT && a->kind != TR_V_PTR &&
		    a->kind != TR_V_BOOL)
			return -1;
		x = a->v.i;
		break;
	}
	case FILTER_F_RETVAL:
		x = h->retval;
		break;
	case FILTER_F_COMM:
		return str_any(r, h->comm, strnlen(h->comm, sizeof(h->comm)));
	case FILTER_F_UTS:
		return str_any(r, h->uts, strnlen(h->uts, sizeof(h->uts)));
	case FILTER_F_PID:
		x = h->host_pid;
		break;
	case FILTER_F_TID:
		x = h->host_tid;
		break;
	case FILTER_F_UID:
		x = h->uid;
		break;
	case FILTER_F_MNTNS:
		x = h->mnt_ns;
		break;
	case FILTER_F_PIDNS:
		x = h->pid_ns;
		break;
	default:
		return -1;
	}
	if (r->op == FILTER_EQ || r->op == FILTER_NE) {
		for (i = 0; i < r->nr_vals; i++)
			if (x == r->num[i])
				return 1;
		return 0;
	}
	return r->nr_vals && num_cmp(r->op, x, r->num[0]);
}

/*
 * Rules of one event: '=' rules on the same field are alternatives (one of
 * them must hit), every '!=' and comparison must hold.  A value the event
 * does not carry (argument not captured) fails the rule.
 */
bool filter_event(const struct filter *f, const struct tr_event *ev)
{
	uint64_t eq_fields = 0, eq_hits = 0;
	unsigned int i;
	int id;

	if (!f || !f->nr_rules || !ev || !ev->def)
		return true;
	id = ev->def->id;
	if (id < 0 || id >= TR_MAX_EVENT || !(f->has_rules[id / 64] & (1ULL << (id % 64))))
		return true;
	for (i = 0; i < f->nr_rules; i++) {
		const struct filter_rule *r = &f->rules[i];
		unsigned int key = r->field == FILTER_F_ARG ? r->arg : 16 + r->field;
		int hit;

		if (r->event_id != id)
			continue;
		hit = rule_hit(r, ev);
		if (r->op == FILTER_EQ) {
			eq_fields |= 1ULL << key;
			if (hit == 1)
				eq_hits |= 1ULL << key;
		} else if (r->op == FILTER_NE) {
			if (hit != 0)
				return false;
		} else if (hit != 1) {
			return false;
		}
	}
	return (eq_fields & ~eq_hits) == 0;
}
