// SPDX-License-Identifier: GPL-2.0
/*
 * sink_syslog.c - findings and events to a syslog receiver (RFC 5424).
 *
 * The caller's thread formats the whole message (header, structured data,
 * JSON) and queues it; the sink's thread owns the connection.  When the
 * receiver is away the thread reconnects with back-off (100 ms doubling to
 * 5 s) and keeps the message it was sending; the queue fills meanwhile and
 * what does not fit is dropped and counted.  Once the queue has room again
 * the outage ends without anything but the count to show for it.
 *
 * Delivery over TCP and TLS is as good as the transport: a receiver that
 * closes the connection is noticed before the next message (its FIN or
 * close_notify makes the socket readable; a syslog receiver never sends
 * anything else), and the message is sent again on a new connection; one
 * that dies without closing takes what the kernel already accepted.  UDP
 * loses silently by design; a refused datagram is retried like a failed
 * connection.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#ifdef HAVE_SYSLOG_TLS
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#endif

#include "clock.h"
#include "events.h"
#include "log.h"
#include "sink_syslog.h"
#include "sinkworker.h"

#define SL_DEV_LOG		"/dev/log"
#define SL_BATCH_MSGS		64
#define SL_BATCH_SZ		(256 * 1024)
#define SL_BACKOFF_MIN_MS	100
#define SL_BACKOFF_MAX_MS	5000
#define SL_CONNECT_MS		3000
#define SL_UDP_MAX		65000	/* one datagram, IP header aside */
/* IANA's example enterprise number (RFC 5612): tracee has none of its own. */
#define SL_SD_PEN		"32473"
#define SL_FACILITY		3	/* daemon */

enum sl_transport {
	SL_UNIX,
	SL_UDP,
	SL_TCP,
	SL_TLS,
};

struct sink_syslog {
	enum sl_transport tr;
	char *spec;
	char host[256];
	char port[8];
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	char *ca, *cert, *key;
	char hostname[256];
	char procid[16];
	struct sink_worker w;	/* queue, thread, stop, counters */
	/* the caller's side */
	struct obuf msg;
	/* the thread's side */
	int fd;
	bool ever_connected;
	bool down;		/* an outage was reported; reported again when it ends */
	uint64_t down_since_ms;
	unsigned int backoff_ms;
	struct obuf batch;
#ifdef HAVE_SYSLOG_TLS
	gnutls_certificate_credentials_t cred;
	gnutls_session_t tls;
#endif
};

/*
 * -------------------------------------------------------------------------
 * The destination: syslog, syslog:unix:PATH, syslog:udp|tcp|tls://HOST:PORT
 * -------------------------------------------------------------------------
 */
static int parse_spec(struct sink_syslog *s, const char *spec, char *err, size_t err_sz)
{
	static const struct {
		const char *scheme;
		enum sl_transport tr;
		const char *port;
	} schemes[] = {
		{ "udp://", SL_UDP, "514" }, { "tcp://", SL_TCP, "514" },
		{ "tls://", SL_TLS, "6514" },
	};
	const char *p, *host, *colon;
	size_t host_len;
	unsigned int i;

	if (strncmp(spec, "syslog", 6) || (spec[6] && spec[6] != ':')) {
		snprintf(err, err_sz, "'%s' is not a syslog output", spec);
		return -EINVAL;
	}
	s->tr = SL_UNIX;
	snprintf(s->path, sizeof(s->path), "%s", SL_DEV_LOG);
	if (!spec[6])
		return 0;
	p = spec + 7;
	if (!strncmp(p, "unix:", 5)) {
		p += 5;
		if (!strncmp(p, "//", 2))
			p += 2;
		if (*p != '/' || strlen(p) >= sizeof(s->path)) {
			snprintf(err, err_sz, "output '%s': the local socket must be an absolute path shorter than %zu bytes (syslog:unix:/dev/log)",
				 spec, sizeof(s->path));
			return -EINVAL;
		}
		snprintf(s->path, sizeof(s->path), "%s", p);
		return 0;
	}
	for (i = 0; i < sizeof(schemes) / sizeof(schemes[0]); i++)
		if (!strncmp(p, schemes[i].scheme, strlen(schemes[i].scheme)))
			break;
	if (i == sizeof(schemes) / sizeof(schemes[0])) {
		snprintf(err, err_sz, "output '%s': unknown syslog destination (use syslog, syslog:unix:/PATH, syslog:udp://HOST:PORT, syslog:tcp://HOST:PORT or syslog:tls://HOST:PORT)",
			 spec);
		return -EINVAL;
	}
#ifndef HAVE_SYSLOG_TLS
	if (schemes[i].tr == SL_TLS) {
		snprintf(err, err_sz, "output '%s': this tracee was built without GnuTLS (rebuild with libgnutls28-dev, or use syslog:tcp:// through a local TLS relay)",
			 spec);
		return -EINVAL;
	}
#endif
	s->tr = schemes[i].tr;
	host = p + strlen(schemes[i].scheme);
	if (*host == '[') {
		const char *end = strchr(host, ']');

		if (!end || (end[1] && end[1] != ':')) {
			snprintf(err, err_sz, "output '%s': an IPv6 address goes in brackets ([::1]:514)",
				 spec);
			return -EINVAL;
		}
		host_len = end - host - 1;
		host++;
		colon = end[1] ? end + 1 : NULL;
	} else {
		colon = strchr(host, ':');
		host_len = colon ? (size_t)(colon - host) : strlen(host);
	}
	if (!host_len || host_len >= sizeof(s->host) || strchr(host, '/')) {
		snprintf(err, err_sz, "output '%s': name a host (%sHOST:PORT)", spec,
			 schemes[i].scheme);
		return -EINVAL;
	}
	memcpy(s->host, host, host_len);
	s->host[host_len] = '\0';
	snprintf(s->port, sizeof(s->port), "%s", schemes[i].port);
	if (colon) {
		char *end;
		long port = strtol(colon + 1, &end, 10);

		if (!colon[1] || *end || port < 1 || port > 65535) {
			snprintf(err, err_sz, "output '%s': bad port '%s' (1-65535)", spec,
				 colon + 1);
			return -EINVAL;
		}
		snprintf(s->port, sizeof(s->port), "%ld", port);
	}
	return 0;
}

int sink_syslog_check(const char *spec, char *err, size_t err_sz)
{
	struct sink_syslog s;

	return parse_spec(&s, spec, err, err_sz);
}

/*
 * -------------------------------------------------------------------------
 * The message (caller's thread)
 * -------------------------------------------------------------------------
 */

/* An SD-PARAM value: '"', '\' and ']' escaped; control bytes and non-ASCII as '?'. */
static void sd_value(struct obuf *b, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = s[i];

		if (c == '"' || c == '\\' || c == ']')
			obuf_putc(b, '\\');
		obuf_putc(b, c < 0x20 || c >= 0x7f ? '?' : c);
	}
}

static void sd_str(struct obuf *b, const char *name, const char *s, size_t len)
{
	obuf_putc(b, ' ');
	obuf_puts(b, name);
	obuf_put(b, "=\"", 2);
	sd_value(b, s, len);
	obuf_putc(b, '"');
}

static void sd_cstr(struct obuf *b, const char *name, const char *s)
{
	sd_str(b, name, s ? s : "", s ? strlen(s) : 0);
}

static void sd_i64(struct obuf *b, const char *name, int64_t v)
{
	obuf_putc(b, ' ');
	obuf_puts(b, name);
	obuf_put(b, "=\"", 2);
	obuf_i64(b, v);
	obuf_putc(b, '"');
}

/* A PARAM-NAME or MSGID: printable ASCII but '=', ' ', ']', '"', at most 32. */
static void sd_name(struct obuf *b, const char *s, size_t max)
{
	size_t i;

	for (i = 0; s[i] && i < max; i++) {
		unsigned char c = s[i];

		obuf_putc(b, c <= 0x20 || c >= 0x7f || c == '=' || c == ']' || c == '"' ? '_' : c);
	}
}

/* RFC 3339 in UTC with microseconds, as RFC 5424 allows. */
static void timestamp(struct obuf *b, uint64_t epoch_ns)
{
	time_t sec = epoch_ns / 1000000000ULL;
	struct tm tm;
	char t[40];

	gmtime_r(&sec, &tm);
	strftime(t, sizeof(t), "%Y-%m-%dT%H:%M:%S", &tm);
	obuf_puts(b, t);
	snprintf(t, sizeof(t), ".%06uZ", (unsigned int)(epoch_ns % 1000000000ULL / 1000));
	obuf_puts(b, t);
}

static void sd_event(struct obuf *b, const struct tr_event *ev)
{
	const struct tr_record_hdr *h = ev->hdr;
	unsigned int i;

	obuf_puts(b, "[event@" SL_SD_PEN);
	sd_cstr(b, "name", ev->def->name);
	sd_i64(b, "id", ev->def->id);
	sd_i64(b, "pid", h->pid);
	sd_i64(b, "tid", h->tid);
	sd_i64(b, "ppid", h->ppid);
	sd_i64(b, "hostPid", h->host_pid);
	sd_i64(b, "uid", h->uid);
	sd_str(b, "comm", h->comm, strnlen(h->comm, sizeof(h->comm)));
	sd_str(b, "hostName", h->uts, strnlen(h->uts, sizeof(h->uts)));
	sd_cstr(b, "executable", ev->executable);
	sd_cstr(b, "container", ev->container_id);
	sd_i64(b, "mntns", h->mnt_ns);
	sd_i64(b, "pidns", h->pid_ns);
	sd_i64(b, "returnValue", h->retval);
	obuf_putc(b, ']');
	/* Scalars only: the JSON message has every argument in full. */
	obuf_puts(b, "[args@" SL_SD_PEN);
	for (i = 0; i < ev->nr_args; i++) {
		const struct tr_arg *a = &ev->args[i];

		switch (a->kind) {
		case TR_V_INT:
			obuf_putc(b, ' ');
			sd_name(b, a->name, 32);
			obuf_put(b, "=\"", 2);
			obuf_i64(b, a->v.i);
			obuf_putc(b, '"');
			break;
		case TR_V_UINT:
		case TR_V_BOOL:
			obuf_putc(b, ' ');
			sd_name(b, a->name, 32);
			obuf_put(b, "=\"", 2);
			obuf_u64(b, a->v.u);
			obuf_putc(b, '"');
			break;
		case TR_V_STR:
			obuf_putc(b, ' ');
			sd_name(b, a->name, 32);
			obuf_put(b, "=\"", 2);
			sd_value(b, a->v.str.p, a->v.str.len);
			obuf_putc(b, '"');
			break;
		default:
			break;
		}
	}
	obuf_putc(b, ']');
}

/* Finding severity 0..3 -> notice, warning, err, crit; events are info. */
static int severity(const struct tr_finding *f)
{
	static const int map[] = { 5, 4, 3, 2 };

	if (!f)
		return 6;
	if (f->severity < 0)
		return 5;
	return map[f->severity > 3 ? 3 : f->severity];
}

static void format(struct sink_syslog *s, const struct sink_msg *m)
{
	struct obuf *b = &s->msg;
	const struct tr_finding *f = m->f;
	uint64_t ts_ns;

	b->len = 0;
	obuf_putc(b, '<');
	obuf_u64(b, SL_FACILITY * 8 + severity(f));
	obuf_put(b, ">1 ", 3);
	if (m->ev) {
		ts_ns = m->ev->timestamp_ns;
	} else {
		struct timespec now;

		clock_gettime(CLOCK_REALTIME, &now);
		ts_ns = (uint64_t)now.tv_sec * 1000000000ULL + now.tv_nsec;
	}
	timestamp(b, ts_ns);
	obuf_putc(b, ' ');
	obuf_puts(b, s->hostname);
	obuf_puts(b, " tracee ");
	obuf_puts(b, s->procid);
	obuf_putc(b, ' ');
	sd_name(b, f ? f->id : m->ev->def->name, 32);
	obuf_putc(b, ' ');
	if (f) {
		obuf_puts(b, "[finding@" SL_SD_PEN);
		sd_cstr(b, "id", f->id);
		sd_cstr(b, "name", f->name);
		sd_i64(b, "severity", f->severity);
		sd_cstr(b, "category", f->category);
		sd_cstr(b, "technique", f->technique);
		sd_cstr(b, "externalId", f->external_id);
		sd_cstr(b, "description", f->description);
		obuf_putc(b, ']');
	}
	if (m->ev)
		sd_event(b, m->ev);
	else if (!f)
		obuf_putc(b, '-');
	obuf_putc(b, ' ');
	obuf_put(b, m->json, m->json_len);
}

static int syslog_push(void *p, const struct sink_msg *m)
{
	struct sink_syslog *s = p;

	format(s, m);
	if (!obuf_ok(&s->msg)) {
		s->msg.oom = false;
		sink_worker_count(&s->w.failed, 1);
		return -ENOMEM;
	}
	return sink_worker_push(&s->w, s->msg.p, s->msg.len, "messages");
}

/*
 * -------------------------------------------------------------------------
 * The connection (the sink's thread)
 * -------------------------------------------------------------------------
 */
static bool stopping(struct sink_syslog *s)
{
	return sink_worker_stopping(&s->w);
}

static void disconnect(struct sink_syslog *s)
{
#ifdef HAVE_SYSLOG_TLS
	if (s->tls) {
		gnutls_deinit(s->tls);
		s->tls = NULL;
	}
#endif
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
}

/* Non-blocking connect, given up after SL_CONNECT_MS or when stopping. */
static int connect_timed(struct sink_syslog *s, int fd, const struct sockaddr *sa, socklen_t len)
{
	struct pollfd pfd = { .fd = fd, .events = POLLOUT };
	uint64_t until = mono_ms() + SL_CONNECT_MS;
	socklen_t elen = sizeof(int);
	int err = 0;

	if (!connect(fd, sa, len))
		return 0;
	if (errno != EINPROGRESS)
		return -errno;
	while (!stopping(s) && mono_ms() < until) {
		int n = poll(&pfd, 1, 100);

		if (n < 0 && errno != EINTR)
			return -errno;
		if (n > 0) {
			if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &elen))
				return -errno;
			return -err;
		}
	}
	return -ETIMEDOUT;
}

#ifdef HAVE_SYSLOG_TLS
static int tls_start(struct sink_syslog *s, char *why, size_t why_sz)
{
	uint64_t until = mono_ms() + SL_CONNECT_MS;
	int ret;

	ret = gnutls_init(&s->tls, GNUTLS_CLIENT | GNUTLS_NONBLOCK);
	if (ret < 0)
		goto fail;
	ret = gnutls_set_default_priority(s->tls);
	if (ret < 0)
		goto fail;
	ret = gnutls_credentials_set(s->tls, GNUTLS_CRD_CERTIFICATE, s->cred);
	if (ret < 0)
		goto fail;
	/* The receiver's certificate must name the host we were told (RFC 5425 5.2). */
	gnutls_session_set_verify_cert(s->tls, s->host, 0);
	if (inet_pton(AF_INET, s->host, &(struct in_addr){ 0 }) != 1 &&
	    inet_pton(AF_INET6, s->host, &(struct in6_addr){ 0 }) != 1)
		gnutls_server_name_set(s->tls, GNUTLS_NAME_DNS, s->host, strlen(s->host));
	gnutls_transport_set_int(s->tls, s->fd);
	do {
		struct pollfd pfd = { .fd = s->fd };

		ret = gnutls_handshake(s->tls);
		if (ret != GNUTLS_E_AGAIN && ret != GNUTLS_E_INTERRUPTED)
			break;
		pfd.events = gnutls_record_get_direction(s->tls) ? POLLOUT : POLLIN;
		poll(&pfd, 1, 100);
	} while (!stopping(s) && mono_ms() < until);
	if (ret == GNUTLS_E_CERTIFICATE_VERIFICATION_ERROR) {
		gnutls_datum_t out = { 0 };
		unsigned int status = gnutls_session_get_verify_cert_status(s->tls);

		gnutls_certificate_verification_status_print(status, GNUTLS_CRT_X509, &out, 0);
		snprintf(why, why_sz, "TLS: the receiver's certificate is not trusted: %s (check option:syslog-ca)",
			 out.data ? (char *)out.data : "verification failed");
		gnutls_free(out.data);
		return -EPROTO;
	}
	if (ret < 0)
		goto fail;
	return 0;
fail:
	snprintf(why, why_sz, "TLS: %s", ret == GNUTLS_E_AGAIN ? "handshake timed out" :
		 gnutls_strerror(ret));
	return -EPROTO;
}
#endif

/* 0, or -errno with why filled in. */
static int try_connect(struct sink_syslog *s, char *why, size_t why_sz)
{
	struct addrinfo hints = { .ai_flags = AI_ADDRCONFIG }, *res = NULL, *ai;
	int ret, err = -EHOSTUNREACH;

	if (s->tr == SL_UNIX) {
		struct sockaddr_un sa = { .sun_family = AF_UNIX };

		s->fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		if (s->fd < 0)
			return -errno;
		memcpy(sa.sun_path, s->path, strlen(s->path) + 1);
		if (connect(s->fd, (struct sockaddr *)&sa, sizeof(sa))) {
			err = -errno;
			snprintf(why, why_sz, "%s: %s", s->path, strerror(errno));
			disconnect(s);
			return err;
		}
		return 0;
	}
	hints.ai_socktype = s->tr == SL_UDP ? SOCK_DGRAM : SOCK_STREAM;
	ret = getaddrinfo(s->host, s->port, &hints, &res);
	if (ret) {
		snprintf(why, why_sz, "%s: %s", s->host, gai_strerror(ret));
		return -EHOSTUNREACH;
	}
	for (ai = res; ai; ai = ai->ai_next) {
		s->fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK,
			       ai->ai_protocol);
		if (s->fd < 0) {
			err = -errno;
			continue;
		}
		err = connect_timed(s, s->fd, ai->ai_addr, ai->ai_addrlen);
		if (!err)
			break;
		disconnect(s);
	}
	freeaddrinfo(res);
	if (err) {
		snprintf(why, why_sz, "%s port %s: %s", s->host, s->port, strerror(-err));
		return err;
	}
#ifdef HAVE_SYSLOG_TLS
	if (s->tr == SL_TLS) {
		err = tls_start(s, why, why_sz);
		if (err) {
			disconnect(s);
			return err;
		}
	}
#endif
	return 0;
}

/* Connected, or false when stopping (the thread gives up what it holds). */
static bool ensure_connected(struct sink_syslog *s)
{
	char why[512];
	int err;

	while (s->fd < 0) {
		if (stopping(s))
			return false;
		why[0] = '\0';
		err = try_connect(s, why, sizeof(why));
		if (!err) {
			if (s->ever_connected)
				sink_worker_count(&s->w.reconnects, 1);
			if (s->down)
				tr_err("output %s: connected again after %llu ms", s->spec,
				       (unsigned long long)(mono_ms() - s->down_since_ms));
			s->ever_connected = true;
			s->down = false;
			s->backoff_ms = SL_BACKOFF_MIN_MS;
			return true;
		}
		if (!s->down) {
			tr_err("output %s: cannot send: %s; retrying with back-off up to %d s, queueing meanwhile (what does not fit is dropped and counted)",
			       s->spec, why[0] ? why : strerror(-err), SL_BACKOFF_MAX_MS / 1000);
			s->down = true;
			s->down_since_ms = mono_ms();
		}
		sink_worker_nap(&s->w, s->backoff_ms);
		s->backoff_ms = s->backoff_ms * 2 > SL_BACKOFF_MAX_MS ? SL_BACKOFF_MAX_MS :
				s->backoff_ms * 2;
	}
	return true;
}

/* A stream the receiver closed (FIN, close_notify, RST) is readable: reconnect first. */
static bool peer_closed(struct sink_syslog *s)
{
	struct pollfd pfd = { .fd = s->fd, .events = POLLIN | POLLRDHUP };

	if (s->tr != SL_TCP && s->tr != SL_TLS)
		return false;
	return poll(&pfd, 1, 0) > 0;
}

static int send_all(struct sink_syslog *s, const char *p, size_t len)
{
	while (len) {
		ssize_t n;

#ifdef HAVE_SYSLOG_TLS
		if (s->tls)
			n = gnutls_record_send(s->tls, p, len);
		else
#endif
			n = send(s->fd, p, len, MSG_NOSIGNAL);
#ifdef HAVE_SYSLOG_TLS
		if (s->tls && n < 0) {
			if (n != GNUTLS_E_AGAIN && n != GNUTLS_E_INTERRUPTED)
				return -EPIPE;
			n = -1;
			errno = EAGAIN;
		}
#endif
		if (n > 0) {
			p += n;
			len -= n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == ENOBUFS)) {
			struct pollfd pfd = { .fd = s->fd, .events = POLLOUT };

			/* A receiver slow to read holds us here; stopping ends the wait. */
			if (stopping(s))
				return -ECANCELED;
			if (poll(&pfd, 1, 100) < 0 && errno != EINTR)
				return -errno;
			continue;
		}
		return n < 0 ? -errno : -EIO;
	}
	return 0;
}

/* 0 sent, -EMSGSIZE never sendable, other: the connection failed (retry). */
static int send_one(struct sink_syslog *s, const char *msg, size_t len)
{
	char frame[24];
	int n, err;

	if (s->tr == SL_UDP && len > SL_UDP_MAX)
		return -EMSGSIZE;
	if (s->tr == SL_UNIX || s->tr == SL_UDP) {
		ssize_t r;

		for (;;) {
			r = send(s->fd, msg, len, MSG_NOSIGNAL);
			if (r >= 0)
				return 0;
			/* The local receiver's queue is full: it is alive, wait. */
			if ((errno == EAGAIN || errno == ENOBUFS || errno == EINTR) && !stopping(s)) {
				usleep(1000);
				continue;
			}
			return -errno;
		}
	}
	/* RFC 6587 octet counting: "LEN SP MSG". */
	n = snprintf(frame, sizeof(frame), "%zu ", len);
#ifdef HAVE_SYSLOG_TLS
	if (s->tls)
		gnutls_record_cork(s->tls);
#endif
	err = send_all(s, frame, n);
	if (!err)
		err = send_all(s, msg, len);
#ifdef HAVE_SYSLOG_TLS
	if (s->tls && !err) {
		do {
			n = gnutls_record_uncork(s->tls, 0);
			if (n == GNUTLS_E_AGAIN || n == GNUTLS_E_INTERRUPTED) {
				struct pollfd pfd = { .fd = s->fd, .events = POLLOUT };

				if (stopping(s))
					return -ECANCELED;
				poll(&pfd, 1, 100);
			}
		} while (n == GNUTLS_E_AGAIN || n == GNUTLS_E_INTERRUPTED);
		if (n < 0)
			err = -EPIPE;
	}
#endif
	return err;
}

static void *syslog_main(void *arg)
{
	struct sink_syslog *s = arg;
	int nr;

	for (;;) {
		const char *msg;
		size_t len, pos = 0;

		nr = sinkq_take(s->w.q, &s->batch, SL_BATCH_MSGS, SL_BATCH_SZ, 500);
		if (nr < 0)
			break;
		if (!nr)
			continue;
		while (sinkq_next(&s->batch, &pos, &msg, &len)) {
			int err;

			for (;;) {
				if (s->fd >= 0 && peer_closed(s))
					disconnect(s);
				if (!ensure_connected(s)) {
					err = -ECANCELED;
					break;
				}
				err = send_one(s, msg, len);
				if (!err || err == -EMSGSIZE || err == -ECANCELED)
					break;
				disconnect(s);	/* and again, on a new connection */
			}
			if (err) {
				sink_worker_count(&s->w.failed, 1);
				if (err == -EMSGSIZE)
					tr_verbose(1, "output %s: a %zu-byte message is too large for one datagram; counted as failed",
						   s->spec, len);
			} else {
				sink_worker_count(&s->w.sent, 1);
			}
		}
		sinkq_done(s->w.q);
	}
	disconnect(s);
	return NULL;
}

/*
 * -------------------------------------------------------------------------
 * Setup and teardown
 * -------------------------------------------------------------------------
 */
static void syslog_stats(void *p, struct sink_stats *st)
{
	struct sink_syslog *s = p;

	sink_worker_stats(&s->w, st);
}

static bool syslog_finish(void *p)
{
	struct sink_syslog *s = p;

	return sink_worker_finish(&s->w, SINK_DRAIN_MS);
}

static void syslog_free(void *p)
{
	struct sink_syslog *s = p;

	if (!s)
		return;
	sink_worker_fini(&s->w);
#ifdef HAVE_SYSLOG_TLS
	if (s->cred)
		gnutls_certificate_free_credentials(s->cred);
#endif
	obuf_fini(&s->batch);
	obuf_fini(&s->msg);
	free(s->ca);
	free(s->cert);
	free(s->key);
	free(s->spec);
	free(s);
}

static const struct sink_ops syslog_ops = {
	.push = syslog_push,
	.stats = syslog_stats,
	.finish = syslog_finish,
	.free = syslog_free,
};

#ifdef HAVE_SYSLOG_TLS
static int tls_setup(struct sink_syslog *s)
{
	int ret;

	ret = gnutls_certificate_allocate_credentials(&s->cred);
	if (ret < 0) {
		tr_err("output %s: TLS: %s", s->spec, gnutls_strerror(ret));
		return -ENOMEM;
	}
	if (s->ca)
		ret = gnutls_certificate_set_x509_trust_file(s->cred, s->ca, GNUTLS_X509_FMT_PEM);
	else
		ret = gnutls_certificate_set_x509_system_trust(s->cred);
	if (ret <= 0) {
		tr_err("output %s: TLS: no CA certificate loaded from %s%s%s (name a PEM file with option:syslog-ca=FILE)",
		       s->spec, s->ca ? s->ca : "the system store", ret < 0 ? ": " : "",
		       ret < 0 ? gnutls_strerror(ret) : "");
		return -EINVAL;
	}
	if (s->cert || s->key) {
		if (!s->cert || !s->key) {
			tr_err("output %s: TLS: a client certificate needs both option:syslog-cert=FILE and option:syslog-key=FILE",
			       s->spec);
			return -EINVAL;
		}
		ret = gnutls_certificate_set_x509_key_file(s->cred, s->cert, s->key,
							   GNUTLS_X509_FMT_PEM);
		if (ret < 0) {
			tr_err("output %s: TLS: client certificate %s with key %s: %s (name PEM files)",
			       s->spec, s->cert, s->key, gnutls_strerror(ret));
			return -EINVAL;
		}
	}
	return 0;
}
#endif

static char *dup_opt(const char *s, bool *oom)
{
	char *d;

	if (!s)
		return NULL;
	d = strdup(s);
	if (!d)
		*oom = true;
	return d;
}

void *sink_syslog_new(const char *spec, const struct output_opts *opts,
		      const struct sink_ops **ops)
{
	struct sink_syslog *s = calloc(1, sizeof(*s));
	char err[512];
	bool oom = false;
	int ret;

	if (!s)
		goto nomem;
	s->fd = -1;
	s->backoff_ms = SL_BACKOFF_MIN_MS;
	s->spec = strdup(spec);
	if (!s->spec)
		goto nomem;
	if (parse_spec(s, spec, err, sizeof(err))) {
		tr_err("%s", err);
		goto fail;
	}
	s->ca = dup_opt(opts->syslog_ca, &oom);
	s->cert = dup_opt(opts->syslog_cert, &oom);
	s->key = dup_opt(opts->syslog_key, &oom);
	if (oom)
		goto nomem;
	if (gethostname(s->hostname, sizeof(s->hostname)) || !s->hostname[0])
		strcpy(s->hostname, "-");
	s->hostname[sizeof(s->hostname) - 1] = '\0';
	snprintf(s->procid, sizeof(s->procid), "%d", (int)getpid());
	if (sink_worker_init(&s->w, s->spec) || obuf_init(&s->msg, 64 * 1024) || obuf_init(&s->batch, SL_BATCH_SZ))
		goto nomem;
#ifdef HAVE_SYSLOG_TLS
	if (s->tr == SL_TLS && tls_setup(s))
		goto fail;
#endif
	ret = sink_worker_start(&s->w, syslog_main, s);
	if (ret) {
		tr_err("output %s: cannot start its thread: %s", spec, strerror(ret));
		goto fail;
	}
	*ops = &syslog_ops;
	return s;
nomem:
	tr_err("output %s: out of memory", spec);
fail:
	syslog_free(s);
	errno = EINVAL;
	return NULL;
}
