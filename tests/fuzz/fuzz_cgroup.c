// SPDX-License-Identifier: GPL-2.0
/* fuzz_cgroup.c - libFuzzer target: container ids from cgroup paths. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "container.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char id[CONTAINER_ID_LEN + 1];
	char *s = malloc(size + 1);
	size_t i;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	memset(id, 'x', sizeof(id));
	if (container_id_from_cgroup_path(s, id) > 0) {
		/* What is returned is a NUL-terminated lowercase hex id. */
		for (i = 0; id[i]; i++)
			if (i >= CONTAINER_ID_LEN || !strchr("0123456789abcdef", id[i]))
				abort();
	}
	/* The same bytes as a /proc/<pid>/cgroup file (v1, v2, hybrid). */
	memset(id, 'x', sizeof(id));
	if (container_id_from_cgroup_file((const char *)data, size, id) > 0 &&
	    strlen(id) != CONTAINER_ID_LEN)
		abort();
	free(s);
	return 0;
}
