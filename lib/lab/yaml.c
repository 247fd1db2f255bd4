// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The YAML reader: libyaml's event parser builds a small tree of maps, lists
 * and scalars, each with its line and column. Only what a lab file needs is
 * accepted; everything else is refused at its position, before any of the
 * lab is looked at:
 * - anchors and aliases (a "billion laughs" bomb, and line numbers that
 *   point at the anchor instead of the use), tags, several documents;
 * - duplicate keys (libyaml keeps them; the last would silently win);
 * - more than NSC_LAB_MAX_* of anything, so hostile input stays cheap.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "base/util.h"
#include "lab/yaml.h"

bool lab_yv_is_null(const struct lab_yv *v)
{
	return v->type == LAB_YV_SCALAR && !v->quoted &&
	       (!v->len || !strcmp(v->str, "~") || !strcmp(v->str, "null") ||
		!strcmp(v->str, "Null") || !strcmp(v->str, "NULL"));
}

const char *lab_yv_kind(const struct lab_yv *v)
{
	switch (v->type) {
	case LAB_YV_MAP:
		return "a map";
	case LAB_YV_SEQ:
		return "a list";
	case LAB_YV_SCALAR:
		break;
	}
	if (lab_yv_is_null(v))
		return "empty";
	if (v->quoted)
		return "a string";
	if (v->len && strspn(v->str, "0123456789") == v->len)
		return "a number";
	return "a scalar";
}

void lab_yaml_free(struct lab_yv *v)
{
	if (!v)
		return;
	for (size_t i = 0; i < v->n; i++) {
		lab_yaml_free(v->items[i]);
		if (v->keys)
			lab_yaml_free(v->keys[i]);
	}
	free(v->items);
	free(v->keys);
	free(v);
}

/*
 * Line and column of byte offset OFF, counted as libyaml counts them (for
 * its reader errors, which give only an offset): lines break at LF, CR,
 * CRLF, NEL, LS and PS; columns count characters; a leading BOM is skipped.
 */
static struct nsc_lab_pos pos_of_offset(const char *buf, size_t len, size_t off)
{
	const unsigned char *s = (const unsigned char *)buf;
	struct nsc_lab_pos p = { 1, 1 };
	size_t i = 0;

	if (len >= 3 && s[0] == 0xef && s[1] == 0xbb && s[2] == 0xbf)
		i = 3;
	if (off > len)
		off = len;
	while (i < off) {
		if (s[i] == '\n' || s[i] == '\r') {
			if (s[i] == '\r' && i + 1 < off && s[i + 1] == '\n')
				i++;
			p.line++;
			p.col = 1;
		} else if (i + 1 < len && s[i] == 0xc2 && s[i + 1] == 0x85) {
			p.line++;
			p.col = 1;
			i++;
		} else if (i + 2 < len && s[i] == 0xe2 && s[i + 1] == 0x80 &&
			   (s[i + 2] == 0xa8 || s[i + 2] == 0xa9)) {
			p.line++;
			p.col = 1;
			i += 2;
		} else if ((s[i] & 0xc0) != 0x80) {
			p.col++;
		}
		i++;
	}
	return p;
}

/* The offset of the first byte that is not valid UTF-8, or len. */
static size_t utf8_invalid(const char *buf, size_t len)
{
	const unsigned char *s = (const unsigned char *)buf;
	size_t i = 0;

	while (i < len) {
		unsigned char c = s[i];
		uint32_t cp;
		size_t n;

		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {
			n = 1;
			cp = c & 0x1f;
		} else if (c >= 0xe0 && c <= 0xef) {
			n = 2;
			cp = c & 0x0f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			n = 3;
			cp = c & 0x07;
		} else {
			return i;
		}
		for (size_t k = 1; k <= n; k++) {
			if (i + k >= len || (s[i + k] & 0xc0) != 0x80)
				return i;
			cp = cp << 6 | (s[i + k] & 0x3f);
		}
		/* overlong forms, UTF-16 surrogates, beyond U+10FFFF */
		if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
		    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
			return i;
		i += n + 1;
	}
	return len;
}

struct loader {
	const char *buf, *file;
	size_t len;
	struct nsc_error *e;
	struct lab_yv *stack[NSC_LAB_MAX_DEPTH];
	struct lab_yv *pending_key[NSC_LAB_MAX_DEPTH];  /* a map's key awaiting its value */
	int depth;
	size_t values;
	struct lab_yv *root;
};

static struct nsc_lab_pos mark_pos(yaml_mark_t m)
{
	return (struct nsc_lab_pos){ (unsigned)m.line + 1, (unsigned)m.column + 1 };
}

/* A node, with room for a scalar's text of len bytes and its NUL after it. */
static struct lab_yv *yv_new(enum lab_yv_type type, yaml_mark_t m, size_t len)
{
	struct lab_yv *v = calloc(1, sizeof(*v) + (type == LAB_YV_SCALAR ? len + 1 : 0));

	if (v) {
		v->type = type;
		v->pos = mark_pos(m);
	}
	return v;
}

/* Room for need pointers: from 2, doubling (most maps of a lab file have a
 * key or two; NSC_GROW's first eight made most of the tree's arrays). */
static int grow_ptrs(struct lab_yv ***v, uint32_t *cap, uint32_t need)
{
	struct lab_yv **p;
	uint32_t n = *cap ? *cap : 2;

	if (need <= *cap)
		return 0;
	while (n < need)
		n *= 2;
	if (!(p = realloc(*v, n * sizeof(*p))))
		return -ENOMEM;
	*v = p;
	*cap = n;
	return 0;
}

/* A finished collection's arrays, cut to size: what is left over goes back
 * to the allocator for the nodes that follow. */
static void fit(struct lab_yv *v)
{
	struct lab_yv **p;

	if (v->n && v->n < v->cap && (p = realloc(v->items, v->n * sizeof(*p)))) {
		v->items = p;
		v->cap = v->n;
	}
	if (v->keys && v->n && v->n < v->kcap && (p = realloc(v->keys, v->n * sizeof(*p)))) {
		v->keys = p;
		v->kcap = v->n;
	}
}

static int append(struct lab_yv *coll, struct lab_yv *key, struct lab_yv *v)
{
	if (grow_ptrs(&coll->items, &coll->cap, coll->n + 1) < 0 ||
	    (coll->type == LAB_YV_MAP && grow_ptrs(&coll->keys, &coll->kcap, coll->n + 1) < 0))
		return -ENOMEM;
	coll->items[coll->n] = v;
	if (coll->type == LAB_YV_MAP)
		coll->keys[coll->n] = key;
	coll->n++;
	return 0;
}

/* Hand a finished value to the open collection (or make it the root). The
 * value is owned by the tree afterwards, even on error. */
static int place(struct loader *l, struct lab_yv *v)
{
	struct lab_yv *parent;
	bool is_key;
	int ret;

	if (!l->depth) {
		l->root = v;
		return 0;
	}
	parent = l->stack[l->depth - 1];
	is_key = parent->type == LAB_YV_MAP && !l->pending_key[l->depth - 1];
	if (is_key && v->type != LAB_YV_SCALAR) {       /* on_start() refuses these first */
		ret = lab_err(l->file, v->pos, l->e, "a key must be a string, not %s",
			      lab_yv_kind(v));
		goto cleanup;
	}
	if ((is_key || parent->type == LAB_YV_SEQ) && parent->n >= NSC_LAB_MAX_ENTRIES) {
		ret = lab_err(l->file, v->pos, l->e, "more than %d entries in one %s",
			      NSC_LAB_MAX_ENTRIES, is_key ? "map" : "list");
		goto cleanup;
	}
	if (is_key) {
		l->pending_key[l->depth - 1] = v;
		return 0;
	}
	if (append(parent, l->pending_key[l->depth - 1], v) < 0) {
		ret = nsc_err(l->e, ENOMEM, "read \"%s\"", l->file);
		goto cleanup;
	}
	l->pending_key[l->depth - 1] = NULL;
	return 0;
cleanup:
	lab_yaml_free(v);
	return ret;
}

static int cmp_key(const void *a, const void *b)
{
	const struct lab_yv *x = *(struct lab_yv *const *)a;
	const struct lab_yv *y = *(struct lab_yv *const *)b;
	int c;

	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	c = memcmp(x->str, y->str, x->len);
	if (c)
		return c;
	/* equal keys in file order, so the later one is the duplicate */
	if (x->pos.line != y->pos.line)
		return x->pos.line < y->pos.line ? -1 : 1;
	return x->pos.col < y->pos.col ? -1 : x->pos.col > y->pos.col;
}

/* A finished map: refuse the first (in file order) key given twice. */
static int check_dup_keys(struct loader *l, const struct lab_yv *map)
{
	struct lab_yv **keys, *dup = NULL, *first = NULL;
	char p[80];
	int ret = 0;

	if (map->n < 2)
		return 0;
	keys = malloc(map->n * sizeof(*keys));
	if (!keys)
		return nsc_err(l->e, ENOMEM, "read \"%s\"", l->file);
	memcpy(keys, map->keys, map->n * sizeof(*keys));
	qsort(keys, map->n, sizeof(*keys), cmp_key);
	for (size_t i = 1; i < map->n; i++) {
		size_t k = i - 1;

		if (keys[i]->len != keys[k]->len || memcmp(keys[i]->str, keys[k]->str, keys[i]->len))
			continue;
		if (dup && !lab_pos_before(keys[i]->pos, dup->pos))
			continue;
		dup = keys[i];
		/* the first of the group: walk back over equal keys */
		while (k > 0 && keys[k - 1]->len == dup->len &&
		       !memcmp(keys[k - 1]->str, dup->str, dup->len))
			k--;
		first = keys[k];
	}
	if (dup)
		ret = lab_err(l->file, dup->pos, l->e,
			      "duplicate key \"%s\" (first at line %u, column %u)",
			      nsc_printable(dup->str, p, sizeof(p)), first->pos.line, first->pos.col);
	free(keys);
	return ret;
}

static int on_scalar(struct loader *l, const yaml_event_t *ev)
{
	const char *val = (const char *)ev->data.scalar.value;
	size_t len = ev->data.scalar.length;
	struct lab_yv *v;

	if (len > NSC_LAB_MAX_SCALAR)
		return lab_err(l->file, mark_pos(ev->start_mark), l->e,
			       "value longer than %d bytes", NSC_LAB_MAX_SCALAR);
	if (memchr(val, '\0', len))
		return lab_err(l->file, mark_pos(ev->start_mark), l->e,
			       "value contains a NUL character");
	v = yv_new(LAB_YV_SCALAR, ev->start_mark, len);
	if (!v)
		return nsc_err(l->e, ENOMEM, "read \"%s\"", l->file);
	v->str = (char *)(v + 1);
	memcpy(v->str, val, len);
	v->len = (uint32_t)len;
	v->quoted = ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE;
	return place(l, v);
}

static int on_start(struct loader *l, const yaml_event_t *ev, enum lab_yv_type type)
{
	struct lab_yv *v;

	if (l->depth == NSC_LAB_MAX_DEPTH)
		return lab_err(l->file, mark_pos(ev->start_mark), l->e,
			       "nested deeper than %d levels", NSC_LAB_MAX_DEPTH);
	/* a map can't be a key: say so where it starts, not where it ends */
	if (l->depth && l->stack[l->depth - 1]->type == LAB_YV_MAP &&
	    !l->pending_key[l->depth - 1])
		return lab_err(l->file, mark_pos(ev->start_mark), l->e,
			       "a key must be a string, not %s",
			       type == LAB_YV_MAP ? "a map" : "a list");
	v = yv_new(type, ev->start_mark, 0);
	if (!v)
		return nsc_err(l->e, ENOMEM, "read \"%s\"", l->file);
	l->pending_key[l->depth] = NULL;
	l->stack[l->depth++] = v;
	return 0;
}

static int on_end(struct loader *l)
{
	struct lab_yv *v = l->stack[--l->depth];
	int ret;

	if (v->type == LAB_YV_MAP && (ret = check_dup_keys(l, v)) < 0) {
		lab_yaml_free(v);
		return ret;
	}
	fit(v);
	return place(l, v);
}

/* libyaml's own error, at its position. */
static int yaml_error(struct loader *l, const yaml_parser_t *p)
{
	struct nsc_lab_pos pos;

	switch (p->error) {
	case YAML_MEMORY_ERROR:
		return nsc_err(l->e, ENOMEM, "read \"%s\"", l->file);
	case YAML_READER_ERROR:
		pos = pos_of_offset(l->buf, l->len, p->problem_offset);
		if (p->problem_value != -1 && p->problem_value >= 0 && p->problem_value < 0x20)
			return lab_err(l->file, pos, l->e, "%s (byte 0x%02x)",
				       p->problem, (unsigned)p->problem_value);
		return lab_err(l->file, pos, l->e, "%s", p->problem);
	case YAML_SCANNER_ERROR:
	case YAML_PARSER_ERROR:
		pos = mark_pos(p->problem_mark);
		if (p->context)
			return lab_err(l->file, pos, l->e, "invalid YAML: %s (%s at line %zu, column %zu)",
				       p->problem, p->context,
				       p->context_mark.line + 1, p->context_mark.column + 1);
		return lab_err(l->file, pos, l->e, "invalid YAML: %s", p->problem);
	default:
		return lab_err(l->file, (struct nsc_lab_pos){ 1, 1 }, l->e,
			       "invalid YAML: %s", p->problem ? p->problem : "unknown error");
	}
}

/* What an event of a value says about itself: an anchor, a tag. */
static void value_props(const yaml_event_t *ev, const yaml_char_t **anchor,
			const yaml_char_t **tag)
{
	*anchor = *tag = NULL;
	if (ev->type == YAML_SCALAR_EVENT) {
		*anchor = ev->data.scalar.anchor;
		*tag = ev->data.scalar.tag;
	} else if (ev->type == YAML_SEQUENCE_START_EVENT) {
		*anchor = ev->data.sequence_start.anchor;
		*tag = ev->data.sequence_start.tag;
	} else if (ev->type == YAML_MAPPING_START_EVENT) {
		*anchor = ev->data.mapping_start.anchor;
		*tag = ev->data.mapping_start.tag;
	}
}

/* Handle one event; *done once the stream ends. */
static int on_event(struct loader *l, const yaml_event_t *ev, bool *done)
{
	struct nsc_lab_pos pos = mark_pos(ev->start_mark);
	const yaml_char_t *anchor, *tag;

	switch (ev->type) {
	case YAML_DOCUMENT_START_EVENT:
		if (l->root)
			return lab_err(l->file, pos, l->e,
				       "more than one YAML document (\"---\")");
		return 0;
	case YAML_STREAM_END_EVENT:
		*done = true;
		if (!l->root)
			return lab_err(l->file, (struct nsc_lab_pos){ 1, 1 }, l->e,
				       "empty file: no YAML document");
		return 0;
	case YAML_ALIAS_EVENT:
		return lab_err(l->file, pos, l->e, "aliases (\"*name\") are not allowed");
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		return on_end(l);
	case YAML_SCALAR_EVENT:
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT:
		break;
	default:                /* stream start, document end */
		return 0;
	}
	value_props(ev, &anchor, &tag);
	if (anchor)
		return lab_err(l->file, pos, l->e, "anchors (\"&name\") are not allowed");
	if (tag)
		return lab_err(l->file, pos, l->e, "tags (\"!tag\") are not allowed");
	if (++l->values > NSC_LAB_MAX_VALUES)
		return lab_err(l->file, pos, l->e, "more than %d values in the file",
			       NSC_LAB_MAX_VALUES);
	if (ev->type == YAML_SCALAR_EVENT)
		return on_scalar(l, ev);
	return on_start(l, ev, ev->type == YAML_MAPPING_START_EVENT ? LAB_YV_MAP : LAB_YV_SEQ);
}

int lab_yaml_load(const char *buf, size_t len, const char *file,
		  struct lab_yv **root, struct nsc_error *e)
{
	struct loader l = { .buf = buf, .file = file, .len = len, .e = e };
	yaml_parser_t parser;
	bool done = false;
	size_t bad;
	int ret = 0;

	bad = utf8_invalid(buf, len);
	if (bad < len)
		return lab_err(file, pos_of_offset(buf, len, bad), e,
			       "not UTF-8 text (byte 0x%02x)", (unsigned char)buf[bad]);
	if (!yaml_parser_initialize(&parser))
		return nsc_err(e, ENOMEM, "read \"%s\"", file);
	/* UTF-16 never gets here (its BOM is not UTF-8), so libyaml's own
	 * detection sees UTF-8, and skips a UTF-8 BOM */
	yaml_parser_set_input_string(&parser, (const unsigned char *)buf, len);
	while (!done) {
		yaml_event_t ev;

		if (!yaml_parser_parse(&parser, &ev)) {
			ret = yaml_error(&l, &parser);
			goto cleanup;
		}
		ret = on_event(&l, &ev, &done);
		yaml_event_delete(&ev);
		if (ret < 0)
			goto cleanup;
	}
	*root = l.root;
	l.root = NULL;
cleanup:
	yaml_parser_delete(&parser);
	/* what was half built: open collections and their keys */
	while (l.depth > 0) {
		l.depth--;
		lab_yaml_free(l.pending_key[l.depth]);
		lab_yaml_free(l.stack[l.depth]);
	}
	lab_yaml_free(l.root);
	return ret;
}
