// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>
#include <stdio.h>

#include "log.h"

int log_verbosity;
static const char *log_context;

void log_set_context(const char *ctx)
{
	log_context = ctx;
}

void log_msg(const char *fmt, ...)
{
	char line[1024];
	va_list ap;

	/* Format first, then one write: lines from threads never interleave. */
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (log_context)
		fprintf(stderr, "tracee: %s: %s\n", log_context, line);
	else
		fprintf(stderr, "tracee: %s\n", line);
}

void tr_seterr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (!err || !errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}
