/* test_finding.c - unit tests of the matcher (src/finding.c): which feed
 * judges each host component, the fixing version, installed kernels, live
 * patches, the bundle, urgency and --fail-on. Advisories go in through
 * the real adapters and runner (osv, debian-tracker, kernel-cna, kev,
 * epss) from tests/data/feeds/; hosts through report_import() with
 * reports derived from tests/data/reports/docker-debian12.json (the real
 * Docker 20.10 answers): only host facts (name, os, kernel, packages) and
 * the engine's component versions are replaced, the container and image
 * inspect answers stay as the engine gave them. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "feed.h"
#include "finding.h"
#include "kernel_cna.h"
#include "osv.h"
#include "plan.h"
#include "report.h"
#include "run.h"
#include "store.h"
#include "testlib.h"

extern const struct feed_format feed_format_debian_tracker;
extern const struct feed_format feed_format_kev;
extern const struct feed_format feed_format_epss;

/* 2026-12-01T00:00:00Z: a week after the sample engine's image was built. */
#define NOW 1796083200LL
#define DAY 86400LL

static const struct feed_def def_go = { .name = "osv-go", .format = &feed_format_osv, .param = "Go" };
static const struct feed_def def_ubuntu = { .name = "osv-ubuntu", .format = &feed_format_osv, .param = "Ubuntu" };
static const struct feed_def def_cna = { .name = "kernel-cna", .format = &feed_format_kernel_cna };
static const struct feed_def def_tracker = { .name = "debian-tracker", .format = &feed_format_debian_tracker };

static struct store *store;
static char *base_report;

/* One feed run over one or two fixture paths (a run replaces the feed's
 * data, so one feed's paths go in one run, as `slipway import` does). */
static void run(const struct feed_def *def, const char *rel, const char *rel2)
{
	char path[2][1024];
	struct run_source src[2] = { { .fd = -1 }, { .fd = -1 } };
	struct run_options opts = { .source = "fixtures", .now = NOW - 10 * DAY };
	struct run_result res;
	struct err err;

	testlib_path(path[0], sizeof(path[0]), "feeds/%s", rel);
	testlib_path(path[1], sizeof(path[1]), "feeds/%s", rel2 ? rel2 : "");
	src[0].path = path[0];
	src[1].path = path[1];
	ck_assert_msg(run_feed(store, def, src, rel2 ? 2 : 1, &opts, &res, &err) == 0,
		      "%s: %s", rel, err.msg);
	ck_assert_int_eq(res.rejected, 0);
}

/* with_tracker false: a site that loads no Debian feed. */
static void load(bool with_tracker)
{
	struct err err;

	store = testlib_store(NULL);
	run(&def_go, "osv/go", "osv/ghsa");
	run(&def_cna, "kernel-cna", NULL);
	if (with_tracker) {
		run(&def_ubuntu, "osv/ubuntu", NULL);
		run(&def_tracker, "debian-tracker/containers-assembled.json", NULL);
	}
	/* CISA KEV lists CVE-2024-36971 (dateAdded 2024-08-07, the CISA-ADP
	 * "kev" entry of the real record in shared/samples/feeds/cvelistv5/);
	 * the stored catalog slice does not hold it (as in test_affected.c). */
	ck_assert_int_eq(store_exec(store, &err,
		"INSERT INTO kev(cve, vendor, product, date_added)"
		" VALUES ('CVE-2024-36971', 'Linux', 'Kernel',"
		" CAST(strftime('%s', '2024-08-07') AS INTEGER))", NULL), 1);
	base_report = testlib_slurp(NULL, "reports/docker-debian12.json");
}

static void setup_tracker(void)
{
	load(true);
}

static void setup_no_tracker(void)
{
	load(false);
}

static void teardown(void)
{
	store_close(store);
	store = NULL;
	free(base_report);
	base_report = NULL;
}

/* A docker Engine /version Components array with these versions (NULL:
 * the component is left out). */
static void components(char *out, size_t size, const char *engine,
		       const char *containerd, const char *runc)
{
	size_t n = 0;

	n += (size_t)snprintf(out + n, size - n, "[");
	if (engine)
		n += (size_t)snprintf(out + n, size - n,
			"{\"Name\":\"Engine\",\"Version\":\"%s\",\"Details\":{\"ApiVersion\":\"1.43\"}},",
			engine);
	if (containerd)
		n += (size_t)snprintf(out + n, size - n,
			"{\"Name\":\"containerd\",\"Version\":\"%s\",\"Details\":{\"GitCommit\":\"\"}},",
			containerd);
	if (runc)
		n += (size_t)snprintf(out + n, size - n,
			"{\"Name\":\"runc\",\"Version\":\"%s\",\"Details\":{\"GitCommit\":\"\"}},",
			runc);
	n += (size_t)snprintf(out + n, size - n,
		"{\"Name\":\"docker-init\",\"Version\":\"0.19.0\",\"Details\":{\"GitCommit\":\"\"}}]");
	ck_assert_uint_lt(n, size);
}

struct host_spec {
	const char *name;
	const char *os_id, *os_version;
	const char *kernel;        /* the report's kernel object */
	const char *packages;      /* JSON array */
	const char *components;    /* NULL: the real report's */
	const char *engine_version;/* $.engine.version.Version, NULL: keep */
	const char *containers;    /* JSON array of names kept; NULL: none */
};

/* A running Debian 12 kernel of the real report's shape. */
static const char deb12_kernel[] =
	"{\"release\":\"6.1.0-28-amd64\",\"version\":\"#1 SMP PREEMPT_DYNAMIC Debian 6.1.119-1 (2024-11-22)\","
	"\"package\":{\"name\":\"linux-image-6.1.0-28-amd64\",\"source\":\"linux-signed-amd64\",\"version\":\"6.1.119-1\"},"
	"\"installed\":[{\"release\":\"6.1.0-28-amd64\",\"package\":{\"name\":\"linux-image-6.1.0-28-amd64\","
	"\"source\":\"linux-signed-amd64\",\"version\":\"6.1.119-1\"}}],\"reboot_required\":false,\"livepatch\":null}";

static void import(const struct host_spec *h)
{
	char *doc = NULL;
	struct err err;

	ck_assert_msg(store_query_text(store, &doc, &err,
		"SELECT json_set(?1, '$.host.name', ?2, '$.os.id', ?3,"
		" '$.os.version_id', ?4, '$.os.pretty_name', ?2,"
		" '$.kernel', json(?5), '$.packages', json(?6),"
		" '$.engine.version.Components', json(coalesce(?7,"
		"  json_extract(?1, '$.engine.version.Components'))),"
		" '$.engine.version.Version', coalesce(?8,"
		"  json_extract(?1, '$.engine.version.Version')),"
		" '$.engine.containers', (SELECT json_group_array(json(value))"
		"  FROM json_each(?1, '$.engine.containers')"
		"  WHERE ltrim(json_extract(value, '$.Name'), '/') IN"
		"  (SELECT value FROM json_each(coalesce(?9, '[]')))))",
		"sssssssss", base_report, h->name, h->os_id, h->os_version,
		h->kernel ? h->kernel : deb12_kernel, h->packages, h->components,
		h->engine_version, h->containers) == 0, "%s", err.msg);
	ck_assert_msg(report_import(store, h->name, doc, strlen(doc), 0, NULL,
				    NULL, &err) == 0, "%s: %s", h->name, err.msg);
	free(doc);
}

static void update_with(const struct config_policy *pol, long long now)
{
	struct finding_options opt = { .policy = pol, .now = now };
	struct err err;

	ck_assert_msg(finding_update_with(store, &opt, &err) == 0, "%s", err.msg);
}

static void update(void)
{
	update_with(NULL, NOW);
}

/* One finding of host, component and CVE (vkey), as text columns. */
struct got {
	bool found;
	char id[64], fixed[64], feed[32], judged[64], ecosystem[32], level[16];
	char fbi[64], package[64];
	int approximate, kev, livepatched, count;
	double cvss;
	long long covered_until, first_seen;
};

static struct got finding(const char *host, const char *component,
			  const char *vkey)
{
	struct store_rows rows = STORE_ROWS_INIT;
	struct got g;
	struct err err;
	int rc;

	memset(&g, 0, sizeof(g));
	ck_assert_int_eq(store_query(store, &rows, &err,
		"SELECT a.id, f.fixed, f.feed, f.judged, f.ecosystem, f.level,"
		" f.fixed_by_installed, f.approximate, f.kev, f.livepatched,"
		" f.cvss, f.covered_until, f.first_seen, f.package"
		" FROM finding f JOIN host h ON h.hid = f.hid"
		" JOIN advisory a ON a.aid = f.aid"
		" WHERE h.name = ? AND f.component = ? AND f.vkey = ?",
		"sss", host, component, vkey), 0);
	while ((rc = store_rows_next(&rows)) == 1) {
		g.found = true;
		g.count++;
		snprintf(g.id, sizeof(g.id), "%s", store_rows_text(&rows, 0));
		snprintf(g.fixed, sizeof(g.fixed), "%s",
			 store_rows_text(&rows, 1) ? store_rows_text(&rows, 1) : "");
		snprintf(g.feed, sizeof(g.feed), "%s", store_rows_text(&rows, 2));
		snprintf(g.judged, sizeof(g.judged), "%s", store_rows_text(&rows, 3));
		snprintf(g.ecosystem, sizeof(g.ecosystem), "%s", store_rows_text(&rows, 4));
		snprintf(g.level, sizeof(g.level), "%s", store_rows_text(&rows, 5));
		snprintf(g.fbi, sizeof(g.fbi), "%s",
			 store_rows_text(&rows, 6) ? store_rows_text(&rows, 6) : "");
		g.approximate = (int)store_rows_int(&rows, 7);
		g.kev = (int)store_rows_int(&rows, 8);
		g.livepatched = (int)store_rows_int(&rows, 9);
		g.cvss = store_rows_null(&rows, 10) ? -1 : store_rows_double(&rows, 10);
		g.covered_until = store_rows_null(&rows, 11) ? 0 : store_rows_int(&rows, 11);
		g.first_seen = store_rows_int(&rows, 12);
		snprintf(g.package, sizeof(g.package), "%s",
			 store_rows_text(&rows, 13) ? store_rows_text(&rows, 13) : "");
	}
	store_rows_done(&rows);
	ck_assert_int_eq(rc, 0);
	return g;
}

static long long count(const char *sql, const char *host)
{
	return testlib_int(store, sql, host);
}

static long long nfindings(const char *host, const char *component)
{
	return testlib_int(store,
		"SELECT count(*) FROM finding f JOIN host h ON h.hid = f.hid"
		" WHERE h.name = ? AND f.component = ?", host, component);
}

/* The reason of an action of a host, "" when the host does not need it. */
static void action(char *out, size_t size, const char *host, const char *act)
{
	char *r = NULL;
	struct err err;
	int rc;

	rc = store_query_text(store, &r, &err,
		"SELECT a.reason FROM host_action a JOIN host h ON h.hid = a.hid"
		" WHERE h.name = ? AND a.action = ?", "ss", host, act);
	ck_assert(rc == 0 || rc == ERR_NOTFOUND);
	snprintf(out, size, "%s", r ? r : "");
	free(r);
}

static struct finding_host summary(const char *host)
{
	struct finding_host h;
	struct err err;

	ck_assert_msg(finding_host_get(&h, store, host, &err) == 0, "%s", err.msg);
	return h;
}

/* The real report's Debian 12 packages (runc, containerd, docker.io). */
static const char deb12_packages[] =
	"[{\"name\":\"runc\",\"source\":\"runc\",\"version\":\"1.1.5+ds1-1+deb12u1\",\"source_version\":\"1.1.5+ds1-1+deb12u1\"},"
	"{\"name\":\"containerd\",\"source\":\"containerd\",\"version\":\"1.6.20~ds1-1+deb12u3\",\"source_version\":\"1.6.20~ds1-1+deb12u3\"},"
	"{\"name\":\"docker.io\",\"source\":\"docker.io\",\"version\":\"20.10.24+dfsg1-1+deb12u1\",\"source_version\":\"20.10.24+dfsg1-1+deb12u1\"}]";

/* Debian 12 with the tracker: DSA-5615-1 fixed CVE-2024-21626 in
 * 1.1.5+ds1-1+deb12u1 although upstream fixed it only in 1.1.12. */
START_TEST(debian_tracker_backport)
{
	struct store_rows rows = STORE_ROWS_INIT;
	struct host_spec h = { "deb-1", "debian", "12", NULL, deb12_packages, NULL, NULL, NULL };
	struct finding_host s;
	struct got g;
	struct err err;
	char *target = NULL;
	char r[512];

	import(&h);
	update();
	g = finding("deb-1", "runc", "CVE-2024-21626");
	ck_assert(!g.found);
	/* CVE-2025-31133 is open in bookworm: affected, no fix. */
	g = finding("deb-1", "runc", "CVE-2025-31133");
	ck_assert(g.found);
	ck_assert_str_eq(g.feed, "debian-tracker");
	ck_assert_str_eq(g.ecosystem, "debian:12");
	ck_assert_str_eq(g.judged, "1.1.5+ds1-1+deb12u1");
	ck_assert_str_eq(g.fixed, "");
	ck_assert_int_eq(g.approximate, 0);
	/* CVSS from the GHSA of the same CVE: the tracker has none. */
	ck_assert(g.cvss > 7.7 && g.cvss < 7.9);
	ck_assert_str_eq(g.level, "high");
	/* The tracker has no bookworm rows for containerd or docker.io. */
	ck_assert_int_eq(nfindings("deb-1", "containerd"), 0);
	ck_assert_int_eq(nfindings("deb-1", "docker"), 0);
	ck_assert_int_eq(nfindings("deb-1", "runc"), 1);
	ck_assert_int_eq(finding_target(&target, store, 1, "runc", &err), 0);
	ck_assert_ptr_null(target);
	/* No fix to install: no runc-upgrade (nor any other action), but
	 * the finding still counts for urgency and the deadline. */
	s = summary("deb-1");
	ck_assert_str_eq(s.targets, "runc no fix available");
	ck_assert_ptr_null(s.bundle);
	ck_assert_uint_eq(s.actions, 0);
	ck_assert_str_eq(s.urgency, "high");
	ck_assert_int_eq(s.deadline, NOW + 30 * DAY);
	finding_host_release(&s);
	action(r, sizeof(r), "deb-1", "runc-upgrade");
	ck_assert_str_eq(r, "");
	/* The listing gives what a sysadmin reads. */
	ck_assert_int_eq(finding_list(store, &rows, "deb-1", &err), 0);
	ck_assert_int_eq(store_rows_next(&rows), 1);
	ck_assert_str_eq(store_rows_text(&rows, FC_ID), "CVE-2025-31133");
	ck_assert_str_eq(store_rows_text(&rows, FC_PACKAGE), "runc");
	ck_assert_str_eq(store_rows_text(&rows, FC_INSTALLED), "1.1.5+ds1-1+deb12u1");
	ck_assert_int_eq(store_rows_next(&rows), 0);
	store_rows_done(&rows);
}
END_TEST

/* The same host where no Debian feed is loaded: upstream ranges on the
 * upstream part of the package versions, marked approximate. */
START_TEST(debian_without_tracker)
{
	struct host_spec h = { "deb-1", "debian", "12", NULL, deb12_packages, NULL, NULL, NULL };
	struct got g;

	import(&h);
	update();
	g = finding("deb-1", "runc", "CVE-2024-21626");
	ck_assert(g.found);
	ck_assert_int_eq(g.approximate, 1);
	ck_assert_str_eq(g.ecosystem, "upstream");
	ck_assert_str_eq(g.judged, "1.1.5");
	ck_assert_str_eq(g.fixed, "1.1.12");
	ck_assert_str_eq(g.feed, "osv-go");
	ck_assert_str_eq(g.package, "runc");
	/* containerd 1.6.20~ds1-1+deb12u3 -> 1.6.20: below 1.6.38. */
	g = finding("deb-1", "containerd", "CVE-2024-40635");
	ck_assert(g.found);
	ck_assert_int_eq(g.approximate, 1);
	ck_assert_str_eq(g.judged, "1.6.20");
	ck_assert_str_eq(g.fixed, "1.6.38");
	/* docker.io 20.10.24+dfsg1-1+deb12u1 -> 20.10.24: the Engine's own
	 * 20.10 fix, 20.10.28 (GO-2024-3005 custom_ranges). */
	g = finding("deb-1", "docker", "CVE-2024-41110");
	ck_assert(g.found);
	ck_assert_int_eq(g.count, 1);
	ck_assert_str_eq(g.fixed, "20.10.28");
	ck_assert_int_eq(g.approximate, 1);
}
END_TEST

static const char ubuntu_kernel[] =
	"{\"release\":\"5.15.0-126-generic\",\"version\":\"#136-Ubuntu SMP Wed Nov 6 10:38:22 UTC 2024\","
	"\"package\":{\"name\":\"linux-image-5.15.0-126-generic\",\"source\":\"linux-signed\",\"version\":\"5.15.0-126.136\"},"
	"\"installed\":[],\"reboot_required\":false,\"livepatch\":null}";

/* Ubuntu 22.04 builds the runc binary from the runc-app source: OSV
 * Ubuntu rows are keyed by source, so runc-app's rows judge it. */
START_TEST(ubuntu_runc_app)
{
	struct host_spec old = { "u-old", "ubuntu", "22.04", ubuntu_kernel,
		"[{\"name\":\"runc\",\"source\":\"runc-app\",\"version\":\"1.2.5-0ubuntu1~22.04.1\"}]",
		NULL, NULL, NULL };
	struct host_spec cur = { "u-cur", "ubuntu", "22.04", ubuntu_kernel,
		"[{\"name\":\"runc\",\"source\":\"runc-app\",\"version\":\"1.3.3-0ubuntu1~22.04.2\"}]",
		NULL, NULL, NULL };
	/* No source column: binary_source lists runc and runc-app for the
	 * binary runc; the one named like the binary is taken. */
	struct host_spec nosrc = { "u-nosrc", "ubuntu", "22.04", ubuntu_kernel,
		"[{\"name\":\"runc\",\"source\":null,\"version\":\"1.1.0-0ubuntu1~22.04.1\"}]",
		NULL, NULL, NULL };
	struct got g;

	import(&old);
	import(&cur);
	import(&nosrc);
	update();
	g = finding("u-old", "runc", "CVE-2025-31133");
	ck_assert(g.found);
	ck_assert_str_eq(g.id, "UBUNTU-CVE-2025-31133");
	ck_assert_str_eq(g.feed, "osv-ubuntu");
	ck_assert_str_eq(g.ecosystem, "ubuntu:22.04");
	ck_assert_str_eq(g.fixed, "1.3.3-0ubuntu1~22.04.2");
	ck_assert_str_eq(g.level, "high");
	/* CVE-2024-21626's Ubuntu rows are for the runc source only. */
	ck_assert(!finding("u-old", "runc", "CVE-2024-21626").found);
	ck_assert_int_eq(nfindings("u-cur", "runc"), 0);
	g = finding("u-nosrc", "runc", "CVE-2024-21626");
	ck_assert(g.found);
	ck_assert_str_eq(g.fixed, "1.1.7-0ubuntu1~22.04.2");
	g = finding("u-nosrc", "runc", "CVE-2025-31133");
	ck_assert(g.found);
	ck_assert_str_eq(g.fixed, "");
}
END_TEST

static const char dockerce_packages[] =
	"[{\"name\":\"docker-ce\",\"source\":\"docker-ce\",\"version\":\"5:24.0.9-1~debian.12~bookworm\"},"
	"{\"name\":\"containerd.io\",\"source\":\"containerd.io\",\"version\":\"1.6.28-1\"}]";

/* docker-ce on Debian: Docker's packages are judged by upstream ranges on
 * what the engine reports, even with the Debian tracker loaded. */
START_TEST(docker_ce_on_debian)
{
	char comps[1024], comps2[1024];
	struct host_spec h = { "ce-1", "debian", "12", NULL, dockerce_packages, comps, "24.0.9", NULL };
	struct host_spec h2 = { "ce-2", "debian", "12", NULL, dockerce_packages, comps2, "24.0.10", NULL };
	struct got g;
	char r[512];

	components(comps, sizeof(comps), "24.0.9", "1.6.28", "1.1.12");
	components(comps2, sizeof(comps2), "24.0.10", "1.6.28", "1.1.12");
	import(&h);
	import(&h2);
	update();
	g = finding("ce-1", "docker", "CVE-2024-41110");
	ck_assert(g.found);
	ck_assert_int_eq(g.count, 1);
	ck_assert_str_eq(g.id, "GO-2024-3005");
	ck_assert_str_eq(g.fixed, "24.0.10");
	ck_assert_str_eq(g.ecosystem, "upstream");
	ck_assert_str_eq(g.judged, "24.0.9");
	ck_assert_str_eq(g.package, "docker-ce");
	ck_assert_int_eq(g.approximate, 0);
	ck_assert(g.cvss > 9.8);
	ck_assert_str_eq(g.level, "critical");
	/* 24.0.10 has the fix, although the moby module rows (GHSA-v23v)
	 * say up to 25.0.6: the product rows decide. */
	ck_assert(!finding("ce-2", "docker", "CVE-2024-41110").found);
	/* runc 1.1.12 (the engine's) has CVE-2024-21626's fix. */
	ck_assert(!finding("ce-1", "runc", "CVE-2024-21626").found);
	g = finding("ce-1", "runc", "CVE-2025-31133");
	ck_assert(g.found);
	ck_assert_str_eq(g.fixed, "1.2.8");
	ck_assert_str_eq(g.package, "");
	/* containerd.io's 1.6.28: the v2 module rows do not apply. */
	g = finding("ce-1", "containerd", "CVE-2024-40635");
	ck_assert(g.found);
	ck_assert_str_eq(g.fixed, "1.6.38");
	action(r, sizeof(r), "ce-1", "engine-restart");
	ck_assert_msg(strstr(r, "docker 24.0.9: 2 advisories (CVE-2024-41110, CVE-2026-34040)") == r, "%s", r);
	ck_assert_msg(strstr(r, "; upgrade to 29.3.1") != NULL, "%s", r);
}
END_TEST

static const char custom_kernel[] =
	"{\"release\":\"6.8.0-custom\",\"version\":\"#1 SMP PREEMPT_DYNAMIC Mon Mar 11 2024\","
	"\"package\":null,\"installed\":[{\"release\":\"6.8.0-custom\",\"package\":null}],"
	"\"reboot_required\":false,\"livepatch\":null}";

/* A self-built kernel with no package: kernel-cna judges its release. */
START_TEST(custom_kernel_cna)
{
	struct host_spec h = { "k-1", "debian", "12", custom_kernel, "[]", NULL, NULL, NULL };
	struct got g;
	char r[512];

	import(&h);
	update();
	g = finding("k-1", "kernel", "CVE-2024-36971");
	ck_assert(g.found);
	ck_assert_str_eq(g.feed, "kernel-cna");
	ck_assert_str_eq(g.ecosystem, "upstream");
	ck_assert_str_eq(g.judged, "6.8.0");
	ck_assert_str_eq(g.fixed, "6.9.4");
	ck_assert_int_eq(g.kev, 1);
	ck_assert_int_eq(g.approximate, 0);
	/* 6.8 is where CVE-2024-26581 was fixed. */
	ck_assert(!finding("k-1", "kernel", "CVE-2024-26581").found);
	action(r, sizeof(r), "k-1", "reboot");
	ck_assert_msg(strstr(r, "running kernel 6.8.0-custom: ") == r, "%s", r);
}
END_TEST

/* Debian 11: DSA-5324-1 fixed CVE-2023-0179 in linux 5.10.162-1. */
#define DEB11_RUNNING                                                        \
	"{\"release\":\"5.10.0-20-amd64\",\"version\":\"#1 SMP Debian 5.10.158-2 (2022-12-13)\"," \
	"\"package\":{\"name\":\"linux-image-5.10.0-20-amd64\",\"source\":\"linux-signed-amd64\",\"version\":\"5.10.158-2\"},"
#define DEB11_INSTALLED_OLD                                                  \
	"{\"release\":\"5.10.0-20-amd64\",\"package\":{\"name\":\"linux-image-5.10.0-20-amd64\"," \
	"\"source\":\"linux-signed-amd64\",\"version\":\"5.10.158-2\"}}"
#define DEB11_INSTALLED_NEW                                                  \
	"{\"release\":\"5.10.0-21-amd64\",\"package\":{\"name\":\"linux-image-5.10.0-21-amd64\"," \
	"\"source\":\"linux-signed-amd64\",\"version\":\"5.10.162-1\"}}"

START_TEST(installed_kernel_fixes)
{
	struct host_spec fixed = { "k-new", "debian", "11",
		DEB11_RUNNING "\"installed\":[" DEB11_INSTALLED_OLD "," DEB11_INSTALLED_NEW "],"
		"\"reboot_required\":true,\"livepatch\":null}", "[]", NULL, NULL, NULL };
	struct host_spec plain = { "k-old", "debian", "11",
		DEB11_RUNNING "\"installed\":[" DEB11_INSTALLED_OLD "],"
		"\"reboot_required\":false,\"livepatch\":null}", "[]", NULL, NULL, NULL };
	struct got g;
	char r[512];

	import(&fixed);
	import(&plain);
	update();
	g = finding("k-new", "kernel", "CVE-2023-0179");
	ck_assert(g.found);
	ck_assert_str_eq(g.feed, "debian-tracker");
	ck_assert_str_eq(g.ecosystem, "debian:11");
	ck_assert_str_eq(g.fixed, "5.10.162-1");
	ck_assert_str_eq(g.fbi, "5.10.0-21-amd64");
	action(r, sizeof(r), "k-new", "reboot");
	ck_assert_str_eq(r, "running kernel 5.10.0-20-amd64: 1 advisory (CVE-2023-0179)"
			    " fixed by installed kernel 5.10.0-21-amd64; boot into it;"
			    " the host reports a pending reboot (/var/run/reboot-required)");
	g = finding("k-old", "kernel", "CVE-2023-0179");
	ck_assert(g.found);
	ck_assert_str_eq(g.fbi, "");
	action(r, sizeof(r), "k-old", "reboot");
	ck_assert_str_eq(r, "running kernel 5.10.0-20-amd64: 1 advisory (CVE-2023-0179);"
			    " upgrade to 5.10.162-1");
}
END_TEST

/* A live patch covering the CVE takes it off the reboot list until its
 * covered_until; after that the reboot is back. */
START_TEST(livepatch_covers)
{
	char comps[256];
	/* No engine components: the kernel is all this host has. */
	struct host_spec h = { "lp-1", "debian", "11",
		DEB11_RUNNING "\"installed\":[" DEB11_INSTALLED_OLD "],"
		"\"reboot_required\":false,\"livepatch\":{\"active\":true,"
		"\"fixed_cves\":[\"CVE-2023-0179\"],\"covered_until\":\"2027-05-01T00:00:00Z\"}}",
		"[]", comps, "", NULL };
	struct finding_host s;
	struct got g;
	long long n = -1;
	struct err err;
	char r[512];

	components(comps, sizeof(comps), NULL, NULL, NULL);
	import(&h);
	update();
	ck_assert_int_eq(count("SELECT count(*) FROM finding f JOIN host h USING (hid)"
			       " WHERE h.name = ?", "lp-1"), 1);
	g = finding("lp-1", "kernel", "CVE-2023-0179");
	ck_assert(g.found);
	ck_assert_int_eq(g.livepatched, 1);
	ck_assert_int_eq(g.covered_until, 1809129600LL); /* 2027-05-01 */
	action(r, sizeof(r), "lp-1", "reboot");
	ck_assert_str_eq(r, "");
	s = summary("lp-1");
	ck_assert_str_eq(s.urgency, "none");
	ck_assert_int_eq(s.deadline, 0);
	finding_host_release(&s);
	ck_assert_int_eq(finding_count_at_or_above(store, &n, "lp-1", 1, &err), 0);
	ck_assert_int_eq(n, 0);
	/* After covered_until the live patch covers nothing. */
	update_with(NULL, 1809129600LL + DAY);
	g = finding("lp-1", "kernel", "CVE-2023-0179");
	ck_assert_int_eq(g.livepatched, 0);
	action(r, sizeof(r), "lp-1", "reboot");
	ck_assert_msg(strstr(r, "running kernel 5.10.0-20-amd64") == r, "%s", r);
}
END_TEST

/* KEV beats CVSS 9.9: the custom kernel's KEV finding ranks above the
 * docker-ce host's critical one; and it is due after deadline-kev. */
START_TEST(urgency_kev_first)
{
	char comps[1024];
	struct host_spec kev = { "kev-1", "debian", "12", custom_kernel, "[]", NULL, NULL, NULL };
	struct host_spec crit = { "crit-1", "debian", "12", NULL, dockerce_packages, comps, "24.0.9", NULL };
	struct finding_host a, b;

	components(comps, sizeof(comps), "24.0.9", "1.6.38", "1.2.8");
	import(&kev);
	import(&crit);
	update();
	a = summary("kev-1");
	b = summary("crit-1");
	ck_assert_str_eq(a.urgency, "critical");
	ck_assert_str_eq(b.urgency, "critical");
	ck_assert_str_eq(a.worst, "CVE-2024-36971");
	ck_assert_str_eq(b.worst, "CVE-2024-41110");
	ck_assert_msg(a.score > b.score, "%f <= %f", a.score, b.score);
	ck_assert_int_eq(a.deadline, NOW + 7 * DAY);
	ck_assert_int_eq(b.deadline, NOW + 14 * DAY);
	finding_host_release(&a);
	finding_host_release(&b);
}
END_TEST

/* Two hosts with the same medium finding (containerd 1.7.27, GO-2025-4100
 * with no rating: unknown counts as medium); the one running a container
 * with host PID and network namespaces, seccomp=unconfined and added
 * capabilities ranks higher and is due sooner. */
START_TEST(urgency_exposure)
{
	char comps[512];
	struct host_spec exp = { "exp-1", NULL, NULL,
		"{\"release\":\"6.18.44-fc-v782\",\"package\":null}", "[]", comps, "",
		"[\"limits-onfail\",\"unconfined-hostns\"]" };
	struct host_spec calm = { "calm-1", NULL, NULL,
		"{\"release\":\"6.18.44-fc-v782\",\"package\":null}", "[]", comps, "",
		"[\"limits-onfail\"]" };
	struct finding_host a, b;

	components(comps, sizeof(comps), NULL, "1.7.27", NULL);
	import(&exp);
	import(&calm);
	update();
	ck_assert_int_eq(count("SELECT count(*) FROM finding f JOIN host h USING (hid)"
			       " WHERE h.name = ?", "exp-1"), 1);
	ck_assert(finding("calm-1", "containerd", "CVE-2024-25621").found);
	a = summary("exp-1");
	b = summary("calm-1");
	ck_assert_str_eq(b.urgency, "medium");
	ck_assert_int_eq(b.exposure, 0);
	ck_assert_str_eq(a.urgency, "high");
	/* host PID 2 + seccomp 2 + capabilities 1 + host network 1 + no
	 * memory limit 1. */
	ck_assert_int_eq(a.exposure, 7);
	ck_assert(a.score > b.score);
	ck_assert_int_eq(a.deadline, NOW + 30 * DAY);
	ck_assert_int_eq(b.deadline, NOW + 90 * DAY);
	finding_host_release(&a);
	finding_host_release(&b);
}
END_TEST

/* Every action at once, each with its reason; first_seen stays. */
START_TEST(bundle_all)
{
	char comps[1024];
	struct host_spec h = { "all-1", "debian", "12",
		"{\"release\":\"6.8.0-custom\",\"package\":null,\"reboot_required\":true}",
		dockerce_packages, comps, "24.0.9", "[\"shop_web_1\",\"limits-onfail\"]" };
	struct config_policy pol;
	struct config *cfg = config_new_default();
	struct finding_host s;
	struct got g;
	char r[512];
	long long seen;

	pol = cfg->policy;
	pol.stale_images = NULL; /* freed with cfg */
	config_free(cfg);
	pol.max_image_age = 2 * DAY;
	components(comps, sizeof(comps), "24.0.9", "1.6.28", "1.1.12");
	import(&h);
	update_with(&pol, NOW);
	s = summary("all-1");
	ck_assert_str_eq(s.bundle, "reboot, engine-restart, containerd-restart,"
				   " runc-upgrade, recreate");
	ck_assert_uint_eq(s.actions, IMPACT_ALL);
	ck_assert_str_eq(s.targets, "containerd 1.7.29, docker 29.3.1, kernel 6.12.97,"
				    " runc 1.2.8");
	finding_host_release(&s);
	action(r, sizeof(r), "all-1", "reboot");
	ck_assert_msg(strstr(r, "; the host reports a pending reboot (/var/run/reboot-required)"),
		      "%s", r);
	action(r, sizeof(r), "all-1", "recreate");
	ck_assert_str_eq(r, "2 containers use images older than 2d: limits-onfail"
			    " (local/busybox:1.35, built 2026-11-23), shop_web_1"
			    " (local/busybox:1.35, built 2026-11-23)");
	/* With the default 30 days, no recreate. */
	update_with(NULL, NOW);
	action(r, sizeof(r), "all-1", "recreate");
	ck_assert_str_eq(r, "");
	g = finding("all-1", "docker", "CVE-2024-41110");
	seen = g.first_seen;
	ck_assert_int_eq(seen, NOW);
	update_with(NULL, NOW + 5 * DAY);
	ck_assert_int_eq(finding("all-1", "docker", "CVE-2024-41110").first_seen, seen);
}
END_TEST

/* [policy] stale-images: a container pinned to a digest the user marked
 * stale is recreated, by digest or by reference; others are not. */
START_TEST(recreate_stale_digest)
{
	static const char digest[] =
		"sha256:89e70d7cf19642b16ea8f02de6190816a9f90780a35b46c61481f5ca4f3db75a";
	static const char reference[] =
		"127.0.0.1:5000/lab/busybox@sha256:89e70d7cf19642b16ea8f02de6190816a9f90780a35b46c61481f5ca4f3db75a";
	char comps[1024];
	struct host_spec h = { "pin-1", "debian", "12", NULL, dockerce_packages, comps,
		"24.0.9", "[\"from-registry-digest\",\"shop_web_1\"]" };
	char *by_digest[] = { (char *)digest, NULL };
	char *by_reference[] = { (char *)"other:1", (char *)reference, NULL };
	char *by_tag[] = { (char *)"local/busybox:1.35", NULL };
	char *by_other[] = { (char *)"sha256:0000000000000000000000000000000000000000000000000000000000000000",
			     NULL };
	struct config_policy pol;
	struct config *cfg = config_new_default();
	char r[512];

	pol = cfg->policy;
	config_free(cfg);
	components(comps, sizeof(comps), "24.0.9", "1.6.28", "1.1.12");
	import(&h);

	pol.stale_images = NULL;
	update_with(&pol, NOW);
	action(r, sizeof(r), "pin-1", "recreate");
	ck_assert_str_eq(r, "");

	/* A digest is the image's content: every container running that
	 * image uses it, pinned by digest (from-registry-digest) or by a tag
	 * that resolved to it (shop_web_1: its image's RepoDigests). */
	pol.stale_images = by_digest;
	update_with(&pol, NOW);
	action(r, sizeof(r), "pin-1", "recreate");
	ck_assert_str_eq(r, "2 containers use an image marked stale (stale-images):"
			    " from-registry-digest (127.0.0.1:5000/lab/busybox@sha256:"
			    "89e70d7cf19642b16ea8f02de6190816a9f90780a35b46c61481f5ca4f3db75a),"
			    " shop_web_1 (local/busybox:1.35)");
	ck_assert_int_eq(count("SELECT count(*) FROM recreate_container WHERE why = 'stale'",
			       NULL), 2);

	pol.stale_images = by_reference;
	update_with(&pol, NOW);
	ck_assert_int_eq(count("SELECT count(*) FROM recreate_container WHERE why = 'stale'",
			       NULL), 2);

	/* A tag names what the container was started from: only those. */
	pol.stale_images = by_tag;
	update_with(&pol, NOW);
	action(r, sizeof(r), "pin-1", "recreate");
	ck_assert_str_eq(r, "1 container uses an image marked stale (stale-images):"
			    " shop_web_1 (local/busybox:1.35)");

	/* A digest nothing runs: no recreate. */
	pol.stale_images = by_other;
	update_with(&pol, NOW);
	ck_assert_int_eq(count("SELECT count(*) FROM recreate_container", NULL), 0);
}
END_TEST

/* No engine components and no packages but runc: runc is all these
 * hosts have. */
static const char nofix_deb_packages[] =
	"[{\"name\":\"runc\",\"source\":\"runc\",\"version\":\"1.1.5+ds1-1+deb12u1\"}]";
static const char mixed_ubuntu_packages[] =
	"[{\"name\":\"runc\",\"source\":\"runc\",\"version\":\"1.1.0-0ubuntu1~22.04.1\"}]";

/* Planned over two weeks from NOW with one daily window for every host. */
static void plan_fleet(struct plan *p)
{
	static const char conf[] =
		"[window nightly]\nrrule = FREQ=DAILY\nstart = 02:00\n"
		"duration = 4h\ntimezone = UTC\nhosts = *\n";
	struct config *cfg = NULL;
	struct err err;

	ck_assert_msg(config_parse(&cfg, "t.conf", conf, strlen(conf), &err) == 0, "%s", err.msg);
	plan_init(p);
	ck_assert_msg(plan_load(p, store, cfg, NOW, 2, &err) == 0, "%s", err.msg);
	ck_assert_msg(plan_run(p, &err) == 0, "%s", err.msg);
	config_free(cfg);
}

/* Nothing to install, nothing to schedule: a host whose only finding has
 * no fix (runc CVE-2025-31133, open in bookworm) gets no action and no
 * slot, though the finding is listed and sets urgency and deadline. Next
 * to it, a host with one runc finding fixed (CVE-2024-21626, Ubuntu's
 * 1.1.7-0ubuntu1~22.04.2) and one not (CVE-2025-31133 of Ubuntu's runc
 * source) gets its runc-upgrade to the fix, and a slot. */
/* finding_update() skips its work when no input changed, and never
 * misses a change: an inventory, a policy change or a new hour recompute.
 * Emptying the finding table behind its back shows which happened. */
START_TEST(recompute_only_when_inputs_change)
{
	char comps[256];
	struct host_spec nofix = { "nofix-1", "debian", "12", NULL, nofix_deb_packages,
		comps, "", NULL };
	struct host_spec mixed = { "mixed-1", "ubuntu", "22.04", ubuntu_kernel,
		mixed_ubuntu_packages, comps, "", NULL };
	struct config_policy pol;
	struct config *cfg = config_new_default();
	struct err err;

	pol = cfg->policy;
	pol.stale_images = NULL; /* freed with cfg */
	config_free(cfg);
	components(comps, sizeof(comps), NULL, NULL, NULL);
	import(&nofix);
	update();
	ck_assert_int_eq(count("SELECT count(*) FROM finding", NULL), 1);

	/* Nothing changed: the (emptied) table is left as it is. */
	ck_assert_int_eq(store_exec(store, &err, "DELETE FROM finding", NULL), 1);
	update();
	ck_assert_int_eq(count("SELECT count(*) FROM finding", NULL), 0);

	/* A new inventory: everything is recomputed. */
	import(&mixed);
	update();
	ck_assert_int_eq(count("SELECT count(*) FROM finding f JOIN host h USING (hid)"
			       " WHERE h.name = ?", "nofix-1"), 1);
	ck_assert_int_eq(nfindings("mixed-1", "runc"), 2);

	/* Another policy, then another hour. */
	ck_assert_int_eq(store_exec(store, &err, "DELETE FROM finding", NULL), 3);
	pol.deadline_high += DAY;
	update_with(&pol, NOW);
	ck_assert_int_eq(count("SELECT count(*) FROM finding", NULL), 3);
	ck_assert_int_eq(store_exec(store, &err, "DELETE FROM finding", NULL), 3);
	update_with(&pol, NOW + 3600);
	ck_assert_int_eq(count("SELECT count(*) FROM finding", NULL), 3);
}
END_TEST

START_TEST(no_fix_no_action)
{
	char comps[256];
	struct host_spec nofix = { "nofix-1", "debian", "12", NULL, nofix_deb_packages,
		comps, "", NULL };
	struct host_spec mixed = { "mixed-1", "ubuntu", "22.04", ubuntu_kernel,
		mixed_ubuntu_packages, comps, "", NULL };
	struct finding_host s;
	struct plan p;
	struct got g;
	char r[512];

	components(comps, sizeof(comps), NULL, NULL, NULL);
	import(&nofix);
	import(&mixed);
	update();

	ck_assert_int_eq(count("SELECT count(*) FROM finding f JOIN host h USING (hid)"
			       " WHERE h.name = ?", "nofix-1"), 1);
	g = finding("nofix-1", "runc", "CVE-2025-31133");
	ck_assert(g.found);
	ck_assert_str_eq(g.fixed, "");   /* NULL in the table */
	ck_assert_int_eq(count("SELECT count(*) FROM finding f JOIN host h USING (hid)"
			       " WHERE h.name = ? AND f.fixed IS NULL", "nofix-1"), 1);
	ck_assert_str_eq(g.fbi, "");
	ck_assert_str_eq(g.level, "high");
	ck_assert_int_eq(count("SELECT count(*) FROM host_action a JOIN host h USING (hid)"
			       " WHERE h.name = ?", "nofix-1"), 0);
	s = summary("nofix-1");
	ck_assert_ptr_null(s.bundle);
	ck_assert_uint_eq(s.actions, 0);
	ck_assert_str_eq(s.targets, "runc no fix available");
	ck_assert_str_eq(s.urgency, "high");
	ck_assert_str_eq(s.worst, "CVE-2025-31133");
	ck_assert_int_eq(s.findings, 1);
	ck_assert(s.score > 0);
	ck_assert_int_eq(s.deadline, NOW + 30 * DAY);
	finding_host_release(&s);

	ck_assert_int_eq(nfindings("mixed-1", "runc"), 2);
	ck_assert_str_eq(finding("mixed-1", "runc", "CVE-2024-21626").fixed,
			 "1.1.7-0ubuntu1~22.04.2");
	ck_assert_str_eq(finding("mixed-1", "runc", "CVE-2025-31133").fixed, "");
	s = summary("mixed-1");
	ck_assert_str_eq(s.bundle, "runc-upgrade");
	ck_assert_uint_eq(s.actions, IMPACT_BIT(IMPACT_RUNC_UPGRADE));
	ck_assert_str_eq(s.targets, "runc 1.1.7-0ubuntu1~22.04.2");
	finding_host_release(&s);
	action(r, sizeof(r), "mixed-1", "runc-upgrade");
	ck_assert_str_eq(r, "runc 1.1.0-0ubuntu1~22.04.1: 2 advisories (CVE-2024-21626,"
			    " CVE-2025-31133); upgrade to 1.1.7-0ubuntu1~22.04.2 (1 without a fix)");

	/* The planner takes hosts with a bundle: mixed-1 only, placed. */
	plan_fleet(&p);
	ck_assert_uint_eq(p.in.nhosts, 1);
	ck_assert_str_eq(p.in.hosts[0].name, "mixed-1");
	ck_assert_uint_eq(p.nslots, 1);
	ck_assert_uint_eq(p.slots[0].host, 0);
	ck_assert_uint_eq(p.nunplaced, 0);
	plan_release(&p);
}
END_TEST

START_TEST(fail_on)
{
	char comps[1024];
	struct host_spec h = { "ce-1", "debian", "12", NULL, dockerce_packages, comps, "24.0.9", NULL };
	struct host_spec k = { "k-1", "debian", "12", custom_kernel, "[]", NULL, NULL, NULL };
	long long n = -1;
	int t = -1;
	struct err err;

	components(comps, sizeof(comps), "24.0.9", "1.6.38", "1.2.8");
	import(&h);
	update();
	ck_assert_int_eq(finding_threshold_parse(&t, "kev", &err), 0);
	ck_assert_int_eq(finding_count_at_or_above(store, &n, NULL, t, &err), 0);
	ck_assert_int_eq(n, 0);
	ck_assert_int_eq(finding_threshold_parse(&t, "critical", &err), 0);
	ck_assert_int_eq(finding_count_at_or_above(store, &n, NULL, t, &err), 0);
	ck_assert_int_eq(n, 1);   /* CVE-2024-41110, CVSS 9.9 */
	ck_assert_int_eq(finding_threshold_parse(&t, "high", &err), 0);
	ck_assert_int_eq(finding_count_at_or_above(store, &n, NULL, t, &err), 0);
	ck_assert_int_eq(n, 2);   /* and CVE-2026-34040, 8.8 */
	import(&k);
	update();
	ck_assert_int_eq(finding_threshold_parse(&t, "kev", &err), 0);
	ck_assert_int_eq(finding_count_at_or_above(store, &n, NULL, t, &err), 0);
	ck_assert_int_eq(n, 1);
	t = 42;
	ck_assert_int_eq(finding_threshold_parse(&t, "severe", &err), ERR_USAGE);
	ck_assert_int_eq(t, 42);
	ck_assert_str_eq(err.msg, "unknown severity 'severe' (critical, high, medium, low or kev)");
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("finding");
	TCase *tc = tcase_create("tracker");
	TCase *nt = tcase_create("no-tracker");

	tcase_add_checked_fixture(tc, setup_tracker, teardown);
	tcase_add_test(tc, debian_tracker_backport);
	tcase_add_test(tc, ubuntu_runc_app);
	tcase_add_test(tc, docker_ce_on_debian);
	tcase_add_test(tc, custom_kernel_cna);
	tcase_add_test(tc, installed_kernel_fixes);
	tcase_add_test(tc, livepatch_covers);
	tcase_add_test(tc, urgency_kev_first);
	tcase_add_test(tc, urgency_exposure);
	tcase_add_test(tc, bundle_all);
	tcase_add_test(tc, no_fix_no_action);
	tcase_add_test(tc, recompute_only_when_inputs_change);
	tcase_add_test(tc, recreate_stale_digest);
	tcase_add_test(tc, fail_on);
	suite_add_tcase(s, tc);
	tcase_add_checked_fixture(nt, setup_no_tracker, teardown);
	tcase_add_test(nt, debian_without_tracker);
	suite_add_tcase(s, nt);
	return s;
}

int main(void)
{
	return testlib_run(suite());
}
