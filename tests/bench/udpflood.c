// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Benchmark helper (not a test): send COUNT small UDP datagrams to ADDR:PORT,
 * at most PPS a second (0: as fast as the socket takes them), in batches of
 * sendmmsg(). Prints "sent N in S s (R pps)".
 * Usage: udpflood ADDR PORT COUNT PPS [SIZE]
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BATCH 32

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	struct sockaddr_in to = { .sin_family = AF_INET };
	struct mmsghdr msgs[BATCH];
	struct iovec iov;
	char payload[1472] = { 0 };
	unsigned long count, sent = 0;
	double pps, start, took;
	size_t size = 18;
	int fd;

	if (argc < 5 || inet_pton(AF_INET, argv[1], &to.sin_addr) != 1) {
		fprintf(stderr, "usage: udpflood ADDR PORT COUNT PPS [SIZE]\n");
		return 2;
	}
	to.sin_port = htons((unsigned short)atoi(argv[2]));
	count = strtoul(argv[3], NULL, 10);
	pps = atof(argv[4]);
	if (argc > 5 && (size = strtoul(argv[5], NULL, 10)) > sizeof(payload))
		size = sizeof(payload);
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&to, sizeof(to)) < 0) {
		perror("udpflood: socket");
		return 1;
	}
	iov = (struct iovec){ .iov_base = payload, .iov_len = size };
	memset(msgs, 0, sizeof(msgs));
	for (int i = 0; i < BATCH; i++) {
		msgs[i].msg_hdr.msg_iov = &iov;
		msgs[i].msg_hdr.msg_iovlen = 1;
	}
	start = now();
	while (sent < count) {
		unsigned n = count - sent < BATCH ? (unsigned)(count - sent) : BATCH;
		int r;

		if (pps > 0) {
			double due = start + (double)sent / pps;
			double wait = due - now();

			if (wait > 0) {
				struct timespec ts = { (time_t)wait, (long)((wait - (double)(time_t)wait) * 1e9) };

				nanosleep(&ts, NULL);
			}
		}
		r = sendmmsg(fd, msgs, n, 0);
		if (r > 0)
			sent += (unsigned long)r;
	}
	took = now() - start;
	printf("sent %lu in %.3f s (%.0f pps)\n", sent, took, (double)sent / took);
	close(fd);
	return 0;
}
