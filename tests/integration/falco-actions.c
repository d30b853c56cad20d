// SPDX-License-Identifier: GPL-2.0
/*
 * falco-actions - perform, for real and under a command name of the test's
 * choosing, the behaviours of tests/integration/sig_live_falco.sh that no
 * shell tool performs.
 *
 *   falco-actions NAME MODE
 *
 * NAME becomes the process's comm (prctl(PR_SET_NAME)) first.
 *
 *   bpf-load	load a socket filter eBPF program ("return 0": it drops
 *		whatever it would be attached to, and it is attached to
 *		nothing) through the raw bpf(2) system call, then close it;
 *		the kernel frees it with its last reference
 *
 * Exits non-zero with one line on stderr when a step fails.
 */
#include <errno.h>
#include <linux/bpf.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

static int bpf_load(void)
{
	/* r0 = 0; exit */
	struct bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	union bpf_attr attr;
	long fd;

	memset(&attr, 0, sizeof(attr));
	attr.prog_type = BPF_PROG_TYPE_SOCKET_FILTER;
	attr.insns = (uint64_t)(uintptr_t)insns;
	attr.insn_cnt = sizeof(insns) / sizeof(insns[0]);
	attr.license = (uint64_t)(uintptr_t)"GPL";
	fd = syscall(SYS_bpf, BPF_PROG_LOAD, &attr, sizeof(attr));
	if (fd < 0) {
		fprintf(stderr, "falco-actions: bpf(BPF_PROG_LOAD): %s\n", strerror(errno));
		return 1;
	}
	close((int)fd);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: falco-actions NAME bpf-load\n");
		return 2;
	}
	if (prctl(PR_SET_NAME, argv[1], 0, 0, 0)) {
		fprintf(stderr, "falco-actions: prctl(PR_SET_NAME): %s\n", strerror(errno));
		return 1;
	}
	if (!strcmp(argv[2], "bpf-load"))
		return bpf_load();
	fprintf(stderr, "falco-actions: unknown mode '%s': use bpf-load\n", argv[2]);
	return 2;
}
