// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * capture: packets of an interface inside a namespace, written as pcap
 * (several interfaces, as with lab capture: one pcapng file), with a filter
 * in tcpdump's grammar. Like tcpdump, it prints "listening on ..." to
 * standard error once the interfaces are open and filtered (a script waits
 * for that line before it makes traffic), and at the end the count of
 * packets. SIGINT and SIGTERM end it cleanly: they are blocked and read
 * from a signalfd the capture loop polls, so no handler runs mid-write.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "capture.h"
#include "cli.h"

/* --link and --bridge values, pointers into argv (never more than argc) */
static int push(struct kargs *k, const char ***v, size_t *n)
{
	const char *s;

	if (ka_value(k, &s))
		return EXIT_USAGE;
	if (!*v && !(*v = calloc((size_t)k->argc, sizeof(**v))))
		return ka_usage(k, "%s", strerror(ENOMEM));
	(*v)[(*n)++] = s;
	return EXIT_OK;
}

/* the words left, joined by spaces, as tcpdump joins its expression */
static int take_filter(struct kargs *k, struct capture_args *a)
{
	size_t len = 0;

	if (!ka_more(k))
		return EXIT_OK;
	for (int i = k->i; i < k->argc; i++)
		len += strlen(k->argv[i]) + 1;
	if (!(a->filter = malloc(len)))
		return ka_usage(k, "%s", strerror(ENOMEM));
	a->filter[0] = '\0';
	for (; k->i < k->argc; k->i++) {
		if (a->filter[0])
			strcat(a->filter, " ");
		strcat(a->filter, k->argv[k->i]);
	}
	return EXIT_OK;
}

/* ka_once slots; 0 is capture's "dev" */
enum { SLOT_DEV, SLOT_W, SLOT_C, SLOT_DURATION, SLOT_S, SLOT_PCAPNG, SLOT_P, SLOT_IMMEDIATE, SLOT_B };

int capture_parse(struct kargs *k, struct capture_args *a, bool lab)
{
	struct nsc_error e = { 0 };
	const char *v;
	int ret = EXIT_OK;

	while (ret == EXIT_OK && ka_more(k) && ka_peek(k)[0] == '-' && ka_peek(k)[1]) {
		if (ka_take(k, "--")) {
			break;
		} else if (ka_take(k, "-w")) {
			if (!(ret = ka_once(k, SLOT_W)) && !(ret = ka_value(k, &a->out)) &&
			    !a->out[0])
				ret = ka_usage(k, "-w: an empty file name");
		} else if (ka_take(k, "-c")) {
			if (!(ret = ka_once(k, SLOT_C)) && !(ret = ka_value(k, &v)) &&
			    nsc_parse_u64(v, 1, UINT64_MAX, &a->count, "count", &e) < 0)
				ret = ka_fail(k, &e);
		} else if (ka_take(k, "--duration")) {
			if (!(ret = ka_once(k, SLOT_DURATION)))
				ret = ka_u32(k, 1, 86400 * 366, "duration", &a->duration);
		} else if (ka_take(k, "-s")) {
			if (!(ret = ka_once(k, SLOT_S)))
				ret = ka_u32(k, 1, NSC_CAPTURE_SNAPLEN, "snap length", &a->snaplen);
		} else if (ka_take(k, "--pcapng")) {
			ret = ka_once(k, SLOT_PCAPNG);
			a->pcapng = true;
		} else if (ka_take(k, "-p") || ka_take(k, "--no-promiscuous-mode")) {
			ret = ka_once(k, SLOT_P);
			a->no_promisc = true;
		} else if (ka_take(k, "--immediate-mode")) {
			ret = ka_once(k, SLOT_IMMEDIATE);
			a->immediate = true;
		} else if (ka_take(k, "-B") || ka_take(k, "--buffer-size")) {
			if (!(ret = ka_once(k, SLOT_B)))
				ret = ka_u32(k, 1, 1024 * 1024, "buffer size", &a->buffer_kib);
		} else if (lab && ka_take(k, "--link")) {
			ret = push(k, &a->links, &a->n_links);
		} else if (lab && ka_take(k, "--bridge")) {
			ret = push(k, &a->bridges, &a->n_bridges);
		} else {
			ret = ka_usage(k, "unknown option \"%s\"", ka_peek(k));
		}
	}
	if (ret == EXIT_OK)
		ret = take_filter(k, a);
	if (ret == EXIT_OK && k->c->json)
		ret = ka_usage(k, "writes pcap, not JSON (-j does not apply)");
	if (ret == EXIT_OK && (!a->out || !strcmp(a->out, "-")) && isatty(STDOUT_FILENO))
		ret = ka_usage(k, "standard output is a terminal: give -w FILE, or a pipe");
	return ret;
}

void capture_args_free(struct capture_args *a)
{
	free(a->filter);
	free(a->links);
	free(a->bridges);
}

static void print_listening(const struct nsc_capture *cap)
{
	for (size_t i = 0; i < nsc_capture_n(cap); i++) {
		struct nsc_capture_ifinfo in;

		nsc_capture_ifinfo(cap, i, &in);
		fputs("listening on ", stderr);
		cli_put_printable(stderr, in.label, false);
		if (in.netns) {
			fputs(" (netns ", stderr);
			cli_put_printable(stderr, in.netns, false);
			fputc(')', stderr);
		}
		fprintf(stderr, ", link-type %s (%s), snapshot length %u bytes\n",
			in.linktype, in.linktype_descr, in.snaplen);
	}
	fflush(stderr);
}

/* SIGINT and SIGTERM, blocked and readable on an fd; *old gets the mask. */
static int stop_fd_open(sigset_t *old)
{
	sigset_t set;
	int fd;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	if (sigprocmask(SIG_BLOCK, &set, old) < 0)
		return -errno;
	fd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	if (fd < 0) {
		int err = errno;

		sigprocmask(SIG_SETMASK, old, NULL);
		return -err;
	}
	return fd;
}

/* Consume the signals that stopped us (they did their job), unblock. */
static void stop_fd_close(int fd, const sigset_t *old)
{
	struct signalfd_siginfo si;

	while (read(fd, &si, sizeof(si)) == (ssize_t)sizeof(si))
		;
	close(fd);
	sigprocmask(SIG_SETMASK, old, NULL);
}

int capture_run(struct cli *c, const struct capture_args *a, const struct nsc_capture_if *ifs,
		size_t n)
{
	struct nsc_capture_opts o = {
		.filter = a->filter, .snaplen = a->snaplen, .pcapng = a->pcapng,
		.no_promisc = a->no_promisc, .immediate = a->immediate,
		.buffer_kib = a->buffer_kib,
	};
	struct nsc_capture_run run = { .count = a->count, .duration = a->duration };
	struct nsc_capture_stats st = { 0 };
	struct nsc_capture *cap = NULL;
	struct nsc_error e = { 0 };
	bool to_file = a->out && strcmp(a->out, "-");
	sigset_t old;
	int ret;

	if (nsc_capture_open(c->ctx, ifs, n, &o, &cap, &e) < 0)
		return cli_error(c, &e);
	/* the file is made only once the capture is sure to start */
	run.out_fd = to_file ? open(a->out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)
			     : STDOUT_FILENO;
	if (run.out_fd < 0) {
		nsc_err(&e, errno, "capture: \"%s\"", a->out);
		nsc_capture_free(cap);
		return cli_error(c, &e);
	}
	run.stop_fd = stop_fd_open(&old);
	if (run.stop_fd < 0) {
		nsc_err(&e, -run.stop_fd, "capture: signalfd");
		ret = cli_error(c, &e);
		goto cleanup;
	}
	print_listening(cap);
	ret = nsc_capture_loop(cap, &run, &st, &e) < 0 ? cli_error(c, &e) : EXIT_OK;
	stop_fd_close(run.stop_fd, &old);
	fprintf(stderr, "%llu packets captured, %llu dropped by the kernel\n",
		(unsigned long long)st.captured, (unsigned long long)st.dropped);
cleanup:
	if (to_file && close(run.out_fd) < 0 && ret == EXIT_OK) {
		nsc_err(&e, errno, "capture: \"%s\"", a->out);
		ret = cli_error(c, &e);
	}
	nsc_capture_free(cap);
	return ret;
}

int cmd_capture(struct cli *c, int argc, char **argv)
{
	struct capture_args a = { 0 };
	struct nsc_capture_if in = { 0 };
	struct kargs k;
	int ret;

	ka_init(&k, c, "capture", argc, argv, 1);
	if (!ka_more(&k) || ka_peek(&k)[0] == '-')
		return ka_usage(&k, "missing dev IF");
	in.netns = c->netns;
	if ((ret = ka_ifname_after(&k, "dev", SLOT_DEV, &in.ifname)) != EXIT_OK ||
	    (ret = capture_parse(&k, &a, false)) != EXIT_OK || c->check_only)
		goto cleanup;
	ret = capture_run(c, &a, &in, 1);
cleanup:
	capture_args_free(&a);
	return ret;
}
