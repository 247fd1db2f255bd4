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

/* Fill e: code, usage, the message, and strerror(code) after it if asked. */
__attribute__((format(printf, 5, 0)))
static int vfill(struct nsc_error *e, int code, bool usage, bool reason,
		 const char *fmt, va_list ap)
{
	size_t len;

	if (code < 0)
		code = -code;
	if (!e)
		return -code;
	e->code = code;
	e->usage = usage;
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	if (reason) {
		len = strlen(e->msg);
		snprintf(e->msg + len, sizeof(e->msg) - len, ": %s", strerror(code));
	}
	return -code;
}

int nsc_err(struct nsc_error *e, int code, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = vfill(e, code, false, true, fmt, ap);
	va_end(ap);
	return ret;
}

int nsc_err_text(struct nsc_error *e, int code, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = vfill(e, code, false, false, fmt, ap);
	va_end(ap);
	return ret;
}

int nsc_usage(struct nsc_error *e, const char *fmt, ...)
{
	va_list ap;
	int ret;

	if (e)
		e->ext_ack[0] = '\0';
	va_start(ap, fmt);
	ret = vfill(e, EINVAL, true, false, fmt, ap);
	va_end(ap);
	return ret;
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
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	len = strlen(e->msg);
	snprintf(e->msg + len, sizeof(e->msg) - len, "%s%s",
		 old[0] ? ": " : "", old);
	return -e->code;
}
