// SPDX-License-Identifier: GPL-2.0
/*
 * filter.c - --scope, --trace and -e filter words: parsed into kernel-side
 * scopes (tr_cfg + maps) and user-space rules; the derived-event syscall
 * bits; which events this kernel can provide.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "caps.h"
#include "decode.h"
#include "features.h"
#include "filter.h"
#include "loader.h"
#include "log.h"
#include "pathdfa.h"

void filter_init(struct filter *f)
{
	memset(f, 0, sizeof(*f));
	f->uid_hi = UINT32_MAX;
	f->pid_hi = UINT32_MAX;
}

static void rule_free(struct filter_rule *r)
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
		rule_free(&f->rules[i]);
	f->nr_rules = 0;
	for (i = 0; i < f->nr_paths; i++)
		free(f->paths[i]);
	free(f->paths);
	f->paths = NULL;
	f->nr_paths = 0;
	pathdfa_fini(f->pathdfa);
	free(f->pathdfa);
	f->pathdfa = NULL;
}

static void seterr(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void seterr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (!err || !errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/* ---------------------------------------------------------------- parsing */

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
		seterr(err, errlen, "too many scope values at '%s' (at most %d in all)", expr,
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
		seterr(err, errlen,
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
		seterr(err, errlen, "too many comm values at '%s' (at most %d)", expr,
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
	seterr(err, errlen, "'%s' leaves no value in range (range scopes of a field combine: check their bounds)",
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
		seterr(err, errlen, "no value in scope '%s' (write %s%s<number>)", expr, k->name,
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
			seterr(err, errlen,
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
			seterr(err, errlen, "scope '%s': %s takes only = and != (not %s)", expr,
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
		seterr(err, errlen, "scope '%s': executable takes only = and != (not %s)", expr,
		       op_name(op));
		return -EINVAL;
	}
	while (next_val(&pos, &v, &vlen)) {
		char path[PATH_MAX];
		struct stat st;
		uint32_t kdev;
		int ret;

		if (vlen == 0 || vlen >= sizeof(path) || v[0] != '/') {
			seterr(err, errlen,
			       "'%.*s' in scope '%s' is not an absolute path (write executable=/usr/bin/name)",
			       (int)vlen, v, expr);
			return -EINVAL;
		}
		memcpy(path, v, vlen);
		path[vlen] = '\0';
		if (stat(path, &st)) {
			seterr(err, errlen, "scope '%s': %s: %s (name an existing program file)",
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
		seterr(err, errlen, "scope '%s': comm takes only = and != (not %s)", expr,
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
		seterr(err, errlen, "no event name before '.' in '%s' (write EVENT.args.NAME=VALUE)",
		       expr);
		return -EINVAL;
	}
	memcpy(ename, field, elen);
	ename[elen] = '\0';
	d = events_by_name(ename);
	if (!d) {
		seterr(err, errlen, "unknown event '%s' in filter '%s' (see tracee --list)", ename,
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
			seterr(err, errlen, "event %s has no argument '%.*s' in '%s' (it has: %s)",
			       d->name, (int)(an_end - an), an, expr, d->nr_args ? names : "none");
			return -EINVAL;
		}
		r.field = FILTER_F_ARG;
		r.arg = i;
		if (ctype_is_str(d->args[i].type)) {
			r.is_str = true;
		} else if (!ctype_is_num(d->args[i].type)) {
			seterr(err, errlen,
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
			seterr(err, errlen,
			       "unknown scope field '%.*s' in '%s' (use comm, pid, tid, uid, mntns, pidns or uts)",
			       (int)(slen - 6), sub + 6, expr);
			return -EINVAL;
		}
		r.field = scope_fields[i].field;
		r.is_str = scope_fields[i].is_str;
	} else {
		seterr(err, errlen,
		       "cannot filter on '%.*s' in '%s' (write %s.args.NAME, %s.retval or %s.scope.FIELD)",
		       (int)slen, sub, expr, d->name, d->name, d->name);
		return -EINVAL;
	}
	if (r.is_str && op != FILTER_EQ && op != FILTER_NE) {
		seterr(err, errlen, "'%s': strings compare only with = and != (not %s)", expr,
		       op_name(op));
		return -EINVAL;
	}
	if (!*vals) {
		seterr(err, errlen, "no value in filter '%s' (write %.*s%sVALUE)", expr, (int)flen,
		       field, op_name(op));
		return -EINVAL;
	}
	if (f->nr_rules == FILTER_MAX_RULES) {
		seterr(err, errlen, "too many filters at '%s' (at most %d)", expr, FILTER_MAX_RULES);
		return -EINVAL;
	}
	pos = vals;
	while (next_val(&pos, &v, &vlen)) {
		if (r.nr_vals == FILTER_MAX_RULE_VALS) {
			seterr(err, errlen, "too many values in '%s' (at most %d)", expr,
			       FILTER_MAX_RULE_VALS);
			goto fail;
		}
		if (!r.is_str && (op == FILTER_LT || op == FILTER_GT || op == FILTER_LE ||
				  op == FILTER_GE) && r.nr_vals == 1) {
			seterr(err, errlen, "'%s': %s takes one value", expr, op_name(op));
			goto fail;
		}
		if (r.is_str) {
			r.str[r.nr_vals] = strndup(v, vlen);
			if (!r.str[r.nr_vals]) {
				seterr(err, errlen, "out of memory parsing '%s'", expr);
				goto fail;
			}
		} else if (!parse_i64(v, vlen, &r.num[r.nr_vals])) {
			seterr(err, errlen, "'%.*s' in '%s' is not a number", (int)vlen, v, expr);
			goto fail;
		}
		r.nr_vals++;
	}
	f->rules[f->nr_rules++] = r;
	f->has_rules[d->id / 64] |= 1ULL << (d->id % 64);
	selection_set(&f->sel, d->id, true);
	return 0;
fail:
	rule_free(&r);
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
		seterr(err, errlen, "'%s': events are chosen with = or != (not %s)", expr,
		       op_name(op));
		return -EINVAL;
	}
	while (next_val(&pos, &v, &vlen)) {
		unsigned int i;
		bool any = false;

		if (vlen == 0 || vlen >= sizeof(word)) {
			seterr(err, errlen, "empty or overlong name in '%s'", expr);
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
				seterr(err, errlen, "unknown set '%s' in '%s' (see tracee --list)",
				       word, expr);
				return -EINVAL;
			}
			continue;
		}
		if (word[0] == '-' || strchr(word, '*') != strrchr(word, '*') ||
		    (strchr(word, '*') && word[vlen - 1] != '*') ||
		    events_select(into, word, msg, sizeof(msg))) {
			seterr(err, errlen, "unknown event '%s' in '%s' (see tracee --list; a trailing * matches a prefix)",
			       word, expr);
			return -EINVAL;
		}
	}
	f->sel_given = true;
	return 0;
}

static int parse_one(struct filter *f, const char *expr, bool legacy, char *err, size_t errlen)
{
	const struct kscope *k;
	enum filter_op op = FILTER_EQ;
	const char *vals;
	size_t flen;
	bool has_op;

	if (!*expr) {
		seterr(err, errlen, "empty %s expression (see tracee(8))",
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
		seterr(err, errlen,
		       "unknown scope '%s' (expected FIELD=VALUE, follow, container or not-container; see tracee(8))",
		       expr);
		return -EINVAL;
	}
	if (flen == 0) {
		seterr(err, errlen, "no field before '%s' in '%s'", op_name(op), expr);
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
		seterr(err, errlen,
		       "unknown container scope '%s' (use container, container=new or not-container)",
		       expr);
		return -EINVAL;
	}
	if (legacy && ((flen == 5 && !strncmp(expr, "event", 5)) ||
		       (flen == 1 && expr[0] == 'e')))
		return parse_legacy_events(f, false, op, vals, expr, err, errlen);
	if (legacy && ((flen == 3 && !strncmp(expr, "set", 3)) || (flen == 1 && expr[0] == 's')))
		return parse_legacy_events(f, true, op, vals, expr, err, errlen);
	seterr(err, errlen,
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
		seterr(err, errlen, "no expression given");
		return -EINVAL;
	}
	/* All or nothing: parse into a copy (rule strings move over on success). */
	tmp = malloc(sizeof(*tmp));
	if (!tmp) {
		seterr(err, errlen, "out of memory parsing '%s'", expr);
		return -ENOMEM;
	}
	memcpy(tmp, f, sizeof(*tmp));
	ret = parse_one(tmp, expr, legacy, err, errlen);
	if (!ret && (tmp->scope_flags & (TR_SCOPE_CONTAINER | TR_SCOPE_NEW_CONTAINER)) &&
	    (tmp->scope_flags & TR_SCOPE_NOT_CONTAINER)) {
		seterr(err, errlen, "'%s' contradicts an earlier container scope (container and not-container exclude each other)",
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

/* ------------------------------------------------------------ user space */

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

/* ------------------------------------------------------------ kernel side */

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

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/*
 * Derived events that compare with the state before the syscall need
 * sys_enter (TR_SYS_AT_ENTER; bpf/derive.h tr_enter_aux() reads it):
 * commit_creds and switch_task_ns the old credentials and namespaces,
 * magic_write the file offset of write/writev (pwrite* carry theirs).
 */
static __u64 derive_entry_needs(const char *event, const char *sys, size_t n)
{
	if (!strcmp(event, "commit_creds") || !strcmp(event, "switch_task_ns"))
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
	if (libbpf_probe_bpf_helper(BPF_PROG_TYPE_RAW_TRACEPOINT, BPF_FUNC_find_vma, NULL) == 1)
		cfg->kfeat |= TR_KF_FIND_VMA;
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
			bool on = mp && sel && selection_has(sel, mp->id) &&
				  libbpf_probe_bpf_helper(BPF_PROG_TYPE_RAW_TRACEPOINT,
							  BPF_FUNC_find_vma, NULL) == 1;

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
				tr_err("path_dfa: row %u: %s", i, strerror(errno));
				return -errno;
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
			tr_err("scope values: %s (at most %d)", strerror(errno), FILTER_MAX_VALS);
			return -errno;
		}
	}
	for (i = 0; i < f->nr_kcomms; i++) {
		__u8 bits = f->kcomms[i].bits;

		if (bpf_map_update_elem(comms, f->kcomms[i].name, &bits, BPF_ANY)) {
			tr_err("scope comm values: %s (at most %d)", strerror(errno),
			       FILTER_MAX_COMMS);
			return -errno;
		}
	}
	return 0;
}

/* ---------------------------------------------------------- availability */

/* Does the kernel have tracepoint name?  BTF first, then /proc/kallsyms. */
static int tracepoint_exists(const char *name)
{
	static struct btf *vmlinux;
	static bool tried;
	char sym[160], line[512];
	size_t symlen;
	FILE *fp;
	int found = 0;

	if (!tried) {
		tried = true;
		vmlinux = btf__load_vmlinux_btf();	/* NULL: no kernel BTF */
	}
	if (vmlinux) {
		snprintf(sym, sizeof(sym), "btf_trace_%s", name);
		return btf__find_by_name_kind(vmlinux, sym, BTF_KIND_TYPEDEF) >= 0;
	}
	/*
	 * Without BTF: a tracepoint has a __traceiter_NAME function (5.10 and
	 * later) or a __tracepoint_NAME object (seen only with KALLSYMS_ALL).
	 * A kallsyms with neither kind at all cannot tell (kptr_restrict).
	 */
	snprintf(sym, sizeof(sym), "%s", name);
	symlen = strlen(sym);
	fp = fopen("/proc/kallsyms", "re");
	if (!fp)
		return -1;	/* cannot tell */
	found = -1;
	while (fgets(line, sizeof(line), fp)) {
		char *p = strrchr(line, ' ');
		size_t pre;

		if (!p)
			continue;
		p++;
		if (!strncmp(p, "__traceiter_", 12))
			pre = 12;
		else if (!strncmp(p, "__tracepoint_", 13))
			pre = 13;
		else
			continue;
		if (found < 0)
			found = 0;
		p += pre;
		if (!strncmp(p, sym, symlen) && (p[symlen] == '\n' || p[symlen] == '\0' ||
						 p[symlen] == '\t')) {
			found = 1;
			break;
		}
	}
	fclose(fp);
	return found;
}

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
		seterr(why, whylen, "this kernel cannot attach %s programs", kind);
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
			if (tracepoint_exists(tp) == 0) {
				seterr(why, whylen, "this kernel has no %s tracepoint%s", tp,
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
			seterr(err, errlen, "event %s is not available: %s (see tracee --list)", d->name,
			       why);
			return -EINVAL;
		}
		tr_verbose(1, "event %s left out: %s", d->name, why);
		selection_set(sel, d->id, false);
	}
	return 0;
}
