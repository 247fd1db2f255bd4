// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The floor: what the kernel itself costs for a lab, with as little as
 * possible around it. Reads steps (as tests/bench/gen-star --way floor
 * writes them, the same steps every other way runs) on standard input and
 * does each with one netlink request at a time over libmnl, or the fewest
 * syscalls that do the job:
 *
 *   ns NAME                  mknod the name file, unshare(CLONE_NEWNET) in
 *                            this very thread (no thread, no child: nothing
 *                            else runs in the root namespace afterwards),
 *                            bind-mount, open a netlink socket inside and
 *                            an fd on the namespace, set lo up
 *   bridge NS DEV            RTM_NEWLINK create, kind bridge
 *   up NS DEV                RTM_NEWLINK by name, IFF_UP
 *   addr NS A.B.C.D/LEN DEV  RTM_NEWADDR (DEV's index looked up once)
 *   veth NS DEV PEERNS PEER  RTM_NEWLINK in NS, peer put in PEERNS with
 *                            IFLA_NET_NS_FD
 *   master-up NS DEV MASTER  RTM_NEWLINK by name, IFLA_MASTER, IFF_UP
 *   route NS GW              RTM_NEWROUTE default via GW, protocol boot
 *   del NAME                 umount2(MNT_DETACH) + unlink, as ip netns del
 *
 * Not installed, not a test: a benchmark tool. Usage: floor RUN_DIR < steps
 * With FLOOR_PROFILE set, the time spent in each kind of step (and in the
 * first and last tenth of them, to see which grows with the lab) goes to
 * standard error.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <linux/if.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <libmnl/libmnl.h>

struct ns {
	char name[NAME_MAX + 1];
	struct mnl_socket *nl;
	unsigned portid, seq;
	int fd;                         /* the namespace, for IFLA_NET_NS_FD */
	char ifname[IFNAMSIZ];          /* one cached name -> index */
	int ifindex;
};

static struct ns *nss;
static size_t nns, capns;
static const char *run_dir;
static char buf[32768];

static void die(const char *what, const char *obj, int err)
{
	fprintf(stderr, "floor: %s %s: %s\n", what, obj, strerror(err));
	exit(1);
}

static struct ns *find(const char *name)
{
	/* the last one made is the one asked for, nearly always */
	for (size_t i = nns; i-- > 0;)
		if (!strcmp(nss[i].name, name))
			return &nss[i];
	fprintf(stderr, "floor: no namespace %s\n", name);
	exit(1);
}

static struct nlmsghdr *req(int type, int flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	return nlh;
}

static int ifindex_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);

	*(int *)data = ifi->ifi_index;
	return MNL_CB_OK;
}

/* Send, read the answer (ack or error, data to cb). */
static void talk(struct ns *n, struct nlmsghdr *nlh, mnl_cb_t cb, void *data,
		 const char *what)
{
	ssize_t len;
	int ret;

	nlh->nlmsg_seq = ++n->seq;
	if (mnl_socket_sendto(n->nl, nlh, nlh->nlmsg_len) < 0)
		die(what, n->name, errno);
	do {
		len = mnl_socket_recvfrom(n->nl, buf, sizeof(buf));
		if (len < 0)
			die(what, n->name, errno);
		ret = mnl_cb_run(buf, (size_t)len, n->seq, n->portid, cb, data);
	} while (ret > 0 && cb);        /* a GET answers with data, then the ack */
	if (ret < 0)
		die(what, n->name, errno);
}

static int ifindex(struct ns *n, const char *dev)
{
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifi;

	if (n->ifindex && !strcmp(n->ifname, dev))
		return n->ifindex;
	nlh = req(RTM_GETLINK, 0);
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, dev);
	n->ifindex = 0;
	talk(n, nlh, ifindex_cb, &n->ifindex, "ifindex");
	snprintf(n->ifname, sizeof(n->ifname), "%s", dev);
	return n->ifindex;
}

/* RTM_NEWLINK on an existing device, by name (the kernel looks it up). */
static void link_set(struct ns *n, const char *dev, int master)
{
	struct nlmsghdr *nlh = req(RTM_NEWLINK, 0);
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));

	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_flags = IFF_UP;
	ifi->ifi_change = IFF_UP;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, dev);
	if (master)
		mnl_attr_put_u32(nlh, IFLA_MASTER, (uint32_t)master);
	talk(n, nlh, NULL, NULL, dev);
}

static void ns_make(const char *name)
{
	char path[PATH_MAX];
	struct ns *n;
	int one = 1;

	if (nns == capns) {
		capns = capns ? capns * 2 : 64;
		nss = realloc(nss, capns * sizeof(*nss));
		if (!nss)
			die("ns", name, ENOMEM);
	}
	n = &nss[nns++];
	memset(n, 0, sizeof(*n));
	snprintf(n->name, sizeof(n->name), "%s", name);
	snprintf(path, sizeof(path), "%s/%s", run_dir, name);
	if (mknod(path, S_IFREG, 0) < 0)
		die("create", path, errno);
	if (unshare(CLONE_NEWNET) < 0)
		die("unshare", name, errno);
	if (mount("/proc/thread-self/ns/net", path, "none", MS_BIND, NULL) < 0)
		die("mount", path, errno);
	n->fd = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (n->fd < 0)
		die("open ns", name, errno);
	n->nl = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
	if (!n->nl || mnl_socket_bind(n->nl, 0, MNL_SOCKET_AUTOPID) < 0)
		die("netlink", name, errno);
	mnl_socket_setsockopt(n->nl, NETLINK_CAP_ACK, &one, sizeof(one));
	n->portid = mnl_socket_get_portid(n->nl);

	/* lo up: index 1 in a new namespace */
	struct nlmsghdr *nlh = req(RTM_NEWLINK, 0);
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));

	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = 1;
	ifi->ifi_flags = IFF_UP;
	ifi->ifi_change = IFF_UP;
	talk(n, nlh, NULL, NULL, "lo up");
}

static void bridge(struct ns *n, const char *dev)
{
	struct nlmsghdr *nlh = req(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	struct nlattr *li;

	ifi->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, dev);
	li = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "bridge");
	mnl_attr_nest_end(nlh, li);
	talk(n, nlh, NULL, NULL, dev);
}

static void veth(struct ns *n, const char *dev, struct ns *pn, const char *peer)
{
	struct nlmsghdr *nlh = req(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	struct nlattr *li, *data, *pi;

	ifi->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, dev);
	li = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "veth");
	data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	pi = mnl_attr_nest_start(nlh, VETH_INFO_PEER);
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, peer);
	mnl_attr_put_u32(nlh, IFLA_NET_NS_FD, (uint32_t)pn->fd);
	mnl_attr_nest_end(nlh, pi);
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, li);
	talk(n, nlh, NULL, NULL, dev);
}

static void addr(struct ns *n, const char *prefix, const char *dev)
{
	char a[INET_ADDRSTRLEN];
	const char *slash = strchr(prefix, '/');
	struct nlmsghdr *nlh;
	struct ifaddrmsg *ifa;
	struct in_addr in;
	int idx = ifindex(n, dev);

	if (!slash || (size_t)(slash - prefix) >= sizeof(a))
		die("addr", prefix, EINVAL);
	memcpy(a, prefix, (size_t)(slash - prefix));
	a[slash - prefix] = '\0';
	if (inet_pton(AF_INET, a, &in) != 1)
		die("addr", prefix, EINVAL);
	nlh = req(RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL);
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = AF_INET;
	ifa->ifa_prefixlen = (unsigned char)atoi(slash + 1);
	ifa->ifa_index = (unsigned)idx;
	mnl_attr_put(nlh, IFA_LOCAL, sizeof(in), &in);
	mnl_attr_put(nlh, IFA_ADDRESS, sizeof(in), &in);
	talk(n, nlh, NULL, NULL, prefix);
}

static void route(struct ns *n, const char *gw)
{
	struct nlmsghdr *nlh = req(RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL);
	struct rtmsg *rt = mnl_nlmsg_put_extra_header(nlh, sizeof(*rt));
	struct in_addr in;

	if (inet_pton(AF_INET, gw, &in) != 1)
		die("route", gw, EINVAL);
	rt->rtm_family = AF_INET;
	rt->rtm_table = RT_TABLE_MAIN;
	rt->rtm_protocol = RTPROT_BOOT;
	rt->rtm_scope = RT_SCOPE_UNIVERSE;
	rt->rtm_type = RTN_UNICAST;
	mnl_attr_put(nlh, RTA_GATEWAY, sizeof(in), &in);
	talk(n, nlh, NULL, NULL, "route");
}

static void del(const char *name)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", run_dir, name);
	if (umount2(path, MNT_DETACH) < 0)
		die("umount", path, errno);
	if (unlink(path) < 0)
		die("unlink", path, errno);
}

/* As ip does once: the run dir a shared mount point of its own. */
static void run_dir_prepare(void)
{
	if (mkdir(run_dir, 0755) < 0 && errno != EEXIST)
		die("mkdir", run_dir, errno);
	if (mount("", run_dir, "none", MS_SHARED | MS_REC, NULL) == 0)
		return;
	if (mount(run_dir, run_dir, "none", MS_BIND | MS_REC, NULL) < 0 ||
	    mount("", run_dir, "none", MS_PRIVATE, NULL) < 0 ||
	    mount("", run_dir, "none", MS_SHARED | MS_REC, NULL) < 0)
		die("mount", run_dir, errno);
}

/* Per kind of step: count, total, and the first/last tenth's totals. */
#define KINDS 8
static const char *const kinds[KINDS] = {
	"ns", "bridge", "up", "addr", "veth", "master-up", "route", "del",
};
static struct {
	unsigned n;
	double total;
	double t[2048];         /* each step's time, the first 2048 */
} prof[KINDS];

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void prof_add(const char *kind, double dt)
{
	for (int k = 0; k < KINDS; k++) {
		if (strcmp(kinds[k], kind))
			continue;
		if (prof[k].n < 2048)
			prof[k].t[prof[k].n] = dt;
		prof[k].n++;
		prof[k].total += dt;
	}
}

static void prof_print(void)
{
	fprintf(stderr, "%-10s %6s %10s %12s %12s\n", "step", "count", "total ms",
		"first10% us", "last10% us");
	for (int k = 0; k < KINDS; k++) {
		unsigned n = prof[k].n < 2048 ? prof[k].n : 2048, tenth = n / 10 ? n / 10 : 1;
		double a = 0, b = 0;

		if (!prof[k].n)
			continue;
		for (unsigned i = 0; i < tenth && i < n; i++) {
			a += prof[k].t[i];
			b += prof[k].t[n - 1 - i];
		}
		fprintf(stderr, "%-10s %6u %10.1f %12.1f %12.1f\n", kinds[k], prof[k].n,
			prof[k].total * 1e3, a / tenth * 1e6, b / tenth * 1e6);
	}
}

int main(int argc, char **argv)
{
	bool profile = getenv("FLOOR_PROFILE") != NULL;
	double t0 = 0;
	char line[512], w[5][NAME_MAX + 1];
	struct rlimit rl;
	bool prepared = false;

	if (argc != 2) {
		fputs("usage: floor RUN_DIR < steps\n", stderr);
		return 2;
	}
	run_dir = argv[1];
	/* two fds per namespace, all kept: this is a benchmark, not a tool */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	while (fgets(line, sizeof(line), stdin)) {
		int k = sscanf(line, "%255s %255s %255s %255s %255s", w[0], w[1], w[2], w[3], w[4]);

		if (k <= 0 || w[0][0] == '#')
			continue;
		if (profile)
			t0 = now();
		if (!strcmp(w[0], "ns") && k == 2) {
			if (!prepared)
				run_dir_prepare();
			prepared = true;
			ns_make(w[1]);
		} else if (!strcmp(w[0], "bridge") && k == 3) {
			bridge(find(w[1]), w[2]);
		} else if (!strcmp(w[0], "up") && k == 3) {
			link_set(find(w[1]), w[2], 0);
		} else if (!strcmp(w[0], "addr") && k == 4) {
			addr(find(w[1]), w[2], w[3]);
		} else if (!strcmp(w[0], "veth") && k == 5) {
			veth(find(w[1]), w[2], find(w[3]), w[4]);
		} else if (!strcmp(w[0], "master-up") && k == 4) {
			struct ns *n = find(w[1]);

			link_set(n, w[2], ifindex(n, w[3]));
		} else if (!strcmp(w[0], "route") && k == 3) {
			route(find(w[1]), w[2]);
		} else if (!strcmp(w[0], "del") && k == 2) {
			del(w[1]);
		} else {
			fprintf(stderr, "floor: bad step: %s", line);
			return 2;
		}
		if (profile)
			prof_add(w[0], now() - t0);
	}
	if (profile)
		prof_print();
	return 0;
}
