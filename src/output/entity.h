/* SPDX-License-Identifier: GPL-2.0 */
/*
 * entity.h - Tracee's entity ids for a thread or process: a hash of its
 * tid and start time (ns, any clock the caller uses consistently).
 */
#ifndef TRACEE_ENTITY_H
#define TRACEE_ENTITY_H

#include <stddef.h>
#include <stdint.h>

uint32_t entity_id(uint32_t tid, uint64_t start_ns);

#endif /* TRACEE_ENTITY_H */
