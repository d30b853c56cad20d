// SPDX-License-Identifier: GPL-2.0
/*
 * finding.c - a finding rendered as Tracee renders a signature's finding:
 * in JSON an event whose eventName is the signature's name, with the
 * triggering event's context, the finding's data and the triggering event
 * as arguments, and metadata {Version, Description, Tags, Properties}; in a
 * table one row naming the signature, its severity and the container.
 */
#include <stdio.h>
#include <string.h>

#include "events.h"
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

/*
 * The Go type Tracee names for a data value.  A float's text (put in num)
 * decides, as for a JSON reader: 2.0 is written "2", an "int".  NaN and the
 * infinities have no JSON number: null, "unknown".
 */
static const char *data_type(const struct tr_fdata *m, char *num, size_t sz)
{
	switch (m->kind) {
	case TR_FD_STR:
		return "string";
	case TR_FD_INT:
		return "int";
	case TR_FD_FLOAT:
		snprintf(num, sz, "%.17g", m->v.f);
		return strchr(num, '.') ? "float64" : "int";
	case TR_FD_BOOL:
		return "bool";
	case TR_FD_JSON:
		return m->v.str.len && m->v.str.p[0] == '[' ? "[]interface{}" :
		       "map[string]interface{}";
	default:
		return "unknown";
	}
}

/* num: a float's text from data_type(). */
static void data_value(struct obuf *b, const struct tr_fdata *m, const char *num)
{
	switch (m->kind) {
	case TR_FD_STR:
		put_qstr(b, m->v.str.p, m->v.str.len);
		break;
	case TR_FD_INT:
		obuf_i64(b, m->v.i);
		break;
	case TR_FD_FLOAT:
		obuf_puts(b, num);
		break;
	case TR_FD_BOOL:
		if (m->v.b)
			LIT(b, "true");
		else
			LIT(b, "false");
		break;
	case TR_FD_JSON:
		obuf_put(b, m->v.str.p, m->v.str.len);
		break;
	default:
		LIT(b, "null");
	}
}

/* One {"name":KEY,"type":TYPE,"value":VALUE} argument of the finding. */
static void data_arg(struct json *j, const struct tr_fdata *m)
{
	char num[32];
	const char *type = data_type(m, num, sizeof(num));

	json_value_begin(j);
	LIT(j->b, "{\"name\":");
	put_qstr(j->b, m->key, m->key_len);
	LIT(j->b, ",\"type\":\"");
	obuf_puts(j->b, type);
	LIT(j->b, "\",\"value\":");
	data_value(j->b, m, num);
	obuf_putc(j->b, '}');
}

void finding_data_json(struct obuf *b, const struct tr_finding *f)
{
	unsigned int i;

	obuf_putc(b, '{');
	for (i = 0; i < f->nr_data; i++) {
		char num[32];

		if (i)
			obuf_putc(b, ',');
		data_type(&f->data[i], num, sizeof(num));
		put_qstr(b, f->data[i].key, f->data[i].key_len);
		obuf_putc(b, ':');
		data_value(b, &f->data[i], num);
	}
	obuf_putc(b, '}');
}

void render_finding_json(struct output *o, const struct tr_finding *f)
{
	const struct tr_event *ev = f->event;
	struct json j;
	const char *const *t;
	unsigned int i;

	json_head(&o->buf, ev, finding_event_id(f->id), f->name, f->nr_data + (ev ? 1 : 0), false);
	LIT(&o->buf, ",\"args\":");
	json_init(&j, &o->buf);
	json_arr_begin(&j);
	for (i = 0; i < f->nr_data; i++)
		data_arg(&j, &f->data[i]);
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
