// SPDX-License-Identifier: GPL-2.0-or-later
/* A link's counters as ip -s (-s) prints them: iproute2 6.1's layout. */
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>

#include "print_link.h"

enum {
	C_NONZERO = 1 << 0,     /* only when not 0 */
	C_DETAIL = 1 << 1,      /* only with -s -s */
};

struct counter {
	const char *key;
	size_t off;             /* in struct nsc_link_stats */
	unsigned when;          /* C_* */
};

#define C(key, field, when) { key, offsetof(struct nsc_link_stats, field), when }

/* ip -j -s's "stats64": its keys, in its order */
static const struct counter rx_json[] = {
	C("bytes", rx_bytes, 0), C("packets", rx_packets, 0), C("errors", rx_errors, 0),
	C("dropped", rx_dropped, 0), C("over_errors", rx_over_errors, 0),
	C("multicast", multicast, 0), C("compressed", rx_compressed, C_NONZERO),
	C("length_errors", rx_length_errors, C_DETAIL), C("crc_errors", rx_crc_errors, C_DETAIL),
	C("frame_errors", rx_frame_errors, C_DETAIL), C("fifo_errors", rx_fifo_errors, C_DETAIL),
	C("missed_errors", rx_missed_errors, C_DETAIL),
	C("nohandler", rx_nohandler, C_DETAIL | C_NONZERO),
};

static const struct counter tx_json[] = {
	C("bytes", tx_bytes, 0), C("packets", tx_packets, 0), C("errors", tx_errors, 0),
	C("dropped", tx_dropped, 0), C("carrier_errors", tx_carrier_errors, 0),
	C("collisions", collisions, 0), C("compressed", tx_compressed, C_NONZERO),
	C("aborted_errors", tx_aborted_errors, C_DETAIL),
	C("fifo_errors", tx_fifo_errors, C_DETAIL), C("window_errors", tx_window_errors, C_DETAIL),
	C("heartbeat_errors", tx_heartbeat_errors, C_DETAIL),
};

/* "KEY": { the counters of table t } (the caller closes it) */
static void counters_json(struct cli *c, const char *key, const struct counter *t, size_t n,
			  const struct nsc_link_stats *s)
{
	json_key(c->js, key);
	json_obj_open(c->js);
	for (size_t i = 0; i < n; i++) {
		uint64_t v = *(const uint64_t *)(const void *)((const char *)s + t[i].off);

		if (((t[i].when & C_NONZERO) && !v) || ((t[i].when & C_DETAIL) && c->stats < 2))
			continue;
		json_kv_uint(c->js, t[i].key, v);
	}
}

void print_stats_json(struct cli *c, const struct nsc_link *l)
{
	struct json *j = c->js;

	json_key(j, "stats64");
	json_obj_open(j);
	counters_json(c, "rx", rx_json, sizeof(rx_json) / sizeof(rx_json[0]), &l->stats);
	json_obj_close(j);
	counters_json(c, "tx", tx_json, sizeof(tx_json) / sizeof(tx_json[0]), &l->stats);
	if (c->stats > 1 && l->has_carrier_changes)
		json_kv_uint(j, "carrier_changes", l->carrier_changes);
	json_obj_close(j);
	json_obj_close(j);
}

/* Columns as wide as the widest number in them (ip 6.1's layout). */
static void size_col(unsigned *col, uint64_t v)
{
	unsigned len = 1;

	for (; v >= 10; v /= 10)
		len++;
	if (len > *col)
		*col = len;
}

static void num(unsigned width, uint64_t v)
{
	printf("%*" PRIu64 " ", (int)width, v);
}

/* "    RX: bytes packets ..." and the numbers under it; "compressed" only when not 0 */
static void main_row(const char *dir, const unsigned w[7], const char *const names[6],
		     const uint64_t v[7])
{
	printf("    %s: %*s %*s %*s %*s %*s %*s %*s\n    ", dir, (int)w[0] - 4, names[0],
	       (int)w[1], names[1], (int)w[2], names[2], (int)w[3], names[3],
	       (int)w[4], names[4], (int)w[5], names[5], (int)w[6], v[6] ? "compressed" : "");
	for (int i = 0; i < 6; i++)
		num(w[i], v[i]);
	if (v[6])
		num(w[6], v[6]);
}

/*
 * "    RX errors:" and the numbers under it: columns 1..n-1, then column n
 * when opt. Without it, ip leaves out RX's "nohandler" header but prints
 * TX's "transns" one blank (blank_header).
 */
static void error_row(const char *dir, const unsigned w[7], const char *const names[7], int n,
		      const uint64_t v[7], bool opt, bool blank_header)
{
	printf("\n    %s errors:%*s", dir, (int)w[0] - 10, "");
	for (int i = 1; i < n; i++)
		printf(" %*s", (int)w[i], names[i]);
	if (opt || blank_header)
		printf(" %*s", (int)w[n], opt ? names[n] : "");
	printf("\n%*s", (int)w[0] + 5, "");
	for (int i = 1; i < n; i++)
		num(w[i], v[i]);
	if (opt)
		num(w[n], v[n]);
}

void print_stats_text(struct cli *c, const struct nsc_link *l)
{
	static const char *const rx_names[] = {
		"bytes", "packets", "errors", "dropped", "missed", "mcast",
	};
	static const char *const tx_names[] = {
		"bytes", "packets", "errors", "dropped", "carrier", "collsns",
	};
	static const char *const rxe_names[] = {
		"", "length", "crc", "frame", "fifo", "overrun", "nohandler",
	};
	static const char *const txe_names[] = {
		"", "aborted", "fifo", "window", "heartbt", "transns", "",
	};
	const struct nsc_link_stats *s = &l->stats;
	uint64_t cc = l->has_carrier_changes ? l->carrier_changes : 0;
	unsigned w[7] = { 10, 7, 6, 7, 7, 7, 10 };      /* "*X errors:", "packets", ... */
	const uint64_t rx[7] = { s->rx_bytes, s->rx_packets, s->rx_errors, s->rx_dropped,
				 s->rx_missed_errors, s->multicast, s->rx_compressed };
	const uint64_t rxe[7] = { 0, s->rx_length_errors, s->rx_crc_errors, s->rx_frame_errors,
				  s->rx_fifo_errors, s->rx_over_errors, s->rx_nohandler };
	const uint64_t tx[7] = { s->tx_bytes, s->tx_packets, s->tx_errors, s->tx_dropped,
				 s->tx_carrier_errors, s->collisions, s->tx_compressed };
	const uint64_t txe[7] = { 0, s->tx_aborted_errors, s->tx_fifo_errors,
				  s->tx_window_errors, s->tx_heartbeat_errors, cc, 0 };

	for (int i = 0; i < 7; i++) {
		size_col(&w[i], rx[i]);
		size_col(&w[i], tx[i]);
		if (c->stats > 1) {
			size_col(&w[i], rxe[i]);
			size_col(&w[i], txe[i]);
		}
	}
	main_row("RX", w, rx_names, rx);
	if (c->stats > 1)
		error_row("RX", w, rxe_names, 6, rxe, s->rx_nohandler, false);
	putchar('\n');
	main_row("TX", w, tx_names, tx);
	if (c->stats > 1)
		error_row("TX", w, txe_names, 5, txe, l->has_carrier_changes, true);
}
