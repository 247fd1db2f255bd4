// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Packet capture inside named namespaces, with libpcap (netnsctl/capture.h).
 *
 * A packet socket belongs for life to the namespace it was opened in, and
 * setns() moves only the calling thread: a short-lived thread enters the
 * namespace, creates and activates the pcap handle there and ends; the
 * handle keeps capturing on that namespace's interface from the main thread
 * (checked: a handle opened so stays bound to the namespace's device after
 * the thread is gone). The device is looked up over the namespace's netlink
 * socket first, for the library's usual "device not found in netns" words.
 *
 * Handles are buffered as tcpdump's are (libpcap's TPACKET_V3 ring: the
 * kernel hands over a block of packets when it is full or after
 * NSC_CAPTURE_BLOCK_MS), which keeps up with far more packets a second than
 * immediate mode (a TPACKET_V2 ring, a wakeup per packet), offered as an
 * option for readers that want each packet at once. Several handles are
 * polled in one loop by their selectable fds.
 */
#include <errno.h>
#include <poll.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <netnsctl/capture.h>
#include <netnsctl/ifindex.h>
#include <netnsctl/netns.h>
#include "base/pcapfile.h"
#include "base/util.h"
#include "rtnl/pcap_lib.h"

/* libpcap's functions: set by the first nsc_capture_open(), before any
 * handle (or thread) that uses them */
static const struct nsc_pcap_lib *lp;

/* the ring's block timeout: how late a buffered packet may reach the file */
#define NSC_CAPTURE_BLOCK_MS 100

struct cap_if {
	pcap_t *p;
	char *label, *netns, *descr;
	int linktype;
	uint32_t snaplen;
};

struct nsc_capture {
	struct cap_if *ifs;
	size_t n;
	bool ng, immediate;
	/* while the loop runs */
	struct nsc_pcapfile *w;
	uint32_t cur;                   /* the interface being read */
	uint64_t captured, limit;
	int werr;                       /* a write error, -errno */
};

struct open_job {
	int nsfd;                       /* -1: stay in the caller's namespace */
	const char *ifname;
	const struct nsc_capture_opts *opts;
	pcap_t *p;
	int err;                        /* -errno */
	char msg[PCAP_ERRBUF_SIZE];
};

/* libpcap's activation errors as errno values, for callers that test them */
static int activate_errno(int status)
{
	switch (status) {
	case PCAP_ERROR_NO_SUCH_DEVICE:
		return -ENODEV;
	case PCAP_ERROR_PERM_DENIED:
	case PCAP_ERROR_PROMISC_PERM_DENIED:
		return -EPERM;
	case PCAP_ERROR_IFACE_NOT_UP:
		return -ENETDOWN;
	default:
		return -EIO;
	}
}

static void *open_thread(void *arg)
{
	struct open_job *job = arg;
	const struct nsc_capture_opts *o = job->opts;
	pcap_t *p;
	int status;

	if (job->nsfd >= 0 && setns(job->nsfd, CLONE_NEWNET) < 0) {
		job->err = -errno;
		snprintf(job->msg, sizeof(job->msg), "setns: %s", strerror(errno));
		return NULL;
	}
	p = lp->create(job->ifname, job->msg);
	if (!p) {
		job->err = -EIO;
		return NULL;
	}
	lp->set_snaplen(p, o->snaplen ? (int)o->snaplen : NSC_CAPTURE_SNAPLEN);
	lp->set_promisc(p, !o->no_promisc);
	if (o->immediate)
		lp->set_immediate_mode(p, 1);
	else
		lp->set_timeout(p, NSC_CAPTURE_BLOCK_MS);
	if (o->buffer_kib)
		lp->set_buffer_size(p, (int)o->buffer_kib * 1024);
	status = lp->activate(p);
	if (status < 0) {
		job->err = activate_errno(status);
		snprintf(job->msg, sizeof(job->msg), "%s", lp->geterr(p));
		lp->close(p);
		return NULL;
	}
	/* a warning (promiscuous mode not supported...) is no failure */
	job->p = p;
	return NULL;
}

/* Open one handle inside its namespace and set it up for polling. */
static int open_one(struct nsc_ctx *ctx, struct cap_if *ci, const struct nsc_capture_if *in,
		    const struct nsc_capture_opts *o, struct nsc_error *e)
{
	struct open_job job = { .nsfd = -1, .ifname = in->ifname, .opts = o };
	char errbuf[PCAP_ERRBUF_SIZE];
	int index, ret;

	/* the usual words for a missing namespace or device, before libpcap's */
	if ((ret = nsc_ifindex(ctx, in->netns, in->ifname, &index, e)) < 0)
		return ret;
	if (in->netns && (job.nsfd = nsc_ns_open(ctx, in->netns, e)) < 0)
		return job.nsfd;
	ret = nsc_thread_run(open_thread, &job);
	if (job.nsfd >= 0)
		close(job.nsfd);
	if (ret)
		return nsc_err(e, ret, "capture \"%s\": thread", ci->label);
	if (job.err)
		return nsc_err_text(e, -job.err, "capture \"%s\": %s", ci->label, job.msg);
	ci->p = job.p;
	ci->linktype = lp->datalink(ci->p);
	ci->snaplen = (uint32_t)lp->snapshot(ci->p);
	if (lp->setnonblock(ci->p, 1, errbuf) < 0)
		return nsc_err_text(e, EIO, "capture \"%s\": %s", ci->label, errbuf);
	return 0;
}

/* The filter, compiled for this handle's link type, and set on it. */
static int set_filter(struct cap_if *ci, const char *filter, struct nsc_error *e)
{
	struct bpf_program prog;
	int ret = 0;

	if (lp->compile(ci->p, &prog, filter, 1, PCAP_NETMASK_UNKNOWN) < 0)
		return nsc_usage(e, "capture: filter \"%s\": %s", filter, lp->geterr(ci->p));
	if (lp->setfilter(ci->p, &prog) < 0)
		ret = nsc_err_text(e, EIO, "capture \"%s\": filter: %s", ci->label,
				   lp->geterr(ci->p));
	lp->freecode(&prog);
	return ret;
}

static int copy_names(struct cap_if *ci, const struct nsc_capture_if *in)
{
	ci->label = strdup(in->label ? in->label : in->ifname);
	ci->netns = in->netns ? strdup(in->netns) : NULL;
	ci->descr = in->descr ? strdup(in->descr) : NULL;
	if (!ci->label || (in->netns && !ci->netns) || (in->descr && !ci->descr))
		return -ENOMEM;
	return 0;
}

int nsc_capture_open(struct nsc_ctx *ctx, const struct nsc_capture_if *ifs, size_t n,
		     const struct nsc_capture_opts *opts, struct nsc_capture **out,
		     struct nsc_error *e)
{
	struct nsc_capture *cap;
	int ret = -ENOMEM;

	if (!n)
		return nsc_usage(e, "capture: no interface");
	if ((ret = nsc_pcap_lib(&lp, e)) < 0)
		return ret;
	cap = calloc(1, sizeof(*cap));
	if (!cap || !(cap->ifs = calloc(n, sizeof(*cap->ifs)))) {
		free(cap);
		return nsc_err(e, ENOMEM, "capture");
	}
	cap->n = n;
	cap->ng = opts->pcapng || n > 1;
	cap->immediate = opts->immediate;
	for (size_t i = 0; i < n; i++) {
		if ((ret = copy_names(&cap->ifs[i], &ifs[i])) < 0) {
			nsc_err(e, -ret, "capture");
			goto cleanup;
		}
		if ((ret = open_one(ctx, &cap->ifs[i], &ifs[i], opts, e)) < 0)
			goto cleanup;
		if (opts->filter && (ret = set_filter(&cap->ifs[i], opts->filter, e)) < 0)
			goto cleanup;
	}
	*out = cap;
	return 0;
cleanup:
	nsc_capture_free(cap);
	return ret;
}

void nsc_capture_free(struct nsc_capture *cap)
{
	if (!cap)
		return;
	for (size_t i = 0; i < cap->n; i++) {
		if (cap->ifs[i].p)
			lp->close(cap->ifs[i].p);
		free(cap->ifs[i].label);
		free(cap->ifs[i].netns);
		free(cap->ifs[i].descr);
	}
	free(cap->ifs);
	free(cap);
}

size_t nsc_capture_n(const struct nsc_capture *cap)
{
	return cap->n;
}

void nsc_capture_ifinfo(const struct nsc_capture *cap, size_t i, struct nsc_capture_ifinfo *out)
{
	const struct cap_if *ci = &cap->ifs[i];
	const char *name = lp->datalink_val_to_name(ci->linktype);
	const char *descr = lp->datalink_val_to_description(ci->linktype);

	out->label = ci->label;
	out->netns = ci->netns;
	out->linktype = name ? name : "unknown";
	out->linktype_descr = descr ? descr : "unknown";
	out->snaplen = ci->snaplen;
}

static void on_packet(u_char *user, const struct pcap_pkthdr *h, const u_char *bytes)
{
	struct nsc_capture *cap = (struct nsc_capture *)user;
	int ret;

	ret = nsc_pcapfile_packet(cap->w, cap->cur, h->ts.tv_sec, (uint32_t)h->ts.tv_usec,
				  h->caplen, h->len, bytes);
	if (ret < 0) {
		cap->werr = ret;
		lp->breakloop(cap->ifs[cap->cur].p);
		return;
	}
	if (++cap->captured == cap->limit)
		lp->breakloop(cap->ifs[cap->cur].p);
}

static int write_header(struct nsc_capture *cap)
{
	struct nsc_pcapfile_if *hdr = calloc(cap->n, sizeof(*hdr));
	int ret;

	if (!hdr)
		return -ENOMEM;
	for (size_t i = 0; i < cap->n; i++) {
		hdr[i].linktype = (uint16_t)cap->ifs[i].linktype;
		hdr[i].snaplen = cap->ifs[i].snaplen;
		hdr[i].name = cap->ifs[i].label;
		hdr[i].descr = cap->ifs[i].descr;
	}
	ret = nsc_pcapfile_header(cap->w, "netnsctl", hdr, cap->n);
	free(hdr);
	return ret < 0 ? ret : nsc_pcapfile_flush(cap->w);
}

/* Milliseconds until DEADLINE (a CLOCK_MONOTONIC time), 0 when past. */
static int ms_left(const struct timespec *deadline)
{
	struct timespec now;
	long long ms;

	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (long long)(deadline->tv_sec - now.tv_sec) * 1000 +
	     (deadline->tv_nsec - now.tv_nsec) / 1000000;
	return ms <= 0 ? 0 : ms > 1000000 ? 1000000 : (int)ms + 1;
}

/* Read what handle I has: 0, 1 when the count is reached, or -errno. */
static int read_one(struct nsc_capture *cap, size_t i, struct nsc_error *e)
{
	struct cap_if *ci = &cap->ifs[i];
	int left = -1, ret;

	if (cap->limit)
		left = (int)(cap->limit - cap->captured > 1000000 ? 1000000 :
			     cap->limit - cap->captured);
	cap->cur = (uint32_t)i;
	ret = lp->dispatch(ci->p, left, on_packet, (u_char *)cap);
	if (cap->werr)
		return nsc_err(e, -cap->werr, "capture: write");
	if (ret == PCAP_ERROR)
		return nsc_err_text(e, ENETDOWN, "capture \"%s\": %s", ci->label,
				    lp->geterr(ci->p));
	return cap->limit && cap->captured >= cap->limit;
}

static void fill_stats(const struct nsc_capture *cap, struct nsc_capture_stats *st)
{
	st->captured = cap->captured;
	st->dropped = 0;
	for (size_t i = 0; i < cap->n; i++) {
		struct pcap_stat ps;

		if (lp->stats(cap->ifs[i].p, &ps) == 0)
			st->dropped += ps.ps_drop;
	}
}

/*
 * Where libpcap says its fd cannot be trusted to wake us (old kernels'
 * TPACKET_V3 rings), poll no longer than it asks, and read what came.
 */
static int poll_timeout(const struct nsc_capture *cap, int timeout)
{
	for (size_t i = 0; i < cap->n; i++) {
		const struct timeval *tv = lp->get_required_select_timeout(cap->ifs[i].p);
		int ms;

		if (!tv)
			continue;
		ms = (int)(tv->tv_sec * 1000 + tv->tv_usec / 1000);
		if (timeout < 0 || ms < timeout)
			timeout = ms;
	}
	return timeout;
}

/* DEADLINE = now + MS milliseconds (CLOCK_MONOTONIC) */
static void deadline_in(struct timespec *deadline, long long ms)
{
	clock_gettime(CLOCK_MONOTONIC, deadline);
	deadline->tv_sec += (time_t)(ms / 1000);
	deadline->tv_nsec += (long)(ms % 1000) * 1000000;
	if (deadline->tv_nsec >= 1000000000) {
		deadline->tv_sec++;
		deadline->tv_nsec -= 1000000000;
	}
}

/*
 * The poll loop: until the count, an error, or the end of the drain that
 * follows the deadline or the stop fd. A ring in buffered mode hands over
 * its current block only when the block timeout retires it: the drain
 * waits that long (plus a margin) for the packets the kernel took before
 * the stop, so that a stopped capture loses none of them.
 */
static int loop(struct nsc_capture *cap, const struct nsc_capture_run *run,
		struct pollfd *fds, struct nsc_error *e)
{
	struct timespec deadline;
	bool draining = false;

	if (run->duration)
		deadline_in(&deadline, (long long)run->duration * 1000);
	for (;;) {
		bool timed = draining || run->duration;
		int timeout = timed ? ms_left(&deadline) : -1;
		bool stop = false, all = false;
		int done = 0, err;

		if (timed && !timeout) {
			if (draining)
				return 0;
			stop = true;            /* the duration is over */
		} else {
			int r = poll(fds, cap->n + (!draining && run->stop_fd >= 0),
				     poll_timeout(cap, timeout));

			if (r < 0 && errno == EINTR)
				continue;
			if (r < 0)
				return nsc_err(e, errno, "capture: poll");
			/* a timeout (the drain's, or libpcap's required one): read all */
			all = r == 0;
			stop = !draining && run->stop_fd >= 0 && fds[cap->n].revents;
		}
		if (stop) {
			draining = all = true;
			deadline_in(&deadline, cap->immediate ? 0 : NSC_CAPTURE_BLOCK_MS + 50);
		}
		for (size_t i = 0; i < cap->n && !done; i++)
			if (fds[i].revents || all)
				done = read_one(cap, i, e);
		if (done < 0)
			return done;
		if ((err = nsc_pcapfile_flush(cap->w)) < 0)
			return nsc_err(e, -err, "capture: write");
		if (done)
			return 0;
	}
}

int nsc_capture_loop(struct nsc_capture *cap, const struct nsc_capture_run *run,
		     struct nsc_capture_stats *stats, struct nsc_error *e)
{
	struct pollfd *fds = calloc(cap->n + 1, sizeof(*fds));
	int ret = -ENOMEM;

	cap->captured = 0;
	cap->limit = run->count;
	cap->werr = 0;
	if (!fds || nsc_pcapfile_new(run->out_fd, cap->ng, &cap->w) < 0) {
		nsc_err(e, ENOMEM, "capture");
		goto cleanup;
	}
	if ((ret = write_header(cap)) < 0) {
		nsc_err(e, -ret, "capture: write");
		goto cleanup;
	}
	for (size_t i = 0; i < cap->n; i++) {
		fds[i].fd = lp->get_selectable_fd(cap->ifs[i].p);
		fds[i].events = POLLIN;
	}
	fds[cap->n].fd = run->stop_fd;
	fds[cap->n].events = POLLIN;
	ret = loop(cap, run, fds, e);
cleanup:
	fill_stats(cap, stats);
	nsc_pcapfile_free(cap->w);
	cap->w = NULL;
	free(fds);
	return ret;
}
