// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Once the network is up: the nodes' exec commands (sh -c, in a child
 * prepared as `exec` prepares one), and the ready checks, each an ICMP echo
 * sent from a raw socket opened inside the node, again and again until the
 * answer comes or the check's time is up. No ping(8) needed, no process per
 * try.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>
#include <linux/neighbour.h>

#include <netnsctl/exec.h>
#include <netnsctl/neigh.h>
#include <netnsctl/netns.h>

#include "lab/model.h"
#include "lab/ready.h"

/* ---- exec ---- */

static int64_t now_ms(void);

/* How long an exec command may run: $NETNSCTL_LAB_EXEC_TIMEOUT seconds, else
 * LAB_EXEC_MAX_S. */
static int exec_max_s(void)
{
	const char *v = getenv("NETNSCTL_LAB_EXEC_TIMEOUT");
	long s = v && *v ? strtol(v, NULL, 10) : 0;

	return s > 0 && s <= 86400 ? (int)s : LAB_EXEC_MAX_S;
}

/* In the child: enter, then sh -c, its output into pipes (out[1], err[1])
 * that apply reads only while sh runs. What goes wrong before sh runs is
 * written to errfd for the parent to say. */
static void __attribute__((noreturn)) exec_child(struct nsc_ctx *ctx, const char *netns,
						  const char *cmd, const int *out, int errfd)
{
	struct nsc_error e = { 0 };
	int null = open("/dev/null", O_RDONLY | O_CLOEXEC);

	/* its own group: one that outlives its time is ended whole */
	setpgid(0, 0);
	/* a command must not eat the terminal (or a lab read from stdin) */
	if (null >= 0)
		dup2(null, STDIN_FILENO);
	dup2(out[0], STDOUT_FILENO);
	dup2(out[1], STDERR_FILENO);
	if (nsc_exec_prepare(ctx, netns, NULL, &e) == 0) {
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		nsc_err(&e, errno, "/bin/sh");
	}
	if (write(errfd, e.msg, strlen(e.msg)) < 0)
		_exit(126);
	_exit(126);
}

/* What is in pipe fd, to dest. */
static void relay(int fd, int dest)
{
	char buf[4096];
	ssize_t n;

	while ((n = read(fd, buf, sizeof(buf))) > 0)
		if (write(dest, buf, (size_t)n) < 0)
			break;
}

/*
 * The command's output, copied to out_fd and stderr while sh runs, and no
 * longer: a daemon it left behind (cmd &) keeps only the pipes, never
 * apply's own stdout (`out=$(netnsctl lab apply ...)` returns). Past
 * LAB_EXEC_MAX_S its group is killed: *timed_out.
 */
static int relay_until_exit(pid_t pid, const int *rd, int out_fd, bool *timed_out)
{
	int64_t deadline = now_ms() + exec_max_s() * 1000;
	int pfd_fd = (int)syscall(SYS_pidfd_open, pid, 0);
	struct pollfd p[3] = {
		{ .fd = rd[0], .events = POLLIN }, { .fd = rd[1], .events = POLLIN },
		{ .fd = pfd_fd, .events = POLLIN },
	};

	if (pfd_fd < 0)
		return -errno;
	for (;;) {
		int64_t left = deadline - now_ms();

		if (left <= 0) {
			kill(-pid, SIGKILL);
			*timed_out = true;
			break;
		}
		if (poll(p, 3, (int)left) < 0 && errno != EINTR)
			break;
		if (p[0].revents)
			relay(rd[0], out_fd >= 0 ? out_fd : STDOUT_FILENO);
		if (p[1].revents)
			relay(rd[1], STDERR_FILENO);
		if (p[2].revents)
			break;
		/* a pipe at its end (closed early by sh) stops waking us */
		for (int i = 0; i < 2; i++)
			if (p[i].revents & (POLLHUP | POLLERR) && !(p[i].revents & POLLIN))
				p[i].fd = -1;
	}
	/* what sh wrote before it ended */
	relay(rd[0], out_fd >= 0 ? out_fd : STDOUT_FILENO);
	relay(rd[1], STDERR_FILENO);
	close(pfd_fd);
	return 0;
}

/* Run X in a child inside NODE: its wait status, and in msg what went
 * wrong before sh could run ("" when nothing did). */
static int spawn(struct nsc_ctx *ctx, const struct nsc_lab_node *node,
		 const struct nsc_lab_exec *x, int out_fd, int *status, char *msg, size_t size,
		 bool *timed_out, struct nsc_error *e)
{
	int p[2] = { -1, -1 }, o[2] = { -1, -1 }, r[2] = { -1, -1 }, ret = 0;
	ssize_t n;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) < 0 || pipe2(o, O_CLOEXEC | O_NONBLOCK) < 0 ||
	    pipe2(r, O_CLOEXEC | O_NONBLOCK) < 0) {
		ret = nsc_err(e, errno, "exec in node \"%s\": pipe", node->name);
		goto cleanup;
	}
	pid = fork();
	if (pid < 0) {
		ret = nsc_err(e, errno, "exec in node \"%s\": fork", node->name);
		goto cleanup;
	}
	if (pid == 0) {
		int w[2] = { o[1], r[1] };

		close(p[0]);
		exec_child(ctx, node->netns, x->cmd, w, p[1]);
	}
	close(p[1]);
	close(o[1]);
	close(r[1]);
	p[1] = o[1] = r[1] = -1;
	while ((n = read(p[0], msg, size - 1)) < 0 && errno == EINTR)
		;
	msg[n > 0 ? n : 0] = '\0';
	{
		int rd[2] = { o[0], r[0] };

		if ((ret = relay_until_exit(pid, rd, out_fd, timed_out)) < 0)
			nsc_err(e, -ret, "exec in node \"%s\": pidfd", node->name);
	}
	while (waitpid(pid, status, 0) < 0) {
		if (errno != EINTR) {
			ret = nsc_err(e, errno, "exec in node \"%s\": wait", node->name);
			goto cleanup;
		}
	}
cleanup:
	for (int i = 0; i < 2; i++) {
		if (p[i] >= 0)
			close(p[i]);
		if (o[i] >= 0)
			close(o[i]);
		if (r[i] >= 0)
			close(r[i]);
	}
	return ret;
}

static int run_one(struct nsc_ctx *ctx, const struct nsc_lab *lab, const struct nsc_lab_node *node,
		   const struct nsc_lab_exec *x, int out_fd, struct nsc_error *e)
{
	char msg[NSC_ERR_MSG_MAX] = "";
	bool timed_out = false;
	int status, ret;

	if ((ret = spawn(ctx, node, x, out_fd, &status, msg, sizeof(msg), &timed_out, e)) < 0)
		return ret;
	if (timed_out)
		nsc_err_text(e, ETIMEDOUT, "exec in node \"%s\": \"%.200s\" did not finish within "
			     "%d s (exec commands are one-shot: a long-running program belongs in "
			     "\"services\")", node->name, x->cmd, exec_max_s());
	else if (msg[0])
		nsc_err_text(e, EIO, "exec in node \"%s\": %s", node->name, msg);
	else if (WIFSIGNALED(status))
		nsc_err_text(e, EIO, "exec in node \"%s\": \"%.200s\" killed by signal %d",
			     node->name, x->cmd, WTERMSIG(status));
	else if (WEXITSTATUS(status))
		nsc_err_text(e, EIO, "exec in node \"%s\": \"%.200s\" exited with status %d",
			     node->name, x->cmd, WEXITSTATUS(status));
	else
		return 0;
	return nsc_lab_err_at(lab, x->pos, e);
}

int lab_exec_node(struct nsc_ctx *ctx, const struct nsc_lab *lab,
		  const struct nsc_lab_node *node, int out_fd, struct nsc_error *e)
{
	for (size_t i = 0; i < node->n_exec; i++) {
		int ret = run_one(ctx, lab, node, &node->exec[i], out_fd, e);

		if (ret < 0)
			return ret;
	}
	return 0;
}

/* ---- ready: ping from inside ---- */

struct icmp_open {
	int nsfd, family, fd, err;
};

static void *icmp_thread(void *arg)
{
	struct icmp_open *o = arg;

	if (setns(o->nsfd, CLONE_NEWNET) < 0) {
		o->err = errno;
		return NULL;
	}
	o->fd = socket(o->family, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK,
		       o->family == AF_INET6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP);
	if (o->fd < 0)
		o->err = errno;
	return NULL;
}

/* A raw ICMP socket inside NETNS (the thread that made it is gone). */
static int icmp_socket(struct nsc_ctx *ctx, const char *netns, int family, struct nsc_error *e)
{
	struct icmp_open o = { .family = family, .fd = -1 };
	pthread_t t;
	int ret;

	o.nsfd = nsc_ns_open(ctx, netns, e);
	if (o.nsfd < 0)
		return o.nsfd;
	ret = pthread_create(&t, NULL, icmp_thread, &o);
	if (ret == 0)
		pthread_join(t, NULL);
	close(o.nsfd);
	if (ret)
		return nsc_err(e, ret, "netns \"%s\": thread", netns);
	if (o.fd < 0)
		return nsc_err(e, o.err, "netns \"%s\": ICMP socket", netns);
	if (family == AF_INET6) {
		struct icmp6_filter f;

		ICMP6_FILTER_SETBLOCKALL(&f);
		ICMP6_FILTER_SETPASS(ICMP6_ECHO_REPLY, &f);
		setsockopt(o.fd, IPPROTO_ICMPV6, ICMP6_FILTER, &f, sizeof(f));
	}
	return o.fd;
}

static uint16_t csum(const void *data, size_t len)
{
	const uint8_t *p = data;
	uint32_t sum = 0;

	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		sum += (uint32_t)(p[len - 1] << 8);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return htons((uint16_t)~sum);
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int send_echo(int fd, const struct nsc_prefix *to, uint16_t id, uint16_t seq)
{
	struct sockaddr_storage ss = { 0 };
	uint8_t pkt[16] = { 0 };
	socklen_t sl;

	if (to->family == AF_INET6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;

		s6->sin6_family = AF_INET6;
		memcpy(&s6->sin6_addr, to->addr, 16);
		sl = sizeof(*s6);
		pkt[0] = ICMP6_ECHO_REQUEST;    /* the kernel fills the checksum */
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;

		s4->sin_family = AF_INET;
		memcpy(&s4->sin_addr, to->addr, 4);
		sl = sizeof(*s4);
		pkt[0] = ICMP_ECHO;
	}
	pkt[4] = (uint8_t)(id >> 8);
	pkt[5] = (uint8_t)id;
	pkt[6] = (uint8_t)(seq >> 8);
	pkt[7] = (uint8_t)seq;
	memcpy(pkt + 8, "netnsctl", 8);
	if (to->family == AF_INET) {
		uint16_t c = csum(pkt, sizeof(pkt));

		memcpy(pkt + 2, &c, 2);
	}
	if (sendto(fd, pkt, sizeof(pkt), 0, (struct sockaddr *)&ss, sl) < 0)
		return -errno;
	return 0;
}

/* Any echo reply from TO with our id waiting on fd? */
static bool got_reply(int fd, const struct nsc_prefix *to, uint16_t id)
{
	for (;;) {
		struct sockaddr_storage from;
		socklen_t fl = sizeof(from);
		uint8_t buf[1500];
		const uint8_t *icmp = buf;
		ssize_t n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fl);
		uint8_t want = to->family == AF_INET6 ? ICMP6_ECHO_REPLY : ICMP_ECHOREPLY;

		if (n < 0)
			return false;
		if (to->family == AF_INET) {
			size_t ihl = (size_t)(buf[0] & 0x0f) * 4;

			if ((size_t)n < ihl + 8 ||
			    memcmp(&((struct sockaddr_in *)&from)->sin_addr, to->addr, 4))
				continue;
			icmp = buf + ihl;
		} else {
			if (n < 8 || memcmp(&((struct sockaddr_in6 *)&from)->sin6_addr, to->addr, 16))
				continue;
		}
		if (icmp[0] == want && icmp[4] == (uint8_t)(id >> 8) && icmp[5] == (uint8_t)id)
			return true;
	}
}

/*
 * Before an echo request that follows one left unanswered: drop the node's
 * unresolved neighbour entries (INCOMPLETE, FAILED) of the ping's family.
 * A first ARP request or neighbour solicitation sent while the new links
 * were still settling is lost now and then; the kernel then queues every
 * further echo on the unresolved entry and asks again only after
 * retrans_time (1 s), which was the whole of run's slow tail. A new entry
 * asks at once. Entries that resolved, and the lab's permanent ones, stay.
 */
static void renew_neighbours(struct nsc_ctx *ctx, const struct nsc_lab_ready *r)
{
	struct nsc_neigh_filter f;
	struct nsc_error e = { 0 };

	nsc_neigh_filter_init(&f, true);
	f.family = r->ping.family;
	f.states = NUD_INCOMPLETE | NUD_FAILED;
	/* best effort: the ping goes on and says what went wrong, if anything */
	nsc_neigh_flush(ctx, r->from->netns, &f, NULL, &e);
}

/* Echo requests on fd to r->ping until an answer comes (true) or the
 * deadline passes; *last: how the last send went (0 or -errno). */
static bool ping_until(struct nsc_ctx *ctx, int fd, const struct nsc_lab_ready *r, uint16_t id,
		       int64_t deadline, int *last)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	uint16_t seq = 0;

	for (;;) {
		int64_t left = deadline - now_ms(), wait;

		if (left <= 0)
			return false;
		if (seq > 0)
			renew_neighbours(ctx, r);
		*last = send_echo(fd, &r->ping, id, seq++);
		/* an unreachable network says so at once: wait a little anyway */
		wait = left < 200 ? left : 200;
		while (wait > 0) {
			int64_t t0 = now_ms();

			if (poll(&pfd, 1, (int)wait) > 0 && got_reply(fd, &r->ping, id))
				return true;
			wait -= now_ms() - t0;
		}
	}
}

static int ready_one(struct nsc_ctx *ctx, const struct nsc_lab *lab,
		     const struct nsc_lab_ready *r, uint16_t id, struct nsc_error *e)
{
	int64_t deadline = now_ms() + (int64_t)r->timeout * 1000;
	char a[LAB_ADDRSTR];
	int fd, last = 0;
	bool answered;

	fd = icmp_socket(ctx, r->from->netns, r->ping.family, e);
	if (fd < 0) {
		nsc_err_prefix(e, "ready: node \"%s\"", r->from->name);
		return nsc_lab_err_at(lab, r->pos, e);
	}
	answered = ping_until(ctx, fd, r, id, deadline, &last);
	close(fd);
	if (answered)
		return 0;
	nsc_prefix_str(&r->ping, -1, a, sizeof(a));
	if (last < 0)
		nsc_err(e, -last, "ready: node \"%s\" cannot ping %s within %u s",
			r->from->name, a, r->timeout);
	else
		nsc_err_text(e, ETIMEDOUT, "ready: node \"%s\" cannot ping %s: no answer "
			     "within %u s", r->from->name, a, r->timeout);
	return nsc_lab_err_at(lab, r->pos, e);
}

int lab_ready_wait(struct nsc_ctx *ctx, const struct nsc_lab *lab, struct nsc_error *e)
{
	uint16_t id = (uint16_t)(getpid() * 131);

	for (size_t i = 0; i < lab->n_ready; i++) {
		int ret;

		/* a service's own check: apply's services step waited for it */
		if (lab->ready[i].service)
			continue;
		ret = ready_one(ctx, lab, &lab->ready[i], (uint16_t)(id + i), e);

		if (ret < 0)
			return ret;
	}
	return 0;
}
