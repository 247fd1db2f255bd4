// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <netnsctl/parse.h>
#include "base/util.h"

size_t nsc_printable_part(const char *s, char *buf, size_t size, bool backslash)
{
	const char *start = s;
	size_t i = 0;

	for (; *s && i + 5 < size; s++) {
		unsigned char c = (unsigned char)*s;

		if (c < 0x20 || c == 0x7f || (backslash && c == '\\'))
			i += (size_t)snprintf(buf + i, size - i, "\\x%02x", c);
		else
			buf[i++] = (char)c;
	}
	buf[i] = '\0';
	return (size_t)(s - start);
}

const char *nsc_printable(const char *s, char *buf, size_t size)
{
	size_t used = nsc_printable_part(s, buf, size, false);
	size_t i = strlen(buf);

	if (s[used] && i + 4 < size)
		memcpy(buf + i, "...", 4);
	return buf;
}

int nsc_mkdir_p(const char *path, mode_t mode)
{
	char buf[PATH_MAX];
	size_t len = strlen(path);

	if (len >= sizeof(buf))
		return -ENAMETOOLONG;
	memcpy(buf, path, len + 1);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, mode) < 0 && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(buf, mode) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}

int nsc_thread_run(void *(*fn)(void *), void *arg)
{
	pthread_attr_t attr;
	pthread_t t;
	int ret;

	if ((ret = pthread_attr_init(&attr)))
		return ret;
	/* room for the sanitizers' bookkeeping too */
	pthread_attr_setstacksize(&attr, 256 * 1024);
	ret = pthread_create(&t, &attr, fn, arg);
	pthread_attr_destroy(&attr);
	if (ret)
		return ret;
	pthread_join(t, NULL);
	return 0;
}

int nsc_grow(void *arrayp, size_t *cap, size_t need, size_t size)
{
	void *v;
	size_t n;

	if (need <= *cap)
		return 0;
	n = *cap ? *cap : 8;
	while (n < need) {
		if (n > SIZE_MAX / 2)
			return -ENOMEM;
		n *= 2;
	}
	if (n > SIZE_MAX / size)
		return -ENOMEM;
	memcpy(&v, arrayp, sizeof(v));
	v = realloc(v, n * size);
	if (!v)
		return -ENOMEM;
	memcpy(arrayp, &v, sizeof(v));
	*cap = n;
	return 0;
}
