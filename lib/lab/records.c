// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A lab's records in memory: one per object it made, found by what
 * identifies the object (type, namespace, device, and for addresses,
 * routes and neighbours the key; for routes the metric too) through an
 * open-addressing hash. A removed record stays in its slot, dead, so that
 * a journal line can bring it back. Also the one-line form records take in
 * the state file and the journal.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "lab/model.h"
#include "lab/state.h"

static const char *const type_names[REC_NTYPES] = {
	[REC_NS] = "ns", [REC_LINK] = "link", [REC_ADDR] = "addr",
	[REC_ROUTE] = "route", [REC_NEIGH] = "neigh", [REC_EXEC] = "exec",
	[REC_HOSTS] = "hosts", [REC_UTS] = "uts",
};

/* Does the key say which object it is (else it is what the object holds:
 * an exec record's hash)? */
static bool key_names(enum lab_rec_type type)
{
	return type == REC_ADDR || type == REC_ROUTE || type == REC_NEIGH;
}

static size_t rec_keyhash(enum lab_rec_type type, const char *netns, const char *dev,
			  const char *key, uint64_t metric)
{
	uint64_t h = lab_hash(&type, sizeof(type), LAB_HASH_INIT);

	h = lab_hash(netns, strlen(netns) + 1, h);
	if (dev)
		h = lab_hash(dev, strlen(dev) + 1, h);
	if (key && key_names(type))
		h = lab_hash(key, strlen(key) + 1, h);
	if (type == REC_ROUTE)
		h = lab_hash(&metric, sizeof(metric), h);
	return (size_t)h;
}

static bool str_eq(const char *a, const char *b)
{
	return a && b ? !strcmp(a, b) : a == b;
}

static bool rec_is(const struct lab_rec *r, enum lab_rec_type type, const char *netns,
		   const char *dev, const char *key, uint64_t metric)
{
	return r->type == type && !strcmp(r->netns, netns) && str_eq(r->dev, dev) &&
	       (!key_names(type) || str_eq(r->key, key)) &&
	       (type != REC_ROUTE || r->id[0] == metric);
}

/* Which parts a record of each type has. */
static void rec_norm(enum lab_rec_type type, const char **dev, const char **key)
{
	if (type == REC_NS || type == REC_ROUTE || type == REC_EXEC || type == REC_HOSTS ||
	    type == REC_UTS)
		*dev = NULL;
	if (type == REC_NS || type == REC_LINK)
		*key = NULL;
}

/* Put record I (st->v[i]) in the first free slot of its chain. */
static void slot_put(struct lab_state *st, size_t i)
{
	const struct lab_rec *r = &st->v[i];
	size_t mask = st->nslots - 1;
	size_t h = rec_keyhash(r->type, r->netns, r->dev, r->key, r->id[0]) & mask;

	while (st->slots[h])
		h = (h + 1) & mask;
	st->slots[h] = i + 1;
}

static int rehash(struct lab_state *st)
{
	size_t n = st->nslots ? st->nslots * 2 : 256;
	size_t *slots = calloc(n, sizeof(*slots));

	if (!slots)
		return -ENOMEM;
	free(st->slots);
	st->slots = slots;
	st->nslots = n;
	for (size_t i = 0; i < st->n; i++)
		slot_put(st, i);
	return 0;
}

/* The record of that object, dead or alive, or NULL. */
static struct lab_rec *rec_slot(struct lab_state *st, enum lab_rec_type type,
				const char *netns, const char *dev, const char *key,
				uint64_t metric)
{
	size_t h;

	if (!st->nslots)
		return NULL;
	h = rec_keyhash(type, netns, dev, key, metric) & (st->nslots - 1);
	for (; st->slots[h]; h = (h + 1) & (st->nslots - 1)) {
		struct lab_rec *r = &st->v[st->slots[h] - 1];

		if (rec_is(r, type, netns, dev, key, metric))
			return r;
	}
	return NULL;
}

struct lab_rec *lab_rec_find(struct lab_state *st, enum lab_rec_type type, const char *netns,
			     const char *dev, const char *key, uint64_t route_metric)
{
	struct lab_rec *r;

	rec_norm(type, &dev, &key);
	r = rec_slot(st, type, netns, dev, key, route_metric);
	return r && !r->dead ? r : NULL;
}

/* Known already: take the new id (and the key, when it is what the object
 * holds), and come back to life or die. */
static int rec_update(struct lab_rec *r, const char *key, const uint64_t id[3],
		      enum lab_rec_mark mark)
{
	if (!key_names(r->type) && !str_eq(r->key, key)) {
		char *k = key ? strdup(key) : NULL;

		if (key && !k)
			return -ENOMEM;
		free(r->key);
		r->key = k;
	}
	memcpy(r->id, id, sizeof(r->id));
	r->dead = mark == REC_GONE;
	r->pending = mark == REC_INTENT;
	return 0;
}

int lab_rec_set(struct lab_state *st, enum lab_rec_type type, const char *netns,
		const char *dev, const char *key, const uint64_t id[3],
		enum lab_rec_mark mark)
{
	uint64_t metric = type == REC_ROUTE ? id[0] : 0;
	struct lab_rec *r;

	rec_norm(type, &dev, &key);
	if ((st->n + 1) * 2 > st->nslots && rehash(st) < 0)
		return -ENOMEM;
	r = rec_slot(st, type, netns, dev, key, metric);
	if (r)
		return rec_update(r, key, id, mark);
	if (mark == REC_GONE)
		return 0;
	if (NSC_GROW(st->v, st->cap, st->n + 1) < 0)
		return -ENOMEM;
	r = &st->v[st->n];
	*r = (struct lab_rec){ .type = type, .pending = mark == REC_INTENT };
	memcpy(r->id, id, sizeof(r->id));
	if (!(r->netns = strdup(netns)) || (dev && !(r->dev = strdup(dev))) ||
	    (key && !(r->key = strdup(key)))) {
		free(r->netns);
		free(r->dev);
		return -ENOMEM;
	}
	slot_put(st, st->n++);
	return 0;
}

void lab_rec_clear(struct lab_state *st)
{
	for (size_t i = 0; i < st->n; i++) {
		free(st->v[i].netns);
		free(st->v[i].dev);
		free(st->v[i].key);
	}
	free(st->v);
	free(st->slots);
	st->v = NULL;
	st->slots = NULL;
	st->n = st->cap = st->nslots = 0;
}

/* ---- as lines ---- */

int lab_rec_line(const struct lab_rec *r, char *buf, size_t size)
{
	int n;

	switch (r->type) {
	case REC_NS:
		n = snprintf(buf, size, "ns %s %" PRIu64 " %" PRIu64 " %" PRIu64, r->netns,
			     r->id[0], r->id[1], r->id[2]);
		break;
	case REC_LINK:
		n = snprintf(buf, size, "link %s %s %" PRIu64, r->netns, r->dev, r->id[0]);
		break;
	case REC_ROUTE:
		n = snprintf(buf, size, "route %s %s %" PRIu64, r->netns, r->key, r->id[0]);
		break;
	case REC_EXEC:
	case REC_HOSTS:
	case REC_UTS:
		n = snprintf(buf, size, "%s %s %s", type_names[r->type], r->netns, r->key);
		break;
	default:
		n = snprintf(buf, size, "%s %s %s %s", type_names[r->type], r->netns, r->dev,
			     r->key);
		break;
	}
	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : n;
}

static bool parse_u64(const char *s, uint64_t *v)
{
	char *end;

	if (!isdigit((unsigned char)*s))
		return false;
	errno = 0;
	*v = strtoull(s, &end, 10);
	return !errno && !*end;
}

bool lab_rec_parse(char **w, size_t n, struct lab_rec *r)
{
	int t = -1;

	for (int i = 0; i < REC_NTYPES; i++)
		if (n && !strcmp(w[0], type_names[i]))
			t = i;
	if (t < 0 || n < 3)
		return false;
	*r = (struct lab_rec){ .type = (enum lab_rec_type)t, .netns = w[1] };
	switch (r->type) {
	case REC_NS:
		return n == 5 && parse_u64(w[2], &r->id[0]) && parse_u64(w[3], &r->id[1]) &&
		       parse_u64(w[4], &r->id[2]);
	case REC_LINK:
		r->dev = w[2];
		return n == 4 && parse_u64(w[3], &r->id[0]);
	case REC_ROUTE:
		r->key = w[2];
		return n == 4 && parse_u64(w[3], &r->id[0]);
	case REC_EXEC:
	case REC_HOSTS:
	case REC_UTS:
		r->key = w[2];
		return n == 3;
	default:
		r->dev = w[2];
		r->key = w[3];
		return n == 4;
	}
}
