/* SPDX-License-Identifier: GPL-2.0 */
/*
 * argfmt.h - argument values as words (option:parse-arguments) and the one
 * reading of a struct sockaddr, shared by the renderers and Lua's e.args.
 */
#ifndef TRACEE_ARGFMT_H
#define TRACEE_ARGFMT_H

#include <arpa/inet.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "event.h"
#include "json.h"

/* Resolves the formatter table against the event table; idempotent. */
void argfmt_init(void);
/* The formatter of ev's argument i under option:parse-arguments, or NULL. */
void (*argfmt_of(const struct tr_event *ev, unsigned int i))(struct obuf *, uint64_t);

/* A struct sockaddr taken apart: family name, and its fields as text. */
struct sa_view {
	const char *family;	/* "AF_INET", or fam_num */
	char fam_num[8];
	int fam;
	char addr[INET6_ADDRSTRLEN];
	char port[8];
	char flow[12];
	char scope[12];
	const char *path;	/* AF_UNIX: sun_path bytes (abstract: after the NUL) */
	size_t path_len;
	bool abstract;
	bool complete;		/* long enough for the family's fields */
};

void sa_parse(struct sa_view *v, const uint8_t *p, uint32_t len);

#endif /* TRACEE_ARGFMT_H */
