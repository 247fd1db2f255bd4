// SPDX-License-Identifier: GPL-2.0-or-later
/* The one error type: errno, a message that names verb and object, and the
 * kernel's extended-ack text. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <netnsctl/error.h>

void nsc_error_clear(struct nsc_error *e)
{
	if (!e)
		return;
	e->code = 0;
	e->usage = false;
	e->msg[0] = '\0';
	e->ext_ack[0] = '\0';
}

__attribute__((format(printf, 2, 0)))
static void vfill(struct nsc_error *e, const char *fmt, va_list ap)
{
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
}

int nsc_err(struct nsc_error *e, int code, const char *fmt, ...)
{
	va_list ap;
	size_t len;

	if (code < 0)
		code = -code;
	if (!e)
		return -code;
	e->code = code;
	e->usage = false;
	va_start(ap, fmt);
	vfill(e, fmt, ap);
	va_end(ap);
	len = strlen(e->msg);
	snprintf(e->msg + len, sizeof(e->msg) - len, ": %s", strerror(code));
	return -code;
}

int nsc_err_text(struct nsc_error *e, int code, const char *fmt, ...)
{
	va_list ap;

	if (code < 0)
		code = -code;
	if (!e)
		return -code;
	e->code = code;
	e->usage = false;
	va_start(ap, fmt);
	vfill(e, fmt, ap);
	va_end(ap);
	return -code;
}

int nsc_usage(struct nsc_error *e, const char *fmt, ...)
{
	va_list ap;

	if (!e)
		return -EINVAL;
	e->code = EINVAL;
	e->usage = true;
	e->ext_ack[0] = '\0';
	va_start(ap, fmt);
	vfill(e, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

int nsc_err_prefix(struct nsc_error *e, const char *fmt, ...)
{
	char old[NSC_ERR_MSG_MAX];
	va_list ap;
	size_t len;

	if (!e)
		return -EIO;
	if (!e->code)
		e->code = EIO;
	memcpy(old, e->msg, sizeof(old));
	va_start(ap, fmt);
	vfill(e, fmt, ap);
	va_end(ap);
	len = strlen(e->msg);
	snprintf(e->msg + len, sizeof(e->msg) - len, "%s%s",
		 old[0] ? ": " : "", old);
	return -e->code;
}
