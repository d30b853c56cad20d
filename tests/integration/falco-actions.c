// SPDX-License-Identifier: GPL-2.0
/*
 * falco-actions - perform, for real and under a command name of the test's
 * choosing, the behaviours of tests/integration/sig_live_falco.sh that no
 * shell tool performs.
 *
 *   falco-actions NAME MODE [ARGS...]
 *
 * NAME becomes the process's comm (prctl(PR_SET_NAME)) first.
 *
 *   bpf-load	load a socket filter eBPF program ("return 0": it drops
 *		whatever it would be attached to, and it is attached to
 *		nothing) through the raw bpf(2) system call, then close it;
 *		the kernel frees it with its last reference
 *   connect IP PORT
 *		listen on IP:PORT (IPv4 or IPv6: the address must be local,
 *		e.g. put on lo in a private network namespace), connect a
 *		TCP socket to it, accept, close all
 *
 * Exits non-zero with one line on stderr when a step fails.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/bpf.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/socket.h>
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

static int fail(const char *what)
{
	fprintf(stderr, "falco-actions: %s: %s\n", what, strerror(errno));
	return 1;
}

static int tcp_connect(const char *ip, const char *port)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *in = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;
	socklen_t len;
	int one = 1, l, c, a;

	memset(&ss, 0, sizeof(ss));
	if (inet_pton(AF_INET, ip, &in->sin_addr) == 1) {
		in->sin_family = AF_INET;
		in->sin_port = htons(atoi(port));
		len = sizeof(*in);
	} else if (inet_pton(AF_INET6, ip, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons(atoi(port));
		len = sizeof(*in6);
	} else {
		fprintf(stderr, "falco-actions: '%s' is not an IPv4 or IPv6 address\n", ip);
		return 1;
	}
	l = socket(ss.ss_family, SOCK_STREAM, 0);
	if (l < 0 || setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(l, (struct sockaddr *)&ss, len) || listen(l, 1))
		return fail("listen");
	c = socket(ss.ss_family, SOCK_STREAM, 0);
	if (c < 0)
		return fail("socket");
	if (connect(c, (struct sockaddr *)&ss, len))
		return fail("connect");
	a = accept(l, NULL, NULL);
	if (a < 0)
		return fail("accept");
	close(a);
	close(c);
	close(l);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: falco-actions NAME bpf-load | connect IP PORT\n");
		return 2;
	}
	if (prctl(PR_SET_NAME, argv[1], 0, 0, 0)) {
		fprintf(stderr, "falco-actions: prctl(PR_SET_NAME): %s\n", strerror(errno));
		return 1;
	}
	if (!strcmp(argv[2], "bpf-load") && argc == 3)
		return bpf_load();
	if (!strcmp(argv[2], "connect") && argc == 5)
		return tcp_connect(argv[3], argv[4]);
	fprintf(stderr, "falco-actions: '%s': use bpf-load, or connect IP PORT\n", argv[2]);
	return 2;
}
