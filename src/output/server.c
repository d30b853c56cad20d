// SPDX-License-Identifier: GPL-2.0
/*
 * server.c - the --server grammar, and /metrics and /healthz through
 * libmicrohttpd (its internal polling thread; GET only, nothing else).
 */
#include <errno.h>
#include <netdb.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifdef HAVE_SERVER
#include <microhttpd.h>
#endif

#include "clock.h"
#include "log.h"
#include "server.h"

int server_parse(struct server_opts *o, const char *arg, char *err, size_t err_sz)
{
	const char *p = arg;

	while (*p) {
		size_t n = strcspn(p, ",");

		if (n == 7 && !strncmp(p, "metrics", 7)) {
			o->metrics = true;
		} else if (n == 7 && !strncmp(p, "healthz", 7)) {
			o->healthz = true;
		} else if (n > 13 && !strncmp(p, "http-address=", 13)) {
			struct sockaddr_storage sa;
			socklen_t len;
			char *addr = strndup(p + 13, n - 13);

			if (!addr || server_address(addr, &sa, &len, err, err_sz)) {
				free(addr);
				return -EINVAL;
			}
			/* one argv word may carry several: keep the last, as flags do */
			free((char *)o->address);
			o->address = addr;
		} else {
			snprintf(err, err_sz, "unknown --server item '%.*s' in '%s' (use http-address=HOST:PORT, metrics, healthz)",
				 (int)n, p, arg);
			return -EINVAL;
		}
		p += n;
		if (*p == ',')
			p++;
	}
#ifndef HAVE_SERVER
	snprintf(err, err_sz, "--server: this tracee was built without libmicrohttpd (rebuild with libmicrohttpd-dev)");
	return -EINVAL;
#endif
	return 0;
}

int server_address(const char *addr, struct sockaddr_storage *sa, socklen_t *len, char *err,
		   size_t err_sz)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM, .ai_flags = AI_NUMERICSERV }, *res;
	const char *colon = strrchr(addr, ':');
	char host[256];
	size_t hl;
	int ret;

	if (!colon || !colon[1] || strspn(colon + 1, "0123456789") != strlen(colon + 1) ||
	    atoi(colon + 1) < 1 || atoi(colon + 1) > 65535) {
		snprintf(err, err_sz, "--server http-address=%s: name a port (HOST:PORT or :PORT, 1-65535)",
			 addr);
		return -EINVAL;
	}
	hl = colon - addr;
	if (hl >= 2 && addr[0] == '[' && addr[hl - 1] == ']') {
		addr++;
		hl -= 2;
	}
	if (hl >= sizeof(host)) {
		snprintf(err, err_sz, "--server http-address=%s: host name too long", addr);
		return -EINVAL;
	}
	memcpy(host, addr, hl);
	host[hl] = '\0';
	ret = getaddrinfo(hl ? host : "127.0.0.1", colon + 1, &hints, &res);
	if (ret) {
		snprintf(err, err_sz, "--server http-address=%s: %s (name a local address)", addr,
			 gai_strerror(ret));
		return -EINVAL;
	}
	memcpy(sa, res->ai_addr, res->ai_addrlen);
	*len = res->ai_addrlen;
	freeaddrinfo(res);
	return 0;
}

#ifdef HAVE_SERVER
struct server {
	struct MHD_Daemon *mhd;
	struct metrics *m;
	struct server_opts o;
};

static enum MHD_Result reply(struct MHD_Connection *c, unsigned int status, const char *type,
			     const char *body, size_t len)
{
	struct MHD_Response *r;
	enum MHD_Result ret;

	r = MHD_create_response_from_buffer(len, (void *)body, MHD_RESPMEM_MUST_COPY);
	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version, const char *upload,
				  size_t *upload_sz, void **state)
{
	struct server *s = cls;

	if (strcmp(method, "GET") && strcmp(method, "HEAD"))
		return reply(c, MHD_HTTP_METHOD_NOT_ALLOWED, "text/plain", "GET only\n", 9);
	if (s->o.metrics && !strcmp(url, "/metrics")) {
		struct obuf b = { 0 };
		enum MHD_Result ret;

		metrics_text(s->m, &b);
		if (!obuf_ok(&b)) {
			obuf_fini(&b);
			return reply(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "text/plain", "out of memory\n", 14);
		}
		ret = reply(c, MHD_HTTP_OK, "text/plain; version=0.0.4; charset=utf-8", b.p, b.len);
		obuf_fini(&b);
		return ret;
	}
	if (s->o.healthz && !strcmp(url, "/healthz")) {
		uint64_t age = metrics_heartbeat_age_ms(s->m, mono_ms());
		char msg[128];
		int n;

		if (age <= SERVER_STALL_MS)
			return reply(c, MHD_HTTP_OK, "text/plain", "OK\n", 3);
		if (age == UINT64_MAX)
			n = snprintf(msg, sizeof(msg), "starting: the reader has not run yet\n");
		else
			n = snprintf(msg, sizeof(msg), "stalled: the reader has not run for %llu ms\n",
				     (unsigned long long)age);
		return reply(c, MHD_HTTP_SERVICE_UNAVAILABLE, "text/plain", msg, n);
	}
	return reply(c, MHD_HTTP_NOT_FOUND, "text/plain", "not found\n", 10);
}

struct server *server_start(const struct server_opts *o, struct metrics *m)
{
	const char *addr = o->address ? o->address : SERVER_DEFAULT_ADDR;
	struct sockaddr_storage sa;
	struct server *s;
	sigset_t all, old;
	socklen_t len;
	char err[512];

	if (server_address(addr, &sa, &len, err, sizeof(err))) {
		tr_err("%s", err);
		return NULL;
	}
	s = calloc(1, sizeof(*s));
	if (!s) {
		tr_err("--server: out of memory");
		return NULL;
	}
	s->m = m;
	s->o = *o;
	/* Its thread leaves the process signals to the main thread. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	s->mhd = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD |
				  (sa.ss_family == AF_INET6 ? MHD_USE_IPv6 : 0),
				  0, NULL, NULL, on_request, s,
				  MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
				  MHD_OPTION_CONNECTION_LIMIT, (unsigned int)16,
				  MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)10,
				  MHD_OPTION_END);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (!s->mhd) {
		tr_err("--server: cannot listen on %s: %s (is the port taken? choose another with http-address=HOST:PORT)",
		       addr, strerror(errno ? errno : EADDRINUSE));
		free(s);
		return NULL;
	}
	tr_verbose(1, "--server: listening on %s (%s%s%s)", addr, o->metrics ? "/metrics" : "",
		   o->metrics && o->healthz ? ", " : "", o->healthz ? "/healthz" : "");
	return s;
}

void server_stop(struct server *s)
{
	if (!s)
		return;
	MHD_stop_daemon(s->mhd);
	free(s);
}
#endif /* HAVE_SERVER */
