// SPDX-License-Identifier: GPL-2.0
/*
 * filter_parse.c - the scope grammar: --scope, legacy --trace and the
 * filter words of -e, parsed into a struct filter (kernel-side scope values
 * and ranges, user-space rules, the events they select).  Errors quote the
 * offending text and say what would be accepted; the filter is then
 * unchanged.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "filter.h"
#include "filter_priv.h"
#include "log.h"

/* The operator at p (one of = != < > <= >=): its length, or 0. */
static size_t op_at(const char *p, enum filter_op *op)
{
	if (p[0] == '!' && p[1] == '=') {
		*op = FILTER_NE;
		return 2;
	}
	if (p[0] == '<' && p[1] == '=') {
		*op = FILTER_LE;
		return 2;
	}
	if (p[0] == '>' && p[1] == '=') {
		*op = FILTER_GE;
		return 2;
	}
	if (p[0] == '=') {
		*op = FILTER_EQ;
		return 1;
	}
	if (p[0] == '<') {
		*op = FILTER_LT;
		return 1;
	}
	if (p[0] == '>') {
		*op = FILTER_GT;
		return 1;
	}
	return 0;
}

/* Split "field OP values": field = expr[0..flen), *op, values after it. */
static int split_expr(const char *expr, size_t *flen, enum filter_op *op, const char **vals)
{
	size_t i, n;

	for (i = 0; expr[i]; i++) {
		n = op_at(&expr[i], op);
		if (n) {
			*flen = i;
			*vals = expr + i + n;
			return 0;
		}
	}
	*flen = i;
	*vals = NULL;
	return -ENOENT;
}

static const char *op_name(enum filter_op op)
{
	static const char *const names[] = { "=", "!=", "<", ">", "<=", ">=" };

	return names[op];
}

static bool parse_u64(const char *s, size_t len, uint64_t *out)
{
	char buf[32], *end;
	unsigned long long v;

	if (!len || len >= sizeof(buf) || !isdigit((unsigned char)s[0]))
		return false;
	memcpy(buf, s, len);
	buf[len] = '\0';
	errno = 0;
	v = strtoull(buf, &end, 0);
	if (errno || *end)
		return false;
	*out = v;
	return true;
}

static bool parse_i64(const char *s, size_t len, int64_t *out)
{
	char buf[32], *end;
	long long v;

	if (!len || len >= sizeof(buf))
		return false;
	memcpy(buf, s, len);
	buf[len] = '\0';
	errno = 0;
	v = strtoll(buf, &end, 0);
	if (errno || *end || end == buf)
		return false;
	*out = v;
	return true;
}

static int add_kval(struct filter *f, uint32_t kind, uint32_t aux, uint64_t val, uint8_t bits,
		    const char *expr, char *err, size_t errlen)
{
	unsigned int i;

	for (i = 0; i < f->nr_kvals; i++) {
		struct filter_kval *k = &f->kvals[i];

		if (k->kind == kind && k->aux == aux && k->val == val) {
			k->bits |= bits;
			return 0;
		}
	}
	if (f->nr_kvals == FILTER_MAX_VALS) {
		tr_seterr(err, errlen, "too many scope values at '%s' (at most %d in all)", expr,
		       FILTER_MAX_VALS);
		return -EINVAL;
	}
	f->kvals[f->nr_kvals++] = (struct filter_kval){ kind, aux, val, bits };
	return 0;
}

static int add_kcomm(struct filter *f, const char *name, size_t len, uint8_t bits,
		     const char *expr, char *err, size_t errlen)
{
	struct filter_kcomm c = { .bits = bits };
	unsigned int i;

	if (len == 0 || len >= TR_COMM_LEN) {
		tr_seterr(err, errlen,
		       "comm '%.*s' in '%s' cannot match: a command name has 1 to %d bytes (the kernel keeps only the first %d)",
		       (int)len, name, expr, TR_COMM_LEN - 1, TR_COMM_LEN - 1);
		return -EINVAL;
	}
	memcpy(c.name, name, len);
	for (i = 0; i < f->nr_kcomms; i++) {
		if (!memcmp(f->kcomms[i].name, c.name, sizeof(c.name))) {
			f->kcomms[i].bits |= bits;
			return 0;
		}
	}
	if (f->nr_kcomms == FILTER_MAX_COMMS) {
		tr_seterr(err, errlen, "too many comm values at '%s' (at most %d)", expr,
		       FILTER_MAX_COMMS);
		return -EINVAL;
	}
	f->kcomms[f->nr_kcomms++] = c;
	return 0;
}

/* Iterate the comma-separated values of vals: *v, *vlen; false at the end. */
static bool next_val(const char **pos, const char **v, size_t *vlen)
{
	const char *p = *pos;

	if (!p)
		return false;
	*v = p;
	*vlen = strcspn(p, ",");
	*pos = p[*vlen] ? p + *vlen + 1 : NULL;
	return true;
}

struct kscope {
	const char *name;
	const char *alias;	/* legacy one-letter name, or NULL */
	uint32_t kind;
	uint32_t eq, ne, range;	/* TR_SCOPE_* flags */
};

static const struct kscope kscopes[] = {
	{ "pid", "p", TR_SK_PID, TR_SCOPE_PID_EQ, TR_SCOPE_PID_NE, TR_SCOPE_PID_RANGE },
	{ "tid", NULL, TR_SK_TID, TR_SCOPE_TID_EQ, TR_SCOPE_TID_NE, 0 },
	{ "uid", "u", TR_SK_UID, TR_SCOPE_UID_EQ, TR_SCOPE_UID_NE, TR_SCOPE_UID_RANGE },
	{ "mntns", NULL, TR_SK_MNTNS, TR_SCOPE_MNTNS_EQ, TR_SCOPE_MNTNS_NE, 0 },
	{ "pidns", NULL, TR_SK_PIDNS, TR_SCOPE_PIDNS_EQ, TR_SCOPE_PIDNS_NE, 0 },
};

static const struct kscope *kscope_by_name(const char *name, size_t len, bool legacy)
{
	unsigned int i;

	for (i = 0; i < sizeof(kscopes) / sizeof(kscopes[0]); i++) {
		const struct kscope *k = &kscopes[i];

		if (strlen(k->name) == len && !strncmp(k->name, name, len))
			return k;
		if (legacy && k->alias && strlen(k->alias) == len && !strncmp(k->alias, name, len))
			return k;
	}
	return NULL;
}

/* Narrow [*lo, *hi] by "op v" (uid>1000: lo = 1001). */
static int narrow_range(uint32_t *lo, uint32_t *hi, enum filter_op op, uint64_t v,
			const char *expr, char *err, size_t errlen)
{
	switch (op) {
	case FILTER_GT:
		if (v >= UINT32_MAX)
			goto empty;
		if (v + 1 > *lo)
			*lo = v + 1;
		break;
	case FILTER_GE:
		if (v > *lo)
			*lo = v;
		break;
	case FILTER_LT:
		if (v == 0)
			goto empty;
		if (v - 1 < *hi)
			*hi = v - 1;
		break;
	case FILTER_LE:
		if (v < *hi)
			*hi = v;
		break;
	default:
		break;
	}
	if (*lo > *hi)
		goto empty;
	return 0;
empty:
	tr_seterr(err, errlen, "'%s' leaves no value in range (range scopes of a field combine: check their bounds)",
	       expr);
	return -EINVAL;
}

static int parse_kscope(struct filter *f, const struct kscope *k, enum filter_op op,
			const char *vals, const char *expr, char *err, size_t errlen)
{
	const char *pos = vals, *v;
	size_t vlen;
	int ret;

	if (!*vals) {
		tr_seterr(err, errlen, "no value in scope '%s' (write %s%s<number>)", expr, k->name,
		       op_name(op));
		return -EINVAL;
	}
	if (k->kind == TR_SK_PID && op == FILTER_EQ && !strcmp(vals, "new")) {
		f->scope_flags |= TR_SCOPE_NEW_PID;
		return 0;
	}
	while (next_val(&pos, &v, &vlen)) {
		uint64_t n;

		if (!parse_u64(v, vlen, &n) || n > UINT32_MAX) {
			tr_seterr(err, errlen,
			       "'%.*s' in scope '%s' is not a number (%s takes numbers 0 to 4294967295%s)",
			       (int)vlen, v, expr, k->name,
			       k->kind == TR_SK_PID ? ", or pid=new" : "");
			return -EINVAL;
		}
		if (op == FILTER_EQ || op == FILTER_NE) {
			ret = add_kval(f, k->kind, 0, n, op == FILTER_EQ ? TR_SCOPE_V_EQ :
					TR_SCOPE_V_NE, expr, err, errlen);
			if (ret)
				return ret;
			f->scope_flags |= op == FILTER_EQ ? k->eq : k->ne;
			continue;
		}
		if (!k->range) {
			tr_seterr(err, errlen, "scope '%s': %s takes only = and != (not %s)", expr,
			       k->name, op_name(op));
			return -EINVAL;
		}
		ret = narrow_range(k->kind == TR_SK_UID ? &f->uid_lo : &f->pid_lo,
				   k->kind == TR_SK_UID ? &f->uid_hi : &f->pid_hi, op, n, expr,
				   err, errlen);
		if (ret)
			return ret;
		f->scope_flags |= k->range;
	}
	return 0;
}

static int parse_exe(struct filter *f, enum filter_op op, const char *vals, const char *expr,
		     char *err, size_t errlen)
{
	const char *pos = vals, *v;
	size_t vlen;

	if (op != FILTER_EQ && op != FILTER_NE) {
		tr_seterr(err, errlen, "scope '%s': executable takes only = and != (not %s)", expr,
		       op_name(op));
		return -EINVAL;
	}
	while (next_val(&pos, &v, &vlen)) {
		char path[PATH_MAX];
		struct stat st;
		uint32_t kdev;
		int ret;

		if (vlen == 0 || vlen >= sizeof(path) || v[0] != '/') {
			tr_seterr(err, errlen,
			       "'%.*s' in scope '%s' is not an absolute path (write executable=/usr/bin/name)",
			       (int)vlen, v, expr);
			return -EINVAL;
		}
		memcpy(path, v, vlen);
		path[vlen] = '\0';
		if (stat(path, &st)) {
			tr_seterr(err, errlen, "scope '%s': %s: %s (name an existing program file)",
			       expr, path, strerror(errno));
			return -EINVAL;
		}
		/* the kernel's encoding of a dev_t (MINORBITS 20), as in sb->s_dev */
		kdev = (major(st.st_dev) << 20) | minor(st.st_dev);
		ret = add_kval(f, TR_SK_EXE, kdev, st.st_ino,
			       op == FILTER_EQ ? TR_SCOPE_V_EQ : TR_SCOPE_V_NE, expr, err, errlen);
		if (ret)
			return ret;
		f->scope_flags |= op == FILTER_EQ ? TR_SCOPE_EXE_EQ : TR_SCOPE_EXE_NE;
	}
	return 0;
}

static int parse_comm(struct filter *f, enum filter_op op, const char *vals, const char *expr,
		      char *err, size_t errlen)
{
	const char *pos = vals, *v;
	size_t vlen;
	int ret;

	if (op != FILTER_EQ && op != FILTER_NE) {
		tr_seterr(err, errlen, "scope '%s': comm takes only = and != (not %s)", expr,
		       op_name(op));
		return -EINVAL;
	}
	while (next_val(&pos, &v, &vlen)) {
		ret = add_kcomm(f, v, vlen, op == FILTER_EQ ? TR_SCOPE_V_EQ : TR_SCOPE_V_NE, expr,
				err, errlen);
		if (ret)
			return ret;
		f->scope_flags |= op == FILTER_EQ ? TR_SCOPE_COMM_EQ : TR_SCOPE_COMM_NE;
	}
	return 0;
}

static const struct {
	const char *name;
	enum filter_field field;
	bool is_str;
} scope_fields[] = {
	{ "comm", FILTER_F_COMM, true },
	{ "pid", FILTER_F_PID, false },
	{ "tid", FILTER_F_TID, false },
	{ "uid", FILTER_F_UID, false },
	{ "mntns", FILTER_F_MNTNS, false },
	{ "pidns", FILTER_F_PIDNS, false },
	{ "uts", FILTER_F_UTS, true },
};

static bool ctype_is_str(const char *t)
{
	enum tr_val_kind k = events_value_kind(t);

	return k == TR_V_STR || k == TR_V_STRARR;
}

static bool ctype_is_num(const char *t)
{
	enum tr_val_kind k = events_value_kind(t);

	return k == TR_V_INT || k == TR_V_UINT || k == TR_V_PTR || k == TR_V_BOOL;
}

/*
 * EVENT.args.ARG / EVENT.data.ARG / EVENT.retval / EVENT.scope.FIELD (and, in
 * legacy mode, EVENT.ARG) with op and values.
 */
static int parse_event_filter(struct filter *f, const char *field, size_t flen,
			      enum filter_op op, const char *vals, bool legacy, const char *expr,
			      char *err, size_t errlen)
{
	struct filter_rule r = { .op = op };
	const struct tr_event_def *d;
	const char *dot = memchr(field, '.', flen), *sub, *v, *pos;
	char ename[64];
	size_t elen = dot - field, slen, vlen;
	unsigned int i;

	if (elen == 0 || elen >= sizeof(ename)) {
		tr_seterr(err, errlen, "no event name before '.' in '%s' (write EVENT.args.NAME=VALUE)",
		       expr);
		return -EINVAL;
	}
	memcpy(ename, field, elen);
	ename[elen] = '\0';
	d = events_by_name(ename);
	if (!d) {
		tr_seterr(err, errlen, "unknown event '%s' in filter '%s' (see tracee --list)", ename,
		       expr);
		return -EINVAL;
	}
	r.event_id = d->id;
	sub = dot + 1;
	slen = field + flen - sub;

	if (slen == 6 && !strncmp(sub, "retval", 6)) {
		r.field = FILTER_F_RETVAL;
	} else if ((slen > 5 && !strncmp(sub, "args.", 5)) ||
		   (slen > 5 && !strncmp(sub, "data.", 5)) || (legacy && !memchr(sub, '.', slen))) {
		const char *an = sub, *an_end = sub + slen;

		if (!legacy || !strncmp(sub, "args.", 5) || !strncmp(sub, "data.", 5))
			an = sub + 5;
		for (i = 0; i < d->nr_args; i++)
			if (strlen(d->args[i].name) == (size_t)(an_end - an) &&
			    !strncmp(d->args[i].name, an, an_end - an))
				break;
		if (i == d->nr_args) {
			char names[512] = "";
			size_t n = 0;
			unsigned int j;

			for (j = 0; j < d->nr_args && n < sizeof(names); j++)
				n += snprintf(names + n, sizeof(names) - n, "%s%s", j ? ", " : "",
					      d->args[j].name);
			tr_seterr(err, errlen, "event %s has no argument '%.*s' in '%s' (it has: %s)",
			       d->name, (int)(an_end - an), an, expr, d->nr_args ? names : "none");
			return -EINVAL;
		}
		r.field = FILTER_F_ARG;
		r.arg = i;
		if (ctype_is_str(d->args[i].type)) {
			r.is_str = true;
		} else if (!ctype_is_num(d->args[i].type)) {
			tr_seterr(err, errlen,
			       "argument %s of %s is a %s: only strings and numbers can be filtered ('%s')",
			       d->args[i].name, d->name, d->args[i].type, expr);
			return -EINVAL;
		}
	} else if (slen > 6 && !strncmp(sub, "scope.", 6)) {
		for (i = 0; i < sizeof(scope_fields) / sizeof(scope_fields[0]); i++)
			if (strlen(scope_fields[i].name) == slen - 6 &&
			    !strncmp(scope_fields[i].name, sub + 6, slen - 6))
				break;
		if (i == sizeof(scope_fields) / sizeof(scope_fields[0])) {
			tr_seterr(err, errlen,
			       "unknown scope field '%.*s' in '%s' (use comm, pid, tid, uid, mntns, pidns or uts)",
			       (int)(slen - 6), sub + 6, expr);
			return -EINVAL;
		}
		r.field = scope_fields[i].field;
		r.is_str = scope_fields[i].is_str;
	} else {
		tr_seterr(err, errlen,
		       "cannot filter on '%.*s' in '%s' (write %s.args.NAME, %s.retval or %s.scope.FIELD)",
		       (int)slen, sub, expr, d->name, d->name, d->name);
		return -EINVAL;
	}
	if (r.is_str && op != FILTER_EQ && op != FILTER_NE) {
		tr_seterr(err, errlen, "'%s': strings compare only with = and != (not %s)", expr,
		       op_name(op));
		return -EINVAL;
	}
	if (!*vals) {
		tr_seterr(err, errlen, "no value in filter '%s' (write %.*s%sVALUE)", expr, (int)flen,
		       field, op_name(op));
		return -EINVAL;
	}
	if (f->nr_rules == FILTER_MAX_RULES) {
		tr_seterr(err, errlen, "too many filters at '%s' (at most %d)", expr, FILTER_MAX_RULES);
		return -EINVAL;
	}
	pos = vals;
	while (next_val(&pos, &v, &vlen)) {
		if (r.nr_vals == FILTER_MAX_RULE_VALS) {
			tr_seterr(err, errlen, "too many values in '%s' (at most %d)", expr,
			       FILTER_MAX_RULE_VALS);
			goto fail;
		}
		if (!r.is_str && (op == FILTER_LT || op == FILTER_GT || op == FILTER_LE ||
				  op == FILTER_GE) && r.nr_vals == 1) {
			tr_seterr(err, errlen, "'%s': %s takes one value", expr, op_name(op));
			goto fail;
		}
		if (r.is_str) {
			r.str[r.nr_vals] = strndup(v, vlen);
			if (!r.str[r.nr_vals]) {
				tr_seterr(err, errlen, "out of memory parsing '%s'", expr);
				goto fail;
			}
		} else if (!parse_i64(v, vlen, &r.num[r.nr_vals])) {
			tr_seterr(err, errlen, "'%.*s' in '%s' is not a number", (int)vlen, v, expr);
			goto fail;
		}
		r.nr_vals++;
	}
	f->rules[f->nr_rules++] = r;
	f->has_rules[d->id / 64] |= 1ULL << (d->id % 64);
	selection_set(&f->sel, d->id, true);
	return 0;
fail:
	filter_rule_free(&r);
	return -EINVAL;
}

/* legacy event=/e=/event!=/set=/s= */
static int parse_legacy_events(struct filter *f, bool set, enum filter_op op, const char *vals,
			       const char *expr, char *err, size_t errlen)
{
	struct tr_selection *into = op == FILTER_EQ ? &f->sel : &f->excl;
	const char *pos = vals, *v;
	size_t vlen;
	char word[128], msg[256];

	if (op != FILTER_EQ && op != FILTER_NE) {
		tr_seterr(err, errlen, "'%s': events are chosen with = or != (not %s)", expr,
		       op_name(op));
		return -EINVAL;
	}
	while (next_val(&pos, &v, &vlen)) {
		unsigned int i;
		bool any = false;

		if (vlen == 0 || vlen >= sizeof(word)) {
			tr_seterr(err, errlen, "empty or overlong name in '%s'", expr);
			return -EINVAL;
		}
		memcpy(word, v, vlen);
		word[vlen] = '\0';
		if (set) {
			for (i = 0; i < events_nr; i++) {
				if (events_in_set(&events_table[i], word)) {
					selection_set(into, events_table[i].id, true);
					any = true;
				}
			}
			if (!any) {
				tr_seterr(err, errlen, "unknown set '%s' in '%s' (see tracee --list)",
				       word, expr);
				return -EINVAL;
			}
			continue;
		}
		if (word[0] == '-' || strchr(word, '*') != strrchr(word, '*') ||
		    (strchr(word, '*') && word[vlen - 1] != '*') ||
		    events_select(into, word, msg, sizeof(msg))) {
			tr_seterr(err, errlen, "unknown event '%s' in '%s' (see tracee --list; a trailing * matches a prefix)",
			       word, expr);
			return -EINVAL;
		}
	}
	f->sel_given = true;
	return 0;
}

static int parse_container(struct filter *f, bool ne, const char *vals, const char *expr,
			   char *err, size_t errlen)
{
	if (!*vals) {
		tr_seterr(err, errlen, "no value in '%s' (container%s takes ids, 12-digit id prefixes or names)",
		       expr, ne ? "!=" : "=");
		return -EINVAL;
	}
	return filter_parse_container(f, ne, vals, expr, err, errlen);
}

static int parse_one(struct filter *f, const char *expr, bool legacy, char *err, size_t errlen)
{
	const struct kscope *k;
	enum filter_op op = FILTER_EQ;
	const char *vals;
	size_t flen;
	bool has_op;

	if (!*expr) {
		tr_seterr(err, errlen, "empty %s expression (see tracee(8))",
		       legacy ? "--trace" : "--scope");
		return -EINVAL;
	}
	has_op = !split_expr(expr, &flen, &op, &vals);

	/* words without an operator */
	if (!has_op) {
		if (!strcmp(expr, "follow")) {
			f->scope_flags |= TR_SCOPE_FOLLOW;
			return 0;
		}
		if (!strcmp(expr, "container")) {
			f->scope_flags |= TR_SCOPE_CONTAINER;
			return 0;
		}
		if (!strcmp(expr, "not-container") || (legacy && !strcmp(expr, "!container"))) {
			f->scope_flags |= TR_SCOPE_NOT_CONTAINER;
			return 0;
		}
		tr_seterr(err, errlen,
		       "unknown scope '%s' (expected FIELD=VALUE, follow, container or not-container; see tracee(8))",
		       expr);
		return -EINVAL;
	}
	if (flen == 0) {
		tr_seterr(err, errlen, "no field before '%s' in '%s'", op_name(op), expr);
		return -EINVAL;
	}
	if (memchr(expr, '.', flen))
		return parse_event_filter(f, expr, flen, op, vals, legacy, expr, err, errlen);

	k = kscope_by_name(expr, flen, legacy);
	if (k)
		return parse_kscope(f, k, op, vals, expr, err, errlen);
	if (flen == 4 && !strncmp(expr, "comm", 4))
		return parse_comm(f, op, vals, expr, err, errlen);
	if ((flen == 10 && !strncmp(expr, "executable", 10)) ||
	    (flen == 4 && !strncmp(expr, "exec", 4)))
		return parse_exe(f, op, vals, expr, err, errlen);
	if (flen == 9 && !strncmp(expr, "container", 9)) {
		if (op == FILTER_EQ && !strcmp(vals, "new")) {
			f->scope_flags |= TR_SCOPE_NEW_CONTAINER;
			return 0;
		}
		if (op == FILTER_EQ || op == FILTER_NE)
			return parse_container(f, op == FILTER_NE, vals, expr, err, errlen);
		tr_seterr(err, errlen,
		       "unknown container scope '%s' (use container, container=new, not-container, container=ID|NAME or container!=ID|NAME)",
		       expr);
		return -EINVAL;
	}
	if (legacy && ((flen == 5 && !strncmp(expr, "event", 5)) ||
		       (flen == 1 && expr[0] == 'e')))
		return parse_legacy_events(f, false, op, vals, expr, err, errlen);
	if (legacy && ((flen == 3 && !strncmp(expr, "set", 3)) || (flen == 1 && expr[0] == 's')))
		return parse_legacy_events(f, true, op, vals, expr, err, errlen);
	tr_seterr(err, errlen,
	       "unknown scope field '%.*s' in '%s' (use pid, tid, uid, comm, mntns, pidns, container, executable, follow%s)",
	       (int)flen, expr, expr, legacy ? ", event or set" : ", or EVENT.args.NAME");
	return -EINVAL;
}

int filter_parse(struct filter *f, const char *expr, bool legacy, char *err, size_t errlen)
{
	struct filter *tmp;
	int ret;

	if (err && errlen)
		err[0] = '\0';
	if (!f || !expr) {
		tr_seterr(err, errlen, "no expression given");
		return -EINVAL;
	}
	/* All or nothing: parse into a copy (rule strings move over on success). */
	tmp = malloc(sizeof(*tmp));
	if (!tmp) {
		tr_seterr(err, errlen, "out of memory parsing '%s'", expr);
		return -ENOMEM;
	}
	memcpy(tmp, f, sizeof(*tmp));
	ret = parse_one(tmp, expr, legacy, err, errlen);
	if (!ret && ((tmp->scope_flags & (TR_SCOPE_CONTAINER | TR_SCOPE_NEW_CONTAINER)) ||
		     tmp->nr_cgroups) && (tmp->scope_flags & TR_SCOPE_NOT_CONTAINER)) {
		tr_seterr(err, errlen, "'%s' contradicts an earlier container scope (container, container=... and not-container exclude each other)",
		       expr);
		/* a rule cannot have been added: container words add none */
		ret = -EINVAL;
	}
	if (!ret)
		memcpy(f, tmp, sizeof(*f));
	free(tmp);
	return ret;
}

bool filter_is_expr(const char *s)
{
	return s && s[strcspn(s, "=<>")] != '\0';
}

