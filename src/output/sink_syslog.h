/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sink_syslog.h - -o syslog[:unix:PATH | :udp://HOST:PORT | :tcp://HOST:PORT |
 * :tls://HOST:PORT]: findings and events as RFC 5424 messages.
 *
 * A message is <PRI>1 TIMESTAMP HOSTNAME tracee PID MSGID [SD...] JSON:
 * MSGID is the signature ID of a finding (TRC-105) or the event name;
 * structured data under the SD-IDs finding@32473, event@32473 and
 * args@32473 carries the fields a relay filters on; the message is Tracee's
 * JSON object.  Datagrams (the local socket, UDP) carry one message each;
 * TCP and TLS (RFC 5425) frame them by octet counting (RFC 6587).
 */
#ifndef TRACEE_SINK_SYSLOG_H
#define TRACEE_SINK_SYSLOG_H

#include <stddef.h>

#include "output.h"
#include "sink.h"

/* spec: "syslog..." as given to -o.  0, or -EINVAL with the reason in err. */
int sink_syslog_check(const char *spec, char *err, size_t err_sz);
/* Starts the sink's thread; NULL with a message on error. */
void *sink_syslog_new(const char *spec, const struct output_opts *opts,
		      const struct sink_ops **ops);

#endif /* TRACEE_SINK_SYSLOG_H */
