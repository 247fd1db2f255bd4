// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What the lab commands print about what they did (text, or JSON with -j):
 * validate's summary, apply's plan and changes, diff's items, destroy's
 * tally, list's lines. The lab itself (show, graph) is lab_print.c's.
 */
#include <stdio.h>
#include <string.h>

#include "lab_print.h"

static const char *plural(size_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

void lab_report_summary(struct cli *c, const struct nsc_lab *lab)
{
	struct json *j = c->js;

	if (!c->json) {
		printf("%s: %zu %s, %zu %s, %zu %s, %zu %s\n", lab->name,
		       lab->n_nodes, plural(lab->n_nodes, "node", "nodes"),
		       lab->n_bridges, plural(lab->n_bridges, "bridge", "bridges"),
		       lab->n_links, plural(lab->n_links, "link", "links"),
		       lab->n_ready, plural(lab->n_ready, "ready check", "ready checks"));
		return;
	}
	json_obj_open(j);
	json_kv_str(j, "name", lab->name);
	json_key(j, "nodes");
	json_arr_open(j);
	for (size_t i = 0; i < lab->n_nodes; i++) {
		lab_json_named(j, lab->nodes[i].name, lab->nodes[i].netns, NULL);
		json_obj_close(j);
	}
	json_arr_close(j);
	json_key(j, "bridges");
	json_arr_open(j);
	for (size_t i = 0; i < lab->n_bridges; i++) {
		lab_json_named(j, lab->bridges[i].name, lab->switch_netns, NULL);
		json_kv_uint(j, "ports", lab->bridges[i].n_ports);
		json_obj_close(j);
	}
	json_arr_close(j);
	json_kv_uint(j, "links", lab->n_links);
	json_kv_uint(j, "ready", lab->n_ready);
	json_obj_close(j);
	cli_json_end(c);
}

void lab_report_items(struct cli *c, const struct nsc_lab_report *r, bool actions_only,
			unsigned flags)
{
	for (size_t i = 0; i < r->n_items; i++) {
		const struct nsc_lab_item *it = &r->items[i];

		if (actions_only && !it->action)
			continue;
		if (c->json) {
			lab_item_json(c->js, it, flags);
		} else {
			lab_item_text(stdout, it);
			fputc('\n', stdout);
		}
	}
}

void lab_report_plan(struct cli *c, const struct nsc_lab *lab, const struct nsc_lab_report *r)
{
	if (c->json) {
		json_obj_open(c->js);
		json_kv_str(c->js, "name", lab->name);
		json_kv_bool(c->js, "up_to_date", r->n_actions == 0 && r->n_ready_cmd == 0);
		json_kv_uint(c->js, "changes", r->n_actions);
		json_key(c->js, "items");
		json_arr_open(c->js);
		lab_report_items(c, r, true, LAB_ITEM_CMD);
		json_arr_close(c->js);
		json_key(c->js, "ready");
		json_arr_open(c->js);
		for (size_t i = 0; i < r->n_ready_cmd; i++)
			json_str(c->js, r->ready_cmd[i]);
		json_arr_close(c->js);
		json_obj_close(c->js);
		cli_json_end(c);
		return;
	}
	if (!r->n_actions && !r->n_ready_cmd) {
		printf("# %s: up to date\n", lab->name);
		return;
	}
	/* a comment line: a newline in the path would end it */
	printf("# lab %s (", lab->name);
	cli_put_printable(stdout, lab->file, false);
	printf("): %zu change%s; replay with netnsctl -b\n", r->n_actions,
	       r->n_actions == 1 ? "" : "s");
	for (size_t i = 0; i < r->n_items; i++) {
		const struct nsc_lab_item *it = &r->items[i];

		if (!it->action || !it->cmd)
			continue;
		fputs("# ", stdout);
		lab_item_text(stdout, it);
		printf("\n%s\n", it->cmd);
	}
	if (r->n_ready_cmd)
		puts("# ready checks");
	for (size_t i = 0; i < r->n_ready_cmd; i++)
		puts(r->ready_cmd[i]);
}

void lab_report_applied(struct cli *c, const struct nsc_lab *lab,
			  const struct nsc_lab_report *r, bool verbose)
{
	bool fresh = !r->n_actions && !r->ready_run;

	if (c->json) {
		json_obj_open(c->js);
		json_kv_str(c->js, "name", lab->name);
		json_kv_bool(c->js, "up_to_date", fresh);
		json_kv_uint(c->js, "changes", r->n_done);
		json_kv_bool(c->js, "ready", r->ready_run);
		json_key(c->js, "items");
		json_arr_open(c->js);
		lab_report_items(c, r, true, LAB_ITEM_DONE);
		json_arr_close(c->js);
		json_obj_close(c->js);
		cli_json_end(c);
		return;
	}
	if (verbose)
		lab_report_items(c, r, true, 0);
	if (fresh)
		printf("%s: up to date\n", lab->name);
	else if (!r->n_done)
		printf("%s: up to date, ready\n", lab->name);
	else
		printf("%s: %zu change%s%s\n", lab->name, r->n_done, r->n_done == 1 ? "" : "s",
		       r->ready_run ? ", ready" : "");
}

void lab_report_destroyed(struct cli *c, const char *name, const struct nsc_lab_report *r)
{
	if (!c->json) {
		printf("%s: destroyed (%zu namespace%s)\n", name, r->n_deleted,
		       r->n_deleted == 1 ? "" : "s");
		return;
	}
	json_obj_open(c->js);
	json_kv_str(c->js, "name", name);
	json_kv_uint(c->js, "deleted", r->n_deleted);
	json_key(c->js, "left_alone");
	json_arr_open(c->js);
	for (size_t i = 0; i < r->n_items; i++) {
		json_obj_open(c->js);
		json_kv_str(c->js, "netns", r->items[i].netns);
		json_kv_str(c->js, "why", r->items[i].have);
		json_obj_close(c->js);
	}
	json_arr_close(c->js);
	json_kv_uint(c->js, "holders", r->holders);
	json_obj_close(c->js);
	cli_json_end(c);
}

void lab_report_info(struct cli *c, const struct nsc_lab_info *l)
{
	const char *state = l->stale ? "stale" : l->complete ? "complete" : "incomplete";

	if (!c->json) {
		/* one line a lab, whatever the path holds */
		printf("%s: %zu namespace%s, %s, ", l->name, l->n_netns,
		       l->n_netns == 1 ? "" : "s", l->stale ? "from an earlier boot" : state);
		cli_put_printable(stdout, l->file, false);
		putchar('\n');
		return;
	}
	json_obj_open(c->js);
	json_kv_str(c->js, "name", l->name);
	json_kv_str(c->js, "file", l->file);
	json_kv_str(c->js, "state", state);
	json_kv_uint(c->js, "namespaces", l->n_netns);
	json_kv_uint(c->js, "links", l->n_links);
	json_obj_close(c->js);
}
