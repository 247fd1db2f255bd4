// SPDX-License-Identifier: GPL-2.0-or-later
/* lab: labs described in a file (netnsctl-lab(5)). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "capture.h"
#include "lab_print.h"
#include "impair.h"
#include "subcmd.h"

static const char lab_help[] =
	"Usage: netnsctl lab COMMAND [ARGS...]\n"
	"Labs: namespaces, links, addresses and routes described in one YAML file\n"
	"(netnsctl-lab(5)).\n\n"
	"Commands:\n"
	"  validate FILE              check FILE (- for standard input), print a summary\n"
	"  apply [--dry-run] [--prune] [--no-ready] [--ready] [-v]\n"
	"        [--host NAME|--all-hosts] FILE\n"
	"                             bring the system to FILE\n"
	"  diff [--prune] [--host NAME|--all-hosts] FILE|NAME\n"
	"                             the differences, one a line (exit 1 on drift)\n"
	"  destroy [--kill] [--host NAME|--all-hosts] FILE|NAME\n"
	"                             remove what the lab made (its services first)\n"
	"  list [--host NAME]         labs with state here\n"
	"  show [--host NAME] FILE|NAME\n"
	"                             nodes, bridges, links, addresses, and what exists\n"
	"  graph FILE|NAME            the lab as a Graphviz graph (dot -Tsvg)\n"
	"  exec [-u USER] NAME NODE CMD [ARG...]\n"
	"                             run CMD in node NODE (exec NAME.NODE ...)\n"
	"  capture NAME [NODE IF] [--link N|NODE:IF] [--bridge BRIDGE] [OPTS] [FILTER]\n"
	"                             capture packets to a pcap(ng) file\n"
	"  gc                         remove the state of labs from an earlier boot\n"
	"  ps NAME [NODE]             the lab's services: state, pid, exit status, restarts\n"
	"  logs NAME NODE SERVICE [-f] [-n LINES]\n"
	"                             what a service wrote\n"
	"  impair NAME NODE IFNAME {KEY VALUE...|clear}\n"
	"                             impair a link end until the next apply\n\n"
	"See netnsctl-lab(8).\n";

static const char validate_help[] =
	"Usage: netnsctl lab validate FILE\n"
	"Check lab file FILE (- for standard input) without changing anything.\n"
	"Prints \"NAME: N nodes, N bridges, N links, N ready checks\" (with -j, a JSON\n"
	"object); the first error is one line, FILE:LINE:COLUMN: what, and exit 2.\n"
	"A ping or tcp ready check whose way the file breaks (a node with no route\n"
	"to the address...) is a warning on standard error; the exit status stays 0.\n";

static const char apply_help[] =
	"Usage: netnsctl lab apply [--dry-run] [--prune] [--no-ready] [--ready] [-v]\n"
	"                          [--host NAME|--all-hosts] FILE\n"
	"Bring the system to lab FILE (- for standard input): make what is missing,\n"
	"change what differs, run exec commands, start services, then run the ready\n"
	"checks (ping, tcp, cmd, service: all at once); a second apply of\n"
	"an unchanged file changes nothing (\"NAME: up to date\").\n"
	"  --dry-run    print the plan as netnsctl batch lines (netnsctl -b), change nothing\n"
	"  --prune      also remove what the lab made that FILE no longer has\n"
	"  --no-ready   skip the ready checks\n"
	"  --ready      run the ready checks even when nothing was to do\n"
	"  -v           list each change made\n"
	"  --host NAME  a lab with hosts: make only what the file places on NAME\n"
	"  --all-hosts  run each host's share there (its via), all at once\n";

static const char diff_help[] =
	"Usage: netnsctl [-j] lab diff [--prune] [--host NAME|--all-hosts] FILE|NAME\n"
	"Print each difference between lab FILE (or lab NAME as last applied) and the\n"
	"system, one a line; exit 0 when they match, 1 when they differ, 2 on error.\n"
	"With --prune, say what apply --prune would remove. A lab with hosts: --host\n"
	"NAME compares NAME's share, --all-hosts every host's (through its via).\n";

static const char destroy_help[] =
	"Usage: netnsctl lab destroy [--kill] [--host NAME|--all-hosts] FILE|NAME\n"
	"Remove what lab NAME (or the lab FILE describes) made, from its state alone:\n"
	"the file is not needed. The lab's services are stopped first (SIGTERM, then\n"
	"SIGKILL after 5 s). Namespaces with the lab's names that it did not make\n"
	"are left alone, with a warning. --all-hosts: on every host of FILE.\n"
	"  --kill   also end every other process inside the lab's namespaces\n";

static const char list_help[] =
	"Usage: netnsctl [-j] lab list [--host NAME]\n"
	"List the labs with state here: name, namespaces made, state, file. Each\n"
	"host keeps the state of its own share: --host is accepted for symmetry.\n";

static const char show_help[] =
	"Usage: netnsctl [-j] lab show [--host NAME] FILE|NAME\n"
	"Show a lab's nodes, bridges and links with their interfaces and addresses,\n"
	"routes, neighbours, sysctls and commands, and whether each namespace and\n"
	"link exists (present, absent, or foreign: there but not made by the lab).\n"
	"--host NAME: only what the file places on host NAME.\n";

static const char graph_help[] =
	"Usage: netnsctl lab graph FILE|NAME\n"
	"Print the lab as a Graphviz graph: nodes, bridges, and links labelled with\n"
	"interface names and addresses. Render it with: dot -Tsvg -o lab.svg\n";

static const char exec_help[] =
	"Usage: netnsctl lab exec [-u USER] NAME NODE CMD [ARG...]\n"
	"Run CMD inside node NODE of lab NAME, as netnsctl exec NAME.NODE CMD does\n"
	"(same exit status: CMD's; 125 netnsctl failed, 126 cannot run, 127 not found).\n";

static const char capture_help[] =
	"Usage: netnsctl lab capture FILE|NAME [NODE IF] [--link N|NODE:IF]...\n"
	"                [--bridge BRIDGE]... [-w FILE|-] [-c COUNT] [--duration SECONDS]\n"
	"                [-s SNAPLEN] [-p] [--immediate-mode] [-B KIB] [--pcapng]\n"
	"                [--] [FILTER...]\n"
	"Capture packets in a lab, as netnsctl capture does: on interface IF of NODE,\n"
	"on an end of a link (the Nth link of the file, from 1, or the end NODE:IF),\n"
	"on every port of a bridge. Several interfaces go to one pcapng file, each\n"
	"named NODE:IF (a bridge port BRIDGE:PORT). NODE IF come right after the lab;\n"
	"the options are capture's (netnsctl capture -h). See netnsctl-capture(8).\n";

static const char gc_help[] =
	"Usage: netnsctl lab gc\n"
	"Remove the state of labs applied in an earlier boot (nothing they made can\n"
	"still exist), naming each.\n";

/* ---- FILE or NAME ---- */

/* k->op: what the argument may be, and what the command prints */
enum {
	LAB_NAMES = 1 << 0,     /* a lab's name as well as a FILE */
	LAB_DOT = 1 << 1,       /* DOT: -j does not apply */
};

/* "-" and any path that exists are files; anything else names a lab with state here */
static bool is_file(const char *arg)
{
	struct stat sb;

	return !strcmp(arg, "-") || stat(arg, &sb) == 0;
}

/* A lab file, or standard input for "-". */
static int read_lab(const char *file, struct nsc_lab **lab, struct nsc_error *e)
{
	if (!strcmp(file, "-"))
		return nsc_lab_read_fd(STDIN_FILENO, "<stdin>", lab, e);
	return nsc_lab_read_file(file, lab, e);
}

/* An argument that is no file must be a lab's name. */
static int lab_name(struct kargs *k, const char *arg)
{
	struct nsc_error e = { 0 };

	if (nsc_lab_name_check(arg, &e) < 0)
		return ka_usage(k, "no file or lab \"%s\"", arg);
	return EXIT_OK;
}

/*
 * The lab ARG names: a file, read and checked, or (with LAB_NAMES) a lab
 * with state here, its recorded copy; info is filled for that one, and
 * *has_info says so (both may be NULL).
 */
static int lab_get(struct kargs *k, const char *arg, struct nsc_lab **lab,
		   struct nsc_lab_info *info, bool *has_info)
{
	struct nsc_error e = { 0 };
	int ret;

	*lab = NULL;
	if (has_info)
		*has_info = false;
	if (!(k->op & LAB_NAMES) || is_file(arg)) {
		ret = read_lab(arg, lab, &e);
	} else {
		if (lab_name(k, arg) != EXIT_OK)
			return EXIT_USAGE;
		ret = nsc_lab_load(k->c->ctx, NULL, arg, lab, info, &e);
		if (has_info)
			*has_info = ret == 0 && info;
	}
	if (ret < 0)
		return cli_error(k->c, &e);
	return EXIT_OK;
}

/* Parse "[OPTS] ARG": flags from a table, then exactly one argument. */
struct lab_flag {
	const char *name;
	bool *set;
	const char **value;             /* a flag that takes a value: it */
};

/* Options may come after the argument too ("lab apply - --host NAME"). */
static int lab_args(struct kargs *k, const struct lab_flag *flags, const char **arg)
{
	int i, argc = k->argc;
	char **argv = k->argv;
	const char *found_arg = NULL;

	for (i = 1; i < argc; i++) {
		bool found = false;

		if (argv[i][0] != '-' || !argv[i][1]) {
			if (found_arg || !arg)
				return ka_usage(k, "unexpected argument \"%s\"", argv[i]);
			found_arg = argv[i];
			continue;
		}
		if (!strcmp(argv[i], "--")) {
			i++;
			break;
		}
		for (const struct lab_flag *f = flags; f && f->name && !found; f++) {
			if (strcmp(argv[i], f->name))
				continue;
			found = true;
			if (f->set)
				*f->set = true;
			if (f->value && i + 1 == argc)
				return ka_usage(k, "%s needs a value", f->name);
			if (f->value)
				*f->value = argv[++i];
		}
		if (!found) {
			char m[96];

			k->i = i;       /* "did you mean": the flags it could have been */
			for (const struct lab_flag *f = flags; f && f->name; f++)
				ka_could_be(k, f->name);
			return ka_usage(k, "unknown option \"%s\"%s", argv[i],
					ka_meant(k, m, sizeof(m)));
		}
	}
	if (!arg)
		return i < argc ? ka_usage(k, "unexpected argument \"%s\"", argv[i]) : EXIT_OK;
	if (!found_arg && i < argc)
		found_arg = argv[i++];
	if (!found_arg)
		return ka_usage(k, "missing FILE%s", k->op & LAB_NAMES ? " or NAME" : "");
	if (i < argc)
		return ka_usage(k, "unexpected argument \"%s\"", argv[i]);
	*arg = found_arg;
	return EXIT_OK;
}

/* The batch pre-pass checks a file, and leaves standard input alone. */
static int check_arg(struct kargs *k, const char *arg)
{
	struct nsc_error e = { 0 };
	struct nsc_lab *lab = NULL;

	if (!strcmp(arg, "-"))
		return EXIT_OK;
	if ((k->op & LAB_NAMES) && !is_file(arg))
		return lab_name(k, arg);
	if (nsc_lab_read_file(arg, &lab, &e) < 0)
		return cli_error(k->c, &e);
	nsc_lab_free(lab);
	return EXIT_OK;
}

enum { LAB_CHECKED = -1 };

/*
 * "[OPTS] FILE|NAME" and the lab it names, for the commands that act on
 * one: EXIT_OK with *lab, LAB_CHECKED when the batch pre-pass stops here
 * (the argument checked), or an exit code after printing why.
 */
static int lab_open(struct kargs *k, const struct lab_flag *flags, struct nsc_lab **lab,
		    struct nsc_lab_info *info, bool *has_info)
{
	const char *arg;
	int ret;

	if ((ret = lab_args(k, flags, &arg)) != EXIT_OK)
		return ret;
	if ((k->op & LAB_DOT) && k->c->json)
		return ka_usage(k, "prints DOT, not JSON (-j does not apply)");
	if (k->c->check_only)
		return (ret = check_arg(k, arg)) == EXIT_OK ? LAB_CHECKED : ret;
	return lab_get(k, arg, lab, info, has_info);
}

/* ---- hosts ---- */

/* --host NAME and --all-hosts, as the lab commands take them. */
struct lab_hosts {
	const char *host;
	bool all;
};
#define LAB_HOST_FLAGS(h) { "--host", NULL, &(h).host }, { "--all-hosts", &(h).all, NULL }

/*
 * A lab with hosts: --host NAME cuts it down to NAME's share, --all-hosts
 * leaves it whole for lab_hosts_run(). A command that acts (NEED) on one
 * must be told which. A lab without hosts takes neither.
 */
static int lab_place(struct kargs *k, struct nsc_lab *lab, const struct lab_hosts *h, bool need)
{
	struct nsc_error e = { 0 };

	if (h->host && h->all)
		return ka_usage(k, "--host and --all-hosts: one or the other");
	if ((h->host || h->all) && !lab->n_hosts)
		return ka_usage(k, "lab \"%s\" has no \"hosts\" (--%s)", lab->name,
				h->all ? "all-hosts" : "host");
	if (h->all && k->c->json)
		return ka_usage(k, "--all-hosts prints each host's lines, not JSON (-j does not apply)");
	if (!h->host)
		return !h->all && need && lab->n_hosts ?
		       ka_usage(k, "lab \"%s\" spans hosts: give --host NAME or --all-hosts",
				lab->name) : EXIT_OK;
	if (nsc_lab_share(k->c->ctx, lab, h->host, &e) < 0)
		return cli_error(k->c, &e);
	/* packets over the underlay's MTU would be dropped, not fragmented */
	for (size_t i = 0; i < lab->n_vxlans; i++)
		if (lab->vxlans[i].mtu > lab->vxlans[i].max_mtu)
			cli_warn(k->c, "%s:%u:%u: mtu %u of a VXLAN link is more than underlay %s "
				 "leaves (%u)", lab->file, lab->vxlans[i].pos.line,
				 lab->vxlans[i].pos.col, lab->vxlans[i].mtu, lab->vxlans[i].dev,
				 lab->vxlans[i].max_mtu);
	return EXIT_OK;
}

/* The worst exit of the hosts, as one command's: 0, 1 (drift or failure), 2. */
static int hosts_exit(int worst, bool diff)
{
	if (!worst)
		return EXIT_OK;
	return diff && worst != EXIT_FAIL ? EXIT_USAGE : EXIT_FAIL;
}

/*
 * apply --all-hosts: every host's share at once, without its ready checks;
 * then, once all are up, each check on the host of its "from" node.
 */
static int apply_all(struct kargs *k, const struct nsc_lab *lab, const struct nsc_lab_opts *o,
		     bool verbose)
{
	bool ready = lab->n_ready && !o->no_ready && !o->dry_run, *only;
	const char *args[8];
	size_t n = 0;
	int worst, ret;

	args[n++] = "apply";
	if (o->dry_run)
		args[n++] = "--dry-run";
	if (o->prune)
		args[n++] = "--prune";
	if (verbose)
		args[n++] = "-v";
	if (lab->n_ready)
		args[n++] = "--no-ready";
	if ((ret = lab_hosts_run(k->c, lab, NULL, args, n, &worst)) != EXIT_OK || worst || !ready)
		return ret != EXIT_OK ? ret : hosts_exit(worst, false);
	if (!(only = calloc(lab->n_hosts, sizeof(*only))))
		return cli_usage(k->c, "out of memory");
	for (size_t i = 0; i < lab->n_ready; i++)
		only[lab->ready[i].from->host - lab->hosts] = true;
	args[n - 1] = "--ready";
	ret = lab_hosts_run(k->c, lab, only, args, n, &worst);
	free(only);
	return ret != EXIT_OK ? ret : hosts_exit(worst, false);
}

/* diff [--prune], destroy [--kill] --all-hosts: FLAG (or NULL) passed on to every host */
static int verb_all(struct kargs *k, const struct nsc_lab *lab, const char *verb, const char *flag)
{
	const char *args[2] = { verb, flag };
	int worst, ret = lab_hosts_run(k->c, lab, NULL, args, flag ? 2 : 1, &worst);

	return ret != EXIT_OK ? ret : hosts_exit(worst, !strcmp(verb, "diff"));
}

/* ---- validate ---- */

/* A ping or tcp check whose way the file itself breaks: a warning (the
 * file is valid; a routing daemon or an exec command may mend the way). */
static void warn_ready_paths(const struct cli *c, const struct nsc_lab *lab)
{
	for (size_t i = 0; i < lab->n_ready; i++) {
		const struct nsc_lab_ready *r = &lab->ready[i];
		char way[NSC_ERR_MSG_MAX], what[320], file[256];
		const char *verb = r->kind == NSC_LAB_READY_TCP ? "connect to" : "ping";
		const char *target;

		if (nsc_lab_ready_path(lab, r, way, sizeof(way)) <= 0)
			continue;
		/* "left pings ADDR" -> ADDR */
		nsc_lab_ready_str(r, what, sizeof(what));
		target = strrchr(what, ' ') + 1;
		cli_warn(c, "%s:%u:%u: ready: node \"%s\" cannot %s %s: %s",
			 nsc_printable(lab->file, file, sizeof(file)), r->pos.line, r->pos.col,
			 r->from->name, verb, target, way);
	}
}

static int lab_validate(struct kargs *k)
{
	struct nsc_error e = { 0 };
	struct nsc_lab *lab = NULL;
	struct cli *c = k->c;
	const char *file;
	int ret;

	if ((ret = lab_args(k, NULL, &file)) != EXIT_OK)
		return ret;
	/* a batch's pre-pass must leave standard input to the real run */
	if (c->check_only && !strcmp(file, "-"))
		return EXIT_OK;
	if (read_lab(file, &lab, &e) < 0)
		return cli_error(c, &e);
	if (!c->check_only) {
		warn_ready_paths(c, lab);
		lab_report_summary(c, lab);
	}
	nsc_lab_free(lab);
	return EXIT_OK;
}

/* ---- apply ---- */

static int lab_apply(struct kargs *k)
{
	struct nsc_lab_opts o = NSC_LAB_OPTS_INIT;
	struct nsc_lab_report r = { 0 };
	struct nsc_error e = { 0 };
	struct cli *c = k->c;
	struct lab_hosts h = { 0 };
	struct nsc_lab *lab;
	bool verbose = false;
	const struct lab_flag flags[] = {
		{ "--dry-run", &o.dry_run }, { "--prune", &o.prune },
		{ "--no-ready", &o.no_ready }, { "--ready", &o.force_ready },
		{ "-v", &verbose }, { "--verbose", &verbose }, LAB_HOST_FLAGS(h),
		{ NULL, NULL },
	};
	int ret;

	if ((ret = lab_open(k, flags, &lab, NULL, NULL)) != EXIT_OK)
		return ret == LAB_CHECKED ? EXIT_OK : ret;
	if ((ret = lab_place(k, lab, &h, true)) != EXIT_OK || h.all) {
		if (ret == EXIT_OK)
			ret = apply_all(k, lab, &o, verbose);
		nsc_lab_free(lab);
		return ret;
	}
	if (!o.dry_run && nsc_mntns_isolated() && !getenv("NETNSCTL_QUIET_MNTNS"))
		cli_warn(c, "this mount namespace is not the host's: namespaces added here "
			 "may be invisible (stale) outside it");
	/* commands' output must not break JSON */
	if (c->json)
		o.exec_stdout = STDERR_FILENO;
	o.jobs = cli_jobs(c);
	fflush(stdout);
	if (nsc_lab_apply(c->ctx, lab, &o, &r, &e) < 0) {
		ret = cli_error(c, &e);
	} else {
		if (o.dry_run)
			lab_report_plan(c, lab, &r);
		else
			lab_report_applied(c, lab, &r, verbose);
		if (r.holders)
			cli_warn(c, "lab \"%s\": %u process%s still inside removed namespaces "
				 "keep%s them alive", lab->name, r.holders, r.holders == 1 ? "" : "es",
				 r.holders == 1 ? "s" : "");
	}
	nsc_lab_report_free(&r);
	nsc_lab_free(lab);
	return ret;
}

/* ---- diff ---- */

/* The differences, one a line (a JSON array): exit 1 when there are some, 2 on error. */
static int diff(struct cli *c, const struct nsc_lab *lab, const struct nsc_lab_opts *o)
{
	struct nsc_lab_report r = { 0 };
	struct nsc_error e = { 0 };
	int ret;

	if (nsc_lab_diff(c->ctx, lab, o, &r, &e) < 0) {
		cli_error(c, &e);
		ret = EXIT_USAGE;
	} else {
		cli_list_open(c);
		lab_report_items(c, &r, false, 0);
		cli_list_close(c);
		ret = r.n_items ? EXIT_FAIL : EXIT_OK;
	}
	nsc_lab_report_free(&r);
	return ret;
}

static int lab_diff(struct kargs *k)
{
	struct nsc_lab_opts o = NSC_LAB_OPTS_INIT;
	struct lab_hosts h = { 0 };
	const struct lab_flag flags[] = { { "--prune", &o.prune }, LAB_HOST_FLAGS(h),
					  { NULL, NULL } };
	struct nsc_lab *lab;
	int ret;

	/* 1 means drift: any error of the real run is 2 */
	if ((ret = lab_open(k, flags, &lab, NULL, NULL)) != EXIT_OK)
		return ret == LAB_CHECKED ? EXIT_OK : k->c->check_only ? ret : EXIT_USAGE;
	if ((ret = lab_place(k, lab, &h, true)) != EXIT_OK)
		ret = EXIT_USAGE;
	else if (h.all)
		ret = verb_all(k, lab, "diff", o.prune ? "--prune" : NULL);
	else
		ret = diff(k->c, lab, &o);
	nsc_lab_free(lab);
	return ret;
}

/* ---- destroy ---- */

static int lab_destroy(struct kargs *k)
{
	struct nsc_lab_opts o = NSC_LAB_OPTS_INIT;
	struct nsc_lab_report r = { 0 };
	struct nsc_error e = { 0 };
	struct nsc_lab *lab = NULL;
	struct lab_hosts h = { 0 };
	const struct lab_flag flags[] = {
		{ "--kill", &o.kill }, LAB_HOST_FLAGS(h), { NULL, NULL }
	};
	struct cli *c = k->c;
	const char *arg, *name;
	char p[80];
	int ret;

	if ((ret = lab_args(k, flags, &arg)) != EXIT_OK)
		return ret;
	if (c->check_only)
		return check_arg(k, arg);
	/* a name needs no file: the state says what the lab made */
	name = arg;
	if (is_file(arg)) {
		if (read_lab(arg, &lab, &e) < 0)
			return cli_error(c, &e);
		name = lab->name;
		/* each host's state is its share's: only the host is checked */
		if ((ret = lab_place(k, lab, &(struct lab_hosts){ .all = h.all }, false)) != EXIT_OK ||
		    (h.host && !nsc_lab_host(lab, h.host)))
			ret = ret != EXIT_OK ? ret :
			      ka_usage(k, "lab \"%s\" has no host \"%s\"", lab->name,
				       nsc_printable(h.host, p, sizeof(p)));
		else if (h.all)
			ret = verb_all(k, lab, "destroy", o.kill ? "--kill" : NULL);
		if (ret != EXIT_OK || h.all) {
			nsc_lab_free(lab);
			return ret;
		}
	} else if (lab_name(k, arg) != EXIT_OK) {
		return EXIT_USAGE;
	} else if (h.all) {
		return ka_usage(k, "--all-hosts needs the lab FILE (its hosts), not a name");
	}
	if (nsc_lab_destroy(c->ctx, name, &o, &r, &e) < 0) {
		ret = cli_error(c, &e);
	} else {
		for (size_t i = 0; i < r.n_items; i++)
			cli_warn(c, "%s: left alone: %s", r.items[i].netns, r.items[i].have);
		if (r.holders)
			cli_warn(c, "lab \"%s\": %u process%s still inside keep%s its namespaces "
				 "alive", name, r.holders, r.holders == 1 ? "" : "es",
				 r.holders == 1 ? "s" : "");
		lab_report_destroyed(c, name, &r);
	}
	nsc_lab_report_free(&r);
	nsc_lab_free(lab);
	return ret;
}

/* ---- list, show, graph ---- */

static int lab_list(struct kargs *k)
{
	struct nsc_error e = { 0 };
	struct nsc_lab_info *v;
	struct cli *c = k->c;
	const char *host = NULL;
	const struct lab_flag flags[] = { { "--host", NULL, &host }, { NULL, NULL } };
	size_t n;
	int ret;

	if ((ret = lab_args(k, flags, NULL)) != EXIT_OK)
		return ret;
	if (c->check_only)
		return EXIT_OK;
	if (nsc_lab_list(c->ctx, NULL, &v, &n, &e) < 0)
		return cli_error(c, &e);
	cli_list_open(c);
	for (size_t i = 0; i < n; i++)
		lab_report_info(c, &v[i]);
	cli_list_close(c);
	nsc_lab_info_free(v, n);
	return EXIT_OK;
}

static int lab_show(struct kargs *k)
{
	struct nsc_lab_status st = { 0 };
	struct nsc_error e = { 0 };
	struct nsc_lab_info info;
	struct cli *c = k->c;
	struct nsc_lab *lab;
	struct lab_hosts h = { 0 };
	const struct lab_flag flags[] = { { "--host", NULL, &h.host }, { NULL, NULL } };
	bool has_info;
	int ret;

	if ((ret = lab_open(k, flags, &lab, &info, &has_info)) != EXIT_OK)
		return ret == LAB_CHECKED ? EXIT_OK : ret;
	if ((ret = lab_place(k, lab, &h, false)) != EXIT_OK) {
		if (has_info) {
			free(info.name);
			free(info.file);
		}
		nsc_lab_free(lab);
		return ret;
	}
	if (!has_info) {
		/* a file: its state, if it was applied */
		struct nsc_lab *copy;

		if (nsc_lab_load(c->ctx, NULL, lab->name, &copy, &info, &e) == 0) {
			has_info = true;
			nsc_lab_free(copy);
		}
		nsc_error_clear(&e);
	}
	if (nsc_lab_status(c->ctx, lab, NULL, &st, &e) < 0) {
		ret = cli_error(c, &e);
	} else if (c->json) {
		lab_show_json(c->js, lab, has_info ? &info : NULL, &st);
		cli_json_end(c);
	} else {
		lab_show_text(stdout, lab, has_info ? &info : NULL, &st);
	}
	if (has_info) {
		free(info.name);
		free(info.file);
	}
	nsc_lab_status_free(&st);
	nsc_lab_free(lab);
	return ret;
}

static int lab_graph_cmd(struct kargs *k)
{
	struct nsc_lab *lab;
	int ret;

	if ((ret = lab_open(k, NULL, &lab, NULL, NULL)) != EXIT_OK)
		return ret == LAB_CHECKED ? EXIT_OK : ret;
	lab_graph(stdout, lab);
	nsc_lab_free(lab);
	return EXIT_OK;
}

/* ---- exec, gc ---- */

/* exec's options, then NAME NODE; 125 for any usage error, as exec */
static int exec_args(struct kargs *k, const char **user)
{
	int argc = k->argc;
	char **argv = k->argv;

	for (k->i = 1; k->i < argc && argv[k->i][0] == '-'; k->i++) {
		const char *a = argv[k->i];

		if ((!strcmp(a, "-u") || !strcmp(a, "--user")) && k->i + 1 < argc &&
		    *argv[k->i + 1]) {
			*user = argv[++k->i];
		} else if (!strcmp(a, "--")) {
			k->i++;
			break;
		} else {
			ka_usage(k, "%s \"%s\"", strncmp(a, "-u", 2) && strcmp(a, "--user") ?
				 "unknown option" : "needs a user name after", a);
			return EXIT_EXEC_FAIL;
		}
	}
	if (argc - k->i < 3) {
		ka_usage(k, "expected NAME NODE CMD [ARG...]");
		return EXIT_EXEC_FAIL;
	}
	return EXIT_OK;
}

/* NAME.NODE, the node's namespace: both parts must be names */
static int node_netns(struct kargs *k, const char *name, const char *node, char *netns,
		      size_t size)
{
	struct nsc_error e = { 0 };

	if (nsc_lab_name_check(name, &e) < 0 ||
	    (size_t)snprintf(netns, size, "%s.%s", name, node) >= size ||
	    nsc_name_check(netns, &e) < 0 || strchr(node, '.')) {
		if (!e.code)
			nsc_usage(&e, "lab exec: invalid node name \"%.64s\"", node);
		cli_error(k->c, &e);
		return EXIT_EXEC_FAIL;
	}
	return EXIT_OK;
}

/* The node must be one the lab has (as last applied). */
static int check_node(struct kargs *k, const char *name, const char *node)
{
	struct nsc_error e = { 0 };
	struct nsc_lab *lab = NULL;
	bool found;

	if (nsc_lab_load(k->c->ctx, NULL, name, &lab, NULL, &e) < 0) {
		cli_error(k->c, &e);
		return EXIT_EXEC_FAIL;
	}
	found = nsc_lab_node(lab, node) != NULL;
	nsc_lab_free(lab);
	if (!found) {
		ka_usage(k, "lab \"%s\" has no node \"%s\"", name, node);
		return EXIT_EXEC_FAIL;
	}
	return EXIT_OK;
}

static int lab_exec(struct kargs *k)
{
	const char *user = NULL, *name, *node;
	char netns[256], **xargv;
	int xargc = 0, ret;

	if ((ret = exec_args(k, &user)) != EXIT_OK)
		return ret;
	name = k->argv[k->i];
	node = k->argv[k->i + 1];
	if ((ret = node_netns(k, name, node, netns, sizeof(netns))) != EXIT_OK)
		return ret;
	if (k->c->check_only)
		return EXIT_OK;
	if ((ret = check_node(k, name, node)) != EXIT_OK)
		return ret;
	/* netnsctl exec [-u USER] -- NAME.NODE CMD [ARG...] */
	xargv = calloc((size_t)(k->argc - k->i) + 6, sizeof(*xargv));
	if (!xargv) {
		ka_usage(k, "%s", strerror(ENOMEM));
		return EXIT_EXEC_FAIL;
	}
	xargv[xargc++] = (char *)"exec";
	if (user) {
		xargv[xargc++] = (char *)"-u";
		xargv[xargc++] = (char *)user;
	}
	xargv[xargc++] = (char *)"--";
	xargv[xargc++] = netns;
	for (int i = k->i + 2; i < k->argc; i++)
		xargv[xargc++] = k->argv[i];
	ret = cmd_exec(k->c, xargc, xargv);
	free(xargv);
	return ret;
}

/* ---- capture ---- */

static int capture_lab(struct kargs *k, const char *arg, const struct capture_args *a,
		       const struct nsc_lab_capture_sel *sel)
{
	struct nsc_capture_if *ifs = NULL;
	struct nsc_error e = { 0 };
	struct nsc_lab *lab;
	size_t n = 0;
	int ret;

	if ((ret = lab_get(k, arg, &lab, NULL, NULL)) != EXIT_OK)
		return ret;
	if (nsc_lab_capture_ifs(lab, sel, &ifs, &n, &e) < 0)
		ret = cli_error(k->c, &e);
	else
		ret = capture_run(k->c, a, ifs, n);
	nsc_lab_capture_free(ifs, n);
	nsc_lab_free(lab);
	return ret;
}

static int lab_capture(struct kargs *k)
{
	struct capture_args a = { 0 };
	struct nsc_lab_capture_sel sel = { 0 };
	const char *arg;
	int ret;

	if (!ka_more(k) || ka_peek(k)[0] == '-')
		return ka_usage(k, "missing FILE or NAME");
	arg = k->argv[k->i++];
	if (ka_more(k) && ka_peek(k)[0] != '-') {
		sel.node = k->argv[k->i++];
		if (!ka_more(k))
			return ka_usage(k, "missing IF after node \"%s\"", sel.node);
		sel.ifname = k->argv[k->i++];
		if ((ret = ka_ifname_ok(k, sel.ifname)) != EXIT_OK)
			return ret;
	}
	if ((ret = capture_parse(k, &a, true)) != EXIT_OK)
		goto cleanup;
	sel.links = a.links;
	sel.n_links = a.n_links;
	sel.bridges = a.bridges;
	sel.n_bridges = a.n_bridges;
	if (!sel.node && !a.n_links && !a.n_bridges) {
		ret = ka_usage(k, "nothing to capture: give NODE IF, --link or --bridge");
		goto cleanup;
	}
	if (k->c->check_only)
		ret = check_arg(k, arg);
	else
		ret = capture_lab(k, arg, &a, &sel);
cleanup:
	capture_args_free(&a);
	return ret;
}

static int lab_gc(struct kargs *k)
{
	struct nsc_error e = { 0 };
	struct cli *c = k->c;
	char **names;
	size_t n;
	int ret;

	if ((ret = lab_args(k, NULL, NULL)) != EXIT_OK)
		return ret;
	if (c->check_only)
		return EXIT_OK;
	if (nsc_lab_gc(c->ctx, NULL, &names, &n, &e) < 0)
		return cli_error(c, &e);
	cli_list_open(c);
	for (size_t i = 0; i < n; i++) {
		if (c->json)
			json_str(c->js, names[i]);
		else
			printf("%s: state from an earlier boot removed\n", names[i]);
	}
	cli_list_close(c);
	nsc_strv_free(names, n);
	return EXIT_OK;
}

static const struct subcmd lab_cmds[] = {
	{ "validate", lab_validate, 0, validate_help },
	{ "apply", lab_apply, 0, apply_help },
	{ "diff", lab_diff, LAB_NAMES, diff_help },
	{ "destroy", lab_destroy, LAB_NAMES, destroy_help },
	{ "list ls", lab_list, 0, list_help },
	{ "show", lab_show, LAB_NAMES, show_help },
	{ "graph", lab_graph_cmd, LAB_NAMES | LAB_DOT, graph_help },
	{ "exec", lab_exec, 0, exec_help },
	{ "capture", lab_capture, LAB_NAMES, capture_help },
	{ "gc", lab_gc, 0, gc_help },
	{ "ps", lab_ps, 0, lab_ps_help },
	{ "logs", lab_logs, 0, lab_logs_help },
	{ "impair", lab_impair, 0, lab_impair_help },
};

const struct subcmds lab_group = {
	"lab", lab_help, SUBCMDS(lab_cmds), NULL, "-h", 0,
};
