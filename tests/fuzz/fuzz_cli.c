// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_cli.c - libFuzzer target: the whole command line (-e, -o and its
 * options, --scope/--trace, -s, --build-policy, ...).  The input is argv,
 * NUL-separated.
 */
#include <getopt.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define MAX_ARGS	64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *copy = malloc(size + 1), *argv[MAX_ARGS + 2];
	struct cli_config cfg;
	int argc = 1;
	size_t i, start = 0;

	if (!copy)
		return 0;
	memcpy(copy, data, size);
	copy[size] = '\0';
	argv[0] = "tracee";
	for (i = 0; i <= size && argc <= MAX_ARGS; i++) {
		if (i == size || copy[i] == '\0') {
			argv[argc++] = copy + start;
			start = i + 1;
		}
	}
	argv[argc] = NULL;
	optind = 0;	/* GNU getopt: start over */
	opterr = 0;
	cli_parse(argc, argv, &cfg);
	free(copy);
	return 0;
}
