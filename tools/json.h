/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A small streaming JSON writer: commas, nesting, escaping, -p indenting. */
#ifndef NETNSCTL_JSON_H
#define NETNSCTL_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define JSON_MAX_DEPTH 16

struct json {
	FILE *f;
	bool pretty;
	int depth;
	bool first[JSON_MAX_DEPTH];     /* nothing written at this level yet */
	bool after_key;
};

void json_init(struct json *j, FILE *f, bool pretty);
void json_obj_open(struct json *j);
void json_obj_close(struct json *j);
void json_arr_open(struct json *j);
void json_arr_close(struct json *j);
void json_key(struct json *j, const char *key);
void json_str(struct json *j, const char *s);
void json_int(struct json *j, int64_t v);
void json_uint(struct json *j, uint64_t v);
void json_bool(struct json *j, bool v);
void json_double(struct json *j, double v);
void json_null(struct json *j);
/* Finish a top-level value with a newline. */
void json_end(struct json *j);

/* key + value shorthands */
void json_kv_str(struct json *j, const char *key, const char *s);
void json_kv_int(struct json *j, const char *key, int64_t v);
void json_kv_uint(struct json *j, const char *key, uint64_t v);
void json_kv_bool(struct json *j, const char *key, bool v);
void json_kv_double(struct json *j, const char *key, double v);
/* a string, or null when s is NULL */
void json_kv_str_or_null(struct json *j, const char *key, const char *s);

#endif
