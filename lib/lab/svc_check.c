// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A service's tcp ready check: from a short-lived thread inside the node's
 * namespace, a connect to the port on each of the node's own addresses (its
 * link ends' and loopback's, as the file has them), then 127.0.0.1 and
 * ::1. A server bound to any of them passes. Local connects answer at once
 * (a SYN to a closed port is refused in the same call), so one try costs a
 * few system calls and no process.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <sched.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <netnsctl/netns.h>

#include "base/util.h"
#include "lab/svc.h"

struct tcp_try {
	const struct nsc_lab *lab;
	const struct nsc_lab_node *node;
	int nsfd;
	uint16_t port;
	bool ok;
};

static bool connect_to(int family, const void *addr, uint16_t port)
{
	struct sockaddr_storage ss = { 0 };
	struct timeval tv = { .tv_usec = 200000 };
	socklen_t sl;
	bool ok;
	int fd;

	if (family == AF_INET6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		memcpy(&s6->sin6_addr, addr, 16);
		sl = sizeof(*s6);
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;

		s4->sin_family = AF_INET;
		s4->sin_port = htons(port);
		memcpy(&s4->sin_addr, addr, 4);
		sl = sizeof(*s4);
	}
	if ((fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
		return false;
	/* bounds a connect that is not answered (a lab never drops, but) */
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	ok = connect(fd, (struct sockaddr *)&ss, sl) == 0;
	close(fd);
	return ok;
}

static bool try_addrs(const struct nsc_lab_addr *a, size_t n, uint16_t port)
{
	for (size_t i = 0; i < n; i++)
		if (connect_to(a[i].prefix.family, a[i].prefix.addr, port))
			return true;
	return false;
}

static void *tcp_thread(void *arg)
{
	static const uint8_t lo6[16] = { [15] = 1 };
	const uint8_t lo4[4] = { 127, 0, 0, 1 };
	struct tcp_try *t = arg;
	const struct nsc_lab *lab = t->lab;

	if (setns(t->nsfd, CLONE_NEWNET) < 0)
		return NULL;
	t->ok = connect_to(AF_INET, lo4, t->port) || connect_to(AF_INET6, lo6, t->port) ||
		try_addrs(t->node->loopback, t->node->n_loopback, t->port);
	for (size_t i = 0; !t->ok && i < lab->n_links; i++) {
		const struct nsc_lab_end *ends[2] = { &lab->links[i].a, &lab->links[i].b };

		for (size_t k = 0; k < 2 && !t->ok; k++)
			if (ends[k]->kind == NSC_LAB_END_NODE && ends[k]->node == t->node)
				t->ok = try_addrs(ends[k]->addrs, ends[k]->n_addrs, t->port);
	}
	return NULL;
}

bool lab_svc_tcp_ok(struct nsc_ctx *ctx, const struct nsc_lab *lab,
		    const struct nsc_lab_node *node, uint16_t port)
{
	struct nsc_error e = { 0 };
	struct tcp_try t = { .lab = lab, .node = node, .port = port };

	if ((t.nsfd = nsc_ns_open(ctx, node->netns, &e)) < 0)
		return false;
	nsc_thread_run(tcp_thread, &t);
	close(t.nsfd);
	return t.ok;
}
