// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A hosts file by its identity (lab/hosts.h): what apply wrote, as the
 * record keeps it, so that a no-op apply or a diff stats each file instead
 * of reading it (each file lists every node: reading them all grows with
 * the square of the lab). The identity is the inode (st_dev, st_ino: a
 * replacement is another inode), size, mtime and ctime with their ns (a
 * write, a chmod, a touch, even touch -r, moves ctime, which user space
 * cannot set back), and a hash of the text written, against which the
 * text the lab wants now is checked. Anything that differs: read and
 * compare, as without an identity.
 *
 * The record's key carries it: "hosts" alone (an older netnsctl's, or an
 * identity that could not be taken) or "hosts:DEV:INO:SIZE:MTIME:CTIME:HASH"
 * in hex. An older netnsctl reads either (the key of a hosts record is
 * what the file holds, not what names it) and writes "hosts" back when it
 * rewrites the file.
 */
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "lab/hosts.h"
#include "lab/model.h"

/* Hash of a text split as head (its first line, newline included) and
 * body: the body's hash computed once serves every node's file. */
uint64_t lab_hosts_hash_parts(const char *head, size_t head_len, uint64_t body_hash)
{
	return lab_hash(&body_hash, sizeof(body_hash), lab_hash(head, head_len, LAB_HASH_INIT));
}

uint64_t lab_hosts_body_hash(const char *body)
{
	return lab_hash(body, strlen(body), LAB_HASH_INIT);
}

uint64_t lab_hosts_text_hash(const char *text)
{
	const char *nl = strchr(text, '\n');
	size_t head = nl ? (size_t)(nl - text) + 1 : strlen(text);

	return lab_hosts_hash_parts(text, head, lab_hosts_body_hash(text + head));
}

static uint64_t ts_ns(struct timespec t)
{
	return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

void lab_hosts_id_of(const struct stat *sb, uint64_t hash, struct lab_hosts_id *id)
{
	*id = (struct lab_hosts_id){
		.dev = (uint64_t)sb->st_dev, .ino = (uint64_t)sb->st_ino,
		.size = (uint64_t)sb->st_size, .mtime = ts_ns(sb->st_mtim),
		.ctime = ts_ns(sb->st_ctim), .hash = hash, .set = true,
	};
}

const char *lab_hosts_key(const struct lab_hosts_id *id, char *buf, size_t size)
{
	if (!id || !id->set)
		return "hosts";
	snprintf(buf, size, "hosts:%" PRIx64 ":%" PRIx64 ":%" PRIx64 ":%" PRIx64 ":%" PRIx64
		 ":%016" PRIx64, id->dev, id->ino, id->size, id->mtime, id->ctime, id->hash);
	return buf;
}

void lab_hosts_key_parse(const char *key, struct lab_hosts_id *id)
{
	int end = 0;

	*id = (struct lab_hosts_id){ 0 };
	if (!key || strncmp(key, "hosts:", 6))
		return;
	if (sscanf(key + 6, "%" SCNx64 ":%" SCNx64 ":%" SCNx64 ":%" SCNx64 ":%" SCNx64
		   ":%" SCNx64 "%n", &id->dev, &id->ino, &id->size, &id->mtime, &id->ctime,
		   &id->hash, &end) == 6 && !key[6 + end])
		id->set = true;
}

bool lab_hosts_unchanged_at(int dfd, const char *netns, const struct lab_hosts_id *id,
			    uint64_t want_hash)
{
	char path[NAME_MAX + 8];
	struct lab_hosts_id now;
	struct stat sb;

	if (dfd < 0 || !id->set || id->hash != want_hash)
		return false;
	/* the node's directory itself, not a symlink put in its place (which
	 * "NETNS/hosts" would go through): hosts.c never goes through one */
	if (fstatat(dfd, netns, &sb, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISDIR(sb.st_mode))
		return false;
	snprintf(path, sizeof(path), "%s/hosts", netns);
	if (fstatat(dfd, path, &sb, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISREG(sb.st_mode))
		return false;
	lab_hosts_id_of(&sb, want_hash, &now);
	return now.dev == id->dev && now.ino == id->ino && now.size == id->size &&
	       now.mtime == id->mtime && now.ctime == id->ctime;
}
