// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A node's hosts file: /etc/netns/LAB.NODE/hosts, which netnsctl exec (and
 * ip netns exec) bind over /etc/hosts, so that node names resolve inside
 * the lab. What it says is made from the lab alone (every node's names,
 * "r1" and "r1.LAB", and each interface "r1-eth0", mapped to their
 * addresses); its first line is the lab's marker, which with the record
 * (REC_HOSTS) says the file is the lab's. Written as a temp file in the
 * etc netns directory itself (not in the node's directory, which exec binds
 * entry by entry over /etc), synced (one syncfs for all an apply writes)
 * and renamed over: a reader sees the old file or the new one, a symlink
 * there is replaced, never followed, and nothing is read, written or
 * removed through a node directory that is a symlink.
 * Directories are opened from "/" without following a symlink and must be
 * root's (or, in run's private world, ours): nsc_dir_open_trusted.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <netnsctl/exec.h>

#include "base/util.h"
#include "lab/hosts.h"
#include "lab/model.h"

/* "# netnsctl-lab:LAB " starts every hosts file of the lab's */
static void marker_line(const char *lab, char buf[300])
{
	char m[256];

	nsc_lab_marker(lab, m);
	snprintf(buf, 300, "# %s ", m);
}

/* "ADDR\tNAMES\n" for each address */
static void put_addrs(FILE *f, const struct nsc_lab_addr *v, size_t n, const char *names)
{
	char a[LAB_ADDRSTR];

	for (size_t i = 0; i < n; i++) {
		const struct nsc_prefix *p = &v[i].prefix;

		inet_ntop(p->family, p->addr, a, sizeof(a));
		fprintf(f, "%s\t%s\n", a, names);
	}
}

static void put_end(FILE *f, const struct nsc_lab *lab, const struct nsc_lab_node *node,
		    const struct nsc_lab_end *end)
{
	/* "NODE-IF NODE LAB.NODE": NODE twice and LAB.NODE may be NAME_MAX each */
	char names[3 * NAME_MAX + IFNAMSIZ + 8];

	if (end->kind != NSC_LAB_END_NODE || end->node != node || !end->n_addrs)
		return;
	snprintf(names, sizeof(names), "%s-%s %s %s.%s", node->name, end->ifname, node->name,
		 node->name, lab->name);
	put_addrs(f, end->addrs, end->n_addrs, names);
}

int lab_hosts_body(const struct nsc_lab *lab, char **out)
{
	char names[2 * NAME_MAX + 4];
	size_t len;
	FILE *f;

	*out = NULL;
	f = open_memstream(out, &len);
	if (!f)
		return -ENOMEM;
	fputs("127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n", f);
	/* every node: its loopback addresses, then its interfaces' in file order */
	for (size_t i = 0; i < lab->n_nodes; i++) {
		const struct nsc_lab_node *n = &lab->nodes[i];

		snprintf(names, sizeof(names), "%s %s.%s", n->name, n->name, lab->name);
		put_addrs(f, n->loopback, n->n_loopback, names);
		for (size_t j = 0; j < lab->n_links; j++) {
			put_end(f, lab, n, &lab->links[j].a);
			put_end(f, lab, n, &lab->links[j].b);
		}
		for (size_t j = 0; j < lab->n_vxlans; j++)
			put_end(f, lab, n, &lab->vxlans[j].end);
	}
	if (fclose(f) != 0 || !*out) {
		free(*out);
		*out = NULL;
		return -ENOMEM;
	}
	return 0;
}

/* The first line of NODE's hosts file, into buf: its length, or -1 when too long. */
static int hosts_head(const struct nsc_lab *lab, const struct nsc_lab_node *node, char *buf,
		      size_t size)
{
	char line[300];
	int n;

	marker_line(lab->name, line);
	n = snprintf(buf, size, "%shosts of %s: written by netnsctl lab apply, removed by "
		     "lab destroy; edits are undone\n", line, node->netns);
	return n < 0 || (size_t)n >= size ? -1 : n;
}

int lab_hosts_text(const struct nsc_lab *lab, const struct nsc_lab_node *node,
		   const char *body, char **out)
{
	char head[1024];

	if (hosts_head(lab, node, head, sizeof(head)) < 0 ||
	    asprintf(out, "%s%s", head, body) < 0) {
		*out = NULL;
		return -ENOMEM;
	}
	return 0;
}

bool lab_hosts_same(const struct nsc_lab *lab, const struct nsc_lab_node *node,
		    const char *body, const char *text)
{
	char head[1024];
	int n = hosts_head(lab, node, head, sizeof(head));

	return n >= 0 && !strncmp(text, head, (size_t)n) && !strcmp(text + n, body);
}

uint64_t lab_hosts_hash(const struct nsc_lab *lab, const struct nsc_lab_node *node,
			uint64_t body_hash)
{
	char head[1024];
	int n = hosts_head(lab, node, head, sizeof(head));

	return lab_hosts_hash_parts(head, n < 0 ? 0 : (size_t)n, body_hash);
}

bool lab_hosts_possible(void)
{
	const char *dir = nsc_etc_netns_dir();
	char parent[PATH_MAX], *slash;
	struct stat sb;

	if (stat(dir, &sb) == 0)
		return true;
	snprintf(parent, sizeof(parent), "%s", dir);
	slash = strrchr(parent, '/');
	if (!slash)
		return false;
	*slash = '\0';
	return access(*parent ? parent : "/", W_OK) == 0;
}

/* The etc netns dir (made when MAKE), trusted: an O_PATH fd or -errno. */
static int etc_open(bool make, struct nsc_error *e)
{
	return nsc_dir_open_trusted(nsc_etc_netns_dir(), make ? 0755 : 0, "hosts file: directory",
				    e);
}

int lab_hosts_dir(int *dfd, struct nsc_error *e)
{
	*dfd = etc_open(false, e);
	if (*dfd == -ENOENT) {
		nsc_error_clear(e);
		*dfd = -1;
	}
	return *dfd < -1 ? *dfd : 0;
}

/*
 * The node's directory in DFD: an O_PATH fd, or -errno. Never through a
 * symlink (O_NOFOLLOW on "NETNS/hosts" covers only its last part): the lab
 * makes a real directory, and a file reached through a link is elsewhere.
 */
static int node_dir(int dfd, const char *netns)
{
	int fd = openat(dfd, netns, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

int lab_hosts_read_at(int dfd, const char *lab, const char *netns,
		      enum lab_hosts_have *have, char **text, struct nsc_error *e)
{
	char path[NAME_MAX + 8], line[300], *buf = NULL;
	int ndfd = -1, fd = -1, ret;
	size_t len;

	*have = HOSTS_ABSENT;
	if (text)
		*text = NULL;
	if (dfd < 0)
		return 0;
	snprintf(path, sizeof(path), "%s/hosts", netns);
	ndfd = node_dir(dfd, netns);
	if (ndfd >= 0)
		fd = openat(ndfd, "hosts", O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		ret = ndfd < 0 ? ndfd : -errno;
		/* a symlink (the directory or the file), or not a directory: not
		 * ours to write */
		if (ret == -ENOTDIR || ret == -ELOOP)
			*have = HOSTS_OTHER;
		else if (ret != -ENOENT)
			nsc_err(e, -ret, "hosts file \"%s/%s\"", nsc_etc_netns_dir(), path);
		ret = ret == -ENOENT || *have == HOSTS_OTHER ? 0 : ret;
		goto cleanup;
	}
	ret = lab_read_all(fd, LAB_HOSTS_MAX, &buf, &len);
	if (ret == -EFBIG || ret == -EISDIR) {
		*have = HOSTS_OTHER;
		ret = 0;
		goto cleanup;
	}
	if (ret < 0) {
		nsc_err(e, -ret, "hosts file \"%s/%s\"", nsc_etc_netns_dir(), path);
		goto cleanup;
	}
	marker_line(lab, line);
	*have = strncmp(buf, line, strlen(line)) || strlen(buf) != len ? HOSTS_OTHER
								       : HOSTS_MARKED;
	if (text && *have == HOSTS_MARKED) {
		*text = buf;
		buf = NULL;
	}
cleanup:
	free(buf);
	if (fd >= 0)
		close(fd);
	if (ndfd >= 0)
		close(ndfd);
	return ret;
}

int lab_hosts_read(const char *lab, const char *netns, enum lab_hosts_have *have,
		   char **text, struct nsc_error *e)
{
	int dfd, ret = lab_hosts_dir(&dfd, e);

	if (ret == 0)
		ret = lab_hosts_read_at(dfd, lab, netns, have, text, e);
	if (dfd >= 0)
		close(dfd);
	return ret;
}

/*
 * ".NETNS.hosts.tmp" in the etc netns dir. A namespace name may take all of
 * NAME_MAX, too long for that: then its first 200 bytes and a hash of the
 * whole, still one name per namespace, which a later remove finds again.
 */
static void tmp_name(const char *netns, char buf[NAME_MAX + 16])
{
	size_t len = strlen(netns);

	if (len + sizeof(".hosts.tmp") <= NAME_MAX)
		snprintf(buf, NAME_MAX + 16, ".%s.hosts.tmp", netns);
	else
		snprintf(buf, NAME_MAX + 16, ".%.200s.%016llx.hosts.tmp", netns,
			 (unsigned long long)lab_hash(netns, len, LAB_HASH_INIT));
}

static int write_all(int fd, const char *text)
{
	size_t len = strlen(text), off = 0;

	while (off < len) {
		ssize_t n = write(fd, text + off, len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		off += (size_t)n;
	}
	return 0;
}

int lab_hosts_stage(const char *netns, const char *text, struct lab_hosts_id *id,
		    struct nsc_error *e)
{
	char tmp[NAME_MAX + 16], path[NAME_MAX + 8];
	int dfd, ndfd = -1, fd = -1, ret;
	const char *step = "make";

	dfd = etc_open(true, e);
	if (dfd < 0)
		return dfd;
	if (mkdirat(dfd, netns, 0755) < 0 && errno != EEXIST) {
		ret = -errno;
		goto fail;
	}
	/* a directory of ours, not a symlink planted there */
	ndfd = openat(dfd, netns, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (ndfd < 0) {
		ret = -errno;
		goto fail;
	}
	if ((ret = nsc_dir_trusted(ndfd, "hosts file: directory", netns, true, e)) < 0)
		goto cleanup;
	tmp_name(netns, tmp);
	unlinkat(dfd, tmp, 0);          /* left by a killed write */
	step = "write";
	fd = openat(dfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0 || fchmod(fd, 0644) < 0) {
		ret = -errno;
		goto fail;
	}
	if ((ret = write_all(fd, text)) < 0)
		goto fail;
	if (id)
		*id = (struct lab_hosts_id){ .size = strlen(text),
					     .hash = lab_hosts_text_hash(text), .set = true };
	ret = 0;
	goto cleanup;
fail:
	snprintf(path, sizeof(path), "%s/hosts", netns);
	nsc_err(e, -ret, "hosts file \"%s/%s\": %s", nsc_etc_netns_dir(), path, step);
	if (fd >= 0)
		unlinkat(dfd, tmp, 0);
cleanup:
	if (fd >= 0)
		close(fd);
	if (ndfd >= 0)
		close(ndfd);
	close(dfd);
	return ret;
}

static bool ts_before(struct timespec a, struct timespec b)
{
	return a.tv_sec < b.tv_sec || (a.tv_sec == b.tv_sec && a.tv_nsec < b.tv_nsec);
}

/*
 * The file's stat once the coarse clock (read before the stat) is past its
 * ctime: a change after that stat then gets a later ctime. (ctime is taken
 * from that clock, one tick of 1 to 10 ms, or finer and ahead of it with
 * multigrain timestamps: two changes within one tick could share a ctime.)
 * Waits at most *TRIES half-ms (the renames are a tick ago or less): false
 * then, and no more waits after (a clock stepped back waits once).
 */
static bool stat_settled(int fd, struct stat *sb, int *tries)
{
	struct timespec now, pause = { 0, 500 * 1000 };

	for (int i = 0; i < *tries; i++) {
		clock_gettime(CLOCK_REALTIME_COARSE, &now);
		if (fstat(fd, sb) < 0)
			return false;
		if (ts_before(sb->st_ctim, now))
			return true;
		nanosleep(&pause, NULL);
	}
	*tries = 0;
	return false;
}

/*
 * ID as staged (its text's hash and size) made whole from the file renamed
 * into place: stat'ed once settled, then read back through the same fd, its
 * text must be the one staged (not a write of someone else's after the
 * rename; one after the stat changes ctime). Else unset: the next no-op
 * reads and compares.
 */
static void settle_id(int dfd, const char *netns, struct lab_hosts_id *id, int *tries)
{
	int ndfd = node_dir(dfd, netns), fd = -1;
	uint64_t hash = id->hash, size = id->size;
	struct stat sb;
	char *buf = NULL;
	size_t len;

	id->set = false;
	if (ndfd < 0)
		return;
	fd = openat(ndfd, "hosts", O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd >= 0 && stat_settled(fd, &sb, tries) && S_ISREG(sb.st_mode) &&
	    (uint64_t)sb.st_size == size &&
	    lab_read_all(fd, LAB_HOSTS_MAX, &buf, &len) == 0 && len == size &&
	    strlen(buf) == len && lab_hosts_text_hash(buf) == hash)
		lab_hosts_id_of(&sb, hash, id);
	free(buf);
	if (fd >= 0)
		close(fd);
	close(ndfd);
}

int lab_hosts_commit(const char *const *netns, size_t n, struct lab_hosts_id *ids,
		     struct nsc_error *e)
{
	char tmp[NAME_MAX + 16];
	int dfd, ndfd, fd, ret = 0, tries = 50;

	dfd = etc_open(false, e);
	if (dfd < 0)
		return dfd;
	/* one flush for every file staged: not one fsync each (1.7 ms a file
	 * on an ext4 VM disk, more than the rest of a 100-node apply's files);
	 * syncfs wants an fd that is not O_PATH */
	fd = openat(dfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || syncfs(fd) < 0) {
		ret = nsc_err(e, errno, "hosts files: sync %s", nsc_etc_netns_dir());
		if (fd >= 0)
			close(fd);
		goto cleanup;
	}
	close(fd);
	for (size_t i = 0; i < n && ret == 0; i++) {
		tmp_name(netns[i], tmp);
		ndfd = openat(dfd, netns[i], O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (ndfd < 0 || renameat(dfd, tmp, ndfd, "hosts") < 0)
			ret = nsc_err(e, errno, "hosts file \"%s/%s/hosts\": rename",
				      nsc_etc_netns_dir(), netns[i]);
		if (ndfd >= 0)
			close(ndfd);
	}
	/* each file's identity, once all are in place */
	for (size_t i = 0; ret == 0 && ids && i < n; i++)
		if (ids[i].set)
			settle_id(dfd, netns[i], &ids[i], &tries);
cleanup:
	close(dfd);
	return ret;
}

int lab_hosts_remove_at(int dfd, const char *lab, const char *netns, struct nsc_error *e)
{
	char tmp[NAME_MAX + 16], path[NAME_MAX + 8];
	enum lab_hosts_have have;
	int ndfd = -1, ret;

	if (dfd < 0)
		return 0;
	if ((ret = lab_hosts_read_at(dfd, lab, netns, &have, NULL, e)) < 0)
		return ret;
	tmp_name(netns, tmp);
	unlinkat(dfd, tmp, 0);
	snprintf(path, sizeof(path), "%s/hosts", netns);
	/* in the directory that was read, not through a symlink put there since */
	if (have == HOSTS_MARKED && (ndfd = node_dir(dfd, netns)) >= 0 &&
	    unlinkat(ndfd, "hosts", 0) < 0 && errno != ENOENT) {
		ret = nsc_err(e, errno, "hosts file \"%s/%s\": remove", nsc_etc_netns_dir(), path);
		goto cleanup;
	}
	/* the directory only when nothing else is in it (a resolv.conf stays) */
	if (unlinkat(dfd, netns, AT_REMOVEDIR) < 0 && errno != ENOENT && errno != ENOTEMPTY &&
	    errno != EEXIST && errno != ENOTDIR) {
		ret = nsc_err(e, errno, "hosts file: remove directory \"%s/%s\"",
			      nsc_etc_netns_dir(), netns);
		goto cleanup;
	}
	ret = 0;
cleanup:
	if (ndfd >= 0)
		close(ndfd);
	return ret;
}

int lab_hosts_remove(const char *lab, const char *netns, struct nsc_error *e)
{
	int dfd, ret;

	if ((ret = lab_hosts_dir(&dfd, e)) < 0 || dfd < 0)
		return ret;
	ret = lab_hosts_remove_at(dfd, lab, netns, e);
	close(dfd);
	return ret;
}
