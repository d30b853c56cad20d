/* SPDX-License-Identifier: GPL-2.0 */
/*
 * server.h - --server http-address=ADDR,metrics,healthz (Tracee's grammar):
 * Prometheus metrics on /metrics and a health check on /healthz, served by
 * libmicrohttpd from its own thread.
 *
 * ADDR is HOST:PORT, [IPv6]:PORT or :PORT; an empty host is 127.0.0.1, so
 * nothing listens beyond this machine unless told (0.0.0.0:3366).  Default
 * 127.0.0.1:3366.  /healthz answers 200 "OK" while the reader's heartbeat
 * (metrics.h) is younger than SERVER_STALL_MS, 503 and the age when not.
 */
#ifndef TRACEE_SERVER_H
#define TRACEE_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

#include "metrics.h"

#define SERVER_DEFAULT_ADDR	":3366"
#define SERVER_STALL_MS		5000

struct server_opts {
	const char *address;	/* NULL: SERVER_DEFAULT_ADDR */
	bool metrics;
	bool healthz;
};

/*
 * One --server argument: comma-separated http-address=ADDR, metrics,
 * healthz (repeatable).  0, or -EINVAL with the reason in err.
 */
int server_parse(struct server_opts *o, const char *arg, char *err, size_t err_sz);
/* Resolve ADDR into sa; 0, or -EINVAL with the reason in err. */
int server_address(const char *addr, struct sockaddr_storage *sa, socklen_t *len, char *err,
		   size_t err_sz);

struct server;
/* Listening when it returns; NULL with a message. */
struct server *server_start(const struct server_opts *o, struct metrics *m);
void server_stop(struct server *s);

#endif /* TRACEE_SERVER_H */
