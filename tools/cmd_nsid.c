// SPDX-License-Identifier: GPL-2.0-or-later
/* set, list-id: namespace ids, as ip netns set / list-id. */
#include <string.h>

#include "kwargs.h"

int cmd_set(struct cli *c, int argc, char **argv)
{
	struct nsc_error e = { 0 };
	struct kargs k;
	uint32_t id;
	int nsid;

	ka_init(&k, c, "set", argc, argv, 1);
	if (argc != 3)
		return ka_usage(&k, "expected NAME NSID (or NAME auto)");
	if (nsc_name_check(argv[1], &e) < 0)
		return ka_fail(&k, &e);
	if (!strcmp(argv[2], "auto")) {
		nsid = NSC_NSID_AUTO;
	} else {
		if (nsc_parse_u32(argv[2], 0, NSC_NSID_MAX, &id, "nsid", &e) < 0)
			return ka_fail(&k, &e);
		nsid = (int)id;
	}
	if (c->check_only)
		return EXIT_OK;
	if (nsc_nsid_set(c->ctx, c->netns, argv[1], nsid, &e) < 0)
		return cli_error(c, &e);
	return EXIT_OK;
}

enum { L_TARGET, L_NSID };

int cmd_list_id(struct cli *c, int argc, char **argv)
{
	struct nsc_nsid_entry *list;
	struct nsc_error e = { 0 };
	int target = -1, only = -1;
	const char *v;
	struct kargs k;
	uint32_t id;
	size_t n;
	int ret;

	ka_init(&k, c, "list-id", argc, argv, 1);
	while (ka_more(&k)) {
		int *dst, slot;

		if (ka_take(&k, "target-nsid")) {
			dst = &target;
			slot = L_TARGET;
		} else if (ka_take(&k, "nsid")) {
			dst = &only;
			slot = L_NSID;
		} else {
			return ka_unknown(&k);
		}
		if ((ret = ka_once(&k, (unsigned)slot)) || (ret = ka_value(&k, &v)))
			return ret;
		if (nsc_parse_u32(v, 0, NSC_NSID_MAX, &id, slot == L_TARGET ? "target-nsid" : "nsid",
				  &e) < 0)
			return ka_fail(&k, &e);
		*dst = (int)id;
	}
	if (c->check_only)
		return EXIT_OK;
	if (nsc_nsid_list(c->ctx, c->netns, target, &list, &n, &e) < 0)
		return cli_error(c, &e);
	if (c->json)
		json_arr_open(c->js);
	for (size_t i = 0; i < n; i++) {
		const struct nsc_nsid_entry *x = &list[i];

		/* with a target, nsid N names the peer as this namespace
		 * knows it (current-nsid), as in ip */
		if (only >= 0 && (target >= 0 ? x->current_nsid : x->nsid) != only)
			continue;
		if (c->json) {
			json_obj_open(c->js);
			json_kv_int(c->js, "nsid", x->nsid);
			if (target >= 0 && x->current_nsid >= 0)
				json_kv_int(c->js, "current-nsid", x->current_nsid);
			if (x->name)
				json_kv_str(c->js, "name", x->name);
			json_obj_close(c->js);
			continue;
		}
		printf("nsid %d", x->nsid);
		if (target >= 0) {
			if (x->current_nsid >= 0)
				printf(" current-nsid %d", x->current_nsid);
			else
				fputs(" current-nsid unassigned", stdout);
		}
		if (x->name)
			printf(" (iproute2 netns name: %s)", x->name);
		putchar('\n');
	}
	if (c->json) {
		json_arr_close(c->js);
		cli_json_end(c);
	}
	nsc_nsid_list_free(list, n);
	return EXIT_OK;
}
