// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The ready checks of a lab, all at once: a thread per check, each trying
 * again and again until it passes or its own time is up, so the whole wait
 * is the slowest check's, not the sum. A ping is an ICMP echo from a raw
 * socket opened inside the node (no ping(8), no process per try); a tcp
 * check a connect from a thread inside the node; a cmd check sh -c in a
 * child prepared as `exec` prepares one, until it exits 0. What needs the
 * context (the node's namespace, the ICMP socket) is opened before the
 * threads start: they share nothing but their own check. A check that
 * fails says so with the first of them in the file, and for ping and tcp
 * where the lab's own model breaks the way (ready_path.c).
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
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>
#include <linux/neighbour.h>

#include <netnsctl/ctx.h>
#include <netnsctl/exec.h>
#include <netnsctl/neigh.h>
#include <netnsctl/netns.h>

#include "base/util.h"
#include "core/holders.h"
#include "lab/model.h"
#include "lab/ready.h"
#include "lab/svc.h"
#include "lab/uts.h"

#define RETRY_MS 100            /* between tries of a tcp or cmd check */
#define CHECK_STACK (256 * 1024)

static void sleep_until(int64_t deadline, int ms)
{
	int64_t left = deadline - nsc_now_ms();

	if (left > 0)
		poll(NULL, 0, (int)(left < ms ? left : ms));
}

/* One check as its thread runs it. */
struct check {
	struct nsc_ctx *ctx;            /* cmd: for the child only */
	struct nsc_ctx *own;            /* ping: this thread's own, for neighbours */
	const struct nsc_lab *lab;
	const struct nsc_lab_ready *r;
	int fd;                         /* ping: the ICMP socket; tcp: the namespace */
	int dfd;                        /* the lab's state dir (not ours): a service's
					 * status, a cmd's UTS namespace */
	uint16_t id;                    /* ping: the echo id */
	int64_t deadline;
	bool ok, started;
	int err;                        /* the last try's errno, 0 when none */
	int status;                     /* cmd: the last whole run's wait status, -1: none */
	bool killed;                    /* cmd: a run was still going at the deadline */
	const char *state;              /* service: the last state seen, or NULL */
	pthread_t t;
};

/* ---- ping: ICMP echo from a raw socket inside the node ---- */

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
	int ret;

	o.nsfd = nsc_ns_open(ctx, netns, e);
	if (o.nsfd < 0)
		return o.nsfd;
	ret = nsc_thread_run(icmp_thread, &o);
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
 * retrans_time (1 s), which was the whole of run's slow tail (1 in 10 runs
 * over a second). A new entry asks at once. Entries that resolved, and the
 * lab's permanent ones, stay. Over the check's own context (the job's is
 * not for threads); best effort: the ping says what went wrong, if anything.
 */
static void renew_neighbours(struct nsc_ctx **own, const char *run_dir,
			     const struct nsc_lab_ready *r)
{
	struct nsc_neigh_filter f;
	struct nsc_error e = { 0 };

	/* made at the first retry only: most checks are answered at once */
	if (!*own && nsc_ctx_new(own, run_dir, &e) < 0) {
		*own = NULL;
		return;
	}
	nsc_neigh_filter_init(&f, true);
	f.family = r->ping.family;
	f.states = NUD_INCOMPLETE | NUD_FAILED;
	nsc_neigh_flush(*own, r->from->netns, &f, NULL, &e);
}

/* C's echo requests to its address until an answer comes (true) or the
 * deadline passes; *last: how the last send went (0 or -errno). */
static bool ping_until(struct check *c, int *last)
{
	const struct nsc_lab_ready *r = c->r;
	int fd = c->fd;
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	uint16_t seq = 0;

	for (;;) {
		int64_t left = c->deadline - nsc_now_ms(), wait;

		if (left <= 0)
			return false;
		if (seq > 0)
			renew_neighbours(&c->own, nsc_ctx_run_dir(c->ctx), r);
		*last = send_echo(fd, &r->ping, c->id, seq++);
		/* an unreachable network says so at once: wait a little anyway */
		wait = left < 200 ? left : 200;
		while (wait > 0) {
			int64_t t0 = nsc_now_ms();

			if (poll(&pfd, 1, (int)wait) > 0 && got_reply(fd, &r->ping, c->id))
				return true;
			wait -= nsc_now_ms() - t0;
		}
	}
}

static void *ping_thread(void *arg)
{
	struct check *c = arg;

	c->ok = ping_until(c, &c->err);
	c->err = -c->err;
	return NULL;
}

/* ---- tcp: a connect from inside the node ---- */

static int tcp_try(const struct nsc_lab_ready *r, int64_t deadline)
{
	struct sockaddr_storage ss = { 0 };
	int64_t left = deadline - nsc_now_ms();
	struct timeval tv;
	socklen_t sl;
	int fd, ret;

	if (left > 1000)
		left = 1000;
	if (left < 1)
		left = 1;
	tv.tv_sec = left / 1000;
	tv.tv_usec = (left % 1000) * 1000;
	if (r->tcp.family == AF_INET6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(r->port);
		memcpy(&s6->sin6_addr, r->tcp.addr, 16);
		sl = sizeof(*s6);
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;

		s4->sin_family = AF_INET;
		s4->sin_port = htons(r->port);
		memcpy(&s4->sin_addr, r->tcp.addr, 4);
		sl = sizeof(*s4);
	}
	if ((fd = socket(r->tcp.family, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
		return -errno;
	/* an unanswered SYN is given up at the check's time at the latest */
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	ret = connect(fd, (struct sockaddr *)&ss, sl) == 0 ? 0 : -errno;
	close(fd);
	/* a timed-out connect says EINPROGRESS */
	return ret == -EINPROGRESS || ret == -EAGAIN ? -ETIMEDOUT : ret;
}

/* The thread enters the node for good: it ends with the check. */
static void *tcp_thread(void *arg)
{
	struct check *c = arg;

	if (setns(c->fd, CLONE_NEWNET) < 0) {
		c->err = errno;
		return NULL;
	}
	for (;;) {
		int ret = tcp_try(c->r, c->deadline);

		if (ret == 0) {
			c->ok = true;
			return NULL;
		}
		c->err = -ret;
		if (nsc_now_ms() >= c->deadline)
			return NULL;
		sleep_until(c->deadline, RETRY_MS);
	}
}

/* ---- cmd: sh -c inside the node until it exits 0 ---- */

/* One run, killed (its whole group) at the deadline: its wait status, -1
 * when it was killed, or -errno. */
static int cmd_try(struct check *c)
{
	struct nsc_error e = { 0 };
	int status, pfd, ret = -1;
	pid_t pid = fork();

	if (pid < 0)
		return -errno;
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR | O_CLOEXEC);
		struct nsc_exec_opts xo = { 0 };
		char uts[320];

		/* the node's own hostname too (defaults.hostname) */
		if (lab_uts_path(c->dfd, c->r->from->name, uts, sizeof(uts)))
			xo.uts = uts;
		/* its own group: one that outlives its time is ended whole */
		setpgid(0, 0);
		for (int fd = 0; fd < 3 && null >= 0; fd++)
			dup2(null, fd);
		if (nsc_exec_prepare(c->ctx, c->r->from->netns, &xo, &e) == 0)
			execl("/bin/sh", "sh", "-c", c->r->cmd, (char *)NULL);
		_exit(126);
	}
	pfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (pfd >= 0) {
		struct pollfd p = { .fd = pfd, .events = POLLIN };
		int64_t left;

		while ((left = c->deadline - nsc_now_ms()) > 0 && poll(&p, 1, (int)left) <= 0)
			;
		close(pfd);
	} else {
		/* no pidfd (before Linux 5.3, or a seccomp filter): ask until the deadline */
		while (nsc_now_ms() < c->deadline) {
			pid_t w = waitpid(pid, &status, WNOHANG);

			if (w == pid)
				return status;
			if (w < 0 && errno != EINTR)
				break;
			sleep_until(c->deadline, 10);
		}
	}
	if (waitpid(pid, &status, WNOHANG) == pid)
		return status;
	kill(-pid, SIGKILL);
	kill(pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return ret;
}

static void *cmd_thread(void *arg)
{
	struct check *c = arg;

	for (;;) {
		int ret = cmd_try(c);

		if (ret < -1) {
			c->err = -ret;
			return NULL;
		}
		/* a run killed at the deadline leaves the last whole run's status */
		if (ret == -1) {
			c->killed = true;
			return NULL;
		}
		c->status = ret;
		if (ret == 0) {
			c->ok = true;
			return NULL;
		}
		if (nsc_now_ms() >= c->deadline)
			return NULL;
		sleep_until(c->deadline, RETRY_MS);
	}
}

/* ---- service: its own check passed, by the supervisor's status ---- */

static bool svc_up(struct check *c)
{
	const struct nsc_lab_ready *r = c->r;
	const char *dot = strchr(r->service, '.');
	const struct nsc_lab_service *d = nsc_lab_service(c->lab, r->from->name, dot + 1);
	struct lab_svc_status st = { 0 };
	struct lab_svc_rec *rec;
	bool up = false;

	if (!d || lab_svc_status_read(c->dfd, &st) < 0)
		return false;
	rec = lab_svc_alive(&st) ? lab_svc_status_find(&st, r->from->name, dot + 1) : NULL;
	if (rec) {
		c->state = lab_svc_state_names[rec->state];
		up = rec->hash == lab_svc_hash(d) &&
		     (rec->state == SVC_READY || rec->state == SVC_RUNNING);
	}
	lab_svc_status_free(&st);
	return up;
}

static void *svc_thread(void *arg)
{
	struct check *c = arg;

	while (!(c->ok = svc_up(c)) && nsc_now_ms() < c->deadline)
		sleep_until(c->deadline, RETRY_MS);
	return NULL;
}

/* ---- all at once ---- */

/* What a check needs from the context, opened before any thread runs. */
static int check_open(struct nsc_ctx *ctx, int dfd, struct check *c, struct nsc_error *e)
{
	const struct nsc_lab_ready *r = c->r;

	c->ctx = ctx;
	c->fd = -1;
	c->dfd = dfd;
	c->status = -1;
	c->deadline = nsc_now_ms() + (int64_t)r->timeout * 1000;
	if (r->kind == NSC_LAB_READY_PING)
		c->fd = icmp_socket(ctx, r->from->netns, r->ping.family, e);
	else if (r->kind == NSC_LAB_READY_TCP)
		c->fd = nsc_ns_open(ctx, r->from->netns, e);
	else
		return 0;
	if (c->fd < 0)
		nsc_err_prefix(e, "ready: node \"%s\"", r->from->name);
	return c->fd < 0 ? c->fd : 0;
}

/* The message of failed check C, where the file has it. */
static int check_err(const struct nsc_lab *lab, const struct check *c, struct nsc_error *e)
{
	const struct nsc_lab_ready *r = c->r;
	const char *who = r->from->name;
	char what[LAB_ADDRSTR + 32], a[LAB_ADDRSTR], way[NSC_ERR_MSG_MAX], cmd[200];

	if (r->kind == NSC_LAB_READY_SERVICE) {
		nsc_err_text(e, ETIMEDOUT, "ready: service \"%s\" not ready within %u s (%s)",
			     r->service, r->timeout, c->state ? c->state : "not started");
		return nsc_lab_err_at(lab, r->pos, e);
	}
	if (r->kind == NSC_LAB_READY_CMD) {
		nsc_printable(r->cmd, cmd, sizeof(cmd));
		if (c->err)
			nsc_err(e, c->err, "ready: node \"%s\" cannot run \"%s\"", who, cmd);
		else if (c->status == -1)
			nsc_err_text(e, ETIMEDOUT, "ready: node \"%s\": \"%s\" did not %s within "
				     "%u s", who, cmd, c->killed ? "finish" : "run", r->timeout);
		else if (WIFSIGNALED(c->status))
			nsc_err_text(e, EIO, "ready: node \"%s\": \"%s\" killed by signal %d (tried "
				     "for %u s)", who, cmd, WTERMSIG(c->status), r->timeout);
		else
			nsc_err_text(e, EIO, "ready: node \"%s\": \"%s\" exited with status %d "
				     "(tried for %u s)", who, cmd, WEXITSTATUS(c->status), r->timeout);
		return nsc_lab_err_at(lab, r->pos, e);
	}
	if (r->kind == NSC_LAB_READY_TCP) {
		nsc_prefix_str(&r->tcp, -1, a, sizeof(a));
		snprintf(what, sizeof(what), r->tcp.family == AF_INET6 ? "connect to [%s]:%u" :
			 "connect to %s:%u", a, r->port);
	} else {
		snprintf(what, sizeof(what), "ping %s",
			 nsc_prefix_str(&r->ping, -1, a, sizeof(a)));
	}
	/* the model's word first: it names the place, the errno only the
	 * symptom; unless the target answered (refused: the way is there) */
	if (c->err != ECONNREFUSED && nsc_lab_ready_path(lab, r, way, sizeof(way)) > 0)
		nsc_err_text(e, EHOSTUNREACH, "ready: node \"%s\" cannot %s: %s", who, what, way);
	else if (c->err && c->err != ETIMEDOUT)
		nsc_err(e, c->err, "ready: node \"%s\" cannot %s", who, what);
	else
		nsc_err_text(e, ETIMEDOUT, "ready: node \"%s\" cannot %s: no answer within %u s",
			     who, what, r->timeout);
	return nsc_lab_err_at(lab, r->pos, e);
}

static void *run_check(void *arg)
{
	struct check *c = arg;

	switch (c->r->kind) {
	case NSC_LAB_READY_PING:
		return ping_thread(c);
	case NSC_LAB_READY_TCP:
		return tcp_thread(c);
	case NSC_LAB_READY_CMD:
		return cmd_thread(c);
	case NSC_LAB_READY_SERVICE:
		return svc_thread(c);
	}
	return NULL;
}

/* Start every check's thread; one that cannot start runs here, now (a
 * slower wait, the same answer). */
static void start_all(struct check *v, size_t n)
{
	pthread_attr_t attr;
	bool attr_ok = pthread_attr_init(&attr) == 0;

	if (attr_ok)
		pthread_attr_setstacksize(&attr, CHECK_STACK);
	for (size_t i = 0; i < n; i++) {
		v[i].started = pthread_create(&v[i].t, attr_ok ? &attr : NULL, run_check, &v[i]) == 0;
		if (!v[i].started)
			run_check(&v[i]);
	}
	if (attr_ok)
		pthread_attr_destroy(&attr);
}

int lab_ready_wait(struct nsc_ctx *ctx, const struct nsc_lab *lab, int dfd, struct nsc_error *e)
{
	uint16_t id = (uint16_t)(getpid() * 131);
	struct check *v;
	size_t n = 0;
	int ret = 0;

	if (!lab->n_ready)
		return 0;
	if (!(v = calloc(lab->n_ready, sizeof(*v))))
		return nsc_err(e, ENOMEM, "lab \"%s\": ready checks", lab->name);
	for (; n < lab->n_ready; n++) {
		v[n].r = &lab->ready[n];
		v[n].lab = lab;
		v[n].id = (uint16_t)(id + n);
		if ((ret = check_open(ctx, dfd, &v[n], e)) < 0) {
			nsc_lab_err_at(lab, lab->ready[n].pos, e);
			goto cleanup;
		}
	}
	start_all(v, n);
	for (size_t i = 0; i < n; i++)
		if (v[i].started)
			pthread_join(v[i].t, NULL);
	for (size_t i = 0; i < n && ret == 0; i++)
		if (!v[i].ok)
			ret = check_err(lab, &v[i], e);
cleanup:
	for (size_t i = 0; i < n; i++) {
		if (v[i].fd >= 0)
			close(v[i].fd);
		if (v[i].own)
			nsc_ctx_free(v[i].own);
	}
	free(v);
	return ret;
}
