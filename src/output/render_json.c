// SPDX-License-Identifier: GPL-2.0
/*
 * render_json.c - the one JSON rendering of an event: Tracee's event object
 * (types/trace/trace.go), field for field: the same names, order and types,
 * eventId as a string, args as [{name, type, value}].  Two additions that do
 * not disturb a parser:
 *   - an argument whose string (or string array) was cut by the kernel side
 *     at a limit carries "truncated":true after its value;
 *   - values the kernel side could not read are null.
 * Strings are escaped by json.c (invalid UTF-8 bytes become \ufffd).  The
 * json sink, the network sinks, findings' triggeredBy and Lua's e:json() all
 * write events through here.
 */
#include <string.h>
#include <sys/socket.h>

#include "argfmt.h"
#include "decode.h"
#include "entity.h"
#include "events.h"
#include "output_priv.h"
#include "runtime.h"

/* JSON: Tracee's sockaddr map, keys in the order Go sorts them. */
static void json_sockaddr(struct json *j, const uint8_t *p, uint32_t len)
{
	struct sa_view v;

	sa_parse(&v, p, len);
	json_obj_begin(j);
	JSON_KEY(j, "sa_family");
	json_cstr(j, v.family);
	if (v.complete && v.fam == AF_UNIX) {
		JSON_KEY(j, "sun_path");
		json_value_begin(j);
		obuf_putc(j->b, '"');
		if (v.abstract)
			obuf_putc(j->b, '@');
		json_escape(j->b, v.path, v.path_len);
		obuf_putc(j->b, '"');
	} else if (v.complete && v.fam == AF_INET) {
		JSON_KEY(j, "sin_addr");
		json_cstr(j, v.addr);
		JSON_KEY(j, "sin_port");
		json_cstr(j, v.port);
	} else if (v.complete && v.fam == AF_INET6) {
		JSON_KEY(j, "sin6_addr");
		json_cstr(j, v.addr);
		JSON_KEY(j, "sin6_flowinfo");
		json_cstr(j, v.flow);
		JSON_KEY(j, "sin6_port");
		json_cstr(j, v.port);
		JSON_KEY(j, "sin6_scopeid");
		json_cstr(j, v.scope);
	}
	json_obj_end(j);
}

/*
 * The value of ev's argument i, as a formatter's word when parse is given;
 * true when the kernel side cut it (a string or string array at a limit).
 */
static inline bool json_arg_value(const struct output_opts *opts, struct json *j,
				  const struct tr_event *ev, unsigned int i,
				  void (*parse)(struct obuf *, uint64_t))
{
	const struct tr_arg *a = &ev->args[i];
	bool trunc = false;

	if (parse) {
		json_value_begin(j);
		obuf_putc(j->b, '"');
		parse(j->b, a->v.u);
		obuf_putc(j->b, '"');
		return false;
	}
	switch (a->kind) {
	case TR_V_INT:
		json_int(j, a->v.i);
		break;
	case TR_V_UINT:
		/*
		 * sched_process_fork's start_time in epoch ns, as Tracee writes it
		 * and as threadStartTime is: a replay (tracee analyze) then matches
		 * the child's later events to it exactly.  The event's own offset
		 * (0 for replayed events, whose times are epoch already).
		 */
		if (ev->def->id == TR_EV_SCHED_PROCESS_FORK && a->v.u && ev->hdr->ts &&
		    !strcmp(a->name, "start_time")) {
			json_uint(j, a->v.u + (ev->timestamp_ns - ev->hdr->ts));
			break;
		}
		json_uint(j, a->v.u);
		break;
	case TR_V_PTR:
		if (opts->parse_arguments) {
			json_value_begin(j);
			obuf_putc(j->b, '"');
			obuf_hex(j->b, a->v.u);
			obuf_putc(j->b, '"');
		} else {
			json_uint(j, a->v.u);
		}
		break;
	case TR_V_BOOL:
		json_bool(j, a->v.u);
		break;
	case TR_V_STR:
		json_str(j, a->v.str.p, a->v.str.len);
		trunc = a->v.str.trunc;
		break;
	case TR_V_STRARR: {
		uint32_t pos = 0;
		struct tr_str s;

		json_arr_begin(j);
		while (decode_strarr_next(a, &pos, &s)) {
			json_str(j, s.p, s.len);
			trunc |= s.trunc;
		}
		json_arr_end(j);
		trunc |= a->v.arr.trunc;
		break;
	}
	case TR_V_SOCKADDR:
		json_sockaddr(j, a->v.raw.p, a->v.raw.len);
		break;
	case TR_V_BYTES:
		json_value_begin(j);
		obuf_putc(j->b, '"');
		obuf_base64(j->b, a->v.raw.p, a->v.raw.len);
		obuf_putc(j->b, '"');
		break;
	case TR_V_INT2:
		json_arr_begin(j);
		json_int(j, a->v.pair[0]);
		json_int(j, a->v.pair[1]);
		json_arr_end(j);
		break;
	case TR_V_TIMESPEC:
		json_seconds(j, a->v.ts.sec, a->v.ts.nsec);
		break;
	case TR_V_JSON:
		/* A replayed object or array: written back as it was read. */
		json_raw(j, (const char *)a->v.raw.p, a->v.raw.len);
		break;
	default:
		json_null(j);
	}
	return trunc;
}

/* One {"name","type","value"[,"truncated"]} object. */
static void json_arg(const struct output_opts *opts, struct json *j, const struct tr_event *ev,
		     unsigned int i)
{
	const struct tr_arg *a = &ev->args[i];
	void (*parse)(struct obuf *, uint64_t) = NULL;

	if (opts->parse_arguments && (a->kind == TR_V_INT || a->kind == TR_V_UINT ||
					a->kind == TR_V_PTR))
		parse = argfmt_of(ev, i);
	json_value_begin(j);
	LIT(j->b, "{\"name\":");
	put_qstr(j->b, a->name, strlen(a->name));
	LIT(j->b, ",\"type\":");
	if (parse)
		LIT(j->b, "\"string\"");
	else
		put_qstr(j->b, a->type, strlen(a->type));
	LIT(j->b, ",\"value\":");
	/* Continue inside this object as if at depth+1 after a key. */
	j->depth++;
	j->has_items |= 1ULL << (j->depth - 1);
	j->after_key = true;
	if (json_arg_value(opts, j, ev, i, parse)) {
		json_key(j, "truncated");
		json_bool(j, true);
	}
	json_obj_end(j);
}

void output_render_arg_json(struct obuf *b, const struct output_opts *opts,
			    const struct tr_event *ev, unsigned int i)
{
	struct json j;

	json_init(&j, b);
	json_arg_value(opts, &j, ev, i, NULL);
}

/*
 * -------------------------------------------------------------------------
 * JSON events
 * -------------------------------------------------------------------------
 */
static unsigned int visible_args(const struct output_opts *opts, const struct tr_event *ev)
{
	unsigned int i, n = 0;

	for (i = 0; i < ev->nr_args; i++)
		if (!arg_hidden(opts, &ev->args[i]))
			n++;
	return n;
}

static const char *syscall_name(const struct tr_record_hdr *h)
{
	const struct tr_event_def *d;

	if (h->syscall < 0 || h->syscall >= TR_MAX_SYSCALL)
		return "";
	d = events_by_id(h->syscall);
	return d ? d->name : "";
}

/*
 * Everything from '{' up to and including "parentEntityId", in Tracee's order.
 * The fixed text between values is written as literal chunks: this is the
 * hot path.  ev may be NULL (a finding without a triggering event): zeros.
 */
void json_head(struct obuf *b, const struct tr_event *ev, int64_t event_id,
	       const char *event_name, unsigned int args_num, bool with_syscall)
{
	static const struct tr_record_hdr zero;
	const struct tr_record_hdr *h = ev ? ev->hdr : &zero;
	const char *cid = ev && ev->container_id ? ev->container_id : "";
	const char *exe = ev && ev->executable ? ev->executable : "";
	uint64_t start = h->start_time, lstart, pstart;

	LIT(b, "{\"timestamp\":");
	obuf_u64(b, ev ? ev->timestamp_ns : 0);
	LIT(b, ",\"threadStartTime\":");
	obuf_u64(b, ev ? ev->thread_start_ns : 0);
	LIT(b, ",\"processorId\":");
	obuf_u64(b, h->cpu);
	LIT(b, ",\"processId\":");
	obuf_u64(b, h->pid);
	LIT(b, ",\"cgroupId\":");
	obuf_u64(b, h->cgroup_id);
	LIT(b, ",\"threadId\":");
	obuf_u64(b, h->tid);
	LIT(b, ",\"parentProcessId\":");
	obuf_u64(b, h->ppid);
	LIT(b, ",\"hostProcessId\":");
	obuf_u64(b, h->host_pid);
	LIT(b, ",\"hostThreadId\":");
	obuf_u64(b, h->host_tid);
	LIT(b, ",\"hostParentProcessId\":");
	obuf_u64(b, h->host_ppid);
	LIT(b, ",\"userId\":");
	obuf_u64(b, h->uid);
	LIT(b, ",\"mountNamespace\":");
	obuf_u64(b, h->mnt_ns);
	LIT(b, ",\"pidNamespace\":");
	obuf_u64(b, h->pid_ns);
	LIT(b, ",\"processName\":");
	put_qstr(b, h->comm, cstrn(h->comm, TR_COMM_LEN));
	LIT(b, ",\"executable\":{\"path\":");
	put_qstr(b, exe, strlen(exe));
	LIT(b, "},\"hostName\":");
	put_qstr(b, h->uts, cstrn(h->uts, TR_UTS_LEN));
	LIT(b, ",\"containerId\":");
	put_qstr(b, cid, strlen(cid));
	/* Go's omitempty on the members: {} when nothing is known. */
	output_json_container(b, ev);
	LIT(b, ",\"eventId\":\"");
	obuf_i64(b, event_id);
	LIT(b, "\",\"eventName\":");
	put_qstr(b, event_name, strlen(event_name));
	LIT(b, ",\"matchedPolicies\":[],\"argsNum\":");
	obuf_u64(b, args_num);
	LIT(b, ",\"returnValue\":");
	obuf_i64(b, ev && with_syscall ? h->retval : 0);
	LIT(b, ",\"syscall\":");
	if (ev && with_syscall) {
		const char *sc = syscall_name(h);

		put_qstr(b, sc, strlen(sc));
	} else {
		LIT(b, "\"\"");
	}
	LIT(b, ",\"stackAddresses\":[],\"contextFlags\":{\"containerStarted\":");
	if (*cid && ev->container_started)
		LIT(b, "true");
	else
		LIT(b, "false");
	LIT(b, ",\"isCompat\":");
	if (h->flags & TR_F_COMPAT)
		LIT(b, "true");
	else
		LIT(b, "false");
	/* The leader's and parent's start times come from the process tree when known. */
	lstart = ev && ev->leader_start_ns ? ev->leader_start_ns :
		 (h->host_pid == h->host_tid ? start : 0);
	pstart = ev ? ev->parent_start_ns : 0;
	LIT(b, "},\"threadEntityId\":");
	obuf_u64(b, ev ? entity_id(h->host_tid, start) : 0);
	LIT(b, ",\"processEntityId\":");
	obuf_u64(b, ev ? entity_id(h->host_pid, lstart) : 0);
	LIT(b, ",\"parentEntityId\":");
	obuf_u64(b, ev ? entity_id(h->host_ppid, pstart) : 0);
}

static void put_member(struct obuf *b, bool *first, const char *key, const char *v)
{
	if (!v || !v[0])
		return;		/* Go's omitempty */
	if (!*first)
		obuf_putc(b, ',');
	*first = false;
	obuf_putc(b, '"');
	obuf_puts(b, key);
	LIT(b, "\":");
	put_qstr(b, v, strlen(v));
}

void output_json_container(struct obuf *b, const struct tr_event *ev)
{
	const char *cid = ev && ev->container_id ? ev->container_id : "";
	const struct container_info *ci = ev && *cid ? ev->container : NULL;
	bool first = true;

	LIT(b, ",\"container\":{");
	put_member(b, &first, "id", cid);
	if (ci) {
		put_member(b, &first, "name", ci->name);
		put_member(b, &first, "image", ci->image);
		put_member(b, &first, "imageDigest", ci->image_digest);
	}
	LIT(b, "},\"kubernetes\":{");
	first = true;
	if (ci) {
		put_member(b, &first, "podName", ci->pod_name);
		put_member(b, &first, "podNamespace", ci->pod_namespace);
		put_member(b, &first, "podUID", ci->pod_uid);
		if (ci->pod_sandbox && first)
			LIT(b, "\"podSandbox\":true");
		else if (ci->pod_sandbox)
			LIT(b, ",\"podSandbox\":true");
	}
	obuf_putc(b, '}');
}

void json_args(const struct output_opts *opts, struct json *j, const struct tr_event *ev)
{
	unsigned int i;

	json_arr_begin(j);
	for (i = 0; i < ev->nr_args; i++)
		if (!arg_hidden(opts, &ev->args[i]))
			json_arg(opts, j, ev, i);
	json_arr_end(j);
}

void output_render_json(struct obuf *b, const struct output_opts *opts, const struct tr_event *ev)
{
	struct json j;

	json_head(b, ev, ev->def->id, ev->def->name, visible_args(opts, ev), true);
	LIT(b, ",\"args\":");
	json_init(&j, b);
	json_args(opts, &j, ev);
	obuf_putc(b, '}');
}
