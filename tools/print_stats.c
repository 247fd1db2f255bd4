// SPDX-License-Identifier: GPL-2.0-or-later
/* A link's counters as ip -s (-s) prints them: iproute2 6.1's layout. */
#include <inttypes.h>
#include <stdio.h>

#include "print_link.h"

void print_stats_json(struct cli *c, const struct nsc_link *l)
{
	const struct nsc_link_stats *s = &l->stats;
	struct json *j = c->js;

	json_key(j, "stats64");
	json_obj_open(j);
	json_key(j, "rx");
	json_obj_open(j);
	json_kv_uint(j, "bytes", s->rx_bytes);
	json_kv_uint(j, "packets", s->rx_packets);
	json_kv_uint(j, "errors", s->rx_errors);
	json_kv_uint(j, "dropped", s->rx_dropped);
	json_kv_uint(j, "over_errors", s->rx_over_errors);
	json_kv_uint(j, "multicast", s->multicast);
	if (s->rx_compressed)
		json_kv_uint(j, "compressed", s->rx_compressed);
	if (c->stats > 1) {
		json_kv_uint(j, "length_errors", s->rx_length_errors);
		json_kv_uint(j, "crc_errors", s->rx_crc_errors);
		json_kv_uint(j, "frame_errors", s->rx_frame_errors);
		json_kv_uint(j, "fifo_errors", s->rx_fifo_errors);
		json_kv_uint(j, "missed_errors", s->rx_missed_errors);
		if (s->rx_nohandler)
			json_kv_uint(j, "nohandler", s->rx_nohandler);
	}
	json_obj_close(j);
	json_key(j, "tx");
	json_obj_open(j);
	json_kv_uint(j, "bytes", s->tx_bytes);
	json_kv_uint(j, "packets", s->tx_packets);
	json_kv_uint(j, "errors", s->tx_errors);
	json_kv_uint(j, "dropped", s->tx_dropped);
	json_kv_uint(j, "carrier_errors", s->tx_carrier_errors);
	json_kv_uint(j, "collisions", s->collisions);
	if (s->tx_compressed)
		json_kv_uint(j, "compressed", s->tx_compressed);
	if (c->stats > 1) {
		json_kv_uint(j, "aborted_errors", s->tx_aborted_errors);
		json_kv_uint(j, "fifo_errors", s->tx_fifo_errors);
		json_kv_uint(j, "window_errors", s->tx_window_errors);
		json_kv_uint(j, "heartbeat_errors", s->tx_heartbeat_errors);
		if (l->has_carrier_changes)
			json_kv_uint(j, "carrier_changes", l->carrier_changes);
	}
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

void print_stats_text(struct cli *c, const struct nsc_link *l)
{
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
	printf("    RX: %*s %*s %*s %*s %*s %*s %*s\n    ", (int)w[0] - 4, "bytes",
	       (int)w[1], "packets", (int)w[2], "errors", (int)w[3], "dropped",
	       (int)w[4], "missed", (int)w[5], "mcast",
	       (int)w[6], s->rx_compressed ? "compressed" : "");
	for (int i = 0; i < 6; i++)
		num(w[i], rx[i]);
	if (s->rx_compressed)
		num(w[6], rx[6]);
	if (c->stats > 1) {
		printf("\n    RX errors:%*s %*s %*s %*s %*s %*s", (int)w[0] - 10, "",
		       (int)w[1], "length", (int)w[2], "crc", (int)w[3], "frame",
		       (int)w[4], "fifo", (int)w[5], "overrun");
		if (s->rx_nohandler)
			printf(" %*s", (int)w[6], "nohandler");
		printf("\n%*s", (int)w[0] + 5, "");
		for (int i = 1; i < 6; i++)
			num(w[i], rxe[i]);
		if (s->rx_nohandler)
			num(w[6], rxe[6]);
	}
	printf("\n    TX: %*s %*s %*s %*s %*s %*s %*s\n    ", (int)w[0] - 4, "bytes",
	       (int)w[1], "packets", (int)w[2], "errors", (int)w[3], "dropped",
	       (int)w[4], "carrier", (int)w[5], "collsns",
	       (int)w[6], s->tx_compressed ? "compressed" : "");
	for (int i = 0; i < 6; i++)
		num(w[i], tx[i]);
	if (s->tx_compressed)
		num(w[6], tx[6]);
	if (c->stats > 1) {
		printf("\n    TX errors:%*s %*s %*s %*s %*s %*s\n%*s", (int)w[0] - 10, "",
		       (int)w[1], "aborted", (int)w[2], "fifo", (int)w[3], "window",
		       (int)w[4], "heartbt", (int)w[5], l->has_carrier_changes ? "transns" : "",
		       (int)w[0] + 5, "");
		for (int i = 1; i < 5; i++)
			num(w[i], txe[i]);
		if (l->has_carrier_changes)
			num(w[5], txe[5]);
	}
}
