/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NETNSCTL_RTNAMES_H
#define NETNSCTL_RTNAMES_H

#include <stddef.h>
#include <stdint.h>
#include <netnsctl/error.h>

/*
 * Names of route tables, protocols, scopes and types, as iproute2 spells
 * them: built-in names (main, local, kernel, boot, link, host, blackhole...)
 * plus those an administrator put in /etc/iproute2/rt_tables, rt_protos,
 * rt_scopes and the rt_tables.d/ and rt_protos.d/ "*.conf" files, so that a
 * table called "vpn" there is "vpn" here too. A NULL table means the
 * built-in names only.
 */
enum nsc_rtkind {
	NSC_RT_TABLE,                   /* 1..2^32-1 */
	NSC_RT_PROTO,                   /* RTPROT_*, 0..255 */
	NSC_RT_SCOPE,                   /* RT_SCOPE_*, 0..255 */
	NSC_RT_TYPE,                    /* RTN_*, 0..255; built in only */
	NSC_RT_KINDS,
};

struct nsc_rtnames;

/* confdir NULL: /etc/iproute2. Missing or unreadable files are not errors. */
int nsc_rtnames_load(struct nsc_rtnames **out, const char *confdir, struct nsc_error *e);
void nsc_rtnames_free(struct nsc_rtnames *names);

/*
 * The names as loaded once for the life of ctx: a batch of a thousand route
 * lines reads /etc/iproute2 once, not a thousand times.
 */
struct nsc_ctx;
int nsc_ctx_rtnames(struct nsc_ctx *ctx, const struct nsc_rtnames **out,
		    struct nsc_error *e);

/*
 * Add "ID NAME" lines (rt_tables format: '#' comments, decimal or 0x ids)
 * from text. Lines that do not parse are skipped, as are ids out of range
 * for the kind. Pure; returns 0 or -ENOMEM.
 */
int nsc_rtnames_add_text(struct nsc_rtnames *names, enum nsc_rtkind kind, const char *text);
/* An empty table (built-in names only), for nsc_rtnames_add_text. */
int nsc_rtnames_new(struct nsc_rtnames **out);

/*
 * A name or a number into an id. A usage error names the kind
 * ("invalid table \"x\"") or the range.
 */
int nsc_rtname_parse(const struct nsc_rtnames *names, enum nsc_rtkind kind,
		     const char *s, uint32_t *id, struct nsc_error *e);

/* The name of id, or its decimal number when it has none. */
const char *nsc_rtname_str(const struct nsc_rtnames *names, enum nsc_rtkind kind,
			   uint32_t id, char *buf, size_t size);

#endif
