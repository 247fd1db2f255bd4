/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NETNSCTL_ERROR_H
#define NETNSCTL_ERROR_H

#include <stdbool.h>
#include <stddef.h>

/*
 * One error type for the whole library. Every operation returns 0 or a
 * negative errno and, on failure, fills one of these: the message already
 * names the verb and the object ("add \"ns1\": File exists"), so the caller
 * only has to print it once, at the top.
 */
#define NSC_ERR_MSG_MAX 512
#define NSC_EXTACK_MAX 256

struct nsc_error {
	int code;                       /* positive errno, 0 when no error */
	bool usage;                     /* the input was wrong; nothing was tried */
	char msg[NSC_ERR_MSG_MAX];      /* "<verb> \"<object>\": <reason>" */
	char ext_ack[NSC_EXTACK_MAX];   /* the kernel's extended-ack text, or "" */
};

void nsc_error_clear(struct nsc_error *e);

/* Fill e with "<fmt...>: strerror(code)" and return -code. */
int nsc_err(struct nsc_error *e, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Fill e with exactly the formatted text as the reason; return -code. */
int nsc_err_text(struct nsc_error *e, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* A usage error: bad syntax or argument, caught before anything changed. */
int nsc_usage(struct nsc_error *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * Put a context in front of an error a lower layer already filled
 * ("link add \"veth0\"" + ": " + old message); keeps code and ext_ack.
 * Returns -e->code.
 */
int nsc_err_prefix(struct nsc_error *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
