// SPDX-License-Identifier: GPL-2.0-or-later
/* impair: set or clear an impairment; qdisc show: what tc qdisc show shows. */
#include <string.h>

#include "impair.h"
#include "subcmd.h"

const char cmd_impair_help[] =
	"Usage: netnsctl [-n NS] impair [dev] IF [rate RATE [burst SIZE] [limit SIZE]]\n"
	"                [delay TIME [JITTER] [CORR%]] [jitter TIME] [loss P% [CORR%]]\n"
	"                [duplicate P% [CORR%]] [reorder P% [CORR%]] [corrupt P% [CORR%]]\n"
	"                [limit PACKETS]\n"
	"       netnsctl [-n NS] impair [dev] IF clear\n"
	"Shape what IF sends: a rate alone is a tbf; delay, jitter, loss, duplicate,\n"
	"reorder or corrupt make a netem (with its own rate when one is given). Set\n"
	"again to change it in place; clear gives IF back its default qdisc.\n"
	"RATE: 10mbit, 1gbit, 500kbit, 2mbps (tc's units); SIZE: 1600, 32kb, 1mb;\n"
	"TIME: 20ms, 1.5ms, 100us, 1s; P: a percentage, 1% or 0.5%.\n";

/* slots for "given twice": dev, then one per key */
enum { I_DEV, I_CLEAR, I_KEY0 };

/* a word after a value that is not a key: a correlation, or delay's jitter */
static bool positional(struct kargs *k)
{
	return ka_more(k) && nsc_impair_key(ka_peek(k)) < 0 && strcmp(ka_peek(k), "clear");
}

static int key_value(struct kargs *k, struct nsc_impair *im, int key)
{
	struct nsc_error e = { 0 };
	const char *v;
	uint64_t t;

	if (ka_once(k, I_KEY0 + (unsigned)key) || ka_value(k, &v))
		return EXIT_USAGE;
	if (nsc_impair_set_key(im, key, v, &e) < 0)
		return ka_fail(k, &e);
	if (key == NSC_IMP_DELAY && positional(k) &&
	    nsc_parse_time(ka_peek(k), &t, &e) == 0) {   /* tc's "delay 20ms 2ms" */
		if (ka_once_as(k, I_KEY0 + NSC_IMP_JITTER, "jitter"))
			return EXIT_USAGE;
		nsc_impair_set_key(im, NSC_IMP_JITTER, k->argv[k->i++], &e);
	}
	if ((key == NSC_IMP_DELAY || key >= NSC_IMP_LOSS) && positional(k)) {
		if (nsc_impair_set_corr(im, key, k->argv[k->i], &e) < 0)
			return ka_fail(k, &e);
		k->i++;
	}
	return 0;
}

int impair_args(struct kargs *k, struct nsc_impair *im, bool *clear)
{
	struct nsc_error e = { 0 };
	int key;

	memset(im, 0, sizeof(*im));
	*clear = false;
	while (ka_more(k)) {
		if (ka_take(k, "clear")) {
			if (ka_once(k, I_CLEAR))
				return EXIT_USAGE;
			*clear = true;
			continue;
		}
		if ((key = nsc_impair_key(ka_peek(k))) < 0)
			return ka_unknown(k);
		k->i++;
		if (key_value(k, im, key))
			return EXIT_USAGE;
	}
	if (*clear && im->set)
		return ka_usage(k, "clear takes nothing else");
	if (!*clear && nsc_impair_check(im, &e) < 0)
		return ka_fail(k, &e);
	return 0;
}

int cmd_impair(struct cli *c, int argc, char **argv)
{
	struct nsc_error e = { 0 };
	struct nsc_impair im;
	const char *dev;
	struct kargs k;
	bool clear;
	int ret;

	ka_init(&k, c, "impair", argc, argv, 1);
	if (!ka_more(&k))
		return ka_usage(&k, "missing device (impair dev IF ...)");
	if ((ret = ka_ifname_after(&k, "dev", I_DEV, &dev)) || (ret = impair_args(&k, &im, &clear)))
		return ret;
	if (c->check_only)
		return EXIT_OK;
	if (clear)
		ret = nsc_impair_clear(c->ctx, c->netns, dev, &e);
	else
		ret = nsc_impair_set(c->ctx, c->netns, dev, &im, &e);
	return ret < 0 ? cli_error(c, &e) : EXIT_OK;
}

static const char qdisc_help[] =
	"Usage: netnsctl [-n NS] [-j] [-s] qdisc [show] [dev IF]\n"
	"The queueing disciplines of every interface, or of IF, as tc qdisc show\n"
	"prints them (-j: tc -j's fields; tbf and netem options decoded).\n";

struct show {
	struct cli *c;
	struct nsc_ifmap *map;          /* NULL: one device, not named */
};

static int show_one(const struct nsc_qdisc *q, void *arg)
{
	struct show *s = arg;
	const char *name = NULL;
	char idx[16];

	if (s->map) {
		name = nsc_ifmap_name(s->map, q->ifindex);
		if (!name) {
			snprintf(idx, sizeof(idx), "if%d", q->ifindex);
			name = idx;
		}
	}
	print_qdisc(s->c, q, name);
	return 0;
}

static int qdisc_show(struct kargs *k)
{
	struct cli *c = k->c;
	struct show s = { .c = c };
	struct nsc_error e = { 0 };
	const char *dev = NULL;
	int ifindex = 0, ret;

	while (ka_more(k)) {
		if (ka_take(k, "dev")) {
			if ((ret = ka_once(k, I_DEV)) || (ret = ka_ifname(k, &dev)))
				return ret;
		} else {
			return ka_unknown(k);
		}
	}
	if (c->check_only)
		return EXIT_OK;
	if (dev && nsc_ifindex(c->ctx, c->netns, dev, &ifindex, &e) < 0)
		return cli_error(c, &e);
	if (!dev && nsc_ifmap_load(c->ctx, c->netns, &s.map, &e) < 0)
		return cli_error(c, &e);
	cli_list_open(c);
	ret = nsc_qdisc_list(c->ctx, c->netns, ifindex, show_one, &s, &e);
	cli_list_close(c);
	nsc_ifmap_free(s.map);
	return ret < 0 ? cli_error(c, &e) : EXIT_OK;
}

static const struct subcmd qdisc_cmds[] = {
	{ "show list ls", qdisc_show },
};

const struct subcmds qdisc_group = {
	"qdisc", qdisc_help, SUBCMDS(qdisc_cmds), &qdisc_cmds[0], "help", SUB_HELP_SECOND,
};
