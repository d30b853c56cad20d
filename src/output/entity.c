// SPDX-License-Identifier: GPL-2.0
/*
 * entity.c - Tracee's entity ids (threadEntityId, processEntityId,
 * parentEntityId): murmur3 (32-bit) of the big-endian (u32 tid, u64 start
 * time), the start time rounded down to USER_HZ ticks as Tracee does, so
 * ids computed from /proc readings match.
 */
#include "entity.h"

static inline uint32_t rotl32(uint32_t x, int r)
{
	return (x << r) | (x >> (32 - r));
}

static uint32_t murmur3_32(const uint8_t *data, size_t len)
{
	const uint32_t c1 = 0xcc9e2d51, c2 = 0x1b873593;
	uint32_t h = 0, k;
	size_t i;

	for (i = 0; i + 4 <= len; i += 4) {
		k = (uint32_t)data[i] | (uint32_t)data[i + 1] << 8 |
		    (uint32_t)data[i + 2] << 16 | (uint32_t)data[i + 3] << 24;
		k *= c1;
		k = rotl32(k, 15);
		k *= c2;
		h ^= k;
		h = rotl32(h, 13);
		h = h * 5 + 0xe6546b64;
	}
	k = 0;
	switch (len & 3) {
	case 3:
		k ^= (uint32_t)data[i + 2] << 16;
		/* fallthrough */
	case 2:
		k ^= (uint32_t)data[i + 1] << 8;
		/* fallthrough */
	case 1:
		k ^= data[i];
		k *= c1;
		k = rotl32(k, 15);
		k *= c2;
		h ^= k;
	}
	h ^= len;
	h ^= h >> 16;
	h *= 0x85ebca6b;
	h ^= h >> 13;
	h *= 0xc2b2ae35;
	h ^= h >> 16;
	return h;
}

uint32_t entity_id(uint32_t tid, uint64_t start_ns)
{
	uint8_t buf[12];
	int i;

	start_ns -= start_ns % 10000000ULL;	/* 1e9 / USER_HZ */
	for (i = 0; i < 4; i++)
		buf[i] = tid >> (24 - 8 * i);
	for (i = 0; i < 8; i++)
		buf[4 + i] = start_ns >> (56 - 8 * i);
	return murmur3_32(buf, sizeof(buf));
}
