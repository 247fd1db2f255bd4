// SPDX-License-Identifier: GPL-2.0-or-later
/* pcap and pcapng files, written by hand: see base/pcapfile.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/pcapfile.h"

#define PCAP_MAGIC_USEC 0xa1b2c3d4u
#define PCAPNG_SHB 0x0a0d0d0au
#define PCAPNG_IDB 0x00000001u
#define PCAPNG_EPB 0x00000006u
#define PCAPNG_BOM 0x1a2b3c4du
#define OPT_END 0
#define OPT_SHB_USERAPPL 4
#define OPT_IF_NAME 2
#define OPT_IF_DESCRIPTION 3

/* room for the largest packet (snap length 262144) and its block, and for
 * a few hundred full-size packets per write() */
#define BUF_SIZE (512 * 1024)

struct nsc_pcapfile {
	int fd;
	bool ng;
	size_t used;
	unsigned char buf[BUF_SIZE];
};

static size_t pad4(size_t n)
{
	return (n + 3) & ~(size_t)3;
}

int nsc_pcapfile_new(int fd, bool ng, struct nsc_pcapfile **out)
{
	struct nsc_pcapfile *w = malloc(sizeof(*w));

	if (!w)
		return -ENOMEM;
	w->fd = fd;
	w->ng = ng;
	w->used = 0;
	*out = w;
	return 0;
}

void nsc_pcapfile_free(struct nsc_pcapfile *w)
{
	free(w);
}

int nsc_pcapfile_flush(struct nsc_pcapfile *w)
{
	size_t done = 0;

	while (done < w->used) {
		ssize_t n = write(w->fd, w->buf + done, w->used - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		done += (size_t)n;
	}
	w->used = 0;
	return 0;
}

/* Room for LEN more bytes (flushing first if needed): 0 or -errno. */
static int room(struct nsc_pcapfile *w, size_t len)
{
	if (len > sizeof(w->buf))
		return -EMSGSIZE;
	if (w->used + len > sizeof(w->buf))
		return nsc_pcapfile_flush(w);
	return 0;
}

static void put(struct nsc_pcapfile *w, const void *p, size_t len)
{
	memcpy(w->buf + w->used, p, len);
	w->used += len;
}

static void put32(struct nsc_pcapfile *w, uint32_t v)
{
	put(w, &v, 4);
}

static void put16(struct nsc_pcapfile *w, uint16_t v)
{
	put(w, &v, 2);
}

/* LEN bytes of P, then zeros to the next 32-bit boundary */
static void put_padded(struct nsc_pcapfile *w, const void *p, size_t len)
{
	static const unsigned char zero[4];

	put(w, p, len);
	put(w, zero, pad4(len) - len);
}

/* pcapng options: a string option's size on the wire; its bytes */
static size_t opt_size(const char *s)
{
	return s ? 4 + pad4(strlen(s)) : 0;
}

static void put_opt(struct nsc_pcapfile *w, uint16_t code, const char *s)
{
	/* a value is at most 65535 bytes: longer names are cut (never happens
	 * for interface names; the caller's strings are short) */
	size_t len = s ? strlen(s) : 0;

	if (!s)
		return;
	if (len > 0xffff)
		len = 0xffff;
	put16(w, code);
	put16(w, (uint16_t)len);
	put_padded(w, s, len);
}

static int put_shb(struct nsc_pcapfile *w, const char *app)
{
	size_t opts = app ? opt_size(app) + 4 : 0;
	uint32_t total = (uint32_t)(28 + opts);
	int64_t section_len = -1;       /* unknown: we stream */
	int ret;

	if ((ret = room(w, total)) < 0)
		return ret;
	put32(w, PCAPNG_SHB);
	put32(w, total);
	put32(w, PCAPNG_BOM);
	put16(w, 1);                    /* version 1.0 */
	put16(w, 0);
	put(w, &section_len, 8);
	if (app) {
		put_opt(w, OPT_SHB_USERAPPL, app);
		put32(w, OPT_END);
	}
	put32(w, total);
	return 0;
}

static int put_idb(struct nsc_pcapfile *w, const struct nsc_pcapfile_if *f)
{
	size_t opts = opt_size(f->name) + opt_size(f->descr);
	uint32_t total;
	int ret;

	if (opts)
		opts += 4;              /* opt_endofopt */
	total = (uint32_t)(20 + opts);
	if ((ret = room(w, total)) < 0)
		return ret;
	put32(w, PCAPNG_IDB);
	put32(w, total);
	put16(w, f->linktype);
	put16(w, 0);                    /* reserved */
	put32(w, f->snaplen);
	if (opts) {
		put_opt(w, OPT_IF_NAME, f->name);
		put_opt(w, OPT_IF_DESCRIPTION, f->descr);
		put32(w, OPT_END);
	}
	put32(w, total);
	return 0;
}

int nsc_pcapfile_header(struct nsc_pcapfile *w, const char *app,
			const struct nsc_pcapfile_if *ifs, size_t n)
{
	int ret;

	if (!w->ng) {
		if (n != 1)
			return -EINVAL;
		if ((ret = room(w, 24)) < 0)
			return ret;
		put32(w, PCAP_MAGIC_USEC);
		put16(w, 2);            /* version 2.4 */
		put16(w, 4);
		put32(w, 0);            /* thiszone */
		put32(w, 0);            /* sigfigs */
		put32(w, ifs[0].snaplen);
		put32(w, ifs[0].linktype);
		return 0;
	}
	if ((ret = put_shb(w, app)) < 0)
		return ret;
	for (size_t i = 0; i < n; i++)
		if ((ret = put_idb(w, &ifs[i])) < 0)
			return ret;
	return 0;
}

int nsc_pcapfile_packet(struct nsc_pcapfile *w, uint32_t ifidx, int64_t sec,
			uint32_t usec, uint32_t caplen, uint32_t len, const void *data)
{
	int ret;

	if (!w->ng) {
		if ((ret = room(w, 16 + (size_t)caplen)) < 0)
			return ret;
		put32(w, (uint32_t)sec);
		put32(w, usec);
		put32(w, caplen);
		put32(w, len);
		put(w, data, caplen);
		return 0;
	} else {
		uint64_t ts = (uint64_t)sec * 1000000u + usec;
		uint32_t total = (uint32_t)(32 + pad4(caplen));

		if ((ret = room(w, total)) < 0)
			return ret;
		put32(w, PCAPNG_EPB);
		put32(w, total);
		put32(w, ifidx);
		put32(w, (uint32_t)(ts >> 32));
		put32(w, (uint32_t)ts);
		put32(w, caplen);
		put32(w, len);
		put_padded(w, data, caplen);
		put32(w, total);
		return 0;
	}
}
