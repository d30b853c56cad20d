/* SPDX-License-Identifier: GPL-2.0 */
/*
 * log.h - messages to stderr, one line each, prefixed "tracee: ".
 *
 * tr_err() is for errors: say what failed and what to do about it, once,
 * where the context is known.  tr_info() is for the few lines a user always
 * sees (object chosen, summary); tr_verbose() only with -v (level 1) or
 * -vv (level 2).
 */
#ifndef TRACEE_LOG_H
#define TRACEE_LOG_H

#include <stddef.h>

extern int log_verbosity;

void log_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/*
 * Messages from now on start with ctx ("tracee.yaml:12: key 'output'") until
 * it is set back to NULL.  Single-threaded use only (option parsing).
 */
void log_set_context(const char *ctx);

/*
 * Format a one-line reason into a caller's err buffer (functions that
 * report through err/errlen instead of logging); NULL or empty err is fine.
 */
void tr_seterr(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#define tr_err(...)	log_msg(__VA_ARGS__)
#define tr_info(...)	log_msg(__VA_ARGS__)
#define tr_verbose(lvl, ...) \
	do { if (log_verbosity >= (lvl)) log_msg(__VA_ARGS__); } while (0)

#endif /* TRACEE_LOG_H */
