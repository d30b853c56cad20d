// SPDX-License-Identifier: GPL-2.0
/*
 * cfgfile.c - the YAML file into (key, value, line) items, with libyaml's
 * event parser: a document is a mapping of scalar keys to a scalar, a list
 * of scalars, or (server only) a mapping of scalars.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef HAVE_YAML
#include <yaml.h>
#endif

#include "cfgfile.h"
#include "log.h"

void config_fini(struct config *c)
{
	unsigned int i;

	if (!c)
		return;
	for (i = 0; i < c->nr; i++) {
		free(c->items[i].key);
		free(c->items[i].value);
	}
	free(c->items);
	c->items = NULL;
	c->nr = 0;
}

#ifdef HAVE_YAML
struct reader {
	const char *path;
	yaml_parser_t parser;
	yaml_event_t ev;
	bool have_ev;
	struct config *c;
};

static void next_free(struct reader *r)
{
	if (r->have_ev)
		yaml_event_delete(&r->ev);
	r->have_ev = false;
}

/* The next event; -EINVAL after a message on a syntax error. */
static int next(struct reader *r)
{
	next_free(r);
	if (!yaml_parser_parse(&r->parser, &r->ev)) {
		tr_err("%s:%zu: not valid YAML: %s (fix the file's syntax)", r->path,
		       r->parser.problem_mark.line + 1,
		       r->parser.problem ? r->parser.problem : "parse error");
		return -EINVAL;
	}
	r->have_ev = true;
	return 0;
}

static unsigned int line(const struct reader *r)
{
	return r->ev.start_mark.line + 1;
}

static int add(struct reader *r, const char *key, const char *value, size_t len, bool plain,
	       bool listed)
{
	struct config *c = r->c;
	struct config_item *it, *n = realloc(c->items, (c->nr + 1) * sizeof(*n));

	if (!n)
		return -ENOMEM;
	c->items = n;
	it = &c->items[c->nr];
	memset(it, 0, sizeof(*it));
	it->key = strdup(key);
	it->value = strndup(value, len);
	it->line = line(r);
	it->plain = plain;
	it->listed = listed;
	c->nr++;
	if (!it->key || !it->value)
		return -ENOMEM;
	return 0;
}

static bool scalar_plain(const yaml_event_t *ev)
{
	return ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
}

static const char *scalar(const yaml_event_t *ev, size_t *len)
{
	*len = ev->data.scalar.length;
	return (const char *)ev->data.scalar.value;
}

/* server: {http-address: X, metrics: true} -> "http-address=X", "metrics" */
static int server_map(struct reader *r, const char *key)
{
	char sub[64], item[512];
	const char *v;
	size_t len;
	int err;

	for (;;) {
		if ((err = next(r)))
			return err;
		if (r->ev.type == YAML_MAPPING_END_EVENT)
			return 0;
		if (r->ev.type != YAML_SCALAR_EVENT)
			goto bad;
		v = scalar(&r->ev, &len);
		snprintf(sub, sizeof(sub), "%.*s", (int)len, v);
		if ((err = next(r)))
			return err;
		if (r->ev.type != YAML_SCALAR_EVENT)
			goto bad;
		v = scalar(&r->ev, &len);
		if (scalar_plain(&r->ev) && len == 5 && !strncmp(v, "false", 5))
			continue;
		if (scalar_plain(&r->ev) && len == 4 && !strncmp(v, "true", 4))
			snprintf(item, sizeof(item), "%s", sub);
		else
			snprintf(item, sizeof(item), "%s=%.*s", sub, (int)len, v);
		err = add(r, key, item, strlen(item), false, true);
		if (err)
			return err;
	}
bad:
	tr_err("%s:%u: key '%s': bad value (its items are scalars: http-address: 127.0.0.1:3366, metrics: true)",
	       r->path, line(r), key);
	return -EINVAL;
}

static int value(struct reader *r, const char *key)
{
	const char *v;
	size_t len;
	int err;

	if ((err = next(r)))
		return err;
	switch (r->ev.type) {
	case YAML_SCALAR_EVENT:
		v = scalar(&r->ev, &len);
		return add(r, key, v, len, scalar_plain(&r->ev), false);
	case YAML_SEQUENCE_START_EVENT:
		for (;;) {
			if ((err = next(r)))
				return err;
			if (r->ev.type == YAML_SEQUENCE_END_EVENT)
				return 0;
			if (r->ev.type != YAML_SCALAR_EVENT) {
				tr_err("%s:%u: key '%s': bad value (a list of strings, numbers or booleans)",
				       r->path, line(r), key);
				return -EINVAL;
			}
			v = scalar(&r->ev, &len);
			err = add(r, key, v, len, scalar_plain(&r->ev), true);
			if (err)
				return err;
		}
	case YAML_MAPPING_START_EVENT:
		if (!strcmp(key, "server"))
			return server_map(r, key);
		/* fall through */
	default:
		tr_err("%s:%u: key '%s': bad value (a string, a number, a boolean or a list of them)",
		       r->path, line(r), key);
		return -EINVAL;
	}
}

static int document(struct reader *r)
{
	char key[128];
	const char *k;
	size_t len;
	unsigned int i;
	int err;

	if ((err = next(r)))
		return err;
	if (r->ev.type == YAML_SCALAR_EVENT && !r->ev.data.scalar.length)
		return 0;	/* an empty document: nothing set */
	if (r->ev.type != YAML_MAPPING_START_EVENT) {
		tr_err("%s:%u: not a mapping of options (write one option a line: \"output: json\")",
		       r->path, line(r));
		return -EINVAL;
	}
	for (;;) {
		if ((err = next(r)))
			return err;
		if (r->ev.type == YAML_MAPPING_END_EVENT)
			return 0;
		if (r->ev.type != YAML_SCALAR_EVENT) {
			tr_err("%s:%u: a key must be an option's name", r->path, line(r));
			return -EINVAL;
		}
		k = scalar(&r->ev, &len);
		snprintf(key, sizeof(key), "%.*s", (int)len, k);
		for (i = 0; i < r->c->nr; i++)
			if (!strcmp(r->c->items[i].key, key)) {
				tr_err("%s:%u: key '%s' given twice (give a list: \"%s: [a, b]\")",
				       r->path, line(r), key, key);
				return -EINVAL;
			}
		err = value(r, key);
		if (err == -ENOMEM)
			tr_err("%s: out of memory", r->path);
		if (err)
			return err;
	}
}

int config_read(const char *path, struct config *c)
{
	struct reader r = { .path = path, .c = c };
	FILE *f;
	int err = 0;

	memset(c, 0, sizeof(*c));
	f = fopen(path, "re");
	if (!f) {
		err = -errno;
		tr_err("--config %s: %s (name a readable YAML file)", path, strerror(errno));
		return err;
	}
	if (!yaml_parser_initialize(&r.parser)) {
		fclose(f);
		tr_err("--config %s: out of memory", path);
		return -ENOMEM;
	}
	yaml_parser_set_input_file(&r.parser, f);
	for (;;) {
		if ((err = next(&r)))
			break;
		if (r.ev.type == YAML_STREAM_END_EVENT)
			break;
		if (r.ev.type == YAML_DOCUMENT_START_EVENT) {
			err = document(&r);
			if (err)
				break;
		}
	}
	next_free(&r);
	yaml_parser_delete(&r.parser);
	fclose(f);
	if (err)
		config_fini(c);
	return err;
}
#else
int config_read(const char *path, struct config *c)
{
	memset(c, 0, sizeof(*c));
	tr_err("--config %s: this tracee was built without libyaml (rebuild with libyaml-dev, or give the options as flags)",
	       path);
	return -ENOTSUP;
}
#endif /* HAVE_YAML */
