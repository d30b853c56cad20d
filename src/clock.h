/* SPDX-License-Identifier: GPL-2.0 */
/*
 * clock.h - monotonic time for intervals, timeouts and back-off.
 *
 * CLOCK_MONOTONIC: never jumps with the wall clock, so a timeout measured
 * across an NTP step or a `date -s` still lasts what it says.  Event
 * timestamps are the kernel's and never come from here.
 */
#ifndef TRACEE_CLOCK_H
#define TRACEE_CLOCK_H

#include <stdint.h>
#include <time.h>

static inline uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static inline uint64_t mono_ms(void)
{
	return mono_ns() / 1000000;
}

#endif
