/* cmd_demo.c - `slipway demo`: the fleet and advisories the project ships
 * (about 40 host reports built from real engine answers, real advisory
 * records of the kernel CNA, the Go vulnerability database, Ubuntu, the
 * Debian tracker, CISA KEV and FIRST EPSS, and a config with windows, a
 * freeze and groups), loaded through the real import paths (the feed
 * runner and the report importer) into a throwaway database, then opened
 * in the UI; `--print`, or no terminal, prints the plan as text instead.
 *
 * Where the demo data is (first that applies):
 *   SLIPWAY_DEMO_DIR              a directory laid out as installed:
 *                                 hosts/ (reports), slipway.conf, feeds/FEED/
 *   the source tree               when this executable is the one in the
 *                                 build directory it was configured for
 *                                 (tui/demo/ and feeds/demo/ of the tree)
 *   SLIPWAY_DATADIR/demo          the installed copy (meson install)
 *
 * The demo runs at a fixed time (DEMO_NOW, or --now / SLIPWAY_NOW), the
 * day after its reports were collected, so it shows the same screens on
 * every run. The temporary directory is removed on exit, also after
 * SIGINT, SIGTERM or SIGHUP. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "slipway-config.h"
#include "tui-demo-config.h"

#include "buf.h"
#include "cmd.h"
#include "feed.h"
#include "finding.h"
#include "kernel_cna.h"
#include "plan.h"
#include "report.h"
#include "run.h"
#include "tui.h"
#include "uiq.h"
#include "xalloc.h"
#include "banned.h"

#define DEMO_NOW "2026-11-24T08:00:00Z"

/* The feeds of the demo, in the order they are loaded, each from its
 * directory under feeds/ (every file in it is one source). */
static const char *const demo_feeds[] = {
	"kernel-cna", "osv-go", "osv-ubuntu", "debian-tracker", "kev", "epss",
};

/* kernel-cna has no row in the default feed table (its records come
 * from a vulns.git checkout, not a URL); the demo names its format. */
static const struct feed_def kernel_cna_def = {
	.name = "kernel-cna",
	.format = &feed_format_kernel_cna,
	.summary = "Linux kernel CNA records (vulns.git)",
};

/* The temporary directory and the files sqlite makes in it, for the
 * signal handler: fixed buffers, filled before the handler is set. */
static char tmp_dir[PATH_MAX];
static char tmp_files[3][PATH_MAX + 16];

static void remove_tmp(void)
{
	for (int i = 0; i < 3; i++)
		if (tmp_files[i][0])
			unlink(tmp_files[i]);
	if (tmp_dir[0])
		rmdir(tmp_dir);
}

static void on_signal(int sig)
{
	remove_tmp();
	signal(sig, SIG_DFL);
	raise(sig);
}

struct demo_paths {
	char hosts[PATH_MAX];
	char config[PATH_MAX];
	char feeds[PATH_MAX];
};

/* a/b into out; false when it does not fit */
static bool join(char *out, size_t n, const char *a, const char *b)
{
	int k = snprintf(out, n, "%s/%s", a, b);

	return k > 0 && (size_t)k < n;
}

static bool is_dir(const char *p)
{
	struct stat st;

	return !stat(p, &st) && S_ISDIR(st.st_mode);
}

static int demo_find(struct demo_paths *out, struct err *err)
{
	const char *env = getenv("SLIPWAY_DEMO_DIR");
	char exe[PATH_MAX], root[PATH_MAX];
	ssize_t n;

	if (env && *env) {
		int k = snprintf(root, sizeof(root), "%s", env);

		if (k < 0 || (size_t)k >= sizeof(root))
			return err_set(err, ERR_LIMIT, "SLIPWAY_DEMO_DIR is too long");
		goto installed;
	}
	/* the build tree: this executable sits in the build root */
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		char *slash;

		exe[n] = 0;
		slash = strrchr(exe, '/');
		if (slash)
			*slash = 0;
		if (!strcmp(exe, SLIPWAY_BUILD_ROOT_DIR) && is_dir(SLIPWAY_DEMO_SOURCE_HOSTS)) {
			join(out->hosts, sizeof(out->hosts), SLIPWAY_DEMO_SOURCE_HOSTS, "hosts");
			join(out->config, sizeof(out->config), SLIPWAY_DEMO_SOURCE_HOSTS,
			     "slipway.conf");
			snprintf(out->feeds, sizeof(out->feeds), "%s", SLIPWAY_DEMO_SOURCE_FEEDS);
			return 0;
		}
	}
	join(root, sizeof(root), SLIPWAY_DATADIR, "demo");
installed:
	if (!is_dir(root))
		return err_set(err, ERR_NOTFOUND, "no demo data at '%s' (set SLIPWAY_DEMO_DIR)", root);
	if (!join(out->hosts, sizeof(out->hosts), root, "hosts") ||
	    !join(out->config, sizeof(out->config), root, "slipway.conf") ||
	    !join(out->feeds, sizeof(out->feeds), root, "feeds"))
		return err_set(err, ERR_LIMIT, "demo path '%s' is too long", root);
	return 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The *.json files of dir, sorted (allocated paths). */
static int list_json(char ***out, size_t *nout, const char *dir, struct err *err)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **v = NULL;
	size_t n = 0, alloc = 0;

	if (!d)
		return err_set(err, ERR_IO, "cannot read '%s': %s", dir, strerror(errno));
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);
		char path[PATH_MAX];

		if (len < 6 || e->d_name[0] == '.' || strcmp(e->d_name + len - 5, ".json"))
			continue;
		if (!join(path, sizeof(path), dir, e->d_name))
			continue;
		XGROW(v, alloc, n + 1);
		v[n++] = xstrdup(path);
	}
	closedir(d);
	qsort(v, n, sizeof(*v), by_name);
	*out = v;
	*nout = n;
	return 0;
}

/* A feed directory holding a single file is read as that file, so a
 * one-document feed shipped compressed (EPSS's .csv.gz) is decompressed
 * (run.h: only a file named directly is). */
static void single_file(char *path, size_t n)
{
	DIR *d = opendir(path);
	struct dirent *e;
	char one[PATH_MAX] = "";
	int count = 0;

	if (!d)
		return;
	while ((e = readdir(d)))
		if (e->d_name[0] != '.' && count++ == 0)
			snprintf(one, sizeof(one), "%s", e->d_name);
	closedir(d);
	if (count == 1) {
		char full[PATH_MAX];
		struct stat st;

		if (join(full, sizeof(full), path, one) && !stat(full, &st) &&
		    S_ISREG(st.st_mode))
			snprintf(path, n, "%s", full);
	}
}

static int load_feeds(struct store *s, const char *feeds, int64_t now, struct err *err)
{
	for (size_t i = 0; i < sizeof(demo_feeds) / sizeof(demo_feeds[0]); i++) {
		const struct feed_def *def = feed_def_find(demo_feeds[i]);
		struct run_source src = { .fd = -1 };
		struct run_options ro = { 0 };
		struct run_result res = { 0 };
		char path[PATH_MAX];
		int rc;

		if (!def && !strcmp(demo_feeds[i], "kernel-cna"))
			def = &kernel_cna_def;
		if (!def)
			return err_set(err, ERR_FAIL, "demo feed '%s' is unknown", demo_feeds[i]);
		if (!join(path, sizeof(path), feeds, demo_feeds[i]))
			return err_set(err, ERR_LIMIT, "demo path '%s' is too long", feeds);
		single_file(path, sizeof(path));
		src.path = path;
		ro.source = path;
		ro.now = now;
		if ((rc = run_feed(s, def, &src, 1, &ro, &res, err)))
			return err_prefix(err, "demo feed '%s'", def->name);
		if (res.rejected)
			return err_set(err, ERR_PARSE, "demo feed '%s': %ld records refused: %s",
				       def->name, res.rejected, res.first_reject.msg);
	}
	return 0;
}

static int load_hosts(struct store *s, const char *hosts, struct err *err)
{
	char **files = NULL;
	size_t n = 0;
	int rc;

	if ((rc = list_json(&files, &n, hosts, err)))
		return rc;
	if (!n)
		rc = err_set(err, ERR_NOTFOUND, "no host reports in '%s'", hosts);
	for (size_t i = 0; i < n && !rc; i++)
		rc = report_import_file(s, files[i], 0, NULL, err);
	for (size_t i = 0; i < n; i++)
		free(files[i]);
	free(files);
	return rc;
}

static int print_plan(struct store *s, const struct config *cfg,
		      const struct tui_options *opt, struct err *err)
{
	struct plan p;
	struct buf b;
	int rc;

	plan_init(&p);
	buf_init(&b, BUF_MAX_DEFAULT);
	rc = plan_load(&p, s, cfg, opt->now, opt->weeks, err);
	if (!rc)
		rc = plan_run(&p, err);
	if (!rc)
		rc = plan_write_text(&p, &b, err);
	if (!rc)
		fwrite(b.ptr, 1, b.len, stdout);
	buf_release(&b);
	plan_release(&p);
	return rc;
}

int cmd_demo(struct cli *cli, int argc, char **argv)
{
	struct tui_options opt = { 0 };
	struct demo_paths paths;
	struct finding_options fo = { 0 };
	struct config *cfg = NULL;
	struct store *s = NULL;
	struct err err;
	const char *tmp = getenv("TMPDIR");
	bool busy = false;
	int rc;

	(void)cli;
	opt.t0_ns = cmd_tui_clock_ns();
	if ((rc = cmd_tui_options(&opt, "demo", argc, argv)))
		return rc;
	if (!opt.now) {
		const char *env = getenv("SLIPWAY_NOW");

		if (uiq_parse_time(&opt.now, env && *env ? env : DEMO_NOW))
			uiq_parse_time(&opt.now, DEMO_NOW);
	}
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		opt.print = true;
	err_clear(&err);
	if (demo_find(&paths, &err))
		return cli_error(&err);
	if (config_load(&cfg, paths.config, true, &err))
		return cli_error(&err);
	if (!join(tmp_dir, sizeof(tmp_dir), tmp && *tmp ? tmp : "/tmp", "slipway-demo-XXXXXX") ||
	    !mkdtemp(tmp_dir)) {
		err_set(&err, ERR_IO, "cannot create a directory in '%s': %s",
			tmp && *tmp ? tmp : "/tmp", strerror(errno));
		tmp_dir[0] = 0;
		config_free(cfg);
		return cli_error(&err);
	}
	/* tmp_files hold tmp_dir and 16 bytes more: these always fit */
	if (!join(tmp_files[0], sizeof(tmp_files[0]), tmp_dir, "demo.db") ||
	    !join(tmp_files[1], sizeof(tmp_files[1]), tmp_dir, "demo.db-wal") ||
	    !join(tmp_files[2], sizeof(tmp_files[2]), tmp_dir, "demo.db-shm"))
		abort();
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGHUP, on_signal);
	rc = store_open(&s, tmp_files[0], &err);
	if (!rc)
		rc = load_feeds(s, paths.feeds, opt.now, &err);
	if (!rc)
		rc = load_hosts(s, paths.hosts, &err);
	if (!rc) {
		fo.policy = &cfg->policy;
		fo.now = opt.now;
		rc = finding_update_with(s, &fo, &err);
	}
	if (!rc) {
		opt.store = s;
		opt.config = cfg;
		opt.title = "demo";
		if (opt.print)
			rc = print_plan(s, cfg, &opt, &err);
		else
			rc = tui_run(&opt, &busy, &err);
	}
	store_close(s);
	/* the UI's worker may still read the config until the process exits */
	if (!busy)
		config_free(cfg);
	remove_tmp();
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	if (rc)
		return cli_error(&err);
	return EXIT_OK;
}
