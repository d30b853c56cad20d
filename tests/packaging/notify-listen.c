// SPDX-License-Identifier: GPL-2.0
/*
 * notify-listen.c - stand in for systemd's end of NOTIFY_SOCKET.
 *
 *   notify-listen SOCKET TIMEOUT_S
 *
 * Binds a datagram socket at SOCKET, prints every notification it receives
 * ("notify: READY=1"), and exits 0 as soon as one carries READY=1, or 1
 * after TIMEOUT_S seconds without it.  build-packages.sh compiles it to
 * check that the installed unit's command line reaches READY=1 (Type=notify).
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

int main(int argc, char **argv)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	char buf[4096];
	long deadline;
	int fd;

	if (argc != 3 || strlen(argv[1]) >= sizeof(addr.sun_path)) {
		fprintf(stderr, "usage: notify-listen SOCKET TIMEOUT_S (SOCKET shorter than %zu bytes)\n",
			sizeof(addr.sun_path));
		return 2;
	}
	strcpy(addr.sun_path, argv[1]);
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		fprintf(stderr, "notify-listen: %s: %s\n", argv[1], strerror(errno));
		return 2;
	}
	deadline = now_ms() + atol(argv[2]) * 1000L;
	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		long left = deadline - now_ms();
		ssize_t n;
		char *line, *save;

		if (left <= 0)
			break;
		if (poll(&pfd, 1, (int)left) <= 0)
			continue;
		n = recv(fd, buf, sizeof(buf) - 1, 0);
		if (n < 0)
			continue;
		buf[n] = '\0';
		for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
			printf("notify: %s\n", line);
			fflush(stdout);
			if (!strcmp(line, "READY=1"))
				return 0;
		}
	}
	fprintf(stderr, "notify-listen: no READY=1 within %s s\n", argv[2]);
	return 1;
}
