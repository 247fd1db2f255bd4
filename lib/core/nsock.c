// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A netlink socket opened inside a namespace without moving the main thread.
 *
 * A socket belongs for life to the namespace it was created in, and setns()
 * moves only the calling thread. So a short-lived thread enters the
 * namespace, opens the socket and exits: the process never has to "setns
 * back" (which fails in user namespaces and, done wrong, leaves the process
 * in the wrong namespace), and the socket is then used from the main thread.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <string.h>
#include <sys/socket.h>
#include <stdio.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>

#include "core/core.h"
#include "base/util.h"
#include "core/sock.h"

#ifndef NETLINK_EXT_ACK
#define NETLINK_EXT_ACK 11
#endif
#ifndef NETLINK_CAP_ACK
#define NETLINK_CAP_ACK 10
#endif
#ifndef NETLINK_GET_STRICT_CHK
#define NETLINK_GET_STRICT_CHK 12
#endif

static int sock_open_here(struct mnl_socket **out)
{
	struct mnl_socket *nl;
	int one = 1;

	nl = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
	if (!nl)
		return -errno;
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		int err = errno;

		mnl_socket_close(nl);
		return -err;
	}
	/* the kernel's own words for refusals; acks without our request echoed */
	mnl_socket_setsockopt(nl, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl, NETLINK_CAP_ACK, &one, sizeof(one));
	*out = nl;
	return 0;
}

struct open_job {
	int nsfd;
	int err;
	struct mnl_socket *nl;
};

static void *open_thread(void *arg)
{
	struct open_job *job = arg;

	if (setns(job->nsfd, CLONE_NEWNET) < 0) {
		job->err = -errno;
		return NULL;
	}
	job->err = sock_open_here(&job->nl);
	return NULL;
}

int nsc_sock_open_in(int nsfd, struct mnl_socket **out)
{
	struct open_job job = { .nsfd = nsfd };
	int ret;

	if (nsfd < 0)
		return sock_open_here(out);
	ret = nsc_thread_run(open_thread, &job);
	if (ret)
		return -ret;
	if (job.err)
		return job.err;
	*out = job.nl;
	return 0;
}

void nsc_sock_free(struct nsc_sock *s)
{
	if (!s)
		return;
	if (s->nl)
		mnl_socket_close(s->nl);
	if (s->nsfd >= 0)
		close(s->nsfd);
	free(s->ifs);
	free(s->name);
	free(s);
}

int nsc_sock_wrap(const char *name, struct mnl_socket *nl, struct nsc_sock **out)
{
	struct nsc_sock *s = calloc(1, sizeof(*s));

	if (!s || (name && !(s->name = strdup(name)))) {
		free(s);
		mnl_socket_close(nl);
		return -ENOMEM;
	}
	s->nl = nl;
	s->nsfd = -1;
	s->portid = mnl_socket_get_portid(nl);
	*out = s;
	return 0;
}

static void cache_trim(struct nsc_ctx *ctx)
{
	struct nsc_sock **pp = &ctx->socks;
	unsigned n = 0;

	while (*pp) {
		if (++n > ctx->max_socks) {
			struct nsc_sock *s = *pp;

			*pp = s->next;
			nsc_sock_free(s);
			ctx->nsocks--;
		} else {
			pp = &(*pp)->next;
		}
	}
}

static bool same_ns(const struct nsc_sock *s, const char *name)
{
	return name ? s->name && !strcmp(s->name, name) : !s->name;
}

int nsc_sock_adopt(struct nsc_ctx *ctx, const char *name, struct mnl_socket *nl,
		   struct nsc_sock **out)
{
	struct nsc_sock **pp = &ctx->socks, *s;

	/* a namespace made again under an old name replaces the old socket */
	while ((s = *pp)) {
		if (same_ns(s, name)) {
			*pp = s->next;
			nsc_sock_free(s);
			ctx->nsocks--;
		} else {
			pp = &s->next;
		}
	}
	if (nsc_sock_wrap(name, nl, &s) < 0)
		return -ENOMEM;
	s->next = ctx->socks;
	ctx->socks = s;
	ctx->nsocks++;
	cache_trim(ctx);
	if (out)
		*out = s;
	return 0;
}

void nsc_sock_take_all(struct nsc_ctx *dst, struct nsc_ctx *src)
{
	while (src->socks) {
		struct nsc_sock *s = src->socks, **pp = &dst->socks;

		src->socks = s->next;
		src->nsocks--;
		/* one per namespace: the one taken replaces an old one */
		while (*pp) {
			struct nsc_sock *o = *pp;

			if (same_ns(o, s->name)) {
				*pp = o->next;
				nsc_sock_free(o);
				dst->nsocks--;
			} else {
				pp = &o->next;
			}
		}
		s->next = dst->socks;
		dst->socks = s;
		dst->nsocks++;
	}
	cache_trim(dst);
}

int nsc_sock_get(struct nsc_ctx *ctx, const char *name, struct nsc_sock **out,
		 struct nsc_error *e)
{
	struct nsc_sock **pp, *s;
	struct mnl_socket *nl;
	int nsfd = -1, ret;

	for (pp = &ctx->socks; (s = *pp); pp = &s->next) {
		if (same_ns(s, name)) {
			*pp = s->next;          /* move to front */
			s->next = ctx->socks;
			ctx->socks = s;
			*out = s;
			return 0;
		}
	}
	if (name) {
		nsfd = nsc_ns_open(ctx, name, e);
		if (nsfd < 0)
			return nsfd;
	}
	ret = nsc_sock_open_in(nsfd, &nl);
	if (ret < 0) {
		if (nsfd >= 0)
			close(nsfd);
		return name ? nsc_err(e, ret, "netns \"%s\": netlink socket", name)
			    : nsc_err(e, ret, "netlink socket");
	}
	ret = nsc_sock_adopt(ctx, name, nl, out);
	if (ret < 0) {
		if (nsfd >= 0)
			close(nsfd);
		return nsc_err(e, ret, "netlink socket");
	}
	(*out)->nsfd = nsfd;            /* kept with the socket: see nsc_ns_fd() */
	return 0;
}

int nsc_ns_fd(struct nsc_ctx *ctx, const char *name, struct nsc_error *e)
{
	for (struct nsc_sock *s = ctx->socks; s; s = s->next) {
		if (s->nsfd >= 0 && s->name && !strcmp(s->name, name)) {
			int fd = fcntl(s->nsfd, F_DUPFD_CLOEXEC, 0);

			return fd >= 0 ? fd : nsc_err(e, errno, "netns \"%s\"", name);
		}
	}
	return nsc_ns_open(ctx, name, e);
}

int nsc_sock_if_get(const struct nsc_sock *s, const char *name)
{
	for (size_t i = 0; i < s->nifs; i++)
		if (!strcmp(s->ifs[i].name, name))
			return s->ifs[i].index;
	return 0;
}

void nsc_sock_if_put(struct nsc_sock *s, const char *name, int index)
{
	size_t i;

	if (index <= 0 || strlen(name) >= sizeof(s->ifs[0].name))
		return;
	for (i = 0; i < s->nifs && strcmp(s->ifs[i].name, name); i++)
		;
	/* a bounded memo, not a map of the namespace: full, start again */
	if (i == s->nifs && s->nifs == 64)
		i = s->nifs = 0;
	if (i == s->nifs && NSC_GROW(s->ifs, s->capifs, s->nifs + 1) < 0)
		return;         /* not remembered: looked up again next time */
	snprintf(s->ifs[i].name, sizeof(s->ifs[i].name), "%s", name);
	s->ifs[i].index = index;
	if (i == s->nifs)
		s->nifs++;
}

void nsc_sock_if_forget(struct nsc_sock *s)
{
	s->nifs = 0;
}

/*
 * Does this request delete, rename or move a link (so what the socket
 * learnt of names may be wrong after it)? A create never does; a change by
 * name (index 0) is not a rename.
 */
static bool renames_links(const struct nlmsghdr *nlh)
{
	const struct ifinfomsg *ifi;
	const struct nlattr *attr;

	if (nlh->nlmsg_type == RTM_DELLINK)
		return true;
	if ((nlh->nlmsg_type != RTM_NEWLINK && nlh->nlmsg_type != RTM_SETLINK) ||
	    (nlh->nlmsg_flags & NLM_F_CREATE) || nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*ifi)))
		return false;
	ifi = mnl_nlmsg_get_payload(nlh);
	mnl_attr_for_each(attr, nlh, sizeof(*ifi)) {
		switch (mnl_attr_get_type(attr)) {
		case IFLA_IFNAME:
			if (ifi->ifi_index)
				return true;
			break;
		case IFLA_NET_NS_FD:
		case IFLA_NET_NS_PID:
		case IFLA_TARGET_NETNSID:
			return true;
		}
	}
	return false;
}

/* The extended ack's message text, if the kernel sent one. */
static void read_ext_ack(const struct nlmsghdr *nlh, struct nsc_error *e)
{
	const struct nlmsgerr *err = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *attr;
	unsigned off;

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	off = sizeof(*err);
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += err->msg.nlmsg_len - sizeof(struct nlmsghdr);
	if (nlh->nlmsg_type == NLMSG_DONE)
		off = sizeof(int);
	mnl_attr_for_each(attr, nlh, off) {
		if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MSG &&
		    mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) == 0) {
			snprintf(e->ext_ack, sizeof(e->ext_ack), "%s",
				 mnl_attr_get_str(attr));
			/* the kernel ends some with a newline */
			e->ext_ack[strcspn(e->ext_ack, "\n")] = '\0';
		}
	}
}

/* ONE: a GET answered by one message, sent without NLM_F_ACK (nsc_req_get). */
static int talk(struct nsc_sock *s, struct nlmsghdr *nlh, mnl_cb_t cb, void *data, bool one,
		struct nsc_error *e)
{
	/* big enough for a dump batch; the kernel sizes them to the reader */
	static __thread char buf[32768];
	/* both bits: NLM_F_MATCH alone is NLM_F_EXCL on a NEW request */
	bool dump = (nlh->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP;
	uint32_t seq;
	ssize_t n;

	if (s->nifs && renames_links(nlh))
		nsc_sock_if_forget(s);
	nlh->nlmsg_seq = seq = ++s->seq;
	nlh->nlmsg_pid = 0;
	if (!dump && !one)
		nlh->nlmsg_flags |= NLM_F_ACK;
	if (mnl_socket_sendto(s->nl, nlh, nlh->nlmsg_len) < 0)
		return nsc_err(e, errno, "netlink send");

	for (;;) {
		n = mnl_socket_recvfrom(s->nl, buf, sizeof(buf));
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return nsc_err(e, errno, "netlink receive");
		}
		for (struct nlmsghdr *h = (struct nlmsghdr *)buf; mnl_nlmsg_ok(h, (int)n);
		     h = mnl_nlmsg_next(h, (int *)&n)) {
			if (h->nlmsg_seq != seq || h->nlmsg_pid != s->portid)
				continue;       /* a late answer to an earlier request */
			if (h->nlmsg_type == NLMSG_ERROR || h->nlmsg_type == NLMSG_DONE) {
				int code = 0;

				if (h->nlmsg_type == NLMSG_ERROR) {
					const struct nlmsgerr *err = mnl_nlmsg_get_payload(h);

					if (h->nlmsg_len < mnl_nlmsg_size(sizeof(*err)))
						return nsc_err(e, EBADMSG, "netlink answer");
					code = -err->error;
				} else if (h->nlmsg_len >= mnl_nlmsg_size(sizeof(int))) {
					code = -*(int *)mnl_nlmsg_get_payload(h);
				}
				if (code > 0) {
					e->ext_ack[0] = '\0';
					read_ext_ack(h, e);
					e->code = code;
					e->usage = false;
					snprintf(e->msg, sizeof(e->msg), "%s", strerror(code));
					return -code;
				}
				return 0;
			}
			if (h->nlmsg_type == NLMSG_NOOP || h->nlmsg_type == NLMSG_OVERRUN)
				continue;
			if (cb) {
				int r = cb(h, data);

				if (r == MNL_CB_ERROR)
					return e->code ? -e->code :
						nsc_err(e, errno ? errno : EPROTO, "netlink answer");
			}
			if (one && !dump)
				return 0;       /* the answer was all there is */
		}
	}
}

int nsc_nl_talk(struct nsc_sock *s, struct nlmsghdr *nlh, mnl_cb_t cb,
		void *data, struct nsc_error *e)
{
	return talk(s, nlh, cb, data, false, e);
}

void *nsc_req_init(struct nsc_req *r, uint16_t type, uint16_t flags,
		   uint8_t family, size_t hdrlen)
{
	unsigned char *hdr;

	/* both zero what they put */
	r->nlh = mnl_nlmsg_put_header(r->u.buf);
	r->nlh->nlmsg_type = type;
	r->nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	hdr = mnl_nlmsg_put_extra_header(r->nlh, hdrlen);
	hdr[0] = family;
	return hdr;
}

int nsc_req_talk(struct nsc_sock *s, struct nsc_req *r, mnl_cb_t cb, void *data,
		 struct nsc_error *e)
{
	return nsc_nl_talk(s, r->nlh, cb, data, e);
}

int nsc_req_get(struct nsc_sock *s, struct nsc_req *r, mnl_cb_t cb, void *data,
		struct nsc_error *e)
{
	return talk(s, r->nlh, cb, data, true, e);
}

int nsc_dump(struct nsc_sock *s, uint16_t type, uint8_t family, size_t hdrlen,
	     mnl_cb_t cb, void *data, struct nsc_error *e)
{
	struct nsc_req r;

	nsc_req_init(&r, type, NLM_F_DUMP, family, hdrlen);
	return nsc_req_talk(s, &r, cb, data, e);
}
