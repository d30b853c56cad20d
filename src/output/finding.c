// SPDX-License-Identifier: GPL-2.0
/*
 * finding.c - a finding rendered as Tracee renders a signature's finding:
 * in JSON an event whose eventName is the signature's name, with the
 * triggering event's context, the finding's data and the triggering event
 * as arguments, and metadata {Version, Description, Tags, Properties}; in a
 * table one row naming the signature, its severity and the container.
 */
#include <string.h>

#include "events.h"
#include "log.h"
#include "output_priv.h"
#include "runtime.h"

/* "TRC-105" -> 6105, "TRC-1010" -> 7010: a stable numeric eventId. */
static int64_t finding_event_id(const char *id)
{
	const char *p;
	int64_t n = 0;

	if (!id || strncmp(id, "TRC-", 4))
		return 6000;
	for (p = id + 4; *p >= '0' && *p <= '9' && n < 100000; p++)
		n = n * 10 + (*p - '0');
	if (*p || p == id + 4)
		return 6000;
	return 6000 + n;
}

/* Skip one JSON value at p (< end); returns the byte after it, or NULL. */
static const char *skip_ws(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	return p;
}

static const char *skip_string(const char *p, const char *end)
{
	if (p >= end || *p != '"')
		return NULL;
	for (p++; p < end; p++) {
		if (*p == '\\') {
			p++;
			continue;
		}
		if (*p == '"')
			return p + 1;
		if ((unsigned char)*p < 0x20)
			return NULL;
	}
	return NULL;
}

static const char *skip_value(const char *p, const char *end, int depth)
{
	p = skip_ws(p, end);
	if (p >= end || depth > JSON_MAX_DEPTH)
		return NULL;
	if (*p == '"')
		return skip_string(p, end);
	if (*p == '{' || *p == '[') {
		char close = *p == '{' ? '}' : ']';
		bool obj = *p == '{';

		p = skip_ws(p + 1, end);
		if (p < end && *p == close)
			return p + 1;
		for (;;) {
			if (obj) {
				p = skip_string(skip_ws(p, end), end);
				if (!p)
					return NULL;
				p = skip_ws(p, end);
				if (p >= end || *p != ':')
					return NULL;
				p++;
			}
			p = skip_value(p, end, depth + 1);
			if (!p)
				return NULL;
			p = skip_ws(p, end);
			if (p < end && *p == ',') {
				p++;
				continue;
			}
			if (p < end && *p == close)
				return p + 1;
			return NULL;
		}
	}
	/* numbers, true, false, null */
	{
		const char *s = p;

		while (p < end && (strchr("+-.eE0123456789", *p) || (*p >= 'a' && *p <= 'z')))
			p++;
		if (p == s)
			return NULL;
		if ((*s >= 'a' && *s <= 'z') && !(p - s == 4 && !strncmp(s, "true", 4)) &&
		    !(p - s == 5 && !strncmp(s, "false", 5)) && !(p - s == 4 && !strncmp(s, "null", 4)))
			return NULL;
		return p;
	}
}

/*
 * Walk the top-level members of the object text; for each, call emit (or
 * just count when j is NULL).  Returns the member count, or -1 when the
 * text is not a well-formed object (then nothing is trusted from it).
 */
static int data_members(const char *text, struct json *j)
{
	const char *end, *p;
	int n = 0;

	if (!text)
		return 0;
	end = text + strlen(text);
	p = skip_ws(text, end);
	if (p >= end || *p != '{')
		return -1;
	if (!skip_value(p, end, 0) || skip_ws(skip_value(p, end, 0), end) != end)
		return -1;
	p = skip_ws(p + 1, end);
	if (*p == '}')
		return 0;
	for (;;) {
		const char *k = p, *ke = skip_string(p, end), *v, *ve;

		v = skip_ws(ke, end) + 1;	/* past ':' */
		v = skip_ws(v, end);
		ve = skip_value(v, end, 1);
		if (j) {
			const char *type = *v == '"' ? "string" : *v == '{' ? "map[string]interface{}" :
					   *v == '[' ? "[]interface{}" : (*v == 't' || *v == 'f') ? "bool" :
					   *v == 'n' ? "unknown" : memchr(v, '.', ve - v) ? "float64" : "int";

			json_obj_begin(j);
			JSON_KEY(j, "name");
			json_raw(j, k, ke - k);
			JSON_KEY(j, "type");
			json_cstr(j, type);
			JSON_KEY(j, "value");
			json_raw(j, v, ve - v);
			json_obj_end(j);
		}
		n++;
		p = skip_ws(ve, end);
		if (*p == ',') {
			p = skip_ws(p + 1, end);
			continue;
		}
		return n;
	}
}

void render_finding_json(struct output *o, const struct tr_finding *f)
{
	const struct tr_event *ev = f->event;
	struct json j;
	int nr_data = data_members(f->data_json, NULL);
	const char *const *t;

	if (nr_data < 0) {
		tr_verbose(1, "finding %s: its data is not a JSON object; left out", f->id);
		nr_data = 0;
	}
	json_head(&o->buf, ev, finding_event_id(f->id), f->name, nr_data + (ev ? 1 : 0), false);
	LIT(&o->buf, ",\"args\":");
	json_init(&j, &o->buf);
	json_arr_begin(&j);
	if (nr_data > 0)
		data_members(f->data_json, &j);
	if (ev) {
		json_obj_begin(&j);
		JSON_KEY(&j, "name");
		json_cstr(&j, "triggeredBy");
		JSON_KEY(&j, "type");
		json_cstr(&j, "unknown");
		JSON_KEY(&j, "value");
		json_obj_begin(&j);
		JSON_KEY(&j, "args");
		json_args(&o->opts, &j, ev);
		JSON_KEY(&j, "id");
		json_int(&j, ev->def->id);
		JSON_KEY(&j, "name");
		json_cstr(&j, ev->def->name);
		JSON_KEY(&j, "returnValue");
		json_int(&j, ev->hdr->retval);
		json_obj_end(&j);
		json_obj_end(&j);
	}
	json_arr_end(&j);
	LIT(&o->buf, ",\"metadata\":");
	json_init(&j, &o->buf);
	json_obj_begin(&j);
	JSON_KEY(&j, "Version");
	json_cstr(&j, f->version);
	JSON_KEY(&j, "Description");
	json_cstr(&j, f->description);
	JSON_KEY(&j, "Tags");
	json_arr_begin(&j);
	for (t = f->tags; t && *t; t++)
		json_cstr(&j, *t);
	json_arr_end(&j);
	/* A Go map: keys sorted. */
	JSON_KEY(&j, "Properties");
	json_obj_begin(&j);
	JSON_KEY(&j, "Category");
	json_cstr(&j, f->category);
	JSON_KEY(&j, "Severity");
	json_int(&j, f->severity);
	JSON_KEY(&j, "Technique");
	json_cstr(&j, f->technique);
	JSON_KEY(&j, "external_id");
	json_cstr(&j, f->external_id);
	JSON_KEY(&j, "signatureID");
	json_cstr(&j, f->id);
	JSON_KEY(&j, "signatureName");
	json_cstr(&j, f->name);
	json_obj_end(&j);
	json_obj_end(&j);
	LIT(&o->buf, "}\n");
}

void render_finding_table(struct output *o, const struct tr_finding *f)
{
	struct obuf *b = &o->buf;

	table_row_head(o, f->event, 0, f->name ? f->name : "");
	obuf_puts(b, "id: ");
	table_text(b, f->id ? f->id : "", f->id ? strlen(f->id) : 0);
	obuf_puts(b, ", severity: ");
	obuf_i64(b, f->severity);
	obuf_puts(b, ", description: ");
	table_text(b, f->description ? f->description : "",
		   f->description ? strlen(f->description) : 0);
	if (f->event) {
		obuf_puts(b, ", triggeredBy: ");
		obuf_puts(b, f->event->def->name);
	}
	/* Which container, as a responder names it: its name once the runtime said it. */
	if (f->event && f->event->container_id && f->event->container_id[0]) {
		const struct container_info *ci = f->event->container;

		obuf_puts(b, ", container: ");
		if (ci && ci->name[0])
			table_text(b, ci->name, strlen(ci->name));
		else
			obuf_put(b, f->event->container_id, 12);
		if (ci && ci->image[0]) {
			obuf_puts(b, " (image ");
			table_text(b, ci->image, strlen(ci->image));
			obuf_putc(b, ')');
		}
		if (ci && ci->pod_name[0]) {
			obuf_puts(b, ", pod: ");
			if (ci->pod_namespace[0]) {
				table_text(b, ci->pod_namespace, strlen(ci->pod_namespace));
				obuf_putc(b, '/');
			}
			table_text(b, ci->pod_name, strlen(ci->pod_name));
		}
	}
	obuf_putc(b, '\n');
}
